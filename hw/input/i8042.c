/*
 * i8042 keyboard controller - see include/hw/input/i8042.h.
 *
 *   I/O 0x60 data, 0x64 status/command; IRQ 1 and IRQ 12; gpio out "a20"
 *
 * Command set as on IBM PC/AT compatibles (8042 firmware): 0x20/0x60
 * read/write the command byte, 0xaa self-test (-> 0x55), 0xab keyboard
 * interface test (-> 0x00), 0xa9 mouse interface test, 0xad/0xae and
 * 0xa7/0xa8 disable/enable ports, 0xd0/0xd1 output port, 0xd2-0xd4 write
 * to a port's buffer / to the mouse, 0xdd/0xdf A20, 0xf0-0xff pulse output
 * lines.  The keyboard answers reset, LEDs, echo, identify, scan code set,
 * typematic, enable/disable/defaults; the mouse answers reset, identify,
 * status and read-data (no movement) and acknowledges everything else.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/input/i8042.h"
#include "migration/vmstate.h"
#include "sysemu/runstate.h"
#include "ui/input.h"

#define STAT_OBF      0x01
#define STAT_IBF      0x02
#define STAT_SYS      0x04
#define STAT_CMD      0x08     /* last write was to 0x64 */
#define STAT_UNLOCKED 0x10
#define STAT_AUX_OBF  0x20

#define MODE_KBD_INT   0x01
#define MODE_AUX_INT   0x02
#define MODE_SYS       0x04
#define MODE_DISABLE_KBD 0x10
#define MODE_DISABLE_AUX 0x20
#define MODE_XLATE     0x40

#define OUT_RESET  0x01
#define OUT_A20    0x02
#define OUT_OBF    0x10
#define OUT_AUX_OBF 0x20

#define KBD_ACK    0xfa
#define KBD_RESEND 0xfe
#define KBD_BAT_OK 0xaa

static void ps2_queue_put(PS2Queue *q, uint8_t b)
{
    if (q->count >= I8042_QUEUE_SIZE) {
        return;                       /* overrun: the byte is lost */
    }
    q->data[(q->rptr + q->count++) % I8042_QUEUE_SIZE] = b;
}

static int ps2_queue_get(PS2Queue *q)
{
    uint8_t b;

    if (!q->count) {
        return -1;
    }
    b = q->data[q->rptr];
    q->rptr = (q->rptr + 1) % I8042_QUEUE_SIZE;
    q->count--;
    return b;
}

static void i8042_update_irq(I8042State *s)
{
    bool kbd = false, aux = false;

    if (s->status & STAT_OBF) {
        if (s->obuf_aux) {
            aux = s->mode & MODE_AUX_INT;
        } else {
            kbd = s->mode & MODE_KBD_INT;
        }
    }
    s->outport = (s->outport & ~(OUT_OBF | OUT_AUX_OBF)) |
                 (kbd ? OUT_OBF : 0) | (aux ? OUT_AUX_OBF : 0);
    qemu_set_irq(s->irq_kbd, kbd);
    qemu_set_irq(s->irq_aux, aux);
}

/* Move the next byte into an empty output buffer. */
static void i8042_fill_obuf(I8042State *s)
{
    int b;

    if (s->status & STAT_OBF) {
        return;
    }
    if ((b = ps2_queue_get(&s->ctl_q)) >= 0) {
        s->obuf_aux = false;
    } else if ((b = ps2_queue_get(&s->ctl_aux_q)) >= 0) {
        s->obuf_aux = true;
    } else if (!(s->mode & MODE_DISABLE_KBD) &&
               (b = ps2_queue_get(&s->kbd_q)) >= 0) {
        s->obuf_aux = false;
    } else if (!(s->mode & MODE_DISABLE_AUX) &&
               (b = ps2_queue_get(&s->aux_q)) >= 0) {
        s->obuf_aux = true;
    } else {
        i8042_update_irq(s);
        return;
    }
    s->obuf = b;
    s->status = (s->status & ~STAT_AUX_OBF) | STAT_OBF |
                (s->obuf_aux ? STAT_AUX_OBF : 0);
    i8042_update_irq(s);
}

/* A byte the controller itself answers with (ahead of device data). */
static void i8042_reply(I8042State *s, uint8_t b)
{
    ps2_queue_put(&s->ctl_q, b);
    i8042_fill_obuf(s);
}

void i8042_put_kbd(I8042State *s, uint8_t byte)
{
    ps2_queue_put(&s->kbd_q, byte);
    i8042_fill_obuf(s);
}

static void i8042_put_aux(I8042State *s, uint8_t byte)
{
    ps2_queue_put(&s->aux_q, byte);
    i8042_fill_obuf(s);
}

static void i8042_set_outport(I8042State *s, uint8_t val)
{
    if ((val ^ s->outport) & OUT_A20) {
        qemu_set_irq(s->a20_out, !!(val & OUT_A20));
    }
    s->outport = val;
    if (!(val & OUT_RESET)) {
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    }
}

/* ---- PS/2 keyboard ---- */

static void kbd_reset_state(I8042State *s)
{
    s->kbd_scan_enabled = true;
    s->kbd_scancode_set = 2;
    s->kbd_leds = 0;
    s->kbd_pending = 0;
}

static void kbd_write(I8042State *s, uint8_t val)
{
    uint8_t cmd = s->kbd_pending;

    if (cmd) {
        s->kbd_pending = 0;
        switch (cmd) {
        case 0xed:                    /* set LEDs */
            s->kbd_leds = val & 7;
            i8042_put_kbd(s, KBD_ACK);
            return;
        case 0xf0:                    /* scan code set */
            i8042_put_kbd(s, KBD_ACK);
            if (val == 0) {
                i8042_put_kbd(s, s->kbd_scancode_set);
            } else if (val <= 3) {
                s->kbd_scancode_set = val;
            }
            return;
        case 0xf3:                    /* typematic rate/delay */
            i8042_put_kbd(s, KBD_ACK);
            return;
        }
    }
    switch (val) {
    case 0xed: case 0xf0: case 0xf3:
        s->kbd_pending = val;
        i8042_put_kbd(s, KBD_ACK);
        break;
    case 0xee:                        /* echo */
        i8042_put_kbd(s, 0xee);
        break;
    case 0xf2:                        /* identify: MF2 keyboard */
        i8042_put_kbd(s, KBD_ACK);
        i8042_put_kbd(s, 0xab);
        i8042_put_kbd(s, (s->mode & MODE_XLATE) ? 0x41 : 0x83);
        break;
    case 0xf4:                        /* enable scanning */
        s->kbd_scan_enabled = true;
        i8042_put_kbd(s, KBD_ACK);
        break;
    case 0xf5:                        /* disable scanning, defaults */
        kbd_reset_state(s);
        s->kbd_scan_enabled = false;
        i8042_put_kbd(s, KBD_ACK);
        break;
    case 0xf6:                        /* set defaults */
        kbd_reset_state(s);
        i8042_put_kbd(s, KBD_ACK);
        break;
    case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb: case 0xfc:
    case 0xfd:                        /* set key types (set 3): accepted */
        i8042_put_kbd(s, KBD_ACK);
        break;
    case 0xff:                        /* reset and self-test */
        kbd_reset_state(s);
        s->kbd_q.count = 0;
        i8042_put_kbd(s, KBD_ACK);
        i8042_put_kbd(s, KBD_BAT_OK);
        break;
    default:
        i8042_put_kbd(s, KBD_RESEND);
        break;
    }
}

/* ---- PS/2 mouse (minimal) ---- */

static void aux_write(I8042State *s, uint8_t val)
{
    if (s->aux_pending) {
        s->aux_pending = 0;           /* argument of set rate/resolution */
        i8042_put_aux(s, KBD_ACK);
        return;
    }
    switch (val) {
    case 0xe8: case 0xf3:
        s->aux_pending = val;
        i8042_put_aux(s, KBD_ACK);
        break;
    case 0xf2:                        /* identify: standard mouse */
        i8042_put_aux(s, KBD_ACK);
        i8042_put_aux(s, 0x00);
        break;
    case 0xe9:                        /* status: stream mode, 4 c/mm, 100/s */
        i8042_put_aux(s, KBD_ACK);
        i8042_put_aux(s, 0x00);
        i8042_put_aux(s, 0x02);
        i8042_put_aux(s, 0x64);
        break;
    case 0xeb:                        /* read data: one empty packet */
        i8042_put_aux(s, KBD_ACK);
        i8042_put_aux(s, 0x08);
        i8042_put_aux(s, 0x00);
        i8042_put_aux(s, 0x00);
        break;
    case 0xff:
        s->aux_q.count = 0;
        i8042_put_aux(s, KBD_ACK);
        i8042_put_aux(s, KBD_BAT_OK);
        i8042_put_aux(s, 0x00);
        break;
    default:
        i8042_put_aux(s, KBD_ACK);
        break;
    }
}

/* ---- controller ---- */

static uint64_t i8042_data_read(void *opaque, hwaddr addr, unsigned size)
{
    I8042State *s = opaque;
    uint8_t b = s->obuf;

    s->status &= ~(STAT_OBF | STAT_AUX_OBF);
    i8042_fill_obuf(s);
    return b;
}

static void i8042_data_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    I8042State *s = opaque;
    uint8_t cmd = s->pending_cmd;

    s->status &= ~STAT_CMD;
    s->pending_cmd = 0;
    switch (cmd) {
    case 0x60:                        /* write command byte */
        s->mode = val;
        s->status = (s->status & ~STAT_SYS) | (val & MODE_SYS ? STAT_SYS : 0);
        i8042_update_irq(s);
        break;
    case 0xd1:                        /* write output port */
        i8042_set_outport(s, val);
        break;
    case 0xd2:                        /* write keyboard output buffer: */
        i8042_reply(s, val);          /* as if from the keyboard, even
                                       * with the port disabled */
        break;
    case 0xd3:                        /* write mouse output buffer */
        ps2_queue_put(&s->ctl_aux_q, val);
        i8042_fill_obuf(s);
        break;
    case 0xd4:                        /* write to the mouse */
        aux_write(s, val);
        break;
    default:
        s->mode &= ~MODE_DISABLE_KBD; /* writing to the keyboard enables it */
        kbd_write(s, val);
        break;
    }
}

static uint64_t i8042_cmd_read(void *opaque, hwaddr addr, unsigned size)
{
    return I8042(opaque)->status;
}

static void i8042_cmd_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    I8042State *s = opaque;

    s->status |= STAT_CMD;
    s->pending_cmd = 0;
    if (val >= 0xf0) {
        /* pulse output lines whose bit is 0 (bit 0: reset) */
        if (!(val & 1)) {
            qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        }
        return;
    }
    switch (val) {
    case 0x20:
        i8042_reply(s, s->mode);
        break;
    case 0x60: case 0xd1: case 0xd2: case 0xd3: case 0xd4:
        s->pending_cmd = val;
        break;
    case 0xa7:
        s->mode |= MODE_DISABLE_AUX;
        break;
    case 0xa8:
        s->mode &= ~MODE_DISABLE_AUX;
        i8042_fill_obuf(s);
        break;
    case 0xa9:                        /* mouse interface test: OK */
        i8042_reply(s, 0x00);
        break;
    case 0xaa:                        /* controller self-test */
        s->status |= STAT_SYS;
        i8042_reply(s, 0x55);
        break;
    case 0xab:                        /* keyboard interface test: OK */
        i8042_reply(s, 0x00);
        break;
    case 0xad:
        s->mode |= MODE_DISABLE_KBD;
        break;
    case 0xae:
        s->mode &= ~MODE_DISABLE_KBD;
        i8042_fill_obuf(s);
        break;
    case 0xc0:                        /* input port: keyboard not locked */
        i8042_reply(s, 0x80);
        break;
    case 0xd0:
        i8042_reply(s, s->outport);
        break;
    case 0xdd:
        i8042_set_outport(s, s->outport & ~OUT_A20);
        break;
    case 0xdf:
        i8042_set_outport(s, s->outport | OUT_A20);
        break;
    case 0xe0:                        /* test inputs */
        i8042_reply(s, 0x00);
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "i8042: unknown command 0x%02x\n",
                  (unsigned)val);
        break;
    }
}

static const MemoryRegionOps i8042_data_ops = {
    .read = i8042_data_read,
    .write = i8042_data_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static const MemoryRegionOps i8042_cmd_ops = {
    .read = i8042_cmd_read,
    .write = i8042_cmd_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static void i8042_init(Object *obj)
{
    I8042State *s = I8042(obj);

    memory_region_init_io(&s->data_io, obj, &i8042_data_ops, s, "i8042-data",
                          1);
    memory_region_init_io(&s->cmd_io, obj, &i8042_cmd_ops, s, "i8042-cmd", 1);
    qdev_init_gpio_out_named(DEVICE(obj), &s->a20_out, "a20", 1);
}

/* A host key (the monitor's sendkey): the codes of the keyboard's scan
 * code set, or set 1 when the controller translates (MODE_XLATE). */
static void i8042_key_event(void *opaque, int key, bool down)
{
    I8042State *s = opaque;
    uint8_t codes[8];
    int set = (s->mode & MODE_XLATE) || s->kbd_scancode_set == 1 ? 1 : 2;
    int n;

    if (!s->kbd_scan_enabled) {
        return;
    }
    n = qemu_input_key_scancode(key, down, set, codes);
    for (int i = 0; i < n; i++) {
        i8042_put_kbd(s, codes[i]);
    }
}

static bool i8042_realize(DeviceState *dev, Error **errp)
{
    I8042State *s = I8042(dev);
    ISADevice *isa = ISA_DEVICE(dev);

    if (s->iobase > 0xffff || s->cmdbase > 0xffff) {
        error_setg(errp, "i8042: bad iobase 0x%x or cmdbase 0x%x", s->iobase,
                   s->cmdbase);
        return false;
    }
    s->irq_kbd = isa_get_irq(isa, 1);
    s->irq_aux = isa_get_irq(isa, 12);
    isa_register_ioport(isa, &s->data_io, s->iobase);
    isa_register_ioport(isa, &s->cmd_io, s->cmdbase);
    qemu_input_set_kbd_handler(i8042_key_event, s);
    return true;
}

static void i8042_reset(DeviceState *dev)
{
    I8042State *s = I8042(dev);

    s->mode = MODE_KBD_INT | MODE_AUX_INT;
    s->status = STAT_CMD | STAT_UNLOCKED;
    s->outport = OUT_RESET | OUT_A20;
    s->pending_cmd = 0;
    s->obuf = 0;
    s->obuf_aux = false;
    memset(&s->ctl_q, 0, sizeof(s->ctl_q));
    memset(&s->ctl_aux_q, 0, sizeof(s->ctl_aux_q));
    memset(&s->kbd_q, 0, sizeof(s->kbd_q));
    memset(&s->aux_q, 0, sizeof(s->aux_q));
    s->aux_pending = 0;
    kbd_reset_state(s);
    i8042_update_irq(s);
}

static const VMStateDescription vmstate_ps2_queue = {
    .name = "ps2-queue",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8_ARRAY(data, PS2Queue, I8042_QUEUE_SIZE),
        VMSTATE_UINT32(rptr, PS2Queue),
        VMSTATE_UINT32(count, PS2Queue),
        VMSTATE_END_OF_LIST()
    },
};

static int i8042_post_load(void *opaque, int version_id)
{
    I8042State *s = opaque;
    PS2Queue *queues[] = { &s->ctl_q, &s->ctl_aux_q, &s->kbd_q, &s->aux_q };

    for (int i = 0; i < 4; i++) {
        if (queues[i]->count > I8042_QUEUE_SIZE ||
            queues[i]->rptr >= I8042_QUEUE_SIZE) {
            return -EINVAL;
        }
    }
    i8042_update_irq(s);
    return 0;
}

static const VMStateDescription vmstate_i8042 = {
    .name = "i8042",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = i8042_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(status, I8042State),
        VMSTATE_UINT8(mode, I8042State),
        VMSTATE_UINT8(outport, I8042State),
        VMSTATE_UINT8(pending_cmd, I8042State),
        VMSTATE_UINT8(obuf, I8042State),
        VMSTATE_BOOL(obuf_aux, I8042State),
        VMSTATE_STRUCT(ctl_q, I8042State, vmstate_ps2_queue, PS2Queue),
        VMSTATE_STRUCT(ctl_aux_q, I8042State, vmstate_ps2_queue, PS2Queue),
        VMSTATE_STRUCT(kbd_q, I8042State, vmstate_ps2_queue, PS2Queue),
        VMSTATE_STRUCT(aux_q, I8042State, vmstate_ps2_queue, PS2Queue),
        VMSTATE_UINT8(kbd_pending, I8042State),
        VMSTATE_UINT8(aux_pending, I8042State),
        VMSTATE_UINT8(kbd_scancode_set, I8042State),
        VMSTATE_BOOL(kbd_scan_enabled, I8042State),
        VMSTATE_UINT8(kbd_leds, I8042State),
        VMSTATE_END_OF_LIST()
    },
};

static const Property i8042_props[] = {
    DEFINE_PROP_UINT32("iobase", I8042State, iobase, 0x60),
    DEFINE_PROP_UINT32("cmdbase", I8042State, cmdbase, 0x64),
    DEFINE_PROP_END_OF_LIST(),
};

static void i8042_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "i8042 keyboard controller (PS/2 keyboard and mouse)";
    dc->category = DEVICE_CATEGORY_INPUT;
    dc->realize = i8042_realize;
    dc->reset = i8042_reset;
    dc->vmsd = &vmstate_i8042;
    dc->props = i8042_props;
}

static const TypeInfo i8042_info = {
    .name = TYPE_I8042,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(I8042State),
    .instance_init = i8042_init,
    .class_init = i8042_class_init,
};

TYPE_REGISTER(i8042_info)
