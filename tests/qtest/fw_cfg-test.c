/*
 * fw_cfg on the pc board through the I/O port interface: selector 0x510,
 * data 0x511, DMA address 0x514 (big-endian halves, low half starts the
 * transfer).  Items checked: signature, ID (DMA feature bit), RAM size,
 * CPU counts, the file directory and etc/e820; DMA read/skip/select,
 * and DMA errors (bad address, reserved control bits, write to a
 * read-only item) that must set the error bit and leave the machine up.
 */
#include "libqtest.h"

#include <string.h>

#define FW_CFG_CTL  0x510
#define FW_CFG_DATA 0x511
#define FW_CFG_DMA  0x514

#define CTL_ERROR  0x01
#define CTL_READ   0x02
#define CTL_SKIP   0x04
#define CTL_SELECT 0x08
#define CTL_WRITE  0x10

#define DESC 0x1000
#define BUF  0x2000

static void fw_select(QTestState *qts, uint16_t key)
{
    qtest_outw(qts, FW_CFG_CTL, key);
}

static void fw_read(QTestState *qts, uint16_t key, void *buf, size_t len)
{
    uint8_t *p = buf;

    fw_select(qts, key);
    for (size_t i = 0; i < len; i++) {
        p[i] = qtest_inb(qts, FW_CFG_DATA);
    }
}

static uint64_t fw_read_le(QTestState *qts, uint16_t key, size_t len)
{
    uint8_t b[8] = { 0 };
    uint64_t v = 0;

    fw_read(qts, key, b, len);
    for (size_t i = 0; i < len; i++) {
        v |= (uint64_t)b[i] << (8 * i);
    }
    return v;
}

/* Find a file in the directory; returns its key, fills *size. */
static uint16_t fw_find_file(QTestState *qts, const char *name,
                             uint32_t *size)
{
    uint32_t count;

    fw_select(qts, 0x19);
    count = 0;
    for (int i = 0; i < 4; i++) {
        count = (count << 8) | qtest_inb(qts, FW_CFG_DATA);
    }
    g_assert_cmpuint(count, <, 64);
    for (uint32_t i = 0; i < count; i++) {
        uint8_t e[64];
        for (int j = 0; j < 64; j++) {
            e[j] = qtest_inb(qts, FW_CFG_DATA);
        }
        if (!strcmp((char *)e + 8, name)) {
            *size = (e[0] << 24) | (e[1] << 16) | (e[2] << 8) | e[3];
            return (e[4] << 8) | e[5];
        }
    }
    return 0;
}

/* Run one DMA descriptor at DESC; returns the control word after it. */
static uint32_t fw_dma(QTestState *qts, uint32_t control, uint32_t length,
                       uint64_t address)
{
    uint32_t d[4] = {
        GUINT32_TO_BE(control), GUINT32_TO_BE(length),
        GUINT32_TO_BE(address >> 32), GUINT32_TO_BE((uint32_t)address),
    };
    uint32_t ctl;

    qtest_memwrite(qts, DESC, d, sizeof(d));
    qtest_outl(qts, FW_CFG_DMA, GUINT32_TO_BE(0));
    qtest_outl(qts, FW_CFG_DMA + 4, GUINT32_TO_BE(DESC));
    qtest_memread(qts, DESC, &ctl, 4);
    return GUINT32_FROM_BE(ctl);
}

static void test_items(void)
{
    QTestState *qts = qtest_init("-M pc -m 256M -smp 2");
    char sig[5] = { 0 };

    fw_read(qts, 0x00, sig, 4);
    g_assert_cmpstr(sig, ==, "QEMU");
    /* past the end: zeros */
    g_assert_cmphex(qtest_inb(qts, FW_CFG_DATA), ==, 0);
    g_assert_cmphex(fw_read_le(qts, 0x01, 4), ==, 0x3);
    g_assert_cmphex(fw_read_le(qts, 0x03, 8), ==, 256ULL << 20);
    g_assert_cmphex(fw_read_le(qts, 0x05, 2), ==, 2);
    g_assert_cmphex(fw_read_le(qts, 0x0f, 2), ==, 2);
    /* an unknown key reads zeros */
    g_assert_cmphex(fw_read_le(qts, 0x3fff, 4), ==, 0);
    /* the DMA register reads the "QEMU CFG" signature, big-endian */
    g_assert_cmphex(qtest_inl(qts, FW_CFG_DMA), ==,
                    GUINT32_FROM_BE(0x51454d55));
    g_assert_cmphex(qtest_inl(qts, FW_CFG_DMA + 4), ==,
                    GUINT32_FROM_BE(0x20434647));
    qtest_quit(qts);
}

static void check_e820(const char *mem, uint64_t low, uint64_t high)
{
    QTestState *qts = qtest_initf("-M pc -m %s", mem);
    uint32_t size = 0;
    uint16_t key = fw_find_file(qts, "etc/e820", &size);
    uint8_t e[60];

    g_assert_cmphex(key, >=, 0x20);
    g_assert_cmpuint(size, ==, high ? 60 : 40);
    fw_read(qts, key, e, size);
    g_assert_cmphex(*(uint64_t *)e, ==, 0);
    g_assert_cmphex(*(uint64_t *)(e + 8), ==, low);
    g_assert_cmphex(*(uint32_t *)(e + 16), ==, 1);
    /* KVM's real-mode TSS / identity map pages, reserved */
    g_assert_cmphex(*(uint64_t *)(e + 20), ==, 0xfeffc000);
    g_assert_cmphex(*(uint64_t *)(e + 28), ==, 0x4000);
    g_assert_cmphex(*(uint32_t *)(e + 36), ==, 2);
    if (high) {
        g_assert_cmphex(*(uint64_t *)(e + 40), ==, 1ULL << 32);
        g_assert_cmphex(*(uint64_t *)(e + 48), ==, high);
        g_assert_cmphex(*(uint32_t *)(e + 56), ==, 1);
    }
    qtest_quit(qts);
}

static void test_e820(void)
{
    check_e820("128M", 128ULL << 20, 0);
    check_e820("4G", 3ULL << 30, 1ULL << 30);
    check_e820("3584M", 3ULL << 30, 512ULL << 20);
    check_e820("3583M", 3583ULL << 20, 0);
}

static void test_dma(void)
{
    QTestState *qts = qtest_init("-M pc -m 128M");
    uint8_t buf[16];

    /* select + read the signature */
    qtest_memset(qts, BUF, 0xaa, 16);
    g_assert_cmphex(fw_dma(qts, (0x00 << 16) | CTL_SELECT | CTL_READ, 4, BUF),
                    ==, 0);
    qtest_memread(qts, BUF, buf, 5);
    g_assert_cmpmem(buf, 4, "QEMU", 4);
    g_assert_cmphex(buf[4], ==, 0xaa);
    /* past the end: zeros are written */
    g_assert_cmphex(fw_dma(qts, CTL_READ, 4, BUF), ==, 0);
    qtest_memread(qts, BUF, buf, 4);
    g_assert_cmphex(buf[0] | buf[1] | buf[2] | buf[3], ==, 0);
    /* select RAM_SIZE, skip 3 bytes, read the 4th (128M = 0x08000000) */
    g_assert_cmphex(fw_dma(qts, (0x03 << 16) | CTL_SELECT | CTL_SKIP, 3, 0),
                    ==, 0);
    g_assert_cmphex(fw_dma(qts, CTL_READ, 1, BUF), ==, 0);
    g_assert_cmphex(qtest_readb(qts, BUF), ==, 0x08);
    /* the port data register continues where DMA left off */
    g_assert_cmphex(qtest_inb(qts, FW_CFG_DATA), ==, 0);
    qtest_quit(qts);
}

static void test_dma_errors(void)
{
    QTestState *qts = qtest_init("-M pc -m 128M");
    char sig[5] = { 0 };

    /* target above RAM (nothing at 4 GiB with -m 128M): error bit */
    g_assert_cmphex(fw_dma(qts, CTL_SELECT | CTL_READ, 4, 0x100000000ULL),
                    ==, CTL_ERROR);
    /* a target that runs off the end of RAM */
    g_assert_cmphex(fw_dma(qts, CTL_SELECT | CTL_READ, 4,
                           (128ULL << 20) - 2), ==, CTL_ERROR);
    /* reserved control bits */
    g_assert_cmphex(fw_dma(qts, CTL_SELECT | CTL_READ | 0x100, 4, BUF), ==,
                    CTL_ERROR);
    /* read and write at once */
    g_assert_cmphex(fw_dma(qts, CTL_SELECT | CTL_READ | CTL_WRITE, 4, BUF),
                    ==, CTL_ERROR);
    /* writing a read-only item */
    g_assert_cmphex(fw_dma(qts, CTL_SELECT | CTL_WRITE, 4, BUF), ==,
                    CTL_ERROR);
    /* a descriptor outside guest memory: nothing to write back, no crash */
    qtest_outl(qts, FW_CFG_DMA, GUINT32_TO_BE(0x10));
    qtest_outl(qts, FW_CFG_DMA + 4, GUINT32_TO_BE(0));
    /* still working */
    fw_read(qts, 0x00, sig, 4);
    g_assert_cmpstr(sig, ==, "QEMU");
    qtest_quit(qts);
}

/* The MMIO variant (arm virt's), placed on the "none" machine. */
#define MMIO 0x9020000ULL

static void test_mmio(void)
{
    QTestState *qts = qtest_init("-M none -m 16M "
                                 "-device fw_cfg_mmio,addr=0x9020000");
    uint32_t d[4], ctl;
    char buf[8] = { 0 };

    /* selector: 16-bit big-endian at +8; data: a byte string at +0 */
    qtest_writew(qts, MMIO + 8, GUINT16_TO_BE(0x0000));
    g_assert_cmphex(qtest_readl(qts, MMIO), ==, GUINT32_FROM_LE(0x554d4551));
    qtest_writew(qts, MMIO + 8, GUINT16_TO_BE(0x0001));
    g_assert_cmphex(qtest_readb(qts, MMIO), ==, 0x03);
    g_assert_cmphex(qtest_readb(qts, MMIO), ==, 0x00);
    /* DMA signature, then a DMA read of the signature item */
    g_assert_cmphex(GUINT64_FROM_BE(qtest_readq(qts, MMIO + 16)), ==,
                    0x51454d5520434647ULL);
    d[0] = GUINT32_TO_BE(CTL_SELECT | CTL_READ);
    d[1] = GUINT32_TO_BE(4);
    d[2] = 0;
    d[3] = GUINT32_TO_BE(BUF);
    qtest_memwrite(qts, DESC, d, sizeof(d));
    qtest_writeq(qts, MMIO + 16, GUINT64_TO_BE(DESC));
    qtest_memread(qts, DESC, &ctl, 4);
    g_assert_cmphex(ctl, ==, 0);
    qtest_memread(qts, BUF, buf, 4);
    g_assert_cmpstr(buf, ==, "QEMU");
    /* a DMA target outside RAM */
    d[3] = GUINT32_TO_BE(0x40000000);
    qtest_memwrite(qts, DESC, d, sizeof(d));
    qtest_writel(qts, MMIO + 16, 0);
    qtest_writel(qts, MMIO + 20, GUINT32_TO_BE(DESC));
    qtest_memread(qts, DESC, &ctl, 4);
    g_assert_cmphex(GUINT32_FROM_BE(ctl), ==, CTL_ERROR);
    qtest_quit(qts);
}

/* ---- -boot: CMOS boot order and the firmware's boot files ---- */

static uint8_t cmos_read(QTestState *qts, uint8_t reg)
{
    qtest_outb(qts, 0x70, reg);
    return qtest_inb(qts, 0x71);
}

static uint64_t fw_file_le(QTestState *qts, const char *name, uint32_t size)
{
    uint32_t got;
    uint16_t key = fw_find_file(qts, name, &got);

    g_assert_cmphex(key, !=, 0);
    g_assert_cmpuint(got, ==, size);
    return fw_read_le(qts, key, size);
}

static void test_boot_default(void)
{
    QTestState *qts = qtest_init("-M pc");
    uint32_t size;

    /* QEMU's default order "cad": disk, floppy, CD-ROM */
    g_assert_cmphex(cmos_read(qts, 0x3d), ==, 0x12);
    g_assert_cmphex(cmos_read(qts, 0x38), ==, 0x30);
    g_assert_cmpuint(fw_read_le(qts, 0x0e, 2), ==, 0);      /* no menu */
    g_assert_cmphex(fw_file_le(qts, "etc/boot-fail-wait", 4), ==,
                    0xffffffff);
    g_assert_cmphex(fw_find_file(qts, "bootorder", &size), ==, 0);
    g_assert_cmphex(fw_find_file(qts, "etc/boot-menu-wait", &size), ==, 0);
    qtest_quit(qts);
}

static void test_boot_options(void)
{
    QTestState *qts = qtest_init("-M pc -boot order=dn,menu=on,"
                                 "splash-time=1500,reboot-timeout=2000,"
                                 "strict=on");
    uint32_t size;
    uint16_t key;
    char order[16] = "";

    g_assert_cmphex(cmos_read(qts, 0x3d), ==, 0x43);
    g_assert_cmphex(cmos_read(qts, 0x38), ==, 0x00);
    g_assert_cmpuint(fw_read_le(qts, 0x0e, 2), ==, 1);
    g_assert_cmpuint(fw_file_le(qts, "etc/boot-menu-wait", 2), ==, 1500);
    g_assert_cmpuint(fw_file_le(qts, "etc/boot-fail-wait", 4), ==, 2000);
    key = fw_find_file(qts, "bootorder", &size);
    g_assert_cmpuint(size, ==, 5);
    fw_read(qts, key, order, size);
    g_assert_cmpstr(order, ==, "HALT\n");
    qtest_quit(qts);

    /* a bare -boot is the order; a floppy first */
    qts = qtest_init("-M pc -boot acd");
    g_assert_cmphex(cmos_read(qts, 0x3d), ==, 0x21);
    g_assert_cmphex(cmos_read(qts, 0x38), ==, 0x30);
    qtest_quit(qts);
}

/* once=: that order until the first reset after start-up */
static void test_boot_once(void)
{
    QTestState *qts = qtest_init("-M pc -boot order=c,once=d");

    g_assert_cmphex(cmos_read(qts, 0x3d), ==, 0x03);
    qtest_system_reset(qts);
    g_assert_cmphex(cmos_read(qts, 0x3d), ==, 0x02);
    qtest_system_reset(qts);
    g_assert_cmphex(cmos_read(qts, 0x3d), ==, 0x02);
    qtest_quit(qts);
}

static void test_boot_errors(void)
{
    static const struct { const char *opt, *msg; } bad[] = {
        { "order=x", "invalid boot device 'x'" },
        { "order=cc", "'c' was given twice" },
        { "order=cadn", "too many boot devices" },
        { "order=e", "invalid boot device for PC: 'e'" },
        { "order=", "no boot device" },
        { "once=q", "invalid boot device 'q'" },
        { "menu=maybe", "menu" },
        { "reboot-timeout=70000", "reboot-timeout" },
        { "splash-time=-5", "splash-time" },
        { "splash=logo.bmp", "splash" },
        { "order=c,bogus=1", "bogus" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *args = g_strdup_printf("-M pc -accel qtest "
                                                "-display none -boot %s",
                                                bad[i].opt);
        g_autofree char *err = NULL;

        g_assert_cmpint(qtest_run(qtest_binary(), args, NULL, &err), ==, 1);
        if (!strstr(err, bad[i].msg)) {
            g_error("-boot %s: %s", bad[i].opt, err);
        }
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fw_cfg/items", test_items);
    g_test_add_func("/fw_cfg/e820", test_e820);
    g_test_add_func("/fw_cfg/dma", test_dma);
    g_test_add_func("/fw_cfg/dma-errors", test_dma_errors);
    g_test_add_func("/fw_cfg/mmio", test_mmio);
    g_test_add_func("/fw_cfg/boot-default", test_boot_default);
    g_test_add_func("/fw_cfg/boot-options", test_boot_options);
    g_test_add_func("/fw_cfg/boot-once", test_boot_once);
    g_test_add_func("/fw_cfg/boot-errors", test_boot_errors);
    return g_test_run();
}
