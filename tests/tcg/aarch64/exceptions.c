/*
 * Synchronous exceptions taken to EL1: SVC and BRK (syndrome, return
 * address), undefined instructions (including EL2 system registers from
 * EL1), alignment faults (SCTLR_EL1.A), PC alignment, FP/SIMD trapped by
 * CPACR_EL1, illegal exception return, the SP_EL0 vector group, and a round
 * trip to EL0 through ERET and back through SVC, including faults taken
 * from EL0.  HVC is not tested: without EL2, QEMU's virt treats HVC as the
 * PSCI conduit.
 */
#include "lib.h"

static uint64_t data[4] __attribute__((aligned(16))) = { 0x1122334455667788ull, 0x99aabbccddeeff00ull };

static void test_svc_brk(void)
{
    uint64_t at;

    exc_clear();
    __asm__ volatile("adr %0, 1f\n1:\tsvc #0x1234" : "=r"(at) : : "memory");
    check("svc: count", exc_last.count, 1);
    check("svc: vector (current EL, SPx, sync)", exc_last.vector, 4);
    check("svc: ESR", exc_last.esr, (uint64_t)EC_SVC64 << 26 | 1 << 25 | 0x1234);
    check("svc: ELR is the next instruction", exc_last.elr - at, 4);
    check("svc: SPSR.M is EL1h", exc_last.spsr & 0x1f, 5);
    check("svc: SPSR.DAIF", (exc_last.spsr >> 6) & 0xf, 0xf);

    exc_clear();
    __asm__ volatile("adr %0, 1f\n1:\tbrk #0xbeef" : "=r"(at) : : "memory");
    check("brk: ESR", exc_last.esr, (uint64_t)EC_BRK64 << 26 | 1 << 25 | 0xbeef);
    check("brk: ELR is the brk itself", exc_last.elr - at, 0);

    /* NZCV is saved in SPSR and restored by ERET. */
    {
        uint64_t f;
        exc_clear();
        __asm__ volatile("msr nzcv, %1\n\tsvc #0\n\tmrs %0, nzcv" : "=r"(f) : "r"(0x90000000ull) : "memory");
        check("svc: SPSR.NZCV", exc_last.spsr >> 28, 9);
        check("eret restores NZCV", f >> 28, 9);
    }
}

static void test_undef(void)
{
    uint64_t at, r = 0;

    exc_clear();
    __asm__ volatile("adr %0, 1f\n1:\t.inst 0x00000000" : "=r"(at) : : "memory");
    check("udf: EC unknown", ESR_EC(exc_last.esr), EC_UNKNOWN);
    check("udf: IL", (exc_last.esr >> 25) & 1, 1);
    check("udf: ELR", exc_last.elr - at, 0);

    exc_clear();
    __asm__ volatile("adr %0, 1f\n1:\tmrs %1, hcr_el2" : "=r"(at), "+r"(r) : : "memory");
    check("mrs hcr_el2 at EL1: EC unknown", ESR_EC(exc_last.esr), EC_UNKNOWN);
    check("mrs hcr_el2 at EL1: ELR", exc_last.elr - at, 0);

    exc_clear();
    __asm__ volatile("msr sctlr_el3, %0" : : "r"(0ull) : "memory");
    check("msr sctlr_el3 at EL1: EC unknown", (uint64_t)exc_last.count << 8 | ESR_EC(exc_last.esr), 0x100);

    /* FP/SIMD while CPACR_EL1.FPEN traps EL1 (this test leaves it at 0). */
    exc_clear();
    __asm__ volatile("adr %0, 1f\n1:\tfmov d0, xzr" : "=r"(at) : : "memory");
    check("fp trapped by CPACR: EC", ESR_EC(exc_last.esr), EC_FP_TRAP);
    check("fp trapped by CPACR: ELR", exc_last.elr - at, 0);
}

static void test_alignment(void)
{
    uint64_t sctlr = READ_SYSREG(sctlr_el1);
    uint64_t addr = (uint64_t)(uintptr_t)data + 1, r = 0, r2 = 0;

    WRITE_SYSREG(sctlr_el1, sctlr | 2);         /* A: alignment check */
    ISB();
    exc_clear();
    __asm__ volatile("ldr %0, [%1]" : "+r"(r) : "r"(addr) : "memory");
    check("unaligned ldr: EC data abort", ESR_EC(exc_last.esr), EC_DABT_CUR);
    check("unaligned ldr: DFSC alignment", exc_last.esr & 0x3f, 0x21);
    check("unaligned ldr: WnR", (exc_last.esr >> 6) & 1, 0);
    check("unaligned ldr: FAR", exc_last.far - addr, 0);
    check("unaligned ldr: no load", r, 0);

    exc_clear();
    __asm__ volatile("strh %w0, [%1]" : : "r"(0ull), "r"(addr + 2) : "memory");
    check("unaligned strh: DFSC", exc_last.esr & 0x3f, 0x21);
    check("unaligned strh: WnR", (exc_last.esr >> 6) & 1, 1);
    check("unaligned strh: FAR", exc_last.far - addr, 2);
    check("unaligned strh: memory unchanged", data[0], 0x1122334455667788ull);

    exc_clear();
    __asm__ volatile("ldrb %w0, [%1]" : "=r"(r) : "r"(addr) : "memory");
    check("ldrb at odd address: no fault", exc_last.count, 0);
    check("ldrb at odd address: value", r, 0x77);

    exc_clear();
    __asm__ volatile("ldp %w0, %w1, [%2]" : "=&r"(r), "=&r"(r2) : "r"(addr + 3) : "memory");
    check("ldp w at 4-aligned address: no fault", exc_last.count, 0);
    exc_clear();
    __asm__ volatile("ldp %0, %1, [%2]" : "=&r"(r), "=&r"(r2) : "r"(addr + 3) : "memory");
    check("ldp x at 8n+4: alignment fault", exc_last.esr & 0x3f, 0x21);

    WRITE_SYSREG(sctlr_el1, sctlr);
    ISB();

    /* Exclusives always check alignment. */
    exc_clear();
    __asm__ volatile("ldxr %w0, [%1]\n\tclrex" : "=r"(r) : "r"(addr + 1) : "memory");
    check("unaligned ldxr w: DFSC alignment", exc_last.esr & 0x3f, 0x21);
}

/* Branch to a misaligned address: PC alignment fault; the default handler
 * returns to x30. */
static void test_pc_align(void)
{
    uint64_t target = (uint64_t)(uintptr_t)test_pc_align + 2;
    exc_clear();
    __asm__ volatile("blr %0" : : "r"(target) : "x30", "memory");
    check("misaligned PC: EC", ESR_EC(exc_last.esr), EC_PC_ALIGN);
    check("misaligned PC: FAR", exc_last.far - target, 0);
    check("misaligned PC: ELR", exc_last.elr - target, 0);
}

static int illegal_hook(struct exc_frame *f, int vector)
{
    if (ESR_EC(f->esr) == EC_ILLEGAL) {
        f->spsr &= ~(1ull << 20);               /* clear PSTATE.IL */
        f->elr += 4;
        return 1;
    }
    return 0;
}

static void test_illegal_return(void)
{
    uint64_t at;
    exc_clear();
    exc_hook = illegal_hook;
    /* ERET to EL2, which is not implemented: an illegal exception return.
     * PSTATE.IL is set, EL is unchanged, and the next instruction takes an
     * Illegal Execution State exception. */
    __asm__ volatile("adr %0, 1f\n\t"
                     "msr elr_el1, %0\n\t"
                     "msr spsr_el1, %1\n\t"
                     "eret\n"
                     "1:\tnop"
                     : "=&r"(at) : "r"(0x3c9ull) : "memory");
    exc_hook = 0;
    check("illegal return: one exception", exc_last.count, 1);
    check("illegal return: EC", ESR_EC(exc_last.esr), EC_ILLEGAL);
    check("illegal return: ELR", exc_last.elr - at, 0);
    check("illegal return: SPSR.IL", (exc_last.spsr >> 20) & 1, 1);
    check("illegal return: stayed at EL1h", exc_last.spsr & 0x1f, 5);
}

static int sp0_hook(struct exc_frame *f, int vector)
{
    return vector == 0;     /* SVC from EL1t: return after it */
}

static void test_sp0(void)
{
    uint64_t spsel;
    exc_clear();
    exc_hook = sp0_hook;
    __asm__ volatile("mov x9, sp\n\t"
                     "msr sp_el0, x9\n\t"
                     "msr spsel, #0\n\t"
                     "svc #7\n\t"
                     "mrs %0, spsel\n\t"
                     "msr spsel, #1"
                     : "=r"(spsel) : : "x9", "memory");
    exc_hook = 0;
    check("svc from EL1t: vector group SP_EL0", exc_last.vector, 0);
    check("svc from EL1t: SPSR.M", exc_last.spsr & 0x1f, 4);
    check("EL1t after eret", spsel, 0);
}

static uint64_t el0_compute(uint64_t x)
{
    el0_return(x * 3 + 1);
}

static uint64_t el0_faults(uint64_t x)
{
    uint64_t r = 0;
    /* MRS CurrentEL is UNDEFINED at EL0; svc #5 returns normally. */
    __asm__ volatile("mrs %0, CurrentEL" : "+r"(r));
    __asm__ volatile("svc #5" : : : "memory");
    el0_return(r + x);
}

static uint64_t el0_nzcv(uint64_t x)
{
    uint64_t f;
    __asm__ volatile("mrs %0, nzcv" : "=r"(f));
    el0_return(f);
}

static void test_el0(void)
{
    uint64_t r;
    exc_clear();
    r = run_el0(el0_compute, 14, __el0_stack_top);
    check("el0: result via svc", r, 43);
    check("el0: svc vector (lower EL AArch64)", exc_last.vector, 8);
    check("el0: ESR", exc_last.esr, (uint64_t)EC_SVC64 << 26 | 1 << 25 | 0xe0);
    check("el0: SPSR.M is EL0t", exc_last.spsr & 0x1f, 0);
    check("el0: back at EL1", READ_SYSREG(CurrentEL), 4);

    exc_clear();
    r = run_el0(el0_faults, 100, __el0_stack_top);
    check("el0: undefined mrs CurrentEL then svc #5 then return", r, 100);
    check("el0: three exceptions", exc_last.count, 3);

    r = run_el0(el0_nzcv, 0, __el0_stack_top);
    check("el0: runs with NZCV from SPSR (zero)", r, 0);
}

int main(void)
{
    printf("exceptions: start at EL%d\n", (int)(boot_current_el >> 2));
    exc_clear();
    test_svc_brk();
    test_undef();
    test_alignment();
    test_pc_align();
    test_illegal_return();
    test_sp0();
    test_el0();
    test_done();
}
