/*
 * PCI MSI-X - see include/hw/pci/msix.h.  Capability layout (PCI Local
 * Bus Spec 3.0, 6.8.2):
 *   +0x02 Message Control: 10:0 Table Size - 1, 14 Function Mask,
 *         15 MSI-X Enable
 *   +0x04 Table Offset (31:3) / Table BIR (2:0)
 *   +0x08 PBA Offset / PBA BIR
 * Table entry (16 bytes): Message Address low, high, Message Data,
 * Vector Control (bit 0: masked).  Entries start masked (6.8.2.9).
 *
 * Model choices: table accesses are 4 or 8 bytes, aligned (6.8.2: the
 * driver must use DWORD or QWORD accesses); others are guest errors.
 * The PBA is read-only.  A pending vector is sent as soon as it is
 * unmasked by a table write or a Message Control write, while enabled.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/pci/msix.h"
#include "hw/pci/msi.h"

#define MSIX_CONTROL            2
#define  MSIX_CONTROL_QSIZE     0x07ff
#define  MSIX_CONTROL_MASKALL   0x4000
#define  MSIX_CONTROL_ENABLE    0x8000
#define MSIX_TABLE              4
#define MSIX_PBA                8
#define MSIX_CAP_SIZE           12
#define MSIX_ENTRY_VECTOR_CTRL  12
#define  MSIX_ENTRY_CTRL_MASKBIT 1

static uint16_t msix_control(const PCIDevice *dev)
{
    return pci_get_word(dev->config + dev->msix_cap + MSIX_CONTROL);
}

bool msix_present(const PCIDevice *dev)
{
    return dev->msix_cap != 0;
}

bool msix_enabled(const PCIDevice *dev)
{
    return dev->msix_cap && (msix_control(dev) & MSIX_CONTROL_ENABLE);
}

unsigned msix_nr_vectors(const PCIDevice *dev)
{
    return dev->msix_nr;
}

static uint8_t *msix_entry(PCIDevice *dev, unsigned vector)
{
    return dev->msix_table + vector * PCI_MSIX_ENTRY_SIZE;
}

static bool msix_is_masked(PCIDevice *dev, unsigned vector)
{
    return (msix_control(dev) & MSIX_CONTROL_MASKALL) ||
           (pci_get_long(msix_entry(dev, vector) + MSIX_ENTRY_VECTOR_CTRL) &
            MSIX_ENTRY_CTRL_MASKBIT);
}

bool msix_is_pending(const PCIDevice *dev, unsigned vector)
{
    return vector < dev->msix_nr &&
           (dev->msix_pba[vector / 8] & (1u << (vector % 8)));
}

static void msix_set_pending(PCIDevice *dev, unsigned vector, bool on)
{
    uint8_t bit = 1u << (vector % 8);

    dev->msix_pba[vector / 8] = on ? dev->msix_pba[vector / 8] | bit
                                   : dev->msix_pba[vector / 8] & ~bit;
}

static void msix_send(PCIDevice *dev, unsigned vector)
{
    uint8_t *e = msix_entry(dev, vector);
    uint64_t addr = pci_get_long(e) | (uint64_t)pci_get_long(e + 4) << 32;

    pci_msi_send(dev, addr, pci_get_long(e + 8));
}

void msix_notify(PCIDevice *dev, unsigned vector)
{
    if (!msix_enabled(dev)) {
        return;
    }
    if (vector >= dev->msix_nr) {
        tlog_mask(LOG_GUEST_ERROR, "msix: vector %u of %u: dropped\n",
                  vector, dev->msix_nr);
        return;
    }
    if (msix_is_masked(dev, vector)) {
        msix_set_pending(dev, vector, true);
        return;
    }
    msix_send(dev, vector);
}

/* Send what became unmasked. */
static void msix_flush_pending(PCIDevice *dev, unsigned first, unsigned n)
{
    if (!msix_enabled(dev)) {
        return;
    }
    for (unsigned v = first; v < first + n && v < dev->msix_nr; v++) {
        if (msix_is_pending(dev, v) && !msix_is_masked(dev, v)) {
            msix_set_pending(dev, v, false);
            msix_send(dev, v);
        }
    }
}

void msix_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, int len)
{
    uint32_t ctl = dev->msix_cap + MSIX_CONTROL;

    if (dev->msix_cap && addr < ctl + 2 && ctl < addr + len) {
        msix_flush_pending(dev, 0, dev->msix_nr);
    }
}

/* ---- the table and the PBA ---- */

static uint64_t msix_table_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIDevice *dev = opaque;

    return ldn_le_p(dev->msix_table + addr, size);
}

static void msix_table_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    PCIDevice *dev = opaque;
    unsigned vector = addr / PCI_MSIX_ENTRY_SIZE;

    stn_le_p(dev->msix_table + addr, size, val);
    msix_flush_pending(dev, vector, 1);
}

static bool msix_access_ok(void *opaque, hwaddr addr, unsigned size,
                           bool is_write, MemTxAttrs attrs)
{
    return (size == 4 || size == 8) && !(addr % size);
}

static const MemoryRegionOps msix_table_ops = {
    .read = msix_table_read,
    .write = msix_table_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8,
               .accepts = msix_access_ok },
    .impl = { .min_access_size = 4, .max_access_size = 8 },
};

static uint64_t msix_pba_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIDevice *dev = opaque;

    return ldn_le_p(dev->msix_pba + addr, size);
}

static void msix_pba_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    tlog_mask(LOG_GUEST_ERROR, "msix: write to the read-only PBA at 0x%"
              HWADDR_PRIx "\n", addr);
}

static const MemoryRegionOps msix_pba_ops = {
    .read = msix_pba_read,
    .write = msix_pba_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8,
               .accepts = msix_access_ok },
    .impl = { .min_access_size = 4, .max_access_size = 8 },
};

bool msix_init_exclusive_bar(PCIDevice *dev, unsigned nvectors,
                             uint8_t bar_nr, Error **errp)
{
    uint32_t table_size = nvectors * PCI_MSIX_ENTRY_SIZE;
    /* the PBA in its own 8-byte-aligned words after the table */
    uint32_t pba_off = ROUND_UP(table_size, 8);
    uint32_t pba_size = ROUND_UP(DIV_ROUND_UP(nvectors, 8), 8);
    uint64_t bar_size = 4096;
    uint8_t pos, *cap;

    if (nvectors == 0 || nvectors > PCI_MSIX_MAX_VECTORS) {
        error_setg(errp, "msix: %u vectors (1..%d)", nvectors,
                   PCI_MSIX_MAX_VECTORS);
        return false;
    }
    while (bar_size < pba_off + pba_size) {
        bar_size *= 2;
    }
    pos = pci_add_capability(dev, PCI_CAP_ID_MSIX, 0, MSIX_CAP_SIZE, errp);
    if (!pos) {
        return false;
    }
    dev->msix_cap = pos;
    dev->msix_nr = nvectors;
    dev->msix_table = g_malloc0(table_size);
    dev->msix_pba = g_malloc0(pba_size);
    cap = dev->config + pos;
    pci_set_word(cap + MSIX_CONTROL, nvectors - 1);
    pci_set_long(cap + MSIX_TABLE, bar_nr);
    pci_set_long(cap + MSIX_PBA, pba_off | bar_nr);
    pci_set_word(dev->wmask + pos + MSIX_CONTROL,
                 MSIX_CONTROL_MASKALL | MSIX_CONTROL_ENABLE);

    memory_region_init(&dev->msix_bar, OBJECT(dev), "msix", bar_size);
    memory_region_init_io(&dev->msix_table_mmio, OBJECT(dev), &msix_table_ops,
                          dev, "msix-table", table_size);
    memory_region_init_io(&dev->msix_pba_mmio, OBJECT(dev), &msix_pba_ops,
                          dev, "msix-pba", pba_size);
    memory_region_add_subregion(&dev->msix_bar, 0, &dev->msix_table_mmio);
    memory_region_add_subregion(&dev->msix_bar, pba_off,
                                &dev->msix_pba_mmio);
    pci_register_bar(dev, bar_nr, 0, &dev->msix_bar);
    msix_reset(dev);
    return true;
}

void msix_uninit(PCIDevice *dev)
{
    if (!dev->msix_cap) {
        return;
    }
    pci_del_capability(dev, PCI_CAP_ID_MSIX, MSIX_CAP_SIZE);
    dev->msix_cap = 0;
    g_clear_pointer(&dev->msix_table, g_free);
    g_clear_pointer(&dev->msix_pba, g_free);
}

void msix_reset(PCIDevice *dev)
{
    if (!dev->msix_cap) {
        return;
    }
    pci_set_word(dev->config + dev->msix_cap + MSIX_CONTROL,
                 dev->msix_nr - 1);
    memset(dev->msix_table, 0, dev->msix_nr * PCI_MSIX_ENTRY_SIZE);
    for (unsigned v = 0; v < dev->msix_nr; v++) {
        pci_set_long(msix_entry(dev, v) + MSIX_ENTRY_VECTOR_CTRL,
                     MSIX_ENTRY_CTRL_MASKBIT);
    }
    memset(dev->msix_pba, 0, ROUND_UP(DIV_ROUND_UP(dev->msix_nr, 8), 8));
}
