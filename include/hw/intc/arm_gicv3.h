/*
 * Arm Generic Interrupt Controller v3 (IHI 0069): distributor with
 * affinity routing, one redistributor per CPU, and the system-register
 * CPU interface (ICC_*_EL1) handed to the CPUs through
 * hw/arm/arm-cpu-external-regs.h.  Single security state (GICD_CTLR.DS=1),
 * no LPIs/ITS, no virtualization.  See hw/intc/arm_gicv3.c.
 */
#ifndef HW_INTC_ARM_GICV3_H
#define HW_INTC_ARM_GICV3_H

#include "hw/intc/arm_gic.h"
#include "hw/arm/arm-cpu-external-regs.h"

#define TYPE_ARM_GICV3 "arm-gicv3"

#define GICV3_MAXCPU        123     /* redistributors in 0x00f60000 */
#define GICV3_DIST_SIZE     0x10000
#define GICV3_REDIST_SIZE   0x20000 /* RD_base + SGI_base frames */

typedef struct GICv3State GICv3State;

typedef struct GICv3CPUState {
    GICv3State *gic;
    int cpu;
    uint64_t affinity;              /* Aff3.Aff2.Aff1.Aff0 (MPIDR layout) */

    uint32_t gicr_waker;
    uint32_t gicr_ctlr;

    uint32_t icc_ctlr;
    uint32_t icc_pmr;
    uint32_t icc_bpr[2];
    uint32_t icc_apr[2];            /* active group priorities, per group */
    uint32_t icc_igrpen[2];

    qemu_irq irq;
    qemu_irq fiq;
} GICv3CPUState;

struct GICv3State {
    SysBusDevice parent_obj;
    MemoryRegion dist_mem;
    MemoryRegion redist_mem;

    uint32_t num_cpu;
    uint32_t num_irq;

    uint32_t gicd_ctlr;
    GICCore core;                   /* the interrupts' state */
    uint64_t irouter[GIC_MAXIRQ - GIC_INTERNAL];
    GICv3CPUState *cpu;             /* num_cpu, allocated at realize */
};

DECLARE_INSTANCE_CHECKER(GICv3State, ARM_GICV3, TYPE_ARM_GICV3)

/*
 * Sysbus regions: 0 the distributor (64 KiB), 1 the redistributors
 * (num-cpu x 128 KiB).  GPIO inputs and outputs as for arm_gic: SPIs
 * first, then 32 per CPU (arm_gic_ppi_index()); outputs IRQ of each CPU,
 * then FIQ of each CPU.  Properties num-cpu (1..123), num-irq.
 *
 * The CPU interface registers of CPU n: the table below with opaque
 * &gic->cpu[n] (after realize), for arm_cpu_set_external_regs().
 */
extern const ArmExternalReg gicv3_cpuif_regs[];
extern const int gicv3_cpuif_num_regs;

#endif
