/*
 * AdvSIMD floating point: vector fadd/fsub/fmul/fdiv/fmax/fminnm/fabd/
 * fmla/fmls/fsqrt/frintx/fabs/fneg/fcvtzs/fcvtzu/scvtf (incl. #fbits)/
 * fcmgt/fcmeq/fcmge #0 in 2s/4s/2d, faddp, fmaxnmv/fminv across lanes,
 * fcvtn/fcvtn2/fcvtl/fcvtl2/fcvtxn, frecpe/frsqrte estimates and the
 * frecps/frsqrts steps.  The model for every lane is the corresponding
 * scalar instruction (itself checked by fp-arith and fp-conv), and FPSR
 * must be the OR of the lanes' flags; the estimates are hand-worked.
 */
#include "simd.h"
#include "fp.h"

static const uint32_t sv[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40400000, 0x3eaaaaab,
    0x7f7fffff, 0xff7fffff, 0x00800000, 0x007fffff, 0x00000001, 0x7f800000, 0xff800000,
    0x7fc00123, 0x7f800456, 0x4f000000, 0xcf000001, 0x5f800000, 0x3effffff,
};
static const uint64_t dv[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3ff8000000000000ull, 0x4008000000000000ull, 0x3fd5555555555555ull, 0x7fefffffffffffffull,
    0x0010000000000000ull, 0x000fffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000123ull, 0x7ff0000000000456ull, 0x43e0000000000000ull, 0xc3e0000000000001ull,
};
#define NSV (int)(sizeof(sv) / sizeof(sv[0]))
#define NDV (int)(sizeof(dv) / sizeof(dv[0]))

enum { ADD, SUB, MUL, DIV, MAX, MINNM, ABD, FMLA, FMLS, SQRT, RINTX, ABS, NEG, CVTZS, CVTZU,
       SCVTF, CVTZS_FB, SCVTF_FB, CMGT, CMEQ, CMGE0, NOPS };

/* X(name, vector asm, scalar asm, op, es) ; vector: v0 = op(v1, v2) (v0 is
 * also the accumulator); scalar: x0 = op(x1, x2, x3 accumulator) on s/d. */
#define CASES(X) \
    X("fadd 4s", "fadd v0.4s, v1.4s, v2.4s", "fadd s0, s1, s2", ADD, 4) \
    X("fadd 2d", "fadd v0.2d, v1.2d, v2.2d", "fadd d0, d1, d2", ADD, 8) \
    X("fsub 2s", "fsub v0.2s, v1.2s, v2.2s", "fsub s0, s1, s2", SUB, 4) \
    X("fmul 4s", "fmul v0.4s, v1.4s, v2.4s", "fmul s0, s1, s2", MUL, 4) \
    X("fmul 2d", "fmul v0.2d, v1.2d, v2.2d", "fmul d0, d1, d2", MUL, 8) \
    X("fdiv 4s", "fdiv v0.4s, v1.4s, v2.4s", "fdiv s0, s1, s2", DIV, 4) \
    X("fdiv 2d", "fdiv v0.2d, v1.2d, v2.2d", "fdiv d0, d1, d2", DIV, 8) \
    X("fmax 4s", "fmax v0.4s, v1.4s, v2.4s", "fmax s0, s1, s2", MAX, 4) \
    X("fminnm 2d", "fminnm v0.2d, v1.2d, v2.2d", "fminnm d0, d1, d2", MINNM, 8) \
    X("fabd 4s", "fabd v0.4s, v1.4s, v2.4s", "fabd s0, s1, s2", ABD, 4) \
    X("fmla 4s", "fmla v0.4s, v1.4s, v2.4s", "fmadd s0, s1, s2, s3", FMLA, 4) \
    X("fmls 2d", "fmls v0.2d, v1.2d, v2.2d", "fmsub d0, d1, d2, d3", FMLS, 8) \
    X("fsqrt 4s", "fsqrt v0.4s, v1.4s", "fsqrt s0, s1", SQRT, 4) \
    X("frintx 2d", "frintx v0.2d, v1.2d", "frintx d0, d1", RINTX, 8) \
    X("fabs 4s", "fabs v0.4s, v1.4s", "fabs s0, s1", ABS, 4) \
    X("fneg 2d", "fneg v0.2d, v1.2d", "fneg d0, d1", NEG, 8) \
    X("fcvtzs 4s", "fcvtzs v0.4s, v1.4s", "fcvtzs s0, s1", CVTZS, 4) \
    X("fcvtzu 2d", "fcvtzu v0.2d, v1.2d", "fcvtzu d0, d1", CVTZU, 8) \
    X("scvtf 4s", "scvtf v0.4s, v1.4s", "scvtf s0, s1", SCVTF, 4) \
    X("fcvtzs 2d #10", "fcvtzs v0.2d, v1.2d, #10", "fcvtzs d0, d1, #10", CVTZS_FB, 8) \
    X("scvtf 4s #3", "scvtf v0.4s, v1.4s, #3", "scvtf s0, s1, #3", SCVTF_FB, 4) \
    X("fcmgt 4s", "fcmgt v0.4s, v1.4s, v2.4s", "fcmgt s0, s1, s2", CMGT, 4) \
    X("fcmeq 2d", "fcmeq v0.2d, v1.2d, v2.2d", "fcmeq d0, d1, d2", CMEQ, 8) \
    X("fcmge #0 4s", "fcmge v0.4s, v1.4s, #0.0", "fcmge s0, s1, #0.0", CMGE0, 4)

struct desc {
    const char *name;
    int op, es;
};
#define X_DESC(n, va, sa, op, es) { n, op, es },
static const struct desc descs[] = { CASES(X_DESC) };
#define NCASES (int)(sizeof(descs) / sizeof(descs[0]))

static vec vin1, vin2, vacc, vout;

static void run_vector(int k)
{
#define X_RUN(n, va, sa, op, es) case __COUNTER__ - first: \
    __asm__ volatile("ldr q0, [%0]\n\tldr q1, [%1]\n\tldr q2, [%2]\n\t" va "\n\tstr q0, [%3]" \
                     : : "r"(&vacc), "r"(&vin1), "r"(&vin2), "r"(&vout) : "v0", "v1", "v2", "memory"); break;
    enum { first = __COUNTER__ + 1 };
    switch (k) {
    CASES(X_RUN)
    }
#undef X_RUN
}

static uint64_t run_scalar(int k, uint64_t a, uint64_t b, uint64_t acc)
{
    uint64_t r = 0;
#define X_RUN(n, va, sa, op, es) case __COUNTER__ - first: \
    __asm__ volatile("fmov d1, %1\n\tfmov d2, %2\n\tfmov d3, %3\n\t" sa "\n\tfmov %0, d0" \
                     : "=r"(r) : "r"(a), "r"(b), "r"(acc) : "v0", "v1", "v2", "v3"); break;
    enum { first = __COUNTER__ + 1 };
    switch (k) {
    CASES(X_RUN)
    }
#undef X_RUN
    return r;
}

static void fill(vec *v, int es, int seed)
{
    int n = 16 / es;
    for (int i = 0; i < n; i++) {
        int j = (i * 7 + seed * 3 + seed / 5) % (es == 4 ? NSV : NDV);
        set_lane(v, es, i, es == 4 ? sv[j] : dv[j]);
    }
}

static int strlen_(const char *s)
{
    int n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

static void test_lanewise(void)
{
    static const uint64_t modes[] = { FPCR_RN, FPCR_RM, FPCR_FZ, FPCR_DN | FPCR_RZ };
    for (int k = 0; k < NCASES; k++) {
        const struct desc *c = &descs[k];
        int n = (c->name[strlen_(c->name) - 2] == '2' && c->es == 4) ? 2 : 16 / c->es;
        struct group g;
        grp_begin(&g, c->name);
        for (int m = 0; m < 4; m++) {
            for (int s = 0; s < 24; s++) {
                vec e;
                uint64_t vflags, eflags = 0;
                fill(&vin1, c->es, s);
                fill(&vin2, c->es, s * 5 + 2);
                fill(&vacc, c->es, s + 11);
                set_fpcr(modes[m]);
                clr_fpsr();
                run_vector(k);
                vflags = get_fpsr();
                vec_zero(&e);
                for (int i = 0; i < n; i++) {
                    clr_fpsr();
                    set_lane(&e, c->es, i, run_scalar(k, lane(&vin1, c->es, i), lane(&vin2, c->es, i),
                                                      lane(&vacc, c->es, i)) & (c->es == 4 ? 0xffffffffull : ~0ull));
                    eflags |= get_fpsr();
                }
                set_fpcr(0);
                grp_vec(&g, &vout, &e, (uint64_t)m, (uint64_t)s);
                grp_case(&g, vflags, eflags, (uint64_t)m, (uint64_t)s);
            }
        }
        grp_end(&g);
    }
}

static uint64_t s1(const char *which, uint64_t a, uint64_t b)
{
    /* scalar helpers for the reduction / pairwise / conversion models */
    uint64_t r = 0;
    if (which[0] == 'a') {
        __asm__ volatile("fmov s1, %w1\n\tfmov s2, %w2\n\tfadd s0, s1, s2\n\tfmov %w0, s0" : "=r"(r) : "r"(a), "r"(b) : "v0", "v1", "v2");
    } else if (which[0] == 'x') {
        __asm__ volatile("fmov s1, %w1\n\tfmov s2, %w2\n\tfmaxnm s0, s1, s2\n\tfmov %w0, s0" : "=r"(r) : "r"(a), "r"(b) : "v0", "v1", "v2");
    } else if (which[0] == 'm') {
        __asm__ volatile("fmov s1, %w1\n\tfmov s2, %w2\n\tfmin s0, s1, s2\n\tfmov %w0, s0" : "=r"(r) : "r"(a), "r"(b) : "v0", "v1", "v2");
    } else if (which[0] == 'n') {       /* d -> s */
        __asm__ volatile("fmov d1, %1\n\tfcvt s0, d1\n\tfmov %w0, s0" : "=r"(r) : "r"(a) : "v0", "v1");
    } else if (which[0] == 'o') {       /* d -> s, round to odd */
        __asm__ volatile("fmov d1, %1\n\tfcvtxn s0, d1\n\tfmov %w0, s0" : "=r"(r) : "r"(a) : "v0", "v1");
    } else if (which[0] == 'l') {       /* s -> d */
        __asm__ volatile("fmov s1, %w1\n\tfcvt d0, s1\n\tfmov %0, d0" : "=r"(r) : "r"(a) : "v0", "v1");
    } else if (which[0] == 'h') {       /* s -> h */
        __asm__ volatile("fmov s1, %w1\n\tfcvt h0, s1\n\tumov %w0, v0.h[0]" : "=r"(r) : "r"(a) : "v0", "v1");
    } else {                            /* h -> s */
        __asm__ volatile("mov v1.h[0], %w1\n\tfcvt s0, h1\n\tfmov %w0, s0" : "=r"(r) : "r"(a) : "v0", "v1");
    }
    return r;
}

#define VOP2(insn) __asm__ volatile("ldr q0, [%0]\n\tldr q1, [%1]\n\tldr q2, [%2]\n\t" insn "\n\tstr q0, [%0]" \
                                    : : "r"(&vout), "r"(&vin1), "r"(&vin2) : "v0", "v1", "v2", "memory")

static void test_pairwise_reduce_convert(void)
{
    struct group g;
    grp_begin(&g, "faddp 4s, faddp s, fmaxnmv, fminv, fcvtn/fcvtl/fcvtxn");
    for (int s = 0; s < 40; s++) {
        vec e;
        uint32_t a[4], b[4];
        fill(&vin1, 4, s);
        fill(&vin2, 4, s * 3 + 1);
        for (int i = 0; i < 4; i++) {
            a[i] = (uint32_t)lane(&vin1, 4, i);
            b[i] = (uint32_t)lane(&vin2, 4, i);
        }
        memset(&vout, 0x77, 16);
        VOP2("faddp v0.4s, v1.4s, v2.4s");
        vec_zero(&e);
        set_lane(&e, 4, 0, s1("a", a[0], a[1]));
        set_lane(&e, 4, 1, s1("a", a[2], a[3]));
        set_lane(&e, 4, 2, s1("a", b[0], b[1]));
        set_lane(&e, 4, 3, s1("a", b[2], b[3]));
        grp_vec(&g, &vout, &e, (uint64_t)s, 0);

        VOP2("faddp s0, v1.2s");
        vec_zero(&e);
        set_lane(&e, 4, 0, s1("a", a[0], a[1]));
        grp_vec(&g, &vout, &e, (uint64_t)s, 1);

        VOP2("fmaxnmv s0, v1.4s");
        vec_zero(&e);
        set_lane(&e, 4, 0, s1("x", s1("x", a[0], a[1]), s1("x", a[2], a[3])));
        grp_vec(&g, &vout, &e, (uint64_t)s, 2);

        VOP2("fminv s0, v1.4s");
        vec_zero(&e);
        set_lane(&e, 4, 0, s1("m", s1("m", a[0], a[1]), s1("m", a[2], a[3])));
        grp_vec(&g, &vout, &e, (uint64_t)s, 3);

        /* conversions */
        fill(&vin2, 8, s);
        vout = vin1;
        VOP2("fcvtn v0.2s, v2.2d");
        vec_zero(&e);
        set_lane(&e, 4, 0, s1("n", lane(&vin2, 8, 0), 0));
        set_lane(&e, 4, 1, s1("n", lane(&vin2, 8, 1), 0));
        grp_vec(&g, &vout, &e, (uint64_t)s, 4);
        vout = vin1;
        VOP2("fcvtn2 v0.4s, v2.2d");
        e = vin1;
        set_lane(&e, 4, 2, s1("n", lane(&vin2, 8, 0), 0));
        set_lane(&e, 4, 3, s1("n", lane(&vin2, 8, 1), 0));
        grp_vec(&g, &vout, &e, (uint64_t)s, 5);
        VOP2("fcvtxn v0.2s, v2.2d");
        vec_zero(&e);
        set_lane(&e, 4, 0, s1("o", lane(&vin2, 8, 0), 0));
        set_lane(&e, 4, 1, s1("o", lane(&vin2, 8, 1), 0));
        grp_vec(&g, &vout, &e, (uint64_t)s, 6);
        VOP2("fcvtl2 v0.2d, v1.4s");
        set_lane(&e, 8, 0, s1("l", a[2], 0));
        set_lane(&e, 8, 1, s1("l", a[3], 0));
        grp_vec(&g, &vout, &e, (uint64_t)s, 7);
        VOP2("fcvtn v0.4h, v1.4s");
        vec_zero(&e);
        for (int i = 0; i < 4; i++) {
            set_lane(&e, 2, i, s1("h", a[i], 0));
        }
        grp_vec(&g, &vout, &e, (uint64_t)s, 8);
        VOP2("fcvtl v0.4s, v2.4h");
        for (int i = 0; i < 4; i++) {
            set_lane(&e, 4, i, s1("s", lane(&vin2, 2, i), 0));
        }
        grp_vec(&g, &vout, &e, (uint64_t)s, 9);
    }
    grp_end(&g);
}

static void test_estimates(void)
{
    vec e;
    uint64_t fl;
    set_lane(&vin1, 4, 0, 0x3f800000);      /* 1.0 */
    set_lane(&vin1, 4, 1, 0x40000000);      /* 2.0 */
    set_lane(&vin1, 4, 2, 0x00000000);      /* +0 */
    set_lane(&vin1, 4, 3, 0xff800000);      /* -inf */
    clr_fpsr();
    VOP2("frecpe v0.4s, v1.4s");
    fl = get_fpsr();
    set_lane(&e, 4, 0, 0x3f7f8000);         /* 511/512 */
    set_lane(&e, 4, 1, 0x3eff8000);
    set_lane(&e, 4, 2, 0x7f800000);         /* 1/+0 = +inf, DZC */
    set_lane(&e, 4, 3, 0x80000000);         /* 1/-inf = -0 */
    check_vec("frecpe 1, 2, +0, -inf", &vout, &e);
    check("frecpe flags: DZC", fl, FPSR_DZC);

    set_lane(&vin1, 4, 0, 0x3f800000);      /* 1.0 */
    set_lane(&vin1, 4, 1, 0x40800000);      /* 4.0 */
    set_lane(&vin1, 4, 2, 0xbf800000);      /* -1.0 */
    set_lane(&vin1, 4, 3, 0x80000000);      /* -0 */
    clr_fpsr();
    VOP2("frsqrte v0.4s, v1.4s");
    fl = get_fpsr();
    set_lane(&e, 4, 0, 0x3f7f8000);
    set_lane(&e, 4, 1, 0x3eff8000);
    set_lane(&e, 4, 2, 0x7fc00000);         /* default NaN, IOC */
    set_lane(&e, 4, 3, 0xff800000);         /* -inf, DZC */
    check_vec("frsqrte 1, 4, -1, -0", &vout, &e);
    check("frsqrte flags: IOC|DZC", fl, FPSR_IOC | FPSR_DZC);

    set_lane(&vin1, 4, 0, 0x3fc00000);      /* 1.5 */
    set_lane(&vin1, 4, 1, 0x7f800000);      /* inf */
    set_lane(&vin1, 4, 2, 0x40000000);      /* 2 */
    set_lane(&vin1, 4, 3, 0x00000000);      /* 0 */
    set_lane(&vin2, 4, 0, 0x3f000000);      /* 0.5 */
    set_lane(&vin2, 4, 1, 0x00000000);      /* 0 */
    set_lane(&vin2, 4, 2, 0x40400000);      /* 3 */
    set_lane(&vin2, 4, 3, 0xff800000);      /* -inf */
    clr_fpsr();
    VOP2("frecps v0.4s, v1.4s, v2.4s");
    fl = get_fpsr();
    set_lane(&e, 4, 0, 0x3fa00000);         /* 2 - 0.75 = 1.25 */
    set_lane(&e, 4, 1, 0x40000000);         /* inf * 0: 2.0, no IOC */
    set_lane(&e, 4, 2, 0xc0800000);         /* 2 - 6 = -4 */
    set_lane(&e, 4, 3, 0x40000000);         /* 0 * -inf: 2.0 */
    check_vec("frecps", &vout, &e);
    check("frecps flags: none", fl, 0);
    clr_fpsr();
    VOP2("frsqrts v0.4s, v1.4s, v2.4s");
    fl = get_fpsr();
    set_lane(&e, 4, 0, 0x3f900000);         /* (3 - 0.75) / 2 = 1.125 */
    set_lane(&e, 4, 1, 0x3fc00000);         /* inf * 0: 1.5 */
    set_lane(&e, 4, 2, 0xbfc00000);         /* (3 - 6) / 2 = -1.5 */
    set_lane(&e, 4, 3, 0x3fc00000);
    check_vec("frsqrts", &vout, &e);
    check("frsqrts flags: none", fl, 0);
}

int main(void)
{
    printf("simd-fp: start at EL%d\n", (int)(boot_current_el >> 2));
    set_fpcr(0);
    test_lanewise();
    test_pairwise_reduce_convert();
    test_estimates();
    test_done();
}
