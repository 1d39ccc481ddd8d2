/*
 * Shared by the A64 translator files: translate-a64.c (the TB loop, data
 * processing, branches, system instructions, loads, stores and atomics),
 * translate-a64-fp.c (scalar floating point) and translate-a64-simd.c
 * (Advanced SIMD).
 */
#ifndef TARGET_ARM_TRANSLATE_A64_H
#define TARGET_ARM_TRANSLATE_A64_H

#include "target/arm/cpu.h"
#include "exec/translator.h"
#include "tcg/tcg-op.h"

#define HELPER_H "target/arm/helper.h"
#include "tcg/helper-gen.h"

/* pc already written, look the next TB up */
#define DISAS_JUMP        DISAS_TARGET_0
/* write pc_next, then return to the main loop (state changed) */
#define DISAS_UPDATE_EXIT DISAS_TARGET_1
/* pc already written, return to the main loop */
#define DISAS_EXIT        DISAS_TARGET_2
/* write pc_next, then call the WFI helper */
#define DISAS_WFI         DISAS_TARGET_3
/* write pc_next, continue with the next TB (chainable) */
#define DISAS_UPDATE_NOCHAIN DISAS_TARGET_4

typedef struct DisasContext {
    DisasContextBase base;
    CPUARMState *env;
    ARMCPU *cpu;
    uint64_t pc_curr;
    uint32_t insn;
    int el;
    int mmu_idx;
    int unpriv_idx;
    bool align;              /* SCTLR.A: every access checks alignment */
    bool fp_enabled;
    int fp_excp_el;
    bool fp_checked;
    bool parallel;           /* CF_PARALLEL */
    int tbi;                 /* bit 0 TBI0, bit 1 TBI1 */
} DisasContext;

extern TCGv_i64 cpu_X[32];
extern TCGv_i64 cpu_pc;
extern TCGv_i32 cpu_NF, cpu_ZF, cpu_CF, cpu_VF;
extern TCGv_i64 cpu_exclusive_addr, cpu_exclusive_val, cpu_exclusive_high;

/* register access */
TCGv_i64 cpu_reg(DisasContext *s, int reg);        /* 31 = XZR (scratch) */
TCGv_i64 cpu_reg_sp(DisasContext *s, int reg);     /* 31 = SP */
TCGv_i64 read_cpu_reg(DisasContext *s, int reg, bool sf);
TCGv_i64 read_cpu_reg_sp(DisasContext *s, int reg, bool sf);

/* exceptions */
void gen_exception_insn(DisasContext *s, uint32_t excp, uint32_t syn,
                        uint32_t target_el);
void unallocated_encoding(DisasContext *s);
bool fp_access_check(DisasContext *s);

/* memory */
MemOp finalize_memop(DisasContext *s, MemOp mop);
TCGv_i64 clean_data_tbi(DisasContext *s, TCGv_i64 addr);

/* vector register file offsets */
static inline intptr_t vreg_ofs(int reg, int half)
{
    return offsetof(CPUARMState, vregs[reg].d[half]);
}
void clear_vec_high(DisasContext *s, int rd);

bool disas_a64_fp_all(DisasContext *s, uint32_t insn);
bool disas_a64_simd_all(DisasContext *s, uint32_t insn);

#endif
