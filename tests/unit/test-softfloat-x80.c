/*
 * fpu/softfloat-x80.c against the host's x87 FPU (this needs an x86-64
 * host; elsewhere every case is skipped): each operation runs on both with
 * the same operands, in every rounding mode and (for the operations it
 * affects) every precision, with all exceptions masked, and the result bits,
 * IE, DE, ZE, OE, UE, PE and C1 must match exactly.  Operands are biased to
 * what breaks x87 code: zeros, denormals, pseudo-denormals, extreme
 * exponents, significands with few bits or all ones (exact, halfway and
 * carrying results), near-cancellation, infinities, quiet and signalling
 * NaNs and the unsupported encodings (unnormals, pseudo-infinities and
 * pseudo-NaNs).
 *
 * TEST_SOFTFLOAT_N=count: random cases per operation and mode (default
 * 20000); TEST_SOFTFLOAT_SEED=n: another fixed operand sequence.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "fpu/softfloat.h"

static int ncases = 20000;

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x;
}

/* a significand pattern: random, sparse, all ones, halfway for a precision */
static uint64_t gen_sig(void)
{
    static const int prec[] = { 24, 53, 64 };
    uint64_t f;

    switch (rnd() % 8) {
    case 0:
        return ~0ull << (rnd() % 64);                   /* ones then zeros */
    case 1:
        return (1ull << 63) | (1ull << (rnd() % 63));   /* sparse */
    case 2: {
        int p = prec[rnd() % 3];                        /* halfway at p bits */
        f = (rnd() | 1ull << 63) & (~0ull << (64 - p));
        return p == 64 ? f : f | 1ull << (63 - p);
    }
    case 3: {
        int p = prec[rnd() % 3];                        /* just around halfway */
        f = (rnd() | 1ull << 63) & (~0ull << (64 - p));
        return p == 64 ? f : f | ((1ull << (63 - p)) + (rnd() % 3) - 1);
    }
    case 4:
        return ~0ull >> (rnd() % 3);
    default:
        return rnd() | 1ull << 63;
    }
}

/*
 * A random floatx80, biased towards specials and extremes; near: an
 * operand to be close to (cancellation), or NULL.
 */
static floatx80 gen(const floatx80 *near)
{
    uint16_t sign = (rnd() & 1) << 15;
    uint32_t e;

    switch (rnd() % 20) {
    case 0:
        return make_floatx80(sign, 0);                            /* zero */
    case 1:
        return make_floatx80(sign | 0x7fff, 1ull << 63);          /* inf */
    case 2:                                                       /* qNaN */
        return make_floatx80(sign | 0x7fff, 3ull << 62 | (rnd() >> (rnd() % 64)));
    case 3:                                                       /* sNaN */
        return make_floatx80(sign | 0x7fff,
                             1ull << 63 | ((rnd() >> 2) >> (rnd() % 62)) | 1);
    case 4:                                                       /* denormal */
        return make_floatx80(sign, (rnd() >> 1) >> (rnd() % 63));
    case 5:                                                       /* pseudo-denormal */
        return make_floatx80(sign, gen_sig());
    case 6:                                     /* unnormal, pseudo-inf/NaN */
        switch (rnd() % 3) {
        case 0:
            return make_floatx80(sign | (1 + rnd() % 0x7ffe), rnd() >> 1);
        case 1:
            return make_floatx80(sign | 0x7fff, 0);
        default:
            return make_floatx80(sign | 0x7fff, (rnd() >> 1) | 1);
        }
    case 7: case 8:                                   /* near overflow */
        e = 0x7ffe - rnd() % 70;
        break;
    case 9: case 10:                                  /* near underflow */
        e = 1 + rnd() % 70;
        break;
    case 11: case 12:
        if (near) {
            e = (near->high & 0x7fff) + (int)(rnd() % 5) - 2;
            if (e == 0 || e >= 0x7fff) {
                e = near->high & 0x7fff;
            }
            if (rnd() & 1) {
                /* same significand, maybe a few ulps away */
                return make_floatx80((e & 0x7fff) | (rnd() & 1 ? sign : (near->high & 0x8000)),
                                     near->low + (rnd() % 5) - 2);
            }
            break;
        }
        /* fall through */
    case 13: case 14:
        e = 0x3fff + (int)(rnd() % 160) - 80;         /* ordinary numbers */
        break;
    default:
        e = 1 + rnd() % 0x7ffe;
        break;
    }
    return make_floatx80(sign | e, gen_sig());
}

/* ---- the host x87 ------------------------------------------------------- */

#if defined(__x86_64__)
#define HAVE_HOST_X87 1

/* status word bits compared: IE DE ZE OE UE PE, and C1 */
#define SW_MASK 0x023f

static uint16_t host_cw(int rc, int pc)
{
    static const uint16_t pc_bits[] = {
        [floatx80_precision_x] = 3, [floatx80_precision_d] = 2,
        [floatx80_precision_s] = 0,
    };

    /* all exceptions masked; RC is the x87 encoding: RN, down, up, zero */
    return 0x3f | pc_bits[pc] << 8 | rc << 10;
}

/* our flags as a status word */
static uint16_t flags_to_sw(int f)
{
    return (f & float_flag_invalid ? 0x01 : 0) |
           (f & float_flag_denormal_operand ? 0x02 : 0) |
           (f & float_flag_divbyzero ? 0x04 : 0) |
           (f & float_flag_overflow ? 0x08 : 0) |
           (f & float_flag_underflow ? 0x10 : 0) |
           (f & float_flag_inexact ? 0x20 : 0) |
           (f & float_flag_rounded_up ? 0x200 : 0);
}

/* st0 = a, st1 = b; INSN; status word (before the store); st0 */
#define HOST_OP2(name, insn)                                                  \
static uint16_t host_##name(floatx80 a, floatx80 b, uint16_t cw,             \
                            floatx80 *r)                                      \
{                                                                             \
    uint16_t sw;                                                              \
    floatx80 out = { 0 };                                                     \
                                                                              \
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t"    \
                     insn "\n\tfnstsw %[sw]\n\tfstpt %[r]\n\tfninit"          \
                     : [sw] "=m"(sw), [r] "=m"(out)                           \
                     : [a] "m"(a), [b] "m"(b), [cw] "m"(cw)                    \
                     : "memory");                                             \
    *r = out;                                                                 \
    return sw;                                                                \
}

HOST_OP2(add, "fadd %%st(1), %%st")
HOST_OP2(sub, "fsub %%st(1), %%st")
HOST_OP2(mul, "fmul %%st(1), %%st")
HOST_OP2(div, "fdiv %%st(1), %%st")
HOST_OP2(sqrt, "fsqrt")
HOST_OP2(rndint, "frndint")
HOST_OP2(scale, "fscale")
HOST_OP2(prem, "fprem")
HOST_OP2(prem1, "fprem1")
HOST_OP2(com, "fcom %%st(1)")
HOST_OP2(ucom, "fucom %%st(1)")

/* a to memory in another format: the status word and the stored bits */
#define HOST_STORE(name, type, insn)                                          \
static uint16_t host_##name(floatx80 a, uint16_t cw, type *r)                 \
{                                                                             \
    uint16_t sw;                                                              \
    type out = 0;                                                             \
                                                                              \
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" insn " %[r]\n\t" \
                     "fnstsw %[sw]\n\tfninit"                                 \
                     : [sw] "=m"(sw), [r] "=m"(out)                           \
                     : [a] "m"(a), [cw] "m"(cw) : "memory");                   \
    *r = out;                                                                 \
    return sw;                                                                \
}

HOST_STORE(fst32, uint32_t, "fsts")
HOST_STORE(fst64, uint64_t, "fstl")
HOST_STORE(fist16, int16_t, "fists")
HOST_STORE(fist32, int32_t, "fistl")
HOST_STORE(fist64, int64_t, "fistpll")
HOST_STORE(fisttp16, int16_t, "fisttps")
HOST_STORE(fisttp32, int32_t, "fisttpl")
HOST_STORE(fisttp64, int64_t, "fisttpll")

#define HOST_LOAD(name, type, insn)                                           \
static uint16_t host_##name(type a, uint16_t cw, floatx80 *r)                 \
{                                                                             \
    uint16_t sw;                                                              \
    floatx80 out = { 0 };                                                     \
                                                                              \
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\t" insn " %[a]\n\t"             \
                     "fnstsw %[sw]\n\tfstpt %[r]\n\tfninit"                   \
                     : [sw] "=m"(sw), [r] "=m"(out)                           \
                     : [a] "m"(a), [cw] "m"(cw) : "memory");                   \
    *r = out;                                                                 \
    return sw;                                                                \
}

HOST_LOAD(fld32, uint32_t, "flds")
HOST_LOAD(fld64, uint64_t, "fldl")
HOST_LOAD(fild32, int32_t, "fildl")
HOST_LOAD(fild64, int64_t, "fildll")
#endif

#ifdef HAVE_HOST_X87

static const char *const rc_names[] = { "rn", "down", "up", "zero" };
static const char *const pc_names[] = { "80", "64", "32" };

static void setup_status(float_status *s, int rc, int pc)
{
    static const FloatRoundMode modes[] = {
        float_round_nearest_even, float_round_down, float_round_up,
        float_round_to_zero,
    };

    float_status_init_x86(s);
    s->rounding_mode = modes[rc];
    s->floatx80_rounding_precision = pc;
}

static bool x80_same(floatx80 a, floatx80 b)
{
    return a.low == b.low && a.high == b.high;
}

static int failures;

static void report(const char *op, int rc, int pc, floatx80 a, floatx80 b,
                   uint64_t got, uint16_t got_sw, uint64_t want,
                   uint16_t want_sw, int got_hi, int want_hi)
{
    if (++failures <= 20) {
        fprintf(stderr, "%s %s pc%s: a=%04x:%016" PRIx64 " b=%04x:%016" PRIx64
                " -> got %04x:%016" PRIx64 " sw %03x, host %04x:%016" PRIx64
                " sw %03x\n", op, rc_names[rc], pc_names[pc], a.high, a.low,
                b.high, b.low, got_hi, got, got_sw, want_hi, want, want_sw);
    }
}

/* ---- arithmetic (two operands, or one in st0) ---------------------------- */

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_RNDINT, OP_SCALE,
       OP_PREM, OP_PREM1, N_ARITH };

static const char *const arith_names[N_ARITH] = {
    "add", "sub", "mul", "div", "sqrt", "rndint", "scale", "prem", "prem1",
};

static uint16_t run_ours(int op, floatx80 a, floatx80 b, float_status *s,
                         floatx80 *r)
{
    uint64_t q = 0;
    bool incomplete = false;
    uint16_t cc = 0;

    s->flags = 0;
    switch (op) {
    case OP_ADD:    *r = floatx80_add(a, b, s); break;
    case OP_SUB:    *r = floatx80_sub(a, b, s); break;
    case OP_MUL:    *r = floatx80_mul(a, b, s); break;
    case OP_DIV:    *r = floatx80_div(a, b, s); break;
    case OP_SQRT:   *r = floatx80_sqrt(a, s); break;
    case OP_RNDINT: *r = floatx80_round_to_int(a, s); break;
    case OP_SCALE:  *r = floatx80_scale(a, b, s); break;
    default:
        *r = floatx80_prem(a, b, op == OP_PREM1, &q, &incomplete, s);
        /* C2 = incomplete, else C0 C3 C1 = q2 q1 q0 */
        if (incomplete) {
            cc = 0x400;
        } else if (!(s->flags & float_flag_invalid)) {
            cc = (q & 4 ? 0x100 : 0) | (q & 2 ? 0x4000 : 0) | (q & 1 ? 0x200 : 0);
        }
        return flags_to_sw(s->flags & ~float_flag_rounded_up) | cc;
    }
    return flags_to_sw(s->flags);
}

static uint16_t run_host(int op, floatx80 a, floatx80 b, uint16_t cw,
                         floatx80 *r)
{
    switch (op) {
    case OP_ADD:    return host_add(a, b, cw, r);
    case OP_SUB:    return host_sub(a, b, cw, r);
    case OP_MUL:    return host_mul(a, b, cw, r);
    case OP_DIV:    return host_div(a, b, cw, r);
    case OP_SQRT:   return host_sqrt(a, b, cw, r);
    case OP_RNDINT: return host_rndint(a, b, cw, r);
    case OP_SCALE:  return host_scale(a, b, cw, r);
    case OP_PREM:   return host_prem(a, b, cw, r);
    default:        return host_prem1(a, b, cw, r);
    }
}

static void check_arith(int op, floatx80 a, floatx80 b, int rc, int pc)
{
    float_status s;
    floatx80 want, got;
    uint16_t sw_mask = op >= OP_PREM ? 0x4700 | 0x3f : SW_MASK;
    uint16_t want_sw, got_sw;

    setup_status(&s, rc, pc);
    want_sw = run_host(op, a, b, host_cw(rc, pc), &want) & sw_mask;
    got_sw = run_ours(op, a, b, &s, &got) & sw_mask;
    if (!x80_same(got, want) || got_sw != want_sw) {
        report(arith_names[op], rc, pc, a, b, got.low, got_sw, want.low,
               want_sw, got.high, want.high);
    }
}

/* a few operands for one operation: cancellation for add/sub, b near 1 for
 * scale (a small count), b close to a for prem */
static void gen_pair(int op, floatx80 *a, floatx80 *b)
{
    *a = gen(NULL);
    switch (op) {
    case OP_ADD:
    case OP_SUB:
    case OP_PREM:
    case OP_PREM1:
        *b = gen(rnd() & 1 ? a : NULL);
        break;
    case OP_SCALE:
        if (rnd() % 4) {
            /* a count of up to +-2^16 */
            *b = make_floatx80((rnd() & 0x8000) | (0x3fff + rnd() % 17),
                               rnd() | 1ull << 63);
        } else {
            *b = gen(NULL);
        }
        break;
    default:
        *b = gen(NULL);
        break;
    }
}

static void test_arith(gconstpointer data)
{
    int op = GPOINTER_TO_INT(data);
    /* PC matters for add, sub, mul, div and sqrt only */
    int npc = op <= OP_SQRT ? 3 : 1;
    int rc, pc, i;

    failures = 0;
    for (rc = 0; rc < 4; rc++) {
        for (pc = 0; pc < npc; pc++) {
            for (i = 0; i < ncases; i++) {
                floatx80 a, b;

                gen_pair(op, &a, &b);
                check_arith(op, a, b, rc, pc);
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

/* every pair of a grid of special and boundary operands */
static void test_arith_grid(gconstpointer data)
{
    static const floatx80 grid[] = {
        { 0, 0 }, { 0, 0x8000 },
        { 1ull << 63, 0x3fff }, { 1ull << 63, 0xbfff },         /* +-1 */
        { 3ull << 62, 0x4000 },                                 /* 3 */
        { 1ull << 63, 0x7fff }, { 1ull << 63, 0xffff },         /* +-inf */
        { 3ull << 62, 0x7fff }, { 0xc000000000000001ull, 0xffff }, /* qNaN */
        { 0xa000000000000000ull, 0x7fff }, { 0x8000000000000001ull, 0xffff },
        { 1, 0 }, { 0x7fffffffffffffffull, 0x8000 },            /* denormals */
        { 1ull << 63, 0 }, { ~0ull, 0x8000 },                   /* pseudo-denormals */
        { 1ull << 63, 1 }, { ~0ull, 0x7ffe }, { ~0ull, 0xfffe },  /* min, max */
        { 0x4000000000000000ull, 0x3fff },                      /* unnormal */
        { 0, 0x7fff }, { 0x4000000000000000ull, 0xffff },       /* pseudo-inf/NaN */
        { 0, 0x3fff },                                          /* unnormal zero */
        { 0xffffff8000000000ull, 0x3ffe }, { 0xfffffffffffff800ull, 0x3ffe },
        { 0x8000008000000000ull, 0x3fff }, { 0x8000000000000400ull, 0xbfff },
        { 1ull << 63, 0x401e }, { 1ull << 63, 0xc00d },         /* 2^31, -2^14 */
        { 0x9000000000000000ull, 0x4002 },                      /* 9 */
        { 0xfffffffe00000001ull, 0x403e },                      /* (2^32-1)^2 */
        { ~0ull, 0x403e }, { ~0ull, 0x403d },                   /* 2^64-1 */
    };
    int op = GPOINTER_TO_INT(data);
    int npc = op <= OP_SQRT ? 3 : 1;
    size_t i, j;
    int rc, pc;

    failures = 0;
    for (rc = 0; rc < 4; rc++) {
        for (pc = 0; pc < npc; pc++) {
            for (i = 0; i < G_N_ELEMENTS(grid); i++) {
                for (j = 0; j < G_N_ELEMENTS(grid); j++) {
                    check_arith(op, grid[i], grid[j], rc, pc);
                }
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

/* ---- compare ----------------------------------------------------------- */

static void test_compare(void)
{
    float_status s;
    int i, quiet;

    failures = 0;
    setup_status(&s, 0, 0);
    for (i = 0; i < ncases * 4; i++) {
        floatx80 a = gen(NULL), b = gen(rnd() & 1 ? &a : NULL), dummy;

        if (rnd() % 8 == 0) {
            b = a;
        }
        for (quiet = 0; quiet < 2; quiet++) {
            uint16_t want = (quiet ? host_ucom(a, b, 0x37f, &dummy)
                                   : host_com(a, b, 0x37f, &dummy)) & 0x453f;
            FloatRelation r;
            uint16_t got;

            s.flags = 0;
            r = quiet ? floatx80_compare_quiet(a, b, &s) : floatx80_compare(a, b, &s);
            got = flags_to_sw(s.flags) | (r == float_relation_less ? 0x100
                  : r == float_relation_equal ? 0x4000
                  : r == float_relation_unordered ? 0x4500 : 0);
            if (got != want) {
                report(quiet ? "fucom" : "fcom", 0, 0, a, b, r, got, 0, want, 0, 0);
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

/* ---- conversions -------------------------------------------------------- */

static void test_to_float(void)
{
    float_status s;
    int i, rc;

    failures = 0;
    for (rc = 0; rc < 4; rc++) {
        setup_status(&s, rc, 0);
        for (i = 0; i < ncases * 2; i++) {
            floatx80 a = gen(NULL);
            uint32_t w32, g32;
            uint64_t w64, g64;
            uint16_t wsw, gsw;

            /* values in range of float32/float64 more often */
            if (rnd() & 1 && !((a.high & 0x7fff) == 0x7fff)) {
                int32_t e = (rnd() & 1) ? 0x3fff - 126 - (int)(rnd() % 30)
                                        : 0x3fff - 1022 - (int)(rnd() % 60);
                e += (rnd() % 3 == 0) ? (rnd() & 1 ? 254 : 2046) : 0;
                a.high = (a.high & 0x8000) | (e & 0x7fff);
            }
            wsw = host_fst32(a, host_cw(rc, 0), &w32) & SW_MASK;
            s.flags = 0;
            g32 = floatx80_to_float32(a, &s);
            gsw = flags_to_sw(s.flags);
            if (g32 != w32 || gsw != wsw) {
                report("fst32", rc, 0, a, a, g32, gsw, w32, wsw, 0, 0);
            }
            wsw = host_fst64(a, host_cw(rc, 0), &w64) & SW_MASK;
            s.flags = 0;
            g64 = floatx80_to_float64(a, &s);
            gsw = flags_to_sw(s.flags);
            if (g64 != w64 || gsw != wsw) {
                report("fst64", rc, 0, a, a, g64, gsw, w64, wsw, 0, 0);
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

static void test_to_int(void)
{
    float_status s;
    int i, rc;

    failures = 0;
    for (rc = 0; rc < 4; rc++) {
        setup_status(&s, rc, 0);
        for (i = 0; i < ncases * 2; i++) {
            floatx80 a = gen(NULL);
            int16_t w16;
            int32_t w32;
            int64_t w64, g;
            uint16_t wsw, gsw;
            int k;

            /* integers of every width, around the limits */
            if (rnd() & 1 && (a.high & 0x7fff) != 0x7fff && (a.high & 0x7fff)) {
                a.high = (a.high & 0x8000) | (0x3fff + rnd() % 66 - 2);
            }
            for (k = 0; k < 6; k++) {
                const char *name;

                s.flags = 0;
                switch (k) {
                case 0:
                    wsw = host_fist16(a, host_cw(rc, 0), &w16);
                    w64 = w16;
                    g = floatx80_to_int16(a, &s);
                    name = "fist16";
                    break;
                case 1:
                    wsw = host_fist32(a, host_cw(rc, 0), &w32);
                    w64 = w32;
                    g = floatx80_to_int32(a, &s);
                    name = "fist32";
                    break;
                case 2:
                    wsw = host_fist64(a, host_cw(rc, 0), &w64);
                    g = floatx80_to_int64(a, &s);
                    name = "fist64";
                    break;
                case 3:
                    wsw = host_fisttp16(a, host_cw(rc, 0), &w16);
                    w64 = w16;
                    g = floatx80_to_int16_round_to_zero(a, &s);
                    name = "fisttp16";
                    break;
                case 4:
                    wsw = host_fisttp32(a, host_cw(rc, 0), &w32);
                    w64 = w32;
                    g = floatx80_to_int32_round_to_zero(a, &s);
                    name = "fisttp32";
                    break;
                default:
                    wsw = host_fisttp64(a, host_cw(rc, 0), &w64);
                    g = floatx80_to_int64_round_to_zero(a, &s);
                    name = "fisttp64";
                    break;
                }
                wsw &= SW_MASK;
                gsw = flags_to_sw(s.flags);
                if (g != w64 || gsw != wsw) {
                    report(name, rc, 0, a, a, g, gsw, w64, wsw, 0, 0);
                }
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

static uint32_t gen32(void)
{
    floatx80 x = gen(NULL);

    switch (rnd() % 4) {
    case 0:
        return rnd() >> (rnd() % 64);
    default: {
        float_status s;
        float_status_init_x86(&s);
        return floatx80_to_float32(x, &s) ^ (rnd() % 4 == 0 ? (uint32_t)rnd() & 0xff : 0);
    }
    }
}

static uint64_t gen64(void)
{
    floatx80 x = gen(NULL);

    switch (rnd() % 4) {
    case 0:
        return rnd() >> (rnd() % 64);
    default: {
        float_status s;
        float_status_init_x86(&s);
        return floatx80_to_float64(x, &s) ^ (rnd() % 4 == 0 ? rnd() & 0xff : 0);
    }
    }
}

static void test_from(void)
{
    float_status s;
    floatx80 want, got;
    uint16_t wsw, gsw;
    int i;

    failures = 0;
    setup_status(&s, 0, 0);
    for (i = 0; i < ncases * 2; i++) {
        uint32_t f32 = gen32();
        uint64_t f64 = gen64();
        int32_t i32 = (int32_t)(rnd() >> (rnd() % 64));
        int64_t i64 = (int64_t)(rnd() >> (rnd() % 64)) * (rnd() & 1 ? 1 : -1);

        if (rnd() % 16 == 0) {
            i32 = INT32_MIN;
            i64 = INT64_MIN;
        }
        wsw = host_fld32(f32, 0x37f, &want) & SW_MASK;
        s.flags = 0;
        got = float32_to_floatx80(f32, &s);
        gsw = flags_to_sw(s.flags);
        if (!x80_same(got, want) || gsw != wsw) {
            report("fld32", 0, 0, make_floatx80(0, f32), want, got.low, gsw,
                   want.low, wsw, got.high, want.high);
        }
        wsw = host_fld64(f64, 0x37f, &want) & SW_MASK;
        s.flags = 0;
        got = float64_to_floatx80(f64, &s);
        gsw = flags_to_sw(s.flags);
        if (!x80_same(got, want) || gsw != wsw) {
            report("fld64", 0, 0, make_floatx80(0, f64), want, got.low, gsw,
                   want.low, wsw, got.high, want.high);
        }
        wsw = host_fild32(i32, 0x37f, &want) & SW_MASK;
        s.flags = 0;
        got = int32_to_floatx80(i32, &s);
        gsw = flags_to_sw(s.flags);
        if (!x80_same(got, want) || gsw != wsw) {
            report("fild32", 0, 0, want, want, got.low, gsw, want.low, wsw,
                   got.high, want.high);
        }
        wsw = host_fild64(i64, 0x37f, &want) & SW_MASK;
        s.flags = 0;
        got = int64_to_floatx80(i64, &s);
        gsw = flags_to_sw(s.flags);
        if (!x80_same(got, want) || gsw != wsw) {
            report("fild64", 0, 0, want, want, got.low, gsw, want.low, wsw,
                   got.high, want.high);
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

/* the complete remainders iterate FPREM/FPREM1 */
static void test_rem_complete(void)
{
    float_status s;
    int i;

    failures = 0;
    setup_status(&s, 0, 0);
    for (i = 0; i < ncases; i++) {
        floatx80 a = gen(NULL), b = gen(rnd() & 1 ? &a : NULL);
        floatx80 want, got, x;
        uint16_t sw;
        int ieee, k;

        for (ieee = 0; ieee < 2; ieee++) {
            x = a;
            for (k = 0; k < 4000; k++) {
                sw = ieee ? host_prem1(x, b, 0x37f, &want)
                          : host_prem(x, b, 0x37f, &want);
                x = want;
                if (!(sw & 0x400)) {
                    break;
                }
            }
            s.flags = 0;
            got = ieee ? floatx80_rem(a, b, &s) : floatx80_mod(a, b, &s);
            if (!x80_same(got, want)) {
                report(ieee ? "rem" : "mod", 0, 0, a, b, got.low, 0, want.low,
                       0, got.high, want.high);
            }
        }
    }
    g_assert_cmpint(failures, ==, 0);
}

#else

static void test_skip(void)
{
    g_test_skip("floatx80 is compared with the host x87: x86-64 hosts only");
}

#endif /* HAVE_HOST_X87 */

int main(int argc, char **argv)
{
    const char *n = getenv("TEST_SOFTFLOAT_N"), *seed = getenv("TEST_SOFTFLOAT_SEED");

    g_test_init(&argc, &argv, NULL);
    if (n) {
        ncases = atoi(n);
    }
    if (seed) {
        rng_state ^= strtoull(seed, NULL, 0) * 0x9e3779b97f4a7c15ull;
        rng_state |= 1;
    }
#ifdef HAVE_HOST_X87
    for (int op = 0; op < N_ARITH; op++) {
        char *p = g_strdup_printf("/softfloat-x80/host/%s", arith_names[op]);
        char *q = g_strdup_printf("/softfloat-x80/grid/%s", arith_names[op]);

        g_test_add_data_func(p, GINT_TO_POINTER(op), test_arith);
        g_test_add_data_func(q, GINT_TO_POINTER(op), test_arith_grid);
        g_free(p);
        g_free(q);
    }
    g_test_add_func("/softfloat-x80/host/compare", test_compare);
    g_test_add_func("/softfloat-x80/host/to-float", test_to_float);
    g_test_add_func("/softfloat-x80/host/to-int", test_to_int);
    g_test_add_func("/softfloat-x80/host/from", test_from);
    g_test_add_func("/softfloat-x80/host/rem-complete", test_rem_complete);
#else
    g_test_add_func("/softfloat-x80/host", test_skip);
#endif
    return g_test_run();
}
