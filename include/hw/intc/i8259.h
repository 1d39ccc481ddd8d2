/*
 * Intel 8259A programmable interrupt controller, as the PC's cascaded
 * pair (ISA device "isa-i8259", one per chip; hw/intc/i8259.c).
 *
 *   I/O iobase, iobase+1    command (ICW1, OCW2, OCW3; IRR/ISR/poll reads)
 *                           and data (ICW2-4, OCW1 = IMR) ports:
 *                           0x20/0x21 master, 0xa0/0xa1 slave
 *   I/O elcr-addr           the PIIX edge/level control register of this
 *                           chip's 8 lines: 0x4d0 master, 0x4d1 slave
 *   gpio in  (unnamed)      8 lines IR0-7
 *   gpio out "int"          INT: a request is pending; the slave's goes to
 *                           the master's IR2, the master's to the CPUs
 *                           (the APICs' LINT0)
 *   properties              iobase, elcr-addr, elcr-mask (writable ELCR
 *                           bits: 0xf8 master, 0xde slave, as the PIIX:
 *                           IRQ 0-2, 8 and 13 are always edge), master
 */
#ifndef HW_INTC_I8259_H
#define HW_INTC_I8259_H

#include "hw/core/isa.h"

#define TYPE_I8259 "isa-i8259"

/*
 * Create the PC pair on bus (master 0x20/0x4d0, slave 0xa0/0x4d1, ids
 * "pic0"/"pic1"); the master's INT drives parent.  irqs[0..15] receive
 * the 16 ISA IRQ inputs (irqs[2] is the cascade, unused by devices).
 * Returns the master.
 */
DeviceState *i8259_init(ISABus *bus, qemu_irq parent, qemu_irq *irqs);

/*
 * The interrupt acknowledge cycle (both INTA pulses): the vector of the
 * highest-priority request, through the slave for IR2; the chip's IR7
 * vector if the request went away (spurious: no ISR bit is set).
 */
int i8259_read_irq(DeviceState *master);

#endif
