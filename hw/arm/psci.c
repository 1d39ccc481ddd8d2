/*
 * PSCI 1.0 (Arm DEN0022D) for guests without EL3 firmware: the board
 * answers HVC #0 (or SMC #0) itself, as firmware would.
 *
 * Implemented: PSCI_VERSION (1.0), CPU_SUSPEND (as WFI: returns at the
 * next interrupt), CPU_OFF, CPU_ON (the target starts at entry, in the
 * caller's EL, MMU off, DAIF masked, x0 = context_id), AFFINITY_INFO
 * (level 0), MIGRATE_INFO_TYPE (2: no Trusted OS), SYSTEM_OFF (the
 * process exits 0), SYSTEM_RESET, PSCI_FEATURES.  Everything else,
 * including MIGRATE and the SMCCC calls, returns NOT_SUPPORTED.  32-bit
 * function IDs (SMC32 convention) use the low 32 bits of their arguments.
 *
 * CPU power uses target/arm's arm_cpu_power_on()/arm_cpu_power_off(): a
 * CPU that is off does not wake on interrupts.  This file keeps only the
 * ON_PENDING state AFFINITY_INFO reports between CPU_ON and the target
 * actually starting.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/arm/psci.h"
#include "target/arm/cpu.h"
#include "sysemu/runstate.h"

static PSCIPowerState psci_power_state(PSCIState *psci, CPUState *cs)
{
    uint8_t *st = &psci->power[cs->cpu_index];

    if (!ARM_CPU(cs)->power_off) {
        *st = PSCI_POWER_ON;
    } else if (*st != PSCI_POWER_ON_PENDING) {
        *st = PSCI_POWER_OFF;
    }
    return *st;
}

static CPUState *psci_find_cpu(uint64_t mpidr)
{
    CPUState *cs;

    CPU_FOREACH(cs) {
        if (cs->mp_affinity == (mpidr & 0xff00ffffffull)) {
            return cs;
        }
    }
    return NULL;
}

/* Stop the calling CPU at the end of this instruction. */
static void psci_halt_self(CPUState *cs)
{
    cs->halted = 1;
    cpu_exit(cs);
}

static int64_t psci_cpu_on(PSCIState *psci, ARMCPU *caller, uint64_t mpidr,
                           uint64_t entry, uint64_t context_id)
{
    CPUState *target = psci_find_cpu(mpidr);

    if (!target || target->cpu_index >= PSCI_MAX_CPUS) {
        return PSCI_RET_INVALID_PARAMS;
    }
    switch (psci_power_state(psci, target)) {
    case PSCI_POWER_ON:
        return PSCI_RET_ALREADY_ON;
    case PSCI_POWER_ON_PENDING:
        return PSCI_RET_ON_PENDING;
    default:
        break;
    }
    psci->power[target->cpu_index] = PSCI_POWER_ON_PENDING;
    arm_cpu_power_on(ARM_CPU(target), entry, context_id,
                     arm_current_el(&caller->env));
    return PSCI_RET_SUCCESS;
}

static int64_t psci_affinity_info(PSCIState *psci, uint64_t mpidr,
                                  uint64_t level)
{
    CPUState *target;

    if (level != 0) {
        return PSCI_RET_INVALID_PARAMS;
    }
    target = psci_find_cpu(mpidr);
    if (!target || target->cpu_index >= PSCI_MAX_CPUS) {
        return PSCI_RET_INVALID_PARAMS;
    }
    return psci_power_state(psci, target);
}

static bool psci_fn_implemented(uint32_t fid)
{
    switch (fid & ~PSCI_0_2_64BIT) {
    case PSCI_FN_PSCI_VERSION:
    case PSCI_FN_CPU_OFF:
    case PSCI_FN_MIGRATE_INFO_TYPE:
    case PSCI_FN_SYSTEM_OFF:
    case PSCI_FN_SYSTEM_RESET:
    case PSCI_FN_PSCI_FEATURES:
        return !(fid & PSCI_0_2_64BIT);
    case PSCI_FN_CPU_SUSPEND:
    case PSCI_FN_CPU_ON:
    case PSCI_FN_AFFINITY_INFO:
        return true;
    default:
        return false;
    }
}

static bool psci_call(void *opaque, ARMCPU *cpu, bool is_smc, uint32_t imm16)
{
    PSCIState *psci = opaque;
    CPUARMState *env = &cpu->env;
    CPUState *cs = CPU(cpu);
    uint32_t fid = env->xregs[0];
    uint64_t arg[3] = { env->xregs[1], env->xregs[2], env->xregs[3] };
    int64_t ret;

    if (imm16 != 0 || is_smc != (psci->conduit == PSCI_CONDUIT_SMC)) {
        return false;       /* not our conduit: the instruction's own effect */
    }
    if (!(fid & PSCI_0_2_64BIT)) {
        for (int i = 0; i < 3; i++) {
            arg[i] = (uint32_t)arg[i];
        }
    }
    switch (fid) {
    case PSCI_FN_PSCI_VERSION:
        ret = PSCI_VERSION_1_0;
        break;
    case PSCI_FN_CPU_SUSPEND:
    case PSCI_FN_CPU_SUSPEND | PSCI_0_2_64BIT:
        /* a standby that wakes at the next interrupt (like WFI) */
        ret = PSCI_RET_SUCCESS;
        if (!cpu_has_work(cs)) {
            psci_halt_self(cs);
        }
        break;
    case PSCI_FN_CPU_OFF:
        /* the CPU stops after this call, until CPU_ON resets it */
        psci->power[cs->cpu_index] = PSCI_POWER_OFF;
        arm_cpu_power_off(cpu);
        ret = PSCI_RET_INTERNAL_FAILURE;
        break;
    case PSCI_FN_CPU_ON:
    case PSCI_FN_CPU_ON | PSCI_0_2_64BIT:
        ret = psci_cpu_on(psci, cpu, arg[0], arg[1], arg[2]);
        break;
    case PSCI_FN_AFFINITY_INFO:
    case PSCI_FN_AFFINITY_INFO | PSCI_0_2_64BIT:
        ret = psci_affinity_info(psci, arg[0], arg[1]);
        break;
    case PSCI_FN_MIGRATE_INFO_TYPE:
        ret = 2;            /* no Trusted OS: nothing to migrate */
        break;
    case PSCI_FN_SYSTEM_OFF:
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        psci_halt_self(cs);
        ret = PSCI_RET_INTERNAL_FAILURE;
        break;
    case PSCI_FN_SYSTEM_RESET:
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        psci_halt_self(cs);
        ret = PSCI_RET_INTERNAL_FAILURE;
        break;
    case PSCI_FN_PSCI_FEATURES:
        /* CPU_SUSPEND: original power_state format, no OS-initiated mode */
        ret = psci_fn_implemented(arg[0]) ? 0 : PSCI_RET_NOT_SUPPORTED;
        break;
    default:
        tlog_mask(LOG_UNIMP, "psci: function 0x%08x not supported\n", fid);
        ret = PSCI_RET_NOT_SUPPORTED;
        break;
    }
    env->xregs[0] = ret;
    return true;
}

void psci_install(PSCIState *psci, PSCIConduit conduit)
{
    CPUState *cs;

    psci->conduit = conduit;
    if (conduit == PSCI_CONDUIT_NONE) {
        return;
    }
    CPU_FOREACH(cs) {
        arm_cpu_set_firmware_call(ARM_CPU(cs), psci_call, psci);
    }
}

void psci_reset_cpus(PSCIState *psci)
{
    CPUState *cs;

    CPU_FOREACH(cs) {
        ARMCPU *cpu = ARM_CPU(cs);

        if (cs->cpu_index < PSCI_MAX_CPUS) {
            psci->power[cs->cpu_index] = cs->cpu_index == 0 ?
                                         PSCI_POWER_ON : PSCI_POWER_OFF;
        }
        if (cs->cpu_index != 0) {
            arm_cpu_power_off(cpu);
        } else if (cpu->power_off || cs->halted) {
            /* CPU 0 called SYSTEM_RESET (halted) or was off: start it */
            arm_cpu_power_off(cpu);
            arm_cpu_power_on(cpu, cpu->boot_pc, cpu->boot_x0, cpu->boot_el);
        }
    }
}
