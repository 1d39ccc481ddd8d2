/*
 * Intel 8259A PIC, one chip per device; the PC cascades two (see
 * include/hw/intc/i8259.h for ports, lines and properties).  Intel 8259A
 * data sheet (order 231468): ICW1-4, OCW1-3, the priority resolver, the
 * special masks, poll mode; the PIIX's ELCR (ports 0x4d0/0x4d1) selects
 * level-triggered lines.
 *
 * Model choices:
 *   - x86 (8086) mode only: an ICW4 asking for 8080 mode is logged and
 *     treated as 8086 mode; ICW3 (the cascade wiring) and buffered mode
 *     are accepted and ignored, the pair being wired by the board.
 *   - An edge-triggered request is latched in IRR until acknowledged, even
 *     if the line falls first (emulated devices pulse their lines).
 *   - The master's cascade input IR2 follows the slave's INT as a level,
 *     so a slave request still pending after its INTA is seen again.
 *   - The input levels survive a system reset (they are the devices'
 *     state); everything programmable goes back to 0, the ELCR too.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/intc/i8259.h"
#include "hw/core/qdev-properties.h"
#include "migration/vmstate.h"

typedef struct PICState {
    ISADevice parent_obj;
    MemoryRegion io, elcr_io;
    qemu_irq int_out;
    struct PICState *other;    /* master <-> slave, set by i8259_init */

    uint8_t lines;             /* input levels */
    uint8_t irr, imr, isr;
    uint8_t priority_add;      /* the IR with the highest priority */
    uint8_t irq_base;          /* ICW2: vector of IR0 */
    uint8_t read_isr;          /* OCW3 RIS: port 0 reads ISR, else IRR */
    uint8_t init_state;        /* next ICW: 0 none, 2, 3, 4 */
    bool init4, single, ltim;
    bool poll;                 /* next read is a poll (INTA) */
    bool special_mask;
    bool auto_eoi, rotate_on_auto_eoi, special_fully_nested;
    uint8_t elcr;

    /* properties */
    uint32_t iobase, elcr_addr;
    uint8_t elcr_mask;
    bool master;
} PICState;

DECLARE_INSTANCE_CHECKER(PICState, I8259, TYPE_I8259)

/* Lines taking level-sensitive requests. */
static uint8_t pic_level_mask(PICState *s)
{
    uint8_t m = s->ltim ? 0xff : s->elcr;

    if (s->master && s->other) {
        m |= 1u << 2;           /* the cascade follows the slave's INT */
    }
    return m;
}

/* Priority (0 highest) of the best IR in mask after rotation; 8: none. */
static int pic_priority(PICState *s, uint8_t mask)
{
    for (int p = 0; p < 8; p++) {
        if (mask & (1u << ((p + s->priority_add) & 7))) {
            return p;
        }
    }
    return 8;
}

/* The IR the chip would hand out now, -1 if none beats the ISR. */
static int pic_get_irq(PICState *s)
{
    int prio = pic_priority(s, s->irr & ~s->imr);
    uint8_t in_service = s->isr;

    if (prio == 8) {
        return -1;
    }
    if (s->special_mask) {
        in_service &= ~s->imr;  /* masked levels do not block others */
    }
    if (s->special_fully_nested && s->master) {
        in_service &= ~(1u << 2);   /* the slave may nest higher IRs */
    }
    if (prio < pic_priority(s, in_service)) {
        return (prio + s->priority_add) & 7;
    }
    return -1;
}

static void pic_update(PICState *s)
{
    qemu_set_irq(s->int_out, pic_get_irq(s) >= 0);
}

static void pic_set_irq(void *opaque, int n, int level)
{
    PICState *s = opaque;
    uint8_t bit = 1u << n;

    if (level) {
        if (!(s->lines & bit) || (pic_level_mask(s) & bit)) {
            s->irr |= bit;
        }
        s->lines |= bit;
    } else {
        s->lines &= ~bit;
        if (pic_level_mask(s) & bit) {
            s->irr &= ~bit;
        }
    }
    pic_update(s);
}

static void pic_intack(PICState *s, int irq)
{
    if (s->auto_eoi) {
        if (s->rotate_on_auto_eoi) {
            s->priority_add = (irq + 1) & 7;
        }
    } else {
        s->isr |= 1u << irq;
    }
    if (!(pic_level_mask(s) & (1u << irq)) || !(s->lines & (1u << irq))) {
        s->irr &= ~(1u << irq);
    }
    pic_update(s);
}

int i8259_read_irq(DeviceState *dev)
{
    PICState *m = I8259(dev), *sl = m->other;
    int irq = pic_get_irq(m), irq2;

    if (irq < 0) {
        return m->irq_base + 7;            /* spurious IR7: ISR untouched */
    }
    if (irq == 2 && sl) {
        irq2 = pic_get_irq(sl);
        if (irq2 >= 0) {
            pic_intack(sl, irq2);
        } else {
            irq2 = 7;                      /* the slave's spurious IR7 */
        }
        pic_intack(m, 2);
        return sl->irq_base + irq2;
    }
    pic_intack(m, irq);
    return m->irq_base + irq;
}

/* ---- registers ---- */

static void pic_icw1(PICState *s, uint8_t val)
{
    /* the edge sense is reset: lines already high need a new edge */
    s->ltim = val & 0x08;
    s->irr = s->lines & pic_level_mask(s);
    s->imr = 0;
    s->isr = 0;
    s->priority_add = 0;
    s->read_isr = 0;
    s->poll = false;
    s->special_mask = false;
    s->auto_eoi = s->rotate_on_auto_eoi = s->special_fully_nested = false;
    s->init4 = val & 0x01;
    s->single = val & 0x02;
    s->init_state = 2;
    pic_update(s);
}

static void pic_ocw2(PICState *s, uint8_t val)
{
    int irq, prio;

    switch (val >> 5) {
    case 0:                           /* clear rotate in AEOI mode */
        s->rotate_on_auto_eoi = false;
        break;
    case 4:                           /* set rotate in AEOI mode */
        s->rotate_on_auto_eoi = true;
        break;
    case 1:                           /* non-specific EOI */
    case 5:                           /* rotate on non-specific EOI */
        prio = pic_priority(s, s->isr);
        if (prio < 8) {
            irq = (prio + s->priority_add) & 7;
            s->isr &= ~(1u << irq);
            if (val >> 5 == 5) {
                s->priority_add = (irq + 1) & 7;
            }
        }
        break;
    case 3:                           /* specific EOI */
        s->isr &= ~(1u << (val & 7));
        break;
    case 7:                           /* rotate on specific EOI */
        s->isr &= ~(1u << (val & 7));
        s->priority_add = ((val & 7) + 1) & 7;
        break;
    case 6:                           /* set priority: IR val is lowest */
        s->priority_add = ((val & 7) + 1) & 7;
        break;
    default:                          /* 2: no operation */
        break;
    }
    pic_update(s);
}

static void pic_ocw3(PICState *s, uint8_t val)
{
    if (val & 0x04) {
        s->poll = true;
    }
    if (val & 0x02) {
        s->read_isr = val & 1;
    }
    if (val & 0x40) {
        s->special_mask = (val >> 5) & 1;
    }
    pic_update(s);
}

static void pic_data_write(PICState *s, uint8_t val)
{
    switch (s->init_state) {
    case 2:                           /* ICW2 */
        s->irq_base = val & 0xf8;
        s->init_state = s->single ? (s->init4 ? 4 : 0) : 3;
        break;
    case 3:                           /* ICW3: cascade wiring, fixed here */
        s->init_state = s->init4 ? 4 : 0;
        break;
    case 4:                           /* ICW4 */
        if (!(val & 0x01)) {
            tlog_mask(LOG_UNIMP, "i8259: 8080/8085 mode (ICW4 0x%02x) is "
                      "not modelled; using 8086 mode\n", val);
        }
        s->auto_eoi = val & 0x02;
        s->special_fully_nested = val & 0x10;
        s->init_state = 0;
        break;
    default:                          /* OCW1 */
        s->imr = val;
        pic_update(s);
        break;
    }
}

/* Poll: an INTA through a read; bit 7 set with the IR level, else 0. */
static uint8_t pic_poll(PICState *s)
{
    int irq = pic_get_irq(s);

    s->poll = false;
    if (irq < 0) {
        return 0;
    }
    pic_intack(s, irq);
    if (!s->master && s->other) {
        /* the master saw this request as IR2; it is answered now */
        pic_update(s->other);
    }
    return 0x80 | irq;
}

static uint64_t pic_read(void *opaque, hwaddr addr, unsigned size)
{
    PICState *s = opaque;

    if (s->poll) {
        return pic_poll(s);
    }
    if (addr == 0) {
        return s->read_isr ? s->isr : s->irr;
    }
    return s->imr;
}

static void pic_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    PICState *s = opaque;

    if (addr == 1) {
        pic_data_write(s, val);
    } else if (val & 0x10) {
        pic_icw1(s, val);
    } else if (val & 0x08) {
        pic_ocw3(s, val);
    } else {
        pic_ocw2(s, val);
    }
}

static const MemoryRegionOps pic_ops = {
    .read = pic_read,
    .write = pic_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static uint64_t elcr_read(void *opaque, hwaddr addr, unsigned size)
{
    return I8259(opaque)->elcr;
}

static void elcr_write(void *opaque, hwaddr addr, uint64_t val,
                       unsigned size)
{
    PICState *s = opaque;

    s->elcr = val & s->elcr_mask;
    /* a line switched to level sensitivity reports its level now */
    s->irr = (s->irr & ~s->elcr) | (s->lines & s->elcr);
    pic_update(s);
}

static const MemoryRegionOps elcr_ops = {
    .read = elcr_read,
    .write = elcr_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---- life cycle ---- */

static void pic_reset(DeviceState *dev)
{
    PICState *s = I8259(dev);

    s->elcr = 0;
    s->irr = s->isr = s->imr = 0;
    s->priority_add = s->irq_base = s->read_isr = s->init_state = 0;
    s->init4 = s->single = s->ltim = s->poll = s->special_mask = false;
    s->auto_eoi = s->rotate_on_auto_eoi = s->special_fully_nested = false;
    s->irr = s->lines & pic_level_mask(s);
    pic_update(s);
}

static void pic_init(Object *obj)
{
    PICState *s = I8259(obj);

    memory_region_init_io(&s->io, obj, &pic_ops, s, "pic", 2);
    memory_region_init_io(&s->elcr_io, obj, &elcr_ops, s, "elcr", 1);
    qdev_init_gpio_in(DEVICE(obj), pic_set_irq, 8);
    qdev_init_gpio_out_named(DEVICE(obj), &s->int_out, "int", 1);
}

static bool pic_realize(DeviceState *dev, Error **errp)
{
    PICState *s = I8259(dev);

    if (s->iobase > 0xfffe || s->elcr_addr > 0xffff) {
        error_setg(errp, "isa-i8259: bad iobase 0x%x or elcr-addr 0x%x",
                   s->iobase, s->elcr_addr);
        return false;
    }
    isa_register_ioport(ISA_DEVICE(dev), &s->io, s->iobase);
    isa_register_ioport(ISA_DEVICE(dev), &s->elcr_io, s->elcr_addr);
    return true;
}

static int pic_post_load(void *opaque, int version_id)
{
    PICState *s = opaque;

    if (s->init_state > 4 || s->init_state == 1) {
        return -EINVAL;
    }
    s->priority_add &= 7;
    s->elcr &= s->elcr_mask;
    pic_update(s);
    return 0;
}

static const VMStateDescription vmstate_pic = {
    .name = "i8259",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = pic_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(lines, PICState),
        VMSTATE_UINT8(irr, PICState),
        VMSTATE_UINT8(imr, PICState),
        VMSTATE_UINT8(isr, PICState),
        VMSTATE_UINT8(priority_add, PICState),
        VMSTATE_UINT8(irq_base, PICState),
        VMSTATE_UINT8(read_isr, PICState),
        VMSTATE_UINT8(init_state, PICState),
        VMSTATE_BOOL(init4, PICState),
        VMSTATE_BOOL(single, PICState),
        VMSTATE_BOOL(ltim, PICState),
        VMSTATE_BOOL(poll, PICState),
        VMSTATE_BOOL(special_mask, PICState),
        VMSTATE_BOOL(auto_eoi, PICState),
        VMSTATE_BOOL(rotate_on_auto_eoi, PICState),
        VMSTATE_BOOL(special_fully_nested, PICState),
        VMSTATE_UINT8(elcr, PICState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property pic_props[] = {
    DEFINE_PROP_UINT32("iobase", PICState, iobase, 0x20),
    DEFINE_PROP_UINT32("elcr-addr", PICState, elcr_addr, 0x4d0),
    DEFINE_PROP_UINT8("elcr-mask", PICState, elcr_mask, 0xf8),
    DEFINE_PROP_BOOL("master", PICState, master, true),
    DEFINE_PROP_END_OF_LIST(),
};

static void pic_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "Intel 8259A interrupt controller (one chip)";
    dc->props = pic_props;
    dc->realize = pic_realize;
    dc->reset = pic_reset;
    dc->vmsd = &vmstate_pic;
}

static const TypeInfo pic_info = {
    .name = TYPE_I8259,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(PICState),
    .instance_init = pic_init,
    .class_init = pic_class_init,
};

TYPE_REGISTER(pic_info)

DeviceState *i8259_init(ISABus *bus, qemu_irq parent, qemu_irq *irqs)
{
    DeviceState *m = qdev_new(TYPE_I8259);
    DeviceState *sl = qdev_new(TYPE_I8259);

    qdev_set_id(m, "pic0");
    qdev_set_id(sl, "pic1");
    qdev_prop_set_uint32(sl, "iobase", 0xa0);
    qdev_prop_set_uint32(sl, "elcr-addr", 0x4d1);
    qdev_prop_set_uint8(sl, "elcr-mask", 0xde);
    qdev_prop_set_bit(sl, "master", false);
    I8259(m)->other = I8259(sl);
    I8259(sl)->other = I8259(m);
    qdev_realize_and_unref(m, BUS(bus), &error_fatal);
    qdev_realize_and_unref(sl, BUS(bus), &error_fatal);
    qdev_connect_gpio_out_named(m, "int", 0, parent);
    qdev_connect_gpio_out_named(sl, "int", 0, qdev_get_gpio_in(m, 2));
    for (int i = 0; i < 16; i++) {
        irqs[i] = qdev_get_gpio_in(i < 8 ? m : sl, i & 7);
    }
    return m;
}
