/*
 * Arm Generic Interrupt Controller v2 (Arm IHI 0048B): distributor and
 * memory-mapped CPU interface, without the Security Extensions (so one
 * view of every register, GICC_CTLR with both group enables) and without
 * the Virtualization Extensions.
 *
 * Regions     sysbus mmio 0: distributor (4 KiB); mmio 1: CPU interface
 *             of the accessing CPU (8 KiB); mmio 2+n: CPU n's interface.
 * IRQ lines   inputs: SPIs 32..num-irq-1 first (index INTID-32), then 32
 *             lines per CPU, indexed by INTID (only PPIs 16..31 are used);
 *             outputs: IRQ of CPU 0..n-1, then FIQ of CPU 0..n-1.
 * Properties  num-cpu (1..8), num-irq (64..1020 in steps of 32, INTIDs
 *             including the 32 internal ones).
 *
 * Model choices:
 * - Five priority bits (0xf8): 32 levels, GICC_BPR minimum 2, GICC_ABPR
 *   minimum 3, one 32-bit active priorities register (GICC_APR0), one bit
 *   per group priority (4.3.3 and 4.4.x).
 * - SPIs follow the 1-N model: pending on every targeted CPU, the first to
 *   acknowledge makes it active; the others then see nothing.
 * - SGIs are permanently enabled (as on the GIC-400): their
 *   GICD_ISENABLER0 bits read as one, GICD_ICENABLER0 writes are ignored.
 * - An active interrupt is not signalled again until deactivated, even if
 *   it is pending (active and pending).
 * - Group 0 interrupts are signalled as FIQ when GICC_CTLR.FIQEn is set,
 *   as IRQ otherwise; group 1 always as IRQ.  GICC_AIAR/AEOIR/AHPPIR are
 *   the group 1 aliases.
 *
 * The interrupts' state and the GICD registers shared with GICv3 are the
 * GIC core's (arm_gic_core.c); this file keeps GICD_ITARGETSR, the SGI
 * sources (GICD_SGIR, [CS]PENDSGIR) and the CPU interface.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/intc/arm_gic.h"
#include "hw/core/cpu.h"
#include "migration/vmstate.h"

/* distributor */
enum {
    GICD_CTLR = 0x000, GICD_TYPER = 0x004, GICD_IIDR = 0x008,
    GICD_IGROUPR = 0x080, GICD_ISENABLER = 0x100, GICD_ICENABLER = 0x180,
    GICD_ISPENDR = 0x200, GICD_ICPENDR = 0x280, GICD_ISACTIVER = 0x300,
    GICD_ICACTIVER = 0x380, GICD_IPRIORITYR = 0x400, GICD_ITARGETSR = 0x800,
    GICD_ICFGR = 0xc00, GICD_NSACR = 0xe00, GICD_SGIR = 0xf00,
    GICD_CPENDSGIR = 0xf10, GICD_SPENDSGIR = 0xf20, GICD_ID = 0xfd0,
};

/* CPU interface */
enum {
    GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_BPR = 0x08, GICC_IAR = 0x0c,
    GICC_EOIR = 0x10, GICC_RPR = 0x14, GICC_HPPIR = 0x18, GICC_ABPR = 0x1c,
    GICC_AIAR = 0x20, GICC_AEOIR = 0x24, GICC_AHPPIR = 0x28,
    GICC_APR0 = 0xd0, GICC_NSAPR0 = 0xe0, GICC_IIDR = 0xfc,
    GICC_DIR = 0x1000,
};

#define GICD_CTLR_MASK      0x3
#define GICC_CTLR_GRP0      (1 << 0)
#define GICC_CTLR_GRP1      (1 << 1)
#define GICC_CTLR_ACKCTL    (1 << 2)
#define GICC_CTLR_FIQEN     (1 << 3)
#define GICC_CTLR_CBPR      (1 << 4)
#define GICC_CTLR_EOIMODE   (1 << 9)
#define GICC_CTLR_MASK      0x21f

#define GIC_MIN_BPR         2
#define GIC_MIN_ABPR        3

#define GIC_IIDR_VALUE      0x0200143b   /* Arm (0x43b), ProductID 2 */
#define GICC_IIDR_VALUE     0x0202143b   /* architecture version 2 */

/* PIDR4..7, PIDR0..3, CIDR0..3 of a GICv2 distributor (ArchRev 2) */
static const uint8_t gic_dist_id[12] = {
    0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00,
    0x0d, 0xf0, 0x05, 0xb1,
};

static GICIrqState *gic_irq(GICState *s, int cpu, int irq)
{
    return gic_core_irq(&s->core, cpu, irq);
}

static int gic_current_cpu(GICState *s)
{
    int cpu = current_cpu ? current_cpu->cpu_index : 0;

    if (cpu < 0 || cpu >= (int)s->num_cpu) {
        tlog_mask(LOG_GUEST_ERROR, "arm_gic: access from CPU %d, which has no "
                  "interface\n", cpu);
        return 0;
    }
    return cpu;
}

/* ---- interrupt state ---- */

static bool gic_targets(GICCore *c, int cpu, int irq)
{
    GICState *s = c->opaque;

    /* a uniprocessor GIC has no GICD_ITARGETSR: everything goes to CPU 0 */
    return s->num_cpu == 1 || (s->target[irq - GIC_INTERNAL] >> cpu) & 1;
}

static bool gic_sgi_pending(GICCore *c, int cpu, int irq)
{
    GICState *s = c->opaque;

    return s->sgi_sources[cpu][irq] != 0;
}

static const GICCoreOps gic_core_ops = {
    .targets = gic_targets,
    .sgi_pending = gic_sgi_pending,
};

/* Group priority mask for an interrupt of group `group` on `cpu`. */
static uint32_t gic_prio_mask(GICState *s, int cpu, int group)
{
    if (group == 0 || (s->gicc_ctlr[cpu] & GICC_CTLR_CBPR)) {
        return gic_group_mask(s->gicc_bpr[cpu], false);
    }
    return gic_group_mask(s->gicc_abpr[cpu], true);
}

/*
 * The highest priority interrupt pending, enabled, not active and
 * targeted at cpu whose group the distributor forwards (lowest INTID on a
 * tie), or GIC_SPURIOUS.
 */
static int gic_best_pending(GICState *s, int cpu)
{
    return gic_core_best_pending(&s->core, cpu, s->gicd_ctlr);
}

/* Would the best pending interrupt be signalled (PMR and preemption)? */
static bool gic_can_signal(GICState *s, int cpu, int irq)
{
    GICIrqState *q;

    if (irq == GIC_SPURIOUS) {
        return false;
    }
    q = gic_irq(s, cpu, irq);
    return q->priority < s->gicc_pmr[cpu] &&
           (q->priority & gic_prio_mask(s, cpu, q->group)) <
           gic_running_prio(s->gicc_apr[cpu]);
}

static void gic_update(GICState *s)
{
    for (int cpu = 0; cpu < (int)s->num_cpu; cpu++) {
        int irq = gic_best_pending(s, cpu);
        bool irq_level = false, fiq_level = false;

        if (gic_can_signal(s, cpu, irq)) {
            int group = gic_irq(s, cpu, irq)->group;

            if (s->gicc_ctlr[cpu] & (1 << group)) {
                if (group == 0 && (s->gicc_ctlr[cpu] & GICC_CTLR_FIQEN)) {
                    fiq_level = true;
                } else {
                    irq_level = true;
                }
            }
        }
        qemu_set_irq(s->irq_out[cpu], irq_level);
        qemu_set_irq(s->fiq_out[cpu], fiq_level);
    }
}

static void gic_set_irq(void *opaque, int n, int level)
{
    GICState *s = opaque;

    if (gic_core_set_input(&s->core, n, level)) {
        gic_update(s);
    }
}

/* ---- acknowledge and end of interrupt ---- */

static uint32_t gic_acknowledge(GICState *s, int cpu, bool alias)
{
    int irq = gic_best_pending(s, cpu);
    uint32_t ret;
    GICIrqState *q;

    if (!gic_can_signal(s, cpu, irq)) {
        return GIC_SPURIOUS;
    }
    q = gic_irq(s, cpu, irq);
    if (alias && q->group == 0) {
        return GIC_SPURIOUS;
    }
    if (!alias && q->group == 1 &&
        !(s->gicc_ctlr[cpu] & GICC_CTLR_ACKCTL)) {
        return 1022;    /* a group 1 interrupt: use GICC_AIAR (4.4.4) */
    }
    ret = irq;
    if (irq < GIC_NR_SGIS) {
        int src = __builtin_ctz(s->sgi_sources[cpu][irq]);

        s->sgi_sources[cpu][irq] &= ~(1 << src);
        ret |= src << 10;
    }
    gic_core_activate(&s->core, cpu, irq);
    s->gicc_apr[cpu] |=
        1u << ((q->priority & gic_prio_mask(s, cpu, q->group)) >> 3);
    gic_update(s);
    return ret;
}

static void gic_deactivate(GICState *s, int cpu, int irq)
{
    if (!gic_core_deactivate(&s->core, cpu, irq)) {
        tlog_mask(LOG_GUEST_ERROR, "arm_gic: CPU %d deactivates interrupt %d, "
                  "which is not active\n", cpu, irq);
    }
}

static void gic_end_of_interrupt(GICState *s, int cpu, uint32_t value)
{
    int irq = value & 0x3ff;
    GICIrqState *q;

    if (irq >= (int)s->num_irq) {
        if (irq < 1020) {
            tlog_mask(LOG_GUEST_ERROR, "arm_gic: EOI of interrupt %d beyond "
                      "num-irq\n", irq);
        }
        return;
    }
    q = gic_irq(s, cpu, irq);
    if (!q->active) {
        tlog_mask(LOG_GUEST_ERROR, "arm_gic: CPU %d EOI of interrupt %d, "
                  "which is not active\n", cpu, irq);
        return;
    }
    /* priority drop: the highest active priority (4.4.5) */
    if (s->gicc_apr[cpu]) {
        s->gicc_apr[cpu] &= s->gicc_apr[cpu] - 1;
    }
    if (!(s->gicc_ctlr[cpu] & GICC_CTLR_EOIMODE)) {
        gic_deactivate(s, cpu, irq);
    }
    gic_update(s);
}

/* ---- distributor ---- */

static void gic_send_sgi(GICState *s, int cpu, uint32_t value)
{
    int sgi = value & 0xf;
    uint32_t targets;

    switch ((value >> 24) & 3) {
    case 0:
        targets = (value >> 16) & 0xff;
        break;
    case 1:
        targets = ((1u << s->num_cpu) - 1) & ~(1u << cpu);
        break;
    case 2:
        targets = 1u << cpu;
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "arm_gic: GICD_SGIR with the reserved "
                  "target list filter 3\n");
        return;
    }
    for (int c = 0; c < (int)s->num_cpu; c++) {
        if (targets & (1u << c)) {
            s->sgi_sources[c][sgi] |= 1 << cpu;
            gic_core_sync(&s->core, c, sgi);
        }
    }
    gic_update(s);
}

static uint8_t gic_dist_readb(GICState *s, int cpu, hwaddr off)
{
    int irq;

    if (off < 0x80) {
        uint32_t word;

        switch (off & ~3) {
        case GICD_CTLR:
            word = s->gicd_ctlr;
            break;
        case GICD_TYPER:
            word = (s->num_irq / 32 - 1) | ((s->num_cpu - 1) << 5);
            break;
        case GICD_IIDR:
            word = GIC_IIDR_VALUE;
            break;
        default:
            return 0;
        }
        return word >> ((off & 3) * 8);
    }
    if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
        irq = off - GICD_ITARGETSR;
        if (irq >= (int)s->num_irq || s->num_cpu == 1) {
            return 0;
        }
        return irq < GIC_INTERNAL ? 1 << cpu : s->target[irq - GIC_INTERNAL];
    }
    if (off < GICD_NSACR) {
        return gic_core_readb(&s->core, cpu, off, 0, s->num_irq);
    }
    if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
        return s->sgi_sources[cpu][off & 0xf];
    }
    if (off >= GICD_ID) {
        return (off & 3) ? 0 : gic_dist_id[(off - GICD_ID) >> 2];
    }
    return 0;       /* NSACR and reserved space: RAZ */
}

static void gic_dist_writeb(GICState *s, int cpu, hwaddr off, uint8_t v)
{
    int irq;

    if (off < 0x80) {
        if (off == GICD_CTLR) {
            s->gicd_ctlr = v & GICD_CTLR_MASK;
        } else if (off >= 4) {
            tlog_mask(LOG_GUEST_ERROR, "arm_gic: write to read-only "
                      "GICD offset 0x%x\n", (unsigned)off);
        }
        return;
    }
    if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
        irq = off - GICD_ITARGETSR;
        if (irq >= GIC_INTERNAL && irq < (int)s->num_irq &&
            s->num_cpu > 1) {
            s->target[irq - GIC_INTERNAL] = v & ((1u << s->num_cpu) - 1);
            gic_core_sync(&s->core, cpu, irq);
        }
        return;
    }
    if (off < GICD_NSACR) {
        gic_core_writeb(&s->core, cpu, off, v, 0, s->num_irq);
        return;
    }
    if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
        uint8_t *src = &s->sgi_sources[cpu][off & 0xf];
        uint8_t mask = v & ((1u << s->num_cpu) - 1);

        *src = off < GICD_SPENDSGIR ? *src & ~mask : *src | mask;
        gic_core_sync(&s->core, cpu, off & 0xf);
        return;
    }
    tlog_mask(LOG_GUEST_ERROR, "arm_gic: write to read-only or reserved "
              "GICD offset 0x%x\n", (unsigned)off);
}

static uint64_t gic_dist_read(void *opaque, hwaddr off, unsigned size)
{
    GICState *s = opaque;
    int cpu = gic_current_cpu(s);
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)gic_dist_readb(s, cpu, off + i) << (i * 8);
    }
    return v;
}

static void gic_dist_write(void *opaque, hwaddr off, uint64_t value,
                           unsigned size)
{
    GICState *s = opaque;
    int cpu = gic_current_cpu(s);

    if (off == GICD_SGIR) {
        if (size != 4) {
            tlog_mask(LOG_GUEST_ERROR, "arm_gic: %u-byte GICD_SGIR write\n",
                      size);
            return;
        }
        gic_send_sgi(s, cpu, value);
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        gic_dist_writeb(s, cpu, off + i, value >> (i * 8));
    }
    gic_update(s);
}

/* Byte access only where the GIC architecture allows it (4.1.4). */
static bool gic_dist_accepts(void *opaque, hwaddr off, unsigned size,
                             bool is_write, MemTxAttrs attrs)
{
    bool byte_ok = (off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||
                   (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10);

    if (size == 4 && !(off & 3)) {
        return true;
    }
    if (size == 1 && byte_ok) {
        return true;
    }
    tlog_mask(LOG_GUEST_ERROR, "arm_gic: bad %u-byte access to GICD offset "
              "0x%x\n", size, (unsigned)off);
    return false;
}

static const MemoryRegionOps gic_dist_ops = {
    .read = gic_dist_read,
    .write = gic_dist_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4,
               .accepts = gic_dist_accepts },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- CPU interface ---- */

static uint64_t gic_cpu_read(void *opaque, hwaddr off, unsigned size)
{
    GICCpuIf *ci = opaque;
    GICState *s = ci->gic;
    int cpu = ci->cpu < 0 ? gic_current_cpu(s) : ci->cpu;
    int irq;

    switch (off) {
    case GICC_CTLR:
        return s->gicc_ctlr[cpu];
    case GICC_PMR:
        return s->gicc_pmr[cpu];
    case GICC_BPR:
        return s->gicc_bpr[cpu];
    case GICC_ABPR:
        return s->gicc_abpr[cpu];
    case GICC_IAR:
        return gic_acknowledge(s, cpu, false);
    case GICC_AIAR:
        return gic_acknowledge(s, cpu, true);
    case GICC_RPR: {
        uint32_t rp = gic_running_prio(s->gicc_apr[cpu]);
        return rp == GIC_IDLE_PRIO ? 0xff : rp;
    }
    case GICC_HPPIR:
    case GICC_AHPPIR:
        irq = gic_best_pending(s, cpu);
        if (irq == GIC_SPURIOUS) {
            return GIC_SPURIOUS;
        }
        if (off == GICC_AHPPIR ? gic_irq(s, cpu, irq)->group == 0 :
            gic_irq(s, cpu, irq)->group == 1 &&
            !(s->gicc_ctlr[cpu] & GICC_CTLR_ACKCTL)) {
            return off == GICC_AHPPIR ? GIC_SPURIOUS : 1022;
        }
        if (irq < GIC_NR_SGIS) {
            irq |= __builtin_ctz(s->sgi_sources[cpu][irq]) << 10;
        }
        return irq;
    case GICC_APR0:
        return s->gicc_apr[cpu];
    case GICC_APR0 + 4 ... GICC_APR0 + 0xc:
    case GICC_NSAPR0 ... GICC_NSAPR0 + 0xc:
        return 0;
    case GICC_IIDR:
        return GICC_IIDR_VALUE;
    case GICC_EOIR:
    case GICC_AEOIR:
    case GICC_DIR:
        tlog_mask(LOG_GUEST_ERROR, "arm_gic: read of write-only GICC offset "
                  "0x%x\n", (unsigned)off);
        return 0;
    default:
        tlog_mask(LOG_GUEST_ERROR, "arm_gic: read of bad GICC offset 0x%x\n",
                  (unsigned)off);
        return 0;
    }
}

static void gic_cpu_write(void *opaque, hwaddr off, uint64_t value,
                          unsigned size)
{
    GICCpuIf *ci = opaque;
    GICState *s = ci->gic;
    int cpu = ci->cpu < 0 ? gic_current_cpu(s) : ci->cpu;
    int irq;

    switch (off) {
    case GICC_CTLR:
        s->gicc_ctlr[cpu] = value & GICC_CTLR_MASK;
        break;
    case GICC_PMR:
        s->gicc_pmr[cpu] = value & GIC_PRIO_MASK;
        break;
    case GICC_BPR:
        s->gicc_bpr[cpu] = MAX(value & 7, GIC_MIN_BPR);
        break;
    case GICC_ABPR:
        s->gicc_abpr[cpu] = MAX(value & 7, GIC_MIN_ABPR);
        break;
    case GICC_EOIR:
    case GICC_AEOIR:
        gic_end_of_interrupt(s, cpu, value);
        return;
    case GICC_DIR:
        irq = value & 0x3ff;
        if (!(s->gicc_ctlr[cpu] & GICC_CTLR_EOIMODE)) {
            tlog_mask(LOG_GUEST_ERROR, "arm_gic: GICC_DIR write with "
                      "EOImode 0\n");
            return;
        }
        if (irq < (int)s->num_irq) {
            gic_deactivate(s, cpu, irq);
        }
        break;
    case GICC_APR0:
        s->gicc_apr[cpu] = value;
        break;
    case GICC_APR0 + 4 ... GICC_APR0 + 0xc:
    case GICC_NSAPR0 ... GICC_NSAPR0 + 0xc:
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "arm_gic: write to read-only or bad GICC "
                  "offset 0x%x\n", (unsigned)off);
        return;
    }
    gic_update(s);
}

static const MemoryRegionOps gic_cpu_ops = {
    .read = gic_cpu_read,
    .write = gic_cpu_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

/* ---- life cycle ---- */

static void gic_init(Object *obj)
{
    GICState *s = ARM_GIC(obj);

    memory_region_init_io(&s->dist_mem, obj, &gic_dist_ops, s, "gic-dist",
                          GIC_DIST_SIZE);
    s->cpu_if[GIC_NCPU].gic = s;
    s->cpu_if[GIC_NCPU].cpu = -1;
    memory_region_init_io(&s->cpu_mem, obj, &gic_cpu_ops,
                          &s->cpu_if[GIC_NCPU], "gic-cpu", GIC_CPU_SIZE);
}

static bool gic_realize(DeviceState *dev, Error **errp)
{
    GICState *s = ARM_GIC(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    Object *obj = OBJECT(dev);

    if (s->num_cpu < 1 || s->num_cpu > GIC_NCPU) {
        error_setg(errp, "arm_gic: num-cpu %u is not in 1..%d", s->num_cpu,
                   GIC_NCPU);
        return false;
    }
    if (s->num_irq < 64 || s->num_irq > GIC_MAXIRQ + 4 ||
        s->num_irq % 32) {
        error_setg(errp, "arm_gic: num-irq %u must be a multiple of 32 in "
                   "64..1024 (INTIDs 1020-1023 are reserved)", s->num_irq);
        return false;
    }
    if (s->num_irq > GIC_MAXIRQ) {
        s->num_irq = GIC_MAXIRQ;
    }

    gic_core_init(&s->core, s->num_cpu, s->num_irq, true, &gic_core_ops, s);
    sysbus_init_mmio(sbd, &s->dist_mem);
    sysbus_init_mmio(sbd, &s->cpu_mem);
    for (int i = 0; i < (int)s->num_cpu; i++) {
        s->cpu_if[i].gic = s;
        s->cpu_if[i].cpu = i;
        memory_region_init_io(&s->cpu_n_mem[i], obj, &gic_cpu_ops,
                              &s->cpu_if[i], "gic-cpu-n", GIC_CPU_SIZE);
        sysbus_init_mmio(sbd, &s->cpu_n_mem[i]);
    }

    qdev_init_gpio_in(dev, gic_set_irq,
                      s->num_irq - GIC_INTERNAL + s->num_cpu * GIC_INTERNAL);
    for (int i = 0; i < (int)s->num_cpu; i++) {
        sysbus_init_irq(sbd, &s->irq_out[i]);
    }
    for (int i = 0; i < (int)s->num_cpu; i++) {
        sysbus_init_irq(sbd, &s->fiq_out[i]);
    }
    return true;
}

static void gic_reset(DeviceState *dev)
{
    GICState *s = ARM_GIC(dev);

    s->gicd_ctlr = 0;
    for (int i = 0; i < GIC_NCPU; i++) {
        s->gicc_ctlr[i] = 0;
        s->gicc_pmr[i] = 0;
        s->gicc_bpr[i] = GIC_MIN_BPR;
        s->gicc_abpr[i] = GIC_MIN_ABPR;
        s->gicc_apr[i] = 0;
    }
    memset(s->target, 0, sizeof(s->target));
    memset(s->sgi_sources, 0, sizeof(s->sgi_sources));
    gic_core_reset(&s->core);
    gic_update(s);
}


static int gic_post_load(void *opaque, int version_id)
{
    GICState *s = opaque;

    gic_core_sync_all(&s->core);
    gic_update(s);
    return 0;
}

static const VMStateDescription vmstate_gic = {
    .name = "arm_gic",
    .version_id = 2,
    .minimum_version_id = 2,
    .post_load = gic_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(gicd_ctlr, GICState),
        VMSTATE_UINT32_ARRAY(gicc_ctlr, GICState, GIC_NCPU),
        VMSTATE_UINT32_ARRAY(gicc_pmr, GICState, GIC_NCPU),
        VMSTATE_UINT32_ARRAY(gicc_bpr, GICState, GIC_NCPU),
        VMSTATE_UINT32_ARRAY(gicc_abpr, GICState, GIC_NCPU),
        VMSTATE_UINT32_ARRAY(gicc_apr, GICState, GIC_NCPU),
        VMSTATE_STRUCT_VARRAY_POINTER(core.priv, GICState, core.num_priv,
                                      vmstate_gic_core_irq, GICIrqState),
        VMSTATE_STRUCT_VARRAY_POINTER(core.spi, GICState, core.num_spi,
                                      vmstate_gic_core_irq, GICIrqState),
        VMSTATE_UINT8_ARRAY(target, GICState, GIC_MAXIRQ - GIC_INTERNAL),
        VMSTATE_BUFFER(sgi_sources, GICState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property gic_props[] = {
    DEFINE_PROP_UINT32("num-cpu", GICState, num_cpu, 1),
    DEFINE_PROP_UINT32("num-irq", GICState, num_irq, 288),
    DEFINE_PROP_END_OF_LIST(),
};

static void gic_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "Arm GICv2 interrupt controller";
    dc->realize = gic_realize;
    dc->reset = gic_reset;
    dc->vmsd = &vmstate_gic;
    dc->props = gic_props;
    dc->user_creatable = true;
}

static const TypeInfo gic_info = {
    .name = TYPE_ARM_GIC,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(GICState),
    .instance_init = gic_init,
    .class_init = gic_class_init,
};
TYPE_REGISTER(gic_info)
