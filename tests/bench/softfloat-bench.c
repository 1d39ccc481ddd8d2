/*
 * fpu/ micro-benchmark: nanoseconds per operation for the software FP
 * library and for the host FPU on the same operands, and their ratio.
 * Built by tests/unit/meson.build as softfloat-bench; never run as a test.
 *
 *   build/tests/unit/softfloat-bench [iterations]      (default 1000000, best of 5)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fpu/softfloat.h"

#define NVAL 1024

static float32 s32[NVAL];
static float64 s64[NVAL];
static float h32[NVAL];
static double h64[NVAL];

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);   /* CPU time: robust on a shared machine */
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

enum { ADD, MUL, DIV, SQRT, FMA, CVT, NOPS };
static const char *const names[NOPS] = { "add", "mul", "div", "sqrt", "muladd", "f64->f32" };

static volatile uint64_t sink;

static double run_soft32(int op, long n, float_status *st)
{
    uint32_t acc = 0;
    double t = now_ns();
    for (long i = 0; i < n; i++) {
        float32 a = s32[i & (NVAL - 1)], b = s32[(i + 1) & (NVAL - 1)];
        switch (op) {
        case ADD: acc ^= float32_add(a, b, st); break;
        case MUL: acc ^= float32_mul(a, b, st); break;
        case DIV: acc ^= float32_div(a, b, st); break;
        case SQRT: acc ^= float32_sqrt(a, st); break;
        case FMA: acc ^= float32_muladd(a, b, a, 0, st); break;
        default: acc ^= float64_to_float32(s64[i & (NVAL - 1)], st); break;
        }
    }
    sink = acc;
    return (now_ns() - t) / n;
}

static double run_host32(int op, long n)
{
    float acc = 0;
    double t = now_ns();
    for (long i = 0; i < n; i++) {
        float a = h32[i & (NVAL - 1)], b = h32[(i + 1) & (NVAL - 1)];
        switch (op) {
        case ADD: acc += a + b; break;
        case MUL: acc += a * b; break;
        case DIV: acc += a / b; break;
        case SQRT: acc += sqrtf(a); break;
        case FMA: acc += fmaf(a, b, a); break;
        default: acc += (float)h64[i & (NVAL - 1)]; break;
        }
    }
    sink = (uint64_t)acc;
    return (now_ns() - t) / n;
}

static double run_soft64(int op, long n, float_status *st)
{
    uint64_t acc = 0;
    double t = now_ns();
    for (long i = 0; i < n; i++) {
        float64 a = s64[i & (NVAL - 1)], b = s64[(i + 1) & (NVAL - 1)];
        switch (op) {
        case ADD: acc ^= float64_add(a, b, st); break;
        case MUL: acc ^= float64_mul(a, b, st); break;
        case DIV: acc ^= float64_div(a, b, st); break;
        case SQRT: acc ^= float64_sqrt(a, st); break;
        case FMA: acc ^= float64_muladd(a, b, a, 0, st); break;
        default: acc ^= float32_to_float64(s32[i & (NVAL - 1)], st); break;
        }
    }
    sink = acc;
    return (now_ns() - t) / n;
}

static double run_host64(int op, long n)
{
    double acc = 0;
    double t = now_ns();
    for (long i = 0; i < n; i++) {
        double a = h64[i & (NVAL - 1)], b = h64[(i + 1) & (NVAL - 1)];
        switch (op) {
        case ADD: acc += a + b; break;
        case MUL: acc += a * b; break;
        case DIV: acc += a / b; break;
        case SQRT: acc += sqrt(a); break;
        case FMA: acc += fma(a, b, a); break;
        default: acc += (double)h32[i & (NVAL - 1)]; break;
        }
    }
    sink = (uint64_t)acc;
    return (now_ns() - t) / n;
}

#if defined(__x86_64__)
/* floatx80 against the host x87 (long double) */
static floatx80 sx80[NVAL];
static long double hx80[NVAL];

static double run_softx80(int op, long n, float_status *st)
{
    uint64_t acc = 0;
    double t = now_ns();
    for (long i = 0; i < n; i++) {
        floatx80 a = sx80[i & (NVAL - 1)], b = sx80[(i + 1) & (NVAL - 1)], r;
        switch (op) {
        case ADD: r = floatx80_add(a, b, st); break;
        case MUL: r = floatx80_mul(a, b, st); break;
        case DIV: r = floatx80_div(a, b, st); break;
        case SQRT: r = floatx80_sqrt(a, st); break;
        default: acc ^= floatx80_to_float64(a, st); continue;
        }
        acc ^= r.low;
    }
    sink = acc;
    return (now_ns() - t) / n;
}

static double run_hostx80(int op, long n)
{
    long double acc = 0;
    double t = now_ns();
    for (long i = 0; i < n; i++) {
        long double a = hx80[i & (NVAL - 1)], b = hx80[(i + 1) & (NVAL - 1)];
        switch (op) {
        case ADD: acc += a + b; break;
        case MUL: acc += a * b; break;
        case DIV: acc += a / b; break;
        case SQRT: acc += sqrtl(a); break;
        default: acc += (double)a; break;
        }
    }
    sink = (uint64_t)acc;
    return (now_ns() - t) / n;
}

static void bench_x80(long n)
{
    float_status st;

    float_status_init_x86(&st);
    for (int i = 0; i < NVAL; i++) {
        hx80[i] = h64[i];
        memcpy(&sx80[i].low, &hx80[i], 8);
        memcpy(&sx80[i].high, (char *)&hx80[i] + 8, 2);
    }
    printf("\n%-10s %10s %10s %8s\n", "op", "soft x80", "host x87", "ratio");
    for (int op = 0; op < NOPS; op++) {
        double a = 1e9, b = 1e9;
        if (op == FMA) {
            continue;
        }
        for (int k = 0; k < 5; k++) {
            a = fmin(a, run_softx80(op, n, &st));
            b = fmin(b, run_hostx80(op, n));
        }
        printf("%-10s %8.2fns %8.2fns %7.1fx\n", op == CVT ? "x80->f64" : names[op],
               a, b, a / b);
    }
}
#endif

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    float_status st;

    srand(1);
    for (int i = 0; i < NVAL; i++) {
        /* positive normal operands of moderate size: the common case */
        h32[i] = (float)(rand() % 100000 + 1) / 997.0f;
        h64[i] = (double)(rand() % 100000 + 1) / 997.0;
        memcpy(&s32[i], &h32[i], 4);
        memcpy(&s64[i], &h64[i], 8);
    }
    float_status_init_arm(&st);
    printf("%-10s %10s %10s %8s   %10s %10s %8s\n", "op", "soft f32", "host f32",
           "ratio", "soft f64", "host f64", "ratio");
    for (int op = 0; op < NOPS; op++) {
        /* best of five: the machine is usually shared */
        double a = 1e9, b = 1e9, c = 1e9, d = 1e9;
        for (int k = 0; k < 5; k++) {
            a = fmin(a, run_soft32(op, n, &st));
            b = fmin(b, run_host32(op, n));
            c = fmin(c, run_soft64(op, n, &st));
            d = fmin(d, run_host64(op, n));
        }
        printf("%-10s %8.2fns %8.2fns %7.1fx   %8.2fns %8.2fns %7.1fx\n",
               op == CVT ? "convert" : names[op], a, b, a / b, c, d, c / d);
    }
    printf("(convert: f64->f32 in the f32 columns, f32->f64 in the f64 columns)\n");
#if defined(__x86_64__)
    bench_x80(n);
#endif
    return 0;
}
