/*
 * AArch64 guest CPU: architectural state and the interfaces the rest of
 * target/arm shares.
 *
 * The CPU object ("arm-cpu", abstract; models "cortex-a57-arm-cpu",
 * "cortex-a72-arm-cpu", "max-arm-cpu") exposes to boards:
 *   GPIO inputs  (unnamed) 0 IRQ, 1 FIQ, 2 VIRQ, 3 VFIQ  (ARM_CPU_IRQ...)
 *   GPIO outputs "gt-timer" 0 phys, 1 virt, 2 hyp, 3 sec (GTIMER_*), level
 *                high while the timer condition holds and IMASK is clear
 *   arm_cpu_set_firmware_call(): the board's handler of HVC/SMC (PSCI)
 *   arm_cpu_set_boot_state(): pc, x0 and the EL to start in
 *   cs->mp_affinity is MPIDR_EL1's Aff fields
 *
 * Register conventions (chosen so the translator is cheap):
 *   xregs[31] is the *current* stack pointer; the banked values live in
 *   sp_el[] and are swapped by arm_rebank_sp() whenever EL or SPSel change.
 *   NZCV are kept split: N = NF bit 31, Z = (ZF == 0), C = CF (0/1),
 *   V = VF bit 31.
 */
#ifndef TARGET_ARM_CPU_H
#define TARGET_ARM_CPU_H

#include "turtle/osdep.h"
#include "hw/core/cpu.h"
#include "turtle/timer.h"
#include "exec/tcg-cpu-ops.h"
#include "exec/exec-all.h"

#define TYPE_ARM_CPU "arm-cpu"
#define ARM_CPU_TYPE_SUFFIX "-arm-cpu"

/* Exception numbers (cpu->exception_index) */
#define EXCP_UDEF            1   /* sync exception with a prepared syndrome */
#define EXCP_SWI             2
#define EXCP_PREFETCH_ABORT  3
#define EXCP_DATA_ABORT      4
#define EXCP_IRQ             5
#define EXCP_FIQ             6
#define EXCP_BKPT            7
#define EXCP_HVC            11
#define EXCP_SMC            13
#define EXCP_VIRQ           14
#define EXCP_VFIQ           15
#define EXCP_ILLEGAL_RET    17   /* sync with syndrome, illegal state */

#define CPU_INTERRUPT_FIQ   CPU_INTERRUPT_TGT_EXT_0
#define CPU_INTERRUPT_VIRQ  CPU_INTERRUPT_TGT_EXT_1
#define CPU_INTERRUPT_VFIQ  CPU_INTERRUPT_TGT_EXT_2

#define ARM_CPU_IRQ   0
#define ARM_CPU_FIQ   1
#define ARM_CPU_VIRQ  2
#define ARM_CPU_VFIQ  3

#define GTIMER_PHYS 0
#define GTIMER_VIRT 1
#define GTIMER_HYP  2
#define GTIMER_SEC  3
#define NUM_GTIMERS 4
#define GTIMER_FREQ_HZ 62500000ull     /* 62.5 MHz: 16 ns per tick */
#define GTIMER_SCALE   16

/* ESR_ELx exception classes */
#define EC_UNCATEGORIZED   0x00
#define EC_WFX_TRAP        0x01
#define EC_ADVSIMDFPACCESS 0x07
#define EC_ILLEGALSTATE    0x0e
#define EC_AA64_SVC        0x15
#define EC_AA64_HVC        0x16
#define EC_AA64_SMC        0x17
#define EC_SYSTEMREGISTERTRAP 0x18
#define EC_INSNABORT       0x20
#define EC_INSNABORT_SAME_EL 0x21
#define EC_PCALIGNMENT     0x22
#define EC_DATAABORT       0x24
#define EC_DATAABORT_SAME_EL 0x25
#define EC_SPALIGNMENT     0x26
#define EC_AA64_BKPT       0x3c

#define ARM_EL_IL (1u << 25)

static inline uint32_t syn_uncategorized(void)
{
    return (EC_UNCATEGORIZED << 26) | ARM_EL_IL;
}

/* PSTATE bits as they appear in SPSR / DAIF */
#define PSTATE_SP  (1u << 0)
#define PSTATE_M   0xfu
#define PSTATE_F   (1u << 6)
#define PSTATE_I   (1u << 7)
#define PSTATE_A   (1u << 8)
#define PSTATE_D   (1u << 9)
#define PSTATE_DAIF (PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F)
#define PSTATE_IL  (1u << 20)
#define PSTATE_SS  (1u << 21)
#define PSTATE_PAN (1u << 22)
#define PSTATE_UAO (1u << 23)
#define PSTATE_NZCV 0xf0000000u

/* SCTLR_ELx bits we act on */
#define SCTLR_M   (1ull << 0)
#define SCTLR_A   (1ull << 1)
#define SCTLR_C   (1ull << 2)
#define SCTLR_SA  (1ull << 3)
#define SCTLR_SA0 (1ull << 4)
#define SCTLR_UMA (1ull << 9)
#define SCTLR_I   (1ull << 12)
#define SCTLR_DZE (1ull << 14)
#define SCTLR_UCT (1ull << 15)
#define SCTLR_nTWI (1ull << 16)
#define SCTLR_nTWE (1ull << 18)
#define SCTLR_WXN (1ull << 19)
#define SCTLR_SPAN (1ull << 23)
#define SCTLR_EE  (1ull << 25)
#define SCTLR_UCI (1ull << 26)

/*
 * MMU indexes: one softmmu TLB per translation regime and privilege.
 *
 * ASIDs: the EL1&0 regime has ARM_TTB_SLOTS sets of three indexes
 * (EL0, EL1, EL1 with PAN), one set per recently used translation table
 * context, keyed by the exact (TTBR0_EL1, TTBR1_EL1) values (which carry
 * the ASID).  Writing a TTBR switches to the set already holding that
 * context or recycles the least recently installed one (flushing it), so
 * a context switch or Linux's TTBR0 switching for software PAN does not
 * flush everything.  Keying by the whole register is stricter than ASID
 * tagging, so it is safe for any guest that does the TLB maintenance the
 * architecture requires; TLBI by ASID or VA acts on every set.  SCTLR and
 * TCR changes flush all sets.
 */
#define ARM_TTB_SLOTS        4
#define ARMMMUIdx_E10_0      0   /* EL0 accesses, EL1&0 regime (slot 0) */
#define ARMMMUIdx_E10_1      1   /* EL1 */
#define ARMMMUIdx_E10_1_PAN  2   /* EL1 with PSTATE.PAN set */
#define ARMMMUIdx_E2         (3 * ARM_TTB_SLOTS)
#define ARMMMUIdx_E3         (3 * ARM_TTB_SLOTS + 1)
#define ARM_MMU_MODES        (3 * ARM_TTB_SLOTS + 2)
#define ARM_EL10_IDX_MASK    ((1u << (3 * ARM_TTB_SLOTS)) - 1)

/* kind of an EL1&0 index: 0 EL0, 1 EL1, 2 EL1+PAN */
static inline int arm_idx_kind(int mmu_idx)
{
    return mmu_idx % 3;
}

typedef enum ARMFeature {
    ARM_FEATURE_EL2,
    ARM_FEATURE_EL3,
    ARM_FEATURE_LSE,       /* FEAT_LSE atomics */
    ARM_FEATURE_CRC,
    ARM_FEATURE_PAN,
    ARM_FEATURE_LRCPC,
    ARM_FEATURE_FP16,
    ARM_FEATURE_GRAN16K,
    ARM_FEATURE_JSCVT,
    ARM_FEATURE_FLAGM,
    ARM_FEATURE_CRYPTO,    /* FEAT_AES, FEAT_PMULL, FEAT_SHA1, FEAT_SHA256 */
    ARM_FEATURE_RDM,       /* SQRDMLAH, SQRDMLSH */
    ARM_FEATURE_DOTPROD,   /* SDOT, UDOT */
} ARMFeature;

typedef struct ARMGenericTimer {
    uint64_t cval;
    uint64_t ctl;          /* ENABLE(0) IMASK(1); ISTATUS computed */
} ARMGenericTimer;

typedef struct ARMVectorReg {
    uint64_t d[2];
} ARMVectorReg;

typedef struct CPUArchState {
    /* ---- the translator's globals ---- */
    uint64_t xregs[32];        /* [31] is the current SP */
    uint64_t pc;
    uint32_t NF, ZF, CF, VF;   /* see the top of this file */

    uint32_t daif;             /* PSTATE.{D,A,I,F} in bits 9:6 */
    uint32_t el;               /* PSTATE.EL, 0..3 */
    uint32_t spsel;            /* PSTATE.SP */
    uint32_t pan;              /* PSTATE.PAN (0/1) */
    uint32_t uao;
    uint32_t il;               /* PSTATE.IL (set by an illegal return) */
    uint32_t ss;

    uint64_t sp_el[4];         /* banked SP_EL0..SP_EL3 */
    uint64_t elr_el[4];        /* [1..3] */
    uint64_t spsr_el[4];       /* [1..3] */
    uint64_t esr_el[4];
    uint64_t far_el[4];

    /* exclusive monitor: -1 addr when clear */
    uint64_t exclusive_addr;
    uint64_t exclusive_val;
    uint64_t exclusive_high;

    /* FP/SIMD */
    ARMVectorReg vregs[32];
    uint32_t fpcr;
    uint32_t fpsr;             /* cumulative flags + QC + NZCV(unused) */

    /* ---- system registers (indexed by EL where banked) ---- */
    struct {
        uint64_t sctlr[4];
        uint64_t tcr[4];
        uint64_t ttbr0[4];
        uint64_t ttbr1[4];
        uint64_t mair[4];
        uint64_t amair[4];
        uint64_t vbar[4];
        uint64_t tpidr[4];     /* TPIDR_EL0..EL3 */
        uint64_t tpidrro_el0;
        uint64_t contextidr_el1;
        uint64_t cpacr_el1;
        uint64_t actlr[4];
        uint64_t afsr0[4], afsr1[4];
        uint64_t par_el1;
        uint64_t mdscr_el1;
        uint64_t oslsr_el1;
        uint64_t osdlr_el1;
        uint64_t mdccint_el1;
        uint64_t cntkctl_el1;
        uint64_t cntvoff_el2;
        uint64_t cnthctl_el2;
        uint64_t csselr_el1;
        uint64_t hcr_el2;
        uint64_t scr_el3;
        uint64_t cptr_el2, cptr_el3;
        uint64_t hstr_el2, hacr_el2, mdcr_el2, vttbr_el2, vtcr_el2, hpfar_el2;
        uint64_t vpidr_el2, vmpidr_el2;
        uint64_t dbgbvr[16], dbgbcr[16], dbgwvr[16], dbgwcr[16];
        uint64_t pmcr_el0, pmuserenr_el0, pmcntenset_el0, pmovsclr_el0,
                 pmintenset_el1, pmselr_el0, pmccfiltr_el0, pmccntr_el0;
        uint64_t disr_el1;
    } cp15;

    ARMGenericTimer gt[NUM_GTIMERS];

    /* translation table contexts of the EL1&0 TLB slots (see ARMMMUIdx) */
    uint64_t ttb_slot_key[ARM_TTB_SLOTS][2];
    uint32_t ttb_slot_valid;
    uint32_t ttb_slot;           /* current slot */
    uint32_t ttb_slot_next;      /* next one to recycle */

    /*
     * The TB flags (TBFLAG_*, which include the current MMU index) for the
     * current state, so the TB lookup of every indirect branch is a load.
     * Derived from el, spsel, pan, il, ttb_slot, SCTLR_EL1/2/3, TCR_EL1,
     * CPACR_EL1, HCR_EL2 and CPTR_EL2: whatever changes one of them calls
     * arm_rebuild_hflags() before the next TB lookup.  Not migrated
     * (post_load recomputes it).
     */
    uint32_t hflags;

    /* the exception being delivered */
    struct {
        uint32_t syndrome;
        uint32_t target_el;
        uint64_t vaddress;     /* FAR value */
    } exception;

    /* ---- fixed per model / reset-time data (not touched by TB code) ---- */
    uint64_t features;
    uint32_t irq_line_state;   /* CPU_INTERRUPT_* levels of the GPIO inputs */
} CPUArchState;

typedef CPUArchState CPUARMState;

typedef struct ARMISARegisters {
    uint64_t id_aa64pfr0, id_aa64pfr1;
    uint64_t id_aa64dfr0, id_aa64dfr1;
    uint64_t id_aa64isar0, id_aa64isar1;
    uint64_t id_aa64mmfr0, id_aa64mmfr1, id_aa64mmfr2;
    uint64_t id_aa64afr0;
    uint32_t id_pfr0, id_pfr1, id_dfr0, id_mmfr0, id_mmfr1, id_mmfr2,
             id_mmfr3, id_isar0, id_isar1, id_isar2, id_isar3, id_isar4,
             id_isar5, mvfr0, mvfr1, mvfr2;
} ARMISARegisters;

#define ARM_CPU_EXT_REG_TABLES 4

typedef struct ARMCPU ARMCPU;
/*
 * A board's handler for HVC and SMC (PSCI).  Returns true when it handled
 * the call (the guest resumes after the instruction, x0.. updated by the
 * handler); false makes the instruction behave as the architecture says
 * without a handler (UNDEFINED when the EL is not implemented).  Runs with
 * the big lock held.
 */
typedef bool ARMFirmwareCall(void *opaque, ARMCPU *cpu, bool is_smc,
                             uint32_t imm16);

struct ARMCPU {
    CPUState parent_obj;
    CPUNegativeOffsetState neg;
    CPUARMState env;

    /* model constants */
    uint32_t midr;
    uint32_t revidr;
    uint32_t ctr;
    uint32_t dczid;
    uint64_t clidr;
    uint32_t ccsidr[8];
    uint64_t reset_sctlr;
    ARMISARegisters isar;
    int highest_el;            /* 1 unless EL2/EL3 are implemented */
    bool has_el2;              /* set by the board before realize */

    /* boot state set by the board, applied at every reset */
    uint64_t boot_pc;
    uint64_t boot_x0;
    int boot_el;               /* -1: highest implemented */

    QEMUTimer *gt_timer[NUM_GTIMERS];
    qemu_irq gt_timer_outputs[NUM_GTIMERS];

    /* PSCI power state: a powered-off CPU stays halted, ignoring IRQs */
    bool power_off;

    /* system registers added by devices (GICv3 CPU interface...) */
    GPtrArray *extra_cpregs;     /* of const ARMCPRegInfo * */
    /*
     * Each device table of system registers with this CPU's opaque for it
     * (hw/arm/arm-cpu-external-regs.c): translated code is shared by all
     * CPUs, so an access finds its device through the executing CPU.
     */
    struct {
        const void *table;
        void *opaque;
    } ext_regs[ARM_CPU_EXT_REG_TABLES];

    /* the board's HVC/SMC handler (firmware calls: PSCI), or NULL */
    ARMFirmwareCall *fw_call;
    void *fw_call_opaque;
};

typedef struct ARMCPUClass {
    CPUClass parent_class;
    void (*model_init)(ARMCPU *cpu);
} ARMCPUClass;

DECLARE_INSTANCE_CHECKER(ARMCPU, ARM_CPU, TYPE_ARM_CPU)
DECLARE_CLASS_CHECKERS(ARMCPUClass, ARM_CPU, TYPE_ARM_CPU)

static inline ARMCPU *env_archcpu(CPUARMState *env)
{
    return (ARMCPU *)((char *)env - offsetof(ARMCPU, env));
}

static inline CPUState *env_cpu(CPUARMState *env)
{
    return &env_archcpu(env)->parent_obj;
}

static inline bool arm_feature(CPUARMState *env, ARMFeature f)
{
    return (env->features >> f) & 1;
}

static inline void set_feature(CPUARMState *env, ARMFeature f)
{
    env->features |= 1ull << f;
}

/* ---- PSTATE ---- */
static inline uint32_t pstate_read_nzcv(CPUARMState *env)
{
    return ((env->NF >> 31) << 31) | ((env->ZF == 0) << 30) |
           ((env->CF & 1) << 29) | ((env->VF >> 31) << 28);
}

static inline void pstate_write_nzcv(CPUARMState *env, uint32_t val)
{
    env->NF = val;
    env->ZF = (~val) & (1u << 30);
    env->CF = (val >> 29) & 1;
    env->VF = (val << 3) & 0x80000000u;
}

/* PSTATE as an SPSR value (AArch64 format) */
uint32_t pstate_read(CPUARMState *env);
/* Write PSTATE fields from an SPSR value (EL/SP too); rebanks SP. */
void pstate_write(CPUARMState *env, uint32_t val);
/* Store the current SP into sp_el[] for the current (el, spsel). */
void arm_save_sp(CPUARMState *env);
void arm_load_sp(CPUARMState *env);

static inline int arm_current_el(CPUARMState *env)
{
    return env->el;
}

#define HCR_FMO  (1ull << 3)
#define HCR_IMO  (1ull << 4)
#define HCR_TGE  (1ull << 27)
#define HCR_HCD  (1ull << 29)

static inline uint64_t arm_hcr_el2(CPUARMState *env)
{
    return arm_feature(env, ARM_FEATURE_EL2) ? env->cp15.hcr_el2 : 0;
}

/* The EL whose SCTLR etc. govern the current regime */
static inline int arm_regime_el(CPUARMState *env)
{
    return env->el == 0 ? 1 : env->el;
}

int arm_mmu_idx(CPUARMState *env);
int arm_mmu_idx_el(CPUARMState *env, int el);

/* ---- TB flags ---- */
#define TBFLAG_EL_SHIFT      0   /* 2 bits */
#define TBFLAG_MMUIDX_SHIFT  2   /* 4 bits */
#define TBFLAG_SPSEL         (1u << 6)
#define TBFLAG_FPEN          (1u << 7)   /* FP/SIMD accessible */
#define TBFLAG_ALIGN         (1u << 8)   /* SCTLR.A: check alignment */
#define TBFLAG_IL            (1u << 9)   /* PSTATE.IL: every insn is illegal */
#define TBFLAG_UNPRIV_IDX_SHIFT 10       /* 4 bits: mmu idx for LDTR/STTR */
#define TBFLAG_FP_TRAP_EL_SHIFT 14       /* 2 bits */
#define TBFLAG_UMA          (1u << 16)
#define TBFLAG_TBI_SHIFT    17           /* 2 bits: TCR_EL1.TBI1:TBI0 */

/* The TB flags of the current state, computed from scratch */
uint32_t arm_compute_hflags(CPUARMState *env);

/* Recompute env->hflags: after any change to an input of the TB flags */
static inline void arm_rebuild_hflags(CPUARMState *env)
{
    env->hflags = arm_compute_hflags(env);
}

/*
 * TURTLE_CHECK_HFLAGS=1 in the environment: every TB lookup recomputes
 * the flags and aborts if env->hflags is stale (an update point missed).
 */
extern bool arm_check_hflags;

/* ---- cpu.c ---- */
void arm_cpu_set_boot_state(ARMCPU *cpu, uint64_t pc, uint64_t x0, int el);
/*
 * PSCI support for boards.  arm_cpu_power_off() from any thread (for the
 * calling CPU itself, from the PSCI hook: the CPU stops after the HVC/SMC).
 * arm_cpu_power_on() resets a powered-off CPU and starts it at pc, x0 = ctx,
 * at EL el (or the highest EL for -1), MMU off, DAIF masked.  A board's
 * reset handler powers off secondary CPUs (they start powered on).
 */
void arm_cpu_power_off(ARMCPU *cpu);
void arm_cpu_power_on(ARMCPU *cpu, uint64_t pc, uint64_t ctx, int el);
void arm_tcg_initialize(void);

/* Link the board's HVC/SMC handler (ARMFirmwareCall) to this CPU. */
void arm_cpu_set_firmware_call(ARMCPU *cpu, ARMFirmwareCall *fn,
                               void *opaque);

/* ---- excp.c ---- */
__attribute__((noreturn)) void raise_exception(CPUARMState *env, uint32_t excp,
                                uint32_t syndrome, uint32_t target_el);
__attribute__((noreturn)) void raise_exception_ra(CPUARMState *env, uint32_t excp,
                                   uint32_t syndrome, uint32_t target_el,
                                   uintptr_t ra);
uint32_t exception_target_el(CPUARMState *env);
void arm_cpu_do_interrupt(CPUState *cs);
bool arm_cpu_exec_interrupt(CPUState *cs, int interrupt_request);
bool arm_cpu_has_work(CPUState *cs);
void arm_cpu_set_irq(void *opaque, int irq, int level);
int fp_exception_el(CPUARMState *env);

/* ---- ptw.c ---- */
typedef struct ARMTranslateResult {
    uint64_t pa;
    int prot;                  /* PAGE_READ | PAGE_WRITE | PAGE_EXEC */
    uint64_t page_size;
    uint8_t attrs;             /* MAIR attribute byte */
    uint8_t sh;
} ARMTranslateResult;

typedef struct ARMFault {
    uint32_t fsc;              /* ISS DFSC/IFSC (type and level) */
    int level;
    bool s1ptw;
} ARMFault;

/*
 * Translate va for an access of access_type (0 load, 1 store, 2 fetch)
 * in mmu_idx.  Returns true on success with *res filled, false with *fault.
 */
bool arm_translate(CPUARMState *env, uint64_t va, int access_type,
                   int mmu_idx, ARMTranslateResult *res, ARMFault *fault);
bool arm_cpu_tlb_fill(CPUState *cs, vaddr addr, int size,
                      MMUAccessType access_type, int mmu_idx, bool probe,
                      uintptr_t retaddr);
void arm_cpu_do_unaligned_access(CPUState *cs, vaddr addr,
                                 MMUAccessType access_type,
                                 int mmu_idx, uintptr_t retaddr);
hwaddr arm_cpu_get_phys_page_debug(CPUState *cs, vaddr addr);
uint64_t arm_do_at(CPUARMState *env, uint64_t va, int access_type,
                   int mmu_idx);

/* ---- sysregs.c ---- */
void arm_gt_init(ARMCPU *cpu);
void arm_gt_reset(ARMCPU *cpu);
uint64_t arm_gt_counter(CPUARMState *env);
void arm_gt_recalc(ARMCPU *cpu, int timer);

/* ---- machine.c ---- */
extern const VMStateDescription vmstate_arm_cpu;
/* gdbstub.c: the registers gdb sees */
extern const struct GDBArch arm_gdb_arch;

/* ---- arm-semi.c ---- */
void arm_do_semihosting(CPUARMState *env);

/* ---- translate-a64.c ---- */
void arm_translate_code(CPUState *cs, TranslationBlock *tb, int *max_insns,
                        vaddr pc, void *host_pc);
void arm_get_tb_cpu_state(CPUARMState *env, vaddr *pc, uint64_t *cs_base,
                          uint32_t *flags);
void arm_restore_state_to_opc(CPUState *cs, const TranslationBlock *tb,
                              const uint64_t *data);

#endif /* TARGET_ARM_CPU_H */
