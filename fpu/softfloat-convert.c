/*
 * Conversions: between formats (Arm ARM FPConvert, FPConvertNaN, with the
 * alternative half-precision format), float to integer and fixed point
 * (FPToFixed: round once, saturate with invalid) and integer and fixed
 * point to float (FixedToFP: one rounding of the exactly scaled value).
 */
#include "softfloat-internal.h"

static uint64_t convert_mode(uint64_t a, const FloatFmt *src, const FloatFmt *dst,
                             int rmode, float_status *s)
{
    /* the half side of a conversion is never flushed (FPUnpackCV/FPRoundCV) */
    bool flush_in = src->fbits != 10 && s->flush_inputs_to_zero;
    bool flush_out = dst->fbits != 10 && s->flush_to_zero;
    FloatParts p = fp_unpack(a, src, flush_in, s);

    if (fp_is_nan(&p)) {
        if (dst->ahp) {
            float_raise(float_flag_invalid, s);
            return (uint64_t)p.sign << 15;
        }
        p = fp_nan1(p, s);
    } else {
        fp_denormal_operand(&p, &p, s);
    }
    return fp_round_pack(p, dst, rmode, flush_out, s);
}

static uint64_t convert(uint64_t a, const FloatFmt *src, const FloatFmt *dst,
                        float_status *s)
{
    return convert_mode(a, src, dst, s->rounding_mode, s);
}

float32 float64_to_float32_round_to_odd(float64 a, float_status *s)
{
    return convert_mode(a, &fp_fmt_f64, &fp_fmt_f32, float_round_to_odd, s);
}

float32 float16_to_float32(float16 a, bool ieee, float_status *s)
{
    return convert(a, ieee ? &fp_fmt_f16 : &fp_fmt_ahp, &fp_fmt_f32, s);
}

float64 float16_to_float64(float16 a, bool ieee, float_status *s)
{
    return convert(a, ieee ? &fp_fmt_f16 : &fp_fmt_ahp, &fp_fmt_f64, s);
}

float16 float32_to_float16(float32 a, bool ieee, float_status *s)
{
    return convert(a, &fp_fmt_f32, ieee ? &fp_fmt_f16 : &fp_fmt_ahp, s);
}

float16 float64_to_float16(float64 a, bool ieee, float_status *s)
{
    return convert(a, &fp_fmt_f64, ieee ? &fp_fmt_f16 : &fp_fmt_ahp, s);
}

bfloat16 float32_to_bfloat16(float32 a, float_status *s)
{
    return convert(a, &fp_fmt_f32, &fp_fmt_bf16, s);
}

bfloat16 float64_to_bfloat16(float64 a, float_status *s)
{
    return convert(a, &fp_fmt_f64, &fp_fmt_bf16, s);
}

float32 bfloat16_to_float32(bfloat16 a, float_status *s)
{
    return convert(a, &fp_fmt_bf16, &fp_fmt_f32, s);
}

float64 float32_to_float64(float32 a, float_status *s)
{
    return convert(a, &fp_fmt_f32, &fp_fmt_f64, s);
}

float32 float64_to_float32(float64 a, float_status *s)
{
    return convert(a, &fp_fmt_f64, &fp_fmt_f32, s);
}

/*
 * Round |p| * 2^scale to an integer magnitude.  Returns false if it is 2^64
 * or more.
 */
bool fp_round_to_mag(FloatParts p, int rmode, int scale, uint64_t *mag, bool *inexact)
{
    int32_t e;
    int n;
    uint64_t q, rem, half;

    *inexact = false;
    if (p.cls == FC_ZERO) {
        *mag = 0;
        return true;
    }
    if (scale > 0x10000) {
        scale = 0x10000;
    } else if (scale < -0x10000) {
        scale = -0x10000;
    }
    e = p.exp + scale;
    if (e >= 64) {
        return false;
    }
    if (e == 63) {
        *mag = p.frac;
        return true;
    }
    n = 63 - e;
    if (n < 64) {
        q = p.frac >> n;
        rem = p.frac & ((1ull << n) - 1);
        half = 1ull << (n - 1);
    } else if (n == 64) {
        q = 0;
        rem = p.frac;
        half = 1ull << 63;
    } else {
        q = 0;
        rem = 1;
        half = 2;
    }
    if (rmode == float_round_to_odd) {
        q |= rem != 0;
    } else {
        q += fp_round_up(rem, half, q & 1, p.sign, rmode);
    }
    *inexact = rem != 0;
    *mag = q;
    return true;
}

static int64_t parts_to_sint(FloatParts p, int rmode, int scale, int64_t min,
                             int64_t max, float_status *s)
{
    uint64_t mag;
    bool inexact;

    /* x86 answers every invalid conversion with the "integer indefinite" */
    bool x86 = s->nan_rule == float_nan_rule_x86;

    if (fp_is_nan(&p)) {
        float_raise(float_flag_invalid, s);
        return x86 ? min : 0;
    }
    if (p.cls == FC_INF || !fp_round_to_mag(p, rmode, scale, &mag, &inexact)) {
        float_raise(float_flag_invalid, s);
        return p.sign || x86 ? min : max;
    }
    if (p.sign) {
        if (mag > (uint64_t)-(min + 1) + 1) {
            float_raise(float_flag_invalid, s);
            return min;
        }
        if (inexact) {
            float_raise(float_flag_inexact, s);
        }
        return (int64_t)(0 - mag);
    }
    if (mag > (uint64_t)max) {
        float_raise(float_flag_invalid, s);
        return x86 ? min : max;
    }
    if (inexact) {
        float_raise(float_flag_inexact, s);
    }
    return mag;
}

static uint64_t parts_to_uint(FloatParts p, int rmode, int scale, uint64_t max,
                              float_status *s)
{
    uint64_t mag;
    bool inexact;

    /* x86 (AVX-512 VCVT*2USI): every invalid conversion gives all ones */
    uint64_t neg = s->nan_rule == float_nan_rule_x86 ? max : 0;

    if (fp_is_nan(&p)) {
        float_raise(float_flag_invalid, s);
        return neg;
    }
    if (p.cls == FC_INF || !fp_round_to_mag(p, rmode, scale, &mag, &inexact)) {
        float_raise(float_flag_invalid, s);
        return p.sign ? neg : max;
    }
    if (p.sign && mag != 0) {
        float_raise(float_flag_invalid, s);
        return neg;
    }
    if (mag > max) {
        float_raise(float_flag_invalid, s);
        return max;
    }
    if (inexact) {
        float_raise(float_flag_inexact, s);
    }
    return mag;
}

#define FLOAT_DEFINE_TO_SINT(T, FMT, I, MIN, MAX)                                 \
I##_t T##_to_##I##_scalbn(T a, FloatRoundMode rmode, int scale, float_status *s)  \
{                                                                                 \
    return parts_to_sint(fp_unpack_s(a, &FMT, s), rmode, scale, MIN, MAX, s);     \
}                                                                                 \
I##_t T##_to_##I(T a, float_status *s)                                            \
{                                                                                 \
    return T##_to_##I##_scalbn(a, s->rounding_mode, 0, s);                        \
}                                                                                 \
I##_t T##_to_##I##_round_to_zero(T a, float_status *s)                            \
{                                                                                 \
    return T##_to_##I##_scalbn(a, float_round_to_zero, 0, s);                     \
}

#define FLOAT_DEFINE_TO_UINT(T, FMT, I, MAX)                                      \
I##_t T##_to_##I##_scalbn(T a, FloatRoundMode rmode, int scale, float_status *s)  \
{                                                                                 \
    return parts_to_uint(fp_unpack_s(a, &FMT, s), rmode, scale, MAX, s);          \
}                                                                                 \
I##_t T##_to_##I(T a, float_status *s)                                            \
{                                                                                 \
    return T##_to_##I##_scalbn(a, s->rounding_mode, 0, s);                        \
}                                                                                 \
I##_t T##_to_##I##_round_to_zero(T a, float_status *s)                            \
{                                                                                 \
    return T##_to_##I##_scalbn(a, float_round_to_zero, 0, s);                     \
}

#define FLOAT_DEFINE_FROM_INT(T, FMT, I, NEG)                                     \
T I##_to_##T##_scalbn(I##_t v, int scale, float_status *s)                        \
{                                                                                 \
    bool neg = NEG;                                                               \
    FloatParts p = fp_from_u64(neg ? 0 - (uint64_t)v : (uint64_t)v, neg);         \
    if (p.cls == FC_NORMAL) {                                                     \
        p.exp += scale < -0x10000 ? -0x10000 : scale > 0x10000 ? 0x10000 : scale; \
    }                                                                             \
    return fp_pack_s(p, &FMT, s);                                                 \
}                                                                                 \
T I##_to_##T(I##_t v, float_status *s)                                            \
{                                                                                 \
    return I##_to_##T##_scalbn(v, 0, s);                                          \
}

#define FLOAT_DEFINE_INTS(T, FMT)                                                 \
FLOAT_DEFINE_TO_SINT(T, FMT, int16, INT16_MIN, INT16_MAX)                         \
FLOAT_DEFINE_TO_SINT(T, FMT, int32, INT32_MIN, INT32_MAX)                         \
FLOAT_DEFINE_TO_SINT(T, FMT, int64, INT64_MIN, INT64_MAX)                         \
FLOAT_DEFINE_TO_UINT(T, FMT, uint16, UINT16_MAX)                                  \
FLOAT_DEFINE_TO_UINT(T, FMT, uint32, UINT32_MAX)                                  \
FLOAT_DEFINE_TO_UINT(T, FMT, uint64, UINT64_MAX)                                  \
FLOAT_DEFINE_FROM_INT(T, FMT, int16, v < 0)                                       \
FLOAT_DEFINE_FROM_INT(T, FMT, int32, v < 0)                                       \
FLOAT_DEFINE_FROM_INT(T, FMT, int64, v < 0)                                       \
FLOAT_DEFINE_FROM_INT(T, FMT, uint16, false)                                      \
FLOAT_DEFINE_FROM_INT(T, FMT, uint32, false)                                      \
FLOAT_DEFINE_FROM_INT(T, FMT, uint64, false)

FLOAT_DEFINE_INTS(float16, fp_fmt_f16)
FLOAT_DEFINE_INTS(float32, fp_fmt_f32)
FLOAT_DEFINE_INTS(float64, fp_fmt_f64)
