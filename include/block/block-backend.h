/*
 * BlockBackend: what a device (virtio-blk, a pflash...) sees of a drive.
 *
 * A backend is created from -drive (named by id=) or -blockdev (named by
 * node-name=) and attached to at most one device (-device ...,drive=).
 * It holds the root node of an image graph (block/block.h) and the drive
 * options that are the guest's business: the write cache, read-only,
 * discard.
 *
 * Asynchronous I/O: blk_aio_* return at once; the request runs in a block
 * worker thread (aio=threads) or on an io_uring (aio=io_uring), never on
 * the calling vCPU thread and never under the big lock.  The completion
 * callback runs later on the main loop thread with the BQL held, with 0 or
 * -errno.  The iovec array is copied; the buffers it points to (guest RAM
 * from dma map) must stay valid until the completion.  A request beyond
 * the end of the drive completes with -EIO, a write to a read-only drive
 * with -EPERM (-EROFS for flushes is not an error: they succeed).
 */
#ifndef BLOCK_BLOCK_BACKEND_H
#define BLOCK_BLOCK_BACKEND_H

#include "block/block.h"
#include <sys/uio.h>

typedef struct BlockBackend BlockBackend;
typedef struct DeviceState DeviceState;
typedef void BlockCompletionFunc(void *opaque, int ret);  /* 0 / -errno */

/* ---- what devices use (INTERFACES.md section 6) ---- */
BlockBackend *blk_by_name(const char *id);  /* -drive id= / node-name */
bool blk_attach_dev(BlockBackend *blk, DeviceState *dev, Error **errp);
void blk_detach_dev(BlockBackend *blk, DeviceState *dev);
DeviceState *blk_get_attached_dev(BlockBackend *blk);
/* What the block layer tells the attached device. */
typedef struct BlockDevOps {
    /* The drive's length changed (blk_truncate, i.e. block_resize): the
     * device updates what its driver sees (virtio-blk: capacity and a
     * configuration interrupt).  Main loop, BQL held. */
    void (*resize_cb)(void *opaque);
} BlockDevOps;
void blk_set_dev_ops(BlockBackend *blk, const BlockDevOps *ops,
                     void *opaque);
/* Resize the drive's image to size bytes (in-flight requests drained
 * first), then call the device's resize_cb. */
bool blk_truncate(BlockBackend *blk, int64_t size, Error **errp);
const char *blk_name(BlockBackend *blk);
int64_t blk_getlength(BlockBackend *blk);      /* bytes, or -errno */
bool blk_is_read_only(BlockBackend *blk);
/* Does the guest see a volatile write cache (cache=writeback/none/unsafe)?
 * Without one every write is written through (a flush follows it). */
bool blk_enable_write_cache(BlockBackend *blk);
void blk_set_enable_write_cache(BlockBackend *blk, bool wce);
/* discard=unmap given: discards reach the image */
bool blk_discard_enabled(BlockBackend *blk);

void blk_aio_preadv(BlockBackend *blk, int64_t offset,
                    const struct iovec *iov, int iovcnt, int flags,
                    BlockCompletionFunc *cb, void *opaque);
/* flags: BDRV_REQ_FUA */
void blk_aio_pwritev(BlockBackend *blk, int64_t offset,
                     const struct iovec *iov, int iovcnt, int flags,
                     BlockCompletionFunc *cb, void *opaque);
void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque);
/* Succeeds without effect when discard=ignore (the default). */
void blk_aio_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes,
                      BlockCompletionFunc *cb, void *opaque);
/* flags: BDRV_REQ_MAY_UNMAP (honoured only with discard=unmap) */
void blk_aio_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes,
                           int flags, BlockCompletionFunc *cb, void *opaque);
/* Wait for every request of blk (of all backends) and run their
 * completions; call with the BQL held, from the main loop or a vCPU. */
void blk_drain(BlockBackend *blk);
void blk_drain_all(void);
int blk_in_flight(BlockBackend *blk);

/* Drive options that say how the guest sees the drive: "virtio", "none",
 * "pflash"...; with the bus/unit/index the board or device chooses by. */
const char *blk_drive_interface(BlockBackend *blk);

/* ---- statistics (query-blockstats) ---- */
typedef struct BlockAcctStats {
    uint64_t rd_bytes, wr_bytes, unmap_bytes;
    uint64_t rd_operations, wr_operations, flush_operations,
             unmap_operations;
    uint64_t failed_rd_operations, failed_wr_operations,
             failed_flush_operations, failed_unmap_operations;
    uint64_t rd_total_time_ns, wr_total_time_ns, flush_total_time_ns;
    int64_t last_ns;            /* REALTIME of the last completion, or 0 */
} BlockAcctStats;
const BlockAcctStats *blk_get_stats(BlockBackend *blk);
/* The backend whose root bs is, or NULL. */
BlockBackend *blk_by_bs(BlockDriverState *bs);

/* ---- internal snapshots of the drive's image (savevm) ---- */
/* Every backend in creation order: blk_next(NULL) is the first. */
BlockBackend *blk_next(BlockBackend *blk);
bool blk_can_snapshot(BlockBackend *blk);
bool blk_snapshot_create(BlockBackend *blk, BlockSnapshotInfo *sn,
                         Error **errp);
bool blk_snapshot_goto(BlockBackend *blk, const char *id_or_name,
                       Error **errp);
bool blk_snapshot_delete(BlockBackend *blk, const char *id_or_name,
                         Error **errp);
int blk_snapshot_list(BlockBackend *blk, BlockSnapshotInfo **list);

/* ---- creation and synchronous use (turtle-img, tests) ---- */
/* A backend over filename (fmt NULL: probed), not named. */
BlockBackend *blk_new_open(const char *filename, const char *fmt, int flags,
                           Error **errp);
/* A backend over a node (takes a reference). */
BlockBackend *blk_new_with_bs(BlockDriverState *bs, Error **errp);
void blk_unref(BlockBackend *blk);       /* drains, then closes */
BlockDriverState *blk_bs(BlockBackend *blk);
int blk_pread(BlockBackend *blk, int64_t offset, void *buf, int64_t bytes);
int blk_pwrite(BlockBackend *blk, int64_t offset, const void *buf,
               int64_t bytes, int flags);
int blk_flush(BlockBackend *blk);

/* ---- the drive list (-drive, -blockdev, -hda, -snapshot) ---- */
typedef struct DriveInfo {
    char *id;
    char *interface;       /* "virtio", "none", "pflash", ... */
    int bus, unit, index;  /* -1 when not given */
    bool claimed;          /* a board or device took it */
    BlockBackend *blk;
} DriveInfo;

/* Parse and open one -drive / -blockdev option string. */
DriveInfo *drive_new(const char *optstr, const char *default_if,
                     Error **errp);
bool blockdev_new(const char *optstr, Error **errp);
/* BDRV_O_IO_URING when io_uring works here (the default aio), else 0. */
int blk_default_aio_flags(void);
/* Batch the requests a device issues between plug and unplug (one
 * io_uring submission for a virtqueue's worth). */
void blk_io_plug(void);
void blk_io_unplug(void);
/* -snapshot: every -drive opened later gets snapshot=on. */
void drive_set_snapshot_all(bool on);
/* Drives of one interface in index/unit order (NULL-terminated array,
 * g_free it); boards and device code pick theirs and claim them. */
DriveInfo **drive_list(const char *interface);
DriveInfo *drive_get(const char *interface, int bus, int unit);
DriveInfo *drive_get_by_index(const char *interface, int index);
DriveInfo *blk_legacy_dinfo(BlockBackend *blk);
/* Error for drives no board or device claimed (if= other than none). */
bool drive_check_orphaned(Error **errp);
/* Flush and close every drive (at exit). */
void blk_close_all(void);

#endif
