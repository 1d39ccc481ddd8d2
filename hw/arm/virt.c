/*
 * "virt": QEMU-compatible Arm virtual machine (AArch64).
 *
 * Memory map (virt_memmap[], QEMU's addresses):
 *   0x00000000  flash: two 64 MiB banks (ROM; -bios loads bank 0)
 *   0x08000000  GICv2 distributor         0x08010000  GICv2 CPU interface
 *   0x09000000  PL011 UART (SPI 1)        0x09010000  PL031 RTC (SPI 2)
 *   0x09020000  fw_cfg (MMIO, DMA)        0x09030000  PL061 GPIO (SPI 7)
 *   0x0a000000  32 virtio-mmio slots, 0x200 apart (SPI 16..47)
 *   0x08020000  GICv2m MSI frame (SPIs 48..111; GICv2 only)
 *   0x10000000  PCIe 32-bit MMIO window (identity-mapped PCI addresses)
 *   0x3eff0000  PCIe I/O window, 64 KiB (PCI I/O 0..0xffff)
 *   0x40000000  RAM (-m, up to 255 GiB)
 *   0x4010000000 PCIe ECAM, 256 buses (QEMU's "high" ECAM)
 *   0x8000000000 PCIe 64-bit MMIO window, 512 GiB
 * PCIe INTA..INTD: SPIs 3..6 after the (slot + pin) % 4 swizzle; MSIs
 * through the GICv2m frame (gic-version=3 has no ITS yet: INTx only).
 * With gic-version=3: GICv3 distributor 0x08000000, redistributors
 * 0x080a0000 (128 KiB per CPU).
 *
 * Machine options: gic-version=2|3|host|max (host and max mean 3; the
 * GICv3 CPU interface reaches the CPUs through
 * hw/arm/arm-cpu-external-regs.h), virtualization=on|off (EL2: the CPUs
 * start the kernel at EL2h and PSCI is called with SMC), dumpdtb=FILE.
 * -semihosting works as on QEMU's virt (HLT #0xF000).
 *
 * CPUs: -smp N (at most 8 with GICv2, 123 with GICv3), MPIDR Aff1 = n / 8,
 * Aff0 = n % 8 (GICv3: 16 per cluster); CPU 0 starts the kernel, the
 * others are off until PSCI CPU_ON (HVC, or SMC with virtualization=on).
 */
#include "turtle/osdep.h"
#include "hw/arm/virt.h"
#include "hw/intc/arm_gic.h"
#include "hw/intc/arm_gicv3.h"
#include "hw/arm/arm-cpu-external-regs.h"
#include "hw/char/pl011.h"
#include "hw/gpio/pl061.h"
#include "hw/timer/pl031.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/intc/arm_gicv2m.h"
#include "hw/pci-host/gpex.h"
#include "hw/block/block.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/core/loader.h"
#include "target/arm/cpu.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"
#include "turtle/timer.h"
#include <libfdt.h>


const VirtMemMap virt_memmap[VIRT_MEMMAP_ENTRIES] = {
    [VIRT_FLASH] =      { 0x00000000, 0x08000000 },
    [VIRT_GIC_DIST] =   { 0x08000000, 0x00010000 },
    [VIRT_GIC_CPU] =    { 0x08010000, 0x00010000 },
    [VIRT_GIC_V2M] =    { 0x08020000, 0x00001000 },
    [VIRT_GIC_REDIST] = { 0x080a0000, 0x00f60000 },
    [VIRT_UART] =       { 0x09000000, 0x00001000 },
    [VIRT_RTC] =        { 0x09010000, 0x00001000 },
    [VIRT_FW_CFG] =     { 0x09020000, 0x00000018 },
    [VIRT_GPIO] =       { 0x09030000, 0x00001000 },
    [VIRT_MMIO] =       { 0x0a000000, 0x00000200 },
    [VIRT_PCIE_MMIO] =  { 0x10000000, 0x2eff0000 },
    [VIRT_PCIE_PIO] =   { 0x3eff0000, 0x00010000 },
    [VIRT_PCIE_ECAM] =  { 0x3f000000, 0x01000000 },   /* low: not used */
    [VIRT_MEM] =        { 0x40000000, 255 * GiB },
    [VIRT_HIGH_PCIE_ECAM] = { 0x4010000000, 0x10000000 },
    [VIRT_HIGH_PCIE_MMIO] = { 0x8000000000, 0x8000000000 },
};

const int virt_irqmap[VIRT_MEMMAP_ENTRIES] = {
    [VIRT_UART] = 1,
    [VIRT_RTC] = 2,
    [VIRT_GPIO] = 7,
    [VIRT_MMIO] = 16,       /* ... 16 + VIRT_NUM_MMIO - 1 */
    [VIRT_PCIE] = 3,        /* INTA..INTD: 3..6 */
    [VIRT_GIC_V2M] = 48,    /* ... 48 + VIRT_NUM_V2M_SPIS - 1 */
};

static qemu_irq virt_spi(VirtMachineState *vms, int spi)
{
    return qdev_get_gpio_in(vms->gic, spi);
}

/* -M virt,gic-version=: 2, or 3 under its aliases host and max */
static bool virt_parse_gic_version(VirtMachineState *vms, Error **errp)
{
    const char *v = vms->gic_version_str;

    if (!v || !strcmp(v, "2")) {
        vms->gic_version = 2;
        return true;
    }
    if (!strcmp(v, "3") || !strcmp(v, "host") || !strcmp(v, "max")) {
        vms->gic_version = 3;
        return true;
    }
    error_setg(errp, "invalid gic-version '%s' (valid: 2, 3, host, max)", v);
    return false;
}

static bool virt_create_flash(VirtMachineState *vms, MachineState *ms,
                              Error **errp)
{
    hwaddr bank = virt_memmap[VIRT_FLASH].size / 2;

    /* pflash is not emulated yet: each bank is ROM (firmware is read-only) */
    for (int i = 0; i < 2; i++) {
        if (!memory_region_init_rom(&vms->flash[i], OBJECT(ms),
                                    i ? "virt.flash1" : "virt.flash0", bank,
                                    errp)) {
            return false;
        }
        memory_region_add_subregion(get_system_memory(),
                                    virt_memmap[VIRT_FLASH].base + i * bank,
                                    &vms->flash[i]);
    }
    if (ms->firmware &&
        load_image_targphys(ms->firmware, virt_memmap[VIRT_FLASH].base,
                            bank, errp) < 0) {
        error_prepend(errp, "-bios: ");
        return false;
    }
    return true;
}

/* MPIDR: clusters of 8 CPUs (GICv2 target masks) or 16 (GICv3 SGI lists) */
static bool virt_create_cpus(VirtMachineState *vms, MachineState *ms,
                             Error **errp)
{
    unsigned cluster = vms->gic_version == 3 ? 16 : 8;

    for (unsigned i = 0; i < ms->smp_cpus; i++) {
        DeviceState *dev = qdev_new(ms->cpu_type);

        CPU(dev)->mp_affinity = ((i / cluster) << 8) | (i % cluster);
        ARM_CPU(dev)->has_el2 = vms->virtualization;
        if (!qdev_realize_and_unref(dev, NULL, errp) ||
            !cpus_start_vcpu(CPU(dev), errp)) {
            return false;
        }
    }
    return true;
}

static bool virt_create_gic(VirtMachineState *vms, MachineState *ms,
                            Error **errp)
{
    SysBusDevice *sbd;
    uint32_t num_irq = GIC_INTERNAL + VIRT_NUM_SPIS;
    static const int timer_ppi[NUM_GTIMERS] = {
        [GTIMER_PHYS] = VIRT_PPI_CNTP, [GTIMER_VIRT] = VIRT_PPI_CNTV,
        [GTIMER_HYP] = VIRT_PPI_CNTHP, [GTIMER_SEC] = VIRT_PPI_CNTPS,
    };

    vms->gic = qdev_new(vms->gic_version == 3 ? TYPE_ARM_GICV3
                                              : TYPE_ARM_GIC);
    qdev_set_id(vms->gic, "gic");
    qdev_prop_set_uint32(vms->gic, "num-cpu", ms->smp_cpus);
    qdev_prop_set_uint32(vms->gic, "num-irq", num_irq);
    sbd = SYS_BUS_DEVICE(vms->gic);
    if (!sysbus_realize_and_unref(sbd, errp)) {
        return false;
    }
    /* both versions: region 0 the distributor, 1 the CPU side */
    sysbus_mmio_map(sbd, 0, virt_memmap[VIRT_GIC_DIST].base);
    sysbus_mmio_map(sbd, 1, virt_memmap[vms->gic_version == 3 ?
                                       VIRT_GIC_REDIST : VIRT_GIC_CPU].base);

    for (unsigned i = 0; i < ms->smp_cpus; i++) {
        DeviceState *cpu = DEVICE(qemu_get_cpu(i));

        for (int t = 0; t < NUM_GTIMERS; t++) {
            int intid = 16 + timer_ppi[t];

            qdev_connect_gpio_out_named(cpu, "gt-timer", t,
                qdev_get_gpio_in(vms->gic,
                                 arm_gic_ppi_index(num_irq, i, intid)));
        }
        sysbus_connect_irq(sbd, i, qdev_get_gpio_in(cpu, ARM_CPU_IRQ));
        sysbus_connect_irq(sbd, ms->smp_cpus + i,
                           qdev_get_gpio_in(cpu, ARM_CPU_FIQ));
        if (vms->gic_version == 3) {
            arm_cpu_set_external_regs(CPU(cpu), gicv3_cpuif_regs,
                                      gicv3_cpuif_num_regs,
                                      &ARM_GICV3(vms->gic)->cpu[i],
                                      ARM_EXTREGS_GIC_SYSREGS);
        }
    }
    return true;
}

/* ---- power button: PL061 line 3, a 100 ms press ---- */

static void virt_power_key_release(void *opaque)
{
    VirtMachineState *vms = opaque;

    qemu_set_irq(qdev_get_gpio_in(vms->gpio, VIRT_GPIO_POWER_KEY), 0);
}

static void virt_powerdown_req(void *opaque)
{
    VirtMachineState *vms = opaque;

    qemu_set_irq(qdev_get_gpio_in(vms->gpio, VIRT_GPIO_POWER_KEY), 1);
    timer_mod(vms->power_key_timer,
              qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + 100);
}

static void virt_create_devices(VirtMachineState *vms, MachineState *ms)
{
    FWCfgState *fw_cfg;

    vms->uart = pl011_create(virt_memmap[VIRT_UART].base,
                             virt_spi(vms, virt_irqmap[VIRT_UART]),
                             serial_hd(0));
    sysbus_create_simple(TYPE_PL031, virt_memmap[VIRT_RTC].base,
                         virt_spi(vms, virt_irqmap[VIRT_RTC]));
    vms->gpio = sysbus_create_simple(TYPE_PL061, virt_memmap[VIRT_GPIO].base,
                                     virt_spi(vms, virt_irqmap[VIRT_GPIO]));
    vms->power_key_timer = timer_new_ms(QEMU_CLOCK_VIRTUAL,
                                        virt_power_key_release, vms);
    qemu_register_powerdown_notifier(virt_powerdown_req, vms);

    fw_cfg = fw_cfg_init_mem_dma(virt_memmap[VIRT_FW_CFG].base,
                                 &address_space_memory);
    fw_cfg_add_i16(fw_cfg, FW_CFG_NB_CPUS, ms->smp_cpus);
    vms->fw_cfg = DEVICE(fw_cfg);

    /* highest address first: -device virtio-*-device takes the first free
     * transport, so the first one lands at 0x0a003e00, as on QEMU */
    for (int i = VIRT_NUM_MMIO - 1; i >= 0; i--) {
        vms->mmio[i] = sysbus_create_simple(TYPE_VIRTIO_MMIO,
            virt_memmap[VIRT_MMIO].base + i * virt_memmap[VIRT_MMIO].size,
            virt_spi(vms, virt_irqmap[VIRT_MMIO] + i));
    }
}

/* ---- PCIe: the gpex host, its windows, INTx and MSI ---- */

static void virt_create_pcie(VirtMachineState *vms)
{
    SysBusDevice *sbd;
    MemoryRegion *mem;

    if (vms->gic_version == 2) {
        vms->v2m = qdev_new(TYPE_ARM_GICV2M);
        qdev_prop_set_uint32(vms->v2m, "base-spi",
                             virt_irqmap[VIRT_GIC_V2M]);
        qdev_prop_set_uint32(vms->v2m, "num-spi", VIRT_NUM_V2M_SPIS);
        sbd = SYS_BUS_DEVICE(vms->v2m);
        sysbus_realize_and_unref(sbd, &error_fatal);
        sysbus_mmio_map(sbd, 0, virt_memmap[VIRT_GIC_V2M].base);
        for (int i = 0; i < VIRT_NUM_V2M_SPIS; i++) {
            sysbus_connect_irq(sbd, i,
                               virt_spi(vms, virt_irqmap[VIRT_GIC_V2M] + i));
        }
    }

    vms->pcie = qdev_new(TYPE_GPEX_HOST);
    qdev_prop_set_uint32(vms->pcie, "ecam-buses",
                         virt_memmap[VIRT_HIGH_PCIE_ECAM].size >> 20);
    sbd = SYS_BUS_DEVICE(vms->pcie);
    sysbus_realize_and_unref(sbd, &error_fatal);
    sysbus_mmio_map(sbd, 0, virt_memmap[VIRT_HIGH_PCIE_ECAM].base);
    /* PCI memory addresses are CPU addresses in both windows */
    mem = sysbus_mmio_get_region(sbd, 1);
    memory_region_init_alias(&vms->pcie_mmio_alias, OBJECT(vms->pcie),
                             "pcie-mmio-low", mem,
                             virt_memmap[VIRT_PCIE_MMIO].base,
                             virt_memmap[VIRT_PCIE_MMIO].size);
    memory_region_add_subregion(get_system_memory(),
                                virt_memmap[VIRT_PCIE_MMIO].base,
                                &vms->pcie_mmio_alias);
    memory_region_init_alias(&vms->pcie_high_mmio_alias, OBJECT(vms->pcie),
                             "pcie-mmio-high", mem,
                             virt_memmap[VIRT_HIGH_PCIE_MMIO].base,
                             virt_memmap[VIRT_HIGH_PCIE_MMIO].size);
    memory_region_add_subregion(get_system_memory(),
                                virt_memmap[VIRT_HIGH_PCIE_MMIO].base,
                                &vms->pcie_high_mmio_alias);
    sysbus_mmio_map(sbd, 2, virt_memmap[VIRT_PCIE_PIO].base);
    for (int i = 0; i < GPEX_NUM_IRQS; i++) {
        sysbus_connect_irq(sbd, i, virt_spi(vms, virt_irqmap[VIRT_PCIE] + i));
    }
}

/* -drive if=virtio (the default interface, also -hda): a virtio-blk-pci
 * on the root bus for each, in index order, as QEMU's virt. */
static void virt_create_virtio_drives(VirtMachineState *vms)
{
    g_autofree DriveInfo **drives = drive_list("virtio");
    PCIBus *bus = GPEX_HOST(vms->pcie)->bus;

    for (DriveInfo **d = drives; d && *d; d++) {
        DeviceState *dev = qdev_new("virtio-blk-pci");

        if (!qdev_prop_set_drive(DEVICE(virtio_pci_get_vdev(PCI_DEVICE(dev))),
                                 "drive", (*d)->blk, &error_fatal)) {
            return;
        }
        qdev_realize_and_unref(dev, BUS(bus), &error_fatal);
    }
}

/* -dtb FILE: the user's tree, with /chosen updated as for ours. */
static bool virt_load_user_dtb(VirtMachineState *vms, const char *path,
                               Error **errp)
{
    g_autofree uint8_t *data = NULL;
    size_t size;
    int err;

    if (!load_file(path, 2 * 1024 * 1024, &data, &size, errp)) {
        return false;
    }
    /* fdt_check_header reads the 40-byte header: check there is one */
    err = size < 40 ? -FDT_ERR_TRUNCATED : fdt_check_header(data);
    if (!err && fdt_totalsize(data) > size) {
        err = -FDT_ERR_TRUNCATED;
    }
    if (err) {
        error_setg(errp, "-dtb '%s' is not a flattened device tree: %s",
                   path, fdt_strerror(err));
        return false;
    }
    vms->fdt_size = fdt_totalsize(data) + 4096;
    vms->fdt = g_malloc0(vms->fdt_size);
    if (fdt_open_into(data, vms->fdt, vms->fdt_size) != 0) {
        error_setg(errp, "-dtb '%s': cannot open the device tree", path);
        return false;
    }
    return true;
}

/* /chosen: command line and initrd, in our tree or the user's */
static bool virt_fdt_set_chosen(VirtMachineState *vms, MachineState *ms,
                                Error **errp)
{
    void *fdt = vms->fdt;
    int chosen = fdt_path_offset(fdt, "/chosen");
    int err = 0;

    if (chosen < 0) {
        chosen = fdt_add_subnode(fdt, 0, "chosen");
    }
    if (chosen < 0) {
        error_setg(errp, "device tree: cannot add /chosen: %s",
                   fdt_strerror(chosen));
        return false;
    }
    if (ms->kernel_cmdline && *ms->kernel_cmdline) {
        err = fdt_setprop_string(fdt, chosen, "bootargs", ms->kernel_cmdline);
    }
    if (!err && vms->boot.initrd_end) {
        err = fdt_setprop_u64(fdt, chosen, "linux,initrd-start",
                              vms->boot.initrd_start);
        err = err ?: fdt_setprop_u64(fdt, chosen, "linux,initrd-end",
                                     vms->boot.initrd_end);
    }
    if (err) {
        error_setg(errp, "device tree: cannot set /chosen: %s",
                   fdt_strerror(err));
        return false;
    }
    fdt_pack(fdt);
    vms->fdt_size = fdt_totalsize(fdt);
    return true;
}

/* Load the kernel, initrd and DTB; set where the CPUs start. */
static bool virt_boot(VirtMachineState *vms, MachineState *ms, Error **errp)
{
    ArmBootInfo *bi = &vms->boot;
    CPUState *cs;
    uint64_t x0 = 0;

    bi->ram_base = virt_memmap[VIRT_MEM].base;
    bi->ram_size = ms->ram_size;
    bi->kernel_filename = ms->kernel_filename;
    bi->initrd_filename = ms->initrd_filename;
    bi->entry = virt_memmap[VIRT_FLASH].base;

    if (ms->kernel_filename && !arm_boot_load_kernel(bi, errp)) {
        return false;
    }
    if (ms->dtb ? !virt_load_user_dtb(vms, ms->dtb, errp)
                : !virt_fdt_build(vms, errp)) {
        return false;
    }
    if (!virt_fdt_set_chosen(vms, ms, errp)) {
        return false;
    }
    ms->fdt = vms->fdt;
    ms->fdt_size = vms->fdt_size;
    if (ms->dumpdtb) {
        return true;        /* main() writes the tree and exits */
    }

    if (ms->kernel_filename) {
        if (!arm_boot_load_dtb(bi, vms->fdt, vms->fdt_size, errp)) {
            return false;
        }
        if (bi->is_linux) {
            x0 = bi->dtb_addr;
        }
    } else {
        /* firmware finds the DTB at the start of RAM, as on QEMU */
        if (!rom_add_blob(&address_space_memory, bi->ram_base, vms->fdt,
                          vms->fdt_size, "device tree", errp)) {
            return false;
        }
        bi->dtb_addr = bi->ram_base;
    }
    CPU_FOREACH(cs) {
        /* Linux: EL1h (EL2h with virtualization=on, as QEMU), MMU off,
         * DAIF masked, x0 = DTB, x1-x3 = 0 */
        arm_cpu_set_boot_state(ARM_CPU(cs), bi->entry,
                               cs->cpu_index == 0 ? x0 : 0,
                               vms->virtualization ? 2 :
                               ms->kernel_filename ? 1 : -1);
    }
    return true;
}

static bool virt_init(MachineState *ms, Error **errp)
{
    VirtMachineState *vms = VIRT_MACHINE(ms);

    if (!virt_parse_gic_version(vms, errp)) {
        return false;
    }
    if (vms->gic_version == 2 && ms->smp_cpus > VIRT_GICV2_MAX_CPUS) {
        error_setg(errp, "-smp %u: the GICv2 supports at most %d CPUs "
                   "(gic-version=3: %d)", ms->smp_cpus, VIRT_GICV2_MAX_CPUS,
                   GICV3_MAXCPU);
        return false;
    }

    if (!machine_alloc_ram(ms, errp)) {
        return false;
    }
    memory_region_add_subregion(get_system_memory(),
                                virt_memmap[VIRT_MEM].base, ms->ram);
    if (!virt_create_flash(vms, ms, errp) ||
        !virt_create_cpus(vms, ms, errp) ||
        !virt_create_gic(vms, ms, errp)) {
        return false;
    }
    virt_create_devices(vms, ms);
    virt_create_pcie(vms);
    virt_create_virtio_drives(vms);
    psci_install(&vms->psci, vms->virtualization ? PSCI_CONDUIT_SMC
                                                 : PSCI_CONDUIT_HVC);
    return virt_boot(vms, ms, errp);
}

static void virt_reset(MachineState *ms)
{
    psci_reset_cpus(&VIRT_MACHINE(ms)->psci);
}

static const Property virt_props[] = {
    DEFINE_PROP_STRING("gic-version", VirtMachineState, gic_version_str),
    DEFINE_PROP_BOOL("virtualization", VirtMachineState, virtualization,
                     false),
    DEFINE_PROP_END_OF_LIST(),
};

static void virt_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "QEMU-compatible Arm virtual machine";
    mc->init = virt_init;
    mc->reset = virt_reset;
    mc->is_default = true;
    mc->target = "aarch64";
    mc->max_cpus = GICV3_MAXCPU;
    mc->smp_clusters_supported = true;
    mc->qemu_name = "virt-7.2";
    mc->default_ram_id = "mach-virt.ram";
    mc->default_cpu_type = "cortex-a57";
    mc->default_ram_size = 128 * 1024 * 1024;
    mc->max_ram_size = virt_memmap[VIRT_MEM].size;
    mc->props = virt_props;
    mc->serial_ports = 1;
    mc->default_nic = "virtio-net-device";
}

static const TypeInfo virt_machine_info = {
    .name = TYPE_VIRT_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(VirtMachineState),
    .class_init = virt_class_init,
};
TYPE_REGISTER(virt_machine_info)
