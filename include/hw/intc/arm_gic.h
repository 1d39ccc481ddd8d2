/*
 * Arm Generic Interrupt Controller v2 (IHI 0048B): distributor and CPU
 * interface, without the Security and Virtualization Extensions.
 * See hw/intc/arm_gic.c.
 */
#ifndef HW_INTC_ARM_GIC_H
#define HW_INTC_ARM_GIC_H

#include "hw/core/sysbus.h"

#define TYPE_ARM_GIC "arm_gic"

#define GIC_NCPU        8          /* GICv2 architectural limit */
#define GIC_MAXIRQ      1020       /* INTIDs 0..1019 */
#define GIC_NR_SGIS     16
#define GIC_INTERNAL    32         /* SGIs + PPIs, banked per CPU */
#define GIC_SPURIOUS    1023
#define GIC_DIST_SIZE   0x1000
#define GIC_CPU_SIZE    0x2000     /* GICC_DIR lives at 0x1000 */

/* One interrupt as seen by one CPU (banked) or by all (SPIs). */
typedef struct GICIrqState {
    uint8_t enabled;
    uint8_t pending;      /* latched: edge, GICD_ISPENDR, SGIs */
    uint8_t active;
    uint8_t level;        /* input line level */
    uint8_t edge;         /* GICD_ICFGR Int_config[1]: 1 edge-triggered */
    uint8_t group;
    uint8_t priority;
    uint8_t target;       /* SPIs: GICD_ITARGETSR CPU mask */
    uint8_t sgi_sources;  /* SGIs: pending bit per source CPU */
    uint8_t active_cpu;   /* SPIs: CPU that acknowledged it */
} GICIrqState;

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
    /* -device arm_gic,addr=: one window with every region (see .c) */
    MemoryRegion window;
    MemoryRegion window_alias[2 + GIC_NCPU];

    uint32_t num_cpu;
    uint32_t num_irq;     /* including the 32 internal ones */

    uint32_t gicd_ctlr;
    uint32_t gicc_ctlr[GIC_NCPU];
    uint32_t gicc_pmr[GIC_NCPU];
    uint32_t gicc_bpr[GIC_NCPU];
    uint32_t gicc_abpr[GIC_NCPU];
    uint32_t gicc_apr[GIC_NCPU];      /* one bit per active group priority */
    GICIrqState irq[GIC_NCPU * GIC_INTERNAL + GIC_MAXIRQ - GIC_INTERNAL];

    qemu_irq irq_out[GIC_NCPU];
    qemu_irq fiq_out[GIC_NCPU];
};

DECLARE_INSTANCE_CHECKER(GICState, ARM_GIC, TYPE_ARM_GIC)

/*
 * Sysbus regions: 0 a window holding everything (distributor at +0, CPU
 * interface at +0x10000, CPU n's interface at +0x20000 + n * 0x10000), for
 * -device arm_gic,addr=; 1 the distributor; 2 the CPU interface of the
 * accessing CPU; 3+n CPU n's interface.  Boards map 1 and 2.  GPIO inputs: SPIs (INTID 32..num_irq-1)
 * first, then 32 per CPU for its PPIs (index num_irq-32 + 32*cpu + INTID).
 * Outputs (sysbus irqs): IRQ of each CPU, then FIQ of each CPU.
 */
static inline int arm_gic_ppi_index(uint32_t num_irq, int cpu, int intid)
{
    return num_irq - GIC_INTERNAL + cpu * GIC_INTERNAL + intid;
}

#endif
