/*
 * MMX, SSE, SSE2 and SSE3 instructions (the X86_SSE entries of
 * decode-sse.c).
 *
 * Vector operands are addressed as offsets in env: an XMM/YMM register,
 * an MMX register (the low quadword of the x87 register), or, for a
 * memory operand, a scratch register (vec_tmp[0] for a source, which the
 * prologue loads, vec_tmp[1] for a destination, which the epilogue
 * stores).  The gen functions then call the out-of-line helpers of
 * sse_helper.c on those offsets or move quadwords directly.
 *
 * Prologue checks (SDM Vol. 1 9.5, 11.6, 13.x; Vol. 3A 2.5): VEX needs
 * CR4.OSXSAVE and XCR0.SSE|YMM (else #UD), an SSE instruction
 * CR4.OSFXSR and CR0.EM clear (else #UD), an MMX one CR0.EM clear; all
 * raise #NM with CR0.TS.  An instruction with an MMX register (or MMX
 * memory operand, except CVTPI2PS/PD) reports a pending x87 exception
 * (#MF) and then makes the x87 stack "MMX": TOP 0, all tags valid; every
 * MMX register written gets exponent 0xffff.  A legacy 16-byte memory
 * operand must be aligned (#GP(0)) unless the entry says X86_UNALIGNED;
 * a VEX one only with X86_ALIGNED.  VEX.128 results zero the register
 * above bit 127.
 */
#include "turtle/osdep.h"
#include "target/i386/translate.h"

#define TMP_SRC   offsetof(CPUX86State, vec_tmp[0])
#define TMP_DST   offsetof(CPUX86State, vec_tmp[1])
#define TMP_CNT   offsetof(CPUX86State, vec_tmp[2])

typedef void SSEHelperFn(TCGv_ptr env, TCGv_ptr d, TCGv_ptr a, TCGv_ptr b,
                         TCGv_i32 desc);

static bool is_vec_kind(int k)
{
    return k == X86_OP_V || k == X86_OP_W || k == X86_OP_U ||
           k == X86_OP_H || k == X86_OP_L || k == X86_OP_P ||
           k == X86_OP_Q || k == X86_OP_N || k == X86_OP_M;
}

static bool is_vec(const X86Operand *o)
{
    return o->type == X86_OPND_XMM || o->type == X86_OPND_MMX ||
           (o->type == X86_OPND_MEM && is_vec_kind(o->kind) &&
            o->kind != X86_OP_V);
}

static TCGv_ptr env_ptr(intptr_t off)
{
    TCGv_ptr p = tcg_temp_new_ptr();

    tcg_gen_addi_ptr(p, tcg_env, off);
    return p;
}

static void seg_check_sz(DisasContext *s, X86DecodedInsn *d, unsigned size,
                         bool write)
{
    if (s->flags & HF_SEGCHK) {
        gen_helper_seg_check(tcg_env, tcg_constant_i32(d->mem.seg), s->tmp0,
                             tcg_constant_i32(size | (write ? 0x100 : 0)));
    }
}

/* guest memory at A0 <-> env at off, size bytes (1..32) */
static void vec_load(DisasContext *s, intptr_t off, unsigned size)
{
    TCGv t = tcg_temp_new_i64();

    if (size < 8) {
        MemOp ot = size == 1 ? MO_8 : size == 2 ? MO_16 : MO_32;

        tcg_gen_qemu_ld_i64(t, s->A0, s->mem_index, ot | MO_LE);
        tcg_gen_st_i64(t, tcg_env, off);
        return;
    }
    for (unsigned i = 0; i < size; i += 8) {
        TCGv a = s->A0;

        if (i) {
            a = tcg_temp_new_i64();
            tcg_gen_addi_i64(a, s->A0, i);
            if (!s->code64) {
                tcg_gen_ext32u_i64(a, a);
            }
        }
        tcg_gen_qemu_ld_i64(t, a, s->mem_index, MO_64 | MO_LE);
        tcg_gen_st_i64(t, tcg_env, off + i);
    }
}

static void vec_store(DisasContext *s, intptr_t off, unsigned size)
{
    TCGv t = tcg_temp_new_i64();

    if (size < 8) {
        MemOp ot = size == 1 ? MO_8 : size == 2 ? MO_16 : MO_32;

        tcg_gen_ld_i64(t, tcg_env, off);
        tcg_gen_qemu_st_i64(t, s->A0, s->mem_index, ot | MO_LE);
        return;
    }
    for (unsigned i = 0; i < size; i += 8) {
        TCGv a = s->A0;

        if (i) {
            a = tcg_temp_new_i64();
            tcg_gen_addi_i64(a, s->A0, i);
            if (!s->code64) {
                tcg_gen_ext32u_i64(a, a);
            }
        }
        tcg_gen_ld_i64(t, tcg_env, off + i);
        tcg_gen_qemu_st_i64(t, a, s->mem_index, MO_64 | MO_LE);
    }
}

bool x86_sse_prologue(DisasContext *s, X86DecodedInsn *d)
{
    uint32_t f = s->flags_insn;
    bool vex = s->prefix & PREFIX_VEX;
    bool has_xmm = false, mmx_reg = false, mmx_any = false;

    for (int i = 0; i < 4; i++) {
        int k = d->op[i].kind;

        has_xmm |= d->op[i].type == X86_OPND_XMM ||
                   k == X86_OP_V || k == X86_OP_W || k == X86_OP_U ||
                   k == X86_OP_H;
        mmx_reg |= d->op[i].type == X86_OPND_MMX;
        mmx_any |= k == X86_OP_P || k == X86_OP_Q || k == X86_OP_N;
    }
    if (vex) {
        if (!(s->flags & HF_AVX_EN)) {
            gen_illegal_opcode(s);
            return false;
        }
    } else if ((s->flags & HF_EM) ||
               (has_xmm && !(s->flags & HF_OSFXSR))) {
        gen_illegal_opcode(s);
        return false;
    }
    if (s->flags & HF_TS) {
        gen_exception(s, EXCP07_PREX);
        return false;
    }

    for (int i = 0; i < 4; i++) {
        X86Operand *o = &d->op[i];
        unsigned size = o->vsize;

        if (o->type != X86_OPND_MEM || !is_vec_kind(o->kind)) {
            continue;
        }
        if (size >= 16 && (vex ? (f & X86_ALIGNED) : !(f & X86_UNALIGNED))) {
            gen_helper_sse_align(tcg_env, s->A0, tcg_constant_i32(size - 1));
        }
        if (i == 0) {
            seg_check_sz(s, d, size, true);
            o->offset = TMP_DST;
        } else {
            seg_check_sz(s, d, size, false);
            vec_load(s, TMP_SRC, size);
            o->offset = TMP_SRC;
        }
    }
    /* after the memory operand's faults (a #GP or #PF leaves the x87
     * state as it was) */
    if (mmx_reg || (mmx_any && !(f & X86_MMX_FP))) {
        gen_helper_mmx_enter(tcg_env);
    }
    return true;
}

void x86_sse_epilogue(DisasContext *s, X86DecodedInsn *d)
{
    X86Operand *o = &d->op[0];

    if (s->flags_insn & X86_R0) {
        return;
    }
    switch (o->type) {
    case X86_OPND_MEM:
        if (is_vec_kind(o->kind)) {
            vec_store(s, TMP_DST, o->vsize);
        }
        break;
    case X86_OPND_MMX:
        tcg_gen_st16_i64(tcg_constant_i64(0xffff), tcg_env,
                         offsetof(CPUX86State, fpregs[o->n].high));
        break;
    case X86_OPND_XMM:
        if ((s->prefix & PREFIX_VEX) && o->vsize <= 16) {
            TCGv z = tcg_constant_i64(0);

            tcg_gen_st_i64(z, tcg_env, o->offset + 16);
            tcg_gen_st_i64(z, tcg_env, o->offset + 24);
        }
        break;
    default:
        break;
    }
}

/* ---- the operations of sse-ops.h ---- */

/*
 * d = op0; with three vector operands a = op1, b = op2, else a = d (the
 * legacy two-operand form) and b = op1; an immediate goes into desc.
 */
static void sse_bin(DisasContext *s, X86DecodedInsn *d, SSEHelperFn *fn)
{
    X86Operand *v[3];
    int nv = 0;
    unsigned imm = 0, desc;

    for (int i = 0; i < 4; i++) {
        if (d->op[i].type == X86_OPND_IMM) {
            imm = d->op[i].imm & 0xff;
        } else if (is_vec(&d->op[i]) && nv < 3) {
            v[nv++] = &d->op[i];
        }
    }
    if (nv < 2) {
        g_assert_not_reached();
    }
    desc = v[0]->vsize | imm << 8 | v[nv - 1]->vsize << 16 |
           (s->prefix & PREFIX_VEX ? 1u << 24 : 0);
    fn(tcg_env, env_ptr(v[0]->offset),
       env_ptr(nv == 3 ? v[1]->offset : v[0]->offset),
       env_ptr(v[nv - 1]->offset), tcg_constant_i32(desc));
}

#define SSE_INT(N, n) X86_GEN(N) { sse_bin(s, d, gen_helper_##n); }
#define SSE_FP(N, n) X86_GEN(N) { sse_bin(s, d, gen_helper_##n); }
#define SSE_OWN(N, n)
#include "target/i386/sse-ops.h"
#undef SSE_INT
#undef SSE_FP
#undef SSE_OWN

/* the FP logic ops and unpacks are the integer ones */
X86_GEN(ANDPS)    { sse_bin(s, d, gen_helper_pand); }
X86_GEN(ANDPD)    { sse_bin(s, d, gen_helper_pand); }
X86_GEN(ANDNPS)   { sse_bin(s, d, gen_helper_pandn); }
X86_GEN(ANDNPD)   { sse_bin(s, d, gen_helper_pandn); }
X86_GEN(ORPS)     { sse_bin(s, d, gen_helper_por); }
X86_GEN(ORPD)     { sse_bin(s, d, gen_helper_por); }
X86_GEN(XORPS)    { sse_bin(s, d, gen_helper_pxor); }
X86_GEN(XORPD)    { sse_bin(s, d, gen_helper_pxor); }
X86_GEN(UNPCKLPS) { sse_bin(s, d, gen_helper_punpckldq); }
X86_GEN(UNPCKLPD) { sse_bin(s, d, gen_helper_punpcklqdq); }
X86_GEN(UNPCKHPS) { sse_bin(s, d, gen_helper_punpckhdq); }
X86_GEN(UNPCKHPD) { sse_bin(s, d, gen_helper_punpckhqdq); }

/*
 * Shifts by an immediate (groups 12-14): the vector operands are the
 * destination and the source (legacy: the same ModRM.rm register; VEX:
 * vvvv and rm); the count goes to vec_tmp[2] for the shift-by-register
 * helpers and into desc for the byte shifts.
 */
static void sse_shift_imm(DisasContext *s, X86DecodedInsn *d,
                          SSEHelperFn *fn)
{
    X86Operand *dst = &d->op[0];
    X86Operand *src = d->op[2].type ? &d->op[1] : &d->op[0];
    unsigned imm = (d->op[2].type ? d->op[2].imm : d->op[1].imm) & 0xff;

    tcg_gen_st_i64(tcg_constant_i64(imm), tcg_env, TMP_CNT);
    fn(tcg_env, env_ptr(dst->offset), env_ptr(src->offset),
       env_ptr(TMP_CNT), tcg_constant_i32(dst->vsize | imm << 8));
}

X86_GEN(PSRLWi) { sse_shift_imm(s, d, gen_helper_psrlw); }
X86_GEN(PSRAWi) { sse_shift_imm(s, d, gen_helper_psraw); }
X86_GEN(PSLLWi) { sse_shift_imm(s, d, gen_helper_psllw); }
X86_GEN(PSRLDi) { sse_shift_imm(s, d, gen_helper_psrld); }
X86_GEN(PSRADi) { sse_shift_imm(s, d, gen_helper_psrad); }
X86_GEN(PSLLDi) { sse_shift_imm(s, d, gen_helper_pslld); }
X86_GEN(PSRLQi) { sse_shift_imm(s, d, gen_helper_psrlq); }
X86_GEN(PSLLQi) { sse_shift_imm(s, d, gen_helper_psllq); }
X86_GEN(PSRLDQ) { sse_shift_imm(s, d, gen_helper_psrldq); }
X86_GEN(PSLLDQ) { sse_shift_imm(s, d, gen_helper_pslldq); }

/* ---- moves ---- */

static void copy_q(intptr_t dst, intptr_t src, unsigned bytes)
{
    TCGv t = tcg_temp_new_i64();

    for (unsigned i = 0; i < bytes; i += 8) {
        tcg_gen_ld_i64(t, tcg_env, src + i);
        tcg_gen_st_i64(t, tcg_env, dst + i);
    }
}

/* whole-operand moves: MOVAPS MOVUPS MOVDQA MOVDQU LDDQU MOVNT* MOVQ mm */
static void sse_mov(DisasContext *s, X86DecodedInsn *d)
{
    copy_q(d->op[0].offset, d->op[1].offset, d->op[0].vsize);
}

X86_GEN(MOVAPS)  { sse_mov(s, d); }
X86_GEN(MOVUPS)  { sse_mov(s, d); }
X86_GEN(MOVAPD)  { sse_mov(s, d); }
X86_GEN(MOVUPD)  { sse_mov(s, d); }
X86_GEN(MOVDQA)  { sse_mov(s, d); }
X86_GEN(MOVDQU)  { sse_mov(s, d); }
X86_GEN(LDDQU)   { sse_mov(s, d); }
X86_GEN(MOVNTPS) { sse_mov(s, d); }
X86_GEN(MOVNTPD) { sse_mov(s, d); }
X86_GEN(MOVNTDQ) { sse_mov(s, d); }
X86_GEN(MOVNTQ)  { sse_mov(s, d); }
X86_GEN(MOVQ)    { sse_mov(s, d); }     /* MMX MOVQ, MOVDQ2Q */

/*
 * MOVSS/MOVSD (size 4 or 8): a load from memory zeroes the rest of the
 * register; a store writes size bytes; register forms merge into the
 * first source (legacy: the destination itself).
 */
static void sse_movs(DisasContext *s, X86DecodedInsn *d, unsigned size)
{
    MemOp ot = size == 4 ? MO_32 : MO_64;
    TCGv t = tcg_temp_new_i64();
    X86Operand *dst = &d->op[0], *a, *b;

    if (d->op[2].type) {
        a = &d->op[1];
        b = &d->op[2];
    } else {
        a = dst;
        b = &d->op[1];
    }
    if (ot == MO_32) {
        tcg_gen_ld32u_i64(t, tcg_env, b->offset);
    } else {
        tcg_gen_ld_i64(t, tcg_env, b->offset);
    }
    if (b->type == X86_OPND_MEM) {
        TCGv z = tcg_constant_i64(0);

        tcg_gen_st_i64(z, tcg_env, dst->offset);
        tcg_gen_st_i64(z, tcg_env, dst->offset + 8);
    } else if (dst->type == X86_OPND_XMM && a != dst) {
        copy_q(dst->offset, a->offset, 16);
    }
    if (ot == MO_32) {
        tcg_gen_st32_i64(t, tcg_env, dst->offset);
    } else {
        tcg_gen_st_i64(t, tcg_env, dst->offset);
    }
}

X86_GEN(MOVSS) { sse_movs(s, d, 4); }
X86_GEN(MOVSD) { sse_movs(s, d, 8); }

/*
 * Quadword moves: the destination's low and high quadwords from (src,
 * quadword index) pairs; -1 keeps it.  Both are read before either is
 * written.
 */
static void sse_qq(X86Operand *dst, X86Operand *s0, int q0, X86Operand *s1,
                   int q1)
{
    TCGv t0 = tcg_temp_new_i64(), t1 = tcg_temp_new_i64();

    if (s0) {
        tcg_gen_ld_i64(t0, tcg_env, s0->offset + 8 * q0);
    }
    if (s1) {
        tcg_gen_ld_i64(t1, tcg_env, s1->offset + 8 * q1);
    }
    if (s0) {
        tcg_gen_st_i64(t0, tcg_env, dst->offset);
    }
    if (s1) {
        tcg_gen_st_i64(t1, tcg_env, dst->offset + 8);
    }
}

/* MOVLPS/MOVLPD: V,H,Mq (load) or Mq,V (store) */
static void sse_movlp(DisasContext *s, X86DecodedInsn *d)
{
    if (d->op[0].type == X86_OPND_MEM) {
        copy_q(d->op[0].offset, d->op[1].offset, 8);
    } else {
        sse_qq(&d->op[0], &d->op[2], 0, &d->op[1], 1);
    }
}

/* MOVHPS/MOVHPD: V,H,Mq (load) or Mq,V (store); MOVLHPS V,H,U */
static void sse_movhp(DisasContext *s, X86DecodedInsn *d)
{
    if (d->op[0].type == X86_OPND_MEM) {
        copy_q(d->op[0].offset, d->op[1].offset + 8, 8);
    } else {
        sse_qq(&d->op[0], &d->op[1], 0, &d->op[2], 0);
    }
}

X86_GEN(MOVLPS)  { sse_movlp(s, d); }
X86_GEN(MOVLPD)  { sse_movlp(s, d); }
X86_GEN(MOVHPS)  { sse_movhp(s, d); }
X86_GEN(MOVHPD)  { sse_movhp(s, d); }
X86_GEN(MOVLHPS) { sse_movhp(s, d); }
X86_GEN(MOVHLPS) { sse_qq(&d->op[0], &d->op[2], 1, &d->op[1], 1); }

/* MOVQ xmm, xmm/m64 (F3 0F 7E), MOVQ xmm/m64, xmm (66 0F D6), MOVQ2DQ:
 * the low quadword, a register destination's high one zeroed */
X86_GEN(MOVQX)
{
    TCGv t = tcg_temp_new_i64();

    tcg_gen_ld_i64(t, tcg_env, d->op[1].offset);
    tcg_gen_st_i64(t, tcg_env, d->op[0].offset);
    if (d->op[0].type == X86_OPND_XMM) {
        tcg_gen_st_i64(tcg_constant_i64(0), tcg_env, d->op[0].offset + 8);
    }
}

/* MOVD/MOVQ between a GPR or memory (Ey) and an MMX or XMM register */
X86_GEN(MOVD)
{
    TCGv t = tcg_temp_new_i64();

    if (is_vec(&d->op[0])) {
        gen_load_op(s, d, 1, t);
        tcg_gen_st_i64(t, tcg_env, d->op[0].offset);
        if (d->op[0].type == X86_OPND_XMM) {
            tcg_gen_st_i64(tcg_constant_i64(0), tcg_env,
                           d->op[0].offset + 8);
        }
    } else {
        tcg_gen_ld_i64(t, tcg_env, d->op[1].offset);
        gen_store_op(s, d, 0, t);
    }
}

/* PINSRW: P,Ew,Ib or V,H,Ew,Ib */
X86_GEN(PINSRW)
{
    TCGv t = tcg_temp_new_i64();
    int ei = d->op[3].type ? 2 : 1;
    unsigned n = d->op[0].vsize / 2;

    if (ei == 2 && d->op[1].offset != d->op[0].offset) {
        copy_q(d->op[0].offset, d->op[1].offset, 16);
    }
    gen_load_op(s, d, ei, t);
    tcg_gen_st16_i64(t, tcg_env,
                     d->op[0].offset + 2 * (d->op[ei + 1].imm & (n - 1)));
}

/* PEXTRW Gd, N/U, Ib */
X86_GEN(PEXTRW)
{
    unsigned n = d->op[1].vsize / 2;

    tcg_gen_ld16u_i64(s->T0, tcg_env,
                      d->op[1].offset + 2 * (d->op[2].imm & (n - 1)));
    gen_store_op(s, d, 0, s->T0);
}

static void sse_movmsk(DisasContext *s, X86DecodedInsn *d, unsigned esz)
{
    gen_helper_movmsk(s->T0, env_ptr(d->op[1].offset),
                      tcg_constant_i32(d->op[1].vsize | esz << 8));
    gen_store_op(s, d, 0, s->T0);
}

X86_GEN(MOVMSKPS) { sse_movmsk(s, d, 4); }
X86_GEN(MOVMSKPD) { sse_movmsk(s, d, 8); }
X86_GEN(PMOVMSKB) { sse_movmsk(s, d, 1); }

/* MASKMOVQ/MASKMOVDQU: to DS:rDI (segment override allowed) */
static void sse_maskmov(DisasContext *s, X86DecodedInsn *d)
{
    gen_lea_v_seg(s, s->aflag, cpu_regs[R_EDI], R_DS, s->override);
    gen_helper_maskmov(tcg_env, env_ptr(d->op[0].offset),
                       env_ptr(d->op[1].offset), s->A0,
                       tcg_constant_i32(d->op[0].vsize |
                                        (s->code64 ? 0x100 : 0)));
}

X86_GEN(MASKMOVQ)   { sse_maskmov(s, d); }
X86_GEN(MASKMOVDQU) { sse_maskmov(s, d); }

/* ---- comparisons into EFLAGS, conversions with GPRs ---- */

static void sse_comis(DisasContext *s, X86DecodedInsn *d, unsigned desc)
{
    TCGv f = tcg_temp_new_i64();

    gen_helper_comis(f, tcg_env, env_ptr(d->op[0].offset),
                     env_ptr(d->op[1].offset), tcg_constant_i32(desc));
    set_cc(d, CC_OP_EFLAGS, NULL, f, NULL);
}

X86_GEN(COMISS)  { sse_comis(s, d, 0); }
X86_GEN(COMISD)  { sse_comis(s, d, 1); }
X86_GEN(UCOMISS) { sse_comis(s, d, 2); }
X86_GEN(UCOMISD) { sse_comis(s, d, 3); }

/* CVTSI2SS/SD V,H,Ey (legacy: H is V) */
static void sse_cvtsi2s(DisasContext *s, X86DecodedInsn *d, bool dbl)
{
    TCGv t = tcg_temp_new_i64();

    gen_load_op(s, d, 2, t);
    if (d->op[2].ot == MO_32) {
        tcg_gen_ext32s_i64(t, t);
    }
    (dbl ? gen_helper_cvtsi2sd : gen_helper_cvtsi2ss)(
        tcg_env, env_ptr(d->op[0].offset), env_ptr(d->op[1].offset), t);
}

X86_GEN(CVTSI2SS) { sse_cvtsi2s(s, d, false); }
X86_GEN(CVTSI2SD) { sse_cvtsi2s(s, d, true); }

/* CVT(T)SS2SI / CVT(T)SD2SI Gy, W */
static void sse_cvt2si(DisasContext *s, X86DecodedInsn *d, unsigned desc)
{
    if (d->op[0].ot == MO_64) {
        desc |= 4;
    }
    gen_helper_cvt2si(s->T0, tcg_env, env_ptr(d->op[1].offset),
                      tcg_constant_i32(desc));
    gen_store_op(s, d, 0, s->T0);
}

X86_GEN(CVTSS2SI)  { sse_cvt2si(s, d, 0); }
X86_GEN(CVTSD2SI)  { sse_cvt2si(s, d, 1); }
X86_GEN(CVTTSS2SI) { sse_cvt2si(s, d, 2); }
X86_GEN(CVTTSD2SI) { sse_cvt2si(s, d, 3); }

/* ---- state ---- */

X86_GEN(EMMS)
{
    gen_helper_emms(tcg_env);
}

/* VZEROUPPER (VEX.L0) / VZEROALL (VEX.L1): YMM0-15 (0-7 outside 64-bit
 * mode) */
X86_GEN(VZERO)
{
    TCGv z = tcg_constant_i64(0);
    int n = s->code64 ? 16 : 8;

    for (int r = 0; r < n; r++) {
        for (int q = s->vex_l ? 0 : 2; q < 4; q++) {
            tcg_gen_st_i64(z, tcg_env,
                           offsetof(CPUX86State, xmm_regs[r].q[q]));
        }
    }
}

/* ---- SSE4.1/4.2 operations with operands of their own ---- */

/* PBLENDVB/BLENDVPS/BLENDVPD: the mask (legacy XMM0, VEX the L operand)
 * goes to vec_tmp[2] */
static void sse_blendv(DisasContext *s, X86DecodedInsn *d, SSEHelperFn *fn)
{
    intptr_t mask = d->op[3].type ? d->op[3].offset
                                  : offsetof(CPUX86State, xmm_regs[0]);

    copy_q(TMP_CNT, mask, d->op[0].vsize);
    sse_bin(s, d, fn);
}

X86_GEN(PBLENDVB) { sse_blendv(s, d, gen_helper_pblendvb); }
X86_GEN(BLENDVPS) { sse_blendv(s, d, gen_helper_blendvps); }
X86_GEN(BLENDVPD) { sse_blendv(s, d, gen_helper_blendvpd); }

/* INSERTPS: a memory source is the single dword (imm8[7:6] ignored) */
X86_GEN(INSERTPS)
{
    if (d->op[2].type == X86_OPND_MEM) {
        d->op[3].imm &= 0x3f;
    }
    sse_bin(s, d, gen_helper_insertps);
}

X86_GEN(PTEST)
{
    TCGv f = tcg_temp_new_i64();

    gen_helper_ptest(f, tcg_env, env_ptr(d->op[0].offset),
                     env_ptr(d->op[1].offset),
                     tcg_constant_i32(d->op[0].vsize));
    set_cc(d, CC_OP_EFLAGS, NULL, f, NULL);
}

static void sse_pcmpstr(DisasContext *s, X86DecodedInsn *d, bool explicit,
                        bool mask)
{
    TCGv f = tcg_temp_new_i64();
    uint32_t desc = (d->op[2].imm & 0xff) | (explicit ? 1u << 16 : 0) |
                    (s->rex_w || s->vex_w ? 1u << 17 : 0) |
                    (mask ? 1u << 18 : 0);

    gen_helper_pcmpstr(f, tcg_env, env_ptr(d->op[0].offset),
                       env_ptr(d->op[1].offset), tcg_constant_i32(desc));
    set_cc(d, CC_OP_EFLAGS, NULL, f, NULL);
}

X86_GEN(PCMPESTRI) { sse_pcmpstr(s, d, true, false); }
X86_GEN(PCMPESTRM) { sse_pcmpstr(s, d, true, true); }
X86_GEN(PCMPISTRI) { sse_pcmpstr(s, d, false, false); }
X86_GEN(PCMPISTRM) { sse_pcmpstr(s, d, false, true); }

/*
 * PEXTRB/PEXTRW/PEXTRD/PEXTRQ/EXTRACTPS r/m, xmm, imm8: the element of
 * size esz selected by imm8; a register destination is zero-extended.
 */
static void sse_pextr(DisasContext *s, X86DecodedInsn *d, unsigned esz)
{
    static const MemOp ld[] = { [1] = MO_8, [2] = MO_16, [4] = MO_32,
                                [8] = MO_64 };
    unsigned n = 16 / esz;
    intptr_t off = d->op[1].offset + esz * (d->op[2].imm & (n - 1));

    switch (ld[esz]) {
    case MO_8:
        tcg_gen_ld8u_i64(s->T0, tcg_env, off);
        break;
    case MO_16:
        tcg_gen_ld16u_i64(s->T0, tcg_env, off);
        break;
    case MO_32:
        tcg_gen_ld32u_i64(s->T0, tcg_env, off);
        break;
    default:
        tcg_gen_ld_i64(s->T0, tcg_env, off);
        break;
    }
    gen_store_op(s, d, 0, s->T0);
}

X86_GEN(PEXTRB)    { sse_pextr(s, d, 1); }
X86_GEN(PEXTRW4)   { sse_pextr(s, d, 2); }
X86_GEN(PEXTRD)    { sse_pextr(s, d, d->op[0].ot == MO_64 ? 8 : 4); }
X86_GEN(EXTRACTPS) { sse_pextr(s, d, 4); }

/* PINSRB/PINSRD/PINSRQ xmm, (VEX: xmm,) r/m, imm8 */
static void sse_pinsr(DisasContext *s, X86DecodedInsn *d, unsigned esz)
{
    TCGv t = tcg_temp_new_i64();
    unsigned n = 16 / esz;
    intptr_t off = d->op[0].offset + esz * (d->op[3].imm & (n - 1));

    if (d->op[1].offset != d->op[0].offset) {
        copy_q(d->op[0].offset, d->op[1].offset, 16);
    }
    gen_load_op(s, d, 2, t);
    switch (esz) {
    case 1:
        tcg_gen_st8_i64(t, tcg_env, off);
        break;
    case 4:
        tcg_gen_st32_i64(t, tcg_env, off);
        break;
    default:
        tcg_gen_st_i64(t, tcg_env, off);
        break;
    }
}

X86_GEN(PINSRB) { sse_pinsr(s, d, 1); }
X86_GEN(PINSRD) { sse_pinsr(s, d, d->op[2].ot == MO_64 ? 8 : 4); }
X86_GEN(MOVNTDQA) { sse_mov(s, d); }
