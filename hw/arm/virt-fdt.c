/*
 * The virt board's device tree, built with libfdt from the same memory
 * and IRQ maps the board wires its devices from (hw/arm/virt.c), with the
 * nodes, compatibles and properties QEMU's virt machine gives Linux.
 * Bindings: Documentation/devicetree/bindings (arm/psci, timer/arm,
 * interrupt-controller/arm,gic, serial/pl011, rtc/pl031, gpio/pl061,
 * input/gpio-keys, virtio/mmio, firmware/qemu,fw-cfg-mmio).
 *
 * PCIe: Documentation/devicetree/bindings/pci/host-generic-pci.yaml and
 * interrupt-controller/arm,gic (v2m frame).
 *
 * Not described because not emulated: the CFI flash (the banks are plain
 * ROM), the PMU.
 */
#include "turtle/osdep.h"
#include "hw/arm/virt.h"
#include "hw/intc/arm_gic.h"
#include "hw/intc/arm_gicv3.h"
#include "hw/pci-host/gpex.h"
#include "target/arm/cpu.h"
#include <libfdt.h>

#define VIRT_FDT_SIZE       (64 * 1024)
#define VIRT_APB_CLOCK_HZ   24000000

/* interrupts cells: type, number, flags */
#define GIC_FDT_IRQ_TYPE_SPI        0
#define GIC_FDT_IRQ_TYPE_PPI        1
#define GIC_FDT_IRQ_FLAGS_EDGE_LO_HI 1
#define GIC_FDT_IRQ_FLAGS_LEVEL_HI  4
#define GIC_FDT_IRQ_PPI_CPU_SHIFT   8

enum {
    PHANDLE_CLOCK = 0x8000,
    PHANDLE_GIC,
    PHANDLE_GPIO,
    PHANDLE_MSI,
    PHANDLE_CPU0,
};

/* Every libfdt call of the builder goes through this: first error wins. */
typedef struct FdtBuilder {
    void *fdt;
    int err;
    const char *what;
} FdtBuilder;

static void fb_check(FdtBuilder *fb, int ret, const char *what)
{
    if (ret < 0 && !fb->err) {
        fb->err = ret;
        fb->what = what;
    }
}

static int fb_node(FdtBuilder *fb, int parent, const char *name)
{
    int off;

    if (fb->err) {
        return -1;
    }
    off = fdt_add_subnode(fb->fdt, parent, name);
    fb_check(fb, off, name);
    return off;
}

static void fb_str(FdtBuilder *fb, int node, const char *prop, const char *v)
{
    if (!fb->err) {
        fb_check(fb, fdt_setprop_string(fb->fdt, node, prop, v), prop);
    }
}

/* A string list given as "a\0b\0c" with its total length. */
static void fb_strs(FdtBuilder *fb, int node, const char *prop,
                    const char *v, int len)
{
    if (!fb->err) {
        fb_check(fb, fdt_setprop(fb->fdt, node, prop, v, len), prop);
    }
}

static void fb_u32(FdtBuilder *fb, int node, const char *prop, uint32_t v)
{
    if (!fb->err) {
        fb_check(fb, fdt_setprop_u32(fb->fdt, node, prop, v), prop);
    }
}

static void fb_empty(FdtBuilder *fb, int node, const char *prop)
{
    if (!fb->err) {
        fb_check(fb, fdt_setprop_empty(fb->fdt, node, prop), prop);
    }
}

static void fb_cells(FdtBuilder *fb, int node, const char *prop,
                     const uint32_t *cells, int n)
{
    fdt32_t be[32];

    assert(n <= 32);
    for (int i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    if (!fb->err) {
        fb_check(fb, fdt_setprop(fb->fdt, node, prop, be, n * 4), prop);
    }
}

/* reg = <base size> with two cells each */
static void fb_reg(FdtBuilder *fb, int node, hwaddr base, hwaddr size)
{
    uint32_t c[4] = { base >> 32, base, size >> 32, size };

    fb_cells(fb, node, "reg", c, 4);
}

static void fb_spi(FdtBuilder *fb, int node, int spi, uint32_t flags)
{
    uint32_t c[3] = { GIC_FDT_IRQ_TYPE_SPI, spi, flags };

    fb_cells(fb, node, "interrupts", c, 3);
}

static int fb_device(FdtBuilder *fb, const char *prefix, VirtMemMapEntry e)
{
    g_autofree char *name = g_strdup_printf("%s@%" HWADDR_PRIx, prefix,
                                            virt_memmap[e].base);
    int node = fb_node(fb, 0, name);

    fb_reg(fb, node, virt_memmap[e].base, virt_memmap[e].size);
    return node;
}

/* "cortex-a57-arm-cpu" -> "arm,cortex-a57"; "max" -> "arm,arm-v8" */
static char *virt_cpu_compatible(const char *cpu_type)
{
    const char *suffix = strstr(cpu_type, ARM_CPU_TYPE_SUFFIX);
    g_autofree char *model = suffix ? g_strndup(cpu_type, suffix - cpu_type)
                                    : g_strdup(cpu_type);

    if (!strcmp(model, "max")) {
        return g_strdup("arm,arm-v8");
    }
    return g_strdup_printf("arm,%s", model);
}

static void virt_fdt_cpus(FdtBuilder *fb, MachineState *ms)
{
    g_autofree char *compat = virt_cpu_compatible(ms->cpu_type);
    int cpus = fb_node(fb, 0, "cpus");

    fb_u32(fb, cpus, "#address-cells", 1);
    fb_u32(fb, cpus, "#size-cells", 0);
    /* added last to first: libfdt puts each new node first */
    for (int i = ms->smp_cpus - 1; i >= 0; i--) {
        CPUState *cs = qemu_get_cpu(i);
        g_autofree char *name = g_strdup_printf("cpu@%" PRIx64,
                                                cs->mp_affinity);
        int node = fb_node(fb, cpus, name);

        fb_str(fb, node, "device_type", "cpu");
        fb_str(fb, node, "compatible", compat);
        fb_u32(fb, node, "reg", cs->mp_affinity);
        fb_str(fb, node, "enable-method", "psci");
        fb_u32(fb, node, "phandle", PHANDLE_CPU0 + i);
    }
}

static void virt_fdt_timer(FdtBuilder *fb, VirtMachineState *vms,
                           MachineState *ms)
{
    static const char compat[] = "arm,armv8-timer\0arm,armv7-timer";
    /* GICv2 PPI flags carry the CPU mask; GICv3 ones do not */
    uint32_t flags = GIC_FDT_IRQ_FLAGS_LEVEL_HI |
                     (vms->gic_version == 2 ?
                      ((1u << MIN(ms->smp_cpus, 8)) - 1)
                      << GIC_FDT_IRQ_PPI_CPU_SHIFT : 0);
    /* secure, non-secure physical, virtual, hypervisor (binding order) */
    uint32_t irqs[12] = {
        GIC_FDT_IRQ_TYPE_PPI, VIRT_PPI_CNTPS, flags,
        GIC_FDT_IRQ_TYPE_PPI, VIRT_PPI_CNTP, flags,
        GIC_FDT_IRQ_TYPE_PPI, VIRT_PPI_CNTV, flags,
        GIC_FDT_IRQ_TYPE_PPI, VIRT_PPI_CNTHP, flags,
    };
    int node = fb_node(fb, 0, "timer");

    fb_strs(fb, node, "compatible", compat, sizeof(compat));
    fb_cells(fb, node, "interrupts", irqs, 12);
    fb_empty(fb, node, "always-on");
}

static void virt_fdt_gic(FdtBuilder *fb, VirtMachineState *vms,
                         MachineState *ms)
{
    VirtMemMapEntry cpu = vms->gic_version == 3 ? VIRT_GIC_REDIST
                                                : VIRT_GIC_CPU;
    hwaddr cpu_size = vms->gic_version == 3 ?
                      (hwaddr)ms->smp_cpus * GICV3_REDIST_SIZE :
                      virt_memmap[VIRT_GIC_CPU].size;
    uint32_t reg[8] = {
        0, virt_memmap[VIRT_GIC_DIST].base, 0, virt_memmap[VIRT_GIC_DIST].size,
        0, virt_memmap[cpu].base, 0, cpu_size,
    };
    int node = fb_node(fb, 0, "intc@8000000");

    if (vms->gic_version == 3) {
        fb_str(fb, node, "compatible", "arm,gic-v3");
        fb_u32(fb, node, "#redistributor-regions", 1);
    } else {
        fb_str(fb, node, "compatible", "arm,cortex-a15-gic");
    }
    fb_u32(fb, node, "#interrupt-cells", 3);
    fb_empty(fb, node, "interrupt-controller");
    fb_u32(fb, node, "#address-cells", 2);
    fb_u32(fb, node, "#size-cells", 2);
    fb_empty(fb, node, "ranges");
    fb_cells(fb, node, "reg", reg, 8);
    fb_u32(fb, node, "phandle", PHANDLE_GIC);

    if (vms->v2m) {
        int v2m = fb_node(fb, node, "v2m@8020000");

        fb_str(fb, v2m, "compatible", "arm,gic-v2m-frame");
        fb_empty(fb, v2m, "msi-controller");
        fb_reg(fb, v2m, virt_memmap[VIRT_GIC_V2M].base,
               virt_memmap[VIRT_GIC_V2M].size);
        fb_u32(fb, v2m, "phandle", PHANDLE_MSI);
    }
}

/* The generic ECAM host: windows in "ranges", INTx in "interrupt-map"
 * (slot and pin swizzled as the host does), MSIs to the v2m frame. */
static void virt_fdt_pcie(FdtBuilder *fb, VirtMachineState *vms)
{
    const VirtMemMap *ecam = &virt_memmap[VIRT_HIGH_PCIE_ECAM];
    const VirtMemMap *mmio = &virt_memmap[VIRT_PCIE_MMIO];
    const VirtMemMap *high = &virt_memmap[VIRT_HIGH_PCIE_MMIO];
    const VirtMemMap *pio = &virt_memmap[VIRT_PCIE_PIO];
    g_autofree char *name = g_strdup_printf("pcie@%" HWADDR_PRIx, mmio->base);
    /* phys.hi: space code 01 I/O, 10 32-bit memory, 11 64-bit memory */
    uint32_t ranges[] = {
        0x01000000, 0, 0, pio->base >> 32, pio->base, 0, pio->size,
        0x02000000, mmio->base >> 32, mmio->base, mmio->base >> 32,
        mmio->base, 0, mmio->size,
        0x03000000, high->base >> 32, high->base, high->base >> 32,
        high->base, high->size >> 32, high->size,
    };
    uint32_t bus_range[2] = { 0, (ecam->size >> 20) - 1 };
    uint32_t mask[4] = { 0x1800, 0, 0, 7 };
    /* per slot and pin: child (3 cells + pin), GIC phandle, GIC unit
     * address (2 cells), SPI specifier (3 cells) */
    fdt32_t map[4 * 4 * 10];
    int node = fb_node(fb, 0, name), i = 0;

    for (int slot = 0; slot < 4; slot++) {
        for (int pin = 0; pin < 4; pin++) {
            uint32_t e[10] = {
                slot << 11, 0, 0, pin + 1, PHANDLE_GIC, 0, 0,
                GIC_FDT_IRQ_TYPE_SPI,
                virt_irqmap[VIRT_PCIE] + (slot + pin) % GPEX_NUM_IRQS,
                GIC_FDT_IRQ_FLAGS_LEVEL_HI,
            };

            for (int c = 0; c < 10; c++) {
                map[i++] = cpu_to_fdt32(e[c]);
            }
        }
    }
    fb_str(fb, node, "compatible", "pci-host-ecam-generic");
    fb_str(fb, node, "device_type", "pci");
    fb_u32(fb, node, "#address-cells", 3);
    fb_u32(fb, node, "#size-cells", 2);
    fb_u32(fb, node, "linux,pci-domain", 0);
    fb_cells(fb, node, "bus-range", bus_range, 2);
    fb_empty(fb, node, "dma-coherent");
    fb_reg(fb, node, ecam->base, ecam->size);
    fb_cells(fb, node, "ranges", ranges, G_N_ELEMENTS(ranges));
    if (vms->v2m) {
        fb_u32(fb, node, "msi-parent", PHANDLE_MSI);
    }
    fb_u32(fb, node, "#interrupt-cells", 1);
    fb_cells(fb, node, "interrupt-map-mask", mask, 4);
    if (!fb->err) {
        fb_check(fb, fdt_setprop(fb->fdt, node, "interrupt-map", map,
                                 sizeof(map)), "interrupt-map");
    }
}

static void virt_fdt_primecell(FdtBuilder *fb, int node, const char *model,
                               int spi, bool uartclk)
{
    g_autofree char *compat = g_strdup_printf("arm,%s", model);
    size_t len = strlen(compat) + 1;
    g_autofree char *list = g_malloc(len + sizeof("arm,primecell"));
    static const char uart_clock_names[] = "uartclk\0apb_pclk";
    uint32_t clocks[2] = { PHANDLE_CLOCK, PHANDLE_CLOCK };

    memcpy(list, compat, len);
    memcpy(list + len, "arm,primecell", sizeof("arm,primecell"));
    fb_strs(fb, node, "compatible", list, len + sizeof("arm,primecell"));
    fb_spi(fb, node, spi, GIC_FDT_IRQ_FLAGS_LEVEL_HI);
    if (uartclk) {
        fb_cells(fb, node, "clocks", clocks, 2);
        fb_strs(fb, node, "clock-names", uart_clock_names,
                sizeof(uart_clock_names));
    } else {
        fb_cells(fb, node, "clocks", clocks, 1);
        fb_str(fb, node, "clock-names", "apb_pclk");
    }
}

static void virt_fdt_devices(FdtBuilder *fb)
{
    g_autofree char *uart_path = g_strdup_printf("/pl011@%" HWADDR_PRIx,
                                                 virt_memmap[VIRT_UART].base);
    uint32_t gpio_key[3] = { PHANDLE_GPIO, VIRT_GPIO_POWER_KEY, 0 };
    int node, key;

    node = fb_node(fb, 0, "apb-pclk");
    fb_str(fb, node, "compatible", "fixed-clock");
    fb_u32(fb, node, "#clock-cells", 0);
    fb_u32(fb, node, "clock-frequency", VIRT_APB_CLOCK_HZ);
    fb_str(fb, node, "clock-output-names", "clk24mhz");
    fb_u32(fb, node, "phandle", PHANDLE_CLOCK);

    node = fb_device(fb, "pl011", VIRT_UART);
    virt_fdt_primecell(fb, node, "pl011", virt_irqmap[VIRT_UART], true);

    node = fb_device(fb, "pl031", VIRT_RTC);
    virt_fdt_primecell(fb, node, "pl031", virt_irqmap[VIRT_RTC], false);

    node = fb_device(fb, "pl061", VIRT_GPIO);
    virt_fdt_primecell(fb, node, "pl061", virt_irqmap[VIRT_GPIO], false);
    fb_u32(fb, node, "#gpio-cells", 2);
    fb_empty(fb, node, "gpio-controller");
    fb_u32(fb, node, "phandle", PHANDLE_GPIO);

    node = fb_node(fb, 0, "gpio-keys");
    fb_str(fb, node, "compatible", "gpio-keys");
    key = fb_node(fb, node, "poweroff");
    fb_str(fb, key, "label", "GPIO Key Poweroff");
    fb_u32(fb, key, "linux,code", VIRT_KEY_POWER);
    fb_cells(fb, key, "gpios", gpio_key, 3);

    node = fb_device(fb, "fw-cfg", VIRT_FW_CFG);
    fb_str(fb, node, "compatible", "qemu,fw-cfg-mmio");
    fb_empty(fb, node, "dma-coherent");

    /* highest first, so the tree lists (and Linux probes) them upwards */
    for (int i = VIRT_NUM_MMIO - 1; i >= 0; i--) {
        hwaddr base = virt_memmap[VIRT_MMIO].base +
                      i * virt_memmap[VIRT_MMIO].size;
        g_autofree char *name = g_strdup_printf("virtio_mmio@%" HWADDR_PRIx,
                                                base);

        node = fb_node(fb, 0, name);
        fb_str(fb, node, "compatible", "virtio,mmio");
        fb_reg(fb, node, base, virt_memmap[VIRT_MMIO].size);
        fb_spi(fb, node, virt_irqmap[VIRT_MMIO] + i,
               GIC_FDT_IRQ_FLAGS_EDGE_LO_HI);
        fb_empty(fb, node, "dma-coherent");
    }

    node = fb_node(fb, 0, "chosen");
    fb_str(fb, node, "stdout-path", uart_path);
    node = fb_node(fb, 0, "aliases");
    fb_str(fb, node, "serial0", uart_path);
}

bool virt_fdt_build(VirtMachineState *vms, Error **errp)
{
    MachineState *ms = MACHINE(vms);
    static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
    FdtBuilder fb = { .fdt = g_malloc0(VIRT_FDT_SIZE) };
    g_autofree char *mem_name = g_strdup_printf("memory@%" HWADDR_PRIx,
                                                virt_memmap[VIRT_MEM].base);
    int node;

    fb_check(&fb, fdt_create_empty_tree(fb.fdt, VIRT_FDT_SIZE), "tree");
    fb_str(&fb, 0, "compatible", "linux,dummy-virt");
    fb_str(&fb, 0, "model", "linux,dummy-virt");
    fb_u32(&fb, 0, "#address-cells", 2);
    fb_u32(&fb, 0, "#size-cells", 2);
    fb_u32(&fb, 0, "interrupt-parent", PHANDLE_GIC);

    virt_fdt_devices(&fb);
    virt_fdt_gic(&fb, vms, ms);
    virt_fdt_pcie(&fb, vms);
    virt_fdt_timer(&fb, vms, ms);
    virt_fdt_cpus(&fb, ms);

    node = fb_node(&fb, 0, mem_name);
    fb_str(&fb, node, "device_type", "memory");
    fb_reg(&fb, node, virt_memmap[VIRT_MEM].base, ms->ram_size);

    node = fb_node(&fb, 0, "psci");
    fb_strs(&fb, node, "compatible", psci_compat, sizeof(psci_compat));
    fb_str(&fb, node, "method",
           vms->psci.conduit == PSCI_CONDUIT_SMC ? "smc" : "hvc");
    fb_u32(&fb, node, "cpu_suspend",
           PSCI_FN_CPU_SUSPEND | PSCI_0_2_64BIT);
    fb_u32(&fb, node, "cpu_off", PSCI_FN_CPU_OFF);
    fb_u32(&fb, node, "cpu_on", PSCI_FN_CPU_ON | PSCI_0_2_64BIT);
    fb_u32(&fb, node, "migrate", PSCI_FN_MIGRATE | PSCI_0_2_64BIT);

    if (fb.err) {
        error_setg(errp, "building the device tree failed at '%s': %s",
                   fb.what, fdt_strerror(fb.err));
        g_free(fb.fdt);
        return false;
    }
    vms->fdt = fb.fdt;
    vms->fdt_size = VIRT_FDT_SIZE;
    return true;
}
