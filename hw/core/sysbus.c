/* System-bus devices; see hw/core/sysbus.h. */
#include "turtle/osdep.h"
#include "hw/core/sysbus.h"
#include "hw/core/boards.h"

#define SYSBUS_IRQ "sysbus-irq"

static const Property sysbus_props[] = {
    /* Where -device places region 0 on machines that allow it. */
    DEFINE_PROP_UINT64("addr", SysBusDevice, user_addr, SYSBUS_ADDR_UNMAPPED),
    DEFINE_PROP_END_OF_LIST(),
};

static bool sysbus_check_address(BusState *bus, DeviceState *dev, Error **errp)
{
    SysBusDevice *sbd;
    MachineClass *mc;

    if (!object_dynamic_cast(OBJECT(dev), TYPE_SYS_BUS_DEVICE)) {
        return true;
    }
    sbd = SYS_BUS_DEVICE(dev);
    if (sbd->user_addr == SYSBUS_ADDR_UNMAPPED) {
        return true;
    }
    mc = current_machine ? MACHINE_GET_CLASS(current_machine) : NULL;
    if (mc && !mc->allows_dynamic_sysbus) {
        error_setg(errp, "machine '%s' does not accept memory-mapped devices "
                   "at a chosen address (addr=)", mc->name);
        return false;
    }
    return true;
}

void sysbus_bus_class_init(ObjectClass *oc, void *data);
void sysbus_bus_class_init(ObjectClass *oc, void *data)
{
    BUS_CLASS(oc)->check_address = sysbus_check_address;
}

void sysbus_init_mmio(SysBusDevice *dev, MemoryRegion *memory)
{
    int n = dev->num_mmio++;

    g_assert(n < SYSBUS_DEVICE_MAX_MMIO);
    dev->mmio[n].addr = SYSBUS_ADDR_UNMAPPED;
    dev->mmio[n].memory = memory;
}

MemoryRegion *sysbus_mmio_get_region(SysBusDevice *dev, int n)
{
    g_assert(n >= 0 && n < dev->num_mmio);
    return dev->mmio[n].memory;
}

void sysbus_mmio_map_overlap(SysBusDevice *dev, int n, hwaddr addr,
                             int priority)
{
    g_assert(n >= 0 && n < dev->num_mmio);
    if (dev->mmio[n].addr == addr) {
        return;
    }
    if (dev->mmio[n].addr != SYSBUS_ADDR_UNMAPPED) {
        memory_region_del_subregion(get_system_memory(), dev->mmio[n].memory);
    }
    dev->mmio[n].addr = addr;
    memory_region_add_subregion_overlap(get_system_memory(), addr,
                                        dev->mmio[n].memory, priority);
}

void sysbus_mmio_map(SysBusDevice *dev, int n, hwaddr addr)
{
    sysbus_mmio_map_overlap(dev, n, addr, 0);
}

void sysbus_mmio_unmap(SysBusDevice *dev, int n)
{
    g_assert(n >= 0 && n < dev->num_mmio);
    if (dev->mmio[n].addr != SYSBUS_ADDR_UNMAPPED) {
        memory_region_del_subregion(get_system_memory(), dev->mmio[n].memory);
        dev->mmio[n].addr = SYSBUS_ADDR_UNMAPPED;
    }
}

void sysbus_init_irq(SysBusDevice *dev, qemu_irq *p)
{
    qdev_init_gpio_out_named(DEVICE(dev), p, SYSBUS_IRQ, 1);
}

void sysbus_connect_irq(SysBusDevice *dev, int n, qemu_irq irq)
{
    qdev_connect_gpio_out_named(DEVICE(dev), SYSBUS_IRQ, n, irq);
}

bool sysbus_realize(SysBusDevice *dev, Error **errp)
{
    return qdev_realize(DEVICE(dev), sysbus_get_default(), errp);
}

bool sysbus_realize_and_unref(SysBusDevice *dev, Error **errp)
{
    return qdev_realize_and_unref(DEVICE(dev), sysbus_get_default(), errp);
}

DeviceState *sysbus_create_simple(const char *name, hwaddr addr, qemu_irq irq)
{
    DeviceState *dev = qdev_new(name);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    sysbus_realize_and_unref(sbd, &error_fatal);
    if (addr != SYSBUS_ADDR_UNMAPPED) {
        sysbus_mmio_map(sbd, 0, addr);
    }
    if (irq) {
        sysbus_connect_irq(sbd, 0, irq);
    }
    return dev;
}

static void map_user_device(DeviceState *dev, void *opaque)
{
    SysBusDevice *sbd;

    if (!object_dynamic_cast(OBJECT(dev), TYPE_SYS_BUS_DEVICE)) {
        return;
    }
    sbd = SYS_BUS_DEVICE(dev);
    if (sbd->user_addr == SYSBUS_ADDR_UNMAPPED) {
        return;
    }
    /* region i at addr + i * 64 KiB (a GIC: distributor, CPU interfaces) */
    for (int i = 0; i < sbd->num_mmio; i++) {
        if (sbd->mmio[i].addr == SYSBUS_ADDR_UNMAPPED) {
            sysbus_mmio_map(sbd, i, sbd->user_addr + i * SYSBUS_USER_STRIDE);
        }
    }
}

void sysbus_map_user_devices(void)
{
    qdev_walk(map_user_device, NULL);
}

static void sysbus_device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->props = sysbus_props;
    dc->bus_type = "System";
}

static const TypeInfo sysbus_types[] = {
    {
        .name = TYPE_SYS_BUS_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(SysBusDevice),
        .abstract = true,
        .class_init = sysbus_device_class_init,
    },
};

DEFINE_TYPES(sysbus_types)
