/*
 * MMX, SSE, SSE2 and SSE3 operations on the architectural vector state
 * (SDM Vol. 1 chapters 9-12, Vol. 2 for each instruction).
 *
 * Every operation of sse-ops.h takes pointers into env (XMM/YMM
 * registers, MMX registers -- the low quadword of an x87 register --, or
 * vec_tmp for a memory operand the translator loaded) and works for any
 * length the descriptor gives: 8 (MMX), 16 (XMM) or 32 (YMM) bytes.  A
 * result is built in a local register and copied out at the end, so the
 * destination may be any source.  Operations that work within 128-bit
 * lanes (unpacks, packs, shuffles, byte shifts) take an MMX register as
 * one 8-byte lane.
 *
 * Floating point goes through fpu/ with env->sse_status (MXCSR's rounding,
 * DAZ, FTZ; x86's NaN rules and default NaN).  The flags of all lanes are
 * merged into MXCSR; an unmasked exception raises #XM (#UD with
 * CR4.OSXMMEXCPT clear) and leaves the destination unchanged.  When an
 * unmasked invalid, denormal or divide-by-zero condition is found, the
 * post-computation flags (overflow, underflow, precision) are not
 * reported (SDM Vol. 1 11.5.2).
 */
#include "turtle/osdep.h"
#include "target/i386/x86-tcg.h"

#define HELPER_H "target/i386/helper.h"
#include "tcg/helper-proto.h"

#include "target/i386/sse-internal.h"

/* ---- MXCSR ---- */

enum {
    MX_IE = 1 << 0, MX_DE = 1 << 1, MX_ZE = 1 << 2, MX_OE = 1 << 3,
    MX_UE = 1 << 4, MX_PE = 1 << 5,
};

/* softfloat flags -> MXCSR; raise for an unmasked one (no return) */
void x86_sse_fp_end(CPUX86State *env, uintptr_t ra)
{
    unsigned f = env->sse_status.flags, pre = 0, post = 0;
    unsigned masked = (env->mxcsr >> 7) & 0x3f;

    pre |= f & float_flag_invalid ? MX_IE : 0;
    pre |= f & float_flag_denormal_operand ? MX_DE : 0;
    pre |= f & float_flag_divbyzero ? MX_ZE : 0;
    post |= f & float_flag_overflow ? MX_OE : 0;
    post |= f & float_flag_underflow ? MX_UE : 0;
    post |= f & float_flag_inexact ? MX_PE : 0;
    post |= f & float_flag_output_denormal ? MX_UE | MX_PE : 0;
    if (pre & ~masked) {
        env->mxcsr |= pre;
    } else {
        env->mxcsr |= pre | post;
        if (!(post & ~masked)) {
            return;
        }
    }
    x86_raise_exception_ra(env, env->cr[4] & CR4_OSXMMEXCPT_MASK ?
                           EXCP13_XMM : EXCP06_ILLOP, ra);
}

/* ---- integer element operations ---- */

static inline int sat_s8(int v) { return v < -128 ? -128 : v > 127 ? 127 : v; }
static inline int sat_u8(int v) { return v < 0 ? 0 : v > 255 ? 255 : v; }
static inline int sat_s16(int v)
{
    return v < -32768 ? -32768 : v > 32767 ? 32767 : v;
}
static inline int sat_u16(int v) { return v < 0 ? 0 : v > 65535 ? 65535 : v; }

#define INT_BIN(name, F, T, expr)                                          \
void helper_##name(CPUX86State *env, void *pd, void *pa, void *pb,         \
                   uint32_t desc)                                          \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
    unsigned n = DLEN(desc) / sizeof(r.F[0]);                              \
                                                                           \
    for (unsigned i = 0; i < n; i++) {                                     \
        T a = A->F[i], b = B->F[i];                                        \
        r.F[i] = (expr);                                                   \
    }                                                                      \
    memcpy(pd, &r, DLEN(desc));                                            \
}

INT_BIN(paddb, b, uint8_t, a + b)
INT_BIN(paddw, w, uint16_t, a + b)
INT_BIN(paddd, l, uint32_t, a + b)
INT_BIN(paddq, q, uint64_t, a + b)
INT_BIN(psubb, b, uint8_t, a - b)
INT_BIN(psubw, w, uint16_t, a - b)
INT_BIN(psubd, l, uint32_t, a - b)
INT_BIN(psubq, q, uint64_t, a - b)
INT_BIN(paddsb, b, uint8_t, sat_s8((int8_t)a + (int8_t)b))
INT_BIN(paddsw, w, uint16_t, sat_s16((int16_t)a + (int16_t)b))
INT_BIN(paddusb, b, uint8_t, sat_u8(a + b))
INT_BIN(paddusw, w, uint16_t, sat_u16(a + b))
INT_BIN(psubsb, b, uint8_t, sat_s8((int8_t)a - (int8_t)b))
INT_BIN(psubsw, w, uint16_t, sat_s16((int16_t)a - (int16_t)b))
INT_BIN(psubusb, b, uint8_t, sat_u8(a - b))
INT_BIN(psubusw, w, uint16_t, sat_u16(a - b))
INT_BIN(pmullw, w, uint16_t, (int16_t)a * (int16_t)b)
INT_BIN(pmulhw, w, uint16_t, ((int16_t)a * (int16_t)b) >> 16)
INT_BIN(pmulhuw, w, uint16_t, ((uint32_t)a * b) >> 16)
INT_BIN(pavgb, b, uint8_t, (a + b + 1) >> 1)
INT_BIN(pavgw, w, uint16_t, (a + b + 1) >> 1)
INT_BIN(pminub, b, uint8_t, a < b ? a : b)
INT_BIN(pmaxub, b, uint8_t, a > b ? a : b)
INT_BIN(pminsw, w, uint16_t, (int16_t)a < (int16_t)b ? a : b)
INT_BIN(pmaxsw, w, uint16_t, (int16_t)a > (int16_t)b ? a : b)
INT_BIN(pcmpeqb, b, uint8_t, a == b ? 0xff : 0)
INT_BIN(pcmpeqw, w, uint16_t, a == b ? 0xffff : 0)
INT_BIN(pcmpeqd, l, uint32_t, a == b ? ~0u : 0)
INT_BIN(pcmpgtb, b, uint8_t, (int8_t)a > (int8_t)b ? 0xff : 0)
INT_BIN(pcmpgtw, w, uint16_t, (int16_t)a > (int16_t)b ? 0xffff : 0)
INT_BIN(pcmpgtd, l, uint32_t, (int32_t)a > (int32_t)b ? ~0u : 0)
INT_BIN(pand, q, uint64_t, a & b)
INT_BIN(pandn, q, uint64_t, ~a & b)
INT_BIN(por, q, uint64_t, a | b)
INT_BIN(pxor, q, uint64_t, a ^ b)
/* SSE4.1/4.2 */
INT_BIN(pcmpeqq, q, uint64_t, a == b ? ~0ull : 0)
INT_BIN(pcmpgtq, q, uint64_t, (int64_t)a > (int64_t)b ? ~0ull : 0)
INT_BIN(pminsb, b, uint8_t, (int8_t)a < (int8_t)b ? a : b)
INT_BIN(pmaxsb, b, uint8_t, (int8_t)a > (int8_t)b ? a : b)
INT_BIN(pminuw, w, uint16_t, a < b ? a : b)
INT_BIN(pmaxuw, w, uint16_t, a > b ? a : b)
INT_BIN(pminsd, l, uint32_t, (int32_t)a < (int32_t)b ? a : b)
INT_BIN(pmaxsd, l, uint32_t, (int32_t)a > (int32_t)b ? a : b)
INT_BIN(pminud, l, uint32_t, a < b ? a : b)
INT_BIN(pmaxud, l, uint32_t, a > b ? a : b)
INT_BIN(pmulld, l, uint32_t, a * b)

void helper_pmuludq(CPUX86State *env, void *pd, void *pa, void *pb,
                    uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    for (unsigned i = 0; i < DLEN(desc) / 8; i++) {
        r.q[i] = (uint64_t)A->l[2 * i] * B->l[2 * i];
    }
    memcpy(pd, &r, DLEN(desc));
}

void helper_pmaddwd(CPUX86State *env, void *pd, void *pa, void *pb,
                    uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    for (unsigned i = 0; i < DLEN(desc) / 4; i++) {
        /* -32768 * -32768 twice wraps to 0x80000000, as the hardware */
        r.l[i] = (uint32_t)((int16_t)A->w[2 * i] * (int16_t)B->w[2 * i]) +
                 (uint32_t)((int16_t)A->w[2 * i + 1] *
                            (int16_t)B->w[2 * i + 1]);
    }
    memcpy(pd, &r, DLEN(desc));
}

void helper_psadbw(CPUX86State *env, void *pd, void *pa, void *pb,
                   uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    for (unsigned i = 0; i < DLEN(desc) / 8; i++) {
        unsigned sum = 0;

        for (unsigned j = 0; j < 8; j++) {
            int v = A->b[8 * i + j] - B->b[8 * i + j];

            sum += v < 0 ? -v : v;
        }
        r.q[i] = sum;
    }
    memcpy(pd, &r, DLEN(desc));
}

/* ---- within 128-bit lanes (an MMX register is one 8-byte lane) ---- */

static inline unsigned lane_bytes(uint32_t desc)
{
    return DLEN(desc) < 16 ? DLEN(desc) : 16;
}

/* interleave the low (hi = 0) or high halves of a's and b's lanes */
static void unpack(void *pd, const uint8_t *a, const uint8_t *b,
                   uint32_t desc, unsigned esz, bool hi)
{
    X86ZMMReg r;
    unsigned lb = lane_bytes(desc), len = MIN(DLEN(desc), 32u);

    for (unsigned l = 0; l < len; l += lb) {
        unsigned src = l + (hi ? lb / 2 : 0);

        for (unsigned i = 0; i < lb / 2; i++) {
            /* byte k of element e of the half goes to element 2e (a)
             * or 2e + 1 (b) of the lane */
            unsigned e = i / esz, k = i % esz;

            r.b[l + 2 * e * esz + k] = a[src + i];
            r.b[l + (2 * e + 1) * esz + k] = b[src + i];
        }
    }
    memcpy(pd, &r, DLEN(desc));
}

#define UNPACK(name, esz, hi)                                              \
void helper_##name(CPUX86State *env, void *pd, void *pa, void *pb,         \
                   uint32_t desc)                                          \
{                                                                          \
    unpack(pd, pa, pb, desc, esz, hi);                                     \
}
UNPACK(punpcklbw, 1, false)
UNPACK(punpcklwd, 2, false)
UNPACK(punpckldq, 4, false)
UNPACK(punpcklqdq, 8, false)
UNPACK(punpckhbw, 1, true)
UNPACK(punpckhwd, 2, true)
UNPACK(punpckhdq, 4, true)
UNPACK(punpckhqdq, 8, true)

/* narrow with saturation: each lane gets a's elements, then b's */
#define PACK(name, SF, ST, DF, sat)                                        \
void helper_##name(CPUX86State *env, void *pd, void *pa, void *pb,         \
                   uint32_t desc)                                          \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
    unsigned lb = lane_bytes(desc), ns = lb / sizeof(A->SF[0]);            \
                                                                           \
    for (unsigned l = 0; l < DLEN(desc) / lb; l++) {                       \
        for (unsigned i = 0; i < ns; i++) {                                \
            r.DF[l * 2 * ns + i] = sat((ST)A->SF[l * ns + i]);             \
            r.DF[l * 2 * ns + ns + i] = sat((ST)B->SF[l * ns + i]);        \
        }                                                                  \
    }                                                                      \
    memcpy(pd, &r, DLEN(desc));                                            \
}
PACK(packsswb, w, int16_t, b, sat_s8)
PACK(packssdw, l, int32_t, w, sat_s16)
PACK(packuswb, w, int16_t, b, sat_u8)

/* ---- shifts ---- */

#define SHIFT(name, F, T, bits, expr)                                      \
void helper_##name(CPUX86State *env, void *pd, void *pa, void *pb,         \
                   uint32_t desc)                                          \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
    uint64_t c = B->q[0];                                                  \
                                                                           \
    for (unsigned i = 0; i < DLEN(desc) / sizeof(r.F[0]); i++) {           \
        T a = A->F[i];                                                     \
        r.F[i] = (expr);                                                   \
    }                                                                      \
    memcpy(pd, &r, DLEN(desc));                                            \
}
SHIFT(psrlw, w, uint16_t, 16, c > 15 ? 0 : a >> c)
SHIFT(psrld, l, uint32_t, 32, c > 31 ? 0 : a >> c)
SHIFT(psrlq, q, uint64_t, 64, c > 63 ? 0 : a >> c)
SHIFT(psllw, w, uint16_t, 16, c > 15 ? 0 : a << c)
SHIFT(pslld, l, uint32_t, 32, c > 31 ? 0 : a << c)
SHIFT(psllq, q, uint64_t, 64, c > 63 ? 0 : a << c)
SHIFT(psraw, w, int16_t, 16, a >> (c > 15 ? 15 : c))
SHIFT(psrad, l, int32_t, 32, a >> (c > 31 ? 31 : c))

/* PSRLDQ/PSLLDQ: whole 128-bit lanes by imm8 bytes */
static void byte_shift(void *pd, const uint8_t *a, uint32_t desc, bool left)
{
    X86ZMMReg r;
    unsigned n = IMM(desc);

    for (unsigned l = 0; l < DLEN(desc); l += 16) {
        for (unsigned i = 0; i < 16; i++) {
            int j = left ? (int)i - (int)n : (int)(i + n);

            r.b[l + i] = j >= 0 && j < 16 ? a[l + j] : 0;
        }
    }
    memcpy(pd, &r, DLEN(desc));
}

void helper_psrldq(CPUX86State *env, void *pd, void *pa, void *pb,
                   uint32_t desc)
{
    byte_shift(pd, pa, desc, false);
}

void helper_pslldq(CPUX86State *env, void *pd, void *pa, void *pb,
                   uint32_t desc)
{
    byte_shift(pd, pa, desc, true);
}

/* ---- shuffles ---- */

void helper_pshufd(CPUX86State *env, void *pd, void *pa, void *pb,
                   uint32_t desc)
{
    const X86ZMMReg *B = pb;
    X86ZMMReg r;
    unsigned imm = IMM(desc);

    for (unsigned i = 0; i < DLEN(desc) / 4; i++) {
        r.l[i] = B->l[(i & ~3u) + ((imm >> (2 * (i & 3))) & 3)];
    }
    memcpy(pd, &r, DLEN(desc));
}

/* words 0-3 (hi = false) or 4-7 of each lane shuffled, the rest copied */
static void pshufw_half(void *pd, const X86ZMMReg *B, uint32_t desc,
                        unsigned base)
{
    X86ZMMReg r = *B;
    unsigned imm = IMM(desc);

    for (unsigned l = 0; l < DLEN(desc) / 2; l += 8) {
        for (unsigned i = 0; i < 4; i++) {
            r.w[l + base + i] = B->w[l + base + ((imm >> (2 * i)) & 3)];
        }
    }
    memcpy(pd, &r, DLEN(desc));
}

void helper_pshufhw(CPUX86State *env, void *pd, void *pa, void *pb,
                    uint32_t desc)
{
    pshufw_half(pd, pb, desc, 4);
}

void helper_pshuflw(CPUX86State *env, void *pd, void *pa, void *pb,
                    uint32_t desc)
{
    pshufw_half(pd, pb, desc, 0);
}

void helper_pshufw(CPUX86State *env, void *pd, void *pa, void *pb,
                   uint32_t desc)
{
    pshufw_half(pd, pb, desc, 0);      /* the MMX register is one lane */
}

void helper_shufps(CPUX86State *env, void *pd, void *pa, void *pb,
                   uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;
    unsigned imm = IMM(desc);

    for (unsigned l = 0; l < DLEN(desc) / 4; l += 4) {
        r.l[l] = A->l[l + (imm & 3)];
        r.l[l + 1] = A->l[l + ((imm >> 2) & 3)];
        r.l[l + 2] = B->l[l + ((imm >> 4) & 3)];
        r.l[l + 3] = B->l[l + ((imm >> 6) & 3)];
    }
    memcpy(pd, &r, DLEN(desc));
}

void helper_shufpd(CPUX86State *env, void *pd, void *pa, void *pb,
                   uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;
    unsigned imm = IMM(desc);

    for (unsigned l = 0; l < DLEN(desc) / 8; l += 2) {
        r.q[l] = A->q[l + ((imm >> l) & 1)];
        r.q[l + 1] = B->q[l + ((imm >> (l + 1)) & 1)];
    }
    memcpy(pd, &r, DLEN(desc));
}

void helper_movsldup(CPUX86State *env, void *pd, void *pa, void *pb,
                     uint32_t desc)
{
    const X86ZMMReg *B = pb;
    X86ZMMReg r;

    for (unsigned i = 0; i < DLEN(desc) / 4; i += 2) {
        r.l[i] = r.l[i + 1] = B->l[i];
    }
    memcpy(pd, &r, DLEN(desc));
}

void helper_movshdup(CPUX86State *env, void *pd, void *pa, void *pb,
                     uint32_t desc)
{
    const X86ZMMReg *B = pb;
    X86ZMMReg r;

    for (unsigned i = 0; i < DLEN(desc) / 4; i += 2) {
        r.l[i] = r.l[i + 1] = B->l[i + 1];
    }
    memcpy(pd, &r, DLEN(desc));
}

void helper_movddup(CPUX86State *env, void *pd, void *pa, void *pb,
                    uint32_t desc)
{
    const X86ZMMReg *B = pb;
    X86ZMMReg r;

    for (unsigned i = 0; i < DLEN(desc) / 8; i += 2) {
        r.q[i] = r.q[i + 1] = B->q[i];
    }
    memcpy(pd, &r, DLEN(desc));
}

/* ---- floating point ---- */

/* MINPS/MAXPS: the second operand unless the first is less (greater):
 * so a NaN in either or two zeros give the second (invalid on any NaN) */
static float32 f32_min(float32 a, float32 b, float_status *s)
{
    a = float32_squash_input_denormal(a, s);
    b = float32_squash_input_denormal(b, s);
    return float32_lt(a, b, s) ? a : b;
}

static float32 f32_max(float32 a, float32 b, float_status *s)
{
    a = float32_squash_input_denormal(a, s);
    b = float32_squash_input_denormal(b, s);
    return float32_lt(b, a, s) ? a : b;
}

static float64 f64_min(float64 a, float64 b, float_status *s)
{
    a = float64_squash_input_denormal(a, s);
    b = float64_squash_input_denormal(b, s);
    return float64_lt(a, b, s) ? a : b;
}

static float64 f64_max(float64 a, float64 b, float_status *s)
{
    a = float64_squash_input_denormal(a, s);
    b = float64_squash_input_denormal(b, s);
    return float64_lt(b, a, s) ? a : b;
}

static float32 f32_sqrt(float32 a, float32 b, float_status *s)
{
    return float32_sqrt(b, s);
}

static float64 f64_sqrt(float64 a, float64 b, float_status *s)
{
    return float64_sqrt(b, s);
}

/* RCPPS/RSQRTPS: the exact value rounded (the hardware's approximations
 * differ between vendors; software may not rely on their bits) */
static float32 f32_rcp(float32 a, float32 b, float_status *s)
{
    return float32_div(float32_one, b, s);
}

static float32 f32_rsqrt(float32 a, float32 b, float_status *s)
{
    return float32_div(float32_one, float32_sqrt(b, s), s);
}

#define FP_OPS(name, f32op, f64op)                                         \
void helper_##name##ps(CPUX86State *env, void *pd, void *pa, void *pb,     \
                       uint32_t desc)                                      \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
                                                                           \
    fp_begin(env);                                                         \
    for (unsigned i = 0; i < DLEN(desc) / 4; i++) {                        \
        r.l[i] = f32op(A->l[i], B->l[i], fst(env));                        \
    }                                                                      \
    x86_sse_fp_end(env, GETPC());                                                  \
    memcpy(pd, &r, DLEN(desc));                                            \
}                                                                          \
void helper_##name##pd(CPUX86State *env, void *pd, void *pa, void *pb,     \
                       uint32_t desc)                                      \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
                                                                           \
    fp_begin(env);                                                         \
    for (unsigned i = 0; i < DLEN(desc) / 8; i++) {                        \
        r.q[i] = f64op(A->q[i], B->q[i], fst(env));                        \
    }                                                                      \
    x86_sse_fp_end(env, GETPC());                                                  \
    memcpy(pd, &r, DLEN(desc));                                            \
}                                                                          \
void helper_##name##ss(CPUX86State *env, void *pd, void *pa, void *pb,     \
                       uint32_t desc)                                      \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
                                                                           \
    memcpy(&r, A, 16);                                                     \
    fp_begin(env);                                                         \
    r.l[0] = f32op(A->l[0], B->l[0], fst(env));                            \
    x86_sse_fp_end(env, GETPC());                                                  \
    memcpy(pd, &r, 16);                                                    \
}                                                                          \
void helper_##name##sd(CPUX86State *env, void *pd, void *pa, void *pb,     \
                       uint32_t desc)                                      \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
                                                                           \
    memcpy(&r, A, 16);                                                     \
    fp_begin(env);                                                         \
    r.q[0] = f64op(A->q[0], B->q[0], fst(env));                            \
    x86_sse_fp_end(env, GETPC());                                                  \
    memcpy(pd, &r, 16);                                                    \
}

FP_OPS(add, float32_add, float64_add)
FP_OPS(sub, float32_sub, float64_sub)
FP_OPS(mul, float32_mul, float64_mul)
FP_OPS(div, float32_div, float64_div)
FP_OPS(min, f32_min, f64_min)
FP_OPS(max, f32_max, f64_max)
FP_OPS(sqrt, f32_sqrt, f64_sqrt)

#define FP_OPS_S(name, f32op)                                              \
void helper_##name##ps(CPUX86State *env, void *pd, void *pa, void *pb,     \
                       uint32_t desc)                                      \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
                                                                           \
    fp_begin(env);                                                         \
    for (unsigned i = 0; i < DLEN(desc) / 4; i++) {                        \
        r.l[i] = f32op(A->l[i], B->l[i], fst(env));                        \
    }                                                                      \
    x86_sse_fp_end(env, GETPC());                                                  \
    memcpy(pd, &r, DLEN(desc));                                            \
}                                                                          \
void helper_##name##ss(CPUX86State *env, void *pd, void *pa, void *pb,     \
                       uint32_t desc)                                      \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
                                                                           \
    memcpy(&r, A, 16);                                                     \
    fp_begin(env);                                                         \
    r.l[0] = f32op(A->l[0], B->l[0], fst(env));                            \
    x86_sse_fp_end(env, GETPC());                                                  \
    memcpy(pd, &r, 16);                                                    \
}
FP_OPS_S(rcp, f32_rcp)
FP_OPS_S(rsqrt, f32_rsqrt)

/*
 * CMPPS predicates (imm8[4:0]; the legacy encoding has 0-7): which of
 * less/equal/greater/unordered make it true (bits 0-3), and whether a
 * quiet NaN signals invalid (_S/_OS/_US forms).
 */
static const uint8_t cmp_truth[16] = {
    2, 1, 3, 8, 13, 14, 12, 7, 10, 9, 11, 0, 5, 6, 4, 15,
};

/* the legacy encoding ignores imm8[7:3] */
static unsigned cmp_pred(uint32_t desc)
{
    return IMM(desc) & (ISVEX(desc) ? 31 : 7);
}

static bool cmp_signals(unsigned p)
{
    return ((0x6666 >> (p & 15)) & 1) ^ (p >> 4);
}

static unsigned rel_bit(FloatRelation r)
{
    return r == float_relation_less ? 1 : r == float_relation_equal ? 2 :
           r == float_relation_greater ? 4 : 8;
}

static uint32_t cmp32(float32 a, float32 b, unsigned p, float_status *s)
{
    FloatRelation r = cmp_signals(p) ? float32_compare(a, b, s) :
                      float32_compare_quiet(a, b, s);

    return cmp_truth[p & 15] & rel_bit(r) ? ~0u : 0;
}

static uint64_t cmp64(float64 a, float64 b, unsigned p, float_status *s)
{
    FloatRelation r = cmp_signals(p) ? float64_compare(a, b, s) :
                      float64_compare_quiet(a, b, s);

    return cmp_truth[p & 15] & rel_bit(r) ? ~0ull : 0;
}

void helper_cmpps(CPUX86State *env, void *pd, void *pa, void *pb,
                  uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    fp_begin(env);
    for (unsigned i = 0; i < DLEN(desc) / 4; i++) {
        r.l[i] = cmp32(A->l[i], B->l[i], cmp_pred(desc), fst(env));
    }
    x86_sse_fp_end(env, GETPC());
    memcpy(pd, &r, DLEN(desc));
}

void helper_cmppd(CPUX86State *env, void *pd, void *pa, void *pb,
                  uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    fp_begin(env);
    for (unsigned i = 0; i < DLEN(desc) / 8; i++) {
        r.q[i] = cmp64(A->q[i], B->q[i], cmp_pred(desc), fst(env));
    }
    x86_sse_fp_end(env, GETPC());
    memcpy(pd, &r, DLEN(desc));
}

void helper_cmpss(CPUX86State *env, void *pd, void *pa, void *pb,
                  uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    memcpy(&r, A, 16);
    fp_begin(env);
    r.l[0] = cmp32(A->l[0], B->l[0], cmp_pred(desc), fst(env));
    x86_sse_fp_end(env, GETPC());
    memcpy(pd, &r, 16);
}

void helper_cmpsd(CPUX86State *env, void *pd, void *pa, void *pb,
                  uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    memcpy(&r, A, 16);
    fp_begin(env);
    r.q[0] = cmp64(A->q[0], B->q[0], cmp_pred(desc), fst(env));
    x86_sse_fp_end(env, GETPC());
    memcpy(pd, &r, 16);
}

/* COMISS/UCOMISS: ZF PF CF (unordered 111, less 001, equal 100) */
uint64_t helper_comis(CPUX86State *env, void *pa, void *pb, uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    bool dbl = desc & 1, quiet = desc & 2;
    FloatRelation r;

    fp_begin(env);
    if (dbl) {
        r = quiet ? float64_compare_quiet(A->q[0], B->q[0], fst(env)) :
                    float64_compare(A->q[0], B->q[0], fst(env));
    } else {
        r = quiet ? float32_compare_quiet(A->l[0], B->l[0], fst(env)) :
                    float32_compare(A->l[0], B->l[0], fst(env));
    }
    x86_sse_fp_end(env, GETPC());
    switch (r) {
    case float_relation_less:
        return CC_C;
    case float_relation_equal:
        return CC_Z;
    case float_relation_greater:
        return 0;
    default:
        return CC_Z | CC_P | CC_C;
    }
}

/* SSE3 horizontal and alternating operations, per 128-bit lane */
#define HOP_PS(name, op0, op1)                                             \
void helper_##name(CPUX86State *env, void *pd, void *pa, void *pb,         \
                   uint32_t desc)                                          \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
                                                                           \
    fp_begin(env);                                                         \
    for (unsigned l = 0; l < DLEN(desc) / 4; l += 4) {                     \
        r.l[l] = op0(A->l[l], A->l[l + 1], fst(env));                      \
        r.l[l + 1] = op1(A->l[l + 2], A->l[l + 3], fst(env));              \
        r.l[l + 2] = op0(B->l[l], B->l[l + 1], fst(env));                  \
        r.l[l + 3] = op1(B->l[l + 2], B->l[l + 3], fst(env));              \
    }                                                                      \
    x86_sse_fp_end(env, GETPC());                                                  \
    memcpy(pd, &r, DLEN(desc));                                            \
}
HOP_PS(haddps, float32_add, float32_add)
HOP_PS(hsubps, float32_sub, float32_sub)

#define HOP_PD(name, op)                                                   \
void helper_##name(CPUX86State *env, void *pd, void *pa, void *pb,         \
                   uint32_t desc)                                          \
{                                                                          \
    const X86ZMMReg *A = pa, *B = pb;                                      \
    X86ZMMReg r;                                                           \
                                                                           \
    fp_begin(env);                                                         \
    for (unsigned l = 0; l < DLEN(desc) / 8; l += 2) {                     \
        r.q[l] = op(A->q[l], A->q[l + 1], fst(env));                       \
        r.q[l + 1] = op(B->q[l], B->q[l + 1], fst(env));                   \
    }                                                                      \
    x86_sse_fp_end(env, GETPC());                                                  \
    memcpy(pd, &r, DLEN(desc));                                            \
}
HOP_PD(haddpd, float64_add)
HOP_PD(hsubpd, float64_sub)

void helper_addsubps(CPUX86State *env, void *pd, void *pa, void *pb,
                     uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    fp_begin(env);
    for (unsigned i = 0; i < DLEN(desc) / 4; i++) {
        r.l[i] = i & 1 ? float32_add(A->l[i], B->l[i], fst(env)) :
                         float32_sub(A->l[i], B->l[i], fst(env));
    }
    x86_sse_fp_end(env, GETPC());
    memcpy(pd, &r, DLEN(desc));
}

void helper_addsubpd(CPUX86State *env, void *pd, void *pa, void *pb,
                     uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    fp_begin(env);
    for (unsigned i = 0; i < DLEN(desc) / 8; i++) {
        r.q[i] = i & 1 ? float64_add(A->q[i], B->q[i], fst(env)) :
                         float64_sub(A->q[i], B->q[i], fst(env));
    }
    x86_sse_fp_end(env, GETPC());
    memcpy(pd, &r, DLEN(desc));
}

/* ---- conversions ---- */

/*
 * Element-wise conversions: n results of type DF from b's elements of
 * type SF, into a destination of dlen bytes (zero above the results);
 * `keep` copies the destination's old bytes above instead (CVTPI2PS).
 */
#define CVT(name, SF, DF, n_expr, conv, keep)                              \
void helper_##name(CPUX86State *env, void *pd, void *pa, void *pb,         \
                   uint32_t desc)                                          \
{                                                                          \
    const X86ZMMReg *B = pb;                                               \
    X86ZMMReg r;                                                           \
    unsigned n = (n_expr);                                                 \
                                                                           \
    if (keep) {                                                            \
        memcpy(&r, pd, 16);                                                \
    } else {                                                               \
        memset(&r, 0, sizeof(r));                                          \
    }                                                                      \
    fp_begin(env);                                                         \
    for (unsigned i = 0; i < n; i++) {                                     \
        r.DF[i] = conv(B->SF[i], fst(env));                                \
    }                                                                      \
    x86_sse_fp_end(env, GETPC());                                                  \
    memcpy(pd, &r, DLEN(desc));                                            \
}

#define DLEN_Q  (DLEN(desc) / 8)
#define DLEN_L  (DLEN(desc) / 4)
#define BLEN_Q  ((BLEN(desc) & 0xff) / 8)
CVT(cvtps2pd, l, q, DLEN_Q, float32_to_float64, false)
CVT(cvtpd2ps, q, l, BLEN_Q, float64_to_float32, false)
CVT(cvtdq2ps, l, l, DLEN_L, int32_to_float32, false)
CVT(cvtps2dq, l, l, DLEN_L, float32_to_int32, false)
CVT(cvttps2dq, l, l, DLEN_L, float32_to_int32_round_to_zero, false)
CVT(cvtdq2pd, l, q, DLEN_Q, int32_to_float64, false)
CVT(cvtpd2dq, q, l, BLEN_Q, float64_to_int32, false)
CVT(cvttpd2dq, q, l, BLEN_Q, float64_to_int32_round_to_zero, false)
CVT(cvtpi2ps, l, l, 2, int32_to_float32, true)
CVT(cvtpi2pd, l, q, 2, int32_to_float64, false)
CVT(cvtps2pi, l, l, 2, float32_to_int32, false)
CVT(cvttps2pi, l, l, 2, float32_to_int32_round_to_zero, false)
CVT(cvtpd2pi, q, l, 2, float64_to_int32, false)
CVT(cvttpd2pi, q, l, 2, float64_to_int32_round_to_zero, false)

void helper_cvtss2sd(CPUX86State *env, void *pd, void *pa, void *pb,
                     uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    memcpy(&r, A, 16);
    fp_begin(env);
    r.q[0] = float32_to_float64(B->l[0], fst(env));
    x86_sse_fp_end(env, GETPC());
    memcpy(pd, &r, 16);
}

void helper_cvtsd2ss(CPUX86State *env, void *pd, void *pa, void *pb,
                     uint32_t desc)
{
    const X86ZMMReg *A = pa, *B = pb;
    X86ZMMReg r;

    memcpy(&r, A, 16);
    fp_begin(env);
    r.l[0] = float64_to_float32(B->q[0], fst(env));
    x86_sse_fp_end(env, GETPC());
    memcpy(pd, &r, 16);
}

/* CVTSI2SS/SD: v is the source sign-extended; a gives the upper part */
void helper_cvtsi2ss(CPUX86State *env, void *pd, void *pa, uint64_t v)
{
    X86ZMMReg r;

    memcpy(&r, pa, 16);
    fp_begin(env);
    r.l[0] = int64_to_float32(v, fst(env));
    x86_sse_fp_end(env, GETPC());
    memcpy(pd, &r, 16);
}

void helper_cvtsi2sd(CPUX86State *env, void *pd, void *pa, uint64_t v)
{
    X86ZMMReg r;

    memcpy(&r, pa, 16);
    fp_begin(env);
    r.q[0] = int64_to_float64(v, fst(env));
    x86_sse_fp_end(env, GETPC());
    memcpy(pd, &r, 16);
}

/* CVT(T)SS2SI/SD2SI: desc bit 0 double source, 1 truncate, 2 64-bit */
uint64_t helper_cvt2si(CPUX86State *env, void *pb, uint32_t desc)
{
    const X86ZMMReg *B = pb;
    bool dbl = desc & 1, trunc = desc & 2, q = desc & 4;
    uint64_t v;

    fp_begin(env);
    if (dbl) {
        v = q ? (uint64_t)(trunc ? float64_to_int64_round_to_zero(B->q[0],
                                                                  fst(env))
                                 : float64_to_int64(B->q[0], fst(env)))
              : (uint32_t)(trunc ? float64_to_int32_round_to_zero(B->q[0],
                                                                  fst(env))
                                 : float64_to_int32(B->q[0], fst(env)));
    } else {
        v = q ? (uint64_t)(trunc ? float32_to_int64_round_to_zero(B->l[0],
                                                                  fst(env))
                                 : float32_to_int64(B->l[0], fst(env)))
              : (uint32_t)(trunc ? float32_to_int32_round_to_zero(B->l[0],
                                                                  fst(env))
                                 : float32_to_int32(B->l[0], fst(env)));
    }
    x86_sse_fp_end(env, GETPC());
    return v;
}

/* ---- masks, byte stores, MMX state ---- */

/* MOVMSKPS/PD, PMOVMSKB: the sign bits of elements of esz bytes */
uint64_t helper_movmsk(void *pb, uint32_t desc)
{
    const uint8_t *b = pb;
    unsigned esz = IMM(desc);
    uint64_t m = 0;

    for (unsigned i = 0; i < DLEN(desc) / esz; i++) {
        m |= (uint64_t)(b[i * esz + esz - 1] >> 7) << i;
    }
    return m;
}

/* MASKMOVQ/MASKMOVDQU: the bytes of a whose mask byte has bit 7 set */
void helper_maskmov(CPUX86State *env, void *pa, void *pm, uint64_t a0,
                    uint32_t desc)
{
    const uint8_t *a = pa, *m = pm;
    int idx = x86_mmu_index_of(env);
    uint64_t amask = desc >> 8 ? ~0ull : 0xffffffffull;

    for (unsigned i = 0; i < DLEN(desc); i++) {
        if (m[i] & 0x80) {
            cpu_stb_mmuidx_ra(env, (a0 + i) & amask, a[i], idx, GETPC());
        }
    }
}

/* an MMX instruction: #MF for a pending x87 exception, then TOP = 0 and
 * every register valid (SDM Vol. 1 9.5.1) */
void helper_mmx_enter(CPUX86State *env)
{
    if ((env->fpus & 0x80) && (env->cr[0] & CR0_NE_MASK)) {
        x86_raise_exception_ra(env, EXCP10_COPR, GETPC());
    }
    env->fpstt = 0;
    memset(env->fptags, 0, sizeof(env->fptags));
}

/* EMMS: an MMX instruction (TOP 0) that leaves every register empty */
void helper_emms(CPUX86State *env)
{
    if ((env->fpus & 0x80) && (env->cr[0] & CR0_NE_MASK)) {
        x86_raise_exception_ra(env, EXCP10_COPR, GETPC());
    }
    env->fpstt = 0;
    memset(env->fptags, 1, sizeof(env->fptags));
}

/* a legacy 16-byte (or VEX aligned) memory operand: #GP(0) if misaligned */
void helper_sse_align(CPUX86State *env, uint64_t a0, uint32_t mask)
{
    if (a0 & mask) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
}
