/*
 * Arm-only floating point operations (Arm ARM shared/functions/float):
 * reciprocal and reciprocal square root estimates (FRECPE, FRSQRTE, and the
 * integer cores for URECPE/URSQRTE), FRECPX, and the fused Newton-Raphson
 * steps FRECPS/FRSQRTS.  Flags and flushing follow the float_status, as
 * for the IEEE operations in fpu/softfloat.h.
 */
#ifndef FPU_SOFTFLOAT_ARM_H
#define FPU_SOFTFLOAT_ARM_H

#include "fpu/softfloat.h"

/*
 * A float_status for an Arm FPCR value: RMode, FZ (or FZ16 when `half`,
 * for half-precision arithmetic and half <-> integer conversions), DN; the
 * flags start clear.  FPCR.AHP is an argument of the half conversions
 * instead (ieee = !AHP).  FEAT_AFP (FPCR.AH/FIZ/NEP) is not modelled.
 */
static inline void float_status_from_arm_fpcr(float_status *s, uint32_t fpcr, bool half)
{
    bool fz = half ? (fpcr >> 19) & 1 : (fpcr >> 24) & 1;

    float_status_init_arm(s);
    s->rounding_mode = (fpcr >> 22) & 3;
    s->flush_to_zero = s->flush_inputs_to_zero = fz;
    s->default_nan_mode = (fpcr >> 25) & 1;
}

/* The FPSR cumulative bits (IOC, DZC, OFC, UFC, IXC, IDC) for the flags. */
static inline uint32_t float_status_arm_fpsr(const float_status *s)
{
    return (s->flags & 0x9f) | (s->flags & float_flag_output_denormal ? 0x08 : 0);
}

/*
 * RecipEstimate(): a in [256, 512) is 0.5 <= x < 1 in units of 1/512;
 * returns r in [256, 512), 1/x in units of 1/256.
 */
int arm_recip_estimate_int(int a);
/*
 * RecipSqrtEstimate(): a in [128, 512) is 0.25 <= x < 1 in units of 1/512;
 * returns r in [256, 512), 1/sqrt(x) in units of 1/256.
 */
int arm_rsqrt_estimate_int(int a);

/* FPRecipEstimate / FPRSqrtEstimate (rounding_mode must be RN/RP/RM/RZ) */
float16 float16_recip_estimate(float16 a, float_status *s);
float32 float32_recip_estimate(float32 a, float_status *s);
float64 float64_recip_estimate(float64 a, float_status *s);
float16 float16_rsqrt_estimate(float16 a, float_status *s);
float32 float32_rsqrt_estimate(float32 a, float_status *s);
float64 float64_rsqrt_estimate(float64 a, float_status *s);

/* FPRecpX: the exponent inverted, fraction zero */
float16 float16_recpx(float16 a, float_status *s);
float32 float32_recpx(float32 a, float_status *s);
float64 float64_recpx(float64 a, float_status *s);

/* FPMulX (FMULX): multiply, but inf * 0 = +-2.0 without invalid */
float16 float16_mulx(float16 a, float16 b, float_status *s);
float32 float32_mulx(float32 a, float32 b, float_status *s);
float64 float64_mulx(float64 a, float64 b, float_status *s);

/* FPRecipStepFused: 2 - a * b (inf * 0 gives 2); FPRSqrtStepFused: (3 - a * b) / 2 */
float16 float16_recip_step(float16 a, float16 b, float_status *s);
float32 float32_recip_step(float32 a, float32 b, float_status *s);
float64 float64_recip_step(float64 a, float64 b, float_status *s);
float16 float16_rsqrt_step(float16 a, float16 b, float_status *s);
float32 float32_rsqrt_step(float32 a, float32 b, float_status *s);
float64 float64_rsqrt_step(float64 a, float64 b, float_status *s);

/*
 * FPRoundIntN: FRINT32Z/FRINT64Z (rmode to_zero), FRINT32X/FRINT64X
 * (status mode); intsize 32 or 64.  Raises inexact when it rounds.
 */
float32 float32_round_to_int_n(float32 a, FloatRoundMode rmode, int intsize, float_status *s);
float64 float64_round_to_int_n(float64 a, FloatRoundMode rmode, int intsize, float_status *s);

/* FPToFixedJS: FJCVTZS; *z receives PSTATE.Z (exact and in range) */
int32_t float64_to_int32_js(float64 a, bool *z, float_status *s);

#endif
