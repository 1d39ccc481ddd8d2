/*
 * GICv3 internals shared by the distributor/redistributor model
 * (arm_gicv3.c) and the system-register CPU interface (arm_gicv3_cpuif.c).
 */
#ifndef HW_INTC_GICV3_INTERNAL_H
#define HW_INTC_GICV3_INTERNAL_H

#include "hw/intc/arm_gicv3.h"

#define GICD_CTLR_EN_GRP0   (1 << 0)
#define GICD_CTLR_EN_GRP1   (1 << 1)
#define GICD_CTLR_ARE       (1 << 4)
#define GICD_CTLR_DS        (1 << 6)

#define GICR_WAKER_PS       (1 << 1)    /* ProcessorSleep */
#define GICR_WAKER_CA       (1 << 2)    /* ChildrenAsleep */

#define ICC_CTLR_CBPR       (1 << 0)
#define ICC_CTLR_EOIMODE    (1 << 1)
#define ICC_CTLR_PRIBITS    (4 << 8)    /* five bits */
#define ICC_CTLR_A3V        (1 << 15)

#define GICV3_IIDR          0x0300043b
#define IROUTER_IRM         (1ull << 31)
#define IROUTER_MASK        0xff80ffffffull  /* Aff3, IRM, Aff2..Aff0 */
#define AFF_MASK            0xff00ffffffull

static inline GICIrqState *gicv3_irq(GICv3State *s, int cpu, int irq)
{
    return gic_core_irq(&s->core, cpu, irq);
}
/* group priority mask of cs for a group's binary point */
uint32_t gicv3_group_mask(GICv3CPUState *cs, int group);
/* highest active priority of cs, GIC_IDLE_PRIO if none */
uint32_t gicv3_running_prio(GICv3CPUState *cs);
/* highest priority forwardable pending interrupt of cpu, or 1023 */
int gicv3_best_pending(GICv3State *s, int cpu);
/* would irq be signalled to cpu now (awake, group enabled, PMR, preemption) */
bool gicv3_can_signal(GICv3State *s, int cpu, int irq);
/* recompute every CPU's IRQ and FIQ line */
void gicv3_update(GICv3State *s);

#endif
