/*
 * i8042 keyboard controller on the pc board (ports 0x60/0x64): status
 * after reset and self-test, command byte, interface tests, output port,
 * the PS/2 keyboard's reset/identify/LED/echo answers, IRQ 1 (GSI 1) and
 * IRQ 12, and the reset line (0xfe) leading to a system reset, which
 * -no-reboot turns into an exit.
 */
#include "libqtest.h"

#define DATA 0x60
#define CMD  0x64

#define OBF 0x01
#define AUX_OBF 0x20

static uint8_t kbc_read(QTestState *qts)
{
    g_assert_cmphex(qtest_inb(qts, CMD) & OBF, ==, OBF);
    return qtest_inb(qts, DATA);
}

static void test_self_test(void)
{
    QTestState *qts = qtest_init("-M pc");

    g_assert_cmphex(qtest_inb(qts, CMD), ==, 0x18);
    qtest_outb(qts, CMD, 0xaa);
    g_assert_cmphex(kbc_read(qts), ==, 0x55);
    /* SYS flag, last write a command, not inhibited */
    g_assert_cmphex(qtest_inb(qts, CMD), ==, 0x1c);
    qtest_outb(qts, CMD, 0xab);
    g_assert_cmphex(kbc_read(qts), ==, 0x00);
    qtest_outb(qts, CMD, 0xa9);
    g_assert_cmphex(kbc_read(qts), ==, 0x00);
    qtest_quit(qts);
}

static void test_command_byte(void)
{
    QTestState *qts = qtest_init("-M pc");

    qtest_outb(qts, CMD, 0x20);
    g_assert_cmphex(kbc_read(qts), ==, 0x03);
    qtest_outb(qts, CMD, 0x60);
    qtest_outb(qts, DATA, 0x45);
    qtest_outb(qts, CMD, 0x20);
    g_assert_cmphex(kbc_read(qts), ==, 0x45);
    /* output port: A20 on, reset line high */
    qtest_outb(qts, CMD, 0xd0);
    g_assert_cmphex(kbc_read(qts) & 0x03, ==, 0x03);
    qtest_outb(qts, CMD, 0xdd);
    qtest_outb(qts, CMD, 0xd0);
    g_assert_cmphex(kbc_read(qts) & 0x03, ==, 0x01);
    qtest_outb(qts, CMD, 0xdf);
    qtest_outb(qts, CMD, 0xd0);
    g_assert_cmphex(kbc_read(qts) & 0x03, ==, 0x03);
    qtest_quit(qts);
}

static void test_keyboard(void)
{
    QTestState *qts = qtest_init("-M pc");

    qtest_irq_intercept_in(qts, "gsi");
    /* reset: ACK then BAT OK, each raising IRQ 1 */
    qtest_outb(qts, DATA, 0xff);
    g_assert_true(qtest_get_irq(qts, 1));
    g_assert_cmphex(kbc_read(qts), ==, 0xfa);
    g_assert_true(qtest_get_irq(qts, 1));
    g_assert_cmphex(kbc_read(qts), ==, 0xaa);
    g_assert_false(qtest_get_irq(qts, 1));
    g_assert_cmphex(qtest_inb(qts, CMD) & OBF, ==, 0);
    /* identify */
    qtest_outb(qts, DATA, 0xf2);
    g_assert_cmphex(kbc_read(qts), ==, 0xfa);
    g_assert_cmphex(kbc_read(qts), ==, 0xab);
    g_assert_cmphex(kbc_read(qts), ==, 0x83);
    /* LEDs take an argument */
    qtest_outb(qts, DATA, 0xed);
    g_assert_cmphex(kbc_read(qts), ==, 0xfa);
    qtest_outb(qts, DATA, 0x07);
    g_assert_cmphex(kbc_read(qts), ==, 0xfa);
    /* echo, unknown command */
    qtest_outb(qts, DATA, 0xee);
    g_assert_cmphex(kbc_read(qts), ==, 0xee);
    qtest_outb(qts, DATA, 0x01);
    g_assert_cmphex(kbc_read(qts), ==, 0xfe);
    /* keyboard interrupt disabled in the command byte: no IRQ 1 */
    qtest_outb(qts, CMD, 0x60);
    qtest_outb(qts, DATA, 0x00);
    qtest_outb(qts, DATA, 0xee);
    g_assert_false(qtest_get_irq(qts, 1));
    g_assert_cmphex(kbc_read(qts), ==, 0xee);
    qtest_quit(qts);
}

static void test_aux(void)
{
    QTestState *qts = qtest_init("-M pc");

    qtest_irq_intercept_in(qts, "gsi");
    /* 0xd3 works with the mouse port disabled (Linux's AUX loop test) */
    qtest_outb(qts, CMD, 0xa7);
    qtest_outb(qts, CMD, 0xd3);
    qtest_outb(qts, DATA, 0x5a);
    g_assert_cmphex(qtest_inb(qts, CMD) & AUX_OBF, ==, AUX_OBF);
    g_assert_cmphex(qtest_inb(qts, DATA), ==, 0x5a);
    qtest_outb(qts, CMD, 0xa8);
    /* write to the mouse output buffer: IRQ 12, AUX_OBF */
    qtest_outb(qts, CMD, 0xd3);
    qtest_outb(qts, DATA, 0x42);
    g_assert_true(qtest_get_irq(qts, 12));
    g_assert_cmphex(qtest_inb(qts, CMD) & AUX_OBF, ==, AUX_OBF);
    g_assert_cmphex(qtest_inb(qts, DATA), ==, 0x42);
    g_assert_false(qtest_get_irq(qts, 12));
    /* mouse identify */
    qtest_outb(qts, CMD, 0xd4);
    qtest_outb(qts, DATA, 0xf2);
    g_assert_cmphex(kbc_read(qts), ==, 0xfa);
    g_assert_cmphex(kbc_read(qts), ==, 0x00);
    /* reset: ACK, BAT OK, id */
    qtest_outb(qts, CMD, 0xd4);
    qtest_outb(qts, DATA, 0xff);
    g_assert_cmphex(kbc_read(qts), ==, 0xfa);
    g_assert_cmphex(kbc_read(qts), ==, 0xaa);
    g_assert_cmphex(kbc_read(qts), ==, 0x00);
    /* status request: ACK + 3 bytes */
    qtest_outb(qts, CMD, 0xd4);
    qtest_outb(qts, DATA, 0xe9);
    g_assert_cmphex(kbc_read(qts), ==, 0xfa);
    g_assert_cmphex(kbc_read(qts), ==, 0x00);
    g_assert_cmphex(kbc_read(qts), ==, 0x02);
    g_assert_cmphex(kbc_read(qts), ==, 0x64);
    /* the mouse port disabled: its bytes wait; the command byte shows it */
    qtest_outb(qts, CMD, 0xa7);
    qtest_outb(qts, CMD, 0x20);
    g_assert_cmphex(kbc_read(qts) & 0x20, ==, 0x20);
    qtest_outb(qts, CMD, 0xd4);
    qtest_outb(qts, DATA, 0xf2);
    g_assert_cmphex(qtest_inb(qts, CMD) & OBF, ==, 0);
    qtest_outb(qts, CMD, 0xa8);
    g_assert_cmphex(kbc_read(qts), ==, 0xfa);
    qtest_quit(qts);
}

/* 0xfe pulses the reset line: with -no-reboot the process exits 0. */
static void test_reset_line(void)
{
    QTestState *qts = qtest_init("-M pc -no-reboot");

    qtest_outb(qts, CMD, 0xfe);
    qtest_quit(qts);
}

/* Without -no-reboot the machine resets: the command byte comes back. */
static void test_reset_request(void)
{
    QTestState *qts = qtest_init("-M pc");

    qtest_outb(qts, CMD, 0x60);
    qtest_outb(qts, DATA, 0x47);
    qtest_outb(qts, CMD, 0xfe);
    /* the request is handled by the main loop before the next command */
    qtest_outb(qts, CMD, 0x20);
    g_assert_cmphex(kbc_read(qts), ==, 0x03);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i8042/self-test", test_self_test);
    g_test_add_func("/i8042/command-byte", test_command_byte);
    g_test_add_func("/i8042/keyboard", test_keyboard);
    g_test_add_func("/i8042/aux", test_aux);
    g_test_add_func("/i8042/reset-line", test_reset_line);
    g_test_add_func("/i8042/reset-request", test_reset_request);
    return g_test_run();
}
