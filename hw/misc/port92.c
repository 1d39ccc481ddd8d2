/*
 * Port 0x92 (system control port A) - see include/hw/misc/port92.h.
 *
 *   I/O 0x92 (1 byte), no IRQ, gpio out "a20"
 */
#include "turtle/osdep.h"
#include "hw/core/isa.h"
#include "hw/misc/port92.h"
#include "migration/vmstate.h"
#include "sysemu/runstate.h"

typedef struct Port92State {
    ISADevice parent_obj;
    MemoryRegion io;
    uint8_t outport;
    qemu_irq a20_out;
} Port92State;

DECLARE_INSTANCE_CHECKER(Port92State, PORT92, TYPE_PORT92)

static uint64_t port92_read(void *opaque, hwaddr addr, unsigned size)
{
    return PORT92(opaque)->outport;
}

static void port92_write(void *opaque, hwaddr addr, uint64_t val,
                         unsigned size)
{
    Port92State *s = opaque;
    uint8_t old = s->outport;

    s->outport = val & ~1;
    if ((old ^ s->outport) & 2) {
        qemu_set_irq(s->a20_out, !!(s->outport & 2));
    }
    if (val & 1) {
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    }
}

static const MemoryRegionOps port92_ops = {
    .read = port92_read,
    .write = port92_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static void port92_init(Object *obj)
{
    Port92State *s = PORT92(obj);

    memory_region_init_io(&s->io, obj, &port92_ops, s, "port92", 1);
    qdev_init_gpio_out_named(DEVICE(obj), &s->a20_out, "a20", 1);
}

static bool port92_realize(DeviceState *dev, Error **errp)
{
    isa_register_ioport(ISA_DEVICE(dev), &PORT92(dev)->io, 0x92);
    return true;
}

static void port92_reset(DeviceState *dev)
{
    PORT92(dev)->outport = 0;
}

static const VMStateDescription vmstate_port92 = {
    .name = "port92",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(outport, Port92State),
        VMSTATE_END_OF_LIST()
    },
};

static void port92_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "system control port A (fast A20, fast reset)";
    dc->realize = port92_realize;
    dc->reset = port92_reset;
    dc->vmsd = &vmstate_port92;
}

static const TypeInfo port92_info = {
    .name = TYPE_PORT92,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(Port92State),
    .instance_init = port92_init,
    .class_init = port92_class_init,
};

TYPE_REGISTER(port92_info)
