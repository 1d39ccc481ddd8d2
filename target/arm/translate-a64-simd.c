/*
 * A64 Advanced SIMD (a64-simd.decode).
 *
 * Structure loads/stores and the moves between general and vector
 * registers are translated inline; every other AdvSIMD instruction is
 * packed into (operation, fields) and executed by helper_simd
 * (neon_helper.c), which works on the register file element by element.
 * simd_supported() there decides at translate time which encodings are
 * UNDEFINED (reserved sizes, unimplemented extensions such as the crypto
 * instructions, RDM and DotProd, which no model advertises).
 */
#include "turtle/osdep.h"
#include "target/arm/translate-a64.h"
#include "target/arm/neon.h"

static int plus_1(DisasContext *s, int x) { return x + 1; }
static int plus_2(DisasContext *s, int x) { return x + 2; }
static int rsub_8(DisasContext *s, int x) { return 8 - x; }
static int rsub_16(DisasContext *s, int x) { return 16 - x; }
static int rsub_32(DisasContext *s, int x) { return 32 - x; }
static int rsub_64(DisasContext *s, int x) { return 64 - x; }

#include "target/arm/decode-a64-simd.h"

static bool simd_gen(DisasContext *s, int op, uint32_t p1, uint32_t p2)
{
    if (!simd_supported(s->env, op, p1, p2)) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    gen_helper_simd(tcg_env, tcg_constant_i32(op), tcg_constant_i32(p1),
                    tcg_constant_i32(p2));
    return true;
}

#define T_qrrr_e(N) \
static bool trans_##N(DisasContext *s, arg_qrrr_e *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, a->rm, a->esz, a->q, 0, 0, 0, 0, 0), 0); }
#define T_qrr_e(N) \
static bool trans_##N(DisasContext *s, arg_qrr_e *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, 0, a->esz, a->q, 0, 0, 0, 0, 0), 0); }
#define T_rrr_e(N) \
static bool trans_##N(DisasContext *s, arg_rrr_e *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, a->rm, a->esz, 0, 0, 0, 0, 0, 0), 0); }
#define T_rr_e(N) \
static bool trans_##N(DisasContext *s, arg_rr_e *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, 0, a->esz, 0, 0, 0, 0, 0, 0), 0); }
#define T_qrri_e(N) \
static bool trans_##N(DisasContext *s, arg_qrri_e *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, 0, a->esz, a->q, 0, 0, 0, 0, 0), a->imm); }
#define T_rri_e(N) \
static bool trans_##N(DisasContext *s, arg_rri_e *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, 0, a->esz, 0, 0, 0, 0, 0, 0), a->imm); }
#define T_qrrx_e(N) \
static bool trans_##N(DisasContext *s, arg_qrrx_e *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, a->rm, a->esz, a->q, 0, 0, 0, 0, a->idx), 0); }
#define T_rrx_e(N) \
static bool trans_##N(DisasContext *s, arg_rrx_e *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, a->rm, a->esz, 0, 0, 0, 0, 0, a->idx), 0); }
#define T_rr(N) \
static bool trans_##N(DisasContext *s, arg_rr *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, 0, 0, 1, 0, 0, 0, 0, 0), 0); }
#define T_rrr(N) \
static bool trans_##N(DisasContext *s, arg_rrr *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, a->rm, 0, 1, 0, 0, 0, 0, 0), 0); }
#define T_movi(N) \
static bool trans_##N(DisasContext *s, arg_movi *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, 0, 0, 0, a->q, 0, 0, a->op, 0, 0), \
                  a->imm | (a->cmode << 8)); }
#define T_qfcvt(N) \
static bool trans_##N(DisasContext *s, arg_qfcvt *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, 0, a->esz, a->q, a->u, a->rmode, 0, 0, 0), 0); }
#define T_fcvt_s(N) \
static bool trans_##N(DisasContext *s, arg_fcvt_s *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, 0, a->esz, 0, a->u, a->rmode, 0, 0, 0), 0); }
#define T_qfrint(N) \
static bool trans_##N(DisasContext *s, arg_qfrint *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, 0, a->esz, a->q, 0, a->rmode, 0, 0, 0), 0); }
#define T_tbl(N) \
static bool trans_##N(DisasContext *s, arg_tbl *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, a->rm, 0, a->q, 0, 0, 0, a->len, 0), 0); }
#define T_ext(N) \
static bool trans_##N(DisasContext *s, arg_ext *a) \
{ return simd_gen(s, SIMD_##N, SIMD_P1(a->rd, a->rn, a->rm, 0, a->q, 0, 0, 0, 0, 0), a->imm); }
/* hand-written below */
#define T_dup(N)
#define T_ins(N)
#define T_ldst_mult(N)
#define T_ldst_single(N)

#define SIMD_OP(name, set, base, form) T_##set(name)
#include "target/arm/simd-ops.h"
#undef SIMD_OP

/* ---- element moves ---- */

/* imm5: the lowest set bit gives the element size, the bits above it the
 * index; imm5 = x0000 is reserved */
static bool decode_imm5(int imm5, int *esz, int *idx)
{
    if (!(imm5 & 0xf)) {
        return false;
    }
    *esz = __builtin_ctz(imm5);
    *idx = imm5 >> (*esz + 1);
    return true;
}

static bool trans_DUP_elt_v(DisasContext *s, arg_dup *a)
{
    int esz, idx;

    if (!decode_imm5(a->imm5, &esz, &idx) || (esz == 3 && !a->q)) {
        return false;
    }
    return simd_gen(s, SIMD_DUP_elt_v,
                    SIMD_P1(a->rd, a->rn, 0, esz, a->q, 0, 0, 0, 0, 0), idx);
}

static bool trans_DUP_elt_s(DisasContext *s, arg_dup *a)
{
    int esz, idx;

    if (!decode_imm5(a->imm5, &esz, &idx)) {
        return false;
    }
    return simd_gen(s, SIMD_DUP_elt_s,
                    SIMD_P1(a->rd, a->rn, 0, esz, 0, 0, 0, 0, 0, 0), idx);
}

static bool trans_INS_elt(DisasContext *s, arg_ins *a)
{
    int esz, idx;

    if (!decode_imm5(a->imm5, &esz, &idx)) {
        return false;
    }
    return simd_gen(s, SIMD_INS_elt,
                    SIMD_P1(a->rd, a->rn, 0, esz, 1, 0, 0, 0, 0, 0),
                    idx | ((a->imm4 >> esz) << 8));
}

static bool trans_DUP_gen_v(DisasContext *s, arg_dup *a)
{
    int esz, idx, ebits;
    TCGv_i64 v;

    if (!decode_imm5(a->imm5, &esz, &idx) || (esz == 3 && !a->q)) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    ebits = 8 << esz;
    v = tcg_temp_new_i64();
    tcg_gen_mov_i64(v, cpu_reg(s, a->rn));
    for (int w = ebits; w < 64; w *= 2) {
        tcg_gen_deposit_i64(v, v, v, w, w);
    }
    tcg_gen_st_i64(v, tcg_env, vreg_ofs(a->rd, 0));
    if (a->q) {
        tcg_gen_st_i64(v, tcg_env, vreg_ofs(a->rd, 1));
    } else {
        clear_vec_high(s, a->rd);
    }
    return true;
}

static intptr_t elt_ofs(int reg, int esz, int idx)
{
    return offsetof(CPUARMState, vregs[reg]) + (idx << esz);
}

static bool trans_INS_gen(DisasContext *s, arg_ins *a)
{
    int esz, idx;
    intptr_t ofs;
    TCGv_i64 v;

    if (!decode_imm5(a->imm5, &esz, &idx)) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    ofs = elt_ofs(a->rd, esz, idx);
    v = cpu_reg(s, a->rn);
    switch (esz) {
    case 0:
        tcg_gen_st8_i64(v, tcg_env, ofs);
        break;
    case 1:
        tcg_gen_st16_i64(v, tcg_env, ofs);
        break;
    case 2:
        tcg_gen_st32_i64(v, tcg_env, ofs);
        break;
    default:
        tcg_gen_st_i64(v, tcg_env, ofs);
        break;
    }
    return true;
}

static bool do_mov_to_gen(DisasContext *s, arg_dup *a, bool is_signed)
{
    int esz, idx;
    intptr_t ofs;
    TCGv_i64 v;

    if (!decode_imm5(a->imm5, &esz, &idx)) {
        return false;
    }
    if (is_signed) {
        /* SMOV: to W from B/H, to X from B/H/S */
        if (esz > (a->q ? 2 : 1)) {
            return false;
        }
    } else if (a->q ? esz != 3 : esz == 3) {
        return false;                   /* UMOV: X only from D, W from B/H/S */
    }
    if (!fp_access_check(s)) {
        return true;
    }
    ofs = elt_ofs(a->rn, esz, idx);
    v = tcg_temp_new_i64();
    switch (esz | (is_signed ? 4 : 0)) {
    case 0:
        tcg_gen_ld8u_i64(v, tcg_env, ofs);
        break;
    case 1:
        tcg_gen_ld16u_i64(v, tcg_env, ofs);
        break;
    case 2:
        tcg_gen_ld32u_i64(v, tcg_env, ofs);
        break;
    case 3:
        tcg_gen_ld_i64(v, tcg_env, ofs);
        break;
    case 4:
        tcg_gen_ld8s_i64(v, tcg_env, ofs);
        break;
    case 5:
        tcg_gen_ld16s_i64(v, tcg_env, ofs);
        break;
    default:
        tcg_gen_ld32s_i64(v, tcg_env, ofs);
        break;
    }
    if (a->rd != 31) {
        if (a->q) {
            tcg_gen_mov_i64(cpu_X[a->rd], v);
        } else {
            tcg_gen_ext32u_i64(cpu_X[a->rd], v);
        }
    }
    return true;
}

static bool trans_SMOV(DisasContext *s, arg_dup *a)
{
    return do_mov_to_gen(s, a, true);
}

static bool trans_UMOV(DisasContext *s, arg_dup *a)
{
    return do_mov_to_gen(s, a, false);
}

/* ---- structure loads and stores ---- */

static void ld_elt(DisasContext *s, int reg, int esz, int idx, TCGv_i64 addr)
{
    TCGv_i64 v = tcg_temp_new_i64();
    intptr_t ofs = elt_ofs(reg, esz, idx);

    tcg_gen_qemu_ld_i64(v, addr, s->mmu_idx, finalize_memop(s, (MemOp)esz));
    switch (esz) {
    case 0:
        tcg_gen_st8_i64(v, tcg_env, ofs);
        break;
    case 1:
        tcg_gen_st16_i64(v, tcg_env, ofs);
        break;
    case 2:
        tcg_gen_st32_i64(v, tcg_env, ofs);
        break;
    default:
        tcg_gen_st_i64(v, tcg_env, ofs);
        break;
    }
}

static void st_elt(DisasContext *s, int reg, int esz, int idx, TCGv_i64 addr)
{
    TCGv_i64 v = tcg_temp_new_i64();
    intptr_t ofs = elt_ofs(reg, esz, idx);

    switch (esz) {
    case 0:
        tcg_gen_ld8u_i64(v, tcg_env, ofs);
        break;
    case 1:
        tcg_gen_ld16u_i64(v, tcg_env, ofs);
        break;
    case 2:
        tcg_gen_ld32u_i64(v, tcg_env, ofs);
        break;
    default:
        tcg_gen_ld_i64(v, tcg_env, ofs);
        break;
    }
    tcg_gen_qemu_st_i64(v, addr, s->mmu_idx, finalize_memop(s, (MemOp)esz));
}

static void ldst_writeback(DisasContext *s, int rn, int rm, TCGv_i64 base,
                           int total)
{
    TCGv_i64 nb = tcg_temp_new_i64();

    if (rm == 31) {
        tcg_gen_addi_i64(nb, base, total);
    } else {
        tcg_gen_add_i64(nb, base, cpu_X[rm]);
    }
    tcg_gen_mov_i64(cpu_X[rn], nb);
}

static bool do_ldst_mult(DisasContext *s, arg_ldst_mult *a, bool is_load)
{
    int esz = a->size, elems = (a->q ? 16 : 8) >> esz;
    int nregs = a->selem * a->rpt;
    TCGv_i64 base, addr;
    int off = 0;

    if (esz == 3 && !a->q && a->selem > 1) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    base = clean_data_tbi(s, read_cpu_reg_sp(s, a->rn, true));
    addr = tcg_temp_new_i64();
    for (int r = 0; r < a->rpt; r++) {
        for (int e = 0; e < elems; e++) {
            for (int k = 0; k < a->selem; k++) {
                int reg = (a->rt + r + k) % 32;

                tcg_gen_addi_i64(addr, base, off);
                if (is_load) {
                    ld_elt(s, reg, esz, e, addr);
                } else {
                    st_elt(s, reg, esz, e, addr);
                }
                off += 1 << esz;
            }
        }
    }
    if (is_load && !a->q) {
        for (int i = 0; i < nregs; i++) {
            clear_vec_high(s, (a->rt + i) % 32);
        }
    }
    if (a->p) {
        ldst_writeback(s, a->rn, a->rm, read_cpu_reg_sp(s, a->rn, true), off);
    }
    return true;
}

static bool trans_LD_mult(DisasContext *s, arg_ldst_mult *a)
{
    return do_ldst_mult(s, a, true);
}

static bool trans_ST_mult(DisasContext *s, arg_ldst_mult *a)
{
    return do_ldst_mult(s, a, false);
}

static bool do_ldst_single(DisasContext *s, arg_ldst_single *a, bool is_load,
                           bool repl)
{
    int esz = a->scale, off = 0;
    TCGv_i64 base, addr;

    if (!repl && esz == 3 && (a->index & ~1)) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    base = clean_data_tbi(s, read_cpu_reg_sp(s, a->rn, true));
    addr = tcg_temp_new_i64();
    for (int k = 0; k < a->selem; k++) {
        int reg = (a->rt + k) % 32;

        tcg_gen_addi_i64(addr, base, off);
        if (repl) {
            TCGv_i64 v = tcg_temp_new_i64();

            tcg_gen_qemu_ld_i64(v, addr, s->mmu_idx,
                                finalize_memop(s, (MemOp)esz));
            for (int w = 8 << esz; w < 64; w *= 2) {
                tcg_gen_deposit_i64(v, v, v, w, w);
            }
            tcg_gen_st_i64(v, tcg_env, vreg_ofs(reg, 0));
            if (a->q) {
                tcg_gen_st_i64(v, tcg_env, vreg_ofs(reg, 1));
            } else {
                clear_vec_high(s, reg);
            }
        } else if (is_load) {
            ld_elt(s, reg, esz, a->index, addr);
        } else {
            st_elt(s, reg, esz, a->index, addr);
        }
        off += 1 << esz;
    }
    if (a->p) {
        ldst_writeback(s, a->rn, a->rm, read_cpu_reg_sp(s, a->rn, true), off);
    }
    return true;
}

static bool trans_LD_single(DisasContext *s, arg_ldst_single *a)
{
    return do_ldst_single(s, a, true, false);
}

static bool trans_ST_single(DisasContext *s, arg_ldst_single *a)
{
    return do_ldst_single(s, a, false, false);
}

static bool trans_LD_single_repl(DisasContext *s, arg_ldst_single *a)
{
    return do_ldst_single(s, a, true, true);
}

bool disas_a64_simd_all(DisasContext *s, uint32_t insn)
{
    return disas_a64_simd(s, insn);
}
