/*
 * Internal representation shared by the fpu/ files.
 *
 * Every operation unpacks its operands into FloatParts, works on those with
 * one format-independent algorithm, and packs the result with a single
 * rounding step (fp_round_pack).  A finite non-zero value is
 * frac * 2^(exp - 63) with bit 63 of frac set; bits below the format's
 * precision are round bits, bit 0 doubles as the sticky bit.  A NaN keeps
 * its fraction field left-aligned (its quiet bit at bit 62), so narrowing
 * keeps the top of the payload and widening pads with zeros.
 */
#ifndef FPU_SOFTFLOAT_INTERNAL_H
#define FPU_SOFTFLOAT_INTERNAL_H

#include "fpu/softfloat.h"

typedef unsigned __int128 uint128_t;

enum { FC_ZERO, FC_NORMAL, FC_INF, FC_QNAN, FC_SNAN };

typedef struct {
    uint64_t frac;
    int32_t exp;
    uint8_t cls;
    bool sign;
    bool denormal;      /* read from a denormal encoding (not flushed) */
} FloatParts;

typedef struct {
    uint8_t ebits, fbits;
    int16_t bias;
    int16_t emax;   /* biased exponent of inf/NaN (32 for AHP: no inf/NaN) */
    bool ahp;       /* Arm alternative half precision: overflow saturates with invalid */
} FloatFmt;

/* static: every file sees the constants, so inlined unpacking folds them */
static const FloatFmt fp_fmt_f16 = { .ebits = 5, .fbits = 10, .bias = 15, .emax = 31 };
static const FloatFmt fp_fmt_ahp = { .ebits = 5, .fbits = 10, .bias = 15, .emax = 32,
                                     .ahp = true };
static const FloatFmt fp_fmt_bf16 = { .ebits = 8, .fbits = 7, .bias = 127, .emax = 255 };
static const FloatFmt fp_fmt_f32 = { .ebits = 8, .fbits = 23, .bias = 127, .emax = 255 };
static const FloatFmt fp_fmt_f64 = { .ebits = 11, .fbits = 52, .bias = 1023, .emax = 2047 };

#define FP_QUIET_BIT (1ull << 62)

static inline bool fp_is_nan(const FloatParts *p) { return p->cls >= FC_QNAN; }

static inline int fp_clz64(uint64_t x) { return __builtin_clzll(x); }

static inline uint64_t fp_shr_jam(uint64_t x, int n)
{
    if (n <= 0) {
        return x;
    }
    if (n >= 64) {
        return x != 0;
    }
    return (x >> n) | ((x << (64 - n)) != 0);
}

static inline uint128_t fp_shr_jam128(uint128_t x, int n)
{
    if (n <= 0) {
        return x;
    }
    if (n >= 128) {
        return x != 0;
    }
    return (x >> n) | ((x << (128 - n)) != 0);
}

/* raw bits -> FloatParts; a denormal reads as zero (input_denormal) if flush */
static inline FloatParts fp_unpack(uint64_t raw, const FloatFmt *f, bool flush, float_status *s)
{
    FloatParts p;
    int fbits = f->fbits;
    uint64_t frac = raw & ((1ull << fbits) - 1);
    int32_t e = (raw >> fbits) & ((1u << f->ebits) - 1);

    p.sign = (raw >> (f->ebits + fbits)) & 1;
    p.denormal = false;
    if (e == 0) {
        if (frac == 0) {
            p.cls = FC_ZERO;
        } else if (flush) {
            float_raise(float_flag_input_denormal, s);
            p.cls = FC_ZERO;
        } else {
            int n = fp_clz64(frac);
            p.denormal = true;
            p.cls = FC_NORMAL;
            p.frac = frac << n;
            p.exp = 64 - f->bias - fbits - n;
        }
        return p;
    }
    if (e == f->emax) {
        if (frac == 0) {
            p.cls = FC_INF;
        } else {
            p.frac = frac << (63 - fbits);
            p.cls = (p.frac & FP_QUIET_BIT) ? FC_QNAN : FC_SNAN;
        }
        return p;
    }
    p.cls = FC_NORMAL;
    p.frac = (frac | (1ull << fbits)) << (63 - fbits);
    p.exp = e - f->bias;
    return p;
}

uint64_t fp_round_pack(FloatParts p, const FloatFmt *f, int rmode, bool flush,
                       float_status *s);

static inline FloatParts fp_unpack_s(uint64_t raw, const FloatFmt *f, float_status *s)
{
    return fp_unpack(raw, f, s->flush_inputs_to_zero, s);
}

/*
 * x86 DE: raised by arithmetic, compares and format conversions on a
 * denormal operand, unless a NaN operand decided the result (checked
 * against the host); never by conversions to integer or rounding to
 * integral.  Call after the NaN checks.
 */
static inline void fp_denormal_operand(const FloatParts *a, const FloatParts *b,
                                       float_status *s)
{
    if (a->denormal | b->denormal) {
        float_raise(float_flag_denormal_operand, s);
    }
}

static inline uint64_t fp_pack_s(FloatParts p, const FloatFmt *f, float_status *s)
{
    return fp_round_pack(p, f, s->rounding_mode, s->flush_to_zero, s);
}

static inline FloatParts fp_zero(bool sign)
{
    return (FloatParts){ .cls = FC_ZERO, .sign = sign };
}

static inline FloatParts fp_inf(bool sign)
{
    return (FloatParts){ .cls = FC_INF, .sign = sign };
}

FloatParts fp_default_nan(const float_status *s);
FloatParts fp_invalid_nan(float_status *s);
FloatParts fp_nan1(FloatParts a, float_status *s);
FloatParts fp_nan2(FloatParts a, FloatParts b, float_status *s);
FloatParts fp_from_u64(uint64_t mag, bool sign);

/*
 * Round |p| * 2^scale (finite or zero) to an integer magnitude in rmode;
 * false if it is 2^64 or more.
 */
bool fp_round_to_mag(FloatParts p, int rmode, int scale, uint64_t *mag, bool *inexact);

FloatParts fp_muladd(FloatParts a, FloatParts b, FloatParts c, int flags,
                     float_status *s);

/* The round-to-nearest-even... decision for a discarded remainder. */
static inline bool fp_round_up(uint64_t rem, uint64_t half, bool odd, bool sign,
                               int rmode)
{
    switch (rmode) {
    case float_round_nearest_even:
        return rem > half || (rem == half && odd);
    case float_round_ties_away:
        return rem >= half;
    case float_round_up:
        return !sign && rem;
    case float_round_down:
        return sign && rem;
    default:
        return false;
    }
}

#endif
