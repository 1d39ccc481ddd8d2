/*
 * The distributor core shared by the GICv2 and GICv3 models; see
 * include/hw/intc/arm_gic_core.h.
 */
#include "hw/intc/arm_gic_core.h"
#include "turtle/bitops.h"
#include "migration/vmstate.h"

static uint64_t *cand_map(GICCore *c, int cpu)
{
    return c->candidates + cpu * c->cand_words;
}

static void cand_set(GICCore *c, int cpu, int irq, bool on)
{
    uint64_t *w = &cand_map(c, cpu)[irq / 64];

    *w = on ? *w | (1ull << (irq % 64)) : *w & ~(1ull << (irq % 64));
}

void gic_core_init(GICCore *c, uint32_t num_cpu, uint32_t num_irq,
                   bool sgis_fixed, const GICCoreOps *ops, void *opaque)
{
    c->num_cpu = num_cpu;
    c->num_irq = num_irq;
    c->sgis_fixed = sgis_fixed;
    c->ops = ops;
    c->opaque = opaque;
    c->num_priv = num_cpu * GIC_INTERNAL;
    c->num_spi = num_irq - GIC_INTERNAL;
    c->priv = g_new0(GICIrqState, c->num_priv);
    c->spi = g_new0(GICIrqState, c->num_spi);
    c->cand_words = DIV_ROUND_UP(num_irq, 64);
    c->candidates = g_new0(uint64_t, c->cand_words * num_cpu);
}

void gic_core_finalize(GICCore *c)
{
    g_free(c->priv);
    g_free(c->spi);
    g_free(c->candidates);
    c->priv = c->spi = NULL;
    c->candidates = NULL;
}

void gic_core_reset(GICCore *c)
{
    for (uint32_t i = 0; i < c->num_priv + c->num_spi; i++) {
        GICIrqState *q = i < c->num_priv ? &c->priv[i]
                                         : &c->spi[i - c->num_priv];
        uint8_t level = q->level;   /* input lines keep their level */

        memset(q, 0, sizeof(*q));
        q->level = level;
    }
    for (uint32_t cpu = 0; cpu < c->num_cpu; cpu++) {
        for (int irq = 0; irq < GIC_NR_SGIS; irq++) {
            GICIrqState *q = gic_core_irq(c, cpu, irq);

            q->edge = 1;                /* SGIs are edge-triggered */
            q->enabled = c->sgis_fixed;
        }
    }
    gic_core_sync_all(c);
}

bool gic_core_is_pending(GICCore *c, int cpu, int irq)
{
    GICIrqState *q = gic_core_irq(c, cpu, irq);

    if (irq < GIC_NR_SGIS && c->ops->sgi_pending) {
        return c->ops->sgi_pending(c, cpu, irq);
    }
    return q->pending || (!q->edge && q->level);
}

static bool gic_core_candidate(GICCore *c, int cpu, int irq)
{
    GICIrqState *q = gic_core_irq(c, cpu, irq);

    return q->enabled && !q->active && gic_core_is_pending(c, cpu, irq) &&
           (irq < GIC_INTERNAL || c->ops->targets(c, cpu, irq));
}

void gic_core_sync(GICCore *c, int cpu, int irq)
{
    int first = irq < GIC_INTERNAL ? cpu : 0;
    int last = irq < GIC_INTERNAL ? cpu + 1 : (int)c->num_cpu;

    for (int n = first; n < last; n++) {
        cand_set(c, n, irq, gic_core_candidate(c, n, irq));
    }
}

void gic_core_sync_all(GICCore *c)
{
    for (uint32_t cpu = 0; cpu < c->num_cpu; cpu++) {
        for (int irq = 0; irq < (int)c->num_irq; irq++) {
            cand_set(c, cpu, irq, gic_core_candidate(c, cpu, irq));
        }
    }
}

int gic_core_best_pending(GICCore *c, int cpu, uint32_t groups)
{
    const uint64_t *map = cand_map(c, cpu);
    int best = GIC_SPURIOUS;
    unsigned best_prio = GIC_IDLE_PRIO;

    for (size_t w = 0; w < c->cand_words; w++) {
        for (uint64_t bits = map[w]; bits; bits &= bits - 1) {
            int irq = w * 64 + ctz64(bits);
            GICIrqState *q = gic_core_irq(c, cpu, irq);

            if ((groups & (1u << q->group)) && q->priority < best_prio) {
                best = irq;
                best_prio = q->priority;
            }
        }
    }
    return best;
}

bool gic_core_set_input(GICCore *c, int n, int level)
{
    int spis = c->num_irq - GIC_INTERNAL;
    int cpu = 0, irq;
    GICIrqState *q;

    if (n < spis) {
        irq = n + GIC_INTERNAL;
    } else {
        cpu = (n - spis) / GIC_INTERNAL;
        irq = (n - spis) % GIC_INTERNAL;
        if (cpu >= (int)c->num_cpu || irq < GIC_NR_SGIS) {
            return false;   /* SGIs are raised by the CPUs, not by lines */
        }
    }
    q = gic_core_irq(c, cpu, irq);
    level = level != 0;
    if (q->edge && level && !q->level) {
        q->pending = 1;
    }
    q->level = level;
    gic_core_sync(c, cpu, irq);
    return true;
}

void gic_core_activate(GICCore *c, int cpu, int irq)
{
    GICIrqState *q = gic_core_irq(c, cpu, irq);

    if (irq >= GIC_NR_SGIS || !c->ops->sgi_pending) {
        q->pending = 0;
    }
    q->active = 1;
    gic_core_sync(c, cpu, irq);
}

bool gic_core_deactivate(GICCore *c, int cpu, int irq)
{
    GICIrqState *q = gic_core_irq(c, cpu, irq);

    if (!q->active) {
        return false;
    }
    q->active = 0;
    gic_core_sync(c, cpu, irq);
    return true;
}

/* One bit of a set/clear register for one interrupt. */
static void gic_core_write_bit(GICCore *c, int cpu, uint32_t reg, int irq,
                               bool bit)
{
    GICIrqState *q = gic_core_irq(c, cpu, irq);
    bool fixed_sgi = c->sgis_fixed && irq < GIC_NR_SGIS;

    switch (reg) {
    case GIC_DIST_IGROUPR:
        q->group = bit;
        break;
    case GIC_DIST_ISENABLER:
        q->enabled |= bit;
        break;
    case GIC_DIST_ICENABLER:
        if (!fixed_sgi) {
            q->enabled &= !bit;
        }
        break;
    case GIC_DIST_ISPENDR:
        if (!fixed_sgi) {
            q->pending |= bit;
        }
        break;
    case GIC_DIST_ICPENDR:
        if (!fixed_sgi) {
            q->pending &= !bit;     /* a high level input stays pending */
        }
        break;
    case GIC_DIST_ISACTIVER:
        q->active |= bit;
        break;
    default:    /* GIC_DIST_ICACTIVER */
        q->active &= !bit;
        break;
    }
    gic_core_sync(c, cpu, irq);
}

static bool gic_core_read_bit(GICCore *c, int cpu, uint32_t reg, int irq)
{
    GICIrqState *q = gic_core_irq(c, cpu, irq);

    switch (reg) {
    case GIC_DIST_IGROUPR:
        return q->group;
    case GIC_DIST_ISENABLER:
    case GIC_DIST_ICENABLER:
        return q->enabled;
    case GIC_DIST_ISPENDR:
    case GIC_DIST_ICPENDR:
        return gic_core_is_pending(c, cpu, irq);
    default:
        return q->active;
    }
}

static bool in_range(int irq, int first, int last)
{
    return irq >= first && irq < last;
}

uint8_t gic_core_readb(GICCore *c, int cpu, uint32_t off, int first,
                       int last)
{
    uint8_t v = 0;
    int irq;

    last = MIN(last, (int)c->num_irq);
    if (off >= GIC_DIST_IGROUPR && off < GIC_DIST_IPRIORITYR) {
        uint32_t reg = off & ~0x7f;

        irq = (off - reg) * 8;
        for (int i = 0; i < 8; i++) {
            if (in_range(irq + i, first, last)) {
                v |= gic_core_read_bit(c, cpu, reg, irq + i) << i;
            }
        }
        return v;
    }
    if (off >= GIC_DIST_IPRIORITYR && off < GIC_DIST_ITARGETSR) {
        irq = off - GIC_DIST_IPRIORITYR;
        return in_range(irq, first, last) ?
               gic_core_irq(c, cpu, irq)->priority : 0;
    }
    if (off >= GIC_DIST_ICFGR && off < GIC_DIST_ICFGR + 0x100) {
        irq = (off - GIC_DIST_ICFGR) * 4;
        for (int i = 0; i < 4; i++) {
            if (in_range(irq + i, first, last)) {
                v |= gic_core_irq(c, cpu, irq + i)->edge << (i * 2 + 1);
            }
        }
    }
    return v;
}

void gic_core_writeb(GICCore *c, int cpu, uint32_t off, uint8_t v,
                     int first, int last)
{
    int irq;

    last = MIN(last, (int)c->num_irq);
    if (off >= GIC_DIST_IGROUPR && off < GIC_DIST_IPRIORITYR) {
        uint32_t reg = off & ~0x7f;

        irq = (off - reg) * 8;
        for (int i = 0; i < 8; i++) {
            if (in_range(irq + i, first, last)) {
                gic_core_write_bit(c, cpu, reg, irq + i, (v >> i) & 1);
            }
        }
        return;
    }
    if (off >= GIC_DIST_IPRIORITYR && off < GIC_DIST_ITARGETSR) {
        irq = off - GIC_DIST_IPRIORITYR;
        if (in_range(irq, first, last)) {
            gic_core_irq(c, cpu, irq)->priority = v & GIC_PRIO_MASK;
        }
        return;
    }
    if (off >= GIC_DIST_ICFGR && off < GIC_DIST_ICFGR + 0x100) {
        irq = (off - GIC_DIST_ICFGR) * 4;
        for (int i = 0; i < 4; i++) {
            /* SGIs are always edge-triggered */
            if (in_range(irq + i, MAX(first, GIC_NR_SGIS), last)) {
                gic_core_irq(c, cpu, irq + i)->edge = (v >> (i * 2 + 1)) & 1;
                gic_core_sync(c, cpu, irq + i);
            }
        }
    }
}

const VMStateDescription vmstate_gic_core_irq = {
    .name = "gic_irq",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(enabled, GICIrqState),
        VMSTATE_UINT8(pending, GICIrqState),
        VMSTATE_UINT8(active, GICIrqState),
        VMSTATE_UINT8(level, GICIrqState),
        VMSTATE_UINT8(edge, GICIrqState),
        VMSTATE_UINT8(group, GICIrqState),
        VMSTATE_UINT8(priority, GICIrqState),
        VMSTATE_END_OF_LIST()
    },
};
