/*
 * A64 integer data processing: add/sub with flags and carry, conditional
 * compare and select, variable shifts, extr, bitfield moves, bit counting
 * and reversal, multiply(-add) and high multiplies, division (including by
 * zero and INT_MIN / -1), CRC32/CRC32C.  Each result is compared with a C
 * model of the Arm ARM pseudocode.
 */
#include "lib.h"

static const uint64_t vals[] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff,
    0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0xffffffffffffffffull, 0xfffffffffffffffeull,
    0x123456789abcdef0ull, 0xfedcba9876543210ull, 0xdeadbeefull,
    0x8000000080000000ull,
};
#define NV (int)(sizeof(vals) / sizeof(vals[0]))

#define N_ 8
#define Z_ 4
#define C_ 2
#define V_ 1

/* AddWithCarry() from the Arm ARM, returning result and NZCV (bits 3..0). */
static uint64_t awc(uint64_t x, uint64_t y, int cin, int sf, int *nzcv)
{
    uint64_t mask = sf ? ~0ull : 0xffffffffull;
    uint64_t sign = sf ? 1ull << 63 : 1ull << 31;
    unsigned __int128 u;
    uint64_t r;
    int f = 0;

    x &= mask;
    y &= mask;
    u = (unsigned __int128)x + y + cin;
    r = (uint64_t)u & mask;
    if (r & sign) {
        f |= N_;
    }
    if (!r) {
        f |= Z_;
    }
    if (sf ? (u >> 64) != 0 : (u >> 32) != 0) {
        f |= C_;
    }
    if (((x ^ r) & (y ^ r) & sign) != 0) {
        f |= V_;
    }
    *nzcv = f;
    return r;
}

static int cond_holds(int cond, int f)
{
    int n = !!(f & N_), z = !!(f & Z_), c = !!(f & C_), v = !!(f & V_);
    int r;
    switch (cond >> 1) {
    case 0: r = z; break;
    case 1: r = c; break;
    case 2: r = n; break;
    case 3: r = v; break;
    case 4: r = c && !z; break;
    case 5: r = n == v; break;
    case 6: r = n == v && !z; break;
    default: r = 1; break;
    }
    if ((cond & 1) && cond != 15) {
        r = !r;
    }
    return r;
}

static inline void set_nzcv(int f)
{
    __asm__ volatile("msr nzcv, %0" : : "r"((uint64_t)f << 28));
}
static inline int get_nzcv(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, nzcv" : "=r"(v));
    return (int)(v >> 28);
}

#define FLAGOP(insn, r, a, b, fin, fout) \
    __asm__ volatile("msr nzcv, %3\n\t" insn "\n\tmrs %1, nzcv" \
                     : "=&r"(r), "=&r"(fout) : "r"(a), "r"((uint64_t)(fin) << 28), "r"(b) : "cc")

static void test_addsub(void)
{
    struct group g;
    static const struct { const char *name; int sub, carry, sf; } ops[] = {
        { "adds64", 0, 0, 1 }, { "adds32", 0, 0, 0 }, { "subs64", 1, 0, 1 }, { "subs32", 1, 0, 0 },
        { "adcs64", 0, 1, 1 }, { "adcs32", 0, 1, 0 }, { "sbcs64", 1, 1, 1 }, { "sbcs32", 1, 1, 0 },
    };
    for (int o = 0; o < 8; o++) {
        grp_begin(&g, ops[o].name);
        for (int i = 0; i < NV; i++) {
            for (int j = 0; j < NV; j++) {
                for (int cin = 0; cin <= ops[o].carry; cin++) {
                    uint64_t a = vals[i], b = vals[j], r = 0, fo = 0;
                    int fin = cin ? C_ | N_ : Z_ | V_, fexp;
                    uint64_t exp;
                    switch (o) {
                    case 0: FLAGOP("adds %0, %2, %4", r, a, b, fin, fo); break;
                    case 1: FLAGOP("adds %w0, %w2, %w4", r, a, b, fin, fo); break;
                    case 2: FLAGOP("subs %0, %2, %4", r, a, b, fin, fo); break;
                    case 3: FLAGOP("subs %w0, %w2, %w4", r, a, b, fin, fo); break;
                    case 4: FLAGOP("adcs %0, %2, %4", r, a, b, fin, fo); break;
                    case 5: FLAGOP("adcs %w0, %w2, %w4", r, a, b, fin, fo); break;
                    case 6: FLAGOP("sbcs %0, %2, %4", r, a, b, fin, fo); break;
                    case 7: FLAGOP("sbcs %w0, %w2, %w4", r, a, b, fin, fo); break;
                    }
                    exp = awc(a, ops[o].sub ? ~b : b,
                              ops[o].carry ? cin : ops[o].sub, ops[o].sf, &fexp);
                    grp_case(&g, r, exp, a, b);
                    grp_case(&g, fo >> 28, (uint64_t)fexp, a, b);
                }
            }
        }
        grp_end(&g);
    }
    /* Non-flag-setting forms must leave NZCV alone. */
    {
        uint64_t r, fo;
        FLAGOP("add %0, %2, %4", r, ~0ull, 1ull, Z_ | C_, fo);
        check("add keeps nzcv", (fo >> 28) | (r << 4), Z_ | C_);
        FLAGOP("adc %0, %2, %4", r, 5ull, 6ull, C_, fo);
        check("adc uses carry", r, 12);
        FLAGOP("sbc %0, %2, %4", r, 5ull, 6ull, 0, fo);
        check("sbc without carry", r, (uint64_t)-2);
        FLAGOP("negs %0, %4", r, 0ull, 0x8000000000000000ull, 0, fo);
        check("negs INT64_MIN flags", fo >> 28, N_ | V_);
        FLAGOP("cmn %2, %4", r, 1ull, ~0ull, 0, fo);
        check("cmn 1,-1 flags", fo >> 28, Z_ | C_);
        FLAGOP("adds %0, %2, #0xfff, lsl #12", r, 0xffffffffff001000ull, 0ull, 0, fo);
        check("adds imm lsl12", r, 0);
        check("adds imm lsl12 flags", fo >> 28, Z_ | C_);
        FLAGOP("subs %w0, %w2, %w4, asr #4", r, 0ull, 0x80000000ull, 0, fo);
        check("subs shifted asr", r, 0x08000000);
        FLAGOP("adds %0, %2, %w4, sxtb #2", r, 0x10ull, 0x80ull, 0, fo);
        check("adds extended sxtb#2", r, 0x10 - 0x200);
        FLAGOP("ands %0, %2, %4", r, 0x8000000000000000ull, ~0ull, Z_ | C_ | V_, fo);
        check("ands flags (C,V cleared)", fo >> 28, N_);
        FLAGOP("bics %w0, %w2, %w4", r, 0xf0ull, 0xf0ull, N_ | C_ | V_, fo);
        check("bics zero flags", fo >> 28, Z_);
    }
}

/* ccmp/ccmn/csel family: the condition is part of the encoding. */
#define CC16(M) M(0,"eq") M(1,"ne") M(2,"cs") M(3,"cc") M(4,"mi") M(5,"pl") M(6,"vs") \
    M(7,"vc") M(8,"hi") M(9,"ls") M(10,"ge") M(11,"lt") M(12,"gt") M(13,"le") M(14,"al") M(15,"nv")

static int do_ccmp(int cond, int fin, uint64_t a, uint64_t b)
{
    uint64_t fo = 0, r = 0;
    switch (cond) {
#define M(n, c) case n: FLAGOP("ccmp %2, %4, #0b1010, " c, r, a, b, fin, fo); break;
    CC16(M)
#undef M
    }
    (void)r;
    return (int)(fo >> 28);
}

static int do_ccmn_imm(int cond, int fin, uint64_t a)
{
    uint64_t fo = 0, r = 0, b = 0;
    switch (cond) {
#define M(n, c) case n: FLAGOP("ccmn %w2, #5, #0b0101, " c, r, a, b, fin, fo); break;
    CC16(M)
#undef M
    }
    (void)r;
    return (int)(fo >> 28);
}

static uint64_t do_csel(int kind, int cond, int fin, uint64_t a, uint64_t b)
{
    uint64_t fo = 0, r = 0;
#define M(n, c) case n: \
    switch (kind) { \
    case 0: FLAGOP("csel %0, %2, %4, " c, r, a, b, fin, fo); break; \
    case 1: FLAGOP("csinc %0, %2, %4, " c, r, a, b, fin, fo); break; \
    case 2: FLAGOP("csinv %w0, %w2, %w4, " c, r, a, b, fin, fo); break; \
    case 3: FLAGOP("csneg %0, %2, %4, " c, r, a, b, fin, fo); break; \
    } break;
    switch (cond) {
    CC16(M)
    }
#undef M
    (void)fo;
    return r;
}

static void test_cond(void)
{
    struct group g;
    static const uint64_t pairs[][2] = {
        { 5, 5 }, { 5, 6 }, { 6, 5 }, { 0x8000000000000000ull, 1 }, { 0, 0x8000000000000000ull },
    };

    grp_begin(&g, "ccmp");
    for (int cond = 0; cond < 16; cond++) {
        for (int fin = 0; fin < 16; fin++) {
            for (int p = 0; p < 5; p++) {
                int fexp;
                uint64_t a = pairs[p][0], b = pairs[p][1];
                if (cond_holds(cond, fin)) {
                    awc(a, ~b, 1, 1, &fexp);
                } else {
                    fexp = 0xa;
                }
                grp_case(&g, do_ccmp(cond, fin, a, b), fexp, a, (uint64_t)(cond << 4 | fin));
            }
        }
    }
    grp_end(&g);

    grp_begin(&g, "ccmn imm 32");
    for (int cond = 0; cond < 16; cond++) {
        for (int fin = 0; fin < 16; fin++) {
            for (int i = 0; i < NV; i += 3) {
                int fexp;
                if (cond_holds(cond, fin)) {
                    awc(vals[i], 5, 0, 0, &fexp);
                } else {
                    fexp = 0x5;
                }
                grp_case(&g, do_ccmn_imm(cond, fin, vals[i]), fexp, vals[i], (uint64_t)(cond << 4 | fin));
            }
        }
    }
    grp_end(&g);

    static const char *const names[] = { "csel", "csinc", "csinv32", "csneg" };
    for (int k = 0; k < 4; k++) {
        grp_begin(&g, names[k]);
        for (int cond = 0; cond < 16; cond++) {
            for (int fin = 0; fin < 16; fin++) {
                uint64_t a = 0x1122334455667788ull, b = 0xfffffffffffffff0ull + (uint64_t)fin;
                uint64_t e;
                if (cond_holds(cond, fin)) {
                    e = k == 2 ? (uint32_t)a : a;
                } else {
                    switch (k) {
                    case 0: e = b; break;
                    case 1: e = b + 1; break;
                    case 2: e = (uint32_t)~b; break;
                    default: e = -b; break;
                    }
                }
                grp_case(&g, do_csel(k, cond, fin, a, b), e, cond, fin);
            }
        }
        grp_end(&g);
    }
    {
        uint64_t r, fo;
        FLAGOP("cset %w0, hi", r, 0ull, 0ull, C_, fo);
        check("cset hi", r, 1);
        FLAGOP("csetm %0, lt", r, 0ull, 0ull, N_, fo);
        check("csetm lt", r, ~0ull);
        FLAGOP("cinc %0, %2, ne", r, 41ull, 0ull, 0, fo);
        check("cinc ne", r, 42);
    }
}

static void test_shifts(void)
{
    struct group g;
    static const char *const names[] = {
        "lslv64", "lsrv64", "asrv64", "rorv64", "lslv32", "lsrv32", "asrv32", "rorv32",
    };
    for (int o = 0; o < 8; o++) {
        grp_begin(&g, names[o]);
        for (int i = 0; i < NV; i++) {
            for (uint64_t sh = 0; sh < 140; sh += 3) {
                uint64_t a = vals[i], r = 0, e;
                uint64_t s = sh | (sh << 40);   /* high bits of the amount are ignored */
                int n = o < 4 ? (int)(sh & 63) : (int)(sh & 31);
                uint32_t a32 = (uint32_t)a;
                switch (o) {
                case 0: __asm__("lslv %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); e = a << n; break;
                case 1: __asm__("lsrv %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); e = a >> n; break;
                case 2: __asm__("asrv %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); e = (uint64_t)((int64_t)a >> n); break;
                case 3: __asm__("rorv %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); e = n ? a >> n | a << (64 - n) : a; break;
                case 4: __asm__("lslv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); e = (uint32_t)(a32 << n); break;
                case 5: __asm__("lsrv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); e = a32 >> n; break;
                case 6: __asm__("asrv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s)); e = (uint32_t)((int32_t)a32 >> n); break;
                default: __asm__("rorv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(s));
                    e = n ? (uint32_t)(a32 >> n | a32 << (32 - n)) : a32; break;
                }
                grp_case(&g, r, e, a, sh);
            }
        }
        grp_end(&g);
    }
    {
        uint64_t r, a = 0x0123456789abcdefull, b = 0xfedcba9876543210ull;
        __asm__("extr %0, %1, %2, #16" : "=r"(r) : "r"(a), "r"(b));
        check("extr64 #16", r, (a << 48) | (b >> 16));
        __asm__("extr %w0, %w1, %w2, #4" : "=r"(r) : "r"(a), "r"(b));
        check("extr32 #4", r, 0xf7654321);
        __asm__("extr %0, %1, %2, #0" : "=r"(r) : "r"(a), "r"(b));
        check("extr64 #0", r, b);
        __asm__("ror %0, %1, #63" : "=r"(r) : "r"(a));
        check("ror imm #63", r, (a << 1) | (a >> 63));
        __asm__("lsl %w0, %w1, #31" : "=r"(r) : "r"(3ull));
        check("lsl32 imm #31", r, 0x80000000);
        __asm__("asr %0, %1, #63" : "=r"(r) : "r"(b));
        check("asr64 imm #63", r, ~0ull);
    }
}

static void test_bitfield(void)
{
    uint64_t r, a = 0xfedcba9876543210ull;
    __asm__("ubfx %0, %1, #8, #12" : "=r"(r) : "r"(a));
    check("ubfx #8,#12", r, 0x432);
    __asm__("sbfx %0, %1, #56, #8" : "=r"(r) : "r"(a));
    check("sbfx #56,#8", r, 0xfffffffffffffffeull);
    __asm__("sbfx %w0, %w1, #4, #4" : "=r"(r) : "r"(a));
    check("sbfx32 #4,#4", r, 1);
    __asm__("sbfx %w0, %w1, #28, #4" : "=r"(r) : "r"(0x80000000ull));
    check("sbfx32 #28,#4 (zero-extends to x)", r, 0xfffffff8);
    __asm__("ubfiz %0, %1, #56, #8" : "=r"(r) : "r"(a));
    check("ubfiz #56,#8", r, 0x1000000000000000ull);
    __asm__("ubfiz %0, %1, #4, #8" : "=r"(r) : "r"(a));
    check("ubfiz #4,#8", r, 0x100);
    __asm__("sbfiz %0, %1, #8, #8" : "=r"(r) : "r"(0x80ull));
    check("sbfiz #8,#8", r, 0xffffffffffff8000ull);
    r = 0x1111111111111111ull;
    __asm__("bfi %0, %1, #16, #16" : "+r"(r) : "r"(a));
    check("bfi #16,#16", r, 0x1111111132101111ull);
    r = 0x1111111111111111ull;
    __asm__("bfxil %0, %1, #32, #24" : "+r"(r) : "r"(a));
    check("bfxil #32,#24", r, 0x1111111111dcba98ull);
    r = 0x1111111111111111ull;
    __asm__("bfxil %w0, %w1, #0, #32" : "+r"(r) : "r"(a));
    check("bfxil32 clears top", r, 0x76543210ull);
    r = 0xffffffffffffffffull;
    __asm__("bfi %0, xzr, #60, #4" : "+r"(r));
    check("bfi xzr (bfc) #60,#4", r, 0x0fffffffffffffffull);
    __asm__("sxtb %0, %w1" : "=r"(r) : "r"(0x1ff80ull));
    check("sxtb", r, 0xffffffffffffff80ull);
    __asm__("sxth %w0, %w1" : "=r"(r) : "r"(0x8001ull));
    check("sxth32", r, 0xffff8001ull);
    __asm__("sxtw %0, %w1" : "=r"(r) : "r"(0x80000000ull));
    check("sxtw", r, 0xffffffff80000000ull);
    __asm__("uxth %w0, %w1" : "=r"(r) : "r"(0xabcdefull));
    check("uxth", r, 0xcdef);
    /* Raw encodings with wrapping fields: ubfm x0, x1, #60, #3 = ubfiz #4, #4 */
    __asm__("ubfm %0, %1, #60, #3" : "=r"(r) : "r"(a));
    check("ubfm immr>imms", r, 0x0ull);
    __asm__("sbfm %0, %1, #62, #1" : "=r"(r) : "r"(3ull));
    check("sbfm immr>imms", r, 0xfffffffffffffffcull);
    /* bfm with imms < immr is bfi #(64 - immr), #(imms + 1) */
    __asm__("bfm %0, %2, #4, #2" : "=r"(r) : "0"(0xffffull), "r"(0xdull));
    check("bfm bfi form", r, 0x500000000000ffffull);
    __asm__("bfm %0, %2, #4, #6" : "=r"(r) : "0"(0xffffull), "r"(0x70ull));
    check("bfm bfxil form", r, 0xfff8ull | 7);
}

static uint64_t clz64(uint64_t v) { int n = 0; for (uint64_t m = 1ull << 63; m && !(v & m); m >>= 1) n++; return n; }
static uint64_t rbit64(uint64_t v) { uint64_t r = 0; for (int i = 0; i < 64; i++) r |= ((v >> i) & 1) << (63 - i); return r; }
static uint64_t rev64(uint64_t v) { uint64_t r = 0; for (int i = 0; i < 8; i++) r |= ((v >> (8 * i)) & 0xff) << (56 - 8 * i); return r; }

static void test_bits(void)
{
    struct group g;
    static const char *const names[] = {
        "clz64", "clz32", "cls64", "cls32", "rbit64", "rbit32", "rev64", "rev32w", "rev16", "rev32x", "rev16w",
    };
    for (int o = 0; o < 11; o++) {
        grp_begin(&g, names[o]);
        for (int i = 0; i < NV; i++) {
            for (int s = 0; s < 64; s += 7) {
                uint64_t a = vals[i] >> s, r = 0, e;
                uint32_t a32 = (uint32_t)a;
                switch (o) {
                case 0: __asm__("clz %0, %1" : "=r"(r) : "r"(a)); e = clz64(a); break;
                case 1: __asm__("clz %w0, %w1" : "=r"(r) : "r"(a)); e = clz64(a32) - 32; break;
                case 2: __asm__("cls %0, %1" : "=r"(r) : "r"(a)); e = clz64(a ^ (a << 1)) - ((a ^ (a << 1)) != 0 ? 0 : 0) ; e = e == 64 ? 63 : e; break;
                case 3: __asm__("cls %w0, %w1" : "=r"(r) : "r"(a));
                    e = clz64((uint32_t)(a32 ^ (a32 << 1))) - 32; e = e == 32 ? 31 : e; break;
                case 4: __asm__("rbit %0, %1" : "=r"(r) : "r"(a)); e = rbit64(a); break;
                case 5: __asm__("rbit %w0, %w1" : "=r"(r) : "r"(a)); e = rbit64(a32) >> 32; break;
                case 6: __asm__("rev %0, %1" : "=r"(r) : "r"(a)); e = rev64(a); break;
                case 7: __asm__("rev %w0, %w1" : "=r"(r) : "r"(a)); e = rev64(a32) >> 32; break;
                case 8: __asm__("rev16 %0, %1" : "=r"(r) : "r"(a));
                    e = ((a >> 8) & 0x00ff00ff00ff00ffull) | ((a << 8) & 0xff00ff00ff00ff00ull); break;
                case 9: __asm__("rev32 %0, %1" : "=r"(r) : "r"(a));
                    e = (rev64(a) >> 32) | (rev64(a) << 32); break;
                default: __asm__("rev16 %w0, %w1" : "=r"(r) : "r"(a));
                    e = ((a32 >> 8) & 0x00ff00ff) | ((a32 << 8) & 0xff00ff00); break;
                }
                grp_case(&g, r, e, a, 0);
            }
        }
        grp_end(&g);
    }
}

static void test_mul_div(void)
{
    struct group g;
    static const char *const names[] = {
        "madd64", "msub32", "smulh", "umulh", "smaddl", "umaddl", "smsubl", "umnegl",
        "udiv64", "sdiv64", "udiv32", "sdiv32",
    };
    for (int o = 0; o < 12; o++) {
        grp_begin(&g, names[o]);
        for (int i = 0; i < NV; i++) {
            for (int j = 0; j < NV; j++) {
                uint64_t a = vals[i], b = vals[j], c = 0x0f0f0f0f0f0f0f0full, r = 0, e;
                int64_t sa = (int64_t)a, sb = (int64_t)b;
                int32_t a32 = (int32_t)a, b32 = (int32_t)b;
                switch (o) {
                case 0: __asm__("madd %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); e = c + a * b; break;
                case 1: __asm__("msub %w0, %w1, %w2, %w3" : "=r"(r) : "r"(a), "r"(b), "r"(c));
                    e = (uint32_t)(c - a * b); break;
                case 2: __asm__("smulh %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
                    e = (uint64_t)(((__int128)sa * sb) >> 64); break;
                case 3: __asm__("umulh %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
                    e = (uint64_t)(((unsigned __int128)a * b) >> 64); break;
                case 4: __asm__("smaddl %0, %w1, %w2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c));
                    e = c + (uint64_t)((int64_t)a32 * b32); break;
                case 5: __asm__("umaddl %0, %w1, %w2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c));
                    e = c + (uint64_t)(uint32_t)a * (uint32_t)b; break;
                case 6: __asm__("smsubl %0, %w1, %w2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c));
                    e = c - (uint64_t)((int64_t)a32 * b32); break;
                case 7: __asm__("umnegl %0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b));
                    e = -((uint64_t)(uint32_t)a * (uint32_t)b); break;
                case 8: __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); e = b ? a / b : 0; break;
                case 9: __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
                    e = !b ? 0 : (sa == INT64_MIN && sb == -1) ? a : (uint64_t)(sa / sb); break;
                case 10: __asm__("udiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b));
                    e = (uint32_t)b ? (uint32_t)a / (uint32_t)b : 0; break;
                default: __asm__("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b));
                    e = !b32 ? 0 : (a32 == INT32_MIN && b32 == -1) ? 0x80000000u : (uint32_t)(a32 / b32); break;
                }
                grp_case(&g, r, e, a, b);
            }
        }
        grp_end(&g);
    }
    {
        uint64_t r;
        __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(0x8000000000000000ull), "r"(~0ull));
        check("sdiv INT64_MIN/-1", r, 0x8000000000000000ull);
        __asm__("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(0x80000000ull), "r"(~0ull));
        check("sdiv INT32_MIN/-1", r, 0x80000000ull);
        __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(12345ull), "r"(0ull));
        check("udiv by zero", r, 0);
        __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(-7ll), "r"(2ll));
        check("sdiv rounds toward zero", r, (uint64_t)-3);
    }
}

static uint32_t crc_model(uint32_t crc, uint64_t data, int bytes, uint32_t poly)
{
    for (int i = 0; i < bytes * 8; i++) {
        int bit = (crc ^ (uint32_t)(data >> i)) & 1;
        crc = (crc >> 1) ^ (bit ? poly : 0);
    }
    return crc;
}

static void test_crc(void)
{
    struct group g;
    static const char *const names[] = {
        "crc32b", "crc32h", "crc32w", "crc32x", "crc32cb", "crc32ch", "crc32cw", "crc32cx",
    };
    for (int o = 0; o < 8; o++) {
        uint32_t poly = o < 4 ? 0xedb88320u : 0x82f63b78u;
        int bytes = 1 << (o & 3);
        grp_begin(&g, names[o]);
        for (int i = 0; i < NV; i++) {
            for (int j = 0; j < NV; j += 2) {
                uint64_t acc = vals[i] ^ 0xa5a5a5a5a5a5a5a5ull, d = vals[j], r = 0;
                switch (o) {
                case 0: __asm__("crc32b %w0, %w1, %w2" : "=r"(r) : "r"(acc), "r"(d)); break;
                case 1: __asm__("crc32h %w0, %w1, %w2" : "=r"(r) : "r"(acc), "r"(d)); break;
                case 2: __asm__("crc32w %w0, %w1, %w2" : "=r"(r) : "r"(acc), "r"(d)); break;
                case 3: __asm__("crc32x %w0, %w1, %2" : "=r"(r) : "r"(acc), "r"(d)); break;
                case 4: __asm__("crc32cb %w0, %w1, %w2" : "=r"(r) : "r"(acc), "r"(d)); break;
                case 5: __asm__("crc32ch %w0, %w1, %w2" : "=r"(r) : "r"(acc), "r"(d)); break;
                case 6: __asm__("crc32cw %w0, %w1, %w2" : "=r"(r) : "r"(acc), "r"(d)); break;
                default: __asm__("crc32cx %w0, %w1, %2" : "=r"(r) : "r"(acc), "r"(d)); break;
                }
                grp_case(&g, r, crc_model((uint32_t)acc, d, bytes, poly), acc, d);
            }
        }
        grp_end(&g);
    }
    {
        /* Standard check value: CRC-32("123456789") = 0xcbf43926 (with the
         * usual ~ before and after, done here in software). */
        const char *s = "123456789";
        uint32_t crc = ~0u, crcc = ~0u;
        for (int i = 0; i < 9; i++) {
            __asm__("crc32b %w0, %w0, %w1" : "+r"(crc) : "r"((uint32_t)s[i]));
            __asm__("crc32cb %w0, %w0, %w1" : "+r"(crcc) : "r"((uint32_t)s[i]));
        }
        check32("crc32 check value", ~crc, 0xcbf43926);
        check32("crc32c check value", ~crcc, 0xe3069283);
    }
}

int main(void)
{
    printf("int-arith: start at EL%d\n", (int)(boot_current_el >> 2));
    test_addsub();
    test_cond();
    test_shifts();
    test_bitfield();
    test_bits();
    test_mul_div();
    test_crc();
    test_done();
}
