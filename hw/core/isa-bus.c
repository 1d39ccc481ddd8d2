/* The ISA bus; see hw/core/isa.h. */
#include "turtle/osdep.h"
#include "hw/core/isa.h"

static ISABus *default_isa_bus;

ISABus *isa_bus_new(DeviceState *parent, MemoryRegion *address_space_io)
{
    ISABus *bus = ISA_BUS(qbus_new(TYPE_ISA_BUS, parent, "isa.0"));

    bus->address_space_io = address_space_io;
    if (!default_isa_bus) {
        default_isa_bus = bus;
    }
    return bus;
}

void isa_bus_irqs(ISABus *bus, qemu_irq *irqs)
{
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        bus->irqs[i] = irqs[i];
    }
}

ISABus *isa_bus_get_default(void)
{
    return default_isa_bus;
}

ISABus *isa_device_bus(ISADevice *dev)
{
    return ISA_BUS(DEVICE(dev)->parent_bus);
}

qemu_irq isa_get_irq(ISADevice *dev, unsigned isairq)
{
    ISABus *bus = dev && DEVICE(dev)->parent_bus ? isa_device_bus(dev)
                                                : default_isa_bus;

    g_assert(isairq < ISA_NUM_IRQS);
    return bus ? bus->irqs[isairq] : NULL;
}

void isa_register_ioport(ISADevice *dev, MemoryRegion *io, uint16_t start)
{
    ISABus *bus = DEVICE(dev)->parent_bus ? isa_device_bus(dev) : default_isa_bus;

    g_assert(bus);
    memory_region_add_subregion(bus->address_space_io, start, io);
}

ISADevice *isa_create_simple(const char *name)
{
    DeviceState *dev = qdev_new(name);

    qdev_realize_and_unref(dev, BUS(default_isa_bus), &error_fatal);
    return ISA_DEVICE(dev);
}

static void isa_device_class_init(ObjectClass *oc, void *data)
{
    DEVICE_CLASS(oc)->bus_type = TYPE_ISA_BUS;
}

static const TypeInfo isa_types[] = {
    {
        .name = TYPE_ISA_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(ISABus),
    },
    {
        .name = TYPE_ISA_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(ISADevice),
        .abstract = true,
        .class_init = isa_device_class_init,
    },
};

DEFINE_TYPES(isa_types)
