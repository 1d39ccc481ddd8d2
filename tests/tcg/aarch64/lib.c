/*
 * Runtime for the bare-metal AArch64 tests (see lib.h).
 */
#include "lib.h"

int checks_run, checks_failed;
volatile struct exc_record exc_last;
exc_hook_fn exc_hook;

void putch(char c)
{
    semihost(SYS_WRITEC, (uint64_t)(uintptr_t)&c);
}

/* Semihosting output is line-buffered here to keep the number of traps low. */
static char linebuf[256];
static int linelen;

static void flush_line(void)
{
    if (linelen) {
        linebuf[linelen] = 0;
        semihost(SYS_WRITE0, (uint64_t)(uintptr_t)linebuf);
        linelen = 0;
    }
}

static void out(char c)
{
    linebuf[linelen++] = c;
    if (c == '\n' || linelen == sizeof(linebuf) - 1) {
        flush_line();
    }
}

void puts_raw(const char *s)
{
    while (*s) {
        out(*s++);
    }
}

void test_exit(int code)
{
    uint64_t block[2] = { ADP_Stopped_ApplicationExit, (uint64_t)code };
    flush_line();
    semihost(SYS_EXIT, (uint64_t)(uintptr_t)block);
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void *memset(void *d, int c, size_t n)
{
    volatile unsigned char *p = d;
    while (n--) {
        *p++ = (unsigned char)c;
    }
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    volatile unsigned char *p = d;
    const unsigned char *q = s;
    while (n--) {
        *p++ = *q++;
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++) {
        if (*p != *q) {
            return *p < *q ? -1 : 1;
        }
    }
    return 0;
}

/* printf-lite: %d %i %u %x %X %c %s %p %%, flags '0' '-', width, l/ll/z. */
static void put_num(uint64_t v, int base, int neg, int width, int zero, int left, int upper)
{
    char tmp[24];
    int n = 0, len;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    len = n + neg;
    if (!left && !zero) {
        for (; len < width; width--) {
            out(' ');
        }
    }
    if (neg) {
        out('-');
    }
    if (!left && zero) {
        for (; len < width; width--) {
            out('0');
        }
    }
    while (n) {
        out(tmp[--n]);
    }
    if (left) {
        for (; len < width; width--) {
            out(' ');
        }
    }
}

int vprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        int zero = 0, left = 0, width = 0, lng = 0;
        if (*fmt != '%') {
            out(*fmt);
            continue;
        }
        fmt++;
        for (;; fmt++) {
            if (*fmt == '0') {
                zero = 1;
            } else if (*fmt == '-') {
                left = 1;
            } else {
                break;
            }
        }
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (*fmt++ - '0');
        }
        while (*fmt == 'l' || *fmt == 'z') {
            lng = 1;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, zero, left, 0);
            break;
        }
        case 'u':
            put_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, 0, width, zero, left, 0);
            break;
        case 'x':
        case 'X':
            put_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, 0, width, zero, left,
                    *fmt == 'X');
            break;
        case 'p':
            out('0');
            out('x');
            put_num((uintptr_t)va_arg(ap, void *), 16, 0, 0, 0, 0, 0);
            break;
        case 'c':
            out((char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int len = 0;
            if (!s) {
                s = "(null)";
            }
            while (s[len]) {
                len++;
            }
            if (!left) {
                for (; len < width; width--) {
                    out(' ');
                }
            }
            puts_raw(s);
            if (left) {
                for (; len < width; width--) {
                    out(' ');
                }
            }
            break;
        }
        case '%':
            out('%');
            break;
        case 0:
            return 0;
        default:
            out('%');
            out(*fmt);
            break;
        }
    }
    return 0;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    return 0;
}

int check(const char *name, uint64_t got, uint64_t expected)
{
    checks_run++;
    if (got == expected) {
        printf("%s: 0x%016lx PASS\n", name, got);
        return 1;
    }
    checks_failed++;
    printf("%s: got 0x%016lx expected 0x%016lx FAIL\n", name, got, expected);
    return 0;
}

int check32(const char *name, uint32_t got, uint32_t expected)
{
    checks_run++;
    if (got == expected) {
        printf("%s: 0x%08x PASS\n", name, got);
        return 1;
    }
    checks_failed++;
    printf("%s: got 0x%08x expected 0x%08x FAIL\n", name, got, expected);
    return 0;
}

int check_true(const char *name, int cond)
{
    checks_run++;
    if (cond) {
        printf("%s: PASS\n", name);
        return 1;
    }
    checks_failed++;
    printf("%s: FAIL\n", name);
    return 0;
}

void test_done(void)
{
    if (checks_failed) {
        printf("%d of %d checks FAILED\n", checks_failed, checks_run);
        test_exit(1);
    }
    printf("all %d checks PASS\n", checks_run);
    test_exit(0);
}

void grp_begin(struct group *g, const char *name)
{
    g->name = name;
    g->n = g->bad = 0;
    g->hash = 0xcbf29ce484222325ull;
}

void grp_case(struct group *g, uint64_t got, uint64_t expected, uint64_t a, uint64_t b)
{
    for (int i = 0; i < 8; i++) {
        g->hash = (g->hash ^ ((got >> (8 * i)) & 0xff)) * 0x100000001b3ull;
    }
    if (got != expected) {
        if (g->bad < 4) {
            printf("  %s case %d (a=0x%lx b=0x%lx): got 0x%lx expected 0x%lx\n",
                   g->name, g->n, a, b, got, expected);
        }
        g->bad++;
    }
    g->n++;
}

void grp_end(struct group *g)
{
    checks_run++;
    if (g->bad) {
        checks_failed++;
    }
    printf("%s: %d cases hash 0x%016lx %s\n", g->name, g->n, g->hash,
           g->bad ? "FAIL" : "PASS");
}

void exc_clear(void)
{
    exc_last.count = 0;
    exc_last.vector = -1;
    exc_last.esr = exc_last.far = exc_last.elr = exc_last.spsr = 0;
    exc_last.first_vector = -1;
    exc_last.first_esr = exc_last.first_far = exc_last.first_elr = 0;
}

extern char el0_resume[];

/* Called from crt0.S for every exception taken to EL1. */
void exc_dispatch(struct exc_frame *f, int vector)
{
    uint64_t ec = ESR_EC(f->esr);

    exc_last.count++;
    exc_last.vector = vector;
    exc_last.esr = f->esr;
    exc_last.far = f->far;
    exc_last.elr = f->elr;
    exc_last.spsr = f->spsr;
    if (exc_last.count == 1) {
        exc_last.first_vector = vector;
        exc_last.first_esr = f->esr;
        exc_last.first_far = f->far;
        exc_last.first_elr = f->elr;
    }

    if (exc_hook && exc_hook(f, vector)) {
        return;
    }
    /* Synchronous from the current EL with SPx (4) or from EL0 (8). */
    if ((vector == 4 || vector == 8) && exc_last.count < 100) {
        if (vector == 8 && ec == EC_SVC64 && (f->esr & 0xffff) == 0xe0) {
            f->elr = (uint64_t)(uintptr_t)el0_resume;
            f->spsr = 0x3c5;        /* EL1h, DAIF masked */
            return;
        }
        if (ec == EC_SVC64 || ec == EC_HVC64) {
            return;
        }
        if (ec == EC_IABT_LOW || ec == EC_IABT_CUR || ec == EC_PC_ALIGN) {
            f->elr = f->x[30];
            return;
        }
        f->elr += 4;
        return;
    }
    printf("UNEXPECTED exception: vector %d ESR 0x%lx FAR 0x%lx ELR 0x%lx SPSR 0x%lx\n",
           vector, f->esr, f->far, f->elr, f->spsr);
    test_exit(3);
}

static uint64_t identity_l1[512] __attribute__((aligned(4096)));

void mmu_identity_on(void)
{
    /* Block descriptors: valid, AttrIndx, AF, inner shareable for RAM. */
    identity_l1[0] = 0x00000000ull | 1 | 0 << 2 | 1 << 10;
    identity_l1[1] = 0x40000000ull | 1 | 1 << 2 | 3 << 8 | 1 << 10;
    __asm__ volatile("dsb sy" ::: "memory");
    WRITE_SYSREG(mair_el1, 0xff00);             /* 0: Device-nGnRnE, 1: Normal WB */
    WRITE_SYSREG(tcr_el1, 25ull                 /* T0SZ: 39-bit VA */
                 | 1ull << 8 | 1ull << 10 | 3ull << 12
                 | 1ull << 23                   /* EPD1 */
                 | 1ull << 32);                 /* IPS: 36 bits */
    WRITE_SYSREG(ttbr0_el1, (uint64_t)(uintptr_t)identity_l1);
    __asm__ volatile("isb\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
    WRITE_SYSREG(sctlr_el1, (READ_SYSREG(sctlr_el1) | 1 | 1 << 2 | 1 << 12) & ~(1ull << 19));
    __asm__ volatile("isb" ::: "memory");
}

void mmu_identity_off(void)
{
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) & ~1ull);
    __asm__ volatile("isb" ::: "memory");
}
