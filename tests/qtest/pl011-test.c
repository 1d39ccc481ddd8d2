/*
 * PL011 UART tests: registers driven over qtest, the UART's chardev is a
 * socket this test holds, its interrupt output is intercepted.
 * Register behaviour from the PL011 TRM (Arm DDI 0183, r1p5).
 */
#include "libqtest.h"

#include <unistd.h>
#include <string.h>

#define BASE    0x9000000ULL
#define DR      0x000
#define RSR     0x004
#define FR      0x018
#define IBRD    0x024
#define FBRD    0x028
#define LCR_H   0x02c
#define CR      0x030
#define IFLS    0x034
#define IMSC    0x038
#define RIS     0x03c
#define MIS     0x040
#define ICR     0x044
#define DMACR   0x048

#define FR_RXFE 0x10
#define FR_TXFF 0x20
#define FR_RXFF 0x40
#define FR_TXFE 0x80

#define INT_RX  (1 << 4)
#define INT_TX  (1 << 5)
#define INT_RT  (1 << 6)
#define INT_OE  (1 << 10)

typedef struct UART {
    QTestState *qts;
    int chr;
    char *dir;
} UART;

static UART *uart_start(void)
{
    UART *u = g_new0(UART, 1);
    char *path;
    int lfd;

    u->dir = g_dir_make_tmp("pl011-test-XXXXXX", NULL);
    path = g_build_filename(u->dir, "uart.sock", NULL);
    lfd = qtest_socket_server(path);
    u->qts = qtest_initf("-chardev socket,id=u0,path=%s "
                         "-device pl011,id=uart0,addr=0x%llx,chardev=u0",
                         path, BASE);
    u->chr = qtest_socket_accept(lfd);
    g_assert_cmpint(u->chr, >=, 0);
    close(lfd);
    unlink(path);
    g_free(path);
    qtest_irq_intercept_out(u->qts, "uart0");
    return u;
}

static void uart_stop(UART *u)
{
    close(u->chr);
    qtest_quit(u->qts);
    rmdir(u->dir);
    g_free(u->dir);
    g_free(u);
}

static uint32_t rd(UART *u, unsigned off)
{
    return qtest_readl(u->qts, BASE + off);
}

static void wr(UART *u, unsigned off, uint32_t val)
{
    qtest_writel(u->qts, BASE + off, val);
}

static void uart_send(UART *u, const void *buf, size_t len)
{
    g_assert_cmpint(write(u->chr, buf, len), ==, (ssize_t)len);
}

/* Wait until the RX FIFO holds at least n characters (FR says full or
 * the count is reached by peeking is impossible, so poll RXFE/RXFF). */
static void wait_rx_not_empty(UART *u)
{
    for (int i = 0; i < 2000; i++) {
        if (!(rd(u, FR) & FR_RXFE)) {
            return;
        }
        g_usleep(1000);
    }
    g_assert_not_reached();
}

/* Let the chardev deliver what is in flight. */
static void settle(UART *u)
{
    for (int i = 0; i < 20; i++) {
        rd(u, FR);
        g_usleep(1000);
    }
}

static void test_id(void)
{
    static const uint8_t id[8] = { 0x11, 0x10, 0x34, 0x00,
                                   0x0d, 0xf0, 0x05, 0xb1 };
    UART *u = uart_start();

    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(rd(u, 0xfe0 + 4 * i), ==, id[i]);
    }
    uart_stop(u);
}

static void test_reset_values(void)
{
    UART *u = uart_start();

    /* TXFE, RXFE, and a connected cable's CTS/DSR/DCD */
    g_assert_cmphex(rd(u, FR), ==, 0x97);
    g_assert_cmphex(rd(u, CR), ==, 0x300);
    g_assert_cmphex(rd(u, IFLS), ==, 0x12);
    g_assert_cmphex(rd(u, IMSC), ==, 0);
    g_assert_cmphex(rd(u, RIS), ==, 0);
    g_assert_cmphex(rd(u, LCR_H), ==, 0);
    g_assert_cmphex(rd(u, DMACR), ==, 0);
    g_assert_false(qtest_get_irq(u->qts, 0));

    /* system_reset brings them back */
    wr(u, CR, 0x301);
    wr(u, IMSC, 0x7ff);
    wr(u, IFLS, 0x3f);
    qtest_system_reset(u->qts);
    g_assert_cmphex(rd(u, CR), ==, 0x300);
    g_assert_cmphex(rd(u, IMSC), ==, 0);
    g_assert_cmphex(rd(u, IFLS), ==, 0x12);
    uart_stop(u);
}

static void test_tx(void)
{
    UART *u = uart_start();
    char buf[16] = { 0 };

    wr(u, CR, 0x301);
    wr(u, LCR_H, 0x70);     /* 8 bits, FIFOs on */
    for (const char *p = "hello"; *p; p++) {
        wr(u, DR, *p);
    }
    g_assert_cmpuint(qtest_socket_read(u->chr, buf, 5, 5000), ==, 5);
    g_assert_cmpstr(buf, ==, "hello");
    g_assert_cmphex(rd(u, FR) & (FR_TXFE | FR_TXFF | 0x8), ==, FR_TXFE);
    uart_stop(u);
}

static void test_rx_fifo(void)
{
    UART *u = uart_start();
    uint8_t data[40];
    int got = 0;

    for (int i = 0; i < 40; i++) {
        data[i] = 'A' + i;
    }
    wr(u, CR, 0x301);
    wr(u, LCR_H, 0x70);
    uart_send(u, data, sizeof(data));
    wait_rx_not_empty(u);
    settle(u);
    /* 32 entries, then back-pressure: the rest waits in the socket */
    g_assert_cmphex(rd(u, FR) & (FR_RXFF | FR_RXFE), ==, FR_RXFF);
    while (got < 40) {
        uint32_t fr = rd(u, FR);
        if (fr & FR_RXFE) {
            g_usleep(1000);
            continue;
        }
        g_assert_cmphex(rd(u, DR), ==, data[got]);   /* no error bits */
        got++;
    }
    settle(u);
    g_assert_cmphex(rd(u, FR) & FR_RXFE, ==, FR_RXFE);
    g_assert_cmphex(rd(u, RSR), ==, 0);

    /* FIFOs off: a 1-character holding register */
    wr(u, LCR_H, 0x60);
    uart_send(u, "xy", 2);
    wait_rx_not_empty(u);
    settle(u);
    g_assert_cmphex(rd(u, FR) & (FR_RXFF | FR_RXFE), ==, FR_RXFF);
    g_assert_cmphex(rd(u, DR), ==, 'x');
    wait_rx_not_empty(u);
    g_assert_cmphex(rd(u, DR), ==, 'y');
    uart_stop(u);
}

static void test_tx_backpressure(void)
{
    UART *u = uart_start();
    enum { N = 3000 };
    static uint8_t data[N], back[N];
    size_t got = 0;
    bool saw_busy = false;

    for (int i = 0; i < N; i++) {
        data[i] = i * 7 + (i >> 8);
    }
    wr(u, CR, 0x301);
    wr(u, LCR_H, 0x70);
    /* the test does not read at first: the back end fills up, bytes wait
     * in the TX FIFO (FR.BUSY, then TXFF) and nothing is lost */
    for (int i = 0; i < N; i++) {
        int polls = 0;
        uint32_t fr;
        while ((fr = rd(u, FR)) & FR_TXFF) {
            if (++polls > 5) {
                got += qtest_socket_read(u->chr, back + got, N - got, 1);
            }
            g_assert_cmpint(polls, <, 100000);
        }
        saw_busy |= !!(fr & 0x8);
        wr(u, DR, data[i]);
    }
    while (got < N) {
        size_t before = got;
        got += qtest_socket_read(u->chr, back + got, N - got, 1);
        if (got == before) {
            rd(u, FR);
            g_usleep(1000);
        }
    }
    g_assert_cmpmem(data, N, back, N);
    for (int i = 0; i < 1000 && (rd(u, FR) & 0x8); i++) {
        g_usleep(1000);
    }
    g_assert_cmphex(rd(u, FR) & (FR_TXFE | 0x8), ==, FR_TXFE);
    if (!saw_busy) {
        g_test_message("the back end never filled up: retry path not run");
    }
    uart_stop(u);
}

static void test_rx_irq_levels(void)
{
    UART *u = uart_start();
    static const int levels[5] = { 4, 8, 16, 24, 28 };

    wr(u, CR, 0x301);
    wr(u, LCR_H, 0x70);
    wr(u, IMSC, INT_RX);
    for (int sel = 0; sel < 5; sel++) {
        uint8_t buf[32];
        memset(buf, 'a' + sel, sizeof(buf));
        wr(u, IFLS, sel << 3);
        uart_send(u, buf, levels[sel] - 1);
        wait_rx_not_empty(u);
        settle(u);
        g_assert_cmphex(rd(u, RIS) & INT_RX, ==, 0);
        g_assert_false(qtest_get_irq(u->qts, 0));
        uart_send(u, buf, 1);
        for (int i = 0; i < 2000 && !(rd(u, RIS) & INT_RX); i++) {
            g_usleep(1000);
        }
        g_assert_cmphex(rd(u, RIS) & INT_RX, ==, INT_RX);
        g_assert_cmphex(rd(u, MIS), ==, INT_RX);
        g_assert_true(qtest_get_irq(u->qts, 0));
        /* reading below the level clears it */
        rd(u, DR);
        g_assert_cmphex(rd(u, RIS) & INT_RX, ==, 0);
        g_assert_false(qtest_get_irq(u->qts, 0));
        /* drain */
        for (int i = 1; i < levels[sel]; i++) {
            rd(u, DR);
        }
        g_assert_cmphex(rd(u, FR) & FR_RXFE, ==, FR_RXFE);
        wr(u, ICR, 0x7ff);
    }
    uart_stop(u);
}

static void test_tx_irq(void)
{
    UART *u = uart_start();
    char buf[4];

    wr(u, CR, 0x301);
    wr(u, LCR_H, 0x70);
    g_assert_cmphex(rd(u, RIS) & INT_TX, ==, 0);
    wr(u, IMSC, INT_TX);
    g_assert_false(qtest_get_irq(u->qts, 0));
    wr(u, DR, 'z');
    g_assert_cmpuint(qtest_socket_read(u->chr, buf, 1, 5000), ==, 1);
    /* the FIFO drained through its level */
    g_assert_cmphex(rd(u, RIS) & INT_TX, ==, INT_TX);
    g_assert_true(qtest_get_irq(u->qts, 0));
    wr(u, ICR, INT_TX);
    g_assert_cmphex(rd(u, RIS) & INT_TX, ==, 0);
    g_assert_false(qtest_get_irq(u->qts, 0));
    /* masked: RIS only */
    wr(u, IMSC, 0);
    wr(u, DR, 'y');
    g_assert_cmphex(rd(u, RIS) & INT_TX, ==, INT_TX);
    g_assert_cmphex(rd(u, MIS), ==, 0);
    g_assert_false(qtest_get_irq(u->qts, 0));
    uart_stop(u);
}

static void test_rt_irq(void)
{
    UART *u = uart_start();
    /* 24 MHz, divisor 10: a bit is 16 * 10 / 24e6 s = 6666 ns */
    const int64_t bit_ns = 6666;

    wr(u, CR, 0x301);
    wr(u, IBRD, 10);
    wr(u, FBRD, 0);
    wr(u, LCR_H, 0x70);        /* latches the divisor */
    wr(u, IMSC, INT_RT);
    uart_send(u, "ab", 2);
    wait_rx_not_empty(u);
    settle(u);
    qtest_clock_step(u->qts, 31 * bit_ns);
    g_assert_cmphex(rd(u, RIS) & INT_RT, ==, 0);
    qtest_clock_step(u->qts, 2 * bit_ns);
    g_assert_cmphex(rd(u, RIS) & INT_RT, ==, INT_RT);
    g_assert_cmphex(rd(u, MIS), ==, INT_RT);
    g_assert_true(qtest_get_irq(u->qts, 0));
    /* cleared when the FIFO empties */
    g_assert_cmphex(rd(u, DR), ==, 'a');
    g_assert_cmphex(rd(u, RIS) & INT_RT, ==, INT_RT);
    g_assert_cmphex(rd(u, DR), ==, 'b');
    g_assert_cmphex(rd(u, RIS) & INT_RT, ==, 0);
    g_assert_false(qtest_get_irq(u->qts, 0));
    uart_stop(u);
}

static void test_lcr_h_latch(void)
{
    UART *u = uart_start();

    wr(u, CR, 0x301);
    wr(u, IBRD, 10);
    wr(u, FBRD, 0);
    wr(u, LCR_H, 0x70);        /* divisor 10 is now in effect */
    /* IBRD alone does not change the rate until LCR_H is written */
    wr(u, IBRD, 100);
    g_assert_cmphex(rd(u, IBRD), ==, 100);
    wr(u, FBRD, 0xff);
    g_assert_cmphex(rd(u, FBRD), ==, 0x3f);
    uart_send(u, "a", 1);
    wait_rx_not_empty(u);
    qtest_clock_step(u->qts, 33 * 6666);
    g_assert_cmphex(rd(u, RIS) & INT_RT, ==, INT_RT);
    rd(u, DR);
    /* now latch 100 + 63/64 */
    wr(u, LCR_H, 0x70);
    uart_send(u, "b", 1);
    wait_rx_not_empty(u);
    qtest_clock_step(u->qts, 33 * 6666);
    g_assert_cmphex(rd(u, RIS) & INT_RT, ==, 0);
    qtest_clock_step_next(u->qts);
    g_assert_cmphex(rd(u, RIS) & INT_RT, ==, INT_RT);
    uart_stop(u);
}

static void test_loopback(void)
{
    UART *u = uart_start();
    char buf[4];

    wr(u, CR, 0x381);          /* UARTEN, TXE, RXE, LBE */
    wr(u, LCR_H, 0x70);
    wr(u, DR, 'q');
    g_assert_cmphex(rd(u, FR) & FR_RXFE, ==, 0);
    g_assert_cmphex(rd(u, DR), ==, 'q');
    g_assert_cmpuint(qtest_socket_read(u->chr, buf, 1, 100), ==, 0);

    /* chardev input is ignored in loopback, delivered after */
    uart_send(u, "r", 1);
    settle(u);
    g_assert_cmphex(rd(u, FR) & FR_RXFE, ==, FR_RXFE);
    wr(u, CR, 0x301);
    wait_rx_not_empty(u);
    g_assert_cmphex(rd(u, DR), ==, 'r');

    /* overrun with the 1-char holding register */
    wr(u, CR, 0x381);
    wr(u, LCR_H, 0x60);
    wr(u, IMSC, INT_OE);
    wr(u, DR, '1');
    wr(u, DR, '2');
    g_assert_cmphex(rd(u, RSR), ==, 0x8);
    g_assert_cmphex(rd(u, RIS) & INT_OE, ==, INT_OE);
    g_assert_true(qtest_get_irq(u->qts, 0));
    g_assert_cmphex(rd(u, DR), ==, '1');
    wr(u, DR, '3');            /* the next char carries OE */
    g_assert_cmphex(rd(u, DR), ==, 0x800 | '3');
    wr(u, RSR, 0);             /* ECR */
    g_assert_cmphex(rd(u, RSR), ==, 0);
    wr(u, ICR, INT_OE);
    g_assert_false(qtest_get_irq(u->qts, 0));
    uart_stop(u);
}

static void test_modem_irq(void)
{
    UART *u = uart_start();

    wr(u, IMSC, 0xf);
    /* loopback: RTS->CTS, DTR->DSR, Out1->DCD, Out2->RI; all low now */
    wr(u, CR, 0x381);
    g_assert_cmphex(rd(u, FR) & 0x107, ==, 0);
    g_assert_cmphex(rd(u, RIS) & 0xf, ==, 0xe);     /* CTS, DCD, DSR */
    g_assert_true(qtest_get_irq(u->qts, 0));
    wr(u, ICR, 0xf);
    g_assert_false(qtest_get_irq(u->qts, 0));
    wr(u, CR, 0x381 | (1 << 13));                   /* Out2 -> RI */
    g_assert_cmphex(rd(u, FR) & 0x107, ==, 0x100);
    g_assert_cmphex(rd(u, RIS) & 0xf, ==, 0x1);
    wr(u, ICR, 0xf);
    wr(u, CR, 0x381 | (1 << 10) | (1 << 11));       /* DTR, RTS */
    g_assert_cmphex(rd(u, FR) & 0x107, ==, 0x3);
    g_assert_cmphex(rd(u, RIS) & 0xf, ==, 0xb);
    uart_stop(u);
}

static void test_bad_access(void)
{
    UART *u = uart_start();

    g_assert_cmphex(rd(u, 0x100), ==, 0);           /* hole */
    g_assert_cmphex(rd(u, 0x04c), ==, 0);
    g_assert_cmphex(qtest_readq(u->qts, BASE + FR), ==, 0);    /* 8 bytes */
    g_assert_cmphex(qtest_readl(u->qts, BASE + FR + 2), ==, 0); /* unaligned */
    wr(u, 0x100, 0xffffffff);
    wr(u, FR, 0);                                   /* read-only */
    wr(u, RIS, 0xffff);
    g_assert_cmphex(rd(u, FR), ==, 0x97);
    g_assert_cmphex(rd(u, RIS), ==, 0);
    g_assert_cmphex(rd(u, DR), ==, 0);              /* empty FIFO */
    /* byte reads of the ID registers are fine */
    g_assert_cmphex(qtest_readb(u->qts, BASE + 0xff0), ==, 0x0d);
    uart_stop(u);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pl011/id", test_id);
    g_test_add_func("/pl011/reset-values", test_reset_values);
    g_test_add_func("/pl011/tx", test_tx);
    g_test_add_func("/pl011/rx-fifo", test_rx_fifo);
    g_test_add_func("/pl011/tx-backpressure", test_tx_backpressure);
    g_test_add_func("/pl011/rx-irq-levels", test_rx_irq_levels);
    g_test_add_func("/pl011/tx-irq", test_tx_irq);
    g_test_add_func("/pl011/rt-irq", test_rt_irq);
    g_test_add_func("/pl011/lcr-h-latch", test_lcr_h_latch);
    g_test_add_func("/pl011/loopback", test_loopback);
    g_test_add_func("/pl011/modem-irq", test_modem_irq);
    g_test_add_func("/pl011/bad-access", test_bad_access);
    return g_test_run();
}
