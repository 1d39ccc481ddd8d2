/*
 * Memory-ordering litmus tests on 4 CPUs (-cpu max, for LDAPR).  Only
 * outcomes the Armv8 model forbids are checked, each over many iterations:
 *  - MP+dmb: the writer stores data then DMB ISHST then a flag; a reader
 *    that sees the flag and then does DMB ISHLD must see the data at least
 *    as new as the flag;
 *  - MP+rel/acq: data then STLR flag; LDAR flag then data;
 *  - MP+rel/acqpc: the same with LDAPR (FEAT_LRCPC);
 *  - MP+dmb+addr: the reader orders by an address dependency instead of a
 *    barrier;
 *  - CoRR on the flag: successive reads of one location never go back;
 *  - SB+dmbs: x=1; DMB ISH; r0=y  ||  y=1; DMB ISH; r1=x never gives
 *    r0 = r1 = 0.
 * MP runs two writer/reader pairs at once (1->2, 3->0) with data and flag
 * on separate lines and pages; SB runs pairs (0,1) and (2,3) in lock step.
 * Violations are counted and must be 0; nothing printed depends on timing.
 * Sensitivity: built with EXTRA_CFLAGS=-DSB_NO_DMB, SB loses its barriers
 * and prints how often the (then allowed) r0=r1=0 outcome showed up.
 */
#include "smp.h"

#define NCPU 4
#define MP_ITERS 60000
#define SB_ITERS 8000
#define NDATA 4

enum { MP_DMB, MP_RELACQ, MP_RELACQPC, MP_ADDR, MP_KINDS };
static const char *const mp_name[MP_KINDS] = {
    "MP+dmb.st+dmb.ld", "MP+stlr+ldar", "MP+stlr+ldapr", "MP+dmb.st+addr",
};

struct mp_chan {
    volatile uint64_t flag __attribute__((aligned(4096)));
    volatile uint64_t data[NDATA * 8] __attribute__((aligned(4096)));
};
static struct mp_chan chan[2];

/* Per reader CPU: stale data seen, flag going backwards, reads done. */
static volatile uint64_t stale[NCPU * 8], backwards[NCPU * 8], reads[NCPU * 8];

static inline uint64_t ldapr(volatile uint64_t *p)
{
    register uint64_t x0 __asm__("x0");
    register volatile uint64_t *x1 __asm__("x1") = p;
    __asm__ volatile(".inst 0xf8bfc020" /* ldapr x0, [x1] */
                     : "=r"(x0) : "r"(x1) : "memory");
    return x0;
}

static void mp_writer(struct mp_chan *ch, int kind)
{
    for (uint64_t i = 1; i <= MP_ITERS; i++) {
        for (int k = 0; k < NDATA; k++) {
            ch->data[k * 8] = i;
        }
        if (kind == MP_RELACQ || kind == MP_RELACQPC) {
            store_release(&ch->flag, i);
        } else {
            __asm__ volatile("dmb ishst" ::: "memory");
            ch->flag = i;
        }
    }
}

static void mp_reader(unsigned cpu, struct mp_chan *ch, int kind)
{
    uint64_t f, last = 0, bad = 0, back = 0, n = 0;

    do {
        uint64_t d[NDATA];
        switch (kind) {
        case MP_DMB:
            f = ch->flag;
            __asm__ volatile("dmb ishld" ::: "memory");
            for (int k = 0; k < NDATA; k++) {
                d[k] = ch->data[k * 8];
            }
            break;
        case MP_RELACQ:
            f = load_acquire(&ch->flag);
            for (int k = 0; k < NDATA; k++) {
                d[k] = ch->data[k * 8];
            }
            break;
        case MP_RELACQPC:
            f = ldapr(&ch->flag);
            for (int k = 0; k < NDATA; k++) {
                d[k] = ch->data[k * 8];
            }
            break;
        default: {
            /* d = data[k + (f ^ f)]: an address dependency on the flag. */
            uint64_t zero;
            f = ch->flag;
            __asm__ volatile("eor %0, %1, %1" : "=r"(zero) : "r"(f));
            for (int k = 0; k < NDATA; k++) {
                d[k] = ch->data[k * 8 + zero];
            }
            break;
        }
        }
        for (int k = 0; k < NDATA; k++) {
            if (d[k] < f) {
                bad++;
            }
        }
        if (f < last) {
            back++;
        }
        last = f;
        n++;
    } while (f != MP_ITERS);
    stale[cpu * 8] = bad;
    backwards[cpu * 8] = back;
    reads[cpu * 8] = n;
}

static struct smp_barrier start;
static uint64_t round;
static int mp_kind;

static void job_mp(unsigned cpu, void *arg)
{
    smp_barrier_wait(&start, cpu, NCPU, round);
    switch (cpu) {
    case 1: mp_writer(&chan[0], mp_kind); break;
    case 2: mp_reader(cpu, &chan[0], mp_kind); break;
    case 3: mp_writer(&chan[1], mp_kind); break;
    case 0: mp_reader(cpu, &chan[1], mp_kind); break;
    }
}

/* SB: pair p uses x[p][i], y[p][i] (zeroed), results r0/r1. */
static volatile uint32_t sb_x[2][SB_ITERS], sb_y[2][SB_ITERS];
static volatile uint32_t sb_r0[2][SB_ITERS], sb_r1[2][SB_ITERS];
/* Two-party lock step: each side publishes its iteration. */
static volatile uint64_t sb_step[NCPU * 8];

static void job_sb(unsigned cpu, void *arg)
{
    int p = cpu / 2, me = cpu & 1;
    unsigned other = cpu ^ 1;
    volatile uint32_t *mine = me ? sb_y[p] : sb_x[p];
    volatile uint32_t *theirs = me ? sb_x[p] : sb_y[p];
    volatile uint32_t *res = me ? sb_r1[p] : sb_r0[p];

    smp_barrier_wait(&start, cpu, NCPU, round);
    for (int i = 0; i < SB_ITERS; i++) {
        store_release(&sb_step[cpu * 8], i + 1);
        while (load_acquire(&sb_step[other * 8]) < (uint64_t)i + 1) {
        }
        mine[i] = 1;
#ifndef SB_NO_DMB
        __asm__ volatile("dmb ish" ::: "memory");
#else
        __asm__ volatile("" ::: "memory");
#endif
        res[i] = theirs[i];
    }
}

int main(void)
{
    if (smp_init(NCPU) != NCPU) {
        test_done();
    }
    for (int kind = 0; kind < MP_KINDS; kind++) {
        memset((void *)chan, 0, sizeof(chan));
        DSB();
        mp_kind = kind;
        round++;
        smp_run_all(NCPU, job_mp, 0);
        printf("%s, %d messages on 2 pairs:\n", mp_name[kind], MP_ITERS);
        check("  stale data after the flag", stale[16] + stale[0], 0);
        check("  flag read going backwards (CoRR)", backwards[16] + backwards[0], 0);
        check_true("  readers saw the last message", reads[16] && reads[0]);
    }

    round++;
    smp_run_all(NCPU, job_sb, 0);
    uint64_t both_zero = 0;
    for (int p = 0; p < 2; p++) {
        for (int i = 0; i < SB_ITERS; i++) {
            both_zero += sb_r0[p][i] == 0 && sb_r1[p][i] == 0;
        }
    }
    printf("SB+dmb.ish+dmb.ish, %d rounds on 2 pairs:\n", SB_ITERS);
#ifdef SB_NO_DMB
    printf("  without DMB: r0=0 r1=0 seen %lu times\n", both_zero);
#else
    check("  forbidden r0=0 r1=0", both_zero, 0);
#endif
    test_done();
}
