/*
 * The PIIX4 power management function of the pc board (01.3): its PCI
 * configuration and the PM I/O block it decodes, the PM timer and
 * TMR_STS on the stepped clock, the SCI on IRQ 9, ACPI enable through
 * the APM port, the power button pressed by QMP system_powerdown, S5
 * ending the process with status 0, other sleep states, reset.
 */
#include "libqtest.h"

#include <sys/socket.h>

#define PM 0x600
#define PM1_STS (PM + 0)
#define PM1_EN  (PM + 2)
#define PM1_CNT (PM + 4)
#define PM_TMR  (PM + 8)
#define GPE0    (PM + 0x0c)

static uint32_t cfg_addr(unsigned reg)
{
    return 0x80000000u | ((1 << 3 | 3) << 8) | (reg & 0xfc);
}

static uint32_t cfg_readl(QTestState *q, unsigned reg)
{
    qtest_outl(q, 0xcf8, cfg_addr(reg));
    return qtest_inl(q, 0xcfc);
}

static void cfg_writel(QTestState *q, unsigned reg, uint32_t v)
{
    qtest_outl(q, 0xcf8, cfg_addr(reg));
    qtest_outl(q, 0xcfc, v);
}

static void cfg_writeb(QTestState *q, unsigned reg, uint8_t v)
{
    qtest_outl(q, 0xcf8, cfg_addr(reg));
    qtest_outb(q, 0xcfc + (reg & 3), v);
}

/* as firmware does: PM I/O at 0x600, decoding on */
static QTestState *start(const char *extra)
{
    g_autofree char *args = g_strdup_printf("-M pc %s", extra ? extra : "");
    QTestState *q = qtest_init(args);

    cfg_writel(q, 0x40, PM);
    cfg_writeb(q, 0x80, 1);
    return q;
}

static void test_config_and_decode(void)
{
    QTestState *q = qtest_init("-M pc");

    g_assert_cmphex(cfg_readl(q, 0x00), ==, 0x71138086);
    g_assert_cmphex(cfg_readl(q, 0x08), ==, 0x06800003);
    g_assert_cmphex(cfg_readl(q, 0x3c) & 0xff, ==, 9);
    g_assert_cmphex(cfg_readl(q, 0x40), ==, 1);
    /* DEVACTB.APMC_EN set and read-only: no SMM for firmware to set up */
    g_assert_cmphex(cfg_readl(q, 0x58), ==, 0x02000000);
    cfg_writel(q, 0x58, 0);
    g_assert_cmphex(cfg_readl(q, 0x58), ==, 0x02000000);
    /* nothing decodes before PMBA and PMREGMISC are set */
    g_assert_cmphex(qtest_inw(q, PM1_CNT), ==, 0xffff);
    cfg_writel(q, 0x40, 0xffffffff);
    g_assert_cmphex(cfg_readl(q, 0x40), ==, 0xffc1);
    cfg_writel(q, 0x40, PM);
    g_assert_cmphex(qtest_inw(q, PM1_CNT), ==, 0xffff);
    cfg_writeb(q, 0x80, 1);
    g_assert_cmphex(qtest_inw(q, PM1_CNT), ==, 0);
    /* moving it */
    cfg_writel(q, 0x40, 0xb000);
    g_assert_cmphex(qtest_inw(q, PM1_CNT), ==, 0xffff);
    g_assert_cmphex(qtest_inw(q, 0xb004), ==, 0);
    cfg_writeb(q, 0x80, 0);
    g_assert_cmphex(qtest_inw(q, 0xb004), ==, 0xffff);
    qtest_quit(q);
}

static void test_pm_timer(void)
{
    QTestState *q = start(NULL);

    g_assert_cmphex(qtest_inl(q, PM_TMR), ==, 0);
    qtest_clock_step(q, 1000000000);
    g_assert_cmphex(qtest_inl(q, PM_TMR), ==, 3579545);
    g_assert_cmphex(qtest_inw(q, PM_TMR), ==, 3579545 & 0xffff);
    g_assert_cmphex(qtest_inb(q, PM_TMR + 2), ==, 3579545 >> 16);
    g_assert_cmphex(qtest_inw(q, PM1_STS) & 1, ==, 0);
    /* bit 23 changes after 2^23 ticks (2.34 s): TMR_STS */
    qtest_clock_set(q, 2343484000LL);
    g_assert_cmphex(qtest_inw(q, PM1_STS) & 1, ==, 0);
    qtest_clock_set(q, 2343485000LL);
    g_assert_cmphex(qtest_inw(q, PM1_STS) & 1, ==, 1);
    g_assert_cmphex(qtest_inl(q, PM_TMR) >> 23, ==, 1);
    qtest_outw(q, PM1_STS, 1);                     /* write 1 to clear */
    g_assert_cmphex(qtest_inw(q, PM1_STS) & 1, ==, 0);
    /* 24 bits: it wraps after 4.69 s */
    qtest_clock_set(q, 4686969000LL);
    g_assert_cmphex(qtest_inl(q, PM_TMR), <, 16);
    qtest_quit(q);
}

static void test_sci(void)
{
    QTestState *q = start(NULL);

    qtest_irq_intercept_in(q, "gsi");
    qtest_outw(q, PM1_EN, 1);                      /* TMR_EN */
    qtest_clock_step(q, 2400000000LL);
    g_assert_cmphex(qtest_inw(q, PM1_STS) & 1, ==, 1);
    g_assert_false(qtest_get_irq(q, 9));           /* SCI_EN off */
    /* ACPI_ENABLE through the SMI command port */
    qtest_outb(q, 0xb2, 0xf1);
    g_assert_cmphex(qtest_inw(q, PM1_CNT) & 1, ==, 1);
    g_assert_true(qtest_get_irq(q, 9));
    qtest_outw(q, PM1_STS, 1);
    g_assert_false(qtest_get_irq(q, 9));
    /* the next change of bit 23, by the timer alone */
    qtest_clock_step(q, 2400000000LL);
    g_assert_true(qtest_get_irq(q, 9));
    qtest_outw(q, PM1_STS, 1);
    /* GPE0: no sources, the bits read back */
    qtest_outw(q, GPE0 + 2, 0x0003);
    g_assert_cmphex(qtest_inw(q, GPE0 + 2), ==, 3);
    g_assert_cmphex(qtest_inw(q, GPE0), ==, 0);
    /* ACPI_DISABLE */
    qtest_outb(q, 0xb2, 0xf0);
    g_assert_cmphex(qtest_inw(q, PM1_CNT) & 1, ==, 0);
    g_assert_cmphex(qtest_inb(q, 0xb2), ==, 0xf0);
    qtest_outb(q, 0xb3, 0x5a);
    g_assert_cmphex(qtest_inb(q, 0xb3), ==, 0x5a);
    qtest_quit(q);
}

/* QMP through a socket turtle connects to: send lines, wait for text */
static void qmp_expect(int fd, const char *what)
{
    GString *got = g_string_new(NULL);
    char buf[512];

    while (!strstr(got->str, what)) {
        size_t n = qtest_socket_read(fd, buf, 1, 10000);
        g_assert_cmpint(n, ==, 1);
        g_string_append_len(got, buf, n);
    }
    g_string_free(got, true);
}

static void qmp_send(int fd, const char *text)
{
    g_assert_cmpint(write(fd, text, strlen(text)), ==, (ssize_t)strlen(text));
}

static void test_power_button(void)
{
    g_autofree char *dir = g_dir_make_tmp("pm-qmp-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "qmp.sock", NULL);
    g_autofree char *arg = g_strdup_printf("-qmp unix:%s", path);
    int lfd = qtest_socket_server(path), fd;
    QTestState *q;

    q = start(arg);
    fd = qtest_socket_accept(lfd);
    g_assert_cmpint(fd, >=, 0);
    qmp_expect(fd, "QMP");
    qmp_send(fd, "{\"execute\": \"qmp_capabilities\"}\n");
    qmp_expect(fd, "return");
    qtest_irq_intercept_in(q, "gsi");
    qtest_outb(q, 0xb2, 0xf1);
    qtest_outw(q, PM1_EN, 0x100);                  /* PWRBTN_EN */
    qmp_send(fd, "{\"execute\": \"system_powerdown\"}\n");
    qmp_expect(fd, "return");
    /* the request is acted on by the main loop: poll for it */
    for (int i = 0; i < 1000 && !(qtest_inw(q, PM1_STS) & 0x100); i++) {
        g_usleep(1000);
    }
    g_assert_cmphex(qtest_inw(q, PM1_STS) & 0x100, ==, 0x100);
    g_assert_true(qtest_get_irq(q, 9));
    qtest_outw(q, PM1_STS, 0x100);
    g_assert_false(qtest_get_irq(q, 9));
    close(fd);
    close(lfd);
    qtest_quit(q);
    unlink(path);
    rmdir(dir);
}

static void test_sleep_states(void)
{
    QTestState *q = start(NULL);

    /* S1 (type 1) is not implemented: nothing happens */
    qtest_outw(q, PM1_CNT, 0x2000 | (1 << 10));
    g_assert_cmphex(qtest_inw(q, PM1_CNT), ==, 1 << 10);
    g_assert_cmpint(qtest_wait_exit(q, 200), ==, -1);
    /* S5: the process ends with status 0 */
    qtest_outw(q, PM1_CNT, 0x2000);
    g_assert_cmpint(qtest_wait_exit(q, 10000), ==, 0);
    qtest_quit(q);
}

static void test_reset_and_acpi_off(void)
{
    QTestState *q = start(NULL);

    qtest_outb(q, 0xb2, 0xf1);
    qtest_outw(q, PM1_EN, 0x101);
    qtest_system_reset(q);
    g_assert_cmphex(cfg_readl(q, 0x40), ==, 1);
    g_assert_cmphex(qtest_inw(q, PM1_CNT), ==, 0xffff);   /* not decoded */
    cfg_writel(q, 0x40, PM);
    cfg_writeb(q, 0x80, 1);
    g_assert_cmphex(qtest_inw(q, PM1_CNT), ==, 0);
    g_assert_cmphex(qtest_inw(q, PM1_EN), ==, 0);
    qtest_quit(q);

    q = qtest_init("-M pc,acpi=off");
    g_assert_cmphex(cfg_readl(q, 0x00), ==, 0xffffffff);
    qtest_quit(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/piix4-pm/config-decode", test_config_and_decode);
    g_test_add_func("/piix4-pm/pm-timer", test_pm_timer);
    g_test_add_func("/piix4-pm/sci", test_sci);
    g_test_add_func("/piix4-pm/power-button", test_power_button);
    g_test_add_func("/piix4-pm/sleep-states", test_sleep_states);
    g_test_add_func("/piix4-pm/reset-acpi-off", test_reset_and_acpi_off);
    return g_test_run();
}
