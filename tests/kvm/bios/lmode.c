/*
 * 64-bit long-mode stage of the -bios test (steps 12-14).
 *
 *   12 64-bit code runs: EFER.LMA set, CS.L, paging on
 *   13 8259 masked, LAPIC enabled through SVR, IOAPIC pin 2 (the PC's
 *      ISA IRQ0 -> GSI 2 override) routed to vector 0x30: 5 PIT ticks
 *      arrive through the IOAPIC and are acknowledged at the LAPIC
 *   14 RTC periodic interrupt through IOAPIC pin 8 (vector 0x38)
 *   15 LAPIC timer, periodic mode, divide by 16: current count moves,
 *      5 interrupts on vector 0x40
 *   16 with more than one CPU (fw_cfg NB_CPUS): INIT, STARTUP, STARTUP to
 *      all-but-self; every AP runs bios/ap16.S and checks in (skipped with
 *      one CPU)
 */
#include "../lib/hw.h"
#include "../lib/trap.h"

#define IOAPIC_PIT_PIN   2
#define VEC_PIT          0x30
#define VEC_RTC          0x38
#define IOAPIC_RTC_PIN   8
#define VEC_SPURIOUS     0xff
#define PIT_TEST_TICKS   5

#define AP_COUNT         0x600      /* bios/ap16.S */
#define AP_IDS           0x610
#define SIPI_VECTOR      0xfe       /* AP starts at 0xfe000 */
#define LAPIC_ICR_LO     0x300
#define LAPIC_ICR_HI     0x310
#define LAPIC_LVT_TIMER  0x320
#define LAPIC_TIMER_ICR  0x380
#define LAPIC_TIMER_CCR  0x390
#define LAPIC_TIMER_DCR  0x3e0
#define VEC_LAPIC_TIMER  0x40

static volatile unsigned ticks, spurious, rtc_ticks, lapic_ticks;

static void on_lapic_timer(unsigned vector)
{
    lapic_ticks++;
    lapic_eoi();
}

static void on_rtc(unsigned vector)
{
    if (rtc_ack() & 0x40) {
        rtc_ticks++;
    }
    lapic_eoi();
}

static void on_pit(unsigned vector)
{
    ticks++;
    lapic_eoi();
}

static void on_spurious(unsigned vector)
{
    spurious++;     /* no EOI for the spurious vector */
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static void test_long_mode(void)
{
    step_begin(12, "long mode");
    uint64_t efer = rdmsr(0xc0000080), cr0, cr4;
    __asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
    print("lm: hello from 64-bit, efer=0x%llx cr0=0x%llx cr4=0x%llx\n",
          (unsigned long long)efer, (unsigned long long)cr0,
          (unsigned long long)cr4);
    if (!(efer & 0x400)) {
        fail("EFER.LMA clear");
    }
}

static void test_ioapic_pit(void)
{
    step_begin(13, "pit irq0 via ioapic gsi2 + lapic");
    idt_init();
    idt_on(VEC_PIT, on_pit);
    idt_on(VEC_SPURIOUS, on_spurious);
    pic_set_mask(0xffff);

    uint32_t ver = ioapic_read(0x01);
    print("ioapic: id=0x%x ver=0x%x pins=%u\n", ioapic_read(0x00) >> 24,
          ver & 0xff, ((ver >> 16) & 0xff) + 1);
    lapic_enable(VEC_SPURIOUS);
    uint8_t apic_id = lapic_read(0x20) >> 24;
    print("lapic: id=%u ver=0x%x svr=0x%x\n", apic_id, lapic_read(0x30),
          lapic_read(0xf0));

    ioapic_mask_all();
    ioapic_route(IOAPIC_PIT_PIN, VEC_PIT, apic_id);
    print("ioapic: pin %u -> 0x%x:0x%x\n", IOAPIC_PIT_PIN,
          ioapic_read(0x11 + 2 * IOAPIC_PIT_PIN),
          ioapic_read(0x10 + 2 * IOAPIC_PIT_PIN));
    while (ticks < PIT_TEST_TICKS) {
        cpu_sti_hlt();
    }
    __asm__ volatile("cli");
    print("lm: %u ticks on vector 0x%x via ioapic, %u spurious\n", ticks,
          VEC_PIT, spurious);
    ioapic_mask_all();
}

static void test_ioapic_rtc(void)
{
    step_begin(14, "rtc irq8 via ioapic pin 8");
    idt_on(VEC_RTC, on_rtc);
    ioapic_route(IOAPIC_RTC_PIN, VEC_RTC, lapic_read(0x20) >> 24);
    rtc_set_periodic(6);
    while (rtc_ticks < 5) {
        cpu_sti_hlt();
    }
    __asm__ volatile("cli");
    rtc_set_periodic(0);
    ioapic_mask_all();
    print("lm: %u rtc ticks on vector 0x%x via ioapic pin %u\n", rtc_ticks,
          VEC_RTC, IOAPIC_RTC_PIN);
}

static void test_lapic_timer(void)
{
    step_begin(15, "lapic timer");
    idt_on(VEC_LAPIC_TIMER, on_lapic_timer);
    lapic_write(LAPIC_TIMER_DCR, 0x3);                  /* divide by 16 */
    lapic_write(LAPIC_LVT_TIMER, 0x20000 | VEC_LAPIC_TIMER); /* periodic */
    lapic_write(LAPIC_TIMER_ICR, 100000);
    uint32_t c1 = lapic_read(LAPIC_TIMER_CCR), c2 = c1;
    for (unsigned i = 0; i < 100000 && c2 == c1; i++) {
        c2 = lapic_read(LAPIC_TIMER_CCR);
    }
    print("lapic: timer current count 0x%x -> 0x%x\n", c1, c2);
    if (c1 == c2) {
        fail("LAPIC timer current count does not move");
    }
    while (lapic_ticks < 5) {
        cpu_sti_hlt();
    }
    __asm__ volatile("cli");
    lapic_write(LAPIC_LVT_TIMER, 0x10000);              /* masked */
    lapic_write(LAPIC_TIMER_ICR, 0);
    print("lm: %u lapic timer ticks on vector 0x%x\n", lapic_ticks,
          VEC_LAPIC_TIMER);
}

/* Wait for `n` PIT ticks (10 ms each); PIT routed as in step 13. */
static void wait_ticks(unsigned n)
{
    unsigned until = ticks + n;
    while ((int)(ticks - until) < 0) {
        cpu_sti_hlt();
    }
    __asm__ volatile("cli");
}

static void lapic_send_ipi(uint32_t icr_lo)
{
    lapic_write(LAPIC_ICR_HI, 0);
    lapic_write(LAPIC_ICR_LO, icr_lo);
    for (unsigned i = 0; i < 1000000 && (lapic_read(LAPIC_ICR_LO) & 0x1000);
         i++) {
        cpu_pause();
    }
}

static void test_smp(void)
{
    step_begin(16, "smp: start the APs");
    uint16_t ncpus = 0;
    fw_cfg_read(0x0005, &ncpus, 2);
    if (ncpus < 2) {
        print("smp: %u cpu, nothing to start\n", ncpus);
        return;
    }
    volatile uint16_t *count = phys_ptr(AP_COUNT);
    volatile uint8_t *ids = phys_ptr(AP_IDS);
    *count = 0;
    ioapic_route(IOAPIC_PIT_PIN, VEC_PIT, lapic_read(0x20) >> 24);
    /* All excluding self (bits 19:18 = 11), level assert (bit 14). */
    lapic_send_ipi(0x000c4500);                 /* INIT */
    wait_ticks(2);
    lapic_send_ipi(0x000c4600 | SIPI_VECTOR);   /* STARTUP */
    wait_ticks(1);
    lapic_send_ipi(0x000c4600 | SIPI_VECTOR);   /* second STARTUP (MP spec) */
    for (unsigned t = 0; t < 100 && *count < ncpus - 1; t++) {
        wait_ticks(1);
    }
    ioapic_mask_all();
    print("smp: %u of %u APs checked in, apic ids:", *count, ncpus - 1);
    for (unsigned i = 0; i < *count && i < 16; i++) {
        print(" %u", ids[i]);
    }
    print("\n");
    if (*count != ncpus - 1) {
        fail("%u APs started, want %u", *count, ncpus - 1);
    }
}

void lmode_main(void);

void lmode_main(void)
{
    test_long_mode();
    test_ioapic_pit();
    test_ioapic_rtc();
    test_lapic_timer();
    test_smp();
    print("bios-test: all steps passed\n");
    test_exit(EXIT_PASS);
}
