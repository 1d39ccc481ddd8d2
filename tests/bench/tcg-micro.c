/*
 * TCG micro-benchmarks (not a test): throughput of translated code on
 * each back end, helper calls, guest loads/stores through the TLB fast
 * path, TB chaining, and the cost of translation per IR op.
 *
 *   tcg-micro [iterations-scale]
 */
#include <glib.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tcg/tcg.h"
#include "tcg/tcg-op.h"
#include "tcg/tcg-ldst.h"

struct CPUArchState {
    uint64_t regs[32];
    uint64_t counter;
};

typedef struct BenchCPU {
    CPUNegativeOffsetState neg;
    CPUArchState env;
} BenchCPU;

static BenchCPU cpu;
static CPUArchState *env = &cpu.env;
static TCGv_i64 regs[32];
static uint8_t ram[1 << 16] __attribute__((aligned(4096)));
static CPUTLBEntry tlb[256];
static TranslationBlock *chain_tb;

uint64_t helper_ld_mmu(CPUArchState *e, uint64_t addr, MemOpIdx oi, uintptr_t ra)
{
    abort();
}

void helper_st_mmu(CPUArchState *e, uint64_t addr, uint64_t val, MemOpIdx oi,
                   uintptr_t ra)
{
    abort();
}

/* no chaining through the TB lookup here: back to the caller */
const void *helper_lookup_tb_ptr(CPUArchState *e)
{
    return tcg_code_gen_epilogue;
}

static uint64_t helper_mix(uint64_t a, uint64_t b)
{
    return (a ^ b) * 0x9e3779b97f4a7c15ull;
}

static const TCGHelperInfo mix_info = {
    .func = (void *)helper_mix, .name = "mix", .flags = TCG_CALL_NO_RWG_SE,
    .typemask = TCG_TYPECODE_I64 | TCG_TYPECODE_I64 << 3 | TCG_TYPECODE_I64 << 6,
};

/* ~ a guest basic block: 4 insns of register arithmetic */
static void gen_alu_block(int i)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_insn_start(0x1000 + 16 * i, 0);
    tcg_gen_add_i64(regs[(i + 1) & 31], regs[i & 31], regs[(i + 2) & 31]);
    tcg_gen_insn_start(0x1004 + 16 * i, 0);
    tcg_gen_shli_i64(t, regs[(i + 3) & 31], 3);
    tcg_gen_xor_i64(regs[(i + 4) & 31], regs[(i + 4) & 31], t);
    tcg_gen_insn_start(0x1008 + 16 * i, 0);
    tcg_gen_setcondi_i64(TCG_COND_LTU, t, regs[(i + 5) & 31], 1000);
    tcg_gen_add_i64(regs[(i + 6) & 31], regs[(i + 6) & 31], t);
    tcg_gen_insn_start(0x100c + 16 * i, 0);
    tcg_gen_andi_i64(regs[(i + 7) & 31], regs[(i + 7) & 31], 0xffffffffffull);
}

enum { K_ALU, K_MEM, K_CALL, K_CHAIN };

/* a loop of n iterations around a body of the given kind */
static void gen_loop(int kind, uint64_t n)
{
    TCGv_i64 i = tcg_temp_new_i64();
    TCGLabel *top = gen_new_label(), *done = gen_new_label();
    int k;

    tcg_gen_movi_i64(i, n);
    gen_set_label(top);
    tcg_gen_brcondi_i64(TCG_COND_EQ, i, 0, done);
    switch (kind) {
    case K_ALU:
        for (k = 0; k < 8; k++) {
            gen_alu_block(k);
        }
        break;
    case K_MEM:
        for (k = 0; k < 8; k++) {
            TCGv_i64 a = tcg_temp_new_i64(), v = tcg_temp_new_i64();
            tcg_gen_andi_i64(a, regs[k], 0xfff8);
            tcg_gen_qemu_ld_i64(v, a, 0, MO_LEUQ);
            tcg_gen_add_i64(v, v, regs[k + 8]);
            tcg_gen_qemu_st_i64(v, a, 0, MO_LEUQ);
            tcg_gen_addi_i64(regs[k], regs[k], 8 * 17);
        }
        break;
    case K_CALL:
        for (k = 0; k < 8; k++) {
            TCGArg args[2] = { (TCGArg)regs[k], (TCGArg)regs[k + 1] };
            tcg_gen_call(&mix_info, (TCGArg)regs[k], 2, args);
        }
        break;
    }
    tcg_gen_subi_i64(i, i, 1);
    tcg_gen_br(top);
    gen_set_label(done);
    tcg_gen_exit_tb(NULL, 0);
}

static TranslationBlock *translate_loop(int kind, uint64_t n)
{
    TranslationBlock *tb = tcg_tb_alloc();

    tcg_func_start();
    gen_loop(kind, n);
    g_assert(tcg_gen_code(tb) > 0);
    return tb;
}

/* one TB that decrements a counter and chains to itself until zero */
static TranslationBlock *translate_chain(void)
{
    TranslationBlock *tb = tcg_tb_alloc();
    TCGv_i64 c;
    TCGLabel *out;

    tcg_func_start();
    c = tcg_temp_new_i64();
    out = gen_new_label();
    tcg_gen_tb_start(tb);
    tcg_gen_ld_i64(c, tcg_env, offsetof(CPUArchState, counter));
    tcg_gen_brcondi_i64(TCG_COND_EQ, c, 0, out);
    tcg_gen_subi_i64(c, c, 1);
    tcg_gen_st_i64(c, tcg_env, offsetof(CPUArchState, counter));
    tcg_gen_goto_tb(0);
    tcg_gen_exit_tb(tb, 0);
    gen_set_label(out);
    tcg_gen_exit_tb(NULL, 0);
    tcg_gen_tb_end(tb);
    g_assert(tcg_gen_code(tb) > 0);
    tcg_tb_set_jmp_target(tb, 0, (uintptr_t)tb->tc.ptr);
    return tb;
}

static double now(void)
{
    return g_get_monotonic_time() / 1e6;
}

int main(int argc, char **argv)
{
    TCGTargetInfo info = {
        .page_bits = 12, .nb_mmu_modes = 1, .insn_start_words = 2,
        .tlb_neg_offset = offsetof(BenchCPU, neg) - offsetof(BenchCPU, env),
    };
    TCGOptions opts = { .backend = TCG_BACKEND_NATIVE, .tb_size = 64 << 20 };
    double scale = argc > 1 ? atof(argv[1]) : 1.0;
    char *err = NULL;
    int b, i;

    if (!tcg_init(&info, &opts, &err)) {
        g_printerr("%s\n", err);
        return 1;
    }
    for (i = 0; i < 32; i++) {
        char name[8];
        snprintf(name, sizeof(name), "x%d", i);
        regs[i] = tcg_global_mem_new_i64(tcg_env, offsetof(CPUArchState, regs[i]), name);
    }
    /* identity-ish TLB: guest 0..64K -> ram */
    cpu.neg.tlb.f[0].table = tlb;
    cpu.neg.tlb.f[0].mask = 255 << CPU_TLB_ENTRY_BITS;
    memset(tlb, 0xff, sizeof(tlb));
    for (i = 0; i < 16; i++) {
        tlb[i].addr_read = tlb[i].addr_write = (uint64_t)i << 12;
        tlb[i].addend = (uintptr_t)ram;
    }

    printf("tcg-micro: host back end %s\n",
           tcg_have_native_backend() ? "x86_64" : "(none, TCI only)");
    for (b = 0; b < 2; b++) {
        static const char *const kname[] = {
            "alu   (32 guest insns/iter)", "mem   (8 ld + 8 st/iter)   ",
            "call  (8 helper calls/iter)", "chain (1 TB per iter)      ",
        };
        int kind;

        tcg_set_backend(b ? TCG_BACKEND_TCI : TCG_BACKEND_NATIVE);
        if (b == 0 && !tcg_have_native_backend()) {
            continue;
        }
        tcg_region_reset_all();
        printf("\n[%s]\n", tcg_backend_name());
        for (kind = 0; kind < 4; kind++) {
            uint64_t n = (uint64_t)((b ? 2e5 : 4e6) * scale);
            TranslationBlock *tb;
            double t0, t;
            int nops;

            if (kind == K_CHAIN) {
                n *= 4;
                tb = translate_chain();
                nops = 0;
                env->counter = n;
                t0 = now();
                while (tcg_qemu_tb_exec(env, tb->tc.ptr) != 0) {
                }
                t = now() - t0;
                g_assert(env->counter == 0);
                printf("  %s %8.2f M iter/s  (%.1f ns/TB)\n", kname[kind],
                       n / t / 1e6, t * 1e9 / n);
                continue;
            }
            tb = translate_loop(kind, n);
            nops = tcg_op_count();
            t0 = now();
            tcg_qemu_tb_exec(env, tb->tc.ptr);
            t = now() - t0;
            printf("  %s %8.2f M iter/s  (%.1f ns/iter, %d IR ops in loop TB, %zu code bytes)\n",
                   kname[kind], n / t / 1e6, t * 1e9 / n, nops, tb->tc.size);
        }

        /* translation cost */
        {
            int reps = (int)(2000 * scale) + 1, nops = 0, r;
            double t0 = now(), t;
            size_t bytes = 0;

            for (r = 0; r < reps; r++) {
                TranslationBlock *tb = tcg_tb_alloc();
                if (!tb) {
                    tcg_region_reset_all();
                    tb = tcg_tb_alloc();
                }
                tcg_func_start();
                for (i = 0; i < 32; i++) {
                    gen_alu_block(i);
                }
                tcg_gen_exit_tb(NULL, 0);
                nops = tcg_op_count();
                bytes += tcg_gen_code(tb);
            }
            t = now() - t0;
            printf("  translate: %.1f us per TB of 128 guest insns, %.1f ns per IR op "
                   "(%d ops/TB, %.0f code bytes/TB)\n",
                   t * 1e6 / reps, t * 1e9 / reps / nops, nops, (double)bytes / reps);
        }
    }
    (void)chain_tb;
    return 0;
}
