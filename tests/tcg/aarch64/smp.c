/*
 * Multi-processor runtime for the smp-* tests (see smp.h).
 */
#include "smp.h"

#define SMP_STACK_SIZE 0x4000

struct smp_boot_info smp_boot[SMP_MAX_CPUS];
uint64_t *smp_ttbr0;

uint8_t smp_stacks[SMP_MAX_CPUS][SMP_STACK_SIZE] __attribute__((aligned(16)));
static uint64_t smp_identity_l1[512] __attribute__((aligned(4096)));

/* Mailbox per CPU, each on its own 64-byte line. */
struct smp_slot {
    volatile smp_fn fn;
    void *volatile arg;
    volatile uint64_t req, done;
} __attribute__((aligned(64)));
static struct smp_slot smp_slots[SMP_MAX_CPUS];

extern char vectors[];
void smp_secondary_entry(void);
void smp_secondary_main(uint64_t context_id) __attribute__((noreturn));

/*
 * Secondary entry point given to CPU_ON: EL1, MMU off, x0 = context id.
 * Mask interrupts, take this CPU's stack (index MPIDR.Aff0), share the
 * vector table, go to C.
 */
__asm__(
    "    .text\n"
    "    .global smp_secondary_entry\n"
    "smp_secondary_entry:\n"
    "    msr     daifset, #0xf\n"
    "    mrs     x1, mpidr_el1\n"
    "    and     x1, x1, #0xff\n"
    "    add     x1, x1, #1\n"
    "    ldr     x2, =smp_stacks\n"
    "    mov     x3, #0x4000\n"
    "    madd    x2, x1, x3, x2\n"
    "    mov     sp, x2\n"
    "    ldr     x2, =vectors\n"
    "    msr     vbar_el1, x2\n"
    "    isb\n"
    "    b       smp_secondary_main\n"
    "    .ltorg\n");

int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
    return (int64_t)x0;
}

void smp_mmu_on(void)
{
    uint64_t *l1 = smp_ttbr0 ? smp_ttbr0 : smp_identity_l1;

    WRITE_SYSREG(mair_el1, 0xff00);             /* 0: Device-nGnRnE, 1: Normal WB */
    WRITE_SYSREG(tcr_el1, 25ull                 /* T0SZ: 39-bit VA */
                 | 1ull << 8 | 1ull << 10 | 3ull << 12  /* WB, inner shareable */
                 | 1ull << 23                   /* EPD1 */
                 | 1ull << 32);                 /* IPS: 36 bits */
    WRITE_SYSREG(ttbr0_el1, (uint64_t)(uintptr_t)l1);
    __asm__ volatile("isb\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
    WRITE_SYSREG(sctlr_el1, (READ_SYSREG(sctlr_el1) | 1 | 1 << 2 | 1 << 12) & ~(1ull << 19));
    ISB();
}

void smp_secondary_main(uint64_t context_id)
{
    unsigned cpu = smp_cpu_id();
    struct smp_slot *s = &smp_slots[cpu];

    smp_mmu_on();
    smp_boot[cpu].context_id = context_id;
    smp_boot[cpu].mpidr = READ_SYSREG(mpidr_el1);
    smp_boot[cpu].current_el = READ_SYSREG(CurrentEL);
    /* A restarted CPU has no job pending. */
    s->done = s->req;
    __asm__ volatile("dmb ish" ::: "memory");
    smp_boot[cpu].online++;
    SEV();
    for (;;) {
        uint64_t req = load_acquire(&s->req);
        if (req == s->done) {
            __asm__ volatile("yield");
            continue;
        }
        s->fn(cpu, s->arg);
        store_release(&s->done, req);
        SEV();
    }
}

int64_t smp_cpu_on(unsigned cpu, uint64_t context_id)
{
    uint32_t before = smp_boot[cpu].online;
    int64_t r = psci_call(PSCI_CPU_ON, cpu,
                          (uint64_t)(uintptr_t)smp_secondary_entry, context_id);
    if (r == PSCI_SUCCESS) {
        uint64_t end = smp_now() + smp_ms(5000);
        while (smp_boot[cpu].online == before && smp_now() < end) {
            __asm__ volatile("yield");
        }
    }
    return r;
}

int smp_init(int n)
{
    int up = 1;

    smp_identity_l1[0] = 0x00000000ull | 1 | 0 << 2 | 1 << 10;
    smp_identity_l1[1] = 0x40000000ull | 1 | 1 << 2 | 3 << 8 | 1 << 10;
    DSB();
    smp_mmu_on();
    for (int i = 1; i < n; i++) {
        uint32_t before = smp_boot[i].online;
        int64_t r = smp_cpu_on(i, i);
        if (r != PSCI_SUCCESS || smp_boot[i].online == before) {
            printf("cpu %d did not come up (CPU_ON %ld) FAIL\n", i, (long)r);
            checks_run++;
            checks_failed++;
        } else {
            up++;
        }
    }
    return up;
}

void smp_run(unsigned cpu, smp_fn fn, void *arg)
{
    struct smp_slot *s = &smp_slots[cpu];

    s->fn = fn;
    s->arg = arg;
    store_release(&s->req, s->req + 1);
    SEV();
}

int smp_wait(unsigned cpu)
{
    struct smp_slot *s = &smp_slots[cpu];
    uint64_t end = smp_now() + smp_ms(10000);

    while (load_acquire(&s->done) != s->req) {
        if (smp_now() > end) {
            return 0;
        }
        __asm__ volatile("yield");
    }
    return 1;
}

void smp_run_all(int n, smp_fn fn, void *arg)
{
    for (int i = 1; i < n; i++) {
        smp_run(i, fn, arg);
    }
    fn(0, arg);
    for (int i = 1; i < n; i++) {
        if (!smp_wait(i)) {
            printf("cpu %d job timed out FAIL\n", i);
            checks_run++;
            checks_failed++;
        }
    }
}

void smp_barrier_wait(struct smp_barrier *b, unsigned cpu, int n, uint64_t round)
{
    store_release(&b->arrived[cpu * 8], round);
    for (int i = 0; i < n; i++) {
        while (load_acquire(&b->arrived[i * 8]) < round) {
            __asm__ volatile("yield");
        }
    }
}

const char *smp_name(const char *pre, int n, const char *post)
{
    static char buf[96];
    char *d = buf, *e = buf + sizeof(buf) - 12;
    char digits[12];
    int k = 0;

    while (*pre && d < e) {
        *d++ = *pre++;
    }
    if (n < 0) {
        *d++ = '-';
        n = -n;
    }
    do {
        digits[k++] = '0' + n % 10;
        n /= 10;
    } while (n);
    while (k) {
        *d++ = digits[--k];
    }
    while (*post && d < buf + sizeof(buf) - 1) {
        *d++ = *post++;
    }
    *d = 0;
    return buf;
}
