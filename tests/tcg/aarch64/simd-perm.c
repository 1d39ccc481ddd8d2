/*
 * AdvSIMD permutes and moves: zip1/zip2/uzp1/uzp2/trn1/trn2 in every
 * arrangement, ext with each index, tbl/tbx with 1-4 table registers and
 * out-of-range indices, rev16/rev32/rev64, dup (element and general), ins
 * (element and general), umov/smov, and the zeroing of the upper half by
 * 64-bit forms.  Checked against C models of the lane shuffles.
 */
#include "simd.h"

static vec va, vb, vd, ve;

static void init(void)
{
    for (int i = 0; i < 16; i++) {
        va.b[i] = (uint8_t)(0x81 + i * 0x13);
        vb.b[i] = (uint8_t)(0x40 + i * 0x0b);
    }
}


enum { ZIP1, ZIP2, UZP1, UZP2, TRN1, TRN2 };

#define ARR7(op) \
    case 0: VOP(op " v0.8b, v1.8b, v2.8b", &vd, &va, &vb); break; \
    case 1: VOP(op " v0.16b, v1.16b, v2.16b", &vd, &va, &vb); break; \
    case 2: VOP(op " v0.4h, v1.4h, v2.4h", &vd, &va, &vb); break; \
    case 3: VOP(op " v0.8h, v1.8h, v2.8h", &vd, &va, &vb); break; \
    case 4: VOP(op " v0.2s, v1.2s, v2.2s", &vd, &va, &vb); break; \
    case 5: VOP(op " v0.4s, v1.4s, v2.4s", &vd, &va, &vb); break; \
    case 7: VOP(op " v0.2d, v1.2d, v2.2d", &vd, &va, &vb); break;

static void run_perm(int op, int a)
{
    switch (op) {
    case ZIP1: switch (a) { ARR7("zip1") } break;
    case ZIP2: switch (a) { ARR7("zip2") } break;
    case UZP1: switch (a) { ARR7("uzp1") } break;
    case UZP2: switch (a) { ARR7("uzp2") } break;
    case TRN1: switch (a) { ARR7("trn1") } break;
    default: switch (a) { ARR7("trn2") } break;
    }
}

static void model_perm(int op, int a, vec *e)
{
    int es = 1 << (a >> 1), q = a & 1, n = (q ? 16 : 8) / es;
    vec cat[2] = { va, vb };
    vec_zero(e);
    for (int i = 0; i < n / 2; i++) {
        switch (op) {
        case ZIP1:
            set_lane(e, es, 2 * i, lane(&va, es, i));
            set_lane(e, es, 2 * i + 1, lane(&vb, es, i));
            break;
        case ZIP2:
            set_lane(e, es, 2 * i, lane(&va, es, n / 2 + i));
            set_lane(e, es, 2 * i + 1, lane(&vb, es, n / 2 + i));
            break;
        case TRN1:
            set_lane(e, es, 2 * i, lane(&va, es, 2 * i));
            set_lane(e, es, 2 * i + 1, lane(&vb, es, 2 * i));
            break;
        case TRN2:
            set_lane(e, es, 2 * i, lane(&va, es, 2 * i + 1));
            set_lane(e, es, 2 * i + 1, lane(&vb, es, 2 * i + 1));
            break;
        }
    }
    if (op == UZP1 || op == UZP2) {
        for (int i = 0; i < n; i++) {
            int j = 2 * i + (op == UZP2);
            set_lane(e, es, i, lane(&cat[j / n], es, j % n));
        }
    }
}

static void test_perm(void)
{
    static const char *const names[] = { "zip1", "zip2", "uzp1", "uzp2", "trn1", "trn2" };
    struct group g;
    for (int op = 0; op < 6; op++) {
        grp_begin(&g, names[op]);
        for (int a = 0; a < 8; a++) {
            if (a == 6) {
                continue;
            }
            memset(&vd, 0xee, 16);
            run_perm(op, a);
            model_perm(op, a, &ve);
            grp_vec(&g, &vd, &ve, (uint64_t)a, 0);
        }
        grp_end(&g);
    }
}

#define E16(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15)

static void test_ext(void)
{
    struct group g;
    grp_begin(&g, "ext 16b #0..15, 8b #0..7");
    for (int imm = 0; imm < 16; imm++) {
        switch (imm) {
#define M(n) case n: VOP("ext v0.16b, v1.16b, v2.16b, #" #n, &vd, &va, &vb); break;
        E16(M)
#undef M
        }
        for (int i = 0; i < 16; i++) {
            ve.b[i] = i + imm < 16 ? va.b[i + imm] : vb.b[i + imm - 16];
        }
        grp_vec(&g, &vd, &ve, imm, 16);
    }
    for (int imm = 0; imm < 8; imm++) {
        switch (imm) {
#define M(n) case n: VOP("ext v0.8b, v1.8b, v2.8b, #" #n, &vd, &va, &vb); break;
        M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#undef M
        }
        vec_zero(&ve);
        for (int i = 0; i < 8; i++) {
            ve.b[i] = i + imm < 8 ? va.b[i + imm] : vb.b[i + imm - 8];
        }
        grp_vec(&g, &vd, &ve, imm, 8);
    }
    grp_end(&g);
}

static vec tables[4];
static const vec idx = { { 0, 5, 16, 31, 32, 47, 48, 63, 64, 255, 17, 3, 15, 1, 33, 50 } };

static void test_tbl(void)
{
    struct group g;
    for (int t = 0; t < 4; t++) {
        for (int i = 0; i < 16; i++) {
            tables[t].b[i] = (uint8_t)(t * 0x40 + i * 3 + 1);
        }
    }
    grp_begin(&g, "tbl/tbx 1-4 registers, 16b and 8b");
    for (int n = 1; n <= 4; n++) {
        for (int x = 0; x < 2; x++) {
            for (int q = 0; q < 2; q++) {
                memset(&vd, 0xcc, 16);
#define T(insn) __asm__ volatile("ldr q0, [%0]\n\tldp q1, q2, [%1]\n\tldp q3, q4, [%1, #32]\n\tldr q5, [%2]\n\t" \
                                 insn "\n\tstr q0, [%0]" : : "r"(&vd), "r"(tables), "r"(&idx) \
                                 : "v0", "v1", "v2", "v3", "v4", "v5", "memory")
                switch (n * 4 + x * 2 + q) {
                case 4: T("tbl v0.8b, {v1.16b}, v5.8b"); break;
                case 5: T("tbl v0.16b, {v1.16b}, v5.16b"); break;
                case 6: T("tbx v0.8b, {v1.16b}, v5.8b"); break;
                case 7: T("tbx v0.16b, {v1.16b}, v5.16b"); break;
                case 8: T("tbl v0.8b, {v1.16b, v2.16b}, v5.8b"); break;
                case 9: T("tbl v0.16b, {v1.16b, v2.16b}, v5.16b"); break;
                case 10: T("tbx v0.8b, {v1.16b, v2.16b}, v5.8b"); break;
                case 11: T("tbx v0.16b, {v1.16b, v2.16b}, v5.16b"); break;
                case 12: T("tbl v0.8b, {v1.16b, v2.16b, v3.16b}, v5.8b"); break;
                case 13: T("tbl v0.16b, {v1.16b, v2.16b, v3.16b}, v5.16b"); break;
                case 14: T("tbx v0.8b, {v1.16b, v2.16b, v3.16b}, v5.8b"); break;
                case 15: T("tbx v0.16b, {v1.16b, v2.16b, v3.16b}, v5.16b"); break;
                case 16: T("tbl v0.8b, {v1.16b, v2.16b, v3.16b, v4.16b}, v5.8b"); break;
                case 17: T("tbl v0.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v5.16b"); break;
                case 18: T("tbx v0.8b, {v1.16b, v2.16b, v3.16b, v4.16b}, v5.8b"); break;
                default: T("tbx v0.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v5.16b"); break;
                }
#undef T
                vec_zero(&ve);
                for (int i = 0; i < (q ? 16 : 8); i++) {
                    int k = idx.b[i];
                    ve.b[i] = k < 16 * n ? tables[k / 16].b[k % 16] : x ? 0xcc : 0;
                }
                grp_vec(&g, &vd, &ve, (uint64_t)n, (uint64_t)(x * 2 + q));
            }
        }
    }
    grp_end(&g);
}

static void test_rev(void)
{
    struct group g;
    /* rev16 (8b,16b), rev32 (8b,16b,4h,8h), rev64 (8b,16b,4h,8h,2s,4s) */
    static const struct { int cont, es, q; } c[] = {
        { 2, 1, 0 }, { 2, 1, 1 },
        { 4, 1, 0 }, { 4, 1, 1 }, { 4, 2, 0 }, { 4, 2, 1 },
        { 8, 1, 0 }, { 8, 1, 1 }, { 8, 2, 0 }, { 8, 2, 1 }, { 8, 4, 0 }, { 8, 4, 1 },
    };
    grp_begin(&g, "rev16/rev32/rev64");
    for (int k = 0; k < 12; k++) {
        switch (k) {
        case 0: VOP("rev16 v0.8b, v1.8b", &vd, &va, &vb); break;
        case 1: VOP("rev16 v0.16b, v1.16b", &vd, &va, &vb); break;
        case 2: VOP("rev32 v0.8b, v1.8b", &vd, &va, &vb); break;
        case 3: VOP("rev32 v0.16b, v1.16b", &vd, &va, &vb); break;
        case 4: VOP("rev32 v0.4h, v1.4h", &vd, &va, &vb); break;
        case 5: VOP("rev32 v0.8h, v1.8h", &vd, &va, &vb); break;
        case 6: VOP("rev64 v0.8b, v1.8b", &vd, &va, &vb); break;
        case 7: VOP("rev64 v0.16b, v1.16b", &vd, &va, &vb); break;
        case 8: VOP("rev64 v0.4h, v1.4h", &vd, &va, &vb); break;
        case 9: VOP("rev64 v0.8h, v1.8h", &vd, &va, &vb); break;
        case 10: VOP("rev64 v0.2s, v1.2s", &vd, &va, &vb); break;
        default: VOP("rev64 v0.4s, v1.4s", &vd, &va, &vb); break;
        }
        vec_zero(&ve);
        {
            int es = c[k].es, per = c[k].cont / es, n = (c[k].q ? 16 : 8) / es;
            for (int i = 0; i < n; i++) {
                int base = i / per * per;
                set_lane(&ve, es, i, lane(&va, es, base + per - 1 - i % per));
            }
        }
        grp_vec(&g, &vd, &ve, (uint64_t)k, 0);
    }
    grp_end(&g);
}

static void test_moves(void)
{
    uint64_t r;
    vec_zero(&ve);

    VOP("dup v0.4s, v1.s[2]", &vd, &va, &vb);
    for (int i = 0; i < 4; i++) {
        set_lane(&ve, 4, i, lane(&va, 4, 2));
    }
    check_vec("dup v.4s, v.s[2]", &vd, &ve);
    VOP("dup v0.8b, v1.b[15]", &vd, &va, &vb);
    vec_zero(&ve);
    for (int i = 0; i < 8; i++) {
        ve.b[i] = va.b[15];
    }
    check_vec("dup v.8b, v.b[15] (upper half zeroed)", &vd, &ve);
    VOP("dup v0.2d, v2.d[1]", &vd, &va, &vb);
    set_lane(&ve, 8, 0, lane(&vb, 8, 1));
    set_lane(&ve, 8, 1, lane(&vb, 8, 1));
    check_vec("dup v.2d, v.d[1]", &vd, &ve);
    __asm__ volatile("dup v0.8h, %w1\n\tstr q0, [%0]" : : "r"(&vd), "r"(0x12345678ull) : "v0", "memory");
    for (int i = 0; i < 8; i++) {
        set_lane(&ve, 2, i, 0x5678);
    }
    check_vec("dup v.8h, w", &vd, &ve);
    __asm__ volatile("dup v0.2s, %w1\n\tstr q0, [%0]" : : "r"(&vd), "r"(0xdeadbeefull) : "v0", "memory");
    set_lane(&ve, 8, 0, 0xdeadbeefdeadbeefull);
    set_lane(&ve, 8, 1, 0);
    check_vec("dup v.2s, w", &vd, &ve);

    vd = vb;
    VOP("ins v0.s[1], v1.s[3]", &vd, &va, &vb);
    ve = vb;
    set_lane(&ve, 4, 1, lane(&va, 4, 3));
    check_vec("ins v.s[1], v.s[3]", &vd, &ve);
    VOP("mov v0.b[0], v1.b[9]", &vd, &va, &vb);
    ve.b[0] = va.b[9];
    check_vec("mov v.b[0], v.b[9]", &vd, &ve);
    __asm__ volatile("ldr q0, [%0]\n\tins v0.d[1], %1\n\tmov v0.h[2], %w2\n\tstr q0, [%0]"
                     : : "r"(&vd), "r"(0x0123456789abcdefull), "r"(0xffffaaaaull) : "v0", "memory");
    set_lane(&ve, 8, 1, 0x0123456789abcdefull);
    set_lane(&ve, 2, 2, 0xaaaa);
    check_vec("ins v.d[1], x; mov v.h[2], w", &vd, &ve);

    __asm__ volatile("ldr q1, [%1]\n\tumov %w0, v1.b[15]" : "=r"(r) : "r"(&va) : "v1");
    check("umov w, v.b[15]", r, va.b[15]);
    __asm__ volatile("ldr q1, [%1]\n\tsmov %0, v1.b[1]" : "=r"(r) : "r"(&va) : "v1");
    check("smov x, v.b[1]", r, (uint64_t)slane(&va, 1, 1));
    __asm__ volatile("ldr q1, [%1]\n\tsmov %w0, v1.h[3]" : "=r"(r) : "r"(&va) : "v1");
    check("smov w, v.h[3]", r, (uint32_t)slane(&va, 2, 3));
    __asm__ volatile("ldr q1, [%1]\n\tsmov %0, v1.s[2]" : "=r"(r) : "r"(&va) : "v1");
    check("smov x, v.s[2]", r, (uint64_t)slane(&va, 4, 2));
    __asm__ volatile("ldr q1, [%1]\n\tumov %0, v1.d[1]" : "=r"(r) : "r"(&va) : "v1");
    check("umov x, v.d[1]", r, lane(&va, 8, 1));
    __asm__ volatile("ldr q1, [%1]\n\tumov %w0, v1.h[7]" : "=r"(r) : "r"(&vb) : "v1");
    check("umov w, v.h[7]", r, lane(&vb, 2, 7));

    /* Writing a 64-bit vector or scalar clears the upper half. */
    vd = va;
    VOP("mov v0.8b, v2.8b", &vd, &va, &vb);
    set_lane(&ve, 8, 0, lane(&vb, 8, 0));
    set_lane(&ve, 8, 1, 0);
    check_vec("mov v.8b clears the top", &vd, &ve);
    vd = va;
    __asm__ volatile("ldr q0, [%0]\n\tfmov s0, %w1\n\tstr q0, [%0]" : : "r"(&vd), "r"(0x11223344ull) : "v0", "memory");
    vec_zero(&ve);
    set_lane(&ve, 4, 0, 0x11223344);
    check_vec("fmov s, w clears the rest", &vd, &ve);
    vd = va;
    __asm__ volatile("ldr q0, [%0]\n\tfmov v0.d[1], %1\n\tstr q0, [%0]" : : "r"(&vd), "r"(0x5566ull) : "v0", "memory");
    ve = va;
    set_lane(&ve, 8, 1, 0x5566);
    check_vec("fmov v.d[1], x keeps the low half", &vd, &ve);
    vd = va;
    __asm__ volatile("ldr q0, [%0]\n\tmovi v0.2d, #0xff00ff00ff00ff00\n\tstr q0, [%0]" : : "r"(&vd) : "v0", "memory");
    set_lane(&ve, 8, 0, 0xff00ff00ff00ff00ull);
    set_lane(&ve, 8, 1, 0xff00ff00ff00ff00ull);
    check_vec("movi v.2d", &vd, &ve);
    __asm__ volatile("ldr q0, [%0]\n\tmvni v0.4h, #0x12, lsl #8\n\tstr q0, [%0]" : : "r"(&vd) : "v0", "memory");
    set_lane(&ve, 8, 0, 0xedffedffedffedffull);
    set_lane(&ve, 8, 1, 0);
    check_vec("mvni v.4h lsl #8", &vd, &ve);
}

int main(void)
{
    printf("simd-perm: start at EL%d\n", (int)(boot_current_el >> 2));
    init();
    test_perm();
    test_ext();
    test_tbl();
    test_rev();
    test_moves();
    test_done();
}
