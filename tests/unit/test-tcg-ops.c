/*
 * TCG unit tests: every IR op with edge values, through the optimizer,
 * the register allocator and both back ends (x86-64 native where the host
 * has it, and TCI), against a C reference.  Also helper calls, global
 * sync, branches, register pressure, guest memory ops through a fake TLB
 * and slow path, read-modify-write ops, chaining, lookup_and_goto_ptr,
 * exit requests and icount, state restore, translation limits, and random
 * programs that must give the same result on native, TCI and unoptimized.
 *
 * Knobs: TCG_TEST_LOG=<TCG_LOG_* mask> dumps IR/code; TCG_TEST_SPLIT_WX=1
 * uses the split W^X buffer; TCG_TEST_PROG=n starts the random programs at
 * n; TURTLE_TCG_X86_DISABLE=bmi1,bmi2,lzcnt,popcnt,movbe; -m slow runs
 * 20000 random programs instead of 1000.
 */
#include <glib.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tcg/tcg.h"
#include "tcg/tcg-op.h"
#include "tcg/tcg-ldst.h"

#define NB_IN  512
#define NB_OUT 256

struct CPUArchState {
    uint64_t in[NB_IN];
    uint64_t out[NB_OUT];
    uint64_t g64[4];
    uint32_t g32[4];
    uint64_t spill_src[64];
    uint64_t helper_seen;
    uint64_t rg64[8];
    uint32_t rg32[4];
};

typedef struct FakeCPU {
    CPUNegativeOffsetState neg;
    CPUArchState env;
} FakeCPU;

static FakeCPU cpu __attribute__((aligned(64)));
static CPUArchState *env = &cpu.env;
static TCGv_i64 g_a64, g_b64, g_c64;
static TCGv_i32 g_a32, g_b32;
static TCGv_i64 rglob64[8];         /* random programs */
static TCGv_i32 rglob32[4];

static const TCGBackendKind backends[] = { TCG_BACKEND_NATIVE, TCG_BACKEND_TCI };
#define NB_BACKENDS (int)(sizeof(backends) / sizeof(backends[0]))

/* ------------------------------------------------------------------ */

typedef void (*GenFn)(void *opaque);

static TranslationBlock *translate(GenFn gen, void *opaque)
{
    TranslationBlock *tb = tcg_tb_alloc();
    int n;

    if (!tb) {
        tcg_region_reset_all();
        tb = tcg_tb_alloc();
    }
    g_assert(tb);
    tcg_func_start();
    gen(opaque);
    n = tcg_gen_code(tb);
    if (n == -1) {
        tcg_region_reset_all();
        return translate(gen, opaque);
    }
    g_assert_cmpint(n, >, 0);
    return tb;
}

static uintptr_t run(TranslationBlock *tb)
{
    return tcg_qemu_tb_exec(env, tb->tc.ptr);
}

static const uint64_t edge[] = {
    0, 1, 2, 3, 7, 8, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x100,
    0x7fff, 0x8000, 0xffff, 0x10000, 0x12345678, 0x7fffffff, 0x80000000,
    0x80000001, 0xfffffffe, 0xffffffff, 0x100000000ull, 0x1ffffffffull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
    0xfffffffffffffffeull, 0xffffffffffffffffull, 0xdeadbeefcafebabeull,
    0x0123456789abcdefull, 0xfedcba9876543210ull, 0x00000000ffff0000ull,
    0xffffffff00000000ull, 0x5555555555555555ull,
};
#define NB_EDGE (int)(sizeof(edge) / sizeof(edge[0]))

/* ------------------------------------------------------------------ */
/* Binary ops                                                           */

enum {
    B_ADD, B_SUB, B_MUL, B_AND, B_OR, B_XOR, B_ANDC, B_ORC, B_EQV, B_NAND,
    B_NOR, B_SHL, B_SHR, B_SAR, B_ROTL, B_ROTR, B_DIV, B_DIVU, B_REM,
    B_REMU, B_MULUH, B_MULSH, B_SMIN, B_SMAX, B_UMIN, B_UMAX, B_CLZ, B_CTZ,
    B_SUBFI, NB_BIN
};

static const char *const bin_names[NB_BIN] = {
    "add", "sub", "mul", "and", "or", "xor", "andc", "orc", "eqv", "nand",
    "nor", "shl", "shr", "sar", "rotl", "rotr", "div", "divu", "rem",
    "remu", "muluh", "mulsh", "smin", "smax", "umin", "umax", "clz", "ctz",
    "subfi",
};

static bool is_shift(int op)
{
    return op >= B_SHL && op <= B_ROTR;
}

static bool is_div(int op)
{
    return op >= B_DIV && op <= B_REMU;
}

static uint64_t ref_bin(int op, int w, uint64_t a, uint64_t b)
{
    uint64_t m = w == 32 ? 0xffffffffull : ~0ull;
    int64_t sa = w == 32 ? (int64_t)(int32_t)a : (int64_t)a;
    int64_t sb = w == 32 ? (int64_t)(int32_t)b : (int64_t)b;
    unsigned c = b & (w - 1);
    uint64_t r;

    a &= m;
    b &= m;
    switch (op) {
    case B_ADD:  r = a + b; break;
    case B_SUB:  r = a - b; break;
    case B_SUBFI: r = a - b; break;
    case B_MUL:  r = a * b; break;
    case B_AND:  r = a & b; break;
    case B_OR:   r = a | b; break;
    case B_XOR:  r = a ^ b; break;
    case B_ANDC: r = a & ~b; break;
    case B_ORC:  r = a | ~b; break;
    case B_EQV:  r = ~(a ^ b); break;
    case B_NAND: r = ~(a & b); break;
    case B_NOR:  r = ~(a | b); break;
    case B_SHL:  r = a << c; break;
    case B_SHR:  r = a >> c; break;
    case B_SAR:  r = sa >> c; break;
    case B_ROTL: r = c ? (a << c) | (a >> (w - c)) : a; break;
    case B_ROTR: r = c ? (a >> c) | (a << (w - c)) : a; break;
    case B_DIV:  r = sa / sb; break;
    case B_REM:  r = sa % sb; break;
    case B_DIVU: r = a / b; break;
    case B_REMU: r = a % b; break;
    case B_MULUH:
        r = w == 32 ? (a * b) >> 32
                    : (uint64_t)(((unsigned __int128)a * b) >> 64);
        break;
    case B_MULSH:
        r = w == 32 ? (uint64_t)((sa * sb) >> 32)
                    : (uint64_t)(((__int128)sa * sb) >> 64);
        break;
    case B_SMIN: r = sa < sb ? a : b; break;
    case B_SMAX: r = sa > sb ? a : b; break;
    case B_UMIN: r = a < b ? a : b; break;
    case B_UMAX: r = a > b ? a : b; break;
    case B_CLZ:  r = a ? (uint64_t)(w == 32 ? __builtin_clz(a) : __builtin_clzll(a)) : b; break;
    case B_CTZ:  r = a ? (uint64_t)__builtin_ctzll(a) : b; break;
    default:     g_assert_not_reached();
    }
    return r & m;
}

static void gen_bin64(int op, TCGv_i64 r, TCGv_i64 a, TCGv_i64 b,
                      bool b_imm, uint64_t bv)
{
    if (b_imm) {
        switch (op) {
        case B_ADD:  tcg_gen_addi_i64(r, a, bv); return;
        case B_SUB:  tcg_gen_subi_i64(r, a, bv); return;
        case B_MUL:  tcg_gen_muli_i64(r, a, bv); return;
        case B_AND:  tcg_gen_andi_i64(r, a, bv); return;
        case B_OR:   tcg_gen_ori_i64(r, a, bv); return;
        case B_XOR:  tcg_gen_xori_i64(r, a, bv); return;
        case B_ANDC: tcg_gen_andci_i64(r, a, bv); return;
        case B_ORC:  tcg_gen_orci_i64(r, a, bv); return;
        case B_EQV:  tcg_gen_eqvi_i64(r, a, bv); return;
        case B_NAND: tcg_gen_nandi_i64(r, a, bv); return;
        case B_NOR:  tcg_gen_nori_i64(r, a, bv); return;
        case B_SHL:  tcg_gen_shli_i64(r, a, bv); return;
        case B_SHR:  tcg_gen_shri_i64(r, a, bv); return;
        case B_SAR:  tcg_gen_sari_i64(r, a, bv); return;
        case B_ROTL: tcg_gen_rotli_i64(r, a, bv); return;
        case B_ROTR: tcg_gen_rotri_i64(r, a, bv); return;
        case B_DIV:  tcg_gen_divi_i64(r, a, bv); return;
        case B_DIVU: tcg_gen_divui_i64(r, a, bv); return;
        case B_REM:  tcg_gen_remi_i64(r, a, bv); return;
        case B_REMU: tcg_gen_remui_i64(r, a, bv); return;
        case B_CLZ:  tcg_gen_clzi_i64(r, a, bv); return;
        case B_CTZ:  tcg_gen_ctzi_i64(r, a, bv); return;
        default:     break;
        }
    }
    switch (op) {
    case B_ADD:  tcg_gen_add_i64(r, a, b); break;
    case B_SUB:  tcg_gen_sub_i64(r, a, b); break;
    case B_SUBFI: tcg_gen_sub_i64(r, a, b); break;
    case B_MUL:  tcg_gen_mul_i64(r, a, b); break;
    case B_AND:  tcg_gen_and_i64(r, a, b); break;
    case B_OR:   tcg_gen_or_i64(r, a, b); break;
    case B_XOR:  tcg_gen_xor_i64(r, a, b); break;
    case B_ANDC: tcg_gen_andc_i64(r, a, b); break;
    case B_ORC:  tcg_gen_orc_i64(r, a, b); break;
    case B_EQV:  tcg_gen_eqv_i64(r, a, b); break;
    case B_NAND: tcg_gen_nand_i64(r, a, b); break;
    case B_NOR:  tcg_gen_nor_i64(r, a, b); break;
    case B_SHL:  tcg_gen_shl_i64(r, a, b); break;
    case B_SHR:  tcg_gen_shr_i64(r, a, b); break;
    case B_SAR:  tcg_gen_sar_i64(r, a, b); break;
    case B_ROTL: tcg_gen_rotl_i64(r, a, b); break;
    case B_ROTR: tcg_gen_rotr_i64(r, a, b); break;
    case B_DIV:  tcg_gen_div_i64(r, a, b); break;
    case B_DIVU: tcg_gen_divu_i64(r, a, b); break;
    case B_REM:  tcg_gen_rem_i64(r, a, b); break;
    case B_REMU: tcg_gen_remu_i64(r, a, b); break;
    case B_MULUH: tcg_gen_muluh_i64(r, a, b); break;
    case B_MULSH: tcg_gen_mulsh_i64(r, a, b); break;
    case B_SMIN: tcg_gen_smin_i64(r, a, b); break;
    case B_SMAX: tcg_gen_smax_i64(r, a, b); break;
    case B_UMIN: tcg_gen_umin_i64(r, a, b); break;
    case B_UMAX: tcg_gen_umax_i64(r, a, b); break;
    case B_CLZ:  tcg_gen_clz_i64(r, a, b); break;
    case B_CTZ:  tcg_gen_ctz_i64(r, a, b); break;
    default:     g_assert_not_reached();
    }
}

static void gen_bin32(int op, TCGv_i32 r, TCGv_i32 a, TCGv_i32 b,
                      bool b_imm, uint32_t bv)
{
    if (b_imm) {
        switch (op) {
        case B_ADD:  tcg_gen_addi_i32(r, a, bv); return;
        case B_SUB:  tcg_gen_subi_i32(r, a, bv); return;
        case B_MUL:  tcg_gen_muli_i32(r, a, bv); return;
        case B_AND:  tcg_gen_andi_i32(r, a, bv); return;
        case B_OR:   tcg_gen_ori_i32(r, a, bv); return;
        case B_XOR:  tcg_gen_xori_i32(r, a, bv); return;
        case B_ANDC: tcg_gen_andci_i32(r, a, bv); return;
        case B_ORC:  tcg_gen_orci_i32(r, a, bv); return;
        case B_EQV:  tcg_gen_eqvi_i32(r, a, bv); return;
        case B_NAND: tcg_gen_nandi_i32(r, a, bv); return;
        case B_NOR:  tcg_gen_nori_i32(r, a, bv); return;
        case B_SHL:  tcg_gen_shli_i32(r, a, bv); return;
        case B_SHR:  tcg_gen_shri_i32(r, a, bv); return;
        case B_SAR:  tcg_gen_sari_i32(r, a, bv); return;
        case B_ROTL: tcg_gen_rotli_i32(r, a, bv); return;
        case B_ROTR: tcg_gen_rotri_i32(r, a, bv); return;
        case B_DIV:  tcg_gen_divi_i32(r, a, bv); return;
        case B_DIVU: tcg_gen_divui_i32(r, a, bv); return;
        case B_REM:  tcg_gen_remi_i32(r, a, bv); return;
        case B_REMU: tcg_gen_remui_i32(r, a, bv); return;
        case B_CLZ:  tcg_gen_clzi_i32(r, a, bv); return;
        case B_CTZ:  tcg_gen_ctzi_i32(r, a, bv); return;
        default:     break;
        }
    }
    switch (op) {
    case B_ADD:  tcg_gen_add_i32(r, a, b); break;
    case B_SUB:  tcg_gen_sub_i32(r, a, b); break;
    case B_SUBFI: tcg_gen_sub_i32(r, a, b); break;
    case B_MUL:  tcg_gen_mul_i32(r, a, b); break;
    case B_AND:  tcg_gen_and_i32(r, a, b); break;
    case B_OR:   tcg_gen_or_i32(r, a, b); break;
    case B_XOR:  tcg_gen_xor_i32(r, a, b); break;
    case B_ANDC: tcg_gen_andc_i32(r, a, b); break;
    case B_ORC:  tcg_gen_orc_i32(r, a, b); break;
    case B_EQV:  tcg_gen_eqv_i32(r, a, b); break;
    case B_NAND: tcg_gen_nand_i32(r, a, b); break;
    case B_NOR:  tcg_gen_nor_i32(r, a, b); break;
    case B_SHL:  tcg_gen_shl_i32(r, a, b); break;
    case B_SHR:  tcg_gen_shr_i32(r, a, b); break;
    case B_SAR:  tcg_gen_sar_i32(r, a, b); break;
    case B_ROTL: tcg_gen_rotl_i32(r, a, b); break;
    case B_ROTR: tcg_gen_rotr_i32(r, a, b); break;
    case B_DIV:  tcg_gen_div_i32(r, a, b); break;
    case B_DIVU: tcg_gen_divu_i32(r, a, b); break;
    case B_REM:  tcg_gen_rem_i32(r, a, b); break;
    case B_REMU: tcg_gen_remu_i32(r, a, b); break;
    case B_MULUH: tcg_gen_muluh_i32(r, a, b); break;
    case B_MULSH: tcg_gen_mulsh_i32(r, a, b); break;
    case B_SMIN: tcg_gen_smin_i32(r, a, b); break;
    case B_SMAX: tcg_gen_smax_i32(r, a, b); break;
    case B_UMIN: tcg_gen_umin_i32(r, a, b); break;
    case B_UMAX: tcg_gen_umax_i32(r, a, b); break;
    case B_CLZ:  tcg_gen_clz_i32(r, a, b); break;
    case B_CTZ:  tcg_gen_ctz_i32(r, a, b); break;
    default:     g_assert_not_reached();
    }
}

/*
 * Operand modes: how a and b reach the op.  Temps loaded from env,
 * constants (folded by the optimizer or used as immediates), globals, and
 * the result written over an input.
 */
enum { M_TEMPS, M_A_CONST, M_B_CONST, M_BOTH_CONST, M_GLOBALS, M_INPLACE, NB_MODES };

typedef struct Case {
    int op, w, mode;
    uint64_t a, b;
} Case;

typedef struct Batch {
    Case *c;
    int n;
    void (*gen_one)(const Case *c, int k);
} Batch;

static void gen_batch(void *opaque)
{
    Batch *b = opaque;
    int k;

    for (k = 0; k < b->n; k++) {
        tcg_gen_insn_start(k, 0);
        b->gen_one(&b->c[k], k);
    }
    tcg_gen_exit_tb(NULL, 0);
}

static void gen_bin_case(const Case *c, int k)
{
    intptr_t ia = offsetof(CPUArchState, in[2 * k]);
    intptr_t ib = offsetof(CPUArchState, in[2 * k + 1]);
    intptr_t o = offsetof(CPUArchState, out[k]);
    bool ca = c->mode == M_A_CONST || c->mode == M_BOTH_CONST || c->op == B_SUBFI;
    bool cb = c->mode == M_B_CONST || c->mode == M_BOTH_CONST;

    if (c->w == 64) {
        TCGv_i64 a, b, r;
        if (c->mode == M_GLOBALS) {
            a = g_a64;
            b = g_b64;
            tcg_gen_ld_i64(a, tcg_env, ia);
            tcg_gen_ld_i64(b, tcg_env, ib);
        } else {
            a = ca ? tcg_constant_i64(c->a) : tcg_temp_new_i64();
            b = cb ? tcg_constant_i64(c->b) : tcg_temp_new_i64();
            if (!ca) {
                tcg_gen_ld_i64(a, tcg_env, ia);
            }
            if (!cb) {
                tcg_gen_ld_i64(b, tcg_env, ib);
            }
        }
        if (c->op == B_SUBFI && !cb) {
            r = tcg_temp_new_i64();
            tcg_gen_subfi_i64(r, c->a, b);
        } else {
            r = c->mode == M_INPLACE ? a : c->mode == M_GLOBALS ? g_c64
                                                              : tcg_temp_new_i64();
            gen_bin64(c->op, r, a, b, cb, c->b);
        }
        tcg_gen_st_i64(r, tcg_env, o);
    } else {
        TCGv_i32 a, b, r;
        if (c->mode == M_GLOBALS) {
            a = g_a32;
            b = g_b32;
            tcg_gen_ld_i32(a, tcg_env, ia);
            tcg_gen_ld_i32(b, tcg_env, ib);
        } else {
            a = ca ? tcg_constant_i32(c->a) : tcg_temp_new_i32();
            b = cb ? tcg_constant_i32(c->b) : tcg_temp_new_i32();
            if (!ca) {
                tcg_gen_ld_i32(a, tcg_env, ia);
            }
            if (!cb) {
                tcg_gen_ld_i32(b, tcg_env, ib);
            }
        }
        if (c->op == B_SUBFI && !cb) {
            r = tcg_temp_new_i32();
            tcg_gen_subfi_i32(r, c->a, b);
        } else {
            r = c->mode == M_INPLACE ? a : tcg_temp_new_i32();
            gen_bin32(c->op, r, a, b, cb, c->b);
        }
        tcg_gen_st_i32(r, tcg_env, o);
    }
}

#define BATCH 100

/* Run cases in batches on every back end; returns the number checked. */
static int run_cases(Case *cases, int n, void (*gen_one)(const Case *, int),
                     uint64_t (*ref)(const Case *), const char *(*name)(const Case *))
{
    int bi, i, done = 0;

    for (bi = 0; bi < NB_BACKENDS; bi++) {
        tcg_set_backend(backends[bi]);
        tcg_region_reset_all();
        for (i = 0; i < n; i += BATCH) {
            Batch b = { cases + i, MIN(BATCH, n - i), gen_one };
            TranslationBlock *tb;
            int k;

            for (k = 0; k < b.n; k++) {
                env->in[2 * k] = b.c[k].a;
                env->in[2 * k + 1] = b.c[k].b;
                env->out[k] = 0x5a5a5a5a5a5a5a5aull;
            }
            tb = translate(gen_batch, &b);
            g_assert_cmphex(run(tb), ==, 0);
            for (k = 0; k < b.n; k++) {
                const Case *c = &b.c[k];
                uint64_t want = ref(c), got = env->out[k];
                if (c->w == 32) {
                    got = (uint32_t)got;
                }
                if (got != want) {
                    g_test_message("%s: %s_i%d mode %d a=%#" G_GINT64_MODIFIER "x b=%#"
                                   G_GINT64_MODIFIER "x: got %#" G_GINT64_MODIFIER
                                   "x want %#" G_GINT64_MODIFIER "x",
                                   tcg_backend_name(), name(c), c->w, c->mode,
                                   c->a, c->b, got, want);
                    g_test_fail();
                    return done;
                }
                done++;
            }
        }
    }
    return done;
}

static uint64_t ref_bin_case(const Case *c)
{
    return ref_bin(c->op, c->w, c->a, c->b);
}

static const char *bin_case_name(const Case *c)
{
    return bin_names[c->op];
}

static void test_binary_ops(void)
{
    GArray *cases = g_array_new(false, false, sizeof(Case));
    int op, w, mode, i, j, n;

    for (op = 0; op < NB_BIN; op++) {
        for (w = 32; w <= 64; w += 32) {
            for (mode = 0; mode < NB_MODES; mode++) {
                if (mode == M_GLOBALS && w == 32 && op == B_SUBFI) {
                    continue;
                }
                for (i = 0; i < NB_EDGE; i++) {
                    int nb = is_shift(op) ? w : NB_EDGE;
                    for (j = 0; j < nb; j++) {
                        Case c = { op, w, mode, edge[i], is_shift(op) ? (uint64_t)j : edge[j] };
                        uint64_t m = w == 32 ? 0xffffffffull : ~0ull;
                        int64_t sa = w == 32 ? (int32_t)c.a : (int64_t)c.a;
                        int64_t sb = w == 32 ? (int32_t)c.b : (int64_t)c.b;
                        if (is_div(op) && ((c.b & m) == 0 ||
                            (sb == -1 && sa == (w == 32 ? INT32_MIN : INT64_MIN)))) {
                            continue;
                        }
                        /* keep the run short: thin out the non-shift pairs */
                        if (!is_shift(op) && mode != M_TEMPS && ((i + j + mode) % 3)) {
                            continue;
                        }
                        g_array_append_val(cases, c);
                    }
                }
            }
        }
    }
    n = run_cases((Case *)cases->data, cases->len, gen_bin_case, ref_bin_case,
                  bin_case_name);
    g_test_message("%d binary op results checked", n);
    g_array_free(cases, true);
}

/* ------------------------------------------------------------------ */
/* Unary ops, bit fields, conversions                                   */

enum {
    U_NEG, U_NOT, U_EXT8S, U_EXT8U, U_EXT16S, U_EXT16U, U_EXT32S, U_EXT32U,
    U_CTPOP, U_BSWAP16_OZ, U_BSWAP16_OS, U_BSWAP32_OZ, U_BSWAP32_OS,
    U_BSWAP64, U_ABS, U_CLRSB, U_HSWAP, U_WSWAP, U_EXTU_I32, U_EXT_I32,
    U_EXTRL, U_EXTRH, U_CONCAT, U_MOV, NB_UN
};

static const char *const un_names[NB_UN] = {
    "neg", "not", "ext8s", "ext8u", "ext16s", "ext16u", "ext32s", "ext32u",
    "ctpop", "bswap16_oz", "bswap16_os", "bswap32_oz", "bswap32_os",
    "bswap64", "abs", "clrsb", "hswap", "wswap", "extu_i32_i64",
    "ext_i32_i64", "extrl", "extrh", "concat_i32_i64", "mov",
};

static bool un_valid(int op, int w)
{
    switch (op) {
    case U_EXT32S: case U_EXT32U: case U_BSWAP32_OS: case U_BSWAP64:
    case U_HSWAP: case U_WSWAP: case U_EXTU_I32: case U_EXT_I32:
    case U_EXTRL: case U_EXTRH: case U_CONCAT:
        return w == 64;
    default:
        return true;
    }
}

static uint64_t ref_un(const Case *c)
{
    int w = c->w;
    uint64_t m = w == 32 ? 0xffffffffull : ~0ull;
    uint64_t a = c->a & m, r;
    int64_t sa = w == 32 ? (int64_t)(int32_t)a : (int64_t)a;

    switch (c->op) {
    case U_NEG:    r = -a; break;
    case U_NOT:    r = ~a; break;
    case U_EXT8S:  r = (int8_t)a; break;
    case U_EXT8U:  r = (uint8_t)a; break;
    case U_EXT16S: r = (int16_t)a; break;
    case U_EXT16U: r = (uint16_t)a; break;
    case U_EXT32S: r = (int32_t)a; break;
    case U_EXT32U: r = (uint32_t)a; break;
    case U_CTPOP:  r = __builtin_popcountll(a); break;
    case U_BSWAP16_OZ: r = __builtin_bswap16(a); break;
    case U_BSWAP16_OS: r = (int16_t)__builtin_bswap16(a); break;
    case U_BSWAP32_OZ: r = __builtin_bswap32(a); break;
    case U_BSWAP32_OS: r = (int32_t)__builtin_bswap32(a); break;
    case U_BSWAP64: r = __builtin_bswap64(a); break;
    case U_ABS:    r = sa < 0 ? -sa : sa; break;
    case U_CLRSB: {
        uint64_t x = (uint64_t)(sa ^ (sa >> (w - 1))) & m;
        r = (x ? (w == 32 ? __builtin_clz(x) : __builtin_clzll(x)) : w) - 1;
        break;
    }
    case U_HSWAP:
        r = (a >> 48) | ((a >> 16) & 0xffff0000ull) | ((a << 16) & 0xffff00000000ull)
            | (a << 48);
        break;
    case U_WSWAP:  r = (a >> 32) | (a << 32); break;
    case U_EXTU_I32: r = (uint32_t)a; break;
    case U_EXT_I32:  r = (int32_t)a; break;
    case U_EXTRL:  r = (uint32_t)a; break;
    case U_EXTRH:  r = a >> 32; break;
    case U_CONCAT: r = (uint64_t)(uint32_t)c->b << 32 | (uint32_t)a; break;
    case U_MOV:    r = a; break;
    default:       g_assert_not_reached();
    }
    return r & m;
}

static void gen_un_case(const Case *c, int k)
{
    intptr_t ia = offsetof(CPUArchState, in[2 * k]);
    intptr_t ib = offsetof(CPUArchState, in[2 * k + 1]);
    intptr_t o = offsetof(CPUArchState, out[k]);
    bool ca = c->mode == M_A_CONST || c->mode == M_BOTH_CONST;

    if (c->w == 64) {
        TCGv_i64 a = ca ? tcg_constant_i64(c->a) : tcg_temp_new_i64();
        TCGv_i64 r = c->mode == M_INPLACE && !ca ? a : tcg_temp_new_i64();
        TCGv_i32 t = tcg_temp_new_i32(), u = tcg_temp_new_i32();

        if (!ca) {
            tcg_gen_ld_i64(a, tcg_env, ia);
        }
        switch (c->op) {
        case U_NEG:    tcg_gen_neg_i64(r, a); break;
        case U_NOT:    tcg_gen_not_i64(r, a); break;
        case U_EXT8S:  tcg_gen_ext8s_i64(r, a); break;
        case U_EXT8U:  tcg_gen_ext8u_i64(r, a); break;
        case U_EXT16S: tcg_gen_ext16s_i64(r, a); break;
        case U_EXT16U: tcg_gen_ext16u_i64(r, a); break;
        case U_EXT32S: tcg_gen_ext32s_i64(r, a); break;
        case U_EXT32U: tcg_gen_ext32u_i64(r, a); break;
        case U_CTPOP:  tcg_gen_ctpop_i64(r, a); break;
        case U_BSWAP16_OZ: tcg_gen_bswap16_i64(r, a, TCG_BSWAP_OZ); break;
        case U_BSWAP16_OS: tcg_gen_bswap16_i64(r, a, TCG_BSWAP_OS); break;
        case U_BSWAP32_OZ: tcg_gen_bswap32_i64(r, a, TCG_BSWAP_OZ); break;
        case U_BSWAP32_OS: tcg_gen_bswap32_i64(r, a, TCG_BSWAP_OS); break;
        case U_BSWAP64: tcg_gen_bswap64_i64(r, a); break;
        case U_ABS:    tcg_gen_abs_i64(r, a); break;
        case U_CLRSB:  tcg_gen_clrsb_i64(r, a); break;
        case U_HSWAP:  tcg_gen_hswap_i64(r, a); break;
        case U_WSWAP:  tcg_gen_wswap_i64(r, a); break;
        case U_EXTU_I32:
            tcg_gen_extrl_i64_i32(t, a);
            tcg_gen_extu_i32_i64(r, t);
            break;
        case U_EXT_I32:
            tcg_gen_extrl_i64_i32(t, a);
            tcg_gen_ext_i32_i64(r, t);
            break;
        case U_EXTRL:
            tcg_gen_extrl_i64_i32(t, a);
            tcg_gen_extu_i32_i64(r, t);
            break;
        case U_EXTRH:
            tcg_gen_extrh_i64_i32(t, a);
            tcg_gen_extu_i32_i64(r, t);
            break;
        case U_CONCAT:
            tcg_gen_extrl_i64_i32(t, a);
            tcg_gen_ld_i32(u, tcg_env, ib);
            tcg_gen_concat_i32_i64(r, t, u);
            break;
        case U_MOV:    tcg_gen_mov_i64(r, a); break;
        }
        tcg_gen_st_i64(r, tcg_env, o);
    } else {
        TCGv_i32 a = ca ? tcg_constant_i32(c->a) : tcg_temp_new_i32();
        TCGv_i32 r = c->mode == M_INPLACE && !ca ? a : tcg_temp_new_i32();

        if (!ca) {
            tcg_gen_ld_i32(a, tcg_env, ia);
        }
        switch (c->op) {
        case U_NEG:    tcg_gen_neg_i32(r, a); break;
        case U_NOT:    tcg_gen_not_i32(r, a); break;
        case U_EXT8S:  tcg_gen_ext8s_i32(r, a); break;
        case U_EXT8U:  tcg_gen_ext8u_i32(r, a); break;
        case U_EXT16S: tcg_gen_ext16s_i32(r, a); break;
        case U_EXT16U: tcg_gen_ext16u_i32(r, a); break;
        case U_CTPOP:  tcg_gen_ctpop_i32(r, a); break;
        case U_BSWAP16_OZ: tcg_gen_bswap16_i32(r, a, TCG_BSWAP_OZ); break;
        case U_BSWAP16_OS: tcg_gen_bswap16_i32(r, a, TCG_BSWAP_OS); break;
        case U_BSWAP32_OZ: tcg_gen_bswap32_i32(r, a); break;
        case U_ABS:    tcg_gen_abs_i32(r, a); break;
        case U_CLRSB:  tcg_gen_clrsb_i32(r, a); break;
        case U_MOV:    tcg_gen_mov_i32(r, a); break;
        }
        tcg_gen_st_i32(r, tcg_env, o);
    }
}

static const char *un_case_name(const Case *c)
{
    return un_names[c->op];
}

static void test_unary_ops(void)
{
    GArray *cases = g_array_new(false, false, sizeof(Case));
    int op, w, mode, i, n;

    for (op = 0; op < NB_UN; op++) {
        for (w = 32; w <= 64; w += 32) {
            if (!un_valid(op, w)) {
                continue;
            }
            for (mode = 0; mode < NB_MODES; mode++) {
                if (mode == M_GLOBALS || mode == M_B_CONST) {
                    continue;
                }
                for (i = 0; i < NB_EDGE; i++) {
                    Case c = { op, w, mode, edge[i], edge[(i * 7 + 3) % NB_EDGE] };
                    g_array_append_val(cases, c);
                }
            }
        }
    }
    n = run_cases((Case *)cases->data, cases->len, gen_un_case, ref_un, un_case_name);
    g_test_message("%d unary op results checked", n);
    g_array_free(cases, true);
}

/* bit fields: op encodes kind, b encodes ofs | len << 8 */
enum { F_EXTRACT, F_SEXTRACT, F_DEPOSIT, F_DEPOSIT_Z, F_EXTRACT2, NB_F };
static const char *const f_names[NB_F] = {
    "extract", "sextract", "deposit", "deposit_z", "extract2",
};
static const uint64_t f_other = 0xa5a5f00f0ff05a5aull;

static uint64_t ref_field(const Case *c)
{
    int w = c->w;
    uint64_t m = w == 32 ? 0xffffffffull : ~0ull;
    unsigned ofs = c->b & 0xff, len = c->b >> 8;
    uint64_t a = c->a & m, lm = len == 64 ? ~0ull : (1ull << len) - 1, r;

    switch (c->op) {
    case F_EXTRACT:
        r = (a >> ofs) & lm;
        break;
    case F_SEXTRACT:
        r = (a >> ofs) & lm;
        if (len < 64 && (r >> (len - 1)) & 1) {
            r |= ~lm;
        }
        break;
    case F_DEPOSIT:
        r = ((f_other & m) & ~(lm << ofs)) | ((a & lm) << ofs);
        break;
    case F_DEPOSIT_Z:
        r = (a & lm) << ofs;
        break;
    default: /* extract2: (a:f_other) >> ofs, a is the high part */
        if (ofs == 0) {
            r = f_other;
        } else if (ofs == (unsigned)w) {
            r = a;
        } else {
            r = ((f_other & m) >> ofs) | (a << (w - ofs));
        }
        break;
    }
    return r & m;
}

static void gen_field_case(const Case *c, int k)
{
    intptr_t ia = offsetof(CPUArchState, in[2 * k]);
    intptr_t o = offsetof(CPUArchState, out[k]);
    unsigned ofs = c->b & 0xff, len = c->b >> 8;
    bool ca = c->mode == M_A_CONST;

    if (c->w == 64) {
        TCGv_i64 a = ca ? tcg_constant_i64(c->a) : tcg_temp_new_i64();
        TCGv_i64 r = tcg_temp_new_i64();
        TCGv_i64 other = tcg_temp_new_i64();
        if (!ca) {
            tcg_gen_ld_i64(a, tcg_env, ia);
        }
        tcg_gen_movi_i64(other, f_other);
        switch (c->op) {
        case F_EXTRACT:   tcg_gen_extract_i64(r, a, ofs, len); break;
        case F_SEXTRACT:  tcg_gen_sextract_i64(r, a, ofs, len); break;
        case F_DEPOSIT:   tcg_gen_deposit_i64(r, other, a, ofs, len); break;
        case F_DEPOSIT_Z: tcg_gen_deposit_z_i64(r, a, ofs, len); break;
        default:          tcg_gen_extract2_i64(r, other, a, ofs); break;
        }
        tcg_gen_st_i64(r, tcg_env, o);
    } else {
        TCGv_i32 a = ca ? tcg_constant_i32(c->a) : tcg_temp_new_i32();
        TCGv_i32 r = tcg_temp_new_i32();
        TCGv_i32 other = tcg_temp_new_i32();
        if (!ca) {
            tcg_gen_ld_i32(a, tcg_env, ia);
        }
        tcg_gen_movi_i32(other, (int32_t)f_other);
        switch (c->op) {
        case F_EXTRACT:   tcg_gen_extract_i32(r, a, ofs, len); break;
        case F_SEXTRACT:  tcg_gen_sextract_i32(r, a, ofs, len); break;
        case F_DEPOSIT:   tcg_gen_deposit_i32(r, other, a, ofs, len); break;
        case F_DEPOSIT_Z: tcg_gen_deposit_z_i32(r, a, ofs, len); break;
        default:          tcg_gen_extract2_i32(r, other, a, ofs); break;
        }
        tcg_gen_st_i32(r, tcg_env, o);
    }
}

static const char *field_case_name(const Case *c)
{
    return f_names[c->op];
}

static void test_bitfield_ops(void)
{
    GArray *cases = g_array_new(false, false, sizeof(Case));
    static const uint64_t vals[] = {
        0xfedcba9876543210ull, 0x8000000000000001ull, 0x7fffffff7fffffffull,
    };
    int op, w, ofs, len, v, n;

    for (op = 0; op < NB_F; op++) {
        for (w = 32; w <= 64; w += 32) {
            for (ofs = 0; ofs <= w; ofs++) {
                for (len = 1; len + ofs <= w || (op == F_EXTRACT2 && len == 1); len++) {
                    if (op == F_EXTRACT2 && len > 1) {
                        break;
                    }
                    if (op != F_EXTRACT2 && ofs == w) {
                        break;
                    }
                    for (v = 0; v < 3; v++) {
                        Case c = { op, w, (ofs + len + v) % 7 == 0 ? M_A_CONST : M_TEMPS,
                                   vals[v], (uint64_t)ofs | (uint64_t)len << 8 };
                        g_array_append_val(cases, c);
                    }
                }
            }
        }
    }
    n = run_cases((Case *)cases->data, cases->len, gen_field_case, ref_field,
                  field_case_name);
    g_test_message("%d bit field results checked", n);
    g_array_free(cases, true);
}

/* ------------------------------------------------------------------ */
/* Conditions                                                           */

enum { C_SETCOND, C_NEGSETCOND, C_MOVCOND, C_BRCOND, NB_C };
static const char *const c_kind_names[NB_C] = {
    "setcond", "negsetcond", "movcond", "brcond",
};
static const TCGCond all_conds[] = {
    TCG_COND_NEVER, TCG_COND_ALWAYS, TCG_COND_EQ, TCG_COND_NE,
    TCG_COND_LT, TCG_COND_GE, TCG_COND_LE, TCG_COND_GT, TCG_COND_LTU,
    TCG_COND_GEU, TCG_COND_LEU, TCG_COND_GTU, TCG_COND_TSTEQ, TCG_COND_TSTNE,
};
#define NB_CONDS (int)(sizeof(all_conds) / sizeof(all_conds[0]))

static bool ref_cond(TCGCond c, int w, uint64_t a, uint64_t b)
{
    uint64_t m = w == 32 ? 0xffffffffull : ~0ull;
    int64_t sa = w == 32 ? (int64_t)(int32_t)a : (int64_t)a;
    int64_t sb = w == 32 ? (int64_t)(int32_t)b : (int64_t)b;

    a &= m;
    b &= m;
    switch (c) {
    case TCG_COND_NEVER:  return false;
    case TCG_COND_ALWAYS: return true;
    case TCG_COND_EQ:  return a == b;
    case TCG_COND_NE:  return a != b;
    case TCG_COND_LT:  return sa < sb;
    case TCG_COND_GE:  return sa >= sb;
    case TCG_COND_LE:  return sa <= sb;
    case TCG_COND_GT:  return sa > sb;
    case TCG_COND_LTU: return a < b;
    case TCG_COND_GEU: return a >= b;
    case TCG_COND_LEU: return a <= b;
    case TCG_COND_GTU: return a > b;
    case TCG_COND_TSTEQ: return (a & b) == 0;
    case TCG_COND_TSTNE: return (a & b) != 0;
    }
    return false;
}

/* op = kind * 16 + cond index */
static uint64_t ref_cond_case(const Case *c)
{
    int kind = c->op / 16;
    bool t = ref_cond(all_conds[c->op % 16], c->w, c->a, c->b);
    uint64_t m = c->w == 32 ? 0xffffffffull : ~0ull;

    switch (kind) {
    case C_SETCOND:    return t;
    case C_NEGSETCOND: return t ? m : 0;
    case C_MOVCOND:    return t ? 0x1111 : c->a & m;
    default:           return t ? 1 : 2;
    }
}

static void gen_cond_case(const Case *c, int k)
{
    intptr_t ia = offsetof(CPUArchState, in[2 * k]);
    intptr_t ib = offsetof(CPUArchState, in[2 * k + 1]);
    intptr_t o = offsetof(CPUArchState, out[k]);
    int kind = c->op / 16;
    TCGCond cond = all_conds[c->op % 16];
    bool ca = c->mode == M_A_CONST || c->mode == M_BOTH_CONST;
    bool cb = c->mode == M_B_CONST || c->mode == M_BOTH_CONST;

    if (c->w == 64) {
        TCGv_i64 a = ca ? tcg_constant_i64(c->a) : tcg_temp_new_i64();
        TCGv_i64 b = cb ? tcg_constant_i64(c->b) : tcg_temp_new_i64();
        TCGv_i64 r = tcg_temp_new_i64();
        if (!ca) {
            tcg_gen_ld_i64(a, tcg_env, ia);
        }
        if (!cb) {
            tcg_gen_ld_i64(b, tcg_env, ib);
        }
        switch (kind) {
        case C_SETCOND:
            if (cb) {
                tcg_gen_setcondi_i64(cond, r, a, c->b);
            } else {
                tcg_gen_setcond_i64(cond, r, a, b);
            }
            break;
        case C_NEGSETCOND:
            tcg_gen_negsetcond_i64(cond, r, a, b);
            break;
        case C_MOVCOND:
            tcg_gen_movcond_i64(cond, r, a, b, tcg_constant_i64(0x1111), a);
            break;
        default: {
            TCGLabel *yes = gen_new_label(), *done = gen_new_label();
            if (cb) {
                tcg_gen_brcondi_i64(cond, a, c->b, yes);
            } else {
                tcg_gen_brcond_i64(cond, a, b, yes);
            }
            tcg_gen_movi_i64(r, 2);
            tcg_gen_br(done);
            gen_set_label(yes);
            tcg_gen_movi_i64(r, 1);
            gen_set_label(done);
            break;
        }
        }
        tcg_gen_st_i64(r, tcg_env, o);
    } else {
        TCGv_i32 a = ca ? tcg_constant_i32(c->a) : tcg_temp_new_i32();
        TCGv_i32 b = cb ? tcg_constant_i32(c->b) : tcg_temp_new_i32();
        TCGv_i32 r = tcg_temp_new_i32();
        if (!ca) {
            tcg_gen_ld_i32(a, tcg_env, ia);
        }
        if (!cb) {
            tcg_gen_ld_i32(b, tcg_env, ib);
        }
        switch (kind) {
        case C_SETCOND:
            if (cb) {
                tcg_gen_setcondi_i32(cond, r, a, c->b);
            } else {
                tcg_gen_setcond_i32(cond, r, a, b);
            }
            break;
        case C_NEGSETCOND:
            tcg_gen_negsetcond_i32(cond, r, a, b);
            break;
        case C_MOVCOND:
            tcg_gen_movcond_i32(cond, r, a, b, tcg_constant_i32(0x1111), a);
            break;
        default: {
            TCGLabel *yes = gen_new_label(), *done = gen_new_label();
            if (cb) {
                tcg_gen_brcondi_i32(cond, a, c->b, yes);
            } else {
                tcg_gen_brcond_i32(cond, a, b, yes);
            }
            tcg_gen_movi_i32(r, 2);
            tcg_gen_br(done);
            gen_set_label(yes);
            tcg_gen_movi_i32(r, 1);
            gen_set_label(done);
            break;
        }
        }
        tcg_gen_st_i32(r, tcg_env, o);
    }
}

static const char *cond_case_name(const Case *c)
{
    static char buf[64];
    static const char *const cn[] = {
        "never", "always", "eq", "ne", "lt", "ge", "le", "gt", "ltu", "geu",
        "leu", "gtu", "tsteq", "tstne",
    };
    snprintf(buf, sizeof(buf), "%s/%s", c_kind_names[c->op / 16], cn[c->op % 16]);
    return buf;
}

static void test_conditions(void)
{
    GArray *cases = g_array_new(false, false, sizeof(Case));
    int kind, ci, w, mode, i, j, n;

    for (kind = 0; kind < NB_C; kind++) {
        for (ci = 0; ci < NB_CONDS; ci++) {
            for (w = 32; w <= 64; w += 32) {
                for (mode = 0; mode <= M_BOTH_CONST; mode++) {
                    for (i = 0; i < NB_EDGE; i++) {
                        for (j = 0; j < NB_EDGE; j++) {
                            Case c = { kind * 16 + ci, w, mode, edge[i], edge[j] };
                            if ((i * 5 + j * 3 + mode + kind) % 4 && i != j) {
                                continue;
                            }
                            g_array_append_val(cases, c);
                        }
                    }
                }
            }
        }
    }
    n = run_cases((Case *)cases->data, cases->len, gen_cond_case, ref_cond_case,
                  cond_case_name);
    g_test_message("%d condition results checked", n);
    g_array_free(cases, true);
}

/* ------------------------------------------------------------------ */
/* Double-word ops                                                      */

enum { D_MULU2, D_MULS2, D_ADD2, D_SUB2, NB_D };
static const char *const d_names[NB_D] = { "mulu2", "muls2", "add2", "sub2" };

/* out[k] = low, out[k + 128] = high; the check compares both */
static uint64_t ref_dw(const Case *c, uint64_t *hi)
{
    int w = c->w;
    uint64_t m = w == 32 ? 0xffffffffull : ~0ull;
    uint64_t a = c->a & m, b = c->b & m;
    uint64_t ah = (c->a >> 7 | c->b << 3) & m, bh = (c->b >> 5) & m;

    if (w == 32) {
        uint64_t l, h;
        switch (c->op) {
        case D_MULU2: l = a * b; h = (a * b) >> 32; break;
        case D_MULS2: {
            int64_t p = (int64_t)(int32_t)a * (int32_t)b;
            l = p; h = (uint64_t)p >> 32;
            break;
        }
        case D_ADD2: {
            uint64_t x = (ah << 32 | a) + (bh << 32 | b);
            l = x; h = x >> 32;
            break;
        }
        default: {
            uint64_t x = (ah << 32 | a) - (bh << 32 | b);
            l = x; h = x >> 32;
            break;
        }
        }
        *hi = h & m;
        return l & m;
    } else {
        unsigned __int128 x;
        switch (c->op) {
        case D_MULU2: x = (unsigned __int128)a * b; break;
        case D_MULS2: x = (unsigned __int128)((__int128)(int64_t)a * (int64_t)b); break;
        case D_ADD2:  x = ((unsigned __int128)ah << 64 | a) + ((unsigned __int128)bh << 64 | b); break;
        default:      x = ((unsigned __int128)ah << 64 | a) - ((unsigned __int128)bh << 64 | b); break;
        }
        *hi = (uint64_t)(x >> 64);
        return (uint64_t)x;
    }
}

static void test_double_word_ops(void)
{
    int bi, op, w, i, j;

    for (bi = 0; bi < NB_BACKENDS; bi++) {
        tcg_set_backend(backends[bi]);
        for (op = 0; op < NB_D; op++) {
            for (w = 32; w <= 64; w += 32) {
                for (i = 0; i < NB_EDGE; i += 1) {
                    TranslationBlock *tb;
                    tcg_region_reset_all();
                    tcg_func_start();
                    for (j = 0; j < NB_EDGE; j++) {
                        Case c = { op, w, 0, edge[i], edge[j] };
                        uint64_t m = w == 32 ? 0xffffffffull : ~0ull;
                        intptr_t o = offsetof(CPUArchState, out[j]);
                        intptr_t oh = offsetof(CPUArchState, out[j + 128]);
                        env->in[4 * j] = c.a & m;
                        env->in[4 * j + 1] = c.b & m;
                        env->in[4 * j + 2] = (c.a >> 7 | c.b << 3) & m;
                        env->in[4 * j + 3] = (c.b >> 5) & m;
                        if (w == 64) {
                            TCGv_i64 t[4], lo = tcg_temp_new_i64(), hi = tcg_temp_new_i64();
                            int q;
                            for (q = 0; q < 4; q++) {
                                t[q] = (j & 1) && q == 1
                                    ? tcg_constant_i64(env->in[4 * j + 1])
                                    : tcg_temp_new_i64();
                                if (!((j & 1) && q == 1)) {
                                    tcg_gen_ld_i64(t[q], tcg_env,
                                                   offsetof(CPUArchState, in[4 * j + q]));
                                }
                            }
                            switch (op) {
                            case D_MULU2: tcg_gen_mulu2_i64(lo, hi, t[0], t[1]); break;
                            case D_MULS2: tcg_gen_muls2_i64(lo, hi, t[0], t[1]); break;
                            case D_ADD2: tcg_gen_add2_i64(lo, hi, t[0], t[2], t[1], t[3]); break;
                            default: tcg_gen_sub2_i64(lo, hi, t[0], t[2], t[1], t[3]); break;
                            }
                            tcg_gen_st_i64(lo, tcg_env, o);
                            tcg_gen_st_i64(hi, tcg_env, oh);
                        } else {
                            TCGv_i32 t[4], lo = tcg_temp_new_i32(), hi = tcg_temp_new_i32();
                            int q;
                            for (q = 0; q < 4; q++) {
                                t[q] = tcg_temp_new_i32();
                                tcg_gen_ld_i32(t[q], tcg_env,
                                               offsetof(CPUArchState, in[4 * j + q]));
                            }
                            switch (op) {
                            case D_MULU2: tcg_gen_mulu2_i32(lo, hi, t[0], t[1]); break;
                            case D_MULS2: tcg_gen_muls2_i32(lo, hi, t[0], t[1]); break;
                            case D_ADD2: tcg_gen_add2_i32(lo, hi, t[0], t[2], t[1], t[3]); break;
                            default: tcg_gen_sub2_i32(lo, hi, t[0], t[2], t[1], t[3]); break;
                            }
                            tcg_gen_st_i32(lo, tcg_env, o);
                            tcg_gen_st_i32(hi, tcg_env, oh);
                        }
                    }
                    tcg_gen_exit_tb(NULL, 0);
                    tb = tcg_tb_alloc();
                    g_assert_cmpint(tcg_gen_code(tb), >, 0);
                    run(tb);
                    for (j = 0; j < NB_EDGE; j++) {
                        Case c = { op, w, 0, edge[i], edge[j] };
                        uint64_t hi, lo = ref_dw(&c, &hi);
                        uint64_t glo = env->out[j], ghi = env->out[j + 128];
                        if (w == 32) {
                            glo = (uint32_t)glo;
                            ghi = (uint32_t)ghi;
                        }
                        if (glo != lo || ghi != hi) {
                            g_test_message("%s: %s_i%d %#" G_GINT64_MODIFIER "x %#"
                                           G_GINT64_MODIFIER "x", tcg_backend_name(),
                                           d_names[op], w, c.a, c.b);
                            g_test_fail();
                            return;
                        }
                    }
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Main                                                                 */

void test_tcg_more_register(void);

int main(int argc, char **argv)
{
    TCGTargetInfo info = {
        .page_bits = 12,
        .nb_mmu_modes = 2,
        .tlb_neg_offset = offsetof(FakeCPU, neg) - offsetof(FakeCPU, env),
        .insn_start_words = 2,
    };
    TCGOptions opts = {
        .backend = TCG_BACKEND_NATIVE,
        .tb_size = 32 << 20,
        .split_wx = g_getenv("TCG_TEST_SPLIT_WX") != NULL,
    };
    char *err = NULL;

    g_test_init(&argc, &argv, NULL);
    if (g_getenv("TCG_TEST_LOG")) {
        tcg_set_log(stderr, atoi(g_getenv("TCG_TEST_LOG")));
    }
    if (!tcg_init(&info, &opts, &err)) {
        g_printerr("%s\n", err);
        return 1;
    }
    g_a64 = tcg_global_mem_new_i64(tcg_env, offsetof(CPUArchState, g64[0]), "ga");
    g_b64 = tcg_global_mem_new_i64(tcg_env, offsetof(CPUArchState, g64[1]), "gb");
    g_c64 = tcg_global_mem_new_i64(tcg_env, offsetof(CPUArchState, g64[2]), "gc");
    g_a32 = tcg_global_mem_new_i32(tcg_env, offsetof(CPUArchState, g32[0]), "ga32");
    g_b32 = tcg_global_mem_new_i32(tcg_env, offsetof(CPUArchState, g32[1]), "gb32");
    for (int i = 0; i < 8; i++) {
        char name[8];
        snprintf(name, sizeof(name), "r%d", i);
        rglob64[i] = tcg_global_mem_new_i64(tcg_env, offsetof(CPUArchState, rg64[i]), name);
    }
    for (int i = 0; i < 4; i++) {
        char name[8];
        snprintf(name, sizeof(name), "w%d", i);
        rglob32[i] = tcg_global_mem_new_i32(tcg_env, offsetof(CPUArchState, rg32[i]), name);
    }

    g_test_add_func("/tcg/ops/binary", test_binary_ops);
    g_test_add_func("/tcg/ops/unary", test_unary_ops);
    g_test_add_func("/tcg/ops/bitfield", test_bitfield_ops);
    g_test_add_func("/tcg/ops/conditions", test_conditions);
    g_test_add_func("/tcg/ops/double-word", test_double_word_ops);
    test_tcg_more_register();
    return g_test_run();
}
/* ------------------------------------------------------------------ */
/* Helper calls and globals                                             */

#define HELPER_H "test-tcg-helpers.h"
#include "tcg/helper-gen.h"

static int pure_calls;
static const TranslationBlock *cur_tb;

uint64_t helper_mix7(uint64_t a1, uint32_t a2, int32_t a3, uint64_t a4,
                     void *a5, uint64_t a6, uint32_t a7)
{
    return a1 * 3 + (uint64_t)a2 * 5 + (uint64_t)(int64_t)a3 * 7 + a4 * 11
           + (uintptr_t)a5 * 13 + a6 * 17 + (uint64_t)a7 * 19;
}

void helper_rw_global(CPUArchState *e, uint64_t x)
{
    e->helper_seen = e->g64[0];
    e->g64[0] = e->g64[0] * 2 + x;
}

uint64_t helper_read_global(CPUArchState *e)
{
    return e->g64[1];
}

uint32_t helper_unused_pure(uint32_t a, uint32_t b)
{
    pure_calls++;       /* a lie about NO_SE, to see the call removed */
    return a + b;
}

/* records which guest insn the call came from */
void helper_where(CPUArchState *e, uint32_t k)
{
    uint64_t data[3] = { 0, 0, 0 };
    int idx = -1;

    g_assert(tcg_restore_state(cur_tb, TCG_GETPC(), data, &idx));
    e->out[200 + k] = data[0];
    e->out[220 + k] = data[1];
    e->out[240 + k] = idx;
}

void helper_clobber(uint64_t x)
{
    /* dirty every call-clobbered register the compiler lets us */
    volatile uint64_t sink = x * 0x9e3779b97f4a7c15ull;
    (void)sink;
}

static void gen_helpers(void *opaque)
{
    TCGv_i64 t = tcg_temp_new_i64(), u = tcg_temp_new_i64();
    TCGv_i32 a32 = tcg_temp_new_i32(), s32 = tcg_temp_new_i32(), r32 = tcg_temp_new_i32();
    TCGv_ptr p = tcg_temp_new_ptr();

    /* globals are synced before a helper that writes them, reloaded after */
    tcg_gen_insn_start(0x100, 7);
    tcg_gen_ld_i64(g_a64, tcg_env, offsetof(CPUArchState, in[0]));
    tcg_gen_addi_i64(g_a64, g_a64, 1);
    gen_helper_rw_global(tcg_env, tcg_constant_i64(5));
    tcg_gen_addi_i64(t, g_a64, 100);
    tcg_gen_st_i64(t, tcg_env, offsetof(CPUArchState, out[0]));

    /* a helper that only reads globals sees their current value */
    tcg_gen_insn_start(0x104, 8);
    tcg_gen_ld_i64(g_b64, tcg_env, offsetof(CPUArchState, in[1]));
    tcg_gen_muli_i64(g_b64, g_b64, 3);
    gen_helper_read_global(u, tcg_env);
    tcg_gen_st_i64(u, tcg_env, offsetof(CPUArchState, out[1]));

    /* seven arguments of every type, the last on the stack on x86-64 */
    tcg_gen_insn_start(0x108, 9);
    tcg_gen_ld_i32(a32, tcg_env, offsetof(CPUArchState, in[2]));
    tcg_gen_ld_i32(s32, tcg_env, offsetof(CPUArchState, in[3]));
    tcg_gen_ld_ptr(p, tcg_env, offsetof(CPUArchState, in[4]));
    gen_helper_mix7(t, g_b64, a32, s32, tcg_constant_i64(0x123456789ll), p,
                    g_a64, tcg_constant_i32(-2));
    tcg_gen_st_i64(t, tcg_env, offsetof(CPUArchState, out[2]));

    /* a pure helper whose result is unused disappears */
    gen_helper_unused_pure(r32, a32, s32);

    /* restore state from inside a helper */
    tcg_gen_insn_start(0x10c, 10);
    gen_helper_where(tcg_env, tcg_constant_i32(0));
    tcg_gen_insn_start(0x110, 11);
    tcg_gen_movi_i64(g_c64, 77);
    gen_helper_where(tcg_env, tcg_constant_i32(1));
    tcg_gen_exit_tb(NULL, 0);
}

static void test_helpers(void)
{
    int bi;

    for (bi = 0; bi < NB_BACKENDS; bi++) {
        TranslationBlock *tb;
        uint64_t want;

        tcg_set_backend(backends[bi]);
        memset(env->out, 0, sizeof(env->out));
        env->in[0] = 1000;
        env->in[1] = 0x1111;
        env->in[2] = 0x80000001;
        env->in[3] = 0xfffffff0;            /* -16 as s32 */
        env->in[4] = 0x7777;
        env->g64[0] = env->g64[1] = env->g64[2] = 0;
        pure_calls = 0;
        tb = translate(gen_helpers, NULL);
        cur_tb = tb;
        g_assert_cmphex(run(tb), ==, 0);
        g_assert_cmpuint(env->helper_seen, ==, 1001);
        g_assert_cmpuint(env->out[0], ==, 1001 * 2 + 5 + 100);
        g_assert_cmpuint(env->g64[0], ==, 1001 * 2 + 5);
        g_assert_cmpuint(env->out[1], ==, 0x1111 * 3);
        g_assert_cmpuint(env->g64[1], ==, 0x1111 * 3);
        want = helper_mix7(0x3333, 0x80000001, -16, 0x123456789ll,
                           (void *)(uintptr_t)0x7777, 1001 * 2 + 5, (uint32_t)-2);
        g_assert_cmphex(env->out[2], ==, want);
        g_assert_cmpint(pure_calls, ==, 0);
        g_assert_cmpuint(env->out[200], ==, 0x10c);
        g_assert_cmpuint(env->out[220], ==, 10);
        g_assert_cmpuint(env->out[240], ==, 3);
        g_assert_cmpuint(env->out[201], ==, 0x110);
        g_assert_cmpuint(env->out[221], ==, 11);
        g_assert_cmpuint(env->out[241], ==, 4);
        /* globals reach memory at the end of the TB */
        g_assert_cmpuint(env->g64[2], ==, 77);
    }
}

/* ------------------------------------------------------------------ */
/* Branches and loops                                                   */

static void gen_loop(void *opaque)
{
    TCGv_i64 i = tcg_temp_new_i64(), sum = tcg_temp_new_i64();
    TCGv_i64 other = tcg_temp_new_i64();
    TCGLabel *top = gen_new_label(), *done = gen_new_label();
    TCGLabel *odd = gen_new_label(), *next = gen_new_label();

    tcg_gen_ld_i64(i, tcg_env, offsetof(CPUArchState, in[0]));
    tcg_gen_movi_i64(sum, 0);
    tcg_gen_movi_i64(other, 0);
    tcg_gen_movi_i64(g_c64, 0);
    gen_set_label(top);
    tcg_gen_brcondi_i64(TCG_COND_EQ, i, 0, done);
    tcg_gen_add_i64(sum, sum, i);
    tcg_gen_andi_i64(g_b64, i, 1);
    tcg_gen_brcondi_i64(TCG_COND_NE, g_b64, 0, odd);
    tcg_gen_addi_i64(other, other, 2);
    tcg_gen_br(next);
    gen_set_label(odd);
    tcg_gen_addi_i64(g_c64, g_c64, 1);
    gen_set_label(next);
    tcg_gen_subi_i64(i, i, 1);
    tcg_gen_br(top);
    gen_set_label(done);
    tcg_gen_st_i64(sum, tcg_env, offsetof(CPUArchState, out[0]));
    tcg_gen_st_i64(other, tcg_env, offsetof(CPUArchState, out[1]));
    tcg_gen_exit_tb(NULL, 0);
}

static void test_branches(void)
{
    int bi;

    for (bi = 0; bi < NB_BACKENDS; bi++) {
        TranslationBlock *tb;

        tcg_set_backend(backends[bi]);
        env->in[0] = 1001;
        tb = translate(gen_loop, NULL);
        g_assert_cmphex(run(tb), ==, 0);
        g_assert_cmpuint(env->out[0], ==, 1001 * 1002 / 2);
        g_assert_cmpuint(env->out[1], ==, 500 * 2);
        g_assert_cmpuint(env->g64[2], ==, 501);
    }
}

/* ------------------------------------------------------------------ */
/* Register pressure: more live values than host registers              */

#define NB_LIVE 40

static void gen_pressure(void *opaque)
{
    TCGv_i64 t[NB_LIVE], sum = tcg_temp_new_i64();
    TCGv_i32 w[8];
    TCGLabel *l = gen_new_label();
    int i;

    for (i = 0; i < NB_LIVE; i++) {
        t[i] = tcg_temp_new_i64();
        tcg_gen_ld_i64(t[i], tcg_env, offsetof(CPUArchState, spill_src[i]));
        tcg_gen_muli_i64(t[i], t[i], i + 3);
    }
    for (i = 0; i < 8; i++) {
        w[i] = tcg_temp_new_i32();
        tcg_gen_extrl_i64_i32(w[i], t[i]);
        tcg_gen_addi_i32(w[i], w[i], i);
    }
    gen_helper_clobber(t[0]);
    for (i = 0; i < NB_LIVE; i++) {
        tcg_gen_xori_i64(t[i], t[i], i);
    }
    tcg_gen_br(l);
    gen_set_label(l);
    tcg_gen_movi_i64(sum, 0);
    for (i = NB_LIVE - 1; i >= 0; i--) {
        tcg_gen_rotli_i64(sum, sum, 5);
        tcg_gen_add_i64(sum, sum, t[i]);
    }
    for (i = 0; i < 8; i++) {
        TCGv_i64 x = tcg_temp_new_i64();
        tcg_gen_extu_i32_i64(x, w[i]);
        tcg_gen_rotli_i64(sum, sum, 3);
        tcg_gen_xor_i64(sum, sum, x);
    }
    tcg_gen_st_i64(sum, tcg_env, offsetof(CPUArchState, out[0]));
    tcg_gen_exit_tb(NULL, 0);
}

static void test_register_pressure(void)
{
    uint64_t t[NB_LIVE], w[8], sum = 0;
    int bi, i;

    for (i = 0; i < NB_LIVE; i++) {
        env->spill_src[i] = 0x0101010101010101ull * (i + 1) + (uint64_t)i * 0x1234567;
        t[i] = env->spill_src[i] * (i + 3);
    }
    for (i = 0; i < 8; i++) {
        w[i] = (uint32_t)((uint32_t)t[i] + i);
    }
    for (i = 0; i < NB_LIVE; i++) {
        t[i] ^= i;
    }
    for (i = NB_LIVE - 1; i >= 0; i--) {
        sum = (sum << 5 | sum >> 59) + t[i];
    }
    for (i = 0; i < 8; i++) {
        sum = (sum << 3 | sum >> 61) ^ w[i];
    }
    for (bi = 0; bi < NB_BACKENDS; bi++) {
        TranslationBlock *tb;

        tcg_set_backend(backends[bi]);
        tb = translate(gen_pressure, NULL);
        g_assert_cmphex(run(tb), ==, 0);
        g_assert_cmphex(env->out[0], ==, sum);
    }
}

/* ------------------------------------------------------------------ */
/* Guest memory through a fake TLB                                      */

#define GUEST_BASE 0x40000000ull
#define RAM_PAGES  4
#define MMIO_PAGE  3                    /* flagged: always the slow path */

static uint8_t ram[RAM_PAGES * 4096] __attribute__((aligned(4096)));
static CPUTLBEntry tlb_table[2][256];
static int slow_calls, align_faults;

static uint64_t ref_load(uint64_t addr, MemOp mop)
{
    const uint8_t *p = ram + (addr - GUEST_BASE);
    unsigned n = memop_size(mop), i;
    uint64_t v = 0;

    for (i = 0; i < n; i++) {
        unsigned b = (mop & MO_BSWAP) ? i : n - 1 - i;
        v = v << 8 | p[b];
    }
    if ((mop & MO_SIGN) && n < 8) {
        unsigned sh = 64 - 8 * n;
        v = (uint64_t)((int64_t)(v << sh) >> sh);
    }
    return v;
}

static void ref_store(uint64_t addr, uint64_t v, MemOp mop)
{
    uint8_t *p = ram + (addr - GUEST_BASE);
    unsigned n = memop_size(mop), i;

    for (i = 0; i < n; i++) {
        unsigned b = (mop & MO_BSWAP) ? n - 1 - i : i;
        p[b] = v >> (8 * i);
    }
}

static bool misaligned(uint64_t addr, MemOp mop)
{
    return addr & ((1u << memop_alignment_bits(mop)) - 1);
}

static void slow_where(uintptr_t ra)
{
    uint64_t data[3];

    g_assert(tcg_restore_state(cur_tb, ra, data, NULL));
    env->out[250] = data[0];
}

uint64_t helper_ld_mmu(CPUArchState *e, uint64_t addr, MemOpIdx oi, uintptr_t ra)
{
    g_assert(e == env);
    slow_calls++;
    slow_where(ra);
    if (misaligned(addr, get_memop(oi))) {
        align_faults++;
        return 0xbad;
    }
    return ref_load(addr, get_memop(oi));
}

void helper_st_mmu(CPUArchState *e, uint64_t addr, uint64_t val, MemOpIdx oi,
                   uintptr_t ra)
{
    g_assert(e == env);
    slow_calls++;
    slow_where(ra);
    if (misaligned(addr, get_memop(oi))) {
        align_faults++;
        return;
    }
    ref_store(addr, val, get_memop(oi));
}

static void tlb_setup(void)
{
    int i, m;

    for (m = 0; m < 2; m++) {
        memset(tlb_table[m], 0xff, sizeof(tlb_table[m]));
        cpu.neg.tlb.f[m].table = tlb_table[m];
        cpu.neg.tlb.f[m].mask = (256 - 1) << CPU_TLB_ENTRY_BITS;
    }
    /* mmu_idx 0 maps the RAM pages; mmu_idx 1 has nothing: all misses */
    for (i = 0; i < RAM_PAGES; i++) {
        uint64_t va = GUEST_BASE + i * 4096;
        CPUTLBEntry *e = &tlb_table[0][(va >> 12) & 255];
        e->addr_read = e->addr_write = va | (i == MMIO_PAGE ? TLB_MMIO : 0);
        e->addr_code = va;
        e->addend = (uintptr_t)ram + i * 4096 - va;
    }
    for (i = 0; i < (int)sizeof(ram); i++) {
        ram[i] = i * 7 + (i >> 8);
    }
}

typedef struct MemCase {
    bool st, i32;
    MemOp mop;
    unsigned mmu;
    uint64_t addr, val;
} MemCase;

static void gen_mem(void *opaque)
{
    const MemCase *m = opaque;
    TCGv_i64 addr = tcg_temp_new_i64();

    tcg_gen_insn_start(0xaaa0, 0);
    tcg_gen_movi_i64(g_a64, 1);
    tcg_gen_insn_start(0xaaa4, 0);
    tcg_gen_ld_i64(addr, tcg_env, offsetof(CPUArchState, in[0]));
    if (m->i32) {
        TCGv_i32 v = tcg_temp_new_i32();
        if (m->st) {
            tcg_gen_ld_i32(v, tcg_env, offsetof(CPUArchState, in[1]));
            tcg_gen_qemu_st_i32(v, addr, m->mmu, m->mop);
        } else {
            tcg_gen_qemu_ld_i32(v, addr, m->mmu, m->mop);
            tcg_gen_st_i32(v, tcg_env, offsetof(CPUArchState, out[0]));
        }
    } else {
        TCGv_i64 v = tcg_temp_new_i64();
        if (m->st) {
            tcg_gen_ld_i64(v, tcg_env, offsetof(CPUArchState, in[1]));
            tcg_gen_qemu_st_i64(v, addr, m->mmu, m->mop);
        } else {
            tcg_gen_qemu_ld_i64(v, addr, m->mmu, m->mop);
            tcg_gen_st_i64(v, tcg_env, offsetof(CPUArchState, out[0]));
        }
    }
    tcg_gen_insn_start(0xaaa8, 0);
    tcg_gen_movi_i64(g_a64, 2);
    tcg_gen_exit_tb(NULL, 0);
}

static void test_guest_memory(void)
{
    static const uint64_t offsets[] = {
        0, 8, 1, 3, 0xffc, 0xffd, 0xfff, 0x1ff8, 0x2ffe, 0x3000, 0x3004,
    };
    int bi, oi, size, sign, be, al, kind, mmu, checked = 0;

    tlb_setup();
    for (bi = 0; bi < NB_BACKENDS; bi++) {
        tcg_set_backend(backends[bi]);
        for (oi = 0; oi < (int)G_N_ELEMENTS(offsets); oi++)
        for (size = 0; size <= 3; size++)
        for (sign = 0; sign <= 1; sign++)
        for (be = 0; be <= 1; be++)
        for (al = 0; al <= 1; al++)
        for (kind = 0; kind < 4; kind++)
        for (mmu = 0; mmu <= 1; mmu++) {
            MemCase m;
            TranslationBlock *tb;
            uint64_t addr = GUEST_BASE + offsets[oi];
            unsigned n = 1u << size;
            bool cross = ((addr & 0xfff) + n) > 0x1000;
            bool mmio = ((addr - GUEST_BASE) >> 12) == MMIO_PAGE;
            bool fault, slow;
            int calls0 = slow_calls, faults0 = align_faults;
            uint64_t want = 0;

            m.st = kind & 1;
            m.i32 = kind & 2;
            m.mmu = mmu;
            m.addr = addr;
            m.mop = size | (sign ? MO_SIGN : 0) | (be ? MO_BE : MO_LE)
                    | (al ? MO_ALIGN : 0);
            if ((m.i32 && size == 3) || (m.st && sign)) {
                continue;
            }
            if (addr + n > GUEST_BASE + sizeof(ram)) {
                continue;
            }
            fault = al && misaligned(addr, m.mop);
            slow = fault || cross || mmio || mmu == 1;
            m.val = 0x8192a3b4c5d6e7f8ull ^ (oi * 0x1111);
            env->in[0] = addr;
            env->in[1] = m.val;
            env->out[0] = 0x5555;
            env->out[250] = 0;
            if (!m.st && !fault) {
                want = ref_load(addr, m.mop);
                if (m.i32) {
                    want = (uint32_t)want;
                }
            }
            tb = translate(gen_mem, &m);
            cur_tb = tb;
            g_assert_cmphex(run(tb), ==, 0);
            if (slow_calls - calls0 != (slow ? 1 : 0) ||
                align_faults - faults0 != (fault ? 1 : 0)) {
                g_test_message("%s: %s mop %#x mmu %u addr %#" G_GINT64_MODIFIER
                               "x: %d slow calls, %d faults", tcg_backend_name(),
                               m.st ? "st" : "ld", m.mop, mmu, addr,
                               slow_calls - calls0, align_faults - faults0);
                g_test_fail();
                return;
            }
            if (slow) {
                g_assert_cmphex(env->out[250], ==, 0xaaa4);
            }
            if (m.st) {
                if (!fault) {
                    uint64_t got = ref_load(addr, m.mop & ~MO_SIGN);
                    uint64_t mask = size == 3 ? ~0ull : (1ull << (8 * n)) - 1;
                    if (got != (m.val & mask)) {
                        g_test_message("%s: st mop %#x addr %#" G_GINT64_MODIFIER
                                       "x: memory %#" G_GINT64_MODIFIER "x",
                                       tcg_backend_name(), m.mop, addr, got);
                        g_test_fail();
                        return;
                    }
                }
            } else if (!fault) {
                uint64_t got = m.i32 ? (uint32_t)env->out[0] : env->out[0];
                if (got != want) {
                    g_test_message("%s: ld%s mop %#x mmu %u addr %#" G_GINT64_MODIFIER
                                   "x: got %#" G_GINT64_MODIFIER "x want %#"
                                   G_GINT64_MODIFIER "x", tcg_backend_name(),
                                   m.i32 ? "32" : "64", m.mop, mmu, addr, got, want);
                    g_test_fail();
                    return;
                }
            }
            g_assert_cmpuint(env->g64[0], ==, 2);
            checked++;
        }
    }
    g_test_message("%d guest memory accesses checked", checked);
}

/* ------------------------------------------------------------------ */
/* Chaining, lookup_and_goto_ptr, exit requests                          */

static const void *lookup_target;

const void *helper_lookup_tb_ptr(CPUArchState *e)
{
    return lookup_target;
}

typedef struct ChainGen {
    TranslationBlock *tb;
    int kind;
} ChainGen;

static void gen_chain(void *opaque)
{
    ChainGen *g = opaque;

    switch (g->kind) {
    case 0:     /* goto_tb 0, else exit with idx 0 */
        tcg_gen_goto_tb(0);
        tcg_gen_st_i64(tcg_constant_i64(1), tcg_env, offsetof(CPUArchState, out[0]));
        tcg_gen_exit_tb(g->tb, 0);
        break;
    case 1:     /* the chained-to TB */
        tcg_gen_st_i64(tcg_constant_i64(2), tcg_env, offsetof(CPUArchState, out[1]));
        tcg_gen_exit_tb(g->tb, 1);
        break;
    case 2:
        tcg_gen_lookup_and_goto_ptr();
        break;
    case 4:     /* three insns under icount */
        tcg_gen_tb_start(g->tb);
        tcg_gen_insn_start(0x10, 0);
        tcg_gen_insn_start(0x14, 0);
        tcg_gen_insn_start(0x18, 0);
        tcg_gen_st_i64(tcg_constant_i64(3), tcg_env, offsetof(CPUArchState, out[2]));
        tcg_gen_exit_tb(g->tb, 0);
        tcg_gen_tb_end(g->tb);
        break;
    default:    /* exit request check at entry */
        tcg_gen_tb_start(g->tb);
        tcg_gen_st_i64(tcg_constant_i64(3), tcg_env, offsetof(CPUArchState, out[2]));
        tcg_gen_exit_tb(g->tb, 0);
        tcg_gen_tb_end(g->tb);
        break;
    }
}

static TranslationBlock *translate_chain(int kind)
{
    TranslationBlock *tb = tcg_tb_alloc();
    ChainGen g = { tb, kind };

    tcg_func_start();
    gen_chain(&g);
    g_assert_cmpint(tcg_gen_code(tb), >, 0);
    return tb;
}

static void test_chaining(void)
{
    int bi;

    for (bi = 0; bi < NB_BACKENDS; bi++) {
        TranslationBlock *t1, *t2, *t3, *t4;

        tcg_set_backend(backends[bi]);
        tcg_region_reset_all();
        t1 = translate_chain(0);
        t2 = translate_chain(1);
        t3 = translate_chain(2);
        t4 = translate_chain(3);

        env->out[0] = env->out[1] = 0;
        g_assert_cmphex(run(t1), ==, (uintptr_t)t1 | 0);
        g_assert_cmpuint(env->out[0], ==, 1);

        tcg_tb_set_jmp_target(t1, 0, (uintptr_t)t2->tc.ptr);
        env->out[0] = env->out[1] = 0;
        g_assert_cmphex(run(t1), ==, (uintptr_t)t2 | 1);
        g_assert_cmpuint(env->out[0], ==, 0);
        g_assert_cmpuint(env->out[1], ==, 2);

        tcg_tb_reset_jump(t1, 0);
        env->out[0] = 0;
        g_assert_cmphex(run(t1), ==, (uintptr_t)t1 | 0);
        g_assert_cmpuint(env->out[0], ==, 1);

        lookup_target = t2->tc.ptr;
        g_assert_cmphex(run(t3), ==, (uintptr_t)t2 | 1);
        lookup_target = tcg_code_gen_epilogue;
        g_assert_cmphex(run(t3), ==, 0);

        cpu.neg.icount_decr.u32 = 0;
        env->out[2] = 0;
        g_assert_cmphex(run(t4), ==, (uintptr_t)t4);
        g_assert_cmpuint(env->out[2], ==, 3);
        cpu.neg.icount_decr.u16.high = 0xffff;
        env->out[2] = 0;
        g_assert_cmphex(run(t4), ==, (uintptr_t)t4 | TB_EXIT_REQUESTED);
        g_assert_cmpuint(env->out[2], ==, 0);
        cpu.neg.icount_decr.u32 = 0;

        /* icount: the budget in the low half pays for the TB's insns */
        t4 = tcg_tb_alloc();
        t4->cflags = CF_USE_ICOUNT;
        {
            ChainGen g = { t4, 4 };
            tcg_func_start();
            gen_chain(&g);
            g_assert_cmpint(tcg_gen_code(t4), >, 0);
        }
        cpu.neg.icount_decr.u32 = 10;
        g_assert_cmphex(run(t4), ==, (uintptr_t)t4);
        g_assert_cmpuint(cpu.neg.icount_decr.u16.low, ==, 7);
        cpu.neg.icount_decr.u32 = 2;
        env->out[2] = 0;
        g_assert_cmphex(run(t4), ==, (uintptr_t)t4 | TB_EXIT_REQUESTED);
        g_assert_cmpuint(env->out[2], ==, 0);
        cpu.neg.icount_decr.u32 = 0;
    }
}

/* ------------------------------------------------------------------ */
/* Odds and ends of the API                                             */

static void gen_misc(void *opaque)
{
    TCGv_i64 a = tcg_temp_new_i64(), b;
    TCGOp *op;

    tcg_gen_insn_start(0x2000, 0);
    op = tcg_last_insn_start();
    g_assert(op);
    tcg_set_insn_start_param(op, 1, 42);
    tcg_gen_ld_i64(a, tcg_env, offsetof(CPUArchState, in[0]));
    tcg_gen_addi_i64(a, a, 1);
    tcg_gen_st_i64(a, tcg_env, offsetof(CPUArchState, out[0]));
    tcg_gen_discard_i64(a);
    tcg_temp_free_i64(a);
    b = tcg_temp_new_i64();             /* may reuse a's index */
    tcg_gen_ld_i64(b, tcg_env, offsetof(CPUArchState, in[1]));
    gen_helper_where(tcg_env, tcg_constant_i32(0));
    tcg_gen_st_i64(b, tcg_env, offsetof(CPUArchState, out[1]));
    tcg_gen_exit_tb(NULL, 0);
}

static void test_misc_api(void)
{
    int bi;

    for (bi = 0; bi < NB_BACKENDS; bi++) {
        TranslationBlock *tb;
        char *text = NULL;
        size_t len = 0;
        FILE *f;

        tcg_set_backend(backends[bi]);
        env->in[0] = 10;
        env->in[1] = 20;
        tb = translate(gen_misc, NULL);
        cur_tb = tb;
        g_assert_cmphex(run(tb), ==, 0);
        g_assert_cmpuint(env->out[0], ==, 11);
        g_assert_cmpuint(env->out[1], ==, 20);
        g_assert_cmpuint(env->out[200], ==, 0x2000);
        g_assert_cmpuint(env->out[220], ==, 42);

        /* the IR listing names ops and globals */
        f = open_memstream(&text, &len);
        tcg_dump_ops(f);
        tcg_disas_host(f, tb->tc.ptr, tb->tc.size);
        fclose(f);
        g_assert(strstr(text, "add_i64"));
        g_assert(strstr(text, "call where"));
        free(text);
    }
}

static void gen_huge(void *opaque)
{
    int i;

    for (i = 0; i < 600; i++) {
        tcg_gen_insn_start(i, 0);
        tcg_gen_addi_i64(g_a64, g_a64, 1);
    }
    tcg_gen_exit_tb(NULL, 0);
}

/* too many guest insns: -2 (retranslate smaller); a full buffer: -1 */
static void test_limits(void)
{
    TranslationBlock *tb;
    int n = 0, ret;

    tcg_set_backend(TCG_BACKEND_TCI);
    tcg_region_reset_all();
    tb = tcg_tb_alloc();
    tcg_func_start();
    gen_huge(NULL);
    g_assert_cmpint(tcg_gen_code(tb), ==, -2);

    tcg_region_reset_all();
    for (;;) {
        tb = tcg_tb_alloc();
        if (!tb) {
            break;
        }
        tcg_func_start();
        gen_pressure(NULL);
        ret = tcg_gen_code(tb);
        if (ret == -1) {
            break;
        }
        g_assert_cmpint(ret, >, 0);
        n++;
    }
    g_assert_cmpint(n, >, 100);
    g_assert_cmpuint(tcg_code_size(), <=, tcg_code_capacity());
    tcg_region_reset_all();
    g_assert_cmpuint(tcg_code_size(), <, 4096);
}

/* copies and known-zero bits: the optimizer must not cheat */
static void gen_opt(void *opaque)
{
    TCGv_i64 t = tcg_temp_new_i64(), u = tcg_temp_new_i64(), v = tcg_temp_new_i64();
    TCGv_i32 w = tcg_temp_new_i32();
    TCGLabel *l = gen_new_label();

    /* t = copy of ga; ga changes; t keeps the old value */
    tcg_gen_ld_i64(g_a64, tcg_env, offsetof(CPUArchState, in[0]));
    tcg_gen_mov_i64(t, g_a64);
    tcg_gen_addi_i64(g_a64, g_a64, 5);
    tcg_gen_st_i64(t, tcg_env, offsetof(CPUArchState, out[0]));
    /* u = t; t changes; u keeps it */
    tcg_gen_mov_i64(u, t);
    tcg_gen_movi_i64(t, 3);
    tcg_gen_add_i64(u, u, t);
    tcg_gen_st_i64(u, tcg_env, offsetof(CPUArchState, out[1]));
    /* removable extensions and masks */
    tcg_gen_ld8u_i64(v, tcg_env, offsetof(CPUArchState, in[1]));
    tcg_gen_ext8u_i64(v, v);
    tcg_gen_andi_i64(v, v, 0x1ff);
    tcg_gen_ext32s_i64(v, v);
    tcg_gen_st_i64(v, tcg_env, offsetof(CPUArchState, out[2]));
    /* not removable: an i32 widened must be zero-extended */
    tcg_gen_ld_i32(w, tcg_env, offsetof(CPUArchState, in[2]));
    tcg_gen_addi_i32(w, w, 1);
    tcg_gen_extu_i32_i64(v, w);
    tcg_gen_st_i64(v, tcg_env, offsetof(CPUArchState, out[3]));
    /* ld16s is signed: ext16u must stay */
    tcg_gen_ld16s_i64(v, tcg_env, offsetof(CPUArchState, in[3]));
    tcg_gen_ext16u_i64(v, v);
    tcg_gen_st_i64(v, tcg_env, offsetof(CPUArchState, out[4]));
    /* copies do not survive a label */
    tcg_gen_mov_i64(u, g_b64);
    tcg_gen_br(l);
    gen_set_label(l);
    tcg_gen_movi_i64(g_b64, 9);
    tcg_gen_st_i64(u, tcg_env, offsetof(CPUArchState, out[5]));
    tcg_gen_exit_tb(NULL, 0);
}

static void test_optimizer(void)
{
    int bi;

    for (bi = 0; bi < NB_BACKENDS; bi++) {
        tcg_set_backend(backends[bi]);
        env->in[0] = 100;
        env->in[1] = 0xfffffffffffffff0ull;
        env->in[2] = 0xffffffff;
        env->in[3] = 0x8001;
        env->g64[1] = 55;
        g_assert_cmphex(run(translate(gen_opt, NULL)), ==, 0);
        g_assert_cmpuint(env->out[0], ==, 100);
        g_assert_cmpuint(env->out[1], ==, 103);
        g_assert_cmphex(env->out[2], ==, 0xf0);
        g_assert_cmphex(env->out[3], ==, 0);
        g_assert_cmphex(env->out[4], ==, 0x8001);
        g_assert_cmpuint(env->out[5], ==, 55);
        g_assert_cmpuint(env->g64[0], ==, 105);
        g_assert_cmpuint(env->g64[1], ==, 9);
    }
}

/* ------------------------------------------------------------------ */
/* Random programs: the two back ends must agree                        */

#define R64 12
#define R32 6


typedef struct RandGen {
    GRand *r;
    TCGv_i64 v64[R64 + 8];
    TCGv_i32 v32[R32 + 4];
    TCGLabel *pending[8];
    int pending_at[8];
    TCGLabel *loop_top;         /* a short counted loop in progress */
    TCGv_i64 loop_count;
    int loop_end_at;
} RandGen;

static int rnd(RandGen *g, int n)
{
    return g_rand_int_range(g->r, 0, n);
}

static uint64_t rnd_val(RandGen *g)
{
    switch (rnd(g, 4)) {
    case 0:  return edge[rnd(g, NB_EDGE)];
    case 1:  return rnd(g, 64);
    case 2:  return -(uint64_t)rnd(g, 64);
    default: return (uint64_t)g_rand_int(g->r) << 32 | g_rand_int(g->r);
    }
}

static TCGv_i64 pick64(RandGen *g)
{
    if (rnd(g, 6) == 0) {
        return tcg_constant_i64(rnd_val(g));
    }
    return g->v64[rnd(g, R64 + 8)];
}

static TCGv_i32 pick32(RandGen *g)
{
    if (rnd(g, 6) == 0) {
        return tcg_constant_i32(rnd_val(g));
    }
    return g->v32[rnd(g, R32 + 4)];
}

static void gen_random_op(RandGen *g, int k)
{
    TCGv_i64 d = g->v64[rnd(g, R64 + 8)], a = pick64(g), b = pick64(g);
    TCGv_i32 d32 = g->v32[rnd(g, R32 + 4)], a32 = pick32(g), b32 = pick32(g);
    TCGv_i64 t = tcg_temp_new_i64();
    TCGv_i32 t32 = tcg_temp_new_i32();
    int i;

    switch (rnd(g, 31)) {
    case 0: tcg_gen_add_i64(d, a, b); break;
    case 1: tcg_gen_sub_i64(d, a, b); break;
    case 2: tcg_gen_mul_i64(d, a, b); break;
    case 3: tcg_gen_xor_i64(d, a, b); break;
    case 4: tcg_gen_andc_i64(d, a, b); break;
    case 5:
        tcg_gen_andi_i64(t, b, 63);
        if (rnd(g, 2)) {
            tcg_gen_shl_i64(d, a, t);
        } else {
            tcg_gen_sar_i64(d, a, t);
        }
        break;
    case 6: tcg_gen_rotli_i64(d, a, rnd(g, 64)); break;
    case 7: tcg_gen_shri_i64(d, a, rnd(g, 64)); break;
    case 8:
        tcg_gen_ori_i64(t, b, 1);
        if (rnd(g, 2)) {
            tcg_gen_divu_i64(d, a, t);
        } else {
            tcg_gen_remu_i64(d, a, t);
        }
        break;
    case 9:
        tcg_gen_andi_i64(t, b, 0xff);
        tcg_gen_addi_i64(t, t, 1);
        tcg_gen_div_i64(d, a, t);
        break;
    case 10: tcg_gen_setcond_i64(all_conds[rnd(g, NB_CONDS)], d, a, b); break;
    case 11: tcg_gen_movcond_i64(all_conds[rnd(g, NB_CONDS)], d, a, b, pick64(g), pick64(g)); break;
    case 12:
    case 13: {
        /* two distinct outputs */
        TCGv_i64 e = g->v64[rnd(g, R64)];
        if (e == d) {
            e = tcg_temp_new_i64();
        }
        if (rnd(g, 2)) {
            tcg_gen_mulu2_i64(d, e, a, b);
        } else {
            tcg_gen_muls2_i64(e, d, a, b);
        }
        break;
    }
    case 14: tcg_gen_clz_i64(d, a, b); break;
    case 15: tcg_gen_ctz_i64(d, a, b); break;
    case 16: tcg_gen_bswap64_i64(d, a); break;
    case 17: {
        unsigned ofs = rnd(g, 64), len = 1 + rnd(g, 64 - ofs);
        tcg_gen_deposit_i64(d, a, b, ofs, len);
        break;
    }
    case 18: {
        unsigned ofs = rnd(g, 64), len = 1 + rnd(g, 64 - ofs);
        tcg_gen_sextract_i64(d, a, ofs, len);
        break;
    }
    case 19: tcg_gen_add_i32(d32, a32, b32); break;
    case 20:
        tcg_gen_andi_i32(t32, b32, 31);
        tcg_gen_shr_i32(d32, a32, t32);
        break;
    case 21: tcg_gen_setcond_i32(all_conds[rnd(g, NB_CONDS)], d32, a32, b32); break;
    case 22: tcg_gen_extrl_i64_i32(d32, a); break;
    case 23:
        if (rnd(g, 2)) {
            tcg_gen_extu_i32_i64(d, a32);
        } else {
            tcg_gen_ext_i32_i64(d, a32);
        }
        break;
    case 24: {
        /*
         * guest memory within the RAM pages: fast path hits, page crossings,
         * the MMIO page, mmu_idx 1 (all misses) and alignment faults all
         * call the slow path in the middle of live registers
         */
        MemOp mop = rnd(g, 4) | (rnd(g, 2) ? MO_BE : MO_LE)
                    | (rnd(g, 4) == 0 ? MO_ALIGN : 0);
        unsigned mmu = rnd(g, 5) == 0;
        tcg_gen_andi_i64(t, a, 0x3ff0);
        tcg_gen_addi_i64(t, t, GUEST_BASE + rnd(g, 8));
        if (rnd(g, 2)) {
            tcg_gen_qemu_ld_i64(d, t, mmu, mop | (rnd(g, 2) ? MO_SIGN : 0));
        } else if (rnd(g, 2)) {
            tcg_gen_qemu_st_i64(b, t, mmu, mop);
        } else {
            MemOp m32 = (mop & MO_SIZE) == MO_64 ? (mop & ~MO_SIZE) | MO_32 : mop;
            tcg_gen_qemu_st_i32(b32, t, mmu, m32);
        }
        break;
    }
    case 25:
        gen_helper_mix7(d, a, a32, b32, b, tcg_env, pick64(g), pick32(g));
        break;
    case 26:
        gen_helper_rw_global(tcg_env, a);
        break;
    case 27:
        /* a forward branch over the next few ops */
        if (g->loop_top) {
            break;
        }
        for (i = 0; i < 8; i++) {
            if (!g->pending[i]) {
                g->pending[i] = gen_new_label();
                g->pending_at[i] = k + 1 + rnd(g, 10);
                tcg_gen_brcond_i64(all_conds[rnd(g, NB_CONDS)], a, b, g->pending[i]);
                break;
            }
        }
        break;
    case 28: tcg_gen_ctpop_i64(d, a); break;
    case 29:
        /* a loop running the next few ops 1-3 times (no branch pending) */
        if (g->loop_top) {
            break;
        }
        for (i = 0; i < 8; i++) {
            if (g->pending[i]) {
                return;
            }
        }
        g->loop_count = tcg_temp_new_i64();
        tcg_gen_movi_i64(g->loop_count, 1 + rnd(g, 3));
        g->loop_top = gen_new_label();
        gen_set_label(g->loop_top);
        g->loop_end_at = k + 2 + rnd(g, 6);
        break;
    default: tcg_gen_mov_i64(d, a); break;
    }
}

static void gen_random(void *opaque)
{
    RandGen *g = opaque;
    int i, k, n = 60 + rnd(g, 120);

    for (i = 0; i < R64; i++) {
        g->v64[i] = tcg_temp_new_i64();
        tcg_gen_ld_i64(g->v64[i], tcg_env, offsetof(CPUArchState, in[i]));
    }
    for (i = 0; i < 8; i++) {
        g->v64[R64 + i] = rglob64[i];
    }
    for (i = 0; i < R32; i++) {
        g->v32[i] = tcg_temp_new_i32();
        tcg_gen_ld_i32(g->v32[i], tcg_env, offsetof(CPUArchState, in[R64 + i]));
    }
    for (i = 0; i < 4; i++) {
        g->v32[R32 + i] = rglob32[i];
    }
    memset(g->pending, 0, sizeof(g->pending));
    g->loop_top = NULL;
    for (k = 0; k < n; k++) {
        tcg_gen_insn_start(k, 0);
        for (i = 0; i < 8; i++) {
            if (g->pending[i] && g->pending_at[i] == k) {
                gen_set_label(g->pending[i]);
                g->pending[i] = NULL;
            }
        }
        if (g->loop_top && g->loop_end_at == k) {
            tcg_gen_subi_i64(g->loop_count, g->loop_count, 1);
            tcg_gen_brcondi_i64(TCG_COND_NE, g->loop_count, 0, g->loop_top);
            g->loop_top = NULL;
        }
        gen_random_op(g, k);
    }
    if (g->loop_top) {
        tcg_gen_subi_i64(g->loop_count, g->loop_count, 1);
        tcg_gen_brcondi_i64(TCG_COND_NE, g->loop_count, 0, g->loop_top);
        g->loop_top = NULL;
    }
    for (i = 0; i < 8; i++) {
        if (g->pending[i]) {
            gen_set_label(g->pending[i]);
        }
    }
    for (i = 0; i < R64; i++) {
        tcg_gen_st_i64(g->v64[i], tcg_env, offsetof(CPUArchState, out[i]));
    }
    for (i = 0; i < R32; i++) {
        tcg_gen_st_i32(g->v32[i], tcg_env, offsetof(CPUArchState, out[R64 + i]));
    }
    tcg_gen_exit_tb(NULL, 0);
}

static void random_env(GRand *r)
{
    int i;

    for (i = 0; i < R64 + R32; i++) {
        env->in[i] = (uint64_t)g_rand_int(r) << 32 | g_rand_int(r);
        if (i % 3 == 0) {
            env->in[i] = edge[i % NB_EDGE];
        }
    }
    for (i = 0; i < 8; i++) {
        env->rg64[i] = (uint64_t)g_rand_int(r) << 32 | g_rand_int(r);
    }
    for (i = 0; i < 4; i++) {
        env->rg32[i] = g_rand_int(r);
    }
    env->g64[0] = 0;
    memset(env->out, 0, sizeof(env->out));
    for (i = 0; i < (int)sizeof(ram); i++) {
        ram[i] = i * 13 + (i >> 7);
    }
}

static void test_random_programs(void)
{
    int prog, nprog = g_test_slow() ? 20000 : 1000;
    static uint8_t ram_native[sizeof(ram)];
    static CPUArchState env_native;

    /* without a native back end NATIVE means TCI: still opt vs unopt */
    tlb_setup();
    for (prog = 0; prog < nprog; prog++) {
        guint32 seed = 0x5eed0000 + prog;
        int bi;

        if (g_getenv("TCG_TEST_PROG") && atoi(g_getenv("TCG_TEST_PROG")) > prog) {
            continue;
        }

        /* native optimized is the reference for TCI optimized and for
         * native unoptimized (which catches optimizer mistakes); the
         * generator must not be rerun halfway, so never fill the buffer */
        tcg_region_reset_all();
        for (bi = 0; bi < 3; bi++) {
            GRand *envr = g_rand_new_with_seed(seed ^ 0xabcdef);
            RandGen g = { .r = g_rand_new_with_seed(seed) };
            TranslationBlock *tb;

            random_env(envr);
            tcg_set_backend(bi == 1 ? TCG_BACKEND_TCI : TCG_BACKEND_NATIVE);
            tcg_set_optimize(bi != 2);
            tb = translate(gen_random, &g);
            tcg_set_optimize(true);
            cur_tb = tb;
            g_assert_cmphex(run(tb), ==, 0);
            g_rand_free(g.r);
            g_rand_free(envr);
            if (bi == 0) {
                env_native = *env;
                memcpy(ram_native, ram, sizeof(ram));
                continue;
            }
        if (memcmp(env->out, env_native.out, sizeof(env->out)) ||
            memcmp(env->rg64, env_native.rg64, sizeof(env->rg64)) ||
            memcmp(env->rg32, env_native.rg32, sizeof(env->rg32)) ||
            env->g64[0] != env_native.g64[0] ||
            memcmp(ram, ram_native, sizeof(ram))) {
            int i;
            for (i = 0; i < R64 + R32; i++) {
                if (env->out[i] != env_native.out[i]) {
                    g_test_message("out[%d]: tci %#" G_GINT64_MODIFIER "x native %#"
                                   G_GINT64_MODIFIER "x", i, env->out[i],
                                   env_native.out[i]);
                }
            }
            g_test_message("random program %d (seed %#x): %s differs",
                           prog, seed, bi == 1 ? "TCI" : "unoptimized");
            g_test_fail();
            return;
        }
        }
    }
    g_test_message("%d random programs agree", nprog);
}

/* read-modify-write ops on guest memory */
static void gen_atomics(void *opaque)
{
    TCGv_i64 a = tcg_temp_new_i64(), r = tcg_temp_new_i64();
    TCGv_i32 r32 = tcg_temp_new_i32();

    tcg_gen_movi_i64(a, GUEST_BASE + 0x100);
    /* cmpxchg that succeeds, then one that fails */
    tcg_gen_atomic_cmpxchg_i64(r, a, tcg_constant_i64(0x1111), tcg_constant_i64(0x2222),
                               0, MO_LEUQ);
    tcg_gen_st_i64(r, tcg_env, offsetof(CPUArchState, out[0]));
    tcg_gen_atomic_cmpxchg_i64(r, a, tcg_constant_i64(0x1111), tcg_constant_i64(0x3333),
                               0, MO_LEUQ);
    tcg_gen_st_i64(r, tcg_env, offsetof(CPUArchState, out[1]));
    /* 16-bit fetch_add wraps within its size */
    tcg_gen_movi_i64(a, GUEST_BASE + 0x108);
    tcg_gen_atomic_fetch_add_i64(r, a, tcg_constant_i64(3), 0, MO_LEUW);
    tcg_gen_st_i64(r, tcg_env, offsetof(CPUArchState, out[2]));
    tcg_gen_atomic_add_fetch_i32(r32, a, tcg_constant_i32(1), 0, MO_LEUW);
    tcg_gen_st_i32(r32, tcg_env, offsetof(CPUArchState, out[3]));
    /* signed byte min, unsigned max, xchg */
    tcg_gen_movi_i64(a, GUEST_BASE + 0x110);
    tcg_gen_atomic_fetch_smin_i64(r, a, tcg_constant_i64(-5), 0, MO_SB);
    tcg_gen_st_i64(r, tcg_env, offsetof(CPUArchState, out[4]));
    tcg_gen_movi_i64(a, GUEST_BASE + 0x118);
    tcg_gen_atomic_umax_fetch_i64(r, a, tcg_constant_i64(0x90), 0, MO_UB);
    tcg_gen_st_i64(r, tcg_env, offsetof(CPUArchState, out[5]));
    tcg_gen_movi_i64(a, GUEST_BASE + 0x120);
    tcg_gen_atomic_xchg_i64(r, a, tcg_constant_i64(0xabcdef), 0, MO_BEUL);
    tcg_gen_st_i64(r, tcg_env, offsetof(CPUArchState, out[6]));
    tcg_gen_exit_tb(NULL, 0);
}

static void test_atomics(void)
{
    int bi;

    tlb_setup();
    for (bi = 0; bi < NB_BACKENDS; bi++) {
        uint64_t v;

        tcg_set_backend(backends[bi]);
        v = 0x1111;
        memcpy(ram + 0x100, &v, 8);
        ram[0x108] = 0xfe;
        ram[0x109] = 0xff;
        ram[0x110] = 0x10;
        ram[0x118] = 0x80;
        memcpy(ram + 0x120, "\x01\x02\x03\x04", 4);
        g_assert_cmphex(run(translate(gen_atomics, NULL)), ==, 0);
        g_assert_cmphex(env->out[0], ==, 0x1111);
        g_assert_cmphex(env->out[1], ==, 0x2222);
        memcpy(&v, ram + 0x100, 8);
        g_assert_cmphex(v, ==, 0x2222);
        g_assert_cmphex(env->out[2], ==, 0xfffe);
        g_assert_cmphex((uint32_t)env->out[3], ==, 2);
        g_assert_cmphex(ram[0x108] | ram[0x109] << 8, ==, 2);
        g_assert_cmphex(env->out[4], ==, 0x10);
        g_assert_cmphex(ram[0x110], ==, 0xfb);
        g_assert_cmphex(env->out[5], ==, 0x90);
        g_assert_cmphex(ram[0x118], ==, 0x90);
        g_assert_cmphex(env->out[6], ==, 0x01020304);
        g_assert_cmphex(ram[0x120] << 24 | ram[0x121] << 16 | ram[0x122] << 8 | ram[0x123],
                        ==, 0xabcdef);
    }
}

void test_tcg_more_register(void)
{
    g_test_add_func("/tcg/atomics", test_atomics);
    g_test_add_func("/tcg/random-programs", test_random_programs);
    g_test_add_func("/tcg/optimizer", test_optimizer);
    g_test_add_func("/tcg/misc-api", test_misc_api);
    g_test_add_func("/tcg/limits", test_limits);
    g_test_add_func("/tcg/helpers", test_helpers);
    g_test_add_func("/tcg/branches", test_branches);
    g_test_add_func("/tcg/register-pressure", test_register_pressure);
    g_test_add_func("/tcg/guest-memory", test_guest_memory);
    g_test_add_func("/tcg/chaining", test_chaining);
}
