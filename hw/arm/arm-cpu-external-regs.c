/*
 * arm_cpu_set_external_regs() on top of target/arm's own mechanism,
 * arm_cpu_register_cpregs(): each ArmExternalReg (a device's table, e.g.
 * the GICv3 ICC_*_EL1 registers, target independent) becomes an
 * ARM_CP_IO ARMCPRegInfo whose read/write functions call the device with
 * its opaque.  See include/hw/arm/arm-cpu-external-regs.h.
 *
 * Translated code embeds the ARMCPRegInfo pointer found for the CPU that
 * translated it, and translation blocks are shared by every CPU, so the
 * per-CPU opaque must come from the CPU executing the access: each CPU
 * keeps its (table, opaque) pairs in ARMCPU.ext_regs, so several devices
 * can each give a CPU a table.
 */
#include "turtle/osdep.h"
#include "hw/arm/arm-cpu-external-regs.h"
#include "target/arm/cpregs.h"

/* What an ARMCPRegInfo's opaque points to: the entry and its table. */
typedef struct ExtRegRef {
    const ArmExternalReg *reg;
    const ArmExternalReg *table;
} ExtRegRef;

static const ExtRegRef *ext_ref(const ARMCPRegInfo *ri)
{
    return (const ExtRegRef *)(uintptr_t)ri->opaque;
}

/* The executing CPU's opaque for the table (registered for every CPU
 * that can translate an access to it). */
static void *ext_opaque(ARMCPU *cpu, const ArmExternalReg *table)
{
    for (int i = 0; i < ARM_CPU_EXT_REG_TABLES; i++) {
        if (cpu->ext_regs[i].table == table) {
            return cpu->ext_regs[i].opaque;
        }
    }
    g_assert_not_reached();
}

static uint64_t ext_reg_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    ARMCPU *cpu = env_archcpu(env);
    const ExtRegRef *ref = ext_ref(ri);

    return ref->reg->readfn(CPU(cpu), ext_opaque(cpu, ref->table));
}

static void ext_reg_write(CPUARMState *env, const ARMCPRegInfo *ri,
                          uint64_t value)
{
    ARMCPU *cpu = env_archcpu(env);
    const ExtRegRef *ref = ext_ref(ri);

    ref->reg->writefn(CPU(cpu), ext_opaque(cpu, ref->table), value);
}

void arm_cpu_set_external_regs(CPUState *cs, const ArmExternalReg *regs,
                               int n, void *opaque, uint32_t flags)
{
    ARMCPU *cpu = ARM_CPU(cs);
    /* target/arm keeps pointers to these for the CPU's lifetime */
    ARMCPRegInfo *info = g_new0(ARMCPRegInfo, n);
    ExtRegRef *refs = g_new0(ExtRegRef, n);
    int slot = 0;

    while (slot < ARM_CPU_EXT_REG_TABLES && cpu->ext_regs[slot].table &&
           cpu->ext_regs[slot].table != regs) {
        slot++;
    }
    /* a board bug: more device tables than a CPU has room for */
    g_assert(slot < ARM_CPU_EXT_REG_TABLES);
    cpu->ext_regs[slot].table = regs;
    cpu->ext_regs[slot].opaque = opaque;

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
        refs[i] = (ExtRegRef) { r, regs };
        info[i].opaque = (uintptr_t)&refs[i];
    }
    arm_cpu_register_cpregs(cpu, info, n);
    if (flags & ARM_EXTREGS_GIC_SYSREGS) {
        /* ID_AA64PFR0_EL1.GIC = 1: system register interface to the GIC */
        cpu->isar.id_aa64pfr0 |= 1ull << 24;
    }
}
