/*
 * The virtio core (virtio 1.2 specification): device-independent state,
 * feature negotiation, device status, configuration space, interrupts and
 * split virtqueues (hw/virtio/virtio.c, hw/virtio/virtqueue.c).
 *
 *   device     "virtio-device" (abstract) is a qdev on a "virtio-bus".  A
 *              back end (virtio-blk-device, virtio-rng-device, ...) fills
 *              VirtioDeviceClass and calls virtio_init() and
 *              virtio_add_queue() from its realize.
 *   bus        a transport (virtio-mmio, virtio-pci) owns one virtio bus
 *              holding at most one device, and gives the core its
 *              VirtioTransportOps: how to raise an interrupt vector and
 *              which address space the device's DMA goes to.  The same
 *              back end therefore runs unchanged on every transport.
 *   queues     split rings with indirect descriptors and EVENT_IDX.  Every
 *              ring and buffer access goes through the transport's DMA
 *              address space (bound-checked).  A malformed ring (an index
 *              beyond the queue, a descriptor loop, a chain longer than
 *              the queue, an unmappable buffer...) is a logged guest error
 *              and marks the device broken: status NEEDS_RESET, no more
 *              requests until the driver resets it (virtio_error()).
 *   threads    everything here runs with the big lock held (vCPU MMIO
 *              handlers, the main loop).  Buffers handed to a back end are
 *              host pointers into guest RAM, valid until virtqueue_push();
 *              a back end may fill them from another thread meanwhile.
 */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include "hw/core/qdev.h"
#include "exec/memory.h"
#include "turtle/iov.h"

#define TYPE_VIRTIO_DEVICE "virtio-device"
#define TYPE_VIRTIO_BUS "virtio-bus"

#define VIRTIO_QUEUE_MAX        64      /* queues per device */
#define VIRTQUEUE_MAX_SIZE      1024    /* descriptors per queue */
#define VIRTIO_NO_VECTOR        0xffff  /* MSI-X: no vector */

/* Device status (2.1) */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE  0x01
#define VIRTIO_CONFIG_S_DRIVER       0x02
#define VIRTIO_CONFIG_S_DRIVER_OK    0x04
#define VIRTIO_CONFIG_S_FEATURES_OK  0x08
#define VIRTIO_CONFIG_S_NEEDS_RESET  0x40
#define VIRTIO_CONFIG_S_FAILED       0x80

/* Reserved feature bits (6) */
#define VIRTIO_F_NOTIFY_ON_EMPTY     24     /* legacy only */
#define VIRTIO_F_ANY_LAYOUT          27     /* legacy only */
#define VIRTIO_RING_F_INDIRECT_DESC  28
#define VIRTIO_RING_F_EVENT_IDX      29
#define VIRTIO_F_BAD_FEATURE         30     /* legacy: never offered */
#define VIRTIO_F_VERSION_1           32
#define VIRTIO_F_ACCESS_PLATFORM     33
#define VIRTIO_F_RING_PACKED         34
#define VIRTIO_F_IN_ORDER            35
#define VIRTIO_F_NOTIFICATION_DATA   38

/* ISR bits (4.1.4.5): queue interrupt, configuration change */
#define VIRTIO_ISR_QUEUE             0x1
#define VIRTIO_ISR_CONFIG            0x2

/* Device ids (5) */
#define VIRTIO_ID_NET                1
#define VIRTIO_ID_BLOCK              2
#define VIRTIO_ID_CONSOLE            3
#define VIRTIO_ID_RNG                4

/* Split ring layout (2.7) */
#define VRING_DESC_F_NEXT            1
#define VRING_DESC_F_WRITE           2
#define VRING_DESC_F_INDIRECT        4
#define VRING_USED_F_NO_NOTIFY       1
#define VRING_AVAIL_F_NO_INTERRUPT   1
#define VRING_DESC_SIZE              16
#define VRING_LEGACY_ALIGN           4096   /* used ring, legacy layout */

typedef struct VirtIODevice VirtIODevice;
typedef struct VirtQueue VirtQueue;

/*
 * One request taken from a queue: the chain's device-readable (out) and
 * device-writable (in) buffers as host iovecs, with their guest addresses.
 * A back end embeds it at the start of its request struct and passes that
 * struct's size to virtqueue_pop().
 */
typedef struct VirtQueueElement {
    unsigned int index;          /* head descriptor: the used-ring id */
    unsigned int out_num;
    unsigned int in_num;
    hwaddr *in_addr;
    hwaddr *out_addr;
    struct iovec *in_sg;
    struct iovec *out_sg;
} VirtQueueElement;

typedef void (*VirtIOHandleOutput)(VirtIODevice *vdev, VirtQueue *vq);

/* What a transport provides to the core (VirtioBusState.ops). */
typedef struct VirtioTransportOps {
    /* Signal vector (a queue's or the config vector); VIRTIO_NO_VECTOR
     * or a transport without vectors: the ISR/INTx line. */
    void (*notify)(DeviceState *proxy, uint16_t vector);
    /* The device on the bus was realized / is going away. */
    bool (*device_plugged)(DeviceState *proxy, VirtIODevice *vdev,
                           Error **errp);
    void (*device_unplugged)(DeviceState *proxy, VirtIODevice *vdev);
    /* Where the device's DMA goes (the proxy's bus-master space). */
    AddressSpace *(*get_dma_as)(DeviceState *proxy);
    /* Feature bits the transport itself offers (e.g. VERSION_1). */
    uint64_t (*get_features)(DeviceState *proxy);
} VirtioTransportOps;

typedef struct VirtioBusState {
    BusState parent_obj;
    const VirtioTransportOps *ops;
    DeviceState *proxy;          /* the transport device owning the bus */
} VirtioBusState;

struct VirtQueue {
    VirtIODevice *vdev;
    uint16_t queue_index;
    uint16_t num;                /* size set by the driver (0: no queue) */
    uint16_t num_max;            /* size the device offers */
    bool enabled;                /* modern "queue_enable"/QueueReady */
    hwaddr desc, avail, used;    /* ring addresses */
    uint16_t last_avail_idx;     /* next available entry to take */
    uint16_t shadow_avail_idx;   /* avail->idx as last read */
    uint16_t used_idx;           /* next used entry to fill */
    uint16_t signalled_used;     /* used_idx at the last interrupt */
    bool signalled_used_valid;
    bool notification;           /* the device wants kicks */
    uint16_t vector;             /* MSI-X vector */
    uint32_t inuse;              /* taken, not yet returned */
    VirtIOHandleOutput handle_output;
};

struct VirtIODevice {
    DeviceState parent_obj;
    const char *name;
    uint16_t device_id;
    uint8_t status;
    uint8_t isr;
    uint16_t queue_sel;
    uint64_t host_features;      /* offered (device | transport) */
    uint64_t guest_features;     /* accepted by the driver */
    uint32_t config_len;
    uint8_t *config;
    uint16_t config_vector;
    uint32_t generation;         /* config generation (4.1.4.3) */
    bool broken;                 /* NEEDS_RESET: stop touching the rings */
    bool legacy;                 /* the driver uses a legacy interface */
    VirtQueue vq[VIRTIO_QUEUE_MAX];
    AddressSpace *dma_as;        /* set when plugged into a transport */
    MemReentrancyGuard *guard;   /* the transport's (see virtio_guard_*) */
};

typedef struct VirtioDeviceClass {
    DeviceClass parent_class;
    /* the back end's realize: virtio_init(), virtio_add_queue()... */
    bool (*realize)(VirtIODevice *vdev, Error **errp);
    void (*unrealize)(VirtIODevice *vdev);
    /* features the device offers on top of the core's */
    uint64_t (*get_features)(VirtIODevice *vdev, uint64_t features);
    /* the driver's choice (features_ok or legacy DRIVER_OK) */
    void (*set_features)(VirtIODevice *vdev, uint64_t features);
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    void (*reset)(VirtIODevice *vdev);
    void (*set_status)(VirtIODevice *vdev, uint8_t status);
    /* a single queue was reset by the driver (nothing held for it) */
    void (*queue_reset)(VirtIODevice *vdev, int n);
} VirtioDeviceClass;

DECLARE_INSTANCE_CHECKER(VirtIODevice, VIRTIO_DEVICE, TYPE_VIRTIO_DEVICE)
DECLARE_CLASS_CHECKERS(VirtioDeviceClass, VIRTIO_DEVICE, TYPE_VIRTIO_DEVICE)
DECLARE_INSTANCE_CHECKER(VirtioBusState, VIRTIO_BUS, TYPE_VIRTIO_BUS)

/* The vmstate of the core; devices put it first in their own table:
 *     VMSTATE_STRUCT(parent_obj, VirtIOBlock, vmstate_virtio_device,
 *                    VirtIODevice), */
extern const VMStateDescription vmstate_virtio_device;

/* ---- transports ---- */
VirtioBusState *virtio_bus_new(DeviceState *proxy, const char *name,
                               const VirtioTransportOps *ops);
/* The device plugged into bus, or NULL. */
VirtIODevice *virtio_bus_get_device(VirtioBusState *bus);

uint64_t virtio_host_features(VirtIODevice *vdev);
/* Driver feature bits; ignored (logged) once FEATURES_OK is set. */
void virtio_set_guest_features(VirtIODevice *vdev, uint64_t features);
/* Status write: 0 resets; FEATURES_OK is refused (not set) if the driver
 * accepted bits that were not offered or a modern driver left out
 * VERSION_1. */
void virtio_set_status(VirtIODevice *vdev, uint8_t status);
void virtio_reset(VirtIODevice *vdev);
/* Configuration space, little-endian, at offset addr (size 1, 2, 4 or 8);
 * reads beyond the device's space are 0 and writes ignored, logged. */
uint64_t virtio_config_read(VirtIODevice *vdev, uint32_t addr, unsigned size);
void virtio_config_write(VirtIODevice *vdev, uint32_t addr, uint64_t val,
                         unsigned size);
/* ISR read (clears it, lowers the line through notify on the transport). */
uint8_t virtio_isr_read_clear(VirtIODevice *vdev);

/* Queue registers; n is range-checked, nonexistent queues read 0. */
bool virtio_queue_exists(VirtIODevice *vdev, unsigned n);
uint16_t virtio_queue_get_num_max(VirtIODevice *vdev, unsigned n);
uint16_t virtio_queue_get_num(VirtIODevice *vdev, unsigned n);
/* A size the split ring cannot use (0, above the maximum, not a power
 * of two) is logged and leaves the size unchanged. */
void virtio_queue_set_num(VirtIODevice *vdev, unsigned n, uint32_t num);
void virtio_queue_set_rings(VirtIODevice *vdev, unsigned n, hwaddr desc,
                            hwaddr avail, hwaddr used);
/* Legacy interface: one page-frame number, rings laid out contiguously
 * (2.7.2 "Legacy Interfaces: A Note on Virtqueue Layout"); 0 disables. */
void virtio_queue_set_legacy_pfn(VirtIODevice *vdev, unsigned n,
                                 uint32_t pfn);
uint32_t virtio_queue_get_legacy_pfn(VirtIODevice *vdev, unsigned n);
void virtio_queue_set_enabled(VirtIODevice *vdev, unsigned n, bool enabled);
bool virtio_queue_get_enabled(VirtIODevice *vdev, unsigned n);
void virtio_queue_set_vector(VirtIODevice *vdev, unsigned n, uint16_t vector);
uint16_t virtio_queue_get_vector(VirtIODevice *vdev, unsigned n);
/* Forget one queue's state (virtio-mmio QueueReset, virtio-pci
 * queue_reset). */
void virtio_queue_reset(VirtIODevice *vdev, unsigned n);
/* A driver notification (kick) for queue n. */
void virtio_queue_notify(VirtIODevice *vdev, unsigned n);

/* ---- back ends ---- */
void virtio_init(VirtIODevice *vdev, uint16_t device_id, size_t config_size);
void virtio_cleanup(VirtIODevice *vdev);
VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned queue_size,
                            VirtIOHandleOutput handle_output);
void virtio_del_queue(VirtIODevice *vdev, unsigned n);
VirtQueue *virtio_get_queue(VirtIODevice *vdev, unsigned n);

static inline bool virtio_has_feature(uint64_t features, unsigned bit)
{
    return (features >> bit) & 1;
}
static inline bool virtio_vdev_has_feature(VirtIODevice *vdev, unsigned bit)
{
    return virtio_has_feature(vdev->guest_features, bit);
}

/* Guest error: log it, set NEEDS_RESET, stop the device until reset. */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Configuration changed: bump the generation, interrupt if DRIVER_OK. */
void virtio_notify_config(VirtIODevice *vdev);
/* Interrupt for vq if the driver wants one (flags / EVENT_IDX). */
void virtio_notify(VirtIODevice *vdev, VirtQueue *vq);
/* Unconditionally: set the queue ISR bit and signal vector. */
void virtio_notify_vector(VirtIODevice *vdev, uint16_t vector);

/* Work a back end does outside a register access (completions, timers,
 * chardev input) runs guarded against DMA into its transport's registers
 * (exec/memory.h, MemReentrancyGuard). */
bool virtio_guard_begin(VirtIODevice *vdev);
void virtio_guard_end(VirtIODevice *vdev, bool was);

/*
 * Take the next available request, or NULL (queue empty, not ready, or
 * device broken).  sz >= sizeof(VirtQueueElement): the element is the
 * start of a zeroed struct of sz bytes, freed with g_free after
 * virtqueue_push / virtqueue_detach_element.
 */
void *virtqueue_pop(VirtQueue *vq, size_t sz);
/* Return a request: len bytes were written to its in buffers. */
void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len);
/* Several returns, one used->idx update: fill(i) for i = 0.., flush(n). */
void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len, unsigned int idx);
void virtqueue_flush(VirtQueue *vq, unsigned int count);
/* Drop a request without returning it (unmaps; the driver never sees
 * it used, so only for a device being reset or broken). */
void virtqueue_detach_element(VirtQueue *vq, const VirtQueueElement *elem,
                              unsigned int len);
/* Put the last popped request back to be taken again. */
void virtqueue_unpop(VirtQueue *vq, const VirtQueueElement *elem,
                     unsigned int len);
bool virtio_queue_empty(VirtQueue *vq);
bool virtio_queue_ready(VirtQueue *vq);
/* Ask the driver (not) to kick this queue: used->flags or avail_event. */
void virtio_queue_set_notification(VirtQueue *vq, bool enable);

#endif
