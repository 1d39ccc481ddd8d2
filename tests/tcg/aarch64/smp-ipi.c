/*
 * Inter-processor interrupts on virt's GICv2 with 4 CPUs: SGIs sent through
 * GICD_SGIR (target list, "all but self", "self"), taken by CPUs sleeping in
 * WFI, acknowledged with GICC_IAR (SGI number and source CPU) and completed
 * with GICC_EOIR on the target; SGIs between secondaries; nothing delivered
 * to CPUs outside the target list.  Then WFE wake-ups: by SEV from another
 * CPU and by another CPU's store clearing the exclusive monitor (what
 * Linux's spinlocks and smp_cond_load rely on).  Then every CPU sleeps
 * until its own virtual timer (PPI 27, banked per CPU) fires.  Finally
 * CPUs 1 and 2 play SGI ping-pong from their interrupt handlers, 5000
 * times each, and no SGI may be lost or duplicated.
 * GICv2 map: distributor 0x08000000, CPU interface 0x08010000.
 */
#include "smp.h"

#define NCPU 4
#define GICD 0x08000000ul
#define GICC 0x08010000ul
#define GICD_CTLR       0x000
#define GICD_ISENABLER  0x100
#define GICD_IPRIORITYR 0x400
#define GICD_SGIR       0xf00
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_IAR        0x0c
#define GICC_EOIR       0x10
#define SPURIOUS        1023

static inline void wr32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint32_t rd32(uintptr_t a) { return *(volatile uint32_t *)a; }

#define MAXLOG 8
struct irq_log {
    volatile uint32_t n;
    volatile uint32_t iar[MAXLOG];
} __attribute__((aligned(64)));
static struct irq_log log[NCPU];
static volatile uint32_t want[NCPU * 16];
static volatile uint32_t ready[NCPU * 16];

#define PING_SGI 6
#define PINGS 5000
static volatile int ping_on;

static void sgi(uint32_t filter, uint32_t targets, uint32_t id);

static int irq_hook(struct exc_frame *f, int vector)
{
    unsigned cpu = smp_cpu_id();
    uint32_t iar;

    if (vector != 5) {
        return 0;
    }
    while (((iar = rd32(GICC + GICC_IAR)) & 0x3ff) < 1020) {
        if ((iar & 0x3ff) == 27) {
            WRITE_SYSREG(cntv_ctl_el0, 3);      /* level interrupt: mask it */
            ISB();
        }
        if (log[cpu].n < MAXLOG) {
            log[cpu].iar[log[cpu].n] = iar;
        }
        log[cpu].n++;
        wr32(GICC + GICC_EOIR, iar);
        /* Ping-pong between CPUs 1 and 2: 1 answers up to its PINGS-th,
         * 2 only before its PINGS-th, so each takes exactly PINGS. */
        if (ping_on && (iar & 0x3ff) == PING_SGI &&
            (cpu == 1 ? log[cpu].n <= PINGS : log[cpu].n < PINGS)) {
            sgi(0, 1u << (cpu == 1 ? 2 : 1), PING_SGI);
        }
    }
    return 1;
}

/* The banked per-CPU part: SGIs enabled at priority 0x80, interface on. */
static void gic_cpu_init(void)
{
    wr32(GICD + GICD_ISENABLER, 0xffff);
    for (int i = 0; i < 4; i++) {
        wr32(GICD + GICD_IPRIORITYR + 4 * i, 0x80808080);
    }
    wr32(GICC + GICC_PMR, 0xf0);
    wr32(GICC + GICC_CTLR, 1);
    DSB();
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

static void sgi(uint32_t filter, uint32_t targets, uint32_t id)
{
    DSB();
    wr32(GICD + GICD_SGIR, filter << 24 | targets << 16 | id);
    DSB();
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
        check32(smp_name("  cpu ", cpu, " GICC_IAR"), log[cpu].iar[0], iar0);
    }
}

/* WFE tests. */
static volatile uint64_t wfe_stage[NCPU * 8];
static volatile uint64_t monitored __attribute__((aligned(64)));

static void job_wfe_sev(unsigned cpu, void *arg)
{
    __asm__ volatile("sevl\n\twfe" ::: "memory");      /* event register clear */
    store_release(&wfe_stage[cpu * 8], 1);
    __asm__ volatile("wfe" ::: "memory");              /* until an event */
    store_release(&wfe_stage[cpu * 8], 2);
}

static void job_wfe_monitor(unsigned cpu, void *arg)
{
    uint64_t v;

    __asm__ volatile("sevl\n\twfe" ::: "memory");
    do {
        /* Arm the exclusive monitor, then sleep until it is cleared (or
         * some other event): a store by another CPU must wake us. */
        __asm__ volatile("ldaxr %0, [%1]" : "=r"(v) : "r"(&monitored) : "memory");
        if (v) {
            break;
        }
        store_release(&wfe_stage[cpu * 8], 1);
        __asm__ volatile("wfe" ::: "memory");
    } while (1);
    store_release(&wfe_stage[cpu * 8], 2);
}

static void job_timer(unsigned cpu, void *arg)
{
    uint64_t end = smp_now() + smp_ms(5000);

    gic_cpu_init();
    wr32(GICD + GICD_ISENABLER, 1u << 27);
    wr32(GICD + GICD_IPRIORITYR + 24, 0x80808080);
    DSB();
    WRITE_SYSREG(cntv_tval_el0, smp_ms(1 + cpu));
    WRITE_SYSREG(cntv_ctl_el0, 1);
    ISB();
    while (log[cpu].n < 1 && smp_now() < end) {
        __asm__ volatile("wfi\n\tmsr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
    }
    WRITE_SYSREG(cntv_ctl_el0, 0);
    ISB();
}

/* Spin (no WFI, no clock reads: nothing that leaves translated code) with
 * IRQs unmasked until the handler has run.  If the SGI never comes, this
 * CPU stays here and CPU 0 reports a timeout. */
static void job_spinner(unsigned cpu, void *arg)
{
    gic_cpu_init();
    ready[cpu * 16] = 1;
    DSB();
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    while (log[cpu].n < want[cpu * 16]) {
    }
    __asm__ volatile("msr daifset, #2" ::: "memory");
}

/* Tight spin, timer armed first. */
static void job_spin_timer(unsigned cpu, void *arg)
{
    gic_cpu_init();
    wr32(GICD + GICD_ISENABLER, 1u << 27);
    wr32(GICD + GICD_IPRIORITYR + 24, 0x80808080);
    DSB();
    WRITE_SYSREG(cntv_tval_el0, smp_ms(1 + cpu));
    WRITE_SYSREG(cntv_ctl_el0, 1);
    ISB();
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    while (log[cpu].n < 1) {
    }
    __asm__ volatile("msr daifset, #2" ::: "memory");
    WRITE_SYSREG(cntv_ctl_el0, 0);
    ISB();
}

/* PSCI CPU_SUSPEND to standby (power_state 0) with IRQs masked: returns
 * SUCCESS on the wake-up event (a pending SGI), then the SGI is taken. */
static volatile int64_t suspend_ret = 99;

static void job_suspend(unsigned cpu, void *arg)
{
    gic_cpu_init();
    ready[cpu * 16] = 1;
    DSB();
    suspend_ret = psci_call(0xc4000001u, 0, 0, 0);
    __asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
}

static int wait_stage(unsigned cpu, uint64_t stage, int ms)
{
    uint64_t end = smp_now() + smp_ms(ms);
    while (load_acquire(&wfe_stage[cpu * 8]) < stage) {
        if (smp_now() > end) {
            return 0;
        }
    }
    return 1;
}

int main(void)
{
    if (smp_init(NCPU) != NCPU) {
        test_done();
    }
    exc_hook = irq_hook;
    wr32(GICD + GICD_CTLR, 1);
    gic_cpu_init();

    printf("SGI 3 from cpu 0 to cpu 1 (target list):\n");
    reset_logs();
    start_sleepers(1 << 1, 1);
    sgi(0, 1 << 1, 3);
    wait_all(1 << 1);
    check_log(1, 1, 3);

    printf("SGI 5 from cpu 0 to all but self:\n");
    reset_logs();
    start_sleepers(0xe, 1);
    sgi(1, 0, 5);
    wait_all(0xe);
    for (int i = 1; i < NCPU; i++) {
        check_log(i, 1, 5);         /* and not the SGI 3 sent to cpu 1 only */
    }
    check32("  cpu 0 IAR: nothing pending", rd32(GICC + GICC_IAR) & 0x3ff, SPURIOUS);

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
    check_log(3, 1, 2 << 10 | 9);

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

    printf("WFE woken by SEV from cpu 0:\n");
    smp_run(1, job_wfe_sev, 0);
    check_true("  cpu 1 reached WFE", wait_stage(1, 1, 2000));
    {
        uint64_t t = smp_now() + smp_ms(2);
        while (smp_now() < t) {
        }
    }
    SEV();
    check_true("  cpu 1 woke up", wait_stage(1, 2, 2000));
    if (!wait_stage(1, 2, 0)) {
        SEV();
    }
    wait_all(1 << 1);

    printf("WFE woken by a store clearing the exclusive monitor:\n");
    smp_run(3, job_wfe_monitor, 0);
    check_true("  cpu 3 reached WFE", wait_stage(3, 1, 2000));
    {
        uint64_t t = smp_now() + smp_ms(2);
        while (smp_now() < t) {
        }
    }
    store_release(&monitored, 1);
    check_true("  cpu 3 woke up", wait_stage(3, 2, 2000));
    if (!wait_stage(3, 2, 0)) {
        SEV();
    }
    wait_all(1 << 3);

    printf("Each CPU's virtual timer (PPI 27) wakes it from WFI:\n");
    reset_logs();
    smp_run_all(NCPU, job_timer, 0);
    for (int i = 0; i < NCPU; i++) {
        check_log(i, 1, 27);
    }

    printf("SGI 12 from cpu 0 to cpu 1 spinning with IRQs unmasked:\n");
    reset_logs();
    want[1 * 16] = 1;
    DSB();
    smp_run(1, job_spinner, 0);
    while (!ready[1 * 16]) {
    }
    {
        uint64_t t = smp_now() + smp_ms(2);
        while (smp_now() < t) {
        }
    }
    sgi(0, 1 << 1, 12);
    wait_all(1 << 1);
    check_log(1, 1, 12);

    printf("Each CPU's virtual timer interrupts it while it spins:\n");
    reset_logs();
    smp_run_all(NCPU, job_spin_timer, 0);
    for (int i = 0; i < NCPU; i++) {
        check_log(i, 1, 27);
    }

    printf("One SEV wakes cpus 1, 2 and 3 in WFE:\n");
    for (int i = 1; i < NCPU; i++) {
        wfe_stage[i * 8] = 0;
    }
    DSB();
    for (int i = 1; i < NCPU; i++) {
        smp_run(i, job_wfe_sev, 0);
    }
    for (int i = 1; i < NCPU; i++) {
        check_true(smp_name("  cpu ", i, " reached WFE"), wait_stage(i, 1, 2000));
    }
    {
        uint64_t t = smp_now() + smp_ms(2);
        while (smp_now() < t) {
        }
    }
    SEV();
    for (int i = 1; i < NCPU; i++) {
        check_true(smp_name("  cpu ", i, " woke up"), wait_stage(i, 2, 2000));
    }
    SEV();
    wait_all(0xe);

    printf("SGI 13 ends cpu 2's PSCI CPU_SUSPEND (standby):\n");
    reset_logs();
    smp_run(2, job_suspend, 0);
    while (!ready[2 * 16]) {
    }
    {
        uint64_t t = smp_now() + smp_ms(2);
        while (smp_now() < t) {
        }
    }
    sgi(0, 1 << 2, 13);
    wait_all(1 << 2);
    check("  CPU_SUSPEND result", (uint64_t)suspend_ret, PSCI_SUCCESS);
    check_log(2, 1, 13);

    printf("SGI ping-pong between cpus 1 and 2 from their handlers:\n");
    reset_logs();
    ping_on = 1;
    start_sleepers(1 << 1 | 1 << 2, PINGS);
    sgi(0, 1 << 1, PING_SGI);
    wait_all(1 << 1 | 1 << 2);
    ping_on = 0;
    check("  cpu 1 interrupts taken", log[1].n, PINGS);
    check("  cpu 2 interrupts taken", log[2].n, PINGS);
    check32("  cpu 1 first GICC_IAR", log[1].iar[0], PING_SGI);
    check32("  cpu 1 second GICC_IAR", log[1].iar[1], 2 << 10 | PING_SGI);
    check32("  cpu 2 GICC_IAR", log[2].iar[0], 1 << 10 | PING_SGI);
    smp_run(3, job_drain, 0);
    wait_all(1 << 3);
    check("  cpu 3 interrupts taken", log[3].n, 0);
    test_done();
}
