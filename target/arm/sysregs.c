/*
 * AArch64 system registers and system instructions at EL0-EL2 (the EL2
 * registers exist when the CPU has EL2): ID
 * registers, the VMSA control registers, exception registers, the generic
 * timer (CNT*, 62.5 MHz from QEMU_CLOCK_VIRTUAL, outputs "gt-timer"),
 * debug/PMU registers as plain storage, cache maintenance (no-ops: TCG
 * has no caches and self-modifying code is caught by the TB page
 * tracking), DC ZVA (translator), AT S1E{0,1}{R,W} and TLBI.
 *
 * Encodings and fields: Arm ARM (DDI 0487) D17 "AArch64 System Register
 * Descriptions" and C5.3 "A64 System instructions".
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "target/arm/cpregs.h"
#include "sysemu/main-loop.h"

#define HELPER_H "target/arm/helper.h"
#include "tcg/helper-proto.h"

#define F(field) offsetof(CPUARMState, field)

/* ---- generic timer ---- */

uint64_t arm_gt_counter(CPUARMState *env)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) / GTIMER_SCALE;
}

static uint64_t gt_offset(CPUARMState *env, int timer)
{
    return timer == GTIMER_VIRT ? env->cp15.cntvoff_el2 : 0;
}

void arm_gt_recalc(ARMCPU *cpu, int timer)
{
    CPUARMState *env = &cpu->env;
    ARMGenericTimer *gt = &env->gt[timer];
    uint64_t count = arm_gt_counter(env) - gt_offset(env, timer);

    if (gt->ctl & 1) {
        bool istatus = count >= gt->cval;
        bool irq = istatus && !(gt->ctl & 2);

        gt->ctl = (gt->ctl & ~4ull) | (istatus ? 4 : 0);
        qemu_set_irq(cpu->gt_timer_outputs[timer], irq);
        if (!istatus) {
            /* fire when the counter reaches cval */
            uint64_t ticks = gt->cval - count;
            int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
            int64_t when;

            if (ticks > (uint64_t)(INT64_MAX - now) / GTIMER_SCALE) {
                when = INT64_MAX;
            } else {
                when = (now / GTIMER_SCALE + ticks) * GTIMER_SCALE;
            }
            timer_mod_ns(cpu->gt_timer[timer], when);
        } else {
            timer_del(cpu->gt_timer[timer]);
        }
    } else {
        gt->ctl &= ~4ull;
        qemu_set_irq(cpu->gt_timer_outputs[timer], 0);
        timer_del(cpu->gt_timer[timer]);
    }
}

static void gt_timer_cb(void *opaque)
{
    ARMCPU *cpu = opaque;

    for (int i = 0; i < NUM_GTIMERS; i++) {
        arm_gt_recalc(cpu, i);
    }
}

void arm_gt_init(ARMCPU *cpu)
{
    for (int i = 0; i < NUM_GTIMERS; i++) {
        if (!cpu->gt_timer[i]) {
            cpu->gt_timer[i] = timer_new_ns(QEMU_CLOCK_VIRTUAL, gt_timer_cb,
                                            cpu);
        }
    }
}

void arm_gt_reset(ARMCPU *cpu)
{
    for (int i = 0; i < NUM_GTIMERS; i++) {
        if (cpu->gt_timer[i]) {
            timer_del(cpu->gt_timer[i]);
        }
        qemu_set_irq(cpu->gt_timer_outputs[i], 0);
    }
}

static int gt_index(const ARMCPRegInfo *ri)
{
    return ri->opaque;
}

static uint64_t gt_ctl_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    ARMGenericTimer *gt = &env->gt[gt_index(ri)];
    uint64_t count = arm_gt_counter(env) - gt_offset(env, gt_index(ri));
    bool istatus = (gt->ctl & 1) && count >= gt->cval;

    return (gt->ctl & 3) | (istatus ? 4 : 0);
}

static void gt_ctl_write(CPUARMState *env, const ARMCPRegInfo *ri,
                         uint64_t val)
{
    env->gt[gt_index(ri)].ctl = val & 3;
    arm_gt_recalc(env_archcpu(env), gt_index(ri));
}

static uint64_t gt_cval_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    return env->gt[gt_index(ri)].cval;
}

static void gt_cval_write(CPUARMState *env, const ARMCPRegInfo *ri,
                          uint64_t val)
{
    env->gt[gt_index(ri)].cval = val;
    arm_gt_recalc(env_archcpu(env), gt_index(ri));
}

static uint64_t gt_tval_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    int t = gt_index(ri);
    uint64_t count = arm_gt_counter(env) - gt_offset(env, t);

    return (uint32_t)(env->gt[t].cval - count);
}

static void gt_tval_write(CPUARMState *env, const ARMCPRegInfo *ri,
                          uint64_t val)
{
    int t = gt_index(ri);
    uint64_t count = arm_gt_counter(env) - gt_offset(env, t);

    env->gt[t].cval = count + (int64_t)(int32_t)val;
    arm_gt_recalc(env_archcpu(env), t);
}

static uint64_t gt_cnt_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    return arm_gt_counter(env) - gt_offset(env, gt_index(ri));
}

/* CNTKCTL_EL1: EL0PCTEN(0) EL0VCTEN(1) EL0VTEN(8) EL0PTEN(9) */
static CPAccessResult gt_cnt_access(CPUARMState *env, const ARMCPRegInfo *ri,
                                    bool isread)
{
    int bit = gt_index(ri) == GTIMER_PHYS ? 0 : 1;

    if (env->el == 0 && !((env->cp15.cntkctl_el1 >> bit) & 1)) {
        return CP_ACCESS_TRAP;
    }
    if (env->el <= 1 && gt_index(ri) == GTIMER_PHYS &&
        arm_feature(env, ARM_FEATURE_EL2) && !(env->cp15.cnthctl_el2 & 1)) {
        return CP_ACCESS_TRAP_EL2;
    }
    return CP_ACCESS_OK;
}

static CPAccessResult gt_timer_access(CPUARMState *env,
                                      const ARMCPRegInfo *ri, bool isread)
{
    int bit = gt_index(ri) == GTIMER_PHYS ? 9 : 8;

    if (gt_index(ri) == GTIMER_HYP) {
        return CP_ACCESS_OK;            /* EL2 only by the access bits */
    }
    if (env->el == 0 && !((env->cp15.cntkctl_el1 >> bit) & 1)) {
        return CP_ACCESS_TRAP;
    }
    if (env->el <= 1 && gt_index(ri) == GTIMER_PHYS &&
        arm_feature(env, ARM_FEATURE_EL2) && !(env->cp15.cnthctl_el2 & 2)) {
        return CP_ACCESS_TRAP_EL2;
    }
    return CP_ACCESS_OK;
}

static void cntvoff_write(CPUARMState *env, const ARMCPRegInfo *ri,
                          uint64_t v)
{
    env->cp15.cntvoff_el2 = v;
    arm_gt_recalc(env_archcpu(env), GTIMER_VIRT);
}

static uint64_t sp_el1_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    return env->sp_el[1];
}

static void sp_el1_write(CPUARMState *env, const ARMCPRegInfo *ri,
                         uint64_t val)
{
    env->sp_el[1] = val;
}

static void el2_tlb_flush_write(CPUARMState *env, const ARMCPRegInfo *ri,
                                uint64_t v)
{
    CPUState *cs = env_cpu(env);
    uint16_t map = ri->opaque & 2 ? ARM_EL10_IDX_MASK : 1u << ARMMMUIdx_E2;

    if (ri->opaque & 1) {
        tlb_flush_by_mmuidx_all_cpus_synced(cs, map);
    } else {
        tlb_flush_by_mmuidx(cs, map);
    }
}

static void e2_write(CPUARMState *env, const ARMCPRegInfo *ri, uint64_t v)
{
    uint64_t *p = (uint64_t *)((char *)env + ri->fieldoffset);

    if (*p != v) {
        *p = v;
        tlb_flush_by_mmuidx(env_cpu(env), 1u << ARMMMUIdx_E2);
    }
}

static void at_s1e2_write(CPUARMState *env, const ARMCPRegInfo *ri,
                          uint64_t va)
{
    env->cp15.par_el1 = arm_do_at(env, va, (ri->op2 & 1) ? MMU_DATA_STORE :
                                  MMU_DATA_LOAD, ARMMMUIdx_E2);
}

/* ---- read/write functions ---- */

static uint64_t mpidr_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    if (env->el <= 1 && arm_feature(env, ARM_FEATURE_EL2)) {
        return env->cp15.vmpidr_el2;
    }
    /* U=0 (multiprocessor), MT=0, bit 31 RES1 */
    return (env_cpu(env)->mp_affinity & 0xff00ffffffull) | (1ull << 31);
}


#define CPU_FIELD(name) \
static uint64_t name##_read(CPUARMState *env, const ARMCPRegInfo *ri) \
{ \
    return env_archcpu(env)->name; \
}
CPU_FIELD(revidr)

static uint64_t midr_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    if (env->el <= 1 && arm_feature(env, ARM_FEATURE_EL2)) {
        return env->cp15.vpidr_el2;
    }
    return env_archcpu(env)->midr;
}
CPU_FIELD(ctr)
CPU_FIELD(clidr)

static uint64_t isar_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    ARMCPU *cpu = env_archcpu(env);

    return *(uint64_t *)((char *)&cpu->isar + ri->opaque);
}

static uint64_t isar32_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    ARMCPU *cpu = env_archcpu(env);

    return *(uint32_t *)((char *)&cpu->isar + ri->opaque);
}

static uint64_t ccsidr_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    return env_archcpu(env)->ccsidr[env->cp15.csselr_el1 & 7];
}

static uint64_t dczid_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    uint64_t v = env_archcpu(env)->dczid;

    if (env->el == 0 && !(env->cp15.sctlr[1] & SCTLR_DZE)) {
        v |= 1 << 4;                        /* DZP: prohibited */
    }
    return v;
}

static CPAccessResult ctr_access(CPUARMState *env, const ARMCPRegInfo *ri,
                                 bool isread)
{
    if (env->el == 0 && !(env->cp15.sctlr[1] & SCTLR_UCT)) {
        return CP_ACCESS_TRAP;
    }
    return CP_ACCESS_OK;
}

static CPAccessResult zva_access(CPUARMState *env, const ARMCPRegInfo *ri,
                                 bool isread)
{
    if (env->el == 0 && !(env->cp15.sctlr[1] & SCTLR_DZE)) {
        return CP_ACCESS_TRAP;
    }
    return CP_ACCESS_OK;
}

static CPAccessResult cache_el0_access(CPUARMState *env,
                                       const ARMCPRegInfo *ri, bool isread)
{
    if (env->el == 0 && !(env->cp15.sctlr[1] & SCTLR_UCI)) {
        return CP_ACCESS_TRAP;
    }
    return CP_ACCESS_OK;
}

static CPAccessResult daif_access(CPUARMState *env, const ARMCPRegInfo *ri,
                                  bool isread)
{
    if (env->el == 0 && !(env->cp15.sctlr[1] & SCTLR_UMA)) {
        return CP_ACCESS_TRAP;
    }
    return CP_ACCESS_OK;
}

static CPAccessResult sp_el0_access(CPUARMState *env, const ARMCPRegInfo *ri,
                                    bool isread)
{
    /* SP_EL0 is UNDEFINED at EL1 while it is the current SP */
    return env->spsel ? CP_ACCESS_OK : CP_ACCESS_UNDEF;
}

static uint64_t sp_el0_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    return env->sp_el[0];
}

static void sp_el0_write(CPUARMState *env, const ARMCPRegInfo *ri,
                         uint64_t val)
{
    env->sp_el[0] = val;
}

static uint64_t isr_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    uint32_t req = env_cpu(env)->interrupt_request;

    return ((req & CPU_INTERRUPT_HARD) ? 1 << 7 : 0) |
           ((req & CPU_INTERRUPT_FIQ) ? 1 << 6 : 0);
}

static uint64_t pan_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    return env->pan ? PSTATE_PAN : 0;
}

static void pan_write(CPUARMState *env, const ARMCPRegInfo *ri, uint64_t v)
{
    env->pan = !!(v & PSTATE_PAN);
}

static void spsel_write(CPUARMState *env, const ARMCPRegInfo *ri, uint64_t v)
{
    arm_save_sp(env);
    env->spsel = v & 1;
    arm_load_sp(env);
}

static uint64_t spsel_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    return env->spsel;
}

static void daif_write(CPUARMState *env, const ARMCPRegInfo *ri, uint64_t v)
{
    env->daif = v & PSTATE_DAIF;
}

/* every EL1&0 TLB set; the current context stays in the current slot */
static void el1_tlb_flush(CPUARMState *env)
{
    int cur = env->ttb_slot;

    tlb_flush_by_mmuidx(env_cpu(env), ARM_EL10_IDX_MASK);
    env->ttb_slot_valid = 1u << cur;
    env->ttb_slot_key[cur][0] = env->cp15.ttbr0[1];
    env->ttb_slot_key[cur][1] = env->cp15.ttbr1[1];
}

/* SCTLR, TCR: the cached translations of every context depend on them */
static void vmsa_write(CPUARMState *env, const ARMCPRegInfo *ri, uint64_t v)
{
    uint64_t *p = (uint64_t *)((char *)env + ri->fieldoffset);

    if (*p != v) {
        *p = v;
        el1_tlb_flush(env);
    }
}

/* TTBR0/1_EL1: switch to (or recycle) the TLB slot of the new context */
static void ttbr_write(CPUARMState *env, const ARMCPRegInfo *ri, uint64_t v)
{
    uint64_t *p = (uint64_t *)((char *)env + ri->fieldoffset);
    uint64_t t0, t1;
    int slot;

    if (*p == v) {
        return;
    }
    *p = v;
    t0 = env->cp15.ttbr0[1];
    t1 = env->cp15.ttbr1[1];
    for (slot = 0; slot < ARM_TTB_SLOTS; slot++) {
        if ((env->ttb_slot_valid & (1u << slot)) &&
            env->ttb_slot_key[slot][0] == t0 &&
            env->ttb_slot_key[slot][1] == t1) {
            env->ttb_slot = slot;
            return;
        }
    }
    slot = env->ttb_slot_next;
    if (slot == (int)env->ttb_slot) {
        slot = (slot + 1) % ARM_TTB_SLOTS;
    }
    env->ttb_slot_next = (slot + 1) % ARM_TTB_SLOTS;
    tlb_flush_by_mmuidx(env_cpu(env), 7u << (3 * slot));
    env->ttb_slot_key[slot][0] = t0;
    env->ttb_slot_key[slot][1] = t1;
    env->ttb_slot_valid |= 1u << slot;
    env->ttb_slot = slot;
}

/* PMU registers at EL0: PMUSERENR_EL0.EN (bit 0) opens them, else trap */
static CPAccessResult pmu_access(CPUARMState *env, const ARMCPRegInfo *ri,
                                 bool isread)
{
    if (env->el == 0 && !(env->cp15.pmuserenr_el0 & 1)) {
        return CP_ACCESS_TRAP;
    }
    return CP_ACCESS_OK;
}

/* CNTFRQ_EL0 at EL0: readable when either counter is (CNTKCTL_EL1) */
static CPAccessResult cntfrq_access(CPUARMState *env, const ARMCPRegInfo *ri,
                                    bool isread)
{
    if (env->el == 0 && !(env->cp15.cntkctl_el1 & 3)) {
        return CP_ACCESS_TRAP;
    }
    return CP_ACCESS_OK;
}

/* L2CTLR_EL1.NumCores (bits 25:24): CPUs in the cluster, minus one */
static uint64_t l2ctlr_read(CPUARMState *env, const ARMCPRegInfo *ri)
{
    unsigned n = cpus_list ? cpus_list->len : 1;

    return (uint64_t)((n > 4 ? 4 : n) - 1) << 24;
}

static void ignore_write(CPUARMState *env, const ARMCPRegInfo *ri,
                         uint64_t v)
{
}

static void oslar_write(CPUARMState *env, const ARMCPRegInfo *ri, uint64_t v)
{
    env->cp15.oslsr_el1 = (env->cp15.oslsr_el1 & ~2ull) | ((v & 1) << 1);
}

static void par_at_write(CPUARMState *env, const ARMCPRegInfo *ri,
                         uint64_t va)
{
    int el0 = ri->op2 & 2;
    int access = (ri->op2 & 1) ? MMU_DATA_STORE : MMU_DATA_LOAD;
    int idx = arm_mmu_idx_el(env, el0 ? 0 : 1);

    env->cp15.par_el1 = arm_do_at(env, va, access, idx);
}

static uint64_t tlbi_va(uint64_t val)
{
    uint64_t va = (val & 0xfffffffffffull) << 12;

    return (uint64_t)((int64_t)(va << 8) >> 8);     /* sign-extend bit 55 */
}

#define EL10_MASK ARM_EL10_IDX_MASK

static void tlbi_all_write(CPUARMState *env, const ARMCPRegInfo *ri,
                           uint64_t v)
{
    CPUState *cs = env_cpu(env);

    if (ri->opaque) {
        tlb_flush_by_mmuidx_all_cpus_synced(cs, EL10_MASK);
    } else {
        tlb_flush_by_mmuidx(cs, EL10_MASK);
    }
}

static void tlbi_va_write(CPUARMState *env, const ARMCPRegInfo *ri,
                          uint64_t v)
{
    CPUState *cs = env_cpu(env);

    if (ri->opaque) {
        tlb_flush_page_by_mmuidx_all_cpus_synced(cs, tlbi_va(v), EL10_MASK);
    } else {
        tlb_flush_page_by_mmuidx(cs, tlbi_va(v), EL10_MASK);
    }
}

/* ---- the table ---- */

#define REG(n, o0, o1, n_, m, o2, acc, ...) \
    { .name = n, .op0 = o0, .op1 = o1, .crn = n_, .crm = m, .op2 = o2, \
      .access = acc, __VA_ARGS__ }
#define FIELD(n, o0, o1, n_, m, o2, acc, fld) \
    REG(n, o0, o1, n_, m, o2, acc, .fieldoffset = F(fld))
#define CONST(n, o0, o1, n_, m, o2, acc, v) \
    REG(n, o0, o1, n_, m, o2, acc, .type = ARM_CP_CONST, .resetvalue = v)
#define ID64(n, o1, m, o2, fld) \
    REG(n, 3, 0, 0, m, o2, PL1_R, .readfn = isar_read, \
        .opaque = offsetof(ARMISARegisters, fld))
#define ID32(n, m, o2, fld) \
    REG(n, 3, 0, 0, m, o2, PL1_R, .readfn = isar32_read, \
        .opaque = offsetof(ARMISARegisters, fld))
#define NOP(n, o0, o1, n_, m, o2, acc) \
    REG(n, o0, o1, n_, m, o2, acc, .type = ARM_CP_NOP)
#define GT(kind, crm, t) \
    REG("CNT" kind "_TVAL_EL0", 3, 3, 14, crm, 0, PL0_RW, .type = ARM_CP_IO, \
        .accessfn = gt_timer_access, .readfn = gt_tval_read, \
        .writefn = gt_tval_write, .opaque = t), \
    REG("CNT" kind "_CTL_EL0", 3, 3, 14, crm, 1, PL0_RW, .type = ARM_CP_IO, \
        .accessfn = gt_timer_access, .readfn = gt_ctl_read, \
        .writefn = gt_ctl_write, .opaque = t), \
    REG("CNT" kind "_CVAL_EL0", 3, 3, 14, crm, 2, PL0_RW, .type = ARM_CP_IO, \
        .accessfn = gt_timer_access, .readfn = gt_cval_read, \
        .writefn = gt_cval_write, .opaque = t)
/* ID_AA64DFR0: 6 breakpoints, 4 watchpoints (storage only) */
#define DBGB(n) \
    FIELD("DBGBVR" #n "_EL1", 2, 0, 0, n, 4, PL1_RW, cp15.dbgbvr[n]), \
    FIELD("DBGBCR" #n "_EL1", 2, 0, 0, n, 5, PL1_RW, cp15.dbgbcr[n])
#define DBGW(n) \
    FIELD("DBGWVR" #n "_EL1", 2, 0, 0, n, 6, PL1_RW, cp15.dbgwvr[n]), \
    FIELD("DBGWCR" #n "_EL1", 2, 0, 0, n, 7, PL1_RW, cp15.dbgwcr[n])

static const ARMCPRegInfo arm_cpregs[] = {
    /* identification */
    REG("MIDR_EL1", 3, 0, 0, 0, 0, PL1_R, .readfn = midr_read),
    REG("MPIDR_EL1", 3, 0, 0, 0, 5, PL1_R, .readfn = mpidr_read),
    REG("REVIDR_EL1", 3, 0, 0, 0, 6, PL1_R, .readfn = revidr_read),
    ID64("ID_AA64PFR0_EL1", 0, 4, 0, id_aa64pfr0),
    ID64("ID_AA64PFR1_EL1", 0, 4, 1, id_aa64pfr1),
    ID64("ID_AA64DFR0_EL1", 0, 5, 0, id_aa64dfr0),
    ID64("ID_AA64DFR1_EL1", 0, 5, 1, id_aa64dfr1),
    ID64("ID_AA64AFR0_EL1", 0, 5, 4, id_aa64afr0),
    ID64("ID_AA64ISAR0_EL1", 0, 6, 0, id_aa64isar0),
    ID64("ID_AA64ISAR1_EL1", 0, 6, 1, id_aa64isar1),
    ID64("ID_AA64MMFR0_EL1", 0, 7, 0, id_aa64mmfr0),
    ID64("ID_AA64MMFR1_EL1", 0, 7, 1, id_aa64mmfr1),
    ID64("ID_AA64MMFR2_EL1", 0, 7, 2, id_aa64mmfr2),
    ID32("MVFR0_EL1", 3, 0, mvfr0),
    ID32("MVFR1_EL1", 3, 1, mvfr1),
    ID32("MVFR2_EL1", 3, 2, mvfr2),
    REG("CTR_EL0", 3, 3, 0, 0, 1, PL0_R, .readfn = ctr_read,
        .accessfn = ctr_access),
    REG("DCZID_EL0", 3, 3, 0, 0, 7, PL0_R, .readfn = dczid_read),
    REG("CCSIDR_EL1", 3, 1, 0, 0, 0, PL1_R, .readfn = ccsidr_read),
    REG("CLIDR_EL1", 3, 1, 0, 0, 1, PL1_R, .readfn = clidr_read),
    CONST("AIDR_EL1", 3, 1, 0, 0, 7, PL1_R, 0),
    FIELD("CSSELR_EL1", 3, 2, 0, 0, 0, PL1_RW, cp15.csselr_el1),

    /* VMSA and system control */
    REG("SCTLR_EL1", 3, 0, 1, 0, 0, PL1_RW, .type = ARM_CP_EXIT_TB,
        .fieldoffset = F(cp15.sctlr[1]), .writefn = vmsa_write),
    FIELD("ACTLR_EL1", 3, 0, 1, 0, 1, PL1_RW, cp15.actlr[1]),
    REG("CPACR_EL1", 3, 0, 1, 0, 2, PL1_RW, .type = ARM_CP_EXIT_TB,
        .fieldoffset = F(cp15.cpacr_el1)),
    REG("TTBR0_EL1", 3, 0, 2, 0, 0, PL1_RW, .type = ARM_CP_EXIT_TB,
        .fieldoffset = F(cp15.ttbr0[1]), .writefn = ttbr_write),
    REG("TTBR1_EL1", 3, 0, 2, 0, 1, PL1_RW, .type = ARM_CP_EXIT_TB,
        .fieldoffset = F(cp15.ttbr1[1]), .writefn = ttbr_write),
    REG("TCR_EL1", 3, 0, 2, 0, 2, PL1_RW, .type = ARM_CP_EXIT_TB,
        .fieldoffset = F(cp15.tcr[1]), .writefn = vmsa_write),
    FIELD("MAIR_EL1", 3, 0, 10, 2, 0, PL1_RW, cp15.mair[1]),
    FIELD("AMAIR_EL1", 3, 0, 10, 3, 0, PL1_RW, cp15.amair[1]),
    FIELD("CONTEXTIDR_EL1", 3, 0, 13, 0, 1, PL1_RW, cp15.contextidr_el1),
    FIELD("VBAR_EL1", 3, 0, 12, 0, 0, PL1_RW, cp15.vbar[1]),
    REG("ISR_EL1", 3, 0, 12, 1, 0, PL1_R, .readfn = isr_read),
    /* EL1 is the highest EL: RVBAR_EL1 holds the reset address (0) */
    CONST("RVBAR_EL1", 3, 0, 12, 0, 1, PL1_R, 0),
    FIELD("TPIDR_EL1", 3, 0, 13, 0, 4, PL1_RW, cp15.tpidr[1]),
    FIELD("TPIDR_EL0", 3, 3, 13, 0, 2, PL0_RW, cp15.tpidr[0]),
    FIELD("TPIDRRO_EL0", 3, 3, 13, 0, 3, 0x01 | PL1_RW, cp15.tpidrro_el0),
    FIELD("PAR_EL1", 3, 0, 7, 4, 0, PL1_RW, cp15.par_el1),

    /* exception state */
    FIELD("SPSR_EL1", 3, 0, 4, 0, 0, PL1_RW, spsr_el[1]),
    FIELD("ELR_EL1", 3, 0, 4, 0, 1, PL1_RW, elr_el[1]),
    REG("SP_EL0", 3, 0, 4, 1, 0, PL1_RW, .accessfn = sp_el0_access,
        .readfn = sp_el0_read, .writefn = sp_el0_write),
    REG("SPSel", 3, 0, 4, 2, 0, PL1_RW, .type = ARM_CP_EXIT_LOOP,
        .readfn = spsel_read, .writefn = spsel_write),
    REG("CurrentEL", 3, 0, 4, 2, 2, PL1_R, .type = ARM_CP_CURRENTEL),
    REG("DAIF", 3, 3, 4, 2, 1, PL0_RW, .type = ARM_CP_DAIF | ARM_CP_EXIT_LOOP,
        .fieldoffset = F(daif), .writefn = daif_write,
        .accessfn = daif_access),
    REG("NZCV", 3, 3, 4, 2, 0, PL0_RW, .type = ARM_CP_NZCV),
    REG("FPCR", 3, 3, 4, 4, 0, PL0_RW, .type = ARM_CP_FPU | ARM_CP_FPCR,
        .fieldoffset = F(fpcr)),
    REG("FPSR", 3, 3, 4, 4, 1, PL0_RW, .type = ARM_CP_FPU | ARM_CP_FPSR,
        .fieldoffset = F(fpsr)),
    FIELD("ESR_EL1", 3, 0, 5, 2, 0, PL1_RW, esr_el[1]),
    FIELD("AFSR0_EL1", 3, 0, 5, 1, 0, PL1_RW, cp15.afsr0[1]),
    FIELD("AFSR1_EL1", 3, 0, 5, 1, 1, PL1_RW, cp15.afsr1[1]),
    FIELD("FAR_EL1", 3, 0, 6, 0, 0, PL1_RW, far_el[1]),

    /* generic timer */
    REG("CNTFRQ_EL0", 3, 3, 14, 0, 0, PL0_R, .type = ARM_CP_CONST,
        .resetvalue = GTIMER_FREQ_HZ, .accessfn = cntfrq_access),
    FIELD("CNTKCTL_EL1", 3, 0, 14, 1, 0, PL1_RW, cp15.cntkctl_el1),
    REG("CNTPCT_EL0", 3, 3, 14, 0, 1, PL0_R, .type = ARM_CP_IO,
        .accessfn = gt_cnt_access, .readfn = gt_cnt_read,
        .opaque = GTIMER_PHYS),
    REG("CNTVCT_EL0", 3, 3, 14, 0, 2, PL0_R, .type = ARM_CP_IO,
        .accessfn = gt_cnt_access, .readfn = gt_cnt_read,
        .opaque = GTIMER_VIRT),
    GT("P", 2, GTIMER_PHYS),
    GT("V", 3, GTIMER_VIRT),

    /* debug */
    FIELD("MDSCR_EL1", 2, 0, 0, 2, 2, PL1_RW, cp15.mdscr_el1),
    FIELD("MDCCINT_EL1", 2, 0, 0, 2, 0, PL1_RW, cp15.mdccint_el1),
    CONST("MDCCSR_EL0", 2, 3, 0, 1, 0, PL0_R, 0),
    REG("OSLAR_EL1", 2, 0, 1, 0, 4, PL1_W, .writefn = oslar_write),
    FIELD("OSLSR_EL1", 2, 0, 1, 1, 4, PL1_R, cp15.oslsr_el1),
    FIELD("OSDLR_EL1", 2, 0, 1, 3, 4, PL1_RW, cp15.osdlr_el1),
    NOP("DBGPRCR_EL1", 2, 0, 1, 4, 4, PL1_RW),
    NOP("DBGCLAIMSET_EL1", 2, 0, 7, 8, 6, PL1_RW),
    NOP("DBGCLAIMCLR_EL1", 2, 0, 7, 9, 6, PL1_RW),
    CONST("DBGAUTHSTATUS_EL1", 2, 0, 7, 14, 6, PL1_R, 0xa),
    DBGB(0), DBGB(1), DBGB(2), DBGB(3), DBGB(4), DBGB(5),
    DBGW(0), DBGW(1), DBGW(2), DBGW(3),
    CONST("MDRAR_EL1", 2, 0, 1, 0, 0, PL1_R, 0),

    /* performance monitors: storage only, no counters (PMCR.N = 0) */
    REG("PMCR_EL0", 3, 3, 9, 12, 0, PL0_RW, .accessfn = pmu_access,
        .fieldoffset = F(cp15.pmcr_el0)),
    REG("PMCNTENSET_EL0", 3, 3, 9, 12, 1, PL0_RW, .accessfn = pmu_access,
        .fieldoffset = F(cp15.pmcntenset_el0)),
    REG("PMCNTENCLR_EL0", 3, 3, 9, 12, 2, PL0_RW, .accessfn = pmu_access,
        .fieldoffset = F(cp15.pmcntenset_el0)),
    REG("PMOVSCLR_EL0", 3, 3, 9, 12, 3, PL0_RW, .accessfn = pmu_access,
        .fieldoffset = F(cp15.pmovsclr_el0)),
    REG("PMSELR_EL0", 3, 3, 9, 12, 5, PL0_RW, .accessfn = pmu_access,
        .fieldoffset = F(cp15.pmselr_el0)),
    REG("PMCEID0_EL0", 3, 3, 9, 12, 6, PL0_R, .type = ARM_CP_CONST,
        .accessfn = pmu_access),
    REG("PMCEID1_EL0", 3, 3, 9, 12, 7, PL0_R, .type = ARM_CP_CONST,
        .accessfn = pmu_access),
    REG("PMCCNTR_EL0", 3, 3, 9, 13, 0, PL0_RW, .accessfn = pmu_access,
        .fieldoffset = F(cp15.pmccntr_el0)),
    FIELD("PMUSERENR_EL0", 3, 3, 9, 14, 0, 0x01 | PL1_RW, cp15.pmuserenr_el0),
    FIELD("PMINTENSET_EL1", 3, 0, 9, 14, 1, PL1_RW, cp15.pmintenset_el1),
    FIELD("PMINTENCLR_EL1", 3, 0, 9, 14, 2, PL1_RW, cp15.pmintenset_el1),
    REG("PMCCFILTR_EL0", 3, 3, 14, 15, 7, PL0_RW, .accessfn = pmu_access,
        .fieldoffset = F(cp15.pmccfiltr_el0)),
    REG("PMOVSSET_EL0", 3, 3, 9, 14, 3, PL0_RW, .accessfn = pmu_access,
        .fieldoffset = F(cp15.pmovsclr_el0)),
    REG("PMXEVTYPER_EL0", 3, 3, 9, 13, 1, PL0_RW, .type = ARM_CP_CONST,
        .accessfn = pmu_access),
    REG("PMXEVCNTR_EL0", 3, 3, 9, 13, 2, PL0_RW, .type = ARM_CP_CONST,
        .accessfn = pmu_access),

    /* Cortex-A57/A72 IMPLEMENTATION DEFINED registers: RAZ/WI */
    REG("L2CTLR_EL1", 3, 1, 11, 0, 2, PL1_RW, .readfn = l2ctlr_read,
        .writefn = ignore_write),
    CONST("L2ECTLR_EL1", 3, 1, 11, 0, 3, PL1_RW, 0),
    CONST("L2ACTLR_EL1", 3, 1, 15, 0, 0, PL1_RW, 0),
    CONST("CPUACTLR_EL1", 3, 1, 15, 2, 0, PL1_RW, 0),
    CONST("CPUECTLR_EL1", 3, 1, 15, 2, 1, PL1_RW, 0),
    CONST("CPUMERRSR_EL1", 3, 1, 15, 2, 2, PL1_RW, 0),
    CONST("L2MERRSR_EL1", 3, 1, 15, 2, 3, PL1_RW, 0),
    CONST("CBAR_EL1", 3, 1, 15, 3, 0, PL1_R, 0),

    /* cache maintenance: no-ops */
    NOP("IC_IALLUIS", 1, 0, 7, 1, 0, PL1_W),
    NOP("IC_IALLU", 1, 0, 7, 5, 0, PL1_W),
    REG("IC_IVAU", 1, 3, 7, 5, 1, PL0_W, .type = ARM_CP_NOP,
        .accessfn = cache_el0_access),
    NOP("DC_IVAC", 1, 0, 7, 6, 1, PL1_W),
    NOP("DC_ISW", 1, 0, 7, 6, 2, PL1_W),
    NOP("DC_CSW", 1, 0, 7, 10, 2, PL1_W),
    NOP("DC_CISW", 1, 0, 7, 14, 2, PL1_W),
    REG("DC_CVAC", 1, 3, 7, 10, 1, PL0_W, .type = ARM_CP_NOP,
        .accessfn = cache_el0_access),
    REG("DC_CVAU", 1, 3, 7, 11, 1, PL0_W, .type = ARM_CP_NOP,
        .accessfn = cache_el0_access),
    REG("DC_CIVAC", 1, 3, 7, 14, 1, PL0_W, .type = ARM_CP_NOP,
        .accessfn = cache_el0_access),
    REG("DC_ZVA", 1, 3, 7, 4, 1, PL0_W, .type = ARM_CP_DC_ZVA,
        .accessfn = zva_access),

    /* address translation */
    REG("AT_S1E1R", 1, 0, 7, 8, 0, PL1_W, .writefn = par_at_write),
    REG("AT_S1E1W", 1, 0, 7, 8, 1, PL1_W, .writefn = par_at_write),
    REG("AT_S1E0R", 1, 0, 7, 8, 2, PL1_W, .writefn = par_at_write),
    REG("AT_S1E0W", 1, 0, 7, 8, 3, PL1_W, .writefn = par_at_write),

    /* TLB maintenance (by ASID = everything: ASIDs are not cached) */
    REG("TLBI_VMALLE1IS", 1, 0, 8, 3, 0, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_all_write, .opaque = 1),
    REG("TLBI_VAE1IS", 1, 0, 8, 3, 1, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_va_write, .opaque = 1),
    REG("TLBI_ASIDE1IS", 1, 0, 8, 3, 2, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_all_write, .opaque = 1),
    REG("TLBI_VAAE1IS", 1, 0, 8, 3, 3, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_va_write, .opaque = 1),
    REG("TLBI_VALE1IS", 1, 0, 8, 3, 5, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_va_write, .opaque = 1),
    REG("TLBI_VAALE1IS", 1, 0, 8, 3, 7, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_va_write, .opaque = 1),
    REG("TLBI_VMALLE1", 1, 0, 8, 7, 0, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_all_write),
    REG("TLBI_VAE1", 1, 0, 8, 7, 1, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_va_write),
    REG("TLBI_ASIDE1", 1, 0, 8, 7, 2, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_all_write),
    REG("TLBI_VAAE1", 1, 0, 8, 7, 3, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_va_write),
    REG("TLBI_VALE1", 1, 0, 8, 7, 5, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_va_write),
    REG("TLBI_VAALE1", 1, 0, 8, 7, 7, PL1_W, .type = ARM_CP_EXIT_TB,
        .writefn = tlbi_va_write),
};

/* EL2 (no stage 2 translation, no VHE): only reachable at EL2, which
 * exists when the board sets ARMCPU.has_el2 */
#define EL2F(n, o0, o1, n_, m, o2, fld) FIELD(n, o0, o1, n_, m, o2, PL2_RW, fld)
static const ARMCPRegInfo arm_el2_cpregs[] = {
    EL2F("VPIDR_EL2", 3, 4, 0, 0, 0, cp15.vpidr_el2),
    EL2F("VMPIDR_EL2", 3, 4, 0, 0, 5, cp15.vmpidr_el2),
    REG("SCTLR_EL2", 3, 4, 1, 0, 0, PL2_RW, .type = ARM_CP_EXIT_TB,
        .fieldoffset = F(cp15.sctlr[2]), .writefn = e2_write),
    EL2F("ACTLR_EL2", 3, 4, 1, 0, 1, cp15.actlr[2]),
    REG("HCR_EL2", 3, 4, 1, 1, 0, PL2_RW, .type = ARM_CP_EXIT_LOOP,
        .fieldoffset = F(cp15.hcr_el2)),
    EL2F("MDCR_EL2", 3, 4, 1, 1, 1, cp15.mdcr_el2),
    REG("CPTR_EL2", 3, 4, 1, 1, 2, PL2_RW, .type = ARM_CP_EXIT_TB,
        .fieldoffset = F(cp15.cptr_el2)),
    EL2F("HSTR_EL2", 3, 4, 1, 1, 3, cp15.hstr_el2),
    EL2F("HACR_EL2", 3, 4, 1, 1, 7, cp15.hacr_el2),
    REG("TTBR0_EL2", 3, 4, 2, 0, 0, PL2_RW, .type = ARM_CP_EXIT_TB,
        .fieldoffset = F(cp15.ttbr0[2]), .writefn = e2_write),
    REG("TCR_EL2", 3, 4, 2, 0, 2, PL2_RW, .type = ARM_CP_EXIT_TB,
        .fieldoffset = F(cp15.tcr[2]), .writefn = e2_write),
    EL2F("VTTBR_EL2", 3, 4, 2, 1, 0, cp15.vttbr_el2),
    EL2F("VTCR_EL2", 3, 4, 2, 1, 2, cp15.vtcr_el2),
    EL2F("SPSR_EL2", 3, 4, 4, 0, 0, spsr_el[2]),
    EL2F("ELR_EL2", 3, 4, 4, 0, 1, elr_el[2]),
    REG("SP_EL1", 3, 4, 4, 1, 0, PL2_RW, .readfn = sp_el1_read,
        .writefn = sp_el1_write),
    EL2F("AFSR0_EL2", 3, 4, 5, 1, 0, cp15.afsr0[2]),
    EL2F("AFSR1_EL2", 3, 4, 5, 1, 1, cp15.afsr1[2]),
    EL2F("ESR_EL2", 3, 4, 5, 2, 0, esr_el[2]),
    EL2F("FAR_EL2", 3, 4, 6, 0, 0, far_el[2]),
    EL2F("HPFAR_EL2", 3, 4, 6, 0, 4, cp15.hpfar_el2),
    EL2F("MAIR_EL2", 3, 4, 10, 2, 0, cp15.mair[2]),
    EL2F("AMAIR_EL2", 3, 4, 10, 3, 0, cp15.amair[2]),
    EL2F("VBAR_EL2", 3, 4, 12, 0, 0, cp15.vbar[2]),
    CONST("RVBAR_EL2", 3, 4, 12, 0, 1, PL2_R, 0),
    EL2F("TPIDR_EL2", 3, 4, 13, 0, 2, cp15.tpidr[2]),
    REG("CNTVOFF_EL2", 3, 4, 14, 0, 3, PL2_RW, .type = ARM_CP_IO,
        .fieldoffset = F(cp15.cntvoff_el2), .writefn = cntvoff_write),
    EL2F("CNTHCTL_EL2", 3, 4, 14, 1, 0, cp15.cnthctl_el2),
    REG("CNTHP_TVAL_EL2", 3, 4, 14, 2, 0, PL2_RW, .type = ARM_CP_IO,
        .accessfn = gt_timer_access, .readfn = gt_tval_read,
        .writefn = gt_tval_write, .opaque = GTIMER_HYP),
    REG("CNTHP_CTL_EL2", 3, 4, 14, 2, 1, PL2_RW, .type = ARM_CP_IO,
        .accessfn = gt_timer_access, .readfn = gt_ctl_read,
        .writefn = gt_ctl_write, .opaque = GTIMER_HYP),
    REG("CNTHP_CVAL_EL2", 3, 4, 14, 2, 2, PL2_RW, .type = ARM_CP_IO,
        .accessfn = gt_timer_access, .readfn = gt_cval_read,
        .writefn = gt_cval_write, .opaque = GTIMER_HYP),
    REG("AT_S1E2R", 1, 4, 7, 8, 0, PL2_W, .writefn = at_s1e2_write),
    REG("AT_S1E2W", 1, 4, 7, 8, 1, PL2_W, .writefn = at_s1e2_write),
    /* opaque: bit 0 broadcast, bit 1 the EL1&0 regime */
    REG("TLBI_ALLE2IS", 1, 4, 8, 3, 0, PL2_W, .type = ARM_CP_EXIT_TB,
        .writefn = el2_tlb_flush_write, .opaque = 1),
    REG("TLBI_VAE2IS", 1, 4, 8, 3, 1, PL2_W, .type = ARM_CP_EXIT_TB,
        .writefn = el2_tlb_flush_write, .opaque = 1),
    REG("TLBI_ALLE1IS", 1, 4, 8, 3, 4, PL2_W, .type = ARM_CP_EXIT_TB,
        .writefn = el2_tlb_flush_write, .opaque = 3),
    REG("TLBI_VALE2IS", 1, 4, 8, 3, 5, PL2_W, .type = ARM_CP_EXIT_TB,
        .writefn = el2_tlb_flush_write, .opaque = 1),
    REG("TLBI_VMALLS12E1IS", 1, 4, 8, 3, 6, PL2_W, .type = ARM_CP_EXIT_TB,
        .writefn = el2_tlb_flush_write, .opaque = 3),
    REG("TLBI_ALLE2", 1, 4, 8, 7, 0, PL2_W, .type = ARM_CP_EXIT_TB,
        .writefn = el2_tlb_flush_write, .opaque = 0),
    REG("TLBI_VAE2", 1, 4, 8, 7, 1, PL2_W, .type = ARM_CP_EXIT_TB,
        .writefn = el2_tlb_flush_write, .opaque = 0),
    REG("TLBI_ALLE1", 1, 4, 8, 7, 4, PL2_W, .type = ARM_CP_EXIT_TB,
        .writefn = el2_tlb_flush_write, .opaque = 2),
    REG("TLBI_VALE2", 1, 4, 8, 7, 5, PL2_W, .type = ARM_CP_EXIT_TB,
        .writefn = el2_tlb_flush_write, .opaque = 0),
    REG("TLBI_VMALLS12E1", 1, 4, 8, 7, 6, PL2_W, .type = ARM_CP_EXIT_TB,
        .writefn = el2_tlb_flush_write, .opaque = 2),
    NOP("TLBI_IPAS2E1IS", 1, 4, 8, 0, 1, PL2_W),
    NOP("TLBI_IPAS2LE1IS", 1, 4, 8, 0, 5, PL2_W),
    NOP("TLBI_IPAS2E1", 1, 4, 8, 4, 1, PL2_W),
    NOP("TLBI_IPAS2LE1", 1, 4, 8, 4, 5, PL2_W),
};

static const ARMCPRegInfo pan_cpreg =
    REG("PAN", 3, 0, 4, 2, 3, PL1_RW, .type = ARM_CP_EXIT_LOOP,
        .readfn = pan_read, .writefn = pan_write);

/* Unlisted registers of the ID space (op0=3 op1=0 CRn=0 CRm=1..7) are RAZ */
static const ARMCPRegInfo id_raz_cpreg =
    CONST("ID_RAZ", 3, 0, 0, 1, 0, PL1_R, 0);

void arm_cpu_register_cpregs(ARMCPU *cpu, const ARMCPRegInfo *regs, size_t n)
{
    if (!cpu->extra_cpregs) {
        cpu->extra_cpregs = g_ptr_array_new();
    }
    for (size_t i = 0; i < n; i++) {
        g_ptr_array_add(cpu->extra_cpregs, (gpointer)&regs[i]);
    }
}

const ARMCPRegInfo *arm_cpreg_find(ARMCPU *cpu, int op0, int op1, int crn,
                                   int crm, int op2)
{
    for (guint i = 0; cpu->extra_cpregs && i < cpu->extra_cpregs->len; i++) {
        const ARMCPRegInfo *ri = g_ptr_array_index(cpu->extra_cpregs, i);

        if (ri->op0 == op0 && ri->op1 == op1 && ri->crn == crn &&
            ri->crm == crm && ri->op2 == op2) {
            return ri;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(arm_cpregs); i++) {
        const ARMCPRegInfo *ri = &arm_cpregs[i];

        if (ri->op0 == op0 && ri->op1 == op1 && ri->crn == crn &&
            ri->crm == crm && ri->op2 == op2) {
            return ri;
        }
    }
    if (op1 == 4 && arm_feature(&cpu->env, ARM_FEATURE_EL2)) {
        for (size_t i = 0; i < ARRAY_SIZE(arm_el2_cpregs); i++) {
            const ARMCPRegInfo *ri = &arm_el2_cpregs[i];

            if (ri->op0 == op0 && ri->crn == crn && ri->crm == crm &&
                ri->op2 == op2 && ri->access) {
                return ri;
            }
        }
    }
    if (op0 == 3 && op1 == 0 && crn == 4 && crm == 2 && op2 == 3 &&
        arm_feature(&cpu->env, ARM_FEATURE_PAN)) {
        return &pan_cpreg;
    }
    if (op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7) {
        return &id_raz_cpreg;
    }
    return NULL;
}

/* ---- helpers ---- */

uint64_t HELPER(get_cp_reg64)(CPUARMState *env, const void *rip)
{
    const ARMCPRegInfo *ri = rip;
    uint64_t v;

    if ((ri->type & ARM_CP_IO) && !bql_locked()) {
        bql_lock();
        v = ri->readfn(env, ri);
        bql_unlock();
        return v;
    }
    return ri->readfn(env, ri);
}

void HELPER(set_cp_reg64)(CPUARMState *env, const void *rip, uint64_t v)
{
    const ARMCPRegInfo *ri = rip;

    if ((ri->type & ARM_CP_IO) && !bql_locked()) {
        bql_lock();
        ri->writefn(env, ri, v);
        bql_unlock();
        return;
    }
    ri->writefn(env, ri, v);
}

void HELPER(access_check_cp_reg)(CPUARMState *env, const void *rip,
                                 uint32_t syndrome, uint32_t isread)
{
    const ARMCPRegInfo *ri = rip;

    switch (ri->accessfn(env, ri, isread)) {
    case CP_ACCESS_OK:
        return;
    case CP_ACCESS_TRAP:
        raise_exception(env, EXCP_UDEF, syndrome, exception_target_el(env));
    case CP_ACCESS_TRAP_EL2:
        raise_exception(env, EXCP_UDEF, syndrome, 2);
    default:
        raise_exception(env, EXCP_UDEF, syn_uncategorized(),
                        exception_target_el(env));
    }
}
