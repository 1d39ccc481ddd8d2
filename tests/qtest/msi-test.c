/*
 * PCI MSI (hw/pci/msi.c) from pci-testdev,msi-vectors=4 on the pc board
 * to the local APICs: the capability's registers, multiple messages,
 * destinations, per-vector masking with pending bits, Bus Master Enable,
 * MSI disabled, vectors beyond those enabled, reset.
 */
#include "libqtest.h"

#define DEVFN (4 << 3)
#define BAR0 0xe0000000u
#define CAP 0x80

static uint32_t cfg_addr(unsigned reg)
{
    return 0x80000000u | (DEVFN << 8) | (reg & 0xfc);
}

static uint32_t cfg_readl(QTestState *q, unsigned reg)
{
    qtest_outl(q, 0xcf8, cfg_addr(reg));
    return qtest_inl(q, 0xcfc);
}

static void cfg_writel(QTestState *q, unsigned reg, uint32_t v)
{
    qtest_outl(q, 0xcf8, cfg_addr(reg));
    qtest_outl(q, 0xcfc, v);
}

static void cfg_writew(QTestState *q, unsigned reg, uint16_t v)
{
    qtest_outl(q, 0xcf8, cfg_addr(reg));
    qtest_outw(q, 0xcfc + (reg & 2), v);
}

static bool apic_irr(QTestState *q, int cpu, int v)
{
    uint32_t w;

    qtest_set_cpu(q, cpu);
    w = qtest_readl(q, 0xfee00200 + (v / 32) * 0x10);
    qtest_set_cpu(q, -1);
    return w & (1u << (v % 32));
}

static void msi_signal(QTestState *q, unsigned vector)
{
    qtest_writel(q, BAR0 + 0xffc, vector);
}

static QTestState *start(void)
{
    QTestState *q = qtest_init("-M pc -smp 2 "
                               "-device pci-testdev,addr=4,msi-vectors=4");

    cfg_writel(q, 0x10, BAR0);
    cfg_writew(q, 0x04, 0x0006);                 /* memory + bus master */
    return q;
}

static void test_capability(void)
{
    QTestState *q = start();

    /* first in the list, before the vendor capabilities */
    g_assert_cmphex(cfg_readl(q, 0x34) & 0xff, ==, CAP);
    /* id 5, 64-bit, per-vector mask, 4 vectors capable, disabled */
    g_assert_cmphex(cfg_readl(q, CAP), ==, 0x01846005u);
    cfg_writel(q, CAP + 4, 0xffffffff);
    g_assert_cmphex(cfg_readl(q, CAP + 4), ==, 0xfffffffc);
    cfg_writel(q, CAP + 12, 0xffffffff);
    g_assert_cmphex(cfg_readl(q, CAP + 12), ==, 0xffff);
    cfg_writel(q, CAP + 16, 0xffffffff);         /* mask: 4 bits */
    g_assert_cmphex(cfg_readl(q, CAP + 16), ==, 0xf);
    cfg_writel(q, CAP + 20, 0xffffffff);         /* pending: read-only */
    g_assert_cmphex(cfg_readl(q, CAP + 20), ==, 0);
    /* more messages than capable: clamped */
    cfg_writew(q, CAP + 2, 0x0051);
    g_assert_cmphex(cfg_readl(q, CAP) >> 16, ==, 0x01a5);
    qtest_quit(q);
}

static void enable(QTestState *q, uint32_t addr, uint16_t data)
{
    cfg_writel(q, CAP + 4, addr);
    cfg_writel(q, CAP + 8, 0);
    cfg_writel(q, CAP + 12, data);
    cfg_writew(q, CAP + 2, 0x0021);              /* 4 messages, enable */
}

static void test_vectors_and_destinations(void)
{
    QTestState *q = start();

    /* nothing while MSI is off */
    msi_signal(q, 0);
    g_assert_false(apic_irr(q, 0, 0x60));
    enable(q, 0xfee00000, 0x60);
    msi_signal(q, 2);
    g_assert_true(apic_irr(q, 0, 0x62));
    g_assert_false(apic_irr(q, 1, 0x62));
    /* a vector beyond those enabled is dropped */
    msi_signal(q, 4);
    g_assert_false(apic_irr(q, 0, 0x64));
    /* CPU 1 */
    cfg_writel(q, CAP + 4, 0xfee01000);
    msi_signal(q, 3);
    g_assert_true(apic_irr(q, 1, 0x63));
    /* no bus mastering: no message */
    cfg_writew(q, 0x04, 0x0002);
    msi_signal(q, 1);
    g_assert_false(apic_irr(q, 1, 0x61));
    qtest_quit(q);
}

static void test_mask_pending(void)
{
    QTestState *q = start();

    enable(q, 0xfee00000, 0x70);
    cfg_writel(q, CAP + 16, 0x2);                /* mask vector 1 */
    msi_signal(q, 1);
    g_assert_false(apic_irr(q, 0, 0x71));
    g_assert_cmphex(cfg_readl(q, CAP + 20), ==, 0x2);
    cfg_writel(q, CAP + 16, 0x0);                /* unmask: sent */
    g_assert_true(apic_irr(q, 0, 0x71));
    g_assert_cmphex(cfg_readl(q, CAP + 20), ==, 0);
    qtest_quit(q);
}

static void test_reset(void)
{
    QTestState *q = start();

    enable(q, 0xfee00000, 0x70);
    cfg_writel(q, CAP + 16, 0x1);
    msi_signal(q, 0);
    qtest_system_reset(q);
    g_assert_cmphex(cfg_readl(q, CAP) >> 16, ==, 0x0184);
    g_assert_cmphex(cfg_readl(q, CAP + 16), ==, 0);
    g_assert_cmphex(cfg_readl(q, CAP + 20), ==, 0);
    qtest_quit(q);
}

static void test_bad_vector_count(void)
{
    g_autofree char *err = NULL;
    int status = qtest_run(qtest_binary(), "-M pc -accel qtest -display none "
                           "-device pci-testdev,msi-vectors=3", NULL, &err);

    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, "power of 2"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/msi/capability", test_capability);
    g_test_add_func("/msi/vectors-destinations", test_vectors_and_destinations);
    g_test_add_func("/msi/mask-pending", test_mask_pending);
    g_test_add_func("/msi/reset", test_reset);
    g_test_add_func("/msi/bad-vector-count", test_bad_vector_count);
    return g_test_run();
}
