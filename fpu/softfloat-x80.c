/*
 * x87 80-bit extended precision (floatx80), bit-exact with the x87 FPU's
 * masked responses: Intel SDM vol. 1 chapter 8 (8.2.2 unsupported
 * encodings, 8.1.5.2 precision control), 4.8.3.5 / table 4-7 (NaN
 * operands), 4.9 (exception conditions and their priority) and the
 * instruction pages of FADD ... FSCALE, FPREM/FPREM1, FIST/FISTTP, FST.
 * See include/fpu/softfloat.h for the summary; test-softfloat compares
 * every operation with the host's x87.
 *
 * Operands are unpacked into FloatParts (a 64-bit significand with its
 * leading one at bit 63, like the other formats; a pseudo-denormal is a
 * normal of exponent 1).  Results are computed exactly, or as a 128-bit
 * truncation with a sticky bit, and rounded once by x80_round to a
 * precision p and an exponent range, which also serves float32/float64
 * (FST) so that C1 (rounded_up) is known for every rounding.
 */
#include "softfloat-internal.h"

#define X80_BIAS     16383
#define X80_EXP_MAX  0x7fff
#define X80_INT_BIT  (1ull << 63)
#define X80_EMIN     (1 - X80_BIAS)         /* unbiased exponent of 1.0 * 2^-16382 */
#define X80_EMAX     (0x7ffe - X80_BIAS)

static inline floatx80 x80_pack_raw(bool sign, uint32_t exp, uint64_t sig)
{
    return make_floatx80((uint16_t)((sign << 15) | exp), sig);
}

floatx80 floatx80_default_nan(const float_status *s)
{
    return x80_pack_raw(true, X80_EXP_MAX, 0xc000000000000000ull);
}

static floatx80 x80_invalid(float_status *s)
{
    float_raise(float_flag_invalid, s);
    return floatx80_default_nan(s);
}

/* false: an unsupported encoding (unnormal, pseudo-infinity, pseudo-NaN) */
static bool x80_unpack(floatx80 a, FloatParts *p)
{
    uint32_t e = a.high & X80_EXP_MAX;
    uint64_t sig = a.low;

    *p = (FloatParts){ .sign = a.high >> 15 };
    if (e == X80_EXP_MAX) {
        if (!(sig & X80_INT_BIT)) {
            return false;
        }
        if (!(sig << 1)) {
            p->cls = FC_INF;
        } else {
            p->frac = sig & ~X80_INT_BIT;
            p->cls = (sig & FP_QUIET_BIT) ? FC_QNAN : FC_SNAN;
        }
        return true;
    }
    if (e == 0) {
        int n;

        if (sig == 0) {
            p->cls = FC_ZERO;
            return true;
        }
        /* denormal, or pseudo-denormal (integer bit set): exponent 1 */
        n = fp_clz64(sig);
        p->cls = FC_NORMAL;
        p->denormal = true;
        p->frac = sig << n;
        p->exp = X80_EMIN - n;
        return true;
    }
    if (!(sig & X80_INT_BIT)) {
        return false;
    }
    p->cls = FC_NORMAL;
    p->frac = sig;
    p->exp = (int32_t)e - X80_BIAS;
    return true;
}

/* a NaN in FloatParts (frac: the fraction field, left-aligned) */
static floatx80 x80_pack_nan(FloatParts p)
{
    return x80_pack_raw(p.sign, X80_EXP_MAX, X80_INT_BIT | FP_QUIET_BIT | p.frac);
}

/* SDM table 4-7: the result of an operation with NaN operand(s) */
static floatx80 x80_nan2(const FloatParts *a, const FloatParts *b,
                         float_status *s)
{
    const FloatParts *r;

    if (a->cls == FC_SNAN || b->cls == FC_SNAN) {
        float_raise(float_flag_invalid, s);
    }
    if (!fp_is_nan(a)) {
        r = b;
    } else if (!fp_is_nan(b)) {
        r = a;
    } else if (a->cls != b->cls) {
        r = a->cls == FC_QNAN ? a : b;
    } else {
        uint64_t fa = a->frac & ~FP_QUIET_BIT, fb = b->frac & ~FP_QUIET_BIT;

        if (fa != fb) {
            r = fa > fb ? a : b;
        } else {
            r = a->sign ? b : a;
        }
    }
    return x80_pack_nan(*r);
}

static floatx80 x80_nan1(const FloatParts *a, float_status *s)
{
    return x80_nan2(a, a, s);
}

static inline int clz128(uint128_t x)
{
    uint64_t hi = x >> 64;

    return hi ? fp_clz64(hi) : 64 + fp_clz64((uint64_t)x);
}

/* ---- the one rounding step -------------------------------------------- */

typedef struct {
    int p;              /* significand bits, integer bit included */
    int32_t emin;       /* unbiased exponent of the smallest normal */
    int32_t emax;       /* unbiased exponent of the largest finite */
} X80Prec;

typedef struct {
    uint64_t sig;       /* p bits, right-aligned; top bit clear: denormal/zero */
    int32_t exp;        /* unbiased, for a normal result */
    bool inf;
} X80Rounded;

static int x80_precision_bits(const float_status *s)
{
    switch (s->floatx80_rounding_precision) {
    case floatx80_precision_s:
        return 24;
    case floatx80_precision_d:
        return 53;
    default:
        return 64;
    }
}

static bool overflow_to_inf(bool sign, int rmode)
{
    switch (rmode) {
    case float_round_up:
        return !sign;
    case float_round_down:
        return sign;
    case float_round_to_zero:
    case float_round_to_odd:
        return false;
    default:
        return true;
    }
}

/* a discarded remainder as fp_round_up wants it, against half = 2 */
static uint64_t rem_class(uint128_t rem, uint128_t half)
{
    return rem == 0 ? 0 : rem < half ? 1 : rem == half ? 2 : 3;
}

/*
 * Round sign * sig * 2^(exp - 127) (sig's bit 127 set) to the precision
 * and range of f in rmode, raising inexact, underflow (tiny after rounding
 * and inexact), overflow and rounded_up.
 */
static X80Rounded x80_round(bool sign, int32_t exp, uint128_t sig,
                            const X80Prec *f, int rmode, float_status *s)
{
    int drop = 128 - f->p;
    uint128_t mask = ((uint128_t)1 << drop) - 1, half = (uint128_t)1 << (drop - 1);
    uint64_t top = f->p == 64 ? ~0ull : (1ull << f->p) - 1;
    X80Rounded r = { .exp = exp };
    bool tiny = exp < f->emin, up;
    uint128_t rem;
    uint64_t q;

    if (tiny) {
        /* tiny after rounding unless rounding to p bits with an unbounded
         * exponent reaches 2^emin */
        if (exp == f->emin - 1 && !s->tininess_before_rounding &&
            (uint64_t)(sig >> drop) == top &&
            fp_round_up(rem_class(sig & mask, half), 2, true, sign, rmode)) {
            tiny = false;
        }
        sig = fp_shr_jam128(sig, f->emin - exp);
        r.exp = f->emin;
    }
    rem = sig & mask;
    q = (uint64_t)(sig >> drop);
    if (rmode == float_round_to_odd) {
        up = false;
        if (rem) {
            q |= 1;
        }
    } else {
        up = fp_round_up(rem_class(rem, half), 2, q & 1, sign, rmode);
    }
    if (up) {
        q++;
        if ((q & top) == 0) {
            /* carry out of the significand */
            q = 1ull << (f->p - 1);
            r.exp++;
        }
    }
    if (r.exp > f->emax) {
        float_raise(float_flag_overflow | float_flag_inexact, s);
        if (overflow_to_inf(sign, rmode)) {
            float_raise(float_flag_rounded_up, s);
            r.inf = true;
        } else {
            r.sig = top;
            r.exp = f->emax;
        }
        return r;
    }
    if (rem) {
        float_raise(tiny ? float_flag_inexact | float_flag_underflow
                         : float_flag_inexact, s);
        if (up) {
            float_raise(float_flag_rounded_up, s);
        }
    }
    r.sig = q;
    return r;
}

static floatx80 x80_pack_rounded(bool sign, X80Rounded r, int p)
{
    if (r.inf) {
        return x80_pack_raw(sign, X80_EXP_MAX, X80_INT_BIT);
    }
    if (!(r.sig >> (p - 1))) {
        return x80_pack_raw(sign, 0, r.sig << (64 - p));
    }
    return x80_pack_raw(sign, r.exp + X80_BIAS, r.sig << (64 - p));
}

/* round to p bits (the 15-bit exponent range) and pack */
static floatx80 x80_round_pack(bool sign, int32_t exp, uint128_t sig, int p,
                               float_status *s)
{
    X80Prec f = { .p = p, .emin = X80_EMIN, .emax = X80_EMAX };

    return x80_pack_rounded(sign, x80_round(sign, exp, sig, &f,
                                            s->rounding_mode, s), p);
}

/* a finite non-zero FloatParts as the 128-bit form x80_round takes */
static floatx80 x80_round_parts(const FloatParts *p, int bits, float_status *s)
{
    return x80_round_pack(p->sign, p->exp, (uint128_t)p->frac << 64, bits, s);
}

static floatx80 x80_zero(bool sign)
{
    return x80_pack_raw(sign, 0, 0);
}

static floatx80 x80_inf(bool sign)
{
    return x80_pack_raw(sign, X80_EXP_MAX, X80_INT_BIT);
}

/* ---- arithmetic ------------------------------------------------------- */

static floatx80 x80_addsub(floatx80 a, floatx80 b, bool sub, float_status *s)
{
    FloatParts pa, pb;
    uint128_t ma, mb, r;
    int32_t exp;
    bool sign;
    int n;

    if (!x80_unpack(a, &pa) || !x80_unpack(b, &pb)) {
        return x80_invalid(s);
    }
    if (fp_is_nan(&pa) || fp_is_nan(&pb)) {
        return x80_nan2(&pa, &pb, s);
    }
    pb.sign ^= sub;
    if (pa.cls == FC_INF || pb.cls == FC_INF) {
        if (pa.cls == FC_INF && pb.cls == FC_INF && pa.sign != pb.sign) {
            return x80_invalid(s);
        }
        fp_denormal_operand(&pa, &pb, s);
        return x80_inf(pa.cls == FC_INF ? pa.sign : pb.sign);
    }
    fp_denormal_operand(&pa, &pb, s);
    if (pa.cls == FC_ZERO && pb.cls == FC_ZERO) {
        return x80_zero(pa.sign == pb.sign ? pa.sign
                                           : s->rounding_mode == float_round_down);
    }
    if (pa.cls == FC_ZERO) {
        return x80_round_parts(&pb, x80_precision_bits(s), s);
    }
    if (pb.cls == FC_ZERO) {
        return x80_round_parts(&pa, x80_precision_bits(s), s);
    }
    if (pa.exp < pb.exp) {
        FloatParts t = pa;
        pa = pb;
        pb = t;
    }
    /* leading ones at bit 125: room for the carry, 62 guard bits */
    ma = (uint128_t)pa.frac << 62;
    mb = fp_shr_jam128((uint128_t)pb.frac << 62, pa.exp - pb.exp);
    if (pa.sign == pb.sign) {
        r = ma + mb;
        sign = pa.sign;
    } else if (ma >= mb) {
        r = ma - mb;
        sign = pa.sign;
    } else {
        r = mb - ma;
        sign = pb.sign;
    }
    if (r == 0) {
        return x80_zero(s->rounding_mode == float_round_down);
    }
    n = clz128(r);
    exp = pa.exp + 2 - n;
    return x80_round_pack(sign, exp, r << n, x80_precision_bits(s), s);
}

floatx80 floatx80_add(floatx80 a, floatx80 b, float_status *s)
{
    return x80_addsub(a, b, false, s);
}

floatx80 floatx80_sub(floatx80 a, floatx80 b, float_status *s)
{
    return x80_addsub(a, b, true, s);
}

floatx80 floatx80_mul(floatx80 a, floatx80 b, float_status *s)
{
    FloatParts pa, pb;
    uint128_t r;
    int32_t exp;
    bool sign;

    if (!x80_unpack(a, &pa) || !x80_unpack(b, &pb)) {
        return x80_invalid(s);
    }
    if (fp_is_nan(&pa) || fp_is_nan(&pb)) {
        return x80_nan2(&pa, &pb, s);
    }
    sign = pa.sign ^ pb.sign;
    if ((pa.cls == FC_INF && pb.cls == FC_ZERO) ||
        (pa.cls == FC_ZERO && pb.cls == FC_INF)) {
        return x80_invalid(s);
    }
    fp_denormal_operand(&pa, &pb, s);
    if (pa.cls == FC_INF || pb.cls == FC_INF) {
        return x80_inf(sign);
    }
    if (pa.cls == FC_ZERO || pb.cls == FC_ZERO) {
        return x80_zero(sign);
    }
    r = (uint128_t)pa.frac * pb.frac;
    exp = pa.exp + pb.exp + 1;
    if (!(r >> 127)) {
        r <<= 1;
        exp--;
    }
    return x80_round_pack(sign, exp, r, x80_precision_bits(s), s);
}

floatx80 floatx80_div(floatx80 a, floatx80 b, float_status *s)
{
    FloatParts pa, pb;
    uint128_t n, q;
    uint64_t q1, q2, r1;
    int32_t exp;
    bool sign;

    if (!x80_unpack(a, &pa) || !x80_unpack(b, &pb)) {
        return x80_invalid(s);
    }
    if (fp_is_nan(&pa) || fp_is_nan(&pb)) {
        return x80_nan2(&pa, &pb, s);
    }
    sign = pa.sign ^ pb.sign;
    if ((pa.cls == FC_INF && pb.cls == FC_INF) ||
        (pa.cls == FC_ZERO && pb.cls == FC_ZERO)) {
        return x80_invalid(s);
    }
    if (pb.cls == FC_ZERO && pa.cls != FC_INF) {
        float_raise(float_flag_divbyzero, s);
        return x80_inf(sign);
    }
    fp_denormal_operand(&pa, &pb, s);
    if (pa.cls == FC_INF || pb.cls == FC_ZERO) {
        return x80_inf(sign);
    }
    if (pa.cls == FC_ZERO || pb.cls == FC_INF) {
        return x80_zero(sign);
    }
    /* 64 + 64 quotient bits, the last one sticky */
    exp = pa.exp - pb.exp;
    if (pa.frac >= pb.frac) {
        n = (uint128_t)pa.frac << 63;
    } else {
        n = (uint128_t)pa.frac << 64;
        exp--;
    }
    q1 = (uint64_t)(n / pb.frac);
    r1 = (uint64_t)(n % pb.frac);
    n = (uint128_t)r1 << 64;
    q2 = (uint64_t)(n / pb.frac);
    q = (uint128_t)q1 << 64 | q2 | (n % pb.frac != 0);
    return x80_round_pack(sign, exp, q, x80_precision_bits(s), s);
}

/* floor(sqrt(x)) for x < 2^64 by Newton's iteration from above */
static uint64_t isqrt64(uint64_t x)
{
    uint64_t y, z;

    if (x < 2) {
        return x;
    }
    y = 1ull << ((64 - fp_clz64(x) + 1) / 2);      /* >= sqrt(x) */
    for (;;) {
        z = (y + x / y) >> 1;
        if (z >= y) {
            return y;
        }
        y = z;
    }
}

/*
 * floor(sqrt(m)) for 2^126 <= m < 2^128, and m - root^2: a 32-bit root
 * of the top half, one 128-bit Newton step, then an exact correction.
 */
static uint64_t isqrt128(uint128_t m, uint128_t *rem)
{
    uint128_t r = (uint128_t)isqrt64((uint64_t)(m >> 64)) << 32;

    r = (r + m / r) >> 1;
    if (r > UINT64_MAX) {
        r = UINT64_MAX;             /* r * r must not wrap either */
    }
    while (r * r > m) {
        r--;
    }
    /* the root is below 2^64: (r + 1)^2 must not wrap */
    while (r < UINT64_MAX && (r + 1) * (r + 1) <= m) {
        r++;
    }
    *rem = m - r * r;
    return (uint64_t)r;
}

floatx80 floatx80_sqrt(floatx80 a, float_status *s)
{
    FloatParts p;
    uint128_t m, rem, q;
    uint64_t r;
    int32_t t;

    if (!x80_unpack(a, &p)) {
        return x80_invalid(s);
    }
    if (fp_is_nan(&p)) {
        return x80_nan1(&p, s);
    }
    if (p.cls == FC_ZERO) {
        return x80_zero(p.sign);
    }
    if (p.sign) {
        return x80_invalid(s);
    }
    fp_denormal_operand(&p, &p, s);
    if (p.cls == FC_INF) {
        return x80_inf(false);
    }
    /* value = frac * 2^t; make the power of two even */
    t = p.exp - 63;
    m = (uint128_t)p.frac << ((t & 1) ? 63 : 64);
    t -= (t & 1) ? 63 : 64;
    r = isqrt128(m, &rem);          /* r in [2^63, 2^64) */
    /*
     * sqrt(m) = r + f, 0 <= f < 1, never exactly 1/2; f > 1/2 exactly when
     * m > (r + 1/2)^2, i.e. rem > r.
     */
    q = (uint128_t)r << 64;
    if (rem > r) {
        q |= (uint128_t)1 << 63 | 1;
    } else if (rem) {
        q |= 1;
    }
    return x80_round_pack(false, 63 + t / 2, q, x80_precision_bits(s), s);
}

floatx80 floatx80_round_to_int(floatx80 a, float_status *s)
{
    FloatParts p;
    uint64_t mag, trunc;
    bool inexact;
    int n;

    if (!x80_unpack(a, &p)) {
        return x80_invalid(s);
    }
    if (fp_is_nan(&p)) {
        return x80_nan1(&p, s);
    }
    fp_denormal_operand(&p, &p, s);
    if (p.cls != FC_NORMAL || p.exp >= 63) {
        return p.cls == FC_NORMAL ? x80_round_parts(&p, 64, s) : a;
    }
    fp_round_to_mag(p, s->rounding_mode, 0, &mag, &inexact);
    if (inexact) {
        float_raise(float_flag_inexact, s);
        fp_round_to_mag(p, float_round_to_zero, 0, &trunc, &inexact);
        if (mag != trunc) {
            float_raise(float_flag_rounded_up, s);
        }
    }
    if (mag == 0) {
        return x80_zero(p.sign);
    }
    n = fp_clz64(mag);
    return x80_pack_raw(p.sign, 63 - n + X80_BIAS, mag << n);
}

floatx80 floatx80_scalbn(floatx80 a, int n, float_status *s)
{
    FloatParts p;

    if (!x80_unpack(a, &p)) {
        return x80_invalid(s);
    }
    if (fp_is_nan(&p)) {
        return x80_nan1(&p, s);
    }
    fp_denormal_operand(&p, &p, s);
    if (p.cls != FC_NORMAL) {
        return p.cls == FC_ZERO ? x80_zero(p.sign) : x80_inf(p.sign);
    }
    /* beyond this everything over- or underflows the same way */
    if (n > 0x10000) {
        n = 0x10000;
    } else if (n < -0x10000) {
        n = -0x10000;
    }
    p.exp += n;
    return x80_round_parts(&p, 64, s);
}

floatx80 floatx80_scale(floatx80 a, floatx80 b, float_status *s)
{
    FloatParts pa, pb;
    int n;

    if (!x80_unpack(a, &pa) || !x80_unpack(b, &pb)) {
        return x80_invalid(s);
    }
    if (fp_is_nan(&pa) || fp_is_nan(&pb)) {
        return x80_nan2(&pa, &pb, s);
    }
    if (pb.cls == FC_INF) {
        /* 0 * 2^+inf and inf * 2^-inf are invalid */
        if ((pa.cls == FC_ZERO && !pb.sign) || (pa.cls == FC_INF && pb.sign)) {
            return x80_invalid(s);
        }
        fp_denormal_operand(&pa, &pa, s);
        if (pa.cls == FC_INF || pa.cls == FC_ZERO) {
            return pa.cls == FC_INF ? x80_inf(pa.sign) : x80_zero(pa.sign);
        }
        return pb.sign ? x80_zero(pa.sign) : x80_inf(pa.sign);
    }
    fp_denormal_operand(&pa, &pb, s);
    if (pa.cls != FC_NORMAL) {
        return pa.cls == FC_ZERO ? x80_zero(pa.sign) : x80_inf(pa.sign);
    }
    /* n = trunc(b), clamped where the result saturates anyway */
    if (pb.cls == FC_ZERO || pb.exp < 0) {
        n = 0;
    } else if (pb.exp > 16) {
        n = pb.sign ? -0x20000 : 0x20000;
    } else {
        n = (int)(pb.frac >> (63 - pb.exp));
        n = pb.sign ? -n : n;
    }
    pa.exp += n;
    return x80_round_parts(&pa, 64, s);
}

/* ---- remainders ------------------------------------------------------- */

floatx80 floatx80_prem(floatx80 a, floatx80 b, bool ieee, uint64_t *quotient,
                       bool *incomplete, float_status *s)
{
    FloatParts pa, pb;
    uint64_t q = 0;
    uint128_t r;
    int32_t d;
    bool sign;
    int n;

    *quotient = 0;
    *incomplete = false;
    if (!x80_unpack(a, &pa) || !x80_unpack(b, &pb)) {
        return x80_invalid(s);
    }
    if (fp_is_nan(&pa) || fp_is_nan(&pb)) {
        return x80_nan2(&pa, &pb, s);
    }
    if (pa.cls == FC_INF || pb.cls == FC_ZERO) {
        return x80_invalid(s);
    }
    fp_denormal_operand(&pa, &pb, s);
    if (pa.cls == FC_ZERO || pb.cls == FC_INF) {
        return pa.cls == FC_ZERO ? x80_zero(pa.sign)
                                 : x80_round_parts(&pa, 64, s);
    }
    sign = pa.sign;
    d = pa.exp - pb.exp;
    if (d >= 64) {
        /*
         * Partial: reduce the exponent difference to between 32 and 63
         * (the chunk a real x87 takes), with a truncated quotient for both
         * FPREM and FPREM1; the quotient bits are not reported.
         */
        int chunk = 32 + (d - 32) % 32;
        int shift = d - chunk;              /* b's weight: 2^shift */
        uint128_t num = (uint128_t)pa.frac << chunk;

        *incomplete = true;
        r = num % pb.frac;
        if (r == 0) {
            return x80_zero(sign);
        }
        /* r * 2^(pb.exp - 63 + shift) */
        n = clz128(r);
        return x80_round_pack(sign, pb.exp + shift - 63 + 127 - n, r << n, 64, s);
    }
    if (d < -1) {
        /* |a| < |b| / 2: quotient 0 */
        return x80_round_parts(&pa, 64, s);
    }
    if (d >= 0) {
        uint128_t num = (uint128_t)pa.frac << d;

        q = (uint64_t)(num / pb.frac);
        r = num % pb.frac;                  /* in units of 2^(pb.exp - 63) */
        if (ieee) {
            /* round the quotient to nearest even: compare 2r with b */
            uint128_t r2 = r << 1;

            if (r2 > pb.frac || (r2 == pb.frac && (q & 1))) {
                q++;
                r = pb.frac - r;
                sign = !sign;
            }
        }
        *quotient = q;
        if (r == 0) {
            return x80_zero(pa.sign);
        }
        n = clz128(r);
        return x80_round_pack(sign, pb.exp - 63 + 127 - n, r << n, 64, s);
    }
    /* d == -1: |b|/2 <= |a| < |b|: quotient 0, or 1 when rounding */
    if (ieee) {
        /* b / 2 = pb.frac * 2^(pa.exp - 63): compare the significands */
        if (pa.frac > pb.frac) {
            /* r = b - a = (2 * pb.frac - pa.frac) * 2^(pa.exp - 63) */
            uint128_t rr = ((uint128_t)pb.frac << 1) - pa.frac;

            *quotient = 1;
            n = clz128(rr);
            return x80_round_pack(!sign, pa.exp - 63 + 127 - n, rr << n, 64, s);
        }
    }
    return x80_round_parts(&pa, 64, s);
}

static floatx80 x80_full_rem(floatx80 a, floatx80 b, bool ieee, float_status *s)
{
    uint64_t q;
    bool incomplete;

    do {
        a = floatx80_prem(a, b, ieee, &q, &incomplete, s);
    } while (incomplete);
    return a;
}

floatx80 floatx80_rem(floatx80 a, floatx80 b, float_status *s)
{
    return x80_full_rem(a, b, true, s);
}

floatx80 floatx80_mod(floatx80 a, floatx80 b, float_status *s)
{
    return x80_full_rem(a, b, false, s);
}

/* ---- compare ----------------------------------------------------------- */

static FloatRelation x80_compare(floatx80 a, floatx80 b, bool quiet,
                                 float_status *s)
{
    FloatParts pa, pb;
    int c;

    if (!x80_unpack(a, &pa) || !x80_unpack(b, &pb)) {
        float_raise(float_flag_invalid, s);
        return float_relation_unordered;
    }
    if (fp_is_nan(&pa) || fp_is_nan(&pb)) {
        if (!quiet || pa.cls == FC_SNAN || pb.cls == FC_SNAN) {
            float_raise(float_flag_invalid, s);
        }
        return float_relation_unordered;
    }
    fp_denormal_operand(&pa, &pb, s);
    if (pa.cls == FC_ZERO && pb.cls == FC_ZERO) {
        return float_relation_equal;
    }
    if (pa.sign != pb.sign) {
        return pa.sign ? float_relation_less : float_relation_greater;
    }
    /* same sign: compare magnitudes (zero < finite < inf) */
    if (pa.cls != pb.cls) {
        c = pa.cls == FC_INF || pb.cls == FC_ZERO ? 1 : -1;
    } else if (pa.cls == FC_INF || (pa.exp == pb.exp && pa.frac == pb.frac)) {
        c = 0;
    } else if (pa.exp != pb.exp) {
        c = pa.exp > pb.exp ? 1 : -1;
    } else {
        c = pa.frac > pb.frac ? 1 : -1;
    }
    if (pa.sign) {
        c = -c;
    }
    return c < 0 ? float_relation_less
         : c > 0 ? float_relation_greater : float_relation_equal;
}

FloatRelation floatx80_compare(floatx80 a, floatx80 b, float_status *s)
{
    return x80_compare(a, b, false, s);
}

FloatRelation floatx80_compare_quiet(floatx80 a, floatx80 b, float_status *s)
{
    return x80_compare(a, b, true, s);
}

/* ---- conversions -------------------------------------------------------- */

/* FIST: out of range, NaN, infinity: invalid, the integer indefinite */
static int64_t x80_to_int(floatx80 a, int bits, int rmode, float_status *s)
{
    int64_t indefinite = (int64_t)(~0ull << (bits - 1));
    uint64_t mag, trunc;
    FloatParts p;
    bool inexact;

    if (!x80_unpack(a, &p) || p.cls == FC_INF || fp_is_nan(&p)) {
        float_raise(float_flag_invalid, s);
        return indefinite;
    }
    if (!fp_round_to_mag(p, rmode, 0, &mag, &inexact) ||
        mag > (1ull << (bits - 1)) - !p.sign) {
        float_raise(float_flag_invalid, s);
        return indefinite;
    }
    if (inexact) {
        float_raise(float_flag_inexact, s);
        fp_round_to_mag(p, float_round_to_zero, 0, &trunc, &inexact);
        if (mag != trunc) {
            float_raise(float_flag_rounded_up, s);
        }
    }
    return p.sign ? (int64_t)-mag : (int64_t)mag;
}

int16_t floatx80_to_int16(floatx80 a, float_status *s)
{
    return x80_to_int(a, 16, s->rounding_mode, s);
}

int32_t floatx80_to_int32(floatx80 a, float_status *s)
{
    return x80_to_int(a, 32, s->rounding_mode, s);
}

int64_t floatx80_to_int64(floatx80 a, float_status *s)
{
    return x80_to_int(a, 64, s->rounding_mode, s);
}

int16_t floatx80_to_int16_round_to_zero(floatx80 a, float_status *s)
{
    return x80_to_int(a, 16, float_round_to_zero, s);
}

int32_t floatx80_to_int32_round_to_zero(floatx80 a, float_status *s)
{
    return x80_to_int(a, 32, float_round_to_zero, s);
}

int64_t floatx80_to_int64_round_to_zero(floatx80 a, float_status *s)
{
    return x80_to_int(a, 64, float_round_to_zero, s);
}

/* FST m32/m64: the x86 default NaN for unsupported encodings */
static uint64_t x80_to_ieee(floatx80 a, const FloatFmt *f, float_status *s)
{
    uint64_t sign_bit, exp_inf;
    X80Prec prec = { .p = f->fbits + 1, .emin = 1 - f->bias,
                     .emax = f->emax - 1 - f->bias };
    X80Rounded r;
    FloatParts p;

    if (!x80_unpack(a, &p)) {
        float_raise(float_flag_invalid, s);
        p = (FloatParts){ .cls = FC_QNAN, .sign = true, .frac = FP_QUIET_BIT };
    }
    sign_bit = (uint64_t)p.sign << (f->ebits + f->fbits);
    exp_inf = (uint64_t)f->emax << f->fbits;
    switch (p.cls) {
    case FC_ZERO:
        return sign_bit;
    case FC_INF:
        return sign_bit | exp_inf;
    case FC_SNAN:
        float_raise(float_flag_invalid, s);
        /* fall through */
    case FC_QNAN:
        return sign_bit | exp_inf | ((p.frac | FP_QUIET_BIT) >> (63 - f->fbits));
    default:
        break;
    }
    /* FST raises no denormal_operand for an extended denormal */
    r = x80_round(p.sign, p.exp, (uint128_t)p.frac << 64, &prec,
                  s->rounding_mode, s);
    if (r.inf) {
        return sign_bit | exp_inf;
    }
    if (!(r.sig >> f->fbits)) {
        return sign_bit | r.sig;
    }
    return sign_bit | ((uint64_t)(r.exp + f->bias) << f->fbits) |
           (r.sig & ((1ull << f->fbits) - 1));
}

float32 floatx80_to_float32(floatx80 a, float_status *s)
{
    return x80_to_ieee(a, &fp_fmt_f32, s);
}

float64 floatx80_to_float64(floatx80 a, float_status *s)
{
    return x80_to_ieee(a, &fp_fmt_f64, s);
}

static floatx80 x80_from_parts_exact(FloatParts p, float_status *s)
{
    switch (p.cls) {
    case FC_ZERO:
        return x80_zero(p.sign);
    case FC_INF:
        return x80_inf(p.sign);
    case FC_SNAN:
        float_raise(float_flag_invalid, s);
        /* fall through */
    case FC_QNAN:
        return x80_pack_nan(p);
    default:
        fp_denormal_operand(&p, &p, s);
        return x80_pack_raw(p.sign, p.exp + X80_BIAS, p.frac);
    }
}

floatx80 float32_to_floatx80(float32 a, float_status *s)
{
    return x80_from_parts_exact(fp_unpack(a, &fp_fmt_f32, false, s), s);
}

floatx80 float64_to_floatx80(float64 a, float_status *s)
{
    return x80_from_parts_exact(fp_unpack(a, &fp_fmt_f64, false, s), s);
}

floatx80 int64_to_floatx80(int64_t v, float_status *s)
{
    uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;

    return x80_from_parts_exact(fp_from_u64(mag, v < 0), s);
}

floatx80 int32_to_floatx80(int32_t v, float_status *s)
{
    return int64_to_floatx80(v, s);
}
