/*
 * Integer helpers: DIV/IDIV with #DE (SDM Vol. 2 "DIV", "IDIV"), BOUND, CRC32 (Castagnoli), PDEP/PEXT and RDRAND/RDSEED
 * (from the host's getrandom, never failing: CF is always 1).
 */
#include "turtle/osdep.h"
#include "target/i386/x86-tcg.h"
#include <sys/random.h>

#define HELPER_H "target/i386/helper.h"
#include "tcg/helper-proto.h"

static G_NORETURN void raise_de(CPUX86State *env, uintptr_t ra)
{
    x86_raise_exception_ra(env, EXCP00_DIVZ, ra);
}

static void set_reg(CPUX86State *env, int reg, MemOp ot, uint64_t v)
{
    if (ot == MO_16) {
        env->regs[reg] = (env->regs[reg] & ~0xffffull) | (v & 0xffff);
    } else if (ot == MO_32) {
        env->regs[reg] = (uint32_t)v;
    } else {
        env->regs[reg] = v;
    }
}

void helper_divb(CPUX86State *env, uint64_t src)
{
    uint16_t n = env->regs[R_EAX];
    uint8_t dv = src;
    unsigned q;

    if (!dv) {
        raise_de(env, GETPC());
    }
    q = n / dv;
    if (q > 0xff) {
        raise_de(env, GETPC());
    }
    set_reg(env, R_EAX, MO_16, ((n % dv) << 8) | q);
}

void helper_idivb(CPUX86State *env, uint64_t src)
{
    int16_t n = env->regs[R_EAX];
    int8_t dv = src;
    int q;

    if (!dv) {
        raise_de(env, GETPC());
    }
    q = n / dv;
    if (q != (int8_t)q) {
        raise_de(env, GETPC());
    }
    set_reg(env, R_EAX, MO_16, (((n % dv) & 0xff) << 8) | (q & 0xff));
}

void helper_divw(CPUX86State *env, uint64_t src)
{
    uint32_t n = ((env->regs[R_EDX] & 0xffff) << 16) |
                 (env->regs[R_EAX] & 0xffff);
    uint16_t dv = src;
    uint32_t q;

    if (!dv) {
        raise_de(env, GETPC());
    }
    q = n / dv;
    if (q > 0xffff) {
        raise_de(env, GETPC());
    }
    set_reg(env, R_EAX, MO_16, q);
    set_reg(env, R_EDX, MO_16, n % dv);
}

void helper_idivw(CPUX86State *env, uint64_t src)
{
    int32_t n = (int32_t)(((env->regs[R_EDX] & 0xffff) << 16) |
                          (env->regs[R_EAX] & 0xffff));
    int16_t dv = src;
    int32_t q;

    if (!dv) {
        raise_de(env, GETPC());
    }
    q = n / dv;
    if (q != (int16_t)q) {
        raise_de(env, GETPC());
    }
    set_reg(env, R_EAX, MO_16, q);
    set_reg(env, R_EDX, MO_16, n % dv);
}

void helper_divl(CPUX86State *env, uint64_t src)
{
    uint64_t n = ((env->regs[R_EDX] & 0xffffffffull) << 32) |
                 (uint32_t)env->regs[R_EAX];
    uint32_t dv = src;
    uint64_t q;

    if (!dv) {
        raise_de(env, GETPC());
    }
    q = n / dv;
    if (q > 0xffffffffull) {
        raise_de(env, GETPC());
    }
    set_reg(env, R_EAX, MO_32, q);
    set_reg(env, R_EDX, MO_32, n % dv);
}

void helper_idivl(CPUX86State *env, uint64_t src)
{
    int64_t n = (int64_t)(((env->regs[R_EDX] & 0xffffffffull) << 32) |
                          (uint32_t)env->regs[R_EAX]);
    int32_t dv = src;
    int64_t q;

    if (!dv) {
        raise_de(env, GETPC());
    }
    if (n == INT64_MIN && dv == -1) {
        raise_de(env, GETPC());
    }
    q = n / dv;
    if (q != (int32_t)q) {
        raise_de(env, GETPC());
    }
    set_reg(env, R_EAX, MO_32, q);
    set_reg(env, R_EDX, MO_32, n % dv);
}

void helper_divq(CPUX86State *env, uint64_t src)
{
    unsigned __int128 n = ((unsigned __int128)env->regs[R_EDX] << 64) |
                          env->regs[R_EAX];
    unsigned __int128 q;

    if (!src) {
        raise_de(env, GETPC());
    }
    q = n / src;
    if (q >> 64) {
        raise_de(env, GETPC());
    }
    env->regs[R_EAX] = (uint64_t)q;
    env->regs[R_EDX] = (uint64_t)(n % src);
}

void helper_idivq(CPUX86State *env, uint64_t src)
{
    __int128 n = (__int128)(((unsigned __int128)env->regs[R_EDX] << 64) |
                            env->regs[R_EAX]);
    int64_t dv = src;
    __int128 q;

    if (!dv) {
        raise_de(env, GETPC());
    }
    if (dv == -1 && n == -n && n != 0) {
        raise_de(env, GETPC());           /* -2^127 / -1 */
    }
    q = n / dv;
    if (q != (int64_t)q) {
        raise_de(env, GETPC());
    }
    env->regs[R_EAX] = (uint64_t)q;
    env->regs[R_EDX] = (uint64_t)(n % dv);
}

/* BOUND: the index against two signed bounds at a0; #BR outside */
void helper_bound(CPUX86State *env, uint64_t a0, uint64_t index, uint32_t ot)
{
    uintptr_t ra = GETPC();
    int idx = x86_mmu_index_of(env);
    int64_t lo, hi, v;

    if (ot == MO_16) {
        lo = (int16_t)cpu_lduw_le_mmuidx_ra(env, a0, idx, ra);
        hi = (int16_t)cpu_lduw_le_mmuidx_ra(env, (uint32_t)(a0 + 2), idx, ra);
        v = (int16_t)index;
    } else {
        lo = (int32_t)cpu_ldl_le_mmuidx_ra(env, a0, idx, ra);
        hi = (int32_t)cpu_ldl_le_mmuidx_ra(env, (uint32_t)(a0 + 4), idx, ra);
        v = (int32_t)index;
    }
    if (v < lo || v > hi) {
        x86_raise_exception_ra(env, EXCP05_BOUND, ra);
    }
}

/* CRC32: CRC-32C, bit-reflected (polynomial 0x82F63B78) */
uint64_t helper_crc32(uint64_t crc, uint64_t val, uint32_t bits)
{
    uint32_t c = crc;

    for (uint32_t i = 0; i < bits; i++) {
        uint32_t bit = (c ^ (val >> i)) & 1;

        c = (c >> 1) ^ (bit ? 0x82f63b78u : 0);
    }
    return c;
}

uint64_t helper_pdep(uint64_t src, uint64_t mask)
{
    uint64_t r = 0;

    for (uint64_t bb = 1; mask; bb <<= 1) {
        if (src & bb) {
            r |= mask & -mask;
        }
        mask &= mask - 1;
    }
    return r;
}

uint64_t helper_pext(uint64_t src, uint64_t mask)
{
    uint64_t r = 0;

    for (uint64_t bb = 1; mask; bb <<= 1) {
        if (src & mask & -mask) {
            r |= bb;
        }
        mask &= mask - 1;
    }
    return r;
}

uint64_t helper_rdrand(CPUX86State *env, uint32_t seed)
{
    uint64_t v = 0;
    size_t got = 0;

    while (got < sizeof(v)) {
        ssize_t n = getrandom((uint8_t *)&v + got, sizeof(v) - got, 0);

        if (n > 0) {
            got += n;
        } else if (n < 0 && errno != EINTR) {
            break;
        }
    }
    return v;
}
