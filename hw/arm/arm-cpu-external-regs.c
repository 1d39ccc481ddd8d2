/*
 * arm_cpu_set_external_regs() on top of target/arm's own mechanism,
 * arm_cpu_register_cpregs(): each ArmExternalReg (a device's table, e.g.
 * the GICv3 ICC_*_EL1 registers, target independent) becomes an
 * ARM_CP_IO ARMCPRegInfo whose read/write functions call the device with
 * its opaque.  See include/hw/arm/arm-cpu-external-regs.h.
 *
 * Translated code embeds the ARMCPRegInfo pointer found for the CPU that
 * translated it, and translation blocks are shared by every CPU, so the
 * per-CPU opaque must come from the CPU executing the access: it is kept
 * in CPUState.opaque (one external register table per CPU).
 */
#include "turtle/osdep.h"
#include "hw/arm/arm-cpu-external-regs.h"
#include "target/arm/cpregs.h"

static const ArmExternalReg *ext_reg(const ARMCPRegInfo *ri)
{
    return (const ArmExternalReg *)(uintptr_t)ri->opaque;
}

static uint64_t ext_reg_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    CPUState *cs = env_cpu(env);

    return ext_reg(ri)->readfn(cs, cs->opaque);
}

static void ext_reg_write(CPUARMState *env, const ARMCPRegInfo *ri,
                          uint64_t value)
{
    CPUState *cs = env_cpu(env);

    ext_reg(ri)->writefn(cs, cs->opaque, value);
}

void arm_cpu_set_external_regs(CPUState *cs, const ArmExternalReg *regs,
                               int n, void *opaque, uint32_t flags)
{
    ARMCPU *cpu = ARM_CPU(cs);
    /* target/arm keeps pointers to these for the CPU's lifetime */
    ARMCPRegInfo *info = g_new0(ARMCPRegInfo, n);

    assert(!cs->opaque || cs->opaque == opaque);
    cs->opaque = opaque;

    for (int i = 0; i < n; i++) {
        const ArmExternalReg *r = &regs[i];
        uint8_t rd = r->min_el == 0 ? PL0_R : PL1_R;
        uint8_t wr = r->min_el == 0 ? PL0_W : PL1_W;

        info[i].name = r->name;
        info[i].op0 = r->op0;
        info[i].op1 = r->op1;
        info[i].crn = r->crn;
        info[i].crm = r->crm;
        info[i].op2 = r->op2;
        info[i].access = (r->readfn ? rd : 0) | (r->writefn ? wr : 0);
        info[i].type = ARM_CP_IO;
        info[i].readfn = r->readfn ? ext_reg_read : NULL;
        info[i].writefn = r->writefn ? ext_reg_write : NULL;
        info[i].opaque = (uintptr_t)r;
    }
    arm_cpu_register_cpregs(cpu, info, n);
    if (flags & ARM_EXTREGS_GIC_SYSREGS) {
        /* ID_AA64PFR0_EL1.GIC = 1: system register interface to the GIC */
        cpu->isar.id_aa64pfr0 |= 1ull << 24;
    }
}
