/*
 * virtio entropy device (virtio 1.2, 5.4), back end: the host's
 * getrandom(2).  See hw/virtio/virtio-rng.c.
 */
#ifndef HW_VIRTIO_VIRTIO_RNG_H
#define HW_VIRTIO_VIRTIO_RNG_H

#include "hw/virtio/virtio.h"
#include "turtle/timer.h"

#define TYPE_VIRTIO_RNG "virtio-rng-device"

typedef struct VirtIORNG {
    VirtIODevice parent_obj;
    VirtQueue *vq;
    /* properties: at most max_bytes every period_ms (QEMU's defaults:
     * no limit, 65536 ms) */
    uint64_t max_bytes;
    uint32_t period_ms;
    uint64_t quota_remaining;     /* bytes left in this period */
    QEMUTimer *rate_limit_timer;  /* ends the period: quota refilled */
} VirtIORNG;

DECLARE_INSTANCE_CHECKER(VirtIORNG, VIRTIO_RNG, TYPE_VIRTIO_RNG)

#endif
