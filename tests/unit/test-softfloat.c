/*
 * fpu/: randomized comparison with the host FPU (x86-64 SSE through
 * <fenv.h>, all four IEEE rounding modes, values and exception flags) and
 * hand-picked vectors for the Arm semantics the host does not have (NaN
 * rules, default NaN, flush to zero, ties-away, round to odd, saturating
 * conversions, alternative half precision, estimates).  Many of the Arm
 * vectors are the QEMU-verified results in tests/tcg/aarch64/ *.ref.
 *
 * TEST_SOFTFLOAT_N=count changes the number of random cases per operation
 * and rounding mode (default 50000); TEST_SOFTFLOAT_SEED=n another fixed
 * sequence of operands.
 */
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "fpu/softfloat.h"
#include "fpu/softfloat-arm.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define HAVE_HOST_SSE 1
#endif

static int ncases = 50000;

/* ---- random operands ------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x;
}

/*
 * A random operand of a format with `ebits` exponent and `fbits` fraction
 * bits, biased towards what breaks FP code: specials, denormals, extreme
 * exponents, few significant bits (exact and halfway results), and values
 * near `near` (cancellation).
 */
static uint64_t gen(int ebits, int fbits, uint64_t near)
{
    uint64_t emax = (1ull << ebits) - 1, fmask = (1ull << fbits) - 1;
    uint64_t sign = (rnd() & 1) << (ebits + fbits);
    uint64_t e, f;
    unsigned kind = rnd() % 16;

    switch (kind) {
    case 0: {
        static const int pick[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
        switch (pick[rnd() % 8]) {
        case 0: return sign;                                     /* zero */
        case 1: return sign | (emax << fbits);                   /* inf */
        case 2: return sign | (emax << fbits) | (1ull << (fbits - 1)) | (rnd() & fmask);
        case 3: return sign | (emax << fbits) | ((rnd() & (fmask >> 1)) | 1);  /* sNaN */
        case 4: return sign | 1;                                 /* min denormal */
        case 5: return sign | fmask;                             /* max denormal */
        case 6: return sign | (1ull << fbits);                   /* min normal */
        default: return sign | ((emax - 1) << fbits) | fmask;    /* max */
        }
    }
    case 1: case 2:
        return rnd() >> (63 - ebits - fbits);                  /* any bit pattern */
    case 3:                                                     /* denormal */
        return sign | (rnd() & fmask >> (rnd() % fbits));
    case 4:                                                     /* near overflow */
        e = emax - 1 - rnd() % 3;
        break;
    case 5:                                                     /* near underflow */
        e = 1 + rnd() % (fbits + 3);
        break;
    case 6: case 7:                                             /* near the other operand */
        if (near) {
            uint64_t d = rnd() % 5;
            return ((near & ~sign) + d - 2) ^ ((rnd() & 1) ? sign : 0);
        }
        /* fall through */
    default:
        e = (emax >> 1) + (int)(rnd() % 40) - 20;
        break;
    }
    if (kind >= 10) {
        /* few significant bits: a sparse fraction */
        f = (rnd() % 3 == 0) ? 0 : (1ull << (rnd() % fbits));
        if (rnd() & 1) {
            f |= 1ull << (rnd() % fbits);
        }
        if (rnd() % 4 == 0) {
            f = fmask;
        }
    } else {
        f = rnd() & fmask;
    }
    if (kind == 8) {
        e = (emax >> 1) + (int)(rnd() % (2 * fbits + 8)) - fbits - 4;
    }
    return sign | (e << fbits) | f;
}

/* ---- host comparison ------------------------------------------------------ */

static const int host_modes[4] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
static const char *const mode_names[4] = { "RN", "RP", "RM", "RZ" };

/*
 * The host's flags after an operation.  On x86 straight from MXCSR, which
 * also has DE (denormal operand), beyond <fenv.h>.
 */
static void host_clear(void)
{
    feclearexcept(FE_ALL_EXCEPT);
#ifdef HAVE_HOST_SSE
    _mm_setcsr(_mm_getcsr() & ~0x3fu);
#endif
}

static uint8_t host_flags(void)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    uint8_t f = (e & FE_INVALID ? float_flag_invalid : 0) |
                (e & FE_DIVBYZERO ? float_flag_divbyzero : 0) |
                (e & FE_OVERFLOW ? float_flag_overflow : 0) |
                (e & FE_UNDERFLOW ? float_flag_underflow : 0) |
                (e & FE_INEXACT ? float_flag_inexact : 0);
#ifdef HAVE_HOST_SSE
    if (_mm_getcsr() & 0x02) {
        f |= float_flag_denormal_operand;
    }
#endif
    return f;
}

/* MXCSR.FTZ (bit 15) and DAZ (bit 6) */
static void host_set_ftz_daz(bool on)
{
#ifdef HAVE_HOST_SSE
    _mm_setcsr(on ? _mm_getcsr() | 0x8040u : _mm_getcsr() & ~0x8040u);
#endif
}

/*
 * SQRTSS/SQRTSD themselves: libm's sqrtf()/sqrt() compare a negative
 * operand again for errno, which adds DE for a negative denormal that the
 * instruction does not report.
 */
static float host_sqrtf(float x)
{
#ifdef HAVE_HOST_SSE
    __asm__ volatile("sqrtss %0, %0" : "+x"(x));
    return x;
#else
    return sqrtf(x);
#endif
}

static double host_sqrt(double x)
{
#ifdef HAVE_HOST_SSE
    __asm__ volatile("sqrtsd %0, %0" : "+x"(x));
    return x;
#else
    return sqrt(x);
#endif
}

/* our flags as MXCSR would show them: a flushed result is UE|PE, DAZ silent */
static uint8_t x86_flags(uint8_t f)
{
    if (f & float_flag_output_denormal) {
        f |= float_flag_underflow | float_flag_inexact;
    }
    return f & ~(float_flag_output_denormal | float_flag_input_denormal);
}

static float f32_of(uint32_t x) { float f; memcpy(&f, &x, 4); return f; }
static uint32_t bits_f32(float f) { uint32_t x; memcpy(&x, &f, 4); return x; }
static double f64_of(uint64_t x) { double f; memcpy(&f, &x, 8); return f; }
static uint64_t bits_f64(double f) { uint64_t x; memcpy(&x, &f, 8); return x; }

static int failures;

static void report(const char *op, int mode, uint64_t a, uint64_t b, uint64_t c,
                   uint64_t got, uint8_t gflags, uint64_t exp, uint8_t eflags)
{
    if (++failures <= 20) {
        fprintf(stderr, "%s %s a=%#" G_GINT64_MODIFIER "x b=%#" G_GINT64_MODIFIER
                "x c=%#" G_GINT64_MODIFIER "x: got %#" G_GINT64_MODIFIER
                "x flags %#x, host %#" G_GINT64_MODIFIER "x flags %#x\n",
                op, mode_names[mode], a, b, c, got, gflags, exp, eflags);
    }
}

/*
 * NaN results: both NaN; with exactly one NaN operand (or none: a new NaN)
 * the bits must agree, since the x86 rule then has no operand order to pick.
 */
static bool same_result(uint64_t got, uint64_t exp, bool got_nan, bool exp_nan,
                        int nan_operands)
{
    if (exp_nan || got_nan) {
        return got_nan && exp_nan && (nan_operands > 1 || got == exp);
    }
    return got == exp;
}

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_FMA, OP_NUM };
static const char *const op_names[OP_NUM] = { "add", "sub", "mul", "div", "sqrt", "fma" };

static void test_host_f32(gconstpointer data)
{
    int op = GPOINTER_TO_INT(data) & 0xff;
    bool ftz = GPOINTER_TO_INT(data) >> 8;
    float_status st;

    failures = 0;
    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < ncases; i++) {
            uint32_t a = gen(8, 23, 0), b = gen(8, 23, a), c = gen(8, 23, 0);
            volatile float fa = f32_of(a), fb = f32_of(b), fc = f32_of(c);
            float r;
            uint32_t got;
            int nans = isnan(fa) + (op != OP_SQRT && isnan(fb)) + (op == OP_FMA && isnan(fc));

            if (op == OP_FMA && rnd() % 4 == 0) {
                /* c close to -a*b: cancellation */
                c = bits_f32(-(f32_of(a) * f32_of(b))) ^ (rnd() & 3);
                fc = f32_of(c);
                nans = isnan(fa) + isnan(fb) + isnan(fc);
            }
            fesetround(host_modes[m]);
            host_set_ftz_daz(ftz);
            host_clear();
            switch (op) {
            case OP_ADD: r = fa + fb; break;
            case OP_SUB: r = fa - fb; break;
            case OP_MUL: r = fa * fb; break;
            case OP_DIV: r = fa / fb; break;
            case OP_SQRT: r = host_sqrtf(fa); break;
            default: r = fmaf(fa, fb, fc); break;
            }
            volatile float vr = r;
            uint8_t hf = host_flags();
            host_set_ftz_daz(false);
            fesetround(FE_TONEAREST);

            float_status_init_x86(&st);
            st.rounding_mode = m;
            st.flush_to_zero = st.flush_inputs_to_zero = ftz;
            switch (op) {
            case OP_ADD: got = float32_add(a, b, &st); break;
            case OP_SUB: got = float32_sub(a, b, &st); break;
            case OP_MUL: got = float32_mul(a, b, &st); break;
            case OP_DIV: got = float32_div(a, b, &st); break;
            case OP_SQRT: got = float32_sqrt(a, &st); break;
            default: got = float32_muladd(a, b, c, 0, &st); break;
            }
            uint32_t exp = bits_f32(vr);
            if (!same_result(got, exp, float32_is_any_nan(got), isnan(vr), nans) ||
                x86_flags(st.flags) != hf) {
                report(op_names[op], m, a, b, c, got, st.flags, exp, hf);
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

static void test_host_f64(gconstpointer data)
{
    int op = GPOINTER_TO_INT(data) & 0xff;
    bool ftz = GPOINTER_TO_INT(data) >> 8;
    float_status st;

    failures = 0;
    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < ncases; i++) {
            uint64_t a = gen(11, 52, 0), b = gen(11, 52, a), c = gen(11, 52, 0);
            volatile double fa = f64_of(a), fb = f64_of(b), fc = f64_of(c);
            double r;
            uint64_t got;
            int nans = isnan(fa) + (op != OP_SQRT && isnan(fb)) + (op == OP_FMA && isnan(fc));

            if (op == OP_FMA && rnd() % 4 == 0) {
                c = bits_f64(-(f64_of(a) * f64_of(b))) ^ (rnd() & 3);
                fc = f64_of(c);
                nans = isnan(fa) + isnan(fb) + isnan(fc);
            }
            fesetround(host_modes[m]);
            host_set_ftz_daz(ftz);
            host_clear();
            switch (op) {
            case OP_ADD: r = fa + fb; break;
            case OP_SUB: r = fa - fb; break;
            case OP_MUL: r = fa * fb; break;
            case OP_DIV: r = fa / fb; break;
            case OP_SQRT: r = host_sqrt(fa); break;
            default: r = fma(fa, fb, fc); break;
            }
            volatile double vr = r;
            uint8_t hf = host_flags();
            host_set_ftz_daz(false);
            fesetround(FE_TONEAREST);

            float_status_init_x86(&st);
            st.rounding_mode = m;
            st.flush_to_zero = st.flush_inputs_to_zero = ftz;
            switch (op) {
            case OP_ADD: got = float64_add(a, b, &st); break;
            case OP_SUB: got = float64_sub(a, b, &st); break;
            case OP_MUL: got = float64_mul(a, b, &st); break;
            case OP_DIV: got = float64_div(a, b, &st); break;
            case OP_SQRT: got = float64_sqrt(a, &st); break;
            default: got = float64_muladd(a, b, c, 0, &st); break;
            }
            uint64_t exp = bits_f64(vr);
            if (!same_result(got, exp, float64_is_any_nan(got), isnan(vr), nans) ||
                x86_flags(st.flags) != hf) {
                report(op_names[op], m, a, b, c, got, st.flags, exp, hf);
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

/*
 * Half precision: the host has no half arithmetic, but an operation done in
 * double and rounded once to half is correctly rounded (53 >= 2 * 11 + 2,
 * and +, -, * of halves are exact in double), so compare with that.
 */
static void test_f16_via_f64(gconstpointer data)
{
    int op = GPOINTER_TO_INT(data);
    float_status st, sd;

    failures = 0;
    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < ncases; i++) {
            uint16_t a = gen(5, 10, 0), b = gen(5, 10, a);
            uint16_t got, exp;
            uint64_t da, db, dr;

            float_status_init_arm(&st);
            st.rounding_mode = m;
            sd = st;
            da = float16_to_float64(a, true, &sd);
            db = float16_to_float64(b, true, &sd);
            sd.flags = 0;
            switch (op) {
            case OP_ADD: got = float16_add(a, b, &st); dr = float64_add(da, db, &sd); break;
            case OP_SUB: got = float16_sub(a, b, &st); dr = float64_sub(da, db, &sd); break;
            case OP_MUL: got = float16_mul(a, b, &st); dr = float64_mul(da, db, &sd); break;
            case OP_DIV: got = float16_div(a, b, &st); dr = float64_div(da, db, &sd); break;
            default: got = float16_sqrt(a, &st); dr = float64_sqrt(da, &sd); break;
            }
            bool exact_in_double = op <= OP_MUL;
            uint8_t f64flags = sd.flags;
            sd.flags = 0;
            exp = float64_to_float16(dr, true, &sd);
            if (float16_is_any_nan(exp)) {
                /* the conversion would see a quiet NaN: same bits expected */
                if (!float16_is_any_nan(got) ||
                    (got != exp && !(float16_is_any_nan(a) && float16_is_any_nan(b)))) {
                    report("f16", m, a, b, 0, got, st.flags, exp, sd.flags);
                }
                continue;
            }
            uint8_t eflags = exact_in_double ? (sd.flags | f64flags) : st.flags;
            /* a half denormal is a normal double: no denormal-operand flag there */
            eflags = (eflags & ~float_flag_denormal_operand) |
                     (st.flags & float_flag_denormal_operand);
            if (got != exp || st.flags != eflags) {
                report(op_names[op], m, a, b, 0, got, st.flags, exp, eflags);
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

/*
 * Ties-away and round-to-odd, which the host lacks, on f32 multiplication:
 * the exact product is a double, the host gives the truncation (RZ) and
 * the nearest-even result, and the two modes follow from those.
 */
static void test_host_odd_ties_away(void)
{
    float_status st;
    int ties = 0;

    failures = 0;
    for (int i = 0; i < 4 * ncases; i++) {
        uint32_t a = gen(8, 23, 0), b = gen(8, 23, 0);
        volatile float fa = f32_of(a), fb = f32_of(b);
        double d = (double)fa * (double)fb;      /* exact */

        if (!isfinite(d)) {
            continue;
        }
        fesetround(FE_TOWARDZERO);
        host_clear();
        volatile float t = fa * fb;
        uint8_t tflags = host_flags();
        fesetround(FE_TONEAREST);
        host_clear();
        volatile float r = fa * fb;
        uint8_t rflags = host_flags();

        /* odd: the truncation with its lsb set when inexact; RZ's flags */
        uint32_t exp = bits_f32(t) | (d != (double)t);
        float_status_init_x86(&st);
        st.rounding_mode = float_round_to_odd;
        uint32_t got = float32_mul(a, b, &st);
        if (got != exp || st.flags != tflags) {
            report("mul odd", 0, a, b, 0, got, st.flags, exp, tflags);
        }

        /* ties away: nearest-even unless exactly halfway, then away from zero */
        float away = nextafterf(t, t < 0 || (t == 0 && signbit(t)) ? -INFINITY : INFINITY);
        bool tie = d != (double)t && isfinite(away) && d == ((double)t + (double)away) / 2;
        ties += tie;
        exp = tie ? bits_f32(away) : bits_f32(r);
        float_status_init_x86(&st);
        st.rounding_mode = float_round_ties_away;
        got = float32_mul(a, b, &st);
        if (got != exp || (!tie && st.flags != rflags)) {
            report("mul ties-away", 0, a, b, 0, got, st.flags, exp, rflags);
        }
    }
    g_test_message("%d exact ties", ties);
    g_assert_cmpint(failures, ==, 0);
    g_assert_cmpint(ties, >, ncases / 100);
}

/* rem against the C library's remainder()/remainderf(): values and invalid */
static void test_host_rem(void)
{
    float_status st;

    failures = 0;
    for (int i = 0; i < 2 * ncases; i++) {
        bool dbl = i & 1;
        uint64_t a = dbl ? gen(11, 52, 0) : gen(8, 23, 0);
        uint64_t b = dbl ? gen(11, 52, 0) : gen(8, 23, 0);
        uint64_t exp, got;

        if (rnd() & 1) {
            /* a few ulps from a multiple, or half multiple, of b */
            int k = rnd() % 64;
            if (dbl) {
                a = bits_f64(ldexp(f64_of(b), k) * ((rnd() & 1) ? 1.5 : 1.0)) + rnd() % 3 - 1;
            } else {
                a = bits_f32(ldexpf(f32_of(b), k) * ((rnd() & 1) ? 1.5f : 1.0f)) + rnd() % 3 - 1;
            }
        }
        host_clear();
        if (dbl) {
            exp = bits_f64(remainder(f64_of(a), f64_of(b)));
        } else {
            exp = bits_f32(remainderf(f32_of(a), f32_of(b)));
        }
        uint8_t hf = host_flags() & float_flag_invalid;
        float_status_init_x86(&st);
        got = dbl ? float64_rem(a, b, &st) : float32_rem(a, b, &st);
        bool gnan = dbl ? float64_is_any_nan(got) : float32_is_any_nan(got);
        bool enan = dbl ? float64_is_any_nan(exp) : float32_is_any_nan(exp);
        bool ezero = dbl ? float64_is_zero(exp) : float32_is_zero(exp);
        if (ezero) {
            /* IEEE: a zero remainder has the sign of a (glibc loses it for tiny b) */
            exp = dbl ? float64_set_sign(0, float64_is_neg(a))
                      : float32_set_sign(0, float32_is_neg(a));
        }
        if ((gnan != enan) || (!gnan && got != exp) ||
            (st.flags & float_flag_invalid) != hf ||
            (st.flags & ~(float_flag_invalid | float_flag_denormal_operand))) {
            report("rem", 0, a, b, 0, got, st.flags, exp, hf);
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

/*
 * f16 fused multiply-add: the host's double fma in RZ with the lsb set when
 * inexact is the exact result rounded to odd at 53 bits, which rounds
 * correctly to 11 bits in any mode (53 >= 11 + 2).
 */
static void test_f16_muladd(void)
{
    float_status st, sc;

    failures = 0;
    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < ncases; i++) {
            uint16_t a = gen(5, 10, 0), b = gen(5, 10, 0), c = gen(5, 10, 0);
            float_status_init_arm(&st);
            st.rounding_mode = m;
            sc = st;
            volatile double da = f64_of(float16_to_float64(a, true, &sc));
            volatile double db = f64_of(float16_to_float64(b, true, &sc));
            volatile double dc = f64_of(float16_to_float64(c, true, &sc));
            if (!isfinite(da) || !isfinite(db) || !isfinite(dc)) {
                continue;
            }
            if (rnd() % 4 == 0) {
                /* c near -a*b: cancellation */
                sc.flags = 0;
                c = float64_to_float16(bits_f64(-(da * db)), true, &sc) ^ (rnd() & 1);
                dc = f64_of(float16_to_float64(c, true, &sc));
                if (!isfinite(dc)) {
                    continue;
                }
            }
            fesetround(FE_TOWARDZERO);
            host_clear();
            volatile double t = fma(da, db, dc);
            bool inexact = host_flags() & float_flag_inexact;
            fesetround(host_modes[m]);
            volatile double z = fma(da, db, dc);     /* an exact zero's sign */
            fesetround(FE_TONEAREST);
            uint64_t odd = t == 0 ? bits_f64(z) : bits_f64(t) | inexact;

            sc.flags = 0;
            uint16_t exp = float64_to_float16(odd, true, &sc);
            uint8_t eflags = (sc.flags | (inexact ? float_flag_inexact : 0)) &
                             ~float_flag_denormal_operand;
            uint16_t got = float16_muladd(a, b, c, 0, &st);
            if (got != exp || (st.flags & ~float_flag_denormal_operand) != eflags) {
                report("f16 muladd", m, a, b, c, got, st.flags, exp, eflags);
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

static void test_host_convert(void)
{
    float_status st;

    failures = 0;
    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < ncases; i++) {
            uint64_t d = gen(11, 52, 0);
            uint32_t f = gen(8, 23, 0);
            /* doubles in the float range (and just outside it) */
            if (rnd() & 1) {
                d = (d & 0x800fffffffffffffull) |
                    ((uint64_t)(1023 - 150 + rnd() % 280) << 52);
            }
            volatile double vd = f64_of(d);
            volatile float vf = f32_of(f);
#ifdef HAVE_HOST_SSE
            bool ftz = i & 1;                   /* every other case under FTZ+DAZ */
#else
            bool ftz = false;
#endif

            fesetround(host_modes[m]);
            host_set_ftz_daz(ftz);
            host_clear();
            volatile float rf = vd;
            uint8_t hf1 = host_flags();
            host_clear();
            volatile double rd = vf;
            uint8_t hf2 = host_flags();
            host_set_ftz_daz(false);
            fesetround(FE_TONEAREST);

            float_status_init_x86(&st);
            st.rounding_mode = m;
            st.flush_to_zero = st.flush_inputs_to_zero = ftz;
            uint32_t g1 = float64_to_float32(d, &st);
            if (!same_result(g1, bits_f32(rf), float32_is_any_nan(g1), isnan(rf), 1) ||
                x86_flags(st.flags) != hf1) {
                report("f64->f32", m, d, 0, 0, g1, st.flags, bits_f32(rf), hf1);
            }
            st.flags = 0;
            uint64_t g2 = float32_to_float64(f, &st);
            if (!same_result(g2, bits_f64(rd), float64_is_any_nan(g2), isnan(rd), 1) ||
                x86_flags(st.flags) != hf2) {
                report("f32->f64", m, f, 0, 0, g2, st.flags, bits_f64(rd), hf2);
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

#ifdef HAVE_HOST_SSE
/* compare and compare_quiet against COMISS/UCOMISS and COMISD/UCOMISD */
static volatile int sink;

static void test_host_compare(void)
{
    float_status st;

    failures = 0;
    for (int i = 0; i < 4 * ncases; i++) {
        bool dbl = i & 1;
        uint64_t a = dbl ? gen(11, 52, 0) : gen(8, 23, 0);
        uint64_t b = dbl ? gen(11, 52, a) : gen(8, 23, a);
        FloatRelation exp_rel;
        uint8_t fq, fs;

        if (rnd() % 8 == 0) {
            b = a;
        }
        if (dbl) {
            __m128d va = _mm_set_sd(f64_of(a)), vb = _mm_set_sd(f64_of(b));
            exp_rel = isnan(f64_of(a)) || isnan(f64_of(b)) ? float_relation_unordered
                    : _mm_ucomilt_sd(va, vb) ? float_relation_less
                    : _mm_ucomieq_sd(va, vb) ? float_relation_equal : float_relation_greater;
            host_clear();
            sink = _mm_ucomieq_sd(va, vb);
            fq = host_flags();
            host_clear();
            sink = _mm_comieq_sd(va, vb);
            fs = host_flags();
        } else {
            __m128 va = _mm_set_ss(f32_of(a)), vb = _mm_set_ss(f32_of(b));
            exp_rel = isnan(f32_of(a)) || isnan(f32_of(b)) ? float_relation_unordered
                    : _mm_ucomilt_ss(va, vb) ? float_relation_less
                    : _mm_ucomieq_ss(va, vb) ? float_relation_equal : float_relation_greater;
            host_clear();
            sink = _mm_ucomieq_ss(va, vb);
            fq = host_flags();
            host_clear();
            sink = _mm_comieq_ss(va, vb);
            fs = host_flags();
        }
        float_status_init_x86(&st);
        FloatRelation r = dbl ? float64_compare_quiet(a, b, &st) : float32_compare_quiet(a, b, &st);
        if (r != exp_rel || st.flags != fq) {
            report("ucomi", 0, a, b, 0, r, st.flags, exp_rel, fq);
        }
        st.flags = 0;
        r = dbl ? float64_compare(a, b, &st) : float32_compare(a, b, &st);
        if (r != exp_rel || st.flags != fs) {
            report("comi", 0, a, b, 0, r, st.flags, exp_rel, fs);
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

__attribute__((target("f16c")))
static uint16_t host_f32_to_f16(float f, int m)
{
    /* VCVTPS2PH imm8 rounding: 0 RN, 1 RM, 2 RP, 3 RZ */
    switch (m) {
    case 0: return _cvtss_sh(f, 0);
    case 1: return _cvtss_sh(f, 2);
    case 2: return _cvtss_sh(f, 1);
    default: return _cvtss_sh(f, 3);
    }
}

static void test_host_f16_convert(void)
{
    float_status st;

    if (!__builtin_cpu_supports("f16c")) {
        g_test_skip("host has no F16C");
        return;
    }
    failures = 0;
    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < ncases; i++) {
            uint32_t f = gen(8, 23, 0);
            if (rnd() & 1) {
                f = (f & 0x807fffffu) | ((uint32_t)(127 - 27 + rnd() % 46) << 23);
            }
            host_clear();
            uint16_t h = host_f32_to_f16(f32_of(f), m);
            uint8_t hf = host_flags();

            float_status_init_x86(&st);
            st.rounding_mode = m;
            uint16_t g = float32_to_float16(f, true, &st);
            /*
             * VCVTPS2PH follows neither IEEE rule at the range ends: it
             * raises underflow for a result rounded up to the smallest
             * normal in RN but not in RP/RM, and overflow for 65535.99 -> max
             * in RZ (Arm does not).  Flags are not compared there.
             */
            uint8_t mask = (g & 0x7fff) == 0x400 ? ~float_flag_underflow
                         : (g & 0x7fff) == 0x7bff ? ~float_flag_overflow : 0xff;
            if (g != h || (st.flags & mask) != (hf & mask)) {
                report("f32->f16", m, f, 0, 0, g, st.flags, h, hf);
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}
#endif

/*
 * float -> int against the host's rint (the rounding) and the Arm
 * saturation rules; int -> float against the host's conversion.
 */
static void test_host_int_convert(void)
{
    float_status st;

    failures = 0;
    for (int m = 0; m < 4; m++) {
        for (int i = 0; i < ncases; i++) {
            uint64_t d = gen(11, 52, 0);
            if (rnd() & 1) {
                d = (d & 0x800fffffffffffffull) | ((uint64_t)(1023 - 3 + rnd() % 70) << 52);
            }
            double x = f64_of(d);

            fesetround(host_modes[m]);
            volatile double vx = x;
            double r = rint(vx);
            fesetround(FE_TONEAREST);

            /* expected for int32, int64, uint32, uint64 */
            static const double lo[4] = { -2147483648.0, -9223372036854775808.0, 0, 0 };
            static const double hi[4] = { 2147483648.0, 9223372036854775808.0,
                                          4294967296.0, 18446744073709551616.0 };
            for (int k = 0; k < 4; k++) {
                uint64_t exp, got;
                uint8_t eflags;

                if (isnan(x)) {
                    exp = 0;
                    eflags = float_flag_invalid;
                } else if (r < lo[k] || r >= hi[k]) {
                    eflags = float_flag_invalid;
                    if (r < lo[k]) {
                        exp = k == 0 ? (uint64_t)INT32_MIN : k == 1 ? (uint64_t)INT64_MIN : 0;
                    } else {
                        exp = k == 0 ? INT32_MAX : k == 1 ? INT64_MAX
                            : k == 2 ? UINT32_MAX : UINT64_MAX;
                    }
                } else {
                    eflags = r != x ? float_flag_inexact : 0;
                    exp = k == 0 ? (uint64_t)(int32_t)r : k == 1 ? (uint64_t)(int64_t)r
                        : k == 2 ? (uint64_t)(uint32_t)r : (uint64_t)r;
                }
                float_status_init_arm(&st);
                st.rounding_mode = m;
                switch (k) {
                case 0: got = (uint64_t)float64_to_int32(d, &st); break;
                case 1: got = (uint64_t)float64_to_int64(d, &st); break;
                case 2: got = float64_to_uint32(d, &st); break;
                default: got = float64_to_uint64(d, &st); break;
                }
                if (got != exp || st.flags != eflags) {
                    report(k == 0 ? "f64->i32" : k == 1 ? "f64->i64"
                           : k == 2 ? "f64->u32" : "f64->u64", m, d, 0, 0, got,
                           st.flags, exp, eflags);
                }
            }

#ifdef HAVE_HOST_SSE
            /* the x86 rule against CVTSD2SI/CVTTSD2SI: "integer indefinite" */
            {
                __m128d xv = _mm_set_sd(x);
                fesetround(host_modes[m]);
                host_clear();
                int32_t h32 = _mm_cvtsd_si32(xv);
                uint8_t f32 = host_flags();
                host_clear();
                int64_t h64 = _mm_cvttsd_si64(xv);
                uint8_t f64 = host_flags();
                fesetround(FE_TONEAREST);
                float_status_init_x86(&st);
                st.rounding_mode = m;
                int32_t g32 = float64_to_int32(d, &st);
                if (g32 != h32 || st.flags != f32) {
                    report("x86 f64->i32", m, d, 0, 0, (uint32_t)g32, st.flags, (uint32_t)h32, f32);
                }
                st.flags = 0;
                int64_t g64 = float64_to_int64_round_to_zero(d, &st);
                if (g64 != h64 || st.flags != f64) {
                    report("x86 f64->i64 rz", m, d, 0, 0, g64, st.flags, h64, f64);
                }
            }
#endif

            /* int -> float */
            uint64_t v = rnd() >> (rnd() % 64);
            if (rnd() & 1) {
                v = -v;
            }
            volatile uint64_t vv = v;   /* keep the conversions after feclearexcept */
            fesetround(host_modes[m]);
            host_clear();
            volatile float h1 = (float)(int64_t)vv;
            uint8_t f1 = host_flags();
            host_clear();
            volatile double h2 = (double)(int64_t)vv;
            uint8_t f2 = host_flags();
            host_clear();
            volatile float h3 = (float)vv;
            uint8_t f3 = host_flags();
            host_clear();
            volatile double h4 = (double)vv;
            uint8_t f4 = host_flags();
            fesetround(FE_TONEAREST);

            float_status_init_arm(&st);
            st.rounding_mode = m;
            uint64_t g = int64_to_float32(v, &st);
            if (g != bits_f32(h1) || st.flags != f1) {
                report("i64->f32", m, v, 0, 0, g, st.flags, bits_f32(h1), f1);
            }
            st.flags = 0;
            g = int64_to_float64(v, &st);
            if (g != bits_f64(h2) || st.flags != f2) {
                report("i64->f64", m, v, 0, 0, g, st.flags, bits_f64(h2), f2);
            }
            st.flags = 0;
            g = uint64_to_float32(v, &st);
            if (g != bits_f32(h3) || st.flags != f3) {
                report("u64->f32", m, v, 0, 0, g, st.flags, bits_f32(h3), f3);
            }
            st.flags = 0;
            g = uint64_to_float64(v, &st);
            if (g != bits_f64(h4) || st.flags != f4) {
                report("u64->f64", m, v, 0, 0, g, st.flags, bits_f64(h4), f4);
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

/* ---- Arm vectors ------------------------------------------------------------ */

#define FPCR_RN 0
#define FPCR_RP 1
#define FPCR_RM 2
#define FPCR_RZ 3
#define FZ 0x10
#define DN 0x20

/* the status for an FPCR with these RMode/FZ/DN bits */
static float_status arm(int cfg)
{
    float_status s;
    uint32_t fpcr = (cfg & 3) << 22 | (cfg & FZ ? 1u << 24 : 0) | (cfg & DN ? 1u << 25 : 0);

    float_status_from_arm_fpcr(&s, fpcr, false);
    return s;
}

static unsigned fpsr(const float_status *s)
{
    return float_status_arm_fpsr(s);
}

#define CHECK(expr, cfg, expect, expect_fpsr) do {                                \
        float_status st = arm(cfg);                                               \
        uint64_t got_ = (expr);                                                   \
        if (got_ != (uint64_t)(expect) || fpsr(&st) != (expect_fpsr)) {           \
            fprintf(stderr, "%s:%d: %s: got %#" G_GINT64_MODIFIER "x fpsr %#x, "  \
                    "expected %#" G_GINT64_MODIFIER "x fpsr %#x\n", __FILE__,     \
                    __LINE__, #expr, got_, fpsr(&st), (uint64_t)(expect),         \
                    (unsigned)(expect_fpsr));                                     \
            failures++;                                                           \
        }                                                                         \
    } while (0)

#define D_ONE   0x3ff0000000000000ull
#define D_TWO   0x4000000000000000ull
#define D_THREE 0x4008000000000000ull
#define D_M1    0xbff0000000000000ull
#define D_TINY  0x3c30000000000000ull
#define D_MAX   0x7fefffffffffffffull
#define D_MIN   0x0010000000000000ull
#define D_INF   0x7ff0000000000000ull
#define D_NINF  0xfff0000000000000ull
#define D_DNAN  0x7ff8000000000000ull
#define D_QNAN1 0x7ff8000000000123ull
#define D_QNAN2 0xfff8000000000456ull
#define D_SNAN1 0x7ff0000000000789ull
#define D_QSNAN1 0x7ff8000000000789ull
#define D_NZERO 0x8000000000000000ull
#define D_HALF  0x3fe0000000000000ull

static void test_arm_grid(void);

static void test_arm_arith(void)
{
    failures = 0;
    /* rounding modes, overflow (tests/tcg/aarch64/fp-arith.ref) */
    CHECK(float64_add(D_ONE, D_TINY, &st), FPCR_RP, 0x3ff0000000000001ull, 0x10);
    CHECK(float64_sub(D_M1, D_TINY, &st), FPCR_RM, 0xbff0000000000001ull, 0x10);
    CHECK(float64_add(D_MAX, D_MAX, &st), FPCR_RM, D_MAX, 0x14);
    CHECK(float64_mul(D_MAX | D_NZERO, D_TWO, &st), FPCR_RP, 0xffefffffffffffffull, 0x14);
    CHECK(float64_div(D_M1, D_THREE, &st), FPCR_RM, 0xbfd5555555555556ull, 0x10);
    CHECK(float32_add(0x3f800000, 0x30800000, &st), FPCR_RP, 0x3f800001, 0x10);
    CHECK(float64_sub(D_THREE, D_THREE, &st), FPCR_RM, D_NZERO, 0);
    CHECK(float64_div(D_ONE, D_NZERO, &st), 0, D_NINF, 0x02);
    CHECK(float64_div(0, 0, &st), 0, D_DNAN, 0x01);
    CHECK(float64_sub(D_INF, D_INF, &st), 0, D_DNAN, 0x01);
    CHECK(float64_mul(D_INF, 0, &st), 0, D_DNAN, 0x01);
    CHECK(float64_div(D_INF, D_ONE, &st), 0, D_INF, 0);
    /* subnormals, tininess before rounding, flush to zero */
    CHECK(float64_mul(D_MIN, D_HALF, &st), 0, 0x0008000000000000ull, 0);
    CHECK(float64_mul(D_MIN + 1, D_HALF, &st), 0, 0x0008000000000000ull, 0x18);
    CHECK(float64_mul(D_MIN + 3, D_HALF, &st), 0, 0x0008000000000002ull, 0x18);
    CHECK(float64_mul(D_MIN, D_MIN, &st), 0, 0, 0x18);
    CHECK(float64_mul(D_MIN, D_MIN, &st), FPCR_RP, 1, 0x18);
    CHECK(float64_mul(D_MIN, D_HALF, &st), FZ, 0, 0x08);
    CHECK(float64_mul(D_MIN | D_NZERO, D_HALF, &st), FZ, D_NZERO, 0x08);
    CHECK(float64_add(D_MIN, 1, &st), FZ, D_MIN, 0x80);
    CHECK(float64_add(D_MIN, 1, &st), 0, D_MIN + 1, 0);
    CHECK(float32_mul(0x00800000, 0x3f000000, &st), FZ, 0, 0x08);
    CHECK(float32_mul(0x00800000, 0x3f000000, &st), 0, 0x00400000, 0);
    /* Arm: tiny before rounding, so a result rounding up to the smallest normal underflows */
    CHECK(float64_mul(D_MIN - 1, 0x3ff0000000000001ull, &st), 0, D_MIN, 0x18);
    /* NaN propagation */
    CHECK(float64_add(D_QNAN1, D_ONE, &st), 0, D_QNAN1, 0);
    CHECK(float64_add(D_ONE, D_QNAN2, &st), 0, D_QNAN2, 0);
    CHECK(float64_add(D_SNAN1, D_ONE, &st), 0, D_QSNAN1, 0x01);
    CHECK(float64_mul(D_QNAN1, D_QNAN2, &st), 0, D_QNAN1, 0);
    CHECK(float64_mul(D_QNAN1, D_SNAN1, &st), 0, D_QSNAN1, 0x01);
    CHECK(float64_add(D_QNAN1, D_ONE, &st), DN, D_DNAN, 0);
    CHECK(float64_sub(D_SNAN1, D_ONE, &st), DN, D_DNAN, 0x01);
    CHECK(float32_add(0x7f800001, 0x3f800000, &st), 0, 0x7fc00001, 0x01);
    CHECK(float32_div(0, 0, &st), 0, 0x7fc00000, 0x01);
    CHECK(float16_div(0, 0, &st), 0, 0x7e00, 0x01);
    {
        /* FZ16 (bit 19) flushes half precision, FZ (bit 24) does not */
        float_status h;
        float_status_from_arm_fpcr(&h, 1u << 24, true);
        g_assert_cmphex(float16_mul(0x0400, 0x3800, &h), ==, 0x0200);
        float_status_from_arm_fpcr(&h, 1u << 19, true);
        g_assert_cmphex(float16_mul(0x0400, 0x3800, &h), ==, 0);
        g_assert_cmphex(float16_add(0x0001, 0x0400, &h), ==, 0x0400);
        g_assert_cmphex(float_status_arm_fpsr(&h), ==, 0x88);
    }
    /* min/max */
    CHECK(float64_max(D_ONE, D_TWO, &st), 0, D_TWO, 0);
    CHECK(float64_min(D_ONE, D_M1, &st), 0, D_M1, 0);
    CHECK(float64_max(D_NZERO, 0, &st), 0, 0, 0);
    CHECK(float64_max(0, D_NZERO, &st), 0, 0, 0);
    CHECK(float64_min(0, D_NZERO, &st), 0, D_NZERO, 0);
    CHECK(float64_minnum(D_NZERO, 0, &st), 0, D_NZERO, 0);
    CHECK(float64_maxnum(D_NZERO, 0, &st), 0, 0, 0);
    CHECK(float64_max(D_QNAN1, D_ONE, &st), 0, D_QNAN1, 0);
    CHECK(float64_min(D_ONE, D_SNAN1, &st), 0, D_QSNAN1, 0x01);
    CHECK(float64_maxnum(D_QNAN1, D_ONE, &st), 0, D_ONE, 0);
    CHECK(float64_minnum(D_M1, D_QNAN1, &st), 0, D_M1, 0);
    CHECK(float64_maxnum(D_SNAN1, D_ONE, &st), 0, D_QSNAN1, 0x01);
    CHECK(float64_minnum(D_QNAN1, D_QNAN2, &st), 0, D_QNAN1, 0);
    CHECK(float64_maxnum(D_QNAN1, D_NINF, &st), 0, D_NINF, 0);
    CHECK(float32_minnum(0x7fc00000, 0xbf800000, &st), 0, 0xbf800000, 0);
    CHECK(float64_max(D_QNAN1, D_ONE, &st), DN, D_DNAN, 0);
    CHECK(float64_minnum(1, D_QNAN1, &st), FZ, 0, 0x80);
    /* fused multiply-add: single rounding, negations, NaN order */
    {
        uint64_t x = 0x3ff0000000400000ull;   /* 1 + 2^-30 */
        float_status s0 = arm(0);
        uint64_t xx = float64_mul(x, x, &s0);
        CHECK(xx, 0, 0x3ff0000000800000ull, 0);
        CHECK(float64_muladd(x, x, xx | D_NZERO, 0, &st), 0, D_TINY, 0);
    }
    CHECK(float64_muladd(D_TWO, D_THREE, 0x4024000000000000ull,
                         float_muladd_negate_product, &st), 0, 0x4010000000000000ull, 0);
    CHECK(float64_muladd(D_TWO, D_THREE, 0x4024000000000000ull,
                         float_muladd_negate_product | float_muladd_negate_c, &st),
          0, 0xc030000000000000ull, 0);
    CHECK(float64_muladd(D_TWO, D_THREE, 0x4024000000000000ull,
                         float_muladd_negate_c, &st), 0, 0xc010000000000000ull, 0);
    CHECK(float64_muladd(D_INF, 0, D_QNAN1, 0, &st), 0, D_DNAN, 0x01);
    CHECK(float64_muladd(D_ONE, D_ONE, D_QNAN1, 0, &st), 0, D_QNAN1, 0);
    CHECK(float64_muladd(D_SNAN1, D_ONE, D_QNAN1, 0, &st), 0, D_QSNAN1, 0x01);
    CHECK(float64_muladd(D_QNAN1, D_ONE, D_QNAN2, 0, &st), 0, D_QNAN2, 0);
    CHECK(float64_muladd(D_MAX, D_TWO, D_MAX | D_NZERO, 0, &st), 0, D_MAX, 0);
    CHECK(float64_muladd(D_ONE, D_TINY, D_ONE, 0, &st), FPCR_RP, 0x3ff0000000000001ull, 0x10);
    CHECK(float64_muladd(0, D_ONE, D_NZERO, 0, &st), 0, 0, 0);
    CHECK(float64_muladd(D_NZERO, D_ONE, D_NZERO, 0, &st), 0, D_NZERO, 0);
    /* FMSUB negates Rn itself: a NaN there comes out with its sign flipped */
    CHECK(float64_muladd(D_QNAN1, D_ONE, D_ONE, float_muladd_negate_product, &st),
          0, D_QNAN1 | D_NZERO, 0);
    /* sqrt */
    CHECK(float64_sqrt(0x4010000000000000ull, &st), 0, D_TWO, 0);
    CHECK(float64_sqrt(D_TWO, &st), 0, 0x3ff6a09e667f3bcdull, 0x10);
    CHECK(float64_sqrt(D_TWO, &st), FPCR_RZ, 0x3ff6a09e667f3bccull, 0x10);
    CHECK(float64_sqrt(D_M1, &st), 0, D_DNAN, 0x01);
    CHECK(float64_sqrt(D_NZERO, &st), 0, D_NZERO, 0);
    CHECK(float64_sqrt(D_INF, &st), 0, D_INF, 0);
    /* compare */
    CHECK(float64_compare_quiet(D_ONE, D_TWO, &st), 0, (uint64_t)float_relation_less, 0);
    CHECK(float64_compare_quiet(0, D_NZERO, &st), 0, float_relation_equal, 0);
    CHECK(float64_compare_quiet(D_QNAN1, D_ONE, &st), 0, float_relation_unordered, 0);
    CHECK(float64_compare_quiet(D_SNAN1, D_ONE, &st), 0, float_relation_unordered, 0x01);
    CHECK(float64_compare(D_QNAN1, D_ONE, &st), 0, float_relation_unordered, 0x01);
    CHECK(float64_compare(D_NINF, D_ONE, &st), 0, (uint64_t)float_relation_less, 0);
    CHECK(float64_compare(1, 0, &st), FZ, float_relation_equal, 0x80);
    /* round to integral */
    CHECK(float64_round_to_int_mode(0x4004000000000000ull, float_round_nearest_even,
                                    false, &st), 0, D_TWO, 0);
    CHECK(float64_round_to_int_mode(0xc004000000000000ull, float_round_ties_away,
                                    false, &st), 0, 0xc008000000000000ull, 0);
    CHECK(float64_round_to_int_mode(0xbfd0000000000000ull, float_round_up, false, &st),
          0, D_NZERO, 0);
    CHECK(float64_round_to_int_mode(0x3fd0000000000000ull, float_round_up, false, &st),
          0, D_ONE, 0);
    CHECK(float64_round_to_int_mode(0xbfe0000000000000ull, float_round_ties_away,
                                    false, &st), 0, D_M1, 0);
    CHECK(float64_round_to_int(0x3ff8000000000000ull, &st), 0, D_TWO, 0x10);
    CHECK(float64_round_to_int(0x3ff8000000000000ull, &st), FPCR_RM, D_ONE, 0x10);
    CHECK(float64_round_to_int(0x4330000000000001ull, &st), 0, 0x4330000000000001ull, 0);
    CHECK(float64_round_to_int(D_SNAN1, &st), 0, D_QSNAN1, 0x01);
    CHECK(float64_round_to_int(D_NINF, &st), 0, D_NINF, 0);
    CHECK(float32_round_to_int(0x4afffffd, &st), 0, 0x4afffffc, 0x10);
    /* scalbn */
    CHECK(float64_scalbn(D_ONE, -1074, &st), 0, 1, 0);
    CHECK(float64_scalbn(D_THREE, -1075, &st), 0, 2, 0x18);
    CHECK(float64_scalbn(D_ONE, 1024, &st), 0, D_INF, 0x14);
    CHECK(float32_scalbn(0x3f800000, 1 << 30, &st), FPCR_RZ, 0x7f7fffff, 0x14);
    test_arm_grid();
    g_assert_cmpint(failures, ==, 0);
}

/*
 * The special-operand grid of tests/tcg/aarch64/fp-arith.c (test_grid):
 * 19 x 19 doubles through ten instructions in six FPCR settings, result
 * and FPSR hashed with FNV-1a exactly as that test does, against the
 * hashes QEMU 7.2 produced (fp-arith.ref).
 */
static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        h = (h ^ ((v >> (8 * i)) & 0xff)) * 0x100000001b3ull;
    }
    return h;
}

static void test_arm_grid(void)
{
    static const uint64_t v[] = {
        0, D_NZERO, D_ONE, D_M1, 0x3ff8000000000000ull, D_THREE, 0x3fd5555555555555ull,
        D_MAX, D_MAX | 1ull << 63, D_MIN, 0x000fffffffffffffull, 0x0000000000000001ull,
        D_INF, D_NINF, D_QNAN1, D_SNAN1, D_TINY, 0x7e37e43c8800759cull, 0x81d8e6d5d5b0fdc0ull,
    };
    static const char *const names[] = {
        "fadd", "fsub", "fmul", "fdiv", "fmax", "fmin", "fmaxnm", "fminnm", "fnmul", "fabd",
    };
    static const uint64_t ref[] = {
        0x377561ec2caab6daull, 0x679700e9b991687dull, 0xb4f73f7d12fa9fd1ull,
        0x7b306e10a8966fbaull, 0xdb0120be78721e0dull, 0x4e86da41047fbf05ull,
        0x6f0d358ae2ab9e75ull, 0x70ae739a4cac5ab1ull, 0x61f88a8f89668ed1ull,
        0x2268de798ef6617dull,
    };
    static const int cfgs[] = { FPCR_RN, FPCR_RP, FPCR_RM, FPCR_RZ, FZ, DN | FPCR_RP };

    for (int op = 0; op < 10; op++) {
        uint64_t h = 0xcbf29ce484222325ull;
        for (int m = 0; m < 6; m++) {
            for (int i = 0; i < 19; i++) {
                for (int j = 0; j < 19; j++) {
                    float_status st = arm(cfgs[m]);
                    uint64_t a = v[i], b = v[j], r;
                    switch (op) {
                    case 0: r = float64_add(a, b, &st); break;
                    case 1: r = float64_sub(a, b, &st); break;
                    case 2: r = float64_mul(a, b, &st); break;
                    case 3: r = float64_div(a, b, &st); break;
                    case 4: r = float64_max(a, b, &st); break;
                    case 5: r = float64_min(a, b, &st); break;
                    case 6: r = float64_maxnum(a, b, &st); break;
                    case 7: r = float64_minnum(a, b, &st); break;
                    /* FNMUL negates the rounded product, NaN included; FABD: FPAbs(FPSub) */
                    case 8: r = float64_chs(float64_mul(a, b, &st)); break;
                    default: r = float64_abs(float64_sub(a, b, &st)); break;
                    }
                    h = fnv_u64(h, r);
                    h = fnv_u64(h, fpsr(&st));
                }
            }
        }
        if (h != ref[op]) {
            fprintf(stderr, "grid %s: hash %#" G_GINT64_MODIFIER "x, QEMU %#"
                    G_GINT64_MODIFIER "x\n", names[op], h, ref[op]);
            failures++;
        }
    }
}

/*
 * The conversion families of tests/tcg/aarch64/fp-conv.c (test_f2i,
 * test_i2f), hashed as that test does, against QEMU 7.2's fp-conv.ref.
 */
static void test_arm_conv_families(void)
{
    static const uint64_t dvals[] = {
        0x0000000000000000ull, 0x8000000000000000ull, 0x3fe0000000000000ull,
        0xbfe0000000000000ull, 0x3ff8000000000000ull, 0xbff8000000000000ull,
        0x4004000000000000ull, 0xc004000000000000ull, 0x3fdfffffffffffffull,
        0x4202a05f20000000ull, 0xc202a05f20000000ull, 0x41dfffffffe00000ull,
        0x41e0000000000000ull, 0xc1e0000000000000ull, 0xc1e0000000100000ull,
        0xc1e0000000200000ull, 0x41efffffffe00000ull, 0x41f0000000000000ull,
        0x43e0000000000000ull, 0xc3e0000000000000ull, 0xc3e0000000000001ull,
        0x43dfffffffffffffull, 0x43f0000000000000ull, 0x43efffffffffffffull,
        0x46293e5939a08ceaull, 0xc6293e5939a08ceaull, 0x7ff0000000000000ull,
        0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000000001ull,
        0x0000000000000001ull, 0x8000000000000001ull, 0x4340000000000001ull,
        0x419d6f3457000000ull, 0xc19d6f3457000000ull,
    };
    static const uint64_t f2i_ref[5][4] = {
        { 0x6c2919a86a01a5f6ull, 0x27e00ed68a353681ull, 0x8439df3ec74f5022ull, 0x6b7c9bf1ab62555cull },
        { 0x2a95004d797e2f42ull, 0x42f316aa1d2d6e3dull, 0xd100e8b99d910ae2ull, 0xa12e71233d22f814ull },
        { 0x4c2fc6fa13207495ull, 0x89d19818e4883252ull, 0x80fa6370f6fbd606ull, 0xe80e7972dcc1e1d0ull },
        { 0xde95cb3ea868ad33ull, 0xec39d649ff393191ull, 0x2003702c9a9fa666ull, 0x44d1bf02300a1ee0ull },
        { 0xd1ae8798b474d640ull, 0x305ccc7245fd30deull, 0xdee9c6debd0d50cfull, 0xc0fd70bea6fbf679ull },
    };
    /* fcvtn, fcvtp, fcvtm, fcvtz, fcvta */
    static const FloatRoundMode f2i_modes[5] = {
        float_round_nearest_even, float_round_up, float_round_down, float_round_to_zero,
        float_round_ties_away,
    };
    static const uint64_t ivals[] = {
        0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x1000001, 0x1000003, 0x7fffffff,
        0x80000000, 0xffffffff, 0x20000000000001ull, 0x20000000000003ull,
        0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
        0xfffffffffffff801ull, 0x123456789abcdef1ull, 0xfedcba9876543210ull,
        0x8000000000000401ull,
    };
    static const uint64_t i2f_ref[8] = {
        0x60d19bdc1e55d2d4ull, 0x05a19fc0c4159d80ull, 0x3c6eaeb67a2f3725ull,
        0x42324d7fd00a7905ull, 0x0677e649ff4dab48ull, 0x3ef312da1248c749ull,
        0x657b9627989c1880ull, 0xe78b6b379f18f7a4ull,
    };

    for (int mode = 0; mode < 5; mode++) {
        for (int form = 0; form < 4; form++) {
            uint64_t h = 0xcbf29ce484222325ull;
            for (int i = 0; i < (int)G_N_ELEMENTS(dvals); i++) {
                float_status st = arm(0);
                FloatRoundMode rm = f2i_modes[mode];
                uint64_t r;
                switch (form) {
                case 0: r = (uint32_t)float64_to_int32_scalbn(dvals[i], rm, 0, &st); break;
                case 1: r = float64_to_int64_scalbn(dvals[i], rm, 0, &st); break;
                case 2: r = float64_to_uint32_scalbn(dvals[i], rm, 0, &st); break;
                default: r = float64_to_uint64_scalbn(dvals[i], rm, 0, &st); break;
                }
                h = fnv_u64(h, r);
                h = fnv_u64(h, fpsr(&st));
            }
            if (h != f2i_ref[mode][form]) {
                fprintf(stderr, "fcvt%c%s: hash %#" G_GINT64_MODIFIER "x, QEMU %#"
                        G_GINT64_MODIFIER "x\n", "npmza"[mode],
                        (const char *[]){ "s w", "s x", "u w", "u x" }[form], h,
                        f2i_ref[mode][form]);
                failures++;
            }
        }
    }
    for (int form = 0; form < 8; form++) {
        uint64_t h = 0xcbf29ce484222325ull;
        for (int m = 0; m < 4; m++) {
            for (int i = 0; i < (int)G_N_ELEMENTS(ivals); i++) {
                float_status st = arm(m);
                uint64_t a = ivals[i], r;
                switch (form) {
                case 0: r = int64_to_float64(a, &st); break;
                case 1: r = uint64_to_float64(a, &st); break;
                case 2: r = int32_to_float64(a, &st); break;
                case 3: r = uint32_to_float64(a, &st); break;
                case 4: r = int64_to_float32(a, &st); break;
                case 5: r = uint64_to_float32(a, &st); break;
                case 6: r = int32_to_float32(a, &st); break;
                default: r = uint32_to_float32(a, &st); break;
                }
                h = fnv_u64(h, r);
                h = fnv_u64(h, fpsr(&st));
            }
        }
        if (h != i2f_ref[form]) {
            fprintf(stderr, "i2f form %d: hash %#" G_GINT64_MODIFIER "x, QEMU %#"
                    G_GINT64_MODIFIER "x\n", form, h, i2f_ref[form]);
            failures++;
        }
    }
}

static void test_arm_convert(void)
{
    failures = 0;
    test_arm_conv_families();
    /* float -> int (tests/tcg/aarch64/fp-conv.ref) */
    CHECK((uint32_t)float64_to_int32_scalbn(0x3ff8000000000000ull, float_round_to_zero, 8, &st),
          0, 0x180, 0);
    CHECK((uint64_t)float64_to_int64_scalbn(0xbfb999999999999aull, float_round_to_zero, 16, &st),
          0, 0xffffffffffffe667ull, 0x10);
    CHECK(float64_to_uint32_scalbn(0x41e0000000000000ull, float_round_to_zero, 1, &st),
          0, 0xffffffff, 0x01);
    CHECK(float64_to_uint64_scalbn(D_HALF, float_round_to_zero, 64, &st),
          0, 0x8000000000000000ull, 0);
    CHECK((uint32_t)float32_to_int32_round_to_zero(0x4f000000, &st), 0, 0x7fffffff, 0x01);
    CHECK((uint64_t)float32_to_int64_round_to_zero(0x4f000000, &st), 0, 0x80000000, 0);
    CHECK(float32_to_uint32_scalbn(0xbfc00000, float_round_ties_away, 0, &st), 0, 0, 0x01);
    CHECK((uint64_t)float32_to_int64_scalbn(0xbfc00000, float_round_down, 0, &st),
          0, 0xfffffffffffffffeull, 0x10);
    CHECK((uint64_t)float32_to_int64_scalbn(0x7fc00000, float_round_up, 0, &st), 0, 0, 0x01);
    CHECK(float64_to_uint32_scalbn(0xbfd0000000000000ull, float_round_to_zero, 0, &st),
          0, 0, 0x10);
    CHECK((uint64_t)float64_to_int32(0x4004000000000000ull, &st), FPCR_RP, 3, 0x10);
    CHECK((uint64_t)float64_to_int32_round_to_zero(0x4004000000000000ull, &st), FPCR_RP, 2, 0x10);
    CHECK((uint16_t)float32_to_int16_round_to_zero(0x47000000, &st), 0, 0x7fff, 0x01);
    CHECK((uint16_t)float16_to_int16_round_to_zero(0xfbff, &st), 0, 0x8000, 0x01);
    CHECK(float16_to_uint16_round_to_zero(0x7bff, &st), 0, 65504, 0);
    CHECK((uint64_t)float64_to_int64(D_NINF, &st), 0, 0x8000000000000000ull, 0x01);
    CHECK((uint64_t)float64_to_int32(1, &st), FZ | FPCR_RP, 0, 0x80);
    /* int -> float */
    CHECK(int64_to_float64_scalbn(-24, -4, &st), 0, 0xbff8000000000000ull, 0);
    CHECK(uint32_to_float32_scalbn(0x80000000u, -32, &st), 0, 0x3f000000, 0);
    CHECK(int32_to_float16(65520, &st), 0, 0x7c00, 0x14);
    CHECK(int32_to_float16(65520, &st), FPCR_RZ, 0x7bff, 0x10);
    CHECK(uint64_to_float16_scalbn(1, -24, &st), 0, 1, 0);
    CHECK(uint64_to_float16_scalbn(3, -26, &st), 0, 1, 0x18);
    CHECK(uint64_to_float32_scalbn(1, -127, &st), FZ, 0, 0x08);
    CHECK(int64_to_float32(INT64_MIN, &st), 0, 0xdf000000, 0);
    /* between formats */
    CHECK(float64_to_float32(0x3fd5555555555555ull, &st), 0, 0x3eaaaaab, 0x10);
    CHECK(float64_to_float32(0x3fd5555555555555ull, &st), FPCR_RZ, 0x3eaaaaaa, 0x10);
    CHECK(float64_to_float32(0x4812f3a3a83c6b66ull, &st), 0, 0x7f800000, 0x14);  /* ~1e39 */
    CHECK(float64_to_float32(0x4812f3a3a83c6b66ull, &st), FPCR_RZ, 0x7f7fffff, 0x14);
    CHECK(float64_to_float32(0x3730000000000000ull, &st), 0, 0x200, 0);
    CHECK(float64_to_float32(0x3730000000000000ull, &st), FZ, 0, 0x08);
    CHECK(float64_to_float32(0x358dee7a4ad4b81full, &st), 0, 0, 0x18);  /* ~1e-50 */
    CHECK(float64_to_float32(0x7ff8000020000000ull, &st), 0, 0x7fc00001, 0);
    CHECK(float64_to_float32(0xfff0000020000000ull, &st), 0, 0xffc00001, 0x01);
    CHECK(float64_to_float32(0xfff0000020000000ull, &st), DN, 0x7fc00000, 0x01);
    CHECK(float32_to_float64(0x3dcccccd, &st), 0, 0x3fb99999a0000000ull, 0);
    CHECK(float32_to_float64(0x00000001, &st), 0, 0x36a0000000000000ull, 0);
    CHECK(float32_to_float64(0x80000001, &st), FZ, D_NZERO, 0x80);
    CHECK(float32_to_float64(0x7f800001, &st), 0, 0x7ff8000020000000ull, 0x01);
    CHECK(float32_to_float16(0x3f800000, true, &st), 0, 0x3c00, 0);
    CHECK(float32_to_float16(0x477fe000, true, &st), 0, 0x7bff, 0);
    CHECK(float32_to_float16(0x477ff000, true, &st), 0, 0x7c00, 0x14);
    CHECK(float32_to_float16(0x477ff000, true, &st), FPCR_RZ, 0x7bff, 0x10);
    CHECK(float32_to_float16(0x3eaaaaab, true, &st), 0, 0x3555, 0x10);
    CHECK(float32_to_float16(0x33800000, true, &st), FZ, 1, 0);  /* half side not flushed */
    CHECK(float32_to_float16(0x32800000, true, &st), 0, 0, 0x18);
    CHECK(float32_to_float16(0x32800000, true, &st), FPCR_RP, 1, 0x18);
    CHECK(float32_to_float16(0x7fa00000, true, &st), 0, 0x7f00, 0x01);
    CHECK(float32_to_float16(0x7fc00000, true, &st), DN, 0x7e00, 0);
    CHECK(float32_to_float16(0x7f800000, false, &st), 0, 0x7fff, 0x01);
    CHECK(float32_to_float16(0x47800000, false, &st), 0, 0x7c00, 0);
    CHECK(float32_to_float16(0xffc00000, false, &st), DN, 0x8000, 0x01);
    CHECK(float32_to_float16(0x48000000, false, &st), 0, 0x7fff, 0x01);
    CHECK(float16_to_float32(0x7bff, true, &st), 0, 0x477fe000, 0);
    CHECK(float16_to_float32(0x8001, true, &st), FZ, 0xb3800000, 0);
    CHECK(float16_to_float32(0x7c00, true, &st), 0, 0x7f800000, 0);
    CHECK(float16_to_float32(0x7c00, false, &st), 0, 0x47800000, 0);
    CHECK(float16_to_float32(0x7c01, true, &st), 0, 0x7fc02000, 0x01);
    CHECK(float64_to_float16(0x3fb999999999999aull, true, &st), 0, 0x2e66, 0x10);
    CHECK(float64_to_float16(0x4202a05f20000000ull, true, &st), 0, 0x7c00, 0x14);
    CHECK(float64_to_float16(0x3ff0020000100000ull, true, &st), 0, 0x3c01, 0x10);
    CHECK(float16_to_float64(0xc000, true, &st), 0, 0xc000000000000000ull, 0);
    CHECK(float16_to_float64(0xfe01, true, &st), 0, 0xfff8040000000000ull, 0);
    /* BFCVT */
    CHECK(float32_to_bfloat16(0x3f800000, &st), 0, 0x3f80, 0);
    CHECK(float32_to_bfloat16(0x3f808000, &st), 0, 0x3f80, 0x10);
    CHECK(float32_to_bfloat16(0x3f818000, &st), 0, 0x3f82, 0x10);
    CHECK(float32_to_bfloat16(0x3f808000, &st), FPCR_RP, 0x3f81, 0x10);
    CHECK(float32_to_bfloat16(0x7f7fffff, &st), 0, 0x7f80, 0x14);
    CHECK(float32_to_bfloat16(0x7f800001, &st), 0, 0x7fc0, 0x01);
    CHECK(float32_to_bfloat16(0x7f800001, &st), DN, 0x7fc0, 0x01);
    CHECK(float32_to_bfloat16(0x80400000, &st), FZ, 0x8000, 0x80);
    CHECK(float32_to_bfloat16(0x00400000, &st), 0, 0x0040, 0);
    CHECK(float32_to_bfloat16(0x00808000, &st), FZ, 0x0080, 0x10);
    CHECK(bfloat16_to_float32(0xc049, &st), 0, 0xc0490000, 0);
    /* x86 invalid conversions: the integer indefinite */
    {
        float_status x;
        float_status_init_x86(&x);
        g_assert_cmphex((uint32_t)float64_to_int32(D_DNAN, &x), ==, 0x80000000u);
        g_assert_cmphex((uint32_t)float64_to_int32(0x4202a05f20000000ull, &x), ==, 0x80000000u);
        g_assert_cmphex(float64_to_uint32(D_M1, &x), ==, 0xffffffffu);
        g_assert_cmphex(float64_to_uint64(D_DNAN, &x), ==, UINT64_MAX);
        g_assert_cmphex(x.flags, ==, float_flag_invalid);
    }
    /* FCVTXN: round to odd */
    {
        float_status odd;
        float_status_init_arm(&odd);
        odd.rounding_mode = float_round_to_odd;
        g_assert_cmphex(float64_to_float32(0x3ff0000004000000ull, &odd), ==, 0x3f800001);
        g_assert_cmphex(float64_to_float32(0x3ff0000024000000ull, &odd), ==, 0x3f800001);
        g_assert_cmphex(float64_to_float32(0x3ff8000000000000ull, &odd), ==, 0x3fc00000);
        g_assert_cmphex(odd.flags, ==, float_flag_inexact);
        g_assert_cmphex(float64_to_float32(D_MAX, &odd), ==, 0x7f7fffff);
        g_assert_cmphex(float64_to_float32(0x3690000000000001ull, &odd), ==, 1);
        float_status rm = arm(FPCR_RM);
        g_assert_cmphex(float64_to_float32_round_to_odd(0xbff0000004000000ull, &rm), ==,
                        0xbf800001);
        g_assert_cmphex(rm.flags, ==, float_flag_inexact);
    }
    g_assert_cmpint(failures, ==, 0);
}

/*
 * The lane-wise and pairwise/conversion groups of
 * tests/tcg/aarch64/simd-fp.c, each vector lane computed with the scalar
 * operation the test uses as its model, hashed as the test does, against
 * QEMU 7.2's simd-fp.ref.
 */
static const uint64_t simd_sv[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40400000, 0x3eaaaaab,
    0x7f7fffff, 0xff7fffff, 0x00800000, 0x007fffff, 0x00000001, 0x7f800000, 0xff800000,
    0x7fc00123, 0x7f800456, 0x4f000000, 0xcf000001, 0x5f800000, 0x3effffff,
};
static const uint64_t simd_dv[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3ff8000000000000ull, 0x4008000000000000ull, 0x3fd5555555555555ull, 0x7fefffffffffffffull,
    0x0010000000000000ull, 0x000fffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000123ull, 0x7ff0000000000456ull, 0x43e0000000000000ull, 0xc3e0000000000001ull,
};

/* a 128-bit vector as lanes of es bytes, like simd.h */
typedef struct {
    uint8_t b[16];
} vec16;

static uint64_t vlane(const vec16 *v, int es, int i)
{
    uint64_t x = 0;
    memcpy(&x, v->b + es * i, es);
    return x;
}

static void vset(vec16 *v, int es, int i, uint64_t x)
{
    memcpy(v->b + es * i, &x, es);
}

static void vfill(vec16 *v, int es, int seed)
{
    int n = 16 / es;
    for (int i = 0; i < n; i++) {
        int j = (i * 7 + seed * 3 + seed / 5) % (es == 4 ? 20 : 16);
        vset(v, es, i, es == 4 ? simd_sv[j] : simd_dv[j]);
    }
}

enum { V_ADD, V_SUB, V_MUL, V_DIV, V_MAX, V_MINNM, V_ABD, V_FMLA, V_FMLS, V_SQRT, V_RINTX,
       V_ABS, V_NEG, V_CVTZS, V_CVTZU, V_SCVTF, V_CVTZS_FB, V_SCVTF_FB, V_CMGT, V_CMEQ,
       V_CMGE0 };

static uint64_t simd_scalar(int op, int es, uint64_t a, uint64_t b, uint64_t acc,
                            float_status *st)
{
    bool d = es == 8;
    FloatRelation rel;

    switch (op) {
    case V_ADD: return d ? float64_add(a, b, st) : float32_add(a, b, st);
    case V_SUB: return d ? float64_sub(a, b, st) : float32_sub(a, b, st);
    case V_MUL: return d ? float64_mul(a, b, st) : float32_mul(a, b, st);
    case V_DIV: return d ? float64_div(a, b, st) : float32_div(a, b, st);
    case V_MAX: return d ? float64_max(a, b, st) : float32_max(a, b, st);
    case V_MINNM: return d ? float64_minnum(a, b, st) : float32_minnum(a, b, st);
    case V_ABD: return d ? float64_abs(float64_sub(a, b, st))
                         : float32_abs(float32_sub(a, b, st));
    case V_FMLA: return d ? float64_muladd(a, b, acc, 0, st)
                          : float32_muladd(a, b, acc, 0, st);
    case V_FMLS: return d ? float64_muladd(a, b, acc, float_muladd_negate_product, st)
                          : float32_muladd(a, b, acc, float_muladd_negate_product, st);
    case V_SQRT: return d ? float64_sqrt(a, st) : float32_sqrt(a, st);
    case V_RINTX: return d ? float64_round_to_int(a, st) : float32_round_to_int(a, st);
    case V_ABS: return d ? float64_abs(a) : float32_abs(a);
    case V_NEG: return d ? float64_neg(a) : float32_neg(a);
    case V_CVTZS: return d ? (uint64_t)float64_to_int64_round_to_zero(a, st)
                           : (uint32_t)float32_to_int32_round_to_zero(a, st);
    case V_CVTZU: return d ? float64_to_uint64_round_to_zero(a, st)
                           : float32_to_uint32_round_to_zero(a, st);
    case V_SCVTF: return d ? int64_to_float64(a, st) : int32_to_float32(a, st);
    case V_CVTZS_FB: return d ? (uint64_t)float64_to_int64_scalbn(a, float_round_to_zero, 10, st)
                              : (uint32_t)float32_to_int32_scalbn(a, float_round_to_zero, 10, st);
    case V_SCVTF_FB: return d ? int64_to_float64_scalbn(a, -3, st)
                              : int32_to_float32_scalbn(a, -3, st);
    case V_CMGT:
    case V_CMGE0:
        b = op == V_CMGE0 ? 0 : b;
        rel = d ? float64_compare(a, b, st) : float32_compare(a, b, st);
        return (rel == float_relation_greater ||
                (op == V_CMGE0 && rel == float_relation_equal)) ? ~0ull : 0;
    default:
        rel = d ? float64_compare_quiet(a, b, st) : float32_compare_quiet(a, b, st);
        return rel == float_relation_equal ? ~0ull : 0;
    }
}

static void test_arm_simd(void)
{
    static const struct {
        const char *name;
        int op, es, lanes;
        uint64_t ref;
    } cases[] = {
        { "fadd 4s", V_ADD, 4, 4, 0x9ddc2d7305271c30ull },
        { "fadd 2d", V_ADD, 8, 2, 0x4f4037aedda3787eull },
        { "fsub 2s", V_SUB, 4, 2, 0x131745e4bfa5bf80ull },
        { "fmul 4s", V_MUL, 4, 4, 0x1f1e55c059e31adbull },
        { "fmul 2d", V_MUL, 8, 2, 0x3f2ea68944609f6aull },
        { "fdiv 4s", V_DIV, 4, 4, 0xd424ee0e2ef5d66dull },
        { "fdiv 2d", V_DIV, 8, 2, 0x173dd2b1f57306e1ull },
        { "fmax 4s", V_MAX, 4, 4, 0xe48a9aab13603751ull },
        { "fminnm 2d", V_MINNM, 8, 2, 0xf6e2a38e7084e6a4ull },
        { "fabd 4s", V_ABD, 4, 4, 0x6120720e6a3f31fdull },
        { "fmla 4s", V_FMLA, 4, 4, 0x10d28077fa8c13adull },
        { "fmls 2d", V_FMLS, 8, 2, 0xe8b2d850b6bff806ull },
        { "fsqrt 4s", V_SQRT, 4, 4, 0x1ec2e2acfd77a14bull },
        { "frintx 2d", V_RINTX, 8, 2, 0x946dbe9b6f8489d3ull },
        { "fabs 4s", V_ABS, 4, 4, 0x15f0a686461e03b5ull },
        { "fneg 2d", V_NEG, 8, 2, 0x6e6d7d84dae745e5ull },
        { "fcvtzs 4s", V_CVTZS, 4, 4, 0x8d4027143b0dd035ull },
        { "fcvtzu 2d", V_CVTZU, 8, 2, 0xaecaa958149dd415ull },
        { "scvtf 4s", V_SCVTF, 4, 4, 0x5d38d41fba3fcd35ull },
        { "fcvtzs 2d #10", V_CVTZS_FB, 8, 2, 0xde94230ac7a39a8dull },
        { "scvtf 4s #3", V_SCVTF_FB, 4, 4, 0x932b3add181d4655ull },
        { "fcmgt 4s", V_CMGT, 4, 4, 0xd967106284f5c0d9ull },
        { "fcmeq 2d", V_CMEQ, 8, 2, 0xe5af8b925d150c05ull },
        { "fcmge #0 4s", V_CMGE0, 4, 4, 0xf6b55a90024face5ull },
    };
    static const int cfgs[] = { FPCR_RN, FPCR_RM, FZ, DN | FPCR_RZ };

    for (int k = 0; k < (int)G_N_ELEMENTS(cases); k++) {
        int es = cases[k].es;
        uint64_t h = 0xcbf29ce484222325ull;
        for (int m = 0; m < 4; m++) {
            for (int sd = 0; sd < 24; sd++) {
                vec16 in1, in2, acc, e;
                unsigned fl = 0;
                vfill(&in1, es, sd);
                vfill(&in2, es, sd * 5 + 2);
                vfill(&acc, es, sd + 11);
                memset(&e, 0, sizeof(e));
                for (int i = 0; i < cases[k].lanes; i++) {
                    float_status st = arm(cfgs[m]);
                    uint64_t r = simd_scalar(cases[k].op, es, vlane(&in1, es, i),
                                             vlane(&in2, es, i), vlane(&acc, es, i), &st);
                    vset(&e, es, i, r);
                    fl |= fpsr(&st);
                }
                h = fnv_u64(h, vlane(&e, 8, 0));
                h = fnv_u64(h, vlane(&e, 8, 1));
                h = fnv_u64(h, fl);
            }
        }
        if (h != cases[k].ref) {
            fprintf(stderr, "simd-fp %s: hash %#" G_GINT64_MODIFIER "x, QEMU %#"
                    G_GINT64_MODIFIER "x\n", cases[k].name, h, cases[k].ref);
            failures++;
        }
    }

    /* faddp, fmaxnmv, fminv, fcvtn/fcvtn2/fcvtxn/fcvtl2/fcvtn 4h/fcvtl 4s, FPCR 0 */
    uint64_t h = 0xcbf29ce484222325ull;
    float_status st = arm(0), odd = arm(0);
    odd.rounding_mode = float_round_to_odd;
    for (int sd = 0; sd < 40; sd++) {
        vec16 in1, in2, e;
        uint64_t a[4], b[4];
        vfill(&in1, 4, sd);
        vfill(&in2, 4, sd * 3 + 1);
        for (int i = 0; i < 4; i++) {
            a[i] = vlane(&in1, 4, i);
            b[i] = vlane(&in2, 4, i);
        }
#define HASHV() (h = fnv_u64(fnv_u64(h, vlane(&e, 8, 0)), vlane(&e, 8, 1)))
        memset(&e, 0, 16);
        vset(&e, 4, 0, float32_add(a[0], a[1], &st));
        vset(&e, 4, 1, float32_add(a[2], a[3], &st));
        vset(&e, 4, 2, float32_add(b[0], b[1], &st));
        vset(&e, 4, 3, float32_add(b[2], b[3], &st));
        HASHV();
        memset(&e, 0, 16);
        vset(&e, 4, 0, float32_add(a[0], a[1], &st));
        HASHV();
        memset(&e, 0, 16);
        vset(&e, 4, 0, float32_maxnum(float32_maxnum(a[0], a[1], &st),
                                      float32_maxnum(a[2], a[3], &st), &st));
        HASHV();
        memset(&e, 0, 16);
        vset(&e, 4, 0, float32_min(float32_min(a[0], a[1], &st),
                                   float32_min(a[2], a[3], &st), &st));
        HASHV();
        vfill(&in2, 8, sd);
        memset(&e, 0, 16);
        vset(&e, 4, 0, float64_to_float32(vlane(&in2, 8, 0), &st));
        vset(&e, 4, 1, float64_to_float32(vlane(&in2, 8, 1), &st));
        HASHV();
        e = in1;
        vset(&e, 4, 2, float64_to_float32(vlane(&in2, 8, 0), &st));
        vset(&e, 4, 3, float64_to_float32(vlane(&in2, 8, 1), &st));
        HASHV();
        memset(&e, 0, 16);
        vset(&e, 4, 0, float64_to_float32(vlane(&in2, 8, 0), &odd));
        vset(&e, 4, 1, float64_to_float32(vlane(&in2, 8, 1), &odd));
        HASHV();
        vset(&e, 8, 0, float32_to_float64(a[2], &st));
        vset(&e, 8, 1, float32_to_float64(a[3], &st));
        HASHV();
        memset(&e, 0, 16);
        for (int i = 0; i < 4; i++) {
            vset(&e, 2, i, float32_to_float16(a[i], true, &st));
        }
        HASHV();
        for (int i = 0; i < 4; i++) {
            vset(&e, 4, i, float16_to_float32(vlane(&in2, 2, i), true, &st));
        }
        HASHV();
#undef HASHV
    }
    if (h != 0x68e87cc43d98e65full) {
        fprintf(stderr, "simd-fp pairwise/convert: hash %#" G_GINT64_MODIFIER "x, QEMU "
                "0x68e87cc43d98e65f\n", h);
        failures++;
    }
}

/*
 * Estimates across formats and exponents (denormals included): within
 * 2^-7 of 1/x and 1/sqrt(x), computed by the host in double.
 */
static void test_arm_estimate_accuracy(void)
{
    for (int i = 0; i < 30000; i++) {
        int fmt = i % 3;
        float_status st = arm(0), sd = arm(0);
        double x, r, q;
        if (fmt == 0) {
            uint16_t h = gen(5, 10, 0) & 0x7fff;
            if ((h & 0x7c00) == 0x7c00 || h == 0 || h < 0x0010) {
                continue;       /* specials; tiny denormals overflow the result */
            }
            x = f64_of(float16_to_float64(h, true, &sd));
            r = f64_of(float16_to_float64(float16_recip_estimate(h, &st), true, &sd));
            q = f64_of(float16_to_float64(float16_rsqrt_estimate(h, &st), true, &sd));
        } else if (fmt == 1) {
            uint32_t f = gen(8, 23, 0) & 0x7fffffff;
            if ((f & 0x7f800000) == 0x7f800000 || f < 0x00200000) {
                continue;
            }
            x = f32_of(f);
            r = f32_of(float32_recip_estimate(f, &st));
            q = f32_of(float32_rsqrt_estimate(f, &st));
        } else {
            uint64_t d = gen(11, 52, 0) & 0x7fffffffffffffffull;
            if ((d & 0x7ff0000000000000ull) == 0x7ff0000000000000ull ||
                d < 0x0004000000000000ull) {
                continue;
            }
            x = f64_of(d);
            r = f64_of(float64_recip_estimate(d, &st));
            q = f64_of(float64_rsqrt_estimate(d, &st));
        }
        if (r == 0 || isinf(r)) {
            continue;   /* beyond the range: checked by the vectors */
        }
        double er = fabs(r * x - 1), eq = fabs(q * q * x - 1);
        if (er > 1.0 / 128 || eq > 1.0 / 64) {
            fprintf(stderr, "estimate f%d of %a: recpe %a (err %g), rsqrte %a (err %g)\n",
                    16 << fmt, x, r, er, q, eq);
            failures++;
        }
    }
}

static void test_arm_estimates(void)
{
    failures = 0;
    test_arm_simd();
    test_arm_estimate_accuracy();
    /* tests/tcg/aarch64/simd-fp.ref */
    CHECK(float32_recip_estimate(0x3f800000, &st), 0, 0x3f7f8000, 0);
    CHECK(float32_recip_estimate(0x40000000, &st), 0, 0x3eff8000, 0);
    CHECK(float32_recip_estimate(0, &st), 0, 0x7f800000, 0x02);
    CHECK(float32_recip_estimate(0xff800000, &st), 0, 0x80000000, 0);
    CHECK(float32_rsqrt_estimate(0x3f800000, &st), 0, 0x3f7f8000, 0);
    CHECK(float32_rsqrt_estimate(0x40800000, &st), 0, 0x3eff8000, 0);
    CHECK(float32_rsqrt_estimate(0xbf800000, &st), 0, 0x7fc00000, 0x01);
    CHECK(float32_rsqrt_estimate(0x80000000, &st), 0, 0xff800000, 0x02);
    CHECK(float32_recip_step(0x3fc00000, 0x3f000000, &st), 0, 0x3fa00000, 0);
    CHECK(float32_recip_step(0x7f800000, 0x00000000, &st), 0, 0x40000000, 0);
    CHECK(float32_recip_step(0x40000000, 0x40400000, &st), 0, 0xc0800000, 0);
    CHECK(float32_recip_step(0x00000000, 0xff800000, &st), 0, 0x40000000, 0);
    CHECK(float32_rsqrt_step(0x3fc00000, 0x3f000000, &st), 0, 0x3f900000, 0);
    CHECK(float32_rsqrt_step(0x7f800000, 0x00000000, &st), 0, 0x3fc00000, 0);
    CHECK(float32_rsqrt_step(0x40000000, 0x40400000, &st), 0, 0xbfc00000, 0);
    CHECK(float32_rsqrt_step(0x00000000, 0xff800000, &st), 0, 0x3fc00000, 0);
    CHECK(float32_rsqrt_step(0x40000000, 0x40800000, &st), 0, 0xc0200000, 0);
    CHECK(float64_recip_step(D_INF, D_TWO, &st), 0, D_NINF, 0);
    CHECK(float64_recip_step(D_QNAN1, D_TWO, &st), 0, D_QNAN1 | D_NZERO, 0);
    CHECK(float16_rsqrt_step(0x3c00, 0x3c00, &st), 0, 0x3c00, 0);
    /* denormal and huge inputs */
    CHECK(float32_recip_estimate(0x00000001, &st), 0, 0x7f800000, 0x14);
    CHECK(float32_recip_estimate(0x00000001, &st), FPCR_RZ, 0x7f7fffff, 0x14);
    CHECK(float32_recip_estimate(0x00000001, &st), FZ, 0x7f800000, 0x82);
    CHECK(float32_recip_estimate(0x7f000000, &st), FZ, 0, 0x08);
    CHECK(float32_recip_estimate(0x7f000000, &st), 0, 0x00200000 | (0xff << 13), 0);
    CHECK(float64_recip_estimate(0x3ff0000000000000ull, &st), 0, 0x3feff00000000000ull, 0);
    CHECK(float16_recip_estimate(0x3c00, &st), 0, 0x3bfc, 0);
    CHECK(float64_rsqrt_estimate(0x3ff0000000000000ull, &st), 0, 0x3feff00000000000ull, 0);
    CHECK(float16_rsqrt_estimate(0x0001, &st), 0, 0x6bfc, 0);  /* 2^-24 -> 2^12 */
    CHECK(float32_rsqrt_estimate(0x7f800000, &st), 0, 0, 0);
    CHECK(float32_recip_estimate(0x7f800001, &st), 0, 0x7fc00001, 0x01);
    /* FRINT32/FRINT64 */
    CHECK(float32_round_to_int_n(0x4f000000, float_round_to_zero, 32, &st), 0, 0xcf000000, 0x01);
    CHECK(float32_round_to_int_n(0xcf000000, float_round_to_zero, 32, &st), 0, 0xcf000000, 0);
    CHECK(float32_round_to_int_n(0x40200000, float_round_to_zero, 32, &st), 0, 0x40000000, 0x10);
    CHECK(float32_round_to_int_n(0x40200000, float_round_nearest_even, 32, &st), 0, 0x40000000, 0x10);
    CHECK(float32_round_to_int_n(0xbf000000, float_round_to_zero, 32, &st), 0, 0x80000000, 0x10);
    CHECK(float32_round_to_int_n(0x7fc00000, float_round_to_zero, 32, &st), 0, 0xcf000000, 0x01);
    CHECK(float32_round_to_int_n(0x5f000000, float_round_to_zero, 64, &st), 0, 0xdf000000, 0x01);
    CHECK(float64_round_to_int_n(0x41dfffffffe00000ull, float_round_nearest_even, 32, &st),
          0, 0xc1e0000000000000ull, 0x01);   /* 2^31 - 0.5 rounds to 2^31: out of range */
    CHECK(float64_round_to_int_n(0x41dfffffffe00000ull, float_round_to_zero, 32, &st),
          0, 0x41dfffffffc00000ull, 0x10);
    CHECK(float64_round_to_int_n(0xc3e0000000000000ull, float_round_to_zero, 64, &st),
          0, 0xc3e0000000000000ull, 0);
    /* FJCVTZS */
    {
        static const struct { uint64_t in; uint32_t out; bool z; unsigned fl; } js[] = {
            { D_ONE, 1, true, 0 },
            { D_NZERO, 0, false, 0 },
            { 0, 0, true, 0 },
            { 0x3ff8000000000000ull, 1, false, 0x10 },
            { 0xc004000000000000ull, 0xfffffffe, false, 0x10 },
            { 0x41e0000000000000ull, 0x80000000, false, 0x01 },        /* 2^31 */
            { 0xc1e0000000000000ull, 0x80000000, true, 0 },            /* -2^31 */
            { 0xc1e0000000100000ull, 0x80000000, false, 0x10 },        /* -2^31 - 0.5 */
            { 0x41f0000000700000ull, 7, false, 0x01 },                 /* 2^32 + 7 */
            { 0xc1f0000000700000ull, 0xfffffff9, false, 0x01 },        /* -(2^32 + 7) */
            { 0x7e37e43c8800759cull, 0, false, 0x01 },                 /* 1e300 */
            { 0x4330000000000003ull, 3, false, 0x01 },                 /* 2^52 + 3 */
            { D_DNAN, 0, false, 0x01 },
            { D_NINF, 0, false, 0x01 },
            { 1, 0, false, 0x10 },
        };
        for (int i = 0; i < (int)G_N_ELEMENTS(js); i++) {
            float_status x = arm(0);
            bool z;
            uint32_t r = float64_to_int32_js(js[i].in, &z, &x);
            if (r != js[i].out || z != js[i].z || fpsr(&x) != js[i].fl) {
                fprintf(stderr, "fjcvtzs %#" G_GINT64_MODIFIER "x: got %#x z %d fpsr %#x\n",
                        js[i].in, r, z, fpsr(&x));
                failures++;
            }
        }
        float_status x = arm(FZ);
        bool z;
        g_assert_cmpint(float64_to_int32_js(1, &z, &x), ==, 0);
        g_assert_false(z);
        g_assert_cmphex(x.flags, ==, float_flag_input_denormal);
    }
    /* FMULX */
    CHECK(float32_mulx(0x7f800000, 0x80000000, &st), 0, 0xc0000000, 0);
    CHECK(float64_mulx(0, D_INF, &st), 0, D_TWO, 0);
    CHECK(float16_mulx(0xfc00, 0x8000, &st), 0, 0x4000, 0);
    CHECK(float64_mulx(D_INF, 1, &st), FZ, D_TWO, 0x80);
    CHECK(float64_mulx(D_THREE, D_TWO, &st), 0, 0x4018000000000000ull, 0);
    CHECK(float64_mulx(D_INF, D_QNAN1, &st), 0, D_QNAN1, 0);
    CHECK(float64_mulx(D_SNAN1, 0, &st), 0, D_QSNAN1, 0x01);
    /* FRECPX */
    CHECK(float32_recpx(0x3f800000, &st), 0, 0x40000000, 0);
    CHECK(float32_recpx(0x00000001, &st), 0, 0x7f000000, 0);
    CHECK(float32_recpx(0x80000001, &st), FZ, 0xff000000, 0x80);
    CHECK(float32_recpx(0xff800000, &st), 0, 0x80000000, 0);
    CHECK(float64_recpx(D_SNAN1, &st), 0, D_QSNAN1, 0x01);
    /* the integer cores, at their ends */
    g_assert_cmpint(arm_recip_estimate_int(256), ==, 511);
    g_assert_cmpint(arm_recip_estimate_int(511), ==, 256);
    g_assert_cmpint(arm_rsqrt_estimate_int(128), ==, 511);
    g_assert_cmpint(arm_rsqrt_estimate_int(511), ==, 256);
    for (int a = 256; a < 512; a++) {
        int r = arm_recip_estimate_int(a);
        g_assert(r >= 256 && r < 512);
    }
    for (int a = 128; a < 512; a++) {
        int r = arm_rsqrt_estimate_int(a);
        g_assert(r >= 256 && r < 512);
    }
    g_assert_cmpint(failures, ==, 0);
}

int main(int argc, char **argv)
{
    const char *n = getenv("TEST_SOFTFLOAT_N");

    g_test_init(&argc, &argv, NULL);
    if (n) {
        ncases = atoi(n);
    }
    if (getenv("TEST_SOFTFLOAT_SEED")) {
        rng_state += strtoull(getenv("TEST_SOFTFLOAT_SEED"), NULL, 0) * 0x2545f4914f6cdd1dull;
    }
    for (int op = 0; op < OP_NUM; op++) {
        char *p32 = g_strdup_printf("/softfloat/host/f32/%s", op_names[op]);
        char *p64 = g_strdup_printf("/softfloat/host/f64/%s", op_names[op]);
        g_test_add_data_func(p32, GINT_TO_POINTER(op), test_host_f32);
        g_test_add_data_func(p64, GINT_TO_POINTER(op), test_host_f64);
#ifdef HAVE_HOST_SSE
        char *z32 = g_strdup_printf("/softfloat/host/f32-ftz-daz/%s", op_names[op]);
        char *z64 = g_strdup_printf("/softfloat/host/f64-ftz-daz/%s", op_names[op]);
        g_test_add_data_func(z32, GINT_TO_POINTER(op | 0x100), test_host_f32);
        g_test_add_data_func(z64, GINT_TO_POINTER(op | 0x100), test_host_f64);
        g_free(z32);
        g_free(z64);
#endif
        if (op != OP_FMA) {
            char *p16 = g_strdup_printf("/softfloat/f16-via-f64/%s", op_names[op]);
            g_test_add_data_func(p16, GINT_TO_POINTER(op), test_f16_via_f64);
            g_free(p16);
        }
        g_free(p32);
        g_free(p64);
    }
    g_test_add_func("/softfloat/host/convert-f32-f64", test_host_convert);
    g_test_add_func("/softfloat/host/mul-odd-ties-away", test_host_odd_ties_away);
    g_test_add_func("/softfloat/host/rem", test_host_rem);
    g_test_add_func("/softfloat/f16-via-f64/muladd", test_f16_muladd);
#ifdef HAVE_HOST_SSE
    g_test_add_func("/softfloat/host/convert-f32-f16", test_host_f16_convert);
    g_test_add_func("/softfloat/host/compare", test_host_compare);
#endif
    g_test_add_func("/softfloat/host/convert-int", test_host_int_convert);
    g_test_add_func("/softfloat/arm/arith", test_arm_arith);
    g_test_add_func("/softfloat/arm/convert", test_arm_convert);
    g_test_add_func("/softfloat/arm/estimates", test_arm_estimates);
    return g_test_run();
}
