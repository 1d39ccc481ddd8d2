/*
 * High Precision Event Timer (IA-PC HPET specification 1.0a), as on
 * QEMU's pc: 3 timers, a 64-bit main counter at 100 MHz, legacy
 * replacement routing (hw/timer/hpet.c).
 *
 *   MMIO 0xfed00000, 1 KiB (32- and 64-bit accesses)
 *   gpio in  "legacy"  0: the PIT's IRQ 0, 1: the RTC's IRQ 8; passed on
 *                      to GSI 0 / 8 unless legacy replacement is on
 *   gpio out "gsi"     24 lines to the GSI router: legacy replacement puts
 *                      timer 0 on GSI 0 (IOAPIC pin 2) and timer 1 on GSI 8;
 *                      otherwise each timer uses the IOAPIC pin it is
 *                      routed to (Tn_INT_ROUTE_CNF)
 *   gpio out "pit-enabled"  low while legacy replacement is on: a PIT that
 *                      does not feed "legacy" 0 (KVM's in-kernel one) must
 *                      stop interrupting then
 *   properties "timers" (3..32), "intcap" (IOAPIC pins a timer may use:
 *              0xff0104 = 2, 8, 16-23)
 * No FSB (MSI) delivery: Tn_FSB_INT_DEL_CAP is 0.
 */
#ifndef HW_TIMER_HPET_H
#define HW_TIMER_HPET_H

#include "hw/core/sysbus.h"

#define TYPE_HPET "hpet"
#define HPET_BASE 0xfed00000ull
#define HPET_LEN 0x400
#define HPET_CLK_PERIOD_FS 10000000ull     /* 10 ns */

/* Create and map the HPET (id "hpet"); gsi[0..23] receive its outputs. */
DeviceState *hpet_create(hwaddr base, const qemu_irq *gsi);

#endif
