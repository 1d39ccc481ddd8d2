/*
 * The `pc` board (i440FX + PIIX3); see hw/i386/pc.c and docs/pc.md.
 */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

#include "hw/core/boards.h"
#include "hw/i386/x86-gsi.h"
#include "hw/pci/pci.h"
#include "hw/core/isa.h"
#include "hw/smbios/smbios.h"

#define TYPE_PC_MACHINE MACHINE_TYPE_NAME("pc")


typedef struct RTCState RTCState;
typedef struct FWCfgState FWCfgState;

typedef struct PCMachineState {
    MachineState parent_obj;
    /* -M options */
    char *rtc_base;
    char *rtc_clock;
    bool hpet;
    bool acpi;
    /* built by pc_init */
    uint64_t below_4g_mem_size;
    uint64_t above_4g_mem_size;
    MemoryRegion ram_below_4g, ram_above_4g;
    MemoryRegion pci_memory;         /* PCI memory space (all of 2^64) */
    MemoryRegion pci_hole_bg;        /* unassigned PCI hole: reads 0 */
    MemoryRegion legacy_bg;          /* 0xa0000-0xfffff on the PCI side */
    MemoryRegion smram_alias;        /* 0xa0000-0xbffff -> PCI */
    MemoryRegion bios, isa_bios;
    X86GSIRouter *gsi;
    DeviceState *hpet_dev;          /* NULL with hpet=off */
    PCIBus *pci_bus;
    ISABus *isa_bus;
    RTCState *rtc;
    FWCfgState *fw_cfg;
    DeviceState *pm;                 /* PIIX4 PM (acpi=on) */
    struct AcpiBuild *acpi_build;    /* the fw_cfg ACPI blobs */
    SmbiosTables smbios;
} PCMachineState;

DECLARE_INSTANCE_CHECKER(PCMachineState, PC_MACHINE, TYPE_PC_MACHINE)

/* The kernel-irqchip choice of a pc machine (DEFAULT for other boards);
 * callable from the accelerator's init_machine (before the board init). */

/* pc-intc.c: interrupt controllers */
bool pc_lapic_in_kernel(void);     /* KVM runs the local APICs */
bool pc_pic_in_kernel(void);       /* KVM runs the 8259s, IOAPIC and PIT */
void pc_apics_init(PCMachineState *pcms);   /* one APIC per CPU */
/* 8259 pair + IOAPIC on the GSI router unless KVM has them */
void pc_userspace_irqchip(PCMachineState *pcms);
/* acpi-build.c: the ACPI tables into fw_cfg (acpi=on) */
bool pc_acpi_build(PCMachineState *pcms, Error **errp);
/* pc-boot.c: -boot into CMOS and fw_cfg (bootorder, menu, fail wait) */
bool pc_boot_init(PCMachineState *pcms, Error **errp);
/* the 8254 and port 0x61 unless KVM has them */
void pc_pit_init(PCMachineState *pcms);

#endif
