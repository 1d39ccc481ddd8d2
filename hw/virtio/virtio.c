/*
 * The virtio core, device side: the "virtio-device" and "virtio-bus"
 * types, feature negotiation (virtio 1.2, 3.1), device status, the
 * configuration space, interrupts, queue registers and vmstate.  The rings
 * themselves are in hw/virtio/virtqueue.c.  See include/hw/virtio/virtio.h.
 *
 * Model choices:
 * - The core offers INDIRECT_DESC and EVENT_IDX to every device, the
 *   transport adds VERSION_1 (and what else it supports).  A modern driver
 *   must accept VERSION_1: FEATURES_OK without it is refused, as is any bit
 *   that was not offered (3.1.1: the device does not set FEATURES_OK).
 * - NEEDS_RESET (2.1.2): a broken device stops using its rings until the
 *   driver writes status 0; the driver is told with a configuration
 *   interrupt if it had set DRIVER_OK.  Legacy drivers have no such bit:
 *   they just see the device stop.
 * - Queue sizes must be powers of two (split rings, 2.7): other values are
 *   logged and ignored.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/virtio/virtio.h"
#include "migration/vmstate.h"

/* Features every device gets from the core (its rings support them). */
#define VIRTIO_CORE_FEATURES ((1ull << VIRTIO_RING_F_INDIRECT_DESC) | \
                              (1ull << VIRTIO_RING_F_EVENT_IDX))

/* ---- bus ---- */

static bool virtio_bus_check_address(BusState *bus, DeviceState *dev,
                                     Error **errp)
{
    if (virtio_bus_get_device(VIRTIO_BUS(bus))) {
        error_setg(errp, "virtio bus '%s' already holds a device", bus->name);
        return false;
    }
    return true;
}

static void virtio_bus_class_init(ObjectClass *oc, void *data)
{
    BusClass *bc = BUS_CLASS(oc);

    bc->check_address = virtio_bus_check_address;
    bc->max_dev = 1;
}

VirtioBusState *virtio_bus_new(DeviceState *proxy, const char *name,
                               const VirtioTransportOps *ops)
{
    VirtioBusState *bus = VIRTIO_BUS(qbus_new(TYPE_VIRTIO_BUS, proxy, name));

    bus->ops = ops;
    bus->proxy = proxy;
    return bus;
}

VirtIODevice *virtio_bus_get_device(VirtioBusState *bus)
{
    GList *first = bus->parent_obj.children.head;

    return first ? VIRTIO_DEVICE(first->data) : NULL;
}

static VirtioBusState *virtio_device_bus(VirtIODevice *vdev)
{
    return VIRTIO_BUS(DEVICE(vdev)->parent_bus);
}

/* ---- errors, interrupts, guard ---- */

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    tlog_mask(LOG_GUEST_ERROR, "%s: %s: device needs a reset\n",
              vdev->name, msg);
    if (vdev->broken) {
        return;
    }
    vdev->broken = true;
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
        virtio_notify_config(vdev);
    }
}

static void virtio_raise(VirtIODevice *vdev, uint16_t vector)
{
    VirtioBusState *bus = virtio_device_bus(vdev);

    if (bus->ops && bus->ops->notify) {
        bus->ops->notify(bus->proxy, vector);
    }
}

void virtio_notify_config(VirtIODevice *vdev)
{
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_CONFIG;
    vdev->generation++;
    virtio_raise(vdev, vdev->config_vector);
}

void virtio_notify_vector(VirtIODevice *vdev, uint16_t vector)
{
    vdev->isr |= VIRTIO_ISR_QUEUE;
    virtio_raise(vdev, vector);
}

uint8_t virtio_isr_read_clear(VirtIODevice *vdev)
{
    uint8_t isr = vdev->isr;

    vdev->isr = 0;
    return isr;
}

bool virtio_guard_begin(VirtIODevice *vdev)
{
    return vdev->guard ? memory_reentrancy_guard_begin(vdev->guard) : false;
}

void virtio_guard_end(VirtIODevice *vdev, bool was)
{
    if (vdev->guard) {
        memory_reentrancy_guard_end(vdev->guard, was);
    }
}

/* ---- features and status ---- */

uint64_t virtio_host_features(VirtIODevice *vdev)
{
    return vdev->host_features;
}

void virtio_set_guest_features(VirtIODevice *vdev, uint64_t features)
{
    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        tlog_mask(LOG_GUEST_ERROR, "%s: driver features written after "
                  "FEATURES_OK: ignored\n", vdev->name);
        return;
    }
    vdev->guest_features = features;
}

/* Apply the driver's features; false if they cannot be accepted. */
static bool virtio_features_ok(VirtIODevice *vdev)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    uint64_t bad = vdev->guest_features & ~vdev->host_features;

    if (bad) {
        tlog_mask(LOG_GUEST_ERROR, "%s: driver accepted features 0x%" PRIx64
                  " that were not offered: FEATURES_OK refused\n",
                  vdev->name, bad);
        return false;
    }
    if (!virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1) &&
        virtio_has_feature(vdev->host_features, VIRTIO_F_VERSION_1) &&
        !vdev->legacy) {
        tlog_mask(LOG_GUEST_ERROR, "%s: modern driver without VERSION_1: "
                  "FEATURES_OK refused\n", vdev->name);
        return false;
    }
    if (vdc->set_features) {
        vdc->set_features(vdev, vdev->guest_features);
    }
    return true;
}

void virtio_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    uint8_t old = vdev->status;

    if (status == 0) {
        virtio_reset(vdev);
        return;
    }
    if ((status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !(old & VIRTIO_CONFIG_S_FEATURES_OK) && !virtio_features_ok(vdev)) {
        status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
    }
    /* legacy drivers have no FEATURES_OK: their features take effect at
     * DRIVER_OK (and whenever written, see the transports) */
    if (vdev->legacy && (status & VIRTIO_CONFIG_S_DRIVER_OK) &&
        !(old & VIRTIO_CONFIG_S_DRIVER_OK) && vdc->set_features) {
        vdc->set_features(vdev, vdev->guest_features);
    }
    /* NEEDS_RESET is the device's: the driver cannot set or clear it */
    status = (status & ~VIRTIO_CONFIG_S_NEEDS_RESET) |
             (old & VIRTIO_CONFIG_S_NEEDS_RESET);
    vdev->status = status;
    if (vdc->set_status) {
        vdc->set_status(vdev, status);
    }
}

void virtio_reset(VirtIODevice *vdev)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (vdc->set_status && vdev->status) {
        vdc->set_status(vdev, 0);
    }
    if (vdc->reset) {
        vdc->reset(vdev);
    }
    vdev->status = 0;
    vdev->isr = 0;
    vdev->queue_sel = 0;
    vdev->guest_features = 0;
    vdev->config_vector = VIRTIO_NO_VECTOR;
    vdev->broken = false;
    vdev->legacy = false;
    for (unsigned n = 0; n < VIRTIO_QUEUE_MAX; n++) {
        virtio_queue_reset(vdev, n);
    }
}

/* ---- configuration space ---- */

uint64_t virtio_config_read(VirtIODevice *vdev, uint32_t addr, unsigned size)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (size > 8 || addr > vdev->config_len ||
        size > vdev->config_len - addr) {
        tlog_mask(LOG_GUEST_ERROR, "%s: %u-byte config read at 0x%x beyond "
                  "its %u bytes\n", vdev->name, size, addr, vdev->config_len);
        return 0;
    }
    if (vdc->get_config) {
        vdc->get_config(vdev, vdev->config);
    }
    return ldn_le_p(vdev->config + addr, size);
}

void virtio_config_write(VirtIODevice *vdev, uint32_t addr, uint64_t val,
                         unsigned size)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (size > 8 || addr > vdev->config_len ||
        size > vdev->config_len - addr) {
        tlog_mask(LOG_GUEST_ERROR, "%s: %u-byte config write at 0x%x beyond "
                  "its %u bytes\n", vdev->name, size, addr, vdev->config_len);
        return;
    }
    if (vdc->get_config) {
        vdc->get_config(vdev, vdev->config);
    }
    stn_le_p(vdev->config + addr, size, val);
    if (vdc->set_config) {
        vdc->set_config(vdev, vdev->config);
    }
}

/* ---- queue registers ---- */

bool virtio_queue_exists(VirtIODevice *vdev, unsigned n)
{
    return n < VIRTIO_QUEUE_MAX && vdev->vq[n].num_max;
}

VirtQueue *virtio_get_queue(VirtIODevice *vdev, unsigned n)
{
    return virtio_queue_exists(vdev, n) ? &vdev->vq[n] : NULL;
}

uint16_t virtio_queue_get_num_max(VirtIODevice *vdev, unsigned n)
{
    return virtio_queue_exists(vdev, n) ? vdev->vq[n].num_max : 0;
}

uint16_t virtio_queue_get_num(VirtIODevice *vdev, unsigned n)
{
    return virtio_queue_exists(vdev, n) ? vdev->vq[n].num : 0;
}

void virtio_queue_set_num(VirtIODevice *vdev, unsigned n, uint32_t num)
{
    VirtQueue *vq = virtio_get_queue(vdev, n);

    if (!vq) {
        return;
    }
    if (num == 0 || num > vq->num_max || (num & (num - 1))) {
        tlog_mask(LOG_GUEST_ERROR, "%s: queue %u size %u refused (a power "
                  "of two up to %u)\n", vdev->name, n, num, vq->num_max);
        return;
    }
    vq->num = num;
}

void virtio_queue_set_rings(VirtIODevice *vdev, unsigned n, hwaddr desc,
                            hwaddr avail, hwaddr used)
{
    VirtQueue *vq = virtio_get_queue(vdev, n);

    if (vq) {
        vq->desc = desc;
        vq->avail = avail;
        vq->used = used;
    }
}

void virtio_queue_set_legacy_pfn(VirtIODevice *vdev, unsigned n, uint32_t pfn)
{
    VirtQueue *vq = virtio_get_queue(vdev, n);
    hwaddr desc, avail, used;

    if (!vq) {
        return;
    }
    if (!pfn) {
        virtio_queue_reset(vdev, n);
        return;
    }
    /* legacy drivers cannot choose the size: the rings are laid out for
     * the maximum (2.7.2), the used ring on the next 4 KiB boundary */
    vq->num = vq->num_max;
    desc = (hwaddr)pfn << 12;
    avail = desc + (hwaddr)vq->num * VRING_DESC_SIZE;
    used = ROUND_UP(avail + 6 + 2 * (hwaddr)vq->num, VRING_LEGACY_ALIGN);
    virtio_queue_set_rings(vdev, n, desc, avail, used);
    vq->enabled = true;
}

uint32_t virtio_queue_get_legacy_pfn(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_get_queue(vdev, n);

    return vq && vq->enabled ? vq->desc >> 12 : 0;
}

void virtio_queue_set_enabled(VirtIODevice *vdev, unsigned n, bool enabled)
{
    VirtQueue *vq = virtio_get_queue(vdev, n);

    if (vq) {
        vq->enabled = enabled;
    }
}

bool virtio_queue_get_enabled(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_get_queue(vdev, n);

    return vq && vq->enabled;
}

void virtio_queue_set_vector(VirtIODevice *vdev, unsigned n, uint16_t vector)
{
    VirtQueue *vq = virtio_get_queue(vdev, n);

    if (vq) {
        vq->vector = vector;
    }
}

uint16_t virtio_queue_get_vector(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_get_queue(vdev, n);

    return vq ? vq->vector : VIRTIO_NO_VECTOR;
}

void virtio_queue_reset(VirtIODevice *vdev, unsigned n)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    VirtQueue *vq = virtio_get_queue(vdev, n);

    if (!vq) {
        return;
    }
    if (vdc->queue_reset) {
        vdc->queue_reset(vdev, n);
    }
    vq->num = vq->num_max;
    vq->enabled = false;
    vq->desc = vq->avail = vq->used = 0;
    vq->last_avail_idx = vq->shadow_avail_idx = vq->used_idx = 0;
    vq->signalled_used = 0;
    vq->signalled_used_valid = false;
    vq->notification = true;
    vq->vector = VIRTIO_NO_VECTOR;
    vq->inuse = 0;
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = virtio_get_queue(vdev, n);

    if (!vq) {
        tlog_mask(LOG_GUEST_ERROR, "%s: notify of queue %u, which does not "
                  "exist\n", vdev->name, n);
        return;
    }
    if (vdev->broken || !vq->enabled || !vq->handle_output) {
        return;
    }
    vq->handle_output(vdev, vq);
}

/* ---- back ends ---- */

void virtio_init(VirtIODevice *vdev, uint16_t device_id, size_t config_size)
{
    vdev->device_id = device_id;
    vdev->name = object_get_typename(OBJECT(vdev));
    vdev->config_len = config_size;
    vdev->config = config_size ? g_malloc0(config_size) : NULL;
    vdev->config_vector = VIRTIO_NO_VECTOR;
    for (unsigned n = 0; n < VIRTIO_QUEUE_MAX; n++) {
        vdev->vq[n] = (VirtQueue) {
            .vdev = vdev, .queue_index = n, .vector = VIRTIO_NO_VECTOR,
            .notification = true,
        };
    }
}

void virtio_cleanup(VirtIODevice *vdev)
{
    g_free(vdev->config);
    vdev->config = NULL;
}

VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned queue_size,
                            VirtIOHandleOutput handle_output)
{
    for (unsigned n = 0; n < VIRTIO_QUEUE_MAX; n++) {
        VirtQueue *vq = &vdev->vq[n];

        if (!vq->num_max) {
            g_assert(queue_size && queue_size <= VIRTQUEUE_MAX_SIZE &&
                     !(queue_size & (queue_size - 1)));
            vq->num_max = vq->num = queue_size;
            vq->handle_output = handle_output;
            return vq;
        }
    }
    g_assert_not_reached();
}

void virtio_del_queue(VirtIODevice *vdev, unsigned n)
{
    if (virtio_queue_exists(vdev, n)) {
        vdev->vq[n].num_max = vdev->vq[n].num = 0;
        vdev->vq[n].handle_output = NULL;
    }
}

/* ---- the device type ---- */

static bool virtio_device_realize(DeviceState *dev, Error **errp)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    VirtioBusState *bus = virtio_device_bus(vdev);
    uint64_t features = VIRTIO_CORE_FEATURES;

    if (vdc->realize && !vdc->realize(vdev, errp)) {
        return false;
    }
    vdev->guard = &bus->proxy->mem_reentrancy_guard;
    vdev->dma_as = bus->ops && bus->ops->get_dma_as ?
                   bus->ops->get_dma_as(bus->proxy) : &address_space_memory;
    if (bus->ops && bus->ops->get_features) {
        features |= bus->ops->get_features(bus->proxy);
    }
    vdev->host_features = vdc->get_features ?
                          vdc->get_features(vdev, features) : features;
    if (bus->ops && bus->ops->device_plugged &&
        !bus->ops->device_plugged(bus->proxy, vdev, errp)) {
        if (vdc->unrealize) {
            vdc->unrealize(vdev);
        }
        return false;
    }
    virtio_reset(vdev);
    return true;
}

static void virtio_device_unrealize(DeviceState *dev)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    VirtioBusState *bus = virtio_device_bus(vdev);

    if (bus->ops && bus->ops->device_unplugged) {
        bus->ops->device_unplugged(bus->proxy, vdev);
    }
    if (vdc->unrealize) {
        vdc->unrealize(vdev);
    }
}

static void virtio_device_reset(DeviceState *dev)
{
    virtio_reset(VIRTIO_DEVICE(dev));
}

static const VMStateDescription vmstate_virtqueue = {
    .name = "virtqueue",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT16(num, VirtQueue),
        VMSTATE_BOOL(enabled, VirtQueue),
        VMSTATE_UINT64(desc, VirtQueue),
        VMSTATE_UINT64(avail, VirtQueue),
        VMSTATE_UINT64(used, VirtQueue),
        VMSTATE_UINT16(last_avail_idx, VirtQueue),
        VMSTATE_UINT16(used_idx, VirtQueue),
        VMSTATE_UINT16(signalled_used, VirtQueue),
        VMSTATE_BOOL(signalled_used_valid, VirtQueue),
        VMSTATE_BOOL(notification, VirtQueue),
        VMSTATE_UINT16(vector, VirtQueue),
        VMSTATE_END_OF_LIST()
    },
};

/* Nothing from the stream is trusted: sizes and vectors are re-checked. */
static int virtio_device_post_load(void *opaque, int version_id)
{
    VirtIODevice *vdev = opaque;

    if (vdev->guest_features & ~vdev->host_features) {
        return -EINVAL;
    }
    for (unsigned n = 0; n < VIRTIO_QUEUE_MAX; n++) {
        VirtQueue *vq = &vdev->vq[n];

        if (!vq->num_max) {
            if (vq->num || vq->enabled) {
                return -EINVAL;
            }
            continue;
        }
        if (!vq->num || vq->num > vq->num_max || (vq->num & (vq->num - 1))) {
            return -EINVAL;
        }
        /* requests in flight were completed before saving */
        vq->inuse = 0;
        vq->shadow_avail_idx = vq->last_avail_idx;
    }
    return 0;
}

const VMStateDescription vmstate_virtio_device = {
    .name = "virtio-device",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = virtio_device_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(status, VirtIODevice),
        VMSTATE_UINT8(isr, VirtIODevice),
        VMSTATE_UINT16(queue_sel, VirtIODevice),
        VMSTATE_UINT64(guest_features, VirtIODevice),
        VMSTATE_UINT16(config_vector, VirtIODevice),
        VMSTATE_UINT32(generation, VirtIODevice),
        VMSTATE_BOOL(broken, VirtIODevice),
        VMSTATE_BOOL(legacy, VirtIODevice),
        VMSTATE_STRUCT_ARRAY(vq, VirtIODevice, VIRTIO_QUEUE_MAX,
                             vmstate_virtqueue, VirtQueue),
        VMSTATE_END_OF_LIST()
    },
};

static void virtio_device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->bus_type = TYPE_VIRTIO_BUS;
    dc->realize = virtio_device_realize;
    dc->unrealize = virtio_device_unrealize;
    dc->reset = virtio_device_reset;
}

static void virtio_device_finalize(Object *obj)
{
    virtio_cleanup(VIRTIO_DEVICE(obj));
}

static const TypeInfo virtio_types[] = {
    {
        .name = TYPE_VIRTIO_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(VirtioBusState),
        .class_size = sizeof(BusClass),
        .class_init = virtio_bus_class_init,
    },
    {
        .name = TYPE_VIRTIO_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(VirtIODevice),
        .instance_finalize = virtio_device_finalize,
        .abstract = true,
        .class_size = sizeof(VirtioDeviceClass),
        .class_init = virtio_device_class_init,
    },
};

DEFINE_TYPES(virtio_types)
