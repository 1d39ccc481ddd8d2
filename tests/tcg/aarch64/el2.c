/*
 * EL2 on `-M virt,virtualization=on` (run-tests.sh adds it for el2-*
 * tests): the ELF starts at EL2h, EL2 system registers work there, an
 * ERET drops to EL1h, where EL2 registers are UNDEFINED again, HVC with
 * HCR_EL2.HCD set is UNDEFINED and SVC is taken to EL1 (HCR_EL2.TGE
 * clear).
 */
#include "lib.h"

#define HCR_HCD (1ull << 29)
#define HCR_RW  (1ull << 31)

static void test_at_el2(void)
{
    check("CurrentEL at start", READ_SYSREG(CurrentEL), 8);
    WRITE_SYSREG(vbar_el2, 0x40123000ull);
    check("VBAR_EL2 round trip", READ_SYSREG(vbar_el2), 0x40123000ull);
    WRITE_SYSREG(hcr_el2, HCR_RW | HCR_HCD);
    check("HCR_EL2 RW|HCD", READ_SYSREG(hcr_el2), HCR_RW | HCR_HCD);
    WRITE_SYSREG(tpidr_el2, 0x5a5a5a5a5a5a5a5aull);
    check("TPIDR_EL2 round trip", READ_SYSREG(tpidr_el2),
          0x5a5a5a5a5a5a5a5aull);
}

/* ERET from EL2h to EL1h on the same stack, DAIF masked */
static void drop_to_el1(void)
{
    __asm__ volatile("mov x0, sp\n\t"
                     "msr sp_el1, x0\n\t"
                     "adr x0, 1f\n\t"
                     "msr elr_el2, x0\n\t"
                     "mov x0, #0x3c5\n\t"
                     "msr spsr_el2, x0\n\t"
                     "isb\n\t"
                     "eret\n"
                     "1:" ::: "x0", "memory");
}

static void test_at_el1(void)
{
    uint64_t at, r = 0;

    check("CurrentEL after ERET", READ_SYSREG(CurrentEL), 4);

    exc_clear();
    __asm__ volatile("adr %0, 1f\n1:\tmrs %1, hcr_el2"
                     : "=r"(at), "+r"(r) : : "memory");
    check("mrs hcr_el2 at EL1: EC unknown", ESR_EC(exc_last.esr), EC_UNKNOWN);
    check("mrs hcr_el2 at EL1: to EL1 (current EL, SPx)", exc_last.vector, 4);

    exc_clear();
    __asm__ volatile("adr %0, 1f\n1:\thvc #0x77" : "=r"(at) : : "memory");
    check("hvc with HCR_EL2.HCD: EC unknown", ESR_EC(exc_last.esr),
          EC_UNKNOWN);
    check("hvc with HCR_EL2.HCD: ELR is the hvc", exc_last.elr - at, 0);

    exc_clear();
    __asm__ volatile("adr %0, 1f\n1:\tsvc #0x42" : "=r"(at) : : "memory");
    check("svc at EL1: to EL1", exc_last.vector, 4);
    check("svc at EL1: ESR", exc_last.esr,
          (uint64_t)EC_SVC64 << 26 | 1 << 25 | 0x42);
}

int main(void)
{
    printf("el2: start at EL%d\n", (int)(boot_current_el >> 2));
    test_at_el2();
    drop_to_el1();
    test_at_el1();
    test_done();
}
