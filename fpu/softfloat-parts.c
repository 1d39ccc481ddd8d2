/*
 * The core of the FP library: formats, unpacking (with input flushing),
 * the single rounding step (with overflow, underflow and output flushing)
 * and NaN selection.  IEEE 754-2008 clauses 4, 6.2 and 7; Arm ARM
 * FPUnpackBase, FPRoundBase, FPProcessNaN(s).
 */
#include "softfloat-internal.h"

void float_status_init_arm(float_status *s)
{
    *s = (float_status){
        .rounding_mode = float_round_nearest_even,
        .nan_rule = float_nan_rule_arm,
        .tininess_before_rounding = true,
    };
}

void float_status_init_x86(float_status *s)
{
    *s = (float_status){
        .rounding_mode = float_round_nearest_even,
        .nan_rule = float_nan_rule_x86,
        /*
         * SSE arithmetic detects tininess after rounding; F16C's VCVTPS2PH
         * before (both checked against the host in test-softfloat)
         */
        .tininess_before_rounding = false,
    };
}

static uint64_t fp_overflow(bool sign, const FloatFmt *f, int rmode, float_status *s)
{
    uint64_t sign_bit = (uint64_t)sign << (f->ebits + f->fbits);
    uint64_t inf = (uint64_t)f->emax << f->fbits;
    bool to_inf;

    if (f->ahp) {
        /* FPRoundBase: alternative half precision saturates, invalid only */
        float_raise(float_flag_invalid, s);
        return sign_bit | 0x7fff;
    }
    float_raise(float_flag_overflow | float_flag_inexact, s);
    switch (rmode) {
    case float_round_nearest_even:
    case float_round_ties_away:
        to_inf = true;
        break;
    case float_round_up:
        to_inf = !sign;
        break;
    case float_round_down:
        to_inf = sign;
        break;
    default:
        to_inf = false;
        break;
    }
    return sign_bit | (to_inf ? inf : inf - 1);
}

uint64_t fp_round_pack(FloatParts p, const FloatFmt *f, int rmode, bool flush,
                       float_status *s)
{
    int fbits = f->fbits;
    uint64_t sign_bit = (uint64_t)p.sign << (f->ebits + fbits);
    int shift = 63 - fbits;
    uint64_t lsb = 1ull << shift, mask = lsb - 1, half = lsb >> 1;
    uint64_t frac = p.frac, rem;
    int32_t be;

    switch (p.cls) {
    case FC_ZERO:
        return sign_bit;
    case FC_INF:
        if (f->ahp) {
            float_raise(float_flag_invalid, s);
            return sign_bit | 0x7fff;
        }
        return sign_bit | ((uint64_t)f->emax << fbits);
    case FC_QNAN:
    case FC_SNAN:
        if (f->ahp) {
            float_raise(float_flag_invalid, s);
            return sign_bit;
        }
        return sign_bit | ((uint64_t)f->emax << fbits) | (frac >> shift);
    default:
        break;
    }

    be = p.exp + f->bias;
    if (be >= 1) {
        rem = frac & mask;
        frac &= ~mask;
        if (rmode == float_round_to_odd) {
            if (rem) {
                frac |= lsb;
            }
        } else if (fp_round_up(rem, half, frac & lsb, p.sign, rmode)) {
            frac += lsb;
            if (frac == 0) {
                frac = 1ull << 63;
                be++;
            }
        }
        if (be >= f->emax) {
            return fp_overflow(p.sign, f, rmode, s);
        }
        if (rem) {
            float_raise(float_flag_inexact, s);
        }
        return sign_bit + ((uint64_t)(be - 1) << fbits) + (frac >> shift);
    }

    /*
     * Tiny before rounding: the biased exponent is below 1.  With tininess
     * after rounding it is tiny unless rounding with an unbounded exponent
     * reaches the smallest normal.  Flushing uses the same rule (Arm
     * FPRoundBase flushes before rounding; x86 FTZ after, as the host does).
     */
    bool tiny = true;
    if (!s->tininess_before_rounding && be == 0 && rmode != float_round_to_odd) {
        if ((frac | mask) == ~0ull &&
            fp_round_up(frac & mask, half, true, p.sign, rmode)) {
            tiny = false;
        }
    }
    if (flush && tiny) {
        float_raise(float_flag_output_denormal, s);
        return sign_bit;
    }
    frac = fp_shr_jam(frac, 1 - be);
    rem = frac & mask;
    frac &= ~mask;
    if (rmode == float_round_to_odd) {
        if (rem) {
            frac |= lsb;
        }
    } else if (fp_round_up(rem, half, frac & lsb, p.sign, rmode)) {
        frac += lsb;
    }
    if (rem) {
        float_raise(tiny ? float_flag_inexact | float_flag_underflow
                         : float_flag_inexact, s);
    }
    /* a carry into bit 63 makes the smallest normal, exponent field 1 */
    return sign_bit + (frac >> shift);
}

FloatParts fp_default_nan(const float_status *s)
{
    return (FloatParts){ .cls = FC_QNAN, .frac = FP_QUIET_BIT,
                         .sign = s->nan_rule == float_nan_rule_x86 };
}

FloatParts fp_invalid_nan(float_status *s)
{
    float_raise(float_flag_invalid, s);
    return fp_default_nan(s);
}

/* FPProcessNaN: quiet a signalling NaN (invalid); default NaN under DN. */
FloatParts fp_nan1(FloatParts a, float_status *s)
{
    if (a.cls == FC_SNAN) {
        float_raise(float_flag_invalid, s);
    }
    if (s->default_nan_mode) {
        return fp_default_nan(s);
    }
    a.cls = FC_QNAN;
    a.frac |= FP_QUIET_BIT;
    return a;
}

/* FPProcessNaNs: at least one of a, b is a NaN. */
FloatParts fp_nan2(FloatParts a, FloatParts b, float_status *s)
{
    if (a.cls == FC_SNAN || b.cls == FC_SNAN) {
        float_raise(float_flag_invalid, s);
    }
    if (s->nan_rule == float_nan_rule_arm) {
        if (a.cls == FC_SNAN) {
            return fp_nan1(a, s);
        }
        if (b.cls == FC_SNAN) {
            return fp_nan1(b, s);
        }
    }
    return fp_nan1(fp_is_nan(&a) ? a : b, s);
}

FloatParts fp_from_u64(uint64_t mag, bool sign)
{
    FloatParts p = { .sign = sign };

    if (mag == 0) {
        p.cls = FC_ZERO;
        return p;
    }
    int n = fp_clz64(mag);
    p.cls = FC_NORMAL;
    p.frac = mag << n;
    p.exp = 63 - n;
    return p;
}

float16 float16_default_nan(const float_status *s)
{
    return fp_round_pack(fp_default_nan(s), &fp_fmt_f16, 0, false, (float_status *)s);
}

float32 float32_default_nan(const float_status *s)
{
    return fp_round_pack(fp_default_nan(s), &fp_fmt_f32, 0, false, (float_status *)s);
}

float64 float64_default_nan(const float_status *s)
{
    return fp_round_pack(fp_default_nan(s), &fp_fmt_f64, 0, false, (float_status *)s);
}
