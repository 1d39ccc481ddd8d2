/*
 * Runtime of the x86-64 bare-metal tests: COM1 output, printf, checks,
 * exit through isa-debug-exit (port 0xf4), exceptions and the GDT/IDT/TSS
 * set up by crt0.S and lib.c.
 *
 * Every check prints one line ending in PASS or FAIL; main() returns the
 * number of failed checks (0: the runner expects "all N checks PASS").
 */
#ifndef TESTS_TCG_X86_64_LIB_H
#define TESTS_TCG_X86_64_LIB_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>

#define FL_CF 0x0001
#define FL_PF 0x0004
#define FL_AF 0x0010
#define FL_ZF 0x0040
#define FL_SF 0x0080
#define FL_TF 0x0100
#define FL_IF 0x0200
#define FL_DF 0x0400
#define FL_OF 0x0800
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

#define SEL_CODE64 0x08
#define SEL_DATA   0x10
#define SEL_CODE32 0x18
#define SEL_UCODE32 0x23
#define SEL_UDATA  0x2b
#define SEL_UCODE64 0x33
#define SEL_CODE16 0x38
#define SEL_DATA16 0x40
#define SEL_TSS    0x48
#define SEL_FREE   0x58             /* 0x58, 0x60, 0x68, 0x70, 0x78 */

void printf(const char *fmt, ...);
void vprintf(const char *fmt, va_list ap);
void putc(char c);
void test_exit(int code) __attribute__((noreturn));

/* checks */
extern unsigned checks, failures;
void check(bool ok, const char *fmt, ...);
void check_eq(uint64_t got, uint64_t want, const char *fmt, ...);
int finish(void);                  /* prints the summary, returns failures */

/* FNV-1a over results, for families of many cases */
typedef struct { uint64_t h; unsigned n; } Hash;
void hash_init(Hash *h);
void hash_add(Hash *h, uint64_t v);
void hash_print(const Hash *h, const char *name);

/* exceptions: run fn(arg); returns vector + 1 of the first exception it
 * raised (the test continues after trap_run), or 0 */
typedef struct {
    uint64_t vector, error, rip, cr2, cs, rflags;
} TrapInfo;
extern TrapInfo last_trap;
uint64_t trap_run(void (*fn)(void *), void *arg);

/* CPL 3: run fn (one of user.S's snippets, ending in INT 0x81) at CPL 3;
 * returns trap_run's value: 0x82 when it came back normally */
uint64_t run_user(void *fn);
extern char user_ret[], user_ok[], user_hlt[], user_int80[], user_cli[],
    user_rdmsr[], user_read[], user_write[];
extern uint64_t user_addr;
#define USER_BACK (0x81 + 1)

/* descriptor tables */
extern uint64_t gdt[];
void gdt_set(int sel, uint32_t base, uint32_t limit, uint32_t access,
             uint32_t flags);
void idt_set(int vec, void *handler, int dpl, int ist, bool trap);
void *idt_stub(int vec);
extern uint64_t pml4[], pdpt[], pd[];
extern uint8_t stack_top[];
/* TSS: RSP0 and IST1 */
void tss_set_rsp0(uint64_t rsp);
void tss_set_ist(int n, uint64_t rsp);

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)));
}

static inline uint64_t read_cr0(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline void write_cr4(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline uint64_t read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline void write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]),
                     "=d"(r[3]) : "a"(leaf), "c"(sub));
}

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
