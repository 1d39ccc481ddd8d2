/*
 * AdvSIMD loads and stores: ld1-ld4 / st1-st4 multiple structures (every
 * register count for ld1/st1, 64- and 128-bit, every element size),
 * single-lane forms (other lanes kept), replicate forms ld1r-ld4r,
 * post-index by immediate and by register, and the scalar ldr/str/ldp/ldur
 * of b/h/s/d/q registers.  Checked against a C model of the element order.
 */
#include "simd.h"

enum { LDM, STM, LDL, STL, LDR };

/* X(name, asm, kind, es, q, nregs, selem, lane, post) with post the
 * expected base increment (0: no write-back).  v0..v3 are the registers;
 * %0 is the base, %3 a register increment of 48. */
#define CASES(X) \
    X("ld1 {1} 16b", "ld1 {v0.16b}, [%0]", LDM, 1, 1, 1, 1, 0, 0) \
    X("ld1 {1} 4h", "ld1 {v1.4h}, [%0]", LDM, 2, 0, 1, 1, 1 << 8, 0) \
    X("ld1 {2} 8h", "ld1 {v0.8h, v1.8h}, [%0]", LDM, 2, 1, 2, 1, 0, 0) \
    X("ld1 {3} 2s", "ld1 {v0.2s, v1.2s, v2.2s}, [%0]", LDM, 4, 0, 3, 1, 0, 0) \
    X("ld1 {4} 2d post #64", "ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%0], #64", LDM, 8, 1, 4, 1, 0, 64) \
    X("ld1 {4} 1d", "ld1 {v0.1d, v1.1d, v2.1d, v3.1d}, [%0]", LDM, 8, 0, 4, 1, 0, 0) \
    X("ld1 {2} 4s from v2", "ld1 {v2.4s, v3.4s}, [%0]", LDM, 4, 1, 2, 1, 2 << 8, 0) \
    X("ld2 8h", "ld2 {v0.8h, v1.8h}, [%0]", LDM, 2, 1, 2, 2, 0, 0) \
    X("ld2 8b post reg", "ld2 {v0.8b, v1.8b}, [%0], %3", LDM, 1, 0, 2, 2, 0, 48) \
    X("ld2 2d", "ld2 {v2.2d, v3.2d}, [%0]", LDM, 8, 1, 2, 2, 2 << 8, 0) \
    X("ld3 4s", "ld3 {v0.4s, v1.4s, v2.4s}, [%0]", LDM, 4, 1, 3, 3, 0, 0) \
    X("ld3 8b post #24", "ld3 {v0.8b, v1.8b, v2.8b}, [%0], #24", LDM, 1, 0, 3, 3, 0, 24) \
    X("ld3 16b", "ld3 {v1.16b, v2.16b, v3.16b}, [%0]", LDM, 1, 1, 3, 3, 1 << 8, 0) \
    X("ld4 16b", "ld4 {v0.16b, v1.16b, v2.16b, v3.16b}, [%0]", LDM, 1, 1, 4, 4, 0, 0) \
    X("ld4 4h", "ld4 {v0.4h, v1.4h, v2.4h, v3.4h}, [%0]", LDM, 2, 0, 4, 4, 0, 0) \
    X("ld4 2d post #64", "ld4 {v0.2d, v1.2d, v2.2d, v3.2d}, [%0], #64", LDM, 8, 1, 4, 4, 0, 64) \
    X("st1 {1} 16b", "st1 {v0.16b}, [%0]", STM, 1, 1, 1, 1, 0, 0) \
    X("st1 {3} 8b", "st1 {v0.8b, v1.8b, v2.8b}, [%0]", STM, 1, 0, 3, 1, 0, 0) \
    X("st1 {4} 4s post #64", "st1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%0], #64", STM, 4, 1, 4, 1, 0, 64) \
    X("st2 4s", "st2 {v0.4s, v1.4s}, [%0]", STM, 4, 1, 2, 2, 0, 0) \
    X("st2 4h post reg", "st2 {v0.4h, v1.4h}, [%0], %3", STM, 2, 0, 2, 2, 0, 48) \
    X("st3 8h", "st3 {v0.8h, v1.8h, v2.8h}, [%0]", STM, 2, 1, 3, 3, 0, 0) \
    X("st3 2s", "st3 {v1.2s, v2.2s, v3.2s}, [%0]", STM, 4, 0, 3, 3, 1 << 8, 0) \
    X("st4 16b", "st4 {v0.16b, v1.16b, v2.16b, v3.16b}, [%0]", STM, 1, 1, 4, 4, 0, 0) \
    X("st4 2d post #64", "st4 {v0.2d, v1.2d, v2.2d, v3.2d}, [%0], #64", STM, 8, 1, 4, 4, 0, 64) \
    X("ld1 lane s[1]", "ld1 {v0.s}[1], [%0]", LDL, 4, 1, 1, 1, 1, 0) \
    X("ld1 lane b[15] post #1", "ld1 {v2.b}[15], [%0], #1", LDL, 1, 1, 1, 1, 15 | 2 << 8, 1) \
    X("ld2 lane h[5]", "ld2 {v0.h, v1.h}[5], [%0]", LDL, 2, 1, 2, 2, 5, 0) \
    X("ld3 lane b[9]", "ld3 {v1.b, v2.b, v3.b}[9], [%0]", LDL, 1, 1, 3, 3, 9 | 1 << 8, 0) \
    X("ld4 lane d[1] post reg", "ld4 {v0.d, v1.d, v2.d, v3.d}[1], [%0], %3", LDL, 8, 1, 4, 4, 1, 48) \
    X("ld4 lane s[2]", "ld4 {v0.s, v1.s, v2.s, v3.s}[2], [%0]", LDL, 4, 1, 4, 4, 2, 0) \
    X("st1 lane d[1]", "st1 {v0.d}[1], [%0]", STL, 8, 1, 1, 1, 1, 0) \
    X("st2 lane b[7] post #2", "st2 {v0.b, v1.b}[7], [%0], #2", STL, 1, 1, 2, 2, 7, 2) \
    X("st3 lane h[6]", "st3 {v0.h, v1.h, v2.h}[6], [%0]", STL, 2, 1, 3, 3, 6, 0) \
    X("st4 lane s[3]", "st4 {v0.s, v1.s, v2.s, v3.s}[3], [%0]", STL, 4, 1, 4, 4, 3, 0) \
    X("ld1r 8h", "ld1r {v0.8h}, [%0]", LDR, 2, 1, 1, 1, 0, 0) \
    X("ld1r 8b post #1", "ld1r {v1.8b}, [%0], #1", LDR, 1, 0, 1, 1, 1 << 8, 1) \
    X("ld2r 4s", "ld2r {v0.4s, v1.4s}, [%0]", LDR, 4, 1, 2, 2, 0, 0) \
    X("ld3r 8b", "ld3r {v0.8b, v1.8b, v2.8b}, [%0]", LDR, 1, 0, 3, 3, 0, 0) \
    X("ld4r 2d post #32", "ld4r {v0.2d, v1.2d, v2.2d, v3.2d}, [%0], #32", LDR, 8, 1, 4, 4, 0, 32) \
    X("ld4r 1d", "ld4r {v0.1d, v1.1d, v2.1d, v3.1d}, [%0]", LDR, 8, 0, 4, 4, 0, 0)

struct desc {
    const char *name;
    int kind, es, q, nregs, selem, lane, post;
};
#define X_DESC(n, a, k, es, q, nr, se, ln, post) { n, k, es, q, nr, se, ln, post },
static const struct desc descs[] = { CASES(X_DESC) };
#define NCASES (int)(sizeof(descs) / sizeof(descs[0]))

static vec regs_in[4], regs_out[4], exp_regs[4];
static uint8_t mem[128] __attribute__((aligned(64)));
static uint8_t exp_mem[128];

static uint64_t run_case(int k)
{
    uint64_t base = (uint64_t)(uintptr_t)(mem + 16), inc = 48;
#define X_RUN(n, a, kd, es, q, nr, se, ln, post) \
    case __COUNTER__ - first: \
        __asm__ volatile("ldp q0, q1, [%1]\n\tldp q2, q3, [%1, #32]\n\t" a "\n\t" \
                         "stp q0, q1, [%2]\n\tstp q2, q3, [%2, #32]" \
                         : "+r"(base) : "r"(regs_in), "r"(regs_out), "r"(inc) \
                         : "v0", "v1", "v2", "v3", "memory"); \
        break;
    enum { first = __COUNTER__ + 1 };
    switch (k) {
    CASES(X_RUN)
    }
#undef X_RUN
    return base - (uint64_t)(uintptr_t)(mem + 16);
}

static void model(const struct desc *c)
{
    int es = c->es, elems = (c->q ? 16 : 8) / es;
    int r0 = c->lane >> 8, ln = c->lane & 0xff;
    const uint8_t *src = mem + 16;

    for (int r = 0; r < 4; r++) {
        exp_regs[r] = regs_in[r];
    }
    memcpy(exp_mem, mem, sizeof(mem));
    for (int j = 0; j < c->nregs; j++) {
        vec *v = &exp_regs[(r0 + j) & 3];
        const vec *in = &regs_in[(r0 + j) & 3];
        switch (c->kind) {
        case LDM:
        case LDR:
            vec_zero(v);
            for (int e = 0; e < elems; e++) {
                int off = c->kind == LDR ? j * es
                        : c->selem == 1 ? (j * elems + e) * es : (e * c->selem + j) * es;
                for (int b = 0; b < es; b++) {
                    v->b[e * es + b] = src[off + b];
                }
            }
            break;
        case LDL:
            for (int b = 0; b < es; b++) {
                v->b[ln * es + b] = src[j * es + b];
            }
            break;
        case STM:
            for (int e = 0; e < elems; e++) {
                int off = c->selem == 1 ? (j * elems + e) * es : (e * c->selem + j) * es;
                for (int b = 0; b < es; b++) {
                    exp_mem[16 + off + b] = in->b[e * es + b];
                }
            }
            break;
        case STL:
            for (int b = 0; b < es; b++) {
                exp_mem[16 + j * es + b] = in->b[ln * es + b];
            }
            break;
        }
    }
}

static void test_structures(void)
{
    for (int k = 0; k < NCASES; k++) {
        const struct desc *c = &descs[k];
        struct group g;
        uint64_t base;
        grp_begin(&g, c->name);
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 64; i++) {
                ((uint8_t *)regs_in)[i] = (uint8_t)(0xa0 + i * 7 + s * 0x35);
            }
            for (int i = 0; i < (int)sizeof(mem); i++) {
                mem[i] = (uint8_t)(i * 3 + 1 + s * 0x51);
            }
            model(c);
            base = run_case(k);
            grp_case(&g, base, (uint64_t)c->post, (uint64_t)s, 99);
            for (int r = 0; r < 4; r++) {
                grp_vec(&g, &regs_out[r], &exp_regs[r], (uint64_t)s, (uint64_t)r);
            }
            for (int i = 0; i < (int)sizeof(mem); i += 8) {
                uint64_t a, b;
                memcpy(&a, mem + i, 8);
                memcpy(&b, exp_mem + i, 8);
                grp_case(&g, a, b, (uint64_t)s, (uint64_t)(100 + i));
            }
        }
        grp_end(&g);
    }
}

/* Write-back checks: the base register after post-index forms. */
static void test_writeback(void)
{
    uint64_t base, start = (uint64_t)(uintptr_t)mem;
    base = start;
    __asm__ volatile("ld1 {v0.16b, v1.16b}, [%0], #32" : "+r"(base) : : "v0", "v1", "memory");
    check("ld1 {2} post #32: base", base - start, 32);
    base = start;
    __asm__ volatile("ld3 {v0.4h, v1.4h, v2.4h}, [%0], %1" : "+r"(base) : "r"(-8ll) : "v0", "v1", "v2", "memory");
    check("ld3 post reg -8: base", base - start, (uint64_t)-8);
    base = start + 64;
    __asm__ volatile("st4 {v0.b, v1.b, v2.b, v3.b}[3], [%0], #4" : "+r"(base) : : "memory");
    check("st4 lane post #4: base", base - start, 68);
    base = start;
    __asm__ volatile("ld2r {v0.8h, v1.8h}, [%0], #4" : "+r"(base) : : "v0", "v1", "memory");
    check("ld2r post #4: base", base - start, 4);
    base = start;
    __asm__ volatile("ld1 {v0.d}[1], [%0], %1" : "+r"(base) : "r"(40ull) : "v0", "memory");
    check("ld1 lane post reg 40: base", base - start, 40);
}

static void test_scalar(void)
{
    vec out[2];
    uint64_t r;
    for (int i = 0; i < (int)sizeof(mem); i++) {
        mem[i] = (uint8_t)(i + 1);
    }
    memset(out, 0xee, sizeof(out));
    __asm__ volatile("ldr q0, [%0]\n\tldr b0, [%1, #5]\n\tstr q0, [%2]" : : "r"(regs_in), "r"(mem), "r"(out) : "v0", "memory");
    check("ldr b zeroes the rest", lane(&out[0], 8, 0) | lane(&out[0], 8, 1), 6);
    __asm__ volatile("ldr h0, [%0, #6]\n\tstr q0, [%1]" : : "r"(mem), "r"(out) : "v0", "memory");
    check("ldr h", lane(&out[0], 8, 0) | lane(&out[0], 8, 1), 0x0807);
    __asm__ volatile("ldr s0, [%0, %2, lsl #2]\n\tstr q0, [%1]" : : "r"(mem), "r"(out), "r"(3ull) : "v0", "memory");
    check("ldr s [x, x, lsl #2]", lane(&out[0], 8, 0) | lane(&out[0], 8, 1), 0x100f0e0dull);
    __asm__ volatile("ldr d0, [%0, #8]\n\tstr q0, [%1]" : : "r"(mem), "r"(out) : "v0", "memory");
    check("ldr d: low", lane(&out[0], 8, 0), 0x100f0e0d0c0b0a09ull);
    check("ldr d: high zeroed", lane(&out[0], 8, 1), 0);
    __asm__ volatile("ldr q0, [%0, #16]\n\tstr q0, [%1]" : : "r"(mem), "r"(out) : "v0", "memory");
    check("ldr q: high", lane(&out[0], 8, 1), 0x201f1e1d1c1b1a19ull);
    __asm__ volatile("ldp q0, q1, [%0, #-32]\n\tstp q0, q1, [%1]" : : "r"(mem + 64), "r"(out) : "v0", "v1", "memory");
    check("ldp q -32: first low", lane(&out[0], 8, 0), 0x2827262524232221ull);
    check("ldp q -32: second high", lane(&out[1], 8, 1), 0x403f3e3d3c3b3a39ull);
    __asm__ volatile("ldur q0, [%0, #-16]\n\tstr q0, [%1]" : : "r"(mem + 32), "r"(out) : "v0", "memory");
    check("ldur q -16", lane(&out[0], 8, 0), 0x1817161514131211ull);
    __asm__ volatile("ldr s0, [%0]\n\tstr h0, [%1, #2]\n\tstr s0, [%1, #4]\n\tstr b0, [%1, #9]"
                     : : "r"(mem), "r"(mem + 96) : "v0", "memory");
    memcpy(&r, mem + 96, 8);
    check("str h, str s", r, 0x0403020102016261ull);
    memcpy(&r, mem + 104, 8);
    check("str b", r, 0x706f6e6d6c6b0169ull);
    __asm__ volatile("ldr q0, [%0]\n\tstp d0, d0, [%1]\n\tstur q0, [%1, #-16]\n\tstr d0, [%1, %2, lsl #3]"
                     : : "r"(mem), "r"(mem + 64), "r"(3ull) : "v0", "memory");
    memcpy(&r, mem + 72, 8);
    check("stp d", r, 0x0807060504030201ull);
    memcpy(&r, mem + 56, 8);
    check("stur q -16", r, 0x100f0e0d0c0b0a09ull);
    memcpy(&r, mem + 88, 8);
    check("str d [x, x, lsl #3]", r, 0x0807060504030201ull);
}

int main(void)
{
    printf("simd-ldst: start at EL%d\n", (int)(boot_current_el >> 2));
    test_structures();
    test_writeback();
    test_scalar();
    test_done();
}
