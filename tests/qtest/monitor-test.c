/*
 * The monitor survives its clients: a client that never reads its output
 * must not stall the VM, the other clients, SIGTERM/SIGINT or quit.
 *
 * Regressions for what froze turtle: 300 "info mtree" sent to the human
 * monitor without reading (monitor output was a blocking write in the
 * main loop), and an idle, negotiated QMP client while another one runs
 * stop/cont in a loop (its event backlog filled, then the same).
 *
 * The guest that must keep running is a 5-instruction arm64 "Image" that
 * increments a word of RAM forever, under TCG.
 */
#include "libqtest.h"
#include "libqmp.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define HMP_PROMPT "(qemu) "
#define XP_COUNTER "xp /1xw 0x41000000"

typedef struct Turtle {
    GPid pid;
    char *dir;
} Turtle;

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

/* turtle dies with the test, even when the test fails or is killed */
static void child_setup(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static char *tpath(Turtle *t, const char *name)
{
    return g_build_filename(t->dir, name, NULL);
}

/* Start turtle on the counter guest with extra arguments (a format whose
 * %1$s is the private directory for sockets). */
static void turtle_start(Turtle *t, const char *extra_fmt)
{
    g_autofree char *img = NULL;
    g_autofree char *extra = NULL;
    g_autofree char *cmd = NULL;
    g_auto(GStrv) argv = NULL;
    GError *err = NULL;

    t->dir = g_dir_make_tmp("monitor-test-XXXXXX", NULL);
    g_assert_nonnull(t->dir);
    img = tpath(t, "counter.img");
    write_counter_image(img);
    extra = g_strdup_printf(extra_fmt, t->dir);
    cmd = g_strdup_printf("%s -M virt -m 64 -accel tcg -display none "
                          "-nodefaults -kernel %s %s", qtest_binary(), img,
                          extra);
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    if (!g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                       child_setup, NULL, &t->pid, &err)) {
        g_error("cannot start turtle: %s", err->message);
    }
}

/* Wait for the exit (at most timeout_ms); returns the exit status. */
static int turtle_wait(Turtle *t, int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000LL;
    int status;

    while (waitpid(t->pid, &status, WNOHANG) == 0) {
        if (g_get_monotonic_time() > deadline) {
            kill(t->pid, SIGKILL);
            waitpid(t->pid, &status, 0);
            g_error("turtle did not exit within %d ms", timeout_ms);
        }
        g_usleep(10 * 1000);
    }
    g_assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void turtle_cleanup(Turtle *t)
{
    GDir *d = g_dir_open(t->dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = tpath(t, name);
        unlink(p);
    }
    if (d) {
        g_dir_close(d);
    }
    rmdir(t->dir);
    g_free(t->dir);
}

static QMPClient qmp_open(Turtle *t, const char *sock)
{
    g_autofree char *path = tpath(t, sock);
    QMPClient c = { .fd = -1 };

    qmp_client_init(&c, qmp_unix_connect(path));
    qmp_assert_greeting(&c);
    qmp_negotiate(&c);
    return c;
}

/* A command that must succeed. */
static void qmp_ok(QMPClient *c, const char *cmd)
{
    JsonNode *a = qmp_cmd(c, cmd);

    qmp_return(a);
    json_node_unref(a);
}

static uint32_t guest_counter(QMPClient *c)
{
    g_autofree char *out = qmp_hmp(c, XP_COUNTER);
    const char *v = strstr(out, ": 0x");

    if (!v) {
        g_error("unexpected xp output '%s'", out);
    }
    return strtoul(v + 2, NULL, 16);
}

/* The guest runs: its counter moves. */
static void assert_guest_runs(QMPClient *c)
{
    uint32_t a = guest_counter(c);
    gint64 deadline = g_get_monotonic_time() + QMP_TIMEOUT_MS * 1000LL;

    while (guest_counter(c) == a) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_usleep(20 * 1000);
    }
}

/* Send without ever blocking the test; returns bytes sent (the rest did
 * not fit: turtle stopped reading). */
static size_t send_nonblocking(int fd, const char *buf, size_t len)
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

/* Read until the peer closes or timeout_ms passes; returns what came. */
static GString *read_all(int fd, int timeout_ms, bool *eof)
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

static unsigned count_of(const char *hay, const char *needle)
{
    unsigned n = 0;

    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) {
        n++;
    }
    return n;
}

/*
 * 300 "info mtree" without reading: the human monitor stops reading that
 * client once its output is backed up, while the guest, QMP and SIGTERM
 * go on; when the client reads at last, nothing of its output is lost.
 */
static void test_hmp_never_reads(void)
{
    Turtle t = { 0 };
    g_autofree char *hmp_path = NULL;
    GString *cmds = g_string_new(NULL);
    GString *out = g_string_new(NULL);
    QMPClient q;
    int hmp;
    size_t sent;

    turtle_start(&t, "-monitor unix:%1$s/hmp.sock,server=on,wait=off "
                 "-qmp unix:%1$s/qmp.sock,server=on,wait=off");
    hmp_path = tpath(&t, "hmp.sock");
    hmp = qmp_unix_connect(hmp_path);
    q = qmp_open(&t, "qmp.sock");

    for (int i = 0; i < 300; i++) {
        g_string_append(cmds, "info mtree\n");
    }
    sent = send_nonblocking(hmp, cmds->str, cmds->len);

    /* everything else goes on while that client's output is stuck */
    assert_guest_runs(&q);
    qmp_ok(&q, "{\"execute\": \"query-status\"}");
    qmp_assert_empty_return(qmp_cmd(&q, "{\"execute\": \"stop\"}"));
    qmp_assert_empty_return(qmp_cmd(&q, "{\"execute\": \"cont\"}"));
    assert_guest_runs(&q);

    /* the client reads at last: all of it, the rest of its commands too */
    while (count_of(out->str, HMP_PROMPT) < 301) {
        bool eof;
        GString *more;

        if (sent < cmds->len) {
            sent += send_nonblocking(hmp, cmds->str + sent, cmds->len - sent);
        }
        more = read_all(hmp, 200, &eof);
        g_assert_false(eof);
        if (!more->len && sent == cmds->len) {
            g_string_free(more, true);
            g_error("HMP output stopped after %u prompts",
                    count_of(out->str, HMP_PROMPT));
        }
        g_string_append_len(out, more->str, more->len);
        g_string_free(more, true);
    }
    g_assert_cmpuint(count_of(out->str, "address-space: memory"), ==, 300);

    /* stuck again, then SIGTERM: a clean exit, promptly */
    send_nonblocking(hmp, cmds->str, cmds->len);
    assert_guest_runs(&q);
    kill(t.pid, SIGTERM);
    g_assert_cmpint(turtle_wait(&t, 10000), ==, 0);
    close(hmp);
    qmp_client_close(&q);
    g_string_free(cmds, true);
    g_string_free(out, true);
    turtle_cleanup(&t);
}

/*
 * An idle, negotiated QMP client that never reads while another runs
 * thousands of stop/cont: its event backlog is bounded, it is then
 * disconnected (its socket serves the next client), and the active
 * client never waits.  Runs under qtest: stop/cont without vCPUs to
 * pause is fast.
 */
static void test_qmp_idle_client_events(void)
{
    g_autofree char *dir = g_dir_make_tmp("monitor-test-XXXXXX", NULL);
    g_autofree char *a_path = g_build_filename(dir, "a.sock", NULL);
    g_autofree char *b_path = g_build_filename(dir, "b.sock", NULL);
    QTestState *qts = qtest_initf("-qmp unix:%s,server=on,wait=off "
                                  "-qmp unix:%s,server=on,wait=off",
                                  a_path, b_path);
    QMPClient a = { .fd = -1 }, b = { .fd = -1 };
    GString *batch = g_string_new(NULL);
    GString *rest;
    bool eof = false;
    int pairs = 0;

    qmp_client_init(&a, qmp_unix_connect(a_path));
    qmp_assert_greeting(&a);
    qmp_negotiate(&a);
    qmp_client_init(&b, qmp_unix_connect(b_path));
    qmp_assert_greeting(&b);
    qmp_negotiate(&b);

    for (int i = 0; i < 100; i++) {
        g_string_append(batch, "{\"execute\": \"stop\"}"
                        "{\"execute\": \"cont\"}");
    }
    /* until a is dropped: 1 MiB of ~110-byte events is about 5000 pairs */
    while (pairs < 20000) {
        struct pollfd pfd = { .fd = a.fd, .events = POLLIN };
        int answers = 0;

        qmp_send_raw(&b, batch->str);
        while (answers < 200) {
            JsonNode *n = qmp_recv(&b);
            g_assert_nonnull(n);
            if (!json_object_has_member(json_node_get_object(n), "event")) {
                qmp_return(n);
                answers++;
            }
            json_node_unref(n);
        }
        pairs += 100;
        /* a hangup shows as readable; only look, never read */
        if (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLHUP)) {
            break;
        }
    }
    /* a gets what was buffered, then end of file */
    rest = read_all(a.fd, QMP_TIMEOUT_MS, &eof);
    g_assert_true(eof);
    g_assert_cmpuint(rest->len, >, 0);
    g_test_message("idle client dropped after %d stop/cont pairs, %zu bytes "
                   "read after", pairs, rest->len);
    g_assert_cmpint(pairs, <, 20000);
    g_string_free(rest, true);
    qmp_client_close(&a);

    /* its socket takes a new client, which negotiates afresh */
    qmp_client_init(&a, qmp_unix_connect(a_path));
    qmp_assert_greeting(&a);
    qmp_negotiate(&a);
    qmp_ok(&a, "{\"execute\": \"query-status\"}");

    /* quit from b takes effect */
    qmp_assert_empty_return(qmp_cmd(&b, "{\"execute\": \"quit\"}"));
    qmp_client_close(&a);
    qmp_client_close(&b);
    qtest_quit(qts);
    g_string_free(batch, true);
    unlink(a_path);
    unlink(b_path);
    rmdir(dir);
}

/*
 * A QMP client floods requests and never reads: it is simply not read any
 * more once its replies back up; the guest runs, and SIGINT ends turtle.
 */
static void test_qmp_flood_sigint(void)
{
    Turtle t = { 0 };
    g_autofree char *flood_path = NULL;
    GString *cmds = g_string_new(NULL);
    QMPClient q;
    int flood;
    size_t sent;

    turtle_start(&t, "-qmp unix:%1$s/flood.sock,server=on,wait=off "
                 "-qmp unix:%1$s/qmp.sock,server=on,wait=off");
    flood_path = tpath(&t, "flood.sock");
    flood = qmp_unix_connect(flood_path);
    q = qmp_open(&t, "qmp.sock");

    g_string_append(cmds, "{\"execute\": \"qmp_capabilities\"}");
    for (int i = 0; i < 20000; i++) {
        g_string_append(cmds, "{\"execute\": \"query-commands\"}");
    }
    sent = send_nonblocking(flood, cmds->str, cmds->len);
    g_assert_cmpuint(sent, <, cmds->len);   /* turtle stopped reading it */
    assert_guest_runs(&q);
    qmp_ok(&q, "{\"execute\": \"query-status\"}");

    kill(t.pid, SIGINT);
    g_assert_cmpint(turtle_wait(&t, 10000), ==, 0);
    close(flood);
    qmp_client_close(&q);
    g_string_free(cmds, true);
    turtle_cleanup(&t);
}

/* Read an HMP client's output up to and including its next prompt. */
static char *hmp_read_prompt(int fd)
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

static int hmp_open(Turtle *t, const char *sock)
{
    g_autofree char *path = tpath(t, sock);
    int fd = qmp_unix_connect(path);
    g_autofree char *banner = hmp_read_prompt(fd);

    g_assert_nonnull(strstr(banner, "monitor - type 'help' for more "
                            "information"));
    return fd;
}

static void hmp_send(int fd, const char *text)
{
    g_assert_cmpuint(send_nonblocking(fd, text, strlen(text)), ==,
                     strlen(text));
}

/* Run a command line; returns what it printed (the echo removed). */
static char *hmp_cmd(int fd, const char *line)
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

/*
 * Several monitors at once, each its own client: -qmp, -monitor and -mon
 * (control with pretty=on, and readline) on -chardev sockets.  Negotiation,
 * partial lines and connections over time are per client; events reach
 * every QMP client, each in its own format.
 */
static void test_several_clients(void)
{
    Turtle t = { 0 };
    QMPClient q = { .fd = -1 }, qp = { .fd = -1 };
    g_autofree char *qp_path = NULL;
    char *out;
    JsonNode *ev;
    char raw[8];
    int h1, h2, h3;

    turtle_start(&t,
        "-chardev socket,id=qc,path=%1$s/qp.sock,server=on,wait=off "
        "-mon chardev=qc,mode=control,pretty=on "
        "-chardev socket,id=h1,path=%1$s/h1.sock,server=on,wait=off "
        "-mon chardev=h1 "
        "-chardev socket,id=h2,path=%1$s/h2.sock,server=on,wait=off "
        "-mon h2,mode=readline "
        "-qmp unix:%1$s/q.sock,server=on,wait=off "
        "-monitor unix:%1$s/h3.sock,server=on,wait=off");

    /* the pretty one: indented, and not negotiated by the other */
    qp_path = tpath(&t, "qp.sock");
    qmp_client_init(&qp, qmp_unix_connect(qp_path));
    g_assert_cmpuint(qtest_socket_read(qp.fd, raw, 7, QMP_TIMEOUT_MS), ==, 7);
    g_assert_cmpmem(raw, 7, "{\r\n    \"", 7);
    g_string_append_len(qp.rx, raw, 7);
    qmp_assert_greeting(&qp);
    q = qmp_open(&t, "q.sock");
    qmp_assert_error(qmp_cmd(&qp, "{\"execute\": \"query-status\"}"),
                     "CommandNotFound", "qmp_capabilities");
    qmp_negotiate(&qp);

    /* three human monitors, with a half-typed line in one of them */
    h1 = hmp_open(&t, "h1.sock");
    h2 = hmp_open(&t, "h2.sock");
    h3 = hmp_open(&t, "h3.sock");
    hmp_send(h1, "info sta");
    out = hmp_cmd(h2, "info status");
    g_assert_cmpstr(out, ==, "VM status: running\r\n");
    g_free(out);
    out = hmp_cmd(h1, "tus");
    g_assert_cmpstr(out, ==, "VM status: running\r\n");
    g_free(out);

    /* stop from one HMP: every QMP client hears it */
    out = hmp_cmd(h3, "stop");
    g_assert_cmpstr(out, ==, "");
    g_free(out);
    qmp_wait_event(&q, "STOP", &ev);
    json_node_unref(ev);
    qmp_wait_event(&qp, "STOP", &ev);
    json_node_unref(ev);
    out = hmp_cmd(h1, "info status");
    g_assert_cmpstr(out, ==, "VM status: paused\r\n");
    g_free(out);
    qmp_assert_empty_return(qmp_cmd(&qp, "{\"execute\": \"cont\"}"));
    qmp_wait_event(&q, "RESUME", &ev);
    json_node_unref(ev);
    assert_guest_runs(&q);

    /* connections over time: a new client starts afresh */
    hmp_send(h2, "xyz");
    close(h2);
    h2 = hmp_open(&t, "h2.sock");
    out = hmp_cmd(h2, "info status");
    g_assert_cmpstr(out, ==, "VM status: running\r\n");
    g_free(out);
    qmp_client_close(&qp);
    qmp_client_init(&qp, qmp_unix_connect(qp_path));
    qmp_assert_greeting(&qp);
    qmp_assert_error(qmp_cmd(&qp, "{\"execute\": \"stop\"}"),
                     "CommandNotFound", "qmp_capabilities");

    out = hmp_cmd(h3, "quit");
    g_free(out);
    g_assert_cmpint(turtle_wait(&t, 10000), ==, 0);
    close(h1);
    close(h2);
    close(h3);
    qmp_client_close(&q);
    qmp_client_close(&qp);
    turtle_cleanup(&t);
}

/* -mon: every mistake is one clear line and exit status 1 */
static void test_mon_option_errors(void)
{
    static const struct {
        const char *args, *msg;
    } cases[] = {
        { "-mon mode=control", "chardev=ID is required" },
        { "-mon nosuch", "no -chardev with id 'nosuch'" },
        { "-chardev null,id=n -mon n,mode=qmp", "mode 'qmp'" },
        { "-chardev null,id=n -mon n,pretty=on", "pretty=on is for "
          "mode=control" },
        { "-chardev null,id=n -mon n,bogus=1", "bogus" },
        { "-chardev null,id=n -mon n -mon n,mode=control", "already in use" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *args = g_strdup_printf("-M none -display none "
                                                "-nodefaults %s",
                                                cases[i].args);
        g_autofree char *err = NULL;
        int status = qtest_run(qtest_binary(), args, NULL, &err);

        g_assert_cmpint(status, ==, 1);
        if (!strstr(err, cases[i].msg)) {
            g_error("'%s': '%s' lacks '%s'", cases[i].args, err,
                    cases[i].msg);
        }
        g_assert_cmpint(count_of(err, "\n"), ==, 1);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    signal(SIGPIPE, SIG_IGN);
    g_test_add_func("/monitor/hmp-client-never-reads", test_hmp_never_reads);
    g_test_add_func("/monitor/qmp-idle-client-events",
                    test_qmp_idle_client_events);
    g_test_add_func("/monitor/qmp-flood-sigint", test_qmp_flood_sigint);
    g_test_add_func("/monitor/several-clients", test_several_clients);
    g_test_add_func("/monitor/mon-option-errors", test_mon_option_errors);
    return g_test_run();
}
