/*
 * virtio-rng: the virtio entropy device (virtio 1.2, 5.4).
 *
 * Device id 4, one queue ("requestq", 8 entries), no configuration space,
 * no feature bits.  Each request is one or more device-writable buffers
 * that the device fills with random bytes from the host's getrandom(2).
 *
 * Properties (as QEMU's virtio-rng):
 *   max-bytes  most bytes handed to the guest per period (default: no
 *              limit)
 *   period     the period in milliseconds of guest (virtual) time
 *              (default 65536)
 * The first request of a period arms a timer for the period's end; once
 * the quota is spent, requests wait (unanswered, in the ring) until the
 * timer refills it, so a guest draining /dev/hwrng cannot take more than
 * max-bytes per period from the host.
 *
 * Where it runs: getrandom() never blocks after the host's pool is
 * initialised, so requests are answered right away in the notifying
 * vCPU's register write (or the refill timer, on the main loop), with
 * the big lock held, at most 64 KiB per request.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/virtio/virtio-rng.h"
#include "hw/virtio/virtio-pci.h"
#include "migration/vmstate.h"
#include <sys/random.h>

#define VIRTIO_RNG_QUEUE_SIZE 8
#define VIRTIO_RNG_MAX_REQUEST (64 * 1024)

/* Fill len bytes from the host; false if the host has none to give. */
static bool virtio_rng_host_bytes(uint8_t *buf, size_t len)
{
    while (len) {
        ssize_t n = getrandom(buf, len, 0);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        buf += n;
        len -= n;
    }
    return true;
}

static void virtio_rng_start_period(VirtIORNG *rng)
{
    if (rng->max_bytes != UINT64_MAX && !timer_pending(rng->rate_limit_timer)) {
        timer_mod(rng->rate_limit_timer,
                  qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + rng->period_ms);
    }
}

static void virtio_rng_process(VirtIORNG *rng)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(rng);
    VirtQueueElement *elem;
    bool pushed = false;

    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    while (rng->quota_remaining) {
        size_t want, got;
        g_autofree uint8_t *buf = NULL;

        elem = virtqueue_pop(rng->vq, sizeof(VirtQueueElement));
        if (!elem) {
            break;
        }
        virtio_rng_start_period(rng);
        want = MIN(iov_size(elem->in_sg, elem->in_num),
                   MIN(rng->quota_remaining, VIRTIO_RNG_MAX_REQUEST));
        buf = g_malloc(want ? want : 1);
        if (!virtio_rng_host_bytes(buf, want)) {
            error_report("virtio-rng: getrandom: %s", strerror(errno));
            want = 0;
        }
        got = iov_from_buf(elem->in_sg, elem->in_num, 0, buf, want);
        if (rng->max_bytes != UINT64_MAX) {
            rng->quota_remaining -= got;
        }
        virtqueue_push(rng->vq, elem, got);
        g_free(elem);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, rng->vq);
    }
}

static void virtio_rng_handle_request(VirtIODevice *vdev, VirtQueue *vq)
{
    virtio_rng_process(VIRTIO_RNG(vdev));
}

static void virtio_rng_refill(void *opaque)
{
    VirtIORNG *rng = opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(rng);
    bool was = virtio_guard_begin(vdev);

    rng->quota_remaining = rng->max_bytes;
    virtio_rng_process(rng);
    virtio_guard_end(vdev, was);
}

static void virtio_rng_set_status(VirtIODevice *vdev, uint8_t status)
{
    /* requests queued before DRIVER_OK are answered now */
    if (status & VIRTIO_CONFIG_S_DRIVER_OK) {
        virtio_rng_process(VIRTIO_RNG(vdev));
    }
}

static void virtio_rng_reset(VirtIODevice *vdev)
{
    VirtIORNG *rng = VIRTIO_RNG(vdev);

    timer_del(rng->rate_limit_timer);
    rng->quota_remaining = rng->max_bytes;
}

static bool virtio_rng_realize(VirtIODevice *vdev, Error **errp)
{
    VirtIORNG *rng = VIRTIO_RNG(vdev);

    if (rng->period_ms == 0) {
        error_setg(errp, "'period' parameter expects a positive integer");
        return false;
    }
    if (rng->max_bytes == 0 || rng->max_bytes > INT64_MAX) {
        /* QEMU's limit: max-bytes is an int64 */
        error_setg(errp, "'max-bytes' parameter must be non-zero, and less "
                   "than 2^63");
        return false;
    }
    if (rng->max_bytes == INT64_MAX) {
        rng->max_bytes = UINT64_MAX;         /* the default: no limit */
    }
    virtio_init(vdev, VIRTIO_ID_RNG, 0);
    rng->vq = virtio_add_queue(vdev, VIRTIO_RNG_QUEUE_SIZE,
                               virtio_rng_handle_request);
    rng->rate_limit_timer = timer_new_ms(QEMU_CLOCK_VIRTUAL,
                                         virtio_rng_refill, rng);
    rng->quota_remaining = rng->max_bytes;
    return true;
}

static void virtio_rng_unrealize(VirtIODevice *vdev)
{
    VirtIORNG *rng = VIRTIO_RNG(vdev);

    timer_free(rng->rate_limit_timer);
    rng->rate_limit_timer = NULL;
    virtio_del_queue(vdev, 0);
    virtio_cleanup(vdev);
}

static int virtio_rng_post_load(void *opaque, int version_id)
{
    VirtIORNG *rng = opaque;

    if (rng->quota_remaining > rng->max_bytes) {
        return -EINVAL;
    }
    return 0;
}

static const VMStateDescription vmstate_virtio_rng = {
    .name = "virtio-rng",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = virtio_rng_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(parent_obj, VirtIORNG, vmstate_virtio_device,
                       VirtIODevice),
        VMSTATE_UINT64(quota_remaining, VirtIORNG),
        VMSTATE_TIMER_PTR(rate_limit_timer, VirtIORNG),
        VMSTATE_END_OF_LIST()
    },
};

static const Property virtio_rng_props[] = {
    DEFINE_PROP_UINT64("max-bytes", VirtIORNG, max_bytes, INT64_MAX),
    DEFINE_PROP_UINT32("period", VirtIORNG, period_ms, 1 << 16),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_rng_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    dc->desc = "virtio entropy source (host getrandom)";
    dc->category = DEVICE_CATEGORY_MISC;
    dc->props = virtio_rng_props;
    dc->vmsd = &vmstate_virtio_rng;
    dc->user_creatable = true;
    vdc->realize = virtio_rng_realize;
    vdc->unrealize = virtio_rng_unrealize;
    vdc->reset = virtio_rng_reset;
    vdc->set_status = virtio_rng_set_status;
}

static const TypeInfo virtio_rng_info = {
    .name = TYPE_VIRTIO_RNG,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIORNG),
    .class_init = virtio_rng_class_init,
};
TYPE_REGISTER(virtio_rng_info)

static const VirtioPCIDeviceTypeInfo virtio_rng_pci_info = {
    .name = "virtio-rng-pci", .vdev_type = TYPE_VIRTIO_RNG,
    .class_id = PCI_CLASS_OTHERS,
    .desc = "virtio entropy source (PCI)",
    .category = DEVICE_CATEGORY_MISC,
};
VIRTIO_PCI_TYPE_REGISTER(virtio_rng_pci_info)
