/*
 * Local APIC registers through the MMIO window of the pc board (0xfee00000,
 * the current CPU's APIC; the "cpu N" qtest command picks the CPU), and
 * MSIs written there by a device: reset values per CPU, IPIs from one CPU
 * to another, MSI decoding, the timer on the virtual clock, priorities,
 * reserved registers and odd access sizes, system reset, -cpu without an
 * APIC.  The CPU's side (INTA, EOI broadcast, INIT/SIPI, x2APIC MSRs) is
 * tests/unit/test-apic.c.
 */
#include "libqtest.h"

#define APIC        0xfee00000ULL
#define REG_ID      0x020
#define REG_VERSION 0x030
#define REG_TPR     0x080
#define REG_PPR     0x0a0
#define REG_LDR     0x0d0
#define REG_DFR     0x0e0
#define REG_SVR     0x0f0
#define REG_ISR     0x100
#define REG_TMR     0x180
#define REG_IRR     0x200
#define REG_ESR     0x280
#define REG_ICR     0x300
#define REG_ICR_HI  0x310
#define REG_LVT_TIMER 0x320
#define REG_LVT_LINT0 0x350
#define REG_LVT_LINT1 0x360
#define REG_LVT_ERROR 0x370
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR  0x390
#define REG_TIMER_DIV  0x3e0

static uint32_t rd(QTestState *q, int cpu, unsigned reg)
{
    qtest_set_cpu(q, cpu);
    return qtest_readl(q, APIC + reg);
}

static void wr(QTestState *q, int cpu, unsigned reg, uint32_t v)
{
    qtest_set_cpu(q, cpu);
    qtest_writel(q, APIC + reg, v);
}

static bool irr_has(QTestState *q, int cpu, int v)
{
    return rd(q, cpu, REG_IRR + (v / 32) * 0x10) & (1u << (v % 32));
}

static QTestState *start(int smp)
{
    g_autofree char *args = g_strdup_printf("-M pc -smp %d", smp);
    QTestState *q = qtest_init(args);

    for (int i = 0; i < smp; i++) {
        wr(q, i, REG_SVR, 0x1ff);          /* software enable */
    }
    return q;
}

static void check_reset_values(QTestState *q)
{
    for (int cpu = 0; cpu < 2; cpu++) {
        g_assert_cmphex(rd(q, cpu, REG_ID), ==, (uint32_t)cpu << 24);
        g_assert_cmphex(rd(q, cpu, REG_VERSION), ==, 0x50014);
        g_assert_cmphex(rd(q, cpu, REG_TPR), ==, 0);
        g_assert_cmphex(rd(q, cpu, REG_PPR), ==, 0);
        g_assert_cmphex(rd(q, cpu, REG_LDR), ==, 0);
        g_assert_cmphex(rd(q, cpu, REG_DFR), ==, 0xffffffff);
        g_assert_cmphex(rd(q, cpu, REG_SVR), ==, 0xff);
        g_assert_cmphex(rd(q, cpu, REG_LVT_TIMER), ==, 0x10000);
        g_assert_cmphex(rd(q, cpu, REG_LVT_LINT1), ==, 0x10000);
        g_assert_cmphex(rd(q, cpu, REG_LVT_ERROR), ==, 0x10000);
        g_assert_cmphex(rd(q, cpu, REG_TIMER_INIT), ==, 0);
        g_assert_cmphex(rd(q, cpu, REG_TIMER_DIV), ==, 0);
        g_assert_cmphex(rd(q, cpu, REG_IRR + 0x70), ==, 0);
    }
    /* virtual wire mode on the BSP only */
    g_assert_cmphex(rd(q, 0, REG_LVT_LINT0), ==, 0x700);
    g_assert_cmphex(rd(q, 1, REG_LVT_LINT0), ==, 0x10000);
}

static void test_reset_values(void)
{
    QTestState *q = qtest_init("-M pc -smp 2");

    check_reset_values(q);
    /* without "cpu", a test's access is CPU 0's */
    qtest_set_cpu(q, -1);
    g_assert_cmphex(qtest_readl(q, APIC + REG_ID), ==, 0);
    qtest_quit(q);
}

static void test_ipi(void)
{
    QTestState *q = start(2);

    /* fixed, physical destination 1 */
    wr(q, 0, REG_ICR_HI, 1u << 24);
    wr(q, 0, REG_ICR, 0x4031);
    g_assert_true(irr_has(q, 1, 0x31));
    g_assert_false(irr_has(q, 0, 0x31));
    g_assert_cmphex(rd(q, 0, REG_ICR) & (1u << 12), ==, 0);  /* idle */
    g_assert_cmphex(rd(q, 0, REG_ICR_HI), ==, 1u << 24);
    /* logical, flat model: CPU 1 answers to bit 1 */
    wr(q, 1, REG_LDR, 0x02000000);
    wr(q, 0, REG_ICR_HI, 0x02000000);
    wr(q, 0, REG_ICR, 0x4832);
    g_assert_true(irr_has(q, 1, 0x32));
    /* cluster model: cluster 1, member 1 */
    wr(q, 1, REG_DFR, 0x0fffffff);
    wr(q, 1, REG_LDR, 0x11000000);
    wr(q, 0, REG_ICR_HI, 0x11000000);
    wr(q, 0, REG_ICR, 0x4833);
    g_assert_true(irr_has(q, 1, 0x33));
    g_assert_cmphex(rd(q, 1, REG_DFR), ==, 0x0fffffff);
    /* self shorthand */
    wr(q, 1, REG_ICR, (1 << 18) | 0x34);
    g_assert_true(irr_has(q, 1, 0x34));
    g_assert_false(irr_has(q, 0, 0x34));
    /* all including self, level trigger sets TMR */
    wr(q, 0, REG_ICR, (2 << 18) | (1 << 15) | (1 << 14) | 0x35);
    g_assert_true(irr_has(q, 0, 0x35) && irr_has(q, 1, 0x35));
    g_assert_cmphex(rd(q, 1, REG_TMR + 0x10) & (1u << (0x35 - 32)), !=, 0);
    qtest_quit(q);
}

static void test_msi(void)
{
    QTestState *q = start(2);

    qtest_set_cpu(q, -1);                       /* a device's write */
    qtest_writel(q, APIC + 0x1000, 0x45);       /* APIC 1 */
    qtest_writel(q, APIC, 0x46);                /* APIC 0 */
    qtest_writel(q, APIC + 0xff000, 0x47);      /* broadcast */
    qtest_writel(q, APIC + 0x100c, 0x48);       /* RH/DM bits: logical */
    g_assert_true(irr_has(q, 1, 0x45));
    g_assert_false(irr_has(q, 0, 0x45));
    g_assert_true(irr_has(q, 0, 0x46));
    g_assert_true(irr_has(q, 0, 0x47) && irr_has(q, 1, 0x47));
    /* logical destination 1 = CPU 0 in the flat model once LDR says so */
    wr(q, 0, REG_LDR, 0x01000000);
    qtest_set_cpu(q, -1);
    qtest_writel(q, APIC + 0x1004, 0x49);
    g_assert_true(irr_has(q, 0, 0x49));
    /* an MSI must be a 32-bit write */
    qtest_set_cpu(q, -1);
    qtest_writew(q, APIC + 0x1000, 0x4a);
    g_assert_false(irr_has(q, 1, 0x4a));
    /* a device cannot reach the registers */
    qtest_writel(q, APIC + REG_TPR, 0x50);
    g_assert_cmphex(rd(q, 0, REG_TPR), ==, 0);
    qtest_quit(q);
}

static void test_timer(void)
{
    QTestState *q = start(1);

    wr(q, 0, REG_TIMER_DIV, 0x1);             /* divide by 4 */
    wr(q, 0, REG_LVT_TIMER, (1 << 17) | 0x40);
    wr(q, 0, REG_TIMER_INIT, 250000);        /* 1 ms at 1 GHz / 4 */
    qtest_clock_step(q, 500000);
    g_assert_cmpint(rd(q, 0, REG_TIMER_CUR), ==, 125000);
    qtest_clock_step(q, 499999);
    g_assert_false(irr_has(q, 0, 0x40));
    qtest_clock_step(q, 1);
    g_assert_true(irr_has(q, 0, 0x40));
    /* one-shot from here: the count runs out once */
    wr(q, 0, REG_LVT_TIMER, 0x41);
    wr(q, 0, REG_TIMER_INIT, 1000);
    qtest_clock_step(q, 4000);
    g_assert_true(irr_has(q, 0, 0x41));
    g_assert_cmpint(rd(q, 0, REG_TIMER_CUR), ==, 0);
    qtest_quit(q);
}

static void test_priorities(void)
{
    QTestState *q = start(1);

    wr(q, 0, REG_TPR, 0x35);
    g_assert_cmphex(rd(q, 0, REG_TPR), ==, 0x35);
    g_assert_cmphex(rd(q, 0, REG_PPR), ==, 0x35);
    wr(q, 0, REG_TPR, 0x1ff);                 /* 8 bits */
    g_assert_cmphex(rd(q, 0, REG_TPR), ==, 0xff);
    /* software disable masks every LVT and keeps them masked */
    wr(q, 0, REG_LVT_TIMER, 0x30);
    wr(q, 0, REG_SVR, 0xff);
    g_assert_cmphex(rd(q, 0, REG_LVT_TIMER), ==, 0x10030);
    wr(q, 0, REG_LVT_ERROR, 0xe0);
    g_assert_cmphex(rd(q, 0, REG_LVT_ERROR), ==, 0x100e0);
    qtest_quit(q);
}

static void test_bad_accesses(void)
{
    QTestState *q = start(1);

    /* bytes of a register read back from their lanes */
    qtest_set_cpu(q, 0);
    g_assert_cmphex(qtest_readb(q, APIC + REG_VERSION), ==, 0x14);
    g_assert_cmphex(qtest_readb(q, APIC + REG_VERSION + 2), ==, 0x05);
    g_assert_cmphex(qtest_readw(q, APIC + REG_VERSION + 2), ==, 0x0005);
    /* the rest of each 16-byte slot and accesses across it read 0 */
    g_assert_cmphex(qtest_readl(q, APIC + REG_VERSION + 4), ==, 0);
    g_assert_cmphex(qtest_readl(q, APIC + REG_VERSION + 2), ==, 0);
    g_assert_cmphex(qtest_readq(q, APIC + REG_VERSION), ==, 0);
    /* partial writes are dropped */
    qtest_writeb(q, APIC + REG_TPR, 0x20);
    g_assert_cmphex(rd(q, 0, REG_TPR), ==, 0);
    /* read-only registers ignore writes */
    wr(q, 0, REG_VERSION, 0);
    wr(q, 0, REG_PPR, 0x40);
    g_assert_cmphex(rd(q, 0, REG_VERSION), ==, 0x50014);
    g_assert_cmphex(rd(q, 0, REG_PPR), ==, 0);
    /* a reserved register reads 0 and sets "illegal register address" */
    g_assert_cmphex(rd(q, 0, 0x400), ==, 0);
    g_assert_cmphex(rd(q, 0, 0x2f0), ==, 0);
    wr(q, 0, REG_ESR, 0);
    g_assert_cmphex(rd(q, 0, REG_ESR), ==, 0x80);
    /* an illegal vector in the ICR: "send illegal vector", no delivery */
    wr(q, 0, REG_ICR, (1 << 18) | 0x0e);
    wr(q, 0, REG_ESR, 0);
    g_assert_cmphex(rd(q, 0, REG_ESR), ==, 0x20);
    g_assert_cmphex(rd(q, 0, REG_IRR), ==, 0);
    qtest_quit(q);
}

static void test_system_reset(void)
{
    QTestState *q = start(2);

    wr(q, 1, REG_TPR, 0x40);
    wr(q, 1, REG_LVT_LINT0, 0x700);
    wr(q, 0, REG_ICR_HI, 1u << 24);
    wr(q, 0, REG_ICR, 0x4031);
    wr(q, 0, REG_TIMER_INIT, 100);
    qtest_system_reset(q);
    check_reset_values(q);
    qtest_quit(q);
}

static void test_no_apic(void)
{
    QTestState *q = qtest_init("-M pc -cpu qemu64,-apic");

    /* nothing decodes there: the PCI hole reads 0 */
    qtest_set_cpu(q, 0);
    g_assert_cmphex(qtest_readl(q, APIC + REG_VERSION), ==, 0);
    qtest_quit(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/apic/mmio/reset-values", test_reset_values);
    g_test_add_func("/apic/mmio/ipi", test_ipi);
    g_test_add_func("/apic/mmio/msi", test_msi);
    g_test_add_func("/apic/mmio/timer", test_timer);
    g_test_add_func("/apic/mmio/priorities", test_priorities);
    g_test_add_func("/apic/mmio/bad-accesses", test_bad_accesses);
    g_test_add_func("/apic/mmio/system-reset", test_system_reset);
    g_test_add_func("/apic/mmio/no-apic", test_no_apic);
    return g_test_run();
}
