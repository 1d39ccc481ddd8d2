/*
 * Tininess before rounding and flush to zero at the smallest normal.
 *
 * Arm detects underflow before rounding (Arm ARM FPRound: UFC when the
 * exact result is below 2^Emin and inexact), x86 SSE after rounding.
 * A product whose exact value is just below the smallest normal and that
 * rounds up to it therefore sets UFC on Arm (and is flushed to zero under
 * FPCR.FZ, UFC without IXC).  Also FZ on inputs of FMULX and FRECPS, whose
 * inf * 0 special case applies after a denormal operand is flushed.
 * Expected output from qemu-system-aarch64 (cortex-a57).
 *
 * Built without FP in the compiler (not in the Makefile's FP_TESTS), so
 * FP/SIMD is enabled here and only inline assembly touches FP registers.
 */
#include "fp.h"

#define S_A      0x20000001u   /* (1 + 2^-23) * 2^-63 */
#define S_B      0x1ffffffeu   /* (1 - 2^-23) * 2^-63: a*b = (1 - 2^-46) * 2^-126 */
#define S_MIN    0x00800000u   /* 2^-126 */
#define S_1P     0x3f800001u   /* 1 + 2^-23 */
#define S_DEN    0x00000001u
#define S_INF    0x7f800000u
#define D_A      0x2000000000000001ull  /* (1 + 2^-52) * 2^-511 */
#define D_B      0x1ffffffffffffffeull  /* (1 - 2^-52) * 2^-511 */

static uint64_t flags;

#define RUN(fpcr, body)                                                   \
    do {                                                                  \
        set_fpcr(fpcr);                                                   \
        clr_fpsr();                                                       \
        body;                                                             \
        flags = get_fpsr();                                               \
        set_fpcr(0);                                                      \
    } while (0)

static uint64_t s3(const char *insn, uint32_t a, uint32_t b, uint64_t fpcr)
{
    uint32_t r = 0;

#define S3(i) __asm__ volatile("fmov s1, %w1\n\tfmov s2, %w2\n\t" i " s0, s1, s2\n\tfmov %w0, s0" \
                               : "=r"(r) : "r"(a), "r"(b))
    if (insn[0] == 'm') {
        RUN(fpcr, S3("fmul"));
    } else if (insn[0] == 'd') {
        RUN(fpcr, S3("fdiv"));
    } else if (insn[0] == 'x') {
        RUN(fpcr, S3("fmulx"));
    } else {
        RUN(fpcr, S3("frecps"));
    }
#undef S3
    return r;
}

static uint64_t fmadd_s(uint32_t a, uint32_t b, uint32_t c, uint64_t fpcr)
{
    uint32_t r = 0;

    RUN(fpcr, __asm__ volatile("fmov s1, %w1\n\tfmov s2, %w2\n\tfmov s3, %w3\n\t"
                               "fmadd s0, s1, s2, s3\n\tfmov %w0, s0"
                               : "=r"(r) : "r"(a), "r"(b), "r"(c)));
    return r;
}

/* fmul v0.4s (lane 0 checked): the AdvSIMD path */
static uint64_t vmul_s(uint32_t a, uint32_t b, uint64_t fpcr)
{
    uint32_t r = 0;

    RUN(fpcr, __asm__ volatile("dup v1.4s, %w1\n\tdup v2.4s, %w2\n\t"
                               "fmul v0.4s, v1.4s, v2.4s\n\tfmov %w0, s0"
                               : "=r"(r) : "r"(a), "r"(b)));
    return r;
}

static uint64_t fmul_d(uint64_t a, uint64_t b, uint64_t fpcr)
{
    uint64_t r = 0;

    RUN(fpcr, __asm__ volatile("fmov d1, %1\n\tfmov d2, %2\n\t"
                               "fmul d0, d1, d2\n\tfmov %0, d0"
                               : "=r"(r) : "r"(a), "r"(b)));
    return r;
}

int main(void)
{
    uint64_t r;

    __asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(3ull << 20));
    printf("fp-tiny: start at EL%d\n", (int)(boot_current_el >> 2));

    r = s3("mul", S_A, S_B, FPCR_RN);
    check_fp("fmul s tiny->min RN", r, S_MIN, flags, FPSR_UFC | FPSR_IXC);
    r = s3("mul", S_A, S_B, FPCR_RP);
    check_fp("fmul s tiny->min RP", r, S_MIN, flags, FPSR_UFC | FPSR_IXC);
    r = s3("mul", S_A, S_B, FPCR_RZ);
    check_fp("fmul s tiny RZ", r, 0x007fffff, flags, FPSR_UFC | FPSR_IXC);
    r = s3("mul", S_A | 0x80000000u, S_B, FPCR_RM);
    check_fp("fmul s -tiny->-min RM", r, 0x80800000u, flags, FPSR_UFC | FPSR_IXC);
    r = s3("mul", S_A, S_B, FPCR_RN | FPCR_FZ);
    check_fp("fmul s tiny->min RN FZ", r, 0, flags, FPSR_UFC);
    r = s3("mul", S_A | 0x80000000u, S_B, FPCR_RP | FPCR_FZ);
    check_fp("fmul s -tiny RP FZ", r, 0x80000000u, flags, FPSR_UFC);
    r = s3("div", S_MIN, S_1P, FPCR_RP);
    check_fp("fdiv s tiny->min RP", r, S_MIN, flags, FPSR_UFC | FPSR_IXC);
    r = s3("div", S_MIN, S_1P, FPCR_RN);
    check_fp("fdiv s tiny RN", r, 0x007fffff, flags, FPSR_UFC | FPSR_IXC);
    r = fmadd_s(S_A, S_B, 0, FPCR_RN);
    check_fp("fmadd s tiny->min RN", r, S_MIN, flags, FPSR_UFC | FPSR_IXC);
    r = fmadd_s(S_A, S_B, 0, FPCR_RN | FPCR_FZ);
    check_fp("fmadd s tiny->min RN FZ", r, 0, flags, FPSR_UFC);
    r = vmul_s(S_A, S_B, FPCR_RN);
    check_fp("fmul v.4s tiny->min RN", r, S_MIN, flags, FPSR_UFC | FPSR_IXC);
    r = vmul_s(S_A, S_B, FPCR_RN | FPCR_FZ);
    check_fp("fmul v.4s tiny->min RN FZ", r, 0, flags, FPSR_UFC);
    r = fmul_d(D_A, D_B, FPCR_RN);
    check_fp("fmul d tiny->min RN", r, 0x0010000000000000ull, flags,
             FPSR_UFC | FPSR_IXC);
    r = fmul_d(D_A, D_B, FPCR_RN | FPCR_FZ);
    check_fp("fmul d tiny->min RN FZ", r, 0, flags, FPSR_UFC);
    r = s3("mul", 0x20000000u, 0x1f800000u, FPCR_RN | FPCR_FZ);
    check_fp("fmul s exact 2^-127 FZ", r, 0, flags, FPSR_UFC);
    r = s3("mul", 0x20000000u, 0x1f800000u, FPCR_RN);
    check_fp("fmul s exact 2^-127", r, 0x00400000, flags, 0);
    /* FZ flushes the denormal first, then inf * 0 is the special case */
    r = s3("x", S_DEN, S_INF, FPCR_RN | FPCR_FZ);
    check_fp("fmulx s denorm * inf FZ", r, 0x40000000u, flags, FPSR_IDC);
    r = s3("recps", S_DEN, S_INF, FPCR_RN | FPCR_FZ);
    check_fp("frecps s denorm, inf FZ", r, 0x40000000u, flags, FPSR_IDC);
    test_done();
}
