/*
 * The human monitor's commands, syntax, output and error texts, checked
 * against what QEMU 7.2 prints for the same input (the expected strings
 * below were taken from qemu-system-aarch64/x86_64 7.2 on the same machine
 * state, except where a comment says turtle differs on purpose).  Runs
 * under qtest through QMP's human-monitor-command; a last test drives the
 * human monitor itself on a socket (banner, prompt, line editing).
 */
#include "libqtest.h"
#include "libqmp.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct Fixture {
    QTestState *qts;
    char *dir;
    QMPClient c;
} Fixture;

static void fixture_start(Fixture *f, const char *extra)
{
    g_autofree char *path = NULL;
    int lfd;

    f->dir = g_dir_make_tmp("hmp-test-XXXXXX", NULL);
    path = g_build_filename(f->dir, "qmp.sock", NULL);
    lfd = qtest_socket_server(path);
    f->qts = qtest_initf("-qmp unix:%s %s", path, extra ? extra : "");
    qmp_client_init(&f->c, qtest_socket_accept(lfd));
    g_assert_cmpint(f->c.fd, >=, 0);
    close(lfd);
    unlink(path);
    qmp_assert_greeting(&f->c);
    qmp_negotiate(&f->c);
}

static void fixture_end(Fixture *f)
{
    qmp_client_close(&f->c);
    qtest_quit(f->qts);
    rmdir(f->dir);
    g_free(f->dir);
}

/* Assert that a command line prints exactly expect. */
static void hmp_is(Fixture *f, const char *line, const char *expect)
{
    g_autofree char *out = qmp_hmp(&f->c, line);

    if (strcmp(out, expect)) {
        g_error("'%s' printed\n%s\ninstead of\n%s", line, out, expect);
    }
}

static void hmp_has(Fixture *f, const char *line, const char *part)
{
    g_autofree char *out = qmp_hmp(&f->c, line);

    if (!strstr(out, part)) {
        g_error("'%s' printed\n%s\nwithout '%s'", line, out, part);
    }
}

/* The same bytes QEMU dumped from its kernel image in these formats. */
static const uint8_t image[0x20] = {
    0x4d, 0x5a, 0x40, 0xfa, 0x56, 0xa3, 0x59, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00,
    0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static void test_memory_dump(void)
{
    Fixture f = { 0 };

    fixture_start(&f, "-M virt -m 128");
    qtest_memwrite(f.qts, 0x40000000, image, sizeof(image));

    hmp_is(&f, "xp /2xg 0x40000000",
           "0000000040000000: 0x1459a356fa405a4d 0x0000000000000000\n");
    hmp_is(&f, "xp /3d 0x40000000",
           "0000000040000000:  1466382747646843469                    0\n"
           "0000000040000010:             33619968\n");
    hmp_is(&f, "xp /3o 0x40000000",
           "0000000040000000: 0121315065337220055115                      0\n"
           "0000000040000010:             0200200000\n");
    hmp_is(&f, "xp /5xb 0x40000000",
           "0000000040000000: 0x4d 0x5a 0x40 0xfa 0x56\n");
    hmp_is(&f, "xp /9xh 0x40000000",
           "0000000040000000: 0x5a4d 0xfa40 0xa356 0x1459 0x0000 0x0000 "
           "0x0000 0x0000\n0000000040000010: 0x0000\n");
    /* 'c' keeps the last size: 3 units of 2 bytes are 6 characters */
    hmp_is(&f, "xp /3c 0x40000000",
           "0000000040000000: 'M' 'Z' '@' '\\xfa' 'V' '\\xa3'\n");
    hmp_is(&f, "xp /2wx 0x40000000",
           "0000000040000000: 0xfa405a4d 0x1459a356\n");
    /* the format and size stay from the command before */
    hmp_is(&f, "xp 0x40000000", "0000000040000000: 0xfa405a4d\n");
    hmp_is(&f, "xp /7dh 0x40000000",
           "0000000040000000: 23117 64064 41814  5209     0     0     0\n");
    hmp_is(&f, "xp /0x 0x40000000", "");
    hmp_is(&f, "xp /2i 0x40000000",
           "0x40000000:  fa405a4d  ccmp     x18, #0, #0xd, pl\n"
           "0x40000004:  1459a356  b        #0x41668d5c\n");
    hmp_is(&f, "xp /1i 0x40000008",
           "0x40000008:  00000000  .byte    0x00, 0x00, 0x00, 0x00\n");
    /* x: through the MMU, off at reset: the same addresses */
    hmp_is(&f, "x /2xw 0x40000000", "0000000040000000: 0xfa405a4d 0x1459a356\n");
    hmp_is(&f, "xp /x 0x7fffffffff00",
           "00007fffffffff00: Cannot access memory\n");
    hmp_is(&f, "xp /20xb 0x3fffff8",
           "0000000003fffff8: 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00\n"
           "0000000004000000: 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00\n"
           "0000000004000008: 0x00 0x00 0x00 0x00\n");
    /* an expression as the address */
    hmp_is(&f, "xp /1xb 0x40000000 + 2 * 2", "0000000040000004: 0x56\n");
    /* turtle bounds one dump (QEMU has no bound) */
    hmp_is(&f, "xp /1000000xg 0x40000000",
           "xp: at most 1048576 bytes at a time\n");
    fixture_end(&f);
}

static void test_syntax_errors(void)
{
    Fixture f = { 0 };

    fixture_start(&f, "-M virt");
    hmp_is(&f, "foo", "unknown command: 'foo'\n");
    hmp_is(&f, "info foo", "unknown command: 'info foo'\n");
    hmp_is(&f, "help nosuch", "unknown command: 'nosuch'\n");
    hmp_is(&f, "x", "unexpected end of expression\n"
           "Try \"help x\" for more information\n");
    hmp_is(&f, "x /4xw", "unexpected end of expression\n"
           "Try \"help x\" for more information\n");
    hmp_is(&f, "x /4qw 0", "invalid char in format: 'q'\n"
           "Try \"help x\" for more information\n");
    hmp_is(&f, "x /3s 0", "invalid char in format: 's'\n"
           "Try \"help x\" for more information\n");
    hmp_is(&f, "xp /-1x 0x40000000", "invalid char in format: '-'\n"
           "Try \"help xp\" for more information\n");
    hmp_is(&f, "xp /4xw 0x1zz", "xp: extraneous characters at the end of "
           "line\nTry \"help xp\" for more information\n");
    hmp_is(&f, "xp /1x 0x40000000 5", "xp: extraneous characters at the end "
           "of line\nTry \"help xp\" for more information\n");
    hmp_is(&f, "c extra", "cont|c: extraneous characters at the end of line\n"
           "Try \"help c\" for more information\n");
    hmp_is(&f, "stop 1", "stop|s: extraneous characters at the end of line\n"
           "Try \"help stop\" for more information\n");
    hmp_is(&f, "system_reset extra", "system_reset: extraneous characters at "
           "the end of line\nTry \"help system_reset\" for more "
           "information\n");
    hmp_is(&f, "info status extra", "status: extraneous characters at the "
           "end of line\nTry \"help info status\" for more information\n");
    hmp_is(&f, "sendkey", "sendkey: string expected\n"
           "Try \"help sendkey\" for more information\n");
    hmp_is(&f, "sendkey foo", "invalid parameter: foo\n");
    /* virt has no keyboard: accepted, nothing happens (as QEMU) */
    hmp_is(&f, "sendkey ctrl-alt-f1 100", "");
    hmp_is(&f, "cpu 7", "invalid CPU index\n");
    hmp_is(&f, "cpu 0", "");
    hmp_is(&f, "info registers 5", "CPU#5 not available\n");
    hmp_is(&f, "", "");
    fixture_end(&f);
}

static void test_print(void)
{
    static const char *const cases[][2] = {
        { "p 1+2*3", "0x7\n" }, { "p/x 255", "0xff\n" },
        { "p /d -1", "-1\n" }, { "p -1", "-1\n" },
        { "p 0x10 % 3 | 8", "9\n" }, { "p 2 + 3 * 4 & 6", "6\n" },
        { "p/c 65", "'A'\n" }, { "p/o 8", "010\n" }, { "p/o 0", "0\n" },
        { "p/u -1", "18446744073709551615\n" }, { "p/xb 65", "0x41\n" },
        { "p /2x 5", "0x5\n" }, { "print 'A'", "0x41\n" },
        { "p ~0", "0xffffffffffffffff\n" }, { "p -(3+4)*2", "0xfffffffffffffff2\n" },
        { "p 0777", "0x1ff\n" }, { "p/d 07 ^ 1", "6\n" },
        { "p 10/0", "division by zero\nTry \"help p\" for more information\n" },
        { "p (1+2", "')' expected\nTry \"help p\" for more information\n" },
        { "p 1 2", "print|p: extraneous characters at the end of line\n"
          "Try \"help p\" for more information\n" },
        { "p $nosuch", "unknown register\nTry \"help p\" for more "
          "information\n" },
        { "p", "unexpected end of expression\nTry \"help p\" for more "
          "information\n" },
        { "p 99999999999999999999", "number too large\nTry \"help p\" for "
          "more information\n" },
        { "p #", "invalid char '#' in expression\nTry \"help p\" for more "
          "information\n" },
    };
    Fixture f = { 0 };

    GString *deep = g_string_new("p/x ");

    fixture_start(&f, "-M virt");
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        hmp_is(&f, cases[i][0], cases[i][1]);
    }

    /* Regression (found by monitor-fuzz): 100,000 nested parentheses
     * through human-monitor-command, whose lines have no length limit,
     * overflowed the C stack.  A typed line holds 1023 characters; up to
     * that depth an expression works as in QEMU. */
    for (int i = 0; i < 300; i++) {
        g_string_append(deep, i % 2 ? "-(" : "(");
    }
    g_string_append(deep, "7");
    for (int i = 0; i < 300; i++) {
        g_string_append_c(deep, ')');
    }
    hmp_is(&f, deep->str, "0x7\n");
    g_string_assign(deep, "p ");
    for (int i = 0; i < 100000; i++) {
        g_string_append(deep, "(~");
    }
    hmp_is(&f, deep->str, "expression too deeply nested\nTry \"help p\" "
           "for more information\n");
    hmp_is(&f, "p/x 1+1", "0x2\n");
    g_string_free(deep, true);
    fixture_end(&f);
}

/* Registers: QEMU 7.2 knows none on Arm ("unknown register"); turtle
 * has the assembler names.  The values are those info registers shows. */
static void test_arm_registers(void)
{
    Fixture f = { 0 };
    g_autofree char *regs = NULL;

    fixture_start(&f, "-M virt -smp 2");
    regs = qmp_hmp(&f.c, "info registers");
    g_assert_true(g_str_has_prefix(regs, "\nCPU#0\n PC="));
    g_assert_nonnull(strstr(regs, "\nX02=0000000000000000 X03="));
    g_assert_nonnull(strstr(regs, "  SP=0000000000000000\nPSTATE="));
    g_assert_nonnull(strstr(regs, " EL1h    FPU disabled\n"));
    {
        g_autofree char *pc = qmp_hmp(&f.c, "p/x $pc");
        g_autofree char *want = g_strdup_printf(" PC=%016" G_GINT64_MODIFIER
                                                "x ", g_ascii_strtoull(pc, NULL,
                                                                       16));
        g_assert_nonnull(strstr(regs, want));
    }
    hmp_is(&f, "p $sp", "0\n");
    hmp_is(&f, "p $x5 + $w5 + $lr", "0\n");
    hmp_is(&f, "p/x $pstate", "0x3c5\n");
    hmp_is(&f, "p $x31", "unknown register\n"
           "Try \"help p\" for more information\n");
    /* -a: every CPU, each with its header; cpu N moves the default */
    regs = (g_free(regs), qmp_hmp(&f.c, "info registers -a"));
    g_assert_nonnull(strstr(regs, "\nCPU#0\n"));
    g_assert_nonnull(strstr(regs, "\nCPU#1\n"));
    regs = (g_free(regs), qmp_hmp(&f.c, "info registers 1"));
    g_assert_true(g_str_has_prefix(regs, "\nCPU#1\n"));
    {
        g_autofree char *cpus = qmp_hmp(&f.c, "info cpus");
        g_auto(GStrv) lines = g_strsplit(cpus, "\n", -1);
        g_assert_true(g_str_has_prefix(lines[0], "* CPU #0: thread_id="));
        g_assert_true(g_str_has_prefix(lines[1], "  CPU #1: thread_id="));
        g_assert_cmpstr(lines[2], ==, "");
    }
    fixture_end(&f);
}

/* x86: the values QEMU 7.2 prints at reset for the same commands; turtle
 * also knows the 64-bit names QEMU lacks. */
static void test_x86_registers(void)
{
    Fixture f = { 0 };
    g_autofree char *saved = g_strdup(getenv("TURTLE_BINARY"));
    const char *list = getenv("TURTLE_BINARIES");
    g_autofree char *x86 = NULL;

    if (list) {
        g_auto(GStrv) bins = g_strsplit(list, ":", -1);
        for (int i = 0; bins[i]; i++) {
            if (g_str_has_suffix(bins[i], "x86_64")) {
                x86 = g_strdup(bins[i]);
            }
        }
    }
    if (!x86) {
        g_test_skip("no x86_64 executable in $TURTLE_BINARIES");
        return;
    }
    g_setenv("TURTLE_BINARY", x86, true);
    fixture_start(&f, "-M pc -m 64");
    hmp_is(&f, "p $pc", "0xfffffff0\n");
    hmp_is(&f, "p $eip", "0xfff0\n");
    hmp_is(&f, "p $eflags", "0x2\n");
    hmp_is(&f, "p $cs", "0xf000\n");
    hmp_is(&f, "p $cs.base", "0xffff0000\n");
    hmp_is(&f, "p $eax", "0\n");
    hmp_is(&f, "p $r8", "0\n");
    hmp_is(&f, "p/x $pc + 4", "0xfffffff4\n");
    hmp_is(&f, "p $rip", "0xfff0\n");
    hmp_is(&f, "p $rax + $rsp", "0\n");
    hmp_is(&f, "p $ax", "unknown register\n"
           "Try \"help p\" for more information\n");
    hmp_is(&f, "p $sp", "0\n");
    hmp_is(&f, "p $ds.limit", "0xffff\n");
    /* QEMU 7.2's dump at reset, real mode: 32-bit layout, no descriptor
     * details; XMM0-7 only outside 64-bit mode */
    hmp_has(&f, "info registers", "\nCPU#0\n"
            "EAX=00000000 EBX=00000000 ECX=00000000 EDX=00060fb1\n"
            "ESI=00000000 EDI=00000000 EBP=00000000 ESP=00000000\n"
            "EIP=0000fff0 EFL=00000002 [-------] CPL=0 II=0 A20=1 SMM=0 "
            "HLT=0\n"
            "ES =0000 00000000 0000ffff 00009300\n"
            "CS =f000 ffff0000 0000ffff 00009b00\n"
            "SS =0000 00000000 0000ffff 00009300\n"
            "DS =0000 00000000 0000ffff 00009300\n"
            "FS =0000 00000000 0000ffff 00009300\n"
            "GS =0000 00000000 0000ffff 00009300\n"
            "LDT=0000 00000000 0000ffff 00008200\n"
            "TR =0000 00000000 0000ffff 00008b00\n"
            "GDT=     00000000 0000ffff\n"
            "IDT=     00000000 0000ffff\n"
            "CR0=60000010 CR2=00000000 CR3=00000000 CR4=00000000\n"
            "DR0=0000000000000000 DR1=0000000000000000 "
            "DR2=0000000000000000 DR3=0000000000000000 \n"
            "DR6=00000000ffff0ff0 DR7=0000000000000400\n"
            "EFER=0000000000000000\n"
            "FCW=037f FSW=0000 [ST=0] FTW=00 MXCSR=00001f80\n"
            "FPR0=0000000000000000 0000 FPR1=0000000000000000 0000\n");
    hmp_has(&f, "info registers", "XMM06=0000000000000000 0000000000000000 "
            "XMM07=0000000000000000 0000000000000000\n");
    /* the PCI functions of the pc board, as QEMU shows its own */
    hmp_has(&f, "info pci", "  Bus  0, device   0, function 0:\n"
            "    Host bridge: PCI device 8086:1237\n"
            "      PCI subsystem ");
    hmp_has(&f, "info pci", "  Bus  0, device   1, function 0:\n"
            "    ISA bridge: PCI device 8086:7000\n");
    hmp_has(&f, "info qtree", "      dev: ");
    hmp_has(&f, "info qtree", "        addr = ");
    fixture_end(&f);
    if (saved) {
        g_setenv("TURTLE_BINARY", saved, true);
    } else {
        g_unsetenv("TURTLE_BINARY");
    }
}

/* sendkey on the pc board's i8042: set 2 codes, or set 1 when the
 * controller translates; released after the hold time, in reverse. */
static void test_sendkey(void)
{
    g_autofree char *saved = g_strdup(getenv("TURTLE_BINARY"));
    const char *list = getenv("TURTLE_BINARIES");
    g_autofree char *x86 = NULL;
    Fixture f = { 0 };
    uint8_t got[16];
    int n = 0;
    gint64 deadline;

    if (list) {
        g_auto(GStrv) bins = g_strsplit(list, ":", -1);
        for (int i = 0; bins[i]; i++) {
            if (g_str_has_suffix(bins[i], "x86_64")) {
                x86 = g_strdup(bins[i]);
            }
        }
    }
    if (!x86) {
        g_test_skip("no x86_64 executable in $TURTLE_BINARIES");
        return;
    }
    g_setenv("TURTLE_BINARY", x86, true);
    fixture_start(&f, "-M pc -m 64");

    /* translation on: set 1, "shift-a" then the releases */
    qtest_outb(f.qts, 0x64, 0x60);
    qtest_outb(f.qts, 0x60, 0x43);      /* XLATE | SYS | KBD_INT */
    hmp_is(&f, "sendkey shift-a 10", "");
    deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    while (n < 4 && g_get_monotonic_time() < deadline) {
        if (qtest_inb(f.qts, 0x64) & 1) {
            got[n++] = qtest_inb(f.qts, 0x60);
        } else {
            g_usleep(1000);
        }
    }
    g_assert_cmpint(n, ==, 4);
    g_assert_cmphex(got[0], ==, 0x2a);
    g_assert_cmphex(got[1], ==, 0x1e);
    g_assert_cmphex(got[2], ==, 0x9e);
    g_assert_cmphex(got[3], ==, 0xaa);

    /* no translation: set 2, with E0 and F0 prefixes */
    qtest_outb(f.qts, 0x64, 0x60);
    qtest_outb(f.qts, 0x60, 0x03);
    hmp_is(&f, "sendkey ctrl_r 10", "");
    for (n = 0, deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
         n < 5 && g_get_monotonic_time() < deadline;) {
        if (qtest_inb(f.qts, 0x64) & 1) {
            got[n++] = qtest_inb(f.qts, 0x60);
        } else {
            g_usleep(1000);
        }
    }
    g_assert_cmpint(n, ==, 5);
    g_assert_cmpmem(got, 5, ((uint8_t[]){ 0xe0, 0x14, 0xe0, 0xf0, 0x14 }), 5);
    /* a scan code number works too (0x1e: "a") */
    hmp_is(&f, "sendkey 0x1e", "");
    hmp_is(&f, "sendkey 0x1ff", "invalid parameter: 0x1ff\n");
    fixture_end(&f);
    if (saved) {
        g_setenv("TURTLE_BINARY", saved, true);
    } else {
        g_unsetenv("TURTLE_BINARY");
    }
}

static void test_info(void)
{
    Fixture f = { 0 };
    char *out;

    fixture_start(&f, "-M virt");
    hmp_is(&f, "info status", "VM status: running\n");
    hmp_is(&f, "stop", "");
    hmp_is(&f, "info status", "VM status: paused\n");
    hmp_is(&f, "c", "");
    hmp_is(&f, "info status", "VM status: running\n");
    hmp_has(&f, "info version", " (turtle)\n");
    hmp_has(&f, "info chardev", "qmp0: filename=unix:");
    out = qmp_hmp(&f.c, "info mtree");
    g_assert_true(g_str_has_prefix(out, "address-space: memory\n"
                                   "  0000000000000000-ffffffffffffffff "
                                   "(prio 0, i/o): system\n"));
    g_assert_nonnull(strstr(out, "    0000000009000000-0000000009000fff "
                            "(prio 0, i/o): pl011\n"));
    g_free(out);
    out = qmp_hmp(&f.c, "info mtree -f");
    g_assert_true(g_str_has_prefix(out, "FlatView #0\n AS \"memory\", root: "
                                   "system\n Root memory region: system\n"));
    g_free(out);
    hmp_is(&f, "info mtree -o", "mtree: unsupported option '-o' (-f shows "
           "the flat views)\nTry \"help info mtree\" for more information\n");
    out = qmp_hmp(&f.c, "info qtree");
    g_assert_true(g_str_has_prefix(out, "bus: main-system-bus\n"
                                   "  type System\n"));
    g_assert_nonnull(strstr(out, "  dev: pl011, id \"\"\n"
                            "    gpio-out \"sysbus-irq\" 1\n"));
    g_assert_nonnull(strstr(out, "    mmio 0000000009000000/"
                            "0000000000001000\n"));
    g_free(out);
    out = qmp_hmp(&f.c, "help");
    g_assert_nonnull(strstr(out, "cont|c  -- "));
    g_assert_nonnull(strstr(out, "x /fmt addr -- "));
    g_free(out);
    out = qmp_hmp(&f.c, "info");
    g_assert_true(g_str_has_prefix(out, "info chardev  -- "));
    g_free(out);
    hmp_has(&f, "help info registers", "info registers [-a|vcpu] -- ");
    fixture_end(&f);

    /* -S: prelaunch, as QEMU */
    fixture_start(&f, "-M virt -S");
    hmp_is(&f, "info status", "VM status: paused (prelaunch)\n");
    fixture_end(&f);
}

static unsigned count_status(const char *s)
{
    unsigned n = 0;

    for (const char *p = s; (p = strstr(p, "VM status: running\r\n")); p++) {
        n++;
    }
    return n;
}

/* The human monitor on a socket: QEMU's prompt (scripts wait for it),
 * echo, editing keys and the history. */
static void test_terminal(void)
{
    g_autofree char *dir = g_dir_make_tmp("hmp-test-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "hmp.sock", NULL);
    QTestState *qts = qtest_initf("-M virt -monitor unix:%s,server=on,"
                                  "wait=off", path);
    GString *got = g_string_new(NULL);
    gint64 deadline;
    int fd = qmp_unix_connect(path);
    /* "info sXatus", Left x5, Delete, 't', End, Enter; Up, Enter */
    static const char keys[] = "info sXatus\033[D\033[D\033[D\033[D\033[D\033[3~t"
                               "\033[F\r\033[A\r";

    deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    while (!strstr(got->str, "(qemu) ")) {
        char buf[256];
        ssize_t n = qtest_socket_read(fd, buf, 1, 100);
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_string_append_len(got, buf, n);
    }
    g_assert_true(g_str_has_prefix(got->str, "Turtle "));
    g_assert_nonnull(strstr(got->str, " monitor - type 'help' for more "
                            "information\r\n(qemu) "));
    g_assert_cmpint(write(fd, keys, strlen(keys)), ==, strlen(keys));
    while (count_status(got->str) < 2) {
        char buf[256];
        size_t n = qtest_socket_read(fd, buf, sizeof(buf), 100);
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_string_append_len(got, buf, n);
    }
    close(fd);
    g_string_free(got, true);
    qtest_quit(qts);
    unlink(path);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    signal(SIGPIPE, SIG_IGN);
    g_test_add_func("/hmp/memory-dump", test_memory_dump);
    g_test_add_func("/hmp/syntax-errors", test_syntax_errors);
    g_test_add_func("/hmp/print", test_print);
    g_test_add_func("/hmp/arm-registers", test_arm_registers);
    g_test_add_func("/hmp/x86-registers-pci", test_x86_registers);
    g_test_add_func("/hmp/sendkey", test_sendkey);
    g_test_add_func("/hmp/info", test_info);
    g_test_add_func("/hmp/terminal", test_terminal);
    return g_test_run();
}
