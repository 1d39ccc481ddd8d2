/*
 * virtio-mmio transport (virtio 1.2, 4.2: the "modern" version 2 register
 * layout); see hw/virtio/virtio-mmio.c.
 *
 * Each transport is a sysbus device with one 0x200-byte register window,
 * one interrupt line and a virtio bus ("virtio-mmio-bus.N") that takes one
 * virtio device, e.g. -device virtio-blk-device,drive=d0.  Without a device
 * the slot reads DeviceID 0, which drivers skip.
 */
#ifndef HW_VIRTIO_VIRTIO_MMIO_H
#define HW_VIRTIO_VIRTIO_MMIO_H

#include "hw/core/sysbus.h"
#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_MMIO "virtio-mmio"
#define VIRTIO_MMIO_SIZE 0x200

#define VIRTIO_MMIO_MAGIC   0x74726976     /* "virt" */
#define VIRTIO_MMIO_VENDOR  0x554d4551     /* "QEMU", as QEMU reports */

typedef struct VirtioMMIOState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    qemu_irq irq;
    VirtioBusState *bus;
    VirtIODevice *vdev;                  /* plugged device, or NULL */

    uint32_t device_features_sel;
    uint32_t driver_features_sel;
    uint64_t driver_features;            /* as written, both halves */
    uint32_t shm_sel;
} VirtioMMIOState;

DECLARE_INSTANCE_CHECKER(VirtioMMIOState, VIRTIO_MMIO, TYPE_VIRTIO_MMIO)

#endif
