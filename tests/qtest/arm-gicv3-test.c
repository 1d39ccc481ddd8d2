/*
 * GICv3 distributor and redistributor tests over qtest, on
 * -M virt,gic-version=3 -accel qtest (no CPU runs, so the system-register
 * CPU interface is not reachable here: with it disabled nothing may be
 * signalled).  Behaviour from Arm IHI 0069 (GICv3).
 */
#include "libqtest.h"

#define GICD            0x08000000ULL
#define GICR(n)         (0x080a0000ULL + (n) * 0x20000)
#define SGI_BASE        0x10000

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IIDR       0x0008
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ISPENDR    0x0200
#define GICD_ICPENDR    0x0280
#define GICD_ISACTIVER  0x0300
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR  0x0800
#define GICD_ICFGR      0x0c00
#define GICD_IROUTER    0x6000
#define GICR_TYPER      0x0008
#define GICR_WAKER      0x0014

static QTestState *gic_start(void)
{
    QTestState *q = qtest_init("-M virt,gic-version=3 -smp 3");

    qtest_irq_intercept_out(q, "gic");
    return q;
}

static void test_dist_id(void)
{
    QTestState *q = gic_start();
    uint32_t typer = qtest_readl(q, GICD + GICD_TYPER);

    /* 288 INTIDs, IDbits = 9 */
    g_assert_cmphex(typer & 0x1f, ==, 288 / 32 - 1);
    g_assert_cmphex((typer >> 19) & 0x1f, ==, 9);
    /* ARE and DS read as one; only the group enables are writable */
    g_assert_cmphex(qtest_readl(q, GICD + GICD_CTLR), ==, 0x50);
    qtest_writel(q, GICD + GICD_CTLR, 0xffffffff);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_CTLR), ==, 0x53);
    g_assert_cmphex(qtest_readl(q, GICD + 0xffe8) >> 4, ==, 3);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_IIDR) & 0xfff, ==, 0x43b);
    qtest_quit(q);
}

static void test_dist_spi_regs(void)
{
    QTestState *q = gic_start();

    /* SGI/PPI registers of the distributor are RAZ/WI with ARE */
    qtest_writel(q, GICD + GICD_ISENABLER, 0xffffffff);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_ISENABLER), ==, 0);
    qtest_writel(q, GICD + GICD_ISENABLER + 4, 0x80000001);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_ISENABLER + 4), ==,
                    0x80000001);
    qtest_writel(q, GICD + GICD_ICENABLER + 4, 1);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_ISENABLER + 4), ==,
                    0x80000000);
    qtest_writeb(q, GICD + GICD_IPRIORITYR + 40, 0xff);
    g_assert_cmphex(qtest_readb(q, GICD + GICD_IPRIORITYR + 40), ==, 0xf8);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_ITARGETSR + 32), ==, 0);
    qtest_writel(q, GICD + GICD_ICFGR + 8, 0xffffffff);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_ICFGR + 8), ==, 0xaaaaaaaa);
    qtest_writel(q, GICD + GICD_IGROUPR + 4, 0xffffffff);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_IGROUPR + 4), ==,
                    0xffffffff);
    /* IROUTER: Aff3.Aff2.Aff1.Aff0 and IRM; 64-bit and 32-bit halves */
    qtest_writeq(q, GICD + GICD_IROUTER + 8 * 40, 0xffffffffffffffffULL);
    g_assert_cmphex(qtest_readq(q, GICD + GICD_IROUTER + 8 * 40), ==,
                    0xff80ffffffULL);
    qtest_writel(q, GICD + GICD_IROUTER + 8 * 40 + 4, 0);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_IROUTER + 8 * 40), ==,
                    0x80ffffff);
    g_assert_cmphex(qtest_readq(q, GICD + GICD_IROUTER + 8 * 20), ==, 0);
    qtest_quit(q);
}

static void test_spi_pending(void)
{
    QTestState *q = gic_start();

    qtest_writel(q, GICD + GICD_CTLR, 0x3);
    qtest_writel(q, GICD + GICD_ISENABLER + 4, 1 << 1);
    qtest_writeq(q, GICD + GICD_IROUTER + 8 * 33, 1);     /* CPU 1 */
    qtest_set_irq_in(q, "gic", NULL, 1, 1);               /* SPI 1 = 33 */
    g_assert_cmphex(qtest_readl(q, GICD + GICD_ISPENDR + 4), ==, 1 << 1);
    /* the CPU interfaces are disabled (ICC_IGRPEN*): nothing signalled */
    for (int i = 0; i < 6; i++) {
        g_assert_false(qtest_get_irq(q, i));
    }
    qtest_set_irq_in(q, "gic", NULL, 1, 0);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_ISPENDR + 4), ==, 0);
    /* edge: latched */
    qtest_writel(q, GICD + GICD_ICFGR + 8, 0x2 << 2);
    qtest_set_irq_in(q, "gic", NULL, 1, 1);
    qtest_set_irq_in(q, "gic", NULL, 1, 0);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_ISPENDR + 4), ==, 1 << 1);
    qtest_writel(q, GICD + GICD_ICPENDR + 4, 1 << 1);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_ISPENDR + 4), ==, 0);
    qtest_writel(q, GICD + GICD_ISACTIVER + 4, 1 << 1);
    g_assert_cmphex(qtest_readl(q, GICD + GICD_ISACTIVER + 4), ==, 1 << 1);
    qtest_quit(q);
}

static void test_redist(void)
{
    QTestState *q = gic_start();

    for (int i = 0; i < 3; i++) {
        uint64_t typer = qtest_readq(q, GICR(i) + GICR_TYPER);

        /* affinity, processor number, Last on the final one only */
        g_assert_cmphex(typer >> 32, ==, i);
        g_assert_cmphex((typer >> 8) & 0xffff, ==, i);
        g_assert_cmphex((typer >> 4) & 1, ==, i == 2);
        g_assert_cmphex(qtest_readl(q, GICR(i) + GICR_TYPER + 4), ==, i);
        /* asleep at reset; waking clears ChildrenAsleep */
        g_assert_cmphex(qtest_readl(q, GICR(i) + GICR_WAKER), ==, 0x6);
    }
    qtest_writel(q, GICR(1) + GICR_WAKER, 0);
    g_assert_cmphex(qtest_readl(q, GICR(1) + GICR_WAKER), ==, 0);
    g_assert_cmphex(qtest_readl(q, GICR(0) + GICR_WAKER), ==, 0x6);
    g_assert_cmphex(qtest_readl(q, GICR(1) + 0xffe8) >> 4, ==, 3);

    /* SGI_base: banked SGI/PPI registers */
    qtest_writel(q, GICR(1) + SGI_BASE + GICD_ISENABLER, 0x0800ffff);
    g_assert_cmphex(qtest_readl(q, GICR(1) + SGI_BASE + GICD_ISENABLER), ==,
                    0x0800ffff);
    g_assert_cmphex(qtest_readl(q, GICR(0) + SGI_BASE + GICD_ISENABLER), ==,
                    0);
    qtest_writeb(q, GICR(1) + SGI_BASE + GICD_IPRIORITYR + 27, 0xa0);
    g_assert_cmphex(qtest_readl(q, GICR(1) + SGI_BASE + GICD_IPRIORITYR +
                                24), ==, 0xa0000000);
    /* SGIs are edge, read-only config */
    g_assert_cmphex(qtest_readl(q, GICR(1) + SGI_BASE + GICD_ICFGR), ==,
                    0xaaaaaaaa);
    qtest_writel(q, GICR(1) + SGI_BASE + GICD_ICFGR, 0);
    g_assert_cmphex(qtest_readl(q, GICR(1) + SGI_BASE + GICD_ICFGR), ==,
                    0xaaaaaaaa);
    /* a PPI of CPU 1 (the virtual timer, INTID 27) pends in its bank */
    qtest_set_irq_in(q, "gic", NULL, 256 + 32 + 27, 1);
    g_assert_cmphex(qtest_readl(q, GICR(1) + SGI_BASE + GICD_ISPENDR), ==,
                    1u << 27);
    g_assert_cmphex(qtest_readl(q, GICR(0) + SGI_BASE + GICD_ISPENDR), ==,
                    0);
    /* reset */
    qtest_system_reset(q);
    g_assert_cmphex(qtest_readl(q, GICR(1) + GICR_WAKER), ==, 0x6);
    g_assert_cmphex(qtest_readl(q, GICR(1) + SGI_BASE + GICD_ISENABLER), ==,
                    0);
    qtest_quit(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/arm-gicv3/dist-id", test_dist_id);
    g_test_add_func("/arm-gicv3/dist-spi-regs", test_dist_spi_regs);
    g_test_add_func("/arm-gicv3/spi-pending", test_spi_pending);
    g_test_add_func("/arm-gicv3/redist", test_redist);
    return g_test_run();
}
