/*
 * PCI MSI-X (PCI Local Bus Spec 3.0, 6.8.2): the capability, the vector
 * table and the pending-bit array, for device models (hw/pci/msix.c).
 *
 *     msix_init_exclusive_bar(dev, nvectors, 1, errp);   // BAR1: table+PBA
 *     ...
 *     if (msix_enabled(dev)) msix_notify(dev, vector); else pci_set_irq(...)
 *
 * The table (16 bytes per vector: address, data, vector control) and the
 * PBA live in a memory BAR of the device; the capability's Message
 * Control (enable, function mask) in config space, kept by the PCI core.
 * A vector masked by its entry or by the function mask is remembered in
 * the PBA and sent when unmasked.  Messages go out through pci_msi_send
 * (Bus Master Enable required).
 */
#ifndef HW_PCI_MSIX_H
#define HW_PCI_MSIX_H

#include "hw/pci/pci.h"

#define PCI_MSIX_MAX_VECTORS    2048
#define PCI_MSIX_ENTRY_SIZE     16

/* The capability (at the first free offset) with nvectors (1..2048)
 * entries, table at offset 0 of its own BAR bar_nr, PBA after it. */
bool msix_init_exclusive_bar(PCIDevice *dev, unsigned nvectors,
                             uint8_t bar_nr, Error **errp);
void msix_uninit(PCIDevice *dev);
bool msix_present(const PCIDevice *dev);
/* MSI-X Enable set (the device must not use INTx). */
bool msix_enabled(const PCIDevice *dev);
unsigned msix_nr_vectors(const PCIDevice *dev);
/* Signal vector: sent now, or pending while masked; out-of-range vectors
 * are dropped. */
void msix_notify(PCIDevice *dev, unsigned vector);
/* Is vector's pending bit set?  (tests, the monitor) */
bool msix_is_pending(const PCIDevice *dev, unsigned vector);

/* For the PCI core: after a config write, and at device reset. */
void msix_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, int len);
void msix_reset(PCIDevice *dev);

#endif
