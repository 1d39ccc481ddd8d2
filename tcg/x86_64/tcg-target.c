/*
 * The x86-64 back end: native code for the register-allocated IR.
 *
 * Register use: rbp holds env, rsp the frame (call arguments at 0..127,
 * spill slots above), r10/r11 are scratch for the back end (TLB fast path,
 * andc without BMI1), the other 12 registers are allocated.  Uses BMI1
 * (andn, tzcnt), BMI2 (shlx/shrx/sarx, rorx), LZCNT, POPCNT and MOVBE
 * (byte-swapped guest accesses) when cpuid reports them.
 */
#include "config-host.h"

#include <cpuid.h>
#include <stdlib.h>

#include "../tcg-internal.h"

enum {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
    R8, R9, R10, R11, R12, R13, R14, R15,
};

#define TMP0 R10
#define TMP1 R11
#define BIT(r) ((TCGRegSet)1 << (r))
#define ALL_REGS (0xffffu & ~(BIT(RSP) | BIT(RBP) | BIT(R10) | BIT(R11)))
#define IN_REGS  (ALL_REGS | BIT(RBP))     /* env may be read directly */
/* guest memory inputs: not an argument register of the slow-path call */
#define LDST_REGS (BIT(RAX) | BIT(RBX) | BIT(R9) | BIT(R12) | BIT(R13) | \
                   BIT(R14) | BIT(R15))

#define CT_S32 1            /* immediate fits a sign-extended 32-bit field */

#define STATIC_CALL_ARGS 128
#define FRAME_SPILL      32768
#define FRAME_SIZE       (STATIC_CALL_ARGS + FRAME_SPILL + 8)   /* 8 mod 16 */

static bool have_bmi1, have_bmi2, have_lzcnt, have_popcnt, have_movbe;
static const void *tb_ret_addr;     /* epilogue proper: returns rax */

bool tcg_x86_probe(void)
{
    unsigned a, b, c, d;

    if (__get_cpuid(1, &a, &b, &c, &d)) {
        have_popcnt = c & bit_POPCNT;
        have_movbe = c & bit_MOVBE;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        have_bmi1 = b & bit_BMI;
        have_bmi2 = b & bit_BMI2;
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
        have_lzcnt = c & bit_LZCNT;
    }
    /* for testing the fallback sequences: TURTLE_TCG_X86_DISABLE=bmi1,bmi2,lzcnt,popcnt,movbe */
    {
        const char *off = getenv("TURTLE_TCG_X86_DISABLE");
        if (off) {
            have_bmi1 &= !strstr(off, "bmi1");
            have_bmi2 &= !strstr(off, "bmi2");
            have_lzcnt &= !strstr(off, "lzcnt");
            have_popcnt &= !strstr(off, "popcnt");
            have_movbe &= !strstr(off, "movbe");
        }
    }
    return true;
}

/* ---- encoding ------------------------------------------------------- */

#define P_EXT     0x100       /* 0x0f */
#define P_EXT38   0x200       /* 0x0f 0x38 */
#define P_EXT3A   0x400       /* 0x0f 0x3a */
#define P_DATA16  0x800       /* 0x66 */
#define P_REXW    0x1000
#define P_REXB_R  0x2000      /* r is a byte register: force REX for spl.. */
#define P_REXB_RM 0x4000
#define P_F3      0x8000
#define P_F2      0x10000

static void out_opc(TCGContext *s, int opc, int r, int rm, int x)
{
    int rex = 0;

    if (opc & P_DATA16) {
        tcg_out8(s, 0x66);
    }
    if (opc & P_F3) {
        tcg_out8(s, 0xf3);
    }
    if (opc & P_F2) {
        tcg_out8(s, 0xf2);
    }
    if (opc & P_REXW) {
        rex |= 8;
    }
    rex |= (r & 8) >> 1;
    rex |= (x & 8) >> 2;
    rex |= (rm & 8) >> 3;
    if (((opc & P_REXB_R) && (r & 15) >= 4) || ((opc & P_REXB_RM) && (rm & 15) >= 4)) {
        rex |= 0x40;
    }
    if (rex) {
        tcg_out8(s, 0x40 | rex);
    }
    if (opc & (P_EXT | P_EXT38 | P_EXT3A)) {
        tcg_out8(s, 0x0f);
        if (opc & P_EXT38) {
            tcg_out8(s, 0x38);
        } else if (opc & P_EXT3A) {
            tcg_out8(s, 0x3a);
        }
    }
    tcg_out8(s, opc & 0xff);
}

static void out_modrm(TCGContext *s, int opc, int r, int rm)
{
    out_opc(s, opc, r, rm, 0);
    tcg_out8(s, 0xc0 | (r & 7) << 3 | (rm & 7));
}

/* [base + index + ofs] (index < 0: none) */
static void out_modrm_mem(TCGContext *s, int opc, int r, int base, int index,
                          intptr_t ofs)
{
    int mod;

    g_assert(ofs == (int32_t)ofs);
    out_opc(s, opc, r, base, index < 0 ? 0 : index);
    if (ofs == 0 && (base & 7) != RBP) {
        mod = 0;
    } else if (ofs == (int8_t)ofs) {
        mod = 0x40;
    } else {
        mod = 0x80;
    }
    if (index < 0 && (base & 7) != RSP) {
        tcg_out8(s, mod | (r & 7) << 3 | (base & 7));
    } else {
        tcg_out8(s, mod | (r & 7) << 3 | 4);
        tcg_out8(s, (index < 0 ? 4 : (index & 7)) << 3 | (base & 7));
    }
    if (mod == 0x40) {
        tcg_out8(s, ofs);
    } else if (mod == 0x80) {
        tcg_out32(s, ofs);
    }
}

static void out_mem(TCGContext *s, int opc, int r, int base, intptr_t ofs)
{
    out_modrm_mem(s, opc, r, base, -1, ofs);
}

/* VEX-encoded (BMI): r = op(v, rm) per instruction */
static void out_vex_modrm(TCGContext *s, int opbyte, int map, int pp, bool w,
                          int r, int v, int rm)
{
    tcg_out8(s, 0xc4);
    tcg_out8(s, ((r & 8) ? 0 : 0x80) | 0x40 | ((rm & 8) ? 0 : 0x20) | map);
    tcg_out8(s, (w ? 0x80 : 0) | ((~v & 15) << 3) | pp);
    tcg_out8(s, opbyte);
    tcg_out8(s, 0xc0 | (r & 7) << 3 | (rm & 7));
}

enum {
    ARITH_ADD = 0, ARITH_OR = 1, ARITH_ADC = 2, ARITH_SBB = 3,
    ARITH_AND = 4, ARITH_SUB = 5, ARITH_XOR = 6, ARITH_CMP = 7,
};
enum { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };
enum { EXT3_NOT = 2, EXT3_NEG = 3, EXT3_MUL = 4, EXT3_IMUL = 5,
       EXT3_DIV = 6, EXT3_IDIV = 7 };

#define OPC_ARITH_GvEv 0x03     /* + (ARITH << 3) */
#define OPC_ARITH_EvIz 0x81
#define OPC_ARITH_EvIb 0x83
#define OPC_MOVL_EvGv  0x89
#define OPC_MOVL_GvEv  0x8b
#define OPC_MOVB_EvGv  0x88
#define OPC_LEA        0x8d
#define OPC_MOVZBL     (0xb6 | P_EXT)
#define OPC_MOVZWL     (0xb7 | P_EXT)
#define OPC_MOVSBL     (0xbe | P_EXT)
#define OPC_MOVSWL     (0xbf | P_EXT)
#define OPC_MOVSLQ     (0x63 | P_REXW)
#define OPC_SHIFT_cl   0xd3
#define OPC_SHIFT_Ib   0xc1
#define OPC_GRP3       0xf7
#define OPC_IMUL_GvEv  (0xaf | P_EXT)
#define OPC_IMUL_GvEvIz 0x69
#define OPC_SETCC      (0x90 | P_EXT | P_REXB_RM)
#define OPC_CMOVCC     (0x40 | P_EXT)
#define OPC_JCC_long   (0x80 | P_EXT)
#define OPC_JMP_long   0xe9
#define OPC_BSWAP      (0xc8 | P_EXT)
#define OPC_BSF        (0xbc | P_EXT)
#define OPC_BSR        (0xbd | P_EXT)
#define OPC_TZCNT      (0xbc | P_EXT | P_F3)
#define OPC_LZCNT      (0xbd | P_EXT | P_F3)
#define OPC_POPCNT     (0xb8 | P_EXT | P_F3)
#define OPC_TEST       0x85
#define OPC_MOVBE_GyMy (0xf0 | P_EXT38)
#define OPC_MOVBE_MyGy (0xf1 | P_EXT38)

static const uint8_t x86_cond[] = {
    [TCG_COND_EQ] = 0x4, [TCG_COND_NE] = 0x5,
    [TCG_COND_LT] = 0xc, [TCG_COND_GE] = 0xd,
    [TCG_COND_LE] = 0xe, [TCG_COND_GT] = 0xf,
    [TCG_COND_LTU] = 0x2, [TCG_COND_GEU] = 0x3,
    [TCG_COND_LEU] = 0x6, [TCG_COND_GTU] = 0x7,
};

static int rexw(TCGType type)
{
    return type == TCG_TYPE_I64 ? P_REXW : 0;
}

static void x86_out_mov(TCGContext *s, TCGType type, int dst, int src)
{
    if (dst != src) {
        out_modrm(s, OPC_MOVL_EvGv | rexw(type), src, dst);
    }
}

static void x86_out_movi(TCGContext *s, TCGType type, int reg, int64_t val)
{
    if (type == TCG_TYPE_I32) {
        val = (uint32_t)val;
    }
    if (val == 0) {
        out_modrm(s, OPC_ARITH_GvEv + (ARITH_XOR << 3), reg, reg);
    } else if (val == (uint32_t)val) {
        out_opc(s, 0xb8 + (reg & 7), 0, reg, 0);
        tcg_out32(s, val);
    } else if (val == (int32_t)val) {
        out_modrm(s, 0xc7 | P_REXW, 0, reg);
        tcg_out32(s, val);
    } else {
        out_opc(s, (0xb8 + (reg & 7)) | P_REXW, 0, reg, 0);
        tcg_out64(s, val);
    }
}

static void x86_out_ld(TCGContext *s, TCGType type, int reg, int base, intptr_t ofs)
{
    out_mem(s, OPC_MOVL_GvEv | rexw(type), reg, base, ofs);
}

static void x86_out_st(TCGContext *s, TCGType type, int reg, int base, intptr_t ofs)
{
    out_mem(s, OPC_MOVL_EvGv | rexw(type), reg, base, ofs);
}

static bool x86_out_sti(TCGContext *s, TCGType type, int64_t val, int base,
                        intptr_t ofs)
{
    if (type == TCG_TYPE_I64 && val != (int32_t)val) {
        return false;
    }
    out_mem(s, 0xc7 | rexw(type), 0, base, ofs);   /* mov r/m, imm32 */
    tcg_out32(s, val);
    return true;
}

static void out_arithi(TCGContext *s, int arith, TCGType type, int reg, int64_t val)
{
    if (val == (int8_t)val) {
        out_modrm(s, OPC_ARITH_EvIb | rexw(type), arith, reg);
        tcg_out8(s, val);
    } else {
        out_modrm(s, OPC_ARITH_EvIz | rexw(type), arith, reg);
        tcg_out32(s, val);
    }
}

static void out_arith(TCGContext *s, int arith, TCGType type, int dst, int src)
{
    out_modrm(s, (OPC_ARITH_GvEv + (arith << 3)) | rexw(type), dst, src);
}

static void out_shifti(TCGContext *s, int sh, TCGType type, int reg, int count)
{
    out_modrm(s, OPC_SHIFT_Ib | rexw(type), sh, reg);
    tcg_out8(s, count);
}

static void out_cmp(TCGContext *s, TCGType type, int a, TCGArg b, bool const_b)
{
    if (const_b) {
        if (b == 0) {
            out_modrm(s, OPC_TEST | rexw(type), a, a);
        } else {
            out_arithi(s, ARITH_CMP, type, a, (int64_t)b);
        }
    } else {
        out_arith(s, ARITH_CMP, type, a, b);
    }
}

static void out_jmp_label(TCGContext *s, int cc, TCGLabel *l)
{
    if (cc < 0) {
        tcg_out8(s, OPC_JMP_long);
    } else {
        tcg_out8(s, 0x0f);
        tcg_out8(s, 0x80 + cc);
    }
    tcg_out32(s, 0);
    tcg_out_reloc(s, s->code_ptr - 4, 0, l, -4);
}

static bool x86_patch_reloc(uint8_t *ptr, int type, uintptr_t value, intptr_t addend)
{
    /* rel32 from the end of the field; both ends in the RW view */
    intptr_t disp = (intptr_t)value - (intptr_t)ptr + addend;
    int32_t d32 = disp;

    if (d32 != disp) {
        return false;
    }
    memcpy(ptr, &d32, 4);
    return true;
}

static void out_jmp_abs(TCGContext *s, const void *target_rx)
{
    intptr_t disp = (intptr_t)target_rx - (intptr_t)(tcg_rw_to_rx(s, s->code_ptr) + 5);

    g_assert(disp == (int32_t)disp);
    tcg_out8(s, OPC_JMP_long);
    tcg_out32(s, disp);
}

static void out_call_abs(TCGContext *s, const void *fn)
{
    intptr_t disp = (intptr_t)fn - (intptr_t)(tcg_rw_to_rx(s, s->code_ptr) + 5);

    if (disp == (int32_t)disp) {
        tcg_out8(s, 0xe8);
        tcg_out32(s, disp);
    } else {
        x86_out_movi(s, TCG_TYPE_I64, TMP1, (uintptr_t)fn);
        out_modrm(s, 0xff, 2, TMP1);
    }
}

static void x86_out_call(TCGContext *s, const TCGHelperInfo *info)
{
    out_call_abs(s, info->func);
}

/* ---- constraints ---------------------------------------------------- */

static void set(TCGConstraintSet *cs, int i, TCGRegSet regs, unsigned ct, int alias)
{
    cs->args[i].regs = regs;
    cs->args[i].ct = ct;
    cs->args[i].alias = alias;
}

static void x86_constraints(const TCGOp *op, TCGConstraintSet *cs)
{
    switch ((TCGOpcode)op->opc) {
    case INDEX_op_ld8u: case INDEX_op_ld8s: case INDEX_op_ld16u:
    case INDEX_op_ld16s: case INDEX_op_ld32u: case INDEX_op_ld32s:
    case INDEX_op_ld:
        set(cs, 0, ALL_REGS, 0, -1);
        set(cs, 1, IN_REGS, 0, -1);
        break;
    case INDEX_op_st8: case INDEX_op_st16: case INDEX_op_st32: case INDEX_op_st:
        set(cs, 0, IN_REGS, 0, -1);
        set(cs, 1, IN_REGS, 0, -1);
        break;
    case INDEX_op_add:
        set(cs, 0, ALL_REGS, 0, -1);
        set(cs, 1, IN_REGS, 0, -1);
        set(cs, 2, IN_REGS, CT_S32, -1);
        break;
    case INDEX_op_sub: case INDEX_op_and: case INDEX_op_or: case INDEX_op_xor:
    case INDEX_op_mul:
        set(cs, 0, ALL_REGS, 0, -1);
        set(cs, 1, ALL_REGS, 0, 0);
        set(cs, 2, IN_REGS, CT_S32, -1);
        break;
    case INDEX_op_andc:
        set(cs, 0, ALL_REGS, 0, -1);
        if (have_bmi1) {
            set(cs, 1, IN_REGS, 0, -1);
        } else {
            set(cs, 1, ALL_REGS, 0, 0);
        }
        set(cs, 2, IN_REGS, 0, -1);
        break;
    case INDEX_op_shl: case INDEX_op_shr: case INDEX_op_sar:
        if (have_bmi2) {
            set(cs, 0, ALL_REGS, 0, -1);
            set(cs, 1, IN_REGS, 0, -1);
            set(cs, 2, IN_REGS, CT_S32, -1);
            break;
        }
        /* fall through */
    case INDEX_op_rotl: case INDEX_op_rotr:
        set(cs, 0, ALL_REGS & ~BIT(RCX), 0, -1);
        set(cs, 1, ALL_REGS & ~BIT(RCX), 0, 0);
        set(cs, 2, BIT(RCX), CT_S32, -1);
        break;
    case INDEX_op_div: case INDEX_op_divu:
        set(cs, 0, BIT(RAX), 0, -1);
        set(cs, 1, BIT(RAX), 0, 0);
        set(cs, 2, ALL_REGS & ~(BIT(RAX) | BIT(RDX)), 0, -1);
        cs->clobber = BIT(RAX) | BIT(RDX);
        break;
    case INDEX_op_rem: case INDEX_op_remu:
        set(cs, 0, BIT(RDX), 0, -1);
        set(cs, 1, BIT(RAX), 0, -1);
        set(cs, 2, ALL_REGS & ~(BIT(RAX) | BIT(RDX)), 0, -1);
        cs->clobber = BIT(RAX) | BIT(RDX);
        break;
    case INDEX_op_mulu2: case INDEX_op_muls2:
        set(cs, 0, BIT(RAX), 0, -1);
        set(cs, 1, BIT(RDX), 0, -1);
        set(cs, 2, BIT(RAX), 0, 0);
        set(cs, 3, ALL_REGS & ~(BIT(RAX) | BIT(RDX)), 0, -1);
        cs->clobber = BIT(RAX) | BIT(RDX);
        break;
    case INDEX_op_clz: case INDEX_op_ctz:
        set(cs, 0, ALL_REGS, 0, -1);
        cs->args[0].newreg = true;
        set(cs, 1, IN_REGS, 0, -1);
        set(cs, 2, IN_REGS, 0, -1);
        break;
    case INDEX_op_neg: case INDEX_op_not:
    case INDEX_op_bswap16: case INDEX_op_bswap32: case INDEX_op_bswap64:
        set(cs, 0, ALL_REGS, 0, -1);
        set(cs, 1, ALL_REGS, 0, 0);
        break;
    case INDEX_op_ext8s: case INDEX_op_ext8u: case INDEX_op_ext16s:
    case INDEX_op_ext16u: case INDEX_op_ext32s: case INDEX_op_ext32u:
    case INDEX_op_ctpop:
        set(cs, 0, ALL_REGS, 0, -1);
        set(cs, 1, IN_REGS, 0, -1);
        break;
    case INDEX_op_setcond: case INDEX_op_negsetcond:
        set(cs, 0, ALL_REGS, 0, -1);
        set(cs, 1, IN_REGS, 0, -1);
        set(cs, 2, IN_REGS, CT_S32, -1);
        break;
    case INDEX_op_movcond:
        set(cs, 0, ALL_REGS, 0, -1);
        set(cs, 1, IN_REGS, 0, -1);
        set(cs, 2, IN_REGS, CT_S32, -1);
        set(cs, 3, IN_REGS, 0, -1);
        set(cs, 4, ALL_REGS, 0, 0);
        break;
    case INDEX_op_brcond:
        set(cs, 0, IN_REGS, 0, -1);
        set(cs, 1, IN_REGS, CT_S32, -1);
        break;
    case INDEX_op_goto_ptr:
        set(cs, 0, ALL_REGS, 0, -1);
        break;
    case INDEX_op_qemu_ld:
        set(cs, 0, ALL_REGS, 0, -1);
        set(cs, 1, LDST_REGS, 0, -1);
        break;
    case INDEX_op_qemu_st:
        set(cs, 0, LDST_REGS, 0, -1);
        set(cs, 1, LDST_REGS, 0, -1);
        break;
    default:
        break;
    }
}

static bool x86_const_match(int64_t val, TCGType type, unsigned ct)
{
    if (ct & CT_S32) {
        return type == TCG_TYPE_I32 || val == (int32_t)val;
    }
    return false;
}

/* ---- guest memory --------------------------------------------------- */

struct TCGLdstLabel {
    TCGLdstLabel *next;
    bool is_ld;
    TCGType type;
    MemOpIdx oi;
    int addr_reg, val_reg;
    uint8_t *jne_field;         /* rel32 of the jne to the slow path */
    uint8_t *raddr;             /* RW address of the return point */
};

/* Emit the TLB lookup; leaves the addend in TMP1 and returns the jne
 * field to patch to the slow path. */
static uint8_t *out_tlb_load(TCGContext *s, int addr, MemOpIdx oi, bool is_ld)
{
    const TCGTargetInfo *ti = &s->target;
    MemOp mop = get_memop(oi);
    unsigned s_bits = mop & MO_SIZE, a_bits = memop_alignment_bits(mop);
    int64_t s_mask = (1 << s_bits) - 1, a_mask = (1 << a_bits) - 1;
    intptr_t fast = ti->tlb_neg_offset + get_mmuidx(oi) * sizeof(CPUTLBDescFast);
    int cmp_ofs = is_ld ? offsetof(CPUTLBEntry, addr_read)
                        : offsetof(CPUTLBEntry, addr_write);
    uint8_t *field;

    x86_out_mov(s, TCG_TYPE_I64, TMP0, addr);
    out_shifti(s, SH_SHR, TCG_TYPE_I64, TMP0, ti->page_bits - CPU_TLB_ENTRY_BITS);
    out_mem(s, (OPC_ARITH_GvEv + (ARITH_AND << 3)) | P_REXW, TMP0, RBP,
            fast + offsetof(CPUTLBDescFast, mask));
    out_mem(s, (OPC_ARITH_GvEv + (ARITH_ADD << 3)) | P_REXW, TMP0, RBP,
            fast + offsetof(CPUTLBDescFast, table));
    if (a_bits < s_bits) {
        out_mem(s, OPC_LEA | P_REXW, TMP1, addr, s_mask - a_mask);
    } else {
        x86_out_mov(s, TCG_TYPE_I64, TMP1, addr);
    }
    out_arithi(s, ARITH_AND, TCG_TYPE_I64, TMP1,
               (int64_t)(~(uint64_t)0 << ti->page_bits) | a_mask);
    out_mem(s, (OPC_ARITH_GvEv + (ARITH_CMP << 3)) | P_REXW, TMP1, TMP0, cmp_ofs);
    tcg_out8(s, 0x0f);
    tcg_out8(s, 0x85);                          /* jne slow */
    field = s->code_ptr;
    tcg_out32(s, 0);
    out_mem(s, OPC_MOVL_GvEv | P_REXW, TMP1, TMP0, offsetof(CPUTLBEntry, addend));
    return field;
}

static void out_qemu_ld_direct(TCGContext *s, TCGType type, int val, int addr,
                               MemOp mop)
{
    int w = rexw(type);

    switch (mop & (MO_SIZE | MO_SIGN)) {
    case MO_UB:
        out_modrm_mem(s, OPC_MOVZBL, val, addr, TMP1, 0);
        break;
    case MO_SB:
        out_modrm_mem(s, OPC_MOVSBL | w, val, addr, TMP1, 0);
        break;
    case MO_UW:
        out_modrm_mem(s, OPC_MOVZWL, val, addr, TMP1, 0);
        if (mop & MO_BSWAP) {
            out_modrm(s, OPC_SHIFT_Ib | P_DATA16, SH_ROL, val);
            tcg_out8(s, 8);
        }
        break;
    case MO_SW:
        if (mop & MO_BSWAP) {
            out_modrm_mem(s, OPC_MOVZWL, val, addr, TMP1, 0);
            out_modrm(s, OPC_SHIFT_Ib | P_DATA16, SH_ROL, val);
            tcg_out8(s, 8);
            out_modrm(s, OPC_MOVSWL | w, val, val);
        } else {
            out_modrm_mem(s, OPC_MOVSWL | w, val, addr, TMP1, 0);
        }
        break;
    case MO_UL:
        if ((mop & MO_BSWAP) && have_movbe) {
            out_modrm_mem(s, OPC_MOVBE_GyMy, val, addr, TMP1, 0);
            break;
        }
        out_modrm_mem(s, OPC_MOVL_GvEv, val, addr, TMP1, 0);
        if (mop & MO_BSWAP) {
            out_opc(s, OPC_BSWAP + (val & 7), 0, val, 0);
        }
        break;
    case MO_SL:
        if (mop & MO_BSWAP) {
            out_modrm_mem(s, OPC_MOVL_GvEv, val, addr, TMP1, 0);
            out_opc(s, OPC_BSWAP + (val & 7), 0, val, 0);
            out_modrm(s, OPC_MOVSLQ, val, val);
        } else {
            out_modrm_mem(s, OPC_MOVSLQ, val, addr, TMP1, 0);
        }
        break;
    default:
        if ((mop & MO_BSWAP) && have_movbe) {
            out_modrm_mem(s, OPC_MOVBE_GyMy | P_REXW, val, addr, TMP1, 0);
            break;
        }
        out_modrm_mem(s, OPC_MOVL_GvEv | P_REXW, val, addr, TMP1, 0);
        if (mop & MO_BSWAP) {
            out_opc(s, (OPC_BSWAP + (val & 7)) | P_REXW, 0, val, 0);
        }
        break;
    }
}

static void out_qemu_st_direct(TCGContext *s, int val, int addr, MemOp mop)
{
    if ((mop & MO_BSWAP) && (mop & MO_SIZE) != MO_8 && have_movbe) {
        static const int opc[] = {
            0, OPC_MOVBE_MyGy | P_DATA16, OPC_MOVBE_MyGy, OPC_MOVBE_MyGy | P_REXW,
        };
        out_modrm_mem(s, opc[mop & MO_SIZE], val, addr, TMP1, 0);
        return;
    }
    switch (mop & MO_SIZE) {
    case MO_8:
        out_modrm_mem(s, OPC_MOVB_EvGv | P_REXB_R, val, addr, TMP1, 0);
        break;
    case MO_16:
        if (mop & MO_BSWAP) {
            x86_out_mov(s, TCG_TYPE_I32, TMP0, val);
            out_modrm(s, OPC_SHIFT_Ib | P_DATA16, SH_ROL, TMP0);
            tcg_out8(s, 8);
            val = TMP0;
        }
        out_modrm_mem(s, OPC_MOVL_EvGv | P_DATA16, val, addr, TMP1, 0);
        break;
    case MO_32:
        if (mop & MO_BSWAP) {
            x86_out_mov(s, TCG_TYPE_I32, TMP0, val);
            out_opc(s, OPC_BSWAP + (TMP0 & 7), 0, TMP0, 0);
            val = TMP0;
        }
        out_modrm_mem(s, OPC_MOVL_EvGv, val, addr, TMP1, 0);
        break;
    default:
        if (mop & MO_BSWAP) {
            x86_out_mov(s, TCG_TYPE_I64, TMP0, val);
            out_opc(s, (OPC_BSWAP + (TMP0 & 7)) | P_REXW, 0, TMP0, 0);
            val = TMP0;
        }
        out_modrm_mem(s, OPC_MOVL_EvGv | P_REXW, val, addr, TMP1, 0);
        break;
    }
}

static void out_qemu_ldst(TCGContext *s, bool is_ld, TCGType type, int val,
                          int addr, MemOpIdx oi)
{
    TCGLdstLabel *l = tcg_arena_alloc(sizeof(*l));

    l->is_ld = is_ld;
    l->type = type;
    l->oi = oi;
    l->addr_reg = addr;
    l->val_reg = val;
    l->jne_field = out_tlb_load(s, addr, oi, is_ld);
    if (is_ld) {
        out_qemu_ld_direct(s, type, val, addr, get_memop(oi));
    } else {
        out_qemu_st_direct(s, val, addr, get_memop(oi));
    }
    l->raddr = s->code_ptr;
    l->next = s->be_priv;
    s->be_priv = l;
}

/* lea reg, [rip + target] */
static void out_lea_rip(TCGContext *s, int reg, const uint8_t *target_rw)
{
    intptr_t disp;

    out_opc(s, OPC_LEA | P_REXW, reg, 0, 0);
    tcg_out8(s, (reg & 7) << 3 | 5);
    disp = (intptr_t)target_rw - (intptr_t)(s->code_ptr + 4);
    tcg_out32(s, disp);
}

static bool x86_tb_finalize(TCGContext *s)
{
    TCGLdstLabel *l;

    for (l = s->be_priv; l; l = l->next) {
        x86_patch_reloc(l->jne_field, 0, (uintptr_t)s->code_ptr, -4);
        x86_out_mov(s, TCG_TYPE_I64, RSI, l->addr_reg);
        if (l->is_ld) {
            x86_out_movi(s, TCG_TYPE_I32, RDX, l->oi);
            out_lea_rip(s, RCX, l->raddr);
        } else {
            x86_out_mov(s, TCG_TYPE_I64, RDX, l->val_reg);
            x86_out_movi(s, TCG_TYPE_I32, RCX, l->oi);
            out_lea_rip(s, R8, l->raddr);
        }
        x86_out_mov(s, TCG_TYPE_I64, RDI, RBP);
        out_call_abs(s, l->is_ld ? (void *)helper_ld_mmu : (void *)helper_st_mmu);
        if (l->is_ld) {
            x86_out_mov(s, l->type, l->val_reg, RAX);
        }
        tcg_out8(s, OPC_JMP_long);
        tcg_out32(s, 0);
        x86_patch_reloc(s->code_ptr - 4, 0, (uintptr_t)l->raddr, -4);
        if (s->code_ptr > s->code_gen_highwater) {
            return false;
        }
    }
    return true;
}

static void x86_tb_start(TCGContext *s)
{
    s->be_priv = NULL;
}

/* ---- ops ------------------------------------------------------------ */

/* population count without POPCNT: the classic SWAR reduction */
static void out_ctpop_generic(TCGContext *s, TCGType type, int dst, int src)
{
    static const uint64_t m[] = {
        0x5555555555555555ull, 0x3333333333333333ull, 0x0f0f0f0f0f0f0f0full,
        0x0101010101010101ull,
    };
    int bits = type == TCG_TYPE_I32 ? 32 : 64;

    x86_out_mov(s, type, dst, src);
    x86_out_mov(s, type, TMP0, dst);
    out_shifti(s, SH_SHR, type, TMP0, 1);
    x86_out_movi(s, type, TMP1, m[0]);
    out_arith(s, ARITH_AND, type, TMP0, TMP1);
    out_arith(s, ARITH_SUB, type, dst, TMP0);
    x86_out_mov(s, type, TMP0, dst);
    out_shifti(s, SH_SHR, type, TMP0, 2);
    x86_out_movi(s, type, TMP1, m[1]);
    out_arith(s, ARITH_AND, type, TMP0, TMP1);
    out_arith(s, ARITH_AND, type, dst, TMP1);
    out_arith(s, ARITH_ADD, type, dst, TMP0);
    x86_out_mov(s, type, TMP0, dst);
    out_shifti(s, SH_SHR, type, TMP0, 4);
    out_arith(s, ARITH_ADD, type, dst, TMP0);
    x86_out_movi(s, type, TMP1, m[2]);
    out_arith(s, ARITH_AND, type, dst, TMP1);
    x86_out_movi(s, type, TMP1, m[3]);
    out_modrm(s, OPC_IMUL_GvEv | rexw(type), dst, TMP1);
    out_shifti(s, SH_SHR, type, dst, bits - 8);
}

static void x86_out_op(TCGContext *s, const TCGOp *op, const TCGArg *a,
                       const bool *c)
{
    TCGType type = op->type;
    int w = rexw(type);
    int bits = type == TCG_TYPE_I32 ? 32 : 64;

    switch ((TCGOpcode)op->opc) {
    case INDEX_op_ld8u:
        out_mem(s, OPC_MOVZBL, a[0], a[1], a[2]);
        break;
    case INDEX_op_ld8s:
        out_mem(s, OPC_MOVSBL | w, a[0], a[1], a[2]);
        break;
    case INDEX_op_ld16u:
        out_mem(s, OPC_MOVZWL, a[0], a[1], a[2]);
        break;
    case INDEX_op_ld16s:
        out_mem(s, OPC_MOVSWL | w, a[0], a[1], a[2]);
        break;
    case INDEX_op_ld32u:
        out_mem(s, OPC_MOVL_GvEv, a[0], a[1], a[2]);
        break;
    case INDEX_op_ld32s:
        out_mem(s, OPC_MOVSLQ, a[0], a[1], a[2]);
        break;
    case INDEX_op_ld:
        out_mem(s, OPC_MOVL_GvEv | w, a[0], a[1], a[2]);
        break;
    case INDEX_op_st8:
        out_mem(s, OPC_MOVB_EvGv | P_REXB_R, a[0], a[1], a[2]);
        break;
    case INDEX_op_st16:
        out_mem(s, OPC_MOVL_EvGv | P_DATA16, a[0], a[1], a[2]);
        break;
    case INDEX_op_st32:
        out_mem(s, OPC_MOVL_EvGv, a[0], a[1], a[2]);
        break;
    case INDEX_op_st:
        out_mem(s, OPC_MOVL_EvGv | w, a[0], a[1], a[2]);
        break;

    case INDEX_op_add:
        if (c[2]) {
            if (a[0] == a[1]) {
                out_arithi(s, ARITH_ADD, type, a[0], (int64_t)a[2]);
            } else {
                out_mem(s, OPC_LEA | w, a[0], a[1], (int32_t)a[2]);
            }
        } else if (a[0] == a[1]) {
            out_arith(s, ARITH_ADD, type, a[0], a[2]);
        } else if (a[0] == a[2]) {
            out_arith(s, ARITH_ADD, type, a[0], a[1]);
        } else {
            out_modrm_mem(s, OPC_LEA | w, a[0], a[1], a[2], 0);
        }
        break;
    case INDEX_op_sub:
    case INDEX_op_and:
    case INDEX_op_or:
    case INDEX_op_xor: {
        int arith = op->opc == INDEX_op_sub ? ARITH_SUB
                  : op->opc == INDEX_op_and ? ARITH_AND
                  : op->opc == INDEX_op_or ? ARITH_OR : ARITH_XOR;
        if (c[2]) {
            out_arithi(s, arith, type, a[0], (int64_t)a[2]);
        } else {
            out_arith(s, arith, type, a[0], a[2]);
        }
        break;
    }
    case INDEX_op_andc:
        if (have_bmi1) {
            /* andn dst, src1, src2 = ~src1 & src2 */
            out_vex_modrm(s, 0xf2, 2, 0, type == TCG_TYPE_I64, a[0], a[2], a[1]);
        } else {
            x86_out_mov(s, type, TMP0, a[2]);
            out_modrm(s, OPC_GRP3 | w, EXT3_NOT, TMP0);
            out_arith(s, ARITH_AND, type, a[0], TMP0);
        }
        break;
    case INDEX_op_mul:
        if (c[2]) {
            out_modrm(s, OPC_IMUL_GvEvIz | w, a[0], a[0]);
            tcg_out32(s, a[2]);
        } else {
            out_modrm(s, OPC_IMUL_GvEv | w, a[0], a[2]);
        }
        break;

    case INDEX_op_shl:
    case INDEX_op_shr:
    case INDEX_op_sar:
    case INDEX_op_rotl:
    case INDEX_op_rotr: {
        static const uint8_t sh[] = {
            [INDEX_op_shl] = SH_SHL, [INDEX_op_shr] = SH_SHR,
            [INDEX_op_sar] = SH_SAR, [INDEX_op_rotl] = SH_ROL,
            [INDEX_op_rotr] = SH_ROR,
        };
        int kind = sh[op->opc];
        if (c[2]) {
            int n = a[2] & (bits - 1);
            if (have_bmi2 && kind == SH_ROR && a[0] != a[1]) {
                /* rorx dst, src, imm */
                out_vex_modrm(s, 0xf0, 3, 3, type == TCG_TYPE_I64, a[0], 0, a[1]);
                tcg_out8(s, n);
                break;
            }
            x86_out_mov(s, type, a[0], a[1]);
            if (n) {
                out_shifti(s, kind, type, a[0], n);
            }
        } else if (have_bmi2 && (kind == SH_SHL || kind == SH_SHR || kind == SH_SAR)) {
            int pp = kind == SH_SHL ? 1 : kind == SH_SAR ? 2 : 3;
            out_vex_modrm(s, 0xf7, 2, pp, type == TCG_TYPE_I64, a[0], a[2], a[1]);
        } else {
            out_modrm(s, OPC_SHIFT_cl | w, kind, a[0]);
        }
        break;
    }

    case INDEX_op_div:
    case INDEX_op_rem:
        if (type == TCG_TYPE_I64) {
            tcg_out8(s, 0x48);
        }
        tcg_out8(s, 0x99);                      /* cdq / cqo */
        out_modrm(s, OPC_GRP3 | w, EXT3_IDIV, a[2]);
        break;
    case INDEX_op_divu:
    case INDEX_op_remu:
        out_arith(s, ARITH_XOR, TCG_TYPE_I32, RDX, RDX);
        out_modrm(s, OPC_GRP3 | w, EXT3_DIV, a[2]);
        break;
    case INDEX_op_mulu2:
        out_modrm(s, OPC_GRP3 | w, EXT3_MUL, a[3]);
        break;
    case INDEX_op_muls2:
        out_modrm(s, OPC_GRP3 | w, EXT3_IMUL, a[3]);
        break;

    case INDEX_op_clz:
        if (have_lzcnt) {
            out_modrm(s, OPC_LZCNT | w, a[0], a[1]);
            out_modrm(s, (OPC_CMOVCC + 0x2) | w, a[0], a[2]);   /* cmovb */
        } else {
            out_modrm(s, OPC_BSR | w, a[0], a[1]);
            out_arithi(s, ARITH_XOR, type, a[0], bits - 1);
            out_modrm(s, OPC_TEST | w, a[1], a[1]);
            out_modrm(s, (OPC_CMOVCC + 0x4) | w, a[0], a[2]);   /* cmove */
        }
        break;
    case INDEX_op_ctz:
        if (have_bmi1) {
            out_modrm(s, OPC_TZCNT | w, a[0], a[1]);
            out_modrm(s, (OPC_CMOVCC + 0x2) | w, a[0], a[2]);
        } else {
            out_modrm(s, OPC_BSF | w, a[0], a[1]);
            out_modrm(s, (OPC_CMOVCC + 0x4) | w, a[0], a[2]);
        }
        break;
    case INDEX_op_ctpop:
        if (have_popcnt) {
            out_modrm(s, OPC_POPCNT | w, a[0], a[1]);
        } else {
            out_ctpop_generic(s, type, a[0], a[1]);
        }
        break;

    case INDEX_op_neg:
        out_modrm(s, OPC_GRP3 | w, EXT3_NEG, a[0]);
        break;
    case INDEX_op_not:
        out_modrm(s, OPC_GRP3 | w, EXT3_NOT, a[0]);
        break;
    case INDEX_op_ext8s:
        out_modrm(s, OPC_MOVSBL | P_REXB_RM | w, a[0], a[1]);
        break;
    case INDEX_op_ext8u:
        out_modrm(s, OPC_MOVZBL | P_REXB_RM, a[0], a[1]);
        break;
    case INDEX_op_ext16s:
        out_modrm(s, OPC_MOVSWL | w, a[0], a[1]);
        break;
    case INDEX_op_ext16u:
        out_modrm(s, OPC_MOVZWL, a[0], a[1]);
        break;
    case INDEX_op_ext32s:
        out_modrm(s, OPC_MOVSLQ, a[0], a[1]);
        break;
    case INDEX_op_ext32u:
        out_modrm(s, OPC_MOVL_EvGv, a[1], a[0]);
        break;
    case INDEX_op_bswap16:
        out_modrm(s, OPC_SHIFT_Ib | P_DATA16, SH_ROL, a[0]);
        tcg_out8(s, 8);
        if (a[2] & TCG_BSWAP_OS) {
            out_modrm(s, OPC_MOVSWL | w, a[0], a[0]);
        } else {
            out_modrm(s, OPC_MOVZWL, a[0], a[0]);
        }
        break;
    case INDEX_op_bswap32:
        out_opc(s, OPC_BSWAP + (a[0] & 7), 0, a[0], 0);
        if ((a[2] & TCG_BSWAP_OS) && type == TCG_TYPE_I64) {
            out_modrm(s, OPC_MOVSLQ, a[0], a[0]);
        }
        break;
    case INDEX_op_bswap64:
        out_opc(s, (OPC_BSWAP + (a[0] & 7)) | P_REXW, 0, a[0], 0);
        break;

    case INDEX_op_setcond:
    case INDEX_op_negsetcond:
        out_cmp(s, type, a[1], a[2], c[2]);
        out_modrm(s, OPC_SETCC + x86_cond[a[3]], 0, a[0]);
        out_modrm(s, OPC_MOVZBL | P_REXB_RM, a[0], a[0]);
        if (op->opc == INDEX_op_negsetcond) {
            out_modrm(s, OPC_GRP3 | w, EXT3_NEG, a[0]);
        }
        break;
    case INDEX_op_movcond:
        out_cmp(s, type, a[1], a[2], c[2]);
        out_modrm(s, (OPC_CMOVCC + x86_cond[a[5]]) | w, a[0], a[3]);
        break;
    case INDEX_op_brcond:
        out_cmp(s, type, a[0], a[1], c[1]);
        out_jmp_label(s, x86_cond[a[2]], tcg_label_from_arg(a[3]));
        break;
    case INDEX_op_br:
        out_jmp_label(s, -1, tcg_label_from_arg(a[0]));
        break;

    case INDEX_op_mb:
        if (a[0] & TCG_MO_ST_LD) {
            tcg_out8(s, 0x0f);
            tcg_out8(s, 0xae);
            tcg_out8(s, 0xf0);              /* mfence */
        }
        break;
    case INDEX_op_exit_tb:
        x86_out_movi(s, TCG_TYPE_I64, RAX, a[0]);
        out_jmp_abs(s, tb_ret_addr);
        break;
    case INDEX_op_goto_tb:
        /* jmp rel32 with the displacement 4-aligned for atomic patching */
        while (((uintptr_t)s->code_ptr + 1) & 3) {
            tcg_out8(s, 0x90);
        }
        tcg_out8(s, OPC_JMP_long);
        s->goto_tb_insn[a[0]] = s->code_ptr - s->code_buf;
        tcg_out32(s, 0);
        s->goto_tb_reset[a[0]] = s->code_ptr - s->code_buf;
        break;
    case INDEX_op_goto_ptr:
        out_modrm(s, 0xff, 4, a[0]);
        break;
    case INDEX_op_qemu_ld:
        out_qemu_ldst(s, true, type, a[0], a[1], a[2]);
        break;
    case INDEX_op_qemu_st:
        out_qemu_ldst(s, false, type, a[0], a[1], a[2]);
        break;
    default:
        g_error("tcg/x86_64: unexpected op %s", tcg_op_defs[op->opc].name);
    }
}

/* ---- prologue, exec, chaining ---------------------------------------- */

static const int8_t saved_regs[] = { RBP, RBX, R12, R13, R14, R15 };

static void out_push(TCGContext *s, int r)
{
    out_opc(s, 0x50 + (r & 7), 0, r, 0);
}

static void out_pop(TCGContext *s, int r)
{
    out_opc(s, 0x58 + (r & 7), 0, r, 0);
}

static void x86_out_prologue(TCGContext *s)
{
    int i;

    for (i = 0; i < (int)sizeof(saved_regs); i++) {
        out_push(s, saved_regs[i]);
    }
    out_arithi(s, ARITH_SUB, TCG_TYPE_I64, RSP, FRAME_SIZE);
    x86_out_mov(s, TCG_TYPE_I64, RBP, RDI);
    out_modrm(s, 0xff, 4, RSI);                 /* jmp *%rsi */

    /* goto_ptr to tcg_code_gen_epilogue returns 0; exit_tb skips that */
    s->epilogue[TCG_BACKEND_NATIVE] = (void *)tcg_rw_to_rx(s, s->code_ptr);
    out_arith(s, ARITH_XOR, TCG_TYPE_I32, RAX, RAX);
    tb_ret_addr = (void *)tcg_rw_to_rx(s, s->code_ptr);
    out_arithi(s, ARITH_ADD, TCG_TYPE_I64, RSP, FRAME_SIZE);
    for (i = sizeof(saved_regs) - 1; i >= 0; i--) {
        out_pop(s, saved_regs[i]);
    }
    tcg_out8(s, 0xc3);
}

static uintptr_t x86_exec(CPUArchState *env, const void *tb_code)
{
    uintptr_t (*prologue)(CPUArchState *, const void *) =
        (uintptr_t (*)(CPUArchState *, const void *))tcg_ctx->prologue[TCG_BACKEND_NATIVE];

    return prologue(env, tb_code);
}

static void x86_set_jmp_target(TCGContext *s, uintptr_t jmp_rx, uintptr_t jmp_rw,
                               uintptr_t target)
{
    int32_t disp = (intptr_t)target - (intptr_t)(jmp_rx + 4);

    __atomic_store_n((int32_t *)jmp_rw, disp, __ATOMIC_RELAXED);
}

static const char *const x86_reg_names[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static const int8_t x86_alloc_order[] = {
    RBX, R12, R13, R14, R15, RAX, RCX, RDX, RSI, RDI, R8, R9,
};

static const int8_t x86_iarg_regs[] = { RDI, RSI, RDX, RCX, R8, R9 };

const TCGBackend tcg_backend_x86_64 = {
    .name = "x86_64",
    .nb_regs = 16,
    .reg_names = x86_reg_names,
    .alloc_order = x86_alloc_order,
    .nb_alloc_order = sizeof(x86_alloc_order),
    .call_clobbered = BIT(RAX) | BIT(RCX) | BIT(RDX) | BIT(RSI) | BIT(RDI)
                      | BIT(R8) | BIT(R9) | BIT(R10) | BIT(R11),
    .call_iarg_regs = x86_iarg_regs,
    .nb_call_iarg_regs = sizeof(x86_iarg_regs),
    .call_oarg_reg = RAX,
    .reg_env = RBP,
    .reg_sp = RSP,
    .frame_start = STATIC_CALL_ARGS,
    .frame_end = STATIC_CALL_ARGS + FRAME_SPILL,
    .constraints = x86_constraints,
    .const_match = x86_const_match,
    .out_op = x86_out_op,
    .out_mov = x86_out_mov,
    .out_movi = x86_out_movi,
    .out_ld = x86_out_ld,
    .out_st = x86_out_st,
    .out_sti = x86_out_sti,
    .out_call = x86_out_call,
    .patch_reloc = x86_patch_reloc,
    .tb_finalize = x86_tb_finalize,
    .out_prologue = x86_out_prologue,
    .set_jmp_target = x86_set_jmp_target,
    .exec = x86_exec,
    .tb_start = x86_tb_start,
};
