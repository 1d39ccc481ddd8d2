/*
 * virtio-blk: the virtio block device (virtio 1.2, 5.2) over a drive of
 * the block layer (a BlockBackend: raw or qcow2, include/block/).
 *
 * Device id 2, num-queues request queues ("requestq0..N-1", queue-size
 * entries each), no interrupt lines of its own (the transport's).
 * Configuration space (5.2.4): capacity in 512-byte sectors, seg_max,
 * blk_size, topology, writeback (CONFIG_WCE), num_queues (MQ), discard and
 * write-zeroes limits.
 *
 * Requests (5.2.6): a 16-byte header (type, ioprio, sector) the device
 * reads, then data, then one status byte the device writes; the chain's
 * layout does not matter (any split of header and data is accepted).
 *   IN, OUT       read / write sectors; offset and length multiples of the
 *                 logical block size, inside the drive
 *   FLUSH         the drive's write cache to stable storage
 *   GET_ID        the serial property (20 bytes, NUL-padded)
 *   DISCARD       one range, advisory (reaches the image with the drive's
 *   WRITE_ZEROES  discard=unmap); write-zeroes may unmap when the driver
 *                 asks it to
 * A request the drive fails is answered VIRTIO_BLK_S_IOERR; an unknown
 * type or an unsupported flag VIRTIO_BLK_S_UNSUPP; a chain without room
 * for the header or the status byte is a broken driver (virtio_error).
 *
 * Threads: a kick pops every available request in the vCPU's register
 * write and hands each to the block layer's asynchronous API (io_uring or
 * its worker threads), batched with blk_io_plug: the vCPU never waits for
 * the disk and the big lock is not held while it works.  Completions come
 * back on the main loop, which writes the status, returns the buffers and
 * interrupts (guarded against DMA into the transport's own registers).
 * Reset, unrealize and savevm (pre_save) drain the drive first, so no
 * completion ever lands in a queue that was torn down.
 *
 * Properties (QEMU's names):
 *   drive                   -drive id / -blockdev node-name (required)
 *   num-queues              request queues, 1..64 (default 1)
 *   queue-size              entries per queue, power of two 4..1024 (256)
 *   serial                  answer to GET_ID
 *   config-wce              offer CONFIG_WCE (default on)
 *   discard, write-zeroes   offer the commands (default on)
 *   max-discard-sectors, max-write-zeroes-sectors   limits (512-byte units)
 *   logical_block_size, physical_block_size         512..32768, powers of 2
 *   min_io_size, opt_io_size                        bytes (topology hints)
 * A read-only drive (readonly=on) is offered with VIRTIO_BLK_F_RO.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/block/block.h"
#include "migration/vmstate.h"

#define VIRTIO_BLK_T_BARRIER    0x80000000u  /* legacy flag, ignored */
/* not a status: the request went to the drive, its callback answers */
#define VIRTIO_BLK_S_PENDING    0xff
#define VIRTIO_BLK_MAX_SEGS     1            /* discard/write-zeroes ranges */
/* the block layer's largest request, in sectors */
#define VIRTIO_BLK_MAX_SECTORS  (BDRV_REQUEST_MAX_BYTES >> VIRTIO_BLK_SECTOR_BITS)

typedef struct VirtIOBlockReq {
    VirtQueueElement elem;       /* first: virtqueue_pop allocates us */
    VirtIOBlock *s;
    VirtQueue *vq;
    uint32_t in_len;             /* bytes written to the in buffers */
} VirtIOBlockReq;

static uint64_t virtio_blk_drive_sectors(VirtIOBlock *s)
{
    int64_t len = blk_getlength(s->blk);

    return len > 0 ? (uint64_t)len >> VIRTIO_BLK_SECTOR_BITS : 0;
}

/* ---- completion ---- */

/* The status byte is the last byte of the in buffers (checked at pop). */
static void virtio_blk_complete(VirtIOBlockReq *req, uint8_t status)
{
    VirtQueueElement *elem = &req->elem;
    struct iovec *last = &elem->in_sg[elem->in_num - 1];
    VirtIODevice *vdev = VIRTIO_DEVICE(req->s);

    ((uint8_t *)last->iov_base)[last->iov_len - 1] = status;
    virtqueue_push(req->vq, elem, req->in_len);
    virtio_notify(vdev, req->vq);
    g_free(req);
}

static uint8_t virtio_blk_status_of(int ret)
{
    return ret == 0 ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
}

/* The block layer's callback: main loop, BQL held. */
static void virtio_blk_aio_done(void *opaque, int ret)
{
    VirtIOBlockReq *req = opaque;
    VirtIOBlock *s = req->s;
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    bool was = virtio_guard_begin(vdev);

    s->in_flight--;
    if (ret < 0) {
        tlog_mask(LOG_GUEST_ERROR, "%s: request failed: %s\n", vdev->name,
                  strerror(-ret));
    }
    virtio_blk_complete(req, virtio_blk_status_of(ret));
    virtio_guard_end(vdev, was);
}

/* A discard the image cannot do is not an error: discard is a hint. */
static void virtio_blk_discard_done(void *opaque, int ret)
{
    virtio_blk_aio_done(opaque, ret == -ENOTSUP ? 0 : ret);
}

/* ---- requests ---- */

/* [sector, sector + bytes) inside the drive and on logical blocks? */
static bool virtio_blk_range_ok(VirtIOBlock *s, uint64_t sector,
                                uint64_t bytes)
{
    uint64_t lbs_sectors = s->logical_block_size >> VIRTIO_BLK_SECTOR_BITS;
    uint64_t cap = virtio_blk_drive_sectors(s);

    if (sector % lbs_sectors || bytes % s->logical_block_size) {
        return false;
    }
    return sector <= cap && (bytes >> VIRTIO_BLK_SECTOR_BITS) <= cap - sector;
}

static uint8_t virtio_blk_rw(VirtIOBlockReq *req, bool is_write,
                             uint64_t sector, IOVector *all)
{
    VirtIOBlock *s = req->s;
    IOVector data;
    size_t len;

    /* the data: after the header (write) or before the status (read) */
    len = is_write ? all->size - VIRTIO_BLK_HDR_SIZE : all->size - 1;
    if (is_write && blk_is_read_only(s->blk)) {
        return VIRTIO_BLK_S_IOERR;
    }
    if (len > BDRV_REQUEST_MAX_BYTES || !virtio_blk_range_ok(s, sector, len)) {
        tlog_mask(LOG_GUEST_ERROR, "%s: %s of %zu bytes at sector %" PRIu64
                  " outside the drive or not on %u-byte blocks\n",
                  VIRTIO_DEVICE(s)->name, is_write ? "write" : "read", len,
                  sector, s->logical_block_size);
        return VIRTIO_BLK_S_IOERR;
    }
    if (!is_write) {
        req->in_len = len + 1;
    }
    if (len == 0) {
        return VIRTIO_BLK_S_OK;
    }
    iovec_init(&data, all->niov);
    iovec_concat(&data, all, is_write ? VIRTIO_BLK_HDR_SIZE : 0, len);
    s->in_flight++;
    if (is_write) {
        blk_aio_pwritev(s->blk, sector << VIRTIO_BLK_SECTOR_BITS, data.iov,
                        data.niov, 0, virtio_blk_aio_done, req);
    } else {
        blk_aio_preadv(s->blk, sector << VIRTIO_BLK_SECTOR_BITS, data.iov,
                       data.niov, 0, virtio_blk_aio_done, req);
    }
    iovec_destroy(&data);       /* the block layer copied the array */
    return VIRTIO_BLK_S_PENDING;
}

/* DISCARD and WRITE_ZEROES: ranges of 16 bytes after the header (5.2.6). */
static uint8_t virtio_blk_ranges(VirtIOBlockReq *req, bool zeroes,
                                 IOVector *out)
{
    VirtIOBlock *s = req->s;
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    size_t len = out->size - VIRTIO_BLK_HDR_SIZE;
    uint8_t seg[VIRTIO_BLK_SEG_SIZE];
    uint64_t sector;
    uint32_t num, flags, max;

    if (!virtio_vdev_has_feature(vdev, zeroes ? VIRTIO_BLK_F_WRITE_ZEROES
                                              : VIRTIO_BLK_F_DISCARD)) {
        return VIRTIO_BLK_S_UNSUPP;
    }
    if (len == 0 || len % VIRTIO_BLK_SEG_SIZE) {
        tlog_mask(LOG_GUEST_ERROR, "%s: %s with %zu bytes of ranges\n",
                  vdev->name, zeroes ? "write-zeroes" : "discard", len);
        return VIRTIO_BLK_S_IOERR;
    }
    if (len / VIRTIO_BLK_SEG_SIZE > VIRTIO_BLK_MAX_SEGS) {
        return VIRTIO_BLK_S_UNSUPP;     /* more than max_*_seg */
    }
    iov_to_buf(out->iov, out->niov, VIRTIO_BLK_HDR_SIZE, seg, sizeof(seg));
    sector = ld64_le_p(seg);
    num = ld32_le_p(seg + 8);
    flags = ld32_le_p(seg + 12);
    if (flags & ~(zeroes ? VIRTIO_BLK_WZ_F_UNMAP : 0)) {
        return VIRTIO_BLK_S_UNSUPP;
    }
    if (blk_is_read_only(s->blk)) {
        return VIRTIO_BLK_S_IOERR;
    }
    max = zeroes ? s->max_write_zeroes_sectors : s->max_discard_sectors;
    if (num > max ||
        !virtio_blk_range_ok(s, sector,
                             (uint64_t)num << VIRTIO_BLK_SECTOR_BITS)) {
        tlog_mask(LOG_GUEST_ERROR, "%s: %s of %u sectors at %" PRIu64
                  ": beyond the limit (%u) or the drive\n", vdev->name,
                  zeroes ? "write-zeroes" : "discard", num, sector, max);
        return VIRTIO_BLK_S_IOERR;
    }
    s->in_flight++;
    if (zeroes) {
        blk_aio_pwrite_zeroes(s->blk, sector << VIRTIO_BLK_SECTOR_BITS,
                              (int64_t)num << VIRTIO_BLK_SECTOR_BITS,
                              flags & VIRTIO_BLK_WZ_F_UNMAP ?
                              BDRV_REQ_MAY_UNMAP : 0,
                              virtio_blk_aio_done, req);
    } else {
        blk_aio_pdiscard(s->blk, sector << VIRTIO_BLK_SECTOR_BITS,
                         (int64_t)num << VIRTIO_BLK_SECTOR_BITS,
                         virtio_blk_discard_done, req);
    }
    return VIRTIO_BLK_S_PENDING;
}

static uint8_t virtio_blk_get_id(VirtIOBlockReq *req, IOVector *in)
{
    char id[VIRTIO_BLK_ID_BYTES] = { 0 };
    size_t room = MIN(in->size - 1, (size_t)VIRTIO_BLK_ID_BYTES);

    /* NUL-padded, not terminated when the serial takes all 20 bytes */
    if (req->s->serial) {
        memcpy(id, req->s->serial,
               MIN(strlen(req->s->serial), sizeof(id)));
    }
    req->in_len = iov_from_buf(in->iov, in->niov, 0, id, room) + 1;
    return VIRTIO_BLK_S_OK;
}

/* Start one request; false if the chain broke the device. */
static bool virtio_blk_submit(VirtIOBlockReq *req)
{
    VirtQueueElement *elem = &req->elem;
    VirtIODevice *vdev = VIRTIO_DEVICE(req->s);
    IOVector out, in;
    uint8_t hdr[VIRTIO_BLK_HDR_SIZE], status;
    uint32_t type;
    uint64_t sector;

    iovec_init_external(&out, elem->out_sg, elem->out_num);
    iovec_init_external(&in, elem->in_sg, elem->in_num);
    if (out.size < VIRTIO_BLK_HDR_SIZE || in.size < 1) {
        virtio_error(vdev, "request %u without room for the header (%zu "
                     "bytes) or the status (%zu bytes)", elem->index,
                     out.size, in.size);
        virtqueue_detach_element(req->vq, elem, 0);
        g_free(req);
        return false;
    }
    iov_to_buf(out.iov, out.niov, 0, hdr, sizeof(hdr));
    type = ld32_le_p(hdr) & ~VIRTIO_BLK_T_BARRIER;
    sector = ld64_le_p(hdr + 8);
    req->in_len = 1;

    switch (type) {
    case VIRTIO_BLK_T_IN:
        status = virtio_blk_rw(req, false, sector, &in);
        break;
    case VIRTIO_BLK_T_OUT:
        status = virtio_blk_rw(req, true, sector, &out);
        break;
    case VIRTIO_BLK_T_FLUSH:
        req->s->in_flight++;
        blk_aio_flush(req->s->blk, virtio_blk_aio_done, req);
        status = VIRTIO_BLK_S_PENDING;
        break;
    case VIRTIO_BLK_T_GET_ID:
        status = virtio_blk_get_id(req, &in);
        break;
    case VIRTIO_BLK_T_DISCARD:
        status = virtio_blk_ranges(req, false, &out);
        break;
    case VIRTIO_BLK_T_WRITE_ZEROES:
        status = virtio_blk_ranges(req, true, &out);
        break;
    default:
        status = VIRTIO_BLK_S_UNSUPP;
        break;
    }
    if (status != VIRTIO_BLK_S_PENDING) {               /* answered without the drive */
        virtio_blk_complete(req, status);
    }
    return true;
}

static void virtio_blk_handle_queue(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBlockReq *req;

    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;                         /* taken once the driver is ready */
    }
    blk_io_plug();
    do {
        virtio_queue_set_notification(vq, false);
        while ((req = virtqueue_pop(vq, sizeof(VirtIOBlockReq)))) {
            req->s = VIRTIO_BLK(vdev);
            req->vq = vq;
            if (!virtio_blk_submit(req)) {
                break;
            }
        }
        virtio_queue_set_notification(vq, true);
        /* a request published between the last pop and re-enabling */
    } while (!vdev->broken && !virtio_queue_empty(vq));
    blk_io_unplug();
}

/* ---- device ---- */

static uint64_t virtio_blk_get_features(VirtIODevice *vdev, uint64_t f)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    f |= 1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_BLK_SIZE |
         1ull << VIRTIO_BLK_F_TOPOLOGY | 1ull << VIRTIO_BLK_F_FLUSH;
    if (s->config_wce) {
        f |= 1ull << VIRTIO_BLK_F_CONFIG_WCE;
    }
    if (s->num_queues > 1) {
        f |= 1ull << VIRTIO_BLK_F_MQ;
    }
    if (blk_is_read_only(s->blk)) {
        f |= 1ull << VIRTIO_BLK_F_RO;
    } else {
        if (s->discard) {
            f |= 1ull << VIRTIO_BLK_F_DISCARD;
        }
        if (s->write_zeroes) {
            f |= 1ull << VIRTIO_BLK_F_WRITE_ZEROES;
        }
    }
    return f;
}

/* A driver that cannot flush gets a write-through disk (5.2.5.1). */
static void virtio_blk_set_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    if (!virtio_has_feature(features, VIRTIO_BLK_F_FLUSH)) {
        s->wce = false;
        blk_set_enable_write_cache(s->blk, false);
    }
}

static void virtio_blk_get_config(VirtIODevice *vdev, uint8_t *cfg)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);
    uint32_t lbs = s->logical_block_size;
    uint32_t discard_align = lbs >> VIRTIO_BLK_SECTOR_BITS;

    memset(cfg, 0, VIRTIO_BLK_CFG_SIZE);
    st64_le_p(cfg + VIRTIO_BLK_CFG_CAPACITY, s->capacity);
    st32_le_p(cfg + VIRTIO_BLK_CFG_SEG_MAX, s->queue_size - 2);
    st32_le_p(cfg + VIRTIO_BLK_CFG_BLK_SIZE, lbs);
    cfg[VIRTIO_BLK_CFG_PHYS_BLOCK_EXP] =
        ctz32(s->physical_block_size / lbs);
    st16_le_p(cfg + VIRTIO_BLK_CFG_MIN_IO_SIZE, s->min_io_size / lbs);
    st32_le_p(cfg + VIRTIO_BLK_CFG_OPT_IO_SIZE, s->opt_io_size / lbs);
    cfg[VIRTIO_BLK_CFG_WRITEBACK] = s->wce;
    st16_le_p(cfg + VIRTIO_BLK_CFG_NUM_QUEUES, s->num_queues);
    st32_le_p(cfg + VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS,
             s->max_discard_sectors);
    st32_le_p(cfg + VIRTIO_BLK_CFG_MAX_DISCARD_SEG, VIRTIO_BLK_MAX_SEGS);
    st32_le_p(cfg + VIRTIO_BLK_CFG_DISCARD_ALIGN, discard_align);
    st32_le_p(cfg + VIRTIO_BLK_CFG_MAX_WZ_SECTORS,
             s->max_write_zeroes_sectors);
    st32_le_p(cfg + VIRTIO_BLK_CFG_MAX_WZ_SEG, VIRTIO_BLK_MAX_SEGS);
    cfg[VIRTIO_BLK_CFG_WZ_MAY_UNMAP] = 1;
}

/* Only "writeback" is writable, and only with CONFIG_WCE (5.2.5). */
static void virtio_blk_set_config(VirtIODevice *vdev, const uint8_t *cfg)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    if (!virtio_vdev_has_feature(vdev, VIRTIO_BLK_F_CONFIG_WCE)) {
        return;
    }
    s->wce = cfg[VIRTIO_BLK_CFG_WRITEBACK] != 0;
    /* leaving write-back: what the cache held must reach the disk */
    if (!s->wce && blk_enable_write_cache(s->blk)) {
        blk_drain(s->blk);
        blk_flush(s->blk);
    }
    blk_set_enable_write_cache(s->blk, s->wce);
}

static void virtio_blk_resize(void *opaque)
{
    VirtIOBlock *s = opaque;

    s->capacity = virtio_blk_drive_sectors(s);
    virtio_notify_config(VIRTIO_DEVICE(s));
}

static const BlockDevOps virtio_blk_dev_ops = {
    .resize_cb = virtio_blk_resize,
};

/* Reset and queue reset wait for what the drive still does for us. */
static void virtio_blk_reset(VirtIODevice *vdev)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    blk_drain(s->blk);
    s->wce = s->config_wce_default;
    blk_set_enable_write_cache(s->blk, s->wce);
    s->capacity = virtio_blk_drive_sectors(s);
}

static void virtio_blk_queue_reset(VirtIODevice *vdev, int n)
{
    blk_drain(VIRTIO_BLK(vdev)->blk);
}

static bool virtio_blk_check_props(VirtIOBlock *s, Error **errp)
{
    uint32_t lbs = s->logical_block_size, pbs = s->physical_block_size;

    if (!s->blk) {
        error_setg(errp, "drive property not set");
        return false;
    }
    if (s->num_queues < 1 || s->num_queues > VIRTIO_QUEUE_MAX) {
        error_setg(errp, "num-queues property must be between 1 and %d",
                   VIRTIO_QUEUE_MAX);
        return false;
    }
    if (s->queue_size < 4 || s->queue_size > VIRTQUEUE_MAX_SIZE ||
        (s->queue_size & (s->queue_size - 1))) {
        error_setg(errp, "queue-size property must be a power of 2 between "
                   "4 and %d", VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (lbs < 512 || lbs > 32768 || (lbs & (lbs - 1))) {
        error_setg(errp, "logical_block_size must be a power of 2 between "
                   "512 and 32768");
        return false;
    }
    if (!pbs) {
        pbs = s->physical_block_size = lbs;
    }
    if (pbs < lbs || pbs > 32768 || (pbs & (pbs - 1))) {
        error_setg(errp, "physical_block_size must be a power of 2 between "
                   "logical_block_size and 32768");
        return false;
    }
    if (s->min_io_size % lbs || s->opt_io_size % lbs ||
        s->min_io_size / lbs > UINT16_MAX) {
        error_setg(errp, "min_io_size and opt_io_size must be multiples of "
                   "logical_block_size (min_io_size at most 65535 blocks)");
        return false;
    }
    if (!s->max_discard_sectors || !s->max_write_zeroes_sectors ||
        s->max_discard_sectors > VIRTIO_BLK_MAX_SECTORS ||
        s->max_write_zeroes_sectors > VIRTIO_BLK_MAX_SECTORS) {
        error_setg(errp, "max-discard-sectors and max-write-zeroes-sectors "
                   "must be between 1 and %d", VIRTIO_BLK_MAX_SECTORS);
        return false;
    }
    if (s->serial && strlen(s->serial) > VIRTIO_BLK_ID_BYTES) {
        /* QEMU truncates with a warning; so do we */
        warn_report("virtio-blk: serial '%s' is longer than %d bytes: "
                    "truncated", s->serial, VIRTIO_BLK_ID_BYTES);
    }
    return true;
}

static bool virtio_blk_realize(VirtIODevice *vdev, Error **errp)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    if (!virtio_blk_check_props(s, errp)) {
        return false;
    }
    if (blk_getlength(s->blk) < 0) {
        error_setg(errp, "drive '%s': cannot get its size",
                   blk_name(s->blk));
        return false;
    }
    s->config_wce_default = blk_enable_write_cache(s->blk);
    s->wce = s->config_wce_default;
    s->capacity = virtio_blk_drive_sectors(s);
    virtio_init(vdev, VIRTIO_ID_BLOCK, VIRTIO_BLK_CFG_SIZE);
    for (unsigned i = 0; i < s->num_queues; i++) {
        virtio_add_queue(vdev, s->queue_size, virtio_blk_handle_queue);
    }
    blk_set_dev_ops(s->blk, &virtio_blk_dev_ops, s);
    return true;
}

static void virtio_blk_unrealize(VirtIODevice *vdev)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    blk_drain(s->blk);
    blk_set_dev_ops(s->blk, NULL, NULL);
    for (unsigned i = 0; i < s->num_queues; i++) {
        virtio_del_queue(vdev, i);
    }
    virtio_cleanup(vdev);
}

/* The queues' state is saved by the core; in-flight requests are
 * finished first so that none is lost (or answered twice) by a restore. */
static int virtio_blk_pre_save(void *opaque)
{
    VirtIOBlock *s = opaque;

    blk_drain(s->blk);
    return 0;
}

static int virtio_blk_post_load(void *opaque, int version_id)
{
    VirtIOBlock *s = opaque;

    blk_set_enable_write_cache(s->blk, s->wce);
    return 0;
}

static const VMStateDescription vmstate_virtio_blk = {
    .name = "virtio-blk",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = virtio_blk_pre_save,
    .post_load = virtio_blk_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(parent_obj, VirtIOBlock, vmstate_virtio_device,
                       VirtIODevice),
        VMSTATE_BOOL(wce, VirtIOBlock),
        VMSTATE_UINT64(capacity, VirtIOBlock),
        VMSTATE_END_OF_LIST()
    },
};

static const Property virtio_blk_props[] = {
    DEFINE_PROP_DRIVE("drive", VirtIOBlock, blk),
    DEFINE_PROP_UINT16("num-queues", VirtIOBlock, num_queues, 1),
    DEFINE_PROP_UINT16("queue-size", VirtIOBlock, queue_size, 256),
    DEFINE_PROP_STRING("serial", VirtIOBlock, serial),
    DEFINE_PROP_BOOL("config-wce", VirtIOBlock, config_wce, true),
    DEFINE_PROP_BOOL("discard", VirtIOBlock, discard, true),
    DEFINE_PROP_BOOL("write-zeroes", VirtIOBlock, write_zeroes, true),
    DEFINE_PROP_UINT32("max-discard-sectors", VirtIOBlock,
                       max_discard_sectors, VIRTIO_BLK_MAX_SECTORS),
    DEFINE_PROP_UINT32("max-write-zeroes-sectors", VirtIOBlock,
                       max_write_zeroes_sectors, VIRTIO_BLK_MAX_SECTORS),
    DEFINE_PROP_UINT32("logical_block_size", VirtIOBlock,
                       logical_block_size, 512),
    DEFINE_PROP_UINT32("physical_block_size", VirtIOBlock,
                       physical_block_size, 0),
    DEFINE_PROP_UINT32("min_io_size", VirtIOBlock, min_io_size, 0),
    DEFINE_PROP_UINT32("opt_io_size", VirtIOBlock, opt_io_size, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_blk_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    dc->desc = "virtio block device";
    dc->category = DEVICE_CATEGORY_STORAGE;
    dc->props = virtio_blk_props;
    dc->vmsd = &vmstate_virtio_blk;
    dc->user_creatable = true;
    vdc->realize = virtio_blk_realize;
    vdc->unrealize = virtio_blk_unrealize;
    vdc->get_features = virtio_blk_get_features;
    vdc->set_features = virtio_blk_set_features;
    vdc->get_config = virtio_blk_get_config;
    vdc->set_config = virtio_blk_set_config;
    vdc->reset = virtio_blk_reset;
    vdc->queue_reset = virtio_blk_queue_reset;
}

static const TypeInfo virtio_blk_info = {
    .name = TYPE_VIRTIO_BLK,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIOBlock),
    .class_init = virtio_blk_class_init,
};
TYPE_REGISTER(virtio_blk_info)

static const VirtioPCIDeviceTypeInfo virtio_blk_pci_info = {
    .name = "virtio-blk-pci", .vdev_type = TYPE_VIRTIO_BLK,
    .class_id = PCI_CLASS_STORAGE_SCSI,
    .desc = "virtio block device (PCI)",
    .category = DEVICE_CATEGORY_STORAGE,
};
VIRTIO_PCI_TYPE_REGISTER(virtio_blk_pci_info)
