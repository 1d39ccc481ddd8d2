/*
 * PL061 GPIO tests: data masking, direction, edge/level interrupt
 * detection, output lines, over qtest on the "none" machine.
 * Behaviour from the PL061 TRM (Arm DDI 0190).
 */
#include "libqtest.h"

#define BASE    0x9030000ULL
#define DATA    0x000
#define DIR     0x400
#define IS      0x404
#define IBE     0x408
#define IEV     0x40c
#define IE      0x410
#define RIS     0x414
#define MIS     0x418
#define IC      0x41c
#define AFSEL   0x420

static QTestState *gpio_start(const char *lines)
{
    QTestState *q = qtest_initf("-device pl061,id=gpio,addr=0x%llx", BASE);

    /* one list at a time: both number their lines from 0 */
    g_free(qtest_cmd(q, "irq_intercept_out gpio %s", lines));
    return q;
}

static uint32_t rd(QTestState *q, unsigned off)
{
    return qtest_readl(q, BASE + off);
}

static void wr(QTestState *q, unsigned off, uint32_t v)
{
    qtest_writel(q, BASE + off, v);
}

static void pin(QTestState *q, int n, int level)
{
    qtest_set_irq_in(q, "gpio", NULL, n, level);
}

static void test_id(void)
{
    QTestState *q = gpio_start("sysbus-irq");
    static const uint8_t id[8] = {
        0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
    };

    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(rd(q, 0xfe0 + i * 4), ==, id[i]);
    }
    g_assert_cmphex(rd(q, DIR), ==, 0);
    g_assert_cmphex(rd(q, RIS), ==, 0);
    qtest_quit(q);
}

static void test_data_mask(void)
{
    QTestState *q = gpio_start("sysbus-irq");

    wr(q, DIR, 0xff);
    /* address bits [9:2] select the bits written */
    wr(q, DATA + (0x0f << 2), 0xff);
    g_assert_cmphex(rd(q, DATA + (0xff << 2)), ==, 0x0f);
    wr(q, DATA + (0x81 << 2), 0x80);
    g_assert_cmphex(rd(q, DATA + (0xff << 2)), ==, 0x8e);
    /* and the bits read */
    g_assert_cmphex(rd(q, DATA + (0x0c << 2)), ==, 0x0c);
    g_assert_cmphex(rd(q, DATA), ==, 0);
    /* inputs read the line levels */
    wr(q, DIR, 0x0f);
    pin(q, 5, 1);
    g_assert_cmphex(rd(q, DATA + (0xff << 2)), ==, 0x2e);
    qtest_quit(q);
}

static void test_edge_irq(void)
{
    QTestState *q = gpio_start("sysbus-irq");

    wr(q, IEV, 0x08);        /* line 3 rising, the others falling */
    wr(q, IE, 0xff);
    pin(q, 3, 1);
    g_assert_cmphex(rd(q, RIS), ==, 0x08);
    g_assert_cmphex(rd(q, MIS), ==, 0x08);
    g_assert_true(qtest_get_irq(q, 0));
    pin(q, 3, 0);            /* falling edge of a rising-edge line */
    g_assert_cmphex(rd(q, RIS), ==, 0x08);
    wr(q, IC, 0x08);
    g_assert_cmphex(rd(q, RIS), ==, 0);
    g_assert_false(qtest_get_irq(q, 0));
    /* falling edge on line 1 */
    pin(q, 1, 1);
    g_assert_cmphex(rd(q, RIS), ==, 0);
    pin(q, 1, 0);
    g_assert_cmphex(rd(q, RIS), ==, 0x02);
    wr(q, IC, 0xff);
    /* both edges */
    wr(q, IBE, 0x40);
    pin(q, 6, 1);
    g_assert_cmphex(rd(q, RIS), ==, 0x40);
    wr(q, IC, 0x40);
    pin(q, 6, 0);
    g_assert_cmphex(rd(q, RIS), ==, 0x40);
    wr(q, IC, 0xff);
    /* masked interrupts show in RIS only */
    wr(q, IE, 0);
    pin(q, 3, 1);
    g_assert_cmphex(rd(q, RIS), ==, 0x08);
    g_assert_cmphex(rd(q, MIS), ==, 0);
    g_assert_false(qtest_get_irq(q, 0));
    qtest_quit(q);
}

static void test_level_irq(void)
{
    QTestState *q = gpio_start("sysbus-irq");

    wr(q, IS, 0x10);
    wr(q, IEV, 0x10);        /* high level */
    wr(q, IE, 0x10);
    g_assert_false(qtest_get_irq(q, 0));
    pin(q, 4, 1);
    g_assert_true(qtest_get_irq(q, 0));
    /* GPIOIC cannot clear a level that is still there */
    wr(q, IC, 0x10);
    g_assert_cmphex(rd(q, RIS), ==, 0x10);
    g_assert_true(qtest_get_irq(q, 0));
    pin(q, 4, 0);
    g_assert_cmphex(rd(q, RIS), ==, 0);
    g_assert_false(qtest_get_irq(q, 0));
    /* low level */
    wr(q, IEV, 0);
    g_assert_true(qtest_get_irq(q, 0));
    qtest_quit(q);
}

static void test_outputs(void)
{
    QTestState *q = gpio_start("unnamed");

    wr(q, DATA + (0xff << 2), 0x05);
    g_assert_false(qtest_get_irq(q, 0));    /* still inputs */
    wr(q, DIR, 0x07);
    g_assert_true(qtest_get_irq(q, 0));
    g_assert_false(qtest_get_irq(q, 1));
    g_assert_true(qtest_get_irq(q, 2));
    wr(q, DATA + (0x04 << 2), 0);
    g_assert_false(qtest_get_irq(q, 2));
    g_assert_true(qtest_get_irq(q, 0));
    qtest_quit(q);
}

static void test_regs_and_reset(void)
{
    QTestState *q = gpio_start("sysbus-irq");

    wr(q, AFSEL, 0x3c);
    wr(q, IBE, 0x1ff);
    g_assert_cmphex(rd(q, AFSEL), ==, 0x3c);
    g_assert_cmphex(rd(q, IBE), ==, 0xff);
    wr(q, IE, 0xff);
    wr(q, IS, 0xff);         /* all low-level: every idle line pending */
    g_assert_true(qtest_get_irq(q, 0));
    qtest_system_reset(q);
    g_assert_false(qtest_get_irq(q, 0));
    g_assert_cmphex(rd(q, AFSEL), ==, 0);
    g_assert_cmphex(rd(q, IS), ==, 0);
    g_assert_cmphex(rd(q, 0x424), ==, 0);    /* reserved */
    qtest_quit(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pl061/id", test_id);
    g_test_add_func("/pl061/data-mask", test_data_mask);
    g_test_add_func("/pl061/edge-irq", test_edge_irq);
    g_test_add_func("/pl061/level-irq", test_level_irq);
    g_test_add_func("/pl061/outputs", test_outputs);
    g_test_add_func("/pl061/regs-reset", test_regs_and_reset);
    return g_test_run();
}
