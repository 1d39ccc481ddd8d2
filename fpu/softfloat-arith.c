/*
 * Arithmetic: add, sub, mul, div, sqrt, fused multiply-add, scalbn and
 * rounding to integral (IEEE 754-2008 5.3-5.4; Arm ARM FPAdd, FPMul,
 * FPDiv, FPSqrt, FPMulAdd, FPRoundInt).  Each computes the exact result,
 * or a truncation of it with a sticky bit, and rounds once.
 */
#include "softfloat-internal.h"

static FloatParts parts_addsub(FloatParts a, FloatParts b, bool subtract,
                               float_status *s)
{
    if (fp_is_nan(&a) || fp_is_nan(&b)) {
        return fp_nan2(a, b, s);
    }
    fp_denormal_operand(&a, &b, s);
    b.sign ^= subtract;
    if (a.cls == FC_INF) {
        if (b.cls == FC_INF && a.sign != b.sign) {
            return fp_invalid_nan(s);
        }
        return a;
    }
    if (b.cls == FC_INF) {
        return b;
    }
    if (a.cls == FC_ZERO) {
        if (b.cls == FC_ZERO && a.sign != b.sign) {
            return fp_zero(s->rounding_mode == float_round_down);
        }
        return b;
    }
    if (b.cls == FC_ZERO) {
        return a;
    }

    /* both finite non-zero: align to bit 62 with one bit of headroom */
    uint64_t fa = a.frac >> 1, fb = b.frac >> 1, r;
    int32_t d = a.exp - b.exp, e;
    FloatParts out = { .cls = FC_NORMAL };

    if (d > 0) {
        fb = fp_shr_jam(fb, d);
        e = a.exp;
    } else {
        fa = fp_shr_jam(fa, -d);
        e = b.exp;
    }
    if (a.sign == b.sign) {
        r = fa + fb;
        out.sign = a.sign;
        if (r >> 63) {
            e++;
        } else {
            r <<= 1;
        }
        out.frac = r;
        out.exp = e;
        return out;
    }
    if (fa >= fb) {
        r = fa - fb;
        out.sign = a.sign;
    } else {
        r = fb - fa;
        out.sign = b.sign;
    }
    if (r == 0) {
        return fp_zero(s->rounding_mode == float_round_down);
    }
    int n = fp_clz64(r);
    out.frac = r << n;
    out.exp = e + 1 - n;
    return out;
}

static FloatParts parts_mul(FloatParts a, FloatParts b, float_status *s)
{
    bool sign = a.sign ^ b.sign;

    if (fp_is_nan(&a) || fp_is_nan(&b)) {
        return fp_nan2(a, b, s);
    }
    fp_denormal_operand(&a, &b, s);
    if ((a.cls == FC_INF && b.cls == FC_ZERO) || (a.cls == FC_ZERO && b.cls == FC_INF)) {
        return fp_invalid_nan(s);
    }
    if (a.cls == FC_INF || b.cls == FC_INF) {
        return fp_inf(sign);
    }
    if (a.cls == FC_ZERO || b.cls == FC_ZERO) {
        return fp_zero(sign);
    }
    uint128_t prod = (uint128_t)a.frac * b.frac;
    uint64_t hi = prod >> 64, lo = (uint64_t)prod;
    FloatParts out = { .cls = FC_NORMAL, .sign = sign, .exp = a.exp + b.exp };

    if (hi >> 63) {
        out.exp++;
    } else {
        hi = (hi << 1) | (lo >> 63);
        lo <<= 1;
    }
    out.frac = hi | (lo != 0);
    return out;
}

static FloatParts parts_div(FloatParts a, FloatParts b, float_status *s)
{
    bool sign = a.sign ^ b.sign;

    if (fp_is_nan(&a) || fp_is_nan(&b)) {
        return fp_nan2(a, b, s);
    }
    if (a.cls == b.cls && (a.cls == FC_INF || a.cls == FC_ZERO)) {
        return fp_invalid_nan(s);
    }
    if (b.cls == FC_ZERO) {
        if (a.cls != FC_INF) {
            float_raise(float_flag_divbyzero, s);   /* x86: and no DE */
        }
        return fp_inf(sign);
    }
    fp_denormal_operand(&a, &b, s);
    if (a.cls == FC_INF) {
        return fp_inf(sign);
    }
    if (a.cls == FC_ZERO || b.cls == FC_INF) {
        return fp_zero(sign);
    }
    FloatParts out = { .cls = FC_NORMAL, .sign = sign, .exp = a.exp - b.exp };
    uint128_t n;

    if (a.frac < b.frac) {
        n = (uint128_t)a.frac << 64;
        out.exp--;
    } else {
        n = (uint128_t)a.frac << 63;
    }
    uint64_t q = n / b.frac;
    uint64_t r = n - (uint128_t)q * b.frac;
    out.frac = q | (r != 0);
    return out;
}

/*
 * The top k bits of sqrt(n), n in [2^126, 2^128), one bit per step (the
 * schoolbook digit recurrence, k <= 61 so everything fits 64 bits); returned
 * left-aligned at bit 63 with bit 0 sticky: the exact root's truncation.
 */
static uint64_t sqrt_bits(uint128_t n, int k)
{
    uint64_t rem = 0, root = 0;

    for (int i = 0; i < k; i++) {
        rem = (rem << 2) | (uint64_t)(n >> 126);
        n <<= 2;
        uint64_t trial = (root << 2) | 1;
        uint64_t take = -(uint64_t)(rem >= trial);     /* branch-free: taken half the time */
        rem -= trial & take;
        root = (root << 1) | (take & 1);
    }
    return (root << (64 - k)) | (rem != 0 || n != 0);
}

/*
 * floor(sqrt(n)) for n in [2^126, 2^128) with the sticky bit, for double
 * precision: 16 bits by the recurrence, two Newton steps (each roughly
 * doubles the correct bits, from below they land within +2), then an
 * exact correction by squaring.
 */
static uint64_t sqrt_newton(uint128_t n)
{
    uint64_t x = n >> 64;                               /* [2^62, 2^64) */
    uint64_t r16 = sqrt_bits((uint128_t)x << 64, 16) >> 48;
    uint64_t r0 = r16 << 16;                            /* <= sqrt(x) */
    uint64_t r32 = (r0 + x / r0) >> 1;
    uint128_t d = (uint128_t)r32 << 32;
    uint128_t r = (d + n / d) >> 1;

    if (r >> 64) {
        r = UINT64_MAX;
    }
    while (r * r > n) {
        r--;
    }
    while (r < UINT64_MAX && (r + 1) * (r + 1) <= n) {
        r++;
    }
    return (uint64_t)r | (r * r != n);
}

static FloatParts parts_sqrt(FloatParts a, int fbits, float_status *s)
{
    if (fp_is_nan(&a)) {
        return fp_nan1(a, s);
    }
    uint16_t had_de = s->flags & float_flag_denormal_operand;

    fp_denormal_operand(&a, &a, s);
    if (a.cls == FC_ZERO) {
        return a;
    }
    if (a.sign) {
        /* the invalid operation decides: a negative denormal is no DE */
        s->flags = (s->flags & ~float_flag_denormal_operand) | had_de;
        return fp_invalid_nan(s);
    }
    if (a.cls == FC_INF) {
        return a;
    }
    /* value frac * 2^(exp - 63): make the exponent even, root exponent halves */
    uint128_t n = (uint128_t)a.frac << (63 + (a.exp & 1));
    FloatParts out = { .cls = FC_NORMAL, .exp = a.exp >> 1 };

    /* precision + round bit + one more + sticky is enough to round once */
    out.frac = fbits > 23 ? sqrt_newton(n) : sqrt_bits(n, fbits + 3);
    return out;
}

/* a * b + c with one rounding (the caller's); see float_muladd_* */
FloatParts fp_muladd(FloatParts a, FloatParts b, FloatParts c, int flags,
                     float_status *s)
{
    bool infzero = (a.cls == FC_INF && b.cls == FC_ZERO) ||
                   (a.cls == FC_ZERO && b.cls == FC_INF);

    if (flags & float_muladd_negate_product) {
        a.sign ^= 1;
    }
    if (flags & float_muladd_negate_c) {
        c.sign ^= 1;
    }
    if (fp_is_nan(&a) || fp_is_nan(&b) || fp_is_nan(&c)) {
        if (a.cls == FC_SNAN || b.cls == FC_SNAN || c.cls == FC_SNAN) {
            float_raise(float_flag_invalid, s);
        }
        if (s->nan_rule == float_nan_rule_arm) {
            /* FPMulAdd: FPProcessNaNs3(addend, op1, op2), then inf*0+qNaN */
            if (c.cls == FC_SNAN) {
                return fp_nan1(c, s);
            }
            if (a.cls == FC_SNAN) {
                return fp_nan1(a, s);
            }
            if (b.cls == FC_SNAN) {
                return fp_nan1(b, s);
            }
            if (infzero) {
                return fp_invalid_nan(s);
            }
            return fp_nan1(c.cls == FC_QNAN ? c : a.cls == FC_QNAN ? a : b, s);
        }
        /* x86: inf * 0 + qNaN is the qNaN, without invalid (as the host does) */
        return fp_nan1(fp_is_nan(&a) ? a : fp_is_nan(&b) ? b : c, s);
    }
    if (infzero) {
        return fp_invalid_nan(s);
    }

    bool psign = a.sign ^ b.sign;
    bool rsign_flip = flags & float_muladd_negate_result;
    int scale = (flags & float_muladd_halve_result) ? -1 : 0;
    FloatParts out = { .cls = FC_ZERO };

    if ((a.cls == FC_INF || b.cls == FC_INF) && c.cls == FC_INF && c.sign != psign) {
        return fp_invalid_nan(s);
    }
    /* x86 reports a denormal operand unless the operation was invalid */
    fp_denormal_operand(&a, &b, s);
    fp_denormal_operand(&c, &c, s);
    if (a.cls == FC_INF || b.cls == FC_INF) {
        out = fp_inf(psign);
    } else if (c.cls == FC_INF) {
        out = c;
    } else if (a.cls == FC_ZERO || b.cls == FC_ZERO) {
        if (c.cls == FC_ZERO) {
            out = fp_zero(psign == c.sign ? psign
                                          : s->rounding_mode == float_round_down);
        } else {
            out = c;
            out.exp += scale;
        }
    } else {
        /* exact product, normalised to bit 127: value p * 2^(pe - 127) */
        uint128_t p = (uint128_t)a.frac * b.frac;
        int32_t pe = a.exp + b.exp;

        if (p >> 127) {
            pe++;
        } else {
            p <<= 1;
        }
        if (c.cls == FC_ZERO) {
            out.cls = FC_NORMAL;
            out.sign = psign;
            out.exp = pe;
            out.frac = (uint64_t)(p >> 64) | ((uint64_t)p != 0);
        } else {
            uint128_t cp = (uint128_t)c.frac << 63, pp = p >> 1, r;
            int32_t d = pe - c.exp, e;

            if (d > 0) {
                cp = fp_shr_jam128(cp, d);
                e = pe;
            } else {
                pp = fp_shr_jam128(pp, -d);
                e = c.exp;
            }
            out.cls = FC_NORMAL;
            if (psign == c.sign) {
                r = pp + cp;
                out.sign = psign;
            } else if (pp >= cp) {
                r = pp - cp;
                out.sign = psign;
            } else {
                r = cp - pp;
                out.sign = c.sign;
            }
            if (r == 0) {
                out = fp_zero(s->rounding_mode == float_round_down);
            } else {
                /* value r * 2^(e - 126): normalise to bit 127 */
                uint64_t hi = r >> 64, lo = (uint64_t)r;
                int n = hi ? fp_clz64(hi) : 64 + fp_clz64(lo);

                r <<= n;
                out.exp = e + 1 - n;
                out.frac = (uint64_t)(r >> 64) | ((uint64_t)r != 0);
            }
        }
        out.exp += scale;
    }
    out.sign ^= rsign_flip;
    return out;
}

/*
 * IEEE 754 remainder: a - n * b with n the integer nearest a / b (ties to
 * even), always exact.  Long division 64 quotient bits per step on the
 * integer significands; only the remainder and the quotient's parity matter.
 */
static FloatParts parts_rem(FloatParts a, FloatParts b, float_status *s)
{
    if (fp_is_nan(&a) || fp_is_nan(&b)) {
        return fp_nan2(a, b, s);
    }
    if (a.cls == FC_INF || b.cls == FC_ZERO) {
        return fp_invalid_nan(s);
    }
    fp_denormal_operand(&a, &b, s);
    if (a.cls == FC_ZERO || b.cls == FC_INF || a.exp < b.exp - 1) {
        return a;                       /* |a| < |b| / 2 (or a is zero) */
    }
    /* a = X * 2^(e - 62), b = Y * 2^(e - 62), with X, Y < 2^64 */
    uint64_t x = a.frac >> 1, y = b.frac >> 1, q, r;
    int32_t e = b.exp, d = a.exp - b.exp;

    if (d < 0) {
        y <<= 1;
        e = a.exp;
        q = 0;
        r = x;
    } else {
        q = x / y;
        r = x % y;
        while (d > 0) {
            int k = d > 64 ? 64 : d;
            uint128_t t = (uint128_t)r << k;
            q = (uint64_t)(t / y);
            r = (uint64_t)(t % y);
            d -= k;
        }
    }
    bool sign = a.sign;
    uint128_t r2 = (uint128_t)r << 1;
    if (r2 > y || (r2 == y && (q & 1))) {
        r = y - r;
        sign = !sign;
    }
    FloatParts out = fp_from_u64(r, sign);
    if (out.cls == FC_ZERO) {
        out.sign = a.sign;
    } else {
        out.exp += e - 62;
    }
    return out;
}

static FloatParts parts_round_to_int(FloatParts a, int rmode, bool exact, int fbits,
                                     float_status *s)
{
    if (fp_is_nan(&a)) {
        return fp_nan1(a, s);
    }
    if (a.cls != FC_NORMAL || a.exp >= fbits) {
        return a;
    }
    int n = 63 - a.exp;   /* fraction bits to drop, >= 64 - fbits */
    uint64_t q, rem, half;

    if (n < 64) {
        q = a.frac >> n;
        rem = a.frac & ((1ull << n) - 1);
        half = 1ull << (n - 1);
    } else if (n == 64) {
        q = 0;
        rem = a.frac;
        half = 1ull << 63;
    } else {
        q = 0;
        rem = 1;        /* below one half */
        half = 2;
    }
    if (rmode == float_round_to_odd) {
        q |= rem != 0;
    } else {
        q += fp_round_up(rem, half, q & 1, a.sign, rmode);
    }
    if (rem && exact) {
        float_raise(float_flag_inexact, s);
    }
    return fp_from_u64(q, a.sign);
}

static FloatParts parts_scalbn(FloatParts a, int n, float_status *s)
{
    if (fp_is_nan(&a)) {
        return fp_nan1(a, s);
    }
    fp_denormal_operand(&a, &a, s);
    if (a.cls == FC_NORMAL) {
        n = n > 0x10000 ? 0x10000 : n < -0x10000 ? -0x10000 : n;
        a.exp += n;
    }
    return a;
}

#define FLOAT_DEFINE_ARITH(T, FMT)                                                \
T T##_add(T a, T b, float_status *s)                                              \
{                                                                                 \
    return fp_pack_s(parts_addsub(fp_unpack_s(a, &FMT, s), fp_unpack_s(b, &FMT, s), \
                                  false, s), &FMT, s);                            \
}                                                                                 \
T T##_sub(T a, T b, float_status *s)                                              \
{                                                                                 \
    return fp_pack_s(parts_addsub(fp_unpack_s(a, &FMT, s), fp_unpack_s(b, &FMT, s), \
                                  true, s), &FMT, s);                             \
}                                                                                 \
T T##_mul(T a, T b, float_status *s)                                              \
{                                                                                 \
    return fp_pack_s(parts_mul(fp_unpack_s(a, &FMT, s), fp_unpack_s(b, &FMT, s), \
                               s), &FMT, s);                                      \
}                                                                                 \
T T##_div(T a, T b, float_status *s)                                              \
{                                                                                 \
    return fp_pack_s(parts_div(fp_unpack_s(a, &FMT, s), fp_unpack_s(b, &FMT, s), \
                               s), &FMT, s);                                      \
}                                                                                 \
T T##_rem(T a, T b, float_status *s)                                              \
{                                                                                 \
    return fp_pack_s(parts_rem(fp_unpack_s(a, &FMT, s), fp_unpack_s(b, &FMT, s), \
                               s), &FMT, s);                                      \
}                                                                                 \
T T##_sqrt(T a, float_status *s)                                                  \
{                                                                                 \
    return fp_pack_s(parts_sqrt(fp_unpack_s(a, &FMT, s), FMT.fbits, s), &FMT, s);            \
}                                                                                 \
T T##_muladd(T a, T b, T c, int flags, float_status *s)                           \
{                                                                                 \
    FloatParts pa = fp_unpack_s(a, &FMT, s), pb = fp_unpack_s(b, &FMT, s);        \
    FloatParts pc = fp_unpack_s(c, &FMT, s);                                      \
    return fp_pack_s(fp_muladd(pa, pb, pc, flags, s), &FMT, s);                   \
}                                                                                 \
T T##_round_to_int_mode(T a, FloatRoundMode rmode, bool exact, float_status *s)   \
{                                                                                 \
    return fp_pack_s(parts_round_to_int(fp_unpack_s(a, &FMT, s), rmode, exact, \
                                        FMT.fbits, s), &FMT, s);                  \
}                                                                                 \
T T##_round_to_int(T a, float_status *s)                                          \
{                                                                                 \
    return T##_round_to_int_mode(a, s->rounding_mode, true, s);                   \
}                                                                                 \
T T##_scalbn(T a, int n, float_status *s)                                         \
{                                                                                 \
    return fp_pack_s(parts_scalbn(fp_unpack_s(a, &FMT, s), n, s), &FMT, s);       \
}                                                                                 \
T T##_squash_input_denormal(T a, float_status *s)                                 \
{                                                                                 \
    if (s->flush_inputs_to_zero && T##_is_denormal(a)) {                          \
        float_raise(float_flag_input_denormal, s);                                \
        return T##_set_sign(0, T##_is_neg(a));                                    \
    }                                                                             \
    return a;                                                                     \
}

FLOAT_DEFINE_ARITH(float16, fp_fmt_f16)
FLOAT_DEFINE_ARITH(float32, fp_fmt_f32)
FLOAT_DEFINE_ARITH(float64, fp_fmt_f64)
