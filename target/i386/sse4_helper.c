/*
 * SSSE3, SSE4.1, SSE4.2, AES-NI and PCLMULQDQ operations (SDM Vol. 2, per
 * instruction), with the conventions of sse_helper.c: pointers into env,
 * desc from sse-internal.h, results built locally and copied out.
 * Operations within 128-bit lanes take an MMX register as one 8-byte lane.
 */
#include "turtle/osdep.h"
#include "target/i386/sse-internal.h"
#include "turtle/crypto-prim.h"

#define HELPER_H "target/i386/helper.h"
#include "tcg/helper-proto.h"

#define SSE_HELPER(name) \
    void helper_##name(CPUX86State *env, void *pd, void *pa, void *pb, \
                       uint32_t desc)

static inline unsigned lane_bytes(uint32_t desc)
{
    return DLEN(desc) < 16 ? DLEN(desc) : 16;
}

static inline int sat16(int v)
{
    return v < -32768 ? -32768 : v > 32767 ? 32767 : v;
}

/* ---- SSSE3 ---- */

SSE_HELPER(pshufb)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;
    unsigned lb = lane_bytes(desc);

    for (unsigned i = 0; i < DLEN(desc); i++) {
        uint8_t s = B->b[i];

        r.b[i] = s & 0x80 ? 0 : A->b[(i & ~(lb - 1)) + (s & (lb - 1))];
    }
    memcpy(pd, &r, DLEN(desc));
}

/* horizontal word/dword pairs: a's pairs, then b's, per lane */
static void hop(void *pd, const X86ZMMReg *A, const X86ZMMReg *B,
                uint32_t desc, unsigned esz, int sub, bool sat)
{
    X86ZMMReg r;
    unsigned lb = lane_bytes(desc), ne = lb / esz;

    for (unsigned l = 0; l < DLEN(desc) / esz; l += ne) {
        for (unsigned i = 0; i < ne; i++) {
            const X86ZMMReg *S = i < ne / 2 ? A : B;
            unsigned j = l + 2 * (i % (ne / 2));

            if (esz == 2) {
                int x = (int16_t)S->w[j], y = (int16_t)S->w[j + 1];
                int v = sub ? x - y : x + y;

                r.w[l + i] = sat ? sat16(v) : v;
            } else {
                r.l[l + i] = sub ? S->l[j] - S->l[j + 1]
                                 : S->l[j] + S->l[j + 1];
            }
        }
    }
    memcpy(pd, &r, DLEN(desc));
}

SSE_HELPER(phaddw)  { hop(pd, pa, pb, desc, 2, 0, false); }
SSE_HELPER(phaddd)  { hop(pd, pa, pb, desc, 4, 0, false); }
SSE_HELPER(phaddsw) { hop(pd, pa, pb, desc, 2, 0, true); }
SSE_HELPER(phsubw)  { hop(pd, pa, pb, desc, 2, 1, false); }
SSE_HELPER(phsubd)  { hop(pd, pa, pb, desc, 4, 1, false); }
SSE_HELPER(phsubsw) { hop(pd, pa, pb, desc, 2, 1, true); }

SSE_HELPER(pmaddubsw)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    for (unsigned i = 0; i < DLEN(desc) / 2; i++) {
        r.w[i] = sat16(A->b[2 * i] * (int8_t)B->b[2 * i] +
                       A->b[2 * i + 1] * (int8_t)B->b[2 * i + 1]);
    }
    memcpy(pd, &r, DLEN(desc));
}

SSE_HELPER(pmulhrsw)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    for (unsigned i = 0; i < DLEN(desc) / 2; i++) {
        int32_t p = (int16_t)A->w[i] * (int16_t)B->w[i];

        r.w[i] = ((p >> 14) + 1) >> 1;
    }
    memcpy(pd, &r, DLEN(desc));
}

#define SIGN_ABS(F, T, sign, abs)                                          \
SSE_HELPER(sign)                                                               \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
                                                                           \
    for (unsigned i = 0; i < DLEN(desc) / sizeof(T); i++) {                \
        T b = B->F[i];                                                     \
        r.F[i] = b < 0 ? -A->F[i] : b == 0 ? 0 : A->F[i];                  \
    }                                                                      \
    memcpy(pd, &r, DLEN(desc));                                            \
}                                                                          \
SSE_HELPER(abs)                                                                \
{                                                                          \
    const X86ZMMReg *B = pb;                                               \
    X86ZMMReg r;                                                           \
                                                                           \
    for (unsigned i = 0; i < DLEN(desc) / sizeof(T); i++) {                \
        T b = B->F[i];                                                     \
        r.F[i] = b < 0 ? -b : b;                                           \
    }                                                                      \
    memcpy(pd, &r, DLEN(desc));                                            \
}
SIGN_ABS(b, int8_t, psignb, pabsb)
SIGN_ABS(w, int16_t, psignw, pabsw)
SIGN_ABS(l, int32_t, psignd, pabsd)

/* PALIGNR: per lane, (a:b) shifted right by imm8 bytes */
SSE_HELPER(palignr)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;
    unsigned lb = lane_bytes(desc), n = IMM(desc);

    for (unsigned l = 0; l < DLEN(desc); l += lb) {
        for (unsigned i = 0; i < lb; i++) {
            unsigned j = i + n;

            r.b[l + i] = j < lb ? B->b[l + j] : j < 2 * lb ? A->b[l + j - lb]
                                                           : 0;
        }
    }
    memcpy(pd, &r, DLEN(desc));
}

/* ---- SSE4.1 blends, widening moves, odd ones ---- */

/* the mask register (XMM0, or VEX's imm8[7:4] register) is in vec_tmp[2] */
#define BLENDV(name, F, T)                                                 \
SSE_HELPER(name)                                                               \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb, *M = &env->vec_tmp[2];               \
    X86ZMMReg r;                                                           \
                                                                           \
    for (unsigned i = 0; i < DLEN(desc) / sizeof(T); i++) {                \
        r.F[i] = (T)M->F[i] < 0 ? B->F[i] : A->F[i];                       \
    }                                                                      \
    memcpy(pd, &r, DLEN(desc));                                            \
}
BLENDV(pblendvb, b, int8_t)
BLENDV(blendvps, l, int32_t)
BLENDV(blendvpd, q, int64_t)

#define BLENDI(name, F, lanebits)                                          \
SSE_HELPER(name)                                                               \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
                                                                           \
    for (unsigned i = 0; i < DLEN(desc) / sizeof(r.F[0]); i++) {           \
        r.F[i] = (IMM(desc) >> (i % (lanebits))) & 1 ? B->F[i] : A->F[i];  \
    }                                                                      \
    memcpy(pd, &r, DLEN(desc));                                            \
}
BLENDI(blendps, l, 8)
BLENDI(blendpd, q, 8)
BLENDI(pblendw, w, 8)

#define PMOVX(name, DF, DT, SF, ST)                                        \
SSE_HELPER(name)                                                               \
{                                                                          \
    const X86ZMMReg *B = pb;                                               \
    X86ZMMReg r;                                                           \
                                                                           \
    for (unsigned i = 0; i < DLEN(desc) / sizeof(DT); i++) {               \
        r.DF[i] = (DT)(ST)B->SF[i];                                        \
    }                                                                      \
    memcpy(pd, &r, DLEN(desc));                                            \
}
PMOVX(pmovsxbw, w, uint16_t, b, int8_t)
PMOVX(pmovsxbd, l, uint32_t, b, int8_t)
PMOVX(pmovsxbq, q, uint64_t, b, int8_t)
PMOVX(pmovsxwd, l, uint32_t, w, int16_t)
PMOVX(pmovsxwq, q, uint64_t, w, int16_t)
PMOVX(pmovsxdq, q, uint64_t, l, int32_t)
PMOVX(pmovzxbw, w, uint16_t, b, uint8_t)
PMOVX(pmovzxbd, l, uint32_t, b, uint8_t)
PMOVX(pmovzxbq, q, uint64_t, b, uint8_t)
PMOVX(pmovzxwd, l, uint32_t, w, uint16_t)
PMOVX(pmovzxwq, q, uint64_t, w, uint16_t)
PMOVX(pmovzxdq, q, uint64_t, l, uint32_t)

SSE_HELPER(pmuldq)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    for (unsigned i = 0; i < DLEN(desc) / 8; i++) {
        r.q[i] = (int64_t)(int32_t)A->l[2 * i] * (int32_t)B->l[2 * i];
    }
    memcpy(pd, &r, DLEN(desc));
}

SSE_HELPER(packusdw)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    for (unsigned l = 0; l < DLEN(desc) / 4; l += 4) {
        for (unsigned i = 0; i < 4; i++) {
            int32_t x = A->l[l + i], y = B->l[l + i];

            r.w[2 * l + i] = x < 0 ? 0 : x > 65535 ? 65535 : x;
            r.w[2 * l + 4 + i] = y < 0 ? 0 : y > 65535 ? 65535 : y;
        }
    }
    memcpy(pd, &r, DLEN(desc));
}

SSE_HELPER(phminposuw)
{
    const X86ZMMReg *B = pb;
    X86ZMMReg r = { .q = { 0 } };
    unsigned m = 0;

    for (unsigned i = 1; i < 8; i++) {
        if (B->w[i] < B->w[m]) {
            m = i;
        }
    }
    r.w[0] = B->w[m];
    r.w[1] = m;
    memcpy(pd, &r, 16);
}

/* MPSADBW: per lane, eight sums of |a[o + j + k] - b[s + k]| over k < 4 */
SSE_HELPER(mpsadbw)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    for (unsigned l = 0; l < DLEN(desc); l += 16) {
        unsigned imm = IMM(desc) >> (l ? 3 : 0);
        unsigned ao = l + ((imm >> 2) & 1) * 4, bo = l + (imm & 3) * 4;

        for (unsigned j = 0; j < 8; j++) {
            unsigned sum = 0;

            for (unsigned k = 0; k < 4; k++) {
                int v = A->b[ao + j + k] - B->b[bo + k];

                sum += v < 0 ? -v : v;
            }
            r.w[l / 2 + j] = sum;
        }
    }
    memcpy(pd, &r, DLEN(desc));
}

/* INSERTPS: the translator clears imm8[7:6] for a memory source */
SSE_HELPER(insertps)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;
    unsigned imm = IMM(desc);

    memcpy(&r, A, 16);
    r.l[(imm >> 4) & 3] = B->l[imm >> 6];
    for (unsigned i = 0; i < 4; i++) {
        if (imm & (1u << i)) {
            r.l[i] = 0;
        }
    }
    memcpy(pd, &r, 16);
}

/* PTEST: ZF = (a AND b) == 0, CF = (NOT a AND b) == 0 */
uint64_t helper_ptest(CPUX86State *env, void *pa, void *pb, uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    uint64_t and = 0, andn = 0;

    for (unsigned i = 0; i < DLEN(desc) / 8; i++) {
        and |= A->q[i] & B->q[i];
        andn |= ~A->q[i] & B->q[i];
    }
    return (and ? 0 : CC_Z) | (andn ? 0 : CC_C);
}

/* ---- SSE4.1 floating point ---- */

static FloatRoundMode round_mode(CPUX86State *env, unsigned imm)
{
    static const FloatRoundMode rc[4] = {
        float_round_nearest_even, float_round_down, float_round_up,
        float_round_to_zero };

    return imm & 4 ? (FloatRoundMode)fst(env)->rounding_mode : rc[imm & 3];
}

/* ROUNDPS..ROUNDSD: imm8[2] MXCSR.RC or imm8[1:0]; imm8[3] no PE */
#define ROUND(name, F, rnd, scalar)                                        \
SSE_HELPER(name)                                                               \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
    FloatRoundMode m = round_mode(env, IMM(desc));                         \
    bool exact = !(IMM(desc) & 8);                                         \
    unsigned n = scalar ? 1 : DLEN(desc) / sizeof(r.F[0]);                 \
                                                                           \
    if (scalar) {                                                          \
        memcpy(&r, A, 16);                                                 \
    }                                                                      \
    fp_begin(env);                                                         \
    for (unsigned i = 0; i < n; i++) {                                     \
        r.F[i] = rnd(B->F[i], m, exact, fst(env));                         \
    }                                                                      \
    x86_sse_fp_end(env, GETPC());                                          \
    memcpy(pd, &r, scalar ? 16 : DLEN(desc));                              \
}
ROUND(roundps, l, float32_round_to_int_mode, false)
ROUND(roundpd, q, float64_round_to_int_mode, false)
ROUND(roundss, l, float32_round_to_int_mode, true)
ROUND(roundsd, q, float64_round_to_int_mode, true)

/*
 * DPPS: per lane, the selected products (else +0.0), then the sums, which
 * the hardware computes for every element (whether written or not: their
 * flags count) with an operand order of its own, which decides which NaN
 * propagates: element i adds p0, p1 (and p2, p3) in that order if i is
 * odd, else swapped, and the pair sums low pair first for elements 0-1,
 * high first for 2-3.  An intermediate denormal counts as an operand (DE).
 * The products and the sums are two steps: an unmasked exception of the
 * products stops the instruction before the sums.
 */
SSE_HELPER(dpps)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;
    unsigned imm = IMM(desc);
    float32 p[8];

    fp_begin(env);
    for (unsigned i = 0; i < DLEN(desc) / 4; i++) {
        p[i] = imm & (0x10u << (i & 3)) ?
               float32_mul(A->l[i], B->l[i], fst(env)) : 0;
    }
    x86_sse_fp_end(env, GETPC());
    fp_begin(env);
    for (unsigned i = 0; i < DLEN(desc) / 4; i++) {
        const float32 *q = &p[i & ~3u];
        float32 x, y, v;

        x = i & 1 ? float32_add(q[0], q[1], fst(env))
                  : float32_add(q[1], q[0], fst(env));
        y = i & 1 ? float32_add(q[2], q[3], fst(env))
                  : float32_add(q[3], q[2], fst(env));
        v = i & 2 ? float32_add(y, x, fst(env)) : float32_add(x, y, fst(env));
        r.l[i] = imm & (1u << (i & 3)) ? v : 0;
    }
    x86_sse_fp_end(env, GETPC());
    memcpy(pd, &r, DLEN(desc));
}

/* DPPD: element 0 adds p0 + p1, element 1 p1 + p0 (the NaN order) */
SSE_HELPER(dppd)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;
    unsigned imm = IMM(desc);
    float64 p[2], v0, v1;

    fp_begin(env);
    for (unsigned i = 0; i < 2; i++) {
        p[i] = imm & (0x10u << i) ?
               float64_mul(A->q[i], B->q[i], fst(env)) : 0;
    }
    x86_sse_fp_end(env, GETPC());
    fp_begin(env);
    v0 = float64_add(p[0], p[1], fst(env));
    v1 = float64_add(p[1], p[0], fst(env));
    x86_sse_fp_end(env, GETPC());
    r.q[0] = imm & 1 ? v0 : 0;
    r.q[1] = imm & 2 ? v1 : 0;
    memcpy(pd, &r, 16);
}

/* ---- SSE4.2 string compares ---- */

/*
 * PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (SDM Vol. 2 4.1): desc's imm8
 * (element format, aggregation, polarity, output selection), bit 16
 * explicit lengths (rAX, rDX; bit 17: 64-bit), bit 18 mask output
 * (XMM0) instead of the index (ECX).  Returns the EFLAGS bits.
 */
uint64_t helper_pcmpstr(CPUX86State *env, void *pa, void *pb, uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    unsigned imm = desc & 0xff;
    bool words = imm & 1, sgn = imm & 2;
    int n = words ? 8 : 16, la, lb;
    uint32_t res = 0;

#define EL(R, i) (words ? (sgn ? (int)(int16_t)(R)->w[i] : (int)(R)->w[i]) \
                        : (sgn ? (int)(int8_t)(R)->b[i] : (int)(R)->b[i]))
    if (desc & (1u << 16)) {
        int64_t ra = env->regs[R_EAX], rd = env->regs[R_EDX];

        if (!(desc & (1u << 17))) {
            ra = (int32_t)ra;
            rd = (int32_t)rd;
        }
        ra = ra < 0 ? -(uint64_t)ra : ra;
        rd = rd < 0 ? -(uint64_t)rd : rd;
        la = (uint64_t)ra > (uint64_t)n ? n : ra;
        lb = (uint64_t)rd > (uint64_t)n ? n : rd;
    } else {
        for (la = 0; la < n && EL(A, la); la++) {
        }
        for (lb = 0; lb < n && EL(B, lb); lb++) {
        }
    }

    for (int j = 0; j < n; j++) {
        bool v = false;

        switch ((imm >> 2) & 3) {
        case 0:                         /* equal any */
            for (int i = 0; i < la && j < lb && !v; i++) {
                v = EL(A, i) == EL(B, j);
            }
            break;
        case 1:                         /* ranges */
            for (int i = 0; i + 1 < la && j < lb && !v; i += 2) {
                v = EL(A, i) <= EL(B, j) && EL(B, j) <= EL(A, i + 1);
            }
            break;
        case 2:                         /* equal each */
            v = j < la && j < lb ? EL(A, j) == EL(B, j) : j >= la && j >= lb;
            break;
        default:                        /* equal ordered */
            v = true;
            for (int k = 0; k < n - j && v; k++) {
                if (k >= la) {
                    break;
                }
                v = j + k < lb && EL(A, k) == EL(B, j + k);
            }
            break;
        }
        res |= (uint32_t)v << j;
    }
#undef EL
    switch ((imm >> 4) & 3) {
    case 1:
        res ^= (1u << n) - 1;
        break;
    case 3:
        res ^= (1u << lb) - 1;
        break;
    }
    res &= (1u << n) - 1;

    if (desc & (1u << 18)) {
        X86ZMMReg *x0 = &env->xmm_regs[0];

        if (imm & 0x40) {
            for (int i = 0; i < n; i++) {
                if (words) {
                    x0->w[i] = res & (1u << i) ? 0xffff : 0;
                } else {
                    x0->b[i] = res & (1u << i) ? 0xff : 0;
                }
            }
        } else {
            x0->q[0] = res;
            x0->q[1] = 0;
        }
    } else {
        env->regs[R_ECX] = !res ? n : imm & 0x40 ? 31 - __builtin_clz(res)
                                                 : __builtin_ctz(res);
    }
    return (res ? CC_C : 0) | (lb < n ? CC_Z : 0) | (la < n ? CC_S : 0) |
           (res & 1 ? CC_O : 0);
}

/* ---- AES-NI (FIPS-197 on the state as the SDM lays it out: byte i is
 * row i % 4, column i / 4), PCLMULQDQ ---- */

static const uint8_t aes_zero_key[16];

static void aes_round(void *pd, const uint8_t *st, const uint8_t *key,
                      bool dec, bool mix)
{
    uint8_t s[16];

    memcpy(s, st, 16);
    /* (Inv)ShiftRows + (Inv)SubBytes (the primitive's key is added first) */
    crypto_aes_round(s, aes_zero_key, dec);
    if (mix) {
        crypto_aes_mixcolumns(s, dec);
    }
    for (int i = 0; i < 16; i++) {
        s[i] ^= key[i];
    }
    memcpy(pd, s, 16);
}

SSE_HELPER(aesenc)     { aes_round(pd, pa, pb, false, true); }
SSE_HELPER(aesenclast) { aes_round(pd, pa, pb, false, false); }
SSE_HELPER(aesdec)     { aes_round(pd, pa, pb, true, true); }
SSE_HELPER(aesdeclast) { aes_round(pd, pa, pb, true, false); }

SSE_HELPER(aesimc)
{
    uint8_t s[16];

    memcpy(s, pb, 16);
    crypto_aes_mixcolumns(s, true);
    memcpy(pd, s, 16);
}

/* SubWord of each dword: its bytes go to row 0, which ShiftRows keeps */
static uint32_t aes_subword(uint32_t w)
{
    uint8_t s[16] = { 0 };

    for (int i = 0; i < 4; i++) {
        s[4 * i] = w >> (8 * i);
    }
    crypto_aes_round(s, aes_zero_key, false);
    return s[0] | s[4] << 8 | s[8] << 16 | (uint32_t)s[12] << 24;
}

SSE_HELPER(aeskeygenassist)
{
    const X86ZMMReg *B = pb;
    X86ZMMReg r;
    uint32_t w[2] = { aes_subword(B->l[1]), aes_subword(B->l[3]) };
    uint32_t rcon = IMM(desc);

    r.l[0] = w[0];
    r.l[1] = ((w[0] >> 8) | (w[0] << 24)) ^ rcon;
    r.l[2] = w[1];
    r.l[3] = ((w[1] >> 8) | (w[1] << 24)) ^ rcon;
    memcpy(pd, &r, 16);
}

SSE_HELPER(pclmulqdq)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;
    unsigned imm = IMM(desc);

    for (unsigned l = 0; l < DLEN(desc) / 8; l += 2) {
        crypto_pmull64(&r.q[l], &r.q[l + 1], A->q[l + (imm & 1)],
                       B->q[l + ((imm >> 4) & 1)]);
    }
    memcpy(pd, &r, DLEN(desc));
}
