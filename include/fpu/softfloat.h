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
};

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
    uint8_t flags;                  /* float_flag_* accumulated */
    uint8_t nan_rule;               /* FloatNaNRule */
    bool flush_to_zero;             /* tiny results (tininess rule below) become signed
                                       zero + output_denormal */
    bool flush_inputs_to_zero;      /* denormal inputs read as signed zero + input_denormal */
    bool default_nan_mode;          /* every NaN result is the default NaN */
    bool tininess_before_rounding;  /* Arm: true; x86 SSE: false (F16C: true) */
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

static inline void float_raise(uint8_t flags, float_status *s) { s->flags |= flags; }
static inline uint8_t get_float_exception_flags(const float_status *s) { return s->flags; }
static inline void set_float_exception_flags(uint8_t f, float_status *s) { s->flags = f; }
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

#endif
