/*
 * System registers and system instructions: ID registers that every A64
 * CPU must report sanely (MIDR, MPIDR RES1 bit, CTR_EL0, DCZID_EL0),
 * TPIDR_EL0/EL1/TPIDRRO_EL0 read/write and their EL0 access rules, DC ZVA
 * (size from DCZID, alignment down, Normal memory), the SCTLR_EL1 and
 * CNTKCTL_EL1 controls of EL0 access (UCT, DZE, UMA, EL0VCTEN) with the
 * ISS of the trapped MRS/MSR/SYS, ID register reads from EL0 (UNDEFINED,
 * or EC 0x18 with FEAT_IDST), SEVL+WFE, hints, NZCV/DAIF at EL0.
 */
#include "lib.h"

#define SCTLR_UMA   (1ull << 9)
#define SCTLR_DZE   (1ull << 14)
#define SCTLR_UCT   (1ull << 15)

/* ISS of a trapped MSR/MRS/SYS (EC 0x18): Op0, Op2, Op1, CRn, Rt, CRm, dir */
static uint64_t sys_iss(int op0, int op1, int crn, int crm, int op2, int rt, int read)
{
    return (uint64_t)op0 << 20 | (uint64_t)op2 << 17 | (uint64_t)op1 << 14 |
           (uint64_t)crn << 10 | (uint64_t)rt << 5 | (uint64_t)crm << 1 | (uint64_t)read;
}

static uint64_t first_ec_iss(void)
{
    return exc_last.count ? ESR_EC(exc_last.first_esr) << 25 | ESR_ISS(exc_last.first_esr) : ~0ull;
}

static void test_id(void)
{
    uint64_t midr = READ_SYSREG(midr_el1), mpidr = READ_SYSREG(mpidr_el1);
    uint64_t ctr = READ_SYSREG(ctr_el0), dczid = READ_SYSREG(dczid_el0);

    check("MIDR_EL1.Architecture is 0xf (ID-register scheme)", midr >> 16 & 0xf, 0xf);
    check("MPIDR_EL1 bit 31 (RES1)", mpidr >> 31 & 1, 1);
    check("MPIDR_EL1 Aff0 of the boot CPU", mpidr & 0xff, 0);
    check("CTR_EL0 bit 31 (RES1)", ctr >> 31 & 1, 1);
    check_true("CTR_EL0 DminLine, IminLine >= 16 bytes", ((ctr >> 16) & 0xf) >= 2 && (ctr & 0xf) >= 2);
    check("DCZID_EL0 DZP (DC ZVA permitted at EL1)", dczid >> 4 & 1, 0);
    check_true("DCZID_EL0 block size 16..2048 bytes", (dczid & 0xf) >= 2 && (dczid & 0xf) <= 9);
    check("CurrentEL", READ_SYSREG(CurrentEL), 4);
}

static void test_tpidr(void)
{
    WRITE_SYSREG(tpidr_el0, 0x1111222233334444ull);
    WRITE_SYSREG(tpidr_el1, 0x5555666677778888ull);
    WRITE_SYSREG(tpidrro_el0, 0x99990000aaaabbbbull);
    check("TPIDR_EL0", READ_SYSREG(tpidr_el0), 0x1111222233334444ull);
    check("TPIDR_EL1", READ_SYSREG(tpidr_el1), 0x5555666677778888ull);
    check("TPIDRRO_EL0", READ_SYSREG(tpidrro_el0), 0x99990000aaaabbbbull);
}

static uint8_t zbuf[4096] __attribute__((aligned(4096)));

static void test_dczva(void)
{
    int bs = 4 << (READ_SYSREG(dczid_el0) & 0xf);
    int ok = 1, zeros = 0;

    mmu_identity_on();      /* DC ZVA is only defined on Normal memory */
    memset(zbuf, 0xa5, sizeof(zbuf));
    /* An address in the middle of a block zeroes the whole aligned block. */
    __asm__ volatile("dc zva, %0" : : "r"(zbuf + 2 * bs + bs / 2 + 3) : "memory");
    for (int i = 0; i < (int)sizeof(zbuf); i++) {
        int in = i >= 2 * bs && i < 3 * bs;
        if (in) {
            zeros++;
        }
        if (zbuf[i] != (in ? 0 : 0xa5)) {
            ok = 0;
        }
    }
    check_true("DC ZVA zeroes exactly the aligned block", ok);
    check("DC ZVA zeroed bytes == DCZID block size", zeros, bs);
    mmu_identity_off();
}

/* EL0 probes: each returns a value through svc #0xe0. */
static uint64_t el0_read_tpidr(uint64_t x)
{
    uint64_t a, b;
    __asm__ volatile("mrs %0, tpidr_el0\n\tmrs %1, tpidrro_el0" : "=r"(a), "=r"(b));
    el0_return(a ^ b);
}

static uint64_t el0_write_tpidrro(uint64_t x)
{
    __asm__ volatile("mov x3, %0\n\tmsr tpidrro_el0, x3" : : "r"(x) : "x3");
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(x));
    el0_return(0);
}

static uint64_t el0_ctr(uint64_t x)
{
    register uint64_t v __asm__("x1") = 0xdead;
    __asm__ volatile("mrs x1, ctr_el0" : "+r"(v));
    el0_return(v);
}

static uint64_t el0_cntvct(uint64_t x)
{
    register uint64_t v __asm__("x2") = 0;
    __asm__ volatile("mrs x2, cntvct_el0" : "+r"(v));
    el0_return(v);
}

static uint64_t el0_dczva(uint64_t x)
{
    __asm__ volatile("mov x4, %0\n\tdc zva, x4" : : "r"(x) : "x4", "memory");
    el0_return(0);
}

static uint64_t el0_daif(uint64_t x)
{
    uint64_t d;
    __asm__ volatile("msr daifset, #2\n\tmrs %0, daif" : "=r"(d) : : "memory");
    el0_return(d);
}

static uint64_t el0_idreg(uint64_t x)
{
    register uint64_t v __asm__("x5") = 0x77;
    __asm__ volatile("mrs x5, id_aa64pfr0_el1" : "+r"(v));
    el0_return(v);
}

static uint64_t el0_nzcv(uint64_t x)
{
    uint64_t f;
    __asm__ volatile("msr nzcv, %1\n\tmrs %0, nzcv" : "=r"(f) : "r"(x) : "cc");
    el0_return(f);
}

static void test_el0_access(void)
{
    uint64_t sctlr = READ_SYSREG(sctlr_el1), r;

    WRITE_SYSREG(tpidr_el0, 0x0f0f);
    WRITE_SYSREG(tpidrro_el0, 0xf000);
    exc_clear();
    r = run_el0(el0_read_tpidr, 0, __el0_stack_top);
    check("EL0 reads TPIDR_EL0 and TPIDRRO_EL0", r, 0xff0f);
    check("EL0 TPIDR reads: no trap", exc_last.count, 1);

    exc_clear();
    run_el0(el0_write_tpidrro, 0x1234, __el0_stack_top);
    check("EL0 write to TPIDRRO_EL0: UNDEFINED", ESR_EC(exc_last.first_esr), EC_UNKNOWN);
    check("EL0 write to TPIDRRO_EL0: value kept", READ_SYSREG(tpidrro_el0), 0xf000);
    check("EL0 write to TPIDR_EL0 allowed", READ_SYSREG(tpidr_el0), 0x1234);

    /* SCTLR_EL1.UCT: CTR_EL0 at EL0 */
    WRITE_SYSREG(sctlr_el1, sctlr & ~(SCTLR_UCT | SCTLR_DZE | SCTLR_UMA));
    ISB();
    exc_clear();
    r = run_el0(el0_ctr, 0, __el0_stack_top);
    check("EL0 MRS CTR_EL0 with UCT=0: trapped (EC 0x18, ISS)", first_ec_iss(),
          (uint64_t)EC_SYS64 << 25 | sys_iss(3, 3, 0, 0, 1, 1, 1));
    check("EL0 MRS CTR_EL0 with UCT=0: x1 unchanged", r, 0xdead);
    exc_clear();
    run_el0(el0_dczva, (uint64_t)(uintptr_t)zbuf, __el0_stack_top);
    check("EL0 DC ZVA with DZE=0: trapped (EC 0x18, ISS)", first_ec_iss(),
          (uint64_t)EC_SYS64 << 25 | sys_iss(1, 3, 7, 4, 1, 4, 0));
    exc_clear();
    run_el0(el0_daif, 0, __el0_stack_top);
    check("EL0 MSR DAIFSet with UMA=0: trapped", ESR_EC(exc_last.first_esr), EC_SYS64);

    WRITE_SYSREG(sctlr_el1, sctlr | SCTLR_UCT | SCTLR_UMA);
    ISB();
    exc_clear();
    r = run_el0(el0_ctr, 0, __el0_stack_top);
    check("EL0 MRS CTR_EL0 with UCT=1", r, READ_SYSREG(ctr_el0));
    r = run_el0(el0_daif, 0, __el0_stack_top);
    check("EL0 MSR DAIFSet with UMA=1: DAIF.I set", r & 0x80, 0x80);
    check("UCT=1, UMA=1: only the return SVCs", exc_last.count, 2);
    WRITE_SYSREG(sctlr_el1, sctlr);
    ISB();

    /* CNTKCTL_EL1.EL0VCTEN (bit 1) and EL0PCTEN (bit 0) */
    WRITE_SYSREG(cntkctl_el1, 0);
    ISB();
    exc_clear();
    r = run_el0(el0_cntvct, 0, __el0_stack_top);
    check("EL0 CNTVCT_EL0 with EL0VCTEN=0: trapped (EC 0x18, ISS)", first_ec_iss(),
          (uint64_t)EC_SYS64 << 25 | sys_iss(3, 3, 14, 0, 2, 2, 1));
    WRITE_SYSREG(cntkctl_el1, 2);
    ISB();
    exc_clear();
    r = run_el0(el0_cntvct, 0, __el0_stack_top);
    check_true("EL0 CNTVCT_EL0 with EL0VCTEN=1: a count", r != 0 && exc_last.count == 1);

    exc_clear();
    r = run_el0(el0_idreg, 0, __el0_stack_top);
    /* UNDEFINED (EC 0), or trapped as EC 0x18 with FEAT_IDST */
    check_true("EL0 MRS ID_AA64PFR0_EL1: UNDEFINED or IDST trap", ESR_EC(exc_last.first_esr) ==
               (((READ_SYSREG(id_aa64mmfr2_el1) >> 36) & 0xf) ? EC_SYS64 : EC_UNKNOWN));
    check("EL0 MRS ID_AA64PFR0_EL1: x5 unchanged", r, 0x77);

    exc_clear();
    r = run_el0(el0_nzcv, 0xa0000000ull, __el0_stack_top);
    check("EL0 MSR/MRS NZCV", r, 0xa0000000ull);
    check("EL0 NZCV: no trap", exc_last.count, 1);
}

static void test_hints(void)
{
    uint64_t t0 = READ_SYSREG(cntvct_el0);
    exc_clear();
    /* SEVL sets the local event register, so the WFE returns at once. */
    __asm__ volatile("sevl\n\twfe\n\tnop\n\tyield\n\tsev\n\twfe\n\tisb\n\tdsb sy\n\tdmb ish\n\t"
                     "hint #0x7f\n\tcsdb\n\tesb" ::: "memory");
    check("hints, barriers, sevl+wfe: no exception", exc_last.count, 0);
    check_true("and no hang (under 10 s)", READ_SYSREG(cntvct_el0) - t0 < 10 * READ_SYSREG(cntfrq_el0));
}

int main(void)
{
    printf("sysregs: start at EL%d\n", (int)(boot_current_el >> 2));
    exc_clear();
    test_id();
    test_tpidr();
    test_dczva();
    test_el0_access();
    test_hints();
    test_done();
}
