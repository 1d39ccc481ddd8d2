/*
 * Conversions: fcvt{n,a,p,m,z}{s,u} from double and single to 32/64-bit
 * integers (rounding, saturation, NaN, IOC/IXC), fixed-point fcvtzs/fcvtzu
 * and scvtf/ucvtf with #fbits, scvtf/ucvtf from every integer size to
 * single/double in each rounding mode, fcvt between half, single and
 * double (rounding, overflow, underflow, NaNs, FZ, DN), fcvtxn.  Integer
 * conversions are checked against a model working on the bit patterns.
 */
#include "fp.h"

enum { RN, RP, RM, RZ, RA };

/* Arm FPToFixed on a double given by its bits. */
static uint64_t model_f2i(uint64_t bits, int mode, int sgn, int width, int fbits, uint64_t *fl)
{
    int sign = bits >> 63, exp = (bits >> 52) & 0x7ff;
    uint64_t m = bits & ((1ull << 52) - 1);
    unsigned __int128 ip;
    uint64_t rem = 0, half = 0;
    int inexact = 0, up = 0, shift;
    __int128 v, lo, hi;

    *fl = 0;
    if (exp == 0x7ff) {
        if (m) {
            *fl = FPSR_IOC;
            return 0;
        }
        ip = (unsigned __int128)1 << 100;       /* infinity: saturates */
        goto sat;
    }
    if (exp) {
        m |= 1ull << 52;
    } else {
        exp = 1;
    }
    shift = exp - 1075 + fbits;
    if (shift >= 0) {
        ip = shift > 70 ? (unsigned __int128)1 << 100 : (unsigned __int128)m << shift;
    } else if (-shift < 64) {
        ip = m >> -shift;
        rem = m & ((1ull << -shift) - 1);
        half = 1ull << (-shift - 1);
    } else {
        ip = 0;
        rem = m;                /* m < 2^53 < half */
        half = ~0ull;
    }
    inexact = rem != 0;
    switch (mode) {
    case RN: up = rem > half || (rem == half && (ip & 1)); break;
    case RA: up = rem >= half && inexact; break;
    case RP: up = inexact && !sign; break;
    case RM: up = inexact && sign; break;
    default: up = 0; break;
    }
    ip += up;
sat:
    v = sign ? -(__int128)ip : (__int128)ip;
    if (sgn) {
        lo = -((__int128)1 << (width - 1));
        hi = ((__int128)1 << (width - 1)) - 1;
    } else {
        lo = 0;
        hi = ((__int128)1 << width) - 1;
    }
    if (v < lo || v > hi) {
        *fl = FPSR_IOC;
        v = v < lo ? lo : hi;
    } else if (inexact) {
        *fl = FPSR_IXC;
    }
    return width == 32 ? (uint32_t)v : (uint64_t)v;
}

/* Integer (sign and magnitude) / 2^fbits to double (mbits 52) or single
 * (mbits 23), rounded per mode. */
static uint64_t model_i2f(int sign, uint64_t mag, int mbits, int fbits, int mode, uint64_t *fl)
{
    int msb = 63, bias = mbits == 52 ? 1023 : 127, s;
    uint64_t q, rem = 0, half = 0;
    int up = 0;

    *fl = 0;
    if (!mag) {
        return 0;
    }
    while (!(mag >> msb)) {
        msb--;
    }
    if (msb > mbits) {
        s = msb - mbits;
        q = mag >> s;
        rem = mag & ((1ull << s) - 1);
        half = 1ull << (s - 1);
    } else {
        q = mag << (mbits - msb);
    }
    switch (mode) {
    case RN: up = rem > half || (rem == half && (q & 1)); break;
    case RP: up = rem && !sign; break;
    case RM: up = rem && sign; break;
    default: break;
    }
    q += up;
    if (q >> (mbits + 1)) {
        q >>= 1;
        msb++;
    }
    if (rem) {
        *fl = FPSR_IXC;
    }
    return (uint64_t)sign << (mbits == 52 ? 63 : 31) |
           (uint64_t)(msb - fbits + bias) << mbits | (q & ((1ull << mbits) - 1));
}

static const uint64_t dvals[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3fe0000000000000ull, 0xbfe0000000000000ull,
    0x3ff8000000000000ull, 0xbff8000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull,
    0x3fdfffffffffffffull, 0x4202a05f20000000ull /* 1e10 */, 0xc202a05f20000000ull,
    0x41dfffffffe00000ull /* 2^31 - 0.5 */, 0x41e0000000000000ull /* 2^31 */,
    0xc1e0000000000000ull /* -2^31 */, 0xc1e0000000100000ull /* -2^31 - 0.5 */,
    0xc1e0000000200000ull /* -2^31 - 1 */, 0x41efffffffe00000ull /* 2^32 - 0.5 */,
    0x41f0000000000000ull /* 2^32 */, 0x43e0000000000000ull /* 2^63 */, 0xc3e0000000000000ull,
    0xc3e0000000000001ull /* -2^63 - 2048 */, 0x43dfffffffffffffull /* 2^63 - 1024 */,
    0x43f0000000000000ull /* 2^64 */, 0x43efffffffffffffull /* 2^64 - 2048 */,
    0x46293e5939a08ceaull /* 1e30 */, 0xc6293e5939a08ceaull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000000001ull,
    0x0000000000000001ull, 0x8000000000000001ull, 0x4340000000000001ull /* 2^53 + 2 */,
    0x419d6f3457000000ull /* 123456789.75 */, 0xc19d6f3457000000ull,
};
#define NDV (int)(sizeof(dvals) / sizeof(dvals[0]))

static uint64_t fl;

#define CVT(insn, reg) __asm__ volatile("fmov d1, %1\n\t" insn " %" reg "0, d1" : "=r"(r) : "r"(a) : "d1")
#define CVT4(n) \
    case 0: CVT(n "s", "w"); break; case 1: CVT(n "s", "x"); break; \
    case 2: CVT(n "u", "w"); break; case 3: CVT(n "u", "x"); break;

static uint64_t do_f2i(int mode, int form, uint64_t a)
{
    uint64_t r = 0;
    clr_fpsr();
    switch (mode) {
    case RN: switch (form) { CVT4("fcvtn") } break;
    case RP: switch (form) { CVT4("fcvtp") } break;
    case RM: switch (form) { CVT4("fcvtm") } break;
    case RZ: switch (form) { CVT4("fcvtz") } break;
    default: switch (form) { CVT4("fcvta") } break;
    }
    fl = get_fpsr();
    return r;
}

static void test_f2i(void)
{
    struct group g;
    static const char *const mn = "npmza";
    static const char *const forms[] = { "s w", "s x", "u w", "u x" };
    char name[24];

    for (int mode = 0; mode < 5; mode++) {
        for (int form = 0; form < 4; form++) {
            int n = 0;
            for (const char *p = "fcvt"; *p; p++) {
                name[n++] = *p;
            }
            name[n++] = mn[mode];
            for (const char *p = forms[form]; *p; p++) {
                name[n++] = *p;
            }
            name[n++] = ',';
            name[n++] = ' ';
            name[n++] = 'd';
            name[n] = 0;
            grp_begin(&g, name);
            for (int i = 0; i < NDV; i++) {
                uint64_t ef, e = model_f2i(dvals[i], mode, form < 2, form & 1 ? 64 : 32, 0, &ef);
                uint64_t r = do_f2i(mode, form, dvals[i]);
                grp_case(&g, r, e, dvals[i], 0);
                grp_case(&g, fl, ef, dvals[i], 1);
            }
            grp_end(&g);
        }
    }

    /* FPCR.RMode does not affect fcvtz*, and the rounding of fcvtn is fixed. */
    {
        uint64_t r, a = 0x4004000000000000ull;   /* 2.5 */
        set_fpcr(FPCR_RP);
        CVT("fcvtzs", "w");
        check("fcvtzs 2.5 under RP", r, 2);
        CVT("fcvtns", "w");
        check("fcvtns 2.5 under RP", r, 2);
        set_fpcr(0);
    }

    /* Fixed point */
    {
        uint64_t r, a = 0x3ff8000000000000ull, e, ef;    /* 1.5 */
        clr_fpsr();
        __asm__ volatile("fmov d1, %1\n\tfcvtzs %w0, d1, #8" : "=r"(r) : "r"(a) : "d1");
        check_fp("fcvtzs w, d, #8 of 1.5", r, 384, get_fpsr(), 0);
        a = 0xbfb999999999999aull;   /* -0.1 */
        clr_fpsr();
        __asm__ volatile("fmov d1, %1\n\tfcvtzs %0, d1, #16" : "=r"(r) : "r"(a) : "d1");
        e = model_f2i(a, RZ, 1, 64, 16, &ef);
        check_fp("fcvtzs x, d, #16 of -0.1", r, e, get_fpsr(), ef);
        a = 0x41e0000000000000ull;    /* 2^31 */
        clr_fpsr();
        __asm__ volatile("fmov d1, %1\n\tfcvtzu %w0, d1, #1" : "=r"(r) : "r"(a) : "d1");
        check_fp("fcvtzu w, d, #1 of 2^31 saturates", r, 0xffffffff, get_fpsr(), FPSR_IOC);
        a = 0x3fe0000000000000ull;
        clr_fpsr();
        __asm__ volatile("fmov d1, %1\n\tfcvtzu %0, d1, #64" : "=r"(r) : "r"(a) : "d1");
        check_fp("fcvtzu x, d, #64 of 0.5", r, 0x8000000000000000ull, get_fpsr(), 0);
    }

    /* From single precision */
    {
        uint64_t r;
        uint32_t a = 0x4f000000;     /* 2^31 as float */
        clr_fpsr();
        __asm__ volatile("fmov s1, %w1\n\tfcvtzs %w0, s1" : "=r"(r) : "r"(a) : "d1");
        check_fp("fcvtzs w, s 2^31 saturates", r, 0x7fffffff, get_fpsr(), FPSR_IOC);
        clr_fpsr();
        __asm__ volatile("fmov s1, %w1\n\tfcvtzs %0, s1" : "=r"(r) : "r"(a) : "d1");
        check_fp("fcvtzs x, s 2^31", r, 0x80000000, get_fpsr(), 0);
        a = 0xbfc00000;              /* -1.5 */
        clr_fpsr();
        __asm__ volatile("fmov s1, %w1\n\tfcvtau %w0, s1" : "=r"(r) : "r"(a) : "d1");
        check_fp("fcvtau w, s -1.5", r, 0, get_fpsr(), FPSR_IOC);
        clr_fpsr();
        __asm__ volatile("fmov s1, %w1\n\tfcvtms %0, s1" : "=r"(r) : "r"(a) : "d1");
        check_fp("fcvtms x, s -1.5", r, (uint64_t)-2, get_fpsr(), FPSR_IXC);
        a = 0x7fc00000;
        clr_fpsr();
        __asm__ volatile("fmov s1, %w1\n\tfcvtps %0, s1" : "=r"(r) : "r"(a) : "d1");
        check_fp("fcvtps x, s NaN", r, 0, get_fpsr(), FPSR_IOC);
    }
}

static const uint64_t ivals[] = {
    0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x1000001, 0x1000003, 0x7fffffff, 0x80000000,
    0xffffffff, 0x20000000000001ull, 0x20000000000003ull, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0xffffffffffffffffull, 0xfffffffffffff801ull, 0x123456789abcdef1ull,
    0xfedcba9876543210ull, 0x8000000000000401ull,
};
#define NIV (int)(sizeof(ivals) / sizeof(ivals[0]))

/* form: 0 scvtf d,x  1 ucvtf d,x  2 scvtf d,w  3 ucvtf d,w  4 scvtf s,x
 *       5 ucvtf s,x  6 scvtf s,w  7 ucvtf s,w */
static uint64_t do_i2f(int form, uint64_t a, uint64_t fpcr)
{
    uint64_t r = 0;
    set_fpcr(fpcr);
    clr_fpsr();
    switch (form) {
    case 0: __asm__ volatile("scvtf d0, %1\n\tfmov %0, d0" : "=r"(r) : "r"(a) : "d0"); break;
    case 1: __asm__ volatile("ucvtf d0, %1\n\tfmov %0, d0" : "=r"(r) : "r"(a) : "d0"); break;
    case 2: __asm__ volatile("scvtf d0, %w1\n\tfmov %0, d0" : "=r"(r) : "r"(a) : "d0"); break;
    case 3: __asm__ volatile("ucvtf d0, %w1\n\tfmov %0, d0" : "=r"(r) : "r"(a) : "d0"); break;
    case 4: __asm__ volatile("scvtf s0, %1\n\tfmov %w0, s0" : "=r"(r) : "r"(a) : "d0"); break;
    case 5: __asm__ volatile("ucvtf s0, %1\n\tfmov %w0, s0" : "=r"(r) : "r"(a) : "d0"); break;
    case 6: __asm__ volatile("scvtf s0, %w1\n\tfmov %w0, s0" : "=r"(r) : "r"(a) : "d0"); break;
    default: __asm__ volatile("ucvtf s0, %w1\n\tfmov %w0, s0" : "=r"(r) : "r"(a) : "d0"); break;
    }
    fl = get_fpsr();
    set_fpcr(0);
    return r;
}

static void test_i2f(void)
{
    struct group g;
    static const char *const names[] = {
        "scvtf d, x", "ucvtf d, x", "scvtf d, w", "ucvtf d, w",
        "scvtf s, x", "ucvtf s, x", "scvtf s, w", "ucvtf s, w",
    };
    static const uint64_t modes[] = { FPCR_RN, FPCR_RP, FPCR_RM, FPCR_RZ };
    for (int form = 0; form < 8; form++) {
        grp_begin(&g, names[form]);
        for (int m = 0; m < 4; m++) {
            for (int i = 0; i < NIV; i++) {
                uint64_t a = ivals[i], mag = a;
                int sgn = !(form & 1), sign = 0;
                uint64_t e, ef;
                if (form & 2) {
                    mag = (uint32_t)a;
                    if (sgn && (int32_t)a < 0) {
                        sign = 1;
                        mag = (uint32_t)(0u - (uint32_t)a);
                    }
                } else if (sgn && (int64_t)a < 0) {
                    sign = 1;
                    mag = -a;
                }
                e = model_i2f(sign, mag, form < 4 ? 52 : 23, 0, m, &ef);
                grp_case(&g, do_i2f(form, a, modes[m]), e, a, (uint64_t)m);
                grp_case(&g, fl, ef, a, (uint64_t)m);
            }
        }
        grp_end(&g);
    }
    {
        uint64_t r;
        clr_fpsr();
        __asm__ volatile("scvtf d0, %1, #4\n\tfmov %0, d0" : "=r"(r) : "r"(-24ll) : "d0");
        check_fp("scvtf d, x, #4 of -24", r, 0xbff8000000000000ull, get_fpsr(), 0);
        clr_fpsr();
        __asm__ volatile("ucvtf s0, %w1, #32\n\tfmov %w0, s0" : "=r"(r) : "r"(0x80000000ull) : "d0");
        check_fp("ucvtf s, w, #32 of 2^31", r, 0x3f000000, get_fpsr(), 0);
    }
}

static uint64_t fcvt(int kind, uint64_t a, uint64_t fpcr)
{
    uint64_t r = 0;
    set_fpcr(fpcr);
    clr_fpsr();
    switch (kind) {
    case 0: __asm__ volatile("fmov d1, %1\n\tfcvt s0, d1\n\tfmov %w0, s0" : "=r"(r) : "r"(a) : "d0", "d1"); break;
    case 1: __asm__ volatile("fmov s1, %w1\n\tfcvt d0, s1\n\tfmov %0, d0" : "=r"(r) : "r"(a) : "d0", "d1"); break;
    case 2: __asm__ volatile("fmov s1, %w1\n\tfcvt h0, s1\n\tumov %w0, v0.h[0]" : "=r"(r) : "r"(a) : "d0", "d1"); break;
    case 3: __asm__ volatile("fmov s1, %w1\n\tmov v1.h[0], %w1\n\tfcvt s0, h1\n\tfmov %w0, s0" : "=r"(r) : "r"(a) : "d0", "d1"); break;
    case 4: __asm__ volatile("fmov d1, %1\n\tfcvt h0, d1\n\tumov %w0, v0.h[0]" : "=r"(r) : "r"(a) : "d0", "d1"); break;
    case 5: __asm__ volatile("fmov s1, %w1\n\tmov v1.h[0], %w1\n\tfcvt d0, h1\n\tfmov %0, d0" : "=r"(r) : "r"(a) : "d0", "d1"); break;
    default: __asm__ volatile("fmov d1, %1\n\tfcvtxn s0, d1\n\tfmov %w0, s0" : "=r"(r) : "r"(a) : "d0", "d1"); break;
    }
    fl = get_fpsr();
    set_fpcr(0);
    return r;
}

enum { D2S, S2D, S2H, H2S, D2H, H2D, D2S_ODD };

static void test_fcvt(void)
{
    check_fp("fcvt s, d 1/3", fcvt(D2S, 0x3fd5555555555555ull, 0), 0x3eaaaaab, fl, FPSR_IXC);
    check_fp("fcvt s, d 1/3 RZ", fcvt(D2S, 0x3fd5555555555555ull, FPCR_RZ), 0x3eaaaaaa, fl, FPSR_IXC);
    check_fp("fcvt s, d 1e39 overflow", fcvt(D2S, 0x48078287f49c4a1dull, 0), 0x7f800000, fl, FPSR_OFC | FPSR_IXC);
    check_fp("fcvt s, d 1e39 overflow RZ", fcvt(D2S, 0x48078287f49c4a1dull, FPCR_RZ), 0x7f7fffff, fl, FPSR_OFC | FPSR_IXC);
    check_fp("fcvt s, d 2^-140 subnormal", fcvt(D2S, 0x3730000000000000ull, 0), 0x00000200, fl, 0);
    check_fp("fcvt s, d 2^-140 FZ", fcvt(D2S, 0x3730000000000000ull, FPCR_FZ), 0, fl, FPSR_UFC);
    check_fp("fcvt s, d 1e-50 underflow", fcvt(D2S, 0x358dee7a4ad4b81full, 0), 0, fl, FPSR_UFC | FPSR_IXC);
    check_fp("fcvt s, d qNaN keeps top payload", fcvt(D2S, 0x7ff8000020000000ull, 0), 0x7fc00001, fl, 0);
    check_fp("fcvt s, d sNaN quieted", fcvt(D2S, 0xfff0000020000000ull, 0), 0xffc00001, fl, FPSR_IOC);
    check_fp("fcvt s, d sNaN DN", fcvt(D2S, 0xfff0000020000000ull, FPCR_DN), 0x7fc00000, fl, FPSR_IOC);
    check_fp("fcvt d, s 0.1f exact", fcvt(S2D, 0x3dcccccd, 0), 0x3fb99999a0000000ull, fl, 0);
    check_fp("fcvt d, s subnormal", fcvt(S2D, 0x00000001, 0), 0x36a0000000000000ull, fl, 0);
    check_fp("fcvt d, s subnormal FZ", fcvt(S2D, 0x80000001, FPCR_FZ), 0x8000000000000000ull, fl, FPSR_IDC);
    check_fp("fcvt d, s sNaN", fcvt(S2D, 0x7f800001, 0), 0x7ff8000020000000ull, fl, FPSR_IOC);
    check_fp("fcvt d, s -inf", fcvt(S2D, 0xff800000, 0), 0xfff0000000000000ull, fl, 0);
    check_fp("fcvt h, s 1.0", fcvt(S2H, 0x3f800000, 0), 0x3c00, fl, 0);
    check_fp("fcvt h, s 65504 max", fcvt(S2H, 0x477fe000, 0), 0x7bff, fl, 0);
    check_fp("fcvt h, s 65520 overflow", fcvt(S2H, 0x477ff000, 0), 0x7c00, fl, FPSR_OFC | FPSR_IXC);
    /* RZ: 65520 truncates to 65504 before the range check: no overflow */
    check_fp("fcvt h, s 65520 RZ", fcvt(S2H, 0x477ff000, FPCR_RZ), 0x7bff, fl, FPSR_IXC);
    check_fp("fcvt h, s 1/3", fcvt(S2H, 0x3eaaaaab, 0), 0x3555, fl, FPSR_IXC);
    check_fp("fcvt h, s 2^-24 subnormal", fcvt(S2H, 0x33800000, 0), 0x0001, fl, 0);
    check_fp("fcvt h, s 2^-26 underflow", fcvt(S2H, 0x32800000, 0), 0x0000, fl, FPSR_UFC | FPSR_IXC);
    check_fp("fcvt h, s 2^-26 RP", fcvt(S2H, 0x32800000, FPCR_RP), 0x0001, fl, FPSR_UFC | FPSR_IXC);
    check_fp("fcvt h, s sNaN", fcvt(S2H, 0x7fa00000, 0), 0x7f00, fl, FPSR_IOC);
    check_fp("fcvt h, s qNaN DN", fcvt(S2H, 0xffc00000, FPCR_DN), 0x7e00, fl, 0);
    check_fp("fcvt h, s inf AHP: saturate, IOC", fcvt(S2H, 0x7f800000, FPCR_AHP), 0x7fff, fl, FPSR_IOC);
    check_fp("fcvt h, s 65536 AHP: exact", fcvt(S2H, 0x47800000, FPCR_AHP), 0x7c00, fl, 0);
    check_fp("fcvt s, h max", fcvt(H2S, 0x7bff, 0), 0x477fe000, fl, 0);
    check_fp("fcvt s, h subnormal", fcvt(H2S, 0x8001, 0), 0xb3800000, fl, 0);
    check_fp("fcvt s, h inf", fcvt(H2S, 0x7c00, 0), 0x7f800000, fl, 0);
    check_fp("fcvt s, h inf-pattern under AHP", fcvt(H2S, 0x7c00, FPCR_AHP), 0x47800000, fl, 0);
    check_fp("fcvt s, h sNaN", fcvt(H2S, 0x7c01, 0), 0x7fc02000, fl, FPSR_IOC);
    check_fp("fcvt h, d 0.1", fcvt(D2H, 0x3fb999999999999aull, 0), 0x2e66, fl, FPSR_IXC);
    check_fp("fcvt h, d 1e10 overflow", fcvt(D2H, 0x4202a05f20000000ull, 0), 0x7c00, fl, FPSR_OFC | FPSR_IXC);
    check_fp("fcvt h, d (1 + 2^-11 + 2^-40) single rounding", fcvt(D2H, 0x3ff0020000010000ull, 0), 0x3c01, fl, FPSR_IXC);
    check_fp("fcvt d, h -2", fcvt(H2D, 0xc000, 0), 0xc000000000000000ull, fl, 0);
    check_fp("fcvt d, h qNaN", fcvt(H2D, 0xfe01, 0), 0xfff8040000000000ull, fl, 0);
    check_fp("fcvtxn 1 + 2^-30: round to odd", fcvt(D2S_ODD, 0x3ff0000000400000ull, 0), 0x3f800001, fl, FPSR_IXC);
    check_fp("fcvtxn 1 + 2^-23 + 2^-30", fcvt(D2S_ODD, 0x3ff0000020400000ull, 0), 0x3f800001, fl, FPSR_IXC);
    check_fp("fcvtxn 1.5 exact", fcvt(D2S_ODD, 0x3ff8000000000000ull, 0), 0x3fc00000, fl, 0);
}

int main(void)
{
    printf("fp-conv: start at EL%d\n", (int)(boot_current_el >> 2));
    test_f2i();
    test_i2f();
    test_fcvt();
    test_done();
}
