/*
 * Arm Generic Interrupt Controller v3 (Arm IHI 0069H): distributor,
 * redistributors and the system-register CPU interface, for one Security
 * state (GICD_CTLR.DS = 1, ARE = 1 fixed), without LPIs, ITS or the
 * virtualization features.
 *
 * Regions     sysbus mmio 0: distributor (GICD_*, 64 KiB);
 *             mmio 1: redistributors, 128 KiB per CPU in CPU order: RD_base
 *             (GICR_CTLR, TYPER, WAKER...) then SGI_base (GICR_IGROUPR0,
 *             ISENABLER0... for the CPU's SGIs and PPIs).
 * IRQ lines   inputs: SPIs (INTID 32..num-irq-1) first, then 32 per CPU
 *             indexed by INTID (PPIs 16..31); outputs: IRQ of each CPU,
 *             then FIQ of each CPU.
 * Properties  num-cpu (1..123), num-irq (64..1020, multiple of 32).
 * CPU side    gicv3_cpuif_regs[] (arm_gicv3_cpuif.c): ICC_PMR/IAR0/IAR1/EOIR0/EOIR1/HPPIR0/
 *             HPPIR1/BPR0/BPR1/AP0R0-3/AP1R0-3/DIR/RPR/SGI0R/SGI1R/ASGI1R/
 *             CTLR/SRE/IGRPEN0/IGRPEN1 _EL1, for the CPU's MRS/MSR
 *             (hw/arm/arm-cpu-external-regs.h).
 *
 * Model choices:
 * - Five priority bits (ICC_CTLR_EL1.PRIbits = 4): 32 levels, ICC_BPR0
 *   minimum 2, ICC_BPR1 minimum 3; one active priorities register per
 *   group (ICC_AP0R0, ICC_AP1R0), bit n = group priority n << 3; the
 *   running priority is the highest of both.
 * - Group 0 is signalled as FIQ, group 1 as IRQ (EL1, one Security state).
 * - SPIs with GICD_IROUTER.IRM = 1 are pending on every CPU whose
 *   redistributor is awake; the first to acknowledge takes it.
 * - A redistributor with GICR_WAKER.ProcessorSleep set forwards nothing;
 *   ChildrenAsleep follows ProcessorSleep at once.
 * - ICC_SGI1R_EL1 and ICC_SGI0R_EL1 pend the SGI whatever its group on
 *   the target; ICC_SRE_EL1 reads SRE = DFB = DIB = 1 (system registers
 *   only, no memory-mapped GICC).
 *
 * The interrupts' state and the registers shared with GICv2 are the GIC
 * core's (arm_gic_core.c); this file keeps GICD_IROUTER, the
 * redistributor frames and (arm_gicv3_cpuif.c) the CPU interface.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "migration/vmstate.h"
#include "gicv3_internal.h"

enum {
    GICD_CTLR = 0x0000, GICD_TYPER = 0x0004, GICD_IIDR = 0x0008,
    GICD_TYPER2 = 0x000c, GICD_STATUSR = 0x0010,
    GICD_IGROUPR = 0x0080, GICD_ISENABLER = 0x0100,
    GICD_ICENABLER = 0x0180, GICD_ISPENDR = 0x0200, GICD_ICPENDR = 0x0280,
    GICD_ISACTIVER = 0x0300, GICD_ICACTIVER = 0x0380,
    GICD_IPRIORITYR = 0x0400, GICD_ITARGETSR = 0x0800, GICD_ICFGR = 0x0c00,
    GICD_IGRPMODR = 0x0d00, GICD_IROUTER = 0x6000, GICD_ID = 0xffd0,
};

enum {
    GICR_CTLR = 0x0000, GICR_IIDR = 0x0004, GICR_TYPER = 0x0008,
    GICR_STATUSR = 0x0010, GICR_WAKER = 0x0014, GICR_ID = 0xffd0,
    GICR_SGI_BASE = 0x10000,
};

static const uint8_t gicv3_cidr[4] = { 0x0d, 0xf0, 0x05, 0xb1 };

/* SPIs: does GICD_IROUTER send irq to cpu (IRM = 1: any CPU)? */
static bool gicv3_targets(GICCore *c, int cpu, int irq)
{
    GICv3State *s = c->opaque;
    uint64_t route = s->irouter[irq - GIC_INTERNAL];

    if (route & IROUTER_IRM) {
        return true;
    }
    return (route & AFF_MASK) == (s->cpu[cpu].affinity & AFF_MASK);
}

static const GICCoreOps gicv3_core_ops = {
    .targets = gicv3_targets,
};

uint32_t gicv3_group_mask(GICv3CPUState *cs, int group)
{
    if (group == 0 || (cs->icc_ctlr & ICC_CTLR_CBPR)) {
        return gic_group_mask(cs->icc_bpr[0], false);
    }
    return gic_group_mask(cs->icc_bpr[1], true);
}

uint32_t gicv3_running_prio(GICv3CPUState *cs)
{
    return gic_running_prio(cs->icc_apr[0] | cs->icc_apr[1]);
}

int gicv3_best_pending(GICv3State *s, int cpu)
{
    return gic_core_best_pending(&s->core, cpu, s->gicd_ctlr);
}

bool gicv3_can_signal(GICv3State *s, int cpu, int irq)
{
    GICv3CPUState *cs = &s->cpu[cpu];
    GICIrqState *q;

    if (irq == GIC_SPURIOUS || (cs->gicr_waker & GICR_WAKER_PS)) {
        return false;
    }
    q = gicv3_irq(s, cpu, irq);
    return (cs->icc_igrpen[q->group] & 1) && q->priority < cs->icc_pmr &&
           (q->priority & gicv3_group_mask(cs, q->group)) <
           gicv3_running_prio(cs);
}

void gicv3_update(GICv3State *s)
{
    for (int cpu = 0; cpu < (int)s->num_cpu; cpu++) {
        int irq = gicv3_best_pending(s, cpu);
        bool irq_level = false, fiq_level = false;

        if (gicv3_can_signal(s, cpu, irq)) {
            if (gicv3_irq(s, cpu, irq)->group == 0) {
                fiq_level = true;
            } else {
                irq_level = true;
            }
        }
        qemu_set_irq(s->cpu[cpu].irq, irq_level);
        qemu_set_irq(s->cpu[cpu].fiq, fiq_level);
    }
}

static void gicv3_set_irq(void *opaque, int n, int level)
{
    GICv3State *s = opaque;

    if (gic_core_set_input(&s->core, n, level)) {
        gicv3_update(s);
    }
}

static bool gicv3_id_read(hwaddr off, uint64_t *val)
{
    if (off == 0xffe8) {            /* PIDR2: ArchRev 3 */
        *val = 0x3b;
        return true;
    }
    if (off >= 0xfff0 && off <= 0xfffc && !(off & 3)) {
        *val = gicv3_cidr[(off - 0xfff0) >> 2];
        return true;
    }
    if (off >= GICD_ID && off < 0xfff0) {
        *val = 0;
        return true;
    }
    return false;
}

/* ---- distributor ---- */

static uint64_t gicv3_dist_read(void *opaque, hwaddr off, unsigned size)
{
    GICv3State *s = opaque;
    uint64_t v = 0;

    if (off >= GICD_IROUTER && off < GICD_IROUTER + 8 * GIC_MAXIRQ) {
        int irq = (off - GICD_IROUTER) / 8;

        if (irq < GIC_INTERNAL || irq >= (int)s->num_irq) {
            return 0;
        }
        v = s->irouter[irq - GIC_INTERNAL];
        return size == 8 ? v : (v >> ((off & 4) * 8)) & 0xffffffff;
    }
    if (gicv3_id_read(off, &v)) {
        return v;
    }
    switch (off) {
    case GICD_CTLR:
        return s->gicd_ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
    case GICD_TYPER:
        /* ITLinesNumber, CPUNumber, IDbits = 9 (10 bits) */
        return (s->num_irq / 32 - 1) | ((MIN(s->num_cpu, 8) - 1) << 5) |
               (9 << 19);
    case GICD_IIDR:
        return GICV3_IIDR;
    case GICD_TYPER2:
    case GICD_STATUSR:
        return 0;
    }
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)gic_core_readb(&s->core, 0, off + i, GIC_INTERNAL,
                                           s->num_irq) << (i * 8);
    }
    return v;
}

static void gicv3_dist_write(void *opaque, hwaddr off, uint64_t value,
                             unsigned size)
{
    GICv3State *s = opaque;

    if (off >= GICD_IROUTER && off < GICD_IROUTER + 8 * GIC_MAXIRQ) {
        int irq = (off - GICD_IROUTER) / 8;
        uint64_t *r;

        if (irq < GIC_INTERNAL || irq >= (int)s->num_irq) {
            return;
        }
        r = &s->irouter[irq - GIC_INTERNAL];
        if (size == 8) {
            *r = value;
        } else if (off & 4) {
            *r = (*r & 0xffffffffull) | (value << 32);
        } else {
            *r = (*r & ~0xffffffffull) | (value & 0xffffffff);
        }
        *r &= IROUTER_MASK;
        gic_core_sync(&s->core, 0, irq);
        gicv3_update(s);
        return;
    }
    switch (off) {
    case GICD_CTLR:
        s->gicd_ctlr = value & (GICD_CTLR_EN_GRP0 | GICD_CTLR_EN_GRP1);
        gicv3_update(s);
        return;
    case GICD_TYPER:
    case GICD_IIDR:
    case GICD_TYPER2:
        tlog_mask(LOG_GUEST_ERROR, "arm-gicv3: write to read-only GICD "
                  "offset 0x%x\n", (unsigned)off);
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        gic_core_writeb(&s->core, 0, off + i, value >> (i * 8), GIC_INTERNAL,
                             s->num_irq);
    }
    gicv3_update(s);
}

static bool gicv3_dist_accepts(void *opaque, hwaddr off, unsigned size,
                               bool is_write, MemTxAttrs attrs)
{
    bool router = off >= GICD_IROUTER && off < GICD_IROUTER + 8 * GIC_MAXIRQ;
    bool bytes = off >= GICD_IPRIORITYR && off < GICD_ICFGR;

    if ((size == 4 && !(off & 3)) || (size == 8 && router && !(off & 7)) ||
        (size == 1 && bytes)) {
        return true;
    }
    tlog_mask(LOG_GUEST_ERROR, "arm-gicv3: bad %u-byte access to GICD "
              "offset 0x%x\n", size, (unsigned)off);
    return false;
}

static const MemoryRegionOps gicv3_dist_ops = {
    .read = gicv3_dist_read,
    .write = gicv3_dist_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8,
               .accepts = gicv3_dist_accepts },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

/* ---- redistributors ---- */

static uint64_t gicv3_typer(GICv3State *s, int cpu)
{
    uint64_t aff = s->cpu[cpu].affinity;
    uint64_t packed = (aff & 0xffffff) | ((aff >> 32 & 0xff) << 24);

    return (packed << 32) | ((uint64_t)cpu << 8) |
           (cpu == (int)s->num_cpu - 1 ? 1 << 4 : 0);
}

static uint64_t gicv3_redist_read(void *opaque, hwaddr addr, unsigned size)
{
    GICv3State *s = opaque;
    int cpu = addr / GICV3_REDIST_SIZE;
    hwaddr off = addr % GICV3_REDIST_SIZE;
    uint64_t v = 0;

    if (cpu >= (int)s->num_cpu) {
        return 0;
    }
    if (off >= GICR_SGI_BASE) {
        off -= GICR_SGI_BASE;
        for (unsigned i = 0; i < size; i++) {
            v |= (uint64_t)gic_core_readb(&s->core, cpu, off + i, 0,
                                               GIC_INTERNAL) << (i * 8);
        }
        return v;
    }
    if (gicv3_id_read(off, &v)) {
        return v;
    }
    switch (off) {
    case GICR_IIDR:
        return GICV3_IIDR;
    case GICR_TYPER:
        v = gicv3_typer(s, cpu);
        return size == 8 ? v : v & 0xffffffff;
    case GICR_TYPER + 4:
        return gicv3_typer(s, cpu) >> 32;
    case GICR_WAKER:
        return s->cpu[cpu].gicr_waker;
    default:
        return 0;       /* GICR_CTLR (no LPIs), STATUSR, reserved */
    }
}

static void gicv3_redist_write(void *opaque, hwaddr addr, uint64_t value,
                               unsigned size)
{
    GICv3State *s = opaque;
    int cpu = addr / GICV3_REDIST_SIZE;
    hwaddr off = addr % GICV3_REDIST_SIZE;

    if (cpu >= (int)s->num_cpu) {
        return;
    }
    if (off >= GICR_SGI_BASE) {
        off -= GICR_SGI_BASE;
        for (unsigned i = 0; i < size; i++) {
            gic_core_writeb(&s->core, cpu, off + i, value >> (i * 8), 0,
                                 GIC_INTERNAL);
        }
    } else if (off == GICR_WAKER) {
        /* ChildrenAsleep follows ProcessorSleep without delay */
        s->cpu[cpu].gicr_waker = (value & GICR_WAKER_PS) ?
                                 GICR_WAKER_PS | GICR_WAKER_CA : 0;
    } else if (off != GICR_CTLR) {
        tlog_mask(LOG_GUEST_ERROR, "arm-gicv3: write to read-only or "
                  "reserved GICR offset 0x%x\n", (unsigned)off);
        return;
    }
    gicv3_update(s);
}

static bool gicv3_redist_accepts(void *opaque, hwaddr addr, unsigned size,
                                 bool is_write, MemTxAttrs attrs)
{
    hwaddr off = addr % GICV3_REDIST_SIZE;
    bool prio = off >= GICR_SGI_BASE + GICD_IPRIORITYR &&
                off < GICR_SGI_BASE + GICD_ITARGETSR;

    if ((size == 4 && !(off & 3)) || (size == 8 && off == GICR_TYPER) ||
        (size == 1 && prio)) {
        return true;
    }
    tlog_mask(LOG_GUEST_ERROR, "arm-gicv3: bad %u-byte access to GICR "
              "offset 0x%x\n", size, (unsigned)off);
    return false;
}

static const MemoryRegionOps gicv3_redist_ops = {
    .read = gicv3_redist_read,
    .write = gicv3_redist_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8,
               .accepts = gicv3_redist_accepts },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};
/* ---- life cycle ---- */

static bool gicv3_realize(DeviceState *dev, Error **errp)
{
    GICv3State *s = ARM_GICV3(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    if (s->num_cpu < 1 || s->num_cpu > GICV3_MAXCPU) {
        error_setg(errp, "arm-gicv3: num-cpu %u is not in 1..%d",
                   s->num_cpu, GICV3_MAXCPU);
        return false;
    }
    if (s->num_irq < 64 || s->num_irq > GIC_MAXIRQ + 4 || s->num_irq % 32) {
        error_setg(errp, "arm-gicv3: num-irq %u must be a multiple of 32 in "
                   "64..1024", s->num_irq);
        return false;
    }
    s->num_irq = MIN(s->num_irq, GIC_MAXIRQ);

    gic_core_init(&s->core, s->num_cpu, s->num_irq, false, &gicv3_core_ops, s);
    s->cpu = g_new0(GICv3CPUState, s->num_cpu);
    memory_region_init_io(&s->dist_mem, OBJECT(dev), &gicv3_dist_ops, s,
                          "gicv3-dist", GICV3_DIST_SIZE);
    memory_region_init_io(&s->redist_mem, OBJECT(dev), &gicv3_redist_ops, s,
                          "gicv3-redist", s->num_cpu * GICV3_REDIST_SIZE);
    sysbus_init_mmio(sbd, &s->dist_mem);
    sysbus_init_mmio(sbd, &s->redist_mem);

    for (int i = 0; i < (int)s->num_cpu; i++) {
        CPUState *cpu = qemu_get_cpu(i);

        s->cpu[i].gic = s;
        s->cpu[i].cpu = i;
        /* the CPUs exist before the GIC on boards; none under -M none */
        s->cpu[i].affinity = cpu ? cpu->mp_affinity : (uint64_t)i;
    }
    qdev_init_gpio_in(dev, gicv3_set_irq,
                      s->num_irq - GIC_INTERNAL + s->num_cpu * GIC_INTERNAL);
    for (int i = 0; i < (int)s->num_cpu; i++) {
        sysbus_init_irq(sbd, &s->cpu[i].irq);
    }
    for (int i = 0; i < (int)s->num_cpu; i++) {
        sysbus_init_irq(sbd, &s->cpu[i].fiq);
    }
    return true;
}

static void gicv3_reset(DeviceState *dev)
{
    GICv3State *s = ARM_GICV3(dev);

    s->gicd_ctlr = 0;
    memset(s->irouter, 0, sizeof(s->irouter));
    gic_core_reset(&s->core);
    for (int c = 0; c < (int)s->num_cpu; c++) {
        GICv3CPUState *cs = &s->cpu[c];

        cs->gicr_waker = GICR_WAKER_PS | GICR_WAKER_CA;
        cs->gicr_ctlr = 0;
        cs->icc_ctlr = 0;
        cs->icc_pmr = 0;
        cs->icc_bpr[0] = 2;
        cs->icc_bpr[1] = 3;
        cs->icc_apr[0] = cs->icc_apr[1] = 0;
        cs->icc_igrpen[0] = cs->icc_igrpen[1] = 0;
    }
    gicv3_update(s);
}

static const VMStateDescription vmstate_gicv3_cpu = {
    .name = "arm-gicv3-cpu",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(gicr_waker, GICv3CPUState),
        VMSTATE_UINT32(gicr_ctlr, GICv3CPUState),
        VMSTATE_UINT32(icc_ctlr, GICv3CPUState),
        VMSTATE_UINT32(icc_pmr, GICv3CPUState),
        VMSTATE_UINT32_ARRAY(icc_bpr, GICv3CPUState, 2),
        VMSTATE_UINT32_ARRAY(icc_apr, GICv3CPUState, 2),
        VMSTATE_UINT32_ARRAY(icc_igrpen, GICv3CPUState, 2),
        VMSTATE_END_OF_LIST()
    },
};

static int gicv3_post_load(void *opaque, int version_id)
{
    GICv3State *s = opaque;

    gic_core_sync_all(&s->core);
    gicv3_update(s);
    return 0;
}

static const VMStateDescription vmstate_gicv3 = {
    .name = "arm-gicv3",
    .version_id = 2,
    .minimum_version_id = 2,
    .post_load = gicv3_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(gicd_ctlr, GICv3State),
        VMSTATE_STRUCT_VARRAY_POINTER(core.priv, GICv3State, core.num_priv,
                                      vmstate_gic_core_irq, GICIrqState),
        VMSTATE_STRUCT_VARRAY_POINTER(core.spi, GICv3State, core.num_spi,
                                      vmstate_gic_core_irq, GICIrqState),
        VMSTATE_UINT64_ARRAY(irouter, GICv3State,
                             GIC_MAXIRQ - GIC_INTERNAL),
        VMSTATE_STRUCT_VARRAY_POINTER(cpu, GICv3State, num_cpu,
                                      vmstate_gicv3_cpu, GICv3CPUState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property gicv3_props[] = {
    DEFINE_PROP_UINT32("num-cpu", GICv3State, num_cpu, 1),
    DEFINE_PROP_UINT32("num-irq", GICv3State, num_irq, 288),
    DEFINE_PROP_END_OF_LIST(),
};

static void gicv3_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "Arm GICv3 interrupt controller";
    dc->realize = gicv3_realize;
    dc->reset = gicv3_reset;
    dc->vmsd = &vmstate_gicv3;
    dc->props = gicv3_props;
    dc->user_creatable = true;
}

static const TypeInfo gicv3_info = {
    .name = TYPE_ARM_GICV3,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(GICv3State),
    .class_init = gicv3_class_init,
};
TYPE_REGISTER(gicv3_info)
