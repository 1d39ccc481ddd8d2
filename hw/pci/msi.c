/*
 * PCI MSI capability - see include/hw/pci/msi.h.  Register layout (PCI
 * Local Bus Spec 3.0, 6.8.1):
 *   +0x02 Message Control: 0 MSI Enable, 3:1 Multiple Message Capable,
 *         6:4 Multiple Message Enable, 7 64-bit, 8 per-vector masking
 *   +0x04 Message Address (bits 1:0 reserved), [+0x08 Upper Address]
 *   +0x08 / +0x0c Message Data (16 bits), then Mask Bits and Pending Bits
 * With n vectors enabled, vector v is sent with the low log2(n) bits of
 * the data replaced by v.
 *
 * Model choices: Multiple Message Enable above Multiple Message Capable
 * is clamped to it; a vector beyond the enabled count is a device bug,
 * logged and dropped; pending bits of masked vectors are sent when the
 * mask is cleared (by a config write) while MSI is enabled.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/pci/msi.h"

#define MSI_FLAGS          2
#define  MSI_FLAGS_ENABLE  0x0001
#define  MSI_FLAGS_QMASK   0x000e
#define  MSI_FLAGS_QSIZE   0x0070
#define  MSI_FLAGS_64BIT   0x0080
#define  MSI_FLAGS_MASKBIT 0x0100
#define MSI_ADDRESS_LO     4

static uint16_t msi_flags(const PCIDevice *dev)
{
    return pci_get_word(dev->config + dev->msi_cap + MSI_FLAGS);
}

static unsigned msi_data_off(const PCIDevice *dev)
{
    return msi_flags(dev) & MSI_FLAGS_64BIT ? 0x0c : 0x08;
}

static unsigned msi_mask_off(const PCIDevice *dev)
{
    return msi_flags(dev) & MSI_FLAGS_64BIT ? 0x10 : 0x0c;
}

bool msi_init(PCIDevice *dev, uint8_t offset, unsigned nr_vectors,
              bool msi64bit, bool per_vector_mask, Error **errp)
{
    unsigned log2 = ctz32(nr_vectors);
    uint8_t size = 0x0a + (msi64bit ? 4 : 0) + (per_vector_mask ? 10 : 0);
    uint16_t flags;
    uint8_t pos;

    if (nr_vectors == 0 || nr_vectors > 32 || (nr_vectors & (nr_vectors - 1))) {
        error_setg(errp, "msi: %u vectors (a power of 2 up to 32)",
                   nr_vectors);
        return false;
    }
    pos = pci_add_capability(dev, PCI_CAP_ID_MSI, offset, size, errp);
    if (!pos) {
        return false;
    }
    dev->msi_cap = pos;
    flags = (log2 << 1) | (msi64bit ? MSI_FLAGS_64BIT : 0) |
            (per_vector_mask ? MSI_FLAGS_MASKBIT : 0);
    pci_set_word(dev->config + pos + MSI_FLAGS, flags);
    pci_set_word(dev->wmask + pos + MSI_FLAGS,
                 MSI_FLAGS_ENABLE | MSI_FLAGS_QSIZE);
    pci_set_long(dev->wmask + pos + MSI_ADDRESS_LO, 0xfffffffc);
    if (msi64bit) {
        pci_set_long(dev->wmask + pos + 8, 0xffffffff);
    }
    pci_set_word(dev->wmask + pos + msi_data_off(dev), 0xffff);
    if (per_vector_mask) {
        pci_set_long(dev->wmask + pos + msi_mask_off(dev),
                     nr_vectors == 32 ? 0xffffffff : (1u << nr_vectors) - 1);
    }
    return true;
}

bool msi_enabled(const PCIDevice *dev)
{
    return dev->msi_cap && (msi_flags(dev) & MSI_FLAGS_ENABLE);
}

unsigned msi_nr_vectors_enabled(const PCIDevice *dev)
{
    return msi_enabled(dev) ? 1u << ((msi_flags(dev) & MSI_FLAGS_QSIZE) >> 4)
                            : 0;
}

void pci_msi_send(PCIDevice *dev, uint64_t addr, uint32_t data)
{
    MemTxAttrs attrs = {
        .requester_id = dev->devfn,        /* bus 0: the only one */
    };

    if (!(pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
        tlog_mask(LOG_GUEST_ERROR, "pci %02x.%x: MSI without bus mastering "
                  "dropped\n", PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn));
        return;
    }
    address_space_stl_le(&address_space_memory, addr, data, attrs, NULL);
}

static void msi_send_vector(PCIDevice *dev, unsigned vector)
{
    uint8_t *cap = dev->config + dev->msi_cap;
    unsigned n = msi_nr_vectors_enabled(dev);
    uint64_t addr = pci_get_long(cap + MSI_ADDRESS_LO);
    uint32_t data = pci_get_word(cap + msi_data_off(dev));

    if (msi_flags(dev) & MSI_FLAGS_64BIT) {
        addr |= (uint64_t)pci_get_long(cap + 8) << 32;
    }
    data = (data & ~(n - 1)) | vector;
    pci_msi_send(dev, addr, data);
}

void msi_notify(PCIDevice *dev, unsigned vector)
{
    uint8_t *cap = dev->config + dev->msi_cap;

    if (!msi_enabled(dev)) {
        return;
    }
    if (vector >= msi_nr_vectors_enabled(dev)) {
        tlog_mask(LOG_GUEST_ERROR, "pci %02x.%x: MSI vector %u of %u "
                  "enabled dropped\n", PCI_SLOT(dev->devfn),
                  PCI_FUNC(dev->devfn), vector, msi_nr_vectors_enabled(dev));
        return;
    }
    if (msi_flags(dev) & MSI_FLAGS_MASKBIT) {
        uint32_t mask = pci_get_long(cap + msi_mask_off(dev));

        if (mask & (1u << vector)) {
            uint32_t pend = pci_get_long(cap + msi_mask_off(dev) + 4);
            pci_set_long(cap + msi_mask_off(dev) + 4, pend | (1u << vector));
            return;
        }
    }
    msi_send_vector(dev, vector);
}

void msi_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, int len)
{
    uint8_t *cap = dev->config + dev->msi_cap;
    uint16_t flags;
    unsigned mmc, mme;
    uint32_t mask, pend;

    if (!dev->msi_cap || addr + len <= dev->msi_cap ||
        addr >= dev->msi_cap + 0x18u) {
        return;
    }
    flags = msi_flags(dev);
    mmc = (flags & MSI_FLAGS_QMASK) >> 1;
    mme = (flags & MSI_FLAGS_QSIZE) >> 4;
    if (mme > mmc) {
        flags = (flags & ~MSI_FLAGS_QSIZE) | (mmc << 4);
        pci_set_word(cap + MSI_FLAGS, flags);
    }
    if (!(flags & MSI_FLAGS_MASKBIT) || !(flags & MSI_FLAGS_ENABLE)) {
        return;
    }
    mask = pci_get_long(cap + msi_mask_off(dev));
    pend = pci_get_long(cap + msi_mask_off(dev) + 4);
    for (unsigned v = 0; v < msi_nr_vectors_enabled(dev); v++) {
        if ((pend & (1u << v)) && !(mask & (1u << v))) {
            pend &= ~(1u << v);
            pci_set_long(cap + msi_mask_off(dev) + 4, pend);
            msi_send_vector(dev, v);
        }
    }
}

void msi_reset(PCIDevice *dev)
{
    uint8_t *cap = dev->config + dev->msi_cap;

    if (!dev->msi_cap) {
        return;
    }
    pci_set_word(cap + MSI_FLAGS, msi_flags(dev) &
                 ~(MSI_FLAGS_ENABLE | MSI_FLAGS_QSIZE));
    memset(cap + MSI_ADDRESS_LO, 0, msi_data_off(dev) + 2 - MSI_ADDRESS_LO);
    if (msi_flags(dev) & MSI_FLAGS_MASKBIT) {
        pci_set_long(cap + msi_mask_off(dev), 0);
        pci_set_long(cap + msi_mask_off(dev) + 4, 0);
    }
}
