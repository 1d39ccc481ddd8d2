/*
 * LSE atomics (Armv8.1, -cpu max) under MTTCG with 4 CPUs: every CPU does
 * N operations on shared words and the totals must be exact:
 *  - STADD and LDADDAL on a 64-bit counter, LDADDH on a 16-bit one whose
 *    neighbouring halfwords are owned by other CPUs;
 *  - a CAS retry loop (read, compute, CASAL) on a 64-bit counter;
 *  - a SWPA spinlock (released by STLR) protecting plain load/add/store;
 *  - a 128-bit {n, ~n} pair updated with CASPAL, every CASP read untorn;
 *  - LDUMAXAL / LDSMINAL with per-CPU values, LDSETAL / LDCLRAL bit masks.
 */
#include "smp.h"

#define NCPU 4
#define N 200000

struct counters {
    volatile uint64_t add __attribute__((aligned(64)));
    volatile uint64_t addal;
    volatile uint16_t h[NCPU] __attribute__((aligned(64)));
    volatile uint64_t cas __attribute__((aligned(64)));
    volatile uint32_t lock __attribute__((aligned(64)));
    volatile uint64_t plain;
    volatile uint64_t plain2 __attribute__((aligned(64)));
    volatile uint64_t pair[2] __attribute__((aligned(64)));
    volatile uint64_t umax __attribute__((aligned(64)));
    volatile int64_t smin;
    volatile uint64_t bits __attribute__((aligned(64)));
};
static struct counters c = { .pair = { 0, ~0ull }, .bits = 0xffff0000ull };
static volatile uint64_t torn[NCPU * 8];
static volatile uint64_t addal_bad[NCPU * 8];

static void job_add(unsigned cpu, void *arg)
{
    uint64_t one = 1, prev, last = 0;

    for (int i = 0; i < N; i++) {
        __asm__ volatile("stadd %0, [%1]" : : "r"(one), "r"(&c.add) : "memory");
        __asm__ volatile("ldaddal %1, %0, [%2]"
                         : "=&r"(prev) : "r"(one), "r"(&c.addal) : "memory");
        /* Each CPU's view of one location is coherent: values it gets back
         * only grow. */
        if (i && prev <= last) {
            addal_bad[cpu * 8]++;
        }
        last = prev;
        __asm__ volatile("ldaddh %w1, %w0, [%2]"
                         : "=&r"(prev) : "r"(one), "r"(&c.h[cpu]) : "memory");
    }
}

static void job_cas(unsigned cpu, void *arg)
{
    for (int i = 0; i < N; i++) {
        uint64_t old = c.cas, seen;
        for (;;) {
            seen = old;
            __asm__ volatile("casal %0, %2, [%1]"
                             : "+r"(seen) : "r"(&c.cas), "r"(old + 1) : "memory");
            if (seen == old) {
                break;
            }
            old = seen;
        }
    }
}

static void job_lock(unsigned cpu, void *arg)
{
    for (int i = 0; i < N; i++) {
        uint32_t was;
        do {
            __asm__ volatile("swpa %w2, %w0, [%1]"
                             : "=&r"(was) : "r"(&c.lock), "r"(1) : "memory");
        } while (was);
        c.plain = c.plain + 1;
        c.plain2 = c.plain2 + c.plain;
        __asm__ volatile("stlr wzr, [%0]" : : "r"(&c.lock) : "memory");
    }
}

static void job_pair(unsigned cpu, void *arg)
{
    for (int i = 0; i < N / 2; i++) {
        register uint64_t x0 __asm__("x0") = c.pair[0];
        register uint64_t x1 __asm__("x1") = ~x0;
        for (;;) {
            register uint64_t x2 __asm__("x2") = x0 + 1;
            register uint64_t x3 __asm__("x3") = ~(x0 + 1);
            uint64_t e0 = x0, e1 = x1;
            __asm__ volatile("caspal x0, x1, x2, x3, [%4]"
                             : "+r"(x0), "+r"(x1) : "r"(x2), "r"(x3), "r"(c.pair)
                             : "memory");
            if (x0 == e0 && x1 == e1) {
                break;
            }
            /* A failed CASP still reads the pair single-copy atomically. */
            if (x1 != ~x0) {
                torn[cpu * 8]++;
                x1 = ~x0;
            }
        }
    }
}

static void job_minmax(unsigned cpu, void *arg)
{
    uint64_t prev;

    for (int i = 0; i < N / 4; i++) {
        uint64_t v = (uint64_t)i * NCPU + cpu;          /* max: (N/4-1)*4+3 */
        int64_t s = -(int64_t)v;
        __asm__ volatile("ldumaxal %1, %0, [%2]"
                         : "=&r"(prev) : "r"(v), "r"(&c.umax) : "memory");
        __asm__ volatile("ldsminal %1, %0, [%2]"
                         : "=&r"(prev) : "r"(s), "r"(&c.smin) : "memory");
        /* Set then clear this CPU's bit: it must never be lost or leak. */
        uint64_t bit = 1ull << (cpu * 4 + (i & 3));
        __asm__ volatile("ldsetal %1, %0, [%2]"
                         : "=&r"(prev) : "r"(bit), "r"(&c.bits) : "memory");
        __asm__ volatile("ldclral %1, %0, [%2]"
                         : "=&r"(prev) : "r"(bit), "r"(&c.bits) : "memory");
    }
}

static struct smp_barrier start;
static uint64_t round;
struct sync_job { smp_fn fn; uint64_t round; };

static void synced(unsigned cpu, void *arg)
{
    struct sync_job *j = arg;
    smp_barrier_wait(&start, cpu, NCPU, j->round);
    j->fn(cpu, 0);
}

static void run_synced(smp_fn fn)
{
    struct sync_job j = { fn, ++round };
    smp_run_all(NCPU, synced, &j);
}

int main(void)
{
    uint64_t total = (uint64_t)NCPU * N;

    if (smp_init(NCPU) != NCPU) {
        test_done();
    }
    run_synced(job_add);
    check("stadd counter", c.add, total);
    check("ldaddal counter", c.addal, total);
    check("ldaddal results grow on each cpu",
          addal_bad[0] + addal_bad[8] + addal_bad[16] + addal_bad[24], 0);
    for (int i = 0; i < NCPU; i++) {
        check(smp_name("ldaddh halfword of cpu ", i, ""), c.h[i], (uint16_t)N);
    }

    run_synced(job_cas);
    check("casal loop counter", c.cas, total);

    run_synced(job_lock);
    check("swpa spinlock, plain counter", c.plain, total);
    check("swpa spinlock, running sum", c.plain2, total * (total + 1) / 2);
    check("lock free at the end", c.lock, 0);

    run_synced(job_pair);
    check("caspal pair counter low", c.pair[0], total / 2);
    check("caspal pair counter high", c.pair[1], ~(total / 2));
    check("caspal never read a torn pair", torn[0] + torn[8] + torn[16] + torn[24], 0);

    run_synced(job_minmax);
    check("ldumaxal", c.umax, (uint64_t)(N / 4 - 1) * NCPU + NCPU - 1);
    check("ldsminal", (uint64_t)c.smin, (uint64_t)-(int64_t)((N / 4 - 1) * NCPU + NCPU - 1));
    check("ldsetal/ldclral bits", c.bits, 0xffff0000ull);
    test_done();
}
