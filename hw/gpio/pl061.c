/*
 * Arm PrimeCell general purpose I/O (PL061), Arm DDI 0190 (TRM r1p0).
 *
 * Regions     one 4 KiB MMIO region (sysbus mmio 0)
 * IRQ lines   sysbus irq 0: GPIOINTR, the OR of the masked interrupts;
 *             GPIO inputs 0-7: the pins as inputs (GPIODIR bit clear);
 *             GPIO outputs 0-7: the pins as outputs (GPIODIR bit set).
 * Properties  none
 *
 * Registers: GPIODATA 0x000-0x3fc (address bits [9:2] mask the bits read
 * or written), GPIODIR 0x400, GPIOIS 0x404, GPIOIBE 0x408, GPIOIEV 0x40c,
 * GPIOIE 0x410, GPIORIS 0x414, GPIOMIS 0x418, GPIOIC 0x41c, GPIOAFSEL
 * 0x420, PeriphID0-3 0xfe0-0xfec, PCellID0-3 0xff0-0xffc.  Byte and word
 * accesses at word-aligned offsets; anything else is a guest error.
 *
 * Model choices:
 * - A pin's value is the output data when GPIODIR sets it as an output,
 *   the input line's level otherwise; edge detection looks at that value,
 *   so an output toggled by software can interrupt too.
 * - Level-sensitive interrupts (GPIOIS set) follow the pin: GPIORIS is set
 *   while the pin equals GPIOIEV, and GPIOIC cannot clear it meanwhile.
 * - GPIOAFSEL is storage only: there is no hardware control mode.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/gpio/pl061.h"
#include "migration/vmstate.h"

enum {
    A_DATA = 0x000, A_DIR = 0x400, A_IS = 0x404, A_IBE = 0x408,
    A_IEV = 0x40c, A_IE = 0x410, A_RIS = 0x414, A_MIS = 0x418,
    A_IC = 0x41c, A_AFSEL = 0x420, A_ID = 0xfe0,
};

static const uint8_t pl061_id[8] = {
    0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

static uint32_t pl061_pins(PL061State *s)
{
    return ((s->data & s->dir) | (s->in & ~s->dir)) & 0xff;
}

/* Recompute edges, levels, the interrupt line and the output lines. */
static void pl061_update(PL061State *s)
{
    uint32_t pins = pl061_pins(s);
    uint32_t changed = pins ^ s->old_pins;
    uint32_t edge = ~s->is & 0xff;
    uint32_t rising = changed & pins;
    uint32_t falling = changed & ~pins;
    uint32_t out = s->data & s->dir & 0xff;

    s->ris |= edge & changed & s->ibe;
    s->ris |= edge & ~s->ibe & ((rising & s->iev) | (falling & ~s->iev));
    /* level: pending while the pin is at the IEV level */
    s->ris = (s->ris & edge) | (s->is & ~(pins ^ s->iev) & 0xff);
    s->old_pins = pins;

    for (int i = 0; i < PL061_NUM_LINES; i++) {
        uint32_t bit = 1u << i;

        if ((out ^ s->old_out) & bit) {
            qemu_set_irq(s->out[i], (out & bit) != 0);
        }
    }
    s->old_out = out;
    qemu_set_irq(s->irq, (s->ris & s->ie) != 0);
}

static uint64_t pl061_read(void *opaque, hwaddr offset, unsigned size)
{
    PL061State *s = opaque;

    if (offset < A_DIR) {
        return pl061_pins(s) & (offset >> 2);
    }
    switch (offset) {
    case A_DIR:
        return s->dir;
    case A_IS:
        return s->is;
    case A_IBE:
        return s->ibe;
    case A_IEV:
        return s->iev;
    case A_IE:
        return s->ie;
    case A_RIS:
        return s->ris;
    case A_MIS:
        return s->ris & s->ie;
    case A_AFSEL:
        return s->afsel;
    case A_IC:
        tlog_mask(LOG_GUEST_ERROR, "pl061: read of write-only GPIOIC\n");
        return 0;
    default:
        if (offset >= A_ID && offset <= 0xffc) {
            return pl061_id[(offset - A_ID) >> 2];
        }
        tlog_mask(LOG_GUEST_ERROR, "pl061: read of bad offset 0x%x\n",
                  (unsigned)offset);
        return 0;
    }
}

static void pl061_write(void *opaque, hwaddr offset, uint64_t value,
                        unsigned size)
{
    PL061State *s = opaque;
    uint32_t v = value & 0xff;

    if (offset < A_DIR) {
        uint32_t mask = (offset >> 2) & 0xff;

        s->data = (s->data & ~mask) | (v & mask);
        pl061_update(s);
        return;
    }
    switch (offset) {
    case A_DIR:
        s->dir = v;
        break;
    case A_IS:
        s->is = v;
        break;
    case A_IBE:
        s->ibe = v;
        break;
    case A_IEV:
        s->iev = v;
        break;
    case A_IE:
        s->ie = v;
        break;
    case A_IC:
        s->ris &= ~v;
        break;
    case A_AFSEL:
        s->afsel = v;
        break;
    case A_RIS:
    case A_MIS:
        tlog_mask(LOG_GUEST_ERROR, "pl061: write to read-only offset 0x%x\n",
                  (unsigned)offset);
        return;
    default:
        tlog_mask(LOG_GUEST_ERROR, "pl061: write to bad offset 0x%x\n",
                  (unsigned)offset);
        return;
    }
    pl061_update(s);
}

static bool pl061_accepts(void *opaque, hwaddr addr, unsigned size,
                          bool is_write, MemTxAttrs attrs)
{
    if ((size != 4 && size != 1) || (addr & 3)) {
        tlog_mask(LOG_GUEST_ERROR, "pl061: bad %u-byte access at 0x%x\n",
                  size, (unsigned)addr);
        return false;
    }
    return true;
}

static const MemoryRegionOps pl061_ops = {
    .read = pl061_read,
    .write = pl061_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8,
               .accepts = pl061_accepts },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static void pl061_set_input(void *opaque, int line, int level)
{
    PL061State *s = opaque;

    if (level) {
        s->in |= 1u << line;
    } else {
        s->in &= ~(1u << line);
    }
    pl061_update(s);
}

static void pl061_init(Object *obj)
{
    PL061State *s = PL061(obj);
    SysBusDevice *sbd = SYS_BUS_DEVICE(obj);

    memory_region_init_io(&s->iomem, obj, &pl061_ops, s, "pl061", 0x1000);
    sysbus_init_mmio(sbd, &s->iomem);
    sysbus_init_irq(sbd, &s->irq);
    qdev_init_gpio_in(DEVICE(obj), pl061_set_input, PL061_NUM_LINES);
    qdev_init_gpio_out(DEVICE(obj), s->out, PL061_NUM_LINES);
}

static void pl061_reset(DeviceState *dev)
{
    PL061State *s = PL061(dev);

    /* the input lines keep their levels */
    s->data = 0;
    s->dir = 0;
    s->is = 0;
    s->ibe = 0;
    s->iev = 0;
    s->ie = 0;
    s->ris = 0;
    s->afsel = 0;
    s->old_pins = pl061_pins(s);
    pl061_update(s);
}

static int pl061_post_load(void *opaque, int version_id)
{
    pl061_update(opaque);
    return 0;
}

static const VMStateDescription vmstate_pl061 = {
    .name = "pl061",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = pl061_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(data, PL061State),
        VMSTATE_UINT32(in, PL061State),
        VMSTATE_UINT32(old_pins, PL061State),
        VMSTATE_UINT32(dir, PL061State),
        VMSTATE_UINT32(is, PL061State),
        VMSTATE_UINT32(ibe, PL061State),
        VMSTATE_UINT32(iev, PL061State),
        VMSTATE_UINT32(ie, PL061State),
        VMSTATE_UINT32(ris, PL061State),
        VMSTATE_UINT32(afsel, PL061State),
        VMSTATE_UINT32(old_out, PL061State),
        VMSTATE_END_OF_LIST()
    },
};

static void pl061_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "Arm PL061 GPIO controller";
    dc->reset = pl061_reset;
    dc->vmsd = &vmstate_pl061;
    dc->user_creatable = true;
}

static const TypeInfo pl061_info = {
    .name = TYPE_PL061,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(PL061State),
    .instance_init = pl061_init,
    .class_init = pl061_class_init,
};
TYPE_REGISTER(pl061_info)
