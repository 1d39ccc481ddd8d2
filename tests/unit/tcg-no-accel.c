/*
 * For programs that link libtcg without accel/tcg (test-tcg-ops, the
 * tcg-micro benchmark): the atomic helpers the code generator calls, which
 * these programs never reach (they emit no atomic guest memory ops).
 */
#include <glib.h>
#include "tcg/tcg.h"
#include "tcg/tcg-ldst.h"

uint64_t helper_atomic_cmpxchg(CPUArchState *env, uint64_t addr, uint64_t cmpv,
                               uint64_t newv, uint32_t oi)
{
    g_error("tcg: no accelerator: helper_atomic_cmpxchg");
}

uint64_t helper_atomic_rmw(CPUArchState *env, uint64_t addr, uint64_t val,
                           uint32_t oi, uint32_t op)
{
    g_error("tcg: no accelerator: helper_atomic_rmw");
}

uint64_t helper_atomic_cmpxchg16(CPUArchState *env, uint64_t addr,
                                 uint64_t cmp_lo, uint64_t cmp_hi,
                                 uint64_t new_lo, uint64_t new_hi, uint32_t oi)
{
    g_error("tcg: no accelerator: helper_atomic_cmpxchg16");
}
