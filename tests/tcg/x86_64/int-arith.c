/*
 * Integer arithmetic and logic with every flag: ADD ADC SUB SBB CMP AND
 * OR XOR TEST INC DEC NEG NOT at 8/16/32/64 bits over boundary operands,
 * with CF in and out.  Each result and the defined flags (SDM Vol. 2: AF
 * is undefined after logic ops) are checked against a C model of the SDM
 * definitions, and hashed per op and size so the .ref pins them too.
 */
#include "lib.h"

static const uint64_t vals[] = {
    0, 1, 2, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
    0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x100000000ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
    0x123456789abcdef0ull, 0xfedcba9876543210ull, 0x0f0f0f0f0f0f0f0full,
};
#define NV (sizeof(vals) / sizeof(vals[0]))

typedef uint64_t OpFn(uint64_t a, uint64_t b, uint64_t *flags);

#define OP2(name, insn, sz, mod, cons)                                      \
static uint64_t name(uint64_t a, uint64_t b, uint64_t *flags)               \
{                                                                            \
    uint64_t f = *flags;                                                     \
    __asm__ volatile("push %[f]; popfq; " insn " %" mod "[b], %" mod "[a];"  \
                     " pushfq; pop %[f]"                                     \
                     : [a] "+" cons(a), [f] "+r"(f) : [b] cons(b) : "cc");   \
    *flags = f;                                                              \
    return a;                                                                \
}
#define OP1(name, insn, sz, mod, cons)                                      \
static uint64_t name(uint64_t a, uint64_t b, uint64_t *flags)               \
{                                                                            \
    uint64_t f = *flags;                                                     \
    __asm__ volatile("push %[f]; popfq; " insn " %" mod "[a];"               \
                     " pushfq; pop %[f]"                                     \
                     : [a] "+" cons(a), [f] "+r"(f) : : "cc");               \
    *flags = f;                                                              \
    return a;                                                                \
}
#define SIZES2(op)                                                          \
    OP2(op##8, #op "b", 8, "b", "q") OP2(op##16, #op "w", 16, "w", "r")    \
    OP2(op##32, #op "l", 32, "k", "r") OP2(op##64, #op "q", 64, "q", "r")
#define SIZES1(op)                                                          \
    OP1(op##8, #op "b", 8, "b", "q") OP1(op##16, #op "w", 16, "w", "r")    \
    OP1(op##32, #op "l", 32, "k", "r") OP1(op##64, #op "q", 64, "q", "r")

SIZES2(add) SIZES2(adc) SIZES2(sub) SIZES2(sbb) SIZES2(cmp) SIZES2(and)
SIZES2(or) SIZES2(xor) SIZES2(test)
SIZES1(inc) SIZES1(dec) SIZES1(neg) SIZES1(not)

enum { ADD, ADC, SUB, SBB, CMP, AND, OR, XOR, TEST, INC, DEC, NEG, NOT };

static const struct {
    const char *name;
    int kind;
    OpFn *fn[4];
} ops[] = {
    { "add", ADD, { add8, add16, add32, add64 } },
    { "adc", ADC, { adc8, adc16, adc32, adc64 } },
    { "sub", SUB, { sub8, sub16, sub32, sub64 } },
    { "sbb", SBB, { sbb8, sbb16, sbb32, sbb64 } },
    { "cmp", CMP, { cmp8, cmp16, cmp32, cmp64 } },
    { "and", AND, { and8, and16, and32, and64 } },
    { "or", OR, { or8, or16, or32, or64 } },
    { "xor", XOR, { xor8, xor16, xor32, xor64 } },
    { "test", TEST, { test8, test16, test32, test64 } },
    { "inc", INC, { inc8, inc16, inc32, inc64 } },
    { "dec", DEC, { dec8, dec16, dec32, dec64 } },
    { "neg", NEG, { neg8, neg16, neg32, neg64 } },
    { "not", NOT, { not8, not16, not32, not64 } },
};

static uint64_t parity(uint64_t v)
{
    return __builtin_parity(v & 0xff) ? 0 : FL_PF;
}

/* the SDM's result and flags (mask: the defined ones) */
static uint64_t model(int kind, int bits, uint64_t a, uint64_t b,
                      uint64_t fin, uint64_t *fout, uint64_t *mask)
{
    uint64_t m = bits == 64 ? ~0ull : (1ull << bits) - 1;
    uint64_t sign = 1ull << (bits - 1), r, cf = 0, of = 0, af = 0;
    uint64_t cin = fin & FL_CF, f;
    unsigned __int128 wide;

    a &= m;
    b &= m;
    *mask = FL_ARITH;
    switch (kind) {
    case ADD:
    case ADC:
        if (kind == ADD) {
            cin = 0;
        }
        wide = (unsigned __int128)a + b + cin;
        r = (uint64_t)wide & m;
        cf = bits == 64 ? (uint64_t)(wide >> 64) : (wide >> bits) & 1;
        of = (~(a ^ b) & (a ^ r)) & sign;
        af = (a ^ b ^ r) & 0x10;
        break;
    case SUB:
    case SBB:
    case CMP:
    case NEG:
        if (kind == NEG) {
            b = a;
            a = 0;
        }
        if (kind != SBB) {
            cin = 0;
        }
        r = (a - b - cin) & m;
        cf = kind == NEG ? b != 0 : (unsigned __int128)b + cin > a;
        of = ((a ^ b) & (a ^ r)) & sign;
        af = (a ^ b ^ r) & 0x10;
        if (kind == CMP) {
            f = (fin & ~FL_ARITH) | (cf ? FL_CF : 0) | (of ? FL_OF : 0) |
                (af ? FL_AF : 0) | (r ? 0 : FL_ZF) | (r & sign ? FL_SF : 0) |
                parity(r);
            *fout = f;
            return a;
        }
        break;
    case AND:
    case TEST:
        r = a & b;
        *mask &= ~FL_AF;
        break;
    case OR:
        r = a | b;
        *mask &= ~FL_AF;
        break;
    case XOR:
        r = a ^ b;
        *mask &= ~FL_AF;
        break;
    case INC:
        r = (a + 1) & m;
        cf = fin & FL_CF;
        of = r == sign;
        af = (a ^ 1 ^ r) & 0x10;
        break;
    case DEC:
        r = (a - 1) & m;
        cf = fin & FL_CF;
        of = r == sign - 1;
        af = (a ^ 1 ^ r) & 0x10;
        break;
    default:                            /* NOT: no flags */
        *fout = fin;
        return ~a & m;
    }
    f = (fin & ~FL_ARITH) | (cf ? FL_CF : 0) | (of ? FL_OF : 0) |
        (af ? FL_AF : 0) | (r ? 0 : FL_ZF) | (r & sign ? FL_SF : 0) |
        parity(r);
    *fout = f;
    return kind == TEST ? a : r;
}

int main(void)
{
    static const int bits[4] = { 8, 16, 32, 64 };

    printf("x86-64 integer arithmetic and flags\n");
    for (unsigned o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
        for (int s = 0; s < 4; s++) {
            Hash h;
            unsigned bad = 0;
            uint64_t m = bits[s] == 64 ? ~0ull : (1ull << bits[s]) - 1;

            hash_init(&h);
            for (unsigned i = 0; i < NV; i++) {
                for (unsigned j = 0; j < NV; j++) {
                    for (int c = 0; c < 2; c++) {
                        uint64_t fin = 0x2 | (c ? FL_CF : 0) |
                                       (j & 1 ? FL_ZF | FL_SF | FL_OF : 0);
                        uint64_t f = fin, mf, mask, r, mr;

                        r = ops[o].fn[s](vals[i], vals[j], &f) & m;
                        mr = model(ops[o].kind, bits[s], vals[i], vals[j],
                                   fin, &mf, &mask);
                        if (r != mr || (f & mask) != (mf & mask) ||
                            (f & ~FL_ARITH & 0xfff) != (fin & ~FL_ARITH)) {
                            if (!bad) {
                                printf("  %s%d 0x%lx, 0x%lx cf%d: got 0x%lx "
                                       "f=0x%lx, want 0x%lx f=0x%lx\n",
                                       ops[o].name, bits[s], vals[i],
                                       vals[j], c, r, f & mask, mr,
                                       mf & mask);
                            }
                            bad++;
                        }
                        hash_add(&h, r);
                        hash_add(&h, f & mask);
                    }
                }
            }
            check(bad == 0, "%s%d: %u cases hash %016lx", ops[o].name,
                  bits[s], h.n / 2, h.h);
        }
    }
    return finish();
}
