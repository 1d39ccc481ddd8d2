/*
 * Helpers shared by the FP tests: FPCR/FPSR access and bit-pattern checks.
 */
#ifndef TCG_AARCH64_FP_H
#define TCG_AARCH64_FP_H

#include "lib.h"

#define FPSR_IOC  (1u << 0)
#define FPSR_DZC  (1u << 1)
#define FPSR_OFC  (1u << 2)
#define FPSR_UFC  (1u << 3)
#define FPSR_IXC  (1u << 4)
#define FPSR_IDC  (1u << 7)
#define FPSR_QC   (1u << 27)
#define FPCR_RN   (0u << 22)
#define FPCR_RP   (1u << 22)
#define FPCR_RM   (2u << 22)
#define FPCR_RZ   (3u << 22)
#define FPCR_FZ   (1u << 24)
#define FPCR_DN   (1u << 25)
#define FPCR_AHP  (1u << 26)

static inline void set_fpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0\n\tisb" : : "r"(v) : "memory"); }
static inline uint64_t get_fpsr(void) { uint64_t v; __asm__ volatile("mrs %0, fpsr" : "=r"(v) : : "memory"); return v; }
static inline void clr_fpsr(void) { __asm__ volatile("msr fpsr, xzr" : : : "memory"); }

/* Result bits and FPSR flags in one line. */
static inline int check_fp(const char *name, uint64_t got, uint64_t exp, uint64_t flags, uint64_t exp_flags)
{
    checks_run++;
    if (got == exp && flags == exp_flags) {
        printf("%s: 0x%016lx fpsr 0x%02lx PASS\n", name, got, flags);
        return 1;
    }
    checks_failed++;
    printf("%s: got 0x%016lx fpsr 0x%02lx expected 0x%016lx fpsr 0x%02lx FAIL\n",
           name, got, flags, exp, exp_flags);
    return 0;
}

#endif
