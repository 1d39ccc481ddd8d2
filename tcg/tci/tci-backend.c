/*
 * The TCI back end: register allocation targets 16 virtual registers
 * (r14 env, r15 frame pointer) and ops are emitted as TCI bytecode for
 * the interpreter in tci-interp.c.
 */
#include "../tcg-internal.h"
#include "tci.h"

static const char *const tci_reg_names[TCI_NB_REGS] = {
    "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
    "r8", "r9", "r10", "r11", "r12", "r13", "env", "sp",
};

static const int8_t tci_alloc_order[] = {
    8, 9, 10, 11, 12, 13, 7, 6, 5, 4, 3, 2, 1, 0,
};

static const int8_t tci_iarg_regs[] = { 0, 1, 2, 3, 4, 5, 6 };

#define ALL_REGS 0x3fffu
#define CT_IMM32     1
#define CT_IMM32_NEG 2

static void tci_constraints(const TCGOp *op, TCGConstraintSet *cs)
{
    int i, n = tcg_op_nb_oargs(op) + tcg_op_nb_iargs(op);

    for (i = 0; i < n; i++) {
        /* inputs may also read env directly */
        cs->args[i].regs = i < tcg_op_nb_oargs(op) ? ALL_REGS
                                                   : ALL_REGS | 1u << TCI_REG_ENV;
    }
    /* immediate forms: a sign-extended 32-bit operand in the bytecode */
    switch (op->opc) {
    case INDEX_op_add: case INDEX_op_and: case INDEX_op_or:
    case INDEX_op_xor: case INDEX_op_mul: case INDEX_op_shl:
    case INDEX_op_shr: case INDEX_op_sar: case INDEX_op_setcond:
        cs->args[2].ct = CT_IMM32;
        break;
    case INDEX_op_sub:
        cs->args[2].ct = CT_IMM32_NEG;  /* becomes addi -imm */
        break;
    case INDEX_op_brcond:
        cs->args[1].ct = CT_IMM32;
        break;
    default:
        break;
    }
}

static bool tci_const_match(int64_t val, TCGType type, unsigned ct)
{
    if (ct & CT_IMM32) {
        return val == (int32_t)val;
    }
    if (ct & CT_IMM32_NEG) {
        return val == (int32_t)val && val != INT32_MIN;
    }
    return false;
}

static void out_insn(TCGContext *s, TCIOpcode opc, int a, int b, int c)
{
    tcg_out32(s, opc | (a & 0xff) << 8 | (b & 0xff) << 16 | (uint32_t)(c & 0xff) << 24);
}

/* reg = reg op (reg | imm32) */
static void out_rri(TCGContext *s, TCIOpcode rr, TCIOpcode ri, const TCGArg *a,
                    const bool *const_args)
{
    if (const_args[2]) {
        out_insn(s, ri, a[0], a[1], 0);
        tcg_out32(s, (uint32_t)a[2]);
    } else {
        out_insn(s, rr, a[0], a[1], a[2]);
    }
}

static void tci_out_movi(TCGContext *s, TCGType type, int reg, int64_t val)
{
    if (type == TCG_TYPE_I32 || val == (int32_t)val) {
        out_insn(s, TCI_movi32, reg, 0, 0);
        tcg_out32(s, (uint32_t)val);
    } else {
        out_insn(s, TCI_movi64, reg, 0, 0);
        tcg_out64(s, val);
    }
}

static void tci_out_mov(TCGContext *s, TCGType type, int dst, int src)
{
    if (dst != src) {
        out_insn(s, TCI_mov, dst, src, 0);
    }
}

static void out_mem(TCGContext *s, TCIOpcode opc, int reg, int base, intptr_t ofs)
{
    g_assert(ofs == (int32_t)ofs);
    out_insn(s, opc, reg, base, 0);
    tcg_out32(s, (uint32_t)ofs);
}

static void tci_out_ld(TCGContext *s, TCGType type, int reg, int base, intptr_t ofs)
{
    out_mem(s, type == TCG_TYPE_I32 ? TCI_ld32u : TCI_ld64, reg, base, ofs);
}

static void tci_out_st(TCGContext *s, TCGType type, int reg, int base, intptr_t ofs)
{
    out_mem(s, type == TCG_TYPE_I32 ? TCI_st32 : TCI_st64, reg, base, ofs);
}

static void tci_out_call(TCGContext *s, const TCGHelperInfo *info)
{
    out_insn(s, TCI_call, 0, 0, 0);
    tcg_out64(s, (uintptr_t)info->func);
}

static bool tci_patch_reloc(uint8_t *ptr, int type, uintptr_t value, intptr_t addend)
{
    intptr_t disp = (intptr_t)value - addend;
    int32_t d32 = disp;

    if (disp != d32) {
        return false;
    }
    memcpy(ptr, &d32, 4);
    return true;
}

static void out_branch(TCGContext *s, TCGLabel *l, uint8_t *insn)
{
    tcg_out32(s, 0);
    tcg_out_reloc(s, s->code_ptr - 4, 0, l, (intptr_t)insn);
}

static void tci_out_op(TCGContext *s, const TCGOp *op, const TCGArg *a,
                       const bool *const_args)
{
    bool w64 = op->type == TCG_TYPE_I64;
    uint8_t *insn = s->code_ptr;

#define SEL(n) (w64 ? TCI_##n##64 : TCI_##n##32)
    switch ((TCGOpcode)op->opc) {
    case INDEX_op_ld8u:  out_mem(s, TCI_ld8u, a[0], a[1], a[2]); break;
    case INDEX_op_ld8s:  out_mem(s, TCI_ld8s, a[0], a[1], a[2]); break;
    case INDEX_op_ld16u: out_mem(s, TCI_ld16u, a[0], a[1], a[2]); break;
    case INDEX_op_ld16s: out_mem(s, TCI_ld16s, a[0], a[1], a[2]); break;
    case INDEX_op_ld32u: out_mem(s, TCI_ld32u, a[0], a[1], a[2]); break;
    case INDEX_op_ld32s: out_mem(s, TCI_ld32s, a[0], a[1], a[2]); break;
    case INDEX_op_ld:    tci_out_ld(s, op->type, a[0], a[1], a[2]); break;
    case INDEX_op_st8:   out_mem(s, TCI_st8, a[0], a[1], a[2]); break;
    case INDEX_op_st16:  out_mem(s, TCI_st16, a[0], a[1], a[2]); break;
    case INDEX_op_st32:  out_mem(s, TCI_st32, a[0], a[1], a[2]); break;
    case INDEX_op_st:    tci_out_st(s, op->type, a[0], a[1], a[2]); break;
    case INDEX_op_add:
        if (const_args[2]) {
            out_insn(s, TCI_addi, a[0], a[1], 0);
            tcg_out32(s, (uint32_t)a[2]);
        } else {
            out_insn(s, TCI_add, a[0], a[1], a[2]);
        }
        break;
    case INDEX_op_sub:
        if (const_args[2]) {
            out_insn(s, TCI_addi, a[0], a[1], 0);
            tcg_out32(s, (uint32_t)-(int32_t)a[2]);
        } else {
            out_insn(s, TCI_sub, a[0], a[1], a[2]);
        }
        break;
    case INDEX_op_mul:   out_rri(s, TCI_mul, TCI_muli, a, const_args); break;
    case INDEX_op_and:   out_rri(s, TCI_and, TCI_andi, a, const_args); break;
    case INDEX_op_or:    out_rri(s, TCI_or, TCI_ori, a, const_args); break;
    case INDEX_op_xor:   out_rri(s, TCI_xor, TCI_xori, a, const_args); break;
    case INDEX_op_andc:  out_insn(s, TCI_andc, a[0], a[1], a[2]); break;
    case INDEX_op_neg:   out_insn(s, TCI_neg, a[0], a[1], 0); break;
    case INDEX_op_not:   out_insn(s, TCI_not, a[0], a[1], 0); break;
    case INDEX_op_shl:
        out_insn(s, const_args[2] ? SEL(shli) : SEL(shl), a[0], a[1],
                 const_args[2] ? a[2] & (w64 ? 63 : 31) : a[2]);
        break;
    case INDEX_op_shr:
        out_insn(s, const_args[2] ? SEL(shri) : SEL(shr), a[0], a[1],
                 const_args[2] ? a[2] & (w64 ? 63 : 31) : a[2]);
        break;
    case INDEX_op_sar:
        out_insn(s, const_args[2] ? SEL(sari) : SEL(sar), a[0], a[1],
                 const_args[2] ? a[2] & (w64 ? 63 : 31) : a[2]);
        break;
    case INDEX_op_rotl:  out_insn(s, SEL(rotl), a[0], a[1], a[2]); break;
    case INDEX_op_rotr:  out_insn(s, SEL(rotr), a[0], a[1], a[2]); break;
    case INDEX_op_div:   out_insn(s, SEL(div), a[0], a[1], a[2]); break;
    case INDEX_op_divu:  out_insn(s, SEL(divu), a[0], a[1], a[2]); break;
    case INDEX_op_rem:   out_insn(s, SEL(rem), a[0], a[1], a[2]); break;
    case INDEX_op_remu:  out_insn(s, SEL(remu), a[0], a[1], a[2]); break;
    case INDEX_op_clz:   out_insn(s, SEL(clz), a[0], a[1], a[2]); break;
    case INDEX_op_ctz:   out_insn(s, SEL(ctz), a[0], a[1], a[2]); break;
    case INDEX_op_ctpop: out_insn(s, SEL(ctpop), a[0], a[1], 0); break;
    case INDEX_op_ext8s: out_insn(s, TCI_ext8s, a[0], a[1], 0); break;
    case INDEX_op_ext8u: out_insn(s, TCI_ext8u, a[0], a[1], 0); break;
    case INDEX_op_ext16s: out_insn(s, TCI_ext16s, a[0], a[1], 0); break;
    case INDEX_op_ext16u: out_insn(s, TCI_ext16u, a[0], a[1], 0); break;
    case INDEX_op_ext32s: out_insn(s, TCI_ext32s, a[0], a[1], 0); break;
    case INDEX_op_ext32u: out_insn(s, TCI_ext32u, a[0], a[1], 0); break;
    case INDEX_op_bswap16: out_insn(s, TCI_bswap16, a[0], a[1], a[2]); break;
    case INDEX_op_bswap32: out_insn(s, TCI_bswap32, a[0], a[1], a[2]); break;
    case INDEX_op_bswap64: out_insn(s, TCI_bswap64, a[0], a[1], 0); break;
    case INDEX_op_mulu2:
        out_insn(s, SEL(mulu2_), a[0], a[1], a[2]);
        tcg_out32(s, a[3]);
        break;
    case INDEX_op_muls2:
        out_insn(s, SEL(muls2_), a[0], a[1], a[2]);
        tcg_out32(s, a[3]);
        break;
    case INDEX_op_setcond:
        if (const_args[2]) {
            out_insn(s, SEL(setcondi), a[0], a[1], a[3]);
            tcg_out32(s, (uint32_t)a[2]);
        } else {
            out_insn(s, SEL(setcond), a[0], a[1], a[2]);
            tcg_out32(s, a[3]);
        }
        break;
    case INDEX_op_negsetcond:
        out_insn(s, SEL(negsetcond), a[0], a[1], a[2]);
        tcg_out32(s, a[3]);
        break;
    case INDEX_op_movcond:
        out_insn(s, SEL(movcond), a[0], a[1], a[2]);
        tcg_out32(s, a[3] | a[4] << 8 | a[5] << 16);
        break;
    case INDEX_op_brcond:
        if (const_args[1]) {
            out_insn(s, SEL(brcondi), a[0], 0, a[2]);
            tcg_out32(s, (uint32_t)a[1]);
        } else {
            out_insn(s, SEL(brcond), a[0], a[1], a[2]);
        }
        out_branch(s, tcg_label_from_arg(a[3]), insn);
        break;
    case INDEX_op_br:
        out_insn(s, TCI_br, 0, 0, 0);
        out_branch(s, tcg_label_from_arg(a[0]), insn);
        break;
    case INDEX_op_mb:
        out_insn(s, TCI_mb, 0, 0, 0);
        break;
    case INDEX_op_exit_tb:
        out_insn(s, TCI_exit_tb, 0, 0, 0);
        tcg_out64(s, a[0]);
        break;
    case INDEX_op_goto_tb:
        /* the 8-byte target slot must be naturally aligned */
        if (((uintptr_t)s->code_ptr + 4) & 7) {
            out_insn(s, TCI_nop, 0, 0, 0);
        }
        out_insn(s, TCI_goto_tb, 0, 0, 0);
        s->goto_tb_insn[a[0]] = s->code_ptr - s->code_buf;
        tcg_out64(s, tcg_rw_to_rx(s, s->code_ptr + 8));
        s->goto_tb_reset[a[0]] = s->code_ptr - s->code_buf;
        break;
    case INDEX_op_goto_ptr:
        out_insn(s, TCI_goto_ptr, a[0], 0, 0);
        break;
    case INDEX_op_qemu_ld:
        out_insn(s, TCI_qemu_ld, a[0], a[1], op->type);
        tcg_out32(s, a[2]);
        break;
    case INDEX_op_qemu_st:
        out_insn(s, TCI_qemu_st, a[0], a[1], op->type);
        tcg_out32(s, a[2]);
        break;
    default:
        g_error("tci: unexpected op %s", tcg_op_defs[op->opc].name);
    }
#undef SEL
}

static void tci_out_prologue(TCGContext *s)
{
    /* the epilogue: lookup_and_goto_ptr lands here to return 0 */
    s->epilogue[TCG_BACKEND_TCI] = (void *)tcg_rw_to_rx(s, s->code_ptr);
    out_insn(s, TCI_exit, 0, 0, 0);
}

static void tci_set_jmp_target(TCGContext *s, uintptr_t jmp_rx, uintptr_t jmp_rw,
                               uintptr_t target)
{
    __atomic_store_n((uint64_t *)jmp_rw, (uint64_t)target, __ATOMIC_RELEASE);
}

/* ---- listing for -d out_asm ------------------------------------------ */

static const char *const tci_op_names[TCI_NB_OPS] = {
#define X(n) [TCI_##n] = #n,
    TCI_OPCODES(X)
#undef X
};

/* 32-bit words after the first one */
static int tci_extra_words(unsigned opc)
{
    switch (opc) {
    case TCI_movi32: case TCI_ld8u: case TCI_ld8s: case TCI_ld16u:
    case TCI_ld16s: case TCI_ld32u: case TCI_ld32s: case TCI_ld64:
    case TCI_st8: case TCI_st16: case TCI_st32: case TCI_st64:
    case TCI_addi: case TCI_andi: case TCI_ori: case TCI_xori: case TCI_muli:
    case TCI_mulu2_32: case TCI_muls2_32: case TCI_mulu2_64: case TCI_muls2_64:
    case TCI_setcond32: case TCI_setcond64: case TCI_negsetcond32:
    case TCI_negsetcond64: case TCI_setcondi32: case TCI_setcondi64:
    case TCI_movcond32: case TCI_movcond64: case TCI_brcond32:
    case TCI_brcond64: case TCI_br: case TCI_qemu_ld: case TCI_qemu_st:
        return 1;
    case TCI_movi64: case TCI_brcondi32: case TCI_brcondi64: case TCI_call:
    case TCI_exit_tb: case TCI_goto_tb:
        return 2;
    default:
        return 0;
    }
}

void tci_disas(FILE *f, const void *code, size_t size)
{
    const uint32_t *p = code, *end = (const uint32_t *)((const char *)code + size);

    while (p < end) {
        uint32_t w = *p;
        unsigned opc = w & 0xff;
        int i, n = opc < TCI_NB_OPS ? tci_extra_words(opc) : 0;

        fprintf(f, "  %p:  %-12s r%u, r%u, %u", (const void *)p,
                opc < TCI_NB_OPS ? tci_op_names[opc] : "?",
                (w >> 8) & 0xff, (w >> 16) & 0xff, w >> 24);
        for (i = 1; i <= n && p + i < end; i++) {
            fprintf(f, ", %#x", p[i]);
        }
        fprintf(f, "\n");
        p += 1 + n;
    }
}

const TCGBackend tcg_backend_tci = {
    .name = "tci",
    .nb_regs = TCI_NB_REGS,
    .reg_names = tci_reg_names,
    .alloc_order = tci_alloc_order,
    .nb_alloc_order = sizeof(tci_alloc_order),
    .call_clobbered = 0xff,
    .call_iarg_regs = tci_iarg_regs,
    .nb_call_iarg_regs = sizeof(tci_iarg_regs),
    .call_oarg_reg = 0,
    .reg_env = TCI_REG_ENV,
    .reg_sp = TCI_REG_SP,
    .frame_start = 0,
    .frame_end = TCI_FRAME_SIZE,
    .constraints = tci_constraints,
    .const_match = tci_const_match,
    .out_op = tci_out_op,
    .out_mov = tci_out_mov,
    .out_movi = tci_out_movi,
    .out_ld = tci_out_ld,
    .out_st = tci_out_st,
    .out_call = tci_out_call,
    .patch_reloc = tci_patch_reloc,
    .out_prologue = tci_out_prologue,
    .set_jmp_target = tci_set_jmp_target,
    .exec = tci_exec,
};
