/*
 * Comparisons and min/max (IEEE 754-2008 5.11, 5.3.1; Arm ARM FPCompare,
 * FPMin/FPMax, FPMinNum/FPMaxNum).
 */
#include "softfloat-internal.h"

/* Order of two non-NaN values; -0 and +0 compare equal. */
static int parts_order(const FloatParts *a, const FloatParts *b)
{
    int m;

    if (a->cls == FC_ZERO && b->cls == FC_ZERO) {
        return 0;
    }
    if (a->sign != b->sign) {
        return a->sign ? -1 : 1;
    }
    if (a->cls != b->cls) {
        m = a->cls < b->cls ? -1 : 1;   /* zero < normal < inf */
    } else if (a->cls != FC_NORMAL) {
        m = 0;
    } else if (a->exp != b->exp) {
        m = a->exp < b->exp ? -1 : 1;
    } else {
        m = a->frac < b->frac ? -1 : a->frac > b->frac;
    }
    return a->sign ? -m : m;
}

static FloatRelation parts_compare(FloatParts a, FloatParts b, bool quiet,
                                   float_status *s)
{
    if (fp_is_nan(&a) || fp_is_nan(&b)) {
        if (!quiet || a.cls == FC_SNAN || b.cls == FC_SNAN) {
            float_raise(float_flag_invalid, s);
        }
        return float_relation_unordered;
    }
    fp_denormal_operand(&a, &b, s);
    return (FloatRelation)parts_order(&a, &b);
}

static FloatParts parts_minmax(FloatParts a, FloatParts b, bool is_min, bool is_num,
                               float_status *s)
{
    if (fp_is_nan(&a) || fp_is_nan(&b)) {
        /* FPMinNum/FPMaxNum: a single quiet NaN loses to the other operand */
        if (is_num) {
            if (a.cls == FC_QNAN && !fp_is_nan(&b)) {
                return b;
            }
            if (b.cls == FC_QNAN && !fp_is_nan(&a)) {
                return a;
            }
        }
        return fp_nan2(a, b, s);
    }
    fp_denormal_operand(&a, &b, s);
    int o = parts_order(&a, &b);

    if (o == 0) {
        /* equal: only signed zeros differ; -0 < +0 */
        if (a.cls == FC_ZERO) {
            a.sign = is_min ? (a.sign | b.sign) : (a.sign & b.sign);
        }
        return a;
    }
    return (o < 0) == is_min ? a : b;
}

#define FLOAT_DEFINE_COMPARE(T, FMT)                                              \
FloatRelation T##_compare(T a, T b, float_status *s)                              \
{                                                                                 \
    return parts_compare(fp_unpack_s(a, &FMT, s), fp_unpack_s(b, &FMT, s),        \
                         false, s);                                               \
}                                                                                 \
FloatRelation T##_compare_quiet(T a, T b, float_status *s)                        \
{                                                                                 \
    return parts_compare(fp_unpack_s(a, &FMT, s), fp_unpack_s(b, &FMT, s),        \
                         true, s);                                                \
}                                                                                 \
static T T##_minmax(T a, T b, bool is_min, bool is_num, float_status *s)          \
{                                                                                 \
    FloatParts p = parts_minmax(fp_unpack_s(a, &FMT, s), fp_unpack_s(b, &FMT, s), \
                                is_min, is_num, s);                               \
    /* an operand (or a NaN): exact, never flushed on output */                   \
    return fp_round_pack(p, &FMT, float_round_nearest_even, false, s);            \
}                                                                                 \
T T##_min(T a, T b, float_status *s) { return T##_minmax(a, b, true, false, s); } \
T T##_max(T a, T b, float_status *s) { return T##_minmax(a, b, false, false, s); } \
T T##_minnum(T a, T b, float_status *s) { return T##_minmax(a, b, true, true, s); } \
T T##_maxnum(T a, T b, float_status *s) { return T##_minmax(a, b, false, true, s); }

FLOAT_DEFINE_COMPARE(float16, fp_fmt_f16)
FLOAT_DEFINE_COMPARE(float32, fp_fmt_f32)
FLOAT_DEFINE_COMPARE(float64, fp_fmt_f64)
