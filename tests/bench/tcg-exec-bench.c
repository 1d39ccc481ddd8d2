/*
 * accel/tcg benchmark (not a test): guest programs of the toy ISA
 * (tests/unit/tcg-toy.h) through cpu_exec on each back end.
 *
 *   tcg-exec-bench [scale]
 *
 * Prints, per back end: chained-loop throughput, TLB fast-path
 * load/store throughput, lookup_and_goto_ptr (indirect jump) throughput,
 * MMIO slow-path accesses per second, and translation cost per guest
 * instruction (first run of fresh straight-line code minus a re-run).
 */
#include "turtle/osdep.h"
#include "exec/exec-all.h"
#include "../../accel/tcg/internal.h"
#include "../unit/tcg-toy.h"

static double now_s(void)
{
    return g_get_monotonic_time() / 1e6;
}

/* r1 = n (up to 2^31) */
static void load_count(uint32_t *p, int reg, uint32_t n)
{
    p[0] = INSN(OP_LUI, reg, 0, n >> 16);
    p[1] = INSN(OP_ORI, reg, 0, n & 0xffff);
}

static double run_timed(void)
{
    double t0 = now_s();

    if (toy_run(CODE_BASE) != EXCP_HLT) {
        fprintf(stderr, "tcg-exec-bench: program did not halt\n");
        exit(1);
    }
    return now_s() - t0;
}

static void bench_loop(const char *be, uint32_t n)
{
    uint32_t prog[6];
    double t;

    load_count(prog, 1, n);
    prog[2] = INSN(OP_LI, 2, 0, 0);
    prog[3] = INSN(OP_ADD, 2, 1, 0);            /* loop: r2 += r1 */
    prog[4] = INSN(OP_BDEC, 1, 0, -2);
    prog[5] = INSN(OP_HALT, 0, 0, 0);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    t = run_timed();
    printf("%-7s loop (add, dec-branch; chained)   %8.1f M guest insns/s\n",
           be, 2.0 * n / t / 1e6);
}

static void bench_mem(const char *be, uint32_t n)
{
    uint32_t prog[8];
    double t;

    load_count(prog, 1, n);
    prog[2] = INSN(OP_LI, 3, 0, 0x4000);
    prog[3] = INSN(OP_LDW, 5, 3, 0);            /* loop */
    prog[4] = INSN(OP_ADDI, 5, 0, 1);
    prog[5] = INSN(OP_STW, 5, 3, 0);
    prog[6] = INSN(OP_BDEC, 1, 0, -4);
    prog[7] = INSN(OP_HALT, 0, 0, 0);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    t = run_timed();
    printf("%-7s load/add/store/dec-branch (TLB)  %8.1f M guest insns/s\n",
           be, 4.0 * n / t / 1e6);
}

static void bench_indirect(const char *be, uint32_t n)
{
    uint32_t prog[9];
    double t;

    load_count(prog, 1, n);
    prog[2] = INSN(OP_LI, 3, 0, CODE_BASE + 16);
    prog[3] = INSN(OP_LI, 2, 0, 0);
    prog[4] = INSN(OP_ADDI, 2, 0, 1);           /* L */
    prog[5] = INSN(OP_ADDI, 1, 0, -1);
    prog[6] = INSN(OP_BNEZ, 1, 0, 1);
    prog[7] = INSN(OP_HALT, 0, 0, 0);
    prog[8] = INSN(OP_JR, 0, 3, 0);             /* pc = L */
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    t = run_timed();
    printf("%-7s indirect jump loop (goto_ptr)     %8.1f M loops/s\n",
           be, n / t / 1e6);
}

static void bench_mmio(const char *be, uint32_t n)
{
    uint32_t prog[6];
    double t;

    load_count(prog, 1, n);
    prog[2] = INSN(OP_LUI, 3, 0, MMIO_BASE >> 16);
    prog[3] = INSN(OP_STW, 1, 3, 0x10);         /* loop */
    prog[4] = INSN(OP_BDEC, 1, 0, -2);
    prog[5] = INSN(OP_HALT, 0, 0, 0);
    toy_load_code(CODE_BASE, prog, G_N_ELEMENTS(prog));
    g_array_set_size(toy_machine.mmio_log, 0);
    t = run_timed();
    g_array_set_size(toy_machine.mmio_log, 0);
    printf("%-7s MMIO stores (slow path + BQL)     %8.2f M accesses/s\n",
           be, n / t / 1e6);
}

/*
 * Translation cost: nb insns of straight-line code (ADDI, TBs of up to
 * 512 insns), run once right after a flush, then again from the cache.
 */
static void bench_translate(const char *be, int rounds)
{
    const uint32_t nb = 64 * 1024;
    uint32_t *code = g_new(uint32_t, nb + 1);
    double t_first = 0, t_again = 0;
    uint64_t insns0 = tcg_stats.guest_insns_translated;
    uint64_t tbs0 = tcg_stats.tb_translated;
    uint32_t i;
    int r;

    for (i = 0; i < nb; i++) {
        code[i] = INSN(OP_ADDI, i & 7, 0, 1);
    }
    code[nb] = INSN(OP_HALT, 0, 0, 0);
    toy_load_code(0x10000, code, nb + 1);
    for (r = 0; r < rounds; r++) {
        double t;

        tb_flush(toy_cpu0());
        t = now_s();
        toy_run(0x10000);
        t_first += now_s() - t;
        t = now_s();
        toy_run(0x10000);
        t_again += now_s() - t;
    }
    printf("%-7s translation                       %8.0f ns/guest insn "
           "(%.0f ns/TB, %" PRIu64 " TBs)\n", be,
           (t_first - t_again) * 1e9 /
           (double)(tcg_stats.guest_insns_translated - insns0),
           (t_first - t_again) * 1e9 / (double)(tcg_stats.tb_translated - tbs0),
           tcg_stats.tb_translated - tbs0);
    g_free(code);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        TCGBackendKind kind;
        uint32_t n;
    } backends[] = {
        { "native", TCG_BACKEND_NATIVE, 50000000 },
        { "tci", TCG_BACKEND_TCI, 5000000 },
    };
    double scale = argc > 1 ? atof(argv[1]) : 1.0;
    size_t b;

    if (scale <= 0) {
        fprintf(stderr, "usage: %s [scale > 0]\n", argv[0]);
        return 1;
    }
    toy_machine_init(64 << 20, false);
    for (b = 0; b < G_N_ELEMENTS(backends); b++) {
        const char *be = backends[b].name;
        uint32_t n = backends[b].n * scale;

        if (backends[b].kind == TCG_BACKEND_NATIVE &&
            !tcg_have_native_backend()) {
            continue;
        }
        toy_use_backend(backends[b].kind);
        toy_env0()->vector = 0x8000;
        bench_loop(be, n);
        bench_mem(be, n / 2);
        bench_indirect(be, n / 4);
        bench_mmio(be, n / 50 > 0 ? n / 50 : 1);
        bench_translate(be, 5);
    }
    return 0;
}
