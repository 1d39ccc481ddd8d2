/*
 * Helpers shared by the SIMD tests: 128-bit vectors as byte arrays, lane
 * access, and a group check of whole vectors.
 */
#ifndef TCG_AARCH64_SIMD_H
#define TCG_AARCH64_SIMD_H

#include "lib.h"

typedef struct {
    uint8_t b[16];
} __attribute__((aligned(16))) vec;

static inline uint64_t lane(const vec *v, int esize, int i)
{
    uint64_t r = 0;
    for (int k = esize - 1; k >= 0; k--) {
        r = r << 8 | v->b[i * esize + k];
    }
    return r;
}

static inline void set_lane(vec *v, int esize, int i, uint64_t x)
{
    for (int k = 0; k < esize; k++) {
        v->b[i * esize + k] = (uint8_t)(x >> (8 * k));
    }
}

static inline int64_t slane(const vec *v, int esize, int i)
{
    int sh = 64 - 8 * esize;
    return (int64_t)(lane(v, esize, i) << sh) >> sh;
}

static inline void vec_zero(vec *v)
{
    for (int k = 0; k < 16; k++) {
        v->b[k] = 0;
    }
}

static inline void grp_vec(struct group *g, const vec *got, const vec *exp, uint64_t a, uint64_t b)
{
    grp_case(g, lane(got, 8, 0), lane(exp, 8, 0), a, b);
    grp_case(g, lane(got, 8, 1), lane(exp, 8, 1), a, b);
}

static inline int check_vec(const char *name, const vec *got, const vec *exp)
{
    checks_run++;
    if (!memcmp(got, exp, 16)) {
        printf("%s: %016lx%016lx PASS\n", name, lane(got, 8, 1), lane(got, 8, 0));
        return 1;
    }
    checks_failed++;
    printf("%s: got %016lx%016lx expected %016lx%016lx FAIL\n", name,
           lane(got, 8, 1), lane(got, 8, 0), lane(exp, 8, 1), lane(exp, 8, 0));
    return 0;
}

/* Run one instruction with v1, v2 (and v3) loaded from a, b (c), storing
 * v0 to d.  v0 is preloaded from d for insert-style instructions. */
#define VOP(insn, d, a, b) \
    __asm__ volatile("ldr q0, [%0]\n\tldr q1, [%1]\n\tldr q2, [%2]\n\t" insn "\n\tstr q0, [%0]" \
                     : : "r"(d), "r"(a), "r"(b) : "v0", "v1", "v2", "memory")

#endif
