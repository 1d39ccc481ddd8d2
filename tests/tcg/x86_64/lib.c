/* Runtime of the x86-64 bare-metal tests (see lib.h). */
#include "lib.h"

#define COM1 0x3f8

unsigned checks, failures;
TrapInfo last_trap;
extern uint64_t trap_saved_rsp;
extern char trap_stubs[], trap_resume[];

typedef struct Frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error, rip, cs, rflags, rsp, ss;
} Frame;

static struct __attribute__((packed)) {
    uint32_t res0;
    uint64_t rsp[3];
    uint64_t res1;
    uint64_t ist[7];
    uint64_t res2;
    uint16_t res3, iomap;
} tss;

static uint64_t idt[512] __attribute__((aligned(16)));
static uint8_t ist_stack[4][4096] __attribute__((aligned(16)));

void *memset(void *d, int c, size_t n)
{
    uint8_t *p = d;
    while (n--) {
        *p++ = c;
    }
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *p = d;
    const uint8_t *q = s;
    while (n--) {
        *p++ = *q++;
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *p = a, *q = b;
    for (; n; n--, p++, q++) {
        if (*p != *q) {
            return *p - *q;
        }
    }
    return 0;
}

void putc(char c)
{
    while (!(inb(COM1 + 5) & 0x20)) {
    }
    outb(COM1, c);
}

static void puts_n(const char *s)
{
    while (*s) {
        putc(*s++);
    }
}

static void print_num(uint64_t v, unsigned base, int width, bool zero,
                      bool neg)
{
    char buf[24];
    int n = 0;

    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg) {
        buf[n++] = '-';
    }
    while (n < width) {
        buf[n++] = zero ? '0' : ' ';
    }
    while (n) {
        putc(buf[--n]);
    }
}

void vprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        int width = 0, lng = 0;
        bool zero = false;

        if (*fmt != '%') {
            putc(*fmt);
            continue;
        }
        fmt++;
        if (*fmt == '0') {
            zero = true;
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + *fmt++ - '0';
        }
        while (*fmt == 'l') {
            lng++;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            print_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, zero, v < 0);
            break;
        }
        case 'u':
            print_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
                      10, width, zero, false);
            break;
        case 'x':
            print_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
                      16, width, zero, false);
            break;
        case 's':
            puts_n(va_arg(ap, const char *));
            break;
        case 'c':
            putc(va_arg(ap, int));
            break;
        default:
            putc(*fmt);
            break;
        }
    }
}

void printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void test_exit(int code)
{
    outb(0xf4, code);
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

void check(bool ok, const char *fmt, ...)
{
    va_list ap;

    checks++;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf(ok ? " PASS\n" : " FAIL\n");
    if (!ok) {
        failures++;
    }
}

void check_eq(uint64_t got, uint64_t want, const char *fmt, ...)
{
    va_list ap;

    checks++;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (got == want) {
        printf(" PASS\n");
    } else {
        printf(" FAIL (got 0x%lx, want 0x%lx)\n", got, want);
        failures++;
    }
}

int finish(void)
{
    if (failures) {
        printf("%u of %u checks FAILED\n", failures, checks);
    } else {
        printf("all %u checks PASS\n", checks);
    }
    return failures;
}

void hash_init(Hash *h)
{
    h->h = 0xcbf29ce484222325ull;
    h->n = 0;
}

void hash_add(Hash *h, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        h->h ^= (v >> (8 * i)) & 0xff;
        h->h *= 0x100000001b3ull;
    }
    h->n++;
}

void hash_print(const Hash *h, const char *name)
{
    printf("%s: %u cases hash %016lx\n", name, h->n, h->h);
}

/* ---- descriptor tables ---- */

void gdt_set(int sel, uint32_t base, uint32_t limit, uint32_t access,
             uint32_t flags)
{
    gdt[sel >> 3] = (limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16) |
                    ((uint64_t)(access & 0xff) << 40) |
                    ((uint64_t)((limit >> 16) & 0xf) << 48) |
                    ((uint64_t)(flags & 0xf) << 52) |
                    ((uint64_t)(base >> 24) << 56);
}

void *idt_stub(int vec)
{
    return trap_stubs + 16 * vec;
}

void idt_set(int vec, void *handler, int dpl, int ist, bool trap)
{
    uint64_t a = (uint64_t)handler;

    idt[2 * vec] = (a & 0xffff) | ((uint64_t)SEL_CODE64 << 16) |
                   ((uint64_t)(ist & 7) << 32) |
                   ((uint64_t)(trap ? 0x8f : 0x8e) << 40) |
                   ((uint64_t)dpl << 45) | ((a >> 16) << 48);
    idt[2 * vec + 1] = a >> 32;
}

void enter_user(void *fn);

uint64_t run_user(void *fn)
{
    return trap_run(enter_user, fn);
}

void tss_set_rsp0(uint64_t rsp)
{
    tss.rsp[0] = rsp;
}

void tss_set_ist(int n, uint64_t rsp)
{
    tss.ist[n - 1] = rsp;
}

void lib_init(void);
void lib_init(void)
{
    struct __attribute__((packed)) { uint16_t lim; uint64_t base; } d;
    uint64_t t = (uint64_t)&tss;

    /* both 8259s masked: nothing interrupts the tests */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    /* COM1: 115200 8N1 */
    outb(COM1 + 1, 0);
    outb(COM1 + 3, 0x80);
    outb(COM1, 1);
    outb(COM1 + 1, 0);
    outb(COM1 + 3, 3);
    for (int i = 0; i < 256; i++) {
        idt_set(i, idt_stub(i), 0, 0, false);
    }
    idt_set(0x81, idt_stub(0x81), 3, 0, false);     /* back from CPL 3 */
    d.lim = sizeof(idt) - 1;
    d.base = (uint64_t)idt;
    __asm__ volatile("lidt %0" : : "m"(d));
    tss.rsp[0] = (uint64_t)stack_top - 8192;
    for (int i = 1; i <= 4; i++) {
        tss.ist[i - 1] = (uint64_t)ist_stack[i - 1] + 4096;
    }
    tss.iomap = sizeof(tss);
    gdt[SEL_TSS >> 3] = (sizeof(tss) - 1) | ((t & 0xffffff) << 16) |
                        (0x89ull << 40) | ((t >> 24 & 0xff) << 56);
    gdt[(SEL_TSS >> 3) + 1] = t >> 32;
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}

/* ---- exceptions ---- */

static volatile int trap_depth;

void trap_handler(Frame *f);
void trap_handler(Frame *f)
{
    uint64_t cr2;

    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    if (trap_saved_rsp && !trap_depth) {
        last_trap.vector = f->vector;
        last_trap.error = f->error;
        last_trap.rip = f->rip;
        last_trap.cr2 = cr2;
        last_trap.cs = f->cs;
        last_trap.rflags = f->rflags;
        f->rip = (uint64_t)trap_resume;
        f->rsp = trap_saved_rsp;
        f->cs = SEL_CODE64;
        f->ss = SEL_DATA;
        f->rflags &= ~(uint64_t)(FL_TF | 0x20000 | 0x40000);
        f->rax = f->vector + 1;
        trap_saved_rsp = 0;
        /* data segments back to flat: the test may have changed them */
        __asm__ volatile("mov %0, %%ds; mov %0, %%es" : : "r"(SEL_DATA));
        return;
    }
    trap_depth++;
    printf("unexpected exception %lu error 0x%lx at %lx:%lx cr2 %lx\n",
           f->vector, f->error, f->cs, f->rip, cr2);
    test_exit(3);
}
