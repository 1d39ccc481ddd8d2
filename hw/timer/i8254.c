/*
 * Intel 8254 PIT and the PC's port 0x61 - see include/hw/timer/i8254.h.
 * Intel 8254 data sheet (order 231164): control word, read-back command,
 * counter latch, the six modes, gate behaviour, BCD counting.
 *
 * Each channel's count and OUT are computed from the virtual time since
 * its count was loaded (1.193182 MHz); nothing ticks.  Channel 0's OUT is
 * turned into IRQ events by one timer:
 *   mode 0      the line rises at terminal count and stays high until the
 *               channel is reprogrammed;
 *   modes 2, 3  a pulse per period (the PC's IRQ 0 is edge-triggered), at
 *               most one per PIT_MIN_PERIOD_NS: a guest asking for 1.19
 *               MHz cannot flood the main loop (missed periods coalesce);
 *   mode 4      a pulse at terminal count;
 *   modes 1, 5  need a gate edge, which channel 0 never sees.
 *
 * Model choices:
 *   - A new count in modes 2 and 3 takes effect at once (the chip waits for
 *     the end of the current period).
 *   - At reset every channel counts 65536 in mode 3, channel 2 with its
 *     gate low, as firmware expects to find it; the chip's power-on state
 *     is undefined.
 *   - Status NULL COUNT clears as soon as the count is loaded, which is at
 *     the write except in modes 1 and 5 (at the gate trigger).
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "turtle/timer.h"
#include "hw/timer/i8254.h"
#include "hw/core/qdev-properties.h"
#include "migration/vmstate.h"

#define PIT_MIN_PERIOD_NS 100000        /* 10 kHz of IRQ 0 at most */
#define REFRESH_NS        15085         /* port 0x61 bit 4 half period */

enum { RW_LATCH, RW_LSB, RW_MSB, RW_WORD };

typedef struct PITChannel {
    uint32_t count;            /* 1..65536 (binary) or 1..10000 (BCD) */
    uint8_t mode, rw, bcd;
    bool gate;
    bool armed;                /* a count is loaded and counting */
    bool count_written;        /* since the last control word */
    bool null_count;
    int64_t load_ns;           /* virtual time the count started */
    int64_t paused_ticks;      /* >= 0: gate low in mode 0/4 froze here */
    /* read/write state machine */
    bool write_msb_next;       /* RW_WORD: the LSB went in */
    uint8_t write_lsb;
    bool read_msb_next;        /* RW_WORD live reads */
    uint8_t latch_state;       /* 0 none, else the RW mode of the latch */
    bool latch_msb_next;
    uint16_t latched;
    bool status_latched;
    uint8_t status;
    /* IRQ (channel 0) */
    bool irq_level;
    int64_t last_pulse_ns;
} PITChannel;

typedef struct PITState {
    ISADevice parent_obj;
    MemoryRegion io, port61_io;
    PITChannel ch[3];
    QEMUTimer *timer;
    qemu_irq irq;
    uint8_t port61;            /* bits 1-3 as written */
    /* properties */
    uint32_t iobase, isairq;
    bool has_port61;
} PITState;

DECLARE_INSTANCE_CHECKER(PITState, I8254, TYPE_I8254)

/* ---- time ---- */

static int64_t ns_to_ticks(int64_t ns)
{
    return (int64_t)((__int128)ns * PIT_FREQ / NANOSECONDS_PER_SECOND);
}

/* the virtual time at which `ticks` have elapsed since `start` */
static int64_t ticks_to_deadline(int64_t start, int64_t ticks)
{
    __int128 ns = ((__int128)ticks * NANOSECONDS_PER_SECOND + PIT_FREQ - 1) /
                  PIT_FREQ;

    return ns > INT64_MAX - start ? INT64_MAX : start + (int64_t)ns;
}

static int64_t pit_now(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

/* Clock ticks counted since the load (frozen while paused). */
static int64_t pit_elapsed(PITChannel *c, int64_t now)
{
    if (c->paused_ticks >= 0) {
        return c->paused_ticks;
    }
    return now > c->load_ns ? ns_to_ticks(now - c->load_ns) : 0;
}

static bool pit_periodic(PITChannel *c)
{
    return c->mode == 2 || c->mode == 3;
}

/* ---- count and OUT ---- */

static uint32_t pit_modulus(PITChannel *c)
{
    return c->bcd ? 10000 : 65536;
}

static uint32_t pit_count_now(PITChannel *c, int64_t now)
{
    int64_t d;

    if (!c->armed || (pit_periodic(c) && !c->gate)) {
        return c->count % pit_modulus(c);
    }
    d = pit_elapsed(c, now);
    switch (c->mode) {
    case 2:
        return c->count - d % c->count;
    case 3:
        return c->count - (2 * d) % c->count;
    default:        /* 0, 1, 4, 5 wrap and go on counting */
        return (c->count + pit_modulus(c) - d % pit_modulus(c)) %
               pit_modulus(c);
    }
}

static bool pit_out_now(PITChannel *c, int64_t now)
{
    int64_t d;

    if (!c->armed) {
        return c->mode != 0;
    }
    if (pit_periodic(c) && !c->gate) {
        return true;
    }
    d = pit_elapsed(c, now);
    switch (c->mode) {
    case 0:
        return d >= c->count;
    case 1:
        return d >= c->count;
    case 2:
        return c->count < 2 || d % c->count != c->count - 1;
    case 3:
        return d % c->count < (c->count + 1) / 2;
    default:        /* 4, 5: low for one clock at terminal count */
        return d != c->count;
    }
}

/* ---- channel 0 IRQ ---- */

static void pit_irq_update(PITState *s)
{
    PITChannel *c = &s->ch[0];
    int64_t now = pit_now(), next = -1, d, period;

    if (c->armed && c->mode == 0 && c->paused_ticks < 0) {
        d = pit_elapsed(c, now);
        if (d < c->count) {
            next = ticks_to_deadline(c->load_ns, c->count);
        }
    } else if (c->armed && pit_periodic(c) && c->gate) {
        d = pit_elapsed(c, now);
        period = c->count;
        next = ticks_to_deadline(c->load_ns, (d / period + 1) * period);
        next = MAX(next, c->last_pulse_ns + PIT_MIN_PERIOD_NS);
    } else if (c->armed && c->mode == 4 && c->paused_ticks < 0) {
        d = pit_elapsed(c, now);
        if (d < c->count) {
            next = ticks_to_deadline(c->load_ns, c->count);
        }
    }
    if (next < 0) {
        timer_del(s->timer);
    } else {
        timer_mod_ns(s->timer, next);
    }
}

static void pit_set_irq_level(PITState *s, bool level)
{
    s->ch[0].irq_level = level;
    qemu_set_irq(s->irq, level);
}

static void pit_timer_cb(void *opaque)
{
    PITState *s = opaque;
    PITChannel *c = &s->ch[0];
    int64_t now = pit_now();

    if (c->armed && c->mode == 0) {
        if (pit_elapsed(c, now) >= c->count && !c->irq_level) {
            pit_set_irq_level(s, true);
        }
    } else if (c->armed && (pit_periodic(c) || c->mode == 4)) {
        c->last_pulse_ns = now;
        qemu_irq_pulse(s->irq);
    }
    pit_irq_update(s);
}

/* ---- programming ---- */

/* Start counting the loaded count from now. */
static void pit_start(PITState *s, int n)
{
    PITChannel *c = &s->ch[n];

    c->armed = true;
    c->null_count = false;
    c->load_ns = pit_now();
    c->paused_ticks = (c->mode == 0 || c->mode == 4) && !c->gate ? 0 : -1;
    c->last_pulse_ns = INT64_MIN / 2;
    if (n == 0) {
        if (c->irq_level) {
            pit_set_irq_level(s, false);
        }
        pit_irq_update(s);
    }
}

static uint32_t pit_from_bcd(uint32_t v)
{
    return ((v >> 12) & 0xf) * 1000 + ((v >> 8) & 0xf) * 100 +
           ((v >> 4) & 0xf) * 10 + (v & 0xf);
}

static uint16_t pit_to_bcd(uint32_t v)
{
    v %= 10000;
    return ((v / 1000) << 12) | ((v / 100 % 10) << 8) | ((v / 10 % 10) << 4) |
           (v % 10);
}

static void pit_load(PITState *s, int n, uint32_t raw)
{
    PITChannel *c = &s->ch[n];
    uint32_t v = c->bcd ? pit_from_bcd(raw) : raw;

    c->count = v ? v : pit_modulus(c);
    c->null_count = true;
    c->count_written = true;
    if (c->mode == 1 || c->mode == 5) {
        return;                 /* loaded by the next gate trigger */
    }
    pit_start(s, n);
}

static void pit_write_count(PITState *s, int n, uint8_t val)
{
    PITChannel *c = &s->ch[n];

    switch (c->rw) {
    case RW_LSB:
        pit_load(s, n, val);
        break;
    case RW_MSB:
        pit_load(s, n, val << 8);
        break;
    default:
        if (!c->write_msb_next) {
            c->write_lsb = val;
            c->write_msb_next = true;
            if (c->mode == 0) {
                /* the first byte stops the count, OUT goes low */
                c->armed = false;
                if (n == 0) {
                    pit_set_irq_level(s, false);
                    pit_irq_update(s);
                }
            }
        } else {
            c->write_msb_next = false;
            pit_load(s, n, c->write_lsb | (val << 8));
        }
        break;
    }
}

static uint16_t pit_count_reg(PITChannel *c, int64_t now)
{
    uint32_t v = pit_count_now(c, now);

    return c->bcd ? pit_to_bcd(v) : (uint16_t)v;
}

static void pit_latch_count(PITChannel *c, int64_t now)
{
    if (!c->latch_state) {
        c->latched = pit_count_reg(c, now);
        c->latch_state = c->rw;
        c->latch_msb_next = false;
    }
}

static void pit_latch_status(PITChannel *c, int64_t now)
{
    if (!c->status_latched) {
        c->status = (pit_out_now(c, now) ? 0x80 : 0) |
                    (c->null_count ? 0x40 : 0) | (c->rw << 4) |
                    (c->mode << 1) | c->bcd;
        c->status_latched = true;
    }
}

static void pit_control(PITState *s, uint8_t val)
{
    int n = val >> 6;
    int64_t now = pit_now();
    PITChannel *c;

    if (n == 3) {                         /* read-back command */
        for (int i = 0; i < 3; i++) {
            if (!(val & (2 << i))) {
                continue;
            }
            if (!(val & 0x20)) {
                pit_latch_count(&s->ch[i], now);
            }
            if (!(val & 0x10)) {
                pit_latch_status(&s->ch[i], now);
            }
        }
        return;
    }
    c = &s->ch[n];
    if (((val >> 4) & 3) == RW_LATCH) {   /* counter latch command */
        pit_latch_count(c, now);
        return;
    }
    c->rw = (val >> 4) & 3;
    c->mode = (val >> 1) & 7;
    if (c->mode > 5) {
        c->mode -= 4;                     /* 6, 7 are modes 2, 3 */
    }
    c->bcd = val & 1;
    c->write_msb_next = false;
    c->read_msb_next = false;
    c->latch_state = 0;
    c->status_latched = false;
    c->null_count = true;
    c->count_written = false;
    c->armed = false;                     /* waits for a count */
    if (n == 0) {
        /* OUT is low in mode 0 and high in the others until counting */
        pit_set_irq_level(s, false);
        pit_irq_update(s);
    }
}

static uint8_t pit_read_count(PITState *s, int n)
{
    PITChannel *c = &s->ch[n];
    uint16_t v;

    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    if (c->latch_state) {
        v = c->latched;
        switch (c->latch_state) {
        case RW_LSB:
            c->latch_state = 0;
            return v;
        case RW_MSB:
            c->latch_state = 0;
            return v >> 8;
        default:
            if (!c->latch_msb_next) {
                c->latch_msb_next = true;
                return v;
            }
            c->latch_state = 0;
            return v >> 8;
        }
    }
    v = pit_count_reg(c, pit_now());
    switch (c->rw) {
    case RW_LSB:
        return v;
    case RW_MSB:
        return v >> 8;
    default:
        c->read_msb_next = !c->read_msb_next;
        return c->read_msb_next ? v & 0xff : v >> 8;
    }
}

static uint64_t pit_read(void *opaque, hwaddr addr, unsigned size)
{
    if (addr == 3) {
        tlog_mask(LOG_GUEST_ERROR, "i8254: read of the control word port\n");
        return 0xff;
    }
    return pit_read_count(opaque, addr);
}

static void pit_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    if (addr == 3) {
        pit_control(opaque, val);
    } else {
        pit_write_count(opaque, addr, val);
    }
}

static const MemoryRegionOps pit_ops = {
    .read = pit_read,
    .write = pit_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---- gates and port 0x61 ---- */

static void pit_set_gate(PITState *s, int n, bool gate)
{
    PITChannel *c = &s->ch[n];
    int64_t now = pit_now();
    bool rising = gate && !c->gate;

    if (gate == c->gate) {
        return;
    }
    if (c->armed && (c->mode == 0 || c->mode == 4)) {
        if (!gate) {
            c->paused_ticks = pit_elapsed(c, now);     /* counting pauses */
        } else if (c->paused_ticks >= 0) {
            c->load_ns = now - (c->paused_ticks * NANOSECONDS_PER_SECOND +
                                PIT_FREQ - 1) / PIT_FREQ;
            c->paused_ticks = -1;
        }
    }
    c->gate = gate;
    if (rising && (c->mode == 1 || c->mode == 5) && c->count_written) {
        pit_start(s, n);                     /* trigger (or retrigger) */
    } else if (rising && pit_periodic(c) && c->armed) {
        pit_start(s, n);                     /* the count reloads */
    }
    if (n == 0) {
        pit_irq_update(s);
    }
}

static uint64_t port61_read(void *opaque, hwaddr addr, unsigned size)
{
    PITState *s = opaque;
    int64_t now = pit_now();

    return (s->ch[2].gate ? 1 : 0) | (s->port61 & 0x0e) |
           (((now / REFRESH_NS) & 1) << 4) |
           (pit_out_now(&s->ch[2], now) ? 0x20 : 0);
}

static void port61_write(void *opaque, hwaddr addr, uint64_t val,
                         unsigned size)
{
    PITState *s = opaque;

    s->port61 = val & 0x0e;
    pit_set_gate(s, 2, val & 1);
}

static const MemoryRegionOps port61_ops = {
    .read = port61_read,
    .write = port61_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---- life cycle ---- */

static void pit_reset(DeviceState *dev)
{
    PITState *s = I8254(dev);

    s->port61 = 0;
    pit_set_irq_level(s, false);
    for (int n = 0; n < 3; n++) {
        PITChannel *c = &s->ch[n];

        memset(c, 0, sizeof(*c));
        c->mode = 3;
        c->rw = RW_WORD;
        c->gate = n != 2;
        c->paused_ticks = -1;
        c->count = 65536;
        c->count_written = true;
        pit_start(s, n);
    }
}

static void pit_init(Object *obj)
{
    PITState *s = I8254(obj);

    memory_region_init_io(&s->io, obj, &pit_ops, s, "pit", 4);
    memory_region_init_io(&s->port61_io, obj, &port61_ops, s, "port61", 1);
}

static bool pit_realize(DeviceState *dev, Error **errp)
{
    PITState *s = I8254(dev);

    if (s->iobase > 0xfffc || s->isairq >= ISA_NUM_IRQS) {
        error_setg(errp, "isa-pit: bad iobase 0x%x or irq %u", s->iobase,
                   s->isairq);
        return false;
    }
    s->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, pit_timer_cb, s);
    s->irq = isa_get_irq(ISA_DEVICE(dev), s->isairq);
    isa_register_ioport(ISA_DEVICE(dev), &s->io, s->iobase);
    if (s->has_port61) {
        isa_register_ioport(ISA_DEVICE(dev), &s->port61_io, 0x61);
    }
    return true;
}

static int pit_post_load(void *opaque, int version_id)
{
    PITState *s = opaque;

    for (int n = 0; n < 3; n++) {
        PITChannel *c = &s->ch[n];

        if (c->mode > 5 || c->rw > RW_WORD || c->bcd > 1 ||
            c->latch_state > RW_WORD || c->count == 0 ||
            c->count > pit_modulus(c)) {
            return -EINVAL;
        }
    }
    qemu_set_irq(s->irq, s->ch[0].irq_level);
    pit_irq_update(s);
    return 0;
}

static const VMStateDescription vmstate_pit_channel = {
    .name = "i8254-channel",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(count, PITChannel),
        VMSTATE_UINT8(mode, PITChannel),
        VMSTATE_UINT8(rw, PITChannel),
        VMSTATE_UINT8(bcd, PITChannel),
        VMSTATE_BOOL(gate, PITChannel),
        VMSTATE_BOOL(armed, PITChannel),
        VMSTATE_BOOL(count_written, PITChannel),
        VMSTATE_BOOL(null_count, PITChannel),
        VMSTATE_INT64(load_ns, PITChannel),
        VMSTATE_INT64(paused_ticks, PITChannel),
        VMSTATE_BOOL(write_msb_next, PITChannel),
        VMSTATE_UINT8(write_lsb, PITChannel),
        VMSTATE_BOOL(read_msb_next, PITChannel),
        VMSTATE_UINT8(latch_state, PITChannel),
        VMSTATE_BOOL(latch_msb_next, PITChannel),
        VMSTATE_UINT16(latched, PITChannel),
        VMSTATE_BOOL(status_latched, PITChannel),
        VMSTATE_UINT8(status, PITChannel),
        VMSTATE_BOOL(irq_level, PITChannel),
        VMSTATE_INT64(last_pulse_ns, PITChannel),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_pit = {
    .name = "i8254",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = pit_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT_ARRAY(ch, PITState, 3, vmstate_pit_channel,
                             PITChannel),
        VMSTATE_UINT8(port61, PITState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property pit_props[] = {
    DEFINE_PROP_UINT32("iobase", PITState, iobase, 0x40),
    DEFINE_PROP_UINT32("irq", PITState, isairq, 0),
    DEFINE_PROP_BOOL("port61", PITState, has_port61, true),
    DEFINE_PROP_END_OF_LIST(),
};

static void pit_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "Intel 8254 interval timer (and PC port 0x61)";
    dc->props = pit_props;
    dc->realize = pit_realize;
    dc->reset = pit_reset;
    dc->vmsd = &vmstate_pit;
}

static const TypeInfo pit_info = {
    .name = TYPE_I8254,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(PITState),
    .instance_init = pit_init,
    .class_init = pit_class_init,
};

TYPE_REGISTER(pit_info)

DeviceState *i8254_create(ISABus *bus)
{
    DeviceState *dev = qdev_new(TYPE_I8254);

    qdev_set_id(dev, "pit");
    qdev_realize_and_unref(dev, BUS(bus), &error_fatal);
    return dev;
}
