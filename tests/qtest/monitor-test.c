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
#include "libmonitor.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

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
                 "-qmp unix:%1$s/qmp.sock,server=on,wait=off", false);
    hmp_path = turtle_path(&t, "hmp.sock");
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
    {
        gint64 at = g_get_monotonic_time();
        kill(t.pid, SIGTERM);
        g_assert_cmpint(turtle_wait(&t, 10000), ==, 0);
        g_test_message("SIGTERM with a stuck client: exit after %.0f ms",
                       (g_get_monotonic_time() - at) / 1e3);
    }
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
 * A human monitor client that floods commands and never reads, with no
 * events to overflow its buffer: once none of its output has been taken
 * for the stall time (shortened here from 30 s) it is disconnected, and
 * its socket serves the next client.
 */
static void test_stalled_client_dropped(void)
{
    Turtle t = { 0 };
    GString *cmds = g_string_new(NULL);
    g_autofree char *log_path = NULL;
    g_autofree char *log = NULL;
    g_autofree char *hmp_path = NULL;
    gint64 deadline;
    char *out;
    QMPClient q;
    int hmp;

    g_setenv("TURTLE_MONITOR_STALL_MS", "1000", true);
    turtle_start(&t, "-monitor unix:%1$s/hmp.sock,server=on,wait=off "
                 "-qmp unix:%1$s/qmp.sock,server=on,wait=off", true);
    g_unsetenv("TURTLE_MONITOR_STALL_MS");
    hmp_path = turtle_path(&t, "hmp.sock");
    hmp = qmp_unix_connect(hmp_path);
    q = qmp_open(&t, "qmp.sock");
    for (int i = 0; i < 300; i++) {
        g_string_append(cmds, "info mtree\n");
    }
    send_nonblocking(hmp, cmds->str, cmds->len);

    /* a hangup shows as readable; only look, never read */
    deadline = g_get_monotonic_time() + 4 * QMP_TIMEOUT_MS * 1000LL;
    for (;;) {
        struct pollfd pfd = { .fd = hmp, .events = 0 };

        if (poll(&pfd, 1, 100) > 0 && (pfd.revents & POLLHUP)) {
            break;
        }
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
    }
    assert_guest_runs(&q);
    close(hmp);

    hmp = hmp_open(&t, "hmp.sock");
    out = hmp_cmd(hmp, "info status");
    g_assert_cmpstr(out, ==, "VM status: running\r\n");
    g_free(out);
    qmp_ok(&q, "{\"execute\": \"quit\"}");
    g_assert_cmpint(turtle_wait(&t, 10000), ==, 0);
    log_path = turtle_path(&t, "stderr.log");
    g_assert_true(g_file_get_contents(log_path, &log, NULL, NULL));
    if (!strstr(log, "none taken for 1000 ms): disconnected")) {
        g_error("no warning about the stalled client: '%s'", log);
    }
    close(hmp);
    qmp_client_close(&q);
    g_string_free(cmds, true);
    turtle_cleanup(&t);
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
                 "-qmp unix:%1$s/qmp.sock,server=on,wait=off", false);
    flood_path = turtle_path(&t, "flood.sock");
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

    {
        gint64 at = g_get_monotonic_time();
        kill(t.pid, SIGINT);
        g_assert_cmpint(turtle_wait(&t, 10000), ==, 0);
        g_test_message("SIGINT with a flooding client: exit after %.0f ms",
                       (g_get_monotonic_time() - at) / 1e3);
    }
    close(flood);
    qmp_client_close(&q);
    g_string_free(cmds, true);
    turtle_cleanup(&t);
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
        "-monitor unix:%1$s/h3.sock,server=on,wait=off", false);

    /* the pretty one: indented, and not negotiated by the other */
    qp_path = turtle_path(&t, "qp.sock");
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

    /* quit: no prompt after it (as QEMU), the process ends */
    hmp_send(h3, "quit\n");
    g_assert_cmpint(turtle_wait(&t, 10000), ==, 0);
    {
        bool eof;
        GString *rest = read_all(h3, QMP_TIMEOUT_MS, &eof);
        g_assert_true(eof);
        g_assert_cmpstr(rest->str, ==, "quit\r\n");
        g_string_free(rest, true);
    }
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
    g_test_add_func("/monitor/stalled-client-dropped",
                    test_stalled_client_dropped);
    g_test_add_func("/monitor/several-clients", test_several_clients);
    g_test_add_func("/monitor/mon-option-errors", test_mon_option_errors);
    return g_test_run();
}
