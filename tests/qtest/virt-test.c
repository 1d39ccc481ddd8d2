/*
 * The virt board: memory map and IRQ wiring over qtest (-M virt -accel
 * qtest), the virtio-mmio slots, the device tree (dumpdtb, parsed with
 * libfdt and checked against the map), PSCI and Image/ELF boot through a
 * tiny hand-assembled guest under TCG, and refused inputs.
 */
#include "libqtest.h"

#include <libfdt.h>
#include <stdio.h>
#include <unistd.h>

#define GICD        0x08000000ULL
#define GICC        0x08010000ULL
#define UART        0x09000000ULL
#define RTC         0x09010000ULL
#define FW_CFG      0x09020000ULL
#define GPIO        0x09030000ULL
#define MMIO        0x0a000000ULL
#define RAM         0x40000000ULL

static void test_memmap(void)
{
    QTestState *q = qtest_init("-M virt -smp 2");

    g_assert_cmphex(qtest_readl(q, UART + 0xfe0), ==, 0x11);     /* PL011 */
    g_assert_cmphex(qtest_readl(q, RTC + 0xfe0), ==, 0x31);      /* PL031 */
    g_assert_cmphex(qtest_readl(q, GPIO + 0xfe0), ==, 0x61);     /* PL061 */
    /* GICD_TYPER: 288 INTIDs, 2 CPUs */
    g_assert_cmphex(qtest_readl(q, GICD + 4), ==, (288 / 32 - 1) | (1 << 5));
    g_assert_cmphex(qtest_readl(q, GICC + 0xfc) >> 16 & 0xf, ==, 2);
    /* fw_cfg: select the signature (big-endian selector at +8) */
    qtest_writew(q, FW_CFG + 8, 0x0000);
    g_assert_cmphex(qtest_readb(q, FW_CFG), ==, 'Q');
    g_assert_cmphex(qtest_readb(q, FW_CFG), ==, 'E');
    /* RAM at 0x40000000, 128 MiB by default */
    qtest_writel(q, RAM, 0x12345678);
    g_assert_cmphex(qtest_readl(q, RAM), ==, 0x12345678);
    qtest_writel(q, RAM + 128 * 1024 * 1024 - 4, 0xcafe);
    g_assert_cmphex(qtest_readl(q, RAM + 128 * 1024 * 1024 - 4), ==, 0xcafe);
    qtest_quit(q);
}

static void test_virtio_mmio_slots(void)
{
    QTestState *q = qtest_init("-M virt");

    for (int i = 0; i < 32; i++) {
        uint64_t b = MMIO + i * 0x200;

        g_assert_cmphex(qtest_readl(q, b + 0x000), ==, 0x74726976);
        g_assert_cmphex(qtest_readl(q, b + 0x004), ==, 2);
        g_assert_cmphex(qtest_readl(q, b + 0x008), ==, 0);   /* empty */
        g_assert_cmphex(qtest_readl(q, b + 0x00c), ==, 0x554d4551);
    }
    /* an empty slot: no features, no queues, writes go nowhere (as on
     * QEMU) */
    g_assert_cmphex(qtest_readl(q, MMIO + 0x010), ==, 0);
    qtest_writel(q, MMIO + 0x030, 0);
    g_assert_cmphex(qtest_readl(q, MMIO + 0x034), ==, 0);
    qtest_writel(q, MMIO + 0x070, 0x3);
    g_assert_cmphex(qtest_readl(q, MMIO + 0x070), ==, 0);
    qtest_writel(q, MMIO + 0x070, 0);
    g_assert_cmphex(qtest_readl(q, MMIO + 0x070), ==, 0);
    g_assert_cmphex(qtest_readl(q, MMIO + 0x060), ==, 0);
    /* nothing between the last slot and 0x0a004000 */
    g_assert_cmphex(qtest_readl(q, MMIO + 32 * 0x200), !=, 0x74726976);
    qtest_quit(q);
}

/* SPIs of the devices, seen at the GIC's inputs (index = SPI number) */
static void test_irq_wiring(void)
{
    QTestState *q = qtest_init("-M virt");

    qtest_irq_intercept_in(q, "gic");
    /* PL031 match (MR = the count now, host clock) -> SPI 2 */
    qtest_writel(q, RTC + 0x10, 1);
    for (int i = 0; i < 3 && !qtest_get_irq(q, 2); i++) {
        qtest_writel(q, RTC + 0x04, qtest_readl(q, RTC));
    }
    g_assert_true(qtest_get_irq(q, 2));
    qtest_writel(q, RTC + 0x1c, 1);
    g_assert_false(qtest_get_irq(q, 2));
    /* PL061: a software-visible level interrupt -> SPI 7 */
    qtest_writel(q, GPIO + 0x404, 0x01);      /* IS: level */
    qtest_writel(q, GPIO + 0x410, 0x01);      /* IE, IEV=0: low level */
    g_assert_true(qtest_get_irq(q, 7));
    qtest_writel(q, GPIO + 0x410, 0);
    g_assert_false(qtest_get_irq(q, 7));
    /* PL011 TX interrupt -> SPI 1 */
    qtest_writel(q, UART + 0x038, 1 << 5);    /* IMSC.TXIM */
    qtest_writel(q, UART + 0x000, 'x');
    g_assert_true(qtest_get_irq(q, 1));
    qtest_quit(q);
}

/* system_powerdown presses the power button: PL061 line 3, for 100 ms */
static void test_power_button(void)
{
    g_autofree char *dir = g_dir_make_tmp("virt-test-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "mon.sock", NULL);
    int lfd = qtest_socket_server(path);
    QTestState *q = qtest_initf("-M virt -monitor unix:%s", path);
    int mon = qtest_socket_accept(lfd);
    const char cmd[] = "system_powerdown\n";
    int tries;

    g_assert_cmpint(mon, >=, 0);
    close(lfd);
    qtest_irq_intercept_in(q, "gic");
    qtest_writel(q, GPIO + 0x40c, 1 << 3);        /* IEV: rising */
    qtest_writel(q, GPIO + 0x410, 1 << 3);        /* IE */
    g_assert_cmpint(write(mon, cmd, strlen(cmd)), ==, strlen(cmd));
    for (tries = 0; tries < 500; tries++) {
        if (qtest_readl(q, GPIO + 0x414) & (1 << 3)) {
            break;
        }
        g_usleep(10 * 1000);
    }
    g_assert_cmpint(tries, <, 500);
    g_assert_true(qtest_get_irq(q, 7));
    g_assert_cmphex(qtest_readl(q, GPIO + (0x08 << 2)), ==, 0x08);
    /* released 100 ms later */
    qtest_clock_step(q, 100 * 1000 * 1000);
    g_assert_cmphex(qtest_readl(q, GPIO + (0x08 << 2)), ==, 0);
    close(mon);
    qtest_quit(q);
    unlink(path);
    rmdir(dir);
}

/* ---- device tree ---- */

static void *dump_dtb(const char *extra)
{
    g_autofree char *dir = g_dir_make_tmp("virt-test-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "virt.dtb", NULL);
    g_autofree char *args = g_strdup_printf("-M virt,dumpdtb=%s -nodefaults "
                                            "-display none %s", path, extra);
    g_autofree char *err = NULL;
    gchar *data = NULL;
    gsize len;

    g_assert_cmpint(qtest_run(qtest_binary(), args, NULL, &err), ==, 0);
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpint(fdt_check_header(data), ==, 0);
    g_assert_cmpuint(fdt_totalsize(data), <=, len);
    unlink(path);
    rmdir(dir);
    return data;
}

static int node(const void *fdt, const char *path)
{
    int off = fdt_path_offset(fdt, path);

    if (off < 0) {
        g_test_message("missing node %s", path);
    }
    g_assert_cmpint(off, >=, 0);
    return off;
}

/* const void *: a cell array (see cell()) or a string */
static const void *prop(const void *fdt, int off, const char *name, int *len)
{
    const void *p = fdt_getprop(fdt, off, name, len);

    if (!p) {
        g_test_message("missing property %s", name);
    }
    g_assert_nonnull(p);
    return p;
}

static uint32_t cell(const void *p, int i)
{
    return fdt32_to_cpu(((const fdt32_t *)p)[i]);
}

static void check_reg(const void *fdt, int off, uint64_t base, uint64_t size)
{
    int len;
    const void *r = prop(fdt, off, "reg", &len);

    g_assert_cmpint(len, >=, 16);
    g_assert_cmphex(((uint64_t)cell(r, 0) << 32) | cell(r, 1), ==, base);
    g_assert_cmphex(((uint64_t)cell(r, 2) << 32) | cell(r, 3), ==, size);
}

static void check_spi(const void *fdt, int off, int spi, int flags)
{
    int len;
    const void *r = prop(fdt, off, "interrupts", &len);

    g_assert_cmpint(len, ==, 12);
    g_assert_cmpuint(cell(r, 0), ==, 0);
    g_assert_cmpuint(cell(r, 1), ==, spi);
    g_assert_cmpuint(cell(r, 2), ==, flags);
}

static void check_compat(const void *fdt, int off, const char *compat)
{
    g_assert_cmpint(fdt_node_check_compatible(fdt, off, compat), ==, 0);
}

static void test_fdt(void)
{
    void *fdt = dump_dtb("-smp 2 -m 256 -cpu cortex-a57");
    uint32_t gic_phandle, gpio_phandle;
    const void *p;
    const char *s;
    int off, len;

    off = node(fdt, "/");
    check_compat(fdt, off, "linux,dummy-virt");
    g_assert_cmpuint(cell(prop(fdt, off, "#address-cells", NULL), 0), ==, 2);
    g_assert_cmpuint(cell(prop(fdt, off, "#size-cells", NULL), 0), ==, 2);

    off = node(fdt, "/intc@8000000");
    check_compat(fdt, off, "arm,cortex-a15-gic");
    g_assert_nonnull(fdt_getprop(fdt, off, "interrupt-controller", NULL));
    g_assert_cmpuint(cell(prop(fdt, off, "#interrupt-cells", NULL), 0), ==,
                     3);
    p = prop(fdt, off, "reg", &len);
    g_assert_cmpint(len, ==, 32);
    g_assert_cmphex(cell(p, 1), ==, GICD);
    g_assert_cmphex(cell(p, 5), ==, GICC);
    gic_phandle = fdt_get_phandle(fdt, off);
    g_assert_cmpuint(cell(prop(fdt, 0, "interrupt-parent", NULL), 0), ==,
                     gic_phandle);

    off = node(fdt, "/memory@40000000");
    check_reg(fdt, off, RAM, 256 * 1024 * 1024);
    g_assert_cmpstr(prop(fdt, off, "device_type", NULL), ==, "memory");

    off = node(fdt, "/cpus");
    for (int i = 0; i < 2; i++) {
        g_autofree char *path = g_strdup_printf("/cpus/cpu@%d", i);
        int c = node(fdt, path);

        check_compat(fdt, c, "arm,cortex-a57");
        g_assert_cmpuint(cell(prop(fdt, c, "reg", NULL), 0), ==, i);
        g_assert_cmpstr(prop(fdt, c, "enable-method", NULL), ==, "psci");
        g_assert_cmpstr(prop(fdt, c, "device_type", NULL), ==, "cpu");
    }

    off = node(fdt, "/psci");
    check_compat(fdt, off, "arm,psci-1.0");
    check_compat(fdt, off, "arm,psci-0.2");
    g_assert_cmpstr(prop(fdt, off, "method", NULL), ==, "hvc");
    g_assert_cmphex(cell(prop(fdt, off, "cpu_on", NULL), 0), ==, 0xc4000003);

    off = node(fdt, "/timer");
    check_compat(fdt, off, "arm,armv8-timer");
    g_assert_nonnull(fdt_getprop(fdt, off, "always-on", NULL));
    p = prop(fdt, off, "interrupts", &len);
    g_assert_cmpint(len, ==, 48);
    {
        /* secure phys, phys, virt, hyp: PPIs 13, 14, 11, 10; level, 2 CPUs */
        static const uint32_t ppi[4] = { 13, 14, 11, 10 };

        for (int i = 0; i < 4; i++) {
            g_assert_cmpuint(cell(p, i * 3), ==, 1);
            g_assert_cmpuint(cell(p, i * 3 + 1), ==, ppi[i]);
            g_assert_cmphex(cell(p, i * 3 + 2), ==, 0x304);
        }
    }

    off = node(fdt, "/apb-pclk");
    check_compat(fdt, off, "fixed-clock");
    g_assert_cmpuint(cell(prop(fdt, off, "clock-frequency", NULL), 0), ==,
                     24000000);

    off = node(fdt, "/pl011@9000000");
    check_compat(fdt, off, "arm,pl011");
    check_compat(fdt, off, "arm,primecell");
    check_reg(fdt, off, UART, 0x1000);
    check_spi(fdt, off, 1, 4);
    prop(fdt, off, "clocks", &len);
    g_assert_cmpint(len, ==, 8);
    s = prop(fdt, off, "clock-names", &len);
    g_assert_cmpint(len, ==, sizeof("uartclk\0apb_pclk"));
    g_assert_cmpstr(s, ==, "uartclk");

    off = node(fdt, "/pl031@9010000");
    check_compat(fdt, off, "arm,pl031");
    check_reg(fdt, off, RTC, 0x1000);
    check_spi(fdt, off, 2, 4);

    off = node(fdt, "/pl061@9030000");
    check_compat(fdt, off, "arm,pl061");
    check_reg(fdt, off, GPIO, 0x1000);
    check_spi(fdt, off, 7, 4);
    g_assert_nonnull(fdt_getprop(fdt, off, "gpio-controller", NULL));
    gpio_phandle = fdt_get_phandle(fdt, off);

    off = node(fdt, "/gpio-keys/poweroff");
    g_assert_cmpuint(cell(prop(fdt, off, "linux,code", NULL), 0), ==, 116);
    p = prop(fdt, off, "gpios", &len);
    g_assert_cmpint(len, ==, 12);
    g_assert_cmpuint(cell(p, 0), ==, gpio_phandle);
    g_assert_cmpuint(cell(p, 1), ==, 3);
    check_compat(fdt, node(fdt, "/gpio-keys"), "gpio-keys");

    off = node(fdt, "/fw-cfg@9020000");
    check_compat(fdt, off, "qemu,fw-cfg-mmio");
    check_reg(fdt, off, FW_CFG, 0x18);

    for (int i = 0; i < 32; i++) {
        g_autofree char *path = g_strdup_printf("/virtio_mmio@%llx",
                                                MMIO + i * 0x200);

        off = node(fdt, path);
        check_compat(fdt, off, "virtio,mmio");
        check_reg(fdt, off, MMIO + i * 0x200, 0x200);
        check_spi(fdt, off, 16 + i, 1);
    }
    /* listed in increasing address order */
    off = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio");
    g_assert_cmpstr(fdt_get_name(fdt, off, NULL), ==, "virtio_mmio@a000000");

    off = node(fdt, "/chosen");
    g_assert_cmpstr(prop(fdt, off, "stdout-path", NULL), ==,
                    "/pl011@9000000");
    g_assert_cmpstr(prop(fdt, node(fdt, "/aliases"), "serial0", NULL), ==,
                    "/pl011@9000000");
    /* the PCIe host: high ECAM, its windows, INTx map, MSIs to the v2m */
    off = node(fdt, "/pcie@10000000");
    check_compat(fdt, off, "pci-host-ecam-generic");
    check_reg(fdt, off, 0x4010000000ull, 0x10000000);
    {
        int v2m = node(fdt, "/intc@8000000/v2m@8020000");
        const fdt32_t *msi = fdt_getprop(fdt, off, "msi-parent", &len);

        check_compat(fdt, v2m, "arm,gic-v2m-frame");
        g_assert_nonnull(msi);
        g_assert_cmpuint(fdt32_to_cpu(*msi), ==, fdt_get_phandle(fdt, v2m));
        g_assert_nonnull(fdt_getprop(fdt, off, "interrupt-map", &len));
        g_assert_cmpint(len, ==, 16 * 10 * 4);
        g_assert_nonnull(fdt_getprop(fdt, off, "ranges", &len));
        g_assert_cmpint(len, ==, 3 * 7 * 4);
    }
    g_free(fdt);
}

/* ---- booting a tiny guest ---- */

/* A64 program: PSCI_VERSION, CPU_ON of a missing CPU, SYSTEM_OFF */
static const uint32_t psci_prog[] = {
    0xd2b08000,     /* movz x0, #0x8400, lsl #16     PSCI_VERSION */
    0xd4000002,     /* hvc #0 */
    0xd2a00023,     /* movz x3, #1, lsl #16          expect 1.0 */
    0xd2a12001,     /* movz x1, #0x0900, lsl #16     PL011 DR */
    0x52800b22,     /* movz w2, #'Y' */
    0xeb03001f,     /* cmp x0, x3 */
    0x54000040,     /* b.eq +8 */
    0x528009c2,     /* movz w2, #'N' */
    0xb9000022,     /* str w2, [x1] */
    0xd2b88000,     /* movz x0, #0xc400, lsl #16 */
    0xf2800060,     /* movk x0, #3                   CPU_ON (SMC64) */
    0xd2800aa1,     /* movz x1, #0x55                no such MPIDR */
    0xd4000002,     /* hvc #0                        -> -2 */
    0x1100c802,     /* add w2, w0, #'0' + 2          '0' if -2 */
    0xd2a12001,     /* movz x1, #0x0900, lsl #16 */
    0xb9000022,     /* str w2, [x1] */
    0xd2b08000,     /* movz x0, #0x8400, lsl #16 */
    0xf2800100,     /* movk x0, #8                   SYSTEM_OFF */
    0xd4000002,     /* hvc #0 */
    0x14000000,     /* b . */
};

/*
 * CPU 0 prints 'A', starts CPU 1 (MPIDR 1) with context_id 'B', waits for
 * AFFINITY_INFO to say CPU 1 is off again, prints 'C', SYSTEM_OFF.
 * CPU 1 prints its x0 and calls CPU_OFF.
 */
static const uint32_t smp_prog[] = {
    0xd2a12001,     /* 00 movz x1, #0x0900, lsl #16 */
    0x52800822,     /* 04 movz w2, #'A' */
    0xb9000022,     /* 08 str w2, [x1] */
    0xd2b88000,     /* 0c movz x0, #0xc400, lsl #16 */
    0xf2800060,     /* 10 movk x0, #3                CPU_ON */
    0xd2800021,     /* 14 movz x1, #1                target MPIDR */
    0x10000222,     /* 18 adr x2, 5c                 entry */
    0xd2800843,     /* 1c movz x3, #'B'              context_id */
    0xd4000002,     /* 20 hvc #0 */
    0xd2b88000,     /* 24 movz x0, #0xc400, lsl #16 */
    0xf2800080,     /* 28 movk x0, #4                AFFINITY_INFO */
    0xd2800021,     /* 2c movz x1, #1 */
    0xd2800002,     /* 30 movz x2, #0 */
    0xd4000002,     /* 34 hvc #0 */
    0xf100041f,     /* 38 cmp x0, #1                 OFF? */
    0x54ffff41,     /* 3c b.ne 24 */
    0xd2a12001,     /* 40 movz x1, #0x0900, lsl #16 */
    0x52800862,     /* 44 movz w2, #'C' */
    0xb9000022,     /* 48 str w2, [x1] */
    0xd2b08000,     /* 4c movz x0, #0x8400, lsl #16 */
    0xf2800100,     /* 50 movk x0, #8                SYSTEM_OFF */
    0xd4000002,     /* 54 hvc #0 */
    0x14000000,     /* 58 b . */
    0xd2a12001,     /* 5c movz x1, #0x0900, lsl #16  CPU 1 */
    0xb9000020,     /* 60 str w0, [x1] */
    0xd2b08000,     /* 64 movz x0, #0x8400, lsl #16 */
    0xf2800040,     /* 68 movk x0, #2                CPU_OFF */
    0xd4000002,     /* 6c hvc #0 */
    0x14000000,     /* 70 b . */
};

/* prints 'R', then SYSTEM_RESET */
static const uint32_t reset_prog[] = {
    0xd2a12001,     /* movz x1, #0x0900, lsl #16 */
    0x52800a42,     /* movz w2, #'R' */
    0xb9000022,     /* str w2, [x1] */
    0xd2b08000,     /* movz x0, #0x8400, lsl #16 */
    0xf2800120,     /* movk x0, #9                   SYSTEM_RESET */
    0xd4000002,     /* hvc #0 */
    0x14000000,     /* b . */
};

/*
 * GICv3 through the system registers: ID_AA64PFR0_EL1.GIC, wake the
 * redistributor, SGIs in group 1 and enabled, PMR/IGRPEN1, an SGI 5 to
 * itself with ICC_SGI1R_EL1, acknowledge (ICC_IAR1_EL1), EOI, then IAR1
 * again reads 1023.  Prints "15S", then SYSTEM_OFF.
 */
static const uint32_t gicv3_prog[] = {
    0xd5380400,     /* mrs x0, ID_AA64PFR0_EL1 */
    0xd3586c00,     /* ubfx x0, x0, #24, #4          GIC field */
    0x1100c002,     /* add w2, w0, #'0' */
    0xd2a12001,     /* movz x1, #0x0900, lsl #16 */
    0xb9000022,     /* str w2, [x1] */
    0xd2a10141,     /* movz x1, #0x080a, lsl #16     GICR 0 */
    0xb900143f,     /* str wzr, [x1, #0x14]          GICR_WAKER = 0 */
    0xd2a10161,     /* movz x1, #0x080b, lsl #16     SGI_base */
    0x12800002,     /* movn w2, #0 */
    0xb9008022,     /* str w2, [x1, #0x80]           IGROUPR0 */
    0xb9010022,     /* str w2, [x1, #0x100]          ISENABLER0 */
    0xd2a10001,     /* movz x1, #0x0800, lsl #16     GICD */
    0x52800042,     /* movz w2, #2 */
    0xb9000022,     /* str w2, [x1]                  EnableGrp1 */
    0xd2801fe0,     /* movz x0, #0xff */
    0xd5184600,     /* msr ICC_PMR_EL1, x0 */
    0xd2800020,     /* movz x0, #1 */
    0xd518cce0,     /* msr ICC_IGRPEN1_EL1, x0 */
    0xd2a0a000,     /* movz x0, #0x0500, lsl #16     INTID 5 */
    0xf2800020,     /* movk x0, #1                   TargetList: CPU 0 */
    0xd518cba0,     /* msr ICC_SGI1R_EL1, x0 */
    0xd538cc00,     /* mrs x0, ICC_IAR1_EL1 */
    0x1100c002,     /* add w2, w0, #'0' */
    0xd2a12001,     /* movz x1, #0x0900, lsl #16 */
    0xb9000022,     /* str w2, [x1] */
    0xd518cc20,     /* msr ICC_EOIR1_EL1, x0 */
    0xd538cc00,     /* mrs x0, ICC_IAR1_EL1 */
    0x510ffc02,     /* sub w2, w0, #1023 */
    0x11014c42,     /* add w2, w2, #'S' */
    0xb9000022,     /* str w2, [x1] */
    0xd2b08000,     /* movz x0, #0x8400, lsl #16 */
    0xf2800100,     /* movk x0, #8                   SYSTEM_OFF */
    0xd4000002,     /* hvc #0 */
    0x14000000,     /* b . */
};

#define PROG_ADDR 0x40080000u

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, v);
    put32(p + 4, v >> 32);
}

/* An ELF64 executable with one PT_LOAD segment holding prog[n]. */
static char *write_elf_prog(const char *dir, uint16_t machine,
                            const uint32_t *prog, size_t n)
{
    size_t size = 120 + n * 4;
    g_autofree uint8_t *img = g_malloc0(size);
    char *path = g_build_filename(dir, "prog.elf", NULL);

    memcpy(img, "\x7f" "ELF\x02\x01\x01", 7);
    put16(img + 16, 2);                   /* ET_EXEC */
    put16(img + 18, machine);
    put32(img + 20, 1);
    put64(img + 24, PROG_ADDR);           /* e_entry */
    put64(img + 32, 64);                  /* e_phoff */
    put16(img + 52, 64);                  /* e_ehsize */
    put16(img + 54, 56);                  /* e_phentsize */
    put16(img + 56, 1);                   /* e_phnum */
    put32(img + 64, 1);                   /* PT_LOAD */
    put32(img + 68, 5);                   /* R+X */
    put64(img + 72, 120);                 /* p_offset */
    put64(img + 80, PROG_ADDR);
    put64(img + 88, PROG_ADDR);
    put64(img + 96, n * 4);
    put64(img + 104, n * 4);
    for (size_t i = 0; i < n; i++) {
        put32(img + 120 + i * 4, prog[i]);
    }
    g_assert_true(g_file_set_contents(path, (char *)img, size, NULL));
    return path;
}

static char *write_elf(const char *dir, uint16_t machine)
{
    return write_elf_prog(dir, machine, psci_prog, G_N_ELEMENTS(psci_prog));
}

/* The same program as an arm64 Image (text_offset 0x80000). */
static char *write_image(const char *dir)
{
    uint8_t img[64 + sizeof(psci_prog)] = { 0 };
    char *path = g_build_filename(dir, "Image", NULL);

    put32(img, 0x14000010);               /* b +64: over the header */
    put64(img + 8, 0x80000);              /* text_offset */
    put64(img + 16, sizeof(img));         /* image_size */
    memcpy(img + 0x38, "ARM\x64", 4);
    for (size_t i = 0; i < G_N_ELEMENTS(psci_prog); i++) {
        put32(img + 64 + i * 4, psci_prog[i]);
    }
    g_assert_true(g_file_set_contents(path, (char *)img, sizeof(img), NULL));
    return path;
}

static void run_machine_expect(const char *machine, const char *kernel,
                               const char *extra, const char *expect)
{
    g_autofree char *args = g_strdup_printf("-M %s -nodefaults -display none "
                                            "-serial stdio -accel tcg "
                                            "-kernel %s %s", machine, kernel,
                                            extra);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    /* SYSTEM_OFF ends the process with status 0 */
    g_assert_cmpint(qtest_run(qtest_binary(), args, &out, &err), ==, 0);
    g_assert_cmpstr(out, ==, expect);
}

static void run_guest_expect(const char *kernel, const char *extra,
                             const char *expect)
{
    run_machine_expect("virt", kernel, extra, expect);
}

static void run_guest(const char *kernel, const char *extra)
{
    run_guest_expect(kernel, extra, "Y0");
}

static void test_psci_elf(void)
{
    g_autofree char *dir = g_dir_make_tmp("virt-test-XXXXXX", NULL);
    g_autofree char *elf = write_elf(dir, 183);

    run_guest(elf, "");
    run_guest(elf, "-smp 2");
    unlink(elf);
    rmdir(dir);
}

static void test_psci_cpu_on(void)
{
    g_autofree char *dir = g_dir_make_tmp("virt-test-XXXXXX", NULL);
    g_autofree char *elf = write_elf_prog(dir, 183, smp_prog,
                                          G_N_ELEMENTS(smp_prog));

    run_guest_expect(elf, "-smp 2", "ABC");
    run_guest_expect(elf, "-smp 4", "ABC");
    unlink(elf);
    rmdir(dir);
}

static void test_gicv3_sysregs(void)
{
    g_autofree char *dir = g_dir_make_tmp("virt-test-XXXXXX", NULL);
    g_autofree char *elf = write_elf_prog(dir, 183, gicv3_prog,
                                          G_N_ELEMENTS(gicv3_prog));

    run_machine_expect("virt,gic-version=3", elf, "", "15S");
    g_free(elf);
    elf = write_elf_prog(dir, 183, smp_prog, G_N_ELEMENTS(smp_prog));
    run_machine_expect("virt,gic-version=3", elf, "-smp 3", "ABC");
    unlink(elf);
    rmdir(dir);
}

static void test_psci_reset(void)
{
    g_autofree char *dir = g_dir_make_tmp("virt-test-XXXXXX", NULL);
    g_autofree char *elf = write_elf_prog(dir, 183, reset_prog,
                                          G_N_ELEMENTS(reset_prog));

    /* -no-reboot: the reset request ends the process (status 0) */
    run_guest_expect(elf, "-no-reboot", "R");
    unlink(elf);
    rmdir(dir);
}

static void test_psci_image(void)
{
    g_autofree char *dir = g_dir_make_tmp("virt-test-XXXXXX", NULL);
    g_autofree char *img = write_image(dir);

    run_guest(img, "-append console=ttyAMA0");
    unlink(img);
    rmdir(dir);
}

/* ---- refused inputs: exit 1 with one clear line ---- */

static void expect_error(const char *args, const char *msg)
{
    g_autofree char *cmd = g_strdup_printf("-M virt -nodefaults -display none "
                                           "%s", args);
    g_autofree char *err = NULL;
    int lines = 0;

    g_assert_cmpint(qtest_run(qtest_binary(), cmd, NULL, &err), ==, 1);
    if (!strstr(err, msg)) {
        g_test_message("stderr for '%s': %s", args, err);
    }
    g_assert_nonnull(strstr(err, msg));
    for (const char *c = err; *c; c++) {
        lines += *c == '\n';
    }
    g_assert_cmpint(lines, ==, 1);
}

static void test_bad_inputs(void)
{
    g_autofree char *dir = g_dir_make_tmp("virt-test-XXXXXX", NULL);
    g_autofree char *garbage = g_build_filename(dir, "garbage", NULL);
    g_autofree char *trunc = g_build_filename(dir, "trunc", NULL);
    g_autofree char *huge = g_build_filename(dir, "huge", NULL);
    g_autofree char *x86elf = write_elf(dir, 62);
    g_autofree char *image = write_image(dir);
    g_autofree char *bz = g_build_filename(dir, "bzImage", NULL);
    g_autofree char *args = NULL;
    char bzimg[0x300] = { 0 };
    char mz[0x100] = { 0 };
    FILE *f;

    g_assert_true(g_file_set_contents(garbage, "this is not a dtb or a "
                                      "kernel, just text\n", -1, NULL));
    memcpy(bzimg + 0x202, "HdrS", 4);
    g_assert_true(g_file_set_contents(bz, bzimg, sizeof(bzimg), NULL));
    /* an Image whose PE header says it is longer than the file */
    memcpy(mz, "MZ", 2);
    mz[0x3c] = 0x40;
    memcpy(mz + 0x38, "ARM\x64", 4);
    memcpy(mz + 0x40, "PE\0\0", 4);
    mz[0x40 + 6] = 1;                       /* one section */
    mz[0x58 + 16] = 0x00;                   /* SizeOfRawData 0x100000 */
    mz[0x58 + 18] = 0x10;
    g_assert_true(g_file_set_contents(trunc, mz, sizeof(mz), NULL));
    f = fopen(huge, "w");
    g_assert_nonnull(f);
    g_assert_cmpint(ftruncate(fileno(f), 200 * 1024 * 1024), ==, 0);
    fclose(f);

    expect_error("-M virt,gic-version=5", "gic-version");
    expect_error("-smp 9", "at most 8 CPUs");
    args = g_strdup_printf("-dtb %s", garbage);
    expect_error(args, "not a flattened device tree");
    g_free(args);
    args = g_strdup_printf("-kernel %s", garbage);
    expect_error(args, "not an arm64 kernel");
    g_free(args);
    args = g_strdup_printf("-kernel %s", trunc);
    expect_error(args, "truncated");
    g_free(args);
    args = g_strdup_printf("-kernel %s", bz);
    expect_error(args, "x86 bzImage");
    g_free(args);
    args = g_strdup_printf("-kernel %s", x86elf);
    expect_error(args, "x86-64");
    g_free(args);
    args = g_strdup_printf("-m 128 -kernel %s -initrd %s", image, huge);
    expect_error(args, "does not fit in RAM");
    g_free(args);
    /* a board failure after its CPUs exist: main reports it and exits */
    args = g_strdup_printf("-smp 2 -bios %s", huge);
    expect_error(args, "-bios: ");
    g_free(args);
    args = NULL;

    unlink(garbage);
    unlink(trunc);
    unlink(huge);
    unlink(x86elf);
    unlink(image);
    unlink(bz);
    rmdir(dir);
}

static void test_user_dtb(void)
{
    g_autofree char *dir = g_dir_make_tmp("virt-test-XXXXXX", NULL);
    g_autofree char *dtb = g_build_filename(dir, "in.dtb", NULL);
    g_autofree char *out = g_build_filename(dir, "out.dtb", NULL);
    g_autofree char *args = NULL;
    g_autofree char *err = NULL;
    void *fdt = g_malloc0(4096);
    gchar *data;
    gsize len;

    g_assert_cmpint(fdt_create_empty_tree(fdt, 4096), ==, 0);
    g_assert_cmpint(fdt_setprop_string(fdt, 0, "model", "user tree"), ==, 0);
    g_assert_true(g_file_set_contents(dtb, fdt, fdt_totalsize(fdt), NULL));
    args = g_strdup_printf("-M virt,dumpdtb=%s -nodefaults -display none "
                           "-dtb %s", out, dtb);
    g_assert_cmpint(qtest_run(qtest_binary(), args, NULL, &err), ==, 0);
    g_assert_true(g_file_get_contents(out, &data, &len, NULL));
    g_assert_cmpstr(fdt_getprop(data, 0, "model", NULL), ==, "user tree");
    g_assert_cmpint(fdt_path_offset(data, "/chosen"), >=, 0);
    g_free(data);
    g_free(fdt);
    unlink(dtb);
    unlink(out);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virt/memmap", test_memmap);
    g_test_add_func("/virt/virtio-mmio-slots", test_virtio_mmio_slots);
    g_test_add_func("/virt/irq-wiring", test_irq_wiring);
    g_test_add_func("/virt/power-button", test_power_button);
    g_test_add_func("/virt/fdt", test_fdt);
    g_test_add_func("/virt/user-dtb", test_user_dtb);
    g_test_add_func("/virt/psci-elf", test_psci_elf);
    g_test_add_func("/virt/psci-image", test_psci_image);
    g_test_add_func("/virt/psci-cpu-on", test_psci_cpu_on);
    g_test_add_func("/virt/psci-reset", test_psci_reset);
    g_test_add_func("/virt/gicv3-sysregs", test_gicv3_sysregs);
    g_test_add_func("/virt/bad-inputs", test_bad_inputs);
    return g_test_run();
}
