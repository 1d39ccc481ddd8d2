/*
 * Local APIC register file, interrupt command register and timer (see
 * hw/intc/apic.c for the device and the model's choices).  SDM Vol. 3A
 * 10.4 (registers), 10.5.4 (timer), 10.6 (ICR), 10.12 (x2APIC).
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/intc/apic-internal.h"

/* ---- timer ---- */

static unsigned apic_timer_divisor(APICState *s)
{
    unsigned v = (s->divide_conf & 3) | ((s->divide_conf >> 1) & 4);

    return v == 7 ? 1 : 2u << v;
}

/* virtual ns per timer tick */
static int64_t apic_tick_ns(APICState *s)
{
    return (int64_t)apic_timer_divisor(s) *
           (NANOSECONDS_PER_SECOND / APIC_BUS_HZ);
}

static int apic_timer_mode(APICState *s)
{
    return APIC_LVT_TIMER_MODE(s->lvt[APIC_LVT_TIMER]);
}

static uint32_t apic_timer_count(APICState *s)
{
    int64_t now, ticks;

    if (s->in_kernel) {
        return s->timer_current;
    }
    if (apic_timer_mode(s) == APIC_TIMER_TSC_DEADLINE || !s->initial_count) {
        return 0;
    }
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    ticks = now > s->timer_start ? (now - s->timer_start) / apic_tick_ns(s)
                                 : 0;
    if (apic_timer_mode(s) == APIC_TIMER_PERIODIC) {
        return s->initial_count - ticks % s->initial_count;
    }
    return ticks >= s->initial_count ? 0 : s->initial_count - ticks;
}

/* Keep the current count across a change of divisor or mode. */
static void apic_timer_rebase(APICState *s, uint32_t count, int64_t now)
{
    if (s->initial_count && count) {
        s->timer_start = now - (int64_t)(s->initial_count - count) *
                               apic_tick_ns(s);
    }
}

static uint64_t apic_read_tsc(APICState *s)
{
    return s->read_tsc ? s->read_tsc(s->cpu)
                       : (uint64_t)qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

/* Virtual-clock time at which the TSC reaches the deadline. */
static int64_t apic_deadline_ns(APICState *s, int64_t now)
{
    uint64_t tsc = apic_read_tsc(s);
    unsigned __int128 delta;

    if (s->tsc_deadline <= tsc) {
        return now;
    }
    delta = (unsigned __int128)(s->tsc_deadline - tsc) *
            NANOSECONDS_PER_SECOND / s->tsc_hz;
    return delta >= (unsigned __int128)(INT64_MAX - now) ? INT64_MAX
                                                         : now + delta;
}

void apic_timer_update(APICState *s)
{
    int64_t now, next = -1;

    if (!s->timer || s->in_kernel) {
        return;
    }
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    switch (apic_timer_mode(s)) {
    case APIC_TIMER_TSC_DEADLINE:
        if (s->tsc_deadline) {
            next = apic_deadline_ns(s, now);
        }
        break;
    case APIC_TIMER_PERIODIC:
        if (s->initial_count) {
            int64_t period = (int64_t)s->initial_count * apic_tick_ns(s);
            int64_t k = now > s->timer_start ?
                        (now - s->timer_start) / period : 0;

            next = s->timer_start + (k + 1) * period;
            if (period < APIC_MIN_PERIOD_NS) {
                next = now + APIC_MIN_PERIOD_NS;
            }
        }
        break;
    default:
        if (s->initial_count && !s->timer_oneshot_done) {
            next = s->timer_start +
                   (int64_t)s->initial_count * apic_tick_ns(s);
        }
        break;
    }
    if (next < 0) {
        timer_del(s->timer);
    } else {
        timer_mod_ns(s->timer, next);
    }
}

static void apic_timer_fire(APICState *s)
{
    uint32_t lvt = s->lvt[APIC_LVT_TIMER];

    if (!(lvt & APIC_LVT_MASKED)) {
        apic_accept(s, APIC_DM_FIXED, lvt & 0xff, false);
    }
}

void apic_timer_cb(void *opaque)
{
    APICState *s = opaque;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    switch (apic_timer_mode(s)) {
    case APIC_TIMER_TSC_DEADLINE:
        if (s->tsc_deadline && apic_read_tsc(s) >= s->tsc_deadline) {
            s->tsc_deadline = 0;          /* the MSR reads 0 once fired */
            apic_timer_fire(s);
        }
        break;
    case APIC_TIMER_PERIODIC:
        if (s->initial_count) {
            apic_timer_fire(s);
        }
        break;
    default:
        if (s->initial_count && !s->timer_oneshot_done &&
            now >= s->timer_start +
                   (int64_t)s->initial_count * apic_tick_ns(s)) {
            s->timer_oneshot_done = true;
            apic_timer_fire(s);
        }
        break;
    }
    apic_timer_update(s);
}

void apic_timer_set_deadline(APICState *s, uint64_t deadline)
{
    if (apic_timer_mode(s) != APIC_TIMER_TSC_DEADLINE) {
        return;                 /* ignored in the other modes (10.5.4.1) */
    }
    s->tsc_deadline = deadline;
    apic_timer_update(s);
}

static void apic_write_lvt_timer(APICState *s, uint32_t val)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint32_t count = apic_timer_count(s);
    int old_mode = apic_timer_mode(s), mode;

    val &= 0xff | APIC_LVT_MASKED | (3u << 17);
    mode = APIC_LVT_TIMER_MODE(val);
    if (mode == 3 || (mode == APIC_TIMER_TSC_DEADLINE &&
                      !s->tsc_deadline_supported)) {
        tlog_mask(LOG_GUEST_ERROR, "apic: reserved timer mode %d\n", mode);
        val &= ~(2u << 17);
        mode &= 1;
    }
    s->lvt[APIC_LVT_TIMER] = val;
    if ((old_mode == APIC_TIMER_TSC_DEADLINE) !=
        (mode == APIC_TIMER_TSC_DEADLINE)) {
        /* switching to or from TSC-deadline mode disarms the timer */
        s->initial_count = 0;
        s->tsc_deadline = 0;
    } else if (old_mode != mode) {
        /* one-shot <-> periodic: the count goes on from where it is */
        apic_timer_rebase(s, count, now);
        s->timer_oneshot_done = count == 0;
    }
    apic_timer_update(s);
}

/* ---- interrupt command register ---- */

void apic_send_ipi(APICState *s)
{
    uint32_t lo = s->icr_lo;
    int mode = (lo >> 8) & 7;
    uint8_t vector = lo & 0xff;
    bool logical = (lo >> 11) & 1;
    bool assert = (lo >> 14) & 1;
    bool level = (lo >> 15) & 1;
    int shorthand = (lo >> 18) & 3;
    uint32_t dest = apic_x2apic_mode(s) ? s->icr_hi : s->icr_hi >> 24;

    switch (mode) {
    case APIC_DM_FIXED:
    case APIC_DM_LOWPRI:
        if (vector < 16) {
            apic_set_error(s, APIC_ESR_SEND_ILLEGAL_VECTOR);
            return;
        }
        break;
    case APIC_DM_INIT:
        if (level && !assert) {
            return;             /* INIT level de-assert: no effect */
        }
        break;
    case APIC_DM_SMI:
    case APIC_DM_NMI:
    case APIC_DM_STARTUP:
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "apic: ICR with reserved delivery mode "
                  "%d\n", mode);
        return;
    }
    apic_bus_deliver(s, shorthand, dest, logical, apic_x2apic_mode(s), mode,
                     vector, level && mode == APIC_DM_FIXED);
}

/* ---- register file ---- */

bool apic_reg_read(APICState *s, unsigned off, uint32_t *val)
{
    bool x2 = apic_x2apic_mode(s);

    switch (off) {
    case APIC_REG_ID:
        *val = x2 ? s->initial_id : s->id;
        return true;
    case APIC_REG_VERSION:
        *val = APIC_VERSION | ((APIC_LVT_NB - 1) << 16);
        return true;
    case APIC_REG_TPR:
        *val = s->tpr;
        return true;
    case APIC_REG_APR:
        *val = apic_apr(s);
        return !x2;
    case APIC_REG_PPR:
        *val = apic_ppr(s);
        return true;
    case APIC_REG_EOI:
    case APIC_REG_RRD:
        *val = 0;
        return !x2 || off == APIC_REG_EOI;
    case APIC_REG_LDR:
        *val = apic_ldr(s);
        return true;
    case APIC_REG_DFR:
        *val = s->dfr;
        return !x2;
    case APIC_REG_SVR:
        *val = s->svr;
        return true;
    case APIC_REG_ESR:
        *val = s->esr;
        return true;
    case APIC_REG_ICR:
        *val = s->icr_lo;
        return true;
    case APIC_REG_ICR_HI:
        *val = s->icr_hi;
        return true;
    case APIC_REG_TIMER_INIT:
        *val = s->initial_count;
        return true;
    case APIC_REG_TIMER_CUR:
        *val = apic_timer_count(s);
        return true;
    case APIC_REG_TIMER_DIV:
        *val = s->divide_conf;
        return true;
    }
    if (off >= APIC_REG_ISR && off < APIC_REG_ISR + 0x80) {
        *val = s->isr[(off - APIC_REG_ISR) >> 4];
        return true;
    }
    if (off >= APIC_REG_TMR && off < APIC_REG_TMR + 0x80) {
        *val = s->tmr[(off - APIC_REG_TMR) >> 4];
        return true;
    }
    if (off >= APIC_REG_IRR && off < APIC_REG_IRR + 0x80) {
        *val = s->irr[(off - APIC_REG_IRR) >> 4];
        return true;
    }
    if (off >= APIC_REG_LVT_TIMER && off <= APIC_REG_LVT_ERROR) {
        *val = s->lvt[(off - APIC_REG_LVT_TIMER) >> 4];
        return true;
    }
    return false;
}

static void apic_write_svr(APICState *s, uint32_t val)
{
    s->svr = val & APIC_SVR_MASK;
    if (!(s->svr & APIC_SVR_ENABLE)) {
        /* software disable masks every LVT entry (10.4.7.2) */
        for (int i = 0; i < APIC_LVT_NB; i++) {
            s->lvt[i] |= APIC_LVT_MASKED;
        }
    }
    apic_update_irq(s);
}

static void apic_write_lvt(APICState *s, int n, uint32_t val)
{
    static const uint32_t writable[APIC_LVT_NB] = {
        [APIC_LVT_THERMAL] = 0x107ff,
        [APIC_LVT_PERF]    = 0x107ff,
        [APIC_LVT_LINT0]   = 0x1a7ff,
        [APIC_LVT_LINT1]   = 0x1a7ff,
        [APIC_LVT_ERROR]   = 0x100ff,
    };

    if (!(s->svr & APIC_SVR_ENABLE)) {
        val |= APIC_LVT_MASKED;   /* cannot be unmasked while disabled */
    }
    if (n == APIC_LVT_TIMER) {
        apic_write_lvt_timer(s, val);
        return;
    }
    s->lvt[n] = (val & writable[n]) | (s->lvt[n] & APIC_LVT_REMOTE_IRR);
    if (n == APIC_LVT_LINT0 || n == APIC_LVT_LINT1) {
        if (!(s->lvt[n] & APIC_LVT_LEVEL)) {
            s->lvt[n] &= ~APIC_LVT_REMOTE_IRR;
        }
    }
    apic_update_irq(s);
}

bool apic_reg_write(APICState *s, unsigned off, uint32_t val, bool x2)
{
    int64_t now;
    uint32_t count;

    switch (off) {
    case APIC_REG_ID:
        s->id = val & 0xff000000;
        return true;
    case APIC_REG_TPR:
        s->tpr = val & 0xff;
        apic_update_irq(s);
        return true;
    case APIC_REG_EOI:
        apic_eoi(s);
        return true;
    case APIC_REG_LDR:
        s->ldr = val & 0xff000000;
        return true;
    case APIC_REG_DFR:
        s->dfr = val | 0x0fffffff;
        return true;
    case APIC_REG_SVR:
        apic_write_svr(s, val);
        return true;
    case APIC_REG_ESR:
        s->esr = s->esr_pending;
        s->esr_pending = 0;
        return true;
    case APIC_REG_ICR:
        s->icr_lo = val & ~APIC_ICR_BUSY;
        apic_send_ipi(s);
        return true;
    case APIC_REG_ICR_HI:
        s->icr_hi = val & 0xff000000;
        return true;
    case APIC_REG_TIMER_INIT:
        if (apic_timer_mode(s) == APIC_TIMER_TSC_DEADLINE) {
            return true;          /* ignored in TSC-deadline mode */
        }
        s->initial_count = val;
        s->timer_start = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        s->timer_oneshot_done = false;
        apic_timer_update(s);
        return true;
    case APIC_REG_TIMER_DIV:
        now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        count = apic_timer_count(s);
        s->divide_conf = val & 0xb;
        apic_timer_rebase(s, count, now);
        apic_timer_update(s);
        return true;
    case APIC_REG_VERSION: case APIC_REG_APR: case APIC_REG_PPR:
    case APIC_REG_RRD: case APIC_REG_TIMER_CUR:
        /* read-only: #GP through the MSR, ignored through MMIO */
        if (!x2) {
            tlog_mask(LOG_GUEST_ERROR, "apic: write to read-only register "
                      "0x%03x\n", off);
        }
        return !x2;
    }
    if (off >= APIC_REG_LVT_TIMER && off <= APIC_REG_LVT_ERROR) {
        apic_write_lvt(s, (off - APIC_REG_LVT_TIMER) >> 4, val);
        return true;
    }
    if (off >= APIC_REG_ISR && off < APIC_REG_IRR + 0x80) {
        if (!x2) {
            tlog_mask(LOG_GUEST_ERROR, "apic: write to read-only register "
                      "0x%03x\n", off);
        }
        return !x2;
    }
    return false;
}
