/*
 * Arm-specific FP operations, from the Arm ARM pseudocode
 * (shared/functions/float: FPRecipEstimate, RecipEstimate, FPRSqrtEstimate,
 * RecipSqrtEstimate, FPRecpX, FPRecipStepFused, FPRSqrtStepFused).  The
 * 8-bit estimates are computed by the pseudocode's integer algorithm, not
 * looked up.  FEAT_RPRES (12-bit estimates) is not implemented.
 */
#include "fpu/softfloat-arm.h"
#include "softfloat-internal.h"

int arm_recip_estimate_int(int a)
{
    a = a * 2 + 1;                  /* round to nearest */
    int b = (1 << 19) / a;
    return (b + 1) / 2;
}

int arm_rsqrt_estimate_int(int a)
{
    if (a < 256) {
        a = a * 2 + 1;              /* 0.25 .. 0.5 in units of 1/512 */
    } else {
        a = (a >> 1) << 1;          /* 0.5 .. 1.0 in units of 1/256 */
        a = (a + 1) * 2;
    }
    /* the smallest b >= 512 with a * (b + 1)^2 >= 2^28, by bisection */
    int lo = 512, hi = 2048;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if ((int64_t)a * (mid + 1) * (mid + 1) >= (1 << 28)) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return (lo + 1) / 2;
}

static uint64_t fmt_sign_bit(const FloatFmt *f)
{
    return 1ull << (f->ebits + f->fbits);
}

static uint64_t recip_estimate(uint64_t raw, const FloatFmt *f, float_status *s)
{
    FloatParts p = fp_unpack_s(raw, f, s);
    uint64_t sign_bit = p.sign ? fmt_sign_bit(f) : 0;
    uint64_t inf = (uint64_t)f->emax << f->fbits;

    if (fp_is_nan(&p)) {
        return fp_round_pack(fp_nan1(p, s), f, 0, false, s);
    }
    if (p.cls == FC_INF) {
        return sign_bit;
    }
    if (p.cls == FC_ZERO) {
        float_raise(float_flag_divbyzero, s);
        return sign_bit | inf;
    }
    if (p.exp < -(f->bias + 1)) {
        bool to_inf;
        switch (s->rounding_mode) {
        case float_round_up:
            to_inf = !p.sign;
            break;
        case float_round_down:
            to_inf = p.sign;
            break;
        case float_round_to_zero:
            to_inf = false;
            break;
        default:
            to_inf = true;
            break;
        }
        float_raise(float_flag_overflow | float_flag_inexact, s);
        return sign_bit | (to_inf ? inf : inf - 1);
    }
    if (s->flush_to_zero && p.exp >= f->bias - 1) {
        float_raise(float_flag_underflow, s);
        return sign_bit;
    }
    uint64_t fraction = (raw & ((1ull << f->fbits) - 1)) << (52 - f->fbits);
    int exp = (raw >> f->fbits) & ((1 << f->ebits) - 1);
    const uint64_t m52 = (1ull << 52) - 1;

    if (exp == 0) {
        if (!(fraction >> 51)) {
            exp = -1;
            fraction = (fraction << 2) & m52;
        } else {
            fraction = (fraction << 1) & m52;
        }
    }
    int scaled = 256 | (int)(fraction >> 44);
    int result_exp = 2 * f->bias - 1 - exp;
    int est = arm_recip_estimate_int(scaled);

    fraction = (uint64_t)(est & 0xff) << 44;
    if (result_exp == 0) {
        fraction = (1ull << 51) | (fraction >> 1);
    } else if (result_exp == -1) {
        fraction = (1ull << 50) | (fraction >> 2);
        result_exp = 0;
    }
    return sign_bit | ((uint64_t)result_exp << f->fbits) | (fraction >> (52 - f->fbits));
}

static uint64_t rsqrt_estimate(uint64_t raw, const FloatFmt *f, float_status *s)
{
    FloatParts p = fp_unpack_s(raw, f, s);
    uint64_t inf = (uint64_t)f->emax << f->fbits;

    if (fp_is_nan(&p)) {
        return fp_round_pack(fp_nan1(p, s), f, 0, false, s);
    }
    if (p.cls == FC_ZERO) {
        float_raise(float_flag_divbyzero, s);
        return (p.sign ? fmt_sign_bit(f) : 0) | inf;
    }
    if (p.sign) {
        return fp_round_pack(fp_invalid_nan(s), f, 0, false, s);
    }
    if (p.cls == FC_INF) {
        return 0;
    }
    uint64_t fraction = (raw & ((1ull << f->fbits) - 1)) << (52 - f->fbits);
    int exp = (raw >> f->fbits) & ((1 << f->ebits) - 1);
    const uint64_t m52 = (1ull << 52) - 1;

    if (exp == 0) {
        while (!(fraction >> 51)) {
            fraction <<= 1;
            exp--;
        }
        fraction = (fraction << 1) & m52;
    }
    /* even biased exponent: 0.5 <= x < 1; odd: 0.25 <= x < 0.5 */
    int scaled = (exp & 1) == 0 ? 0x100 | (int)(fraction >> 44)
                                : 0x80 | (int)(fraction >> 45);
    int result_exp = (3 * f->bias - 1 - exp) / 2;
    int est = arm_rsqrt_estimate_int(scaled);

    return ((uint64_t)result_exp << f->fbits) |
           ((uint64_t)(est & 0xff) << (f->fbits - 8));
}

static uint64_t recpx(uint64_t raw, const FloatFmt *f, float_status *s)
{
    FloatParts p = fp_unpack_s(raw, f, s);
    uint64_t emax = f->emax;
    uint64_t exp = (raw >> f->fbits) & emax;

    if (fp_is_nan(&p)) {
        return fp_round_pack(fp_nan1(p, s), f, 0, false, s);
    }
    exp = exp == 0 ? emax - 1 : ~exp & emax;
    return (p.sign ? fmt_sign_bit(f) : 0) | (exp << f->fbits);
}

static uint64_t step(uint64_t a, uint64_t b, const FloatFmt *f, bool rsqrt,
                     float_status *s)
{
    FloatParts pa = fp_unpack_s(a, f, s), pb = fp_unpack_s(b, f, s);

    pa.sign ^= 1;       /* FPNeg(op1), before the NaN checks */
    if (fp_is_nan(&pa) || fp_is_nan(&pb)) {
        return fp_pack_s(fp_nan2(pa, pb, s), f, s);
    }
    if ((pa.cls == FC_INF && pb.cls == FC_ZERO) ||
        (pa.cls == FC_ZERO && pb.cls == FC_INF)) {
        /* 2.0 or 1.5, exactly */
        FloatParts r = { .cls = FC_NORMAL, .exp = rsqrt ? 0 : 1,
                         .frac = rsqrt ? 3ull << 62 : 1ull << 63 };
        return fp_pack_s(r, f, s);
    }
    FloatParts c = fp_from_u64(rsqrt ? 3 : 2, false);
    return fp_pack_s(fp_muladd(pa, pb, c, rsqrt ? float_muladd_halve_result : 0, s),
                     f, s);
}

/*
 * FPRoundIntN (FRINT32Z/FRINT32X/FRINT64Z/FRINT64X): round to an integral
 * value that fits intsize bits; NaN, infinity and out-of-range give
 * -2^(intsize-1) with invalid.  Inexact is raised whatever the mode.
 */
static uint64_t round_int_n(uint64_t raw, const FloatFmt *f, int rmode, int intsize,
                            float_status *s)
{
    FloatParts p = fp_unpack_s(raw, f, s);
    uint64_t sign_bit = p.sign ? fmt_sign_bit(f) : 0;
    uint64_t most_neg = fmt_sign_bit(f) | ((uint64_t)(f->bias + intsize - 1) << f->fbits);
    uint64_t limit = 1ull << (intsize - 1), mag;
    bool inexact;

    if (fp_is_nan(&p) || p.cls == FC_INF) {
        float_raise(float_flag_invalid, s);
        return most_neg;
    }
    if (p.cls == FC_ZERO) {
        return sign_bit;
    }
    if (!fp_round_to_mag(p, rmode, 0, &mag, &inexact) ||
        mag > (p.sign ? limit : limit - 1)) {
        float_raise(float_flag_invalid, s);
        return most_neg;
    }
    if (inexact) {
        float_raise(float_flag_inexact, s);
    }
    return fp_round_pack(fp_from_u64(mag, p.sign), f, float_round_to_zero, false, s);
}

float32 float32_round_to_int_n(float32 a, FloatRoundMode rmode, int intsize, float_status *s)
{
    return round_int_n(a, &fp_fmt_f32, rmode, intsize, s);
}

float64 float64_round_to_int_n(float64 a, FloatRoundMode rmode, int intsize, float_status *s)
{
    return round_int_n(a, &fp_fmt_f64, rmode, intsize, s);
}

/*
 * FPToFixedJS (FJCVTZS): truncate, wrap modulo 2^32; invalid when the
 * integer does not fit int32 (or NaN/inf, which give 0), else inexact if
 * truncated.  *z is the PSTATE.Z result: set only for an exact in-range
 * conversion of anything but -0 or a flushed denormal.
 */
int32_t float64_to_int32_js(float64 a, bool *z, float_status *s)
{
    FloatParts p = fp_unpack_s(a, &fp_fmt_f64, s);
    uint64_t low, rem = 0;
    bool overflow;

    *z = false;
    if (fp_is_nan(&p) || p.cls == FC_INF) {
        float_raise(float_flag_invalid, s);
        return 0;
    }
    if (p.cls == FC_ZERO) {
        *z = !p.sign && (a & 0x000fffffffffffffull) == 0;
        return 0;
    }
    if (p.exp < 0) {
        float_raise(float_flag_inexact, s);
        return 0;
    }
    if (p.exp >= 63) {
        low = p.exp - 63 >= 32 ? 0 : p.frac << (p.exp - 63);
    } else {
        low = p.frac >> (63 - p.exp);
        rem = p.frac << (p.exp + 1);
    }
    /* |trunc(value)| > 2^31 - 1, or > 2^31 when negative */
    overflow = p.exp > 31 ||
               (p.exp == 31 && !(p.sign && (p.frac >> 32) == 0x80000000u));
    low = (uint32_t)(p.sign ? 0 - low : low);
    if (overflow) {
        float_raise(float_flag_invalid, s);
    } else if (rem) {
        float_raise(float_flag_inexact, s);
    } else {
        *z = true;
    }
    return (int32_t)low;
}

/* FPMulX: a multiply where inf * 0 is 2.0 with the sign of the product */
static uint64_t mulx(uint64_t a, uint64_t b, const FloatFmt *f, float_status *s)
{
    FloatParts pa = fp_unpack_s(a, f, s), pb = fp_unpack_s(b, f, s);

    if (!fp_is_nan(&pa) && !fp_is_nan(&pb) &&
        ((pa.cls == FC_INF && pb.cls == FC_ZERO) || (pa.cls == FC_ZERO && pb.cls == FC_INF))) {
        FloatParts two = { .cls = FC_NORMAL, .exp = 1, .frac = 1ull << 63,
                           .sign = pa.sign ^ pb.sign };
        return fp_pack_s(two, f, s);
    }
    switch (f->fbits) {
    case 10:
        return float16_mul(a, b, s);
    case 23:
        return float32_mul(a, b, s);
    default:
        return float64_mul(a, b, s);
    }
}

#define FLOAT_DEFINE_ARM(T, FMT)                                                  \
T T##_recip_estimate(T a, float_status *s) { return recip_estimate(a, &FMT, s); } \
T T##_rsqrt_estimate(T a, float_status *s) { return rsqrt_estimate(a, &FMT, s); } \
T T##_recpx(T a, float_status *s) { return recpx(a, &FMT, s); }                   \
T T##_mulx(T a, T b, float_status *s) { return mulx(a, b, &FMT, s); }             \
T T##_recip_step(T a, T b, float_status *s) { return step(a, b, &FMT, false, s); } \
T T##_rsqrt_step(T a, T b, float_status *s) { return step(a, b, &FMT, true, s); }

FLOAT_DEFINE_ARM(float16, fp_fmt_f16)
FLOAT_DEFINE_ARM(float32, fp_fmt_f32)
FLOAT_DEFINE_ARM(float64, fp_fmt_f64)
