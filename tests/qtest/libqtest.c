/*
 * libqtest: start turtle under -accel qtest and speak the qtest protocol
 * (docs/qtest.md).  The test listens on a Unix socket; turtle connects to
 * it with "-qtest unix:PATH".
 */
#include "libqtest.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define QTEST_TIMEOUT_MS 30000
#define QTEST_MAX_IRQS 256

struct QTestState {
    pid_t pid;
    int fd;                   /* the protocol connection */
    GString *rxbuf;
    char *tmpdir;
    char *sock_path;
    bool irq_level[QTEST_MAX_IRQS];
    bool exited;              /* reaped by qtest_wait_exit */
    int exit_status;
};

const char *qtest_binary(void)
{
    const char *bin = getenv("TURTLE_BINARY");

#ifdef TURTLE_DEFAULT_BINARY
    if (!bin || !*bin) {
        bin = TURTLE_DEFAULT_BINARY;
    }
#endif
    if (!bin || !*bin) {
        g_error("set TURTLE_BINARY to the turtle-system-* executable");
    }
    return bin;
}

/* ---- sockets ---- */

int qtest_socket_server(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpuint(strlen(path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    unlink(path);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(fd, 1), ==, 0);
    return fd;
}

static int socket_accept_timeout(int listen_fd, int timeout_ms, pid_t child)
{
    gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000LL;

    for (;;) {
        struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };
        int r = poll(&pfd, 1, 100);

        if (r > 0) {
            int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
            if (fd >= 0) {
                return fd;
            }
        }
        if (child > 0) {
            int status;
            if (waitpid(child, &status, WNOHANG) == child) {
                g_test_message("turtle exited before connecting (status 0x%x)",
                               status);
                return -2;
            }
        }
        if (g_get_monotonic_time() > deadline) {
            return -1;
        }
    }
}

int qtest_socket_accept(int listen_fd)
{
    return socket_accept_timeout(listen_fd, QTEST_TIMEOUT_MS, 0);
}

size_t qtest_socket_read(int fd, void *buf, size_t len, int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000LL;
    size_t got = 0;

    while (got < len) {
        int left = (deadline - g_get_monotonic_time()) / 1000;
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;

        if (left <= 0 || poll(&pfd, 1, left) <= 0) {
            break;
        }
        n = read(fd, (char *)buf + got, len - got);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            break;
        }
        got += n;
    }
    return got;
}

/* ---- process ---- */

const char *qtest_tmpdir(QTestState *s)
{
    return s->tmpdir;
}

static QTestState *qtest_start(const char *extra_args, const char *tmpdir)
{
    QTestState *s = g_new0(QTestState, 1);
    bool has_machine = extra_args &&
        (strstr(extra_args, "-M ") || strstr(extra_args, "-machine "));
    char *cmd, **argv = NULL;
    GError *gerr = NULL;
    int listen_fd;

    s->tmpdir = tmpdir ? g_strdup(tmpdir) : g_dir_make_tmp("qtest-XXXXXX", NULL);
    g_assert(s->tmpdir);
    s->sock_path = g_build_filename(s->tmpdir, "qtest.sock", NULL);
    s->rxbuf = g_string_new(NULL);
    listen_fd = qtest_socket_server(s->sock_path);

    cmd = g_strdup_printf("%s %s -accel qtest -qtest unix:%s -display none "
                          "-nodefaults %s", qtest_binary(),
                          has_machine ? "" : "-M none", s->sock_path,
                          extra_args ? extra_args : "");
    g_test_message("starting: %s", cmd);
    if (!g_shell_parse_argv(cmd, NULL, &argv, &gerr)) {
        g_error("bad arguments '%s': %s", cmd, gerr->message);
    }
    s->pid = fork();
    g_assert_cmpint(s->pid, >=, 0);
    if (s->pid == 0) {
        close(listen_fd);
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    g_strfreev(argv);
    g_free(cmd);

    s->fd = socket_accept_timeout(listen_fd, QTEST_TIMEOUT_MS, s->pid);
    close(listen_fd);
    if (s->fd < 0) {
        if (s->fd == -1) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, NULL, 0);
        }
        g_error("turtle did not connect to the qtest socket");
    }
    return s;
}

QTestState *qtest_init(const char *extra_args)
{
    return qtest_start(extra_args, NULL);
}

QTestState *qtest_initf(const char *fmt, ...)
{
    va_list ap;
    char *args;
    QTestState *s;

    va_start(ap, fmt);
    args = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    s = qtest_init(args);
    g_free(args);
    return s;
}

static void rm_rf(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;

    if (!d) {
        return;
    }
    while ((name = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, name, NULL);
        unlink(p);
        g_free(p);
    }
    g_dir_close(d);
    rmdir(dir);
}

static bool wait_child(pid_t pid, int *status, int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000LL;

    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid) {
            return true;
        }
        if (r < 0 && errno != EINTR) {
            return false;
        }
        if (g_get_monotonic_time() > deadline) {
            return false;
        }
        g_usleep(10 * 1000);
    }
}

int qtest_wait_exit(QTestState *s, int timeout_ms)
{
    if (s->exited) {
        return s->exit_status;
    }
    if (!wait_child(s->pid, &s->exit_status, timeout_ms)) {
        return -1;
    }
    s->exited = true;
    return WIFEXITED(s->exit_status) ? WEXITSTATUS(s->exit_status)
                                     : 128 + WTERMSIG(s->exit_status);
}

void qtest_quit(QTestState *s)
{
    int status = s->exit_status;
    bool signalled = false;

    /* closing the connection makes the server request a clean exit */
    close(s->fd);
    if (!s->exited && !wait_child(s->pid, &status, 10000)) {
        signalled = true;
        kill(s->pid, SIGTERM);
        if (!wait_child(s->pid, &status, 5000)) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &status, 0);
        }
    }
    rm_rf(s->tmpdir);
    g_string_free(s->rxbuf, true);
    g_free(s->sock_path);
    g_free(s->tmpdir);
    g_free(s);

    if (WIFSIGNALED(status) && !(signalled && WTERMSIG(status) == SIGTERM)) {
        g_error("turtle died with signal %d (%s)", WTERMSIG(status),
                strsignal(WTERMSIG(status)));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        g_error("turtle exited with status %d (a sanitizer report?)",
                WEXITSTATUS(status));
    }
}

/* ---- protocol ---- */

static void qtest_send_line(QTestState *s, const char *line)
{
    size_t len = strlen(line), off = 0;

    while (off < len) {
        ssize_t n = write(s->fd, line + off, len - off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            g_error("qtest: cannot send '%s': %s", line, strerror(errno));
        }
        off += n;
    }
}

/* One line from the emulator, without the newline. */
static char *qtest_recv_line(QTestState *s)
{
    for (;;) {
        char *nl = memchr(s->rxbuf->str, '\n', s->rxbuf->len);
        char buf[4096];
        struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
        ssize_t n;

        if (nl) {
            char *line = g_strndup(s->rxbuf->str, nl - s->rxbuf->str);
            g_string_erase(s->rxbuf, 0, nl - s->rxbuf->str + 1);
            return line;
        }
        if (poll(&pfd, 1, QTEST_TIMEOUT_MS) <= 0) {
            g_error("qtest: no answer from turtle within %d ms",
                    QTEST_TIMEOUT_MS);
        }
        n = read(s->fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            g_error("qtest: turtle closed the connection (crashed?)");
        }
        g_string_append_len(s->rxbuf, buf, n);
    }
}

/* The answer to the last command; IRQ lines are recorded on the way. */
static char *qtest_answer(QTestState *s)
{
    for (;;) {
        char *line = qtest_recv_line(s);

        if (g_str_has_prefix(line, "IRQ ")) {
            char **w = g_strsplit(line, " ", 0);
            if (w[1] && w[2]) {
                long n = strtol(w[2], NULL, 0);
                if (n >= 0 && n < QTEST_MAX_IRQS) {
                    s->irq_level[n] = !strcmp(w[1], "raise");
                }
            }
            g_strfreev(w);
            g_free(line);
            continue;
        }
        return line;
    }
}

static char *qtest_vraw(QTestState *s, const char *fmt, va_list ap)
{
    char *cmd = g_strdup_vprintf(fmt, ap);
    char *line = g_strconcat(cmd, "\n", NULL);

    qtest_send_line(s, line);
    g_free(line);
    g_free(cmd);
    return qtest_answer(s);
}

char *qtest_raw(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *ans;

    va_start(ap, fmt);
    ans = qtest_vraw(s, fmt, ap);
    va_end(ap);
    return ans;
}

char *qtest_cmd(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *ans, *rest;

    va_start(ap, fmt);
    ans = qtest_vraw(s, fmt, ap);
    va_end(ap);
    if (strcmp(ans, "OK") != 0 && !g_str_has_prefix(ans, "OK ")) {
        g_error("qtest: command failed: %s", ans);
    }
    rest = g_strdup(ans[2] ? ans + 3 : "");
    g_free(ans);
    return rest;
}

static uint64_t qtest_cmd_u64(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static uint64_t qtest_cmd_u64(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *ans;
    uint64_t val;

    va_start(ap, fmt);
    ans = qtest_vraw(s, fmt, ap);
    va_end(ap);
    if (!g_str_has_prefix(ans, "OK ")) {
        g_error("qtest: command failed: %s", ans);
    }
    val = g_ascii_strtoull(ans + 3, NULL, 0);
    g_free(ans);
    return val;
}

static void qtest_cmd_ok(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void qtest_cmd_ok(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *ans;

    va_start(ap, fmt);
    ans = qtest_vraw(s, fmt, ap);
    va_end(ap);
    if (strcmp(ans, "OK") != 0 && !g_str_has_prefix(ans, "OK ")) {
        g_error("qtest: command failed: %s", ans);
    }
    g_free(ans);
}

uint8_t qtest_readb(QTestState *s, uint64_t addr)
{
    return qtest_cmd_u64(s, "readb 0x%" PRIx64, addr);
}

uint16_t qtest_readw(QTestState *s, uint64_t addr)
{
    return qtest_cmd_u64(s, "readw 0x%" PRIx64, addr);
}

uint32_t qtest_readl(QTestState *s, uint64_t addr)
{
    return qtest_cmd_u64(s, "readl 0x%" PRIx64, addr);
}

uint64_t qtest_readq(QTestState *s, uint64_t addr)
{
    return qtest_cmd_u64(s, "readq 0x%" PRIx64, addr);
}

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t val)
{
    qtest_cmd_ok(s, "writeb 0x%" PRIx64 " 0x%x", addr, val);
}

void qtest_writew(QTestState *s, uint64_t addr, uint16_t val)
{
    qtest_cmd_ok(s, "writew 0x%" PRIx64 " 0x%x", addr, val);
}

void qtest_writel(QTestState *s, uint64_t addr, uint32_t val)
{
    qtest_cmd_ok(s, "writel 0x%" PRIx64 " 0x%x", addr, val);
}

void qtest_writeq(QTestState *s, uint64_t addr, uint64_t val)
{
    qtest_cmd_ok(s, "writeq 0x%" PRIx64 " 0x%" PRIx64, addr, val);
}

uint8_t qtest_inb(QTestState *s, uint16_t port)
{
    return qtest_cmd_u64(s, "inb 0x%x", port);
}

uint16_t qtest_inw(QTestState *s, uint16_t port)
{
    return qtest_cmd_u64(s, "inw 0x%x", port);
}

uint32_t qtest_inl(QTestState *s, uint16_t port)
{
    return qtest_cmd_u64(s, "inl 0x%x", port);
}

void qtest_outb(QTestState *s, uint16_t port, uint8_t val)
{
    qtest_cmd_ok(s, "outb 0x%x 0x%x", port, val);
}

void qtest_outw(QTestState *s, uint16_t port, uint16_t val)
{
    qtest_cmd_ok(s, "outw 0x%x 0x%x", port, val);
}

void qtest_outl(QTestState *s, uint16_t port, uint32_t val)
{
    qtest_cmd_ok(s, "outl 0x%x 0x%x", port, val);
}

void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t size)
{
    char *hex = qtest_cmd(s, "read 0x%" PRIx64 " 0x%zx", addr, size);
    uint8_t *p = buf;

    g_assert(g_str_has_prefix(hex, "0x"));
    g_assert_cmpuint(strlen(hex), ==, 2 + 2 * size);
    for (size_t i = 0; i < size; i++) {
        p[i] = g_ascii_xdigit_value(hex[2 + 2 * i]) << 4 |
               g_ascii_xdigit_value(hex[3 + 2 * i]);
    }
    g_free(hex);
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size)
{
    GString *hex = g_string_new("0x");
    const uint8_t *p = buf;

    for (size_t i = 0; i < size; i++) {
        g_string_append_printf(hex, "%02x", p[i]);
    }
    if (size == 0) {
        g_string_append(hex, "00");
    }
    qtest_cmd_ok(s, "write 0x%" PRIx64 " 0x%zx %s", addr, size, hex->str);
    g_string_free(hex, true);
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t val, size_t size)
{
    qtest_cmd_ok(s, "memset 0x%" PRIx64 " 0x%zx 0x%x", addr, size, val);
}

void qtest_bufread(QTestState *s, uint64_t addr, void *buf, size_t size)
{
    char *b64 = qtest_cmd(s, "b64read 0x%" PRIx64 " 0x%zx", addr, size);
    gsize len = 0;
    guchar *data = g_base64_decode(b64, &len);

    g_assert_cmpuint(len, ==, size);
    memcpy(buf, data, size);
    g_free(data);
    g_free(b64);
}

void qtest_bufwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size)
{
    gchar *b64;

    if (size == 0) {
        return;
    }
    b64 = g_base64_encode(buf, size);
    qtest_cmd_ok(s, "b64write 0x%" PRIx64 " 0x%zx %s", addr, size, b64);
    g_free(b64);
}

int64_t qtest_clock_step(QTestState *s, int64_t ns)
{
    return qtest_cmd_u64(s, "clock_step %" PRId64, ns);
}

int64_t qtest_clock_step_next(QTestState *s)
{
    return qtest_cmd_u64(s, "clock_step");
}

int64_t qtest_clock_set(QTestState *s, int64_t ns)
{
    return qtest_cmd_u64(s, "clock_set %" PRId64, ns);
}

void qtest_irq_intercept_in(QTestState *s, const char *devid)
{
    qtest_cmd_ok(s, "irq_intercept_in %s", devid);
}

void qtest_irq_intercept_out(QTestState *s, const char *devid)
{
    qtest_cmd_ok(s, "irq_intercept_out %s", devid);
}

bool qtest_get_irq(QTestState *s, int n)
{
    g_assert(n >= 0 && n < QTEST_MAX_IRQS);
    /* a command without side effects collects IRQ lines sent before it */
    qtest_cmd_ok(s, "endianness");
    return s->irq_level[n];
}

void qtest_set_irq_in(QTestState *s, const char *devid, const char *name,
                      int n, int level)
{
    qtest_cmd_ok(s, "set_irq_in %s %s %d %d", devid, name ? name : "unnamed",
                 n, level);
}

void qtest_system_reset(QTestState *s)
{
    qtest_cmd_ok(s, "system_reset");
}

void qtest_set_cpu(QTestState *s, int n)
{
    qtest_cmd_ok(s, "cpu %d", n);
}

/* ---- one-shot runs (command-line tests) ---- */

static void drain_fd(int fd, GString *into, bool *open)
{
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof(buf));

    if (n > 0) {
        g_string_append_len(into, buf, n);
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        *open = false;
    }
}

int qtest_run(const char *binary, const char *args, char **out, char **err)
{
    char *cmd = g_strdup_printf("%s %s", binary, args);
    char **argv = NULL, **envp, *asan;
    GError *gerr = NULL;
    GPid pid;
    int ofd, efd, status = 0;
    GString *o = g_string_new(NULL), *e = g_string_new(NULL);
    bool oopen = true, eopen = true;
    gint64 deadline = g_get_monotonic_time() + QTEST_TIMEOUT_MS * 1000LL;

    if (!g_shell_parse_argv(cmd, NULL, &argv, &gerr)) {
        g_error("bad arguments '%s': %s", cmd, gerr->message);
    }
    /* Error paths leave through exit(), where LeakSanitizer would report
     * every live allocation; memory errors are still reported. */
    envp = g_get_environ();
    asan = g_strconcat(g_environ_getenv(envp, "ASAN_OPTIONS") ?: "",
                       ":detect_leaks=0", NULL);
    envp = g_environ_setenv(envp, "ASAN_OPTIONS", asan, true);
    if (!g_spawn_async_with_pipes(NULL, argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                  NULL, NULL, &pid, NULL, &ofd, &efd, &gerr)) {
        g_error("cannot run '%s': %s", cmd, gerr->message);
    }
    g_strfreev(envp);
    g_free(asan);
    while (oopen || eopen) {
        struct pollfd pfd[2] = {
            { .fd = oopen ? ofd : -1, .events = POLLIN },
            { .fd = eopen ? efd : -1, .events = POLLIN },
        };
        int left = (deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0) {
            kill(pid, SIGKILL);
            break;
        }
        if (poll(pfd, 2, left) <= 0) {
            continue;
        }
        if (pfd[0].revents) {
            drain_fd(ofd, o, &oopen);
        }
        if (pfd[1].revents) {
            drain_fd(efd, e, &eopen);
        }
    }
    close(ofd);
    close(efd);
    waitpid(pid, &status, 0);
    g_strfreev(argv);
    g_free(cmd);
    if (out) {
        *out = g_string_free(o, false);
    } else {
        g_string_free(o, true);
    }
    if (err) {
        *err = g_string_free(e, false);
    } else {
        g_string_free(e, true);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}
