/*
 * Integer instructions: arithmetic and logic, multiply and divide, shifts
 * and rotates, bit operations, moves, exchanges, the stack, flag
 * instructions, BCD, near control flow, and the BMI/ADX/MOVBE/CRC32
 * extensions.  Semantics and flags: SDM Vol. 2 instruction pages; the
 * lazy flag encoding is described in x86-tcg.h.
 *
 * The driver has loaded op 0 into T0 (unless W0/NOWB or locked), op 1
 * into T1 and op 2 into T2, and writes T0 back to op 0 after the gen
 * function (unless R0/NOWB or locked).  With d->locked op 0 is memory at
 * A0 and must be accessed with one tcg_gen_atomic_* op.
 */
#include "turtle/osdep.h"
#include "target/i386/translate.h"

static MemOp ot0(X86DecodedInsn *d)
{
    return d->op[0].ot;
}

static int cc_sized(int base, MemOp ot)
{
    return base + (ot & MO_SIZE);
}

static TCGv new_tmp(void)
{
    return tcg_temp_new_i64();
}

/* ---- arithmetic and logic (ADD OR ADC SBB AND SUB XOR CMP TEST) ---- */

enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR,
       ALU_CMP };

static void gen_alu(DisasContext *s, X86DecodedInsn *d, int op)
{
    MemOp ot = ot0(d);
    MemOp mop = ot | MO_LE;
    TCGv carry = NULL, old;

    if (op == ALU_ADC || op == ALU_SBB) {
        carry = gen_compute_eflags_c(s, new_tmp());
    }
    if (d->locked) {
        old = new_tmp();
        switch (op) {
        case ALU_ADD:
            tcg_gen_atomic_fetch_add_i64(old, s->A0, s->T1, s->mem_index, mop);
            tcg_gen_add_i64(s->T0, old, s->T1);
            break;
        case ALU_ADC: {
            TCGv t = new_tmp();

            tcg_gen_add_i64(t, s->T1, carry);
            tcg_gen_atomic_fetch_add_i64(old, s->A0, t, s->mem_index, mop);
            tcg_gen_add_i64(s->T0, old, t);
            break;
        }
        case ALU_SUB: {
            TCGv t = new_tmp();

            tcg_gen_neg_i64(t, s->T1);
            tcg_gen_atomic_fetch_add_i64(old, s->A0, t, s->mem_index, mop);
            tcg_gen_sub_i64(s->T0, old, s->T1);
            break;
        }
        case ALU_SBB: {
            TCGv t = new_tmp();

            tcg_gen_add_i64(t, s->T1, carry);
            tcg_gen_neg_i64(t, t);
            tcg_gen_atomic_fetch_add_i64(old, s->A0, t, s->mem_index, mop);
            tcg_gen_add_i64(s->T0, old, t);
            break;
        }
        case ALU_AND:
            tcg_gen_atomic_and_fetch_i64(s->T0, s->A0, s->T1, s->mem_index,
                                         mop);
            break;
        case ALU_OR:
            tcg_gen_atomic_or_fetch_i64(s->T0, s->A0, s->T1, s->mem_index,
                                        mop);
            break;
        case ALU_XOR:
            tcg_gen_atomic_xor_fetch_i64(s->T0, s->A0, s->T1, s->mem_index,
                                         mop);
            break;
        }
    } else {
        switch (op) {
        case ALU_ADD:
            tcg_gen_add_i64(s->T0, s->T0, s->T1);
            break;
        case ALU_ADC:
            tcg_gen_add_i64(s->T0, s->T0, s->T1);
            tcg_gen_add_i64(s->T0, s->T0, carry);
            break;
        case ALU_SUB:
            tcg_gen_sub_i64(s->T0, s->T0, s->T1);
            break;
        case ALU_SBB:
            tcg_gen_sub_i64(s->T0, s->T0, s->T1);
            tcg_gen_sub_i64(s->T0, s->T0, carry);
            break;
        case ALU_AND:
            tcg_gen_and_i64(s->T0, s->T0, s->T1);
            break;
        case ALU_OR:
            tcg_gen_or_i64(s->T0, s->T0, s->T1);
            break;
        case ALU_XOR:
            tcg_gen_xor_i64(s->T0, s->T0, s->T1);
            break;
        case ALU_CMP: {
            TCGv t = new_tmp();

            tcg_gen_sub_i64(t, s->T0, s->T1);
            set_cc(d, cc_sized(CC_OP_SUBB, ot), t, s->T1, NULL);
            return;
        }
        }
    }
    switch (op) {
    case ALU_ADD:
        set_cc(d, cc_sized(CC_OP_ADDB, ot), s->T0, s->T1, NULL);
        break;
    case ALU_ADC:
        set_cc(d, cc_sized(CC_OP_ADCB, ot), s->T0, s->T1, carry);
        break;
    case ALU_SUB:
        set_cc(d, cc_sized(CC_OP_SUBB, ot), s->T0, s->T1, NULL);
        break;
    case ALU_SBB:
        set_cc(d, cc_sized(CC_OP_SBBB, ot), s->T0, s->T1, carry);
        break;
    default:
        set_cc(d, cc_sized(CC_OP_LOGICB, ot), s->T0, NULL, NULL);
        break;
    }
}

X86_GEN(ADD) { gen_alu(s, d, ALU_ADD); }
X86_GEN(OR)  { gen_alu(s, d, ALU_OR); }
X86_GEN(ADC) { gen_alu(s, d, ALU_ADC); }
X86_GEN(SBB) { gen_alu(s, d, ALU_SBB); }
X86_GEN(AND) { gen_alu(s, d, ALU_AND); }
X86_GEN(SUB) { gen_alu(s, d, ALU_SUB); }
X86_GEN(XOR) { gen_alu(s, d, ALU_XOR); }
X86_GEN(CMP) { gen_alu(s, d, ALU_CMP); }

X86_GEN(TEST)
{
    TCGv t = new_tmp();

    tcg_gen_and_i64(t, s->T0, s->T1);
    set_cc(d, cc_sized(CC_OP_LOGICB, ot0(d)), t, NULL, NULL);
}

static void gen_incdec(DisasContext *s, X86DecodedInsn *d, int delta)
{
    MemOp ot = ot0(d);
    TCGv carry = gen_compute_eflags_c(s, new_tmp());

    if (d->locked) {
        tcg_gen_atomic_add_fetch_i64(s->T0, s->A0, tcg_constant_i64(delta),
                                     s->mem_index, ot | MO_LE);
    } else {
        tcg_gen_addi_i64(s->T0, s->T0, delta);
    }
    set_cc(d, cc_sized(delta > 0 ? CC_OP_INCB : CC_OP_DECB, ot), s->T0,
           carry, NULL);
}

X86_GEN(INC) { gen_incdec(s, d, 1); }
X86_GEN(DEC) { gen_incdec(s, d, -1); }

X86_GEN(NOT)
{
    if (d->locked) {
        tcg_gen_atomic_xor_fetch_i64(s->T0, s->A0, tcg_constant_i64(-1),
                                     s->mem_index, ot0(d) | MO_LE);
    } else {
        tcg_gen_not_i64(s->T0, s->T0);
    }
}

X86_GEN(NEG)
{
    MemOp ot = ot0(d);
    TCGv orig = new_tmp();

    if (d->locked) {
        TCGLabel *retry = gen_new_label();
        TCGv cmp = new_tmp(), res = new_tmp();

        gen_op_ld_v(s, ot, orig, s->A0);
        gen_set_label(retry);
        tcg_gen_neg_i64(res, orig);
        tcg_gen_atomic_cmpxchg_i64(cmp, s->A0, orig, res, s->mem_index,
                                   ot | MO_LE);
        tcg_gen_mov_i64(s->T0, res);
        {
            TCGLabel *done = gen_new_label();

            tcg_gen_brcond_i64(TCG_COND_EQ, cmp, orig, done);
            tcg_gen_mov_i64(orig, cmp);
            tcg_gen_br(retry);
            gen_set_label(done);
        }
    } else {
        tcg_gen_mov_i64(orig, s->T0);
        tcg_gen_neg_i64(s->T0, s->T0);
    }
    set_cc(d, cc_sized(CC_OP_SUBB, ot), s->T0, orig, NULL);
}

/* ---- multiply and divide ---- */

/* F6/F7 /4 MUL: rDX:rAX = rAX * src (AX = AL * src8) */
X86_GEN(MUL)
{
    MemOp ot = ot0(d);
    TCGv lo = new_tmp(), hi = new_tmp();

    switch (ot) {
    case MO_8:
        tcg_gen_ext8u_i64(lo, cpu_regs[R_EAX]);
        tcg_gen_mul_i64(lo, lo, s->T0);
        gen_op_mov_reg_v(s, MO_16, R_EAX, lo);
        tcg_gen_shri_i64(hi, lo, 8);
        tcg_gen_andi_i64(hi, hi, 0xff);
        break;
    case MO_16:
    case MO_32:
        gen_ext_tl(lo, cpu_regs[R_EAX], ot, false);
        tcg_gen_mul_i64(lo, lo, s->T0);
        tcg_gen_shri_i64(hi, lo, 8 << ot);
        gen_op_mov_reg_v(s, ot, R_EAX, lo);
        gen_op_mov_reg_v(s, ot, R_EDX, hi);
        break;
    default:
        tcg_gen_mulu2_i64(lo, hi, cpu_regs[R_EAX], s->T0);
        tcg_gen_mov_i64(cpu_regs[R_EAX], lo);
        tcg_gen_mov_i64(cpu_regs[R_EDX], hi);
        break;
    }
    set_cc(d, cc_sized(CC_OP_MULB, ot), lo, hi, NULL);
}

/* the signed product's overflow: hi != sign of lo (for the cc MUL src) */
static TCGv imul_overflow(MemOp ot, TCGv full, TCGv lo_out)
{
    TCGv t = new_tmp(), ovf = new_tmp();

    gen_ext_tl(t, full, ot, true);
    tcg_gen_mov_i64(lo_out, t);
    tcg_gen_sub_i64(ovf, t, full);      /* nonzero iff it did not fit */
    return ovf;
}

/* F6/F7 /5 IMUL: one operand, double-width signed product */
X86_GEN(IMUL1)
{
    MemOp ot = ot0(d);
    TCGv lo = new_tmp(), hi = new_tmp(), ovf, a = new_tmp(), b = new_tmp();

    if (ot == MO_64) {
        TCGv t = new_tmp();

        tcg_gen_muls2_i64(lo, hi, cpu_regs[R_EAX], s->T0);
        tcg_gen_mov_i64(cpu_regs[R_EAX], lo);
        tcg_gen_mov_i64(cpu_regs[R_EDX], hi);
        tcg_gen_sari_i64(t, lo, 63);
        ovf = new_tmp();
        tcg_gen_sub_i64(ovf, t, hi);
        set_cc(d, CC_OP_MULQ, lo, ovf, NULL);
        return;
    }
    gen_ext_tl(a, cpu_regs[R_EAX], ot, true);
    gen_ext_tl(b, s->T0, ot, true);
    tcg_gen_mul_i64(hi, a, b);                  /* exact in 64 bits */
    ovf = imul_overflow(ot, hi, lo);
    if (ot == MO_8) {
        gen_op_mov_reg_v(s, MO_16, R_EAX, hi);
    } else {
        TCGv h = new_tmp();

        tcg_gen_sari_i64(h, hi, 8 << ot);
        gen_op_mov_reg_v(s, ot, R_EAX, hi);
        gen_op_mov_reg_v(s, ot, R_EDX, h);
    }
    set_cc(d, cc_sized(CC_OP_MULB, ot), lo, ovf, NULL);
}

static void gen_imul_trunc(DisasContext *s, X86DecodedInsn *d, TCGv x,
                           TCGv y)
{
    MemOp ot = ot0(d);
    TCGv lo = new_tmp(), ovf;

    if (ot == MO_64) {
        TCGv hi = new_tmp(), t = new_tmp();

        tcg_gen_muls2_i64(lo, hi, x, y);
        tcg_gen_sari_i64(t, lo, 63);
        ovf = new_tmp();
        tcg_gen_sub_i64(ovf, t, hi);
        tcg_gen_mov_i64(s->T0, lo);
    } else {
        TCGv a = new_tmp(), b = new_tmp(), full = new_tmp();

        gen_ext_tl(a, x, ot, true);
        gen_ext_tl(b, y, ot, true);
        tcg_gen_mul_i64(full, a, b);
        ovf = imul_overflow(ot, full, lo);
        tcg_gen_mov_i64(s->T0, lo);
    }
    set_cc(d, cc_sized(CC_OP_MULB, ot), s->T0, ovf, NULL);
}

/* 0F AF IMUL Gv,Ev */
X86_GEN(IMUL)
{
    gen_imul_trunc(s, d, s->T0, s->T1);
}

/* 69/6B IMUL Gv,Ev,Iz/Ib */
X86_GEN(IMUL3)
{
    gen_imul_trunc(s, d, s->T1, s->T2);
}

X86_GEN(DIV)
{
    gen_update_cc_op(s);
    gen_update_eip_cur(s);
    switch (ot0(d)) {
    case MO_8:
        gen_helper_divb(tcg_env, s->T0);
        break;
    case MO_16:
        gen_helper_divw(tcg_env, s->T0);
        break;
    case MO_32:
        gen_helper_divl(tcg_env, s->T0);
        break;
    default:
        gen_helper_divq(tcg_env, s->T0);
        break;
    }
}

X86_GEN(IDIV)
{
    gen_update_cc_op(s);
    gen_update_eip_cur(s);
    switch (ot0(d)) {
    case MO_8:
        gen_helper_idivb(tcg_env, s->T0);
        break;
    case MO_16:
        gen_helper_idivw(tcg_env, s->T0);
        break;
    case MO_32:
        gen_helper_idivl(tcg_env, s->T0);
        break;
    default:
        gen_helper_idivq(tcg_env, s->T0);
        break;
    }
}

/* ---- shifts and rotates ---- */

/*
 * Commit flags only when the masked count is nonzero (SDM: "if the count
 * is 0, the flags are not affected").  A constant count decides now; a
 * variable one selects between old and new cc values at run time, which
 * leaves cc_op dynamic.
 */
static void set_cc_shift(DisasContext *s, X86DecodedInsn *d, int op,
                         TCGv dst, TCGv src, TCGv count, int const_count)
{
    if (!count) {
        if (const_count) {
            set_cc(d, op, dst, src, NULL);
        }
        return;
    }
    set_cc(d, op, dst, src, NULL);
    d->cc_count = count;
}

static int shift_mask(MemOp ot)
{
    return ot == MO_64 ? 63 : 31;
}

/* count in T1; for immediate forms also known at translation time */
static bool shift_count(DisasContext *s, X86DecodedInsn *d, TCGv *count,
                        int *cconst)
{
    MemOp ot = ot0(d);

    if (d->op[1].type == X86_OPND_IMM) {
        *cconst = d->op[1].imm & shift_mask(ot);
        *count = NULL;
        return true;
    }
    *count = new_tmp();
    tcg_gen_andi_i64(*count, s->T1, shift_mask(ot));
    *cconst = -1;
    return false;
}

static void gen_shift(DisasContext *s, X86DecodedInsn *d, bool left,
                      bool arith)
{
    MemOp ot = ot0(d);
    TCGv count, val = new_tmp(), prev = new_tmp(), cm1 = new_tmp();
    int c;

    gen_ext_tl(val, s->T0, ot, arith);
    if (shift_count(s, d, &count, &c)) {
        if (c == 0) {
            return;
        }
        if (left) {
            tcg_gen_shli_i64(prev, val, c - 1);
            tcg_gen_shli_i64(s->T0, val, c);
        } else if (arith) {
            tcg_gen_sari_i64(prev, val, c - 1);
            tcg_gen_sari_i64(s->T0, val, c);
        } else {
            tcg_gen_shri_i64(prev, val, c - 1);
            tcg_gen_shri_i64(s->T0, val, c);
        }
        set_cc_shift(s, d, cc_sized(left ? CC_OP_SHLB : CC_OP_SARB, ot),
                     s->T0, prev, NULL, 1);
        return;
    }
    tcg_gen_subi_i64(cm1, count, 1);
    tcg_gen_andi_i64(cm1, cm1, 63);
    if (left) {
        tcg_gen_shl_i64(prev, val, cm1);
        tcg_gen_shl_i64(s->T0, val, count);
    } else if (arith) {
        tcg_gen_sar_i64(prev, val, cm1);
        tcg_gen_sar_i64(s->T0, val, count);
    } else {
        tcg_gen_shr_i64(prev, val, cm1);
        tcg_gen_shr_i64(s->T0, val, count);
    }
    set_cc_shift(s, d, cc_sized(left ? CC_OP_SHLB : CC_OP_SARB, ot),
                 s->T0, prev, count, 0);
}

X86_GEN(SHL) { gen_shift(s, d, true, false); }
X86_GEN(SHR) { gen_shift(s, d, false, false); }
X86_GEN(SAR) { gen_shift(s, d, false, true); }

/*
 * ROL/ROR change CF and OF only: fold the lazy flags into EFLAGS form
 * and build the new value.  8 and 16-bit values are replicated so that a
 * 32-bit rotate gives the same result for any count.
 */
static void gen_rotate(DisasContext *s, X86DecodedInsn *d, bool left)
{
    MemOp ot = ot0(d);
    int bits = 8 << ot, c;
    TCGv count, v = new_tmp(), cf = new_tmp(), of = new_tmp();
    TCGv flags = new_tmp();

    shift_count(s, d, &count, &c);
    if (!count && c == 0) {
        return;
    }
    gen_compute_eflags(s);
    if (ot == MO_64) {
        tcg_gen_mov_i64(v, s->T0);
    } else {
        tcg_gen_ext32u_i64(v, s->T0);
        if (ot == MO_8) {
            tcg_gen_ext8u_i64(v, v);
            tcg_gen_muli_i64(v, v, 0x01010101);
        } else if (ot == MO_16) {
            tcg_gen_ext16u_i64(v, v);
            tcg_gen_muli_i64(v, v, 0x00010001);
        }
    }
    if (ot == MO_64) {
        if (count) {
            left ? tcg_gen_rotl_i64(s->T0, v, count)
                 : tcg_gen_rotr_i64(s->T0, v, count);
        } else {
            left ? tcg_gen_rotli_i64(s->T0, v, c)
                 : tcg_gen_rotri_i64(s->T0, v, c);
        }
    } else {
        TCGv_i32 w = tcg_temp_new_i32();

        tcg_gen_extrl_i64_i32(w, v);
        if (count) {
            TCGv_i32 n = tcg_temp_new_i32();

            tcg_gen_extrl_i64_i32(n, count);
            left ? tcg_gen_rotl_i32(w, w, n) : tcg_gen_rotr_i32(w, w, n);
        } else {
            left ? tcg_gen_rotli_i32(w, w, c) : tcg_gen_rotri_i32(w, w, c);
        }
        tcg_gen_extu_i32_i64(s->T0, w);
    }
    /* ROL: CF = bit 0, OF = MSB ^ CF; ROR: CF = MSB, OF = MSB ^ MSB-1 */
    if (left) {
        tcg_gen_andi_i64(cf, s->T0, 1);
        tcg_gen_shri_i64(of, s->T0, bits - 1);
        tcg_gen_xor_i64(of, of, cf);
    } else {
        tcg_gen_shri_i64(cf, s->T0, bits - 1);
        tcg_gen_shri_i64(of, s->T0, bits - 2);
        tcg_gen_xor_i64(of, of, cf);
    }
    tcg_gen_andi_i64(cf, cf, 1);
    tcg_gen_andi_i64(of, of, 1);
    tcg_gen_andi_i64(flags, cpu_cc_src, ~(uint64_t)(CC_C | CC_O));
    tcg_gen_or_i64(flags, flags, cf);
    tcg_gen_shli_i64(of, of, 11);
    tcg_gen_or_i64(flags, flags, of);
    set_cc(d, CC_OP_EFLAGS, NULL, flags, NULL);
    if (count) {
        d->cc_count = count;
    }
}

X86_GEN(ROL) { gen_rotate(s, d, true); }
X86_GEN(ROR) { gen_rotate(s, d, false); }

/* RCL/RCR rotate through CF: helpers compute the value and the flags */
static void gen_rcx(DisasContext *s, X86DecodedInsn *d, bool left)
{
    MemOp ot = ot0(d);
    TCGv count, flags = new_tmp();
    TCGv_i32 info = tcg_constant_i32(ot | (left ? 4 : 0));
    int c;

    shift_count(s, d, &count, &c);
    if (!count) {
        if (c == 0) {
            return;
        }
        count = tcg_constant_i64(c);
    }
    gen_compute_eflags(s);
    gen_helper_rcx_flags(flags, s->T0, count, cpu_cc_src, info);
    gen_helper_rcx(s->T0, s->T0, count, cpu_cc_src, info);
    set_cc(d, CC_OP_EFLAGS, NULL, flags, NULL);
    if (c < 0) {
        d->cc_count = count;
    }
}

X86_GEN(RCL) { gen_rcx(s, d, true); }
X86_GEN(RCR) { gen_rcx(s, d, false); }

/* SHLD/SHRD Ev,Gv,Ib|CL (T0 dest, T1 source bits, T2 count) */
static void gen_shxd(DisasContext *s, X86DecodedInsn *d, bool left)
{
    MemOp ot = ot0(d);
    int bits = 8 << ot;
    TCGv count = new_tmp(), prev = new_tmp(), res = new_tmp();
    TCGv cm1 = new_tmp();
    bool is_const = d->op[2].type == X86_OPND_IMM;
    int c = is_const ? d->op[2].imm & shift_mask(ot) : -1;

    if (is_const && c == 0) {
        return;
    }
    tcg_gen_andi_i64(count, s->T2, shift_mask(ot));
    tcg_gen_subi_i64(cm1, count, 1);
    tcg_gen_andi_i64(cm1, cm1, 63);
    if (ot == MO_64) {
        /* res = dst << c | src >> (64 - c) (c in 1..63) */
        TCGv t = new_tmp(), inv = new_tmp();

        tcg_gen_subfi_i64(inv, 64, count);
        tcg_gen_andi_i64(inv, inv, 63);
        if (left) {
            tcg_gen_shl_i64(res, s->T0, count);
            tcg_gen_shr_i64(t, s->T1, inv);
            tcg_gen_shl_i64(prev, s->T0, cm1);
        } else {
            tcg_gen_shr_i64(res, s->T0, count);
            tcg_gen_shl_i64(t, s->T1, inv);
            tcg_gen_shr_i64(prev, s->T0, cm1);
        }
        /* count 0 (variable): keep dst */
        tcg_gen_movcond_i64(TCG_COND_EQ, t, count, tcg_constant_i64(0),
                            tcg_constant_i64(0), t);
        tcg_gen_or_i64(res, res, t);
    } else {
        /* a 64-bit value holding dst and src side by side */
        TCGv both = new_tmp(), d32 = new_tmp(), s32 = new_tmp();

        gen_ext_tl(d32, s->T0, ot, false);
        gen_ext_tl(s32, s->T1, ot, false);
        if (left) {
            if (ot == MO_16) {
                /* dst:src:dst, as hardware does for counts > 16 */
                tcg_gen_shli_i64(both, d32, 32);
                tcg_gen_shli_i64(s32, s32, 16);
                tcg_gen_or_i64(both, both, s32);
                tcg_gen_or_i64(both, both, d32);
                tcg_gen_shl_i64(res, both, count);
                tcg_gen_shri_i64(res, res, 32);
                tcg_gen_shl_i64(prev, both, cm1);
                tcg_gen_shri_i64(prev, prev, 32);
            } else {
                tcg_gen_shli_i64(both, d32, 32);
                tcg_gen_or_i64(both, both, s32);
                tcg_gen_shl_i64(res, both, count);
                tcg_gen_shri_i64(res, res, 32);
                tcg_gen_shl_i64(prev, both, cm1);
                tcg_gen_shri_i64(prev, prev, 32);
            }
        } else {
            if (ot == MO_16) {
                /* dst:src:dst from the low end */
                tcg_gen_shli_i64(both, s32, 16);
                tcg_gen_or_i64(both, both, d32);
                tcg_gen_shli_i64(d32, d32, 32);
                tcg_gen_or_i64(both, both, d32);
            } else {
                tcg_gen_shli_i64(both, s32, 32);
                tcg_gen_or_i64(both, both, d32);
            }
            tcg_gen_shr_i64(res, both, count);
            tcg_gen_shr_i64(prev, both, cm1);
        }
    }
    tcg_gen_mov_i64(s->T0, res);
    set_cc_shift(s, d, cc_sized(left ? CC_OP_SHLB : CC_OP_SARB, ot), s->T0,
                 prev, is_const ? NULL : count, 1);
    (void)bits;
}

X86_GEN(SHLD) { gen_shxd(s, d, true); }
X86_GEN(SHRD) { gen_shxd(s, d, false); }

/* ---- bit operations ---- */

enum { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

/*
 * BT/BTS/BTR/BTC: op 1 is the bit offset.  A register offset on a memory
 * operand addresses any bit relative to it (signed, SDM Vol. 2 "BT").
 * CF = the bit; ZF is kept; OF SF AF PF are undefined (kept here).
 */
static void gen_bitop(DisasContext *s, X86DecodedInsn *d, int op)
{
    MemOp ot = ot0(d);
    int bits = 8 << ot;
    TCGv off = new_tmp(), mask = new_tmp(), bit = new_tmp();
    TCGv val = new_tmp(), flags = new_tmp();

    gen_load_op(s, d, 1, off);
    if (d->op[0].type == X86_OPND_MEM && d->op[1].type != X86_OPND_IMM) {
        TCGv disp = new_tmp();

        gen_ext_tl(disp, off, ot, true);
        tcg_gen_sari_i64(disp, disp, 3 + ot);
        tcg_gen_shli_i64(disp, disp, ot);
        tcg_gen_add_i64(s->A0, s->A0, disp);
        if (!s->code64) {
            tcg_gen_ext32u_i64(s->A0, s->A0);
        }
    }
    tcg_gen_andi_i64(off, off, bits - 1);
    tcg_gen_shl_i64(mask, tcg_constant_i64(1), off);

    if (d->locked && op != BT_TEST) {
        MemOp mop = ot | MO_LE;

        switch (op) {
        case BT_SET:
            tcg_gen_atomic_fetch_or_i64(val, s->A0, mask, s->mem_index, mop);
            break;
        case BT_RESET: {
            TCGv inv = new_tmp();

            tcg_gen_not_i64(inv, mask);
            tcg_gen_atomic_fetch_and_i64(val, s->A0, inv, s->mem_index, mop);
            break;
        }
        default:
            tcg_gen_atomic_fetch_xor_i64(val, s->A0, mask, s->mem_index,
                                         mop);
            break;
        }
    } else {
        TCGv nv = new_tmp();

        gen_load_op(s, d, 0, val);
        switch (op) {
        case BT_SET:
            tcg_gen_or_i64(nv, val, mask);
            break;
        case BT_RESET:
            tcg_gen_andc_i64(nv, val, mask);
            break;
        case BT_COMPLEMENT:
            tcg_gen_xor_i64(nv, val, mask);
            break;
        }
        if (op != BT_TEST) {
            gen_store_op(s, d, 0, nv);
        }
    }
    tcg_gen_shr_i64(bit, val, off);
    tcg_gen_andi_i64(bit, bit, 1);
    gen_compute_eflags(s);
    tcg_gen_andi_i64(flags, cpu_cc_src, ~(uint64_t)CC_C);
    tcg_gen_or_i64(flags, flags, bit);
    set_cc(d, CC_OP_EFLAGS, NULL, flags, NULL);
}

X86_GEN(BT)  { gen_bitop(s, d, BT_TEST); }
X86_GEN(BTS) { gen_bitop(s, d, BT_SET); }
X86_GEN(BTR) { gen_bitop(s, d, BT_RESET); }
X86_GEN(BTC) { gen_bitop(s, d, BT_COMPLEMENT); }

/* BSF/BSR: source 0 -> ZF=1, destination unchanged */
static void gen_bsx(DisasContext *s, X86DecodedInsn *d, bool reverse)
{
    MemOp ot = ot0(d);
    TCGv src = new_tmp(), r = new_tmp();

    gen_ext_tl(src, s->T1, ot, false);
    if (reverse) {
        tcg_gen_clzi_i64(r, src, 64);
        tcg_gen_xori_i64(r, r, 63);
    } else {
        tcg_gen_ctzi_i64(r, src, 0);
    }
    tcg_gen_movcond_i64(TCG_COND_EQ, s->T0, src, tcg_constant_i64(0),
                        s->T0, r);
    set_cc(d, cc_sized(CC_OP_LOGICB, ot), src, NULL, NULL);
}

X86_GEN(BSF) { gen_bsx(s, d, false); }
X86_GEN(BSR) { gen_bsx(s, d, true); }

/* TZCNT/LZCNT: CF = source was 0, ZF = result is 0 (BSF/BSR without
 * BMI1/ABM: the F3 prefix is ignored) */
X86_GEN(TZCNT)
{
    MemOp ot = ot0(d);
    TCGv src = new_tmp();

    if (!x86_feature_check(s, X86_FEAT_BMI1)) {
        gen_load_op(s, d, 0, s->T0);
        gen_bsx(s, d, false);
        return;
    }
    gen_ext_tl(src, s->T1, ot, false);
    tcg_gen_ctzi_i64(s->T0, src, 8 << ot);
    set_cc(d, cc_sized(CC_OP_BMILGB, ot), s->T0, src, NULL);
}

X86_GEN(LZCNT)
{
    MemOp ot = ot0(d);
    TCGv src = new_tmp();

    if (!x86_feature_check(s, X86_FEAT_ABM)) {
        gen_load_op(s, d, 0, s->T0);
        gen_bsx(s, d, true);
        return;
    }
    gen_ext_tl(src, s->T1, ot, false);
    tcg_gen_clzi_i64(s->T0, src, 64);
    tcg_gen_subi_i64(s->T0, s->T0, 64 - (8 << ot));
    set_cc(d, cc_sized(CC_OP_BMILGB, ot), s->T0, src, NULL);
}

X86_GEN(POPCNT)
{
    TCGv src = new_tmp();

    gen_ext_tl(src, s->T1, ot0(d), false);
    tcg_gen_ctpop_i64(s->T0, src);
    set_cc(d, CC_OP_POPCNT, NULL, src, NULL);
}

X86_GEN(BSWAP)
{
    if (ot0(d) == MO_64) {
        tcg_gen_bswap64_i64(s->T0, s->T0);
    } else {
        tcg_gen_bswap32_i64(s->T0, s->T0, TCG_BSWAP_IZ | TCG_BSWAP_OZ);
    }
}

/* ---- moves ---- */

X86_GEN(MOV)
{
    tcg_gen_mov_i64(s->T0, s->T1);
}

X86_GEN(MOVZX)
{
    gen_ext_tl(s->T0, s->T1, d->op[1].ot, false);
}

X86_GEN(MOVSX)
{
    gen_ext_tl(s->T0, s->T1, d->op[1].ot, true);
}

X86_GEN(MOVSXD)
{
    tcg_gen_ext32s_i64(s->T0, s->T1);
}

/* the effective address without segment (LEA, BNDMK...) */
static void gen_ea_offset(DisasContext *s, X86DecodedInsn *d, TCGv dst)
{
    X86DecodedAddr *a = &d->mem;

    if (a->base == -2) {
        uint64_t v = eip_next(s) + a->disp;

        tcg_gen_movi_i64(dst, a->aflag == MO_32 ? (uint32_t)v : v);
        return;
    }
    tcg_gen_movi_i64(dst, a->disp);
    if (a->base >= 0) {
        tcg_gen_add_i64(dst, dst, cpu_regs[a->base]);
    }
    if (a->index >= 0) {
        TCGv t = new_tmp();

        tcg_gen_shli_i64(t, cpu_regs[a->index], a->scale);
        tcg_gen_add_i64(dst, dst, t);
    }
    gen_ext_tl(dst, dst, a->aflag, false);
}

X86_GEN(LEA)
{
    gen_ea_offset(s, d, s->T0);
}

X86_GEN(XCHG)
{
    MemOp ot = ot0(d);

    if (d->op[0].type == X86_OPND_MEM) {
        gen_load_op(s, d, 1, s->T1);
        tcg_gen_atomic_xchg_i64(s->T0, s->A0, s->T1, s->mem_index,
                                ot | MO_LE);
        gen_store_op(s, d, 1, s->T0);
    } else {
        gen_load_op(s, d, 0, s->T0);
        gen_load_op(s, d, 1, s->T1);
        gen_store_op(s, d, 1, s->T0);
        gen_store_op(s, d, 0, s->T1);
    }
}

X86_GEN(XADD)
{
    MemOp ot = ot0(d);
    TCGv old = new_tmp(), src = new_tmp();

    gen_load_op(s, d, 1, src);
    if (d->locked) {
        tcg_gen_atomic_fetch_add_i64(old, s->A0, src, s->mem_index,
                                     ot | MO_LE);
        tcg_gen_add_i64(s->T0, old, src);
    } else {
        gen_load_op(s, d, 0, old);
        tcg_gen_add_i64(s->T0, old, src);
        gen_store_op(s, d, 0, s->T0);
    }
    /* SRC = old DEST, then DEST = sum (same register: the sum wins) */
    if (d->op[0].type == X86_OPND_MEM) {
        gen_store_op(s, d, 1, old);
    } else {
        gen_store_op(s, d, 1, old);
        gen_store_op(s, d, 0, s->T0);
    }
    set_cc(d, cc_sized(CC_OP_ADDB, ot), s->T0, src, NULL);
}

/* CMPXCHG Ev,Gv: compare rAX with op 0 (SDM Vol. 2 "CMPXCHG") */
X86_GEN(CMPXCHG)
{
    MemOp ot = ot0(d);
    TCGv acc = new_tmp(), newv = new_tmp(), old = new_tmp();
    TCGv diff = new_tmp();

    gen_ext_tl(acc, cpu_regs[R_EAX], ot, false);
    gen_load_op(s, d, 1, newv);
    if (d->op[0].type == X86_OPND_MEM) {
        if (d->locked) {
            tcg_gen_atomic_cmpxchg_i64(old, s->A0, acc, newv, s->mem_index,
                                       ot | MO_LE);
        } else {
            TCGv wr = new_tmp();

            gen_load_op(s, d, 0, old);
            /* the destination is always written (old value on failure) */
            tcg_gen_movcond_i64(TCG_COND_EQ, wr, old, acc, newv, old);
            gen_store_op(s, d, 0, wr);
        }
    } else {
        /* a register destination is written only on success (not even
         * zero-extended on failure: as the hardware, unlike memory) */
        TCGLabel *ne = gen_new_label();

        gen_load_op(s, d, 0, old);
        tcg_gen_brcond_i64(TCG_COND_NE, old, acc, ne);
        gen_store_op(s, d, 0, newv);
        gen_set_label(ne);
    }
    /* on failure rAX = old (a register written, so 32-bit zero-extends) */
    {
        TCGLabel *eq = gen_new_label();

        tcg_gen_brcond_i64(TCG_COND_EQ, old, acc, eq);
        gen_op_mov_reg_v(s, ot, R_EAX, old);
        gen_set_label(eq);
    }
    tcg_gen_sub_i64(diff, acc, old);
    set_cc(d, cc_sized(CC_OP_SUBB, ot), diff, old, NULL);
}

/* CMPXCHG8B/16B m64/m128: rDX:rAX vs memory, rCX:rBX stored if equal */
X86_GEN(CMPXCHG8B)
{
    TCGv cmpv = new_tmp(), newv = new_tmp(), old = new_tmp();
    TCGv z = new_tmp(), flags = new_tmp(), lo = new_tmp(), hi = new_tmp();
    TCGLabel *eq = gen_new_label();

    tcg_gen_concat32_i64(cmpv, cpu_regs[R_EAX], cpu_regs[R_EDX]);
    tcg_gen_concat32_i64(newv, cpu_regs[R_EBX], cpu_regs[R_ECX]);
    if (d->locked) {
        tcg_gen_atomic_cmpxchg_i64(old, s->A0, cmpv, newv, s->mem_index,
                                   MO_64 | MO_LE);
    } else {
        TCGv wr = new_tmp();

        gen_op_ld_v(s, MO_64, old, s->A0);
        tcg_gen_movcond_i64(TCG_COND_EQ, wr, old, cmpv, newv, old);
        gen_op_st_v(s, MO_64, wr, s->A0);
    }
    tcg_gen_setcond_i64(TCG_COND_EQ, z, old, cmpv);
    tcg_gen_brcond_i64(TCG_COND_EQ, old, cmpv, eq);
    tcg_gen_ext32u_i64(lo, old);
    tcg_gen_shri_i64(hi, old, 32);
    tcg_gen_mov_i64(cpu_regs[R_EAX], lo);
    tcg_gen_mov_i64(cpu_regs[R_EDX], hi);
    gen_set_label(eq);
    gen_compute_eflags(s);
    tcg_gen_andi_i64(flags, cpu_cc_src, ~(uint64_t)CC_Z);
    tcg_gen_shli_i64(z, z, 6);
    tcg_gen_or_i64(flags, flags, z);
    set_cc(d, CC_OP_EFLAGS, NULL, flags, NULL);
}

X86_GEN(CMPXCHG16B)
{
    TCGv lo = new_tmp(), hi = new_tmp(), t = new_tmp(), z = new_tmp();
    TCGv flags = new_tmp(), a16 = new_tmp();
    TCGLabel *ok = gen_new_label(), *eq = gen_new_label();

    /* #GP(0) unless 16-byte aligned */
    gen_update_cc_op(s);
    tcg_gen_andi_i64(a16, s->A0, 15);
    tcg_gen_brcondi_i64(TCG_COND_EQ, a16, 0, ok);
    gen_exception_err(s, EXCP0D_GPF, 0);
    s->base.is_jmp = DISAS_NEXT;
    gen_set_label(ok);

    tcg_gen_atomic_cmpxchg_i128(lo, hi, s->A0, cpu_regs[R_EAX],
                                cpu_regs[R_EDX], cpu_regs[R_EBX],
                                cpu_regs[R_ECX], s->mem_index, MO_LE);
    tcg_gen_xor_i64(t, lo, cpu_regs[R_EAX]);
    tcg_gen_xor_i64(z, hi, cpu_regs[R_EDX]);
    tcg_gen_or_i64(t, t, z);
    tcg_gen_setcondi_i64(TCG_COND_EQ, z, t, 0);
    tcg_gen_brcondi_i64(TCG_COND_EQ, t, 0, eq);
    tcg_gen_mov_i64(cpu_regs[R_EAX], lo);
    tcg_gen_mov_i64(cpu_regs[R_EDX], hi);
    gen_set_label(eq);
    gen_compute_eflags(s);
    tcg_gen_andi_i64(flags, cpu_cc_src, ~(uint64_t)CC_Z);
    tcg_gen_shli_i64(z, z, 6);
    tcg_gen_or_i64(flags, flags, z);
    set_cc(d, CC_OP_EFLAGS, NULL, flags, NULL);
}

/* ---- stack ---- */

X86_GEN(PUSH)
{
    gen_push_v(s, s->T0);
}

X86_GEN(POP)
{
    MemOp ot = gen_pop_size(s);

    gen_pop_T0(s);
    gen_pop_update(s, ot);
    /* the driver writes T0 to the register (POP rSP: the popped value) */
}

/* 8F /0: the address uses rSP after the pop; rSP changes only after the
 * store succeeded */
X86_GEN(POP_Ev)
{
    MemOp ot = gen_pop_size(s);

    if (d->op[0].type != X86_OPND_MEM) {
        gen_pop_T0(s);
        gen_pop_update(s, ot);
        gen_store_op(s, d, 0, s->T0);
        return;
    }
    gen_pop_T0(s);
    if (d->mem.base == R_ESP) {
        TCGv ea = new_tmp();

        gen_ea_offset(s, d, ea);
        tcg_gen_addi_i64(ea, ea, 1 << ot);
        gen_lea_v_seg(s, d->mem.aflag, ea, d->mem.seg, -1);
        if (s->flags & HF_SEGCHK) {
            gen_ext_tl(s->tmp0, ea, d->mem.aflag, false);
        }
    } else {
        gen_lea_modrm(s, d);
    }
    d->op[0].ot = ot;
    gen_store_op(s, d, 0, s->T0);
    gen_pop_update(s, ot);
}

X86_GEN(PUSHA)
{
    MemOp ot = s->dflag;
    MemOp a_ot = mo_stacksize(s);
    TCGv esp = new_tmp(), v = new_tmp();

    for (int i = 0; i < 8; i++) {
        tcg_gen_subi_i64(esp, cpu_regs[R_ESP], (i + 1) << ot);
        gen_lea_v_seg(s, a_ot, esp, R_SS, -1);
        gen_op_mov_v_reg(s, ot, v, i);
        gen_op_st_v(s, ot, v, s->A0);
    }
    tcg_gen_subi_i64(esp, cpu_regs[R_ESP], 8 << ot);
    gen_op_mov_reg_v(s, a_ot, R_ESP, esp);
}

X86_GEN(POPA)
{
    MemOp ot = s->dflag;
    MemOp a_ot = mo_stacksize(s);
    TCGv esp = new_tmp(), v[8];

    for (int i = 0; i < 8; i++) {
        v[i] = new_tmp();
        if (i == 3) {
            continue;                   /* the saved rSP is skipped */
        }
        tcg_gen_addi_i64(esp, cpu_regs[R_ESP], i << ot);
        gen_lea_v_seg(s, a_ot, esp, R_SS, -1);
        gen_op_ld_v(s, ot, v[i], s->A0);
    }
    for (int i = 0; i < 8; i++) {
        if (i != 3) {
            gen_op_mov_reg_v(s, ot, 7 - i, v[i]);
        }
    }
    gen_op_add_reg_im(s, a_ot, R_ESP, 8 << ot);
}

/* ENTER Iw,Ib (SDM Vol. 2 "ENTER": nesting level mod 32) */
X86_GEN(ENTER)
{
    MemOp ot = mo_pushpop(s, s->dflag);
    MemOp a_ot = mo_stacksize(s);
    int size = 1 << ot;
    int level = d->op[1].imm & 31;
    uint16_t esp_add = d->op[0].imm & 0xffff;
    TCGv frame = new_tmp(), t = new_tmp(), v = new_tmp();

    /* push rBP */
    tcg_gen_subi_i64(frame, cpu_regs[R_ESP], size);
    gen_lea_v_seg(s, a_ot, frame, R_SS, -1);
    gen_op_st_v(s, ot, cpu_regs[R_EBP], s->A0);
    gen_ext_tl(frame, frame, a_ot, false);
    if (level) {
        for (int i = 1; i < level; i++) {
            tcg_gen_subi_i64(t, cpu_regs[R_EBP], size * i);
            gen_lea_v_seg(s, a_ot, t, R_SS, -1);
            gen_op_ld_v(s, ot, v, s->A0);
            tcg_gen_subi_i64(t, frame, size * i);
            gen_lea_v_seg(s, a_ot, t, R_SS, -1);
            gen_op_st_v(s, ot, v, s->A0);
        }
        tcg_gen_subi_i64(t, frame, size * level);
        gen_lea_v_seg(s, a_ot, t, R_SS, -1);
        gen_op_st_v(s, ot, frame, s->A0);
    }
    gen_op_mov_reg_v(s, ot, R_EBP, frame);
    tcg_gen_subi_i64(t, frame, esp_add + size * level);
    gen_op_mov_reg_v(s, a_ot, R_ESP, t);
}

X86_GEN(LEAVE)
{
    MemOp ot = mo_pushpop(s, s->dflag);
    MemOp a_ot = mo_stacksize(s);
    TCGv v = new_tmp(), esp = new_tmp();

    gen_lea_v_seg(s, a_ot, cpu_regs[R_EBP], R_SS, -1);
    gen_op_ld_v(s, ot, v, s->A0);
    tcg_gen_addi_i64(esp, cpu_regs[R_EBP], 1 << ot);
    gen_op_mov_reg_v(s, a_ot, R_ESP, esp);
    gen_op_mov_reg_v(s, ot, R_EBP, v);
}

/* ---- conversions ---- */

X86_GEN(CBW)
{
    TCGv t = new_tmp();

    tcg_gen_ext8s_i64(t, cpu_regs[R_EAX]);
    gen_op_mov_reg_v(s, MO_16, R_EAX, t);
}

X86_GEN(CWDE)
{
    TCGv t = new_tmp();

    tcg_gen_ext16s_i64(t, cpu_regs[R_EAX]);
    gen_op_mov_reg_v(s, MO_32, R_EAX, t);
}

X86_GEN(CDQE)
{
    tcg_gen_ext32s_i64(cpu_regs[R_EAX], cpu_regs[R_EAX]);
}

X86_GEN(CWD)
{
    TCGv t = new_tmp();

    tcg_gen_ext16s_i64(t, cpu_regs[R_EAX]);
    tcg_gen_sari_i64(t, t, 15);
    gen_op_mov_reg_v(s, MO_16, R_EDX, t);
}

X86_GEN(CDQ)
{
    TCGv t = new_tmp();

    tcg_gen_ext32s_i64(t, cpu_regs[R_EAX]);
    tcg_gen_sari_i64(t, t, 31);
    gen_op_mov_reg_v(s, MO_32, R_EDX, t);
}

X86_GEN(CQO)
{
    tcg_gen_sari_i64(cpu_regs[R_EDX], cpu_regs[R_EAX], 63);
}

/* ---- flags ---- */

static void gen_flags_op(DisasContext *s, X86DecodedInsn *d, uint64_t clear,
                         uint64_t set, uint64_t toggle)
{
    TCGv f = new_tmp();

    gen_compute_eflags(s);
    tcg_gen_andi_i64(f, cpu_cc_src, ~clear);
    tcg_gen_ori_i64(f, f, set);
    tcg_gen_xori_i64(f, f, toggle);
    set_cc(d, CC_OP_EFLAGS, NULL, f, NULL);
}

X86_GEN(CLC) { gen_flags_op(s, d, CC_C, 0, 0); }
X86_GEN(STC) { gen_flags_op(s, d, 0, CC_C, 0); }
X86_GEN(CMC) { gen_flags_op(s, d, 0, 0, CC_C); }

static void gen_set_df(DisasContext *s, bool set)
{
    TCGv t = new_tmp();
    TCGv_i32 df = tcg_constant_i32(set ? -1 : 1);

    tcg_gen_ld_i64(t, tcg_env, offsetof(CPUX86State, rflags));
    if (set) {
        tcg_gen_ori_i64(t, t, RFLAGS_DF);
    } else {
        tcg_gen_andi_i64(t, t, ~(uint64_t)RFLAGS_DF);
    }
    tcg_gen_st_i64(t, tcg_env, offsetof(CPUX86State, rflags));
    tcg_gen_st_i32(df, tcg_env, offsetof(CPUX86State, df));
}

X86_GEN(CLD) { gen_set_df(s, false); }
X86_GEN(STD) { gen_set_df(s, true); }

X86_GEN(SAHF)
{
    const uint64_t m = CC_S | CC_Z | CC_A | CC_P | CC_C;
    TCGv f = new_tmp(), ah = new_tmp();

    if (s->code64 && !x86_feature_check(s, X86_FEAT_LAHF_LM)) {
        gen_illegal_opcode(s);
        return;
    }
    gen_compute_eflags(s);
    tcg_gen_extract_i64(ah, cpu_regs[R_EAX], 8, 8);
    tcg_gen_andi_i64(ah, ah, m);
    tcg_gen_andi_i64(f, cpu_cc_src, ~m);
    tcg_gen_or_i64(f, f, ah);
    set_cc(d, CC_OP_EFLAGS, NULL, f, NULL);
}

X86_GEN(LAHF)
{
    TCGv f = new_tmp();

    if (s->code64 && !x86_feature_check(s, X86_FEAT_LAHF_LM)) {
        gen_illegal_opcode(s);
        return;
    }
    gen_compute_eflags(s);
    tcg_gen_andi_i64(f, cpu_cc_src, 0xd5);
    tcg_gen_ori_i64(f, f, 0x02);
    tcg_gen_deposit_i64(cpu_regs[R_EAX], cpu_regs[R_EAX], f, 8, 8);
}

X86_GEN(SALC)
{
    TCGv c = gen_compute_eflags_c(s, new_tmp());

    tcg_gen_neg_i64(c, c);
    gen_op_mov_reg_v(s, MO_8, R_EAX, c);
}

/* ---- BCD (helpers read and write AL/AH and the flags) ---- */

static void gen_bcd(DisasContext *s, void (*h)(TCGv_ptr))
{
    gen_compute_eflags(s);
    h(tcg_env);
}

X86_GEN(DAA) { gen_bcd(s, gen_helper_daa); }
X86_GEN(DAS) { gen_bcd(s, gen_helper_das); }
X86_GEN(AAA) { gen_bcd(s, gen_helper_aaa); }
X86_GEN(AAS) { gen_bcd(s, gen_helper_aas); }

X86_GEN(AAM)
{
    int base = d->op[0].imm & 0xff;

    if (base == 0) {
        gen_exception(s, EXCP00_DIVZ);
        return;
    }
    gen_helper_aam(tcg_env, tcg_constant_i32(base));
    set_cc_op(s, CC_OP_LOGICB);
}

X86_GEN(AAD)
{
    gen_helper_aad(tcg_env, tcg_constant_i32(d->op[0].imm & 0xff));
    set_cc_op(s, CC_OP_LOGICB);
}

X86_GEN(XLAT)
{
    TCGv ea = new_tmp();

    tcg_gen_ext8u_i64(ea, cpu_regs[R_EAX]);
    tcg_gen_add_i64(ea, ea, cpu_regs[R_EBX]);
    gen_lea_v_seg(s, s->aflag, ea, R_DS, s->override);
    gen_op_ld_v(s, MO_8, s->T0, s->A0);
    gen_op_mov_reg_v(s, MO_8, R_EAX, s->T0);
}

/* BOUND Gv,Ma: #BR unless lower <= index <= upper (signed) */
X86_GEN(BOUND)
{
    TCGv_i32 ot = tcg_constant_i32(ot0(d));

    gen_update_cc_op(s);
    gen_update_eip_cur(s);
    gen_load_op(s, d, 0, s->T0);
    gen_helper_bound(tcg_env, s->A0, s->T0, ot);
}

/* ARPL Ew,Gw (protected mode only) */
X86_GEN(ARPL)
{
    TCGv dst_rpl = new_tmp(), src_rpl = new_tmp(), z = new_tmp();
    TCGv flags = new_tmp(), nv = new_tmp();

    if (!s->pe || s->vm86) {
        gen_illegal_opcode(s);
        return;
    }
    tcg_gen_andi_i64(dst_rpl, s->T0, 3);
    tcg_gen_andi_i64(src_rpl, s->T1, 3);
    tcg_gen_setcond_i64(TCG_COND_LTU, z, dst_rpl, src_rpl);
    tcg_gen_andi_i64(nv, s->T0, ~3ull);
    tcg_gen_or_i64(nv, nv, src_rpl);
    tcg_gen_movcond_i64(TCG_COND_NE, s->T0, z, tcg_constant_i64(0), nv,
                        s->T0);
    gen_compute_eflags(s);
    tcg_gen_andi_i64(flags, cpu_cc_src, ~(uint64_t)CC_Z);
    tcg_gen_shli_i64(z, z, 6);
    tcg_gen_or_i64(flags, flags, z);
    set_cc(d, CC_OP_EFLAGS, NULL, flags, NULL);
}

/* ---- conditional ---- */

X86_GEN(SETcc)
{
    gen_setcc(s, d->b & 15, s->T0);
}

X86_GEN(CMOVcc)
{
    CCPrepare cc = gen_prepare_cc(s, d->b & 15, NULL);

    if (cc.cond == TCG_COND_ALWAYS) {
        tcg_gen_mov_i64(s->T0, s->T1);
    } else if (cc.cond != TCG_COND_NEVER) {
        if (cc.use_reg2) {
            tcg_gen_movcond_i64(cc.cond, s->T0, cc.reg, cc.reg2, s->T1,
                                s->T0);
        } else {
            tcg_gen_movcond_i64(cc.cond, s->T0, cc.reg,
                                tcg_constant_i64(cc.imm), s->T1, s->T0);
        }
    }
}

/* ---- near control flow ---- */

X86_GEN(Jcc)
{
    TCGLabel *taken = gen_new_label();

    gen_update_cc_op(s);
    gen_jcc(s, d->b & 15, taken);
    gen_jmp_rel(s, d->ot, 0, 1);
    gen_set_label(taken);
    gen_jmp_rel(s, d->ot, d->op[0].imm, 0);
}

X86_GEN(JMP)
{
    gen_jmp_rel(s, d->ot, d->op[0].imm, 0);
}

X86_GEN(CALL)
{
    TCGv ret = new_tmp();

    tcg_gen_movi_i64(ret, eip_next(s));
    gen_push_v(s, ret);
    gen_jmp_rel(s, d->ot, d->op[0].imm, 0);
}

static void gen_jmp_abs(DisasContext *s, MemOp ot, TCGv dest)
{
    gen_ext_tl(dest, dest, ot, false);
    gen_jmp_to(s, dest);
}

X86_GEN(JMP_Ev)
{
    gen_jmp_abs(s, d->ot, s->T0);
}

X86_GEN(CALL_Ev)
{
    TCGv ret = new_tmp(), dest = new_tmp();

    tcg_gen_mov_i64(dest, s->T0);
    tcg_gen_movi_i64(ret, eip_next(s));
    gen_push_v(s, ret);
    gen_jmp_abs(s, d->ot, dest);
}

X86_GEN(RET)
{
    MemOp ot = gen_pop_size(s);
    int extra = d->op[0].type == X86_OPND_IMM ? d->op[0].imm & 0xffff : 0;

    gen_pop_T0(s);
    gen_op_add_reg_im(s, mo_stacksize(s), R_ESP, (1 << ot) + extra);
    gen_jmp_abs(s, ot, s->T0);
}

/* LOOP/LOOPE/LOOPNE/JrCXZ: the count is rCX of the address size */
static void gen_loop(DisasContext *s, X86DecodedInsn *d, int kind)
{
    TCGLabel *taken = gen_new_label(), *not_taken = gen_new_label();
    TCGv cx = new_tmp();

    gen_update_cc_op(s);
    if (kind != 3) {
        gen_op_add_reg_im(s, s->aflag, R_ECX, -1);
    }
    gen_ext_tl(cx, cpu_regs[R_ECX], s->aflag, false);
    switch (kind) {
    case 0:                                     /* LOOPNE: ZF = 0 */
        tcg_gen_brcondi_i64(TCG_COND_EQ, cx, 0, not_taken);
        gen_jcc(s, 5, taken);
        break;
    case 1:                                     /* LOOPE: ZF = 1 */
        tcg_gen_brcondi_i64(TCG_COND_EQ, cx, 0, not_taken);
        gen_jcc(s, 4, taken);
        break;
    case 2:
        tcg_gen_brcondi_i64(TCG_COND_NE, cx, 0, taken);
        break;
    default:                                    /* JrCXZ */
        tcg_gen_brcondi_i64(TCG_COND_EQ, cx, 0, taken);
        break;
    }
    gen_set_label(not_taken);
    gen_jmp_rel(s, d->ot, 0, 1);
    gen_set_label(taken);
    gen_jmp_rel(s, d->ot, d->op[0].imm, 0);
}

X86_GEN(LOOPNE) { gen_loop(s, d, 0); }
X86_GEN(LOOPE)  { gen_loop(s, d, 1); }
X86_GEN(LOOP)   { gen_loop(s, d, 2); }
X86_GEN(JCXZ)   { gen_loop(s, d, 3); }

X86_GEN(NOP)
{
}

X86_GEN(NOP_Ev)
{
}

X86_GEN(PAUSE)
{
}

X86_GEN(UD)
{
    gen_illegal_opcode(s);
}

/* ---- MOVBE, CRC32, ADX, BMI ---- */

X86_GEN(MOVBE)
{
    MemOp ot = ot0(d);

    if (d->op[0].type == X86_OPND_MEM) {
        gen_load_op(s, d, 1, s->T1);
        tcg_gen_qemu_st_i64(s->T1, s->A0, s->mem_index, ot | MO_BE);
    } else {
        tcg_gen_qemu_ld_i64(s->T0, s->A0, s->mem_index, ot | MO_BE);
        gen_store_op(s, d, 0, s->T0);
    }
}

X86_GEN(CRC32)
{
    gen_helper_crc32(s->T0, s->T0, s->T1,
                     tcg_constant_i32(8 << d->op[1].ot));
}

/* ADCX: CF only; ADOX: OF only (SDM Vol. 2 "ADCX", "ADOX") */
static void gen_adcox(DisasContext *s, X86DecodedInsn *d, bool of)
{
    MemOp ot = ot0(d);
    TCGv cin = new_tmp(), flags = new_tmp(), cout = new_tmp();
    TCGv a = new_tmp(), b = new_tmp(), sum = new_tmp();

    gen_compute_eflags(s);
    tcg_gen_extract_i64(cin, cpu_cc_src, of ? 11 : 0, 1);
    gen_ext_tl(a, s->T0, ot, false);
    gen_ext_tl(b, s->T1, ot, false);
    if (ot == MO_64) {
        TCGv hi = new_tmp(), zero = tcg_constant_i64(0);

        tcg_gen_add2_i64(sum, hi, a, zero, b, zero);
        tcg_gen_add2_i64(sum, cout, sum, hi, cin, zero);
    } else {
        tcg_gen_add_i64(sum, a, b);
        tcg_gen_add_i64(sum, sum, cin);
        tcg_gen_shri_i64(cout, sum, 32);
    }
    tcg_gen_mov_i64(s->T0, sum);
    tcg_gen_andi_i64(flags, cpu_cc_src, ~(uint64_t)(of ? CC_O : CC_C));
    tcg_gen_shli_i64(cout, cout, of ? 11 : 0);
    tcg_gen_or_i64(flags, flags, cout);
    set_cc(d, CC_OP_EFLAGS, NULL, flags, NULL);
}

X86_GEN(ADCX) { gen_adcox(s, d, false); }
X86_GEN(ADOX) { gen_adcox(s, d, true); }

X86_GEN(ANDN)
{
    tcg_gen_andc_i64(s->T0, s->T2, s->T1);
    gen_ext_tl(s->T0, s->T0, ot0(d), false);
    set_cc(d, cc_sized(CC_OP_LOGICB, ot0(d)), s->T0, NULL, NULL);
}

/* BLSR/BLSMSK/BLSI By,Ey (op 0 = vvvv, op 1 = source) */
static void gen_blsx(DisasContext *s, X86DecodedInsn *d, int kind)
{
    MemOp ot = ot0(d);
    TCGv src = new_tmp(), t = new_tmp(), cfsrc = new_tmp();

    gen_ext_tl(src, s->T1, ot, false);
    tcg_gen_subi_i64(t, src, 1);
    switch (kind) {
    case 1:                                 /* BLSR: src & (src - 1) */
        tcg_gen_and_i64(s->T0, src, t);
        tcg_gen_mov_i64(cfsrc, src);        /* CF = src == 0 */
        break;
    case 2:                                 /* BLSMSK: src ^ (src - 1) */
        tcg_gen_xor_i64(s->T0, src, t);
        tcg_gen_mov_i64(cfsrc, src);
        break;
    default:                                /* BLSI: src & -src */
        tcg_gen_neg_i64(t, src);
        tcg_gen_and_i64(s->T0, src, t);
        /* CF = src != 0: BMILG's CF is "src == 0", so pass !src */
        tcg_gen_setcondi_i64(TCG_COND_EQ, cfsrc, src, 0);
        break;
    }
    gen_ext_tl(s->T0, s->T0, ot, false);
    set_cc(d, cc_sized(CC_OP_BMILGB, ot), s->T0, cfsrc, NULL);
}

X86_GEN(BLSR)   { gen_blsx(s, d, 1); }
X86_GEN(BLSMSK) { gen_blsx(s, d, 2); }
X86_GEN(BLSI)   { gen_blsx(s, d, 3); }

/* BZHI Gy,Ey,By: zero bits from index By[7:0]; CF = index > size - 1 */
X86_GEN(BZHI)
{
    MemOp ot = ot0(d);
    int bits = 8 << ot;
    TCGv idx = new_tmp(), mask = new_tmp(), cfsrc = new_tmp();

    tcg_gen_andi_i64(idx, s->T2, 0xff);
    tcg_gen_shl_i64(mask, tcg_constant_i64(-1),
                    idx);          /* undefined for idx >= 64: fixed below */
    tcg_gen_movcond_i64(TCG_COND_GEU, mask, idx, tcg_constant_i64(bits),
                        tcg_constant_i64(0), mask);
    tcg_gen_andc_i64(s->T0, s->T1, mask);
    gen_ext_tl(s->T0, s->T0, ot, false);
    tcg_gen_setcondi_i64(TCG_COND_LTU, cfsrc, idx, bits);  /* 0 -> CF=1 */
    set_cc(d, cc_sized(CC_OP_BMILGB, ot), s->T0, cfsrc, NULL);
}

/* BEXTR Gy,Ey,By: start By[7:0], length By[15:8] */
X86_GEN(BEXTR)
{
    MemOp ot = ot0(d);
    int bits = 8 << ot;
    TCGv start = new_tmp(), len = new_tmp(), v = new_tmp(), mask = new_tmp();

    tcg_gen_extract_i64(start, s->T2, 0, 8);
    tcg_gen_extract_i64(len, s->T2, 8, 8);
    gen_ext_tl(v, s->T1, ot, false);
    tcg_gen_shr_i64(v, v, start);
    tcg_gen_movcond_i64(TCG_COND_GEU, v, start, tcg_constant_i64(bits),
                        tcg_constant_i64(0), v);
    tcg_gen_shl_i64(mask, tcg_constant_i64(-1), len);
    tcg_gen_movcond_i64(TCG_COND_GEU, mask, len, tcg_constant_i64(64),
                        tcg_constant_i64(0), mask);
    tcg_gen_andc_i64(s->T0, v, mask);
    set_cc(d, cc_sized(CC_OP_LOGICB, ot), s->T0, NULL, NULL);
}

static void gen_shiftx(DisasContext *s, X86DecodedInsn *d, int kind)
{
    MemOp ot = ot0(d);
    TCGv c = new_tmp(), v = new_tmp();

    tcg_gen_andi_i64(c, s->T2, ot == MO_64 ? 63 : 31);
    gen_ext_tl(v, s->T1, ot, kind == 1);
    if (kind == 0) {
        tcg_gen_shl_i64(s->T0, v, c);
    } else if (kind == 1) {
        tcg_gen_sar_i64(s->T0, v, c);
    } else {
        tcg_gen_shr_i64(s->T0, v, c);
    }
}

X86_GEN(SHLX) { gen_shiftx(s, d, 0); }
X86_GEN(SARX) { gen_shiftx(s, d, 1); }
X86_GEN(SHRX) { gen_shiftx(s, d, 2); }

X86_GEN(RORX)
{
    int c = d->op[2].imm & (ot0(d) == MO_64 ? 63 : 31);

    if (ot0(d) == MO_64) {
        tcg_gen_rotri_i64(s->T0, s->T1, c);
    } else {
        TCGv_i32 w = tcg_temp_new_i32();

        tcg_gen_extrl_i64_i32(w, s->T1);
        tcg_gen_rotri_i32(w, w, c);
        tcg_gen_extu_i32_i64(s->T0, w);
    }
}

X86_GEN(PDEP)
{
    gen_helper_pdep(s->T0, s->T1, s->T2);
}

X86_GEN(PEXT)
{
    gen_helper_pext(s->T0, s->T1, s->T2);
}

/* MULX Gy,By,Ey: Gy:By = rDX * Ey (high to Gy, low to By) */
X86_GEN(MULX)
{
    MemOp ot = ot0(d);
    TCGv lo = new_tmp(), hi = new_tmp(), a = new_tmp(), b = new_tmp();

    gen_load_op(s, d, 2, b);
    if (ot == MO_64) {
        tcg_gen_mulu2_i64(lo, hi, cpu_regs[R_EDX], b);
    } else {
        tcg_gen_ext32u_i64(a, cpu_regs[R_EDX]);
        tcg_gen_ext32u_i64(b, b);
        tcg_gen_mul_i64(lo, a, b);
        tcg_gen_shri_i64(hi, lo, 32);
    }
    /* low first: if both name the same register, it gets the high half */
    gen_store_op(s, d, 1, lo);
    gen_store_op(s, d, 0, hi);
}
