/*
 * The HPET of the pc board (0xfed00000) on the stepped virtual clock:
 * capabilities and reset values, the main counter (run, stop, write,
 * 32-bit halves), one-shot edge interrupts through the IOAPIC to a local
 * APIC, level interrupts and the status register, periodic timers with
 * VAL_SET and coalescing, 32-bit mode wrap, comparators in the past,
 * legacy replacement taking GSI 0 / 8 from the PIT and the RTC, -M
 * pc,hpet=off, reset.
 */
#include "libqtest.h"

#define HPET 0xfed00000ULL
#define CAP 0x000
#define CFG 0x010
#define STS 0x020
#define CNT 0x0f0
#define TCFG(n) (0x100 + 0x20 * (n))
#define TCMP(n) (0x108 + 0x20 * (n))

#define TN_LEVEL    (1u << 1)
#define TN_INT_ENB  (1u << 2)
#define TN_PERIODIC (1u << 3)
#define TN_VAL_SET  (1u << 6)
#define TN_32BIT    (1u << 8)
#define ROUTE(p)    ((uint32_t)(p) << 9)

static uint64_t rd(QTestState *q, unsigned reg)
{
    return qtest_readq(q, HPET + reg);
}

static void wr(QTestState *q, unsigned reg, uint64_t v)
{
    qtest_writeq(q, HPET + reg, v);
}

static QTestState *start(void)
{
    QTestState *q = qtest_init("-M pc");

    qtest_irq_intercept_in(q, "gsi");
    return q;
}

static void test_registers(void)
{
    QTestState *q = qtest_init("-M pc");

    /* 10 ns period, vendor 8086, legacy capable, 64-bit, 3 timers, rev 1 */
    g_assert_cmphex(rd(q, CAP), ==, 0x009896808086a201ull);
    g_assert_cmphex(qtest_readl(q, HPET + CAP + 4), ==, 0x00989680);
    g_assert_cmphex(rd(q, CFG), ==, 0);
    g_assert_cmphex(rd(q, STS), ==, 0);
    for (int n = 0; n < 3; n++) {
        g_assert_cmphex(rd(q, TCFG(n)), ==, 0x00ff010400000030ull);
        g_assert_cmphex(rd(q, TCMP(n)), ==, ~0ull);
    }
    /* read-only bits stay, reserved ones read 0 */
    wr(q, TCFG(0), ~0ull);
    g_assert_cmphex(rd(q, TCFG(0)), ==, 0x00ff010400003f7eull);
    wr(q, CAP, 0);
    g_assert_cmphex(rd(q, CAP), ==, 0x009896808086a201ull);
    g_assert_cmphex(rd(q, 0x180), ==, 0);           /* no timer 4 */
    qtest_quit(q);
}

static void test_counter(void)
{
    QTestState *q = qtest_init("-M pc");

    qtest_clock_step(q, 5000);
    g_assert_cmphex(rd(q, CNT), ==, 0);             /* halted */
    wr(q, CFG, 1);
    qtest_clock_step(q, 1000);
    g_assert_cmphex(rd(q, CNT), ==, 100);
    wr(q, CNT, 12345);                              /* running: ignored */
    qtest_clock_step(q, 1005);
    g_assert_cmphex(rd(q, CNT), ==, 200);
    wr(q, CFG, 0);
    qtest_clock_step(q, 100000);
    g_assert_cmphex(rd(q, CNT), ==, 200);
    /* written in halves while halted */
    qtest_writel(q, HPET + CNT + 4, 0x1);
    qtest_writel(q, HPET + CNT, 0xfffffff0);
    g_assert_cmphex(rd(q, CNT), ==, 0x1fffffff0ull);
    wr(q, CFG, 1);
    qtest_clock_step(q, 200);
    g_assert_cmphex(qtest_readl(q, HPET + CNT + 4), ==, 0x2);
    g_assert_cmphex(qtest_readl(q, HPET + CNT), ==, 0x4);
    qtest_quit(q);
}

static bool apic_irr(QTestState *q, int v)
{
    qtest_set_cpu(q, 0);
    return qtest_readl(q, 0xfee00200 + (v / 32) * 0x10) & (1u << (v % 32));
}

static void test_oneshot_ioapic(void)
{
    QTestState *q = qtest_init("-M pc");

    /* IOAPIC pin 16: vector 0x50, edge, to APIC 0 */
    qtest_writel(q, 0xfec00000, 0x10 + 2 * 16);
    qtest_writel(q, 0xfec00010, 0x50);
    wr(q, TCFG(2), TN_INT_ENB | ROUTE(16));
    wr(q, TCMP(2), 1000);
    wr(q, CFG, 1);
    qtest_clock_step(q, 9999);
    g_assert_false(apic_irr(q, 0x50));
    qtest_clock_step(q, 1);
    g_assert_true(apic_irr(q, 0x50));
    g_assert_cmphex(rd(q, STS), ==, 0);             /* edge: no status */
    qtest_quit(q);
}

static void test_level_status(void)
{
    QTestState *q = start();

    wr(q, TCFG(2), TN_LEVEL | TN_INT_ENB | ROUTE(20));
    wr(q, TCMP(2), 50);
    wr(q, CFG, 1);
    qtest_clock_step(q, 500);
    g_assert_true(qtest_get_irq(q, 20));
    g_assert_cmphex(rd(q, STS), ==, 0x4);
    wr(q, STS, 0x3);                                /* other bits: nothing */
    g_assert_true(qtest_get_irq(q, 20));
    wr(q, STS, 0x4);
    g_assert_false(qtest_get_irq(q, 20));
    g_assert_cmphex(rd(q, STS), ==, 0);
    /* interrupts disabled: the status bit still comes, the line does not */
    wr(q, TCFG(1), TN_LEVEL | ROUTE(21));
    wr(q, TCMP(1), 100);
    qtest_clock_step(q, 500);
    g_assert_cmphex(rd(q, STS), ==, 0x2);
    g_assert_false(qtest_get_irq(q, 21));
    /* a comparator behind the counter (64-bit) never matches */
    wr(q, STS, 0x6);
    wr(q, TCMP(2), 10);
    qtest_clock_step(q, 10000000);
    g_assert_cmphex(rd(q, STS), ==, 0);
    qtest_quit(q);
}

static void test_periodic(void)
{
    QTestState *q = start();

    /* 200 us period, first match at 200 us */
    wr(q, TCFG(0), TN_LEVEL | TN_INT_ENB | TN_PERIODIC | TN_VAL_SET |
                   ROUTE(2));
    wr(q, TCMP(0), 20000);
    wr(q, TCMP(0), 20000);                          /* the period */
    g_assert_cmphex(rd(q, TCFG(0)) & TN_VAL_SET, ==, 0);
    wr(q, CFG, 1);
    qtest_clock_step(q, 199999);
    g_assert_false(qtest_get_irq(q, 2));
    qtest_clock_step(q, 1);
    g_assert_true(qtest_get_irq(q, 2));
    g_assert_cmphex(rd(q, TCMP(0)), ==, 40000);
    wr(q, STS, 1);
    qtest_clock_step(q, 200000);
    g_assert_true(qtest_get_irq(q, 2));
    wr(q, STS, 1);
    /* ten more periods */
    qtest_clock_step(q, 2000000);
    g_assert_cmphex(rd(q, TCMP(0)), ==, 260000);
    /* a 10 ns period is held to one interrupt per 100 us */
    wr(q, TCFG(0), TN_LEVEL | TN_INT_ENB | TN_PERIODIC | TN_VAL_SET |
                   ROUTE(2));
    wr(q, TCMP(0), rd(q, CNT) + 1);
    wr(q, TCMP(0), 1);
    wr(q, STS, 1);
    qtest_clock_step(q, 1000);            /* 100 us after the last one */
    g_assert_cmphex(rd(q, STS), ==, 0);
    qtest_clock_step(q, 99000);
    g_assert_cmphex(rd(q, STS), ==, 1);
    wr(q, STS, 1);
    qtest_clock_step(q, 50000);
    g_assert_cmphex(rd(q, STS), ==, 0);
    qtest_clock_step(q, 60000);
    g_assert_cmphex(rd(q, STS), ==, 1);
    qtest_clock_step(q, 1000000000);                /* 10000 at most */
    qtest_quit(q);
}

static void test_32bit_wrap(void)
{
    QTestState *q = start();

    wr(q, CNT, 0xfffffff0);
    wr(q, TCFG(2), TN_LEVEL | TN_INT_ENB | TN_32BIT | ROUTE(17));
    wr(q, TCMP(2), 0x100000010ull);                 /* truncated */
    g_assert_cmphex(rd(q, TCMP(2)), ==, 0x10);
    wr(q, CFG, 1);
    qtest_clock_step(q, 310);
    g_assert_false(qtest_get_irq(q, 17));
    qtest_clock_step(q, 10);
    g_assert_true(qtest_get_irq(q, 17));
    /* and again when the low 32 bits come round, 42.9 s later */
    wr(q, STS, 4);
    qtest_clock_step(q, 42949672950LL);
    g_assert_false(qtest_get_irq(q, 17));
    qtest_clock_step(q, 10);
    g_assert_true(qtest_get_irq(q, 17));
    qtest_quit(q);
}

static void test_legacy_replacement(void)
{
    QTestState *q = start();

    /* the PIT in mode 0 holds IRQ 0 high at terminal count */
    qtest_outb(q, 0x43, 0x30);
    qtest_outb(q, 0x40, 100);
    qtest_outb(q, 0x40, 0);
    qtest_clock_step(q, 100000);
    g_assert_true(qtest_get_irq(q, 0));
    /* legacy replacement: GSI 0 is timer 0's, now idle */
    wr(q, CFG, 3);
    g_assert_false(qtest_get_irq(q, 0));
    wr(q, TCFG(0), TN_LEVEL | TN_INT_ENB);
    wr(q, TCFG(1), TN_LEVEL | TN_INT_ENB);
    wr(q, TCMP(0), rd(q, CNT) + 10);
    wr(q, TCMP(1), rd(q, CNT) + 20);
    qtest_clock_step(q, 100);
    g_assert_true(qtest_get_irq(q, 0));
    qtest_clock_step(q, 100);
    g_assert_true(qtest_get_irq(q, 8));
    wr(q, STS, 3);
    g_assert_false(qtest_get_irq(q, 0));
    g_assert_false(qtest_get_irq(q, 8));
    /* off again: the PIT's level is back on GSI 0 */
    wr(q, CFG, 1);
    g_assert_true(qtest_get_irq(q, 0));
    qtest_quit(q);
}

static void test_hpet_off_and_reset(void)
{
    QTestState *q = qtest_init("-M pc,hpet=off");

    /* nothing there: the PCI hole reads 0 */
    g_assert_cmphex(rd(q, CAP), ==, 0);
    qtest_quit(q);

    q = qtest_init("-M pc");
    wr(q, CFG, 3);
    wr(q, TCFG(1), TN_LEVEL | TN_INT_ENB);
    wr(q, TCMP(1), 5);
    qtest_system_reset(q);
    g_assert_cmphex(rd(q, CFG), ==, 0);
    g_assert_cmphex(rd(q, CNT), ==, 0);
    g_assert_cmphex(rd(q, TCFG(1)), ==, 0x00ff010400000030ull);
    g_assert_cmphex(rd(q, TCMP(1)), ==, ~0ull);
    qtest_quit(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hpet/registers", test_registers);
    g_test_add_func("/hpet/counter", test_counter);
    g_test_add_func("/hpet/oneshot-ioapic", test_oneshot_ioapic);
    g_test_add_func("/hpet/level-status", test_level_status);
    g_test_add_func("/hpet/periodic", test_periodic);
    g_test_add_func("/hpet/32bit-wrap", test_32bit_wrap);
    g_test_add_func("/hpet/legacy-replacement", test_legacy_replacement);
    g_test_add_func("/hpet/off-and-reset", test_hpet_off_and_reset);
    return g_test_run();
}
