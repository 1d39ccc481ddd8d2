/*
 * serial-mm: the 16550A (hw/char/serial.c) as a memory-mapped device.
 *
 * Regions     one MMIO region of 8 << regshift bytes (sysbus mmio 0);
 *             register i at offset i << regshift, any access size (the
 *             register is in the low byte)
 * IRQ lines   sysbus irq 0, driven directly unless out2-gates-irq=on
 * Properties  regshift (0..4), endianness (0 native, 1 big, 2 little),
 *             out2-gates-irq (off), chardev
 */
#include "turtle/osdep.h"
#include "hw/char/serial.h"
#include "migration/vmstate.h"

static uint64_t serial_mm_read(void *opaque, hwaddr addr, unsigned size)
{
    SerialMM *mm = opaque;

    return serial_reg_read(&mm->state, (addr >> mm->regshift) & 7);
}

static void serial_mm_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    SerialMM *mm = opaque;

    serial_reg_write(&mm->state, (addr >> mm->regshift) & 7, val & 0xff);
}

#define SERIAL_MM_OPS(_end) {                                      \
    .read = serial_mm_read,                                        \
    .write = serial_mm_write,                                      \
    .endianness = (_end),                                          \
    .valid = { .min_access_size = 1, .max_access_size = 8 },       \
    .impl = { .min_access_size = 1, .max_access_size = 8 },        \
}

static const MemoryRegionOps serial_mm_ops[3] = {
    [DEVICE_NATIVE_ENDIAN] = SERIAL_MM_OPS(DEVICE_NATIVE_ENDIAN),
    [DEVICE_BIG_ENDIAN] = SERIAL_MM_OPS(DEVICE_BIG_ENDIAN),
    [DEVICE_LITTLE_ENDIAN] = SERIAL_MM_OPS(DEVICE_LITTLE_ENDIAN),
};

static void serial_mm_init(Object *obj)
{
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &SERIAL_MM(obj)->state.irq);
}

static bool serial_mm_realize(DeviceState *dev, Error **errp)
{
    SerialMM *mm = SERIAL_MM(dev);

    if (mm->regshift > 4) {
        error_setg(errp, "serial-mm: regshift %u out of range (0..4)",
                   mm->regshift);
        return false;
    }
    if (mm->endianness > DEVICE_LITTLE_ENDIAN) {
        error_setg(errp, "serial-mm: endianness %u out of range (0 native, "
                   "1 big, 2 little)", mm->endianness);
        return false;
    }
    memory_region_init_io(&mm->state.io, OBJECT(dev),
                          &serial_mm_ops[mm->endianness], mm, "serial",
                          8 << mm->regshift);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &mm->state.io);
    return serial_realize_core(&mm->state, errp);
}

static void serial_mm_unrealize(DeviceState *dev)
{
    serial_unrealize_core(&SERIAL_MM(dev)->state);
}

static void serial_mm_reset(DeviceState *dev)
{
    serial_reset(&SERIAL_MM(dev)->state);
}

static const VMStateDescription vmstate_serial_mm = {
    .name = "serial-mm",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(state, SerialMM, vmstate_serial, SerialState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property serial_mm_props[] = {
    DEFINE_PROP_UINT8("regshift", SerialMM, regshift, 0),
    DEFINE_PROP_UINT8("endianness", SerialMM, endianness, DEVICE_NATIVE_ENDIAN),
    DEFINE_PROP_BOOL("out2-gates-irq", SerialMM, state.out2_gates_irq, false),
    DEFINE_PROP_CHR("chardev", SerialMM, state.chr),
    DEFINE_PROP_END_OF_LIST(),
};

static void serial_mm_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "16550A UART, memory mapped";
    dc->category = DEVICE_CATEGORY_CHAR;
    dc->props = serial_mm_props;
    dc->user_creatable = true;
    dc->realize = serial_mm_realize;
    dc->unrealize = serial_mm_unrealize;
    dc->reset = serial_mm_reset;
    dc->vmsd = &vmstate_serial_mm;
}

SerialMM *serial_mm_create(hwaddr addr, int regshift, qemu_irq irq,
                           Chardev *chr, enum device_endian end)
{
    DeviceState *dev = qdev_new(TYPE_SERIAL_MM);

    qdev_prop_set_uint8(dev, "regshift", regshift);
    qdev_prop_set_uint8(dev, "endianness", end);
    if (chr) {
        qdev_prop_set_chr(dev, "chardev", chr);
    }
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, addr);
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, irq);
    return SERIAL_MM(dev);
}

static const TypeInfo serial_mm_info = {
    .name = TYPE_SERIAL_MM,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(SerialMM),
    .instance_init = serial_mm_init,
    .class_init = serial_mm_class_init,
};
TYPE_REGISTER(serial_mm_info)
