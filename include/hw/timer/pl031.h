/*
 * Arm PrimeCell real-time clock (PL031); see hw/timer/pl031.c.
 */
#ifndef HW_TIMER_PL031_H
#define HW_TIMER_PL031_H

#include "hw/core/sysbus.h"
#include "turtle/timer.h"

#define TYPE_PL031 "pl031"

typedef struct PL031State {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    QEMUTimer *match_timer;     /* host clock: fires when DR reaches MR */
    qemu_irq irq;

    /* DR = tick_offset + host clock seconds (QEMU_CLOCK_HOST) */
    uint32_t tick_offset;
    uint32_t mr;
    uint32_t lr;
    uint32_t cr;
    uint32_t imsc;
    uint32_t ris;
} PL031State;

DECLARE_INSTANCE_CHECKER(PL031State, PL031, TYPE_PL031)

#endif
