/*
 * Intel 440FX PCI and memory controller (PMC), 82441FX datasheet.
 *
 *   "i440FX-pcihost"  sysbus host bridge: config ports (CONFIG_ADDRESS at
 *                     0xcf8, CONFIG_DATA at 0xcfc-0xcff, mapped by the
 *                     board), creates PCI bus "pci.0"
 *   "i440FX"          PCI function 00.0, 8086:1237 rev 02, class 0600
 *
 * PAM0-PAM6 (0x59-0x5f) switch the 13 segments of 0xc0000-0xfffff between
 * PCI (ROM) and DRAM: read-enable maps DRAM read-only, read+write maps it
 * read-write; "write only" (WE without RE) is treated as PCI, i.e. writes
 * go to the PCI side (a simplification: real hardware sends writes to
 * DRAM).  SMRAM (0x72) is a plain register: no SMM yet.
 */
#ifndef HW_PCI_I440FX_H
#define HW_PCI_I440FX_H

#include "hw/pci/pci-host.h"

#define TYPE_I440FX_PCI_HOST_BRIDGE "i440FX-pcihost"
#define TYPE_I440FX_PCI_DEVICE "i440FX"

#define I440FX_PAM 0x59
#define I440FX_PAM_SIZE 7
#define I440FX_SMRAM 0x72
#define I440FX_NUM_PAM 13

typedef struct PAMMemoryRegion {
    MemoryRegion alias[3];     /* 0: PCI, 1: DRAM read-only, 2: DRAM r/w */
    unsigned current;
} PAMMemoryRegion;

typedef struct I440FXState {
    PCIDevice parent_obj;
    MemoryRegion *system_memory;
    MemoryRegion *pci_address_space;
    MemoryRegion *ram_memory;
    PAMMemoryRegion pam[I440FX_NUM_PAM];
} I440FXState;

DECLARE_INSTANCE_CHECKER(I440FXState, I440FX_PCI_DEVICE,
                         TYPE_I440FX_PCI_DEVICE)

/*
 * Create the host bridge and its 00.0 function; PCI memory is
 * pci_address_space, I/O is the system I/O space.  ram is the guest RAM
 * (offset 0 = guest physical 0) the PAM segments alias.  The config ports
 * are mapped at 0xcf8/0xcfc of the system I/O space.
 */
PCIBus *i440fx_init(MemoryRegion *system_memory, MemoryRegion *system_io,
                    MemoryRegion *pci_address_space, MemoryRegion *ram,
                    PCIHostState **host);

#endif
