/*
 * Scalar floating point helpers (half, single, double).
 *
 * Every result and every FPSR cumulative flag comes from the software IEEE
 * library in fpu/ (docs/softfloat.md), configured from FPCR on each call
 * (float_status_from_arm_fpcr: RMode, FZ, DN; AHP is an argument of the
 * half conversions) and folded back into FPSR (float_status_arm_fpsr).
 * Nothing here touches the host FPU, so Arm's rules hold whatever the
 * host does: tininess before rounding (UFC for a result that rounds up to
 * the smallest normal), FZ on inputs (IDC) and outputs (UFC without IXC),
 * FPProcessNaNs and the default NaN, FPToFixed saturation, round to odd.
 *
 * There is deliberately no host-FPU fast path.  A softfloat operation
 * costs 10-20 ns (docs/softfloat.md); the host path it replaced needed
 * fesetround/feclearexcept/fetestexcept around every operation and was an
 * order of magnitude slower (a guest loop of scalar FP ops: ~19 ns per
 * instruction now, ~215 ns before).  A fast path could only save a few ns
 * per operation in RMode RN, and the Linux boot benchmark makes ~10^6 FP
 * helper calls in total: nothing to gain worth a second code path.
 */
#include "turtle/osdep.h"
#include "target/arm/cpu.h"
#include "fpu/softfloat.h"
#include "fpu/softfloat-arm.h"

#define HELPER_H "target/arm/helper.h"
#include "tcg/helper-proto.h"

#define FPCR_AHP (1u << 26)

/* The status for single/double arithmetic and FP<->FP conversions (FZ). */
static inline void fpst_init(float_status *s, CPUARMState *env)
{
    float_status_from_arm_fpcr(s, env->fpcr, false);
}

static inline void fpst_done(float_status *s, CPUARMState *env)
{
    env->fpsr |= float_status_arm_fpsr(s);
}

/* rmode 0-4 = FRINT<N,P,M,Z,A> / FCVT<N,P,M,Z,A>: the float_round_* values */
static FloatRoundMode desc_rmode(CPUARMState *env, int rmode)
{
    return rmode > 4 ? (FloatRoundMode)((env->fpcr >> 22) & 3)
                     : (FloatRoundMode)rmode;
}

#define BINOP(name, fn, post)                                                 \
uint32_t HELPER(vfp_##name##s)(CPUARMState *env, uint32_t a, uint32_t b)     \
{                                                                             \
    float_status s;                                                           \
    uint32_t r;                                                               \
                                                                              \
    fpst_init(&s, env);                                                       \
    r = float32_##fn(a, b, &s) ^ ((post) ? 0x80000000u : 0);                  \
    fpst_done(&s, env);                                                       \
    return r;                                                                 \
}                                                                             \
uint64_t HELPER(vfp_##name##d)(CPUARMState *env, uint64_t a, uint64_t b)     \
{                                                                             \
    float_status s;                                                           \
    uint64_t r;                                                               \
                                                                              \
    fpst_init(&s, env);                                                       \
    r = float64_##fn(a, b, &s) ^ ((post) ? 1ull << 63 : 0);                   \
    fpst_done(&s, env);                                                       \
    return r;                                                                 \
}
BINOP(add, add, false)
BINOP(sub, sub, false)
BINOP(mul, mul, false)
BINOP(div, div, false)
/* FNMUL: FPNeg(FPMul()), the sign of a NaN result flipped too */
BINOP(nmul, mul, true)
BINOP(max, max, false)
BINOP(min, min, false)
BINOP(maxnm, maxnum, false)
BINOP(minnm, minnum, false)
#undef BINOP

uint32_t HELPER(vfp_sqrts)(CPUARMState *env, uint32_t a)
{
    float_status s;
    uint32_t r;

    fpst_init(&s, env);
    r = float32_sqrt(a, &s);
    fpst_done(&s, env);
    return r;
}

uint64_t HELPER(vfp_sqrtd)(CPUARMState *env, uint64_t a)
{
    float_status s;
    uint64_t r;

    fpst_init(&s, env);
    r = float64_sqrt(a, &s);
    fpst_done(&s, env);
    return r;
}

/*
 * FPMulAdd(addend, op1, op2): addend + op1 * op2, one rounding.  FMSUB,
 * FNMADD, FNMSUB and FMLS negate operands before the call (FPNeg, NaNs
 * included), which is what the pseudocode does.
 */
uint32_t HELPER(vfp_muladds)(CPUARMState *env, uint32_t a, uint32_t n,
                             uint32_t m)
{
    float_status s;
    uint32_t r;

    fpst_init(&s, env);
    r = float32_muladd(n, m, a, 0, &s);
    fpst_done(&s, env);
    return r;
}

uint64_t HELPER(vfp_muladdd)(CPUARMState *env, uint64_t a, uint64_t n,
                             uint64_t m)
{
    float_status s;
    uint64_t r;

    fpst_init(&s, env);
    r = float64_muladd(n, m, a, 0, &s);
    fpst_done(&s, env);
    return r;
}

/* ---- compare: returns NZCV in bits 31:28 (FPCompare, e = FCMPE) ---- */

static uint32_t nzcv_of(FloatRelation rel)
{
    switch (rel) {
    case float_relation_equal:
        return 0x60000000;
    case float_relation_less:
        return 0x80000000;
    case float_relation_greater:
        return 0x20000000;
    default:
        return 0x30000000;
    }
}

uint32_t HELPER(vfp_cmps)(CPUARMState *env, uint32_t a, uint32_t b,
                          uint32_t e)
{
    float_status s;
    FloatRelation rel;

    fpst_init(&s, env);
    rel = e ? float32_compare(a, b, &s) : float32_compare_quiet(a, b, &s);
    fpst_done(&s, env);
    return nzcv_of(rel);
}

uint32_t HELPER(vfp_cmpd)(CPUARMState *env, uint64_t a, uint64_t b,
                          uint32_t e)
{
    float_status s;
    FloatRelation rel;

    fpst_init(&s, env);
    rel = e ? float64_compare(a, b, &s) : float64_compare_quiet(a, b, &s);
    fpst_done(&s, env);
    return nzcv_of(rel);
}

/* ---- round to integral ---- */

/* desc: bit 0 double, bits 3:1 rmode (0-4 FRINT<N,P,M,Z,A>; 7 FPCR: FRINTI,
 * FRINTX), bit 4 exact (FRINTX: IXC when the value changes) */
uint64_t HELPER(vfp_rint)(CPUARMState *env, uint64_t a, uint32_t desc)
{
    FloatRoundMode rmode = desc_rmode(env, (desc >> 1) & 7);
    bool exact = desc & 16;
    float_status s;
    uint64_t r;

    fpst_init(&s, env);
    if (desc & 1) {
        r = float64_round_to_int_mode(a, rmode, exact, &s);
    } else {
        r = float32_round_to_int_mode(a, rmode, exact, &s);
    }
    fpst_done(&s, env);
    return r;
}

/* ---- fp -> integer (FPToFixed) ---- */

/*
 * desc: bit 0 double, bits 3:1 rmode (0-4; 7 = FPCR), bit 4 unsigned,
 * bit 5 64-bit result, bits 15:8 fraction bits
 */
uint64_t HELPER(vfp_f2i)(CPUARMState *env, uint64_t a, uint32_t desc)
{
    bool dbl = desc & 1, is_unsigned = desc & 16, is64 = desc & 32;
    FloatRoundMode rmode = desc_rmode(env, (desc >> 1) & 7);
    int fbits = (desc >> 8) & 0xff;
    float_status s;
    uint64_t r;

    fpst_init(&s, env);
    if (dbl) {
        r = is64 ? (is_unsigned ? float64_to_uint64_scalbn(a, rmode, fbits, &s)
                                : (uint64_t)float64_to_int64_scalbn(a, rmode, fbits, &s))
                 : (is_unsigned ? float64_to_uint32_scalbn(a, rmode, fbits, &s)
                                : (uint32_t)float64_to_int32_scalbn(a, rmode, fbits, &s));
    } else {
        r = is64 ? (is_unsigned ? float32_to_uint64_scalbn(a, rmode, fbits, &s)
                                : (uint64_t)float32_to_int64_scalbn(a, rmode, fbits, &s))
                 : (is_unsigned ? float32_to_uint32_scalbn(a, rmode, fbits, &s)
                                : (uint32_t)float32_to_int32_scalbn(a, rmode, fbits, &s));
    }
    fpst_done(&s, env);
    return r;
}

/* ---- integer -> fp: desc bit 0 double, 1 64-bit src, 2 unsigned,
 * bits 15:8 fraction bits; rounded once in FPCR's mode ---- */
uint64_t HELPER(vfp_i2f)(CPUARMState *env, uint64_t a, uint32_t desc)
{
    bool dbl = desc & 1, is64 = desc & 2, is_unsigned = desc & 4;
    int scale = -((desc >> 8) & 0xff);
    float_status s;
    uint64_t r;

    if (!is64) {
        a = is_unsigned ? (uint64_t)(uint32_t)a :
                          (uint64_t)(int64_t)(int32_t)a;
    }
    fpst_init(&s, env);
    if (is_unsigned) {
        r = dbl ? uint64_to_float64_scalbn(a, scale, &s)
                : uint64_to_float32_scalbn(a, scale, &s);
    } else {
        r = dbl ? int64_to_float64_scalbn((int64_t)a, scale, &s)
                : int64_to_float32_scalbn((int64_t)a, scale, &s);
    }
    fpst_done(&s, env);
    return r;
}

/* ---- precision conversion: from/to 0 single, 1 double, 3 half ---- */

uint64_t HELPER(vfp_fcvt)(CPUARMState *env, uint64_t a, uint32_t from,
                          uint32_t to)
{
    bool ieee = !(env->fpcr & FPCR_AHP);
    float_status s;
    uint64_t r = a;

    /* the half side is never flushed, the single/double side follows FZ */
    fpst_init(&s, env);
    switch (((from & 3) << 2) | (to & 3)) {
    case (0 << 2) | 1:
        r = float32_to_float64(a, &s);
        break;
    case (1 << 2) | 0:
        r = float64_to_float32(a, &s);
        break;
    case (0 << 2) | 3:
        r = float32_to_float16(a, ieee, &s);
        break;
    case (1 << 2) | 3:
        r = float64_to_float16(a, ieee, &s);
        break;
    case (3 << 2) | 0:
        r = float16_to_float32(a, ieee, &s);
        break;
    case (3 << 2) | 1:
        r = float16_to_float64(a, ieee, &s);
        break;
    default:
        break;                          /* same format: the decoder never asks */
    }
    fpst_done(&s, env);
    return r;
}
