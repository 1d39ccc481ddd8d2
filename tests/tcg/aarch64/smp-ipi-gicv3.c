/*
 * Inter-processor interrupts on virt's GICv3 (-M virt,gic-version=3) with 4
 * CPUs: SGIs sent with ICC_SGI1R_EL1 (target list, IRM "all but self", to
 * self), taken by CPUs sleeping in WFI, acknowledged with ICC_IAR1_EL1 and
 * completed with ICC_EOIR1_EL1 on the target; SGIs between secondaries;
 * nothing delivered outside the target list.  Group 1 interrupts, affinity
 * routing, no security extensions (as virt without secure=on).
 * GICv3 map: distributor 0x08000000, redistributors from 0x080a0000, two
 * 64K frames (RD, SGI) per CPU, found by GICR_TYPER affinity.
 */
#include "smp.h"

#define NCPU 4
#define GICD 0x08000000ul
#define GICR 0x080a0000ul
#define GICD_CTLR       0x000
#define GICR_TYPER      0x008
#define GICR_WAKER      0x014
#define SGI_BASE        0x10000
#define GICR_IGROUPR0   (SGI_BASE + 0x080)
#define GICR_ISENABLER0 (SGI_BASE + 0x100)
#define GICR_IPRIORITYR (SGI_BASE + 0x400)
#define SPURIOUS        1023

#define ICC_PMR_EL1     "S3_0_C4_C6_0"
#define ICC_IAR1_EL1    "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1   "S3_0_C12_C12_1"
#define ICC_SRE_EL1     "S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SGI1R_EL1   "S3_0_C12_C11_5"
#define MRS(r) ({ uint64_t _v; __asm__ volatile("mrs %0, " r : "=r"(_v) :: "memory"); _v; })
#define MSR(r, v) __asm__ volatile("msr " r ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void wr32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint32_t rd32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline uint64_t rd64(uintptr_t a) { return *(volatile uint64_t *)a; }

#define MAXLOG 8
struct irq_log {
    volatile uint32_t n;
    volatile uint32_t iar[MAXLOG];
} __attribute__((aligned(64)));
static struct irq_log log[NCPU];
static volatile uint32_t want[NCPU * 16];
static volatile uint32_t ready[NCPU * 16];

static int irq_hook(struct exc_frame *f, int vector)
{
    unsigned cpu = smp_cpu_id();
    uint32_t iar;

    if (vector != 5) {
        return 0;
    }
    while (((iar = MRS(ICC_IAR1_EL1)) & 0xffffff) < 1020) {
        if (log[cpu].n < MAXLOG) {
            log[cpu].iar[log[cpu].n] = iar;
        }
        log[cpu].n++;
        MSR(ICC_EOIR1_EL1, iar);
        ISB();
    }
    return 1;
}

static volatile uint32_t rd_found[NCPU * 16];

/* This CPU's redistributor: the frame whose GICR_TYPER affinity matches. */
static uintptr_t gicr_frame(unsigned cpu)
{
    for (int i = 0; i < 64; i++) {
        uintptr_t rd = GICR + (uintptr_t)i * 0x20000;
        uint64_t typer = rd64(rd + GICR_TYPER);
        if ((typer >> 32) == cpu) {
            return rd;
        }
        if (typer & (1 << 4)) {         /* Last */
            break;
        }
    }
    return 0;
}

/* The per-CPU part: redistributor awake, SGIs group 1 enabled at priority
 * 0x80, system register interface on, group 1 enabled. */
static void gic_cpu_init(void)
{
    unsigned cpu = smp_cpu_id();
    uintptr_t rd = gicr_frame(cpu);
    uint64_t end = smp_now() + smp_ms(1000);

    rd_found[cpu * 16] = rd != 0;
    if (!rd) {
        return;
    }
    wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~2u);
    while ((rd32(rd + GICR_WAKER) & 4) && smp_now() < end) {
    }
    wr32(rd + GICR_IGROUPR0, 0xffffffff);
    for (int i = 0; i < 4; i++) {
        wr32(rd + GICR_IPRIORITYR + 4 * i, 0x80808080);
    }
    wr32(rd + GICR_ISENABLER0, 0xffff);
    DSB();
    MSR(ICC_SRE_EL1, MRS(ICC_SRE_EL1) | 1);
    ISB();
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);
    ISB();
}

/* Sleep in WFI (IRQs masked, so no wake-up is lost) until want[cpu] IRQs. */
static void job_sleeper(unsigned cpu, void *arg)
{
    uint64_t end = smp_now() + smp_ms(5000);

    gic_cpu_init();
    ready[cpu * 16] = 1;
    DSB();
    while (log[cpu].n < want[cpu * 16] && smp_now() < end) {
        __asm__ volatile("wfi\n\tmsr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
    }
}

/* With IRQs masked: read the IAR until spurious, log and EOI everything. */
static void job_drain(unsigned cpu, void *arg)
{
    irq_hook(0, 5);
}

/* filter 0: target list (Aff0 bits, Aff1-3 = 0); 1: all but self (IRM);
 * 2: self.  Same encoding as smp-ipi's GICD_SGIR calls. */
static void sgi(uint32_t filter, uint32_t targets, uint32_t id)
{
    uint64_t v = (uint64_t)id << 24;

    if (filter == 1) {
        v |= 1ull << 40;
    } else if (filter == 2) {
        v |= 1u << smp_cpu_id();
    } else {
        v |= targets;
    }
    DSB();
    MSR(ICC_SGI1R_EL1, v);
    ISB();
}

static void job_send_9_to_3(unsigned cpu, void *arg)
{
    sgi(0, 1 << 3, 9);
}

static void reset_logs(void)
{
    for (int i = 0; i < NCPU; i++) {
        log[i].n = 0;
        want[i * 16] = 0;
        ready[i * 16] = 0;
    }
    DSB();
}

static void start_sleepers(uint32_t mask, uint32_t n)
{
    for (int i = 1; i < NCPU; i++) {
        if (mask & (1u << i)) {
            want[i * 16] = n;
            DSB();
            smp_run(i, job_sleeper, 0);
        }
    }
    for (int i = 1; i < NCPU; i++) {
        uint64_t end = smp_now() + smp_ms(2000);
        while ((mask & (1u << i)) && !ready[i * 16] && smp_now() < end) {
        }
    }
    /* Give them time to go to sleep. */
    uint64_t t = smp_now() + smp_ms(2);
    while (smp_now() < t) {
    }
}

static void wait_all(uint32_t mask)
{
    for (int i = 1; i < NCPU; i++) {
        if ((mask & (1u << i)) && !smp_wait(i)) {
            printf("cpu %d job timed out FAIL\n", i);
            checks_run++;
            checks_failed++;
        }
    }
}

static void check_log(unsigned cpu, uint32_t n, uint32_t iar0)
{
    check(smp_name("  cpu ", cpu, " interrupts taken"), log[cpu].n, n);
    if (n) {
        check32(smp_name("  cpu ", cpu, " ICC_IAR1_EL1"), log[cpu].iar[0], iar0);
    }
}

int main(void)
{
    if (smp_init(NCPU) != NCPU) {
        test_done();
    }
    exc_hook = irq_hook;
    /* ARE, EnableGrp1, EnableGrp0; then wait for RWP to clear. */
    wr32(GICD + GICD_CTLR, 0x13);
    {
        uint64_t end = smp_now() + smp_ms(1000);
        while ((rd32(GICD + GICD_CTLR) & (1u << 31)) && smp_now() < end) {
        }
    }
    gic_cpu_init();

    printf("SGI 3 from cpu 0 to cpu 1 (target list):\n");
    reset_logs();
    start_sleepers(1 << 1, 1);
    sgi(0, 1 << 1, 3);
    wait_all(1 << 1);
    check_log(1, 1, 3);

    printf("SGI 5 from cpu 0 to all but self (IRM):\n");
    reset_logs();
    start_sleepers(0xe, 1);
    sgi(1, 0, 5);
    wait_all(0xe);
    for (int i = 1; i < NCPU; i++) {
        check_log(i, 1, 5);         /* and not the SGI 3 sent to cpu 1 only */
    }
    check32("  cpu 0 IAR1: nothing pending", MRS(ICC_IAR1_EL1) & 0xffffff, SPURIOUS);

    printf("SGI 7 from cpu 0 to self, IRQs masked, polled:\n");
    reset_logs();
    sgi(2, 0, 7);
    job_drain(0, 0);
    check_log(0, 1, 7);

    printf("SGI 9 from cpu 2 to cpu 3:\n");
    reset_logs();
    start_sleepers(1 << 3, 1);
    smp_run(2, job_send_9_to_3, 0);
    wait_all(1 << 3 | 1 << 2);
    check_log(3, 1, 9);

    printf("SGI 11 from cpu 0 to cpus 1 and 3:\n");
    reset_logs();
    start_sleepers(1 << 1 | 1 << 3, 1);
    sgi(0, 1 << 1 | 1 << 3, 11);
    wait_all(1 << 1 | 1 << 3);
    check_log(1, 1, 11);
    check_log(3, 1, 11);
    smp_run(2, job_drain, 0);
    wait_all(1 << 2);
    check_log(2, 0, 0);

    printf("Four SGIs 1, 2, 3, 4 from cpu 0 to cpu 2:\n");
    reset_logs();
    start_sleepers(1 << 2, 4);
    for (int id = 1; id <= 4; id++) {
        sgi(0, 1 << 2, id);
    }
    wait_all(1 << 2);
    {
        uint32_t seen = 0;
        for (uint32_t k = 0; k < log[2].n && k < MAXLOG; k++) {
            seen |= 1u << (log[2].iar[k] & 0xf);
        }
        check("  cpu 2 interrupts taken", log[2].n, 4);
        check32("  cpu 2 SGIs seen (bitmap)", seen, 0x1e);
    }

    for (int i = 0; i < NCPU; i++) {
        check(smp_name("cpu ", i, " found its redistributor"), rd_found[i * 16], 1);
    }
    test_done();
}
