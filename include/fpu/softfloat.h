/*
 * Software IEEE 754-2008 binary floating point for the guest FP units.
 *
 * Bit-exact half (float16), single (float32) and double (float64)
 * precision: arithmetic, fused multiply-add, square root, min/max, rounding
 * to integral, comparisons and conversions, with the exception flags a
 * guest FPU would raise.  All state lives in a float_status the caller owns
 * (one per guest FP control register setting); nothing here is global.
 * See docs/softfloat.md for the Arm FPCR/FPSR mapping.
 */
#ifndef FPU_SOFTFLOAT_H
#define FPU_SOFTFLOAT_H

#include <stdbool.h>
#include <stdint.h>

typedef uint16_t float16;
typedef uint32_t float32;
typedef uint64_t float64;
typedef uint16_t bfloat16;      /* the top half of a float32 */

/*
 * x87 80-bit extended precision (INTERFACES.md 5): high = sign (bit 15) and
 * biased exponent (14:0), low = the 64-bit significand with its explicit
 * integer bit 63.  The arithmetic on it belongs to fpu/; the type is here
 * so the x86 CPU state can hold its registers.
 */
typedef struct {
    uint64_t low;
    uint16_t high;
} floatx80;

/*
 * Rounding modes.  The first four have the values of Arm FPCR.RMode, so an
 * Arm front end can store the field as it is.
 */
typedef enum {
    float_round_nearest_even = 0,   /* RN: ties to even */
    float_round_up = 1,             /* RP: towards +inf */
    float_round_down = 2,           /* RM: towards -inf */
    float_round_to_zero = 3,        /* RZ */
    float_round_ties_away = 4,      /* nearest, ties away from zero (FRINTA, FCVTA*) */
    float_round_to_odd = 5,         /* truncate, then set the lsb if inexact (FCVTXN) */
} FloatRoundMode;

/*
 * Exception flags, accumulated (ORed) into float_status.flags; nothing here
 * ever clears them.  The values of the first five and input_denormal are the
 * Arm FPSR cumulative bits (IOC, DZC, OFC, UFC, IXC, IDC).
 */
enum {
    float_flag_invalid = 1 << 0,
    float_flag_divbyzero = 1 << 1,
    float_flag_overflow = 1 << 2,
    float_flag_underflow = 1 << 3,        /* tiny and inexact (see tininess_before_rounding) */
    float_flag_inexact = 1 << 4,
    float_flag_denormal_operand = 1 << 5, /* an input was denormal and not flushed (x86 DE;
                                             not raised by float -> int and round_to_int) */
    float_flag_output_denormal = 1 << 6,  /* a tiny result was flushed to zero */
    float_flag_input_denormal = 1 << 7,   /* a denormal input was flushed to zero */
    float_flag_rounded_up = 1 << 8,       /* an inexact result was rounded away from
                                             zero (x87 C1); only floatx80 operations
                                             and conversions from floatx80 raise it */
};

/* x87 precision control (FPUCW.PC): the significand bits of the results of
 * floatx80 add, sub, mul, div and sqrt; the exponent range stays 15 bits. */
typedef enum {
    floatx80_precision_x = 0,       /* 64 bits (PC = 11b) */
    floatx80_precision_d = 1,       /* 53 bits (PC = 10b) */
    floatx80_precision_s = 2,       /* 24 bits (PC = 00b) */
} FloatX80RoundPrec;

/* How a NaN result is chosen among NaN operands (and the default NaN's sign). */
typedef enum {
    /*
     * Arm (FPProcessNaNs/FPProcessNaNs3): the first signalling NaN in
     * operand order, else the first quiet NaN; muladd's order is c, a, b,
     * and inf * 0 + qNaN gives the default NaN with invalid.  Default NaN
     * is positive, quiet, zero payload.
     */
    float_nan_rule_arm = 0,
    /*
     * x86 SSE/AVX: the first NaN operand in order a, b (c), quieted; the
     * default NaN ("real indefinite") is negative.
     */
    float_nan_rule_x86 = 1,
    /*
     * (The rule also selects the answer of an invalid float -> integer
     * conversion: Arm saturates and gives 0 for NaN; x86 gives the
     * "integer indefinite", the most negative value, or all ones for an
     * unsigned result.)
     */
} FloatNaNRule;

typedef struct float_status {
    uint8_t rounding_mode;          /* FloatRoundMode */
    uint16_t flags;                 /* float_flag_* accumulated */
    uint8_t nan_rule;               /* FloatNaNRule */
    bool flush_to_zero;             /* tiny results (tininess rule below) become signed
                                       zero + output_denormal */
    bool flush_inputs_to_zero;      /* denormal inputs read as signed zero + input_denormal */
    bool default_nan_mode;          /* every NaN result is the default NaN */
    bool tininess_before_rounding;  /* Arm: true; x86 SSE and x87: false (F16C: true) */
    uint8_t floatx80_rounding_precision;    /* FloatX80RoundPrec */
} float_status;

/* muladd flags */
enum {
    float_muladd_negate_c = 1 << 0,        /* c's sign is flipped first, NaNs included */
    float_muladd_negate_product = 1 << 1,  /* a's sign is flipped first, NaNs included */
    float_muladd_negate_result = 1 << 2,   /* sign of a non-NaN result flipped before rounding */
    float_muladd_halve_result = 1 << 3,    /* exact result divided by 2 before rounding */
};

typedef enum {
    float_relation_less = -1,
    float_relation_equal = 0,
    float_relation_greater = 1,
    float_relation_unordered = 2,
} FloatRelation;

/* ---- status helpers ---------------------------------------------------- */

static inline void float_raise(unsigned flags, float_status *s) { s->flags |= flags; }
static inline uint16_t get_float_exception_flags(const float_status *s) { return s->flags; }
static inline void set_float_exception_flags(uint16_t f, float_status *s) { s->flags = f; }
static inline void set_float_rounding_mode(FloatRoundMode m, float_status *s) { s->rounding_mode = m; }
/* Arm configuration of everything but the FPCR fields (see docs/softfloat.md). */
void float_status_init_arm(float_status *s);
void float_status_init_x86(float_status *s);

/* ---- bit-level helpers, no flags --------------------------------------- */

#define FLOAT_DEFINE_BITOPS(T, W, EMASK, FMASK, QBIT)                             \
static inline T T##_abs(T a) { return a & ~((T)1 << (W - 1)); }                   \
static inline T T##_chs(T a) { return a ^ ((T)1 << (W - 1)); }                    \
static inline T T##_set_sign(T a, bool neg)                                       \
{ return T##_abs(a) | ((T)neg << (W - 1)); }                                      \
static inline bool T##_is_neg(T a) { return a >> (W - 1); }                       \
static inline bool T##_is_zero(T a) { return T##_abs(a) == 0; }                   \
static inline bool T##_is_infinity(T a) { return T##_abs(a) == EMASK; }           \
static inline bool T##_is_any_nan(T a) { return T##_abs(a) > EMASK; }             \
static inline bool T##_is_nan(T a) { return T##_abs(a) > EMASK; }                 \
static inline bool T##_is_quiet_nan(T a, const float_status *s)                   \
{ return T##_is_any_nan(a) && (a & QBIT); }                                       \
static inline bool T##_is_signaling_nan(T a, const float_status *s)               \
{ return T##_is_any_nan(a) && !(a & QBIT); }                                      \
static inline bool T##_is_denormal(T a)                                           \
{ return (a & EMASK) == 0 && (a & FMASK) != 0; }                                  \
static inline bool T##_is_zero_or_denormal(T a) { return (a & EMASK) == 0; }      \
static inline bool T##_is_normal(T a)                                             \
{ return (a & EMASK) != 0 && (a & EMASK) != EMASK; }                              \
static inline T T##_silence_nan(T a, const float_status *s) { return a | QBIT; }

FLOAT_DEFINE_BITOPS(float16, 16, 0x7c00u, 0x03ffu, 0x0200u)
FLOAT_DEFINE_BITOPS(float32, 32, 0x7f800000u, 0x007fffffu, 0x00400000u)
FLOAT_DEFINE_BITOPS(bfloat16, 16, 0x7f80u, 0x007fu, 0x0040u)
FLOAT_DEFINE_BITOPS(float64, 64, 0x7ff0000000000000ull, 0x000fffffffffffffull,
                    0x0008000000000000ull)
#undef FLOAT_DEFINE_BITOPS

static inline float16 float16_neg(float16 a) { return float16_chs(a); }
static inline float32 float32_neg(float32 a) { return float32_chs(a); }
static inline float64 float64_neg(float64 a) { return float64_chs(a); }

#define float16_zero ((float16)0)
#define float16_one ((float16)0x3c00)
#define float16_infinity ((float16)0x7c00)
#define float32_zero ((float32)0)
#define float32_one ((float32)0x3f800000)
#define float32_two ((float32)0x40000000)
#define float32_infinity ((float32)0x7f800000)
#define float64_zero ((float64)0)
#define float64_one ((float64)0x3ff0000000000000ull)
#define float64_two ((float64)0x4000000000000000ull)
#define float64_infinity ((float64)0x7ff0000000000000ull)

float16 float16_default_nan(const float_status *s);
float32 float32_default_nan(const float_status *s);
float64 float64_default_nan(const float_status *s);

/* ---- arithmetic (per format) --------------------------------------------
 *
 * min/max: Arm FMIN/FMAX (any NaN propagates by the NaN rule; -0 < +0).
 * minnum/maxnum: IEEE 754-2008 minNum/maxNum = Arm FMINNM/FMAXNM (a quiet
 * NaN loses against a number; a signalling NaN still propagates).
 * rem: IEEE remainder, a - n * b with n = a / b rounded to nearest even (exact).
 * round_to_int: status rounding mode, raises inexact (FRINTX);
 * round_to_int_mode: explicit mode, inexact only if `exact` (FRINTX vs the
 * others).  compare: invalid on any NaN (FCMPE); compare_quiet: only on a
 * signalling NaN (FCMP).
 */
#define FLOAT_DECLARE_ARITH(T)                                                    \
T T##_add(T a, T b, float_status *s);                                             \
T T##_sub(T a, T b, float_status *s);                                             \
T T##_mul(T a, T b, float_status *s);                                             \
T T##_div(T a, T b, float_status *s);                                             \
T T##_sqrt(T a, float_status *s);                                                 \
T T##_rem(T a, T b, float_status *s);                                             \
T T##_muladd(T a, T b, T c, int flags, float_status *s);                          \
T T##_min(T a, T b, float_status *s);                                             \
T T##_max(T a, T b, float_status *s);                                             \
T T##_minnum(T a, T b, float_status *s);                                          \
T T##_maxnum(T a, T b, float_status *s);                                          \
T T##_round_to_int(T a, float_status *s);                                         \
T T##_round_to_int_mode(T a, FloatRoundMode rmode, bool exact, float_status *s);  \
T T##_scalbn(T a, int n, float_status *s);                                        \
FloatRelation T##_compare(T a, T b, float_status *s);                             \
FloatRelation T##_compare_quiet(T a, T b, float_status *s);                       \
T T##_squash_input_denormal(T a, float_status *s);

FLOAT_DECLARE_ARITH(float16)
FLOAT_DECLARE_ARITH(float32)
FLOAT_DECLARE_ARITH(float64)
#undef FLOAT_DECLARE_ARITH

/* Predicates on compare: plain ones signal on any NaN, _quiet on sNaN only. */
#define FLOAT_DEFINE_PREDICATES(T)                                                \
static inline bool T##_eq(T a, T b, float_status *s)                              \
{ return T##_compare(a, b, s) == float_relation_equal; }                          \
static inline bool T##_lt(T a, T b, float_status *s)                              \
{ return T##_compare(a, b, s) == float_relation_less; }                           \
static inline bool T##_le(T a, T b, float_status *s)                              \
{ return T##_compare(a, b, s) <= float_relation_equal; }                          \
static inline bool T##_unordered(T a, T b, float_status *s)                       \
{ return T##_compare(a, b, s) == float_relation_unordered; }                      \
static inline bool T##_eq_quiet(T a, T b, float_status *s)                        \
{ return T##_compare_quiet(a, b, s) == float_relation_equal; }                    \
static inline bool T##_lt_quiet(T a, T b, float_status *s)                        \
{ return T##_compare_quiet(a, b, s) == float_relation_less; }                     \
static inline bool T##_le_quiet(T a, T b, float_status *s)                        \
{ return T##_compare_quiet(a, b, s) <= float_relation_equal; }                    \
static inline bool T##_unordered_quiet(T a, T b, float_status *s)                 \
{ return T##_compare_quiet(a, b, s) == float_relation_unordered; }

FLOAT_DEFINE_PREDICATES(float16)
FLOAT_DEFINE_PREDICATES(float32)
FLOAT_DEFINE_PREDICATES(float64)
#undef FLOAT_DEFINE_PREDICATES

/* ---- conversions between formats ----------------------------------------
 *
 * NaNs are quieted (invalid for a signalling one) and keep their sign and
 * the top bits of their payload, or become the default NaN in
 * default_nan_mode.  `ieee` false selects Arm's alternative half precision
 * (AHP: no infinities or NaNs, exponent 31 is normal; NaN -> +-0 and
 * inf/overflow -> +-max with invalid).  The half side is never flushed
 * (Arm FPUnpackCV/FPRoundCV ignore FZ16); the single/double side is.
 * float64_to_float32 with rounding_mode float_round_to_odd is FCVTXN.
 */
float32 float16_to_float32(float16 a, bool ieee, float_status *s);
float64 float16_to_float64(float16 a, bool ieee, float_status *s);
float16 float32_to_float16(float32 a, bool ieee, float_status *s);
float16 float64_to_float16(float64 a, bool ieee, float_status *s);
float64 float32_to_float64(float32 a, float_status *s);
float32 float64_to_float32(float64 a, float_status *s);
/* FCVTXN: float64_to_float32 in float_round_to_odd, whatever the status mode */
float32 float64_to_float32_round_to_odd(float64 a, float_status *s);
/* BFloat16 (Arm BFCVT: status rounding, FZ and DN apply) */
bfloat16 float32_to_bfloat16(float32 a, float_status *s);
bfloat16 float64_to_bfloat16(float64 a, float_status *s);
float32 bfloat16_to_float32(bfloat16 a, float_status *s);

/* ---- float -> integer ---------------------------------------------------
 *
 * Arm FPToFixed semantics: NaN -> 0 with invalid; out of range saturates
 * with invalid (and no inexact); otherwise inexact if rounding changed the
 * value.  _scalbn multiplies by 2^scale exactly before rounding (fixed
 * point: scale = fbits).  The plain form uses the status rounding mode.
 */
#define FLOAT_DECLARE_TO_INT(T, I)                                                \
I##_t T##_to_##I(T a, float_status *s);                                           \
I##_t T##_to_##I##_round_to_zero(T a, float_status *s);                           \
I##_t T##_to_##I##_scalbn(T a, FloatRoundMode rmode, int scale, float_status *s);

#define FLOAT_DECLARE_TO_INTS(T)                                                  \
FLOAT_DECLARE_TO_INT(T, int16) FLOAT_DECLARE_TO_INT(T, int32)                     \
FLOAT_DECLARE_TO_INT(T, int64) FLOAT_DECLARE_TO_INT(T, uint16)                    \
FLOAT_DECLARE_TO_INT(T, uint32) FLOAT_DECLARE_TO_INT(T, uint64)

FLOAT_DECLARE_TO_INTS(float16)
FLOAT_DECLARE_TO_INTS(float32)
FLOAT_DECLARE_TO_INTS(float64)
#undef FLOAT_DECLARE_TO_INTS
#undef FLOAT_DECLARE_TO_INT

/* ---- integer -> float ---------------------------------------------------
 *
 * Rounded once in the status rounding mode; _scalbn multiplies by
 * 2^scale exactly first (fixed point: scale = -fbits).
 */
#define FLOAT_DECLARE_FROM_INT(T, I)                                              \
T I##_to_##T(I##_t v, float_status *s);                                           \
T I##_to_##T##_scalbn(I##_t v, int scale, float_status *s);

#define FLOAT_DECLARE_FROM_INTS(T)                                                \
FLOAT_DECLARE_FROM_INT(T, int16) FLOAT_DECLARE_FROM_INT(T, int32)                 \
FLOAT_DECLARE_FROM_INT(T, int64) FLOAT_DECLARE_FROM_INT(T, uint16)                \
FLOAT_DECLARE_FROM_INT(T, uint32) FLOAT_DECLARE_FROM_INT(T, uint64)

FLOAT_DECLARE_FROM_INTS(float16)
FLOAT_DECLARE_FROM_INTS(float32)
FLOAT_DECLARE_FROM_INTS(float64)
#undef FLOAT_DECLARE_FROM_INTS
#undef FLOAT_DECLARE_FROM_INT

/* ---- x87 80-bit extended precision -------------------------------------
 *
 * Bit-exact with the x87 FPU (checked against the host's in
 * test-softfloat), with its masked-exception responses:
 *  - encodings (SDM vol. 1, 8.2.2): pseudo-denormals (exponent 0, integer
 *    bit set) are read as normals with exponent 1 and raise denormal_operand
 *    like denormals; unnormals, pseudo-infinities and pseudo-NaNs (integer
 *    bit clear, exponent not 0) are unsupported: invalid, and the result is
 *    the default NaN ("real indefinite", 0xffff c000000000000000);
 *  - NaN operands (SDM table 4-7): a quiet NaN beats a signalling one,
 *    between two of the same kind the larger significand wins (the positive
 *    one on a tie); signalling NaNs are quieted with invalid;
 *  - add, sub, mul, div and sqrt round to floatx80_rounding_precision
 *    (24/53/64 bits) in the status rounding mode; everything else to 64
 *    bits (to_float32/64: the target format); tininess after rounding, so
 *    underflow means tiny and inexact; overflow gives infinity or the
 *    largest finite number of the precision by rounding mode;
 *  - flags: invalid (IE), denormal_operand (DE), divbyzero (ZE), overflow
 *    (OE), underflow (UE), inexact (PE), and rounded_up (C1 after an
 *    inexact result); flush_* and default_nan_mode are ignored.
 * The unmasked responses (OE/UE bias adjustment, #IS) are the front end's.
 */
floatx80 floatx80_add(floatx80 a, floatx80 b, float_status *s);
floatx80 floatx80_sub(floatx80 a, floatx80 b, float_status *s);
floatx80 floatx80_mul(floatx80 a, floatx80 b, float_status *s);
floatx80 floatx80_div(floatx80 a, floatx80 b, float_status *s);
floatx80 floatx80_sqrt(floatx80 a, float_status *s);
/* FRNDINT: to an integral value in the status rounding mode */
floatx80 floatx80_round_to_int(floatx80 a, float_status *s);
/* a * 2^n, rounded to 64 bits */
floatx80 floatx80_scalbn(floatx80 a, int n, float_status *s);
/* FSCALE: a * 2^trunc(b), with FSCALE's special cases (0 * 2^+inf invalid) */
floatx80 floatx80_scale(floatx80 a, floatx80 b, float_status *s);
/*
 * FPREM (ieee false: quotient truncated) / FPREM1 (ieee true: quotient
 * rounded to nearest even) partial remainder, exact: when the exponents of
 * a and b differ by less than 64 it is the complete remainder, *incomplete
 * false and *quotient the low 64 bits of the quotient's magnitude (C0, C3,
 * C1 = bits 2, 1, 0); otherwise a partial reduction as the hardware does
 * (*incomplete true, C2), to be repeated.
 */
floatx80 floatx80_prem(floatx80 a, floatx80 b, bool ieee, uint64_t *quotient,
                       bool *incomplete, float_status *s);
/* complete remainders: IEEE (FPREM1 until done) and truncating (FPREM) */
floatx80 floatx80_rem(floatx80 a, floatx80 b, float_status *s);
floatx80 floatx80_mod(floatx80 a, floatx80 b, float_status *s);
/* FCOM (invalid on any NaN) / FUCOM (invalid on signalling NaNs only) */
FloatRelation floatx80_compare(floatx80 a, floatx80 b, float_status *s);
FloatRelation floatx80_compare_quiet(floatx80 a, floatx80 b, float_status *s);
/* FIST/FISTTP: invalid conversions give the integer indefinite (MIN) */
int16_t floatx80_to_int16(floatx80 a, float_status *s);
int32_t floatx80_to_int32(floatx80 a, float_status *s);
int64_t floatx80_to_int64(floatx80 a, float_status *s);
int16_t floatx80_to_int16_round_to_zero(floatx80 a, float_status *s);
int32_t floatx80_to_int32_round_to_zero(floatx80 a, float_status *s);
int64_t floatx80_to_int64_round_to_zero(floatx80 a, float_status *s);
/* FST m32/m64: rounding mode of the status, the target's range */
float32 floatx80_to_float32(floatx80 a, float_status *s);
float64 floatx80_to_float64(floatx80 a, float_status *s);
/* FILD, FLD m32/m64: exact (signalling NaNs quieted with invalid) */
floatx80 int32_to_floatx80(int32_t v, float_status *s);
floatx80 int64_to_floatx80(int64_t v, float_status *s);
floatx80 float32_to_floatx80(float32 a, float_status *s);
floatx80 float64_to_floatx80(float64 a, float_status *s);

static inline floatx80 make_floatx80(uint16_t high, uint64_t low)
{
    return (floatx80){ .low = low, .high = high };
}
static inline floatx80 floatx80_abs(floatx80 a) { a.high &= 0x7fff; return a; }
static inline floatx80 floatx80_chs(floatx80 a) { a.high ^= 0x8000; return a; }
static inline floatx80 floatx80_neg(floatx80 a) { return floatx80_chs(a); }
static inline bool floatx80_is_neg(floatx80 a) { return a.high >> 15; }
static inline bool floatx80_is_zero(floatx80 a)
{ return (a.high & 0x7fff) == 0 && a.low == 0; }
static inline bool floatx80_is_infinity(floatx80 a)
{ return (a.high & 0x7fff) == 0x7fff && a.low == 1ull << 63; }
/* NaN encodings with the integer bit set (a pseudo-NaN is unsupported) */
static inline bool floatx80_is_any_nan(floatx80 a)
{ return (a.high & 0x7fff) == 0x7fff && (a.low >> 63) && (a.low << 1); }
static inline bool floatx80_is_nan(floatx80 a) { return floatx80_is_any_nan(a); }
static inline bool floatx80_is_quiet_nan(floatx80 a, const float_status *s)
{ return floatx80_is_any_nan(a) && (a.low >> 62 & 1); }
static inline bool floatx80_is_signaling_nan(floatx80 a, const float_status *s)
{ return floatx80_is_any_nan(a) && !(a.low >> 62 & 1); }
/* denormals and pseudo-denormals (exponent 0, not zero) */
static inline bool floatx80_is_denormal(floatx80 a)
{ return (a.high & 0x7fff) == 0 && a.low != 0; }
static inline bool floatx80_is_pseudo_denormal(floatx80 a)
{ return (a.high & 0x7fff) == 0 && (a.low >> 63); }
/* unnormals, pseudo-infinities and pseudo-NaNs */
static inline bool floatx80_invalid_encoding(floatx80 a)
{ return (a.high & 0x7fff) != 0 && !(a.low >> 63); }
static inline floatx80 floatx80_silence_nan(floatx80 a, const float_status *s)
{ a.low |= 1ull << 62; return a; }
floatx80 floatx80_default_nan(const float_status *s);

#define floatx80_zero make_floatx80(0x0000, 0)
#define floatx80_one make_floatx80(0x3fff, 0x8000000000000000ull)
#define floatx80_infinity make_floatx80(0x7fff, 0x8000000000000000ull)

#endif
