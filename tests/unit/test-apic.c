/*
 * Local APIC (hw/intc/apic.c) through the CPU's side of its interface
 * (include/hw/intc/apic.h), with stand-in CPUs that record the
 * cpu_interrupt() requests and a manual virtual clock: INTA and the
 * priority rules, EOI and its broadcast, INIT/SIPI, NMI, destinations and
 * shorthands, lowest priority, errors, the timer in its three modes,
 * LINT0/LINT1, IA32_APIC_BASE transitions, the x2APIC MSR rules and KVM's
 * register page.  The MMIO window is tested on the pc board
 * (tests/qtest/apic-test.c).
 */
#include "turtle/osdep.h"
#include "turtle/timer.h"
#include "hw/core/cpu.h"
#include "hw/core/qdev-properties.h"
#include "hw/intc/apic.h"

#define TYPE_TEST_CPU "test-apic-cpu"
#define NCPUS 3

static CPUState *cpus[NCPUS];
static DeviceState *apics[NCPUS];

static const TypeInfo test_cpu_info = {
    .name = TYPE_TEST_CPU,
    .parent = TYPE_CPU,
    .instance_size = sizeof(CPUState),
};

/* x2APIC register MSRs */
#define MSR_ID      0x802
#define MSR_VERSION 0x803
#define MSR_TPR     0x808
#define MSR_APR     0x809
#define MSR_PPR     0x80a
#define MSR_EOI     0x80b
#define MSR_LDR     0x80d
#define MSR_SVR     0x80f
#define MSR_ISR0    0x810
#define MSR_TMR0    0x818
#define MSR_IRR0    0x820
#define MSR_ESR     0x828
#define MSR_ICR     0x830
#define MSR_LVT_TIMER 0x832
#define MSR_LVT_LINT0 0x835
#define MSR_LVT_LINT1 0x836
#define MSR_LVT_ERROR 0x837
#define MSR_TIMER_INIT 0x838
#define MSR_TIMER_CUR  0x839
#define MSR_TIMER_DIV  0x83e
#define MSR_SELF_IPI   0x83f
#define MSR_TSC_DEADLINE 0x6e0

static uint64_t rd(int cpu, uint32_t msr)
{
    uint64_t v = 0;

    g_assert_true(apic_msr_read(apics[cpu], msr, &v));
    return v;
}

static void wr(int cpu, uint32_t msr, uint64_t v)
{
    g_assert_true(apic_msr_write(apics[cpu], msr, v));
}

static bool irr_has(int cpu, int v)
{
    return rd(cpu, MSR_IRR0 + v / 32) & (1u << (v % 32));
}

static bool isr_has(int cpu, int v)
{
    return rd(cpu, MSR_ISR0 + v / 32) & (1u << (v % 32));
}

static bool tmr_has(int cpu, int v)
{
    return rd(cpu, MSR_TMR0 + v / 32) & (1u << (v % 32));
}

static bool pending(int cpu, int mask)
{
    return g_atomic_int_get(&cpus[cpu]->interrupt_request) & mask;
}

/* every CPU in x2APIC mode, software-enabled, nothing pending */
static void setup(void)
{
    qdev_reset_all();
    for (int i = 0; i < NCPUS; i++) {
        g_atomic_int_set(&cpus[i]->interrupt_request, 0);
        g_assert_true(apic_set_base(apics[i], apic_get_base(apics[i]) |
                                    APIC_BASE_EXTD));
        wr(i, MSR_SVR, 0x1ff);
    }
}

static int fake_pic_vector = -1;

static int fake_pic_read_irq(void *opaque)
{
    return fake_pic_vector;
}

static void send_ipi(int from, uint32_t dest, uint32_t lo)
{
    wr(from, MSR_ICR, ((uint64_t)dest << 32) | lo);
}

/* ---- tests ---- */

static void test_reset_values(void)
{
    qdev_reset_all();
    g_assert_cmphex(apic_get_base(apics[0]), ==, 0xfee00900);
    g_assert_cmphex(apic_get_base(apics[1]), ==, 0xfee00800);
    g_assert_cmpint(apic_get_tpr(apics[0]), ==, 0);
    /* x2APIC registers are not reachable in xAPIC mode */
    {
        uint64_t v;
        g_assert_false(apic_msr_read(apics[0], MSR_ID, &v));
        g_assert_false(apic_msr_write(apics[0], MSR_TPR, 0));
    }
    setup();
    g_assert_cmphex(rd(2, MSR_ID), ==, 2);
    g_assert_cmphex(rd(0, MSR_VERSION), ==, 0x50014);
    g_assert_cmphex(rd(1, MSR_LDR), ==, 0x2);
    g_assert_cmphex(rd(1, MSR_LVT_TIMER), ==, 0x10000);
    /* the BSP comes out of reset in virtual wire mode */
    g_assert_cmphex(rd(0, MSR_LVT_LINT0), ==, 0x700);
    g_assert_cmphex(rd(1, MSR_LVT_LINT0), ==, 0x10000);
}

static void test_base_transitions(void)
{
    DeviceState *a = apics[1];

    qdev_reset_all();
    g_assert_false(apic_set_base(a, 0xfee00800 | (1u << 9)));  /* reserved */
    g_assert_false(apic_set_base(a, 0xfee00000 | APIC_BASE_EXTD)); /* no EN */
    g_assert_true(apic_set_base(a, 0xfee00c00));               /* x2APIC */
    g_assert_false(apic_set_base(a, 0xfee00800));              /* -> xAPIC */
    wr(1, MSR_TPR, 0x20);
    g_assert_true(apic_set_base(a, 0xfee00000));               /* off */
    g_assert_cmpint(apic_get_tpr(a), ==, 0);                   /* reset */
    g_assert_false(apic_set_base(a, 0xfee00c00));              /* off -> x2 */
    g_assert_true(apic_set_base(a, 0xfee00800));
    /* the BSP flag cannot be changed */
    g_assert_true(apic_set_base(a, 0xfee00900));
    g_assert_cmphex(apic_get_base(a), ==, 0xfee00800);
}

static void test_x2apic_msr_rules(void)
{
    uint64_t v;

    setup();
    g_assert_false(apic_msr_write(apics[0], MSR_ID, 5));       /* RO */
    g_assert_false(apic_msr_write(apics[0], MSR_VERSION, 0));
    g_assert_false(apic_msr_write(apics[0], MSR_LDR, 0));
    g_assert_false(apic_msr_write(apics[0], MSR_PPR, 0));
    g_assert_false(apic_msr_read(apics[0], MSR_EOI, &v));      /* WO */
    g_assert_false(apic_msr_read(apics[0], MSR_SELF_IPI, &v));
    g_assert_false(apic_msr_write(apics[0], MSR_EOI, 1));      /* must be 0 */
    g_assert_false(apic_msr_write(apics[0], MSR_ESR, 1));
    g_assert_false(apic_msr_read(apics[0], MSR_APR, &v));      /* absent */
    g_assert_false(apic_msr_read(apics[0], 0x80e, &v));        /* DFR */
    g_assert_false(apic_msr_read(apics[0], 0x82f, &v));        /* CMCI */
    g_assert_false(apic_msr_read(apics[0], 0x8ff, &v));
    g_assert_false(apic_msr_write(apics[0], MSR_SELF_IPI, 0x140));
    g_assert_false(apic_msr_write(apics[0], MSR_TPR, 1ull << 32));
    g_assert_false(apic_msr_read(apics[0], 0x7ff, &v));
}

static void test_inta_priority(void)
{
    setup();
    wr(0, MSR_SELF_IPI, 0x40);
    g_assert_true(pending(0, CPU_INTERRUPT_HARD));
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, 0x40);
    g_assert_true(isr_has(0, 0x40));
    g_assert_false(irr_has(0, 0x40));
    g_assert_cmphex(rd(0, MSR_PPR), ==, 0x40);
    g_assert_false(pending(0, CPU_INTERRUPT_HARD));
    /* same priority class as the one in service: held */
    wr(0, MSR_SELF_IPI, 0x45);
    g_assert_false(pending(0, CPU_INTERRUPT_HARD));
    /* higher class: nests */
    wr(0, MSR_SELF_IPI, 0x80);
    g_assert_true(pending(0, CPU_INTERRUPT_HARD));
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, 0x80);
    wr(0, MSR_EOI, 0);                        /* ends 0x80, the highest */
    g_assert_false(isr_has(0, 0x80));
    g_assert_true(isr_has(0, 0x40));
    g_assert_false(pending(0, CPU_INTERRUPT_HARD));
    wr(0, MSR_EOI, 0);
    g_assert_true(pending(0, CPU_INTERRUPT_HARD));
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, 0x45);
    wr(0, MSR_EOI, 0);
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, -1);
    /* an EOI with nothing in service is harmless */
    wr(0, MSR_EOI, 0);
    g_assert_cmphex(rd(0, MSR_PPR), ==, 0);
}

static void test_tpr(void)
{
    setup();
    apic_set_tpr(apics[0], 5);
    g_assert_cmphex(rd(0, MSR_TPR), ==, 0x50);
    g_assert_cmpint(apic_get_tpr(apics[0]), ==, 5);
    wr(0, MSR_SELF_IPI, 0x55);
    g_assert_false(pending(0, CPU_INTERRUPT_HARD));
    wr(0, MSR_SELF_IPI, 0x61);
    g_assert_true(pending(0, CPU_INTERRUPT_HARD));
    /* TPR raised between the request and the INTA: spurious vector */
    wr(0, MSR_SVR, 0x1e7);
    wr(0, MSR_TPR, 0x70);
    g_assert_false(pending(0, CPU_INTERRUPT_HARD));
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, 0xe7);
    g_assert_true(irr_has(0, 0x61));
    g_assert_false(isr_has(0, 0x61));
    apic_set_tpr(apics[0], 0);
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, 0x61);
}

static int eoi_vectors[8];
static int n_eoi;

static void eoi_listener(void *opaque, uint8_t vector)
{
    if (n_eoi < 8) {
        eoi_vectors[n_eoi++] = vector;
    }
}

static void test_level_msi_eoi_broadcast(void)
{
    setup();
    n_eoi = 0;
    /* level-triggered MSI (an IOAPIC pin) to APIC 2, vector 0x51 */
    apic_deliver_msi(0xfee02000, 0x8000 | 0x4000 | 0x51);
    g_assert_true(irr_has(2, 0x51));
    g_assert_true(tmr_has(2, 0x51));
    g_assert_cmpint(apic_get_interrupt(apics[2]), ==, 0x51);
    wr(2, MSR_EOI, 0);
    g_assert_cmpint(n_eoi, ==, 1);
    g_assert_cmpint(eoi_vectors[0], ==, 0x51);
    /* edge-triggered: no broadcast */
    apic_deliver_msi(0xfee02000, 0x52);
    g_assert_false(tmr_has(2, 0x52));
    g_assert_cmpint(apic_get_interrupt(apics[2]), ==, 0x52);
    wr(2, MSR_EOI, 0);
    g_assert_cmpint(n_eoi, ==, 1);
    /* MSIs outside the window or to nobody are dropped */
    apic_deliver_msi(0xfed00000, 0x53);
    apic_deliver_msi(0xfee7f000, 0x53);
    for (int i = 0; i < NCPUS; i++) {
        g_assert_false(irr_has(i, 0x53));
    }
    /* broadcast id 0xff */
    apic_deliver_msi(0xfeeff000, 0x54);
    for (int i = 0; i < NCPUS; i++) {
        g_assert_true(irr_has(i, 0x54));
    }
}

static void test_init_sipi(void)
{
    setup();
    send_ipi(0, 1, 0x4500);                   /* INIT, assert */
    g_assert_true(pending(1, APIC_INTERRUPT_INIT));
    g_assert_false(pending(2, APIC_INTERRUPT_INIT));
    /* the CPU takes it: registers reset, the AP waits for SIPI */
    cpu_reset_interrupt(cpus[1], APIC_INTERRUPT_INIT);
    wr(1, MSR_TPR, 0x30);
    apic_init_reset(apics[1]);
    g_assert_cmpint(apic_get_tpr(apics[1]), ==, 0);
    g_assert_true(apic_get_base(apics[1]) & APIC_BASE_EXTD);   /* kept */
    send_ipi(0, 1, 0x8500);                   /* INIT level de-assert */
    g_assert_false(pending(1, APIC_INTERRUPT_INIT));
    send_ipi(0, 1, 0x069a);                   /* SIPI vector 0x9a */
    g_assert_true(pending(1, APIC_INTERRUPT_SIPI));
    g_assert_cmpint(apic_sipi(apics[1]), ==, 0x9a);
    g_assert_false(pending(1, APIC_INTERRUPT_SIPI));
    /* a second SIPI finds the CPU running: ignored */
    send_ipi(0, 1, 0x069b);
    g_assert_false(pending(1, APIC_INTERRUPT_SIPI));
    g_assert_cmpint(apic_sipi(apics[1]), ==, -1);
    /* the BSP does not wait for SIPI after INIT */
    apic_init_reset(apics[0]);
    send_ipi(1, 0, 0x0610);
    g_assert_false(pending(0, APIC_INTERRUPT_SIPI));
}

static void test_shorthands_nmi(void)
{
    setup();
    send_ipi(0, 0, (3 << 18) | 0x70);         /* all excluding self */
    g_assert_false(irr_has(0, 0x70));
    g_assert_true(irr_has(1, 0x70) && irr_has(2, 0x70));
    send_ipi(1, 0, (2 << 18) | 0x71);         /* all including self */
    for (int i = 0; i < NCPUS; i++) {
        g_assert_true(irr_has(i, 0x71));
    }
    send_ipi(2, 0, (1 << 18) | 0x72);         /* self */
    g_assert_true(irr_has(2, 0x72));
    g_assert_false(irr_has(0, 0x72) || irr_has(1, 0x72));
    send_ipi(0, 2, 0x400);                    /* NMI */
    g_assert_true(pending(2, APIC_INTERRUPT_NMI));
    g_assert_false(pending(1, APIC_INTERRUPT_NMI));
    send_ipi(0, 7, 0x73);                     /* absent CPU: nothing */
    for (int i = 0; i < NCPUS; i++) {
        g_assert_false(irr_has(i, 0x73));
    }
}

static void test_logical_lowest_priority(void)
{
    setup();
    /* x2APIC logical: cluster 0, member bits 1 << id */
    send_ipi(0, 0x6, (1 << 11) | 0x60);
    g_assert_false(irr_has(0, 0x60));
    g_assert_true(irr_has(1, 0x60) && irr_has(2, 0x60));
    /* lowest priority among 0, 1, 2: CPU 1 has the lowest arbitration
     * priority (TPR, and the classes in ISR/IRR) */
    setup();
    wr(0, MSR_TPR, 0x20);
    wr(1, MSR_TPR, 0x10);
    wr(2, MSR_TPR, 0x30);
    send_ipi(0, 0x7, (1 << 11) | (1 << 8) | 0x90);
    g_assert_true(irr_has(1, 0x90));
    g_assert_false(irr_has(0, 0x90) || irr_has(2, 0x90));
    /* now CPU 1 has 0x90 pending: its priority class is 9, so CPU 0 */
    send_ipi(0, 0x7, (1 << 11) | (1 << 8) | 0x91);
    g_assert_true(irr_has(0, 0x91));
}

static void test_illegal_vectors(void)
{
    setup();
    wr(0, MSR_LVT_ERROR, 0xee);
    wr(0, MSR_SELF_IPI, 0x05);                /* send + receive illegal */
    wr(0, MSR_ESR, 0);
    g_assert_cmphex(rd(0, MSR_ESR) & 0x60, !=, 0);
    g_assert_true(irr_has(0, 0xee));          /* error interrupt */
    wr(0, MSR_ESR, 0);
    g_assert_cmphex(rd(0, MSR_ESR), ==, 0);
    apic_deliver_msi(0xfee01000, 0x03);       /* received by APIC 1 */
    wr(1, MSR_ESR, 0);
    g_assert_cmphex(rd(1, MSR_ESR), ==, 0x40);
    /* an illegal error vector cannot loop */
    wr(2, MSR_LVT_ERROR, 0x02);
    apic_deliver_msi(0xfee02000, 0x04);
    wr(2, MSR_ESR, 0);
    g_assert_cmphex(rd(2, MSR_ESR), ==, 0x40);
}

static void test_timer_oneshot(void)
{
    int64_t t0;

    setup();
    t0 = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    wr(0, MSR_TIMER_DIV, 0xb);                /* divide by 1 */
    wr(0, MSR_LVT_TIMER, 0x30);
    wr(0, MSR_TIMER_INIT, 1000);
    qemu_clock_warp_to(t0 + 500);
    g_assert_cmpint(rd(0, MSR_TIMER_CUR), ==, 500);
    qemu_clock_warp_to(t0 + 999);
    g_assert_false(irr_has(0, 0x30));
    qemu_clock_warp_to(t0 + 1000);
    g_assert_true(irr_has(0, 0x30));
    g_assert_cmpint(rd(0, MSR_TIMER_CUR), ==, 0);
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, 0x30);
    wr(0, MSR_EOI, 0);
    qemu_clock_warp_to(t0 + 100000);
    g_assert_false(irr_has(0, 0x30));         /* one shot only */
    /* divide by 16: 16 ns per tick */
    t0 = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    wr(0, MSR_TIMER_DIV, 0x3);
    wr(0, MSR_TIMER_INIT, 10);
    qemu_clock_warp_to(t0 + 159);
    g_assert_false(irr_has(0, 0x30));
    qemu_clock_warp_to(t0 + 160);
    g_assert_true(irr_has(0, 0x30));
    /* count 0 stops the timer */
    t0 = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, 0x30);
    wr(0, MSR_EOI, 0);
    wr(0, MSR_TIMER_INIT, 100);
    wr(0, MSR_TIMER_INIT, 0);
    qemu_clock_warp_to(t0 + 100000);
    g_assert_false(irr_has(0, 0x30));
}

static void test_timer_periodic_and_masked(void)
{
    int64_t t0;

    setup();
    t0 = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    wr(1, MSR_TIMER_DIV, 0x0);                /* divide by 2 */
    wr(1, MSR_LVT_TIMER, (1 << 17) | 0x31);
    wr(1, MSR_TIMER_INIT, 500000);            /* 1 ms */
    qemu_clock_warp_to(t0 + 999999);
    g_assert_false(irr_has(1, 0x31));
    qemu_clock_warp_to(t0 + 1000000);
    g_assert_true(irr_has(1, 0x31));
    g_assert_cmpint(apic_get_interrupt(apics[1]), ==, 0x31);
    wr(1, MSR_EOI, 0);
    qemu_clock_warp_to(t0 + 1500000);
    g_assert_cmpint(rd(1, MSR_TIMER_CUR), ==, 250000);
    qemu_clock_warp_to(t0 + 2000000);
    g_assert_true(irr_has(1, 0x31));
    /* masked: counting goes on, nothing is delivered */
    g_assert_cmpint(apic_get_interrupt(apics[1]), ==, 0x31);
    wr(1, MSR_EOI, 0);
    wr(1, MSR_LVT_TIMER, (1 << 17) | (1 << 16) | 0x31);
    qemu_clock_warp_to(t0 + 5000000);
    g_assert_false(irr_has(1, 0x31));
    g_assert_cmpint(rd(1, MSR_TIMER_CUR), ==, 500000);
    wr(1, MSR_TIMER_INIT, 0);
}

static void test_timer_period_floor(void)
{
    int64_t t0;

    setup();
    t0 = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    wr(2, MSR_TIMER_DIV, 0xb);
    wr(2, MSR_LVT_TIMER, (1 << 17) | 0x32);
    wr(2, MSR_TIMER_INIT, 1);                 /* a 1 ns period */
    qemu_clock_warp_to(t0 + 199999);
    g_assert_false(irr_has(2, 0x32));
    qemu_clock_warp_to(t0 + 200000);
    g_assert_true(irr_has(2, 0x32));
    /* a second of guest time is 5000 timer callbacks, not 10^9 */
    qemu_clock_warp_to(t0 + 1000000000);
    wr(2, MSR_TIMER_INIT, 0);
}

static uint64_t fake_tsc(CPUState *cpu)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) * 2 + 12345;
}

static void test_timer_tsc_deadline(void)
{
    int64_t t0;
    uint64_t tsc;

    setup();
    apic_set_tsc_source(apics[0], fake_tsc, 2000000000);
    /* not in deadline mode: the MSR is ignored and reads 0 */
    wr(0, MSR_TSC_DEADLINE, 5);
    g_assert_cmpint(rd(0, MSR_TSC_DEADLINE), ==, 0);
    wr(0, MSR_LVT_TIMER, (2 << 17) | 0x33);
    wr(0, MSR_TIMER_INIT, 10);                /* ignored in this mode */
    g_assert_cmpint(rd(0, MSR_TIMER_INIT), ==, 0);
    t0 = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    tsc = fake_tsc(cpus[0]);
    wr(0, MSR_TSC_DEADLINE, tsc + 2000);      /* 1000 ns */
    g_assert_cmphex(rd(0, MSR_TSC_DEADLINE), ==, tsc + 2000);
    qemu_clock_warp_to(t0 + 999);
    g_assert_false(irr_has(0, 0x33));
    qemu_clock_warp_to(t0 + 1000);
    g_assert_true(irr_has(0, 0x33));
    g_assert_cmpint(rd(0, MSR_TSC_DEADLINE), ==, 0);
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, 0x33);
    wr(0, MSR_EOI, 0);
    /* a deadline in the past fires at once; 0 disarms */
    wr(0, MSR_TSC_DEADLINE, 1);
    qemu_clock_warp_to(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    g_assert_true(irr_has(0, 0x33));
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, 0x33);
    wr(0, MSR_EOI, 0);
    t0 = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    wr(0, MSR_TSC_DEADLINE, fake_tsc(cpus[0]) + 100);
    wr(0, MSR_TSC_DEADLINE, 0);
    qemu_clock_warp_to(t0 + 100000);
    g_assert_false(irr_has(0, 0x33));
    /* an absurd deadline does not overflow the clock */
    wr(0, MSR_TSC_DEADLINE, UINT64_MAX);
    qemu_clock_warp_to(t0 + 200000);
    g_assert_false(irr_has(0, 0x33));
    /* leaving deadline mode disarms */
    wr(0, MSR_LVT_TIMER, 0x33);
    g_assert_cmpint(rd(0, MSR_TSC_DEADLINE), ==, 0);
    apic_set_tsc_source(apics[0], NULL, 0);
}

static void test_lint(void)
{
    qemu_irq lint0, lint1;

    setup();
    x86_register_pic_read_irq(fake_pic_read_irq, NULL);
    lint0 = qdev_get_gpio_in_named(apics[0], "lint", 0);
    lint1 = qdev_get_gpio_in_named(apics[0], "lint", 1);
    /* LINT0 ExtINT (virtual wire): the 8259 request reaches the CPU */
    qemu_set_irq(lint0, 1);
    g_assert_true(pending(0, CPU_INTERRUPT_HARD));
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, -1);
    g_assert_true(apic_accept_pic_intr(apics[0]));
    fake_pic_vector = 0x20;
    g_assert_cmpint(x86_pic_read_irq(), ==, 0x20);
    qemu_set_irq(lint0, 0);
    g_assert_false(pending(0, CPU_INTERRUPT_HARD));
    /* masked LINT0: the 8259 is cut off */
    wr(0, MSR_LVT_LINT0, 0x10700);
    g_assert_false(apic_accept_pic_intr(apics[0]));
    qemu_set_irq(lint0, 1);
    g_assert_false(pending(0, CPU_INTERRUPT_HARD));
    qemu_set_irq(lint0, 0);
    /* LINT0 as a fixed, level-triggered source: remote IRR until EOI */
    wr(0, MSR_LVT_LINT0, 0x8000 | 0x41);
    qemu_set_irq(lint0, 1);
    g_assert_true(irr_has(0, 0x41) && tmr_has(0, 0x41));
    g_assert_cmphex(rd(0, MSR_LVT_LINT0) & (1 << 14), !=, 0);
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, 0x41);
    wr(0, MSR_EOI, 0);                        /* still high: again */
    g_assert_true(irr_has(0, 0x41));
    g_assert_cmpint(apic_get_interrupt(apics[0]), ==, 0x41);
    qemu_set_irq(lint0, 0);
    wr(0, MSR_EOI, 0);
    g_assert_false(irr_has(0, 0x41));
    g_assert_cmphex(rd(0, MSR_LVT_LINT0) & (1 << 14), ==, 0);
    /* LINT1 as NMI: edge */
    wr(0, MSR_LVT_LINT1, 0x400);
    qemu_set_irq(lint1, 1);
    g_assert_true(pending(0, APIC_INTERRUPT_NMI));
    qemu_set_irq(lint1, 0);
    /* a globally disabled APIC passes INTR straight through */
    g_atomic_int_set(&cpus[0]->interrupt_request, 0);
    g_assert_true(apic_set_base(apics[0], 0xfee00100));
    g_assert_true(apic_accept_pic_intr(apics[0]));
    qemu_set_irq(lint0, 1);
    g_assert_true(pending(0, CPU_INTERRUPT_HARD));
    qemu_set_irq(lint0, 0);
    g_assert_false(pending(0, CPU_INTERRUPT_HARD));
    x86_register_pic_read_irq(NULL, NULL);
    g_assert_cmpint(x86_pic_read_irq(), ==, -1);
}

static void test_software_disable(void)
{
    setup();
    wr(1, MSR_LVT_TIMER, 0x30);
    wr(1, MSR_SVR, 0x0ff);                    /* software disable */
    g_assert_cmphex(rd(1, MSR_LVT_TIMER), ==, 0x10030);
    wr(1, MSR_LVT_TIMER, 0x30);               /* cannot unmask */
    g_assert_cmphex(rd(1, MSR_LVT_TIMER), ==, 0x10030);
    /* a fixed interrupt is held, not signalled, until enabled again */
    apic_deliver_msi(0xfee01000, 0x66);
    g_assert_false(pending(1, CPU_INTERRUPT_HARD));
    g_assert_cmpint(apic_get_interrupt(apics[1]), ==, -1);
    wr(1, MSR_SVR, 0x1ff);
    g_assert_true(pending(1, CPU_INTERRUPT_HARD));
    g_assert_cmpint(apic_get_interrupt(apics[1]), ==, 0x66);
    /* NMI and INIT still get through while disabled */
    wr(1, MSR_SVR, 0x0ff);
    apic_deliver_msi(0xfee01000, 0x400);
    g_assert_true(pending(1, APIC_INTERRUPT_NMI));
}

static void test_kvm_page(void)
{
    uint8_t page[APIC_PAGE_SIZE], page2[APIC_PAGE_SIZE];
    uint32_t v;

    setup();
    wr(2, MSR_TPR, 0x20);
    wr(2, MSR_LVT_LINT1, 0x400);
    apic_deliver_msi(0xfee02000, 0x8000 | 0x4000 | 0x77);
    apic_get_page(apics[2], page);
    memcpy(&v, page + 0x20, 4);
    g_assert_cmphex(v, ==, 2);                /* x2APIC: the full id */
    memcpy(&v, page + 0x80, 4);
    g_assert_cmphex(v, ==, 0x20);
    memcpy(&v, page + 0x200 + 0x30, 4);       /* IRR word 3: vector 0x77 */
    g_assert_cmphex(v, ==, 1u << (0x77 - 0x60));
    memcpy(&v, page + 0x180 + 0x30, 4);
    g_assert_cmphex(v, ==, 1u << (0x77 - 0x60));
    memcpy(&v, page + 0x360, 4);
    g_assert_cmphex(v, ==, 0x400);
    /* into another APIC and back: the same page */
    apic_set_page(apics[1], page);
    apic_get_page(apics[1], page2);
    memcpy(&v, page2 + 0x20, 4);
    g_assert_cmphex(v, ==, 1);                /* its own x2APIC id */
    memcpy(page2 + 0x20, page + 0x20, 4);
    memcpy(page2 + 0xd0, page + 0xd0, 4);     /* derived LDR */
    g_assert_cmpmem(page, sizeof(page), page2, sizeof(page2));
}

static void test_bad_id(void)
{
    Error *err = NULL;
    CPUState *cpu = CPU(qdev_new(TYPE_TEST_CPU));

    g_assert_true(qdev_realize(DEVICE(cpu), NULL, &error_abort));
    g_assert_null(apic_create(cpu, 300, false, false, &err));
    g_assert_nonnull(err);
    error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    type_register(&test_cpu_info);
    qemu_clock_set_virtual_manual(true);
    for (int i = 0; i < NCPUS; i++) {
        cpus[i] = CPU(qdev_new(TYPE_TEST_CPU));
        g_assert_true(qdev_realize(DEVICE(cpus[i]), NULL, &error_abort));
        apics[i] = apic_create(cpus[i], i, true, true, &error_abort);
    }
    apic_register_eoi_listener(eoi_listener, NULL);

    g_test_add_func("/apic/reset-values", test_reset_values);
    g_test_add_func("/apic/base-transitions", test_base_transitions);
    g_test_add_func("/apic/x2apic-msr-rules", test_x2apic_msr_rules);
    g_test_add_func("/apic/inta-priority", test_inta_priority);
    g_test_add_func("/apic/tpr", test_tpr);
    g_test_add_func("/apic/level-msi-eoi-broadcast",
                    test_level_msi_eoi_broadcast);
    g_test_add_func("/apic/init-sipi", test_init_sipi);
    g_test_add_func("/apic/shorthands-nmi", test_shorthands_nmi);
    g_test_add_func("/apic/logical-lowest-priority",
                    test_logical_lowest_priority);
    g_test_add_func("/apic/illegal-vectors", test_illegal_vectors);
    g_test_add_func("/apic/timer-oneshot", test_timer_oneshot);
    g_test_add_func("/apic/timer-periodic-masked",
                    test_timer_periodic_and_masked);
    g_test_add_func("/apic/timer-period-floor", test_timer_period_floor);
    g_test_add_func("/apic/timer-tsc-deadline", test_timer_tsc_deadline);
    g_test_add_func("/apic/lint", test_lint);
    g_test_add_func("/apic/software-disable", test_software_disable);
    g_test_add_func("/apic/kvm-page", test_kvm_page);
    g_test_add_func("/apic/bad-id", test_bad_id);
    return g_test_run();
}
