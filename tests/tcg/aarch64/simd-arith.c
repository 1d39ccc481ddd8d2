/*
 * AdvSIMD integer arithmetic: lane-wise add/sub/mul/mla/mls, saturating
 * sqadd/uqadd/sqsub/uqsub/sqdmulh/sqrdmulh/sqabs/sqneg/sqshl with FPSR.QC,
 * shifts by immediate (incl. rounding and accumulate) and by register
 * (negative and out-of-range amounts), compares, min/max/abd/aba, pairwise,
 * logic and bit selects, cnt; widening (saddl..smlal, saddw, sshll,
 * sqdmull), narrowing (xtn, sqxtn, uqxtn, sqxtun, addhn, raddhn, subhn,
 * shrn, rshrn, sqshrn, sqrshrun, uqshrn) including the "2" forms, and
 * across-lanes reductions (addv, s/u max/min v, s/u addlv).  Every case is
 * compared with a per-lane C model.
 */
#include "simd.h"
#include "fp.h"

enum {
    ADD, SUB, MUL, MLA, MLS, SQADD, UQADD, SQSUB, UQSUB, SQDMULH, SQRDMULH,
    SSHL, USHL, SQSHL, UQSHL, SMAX, UMIN, SABD, UABA, CMEQ, CMGT, CMHI, CMGE, CMHS, CMTST,
    AND, ORR, EOR, BIC, ORN, BSL, BIT, BIF, ADDP, UMAXP,
    /* unary / immediate */
    ABS, NEG, SQABS, SQNEG, CNT, NOT, CMEQZ, CMLTZ, SHLI, SSHRI, USHRI, SRSHRI, URSRAI, SQSHLI,
    /* widening: es is the narrow size */
    SADDL, UADDL, SSUBL, USUBL, SMULL, UMULL, SMLAL, SADDW, SSHLLI, USHLLI, SQDMULL,
    /* narrowing: es is the narrow size */
    XTN, SQXTN, UQXTN, SQXTUN, ADDHN, RADDHN, SUBHN, SHRNI, RSHRNI, SQSHRNI, SQRSHRUNI, UQSHRNI,
    /* across lanes */
    ADDV, SMAXV, SMINV, UMAXV, UMINV, SADDLV, UADDLV,
};
#define FIRST_UNARY ABS
#define FIRST_WIDEN SADDL
#define FIRST_NARROW XTN
#define FIRST_ACROSS ADDV

/* X(name-for-output, asm, op, es, q, imm) */
#define CASES(X) \
    X("add 16b", "add v0.16b, v1.16b, v2.16b", ADD, 1, 1, 0) \
    X("add 4h", "add v0.4h, v1.4h, v2.4h", ADD, 2, 0, 0) \
    X("add 2d", "add v0.2d, v1.2d, v2.2d", ADD, 8, 1, 0) \
    X("sub 4s", "sub v0.4s, v1.4s, v2.4s", SUB, 4, 1, 0) \
    X("sub d", "sub d0, d1, d2", SUB, 8, 0, 0) \
    X("mul 8h", "mul v0.8h, v1.8h, v2.8h", MUL, 2, 1, 0) \
    X("mul 2s", "mul v0.2s, v1.2s, v2.2s", MUL, 4, 0, 0) \
    X("mla 16b", "mla v0.16b, v1.16b, v2.16b", MLA, 1, 1, 0) \
    X("mls 4s", "mls v0.4s, v1.4s, v2.4s", MLS, 4, 1, 0) \
    X("sqadd 16b", "sqadd v0.16b, v1.16b, v2.16b", SQADD, 1, 1, 0) \
    X("sqadd 2d", "sqadd v0.2d, v1.2d, v2.2d", SQADD, 8, 1, 0) \
    X("sqadd s", "sqadd s0, s1, s2", SQADD, 4, 0, 0) \
    X("uqadd 8h", "uqadd v0.8h, v1.8h, v2.8h", UQADD, 2, 1, 0) \
    X("uqadd 2d", "uqadd v0.2d, v1.2d, v2.2d", UQADD, 8, 1, 0) \
    X("sqsub 4s", "sqsub v0.4s, v1.4s, v2.4s", SQSUB, 4, 1, 0) \
    X("sqsub h", "sqsub h0, h1, h2", SQSUB, 2, 0, 0) \
    X("uqsub 8b", "uqsub v0.8b, v1.8b, v2.8b", UQSUB, 1, 0, 0) \
    X("uqsub 2d", "uqsub v0.2d, v1.2d, v2.2d", UQSUB, 8, 1, 0) \
    X("sqdmulh 8h", "sqdmulh v0.8h, v1.8h, v2.8h", SQDMULH, 2, 1, 0) \
    X("sqdmulh 2s", "sqdmulh v0.2s, v1.2s, v2.2s", SQDMULH, 4, 0, 0) \
    X("sqrdmulh 4h", "sqrdmulh v0.4h, v1.4h, v2.4h", SQRDMULH, 2, 0, 0) \
    X("sqrdmulh 4s", "sqrdmulh v0.4s, v1.4s, v2.4s", SQRDMULH, 4, 1, 0) \
    X("sshl 16b", "sshl v0.16b, v1.16b, v2.16b", SSHL, 1, 1, 0) \
    X("sshl 2d", "sshl v0.2d, v1.2d, v2.2d", SSHL, 8, 1, 0) \
    X("ushl 8h", "ushl v0.8h, v1.8h, v2.8h", USHL, 2, 1, 0) \
    X("ushl 4s", "ushl v0.4s, v1.4s, v2.4s", USHL, 4, 1, 0) \
    X("sqshl 8h", "sqshl v0.8h, v1.8h, v2.8h", SQSHL, 2, 1, 0) \
    X("sqshl 16b", "sqshl v0.16b, v1.16b, v2.16b", SQSHL, 1, 1, 0) \
    X("uqshl 4s", "uqshl v0.4s, v1.4s, v2.4s", UQSHL, 4, 1, 0) \
    X("uqshl 8b", "uqshl v0.8b, v1.8b, v2.8b", UQSHL, 1, 0, 0) \
    X("smax 8h", "smax v0.8h, v1.8h, v2.8h", SMAX, 2, 1, 0) \
    X("umin 16b", "umin v0.16b, v1.16b, v2.16b", UMIN, 1, 1, 0) \
    X("sabd 4s", "sabd v0.4s, v1.4s, v2.4s", SABD, 4, 1, 0) \
    X("uaba 8b", "uaba v0.8b, v1.8b, v2.8b", UABA, 1, 0, 0) \
    X("cmeq 8h", "cmeq v0.8h, v1.8h, v2.8h", CMEQ, 2, 1, 0) \
    X("cmgt 16b", "cmgt v0.16b, v1.16b, v2.16b", CMGT, 1, 1, 0) \
    X("cmhi 2d", "cmhi v0.2d, v1.2d, v2.2d", CMHI, 8, 1, 0) \
    X("cmge 4s", "cmge v0.4s, v1.4s, v2.4s", CMGE, 4, 1, 0) \
    X("cmhs 4h", "cmhs v0.4h, v1.4h, v2.4h", CMHS, 2, 0, 0) \
    X("cmtst 16b", "cmtst v0.16b, v1.16b, v2.16b", CMTST, 1, 1, 0) \
    X("and", "and v0.16b, v1.16b, v2.16b", AND, 1, 1, 0) \
    X("orr", "orr v0.16b, v1.16b, v2.16b", ORR, 1, 1, 0) \
    X("eor 8b", "eor v0.8b, v1.8b, v2.8b", EOR, 1, 0, 0) \
    X("bic", "bic v0.16b, v1.16b, v2.16b", BIC, 1, 1, 0) \
    X("orn", "orn v0.16b, v1.16b, v2.16b", ORN, 1, 1, 0) \
    X("bsl", "bsl v0.16b, v1.16b, v2.16b", BSL, 1, 1, 0) \
    X("bit", "bit v0.16b, v1.16b, v2.16b", BIT, 1, 1, 0) \
    X("bif", "bif v0.16b, v1.16b, v2.16b", BIF, 1, 1, 0) \
    X("addp 8h", "addp v0.8h, v1.8h, v2.8h", ADDP, 2, 1, 0) \
    X("addp 2d", "addp v0.2d, v1.2d, v2.2d", ADDP, 8, 1, 0) \
    X("umaxp 8b", "umaxp v0.8b, v1.8b, v2.8b", UMAXP, 1, 0, 0) \
    X("abs 16b", "abs v0.16b, v1.16b", ABS, 1, 1, 0) \
    X("abs d", "abs d0, d1", ABS, 8, 0, 0) \
    X("neg 4s", "neg v0.4s, v1.4s", NEG, 4, 1, 0) \
    X("sqabs 8h", "sqabs v0.8h, v1.8h", SQABS, 2, 1, 0) \
    X("sqneg 2d", "sqneg v0.2d, v1.2d", SQNEG, 8, 1, 0) \
    X("sqneg b", "sqneg b0, b1", SQNEG, 1, 0, 0) \
    X("cnt 16b", "cnt v0.16b, v1.16b", CNT, 1, 1, 0) \
    X("not 8b", "not v0.8b, v1.8b", NOT, 1, 0, 0) \
    X("cmeq #0 4s", "cmeq v0.4s, v1.4s, #0", CMEQZ, 4, 1, 0) \
    X("cmlt #0 16b", "cmlt v0.16b, v1.16b, #0", CMLTZ, 1, 1, 0) \
    X("shl 8h #15", "shl v0.8h, v1.8h, #15", SHLI, 2, 1, 15) \
    X("shl 2d #1", "shl v0.2d, v1.2d, #1", SHLI, 8, 1, 1) \
    X("sshr 16b #8", "sshr v0.16b, v1.16b, #8", SSHRI, 1, 1, 8) \
    X("sshr 4s #3", "sshr v0.4s, v1.4s, #3", SSHRI, 4, 1, 3) \
    X("ushr 2d #64", "ushr v0.2d, v1.2d, #64", USHRI, 8, 1, 64) \
    X("ushr 4h #5", "ushr v0.4h, v1.4h, #5", USHRI, 2, 0, 5) \
    X("srshr 8h #4", "srshr v0.8h, v1.8h, #4", SRSHRI, 2, 1, 4) \
    X("srshr 2d #64", "srshr v0.2d, v1.2d, #64", SRSHRI, 8, 1, 64) \
    X("ursra 16b #1", "ursra v0.16b, v1.16b, #1", URSRAI, 1, 1, 1) \
    X("ursra 4s #32", "ursra v0.4s, v1.4s, #32", URSRAI, 4, 1, 32) \
    X("sqshl 8b #3", "sqshl v0.8b, v1.8b, #3", SQSHLI, 1, 0, 3) \
    X("sqshl 2d #62", "sqshl v0.2d, v1.2d, #62", SQSHLI, 8, 1, 62) \
    X("saddl 8b->8h", "saddl v0.8h, v1.8b, v2.8b", SADDL, 1, 0, 0) \
    X("saddl2 16b->8h", "saddl2 v0.8h, v1.16b, v2.16b", SADDL, 1, 1, 0) \
    X("uaddl 4h->4s", "uaddl v0.4s, v1.4h, v2.4h", UADDL, 2, 0, 0) \
    X("ssubl2 4s->2d", "ssubl2 v0.2d, v1.4s, v2.4s", SSUBL, 4, 1, 0) \
    X("usubl 8b->8h", "usubl v0.8h, v1.8b, v2.8b", USUBL, 1, 0, 0) \
    X("smull 2s->2d", "smull v0.2d, v1.2s, v2.2s", SMULL, 4, 0, 0) \
    X("umull2 16b->8h", "umull2 v0.8h, v1.16b, v2.16b", UMULL, 1, 1, 0) \
    X("smlal 4h->4s", "smlal v0.4s, v1.4h, v2.4h", SMLAL, 2, 0, 0) \
    X("saddw2 8h,16b", "saddw2 v0.8h, v1.8h, v2.16b", SADDW, 1, 1, 0) \
    X("sxtl 4h->4s", "sxtl v0.4s, v1.4h", SSHLLI, 2, 0, 0) \
    X("sshll2 4s->2d #31", "sshll2 v0.2d, v1.4s, #31", SSHLLI, 4, 1, 31) \
    X("ushll 8b->8h #7", "ushll v0.8h, v1.8b, #7", USHLLI, 1, 0, 7) \
    X("sqdmull 4h->4s", "sqdmull v0.4s, v1.4h, v2.4h", SQDMULL, 2, 0, 0) \
    X("sqdmull2 4s->2d", "sqdmull2 v0.2d, v1.4s, v2.4s", SQDMULL, 4, 1, 0) \
    X("xtn 8h->8b", "xtn v0.8b, v1.8h", XTN, 1, 0, 0) \
    X("xtn2 2d->4s", "xtn2 v0.4s, v1.2d", XTN, 4, 1, 0) \
    X("sqxtn 4s->4h", "sqxtn v0.4h, v1.4s", SQXTN, 2, 0, 0) \
    X("sqxtn2 8h->16b", "sqxtn2 v0.16b, v1.8h", SQXTN, 1, 1, 0) \
    X("uqxtn 2d->2s", "uqxtn v0.2s, v1.2d", UQXTN, 4, 0, 0) \
    X("sqxtun 8h->8b", "sqxtun v0.8b, v1.8h", SQXTUN, 1, 0, 0) \
    X("sqxtun2 4s->8h", "sqxtun2 v0.8h, v1.4s", SQXTUN, 2, 1, 0) \
    X("addhn 8h->8b", "addhn v0.8b, v1.8h, v2.8h", ADDHN, 1, 0, 0) \
    X("raddhn2 4s->8h", "raddhn2 v0.8h, v1.4s, v2.4s", RADDHN, 2, 1, 0) \
    X("subhn 2d->2s", "subhn v0.2s, v1.2d, v2.2d", SUBHN, 4, 0, 0) \
    X("shrn 8h->8b #3", "shrn v0.8b, v1.8h, #3", SHRNI, 1, 0, 3) \
    X("rshrn2 4s->8h #16", "rshrn2 v0.8h, v1.4s, #16", RSHRNI, 2, 1, 16) \
    X("sqshrn 2d->2s #5", "sqshrn v0.2s, v1.2d, #5", SQSHRNI, 4, 0, 5) \
    X("sqrshrun 8h->8b #1", "sqrshrun v0.8b, v1.8h, #1", SQRSHRUNI, 1, 0, 1) \
    X("uqshrn2 4s->8h #2", "uqshrn2 v0.8h, v1.4s, #2", UQSHRNI, 2, 1, 2) \
    X("addv 16b", "addv b0, v1.16b", ADDV, 1, 1, 0) \
    X("addv 4s", "addv s0, v1.4s", ADDV, 4, 1, 0) \
    X("smaxv 8h", "smaxv h0, v1.8h", SMAXV, 2, 1, 0) \
    X("sminv 8b", "sminv b0, v1.8b", SMINV, 1, 0, 0) \
    X("umaxv 4s", "umaxv s0, v1.4s", UMAXV, 4, 1, 0) \
    X("uminv 4h", "uminv h0, v1.4h", UMINV, 2, 0, 0) \
    X("saddlv 16b", "saddlv h0, v1.16b", SADDLV, 1, 1, 0) \
    X("uaddlv 4s", "uaddlv d0, v1.4s", UADDLV, 4, 1, 0) \
    X("saddlv 4h", "saddlv s0, v1.4h", SADDLV, 2, 0, 0)

struct desc {
    const char *name;
    int op, es, q, imm;
};
#define X_DESC(n, a, op, es, q, imm) { n, op, es, q, imm },
static const struct desc descs[] = { CASES(X_DESC) };
#define NCASES (int)(sizeof(descs) / sizeof(descs[0]))

static vec va, vb, vd, ve;
static int qc_model;

static void run_case(int k)
{
    int i = 0;
#define X_RUN(n, a, op, es, q, imm) case __COUNTER__ - base: VOP(a, &vd, &va, &vb); break;
    enum { base = __COUNTER__ + 1 };
    switch (k + i) {
    CASES(X_RUN)
    }
#undef X_RUN
}

static uint64_t mask_of(int bits) { return bits == 64 ? ~0ull : (1ull << bits) - 1; }
static __int128 smax_of(int bits) { return ((__int128)1 << (bits - 1)) - 1; }
static __int128 smin_of(int bits) { return -((__int128)1 << (bits - 1)); }

static uint64_t sat_s(__int128 v, int bits)
{
    if (v > smax_of(bits)) {
        qc_model = 1;
        v = smax_of(bits);
    } else if (v < smin_of(bits)) {
        qc_model = 1;
        v = smin_of(bits);
    }
    return (uint64_t)v & mask_of(bits);
}

static uint64_t sat_u(__int128 v, int bits)
{
    if (v < 0) {
        qc_model = 1;
        return 0;
    }
    if (v > (__int128)mask_of(bits)) {
        qc_model = 1;
        return mask_of(bits);
    }
    return (uint64_t)v;
}

static __int128 sx(uint64_t v, int bits)
{
    return (__int128)(int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* Shift by a signed register amount (the low byte of the lane). */
static __int128 shift_reg(__int128 v, int sh, int bits)
{
    if (sh >= 0) {
        return sh >= bits + 2 ? (v ? (v < 0 ? -((__int128)1 << 100) : ((__int128)1 << 100)) : 0) : v << sh;
    }
    sh = -sh;
    if (sh >= bits) {
        return v < 0 ? -1 : 0;
    }
    return v >> sh;
}

static __int128 rshift_round(__int128 v, int sh)
{
    return (v + ((__int128)1 << (sh - 1))) >> sh;
}

static int popcount8(uint64_t v)
{
    int n = 0;
    for (; v; v &= v - 1) {
        n++;
    }
    return n;
}

static void model(const struct desc *c, const vec *a, const vec *b, const vec *d0, vec *e)
{
    int es = c->es, bits = es * 8, n = (c->q ? 16 : 8) / es;
    int op = c->op;
    int scalar = 0;

    *e = *d0;
    if (op < FIRST_WIDEN) {
        /* scalar forms (names without an arrangement) use lane 0 only */
        const char *s = c->name;
        while (*s && *s != ' ') {
            s++;
        }
        scalar = s[1] == 'b' || s[1] == 'h' || s[1] == 's' || s[1] == 'd';
        if (scalar) {
            n = 1;
            vec_zero(e);
        }
        if (!c->q || scalar) {
            set_lane(e, 8, 1, 0);
        }
        if (op == ADDP || op == UMAXP) {
            for (int i = 0; i < n; i++) {
                const vec *src = i < n / 2 ? a : b;
                int j = 2 * (i % (n / 2));
                uint64_t x = lane(src, es, j), y = lane(src, es, j + 1);
                set_lane(e, es, i, op == ADDP ? x + y : (x > y ? x : y));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            uint64_t ua = lane(a, es, i), ub = lane(b, es, i), ud = lane(d0, es, i), r = 0;
            __int128 sa = sx(ua, bits), sb = sx(ub, bits);
            int sh = (int8_t)(ub & 0xff);
            switch (op) {
            case ADD: r = ua + ub; break;
            case SUB: r = ua - ub; break;
            case MUL: r = ua * ub; break;
            case MLA: r = ud + ua * ub; break;
            case MLS: r = ud - ua * ub; break;
            case SQADD: r = sat_s(sa + sb, bits); break;
            case UQADD: r = sat_u((__int128)ua + ub, bits); break;
            case SQSUB: r = sat_s(sa - sb, bits); break;
            case UQSUB: r = sat_u((__int128)ua - ub, bits); break;
            case SQDMULH: r = sat_s((2 * sa * sb) >> bits, bits); break;
            case SQRDMULH: r = sat_s((2 * sa * sb + ((__int128)1 << (bits - 1))) >> bits, bits); break;
            case SSHL: r = (uint64_t)shift_reg(sa, sh, bits); break;
            case USHL: r = (uint64_t)shift_reg(ua, sh, bits); break;
            case SQSHL: r = sat_s(shift_reg(sa, sh, bits), bits); break;
            case UQSHL: r = sat_u(shift_reg(ua, sh, bits), bits); break;
            case SMAX: r = sa > sb ? ua : ub; break;
            case UMIN: r = ua < ub ? ua : ub; break;
            case SABD: r = (uint64_t)(sa > sb ? sa - sb : sb - sa); break;
            case UABA: r = ud + (ua > ub ? ua - ub : ub - ua); break;
            case CMEQ: r = ua == ub ? ~0ull : 0; break;
            case CMGT: r = sa > sb ? ~0ull : 0; break;
            case CMHI: r = ua > ub ? ~0ull : 0; break;
            case CMGE: r = sa >= sb ? ~0ull : 0; break;
            case CMHS: r = ua >= ub ? ~0ull : 0; break;
            case CMTST: r = ua & ub ? ~0ull : 0; break;
            case AND: r = ua & ub; break;
            case ORR: r = ua | ub; break;
            case EOR: r = ua ^ ub; break;
            case BIC: r = ua & ~ub; break;
            case ORN: r = ua | ~ub; break;
            case BSL: r = (ud & ua) | (~ud & ub); break;
            case BIT: r = (ud & ~ub) | (ua & ub); break;
            case BIF: r = (ud & ub) | (ua & ~ub); break;
            case ABS: r = (uint64_t)(sa < 0 ? -sa : sa); break;
            case NEG: r = -ua; break;
            case SQABS: r = sat_s(sa < 0 ? -sa : sa, bits); break;
            case SQNEG: r = sat_s(-sa, bits); break;
            case CNT: r = popcount8(ua); break;
            case NOT: r = ~ua; break;
            case CMEQZ: r = ua == 0 ? ~0ull : 0; break;
            case CMLTZ: r = sa < 0 ? ~0ull : 0; break;
            case SHLI: r = ua << c->imm; break;
            case SSHRI: r = (uint64_t)(sa >> c->imm); break;
            case USHRI: r = c->imm == 64 ? 0 : (uint64_t)((unsigned __int128)ua >> c->imm); break;
            case SRSHRI: r = (uint64_t)rshift_round(sa, c->imm); break;
            case URSRAI: r = ud + (uint64_t)rshift_round(ua, c->imm); break;
            case SQSHLI: r = sat_s(sa << c->imm, bits); break;
            }
            set_lane(e, es, i, r & mask_of(bits));
        }
        return;
    }
    if (op < FIRST_NARROW) {
        /* widening: n narrow lanes from the lower or upper half */
        int wb = bits * 2, half = c->q ? 8 / es : 0;
        n = 8 / es;
        for (int i = 0; i < n; i++) {
            uint64_t ua = lane(a, es, half + i), ub = lane(b, es, half + i);
            __int128 sa = sx(ua, bits), sb = sx(ub, bits), r = 0;
            switch (op) {
            case SADDL: r = sa + sb; break;
            case UADDL: r = (__int128)ua + ub; break;
            case SSUBL: r = sa - sb; break;
            case USUBL: r = (__int128)ua - ub; break;
            case SMULL: r = sa * sb; break;
            case UMULL: r = (__int128)ua * ub; break;
            case SMLAL: r = (__int128)lane(d0, es * 2, i) + sa * sb; break;
            case SADDW: r = (__int128)lane(a, es * 2, i) + sb; break;
            case SSHLLI: r = sa << c->imm; break;
            case USHLLI: r = (__int128)ua << c->imm; break;
            case SQDMULL: r = (__int128)sat_s(2 * sa * sb, wb); break;
            }
            set_lane(e, es * 2, i, (uint64_t)r & mask_of(wb));
        }
        return;
    }
    if (op < FIRST_ACROSS) {
        /* narrowing: 8/es results into the lower half (upper zeroed) or,
         * for the "2" forms, into the upper half (lower kept) */
        int wb = bits * 2, at = c->q ? 8 / es : 0;
        n = 8 / es;
        if (!c->q) {
            set_lane(e, 8, 1, 0);
        }
        for (int i = 0; i < n; i++) {
            uint64_t ua = lane(a, es * 2, i), ub = lane(b, es * 2, i), r = 0;
            __int128 sa = sx(ua, wb);
            switch (op) {
            case XTN: r = ua; break;
            case SQXTN: r = sat_s(sa, bits); break;
            case UQXTN: r = sat_u(ua, bits); break;
            case SQXTUN: r = sat_u(sa, bits); break;
            case ADDHN: r = (ua + ub) >> bits; break;
            case RADDHN: r = (uint64_t)(((unsigned __int128)ua + ub + (1ull << (bits - 1))) >> bits); break;
            case SUBHN: r = (ua - ub) >> bits; break;
            case SHRNI: r = ua >> c->imm; break;
            case RSHRNI: r = (uint64_t)rshift_round(ua, c->imm); break;
            case SQSHRNI: r = sat_s(sa >> c->imm, bits); break;
            case SQRSHRUNI: r = sat_u(rshift_round(sa, c->imm), bits); break;
            case UQSHRNI: r = sat_u(ua >> c->imm, bits); break;
            }
            set_lane(e, es, at + i, r & mask_of(bits));
        }
        return;
    }
    {
        __int128 acc = 0;
        int rb = (op == SADDLV || op == UADDLV) ? bits * 2 : bits;
        vec_zero(e);
        for (int i = 0; i < n; i++) {
            uint64_t u = lane(a, es, i);
            __int128 s = sx(u, bits), cur = i ? acc : (op == SADDLV || op == ADDV || op == UADDLV) ? 0 : -1;
            switch (op) {
            case ADDV: acc += u; break;
            case SADDLV: acc += s; break;
            case UADDLV: acc += u; break;
            case SMAXV: acc = (!i || s > cur) ? s : cur; break;
            case SMINV: acc = (!i || s < cur) ? s : cur; break;
            case UMAXV: acc = (!i || u > (uint64_t)cur) ? (__int128)u : cur; break;
            case UMINV: acc = (!i || u < (uint64_t)cur) ? (__int128)u : cur; break;
            }
        }
        set_lane(e, rb / 8, 0, (uint64_t)acc & mask_of(rb));
    }
}

/* Interesting lane values for a lane width. */
static uint64_t kind(int k, int bits)
{
    uint64_t m = mask_of(bits), smax = m >> 1;
    switch (k & 15) {
    case 0: return 0;
    case 1: return 1;
    case 2: return m;
    case 3: return smax;
    case 4: return smax + 1;
    case 5: return smax - 1;
    case 6: return smax + 2;
    case 7: return 2;
    case 8: return 0x5555555555555555ull & m;
    case 9: return 0xaaaaaaaaaaaaaaaaull & m;
    case 10: return 3;
    case 11: return (uint64_t)-3 & m;
    case 12: return 1ull << (bits / 2);
    case 13: return (uint64_t)-(1ll << (bits / 2 - 1)) & m;
    case 14: return 0x123456789abcdef0ull & m;
    default: return 0xfedcba9876543217ull & m;
    }
}

static void make_vec(vec *v, int es, int seed)
{
    int n = 16 / es;
    for (int i = 0; i < n; i++) {
        set_lane(v, es, i, kind(i * 5 + seed * 3 + (seed >> 2), es * 8));
    }
}

int main(void)
{
    int qc_total = 0;

    printf("simd-arith: start at EL%d\n", (int)(boot_current_el >> 2));
    set_fpcr(0);
    for (int k = 0; k < NCASES; k++) {
        const struct desc *c = &descs[k];
        struct group g;
        /* inputs use the lane size the instruction reads */
        int ia = c->op >= FIRST_NARROW && c->op < FIRST_ACROSS ? c->es * 2 : c->es;
        int ib = c->op == SADDW ? c->es : ia;
        grp_begin(&g, c->name);
        for (int s = 0; s < 16; s++) {
            vec d0;
            make_vec(&va, ia, s);
            make_vec(&vb, ib, s * 7 + 1);
            if (c->op == SADDW) {
                make_vec(&va, c->es * 2, s);
            }
            make_vec(&d0, c->op >= FIRST_WIDEN && c->op < FIRST_NARROW ? c->es * 2 : c->es, s + 5);
            vd = d0;
            qc_model = 0;
            clr_fpsr();
            run_case(k);
            model(c, &va, &vb, &d0, &ve);
            grp_vec(&g, &vd, &ve, (uint64_t)s, 0);
            grp_case(&g, !!(get_fpsr() & FPSR_QC), (uint64_t)qc_model, (uint64_t)s, 1);
            qc_total += qc_model;
        }
        grp_end(&g);
    }
    check_true("some saturating cases set FPSR.QC", qc_total > 20);
    test_done();
}
