/*
 * 4-level paging: mappings, accessed/dirty bits, page-fault error codes
 * (not present, write, user, reserved bit, instruction fetch), CR0.WP,
 * NX, INVLPG, CR3 reload, 2 MiB and 1 GiB pages, SMEP, SMAP with
 * STAC/CLAC, protection keys (SDM Vol. 3A chapter 4).
 *
 * The test runs on its own tables: the first 4 GiB identity-mapped for
 * the supervisor only, and a 2 MiB window at 256 GiB (PDPT index 256)
 * with 4 KiB test pages.
 */
#include "lib.h"

#define WIN 0x4000000000ull         /* 256 GiB */
#define P 1ull
#define RW 2ull
#define US 4ull
#define A 0x20ull
#define D 0x40ull
#define PS 0x80ull
#define NX (1ull << 63)

static uint64_t kpml4[512] __attribute__((aligned(4096)));
static uint64_t kpdpt[512] __attribute__((aligned(4096)));
static uint64_t kpd[4][512] __attribute__((aligned(4096)));
static uint64_t wpd[512] __attribute__((aligned(4096)));
static uint64_t wpt[512] __attribute__((aligned(4096)));
static uint8_t frames[8][4096] __attribute__((aligned(4096)));

static uint64_t frame(int i)
{
    return (uint64_t)frames[i];
}

static void flush(void)
{
    write_cr3(read_cr3());
}

static void op_read(void *a)
{
    volatile uint64_t *p = a;
    (void)*p;
}

static void op_write(void *a)
{
    volatile uint64_t *p = a;
    *p = 0x77;
}

static void op_call(void *a)
{
    ((void (*)(void))a)();
}

static uint64_t err_of(uint64_t v)
{
    return v == 15 ? last_trap.error : 0xffff;
}

int main(void)
{
    uint64_t *pte = wpt, v;
    uint8_t *w = (uint8_t *)WIN;

    printf("x86-64 paging\n");
    for (int g = 0; g < 4; g++) {
        for (int i = 0; i < 512; i++) {
            kpd[g][i] = ((uint64_t)g << 30) | ((uint64_t)i << 21) | P | RW |
                        US | PS;
        }
        kpdpt[g] = (uint64_t)kpd[g] | P | RW | US;
    }
    kpdpt[256 % 512] = 0;
    kpml4[0] = (uint64_t)kpdpt | P | RW | US;
    /* window: PDPT[256] -> wpd, wpd[0] -> wpt (user allowed on the path) */
    kpdpt[256 & 511] = 0;
    {
        static uint64_t wpdpt[512] __attribute__((aligned(4096)));

        kpml4[0] = (uint64_t)kpdpt | P | RW | US;
        /* 256 GiB is PML4 index 0, PDPT index 256 */
        kpdpt[256] = (uint64_t)wpd | P | RW | US;
        wpd[0] = (uint64_t)wpt | P | RW | US;
        (void)wpdpt;
    }
    for (int i = 0; i < 8; i++) {
        memset(frames[i], i, 4096);
        pte[i] = frame(i) | P | RW;
    }
    write_cr3((uint64_t)kpml4);

    check_eq(*(volatile uint8_t *)(w + 0x3010), 3, "window page 3 maps "
             "frame 3");
    check_eq(pte[3] & (A | D), A, "read: A set, D clear");
    *(volatile uint8_t *)(w + 0x3010) = 9;
    check_eq(pte[3] & (A | D), A | D, "write: D set");
    check_eq(frames[3][0x10], 9, "the write reached the frame");

    pte[4] = 0;
    flush();
    v = trap_run(op_read, w + 0x4008);
    check_eq(err_of(v), 0, "#PF not present read: error 0");
    check_eq(last_trap.cr2, (uint64_t)w + 0x4008, "CR2");
    v = trap_run(op_write, w + 0x4008);
    check_eq(err_of(v), 2, "#PF not present write: error 2");

    pte[5] = frame(5) | P;                  /* read-only */
    flush();
    check_eq(trap_run(op_read, w + 0x5000), 0, "read-only page: read ok");
    v = trap_run(op_write, w + 0x5000);
    check_eq(err_of(v), 3, "supervisor write, CR0.WP: error 3");
    __asm__ volatile("mov %%cr0, %%rax; and $~0x10000, %%rax; mov %%rax, "
                     "%%cr0" ::: "rax");
    check_eq(trap_run(op_write, w + 0x5000), 0,
             "CR0.WP clear: supervisor write allowed");
    __asm__ volatile("mov %%cr0, %%rax; or $0x10000, %%rax; mov %%rax, "
                     "%%cr0" ::: "rax");

    /* user accesses */
    pte[6] = frame(6) | P | RW;             /* supervisor page */
    pte[7] = frame(7) | P | US;             /* user read-only */
    flush();
    user_addr = (uint64_t)w + 0x6000;
    check_eq(run_user(user_read), 15, "user read of a supervisor page: #PF");
    check_eq(last_trap.error, 5, "error 5 (present, user)");
    user_addr = (uint64_t)w + 0x7000;
    check_eq(run_user(user_read), USER_BACK, "user read of a user page");
    check_eq(run_user(user_write), 15, "user write to read-only: #PF");
    check_eq(last_trap.error, 7, "error 7 (present, write, user)");
    user_addr = (uint64_t)w + 0x4000;
    check_eq(run_user(user_read), 15, "user read, not present: #PF");
    check_eq(last_trap.error, 4, "error 4 (user)");

    /* reserved bit, NX */
    pte[4] = frame(4) | P | RW | (1ull << 51);
    flush();
    v = trap_run(op_read, w + 0x4000);
    check_eq(err_of(v), 9, "reserved bit 51: error 9 (present, RSVD)");
    frames[2][0] = 0xc3;                    /* ret */
    pte[2] = frame(2) | P | RW | NX;
    flush();
    v = trap_run(op_call, w + 0x2000);
    check_eq(err_of(v), 0x11, "fetch from NX: error 0x11 (present, I/D)");
    check_eq(last_trap.rip, (uint64_t)w + 0x2000, "RIP = the NX page");
    pte[2] = frame(2) | P | RW;
    flush();
    check_eq(trap_run(op_call, w + 0x2000), 0, "NX clear: the code runs");

    /* INVLPG: a new mapping becomes visible */
    pte[1] = frame(1) | P | RW;
    flush();
    check_eq(*(volatile uint8_t *)(w + 0x1000), 1, "page 1 -> frame 1");
    pte[1] = frame(0) | P | RW;
    __asm__ volatile("invlpg (%0)" : : "r"(w + 0x1000) : "memory");
    check_eq(*(volatile uint8_t *)(w + 0x1000), 0,
             "after INVLPG: page 1 -> frame 0");

    /* 2 MiB and 1 GiB pages */
    wpd[1] = (uint64_t)frames[1] & ~0x1fffffull;
    wpd[1] |= P | RW | PS;
    flush();
    check_eq(*(volatile uint8_t *)(w + 0x200000 +
                                   ((uint64_t)frames[1] & 0x1fffff)), 1,
             "2 MiB page");
    {
        static uint64_t gpdpt_save;

        gpdpt_save = kpdpt[257];
        kpdpt[257] = 0 | P | RW | PS;                 /* 1 GiB at 0 */
        flush();
        check_eq(*(volatile uint8_t *)(0x4040000000ull + (uint64_t)frames[6]),
                 6, "1 GiB page");
        kpdpt[257] = gpdpt_save;
        flush();
    }

    /* SMEP, SMAP: the identity map becomes supervisor-only */
    for (int g = 0; g < 4; g++) {
        for (int i = 0; i < 512; i++) {
            kpd[g][i] &= ~US;
        }
    }
    flush();
    {
        uint32_t r[4];

        cpuid(7, 0, r);
        frames[2][0] = 0xc3;
        pte[2] = frame(2) | P | RW | US;
        flush();
        if (r[1] & (1u << 7)) {
            write_cr4(read_cr4() | (1u << 20));
            v = trap_run(op_call, w + 0x2000);
            check_eq(err_of(v), 0x11, "SMEP: supervisor fetch from a user "
                     "page: error 0x11");
            write_cr4(read_cr4() & ~(1ull << 20));
        }
        if (r[1] & (1u << 20)) {
            write_cr4(read_cr4() | (1u << 21));
            v = trap_run(op_read, w + 0x2000);
            check_eq(err_of(v), 1, "SMAP: supervisor read of a user page: "
                     "error 1");
            __asm__ volatile("stac");
            check_eq(trap_run(op_read, w + 0x2000), 0, "SMAP with STAC: "
                     "allowed");
            __asm__ volatile("clac");
            v = trap_run(op_read, w + 0x2000);
            check_eq(err_of(v), 1, "CLAC: refused again");
            write_cr4(read_cr4() & ~(1ull << 21));
        }
        for (int g = 0; g < 4; g++) {
            for (int i = 0; i < 512; i++) {
                kpd[g][i] |= US;            /* user code runs again */
            }
        }
        flush();
        if (r[2] & (1u << 3)) {
            /* protection key 1 on page 7, access disabled for key 1 */
            pte[7] = frame(7) | P | RW | US | (1ull << 59);
            write_cr4(read_cr4() | (1u << 22));
            flush();
            __asm__ volatile("wrpkru" : : "a"(1u << 2), "c"(0), "d"(0));
            user_addr = (uint64_t)w + 0x7000;
            check_eq(run_user(user_read), 15, "PKRU.AD1: user read #PF");
            check_eq(last_trap.error, 0x25, "error 0x25 (P, U, PK)");
            __asm__ volatile("wrpkru" : : "a"(2u << 2), "c"(0), "d"(0));
            check_eq(run_user(user_read), USER_BACK, "PKRU.WD1: read ok");
            check_eq(run_user(user_write), 15, "PKRU.WD1: write #PF");
            check_eq(last_trap.error, 0x27, "error 0x27 (P, W, U, PK)");
            __asm__ volatile("wrpkru" : : "a"(0), "c"(0), "d"(0));
            write_cr4(read_cr4() & ~(1ull << 22));
        }
    }
    write_cr3((uint64_t)pml4);
    return finish();
}
