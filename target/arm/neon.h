/*
 * Advanced SIMD operations executed by helper_simd (neon_helper.c): the
 * operation numbers (one per a64-simd.decode pattern, see simd-ops.h) and
 * the packing of the instruction fields into its two i32 arguments.
 */
#ifndef TARGET_ARM_NEON_H
#define TARGET_ARM_NEON_H

#include "target/arm/cpu.h"

enum {
#define SIMD_OP(name, set, base, form) SIMD_##name,
#include "target/arm/simd-ops.h"
#undef SIMD_OP
    SIMD_NUM_OPS
};

/* p1: rd rn rm esz q u rmode op len idx; p2: immediate */
#define SIMD_P1(rd, rn, rm, esz, q, u, rmode, opb, len, idx) \
    ((uint32_t)(rd) | ((uint32_t)(rn) << 5) | ((uint32_t)(rm) << 10) | \
     ((uint32_t)(esz) << 15) | ((uint32_t)(q) << 17) | ((uint32_t)(u) << 18) | \
     ((uint32_t)(rmode) << 19) | ((uint32_t)(opb) << 22) | \
     ((uint32_t)(len) << 23) | ((uint32_t)(idx) << 25))

/* false: the encoding is UNDEFINED (reserved or not implemented) */
bool simd_supported(CPUARMState *env, int op, uint32_t p1, uint32_t p2);

#endif
