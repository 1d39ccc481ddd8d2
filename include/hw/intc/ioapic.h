/*
 * I/O APIC (82093AA register set, version 0x20 with the EOI register by
 * default): 24 interrupt pins turned into interrupt messages for the
 * local APICs through a redirection table (hw/intc/ioapic.c).
 *
 *   MMIO 0xfec00000, 4 KiB: IOREGSEL at 0x00, IOWIN at 0x10, EOI at 0x40
 *        (indexed: 0x00 ID, 0x01 version, 0x02 arbitration, 0x10-0x3f
 *        the redirection table, two dwords per pin)
 *   gpio in (unnamed) 24 pins, active high
 *   properties "version" (0x11 or 0x20), "id" (IOAPIC id at reset)
 *
 * Interrupts are sent as MSI writes to 0xfee00000 in system memory, so
 * the userspace APICs (apic.h) and KVM's in-kernel ones (split irqchip)
 * receive them the same way.  EOIs of level-triggered vectors come back
 * from the APICs, the board's or KVM's (split irqchip:
 * KVM_EXIT_IOAPIC_EOI), through apic_register_eoi_listener; with the
 * APICs in the kernel the IOAPIC tells KVM what each pin sends
 * (X86AccelIrqchip.ioapic_route, hw/i386/x86-gsi.h) so that it reports
 * those EOIs.
 */
#ifndef HW_INTC_IOAPIC_H
#define HW_INTC_IOAPIC_H

#include "hw/core/sysbus.h"

#define TYPE_IOAPIC "ioapic"
#define IOAPIC_BASE 0xfec00000ull
#define IOAPIC_NUM_PINS 24

/* Create and map the PC's IOAPIC (id "ioapic"); pins[] get its inputs. */
DeviceState *ioapic_create(hwaddr base, qemu_irq *pins);

#endif
