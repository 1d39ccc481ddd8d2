/*
 * The IOAPIC of the pc board (0xfec00000): its registers, redirection
 * entries delivered to the local APICs (seen in their IRR through the
 * APIC window), edge and level pins, remote IRR and the EOI register,
 * unmasking an asserted level pin, ISA IRQ 0 on pin 2, destinations, and
 * reset.  Pins are driven through the GSI router's inputs.
 */
#include "libqtest.h"

#define IOAPIC 0xfec00000ULL
#define APIC   0xfee00000ULL

static uint32_t io_read(QTestState *q, uint8_t idx)
{
    qtest_writel(q, IOAPIC, idx);
    return qtest_readl(q, IOAPIC + 0x10);
}

static void io_write(QTestState *q, uint8_t idx, uint32_t v)
{
    qtest_writel(q, IOAPIC, idx);
    qtest_writel(q, IOAPIC + 0x10, v);
}

static void rte_write(QTestState *q, int pin, uint64_t v)
{
    io_write(q, 0x10 + 2 * pin + 1, v >> 32);
    io_write(q, 0x10 + 2 * pin, (uint32_t)v);
}

static uint64_t rte_read(QTestState *q, int pin)
{
    return io_read(q, 0x10 + 2 * pin) |
           ((uint64_t)io_read(q, 0x10 + 2 * pin + 1) << 32);
}

static bool apic_irr(QTestState *q, int cpu, int v)
{
    uint32_t w;

    qtest_set_cpu(q, cpu);
    w = qtest_readl(q, APIC + 0x200 + (v / 32) * 0x10);
    qtest_set_cpu(q, -1);
    return w & (1u << (v % 32));
}

static void gsi(QTestState *q, int n, int level)
{
    qtest_set_irq_in(q, "gsi", NULL, n, level);
}

#define RTE_LEVEL   (1ull << 15)
#define RTE_MASKED  (1ull << 16)
#define RTE_RIRR    (1ull << 14)
#define RTE_LOGICAL (1ull << 11)
#define DEST(d)     ((uint64_t)(d) << 56)

static void test_registers(void)
{
    QTestState *q = qtest_init("-M pc");

    g_assert_cmphex(io_read(q, 0x01), ==, 0x00170020);  /* 24 pins, v0x20 */
    g_assert_cmphex(io_read(q, 0x00), ==, 0);
    io_write(q, 0x00, 0x0f000000 | 0xffffff);
    g_assert_cmphex(io_read(q, 0x00), ==, 0x0f000000);
    g_assert_cmphex(io_read(q, 0x02), ==, 0x0f000000);
    io_write(q, 0x01, 0);                              /* read-only */
    g_assert_cmphex(io_read(q, 0x01), ==, 0x00170020);
    for (int pin = 0; pin < 24; pin++) {
        g_assert_cmphex(rte_read(q, pin), ==, RTE_MASKED);
    }
    /* delivery status, remote IRR and reserved bits are not writable */
    rte_write(q, 3, 0xffffffffffffffffull);
    g_assert_cmphex(rte_read(q, 3), ==, 0xff0000000001afffull);
    g_assert_cmphex(io_read(q, 0x40), ==, 0);          /* past the table */
    g_assert_cmphex(io_read(q, 0x03), ==, 0);
    qtest_writeb(q, IOAPIC, 0x01);
    g_assert_cmphex(qtest_readb(q, IOAPIC), ==, 0x01);
    g_assert_cmphex(qtest_readb(q, IOAPIC + 0x12), ==, 0x17);
    qtest_quit(q);
}

static void test_edge(void)
{
    QTestState *q = qtest_init("-M pc -smp 2");

    rte_write(q, 4, 0x34 | DEST(1));
    gsi(q, 4, 1);
    g_assert_true(apic_irr(q, 1, 0x34));
    g_assert_false(apic_irr(q, 0, 0x34));
    gsi(q, 4, 0);
    /* a masked edge is lost */
    rte_write(q, 5, 0x35 | RTE_MASKED);
    gsi(q, 5, 1);
    gsi(q, 5, 0);
    rte_write(q, 5, 0x35);
    g_assert_false(apic_irr(q, 0, 0x35));
    /* ISA IRQ 0 arrives on pin 2 */
    rte_write(q, 2, 0x30);
    gsi(q, 0, 1);
    g_assert_true(apic_irr(q, 0, 0x30));
    /* logical destination, flat model: CPU 1 has LDR bit 1 */
    qtest_set_cpu(q, 1);
    qtest_writel(q, APIC + 0xd0, 0x02000000);
    qtest_set_cpu(q, -1);
    rte_write(q, 6, 0x36 | RTE_LOGICAL | DEST(0x02));
    gsi(q, 6, 1);
    g_assert_true(apic_irr(q, 1, 0x36));
    g_assert_false(apic_irr(q, 0, 0x36));
    /* a CPU that does not exist: nothing, nobody crashes */
    rte_write(q, 7, 0x37 | DEST(9));
    gsi(q, 7, 1);
    g_assert_false(apic_irr(q, 0, 0x37) || apic_irr(q, 1, 0x37));
    qtest_quit(q);
}

static void test_level_remote_irr(void)
{
    QTestState *q = qtest_init("-M pc");

    rte_write(q, 9, 0x39 | RTE_LEVEL);
    gsi(q, 9, 1);
    g_assert_true(apic_irr(q, 0, 0x39));
    g_assert_cmphex(rte_read(q, 9) & RTE_RIRR, !=, 0);
    /* the EOI register ends it; the pin is still high: sent again */
    qtest_writel(q, IOAPIC + 0x40, 0x38);              /* another vector */
    g_assert_cmphex(rte_read(q, 9) & RTE_RIRR, !=, 0);
    qtest_writel(q, IOAPIC + 0x40, 0x39);
    g_assert_cmphex(rte_read(q, 9) & RTE_RIRR, !=, 0);
    gsi(q, 9, 0);
    qtest_writel(q, IOAPIC + 0x40, 0x39);
    g_assert_cmphex(rte_read(q, 9) & RTE_RIRR, ==, 0);
    /* switching to edge drops remote IRR */
    gsi(q, 9, 1);
    g_assert_cmphex(rte_read(q, 9) & RTE_RIRR, !=, 0);
    rte_write(q, 9, 0x39);
    g_assert_cmphex(rte_read(q, 9) & RTE_RIRR, ==, 0);
    qtest_quit(q);
}

static void test_unmask_asserted(void)
{
    QTestState *q = qtest_init("-M pc");

    rte_write(q, 11, 0x3b | RTE_LEVEL | RTE_MASKED);
    gsi(q, 11, 1);
    g_assert_false(apic_irr(q, 0, 0x3b));
    rte_write(q, 11, 0x3b | RTE_LEVEL);
    g_assert_true(apic_irr(q, 0, 0x3b));
    g_assert_cmphex(rte_read(q, 11) & RTE_RIRR, !=, 0);
    /* NMI/INIT/ExtINT are never EOI'd: no remote IRR */
    rte_write(q, 12, (4 << 8) | RTE_LEVEL);
    gsi(q, 12, 1);
    g_assert_cmphex(rte_read(q, 12) & RTE_RIRR, ==, 0);
    qtest_quit(q);
}

static void test_reset(void)
{
    QTestState *q = qtest_init("-M pc");

    rte_write(q, 9, 0x39 | RTE_LEVEL);
    gsi(q, 9, 1);
    io_write(q, 0, 0x05000000);
    qtest_system_reset(q);
    g_assert_cmphex(rte_read(q, 9), ==, RTE_MASKED);
    g_assert_cmphex(io_read(q, 0), ==, 0);
    qtest_quit(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ioapic/registers", test_registers);
    g_test_add_func("/ioapic/edge", test_edge);
    g_test_add_func("/ioapic/level-remote-irr", test_level_remote_irr);
    g_test_add_func("/ioapic/unmask-asserted", test_unmask_asserted);
    g_test_add_func("/ioapic/reset", test_reset);
    return g_test_run();
}
