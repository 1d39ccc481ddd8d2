/* IDT construction for 32-bit protected mode and 64-bit long mode. */
#include "trap.h"

#ifdef __x86_64__
struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, zero;
};
#else
struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t zero, type;
    uint16_t off_hi;
};
#endif

extern char trap_stubs[];   /* 256 stubs, 16 bytes apart */
static struct idt_gate idt[256] __attribute__((aligned(16)));
static trap_fn handlers[256];
void idt_init(void)
{
    uint16_t cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    for (unsigned v = 0; v < 256; v++) {
        uintptr_t off = (uintptr_t)trap_stubs + 16 * v;
        struct idt_gate *g = &idt[v];
        memset(g, 0, sizeof(*g));
        g->off_lo = off & 0xffff;
        g->sel = cs;
        g->type = 0x8e;             /* present, DPL 0, interrupt gate */
#ifdef __x86_64__
        g->off_mid = (off >> 16) & 0xffff;
        g->off_hi = (uint32_t)(off >> 32);
#else
        g->off_hi = off >> 16;
#endif
    }
    struct __attribute__((packed)) {
        uint16_t limit;
        uintptr_t base;
    } idtr = { sizeof(idt) - 1, (uintptr_t)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

void idt_on(unsigned vector, trap_fn fn)
{
    handlers[vector & 0xff] = fn;
}

void trap_dispatch(struct trap_frame *f)
{
    unsigned v = (unsigned)f->vector;
    if (handlers[v]) {
        handlers[v](v);
        return;
    }
    fail("unexpected vector 0x%x error 0x%lx at ip 0x%lx", v,
         (unsigned long)f->error, (unsigned long)f->ip);
}
