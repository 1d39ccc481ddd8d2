/* Starting the APs (see smp.h, smp-tramp.S). */
#include "smp.h"

extern char ap_tramp[], ap_tramp_end[], ap_params[];

#define AP_BASE 0x8000
#define LAPIC 0xfee00000ull

static uint8_t ap_stack_area[SMP_MAX][16384] __attribute__((aligned(16)));
static void (*ap_fn)(int cpu);
static volatile int ap_up;

static void lapic_write(uint32_t reg, uint32_t v)
{
    *(volatile uint32_t *)(LAPIC + reg) = v;
}

static uint32_t lapic_read(uint32_t reg)
{
    return *(volatile uint32_t *)(LAPIC + reg);
}

void ap_main(int cpu);
void ap_main(int cpu)
{
    struct __attribute__((packed)) { uint16_t l; uint64_t b; } d;

    /* the BSP's IDT */
    extern uint64_t bsp_idt_desc[2];
    memcpy(&d, bsp_idt_desc, 10);
    __asm__ volatile("lidt %0" : : "m"(d));
    __atomic_fetch_add(&ap_up, 1, __ATOMIC_SEQ_CST);
    ap_fn(cpu);
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

uint64_t bsp_idt_desc[2];

void smp_wait(volatile int *v, int want)
{
    while (__atomic_load_n(v, __ATOMIC_SEQ_CST) < want) {
        __asm__ volatile("pause");
    }
}

static void delay(unsigned n)
{
    for (volatile unsigned i = 0; i < n; i++) {
    }
}

int smp_start(void (*fn)(int cpu), int ncpus)
{
    struct __attribute__((packed)) {
        uint16_t gdt_l;
        uint32_t gdt_b;
        uint8_t pad[2];
        uint64_t cr3, stacks, entry;
        uint32_t next;
    } *p = (void *)(AP_BASE + (ap_params - ap_tramp));
    struct __attribute__((packed)) { uint16_t l; uint64_t b; } g;

    ap_fn = fn;
    memcpy((void *)AP_BASE, ap_tramp, ap_tramp_end - ap_tramp);
    __asm__ volatile("sgdt %0" : "=m"(g));
    p->gdt_l = g.l;
    p->gdt_b = g.b;
    p->cr3 = read_cr3();
    /* CPU n's stack top: the trampoline adds n << 14 to this */
    p->stacks = (uint64_t)ap_stack_area[0];
    p->entry = (uint64_t)ap_main;
    p->next = 1;
    __asm__ volatile("sidt %0" : "=m"(*(char (*)[10])bsp_idt_desc));

    lapic_write(0xf0, lapic_read(0xf0) | 0x100);       /* APIC enabled */
    lapic_write(0x310, 0);
    lapic_write(0x300, 0x000c4500);                    /* INIT, all but self */
    delay(100000);
    for (int i = 0; i < 2; i++) {
        lapic_write(0x300, 0x000c4600 | (AP_BASE >> 12));   /* SIPI */
        delay(10000);
    }
    for (unsigned i = 0; i < 100000000 &&
         __atomic_load_n(&ap_up, __ATOMIC_SEQ_CST) < ncpus - 1; i++) {
        __asm__ volatile("pause");
    }
    return 1 + __atomic_load_n(&ap_up, __ATOMIC_SEQ_CST);
}
