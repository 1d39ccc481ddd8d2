/*
 * Exclusive-monitor atomics under MTTCG with 4 CPUs (cortex-a57: no LSE).
 * Every CPU does N increments of shared counters; the totals must be exact:
 *  - LDXR/STXR retry loop on a 64-bit counter, and on a 32-bit one;
 *  - LDXRB/STXRB on one byte per CPU packed into one word (the neighbours'
 *    concurrent byte exclusives must not be clobbered);
 *  - an LDAXR/STLXR spinlock protecting plain (non-atomic) load/add/store;
 *  - a 128-bit {n, ~n} pair updated with LDXP/STXP, whose every LDXP read
 *    must be untorn whenever the STXP after it succeeds.
 * Then, in lock step: CPU 1's LDXR, a store to that word by CPU 0 (plain
 * STR, or CPU 0's own LDXR/STXR), CPU 1's STXR must fail and leave CPU 0's
 * value; with no store in between it must succeed.
 * The identity map is on (Normal memory) on every CPU.
 */
#include "smp.h"

#define NCPU 4
#define N 200000

struct counters {
    volatile uint64_t x __attribute__((aligned(64)));
    volatile uint32_t w __attribute__((aligned(64)));
    volatile uint8_t b[NCPU] __attribute__((aligned(64)));
    volatile uint32_t lock __attribute__((aligned(64)));
    volatile uint64_t plain;
    volatile uint64_t plain2 __attribute__((aligned(64)));
    volatile uint64_t pair[2] __attribute__((aligned(64)));
};
static struct counters c = { .pair = { 0, ~0ull } };
static volatile uint64_t torn[NCPU * 8];
static volatile uint64_t pair_fail[NCPU * 8];

static void inc_ldxr(volatile uint64_t *p)
{
    uint64_t v;
    uint32_t fail;
    __asm__ volatile("1: ldxr %0, [%2]\n"
                     "   add %0, %0, #1\n"
                     "   stxr %w1, %0, [%2]\n"
                     "   cbnz %w1, 1b"
                     : "=&r"(v), "=&r"(fail) : "r"(p) : "memory");
}

static void inc_ldxr_w(volatile uint32_t *p)
{
    uint32_t v, fail;
    __asm__ volatile("1: ldxr %w0, [%2]\n"
                     "   add %w0, %w0, #1\n"
                     "   stxr %w1, %w0, [%2]\n"
                     "   cbnz %w1, 1b"
                     : "=&r"(v), "=&r"(fail) : "r"(p) : "memory");
}

static void inc_ldxrb(volatile uint8_t *p)
{
    uint32_t v, fail;
    __asm__ volatile("1: ldxrb %w0, [%2]\n"
                     "   add %w0, %w0, #1\n"
                     "   stxrb %w1, %w0, [%2]\n"
                     "   cbnz %w1, 1b"
                     : "=&r"(v), "=&r"(fail) : "r"(p) : "memory");
}

static void lock_acquire(volatile uint32_t *l)
{
    uint32_t v, fail;
    __asm__ volatile("   sevl\n"
                     "1: wfe\n"
                     "2: ldaxr %w0, [%2]\n"
                     "   cbnz %w0, 1b\n"
                     "   stxr %w1, %w3, [%2]\n"
                     "   cbnz %w1, 2b"
                     : "=&r"(v), "=&r"(fail) : "r"(l), "r"(1) : "memory");
}

static void lock_release(volatile uint32_t *l)
{
    __asm__ volatile("stlr wzr, [%0]" : : "r"(l) : "memory");
}

/* pair = {n, ~n}: read with LDXP, check, write {n+1, ~(n+1)} with STXP. */
static void inc_pair(unsigned cpu)
{
    uint64_t lo, hi;
    uint32_t fail;
    int was_torn;
    do {
        __asm__ volatile("ldxp %0, %1, [%2]" : "=&r"(lo), "=&r"(hi) : "r"(c.pair) : "memory");
        /* Before FEAT_LSE2 a 128-bit LDXP is single-copy atomic only if
         * the STXP that follows succeeds (Arm ARM B2.2.1), so a torn
         * read counts only then. */
        was_torn = hi != ~lo;
        lo++;
        hi = ~lo;
        __asm__ volatile("stxp %w0, %1, %2, [%3]"
                         : "=&r"(fail) : "r"(lo), "r"(hi), "r"(c.pair) : "memory");
        if (fail) {
            pair_fail[cpu * 8]++;
        } else if (was_torn) {
            torn[cpu * 8]++;
        }
    } while (fail);
}

static void job_ldxr(unsigned cpu, void *arg)
{
    for (int i = 0; i < N; i++) {
        inc_ldxr(&c.x);
        inc_ldxr_w(&c.w);
    }
}

static void job_bytes(unsigned cpu, void *arg)
{
    for (int i = 0; i < N; i++) {
        inc_ldxrb(&c.b[cpu]);
    }
}

static void job_lock(unsigned cpu, void *arg)
{
    for (int i = 0; i < N; i++) {
        lock_acquire(&c.lock);
        c.plain = c.plain + 1;
        c.plain2 = c.plain2 + c.plain;
        lock_release(&c.lock);
    }
}

static void job_pair(unsigned cpu, void *arg)
{
    for (int i = 0; i < N / 2; i++) {
        inc_pair(cpu);
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

/* Lock-step monitor test: CPU 1 arms, CPU 0 interferes, CPU 1 stores. */
static volatile uint64_t mon_word __attribute__((aligned(64)));
static volatile uint64_t mon_step __attribute__((aligned(64)));
static volatile uint64_t mon_status;

static void job_monitor(unsigned cpu, void *arg)
{
    uint64_t v;
    uint32_t status;

    __asm__ volatile("ldxr %0, [%1]" : "=r"(v) : "r"(&mon_word) : "memory");
    store_release(&mon_step, 1);
    while (load_acquire(&mon_step) != 2) {
    }
    __asm__ volatile("stxr %w0, %1, [%2]"
                     : "=&r"(status) : "r"(v + 0x100), "r"(&mon_word) : "memory");
    mon_status = status;
}

/* how: 0 nothing, 1 plain store, 2 LDXR/STXR by CPU 0. */
static void monitor_case(const char *name, int how, uint64_t status, uint64_t result)
{
    mon_word = 0x10;
    mon_step = 0;
    mon_status = 0xff;
    DSB();
    smp_run(1, job_monitor, 0);
    while (load_acquire(&mon_step) != 1) {
    }
    if (how == 1) {
        mon_word = 0x20;
    } else if (how == 2) {
        inc_ldxr(&mon_word);
    }
    store_release(&mon_step, 2);
    smp_wait(1);
    printf("%s:\n", name);
    check("  cpu 1 stxr status", mon_status, status);
    check("  word", mon_word, result);
}

int main(void)
{
    uint64_t total = (uint64_t)NCPU * N;
    uint64_t expect_plain2;

    if (smp_init(NCPU) != NCPU) {
        test_done();
    }
    run_synced(job_ldxr);
    check("ldxr/stxr 64-bit counter", c.x, total);
    check("ldxr/stxr 32-bit counter", c.w, (uint32_t)total);

    run_synced(job_bytes);
    for (int i = 0; i < NCPU; i++) {
        check(smp_name("ldxrb/stxrb byte of cpu ", i, ""), c.b[i], N & 0xff);
    }

    run_synced(job_lock);
    /* plain2 = 1 + 2 + ... + total if every critical section was exclusive. */
    expect_plain2 = total * (total + 1) / 2;
    check("ldaxr/stlxr spinlock, plain counter", c.plain, total);
    check("ldaxr/stlxr spinlock, running sum", c.plain2, expect_plain2);
    check("lock free at the end", c.lock, 0);

    run_synced(job_pair);
    check("ldxp/stxp pair counter low", c.pair[0], total / 2);
    check("ldxp/stxp pair counter high", c.pair[1], ~(total / 2));
    check("no successful stxp after a torn ldxp", torn[0] + torn[8] + torn[16] + torn[24], 0);

    monitor_case("ldxr on cpu 1, no store, stxr", 0, 0, 0x110);
    monitor_case("ldxr on cpu 1, str on cpu 0, stxr", 1, 1, 0x20);
    monitor_case("ldxr on cpu 1, ldxr/stxr on cpu 0, stxr", 2, 1, 0x11);
    test_done();
}
