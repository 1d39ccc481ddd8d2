/*
 * virtio-mmio transport, virtio 1.2 section 4.2.2 (version 2 registers).
 *
 * Regions     one 0x200-byte MMIO region (sysbus mmio 0)
 * IRQ lines   sysbus irq 0: high while InterruptStatus is non-zero
 * Properties  none; a device back end is attached by virtio_mmio_plug()
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
 * - An empty slot (no back end) reads DeviceID 0 and otherwise behaves as
 *   a device with no features and no queues; writes are accepted and
 *   ignored, so a driver probing it sees a clean "nothing here".
 * - Registers are 32-bit only (4.2.2.2); the configuration space also
 *   takes 8- and 16-bit accesses.
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
    qemu_set_irq(t->irq, t->interrupt_status != 0);
}

static uint64_t virtio_mmio_device_features(VirtioMMIOState *t)
{
    if (!t->ops) {
        return 0;
    }
    return (t->ops->get_features ? t->ops->get_features(t->backend) : 0) |
           (1ull << VIRTIO_F_VERSION_1);
}

/* The selected queue, or NULL if QueueSel is beyond the device's. */
static VirtioMMIOQueue *virtio_mmio_vq(VirtioMMIOState *t)
{
    if (!t->ops || t->queue_sel >= (uint32_t)t->ops->num_queues) {
        return NULL;
    }
    return &t->vq[t->queue_sel];
}

static void virtio_mmio_soft_reset(VirtioMMIOState *t)
{
    t->device_features_sel = 0;
    t->driver_features_sel = 0;
    t->driver_features = 0;
    t->queue_sel = 0;
    t->interrupt_status = 0;
    t->status = 0;
    t->shm_sel = 0;
    memset(t->vq, 0, sizeof(t->vq));
    if (t->ops && t->ops->reset) {
        t->ops->reset(t->backend);
    }
    virtio_mmio_update_irq(t);
}

static uint64_t virtio_mmio_read(void *opaque, hwaddr offset, unsigned size)
{
    VirtioMMIOState *t = opaque;
    VirtioMMIOQueue *vq = virtio_mmio_vq(t);

    if (offset >= R_CONFIG) {
        if (!t->ops || !t->ops->config_read) {
            return 0;
        }
        return t->ops->config_read(t->backend, offset - R_CONFIG, size);
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
        return t->ops ? t->ops->device_id : 0;
    case R_VENDOR_ID:
        return VIRTIO_MMIO_VENDOR;
    case R_DEVICE_FEATURES:
        if (t->device_features_sel > 1) {
            return 0;
        }
        return virtio_mmio_device_features(t) >>
               (32 * t->device_features_sel);
    case R_QUEUE_NUM_MAX:
        return vq ? t->ops->queue_max : 0;
    case R_QUEUE_READY:
        return vq ? vq->ready : 0;
    case R_INTERRUPT_STATUS:
        return t->interrupt_status;
    case R_STATUS:
        return t->status;
    case R_QUEUE_DESC_LOW:
        return vq ? (uint32_t)vq->desc : 0;
    case R_QUEUE_DESC_HIGH:
        return vq ? vq->desc >> 32 : 0;
    case R_QUEUE_DRIVER_LOW:
        return vq ? (uint32_t)vq->driver : 0;
    case R_QUEUE_DRIVER_HIGH:
        return vq ? vq->driver >> 32 : 0;
    case R_QUEUE_DEVICE_LOW:
        return vq ? (uint32_t)vq->device : 0;
    case R_QUEUE_DEVICE_HIGH:
        return vq ? vq->device >> 32 : 0;
    case R_SHM_LEN_LOW:
    case R_SHM_LEN_HIGH:
        return 0xffffffff;       /* no shared memory region */
    case R_SHM_BASE_LOW:
    case R_SHM_BASE_HIGH:
        return 0xffffffff;
    case R_QUEUE_RESET:
        return 0;
    case R_CONFIG_GENERATION:
        return t->config_generation;
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

static void virtio_mmio_write(void *opaque, hwaddr offset, uint64_t value,
                              unsigned size)
{
    VirtioMMIOState *t = opaque;
    VirtioMMIOQueue *vq = virtio_mmio_vq(t);
    uint32_t v = value;

    if (offset >= R_CONFIG) {
        if (t->ops && t->ops->config_write) {
            t->ops->config_write(t->backend, offset - R_CONFIG, v, size);
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
        break;
    case R_DRIVER_FEATURES:
        if (t->driver_features_sel <= 1) {
            int shift = 32 * t->driver_features_sel;

            t->driver_features &= ~(0xffffffffull << shift);
            t->driver_features |= (uint64_t)v << shift;
        }
        break;
    case R_DRIVER_FEATURES_SEL:
        t->driver_features_sel = v;
        break;
    case R_QUEUE_SEL:
        t->queue_sel = v;
        break;
    case R_QUEUE_NUM:
        if (vq) {
            if (v == 0 || v > t->ops->queue_max || (v & (v - 1))) {
                tlog_mask(LOG_GUEST_ERROR, "virtio-mmio: QueueNum %u "
                          "(maximum %u)\n", v, t->ops->queue_max);
            }
            vq->num = MIN(v, t->ops->queue_max);
        }
        break;
    case R_QUEUE_READY:
        if (vq) {
            vq->ready = v & 1;
        }
        break;
    case R_QUEUE_NOTIFY:
        if (t->ops && t->ops->queue_notify &&
            v < (uint32_t)t->ops->num_queues) {
            t->ops->queue_notify(t->backend, v);
        }
        break;
    case R_INTERRUPT_ACK:
        t->interrupt_status &= ~v;
        virtio_mmio_update_irq(t);
        break;
    case R_STATUS:
        if (v == 0) {
            virtio_mmio_soft_reset(t);
            break;
        }
        /* FEATURES_OK is kept only if we offer everything the driver took */
        if ((v & 8) && !(t->status & 8) &&
            (t->driver_features & ~virtio_mmio_device_features(t))) {
            v &= ~8;
        }
        if ((v & 8) && !(t->status & 8) && t->ops && t->ops->set_features) {
            t->ops->set_features(t->backend, t->driver_features);
        }
        t->status = v & 0xff;
        if (t->ops && t->ops->set_status) {
            t->ops->set_status(t->backend, t->status);
        }
        break;
    case R_QUEUE_DESC_LOW:
        if (vq) {
            vq->desc = (vq->desc & ~0xffffffffull) | v;
        }
        break;
    case R_QUEUE_DESC_HIGH:
        if (vq) {
            vq->desc = (vq->desc & 0xffffffffull) | ((uint64_t)v << 32);
        }
        break;
    case R_QUEUE_DRIVER_LOW:
        if (vq) {
            vq->driver = (vq->driver & ~0xffffffffull) | v;
        }
        break;
    case R_QUEUE_DRIVER_HIGH:
        if (vq) {
            vq->driver = (vq->driver & 0xffffffffull) | ((uint64_t)v << 32);
        }
        break;
    case R_QUEUE_DEVICE_LOW:
        if (vq) {
            vq->device = (vq->device & ~0xffffffffull) | v;
        }
        break;
    case R_QUEUE_DEVICE_HIGH:
        if (vq) {
            vq->device = (vq->device & 0xffffffffull) | ((uint64_t)v << 32);
        }
        break;
    case R_SHM_SEL:
        t->shm_sel = v;
        break;
    case R_QUEUE_RESET:
        if (vq && v == 1) {
            memset(vq, 0, sizeof(*vq));
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

void virtio_mmio_plug(VirtioMMIOState *t, const VirtioBackendOps *ops,
                      void *backend)
{
    assert(!t->ops && ops->num_queues <= VIRTIO_MMIO_MAX_QUEUES);
    t->ops = ops;
    t->backend = backend;
}

void virtio_mmio_notify_vring(VirtioMMIOState *t)
{
    t->interrupt_status |= VIRTIO_MMIO_INT_VRING;
    virtio_mmio_update_irq(t);
}

void virtio_mmio_notify_config(VirtioMMIOState *t)
{
    t->config_generation++;
    t->interrupt_status |= VIRTIO_MMIO_INT_CONFIG;
    virtio_mmio_update_irq(t);
}

static void virtio_mmio_init(Object *obj)
{
    VirtioMMIOState *t = VIRTIO_MMIO(obj);

    memory_region_init_io(&t->iomem, obj, &virtio_mmio_ops, t, "virtio-mmio",
                          VIRTIO_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &t->iomem);
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &t->irq);
}

static void virtio_mmio_reset(DeviceState *dev)
{
    virtio_mmio_soft_reset(VIRTIO_MMIO(dev));
}

static const VMStateDescription vmstate_virtio_mmio_queue = {
    .name = "virtio-mmio-queue",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(num, VirtioMMIOQueue),
        VMSTATE_UINT32(ready, VirtioMMIOQueue),
        VMSTATE_UINT64(desc, VirtioMMIOQueue),
        VMSTATE_UINT64(driver, VirtioMMIOQueue),
        VMSTATE_UINT64(device, VirtioMMIOQueue),
        VMSTATE_END_OF_LIST()
    },
};

static int virtio_mmio_post_load(void *opaque, int version_id)
{
    virtio_mmio_update_irq(opaque);
    return 0;
}

static const VMStateDescription vmstate_virtio_mmio = {
    .name = "virtio-mmio",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = virtio_mmio_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(device_features_sel, VirtioMMIOState),
        VMSTATE_UINT32(driver_features_sel, VirtioMMIOState),
        VMSTATE_UINT64(driver_features, VirtioMMIOState),
        VMSTATE_UINT32(queue_sel, VirtioMMIOState),
        VMSTATE_UINT32(interrupt_status, VirtioMMIOState),
        VMSTATE_UINT32(status, VirtioMMIOState),
        VMSTATE_UINT32(config_generation, VirtioMMIOState),
        VMSTATE_UINT32(shm_sel, VirtioMMIOState),
        VMSTATE_STRUCT_ARRAY(vq, VirtioMMIOState, VIRTIO_MMIO_MAX_QUEUES,
                             vmstate_virtio_mmio_queue, VirtioMMIOQueue),
        VMSTATE_END_OF_LIST()
    },
};

static void virtio_mmio_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "virtio-mmio transport";
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
