/*
 * RFLAGS for TCG: the arithmetic flags from the lazy encoding (cc_op,
 * see x86-tcg.h), rotates through carry, the BCD adjustments, and the
 * RFLAGS writes with their privilege rules (POPF, STI, CLAC/STAC).
 * Flag definitions: SDM Vol. 1 3.4.3 and Appendix A; per-instruction
 * flags: SDM Vol. 2.
 */
#include "turtle/osdep.h"
#include "target/i386/x86-tcg.h"

#define HELPER_H "target/i386/helper.h"
#include "tcg/helper-proto.h"

static uint32_t parity8(uint64_t v)
{
    return __builtin_parity(v & 0xff) ? 0 : CC_P;
}

static uint32_t szp(uint64_t dst, uint64_t mask, uint64_t sign)
{
    return ((dst & mask) == 0 ? CC_Z : 0) | (dst & sign ? CC_S : 0) |
           parity8(dst);
}

uint32_t x86_cc_compute_all(uint64_t dst, uint64_t src, uint64_t src2,
                            int op)
{
    int kind, size;
    uint64_t mask, sign, src1, cf = 0, of = 0, af = 0;

    switch (op) {
    case CC_OP_EFLAGS:
        return src & CC_MASK;
    case CC_OP_CLR:
        return CC_Z | CC_P;
    case CC_OP_POPCNT:
        return src == 0 ? CC_Z : 0;
    case CC_OP_ADCX:
        return (src & ~(uint64_t)CC_C) | (dst ? CC_C : 0);
    case CC_OP_ADOX:
        return (src & ~(uint64_t)CC_O) | (src2 ? CC_O : 0);
    case CC_OP_ADCOX:
        return (src & ~(uint64_t)(CC_C | CC_O)) | (dst ? CC_C : 0) |
               (src2 ? CC_O : 0);
    default:
        break;
    }
    if (op < CC_OP_ADDB || op >= CC_OP_NB) {
        return 0;                       /* unknown: cannot happen */
    }
    size = (op - CC_OP_ADDB) & 3;
    kind = CC_OP_ADDB + ((op - CC_OP_ADDB) & ~3);
    mask = size == 3 ? ~0ull : (1ull << (8 << size)) - 1;
    sign = 1ull << ((8 << size) - 1);

    switch (kind) {
    case CC_OP_ADDB:
        src1 = dst - src;
        cf = (dst & mask) < (src & mask);
        of = ~(src1 ^ src) & (src1 ^ dst) & sign;
        af = (src1 ^ src ^ dst) & 0x10;
        break;
    case CC_OP_ADCB:
        src1 = dst - src - src2;
        cf = src2 ? (dst & mask) <= (src & mask) : (dst & mask) < (src & mask);
        of = ~(src1 ^ src) & (src1 ^ dst) & sign;
        af = (src1 ^ src ^ dst) & 0x10;
        break;
    case CC_OP_SUBB:
        src1 = dst + src;
        cf = (src1 & mask) < (src & mask);
        of = (src1 ^ src) & (src1 ^ dst) & sign;
        af = (src1 ^ src ^ dst) & 0x10;
        break;
    case CC_OP_SBBB:
        src1 = dst + src + src2;
        cf = src2 ? (src1 & mask) <= (src & mask)
                  : (src1 & mask) < (src & mask);
        of = (src1 ^ src) & (src1 ^ dst) & sign;
        af = (src1 ^ src ^ dst) & 0x10;
        break;
    case CC_OP_LOGICB:
        break;
    case CC_OP_INCB:
        cf = src & 1;
        of = (dst & mask) == sign;
        af = ((dst - 1) ^ 1 ^ dst) & 0x10;
        break;
    case CC_OP_DECB:
        cf = src & 1;
        of = (dst & mask) == sign - 1;
        af = ((dst + 1) ^ 1 ^ dst) & 0x10;
        break;
    case CC_OP_SHLB:
        cf = (src >> ((8 << size) - 1)) & 1;
        of = (src ^ dst) & sign;
        break;
    case CC_OP_SARB:
        cf = src & 1;
        of = (src ^ dst) & sign;
        break;
    case CC_OP_MULB:
        cf = of = src != 0;
        break;
    case CC_OP_BMILGB:
        cf = (src & mask) == 0;
        break;
    }
    return (cf ? CC_C : 0) | (of ? CC_O : 0) | (af ? CC_A : 0) |
           szp(dst, mask, sign);
}

uint32_t x86_cc_compute_c(uint64_t dst, uint64_t src, uint64_t src2, int op)
{
    return x86_cc_compute_all(dst, src, src2, op) & CC_C;
}

uint64_t helper_cc_compute_all(uint64_t dst, uint64_t src, uint64_t src2,
                               uint32_t op)
{
    return x86_cc_compute_all(dst, src, src2, (int32_t)op);
}

uint64_t helper_cc_compute_c(uint64_t dst, uint64_t src, uint64_t src2,
                             uint32_t op)
{
    return x86_cc_compute_c(dst, src, src2, (int32_t)op);
}

/* ---- RCL / RCR (SDM Vol. 2 "RCL/RCR/ROL/ROR") ---- */

/* info: size (MO_8..MO_64) | 4 for RCL; count already masked to 5/6 bits */
static uint64_t rcx_do(uint64_t val, uint64_t count, uint64_t flags,
                       uint32_t info, uint64_t *new_flags)
{
    int bits = 8 << (info & 3);
    bool left = info & 4;
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
    uint64_t cf = flags & CC_C;
    unsigned n = count;

    if (bits == 8) {
        n %= 9;
    } else if (bits == 16) {
        n %= 17;
    }
    val &= mask;
    *new_flags = flags;
    if (n == 0) {
        return val;
    }
    for (unsigned i = 0; i < n; i++) {
        uint64_t out;

        if (left) {
            out = (val >> (bits - 1)) & 1;
            val = ((val << 1) | cf) & mask;
        } else {
            out = val & 1;
            val = (val >> 1) | (cf << (bits - 1));
        }
        cf = out;
    }
    {
        uint64_t msb = (val >> (bits - 1)) & 1, of;

        if (left) {
            of = msb ^ cf;
        } else {
            of = msb ^ ((val >> (bits - 2)) & 1);
        }
        *new_flags = (flags & ~(uint64_t)(CC_C | CC_O)) | cf | (of << 11);
    }
    return val;
}

uint64_t helper_rcx(uint64_t val, uint64_t count, uint64_t flags,
                    uint32_t info)
{
    uint64_t f;

    return rcx_do(val, count, flags, info, &f);
}

uint64_t helper_rcx_flags(uint64_t val, uint64_t count, uint64_t flags,
                          uint32_t info)
{
    uint64_t f;

    rcx_do(val, count, flags, info, &f);
    return f;
}

/* ---- BCD (SDM Vol. 2 "DAA", "DAS", "AAA", "AAS", "AAM", "AAD") ---- */

static uint8_t get_al(CPUX86State *env)
{
    return env->regs[R_EAX];
}

static void set_al(CPUX86State *env, uint8_t v)
{
    env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffull) | v;
}

static void set_flags(CPUX86State *env, uint64_t flags)
{
    env->cc_src = flags;
    env->cc_op = CC_OP_EFLAGS;
}

void helper_daa(CPUX86State *env)
{
    uint64_t f = env->cc_src;
    uint8_t al = get_al(env), old_al = al;
    bool old_cf = f & CC_C, cf = false, af = false;

    if ((al & 0xf) > 9 || (f & CC_A)) {
        cf = old_cf || al > 0xf9;
        al += 6;
        af = true;
    }
    if (old_al > 0x99 || old_cf) {
        al += 0x60;
        cf = true;
    }
    set_al(env, al);
    f &= ~(uint64_t)CC_MASK;
    set_flags(env, f | (cf ? CC_C : 0) | (af ? CC_A : 0) |
              szp(al, 0xff, 0x80));
}

void helper_das(CPUX86State *env)
{
    uint64_t f = env->cc_src;
    uint8_t al = get_al(env), old_al = al;
    bool old_cf = f & CC_C, cf = false, af = false;

    if ((al & 0xf) > 9 || (f & CC_A)) {
        cf = old_cf || al < 6;
        al -= 6;
        af = true;
    }
    if (old_al > 0x99 || old_cf) {
        al -= 0x60;
        cf = true;
    }
    set_al(env, al);
    f &= ~(uint64_t)CC_MASK;
    set_flags(env, f | (cf ? CC_C : 0) | (af ? CC_A : 0) |
              szp(al, 0xff, 0x80));
}

void helper_aaa(CPUX86State *env)
{
    uint64_t f = env->cc_src;
    uint16_t ax = env->regs[R_EAX];
    bool adj = (ax & 0xf) > 9 || (f & CC_A);

    if (adj) {
        ax += 0x106;
    }
    ax &= 0xff0f;
    env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffffull) | ax;
    f &= ~(uint64_t)(CC_A | CC_C);
    set_flags(env, f | (adj ? CC_A | CC_C : 0));
}

void helper_aas(CPUX86State *env)
{
    uint64_t f = env->cc_src;
    uint16_t ax = env->regs[R_EAX];
    bool adj = (ax & 0xf) > 9 || (f & CC_A);

    if (adj) {
        ax -= 6;
        ax -= 0x100;
    }
    ax &= 0xff0f;
    env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffffull) | ax;
    f &= ~(uint64_t)(CC_A | CC_C);
    set_flags(env, f | (adj ? CC_A | CC_C : 0));
}

void helper_aam(CPUX86State *env, uint32_t base)
{
    uint8_t al = get_al(env);
    uint8_t ah = al / base;

    al %= base;
    env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffffull) | (ah << 8) | al;
    env->cc_dst = al;
}

void helper_aad(CPUX86State *env, uint32_t base)
{
    uint8_t al = get_al(env), ah = env->regs[R_EAX] >> 8;

    al = (uint8_t)(al + ah * base);
    env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffffull) | al;
    env->cc_dst = al;
}

/* ---- RFLAGS writes ---- */

void x86_write_eflags(CPUX86State *env, uint64_t val, uint64_t mask)
{
    uint64_t f = x86_rflags_get(env);

    f = (f & ~mask) | (val & mask);
    x86_rflags_set(env, f);
    env->df = (f & RFLAGS_DF) ? -1 : 1;
    x86_update_hflags(env);
}

uint64_t helper_read_eflags(CPUX86State *env)
{
    return x86_rflags_get(env) & ~(uint64_t)(RFLAGS_VM | RFLAGS_RF);
}

/* POPF (SDM Vol. 2 "POPF"): what may change depends on CPL and IOPL */
void helper_write_eflags_popf(CPUX86State *env, uint64_t val, uint32_t ot)
{
    uint64_t mask = CC_MASK | RFLAGS_TF | RFLAGS_DF | RFLAGS_NT |
                    RFLAGS_AC | RFLAGS_ID | RFLAGS_RF;
    int cpl = x86_cpl(env);
    int iopl = (env->rflags >> 12) & 3;

    if (!(env->cr[0] & CR0_PE_MASK)) {
        mask |= RFLAGS_IF | RFLAGS_IOPL;
    } else if (env->rflags & RFLAGS_VM) {
        mask |= RFLAGS_IF;              /* IOPL 3 was checked */
    } else {
        if (cpl == 0) {
            mask |= RFLAGS_IOPL;
        }
        if (cpl <= iopl) {
            mask |= RFLAGS_IF;
        }
    }
    if (ot == MO_16) {
        mask &= 0xffff;
    }
    val &= ~(uint64_t)RFLAGS_RF;        /* POPF clears RF */
    x86_write_eflags(env, val, mask);
}

void helper_sti(CPUX86State *env)
{
    env->rflags |= RFLAGS_IF;
}

void helper_set_ac(CPUX86State *env, uint32_t on)
{
    if (on) {
        env->rflags |= RFLAGS_AC;
    } else {
        env->rflags &= ~(uint64_t)RFLAGS_AC;
    }
    x86_update_hflags(env);
}
