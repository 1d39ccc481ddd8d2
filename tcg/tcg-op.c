/*
 * The builder API (include/tcg/tcg-op.h).  Each public function is a thin
 * typed wrapper over a width-generic emitter; ops the back ends do not
 * implement directly (orc, deposit, extract, add2, TST conditions, ...)
 * are expanded here into the core opcode set of tcg-internal.h.
 */
#include "tcg-internal.h"
#include "tcg/tcg-op.h"

typedef TCGArg H;   /* a temp handle (index + 1) */

static inline TCGArg I(H h)
{
    return (TCGArg)tcgv_idx(h);
}

static inline int W(TCGType t)
{
    return t == TCG_TYPE_I32 ? 32 : 64;
}

static H tmp(TCGType t)
{
    return tcg_idx_arg(tcg_new_temp(t));
}

static H cst(TCGType t, int64_t v)
{
    return tcg_idx_arg(tcg_const_temp(t, v));
}

static void emit1(TCGOpcode opc, TCGType t, H a)
{
    TCGOp *op = tcg_emit_op(opc, t, 1);
    op->args[0] = I(a);
}

static void emit2(TCGOpcode opc, TCGType t, H a, H b)
{
    TCGOp *op = tcg_emit_op(opc, t, 2);
    op->args[0] = I(a);
    op->args[1] = I(b);
}

static void emit3(TCGOpcode opc, TCGType t, H a, H b, H c)
{
    TCGOp *op = tcg_emit_op(opc, t, 3);
    op->args[0] = I(a);
    op->args[1] = I(b);
    op->args[2] = I(c);
}

static int64_t mask_of(TCGType t)
{
    return t == TCG_TYPE_I32 ? 0xffffffffll : -1ll;
}

/* ---- moves ---------------------------------------------------------- */

static void g_mov(TCGType t, H r, H a)
{
    if (r != a) {
        emit2(INDEX_op_mov, t, r, a);
    }
}

static void g_movi(TCGType t, H r, int64_t v)
{
    emit2(INDEX_op_mov, t, r, cst(t, v));
}

/* ---- arithmetic ----------------------------------------------------- */

#define G3(name) \
static void g_##name(TCGType t, H r, H a, H b) \
{ \
    emit3(INDEX_op_##name, t, r, a, b); \
}
G3(add) G3(sub) G3(mul) G3(and) G3(or) G3(xor) G3(andc)
G3(shl) G3(shr) G3(sar) G3(rotl) G3(rotr)
G3(div) G3(divu) G3(rem) G3(remu)
#undef G3

#define G2(name) \
static void g_##name(TCGType t, H r, H a) \
{ \
    emit2(INDEX_op_##name, t, r, a); \
}
G2(neg) G2(not) G2(ext8s) G2(ext8u) G2(ext16s) G2(ext16u)
#undef G2

static void g_ctpop(TCGType t, H r, H a)
{
    emit2(INDEX_op_ctpop, t, r, a);
}

static void g_orc(TCGType t, H r, H a, H b)
{
    H x = tmp(t);
    g_not(t, x, b);
    g_or(t, r, a, x);
}

static void g_eqv(TCGType t, H r, H a, H b)
{
    g_xor(t, r, a, b);
    g_not(t, r, r);
}

static void g_nand(TCGType t, H r, H a, H b)
{
    g_and(t, r, a, b);
    g_not(t, r, r);
}

static void g_nor(TCGType t, H r, H a, H b)
{
    g_or(t, r, a, b);
    g_not(t, r, r);
}

static void g_addi(TCGType t, H r, H a, int64_t b)
{
    if (b == 0) {
        g_mov(t, r, a);
    } else {
        g_add(t, r, a, cst(t, b));
    }
}

static void g_subi(TCGType t, H r, H a, int64_t b)
{
    if (b == 0) {
        g_mov(t, r, a);
    } else {
        g_sub(t, r, a, cst(t, b));
    }
}

static void g_muli(TCGType t, H r, H a, int64_t b)
{
    if (b == 0) {
        g_movi(t, r, 0);
    } else if (b == 1) {
        g_mov(t, r, a);
    } else {
        g_mul(t, r, a, cst(t, b));
    }
}

static void g_andi(TCGType t, H r, H a, int64_t b)
{
    uint64_t m = (uint64_t)b & (uint64_t)mask_of(t);

    if (m == 0) {
        g_movi(t, r, 0);
    } else if (m == (uint64_t)mask_of(t)) {
        g_mov(t, r, a);
    } else if (m == 0xff) {
        g_ext8u(t, r, a);
    } else if (m == 0xffff) {
        g_ext16u(t, r, a);
    } else if (m == 0xffffffffu && t == TCG_TYPE_I64) {
        emit2(INDEX_op_ext32u, t, r, a);
    } else {
        g_and(t, r, a, cst(t, b));
    }
}

static void g_ori(TCGType t, H r, H a, int64_t b)
{
    if ((b & mask_of(t)) == mask_of(t)) {
        g_movi(t, r, -1);
    } else if (b == 0) {
        g_mov(t, r, a);
    } else {
        g_or(t, r, a, cst(t, b));
    }
}

static void g_xori(TCGType t, H r, H a, int64_t b)
{
    if ((b & mask_of(t)) == mask_of(t)) {
        g_not(t, r, a);
    } else if (b == 0) {
        g_mov(t, r, a);
    } else {
        g_xor(t, r, a, cst(t, b));
    }
}

static void g_andci(TCGType t, H r, H a, int64_t b)
{
    g_andi(t, r, a, ~b);
}

static void g_orci(TCGType t, H r, H a, int64_t b)
{
    g_ori(t, r, a, ~b);
}

static void g_eqvi(TCGType t, H r, H a, int64_t b)
{
    g_xori(t, r, a, ~b);
}

static void g_nandi(TCGType t, H r, H a, int64_t b)
{
    g_andi(t, r, a, b);
    g_not(t, r, r);
}

static void g_nori(TCGType t, H r, H a, int64_t b)
{
    g_ori(t, r, a, b);
    g_not(t, r, r);
}

#define GI(name) \
static void g_##name##i(TCGType t, H r, H a, int64_t b) \
{ \
    g_##name(t, r, a, cst(t, b)); \
}
GI(div) GI(divu) GI(rem) GI(remu)
#undef GI

static void g_shift_imm(TCGOpcode opc, TCGType t, H r, H a, unsigned c)
{
    g_assert(c < (unsigned)W(t));
    if (c == 0) {
        g_mov(t, r, a);
    } else {
        emit3(opc, t, r, a, cst(t, c));
    }
}

static void g_mulu2(TCGType t, H lo, H hi, H a, H b)
{
    g_assert(lo != hi);
    TCGOp *op = tcg_emit_op(INDEX_op_mulu2, t, 4);
    op->args[0] = I(lo);
    op->args[1] = I(hi);
    op->args[2] = I(a);
    op->args[3] = I(b);
}

static void g_muls2(TCGType t, H lo, H hi, H a, H b)
{
    g_assert(lo != hi);
    TCGOp *op = tcg_emit_op(INDEX_op_muls2, t, 4);
    op->args[0] = I(lo);
    op->args[1] = I(hi);
    op->args[2] = I(a);
    op->args[3] = I(b);
}

static void g_muluh(TCGType t, H r, H a, H b)
{
    g_mulu2(t, tmp(t), r, a, b);
}

static void g_mulsh(TCGType t, H r, H a, H b)
{
    g_muls2(t, tmp(t), r, a, b);
}

/* ---- conditions ----------------------------------------------------- */

/* TST conditions become EQ/NE against zero of a & b */
static TCGCond lower_tst(TCGType t, TCGCond c, H *a, H *b)
{
    if (c == TCG_COND_TSTEQ || c == TCG_COND_TSTNE) {
        H x = tmp(t);
        g_and(t, x, *a, *b);
        *a = x;
        *b = cst(t, 0);
        return c == TCG_COND_TSTEQ ? TCG_COND_EQ : TCG_COND_NE;
    }
    return c;
}

static void g_brcond(TCGType t, TCGCond c, H a, H b, TCGLabel *l)
{
    TCGOp *op;

    if (c == TCG_COND_ALWAYS) {
        tcg_gen_br(l);
        return;
    }
    if (c == TCG_COND_NEVER) {
        return;
    }
    c = lower_tst(t, c, &a, &b);
    op = tcg_emit_op(INDEX_op_brcond, t, 4);
    op->args[0] = I(a);
    op->args[1] = I(b);
    op->args[2] = c;
    op->args[3] = (TCGArg)l;
}

static void g_setcond_op(TCGOpcode opc, TCGType t, TCGCond c, H r, H a, H b)
{
    TCGOp *op;

    if (c == TCG_COND_ALWAYS || c == TCG_COND_NEVER) {
        int64_t v = c == TCG_COND_ALWAYS;
        g_movi(t, r, opc == INDEX_op_negsetcond ? -v : v);
        return;
    }
    c = lower_tst(t, c, &a, &b);
    op = tcg_emit_op(opc, t, 4);
    op->args[0] = I(r);
    op->args[1] = I(a);
    op->args[2] = I(b);
    op->args[3] = c;
}

static void g_setcond(TCGType t, TCGCond c, H r, H a, H b)
{
    g_setcond_op(INDEX_op_setcond, t, c, r, a, b);
}

static void g_negsetcond(TCGType t, TCGCond c, H r, H a, H b)
{
    g_setcond_op(INDEX_op_negsetcond, t, c, r, a, b);
}

static void g_movcond(TCGType t, TCGCond c, H r, H c1, H c2, H v1, H v2)
{
    TCGOp *op;

    if (c == TCG_COND_ALWAYS) {
        g_mov(t, r, v1);
        return;
    }
    if (c == TCG_COND_NEVER) {
        g_mov(t, r, v2);
        return;
    }
    c = lower_tst(t, c, &c1, &c2);
    op = tcg_emit_op(INDEX_op_movcond, t, 6);
    op->args[0] = I(r);
    op->args[1] = I(c1);
    op->args[2] = I(c2);
    op->args[3] = I(v1);
    op->args[4] = I(v2);
    op->args[5] = c;
}

static void g_abs(TCGType t, H r, H a)
{
    H x = tmp(t);
    H y = tmp(t);

    g_sar(t, x, a, cst(t, W(t) - 1));
    g_xor(t, y, a, x);
    g_sub(t, r, y, x);
}

/* ---- bit fields ----------------------------------------------------- */

static void g_extract(TCGType t, H r, H a, unsigned ofs, unsigned len)
{
    unsigned w = W(t);

    g_assert(len >= 1 && ofs + len <= w);
    if (ofs + len == w) {
        g_shift_imm(INDEX_op_shr, t, r, a, ofs);
        return;
    }
    if (ofs == 0) {
        g_andi(t, r, a, (int64_t)((1ull << len) - 1));
        return;
    }
    {
        H x = tmp(t);
        g_shift_imm(INDEX_op_shr, t, x, a, ofs);
        g_andi(t, r, x, (int64_t)((1ull << len) - 1));
    }
}

static void g_sextract(TCGType t, H r, H a, unsigned ofs, unsigned len)
{
    unsigned w = W(t);

    g_assert(len >= 1 && ofs + len <= w);
    if (ofs + len == w) {
        g_shift_imm(INDEX_op_sar, t, r, a, ofs);
        return;
    }
    if (ofs == 0 && len == 8) {
        g_ext8s(t, r, a);
        return;
    }
    if (ofs == 0 && len == 16) {
        g_ext16s(t, r, a);
        return;
    }
    if (ofs == 0 && len == 32 && t == TCG_TYPE_I64) {
        emit2(INDEX_op_ext32s, t, r, a);
        return;
    }
    {
        H x = tmp(t);
        g_shift_imm(INDEX_op_shl, t, x, a, w - ofs - len);
        g_shift_imm(INDEX_op_sar, t, r, x, w - len);
    }
}

static void g_deposit(TCGType t, H r, H a1, H a2, unsigned ofs, unsigned len)
{
    unsigned w = W(t);
    uint64_t mask;
    H x, y;

    g_assert(len >= 1 && ofs + len <= w);
    if (len == w) {
        g_mov(t, r, a2);
        return;
    }
    mask = (1ull << len) - 1;
    x = tmp(t);
    y = tmp(t);
    if (ofs + len == w) {
        g_shift_imm(INDEX_op_shl, t, x, a2, ofs);
    } else {
        g_andi(t, x, a2, (int64_t)mask);
        g_shift_imm(INDEX_op_shl, t, x, x, ofs);
    }
    g_andi(t, y, a1, (int64_t)~(mask << ofs));
    g_or(t, r, y, x);
}

static void g_deposit_z(TCGType t, H r, H a, unsigned ofs, unsigned len)
{
    unsigned w = W(t);

    g_assert(len >= 1 && ofs + len <= w);
    if (ofs + len == w) {
        g_shift_imm(INDEX_op_shl, t, r, a, ofs);
    } else {
        H x = tmp(t);
        g_andi(t, x, a, (int64_t)((1ull << len) - 1));
        g_shift_imm(INDEX_op_shl, t, r, x, ofs);
    }
}

static void g_extract2(TCGType t, H r, H al, H ah, unsigned ofs)
{
    unsigned w = W(t);
    H x, y;

    g_assert(ofs <= w);
    if (ofs == 0) {
        g_mov(t, r, al);
        return;
    }
    if (ofs == w) {
        g_mov(t, r, ah);
        return;
    }
    x = tmp(t);
    y = tmp(t);
    g_shift_imm(INDEX_op_shr, t, x, al, ofs);
    g_shift_imm(INDEX_op_shl, t, y, ah, w - ofs);
    g_or(t, r, x, y);
}

static void g_bswap(TCGOpcode opc, TCGType t, H r, H a, int flags)
{
    TCGOp *op = tcg_emit_op(opc, t, 3);

    op->args[0] = I(r);
    op->args[1] = I(a);
    op->args[2] = flags;
}

static void g_clz(TCGType t, H r, H a, H z)
{
    emit3(INDEX_op_clz, t, r, a, z);
}

static void g_ctz(TCGType t, H r, H a, H z)
{
    emit3(INDEX_op_ctz, t, r, a, z);
}

static void g_clrsb(TCGType t, H r, H a)
{
    H x = tmp(t);

    g_sar(t, x, a, cst(t, W(t) - 1));
    g_xor(t, x, x, a);
    g_clz(t, x, x, cst(t, W(t)));
    g_subi(t, r, x, 1);
}

/* (rh:rl) = (ah:al) + (bh:bl), through temps so outputs may alias inputs */
static void g_add2(TCGType t, H rl, H rh, H al, H ah, H bl, H bh)
{
    H lo = tmp(t), c = tmp(t), hi = tmp(t);

    g_add(t, lo, al, bl);
    g_setcond(t, TCG_COND_LTU, c, lo, al);
    g_add(t, hi, ah, bh);
    g_add(t, hi, hi, c);
    g_mov(t, rl, lo);
    g_mov(t, rh, hi);
}

static void g_sub2(TCGType t, H rl, H rh, H al, H ah, H bl, H bh)
{
    H lo = tmp(t), c = tmp(t), hi = tmp(t);

    g_sub(t, lo, al, bl);
    g_setcond(t, TCG_COND_LTU, c, al, bl);
    g_sub(t, hi, ah, bh);
    g_sub(t, hi, hi, c);
    g_mov(t, rl, lo);
    g_mov(t, rh, hi);
}

/* ---- host memory ---------------------------------------------------- */

static void g_ldst(TCGOpcode opc, TCGType t, H v, H base, intptr_t ofs)
{
    TCGOp *op = tcg_emit_op(opc, t, 3);

    op->args[0] = I(v);
    op->args[1] = I(base);
    op->args[2] = ofs;
}

/* ---- typed wrappers --------------------------------------------------- */

#define T32 TCG_TYPE_I32
#define T64 TCG_TYPE_I64
#define h(x) ((H)(x))

#define WRAP_RAB(name) \
void tcg_gen_##name##_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b) \
{ g_##name(T32, h(r), h(a), h(b)); } \
void tcg_gen_##name##_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b) \
{ g_##name(T64, h(r), h(a), h(b)); }

WRAP_RAB(add) WRAP_RAB(sub) WRAP_RAB(mul) WRAP_RAB(and) WRAP_RAB(or)
WRAP_RAB(xor) WRAP_RAB(andc) WRAP_RAB(orc) WRAP_RAB(eqv) WRAP_RAB(nand)
WRAP_RAB(nor) WRAP_RAB(shl) WRAP_RAB(shr) WRAP_RAB(sar) WRAP_RAB(rotl)
WRAP_RAB(rotr) WRAP_RAB(div) WRAP_RAB(divu) WRAP_RAB(rem) WRAP_RAB(remu)
WRAP_RAB(muluh) WRAP_RAB(mulsh)

#define WRAP_RAI(name) \
void tcg_gen_##name##i_i32(TCGv_i32 r, TCGv_i32 a, int32_t b) \
{ g_##name##i(T32, h(r), h(a), b); } \
void tcg_gen_##name##i_i64(TCGv_i64 r, TCGv_i64 a, int64_t b) \
{ g_##name##i(T64, h(r), h(a), b); }

WRAP_RAI(add) WRAP_RAI(sub) WRAP_RAI(mul) WRAP_RAI(and) WRAP_RAI(or)
WRAP_RAI(xor) WRAP_RAI(andc) WRAP_RAI(orc) WRAP_RAI(eqv) WRAP_RAI(nand)
WRAP_RAI(nor) WRAP_RAI(div) WRAP_RAI(divu) WRAP_RAI(rem) WRAP_RAI(remu)

#define WRAP_SHI(name) \
void tcg_gen_##name##i_i32(TCGv_i32 r, TCGv_i32 a, unsigned c) \
{ g_shift_imm(INDEX_op_##name, T32, h(r), h(a), c); } \
void tcg_gen_##name##i_i64(TCGv_i64 r, TCGv_i64 a, unsigned c) \
{ g_shift_imm(INDEX_op_##name, T64, h(r), h(a), c); }

WRAP_SHI(shl) WRAP_SHI(shr) WRAP_SHI(sar) WRAP_SHI(rotl) WRAP_SHI(rotr)

#define WRAP_RA(name) \
void tcg_gen_##name##_i32(TCGv_i32 r, TCGv_i32 a) \
{ g_##name(T32, h(r), h(a)); } \
void tcg_gen_##name##_i64(TCGv_i64 r, TCGv_i64 a) \
{ g_##name(T64, h(r), h(a)); }

WRAP_RA(mov) WRAP_RA(neg) WRAP_RA(not) WRAP_RA(ext8s) WRAP_RA(ext8u)
WRAP_RA(ext16s) WRAP_RA(ext16u) WRAP_RA(ctpop) WRAP_RA(abs)

void tcg_gen_subfi_i32(TCGv_i32 r, int32_t a, TCGv_i32 b)
{
    g_sub(T32, h(r), cst(T32, a), h(b));
}

void tcg_gen_subfi_i64(TCGv_i64 r, int64_t a, TCGv_i64 b)
{
    g_sub(T64, h(r), cst(T64, a), h(b));
}

void tcg_gen_movi_i32(TCGv_i32 r, int32_t v) { g_movi(T32, h(r), v); }
void tcg_gen_movi_i64(TCGv_i64 r, int64_t v) { g_movi(T64, h(r), v); }
void tcg_gen_mov_ptr(TCGv_ptr r, TCGv_ptr a) { g_mov(T64, h(r), h(a)); }
void tcg_gen_movi_ptr(TCGv_ptr r, intptr_t v) { g_movi(T64, h(r), v); }
void tcg_gen_addi_ptr(TCGv_ptr r, TCGv_ptr a, intptr_t v) { g_addi(T64, h(r), h(a), v); }
void tcg_gen_add_ptr(TCGv_ptr r, TCGv_ptr a, TCGv_ptr b) { g_add(T64, h(r), h(a), h(b)); }
void tcg_gen_ext_i32_ptr(TCGv_ptr r, TCGv_i32 a) { emit2(INDEX_op_ext32s, T64, h(r), h(a)); }
void tcg_gen_extu_i32_ptr(TCGv_ptr r, TCGv_i32 a) { emit2(INDEX_op_ext32u, T64, h(r), h(a)); }
void tcg_gen_trunc_i64_ptr(TCGv_ptr r, TCGv_i64 a) { g_mov(T64, h(r), h(a)); }
void tcg_gen_ext_ptr_i64(TCGv_i64 r, TCGv_ptr a) { g_mov(T64, h(r), h(a)); }

void tcg_gen_ext32s_i64(TCGv_i64 r, TCGv_i64 a) { emit2(INDEX_op_ext32s, T64, h(r), h(a)); }
void tcg_gen_ext32u_i64(TCGv_i64 r, TCGv_i64 a) { emit2(INDEX_op_ext32u, T64, h(r), h(a)); }

void tcg_gen_mulu2_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i32 a, TCGv_i32 b)
{ g_mulu2(T32, h(lo), h(hi), h(a), h(b)); }
void tcg_gen_mulu2_i64(TCGv_i64 lo, TCGv_i64 hi, TCGv_i64 a, TCGv_i64 b)
{ g_mulu2(T64, h(lo), h(hi), h(a), h(b)); }
void tcg_gen_muls2_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i32 a, TCGv_i32 b)
{ g_muls2(T32, h(lo), h(hi), h(a), h(b)); }
void tcg_gen_muls2_i64(TCGv_i64 lo, TCGv_i64 hi, TCGv_i64 a, TCGv_i64 b)
{ g_muls2(T64, h(lo), h(hi), h(a), h(b)); }

void tcg_gen_add2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 al, TCGv_i32 ah,
                      TCGv_i32 bl, TCGv_i32 bh)
{ g_add2(T32, h(rl), h(rh), h(al), h(ah), h(bl), h(bh)); }
void tcg_gen_add2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 al, TCGv_i64 ah,
                      TCGv_i64 bl, TCGv_i64 bh)
{ g_add2(T64, h(rl), h(rh), h(al), h(ah), h(bl), h(bh)); }
void tcg_gen_sub2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 al, TCGv_i32 ah,
                      TCGv_i32 bl, TCGv_i32 bh)
{ g_sub2(T32, h(rl), h(rh), h(al), h(ah), h(bl), h(bh)); }
void tcg_gen_sub2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 al, TCGv_i64 ah,
                      TCGv_i64 bl, TCGv_i64 bh)
{ g_sub2(T64, h(rl), h(rh), h(al), h(ah), h(bl), h(bh)); }

#define WRAP_BF(name) \
void tcg_gen_##name##_i32(TCGv_i32 r, TCGv_i32 a, unsigned ofs, unsigned len) \
{ g_##name(T32, h(r), h(a), ofs, len); } \
void tcg_gen_##name##_i64(TCGv_i64 r, TCGv_i64 a, unsigned ofs, unsigned len) \
{ g_##name(T64, h(r), h(a), ofs, len); }
WRAP_BF(extract) WRAP_BF(sextract) WRAP_BF(deposit_z)

void tcg_gen_deposit_i32(TCGv_i32 r, TCGv_i32 a1, TCGv_i32 a2, unsigned ofs, unsigned len)
{ g_deposit(T32, h(r), h(a1), h(a2), ofs, len); }
void tcg_gen_deposit_i64(TCGv_i64 r, TCGv_i64 a1, TCGv_i64 a2, unsigned ofs, unsigned len)
{ g_deposit(T64, h(r), h(a1), h(a2), ofs, len); }
void tcg_gen_extract2_i32(TCGv_i32 r, TCGv_i32 al, TCGv_i32 ah, unsigned ofs)
{ g_extract2(T32, h(r), h(al), h(ah), ofs); }
void tcg_gen_extract2_i64(TCGv_i64 r, TCGv_i64 al, TCGv_i64 ah, unsigned ofs)
{ g_extract2(T64, h(r), h(al), h(ah), ofs); }

void tcg_gen_bswap16_i32(TCGv_i32 r, TCGv_i32 a, int flags)
{ g_bswap(INDEX_op_bswap16, T32, h(r), h(a), flags); }
void tcg_gen_bswap16_i64(TCGv_i64 r, TCGv_i64 a, int flags)
{ g_bswap(INDEX_op_bswap16, T64, h(r), h(a), flags); }
void tcg_gen_bswap32_i32(TCGv_i32 r, TCGv_i32 a)
{ g_bswap(INDEX_op_bswap32, T32, h(r), h(a), 0); }
void tcg_gen_bswap32_i64(TCGv_i64 r, TCGv_i64 a, int flags)
{ g_bswap(INDEX_op_bswap32, T64, h(r), h(a), flags); }
void tcg_gen_bswap64_i64(TCGv_i64 r, TCGv_i64 a)
{ g_bswap(INDEX_op_bswap64, T64, h(r), h(a), 0); }

void tcg_gen_wswap_i64(TCGv_i64 r, TCGv_i64 a)
{
    g_shift_imm(INDEX_op_rotl, T64, h(r), h(a), 32);
}

void tcg_gen_hswap_i64(TCGv_i64 r, TCGv_i64 a)
{
    H x = tmp(T64), y = tmp(T64), z = tmp(T64);
    const int64_t m = 0x0000ffff0000ffffll;

    g_shift_imm(INDEX_op_rotl, T64, x, h(a), 32);
    g_shift_imm(INDEX_op_shr, T64, y, x, 16);
    g_andi(T64, y, y, m);
    g_andi(T64, z, x, m);
    g_shift_imm(INDEX_op_shl, T64, z, z, 16);
    g_or(T64, h(r), y, z);
}

void tcg_gen_clz_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 z) { g_clz(T32, h(r), h(a), h(z)); }
void tcg_gen_clz_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 z) { g_clz(T64, h(r), h(a), h(z)); }
void tcg_gen_ctz_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 z) { g_ctz(T32, h(r), h(a), h(z)); }
void tcg_gen_ctz_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 z) { g_ctz(T64, h(r), h(a), h(z)); }
void tcg_gen_clzi_i32(TCGv_i32 r, TCGv_i32 a, uint32_t z) { g_clz(T32, h(r), h(a), cst(T32, z)); }
void tcg_gen_clzi_i64(TCGv_i64 r, TCGv_i64 a, uint64_t z) { g_clz(T64, h(r), h(a), cst(T64, z)); }
void tcg_gen_ctzi_i32(TCGv_i32 r, TCGv_i32 a, uint32_t z) { g_ctz(T32, h(r), h(a), cst(T32, z)); }
void tcg_gen_ctzi_i64(TCGv_i64 r, TCGv_i64 a, uint64_t z) { g_ctz(T64, h(r), h(a), cst(T64, z)); }
void tcg_gen_clrsb_i32(TCGv_i32 r, TCGv_i32 a) { g_clrsb(T32, h(r), h(a)); }
void tcg_gen_clrsb_i64(TCGv_i64 r, TCGv_i64 a) { g_clrsb(T64, h(r), h(a)); }

void tcg_gen_brcond_i32(TCGCond c, TCGv_i32 a, TCGv_i32 b, TCGLabel *l)
{ g_brcond(T32, c, h(a), h(b), l); }
void tcg_gen_brcond_i64(TCGCond c, TCGv_i64 a, TCGv_i64 b, TCGLabel *l)
{ g_brcond(T64, c, h(a), h(b), l); }
void tcg_gen_brcondi_i32(TCGCond c, TCGv_i32 a, int32_t b, TCGLabel *l)
{ g_brcond(T32, c, h(a), cst(T32, b), l); }
void tcg_gen_brcondi_i64(TCGCond c, TCGv_i64 a, int64_t b, TCGLabel *l)
{ g_brcond(T64, c, h(a), cst(T64, b), l); }

void tcg_gen_setcond_i32(TCGCond c, TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{ g_setcond(T32, c, h(r), h(a), h(b)); }
void tcg_gen_setcond_i64(TCGCond c, TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{ g_setcond(T64, c, h(r), h(a), h(b)); }
void tcg_gen_setcondi_i32(TCGCond c, TCGv_i32 r, TCGv_i32 a, int32_t b)
{ g_setcond(T32, c, h(r), h(a), cst(T32, b)); }
void tcg_gen_setcondi_i64(TCGCond c, TCGv_i64 r, TCGv_i64 a, int64_t b)
{ g_setcond(T64, c, h(r), h(a), cst(T64, b)); }
void tcg_gen_negsetcond_i32(TCGCond c, TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{ g_negsetcond(T32, c, h(r), h(a), h(b)); }
void tcg_gen_negsetcond_i64(TCGCond c, TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{ g_negsetcond(T64, c, h(r), h(a), h(b)); }
void tcg_gen_negsetcondi_i32(TCGCond c, TCGv_i32 r, TCGv_i32 a, int32_t b)
{ g_negsetcond(T32, c, h(r), h(a), cst(T32, b)); }
void tcg_gen_negsetcondi_i64(TCGCond c, TCGv_i64 r, TCGv_i64 a, int64_t b)
{ g_negsetcond(T64, c, h(r), h(a), cst(T64, b)); }
void tcg_gen_movcond_i32(TCGCond c, TCGv_i32 r, TCGv_i32 c1, TCGv_i32 c2,
                         TCGv_i32 v1, TCGv_i32 v2)
{ g_movcond(T32, c, h(r), h(c1), h(c2), h(v1), h(v2)); }
void tcg_gen_movcond_i64(TCGCond c, TCGv_i64 r, TCGv_i64 c1, TCGv_i64 c2,
                         TCGv_i64 v1, TCGv_i64 v2)
{ g_movcond(T64, c, h(r), h(c1), h(c2), h(v1), h(v2)); }

#define WRAP_MINMAX(name, cond) \
void tcg_gen_##name##_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b) \
{ g_movcond(T32, cond, h(r), h(a), h(b), h(a), h(b)); } \
void tcg_gen_##name##_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b) \
{ g_movcond(T64, cond, h(r), h(a), h(b), h(a), h(b)); }
WRAP_MINMAX(smin, TCG_COND_LT) WRAP_MINMAX(smax, TCG_COND_GT)
WRAP_MINMAX(umin, TCG_COND_LTU) WRAP_MINMAX(umax, TCG_COND_GTU)

void tcg_gen_extu_i32_i64(TCGv_i64 r, TCGv_i32 a)
{
    emit2(INDEX_op_ext32u, T64, h(r), h(a));
}

void tcg_gen_ext_i32_i64(TCGv_i64 r, TCGv_i32 a)
{
    emit2(INDEX_op_ext32s, T64, h(r), h(a));
}

void tcg_gen_extrl_i64_i32(TCGv_i32 r, TCGv_i64 a)
{
    emit2(INDEX_op_mov, T32, h(r), h(a));
}

void tcg_gen_extrh_i64_i32(TCGv_i32 r, TCGv_i64 a)
{
    H x = tmp(T64);

    g_shift_imm(INDEX_op_shr, T64, x, h(a), 32);
    emit2(INDEX_op_mov, T32, h(r), x);
}

void tcg_gen_extr_i64_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i64 a)
{
    H x = tmp(T64);

    g_shift_imm(INDEX_op_shr, T64, x, h(a), 32);
    emit2(INDEX_op_mov, T32, h(lo), h(a));
    emit2(INDEX_op_mov, T32, h(hi), x);
}

void tcg_gen_concat_i32_i64(TCGv_i64 r, TCGv_i32 lo, TCGv_i32 hi)
{
    H x = tmp(T64), y = tmp(T64);

    emit2(INDEX_op_ext32u, T64, x, h(lo));
    emit3(INDEX_op_shl, T64, y, h(hi), cst(T64, 32));
    g_or(T64, h(r), x, y);
}

void tcg_gen_concat32_i64(TCGv_i64 r, TCGv_i64 lo, TCGv_i64 hi)
{
    H x = tmp(T64), y = tmp(T64);

    emit2(INDEX_op_ext32u, T64, x, h(lo));
    emit3(INDEX_op_shl, T64, y, h(hi), cst(T64, 32));
    g_or(T64, h(r), x, y);
}

/* ---- host memory ---------------------------------------------------- */

#define WRAP_LD(name, opc) \
void tcg_gen_##name##_i32(TCGv_i32 r, TCGv_ptr b, intptr_t o) \
{ g_ldst(INDEX_op_##opc, T32, h(r), h(b), o); } \
void tcg_gen_##name##_i64(TCGv_i64 r, TCGv_ptr b, intptr_t o) \
{ g_ldst(INDEX_op_##opc, T64, h(r), h(b), o); }
WRAP_LD(ld8u, ld8u) WRAP_LD(ld8s, ld8s) WRAP_LD(ld16u, ld16u)
WRAP_LD(ld16s, ld16s) WRAP_LD(ld, ld)

void tcg_gen_ld32u_i64(TCGv_i64 r, TCGv_ptr b, intptr_t o)
{ g_ldst(INDEX_op_ld32u, T64, h(r), h(b), o); }
void tcg_gen_ld32s_i64(TCGv_i64 r, TCGv_ptr b, intptr_t o)
{ g_ldst(INDEX_op_ld32s, T64, h(r), h(b), o); }
void tcg_gen_ld_ptr(TCGv_ptr r, TCGv_ptr b, intptr_t o)
{ g_ldst(INDEX_op_ld, T64, h(r), h(b), o); }

#define WRAP_ST(name, opc) \
void tcg_gen_##name##_i32(TCGv_i32 v, TCGv_ptr b, intptr_t o) \
{ g_ldst(INDEX_op_##opc, T32, h(v), h(b), o); } \
void tcg_gen_##name##_i64(TCGv_i64 v, TCGv_ptr b, intptr_t o) \
{ g_ldst(INDEX_op_##opc, T64, h(v), h(b), o); }
WRAP_ST(st8, st8) WRAP_ST(st16, st16) WRAP_ST(st, st)

void tcg_gen_st32_i64(TCGv_i64 v, TCGv_ptr b, intptr_t o)
{ g_ldst(INDEX_op_st32, T64, h(v), h(b), o); }
void tcg_gen_st_ptr(TCGv_ptr v, TCGv_ptr b, intptr_t o)
{ g_ldst(INDEX_op_st, T64, h(v), h(b), o); }

/* ---- guest memory --------------------------------------------------- */

static MemOp canonical_memop(MemOp mop, TCGType t, bool is_st)
{
    unsigned size = mop & MO_SIZE;

    g_assert(t == TCG_TYPE_I64 || size <= MO_32);
    if (size == MO_8) {
        mop &= ~MO_BSWAP;
    }
    if (memop_alignment_bits(mop) == 0) {
        mop &= ~MO_AMASK;
    } else if (memop_alignment_bits(mop) == size) {
        mop = (mop & ~MO_AMASK) | MO_ALIGN;
    }
    if (is_st || (t == TCG_TYPE_I32 && size == MO_32) || size == MO_64) {
        mop &= ~MO_SIGN;
    }
    return mop;
}

static void g_qemu(TCGOpcode opc, TCGType t, H v, H addr, unsigned idx, MemOp mop)
{
    TCGOp *op = tcg_emit_op(opc, t, 3);

    g_assert(idx < tcg_ctx->target.nb_mmu_modes);
    op->args[0] = I(v);
    op->args[1] = I(addr);
    op->args[2] = make_memop_idx(canonical_memop(mop, t, opc == INDEX_op_qemu_st), idx);
}

void tcg_gen_qemu_ld_i32(TCGv_i32 v, TCGv_i64 a, unsigned idx, MemOp mop)
{ g_qemu(INDEX_op_qemu_ld, T32, h(v), h(a), idx, mop); }
void tcg_gen_qemu_ld_i64(TCGv_i64 v, TCGv_i64 a, unsigned idx, MemOp mop)
{ g_qemu(INDEX_op_qemu_ld, T64, h(v), h(a), idx, mop); }
void tcg_gen_qemu_st_i32(TCGv_i32 v, TCGv_i64 a, unsigned idx, MemOp mop)
{ g_qemu(INDEX_op_qemu_st, T32, h(v), h(a), idx, mop); }
void tcg_gen_qemu_st_i64(TCGv_i64 v, TCGv_i64 a, unsigned idx, MemOp mop)
{ g_qemu(INDEX_op_qemu_st, T64, h(v), h(a), idx, mop); }

/* ---- read-modify-write ------------------------------------------------ */

static void g_ext_mop(TCGType t, H r, H a, MemOp mop)
{
    bool sign = mop & MO_SIGN;

    switch (mop & MO_SIZE) {
    case MO_8:
        emit2(sign ? INDEX_op_ext8s : INDEX_op_ext8u, t, r, a);
        break;
    case MO_16:
        emit2(sign ? INDEX_op_ext16s : INDEX_op_ext16u, t, r, a);
        break;
    case MO_32:
        if (t == TCG_TYPE_I64) {
            emit2(sign ? INDEX_op_ext32s : INDEX_op_ext32u, t, r, a);
            break;
        }
        /* fall through */
    default:
        g_mov(t, r, a);
        break;
    }
}

void tcg_gen_ext_i32(TCGv_i32 r, TCGv_i32 a, MemOp mop) { g_ext_mop(T32, h(r), h(a), mop); }
void tcg_gen_ext_i64(TCGv_i64 r, TCGv_i64 a, MemOp mop) { g_ext_mop(T64, h(r), h(a), mop); }

/*
 * Atomics.  With CF_PARALLEL in the TB's cflags a helper of accel/tcg does
 * the access with a host atomic (or stops the world); otherwise nothing
 * runs in parallel with this vCPU and a load, the op and a store do.
 */
static bool gen_parallel(void)
{
    return tcg_ctx->gen_cflags & CF_PARALLEL;
}

#define TM(ret, a1, a2, a3, a4, a5, a6, a7) \
    ((ret) | (a1) << 3 | (a2) << 6 | (a3) << 9 | (a4) << 12 | (a5) << 15 | \
     (a6) << 18 | (a7) << 21)
enum { TV = TCG_TYPECODE_VOID, TI32 = TCG_TYPECODE_I32,
       TI64 = TCG_TYPECODE_I64, TPTR = TCG_TYPECODE_PTR };

/* they may fault: globals are synced first (TCG_CALL_NO_WG) */
static const TCGHelperInfo atomic_cmpxchg_info = {
    .func = (void *)helper_atomic_cmpxchg,
    .name = "atomic_cmpxchg",
    .flags = TCG_CALL_NO_WG,
    .typemask = TM(TI64, TPTR, TI64, TI64, TI64, TI32, TV, TV),
};

static const TCGHelperInfo atomic_rmw_info = {
    .func = (void *)helper_atomic_rmw,
    .name = "atomic_rmw",
    .flags = TCG_CALL_NO_WG,
    .typemask = TM(TI64, TPTR, TI64, TI64, TI32, TI32, TV, TV),
};

static const TCGHelperInfo atomic_cmpxchg16_info = {
    .func = (void *)helper_atomic_cmpxchg16,
    .name = "atomic_cmpxchg16",
    .flags = TCG_CALL_NO_WG,
    .typemask = TM(TI64, TPTR, TI64, TI64, TI64, TI64, TI64, TI32),
};

/* a helper argument: i32 values travel zero-extended in an i64 */
static H arg64(TCGType t, H v)
{
    H x;

    if (t == TCG_TYPE_I64) {
        return v;
    }
    x = tmp(T64);
    emit2(INDEX_op_ext32u, T64, x, v);
    return x;
}

static void ret_from64(TCGType t, H ret, H v64)
{
    if (t == TCG_TYPE_I64) {
        g_mov(t, ret, v64);
    } else {
        emit2(INDEX_op_mov, T32, ret, v64);
    }
}

static void g_cmpxchg(TCGType t, H ret, H addr, H cmpv, H newv, unsigned idx,
                      MemOp mop)
{
    H old = tmp(t), c = tmp(t), v = tmp(t);

    g_assert(idx < tcg_ctx->target.nb_mmu_modes);
    if (gen_parallel()) {
        H r = tmp(T64);
        TCGArg args[5] = {
            (TCGArg)tcg_env, addr, arg64(t, cmpv), arg64(t, newv),
            cst(T32, make_memop_idx(canonical_memop(mop, t, false), idx)),
        };

        tcg_gen_call(&atomic_cmpxchg_info, r, 5, args);
        ret_from64(t, ret, r);
        return;
    }
    g_qemu(INDEX_op_qemu_ld, t, old, addr, idx, mop);
    g_ext_mop(t, c, cmpv, mop);
    g_movcond(t, TCG_COND_EQ, v, old, c, newv, old);
    g_qemu(INDEX_op_qemu_st, t, v, addr, idx, mop & ~MO_SIGN);
    g_mov(t, ret, old);
}

void tcg_gen_atomic_cmpxchg_i32(TCGv_i32 ret, TCGv_i64 addr, TCGv_i32 cmpv,
                                TCGv_i32 newv, unsigned idx, MemOp mop)
{
    g_cmpxchg(T32, h(ret), h(addr), h(cmpv), h(newv), idx, mop);
}

void tcg_gen_atomic_cmpxchg_i64(TCGv_i64 ret, TCGv_i64 addr, TCGv_i64 cmpv,
                                TCGv_i64 newv, unsigned idx, MemOp mop)
{
    g_cmpxchg(T64, h(ret), h(addr), h(cmpv), h(newv), idx, mop);
}

void tcg_gen_atomic_cmpxchg_i128(TCGv_i64 retlo, TCGv_i64 rethi,
                                 TCGv_i64 addr, TCGv_i64 cmplo,
                                 TCGv_i64 cmphi, TCGv_i64 newlo,
                                 TCGv_i64 newhi, unsigned idx, MemOp mop)
{
    H lo = tmp(T64), hi = tmp(T64);

    g_assert(!(mop & MO_BSWAP) && idx < tcg_ctx->target.nb_mmu_modes);
    if ((mop & MO_AMASK) == MO_ALIGN) {
        mop = (mop & ~MO_AMASK) | MO_ALIGN_16;
    }
    mop = (mop & ~(MO_SIZE | MO_SIGN)) | MO_64;
    if (gen_parallel()) {
        TCGArg args[7] = {
            (TCGArg)tcg_env, h(addr), h(cmplo), h(cmphi), h(newlo), h(newhi),
            cst(T32, make_memop_idx(mop, idx)),
        };

        tcg_gen_call(&atomic_cmpxchg16_info, lo, 7, args);
        g_ldst(INDEX_op_ld, T64, hi, (H)tcg_env,
               tcg_ctx->target.tlb_neg_offset
               + offsetof(CPUNegativeOffsetState, atomic_hi));
    } else {
        H a8 = tmp(T64), eq = tmp(T64), x = tmp(T64), nlo = tmp(T64),
          nhi = tmp(T64);

        /* both loads before any store: a fault leaves memory untouched */
        g_qemu(INDEX_op_qemu_ld, T64, lo, h(addr), idx, mop);
        g_addi(T64, a8, h(addr), 8);
        g_qemu(INDEX_op_qemu_ld, T64, hi, a8, idx, mop & ~MO_AMASK);
        g_setcond(T64, TCG_COND_EQ, eq, lo, h(cmplo));
        g_setcond(T64, TCG_COND_EQ, x, hi, h(cmphi));
        g_and(T64, eq, eq, x);
        g_movcond(T64, TCG_COND_NE, nlo, eq, cst(T64, 0), h(newlo), lo);
        g_movcond(T64, TCG_COND_NE, nhi, eq, cst(T64, 0), h(newhi), hi);
        g_qemu(INDEX_op_qemu_st, T64, nlo, h(addr), idx, mop);
        g_qemu(INDEX_op_qemu_st, T64, nhi, a8, idx, mop & ~MO_AMASK);
    }
    g_mov(T64, h(retlo), lo);
    g_mov(T64, h(rethi), hi);
}

/* nv = op(old, val), min/max comparing numbers of the access size */
static void g_rmw_op(TCGType t, TCGAtomicOp kind, H nv, H old, H val,
                     MemOp mop)
{
    static const TCGCond minmax_cond[] = {
        [TCG_ATOMIC_SMIN] = TCG_COND_LT, [TCG_ATOMIC_SMAX] = TCG_COND_GT,
        [TCG_ATOMIC_UMIN] = TCG_COND_LTU, [TCG_ATOMIC_UMAX] = TCG_COND_GTU,
    };

    switch (kind) {
    case TCG_ATOMIC_XCHG:
        g_mov(t, nv, val);
        break;
    case TCG_ATOMIC_ADD:
        g_add(t, nv, old, val);
        break;
    case TCG_ATOMIC_AND:
        g_and(t, nv, old, val);
        break;
    case TCG_ATOMIC_OR:
        g_or(t, nv, old, val);
        break;
    case TCG_ATOMIC_XOR:
        g_xor(t, nv, old, val);
        break;
    default: {
        bool sign = kind == TCG_ATOMIC_SMIN || kind == TCG_ATOMIC_SMAX;
        MemOp cmp_mop = (mop & MO_SIZE) | (sign ? MO_SIGN : 0);
        H a = tmp(t), b = tmp(t);

        g_ext_mop(t, a, old, cmp_mop);
        g_ext_mop(t, b, val, cmp_mop);
        g_movcond(t, minmax_cond[kind], nv, a, b, a, b);
        break;
    }
    }
}

/* old = [addr]; [addr] = op(old, val); ret = ret_new ? new : old */
static void g_rmw(TCGType t, H ret, H addr, H val, unsigned idx, MemOp mop,
                  TCGAtomicOp kind, bool ret_new)
{
    H old = tmp(t), nv = tmp(t);

    g_assert(idx < tcg_ctx->target.nb_mmu_modes);
    if (gen_parallel()) {
        H r = tmp(T64);
        TCGArg args[5] = {
            (TCGArg)tcg_env, addr, arg64(t, val),
            cst(T32, make_memop_idx(canonical_memop(mop, t, false), idx)),
            cst(T32, kind),
        };

        tcg_gen_call(&atomic_rmw_info, r, 5, args);
        ret_from64(t, old, r);
        if (ret_new) {
            g_rmw_op(t, kind, nv, old, val, mop);
        }
    } else {
        g_qemu(INDEX_op_qemu_ld, t, old, addr, idx, mop);
        g_rmw_op(t, kind, nv, old, val, mop);
        g_qemu(INDEX_op_qemu_st, t, nv, addr, idx, mop & ~MO_SIGN);
    }
    if (ret_new) {
        g_ext_mop(t, ret, nv, mop);
    } else {
        g_mov(t, ret, old);
    }
}

#define RMW(name, kind, ret_new) \
void tcg_gen_atomic_##name##_i32(TCGv_i32 r, TCGv_i64 a, TCGv_i32 v, \
                                 unsigned idx, MemOp mop) \
{ g_rmw(T32, h(r), h(a), h(v), idx, mop, kind, ret_new); } \
void tcg_gen_atomic_##name##_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 v, \
                                 unsigned idx, MemOp mop) \
{ g_rmw(T64, h(r), h(a), h(v), idx, mop, kind, ret_new); }
RMW(xchg, TCG_ATOMIC_XCHG, false)
RMW(fetch_add, TCG_ATOMIC_ADD, false) RMW(fetch_and, TCG_ATOMIC_AND, false)
RMW(fetch_or, TCG_ATOMIC_OR, false) RMW(fetch_xor, TCG_ATOMIC_XOR, false)
RMW(fetch_smin, TCG_ATOMIC_SMIN, false) RMW(fetch_smax, TCG_ATOMIC_SMAX, false)
RMW(fetch_umin, TCG_ATOMIC_UMIN, false) RMW(fetch_umax, TCG_ATOMIC_UMAX, false)
RMW(add_fetch, TCG_ATOMIC_ADD, true) RMW(and_fetch, TCG_ATOMIC_AND, true)
RMW(or_fetch, TCG_ATOMIC_OR, true) RMW(xor_fetch, TCG_ATOMIC_XOR, true)
RMW(smin_fetch, TCG_ATOMIC_SMIN, true) RMW(smax_fetch, TCG_ATOMIC_SMAX, true)
RMW(umin_fetch, TCG_ATOMIC_UMIN, true) RMW(umax_fetch, TCG_ATOMIC_UMAX, true)
#undef RMW

/* ---- control flow --------------------------------------------------- */

void gen_set_label(TCGLabel *l)
{
    TCGOp *op = tcg_emit_op(INDEX_op_set_label, T64, 1);
    op->args[0] = (TCGArg)l;
}

void tcg_gen_br(TCGLabel *l)
{
    TCGOp *op = tcg_emit_op(INDEX_op_br, T64, 1);
    op->args[0] = (TCGArg)l;
}

void tcg_gen_insn_start_words(const uint64_t *data, unsigned n)
{
    TCGOp *op = tcg_emit_op(INDEX_op_insn_start, T64, 3);
    unsigned i;

    g_assert(n <= 3);
    for (i = 0; i < n; i++) {
        op->args[i] = data[i];
    }
}

TCGOp *tcg_last_insn_start(void)
{
    GPtrArray *ops = tcg_ctx->ops;
    int i;

    for (i = ops->len - 1; i >= 0; i--) {
        TCGOp *op = g_ptr_array_index(ops, i);
        if (op->opc == INDEX_op_insn_start) {
            return op;
        }
    }
    return NULL;
}

void tcg_set_insn_start_param(TCGOp *op, unsigned word, uint64_t val)
{
    g_assert(word < 3 && op->opc == INDEX_op_insn_start);
    op->args[word] = val;
}

void tcg_gen_goto_tb(unsigned idx)
{
    TCGOp *op = tcg_emit_op(INDEX_op_goto_tb, T64, 1);

    g_assert(idx <= 1);
    op->args[0] = idx;
}

void tcg_gen_exit_tb(const TranslationBlock *tb, unsigned idx)
{
    TCGOp *op = tcg_emit_op(INDEX_op_exit_tb, T64, 1);

    g_assert(idx <= TB_EXIT_MASK && ((uintptr_t)tb & TB_EXIT_MASK) == 0);
    op->args[0] = (uintptr_t)tb | (tb ? idx : 0);
}

void tcg_gen_goto_ptr(TCGv_ptr ptr)
{
    TCGOp *op = tcg_emit_op(INDEX_op_goto_ptr, T64, 1);
    op->args[0] = I(h(ptr));
}

static const TCGHelperInfo lookup_tb_ptr_info = {
    .func = (void *)helper_lookup_tb_ptr,
    .name = "lookup_tb_ptr",
    .flags = TCG_CALL_NO_WG | TCG_CALL_NO_SE,
    .typemask = (TCG_TYPECODE_PTR << 0) | (TCG_TYPECODE_PTR << 3),
};

void tcg_gen_lookup_and_goto_ptr(void)
{
    TCGv_ptr p = tcg_temp_new_ptr();
    TCGArg a = (TCGArg)tcg_env;

    tcg_gen_call(&lookup_tb_ptr_info, (TCGArg)p, 1, &a);
    tcg_gen_goto_ptr(p);
}

static TCGLabel *exit_request_label;
static TCGOp *icount_sub_op;

/*
 * Entry check of every TB: neg.icount_decr.u32 negative means "exit to the
 * loop".  With CF_USE_ICOUNT the low half is also the instruction budget:
 * the TB subtracts its instruction count (known at tcg_gen_tb_end) and
 * exits when that would go negative.  CF_NOIRQ without icount: no check.
 */
void tcg_gen_tb_start(const TranslationBlock *tb)
{
    intptr_t ofs = tcg_ctx->target.tlb_neg_offset
                   + offsetof(CPUNegativeOffsetState, icount_decr);
    bool icount = tb && (tb->cflags & CF_USE_ICOUNT);
    TCGv_i32 t;

    exit_request_label = NULL;
    icount_sub_op = NULL;
    if (tb && (tb->cflags & CF_NOIRQ) && !icount) {
        return;
    }
    t = tcg_temp_new_i32();
    exit_request_label = gen_new_label();
    tcg_gen_ld_i32(t, tcg_env, ofs);
    if (icount) {
        /* the count is patched in by tcg_gen_tb_end() */
        emit3(INDEX_op_sub, T32, h(t), h(t), cst(T32, 0));
        icount_sub_op = g_ptr_array_index(tcg_ctx->ops, tcg_ctx->ops->len - 1);
    }
    tcg_gen_brcondi_i32(TCG_COND_LT, t, 0, exit_request_label);
    if (icount) {
        tcg_gen_st16_i32(t, tcg_env, ofs + offsetof(IcountDecr, u16.low));
    }
}

void tcg_gen_tb_end(const TranslationBlock *tb)
{
    if (icount_sub_op) {
        GPtrArray *ops = tcg_ctx->ops;
        int i, n = 0;

        for (i = 0; i < (int)ops->len; i++) {
            n += ((TCGOp *)g_ptr_array_index(ops, i))->opc == INDEX_op_insn_start;
        }
        icount_sub_op->args[2] = tcg_const_temp(TCG_TYPE_I32, n);
        icount_sub_op = NULL;
    }
    if (exit_request_label) {
        gen_set_label(exit_request_label);
        tcg_gen_exit_tb(tb, TB_EXIT_REQUESTED);
        exit_request_label = NULL;
    }
}

void tcg_gen_mb(TCGBar bar)
{
    TCGOp *op = tcg_emit_op(INDEX_op_mb, T64, 1);
    op->args[0] = bar;
}

void tcg_gen_discard_i32(TCGv_i32 t)
{
    emit1(INDEX_op_discard, T32, h(t));
}

void tcg_gen_discard_i64(TCGv_i64 t)
{
    emit1(INDEX_op_discard, T64, h(t));
}

void tcg_gen_call(const TCGHelperInfo *info, TCGArg ret, int nargs,
                  const TCGArg *args)
{
    TCGOp *op = tcg_emit_op(INDEX_op_call, T64, nargs + 2);
    int i, n = 0;

    g_assert(nargs <= TCG_MAX_HELPER_ARGS);
    g_assert(!ret == !(info->typemask & 7));
    if (ret) {
        op->args[n++] = I(ret);
    }
    for (i = 0; i < nargs; i++) {
        op->args[n++] = I(args[i]);
    }
    op->args[n] = (TCGArg)info;
    op->call_oargs = ret ? 1 : 0;
    op->call_iargs = nargs;
}
