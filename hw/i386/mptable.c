/*
 * Intel MultiProcessor Specification 1.4 tables for direct kernel boot:
 * without firmware there is no ACPI, so this is how a kernel learns the
 * CPUs (local APIC ids 0..n-1), the IOAPIC at 0xfec00000, the ISA IRQ
 * routing (IRQ 0 on IOAPIC pin 2, as the PC's override says) and which
 * IOAPIC pin each PCI slot's INTx reaches.  Linux finds the floating
 * pointer in the last KiB of base memory (639 KiB).
 *
 * The board rebuilds the tables on every reset (PCI devices from -device
 * exist by then) after routing PIRQ A-D; the configuration table lies
 * right below the floating pointer at 0x9fc00, inside the range
 * x86_mptable_reserved() gives (sized for the worst case).
 */
#include "turtle/osdep.h"
#include "hw/i386/x86-boot.h"
#include "exec/memory.h"

#define MP_FLOAT_ADDR   0x9fc00
#define MP_LAPIC_ADDR   0xfee00000
#define MP_IOAPIC_ADDR  0xfec00000
#define MP_IOAPIC_ID    0            /* the IOAPIC's ID register at reset */
#define MP_IOAPIC_VER   0x20
#define MP_LAPIC_VER    0x14
#define MP_BUS_PCI      0
#define MP_BUS_ISA      1
#define MP_MAX_PCI_IRQS (32 * 4)
/* PCI INTx arrive level-triggered; the lines are modelled active high
 * (what QEMU's MADT declares for IRQs 5, 9, 10, 11) */
#define MP_IRQ_LEVEL_HIGH 0x0d

enum { MP_PROCESSOR, MP_BUS, MP_IOAPIC, MP_INTSRC, MP_LINTSRC };
enum { MP_INT, MP_NMI, MP_SMI, MP_EXTINT };

static size_t mptable_size(unsigned ncpus, unsigned npci, unsigned nisa)
{
    /* header, CPUs, 2 buses, IOAPIC, ISA IRQs, PCI INTx, 2 local */
    return 44 + 20 * ncpus + 8 * 2 + 8 + 8 * nisa + 8 * npci + 8 * 2;
}

hwaddr x86_mptable_reserved(unsigned ncpus)
{
    size_t worst = mptable_size(ncpus, MP_MAX_PCI_IRQS, 15);

    return ROUND_DOWN(MP_FLOAT_ADDR - worst, 4096);
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
                   uint16_t flags, uint8_t bus, uint8_t src, uint8_t dst_id,
                   uint8_t dst_pin)
{
    uint8_t *e = mp_entry(pos, 8, type);

    e[1] = irqtype;
    st16_le_p(e + 2, flags);        /* 0: polarity/trigger of the bus */
    e[4] = bus;
    e[5] = src;
    e[6] = dst_id;
    e[7] = dst_pin;
}

void x86_mptable_write(unsigned ncpus, const X86MPPCIIrq *pci, unsigned npci)
{
    uint16_t pci_isa_irqs = 0;
    unsigned nisa = 0, count = 0;
    size_t size;
    hwaddr table;
    uint8_t *t, *pos;
    uint8_t fp[16] = { '_', 'M', 'P', '_' };

    g_assert(ncpus >= 1 && ncpus <= 255 && npci <= MP_MAX_PCI_IRQS);
    for (unsigned i = 0; i < npci; i++) {
        pci_isa_irqs |= 1 << pci[i].irq;
    }
    for (int irq = 0; irq < 16; irq++) {
        /* IRQ 2 is the 8259 cascade; PCI-routed IRQs get PCI entries */
        if (irq != 2 && !(pci_isa_irqs & (1 << irq))) {
            nisa++;
        }
    }
    size = mptable_size(ncpus, npci, nisa);
    table = ROUND_DOWN(MP_FLOAT_ADDR - size, 16);
    t = g_malloc0(size);
    pos = t + 44;

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
    {
        uint8_t *e = mp_entry(&pos, 8, MP_BUS);
        e[1] = MP_BUS_PCI;
        memcpy(e + 2, "PCI   ", 6);
        e = mp_entry(&pos, 8, MP_BUS);
        e[1] = MP_BUS_ISA;
        memcpy(e + 2, "ISA   ", 6);
        e = mp_entry(&pos, 8, MP_IOAPIC);
        e[1] = MP_IOAPIC_ID;
        e[2] = MP_IOAPIC_VER;
        e[3] = 0x01;
        st32_le_p(e + 4, MP_IOAPIC_ADDR);
        count += 3;
    }
    for (int irq = 0; irq < 16; irq++) {
        if (irq == 2 || (pci_isa_irqs & (1 << irq))) {
            continue;
        }
        mp_irq(&pos, MP_INTSRC, MP_INT, 0, MP_BUS_ISA, irq, MP_IOAPIC_ID,
               irq == 0 ? 2 : irq);
        count++;
    }
    for (unsigned i = 0; i < npci; i++) {
        /* source: bits 6:2 the device number, 1:0 the pin (INTA = 0) */
        mp_irq(&pos, MP_INTSRC, MP_INT, MP_IRQ_LEVEL_HIGH, MP_BUS_PCI,
               (pci[i].slot << 2) | pci[i].pin, MP_IOAPIC_ID, pci[i].irq);
        count++;
    }
    mp_irq(&pos, MP_LINTSRC, MP_EXTINT, 0, MP_BUS_ISA, 0, 0xff, 0);
    mp_irq(&pos, MP_LINTSRC, MP_NMI, 0, MP_BUS_ISA, 0, 0xff, 1);
    count += 2;
    g_assert((size_t)(pos - t) == size);
    st16_le_p(t + 4, size);
    st16_le_p(t + 34, count);
    t[7] = mp_checksum(t, size);

    st32_le_p(fp + 4, table);
    fp[8] = 1;                               /* length in paragraphs */
    fp[9] = 4;
    fp[10] = mp_checksum(fp, 16);

    address_space_write(&address_space_memory, table, MEMTXATTRS_UNSPECIFIED,
                        t, size);
    address_space_write(&address_space_memory, MP_FLOAT_ADDR,
                        MEMTXATTRS_UNSPECIFIED, fp, sizeof(fp));
    g_free(t);
}
