/*
 * GICv2m MSI frame; see hw/intc/arm_gicv2m.c.
 */
#ifndef HW_INTC_ARM_GICV2M_H
#define HW_INTC_ARM_GICV2M_H

#include "hw/core/sysbus.h"

#define TYPE_ARM_GICV2M "arm-gicv2m"
#define GICV2M_SIZE     0x1000
#define GICV2M_MAX_SPIS 1024

typedef struct ARMGICv2mState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    qemu_irq *spi;               /* num_spi output lines */
    uint32_t base_spi;           /* first SPI (INTID - 32) */
    uint32_t num_spi;
} ARMGICv2mState;

DECLARE_INSTANCE_CHECKER(ARMGICv2mState, ARM_GICV2M, TYPE_ARM_GICV2M)

#endif
