/*
 * Nothing on the command line is silently ignored (issue 18 §2), on the
 * aarch64 virt board: -name does what QEMU's does (query-name, the
 * process's name, thread names with debug-threads=on); -cpu properties,
 * -smp topologies, -m slots/maxmem and -device of a device the board
 * cannot attach are accepted when turtle does what they ask and refused
 * otherwise, with one line naming the problem (QEMU's text where QEMU
 * refuses the same) and exit status 1.
 */
#include "libmonitor.h"
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

typedef struct Bad {
    const char *name;
    const char *args;
    const char *expect;         /* in the one error line */
} Bad;

#define VIRT "-M virt -display none -nodefaults "

static const Bad bad_cases[] = {
    { "name-unknown-key", VIRT "-name vm,bar=1", "'bar'" },
    { "name-debug-threads-value", VIRT "-name vm,debug-threads=maybe",
      "debug-threads" },
    { "cpu-unknown-property", VIRT "-cpu max,foo=bar",
      "CPU model 'max' has no property 'foo'" },
    { "cpu-pmu-off", VIRT "-cpu cortex-a57,pmu=off", "pmu=off" },
    { "cpu-sve-on", VIRT "-cpu max,+sve", "sve=on" },
    { "cpu-bad-value", VIRT "-cpu cortex-a72,aarch64=perhaps", "aarch64" },
    { "smp-product", VIRT "-smp 4,sockets=3",
      "product of the hierarchy must match maxcpus: sockets (3) * "
      "clusters (1) * cores (1) * threads (1) != maxcpus (4)" },
    { "smp-product-all-levels", VIRT "-smp 4,sockets=2,cores=2,threads=2",
      "!= maxcpus (4)" },
    { "smp-maxcpus", VIRT "-smp cpus=8,maxcpus=4",
      "maxcpus must be equal to or greater than smp: sockets (1) * "
      "clusters (1) * cores (4) * threads (1) == maxcpus (4) < smp_cpus (8)" },
    { "smp-dies", VIRT "-smp 2,dies=2",
      "dies not supported by this machine's CPU topology" },
    { "smp-clusters", VIRT "-smp 4,clusters=3", "clusters (3)" },
    { "smp-threads", VIRT "-smp 3,threads=2", "threads (2) != maxcpus (3)" },
    { "device-not-attachable", VIRT "-device pl011",
      "Parameter 'driver' expects a pluggable device type" },
    { "m-slots-without-maxmem", VIRT "-m 512M,slots=2",
      "slots specified but no max-size" },
    { "m-maxmem-below-size", VIRT "-m 512M,maxmem=256M",
      "must be at least the initial memory size (0x20000000)" },
    { "m-slots-no-room", VIRT "-m 512M,slots=2,maxmem=512M",
      "memory slots were specified" },
    { "m-hotplug-room", VIRT "-m 512M,maxmem=1G",
      "memory hotplug is not supported" },
};

static void test_bad(const void *opaque)
{
    const Bad *c = opaque;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = qtest_run(qtest_binary(), c->args, &out, &err);
    int lines = 0;

    for (const char *p = err; *p; p++) {
        lines += *p == '\n';
    }
    g_test_message("%s: status %d, stderr: %s", c->args, status, err);
    g_assert_cmpint(status, ==, 1);
    g_assert_cmpint(lines, ==, 1);
    g_assert_nonnull(strstr(err, c->expect));
}

/* turtle with extra args on the counter guest, and a QMP client */
static QMPClient start(Turtle *t, const char *extra)
{
    g_autofree char *fmt = g_strconcat("-qmp unix:%1$s/q.sock,server=on,"
                                       "wait=off ", extra, NULL);

    turtle_start(t, fmt, false);
    return qmp_open(t, "q.sock");
}

static void stop(Turtle *t, QMPClient *c)
{
    qmp_send_raw(c, "{\"execute\": \"quit\"}");
    g_assert_cmpint(turtle_wait(t, 10000), ==, 0);
    qmp_client_close(c);
    turtle_cleanup(t);
}

/* the names of turtle's threads, "\n"-separated */
static char *thread_names(Turtle *t)
{
    g_autofree char *dir = g_strdup_printf("/proc/%d/task", t->pid);
    GString *names = g_string_new(NULL);
    DIR *d = opendir(dir);
    struct dirent *e;

    g_assert_nonnull(d);
    while ((e = readdir(d))) {
        g_autofree char *path = NULL;
        g_autofree char *comm = NULL;

        if (e->d_name[0] == '.') {
            continue;
        }
        path = g_strdup_printf("%s/%s/comm", dir, e->d_name);
        if (g_file_get_contents(path, &comm, NULL, NULL)) {
            g_string_append(names, comm);
        }
    }
    closedir(d);
    return g_string_free(names, false);
}

static char *process_name(Turtle *t)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/comm", t->pid);
    char *comm = NULL;

    g_assert_true(g_file_get_contents(path, &comm, NULL, NULL));
    return comm;
}

static void assert_query_name(QMPClient *c, const char *want)
{
    JsonNode *a = qmp_cmd(c, "{\"execute\": \"query-name\"}");
    JsonObject *o = json_node_get_object(qmp_return(a));

    if (want) {
        g_assert_cmpstr(json_object_get_string_member(o, "name"), ==, want);
    } else {
        g_assert_false(json_object_has_member(o, "name"));
    }
    json_node_unref(a);
}

static void test_name(void)
{
    Turtle t;
    QMPClient c = start(&t, "-smp 2 -name guest=vm-one,process=tproc,"
                        "debug-threads=on");
    g_autofree char *threads = NULL;
    g_autofree char *comm = NULL;

    assert_query_name(&c, "vm-one");
    comm = process_name(&t);
    g_assert_cmpstr(comm, ==, "tproc\n");
    assert_guest_runs(&c);          /* the vCPU threads are running */
    threads = thread_names(&t);
    g_test_message("threads:\n%s", threads);
    g_assert_true(strstr(threads, "CPU 0/TCG\n") ||
                  strstr(threads, "ALL CPUs/TCG\n"));
    g_assert_true(strstr(threads, "CPU 1/TCG\n") ||
                  strstr(threads, "ALL CPUs/TCG\n"));
    stop(&t, &c);
}

/* the plain form: the name is the process's too; threads keep theirs */
static void test_name_plain(void)
{
    Turtle t;
    QMPClient c = start(&t, "-name myguest");
    g_autofree char *threads = NULL;
    g_autofree char *comm = NULL;

    assert_query_name(&c, "myguest");
    comm = process_name(&t);
    g_assert_cmpstr(comm, ==, "myguest\n");
    threads = thread_names(&t);
    g_assert_null(strstr(threads, "/TCG"));
    stop(&t, &c);
}

static void test_no_name(void)
{
    Turtle t;
    QMPClient c = start(&t, "");

    assert_query_name(&c, NULL);
    stop(&t, &c);
}

static unsigned cpu_count(QMPClient *c)
{
    JsonNode *a = qmp_cmd(c, "{\"execute\": \"query-cpus-fast\"}");
    unsigned n = json_array_get_length(json_node_get_array(qmp_return(a)));

    json_node_unref(a);
    return n;
}

/* what turtle can do is accepted and done */
static void test_accepted(void)
{
    static const struct {
        const char *args;
        unsigned cpus;
    } ok[] = {
        { "-smp 4,sockets=2", 4 },
        { "-smp sockets=2,cores=2,threads=1", 4 },
        { "-smp 2,clusters=2", 2 },
        { "-m 64M,maxmem=64M", 1 },
        { "-m 64M,slots=0,maxmem=64M", 1 },
        { "-cpu cortex-a57,aarch64=on,pmu=on,sve=off,-pauth", 1 },
        { "-cpu max,-sve", 1 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(ok); i++) {
        Turtle t;
        QMPClient c = start(&t, ok[i].args);

        g_test_message("%s", ok[i].args);
        g_assert_cmpuint(cpu_count(&c), ==, ok[i].cpus);
        assert_guest_runs(&c);
        stop(&t, &c);
    }
}

/*
 * -daemonize -pidfile, as libvirt starts turtle: the command returns once
 * the QMP socket listens, the pid file names the running process and is
 * locked (a second turtle with it fails), and it goes when turtle quits.
 */
static void test_daemonize(void)
{
    g_autofree char *dir = g_dir_make_tmp("cmdline-checks-XXXXXX", NULL);
    g_autofree char *pidfile = g_build_filename(dir, "t.pid", NULL);
    g_autofree char *sock = g_build_filename(dir, "q.sock", NULL);
    g_autofree char *args = g_strdup_printf(
        "-M none -accel tcg -display none -nodefaults -nographic -S "
        "-no-user-config -daemonize -pidfile %s "
        "-qmp unix:%s,server=on,wait=off", pidfile, sock);
    g_autofree char *out = NULL, *err = NULL, *text = NULL;
    g_autofree char *out2 = NULL, *err2 = NULL;
    QMPClient c;
    int pid;

    g_assert_cmpint(qtest_run(qtest_binary(), args, &out, &err), ==, 0);
    g_assert_true(g_file_get_contents(pidfile, &text, NULL, NULL));
    pid = atoi(text);
    g_assert_cmpint(pid, >, 1);
    g_assert_cmpint(kill(pid, 0), ==, 0);
    /* already listening when the command returned */
    qmp_client_init(&c, qmp_unix_connect(sock));
    qmp_assert_greeting(&c);
    qmp_negotiate(&c);
    /* the same pid file again: refused, the first keeps running */
    g_assert_cmpint(qtest_run(qtest_binary(), args, &out2, &err2), ==, 1);
    g_assert_nonnull(strstr(err2, "cannot lock PID file"));
    g_assert_cmpint(kill(pid, 0), ==, 0);
    qmp_send_raw(&c, "{\"execute\": \"quit\"}");
    for (int i = 0; i < 500 && kill(pid, 0) == 0; i++) {
        g_usleep(10 * 1000);
    }
    g_assert_cmpint(kill(pid, 0), ==, -1);
    g_assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
    qmp_client_close(&c);
    unlink(sock);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        g_autofree char *path = g_strdup_printf("/cmdline-checks/bad/%s",
                                                bad_cases[i].name);
        g_test_add_data_func(path, &bad_cases[i], test_bad);
    }
    g_test_add_func("/cmdline-checks/name", test_name);
    g_test_add_func("/cmdline-checks/name-plain", test_name_plain);
    g_test_add_func("/cmdline-checks/no-name", test_no_name);
    g_test_add_func("/cmdline-checks/accepted", test_accepted);
    g_test_add_func("/cmdline-checks/daemonize", test_daemonize);
    return g_test_run();
}
