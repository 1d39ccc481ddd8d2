/*
 * PCI Message Signalled Interrupts: the MSI capability (PCI Local Bus
 * Spec 3.0, 6.8.1) for device models, and the message write every MSI
 * and MSI-X source uses (hw/pci/msi.c).
 *
 * A device adds the capability in its realize (msi_init) and signals a
 * vector with msi_notify.  The PCI core keeps the capability's registers
 * (config writes, reset).  Messages are memory writes by the device: they
 * need Bus Master Enable and go to address_space_memory, where the pc's
 * local APICs (or KVM's MSI window) take them.
 */
#ifndef HW_PCI_MSI_H
#define HW_PCI_MSI_H

#include "hw/pci/pci.h"

/*
 * Add an MSI capability at offset (0: first free) for nr_vectors (1, 2,
 * 4, 8, 16 or 32) messages, with a 64-bit address and per-vector mask
 * and pending bits if asked.
 */
bool msi_init(PCIDevice *dev, uint8_t offset, unsigned nr_vectors,
              bool msi64bit, bool per_vector_mask, Error **errp);
/* MSI Enable is set: the device must use MSI, not INTx. */
bool msi_enabled(const PCIDevice *dev);
/* Vectors the guest enabled (Multiple Message Enable), 0 if disabled. */
unsigned msi_nr_vectors_enabled(const PCIDevice *dev);
/* Signal vector: sent now, or pending while masked. */
void msi_notify(PCIDevice *dev, unsigned vector);

/* One message write on behalf of dev (MSI and MSI-X): dropped without
 * Bus Master Enable. */
void pci_msi_send(PCIDevice *dev, uint64_t addr, uint32_t data);

/* For the PCI core: after a config write, and at device reset. */
void msi_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, int len);
void msi_reset(PCIDevice *dev);

#endif
