/*
 * HPET - see include/hw/timer/hpet.h.  IA-PC HPET specification 1.0a,
 * section 2.3 (registers) and 2.4 (timer operation).
 *
 * The main counter is computed from the virtual clock (10 ns per tick)
 * while ENABLE_CNF is set and frozen otherwise; each timer has a virtual
 * clock timer armed for its next comparator match.
 *
 * Model choices:
 *   - A match is "counter == comparator": a one-shot 64-bit comparator
 *     that is already behind the counter never fires (the counter would
 *     have to wrap), a 32-bit one fires when the low 32 bits come round
 *     again (every 42.9 s), as the hardware compares on every tick.
 *   - Periodic timers add the period to the comparator at each match and
 *     skip the periods that passed (they coalesce); they fire at most
 *     every HPET_MIN_PERIOD_NS, so a period of 1 cannot flood the main loop.
 *     A period of 0 fires once.
 *   - Periodic mode, as in QEMU: a comparator write with Tn_VAL_SET_CNF
 *     sets comparator and period, without it only the period.
 *   - Edge interrupts are pulses; level interrupts set the status bit
 *     (even with Tn_INT_ENB_CNF clear, which only keeps the line low) and
 *     hold the line until the status bit is cleared by writing 1.
 *   - Writes to the main counter while it runs are ignored (undefined).
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "turtle/timer.h"
#include "hw/timer/hpet.h"
#include "hw/core/qdev-properties.h"
#include "migration/vmstate.h"

#define HPET_MAX_TIMERS   32
#define HPET_NUM_GSI      24
#define HPET_MIN_PERIOD_NS 100000
#define NS_PER_TICK       (HPET_CLK_PERIOD_FS / 1000000)

#define R_CAP             0x000
#define R_CFG             0x010
#define R_STATUS          0x020
#define R_COUNTER         0x0f0
#define R_TIMER           0x100       /* + 0x20 * n */
#define T_CFG             0x00
#define T_CMP             0x08
#define T_FSB             0x10

#define CFG_ENABLE        (1ull << 0)
#define CFG_LEGACY        (1ull << 1)

#define TN_LEVEL          (1ull << 1)
#define TN_INT_ENB        (1ull << 2)
#define TN_PERIODIC       (1ull << 3)
#define TN_PERIODIC_CAP   (1ull << 4)
#define TN_SIZE_CAP       (1ull << 5)
#define TN_VAL_SET        (1ull << 6)
#define TN_32BIT          (1ull << 8)
#define TN_ROUTE_SHIFT    9
#define TN_ROUTE_MASK     (0x1full << TN_ROUTE_SHIFT)
#define TN_FSB_EN         (1ull << 14)
#define TN_WRITABLE       (TN_LEVEL | TN_INT_ENB | TN_PERIODIC | TN_VAL_SET | \
                           TN_32BIT | TN_ROUTE_MASK)

typedef struct HPETTimer {
    struct HPETState *hpet;
    int n;
    QEMUTimer *qtimer;
    uint64_t config;
    uint64_t cmp;
    uint64_t period;
    uint64_t fire_at;         /* counter value of the armed match */
    int64_t last_fire_ns;
    bool level;               /* the timer's interrupt line is asserted */
} HPETTimer;

typedef struct HPETState {
    SysBusDevice parent_obj;
    MemoryRegion io;
    qemu_irq gsi[HPET_NUM_GSI];
    qemu_irq pit_enabled;     /* low while legacy replacement is on */
    uint64_t config;
    uint64_t isr;             /* general interrupt status */
    uint64_t counter;         /* value when stopped, or at enable_ns */
    int64_t enable_ns;
    uint8_t legacy_in;        /* bit 0 PIT, bit 1 RTC */
    uint32_t gsi_level;       /* what the outputs carry now */
    HPETTimer timer[HPET_MAX_TIMERS];
    /* properties */
    uint8_t num_timers;
    uint32_t intcap;
} HPETState;

DECLARE_INSTANCE_CHECKER(HPETState, HPET, TYPE_HPET)

/* ---- counter ---- */

static bool hpet_enabled(HPETState *s)
{
    return s->config & CFG_ENABLE;
}

static uint64_t hpet_counter(HPETState *s, int64_t now)
{
    if (!hpet_enabled(s) || now < s->enable_ns) {
        return s->counter;
    }
    return s->counter + (uint64_t)(now - s->enable_ns) / NS_PER_TICK;
}

/* virtual time at which the counter reaches counter-now + ticks */
static int64_t hpet_deadline(HPETState *s, int64_t now, uint64_t ticks)
{
    uint64_t cur = hpet_counter(s, now);
    unsigned __int128 t = ((unsigned __int128)(cur - s->counter) + ticks) *
                          NS_PER_TICK;

    if (t > (unsigned __int128)(INT64_MAX - s->enable_ns)) {
        return INT64_MAX;
    }
    return s->enable_ns + (int64_t)t;
}

/* ---- interrupt lines ---- */

/* What every output carries, from the sources (legacy inputs, timers). */
static uint32_t hpet_output_levels(HPETState *s)
{
    bool legacy = s->config & CFG_LEGACY;
    uint32_t level = 0;

    if (!legacy) {
        level |= (s->legacy_in & 1) ? 1u << 0 : 0;
        level |= (s->legacy_in & 2) ? 1u << 8 : 0;
    }
    for (int n = 0; n < s->num_timers; n++) {
        HPETTimer *t = &s->timer[n];
        int route;

        if (!t->level) {
            continue;
        }
        if (legacy && n < 2) {
            route = n == 0 ? 0 : 8;
        } else {
            route = (t->config & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT;
        }
        if (route < HPET_NUM_GSI) {
            level |= 1u << route;
        }
    }
    return level;
}

/* Send the outputs that changed, and those in "resend" whatever they carry. */
static void hpet_update_outputs_resend(HPETState *s, uint32_t resend)
{
    uint32_t level = hpet_output_levels(s);

    for (int i = 0; i < HPET_NUM_GSI; i++) {
        if (((level ^ s->gsi_level) | resend) & (1u << i)) {
            qemu_set_irq(s->gsi[i], (level >> i) & 1);
        }
    }
    s->gsi_level = level;
}

static void hpet_update_outputs(HPETState *s)
{
    hpet_update_outputs_resend(s, 0);
}

/*
 * The PIT's and the RTC's lines.  Outside legacy replacement the HPET is
 * a wire for them: every assertion goes on to GSI 0 / 8, even one that
 * does not change the level.  KVM's in-kernel IOAPIC needs that for the
 * RTC: with KVM_IRQ_LINE_STATUS an edge on GSI 8 that arrives before the
 * guest's EOI of the previous one is coalesced (dropped, the line stays
 * high), and only the RTC's next assertion of the still-high line
 * delivers it.  Filtering repeats here lost the RTC's interrupts for good
 * under KVM (tests/kvm bios step 14), as a guest reading Status C only in
 * its handler never lowers the line again.
 */
static void hpet_legacy_in(void *opaque, int n, int level)
{
    HPETState *s = opaque;

    if (level) {
        s->legacy_in |= 1u << n;
    } else {
        s->legacy_in &= ~(1u << n);
    }
    hpet_update_outputs_resend(s, s->config & CFG_LEGACY ? 0
                                  : n == 0 ? 1u << 0 : 1u << 8);
}

static void hpet_timer_interrupt(HPETTimer *t)
{
    HPETState *s = t->hpet;

    if (t->config & TN_LEVEL) {
        s->isr |= 1ull << t->n;
        t->level = t->config & TN_INT_ENB;
        hpet_update_outputs(s);
    } else if (t->config & TN_INT_ENB) {
        t->level = true;
        hpet_update_outputs(s);
        t->level = false;
        hpet_update_outputs(s);
    }
}

/* ---- timers ---- */

static uint64_t hpet_cmp_mask(HPETTimer *t)
{
    return t->config & TN_32BIT ? 0xffffffffull : ~0ull;
}

/* Ticks from the counter now to the next match, 0: none. */
static uint64_t hpet_ticks_to_match(HPETTimer *t, uint64_t cur)
{
    uint64_t mask = hpet_cmp_mask(t);
    uint64_t diff = (t->cmp - cur) & mask;

    if (mask != ~0ull) {
        return diff ? diff : mask + 1;       /* 32-bit: it comes round */
    }
    return t->cmp > cur ? diff : 0;
}

static void hpet_timer_arm(HPETTimer *t)
{
    HPETState *s = t->hpet;
    int64_t now, when;
    uint64_t ticks, cur;

    if (!hpet_enabled(s)) {
        timer_del(t->qtimer);
        return;
    }
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    cur = hpet_counter(s, now);
    ticks = hpet_ticks_to_match(t, cur);
    if (!ticks) {
        timer_del(t->qtimer);
        return;
    }
    t->fire_at = cur + ticks;
    when = hpet_deadline(s, now, ticks);
    if (t->config & TN_PERIODIC) {
        when = MAX(when, t->last_fire_ns + HPET_MIN_PERIOD_NS);
    }
    timer_mod_ns(t->qtimer, when);
}

static void hpet_timer_cb(void *opaque)
{
    HPETTimer *t = opaque;
    HPETState *s = t->hpet;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint64_t cur = hpet_counter(s, now), mask = hpet_cmp_mask(t);

    if (!hpet_enabled(s)) {
        return;
    }
    if (cur < t->fire_at) {
        hpet_timer_arm(t);
        return;
    }
    t->last_fire_ns = now;
    hpet_timer_interrupt(t);
    if ((t->config & TN_PERIODIC) && (t->period & mask)) {
        uint64_t period = t->period & mask;

        /* the next match after now; periods that passed coalesce */
        t->cmp = (t->cmp + ((cur - t->fire_at) / period + 1) * period) & mask;
    }
    hpet_timer_arm(t);
}

static void hpet_arm_all(HPETState *s)
{
    for (int n = 0; n < s->num_timers; n++) {
        hpet_timer_arm(&s->timer[n]);
    }
}

/* ---- registers ---- */

static uint64_t hpet_cap(HPETState *s)
{
    return (HPET_CLK_PERIOD_FS << 32) | (0x8086u << 16) | (1u << 15) |
           (1u << 13) | ((uint64_t)(s->num_timers - 1) << 8) | 0x01;
}

static uint64_t hpet_reg_read(HPETState *s, hwaddr reg)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    switch (reg) {
    case R_CAP:
        return hpet_cap(s);
    case R_CFG:
        return s->config;
    case R_STATUS:
        return s->isr;
    case R_COUNTER:
        return hpet_counter(s, now);
    }
    if (reg >= R_TIMER && reg < R_TIMER + 0x20 * s->num_timers) {
        HPETTimer *t = &s->timer[(reg - R_TIMER) / 0x20];

        switch ((reg - R_TIMER) % 0x20) {
        case T_CFG:
            return t->config;
        case T_CMP:
            return t->cmp;
        case T_FSB:
            return 0;                     /* no FSB delivery */
        }
    }
    tlog_mask(LOG_GUEST_ERROR, "hpet: read of reserved register 0x%03x\n",
              (unsigned)reg);
    return 0;
}

static void hpet_write_config(HPETState *s, uint64_t val)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint64_t old = s->config;

    if ((val & CFG_ENABLE) && !(old & CFG_ENABLE)) {
        s->enable_ns = now;            /* counting resumes from counter */
    } else if (!(val & CFG_ENABLE) && (old & CFG_ENABLE)) {
        s->counter = hpet_counter(s, now);
    }
    s->config = val & (CFG_ENABLE | CFG_LEGACY);
    if ((old ^ s->config) & CFG_LEGACY) {
        qemu_set_irq(s->pit_enabled, !(s->config & CFG_LEGACY));
    }
    if (!hpet_enabled(s)) {
        for (int n = 0; n < s->num_timers; n++) {
            timer_del(s->timer[n].qtimer);
        }
    }
    hpet_update_outputs(s);
    hpet_arm_all(s);
}

static void hpet_write_timer_config(HPETState *s, HPETTimer *t, uint64_t val)
{
    int route = (val & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT;
    uint64_t writable = TN_WRITABLE;

    if (!(s->intcap & (1u << route)) && !((s->config & CFG_LEGACY) && t->n < 2)) {
        tlog_mask(LOG_GUEST_ERROR, "hpet: timer %d routed to IOAPIC pin %d, "
                  "which it cannot use (cap 0x%x)\n", t->n, route, s->intcap);
    }
    if (!(t->config & TN_PERIODIC_CAP)) {
        writable &= ~TN_PERIODIC;
    }
    t->config = (t->config & ~writable) | (val & writable);
    if (t->config & TN_32BIT) {
        t->cmp &= 0xffffffffull;
        t->period &= 0xffffffffull;
    }
    if (!(t->config & TN_LEVEL)) {
        s->isr &= ~(1ull << t->n);     /* edge: no status */
        t->level = false;
    } else {
        t->level = (s->isr >> t->n) & 1 && (t->config & TN_INT_ENB);
    }
    hpet_update_outputs(s);
    hpet_timer_arm(t);
}

static void hpet_write_cmp(HPETTimer *t, uint64_t val)
{
    if (t->config & TN_32BIT) {
        val &= 0xffffffffull;
    }
    if (!(t->config & TN_PERIODIC) || (t->config & TN_VAL_SET)) {
        t->cmp = val;
    }
    t->period = val;
    t->config &= ~TN_VAL_SET;
    hpet_timer_arm(t);
}

static void hpet_reg_write(HPETState *s, hwaddr reg, uint64_t val)
{
    switch (reg) {
    case R_CAP:
        tlog_mask(LOG_GUEST_ERROR, "hpet: write to the capabilities\n");
        return;
    case R_CFG:
        hpet_write_config(s, val);
        return;
    case R_STATUS:
        for (int n = 0; n < s->num_timers; n++) {
            if (val & s->isr & (1ull << n)) {
                s->isr &= ~(1ull << n);
                s->timer[n].level = false;
            }
        }
        hpet_update_outputs(s);
        return;
    case R_COUNTER:
        if (hpet_enabled(s)) {
            tlog_mask(LOG_GUEST_ERROR, "hpet: main counter written while "
                      "running (ignored)\n");
            return;
        }
        s->counter = val;
        return;
    }
    if (reg >= R_TIMER && reg < R_TIMER + 0x20 * s->num_timers) {
        HPETTimer *t = &s->timer[(reg - R_TIMER) / 0x20];

        switch ((reg - R_TIMER) % 0x20) {
        case T_CFG:
            hpet_write_timer_config(s, t, val);
            return;
        case T_CMP:
            hpet_write_cmp(t, val);
            return;
        case T_FSB:
            tlog_mask(LOG_GUEST_ERROR, "hpet: timer %d FSB route written, "
                      "but FSB delivery is not supported\n", t->n);
            return;
        }
    }
    tlog_mask(LOG_GUEST_ERROR, "hpet: write of 0x%" PRIx64 " to reserved "
              "register 0x%03x\n", val, (unsigned)reg);
}

/*
 * The registers are 64 bits wide; a 32-bit access reaches one half.  A
 * write to one half keeps the other (read-modify-write of the register),
 * which is how 32-bit guests program the comparators.
 */
static uint64_t hpet_read(void *opaque, hwaddr addr, unsigned size)
{
    uint64_t v = hpet_reg_read(opaque, addr & ~7ull);

    return size == 8 ? v : (uint32_t)(v >> ((addr & 4) * 8));
}

static void hpet_write(void *opaque, hwaddr addr, uint64_t val,
                       unsigned size)
{
    HPETState *s = opaque;
    hwaddr reg = addr & ~7ull;
    uint64_t old, v;

    if (size == 8) {
        hpet_reg_write(s, reg, val);
        return;
    }
    /* half a register: merge with the other half as it reads now; the
     * status register is write-1-to-clear, so its other half is 0 */
    old = reg == R_STATUS ? 0 : hpet_reg_read(s, reg);
    if (reg >= R_TIMER && ((reg - R_TIMER) % 0x20) == T_CMP) {
        /* a comparator half-write in periodic mode sets the period */
        HPETTimer *t = &s->timer[MIN((reg - R_TIMER) / 0x20,
                                     HPET_MAX_TIMERS - 1)];
        old = (t->config & TN_PERIODIC) && !(t->config & TN_VAL_SET) ?
              t->period : t->cmp;
    }
    v = addr & 4 ? (old & 0xffffffffull) | (val << 32)
                 : (old & ~0xffffffffull) | (uint32_t)val;
    hpet_reg_write(s, reg, v);
}

static const MemoryRegionOps hpet_ops = {
    .read = hpet_read,
    .write = hpet_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 8 },
};

/* ---- life cycle ---- */

static void hpet_reset(DeviceState *dev)
{
    HPETState *s = HPET(dev);
    bool was_legacy = s->config & CFG_LEGACY;

    s->config = 0;
    s->isr = 0;
    s->counter = 0;
    s->enable_ns = 0;
    for (int n = 0; n < s->num_timers; n++) {
        HPETTimer *t = &s->timer[n];

        timer_del(t->qtimer);
        /* every timer: 64-bit, periodic capable, the routes of intcap */
        t->config = ((uint64_t)s->intcap << 32) | TN_PERIODIC_CAP |
                    TN_SIZE_CAP;
        t->cmp = ~0ull;
        t->period = 0;
        t->fire_at = 0;
        t->last_fire_ns = INT64_MIN / 2;
        t->level = false;
    }
    hpet_update_outputs(s);
    if (was_legacy) {
        qemu_set_irq(s->pit_enabled, 1);
    }
}

static void hpet_init(Object *obj)
{
    HPETState *s = HPET(obj);

    memory_region_init_io(&s->io, obj, &hpet_ops, s, "hpet", HPET_LEN);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->io);
    qdev_init_gpio_in_named(DEVICE(obj), hpet_legacy_in, "legacy", 2);
    qdev_init_gpio_out_named(DEVICE(obj), s->gsi, "gsi", HPET_NUM_GSI);
    qdev_init_gpio_out_named(DEVICE(obj), &s->pit_enabled, "pit-enabled", 1);
}

static bool hpet_realize(DeviceState *dev, Error **errp)
{
    HPETState *s = HPET(dev);

    if (s->num_timers < 3 || s->num_timers > HPET_MAX_TIMERS) {
        error_setg(errp, "hpet: %u timers (3 to %d)", s->num_timers,
                   HPET_MAX_TIMERS);
        return false;
    }
    if (s->intcap >> HPET_NUM_GSI) {
        error_setg(errp, "hpet: intcap 0x%x names pins above %d", s->intcap,
                   HPET_NUM_GSI - 1);
        return false;
    }
    for (int n = 0; n < s->num_timers; n++) {
        s->timer[n].hpet = s;
        s->timer[n].n = n;
        s->timer[n].qtimer = timer_new_ns(QEMU_CLOCK_VIRTUAL, hpet_timer_cb,
                                          &s->timer[n]);
    }
    return true;
}

static int hpet_post_load(void *opaque, int version_id)
{
    HPETState *s = opaque;

    s->config &= CFG_ENABLE | CFG_LEGACY;
    for (int n = 0; n < s->num_timers; n++) {
        HPETTimer *t = &s->timer[n];

        t->config = (t->config & TN_WRITABLE) |
                    ((uint64_t)s->intcap << 32) | TN_PERIODIC_CAP |
                    TN_SIZE_CAP;
    }
    /* the GSI router and the interrupt controllers restore their own
     * state; sending levels from here would lower lines other devices
     * share with the HPET's outputs (COM1's GSI 4, the SCI's 9, ...) */
    s->gsi_level = hpet_output_levels(s);
    qemu_set_irq(s->pit_enabled, !(s->config & CFG_LEGACY));
    hpet_arm_all(s);
    return 0;
}

static const VMStateDescription vmstate_hpet_timer = {
    .name = "hpet-timer",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(config, HPETTimer),
        VMSTATE_UINT64(cmp, HPETTimer),
        VMSTATE_UINT64(period, HPETTimer),
        VMSTATE_UINT64(fire_at, HPETTimer),
        VMSTATE_INT64(last_fire_ns, HPETTimer),
        VMSTATE_BOOL(level, HPETTimer),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_hpet = {
    .name = "hpet",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = hpet_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(config, HPETState),
        VMSTATE_UINT64(isr, HPETState),
        VMSTATE_UINT64(counter, HPETState),
        VMSTATE_INT64(enable_ns, HPETState),
        VMSTATE_UINT8(legacy_in, HPETState),
        VMSTATE_STRUCT_ARRAY(timer, HPETState, HPET_MAX_TIMERS,
                             vmstate_hpet_timer, HPETTimer),
        VMSTATE_END_OF_LIST()
    },
};

static const Property hpet_props[] = {
    DEFINE_PROP_UINT8("timers", HPETState, num_timers, 3),
    DEFINE_PROP_UINT32("intcap", HPETState, intcap, 0xff0104),
    DEFINE_PROP_END_OF_LIST(),
};

static void hpet_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "High Precision Event Timer";
    dc->props = hpet_props;
    dc->realize = hpet_realize;
    dc->reset = hpet_reset;
    dc->vmsd = &vmstate_hpet;
}

static const TypeInfo hpet_info = {
    .name = TYPE_HPET,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(HPETState),
    .instance_init = hpet_init,
    .class_init = hpet_class_init,
};

TYPE_REGISTER(hpet_info)

DeviceState *hpet_create(hwaddr base, const qemu_irq *gsi)
{
    DeviceState *dev = qdev_new(TYPE_HPET);

    qdev_set_id(dev, "hpet");
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, base);
    for (int i = 0; i < HPET_NUM_GSI; i++) {
        qdev_connect_gpio_out_named(dev, "gsi", i, gsi[i]);
    }
    return dev;
}
