/*
 * The qtest protocol itself (docs/qtest.md): memory and port access,
 * blobs, the virtual clock, IRQ interception, and FAIL answers for bad
 * input, on "-M none -m 1M" (RAM at 0).
 */
#include "libqtest.h"

#include <string.h>
#include <glib/gstdio.h>

static void assert_fail(QTestState *qts, const char *cmd)
{
    char *ans = qtest_raw(qts, "%s", cmd);

    if (!g_str_has_prefix(ans, "FAIL")) {
        g_test_message("'%s' answered '%s'", cmd, ans);
    }
    g_assert_true(g_str_has_prefix(ans, "FAIL"));
    g_free(ans);
}

static void test_memory(void)
{
    QTestState *qts = qtest_init("-m 1M");
    uint8_t buf[64], back[64];
    char *ans;

    qtest_writeb(qts, 0x100, 0x12);
    qtest_writew(qts, 0x102, 0x3456);
    qtest_writel(qts, 0x104, 0x789abcde);
    qtest_writeq(qts, 0x108, 0x0123456789abcdefULL);
    g_assert_cmphex(qtest_readb(qts, 0x100), ==, 0x12);
    g_assert_cmphex(qtest_readw(qts, 0x102), ==, 0x3456);
    g_assert_cmphex(qtest_readl(qts, 0x104), ==, 0x789abcde);
    g_assert_cmphex(qtest_readq(qts, 0x108), ==, 0x0123456789abcdefULL);
    /* little-endian */
    g_assert_cmphex(qtest_readb(qts, 0x108), ==, 0xef);
    g_assert_cmphex(qtest_readl(qts, 0x102), ==, 0xbcde3456);

    for (int i = 0; i < 64; i++) {
        buf[i] = i * 3;
    }
    qtest_memwrite(qts, 0x2000, buf, sizeof(buf));
    qtest_memread(qts, 0x2000, back, sizeof(back));
    g_assert_cmpmem(buf, sizeof(buf), back, sizeof(back));
    qtest_memset(qts, 0x2010, 0xaa, 8);
    qtest_memread(qts, 0x2000, back, sizeof(back));
    for (int i = 0; i < 64; i++) {
        g_assert_cmphex(back[i], ==, i >= 16 && i < 24 ? 0xaa : i * 3);
    }

    /* base64 */
    g_free(qtest_cmd(qts, "b64write 0x3000 5 aGVsbG8="));
    ans = qtest_cmd(qts, "b64read 0x3000 5");
    g_assert_cmpstr(ans, ==, "aGVsbG8=");
    g_free(ans);
    ans = qtest_cmd(qts, "read 0x3000 5");
    g_assert_cmpstr(ans, ==, "0x68656c6c6f");
    g_free(ans);

    for (int i = 0; i < 64; i++) {
        buf[i] = 0xff - i;
    }
    qtest_bufwrite(qts, 0x4000, buf, sizeof(buf));
    memset(back, 0, sizeof(back));
    qtest_bufread(qts, 0x4000, back, sizeof(back));
    g_assert_cmpmem(buf, sizeof(buf), back, sizeof(back));

    /* unassigned memory reads as all-ones, writes vanish */
    g_assert_cmphex(qtest_readl(qts, 0x40000000), ==, 0xffffffff);
    qtest_writel(qts, 0x40000000, 0);
    ans = qtest_cmd(qts, "endianness");
    g_assert_cmpstr(ans, ==, "little");
    g_free(ans);
    qtest_quit(qts);
}

static void test_clock(void)
{
    QTestState *qts = qtest_init(NULL);
    int64_t t0 = qtest_clock_step(qts, 0);

    g_assert_cmpint(qtest_clock_step(qts, 1000), ==, t0 + 1000);
    g_assert_cmpint(qtest_clock_set(qts, t0 + 5000), ==, t0 + 5000);
    /* nothing armed: stepping to the next deadline leaves time alone */
    g_assert_cmpint(qtest_clock_step_next(qts), ==, t0 + 5000);
    assert_fail(qts, "clock_set 0");           /* backwards */
    assert_fail(qts, "clock_step -5");
    assert_fail(qts, "clock_step abc");
    qtest_quit(qts);
}

static void test_irq(void)
{
    QTestState *qts = qtest_init(NULL);

    /* the isa-irq sink of -M none has 16 inputs and no outputs */
    qtest_irq_intercept_in(qts, "isa-irq");
    g_assert_false(qtest_get_irq(qts, 5));
    qtest_set_irq_in(qts, "isa-irq", "unnamed", 5, 1);
    g_assert_true(qtest_get_irq(qts, 5));
    g_assert_false(qtest_get_irq(qts, 6));
    qtest_set_irq_in(qts, "isa-irq", "unnamed", 5, 0);
    g_assert_false(qtest_get_irq(qts, 5));
    assert_fail(qts, "irq_intercept_out isa-irq");
    assert_fail(qts, "irq_intercept_in nosuch");
    assert_fail(qts, "set_irq_in isa-irq unnamed 16 1");
    assert_fail(qts, "set_irq_in isa-irq nosuch 0 1");
    assert_fail(qts, "set_irq_in nosuch unnamed 0 1");
    qtest_quit(qts);
}

static void test_bad_commands(void)
{
    static const char *const bad[] = {
        "nosuchcommand", "readb", "readb zz", "readl 0x10 0x20",
        "writeb 0x0 0x100", "writew 0x0 0x10000", "writel 0x0",
        "inb 0x10000", "outb 0x10000 0", "outb -1 0",
        "read 0x0", "read 0x0 0x10000000", "write 0x0 2 0x123456",
        "write 0x0 2 1234", "write 0x0 2 0xzz", "memset 0x0 4 0x100",
        "b64write 0x0 4 aGVsbG8=", "b64read", "clock_set",
        "irq_intercept_in", "set_irq_in isa-irq",
    };
    QTestState *qts = qtest_init("-m 64K");

    for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
        assert_fail(qts, bad[i]);
    }
    /* blank lines and extra blanks are fine */
    g_free(qtest_cmd(qts, "  readb   0x0  "));
    qtest_quit(qts);
}

static void test_log(void)
{
    char *dir = g_dir_make_tmp("qtest-log-XXXXXX", NULL);
    char *log = g_build_filename(dir, "qtest.log", NULL);
    QTestState *qts = qtest_initf("-qtest-log %s", log);
    char *text = NULL;

    qtest_inb(qts, 0x80);
    assert_fail(qts, "bogus");
    qtest_quit(qts);
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_nonnull(strstr(text, "] inb 0x80"));
    g_assert_nonnull(strstr(text, "] OK 0x"));
    g_assert_nonnull(strstr(text, "] FAIL unknown command 'bogus'"));
    g_free(text);
    g_unlink(log);
    g_rmdir(dir);
    g_free(log);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qtest/memory", test_memory);
    g_test_add_func("/qtest/clock", test_clock);
    g_test_add_func("/qtest/irq", test_irq);
    g_test_add_func("/qtest/bad-commands", test_bad_commands);
    g_test_add_func("/qtest/log", test_log);
    return g_test_run();
}
