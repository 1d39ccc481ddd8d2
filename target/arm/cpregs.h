/*
 * System register and system instruction descriptions (MRS/MSR/SYS).
 * The translator looks an encoding up with arm_cpreg_find(), checks the
 * access bits for the current EL at translate time, calls accessfn (if
 * any) at run time, then reads/writes fieldoffset inline or calls
 * readfn/writefn through helpers.
 */
#ifndef TARGET_ARM_CPREGS_H
#define TARGET_ARM_CPREGS_H

#include "target/arm/cpu.h"

/* access: bit 2*el = readable at el, bit 2*el+1 = writable at el */
#define PL3_R 0x40
#define PL3_W 0x80
#define PL2_R (0x10 | PL3_R)
#define PL2_W (0x20 | PL3_W)
#define PL1_R (0x04 | PL2_R)
#define PL1_W (0x08 | PL2_W)
#define PL0_R (0x01 | PL1_R)
#define PL0_W (0x02 | PL1_W)
#define PL3_RW (PL3_R | PL3_W)
#define PL2_RW (PL2_R | PL2_W)
#define PL1_RW (PL1_R | PL1_W)
#define PL0_RW (PL0_R | PL0_W)

/* type */
#define ARM_CP_CONST      (1u << 0)   /* reads resetvalue, writes ignored */
#define ARM_CP_NOP        (1u << 1)   /* no effect at all */
/* a write ends the TB and recomputes env->hflags: every register that
 * feeds the TB flags (arm_compute_hflags) must have EXIT_TB or EXIT_LOOP */
#define ARM_CP_EXIT_TB    (1u << 2)
#define ARM_CP_IO         (1u << 3)   /* readfn/writefn take the BQL */
#define ARM_CP_FPU        (1u << 4)   /* subject to the FP access trap */
#define ARM_CP_NZCV       (1u << 5)
#define ARM_CP_CURRENTEL  (1u << 6)
#define ARM_CP_DC_ZVA     (1u << 7)
#define ARM_CP_DAIF       (1u << 8)
#define ARM_CP_SPSEL      (1u << 9)
#define ARM_CP_FPCR       (1u << 10)
#define ARM_CP_FPSR       (1u << 11)
/* a write may unmask an interrupt: return to the main loop, not just
 * end the TB (ARM_CP_EXIT_TB alone chains to the next TB's lookup) */
#define ARM_CP_EXIT_LOOP  (1u << 12)

typedef enum CPAccessResult {
    CP_ACCESS_OK,
    CP_ACCESS_TRAP,        /* EC 0x18 to EL1 (or current EL if higher) */
    CP_ACCESS_UNDEF,       /* UNDEFINED */
    CP_ACCESS_TRAP_EL2,    /* EC 0x18 to EL2 */
} CPAccessResult;

typedef struct ARMCPRegInfo ARMCPRegInfo;
typedef uint64_t CPReadFn(CPUARMState *env, const ARMCPRegInfo *ri);
typedef void CPWriteFn(CPUARMState *env, const ARMCPRegInfo *ri,
                       uint64_t value);
typedef CPAccessResult CPAccessFn(CPUARMState *env, const ARMCPRegInfo *ri,
                                  bool isread);

struct ARMCPRegInfo {
    const char *name;
    uint8_t op0, op1, crn, crm, op2;
    uint8_t access;
    uint32_t type;
    uint64_t resetvalue;        /* for ARM_CP_CONST */
    ptrdiff_t fieldoffset;      /* 0: none (use readfn/writefn) */
    CPAccessFn *accessfn;
    CPReadFn *readfn;
    CPWriteFn *writefn;
    uint64_t opaque;            /* per-register data for shared functions */
};

const ARMCPRegInfo *arm_cpreg_find(ARMCPU *cpu, int op0, int op1, int crn,
                                   int crm, int op2);

/*
 * Add system registers to one CPU (before it runs), e.g. the GICv3 CPU
 * interface (ICC_*_EL1).  regs must stay valid; they take precedence over
 * the built-in table.  The functions reach per-CPU device state through
 * their ARMCPRegInfo.opaque and the executing CPU (see
 * hw/arm/arm-cpu-external-regs.c).
 */
void arm_cpu_register_cpregs(ARMCPU *cpu, const ARMCPRegInfo *regs, size_t n);

static inline uint32_t syn_sysreg_trap(int op0, int op1, int crn, int crm,
                                       int op2, int rt, bool isread)
{
    return (EC_SYSTEMREGISTERTRAP << 26) | ARM_EL_IL | (op0 << 20) |
           (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) |
           (crm << 1) | isread;
}

#endif
