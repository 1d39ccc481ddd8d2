/*
 * The "virt" board: QEMU's Arm virtual machine memory and IRQ maps, so
 * guests, firmware and device trees written for QEMU's virt run unchanged.
 * hw/arm/virt.c builds the machine, hw/arm/virt-fdt.c its device tree,
 * both from the tables below.
 */
#ifndef HW_ARM_VIRT_H
#define HW_ARM_VIRT_H

#include "hw/core/boards.h"
#include "hw/arm/boot.h"
#include "hw/arm/psci.h"

#define TYPE_VIRT_MACHINE MACHINE_TYPE_NAME("virt")

#define VIRT_NUM_MMIO       32      /* virtio-mmio slots */
#define VIRT_NUM_V2M_SPIS   64      /* MSIs through the GICv2m frame */
#define VIRT_NUM_SPIS       256     /* GIC SPIs: INTIDs 32..287 */
#define VIRT_GICV2_MAX_CPUS 8
#define VIRT_GPIO_POWER_KEY 3       /* PL061 line of the power button */
#define VIRT_KEY_POWER      116     /* linux,code of KEY_POWER */

/* Memory map entries, in address order (QEMU's VIRT_* indices). */
typedef enum VirtMemMapEntry {
    VIRT_FLASH,
    VIRT_GIC_DIST,
    VIRT_GIC_CPU,
    VIRT_GIC_V2M,
    VIRT_GIC_REDIST,
    VIRT_UART,
    VIRT_RTC,
    VIRT_FW_CFG,
    VIRT_GPIO,
    VIRT_MMIO,
    VIRT_PCIE_MMIO,
    VIRT_PCIE_PIO,
    VIRT_PCIE_ECAM,
    VIRT_MEM,
    VIRT_HIGH_PCIE_ECAM,
    VIRT_HIGH_PCIE_MMIO,
    VIRT_PCIE,                  /* IRQ map only: INTA..INTD */
    VIRT_MEMMAP_ENTRIES,
} VirtMemMapEntry;

typedef struct VirtMemMap {
    hwaddr base;
    hwaddr size;
} VirtMemMap;

extern const VirtMemMap virt_memmap[VIRT_MEMMAP_ENTRIES];
/* SPI number (INTID - 32) of each device; the MMIO slots count up */
extern const int virt_irqmap[VIRT_MEMMAP_ENTRIES];

/* Architected timer PPIs (INTID = 16 + PPI) */
#define VIRT_PPI_CNTHP   10     /* EL2 physical timer: INTID 26 */
#define VIRT_PPI_CNTV    11     /* virtual timer:      INTID 27 */
#define VIRT_PPI_CNTPS   13     /* secure physical:    INTID 29 */
#define VIRT_PPI_CNTP    14     /* non-secure physical: INTID 30 */

typedef struct VirtMachineState {
    MachineState parent_obj;

    /* -M virt,gic-version= */
    char *gic_version_str;
    int gic_version;            /* 2 or 3 */
    /* -M virt,virtualization=on: the CPUs have EL2 and start there; PSCI
     * moves to the SMC conduit (HVC belongs to the guest hypervisor) */
    bool virtualization;

    DeviceState *gic;
    DeviceState *gpio;
    DeviceState *uart;
    DeviceState *fw_cfg;        /* NULL if the board has none */
    DeviceState *mmio[VIRT_NUM_MMIO];
    DeviceState *v2m;           /* GICv2m MSI frame (GICv2 only) */
    DeviceState *pcie;          /* the gpex host bridge */
    MemoryRegion pcie_mmio_alias, pcie_high_mmio_alias;
    MemoryRegion flash[2];
    struct QEMUTimer *power_key_timer;  /* releases the power button */

    void *fdt;
    int fdt_size;
    uint32_t gic_phandle;
    uint32_t clock_phandle;
    uint32_t gpio_phandle;

    ArmBootInfo boot;
    PSCIState psci;
} VirtMachineState;

DECLARE_INSTANCE_CHECKER(VirtMachineState, VIRT_MACHINE, TYPE_VIRT_MACHINE)

/* virt-fdt.c: build vms->fdt from the maps and the machine's devices. */
bool virt_fdt_build(VirtMachineState *vms, Error **errp);

#endif
