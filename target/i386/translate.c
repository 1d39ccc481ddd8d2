/*
 * x86 translator core: the TB loop, the per-instruction driver (decode,
 * checks, operand fetch, gen_ function, write-back, flags), and the
 * services the gen_ functions share: registers, effective addresses and
 * segments, guest memory, the stack, lazy condition codes, branches and
 * the end of a TB.  See translate.h for the structure.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "target/i386/translate.h"

TCGv cpu_regs[CPU_NB_REGS];
TCGv cpu_cc_dst, cpu_cc_src, cpu_cc_src2;
TCGv_i32 cpu_cc_op;
TCGv cpu_seg_base[R_NB_SEGS];

void x86_tcg_initialize(void)
{
    static const char reg_names[CPU_NB_REGS][4] = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    };
    static const char seg_names[R_NB_SEGS][8] = {
        "es_base", "cs_base", "ss_base", "ds_base", "fs_base", "gs_base",
    };

    for (int i = 0; i < CPU_NB_REGS; i++) {
        cpu_regs[i] = tcg_global_mem_new_i64(tcg_env,
                                             offsetof(CPUX86State, regs[i]),
                                             reg_names[i]);
    }
    for (int i = 0; i < R_NB_SEGS; i++) {
        cpu_seg_base[i] = tcg_global_mem_new_i64(tcg_env,
            offsetof(CPUX86State, segs[i].base), seg_names[i]);
    }
    cpu_cc_dst = tcg_global_mem_new_i64(tcg_env,
                                        offsetof(CPUX86State, cc_dst), "cc_dst");
    cpu_cc_src = tcg_global_mem_new_i64(tcg_env,
                                        offsetof(CPUX86State, cc_src), "cc_src");
    cpu_cc_src2 = tcg_global_mem_new_i64(tcg_env,
                                         offsetof(CPUX86State, cc_src2),
                                         "cc_src2");
    cpu_cc_op = tcg_global_mem_new_i32(tcg_env,
                                       offsetof(CPUX86State, cc_op), "cc_op");
}

/* ---- instruction pointer ---- */

uint64_t eip_cur(DisasContext *s)
{
    uint64_t eip = s->pc_start - s->cs_base;

    return s->code64 ? eip : (uint32_t)eip;
}

uint64_t eip_next(DisasContext *s)
{
    uint64_t eip = s->pc - s->cs_base;

    return s->code64 ? eip : (uint32_t)eip;
}

static void gen_set_rip(uint64_t eip)
{
    tcg_gen_st_i64(tcg_constant_i64(eip), tcg_env,
                   offsetof(CPUX86State, rip));
}

void gen_update_eip_cur(DisasContext *s)
{
    gen_set_rip(eip_cur(s));
}

void gen_update_eip_next(DisasContext *s)
{
    gen_set_rip(eip_next(s));
}

/* ---- lazy condition codes ---- */

void gen_update_cc_op(DisasContext *s)
{
    if (s->cc_op_dirty) {
        tcg_gen_movi_i32(cpu_cc_op, s->cc_op);
        s->cc_op_dirty = false;
    }
}

void set_cc_op(DisasContext *s, int op)
{
    if (s->cc_op == op) {
        return;
    }
    s->cc_op = op;
    if (op == CC_OP_DYNAMIC) {
        s->cc_op_dirty = false;         /* the global is the truth */
    } else {
        s->cc_op_dirty = true;
    }
}

static MemOp cc_op_size(int op)
{
    return op >= CC_OP_ADDB ? (op - CC_OP_ADDB) & 3 : MO_64;
}

static int cc_op_kind(int op)
{
    return op >= CC_OP_ADDB ? CC_OP_ADDB + ((op - CC_OP_ADDB) & ~3) : op;
}

void set_cc(X86DecodedInsn *d, int op, TCGv dst, TCGv src, TCGv src2)
{
    d->cc_op = op;
    d->cc_dst = dst;
    d->cc_src = src;
    d->cc_src2 = src2;
}

void gen_commit_cc(DisasContext *s, X86DecodedInsn *d)
{
    if (d->cc_op < 0) {
        return;
    }
    if (d->cc_count) {
        /* shifts by a variable count: a zero count keeps the flags */
        TCGv zero = tcg_constant_i64(0);
        TCGv_i32 oldop = tcg_temp_new_i32(), newop;

        if (s->cc_op == CC_OP_DYNAMIC) {
            tcg_gen_mov_i32(oldop, cpu_cc_op);
        } else {
            tcg_gen_movi_i32(oldop, s->cc_op);
        }
        if (d->cc_dst) {
            tcg_gen_movcond_i64(TCG_COND_NE, cpu_cc_dst, d->cc_count, zero,
                                d->cc_dst, cpu_cc_dst);
        }
        if (d->cc_src) {
            tcg_gen_movcond_i64(TCG_COND_NE, cpu_cc_src, d->cc_count, zero,
                                d->cc_src, cpu_cc_src);
        }
        if (d->cc_src2) {
            tcg_gen_movcond_i64(TCG_COND_NE, cpu_cc_src2, d->cc_count, zero,
                                d->cc_src2, cpu_cc_src2);
        }
        newop = tcg_constant_i32(d->cc_op);
        {
            TCGv_i32 c32 = tcg_temp_new_i32();

            tcg_gen_extrl_i64_i32(c32, d->cc_count);
            tcg_gen_movcond_i32(TCG_COND_NE, cpu_cc_op, c32,
                                tcg_constant_i32(0), newop, oldop);
        }
        s->cc_op = CC_OP_DYNAMIC;
        s->cc_op_dirty = false;
        d->cc_op = -1;
        d->cc_count = NULL;
        return;
    }
    if (d->cc_dst) {
        tcg_gen_mov_i64(cpu_cc_dst, d->cc_dst);
    }
    if (d->cc_src) {
        tcg_gen_mov_i64(cpu_cc_src, d->cc_src);
    }
    if (d->cc_src2) {
        tcg_gen_mov_i64(cpu_cc_src2, d->cc_src2);
    }
    set_cc_op(s, d->cc_op);
    d->cc_op = -1;
}

static TCGv cc_op_tcg(DisasContext *s)
{
    TCGv_i32 op = tcg_temp_new_i32();

    if (s->cc_op == CC_OP_DYNAMIC) {
        tcg_gen_mov_i32(op, cpu_cc_op);
    } else {
        tcg_gen_movi_i32(op, s->cc_op);
    }
    return (TCGv)op;
}

/* all flags into cc_src (CC_OP_EFLAGS) */
void gen_compute_eflags(DisasContext *s)
{
    if (s->cc_op == CC_OP_EFLAGS) {
        return;
    }
    if (s->cc_op == CC_OP_CLR) {
        tcg_gen_movi_i64(cpu_cc_src, CC_Z | CC_P);
    } else {
        TCGv_i32 op = tcg_temp_new_i32();

        if (s->cc_op == CC_OP_DYNAMIC) {
            tcg_gen_mov_i32(op, cpu_cc_op);
        } else {
            tcg_gen_movi_i32(op, s->cc_op);
        }
        gen_helper_cc_compute_all(cpu_cc_src, cpu_cc_dst, cpu_cc_src,
                                  cpu_cc_src2, op);
    }
    set_cc_op(s, CC_OP_EFLAGS);
}

TCGv gen_ext_tl(TCGv dst, TCGv src, MemOp size, bool sign)
{
    switch (size) {
    case MO_8:
        sign ? tcg_gen_ext8s_i64(dst, src) : tcg_gen_ext8u_i64(dst, src);
        return dst;
    case MO_16:
        sign ? tcg_gen_ext16s_i64(dst, src) : tcg_gen_ext16u_i64(dst, src);
        return dst;
    case MO_32:
        sign ? tcg_gen_ext32s_i64(dst, src) : tcg_gen_ext32u_i64(dst, src);
        return dst;
    default:
        tcg_gen_mov_i64(dst, src);
        return dst;
    }
}

/* CF as 0/1 into reg */
TCGv gen_compute_eflags_c(DisasContext *s, TCGv reg)
{
    int kind = cc_op_kind(s->cc_op);
    MemOp size = cc_op_size(s->cc_op);
    TCGv t = tcg_temp_new_i64();

    if (s->cc_op == CC_OP_DYNAMIC || s->cc_op < CC_OP_ADDB) {
        switch (s->cc_op) {
        case CC_OP_EFLAGS:
        case CC_OP_ADCX:
        case CC_OP_ADCOX:
            if (s->cc_op == CC_OP_EFLAGS) {
                tcg_gen_andi_i64(reg, cpu_cc_src, CC_C);
            } else {
                tcg_gen_mov_i64(reg, cpu_cc_dst);
            }
            return reg;
        case CC_OP_CLR:
        case CC_OP_POPCNT:
            tcg_gen_movi_i64(reg, 0);
            return reg;
        default:
            break;
        }
        gen_helper_cc_compute_c(reg, cpu_cc_dst, cpu_cc_src, cpu_cc_src2,
                                (TCGv_i32)cc_op_tcg(s));
        return reg;
    }
    switch (kind) {
    case CC_OP_ADDB:
        gen_ext_tl(t, cpu_cc_dst, size, false);
        gen_ext_tl(reg, cpu_cc_src, size, false);
        tcg_gen_setcond_i64(TCG_COND_LTU, reg, t, reg);
        return reg;
    case CC_OP_SUBB:
        tcg_gen_add_i64(t, cpu_cc_dst, cpu_cc_src);
        gen_ext_tl(t, t, size, false);
        gen_ext_tl(reg, cpu_cc_src, size, false);
        tcg_gen_setcond_i64(TCG_COND_LTU, reg, t, reg);
        return reg;
    case CC_OP_LOGICB:
        tcg_gen_movi_i64(reg, 0);
        return reg;
    case CC_OP_INCB:
    case CC_OP_DECB:
        tcg_gen_mov_i64(reg, cpu_cc_src);
        return reg;
    case CC_OP_SHLB:
        tcg_gen_extract_i64(reg, cpu_cc_src, (8 << size) - 1, 1);
        return reg;
    case CC_OP_SARB:
        tcg_gen_andi_i64(reg, cpu_cc_src, 1);
        return reg;
    case CC_OP_MULB:
        tcg_gen_setcondi_i64(TCG_COND_NE, reg, cpu_cc_src, 0);
        return reg;
    case CC_OP_BMILGB:
        gen_ext_tl(t, cpu_cc_src, size, false);
        tcg_gen_setcondi_i64(TCG_COND_EQ, reg, t, 0);
        return reg;
    default:
        gen_helper_cc_compute_c(reg, cpu_cc_dst, cpu_cc_src, cpu_cc_src2,
                                (TCGv_i32)cc_op_tcg(s));
        return reg;
    }
}

static CCPrepare cc_eflags_test(uint64_t mask)
{
    return (CCPrepare) { .cond = TCG_COND_TSTNE, .reg = cpu_cc_src,
                         .imm = mask };
}

/*
 * The condition of Jcc/SETcc/CMOVcc b (SDM Vol. 1 Appendix B) as a TCG
 * comparison, straight from the operands of the last flag-setting insn
 * where that is cheap.
 */
CCPrepare gen_prepare_cc(DisasContext *s, int b, TCGv scratch)
{
    int jcc = (b >> 1) & 7, kind = cc_op_kind(s->cc_op);
    MemOp size = cc_op_size(s->cc_op);
    bool inv = b & 1;
    CCPrepare cc = { .cond = TCG_COND_NEVER };
    TCGv t0, t1;

    if (s->cc_op >= CC_OP_ADDB) {
        switch (kind) {
        case CC_OP_SUBB:
            if (jcc == 1 || jcc == 3 || jcc == 6 || jcc == 7) {
                bool sign = jcc >= 6;
                t0 = tcg_temp_new_i64();
                t1 = tcg_temp_new_i64();
                tcg_gen_add_i64(t0, cpu_cc_dst, cpu_cc_src);
                gen_ext_tl(t0, t0, size, sign);
                gen_ext_tl(t1, cpu_cc_src, size, sign);
                cc.reg = t0;
                cc.reg2 = t1;
                cc.use_reg2 = true;
                cc.cond = jcc == 1 ? TCG_COND_LTU : jcc == 3 ? TCG_COND_LEU :
                          jcc == 6 ? TCG_COND_LT : TCG_COND_LE;
                goto done;
            }
            break;
        case CC_OP_LOGICB:
            if (jcc == 0 || jcc == 1) {          /* OF, CF: always 0 */
                cc.cond = TCG_COND_NEVER;
                goto done;
            }
            if (jcc == 3) {
                jcc = 2;                         /* BE = Z */
            } else if (jcc == 6) {
                jcc = 4;                         /* L = S */
            } else if (jcc == 7) {
                t0 = tcg_temp_new_i64();
                gen_ext_tl(t0, cpu_cc_dst, size, true);
                cc = (CCPrepare) { .cond = TCG_COND_LE, .reg = t0, .imm = 0 };
                goto done;
            }
            break;
        case CC_OP_ADDB:
            if (jcc == 1) {
                t0 = tcg_temp_new_i64();
                t1 = tcg_temp_new_i64();
                gen_ext_tl(t0, cpu_cc_dst, size, false);
                gen_ext_tl(t1, cpu_cc_src, size, false);
                cc = (CCPrepare) { .cond = TCG_COND_LTU, .reg = t0,
                                   .reg2 = t1, .use_reg2 = true };
                goto done;
            }
            break;
        default:
            break;
        }
        /* Z and S come from cc_dst for every sized op but POPCNT-like */
        if (jcc == 2 || jcc == 4) {
            t0 = tcg_temp_new_i64();
            if (jcc == 2) {
                gen_ext_tl(t0, cpu_cc_dst, size, false);
                cc = (CCPrepare) { .cond = TCG_COND_EQ, .reg = t0, .imm = 0 };
            } else {
                gen_ext_tl(t0, cpu_cc_dst, size, true);
                cc = (CCPrepare) { .cond = TCG_COND_LT, .reg = t0, .imm = 0 };
            }
            goto done;
        }
    } else if (s->cc_op == CC_OP_CLR) {
        /* Z and P set, nothing else */
        cc.cond = (jcc == 2 || jcc == 3 || jcc == 5 || jcc == 7) ?
                  TCG_COND_ALWAYS : TCG_COND_NEVER;
        goto done;
    }

    gen_compute_eflags(s);
    switch (jcc) {
    case 0:
        cc = cc_eflags_test(CC_O);
        break;
    case 1:
        cc = cc_eflags_test(CC_C);
        break;
    case 2:
        cc = cc_eflags_test(CC_Z);
        break;
    case 3:
        cc = cc_eflags_test(CC_Z | CC_C);
        break;
    case 4:
        cc = cc_eflags_test(CC_S);
        break;
    case 5:
        cc = cc_eflags_test(CC_P);
        break;
    case 6:                             /* SF != OF */
    case 7:
        t0 = scratch ? scratch : tcg_temp_new_i64();
        tcg_gen_shli_i64(t0, cpu_cc_src, 4);    /* SF (7) onto OF (11) */
        tcg_gen_xor_i64(t0, t0, cpu_cc_src);
        if (jcc == 7) {
            t1 = tcg_temp_new_i64();
            tcg_gen_andi_i64(t0, t0, CC_O);
            tcg_gen_andi_i64(t1, cpu_cc_src, CC_Z);
            tcg_gen_or_i64(t0, t0, t1);
            cc = (CCPrepare) { .cond = TCG_COND_NE, .reg = t0, .imm = 0 };
        } else {
            cc = (CCPrepare) { .cond = TCG_COND_TSTNE, .reg = t0,
                               .imm = CC_O };
        }
        break;
    }
done:
    if (inv) {
        cc.cond = tcg_invert_cond(cc.cond);
    }
    return cc;
}

void gen_setcc(DisasContext *s, int b, TCGv dest)
{
    CCPrepare cc = gen_prepare_cc(s, b, NULL);

    if (cc.use_reg2) {
        tcg_gen_setcond_i64(cc.cond, dest, cc.reg, cc.reg2);
    } else if (cc.cond == TCG_COND_ALWAYS || cc.cond == TCG_COND_NEVER) {
        tcg_gen_movi_i64(dest, cc.cond == TCG_COND_ALWAYS);
    } else {
        tcg_gen_setcondi_i64(cc.cond, dest, cc.reg, cc.imm);
    }
}

void gen_jcc(DisasContext *s, int b, TCGLabel *l)
{
    CCPrepare cc = gen_prepare_cc(s, b, NULL);

    if (cc.cond == TCG_COND_NEVER) {
        return;
    }
    if (cc.cond == TCG_COND_ALWAYS) {
        tcg_gen_br(l);
    } else if (cc.use_reg2) {
        tcg_gen_brcond_i64(cc.cond, cc.reg, cc.reg2, l);
    } else {
        tcg_gen_brcondi_i64(cc.cond, cc.reg, cc.imm, l);
    }
}

/* ---- exceptions ---- */

void gen_exception(DisasContext *s, int vector)
{
    gen_update_cc_op(s);
    gen_update_eip_cur(s);
    gen_helper_raise_exception(tcg_env, tcg_constant_i32(vector));
    s->base.is_jmp = DISAS_NORETURN;
}

void gen_exception_err(DisasContext *s, int vector, uint32_t err)
{
    gen_update_cc_op(s);
    gen_update_eip_cur(s);
    gen_helper_raise_exception_err(tcg_env, tcg_constant_i32(vector),
                                   tcg_constant_i32(err));
    s->base.is_jmp = DISAS_NORETURN;
}

void gen_illegal_opcode(DisasContext *s)
{
    gen_exception(s, EXCP06_ILLOP);
}

bool check_cpl0(DisasContext *s)
{
    if (s->cpl == 0) {
        return true;
    }
    gen_exception_err(s, EXCP0D_GPF, 0);
    return false;
}

/* CLI/STI/IN/OUT... in protected mode need CPL <= IOPL */
bool check_iopl(DisasContext *s)
{
    if (!s->pe || (!s->vm86 && s->cpl <= s->iopl)) {
        return true;
    }
    if (s->vm86 && s->iopl == 3) {
        return true;
    }
    gen_exception_err(s, EXCP0D_GPF, 0);
    return false;
}

/* PUSHF/POPF/INT n/IRET in virtual-8086 mode need IOPL 3 (no VME) */
bool check_vm86_iopl(DisasContext *s)
{
    if (!s->vm86 || s->iopl == 3) {
        return true;
    }
    gen_exception_err(s, EXCP0D_GPF, 0);
    return false;
}

/* ---- registers ---- */

/* reg 4-7 of a byte op without REX are AH, CH, DH, BH */
bool byte_reg_is_xH(DisasContext *s, int reg)
{
    return reg >= 4 && reg < 8 && !(s->prefix & PREFIX_REX);
}

void gen_op_mov_reg_v(DisasContext *s, MemOp ot, int reg, TCGv t0)
{
    switch (ot) {
    case MO_8:
        if (byte_reg_is_xH(s, reg)) {
            tcg_gen_deposit_i64(cpu_regs[reg - 4], cpu_regs[reg - 4], t0,
                                8, 8);
        } else {
            tcg_gen_deposit_i64(cpu_regs[reg], cpu_regs[reg], t0, 0, 8);
        }
        break;
    case MO_16:
        tcg_gen_deposit_i64(cpu_regs[reg], cpu_regs[reg], t0, 0, 16);
        break;
    case MO_32:
        tcg_gen_ext32u_i64(cpu_regs[reg], t0);     /* zero-extends */
        break;
    default:
        tcg_gen_mov_i64(cpu_regs[reg], t0);
        break;
    }
}

void gen_op_mov_v_reg(DisasContext *s, MemOp ot, TCGv t0, int reg)
{
    if (ot == MO_8 && byte_reg_is_xH(s, reg)) {
        tcg_gen_extract_i64(t0, cpu_regs[reg - 4], 8, 8);
    } else {
        gen_ext_tl(t0, cpu_regs[reg], ot, false);
        if (ot == MO_64) {
            tcg_gen_mov_i64(t0, cpu_regs[reg]);
        }
    }
}

void gen_op_add_reg_im(DisasContext *s, MemOp size, int reg, int32_t val)
{
    TCGv t = tcg_temp_new_i64();

    tcg_gen_addi_i64(t, cpu_regs[reg], val);
    gen_op_mov_reg_v(s, size, reg, t);
}

void gen_op_add_reg(DisasContext *s, MemOp size, int reg, TCGv val)
{
    TCGv t = tcg_temp_new_i64();

    tcg_gen_add_i64(t, cpu_regs[reg], val);
    gen_op_mov_reg_v(s, size, reg, t);
}

/* ---- addresses ---- */

/*
 * a0 (an offset of address size aflag) -> linear address: plus the base
 * of segment ovr_seg (if >= 0) else def_seg (if >= 0), where the mode
 * needs it (SDM Vol. 3A 3.4.4: in 64-bit mode only FS and GS have one).
 */
void gen_lea_v_seg(DisasContext *s, MemOp aflag, TCGv a0, int def_seg,
                   int ovr_seg)
{
    int seg = ovr_seg >= 0 ? ovr_seg : def_seg;

    switch (aflag) {
    case MO_64:
        if (seg == R_FS || seg == R_GS) {
            tcg_gen_add_i64(s->A0, a0, cpu_seg_base[seg]);
        } else {
            tcg_gen_mov_i64(s->A0, a0);
        }
        return;
    case MO_32:
        tcg_gen_ext32u_i64(s->A0, a0);
        break;
    default:
        tcg_gen_ext16u_i64(s->A0, a0);
        break;
    }
    if (seg < 0) {
        return;
    }
    if (s->code64) {
        if (seg == R_FS || seg == R_GS) {
            tcg_gen_add_i64(s->A0, s->A0, cpu_seg_base[seg]);
        }
        return;
    }
    if (s->addseg || seg == R_FS || seg == R_GS || seg == R_CS ||
        aflag == MO_16) {
        tcg_gen_add_i64(s->A0, s->A0, cpu_seg_base[seg]);
        tcg_gen_ext32u_i64(s->A0, s->A0);
    }
}

static void gen_ea(DisasContext *s, X86DecodedInsn *d, TCGv ea)
{
    X86DecodedAddr *a = &d->mem;

    if (a->base == -2) {                        /* RIP-relative */
        uint64_t v = eip_next(s) + a->disp;

        tcg_gen_movi_i64(ea, a->aflag == MO_32 ? (uint32_t)v : v);
        return;
    }
    tcg_gen_movi_i64(ea, a->disp);
    if (a->base >= 0) {
        tcg_gen_add_i64(ea, ea, cpu_regs[a->base]);
    }
    if (a->index >= 0) {
        TCGv t = tcg_temp_new_i64();

        tcg_gen_shli_i64(t, cpu_regs[a->index], a->scale);
        tcg_gen_add_i64(ea, ea, t);
    }
}

/* the effective address (offset in the segment) of d's memory operand */
void gen_lea_modrm(DisasContext *s, X86DecodedInsn *d)
{
    TCGv ea = tcg_temp_new_i64();

    gen_ea(s, d, ea);
    gen_lea_v_seg(s, d->mem.aflag, ea, d->mem.seg, -1);
    if (s->flags & HF_SEGCHK) {
        /* the offset, for the limit check of each access */
        gen_ext_tl(s->tmp0, ea, d->mem.aflag, false);
    }
}

void gen_add_A0_im(DisasContext *s, int val)
{
    tcg_gen_addi_i64(s->A0, s->A0, val);
    if (!s->code64) {
        tcg_gen_ext32u_i64(s->A0, s->A0);
    }
}

/* ---- guest memory ---- */

void gen_op_ld_v(DisasContext *s, MemOp ot, TCGv t0, TCGv a0)
{
    tcg_gen_qemu_ld_i64(t0, a0, s->mem_index, ot | MO_LE);
}

void gen_op_st_v(DisasContext *s, MemOp ot, TCGv t0, TCGv a0)
{
    tcg_gen_qemu_st_i64(t0, a0, s->mem_index, ot | MO_LE);
}

/*
 * Segment limit and type check (SDM Vol. 3A 5.3, 5.4) of an access of
 * size ot at offset ea, in protected mode when some segment is not flat.
 */
void gen_seg_check(DisasContext *s, int seg, TCGv ea, MemOp ot, bool write)
{
    if (s->flags & HF_SEGCHK) {
        gen_helper_seg_check(tcg_env, tcg_constant_i32(seg), ea,
                             tcg_constant_i32((1 << (ot & MO_SIZE)) |
                                              (write ? 0x100 : 0)));
    }
}

/* ---- operands ---- */

void gen_load_op(DisasContext *s, X86DecodedInsn *d, int i, TCGv v)
{
    X86Operand *o = &d->op[i];

    switch (o->type) {
    case X86_OPND_REG:
        if (o->high8) {
            tcg_gen_extract_i64(v, cpu_regs[o->n], 8, 8);
        } else if (o->ot == MO_64) {
            tcg_gen_mov_i64(v, cpu_regs[o->n]);
        } else {
            gen_ext_tl(v, cpu_regs[o->n], o->ot, false);
        }
        break;
    case X86_OPND_MEM:
        if (s->flags & HF_SEGCHK) {
            gen_seg_check(s, d->mem.seg, s->tmp0, o->ot, false);
        }
        gen_op_ld_v(s, o->ot, v, s->A0);
        break;
    case X86_OPND_IMM:
        tcg_gen_movi_i64(v, o->imm);
        break;
    case X86_OPND_SEG:
        tcg_gen_ld32u_i64(v, tcg_env,
                          offsetof(CPUX86State, segs[o->n].selector));
        break;
    default:
        tcg_gen_movi_i64(v, 0);
        break;
    }
}

void gen_store_op(DisasContext *s, X86DecodedInsn *d, int i, TCGv v)
{
    X86Operand *o = &d->op[i];

    switch (o->type) {
    case X86_OPND_REG:
        if (o->high8) {
            tcg_gen_deposit_i64(cpu_regs[o->n], cpu_regs[o->n], v, 8, 8);
        } else {
            switch (o->ot) {
            case MO_8:
                tcg_gen_deposit_i64(cpu_regs[o->n], cpu_regs[o->n], v, 0, 8);
                break;
            case MO_16:
                tcg_gen_deposit_i64(cpu_regs[o->n], cpu_regs[o->n], v, 0,
                                    16);
                break;
            case MO_32:
                tcg_gen_ext32u_i64(cpu_regs[o->n], v);
                break;
            default:
                tcg_gen_mov_i64(cpu_regs[o->n], v);
                break;
            }
        }
        break;
    case X86_OPND_MEM:
        if (s->flags & HF_SEGCHK) {
            gen_seg_check(s, d->mem.seg, s->tmp0, o->ot, true);
        }
        gen_op_st_v(s, o->ot, v, s->A0);
        break;
    default:
        g_assert_not_reached();
    }
}

/* ---- stack ---- */

void gen_push_v(DisasContext *s, TCGv val)
{
    MemOp ot = mo_pushpop(s, s->dflag);
    MemOp a_ot = mo_stacksize(s);
    TCGv new_esp = tcg_temp_new_i64();

    tcg_gen_subi_i64(new_esp, cpu_regs[R_ESP], 1 << ot);
    gen_lea_v_seg(s, a_ot, new_esp, R_SS, -1);
    if (s->flags & HF_SEGCHK) {
        TCGv off = tcg_temp_new_i64();

        gen_ext_tl(off, new_esp, a_ot, false);
        gen_seg_check(s, R_SS, off, ot, true);
    }
    gen_op_st_v(s, ot, val, s->A0);
    gen_op_mov_reg_v(s, a_ot, R_ESP, new_esp);
}

MemOp gen_pop_size(DisasContext *s)
{
    return mo_pushpop(s, s->dflag);
}

/* T0 = the value on top of the stack (ESP unchanged) */
void gen_pop_T0(DisasContext *s)
{
    MemOp ot = gen_pop_size(s);
    MemOp a_ot = mo_stacksize(s);

    gen_lea_v_seg(s, a_ot, cpu_regs[R_ESP], R_SS, -1);
    if (s->flags & HF_SEGCHK) {
        TCGv off = tcg_temp_new_i64();

        gen_ext_tl(off, cpu_regs[R_ESP], a_ot, false);
        gen_seg_check(s, R_SS, off, ot, false);
    }
    gen_op_ld_v(s, ot, s->T0, s->A0);
}

void gen_pop_update(DisasContext *s, MemOp ot)
{
    gen_op_add_reg_im(s, mo_stacksize(s), R_ESP, 1 << ot);
}

/* ---- control flow ---- */

static bool use_goto_tb(DisasContext *s, uint64_t pc)
{
    return s->jmp_opt && translator_use_goto_tb(&s->base, pc);
}

/* jump to eip_next + diff, truncated to the operand size */
void gen_jmp_rel(DisasContext *s, MemOp ot, int64_t diff, int tb_num)
{
    uint64_t dest = eip_next(s) + diff;

    if (ot == MO_16) {
        dest &= 0xffff;
    } else if (ot == MO_32 || !s->code64) {
        dest &= 0xffffffff;
    }
    gen_update_cc_op(s);
    set_cc_op(s, CC_OP_DYNAMIC);
    if (use_goto_tb(s, s->cs_base + dest)) {
        tcg_gen_goto_tb(tb_num);
        gen_set_rip(dest);
        tcg_gen_exit_tb(s->base.tb, tb_num);
    } else {
        gen_set_rip(dest);
        gen_jump_end(s);
    }
    s->base.is_jmp = DISAS_NORETURN;
}

/* jump to the address in dest (already truncated by the caller) */
void gen_jmp_to(DisasContext *s, TCGv dest)
{
    tcg_gen_st_i64(dest, tcg_env, offsetof(CPUX86State, rip));
    gen_update_cc_op(s);
    set_cc_op(s, CC_OP_DYNAMIC);
    s->base.is_jmp = DISAS_JUMP;
}

/*
 * Leave the TB after a jump (rip is set): interrupt shadow bookkeeping,
 * then single step (gdb or TF), or the next TB through the lookup (or the
 * loop, when an interrupt may have become deliverable).
 */
static void gen_tb_exit(DisasContext *s, bool inhibit_next, bool lookup)
{
    if (s->flags & HF_INHIBIT_IRQ) {
        gen_helper_reset_inhibit_irq(tcg_env);
    }
    if (inhibit_next) {
        gen_helper_set_inhibit_irq(tcg_env);
    }
    if (s->base.singlestep_enabled) {
        gen_helper_debug(tcg_env);
    } else if (s->flags & HF_TF) {
        gen_helper_single_step(tcg_env);
    } else if (lookup && !(s->flags & HF_INHIBIT_IRQ)) {
        tcg_gen_lookup_and_goto_ptr();
    } else {
        tcg_gen_exit_tb(NULL, 0);
    }
}

void gen_jump_end(DisasContext *s)
{
    gen_tb_exit(s, false, true);
}

/* end the TB after this insn (the state it assumes may have changed) */
void gen_eob(DisasContext *s)
{
    if (s->base.is_jmp == DISAS_NEXT || s->base.is_jmp == DISAS_TOO_MANY) {
        s->base.is_jmp = DISAS_EOB_NEXT;
    }
}

/* ---- the per-instruction driver ---- */

static void x86_tr_init_disas_context(DisasContextBase *db, CPUState *cs)
{
    DisasContext *s = container_of(db, DisasContext, base);
    CPUX86State *env = cpu_env_of(cs);
    uint32_t f = db->tb->flags;

    s->env = env;
    s->flags = f;
    s->cs_base = db->tb->cs_base;
    s->pe = f & HF_PE;
    s->vm86 = f & HF_VM;
    s->code64 = f & HF_CS64;
    s->code32 = (f & HF_CS32) || s->code64;
    s->ss32 = f & HF_SS32;
    s->cpl = f & HF_CPL_MASK;
    s->iopl = (f & HF_IOPL_MASK) >> HF_IOPL_SHIFT;
    s->addseg = f & HF_ADDSEG;
    s->mem_index = (f & HF_MMU_MASK) >> HF_MMU_SHIFT;
    s->cc_op = CC_OP_DYNAMIC;
    s->cc_op_dirty = false;
    s->jmp_opt = !(f & (HF_TF | HF_INHIBIT_IRQ)) && !db->singlestep_enabled;
    if (f & (HF_TF | HF_INHIBIT_IRQ)) {
        db->max_insns = 1;
    }
    s->A0 = tcg_temp_new_i64();
    s->T0 = tcg_temp_new_i64();
    s->T1 = tcg_temp_new_i64();
    s->T2 = tcg_temp_new_i64();
    s->tmp0 = tcg_temp_new_i64();
}

static void x86_tr_tb_start(DisasContextBase *db, CPUState *cs)
{
}

static void x86_tr_insn_start(DisasContextBase *db, CPUState *cs)
{
    DisasContext *s = container_of(db, DisasContext, base);

    tcg_gen_insn_start(db->pc_next, (uint64_t)(int64_t)s->cc_op);
}

/* EIP of the last byte beyond CS.limit: #GP(0) (SDM Vol. 3A 5.3) */
static void gen_cs_limit_check(DisasContext *s)
{
    TCGLabel *ok = gen_new_label();
    TCGv lim = tcg_temp_new_i64();

    gen_update_cc_op(s);                /* on both paths */
    tcg_gen_ld32u_i64(lim, tcg_env, offsetof(CPUX86State, segs[R_CS].limit));
    tcg_gen_brcondi_i64(TCG_COND_GEU, lim,
                        (uint32_t)(s->pc - 1 - s->cs_base), ok);
    gen_exception_err(s, EXCP0D_GPF, 0);
    s->base.is_jmp = DISAS_NEXT;
    gen_set_label(ok);
}

static void x86_tr_translate_insn(DisasContextBase *db, CPUState *cs)
{
    DisasContext *s = container_of(db, DisasContext, base);
    X86DecodedInsn d;
    uint32_t f;

    s->pc_start = s->pc = db->pc_next;
    if (translator_has_breakpoint(cs, s->pc_start)) {
        gen_update_cc_op(s);
        gen_update_eip_cur(s);
        gen_helper_debug(tcg_env);
        db->is_jmp = DISAS_NORETURN;
        db->pc_next = s->pc_start + 1;
        return;
    }
    if (!x86_decode_insn(s, &d)) {
        if (x86_decode_too_long(s)) {
            gen_exception_err(s, EXCP0D_GPF, 0);
        } else {
            gen_illegal_opcode(s);
        }
        goto done;
    }
    f = s->flags_insn;
    if (s->flags & HF_CS_LIMIT) {
        gen_cs_limit_check(s);
    }
    if ((f & X86_PRIV) && !check_cpl0(s)) {
        goto done;
    }
    if (d.has_mem) {
        gen_lea_modrm(s, &d);
    }
    if (f & X86_SSE) {
        /* vector operands live in env: translate-sse.c moves them */
        if (x86_sse_prologue(s, &d)) {
            d.e->gen(s, &d);
            if (db->is_jmp != DISAS_NORETURN) {
                x86_sse_epilogue(s, &d);
                gen_commit_cc(s, &d);
            }
        }
        goto done;
    }
    if (!(f & (X86_W0 | X86_NOWB)) && !d.locked && d.op[0].type) {
        gen_load_op(s, &d, 0, s->T0);
    }
    if (!(f & (X86_NOREAD1 | X86_NOWB)) && d.op[1].type) {
        gen_load_op(s, &d, 1, s->T1);
    }
    if (!(f & X86_NOWB) && d.op[2].type) {
        gen_load_op(s, &d, 2, s->T2);
    }
    d.e->gen(s, &d);
    if (db->is_jmp == DISAS_NORETURN) {
        goto done;
    }
    if (!(f & (X86_R0 | X86_NOWB)) && !d.locked &&
        (d.op[0].type == X86_OPND_REG || d.op[0].type == X86_OPND_MEM)) {
        gen_store_op(s, &d, 0, s->T0);
    }
    gen_commit_cc(s, &d);

done:
    db->pc_next = s->pc;
    if (db->is_jmp == DISAS_NEXT &&
        ((s->flags & (HF_TF | HF_INHIBIT_IRQ)) ||
         !translator_is_same_page(db, s->pc))) {
        db->is_jmp = DISAS_EOB_NEXT;
    }
}

static void x86_tr_tb_stop(DisasContextBase *db, CPUState *cs)
{
    DisasContext *s = container_of(db, DisasContext, base);

    switch (db->is_jmp) {
    case DISAS_NORETURN:
        return;
    case DISAS_TOO_MANY:
        gen_update_cc_op(s);
        if (use_goto_tb(s, db->pc_next)) {
            tcg_gen_goto_tb(0);
            gen_set_rip(db->pc_next - s->cs_base);
            tcg_gen_exit_tb(db->tb, 0);
            return;
        }
        gen_set_rip(eip_next(s));
        break;
    case DISAS_JUMP:
        gen_update_cc_op(s);
        break;
    case DISAS_EOB_NEXT:
    case DISAS_EOB_INHIBIT:
        gen_update_cc_op(s);
        gen_set_rip(eip_next(s));
        break;
    case DISAS_EOB_ONLY:
        gen_update_cc_op(s);
        break;
    default:
        g_assert_not_reached();
    }

    /* an insn in an interrupt shadow ends it; STI/MOV SS start one */
    gen_tb_exit(s, db->is_jmp == DISAS_EOB_INHIBIT, db->is_jmp == DISAS_JUMP);
}

static const TranslatorOps x86_tr_ops = {
    .init_disas_context = x86_tr_init_disas_context,
    .tb_start = x86_tr_tb_start,
    .insn_start = x86_tr_insn_start,
    .translate_insn = x86_tr_translate_insn,
    .tb_stop = x86_tr_tb_stop,
};

void x86_translate_code(CPUState *cs, TranslationBlock *tb, int *max_insns,
                        vaddr pc, void *host_pc)
{
    DisasContext dc = { 0 };

    translator_loop(cs, tb, max_insns, pc, host_pc, &x86_tr_ops, &dc.base);
}
