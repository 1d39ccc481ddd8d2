/*
 * GICv3 CPU interface: the ICC_*_EL1 system registers of each CPU (Arm IHI
 * 0069H, chapter 12), as a table the AArch64 CPU dispatches MRS/MSR to
 * (hw/arm/arm-cpu-external-regs.h); opaque is the CPU's GICv3CPUState.
 * The model choices are listed in arm_gicv3.c.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "gicv3_internal.h"

static uint64_t icc_ack(GICv3CPUState *cs, int group)
{
    GICv3State *s = cs->gic;
    int irq = gicv3_best_pending(s, cs->cpu);
    GICIrqState *q;

    if (!gicv3_can_signal(s, cs->cpu, irq)) {
        return GIC_SPURIOUS;
    }
    q = gicv3_irq(s, cs->cpu, irq);
    if (q->group != group) {
        return GIC_SPURIOUS;
    }
    /* a level input stays pending while it is high */
    gic_core_activate(&s->core, cs->cpu, irq);
    cs->icc_apr[group] |=
        1u << ((q->priority & gicv3_group_mask(cs, group)) >> 3);
    gicv3_update(s);
    return irq;
}

static void icc_deactivate(GICv3CPUState *cs, uint64_t value)
{
    int irq = value & 0xffffff;

    if (irq >= (int)cs->gic->num_irq) {
        return;
    }
    if (!gic_core_deactivate(&cs->gic->core, cs->cpu, irq)) {
        tlog_mask(LOG_GUEST_ERROR, "arm-gicv3: CPU %d deactivates "
                  "interrupt %d, which is not active\n", cs->cpu, irq);
    }
}

static void icc_eoi(GICv3CPUState *cs, int group, uint64_t value)
{
    int irq = value & 0xffffff;

    if (irq >= (int)cs->gic->num_irq) {
        return;         /* special INTIDs: nothing to do */
    }
    if (cs->icc_apr[group]) {
        cs->icc_apr[group] &= cs->icc_apr[group] - 1;
    }
    if (!(cs->icc_ctlr & ICC_CTLR_EOIMODE)) {
        icc_deactivate(cs, value);
    }
    gicv3_update(cs->gic);
}

static void icc_generate_sgi(GICv3CPUState *cs, uint64_t value)
{
    GICv3State *s = cs->gic;
    int sgi = (value >> 24) & 0xf;
    bool irm = (value >> 40) & 1;
    uint64_t aff = ((value >> 48 & 0xff) << 32) | ((value >> 32 & 0xff) << 16) |
                   ((value >> 16 & 0xff) << 8);
    int rs = (value >> 44) & 0xf;

    for (int c = 0; c < (int)s->num_cpu; c++) {
        uint64_t a = s->cpu[c].affinity;
        int aff0 = a & 0xff;

        if (irm) {
            if (c == cs->cpu) {
                continue;
            }
        } else if ((a & 0xff00ffff00ull) != aff || aff0 >> 4 != rs ||
                   !((value >> (aff0 & 0xf)) & 1)) {
            continue;
        }
        gicv3_irq(s, c, sgi)->pending = 1;
        gic_core_sync(&s->core, c, sgi);
    }
    gicv3_update(s);
}

static uint64_t icc_hppir(GICv3CPUState *cs, int group)
{
    int irq = gicv3_best_pending(cs->gic, cs->cpu);

    if (irq == GIC_SPURIOUS ||
        gicv3_irq(cs->gic, cs->cpu, irq)->group != group) {
        return GIC_SPURIOUS;
    }
    return irq;
}

#define CS ((GICv3CPUState *)opaque)

static uint64_t icc_pmr_read(CPUState *c, void *opaque)
{
    return CS->icc_pmr;
}

static void icc_pmr_write(CPUState *c, void *opaque, uint64_t v)
{
    CS->icc_pmr = v & GIC_PRIO_MASK;
    gicv3_update(CS->gic);
}

static uint64_t icc_iar0_read(CPUState *c, void *opaque)
{
    return icc_ack(CS, 0);
}

static uint64_t icc_iar1_read(CPUState *c, void *opaque)
{
    return icc_ack(CS, 1);
}

static void icc_eoir0_write(CPUState *c, void *opaque, uint64_t v)
{
    icc_eoi(CS, 0, v);
}

static void icc_eoir1_write(CPUState *c, void *opaque, uint64_t v)
{
    icc_eoi(CS, 1, v);
}

static uint64_t icc_hppir0_read(CPUState *c, void *opaque)
{
    return icc_hppir(CS, 0);
}

static uint64_t icc_hppir1_read(CPUState *c, void *opaque)
{
    return icc_hppir(CS, 1);
}

static uint64_t icc_bpr0_read(CPUState *c, void *opaque)
{
    return CS->icc_bpr[0];
}

static void icc_bpr0_write(CPUState *c, void *opaque, uint64_t v)
{
    CS->icc_bpr[0] = MAX(v & 7, 2);
    gicv3_update(CS->gic);
}

static uint64_t icc_bpr1_read(CPUState *c, void *opaque)
{
    if (CS->icc_ctlr & ICC_CTLR_CBPR) {
        return MIN(CS->icc_bpr[0] + 1, 7);
    }
    return CS->icc_bpr[1];
}

static void icc_bpr1_write(CPUState *c, void *opaque, uint64_t v)
{
    if (!(CS->icc_ctlr & ICC_CTLR_CBPR)) {
        CS->icc_bpr[1] = MAX(v & 7, 3);
        gicv3_update(CS->gic);
    }
}

static uint64_t icc_ap0r0_read(CPUState *c, void *opaque)
{
    return CS->icc_apr[0];
}

static void icc_ap0r0_write(CPUState *c, void *opaque, uint64_t v)
{
    CS->icc_apr[0] = v;
    gicv3_update(CS->gic);
}

static uint64_t icc_ap1r0_read(CPUState *c, void *opaque)
{
    return CS->icc_apr[1];
}

static void icc_ap1r0_write(CPUState *c, void *opaque, uint64_t v)
{
    CS->icc_apr[1] = v;
    gicv3_update(CS->gic);
}

static uint64_t icc_raz_read(CPUState *c, void *opaque)
{
    return 0;
}

static void icc_wi_write(CPUState *c, void *opaque, uint64_t v)
{
}

static void icc_dir_write(CPUState *c, void *opaque, uint64_t v)
{
    if (!(CS->icc_ctlr & ICC_CTLR_EOIMODE)) {
        tlog_mask(LOG_GUEST_ERROR, "arm-gicv3: ICC_DIR_EL1 with EOImode "
                  "0\n");
        return;
    }
    icc_deactivate(CS, v);
    gicv3_update(CS->gic);
}

static uint64_t icc_rpr_read(CPUState *c, void *opaque)
{
    uint32_t rp = gicv3_running_prio(CS);

    return rp == GIC_IDLE_PRIO ? 0xff : rp;
}

static void icc_sgi_write(CPUState *c, void *opaque, uint64_t v)
{
    icc_generate_sgi(CS, v);
}

static uint64_t icc_ctlr_read(CPUState *c, void *opaque)
{
    return CS->icc_ctlr | ICC_CTLR_PRIBITS | ICC_CTLR_A3V;
}

static void icc_ctlr_write(CPUState *c, void *opaque, uint64_t v)
{
    CS->icc_ctlr = v & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE);
    gicv3_update(CS->gic);
}

static uint64_t icc_sre_read(CPUState *c, void *opaque)
{
    return 0x7;     /* SRE, DFB, DIB: system registers only */
}

static uint64_t icc_igrpen0_read(CPUState *c, void *opaque)
{
    return CS->icc_igrpen[0];
}

static void icc_igrpen0_write(CPUState *c, void *opaque, uint64_t v)
{
    CS->icc_igrpen[0] = v & 1;
    gicv3_update(CS->gic);
}

static uint64_t icc_igrpen1_read(CPUState *c, void *opaque)
{
    return CS->icc_igrpen[1];
}

static void icc_igrpen1_write(CPUState *c, void *opaque, uint64_t v)
{
    CS->icc_igrpen[1] = v & 1;
    gicv3_update(CS->gic);
}

#undef CS

#define ICC(_name, _crm, _op2, _r, _w) \
    { .name = _name, .op0 = 3, .op1 = 0, .crn = 12, .crm = (_crm), \
      .op2 = (_op2), .min_el = 1, .readfn = (_r), .writefn = (_w) }

const ArmExternalReg gicv3_cpuif_regs[] = {
    { .name = "ICC_PMR_EL1", .op0 = 3, .op1 = 0, .crn = 4, .crm = 6,
      .op2 = 0, .min_el = 1, .readfn = icc_pmr_read,
      .writefn = icc_pmr_write },
    ICC("ICC_IAR0_EL1", 8, 0, icc_iar0_read, NULL),
    ICC("ICC_EOIR0_EL1", 8, 1, NULL, icc_eoir0_write),
    ICC("ICC_HPPIR0_EL1", 8, 2, icc_hppir0_read, NULL),
    ICC("ICC_BPR0_EL1", 8, 3, icc_bpr0_read, icc_bpr0_write),
    ICC("ICC_AP0R0_EL1", 8, 4, icc_ap0r0_read, icc_ap0r0_write),
    ICC("ICC_AP0R1_EL1", 8, 5, icc_raz_read, icc_wi_write),
    ICC("ICC_AP0R2_EL1", 8, 6, icc_raz_read, icc_wi_write),
    ICC("ICC_AP0R3_EL1", 8, 7, icc_raz_read, icc_wi_write),
    ICC("ICC_AP1R0_EL1", 9, 0, icc_ap1r0_read, icc_ap1r0_write),
    ICC("ICC_AP1R1_EL1", 9, 1, icc_raz_read, icc_wi_write),
    ICC("ICC_AP1R2_EL1", 9, 2, icc_raz_read, icc_wi_write),
    ICC("ICC_AP1R3_EL1", 9, 3, icc_raz_read, icc_wi_write),
    ICC("ICC_DIR_EL1", 11, 1, NULL, icc_dir_write),
    ICC("ICC_RPR_EL1", 11, 3, icc_rpr_read, NULL),
    ICC("ICC_SGI1R_EL1", 11, 5, NULL, icc_sgi_write),
    ICC("ICC_ASGI1R_EL1", 11, 6, NULL, icc_sgi_write),
    ICC("ICC_SGI0R_EL1", 11, 7, NULL, icc_sgi_write),
    ICC("ICC_IAR1_EL1", 12, 0, icc_iar1_read, NULL),
    ICC("ICC_EOIR1_EL1", 12, 1, NULL, icc_eoir1_write),
    ICC("ICC_HPPIR1_EL1", 12, 2, icc_hppir1_read, NULL),
    ICC("ICC_BPR1_EL1", 12, 3, icc_bpr1_read, icc_bpr1_write),
    ICC("ICC_CTLR_EL1", 12, 4, icc_ctlr_read, icc_ctlr_write),
    ICC("ICC_SRE_EL1", 12, 5, icc_sre_read, icc_wi_write),
    ICC("ICC_IGRPEN0_EL1", 12, 6, icc_igrpen0_read, icc_igrpen0_write),
    ICC("ICC_IGRPEN1_EL1", 12, 7, icc_igrpen1_read, icc_igrpen1_write),
};
const int gicv3_cpuif_num_regs = ARRAY_SIZE(gicv3_cpuif_regs);
