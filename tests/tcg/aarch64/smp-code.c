/*
 * Cross-modifying code with 4 CPUs (Arm ARM B2.2.5): CPU 0 rewrites an
 * instruction (MOVZ W0, #round) that CPUs 1-3 keep executing, with
 * DC CVAU; DSB ISH; IC IVAU; DSB ISH, then publishes the round (STLR).
 * A CPU that sees the round (LDAR) and executes an ISB must run the new
 * instruction, never a stale translation:
 *  - "call": the readers call a function in the patched page;
 *  - "spin": the readers spin inside the patched page (LDAR loop, ISB, then
 *    the patched MOVZ), so the code they are running shares the page with
 *    the instruction being changed.
 * The code page is its own 4K page (nothing else is written there).
 *
 * The .ref is written by hand: QEMU 7.2 fails "call" (all three readers
 * run the previous instruction in the same round).  A store to a page
 * holding code invalidates the page's TBs *before* the store reaches RAM;
 * a reader that retranslates in between builds a TB from the old bytes and
 * nothing invalidates it again.  Turtle had the same race (cputlb.c
 * notdirty_write, then stn_le_p) until accel/tcg 53a8da8 and 4c19571
 * (invalidate again once the store has landed; write-protect a code page
 * before reading it for translation).  Built with EXTRA_CFLAGS=-DWRITE_TWICE
 * (a second, identical store) the race is hidden, which is how it was
 * told apart from a reader-side problem.
 */
#include "smp.h"

#define NCPU 4
#define ROUNDS 60       /* "call"; "spin" does ROUNDS / 4 */

static volatile uint32_t code[1024] __attribute__((aligned(4096)));
static volatile uint64_t gen __attribute__((aligned(64)));
static volatile uint64_t ack[NCPU * 8];
static volatile uint64_t stale[NCPU * 8];
/* First stale result per CPU: round << 32 | value returned. */
static volatile uint64_t first_stale[NCPU * 8];

#define MOVZ_W0(imm)    (0x52800000u | ((uint32_t)(imm) & 0xffff) << 5)
#define RET             0xd65f03c0u
/* spin entry (x0 = &gen, x1 = round): 1: ldar x2, [x0]; cmp x2, x1;
 * b.lo 1b; isb; movz w0, #imm; ret */
#define LDAR_X2_X0      0xc8dffc02u
#define CMP_X2_X1       0xeb01005fu
#define BLO_MINUS8      0x54ffffc3u
#define ISB_INSN        0xd5033fdfu

#define CALL_AT  0              /* movz; ret */
#define SPIN_AT  64             /* ldar; cmp; b.lo; isb; movz; ret */
#define SPIN_MOVZ (SPIN_AT + 4)

static void sync_code(volatile uint32_t *p)
{
    __asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish"
                     : : "r"(p) : "memory");
}

static int variant;

static uint64_t rounds(void)
{
    return variant == 0 ? ROUNDS : ROUNDS / 4;
}

static void job_reader(unsigned cpu, void *arg)
{
    uint32_t (*call)(void) = (uint32_t (*)(void))(uintptr_t)&code[CALL_AT];
    uint32_t (*spin)(volatile uint64_t *, uint64_t) =
        (uint32_t (*)(volatile uint64_t *, uint64_t))(uintptr_t)&code[SPIN_AT];

    for (uint64_t r = 1; r <= rounds(); r++) {
        uint32_t v;
        if (variant == 0) {
            while (load_acquire(&gen) < r) {
                call();                 /* keep the old code hot */
            }
            ISB();
            v = call();
        } else {
            v = spin(&gen, r);
        }
        if (v != r) {
            if (!stale[cpu * 8]++) {
                first_stale[cpu * 8] = r << 32 | v;
            }
        }
        store_release(&ack[cpu * 8], r);
    }
}

static void writer(void)
{
    int at = variant == 0 ? CALL_AT : SPIN_MOVZ;

    for (uint64_t r = 1; r <= rounds(); r++) {
        code[at] = MOVZ_W0(r);
#ifdef WRITE_TWICE
        code[at] = MOVZ_W0(r);
#endif
        sync_code(&code[at]);
        ISB();
        store_release(&gen, r);
        for (int i = 1; i < NCPU; i++) {
            uint64_t end = smp_now() + smp_ms(3000);
            while (load_acquire(&ack[i * 8]) < r) {
                if (smp_now() > end) {
                    printf("cpu %d stuck in round %lu FAIL\n", i, r);
                    checks_run++;
                    checks_failed++;
                    return;
                }
            }
        }
    }
}

int main(void)
{
    static const char *const name[2] = {
        "call into the patched page", "spin inside the patched page",
    };

    code[CALL_AT] = MOVZ_W0(0);
    code[CALL_AT + 1] = RET;
    code[SPIN_AT] = LDAR_X2_X0;
    code[SPIN_AT + 1] = CMP_X2_X1;
    code[SPIN_AT + 2] = BLO_MINUS8;
    code[SPIN_AT + 3] = ISB_INSN;
    code[SPIN_MOVZ] = MOVZ_W0(0);
    code[SPIN_MOVZ + 1] = RET;
    for (int i = 0; i < 1024; i += 16) {
        sync_code(&code[i]);
    }
    ISB();
    if (smp_init(NCPU) != NCPU) {
        test_done();
    }
    check32("cpu 0 runs the generated code", ((uint32_t (*)(void))(uintptr_t)code)(), 0);
    for (variant = 0; variant < 2; variant++) {
        gen = 0;
        for (int i = 0; i < NCPU; i++) {
            ack[i * 8] = stale[i * 8] = 0;
        }
        DSB();
        for (int i = 1; i < NCPU; i++) {
            smp_run(i, job_reader, 0);
        }
        uint64_t t0 = smp_now();
        writer();
        for (int i = 1; i < NCPU; i++) {
            smp_wait(i);
        }
        printf("%s, %lu rewrites seen by 3 cpus:\n", name[variant], rounds());
        check("  stale instructions executed", stale[8] + stale[16] + stale[24], 0);
        for (int i = 1; i < NCPU; i++) {
            if (stale[i * 8]) {
                printf("  cpu %d: first in round %lu, which returned %lu\n", i,
                       first_stale[i * 8] >> 32, first_stale[i * 8] & 0xffffffff);
            }
        }
#ifdef DEBUG_TIME
        printf("  %lu ms\n", (smp_now() - t0) / smp_ms(1));
#endif
        (void)t0;
    }
    test_done();
}
