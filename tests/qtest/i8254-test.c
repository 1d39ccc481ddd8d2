/*
 * The 8254 PIT of the pc board (ports 0x40-0x43) and port 0x61 on the
 * stepped virtual clock: mode 0 and its IRQ 0 edge at terminal count,
 * the counter latch and read-back commands, the LSB/MSB/word access modes
 * and BCD, mode 2 interrupts through the 8259, the IRQ rate floor, modes
 * 1 and 3 and the gate on channel 2 through port 0x61, pausing mode 0,
 * reset.
 */
#include "libqtest.h"

#define CH0 0x40
#define CH2 0x42
#define CTRL 0x43

/* ns until `ticks` PIT clocks have passed (rounded up) */
static int64_t ticks_ns(int64_t ticks)
{
    return (ticks * 1000000000LL + 1193182 - 1) / 1193182;
}

static uint16_t latch_read(QTestState *q, int ch)
{
    uint16_t v;

    qtest_outb(q, CTRL, ch << 6);             /* counter latch */
    v = qtest_inb(q, CH0 + ch);
    return v | (qtest_inb(q, CH0 + ch) << 8);
}

static uint8_t status(QTestState *q, int ch)
{
    qtest_outb(q, CTRL, 0xe0 | (2 << ch));    /* read-back: status only */
    return qtest_inb(q, CH0 + ch);
}

static void test_mode0_irq(void)
{
    QTestState *q = qtest_init("-M pc");

    qtest_irq_intercept_in(q, "gsi");
    qtest_outb(q, CTRL, 0x30);                /* ch0, word, mode 0 */
    g_assert_cmphex(status(q, 0), ==, 0x70);  /* OUT low, null count */
    qtest_outb(q, CH0, 1193 & 0xff);
    qtest_outb(q, CH0, 1193 >> 8);
    g_assert_cmphex(status(q, 0), ==, 0x30);  /* loaded */
    g_assert_cmpint(latch_read(q, 0), ==, 1193);
    qtest_clock_step(q, ticks_ns(1000));
    g_assert_cmpint(latch_read(q, 0), ==, 193);
    g_assert_false(qtest_get_irq(q, 0));
    qtest_clock_step(q, ticks_ns(1193) - ticks_ns(1000) - 1);
    g_assert_false(qtest_get_irq(q, 0));
    qtest_clock_step(q, 1);
    g_assert_true(qtest_get_irq(q, 0));       /* OUT high, stays */
    g_assert_cmphex(status(q, 0), ==, 0xb0);
    qtest_clock_step(q, 10000000);
    g_assert_true(qtest_get_irq(q, 0));
    /* the counter wraps and goes on: 13124 clocks in 10999848 ns */
    g_assert_cmpint(ticks_ns(1193) + 10000000, ==, 10999848);
    g_assert_cmpint(latch_read(q, 0), ==, 1193 + 65536 - 13124);
    /* the first byte of a new count takes OUT low */
    qtest_outb(q, CH0, 0x10);
    g_assert_false(qtest_get_irq(q, 0));
    qtest_outb(q, CH0, 0x00);
    qtest_clock_step(q, ticks_ns(16));
    g_assert_true(qtest_get_irq(q, 0));
    qtest_quit(q);
}

static void test_latch_and_access_modes(void)
{
    QTestState *q = qtest_init("-M pc");

    /* LSB only */
    qtest_outb(q, CTRL, 0x10 | (2 << 1));      /* ch0 LSB mode 2 */
    qtest_outb(q, CH0, 200);
    g_assert_cmpint(qtest_inb(q, CH0), ==, 200);
    qtest_clock_step(q, ticks_ns(50));
    g_assert_cmpint(qtest_inb(q, CH0), ==, 150);
    /* MSB only: count 0x0300 */
    qtest_outb(q, CTRL, 0x20 | (2 << 1));
    qtest_outb(q, CH0, 0x03);
    g_assert_cmpint(qtest_inb(q, CH0), ==, 0x03);
    /* a latch holds its value while time goes on, until both bytes are read */
    qtest_outb(q, CTRL, 0x34);                  /* word, mode 2 */
    qtest_outb(q, CH0, 0x00);
    qtest_outb(q, CH0, 0x10);                   /* 4096 */
    qtest_clock_step(q, ticks_ns(96));
    qtest_outb(q, CTRL, 0x00);
    qtest_clock_step(q, ticks_ns(1000));
    g_assert_cmphex(qtest_inb(q, CH0), ==, 0xa0);    /* 4000 = 0x0fa0 */
    qtest_outb(q, CTRL, 0x00);                  /* second latch: ignored */
    g_assert_cmphex(qtest_inb(q, CH0), ==, 0x0f);
    /* live word reads alternate LSB, MSB */
    qtest_clock_step(q, ticks_ns(96 + 1000 + 4096) - ticks_ns(96) -
                        ticks_ns(1000));
    g_assert_cmphex(qtest_inb(q, CH0) | (qtest_inb(q, CH0) << 8), ==,
                    4096 - 1096);
    qtest_quit(q);
}

static void test_bcd_and_readback(void)
{
    QTestState *q = qtest_init("-M pc");

    qtest_outb(q, CTRL, 0x31);                  /* word, mode 0, BCD */
    qtest_outb(q, CH0, 0x34);
    qtest_outb(q, CH0, 0x12);                   /* 1234 decimal */
    g_assert_cmphex(latch_read(q, 0), ==, 0x1234);
    qtest_clock_step(q, ticks_ns(34));
    g_assert_cmphex(latch_read(q, 0), ==, 0x1200);
    /* BCD count 0 is 10000 */
    qtest_outb(q, CH0, 0x00);
    qtest_outb(q, CH0, 0x00);
    qtest_clock_step(q, ticks_ns(1));
    g_assert_cmphex(latch_read(q, 0), ==, 0x9999);
    /* read-back of count and status together: status comes first */
    qtest_outb(q, CTRL, 0xc2);
    g_assert_cmphex(qtest_inb(q, CH0), ==, 0x31);
    g_assert_cmphex(qtest_inb(q, CH0), ==, 0x99);
    g_assert_cmphex(qtest_inb(q, CH0), ==, 0x99);
    /* the control port reads nothing */
    g_assert_cmphex(qtest_inb(q, CTRL), ==, 0xff);
    qtest_quit(q);
}

/* 8259 master: poll for IR0 (an INTA), then a non-specific EOI */
static bool pic_irq0_pending(QTestState *q)
{
    uint8_t p;

    qtest_outb(q, 0x20, 0x0c);
    p = qtest_inb(q, 0x20);
    if (p & 0x80) {
        qtest_outb(q, 0x20, 0x20);
    }
    return p == 0x80;
}

static void test_mode2_through_pic(void)
{
    QTestState *q = qtest_init("-M pc");

    qtest_outb(q, CTRL, 0x34);                  /* ch0 word mode 2 */
    qtest_outb(q, CH0, 11932 & 0xff);
    qtest_outb(q, CH0, 11932 >> 8);             /* 10 ms */
    pic_irq0_pending(q);                        /* reset's mode 3 leftovers */
    qtest_clock_step(q, ticks_ns(11932) - 1);
    g_assert_false(pic_irq0_pending(q));
    qtest_clock_step(q, 1);
    g_assert_true(pic_irq0_pending(q));
    g_assert_false(pic_irq0_pending(q));
    qtest_clock_step(q, ticks_ns(2 * 11932) - ticks_ns(11932));
    g_assert_true(pic_irq0_pending(q));
    /* mid-period count */
    qtest_clock_step(q, ticks_ns(2 * 11932 + 1000) - ticks_ns(2 * 11932));
    g_assert_cmpint(latch_read(q, 0), ==, 11932 - 1000);
    qtest_quit(q);
}

static void test_rate_floor(void)
{
    QTestState *q = qtest_init("-M pc");

    qtest_outb(q, CTRL, 0x34);
    qtest_outb(q, CH0, 2);
    qtest_outb(q, CH0, 0);                      /* 596 kHz */
    pic_irq0_pending(q);
    qtest_clock_step(q, 10000);
    g_assert_true(pic_irq0_pending(q));
    /* the next interrupt comes 100 us after the last one, not 1.7 us */
    qtest_clock_step(q, 50000);
    g_assert_false(pic_irq0_pending(q));
    qtest_clock_step(q, 60000);
    g_assert_true(pic_irq0_pending(q));
    /* a virtual second is at most 10000 interrupts' work */
    qtest_clock_step(q, 1000000000);
    qtest_quit(q);
}

static void test_channel2_port61(void)
{
    QTestState *q = qtest_init("-M pc");
    int64_t half = ticks_ns(50);

    g_assert_cmphex(qtest_inb(q, 0x61) & 0x23, ==, 0x20);   /* gate low */
    /* mode 3, count 100: 50 clocks high, 50 low, gate via bit 0 */
    qtest_outb(q, CTRL, 0xb6);
    qtest_outb(q, CH2, 100);
    qtest_outb(q, CH2, 0);
    qtest_outb(q, 0x61, 0x03);
    g_assert_cmphex(qtest_inb(q, 0x61) & 0x23, ==, 0x23);
    qtest_clock_step(q, half);
    g_assert_cmphex(qtest_inb(q, 0x61) & 0x20, ==, 0x00);
    qtest_clock_step(q, ticks_ns(100) - half);
    g_assert_cmphex(qtest_inb(q, 0x61) & 0x20, ==, 0x20);
    /* gate low: OUT high, counting stops */
    qtest_outb(q, 0x61, 0x02);
    qtest_clock_step(q, half);
    g_assert_cmphex(qtest_inb(q, 0x61) & 0x23, ==, 0x22);
    /* mode 1: a gate edge starts the one-shot, OUT low meanwhile */
    qtest_outb(q, CTRL, 0xb2);
    qtest_outb(q, CH2, 100);
    qtest_outb(q, CH2, 0);
    g_assert_cmphex(qtest_inb(q, 0x61) & 0x20, ==, 0x20);
    qtest_outb(q, 0x61, 0x01);
    g_assert_cmphex(qtest_inb(q, 0x61) & 0x20, ==, 0x00);
    qtest_clock_step(q, ticks_ns(100));
    g_assert_cmphex(qtest_inb(q, 0x61) & 0x20, ==, 0x20);
    /* bits 2-3 are kept, 6-7 read 0 */
    qtest_outb(q, 0x61, 0xfc);
    g_assert_cmphex(qtest_inb(q, 0x61) & 0xcf, ==, 0x0c);
    qtest_quit(q);
}

static void test_mode0_gate_pause(void)
{
    QTestState *q = qtest_init("-M pc");

    qtest_outb(q, CTRL, 0xb0);                  /* ch2 word mode 0 */
    qtest_outb(q, 0x61, 0x01);
    qtest_outb(q, CH2, 0xe8);
    qtest_outb(q, CH2, 0x03);                   /* 1000 */
    qtest_clock_step(q, ticks_ns(400));
    qtest_outb(q, 0x61, 0x00);                  /* pause */
    qtest_clock_step(q, ticks_ns(5000));
    g_assert_cmpint(latch_read(q, 2), ==, 600);
    qtest_outb(q, 0x61, 0x01);                  /* resume */
    qtest_clock_step(q, ticks_ns(599));
    g_assert_cmphex(qtest_inb(q, 0x61) & 0x20, ==, 0x00);
    qtest_clock_step(q, ticks_ns(2));
    g_assert_cmphex(qtest_inb(q, 0x61) & 0x20, ==, 0x20);
    qtest_quit(q);
}

static void test_reset(void)
{
    QTestState *q = qtest_init("-M pc");

    qtest_outb(q, CTRL, 0x30);
    qtest_outb(q, CH0, 5);
    qtest_outb(q, 0x61, 0x0f);
    qtest_system_reset(q);
    /* mode 3, word access, counting 65536 */
    g_assert_cmphex(status(q, 0) & 0x3f, ==, 0x36);
    g_assert_cmphex(status(q, 2) & 0x3f, ==, 0x36);
    g_assert_cmphex(qtest_inb(q, 0x61) & 0x0f, ==, 0);
    qtest_quit(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i8254/mode0-irq", test_mode0_irq);
    g_test_add_func("/i8254/latch-access-modes", test_latch_and_access_modes);
    g_test_add_func("/i8254/bcd-readback", test_bcd_and_readback);
    g_test_add_func("/i8254/mode2-through-pic", test_mode2_through_pic);
    g_test_add_func("/i8254/rate-floor", test_rate_floor);
    g_test_add_func("/i8254/channel2-port61", test_channel2_port61);
    g_test_add_func("/i8254/mode0-gate-pause", test_mode0_gate_pause);
    g_test_add_func("/i8254/reset", test_reset);
    return g_test_run();
}
