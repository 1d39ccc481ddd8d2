/*
 * 16550A UART tests (isa-serial at COM1 on "-M none"): registers driven
 * with inb/outb, the UART's chardev is a socket this test holds, IRQ 4 is
 * observed on the machine's "isa-irq" sink.  Register behaviour from the
 * PC16550D datasheet.
 */
#include "libqtest.h"

#include <unistd.h>
#include <string.h>

#define COM1    0x3f8
#define IRQ     4

#define RBR 0
#define THR 0
#define DLL 0
#define IER 1
#define DLM 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

#define LSR_DR   0x01
#define LSR_OE   0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MCR_OUT2 0x08
#define MCR_LOOP 0x10

typedef struct UART {
    QTestState *qts;
    int chr;
    char *dir;
} UART;

static UART *uart_start_dev(const char *device, bool isa)
{
    UART *u = g_new0(UART, 1);
    char *path;
    int lfd;

    u->dir = g_dir_make_tmp("serial-test-XXXXXX", NULL);
    path = g_build_filename(u->dir, "uart.sock", NULL);
    lfd = qtest_socket_server(path);
    u->qts = qtest_initf("-chardev socket,id=s0,path=%s -device %s", path,
                         device);
    u->chr = qtest_socket_accept(lfd);
    g_assert_cmpint(u->chr, >=, 0);
    close(lfd);
    unlink(path);
    g_free(path);
    if (isa) {
        qtest_irq_intercept_in(u->qts, "isa-irq");
    }
    return u;
}

static UART *uart_start(const char *extra)
{
    char *dev = g_strdup_printf("isa-serial,chardev=s0%s", extra ? extra : "");
    UART *u = uart_start_dev(dev, true);

    g_free(dev);
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

static uint8_t in(UART *u, int reg)
{
    return qtest_inb(u->qts, COM1 + reg);
}

static void out(UART *u, int reg, uint8_t val)
{
    qtest_outb(u->qts, COM1 + reg, val);
}

static bool irq(UART *u)
{
    return qtest_get_irq(u->qts, IRQ);
}

static void uart_send(UART *u, const void *buf, size_t len)
{
    g_assert_cmpint(write(u->chr, buf, len), ==, (ssize_t)len);
}

static void wait_dr(UART *u)
{
    for (int i = 0; i < 2000; i++) {
        if (in(u, LSR) & LSR_DR) {
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
        in(u, SCR);
        g_usleep(1000);
    }
}

static void drain(UART *u)
{
    settle(u);
    while (in(u, LSR) & LSR_DR) {
        in(u, RBR);
    }
}

static void test_reset_values(void)
{
    UART *u = uart_start(NULL);

    g_assert_cmphex(in(u, IER), ==, 0);
    g_assert_cmphex(in(u, IIR), ==, 0x01);
    g_assert_cmphex(in(u, LCR), ==, 0);
    g_assert_cmphex(in(u, MCR), ==, 0);
    g_assert_cmphex(in(u, LSR), ==, LSR_THRE | LSR_TEMT);
    g_assert_cmphex(in(u, MSR), ==, 0xb0);     /* DCD, DSR, CTS */
    g_assert_false(irq(u));

    out(u, LCR, 0x1b);
    out(u, SCR, 0x5a);
    out(u, IER, 0x0f);
    qtest_system_reset(u->qts);
    g_assert_cmphex(in(u, LCR), ==, 0);
    g_assert_cmphex(in(u, IER), ==, 0);
    g_assert_cmphex(in(u, SCR), ==, 0);
    uart_stop(u);
}

static void test_tx(void)
{
    UART *u = uart_start(NULL);
    char buf[16] = { 0 };

    out(u, LCR, 0x03);
    for (const char *p = "hello"; *p; p++) {
        out(u, THR, *p);
        g_assert_cmphex(in(u, LSR) & (LSR_THRE | LSR_TEMT), ==,
                        LSR_THRE | LSR_TEMT);
    }
    g_assert_cmpuint(qtest_socket_read(u->chr, buf, 5, 5000), ==, 5);
    g_assert_cmpstr(buf, ==, "hello");

    /* with FIFOs */
    out(u, FCR, 0x07);
    for (const char *p = "world"; *p; p++) {
        out(u, THR, *p);
    }
    memset(buf, 0, sizeof(buf));
    g_assert_cmpuint(qtest_socket_read(u->chr, buf, 5, 5000), ==, 5);
    g_assert_cmpstr(buf, ==, "world");
    uart_stop(u);
}

static void test_rx_fifo(void)
{
    UART *u = uart_start(NULL);
    static const struct { uint8_t fcr; int level; } trig[] = {
        { 0x01, 1 }, { 0x41, 4 }, { 0x81, 8 }, { 0xc1, 14 },
    };
    uint8_t data[20];
    int got = 0;

    for (int i = 0; i < 20; i++) {
        data[i] = 0x30 + i;
    }
    out(u, FCR, 0x07);
    g_assert_cmphex(in(u, IIR), ==, 0xc1);      /* FIFOs on, no interrupt */
    uart_send(u, data, sizeof(data));
    wait_dr(u);
    settle(u);
    while (got < 20) {
        if (!(in(u, LSR) & LSR_DR)) {
            g_usleep(1000);
            continue;
        }
        g_assert_cmphex(in(u, RBR), ==, data[got]);
        got++;
    }
    g_assert_cmphex(in(u, LSR) & LSR_OE, ==, 0);

    /* trigger levels: RDA only once the level is reached */
    out(u, IER, 0x01);
    out(u, MCR, MCR_OUT2);
    for (unsigned t = 0; t < G_N_ELEMENTS(trig); t++) {
        uint8_t buf[16];
        memset(buf, 'a' + t, sizeof(buf));
        out(u, FCR, trig[t].fcr | 0x06);
        if (trig[t].level > 1) {
            uart_send(u, buf, trig[t].level - 1);
            wait_dr(u);
            settle(u);
            g_assert_cmphex(in(u, IIR), ==, 0xc1);
            g_assert_false(irq(u));
        }
        uart_send(u, buf, 1);
        for (int i = 0; i < 2000 && in(u, IIR) != 0xc4; i++) {
            g_usleep(1000);
        }
        g_assert_cmphex(in(u, IIR), ==, 0xc4);
        g_assert_true(irq(u));
        drain(u);
        g_assert_false(irq(u));
    }

    /* FCR bit 1 clears the receive FIFO */
    uart_send(u, "xyz", 3);
    wait_dr(u);
    out(u, FCR, 0x03);
    g_assert_cmphex(in(u, LSR) & LSR_DR, ==, 0);
    drain(u);      /* what was still in the socket */
    uart_stop(u);
}

static void test_thre_irq(void)
{
    UART *u = uart_start(NULL);

    out(u, MCR, MCR_OUT2);
    g_assert_false(irq(u));
    /* enabling ETBEI with an empty THR interrupts at once */
    out(u, IER, 0x02);
    g_assert_true(irq(u));
    g_assert_cmphex(in(u, IIR), ==, 0x02);
    /* reading IIR with THRE as the source cleared it */
    g_assert_false(irq(u));
    g_assert_cmphex(in(u, IIR), ==, 0x01);
    /* writing THR: the byte leaves, THRE comes back */
    out(u, THR, 'a');
    g_assert_true(irq(u));
    g_assert_cmphex(in(u, IIR), ==, 0x02);
    out(u, THR, 'b');
    g_assert_true(irq(u));
    out(u, IER, 0);
    g_assert_false(irq(u));

    /* OUT2 gates the line on a PC, not the IIR */
    out(u, MCR, 0);
    out(u, IER, 0x02);
    g_assert_false(irq(u));
    g_assert_cmphex(in(u, IIR), ==, 0x02);
    uart_stop(u);
}

static void test_iir_priority(void)
{
    UART *u = uart_start(NULL);

    /* ETBEI with an empty THR: THRE pending */
    out(u, IER, 0x0f);
    /* loopback: the modem inputs drop (deltas), TX goes to RX */
    out(u, MCR, MCR_LOOP | MCR_OUT2);
    g_assert_cmphex(in(u, IIR), ==, 0x02);     /* THRE over modem status */
    g_assert_cmphex(in(u, IIR), ==, 0x00);     /* THRE cleared by the read */
    out(u, THR, '1');
    out(u, THR, '2');                          /* overruns the RBR */
    g_assert_cmphex(in(u, IIR), ==, 0x06);     /* line status first */
    g_assert_cmphex(in(u, LSR) & (LSR_OE | LSR_DR), ==, LSR_OE | LSR_DR);
    g_assert_cmphex(in(u, IIR), ==, 0x04);     /* then received data */
    g_assert_cmphex(in(u, RBR), ==, '2');
    g_assert_cmphex(in(u, IIR), ==, 0x02);     /* then THRE */
    g_assert_cmphex(in(u, IIR), ==, 0x00);     /* then modem status */
    g_assert_cmphex(in(u, MSR) & 0x0f, !=, 0);
    g_assert_cmphex(in(u, IIR), ==, 0x01);
    /* in loopback the IRQ pin is inactive on a PC */
    out(u, THR, '3');
    g_assert_cmphex(in(u, IIR), ==, 0x04);
    g_assert_false(irq(u));
    out(u, MCR, MCR_OUT2);
    g_assert_true(irq(u));
    uart_stop(u);
}

static void test_loopback(void)
{
    UART *u = uart_start(NULL);
    char buf[4];

    out(u, FCR, 0x07);
    out(u, MCR, MCR_LOOP);
    out(u, THR, 'q');
    g_assert_cmphex(in(u, LSR) & LSR_DR, ==, LSR_DR);
    g_assert_cmphex(in(u, RBR), ==, 'q');
    g_assert_cmpuint(qtest_socket_read(u->chr, buf, 1, 100), ==, 0);

    /* modem outputs loop to the inputs: RTS->CTS DTR->DSR OUT1->RI
     * OUT2->DCD */
    in(u, MSR);
    out(u, MCR, MCR_LOOP | 0x0f);
    g_assert_cmphex(in(u, MSR), ==, 0xf0 | 0x0b);   /* RI rising: no TERI */
    g_assert_cmphex(in(u, MSR), ==, 0xf0);
    out(u, MCR, MCR_LOOP);
    g_assert_cmphex(in(u, MSR), ==, 0x0f);          /* RI falling: TERI */
    g_assert_cmphex(in(u, MSR), ==, 0x00);

    /* the serial input is ignored in loopback and delivered after */
    uart_send(u, "r", 1);
    settle(u);
    g_assert_cmphex(in(u, LSR) & LSR_DR, ==, 0);
    out(u, MCR, 0);
    wait_dr(u);
    g_assert_cmphex(in(u, RBR), ==, 'r');
    g_assert_cmphex(in(u, MSR), ==, 0xb0 | 0x0b);
    uart_stop(u);
}

static void test_divisor(void)
{
    UART *u = uart_start(NULL);

    out(u, IER, 0x05);
    out(u, LCR, 0x83);
    g_assert_cmphex(in(u, DLL), ==, 12);       /* 9600 baud after reset */
    g_assert_cmphex(in(u, DLM), ==, 0);
    out(u, DLL, 0x01);
    out(u, DLM, 0x80);
    g_assert_cmphex(in(u, DLL), ==, 0x01);
    g_assert_cmphex(in(u, DLM), ==, 0x80);
    out(u, LCR, 0x03);
    /* DLAB off: offsets 0/1 are RBR/IER again, IER was not touched */
    g_assert_cmphex(in(u, IER), ==, 0x05);
    out(u, IER, 0xff);
    g_assert_cmphex(in(u, IER), ==, 0x0f);
    out(u, LCR, 0x83);
    g_assert_cmphex(in(u, DLM), ==, 0x80);
    uart_stop(u);
}

static void test_timeout_irq(void)
{
    UART *u = uart_start(NULL);
    /* 8N1 = 10 bits, divisor 1: 10 * 16 / 1843200 s = 86805 ns per char */
    const int64_t four_chars = 4 * 86805;

    out(u, LCR, 0x83);
    out(u, DLL, 1);
    out(u, DLM, 0);
    out(u, LCR, 0x03);
    out(u, FCR, 0xc7);                         /* trigger level 14 */
    out(u, IER, 0x01);
    out(u, MCR, MCR_OUT2);
    uart_send(u, "abc", 3);
    wait_dr(u);
    settle(u);
    g_assert_false(irq(u));
    qtest_clock_step(u->qts, four_chars - 1000);
    g_assert_false(irq(u));
    g_assert_cmphex(in(u, IIR), ==, 0xc1);
    qtest_clock_step(u->qts, 2000);
    g_assert_true(irq(u));
    g_assert_cmphex(in(u, IIR), ==, 0xcc);
    /* reading RBR clears the timeout and restarts it */
    g_assert_cmphex(in(u, RBR), ==, 'a');
    g_assert_false(irq(u));
    qtest_clock_step_next(u->qts);
    g_assert_true(irq(u));
    g_assert_cmphex(in(u, IIR), ==, 0xcc);
    in(u, RBR);
    in(u, RBR);
    /* empty FIFO: no timeout */
    g_assert_false(irq(u));
    qtest_clock_step(u->qts, 10 * four_chars);
    g_assert_false(irq(u));

    /* 7E2 doubles nothing but the bit count: 1 + 7 + 1 + 2 = 11 bits */
    out(u, LCR, 0x1e);
    uart_send(u, "d", 1);
    wait_dr(u);
    qtest_clock_step(u->qts, 4 * 95486 - 1000);
    g_assert_false(irq(u));
    qtest_clock_step(u->qts, 2000);
    g_assert_true(irq(u));
    uart_stop(u);
}

static void test_backpressure(void)
{
    UART *u = uart_start(NULL);
    uint8_t data[200];
    int got = 0;

    for (int i = 0; i < 200; i++) {
        data[i] = i * 7 + 1;
    }
    out(u, FCR, 0x07);
    uart_send(u, data, sizeof(data));
    while (got < 200) {
        uint8_t lsr = in(u, LSR);
        g_assert_cmphex(lsr & LSR_OE, ==, 0);
        if (!(lsr & LSR_DR)) {
            g_usleep(500);
            continue;
        }
        g_assert_cmphex(in(u, RBR), ==, data[got]);
        got++;
    }
    /* FIFOs off: one byte at a time, still nothing lost */
    out(u, FCR, 0x00);
    uart_send(u, data, 50);
    for (got = 0; got < 50;) {
        uint8_t lsr = in(u, LSR);
        g_assert_cmphex(lsr & LSR_OE, ==, 0);
        if (!(lsr & LSR_DR)) {
            g_usleep(500);
            continue;
        }
        g_assert_cmphex(in(u, RBR), ==, data[got]);
        got++;
    }
    uart_stop(u);
}

/* Drain what the UART sent so far into buf at *got (up to max). */
static void read_available(UART *u, uint8_t *buf, size_t *got, size_t max)
{
    *got += qtest_socket_read(u->chr, buf + *got, max - *got, 1);
}

static void test_tx_backpressure(void)
{
    UART *u = uart_start(NULL);
    enum { N = 3000 };
    static uint8_t data[N], back[N];
    size_t got = 0;
    bool saw_full = false;

    for (int i = 0; i < N; i++) {
        data[i] = i * 13 + (i >> 8);
    }
    out(u, FCR, 0x07);
    /* the test does not read: every byte is its own socket buffer, so
     * the back end fills up after a few hundred and THRE stays clear */
    for (int i = 0; i < N; i++) {
        int polls = 0;
        while (!(in(u, LSR) & LSR_THRE)) {
            saw_full = true;
            if (++polls > 5) {
                read_available(u, back, &got, N);
            }
            g_assert_cmpint(polls, <, 100000);
        }
        out(u, THR, data[i]);
    }
    while (got < N) {
        size_t before = got;
        read_available(u, back, &got, N);
        if (got == before) {
            in(u, LSR);      /* let the retry timer run */
            g_usleep(1000);
        }
    }
    g_assert_cmpmem(data, N, back, N);
    for (int i = 0; i < 1000 && in(u, LSR) != (LSR_THRE | LSR_TEMT); i++) {
        g_usleep(1000);
    }
    g_assert_cmphex(in(u, LSR), ==, LSR_THRE | LSR_TEMT);
    if (!saw_full) {
        g_test_message("the back end never filled up: retry path not run");
    }
    uart_stop(u);
}

static void test_bad_access(void)
{
    UART *u = uart_start(NULL);
    char *ans;

    /* LSR and MSR are read-only */
    out(u, LSR, 0x00);
    out(u, MSR, 0x00);
    g_assert_cmphex(in(u, LSR), ==, LSR_THRE | LSR_TEMT);
    g_assert_cmphex(in(u, MSR), ==, 0xb0);
    /* wide accesses are split into consecutive registers */
    out(u, SCR, 0xa5);
    g_assert_cmphex(qtest_inw(u->qts, COM1 + 6), ==, 0xa5b0);
    /* nothing behind the UART */
    g_assert_cmphex(qtest_inb(u->qts, COM1 + 8), ==, 0xff);
    /* reading an empty RBR keeps the last value and sets no flags */
    in(u, RBR);
    g_assert_cmphex(in(u, LSR), ==, LSR_THRE | LSR_TEMT);
    /* the protocol refuses bad ports and values instead of crashing */
    ans = qtest_raw(u->qts, "outb 0x3f8 0x100");
    g_assert_true(g_str_has_prefix(ans, "FAIL"));
    g_free(ans);
    ans = qtest_raw(u->qts, "inb 0x10000");
    g_assert_true(g_str_has_prefix(ans, "FAIL"));
    g_free(ans);
    uart_stop(u);
}

static void test_second_port(void)
{
    UART *u = uart_start(" -device isa-serial,index=1");

    /* COM2 at 0x2f8, IRQ 3 */
    qtest_outb(u->qts, 0x2f8 + MCR, MCR_OUT2);
    qtest_outb(u->qts, 0x2f8 + IER, 0x02);
    g_assert_true(qtest_get_irq(u->qts, 3));
    g_assert_false(qtest_get_irq(u->qts, 4));
    g_assert_cmphex(qtest_inb(u->qts, 0x2f8 + IIR), ==, 0x02);
    uart_stop(u);
}

static void test_mm(void)
{
    UART *u = uart_start_dev("serial-mm,id=mm0,addr=0x10000000,regshift=2,"
                             "chardev=s0", false);
    const uint64_t base = 0x10000000;
    char buf[4];

    qtest_irq_intercept_out(u->qts, "mm0");
    /* register i at offset i << 2, 32-bit accesses */
    g_assert_cmphex(qtest_readl(u->qts, base + (LSR << 2)), ==,
                    LSR_THRE | LSR_TEMT);
    qtest_writel(u->qts, base + (SCR << 2), 0x5a);
    g_assert_cmphex(qtest_readl(u->qts, base + (SCR << 2)), ==, 0x5a);
    qtest_writel(u->qts, base + (THR << 2), 'm');
    g_assert_cmpuint(qtest_socket_read(u->chr, buf, 1, 5000), ==, 1);
    g_assert_cmphex(buf[0], ==, 'm');
    /* no OUT2 gating on the memory-mapped variant by default */
    g_assert_false(qtest_get_irq(u->qts, 0));
    qtest_writel(u->qts, base + (IER << 2), 0x02);
    g_assert_true(qtest_get_irq(u->qts, 0));
    g_assert_cmphex(qtest_readl(u->qts, base + (IIR << 2)), ==, 0x02);
    g_assert_false(qtest_get_irq(u->qts, 0));
    uart_send(u, "k", 1);
    qtest_writel(u->qts, base + (IER << 2), 0x01);
    for (int i = 0; i < 2000 && !qtest_get_irq(u->qts, 0); i++) {
        g_usleep(1000);
    }
    g_assert_true(qtest_get_irq(u->qts, 0));
    g_assert_cmphex(qtest_readl(u->qts, base + (RBR << 2)), ==, 'k');
    g_assert_false(qtest_get_irq(u->qts, 0));
    /* the region is 8 << regshift bytes */
    g_assert_cmphex(qtest_readl(u->qts, base + 0x20), ==, 0xffffffff);
    uart_stop(u);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/serial/reset-values", test_reset_values);
    g_test_add_func("/serial/tx", test_tx);
    g_test_add_func("/serial/rx-fifo", test_rx_fifo);
    g_test_add_func("/serial/thre-irq", test_thre_irq);
    g_test_add_func("/serial/iir-priority", test_iir_priority);
    g_test_add_func("/serial/loopback", test_loopback);
    g_test_add_func("/serial/divisor", test_divisor);
    g_test_add_func("/serial/timeout-irq", test_timeout_irq);
    g_test_add_func("/serial/backpressure", test_backpressure);
    g_test_add_func("/serial/tx-backpressure", test_tx_backpressure);
    g_test_add_func("/serial/bad-access", test_bad_access);
    g_test_add_func("/serial/second-port", test_second_port);
    g_test_add_func("/serial/mm", test_mm);
    return g_test_run();
}
