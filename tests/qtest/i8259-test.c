/*
 * The 8259 pair on the pc board (ports 0x20/0xa0, ELCR 0x4d0/0x4d1): the
 * initialisation sequence, IRR/ISR/IMR, priorities and rotation, specific
 * and automatic EOI, special mask mode, poll mode (the INTA of a read),
 * edge latching and ELCR level lines, the cascade, reset.  Requests come
 * in on the GSI router's inputs (ISA IRQ n = GSI n); the master's INT
 * output is intercepted.
 */
#include "libqtest.h"

#define M 0x20
#define S 0xa0
#define ELCR0 0x4d0
#define ELCR1 0x4d1

static void isa_irq(QTestState *q, int irq, int level)
{
    qtest_set_irq_in(q, "gsi", NULL, irq, level);
}

/* ICW1-4 as Linux programs the pair (vectors 0x30 / 0x38) */
static void pic_init(QTestState *q, uint8_t icw4)
{
    qtest_outb(q, M, 0x11);
    qtest_outb(q, M + 1, 0x30);
    qtest_outb(q, M + 1, 0x04);
    qtest_outb(q, M + 1, icw4);
    qtest_outb(q, S, 0x11);
    qtest_outb(q, S + 1, 0x38);
    qtest_outb(q, S + 1, 0x02);
    qtest_outb(q, S + 1, icw4);
    qtest_outb(q, M + 1, 0x00);
    qtest_outb(q, S + 1, 0x00);
}

static QTestState *start(uint8_t icw4)
{
    QTestState *q = qtest_init("-M pc");

    qtest_irq_intercept_out(q, "pic0");
    pic_init(q, icw4);
    return q;
}

static uint8_t poll(QTestState *q, uint16_t port)
{
    qtest_outb(q, port, 0x0c);            /* OCW3: poll */
    return qtest_inb(q, port);
}

static uint8_t read_isr(QTestState *q, uint16_t port)
{
    qtest_outb(q, port, 0x0b);
    return qtest_inb(q, port);
}

static uint8_t read_irr(QTestState *q, uint16_t port)
{
    qtest_outb(q, port, 0x0a);
    return qtest_inb(q, port);
}

static void test_init_registers(void)
{
    QTestState *q = qtest_init("-M pc");

    qtest_irq_intercept_out(q, "pic0");
    pic_init(q, 0x01);
    g_assert_cmphex(qtest_inb(q, M + 1), ==, 0);
    qtest_outb(q, M + 1, 0xfb);
    g_assert_cmphex(qtest_inb(q, M + 1), ==, 0xfb);
    qtest_outb(q, S + 1, 0xa5);
    g_assert_cmphex(qtest_inb(q, S + 1), ==, 0xa5);
    /* ICW1 clears the mask */
    qtest_outb(q, S, 0x11);
    qtest_outb(q, S + 1, 0x38);
    qtest_outb(q, S + 1, 0x02);
    qtest_outb(q, S + 1, 0x01);
    g_assert_cmphex(qtest_inb(q, S + 1), ==, 0);
    /* port 0 reads IRR by default, ISR after OCW3 RR|RIS */
    g_assert_cmphex(qtest_inb(q, M), ==, 0);
    isa_irq(q, 1, 1);
    g_assert_cmphex(read_irr(q, M), ==, 0x02);
    g_assert_cmphex(read_isr(q, M), ==, 0x00);
    /* the ELCR keeps the PIIX's fixed edge lines */
    qtest_outb(q, ELCR0, 0xff);
    qtest_outb(q, ELCR1, 0xff);
    g_assert_cmphex(qtest_inb(q, ELCR0), ==, 0xf8);
    g_assert_cmphex(qtest_inb(q, ELCR1), ==, 0xde);
    qtest_quit(q);
}

static void test_priority_eoi(void)
{
    QTestState *q = start(0x01);

    g_assert_false(qtest_get_irq(q, 0));
    isa_irq(q, 5, 1);
    isa_irq(q, 3, 1);
    g_assert_true(qtest_get_irq(q, 0));
    g_assert_cmphex(poll(q, M), ==, 0x83);      /* IR3 before IR5 */
    g_assert_cmphex(read_isr(q, M), ==, 0x08);
    g_assert_false(qtest_get_irq(q, 0));        /* IR5 waits for the EOI */
    /* IR1 has higher priority: it nests */
    isa_irq(q, 1, 1);
    g_assert_true(qtest_get_irq(q, 0));
    g_assert_cmphex(poll(q, M), ==, 0x81);
    g_assert_cmphex(read_isr(q, M), ==, 0x0a);
    qtest_outb(q, M, 0x20);                     /* non-specific EOI: IR1 */
    g_assert_cmphex(read_isr(q, M), ==, 0x08);
    qtest_outb(q, M, 0x63);                     /* specific EOI IR3 */
    g_assert_cmphex(read_isr(q, M), ==, 0x00);
    g_assert_true(qtest_get_irq(q, 0));
    g_assert_cmphex(poll(q, M), ==, 0x85);
    qtest_outb(q, M, 0x20);
    /* nothing pending: the poll answers 0 and INT is low */
    g_assert_cmphex(poll(q, M), ==, 0x00);
    g_assert_false(qtest_get_irq(q, 0));
    qtest_quit(q);
}

static void test_rotation(void)
{
    QTestState *q = start(0x01);

    /* set priority: IR3 lowest, so IR4 highest */
    qtest_outb(q, M, 0xc3);
    isa_irq(q, 1, 1);
    isa_irq(q, 6, 1);
    g_assert_cmphex(poll(q, M), ==, 0x86);
    /* rotate on non-specific EOI: IR6 becomes lowest, IR7 highest */
    qtest_outb(q, M, 0xa0);
    isa_irq(q, 6, 0);
    isa_irq(q, 6, 1);
    g_assert_cmphex(poll(q, M), ==, 0x81);
    /* rotate on specific EOI of IR1: IR2 highest, so IR6 before IR1 */
    qtest_outb(q, M, 0xe1);
    isa_irq(q, 1, 0);
    isa_irq(q, 1, 1);
    g_assert_cmphex(poll(q, M), ==, 0x86);
    qtest_quit(q);
}

static void test_auto_eoi(void)
{
    QTestState *q = start(0x03);                /* 8086 mode + AEOI */

    isa_irq(q, 4, 1);
    g_assert_cmphex(poll(q, M), ==, 0x84);
    g_assert_cmphex(read_isr(q, M), ==, 0);
    /* rotate in AEOI mode: IR4 becomes the lowest priority */
    qtest_outb(q, M, 0x80);
    isa_irq(q, 4, 0);
    isa_irq(q, 4, 1);
    isa_irq(q, 6, 1);
    g_assert_cmphex(poll(q, M), ==, 0x84);     /* IR4 still highest */
    isa_irq(q, 4, 0);
    isa_irq(q, 4, 1);
    g_assert_cmphex(poll(q, M), ==, 0x86);     /* rotated: IR6 first */
    qtest_quit(q);
}

static void test_mask_and_special_mask(void)
{
    QTestState *q = start(0x01);

    qtest_outb(q, M + 1, 0x10);                 /* mask IR4 */
    isa_irq(q, 4, 1);
    g_assert_false(qtest_get_irq(q, 0));
    g_assert_cmphex(read_irr(q, M), ==, 0x10); /* still requested */
    qtest_outb(q, M + 1, 0x00);
    g_assert_true(qtest_get_irq(q, 0));
    g_assert_cmphex(poll(q, M), ==, 0x84);
    /* IR4 in service blocks IR6 ... */
    isa_irq(q, 6, 1);
    g_assert_false(qtest_get_irq(q, 0));
    /* ... unless special mask mode masks the level in service */
    qtest_outb(q, M + 1, 0x10);
    qtest_outb(q, M, 0x68);                     /* OCW3: set SMM */
    g_assert_true(qtest_get_irq(q, 0));
    g_assert_cmphex(poll(q, M), ==, 0x86);
    qtest_outb(q, M, 0x48);                     /* reset SMM */
    qtest_quit(q);
}

static void test_edge_latch_and_level(void)
{
    QTestState *q = start(0x01);

    /* an edge pulse is latched until acknowledged */
    isa_irq(q, 3, 1);
    isa_irq(q, 3, 0);
    g_assert_true(qtest_get_irq(q, 0));
    g_assert_cmphex(poll(q, M), ==, 0x83);
    qtest_outb(q, M, 0x20);
    g_assert_false(qtest_get_irq(q, 0));
    /* a level line (ELCR) interrupts again after EOI while high */
    qtest_outb(q, ELCR1, 0x04);                 /* IRQ 10 */
    isa_irq(q, 10, 1);
    g_assert_true(qtest_get_irq(q, 0));
    g_assert_cmphex(poll(q, M), ==, 0x82);
    g_assert_cmphex(poll(q, S), ==, 0x82);
    qtest_outb(q, S, 0x20);
    qtest_outb(q, M, 0x20);
    g_assert_true(qtest_get_irq(q, 0));
    g_assert_cmphex(read_irr(q, S), ==, 0x04);
    isa_irq(q, 10, 0);                          /* the request goes away */
    g_assert_cmphex(read_irr(q, S), ==, 0x00);
    g_assert_false(qtest_get_irq(q, 0));
    qtest_quit(q);
}

static void test_cascade(void)
{
    QTestState *q = start(0x01);

    isa_irq(q, 12, 1);
    g_assert_true(qtest_get_irq(q, 0));
    g_assert_cmphex(read_irr(q, S), ==, 0x10);
    g_assert_cmphex(poll(q, M), ==, 0x82);
    g_assert_cmphex(poll(q, S), ==, 0x84);
    g_assert_cmphex(read_isr(q, S), ==, 0x10);
    g_assert_cmphex(read_isr(q, M), ==, 0x04);
    /* the slave's mask cuts the whole cascade line */
    qtest_outb(q, S, 0x20);
    qtest_outb(q, M, 0x20);
    qtest_outb(q, S + 1, 0x10);
    isa_irq(q, 12, 0);
    isa_irq(q, 12, 1);
    g_assert_false(qtest_get_irq(q, 0));
    qtest_quit(q);
}

static void test_reset(void)
{
    QTestState *q = start(0x01);

    qtest_outb(q, M + 1, 0xff);
    qtest_outb(q, ELCR0, 0x20);
    isa_irq(q, 5, 1);
    qtest_system_reset(q);
    g_assert_cmphex(qtest_inb(q, M + 1), ==, 0);
    g_assert_cmphex(qtest_inb(q, ELCR0), ==, 0);
    g_assert_cmphex(read_isr(q, M), ==, 0);
    /* the line is still high: after ICW1 it needs a new edge */
    pic_init(q, 0x01);
    g_assert_cmphex(read_irr(q, M), ==, 0);
    isa_irq(q, 5, 0);
    isa_irq(q, 5, 1);
    g_assert_cmphex(read_irr(q, M), ==, 0x20);
    qtest_quit(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i8259/init-registers", test_init_registers);
    g_test_add_func("/i8259/priority-eoi", test_priority_eoi);
    g_test_add_func("/i8259/rotation", test_rotation);
    g_test_add_func("/i8259/auto-eoi", test_auto_eoi);
    g_test_add_func("/i8259/mask-special-mask", test_mask_and_special_mask);
    g_test_add_func("/i8259/edge-latch-level", test_edge_latch_and_level);
    g_test_add_func("/i8259/cascade", test_cascade);
    g_test_add_func("/i8259/reset", test_reset);
    return g_test_run();
}
