/*
 * Direct kernel boot on the pc board (-kernel without -bios), checked in
 * guest memory with qtest: the Linux boot_params ("zero page") at 0x7000
 * with the setup header, e820, command line and initrd fields (Linux x86
 * boot protocol), the kernel at 1 MiB, GDT and identity page tables; the
 * multiboot v1 information at 0x9500 with memory map, command line and
 * modules (Multiboot Specification 0.6.96); and one clear error for each
 * kind of bad input.  The kernels are built by the test itself.
 */
#include "libqtest.h"

#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#define ZP 0x7000
#define MODULE_SIZE 70001

static char *tmpdir;

static char *write_file(const char *name, const void *data, size_t size)
{
    char *path = g_build_filename(tmpdir, name, NULL);

    g_assert_true(g_file_set_contents(path, data, size, NULL));
    return path;
}

static uint8_t *pattern(size_t size, unsigned seed)
{
    uint8_t *p = g_malloc(size);
    uint32_t x = seed * 2654435761u + 1;

    for (size_t i = 0; i < size; i++) {
        x = x * 1103515245 + 12345;
        p[i] = x >> 16;
    }
    return p;
}

/* ---- a minimal bzImage: 2 setup sectors, protocol 2.12, 64-bit ---- */

#define BZ_SETUP (3 * 512)
#define BZ_PAYLOAD 8192

static uint8_t *make_bzimage(size_t *size, uint16_t version,
                             uint16_t xloadflags, uint32_t cmdline_size)
{
    uint8_t *b = g_malloc0(BZ_SETUP + BZ_PAYLOAD);
    g_autofree uint8_t *payload = pattern(BZ_PAYLOAD, 1);

    b[0x1f1] = 2;                                   /* setup_sects */
    *(uint32_t *)(b + 0x1f4) = BZ_PAYLOAD / 16;     /* syssize */
    *(uint16_t *)(b + 0x1fe) = 0xaa55;
    b[0x200] = 0xeb;
    b[0x201] = 0x66;                                /* header to 0x268 */
    memcpy(b + 0x202, "HdrS", 4);
    *(uint16_t *)(b + 0x206) = version;
    b[0x211] = 0x01;                                /* LOADED_HIGH */
    *(uint32_t *)(b + 0x214) = 0x100000;
    *(uint32_t *)(b + 0x22c) = 0x7fffffff;          /* initrd_addr_max */
    *(uint32_t *)(b + 0x230) = 0x200000;
    b[0x234] = 1;                                   /* relocatable */
    *(uint16_t *)(b + 0x236) = xloadflags;
    *(uint32_t *)(b + 0x238) = cmdline_size;
    *(uint64_t *)(b + 0x258) = 0x100000;            /* pref_address */
    *(uint32_t *)(b + 0x260) = 0x10000;             /* init_size */
    memcpy(b + BZ_SETUP, payload, BZ_PAYLOAD);
    *size = BZ_SETUP + BZ_PAYLOAD;
    return b;
}

static uint32_t ld32_le_p(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t ld64_le_p(const uint8_t *p)
{
    return ld32_le_p(p) | ((uint64_t)ld32_le_p(p + 4) << 32);
}

static void check_e820(const uint8_t *table, int i, uint64_t addr,
                       uint64_t size, uint32_t type)
{
    const uint8_t *e = table + 20 * i;

    g_assert_cmphex(ld64_le_p(e), ==, addr);
    g_assert_cmphex(ld64_le_p(e + 8), ==, size);
    g_assert_cmpuint(ld32_le_p(e + 16), ==, type);
}

static uint8_t sum8(const uint8_t *p, size_t n);

/*
 * A direct boot's ACPI and SMBIOS (the full contents are acpi-test's and
 * test-smbios's): RSDP at 0xf0000 with its RSDT in the top 128 KiB of low
 * RAM, every table the RSDT lists there with a valid checksum, the SMBIOS
 * anchor at 0xf0100 pointing at 0xf0200, where type 0 says "Turtle".
 */
static void check_firmware_tables(QTestState *qts, uint64_t low)
{
    uint8_t rsdp[20], hdr[36], anchor[31], t0[64];
    uint32_t rsdt, n;
    g_autofree uint8_t *tbl = NULL;

    qtest_memread(qts, 0xf0000, rsdp, sizeof(rsdp));
    g_assert_cmpmem(rsdp, 8, "RSD PTR ", 8);
    g_assert_cmpuint(sum8(rsdp, 20), ==, 0);
    rsdt = ld32_le_p(rsdp + 16);
    g_assert_cmphex(rsdt, >=, low - 0x20000);
    g_assert_cmphex(rsdt, <, low);
    qtest_memread(qts, rsdt, hdr, sizeof(hdr));
    g_assert_cmpmem(hdr, 4, "RSDT", 4);
    n = (ld32_le_p(hdr + 4) - 36) / 4;
    g_assert_cmpuint(n, >=, 2);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t addr = qtest_readl(qts, rsdt + 36 + 4 * i);
        uint32_t len;

        g_assert_cmphex(addr, >=, low - 0x20000);
        qtest_memread(qts, addr, hdr, sizeof(hdr));
        len = ld32_le_p(hdr + 4);
        g_assert_cmphex(addr + len, <=, low);
        tbl = g_realloc(tbl, len);
        qtest_memread(qts, addr, tbl, len);
        g_assert_cmpuint(sum8(tbl, len), ==, 0);
    }
    qtest_memread(qts, 0xf0100, anchor, sizeof(anchor));
    g_assert_cmpmem(anchor, 4, "_SM_", 4);
    g_assert_cmpuint(sum8(anchor, 31), ==, 0);
    g_assert_cmphex(ld32_le_p(anchor + 0x18), ==, 0xf0200);
    qtest_memread(qts, 0xf0200, t0, sizeof(t0));
    g_assert_cmpuint(t0[0], ==, 0);
    g_assert_cmpstr((char *)t0 + t0[1], ==, "Turtle");
}

static void check_bzimage(const char *mem, uint64_t low, uint64_t high,
                          uint32_t initrd_addr)
{
    size_t size;
    g_autofree uint8_t *bz = make_bzimage(&size, 0x20c, 1, 2047);
    g_autofree char *kernel = write_file("bz.img", bz, size);
    g_autofree uint8_t *mod = pattern(MODULE_SIZE, 7);
    g_autofree char *initrd = write_file("initrd.bin", mod, MODULE_SIZE);
    g_autofree uint8_t *buf = g_malloc(MODULE_SIZE);
    const char *cmdline = "turtle-test foo=bar";
    QTestState *qts = qtest_initf("-M pc -m %s -kernel %s -initrd %s "
                                  "-append '%s'", mem, kernel, initrd,
                                  cmdline);
    uint8_t zp[4096];
    char cl[64];
    int n;

    /* the protected-mode kernel at 1 MiB */
    qtest_memread(qts, 0x100000, buf, BZ_PAYLOAD);
    g_assert_cmpmem(buf, BZ_PAYLOAD, bz + BZ_SETUP, BZ_PAYLOAD);

    qtest_memread(qts, ZP, zp, sizeof(zp));
    /* setup header copied ... */
    g_assert_cmphex(*(uint16_t *)(zp + 0x1fe), ==, 0xaa55);
    g_assert_cmpmem(zp + 0x202, 4, "HdrS", 4);
    g_assert_cmphex(*(uint16_t *)(zp + 0x206), ==, 0x20c);
    g_assert_cmphex(zp[0x1f1], ==, 2);
    g_assert_cmphex(*(uint32_t *)(zp + 0x260), ==, 0x10000);
    /* ... and the loader's fields */
    g_assert_cmphex(zp[0x210], ==, 0xff);               /* type_of_loader */
    g_assert_cmphex(zp[0x211], ==, 0x81);               /* loadflags */
    g_assert_cmphex(*(uint32_t *)(zp + 0x214), ==, 0x100000);
    g_assert_cmphex(*(uint32_t *)(zp + 0x228), ==, 0x20000);
    g_assert_cmphex(*(uint32_t *)(zp + 0x0c8), ==, 0);
    g_assert_cmphex(*(uint32_t *)(zp + 0x218), ==, initrd_addr);
    g_assert_cmphex(*(uint32_t *)(zp + 0x21c), ==, MODULE_SIZE);
    g_assert_cmphex(*(uint64_t *)(zp + 0x070), ==, 0xf0000);  /* RSDP */
    /* command line */
    qtest_memread(qts, 0x20000, cl, sizeof(cl));
    g_assert_cmpstr(cl, ==, cmdline);
    /* initrd: 4 KiB aligned, below the ACPI area, intact */
    g_assert_cmphex(initrd_addr & 0xfff, ==, 0);
    qtest_memread(qts, initrd_addr, buf, MODULE_SIZE);
    g_assert_cmpmem(buf, MODULE_SIZE, mod, MODULE_SIZE);
    /* e820: 636 KiB, MP tables, F segment, 1 MiB..low - 128 KiB, ACPI,
     * KVM pages, 4 GiB..(high) */
    n = zp[0x1e8];
    g_assert_cmpint(n, ==, high ? 7 : 6);
    check_e820(zp + 0x2d0, 0, 0x0, 0x9f000, 1);
    check_e820(zp + 0x2d0, 1, 0x9f000, 0x1000, 2);
    check_e820(zp + 0x2d0, 2, 0xf0000, 0x10000, 2);
    check_e820(zp + 0x2d0, 3, 0x100000, low - 0x120000, 1);
    check_e820(zp + 0x2d0, 4, low - 0x20000, 0x20000, 3);
    check_e820(zp + 0x2d0, 5, 0xfeffc000, 0x4000, 2);
    if (high) {
        check_e820(zp + 0x2d0, 6, 1ULL << 32, high, 1);
    }
    check_firmware_tables(qts, low);
    /* GDT: 0x10 64-bit code, 0x18 data */
    g_assert_cmphex(qtest_readq(qts, 0x510), ==, 0x00af9b000000ffffULL);
    g_assert_cmphex(qtest_readq(qts, 0x518), ==, 0x00cf93000000ffffULL);
    /* identity map: PML4 -> PDPT -> 4 PDs of 2 MiB pages */
    g_assert_cmphex(qtest_readq(qts, 0x9000), ==, 0xa003);
    g_assert_cmphex(qtest_readq(qts, 0xa000), ==, 0xb003);
    g_assert_cmphex(qtest_readq(qts, 0xa018), ==, 0xe003);
    g_assert_cmphex(qtest_readq(qts, 0xb000), ==, 0x83);
    g_assert_cmphex(qtest_readq(qts, 0xb008), ==, 0x200083);
    g_assert_cmphex(qtest_readq(qts, 0xeff8), ==, 0xffe00083ULL);

    /* a guest that scribbles over its kernel gets it back on reset */
    qtest_writel(qts, 0x100000, 0xdeadbeef);
    qtest_writel(qts, ZP + 0x228, 0);
    qtest_system_reset(qts);
    qtest_memread(qts, 0x100000, buf, 16);
    g_assert_cmpmem(buf, 16, bz + BZ_SETUP, 16);
    g_assert_cmphex(qtest_readl(qts, ZP + 0x228), ==, 0x20000);
    /* so do the firmware tables */
    qtest_writeq(qts, 0xf0000, 0);
    qtest_writeq(qts, 0xf0100, 0);
    qtest_writeq(qts, low - 0x20000, 0);
    qtest_system_reset(qts);
    check_firmware_tables(qts, low);
    qtest_quit(qts);
    unlink(kernel);
    unlink(initrd);
}

/* A fw_cfg file's contents (NULL if absent) through the I/O ports */
static uint8_t *fw_file(QTestState *qts, const char *name, uint32_t *size)
{
    uint32_t count = 0;
    uint16_t key = 0;
    uint8_t *data;

    qtest_outw(qts, 0x510, 0x19);
    for (int i = 0; i < 4; i++) {
        count = (count << 8) | qtest_inb(qts, 0x511);
    }
    for (uint32_t i = 0; i < count && !key; i++) {
        uint8_t e[64];

        for (int j = 0; j < 64; j++) {
            e[j] = qtest_inb(qts, 0x511);
        }
        if (!strcmp((char *)e + 8, name)) {
            *size = (e[0] << 24) | (e[1] << 16) | (e[2] << 8) | e[3];
            key = (e[4] << 8) | e[5];
        }
    }
    if (!key) {
        return NULL;
    }
    data = g_malloc0(*size + 1);
    qtest_outw(qts, 0x510, key);
    for (uint32_t i = 0; i < *size; i++) {
        data[i] = qtest_inb(qts, 0x511);
    }
    return data;
}

/*
 * -kernel with -bios: nothing is loaded into RAM; the firmware gets the
 * linuxboot items, turtle's option ROM in genroms/ (a valid ROM: 55 aa,
 * size byte, $PnP header with a boot entry vector, checksum 0) and a
 * bootorder naming it first.
 */
static void test_bzimage_firmware(void)
{
    size_t size;
    g_autofree uint8_t *bz = make_bzimage(&size, 0x20c, 1, 2047);
    g_autofree char *kernel = write_file("bz.img", bz, size);
    g_autofree uint8_t *zero = g_malloc0(64 * 1024);
    g_autofree char *bios = write_file("bios.bin", zero, 64 * 1024);
    g_autofree uint8_t *rom = NULL, *order = NULL;
    QTestState *qts = qtest_initf("-M pc -bios %s -kernel %s -append hi",
                                  bios, kernel);
    uint32_t len, pnp;

    g_assert_cmphex(qtest_readl(qts, 0x100000), ==, 0);
    order = fw_file(qts, "bootorder", &len);
    g_assert_nonnull(order);
    g_assert_cmpstr((char *)order, ==, "/rom@genroms/turtle-linuxboot.bin\n");
    rom = fw_file(qts, "genroms/turtle-linuxboot.bin", &len);
    if (!rom) {
        /* a build host that cannot assemble x86 has no ROM: an error */
        qtest_quit(qts);
        g_test_skip("no linuxboot option ROM in this build");
        return;
    }
    g_assert_cmphex(rom[0], ==, 0x55);
    g_assert_cmphex(rom[1], ==, 0xaa);
    g_assert_cmpuint(rom[2] * 512, ==, len);
    g_assert_cmpuint(sum8(rom, len), ==, 0);
    pnp = rom[0x1a] | (rom[0x1b] << 8);
    g_assert_cmpmem(rom + pnp, 4, "$PnP", 4);
    g_assert_cmpuint(sum8(rom + pnp, rom[pnp + 5] * 16), ==, 0);
    g_assert_cmphex(rom[pnp + 0x1a] | (rom[pnp + 0x1b] << 8), !=, 0);
    /* the setup the ROM loads: header patched for the load at 0x10000 */
    qtest_outw(qts, 0x510, 0x17);
    g_assert_cmpuint(qtest_inb(qts, 0x511), ==, BZ_SETUP & 0xff);
    qtest_quit(qts);
    unlink(kernel);
    unlink(bios);
}

static void test_bzimage_128m(void)
{
    /* QEMU's placement: top of low RAM - 128 KiB, 4 KiB aligned */
    check_bzimage("128M", 128ULL << 20, 0, 0x7fce000);
}

static void test_bzimage_4g(void)
{
    /* capped by initrd_addr_max 0x7fffffff */
    check_bzimage("4G", 3ULL << 30, 1ULL << 30, 0x7ffee000);
}

/*
 * An older kernel (protocol 2.10, no XLF_KERNEL_64): 32-bit entry GDT.
 * With an -acpitable: a direct boot lists it in the RSDT too.
 */
static void test_bzimage_32bit(void)
{
    size_t size;
    g_autofree uint8_t *bz = make_bzimage(&size, 0x20a, 0, 2047);
    g_autofree char *kernel = write_file("bz32.img", bz, size);
    static const uint8_t body[5] = { 9, 8, 7, 6, 5 };
    g_autofree char *data = write_file("table.dat", body, sizeof(body));
    QTestState *qts = qtest_initf("-M pc -kernel %s "
                                  "-acpitable data=%s,sig=TEST,oem_id=ABC",
                                  kernel, data);
    uint32_t rsdt, n, found = 0;
    uint8_t tbl[41];

    g_assert_cmphex(qtest_readq(qts, 0x510), ==, 0x00cf9b000000ffffULL);
    g_assert_cmphex(qtest_readl(qts, ZP + 0x218), ==, 0);   /* no initrd */
    g_assert_cmphex(qtest_readb(qts, 0x20000), ==, 0);      /* empty cmdline */
    check_firmware_tables(qts, 128ULL << 20);               /* checksums */
    rsdt = qtest_readl(qts, 0xf0000 + 16);
    n = (qtest_readl(qts, rsdt + 4) - 36) / 4;
    for (uint32_t i = 0; i < n; i++) {
        qtest_memread(qts, qtest_readl(qts, rsdt + 36 + 4 * i), tbl,
                      sizeof(tbl));
        if (!memcmp(tbl, "TEST", 4)) {
            found++;
            g_assert_cmpuint(ld32_le_p(tbl + 4), ==, 36 + sizeof(body));
            g_assert_cmpmem(tbl + 10, 6, "ABC\0\0\0", 6);
            g_assert_cmpmem(tbl + 36, sizeof(body), body, sizeof(body));
        }
    }
    g_assert_cmpuint(found, ==, 1);
    qtest_quit(qts);
    unlink(kernel);
    unlink(data);
}

/*
 * A real distribution kernel (Debian's, fetched by
 * tests/functional/fetch-guests.sh into $TURTLE_GUEST_CACHE or
 * ~/.cache/turtle-guests): protocol 2.12+ with XLF_KERNEL_64 and a
 * relocatable pref_address, loaded there with its initramfs.
 */
static void test_bzimage_distro(void)
{
    const char *cache = g_getenv("TURTLE_GUEST_CACHE");
    g_autofree char *dir = cache ? g_strdup(cache)
        : g_build_filename(g_get_home_dir(), ".cache", "turtle-guests", NULL);
    g_autofree char *kernel = g_build_filename(dir, "amd64", "kernel", NULL);
    g_autofree char *initrd = g_build_filename(dir, "amd64",
                                               "initramfs.cpio.gz", NULL);
    g_autofree uint8_t *k = NULL;
    gsize ksize;
    uint8_t zp[4096], buf[64];
    uint64_t pref;
    uint32_t setup, rd, rdsize;
    QTestState *qts;

    if (!g_file_get_contents(kernel, (char **)&k, &ksize, NULL) ||
        !g_file_test(initrd, G_FILE_TEST_EXISTS)) {
        g_test_skip("no guest kernel (run tests/functional/fetch-guests.sh)");
        return;
    }
    qts = qtest_initf("-M pc -m 512M -kernel %s -initrd %s -append "
                      "'console=ttyS0'", kernel, initrd);
    qtest_memread(qts, ZP, zp, sizeof(zp));
    g_assert_cmpmem(zp + 0x202, 4, "HdrS", 4);
    g_assert_cmphex(*(uint16_t *)(zp + 0x206), >=, 0x20c);
    g_assert_cmphex(*(uint16_t *)(zp + 0x236) & 1, ==, 1);
    pref = *(uint64_t *)(zp + 0x258);
    /* relocatable: loaded at pref_address, which code32_start reports */
    g_assert_cmphex(*(uint32_t *)(zp + 0x214), ==, pref);
    setup = (zp[0x1f1] ? zp[0x1f1] : 4) * 512 + 512;
    qtest_memread(qts, pref, buf, sizeof(buf));
    g_assert_cmpmem(buf, sizeof(buf), k + setup, sizeof(buf));
    /* the initrd: above the kernel's init_size, below 512M - 128K */
    rd = *(uint32_t *)(zp + 0x218);
    rdsize = *(uint32_t *)(zp + 0x21c);
    g_assert_cmphex(rd, >=, pref + *(uint32_t *)(zp + 0x260));
    g_assert_cmphex(rd + rdsize, <=, (512 << 20) - (128 << 10));
    qtest_memread(qts, rd, buf, 2);
    g_assert_cmphex(buf[0], ==, 0x1f);        /* gzip magic */
    g_assert_cmphex(buf[1], ==, 0x8b);
    qtest_quit(qts);
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--) {
        s += *p++;
    }
    return s;
}

/* Config space byte through 0xcf8/0xcfc. */
static uint8_t cfg_readb(QTestState *qts, int dev, int reg)
{
    qtest_outl(qts, 0xcf8, 0x80000000u | (dev << 11) | (reg & 0xfc));
    return qtest_inb(qts, 0xcfc + (reg & 3));
}

/*
 * MP tables (Intel MP Spec 1.4) describe the CPUs, the IOAPIC and the
 * interrupt routing; with pci-testdev in slot 3 (INTA -> PIRQ D -> IRQ 11)
 * the table gets a level-triggered PCI entry instead of ISA IRQ 11.
 */
static void check_mptable(const char *smp, unsigned ncpus, bool pcidev)
{
    size_t size;
    g_autofree uint8_t *bz = make_bzimage(&size, 0x20c, 1, 2047);
    g_autofree char *kernel = write_file("bzmp.img", bz, size);
    QTestState *qts = qtest_initf("-M pc -smp %s -kernel %s %s", smp, kernel,
                                  pcidev ? "-device pci-testdev,addr=3" : "");
    uint8_t fp[16], t[8192];
    uint32_t addr;
    uint16_t len, count;
    unsigned cpus = 0, ioapics = 0, intsrc = 0, pci = 0;
    uint8_t *e;

    qtest_memread(qts, 0x9fc00, fp, 16);
    g_assert_cmpmem(fp, 4, "_MP_", 4);
    g_assert_cmphex(sum8(fp, 16), ==, 0);
    addr = *(uint32_t *)(fp + 4);
    g_assert_cmphex(addr, <, 0xa0000);
    qtest_memread(qts, addr, t, 44);
    g_assert_cmpmem(t, 4, "PCMP", 4);
    len = *(uint16_t *)(t + 4);
    count = *(uint16_t *)(t + 34);
    g_assert_cmpuint(len, <=, sizeof(t));
    qtest_memread(qts, addr, t, len);
    g_assert_cmphex(sum8(t, len), ==, 0);
    g_assert_cmphex(*(uint32_t *)(t + 36), ==, 0xfee00000);
    e = t + 44;
    for (unsigned i = 0; i < count; i++) {
        switch (e[0]) {
        case 0:
            g_assert_cmpuint(e[1], ==, cpus);
            g_assert_cmphex(e[3], ==, cpus ? 0x01 : 0x03);
            cpus++;
            e += 20;
            break;
        case 2:
            g_assert_cmphex(*(uint32_t *)(e + 4), ==, 0xfec00000);
            ioapics++;
            e += 8;
            break;
        case 3:
            if (e[4] == 0) {
                /* PCI bus: slot 3 INTA, level/high, IOAPIC pin 11 */
                g_assert_cmphex(e[5], ==, (3 << 2) | 0);
                g_assert_cmphex(*(uint16_t *)(e + 2), ==, 0x0d);
                g_assert_cmpuint(e[7], ==, 11);
                pci++;
            } else {
                /* ISA IRQ 0 arrives on pin 2, the others on their own */
                g_assert_cmpuint(e[7], ==, e[5] == 0 ? 2 : e[5]);
                g_assert_cmpuint(e[5], !=, pcidev ? 11 : 2);
                intsrc++;
            }
            e += 8;
            break;
        default:
            e += 8;
            break;
        }
    }
    g_assert_cmpuint(e - t, ==, len);
    g_assert_cmpuint(cpus, ==, ncpus);
    g_assert_cmpuint(ioapics, ==, 1);
    g_assert_cmpuint(intsrc, ==, pcidev ? 14 : 15);
    g_assert_cmpuint(pci, ==, pcidev ? 1 : 0);
    if (pcidev) {
        /* what firmware would do: PIRQs routed, interrupt line set */
        g_assert_cmphex(cfg_readb(qts, 1, 0x60), ==, 10);
        g_assert_cmphex(cfg_readb(qts, 1, 0x63), ==, 11);
        g_assert_cmphex(cfg_readb(qts, 3, 0x3c), ==, 11);
    }
    qtest_quit(qts);
    unlink(kernel);
}

static void test_mptable(void)
{
    check_mptable("1", 1, false);
    check_mptable("4", 4, true);
    check_mptable("100", 100, true);
}

/* ---- multiboot ---- */

#define MB_MAGIC 0x1badb002u

static void mb_header(uint8_t *p, uint32_t flags)
{
    *(uint32_t *)p = MB_MAGIC;
    *(uint32_t *)(p + 4) = flags;
    *(uint32_t *)(p + 8) = -(MB_MAGIC + flags);
}

/* a.out kludge: loaded at 1 MiB, bss to 0x102000 */
static uint8_t *make_mb_aout(size_t *size)
{
    uint8_t *k = pattern(4096, 3);

    memset(k, 0, 64);
    mb_header(k, 0x00010003);
    *(uint32_t *)(k + 12) = 0x100000;     /* header_addr */
    *(uint32_t *)(k + 16) = 0x100000;     /* load_addr */
    *(uint32_t *)(k + 20) = 0;            /* load_end: whole file */
    *(uint32_t *)(k + 24) = 0x102000;     /* bss_end */
    *(uint32_t *)(k + 28) = 0x100040;     /* entry */
    *size = 4096;
    return k;
}

/* ELF32: one PT_LOAD of 8 KiB at 1 MiB with the header at its start */
static uint8_t *make_mb_elf(size_t *size, uint8_t elfclass, uint16_t machine)
{
    uint8_t *e = g_malloc0(0x3000);

    memcpy(e, "\x7f" "ELF", 4);
    e[4] = elfclass;
    e[5] = 1;
    e[6] = 1;
    *(uint16_t *)(e + 16) = 2;            /* ET_EXEC */
    *(uint16_t *)(e + 18) = machine;
    *(uint32_t *)(e + 20) = 1;
    *(uint32_t *)(e + 24) = 0x100010;     /* entry */
    *(uint32_t *)(e + 28) = 52;           /* phoff */
    *(uint16_t *)(e + 40) = 52;
    *(uint16_t *)(e + 42) = 32;
    *(uint16_t *)(e + 44) = 1;
    *(uint32_t *)(e + 52) = 1;            /* PT_LOAD */
    *(uint32_t *)(e + 56) = 0x1000;       /* offset */
    *(uint32_t *)(e + 60) = 0x100000;     /* vaddr */
    *(uint32_t *)(e + 64) = 0x100000;     /* paddr */
    *(uint32_t *)(e + 68) = 0x2000;       /* filesz */
    *(uint32_t *)(e + 72) = 0x3000;       /* memsz */
    mb_header(e + 0x1000, 0x3);
    memset(e + 0x1100, 0x5a, 0x100);
    *size = 0x3000;
    return e;
}

static void check_mb_info(QTestState *qts, const char *kernel,
                          const char *append, uint64_t low, uint32_t mods,
                          uint64_t mods_addr)
{
    uint32_t mbi[22];
    char str[256];
    g_autofree char *expect = g_strdup_printf("%s %s", kernel, append);
    uint8_t mm[24 * 7];

    qtest_memread(qts, 0x9500, mbi, sizeof(mbi));
    g_assert_cmphex(mbi[0], ==, 0x24f);
    g_assert_cmpuint(mbi[1], ==, 636);
    g_assert_cmpuint(mbi[2], ==, (low - (1 << 20) - (128 << 10)) / 1024);
    qtest_memread(qts, mbi[4], str, sizeof(str));
    str[255] = 0;
    g_assert_cmpstr(str, ==, expect);
    g_assert_cmpuint(mbi[5], ==, mods);
    g_assert_cmphex(mbi[6], ==, mods_addr);
    g_assert_cmphex(mbi[12], ==, 0x9000);
    g_assert_cmpuint(mbi[11], ==, low == (3ULL << 30) ? 168 : 144);
    qtest_memread(qts, 0x9000, mm, 144);
    g_assert_cmpuint(*(uint32_t *)mm, ==, 20);
    g_assert_cmphex(*(uint64_t *)(mm + 4), ==, 0);
    g_assert_cmphex(*(uint64_t *)(mm + 12), ==, 0x9f000);
    g_assert_cmphex(*(uint64_t *)(mm + 52), ==, 0xf0000);
    g_assert_cmpuint(*(uint32_t *)(mm + 68), ==, 2);
    g_assert_cmphex(*(uint64_t *)(mm + 76), ==, 0x100000);
    g_assert_cmphex(*(uint64_t *)(mm + 84), ==, low - 0x120000);
    g_assert_cmpuint(*(uint32_t *)(mm + 92), ==, 1);
    g_assert_cmphex(*(uint64_t *)(mm + 100), ==, low - 0x20000);
    g_assert_cmpuint(*(uint32_t *)(mm + 116), ==, 3);
    g_assert_cmphex(*(uint64_t *)(mm + 124), ==, 0xfeffc000);
    g_assert_cmpuint(*(uint32_t *)(mm + 140), ==, 2);
    qtest_memread(qts, mbi[16], str, 8);
    g_assert_cmpstr(str, ==, "turtle");
}

/*
 * -initrd "file args,file2" (several modules, with strings) is parsed by
 * the loader, but softmmu/main.c checks -initrd as one file name before
 * the board runs, so only a single plain module can be tested here.
 */
static void test_multiboot_aout(void)
{
    size_t size;
    g_autofree uint8_t *k = make_mb_aout(&size);
    g_autofree char *kernel = write_file("mb.aout", k, size);
    g_autofree uint8_t *mod = pattern(MODULE_SIZE, 9);
    g_autofree char *m1 = write_file("m1.bin", mod, MODULE_SIZE);
    g_autofree uint8_t *buf = g_malloc(MODULE_SIZE);
    QTestState *qts = qtest_initf("-M pc -m 128M -kernel %s -append "
                                  "'turtle-test x=1' -initrd %s",
                                  kernel, m1);
    uint32_t list[4];
    char str[256];

    qtest_memread(qts, 0x100000, buf, 4096);
    g_assert_cmpmem(buf, 4096, k, 4096);
    /* bss zeroed */
    g_assert_cmphex(qtest_readq(qts, 0x101ff8), ==, 0);
    check_mb_info(qts, kernel, "turtle-test x=1", 128ULL << 20, 1, 0x102000);
    qtest_memread(qts, 0x102000, list, sizeof(list));
    /* the module page-aligned after the list and strings, as QEMU */
    g_assert_cmphex(list[0], ==, 0x103000);
    g_assert_cmphex(list[1], ==, 0x103000 + MODULE_SIZE);
    qtest_memread(qts, list[2], str, sizeof(str));
    str[255] = 0;
    g_assert_cmpstr(str, ==, m1);
    qtest_memread(qts, list[0], buf, MODULE_SIZE);
    g_assert_cmpmem(buf, MODULE_SIZE, mod, MODULE_SIZE);
    qtest_quit(qts);
    unlink(kernel);
    unlink(m1);
}

static void test_multiboot_elf(void)
{
    size_t size;
    g_autofree uint8_t *k = make_mb_elf(&size, 1, 3);
    g_autofree char *kernel = write_file("mb.elf", k, size);
    QTestState *qts = qtest_initf("-M pc -m 4G -kernel %s", kernel);
    uint8_t buf[0x2000];

    qtest_memread(qts, 0x100000, buf, sizeof(buf));
    g_assert_cmpmem(buf, sizeof(buf), k + 0x1000, 0x2000);
    g_assert_cmphex(qtest_readq(qts, 0x102ff8), ==, 0);
    check_mb_info(qts, kernel, "", 3ULL << 30, 0, 0x103000);
    /* 32-bit GDT */
    g_assert_cmphex(qtest_readq(qts, 0x510), ==, 0x00cf9b000000ffffULL);
    qtest_quit(qts);
    unlink(kernel);
}

/* ---- bad inputs: exit 1 with one clear message ---- */

static void G_GNUC_PRINTF(2, 3) expect_error(const char *msg,
                                             const char *fmt, ...)
{
    va_list ap;
    g_autofree char *args = NULL;
    g_autofree char *cmd = NULL;
    g_autofree char *err = NULL;
    int status;

    va_start(ap, fmt);
    args = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    cmd = g_strdup_printf("-M pc -accel qtest -display none -nodefaults %s",
                          args);
    status = qtest_run(qtest_binary(), cmd, NULL, &err);
    if (status != 1 || !strstr(err, msg)) {
        g_printerr("args: %s\nstatus %d, stderr: %s\n", args, status, err);
    }
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, msg));
    /* one line */
    g_assert_nonnull(strchr(err, '\n'));
    g_assert_null(strchr(strchr(err, '\n') + 1, '\n'));
}

static void test_bad_kernels(void)
{
    size_t size;
    g_autofree uint8_t *bz = make_bzimage(&size, 0x20c, 1, 2047);
    g_autofree uint8_t *junk = pattern(20000, 5);
    g_autofree char *p;
    g_autofree uint8_t *big = NULL;

    /* truncated: the file ends inside the setup / the payload */
    p = write_file("trunc1", bz, 1200);
    expect_error("truncated bzImage", "-kernel %s", p);
    g_free(p);
    p = write_file("trunc2", bz, size - 100);
    expect_error("truncated bzImage", "-kernel %s", p);
    g_free(p);
    /* not a kernel */
    p = write_file("junk", junk, 20000);
    expect_error("not a kernel", "-kernel %s", p);
    g_free(p);
    /* too old a protocol */
    bz[0x206] = 0x01;
    p = write_file("old", bz, size);
    expect_error("too old", "-kernel %s", p);
    g_free(p);
    bz[0x206] = 0x0c;
    /* command line longer than cmdline_size */
    *(uint32_t *)(bz + 0x238) = 8;
    p = write_file("shortcl", bz, size);
    expect_error("command line", "-kernel %s -append 0123456789", p);
    g_free(p);
    *(uint32_t *)(bz + 0x238) = 2047;
    /* initrd too big for the RAM */
    p = write_file("bz", bz, size);
    big = g_malloc0(40 << 20);
    {
        g_autofree char *ird = write_file("big.img", big, 40 << 20);
        expect_error("initrd is too big", "-m 32M -kernel %s -initrd %s", p,
                     ird);
        unlink(ird);
    }
    /* missing initrd */
    expect_error("nonexistent", "-kernel %s -initrd /nonexistent/x", p);
    g_free(p);
    /* wrong architecture: multiboot ELF64, multiboot ELF for ARM */
    g_free(junk);
    junk = make_mb_elf(&size, 2, 62);
    p = write_file("mb64", junk, size);
    expect_error("wrong architecture", "-kernel %s", p);
    g_free(p);
    g_free(junk);
    junk = make_mb_elf(&size, 1, 40);
    p = write_file("mbarm", junk, size);
    expect_error("machine 40", "-kernel %s", p);
    g_free(p);
    /* ELF without a multiboot header */
    memset(junk + 0x1000, 0, 12);
    p = write_file("plainelf", junk, size);
    expect_error("not a bootable", "-kernel %s", p);
    g_free(p);
    /* multiboot ELF truncated inside its segment */
    g_free(junk);
    junk = make_mb_elf(&size, 1, 3);
    p = write_file("mbtrunc", junk, 0x1800);
    expect_error("truncated ELF", "-kernel %s", p);
    /* multiboot with -bios */
    {
        g_autofree uint8_t *rom = g_malloc0(65536);
        g_autofree char *bios = write_file("bios.bin", rom, 65536);
        g_free(junk);
        junk = make_mb_elf(&size, 1, 3);
        g_free(p);
        p = write_file("mbok", junk, size);
        expect_error("drop -bios", "-bios %s -kernel %s", bios, p);
    }
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("pc-boot-XXXXXX", NULL);
    g_test_add_func("/pc-boot/bzimage/128M", test_bzimage_128m);
    g_test_add_func("/pc-boot/bzimage/4G", test_bzimage_4g);
    g_test_add_func("/pc-boot/bzimage/32-bit-entry", test_bzimage_32bit);
    g_test_add_func("/pc-boot/bzimage/via-firmware", test_bzimage_firmware);
    g_test_add_func("/pc-boot/bzimage/distro-kernel", test_bzimage_distro);
    g_test_add_func("/pc-boot/mptable", test_mptable);
    g_test_add_func("/pc-boot/multiboot/aout-modules", test_multiboot_aout);
    g_test_add_func("/pc-boot/multiboot/elf", test_multiboot_elf);
    g_test_add_func("/pc-boot/bad-kernels", test_bad_kernels);
    ret = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
        g_assert_cmpint(system(cmd), ==, 0);
    }
    return ret;
}
