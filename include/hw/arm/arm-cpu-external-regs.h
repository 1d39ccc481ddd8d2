/*
 * System registers that live outside the CPU model: a device (the GICv3
 * CPU interface, ICC_*_EL1) gives the AArch64 CPU a table of encodings
 * with read/write callbacks, and the CPU's MRS/MSR decode dispatches to
 * them.
 *
 * Implemented in hw/arm/arm-cpu-external-regs.c over target/arm's
 * arm_cpu_register_cpregs():
 * - an encoding in the table is accessible at every EL >= min_el (read if
 *   readfn is set, write if writefn is set; anything else UNDEFINED);
 * - readfn/writefn run with the big lock held (ARM_CP_IO), on the vCPU
 *   thread of `cpu`, with the opaque given here; a write ends the
 *   translation block (the callbacks may change the CPU's IRQ/FIQ lines);
 * - flags ARM_EXTREGS_GIC_SYSREGS also makes ID_AA64PFR0_EL1.GIC read 1
 *   ("system register interface to the GIC implemented"), which Linux
 *   checks;
 * - the table is installed at board init and must outlive the CPU;
 * - each CPU keeps its opaque per table (ARMCPU.ext_regs): up to
 *   ARM_CPU_EXT_REG_TABLES devices can each give a CPU a table.
 */
#ifndef HW_ARM_ARM_CPU_EXTERNAL_REGS_H
#define HW_ARM_ARM_CPU_EXTERNAL_REGS_H

#include "hw/core/cpu.h"

typedef struct ArmExternalReg {
    const char *name;                 /* "ICC_IAR1_EL1", for logs and gdb */
    uint8_t op0, op1, crn, crm, op2;  /* the MRS/MSR encoding */
    uint8_t min_el;                   /* lowest EL that may access it */
    uint64_t (*readfn)(CPUState *cpu, void *opaque);
    void (*writefn)(CPUState *cpu, void *opaque, uint64_t value);
} ArmExternalReg;

/* flags for arm_cpu_set_external_regs */
#define ARM_EXTREGS_GIC_SYSREGS   (1u << 0)   /* ID_AA64PFR0_EL1.GIC = 1 */

void arm_cpu_set_external_regs(CPUState *cpu, const ArmExternalReg *regs,
                               int n, void *opaque, uint32_t flags);

#endif
