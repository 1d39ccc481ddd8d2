/*
 * Atomic read-modify-write helpers for generated code running in parallel
 * with other vCPUs (CF_PARALLEL): LSE atomics, CAS/CASP and the store
 * half of the exclusives, built on the accel/tcg cmpxchg primitives.
 * Without CF_PARALLEL the translator emits plain load/compare/store
 * sequences instead (nothing else runs meanwhile).
 */
#include "turtle/osdep.h"
#include "target/arm/cpu.h"
#include "exec/cpu-ldst.h"

#define HELPER_H "target/arm/helper.h"
#include "tcg/helper-proto.h"

/* desc: bits 1:0 size, bits 7:4 mmu_idx, bits 15:8 operation */
static MemOpIdx desc_oi(uint32_t desc)
{
    return make_memop_idx((MemOp)((desc & 3) | MO_ALIGN), (desc >> 4) & 15);
}

static uint64_t cmpxchg(CPUARMState *env, uint64_t addr, uint64_t cmpv,
                        uint64_t newv, uint32_t desc, uintptr_t ra)
{
    MemOpIdx oi = desc_oi(desc);

    switch (desc & 3) {
    case 0:
        return cpu_atomic_cmpxchgb_mmu(env, addr, cmpv, newv, oi, ra);
    case 1:
        return cpu_atomic_cmpxchgw_le_mmu(env, addr, cmpv, newv, oi, ra);
    case 2:
        return cpu_atomic_cmpxchgl_le_mmu(env, addr, cmpv, newv, oi, ra);
    default:
        return cpu_atomic_cmpxchgq_le_mmu(env, addr, cmpv, newv, oi, ra);
    }
}

static uint64_t load(CPUARMState *env, uint64_t addr, uint32_t desc,
                     uintptr_t ra)
{
    MemOpIdx oi = desc_oi(desc);

    switch (desc & 3) {
    case 0:
        return cpu_ldb_mmu(env, addr, oi, ra);
    case 1:
        return cpu_ldw_mmu(env, addr, oi, ra);
    case 2:
        return cpu_ldl_mmu(env, addr, oi, ra);
    default:
        return cpu_ldq_mmu(env, addr, oi, ra);
    }
}

uint64_t HELPER(atomic_cas)(CPUARMState *env, uint64_t addr, uint64_t cmpv,
                            uint64_t newv, uint32_t desc)
{
    return cmpxchg(env, addr, cmpv, newv, desc, GETPC());
}

/* LD<op>/SWP: returns the old value (zero-extended) */
uint64_t HELPER(atomic_rmw)(CPUARMState *env, uint64_t addr, uint64_t val,
                            uint32_t desc)
{
    uintptr_t ra = GETPC();
    int sz = desc & 3, bits = 8 << sz, op = (desc >> 8) & 15;
    uint64_t mask = sz == 3 ? ~0ull : (1ull << bits) - 1;
    uint64_t old = load(env, addr, desc, ra), nv, got;

    for (;;) {
        int64_t so = (int64_t)(old << (64 - bits)) >> (64 - bits);
        int64_t sv = (int64_t)(val << (64 - bits)) >> (64 - bits);
        uint64_t uv = val & mask;

        switch (op) {
        case 0:                         /* ADD */
            nv = old + uv;
            break;
        case 1:                         /* CLR */
            nv = old & ~uv;
            break;
        case 2:                         /* EOR */
            nv = old ^ uv;
            break;
        case 3:                         /* SET */
            nv = old | uv;
            break;
        case 4:                         /* SMAX */
            nv = so > sv ? old : uv;
            break;
        case 5:                         /* SMIN */
            nv = so < sv ? old : uv;
            break;
        case 6:                         /* UMAX */
            nv = old > uv ? old : uv;
            break;
        case 7:                         /* UMIN */
            nv = old < uv ? old : uv;
            break;
        default:                        /* SWP */
            nv = uv;
            break;
        }
        nv &= mask;
        got = cmpxchg(env, addr, old, nv, desc, ra);
        if (got == old) {
            return old;
        }
        old = got;
    }
}

/* 16-byte compare-and-swap (CASP X, STXP X); *hi of the old value in
 * env->exclusive_high-style out slot: returns lo, stores hi in env */
uint64_t HELPER(atomic_cas16)(CPUARMState *env, uint64_t addr, uint64_t cmp_lo,
                              uint64_t cmp_hi, uint64_t new_lo,
                              uint64_t new_hi, uint32_t desc)
{
    MemOpIdx oi = make_memop_idx((MemOp)(MO_64 | MO_ALIGN_16),
                                 (desc >> 4) & 15);
    Int128 old = cpu_atomic_cmpxchgo_le_mmu(env, addr,
                                            int128_make128(cmp_lo, cmp_hi),
                                            int128_make128(new_lo, new_hi),
                                            oi, GETPC());

    env->atomic_hi = int128_gethi(old);
    return int128_getlo(old);
}
