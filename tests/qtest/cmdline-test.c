/*
 * Command-line tests for every turtle-system-* executable: the help
 * options succeed with the expected text; bad input gives exactly one
 * error line naming the culprit and exit status 1, never a crash.
 *
 * Executables: $TURTLE_BINARIES (colon-separated), else $TURTLE_BINARY.
 */
#include "libqtest.h"

#include <string.h>

typedef struct Case {
    const char *name;
    const char *args;
    const char *expect;       /* in stdout (good) or the error line (bad) */
} Case;

static const Case good_cases[] = {
    { "version", "-version", "version" },
    { "help", "-help", "-device" },
    { "machine-help", "-M help", "none" },
    { "cpu-help", "-cpu help", "" },
    { "device-help", "-device help", "pl011" },
    { "device-pl011-help", "-device pl011,help", "chardev" },
    { "device-isa-serial-help", "-device isa-serial,help", "iobase" },
    { "accel-help", "-accel help", "qtest" },
    { "log-help", "-d help", "guest_errors" },
    { "chardev-help", "-chardev help", "socket" },
    { "netdev-help", "-netdev help", "user" },
};

/* "-accel qtest" so nothing depends on which accelerators are built */
#define NONE "-M none -accel qtest -display none -nodefaults "

static const Case bad_cases[] = {
    { "unknown-option", "-nosuchoption", "nosuchoption" },
    { "unknown-machine", "-M nosuch", "nosuch" },
    { "unknown-device", NONE "-device nosuch", "nosuch" },
    { "unknown-property", NONE "-device pl011,nosuch=1", "nosuch" },
    { "bad-property-value", NONE "-device pl011,clock-frequency=abc",
      "clock-frequency" },
    { "missing-chardev", NONE "-device pl011,chardev=nosuch", "nosuch" },
    { "serial-index", NONE "-device isa-serial,index=7", "index" },
    { "serial-irq", NONE "-device isa-serial,irq=16", "irq" },
    { "ram-zero", NONE "-m 0", "-m" },
    { "smp-too-many", NONE "-smp 99", "99" },
    { "missing-kernel", NONE "-kernel /nonexistent/vmlinuz",
      "/nonexistent/vmlinuz" },
    { "unknown-log-item", "-d nosuch", "nosuch" },
    { "unknown-chardev-backend", NONE "-chardev nosuch,id=c0", "nosuch" },
    { "chardev-without-id", NONE "-chardev socket,path=/tmp/x", "id" },
    { "qtest-no-server", NONE "-qtest unix:/nonexistent/qtest.sock",
      "/nonexistent/qtest.sock" },
    { "netdev-unknown-option", NONE "-netdev user,id=n0,nosuch=1",
      "nosuch" },
    { "netdev-unknown-type", NONE "-netdev nosuch,id=n0", "nosuch" },
    { "netdev-duplicate-id", NONE "-netdev user,id=n0 -netdev user,id=n0",
      "Duplicate ID 'n0'" },
    { "netdev-without-id", NONE "-netdev user", "'id'" },
    { "netdev-bad-hostfwd", NONE "-netdev user,id=n0,hostfwd=tcp::x-:22",
      "tcp::x-:22" },
    { "netdev-host-outside-net", NONE "-netdev user,id=n0,net=10.1.0.0/16,"
      "host=10.2.0.2", "10.2.0.2" },
    { "nic-unknown-model", NONE "-nic user,model=nosuch", "nosuch" },
    { "netdev-in-use", NONE "-netdev user,id=n0 -net nic,netdev=n0 "
      "-net nic,netdev=n0", "n0" },
    { "tap-bad-fd", NONE "-netdev tap,id=t0,fd=9999", "fd=9999" },
    { "tap-ifname-too-long", NONE "-netdev tap,id=t0,ifname=abcdefghijklmnopq,"
      "script=no", "abcdefghijklmnopq" },
    { "filter-dump-no-netdev", NONE "-object filter-dump,id=f0,netdev=nosuch,"
      "file=/dev/null", "nosuch" },
    { "filter-dump-bad-file", NONE "-netdev user,id=n0 -object filter-dump,"
      "id=f0,netdev=n0,file=/nonexistent/d.pcap", "/nonexistent/d.pcap" },
    { "dumpdtb-without-tree", "-M none,dumpdtb=/tmp/x.dtb -accel qtest "
      "-display none -nodefaults", "no device tree" },
};

typedef struct TestData {
    const char *binary;
    const Case *c;
} TestData;

static void test_good(const void *opaque)
{
    const TestData *d = opaque;
    char *out = NULL, *err = NULL;
    int status = qtest_run(d->binary, d->c->args, &out, &err);

    if (status != 0 || !strstr(out, d->c->expect)) {
        g_test_message("%s %s: status %d\nstdout: %s\nstderr: %s", d->binary,
                       d->c->args, status, out, err);
    }
    g_assert_cmpint(status, ==, 0);
    g_assert_nonnull(strstr(out, d->c->expect));
    g_assert_cmpuint(strlen(out), >, 0);
    g_assert_cmpstr(err, ==, "");
    g_free(out);
    g_free(err);
}

static void test_bad(const void *opaque)
{
    const TestData *d = opaque;
    char *out = NULL, *err = NULL;
    int status = qtest_run(d->binary, d->c->args, &out, &err);
    int lines = 0;

    for (const char *p = err; *p; p++) {
        lines += *p == '\n';
    }
    g_test_message("%s %s: status %d, stderr: %s", d->binary, d->c->args,
                   status, err);
    g_assert_cmpint(status, ==, 1);            /* not a signal (128 + n) */
    g_assert_cmpint(lines, ==, 1);
    g_assert_nonnull(strstr(err, d->c->expect));
    g_assert_null(strstr(err, "AddressSanitizer"));
    g_free(out);
    g_free(err);
}

static void add_tests(const char *binary)
{
    char *base = g_path_get_basename(binary);
    const char *arch = g_str_has_prefix(base, "turtle-system-")
                       ? base + strlen("turtle-system-") : base;

    for (unsigned i = 0; i < G_N_ELEMENTS(good_cases); i++) {
        TestData *d = g_new0(TestData, 1);
        char *path = g_strdup_printf("/cmdline/%s/good/%s", arch,
                                     good_cases[i].name);
        d->binary = binary;
        d->c = &good_cases[i];
        g_test_add_data_func_full(path, d, test_good, g_free);
        g_free(path);
    }
    for (unsigned i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        TestData *d = g_new0(TestData, 1);
        char *path = g_strdup_printf("/cmdline/%s/bad/%s", arch,
                                     bad_cases[i].name);
        d->binary = binary;
        d->c = &bad_cases[i];
        g_test_add_data_func_full(path, d, test_bad, g_free);
        g_free(path);
    }
    g_free(base);
}

int main(int argc, char **argv)
{
    const char *list = getenv("TURTLE_BINARIES");
    static char **bins;       /* the tests keep pointers into it */

    g_test_init(&argc, &argv, NULL);
    /* report every failing case, not only the first */
    g_test_set_nonfatal_assertions();
    bins = g_strsplit(list && *list ? list : qtest_binary(), ":", -1);
    for (int i = 0; bins[i]; i++) {
        if (*bins[i]) {
            add_tests(bins[i]);
        }
    }
    return g_test_run();
}
