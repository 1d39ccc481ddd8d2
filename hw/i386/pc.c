/*
 * The `pc` board: "Standard PC (i440FX + PIIX, 1996)", QEMU's -M pc as
 * firmware and direct-boot kernels see it.  docs/pc.md has the full map.
 *
 * Memory map (guest physical):
 *   0 .. below_4g            RAM (at most 3.5 GiB; 3 GiB if -m >= 3.5 GiB)
 *   0xa0000 .. 0xbffff       PCI space (legacy VGA window; nothing yet)
 *   0xc0000 .. 0xfffff       PAM-controlled: PCI (BIOS alias) or RAM
 *   below_4g .. 4 GiB        PCI hole (BARs; unassigned reads 0)
 *   4 GiB - bios size        -bios image (ROM); its last 128 KiB are also
 *                            at 0xe0000 (0xc0000+ for larger images)
 *   4 GiB .. 4 GiB+above_4g  the rest of RAM
 *
 * I/O ports: 0x60/0x64 i8042, 0x70/0x71 RTC, 0x92 port A, 0x3f8/0x2f8/
 *   0x3e8/0x2e8 COM1-4, 0x510/0x511 + 0x514 fw_cfg, 0xcf8/0xcfc PCI
 *   config, 0xcf9 PIIX3 reset control.
 * IRQs: ISA IRQ n = GSI n into the GSI router (device id "gsi"): COM1 4,
 *   COM2 3, COM3 4, COM4 3, i8042 1 and 12, RTC 8; PCI INTx via PIRQ A-D.
 * PCI: 00.0 i440FX 8086:1237, 01.0 PIIX3 8086:7000, 01.3 PIIX4 PM 8086:7113.
 *
 * -M options: kernel-irqchip=on|off|split (kept for the accelerator),
 * rtc-base=utc|localtime|DATE, rtc-clock=host|vm, hpet=on|off,
 * acpi=on|off (the PIIX4 PM function at 01.3, SCI on IRQ 9).
 */
#include "turtle/osdep.h"
#include "hw/i386/pc.h"
#include "hw/i386/x86-boot.h"
#include "hw/core/cpu.h"
#include "hw/core/loader.h"
#include "hw/core/sysbus.h"
#include "hw/char/serial.h"
#include "hw/input/i8042.h"
#include "hw/misc/port92.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/pci/i440fx.h"
#include "hw/pci/piix3.h"
#include "hw/rtc/mc146818.h"
#include "hw/timer/hpet.h"
#include "hw/acpi/piix4-pm.h"
#include "hw/acpi/acpi-tables.h"
#include "hw/smbios/smbios.h"
#include "sysemu/qtest.h"
#include "sysemu/runstate.h"
#include "target/i386/cpu.h"

#define PC_LOWMEM_MAX     0xe0000000ULL   /* RAM below 4G if -m < 3.5G */
#define PC_LOWMEM_SPLIT   0xc0000000ULL   /* ... else 3 GiB */
#define PC_BIOS_MAX       (16 * MiB)
#define FW_CFG_IRQ0_OVERRIDE (FW_CFG_ARCH_LOCAL + 2)

/* Fixed guest-physical ranges (RAM placement depends on -m, above). */
enum {
    PC_MEM_VGA,          /* legacy VGA window: PCI space */
    PC_MEM_PAM,          /* PAM-controlled segments */
    PC_MEM_ISA_BIOS,     /* at most this much of -bios is aliased here */
    PC_MEM_HIGH,         /* RAM above 4 GiB starts here */
};

static const struct {
    hwaddr base;
    uint64_t size;
} pc_memmap[] = {
    [PC_MEM_VGA]      = { 0xa0000, 0x20000 },
    [PC_MEM_PAM]      = { 0xc0000, 0x40000 },
    [PC_MEM_ISA_BIOS] = { 0xe0000, 0x20000 },
    [PC_MEM_HIGH]     = { 4 * GiB, 0 },
};

/* ISA devices: I/O port and ISA IRQ (-1: none). */
enum {
    PC_ISA_I8042, PC_ISA_RTC, PC_ISA_PORT92, PC_ISA_FW_CFG, PC_ISA_FW_CFG_DMA,
    PC_ISA_COM1, PC_ISA_COM2, PC_ISA_COM3, PC_ISA_COM4,
};

static const struct {
    uint16_t port;
    int irq;
} pc_isa_map[] = {
    [PC_ISA_I8042]      = { 0x60, 1 },       /* and 0x64, IRQ 12 (mouse) */
    [PC_ISA_RTC]        = { 0x70, 8 },
    [PC_ISA_PORT92]     = { 0x92, -1 },
    [PC_ISA_FW_CFG]     = { 0x510, -1 },
    [PC_ISA_FW_CFG_DMA] = { 0x514, -1 },
    [PC_ISA_COM1]       = { 0x3f8, 4 },
    [PC_ISA_COM2]       = { 0x2f8, 3 },
    [PC_ISA_COM3]       = { 0x3e8, 4 },
    [PC_ISA_COM4]       = { 0x2e8, 3 },
};

static const char *const kernel_irqchip_names[] = {
    [KERNEL_IRQCHIP_DEFAULT] = "default",
    [KERNEL_IRQCHIP_ON] = "on",
    [KERNEL_IRQCHIP_OFF] = "off",
    [KERNEL_IRQCHIP_SPLIT] = "split",
};

/* ---- -M pc,kernel-irqchip= ---- */

static bool prop_parse_kernel_irqchip(Object *obj, const Property *prop,
                                      const char *str, Error **errp)
{
    int32_t *ptr = (int32_t *)((char *)obj + prop->offset);

    for (int i = 1; i < (int)ARRAY_SIZE(kernel_irqchip_names); i++) {
        if (!strcmp(str, kernel_irqchip_names[i])) {
            *ptr = i;
            return true;
        }
    }
    if (!strcmp(str, "true") || !strcmp(str, "yes")) {
        *ptr = KERNEL_IRQCHIP_ON;
        return true;
    }
    if (!strcmp(str, "false") || !strcmp(str, "no")) {
        *ptr = KERNEL_IRQCHIP_OFF;
        return true;
    }
    error_setg(errp, "kernel-irqchip: '%s' is not on, off or split", str);
    return false;
}

static char *prop_print_kernel_irqchip(Object *obj, const Property *prop)
{
    int32_t v = *(int32_t *)((char *)obj + prop->offset);

    return g_strdup(v >= 0 && v < (int)ARRAY_SIZE(kernel_irqchip_names) ?
                    kernel_irqchip_names[v] : "?");
}

static const PropertyInfo prop_info_kernel_irqchip = {
    .type = "on|off|split",
    .parse = prop_parse_kernel_irqchip,
    .print = prop_print_kernel_irqchip,
};

static const Property pc_machine_props[] = {
    /* unset: KERNEL_IRQCHIP_DEFAULT (0, the zeroed machine state) */
    { .name = "kernel-irqchip", .info = &prop_info_kernel_irqchip,
      .offset = offsetof(PCMachineState, parent_obj.kernel_irqchip) },
    { .name = "kernel_irqchip", .info = &prop_info_kernel_irqchip,
      .offset = offsetof(PCMachineState, parent_obj.kernel_irqchip) },
    DEFINE_PROP_STRING("rtc-base", PCMachineState, rtc_base),
    DEFINE_PROP_STRING("rtc-clock", PCMachineState, rtc_clock),
    DEFINE_PROP_BOOL("hpet", PCMachineState, hpet, true),
    DEFINE_PROP_BOOL("acpi", PCMachineState, acpi, true),
    DEFINE_PROP_END_OF_LIST(),
};

/* ---- memory ---- */

/*
 * Unassigned PCI space: the CPU reads 0 and its writes vanish, as on
 * QEMU's pc; the access still reports a decode error, so DMA and the
 * loaders see that nothing is there.
 */
static MemTxResult pc_hole_read(void *opaque, hwaddr addr, uint64_t *data,
                                unsigned size, MemTxAttrs attrs)
{
    *data = 0;
    return MEMTX_DECODE_ERROR;
}

static MemTxResult pc_hole_write(void *opaque, hwaddr addr, uint64_t val,
                                 unsigned size, MemTxAttrs attrs)
{
    return MEMTX_DECODE_ERROR;
}

static const MemoryRegionOps pc_hole_ops = {
    .read_with_attrs = pc_hole_read,
    .write_with_attrs = pc_hole_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
};

static bool pc_memory_init(PCMachineState *pcms, Error **errp)
{
    MachineState *ms = MACHINE(pcms);
    MemoryRegion *sysmem = get_system_memory();

    if (ms->ram_size >= PC_LOWMEM_MAX) {
        pcms->below_4g_mem_size = PC_LOWMEM_SPLIT;
        pcms->above_4g_mem_size = ms->ram_size - PC_LOWMEM_SPLIT;
    } else {
        pcms->below_4g_mem_size = ms->ram_size;
        pcms->above_4g_mem_size = 0;
    }
    if (!machine_alloc_ram(ms, errp)) {
        return false;
    }
    memory_region_init_alias(&pcms->ram_below_4g, OBJECT(ms), "ram-below-4g",
                             ms->ram, 0, pcms->below_4g_mem_size);
    memory_region_add_subregion(sysmem, 0, &pcms->ram_below_4g);
    if (pcms->above_4g_mem_size) {
        memory_region_init_alias(&pcms->ram_above_4g, OBJECT(ms),
                                 "ram-above-4g", ms->ram,
                                 pcms->below_4g_mem_size,
                                 pcms->above_4g_mem_size);
        memory_region_add_subregion(sysmem, pc_memmap[PC_MEM_HIGH].base,
                                    &pcms->ram_above_4g);
    }

    /* PCI memory space under everything: holes decode to PCI */
    memory_region_init(&pcms->pci_memory, OBJECT(ms), "pci", UINT64_MAX);
    memory_region_add_subregion_overlap(sysmem, 0, &pcms->pci_memory, -1);
    memory_region_init_io(&pcms->pci_hole_bg, OBJECT(ms), &pc_hole_ops, pcms,
                          "pci-hole-unassigned",
                          4 * GiB - pcms->below_4g_mem_size);
    memory_region_add_subregion_overlap(&pcms->pci_memory,
                                        pcms->below_4g_mem_size,
                                        &pcms->pci_hole_bg, -100);
    /* so is the legacy area while PAM or SMRAM route it to PCI */
    memory_region_init_io(&pcms->legacy_bg, OBJECT(ms), &pc_hole_ops, pcms,
                          "pci-legacy-unassigned",
                          pc_memmap[PC_MEM_VGA].size +
                          pc_memmap[PC_MEM_PAM].size);
    memory_region_add_subregion_overlap(&pcms->pci_memory,
                                        pc_memmap[PC_MEM_VGA].base,
                                        &pcms->legacy_bg, -100);
    /* the legacy VGA window is PCI space, not RAM */
    memory_region_init_alias(&pcms->smram_alias, OBJECT(ms), "smram-region",
                             &pcms->pci_memory, pc_memmap[PC_MEM_VGA].base,
                             pc_memmap[PC_MEM_VGA].size);
    memory_region_add_subregion_overlap(sysmem, pc_memmap[PC_MEM_VGA].base,
                                        &pcms->smram_alias, 1);
    return true;
}

static bool pc_bios_init(PCMachineState *pcms, const char *filename,
                         Error **errp)
{
    MachineState *ms = MACHINE(pcms);
    g_autofree uint8_t *data = NULL;
    uint64_t isa_size;
    size_t size;

    if (!load_file(filename, PC_BIOS_MAX, &data, &size, errp)) {
        error_prepend(errp, "-bios: ");
        return false;
    }
    if (size == 0 || size % (64 * KiB)) {
        error_setg(errp, "-bios %s: the image size (%zu bytes) must be a "
                   "non-zero multiple of 64 KiB", filename, size);
        return false;
    }
    if (!memory_region_init_rom(&pcms->bios, OBJECT(ms), "pc.bios", size,
                                errp)) {
        return false;
    }
    memcpy(memory_region_get_ram_ptr(&pcms->bios), data, size);
    memory_region_add_subregion(&pcms->pci_memory, 4 * GiB - size,
                                &pcms->bios);
    isa_size = MIN((uint64_t)size, pc_memmap[PC_MEM_ISA_BIOS].size);
    memory_region_init_alias(&pcms->isa_bios, OBJECT(ms), "isa-bios",
                             &pcms->bios, size - isa_size, isa_size);
    memory_region_add_subregion_overlap(&pcms->pci_memory,
                                        pc_memmap[PC_MEM_ISA_BIOS].base +
                                        pc_memmap[PC_MEM_ISA_BIOS].size -
                                        isa_size, &pcms->isa_bios, 1);
    return true;
}

/* ---- CMOS ---- */

static void pc_cmos_init(PCMachineState *pcms)
{
    MachineState *ms = MACHINE(pcms);
    RTCState *rtc = pcms->rtc;
    uint64_t val;

    /* base memory 640 KiB */
    rtc_set_memory(rtc, 0x15, 640 & 0xff);
    rtc_set_memory(rtc, 0x16, 640 >> 8);
    /* extended memory above 1 MiB in KiB, capped at 0xffff */
    val = pcms->below_4g_mem_size / KiB;
    val = val > 1024 ? val - 1024 : 0;
    val = MIN(val, 0xffff);
    rtc_set_memory(rtc, 0x17, val);
    rtc_set_memory(rtc, 0x18, val >> 8);
    rtc_set_memory(rtc, 0x30, val);
    rtc_set_memory(rtc, 0x31, val >> 8);
    /* memory above 16 MiB in 64 KiB units, capped */
    val = pcms->below_4g_mem_size > 16 * MiB ?
          (pcms->below_4g_mem_size - 16 * MiB) / (64 * KiB) : 0;
    val = MIN(val, 0xffff);
    rtc_set_memory(rtc, 0x34, val);
    rtc_set_memory(rtc, 0x35, val >> 8);
    /* memory above 4 GiB in 64 KiB units (24 bits) */
    val = pcms->above_4g_mem_size / (64 * KiB);
    rtc_set_memory(rtc, 0x5b, val);
    rtc_set_memory(rtc, 0x5c, val >> 8);
    rtc_set_memory(rtc, 0x5d, val >> 16);
    /* number of CPUs minus one (SeaBIOS) */
    rtc_set_memory(rtc, 0x5f, ms->smp_cpus ? ms->smp_cpus - 1 : 0);
    /* equipment byte: as QEMU's pc reports it */
    rtc_set_memory(rtc, 0x14, 0x07);
    /* boot order: pc-boot.c (-boot) */
}

/* ---- fw_cfg ---- */

static void pc_fw_cfg_init(PCMachineState *pcms)
{
    MachineState *ms = MACHINE(pcms);
    FWCfgState *fw = fw_cfg_init_io_dma(pc_isa_map[PC_ISA_FW_CFG].port,
                                        pc_isa_map[PC_ISA_FW_CFG_DMA].port,
                                        &address_space_memory);
    E820Entry *e820 = g_new0(E820Entry, 3);
    int n = 0;

    pcms->fw_cfg = fw;
    fw_cfg_add_i64(fw, FW_CFG_RAM_SIZE, ms->ram_size);
    fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, ms->smp_cpus);
    fw_cfg_add_i16(fw, FW_CFG_MAX_CPUS, ms->max_cpus ? ms->max_cpus
                                                     : ms->smp_cpus);
    fw_cfg_add_i16(fw, FW_CFG_NOGRAPHIC, 1);
    fw_cfg_add_i32(fw, FW_CFG_IRQ0_OVERRIDE, 1);

    /* etc/e820: RAM, as QEMU's pc (firmware adds its own ranges), and
     * the pages the KVM accelerator needs kept away from the guest */
    e820[n++] = (E820Entry) {
        .addr = cpu_to_le64(0),
        .size = cpu_to_le64(pcms->below_4g_mem_size),
        .type = cpu_to_le32(E820_RAM),
    };
    e820[n++] = (E820Entry) {
        .addr = cpu_to_le64(X86_ACCEL_RESERVED_ADDR),
        .size = cpu_to_le64(X86_ACCEL_RESERVED_SIZE),
        .type = cpu_to_le32(E820_RESERVED),
    };
    if (pcms->above_4g_mem_size) {
        e820[n++] = (E820Entry) {
            .addr = cpu_to_le64(4 * GiB),
            .size = cpu_to_le64(pcms->above_4g_mem_size),
            .type = cpu_to_le32(E820_RAM),
        };
    }
    fw_cfg_add_file(fw, "etc/e820", e820, n * sizeof(E820Entry),
                    &error_abort);
}

/* ---- SMBIOS ---- */

/*
 * The SMBIOS structures from the machine: one processor package of
 * -smp cores (what CPUID says), the RAM and where it is mapped.  Firmware
 * adds its own type 0; a direct boot gets ours.
 */
static void pc_smbios_init(PCMachineState *pcms)
{
    MachineState *ms = MACHINE(pcms);
    SmbiosMemRange ranges[2] = {
        { 0, pcms->below_4g_mem_size },
        { 4 * GiB, pcms->above_4g_mem_size },
    };
    SmbiosInfo in = {
        .bios_vendor = ms->firmware ? NULL : "Turtle",
        .bios_version = TURTLE_VERSION,
        .bios_date = "01/01/2026",
        .manufacturer = "Turtle",
        .product = MACHINE_GET_CLASS(ms)->desc,
        .version = "pc-i440fx-turtle-" TURTLE_VERSION,
        .sockets = 1, .cores = MAX(ms->smp_cpus, 1), .threads = 1,
        .cpu_family = SMBIOS_CPU_FAMILY_OTHER,
        .cpu_speed_mhz = 2000,
        .ram_size = ms->ram_size,
        .ram_ranges = ranges,
        .nr_ram_ranges = 2,
    };
    CPUState *cs = first_cpu_get();
    FWCfgState *fw = pcms->fw_cfg;

    if (cs) {
        X86CPU *cpu = X86_CPU(cs);
        const X86CPUModel *m = X86_CPU_GET_CLASS(cpu)->model;
        const X86CPUIDEntry *leaf1 = cpu->cpuid_ready ?
            x86_cpuid_find(&cpu->env.cpuid, 1, 0) : NULL;
        const X86CPUIDEntry *ext1 = cpu->cpuid_ready ?
            x86_cpuid_find(&cpu->env.cpuid, 0x80000001, 0) : NULL;

        /* KVM's host/max CPUID is built later: the model's signature */
        in.cpu_manufacturer = cpu->cpuid_ready ? cpu->env.cpuid_cfg.vendor
                                               : m->vendor;
        in.cpu_version = cpu->cpuid_ready ? cpu->env.cpuid_cfg.model_id
                                          : m->model_id;
        in.cpu_signature = leaf1 ? leaf1->eax :
            (m->stepping & 0xf) | (m->model & 0xf) << 4 |
            (m->model >> 4) << 16 | MIN(m->family, 0xfu) << 8 |
            (m->family > 0xf ? m->family - 0xf : 0) << 20;
        in.cpu_features = leaf1 ? leaf1->edx : 0;
        in.cpu_64bit = ext1 ? !!(ext1->edx & CPUID_8000_0001_EDX_LM) : true;
    }
    smbios_build(&in, &pcms->smbios);
    /* firmware moves both and patches the address */
    fw_cfg_add_file(fw, SMBIOS_FILE_TABLES, pcms->smbios.tables->data,
                    pcms->smbios.tables->len, &error_abort);
    fw_cfg_add_file(fw, SMBIOS_FILE_ANCHOR, pcms->smbios.anchor,
                    SMBIOS_ANCHOR_SIZE, &error_abort);
}

/*
 * A direct boot's firmware tables, written again on every reset (the
 * guest owns that RAM): the ACPI tables as the table loader would place
 * them (top 128 KiB of low RAM, RSDP at 0xf0000) and SMBIOS in the F
 * segment.  The sizes were checked when the machine was built.
 */
static void pc_direct_boot_tables(PCMachineState *pcms)
{
    SmbiosTables *sm = &pcms->smbios;
    Error *err = NULL;

    if (pcms->acpi_build) {
        AcpiInstallZone high = {
            pcms->below_4g_mem_size - X86_BOOT_ACPI_SIZE, X86_BOOT_ACPI_SIZE
        };
        AcpiInstallZone fseg = {
            X86_BOOT_RSDP_ADDR, X86_BOOT_SMBIOS_ADDR - X86_BOOT_RSDP_ADDR
        };
        uint64_t rsdp;

        if (!acpi_build_install(pcms->acpi_build, &high, &fseg, &rsdp,
                                &err)) {
            error_report_err(err);
        } else {
            g_assert(rsdp == X86_BOOT_RSDP_ADDR);
        }
    }
    if (sm->tables) {
        uint32_t table = X86_BOOT_SMBIOS_ADDR + 0x100;

        smbios_set_table_address(sm, table);
        address_space_write(&address_space_memory, X86_BOOT_SMBIOS_ADDR,
                            MEMTXATTRS_UNSPECIFIED, sm->anchor,
                            SMBIOS_ANCHOR_SIZE);
        address_space_write(&address_space_memory, table,
                            MEMTXATTRS_UNSPECIFIED, sm->tables->data,
                            sm->tables->len);
        /* fw_cfg keeps the address 0 firmware expects */
        smbios_set_table_address(sm, 0);
    }
}

static bool pc_direct_boot_tables_fit(PCMachineState *pcms, Error **errp)
{
    uint32_t smbios_room = X86_BOOT_FSEG_ADDR + X86_BOOT_FSEG_SIZE -
                           (X86_BOOT_SMBIOS_ADDR + 0x100);

    if (pcms->acpi_build &&
        (pcms->below_4g_mem_size < 2 * MiB + X86_BOOT_ACPI_SIZE ||
         pcms->acpi_build->tables->len > X86_BOOT_ACPI_SIZE)) {
        error_setg(errp, "-kernel: the ACPI tables (%u bytes) do not fit at "
                   "the top of %" PRIu64 " KiB of RAM",
                   pcms->acpi_build->tables->len,
                   pcms->below_4g_mem_size / KiB);
        return false;
    }
    if (pcms->smbios.tables->len > smbios_room) {
        error_setg(errp, "-kernel: the SMBIOS tables (%u bytes) do not fit "
                   "in the F segment (%u bytes)", pcms->smbios.tables->len,
                   smbios_room);
        return false;
    }
    return true;
}

/* ---- direct boot: what firmware would set up on every reset ---- */

/* PIRQ A-D -> ISA IRQ, as SeaBIOS routes them on this chipset */
static const uint8_t pc_pirq_irqs[4] = { 10, 10, 11, 11 };

static void pc_direct_boot_reset(void *opaque)
{
    PCMachineState *pcms = opaque;
    PCIBus *bus = pcms->pci_bus;
    PCIDevice *piix3 = pci_find_device(bus, 0, PCI_DEVFN(1, 0));
    X86MPPCIIrq irqs[32 * 4];
    unsigned n = 0;

    if (!x86_boot_state()->valid) {
        return;
    }
    if (pcms->pm) {
        piix4_pm_firmware_setup(pcms->pm, PIIX4_PM_IO_BASE);
    }
    for (int i = 0; i < 4; i++) {
        PCI_DEVICE_GET_CLASS(piix3)->config_write(piix3, PIIX_PIRQRC + i,
                                                  pc_pirq_irqs[i], 1);
    }
    /*
     * 0xc0000-0xfffff as RAM, as firmware leaves it after shadowing: the
     * kernel scans it (ROMs, DMI, RSDP, MP tables) with small reads, which
     * under KVM are one exit each when nothing is mapped there (100,000
     * exits, a minute of boot on a nested host).
     */
    PCIDevice *host = pci_find_device(bus, 0, PCI_DEVFN(0, 0));
    PCI_DEVICE_GET_CLASS(host)->config_write(host, I440FX_PAM, 0x30, 1);
    for (int i = 1; i < I440FX_PAM_SIZE; i++) {
        PCI_DEVICE_GET_CLASS(host)->config_write(host, I440FX_PAM + i, 0x33,
                                                 1);
    }
    /* each function's interrupt line, and one MP entry per slot and pin */
    for (int devfn = 0; devfn < 256; devfn++) {
        PCIDevice *dev = bus->devices[devfn];
        int pin = dev ? dev->config[PCI_INTERRUPT_PIN] : 0;
        uint8_t irq;
        bool listed = false;

        if (pin < 1 || pin > 4) {
            continue;
        }
        irq = pc_pirq_irqs[bus->map_irq(dev, pin - 1)];
        dev->config[PCI_INTERRUPT_LINE] = irq;
        for (unsigned i = 0; i < n; i++) {
            listed |= irqs[i].slot == PCI_SLOT(devfn) && irqs[i].pin == pin - 1;
        }
        if (!listed) {
            irqs[n++] = (X86MPPCIIrq) {
                .slot = PCI_SLOT(devfn), .pin = pin - 1, .irq = irq,
            };
        }
    }
    x86_mptable_write(MAX(MACHINE(pcms)->smp_cpus, 1), irqs, n);
    pc_direct_boot_tables(pcms);
}

/*
 * After every reset (the CPUs' included): the boot CPU starts at the
 * direct-boot entry state the loaders described, if any.
 */
static void pc_machine_reset(MachineState *ms)
{
    const X86BootState *bs = x86_boot_state();
    CPUState *boot_cpu = first_cpu_get();

    if (bs->valid && boot_cpu) {
        x86_cpu_apply_boot_state(X86_CPU(boot_cpu), bs);
    }
}

/* ---- devices ---- */

static void pc_serial_init(ISABus *isa)
{
    for (int i = 0; i < MAX_ISA_SERIAL_PORTS; i++) {
        Chardev *chr = serial_hd(i);
        DeviceState *dev;

        if (!chr) {
            continue;
        }
        dev = qdev_new(TYPE_ISA_SERIAL);
        qdev_prop_set_uint32(dev, "index", i);
        qdev_prop_set_uint32(dev, "iobase", pc_isa_map[PC_ISA_COM1 + i].port);
        qdev_prop_set_uint32(dev, "irq", pc_isa_map[PC_ISA_COM1 + i].irq);
        qdev_prop_set_chr(dev, "chardev", chr);
        qdev_realize_and_unref(dev, BUS(isa), &error_fatal);
    }
}

static bool pc_init(MachineState *ms, Error **errp)
{
    PCMachineState *pcms = PC_MACHINE(ms);
    const X86AccelIrqchip *accel_irqchip = x86_accel_irqchip();
    qemu_irq isa_irqs[ISA_NUM_IRQS];
    PIIX3State *piix3;
    PCIHostState *host;
    DeviceState *gsi, *dev;

    if (!ms->firmware && !ms->kernel_filename && !qtest_enabled()) {
        error_setg(errp, "machine 'pc' needs firmware: no PC BIOS is bundled "
                   "with turtle yet (SeaBIOS cannot be bundled); give "
                   "-bios FILE or boot a kernel directly with -kernel FILE");
        return false;
    }

    if (!pc_memory_init(pcms, errp)) {
        return false;
    }

    /* CPUs: only when this build has an x86 CPU model */
    if (ms->cpu_type) {
        for (unsigned i = 0; i < ms->smp_cpus; i++) {
            if (!cpu_create(ms->cpu_type, errp)) {
                return false;
            }
        }
        pc_apics_init(pcms);
    }

    gsi = qdev_new(TYPE_X86_GSI_ROUTER);
    qdev_set_id(gsi, X86_GSI_ROUTER_ID);
    qdev_realize_and_unref(gsi, NULL, &error_fatal);
    pcms->gsi = X86_GSI_ROUTER(gsi);
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        isa_irqs[i] = qdev_get_gpio_in(gsi, i);
    }
    if (pcms->hpet) {
        qemu_irq gsi_in[X86_GSI_NUM];

        /* the HPET sits between the PIT / RTC and GSI 0 / 8: legacy
         * replacement routing takes those lines over */
        for (int i = 0; i < X86_GSI_NUM; i++) {
            gsi_in[i] = qdev_get_gpio_in(gsi, i);
        }
        dev = hpet_create(HPET_BASE, gsi_in);
        pcms->hpet_dev = dev;
        isa_irqs[0] = qdev_get_gpio_in_named(dev, "legacy", 0);
        isa_irqs[8] = qdev_get_gpio_in_named(dev, "legacy", 1);
    }

    pcms->pci_bus = i440fx_init(get_system_memory(), get_system_io(),
                                &pcms->pci_memory, ms->ram, &host);
    piix3 = piix3_create(pcms->pci_bus, PCI_DEVFN(1, 0), isa_irqs);
    piix3_attach_rcr(piix3, host);
    pcms->isa_bus = piix3->isa_bus;
    if (pcms->acpi) {
        pcms->pm = piix4_pm_create(pcms->pci_bus, PCI_DEVFN(1, 3),
                                   isa_irqs[PIIX4_PM_SCI_IRQ]);
    }

    if (accel_irqchip && accel_irqchip->create &&
        !accel_irqchip->create(ms, pcms->gsi, errp)) {
        return false;
    }
    pc_userspace_irqchip(pcms);

    dev = qdev_new(TYPE_MC146818_RTC);
    qdev_prop_set_uint32(dev, "iobase", pc_isa_map[PC_ISA_RTC].port);
    qdev_prop_set_uint32(dev, "irq", pc_isa_map[PC_ISA_RTC].irq);
    if (pcms->rtc_base) {
        qdev_prop_set_string(dev, "base", pcms->rtc_base);
    }
    if (pcms->rtc_clock) {
        qdev_prop_set_string(dev, "clock", pcms->rtc_clock);
    }
    if (!qdev_realize(dev, BUS(pcms->isa_bus), errp)) {
        error_prepend(errp, "-M pc: ");
        object_unref(OBJECT(dev));
        return false;
    }
    pcms->rtc = MC146818_RTC(dev);
    object_unref(OBJECT(dev));
    pc_cmos_init(pcms);
    pc_pit_init(pcms);
    dev = qdev_new(TYPE_I8042);
    qdev_prop_set_uint32(dev, "iobase", pc_isa_map[PC_ISA_I8042].port);
    qdev_prop_set_uint32(dev, "cmdbase", pc_isa_map[PC_ISA_I8042].port + 4);
    qdev_realize_and_unref(dev, BUS(pcms->isa_bus), &error_fatal);
    qdev_realize_and_unref(qdev_new(TYPE_PORT92), BUS(pcms->isa_bus),
                           &error_fatal);
    pc_serial_init(pcms->isa_bus);
    pc_fw_cfg_init(pcms);
    if (!pcms->acpi && ms->acpitables && ms->acpitables[0]) {
        error_setg(errp, "-acpitable: no ACPI with -M pc,acpi=off");
        return false;
    }
    if (pcms->acpi && !pc_acpi_build(pcms, errp)) {
        return false;
    }
    pc_smbios_init(pcms);
    if (!pc_boot_init(pcms, errp)) {
        return false;
    }

    if (ms->firmware && !pc_bios_init(pcms, ms->firmware, errp)) {
        return false;
    }
    if (ms->kernel_filename) {
        X86BootInfo info = {
            .below_4g = pcms->below_4g_mem_size,
            .above_4g = pcms->above_4g_mem_size,
            .kernel = ms->kernel_filename,
            .initrd = ms->initrd_filename,
            .cmdline = ms->kernel_cmdline ? ms->kernel_cmdline : "",
            .firmware = ms->firmware != NULL,
            .ncpus = ms->smp_cpus,
            .acpi = pcms->acpi_build != NULL,
        };

        if (!ms->firmware && !pc_direct_boot_tables_fit(pcms, errp)) {
            return false;
        }

        if (!x86_load_kernel(&info, pcms->fw_cfg, errp)) {
            return false;
        }
        if (!ms->firmware) {
            qemu_register_reset(pc_direct_boot_reset, pcms);
        }
    }
    return true;
}

static void pc_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "Standard PC (i440FX + PIIX, 1996)";
    mc->init = pc_init;
    mc->reset = pc_machine_reset;
    mc->is_default = true;
    mc->target = "x86_64";
    mc->max_cpus = 255;
    mc->min_cpus = 1;
    mc->smp_dies_supported = true;
    mc->qemu_name = "pc-i440fx-7.2";
    mc->default_ram_id = "pc.ram";
    mc->default_ram_size = 128 * MiB;
    mc->props = pc_machine_props;
    mc->serial_ports = MAX_ISA_SERIAL_PORTS;
    mc->accepts_acpitable = true;
    mc->accepts_boot = true;
    /* the CPU model comes with target/i386; until then, no CPU */
    if (object_class_by_name("qemu64-x86_64-cpu")) {
        mc->default_cpu_type = "qemu64";
    }
}

static const TypeInfo pc_machine_info = {
    .name = TYPE_PC_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(PCMachineState),
    .class_init = pc_machine_class_init,
};

TYPE_REGISTER(pc_machine_info)
