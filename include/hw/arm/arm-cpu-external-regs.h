/*
 * System registers that live outside the CPU model: a device (the GICv3
 * CPU interface, ICC_*_EL1) gives the AArch64 CPU a table of encodings
 * with read/write callbacks, and the CPU's MRS/MSR decode dispatches to
 * them.
 *
 * Contract for target/arm (which implements arm_cpu_set_external_regs):
 * - arm_cpreg_find() looks the CPU's external table up before (or after)
 *   its own registers; an encoding found there is accessible at every EL
 *   >= min_el (EL0 accesses below min_el, and any access the table does
 *   not list, stay UNDEFINED as before).
 * - readfn/writefn are called with the big lock held (as ARM_CP_IO
 *   registers are), on the vCPU thread of `cpu`, with the opaque given
 *   here; a write ends the translation block (the callbacks may change
 *   the CPU's IRQ/FIQ lines).  A NULL readfn makes the register write-only
 *   (reads UNDEFINED), a NULL writefn read-only.
 * - Installing a table with the GICv3 CPU interface also makes
 *   ID_AA64PFR0_EL1.GIC read 1 ("system register interface to the GIC
 *   implemented"), which Linux checks; flags carries that request.
 * - The table is installed before the machine starts (board init) and
 *   stays valid for the CPU's lifetime.
 *
 * Until target/arm provides the function, the declaration is weak: a
 * board must check `arm_cpu_set_external_regs != NULL` and refuse a
 * configuration that needs it with a clear error.
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
                               int n, void *opaque, uint32_t flags)
    __attribute__((weak));

#endif
