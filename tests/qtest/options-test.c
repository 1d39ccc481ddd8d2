/*
 * The option walk (issue 18 §2): every option -help lists (it is printed
 * from the option table, softmmu/options.c) must have a case here that
 * exercises it, and every option the table names as "not in this version"
 * must be refused with the one error line.  An option added to the table
 * without a case here fails /options/ARCH/walk.
 *
 * A case either starts a machine with the option (RUN: the qtest handshake
 * happens after the last device was created, so the option went through
 * start-up) or runs the executable to its exit (EXIT: help output, or an
 * error that only the option's own handler can have caused: a file it
 * names, a key it checks).  What the options do is tested where they are
 * implemented (cmdline-test, qmp-test, pc-boot-test, ...).
 *
 * Executables: $TURTLE_BINARIES (colon-separated), else $TURTLE_BINARY.
 */
#include "libqtest.h"

#include <string.h>

#define NONE "-M none -accel qtest -display none -nodefaults "

typedef enum { RUN, EXIT } Mode;

typedef struct Case {
    const char *option;         /* as -help names it, without '-' */
    Mode mode;
    const char *args;
    int status;                 /* EXIT: 0 (output on stdout) or 1 */
    const char *expect;         /* EXIT: in stdout (0) or the error (1) */
} Case;

static const Case cases[] = {
    { "help", EXIT, "-help", 0, "QEMU options not in this version" },
    { "h", EXIT, "-h", 0, "usage:" },
    { "version", EXIT, "-version", 0, "version" },
    { "machine", EXIT, "-machine none,help", 0, "none options" },
    { "M", EXIT, "-M help", 0, "none" },
    { "cpu", EXIT, NONE "-cpu nosuchcpu", 1, "nosuchcpu" },
    { "accel", EXIT, "-accel help", 0, "qtest" },
    /* KVM or not, the line is read up to the board */
    { "enable-kvm", EXIT, "-enable-kvm -M none,dumpdtb=/nonexistent/x.dtb "
      "-display none -nodefaults", 1, "" },
    { "smp", RUN, "-smp 1,maxcpus=1" },
    { "smp", EXIT, "-smp help", 0, "maxcpus=<number>" },
    { "smp", EXIT, NONE "-smp cpus=x", 1, "-smp: cpus='x': expected a number" },
    { "m", RUN, "-m size=64M" },
    { "m", EXIT, NONE "-m 64M,nosuch=1", 1, "-m: unknown option 'nosuch'" },
    { "name", RUN, "-name guest0" },
    { "no-user-config", RUN, "-no-user-config" },
    /* -pidfile and -daemonize at work: tests/qtest/cmdline-checks-test.c */
    { "pidfile", EXIT, NONE "-pidfile /nonexistent/dir/t.pid", 1,
      "cannot create PID file" },
    { "daemonize", EXIT, "-M none -accel qtest -daemonize -nographic", 1,
      "-nographic cannot be used with -daemonize" },
    { "S", RUN, "-S" },
    { "no-reboot", RUN, "-no-reboot" },
    { "no-shutdown", RUN, "-no-shutdown" },
    { "kernel", EXIT, NONE "-kernel /nonexistent/k", 1, "/nonexistent/k" },
    { "initrd", EXIT, NONE "-initrd /nonexistent/i", 1,
      "-initrd only allowed with -kernel" },
    { "append", EXIT, NONE "-append console=ttyS0", 1,
      "-append only allowed with -kernel" },
    { "dtb", EXIT, NONE "-dtb /nonexistent/d", 1, "/nonexistent/d" },
    { "bios", EXIT, NONE "-bios /nonexistent/b", 1, "/nonexistent/b" },
    { "boot", EXIT, NONE "-boot order=c", 1, "no firmware boot order" },
    { "boot", EXIT, NONE "-boot menu=maybe", 1,
      "-boot: menu='maybe': expected on or off" },
    { "boot", EXIT, "-boot help", 0, "reboot-timeout=<number>" },
    { "acpitable", EXIT, NONE "-acpitable data=/nonexistent/t", 1,
      "no ACPI tables" },
    { "acpitable", EXIT, NONE "-acpitable sig=ABCD,bad=1", 1,
      "-acpitable: unknown option 'bad'" },
    { "semihosting", RUN, "-semihosting" },
    { "semihosting-config", RUN, "-semihosting-config enable=on,target=native" },
    { "semihosting-config", EXIT, NONE "-semihosting-config target=gdb", 1,
      "target='gdb'" },
    { "device", EXIT, "-device help", 0, "pl011" },
    { "chardev", RUN, "-chardev null,id=c0" },
    { "serial", RUN, "-serial null" },
    { "monitor", RUN, "-monitor null" },
    { "qmp", RUN, "-qmp null" },
    { "qmp-pretty", RUN, "-qmp-pretty null" },
    { "mon", RUN, "-chardev null,id=m0 -mon m0,mode=control,pretty=on" },
    { "mon", EXIT, NONE "-mon m0,pretty=maybe", 1, "pretty='maybe'" },
    { "nographic", RUN, "-nographic" },
    { "display", RUN, "-display none" },
    { "display", EXIT, NONE "-display nosuchui", 1, "nosuchui" },
    { "nodefaults", RUN, "-nodefaults" },
    { "drive", EXIT, NONE "-drive file=/nonexistent/d.img,if=none", 1,
      "/nonexistent/d.img" },
    { "blockdev", EXIT, NONE "-blockdev driver=file,node-name=n0,"
      "filename=/nonexistent/b.img", 1, "/nonexistent/b.img" },
    { "hda", EXIT, NONE "-hda /nonexistent/a.img", 1, "/nonexistent/a.img" },
    { "hdb", EXIT, NONE "-hdb /nonexistent/b.img", 1, "/nonexistent/b.img" },
    { "hdc", EXIT, NONE "-hdc /nonexistent/c.img", 1, "/nonexistent/c.img" },
    { "hdd", EXIT, NONE "-hdd /nonexistent/d.img", 1, "/nonexistent/d.img" },
    { "snapshot", RUN, "-snapshot" },
    { "netdev", RUN, "-netdev user,id=n0,restrict=on" },
    { "netdev", EXIT, "-netdev help", 0, "user" },
    { "netdev", EXIT, NONE "-netdev user,id=n0,nosuch=1", 1, "nosuch" },
    { "nic", RUN, "-nic none" },
    { "nic", EXIT, NONE "-nic user,model=nosuch", 1, "nosuch" },
    { "net", RUN, "-net user" },
    { "object", RUN, "-netdev user,id=n0 -object filter-dump,id=f0,"
      "netdev=n0,file=/dev/null" },
    { "object", EXIT, NONE "-object memory-backend-ram,id=m0", 1,
      "memory-backend-ram" },
    { "net", EXIT, NONE "-net nic,vlan=1", 1, "vlan" },
    { "loadvm", EXIT, NONE "-loadvm s1", 1,
      "No block device can accept snapshots" },
    { "incoming", EXIT, NONE "-incoming nosuch:x", 1,
      "migration: unknown URI 'nosuch:x'" },
    { "d", RUN, "-d guest_errors" },
    { "D", RUN, "-D /dev/null" },
    { "gdb", RUN, "-gdb tcp:127.0.0.1:0" },
    { "gdb", EXIT, NONE "-gdb unix:/nonexistent/g.sock", 1,
      "/nonexistent/g.sock" },
    { "s", RUN, "-s" },
    { "qtest", EXIT, NONE "-qtest unix:/nonexistent/q.sock", 1,
      "/nonexistent/q.sock" },
    { "qtest-log", RUN, "-qtest-log /dev/null" },
};

typedef struct TestData {
    const char *binary;
    const Case *c;
    char *absent;               /* a refused option, for test_absent */
} TestData;

static void run_exit_case(const char *binary, const char *args, int want,
                          const char *expect)
{
    char *out = NULL, *err = NULL;
    int status = qtest_run(binary, args, &out, &err);
    int lines = 0;

    for (const char *p = err; *p; p++) {
        lines += *p == '\n';
    }
    g_test_message("%s %s: status %d\nstdout: %.200s\nstderr: %s", binary,
                   args, status, out, err);
    g_assert_cmpint(status, ==, want);
    if (want == 0) {
        g_assert_nonnull(strstr(out, expect));
        g_assert_cmpstr(err, ==, "");
    } else {
        g_assert_cmpint(lines, ==, 1);
        g_assert_nonnull(strstr(err, expect));
    }
    g_free(out);
    g_free(err);
}

static void test_case(const void *opaque)
{
    const TestData *d = opaque;

    if (d->c->mode == EXIT) {
        run_exit_case(d->binary, d->c->args, d->c->status, d->c->expect);
    } else {
        QTestState *s;

        g_setenv("TURTLE_BINARY", d->binary, true);
        /* connected: start-up went past every option */
        s = qtest_init(d->c->args);
        qtest_quit(s);
    }
}

static void test_absent(const void *opaque)
{
    const TestData *d = opaque;
    g_autofree char *args = g_strdup_printf(NONE "-%s x", d->absent);
    g_autofree char *expect =
        g_strdup_printf("-%s: option not supported by this version of Turtle",
                        d->absent);

    run_exit_case(d->binary, args, 1, expect);
}

/*
 * The options -help names: "-name|-alias ARG" lines, then the refused
 * ones after "QEMU options not in this version:".
 */
static void parse_help(const char *binary, GPtrArray *names,
                       GPtrArray *absent)
{
    char *out = NULL, *err = NULL;
    g_auto(GStrv) lines = NULL;
    bool in_absent = false;

    g_assert_cmpint(qtest_run(binary, "-help", &out, &err), ==, 0);
    lines = g_strsplit(out, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        const char *l = lines[i];

        if (g_str_has_prefix(l, "QEMU options not in this version")) {
            in_absent = true;
        } else if (in_absent) {
            g_auto(GStrv) words = g_strsplit(l, " ", -1);
            for (int w = 0; words[w]; w++) {
                if (words[w][0] == '-') {
                    g_ptr_array_add(absent, g_strdup(words[w] + 1));
                }
            }
        } else if (l[0] == '-') {
            g_auto(GStrv) alts = NULL;
            char *name = g_strndup(l + 1, strcspn(l + 1, " "));

            alts = g_strsplit(name, "|-", -1);
            for (int a = 0; alts[a]; a++) {
                g_ptr_array_add(names, g_strdup(alts[a]));
            }
            g_free(name);
        }
    }
    g_free(out);
    g_free(err);
}

static bool has_case(const char *name)
{
    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        if (!strcmp(cases[i].option, name)) {
            return true;
        }
    }
    return false;
}

/* -help and this file agree: no option without a case, no stale case */
static void test_walk(const void *opaque)
{
    const char *binary = opaque;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) absent = g_ptr_array_new_with_free_func(g_free);

    parse_help(binary, names, absent);
    g_assert_cmpuint(names->len, >, 40);
    g_assert_cmpuint(absent->len, >, 5);
    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        if (!has_case(n)) {
            g_test_message("-%s: listed by -help, no case in options-test.c",
                           n);
        }
        g_assert_true(has_case(n));
    }
    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        bool found = false;
        for (guint j = 0; j < names->len && !found; j++) {
            found = !strcmp(g_ptr_array_index(names, j), cases[i].option);
        }
        if (!found) {
            g_test_message("-%s: a case for an option -help does not list",
                           cases[i].option);
        }
        g_assert_true(found);
    }
}

static void add_tests(const char *binary)
{
    char *base = g_path_get_basename(binary);
    const char *arch = g_str_has_prefix(base, "turtle-system-")
                       ? base + strlen("turtle-system-") : base;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) absent = g_ptr_array_new_with_free_func(g_free);
    char *path = g_strdup_printf("/options/%s/walk", arch);

    g_test_add_data_func(path, binary, test_walk);
    g_free(path);
    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        TestData *d = g_new0(TestData, 1);

        d->binary = binary;
        d->c = &cases[i];
        path = g_strdup_printf("/options/%s/%s/%u", arch, cases[i].option, i);
        g_test_add_data_func_full(path, d, test_case, g_free);
        g_free(path);
    }
    parse_help(binary, names, absent);
    for (guint i = 0; i < absent->len; i++) {
        TestData *d = g_new0(TestData, 1);

        d->binary = binary;
        d->absent = g_strdup(g_ptr_array_index(absent, i));
        path = g_strdup_printf("/options/%s/absent/%s", arch, d->absent);
        /* the TestData lives as long as the test run */
        g_test_add_data_func(path, d, test_absent);
        g_free(path);
    }
    g_free(base);
}

int main(int argc, char **argv)
{
    const char *list = getenv("TURTLE_BINARIES");
    static char **bins;       /* the tests keep pointers into it */

    g_test_init(&argc, &argv, NULL);
    bins = g_strsplit(list && *list ? list : qtest_binary(), ":", -1);
    for (int i = 0; bins[i]; i++) {
        if (*bins[i]) {
            add_tests(bins[i]);
        }
    }
    return g_test_run();
}
