/*
 * virtio-mmio transport, virtio 1.2 section 4.2.2 (version 2 registers).
 *
 * Regions     one 0x200-byte MMIO region (sysbus mmio 0)
 * IRQ lines   sysbus irq 0: high while InterruptStatus (the device's ISR)
 *             is non-zero
 * Bus         "virtio-mmio-bus.N" (N: the transport's instance), one
 *             virtio device; -device virtio-*-device picks the first free
 *             transport
 * Properties  none
 *
 * Registers: MagicValue 0x000, Version 0x004 (2), DeviceID 0x008,
 * VendorID 0x00c, DeviceFeatures 0x010, DeviceFeaturesSel 0x014,
 * DriverFeatures 0x020, DriverFeaturesSel 0x024, QueueSel 0x030,
 * QueueNumMax 0x034, QueueNum 0x038, QueueReady 0x044, QueueNotify 0x050,
 * InterruptStatus 0x060, InterruptACK 0x064, Status 0x070, QueueDesc
 * 0x080/0x084, QueueDriver 0x090/0x094, QueueDevice 0x0a0/0x0a4, SHMSel
 * 0x0ac, SHMLen 0x0b0/0x0b4, SHMBase 0x0b8/0x0bc, QueueReset 0x0c0,
 * ConfigGeneration 0x0fc, device configuration from 0x100.
 *
 * Model choices:
 * - Only the modern interface (version 2): Linux and firmware support it;
 *   the legacy version 1 layout is not offered.
 * - An empty slot reads DeviceID 0 and otherwise behaves as a device with
 *   no features and no queues; writes are accepted and ignored.
 * - Registers are 32-bit only (4.2.2.2, other sizes logged and ignored);
 *   the configuration space takes 8-, 16- and 32-bit accesses.
 * - Queue registers write straight into the core's queue state; the
 *   driver programs them before setting QueueReady (4.2.3.2).
 * - There is no shared memory region: SHMLen reads all ones (absent).
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/virtio/virtio-mmio.h"
#include "migration/vmstate.h"

enum {
    R_MAGIC = 0x000, R_VERSION = 0x004, R_DEVICE_ID = 0x008,
    R_VENDOR_ID = 0x00c, R_DEVICE_FEATURES = 0x010,
    R_DEVICE_FEATURES_SEL = 0x014, R_DRIVER_FEATURES = 0x020,
    R_DRIVER_FEATURES_SEL = 0x024, R_QUEUE_SEL = 0x030,
    R_QUEUE_NUM_MAX = 0x034, R_QUEUE_NUM = 0x038, R_QUEUE_READY = 0x044,
    R_QUEUE_NOTIFY = 0x050, R_INTERRUPT_STATUS = 0x060,
    R_INTERRUPT_ACK = 0x064, R_STATUS = 0x070, R_QUEUE_DESC_LOW = 0x080,
    R_QUEUE_DESC_HIGH = 0x084, R_QUEUE_DRIVER_LOW = 0x090,
    R_QUEUE_DRIVER_HIGH = 0x094, R_QUEUE_DEVICE_LOW = 0x0a0,
    R_QUEUE_DEVICE_HIGH = 0x0a4, R_SHM_SEL = 0x0ac, R_SHM_LEN_LOW = 0x0b0,
    R_SHM_LEN_HIGH = 0x0b4, R_SHM_BASE_LOW = 0x0b8, R_SHM_BASE_HIGH = 0x0bc,
    R_QUEUE_RESET = 0x0c0, R_CONFIG_GENERATION = 0x0fc, R_CONFIG = 0x100,
};

static void virtio_mmio_update_irq(VirtioMMIOState *t)
{
    qemu_set_irq(t->irq, t->vdev && t->vdev->isr != 0);
}

/* The selected queue of the plugged device, or NULL. */
static VirtQueue *virtio_mmio_vq(VirtioMMIOState *t)
{
    return t->vdev ? virtio_get_queue(t->vdev, t->vdev->queue_sel) : NULL;
}

static uint32_t lo32(uint64_t v)
{
    return v;
}

static uint32_t hi32(uint64_t v)
{
    return v >> 32;
}

static void set_lo32(uint64_t *v, uint32_t x)
{
    *v = (*v & ~0xffffffffull) | x;
}

static void set_hi32(uint64_t *v, uint32_t x)
{
    *v = (*v & 0xffffffffull) | ((uint64_t)x << 32);
}

static uint64_t virtio_mmio_read(void *opaque, hwaddr offset, unsigned size)
{
    VirtioMMIOState *t = opaque;
    VirtIODevice *vdev = t->vdev;
    VirtQueue *vq = virtio_mmio_vq(t);

    if (offset >= R_CONFIG) {
        return vdev ? virtio_config_read(vdev, offset - R_CONFIG, size) : 0;
    }
    if (size != 4) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-mmio: %u-byte read of register "
                  "0x%x\n", size, (unsigned)offset);
        return 0;
    }
    switch (offset) {
    case R_MAGIC:
        return VIRTIO_MMIO_MAGIC;
    case R_VERSION:
        return 2;
    case R_DEVICE_ID:
        return vdev ? vdev->device_id : 0;
    case R_VENDOR_ID:
        return VIRTIO_MMIO_VENDOR;
    case R_DEVICE_FEATURES:
        if (!vdev || t->device_features_sel > 1) {
            return 0;
        }
        return virtio_host_features(vdev) >> (32 * t->device_features_sel);
    case R_QUEUE_NUM_MAX:
        return vq ? vq->num_max : 0;
    case R_QUEUE_READY:
        return vq ? vq->enabled : 0;
    case R_INTERRUPT_STATUS:
        return vdev ? vdev->isr : 0;
    case R_STATUS:
        return vdev ? vdev->status : 0;
    case R_QUEUE_DESC_LOW:
        return vq ? lo32(vq->desc) : 0;
    case R_QUEUE_DESC_HIGH:
        return vq ? hi32(vq->desc) : 0;
    case R_QUEUE_DRIVER_LOW:
        return vq ? lo32(vq->avail) : 0;
    case R_QUEUE_DRIVER_HIGH:
        return vq ? hi32(vq->avail) : 0;
    case R_QUEUE_DEVICE_LOW:
        return vq ? lo32(vq->used) : 0;
    case R_QUEUE_DEVICE_HIGH:
        return vq ? hi32(vq->used) : 0;
    case R_SHM_LEN_LOW:
    case R_SHM_LEN_HIGH:
    case R_SHM_BASE_LOW:
    case R_SHM_BASE_HIGH:
        return 0xffffffff;       /* no shared memory region */
    case R_QUEUE_RESET:
        return 0;                /* a reset completes at once */
    case R_CONFIG_GENERATION:
        return vdev ? vdev->generation : 0;
    case R_DEVICE_FEATURES_SEL:
    case R_DRIVER_FEATURES:
    case R_DRIVER_FEATURES_SEL:
    case R_QUEUE_SEL:
    case R_QUEUE_NUM:
    case R_QUEUE_NOTIFY:
    case R_INTERRUPT_ACK:
    case R_SHM_SEL:
        tlog_mask(LOG_GUEST_ERROR, "virtio-mmio: read of write-only "
                  "register 0x%x\n", (unsigned)offset);
        return 0;
    default:
        tlog_mask(LOG_GUEST_ERROR, "virtio-mmio: read of bad offset 0x%x\n",
                  (unsigned)offset);
        return 0;
    }
}

/* Queue registers only change while the queue is off (4.2.3.2). */
static bool virtio_mmio_queue_writable(VirtQueue *vq, hwaddr offset)
{
    if (vq->enabled) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-mmio: write to queue register "
                  "0x%x while queue %u is ready: ignored\n",
                  (unsigned)offset, vq->queue_index);
        return false;
    }
    return true;
}

static void virtio_mmio_write(void *opaque, hwaddr offset, uint64_t value,
                              unsigned size)
{
    VirtioMMIOState *t = opaque;
    VirtIODevice *vdev = t->vdev;
    VirtQueue *vq = virtio_mmio_vq(t);
    uint32_t v = value;

    if (offset >= R_CONFIG) {
        if (vdev) {
            virtio_config_write(vdev, offset - R_CONFIG, value, size);
        }
        return;
    }
    if (size != 4) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-mmio: %u-byte write of register "
                  "0x%x\n", size, (unsigned)offset);
        return;
    }
    switch (offset) {
    case R_DEVICE_FEATURES_SEL:
        t->device_features_sel = v;
        return;
    case R_DRIVER_FEATURES_SEL:
        t->driver_features_sel = v;
        return;
    case R_SHM_SEL:
        t->shm_sel = v;
        return;
    case R_DRIVER_FEATURES:
        if (t->driver_features_sel == 0) {
            set_lo32(&t->driver_features, v);
        } else if (t->driver_features_sel == 1) {
            set_hi32(&t->driver_features, v);
        } else if (v) {
            tlog_mask(LOG_GUEST_ERROR, "virtio-mmio: driver features word "
                      "%u: no such features\n", t->driver_features_sel);
        }
        if (vdev) {
            virtio_set_guest_features(vdev, t->driver_features);
        }
        return;
    }
    if (!vdev) {
        return;                  /* empty slot: writes go nowhere */
    }
    switch (offset) {
    case R_QUEUE_SEL:
        vdev->queue_sel = v;
        break;
    case R_QUEUE_NUM:
        if (vq && virtio_mmio_queue_writable(vq, offset)) {
            virtio_queue_set_num(vdev, vdev->queue_sel, v);
        }
        break;
    case R_QUEUE_READY:
        if (vq) {
            virtio_queue_set_enabled(vdev, vdev->queue_sel, v & 1);
        }
        break;
    case R_QUEUE_NOTIFY:
        virtio_queue_notify(vdev, v & 0xffff);
        break;
    case R_INTERRUPT_ACK:
        vdev->isr &= ~v;
        virtio_mmio_update_irq(t);
        break;
    case R_STATUS:
        virtio_set_status(vdev, v & 0xff);
        if (v == 0) {
            t->driver_features = 0;
            t->device_features_sel = t->driver_features_sel = 0;
        }
        virtio_mmio_update_irq(t);
        break;
    case R_QUEUE_DESC_LOW:
    case R_QUEUE_DESC_HIGH:
    case R_QUEUE_DRIVER_LOW:
    case R_QUEUE_DRIVER_HIGH:
    case R_QUEUE_DEVICE_LOW:
    case R_QUEUE_DEVICE_HIGH:
        if (vq && virtio_mmio_queue_writable(vq, offset)) {
            uint64_t *ring = offset < R_QUEUE_DRIVER_LOW ? &vq->desc :
                             offset < R_QUEUE_DEVICE_LOW ? &vq->avail :
                             &vq->used;

            if (offset & 4) {
                set_hi32(ring, v);
            } else {
                set_lo32(ring, v);
            }
        }
        break;
    case R_QUEUE_RESET:
        if (vq && v == 1) {
            virtio_queue_reset(vdev, vdev->queue_sel);
        }
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "virtio-mmio: write to read-only or bad "
                  "offset 0x%x\n", (unsigned)offset);
        break;
    }
}

static const MemoryRegionOps virtio_mmio_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- the transport's side of the core ---- */

static void virtio_mmio_notify(DeviceState *proxy, uint16_t vector)
{
    virtio_mmio_update_irq(VIRTIO_MMIO(proxy));
}

static bool virtio_mmio_device_plugged(DeviceState *proxy, VirtIODevice *vdev,
                                       Error **errp)
{
    VIRTIO_MMIO(proxy)->vdev = vdev;
    return true;
}

static void virtio_mmio_device_unplugged(DeviceState *proxy,
                                         VirtIODevice *vdev)
{
    VirtioMMIOState *t = VIRTIO_MMIO(proxy);

    t->vdev = NULL;
    virtio_mmio_update_irq(t);
}

static uint64_t virtio_mmio_get_features(DeviceState *proxy)
{
    return 1ull << VIRTIO_F_VERSION_1;
}

static const VirtioTransportOps virtio_mmio_transport = {
    .notify = virtio_mmio_notify,
    .device_plugged = virtio_mmio_device_plugged,
    .device_unplugged = virtio_mmio_device_unplugged,
    .get_features = virtio_mmio_get_features,
};

static void virtio_mmio_init(Object *obj)
{
    VirtioMMIOState *t = VIRTIO_MMIO(obj);

    memory_region_init_io(&t->iomem, obj, &virtio_mmio_ops, t, "virtio-mmio",
                          VIRTIO_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &t->iomem);
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &t->irq);
}

static bool virtio_mmio_realize(DeviceState *dev, Error **errp)
{
    VirtioMMIOState *t = VIRTIO_MMIO(dev);
    g_autofree char *name = g_strdup_printf("virtio-mmio-bus.%d",
                                            dev->instance_id);

    t->bus = virtio_bus_new(dev, name, &virtio_mmio_transport);
    return true;
}

static void virtio_mmio_reset(DeviceState *dev)
{
    VirtioMMIOState *t = VIRTIO_MMIO(dev);

    t->device_features_sel = 0;
    t->driver_features_sel = 0;
    t->driver_features = 0;
    t->shm_sel = 0;
    /* the device itself is reset as a child of our bus */
    virtio_mmio_update_irq(t);
}

static int virtio_mmio_post_load(void *opaque, int version_id)
{
    virtio_mmio_update_irq(opaque);
    return 0;
}

static const VMStateDescription vmstate_virtio_mmio = {
    .name = "virtio-mmio",
    .version_id = 2,
    .minimum_version_id = 2,
    .post_load = virtio_mmio_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(device_features_sel, VirtioMMIOState),
        VMSTATE_UINT32(driver_features_sel, VirtioMMIOState),
        VMSTATE_UINT64(driver_features, VirtioMMIOState),
        VMSTATE_UINT32(shm_sel, VirtioMMIOState),
        VMSTATE_END_OF_LIST()
    },
};

static void virtio_mmio_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "virtio-mmio transport";
    dc->realize = virtio_mmio_realize;
    dc->reset = virtio_mmio_reset;
    dc->vmsd = &vmstate_virtio_mmio;
    dc->user_creatable = true;
}

static const TypeInfo virtio_mmio_info = {
    .name = TYPE_VIRTIO_MMIO,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(VirtioMMIOState),
    .instance_init = virtio_mmio_init,
    .class_init = virtio_mmio_class_init,
};
TYPE_REGISTER(virtio_mmio_info)
