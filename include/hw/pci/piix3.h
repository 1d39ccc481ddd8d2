/*
 * Intel PIIX3 PCI-to-ISA bridge, function 0 (82371SB datasheet).
 *
 *   PCI 01.0          8086:7000, class 0601, multi-function header
 *   bus "isa.0"       the ISA bus over the system I/O space; its 16 IRQ
 *                     lines are given by the board (GSI router inputs)
 *   I/O 0xcf9 (1)     Reset Control Register (bit 2 with bit 1: hard
 *                     reset -> system reset request)
 *   gpio out "isa-irq" 16 lines: PCI INTx routed by PIRQRC[A-D]
 *                     (0x60-0x63: bit 7 disables, bits 3:0 the ISA IRQ)
 *
 * PCI slot s pin p (INTA=0) raises PIRQ (s + p) & 3, as on the PC.
 */
#ifndef HW_PCI_PIIX3_H
#define HW_PCI_PIIX3_H

#include "hw/pci/pci.h"
#include "hw/core/isa.h"

#define TYPE_PIIX3_DEVICE "PIIX3"
#define PIIX_NUM_PIRQS 4
#define PIIX_PIRQRC 0x60

typedef struct PIIX3State {
    PCIDevice parent_obj;
    qemu_irq isa_irq_out[ISA_NUM_IRQS];
    uint8_t pirq_level;          /* bit n: PIRQ n asserted by some device */
    uint16_t pci_isa_levels;     /* bit n: PCI side drives ISA IRQ n */
    uint8_t rcr;                 /* reset control register (0xcf9) */
    ISABus *isa_bus;
} PIIX3State;

DECLARE_INSTANCE_CHECKER(PIIX3State, PIIX3, TYPE_PIIX3_DEVICE)

/* Create 01.0 on bus, its ISA bus with isa_irqs, and route PCI INTx into
 * the same lines. */
PIIX3State *piix3_create(PCIBus *bus, int devfn, qemu_irq *isa_irqs);

typedef struct PCIHostState PCIHostState;
/* Let the host bridge forward byte accesses at 0xcf9 to the RCR. */
void piix3_attach_rcr(PIIX3State *s, PCIHostState *host);

#endif
