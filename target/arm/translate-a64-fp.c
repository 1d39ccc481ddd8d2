/*
 * A64 scalar floating point and Advanced SIMD.  Not translated yet: every
 * encoding of a64-fp.decode / a64-simd.decode is UNDEFINED (after the
 * CPACR_EL1.FPEN access check, so the FP trap behaves).
 */
#include "turtle/osdep.h"
#include "target/arm/translate-a64.h"

bool disas_a64_fp_all(DisasContext *s, uint32_t insn)
{
    /* op0 x1x1 (bits 28:25 = x111) is the SIMD&FP data processing space */
    if ((insn & 0x0e000000) == 0x0e000000) {
        if (!fp_access_check(s)) {
            return true;
        }
    }
    return false;
}
