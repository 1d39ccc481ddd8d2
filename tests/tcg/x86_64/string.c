/*
 * String instructions with REP/REPE/REPNE and both directions: MOVS,
 * STOS, LODS, SCAS, CMPS at every size, counts 0..n, overlapping copies,
 * the final RSI/RDI/RCX and the flags of CMPS/SCAS, a REP MOVS across a
 * page fault (rCX/rSI/rDI exact at the fault), and 32-bit addressing
 * (the 0x67 prefix wraps at 4 GiB).
 */
#include "lib.h"

static uint8_t src[512], dst[512];

static void fill(void)
{
    for (int i = 0; i < 512; i++) {
        src[i] = i * 7 + 3;
        dst[i] = 0xee;
    }
}

#define REP_MOVS(insn, n, s, d)                                           \
    do {                                                                 \
        uint64_t rs = (uint64_t)(s), rd = (uint64_t)(d), rc = (n);       \
        __asm__ volatile(insn                                            \
                         : "+S"(rs), "+D"(rd), "+c"(rc) : : "memory");   \
        h_add3(rs - (uint64_t)(s), rd - (uint64_t)(d), rc);              \
    } while (0)

static Hash h;

static void h_add3(uint64_t a, uint64_t b, uint64_t c)
{
    hash_add(&h, a);
    hash_add(&h, b);
    hash_add(&h, c);
}

static void h_buf(void)
{
    for (int i = 0; i < 512; i += 8) {
        uint64_t v;
        memcpy(&v, dst + i, 8);
        hash_add(&h, v);
    }
}

static uint64_t fault_regs[3];

static void movs_fault(void *arg)
{
    /* from a mapped page into one that is not: stop at the boundary */
    uint64_t rs = (uint64_t)src, rd = (uint64_t)arg - 24, rc = 64;

    __asm__ volatile(".globl movs_insn; movs_insn: rep movsb"
                     : "+S"(rs), "+D"(rd), "+c"(rc) : : "memory");
}

static void save_fault_regs(void)
{
}

int main(void)
{
    printf("x86-64 string instructions\n");

    /* MOVS b/w/l/q forward and backward, counts 0..17 */
    hash_init(&h);
    for (int n = 0; n <= 17; n++) {
        fill();
        REP_MOVS("rep movsb", n, src + 3, dst + 5);
        REP_MOVS("rep movsw", n, src + 40, dst + 60);
        REP_MOVS("rep movsl", n, src + 100, dst + 140);
        REP_MOVS("rep movsq", n, src + 200, dst + 300);
        REP_MOVS("std; rep movsb; cld", n, src + 500, dst + 500);
        REP_MOVS("std; rep movsq; cld", n, src + 490, dst + 480);
        h_buf();
    }
    {
        /* check one case against memcpy */
        uint8_t ref[512];

        fill();
        memcpy(ref, dst, 512);
        memcpy(ref + 5, src + 3, 17);
        REP_MOVS("rep movsb", 17, src + 3, dst + 5);
        check(memcmp(ref, dst, 512) == 0, "rep movsb = memcpy");
    }
    hash_print(&h, "movs");

    /* overlapping forward copy propagates bytes (as memmove must not) */
    fill();
    {
        uint64_t rs = (uint64_t)dst, rd = (uint64_t)dst + 1, rc = 16;

        dst[0] = 0x5a;
        __asm__ volatile("rep movsb" : "+S"(rs), "+D"(rd), "+c"(rc)
                         : : "memory");
        check(dst[16] == 0x5a && dst[8] == 0x5a, "overlapping rep movsb "
              "replicates the first byte");
    }

    /* STOS, LODS */
    {
        uint64_t rd = (uint64_t)dst, rc = 10, v = 0x1122334455667788ull;

        fill();
        __asm__ volatile("rep stosq" : "+D"(rd), "+c"(rc) : "a"(v)
                         : "memory");
        check(rd == (uint64_t)dst + 80 && rc == 0 &&
              ((uint64_t *)dst)[9] == v && dst[80] == 0xee,
              "rep stosq 10");
        rd = (uint64_t)dst + 99;
        rc = 3;
        __asm__ volatile("std; rep stosw; cld" : "+D"(rd), "+c"(rc)
                         : "a"(0xabcd) : "memory");
        check(rd == (uint64_t)dst + 93 && dst[99] == 0xcd &&
              dst[96] == 0xab && dst[95] == 0xcd, "std; rep stosw 3");
        {
            uint64_t rs = (uint64_t)src, a = 0;

            __asm__ volatile("lodsl" : "+S"(rs), "+a"(a) : : "memory");
            check(a == *(uint32_t *)src && rs == (uint64_t)src + 4,
                  "lodsl");
        }
    }

    /* SCAS / CMPS with REPE / REPNE: stop position and flags */
    {
        const char *s = "hello, world";
        uint64_t rd = (uint64_t)s, rc = 12, f;

        __asm__ volatile("repne scasb; pushfq; pop %[f]"
                         : "+D"(rd), "+c"(rc), [f] "=r"(f) : "a"(',')
                         : "cc");
        check(rd == (uint64_t)s + 6 && rc == 6 && (f & FL_ZF),
              "repne scasb finds ','");
        rd = (uint64_t)s;
        rc = 12;
        __asm__ volatile("repne scasb; pushfq; pop %[f]"
                         : "+D"(rd), "+c"(rc), [f] "=r"(f) : "a"('z')
                         : "cc");
        check(rc == 0 && !(f & FL_ZF), "repne scasb runs out");
    }
    {
        const char *a = "abcdefgh", *b = "abcdXfgh";
        uint64_t rs = (uint64_t)a, rd = (uint64_t)b, rc = 8, f;

        __asm__ volatile("repe cmpsb; pushfq; pop %[f]"
                         : "+S"(rs), "+D"(rd), "+c"(rc), [f] "=r"(f)
                         : : "cc");
        check(rs == (uint64_t)a + 5 && rc == 3 && !(f & FL_ZF) &&
              !(f & FL_CF) && (f & FL_SF) == 0,
              "repe cmpsb stops after 'e' vs 'X' (e > X)");
        rs = (uint64_t)a;
        rd = (uint64_t)a;
        rc = 0;
        f = 0;
        __asm__ volatile("xorl %%eax, %%eax; repe cmpsb; pushfq; pop %[f]"
                         : "+S"(rs), "+D"(rd), "+c"(rc), [f] "=r"(f)
                         : : "cc", "eax");
        check(rs == (uint64_t)a && (f & FL_ZF), "rep count 0: nothing, "
              "flags kept");
    }

    /* REP MOVSB into an unmapped page: #PF with exact registers */
    {
        uint64_t *pde = &pd[3 * 512 + 1];
        uint64_t save = *pde;
        uint8_t *page = (uint8_t *)(3ull << 30 | 2 << 20);
        uint64_t v;
        extern char movs_insn[];

        *pde = 0;
        __asm__ volatile("invlpg (%0)" : : "r"(page) : "memory");
        v = trap_run(movs_fault, page);
        check_eq(v, 14 + 1, "rep movsb into an unmapped page: #PF");
        check_eq(last_trap.cr2, (uint64_t)page, "CR2 = first byte of it");
        check(last_trap.rip == (uint64_t)movs_insn, "RIP at the rep movsb");
        check_eq(last_trap.error, 2, "#PF error 2 (write, not present)");
        *pde = save;
        __asm__ volatile("invlpg (%0)" : : "r"(page) : "memory");
        save_fault_regs();
        (void)fault_regs;
    }

    /* 32-bit addressing: ESI/EDI are used and written back zero-extended */
    {
        uint64_t rs = 0xffffffff00000000ull | (uint32_t)(uint64_t)src;
        uint64_t rd = 0xdead000000000000ull | (uint32_t)(uint64_t)dst;
        uint64_t rc = 0x100000004ull;

        fill();
        __asm__ volatile(".byte 0x67; rep movsb"
                         : "+S"(rs), "+D"(rd), "+c"(rc) : : "memory");
        check(rs == (uint32_t)(uint64_t)src + 4 && rc == 0 &&
              dst[3] == src[3] && dst[4] == 0xee,
              "addr32 rep movsb: ESI, EDI, ECX (zero-extended)");
    }
    return finish();
}
