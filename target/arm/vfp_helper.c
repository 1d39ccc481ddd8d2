/*
 * Scalar floating point helpers (single, double; half for conversions).
 *
 * The arithmetic itself (add, sub, mul, div, sqrt, fused multiply-add,
 * round to integral, int->fp) runs on the host FPU under the rounding
 * mode FPCR.RMode selects (fesetround), with the host exception flags
 * mapped to FPSR.  Both hosts we run on (x86-64 SSE, and any IEEE 754
 * FPU with fenv) give correctly rounded results and the same IOC/DZC/
 * OFC/IXC for these operations.  Everything where Arm differs from the
 * host is done here in software before or after the host operation:
 *   - NaN propagation and default NaN (Arm ARM FPProcessNaNs: first
 *     signalling NaN, else first quiet NaN; FPCR.DN),
 *   - FPCR.FZ on inputs (IDC) and outputs (UFC, no IXC),
 *   - min/max, compares, fp->int conversions (saturation rules), and
 *     every precision conversion (software round_pack, with AHP).
 * Known gap: Arm detects underflow before rounding, SSE after; a result
 * that rounds up to the smallest normal sets UFC on Arm but not here.
 */
#include "turtle/osdep.h"
#include "target/arm/cpu.h"
#include <fenv.h>
#include <math.h>

#define HELPER_H "target/arm/helper.h"
#include "tcg/helper-proto.h"

#define FPSR_IOC 0x01
#define FPSR_DZC 0x02
#define FPSR_OFC 0x04
#define FPSR_UFC 0x08
#define FPSR_IXC 0x10
#define FPSR_IDC 0x80

#define FPCR_AHP (1u << 26)
#define FPCR_DN  (1u << 25)
#define FPCR_FZ  (1u << 24)

enum { RM_N, RM_P, RM_M, RM_Z, RM_A };

static int fpcr_rmode(CPUARMState *env)
{
    return (env->fpcr >> 22) & 3;
}

static const int fe_mode[4] = {
    FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO
};

typedef struct FPRun {
    int saved_round;
} FPRun;

static void fp_begin(FPRun *r, int rmode)
{
    r->saved_round = fegetround();
    fesetround(fe_mode[rmode & 3]);
    feclearexcept(FE_ALL_EXCEPT);
}

static uint32_t fp_end(FPRun *r)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    uint32_t f = 0;

    fesetround(r->saved_round);
    feclearexcept(FE_ALL_EXCEPT);
    f |= (e & FE_INVALID) ? FPSR_IOC : 0;
    f |= (e & FE_DIVBYZERO) ? FPSR_DZC : 0;
    f |= (e & FE_OVERFLOW) ? FPSR_OFC : 0;
    f |= (e & FE_UNDERFLOW) ? FPSR_UFC : 0;
    f |= (e & FE_INEXACT) ? FPSR_IXC : 0;
    return f;
}

/* ---- per-format bit twiddling ---- */

#define F32_EXP(x)   (((x) >> 23) & 0xff)
#define F32_FRAC(x)  ((x) & 0x7fffff)
#define F64_EXP(x)   (((x) >> 52) & 0x7ff)
#define F64_FRAC(x)  ((x) & 0xfffffffffffffull)

static bool f32_is_nan(uint32_t x) { return F32_EXP(x) == 0xff && F32_FRAC(x); }
static bool f32_is_snan(uint32_t x) { return f32_is_nan(x) && !(x & 0x400000); }
static bool f32_is_denorm(uint32_t x) { return F32_EXP(x) == 0 && F32_FRAC(x); }
static bool f64_is_nan(uint64_t x) { return F64_EXP(x) == 0x7ff && F64_FRAC(x); }
static bool f64_is_snan(uint64_t x)
{
    return f64_is_nan(x) && !(x & 0x8000000000000ull);
}
static bool f64_is_denorm(uint64_t x) { return F64_EXP(x) == 0 && F64_FRAC(x); }

static float u2f(uint32_t x) { float f; memcpy(&f, &x, 4); return f; }
static uint32_t f2u(float f) { uint32_t x; memcpy(&x, &f, 4); return x; }
static double u2d(uint64_t x) { double d; memcpy(&d, &x, 8); return d; }
static uint64_t d2u(double d) { uint64_t x; memcpy(&x, &d, 8); return x; }

#define F32_DEFAULT_NAN 0x7fc00000u
#define F64_DEFAULT_NAN 0x7ff8000000000000ull

static uint32_t f32_in(CPUARMState *env, uint32_t x, uint32_t *flags)
{
    if ((env->fpcr & FPCR_FZ) && f32_is_denorm(x)) {
        *flags |= FPSR_IDC;
        return x & 0x80000000u;
    }
    return x;
}

static uint64_t f64_in(CPUARMState *env, uint64_t x, uint32_t *flags)
{
    if ((env->fpcr & FPCR_FZ) && f64_is_denorm(x)) {
        *flags |= FPSR_IDC;
        return x & 0x8000000000000000ull;
    }
    return x;
}

/* host result -> Arm: default NaN for invalid results, FZ on outputs */
static uint32_t f32_out(CPUARMState *env, uint32_t r, uint32_t *flags)
{
    if (f32_is_nan(r)) {
        return F32_DEFAULT_NAN;         /* inputs were not NaNs here */
    }
    if ((env->fpcr & FPCR_FZ) &&
        (f32_is_denorm(r) || (!(r << 1) && (*flags & FPSR_UFC)))) {
        *flags = (*flags & ~FPSR_IXC) | FPSR_UFC;
        return r & 0x80000000u;
    }
    return r;
}

static uint64_t f64_out(CPUARMState *env, uint64_t r, uint32_t *flags)
{
    if (f64_is_nan(r)) {
        return F64_DEFAULT_NAN;
    }
    if ((env->fpcr & FPCR_FZ) &&
        (f64_is_denorm(r) || (!(r << 1) && (*flags & FPSR_UFC)))) {
        *flags = (*flags & ~FPSR_IXC) | FPSR_UFC;
        return r & 0x8000000000000000ull;
    }
    return r;
}

/* FPProcessNaNs(3): true if a NaN decided the result */
static bool f32_nans(CPUARMState *env, int n, const uint32_t *op,
                     uint32_t *res, uint32_t *flags)
{
    int pick = -1;

    for (int i = 0; i < n && pick < 0; i++) {
        if (f32_is_snan(op[i])) {
            pick = i;
            *flags |= FPSR_IOC;
        }
    }
    for (int i = 0; i < n && pick < 0; i++) {
        if (f32_is_nan(op[i])) {
            pick = i;
        }
    }
    if (pick < 0) {
        return false;
    }
    *res = (env->fpcr & FPCR_DN) ? F32_DEFAULT_NAN : op[pick] | 0x400000;
    return true;
}

static bool f64_nans(CPUARMState *env, int n, const uint64_t *op,
                     uint64_t *res, uint32_t *flags)
{
    int pick = -1;

    for (int i = 0; i < n && pick < 0; i++) {
        if (f64_is_snan(op[i])) {
            pick = i;
            *flags |= FPSR_IOC;
        }
    }
    for (int i = 0; i < n && pick < 0; i++) {
        if (f64_is_nan(op[i])) {
            pick = i;
        }
    }
    if (pick < 0) {
        return false;
    }
    *res = (env->fpcr & FPCR_DN) ? F64_DEFAULT_NAN :
           op[pick] | 0x8000000000000ull;
    return true;
}

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NMUL, OP_FMA };

static float f32_compute(float a, float b, float c, int op, int rmode,
                         uint32_t *flags)
{
    volatile float x = a, y = b, w = c, z;
    FPRun run;

    fp_begin(&run, rmode);
    switch (op) {
    case OP_ADD:
        z = x + y;
        break;
    case OP_SUB:
        z = x - y;
        break;
    case OP_DIV:
        z = x / y;
        break;
    case OP_FMA:
        z = fmaf(x, y, w);
        break;
    default:
        z = x * y;
        break;
    }
    *flags |= fp_end(&run);
    return z;
}

static double f64_compute(double a, double b, double c, int op, int rmode,
                          uint32_t *flags)
{
    volatile double x = a, y = b, w = c, z;
    FPRun run;

    fp_begin(&run, rmode);
    switch (op) {
    case OP_ADD:
        z = x + y;
        break;
    case OP_SUB:
        z = x - y;
        break;
    case OP_DIV:
        z = x / y;
        break;
    case OP_FMA:
        z = fma(x, y, w);
        break;
    default:
        z = x * y;
        break;
    }
    *flags |= fp_end(&run);
    return z;
}

/*
 * Arm detects tininess before rounding: an inexact result that rounded up
 * to the smallest normal was tiny if it is below it when rounded to zero.
 */
static uint32_t f32_tiny_fixup(CPUARMState *env, uint32_t r, float a,
                               float b, float c, int op, uint32_t *flags)
{
    uint32_t rz_flags = 0;
    float rz;

    if ((r & 0x7fffffff) != 0x00800000 || !(*flags & FPSR_IXC)) {
        return r;
    }
    rz = f32_compute(a, b, c, op, RM_Z, &rz_flags);
    if ((f2u(rz) & 0x7fffffff) >= 0x00800000) {
        return r;
    }
    if (env->fpcr & FPCR_FZ) {
        *flags = (*flags & ~FPSR_IXC) | FPSR_UFC;
        return r & 0x80000000u;
    }
    *flags |= FPSR_UFC;
    return r;
}

static uint64_t f64_tiny_fixup(CPUARMState *env, uint64_t r, double a,
                               double b, double c, int op, uint32_t *flags)
{
    uint32_t rz_flags = 0;
    double rz;

    if ((r & ~(1ull << 63)) != 0x0010000000000000ull ||
        !(*flags & FPSR_IXC)) {
        return r;
    }
    rz = f64_compute(a, b, c, op, RM_Z, &rz_flags);
    if ((d2u(rz) & ~(1ull << 63)) >= 0x0010000000000000ull) {
        return r;
    }
    if (env->fpcr & FPCR_FZ) {
        *flags = (*flags & ~FPSR_IXC) | FPSR_UFC;
        return r & (1ull << 63);
    }
    *flags |= FPSR_UFC;
    return r;
}

static uint32_t f32_binop(CPUARMState *env, uint32_t a, uint32_t b, int op)
{
    uint32_t flags = 0, r, ops[2];
    int cop = op == OP_NMUL ? OP_MUL : op;

    ops[0] = a = f32_in(env, a, &flags);
    ops[1] = b = f32_in(env, b, &flags);
    if (f32_nans(env, 2, ops, &r, &flags)) {
        env->fpsr |= flags;
        return op == OP_NMUL ? r ^ 0x80000000u : r;
    }
    r = f2u(f32_compute(u2f(a), u2f(b), 0, cop, fpcr_rmode(env), &flags));
    r = f32_out(env, r, &flags);
    r = f32_tiny_fixup(env, r, u2f(a), u2f(b), 0, cop, &flags);
    if (op == OP_NMUL) {
        r ^= 0x80000000u;
    }
    env->fpsr |= flags;
    return r;
}

static uint64_t f64_binop(CPUARMState *env, uint64_t a, uint64_t b, int op)
{
    uint32_t flags = 0;
    uint64_t r, ops[2];
    int cop = op == OP_NMUL ? OP_MUL : op;

    ops[0] = a = f64_in(env, a, &flags);
    ops[1] = b = f64_in(env, b, &flags);
    if (f64_nans(env, 2, ops, &r, &flags)) {
        env->fpsr |= flags;
        return op == OP_NMUL ? r ^ 0x8000000000000000ull : r;
    }
    r = d2u(f64_compute(u2d(a), u2d(b), 0, cop, fpcr_rmode(env), &flags));
    r = f64_out(env, r, &flags);
    r = f64_tiny_fixup(env, r, u2d(a), u2d(b), 0, cop, &flags);
    if (op == OP_NMUL) {
        r ^= 0x8000000000000000ull;
    }
    env->fpsr |= flags;
    return r;
}

#define BINOP(name, op) \
uint32_t HELPER(vfp_##name##s)(CPUARMState *env, uint32_t a, uint32_t b) \
{ \
    return f32_binop(env, a, b, op); \
} \
uint64_t HELPER(vfp_##name##d)(CPUARMState *env, uint64_t a, uint64_t b) \
{ \
    return f64_binop(env, a, b, op); \
}
BINOP(add, OP_ADD)
BINOP(sub, OP_SUB)
BINOP(mul, OP_MUL)
BINOP(div, OP_DIV)
BINOP(nmul, OP_NMUL)

uint32_t HELPER(vfp_sqrts)(CPUARMState *env, uint32_t a)
{
    uint32_t flags = 0, r;
    volatile float x, z;
    FPRun run;

    a = f32_in(env, a, &flags);
    if (f32_nans(env, 1, &a, &r, &flags)) {
        env->fpsr |= flags;
        return r;
    }
    x = u2f(a);
    fp_begin(&run, fpcr_rmode(env));
    z = sqrtf(x);
    flags |= fp_end(&run);
    r = f32_out(env, f2u(z), &flags);
    env->fpsr |= flags;
    return r;
}

uint64_t HELPER(vfp_sqrtd)(CPUARMState *env, uint64_t a)
{
    uint32_t flags = 0;
    uint64_t r;
    volatile double x, z;
    FPRun run;

    a = f64_in(env, a, &flags);
    if (f64_nans(env, 1, &a, &r, &flags)) {
        env->fpsr |= flags;
        return r;
    }
    x = u2d(a);
    fp_begin(&run, fpcr_rmode(env));
    z = sqrt(x);
    flags |= fp_end(&run);
    r = f64_out(env, d2u(z), &flags);
    env->fpsr |= flags;
    return r;
}

/* FPMulAdd(addend, op1, op2): addend + op1 * op2, one rounding */
uint32_t HELPER(vfp_muladds)(CPUARMState *env, uint32_t a, uint32_t n,
                             uint32_t m)
{
    uint32_t flags = 0, r, ops[3];

    ops[0] = a = f32_in(env, a, &flags);
    ops[1] = n = f32_in(env, n, &flags);
    ops[2] = m = f32_in(env, m, &flags);
    if (f32_is_nan(a) && !f32_is_snan(a) && !f32_is_nan(n) &&
        !f32_is_nan(m) &&
        ((F32_EXP(n) == 0xff && !(m << 1)) ||
         (F32_EXP(m) == 0xff && !(n << 1)))) {
        env->fpsr |= flags | FPSR_IOC;  /* inf * 0 + qNaN */
        return F32_DEFAULT_NAN;
    }
    if (f32_nans(env, 3, ops, &r, &flags)) {
        env->fpsr |= flags;
        return r;
    }
    r = f2u(f32_compute(u2f(n), u2f(m), u2f(a), OP_FMA, fpcr_rmode(env),
                        &flags));
    r = f32_out(env, r, &flags);
    r = f32_tiny_fixup(env, r, u2f(n), u2f(m), u2f(a), OP_FMA, &flags);
    env->fpsr |= flags;
    return r;
}

uint64_t HELPER(vfp_muladdd)(CPUARMState *env, uint64_t a, uint64_t n,
                             uint64_t m)
{
    uint32_t flags = 0;
    uint64_t r, ops[3];

    ops[0] = a = f64_in(env, a, &flags);
    ops[1] = n = f64_in(env, n, &flags);
    ops[2] = m = f64_in(env, m, &flags);
    if (f64_is_nan(a) && !f64_is_snan(a) && !f64_is_nan(n) &&
        !f64_is_nan(m) &&
        ((F64_EXP(n) == 0x7ff && !(m << 1)) ||
         (F64_EXP(m) == 0x7ff && !(n << 1)))) {
        env->fpsr |= flags | FPSR_IOC;
        return F64_DEFAULT_NAN;
    }
    if (f64_nans(env, 3, ops, &r, &flags)) {
        env->fpsr |= flags;
        return r;
    }
    r = d2u(f64_compute(u2d(n), u2d(m), u2d(a), OP_FMA, fpcr_rmode(env),
                        &flags));
    r = f64_out(env, r, &flags);
    r = f64_tiny_fixup(env, r, u2d(n), u2d(m), u2d(a), OP_FMA, &flags);
    env->fpsr |= flags;
    return r;
}

/* ---- min/max (FPMax, FPMin, FPMaxNum, FPMinNum) ---- */

enum { MM_MAX, MM_MIN, MM_MAXNM, MM_MINNM };

static uint64_t minmax(CPUARMState *env, uint64_t a, uint64_t b, int op,
                       bool dbl)
{
    uint32_t flags = 0;
    uint64_t r, ops[2];
    uint64_t sign = dbl ? 1ull << 63 : 1ull << 31;
    bool an, bn, neg_a;
    double x, y;

    if (dbl) {
        a = f64_in(env, a, &flags);
        b = f64_in(env, b, &flags);
        an = f64_is_nan(a) && !f64_is_snan(a);
        bn = f64_is_nan(b) && !f64_is_snan(b);
    } else {
        a = f32_in(env, a, &flags);
        b = f32_in(env, b, &flags);
        an = f32_is_nan(a) && !f32_is_snan(a);
        bn = f32_is_nan(b) && !f32_is_snan(b);
    }
    if (op >= MM_MAXNM) {
        /* one quiet NaN: the other operand wins */
        bool as = dbl ? f64_is_snan(a) : f32_is_snan(a);
        bool bs = dbl ? f64_is_snan(b) : f32_is_snan(b);

        if (an && !bn && !bs) {
            a = b;
        } else if (bn && !an && !as) {
            b = a;
        }
    }
    ops[0] = a;
    ops[1] = b;
    if (dbl ? f64_nans(env, 2, ops, &r, &flags) :
              f32_nans(env, 2, (uint32_t[]){ a, b }, (uint32_t *)&r, &flags)) {
        if (!dbl) {
            r &= 0xffffffffu;
        }
        env->fpsr |= flags;
        return r;
    }
    env->fpsr |= flags;
    x = dbl ? u2d(a) : u2f(a);
    y = dbl ? u2d(b) : u2f(b);
    neg_a = a & sign;
    if (x == y) {
        /* equal (including +0 == -0): max prefers +0, min prefers -0 */
        if (op == MM_MAX || op == MM_MAXNM) {
            return neg_a ? b : a;
        }
        return neg_a ? a : b;
    }
    if (op == MM_MAX || op == MM_MAXNM) {
        return x > y ? a : b;
    }
    return x < y ? a : b;
}

#define MINMAX(name, op) \
uint32_t HELPER(vfp_##name##s)(CPUARMState *env, uint32_t a, uint32_t b) \
{ \
    return minmax(env, a, b, op, false); \
} \
uint64_t HELPER(vfp_##name##d)(CPUARMState *env, uint64_t a, uint64_t b) \
{ \
    return minmax(env, a, b, op, true); \
}
MINMAX(max, MM_MAX)
MINMAX(min, MM_MIN)
MINMAX(maxnm, MM_MAXNM)
MINMAX(minnm, MM_MINNM)

/* ---- compare: returns NZCV in bits 31:28 ---- */

static uint32_t do_cmp(CPUARMState *env, uint64_t a, uint64_t b, bool e,
                       bool dbl)
{
    uint32_t flags = 0;
    bool an, bn, as, bs;
    double x, y;

    if (dbl) {
        a = f64_in(env, a, &flags);
        b = f64_in(env, b, &flags);
        an = f64_is_nan(a);
        bn = f64_is_nan(b);
        as = f64_is_snan(a);
        bs = f64_is_snan(b);
        x = u2d(a);
        y = u2d(b);
    } else {
        a = f32_in(env, a, &flags);
        b = f32_in(env, b, &flags);
        an = f32_is_nan(a);
        bn = f32_is_nan(b);
        as = f32_is_snan(a);
        bs = f32_is_snan(b);
        x = u2f(a);
        y = u2f(b);
    }
    if (an || bn) {
        if (e || as || bs) {
            flags |= FPSR_IOC;
        }
        env->fpsr |= flags;
        return 0x30000000;
    }
    env->fpsr |= flags;
    if (x == y) {
        return 0x60000000;
    }
    return x < y ? 0x80000000 : 0x20000000;
}

uint32_t HELPER(vfp_cmps)(CPUARMState *env, uint32_t a, uint32_t b,
                          uint32_t e)
{
    return do_cmp(env, a, b, e, false);
}

uint32_t HELPER(vfp_cmpd)(CPUARMState *env, uint64_t a, uint64_t b,
                          uint32_t e)
{
    return do_cmp(env, a, b, e, true);
}

/* ---- round to integral ---- */

static double round_mode(double x, int rmode, bool *inexact)
{
    double r;

    switch (rmode) {
    case RM_N: {
        double f = floor(x), d = x - f;

        r = d > 0.5 ? f + 1 : d < 0.5 ? f : (fmod(f, 2) == 0 ? f : f + 1);
        break;
    }
    case RM_P:
        r = ceil(x);
        break;
    case RM_M:
        r = floor(x);
        break;
    case RM_Z:
        r = trunc(x);
        break;
    default:
        r = round(x);                   /* ties away from zero */
        break;
    }
    *inexact = r != x;
    return copysign(r, x);
}

/* rmode 0-4 as FRINT<N,P,M,Z,A>; 7: FPCR (FRINTI); exact: FRINTX */
uint64_t HELPER(vfp_rint)(CPUARMState *env, uint64_t a, uint32_t desc)
{
    bool dbl = desc & 1;
    int rmode = (desc >> 1) & 7;
    bool exact = desc & 16;
    uint32_t flags = 0;
    uint64_t r;
    bool inexact;
    double x;

    if (rmode > 4) {
        rmode = fpcr_rmode(env);
    }
    if (dbl) {
        a = f64_in(env, a, &flags);
        if (f64_nans(env, 1, &a, &r, &flags)) {
            env->fpsr |= flags;
            return r;
        }
        x = u2d(a);
    } else {
        uint32_t a32 = f32_in(env, a, &flags), r32;

        if (f32_nans(env, 1, &a32, &r32, &flags)) {
            env->fpsr |= flags;
            return r32;
        }
        a = a32;
        x = u2f(a32);
    }
    if (isinf(x) || x == 0) {
        env->fpsr |= flags;
        return a;
    }
    x = round_mode(x, rmode, &inexact);
    if (inexact && exact) {
        flags |= FPSR_IXC;
    }
    env->fpsr |= flags;
    return dbl ? d2u(x) : f2u((float)x);
}

/* ---- fp -> integer (FPToFixed) ---- */

/*
 * desc: bit 0 double, bits 3:1 rmode (0-4; 7 = FPCR), bit 4 unsigned,
 * bit 5 64-bit result, bits 15:8 fraction bits
 */
uint64_t HELPER(vfp_f2i)(CPUARMState *env, uint64_t a, uint32_t desc)
{
    bool dbl = desc & 1, is_unsigned = desc & 16, is64 = desc & 32;
    int rmode = (desc >> 1) & 7, fbits = (desc >> 8) & 0xff;
    uint32_t flags = 0;
    bool inexact, nan;
    double x;
    long double lim_hi, lim_lo, v;

    if (rmode > 4) {
        rmode = fpcr_rmode(env);
    }
    if (dbl) {
        a = f64_in(env, a, &flags);
        nan = f64_is_nan(a);
        x = u2d(a);
    } else {
        a = f32_in(env, a, &flags);
        nan = f32_is_nan(a);
        x = u2f(a);
    }
    if (nan) {
        env->fpsr |= flags | FPSR_IOC;
        return 0;
    }
    x = ldexp(x, fbits);                /* exact unless it overflows */
    x = round_mode(x, rmode, &inexact);
    if (is_unsigned) {
        lim_lo = 0;
        lim_hi = is64 ? 18446744073709551615.0L : 4294967295.0L;
    } else {
        lim_lo = is64 ? -9223372036854775808.0L : -2147483648.0L;
        lim_hi = is64 ? 9223372036854775807.0L : 2147483647.0L;
    }
    v = x;
    if (v > lim_hi || v < lim_lo) {
        env->fpsr |= flags | FPSR_IOC;
        v = v > lim_hi ? lim_hi : lim_lo;
    } else {
        env->fpsr |= flags | (inexact ? FPSR_IXC : 0);
    }
    if (is_unsigned) {
        return is64 ? (uint64_t)v : (uint32_t)v;
    }
    return is64 ? (uint64_t)(int64_t)v : (uint32_t)(int32_t)v;
}

/* ---- integer -> fp: desc bit 0 double, 1 64-bit src, 2 unsigned,
 * bits 15:8 fraction bits ---- */
uint64_t HELPER(vfp_i2f)(CPUARMState *env, uint64_t a, uint32_t desc)
{
    bool dbl = desc & 1, is64 = desc & 2, is_unsigned = desc & 4;
    int fbits = (desc >> 8) & 0xff;
    uint32_t flags;
    uint64_t r;
    FPRun run;

    if (!is64) {
        a = is_unsigned ? (uint64_t)(uint32_t)a :
                          (uint64_t)(int64_t)(int32_t)a;
    }
    fp_begin(&run, fpcr_rmode(env));
    if (fbits == 0) {
        if (dbl) {
            volatile double d = is_unsigned ? (double)a : (double)(int64_t)a;

            r = d2u(d);
        } else {
            volatile float f = is_unsigned ? (float)a : (float)(int64_t)a;

            r = f2u(f);
        }
    } else {
        /* a * 2^-fbits: long double holds any int64 exactly */
        volatile long double l = is_unsigned ? (long double)a :
                                               (long double)(int64_t)a;

        l = ldexpl(l, -fbits);
        if (dbl) {
            volatile double d = l;

            r = d2u(d);
        } else {
            volatile float f = l;

            r = f2u(f);
        }
    }
    flags = fp_end(&run);
    if (dbl) {
        r = f64_out(env, r, &flags);
    } else {
        r = f32_out(env, r, &flags);
    }
    env->fpsr |= flags;
    return r;
}

/* ---- precision conversion (software) ---- */

typedef struct FPFormat {
    int ebits, mbits;
} FPFormat;

static const FPFormat fmt_h = { 5, 10 }, fmt_s = { 8, 23 }, fmt_d = { 11, 52 };

/*
 * Round sign * sig * 2^(exp - 63) (sig normalized, bit 63 set) to fmt.
 * ahp: the Arm alternative half precision (no inf/NaN, exponent 31 normal).
 */
static uint64_t round_pack(CPUARMState *env, bool sign, int exp, uint64_t sig,
                           const FPFormat *f, bool ahp, uint32_t *flags)
{
    int bias = (1 << (f->ebits - 1)) - 1;
    int emax = ahp ? bias + 1 : bias;   /* largest unbiased exponent */
    int emin = 1 - bias;
    int rmode = fpcr_rmode(env);
    uint64_t keep, rem, half, sbit = (uint64_t)sign << (f->ebits + f->mbits);
    bool tiny = exp < emin, inc;
    int shift = 63 - f->mbits;

    if (tiny) {
        int d = emin - exp;

        if ((env->fpcr & FPCR_FZ) && f != &fmt_h) {
            *flags |= FPSR_UFC;
            return sbit;
        }
        sig = d >= 64 ? (sig != 0) : (sig >> d) | ((sig << (64 - d)) != 0);
        exp = emin;
    }
    keep = sig >> shift;
    rem = sig & ((1ull << shift) - 1);
    half = 1ull << (shift - 1);
    switch (rmode) {
    case RM_N:
        inc = rem > half || (rem == half && (keep & 1));
        break;
    case RM_P:
        inc = !sign && rem;
        break;
    case RM_M:
        inc = sign && rem;
        break;
    default:
        inc = false;
        break;
    }
    keep += inc;
    if (keep >> (f->mbits + 1)) {
        keep >>= 1;
        exp++;
    }
    if (exp > emax) {
        bool to_inf = rmode == RM_N || (rmode == RM_P && !sign) ||
                      (rmode == RM_M && sign);

        if (ahp) {
            *flags |= FPSR_IOC;
            return sbit | ((1ull << (f->ebits + f->mbits)) - 1);
        }
        *flags |= FPSR_OFC | FPSR_IXC;
        if (to_inf) {
            return sbit | ((((1ull << f->ebits) - 1)) << f->mbits);
        }
        return sbit | ((((1ull << f->ebits) - 2)) << f->mbits) |
               ((1ull << f->mbits) - 1);
    }
    if (rem) {
        *flags |= FPSR_IXC;
        if (tiny) {
            *flags |= FPSR_UFC;
        }
    }
    if (!(keep >> f->mbits)) {
        return sbit | keep;             /* subnormal or zero */
    }
    return sbit | ((uint64_t)(exp + bias) << f->mbits) |
           (keep & ((1ull << f->mbits) - 1));
}

static uint64_t fp_convert(CPUARMState *env, uint64_t a, const FPFormat *from,
                           const FPFormat *to)
{
    uint32_t flags = 0;
    int fbias = (1 << (from->ebits - 1)) - 1;
    uint64_t emask = (1ull << from->ebits) - 1;
    bool sign = (a >> (from->ebits + from->mbits)) & 1;
    int e = (a >> from->mbits) & emask;
    uint64_t frac = a & ((1ull << from->mbits) - 1);
    bool ahp_in = from == &fmt_h && (env->fpcr & FPCR_AHP);
    bool ahp_out = to == &fmt_h && (env->fpcr & FPCR_AHP);
    uint64_t tsign = (uint64_t)sign << (to->ebits + to->mbits);
    uint64_t r;

    if (from != &fmt_h && (env->fpcr & FPCR_FZ) && e == 0 && frac) {
        flags |= FPSR_IDC;
        frac = 0;
    }
    if (e == (int)emask && !ahp_in) {
        if (frac) {                     /* NaN */
            bool snan = !(frac >> (from->mbits - 1));

            if (snan) {
                flags |= FPSR_IOC;
            }
            if (ahp_out) {
                r = tsign;
                flags |= FPSR_IOC;
            } else if (env->fpcr & FPCR_DN) {
                r = (((1ull << to->ebits) - 1) << to->mbits) |
                    (1ull << (to->mbits - 1));
            } else {
                uint64_t tf = to->mbits >= from->mbits ?
                              frac << (to->mbits - from->mbits) :
                              frac >> (from->mbits - to->mbits);

                r = tsign | (((1ull << to->ebits) - 1) << to->mbits) | tf |
                    (1ull << (to->mbits - 1));
            }
        } else if (ahp_out) {
            flags |= FPSR_IOC;
            r = tsign | ((1ull << (to->ebits + to->mbits)) - 1);
        } else {
            r = tsign | (((1ull << to->ebits) - 1) << to->mbits);
        }
        env->fpsr |= flags;
        return r;
    }
    if (e == 0 && frac == 0) {
        env->fpsr |= flags;
        return tsign;
    }
    {
        int exp;
        uint64_t sig;

        if (e == 0) {                   /* subnormal input */
            int lz = __builtin_clzll(frac);

            sig = frac << lz;
            exp = 1 - fbias + (63 - from->mbits) - lz;
        } else {
            sig = (frac | (1ull << from->mbits)) << (63 - from->mbits);
            exp = e - fbias;
        }
        r = round_pack(env, sign, exp, sig, to, ahp_out, &flags);
    }
    env->fpsr |= flags;
    return r;
}

/* from/to: 0 single, 1 double, 3 half */
uint64_t HELPER(vfp_fcvt)(CPUARMState *env, uint64_t a, uint32_t from,
                          uint32_t to)
{
    static const FPFormat *const fmts[4] = { &fmt_s, &fmt_d, NULL, &fmt_h };

    return fp_convert(env, a, fmts[from & 3], fmts[to & 3]);
}
