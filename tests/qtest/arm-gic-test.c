/*
 * GICv2 tests: distributor and CPU interface registers over qtest on the
 * "none" machine (-device arm_gic,addr=: distributor at +0, the CPU
 * interface at +0x10000, CPU n's interface at +0x20000 + n * 0x10000).
 * Outputs intercepted: line 0/1 IRQ of CPU 0/1, 2/3 FIQ of CPU 0/1.
 * Behaviour from Arm IHI 0048B (GICv2).
 */
#include "libqtest.h"

#define BASE        0x8000000ULL
#define DIST        BASE
#define CPUIF(n)    (BASE + 0x20000 + (n) * 0x10000)
#define NUM_IRQ     64

#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_IIDR       0x008
#define GICD_IGROUPR    0x080
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ISPENDR    0x200
#define GICD_ICPENDR    0x280
#define GICD_ISACTIVER  0x300
#define GICD_ICACTIVER  0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xc00
#define GICD_SGIR       0xf00
#define GICD_CPENDSGIR  0xf10
#define GICD_SPENDSGIR  0xf20

#define GICC_CTLR   0x00
#define GICC_PMR    0x04
#define GICC_BPR    0x08
#define GICC_IAR    0x0c
#define GICC_EOIR   0x10
#define GICC_RPR    0x14
#define GICC_HPPIR  0x18
#define GICC_ABPR   0x1c
#define GICC_AIAR   0x20
#define GICC_AEOIR  0x24
#define GICC_APR0   0xd0
#define GICC_IIDR   0xfc
#define GICC_DIR    0x1000

#define IRQ0 0
#define IRQ1 1
#define FIQ0 2

static QTestState *gic_start(void)
{
    QTestState *qts = qtest_initf("-device arm_gic,id=gic,addr=0x%llx,"
                                  "num-cpu=2,num-irq=%d", BASE, NUM_IRQ);

    qtest_irq_intercept_out(qts, "gic");
    return qts;
}

static uint32_t dr(QTestState *q, unsigned off)
{
    return qtest_readl(q, DIST + off);
}

static void dw(QTestState *q, unsigned off, uint32_t v)
{
    qtest_writel(q, DIST + off, v);
}

static uint32_t cr(QTestState *q, int cpu, unsigned off)
{
    return qtest_readl(q, CPUIF(cpu) + off);
}

static void cw(QTestState *q, int cpu, unsigned off, uint32_t v)
{
    qtest_writel(q, CPUIF(cpu) + off, v);
}

/* Enable distributor and both CPU interfaces, unmask every priority. */
static void gic_enable_all(QTestState *q)
{
    dw(q, GICD_CTLR, 1);
    for (int c = 0; c < 2; c++) {
        cw(q, c, GICC_CTLR, 1);
        cw(q, c, GICC_PMR, 0xff);
    }
}

static void spi(QTestState *q, int intid, int level)
{
    qtest_set_irq_in(q, "gic", NULL, intid - 32, level);
}

static void ppi(QTestState *q, int cpu, int intid, int level)
{
    qtest_set_irq_in(q, "gic", NULL, NUM_IRQ - 32 + cpu * 32 + intid, level);
}

static void test_id_regs(void)
{
    QTestState *q = gic_start();

    /* ITLinesNumber = 64/32 - 1, CPUNumber = 2 - 1 */
    g_assert_cmphex(dr(q, GICD_TYPER), ==, 0x21);
    g_assert_cmphex(dr(q, GICD_IIDR) & 0xfff, ==, 0x43b);
    g_assert_cmphex(cr(q, 0, GICC_IIDR) >> 16 & 0xf, ==, 2);
    /* PIDR2.ArchRev is 2 */
    g_assert_cmphex(dr(q, 0xfe8) >> 4 & 0xf, ==, 2);
    g_assert_cmphex(dr(q, 0xff0), ==, 0x0d);
    g_assert_cmphex(dr(q, GICD_CTLR), ==, 0);
    g_assert_cmphex(cr(q, 0, GICC_BPR), ==, 2);
    g_assert_cmphex(cr(q, 0, GICC_ABPR), ==, 3);
    g_assert_cmphex(cr(q, 0, GICC_RPR), ==, 0xff);
    g_assert_cmphex(cr(q, 0, GICC_IAR), ==, 1023);
    qtest_quit(q);
}

static void test_dist_regs(void)
{
    QTestState *q = gic_start();

    /* enable set/clear */
    dw(q, GICD_ISENABLER + 4, 0x80000001);
    g_assert_cmphex(dr(q, GICD_ISENABLER + 4), ==, 0x80000001);
    dw(q, GICD_ICENABLER + 4, 0x1);
    g_assert_cmphex(dr(q, GICD_ICENABLER + 4), ==, 0x80000000);
    /* priority: byte access, 5 bits implemented */
    qtest_writeb(q, DIST + GICD_IPRIORITYR + 33, 0xff);
    g_assert_cmphex(qtest_readb(q, DIST + GICD_IPRIORITYR + 33), ==, 0xf8);
    g_assert_cmphex(dr(q, GICD_IPRIORITYR + 32), ==, 0xf800);
    /* targets: SGIs/PPIs read as the reading CPU, SPIs writable */
    g_assert_cmphex(dr(q, GICD_ITARGETSR), ==, 0x01010101);
    qtest_writeb(q, DIST + GICD_ITARGETSR + 40, 0xff);
    g_assert_cmphex(qtest_readb(q, DIST + GICD_ITARGETSR + 40), ==, 0x3);
    /* config: SGIs always edge, SPIs programmable */
    g_assert_cmphex(dr(q, GICD_ICFGR), ==, 0xaaaaaaaa);
    dw(q, GICD_ICFGR, 0);
    g_assert_cmphex(dr(q, GICD_ICFGR), ==, 0xaaaaaaaa);
    dw(q, GICD_ICFGR + 8, 0xffffffff);
    g_assert_cmphex(dr(q, GICD_ICFGR + 8), ==, 0xaaaaaaaa);
    /* group */
    dw(q, GICD_IGROUPR + 4, 0xf0);
    g_assert_cmphex(dr(q, GICD_IGROUPR + 4), ==, 0xf0);
    /* pending and active set/clear */
    dw(q, GICD_ISPENDR + 4, 0x100);
    g_assert_cmphex(dr(q, GICD_ISPENDR + 4), ==, 0x100);
    dw(q, GICD_ICPENDR + 4, 0x100);
    g_assert_cmphex(dr(q, GICD_ISPENDR + 4), ==, 0);
    dw(q, GICD_ISACTIVER + 4, 0x2);
    g_assert_cmphex(dr(q, GICD_ICACTIVER + 4), ==, 0x2);
    dw(q, GICD_ICACTIVER + 4, 0x2);
    g_assert_cmphex(dr(q, GICD_ISACTIVER + 4), ==, 0);
    /* beyond num-irq: RAZ/WI */
    dw(q, GICD_ISENABLER + 8, 0xffffffff);
    g_assert_cmphex(dr(q, GICD_ISENABLER + 8), ==, 0);
    /* reset puts everything back */
    qtest_system_reset(q);
    g_assert_cmphex(dr(q, GICD_ISENABLER + 4), ==, 0);
    g_assert_cmphex(dr(q, GICD_IGROUPR + 4), ==, 0);
    qtest_quit(q);
}

static void test_spi_edge_flow(void)
{
    QTestState *q = gic_start();

    gic_enable_all(q);
    qtest_writeb(q, DIST + GICD_ITARGETSR + 40, 0x1);
    dw(q, GICD_ICFGR + 8, 0x2 << 16);     /* INTID 40 edge */
    dw(q, GICD_ISENABLER + 4, 1 << 8);
    g_assert_false(qtest_get_irq(q, IRQ0));
    spi(q, 40, 1);
    g_assert_true(qtest_get_irq(q, IRQ0));
    g_assert_false(qtest_get_irq(q, IRQ1));
    g_assert_cmpuint(cr(q, 0, GICC_HPPIR), ==, 40);
    spi(q, 40, 0);                        /* edge: stays pending */
    g_assert_true(qtest_get_irq(q, IRQ0));
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 40);
    g_assert_false(qtest_get_irq(q, IRQ0));
    g_assert_cmphex(dr(q, GICD_ISACTIVER + 4), ==, 1 << 8);
    g_assert_cmphex(dr(q, GICD_ISPENDR + 4), ==, 0);
    g_assert_cmpuint(cr(q, 0, GICC_RPR), ==, 0);
    /* a second edge while active: active and pending, not signalled */
    spi(q, 40, 1);
    spi(q, 40, 0);
    g_assert_cmphex(dr(q, GICD_ISPENDR + 4), ==, 1 << 8);
    g_assert_false(qtest_get_irq(q, IRQ0));
    cw(q, 0, GICC_EOIR, 40);
    g_assert_cmpuint(cr(q, 0, GICC_RPR), ==, 0xff);
    g_assert_true(qtest_get_irq(q, IRQ0));
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 40);
    cw(q, 0, GICC_EOIR, 40);
    g_assert_false(qtest_get_irq(q, IRQ0));
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 1023);
    qtest_quit(q);
}

static void test_spi_level_flow(void)
{
    QTestState *q = gic_start();

    gic_enable_all(q);
    qtest_writeb(q, DIST + GICD_ITARGETSR + 33, 0x2);   /* to CPU 1 */
    dw(q, GICD_ISENABLER + 4, 1 << 1);
    spi(q, 33, 1);
    g_assert_false(qtest_get_irq(q, IRQ0));
    g_assert_true(qtest_get_irq(q, IRQ1));
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 1023);
    g_assert_cmpuint(cr(q, 1, GICC_IAR), ==, 33);
    /* level still high: active and pending */
    g_assert_cmphex(dr(q, GICD_ISPENDR + 4), ==, 1 << 1);
    g_assert_false(qtest_get_irq(q, IRQ1));
    spi(q, 33, 0);
    g_assert_cmphex(dr(q, GICD_ISPENDR + 4), ==, 0);
    cw(q, 1, GICC_EOIR, 33);
    g_assert_false(qtest_get_irq(q, IRQ1));
    /* ICPENDR does not clear a level that is still high */
    spi(q, 33, 1);
    dw(q, GICD_ICPENDR + 4, 1 << 1);
    g_assert_cmphex(dr(q, GICD_ISPENDR + 4), ==, 1 << 1);
    /* disabling the distributor stops forwarding */
    dw(q, GICD_CTLR, 0);
    g_assert_false(qtest_get_irq(q, IRQ1));
    dw(q, GICD_CTLR, 1);
    g_assert_true(qtest_get_irq(q, IRQ1));
    /* a CPU interface with its group disabled signals nothing */
    cw(q, 1, GICC_CTLR, 0);
    g_assert_false(qtest_get_irq(q, IRQ1));
    qtest_quit(q);
}

static void test_priority_mask_preemption(void)
{
    QTestState *q = gic_start();

    gic_enable_all(q);
    dw(q, GICD_ITARGETSR + 32, 0x01010101);
    dw(q, GICD_ISENABLER + 4, 0x7);
    qtest_writeb(q, DIST + GICD_IPRIORITYR + 32, 0x80);
    qtest_writeb(q, DIST + GICD_IPRIORITYR + 33, 0x40);
    qtest_writeb(q, DIST + GICD_IPRIORITYR + 34, 0x48);
    /* PMR masks priorities >= its value */
    cw(q, 0, GICC_PMR, 0x80);
    spi(q, 32, 1);
    g_assert_false(qtest_get_irq(q, IRQ0));
    g_assert_cmpuint(cr(q, 0, GICC_HPPIR), ==, 32);
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 1023);
    cw(q, 0, GICC_PMR, 0x88);
    g_assert_true(qtest_get_irq(q, IRQ0));
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 32);
    g_assert_cmpuint(cr(q, 0, GICC_RPR), ==, 0x80);
    g_assert_cmphex(cr(q, 0, GICC_APR0), ==, 1u << (0x80 >> 3));
    /* a higher priority one preempts */
    spi(q, 33, 1);
    g_assert_true(qtest_get_irq(q, IRQ0));
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 33);
    g_assert_cmpuint(cr(q, 0, GICC_RPR), ==, 0x40);
    /* 0x48 does not preempt 0x40 with BPR 2 (group priority [7:3]) */
    spi(q, 34, 1);
    g_assert_false(qtest_get_irq(q, IRQ0));
    /* with BPR 3 the group priority is [7:4]: 0x48 is in 0x40's group */
    cw(q, 0, GICC_BPR, 3);
    g_assert_false(qtest_get_irq(q, IRQ0));
    cw(q, 0, GICC_BPR, 0);              /* clamps to the minimum */
    g_assert_cmpuint(cr(q, 0, GICC_BPR), ==, 2);
    spi(q, 33, 0);
    cw(q, 0, GICC_EOIR, 33);
    g_assert_cmpuint(cr(q, 0, GICC_RPR), ==, 0x80);
    g_assert_true(qtest_get_irq(q, IRQ0));
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 34);
    spi(q, 34, 0);
    cw(q, 0, GICC_EOIR, 34);
    spi(q, 32, 0);
    cw(q, 0, GICC_EOIR, 32);
    g_assert_cmpuint(cr(q, 0, GICC_RPR), ==, 0xff);
    g_assert_false(qtest_get_irq(q, IRQ0));
    qtest_quit(q);
}

static void test_sgi(void)
{
    QTestState *q = gic_start();

    gic_enable_all(q);
    /* SGIs are always enabled */
    g_assert_cmphex(dr(q, GICD_ISENABLER) & 0xffff, ==, 0xffff);
    dw(q, GICD_ICENABLER, 0xffff);
    g_assert_cmphex(dr(q, GICD_ISENABLER) & 0xffff, ==, 0xffff);
    /* CPU 0 (qtest accesses) sends SGI 3 to CPU 1 by list */
    dw(q, GICD_SGIR, (0x2 << 16) | 3);
    g_assert_false(qtest_get_irq(q, IRQ0));
    g_assert_true(qtest_get_irq(q, IRQ1));
    /* IAR reports the source CPU in bits [12:10] */
    g_assert_cmphex(cr(q, 1, GICC_IAR), ==, 3);
    cw(q, 1, GICC_EOIR, 3);
    g_assert_false(qtest_get_irq(q, IRQ1));
    /* "all but self" */
    dw(q, GICD_SGIR, (1 << 24) | 5);
    g_assert_false(qtest_get_irq(q, IRQ0));
    g_assert_true(qtest_get_irq(q, IRQ1));
    g_assert_cmphex(cr(q, 1, GICC_IAR), ==, 5);
    cw(q, 1, GICC_EOIR, 5);
    /* "self only" */
    dw(q, GICD_SGIR, (2 << 24) | 7);
    g_assert_true(qtest_get_irq(q, IRQ0));
    g_assert_false(qtest_get_irq(q, IRQ1));
    /* SPENDSGIR shows the source bit; CPENDSGIR clears it */
    g_assert_cmphex(dr(q, GICD_SPENDSGIR + 4), ==, 0x01 << 24);
    g_assert_cmphex(dr(q, GICD_ISPENDR), ==, 1 << 7);
    qtest_writeb(q, DIST + GICD_CPENDSGIR + 7, 0x1);
    g_assert_cmphex(dr(q, GICD_ISPENDR), ==, 0);
    g_assert_false(qtest_get_irq(q, IRQ0));
    /* SPENDSGIR pends from a given source: CPU 1 as source */
    qtest_writeb(q, DIST + GICD_SPENDSGIR + 2, 0x2);
    g_assert_true(qtest_get_irq(q, IRQ0));
    g_assert_cmphex(cr(q, 0, GICC_IAR), ==, (1 << 10) | 2);
    cw(q, 0, GICC_EOIR, (1 << 10) | 2);
    /* reserved filter 3 is ignored */
    dw(q, GICD_SGIR, (3 << 24) | 0xff0000 | 1);
    g_assert_false(qtest_get_irq(q, IRQ0));
    g_assert_false(qtest_get_irq(q, IRQ1));
    qtest_quit(q);
}

static void test_ppi_banked(void)
{
    QTestState *q = gic_start();

    gic_enable_all(q);
    /* banked enable: CPU 0's view (qtest accesses are CPU 0's) */
    dw(q, GICD_ISENABLER, 1u << 27);
    ppi(q, 1, 27, 1);              /* CPU 1's PPI 27: not enabled there */
    g_assert_false(qtest_get_irq(q, IRQ1));
    g_assert_false(qtest_get_irq(q, IRQ0));
    ppi(q, 0, 27, 1);
    g_assert_true(qtest_get_irq(q, IRQ0));
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 27);
    ppi(q, 0, 27, 0);
    cw(q, 0, GICC_EOIR, 27);
    g_assert_false(qtest_get_irq(q, IRQ0));
    qtest_quit(q);
}

static void test_groups_fiq(void)
{
    QTestState *q = gic_start();

    dw(q, GICD_CTLR, 3);
    cw(q, 0, GICC_PMR, 0xff);
    qtest_writeb(q, DIST + GICD_ITARGETSR + 36, 0x1);
    qtest_writeb(q, DIST + GICD_ITARGETSR + 37, 0x1);
    dw(q, GICD_ISENABLER + 4, 0x30);
    dw(q, GICD_IGROUPR + 4, 0x20);       /* 37 in group 1 */
    /* group 0 as FIQ */
    cw(q, 0, GICC_CTLR, 0x1 | 0x8);
    spi(q, 36, 1);
    g_assert_true(qtest_get_irq(q, FIQ0));
    g_assert_false(qtest_get_irq(q, IRQ0));
    spi(q, 36, 0);
    /* group 1 disabled on the interface: nothing */
    spi(q, 37, 1);
    g_assert_false(qtest_get_irq(q, IRQ0));
    cw(q, 0, GICC_CTLR, 0x2);
    g_assert_true(qtest_get_irq(q, IRQ0));
    /* IAR without AckCtl returns 1022 for group 1; AIAR acknowledges */
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 1022);
    g_assert_cmpuint(cr(q, 0, GICC_AIAR), ==, 37);
    spi(q, 37, 0);
    cw(q, 0, GICC_AEOIR, 37);
    g_assert_false(qtest_get_irq(q, IRQ0));
    qtest_quit(q);
}

static void test_eoimode(void)
{
    QTestState *q = gic_start();

    gic_enable_all(q);
    cw(q, 0, GICC_CTLR, 1 | (1 << 9));
    qtest_writeb(q, DIST + GICD_ITARGETSR + 35, 0x1);
    dw(q, GICD_ISENABLER + 4, 1 << 3);
    spi(q, 35, 1);
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 35);
    spi(q, 35, 0);
    cw(q, 0, GICC_EOIR, 35);
    /* priority dropped, still active until GICC_DIR */
    g_assert_cmpuint(cr(q, 0, GICC_RPR), ==, 0xff);
    g_assert_cmphex(dr(q, GICD_ISACTIVER + 4), ==, 1 << 3);
    cw(q, 0, GICC_DIR, 35);
    g_assert_cmphex(dr(q, GICD_ISACTIVER + 4), ==, 0);
    qtest_quit(q);
}

/* One CPU: GICD_ITARGETSR is RAZ/WI and every SPI goes to CPU 0 */
static void test_uniprocessor(void)
{
    QTestState *q = qtest_initf("-device arm_gic,id=gic,addr=0x%llx,"
                                "num-cpu=1,num-irq=%d", BASE, NUM_IRQ);

    qtest_irq_intercept_out(q, "gic");
    dw(q, GICD_CTLR, 1);
    cw(q, 0, GICC_CTLR, 1);
    cw(q, 0, GICC_PMR, 0xff);
    g_assert_cmphex(dr(q, GICD_TYPER), ==, 0x1);
    qtest_writeb(q, DIST + GICD_ITARGETSR + 40, 0xff);
    g_assert_cmphex(dr(q, GICD_ITARGETSR + 40), ==, 0);
    dw(q, GICD_ISENABLER + 4, 1 << 8);
    spi(q, 40, 1);
    g_assert_true(qtest_get_irq(q, 0));
    g_assert_cmpuint(cr(q, 0, GICC_IAR), ==, 40);
    spi(q, 40, 0);
    cw(q, 0, GICC_EOIR, 40);
    g_assert_false(qtest_get_irq(q, 0));
    qtest_quit(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/arm-gic/id-regs", test_id_regs);
    g_test_add_func("/arm-gic/dist-regs", test_dist_regs);
    g_test_add_func("/arm-gic/spi-edge", test_spi_edge_flow);
    g_test_add_func("/arm-gic/spi-level", test_spi_level_flow);
    g_test_add_func("/arm-gic/priority-preemption",
                   test_priority_mask_preemption);
    g_test_add_func("/arm-gic/sgi", test_sgi);
    g_test_add_func("/arm-gic/ppi-banked", test_ppi_banked);
    g_test_add_func("/arm-gic/groups-fiq", test_groups_fiq);
    g_test_add_func("/arm-gic/eoimode", test_eoimode);
    g_test_add_func("/arm-gic/uniprocessor", test_uniprocessor);
    return g_test_run();
}
