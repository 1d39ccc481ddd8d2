/*
 * Multi-processor runtime for the smp-* tests: PSCI calls (HVC conduit on
 * virt), secondaries started with PSCI CPU_ON on their own 16K stacks, the
 * shared vector table (crt0.S) on every CPU, a per-CPU mailbox to run jobs,
 * and a shared identity map so that every CPU runs on Normal memory.
 *
 * Only CPU 0 prints: lib.c's output buffer is not shared-safe, and the
 * output must not depend on interleaving.  Secondaries record results in
 * memory and CPU 0 checks them.
 */
#ifndef TCG_AARCH64_SMP_H
#define TCG_AARCH64_SMP_H

#include "lib.h"

#define SMP_MAX_CPUS 4

/* PSCI 1.0 (Arm DEN 0022), SMC64/HVC64 function ids where both exist. */
#define PSCI_VERSION        0x84000000u
#define PSCI_CPU_OFF        0x84000002u
#define PSCI_CPU_ON         0xc4000003u
#define PSCI_AFFINITY_INFO  0xc4000004u
#define PSCI_FEATURES       0x8400000au
#define PSCI_SUCCESS             0
#define PSCI_NOT_SUPPORTED      -1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_DENIED             -3
#define PSCI_ALREADY_ON         -4
#define PSCI_ON_PENDING         -5
#define AFF_ON          0
#define AFF_OFF         1
#define AFF_ON_PENDING  2

int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/* This CPU's index: MPIDR_EL1.Aff0 (virt numbers CPUs 0..n-1 in Aff0). */
static inline unsigned smp_cpu_id(void)
{
    return READ_SYSREG(mpidr_el1) & 0xff;
}

typedef void (*smp_fn)(unsigned cpu, void *arg);

/* What each secondary saw when it came up (filled before it goes online). */
struct smp_boot_info {
    volatile uint64_t context_id;   /* x0 at the entry point */
    volatile uint64_t mpidr;
    volatile uint64_t current_el;
    volatile uint32_t online;       /* boots so far */
};
extern struct smp_boot_info smp_boot[SMP_MAX_CPUS];

/* Translation table base every CPU uses (NULL: the default identity map,
 * [0,1GB) Device, [1GB,2GB) Normal WB inner shareable, 4K granule, 39-bit). */
extern uint64_t *smp_ttbr0;
void smp_mmu_on(void);              /* on this CPU, with smp_ttbr0 */

/* Turn the MMU on on CPU 0, start CPUs 1..n-1 (CPU_ON, wait until online).
 * Returns the number of CPUs online (prints a FAIL line for any that did not
 * come up). */
int smp_init(int n);
/* CPU_ON for one CPU with a given context id; waits until it is online if
 * the call succeeded.  Returns the PSCI result. */
int64_t smp_cpu_on(unsigned cpu, uint64_t context_id);

/* Run fn(cpu, arg) on a parked secondary; smp_wait() waits for it. */
void smp_run(unsigned cpu, smp_fn fn, void *arg);
int smp_wait(unsigned cpu);         /* 0 on timeout (~10 s) */
/* Run fn on CPUs 1..n-1 and on CPU 0 itself, then wait for all. */
void smp_run_all(int n, smp_fn fn, void *arg);

/* Generic timer helpers for timeouts. */
static inline uint64_t smp_now(void) { ISB(); return READ_SYSREG(cntvct_el0); }
static inline uint64_t smp_ms(uint64_t ms) { return READ_SYSREG(cntfrq_el0) / 1000 * ms; }

/* A sense-free barrier for the CPUs 0..n-1 taking part: round r. */
struct smp_barrier {
    volatile uint64_t arrived[SMP_MAX_CPUS * 8];   /* one per 64-byte line */
};
void smp_barrier_wait(struct smp_barrier *b, unsigned cpu, int n, uint64_t round);

#define DMB_ISH()   __asm__ volatile("dmb ish" ::: "memory")
#define DSB_ISH()   __asm__ volatile("dsb ish" ::: "memory")
#define SEV()       __asm__ volatile("sev" ::: "memory")

static inline void store_release(volatile uint64_t *p, uint64_t v)
{
    __asm__ volatile("stlr %1, [%0]" : : "r"(p), "r"(v) : "memory");
}
static inline uint64_t load_acquire(volatile uint64_t *p)
{
    uint64_t v;
    __asm__ volatile("ldar %0, [%1]" : "=r"(v) : "r"(p) : "memory");
    return v;
}

/* "PRE<n>POST" in a static buffer, for check names (one at a time). */
const char *smp_name(const char *pre, int n, const char *post);
void smp_secondary_entry(void);

#endif
