/*
 * A64 translator: the TB driver, data processing (immediate and
 * register), branches, exception generation, system instructions, and
 * every load/store of a64.decode (plain, pair, exclusive, acquire/
 * release, LSE atomics).  Floating point and Advanced SIMD are in
 * translate-a64-fp.c.
 *
 * Instruction semantics: Arm ARM (DDI 0487) C6 "A64 Base Instruction
 * Descriptions".  Atomics (LSE, CAS/CASP, store-exclusive) are the IR's
 * tcg_gen_atomic_* ops: host atomics under CF_PARALLEL, plain
 * load/op/store otherwise.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "target/arm/translate-a64.h"
#include "target/arm/cpregs.h"
#include "hw/core/boards.h"

static int times_2(DisasContext *s, int x) { return x * 2; }
static int times_4(DisasContext *s, int x) { return x * 4; }
static int times_8(DisasContext *s, int x) { return x * 8; }
static int times_16(DisasContext *s, int x) { return x * 16; }
static int times_4096(DisasContext *s, int x) { return x * 4096; }

static uint64_t bitmask64(unsigned len)
{
    return len >= 64 ? ~0ull : (1ull << len) - 1;
}

/* DecodeBitMasks(N, imms, immr, TRUE) replicated to 64 bits; 0: reserved */
static uint64_t logic_imm_decode(DisasContext *s, int x)
{
    unsigned n = (x >> 12) & 1, immr = (x >> 6) & 0x3f, imms = x & 0x3f;
    unsigned combined = (n << 6) | (~imms & 0x3f);
    int len;
    unsigned levels, sbits, rbits, esize;
    uint64_t welem, elem;

    if (!combined) {
        return 0;
    }
    len = 31 - __builtin_clz(combined);
    if (len < 1) {
        return 0;
    }
    levels = (1u << len) - 1;
    if ((imms & levels) == levels) {
        return 0;
    }
    sbits = imms & levels;
    rbits = immr & levels;
    esize = 1u << len;
    welem = bitmask64(sbits + 1);
    elem = rbits ? ((welem >> rbits) | (welem << (esize - rbits))) : welem;
    elem &= bitmask64(esize);
    for (unsigned e = esize; e < 64; e *= 2) {
        elem |= elem << e;
    }
    return elem;
}

#include "target/arm/decode-a64.h"

TCGv_i64 cpu_X[32];
TCGv_i64 cpu_pc;
TCGv_i32 cpu_NF, cpu_ZF, cpu_CF, cpu_VF;
TCGv_i64 cpu_exclusive_addr, cpu_exclusive_val, cpu_exclusive_high;

void arm_tcg_initialize(void)
{
    static const char names[32][4] = {
        "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
        "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19",
        "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
        "x29", "lr", "sp",
    };
    const char *check = getenv("TURTLE_CHECK_HFLAGS");

    arm_check_hflags = check && *check && strcmp(check, "0") != 0;
    for (int i = 0; i < 32; i++) {
        cpu_X[i] = tcg_global_mem_new_i64(tcg_env,
                                          offsetof(CPUARMState, xregs[i]),
                                          names[i]);
    }
    cpu_pc = tcg_global_mem_new_i64(tcg_env, offsetof(CPUARMState, pc), "pc");
    cpu_NF = tcg_global_mem_new_i32(tcg_env, offsetof(CPUARMState, NF), "NF");
    cpu_ZF = tcg_global_mem_new_i32(tcg_env, offsetof(CPUARMState, ZF), "ZF");
    cpu_CF = tcg_global_mem_new_i32(tcg_env, offsetof(CPUARMState, CF), "CF");
    cpu_VF = tcg_global_mem_new_i32(tcg_env, offsetof(CPUARMState, VF), "VF");
    cpu_exclusive_addr = tcg_global_mem_new_i64(tcg_env,
        offsetof(CPUARMState, exclusive_addr), "exclusive_addr");
    cpu_exclusive_val = tcg_global_mem_new_i64(tcg_env,
        offsetof(CPUARMState, exclusive_val), "exclusive_val");
    cpu_exclusive_high = tcg_global_mem_new_i64(tcg_env,
        offsetof(CPUARMState, exclusive_high), "exclusive_high");
}

/* ---- TB state ---- */

/* TURTLE_CHECK_HFLAGS=1: the cached flags must match a recomputation */
static void __attribute__((noinline)) arm_hflags_check(CPUARMState *env)
{
    uint32_t want = arm_compute_hflags(env);

    if (env->hflags != want) {
        fprintf(stderr, "turtle: stale TB flags at pc 0x%" PRIx64 " EL%d: "
                "cached 0x%x, state says 0x%x\n", env->pc, env->el,
                env->hflags, want);
        abort();
    }
}

/* Called for every TB lookup (each indirect branch): keep it to loads */
void arm_get_tb_cpu_state(CPUARMState *env, vaddr *pc, uint64_t *cs_base,
                          uint32_t *flags)
{
    *pc = env->pc;
    *cs_base = 0;
    *flags = env->hflags;
    if (unlikely(arm_check_hflags)) {
        arm_hflags_check(env);
    }
}

void arm_restore_state_to_opc(CPUState *cs, const TranslationBlock *tb,
                              const uint64_t *data)
{
    ARM_CPU(cs)->env.pc = data[0];
}

/* ---- registers ---- */

TCGv_i64 cpu_reg(DisasContext *s, int reg)
{
    if (reg == 31) {
        TCGv_i64 t = tcg_temp_new_i64();

        tcg_gen_movi_i64(t, 0);
        return t;
    }
    return cpu_X[reg];
}

TCGv_i64 cpu_reg_sp(DisasContext *s, int reg)
{
    return cpu_X[reg];
}

TCGv_i64 read_cpu_reg(DisasContext *s, int reg, bool sf)
{
    TCGv_i64 v = tcg_temp_new_i64();

    if (reg == 31) {
        tcg_gen_movi_i64(v, 0);
    } else if (sf) {
        tcg_gen_mov_i64(v, cpu_X[reg]);
    } else {
        tcg_gen_ext32u_i64(v, cpu_X[reg]);
    }
    return v;
}

TCGv_i64 read_cpu_reg_sp(DisasContext *s, int reg, bool sf)
{
    TCGv_i64 v = tcg_temp_new_i64();

    if (sf) {
        tcg_gen_mov_i64(v, cpu_X[reg]);
    } else {
        tcg_gen_ext32u_i64(v, cpu_X[reg]);
    }
    return v;
}

/* write a result: 32-bit forms zero the upper half; 31 = XZR discards */
static void write_reg(DisasContext *s, int reg, TCGv_i64 v, bool sf)
{
    if (reg == 31) {
        return;
    }
    if (sf) {
        tcg_gen_mov_i64(cpu_X[reg], v);
    } else {
        tcg_gen_ext32u_i64(cpu_X[reg], v);
    }
}

static void write_reg_sp(DisasContext *s, int reg, TCGv_i64 v, bool sf)
{
    if (sf) {
        tcg_gen_mov_i64(cpu_X[reg], v);
    } else {
        tcg_gen_ext32u_i64(cpu_X[reg], v);
    }
}

void clear_vec_high(DisasContext *s, int rd)
{
    tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, vreg_ofs(rd, 1));
}

/* ---- exceptions ---- */

static void gen_exception_at(DisasContext *s, uint64_t pc, uint32_t excp,
                             uint32_t syn, uint32_t target_el)
{
    tcg_gen_movi_i64(cpu_pc, pc);
    gen_helper_exception_with_syndrome(tcg_env, tcg_constant_i32(excp),
                                       tcg_constant_i32(syn),
                                       tcg_constant_i32(target_el));
    s->base.is_jmp = DISAS_NORETURN;
}

void gen_exception_insn(DisasContext *s, uint32_t excp, uint32_t syn,
                        uint32_t target_el)
{
    gen_exception_at(s, s->pc_curr, excp, syn, target_el);
}

static uint32_t default_target_el(DisasContext *s)
{
    return s->el > 1 ? s->el : 1;
}

void unallocated_encoding(DisasContext *s)
{
    gen_exception_insn(s, EXCP_UDEF, syn_uncategorized(),
                       default_target_el(s));
}

bool fp_access_check(DisasContext *s)
{
    if (s->fp_excp_el) {
        gen_exception_insn(s, EXCP_UDEF,
                           (EC_ADVSIMDFPACCESS << 26) | ARM_EL_IL,
                           s->fp_excp_el);
        return false;
    }
    return true;
}

/* ---- branches ---- */

static bool use_goto_tb(DisasContext *s, uint64_t dest)
{
    if (s->base.singlestep_enabled ||
        (s->base.tb->cflags & CF_NO_GOTO_TB)) {
        return false;
    }
    return ((s->base.pc_first ^ dest) & ~0xfffull) == 0;
}

static void gen_goto_tb(DisasContext *s, int n, uint64_t dest)
{
    if (use_goto_tb(s, dest)) {
        tcg_gen_goto_tb(n);
        tcg_gen_movi_i64(cpu_pc, dest);
        tcg_gen_exit_tb(s->base.tb, n);
    } else {
        tcg_gen_movi_i64(cpu_pc, dest);
        if (s->base.singlestep_enabled) {
            gen_helper_exception_internal(tcg_env,
                                          tcg_constant_i32(EXCP_DEBUG));
        } else {
            tcg_gen_lookup_and_goto_ptr();
        }
    }
    s->base.is_jmp = DISAS_NORETURN;
}

typedef struct DisasCompare {
    TCGCond cond;
    TCGv_i32 value;
} DisasCompare;

/* c->cond(c->value, 0) is the A64 condition cc */
static void arm_test_cc(DisasCompare *c, int cc)
{
    TCGv_i32 v;

    switch (cc >> 1) {
    case 0:                             /* EQ / NE */
        c->cond = TCG_COND_EQ;
        c->value = cpu_ZF;
        break;
    case 1:                             /* CS / CC */
        c->cond = TCG_COND_NE;
        c->value = cpu_CF;
        break;
    case 2:                             /* MI / PL */
        c->cond = TCG_COND_LT;
        c->value = cpu_NF;
        break;
    case 3:                             /* VS / VC */
        c->cond = TCG_COND_LT;
        c->value = cpu_VF;
        break;
    case 4:                             /* HI / LS: C && !Z */
        v = tcg_temp_new_i32();
        tcg_gen_neg_i32(v, cpu_CF);
        tcg_gen_and_i32(v, v, cpu_ZF);
        c->cond = TCG_COND_NE;
        c->value = v;
        break;
    case 5:                             /* GE / LT: N == V */
        v = tcg_temp_new_i32();
        tcg_gen_xor_i32(v, cpu_NF, cpu_VF);
        c->cond = TCG_COND_GE;
        c->value = v;
        break;
    case 6:                             /* GT / LE: !Z && N == V */
        v = tcg_temp_new_i32();
        tcg_gen_xor_i32(v, cpu_NF, cpu_VF);
        tcg_gen_sari_i32(v, v, 31);
        tcg_gen_andc_i32(v, cpu_ZF, v);
        c->cond = TCG_COND_NE;
        c->value = v;
        break;
    default:                            /* AL / NV */
        c->cond = TCG_COND_ALWAYS;
        c->value = cpu_ZF;
        return;
    }
    if (cc & 1) {
        c->cond = tcg_invert_cond(c->cond);
    }
}

static bool trans_B(DisasContext *s, arg_i *a)
{
    gen_goto_tb(s, 0, s->pc_curr + a->imm);
    return true;
}

static bool trans_BL(DisasContext *s, arg_i *a)
{
    tcg_gen_movi_i64(cpu_X[30], s->pc_curr + 4);
    gen_goto_tb(s, 0, s->pc_curr + a->imm);
    return true;
}

static void gen_cond_branch(DisasContext *s, TCGLabel *taken, uint64_t dest)
{
    gen_goto_tb(s, 0, s->base.pc_next);
    gen_set_label(taken);
    gen_goto_tb(s, 1, dest);
}

static bool trans_CBZ(DisasContext *s, arg_cbz *a)
{
    TCGLabel *l = gen_new_label();

    tcg_gen_brcondi_i64(TCG_COND_EQ, read_cpu_reg(s, a->rt, a->sf), 0, l);
    gen_cond_branch(s, l, s->pc_curr + a->imm);
    return true;
}

static bool trans_CBNZ(DisasContext *s, arg_cbz *a)
{
    TCGLabel *l = gen_new_label();

    tcg_gen_brcondi_i64(TCG_COND_NE, read_cpu_reg(s, a->rt, a->sf), 0, l);
    gen_cond_branch(s, l, s->pc_curr + a->imm);
    return true;
}

static bool do_tbz(DisasContext *s, arg_tbz *a, TCGCond cond)
{
    TCGLabel *l = gen_new_label();
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_andi_i64(t, cpu_reg(s, a->rt), 1ull << a->bitpos);
    tcg_gen_brcondi_i64(cond, t, 0, l);
    gen_cond_branch(s, l, s->pc_curr + a->imm);
    return true;
}

static bool trans_TBZ(DisasContext *s, arg_tbz *a)
{
    return do_tbz(s, a, TCG_COND_EQ);
}

static bool trans_TBNZ(DisasContext *s, arg_tbz *a)
{
    return do_tbz(s, a, TCG_COND_NE);
}

static bool trans_B_cond(DisasContext *s, arg_bcond *a)
{
    DisasCompare c;
    TCGLabel *l;

    if (a->cond >= 14) {
        gen_goto_tb(s, 0, s->pc_curr + a->imm);
        return true;
    }
    arm_test_cc(&c, a->cond);
    l = gen_new_label();
    tcg_gen_brcondi_i32(c.cond, c.value, 0, l);
    gen_cond_branch(s, l, s->pc_curr + a->imm);
    return true;
}

static bool trans_BR(DisasContext *s, arg_r *a)
{
    tcg_gen_mov_i64(cpu_pc, cpu_reg(s, a->rn));
    s->base.is_jmp = DISAS_JUMP;
    return true;
}

static bool trans_BLR(DisasContext *s, arg_r *a)
{
    tcg_gen_mov_i64(cpu_pc, cpu_reg(s, a->rn));
    tcg_gen_movi_i64(cpu_X[30], s->pc_curr + 4);
    s->base.is_jmp = DISAS_JUMP;
    return true;
}

static bool trans_RET(DisasContext *s, arg_r *a)
{
    return trans_BR(s, a);
}

static bool trans_ERET(DisasContext *s, arg_empty *a)
{
    if (s->el == 0) {
        return false;
    }
    tcg_gen_movi_i64(cpu_pc, s->pc_curr);
    gen_helper_exception_return(tcg_env);
    s->base.is_jmp = DISAS_EXIT;
    return true;
}

/* ---- exception generation ---- */

static bool trans_SVC(DisasContext *s, arg_i *a)
{
    gen_exception_at(s, s->base.pc_next, EXCP_SWI,
                     (EC_AA64_SVC << 26) | ARM_EL_IL | a->imm,
                     default_target_el(s));
    return true;
}

static bool do_psci(DisasContext *s, bool is_smc, int imm)
{
    if (s->el == 0) {
        return false;
    }
    tcg_gen_movi_i64(cpu_pc, s->pc_curr);
    gen_helper_psci_call(tcg_env, tcg_constant_i32(is_smc),
                         tcg_constant_i32(imm));
    s->base.is_jmp = DISAS_EXIT;
    return true;
}

static bool trans_HVC(DisasContext *s, arg_i *a)
{
    return do_psci(s, false, a->imm);
}

static bool trans_SMC(DisasContext *s, arg_i *a)
{
    return do_psci(s, true, a->imm);
}

static bool trans_BRK(DisasContext *s, arg_i *a)
{
    gen_exception_insn(s, EXCP_BKPT, (EC_AA64_BKPT << 26) | ARM_EL_IL | a->imm,
                       default_target_el(s));
    return true;
}

static bool trans_HLT(DisasContext *s, arg_i *a)
{
    if (a->imm == 0xf000 && s->el > 0 && current_machine &&
        current_machine->semihosting) {
        tcg_gen_movi_i64(cpu_pc, s->pc_curr);
        gen_helper_semihosting(tcg_env);
        s->base.is_jmp = DISAS_UPDATE_EXIT;
        return true;
    }
    return false;
}

/* ---- hints, barriers, PSTATE ---- */

static bool trans_NOP(DisasContext *s, arg_empty *a)
{
    return true;
}

/*
 * YIELD and WFE (events are not modelled: WFE never sleeps): with vCPUs
 * taking turns on one thread, give the others a turn so a spin-wait on
 * another vCPU progresses; in parallel mode they are NOPs.
 */
static bool do_yield(DisasContext *s)
{
    if (!s->parallel) {
        tcg_gen_movi_i64(cpu_pc, s->base.pc_next);
        gen_helper_exception_internal(tcg_env, tcg_constant_i32(EXCP_YIELD));
        s->base.is_jmp = DISAS_NORETURN;
    }
    return true;
}

static bool trans_YIELD(DisasContext *s, arg_empty *a)
{
    return do_yield(s);
}

static bool trans_WFE(DisasContext *s, arg_empty *a)
{
    return do_yield(s);
}

static bool trans_WFI(DisasContext *s, arg_empty *a)
{
    s->base.is_jmp = DISAS_WFI;
    return true;
}

static bool trans_SEV(DisasContext *s, arg_empty *a)
{
    return true;
}

static bool trans_SEVL(DisasContext *s, arg_empty *a)
{
    return true;
}

static bool trans_HINT(DisasContext *s, arg_i *a)
{
    return true;
}

static bool trans_CLREX(DisasContext *s, arg_i *a)
{
    tcg_gen_movi_i64(cpu_exclusive_addr, -1);
    return true;
}

static bool trans_DSB(DisasContext *s, arg_i *a)
{
    tcg_gen_mb(TCG_MO_ALL | TCG_BAR_SC);
    return true;
}

static bool trans_DMB(DisasContext *s, arg_i *a)
{
    tcg_gen_mb(TCG_MO_ALL | TCG_BAR_SC);
    return true;
}

static bool trans_ISB(DisasContext *s, arg_i *a)
{
    /*
     * Context synchronization: end the TB so the next one is looked up
     * with freshly computed TB flags (the state changes that can unmask
     * an interrupt already end their own TB with an exit).
     */
    s->base.is_jmp = DISAS_UPDATE_NOCHAIN;
    return true;
}

static bool trans_SB(DisasContext *s, arg_empty *a)
{
    tcg_gen_mb(TCG_MO_ALL | TCG_BAR_SC);
    s->base.is_jmp = DISAS_UPDATE_NOCHAIN;
    return true;
}

static bool trans_CFINV(DisasContext *s, arg_empty *a)
{
    if (!arm_feature(s->env, ARM_FEATURE_FLAGM)) {
        return false;
    }
    tcg_gen_xori_i32(cpu_CF, cpu_CF, 1);
    return true;
}

static bool trans_XAFLAG(DisasContext *s, arg_empty *a)
{
    return false;
}

static bool trans_AXFLAG(DisasContext *s, arg_empty *a)
{
    return false;
}

/* FEAT_FlagM is not implemented (not in ID_AA64ISAR0 of any model) */
static bool trans_RMIF(DisasContext *s, arg_rmif *a)
{
    return false;
}

static bool trans_SETF8(DisasContext *s, arg_r *a)
{
    return false;
}

static bool trans_SETF16(DisasContext *s, arg_r *a)
{
    return false;
}

static bool trans_MSR_i(DisasContext *s, arg_msr_i *a)
{
    int op = (a->op1 << 3) | a->op2;

    switch (op) {
    case 0x04:                          /* PAN */
        if (!arm_feature(s->env, ARM_FEATURE_PAN) || s->el == 0) {
            return false;
        }
        break;
    case 0x05:                          /* SPSel */
        if (s->el == 0) {
            return false;
        }
        break;
    case 0x1e:                          /* DAIFSet */
    case 0x1f:                          /* DAIFClr */
        if (s->el == 0 && !(s->base.tb->flags & TBFLAG_UMA)) {
            gen_exception_insn(s, EXCP_UDEF,
                               syn_sysreg_trap(0, a->op1, 4, a->imm, a->op2,
                                               31, false), 1);
            return true;
        }
        break;
    default:
        return false;
    }
    gen_helper_msr_i_pstate(tcg_env, tcg_constant_i32(op),
                            tcg_constant_i32(a->imm));
    s->base.is_jmp = DISAS_UPDATE_EXIT;
    return true;
}

/* ---- system registers and instructions ---- */

static void gen_nzcv_read(TCGv_i64 rt)
{
    TCGv_i32 t = tcg_temp_new_i32(), n = tcg_temp_new_i32();

    tcg_gen_andi_i32(n, cpu_NF, 0x80000000);
    tcg_gen_setcondi_i32(TCG_COND_EQ, t, cpu_ZF, 0);
    tcg_gen_shli_i32(t, t, 30);
    tcg_gen_or_i32(n, n, t);
    tcg_gen_shli_i32(t, cpu_CF, 29);
    tcg_gen_or_i32(n, n, t);
    tcg_gen_shri_i32(t, cpu_VF, 31);
    tcg_gen_shli_i32(t, t, 28);
    tcg_gen_or_i32(n, n, t);
    tcg_gen_extu_i32_i64(rt, n);
}

static void gen_nzcv_write(TCGv_i64 v)
{
    TCGv_i32 t = tcg_temp_new_i32();

    tcg_gen_extrl_i64_i32(t, v);
    tcg_gen_andi_i32(cpu_NF, t, 0x80000000);
    tcg_gen_andi_i32(cpu_ZF, t, 0x40000000);
    tcg_gen_xori_i32(cpu_ZF, cpu_ZF, 0x40000000);
    tcg_gen_extract_i32(cpu_CF, t, 29, 1);
    tcg_gen_shli_i32(cpu_VF, t, 3);
    tcg_gen_andi_i32(cpu_VF, cpu_VF, 0x80000000);
}

static void gen_dc_zva(DisasContext *s, TCGv_i64 addr_in)
{
    int bs = 4 << (s->cpu->dczid & 0xf);    /* bytes per block */
    TCGv_i64 addr = tcg_temp_new_i64();
    TCGv_i64 zero = tcg_constant_i64(0);

    tcg_gen_andi_i64(addr, clean_data_tbi(s, addr_in), -(int64_t)bs);
    for (int i = 0; i < bs; i += 8) {
        TCGv_i64 a = tcg_temp_new_i64();

        tcg_gen_addi_i64(a, addr, i);
        tcg_gen_qemu_st_i64(zero, a, s->mmu_idx, MO_LEUQ);
    }
}

static bool handle_sys(DisasContext *s, bool isread, int op0, int op1,
                       int crn, int crm, int op2, int rt)
{
    const ARMCPRegInfo *ri = arm_cpreg_find(s->cpu, op0, op1, crn, crm, op2);
    uint32_t syn;
    TCGv_i64 t;

    if (!ri) {
        tlog_mask(LOG_UNIMP, "%s unknown system register S%d_%d_C%d_C%d_%d "
                  "at pc 0x%" PRIx64 "\n", isread ? "read of" : "write to",
                  op0, op1, crn, crm, op2, s->pc_curr);
        return false;
    }
    if (!(ri->access & ((isread ? 1 : 2) << (2 * s->el)))) {
        return false;
    }
    syn = syn_sysreg_trap(op0, op1, crn, crm, op2, rt, isread);
    if (ri->accessfn) {
        tcg_gen_movi_i64(cpu_pc, s->pc_curr);
        gen_helper_access_check_cp_reg(tcg_env, tcg_constant_ptr((intptr_t)ri),
                                       tcg_constant_i32(syn),
                                       tcg_constant_i32(isread));
    }
    if ((ri->type & ARM_CP_FPU) && !fp_access_check(s)) {
        return true;
    }
    if (ri->type & ARM_CP_NOP) {
        return true;
    }
    if (ri->type & ARM_CP_DC_ZVA) {
        tcg_gen_movi_i64(cpu_pc, s->pc_curr);
        gen_dc_zva(s, cpu_reg(s, rt));
        return true;
    }
    if (ri->type & ARM_CP_CURRENTEL) {
        if (rt != 31) {
            tcg_gen_movi_i64(cpu_X[rt], s->el << 2);
        }
        return true;
    }
    if (ri->type & ARM_CP_NZCV) {
        if (isread) {
            if (rt != 31) {
                gen_nzcv_read(cpu_X[rt]);
            }
        } else {
            gen_nzcv_write(cpu_reg(s, rt));
        }
        return true;
    }

    if (isread) {
        t = tcg_temp_new_i64();
        if (ri->type & ARM_CP_CONST) {
            tcg_gen_movi_i64(t, ri->resetvalue);
        } else if (ri->readfn) {
            if (ri->type & ARM_CP_IO) {
                tcg_gen_movi_i64(cpu_pc, s->pc_curr);
            }
            gen_helper_get_cp_reg64(t, tcg_env,
                                    tcg_constant_ptr((intptr_t)ri));
        } else if (ri->type & (ARM_CP_FPCR | ARM_CP_FPSR | ARM_CP_DAIF)) {
            tcg_gen_ld32u_i64(t, tcg_env, ri->fieldoffset);
        } else {
            tcg_gen_ld_i64(t, tcg_env, ri->fieldoffset);
        }
        if (rt != 31) {
            tcg_gen_mov_i64(cpu_X[rt], t);
        }
        return true;
    }

    t = cpu_reg(s, rt);
    if (ri->type & ARM_CP_CONST) {
        return true;
    }
    if (ri->writefn) {
        tcg_gen_movi_i64(cpu_pc, s->pc_curr);
        gen_helper_set_cp_reg64(tcg_env, tcg_constant_ptr((intptr_t)ri), t);
    } else if (ri->type & (ARM_CP_FPCR | ARM_CP_FPSR)) {
        TCGv_i64 v = tcg_temp_new_i64();

        tcg_gen_andi_i64(v, t, ri->type & ARM_CP_FPCR ? 0x07ff9f00 : 0xf800009f);
        tcg_gen_st32_i64(v, tcg_env, ri->fieldoffset);
    } else {
        tcg_gen_st_i64(t, tcg_env, ri->fieldoffset);
    }
    if (ri->type & (ARM_CP_EXIT_LOOP | ARM_CP_EXIT_TB)) {
        /* SCTLR, TCR, TTBR (the TLB slot), CPACR, HCR, CPTR, SPSel, PAN */
        gen_helper_rebuild_hflags(tcg_env);
    }
    if (ri->type & (ARM_CP_EXIT_LOOP | ARM_CP_IO)) {
        s->base.is_jmp = DISAS_UPDATE_EXIT;
    } else if (ri->type & ARM_CP_EXIT_TB) {
        s->base.is_jmp = DISAS_UPDATE_NOCHAIN;
    }
    return true;
}

static bool trans_SYS(DisasContext *s, arg_sys *a)
{
    return handle_sys(s, false, a->op0, a->op1, a->crn, a->crm, a->op2, a->rt);
}

static bool trans_SYSL(DisasContext *s, arg_sys *a)
{
    return handle_sys(s, true, a->op0, a->op1, a->crn, a->crm, a->op2, a->rt);
}

static bool trans_MSR_r(DisasContext *s, arg_sys *a)
{
    return handle_sys(s, false, a->op0, a->op1, a->crn, a->crm, a->op2, a->rt);
}

static bool trans_MRS(DisasContext *s, arg_sys *a)
{
    return handle_sys(s, true, a->op0, a->op1, a->crn, a->crm, a->op2, a->rt);
}

/* ---- flag-setting arithmetic ---- */

static void gen_set_NZ64(TCGv_i64 result)
{
    tcg_gen_extr_i64_i32(cpu_ZF, cpu_NF, result);
    tcg_gen_or_i32(cpu_ZF, cpu_ZF, cpu_NF);
}

static void gen_logic_CC(bool sf, TCGv_i64 result)
{
    if (sf) {
        gen_set_NZ64(result);
    } else {
        tcg_gen_extrl_i64_i32(cpu_ZF, result);
        tcg_gen_mov_i32(cpu_NF, cpu_ZF);
    }
    tcg_gen_movi_i32(cpu_CF, 0);
    tcg_gen_movi_i32(cpu_VF, 0);
}

/* dest = t0 + t1 (+ carry-in if adc), setting NZCV */
static void gen_add_CC(bool sf, TCGv_i64 dest, TCGv_i64 t0, TCGv_i64 t1,
                       bool adc)
{
    if (sf) {
        TCGv_i64 res = tcg_temp_new_i64(), flag = tcg_temp_new_i64();
        TCGv_i64 zero = tcg_constant_i64(0), tmp = tcg_temp_new_i64();

        if (adc) {
            TCGv_i64 c = tcg_temp_new_i64();

            tcg_gen_extu_i32_i64(c, cpu_CF);
            tcg_gen_add2_i64(res, flag, t0, zero, c, zero);
            tcg_gen_add2_i64(res, flag, res, flag, t1, zero);
        } else {
            tcg_gen_add2_i64(res, flag, t0, zero, t1, zero);
        }
        tcg_gen_extrl_i64_i32(cpu_CF, flag);
        gen_set_NZ64(res);
        tcg_gen_xor_i64(flag, res, t0);
        tcg_gen_xor_i64(tmp, t0, t1);
        tcg_gen_andc_i64(flag, flag, tmp);
        tcg_gen_extrh_i64_i32(cpu_VF, flag);
        tcg_gen_mov_i64(dest, res);
    } else {
        TCGv_i32 a = tcg_temp_new_i32(), b = tcg_temp_new_i32();
        TCGv_i32 zero = tcg_constant_i32(0), tmp = tcg_temp_new_i32();

        tcg_gen_extrl_i64_i32(a, t0);
        tcg_gen_extrl_i64_i32(b, t1);
        if (adc) {
            tcg_gen_add2_i32(cpu_NF, tmp, a, zero, cpu_CF, zero);
            tcg_gen_add2_i32(cpu_NF, cpu_CF, cpu_NF, tmp, b, zero);
        } else {
            tcg_gen_add2_i32(cpu_NF, cpu_CF, a, zero, b, zero);
        }
        tcg_gen_mov_i32(cpu_ZF, cpu_NF);
        tcg_gen_xor_i32(cpu_VF, cpu_NF, a);
        tcg_gen_xor_i32(tmp, a, b);
        tcg_gen_andc_i32(cpu_VF, cpu_VF, tmp);
        tcg_gen_extu_i32_i64(dest, cpu_NF);
    }
}

static void gen_sub_CC(bool sf, TCGv_i64 dest, TCGv_i64 t0, TCGv_i64 t1)
{
    if (sf) {
        TCGv_i64 res = tcg_temp_new_i64(), flag = tcg_temp_new_i64();
        TCGv_i64 tmp = tcg_temp_new_i64();

        tcg_gen_sub_i64(res, t0, t1);
        gen_set_NZ64(res);
        tcg_gen_setcond_i64(TCG_COND_GEU, flag, t0, t1);
        tcg_gen_extrl_i64_i32(cpu_CF, flag);
        tcg_gen_xor_i64(flag, res, t0);
        tcg_gen_xor_i64(tmp, t0, t1);
        tcg_gen_and_i64(flag, flag, tmp);
        tcg_gen_extrh_i64_i32(cpu_VF, flag);
        tcg_gen_mov_i64(dest, res);
    } else {
        TCGv_i32 a = tcg_temp_new_i32(), b = tcg_temp_new_i32();
        TCGv_i32 tmp = tcg_temp_new_i32();

        tcg_gen_extrl_i64_i32(a, t0);
        tcg_gen_extrl_i64_i32(b, t1);
        tcg_gen_sub_i32(cpu_NF, a, b);
        tcg_gen_mov_i32(cpu_ZF, cpu_NF);
        tcg_gen_setcond_i32(TCG_COND_GEU, cpu_CF, a, b);
        tcg_gen_xor_i32(cpu_VF, cpu_NF, a);
        tcg_gen_xor_i32(tmp, a, b);
        tcg_gen_and_i32(cpu_VF, cpu_VF, tmp);
        tcg_gen_extu_i32_i64(dest, cpu_NF);
    }
}

/* ---- data processing, immediate ---- */


static bool trans_ADR(DisasContext *s, arg_ri *a)
{
    if (a->rd != 31) {
        tcg_gen_movi_i64(cpu_X[a->rd], s->pc_curr + a->imm);
    }
    return true;
}

static bool trans_ADRP(DisasContext *s, arg_ri *a)
{
    if (a->rd != 31) {
        tcg_gen_movi_i64(cpu_X[a->rd], (s->pc_curr & ~0xfffull) +
                         ((int64_t)a->imm << 12));
    }
    return true;
}

static bool do_addsub_imm(DisasContext *s, arg_rri_sf *a, bool sub, bool setf)
{
    TCGv_i64 rn = read_cpu_reg_sp(s, a->rn, true);
    TCGv_i64 res = tcg_temp_new_i64();

    if (setf) {
        TCGv_i64 imm = tcg_constant_i64(a->imm);

        if (sub) {
            gen_sub_CC(a->sf, res, rn, imm);
        } else {
            gen_add_CC(a->sf, res, rn, imm, false);
        }
        write_reg(s, a->rd, res, a->sf);
    } else {
        tcg_gen_addi_i64(res, rn, sub ? -(int64_t)a->imm : a->imm);
        write_reg_sp(s, a->rd, res, a->sf);
    }
    return true;
}

static bool trans_ADD_i(DisasContext *s, arg_rri_sf *a)
{
    return do_addsub_imm(s, a, false, false);
}

static bool trans_ADDS_i(DisasContext *s, arg_rri_sf *a)
{
    return do_addsub_imm(s, a, false, true);
}

static bool trans_SUB_i(DisasContext *s, arg_rri_sf *a)
{
    return do_addsub_imm(s, a, true, false);
}

static bool trans_SUBS_i(DisasContext *s, arg_rri_sf *a)
{
    return do_addsub_imm(s, a, true, true);
}

enum { LOG_AND, LOG_ORR, LOG_EOR, LOG_ANDS };

static bool do_logic_imm(DisasContext *s, arg_rri_log *a, int op)
{
    TCGv_i64 rn = cpu_reg(s, a->rn);
    TCGv_i64 res = tcg_temp_new_i64();
    uint64_t imm = a->imm;

    if (!imm) {
        return false;
    }
    if (!a->sf) {
        imm &= 0xffffffffull;
    }
    switch (op) {
    case LOG_AND:
    case LOG_ANDS:
        tcg_gen_andi_i64(res, rn, imm);
        break;
    case LOG_ORR:
        tcg_gen_ori_i64(res, rn, imm);
        break;
    default:
        tcg_gen_xori_i64(res, rn, imm);
        break;
    }
    if (!a->sf) {
        tcg_gen_ext32u_i64(res, res);
    }
    if (op == LOG_ANDS) {
        gen_logic_CC(a->sf, res);
        write_reg(s, a->rd, res, a->sf);
    } else {
        write_reg_sp(s, a->rd, res, a->sf);
    }
    return true;
}

static bool trans_AND_i(DisasContext *s, arg_rri_log *a)
{
    return do_logic_imm(s, a, LOG_AND);
}

static bool trans_ORR_i(DisasContext *s, arg_rri_log *a)
{
    return do_logic_imm(s, a, LOG_ORR);
}

static bool trans_EOR_i(DisasContext *s, arg_rri_log *a)
{
    return do_logic_imm(s, a, LOG_EOR);
}

static bool trans_ANDS_i(DisasContext *s, arg_rri_log *a)
{
    return do_logic_imm(s, a, LOG_ANDS);
}

static bool trans_MOVN(DisasContext *s, arg_movw *a)
{
    uint64_t v = ~((uint64_t)a->imm << (16 * a->hw));

    if (a->rd != 31) {
        tcg_gen_movi_i64(cpu_X[a->rd], a->sf ? v : (uint32_t)v);
    }
    return true;
}

static bool trans_MOVZ(DisasContext *s, arg_movw *a)
{
    if (a->rd != 31) {
        tcg_gen_movi_i64(cpu_X[a->rd], (uint64_t)a->imm << (16 * a->hw));
    }
    return true;
}

static bool trans_MOVK(DisasContext *s, arg_movw *a)
{
    TCGv_i64 rd;

    if (a->rd == 31) {
        return true;
    }
    rd = cpu_X[a->rd];
    tcg_gen_deposit_i64(rd, rd, tcg_constant_i64(a->imm), 16 * a->hw, 16);
    if (!a->sf) {
        tcg_gen_ext32u_i64(rd, rd);
    }
    return true;
}

static bool trans_SBFM(DisasContext *s, arg_bitfield *a)
{
    int bits = a->sf ? 64 : 32;
    TCGv_i64 rn = read_cpu_reg(s, a->rn, a->sf);
    TCGv_i64 res = tcg_temp_new_i64();

    if (a->imms >= a->immr) {
        tcg_gen_sextract_i64(res, rn, a->immr, a->imms - a->immr + 1);
    } else {
        tcg_gen_sextract_i64(res, rn, 0, a->imms + 1);
        tcg_gen_shli_i64(res, res, bits - a->immr);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_UBFM(DisasContext *s, arg_bitfield *a)
{
    int bits = a->sf ? 64 : 32;
    TCGv_i64 rn = read_cpu_reg(s, a->rn, a->sf);
    TCGv_i64 res = tcg_temp_new_i64();

    if (a->imms >= a->immr) {
        tcg_gen_extract_i64(res, rn, a->immr, a->imms - a->immr + 1);
    } else {
        tcg_gen_deposit_z_i64(res, rn, bits - a->immr, a->imms + 1);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_BFM(DisasContext *s, arg_bitfield *a)
{
    int bits = a->sf ? 64 : 32;
    TCGv_i64 rn = read_cpu_reg(s, a->rn, a->sf);
    TCGv_i64 rd = read_cpu_reg(s, a->rd, a->sf);
    TCGv_i64 t = tcg_temp_new_i64();

    if (a->imms >= a->immr) {
        int len = a->imms - a->immr + 1;

        tcg_gen_extract_i64(t, rn, a->immr, len);
        tcg_gen_deposit_i64(rd, rd, t, 0, len);
    } else {
        tcg_gen_deposit_i64(rd, rd, rn, bits - a->immr, a->imms + 1);
    }
    write_reg(s, a->rd, rd, a->sf);
    return true;
}

static bool trans_EXTR(DisasContext *s, arg_extr *a)
{
    TCGv_i64 res = tcg_temp_new_i64();

    if (a->sf) {
        TCGv_i64 rn = read_cpu_reg(s, a->rn, true);
        TCGv_i64 rm = read_cpu_reg(s, a->rm, true);

        if (a->imm == 0) {
            tcg_gen_mov_i64(res, rm);
        } else {
            tcg_gen_extract2_i64(res, rm, rn, a->imm);
        }
    } else {
        TCGv_i32 n = tcg_temp_new_i32(), m = tcg_temp_new_i32();
        TCGv_i32 r = tcg_temp_new_i32();

        tcg_gen_extrl_i64_i32(n, cpu_reg(s, a->rn));
        tcg_gen_extrl_i64_i32(m, cpu_reg(s, a->rm));
        if (a->imm == 0) {
            tcg_gen_mov_i32(r, m);
        } else {
            tcg_gen_extract2_i32(r, m, n, a->imm);
        }
        tcg_gen_extu_i32_i64(res, r);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

/* ---- data processing, register ---- */

/* shift: 0 LSL, 1 LSR, 2 ASR, 3 ROR, on a zero-extended sf-wide value */
static void shift_reg_imm(TCGv_i64 dst, TCGv_i64 src, bool sf, int shift,
                          int amount)
{
    if (amount == 0) {
        tcg_gen_mov_i64(dst, src);
        return;
    }
    if (sf) {
        switch (shift) {
        case 0:
            tcg_gen_shli_i64(dst, src, amount);
            break;
        case 1:
            tcg_gen_shri_i64(dst, src, amount);
            break;
        case 2:
            tcg_gen_sari_i64(dst, src, amount);
            break;
        default:
            tcg_gen_rotri_i64(dst, src, amount);
            break;
        }
    } else {
        TCGv_i32 t = tcg_temp_new_i32();

        tcg_gen_extrl_i64_i32(t, src);
        switch (shift) {
        case 0:
            tcg_gen_shli_i32(t, t, amount);
            break;
        case 1:
            tcg_gen_shri_i32(t, t, amount);
            break;
        case 2:
            tcg_gen_sari_i32(t, t, amount);
            break;
        default:
            tcg_gen_rotri_i32(t, t, amount);
            break;
        }
        tcg_gen_extu_i32_i64(dst, t);
    }
}

static TCGv_i64 read_shifted(DisasContext *s, int rm, bool sf, int shift,
                             int sa)
{
    TCGv_i64 v = read_cpu_reg(s, rm, sf);

    shift_reg_imm(v, v, sf, shift, sa);
    return v;
}

static bool do_logic_reg(DisasContext *s, arg_rrr_shift *a, int op,
                         bool invert)
{
    TCGv_i64 rn = read_cpu_reg(s, a->rn, a->sf);
    TCGv_i64 rm = read_shifted(s, a->rm, a->sf, a->shift, a->sa);
    TCGv_i64 res = tcg_temp_new_i64();

    switch (op) {
    case LOG_AND:
    case LOG_ANDS:
        if (invert) {
            tcg_gen_andc_i64(res, rn, rm);
        } else {
            tcg_gen_and_i64(res, rn, rm);
        }
        break;
    case LOG_ORR:
        if (invert) {
            tcg_gen_orc_i64(res, rn, rm);
        } else {
            tcg_gen_or_i64(res, rn, rm);
        }
        break;
    default:
        if (invert) {
            tcg_gen_eqv_i64(res, rn, rm);
        } else {
            tcg_gen_xor_i64(res, rn, rm);
        }
        break;
    }
    if (!a->sf) {
        tcg_gen_ext32u_i64(res, res);
    }
    if (op == LOG_ANDS) {
        gen_logic_CC(a->sf, res);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_AND_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_logic_reg(s, a, LOG_AND, false);
}

static bool trans_BIC_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_logic_reg(s, a, LOG_AND, true);
}

static bool trans_ORR_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_logic_reg(s, a, LOG_ORR, false);
}

static bool trans_ORN_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_logic_reg(s, a, LOG_ORR, true);
}

static bool trans_EOR_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_logic_reg(s, a, LOG_EOR, false);
}

static bool trans_EON_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_logic_reg(s, a, LOG_EOR, true);
}

static bool trans_ANDS_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_logic_reg(s, a, LOG_ANDS, false);
}

static bool trans_BICS_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_logic_reg(s, a, LOG_ANDS, true);
}

static void do_addsub(DisasContext *s, bool sf, int rd, TCGv_i64 rn,
                      TCGv_i64 rm, bool sub, bool setf, bool rd_sp)
{
    TCGv_i64 res = tcg_temp_new_i64();

    if (setf) {
        if (sub) {
            gen_sub_CC(sf, res, rn, rm);
        } else {
            gen_add_CC(sf, res, rn, rm, false);
        }
        write_reg(s, rd, res, sf);
        return;
    }
    if (sub) {
        tcg_gen_sub_i64(res, rn, rm);
    } else {
        tcg_gen_add_i64(res, rn, rm);
    }
    if (rd_sp) {
        write_reg_sp(s, rd, res, sf);
    } else {
        write_reg(s, rd, res, sf);
    }
}

static bool do_addsub_shift(DisasContext *s, arg_rrr_shift *a, bool sub,
                            bool setf)
{
    do_addsub(s, a->sf, a->rd, read_cpu_reg(s, a->rn, a->sf),
              read_shifted(s, a->rm, a->sf, a->shift, a->sa), sub, setf,
              false);
    return true;
}

static bool trans_ADD_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_addsub_shift(s, a, false, false);
}

static bool trans_ADDS_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_addsub_shift(s, a, false, true);
}

static bool trans_SUB_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_addsub_shift(s, a, true, false);
}

static bool trans_SUBS_r(DisasContext *s, arg_rrr_shift *a)
{
    return do_addsub_shift(s, a, true, true);
}

/* option: UXTB UXTH UXTW UXTX SXTB SXTH SXTW SXTX, then LSL shift */
static void ext_and_shift_reg(TCGv_i64 out, TCGv_i64 in, int option,
                              int shift)
{
    int size = option & 3;

    if (option & 4) {
        switch (size) {
        case 0:
            tcg_gen_ext8s_i64(out, in);
            break;
        case 1:
            tcg_gen_ext16s_i64(out, in);
            break;
        case 2:
            tcg_gen_ext32s_i64(out, in);
            break;
        default:
            tcg_gen_mov_i64(out, in);
            break;
        }
    } else {
        switch (size) {
        case 0:
            tcg_gen_ext8u_i64(out, in);
            break;
        case 1:
            tcg_gen_ext16u_i64(out, in);
            break;
        case 2:
            tcg_gen_ext32u_i64(out, in);
            break;
        default:
            tcg_gen_mov_i64(out, in);
            break;
        }
    }
    if (shift) {
        tcg_gen_shli_i64(out, out, shift);
    }
}

static bool do_addsub_ext(DisasContext *s, arg_rrr_ext *a, bool sub,
                          bool setf)
{
    TCGv_i64 rn = read_cpu_reg_sp(s, a->rn, true);
    TCGv_i64 rm = tcg_temp_new_i64();

    if (a->imm > 4) {
        return false;
    }
    ext_and_shift_reg(rm, cpu_reg(s, a->rm), a->option, a->imm);
    do_addsub(s, a->sf, a->rd, rn, rm, sub, setf, !setf);
    return true;
}

static bool trans_ADD_x(DisasContext *s, arg_rrr_ext *a)
{
    return do_addsub_ext(s, a, false, false);
}

static bool trans_ADDS_x(DisasContext *s, arg_rrr_ext *a)
{
    return do_addsub_ext(s, a, false, true);
}

static bool trans_SUB_x(DisasContext *s, arg_rrr_ext *a)
{
    return do_addsub_ext(s, a, true, false);
}

static bool trans_SUBS_x(DisasContext *s, arg_rrr_ext *a)
{
    return do_addsub_ext(s, a, true, true);
}

static bool do_adc(DisasContext *s, arg_rrr_sf *a, bool sub, bool setf)
{
    TCGv_i64 rn = read_cpu_reg(s, a->rn, a->sf);
    TCGv_i64 rm = read_cpu_reg(s, a->rm, a->sf);
    TCGv_i64 res = tcg_temp_new_i64();

    if (sub) {
        tcg_gen_not_i64(rm, rm);
        if (!a->sf) {
            tcg_gen_ext32u_i64(rm, rm);
        }
    }
    if (setf) {
        gen_add_CC(a->sf, res, rn, rm, true);
    } else {
        TCGv_i64 c = tcg_temp_new_i64();

        tcg_gen_extu_i32_i64(c, cpu_CF);
        tcg_gen_add_i64(res, rn, rm);
        tcg_gen_add_i64(res, res, c);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_ADC(DisasContext *s, arg_rrr_sf *a)
{
    return do_adc(s, a, false, false);
}

static bool trans_ADCS(DisasContext *s, arg_rrr_sf *a)
{
    return do_adc(s, a, false, true);
}

static bool trans_SBC(DisasContext *s, arg_rrr_sf *a)
{
    return do_adc(s, a, true, false);
}

static bool trans_SBCS(DisasContext *s, arg_rrr_sf *a)
{
    return do_adc(s, a, true, true);
}

static void gen_set_nzcv_imm(int nzcv)
{
    tcg_gen_movi_i32(cpu_NF, (nzcv & 8) ? -1 : 0);
    tcg_gen_movi_i32(cpu_ZF, (nzcv & 4) ? 0 : 1);
    tcg_gen_movi_i32(cpu_CF, (nzcv >> 1) & 1);
    tcg_gen_movi_i32(cpu_VF, (nzcv & 1) ? -1 : 0);
}

static void do_ccmp(DisasContext *s, int cond, int nzcv, bool sf, int rn,
                    TCGv_i64 rm, bool is_sub)
{
    TCGv_i64 n = read_cpu_reg(s, rn, sf);
    TCGv_i64 res = tcg_temp_new_i64();
    DisasCompare c;
    TCGLabel *l_false, *l_done;

    if (cond >= 14) {
        if (is_sub) {
            gen_sub_CC(sf, res, n, rm);
        } else {
            gen_add_CC(sf, res, n, rm, false);
        }
        return;
    }
    arm_test_cc(&c, cond);
    l_false = gen_new_label();
    l_done = gen_new_label();
    tcg_gen_brcondi_i32(tcg_invert_cond(c.cond), c.value, 0, l_false);
    if (is_sub) {
        gen_sub_CC(sf, res, n, rm);
    } else {
        gen_add_CC(sf, res, n, rm, false);
    }
    tcg_gen_br(l_done);
    gen_set_label(l_false);
    gen_set_nzcv_imm(nzcv);
    gen_set_label(l_done);
}

static bool trans_CCMN_r(DisasContext *s, arg_ccmp_r *a)
{
    do_ccmp(s, a->cond, a->nzcv, a->sf, a->rn, read_cpu_reg(s, a->rm, a->sf),
            false);
    return true;
}

static bool trans_CCMP_r(DisasContext *s, arg_ccmp_r *a)
{
    do_ccmp(s, a->cond, a->nzcv, a->sf, a->rn, read_cpu_reg(s, a->rm, a->sf),
            true);
    return true;
}

static bool trans_CCMN_i(DisasContext *s, arg_ccmp_i *a)
{
    TCGv_i64 imm = tcg_temp_new_i64();

    tcg_gen_movi_i64(imm, a->imm);
    do_ccmp(s, a->cond, a->nzcv, a->sf, a->rn, imm, false);
    return true;
}

static bool trans_CCMP_i(DisasContext *s, arg_ccmp_i *a)
{
    TCGv_i64 imm = tcg_temp_new_i64();

    tcg_gen_movi_i64(imm, a->imm);
    do_ccmp(s, a->cond, a->nzcv, a->sf, a->rn, imm, true);
    return true;
}

enum { CSEL_PLAIN, CSEL_INC, CSEL_INV, CSEL_NEG };

static bool do_csel(DisasContext *s, arg_csel *a, int kind)
{
    TCGv_i64 rn = read_cpu_reg(s, a->rn, a->sf);
    TCGv_i64 rm = read_cpu_reg(s, a->rm, a->sf);
    TCGv_i64 res = tcg_temp_new_i64();
    DisasCompare c;

    switch (kind) {
    case CSEL_INC:
        tcg_gen_addi_i64(rm, rm, 1);
        break;
    case CSEL_INV:
        tcg_gen_not_i64(rm, rm);
        break;
    case CSEL_NEG:
        tcg_gen_neg_i64(rm, rm);
        break;
    default:
        break;
    }
    if (a->cond >= 14) {
        tcg_gen_mov_i64(res, rn);
    } else {
        TCGv_i64 v = tcg_temp_new_i64();

        arm_test_cc(&c, a->cond);
        tcg_gen_ext_i32_i64(v, c.value);
        tcg_gen_movcond_i64(c.cond, res, v, tcg_constant_i64(0), rn, rm);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_CSEL(DisasContext *s, arg_csel *a)
{
    return do_csel(s, a, CSEL_PLAIN);
}

static bool trans_CSINC(DisasContext *s, arg_csel *a)
{
    return do_csel(s, a, CSEL_INC);
}

static bool trans_CSINV(DisasContext *s, arg_csel *a)
{
    return do_csel(s, a, CSEL_INV);
}

static bool trans_CSNEG(DisasContext *s, arg_csel *a)
{
    return do_csel(s, a, CSEL_NEG);
}

static bool trans_RBIT(DisasContext *s, arg_rr_sf *a)
{
    TCGv_i64 res = tcg_temp_new_i64();

    gen_helper_rbit64(res, read_cpu_reg(s, a->rn, true));
    if (!a->sf) {
        tcg_gen_shri_i64(res, res, 32);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_REV16(DisasContext *s, arg_rr_sf *a)
{
    TCGv_i64 rn = read_cpu_reg(s, a->rn, a->sf);
    TCGv_i64 t = tcg_temp_new_i64(), res = tcg_temp_new_i64();
    uint64_t mask = 0x00ff00ff00ff00ffull;

    tcg_gen_shri_i64(t, rn, 8);
    tcg_gen_andi_i64(t, t, mask);
    tcg_gen_andi_i64(res, rn, mask);
    tcg_gen_shli_i64(res, res, 8);
    tcg_gen_or_i64(res, res, t);
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_REV32(DisasContext *s, arg_rr_sf *a)
{
    TCGv_i64 res = tcg_temp_new_i64();

    tcg_gen_bswap64_i64(res, read_cpu_reg(s, a->rn, true));
    tcg_gen_rotli_i64(res, res, 32);
    write_reg(s, a->rd, res, true);
    return true;
}

static bool trans_REV(DisasContext *s, arg_rr_sf *a)
{
    TCGv_i64 res = tcg_temp_new_i64();

    if (a->sf) {
        tcg_gen_bswap64_i64(res, read_cpu_reg(s, a->rn, true));
    } else {
        tcg_gen_bswap32_i64(res, read_cpu_reg(s, a->rn, false),
                            TCG_BSWAP_IZ | TCG_BSWAP_OZ);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_CLZ(DisasContext *s, arg_rr_sf *a)
{
    TCGv_i64 res = tcg_temp_new_i64();

    if (a->sf) {
        tcg_gen_clzi_i64(res, cpu_reg(s, a->rn), 64);
    } else {
        TCGv_i32 t = tcg_temp_new_i32();

        tcg_gen_extrl_i64_i32(t, cpu_reg(s, a->rn));
        tcg_gen_clzi_i32(t, t, 32);
        tcg_gen_extu_i32_i64(res, t);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_CLS(DisasContext *s, arg_rr_sf *a)
{
    TCGv_i64 res = tcg_temp_new_i64();

    if (a->sf) {
        tcg_gen_clrsb_i64(res, cpu_reg(s, a->rn));
    } else {
        TCGv_i32 t = tcg_temp_new_i32();

        tcg_gen_extrl_i64_i32(t, cpu_reg(s, a->rn));
        tcg_gen_clrsb_i32(t, t);
        tcg_gen_extu_i32_i64(res, t);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_UDIV(DisasContext *s, arg_rrr_sf *a)
{
    TCGv_i64 res = tcg_temp_new_i64();

    gen_helper_udiv64(res, read_cpu_reg(s, a->rn, a->sf),
                      read_cpu_reg(s, a->rm, a->sf));
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_SDIV(DisasContext *s, arg_rrr_sf *a)
{
    TCGv_i64 n = read_cpu_reg(s, a->rn, true), m = read_cpu_reg(s, a->rm, true);
    TCGv_i64 res = tcg_temp_new_i64();

    if (!a->sf) {
        tcg_gen_ext32s_i64(n, n);
        tcg_gen_ext32s_i64(m, m);
    }
    gen_helper_sdiv64(res, n, m);
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool do_shiftv(DisasContext *s, arg_rrr_sf *a, int shift)
{
    TCGv_i64 res = tcg_temp_new_i64();

    if (a->sf) {
        TCGv_i64 n = read_cpu_reg(s, a->rn, true);
        TCGv_i64 m = tcg_temp_new_i64();

        tcg_gen_andi_i64(m, cpu_reg(s, a->rm), 63);
        switch (shift) {
        case 0:
            tcg_gen_shl_i64(res, n, m);
            break;
        case 1:
            tcg_gen_shr_i64(res, n, m);
            break;
        case 2:
            tcg_gen_sar_i64(res, n, m);
            break;
        default:
            tcg_gen_rotr_i64(res, n, m);
            break;
        }
    } else {
        TCGv_i32 n = tcg_temp_new_i32(), m = tcg_temp_new_i32();

        tcg_gen_extrl_i64_i32(n, cpu_reg(s, a->rn));
        tcg_gen_extrl_i64_i32(m, cpu_reg(s, a->rm));
        tcg_gen_andi_i32(m, m, 31);
        switch (shift) {
        case 0:
            tcg_gen_shl_i32(n, n, m);
            break;
        case 1:
            tcg_gen_shr_i32(n, n, m);
            break;
        case 2:
            tcg_gen_sar_i32(n, n, m);
            break;
        default:
            tcg_gen_rotr_i32(n, n, m);
            break;
        }
        tcg_gen_extu_i32_i64(res, n);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_LSLV(DisasContext *s, arg_rrr_sf *a)
{
    return do_shiftv(s, a, 0);
}

static bool trans_LSRV(DisasContext *s, arg_rrr_sf *a)
{
    return do_shiftv(s, a, 1);
}

static bool trans_ASRV(DisasContext *s, arg_rrr_sf *a)
{
    return do_shiftv(s, a, 2);
}

static bool trans_RORV(DisasContext *s, arg_rrr_sf *a)
{
    return do_shiftv(s, a, 3);
}

static bool trans_CRC32(DisasContext *s, arg_crc *a)
{
    TCGv_i64 res = tcg_temp_new_i64();
    TCGv_i64 acc = read_cpu_reg(s, a->rn, false);
    TCGv_i64 val = read_cpu_reg(s, a->rm, true);
    TCGv_i32 bytes = tcg_constant_i32(1 << a->sz);

    if (!arm_feature(s->env, ARM_FEATURE_CRC)) {
        return false;
    }
    if (a->c) {
        gen_helper_crc32c(res, acc, val, bytes);
    } else {
        gen_helper_crc32(res, acc, val, bytes);
    }
    write_reg(s, a->rd, res, false);
    return true;
}

static bool do_madd(DisasContext *s, arg_rrrr_sf *a, bool sub)
{
    TCGv_i64 res = tcg_temp_new_i64();

    tcg_gen_mul_i64(res, cpu_reg(s, a->rn), cpu_reg(s, a->rm));
    if (sub) {
        tcg_gen_sub_i64(res, cpu_reg(s, a->ra), res);
    } else {
        tcg_gen_add_i64(res, cpu_reg(s, a->ra), res);
    }
    write_reg(s, a->rd, res, a->sf);
    return true;
}

static bool trans_MADD(DisasContext *s, arg_rrrr_sf *a)
{
    return do_madd(s, a, false);
}

static bool trans_MSUB(DisasContext *s, arg_rrrr_sf *a)
{
    return do_madd(s, a, true);
}

static bool do_maddl(DisasContext *s, arg_rrrr_sf *a, bool sub, bool is_signed)
{
    TCGv_i64 n = tcg_temp_new_i64(), m = tcg_temp_new_i64();
    TCGv_i64 res = tcg_temp_new_i64();

    if (is_signed) {
        tcg_gen_ext32s_i64(n, cpu_reg(s, a->rn));
        tcg_gen_ext32s_i64(m, cpu_reg(s, a->rm));
    } else {
        tcg_gen_ext32u_i64(n, cpu_reg(s, a->rn));
        tcg_gen_ext32u_i64(m, cpu_reg(s, a->rm));
    }
    tcg_gen_mul_i64(res, n, m);
    if (sub) {
        tcg_gen_sub_i64(res, cpu_reg(s, a->ra), res);
    } else {
        tcg_gen_add_i64(res, cpu_reg(s, a->ra), res);
    }
    write_reg(s, a->rd, res, true);
    return true;
}

static bool trans_SMADDL(DisasContext *s, arg_rrrr_sf *a)
{
    return do_maddl(s, a, false, true);
}

static bool trans_SMSUBL(DisasContext *s, arg_rrrr_sf *a)
{
    return do_maddl(s, a, true, true);
}

static bool trans_UMADDL(DisasContext *s, arg_rrrr_sf *a)
{
    return do_maddl(s, a, false, false);
}

static bool trans_UMSUBL(DisasContext *s, arg_rrrr_sf *a)
{
    return do_maddl(s, a, true, false);
}

static bool trans_SMULH(DisasContext *s, arg_rrr_sf *a)
{
    TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();

    tcg_gen_muls2_i64(lo, hi, cpu_reg(s, a->rn), cpu_reg(s, a->rm));
    write_reg(s, a->rd, hi, true);
    return true;
}

static bool trans_UMULH(DisasContext *s, arg_rrr_sf *a)
{
    TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();

    tcg_gen_mulu2_i64(lo, hi, cpu_reg(s, a->rn), cpu_reg(s, a->rm));
    write_reg(s, a->rd, hi, true);
    return true;
}

/* ---- loads and stores ---- */

MemOp finalize_memop(DisasContext *s, MemOp mop)
{
    if (s->align && !(mop & MO_AMASK)) {
        mop |= MO_ALIGN;
    }
    return mop;
}

/* Strip the tag of a data address when TCR_EL1.TBIn applies (D8.8). */
TCGv_i64 clean_data_tbi(DisasContext *s, TCGv_i64 addr)
{
    TCGv_i64 t;

    if (s->el > 1 || s->tbi == 0) {
        return addr;
    }
    t = tcg_temp_new_i64();
    if (s->tbi == 3) {
        tcg_gen_sextract_i64(t, addr, 0, 56);
    } else {
        TCGv_i64 sx = tcg_temp_new_i64();
        TCGv_i64 bit = tcg_temp_new_i64();

        tcg_gen_sextract_i64(sx, addr, 0, 56);
        tcg_gen_andi_i64(bit, addr, 1ull << 55);
        if (s->tbi == 1) {
            /* TBI0 only: strip when bit 55 is clear */
            tcg_gen_movcond_i64(TCG_COND_EQ, t, bit, tcg_constant_i64(0),
                                sx, addr);
        } else {
            tcg_gen_movcond_i64(TCG_COND_NE, t, bit, tcg_constant_i64(0),
                                sx, addr);
        }
    }
    return t;
}

static void do_gpr_ld(DisasContext *s, TCGv_i64 dest, TCGv_i64 addr,
                      MemOp mop, bool ext_w, int idx)
{
    tcg_gen_qemu_ld_i64(dest, addr, idx, finalize_memop(s, mop));
    if ((mop & MO_SIGN) && ext_w) {
        tcg_gen_ext32u_i64(dest, dest);
    }
}

static void do_gpr_st(DisasContext *s, TCGv_i64 val, TCGv_i64 addr,
                      MemOp mop, int idx)
{
    tcg_gen_qemu_st_i64(val, addr, idx, finalize_memop(s, mop));
}

/* FP/SIMD register <-> memory, size 0..4 (4 = Q) */
static void do_fp_ld(DisasContext *s, int rt, TCGv_i64 addr, int size)
{
    TCGv_i64 lo = tcg_temp_new_i64();

    if (size < 4) {
        tcg_gen_qemu_ld_i64(lo, addr, s->mmu_idx,
                            finalize_memop(s, (MemOp)size));
        tcg_gen_st_i64(lo, tcg_env, vreg_ofs(rt, 0));
        clear_vec_high(s, rt);
    } else {
        TCGv_i64 hi = tcg_temp_new_i64(), a2 = tcg_temp_new_i64();

        tcg_gen_qemu_ld_i64(lo, addr, s->mmu_idx,
                            s->align ? MO_LEUQ | MO_ALIGN_16 : MO_LEUQ);
        tcg_gen_addi_i64(a2, addr, 8);
        tcg_gen_qemu_ld_i64(hi, a2, s->mmu_idx, MO_LEUQ);
        tcg_gen_st_i64(lo, tcg_env, vreg_ofs(rt, 0));
        tcg_gen_st_i64(hi, tcg_env, vreg_ofs(rt, 1));
    }
}

static void do_fp_st(DisasContext *s, int rt, TCGv_i64 addr, int size)
{
    TCGv_i64 lo = tcg_temp_new_i64();

    tcg_gen_ld_i64(lo, tcg_env, vreg_ofs(rt, 0));
    if (size < 4) {
        tcg_gen_qemu_st_i64(lo, addr, s->mmu_idx,
                            finalize_memop(s, (MemOp)size));
    } else {
        TCGv_i64 hi = tcg_temp_new_i64(), a2 = tcg_temp_new_i64();

        tcg_gen_ld_i64(hi, tcg_env, vreg_ofs(rt, 1));
        tcg_gen_qemu_st_i64(lo, addr, s->mmu_idx,
                            s->align ? MO_LEUQ | MO_ALIGN_16 : MO_LEUQ);
        tcg_gen_addi_i64(a2, addr, 8);
        tcg_gen_qemu_st_i64(hi, a2, s->mmu_idx, MO_LEUQ);
    }
}

/* base + (pre-index/offset ? imm : 0); *wb gets base + imm */
static TCGv_i64 ldst_addr(DisasContext *s, int rn, int64_t imm, bool post,
                          TCGv_i64 *wb)
{
    TCGv_i64 base = read_cpu_reg_sp(s, rn, true);
    TCGv_i64 addr = tcg_temp_new_i64();

    tcg_gen_addi_i64(addr, base, post ? 0 : imm);
    if (wb) {
        *wb = tcg_temp_new_i64();
        tcg_gen_addi_i64(*wb, base, imm);
    }
    return addr;
}

static bool trans_LDR_i(DisasContext *s, arg_ldst_imm *a)
{
    TCGv_i64 wb = NULL, val = tcg_temp_new_i64();
    TCGv_i64 addr = ldst_addr(s, a->rn, a->imm, a->p, a->w ? &wb : NULL);
    MemOp mop = a->sz | (a->sign ? MO_SIGN : 0);

    do_gpr_ld(s, val, clean_data_tbi(s, addr), mop, a->sign && !a->ext,
              a->unpriv ? s->unpriv_idx : s->mmu_idx);
    if (a->w) {
        tcg_gen_mov_i64(cpu_X[a->rn], wb);
    }
    write_reg(s, a->rt, val, true);
    return true;
}

static bool trans_STR_i(DisasContext *s, arg_ldst_imm *a)
{
    TCGv_i64 wb = NULL;
    TCGv_i64 addr = ldst_addr(s, a->rn, a->imm, a->p, a->w ? &wb : NULL);

    do_gpr_st(s, cpu_reg(s, a->rt), clean_data_tbi(s, addr), a->sz,
              a->unpriv ? s->unpriv_idx : s->mmu_idx);
    if (a->w) {
        tcg_gen_mov_i64(cpu_X[a->rn], wb);
    }
    return true;
}

static bool trans_PRFM_i(DisasContext *s, arg_ldst_imm *a)
{
    return true;
}

static bool trans_LDR_v_i(DisasContext *s, arg_ldst_imm *a)
{
    TCGv_i64 wb = NULL, addr;

    if (!fp_access_check(s)) {
        return true;
    }
    addr = ldst_addr(s, a->rn, a->imm, a->p, a->w ? &wb : NULL);
    do_fp_ld(s, a->rt, clean_data_tbi(s, addr), a->sz);
    if (a->w) {
        tcg_gen_mov_i64(cpu_X[a->rn], wb);
    }
    return true;
}

static bool trans_STR_v_i(DisasContext *s, arg_ldst_imm *a)
{
    TCGv_i64 wb = NULL, addr;

    if (!fp_access_check(s)) {
        return true;
    }
    addr = ldst_addr(s, a->rn, a->imm, a->p, a->w ? &wb : NULL);
    do_fp_st(s, a->rt, clean_data_tbi(s, addr), a->sz);
    if (a->w) {
        tcg_gen_mov_i64(cpu_X[a->rn], wb);
    }
    return true;
}

static TCGv_i64 ldst_reg_addr(DisasContext *s, arg_ldst_reg *a, int shift)
{
    TCGv_i64 addr = read_cpu_reg_sp(s, a->rn, true);
    TCGv_i64 off = tcg_temp_new_i64();

    ext_and_shift_reg(off, cpu_reg(s, a->rm), a->opt, a->s ? shift : 0);
    tcg_gen_add_i64(addr, addr, off);
    return clean_data_tbi(s, addr);
}

static bool trans_LDR_r(DisasContext *s, arg_ldst_reg *a)
{
    TCGv_i64 val = tcg_temp_new_i64();
    TCGv_i64 addr = ldst_reg_addr(s, a, a->sz);

    do_gpr_ld(s, val, addr, a->sz | (a->sign ? MO_SIGN : 0),
              a->sign && !a->ext, s->mmu_idx);
    write_reg(s, a->rt, val, true);
    return true;
}

static bool trans_STR_r(DisasContext *s, arg_ldst_reg *a)
{
    do_gpr_st(s, cpu_reg(s, a->rt), ldst_reg_addr(s, a, a->sz), a->sz,
              s->mmu_idx);
    return true;
}

static bool trans_PRFM_r(DisasContext *s, arg_ldst_reg *a)
{
    return true;
}

static bool trans_LDR_v_r(DisasContext *s, arg_ldst_reg *a)
{
    if (fp_access_check(s)) {
        do_fp_ld(s, a->rt, ldst_reg_addr(s, a, a->sz), a->sz);
    }
    return true;
}

static bool trans_STR_v_r(DisasContext *s, arg_ldst_reg *a)
{
    if (fp_access_check(s)) {
        do_fp_st(s, a->rt, ldst_reg_addr(s, a, a->sz), a->sz);
    }
    return true;
}

static bool trans_LDR_lit(DisasContext *s, arg_ldlit *a)
{
    TCGv_i64 val = tcg_temp_new_i64();
    TCGv_i64 addr = tcg_constant_i64(s->pc_curr + a->imm);

    do_gpr_ld(s, val, addr, a->sz | (a->sign ? MO_SIGN : 0), false,
              s->mmu_idx);
    write_reg(s, a->rt, val, true);
    return true;
}

static bool trans_PRFM_lit(DisasContext *s, arg_ldlit *a)
{
    return true;
}

static bool trans_LDR_v_lit(DisasContext *s, arg_ldlit *a)
{
    if (fp_access_check(s)) {
        do_fp_ld(s, a->rt, tcg_constant_i64(s->pc_curr + a->imm), a->sz);
    }
    return true;
}

static bool trans_LDP(DisasContext *s, arg_ldstpair *a)
{
    TCGv_i64 wb = NULL, v1 = tcg_temp_new_i64(), v2 = tcg_temp_new_i64();
    TCGv_i64 addr = ldst_addr(s, a->rn, a->imm, a->p, a->w ? &wb : NULL);
    TCGv_i64 a2 = tcg_temp_new_i64();
    MemOp mop = a->sz | (a->sign ? MO_SIGN : 0);

    addr = clean_data_tbi(s, addr);
    tcg_gen_addi_i64(a2, addr, 1 << a->sz);
    do_gpr_ld(s, v1, addr, mop, false, s->mmu_idx);
    do_gpr_ld(s, v2, a2, mop, false, s->mmu_idx);
    if (a->w) {
        tcg_gen_mov_i64(cpu_X[a->rn], wb);
    }
    write_reg(s, a->rt, v1, true);
    write_reg(s, a->rt2, v2, true);
    return true;
}

static bool trans_STP(DisasContext *s, arg_ldstpair *a)
{
    TCGv_i64 wb = NULL;
    TCGv_i64 addr = ldst_addr(s, a->rn, a->imm, a->p, a->w ? &wb : NULL);
    TCGv_i64 a2 = tcg_temp_new_i64();

    addr = clean_data_tbi(s, addr);
    tcg_gen_addi_i64(a2, addr, 1 << a->sz);
    do_gpr_st(s, cpu_reg(s, a->rt), addr, a->sz, s->mmu_idx);
    do_gpr_st(s, cpu_reg(s, a->rt2), a2, a->sz, s->mmu_idx);
    if (a->w) {
        tcg_gen_mov_i64(cpu_X[a->rn], wb);
    }
    return true;
}

static bool trans_LDP_v(DisasContext *s, arg_ldstpair *a)
{
    TCGv_i64 wb = NULL, addr, a2 = tcg_temp_new_i64();

    if (!fp_access_check(s)) {
        return true;
    }
    addr = ldst_addr(s, a->rn, a->imm, a->p, a->w ? &wb : NULL);
    addr = clean_data_tbi(s, addr);
    tcg_gen_addi_i64(a2, addr, 1 << a->sz);
    do_fp_ld(s, a->rt, addr, a->sz);
    do_fp_ld(s, a->rt2, a2, a->sz);
    if (a->w) {
        tcg_gen_mov_i64(cpu_X[a->rn], wb);
    }
    return true;
}

static bool trans_STP_v(DisasContext *s, arg_ldstpair *a)
{
    TCGv_i64 wb = NULL, addr, a2 = tcg_temp_new_i64();

    if (!fp_access_check(s)) {
        return true;
    }
    addr = ldst_addr(s, a->rn, a->imm, a->p, a->w ? &wb : NULL);
    addr = clean_data_tbi(s, addr);
    tcg_gen_addi_i64(a2, addr, 1 << a->sz);
    do_fp_st(s, a->rt, addr, a->sz);
    do_fp_st(s, a->rt2, a2, a->sz);
    if (a->w) {
        tcg_gen_mov_i64(cpu_X[a->rn], wb);
    }
    return true;
}

/* ---- exclusives, acquire/release ---- */

static void gen_acquire(void)
{
    tcg_gen_mb(TCG_MO_ALL | TCG_BAR_LDAQ);
}

static void gen_release(void)
{
    tcg_gen_mb(TCG_MO_ALL | TCG_BAR_STRL);
}

static TCGv_i64 excl_addr(DisasContext *s, int rn)
{
    return clean_data_tbi(s, read_cpu_reg_sp(s, rn, true));
}

static bool trans_LDXR(DisasContext *s, arg_ldxr *a)
{
    TCGv_i64 addr = excl_addr(s, a->rn);
    TCGv_i64 val = tcg_temp_new_i64();
    bool pair = a->rt2 != 0 || (s->insn & (1u << 21));

    if (!pair) {
        tcg_gen_qemu_ld_i64(val, addr, s->mmu_idx, a->sz | MO_ALIGN);
        tcg_gen_mov_i64(cpu_exclusive_val, val);
        write_reg(s, a->rt, val, true);
    } else if (a->sz == 2) {
        TCGv_i64 hi = tcg_temp_new_i64();

        tcg_gen_qemu_ld_i64(val, addr, s->mmu_idx, MO_LEUQ | MO_ALIGN);
        tcg_gen_mov_i64(cpu_exclusive_val, val);
        tcg_gen_shri_i64(hi, val, 32);
        write_reg(s, a->rt, val, false);
        write_reg(s, a->rt2, hi, false);
    } else {
        TCGv_i64 hi = tcg_temp_new_i64(), a2 = tcg_temp_new_i64();

        tcg_gen_qemu_ld_i64(val, addr, s->mmu_idx, MO_LEUQ | MO_ALIGN_16);
        tcg_gen_addi_i64(a2, addr, 8);
        tcg_gen_qemu_ld_i64(hi, a2, s->mmu_idx, MO_LEUQ);
        tcg_gen_mov_i64(cpu_exclusive_val, val);
        tcg_gen_mov_i64(cpu_exclusive_high, hi);
        write_reg(s, a->rt, val, true);
        write_reg(s, a->rt2, hi, true);
    }
    tcg_gen_mov_i64(cpu_exclusive_addr, addr);
    if (a->lasr) {
        gen_acquire();
    }
    return true;
}

static bool trans_LDXP(DisasContext *s, arg_ldxr *a)
{
    return trans_LDXR(s, a);
}

/*
 * Store exclusive: succeeds when the monitor holds this address and memory
 * still has the value LDXR saw (a store from elsewhere in between that
 * wrote the same value is not detected: the usual emulator compromise).
 */
static bool trans_STXR(DisasContext *s, arg_stxr *a)
{
    TCGv_i64 addr = excl_addr(s, a->rn);
    TCGv_i64 status = tcg_temp_new_i64();
    TCGLabel *fail = gen_new_label(), *done = gen_new_label();
    bool pair = s->insn & (1u << 21);

    if (a->lasr) {
        gen_release();
    }
    tcg_gen_brcond_i64(TCG_COND_NE, addr, cpu_exclusive_addr, fail);
    if (pair && a->sz == 3) {
        TCGv_i64 lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();

        tcg_gen_atomic_cmpxchg_i128(lo, hi, addr, cpu_exclusive_val,
                                    cpu_exclusive_high, cpu_reg(s, a->rt),
                                    cpu_reg(s, a->rt2), s->mmu_idx,
                                    MO_LE | MO_ALIGN);
        tcg_gen_xor_i64(lo, lo, cpu_exclusive_val);
        tcg_gen_xor_i64(hi, hi, cpu_exclusive_high);
        tcg_gen_or_i64(lo, lo, hi);
        tcg_gen_setcondi_i64(TCG_COND_NE, status, lo, 0);
    } else {
        TCGv_i64 old = tcg_temp_new_i64(), nv = cpu_reg(s, a->rt);

        if (pair) {
            nv = tcg_temp_new_i64();
            tcg_gen_concat32_i64(nv, cpu_reg(s, a->rt), cpu_reg(s, a->rt2));
        }
        tcg_gen_atomic_cmpxchg_i64(old, addr, cpu_exclusive_val, nv,
                                   s->mmu_idx,
                                   (pair ? MO_LEUQ : a->sz) | MO_ALIGN);
        tcg_gen_setcond_i64(TCG_COND_NE, status, old, cpu_exclusive_val);
    }
    tcg_gen_br(done);
    gen_set_label(fail);
    tcg_gen_movi_i64(status, 1);
    gen_set_label(done);
    tcg_gen_movi_i64(cpu_exclusive_addr, -1);
    write_reg(s, a->rs, status, true);
    return true;
}

static bool trans_STXP(DisasContext *s, arg_stxr *a)
{
    return trans_STXR(s, a);
}

static bool trans_STLR(DisasContext *s, arg_stlr *a)
{
    gen_release();
    tcg_gen_qemu_st_i64(cpu_reg(s, a->rt), excl_addr(s, a->rn), s->mmu_idx,
                        a->sz | MO_ALIGN);
    return true;
}

static bool trans_LDAR(DisasContext *s, arg_stlr *a)
{
    TCGv_i64 val = tcg_temp_new_i64();

    tcg_gen_qemu_ld_i64(val, excl_addr(s, a->rn), s->mmu_idx,
                        a->sz | MO_ALIGN);
    gen_acquire();
    write_reg(s, a->rt, val, true);
    return true;
}

static bool trans_LDAPR(DisasContext *s, arg_stlr *a)
{
    if (!arm_feature(s->env, ARM_FEATURE_LRCPC)) {
        return false;
    }
    return trans_LDAR(s, a);
}

static bool trans_STLUR(DisasContext *s, arg_ldst_imm *a)
{
    if (!arm_feature(s->env, ARM_FEATURE_LRCPC)) {
        return false;
    }
    gen_release();
    return trans_STR_i(s, a);
}

static bool trans_LDAPUR(DisasContext *s, arg_ldst_imm *a)
{
    if (!arm_feature(s->env, ARM_FEATURE_LRCPC)) {
        return false;
    }
    trans_LDR_i(s, a);
    gen_acquire();
    return true;
}

/* ---- LSE ---- */

static bool trans_CAS(DisasContext *s, arg_cas *a)
{
    TCGv_i64 addr, cur = tcg_temp_new_i64();

    if (!arm_feature(s->env, ARM_FEATURE_LSE)) {
        return false;
    }
    addr = excl_addr(s, a->rn);
    if (a->r) {
        gen_release();
    }
    tcg_gen_atomic_cmpxchg_i64(cur, addr, cpu_reg(s, a->rs), cpu_reg(s, a->rt),
                               s->mmu_idx, a->sz | MO_ALIGN);
    if (a->a) {
        gen_acquire();
    }
    write_reg(s, a->rs, cur, true);
    return true;
}

static bool trans_CASP(DisasContext *s, arg_cas *a)
{
    TCGv_i64 addr, lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();

    if (!arm_feature(s->env, ARM_FEATURE_LSE) || (a->rs & 1) || (a->rt & 1)) {
        return false;
    }
    addr = excl_addr(s, a->rn);
    if (a->r) {
        gen_release();
    }
    if (a->sz == 2) {
        TCGv_i64 cmp = tcg_temp_new_i64(), nv = tcg_temp_new_i64();

        tcg_gen_concat32_i64(cmp, cpu_reg(s, a->rs), cpu_reg(s, a->rs + 1));
        tcg_gen_concat32_i64(nv, cpu_reg(s, a->rt), cpu_reg(s, a->rt + 1));
        tcg_gen_atomic_cmpxchg_i64(lo, addr, cmp, nv, s->mmu_idx,
                                   MO_LEUQ | MO_ALIGN);
        tcg_gen_shri_i64(hi, lo, 32);
        write_reg(s, a->rs, lo, false);
        write_reg(s, a->rs + 1, hi, false);
    } else {
        tcg_gen_atomic_cmpxchg_i128(lo, hi, addr, cpu_reg(s, a->rs),
                                    cpu_reg(s, a->rs + 1), cpu_reg(s, a->rt),
                                    cpu_reg(s, a->rt + 1), s->mmu_idx,
                                    MO_LE | MO_ALIGN);
        write_reg(s, a->rs, lo, true);
        write_reg(s, a->rs + 1, hi, true);
    }
    if (a->a) {
        gen_acquire();
    }
    return true;
}

enum { AT_ADD, AT_CLR, AT_EOR, AT_SET, AT_SMAX, AT_SMIN, AT_UMAX, AT_UMIN,
       AT_SWP };

/* LD<op>/ST<op>/SWP: Rt gets the old value, zero-extended */
static bool do_atomic(DisasContext *s, arg_atomic *a, int op)
{
    TCGv_i64 addr, old = tcg_temp_new_i64(), val = cpu_reg(s, a->rs);
    MemOp mop = a->sz | MO_ALIGN;

    if (!arm_feature(s->env, ARM_FEATURE_LSE)) {
        return false;
    }
    addr = excl_addr(s, a->rn);
    if (a->r) {
        gen_release();
    }
    switch (op) {
    case AT_ADD:
        tcg_gen_atomic_fetch_add_i64(old, addr, val, s->mmu_idx, mop);
        break;
    case AT_CLR: {
        TCGv_i64 inv = tcg_temp_new_i64();

        tcg_gen_not_i64(inv, val);
        tcg_gen_atomic_fetch_and_i64(old, addr, inv, s->mmu_idx, mop);
        break;
    }
    case AT_EOR:
        tcg_gen_atomic_fetch_xor_i64(old, addr, val, s->mmu_idx, mop);
        break;
    case AT_SET:
        tcg_gen_atomic_fetch_or_i64(old, addr, val, s->mmu_idx, mop);
        break;
    case AT_SMAX:
        tcg_gen_atomic_fetch_smax_i64(old, addr, val, s->mmu_idx, mop);
        break;
    case AT_SMIN:
        tcg_gen_atomic_fetch_smin_i64(old, addr, val, s->mmu_idx, mop);
        break;
    case AT_UMAX:
        tcg_gen_atomic_fetch_umax_i64(old, addr, val, s->mmu_idx, mop);
        break;
    case AT_UMIN:
        tcg_gen_atomic_fetch_umin_i64(old, addr, val, s->mmu_idx, mop);
        break;
    default:
        tcg_gen_atomic_xchg_i64(old, addr, val, s->mmu_idx, mop);
        break;
    }
    if (a->a) {
        gen_acquire();
    }
    write_reg(s, a->rt, old, true);
    return true;
}

static bool trans_LDADD(DisasContext *s, arg_atomic *a)
{
    return do_atomic(s, a, AT_ADD);
}

static bool trans_LDCLR(DisasContext *s, arg_atomic *a)
{
    return do_atomic(s, a, AT_CLR);
}

static bool trans_LDEOR(DisasContext *s, arg_atomic *a)
{
    return do_atomic(s, a, AT_EOR);
}

static bool trans_LDSET(DisasContext *s, arg_atomic *a)
{
    return do_atomic(s, a, AT_SET);
}

static bool trans_LDSMAX(DisasContext *s, arg_atomic *a)
{
    return do_atomic(s, a, AT_SMAX);
}

static bool trans_LDSMIN(DisasContext *s, arg_atomic *a)
{
    return do_atomic(s, a, AT_SMIN);
}

static bool trans_LDUMAX(DisasContext *s, arg_atomic *a)
{
    return do_atomic(s, a, AT_UMAX);
}

static bool trans_LDUMIN(DisasContext *s, arg_atomic *a)
{
    return do_atomic(s, a, AT_UMIN);
}

static bool trans_SWP(DisasContext *s, arg_atomic *a)
{
    return do_atomic(s, a, AT_SWP);
}

/* ---- the translator loop ---- */

static void a64_init_disas_context(DisasContextBase *db, CPUState *cs)
{
    DisasContext *s = container_of(db, DisasContext, base);
    uint32_t f = db->tb->flags;

    s->cpu = ARM_CPU(cs);
    s->env = &s->cpu->env;
    s->el = (f >> TBFLAG_EL_SHIFT) & 3;
    s->mmu_idx = (f >> TBFLAG_MMUIDX_SHIFT) & 15;
    s->unpriv_idx = (f >> TBFLAG_UNPRIV_IDX_SHIFT) & 15;
    s->align = f & TBFLAG_ALIGN;
    s->fp_enabled = f & TBFLAG_FPEN;
    s->fp_excp_el = (f >> TBFLAG_FP_TRAP_EL_SHIFT) & 3;
    s->tbi = (f >> TBFLAG_TBI_SHIFT) & 3;
    s->parallel = db->tb->cflags & CF_PARALLEL;
}

static void a64_tb_start(DisasContextBase *db, CPUState *cs)
{
}

static void a64_insn_start(DisasContextBase *db, CPUState *cs)
{
    tcg_gen_insn_start(db->pc_next);
}

static void a64_translate_insn(DisasContextBase *db, CPUState *cs)
{
    DisasContext *s = container_of(db, DisasContext, base);
    uint64_t pc = db->pc_next;

    s->pc_curr = pc;
    if (pc & 3) {
        tcg_gen_movi_i64(cpu_pc, pc);
        gen_helper_exception_pc_alignment(tcg_env);
        db->is_jmp = DISAS_NORETURN;
        db->pc_next += 4;
        return;
    }
    if (translator_has_breakpoint(cs, pc)) {
        tcg_gen_movi_i64(cpu_pc, pc);
        gen_helper_exception_internal(tcg_env, tcg_constant_i32(EXCP_DEBUG));
        db->is_jmp = DISAS_NORETURN;
        db->pc_next += 4;
        return;
    }
    if (db->tb->flags & TBFLAG_IL) {
        gen_exception_insn(s, EXCP_UDEF, (EC_ILLEGALSTATE << 26) | ARM_EL_IL,
                           default_target_el(s));
        db->pc_next += 4;
        return;
    }
    s->insn = translator_ldl(s->env, db, pc);
    db->pc_next += 4;
    s->fp_checked = false;
    if (!disas_a64(s, s->insn) && !disas_a64_fp_all(s, s->insn)) {
        unallocated_encoding(s);
    }
}

static void a64_tb_stop(DisasContextBase *db, CPUState *cs)
{
    DisasContext *s = container_of(db, DisasContext, base);

    if (db->singlestep_enabled && db->is_jmp != DISAS_NORETURN) {
        switch (db->is_jmp) {
        case DISAS_JUMP:
        case DISAS_EXIT:
            break;
        case DISAS_WFI:
            tcg_gen_movi_i64(cpu_pc, db->pc_next);
            gen_helper_wfi(tcg_env);
            break;
        default:
            tcg_gen_movi_i64(cpu_pc, db->pc_next);
            break;
        }
        gen_helper_exception_internal(tcg_env, tcg_constant_i32(EXCP_DEBUG));
        return;
    }
    switch (db->is_jmp) {
    case DISAS_NEXT:
    case DISAS_TOO_MANY:
        gen_goto_tb(s, 0, db->pc_next);
        break;
    case DISAS_JUMP:
        tcg_gen_lookup_and_goto_ptr();
        break;
    case DISAS_UPDATE_NOCHAIN:
        tcg_gen_movi_i64(cpu_pc, db->pc_next);
        tcg_gen_lookup_and_goto_ptr();
        break;
    case DISAS_UPDATE_EXIT:
        tcg_gen_movi_i64(cpu_pc, db->pc_next);
        tcg_gen_exit_tb(NULL, 0);
        break;
    case DISAS_EXIT:
        tcg_gen_exit_tb(NULL, 0);
        break;
    case DISAS_WFI:
        tcg_gen_movi_i64(cpu_pc, db->pc_next);
        gen_helper_wfi(tcg_env);
        tcg_gen_exit_tb(NULL, 0);
        break;
    default:
        break;
    }
}

static const TranslatorOps a64_translator_ops = {
    .init_disas_context = a64_init_disas_context,
    .tb_start = a64_tb_start,
    .insn_start = a64_insn_start,
    .translate_insn = a64_translate_insn,
    .tb_stop = a64_tb_stop,
};

void arm_translate_code(CPUState *cs, TranslationBlock *tb, int *max_insns,
                        vaddr pc, void *host_pc)
{
    DisasContext dc = { 0 };

    translator_loop(cs, tb, max_insns, pc, host_pc, &a64_translator_ops,
                    &dc.base);
}
