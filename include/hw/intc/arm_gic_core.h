/*
 * The core shared by the GICv2 (hw/intc/arm_gic.c) and GICv3
 * (hw/intc/arm_gicv3.c) models: the per-interrupt state (enable, pending,
 * active, level, trigger, group, priority), the one-bit-per-interrupt
 * distributor registers (GICD_IGROUPR..GICD_ICACTIVER, same offsets in
 * both versions and in a GICv3 redistributor's SGI_base frame), the
 * priority and trigger registers, input lines, and the choice of the
 * highest priority pending interrupt.
 *
 * What stays in each version: where an SPI goes (GICD_ITARGETSR or
 * GICD_IROUTER: GICCoreOps.targets), the CPU interface registers (v2
 * memory-mapped GICC_*, v3 ICC_*_EL1 system registers) and the v3
 * redistributor frames.
 *
 * Finding the best pending interrupt does not scan every CPU x every
 * INTID: each CPU has a bitmap of its candidates (pending, enabled, not
 * active, routed to it), updated by gic_core_sync() whenever one
 * interrupt's state changes, so the search visits only the interrupts
 * that could be signalled.  State is allocated for num-cpu CPUs.
 */
#ifndef HW_INTC_ARM_GIC_CORE_H
#define HW_INTC_ARM_GIC_CORE_H

#include "turtle/osdep.h"
#include "turtle/error.h"

#define GIC_MAXIRQ      1020       /* INTIDs 0..1019 */
#define GIC_NR_SGIS     16
#define GIC_INTERNAL    32         /* SGIs + PPIs, banked per CPU */
#define GIC_SPURIOUS    1023
#define GIC_PRIO_MASK   0xf8       /* five priority bits: 32 levels */
#define GIC_IDLE_PRIO   0x100      /* running priority with nothing active */

/* Distributor offsets common to v2 and v3 (and v3's SGI_base frame). */
enum {
    GIC_DIST_IGROUPR = 0x080, GIC_DIST_ISENABLER = 0x100,
    GIC_DIST_ICENABLER = 0x180, GIC_DIST_ISPENDR = 0x200,
    GIC_DIST_ICPENDR = 0x280, GIC_DIST_ISACTIVER = 0x300,
    GIC_DIST_ICACTIVER = 0x380, GIC_DIST_IPRIORITYR = 0x400,
    GIC_DIST_ITARGETSR = 0x800, GIC_DIST_ICFGR = 0xc00,
};

/* One interrupt as seen by one CPU (SGIs, PPIs) or by all (SPIs). */
typedef struct GICIrqState {
    uint8_t enabled;
    uint8_t pending;      /* latched: edge, GICD_ISPENDR, v3 SGIs */
    uint8_t active;
    uint8_t level;        /* input line level */
    uint8_t edge;         /* GICD_ICFGR Int_config[1]: 1 edge-triggered */
    uint8_t group;
    uint8_t priority;
} GICIrqState;

typedef struct GICCore GICCore;

typedef struct GICCoreOps {
    /* Does SPI irq go to cpu (GICD_ITARGETSR, GICD_IROUTER)? */
    bool (*targets)(GICCore *c, int cpu, int irq);
    /* Is SGI irq pending on cpu (v2: any source CPU)?  NULL: its pending
     * bit, as in v3. */
    bool (*sgi_pending)(GICCore *c, int cpu, int irq);
} GICCoreOps;

struct GICCore {
    uint32_t num_cpu;
    uint32_t num_irq;     /* including the 32 internal ones */
    /* v2: SGIs are always enabled and edge-triggered, and are pended only
     * through GICD_SGIR/SPENDSGIR (GICD_I[SC]ENABLER/I[SC]PENDR ignore
     * them) */
    bool sgis_fixed;
    const GICCoreOps *ops;
    void *opaque;         /* the version's state, for ops */

    GICIrqState *priv;    /* num_cpu x GIC_INTERNAL */
    GICIrqState *spi;     /* num_irq - GIC_INTERNAL */
    uint32_t num_priv;    /* for vmstate: num_cpu * GIC_INTERNAL */
    uint32_t num_spi;     /* num_irq - GIC_INTERNAL */
    uint64_t *candidates; /* per CPU: cand_words words, bit n = INTID n */
    size_t cand_words;
};

/* One GICIrqState, for the versions' VMSTATE_STRUCT_VARRAY_POINTER of
 * core.priv (core.num_priv) and core.spi (core.num_spi). */
extern const struct VMStateDescription vmstate_gic_core_irq;

/* Allocate the state of num_cpu CPUs and num_irq INTIDs. */
void gic_core_init(GICCore *c, uint32_t num_cpu, uint32_t num_irq,
                   bool sgis_fixed, const GICCoreOps *ops, void *opaque);
void gic_core_finalize(GICCore *c);
/* Power-on state (input levels kept); then gic_core_sync_all(). */
void gic_core_reset(GICCore *c);

static inline GICIrqState *gic_core_irq(GICCore *c, int cpu, int irq)
{
    return irq < GIC_INTERNAL ? &c->priv[cpu * GIC_INTERNAL + irq]
                              : &c->spi[irq - GIC_INTERNAL];
}

bool gic_core_is_pending(GICCore *c, int cpu, int irq);
/* irq's state changed (on cpu, for a banked one): update the candidates */
void gic_core_sync(GICCore *c, int cpu, int irq);
/* everything may have changed (reset, load, routing of many SPIs) */
void gic_core_sync_all(GICCore *c);
/*
 * The highest priority candidate of cpu whose group is in `groups` (bit
 * n: the distributor forwards group n), lowest INTID on a tie; else
 * GIC_SPURIOUS.
 */
int gic_core_best_pending(GICCore *c, int cpu, uint32_t groups);
/*
 * Input line n (SPIs first, then GIC_INTERNAL per CPU indexed by INTID,
 * see arm_gic_ppi_index()) at level.  False if n names no input (an SGI).
 */
bool gic_core_set_input(GICCore *c, int n, int level);

/* Acknowledge / deactivate irq on cpu (the pending latch, active bit). */
void gic_core_activate(GICCore *c, int cpu, int irq);
bool gic_core_deactivate(GICCore *c, int cpu, int irq);

/* Group priority mask for bpr (v2 GICC_BPR/ABPR, v3 ICC_BPR0/1). */
static inline uint32_t gic_group_mask(uint32_t bpr, bool group1_alias)
{
    return group1_alias ? (0xff << bpr) & 0xff : (0xff << (bpr + 1)) & 0xff;
}

/* Highest active group priority in an active priorities bitmap. */
static inline uint32_t gic_running_prio(uint32_t apr)
{
    return apr ? (uint32_t)__builtin_ctz(apr) << 3 : GIC_IDLE_PRIO;
}

/*
 * One byte of the registers at GIC_DIST_IGROUPR..GIC_DIST_ICFGR+0xff
 * (except ITARGETSR, the version's) for INTIDs [first, last) of cpu's
 * view: others read as zero and ignore writes.  off is the offset in
 * the distributor (or SGI_base frame).
 */
uint8_t gic_core_readb(GICCore *c, int cpu, uint32_t off, int first,
                       int last);
void gic_core_writeb(GICCore *c, int cpu, uint32_t off, uint8_t v,
                     int first, int last);

#endif
