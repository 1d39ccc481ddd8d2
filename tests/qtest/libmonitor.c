/*
 * libmonitor: see libmonitor.h.
 */
#include "libmonitor.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* An arm64 Linux Image whose entry loops on (*COUNTER_ADDR)++. */
static void write_counter_image(const char *path)
{
    static const uint32_t code[] = {
        0xd2a82001,     /* movz x1, #0x4100, lsl #16 */
        0xb9400022,     /* 1: ldr w2, [x1] */
        0x11000442,     /* add w2, w2, #1 */
        0xb9000022,     /* str w2, [x1] */
        0x17fffffd,     /* b 1b */
    };
    uint8_t img[0x100] = { 0 };

    img[0] = 0x10; img[3] = 0x14;       /* code0: b +0x40 */
    img[0x10] = 0x00; img[0x11] = 0x10; /* image_size 0x1000 */
    memcpy(img + 0x38, "ARM\x64", 4);
    memcpy(img + 0x40, code, sizeof(code));     /* little-endian host */
    g_assert_true(g_file_set_contents(path, (char *)img, sizeof(img), NULL));
}

/* turtle dies with the test, even when the test fails or is killed;
 * data: a file for its stderr, or NULL */
static void child_setup(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (data) {
        int fd = open(data, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, 2);
            close(fd);
        }
    }
}

char *turtle_path(Turtle *t, const char *name)
{
    return g_build_filename(t->dir, name, NULL);
}

void turtle_start(Turtle *t, const char *extra_fmt, bool quiet_stderr)
{
    g_autofree char *img = NULL;
    g_autofree char *extra = NULL;
    g_autofree char *cmd = NULL;
    g_autofree char *log = NULL;
    g_auto(GStrv) argv = NULL;
    GError *err = NULL;

    t->dir = g_dir_make_tmp("monitor-test-XXXXXX", NULL);
    g_assert_nonnull(t->dir);
    img = turtle_path(t, "counter.img");
    write_counter_image(img);
    log = quiet_stderr ? turtle_path(t, "stderr.log") : NULL;
    extra = g_strdup_printf(extra_fmt, t->dir);
    cmd = g_strdup_printf("%s -M virt -m 64 -accel tcg -display none "
                          "-nodefaults -kernel %s %s", qtest_binary(), img,
                          extra);
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    if (!g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                       child_setup, log, &t->pid, &err)) {
        g_error("cannot start turtle: %s", err->message);
    }
}

bool turtle_exited(Turtle *t, int *status)
{
    return waitpid(t->pid, status, WNOHANG) == t->pid;
}

int turtle_wait(Turtle *t, int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000LL;
    int status;

    while (!turtle_exited(t, &status)) {
        if (g_get_monotonic_time() > deadline) {
            kill(t->pid, SIGKILL);
            waitpid(t->pid, &status, 0);
            g_error("turtle did not exit within %d ms", timeout_ms);
        }
        g_usleep(10 * 1000);
    }
    if (WIFSIGNALED(status)) {
        g_error("turtle was killed by signal %d", WTERMSIG(status));
    }
    return WEXITSTATUS(status);
}

void turtle_memory(Turtle *t, long *rss_kb, long *hwm_kb)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", t->pid);
    g_autofree char *text = NULL;
    const char *p;

    *rss_kb = *hwm_kb = -1;
    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return;
    }
    if ((p = strstr(text, "VmRSS:"))) {
        *rss_kb = strtol(p + 6, NULL, 10);
    }
    if ((p = strstr(text, "VmHWM:"))) {
        *hwm_kb = strtol(p + 6, NULL, 10);
    }
}

void turtle_cleanup(Turtle *t)
{
    GDir *d = g_dir_open(t->dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = turtle_path(t, name);
        unlink(p);
    }
    if (d) {
        g_dir_close(d);
    }
    rmdir(t->dir);
    g_free(t->dir);
}

QMPClient qmp_open(Turtle *t, const char *sock)
{
    g_autofree char *path = turtle_path(t, sock);
    QMPClient c = { .fd = -1 };

    qmp_client_init(&c, qmp_unix_connect(path));
    qmp_assert_greeting(&c);
    qmp_negotiate(&c);
    return c;
}

void qmp_ok(QMPClient *c, const char *cmd)
{
    JsonNode *a = qmp_cmd(c, cmd);

    qmp_return(a);
    json_node_unref(a);
}

uint32_t guest_counter(QMPClient *c)
{
    g_autofree char *out = qmp_hmp(c, XP_COUNTER);
    const char *v = strstr(out, ": 0x");

    if (!v) {
        g_error("unexpected xp output '%s'", out);
    }
    return strtoul(v + 2, NULL, 16);
}

void assert_guest_runs(QMPClient *c)
{
    uint32_t a = guest_counter(c);
    gint64 deadline = g_get_monotonic_time() + QMP_TIMEOUT_MS * 1000LL;

    while (guest_counter(c) == a) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_usleep(20 * 1000);
    }
}

size_t send_nonblocking(int fd, const char *buf, size_t len)
{
    size_t off = 0;

    while (off < len) {
        ssize_t n = send(fd, buf + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        off += n;
    }
    return off;
}

GString *read_all(int fd, int timeout_ms, bool *eof)
{
    GString *s = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000LL;

    *eof = false;
    for (;;) {
        char buf[65536];
        int left = (deadline - g_get_monotonic_time()) / 1000;
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;

        if (left <= 0 || poll(&pfd, 1, left) <= 0) {
            return s;
        }
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            *eof = true;
            return s;
        }
        g_string_append_len(s, buf, n);
    }
}

unsigned count_of(const char *hay, const char *needle)
{
    unsigned n = 0;

    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) {
        n++;
    }
    return n;
}

/* Read an HMP client's output up to and including its next prompt. */
char *hmp_read_prompt(int fd)
{
    GString *s = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + QMP_TIMEOUT_MS * 1000LL;

    while (!g_str_has_suffix(s->str, HMP_PROMPT)) {
        char c;
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int left = (deadline - g_get_monotonic_time()) / 1000;

        if (left <= 0 || poll(&pfd, 1, left) <= 0 || read(fd, &c, 1) != 1) {
            g_error("no HMP prompt; got '%s'", s->str);
        }
        g_string_append_c(s, c);
    }
    return g_string_free(s, false);
}

int hmp_open(Turtle *t, const char *sock)
{
    g_autofree char *path = turtle_path(t, sock);
    int fd = qmp_unix_connect(path);
    g_autofree char *banner = hmp_read_prompt(fd);

    g_assert_nonnull(strstr(banner, "monitor - type 'help' for more "
                            "information"));
    return fd;
}

void hmp_send(int fd, const char *text)
{
    g_assert_cmpuint(send_nonblocking(fd, text, strlen(text)), ==,
                     strlen(text));
}

/* Run a command line; returns what it printed (the echo removed). */
char *hmp_cmd(int fd, const char *line)
{
    g_autofree char *cmd = g_strconcat(line, "\n", NULL);
    g_autofree char *out = NULL;
    const char *start;

    hmp_send(fd, cmd);
    out = hmp_read_prompt(fd);
    start = strstr(out, "\r\n");
    g_assert_nonnull(start);
    return g_strndup(start + 2, strlen(start + 2) - strlen(HMP_PROMPT));
}
