/*
 * A64 Advanced SIMD (a64-simd.decode).  Not translated yet: every
 * AdvSIMD encoding is UNDEFINED after the FP access check.
 */
#include "turtle/osdep.h"
#include "target/arm/translate-a64.h"

bool disas_a64_simd_all(DisasContext *s, uint32_t insn)
{
    return false;
}
