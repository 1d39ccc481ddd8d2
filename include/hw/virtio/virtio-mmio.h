/*
 * virtio-mmio transport (virtio 1.2, section 4.2, "modern" version 2
 * register layout); see hw/virtio/virtio-mmio.c.
 *
 * The transport owns the register block, the feature negotiation, the
 * queue addresses and the interrupt; a device back end (virtio-blk,
 * virtio-net, ...) plugs in with a VirtioBackendOps table and uses the
 * queue state, as kvmtool's virtio/mmio.c and its devices do.  With no
 * back end the slot reads DeviceID 0, which drivers skip.
 */
#ifndef HW_VIRTIO_VIRTIO_MMIO_H
#define HW_VIRTIO_VIRTIO_MMIO_H

#include "hw/core/sysbus.h"

#define TYPE_VIRTIO_MMIO "virtio-mmio"
#define VIRTIO_MMIO_MAX_QUEUES 8
#define VIRTIO_MMIO_SIZE 0x200

#define VIRTIO_MMIO_MAGIC   0x74726976     /* "virt" */
#define VIRTIO_MMIO_VENDOR  0x554d4551     /* "QEMU", as QEMU reports */

/* InterruptStatus bits */
#define VIRTIO_MMIO_INT_VRING   (1 << 0)
#define VIRTIO_MMIO_INT_CONFIG  (1 << 1)

#define VIRTIO_F_VERSION_1      32

typedef struct VirtioMMIOQueue {
    uint32_t num;            /* QueueNum: size chosen by the driver */
    uint32_t ready;
    uint64_t desc;           /* QueueDesc */
    uint64_t driver;         /* QueueDriver (available ring) */
    uint64_t device;         /* QueueDevice (used ring) */
} VirtioMMIOQueue;

typedef struct VirtioBackendOps {
    uint32_t device_id;                  /* virtio 1.2 section 5 */
    int num_queues;                      /* <= VIRTIO_MMIO_MAX_QUEUES */
    uint32_t queue_max;                  /* QueueNumMax */
    uint64_t (*get_features)(void *dev); /* VIRTIO_F_VERSION_1 is added */
    void (*set_features)(void *dev, uint64_t features);
    /* device-specific configuration space at 0x100 */
    uint32_t (*config_read)(void *dev, unsigned offset, unsigned size);
    void (*config_write)(void *dev, unsigned offset, uint32_t value,
                         unsigned size);
    void (*queue_notify)(void *dev, int queue);
    /* Status written (DRIVER_OK etc.); 0 is a device reset */
    void (*set_status)(void *dev, uint32_t status);
    void (*reset)(void *dev);
} VirtioBackendOps;

typedef struct VirtioMMIOState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    qemu_irq irq;

    const VirtioBackendOps *ops;         /* NULL: empty slot */
    void *backend;

    uint32_t device_features_sel;
    uint32_t driver_features_sel;
    uint64_t driver_features;
    uint32_t queue_sel;
    uint32_t interrupt_status;
    uint32_t status;
    uint32_t config_generation;
    uint32_t shm_sel;
    VirtioMMIOQueue vq[VIRTIO_MMIO_MAX_QUEUES];
} VirtioMMIOState;

DECLARE_INSTANCE_CHECKER(VirtioMMIOState, VIRTIO_MMIO, TYPE_VIRTIO_MMIO)

/* Attach a back end to an empty slot (before the guest runs). */
void virtio_mmio_plug(VirtioMMIOState *t, const VirtioBackendOps *ops,
                      void *backend);
/* Back ends: used buffers were added to a queue / the config changed. */
void virtio_mmio_notify_vring(VirtioMMIOState *t);
void virtio_mmio_notify_config(VirtioMMIOState *t);

#endif
