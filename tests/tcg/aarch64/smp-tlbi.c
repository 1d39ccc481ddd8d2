/*
 * Broadcast TLB maintenance with 4 CPUs sharing one set of translation
 * tables (4K granule, 39-bit VA, MMU on everywhere).  CPU 0 rewrites the
 * level-3 entry for VA 0x80000000, then DSB ISH; TLBI ...IS; DSB ISH; ISB
 * and publishes the round number (STLR).  CPUs 1-3 keep reading the VA all
 * the time (so their TLBs hold the old translation), and once they see the
 * new round (LDAR) they must read through the new mapping: the page the
 * entry now points at, or a translation fault when it was made invalid.
 * Forms: TLBI VAE1IS, VALE1IS, VAAE1IS, VMALLE1IS, and VAE1IS after an
 * entry is made invalid and then valid again; then with a non-global (nG)
 * entry under ASID 5, TLBI VAE1IS for that ASID and TLBI ASIDE1IS.  Each round costs every
 * vCPU a trip out of its translated code, so rounds are few; building with
 * EXTRA_CFLAGS=-DTLBI_LOCAL (TLBI VAE1, not broadcast) shows the test
 * catching stale translations.
 */
#include "smp.h"

#define NCPU 4
#define NPAGES 8
#define ROUNDS 12
#define VA 0x80000000ul

enum { K_VAE1IS, K_VALE1IS, K_VAAE1IS, K_VMALLE1IS, K_UNMAP,
       K_NG_VAE1IS, K_NG_ASIDE1IS, NKINDS };
static const char *const kind_name[NKINDS] = {
    "TLBI VAE1IS", "TLBI VALE1IS", "TLBI VAAE1IS", "TLBI VMALLE1IS",
    "invalid/valid entry + TLBI VAE1IS",
    "nG entry, TLBI VAE1IS for ASID 5", "nG entry, TLBI ASIDE1IS for ASID 5",
};
/* Every CPU runs with ASID 5 in TTBR0_EL1 (8-bit ASIDs, TCR_EL1.A1 = 0). */
#define ASID 5ull
#define PTE_NG (1 << 11)

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static volatile uint64_t pages[NPAGES][512] __attribute__((aligned(4096)));

#define TAG(k)  (0x7a6e000000000000ull | (k))
#define PTE_PAGE(pa) ((uint64_t)(pa) | 3 | 1 << 2 | 3 << 8 | 1 << 10)

/* What round r maps: page index, or -1 for an invalid entry. */
static int round_page(int kind, int r)
{
    if (kind == K_UNMAP && (r & 1)) {
        return -1;
    }
    return (r * 3 + kind) % NPAGES;
}

static volatile uint64_t gen, cur_kind;
static volatile uint64_t ack[NCPU * 8];
/* Per reader CPU: reads that saw a stale page, missing faults, unexpected
 * faults, faults taken (any). */
static volatile uint64_t stale[NCPU * 8], nofault[NCPU * 8], badfault[NCPU * 8];
static volatile uint64_t faults[NCPU * 8];

static int fault_hook(struct exc_frame *f, int vector)
{
    unsigned cpu = smp_cpu_id();

    if (vector == 4 && ESR_EC(f->esr) == EC_DABT_CUR && f->far == VA) {
        faults[cpu * 8]++;
        f->elr += 4;
        return 1;
    }
    return 0;
}

/* Read VA; *faulted tells whether the load took a data abort. */
static uint64_t read_va(unsigned cpu, int *faulted)
{
    uint64_t before = faults[cpu * 8];
    uint64_t v = 0xdeadull;
    __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(VA) : "memory");
    *faulted = faults[cpu * 8] != before;
    return v;
}

static void job_reader(unsigned cpu, void *arg)
{
    int kind = cur_kind;

    for (uint64_t r = 1; r <= ROUNDS; r++) {
        int faulted, p;
        uint64_t v;

        /* Keep the old translation hot until the new round shows up (but
         * do not spin on faults: once the old entry is gone, wait). */
        int warm = r == 1 || round_page(kind, r - 1) >= 0;
        while (load_acquire(&gen) < r) {
            if (warm) {
                read_va(cpu, &faulted);
                warm = !faulted;
            }
        }
        v = read_va(cpu, &faulted);
        p = round_page(kind, r);
        if (p < 0) {
            nofault[cpu * 8] += !faulted;
        } else if (faulted) {
            badfault[cpu * 8]++;
        } else if (v != TAG(p)) {
            stale[cpu * 8]++;
        }
        store_release(&ack[cpu * 8], r);
    }
}

static void tlbi(int kind)
{
    uint64_t op = ASID << 48 | VA >> 12;

    DSB_ISH();
    switch (kind) {
    case K_VAE1IS:
    case K_UNMAP:
#ifdef TLBI_LOCAL
        /* Sensitivity check: without the broadcast the others go stale. */
        __asm__ volatile("tlbi vae1, %0" : : "r"(op) : "memory");
#else
        __asm__ volatile("tlbi vae1is, %0" : : "r"(op) : "memory");
#endif
        break;
    case K_VALE1IS:
        __asm__ volatile("tlbi vale1is, %0" : : "r"(op) : "memory");
        break;
    case K_VAAE1IS:
        __asm__ volatile("tlbi vaae1is, %0" : : "r"(op) : "memory");
        break;
    case K_NG_VAE1IS:
        __asm__ volatile("tlbi vae1is, %0" : : "r"(op) : "memory");
        break;
    case K_NG_ASIDE1IS:
        __asm__ volatile("tlbi aside1is, %0" : : "r"(ASID << 48) : "memory");
        break;
    default:
        __asm__ volatile("tlbi vmalle1is" ::: "memory");
        break;
    }
    DSB_ISH();
    ISB();
}

static void writer(int kind)
{
    for (uint64_t r = 1; r <= ROUNDS; r++) {
        int p = round_page(kind, r);
        l3[0] = p < 0 ? 0 : PTE_PAGE(&pages[p][0])
                | (kind >= K_NG_VAE1IS ? PTE_NG : 0);
        tlbi(kind);
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
    for (int k = 0; k < NPAGES; k++) {
        pages[k][0] = TAG(k);
    }
    l1[0] = 0x00000000ull | 1 | 0 << 2 | 1 << 10;                 /* devices */
    l1[1] = 0x40000000ull | 1 | 1 << 2 | 3 << 8 | 1 << 10;        /* RAM */
    l1[2] = (uint64_t)(uintptr_t)l2 | 3;
    l2[0] = (uint64_t)(uintptr_t)l3 | 3;
    l3[0] = PTE_PAGE(&pages[0][0]);
    DSB();
    smp_ttbr0 = (uint64_t *)((uintptr_t)l1 | ASID << 48);
    exc_hook = fault_hook;
    if (smp_init(NCPU) != NCPU) {
        test_done();
    }
    {
        int faulted;
        check("cpu 0 reads page 0 through VA", read_va(0, &faulted), TAG(0));
    }
    for (int kind = 0; kind < NKINDS; kind++) {
        for (int i = 0; i < NCPU; i++) {
            ack[i * 8] = stale[i * 8] = nofault[i * 8] = badfault[i * 8] = 0;
        }
        gen = 0;
        cur_kind = kind;
        DSB();
        for (int i = 1; i < NCPU; i++) {
            smp_run(i, job_reader, 0);
        }
        uint64_t t0 = smp_now();
        writer(kind);
        for (int i = 1; i < NCPU; i++) {
            smp_wait(i);
        }
#ifdef DEBUG_TIME
        printf("  %lu ms\n", (smp_now() - t0) / smp_ms(1));
#endif
        (void)t0;
        printf("%s, %d remaps seen by 3 cpus:\n", kind_name[kind], ROUNDS);
        check("  reads through the old mapping", stale[8] + stale[16] + stale[24], 0);
        check("  faults on a valid entry", badfault[8] + badfault[16] + badfault[24], 0);
        if (kind == K_UNMAP) {
            check("  reads of an invalid entry without a fault",
                  nofault[8] + nofault[16] + nofault[24], 0);
        }
    }
    test_done();
}
