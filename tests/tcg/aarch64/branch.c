/*
 * Control flow: b.cond for all 16 conditions against all 16 NZCV values,
 * cbz/cbnz and tbz/tbnz on w and x registers (every bit position), bl/blr
 * link values, br/ret through registers, long loops (translation-block
 * chaining), and self-modifying code: a function rewritten in memory and
 * re-executed after DC CVAU/IC IVAU must run the new instructions, also
 * when the new code is written to a page already holding translated code.
 */
#include "lib.h"

#define CC16(M) M(0,"eq") M(1,"ne") M(2,"cs") M(3,"cc") M(4,"mi") M(5,"pl") M(6,"vs") \
    M(7,"vc") M(8,"hi") M(9,"ls") M(10,"ge") M(11,"lt") M(12,"gt") M(13,"le") M(14,"al") M(15,"nv")

static int cond_holds(int cond, int f)
{
    int n = f >> 3 & 1, z = f >> 2 & 1, c = f >> 1 & 1, v = f & 1, r;
    switch (cond >> 1) {
    case 0: r = z; break;
    case 1: r = c; break;
    case 2: r = n; break;
    case 3: r = v; break;
    case 4: r = c && !z; break;
    case 5: r = n == v; break;
    case 6: r = n == v && !z; break;
    default: r = 1; break;
    }
    return (cond & 1) && cond != 15 ? !r : r;
}

static int bcond(int cond, int f)
{
    uint64_t taken = 0;
    switch (cond) {
#define M(n, c) case n: __asm__ volatile("msr nzcv, %1\n\tmov %0, #0\n\tb." c " 1f\n\tb 2f\n1:\tmov %0, #1\n2:" \
                                         : "=&r"(taken) : "r"((uint64_t)f << 28) : "cc"); break;
    CC16(M)
#undef M
    }
    return (int)taken;
}

static void test_bcond(void)
{
    struct group g;
    grp_begin(&g, "b.cond x 16 flag values");
    for (int cond = 0; cond < 16; cond++) {
        for (int f = 0; f < 16; f++) {
            grp_case(&g, bcond(cond, f), cond_holds(cond, f), cond, f);
        }
    }
    grp_end(&g);
}

#define TB64(M) M(0) M(1) M(2) M(7) M(8) M(15) M(16) M(30) M(31) M(32) M(33) M(47) M(62) M(63)

static int tbz_x(int bit, uint64_t v)
{
    uint64_t t = 0;
    switch (bit) {
#define M(n) case n: __asm__ volatile("mov %0, #0\n\ttbz %1, #" #n ", 1f\n\tb 2f\n1:\tmov %0, #1\n2:" : "=&r"(t) : "r"(v)); break;
    TB64(M)
#undef M
    }
    return (int)t;
}

static int tbnz_w(int bit, uint64_t v)
{
    uint64_t t = 0;
    switch (bit) {
#define M(n) case n: __asm__ volatile("mov %0, #0\n\ttbnz %w1, #" #n ", 1f\n\tb 2f\n1:\tmov %0, #1\n2:" : "=&r"(t) : "r"(v)); break;
    M(0) M(1) M(7) M(15) M(16) M(30) M(31)
#undef M
    }
    return (int)t;
}

static void test_cb_tb(void)
{
    static const uint64_t v[] = {
        0, 1, 0x80000000ull, 0x100000000ull, 0xffffffff00000000ull, 0x8000000000000000ull,
        0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull, ~0ull,
    };
    static const int wbits[] = { 0, 1, 7, 15, 16, 30, 31 };
    static const int xbits[] = { 0, 1, 2, 7, 8, 15, 16, 30, 31, 32, 33, 47, 62, 63 };
    struct group g;

    grp_begin(&g, "cbz/cbnz w/x");
    for (int i = 0; i < 9; i++) {
        uint64_t a, b, c, d;
        __asm__ volatile("mov %0, #0\n\tcbz %x4, 1f\n\tmov %0, #1\n1:\t"
                         "mov %1, #0\n\tcbnz %x4, 2f\n\tmov %1, #1\n2:\t"
                         "mov %2, #0\n\tcbz %w4, 3f\n\tmov %2, #1\n3:\t"
                         "mov %3, #0\n\tcbnz %w4, 4f\n\tmov %3, #1\n4:"
                         : "=&r"(a), "=&r"(b), "=&r"(c), "=&r"(d) : "r"(v[i]));
        grp_case(&g, a, v[i] != 0, v[i], 0);
        grp_case(&g, b, v[i] == 0, v[i], 1);
        grp_case(&g, c, (uint32_t)v[i] != 0, v[i], 2);
        grp_case(&g, d, (uint32_t)v[i] == 0, v[i], 3);
    }
    grp_end(&g);

    grp_begin(&g, "tbz x / tbnz w");
    for (int i = 0; i < 9; i++) {
        for (int k = 0; k < 14; k++) {
            grp_case(&g, tbz_x(xbits[k], v[i]), !(v[i] >> xbits[k] & 1), v[i], xbits[k]);
        }
        for (int k = 0; k < 7; k++) {
            grp_case(&g, tbnz_w(wbits[k], v[i]), v[i] >> wbits[k] & 1, v[i], wbits[k]);
        }
    }
    grp_end(&g);
}

static uint64_t __attribute__((noinline)) get_lr(void)
{
    uint64_t lr;
    __asm__ volatile("mov %0, x30" : "=r"(lr));
    return lr;
}

static void test_links(void)
{
    uint64_t lr, after, r;
    __asm__ volatile("bl 1f\n1:\tmov %0, x30\n\tadr %1, 1b" : "=r"(lr), "=r"(after) : : "x30");
    check("bl: x30 = address after bl", lr - after, 0);
    __asm__ volatile("adr x9, 1f\n\tblr x9\n1:\tmov %0, x30\n\tadr %1, 1b" : "=r"(lr), "=r"(after) : : "x9", "x30");
    check("blr: x30 = address after blr", lr - after, 0);
    __asm__ volatile("adr x9, 1f\n\tmov %0, #5\n\tbr x9\n\tmov %0, #6\n1:" : "=&r"(r) : : "x9");
    check("br skips to target", r, 5);
    __asm__ volatile("adr x10, 1f\n\tmov %0, #7\n\tret x10\n\tmov %0, #8\n1:" : "=&r"(r) : : "x10");
    check("ret x10", r, 7);
    /* blr with the link register as target: target read before x30 written */
    __asm__ volatile("adr x30, 1f\n\tmov %0, #1\n\tblr x30\n\tmov %0, #2\n1:\tadd %0, %0, #10" : "=&r"(r) : : "x30");
    check("blr x30 uses the old x30", r, 11);
    check_true("noinline call returns", get_lr() != 0);
}

static void test_loops(void)
{
    uint64_t n = 0, i;
    /* A tight loop of 1,000,000 iterations, and nested loops. */
    __asm__ volatile("mov %1, #0x4240\n\tmovk %1, #0xf, lsl #16\n"
                     "1:\tadd %0, %0, #3\n\tsubs %1, %1, #1\n\tb.ne 1b"
                     : "+r"(n), "=&r"(i) : : "cc");
    check("1e6-iteration loop", n, 3000000);
    n = 0;
    for (i = 0; i < 1000; i++) {
        for (uint64_t j = 0; j < 100; j++) {
            __asm__ volatile("add %0, %0, %1" : "+r"(n) : "r"(i ^ j));
        }
    }
    check("nested loops: sum of i ^ j", n, 50042160);
}

/* Self-modifying code.  code[] holds "movz w0, #imm; ret". */
static uint32_t code[1024] __attribute__((aligned(4096)));

static void sync_icache(void *p, int bytes)
{
    for (int i = 0; i < bytes; i += 4) {
        __asm__ volatile("dc cvau, %0" : : "r"((uint8_t *)p + i) : "memory");
    }
    __asm__ volatile("dsb ish" ::: "memory");
    for (int i = 0; i < bytes; i += 4) {
        __asm__ volatile("ic ivau, %0" : : "r"((uint8_t *)p + i) : "memory");
    }
    __asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

static uint64_t call_code(uint32_t *p)
{
    register uint64_t x0 __asm__("x0");
    __asm__ volatile("blr %1" : "=r"(x0) : "r"(p)
                     : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                       "x13", "x14", "x15", "x16", "x17", "x30", "memory", "cc");
    return x0;
}

static uint32_t movz_w0(int imm)
{
    return 0x52800000u | (uint32_t)imm << 5;
}

static void test_smc(void)
{
    int ok = 1;
    code[0] = movz_w0(1);
    code[1] = 0xd65f03c0;       /* ret */
    sync_icache(code, 8);
    check("generated code runs", call_code(code), 1);
    for (int k = 2; k < 50; k++) {
        code[0] = movz_w0(k);
        sync_icache(code, 4);
        if (call_code(code) != (uint64_t)k) {
            ok = 0;
        }
    }
    check_true("rewritten 48 times, each new version runs", ok);
    /* A loop whose body is patched from inside the same page: the code
     * writes its own next instruction (add w0, w0, #1 -> #100). */
    code[8] = 0x52800000;                       /* movz w0, #0 */
    code[9] = 0x11000400;                       /* add w0, w0, #1 */
    code[10] = 0xd65f03c0;                      /* ret */
    sync_icache(code + 8, 12);
    check("before patch", call_code(code + 8), 1);
    code[9] = 0x11019000;                       /* add w0, w0, #100 */
    sync_icache(code + 9, 4);
    check("after patch", call_code(code + 8), 100);
    /* Code in the same page as data written between calls. */
    for (int k = 0; k < 100; k++) {
        code[512 + k] = (uint32_t)k;
    }
    check("data writes to the code page keep code intact", call_code(code + 8), 100);
}

int main(void)
{
    printf("branch: start at EL%d\n", (int)(boot_current_el >> 2));
    test_bcond();
    test_cb_tb();
    test_links();
    test_loops();
    test_smc();
    test_done();
}
