/*
 * PCI configuration mechanism #1: CONFIG_ADDRESS at 0xcf8 (bit 31 enable,
 * bus 23:16, device 15:11, function 10:8, register 7:2), CONFIG_DATA 0xcfc.
 */
#include "hw.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc

static uint32_t pci_addr(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
    return 0x80000000u | (bus << 16) | (dev << 11) | (fn << 8) | (off & 0xfc);
}

uint32_t pci_cfg_read32(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
    outl(PCI_CONFIG_ADDRESS, pci_addr(bus, dev, fn, off));
    return inl(PCI_CONFIG_DATA);
}

void pci_cfg_write32(unsigned bus, unsigned dev, unsigned fn, unsigned off,
                     uint32_t v)
{
    outl(PCI_CONFIG_ADDRESS, pci_addr(bus, dev, fn, off));
    outl(PCI_CONFIG_DATA, v);
}

int pci_scan_bus0(void)
{
    int found = 0;
    for (unsigned dev = 0; dev < 32; dev++) {
        for (unsigned fn = 0; fn < 8; fn++) {
            uint32_t id = pci_cfg_read32(0, dev, fn, 0x00);
            if ((id & 0xffff) == 0xffff) {
                if (fn == 0) {
                    break;
                }
                continue;
            }
            uint32_t class = pci_cfg_read32(0, dev, fn, 0x08) >> 8;
            uint32_t hdr = (pci_cfg_read32(0, dev, fn, 0x0c) >> 16) & 0xff;
            print("pci: 00:%02x.%u %04x:%04x class %06x hdr %02x\n", dev, fn,
                  id & 0xffff, id >> 16, class, hdr);
            found++;
            /* Header type bit 7: multi-function device. */
            if (fn == 0 && !(hdr & 0x80)) {
                break;
            }
        }
    }
    return found;
}

uint32_t pci_bar_size(unsigned dev, unsigned fn, unsigned bar, uint32_t *orig)
{
    unsigned off = 0x10 + 4 * bar;
    uint32_t cmd = pci_cfg_read32(0, dev, fn, 0x04);
    uint32_t old = pci_cfg_read32(0, dev, fn, off);

    /* Decode off while the BAR holds the all-ones probe (PCI 3.0 6.2.5.1). */
    pci_cfg_write32(0, dev, fn, 0x04, cmd & ~3u);
    pci_cfg_write32(0, dev, fn, off, 0xffffffff);
    uint32_t probe = pci_cfg_read32(0, dev, fn, off);
    pci_cfg_write32(0, dev, fn, off, old);
    pci_cfg_write32(0, dev, fn, 0x04, cmd);

    *orig = old;
    if (probe == 0 || probe == 0xffffffff) {
        return 0;
    }
    uint32_t mask = (old & 1) ? (probe & ~3u) : (probe & ~15u);
    if (old & 1) {
        mask |= 0xffff0000; /* I/O BARs may implement only 16 bits */
    }
    return ~mask + 1;
}
