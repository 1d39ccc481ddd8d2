/*
 * Generic PCI Express host bridge (ECAM); see hw/pci-host/gpex.c.
 */
#ifndef HW_PCI_HOST_GPEX_H
#define HW_PCI_HOST_GPEX_H

#include "hw/core/sysbus.h"
#include "hw/pci/pci.h"

#define TYPE_GPEX_HOST "gpex-pcihost"
#define TYPE_GPEX_ROOT "gpex-root"
#define GPEX_NUM_IRQS   4
#define GPEX_PIO_SIZE   0x10000

typedef struct GPEXHost {
    SysBusDevice parent_obj;
    MemoryRegion ecam;           /* mmio 0 */
    MemoryRegion mem;            /* mmio 1: PCI memory space */
    MemoryRegion io;             /* mmio 2: PCI I/O space */
    qemu_irq irq[GPEX_NUM_IRQS];
    PCIBus *bus;
    uint32_t ecam_buses;
} GPEXHost;

DECLARE_INSTANCE_CHECKER(GPEXHost, GPEX_HOST, TYPE_GPEX_HOST)

#endif
