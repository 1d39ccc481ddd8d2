/*
 * PCI host bridges with the PC "configuration mechanism #1" (PCI Local Bus
 * Spec 3.0, 3.2.2.3.2): a 32-bit CONFIG_ADDRESS register
 * (bit 31 enable, bus 23:16, device 15:11, function 10:8, register 7:2)
 * and a 4-byte CONFIG_DATA window whose byte/word accesses at offsets
 * 1-3 reach the matching bytes of the addressed dword.
 *
 * A bridge embeds PCIHostState, creates its bus, then maps conf_mem and
 * data_mem (I/O ports 0xcf8 and 0xcfc on the PC).
 */
#ifndef HW_PCI_PCI_HOST_H
#define HW_PCI_PCI_HOST_H

#include "hw/core/sysbus.h"
#include "hw/pci/pci.h"

#define TYPE_PCI_HOST_BRIDGE "pci-host-bridge"

typedef struct PCIHostState {
    SysBusDevice parent_obj;
    MemoryRegion conf_mem;     /* CONFIG_ADDRESS, 4 bytes */
    MemoryRegion data_mem;     /* CONFIG_DATA, 4 bytes */
    uint32_t config_reg;
    PCIBus *bus;
    /* Byte accesses at CONFIG_ADDRESS + 1 (0xcf9: the PIIX3 reset control
     * register on the PC) go to these ops at offset 0, if set. */
    const MemoryRegionOps *cf9_ops;
    void *cf9_opaque;
} PCIHostState;

DECLARE_INSTANCE_CHECKER(PCIHostState, PCI_HOST_BRIDGE, TYPE_PCI_HOST_BRIDGE)

/* Config access through CONFIG_ADDRESS-style addresses (bits as above). */
uint32_t pci_host_config_read(PCIHostState *s, uint32_t addr, int len);
void pci_host_config_write(PCIHostState *s, uint32_t addr, uint32_t val,
                           int len);

#endif
