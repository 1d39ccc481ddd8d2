/*
 * String instructions: MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS, with the
 * REP/REPE/REPNE prefixes (SDM Vol. 2 "REP/REPE/REPZ/REPNE/REPNZ").
 *
 * A repeated instruction does one iteration per pass and then jumps to
 * itself (a TB that chains to itself): rCX, rSI and rDI are exact after
 * every iteration, so a fault or an interrupt in the middle of a long
 * REP MOVS sees the architectural state, and the interrupt is taken
 * between iterations as on hardware.  The source is DS:rSI (segment
 * override allowed), the destination ES:rDI; rSI/rDI step by the operand
 * size in the direction of RFLAGS.DF.
 */
#include "turtle/osdep.h"
#include "target/i386/translate.h"

/* the step: +size or -size per DF */
static TCGv gen_step(MemOp ot)
{
    TCGv t = tcg_temp_new_i64();

    tcg_gen_ld32s_i64(t, tcg_env, offsetof(CPUX86State, df));
    tcg_gen_shli_i64(t, t, ot);
    return t;
}

static void gen_string_addr(DisasContext *s, int reg, int seg, int ovr)
{
    gen_lea_v_seg(s, s->aflag, cpu_regs[reg], seg, ovr);
    if (s->flags & HF_SEGCHK) {
        gen_ext_tl(s->tmp0, cpu_regs[reg], s->aflag, false);
    }
}

static void gen_ld_src(DisasContext *s, MemOp ot, TCGv v)
{
    int seg = s->override >= 0 ? s->override : R_DS;

    gen_string_addr(s, R_ESI, R_DS, s->override);
    gen_seg_check(s, seg, s->tmp0, ot, false);
    gen_op_ld_v(s, ot, v, s->A0);
}

static void gen_ld_dst(DisasContext *s, MemOp ot, TCGv v)
{
    gen_string_addr(s, R_EDI, R_ES, -1);
    gen_seg_check(s, R_ES, s->tmp0, ot, false);
    gen_op_ld_v(s, ot, v, s->A0);
}

static void gen_st_dst(DisasContext *s, MemOp ot, TCGv v)
{
    gen_string_addr(s, R_EDI, R_ES, -1);
    gen_seg_check(s, R_ES, s->tmp0, ot, true);
    gen_op_st_v(s, ot, v, s->A0);
}

static MemOp str_ot(X86DecodedInsn *d)
{
    for (int i = 0; i < 2; i++) {
        if (d->e->op[i].kind == X86_OP_X || d->e->op[i].kind == X86_OP_Y) {
            return d->op[i].ot;
        }
    }
    return d->ot;
}

typedef void StrOp(DisasContext *s, X86DecodedInsn *d, MemOp ot);

static void op_movs(DisasContext *s, X86DecodedInsn *d, MemOp ot)
{
    TCGv step = gen_step(ot);

    gen_ld_src(s, ot, s->T0);
    gen_st_dst(s, ot, s->T0);
    gen_op_add_reg(s, s->aflag, R_ESI, step);
    gen_op_add_reg(s, s->aflag, R_EDI, step);
}

static void op_stos(DisasContext *s, X86DecodedInsn *d, MemOp ot)
{
    gen_op_mov_v_reg(s, ot, s->T0, R_EAX);
    gen_st_dst(s, ot, s->T0);
    gen_op_add_reg(s, s->aflag, R_EDI, gen_step(ot));
}

static void op_lods(DisasContext *s, X86DecodedInsn *d, MemOp ot)
{
    gen_ld_src(s, ot, s->T0);
    gen_op_mov_reg_v(s, ot, R_EAX, s->T0);
    gen_op_add_reg(s, s->aflag, R_ESI, gen_step(ot));
}

static void op_scas(DisasContext *s, X86DecodedInsn *d, MemOp ot)
{
    TCGv res = tcg_temp_new_i64();

    gen_ld_dst(s, ot, s->T1);
    gen_op_mov_v_reg(s, ot, s->T0, R_EAX);
    tcg_gen_sub_i64(res, s->T0, s->T1);
    gen_op_add_reg(s, s->aflag, R_EDI, gen_step(ot));
    set_cc(d, CC_OP_SUBB + ot, res, s->T1, NULL);
    gen_commit_cc(s, d);
}

static void op_cmps(DisasContext *s, X86DecodedInsn *d, MemOp ot)
{
    TCGv res = tcg_temp_new_i64(), step = gen_step(ot);

    gen_ld_src(s, ot, s->T0);
    gen_ld_dst(s, ot, s->T1);
    tcg_gen_sub_i64(res, s->T0, s->T1);
    gen_op_add_reg(s, s->aflag, R_ESI, step);
    gen_op_add_reg(s, s->aflag, R_EDI, step);
    set_cc(d, CC_OP_SUBB + ot, res, s->T1, NULL);
    gen_commit_cc(s, d);
}

static void op_ins(DisasContext *s, X86DecodedInsn *d, MemOp ot)
{
    TCGv port = tcg_temp_new_i64();

    tcg_gen_ext16u_i64(port, cpu_regs[R_EDX]);
    /* probe the destination first: a fault must not lose the input */
    gen_string_addr(s, R_EDI, R_ES, -1);
    gen_seg_check(s, R_ES, s->tmp0, ot, true);
    gen_helper_probe_write(tcg_env, s->A0, tcg_constant_i32(1 << ot));
    gen_io_in(s, ot, s->T0, port);
    gen_st_dst(s, ot, s->T0);
    gen_op_add_reg(s, s->aflag, R_EDI, gen_step(ot));
}

static void op_outs(DisasContext *s, X86DecodedInsn *d, MemOp ot)
{
    TCGv port = tcg_temp_new_i64();

    tcg_gen_ext16u_i64(port, cpu_regs[R_EDX]);
    gen_ld_src(s, ot, s->T0);
    gen_io_out(s, ot, s->T0, port);
    gen_op_add_reg(s, s->aflag, R_ESI, gen_step(ot));
}

static void gen_string(DisasContext *s, X86DecodedInsn *d, StrOp *op,
                       bool cmp)
{
    MemOp ot = str_ot(d);
    TCGLabel *next;
    TCGv cx;

    if (!(s->prefix & (PREFIX_REPZ | PREFIX_REPNZ))) {
        op(s, d, ot);
        return;
    }
    next = gen_new_label();
    cx = tcg_temp_new_i64();
    gen_update_cc_op(s);
    gen_ext_tl(cx, cpu_regs[R_ECX], s->aflag, false);
    tcg_gen_brcondi_i64(TCG_COND_EQ, cx, 0, next);
    op(s, d, ot);
    gen_op_add_reg_im(s, s->aflag, R_ECX, -1);
    gen_update_cc_op(s);
    if (cmp) {
        /* REPE stops when ZF = 0, REPNE when ZF = 1 */
        gen_jcc(s, (s->prefix & PREFIX_REPZ) ? 5 : 4, next);
    }
    /* once more: the same insn again (interrupts get their chance) */
    gen_jmp_rel(s, MO_64, -(int64_t)(s->pc - s->pc_start), 1);
    gen_set_label(next);
    gen_jmp_rel(s, MO_64, 0, 0);
}

X86_GEN(MOVS) { gen_string(s, d, op_movs, false); }
X86_GEN(STOS) { gen_string(s, d, op_stos, false); }
X86_GEN(LODS) { gen_string(s, d, op_lods, false); }
X86_GEN(SCAS) { gen_string(s, d, op_scas, true); }
X86_GEN(CMPS) { gen_string(s, d, op_cmps, true); }

X86_GEN(INS)
{
    MemOp ot = str_ot(d);
    TCGv port = tcg_temp_new_i64();

    if (ot == MO_64) {
        ot = MO_32;
    }
    tcg_gen_ext16u_i64(port, cpu_regs[R_EDX]);
    gen_io_check(s, port, ot);
    gen_string(s, d, op_ins, false);
    gen_eob(s);
}

X86_GEN(OUTS)
{
    MemOp ot = str_ot(d);
    TCGv port = tcg_temp_new_i64();

    if (ot == MO_64) {
        ot = MO_32;
    }
    tcg_gen_ext16u_i64(port, cpu_regs[R_EDX]);
    gen_io_check(s, port, ot);
    gen_string(s, d, op_outs, false);
    gen_eob(s);
}
