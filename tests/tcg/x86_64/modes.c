/*
 * Mode switches: 64-bit -> compatibility -> legacy protected (paging
 * off) -> 16-bit protected -> real mode (INT through the IVT, segment
 * arithmetic) -> protected -> IA-32e with paging -> 64-bit
 * (modes-tramp.S), then segmentation in compatibility mode: bases,
 * limits, expand-down segments, null selectors, read-only data.
 */
#include "lib.h"

void mode_roundtrip(void);
extern char tramp_start[], tramp_end[];
extern struct __attribute__((packed)) { uint16_t l; uint32_t b; }
    tramp_gdt_desc;

#define RES ((volatile uint32_t *)0x6000)

/* compatibility-mode memory access through DS (set up by the caller) */
uint32_t compat_result;
extern char compat_read[];
__asm__(
    ".text\n"
    ".code64\n"
    ".globl compat_read\n"
    "compat_read:\n"                /* rdi: selector for DS, rsi: offset */
    "  pushq %rbx\n"
    "  movq %rdi, %rbx\n"
    "  pushq $0x18\n"
    "  leaq 1f(%rip), %rax\n"
    "  pushq %rax\n"
    "  lretq\n"
    ".code32\n"
    "1: movw %bx, %ds\n"
    "  movl (%esi), %eax\n"
    "  movw $0x10, %bx\n"
    "  movw %bx, %ds\n"
    "  movl %eax, compat_result\n"
    "  ljmp $0x08, $2f\n"
    ".code64\n"
    "2: popq %rbx\n"
    "  ret\n");

struct cr { uint16_t sel; uint32_t off; };
uint32_t compat_read_fn(uint16_t sel, uint32_t off);

static void run_compat(void *arg)
{
    struct cr *c = arg;
    ((void (*)(uint64_t, uint64_t))compat_read)(c->sel, c->off);
}

static uint64_t try_read(uint16_t sel, uint32_t off)
{
    struct cr c = { sel, off };

    compat_result = 0xdeadbeef;
    return trap_run(run_compat, &c);
}

int main(void)
{
    static uint32_t data[4] = { 0x11111111, 0x22222222, 0x33333333,
                                0x44444444 };
    uint32_t base = (uint32_t)(uint64_t)data;

    printf("x86 mode switches and segmentation\n");
    memcpy((void *)0x7000, tramp_start, tramp_end - tramp_start);
    {
        struct __attribute__((packed)) { uint16_t l; uint64_t b; } d;

        __asm__ volatile("sgdt %0" : "=m"(d));
        /* the copy's GDT descriptor (32-bit base: the GDT is below 4G) */
        *(uint16_t *)(0x7000 + ((char *)&tramp_gdt_desc - tramp_start)) =
            d.l;
        *(uint32_t *)(0x7000 + ((char *)&tramp_gdt_desc - tramp_start) + 2) =
            d.b;
    }
    memset((void *)0x6000, 0, 64);
    mode_roundtrip();
    check_eq(RES[0] & 0xffff, SEL_CODE32, "compatibility mode: CS");
    check_eq(RES[1], 6, "compatibility mode: 0x40 is INC EAX");
    check_eq(RES[2] & 0x500, 0x100, "paging off: LME set, LMA clear");
    check_eq(RES[3] & 0x80000001, 0, "real mode: PE and PG clear");
    check_eq(RES[4] & 0xffff, 0x1234, "real mode: 0x600:0x10 is 0x6010");
    check_eq(RES[5], 0x5050, "real mode: INT 0x50 through the IVT");
    check_eq(RES[6] & 0xffff, 0, "real mode: CS 0");
    check_eq(RES[7] & 0x500, 0x500, "back in IA-32e mode: LMA");

    /* segmentation in compatibility mode */
    gdt_set(SEL_FREE, base, 15, 0x93, 0x4);         /* byte limit 15 */
    check_eq(try_read(SEL_FREE, 8), 0, "based segment: read at 8");
    check_eq(compat_result, 0x33333333, "base added to the offset");
    check_eq(try_read(SEL_FREE, 13), 13 + 1, "read past the limit: #GP");
    check_eq(last_trap.error, 0, "limit #GP(0)");
    gdt_set(SEL_FREE + 8, base - 0x1000, 0xfff, 0x97, 0x4);  /* expand-down */
    check_eq(try_read(SEL_FREE + 8, 0x1004), 0,
             "expand-down: above the limit is valid");
    check_eq(compat_result, 0x22222222, "expand-down read");
    check_eq(try_read(SEL_FREE + 8, 0x800), 13 + 1,
             "expand-down: below the limit: #GP");
    gdt_set(SEL_FREE + 16, base, 0xfffff, 0x99, 0xc);   /* execute-only */
    check_eq(try_read(SEL_FREE + 16, 0), 13 + 1,
             "DS = execute-only code: #GP at the load");
    check_eq(last_trap.error, SEL_FREE + 16, "error = the selector");
    check_eq(try_read(0, 0), 13 + 1, "null DS: access #GP");
    check_eq(last_trap.error, 0, "null DS: #GP(0)");
    return finish();
}
