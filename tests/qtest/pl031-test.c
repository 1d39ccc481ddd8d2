/*
 * PL031 real-time clock tests: registers over qtest on the "none" machine
 * with the interrupt output intercepted.  The RTC follows the host's
 * wall clock, so the timing tests wait (a few seconds in all) and allow
 * for a second boundary passing between two reads.
 * Behaviour from the PL031 TRM (Arm DDI 0224).
 */
#include "libqtest.h"

#include <time.h>

#define BASE    0x9010000ULL
#define DR      0x00
#define MR      0x04
#define LR      0x08
#define CR      0x0c
#define IMSC    0x10
#define RIS     0x14
#define MIS     0x18
#define ICR     0x1c

/* Wait up to 4 s of real time for the interrupt line to reach level. */
static bool wait_irq(QTestState *q, bool level)
{
    for (int i = 0; i < 200; i++) {
        if (qtest_get_irq(q, 0) == level) {
            return true;
        }
        g_usleep(20 * 1000);
    }
    return false;
}

static QTestState *rtc_start(void)
{
    QTestState *q = qtest_initf("-device pl031,id=rtc,addr=0x%llx", BASE);

    qtest_irq_intercept_out(q, "rtc");
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

/* Set MR to the current count (again if a second boundary got between). */
static void match_now(QTestState *q)
{
    for (int i = 0; i < 3 && !qtest_get_irq(q, 0); i++) {
        wr(q, MR, rd(q, DR));
    }
}

static void test_id(void)
{
    QTestState *q = rtc_start();
    static const uint8_t id[8] = {
        0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
    };

    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(rd(q, 0xfe0 + i * 4), ==, id[i]);
    }
    g_assert_cmphex(rd(q, CR), ==, 1);
    g_assert_cmphex(rd(q, IMSC), ==, 0);
    g_assert_cmphex(rd(q, RIS), ==, 0);
    qtest_quit(q);
}

static void test_host_time(void)
{
    QTestState *q = rtc_start();
    int64_t now = time(NULL);
    int64_t dr = rd(q, DR);

    /* started from the host's clock (UTC seconds) */
    g_assert_cmpint(dr, >=, now - 60);
    g_assert_cmpint(dr, <=, now + 60);
    qtest_quit(q);
}

static void test_counts(void)
{
    QTestState *q = rtc_start();
    uint32_t dr;

    wr(q, LR, 1000);
    g_assert_cmphex(rd(q, LR), ==, 1000);
    dr = rd(q, DR);
    g_assert_cmpuint(dr, >=, 1000);
    g_assert_cmpuint(dr, <=, 1001);
    g_usleep(2100 * 1000);
    dr = rd(q, DR);
    g_assert_cmpuint(dr, >=, 1002);
    g_assert_cmpuint(dr, <=, 1004);
    /* DR is read-only */
    wr(q, DR, 5);
    g_assert_cmpuint(rd(q, DR), >=, 1002);
    /* RTCStart cannot be cleared */
    wr(q, CR, 0);
    g_assert_cmphex(rd(q, CR), ==, 1);
    qtest_quit(q);
}

static void test_match_interrupt(void)
{
    QTestState *q = rtc_start();

    wr(q, LR, 5000);
    wr(q, MR, 5002);
    g_assert_cmphex(rd(q, MR), ==, 5002);
    g_assert_cmphex(rd(q, RIS), ==, 0);
    wr(q, IMSC, 1);
    g_assert_true(wait_irq(q, true));
    g_assert_cmpuint(rd(q, DR), >=, 5002);
    g_assert_cmphex(rd(q, RIS), ==, 1);
    g_assert_cmphex(rd(q, MIS), ==, 1);
    /* masking keeps RIS, drops the line */
    wr(q, IMSC, 0);
    g_assert_cmphex(rd(q, MIS), ==, 0);
    g_assert_false(qtest_get_irq(q, 0));
    wr(q, IMSC, 1);
    g_assert_true(qtest_get_irq(q, 0));
    wr(q, ICR, 1);
    g_assert_cmphex(rd(q, RIS), ==, 0);
    g_assert_false(qtest_get_irq(q, 0));
    /* MR equal to the current count matches at once */
    wr(q, LR, 7000);
    match_now(q);
    g_assert_true(qtest_get_irq(q, 0));
    wr(q, ICR, 1);
    /* the counter wraps: 0xffffffff then 0 */
    wr(q, LR, 0xffffffff);
    wr(q, MR, 0);
    g_assert_true(wait_irq(q, true));
    g_assert_cmpuint(rd(q, DR), <, 10);
    qtest_quit(q);
}

static void test_reset(void)
{
    QTestState *q = rtc_start();

    wr(q, LR, 100);
    wr(q, IMSC, 1);
    match_now(q);
    g_assert_true(qtest_get_irq(q, 0));
    qtest_system_reset(q);
    g_assert_false(qtest_get_irq(q, 0));
    g_assert_cmphex(rd(q, IMSC), ==, 0);
    g_assert_cmphex(rd(q, MR), ==, 0);
    /* the time survives a reset, like a battery-backed RTC */
    g_assert_cmpuint(rd(q, DR), >=, 100);
    g_assert_cmpuint(rd(q, DR), <=, 101);
    qtest_quit(q);
}

static void test_bad_access(void)
{
    QTestState *q = rtc_start();

    wr(q, LR, 77);
    /* byte accesses are refused: the register keeps its value */
    qtest_writeb(q, BASE + LR, 1);
    g_assert_cmphex(rd(q, LR), ==, 77);
    g_assert_cmphex(rd(q, 0x20), ==, 0);       /* reserved */
    qtest_quit(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pl031/id", test_id);
    g_test_add_func("/pl031/host-time", test_host_time);
    g_test_add_func("/pl031/counts", test_counts);
    g_test_add_func("/pl031/match-irq", test_match_interrupt);
    g_test_add_func("/pl031/reset", test_reset);
    g_test_add_func("/pl031/bad-access", test_bad_access);
    return g_test_run();
}
