/*
 * The ISA bus: devices at fixed I/O ports with one of 16 IRQ lines.
 * A board creates the bus over its I/O address space with the 16 inputs of
 * its interrupt controller; devices register their port ranges and take
 * their IRQ from the bus.
 */
#ifndef HW_CORE_ISA_H
#define HW_CORE_ISA_H

#include "hw/core/qdev.h"
#include "exec/memory.h"

#define TYPE_ISA_BUS "ISA"
#define TYPE_ISA_DEVICE "isa-device"
#define ISA_NUM_IRQS 16

typedef struct ISABus {
    BusState parent_obj;
    MemoryRegion *address_space_io;
    qemu_irq irqs[ISA_NUM_IRQS];
} ISABus;

typedef struct ISADevice {
    DeviceState parent_obj;
} ISADevice;

DECLARE_INSTANCE_CHECKER(ISABus, ISA_BUS, TYPE_ISA_BUS)
DECLARE_INSTANCE_CHECKER(ISADevice, ISA_DEVICE, TYPE_ISA_DEVICE)

ISABus *isa_bus_new(DeviceState *parent, MemoryRegion *address_space_io);
void isa_bus_irqs(ISABus *bus, qemu_irq *irqs);   /* 16 lines */
ISABus *isa_bus_get_default(void);
ISABus *isa_device_bus(ISADevice *dev);
/* The bus's IRQ line isairq (0..15). */
qemu_irq isa_get_irq(ISADevice *dev, unsigned isairq);
/* Map io at port `start` of the bus's I/O space. */
void isa_register_ioport(ISADevice *dev, MemoryRegion *io, uint16_t start);
/* Create, realize and return an ISA device on the default bus. */
ISADevice *isa_create_simple(const char *name);

#endif
