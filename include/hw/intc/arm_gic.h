/*
 * Arm Generic Interrupt Controller v2 (IHI 0048B): distributor and CPU
 * interface, without the Security and Virtualization Extensions.
 * See hw/intc/arm_gic.c.
 */
#ifndef HW_INTC_ARM_GIC_H
#define HW_INTC_ARM_GIC_H

#include "hw/core/sysbus.h"
#include "hw/intc/arm_gic_core.h"

#define TYPE_ARM_GIC "arm_gic"

#define GIC_NCPU        8          /* GICv2 architectural limit */
#define GIC_DIST_SIZE   0x1000
#define GIC_CPU_SIZE    0x2000     /* GICC_DIR lives at 0x1000 */

typedef struct GICState GICState;

typedef struct GICCpuIf {
    GICState *gic;
    int cpu;              /* -1: the CPU making the access */
} GICCpuIf;

struct GICState {
    SysBusDevice parent_obj;
    MemoryRegion dist_mem;
    MemoryRegion cpu_mem;
    MemoryRegion cpu_n_mem[GIC_NCPU];
    GICCpuIf cpu_if[GIC_NCPU + 1];

    uint32_t num_cpu;
    uint32_t num_irq;     /* including the 32 internal ones */

    uint32_t gicd_ctlr;
    uint32_t gicc_ctlr[GIC_NCPU];
    uint32_t gicc_pmr[GIC_NCPU];
    uint32_t gicc_bpr[GIC_NCPU];
    uint32_t gicc_abpr[GIC_NCPU];
    uint32_t gicc_apr[GIC_NCPU];      /* one bit per active group priority */
    GICCore core;                     /* the interrupts' state */
    uint8_t target[GIC_MAXIRQ - GIC_INTERNAL];     /* SPIs: GICD_ITARGETSR */
    uint8_t sgi_sources[GIC_NCPU][GIC_NR_SGIS];    /* pending per source */

    qemu_irq irq_out[GIC_NCPU];
    qemu_irq fiq_out[GIC_NCPU];
};

DECLARE_INSTANCE_CHECKER(GICState, ARM_GIC, TYPE_ARM_GIC)

/*
 * Sysbus regions: 0 the distributor; 1 the CPU interface of the accessing
 * CPU; 2+n CPU n's interface.  Boards map 0 and 1 (-device arm_gic,addr=A
 * maps region i at A + i * 64 KiB).  GPIO inputs: SPIs (INTID
 * 32..num_irq-1) first, then 32 per CPU for its PPIs (index num_irq-32 +
 * 32*cpu + INTID).  Outputs (sysbus irqs): IRQ of each CPU, then FIQ of
 * each CPU.
 */
static inline int arm_gic_ppi_index(uint32_t num_irq, int cpu, int intid)
{
    return num_irq - GIC_INTERNAL + cpu * GIC_INTERNAL + intid;
}

#endif
