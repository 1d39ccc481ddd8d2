/*
 * Intel MultiProcessor Specification 1.4 tables for direct kernel boot:
 * without firmware there is no ACPI, so this is how a kernel learns the
 * CPUs (local APIC ids 0..n-1), the IOAPIC at 0xfec00000 and the ISA IRQ
 * routing (IRQ 0 on IOAPIC pin 2, as the PC's override says).  Linux
 * finds the floating pointer in the last KiB of base memory (639 KiB).
 *
 * Layout: floating pointer at 0x9fc00, the configuration table after it
 * when both fit in that last KiB (up to 40 CPUs), else right below it;
 * x86_mptable_reserved() gives the start of what the e820 map reserves
 * (up to 640 KiB).
 */
#include "turtle/osdep.h"
#include "hw/i386/x86-boot.h"
#include "hw/core/loader.h"

#define MP_FLOAT_ADDR   0x9fc00
#define MP_LAPIC_ADDR   0xfee00000
#define MP_IOAPIC_ADDR  0xfec00000
#define MP_IOAPIC_ID    0            /* the IOAPIC's ID register at reset */
#define MP_IOAPIC_VER   0x20
#define MP_LAPIC_VER    0x14
#define MP_BUS_PCI      0
#define MP_BUS_ISA      1

enum { MP_PROCESSOR, MP_BUS, MP_IOAPIC, MP_INTSRC, MP_LINTSRC };
enum { MP_INT, MP_NMI, MP_SMI, MP_EXTINT };

static size_t mptable_size(unsigned ncpus)
{
    /* header, CPUs, 2 buses, IOAPIC, 15 ISA IRQs, 2 local */
    return 44 + 20 * ncpus + 8 * 2 + 8 + 8 * 15 + 8 * 2;
}

static hwaddr mptable_addr(unsigned ncpus)
{
    size_t size = mptable_size(ncpus);

    if (16 + size <= 0x400) {
        return MP_FLOAT_ADDR + 16;
    }
    return ROUND_DOWN(MP_FLOAT_ADDR - size, 16);
}

hwaddr x86_mptable_reserved(unsigned ncpus)
{
    return MIN((hwaddr)MP_FLOAT_ADDR, ROUND_DOWN(mptable_addr(ncpus), 1024));
}

static uint8_t mp_checksum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++) {
        sum += p[i];
    }
    return -sum;
}

static uint8_t *mp_entry(uint8_t **pos, size_t len, uint8_t type)
{
    uint8_t *e = *pos;

    e[0] = type;
    *pos += len;
    return e;
}

static void mp_irq(uint8_t **pos, uint8_t type, uint8_t irqtype,
                   uint8_t bus, uint8_t src, uint8_t dst_id, uint8_t dst_pin)
{
    uint8_t *e = mp_entry(pos, 8, type);

    e[1] = irqtype;
    st16_le_p(e + 2, 0);            /* polarity/trigger: conform to bus */
    e[4] = bus;
    e[5] = src;
    e[6] = dst_id;
    e[7] = dst_pin;
}

bool x86_mptable_build(unsigned ncpus, Error **errp)
{
    size_t size = mptable_size(ncpus);
    hwaddr table = mptable_addr(ncpus);
    g_autofree uint8_t *t = g_malloc0(size);
    uint8_t fp[16] = { '_', 'M', 'P', '_' };
    uint8_t *pos = t + 44;
    unsigned count = 0;

    if (ncpus == 0 || ncpus > 255) {
        error_setg(errp, "MP table: %u CPUs is out of range", ncpus);
        return false;
    }
    memcpy(t, "PCMP", 4);
    t[6] = 4;                                /* spec revision 1.4 */
    memcpy(t + 8, "TURTLE  ", 8);
    memcpy(t + 16, "PC          ", 12);
    st32_le_p(t + 36, MP_LAPIC_ADDR);

    for (unsigned i = 0; i < ncpus; i++, count++) {
        uint8_t *e = mp_entry(&pos, 20, MP_PROCESSOR);
        e[1] = i;                            /* local APIC id */
        e[2] = MP_LAPIC_VER;
        e[3] = 0x01 | (i == 0 ? 0x02 : 0);   /* enabled, BSP */
        st32_le_p(e + 4, 0x600);             /* family 6 */
        st32_le_p(e + 8, 0x201);             /* FPU, APIC */
    }
    memcpy(mp_entry(&pos, 8, MP_BUS) + 2, "PCI   ", 6);
    t[44 + 20 * ncpus + 1] = MP_BUS_PCI;
    memcpy(mp_entry(&pos, 8, MP_BUS) + 2, "ISA   ", 6);
    t[44 + 20 * ncpus + 9] = MP_BUS_ISA;
    count += 2;
    {
        uint8_t *e = mp_entry(&pos, 8, MP_IOAPIC);
        e[1] = MP_IOAPIC_ID;
        e[2] = MP_IOAPIC_VER;
        e[3] = 0x01;
        st32_le_p(e + 4, MP_IOAPIC_ADDR);
        count++;
    }
    for (int irq = 0; irq < 16; irq++) {
        if (irq == 2) {
            continue;                        /* the 8259 cascade */
        }
        mp_irq(&pos, MP_INTSRC, MP_INT, MP_BUS_ISA, irq, MP_IOAPIC_ID,
               irq == 0 ? 2 : irq);
        count++;
    }
    mp_irq(&pos, MP_LINTSRC, MP_EXTINT, MP_BUS_ISA, 0, 0xff, 0);
    mp_irq(&pos, MP_LINTSRC, MP_NMI, MP_BUS_ISA, 0, 0xff, 1);
    count += 2;
    g_assert((size_t)(pos - t) == size);
    st16_le_p(t + 4, size);
    st16_le_p(t + 34, count);
    t[7] = mp_checksum(t, size);

    st32_le_p(fp + 4, table);
    fp[8] = 1;                               /* length in paragraphs */
    fp[9] = 4;
    fp[10] = mp_checksum(fp, 16);

    return rom_add_blob(&address_space_memory, table, t, size, "MP table",
                        errp) &&
           rom_add_blob(&address_space_memory, MP_FLOAT_ADDR, fp, 16,
                        "MP floating pointer", errp);
}
