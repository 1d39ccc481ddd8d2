/*
 * isa-serial: the 16550A (hw/char/serial.c) on the ISA bus, COM1..COM4.
 *
 * Regions     8 I/O ports at iobase
 * IRQ lines   ISA line irq, gated by MCR.OUT2 (and off in loopback) as
 *             the PC wires it
 * Properties  index (0..3, default: creation order), iobase (default
 *             0x3f8/0x2f8/0x3e8/0x2e8 by index), irq (default 4/3/4/3 by
 *             index), chardev
 */
#include "turtle/osdep.h"
#include "hw/char/serial.h"
#include "migration/vmstate.h"

static const uint16_t isa_serial_iobase[MAX_ISA_SERIAL_PORTS] = {
    0x3f8, 0x2f8, 0x3e8, 0x2e8,
};
static const uint8_t isa_serial_irq[MAX_ISA_SERIAL_PORTS] = { 4, 3, 4, 3 };

static uint64_t serial_io_read(void *opaque, hwaddr addr, unsigned size)
{
    return serial_reg_read(opaque, addr & 7);
}

static void serial_io_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    serial_reg_write(opaque, addr & 7, val);
}

static const MemoryRegionOps serial_io_ops = {
    .read = serial_io_read,
    .write = serial_io_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    /* wider port accesses are split into consecutive registers */
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static void isa_serial_init(Object *obj)
{
    ISASerialState *isa = ISA_SERIAL(obj);

    isa->state.out2_gates_irq = true;
    memory_region_init_io(&isa->state.io, obj, &serial_io_ops, &isa->state,
                          "serial", 8);
}

static bool isa_serial_realize(DeviceState *dev, Error **errp)
{
    ISASerialState *isa = ISA_SERIAL(dev);
    uint32_t index = isa->index;

    if (index == UINT32_MAX) {
        index = dev->instance_id;
    }
    if ((isa->iobase == UINT32_MAX || isa->isairq == UINT32_MAX) &&
        index >= MAX_ISA_SERIAL_PORTS) {
        error_setg(errp, "isa-serial: index %u out of range (0..%d); give "
                   "iobase= and irq=", index, MAX_ISA_SERIAL_PORTS - 1);
        return false;
    }
    if (isa->iobase == UINT32_MAX) {
        isa->iobase = isa_serial_iobase[index];
    }
    if (isa->isairq == UINT32_MAX) {
        isa->isairq = isa_serial_irq[index];
    }
    if (isa->iobase > 0xfff8) {
        error_setg(errp, "isa-serial: iobase 0x%x out of range", isa->iobase);
        return false;
    }
    if (isa->isairq >= ISA_NUM_IRQS) {
        error_setg(errp, "isa-serial: irq %u out of range (0..%d)",
                   isa->isairq, ISA_NUM_IRQS - 1);
        return false;
    }
    isa->index = index;
    isa->state.irq = isa_get_irq(ISA_DEVICE(dev), isa->isairq);
    if (!serial_realize_core(&isa->state, errp)) {
        return false;
    }
    isa_register_ioport(ISA_DEVICE(dev), &isa->state.io, isa->iobase);
    return true;
}

static void isa_serial_unrealize(DeviceState *dev)
{
    serial_unrealize_core(&ISA_SERIAL(dev)->state);
}

static void isa_serial_reset(DeviceState *dev)
{
    serial_reset(&ISA_SERIAL(dev)->state);
}

static const VMStateDescription vmstate_isa_serial = {
    .name = "isa-serial",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(state, ISASerialState, vmstate_serial, SerialState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property isa_serial_props[] = {
    DEFINE_PROP_UINT32("index", ISASerialState, index, UINT32_MAX),
    DEFINE_PROP_UINT32("iobase", ISASerialState, iobase, UINT32_MAX),
    DEFINE_PROP_UINT32("irq", ISASerialState, isairq, UINT32_MAX),
    DEFINE_PROP_CHR("chardev", ISASerialState, state.chr),
    DEFINE_PROP_END_OF_LIST(),
};

static void isa_serial_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "16550A UART on the ISA bus (COM1..COM4)";
    dc->category = DEVICE_CATEGORY_CHAR;
    dc->props = isa_serial_props;
    dc->user_creatable = true;
    dc->realize = isa_serial_realize;
    dc->unrealize = isa_serial_unrealize;
    dc->reset = isa_serial_reset;
    dc->vmsd = &vmstate_isa_serial;
}

ISADevice *serial_isa_create(int index, Chardev *chr)
{
    DeviceState *dev = qdev_new(TYPE_ISA_SERIAL);

    qdev_prop_set_uint32(dev, "index", index);
    if (chr) {
        qdev_prop_set_chr(dev, "chardev", chr);
    }
    qdev_realize_and_unref(dev, BUS(isa_bus_get_default()), &error_fatal);
    return ISA_DEVICE(dev);
}

static const TypeInfo isa_serial_info = {
    .name = TYPE_ISA_SERIAL,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(ISASerialState),
    .instance_init = isa_serial_init,
    .class_init = isa_serial_class_init,
};
TYPE_REGISTER(isa_serial_info)
