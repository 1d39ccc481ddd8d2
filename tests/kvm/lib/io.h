/*
 * Port and MMIO accessors shared by the tests/kvm guests.
 * Builds with -m16, -m32 and -m64; no libc.
 */
#ifndef TESTS_KVM_IO_H
#define TESTS_KVM_IO_H

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

/* A pointer to a fixed physical address (identity mapped).  The empty asm
 * hides the constant from gcc, which otherwise warns about addresses in the
 * first page as if they were NULL dereferences. */
static inline void *phys_ptr(uintptr_t addr)
{
    __asm__("" : "+r"(addr));
    return (void *)addr;
}

static inline void cpu_cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void cpu_sti(void) { __asm__ volatile("sti" ::: "memory"); }
/* sti takes effect after the next instruction: no tick is lost before hlt. */
static inline void cpu_sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void cpu_pause(void) { __asm__ volatile("pause" ::: "memory"); }

/* lib/serial.c: COM1, 16550 at 0x3f8, polled THRE, 115200 8N1 */
void serial_init(void);
void serial_putc(char c);
void serial_puts(const char *s);

/* lib/print.c: %s %c %d %u %x %p, width and '0' flag, 'l'/'ll' modifiers */
void print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprint(const char *fmt, va_list ap);

/* lib/exit.c: isa-debug-exit at 0xf4; QEMU exits with (code << 1) | 1 */
#define EXIT_PASS       0x10            /* process status 0x21 */
#define EXIT_FAIL(step) (0x20 + (step)) /* process status 0x41 + 2 * step */
void test_exit(uint8_t code) __attribute__((noreturn));

/* Steps: step_begin prints "step N: name"; fail() prints "FAIL step N: ..."
 * and exits with EXIT_FAIL(N). */
extern unsigned test_step;
void step_begin(unsigned n, const char *name);
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* lib/string.c: what gcc may call even with -ffreestanding */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
uint32_t crc32(const void *buf, size_t len);

#endif
