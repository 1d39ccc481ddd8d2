/*
 * The x86 translator's shared definitions: the decode tables' entry
 * format (decode.c), the decoded instruction, the DisasContext, and the
 * code-generation services that every translate-*.c file uses.
 *
 * How an instruction is translated (translate.c):
 *   1. decode.c reads prefixes, the opcode (one-byte, 0F, 0F38, 0F3A or
 *      a VEX map), walks group tables (ModRM.reg, mod, rm, mandatory
 *      prefix, REX.W/VEX.W, VEX.L) to one X86OpEntry, then ModRM, SIB,
 *      displacement and immediates as the entry's operand specs (the
 *      SDM's operand codes, Vol. 2 Appendix A.2) say.  #UD for what the
 *      SDM marks invalid, #GP beyond 15 bytes.
 *   2. translate.c checks mode, privilege, LOCK and CPUID, computes the
 *      memory operand's linear address (A0), loads the source operands
 *      (op 0 into T0 unless X86_W0/NOWB, op 1 into T1, op 2 into T2),
 *      calls the entry's gen_ function, writes T0 back to op 0 (unless
 *      X86_R0/NOWB), and only then commits the flags the gen function
 *      described (so a faulting store leaves the old flags).
 *   3. gen_MNEMONIC functions live in translate-int.c (integer),
 *      translate-sys.c (system, control flow across segments),
 *      translate-string.c (string instructions), translate-fpu.c (x87),
 *      translate-sse.c (MMX/SSE/AVX).
 */
#ifndef TARGET_I386_TRANSLATE_H
#define TARGET_I386_TRANSLATE_H

#include "target/i386/x86-tcg.h"
#include "exec/translator.h"
#include "tcg/tcg-op.h"

#define HELPER_H "target/i386/helper.h"
#include "tcg/helper-proto.h"
#include "tcg/helper-gen.h"

/* ---- decode tables ---- */

typedef enum X86OpKind {
    X86_OP_NONE = 0,
    X86_OP_E,       /* ModRM r/m: GPR or memory */
    X86_OP_M,       /* ModRM r/m: memory only (register form #UD) */
    X86_OP_R,       /* ModRM r/m: GPR, register form only */
    X86_OP_RANY,    /* ModRM r/m as a GPR whatever mod says (MOV CR/DR) */
    X86_OP_G,       /* ModRM reg: GPR */
    X86_OP_S,       /* ModRM reg: segment register */
    X86_OP_C,       /* ModRM reg: control register */
    X86_OP_D,       /* ModRM reg: debug register */
    X86_OP_V,       /* ModRM reg: XMM/YMM */
    X86_OP_W,       /* ModRM r/m: XMM/YMM or memory */
    X86_OP_U,       /* ModRM r/m: XMM/YMM, register form only */
    X86_OP_H,       /* VEX.vvvv: XMM/YMM (legacy SSE: = the destination) */
    X86_OP_L,       /* imm8[7:4]: XMM/YMM */
    X86_OP_P,       /* ModRM reg: MMX */
    X86_OP_Q,       /* ModRM r/m: MMX or memory */
    X86_OP_N,       /* ModRM r/m: MMX, register form only */
    X86_OP_B,       /* VEX.vvvv: GPR */
    X86_OP_I,       /* immediate */
    X86_OP_J,       /* relative branch displacement */
    X86_OP_A,       /* far pointer immediate (ptr16:16/32) */
    X86_OP_O,       /* memory at an immediate offset (moffs) */
    X86_OP_ONE,     /* the constant 1 (shifts) */
    X86_OP_Z,       /* GPR in the opcode's low 3 bits (+ REX.B) */
    X86_OP_REG,     /* fixed GPR: spec.reg (rAX, CL, DX...) */
    X86_OP_SEG,     /* fixed segment register: spec.reg */
    X86_OP_X,       /* DS:rSI (string source) */
    X86_OP_Y,       /* ES:rDI (string destination) */
    X86_OP_ST0,     /* x87 ST(0) */
    X86_OP_STI,     /* x87 ST(i), i = ModRM.rm */
} X86OpKind;

typedef enum X86OpSize {
    X86_SZ_NONE = 0,
    X86_SZ_b,       /* byte */
    X86_SZ_w,       /* word */
    X86_SZ_d,       /* doubleword */
    X86_SZ_q,       /* quadword */
    X86_SZ_v,       /* operand size: 16/32/64 */
    X86_SZ_z,       /* operand size, at most 32 (immediates) */
    X86_SZ_y,       /* 32, or 64 with REX.W/64-bit operand size */
    X86_SZ_p,       /* far pointer: offset of operand size + selector */
    X86_SZ_a,       /* BOUND: two words or dwords */
    X86_SZ_s,       /* pseudo-descriptor (6 or 10 bytes) */
    X86_SZ_dq,      /* 128 bits */
    X86_SZ_qq,      /* 256 bits */
    X86_SZ_x,       /* 128 or 256 by VEX.L */
    X86_SZ_ss,      /* scalar single (memory: 32 bits) */
    X86_SZ_sd,      /* scalar double (memory: 64 bits) */
    X86_SZ_f80,     /* x87 extended (memory: 80 bits) */
    X86_SZ_mem,     /* memory of a size the gen function knows */
    X86_SZ_xh,      /* half of x: 8 or 16 bytes by VEX.L (CVTPS2PD...) */
    X86_SZ_xq,      /* a quarter of x: 4 or 8 (PMOVSXBD...) */
    X86_SZ_xo,      /* an eighth of x: 2 or 4 (PMOVSXBQ) */
    X86_SZ_dup,     /* MOVDDUP: 8 bytes, or 32 with VEX.L */
} X86OpSize;

typedef struct X86OpSpec {
    uint8_t kind;   /* X86OpKind */
    uint8_t size;   /* X86OpSize */
    uint8_t reg;    /* X86_OP_REG/SEG: which */
} X86OpSpec;

/* X86OpEntry.flags */
enum {
    X86_R0     = 1 << 0,   /* op 0 is only read (no write-back) */
    X86_W0     = 1 << 1,   /* op 0 is only written (not loaded) */
    X86_NOWB   = 1 << 2,   /* gen loads/stores its operands itself */
    X86_LOCK   = 1 << 3,   /* LOCK allowed (with a memory op 0) */
    X86_I64    = 1 << 4,   /* invalid in 64-bit mode */
    X86_O64    = 1 << 5,   /* only in 64-bit mode */
    X86_D64    = 1 << 6,   /* 64-bit operand size by default in 64-bit mode */
    X86_F64    = 1 << 7,   /* 64-bit operand size in 64-bit mode (66 ignored) */
    X86_PRIV   = 1 << 8,   /* CPL 0 only: #GP(0) otherwise */
    X86_REP    = 1 << 9,   /* string insn: REP/REPE/REPNE apply */
    X86_NOREAD1 = 1 << 10, /* op 1 is an address only (LEA, BND...) */
    X86_VEX    = 1 << 11,  /* VEX encoded form only */
    X86_NOVEX  = 1 << 12,  /* legacy encoded form only */
    X86_VEX_L0 = 1 << 13,  /* VEX.L must be 0 */
    X86_NO_REPZ_PFX = 1 << 14, /* F2/F3 make it #UD */
    X86_LOCK_IMPLIED = 1 << 15, /* atomic whenever op 0 is memory (XCHG) */
    /* vector instructions (translate-sse.c) */
    X86_SSE    = 1 << 16,  /* MMX/SSE/AVX: x86_sse_prologue/epilogue */
    X86_UNALIGNED = 1 << 17, /* legacy 16-byte memory operand: no #GP if
                                misaligned (MOVUPS, MOVDQU, LDDQU...) */
    X86_ALIGNED = 1 << 18, /* aligned memory operand also under VEX
                              (MOVAPS, MOVDQA, MOVNTx) */
    X86_AVX2_256 = 1 << 19, /* VEX.256 form needs AVX2 (integer ops) */
    X86_VEX_L1 = 1 << 20,  /* VEX.L must be 1 */
    X86_VEX_W0 = 1 << 21,  /* VEX.W must be 0 */
    X86_MMX_FP = 1 << 22,  /* MMX operand but no x87 transition if memory
                              (CVTPI2PS/PD with m64) */
};

/* How a group entry picks its sub-entry */
typedef enum X86GroupKind {
    X86_GRP_NONE = 0,
    X86_GRP_REG,    /* by ModRM.reg (8 entries) */
    X86_GRP_RM,     /* by ModRM.rm (8 entries, register form) */
    X86_GRP_MOD,    /* [0] memory form, [1] register form */
    X86_GRP_PFX,    /* mandatory prefix: [0] none, [1] 66, [2] F3, [3] F2 */
    X86_GRP_W,      /* [0] W0, [1] W1 (REX.W, VEX.W) */
    X86_GRP_VEXL,   /* [0] L0, [1] L1 */
    X86_GRP_OSZ,    /* operand size: [0] 16, [1] 32, [2] 64 */
    X86_GRP_ASZ,    /* address size: [0] 16, [1] 32, [2] 64 */
    X86_GRP_REPZ,   /* [0] no F3, [1] F3 (66 stays the operand size) */
    X86_GRP_REPNZ,  /* [0] no F2, [1] F2 (66 stays the operand size) */
    X86_GRP_CODE64, /* [0] outside, [1] in 64-bit mode */
    X86_GRP_X87,    /* D8-DF: ModRM.reg for memory, reg*8+rm for registers
                       (64 entries after the 8 memory ones) */
    X86_GRP_VEX,    /* [0] legacy encoding, [1] VEX */
} X86GroupKind;

typedef struct X86DecodedInsn X86DecodedInsn;
typedef struct DisasContext DisasContext;
typedef void (*X86GenFn)(DisasContext *s, X86DecodedInsn *d);

typedef struct X86OpEntry {
    X86GenFn gen;
    const char *name;           /* mnemonic */
    X86OpSpec op[4];
    uint32_t flags;             /* X86_* above */
    uint8_t feature;            /* X86Feature needed (0: none) */
    uint8_t gkind;              /* X86GroupKind, with group */
    const struct X86OpEntry *group;
    int16_t arg;                /* for the gen function (condition, op...) */
} X86OpEntry;

/* CPUID features the decoder checks */
typedef enum X86Feature {
    X86_FEAT_NONE = 0,
    X86_FEAT_CMOV, X86_FEAT_CX8, X86_FEAT_CX16, X86_FEAT_MMX, X86_FEAT_SSE,
    X86_FEAT_SSE2, X86_FEAT_SSE3, X86_FEAT_SSSE3, X86_FEAT_SSE41,
    X86_FEAT_SSE42, X86_FEAT_POPCNT, X86_FEAT_MOVBE, X86_FEAT_AES,
    X86_FEAT_PCLMULQDQ, X86_FEAT_AVX, X86_FEAT_AVX2, X86_FEAT_FMA,
    X86_FEAT_F16C, X86_FEAT_BMI1, X86_FEAT_BMI2, X86_FEAT_LZCNT,
    X86_FEAT_ADX, X86_FEAT_RDRAND, X86_FEAT_RDSEED, X86_FEAT_FSGSBASE,
    X86_FEAT_RDTSCP, X86_FEAT_RDPID, X86_FEAT_XSAVE, X86_FEAT_XSAVEOPT,
    X86_FEAT_XSAVEC, X86_FEAT_FXSR, X86_FEAT_CLFLUSH, X86_FEAT_CLFLUSHOPT,
    X86_FEAT_CLWB, X86_FEAT_SHA, X86_FEAT_LAHF_LM, X86_FEAT_SYSCALL,
    X86_FEAT_SEP, X86_FEAT_INVPCID, X86_FEAT_SMAP, X86_FEAT_PKU,
    X86_FEAT_FPU, X86_FEAT_MONITOR, X86_FEAT_SSE4A, X86_FEAT_ABM,
    X86_FEAT_TSC, X86_FEAT_MSR, X86_FEAT_XSAVES,
    X86_FEAT_NB,
} X86Feature;

/* ---- the decoded instruction ---- */

typedef enum X86OperandType {
    X86_OPND_NONE,
    X86_OPND_REG,       /* GPR n (byte: AH-BH when high8) */
    X86_OPND_MEM,       /* memory at A0 */
    X86_OPND_IMM,       /* immediate in imm */
    X86_OPND_SEG,       /* segment register n */
    X86_OPND_CR, X86_OPND_DR,
    X86_OPND_XMM,       /* vector register n (offset in env: offset) */
    X86_OPND_MMX,       /* MMX register n */
    X86_OPND_ST,        /* x87 ST(n) */
} X86OperandType;

typedef struct X86Operand {
    uint8_t type;       /* X86OperandType */
    uint8_t kind;       /* the spec's X86OpKind */
    uint8_t n;          /* register number */
    bool high8;         /* AH, CH, DH, BH */
    MemOp ot;           /* integer size (MO_8..MO_64) */
    unsigned vsize;     /* vector operand bytes (8, 16, 32) */
    intptr_t offset;    /* vector register: offset in env */
    int64_t imm;        /* immediate (sign-extended as the insn says) */
    uint16_t imm2;      /* far pointer selector, ENTER's second immediate */
} X86Operand;

typedef struct X86DecodedAddr {
    int seg;            /* segment (after override) */
    int base, index;    /* -1: none; base -2: RIP-relative */
    int scale;          /* 0..3 */
    int64_t disp;
    MemOp aflag;        /* address size MO_16/32/64 */
} X86DecodedAddr;

struct X86DecodedInsn {
    const X86OpEntry *e;
    X86Operand op[4];
    X86DecodedAddr mem;
    bool has_mem;       /* an operand is memory: A0 holds its address */
    uint8_t b;          /* last opcode byte */
    int map;            /* 0: one-byte, 1: 0F, 2: 0F38, 3: 0F3A */
    uint8_t modrm;      /* valid if has_modrm */
    bool has_modrm;
    int mod, reg, rm;   /* ModRM fields with REX.R/B applied to reg/rm */
    MemOp ot;           /* the instruction's operand size (for v) */
    bool locked;        /* LOCK: gen must access op 0 atomically */
    /* flags after write-back (cc_op -1: the gen set nothing) */
    int cc_op;
    TCGv cc_dst, cc_src, cc_src2;
    TCGv cc_count;      /* non-NULL: commit only if this is nonzero */
};

/* ---- the translator's context ---- */

/* prefixes */
enum {
    PREFIX_REPZ = 1 << 0, PREFIX_REPNZ = 1 << 1, PREFIX_LOCK = 1 << 2,
    PREFIX_DATA = 1 << 3, PREFIX_ADR = 1 << 4, PREFIX_REX = 1 << 5,
    PREFIX_VEX = 1 << 6,
};

/* DisasContextBase.is_jmp values */
#define DISAS_JUMP       DISAS_TARGET_0   /* rip set: lookup_and_goto_ptr */
#define DISAS_EOB_NEXT   DISAS_TARGET_1   /* end the TB: state changed, rip
                                             = next insn, exit to the loop */
#define DISAS_EOB_ONLY   DISAS_TARGET_2   /* rip already set, exit to loop */
#define DISAS_EOB_INHIBIT DISAS_TARGET_3  /* as EOB_NEXT, then interrupt
                                             shadow for one insn */

struct DisasContext {
    DisasContextBase base;
    CPUX86State *env;
    uint32_t flags;         /* hflags of this TB */
    uint64_t cs_base;
    /* the insn being translated */
    uint64_t pc_start;      /* linear address of its first byte */
    uint64_t pc;            /* next byte to fetch */
    int prefix;
    int override;           /* segment override, -1: none */
    int rex_w, rex_r, rex_x, rex_b;
    bool vex_l;
    int vex_v;              /* VEX.vvvv (not inverted) */
    int vex_w;
    MemOp dflag, aflag;     /* operand and address size */
    /* mode, from flags */
    bool code64, code32, ss32, pe, vm86;
    int cpl, iopl, mem_index;
    bool addseg;
    /* lazy flags state at this point of the TB */
    int cc_op;              /* CCOp or CC_OP_DYNAMIC */
    bool cc_op_dirty;
    bool jmp_opt;           /* direct chaining allowed */
    uint32_t flags_insn;    /* X86_* flags of the decoded entry */
    /* temporaries */
    TCGv A0, T0, T1, T2, tmp0;
    TCGOp *prev_insn_start;
};

/* translate.c: TCG globals */
extern TCGv cpu_regs[CPU_NB_REGS];
extern TCGv cpu_cc_dst, cpu_cc_src, cpu_cc_src2;
extern TCGv_i32 cpu_cc_op;
extern TCGv cpu_seg_base[R_NB_SEGS];

/* decode.c */
bool x86_decode_insn(DisasContext *s, X86DecodedInsn *d);
uint8_t x86_ldub_code(DisasContext *s);
bool x86_feature_check(DisasContext *s, int feature);
bool x86_decode_too_long(DisasContext *s);

/* translate-sse.c: around the gen function of an X86_SSE entry */
bool x86_sse_prologue(DisasContext *s, X86DecodedInsn *d);
void x86_sse_epilogue(DisasContext *s, X86DecodedInsn *d);

/* ---- translate.c services ---- */

static inline MemOp mo_stacksize(DisasContext *s)
{
    return s->code64 ? MO_64 : s->ss32 ? MO_32 : MO_16;
}
/* operand size of push/pop/call in this mode */
static inline MemOp mo_pushpop(DisasContext *s, MemOp ot)
{
    if (s->code64) {
        return ot == MO_16 ? MO_16 : MO_64;
    }
    return ot;
}

void gen_exception(DisasContext *s, int vector);
void gen_exception_err(DisasContext *s, int vector, uint32_t err);
void gen_illegal_opcode(DisasContext *s);
void gen_update_cc_op(DisasContext *s);
void set_cc_op(DisasContext *s, int op);
void gen_update_eip_cur(DisasContext *s);
void gen_update_eip_next(DisasContext *s);
uint64_t eip_next(DisasContext *s);
uint64_t eip_cur(DisasContext *s);
void gen_jmp_rel(DisasContext *s, MemOp ot, int64_t diff, int tb_num);
void gen_jmp_to(DisasContext *s, TCGv dest);   /* rip = dest, then jump */
void gen_eob(DisasContext *s);                 /* end TB after this insn */
void gen_jump_end(DisasContext *s);            /* rip set: leave the TB */
void gen_compute_eflags(DisasContext *s);      /* -> cc_src, CC_OP_EFLAGS */
TCGv gen_compute_eflags_c(DisasContext *s, TCGv reg);
/* flags of condition b (0-15, Jcc encoding) */
typedef struct CCPrepare {
    TCGCond cond;
    TCGv reg, reg2;
    int64_t imm;
    bool use_reg2;
} CCPrepare;
CCPrepare gen_prepare_cc(DisasContext *s, int b, TCGv scratch);
void gen_setcc(DisasContext *s, int b, TCGv dest);
void gen_jcc(DisasContext *s, int b, TCGLabel *l);

/* registers */
void gen_op_mov_reg_v(DisasContext *s, MemOp ot, int reg, TCGv t0);
void gen_op_mov_v_reg(DisasContext *s, MemOp ot, TCGv t0, int reg);
bool byte_reg_is_xH(DisasContext *s, int reg);
void gen_add_A0_im(DisasContext *s, int val);
void gen_op_add_reg_im(DisasContext *s, MemOp size, int reg, int32_t val);
void gen_op_add_reg(DisasContext *s, MemOp size, int reg, TCGv val);
/* memory */
void gen_lea_v_seg(DisasContext *s, MemOp aflag, TCGv a0, int def_seg,
                   int ovr_seg);
void gen_op_ld_v(DisasContext *s, MemOp ot, TCGv t0, TCGv a0);
void gen_op_st_v(DisasContext *s, MemOp ot, TCGv t0, TCGv a0);
void gen_seg_check(DisasContext *s, int seg, TCGv ea, MemOp ot,
                   bool write);
TCGv gen_ext_tl(TCGv dst, TCGv src, MemOp size, bool sign);
/* stack */
void gen_push_v(DisasContext *s, TCGv val);
void gen_pop_T0(DisasContext *s);         /* T0 = top, ESP unchanged */
void gen_pop_update(DisasContext *s, MemOp ot);
MemOp gen_pop_size(DisasContext *s);
/* operands of d */
void gen_load_op(DisasContext *s, X86DecodedInsn *d, int i, TCGv v);
void gen_store_op(DisasContext *s, X86DecodedInsn *d, int i, TCGv v);
/* a linear address for ea in segment seg (honours overrides, ADDSEG) */
void gen_lea_modrm(DisasContext *s, X86DecodedInsn *d);
/* the flags the driver commits after write-back */
void set_cc(X86DecodedInsn *d, int op, TCGv dst, TCGv src, TCGv src2);
void gen_commit_cc(DisasContext *s, X86DecodedInsn *d);
/* port I/O (translate-sys.c) */
void gen_io_in(DisasContext *s, MemOp ot, TCGv val, TCGv port);
void gen_io_out(DisasContext *s, MemOp ot, TCGv val, TCGv port);
bool gen_io_check(DisasContext *s, TCGv port, MemOp ot);
/* privilege checks */
bool check_cpl0(DisasContext *s);
bool check_iopl(DisasContext *s);
bool check_vm86_iopl(DisasContext *s);

/* gen functions, by file, are referenced by decode.c's tables */
#define X86_GEN(name) void gen_##name(DisasContext *s, X86DecodedInsn *d)
#include "target/i386/translate-gen.h"


#endif
