/*
 * Split virtqueues (virtio 1.2, 2.7): taking requests from the available
 * ring, returning them through the used ring, notification suppression
 * (flags and EVENT_IDX) and indirect descriptor tables.
 *
 * The driver writes the rings while we read them (other vCPUs run
 * meanwhile), so every value is read once and checked before use:
 *   - avail->idx may run at most queue-size entries ahead of us;
 *   - a head or next index must lie inside its table;
 *   - a chain visits at most as many descriptors as its table holds
 *     (a loop ends there), and maps at most VIRTQUEUE_MAX_SIZE buffers;
 *   - an indirect table is a non-empty multiple of 16 bytes, not nested,
 *     and its descriptor does not also chain with NEXT;
 *   - device-writable buffers come after all device-readable ones;
 *   - a buffer must map (bounds-checked DMA) entirely, length 0 refused;
 *   - more requests outstanding than the queue holds is refused.
 * Any violation is virtio_error(): logged, NEEDS_RESET, the queue stops.
 * Ring accesses use the device's DMA address space, so a ring placed over
 * the device's own registers is refused by the memory core's guard.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/virtio/virtio.h"

typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VRingDesc;

/* The host's view of guest memory orders with the guest's vCPUs. */
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* ---- ring fields (all little-endian: virtio 1.x, and legacy on our
 * little-endian guests) ---- */

static bool vring_read(VirtQueue *vq, hwaddr addr, void *buf, hwaddr len,
                       const char *what)
{
    if (address_space_read(vq->vdev->dma_as, addr, MEMTXATTRS_UNSPECIFIED,
                           buf, len) != MEMTX_OK) {
        virtio_error(vq->vdev, "queue %u: cannot read the %s at 0x%" PRIx64,
                     vq->queue_index, what, (uint64_t)addr);
        return false;
    }
    return true;
}

static bool vring_write(VirtQueue *vq, hwaddr addr, const void *buf,
                        hwaddr len, const char *what)
{
    if (address_space_write(vq->vdev->dma_as, addr, MEMTXATTRS_UNSPECIFIED,
                            buf, len) != MEMTX_OK) {
        virtio_error(vq->vdev, "queue %u: cannot write the %s at 0x%" PRIx64,
                     vq->queue_index, what, (uint64_t)addr);
        return false;
    }
    return true;
}

static bool vring_read16(VirtQueue *vq, hwaddr addr, uint16_t *v,
                         const char *what)
{
    uint8_t b[2];

    if (!vring_read(vq, addr, b, 2, what)) {
        return false;
    }
    *v = ld16_le_p(b);
    return true;
}

static bool vring_write16(VirtQueue *vq, hwaddr addr, uint16_t v,
                          const char *what)
{
    uint8_t b[2];

    st16_le_p(b, v);
    return vring_write(vq, addr, b, 2, what);
}

/* avail: flags, idx, ring[num], used_event */
static bool vring_avail_flags(VirtQueue *vq, uint16_t *flags)
{
    return vring_read16(vq, vq->avail, flags, "available ring flags");
}

static bool vring_avail_idx(VirtQueue *vq)
{
    return vring_read16(vq, vq->avail + 2, &vq->shadow_avail_idx,
                        "available ring index");
}

static bool vring_avail_ring(VirtQueue *vq, unsigned i, uint16_t *head)
{
    return vring_read16(vq, vq->avail + 4 + 2 * (hwaddr)i, head,
                        "available ring");
}

static bool vring_get_used_event(VirtQueue *vq, uint16_t *event)
{
    return vring_read16(vq, vq->avail + 4 + 2 * (hwaddr)vq->num, event,
                        "used_event field");
}

/* used: flags, idx, ring[num] of {id, len}, avail_event */
static void vring_set_avail_event(VirtQueue *vq, uint16_t val)
{
    vring_write16(vq, vq->used + 4 + 8 * (hwaddr)vq->num, val,
                  "avail_event field");
}

static bool vring_desc_read(VirtQueue *vq, hwaddr table, unsigned i,
                            VRingDesc *d)
{
    uint8_t b[VRING_DESC_SIZE];

    if (!vring_read(vq, table + (hwaddr)i * VRING_DESC_SIZE, b, sizeof(b),
                    "descriptor")) {
        return false;
    }
    d->addr = ld64_le_p(b);
    d->len = ld32_le_p(b + 8);
    d->flags = ld16_le_p(b + 12);
    d->next = ld16_le_p(b + 14);
    return true;
}

static inline bool vring_need_event(uint16_t event_idx, uint16_t new_idx,
                                    uint16_t old)
{
    /* 2.7.10: interrupt when used->idx moves past used_event */
    return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old);
}

/* ---- queue state ---- */

bool virtio_queue_ready(VirtQueue *vq)
{
    return vq->num && vq->enabled && !vq->vdev->broken;
}

bool virtio_queue_empty(VirtQueue *vq)
{
    if (!virtio_queue_ready(vq)) {
        return true;
    }
    if (vq->shadow_avail_idx != vq->last_avail_idx) {
        return false;
    }
    if (!vring_avail_idx(vq)) {
        return true;
    }
    return vq->shadow_avail_idx == vq->last_avail_idx;
}

void virtio_queue_set_notification(VirtQueue *vq, bool enable)
{
    vq->notification = enable;
    if (!virtio_queue_ready(vq)) {
        return;
    }
    if (virtio_vdev_has_feature(vq->vdev, VIRTIO_RING_F_EVENT_IDX)) {
        /* kick me when the driver adds past what it has published */
        if (enable && vring_avail_idx(vq)) {
            vring_set_avail_event(vq, vq->shadow_avail_idx);
        }
    } else {
        vring_write16(vq, vq->used, enable ? 0 : VRING_USED_F_NO_NOTIFY,
                      "used ring flags");
    }
    if (enable) {
        /* the caller re-checks the ring after this store */
        smp_mb();
    }
}

/* ---- taking requests ---- */

static bool virtqueue_map_desc(VirtQueue *vq, unsigned *p_num_sg,
                               hwaddr *addr, struct iovec *iov,
                               unsigned max_num_sg, bool is_write,
                               hwaddr pa, uint32_t sz)
{
    unsigned num_sg = *p_num_sg;

    if (!sz) {
        virtio_error(vq->vdev, "queue %u: zero-length descriptor",
                     vq->queue_index);
        return false;
    }
    if (pa + sz < pa) {
        virtio_error(vq->vdev, "queue %u: descriptor at 0x%" PRIx64 " with "
                     "length 0x%x wraps the address space", vq->queue_index,
                     (uint64_t)pa, sz);
        return false;
    }
    while (sz) {
        hwaddr len = sz;
        void *p;

        if (num_sg == max_num_sg) {
            virtio_error(vq->vdev, "queue %u: a request maps more than %u "
                         "buffers", vq->queue_index, max_num_sg);
            return false;
        }
        p = address_space_map(vq->vdev->dma_as, pa, &len, is_write,
                              MEMTXATTRS_UNSPECIFIED);
        if (!p || !len) {
            virtio_error(vq->vdev, "queue %u: buffer at 0x%" PRIx64 " is "
                         "not in guest memory", vq->queue_index,
                         (uint64_t)pa);
            return false;
        }
        iov[num_sg].iov_base = p;
        iov[num_sg].iov_len = len;
        addr[num_sg] = pa;
        num_sg++;
        sz -= len;
        pa += len;
    }
    *p_num_sg = num_sg;
    return true;
}

static void virtqueue_undo_map(VirtQueue *vq, struct iovec *iov,
                               unsigned num, bool is_write)
{
    for (unsigned i = 0; i < num; i++) {
        address_space_unmap(vq->vdev->dma_as, iov[i].iov_base,
                            iov[i].iov_len, is_write, 0);
    }
}

static VirtQueueElement *virtqueue_alloc_element(size_t sz, unsigned out_num,
                                                 unsigned in_num)
{
    size_t in_addr_ofs = ROUND_UP(sz, sizeof(hwaddr));
    size_t out_addr_ofs = in_addr_ofs + in_num * sizeof(hwaddr);
    size_t in_sg_ofs = ROUND_UP(out_addr_ofs + out_num * sizeof(hwaddr),
                                sizeof(void *));
    size_t out_sg_ofs = in_sg_ofs + in_num * sizeof(struct iovec);
    uint8_t *p = g_malloc0(out_sg_ofs + out_num * sizeof(struct iovec));
    VirtQueueElement *elem = (VirtQueueElement *)p;

    g_assert(sz >= sizeof(VirtQueueElement));
    elem->out_num = out_num;
    elem->in_num = in_num;
    elem->in_addr = (hwaddr *)(p + in_addr_ofs);
    elem->out_addr = (hwaddr *)(p + out_addr_ofs);
    elem->in_sg = (struct iovec *)(p + in_sg_ofs);
    elem->out_sg = (struct iovec *)(p + out_sg_ofs);
    return elem;
}

void *virtqueue_pop(VirtQueue *vq, size_t sz)
{
    VirtIODevice *vdev = vq->vdev;
    /* on the stack: a chain maps at most VIRTQUEUE_MAX_SIZE buffers */
    struct iovec iov[VIRTQUEUE_MAX_SIZE];
    hwaddr addr[VIRTQUEUE_MAX_SIZE];
    unsigned out_num = 0, in_num = 0, count = 0, max;
    hwaddr table;
    uint16_t head, i;
    VRingDesc desc;
    VirtQueueElement *elem;

    if (virtio_queue_empty(vq)) {
        return NULL;
    }
    smp_rmb();          /* the entries after the index that published them */
    if ((uint16_t)(vq->shadow_avail_idx - vq->last_avail_idx) > vq->num) {
        virtio_error(vdev, "queue %u: available index %u is more than the "
                     "queue size (%u) ahead of %u", vq->queue_index,
                     vq->shadow_avail_idx, vq->num, vq->last_avail_idx);
        return NULL;
    }
    if (vq->inuse >= vq->num) {
        virtio_error(vdev, "queue %u: more requests outstanding than the "
                     "queue holds (%u)", vq->queue_index, vq->num);
        return NULL;
    }
    if (!vring_avail_ring(vq, vq->last_avail_idx % vq->num, &head)) {
        return NULL;
    }
    if (head >= vq->num) {
        virtio_error(vdev, "queue %u: head descriptor %u beyond the queue "
                     "size %u", vq->queue_index, head, vq->num);
        return NULL;
    }

    table = vq->desc;
    max = vq->num;
    i = head;
    if (!vring_desc_read(vq, table, i, &desc)) {
        return NULL;
    }
    if (desc.flags & VRING_DESC_F_INDIRECT) {
        if (desc.len == 0 || desc.len % VRING_DESC_SIZE) {
            virtio_error(vdev, "queue %u: indirect table of %u bytes",
                         vq->queue_index, desc.len);
            return NULL;
        }
        if (desc.flags & VRING_DESC_F_NEXT) {
            virtio_error(vdev, "queue %u: indirect descriptor also chained "
                         "with NEXT", vq->queue_index);
            return NULL;
        }
        table = desc.addr;
        max = desc.len / VRING_DESC_SIZE;
        i = 0;
        if (!vring_desc_read(vq, table, i, &desc)) {
            return NULL;
        }
    }

    for (;;) {
        bool ok;

        if (desc.flags & VRING_DESC_F_INDIRECT) {
            virtio_error(vdev, "queue %u: indirect descriptor %s",
                         vq->queue_index, table == vq->desc ?
                         "inside a chain" : "inside an indirect table");
            goto err;
        }
        if (desc.flags & VRING_DESC_F_WRITE) {
            ok = virtqueue_map_desc(vq, &in_num, addr + out_num,
                                    iov + out_num,
                                    VIRTQUEUE_MAX_SIZE - out_num, true,
                                    desc.addr, desc.len);
        } else {
            if (in_num) {
                virtio_error(vdev, "queue %u: device-readable descriptor "
                             "after a device-writable one", vq->queue_index);
                goto err;
            }
            ok = virtqueue_map_desc(vq, &out_num, addr, iov,
                                    VIRTQUEUE_MAX_SIZE, false,
                                    desc.addr, desc.len);
        }
        if (!ok) {
            goto err;
        }
        if (++count >= max && (desc.flags & VRING_DESC_F_NEXT)) {
            virtio_error(vdev, "queue %u: descriptor chain longer than its "
                         "table (%u): a loop", vq->queue_index, max);
            goto err;
        }
        if (!(desc.flags & VRING_DESC_F_NEXT)) {
            break;
        }
        i = desc.next;
        if (i >= max) {
            virtio_error(vdev, "queue %u: next descriptor %u beyond the "
                         "table (%u)", vq->queue_index, i, max);
            goto err;
        }
        if (!vring_desc_read(vq, table, i, &desc)) {
            goto err;
        }
    }

    elem = virtqueue_alloc_element(sz, out_num, in_num);
    elem->index = head;
    for (unsigned n = 0; n < out_num; n++) {
        elem->out_addr[n] = addr[n];
        elem->out_sg[n] = iov[n];
    }
    for (unsigned n = 0; n < in_num; n++) {
        elem->in_addr[n] = addr[out_num + n];
        elem->in_sg[n] = iov[out_num + n];
    }
    vq->last_avail_idx++;
    vq->inuse++;
    if (virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX) &&
        vq->notification) {
        vring_set_avail_event(vq, vq->last_avail_idx);
    }
    return elem;

err:
    virtqueue_undo_map(vq, iov, out_num, false);
    virtqueue_undo_map(vq, iov + out_num, in_num, true);
    return NULL;
}

/* ---- returning requests ---- */

static void virtqueue_unmap_sg(VirtQueue *vq, const VirtQueueElement *elem,
                               unsigned int len)
{
    AddressSpace *as = vq->vdev->dma_as;

    for (unsigned i = 0; i < elem->in_num; i++) {
        size_t size = MIN(len, elem->in_sg[i].iov_len);

        address_space_unmap(as, elem->in_sg[i].iov_base,
                            elem->in_sg[i].iov_len, true, size);
        len -= size;
    }
    for (unsigned i = 0; i < elem->out_num; i++) {
        address_space_unmap(as, elem->out_sg[i].iov_base,
                            elem->out_sg[i].iov_len, false,
                            elem->out_sg[i].iov_len);
    }
}

void virtqueue_detach_element(VirtQueue *vq, const VirtQueueElement *elem,
                              unsigned int len)
{
    if (vq->inuse) {
        vq->inuse--;
    }
    virtqueue_unmap_sg(vq, elem, len);
}

void virtqueue_unpop(VirtQueue *vq, const VirtQueueElement *elem,
                     unsigned int len)
{
    vq->last_avail_idx--;
    virtqueue_detach_element(vq, elem, len);
}

void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len, unsigned int idx)
{
    uint8_t b[8];

    virtqueue_unmap_sg(vq, elem, len);
    if (!virtio_queue_ready(vq)) {
        return;
    }
    st32_le_p(b, elem->index);
    st32_le_p(b + 4, len);
    vring_write(vq, vq->used + 4 +
                8 * (hwaddr)((vq->used_idx + idx) % vq->num), b, 8,
                "used ring");
}

void virtqueue_flush(VirtQueue *vq, unsigned int count)
{
    uint16_t old, new;

    vq->inuse -= MIN(count, vq->inuse);
    if (!virtio_queue_ready(vq)) {
        return;
    }
    smp_wmb();          /* the entries before the index that publishes them */
    old = vq->used_idx;
    new = old + count;
    if (!vring_write16(vq, vq->used + 2, new, "used ring index")) {
        return;
    }
    vq->used_idx = new;
    if ((uint16_t)(new - vq->signalled_used) < (uint16_t)(new - old)) {
        vq->signalled_used_valid = false;
    }
}

void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len)
{
    virtqueue_fill(vq, elem, len, 0);
    virtqueue_flush(vq, 1);
}

/* ---- interrupts ---- */

static bool virtio_should_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    uint16_t old, new, event, flags;
    bool valid;

    /* our used->idx store before the driver's flags / used_event */
    smp_mb();
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_NOTIFY_ON_EMPTY) &&
        !vq->inuse && virtio_queue_empty(vq)) {
        return true;
    }
    if (!virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        return vring_avail_flags(vq, &flags) &&
               !(flags & VRING_AVAIL_F_NO_INTERRUPT);
    }
    valid = vq->signalled_used_valid;
    vq->signalled_used_valid = true;
    old = vq->signalled_used;
    new = vq->signalled_used = vq->used_idx;
    if (!vring_get_used_event(vq, &event)) {
        return false;
    }
    return !valid || vring_need_event(event, new, old);
}

void virtio_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    if (!virtio_queue_ready(vq) || !virtio_should_notify(vdev, vq)) {
        return;
    }
    virtio_notify_vector(vdev, vq->vector);
}
