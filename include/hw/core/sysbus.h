/*
 * System-bus devices: memory-mapped devices with up to a handful of MMIO
 * regions and IRQ outputs, placed by the board (sysbus_mmio_map) or, on
 * machines that allow it, by -device NAME,addr=ADDR.
 */
#ifndef HW_CORE_SYSBUS_H
#define HW_CORE_SYSBUS_H

#include "hw/core/qdev.h"
#include "exec/memory.h"

#define TYPE_SYS_BUS_DEVICE "sys-bus-device"
#define SYSBUS_DEVICE_MAX_MMIO 32
#define SYSBUS_DEVICE_MAX_PIO 32
#define SYSBUS_ADDR_UNMAPPED UINT64_MAX

typedef struct SysBusDevice {
    DeviceState parent_obj;
    int num_mmio;
    struct {
        hwaddr addr;
        MemoryRegion *memory;
    } mmio[SYSBUS_DEVICE_MAX_MMIO];
    int num_pio;
    uint32_t pio[SYSBUS_DEVICE_MAX_PIO];
    /* -device ...,addr= (dynamic machines): region i is mapped at
     * user_addr + i * SYSBUS_USER_STRIDE (a GIC's distributor, then its
     * CPU interfaces or redistributors) */
    uint64_t user_addr;
} SysBusDevice;

#define SYSBUS_USER_STRIDE 0x10000

DECLARE_INSTANCE_CHECKER(SysBusDevice, SYS_BUS_DEVICE, TYPE_SYS_BUS_DEVICE)

void sysbus_init_mmio(SysBusDevice *dev, MemoryRegion *memory);
MemoryRegion *sysbus_mmio_get_region(SysBusDevice *dev, int n);
/* Map region n at addr in system memory (priority 0). */
void sysbus_mmio_map(SysBusDevice *dev, int n, hwaddr addr);
void sysbus_mmio_map_overlap(SysBusDevice *dev, int n, hwaddr addr,
                             int priority);
void sysbus_mmio_unmap(SysBusDevice *dev, int n);
/* Declare an IRQ output (a named gpio "sysbus-irq", in order). */
void sysbus_init_irq(SysBusDevice *dev, qemu_irq *p);
void sysbus_connect_irq(SysBusDevice *dev, int n, qemu_irq irq);
/* Create, realize, map region 0 at addr and connect IRQ 0 (NULL: none). */
DeviceState *sysbus_create_simple(const char *name, hwaddr addr, qemu_irq irq);
/* qdev_realize on the main system bus. */
bool sysbus_realize(SysBusDevice *dev, Error **errp);
bool sysbus_realize_and_unref(SysBusDevice *dev, Error **errp);

/* Machines with allows_dynamic_sysbus map -device addr= after realize. */
void sysbus_map_user_devices(void);

#endif
