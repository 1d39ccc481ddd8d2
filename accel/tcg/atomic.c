/*
 * Guest atomics for generated code running in parallel with other vCPUs
 * (the helpers behind tcg_gen_atomic_* in CF_PARALLEL TBs, see
 * include/tcg/tcg-ldst.h) and the cpu_atomic_*_mmu functions C helpers
 * use (include/exec/cpu-ldst.h).
 *
 * An aligned access to plain RAM is one host atomic instruction on the
 * guest page's host address (a compare-and-swap loop for the operations
 * the host has no instruction for, e.g. min/max, or byte-swapped data).
 * Anything else (MMIO, ROM, a watchpoint, misaligned or page-crossing
 * data, 16 bytes without host cmpxchg16b) cannot be made atomic against
 * other vCPUs' plain stores by any lock, so the insn is re-executed alone
 * with every other vCPU stopped (cpu_loop_exit_atomic: an exclusive
 * section, code translated without CF_PARALLEL), as QEMU does.  When no
 * other vCPU can run (round-robin TCG, one vCPU, inside that exclusive
 * step) the operation is simply emulated with a load and a store.
 */
#include "internal.h"
#include "tcg/tcg-ldst.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

/* May another vCPU run guest code while this one does? */
static bool others_may_run(CPUState *cpu)
{
    return !tcg_in_atomic_step && (curr_cflags(cpu) & CF_PARALLEL);
}

static uint64_t sext(uint64_t v, unsigned size)
{
    unsigned sh = 64 - 8 * size;

    return sh ? (uint64_t)((int64_t)(v << sh) >> sh) : v;
}

static uint64_t zext(uint64_t v, unsigned size)
{
    return size == 8 ? v : v & ((1ull << (8 * size)) - 1);
}

/* The old value as the caller asked for it: extended per MO_SIGN. */
static uint64_t extend_old(uint64_t v, MemOp mop)
{
    unsigned size = memop_size(mop);

    return (mop & MO_SIGN) ? sext(v, size) : zext(v, size);
}

/* op(old, val) at the access size (the result's high bits are garbage) */
static uint64_t rmw_compute(TCGAtomicOp op, uint64_t old, uint64_t val,
                            unsigned size)
{
    switch (op) {
    case TCG_ATOMIC_XCHG:
        return val;
    case TCG_ATOMIC_ADD:
        return old + val;
    case TCG_ATOMIC_AND:
        return old & val;
    case TCG_ATOMIC_OR:
        return old | val;
    case TCG_ATOMIC_XOR:
        return old ^ val;
    case TCG_ATOMIC_SMIN:
        return (int64_t)sext(old, size) < (int64_t)sext(val, size) ? old : val;
    case TCG_ATOMIC_SMAX:
        return (int64_t)sext(old, size) > (int64_t)sext(val, size) ? old : val;
    case TCG_ATOMIC_UMIN:
        return zext(old, size) < zext(val, size) ? old : val;
    case TCG_ATOMIC_UMAX:
        return zext(old, size) > zext(val, size) ? old : val;
    }
    g_assert_not_reached();
}

/*
 * Host atomics on a guest page.  Values are guest-order numbers (already
 * swapped per bswap); memory holds them byte-swapped when bswap.
 */
#define HOST_OPS(SUFFIX, T, SWAP)                                            \
static uint64_t host_cmpxchg##SUFFIX(void *host, bool bswap, uint64_t cmpv,  \
                                     uint64_t newv)                          \
{                                                                            \
    T c = bswap ? SWAP((T)cmpv) : (T)cmpv;                                   \
    T n = bswap ? SWAP((T)newv) : (T)newv;                                   \
                                                                             \
    __atomic_compare_exchange_n((T *)host, &c, n, false, __ATOMIC_SEQ_CST,   \
                                __ATOMIC_SEQ_CST);                           \
    return bswap ? SWAP(c) : c;                                              \
}                                                                            \
                                                                             \
static uint64_t host_rmw##SUFFIX(void *host, bool bswap, TCGAtomicOp op,     \
                                 uint64_t val)                               \
{                                                                            \
    T *p = host, old, nv;                                                    \
                                                                             \
    if (!bswap) {                                                            \
        switch (op) {                                                        \
        case TCG_ATOMIC_XCHG:                                                \
            return __atomic_exchange_n(p, (T)val, __ATOMIC_SEQ_CST);         \
        case TCG_ATOMIC_ADD:                                                 \
            return __atomic_fetch_add(p, (T)val, __ATOMIC_SEQ_CST);          \
        case TCG_ATOMIC_AND:                                                 \
            return __atomic_fetch_and(p, (T)val, __ATOMIC_SEQ_CST);          \
        case TCG_ATOMIC_OR:                                                  \
            return __atomic_fetch_or(p, (T)val, __ATOMIC_SEQ_CST);           \
        case TCG_ATOMIC_XOR:                                                 \
            return __atomic_fetch_xor(p, (T)val, __ATOMIC_SEQ_CST);          \
        default:                                                             \
            break;                                                           \
        }                                                                    \
    }                                                                        \
    old = __atomic_load_n(p, __ATOMIC_RELAXED);                              \
    do {                                                                     \
        T o = bswap ? SWAP(old) : old;                                       \
        nv = (T)rmw_compute(op, o, val, sizeof(T));                          \
        if (bswap) {                                                         \
            nv = SWAP(nv);                                                   \
        }                                                                    \
    } while (!__atomic_compare_exchange_n(p, &old, nv, true,                 \
                                          __ATOMIC_SEQ_CST,                  \
                                          __ATOMIC_RELAXED));                \
    return bswap ? SWAP(old) : old;                                          \
}

#define NOSWAP(x) (x)
HOST_OPS(1, uint8_t, NOSWAP)
HOST_OPS(2, uint16_t, bswap16)
HOST_OPS(4, uint32_t, bswap32)
HOST_OPS(8, uint64_t, bswap64)

static uint64_t host_cmpxchg(void *host, unsigned size, bool bswap,
                             uint64_t cmpv, uint64_t newv)
{
    switch (size) {
    case 1:
        return host_cmpxchg1(host, bswap, cmpv, newv);
    case 2:
        return host_cmpxchg2(host, bswap, cmpv, newv);
    case 4:
        return host_cmpxchg4(host, bswap, cmpv, newv);
    default:
        return host_cmpxchg8(host, bswap, cmpv, newv);
    }
}

static uint64_t host_rmw(void *host, unsigned size, bool bswap,
                         TCGAtomicOp op, uint64_t val)
{
    switch (size) {
    case 1:
        return host_rmw1(host, bswap, op, val);
    case 2:
        return host_rmw2(host, bswap, op, val);
    case 4:
        return host_rmw4(host, bswap, op, val);
    default:
        return host_rmw8(host, bswap, op, val);
    }
}

/* host cmpxchg16b (16-byte aligned host address) */
static bool host_have_cas16(void)
{
#if defined(__x86_64__)
    static int have = -1;

    if (have < 0) {
        unsigned a, b, c, d;

        have = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_CMPXCHG16B);
    }
    return have;
#else
    return false;
#endif
}

static Int128 host_cmpxchg16(void *host, Int128 cmpv, Int128 newv)
{
#if defined(__x86_64__)
    uint64_t lo = int128_getlo(cmpv), hi = int128_gethi(cmpv);

    /* RDX:RAX gets the old value whether or not it matched */
    __asm__ volatile("lock cmpxchg16b %0"
                     : "+m"(*(Int128 *)host), "+a"(lo), "+d"(hi)
                     : "b"(int128_getlo(newv)), "c"(int128_gethi(newv))
                     : "memory", "cc");
    return int128_make128(lo, hi);
#else
    g_assert_not_reached();
#endif
}

/* ---- the common cores -------------------------------------------------- */

static uint64_t do_cmpxchg(CPUArchState *env, vaddr addr, uint64_t cmpv,
                           uint64_t newv, MemOpIdx oi, uintptr_t ra)
{
    CPUState *cpu = tcg_env_cpu(env);
    MemOp mop = get_memop(oi);
    unsigned size = memop_size(mop);
    CPUTLBEntryFull *notdirty;
    void *host = tlb_atomic_lookup(cpu, addr, oi, size, &notdirty, ra);
    uint64_t old;

    if (host) {
        old = host_cmpxchg(host, size, mop & MO_BSWAP, cmpv, newv);
        tlb_atomic_done(cpu, addr, size, notdirty);
    } else if (others_may_run(cpu)) {
        cpu_loop_exit_atomic(cpu, ra);
    } else {
        MemOpIdx plain = make_memop_idx(mop & ~(MO_AMASK | MO_SIGN),
                                        get_mmuidx(oi));

        old = helper_ld_mmu(env, addr, plain, ra);
        helper_st_mmu(env, addr, zext(old, size) == zext(cmpv, size)
                      ? newv : old, plain, ra);
    }
    return extend_old(old, mop);
}

static uint64_t do_rmw(CPUArchState *env, vaddr addr, uint64_t val,
                       MemOpIdx oi, TCGAtomicOp op, uintptr_t ra)
{
    CPUState *cpu = tcg_env_cpu(env);
    MemOp mop = get_memop(oi);
    unsigned size = memop_size(mop);
    CPUTLBEntryFull *notdirty;
    void *host = tlb_atomic_lookup(cpu, addr, oi, size, &notdirty, ra);
    uint64_t old;

    if (host) {
        old = host_rmw(host, size, mop & MO_BSWAP, op, val);
        tlb_atomic_done(cpu, addr, size, notdirty);
    } else if (others_may_run(cpu)) {
        cpu_loop_exit_atomic(cpu, ra);
    } else {
        MemOpIdx plain = make_memop_idx(mop & ~(MO_AMASK | MO_SIGN),
                                        get_mmuidx(oi));

        old = helper_ld_mmu(env, addr, plain, ra);
        helper_st_mmu(env, addr, rmw_compute(op, old, val, size), plain, ra);
    }
    return extend_old(old, mop);
}

/* 16 bytes, little-endian (lo at addr); memop: alignment and byte order */
static Int128 do_cmpxchg16(CPUArchState *env, vaddr addr, Int128 cmpv,
                           Int128 newv, MemOpIdx oi, uintptr_t ra)
{
    CPUState *cpu = tcg_env_cpu(env);
    CPUTLBEntryFull *notdirty = NULL;
    void *host = NULL;
    Int128 old;

    g_assert(!(get_memop(oi) & MO_BSWAP));
    if (host_have_cas16()) {
        host = tlb_atomic_lookup(cpu, addr, oi, 16, &notdirty, ra);
    }
    if (host) {
        old = host_cmpxchg16(host, cmpv, newv);
        tlb_atomic_done(cpu, addr, 16, notdirty);
    } else if (others_may_run(cpu)) {
        cpu_loop_exit_atomic(cpu, ra);
    } else {
        old = cpu_ld16_mmu(env, addr, oi, ra);
        cpu_st16_mmu(env, addr, old == cmpv ? newv : old, oi, ra);
    }
    return old;
}

/* ---- called from generated code ---------------------------------------- */

uint64_t helper_atomic_cmpxchg(CPUArchState *env, uint64_t addr, uint64_t cmpv,
                               uint64_t newv, uint32_t oi)
{
    return do_cmpxchg(env, addr, cmpv, newv, oi, GETPC());
}

uint64_t helper_atomic_rmw(CPUArchState *env, uint64_t addr, uint64_t val,
                           uint32_t oi, uint32_t op)
{
    return do_rmw(env, addr, val, oi, (TCGAtomicOp)op, GETPC());
}

uint64_t helper_atomic_cmpxchg16(CPUArchState *env, uint64_t addr,
                                 uint64_t cmp_lo, uint64_t cmp_hi,
                                 uint64_t new_lo, uint64_t new_hi, uint32_t oi)
{
    Int128 old = do_cmpxchg16(env, addr, int128_make128(cmp_lo, cmp_hi),
                              int128_make128(new_lo, new_hi), oi, GETPC());
    CPUNegativeOffsetState *neg = tcg_env_cpu(env)->neg_ptr;

    neg->atomic_hi = int128_gethi(old);
    return int128_getlo(old);
}

/* ---- for C helpers --------------------------------------------------- */

static MemOpIdx oi_with_size(MemOpIdx oi, MemOp size, bool le)
{
    MemOp mop = (get_memop(oi) & ~(MO_SIZE | MO_SIGN | MO_BSWAP)) | size;

    return make_memop_idx(le ? mop : (mop | MO_BSWAP), get_mmuidx(oi));
}

uint32_t cpu_atomic_cmpxchgb_mmu(CPUArchState *env, vaddr addr, uint32_t cmpv,
                                 uint32_t newv, MemOpIdx oi, uintptr_t ra)
{
    return do_cmpxchg(env, addr, cmpv, newv, oi_with_size(oi, MO_8, true), ra);
}

uint32_t cpu_atomic_cmpxchgw_le_mmu(CPUArchState *env, vaddr addr,
                                    uint32_t cmpv, uint32_t newv, MemOpIdx oi,
                                    uintptr_t ra)
{
    return do_cmpxchg(env, addr, cmpv, newv, oi_with_size(oi, MO_16, true), ra);
}

uint32_t cpu_atomic_cmpxchgl_le_mmu(CPUArchState *env, vaddr addr,
                                    uint32_t cmpv, uint32_t newv, MemOpIdx oi,
                                    uintptr_t ra)
{
    return do_cmpxchg(env, addr, cmpv, newv, oi_with_size(oi, MO_32, true), ra);
}

uint64_t cpu_atomic_cmpxchgq_le_mmu(CPUArchState *env, vaddr addr,
                                    uint64_t cmpv, uint64_t newv, MemOpIdx oi,
                                    uintptr_t ra)
{
    return do_cmpxchg(env, addr, cmpv, newv, oi_with_size(oi, MO_64, true), ra);
}

Int128 cpu_atomic_cmpxchgo_le_mmu(CPUArchState *env, vaddr addr, Int128 cmpv,
                                  Int128 newv, MemOpIdx oi, uintptr_t ra)
{
    return do_cmpxchg16(env, addr, cmpv, newv, oi_with_size(oi, MO_64, true),
                        ra);
}

uint64_t cpu_atomic_xchgq_le_mmu(CPUArchState *env, vaddr addr, uint64_t val,
                                 MemOpIdx oi, uintptr_t ra)
{
    return do_rmw(env, addr, val, oi_with_size(oi, MO_64, true),
                  TCG_ATOMIC_XCHG, ra);
}

uint64_t cpu_atomic_rmw_mmu(CPUArchState *env, vaddr addr, uint64_t val,
                            TCGAtomicOp op, MemOpIdx oi, uintptr_t ra)
{
    return do_rmw(env, addr, val, oi, op, ra);
}
