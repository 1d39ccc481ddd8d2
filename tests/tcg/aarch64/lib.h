/*
 * Runtime for the bare-metal AArch64 tests: semihosting output and exit,
 * a small printf, self-checking helpers and exception recording.
 */
#ifndef TCG_AARCH64_LIB_H
#define TCG_AARCH64_LIB_H

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>

/* Arm semihosting (Semihosting for AArch32 and AArch64, 2.x). */
#define SYS_WRITEC  0x03
#define SYS_WRITE0  0x04
#define SYS_EXIT    0x18
#define ADP_Stopped_ApplicationExit 0x20026

uint64_t semihost(uint64_t op, uint64_t arg);
void putch(char c);
void puts_raw(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
void test_exit(int code) __attribute__((noreturn));
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/*
 * Checks print one line each: "name: 0x... PASS" or
 * "name: got 0x... expected 0x... FAIL".  test_done() prints the summary and
 * exits with 0 only if every check passed.
 */
extern int checks_run, checks_failed;
int check(const char *name, uint64_t got, uint64_t expected);
int check32(const char *name, uint32_t got, uint32_t expected);
int check_true(const char *name, int cond);
void test_done(void) __attribute__((noreturn));

/*
 * A group of many similar cases: each case compares got with the expected
 * value from a C model; the line printed at the end carries the number of
 * cases, an FNV-1a hash of every result (so the .ref pins the values even
 * where the model could be wrong) and the number of mismatches.  The first
 * few mismatches are printed in detail.
 */
struct group {
    const char *name;
    int n, bad;
    uint64_t hash;
};
void grp_begin(struct group *g, const char *name);
void grp_case(struct group *g, uint64_t got, uint64_t expected, uint64_t a, uint64_t b);
void grp_end(struct group *g);

/* Exception frame built by crt0.S (offsets are used there). */
struct exc_frame {
    uint64_t x[31];
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
    uint64_t sp_el0;
};

/* What the last exception was; tests reset it with exc_clear(). */
struct exc_record {
    int count;          /* exceptions taken since exc_clear() */
    int vector;         /* index 0..15 in the vector table */
    uint64_t esr, far, elr, spsr;
    /* The first exception since exc_clear() (e.g. a fault at EL0 that is
     * followed by the SVC returning from EL0). */
    int first_vector;
    uint64_t first_esr, first_far, first_elr;
};
extern volatile struct exc_record exc_last;
void exc_clear(void);

/*
 * Optional hook, called for every exception after recording it.  Return
 * non-zero if it handled the frame (adjusted elr etc.); zero to get the
 * default: synchronous exceptions are skipped (elr += 4, except SVC/HVC whose
 * elr already points past them; instruction aborts return to x30), SVC
 * #0xe0 from EL0 returns from run_el0(), anything else is fatal.
 */
typedef int (*exc_hook_fn)(struct exc_frame *f, int vector);
extern exc_hook_fn exc_hook;

#define ESR_EC(esr)   (((esr) >> 26) & 0x3f)
#define ESR_ISS(esr)  ((esr) & 0x1ffffff)
#define EC_UNKNOWN    0x00
#define EC_FP_TRAP    0x07
#define EC_ILLEGAL    0x0e
#define EC_SVC64      0x15
#define EC_HVC64      0x16
#define EC_SYS64      0x18
#define EC_IABT_LOW   0x20
#define EC_IABT_CUR   0x21
#define EC_PC_ALIGN   0x22
#define EC_DABT_LOW   0x24
#define EC_DABT_CUR   0x25
#define EC_SP_ALIGN   0x26
#define EC_BRK64      0x3c

uint64_t run_el0(uint64_t (*fn)(uint64_t), uint64_t arg, void *sp);
extern char __el0_stack_top[];
extern uint64_t boot_current_el;

static inline __attribute__((noreturn)) void el0_return(uint64_t v)
{
    register uint64_t x0 __asm__("x0") = v;
    __asm__ volatile("svc #0xe0" : : "r"(x0) : "memory");
    __builtin_unreachable();
}

/*
 * Turn the MMU on with a minimal identity map: 4K granule, 39-bit VA, two
 * 1GB level-1 blocks: [0, 1GB) Device-nGnRnE (the devices) and [1GB, 2GB)
 * Normal write-back (RAM), both EL1-only.  For tests whose instructions are
 * only architecturally defined on Normal memory (exclusives, atomics,
 * unaligned accesses).  mmu_identity_off() undoes it.
 */
void mmu_identity_on(void);
void mmu_identity_off(void);

#define READ_SYSREG(r) ({ uint64_t _v; __asm__ volatile("mrs %0, " #r : "=r"(_v)); _v; })
#define WRITE_SYSREG(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define ISB() __asm__ volatile("isb" ::: "memory")
#define DSB() __asm__ volatile("dsb sy" ::: "memory")

#endif
