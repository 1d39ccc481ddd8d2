/*
 * Arm PrimeCell GPIO (PL061); see hw/gpio/pl061.c.
 */
#ifndef HW_GPIO_PL061_H
#define HW_GPIO_PL061_H

#include "hw/core/sysbus.h"

#define TYPE_PL061 "pl061"
#define PL061_NUM_LINES 8

typedef struct PL061State {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    qemu_irq irq;
    qemu_irq out[PL061_NUM_LINES];

    uint32_t data;        /* GPIODATA as written (output pins) */
    uint32_t in;          /* levels on the input lines */
    uint32_t old_pins;    /* pin values at the last update, for edges */
    uint32_t dir;
    uint32_t is;
    uint32_t ibe;
    uint32_t iev;
    uint32_t ie;
    uint32_t ris;
    uint32_t afsel;
    uint32_t old_out;     /* last level driven on each output line */
} PL061State;

DECLARE_INSTANCE_CHECKER(PL061State, PL061, TYPE_PL061)

#endif
