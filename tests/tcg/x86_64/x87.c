/*
 * x87: arithmetic in every operand form, precision and rounding control,
 * integer and BCD conversions, comparisons (C0-C3 and FCOMI's EFLAGS),
 * FXAM classes, stack overflow/underflow, FPREM quotient bits, FSCALE,
 * FXTRACT, constants by rounding mode, FSTENV/FSAVE/FRSTOR, and an
 * unmasked divide-by-zero reported as #MF by the next instruction.
 * Transcendental results are checked to a few ulps (QEMU's are not the
 * hardware's bit for bit; the differential tester checks Turtle's).
 */
#include "lib.h"

/* every asm block leaves the x87 stack to the compiler as it found it */
#define X87_CLOBBERS "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", \
    "st(6)", "st(7)"

typedef struct { uint64_t m; uint16_t e; } __attribute__((packed)) F80;

static uint16_t fsw(void)
{
    uint16_t v;
    __asm__ volatile("fnstsw %0" : "=m"(v) : : X87_CLOBBERS);
    return v;
}

static void fldcw(uint16_t cw)
{
    __asm__ volatile("fldcw %0" : : "m"(cw) : X87_CLOBBERS);
}

static Hash h;

static void hf80(const F80 *f)
{
    hash_add(&h, f->m);
    hash_add(&h, f->e);
}

static const double dv[] = {
    0.0, -0.0, 1.0, -1.5, 3.0, 1e-300, 1e300, 0.1, -7.25, 12345.678,
    1.0 / 3.0, 2.5, -2.5, 65535.5, 4294967296.0,
};
#define ND (sizeof(dv) / sizeof(dv[0]))

int main(void)
{
    F80 r;
    uint16_t sw;

    printf("x87\n");
    __asm__ volatile("fninit" : : : X87_CLOBBERS);

    /* FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR in their forms */
    hash_init(&h);
    for (unsigned i = 0; i < ND; i++) {
        for (unsigned j = 0; j < ND; j++) {
            double a = dv[i], b = dv[j];
            F80 out[8];
            uint16_t s[8];

            __asm__ volatile(
                "fninit\n"
                "fldl %[a]; faddl %[b]; fstpt 0(%[o]); fnstsw 0(%[s])\n"
                "fldl %[a]; fsubl %[b]; fstpt 10(%[o]); fnstsw 2(%[s])\n"
                "fldl %[a]; fsubrl %[b]; fstpt 20(%[o]); fnstsw 4(%[s])\n"
                "fldl %[a]; fmull %[b]; fstpt 30(%[o]); fnstsw 6(%[s])\n"
                "fnclex; fldl %[a]; fdivl %[b]; fstpt 40(%[o]); fnstsw 8(%[s])\n"
                "fnclex; fldl %[b]; fldl %[a]; fdivr %%st(1), %%st; fstpt 50(%[o]);"
                " fnstsw 10(%[s]); fstp %%st\n"
                "fnclex; fldl %[a]; fldl %[b]; fsubrp %%st, %%st(1); fstpt 60(%[o]);"
                " fnstsw 12(%[s])\n"
                "fnclex; fldl %[a]; fldl %[b]; fdivp %%st, %%st(1); fstpt 70(%[o]);"
                " fnstsw 14(%[s])\n"
                : : [a] "m"(a), [b] "m"(b), [o] "r"(out), [s] "r"(s)
                : "memory", X87_CLOBBERS);
            for (int k = 0; k < 8; k++) {
                hf80(&out[k]);
                hash_add(&h, s[k] & 0x3f);
            }
        }
    }
    hash_print(&h, "arith double operands");
    check_eq(h.n, ND * ND * 8 * 3, "arith: all cases run");

    /* precision control: 1/3 to 24, 53 and 64 bits */
    {
        static const uint16_t pc[3] = { 0x007f, 0x027f, 0x037f };
        static const uint64_t want[3] = {
            0xaaaaab0000000000ull, 0xaaaaaaaaaaaaa800ull,
            0xaaaaaaaaaaaaaaabull };
        for (int i = 0; i < 3; i++) {
            fldcw(pc[i]);
            __asm__ volatile("fld1; fld1; fadd %%st(0), %%st; fadd %%st(1), %%st;"
                             "fdivrp; fstpt %0" : "=m"(r) : : X87_CLOBBERS);
            check_eq(r.m, want[i], "1/3 at precision control %d", i);
        }
        fldcw(0x37f);
    }

    /* rounding control: FRNDINT and FISTP of -2.5 and 2.5 */
    {
        static const int64_t want[4][2] = { { -2, 2 }, { -3, 2 },
                                            { -2, 3 }, { -2, 2 } };
        for (int rc = 0; rc < 4; rc++) {
            int64_t v[2];

            fldcw(0x37f | rc << 10);
            __asm__ volatile("fldl %2; fistpq %0; fldl %3; frndint; fistpq %1"
                             : "=m"(v[0]), "=m"(v[1]) : "m"(dv[12]), "m"(dv[11]) : X87_CLOBBERS);
            check(v[0] == want[rc][0] && v[1] == want[rc][1],
                  "RC %d: fistp -2.5 = %ld, frndint 2.5 = %ld", rc, v[0], v[1]);
        }
        fldcw(0x37f);
    }

    /* integer and BCD conversions */
    {
        int32_t i32 = -123456;
        int16_t i16;
        int64_t big = 1e19 > 0 ? 0 : 0;
        uint8_t bcd[10];

        __asm__ volatile("fninit; fildl %1; fistps %0" : "=m"(i16) : "m"(i32) : X87_CLOBBERS);
        check_eq((uint16_t)i16, 0x8000, "fist m16 overflow: integer indefinite");
        check(fsw() & 1, "fist overflow sets IE");
        __asm__ volatile("fninit; fldl %1; fistpq %0" : "=m"(big) : "m"(dv[6]) : X87_CLOBBERS);
        check_eq((uint64_t)big, 0x8000000000000000ull, "fistp 1e300 indefinite");
        __asm__ volatile("fninit; fildl %1; fbstp %0" : "=m"(bcd) : "m"(i32) : X87_CLOBBERS);
        check(bcd[0] == 0x56 && bcd[1] == 0x34 && bcd[2] == 0x12 &&
              bcd[9] == 0x80, "fbstp -123456");
        __asm__ volatile("fbld %1; fistpl %0" : "=m"(i32) : "m"(bcd) : X87_CLOBBERS);
        check_eq((uint32_t)i32, (uint32_t)-123456, "fbld round trip");
    }

    /* comparisons */
    {
        double nan = __builtin_nan("");
        uint64_t f;

        __asm__ volatile("fninit; fldl %1; fcompl %2; fnstsw %0" : "=m"(sw)
                         : "m"(dv[2]), "m"(dv[4]) : X87_CLOBBERS);
        check_eq(sw & 0x4500, 0x0100, "fcom 1 < 3: C0");
        __asm__ volatile("fninit; fldl %1; fcompl %2; fnstsw %0" : "=m"(sw)
                         : "m"(dv[4]), "m"(dv[4]) : X87_CLOBBERS);
        check_eq(sw & 0x4500, 0x4000, "fcom 3 = 3: C3");
        __asm__ volatile("fninit; fldl %2; fldl %1; fucompp; fnstsw %0"
                         : "=m"(sw) : "m"(nan), "m"(dv[4]) : X87_CLOBBERS);
        check_eq(sw & 0x4501, 0x4500, "fucom qNaN: unordered, no IE");
        __asm__ volatile("fninit; fldl %1; fcompl %2; fnstsw %0" : "=m"(sw)
                         : "m"(nan), "m"(dv[4]) : X87_CLOBBERS);
        check_eq(sw & 0x4501, 0x4501, "fcom qNaN: unordered, IE");
        __asm__ volatile("fninit; fldl %2; fldl %1; fcomip %%st(1); pushfq;"
                         " pop %0; fstp %%st" : "=r"(f)
                         : "m"(dv[2]), "m"(dv[4]) : "cc", X87_CLOBBERS);
        check_eq(f & (FL_ZF | FL_PF | FL_CF), FL_CF, "fcomip 1 < 3: CF");
        __asm__ volatile("fninit; fldl %2; fldl %1; fucomip %%st(1); pushfq;"
                         " pop %0; fstp %%st" : "=r"(f)
                         : "m"(nan), "m"(dv[4]) : "cc", X87_CLOBBERS);
        check_eq(f & (FL_ZF | FL_PF | FL_CF), FL_ZF | FL_PF | FL_CF,
                 "fucomip NaN: ZF PF CF");
    }

    /* FXAM classes */
    {
        static const struct { double v; uint16_t c; const char *n; } x[] = {
            { 0.0, 0x4000, "zero" }, { 1.0, 0x0400, "normal" },
            { __builtin_inf(), 0x0500, "infinity" },
            { __builtin_nan(""), 0x0100, "NaN" },
        };
        for (unsigned i = 0; i < 4; i++) {
            __asm__ volatile("fninit; fldl %1; fxam; fnstsw %0" : "=m"(sw)
                             : "m"(x[i].v) : X87_CLOBBERS);
            check_eq(sw & 0x4500, x[i].c, "fxam %s", x[i].n);
        }
        __asm__ volatile("fninit; fxam; fnstsw %0" : "=m"(sw) : : X87_CLOBBERS);
        check_eq(sw & 0x4500, 0x4100, "fxam empty");
        {
            static const F80 den = { 1, 0 };    /* an 80-bit denormal */

            __asm__ volatile("fninit; fldt %1; fxam; fnstsw %0" : "=m"(sw)
                             : "m"(den) : X87_CLOBBERS);
            check_eq(sw & 0x4500, 0x4400, "fxam denormal");
        }
    }

    /* stack faults */
    __asm__ volatile("fninit; fadd %%st(1), %%st; fnstsw %0" : "=m"(sw) : : X87_CLOBBERS);
    check_eq(sw & 0x0241, 0x0041, "underflow: IE SF, C1 = 0");
    __asm__ volatile("fninit; fld1; fld1; fld1; fld1; fld1; fld1; fld1;"
                     " fld1; fld1; fnstsw %0; fninit" : "=m"(sw) : : X87_CLOBBERS);
    check_eq(sw & 0x0241, 0x0241, "overflow: IE SF, C1 = 1");

    /* FPREM: 17 mod 5 = 2, quotient 3 (C0 C3 C1 = q2 q1 q0) */
    {
        double a = 17, b = 5, rem;

        __asm__ volatile("fninit; fldl %3; fldl %2; fprem; fnstsw %1;"
                         " fstpl %0; fstp %%st" : "=m"(rem), "=m"(sw)
                         : "m"(a), "m"(b) : X87_CLOBBERS);
        check(rem == 2.0 && (sw & 0x4700) == 0x4200,
              "fprem 17 mod 5 = 2, quotient 3 in C3 C1 (sw %x)", sw);
        __asm__ volatile("fninit; fldl %3; fldl %2; fprem1; fnstsw %1;"
                         " fstpl %0; fstp %%st" : "=m"(rem), "=m"(sw)
                         : "m"(a), "m"(b) : X87_CLOBBERS);
        check(rem == 2.0, "fprem1 17 rem 5 = 2");
    }

    /* FSCALE, FXTRACT, FSQRT */
    {
        double a = 3, b = 4, o, e, m;

        __asm__ volatile("fninit; fldl %2; fldl %1; fscale; fstpl %0;"
                         " fstp %%st" : "=m"(o) : "m"(a), "m"(b) : X87_CLOBBERS);
        check(o == 48.0, "fscale 3 * 2^4 = 48");
        __asm__ volatile("fninit; fldl %2; fxtract; fstpl %0; fstpl %1"
                         : "=m"(m), "=m"(e) : "m"(dv[9]) : X87_CLOBBERS);
        check(e == 13.0 && m > 1.5 && m < 1.51, "fxtract 12345.678");
        __asm__ volatile("fninit; fldl %1; fsqrt; fstpl %0" : "=m"(o)
                         : "m"(dv[4]) : X87_CLOBBERS);
        check(o == 1.7320508075688772, "fsqrt 3");
    }

    /* constants, rounded by RC */
    {
        F80 pi[2];

        fldcw(0x37f);
        __asm__ volatile("fldpi; fstpt %0" : "=m"(pi[0]) : : X87_CLOBBERS);
        fldcw(0x37f | 1 << 10);
        __asm__ volatile("fldpi; fstpt %0" : "=m"(pi[1]) : : X87_CLOBBERS);
        fldcw(0x37f);
        check(pi[0].m == 0xc90fdaa22168c235ull && pi[1].m ==
              0xc90fdaa22168c234ull, "fldpi nearest / down");
    }

    /* FSTENV, FSAVE/FRSTOR */
    {
        uint32_t envb[7];
        uint8_t save[108];
        double two = 2, back;

        __asm__ volatile("fninit; fldl %1; fnstenv %0" : "=m"(envb)
                         : "m"(two) : X87_CLOBBERS);
        check((envb[0] & 0xffff) == 0x37f && ((envb[1] >> 11) & 7) == 7 &&
              (envb[2] & 0xffff) == 0x3fff, "fnstenv: CW, TOP 7, tags");
        __asm__ volatile("fnsave %0; fld1; frstor %0; fstpl %1"
                         : "+m"(save), "=m"(back) : : X87_CLOBBERS);
        check(back == 2.0, "fnsave/frstor keep ST0");
    }

    /* transcendental (to a few ulps) */
    {
        double x = 0.5, o, c;

        __asm__ volatile("fninit; fldl %1; fsin; fstpl %0" : "=m"(o) : "m"(x) : X87_CLOBBERS);
        check(o > 0.479425538604202 && o < 0.479425538604204, "fsin 0.5");
        __asm__ volatile("fninit; fldl %2; fsincos; fstpl %0; fstpl %1"
                         : "=m"(c), "=m"(o) : "m"(x) : X87_CLOBBERS);
        check(c > 0.877582561890372 && c < 0.877582561890374 &&
              o > 0.479425538604202 && o < 0.479425538604204, "fsincos 0.5");
        __asm__ volatile("fninit; fldl %1; fptan; fstp %%st; fstpl %0"
                         : "=m"(o) : "m"(x) : X87_CLOBBERS);
        check(o > 0.546302489843790 && o < 0.546302489843791, "fptan 0.5");
        __asm__ volatile("fninit; fld1; fld1; fpatan; fstpl %0" : "=m"(o) : : X87_CLOBBERS);
        check(o > 0.785398163397448 && o < 0.785398163397449, "fpatan 1,1");
        __asm__ volatile("fninit; fldl %1; f2xm1; fstpl %0" : "=m"(o) : "m"(x) : X87_CLOBBERS);
        check(o > 0.414213562373094 && o < 0.414213562373096, "f2xm1 0.5");
        __asm__ volatile("fninit; fld1; fldl %1; fyl2x; fstpl %0" : "=m"(o)
                         : "m"(dv[9]) : X87_CLOBBERS);
        check(o > 13.591718448138 && o < 13.591718448139, "fyl2x log2(12345.678)");
    }

    /* an unmasked divide-by-zero: #MF at the next waiting instruction */
    {
        extern void op_mf(void *);
        uint64_t v;

        v = trap_run(op_mf, NULL);
        check_eq(v, 16 + 1, "unmasked ZE: #MF");
        __asm__ volatile("fnstsw %0" : "=m"(sw) : : X87_CLOBBERS);
        check_eq(sw & 0x8084, 0x8084, "FSW: ZE, ES, B");
        __asm__ volatile("fninit" : : : X87_CLOBBERS);
    }
    return finish();
}

__asm__(".text\n"
        "op_mf:\n"
        "  fninit\n"
        "  pushq $0x37b\n"               /* ZE unmasked */
        "  fldcw (%rsp)\n"
        "  popq %rax\n"
        "  fld1\n"
        "  fldz\n"
        "  fdivrp\n"                     /* 1/0: pending */
        "  fld1\n"                       /* #MF here */
        "  ret\n");
