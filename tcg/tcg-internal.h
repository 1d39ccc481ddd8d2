/*
 * TCG internals shared by the generic passes (tcg.c, tcg-op.c, optimize.c)
 * and the back ends (x86_64/, tci/).  Not for front ends.
 */
#ifndef TCG_TCG_INTERNAL_H
#define TCG_TCG_INTERNAL_H

#include <glib.h>
#include <inttypes.h>
#include <string.h>
#include "tcg/tcg.h"
#include "tcg/tcg-ldst.h"

/*
 * The IR opcodes.  DEF(name, oargs, iargs, cargs, flags).  Integer ops carry
 * their width in TCGOp.type; arguments are outputs, then inputs (temp
 * indices), then constant arguments.
 */
#define TCG_OPCODES(DEF) \
    DEF(nop,         0, 0, 0, OPF_NOT_PRESENT) \
    DEF(discard,     1, 0, 0, OPF_NOT_PRESENT) \
    DEF(set_label,   0, 0, 1, OPF_BB_END) \
    DEF(insn_start,  0, 0, 3, OPF_NOT_PRESENT) \
    DEF(call,        0, 0, 0, OPF_CALL_CLOBBER) /* variable */ \
    DEF(br,          0, 0, 1, OPF_BB_END) \
    DEF(brcond,      0, 2, 2, OPF_BB_END | OPF_COND_BRANCH) \
    DEF(mb,          0, 0, 1, OPF_SIDE_EFFECTS) \
    DEF(exit_tb,     0, 0, 1, OPF_BB_EXIT | OPF_BB_END) \
    DEF(goto_tb,     0, 0, 1, OPF_BB_EXIT | OPF_BB_END) \
    DEF(goto_ptr,    0, 1, 0, OPF_BB_EXIT | OPF_BB_END) \
    DEF(qemu_ld,     1, 1, 1, OPF_CALL_CLOBBER | OPF_SIDE_EFFECTS) \
    DEF(qemu_st,     0, 2, 1, OPF_CALL_CLOBBER | OPF_SIDE_EFFECTS) \
    DEF(mov,         1, 1, 0, 0) \
    DEF(ld8u,        1, 1, 1, 0) \
    DEF(ld8s,        1, 1, 1, 0) \
    DEF(ld16u,       1, 1, 1, 0) \
    DEF(ld16s,       1, 1, 1, 0) \
    DEF(ld32u,       1, 1, 1, 0) \
    DEF(ld32s,       1, 1, 1, 0) \
    DEF(ld,          1, 1, 1, 0) \
    DEF(st8,         0, 2, 1, OPF_SIDE_EFFECTS) \
    DEF(st16,        0, 2, 1, OPF_SIDE_EFFECTS) \
    DEF(st32,        0, 2, 1, OPF_SIDE_EFFECTS) \
    DEF(st,          0, 2, 1, OPF_SIDE_EFFECTS) \
    DEF(add,         1, 2, 0, 0) \
    DEF(sub,         1, 2, 0, 0) \
    DEF(mul,         1, 2, 0, 0) \
    DEF(and,         1, 2, 0, 0) \
    DEF(or,          1, 2, 0, 0) \
    DEF(xor,         1, 2, 0, 0) \
    DEF(andc,        1, 2, 0, 0) \
    DEF(shl,         1, 2, 0, 0) \
    DEF(shr,         1, 2, 0, 0) \
    DEF(sar,         1, 2, 0, 0) \
    DEF(rotl,        1, 2, 0, 0) \
    DEF(rotr,        1, 2, 0, 0) \
    DEF(div,         1, 2, 0, 0) \
    DEF(divu,        1, 2, 0, 0) \
    DEF(rem,         1, 2, 0, 0) \
    DEF(remu,        1, 2, 0, 0) \
    DEF(clz,         1, 2, 0, 0) \
    DEF(ctz,         1, 2, 0, 0) \
    DEF(neg,         1, 1, 0, 0) \
    DEF(not,         1, 1, 0, 0) \
    DEF(ext8s,       1, 1, 0, 0) \
    DEF(ext8u,       1, 1, 0, 0) \
    DEF(ext16s,      1, 1, 0, 0) \
    DEF(ext16u,      1, 1, 0, 0) \
    DEF(ext32s,      1, 1, 0, 0) \
    DEF(ext32u,      1, 1, 0, 0) \
    DEF(ctpop,       1, 1, 0, 0) \
    DEF(bswap16,     1, 1, 1, 0) \
    DEF(bswap32,     1, 1, 1, 0) \
    DEF(bswap64,     1, 1, 1, 0) \
    DEF(mulu2,       2, 2, 0, 0) \
    DEF(muls2,       2, 2, 0, 0) \
    DEF(setcond,     1, 2, 1, 0) \
    DEF(negsetcond,  1, 2, 1, 0) \
    DEF(movcond,     1, 4, 1, 0)

typedef enum TCGOpcode {
#define DEF(name, o, i, c, f) INDEX_op_##name,
    TCG_OPCODES(DEF)
#undef DEF
    NB_OPS
} TCGOpcode;

enum {
    OPF_BB_END       = 1 << 0,  /* ends a basic block: everything to memory */
    OPF_BB_EXIT      = 1 << 1,  /* leaves the TB */
    OPF_CALL_CLOBBER = 1 << 2,  /* clobbers call-clobbered host registers */
    OPF_SIDE_EFFECTS = 1 << 3,  /* never removed; globals synced before */
    OPF_COND_BRANCH  = 1 << 4,
    OPF_NOT_PRESENT  = 1 << 5,  /* no code from the back end */
};

typedef struct TCGOpDef {
    const char *name;
    uint8_t nb_oargs, nb_iargs, nb_cargs;
    uint8_t flags;
} TCGOpDef;

extern const TCGOpDef tcg_op_defs[NB_OPS];

#define TCG_MAX_OP_ARGS 10
#define TCG_MAX_TEMPS   4096
#define TCG_MAX_INSNS   512

struct TCGOp {
    uint8_t opc;                /* TCGOpcode */
    uint8_t type;               /* TCGType of integer ops */
    uint8_t call_oargs, call_iargs;  /* call only */
    uint32_t life;              /* DEAD_ARG / SYNC_ARG, set by liveness */
    TCGArg args[TCG_MAX_OP_ARGS];
};

#define DEAD_ARG(n)  (1u << (n))
#define SYNC_ARG(n)  (1u << (16 + (n)))

/* call op args: [out] [in...] info */
static inline const TCGHelperInfo *tcg_call_info(const TCGOp *op)
{
    return (const TCGHelperInfo *)op->args[op->call_oargs + op->call_iargs];
}

static inline int tcg_op_nb_oargs(const TCGOp *op)
{
    return op->opc == INDEX_op_call ? op->call_oargs
                                    : tcg_op_defs[op->opc].nb_oargs;
}

static inline int tcg_op_nb_iargs(const TCGOp *op)
{
    return op->opc == INDEX_op_call ? op->call_iargs
                                    : tcg_op_defs[op->opc].nb_iargs;
}

typedef enum TCGTempKind {
    TEMP_FIXED,                 /* env: always in its register */
    TEMP_GLOBAL,                /* CPU state field */
    TEMP_TB,                    /* lives until the end of the TB */
    TEMP_CONST,                 /* interned constant */
} TCGTempKind;

typedef enum TCGTempVal {
    VAL_DEAD,
    VAL_REG,
    VAL_MEM,
    VAL_CONST,
} TCGTempVal;

typedef struct TCGTemp {
    uint8_t kind;               /* TCGTempKind */
    uint8_t type;               /* TCGType */
    uint8_t val_type;           /* TCGTempVal */
    int8_t reg;
    bool mem_coherent;          /* memory copy up to date */
    bool mem_allocated;
    bool freed;                 /* TEMP_TB returned by tcg_temp_free_* */
    uint8_t state;              /* liveness scratch */
    bool crosses_bb;            /* TEMP_TB used in more than one basic block */
    int bb_id;                  /* liveness scratch */
    int64_t val;                /* VAL_CONST value */
    intptr_t mem_offset;        /* from env (globals) or from the frame */
    const char *name;
    /* optimizer */
    bool opt_const;
    int64_t opt_val;
    uint64_t z_mask;            /* bits that may be non-zero */
    uint32_t opt_version;       /* bumped at every write */
    int opt_copy;               /* temp this one is a copy of, or -1 */
    uint32_t opt_copy_version;  /* ... while that temp has this version */
} TCGTemp;

typedef struct TCGReloc {
    struct TCGReloc *next;
    uint8_t *ptr;               /* RW address of the field */
    int type;
    intptr_t addend;
} TCGReloc;

struct TCGLabel {
    int id;
    bool has_value;
    uint8_t *value;             /* RW address in the code buffer */
    TCGReloc *relocs;
};

typedef uint32_t TCGRegSet;
#define TCG_MAX_REGS 32

typedef struct TCGArgConstraint {
    TCGRegSet regs;             /* acceptable registers */
    uint16_t ct;                /* back-end constant classes accepted */
    int8_t alias;               /* input: output index it must share, or -1 */
    bool newreg;                /* output: may not share a register with inputs */
} TCGArgConstraint;

typedef struct TCGConstraintSet {
    TCGArgConstraint args[TCG_MAX_OP_ARGS];  /* outputs then inputs */
    TCGRegSet clobber;          /* destroyed by the op (beyond outputs) */
} TCGConstraintSet;

typedef struct TCGContext TCGContext;

/* One back end: everything tcg.c needs to know about the host. */
typedef struct TCGBackend {
    const char *name;
    int nb_regs;
    const char *const *reg_names;
    const int8_t *alloc_order;  /* allocatable regs, preferred first */
    int nb_alloc_order;
    TCGRegSet call_clobbered;
    const int8_t *call_iarg_regs;
    int nb_call_iarg_regs;      /* further args go to sp + 8 * (i - n) */
    int8_t call_oarg_reg;
    int8_t reg_env, reg_sp;
    intptr_t frame_start, frame_end;  /* spill area, offsets from reg_sp */

    /* fill *cs for op (args: outputs then inputs) */
    void (*constraints)(const TCGOp *op, TCGConstraintSet *cs);
    bool (*const_match)(int64_t val, TCGType type, unsigned ct);

    void (*out_op)(TCGContext *s, const TCGOp *op, const TCGArg *args,
                   const bool *const_args);
    void (*out_mov)(TCGContext *s, TCGType type, int dst, int src);
    void (*out_movi)(TCGContext *s, TCGType type, int reg, int64_t val);
    void (*out_ld)(TCGContext *s, TCGType type, int reg, int base, intptr_t ofs);
    void (*out_st)(TCGContext *s, TCGType type, int reg, int base, intptr_t ofs);
    /* store a constant without a register; false if it cannot (optional) */
    bool (*out_sti)(TCGContext *s, TCGType type, int64_t val, int base,
                    intptr_t ofs);
    void (*out_call)(TCGContext *s, const TCGHelperInfo *info);
    bool (*patch_reloc)(uint8_t *ptr, int type, uintptr_t value, intptr_t addend);
    /* emit out-of-line code at the end of the TB; false: no room */
    bool (*tb_finalize)(TCGContext *s);
    void (*out_prologue)(TCGContext *s);
    void (*set_jmp_target)(TCGContext *s, uintptr_t jmp_rx, uintptr_t jmp_rw,
                           uintptr_t target);
    uintptr_t (*exec)(CPUArchState *env, const void *tb_code);
    /* per-TB init of private state */
    void (*tb_start)(TCGContext *s);
} TCGBackend;

extern const TCGBackend tcg_backend_x86_64;
extern const TCGBackend tcg_backend_tci;

typedef struct TCGLdstLabel TCGLdstLabel;

struct TCGContext {
    TCGTargetInfo target;
    const TCGBackend *be;

    TCGTemp temps[TCG_MAX_TEMPS];
    int nb_globals, nb_temps;
    int nb_freed;                       /* TEMP_TB temps awaiting reuse */
    GHashTable *const_table[2];         /* value -> temp index, per type */

    GPtrArray *ops;                     /* TCGOp *, in order */
    GPtrArray *labels;
    GPtrArray *arena;                   /* per-function allocations */

    /* code buffer */
    uint8_t *code_gen_buffer;           /* RW view */
    size_t code_gen_buffer_size;
    intptr_t code_rx_offset;            /* RX = RW + offset */
    uint8_t *code_gen_start;            /* first byte after the prologues */
    uint8_t *code_gen_ptr;              /* next free byte */
    uint8_t *code_gen_highwater;
    uint8_t *code_ptr;                  /* emission cursor (RW) */
    uint8_t *code_buf;                  /* start of the current TB's code */
    const void *epilogue[2];            /* per back end, RX */
    const void *prologue[2];

    /* register allocation */
    TCGTemp *reg_to_temp[TCG_MAX_REGS];
    TCGRegSet reserved_regs;
    intptr_t frame_next;
    bool alloc_failed;

    /* the TB being translated: its cflags (tcg_set_tb_cflags) */
    uint32_t gen_cflags;

    /* current TB */
    TranslationBlock *tb;
    int nb_insns;
    uint32_t insn_end_off[TCG_MAX_INSNS];
    uint64_t insn_data[TCG_MAX_INSNS][3];
    uint16_t goto_tb_reset[2], goto_tb_insn[2];

    /* back-end private per-TB state */
    void *be_priv;

    FILE *logfile;
    unsigned log_flags;
    bool log_explicit;                  /* tcg_set_log() called */
    bool no_optimize;
};

extern TCGContext *tcg_ctx;

/* handles */
static inline int tcgv_idx(TCGArg v)
{
    return (int)v - 1;
}

static inline TCGArg tcg_idx_arg(int idx)
{
    return (TCGArg)(idx + 1);
}

static inline TCGTemp *arg_temp(TCGArg a)
{
    return &tcg_ctx->temps[a];
}

/* op construction (tcg.c) */
TCGOp *tcg_emit_op(TCGOpcode opc, TCGType type, int nargs);
void *tcg_arena_alloc(size_t size);
int tcg_const_temp(TCGType type, int64_t val);      /* temp index */
int tcg_new_temp(TCGType type);
TCGLabel *tcg_label_from_arg(TCGArg a);

/* passes */
void tcg_optimize(TCGContext *s);
int64_t tcg_fold_op(TCGOpcode opc, TCGType type, const int64_t *in,
                    TCGArg carg, bool *ok);
bool tcg_cond_eval(TCGCond c, TCGType type, int64_t a, int64_t b);

/* code emission helpers for back ends */
static inline uintptr_t tcg_rw_to_rx(TCGContext *s, const void *rw)
{
    return (uintptr_t)rw + s->code_rx_offset;
}

static inline void tcg_out8(TCGContext *s, uint8_t v)
{
    *s->code_ptr++ = v;
}

static inline void tcg_out16(TCGContext *s, uint16_t v)
{
    memcpy(s->code_ptr, &v, 2);
    s->code_ptr += 2;
}

static inline void tcg_out32(TCGContext *s, uint32_t v)
{
    memcpy(s->code_ptr, &v, 4);
    s->code_ptr += 4;
}

static inline void tcg_out64(TCGContext *s, uint64_t v)
{
    memcpy(s->code_ptr, &v, 8);
    s->code_ptr += 8;
}

/* branch to label: record a relocation or patch at once */
void tcg_out_reloc(TCGContext *s, uint8_t *ptr, int type, TCGLabel *l,
                   intptr_t addend);

static inline TCGRegSet tcg_regset_bit(int r)
{
    return (TCGRegSet)1 << r;
}

/* host feature probes (x86_64 back end) */
bool tcg_x86_probe(void);

#endif /* TCG_TCG_INTERNAL_H */
