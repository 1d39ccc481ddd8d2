/*
 * Local APIC (xAPIC MMIO at 0xfee00000) and IOAPIC (IOREGSEL at 0xfec00000,
 * IOWIN at +0x10; redirection entry n at registers 0x10 + 2n, 0x11 + 2n).
 */
#include "hw.h"

#define LAPIC_SVR 0x0f0
#define LAPIC_EOI 0x0b0

uint32_t lapic_read(unsigned reg)
{
    return mmio_read32(LAPIC_BASE + reg);
}

void lapic_write(unsigned reg, uint32_t v)
{
    mmio_write32(LAPIC_BASE + reg, v);
}

void lapic_enable(uint8_t spurious_vector)
{
    lapic_write(LAPIC_SVR, 0x100 | spurious_vector);    /* APIC SW enable */
}

void lapic_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}

uint32_t ioapic_read(unsigned reg)
{
    mmio_write32(IOAPIC_BASE, reg);
    return mmio_read32(IOAPIC_BASE + 0x10);
}

void ioapic_write(unsigned reg, uint32_t v)
{
    mmio_write32(IOAPIC_BASE, reg);
    mmio_write32(IOAPIC_BASE + 0x10, v);
}

void ioapic_route(unsigned pin, uint8_t vector, uint8_t apic_id)
{
    ioapic_write(0x11 + 2 * pin, (uint32_t)apic_id << 24);
    ioapic_write(0x10 + 2 * pin, vector);   /* unmasked, edge, high, fixed */
}

void ioapic_mask_all(void)
{
    unsigned pins = ((ioapic_read(0x01) >> 16) & 0xff) + 1;
    for (unsigned pin = 0; pin < pins; pin++) {
        ioapic_write(0x10 + 2 * pin, 0x10000);
    }
}
