/*
 * AArch64 CPU state for snapshots and migration (vmstate).  The banked SP
 * is saved through sp_el[] (pre_save stores the live SP there); after a
 * load the TLBs are flushed and the timers re-evaluated once the whole
 * machine is loaded (see arm_cpu_post_load).
 */
#include "turtle/osdep.h"
#include "target/arm/cpu.h"
#include "migration/vmstate.h"
#include "turtle/timer.h"

#define U64(f) VMSTATE_UINT64(env.f, ARMCPU)
#define U32(f) VMSTATE_UINT32(env.f, ARMCPU)
#define U64A(f, n) VMSTATE_UINT64_ARRAY(env.f, ARMCPU, n)

static int arm_cpu_pre_save(void *opaque)
{
    arm_save_sp(&((ARMCPU *)opaque)->env);
    return 0;
}

static int arm_cpu_post_load(void *opaque, int version_id)
{
    ARMCPU *cpu = opaque;

    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    arm_load_sp(&cpu->env);
    arm_rebuild_hflags(&cpu->env);
    tlb_flush(CPU(cpu));
    /*
     * The timers' outputs are not driven from here: the interrupt
     * controller may be loaded after the CPU and would overwrite the line
     * levels with its own saved ones. That loses an interrupt when the
     * state was saved with a timer condition already met but its QEMUTimer
     * callback not yet run (line still low in the saved GIC): raised here,
     * cleared by the GIC's load, and the timer never armed again, so the
     * guest's tick was gone for good. Instead each enabled timer is
     * re-evaluated by its callback once the whole machine is loaded and
     * the virtual clock runs again, as a timer that expired while the VM
     * was stopped would be.
     */
    for (int i = 0; i < NUM_GTIMERS; i++) {
        if (cpu->env.gt[i].ctl & 1) {
            timer_mod_ns(cpu->gt_timer[i], now);
        } else {
            timer_del(cpu->gt_timer[i]);
        }
    }
    return 0;
}

static const VMStateField arm_cpu_fields[] = {
    U64A(xregs, 32),
    U64(pc),
    U32(NF), U32(ZF), U32(CF), U32(VF),
    U32(daif), U32(el), U32(spsel), U32(pan), U32(uao), U32(il), U32(ss),
    U64A(sp_el, 4), U64A(elr_el, 4), U64A(spsr_el, 4), U64A(esr_el, 4),
    U64A(far_el, 4),
    U64(exclusive_addr), U64(exclusive_val), U64(exclusive_high),
    U64A(vregs[0].d, 64),
    U32(fpcr), U32(fpsr),
    U64A(cp15.sctlr, 4), U64A(cp15.tcr, 4), U64A(cp15.ttbr0, 4),
    U64A(cp15.ttbr1, 4), U64A(cp15.mair, 4), U64A(cp15.amair, 4),
    U64A(cp15.vbar, 4), U64A(cp15.tpidr, 4), U64(cp15.tpidrro_el0),
    U64(cp15.contextidr_el1), U64(cp15.cpacr_el1), U64A(cp15.actlr, 4),
    U64A(cp15.afsr0, 4), U64A(cp15.afsr1, 4), U64(cp15.par_el1),
    U64(cp15.mdscr_el1), U64(cp15.oslsr_el1), U64(cp15.osdlr_el1),
    U64(cp15.mdccint_el1), U64(cp15.cntkctl_el1), U64(cp15.cntvoff_el2),
    U64(cp15.csselr_el1), U64A(cp15.dbgbvr, 16), U64A(cp15.dbgbcr, 16),
    U64A(cp15.dbgwvr, 16), U64A(cp15.dbgwcr, 16), U64(cp15.pmcr_el0),
    U64(cp15.pmuserenr_el0), U64(cp15.pmcntenset_el0),
    U64(cp15.pmovsclr_el0), U64(cp15.pmintenset_el1), U64(cp15.pmselr_el0),
    U64(cp15.pmccfiltr_el0), U64(cp15.pmccntr_el0), U64(cp15.disr_el1),
    U64(gt[0].cval), U64(gt[0].ctl), U64(gt[1].cval), U64(gt[1].ctl),
    U64(gt[2].cval), U64(gt[2].ctl), U64(gt[3].cval), U64(gt[3].ctl),
    U64A(ttb_slot_key[0], 2 * ARM_TTB_SLOTS),
    U32(ttb_slot_valid), U32(ttb_slot), U32(ttb_slot_next),
    VMSTATE_BOOL(power_off, ARMCPU),
    VMSTATE_END_OF_LIST()
};

const VMStateDescription vmstate_arm_cpu = {
    .name = "cpu",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = arm_cpu_pre_save,
    .post_load = arm_cpu_post_load,
    .fields = arm_cpu_fields,
};
