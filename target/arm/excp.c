/*
 * AArch64 exceptions: raising them from helpers, taking them (vector
 * selection, ESR/FAR/ELR/SPSR, PSTATE), interrupts, ERET, WFI, HVC/SMC
 * (HVC to EL2 when the CPU has it, else the board's firmware call:
 * arm_cpu_set_firmware_call), and the small integer helpers.
 *
 * AArch64 EL0, EL1 and EL2 (when the CPU has it: has_el2, -M
 * virt,virtualization=on); no EL3.  exception_target_el() and
 * the IRQ/FIQ routing below apply HCR_EL2.TGE/IMO/FMO.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "target/arm/cpu.h"
#include "hw/core/boards.h"
#include "sysemu/main-loop.h"
#include <zlib.h>

#define HELPER_H "target/arm/helper.h"
#include "tcg/helper-proto.h"

/* synchronous exceptions: EL1, or EL2 for EL0 with HCR_EL2.TGE */
uint32_t exception_target_el(CPUARMState *env)
{
    if (env->el > 1) {
        return env->el;
    }
    if (env->el == 0 && (arm_hcr_el2(env) & HCR_TGE)) {
        return 2;
    }
    return 1;
}

void raise_exception(CPUARMState *env, uint32_t excp, uint32_t syndrome,
                     uint32_t target_el)
{
    CPUState *cs = env_cpu(env);

    cs->exception_index = excp;
    env->exception.syndrome = syndrome;
    env->exception.target_el = target_el;
    cpu_loop_exit(cs);
}

void raise_exception_ra(CPUARMState *env, uint32_t excp, uint32_t syndrome,
                        uint32_t target_el, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);

    cs->exception_index = excp;
    env->exception.syndrome = syndrome;
    env->exception.target_el = target_el;
    cpu_loop_exit_restore(cs, ra);
}

void HELPER(exception_with_syndrome)(CPUARMState *env, uint32_t excp,
                                     uint32_t syndrome, uint32_t target_el)
{
    raise_exception(env, excp, syndrome, target_el);
}

void HELPER(exception_internal)(CPUARMState *env, uint32_t excp)
{
    CPUState *cs = env_cpu(env);

    cs->exception_index = excp;
    cpu_loop_exit(cs);
}

void HELPER(exception_pc_alignment)(CPUARMState *env)
{
    env->exception.vaddress = env->pc;
    raise_exception(env, EXCP_UDEF, (EC_PCALIGNMENT << 26) | ARM_EL_IL,
                    exception_target_el(env));
}

/* ---- taking an exception ---- */

static const char *excp_name(int excp)
{
    switch (excp) {
    case EXCP_UDEF: return "sync";
    case EXCP_SWI: return "svc";
    case EXCP_PREFETCH_ABORT: return "prefetch abort";
    case EXCP_DATA_ABORT: return "data abort";
    case EXCP_IRQ: return "irq";
    case EXCP_FIQ: return "fiq";
    case EXCP_BKPT: return "brk";
    case EXCP_HVC: return "hvc";
    case EXCP_SMC: return "smc";
    default: return "?";
    }
}

void arm_cpu_do_interrupt(CPUState *cs)
{
    ARMCPU *cpu = ARM_CPU(cs);
    CPUARMState *env = &cpu->env;
    int excp = cs->exception_index;
    uint32_t target_el = env->exception.target_el;
    uint64_t offset;
    uint32_t spsr;
    bool sync = true;

    if (excp == EXCP_IRQ || excp == EXCP_FIQ || excp == EXCP_VIRQ ||
        excp == EXCP_VFIQ) {
        sync = false;
    }
    if (target_el < 1 || target_el > 3) {
        target_el = 1;
    }

    if (target_el > env->el) {
        offset = 0x400;                 /* lower EL, AArch64 */
    } else if (env->spsel) {
        offset = 0x200;
    } else {
        offset = 0;
    }
    switch (excp) {
    case EXCP_IRQ:
    case EXCP_VIRQ:
        offset += 0x80;
        break;
    case EXCP_FIQ:
    case EXCP_VFIQ:
        offset += 0x100;
        break;
    default:
        break;
    }

    if (sync) {
        uint32_t ec = env->exception.syndrome >> 26;

        env->esr_el[target_el] = env->exception.syndrome;
        if (ec == EC_DATAABORT || ec == EC_DATAABORT_SAME_EL ||
            ec == EC_INSNABORT || ec == EC_INSNABORT_SAME_EL ||
            ec == EC_PCALIGNMENT) {
            env->far_el[target_el] = env->exception.vaddress;
        }
    }

    spsr = pstate_read(env);
    tlog_mask(CPU_LOG_INT, "Taking exception %d [%s] from EL%d to EL%d "
              "ELR 0x%" PRIx64 " ESR 0x%x SPSR 0x%x\n", excp,
              excp_name(excp), env->el, target_el, env->pc,
              sync ? env->exception.syndrome : 0, spsr);

    env->spsr_el[target_el] = spsr;
    env->elr_el[target_el] = env->pc;

    arm_save_sp(env);
    env->el = target_el;
    env->spsel = 1;
    env->daif = PSTATE_DAIF;
    env->il = 0;
    env->ss = 0;
    env->uao = 0;
    if (target_el == 1 && arm_feature(env, ARM_FEATURE_PAN) &&
        !(env->cp15.sctlr[1] & SCTLR_SPAN)) {
        env->pan = 1;
    }
    arm_load_sp(env);
    env->exclusive_addr = -1;
    env->pc = env->cp15.vbar[target_el] + offset;
    arm_rebuild_hflags(env);
    cs->exception_index = -1;
}

bool arm_cpu_has_work(CPUState *cs)
{
    if (ARM_CPU(cs)->power_off) {
        return false;
    }
    return __atomic_load_n(&cs->interrupt_request, __ATOMIC_SEQ_CST) &
           (CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ | CPU_INTERRUPT_VIRQ |
            CPU_INTERRUPT_VFIQ | CPU_INTERRUPT_EXITTB);
}

/*
 * Physical IRQ/FIQ (no EL3): to EL2 when HCR_EL2.IMO/FMO (or TGE) routes
 * them there, else to EL1.  Taken when the target is a higher EL than the
 * current one, or the same EL with PSTATE.I/F clear; never to a lower EL.
 */
static int arm_irq_target(CPUARMState *env, uint64_t route)
{
    uint64_t hcr = arm_hcr_el2(env);

    return (hcr & (route | HCR_TGE)) ? 2 : 1;
}

static bool arm_irq_unmasked(CPUARMState *env, int target, uint32_t bit)
{
    if (target < (int)env->el) {
        return false;
    }
    if (target > (int)env->el && target == 2) {
        return true;
    }
    return !(env->daif & bit);
}

bool arm_cpu_exec_interrupt(CPUState *cs, int interrupt_request)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    int ftarget = arm_irq_target(env, HCR_FMO);
    int itarget = arm_irq_target(env, HCR_IMO);

    if ((interrupt_request & CPU_INTERRUPT_FIQ) &&
        arm_irq_unmasked(env, ftarget, PSTATE_F)) {
        cs->exception_index = EXCP_FIQ;
        env->exception.target_el = ftarget;
    } else if ((interrupt_request & CPU_INTERRUPT_HARD) &&
               arm_irq_unmasked(env, itarget, PSTATE_I)) {
        cs->exception_index = EXCP_IRQ;
        env->exception.target_el = itarget;
    } else {
        return false;
    }
    arm_cpu_do_interrupt(cs);
    return true;
}

/* ---- exception return ---- */

void HELPER(exception_return)(CPUARMState *env)
{
    int cur_el = env->el;
    uint32_t spsr = env->spsr_el[cur_el];
    uint64_t new_pc = env->elr_el[cur_el];
    int new_el = (spsr >> 2) & 3;
    bool illegal = false;

    if (spsr & (1u << 4)) {
        illegal = true;                 /* AArch32: not implemented */
    } else if (new_el > cur_el) {
        illegal = true;
    } else if ((new_el == 2 && !arm_feature(env, ARM_FEATURE_EL2)) ||
               (new_el == 3 && !arm_feature(env, ARM_FEATURE_EL3))) {
        illegal = true;
    } else if (spsr & 2) {
        illegal = true;                 /* M[1] reserved */
    } else if (new_el == 0 && (spsr & PSTATE_SP)) {
        illegal = true;
    }

    env->exclusive_addr = -1;
    if (illegal) {
        /* Keep EL and SP; take NZCV/DAIF from SPSR; set IL (Arm ARM
         * D1.4.5 "Illegal return events from AArch64 state"). */
        pstate_write_nzcv(env, spsr);
        env->daif = spsr & PSTATE_DAIF;
        env->il = 1;
        env->pc = new_pc;
        arm_rebuild_hflags(env);
        tlog_mask(CPU_LOG_INT, "Illegal exception return from EL%d to "
                  "0x%" PRIx64 "\n", cur_el, new_pc);
        return;
    }
    pstate_write(env, spsr);
    if (!arm_feature(env, ARM_FEATURE_PAN)) {
        env->pan = 0;
    }
    arm_rebuild_hflags(env);
    env->pc = new_pc;
    tlog_mask(CPU_LOG_INT, "Exception return from EL%d to EL%d PC 0x%"
              PRIx64 "\n", cur_el, new_el, new_pc);
}

/* op1:op2 of MSR (immediate); the translator has done the EL checks. */
void HELPER(msr_i_pstate)(CPUARMState *env, uint32_t op, uint32_t imm)
{
    switch (op) {
    case 0x05:                          /* SPSel */
        arm_save_sp(env);
        env->spsel = imm & 1;
        arm_load_sp(env);
        break;
    case 0x04:                          /* PAN */
        env->pan = imm & 1;
        break;
    case 0x1e:                          /* DAIFSet */
        env->daif |= (imm << 6) & PSTATE_DAIF;
        break;
    case 0x1f:                          /* DAIFClr */
        env->daif &= ~((imm << 6) & PSTATE_DAIF);
        break;
    default:
        break;
    }
    arm_rebuild_hflags(env);
}

/* ---- WFI, HVC/SMC ---- */

void HELPER(wfi)(CPUARMState *env)
{
    CPUState *cs = env_cpu(env);

    if (env->el == 0 && !(env->cp15.sctlr[1] & SCTLR_nTWI)) {
        env->pc -= 4;
        raise_exception(env, EXCP_UDEF,
                        (EC_WFX_TRAP << 26) | ARM_EL_IL | (1u << 24) |
                        (0xe << 20), 1);
    }
    if (arm_cpu_has_work(cs)) {
        return;
    }
    cs->halted = 1;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit(cs);
}

void HELPER(psci_call)(CPUARMState *env, uint32_t is_smc, uint32_t imm)
{
    ARMCPU *cpu = env_archcpu(env);

    if (!is_smc && arm_feature(env, ARM_FEATURE_EL2)) {
        /* HVC is the guest hypervisor's: take it to EL2 */
        if (arm_hcr_el2(env) & HCR_HCD) {
            raise_exception(env, EXCP_UDEF, syn_uncategorized(),
                            exception_target_el(env));
        }
        env->pc += 4;
        raise_exception(env, EXCP_HVC,
                        (EC_AA64_HVC << 26) | ARM_EL_IL | (imm & 0xffff), 2);
    }

    if (cpu->fw_call) {
        bool handled;

        env->pc += 4;
        bool locked = bql_locked();

        if (!locked) {
            bql_lock();
        }
        handled = cpu->fw_call(cpu->fw_call_opaque, cpu, is_smc, imm);
        if (!locked) {
            bql_unlock();
        }
        if (handled) {
            if (cpu->power_off) {
                /* PSCI CPU_OFF of this CPU: stop after the call */
                CPUState *cs = env_cpu(env);

                cs->exception_index = EXCP_HLT;
                cpu_loop_exit(cs);
            }
            return;
        }
        env->pc -= 4;
    }
    raise_exception(env, EXCP_UDEF, syn_uncategorized(),
                    exception_target_el(env));
}

/* after an MSR to a register that feeds the TB flags (ARM_CP_EXIT_*) */
void HELPER(rebuild_hflags)(CPUARMState *env)
{
    arm_rebuild_hflags(env);
}

void HELPER(semihosting)(CPUARMState *env)
{
    arm_do_semihosting(env);
}

int fp_exception_el(CPUARMState *env)
{
    int fpen = (env->cp15.cpacr_el1 >> 20) & 3;

    if (env->el == 0 && fpen != 3 && !(arm_hcr_el2(env) & HCR_TGE)) {
        return 1;
    }
    if (env->el == 1 && (fpen == 0 || fpen == 2)) {
        return 1;
    }
    if (arm_feature(env, ARM_FEATURE_EL2) && env->el <= 2 &&
        (env->cp15.cptr_el2 & (1u << 10))) {
        return 2;                       /* CPTR_EL2.TFP */
    }
    return 0;
}

/* ---- integer helpers ---- */

int64_t HELPER(sdiv64)(int64_t n, int64_t d)
{
    if (d == 0) {
        return 0;
    }
    if (d == -1) {
        return (int64_t)(0 - (uint64_t)n);
    }
    return n / d;
}

uint64_t HELPER(udiv64)(uint64_t n, uint64_t d)
{
    return d ? n / d : 0;
}

uint64_t HELPER(rbit64)(uint64_t x)
{
    x = ((x >> 1) & 0x5555555555555555ull) | ((x & 0x5555555555555555ull) << 1);
    x = ((x >> 2) & 0x3333333333333333ull) | ((x & 0x3333333333333333ull) << 2);
    x = ((x >> 4) & 0x0f0f0f0f0f0f0f0full) | ((x & 0x0f0f0f0f0f0f0f0full) << 4);
    return __builtin_bswap64(x);
}

/* CRC32 (poly 0x04C11DB7, reflected) without the pre/post inversion */
uint64_t HELPER(crc32)(uint64_t acc, uint64_t val, uint32_t bytes)
{
    uint8_t buf[8];

    for (unsigned i = 0; i < bytes; i++) {
        buf[i] = val >> (8 * i);
    }
    return (uint32_t)~crc32((uint32_t)~acc, buf, bytes);
}

uint64_t HELPER(crc32c)(uint64_t acc, uint64_t val, uint32_t bytes)
{
    uint32_t crc = acc;

    for (unsigned i = 0; i < bytes; i++) {
        crc ^= (uint8_t)(val >> (8 * i));
        for (int b = 0; b < 8; b++) {
            crc = (crc >> 1) ^ (0x82f63b78u & -(crc & 1));
        }
    }
    return crc;
}
