/*
 * TCG: Turtle's code generator, host side.
 *
 * Life of a translation (all of it under the caller's translation lock;
 * the generator keeps one global context and is not reentrant):
 *
 *   tcg_init(&info, &opts, &err)       once, at accelerator start
 *   tb = tcg_tb_alloc()                NULL: buffer full -> flush everything
 *   tcg_func_start()                   new IR function, temps reset
 *   ... front end: tcg_gen_*() ...     (include/tcg/tcg-op.h)
 *   n = tcg_gen_code(tb)               >= 0: bytes of host code, tb->tc set,
 *                                          the code is claimed in the buffer
 *                                      -1: buffer full -> tcg_region_reset_all()
 *                                          and retranslate
 *                                      -2: TB too large (too many temps / code)
 *                                          -> retranslate with fewer insns
 *   ret = tcg_qemu_tb_exec(env, tb->tc.ptr)
 *
 * tcg_qemu_tb_exec() returns (uintptr_t)last_tb | TB_EXIT_*: the TB that
 * exited (it may differ from the one entered, because of chaining) and how
 * (TB_EXIT_IDX0/1: through goto_tb slot n while unchained; TB_EXIT_REQUESTED:
 * icount_decr was negative at TB entry).  0 means "no TB to chain from"
 * (exit_tb(NULL, 0), e.g. after an interrupt-enabling insn, or
 * lookup_and_goto_ptr found nothing).
 *
 * Per-target parameters are runtime values (both guests link the same
 * libtcg): see TCGTargetInfo.  The softmmu TLB layout the generated code
 * reads is in include/exec/tlb-common.h; the slow-path and TB-lookup helpers
 * accel/tcg must provide are in include/tcg/tcg-ldst.h.
 */
#ifndef TCG_TCG_H
#define TCG_TCG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "exec/tlb-common.h"
#include "exec/translation-block.h"
#include "tcg/tcg-memop.h"

/* ---- IR values ------------------------------------------------------- */

typedef enum TCGType {
    TCG_TYPE_I32,
    TCG_TYPE_I64,
    TCG_TYPE_PTR = TCG_TYPE_I64,     /* 64-bit hosts only */
} TCGType;

/*
 * Opaque, distinct handle types: a TCGv_i32 cannot be passed where a
 * TCGv_i64 is expected.  The value is an index into the context, so 0
 * (NULL) is never a valid temp.
 */
typedef struct TCGv_i32_d *TCGv_i32;
typedef struct TCGv_i64_d *TCGv_i64;
typedef struct TCGv_ptr_d *TCGv_ptr;
typedef TCGv_i64 TCGv;               /* guest-word sized: both guests are 64-bit */

typedef uintptr_t TCGArg;

/* Generic handle <-> typed handle (used by helper-gen.h) */
#define tcgv_i32_arg(v) ((TCGArg)(v))
#define tcgv_i64_arg(v) ((TCGArg)(v))
#define tcgv_ptr_arg(v) ((TCGArg)(v))

/* The env pointer, in a fixed host register inside generated code. */
extern TCGv_ptr tcg_env;

typedef struct TCGLabel TCGLabel;
typedef struct TCGOp TCGOp;

/* ---- conditions ------------------------------------------------------ */

typedef enum TCGCond {
    TCG_COND_NEVER  = 0,
    TCG_COND_ALWAYS = 1,
    TCG_COND_EQ     = 2,
    TCG_COND_NE     = 3,
    TCG_COND_LT     = 4,   /* signed */
    TCG_COND_GE     = 5,
    TCG_COND_LE     = 6,
    TCG_COND_GT     = 7,
    TCG_COND_LTU    = 8,   /* unsigned */
    TCG_COND_GEU    = 9,
    TCG_COND_LEU    = 10,
    TCG_COND_GTU    = 11,
    TCG_COND_TSTEQ  = 12,  /* (a & b) == 0 */
    TCG_COND_TSTNE  = 13,  /* (a & b) != 0 */
} TCGCond;

/* !cond: EQ<->NE, LT<->GE, LE<->GT, ... */
static inline TCGCond tcg_invert_cond(TCGCond c)
{
    return (TCGCond)(c ^ 1);
}

/* cond with swapped operands: LT<->GT, LE<->GE, ... */
static inline TCGCond tcg_swap_cond(TCGCond c)
{
    switch (c) {
    case TCG_COND_LT:  return TCG_COND_GT;
    case TCG_COND_GT:  return TCG_COND_LT;
    case TCG_COND_LE:  return TCG_COND_GE;
    case TCG_COND_GE:  return TCG_COND_LE;
    case TCG_COND_LTU: return TCG_COND_GTU;
    case TCG_COND_GTU: return TCG_COND_LTU;
    case TCG_COND_LEU: return TCG_COND_GEU;
    case TCG_COND_GEU: return TCG_COND_LEU;
    default:           return c;
    }
}

/* ---- memory barriers (tcg_gen_mb) ----------------------------------- */

typedef enum TCGBar {
    TCG_MO_LD_LD  = 0x01,
    TCG_MO_ST_LD  = 0x02,
    TCG_MO_LD_ST  = 0x04,
    TCG_MO_ST_ST  = 0x08,
    TCG_MO_ALL    = 0x0f,
    TCG_BAR_LDAQ  = 0x10,
    TCG_BAR_STRL  = 0x20,
    TCG_BAR_SC    = 0x30,
} TCGBar;

/* bswap flags */
enum {
    TCG_BSWAP_IZ = 1,      /* input bits above the swapped size are zero */
    TCG_BSWAP_OZ = 2,      /* zero-extend the result */
    TCG_BSWAP_OS = 4,      /* sign-extend the result */
};

/* ---- helpers -------------------------------------------------------- */

/*
 * Helper call flags.  Without any flag a helper may read and write any
 * global (all globals are synced to memory before the call and reloaded
 * after) and has side effects (never removed).
 */
#define TCG_CALL_NO_WG     0x01   /* reads globals, does not write them */
#define TCG_CALL_NO_RWG    0x02   /* neither reads nor writes globals */
#define TCG_CALL_NO_SE     0x04   /* no side effects: dead if result unused */
#define TCG_CALL_NO_RETURN 0x08   /* never returns (longjmps) */
#define TCG_CALL_NO_RWG_SE (TCG_CALL_NO_RWG | TCG_CALL_NO_SE)
#define TCG_CALL_NO_WG_SE  (TCG_CALL_NO_WG | TCG_CALL_NO_SE)

/* typemask codes, 3 bits per slot: slot 0 the result, slot n argument n */
enum {
    TCG_TYPECODE_VOID = 0,
    TCG_TYPECODE_I32  = 1,
    TCG_TYPECODE_S32  = 2,
    TCG_TYPECODE_I64  = 3,
    TCG_TYPECODE_S64  = 4,
    TCG_TYPECODE_PTR  = 5,
};
#define TCG_MAX_HELPER_ARGS 7

typedef struct TCGHelperInfo {
    void *func;
    const char *name;
    unsigned flags;             /* TCG_CALL_* */
    uint32_t typemask;
} TCGHelperInfo;

/*
 * Helper ABI.  Native back end: the host C calling convention.  TCI: every
 * helper is called through one pointer type, uint64_t (*)(uint64_t x 7),
 * with the 64-bit interpreter registers as arguments (the bits above a
 * 32-bit argument are unspecified, exactly as the C ABI allows); this is
 * correct on x86-64 SysV and AArch64 AAPCS64, where integer and pointer
 * arguments up to the 7th travel in 64-bit registers, surplus arguments are
 * ignored by the callee and a narrower return value sits in the low bits of
 * the result register.  Helpers therefore must only take integer or pointer
 * arguments (no float, no struct by value, no variadics, no bool/char/short
 * parameters, at most TCG_MAX_HELPER_ARGS).
 *
 * Helpers that need the host return address to restore guest state (to
 * raise an exception) use TCG_GETPC(): with the native back end it is the
 * helper's own return address, with TCI the current bytecode position.
 * It must be evaluated directly in the helper called from generated code.
 */
extern bool tcg_use_tci;
extern __thread uintptr_t tci_tb_ptr;
#define TCG_GETPC() \
    (tcg_use_tci ? tci_tb_ptr : (uintptr_t)__builtin_return_address(0))
#ifndef GETPC
#define GETPC() TCG_GETPC()
#endif

/* ---- initialisation ------------------------------------------------- */

typedef enum TCGBackendKind {
    TCG_BACKEND_NATIVE,         /* host code; TCI where the host has none */
    TCG_BACKEND_TCI,            /* portable bytecode + interpreter */
} TCGBackendKind;

/* Set by each target once, before tcg_init(). */
typedef struct TCGTargetInfo {
    unsigned page_bits;         /* TARGET_PAGE_BITS (12 for both guests) */
    unsigned nb_mmu_modes;      /* NB_MMU_MODES, <= TCG_MAX_MMU_MODES */
    /*
     * offsetof(ArchCPU, neg) - offsetof(ArchCPU, env): negative.  The
     * generated code reads neg.tlb.f[] and neg.icount_decr through it.
     */
    intptr_t tlb_neg_offset;
    unsigned insn_start_words;  /* TARGET_INSN_START_WORDS, 1..3 */
    bool guest_big_endian;
} TCGTargetInfo;

typedef struct TCGOptions {
    TCGBackendKind backend;
    size_t tb_size;             /* code buffer bytes; 0: default (<= 256 MB) */
    bool split_wx;              /* RW and RX views of one memfd */
} TCGOptions;

/*
 * Map the code buffer, generate the prologue(s) and create tcg_env.
 * Returns false with a g_malloc'd message in *errmsg (if non-NULL) when
 * the buffer cannot be mapped.  Call once.
 */
bool tcg_init(const TCGTargetInfo *info, const TCGOptions *opts, char **errmsg);

/*
 * Switch back end (both prologues exist from tcg_init on).  Code already
 * generated by the other back end must not be executed afterwards: the
 * caller flushes its TB cache.  NATIVE on a host without one selects TCI.
 */
void tcg_set_backend(TCGBackendKind kind);
TCGBackendKind tcg_get_backend(void);
bool tcg_have_native_backend(void);
const char *tcg_backend_name(void);

/* ---- globals and temps ------------------------------------------------ */

/*
 * Globals: IR values bound to a CPU-state field, env + offset.  Create them
 * once after tcg_init(); they live for the whole process.  Only base ==
 * tcg_env is supported.
 */
TCGv_i32 tcg_global_mem_new_i32(TCGv_ptr base, intptr_t offset, const char *name);
TCGv_i64 tcg_global_mem_new_i64(TCGv_ptr base, intptr_t offset, const char *name);
TCGv_ptr tcg_global_mem_new_ptr(TCGv_ptr base, intptr_t offset, const char *name);
#define tcg_global_mem_new tcg_global_mem_new_i64

/* Temps live until the end of the TB (across labels); no need to free. */
TCGv_i32 tcg_temp_new_i32(void);
TCGv_i64 tcg_temp_new_i64(void);
TCGv_ptr tcg_temp_new_ptr(void);
#define tcg_temp_new tcg_temp_new_i64
/* Optional: lets the temp be reused for a later tcg_temp_new_*. */
void tcg_temp_free_i32(TCGv_i32 v);
void tcg_temp_free_i64(TCGv_i64 v);
void tcg_temp_free_ptr(TCGv_ptr v);

/* Read-only constants (interned per TB).  Never write to them. */
TCGv_i32 tcg_constant_i32(int32_t val);
TCGv_i64 tcg_constant_i64(int64_t val);
TCGv_ptr tcg_constant_ptr(intptr_t val);
#define tcg_constant_tl tcg_constant_i64

/* ---- translation -------------------------------------------------- */

/* Start a new IR function (one TB).  Drops all temps, ops and labels,
 * and resets the TB cflags the builder sees to 0 (serial). */
void tcg_func_start(void);

/*
 * The cflags of the TB being translated (translator_loop sets them from
 * tb->cflags).  The builder reads CF_PARALLEL: with it, tcg_gen_atomic_*
 * are host atomics (helper calls into accel/tcg); without it, plain
 * load/op/store sequences (nothing else runs meanwhile).
 */
void tcg_set_tb_cflags(uint32_t cflags);
uint32_t tcg_tb_cflags(void);

/*
 * Allocate a TranslationBlock in the code buffer (zeroed).  NULL when the
 * buffer is full: the caller flushes all TBs (tcg_region_reset_all()).
 */
TranslationBlock *tcg_tb_alloc(void);

/*
 * Optimize, allocate registers and emit the current IR for tb into the
 * code buffer; fills tb->tc and tb->jmp_*.  See the top of this file for
 * the return values.  Logging per tcg_set_log().
 */
int tcg_gen_code(TranslationBlock *tb);

/* Throw away everything in the code buffer except the prologues. */
void tcg_region_reset_all(void);
/* Bytes used / total in the code buffer. */
size_t tcg_code_size(void);
size_t tcg_code_capacity(void);
/* Number of IR ops in the current function (for statistics). */
int tcg_op_count(void);

/*
 * Run translated code: enter at tb_code (a tc.ptr) with env in the env
 * register; returns at the first exit_tb.  Not reentrant per thread.
 */
uintptr_t tcg_qemu_tb_exec(CPUArchState *env, const void *tb_code);

/* Where lookup_and_goto_ptr goes when helper_lookup_tb_ptr() finds no TB:
 * returning this makes tcg_qemu_tb_exec() return 0. */
extern const void *tcg_code_gen_epilogue;

/* ---- chaining --------------------------------------------------------- */

/*
 * Make goto_tb slot n of tb jump to target (the tc.ptr of another TB
 * generated by the same back end).  Atomic with respect to other threads
 * executing tb (aligned 4-byte store on x86-64, 8-byte store in TCI).
 */
void tcg_tb_set_jmp_target(TranslationBlock *tb, int n, uintptr_t target);
/* Undo the chaining of slot n: jump to the TB's own exit path again. */
void tcg_tb_reset_jump(TranslationBlock *tb, int n);

/* ---- restoring guest state after a fault ---------------------------- */

/*
 * host_pc: a return address inside tb's code, as helpers obtain it with
 * TCG_GETPC() (also the retaddr passed to helper_ld_mmu/helper_st_mmu).
 * Finds the guest instruction it belongs to and stores the words its
 * tcg_gen_insn_start() recorded in data[0..insn_start_words-1].
 * *insn_idx (if non-NULL) gets its index in the TB (0-based).  Returns
 * false when host_pc is not inside tb's code.
 */
bool tcg_restore_state(const TranslationBlock *tb, uintptr_t host_pc,
                       uint64_t data[], int *insn_idx);
/* true if host_pc lies in the code buffer (i.e. is generated code). */
bool tcg_in_code_buffer(uintptr_t host_pc);

/* For tests and debugging: skip the optimizer pass (default on). */
void tcg_set_optimize(bool on);

/* ---- logging -------------------------------------------------------- */

enum {
    TCG_LOG_OP      = 1,        /* IR as generated         (-d op) */
    TCG_LOG_OP_OPT  = 2,        /* IR after optimization   (-d op_opt) */
    TCG_LOG_OUT_ASM = 4,        /* host code / bytecode    (-d out_asm) */
};
/*
 * By default tcg_gen_code() follows the process log settings
 * (include/turtle/log.h: -d op,op_opt,out_asm and -D).  tcg_set_log()
 * overrides them: log to f (NULL: stderr) what flags ask for.
 */
void tcg_set_log(FILE *f, unsigned flags);
/* Print the current IR function. */
void tcg_dump_ops(FILE *f);
/* Disassemble host code (capstone when available, else hex). */
void tcg_disas_host(FILE *f, const void *code, size_t size);

#endif /* TCG_TCG_H */
