/*
 * PCI on the pc board: configuration mechanism #1 at 0xcf8/0xcfc (byte,
 * word and dword data accesses), the bus-0 scan QEMU's pc shows
 * (i440FX 8086:1237 at 00.0, PIIX3 8086:7000 at 01.0), write masks, the
 * PIIX3 PIRQ routing into the GSI router, and the unassigned PCI hole.
 */
#include "libqtest.h"

#include <string.h>

#define CONFIG_ADDR 0xcf8
#define CONFIG_DATA 0xcfc

static uint32_t cfg_addr(int dev, int fn, int reg)
{
    return 0x80000000u | (dev << 11) | (fn << 8) | (reg & 0xfc);
}

static uint32_t cfg_readl(QTestState *qts, int dev, int fn, int reg)
{
    qtest_outl(qts, CONFIG_ADDR, cfg_addr(dev, fn, reg));
    return qtest_inl(qts, CONFIG_DATA);
}

static uint16_t cfg_readw(QTestState *qts, int dev, int fn, int reg)
{
    qtest_outl(qts, CONFIG_ADDR, cfg_addr(dev, fn, reg));
    return qtest_inw(qts, CONFIG_DATA + (reg & 2));
}

static uint8_t cfg_readb(QTestState *qts, int dev, int fn, int reg)
{
    qtest_outl(qts, CONFIG_ADDR, cfg_addr(dev, fn, reg));
    return qtest_inb(qts, CONFIG_DATA + (reg & 3));
}

static void cfg_writeb(QTestState *qts, int dev, int fn, int reg, uint8_t v)
{
    qtest_outl(qts, CONFIG_ADDR, cfg_addr(dev, fn, reg));
    qtest_outb(qts, CONFIG_DATA + (reg & 3), v);
}

static void cfg_writel(QTestState *qts, int dev, int fn, int reg, uint32_t v)
{
    qtest_outl(qts, CONFIG_ADDR, cfg_addr(dev, fn, reg));
    qtest_outl(qts, CONFIG_DATA, v);
}

static void test_scan(void)
{
    QTestState *qts = qtest_init("-M pc");
    int found = 0;

    g_assert_cmphex(cfg_readl(qts, 0, 0, 0), ==, 0x12378086);
    g_assert_cmphex(cfg_readw(qts, 0, 0, 0x0a), ==, 0x0600);
    g_assert_cmphex(cfg_readl(qts, 1, 0, 0), ==, 0x70008086);
    g_assert_cmphex(cfg_readw(qts, 1, 0, 0x0a), ==, 0x0601);
    g_assert_cmphex(cfg_readb(qts, 1, 0, 0x0e), ==, 0x80);
    /* byte and word reads of the id dword */
    g_assert_cmphex(cfg_readb(qts, 0, 0, 1), ==, 0x80);
    g_assert_cmphex(cfg_readw(qts, 0, 0, 2), ==, 0x1237);
    /* 01.3: the PIIX4 power management function */
    g_assert_cmphex(cfg_readl(qts, 1, 3, 0), ==, 0x71138086);
    /* the rest of bus 0 is empty */
    for (int dev = 0; dev < 32; dev++) {
        for (int fn = 0; fn < 8; fn++) {
            uint32_t id = cfg_readl(qts, dev, fn, 0);
            if (id != 0xffffffff) {
                found++;
            }
        }
    }
    g_assert_cmpint(found, ==, 3);
    /* another bus: nothing answers */
    qtest_outl(qts, CONFIG_ADDR, 0x80010000);
    g_assert_cmphex(qtest_inl(qts, CONFIG_DATA), ==, 0xffffffff);
    /* enable bit clear: no config cycle */
    qtest_outl(qts, CONFIG_ADDR, 0x00000000);
    g_assert_cmphex(qtest_inl(qts, CONFIG_DATA), ==, 0xffffffff);
    /* CONFIG_ADDRESS reads back (low two bits zero) */
    qtest_outl(qts, CONFIG_ADDR, 0x80000803);
    g_assert_cmphex(qtest_inl(qts, CONFIG_ADDR), ==, 0x80000800);
    qtest_quit(qts);
}

static void test_masks(void)
{
    QTestState *qts = qtest_init("-M pc");

    /* ids and class are read-only */
    cfg_writel(qts, 0, 0, 0, 0xdeadbeef);
    g_assert_cmphex(cfg_readl(qts, 0, 0, 0), ==, 0x12378086);
    /* host bridge BAR0 is not implemented: reads 0 even after all-ones */
    cfg_writel(qts, 0, 0, 0x10, 0xffffffff);
    g_assert_cmphex(cfg_readl(qts, 0, 0, 0x10), ==, 0);
    /* interrupt line is writable, latency timer too */
    cfg_writeb(qts, 1, 0, 0x3c, 0x0b);
    g_assert_cmphex(cfg_readb(qts, 1, 0, 0x3c), ==, 0x0b);
    /* PAM registers are writable; the reserved bits of PAM0 are not */
    cfg_writeb(qts, 0, 0, 0x59, 0xff);
    g_assert_cmphex(cfg_readb(qts, 0, 0, 0x59), ==, 0x30);
    qtest_quit(qts);
}

static void test_pam(void)
{
    QTestState *qts = qtest_init("-M pc");

    /* PAM 0xf0000 = PCI at reset: writes go nowhere, reads 0 */
    qtest_writel(qts, 0xf0000, 0x12345678);
    g_assert_cmphex(qtest_readl(qts, 0xf0000), !=, 0x12345678);
    /* read/write DRAM */
    cfg_writeb(qts, 0, 0, 0x59, 0x30);
    qtest_writel(qts, 0xf0000, 0x12345678);
    g_assert_cmphex(qtest_readl(qts, 0xf0000), ==, 0x12345678);
    /* read-only DRAM: reads the same RAM */
    cfg_writeb(qts, 0, 0, 0x59, 0x10);
    g_assert_cmphex(qtest_readl(qts, 0xf0000), ==, 0x12345678);
    /* back to PCI: RAM hidden again */
    cfg_writeb(qts, 0, 0, 0x59, 0x00);
    g_assert_cmphex(qtest_readl(qts, 0xf0000), ==, 0);
    /* 0xc0000 segment (PAM1 low nibble) */
    cfg_writeb(qts, 0, 0, 0x5a, 0x03);
    qtest_writel(qts, 0xc0000, 0xa5a5a5a5);
    g_assert_cmphex(qtest_readl(qts, 0xc0000), ==, 0xa5a5a5a5);
    qtest_quit(qts);
}

/* PAM "read enable only": writes must not reach DRAM. */
static void test_pam_readonly(void)
{
    QTestState *qts = qtest_init("-M pc");

    cfg_writeb(qts, 0, 0, 0x59, 0x30);
    qtest_writel(qts, 0xf0000, 0x12345678);
    cfg_writeb(qts, 0, 0, 0x59, 0x10);
    qtest_writel(qts, 0xf0000, 0xcafef00d);
    /* the board maps a read-only alias over DRAM: the write is dropped */
    g_assert_cmphex(qtest_readl(qts, 0xf0000), ==, 0x12345678);
    qtest_quit(qts);
}

static void test_unassigned(void)
{
    QTestState *qts = qtest_init("-M pc");

    /* the PCI hole with nothing mapped reads 0; writes are dropped */
    g_assert_cmphex(qtest_readl(qts, 0xfebff000), ==, 0);
    qtest_writel(qts, 0xfebff000, 0xffffffff);
    g_assert_cmphex(qtest_readl(qts, 0xfebff000), ==, 0);
    g_assert_cmphex(qtest_readb(qts, 0xe0000000), ==, 0);
    qtest_quit(qts);
}

/* A PIRQ routed to an ISA IRQ: no device raises INTx yet, so check the
 * routing registers' reset values and masks. */
static void test_pirq_regs(void)
{
    QTestState *qts = qtest_init("-M pc");

    for (int i = 0; i < 4; i++) {
        g_assert_cmphex(cfg_readb(qts, 1, 0, 0x60 + i), ==, 0x80);
    }
    cfg_writeb(qts, 1, 0, 0x60, 0xff);
    g_assert_cmphex(cfg_readb(qts, 1, 0, 0x60), ==, 0x8f);
    cfg_writeb(qts, 1, 0, 0x60, 0x0b);
    g_assert_cmphex(cfg_readb(qts, 1, 0, 0x60), ==, 0x0b);
    /* system reset restores them */
    qtest_system_reset(qts);
    g_assert_cmphex(cfg_readb(qts, 1, 0, 0x60), ==, 0x80);
    qtest_quit(qts);
}

static void cfg_writew(QTestState *qts, int dev, int fn, int reg, uint16_t v)
{
    qtest_outl(qts, CONFIG_ADDR, cfg_addr(dev, fn, reg));
    qtest_outw(qts, CONFIG_DATA + (reg & 2), v);
}

/* BAR sizing protocol (PCI 3.0, 6.2.5.1) and decode gating by COMMAND. */
static void test_bar_sizing(void)
{
    QTestState *qts = qtest_init("-M pc -device pci-testdev,addr=3");

    g_assert_cmphex(cfg_readl(qts, 3, 0, 0), ==, 0x00051b36);
    /* BAR0: 4 KiB 32-bit memory */
    g_assert_cmphex(cfg_readl(qts, 3, 0, 0x10), ==, 0);
    cfg_writel(qts, 3, 0, 0x10, 0xffffffff);
    g_assert_cmphex(cfg_readl(qts, 3, 0, 0x10), ==, 0xfffff000);
    /* BAR1: 256 bytes of I/O */
    cfg_writel(qts, 3, 0, 0x14, 0xffffffff);
    g_assert_cmphex(cfg_readl(qts, 3, 0, 0x14), ==, 0xffffff01);
    /* BAR2/3: 1 MiB 64-bit prefetchable */
    g_assert_cmphex(cfg_readl(qts, 3, 0, 0x18), ==, 0x0c);
    cfg_writel(qts, 3, 0, 0x18, 0xffffffff);
    cfg_writel(qts, 3, 0, 0x1c, 0xffffffff);
    g_assert_cmphex(cfg_readl(qts, 3, 0, 0x18), ==, 0xfff0000c);
    g_assert_cmphex(cfg_readl(qts, 3, 0, 0x1c), ==, 0xffffffff);
    /* BAR4/5 and the ROM BAR are not implemented */
    cfg_writel(qts, 3, 0, 0x20, 0xffffffff);
    g_assert_cmphex(cfg_readl(qts, 3, 0, 0x20), ==, 0);
    cfg_writel(qts, 3, 0, 0x30, 0xffffffff);
    g_assert_cmphex(cfg_readl(qts, 3, 0, 0x30), ==, 0);

    /* place them: nothing decodes until COMMAND enables it */
    cfg_writel(qts, 3, 0, 0x10, 0xe0000000);
    cfg_writel(qts, 3, 0, 0x14, 0xc000);
    cfg_writel(qts, 3, 0, 0x18, 0xe0100000);
    cfg_writel(qts, 3, 0, 0x1c, 0);
    qtest_writel(qts, 0xe0000010, 0x11223344);
    g_assert_cmphex(qtest_readl(qts, 0xe0000010), ==, 0);
    cfg_writew(qts, 3, 0, 0x04, 0x0003);
    qtest_writel(qts, 0xe0000010, 0x11223344);
    g_assert_cmphex(qtest_readl(qts, 0xe0000010), ==, 0x11223344);
    qtest_outl(qts, 0xc004, 0x55667788);
    g_assert_cmphex(qtest_inl(qts, 0xc004), ==, 0x55667788);
    qtest_writel(qts, 0xe01ffffc, 0x99aabbcc);
    g_assert_cmphex(qtest_readl(qts, 0xe01ffffc), ==, 0x99aabbcc);
    /* move BAR0: the old address stops answering */
    cfg_writel(qts, 3, 0, 0x10, 0xe0400000);
    g_assert_cmphex(qtest_readl(qts, 0xe0000010), ==, 0);
    g_assert_cmphex(qtest_readl(qts, 0xe0400010), ==, 0x11223344);
    /* MEM off: memory BARs stop, I/O stays */
    cfg_writew(qts, 3, 0, 0x04, 0x0001);
    g_assert_cmphex(qtest_readl(qts, 0xe0400010), ==, 0);
    g_assert_cmphex(qtest_inl(qts, 0xc004), ==, 0x55667788);
    /* IO off */
    cfg_writew(qts, 3, 0, 0x04, 0x0000);
    g_assert_cmphex(qtest_inl(qts, 0xc004), ==, 0xffffffff);
    /* reset: BARs back to 0, decode off */
    qtest_system_reset(qts);
    g_assert_cmphex(cfg_readl(qts, 3, 0, 0x10), ==, 0);
    g_assert_cmphex(cfg_readw(qts, 3, 0, 0x04), ==, 0);
    qtest_quit(qts);
}

/* INTA of slot 3 is PIRQ (3 + 0) & 3 = D; route it to IRQ 11. */
static void test_intx_routing(void)
{
    QTestState *qts = qtest_init("-M pc -device pci-testdev,addr=3");

    qtest_irq_intercept_in(qts, "gsi");
    g_assert_cmphex(cfg_readb(qts, 3, 0, 0x3d), ==, 1);
    cfg_writel(qts, 3, 0, 0x10, 0xe0000000);
    cfg_writew(qts, 3, 0, 0x04, 0x0002);
    /* PIRQD disabled: asserting goes nowhere */
    qtest_writel(qts, 0xe0000000, 1);
    g_assert_false(qtest_get_irq(qts, 11));
    g_assert_cmphex(cfg_readw(qts, 3, 0, 0x06) & 0x08, ==, 0x08);
    /* route PIRQD to IRQ 11: the asserted level appears */
    cfg_writeb(qts, 1, 0, 0x63, 0x0b);
    g_assert_true(qtest_get_irq(qts, 11));
    /* INTx disable in COMMAND masks it */
    cfg_writew(qts, 3, 0, 0x04, 0x0402);
    g_assert_false(qtest_get_irq(qts, 11));
    cfg_writew(qts, 3, 0, 0x04, 0x0002);
    g_assert_true(qtest_get_irq(qts, 11));
    /* reroute to IRQ 10 */
    cfg_writeb(qts, 1, 0, 0x63, 0x0a);
    g_assert_false(qtest_get_irq(qts, 11));
    g_assert_true(qtest_get_irq(qts, 10));
    qtest_writel(qts, 0xe0000000, 0);
    g_assert_false(qtest_get_irq(qts, 10));
    g_assert_cmphex(cfg_readw(qts, 3, 0, 0x06) & 0x08, ==, 0);
    qtest_quit(qts);
}

/* Capability list: status bit, pointer, chain, read-only links. */
static void test_capabilities(void)
{
    QTestState *qts = qtest_init("-M pc -device pci-testdev,addr=4");

    g_assert_cmphex(cfg_readw(qts, 4, 0, 0x06) & 0x10, ==, 0x10);
    g_assert_cmphex(cfg_readb(qts, 4, 0, 0x34), ==, 0x60);
    g_assert_cmphex(cfg_readb(qts, 4, 0, 0x60), ==, 0x09);
    g_assert_cmphex(cfg_readb(qts, 4, 0, 0x61), ==, 0x40);
    g_assert_cmphex(cfg_readb(qts, 4, 0, 0x40), ==, 0x09);
    g_assert_cmphex(cfg_readb(qts, 4, 0, 0x41), ==, 0x00);
    g_assert_cmphex(cfg_readb(qts, 4, 0, 0x42), ==, 0x08);
    cfg_writeb(qts, 4, 0, 0x61, 0x00);
    cfg_writeb(qts, 4, 0, 0x34, 0x00);
    g_assert_cmphex(cfg_readb(qts, 4, 0, 0x61), ==, 0x40);
    g_assert_cmphex(cfg_readb(qts, 4, 0, 0x34), ==, 0x60);
    qtest_quit(qts);
}

static void test_bad_addr(void)
{
    char *err = NULL;
    int status;

    status = qtest_run(qtest_binary(), "-M pc -accel qtest -display none "
                       "-device pci-testdev,addr=0", NULL, &err);
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, "already used"));
    g_free(err);
    status = qtest_run(qtest_binary(), "-M pc -accel qtest -display none "
                       "-device pci-testdev,addr=40", NULL, &err);
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, "not a PCI address"));
    g_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/scan", test_scan);
    g_test_add_func("/pci/write-masks", test_masks);
    g_test_add_func("/pci/pam", test_pam);
    g_test_add_func("/pci/pam-readonly", test_pam_readonly);
    g_test_add_func("/pci/unassigned-hole", test_unassigned);
    g_test_add_func("/pci/piix3-pirq-regs", test_pirq_regs);
    g_test_add_func("/pci/bar-sizing", test_bar_sizing);
    g_test_add_func("/pci/intx-routing", test_intx_routing);
    g_test_add_func("/pci/capabilities", test_capabilities);
    g_test_add_func("/pci/bad-addr", test_bad_addr);
    return g_test_run();
}
