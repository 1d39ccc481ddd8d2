/*
 * LOCK-prefixed and implicitly locked instructions on 4 CPUs at once
 * (-smp 4, one host thread per vCPU): LOCK INC, LOCK XADD, a CMPXCHG
 * retry loop, an XCHG spinlock around a plain read-modify-write, LOCK
 * BTS on shared words, and CMPXCHG16B on a 128-bit counter.  Each total
 * is exact only if every operation was atomic.
 */
#include "smp.h"

#define NCPU 4
#define ITER 200000

static volatile uint32_t c_inc;
static volatile uint64_t c_xadd, c_cas, c_plain, c_lock;
static volatile uint64_t bitmap[NCPU * ITER / 64 / NCPU + 1];
static volatile uint64_t c128[2] __attribute__((aligned(16)));
static volatile int started, done;

static void work(int cpu)
{
    __atomic_fetch_add(&started, 1, __ATOMIC_SEQ_CST);
    smp_wait(&started, NCPU);
    for (int i = 0; i < ITER; i++) {
        uint64_t one = 1, old, nv;

        __asm__ volatile("lock incl %0" : "+m"(c_inc));
        __asm__ volatile("lock xaddq %0, %1" : "+r"(one), "+m"(c_xadd));
        old = c_cas;
        do {
            nv = old + 3;
        } while (!__atomic_compare_exchange_n(&c_cas, &old, nv, false,
                                              __ATOMIC_SEQ_CST,
                                              __ATOMIC_SEQ_CST));
        /* xchg spinlock */
        for (;;) {
            uint64_t v = 1;
            __asm__ volatile("xchgq %0, %1" : "+r"(v), "+m"(c_lock));
            if (!v) {
                break;
            }
            __asm__ volatile("pause");
        }
        c_plain = c_plain + 1;
        __asm__ volatile("movq $0, %0" : "=m"(c_lock) : : "memory");
        /* bits cpu, cpu+4, ... of a shared bitmap (same words) */
        if (i < ITER / NCPU) {
            uint64_t bit = (uint64_t)i * NCPU + cpu;
            __asm__ volatile("lock btsq %1, %0" : "+m"(*bitmap) : "r"(bit)
                             : "memory", "cc");
        }
        {
            uint64_t lo = c128[0], hi = c128[1], nlo, nhi;
            uint8_t ok;

            do {
                nlo = lo + 1;
                nhi = hi + (nlo == 0);
                __asm__ volatile("lock cmpxchg16b %1; sete %0"
                                 : "=q"(ok), "+m"(*c128), "+a"(lo), "+d"(hi)
                                 : "b"(nlo), "c"(nhi) : "cc", "memory");
            } while (!ok);
        }
    }
    __atomic_fetch_add(&done, 1, __ATOMIC_SEQ_CST);
}

static void ap(int cpu)
{
    work(cpu);
}

int main(void)
{
    int n;
    unsigned missing = 0;

    printf("x86-64 atomics on %d CPUs\n", NCPU);
    c128[0] = 0xfffffffffffff000ull;
    c128[1] = 0;
    n = smp_start(ap, NCPU);
    check_eq(n, NCPU, "CPUs up");
    work(0);
    smp_wait(&done, NCPU);
    check_eq(c_inc, NCPU * ITER, "lock incl");
    check_eq(c_xadd, NCPU * ITER, "lock xaddq");
    check_eq(c_cas, 3ull * NCPU * ITER, "lock cmpxchgq loop");
    check_eq(c_plain, NCPU * ITER, "xchg spinlock");
    for (uint64_t b = 0; b < ITER; b++) {
        if (!((bitmap[b / 64] >> (b % 64)) & 1)) {
            missing++;
        }
    }
    check_eq(missing, 0, "lock btsq: every bit set");
    check_eq(c128[0], 0xfffffffffffff000ull + NCPU * ITER, "cmpxchg16b low");
    check_eq(c128[1], 1, "cmpxchg16b carry into the high half");
    return finish();
}
