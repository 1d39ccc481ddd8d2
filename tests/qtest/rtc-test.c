/*
 * MC146818 RTC/CMOS on the pc board: the CMOS fields the board fills
 * (checked against what QEMU's pc presents, tests/kvm/README.md), the
 * clock in BCD/binary and 12/24 h, SET, update-in-progress, periodic,
 * alarm and update-ended interrupts on GSI 8, register C read-to-clear,
 * register D VRT.  The RTC runs on the virtual clock (rtc-clock=vm) from
 * a fixed base date so the test steps it.
 */
#include "libqtest.h"

#define RTC_INDEX 0x70
#define RTC_DATA  0x71
#define SEC 1000000000LL

static uint8_t cmos_read(QTestState *qts, uint8_t reg)
{
    qtest_outb(qts, RTC_INDEX, reg);
    return qtest_inb(qts, RTC_DATA);
}

static void cmos_write(QTestState *qts, uint8_t reg, uint8_t val)
{
    qtest_outb(qts, RTC_INDEX, reg);
    qtest_outb(qts, RTC_DATA, val);
}

static uint16_t cmos_read16(QTestState *qts, uint8_t reg)
{
    return cmos_read(qts, reg) | (cmos_read(qts, reg + 1) << 8);
}

static QTestState *rtc_start(void)
{
    QTestState *qts = qtest_init("-M pc,rtc-clock=vm,"
                                 "rtc-base=2026-01-02T03:04:05");
    qtest_irq_intercept_in(qts, "gsi");
    return qts;
}

static void test_cmos_128m(void)
{
    QTestState *qts = qtest_init("-M pc -m 128M");

    g_assert_cmphex(cmos_read16(qts, 0x15), ==, 640);
    g_assert_cmphex(cmos_read16(qts, 0x17), ==, 0xffff);
    g_assert_cmphex(cmos_read16(qts, 0x30), ==, 0xffff);
    g_assert_cmphex(cmos_read16(qts, 0x34), ==, 0x0700);
    g_assert_cmphex(cmos_read(qts, 0x5b), ==, 0);
    g_assert_cmphex(cmos_read(qts, 0x5c), ==, 0);
    g_assert_cmphex(cmos_read(qts, 0x5d), ==, 0);
    g_assert_cmphex(cmos_read(qts, 0x5f), ==, 0);
    g_assert_cmphex(cmos_read(qts, 0x14), ==, 0x07);
    g_assert_cmphex(cmos_read(qts, 0x0a), ==, 0x26);
    g_assert_cmphex(cmos_read(qts, 0x0b), ==, 0x02);
    g_assert_cmphex(cmos_read(qts, 0x0d), ==, 0x80);
    qtest_quit(qts);
}

static void test_cmos_4g(void)
{
    QTestState *qts = qtest_init("-M pc -m 4G -smp 2");

    g_assert_cmphex(cmos_read16(qts, 0x17), ==, 0xffff);
    g_assert_cmphex(cmos_read16(qts, 0x34), ==, 0xbf00);
    g_assert_cmphex(cmos_read(qts, 0x5b), ==, 0x00);
    g_assert_cmphex(cmos_read(qts, 0x5c), ==, 0x40);
    g_assert_cmphex(cmos_read(qts, 0x5d), ==, 0x00);
    g_assert_cmphex(cmos_read(qts, 0x5f), ==, 1);
    qtest_quit(qts);
}

static void test_cmos_small(void)
{
    QTestState *qts = qtest_init("-M pc -m 32M");

    /* (32 MiB - 1 MiB) / 1 KiB fits */
    g_assert_cmphex(cmos_read16(qts, 0x17), ==, 31744);
    g_assert_cmphex(cmos_read16(qts, 0x30), ==, 31744);
    g_assert_cmphex(cmos_read16(qts, 0x34), ==, 0x0100);
    /* plain CMOS bytes are writable */
    cmos_write(qts, 0x40, 0x5a);
    g_assert_cmphex(cmos_read(qts, 0x40), ==, 0x5a);
    cmos_write(qts, 0x7f, 0xa5);
    g_assert_cmphex(cmos_read(qts, 0x7f), ==, 0xa5);
    qtest_quit(qts);
}

static void test_time_bcd_binary(void)
{
    QTestState *qts = rtc_start();

    g_assert_cmphex(cmos_read(qts, 0x00), ==, 0x05);
    g_assert_cmphex(cmos_read(qts, 0x02), ==, 0x04);
    g_assert_cmphex(cmos_read(qts, 0x04), ==, 0x03);
    g_assert_cmphex(cmos_read(qts, 0x06), ==, 0x06);   /* Friday */
    g_assert_cmphex(cmos_read(qts, 0x07), ==, 0x02);
    g_assert_cmphex(cmos_read(qts, 0x08), ==, 0x01);
    g_assert_cmphex(cmos_read(qts, 0x09), ==, 0x26);
    g_assert_cmphex(cmos_read(qts, 0x32), ==, 0x20);
    qtest_clock_step(qts, 7 * SEC);
    g_assert_cmphex(cmos_read(qts, 0x00), ==, 0x12);
    /* binary mode */
    cmos_write(qts, 0x0b, 0x06);
    g_assert_cmphex(cmos_read(qts, 0x00), ==, 12);
    g_assert_cmphex(cmos_read(qts, 0x09), ==, 26);
    g_assert_cmphex(cmos_read(qts, 0x32), ==, 20);
    /* 12-hour BCD: 03:04 is AM; 15:00 is 0x83 (PM bit) */
    cmos_write(qts, 0x0b, 0x00);
    g_assert_cmphex(cmos_read(qts, 0x04), ==, 0x03);
    qtest_clock_step(qts, 12 * 3600 * SEC);
    g_assert_cmphex(cmos_read(qts, 0x04), ==, 0x83);
    cmos_write(qts, 0x0b, 0x02);
    g_assert_cmphex(cmos_read(qts, 0x04), ==, 0x15);
    qtest_quit(qts);
}

static void test_set(void)
{
    QTestState *qts = rtc_start();

    /* SET: the clock stops updating; the guest writes a new time */
    cmos_write(qts, 0x0b, 0x82);
    cmos_write(qts, 0x00, 0x58);
    cmos_write(qts, 0x02, 0x59);
    cmos_write(qts, 0x04, 0x23);
    cmos_write(qts, 0x07, 0x31);
    cmos_write(qts, 0x08, 0x12);
    cmos_write(qts, 0x09, 0x99);
    cmos_write(qts, 0x32, 0x19);
    qtest_clock_step(qts, 5 * SEC);
    g_assert_cmphex(cmos_read(qts, 0x00), ==, 0x58);
    /* SET clear: runs from the written time; the year rolls over */
    cmos_write(qts, 0x0b, 0x02);
    qtest_clock_step(qts, 2 * SEC);
    g_assert_cmphex(cmos_read(qts, 0x00), ==, 0x00);
    g_assert_cmphex(cmos_read(qts, 0x02), ==, 0x00);
    g_assert_cmphex(cmos_read(qts, 0x04), ==, 0x00);
    g_assert_cmphex(cmos_read(qts, 0x07), ==, 0x01);
    g_assert_cmphex(cmos_read(qts, 0x08), ==, 0x01);
    g_assert_cmphex(cmos_read(qts, 0x09), ==, 0x00);
    g_assert_cmphex(cmos_read(qts, 0x32), ==, 0x20);
    /* a write while running keeps the clock going from the new value */
    cmos_write(qts, 0x00, 0x30);
    qtest_clock_step(qts, SEC);
    g_assert_cmphex(cmos_read(qts, 0x00), ==, 0x31);
    qtest_quit(qts);
}

static void test_uip(void)
{
    QTestState *qts = rtc_start();

    g_assert_cmphex(cmos_read(qts, 0x0a) & 0x80, ==, 0);
    /* UIP goes up 244 us before the second changes */
    qtest_clock_step(qts, SEC - 100000);
    g_assert_cmphex(cmos_read(qts, 0x0a) & 0x80, ==, 0x80);
    g_assert_cmphex(cmos_read(qts, 0x00), ==, 0x05);
    qtest_clock_step(qts, 200000);
    g_assert_cmphex(cmos_read(qts, 0x0a) & 0x80, ==, 0);
    g_assert_cmphex(cmos_read(qts, 0x00), ==, 0x06);
    /* UIP is read-only; writing A keeps it computed */
    cmos_write(qts, 0x0a, 0xa6);
    g_assert_cmphex(cmos_read(qts, 0x0a), ==, 0x26);
    /* divider in reset: no updates, no UIP */
    cmos_write(qts, 0x0a, 0x66);
    qtest_clock_step(qts, 3 * SEC);
    g_assert_cmphex(cmos_read(qts, 0x00), ==, 0x06);
    qtest_quit(qts);
}

static void test_periodic(void)
{
    QTestState *qts = rtc_start();
    int count = 0;

    /* 1024 Hz (rate 6), PIE */
    cmos_write(qts, 0x0a, 0x26);
    cmos_write(qts, 0x0b, 0x42);
    g_assert_false(qtest_get_irq(qts, 8));
    for (int i = 0; i < 5; i++) {
        qtest_clock_step(qts, 976563);
        if (qtest_get_irq(qts, 8)) {
            count++;
            g_assert_cmphex(cmos_read(qts, 0x0c), ==, 0xc0);
            g_assert_false(qtest_get_irq(qts, 8));
        }
    }
    g_assert_cmpint(count, ==, 5);
    /* C reads 0 right after it was read */
    g_assert_cmphex(cmos_read(qts, 0x0c), ==, 0);
    /* PIE off: no interrupt, but PF still shows when polled */
    cmos_write(qts, 0x0b, 0x02);
    qtest_clock_step(qts, 2 * 976563);
    g_assert_false(qtest_get_irq(qts, 8));
    g_assert_cmphex(cmos_read(qts, 0x0c), ==, 0x40);
    /* rate 0: no periodic flag */
    cmos_write(qts, 0x0a, 0x20);
    qtest_clock_step(qts, 10 * 976563);
    g_assert_cmphex(cmos_read(qts, 0x0c) & 0x40, ==, 0);
    /* 2 Hz (rate 15): 500 ms */
    cmos_write(qts, 0x0a, 0x2f);
    cmos_write(qts, 0x0b, 0x42);
    qtest_clock_step(qts, 400 * 1000000LL);
    g_assert_false(qtest_get_irq(qts, 8));
    qtest_clock_step(qts, 200 * 1000000LL);
    g_assert_true(qtest_get_irq(qts, 8));
    cmos_read(qts, 0x0c);
    /* PIE cleared while PF is pending: IRQF and the line drop, so an
     * edge-triggered IOAPIC pin sees the next interrupt (caught by the
     * tests/kvm bios guest under KVM) */
    qtest_clock_step(qts, 500 * 1000000LL);
    g_assert_true(qtest_get_irq(qts, 8));
    cmos_write(qts, 0x0b, 0x02);
    g_assert_false(qtest_get_irq(qts, 8));
    g_assert_cmphex(cmos_read(qts, 0x0c) & 0xc0, ==, 0x40);  /* PF, no IRQF */
    cmos_write(qts, 0x0b, 0x42);
    /* a reset turns PIE off and lowers the line */
    qtest_clock_step(qts, 500 * 1000000LL);
    g_assert_true(qtest_get_irq(qts, 8));
    qtest_system_reset(qts);
    g_assert_false(qtest_get_irq(qts, 8));
    g_assert_cmphex(cmos_read(qts, 0x0b) & 0x70, ==, 0);
    qtest_quit(qts);
}

static void test_alarm_update(void)
{
    QTestState *qts = rtc_start();
    uint8_t c;

    /* alarm at 03:04:08, AIE */
    cmos_write(qts, 0x01, 0x08);
    cmos_write(qts, 0x03, 0x04);
    cmos_write(qts, 0x05, 0x03);
    cmos_write(qts, 0x0b, 0x22);
    qtest_clock_step(qts, 2 * SEC);
    g_assert_false(qtest_get_irq(qts, 8));
    qtest_clock_step(qts, SEC);
    g_assert_true(qtest_get_irq(qts, 8));
    c = cmos_read(qts, 0x0c);
    g_assert_cmphex(c & 0xa0, ==, 0xa0);
    g_assert_false(qtest_get_irq(qts, 8));
    /* don't-care alarm (0xc0-0xff) in every field: each second */
    cmos_write(qts, 0x01, 0xff);
    cmos_write(qts, 0x03, 0xff);
    cmos_write(qts, 0x05, 0xff);
    qtest_clock_step(qts, SEC);
    g_assert_true(qtest_get_irq(qts, 8));
    g_assert_cmphex(cmos_read(qts, 0x0c) & 0xa0, ==, 0xa0);
    /* update-ended interrupt instead */
    cmos_write(qts, 0x0b, 0x12);
    qtest_clock_step(qts, SEC);
    g_assert_true(qtest_get_irq(qts, 8));
    g_assert_cmphex(cmos_read(qts, 0x0c) & 0x90, ==, 0x90);
    /* setting SET clears UIE */
    cmos_write(qts, 0x0b, 0x92);
    g_assert_cmphex(cmos_read(qts, 0x0b), ==, 0x82);
    qtest_quit(qts);
}

static void test_nmi_index(void)
{
    QTestState *qts = rtc_start();

    /* bit 7 of the index masks NMI and is not part of the index */
    qtest_outb(qts, RTC_INDEX, 0x80 | 0x0d);
    g_assert_cmphex(qtest_inb(qts, RTC_DATA), ==, 0x80);
    qtest_outb(qts, RTC_INDEX, 0x80 | 0x32);
    g_assert_cmphex(qtest_inb(qts, RTC_DATA), ==, 0x20);
    /* C and D are read-only */
    cmos_write(qts, 0x0d, 0x00);
    g_assert_cmphex(cmos_read(qts, 0x0d), ==, 0x80);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rtc/cmos/128M", test_cmos_128m);
    g_test_add_func("/rtc/cmos/4G", test_cmos_4g);
    g_test_add_func("/rtc/cmos/32M", test_cmos_small);
    g_test_add_func("/rtc/time/bcd-binary-12h", test_time_bcd_binary);
    g_test_add_func("/rtc/time/set", test_set);
    g_test_add_func("/rtc/uip", test_uip);
    g_test_add_func("/rtc/periodic", test_periodic);
    g_test_add_func("/rtc/alarm-update", test_alarm_update);
    g_test_add_func("/rtc/nmi-index", test_nmi_index);
    return g_test_run();
}
