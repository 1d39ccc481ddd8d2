/*
 * Atomics on a page that also holds code being executed (-cpu max): each
 * of 4 CPUs calls a function in the page, then updates counters in the
 * same page with LDADD, CASAL and LDXR/STXR.  Every update is a store to a
 * page with translated code, so it takes the slow path that invalidates
 * the page's translations, and it must still be atomic.  Totals must be
 * exact; the function must keep returning its value.
 */
#include "smp.h"

#define NCPU 4
#define N 20000

/* 0: movz w0, #0x1234; ret.  Counters from word 512 (offset 2K). */
static struct {
    volatile uint32_t code[512];
    volatile uint64_t add __attribute__((aligned(64)));
    volatile uint64_t cas __attribute__((aligned(64)));
    volatile uint64_t exc __attribute__((aligned(64)));
} pg __attribute__((aligned(4096)));
#define page pg.code
#define CNT_ADD (&pg.add)
#define CNT_CAS (&pg.cas)
#define CNT_EXC (&pg.exc)
static volatile uint64_t wrong[NCPU * 8];

static void job(unsigned cpu, void *arg)
{
    uint32_t (*fn)(void) = (uint32_t (*)(void))(uintptr_t)page;
    uint64_t one = 1, prev, v;
    uint32_t fail;

    for (int i = 0; i < N; i++) {
        if (fn() != 0x1234) {
            wrong[cpu * 8]++;
        }
        __asm__ volatile("ldadd %1, %0, [%2]" : "=&r"(prev) : "r"(one), "r"(CNT_ADD) : "memory");
        fn();
        uint64_t old = *CNT_CAS, seen;
        for (;;) {
            seen = old;
            __asm__ volatile("casal %0, %2, [%1]" : "+r"(seen) : "r"(CNT_CAS), "r"(old + 1) : "memory");
            if (seen == old) {
                break;
            }
            old = seen;
        }
        fn();
        __asm__ volatile("1: ldxr %0, [%2]\n"
                         "   add %0, %0, #1\n"
                         "   stxr %w1, %0, [%2]\n"
                         "   cbnz %w1, 1b"
                         : "=&r"(v), "=&r"(fail) : "r"(CNT_EXC) : "memory");
    }
}

int main(void)
{
    page[0] = 0x52824680;       /* movz w0, #0x1234 */
    page[1] = 0xd65f03c0;       /* ret */
    __asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
                     : : "r"(page) : "memory");
    if (smp_init(NCPU) != NCPU) {
        test_done();
    }
    smp_run_all(NCPU, job, 0);
    check("ldadd counter in a code page", *CNT_ADD, (uint64_t)NCPU * N);
    check("casal counter in a code page", *CNT_CAS, (uint64_t)NCPU * N);
    check("ldxr/stxr counter in a code page", *CNT_EXC, (uint64_t)NCPU * N);
    check("code in the page kept running", wrong[0] + wrong[8] + wrong[16] + wrong[24], 0);
    test_done();
}
