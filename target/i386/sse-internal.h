/*
 * Shared by the vector helpers (sse_helper.c, sse4_helper.c): the
 * descriptor of sse-ops.h's helpers and the MXCSR bracket of an FP
 * operation.
 */
#ifndef TARGET_I386_SSE_INTERNAL_H
#define TARGET_I386_SSE_INTERNAL_H

#include "target/i386/x86-tcg.h"

/* desc = destination bytes | imm8 << 8 | source b bytes << 16 | VEX << 24 */
#define DLEN(desc)  ((desc) & 0xff)
#define IMM(desc)   (((desc) >> 8) & 0xff)
#define BLEN(desc)  (((desc) >> 16) & 0xff)
#define ISVEX(desc) (((desc) >> 24) & 1)

static inline float_status *fst(CPUX86State *env)
{
    return &env->sse_status;
}

/* an FP operation: fp_begin, the softfloat calls, x86_sse_fp_end (which
 * merges the flags into MXCSR and raises #XM/#UD for an unmasked one, so
 * the destination is written after it) */
static inline void fp_begin(CPUX86State *env)
{
    env->sse_status.flags = 0;
}

void x86_sse_fp_end(CPUX86State *env, uintptr_t ra);

#endif
