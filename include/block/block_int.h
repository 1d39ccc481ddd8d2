/*
 * What block drivers implement (the files in block/) and the node they work on.
 *
 * A driver is either a protocol (it opens a host file: "file") or a
 * format (it reads an image from its child node bs->file: "raw",
 * "qcow2").  Every I/O callback is synchronous and may be called from
 * several threads at once: a driver with metadata protects it with its
 * own lock.  The generic layer (block/io.c) checks bounds, splits large
 * requests, aligns requests for O_DIRECT and serialises the
 * read-modify-write that alignment needs before calling the driver.
 */
#ifndef BLOCK_BLOCK_INT_H
#define BLOCK_BLOCK_INT_H

#include "block/block.h"
#include "turtle/option.h"

struct BlockDriver {
    const char *format_name;
    size_t instance_size;
    bool is_protocol;
    bool is_format;
    bool supports_backing;

    /* Format probing: a score for the first bytes of the file (0: not
     * this format; raw answers 1, real magic numbers 100). */
    int (*probe)(const uint8_t *buf, int buf_size, const char *filename);

    /* Protocol drivers open bs->filename; format drivers read bs->file.
     * opts holds the node's driver-specific options (may be NULL). */
    bool (*open)(BlockDriverState *bs, Opts *opts, int flags, Error **errp);
    void (*close)(BlockDriverState *bs);
    /* After the backing chain is open (repairs that need it, checks). */
    bool (*post_open)(BlockDriverState *bs, Error **errp);

    int (*preadv)(BlockDriverState *bs, int64_t offset, int64_t bytes,
                  IOVector *qiov, size_t qiov_offset, int flags);
    int (*pwritev)(BlockDriverState *bs, int64_t offset, int64_t bytes,
                   IOVector *qiov, size_t qiov_offset, int flags);
    int (*pwrite_zeroes)(BlockDriverState *bs, int64_t offset, int64_t bytes,
                         int flags);
    int (*pdiscard)(BlockDriverState *bs, int64_t offset, int64_t bytes);
    int (*pwrite_compressed)(BlockDriverState *bs, int64_t offset,
                             const void *buf, int64_t bytes);
    /* Write the driver's cached metadata to its children (no sync). */
    int (*flush_to_os)(BlockDriverState *bs);
    /* Protocol: make written data stable (fdatasync). */
    int (*flush_to_disk)(BlockDriverState *bs);

    int64_t (*getlength)(BlockDriverState *bs);
    int64_t (*get_allocated_file_size)(BlockDriverState *bs);
    bool (*truncate)(BlockDriverState *bs, int64_t size,
                     PreallocMode prealloc, Error **errp);
    int (*block_status)(BlockDriverState *bs, int64_t offset, int64_t bytes,
                        int64_t *pnum, int64_t *map,
                        BlockDriverState **file);

    bool (*create)(const char *filename, Opts *opts, Error **errp);
    const char *create_help;   /* "-o" keys, one per line */

    int (*check)(BlockDriverState *bs, BdrvCheckResult *res, int fix);
    bool (*get_info)(BlockDriverState *bs, BlockDriverInfo *bdi);
    void (*info_specific)(BlockDriverState *bs, JsonBuilder *b);
    void (*info_specific_text)(BlockDriverState *bs, GString *out);

    bool (*snapshot_create)(BlockDriverState *bs, BlockSnapshotInfo *sn,
                            Error **errp);
    bool (*snapshot_goto)(BlockDriverState *bs, const char *id,
                          Error **errp);
    bool (*snapshot_delete)(BlockDriverState *bs, const char *id,
                            Error **errp);
    int (*snapshot_list)(BlockDriverState *bs, BlockSnapshotInfo **list);
    int (*save_vmstate)(BlockDriverState *bs, const void *buf, int64_t pos,
                        int64_t size);
    int (*load_vmstate)(BlockDriverState *bs, void *buf, int64_t pos,
                        int64_t size);

    /* Optional fast path (aio=io_uring): start the request without a
     * worker thread if it maps straight onto the protocol node.
     * Returns true if it was submitted (completion via cb), false to let
     * the caller run it synchronously in a worker.  Never blocks. */
    bool (*try_submit)(BlockDriverState *bs, int op, int64_t offset,
                       int64_t bytes, IOVector *qiov, int flags,
                       void (*cb)(void *opaque, int ret), void *opaque);
};

/* A write in flight (for the read-modify-write serialisation). */
typedef struct BdrvTrackedRequest {
    int64_t offset, bytes;      /* aligned to the node's alignment */
    bool serialising;           /* a read-modify-write of partial blocks */
    struct BdrvTrackedRequest *next;
} BdrvTrackedRequest;

struct BlockDriverState {
    const BlockDriver *drv;
    void *opaque;                  /* drv->instance_size bytes */
    char *filename;                /* host file (protocol) or image name */
    char *node_name;               /* -blockdev node-name; may be NULL */
    int open_flags;
    bool read_only;
    int refcnt;

    BlockDriverState *file;        /* format: the protocol node below */
    BlockDriverState *backing;     /* backing node, or NULL */
    char *backing_file;            /* as recorded in the image */
    char *backing_format;
    bool backing_from_blockdev;    /* backing=<node> was given */

    uint32_t request_alignment;    /* offsets/lengths (O_DIRECT) */
    uint32_t buf_align;            /* memory alignment of buffers */
    bool has_zero_init;            /* a new area reads as zeroes */

    pthread_mutex_t reqs_lock;
    pthread_cond_t reqs_cond;
    BdrvTrackedRequest *tracked;
};

/* Register a write for read-modify-write serialisation without waiting:
 * false if it overlaps a read-modify-write in flight (block/io.c). */
bool bdrv_tracked_try_begin(BlockDriverState *bs, BdrvTrackedRequest *req);
void bdrv_tracked_end(BlockDriverState *bs, BdrvTrackedRequest *req);

void bdrv_register(BlockDriver *drv);
/* Make bs's backing file (already set in bs->backing_file) open. */
bool bdrv_open_backing(BlockDriverState *bs, int flags, Error **errp);

/* Drivers of this build. */
extern BlockDriver bdrv_file;
extern BlockDriver bdrv_raw;
extern BlockDriver bdrv_qcow2;

/* Image locking (block/file-posix.c), QEMU-compatible byte locks. */
enum {
    BLK_PERM_CONSISTENT_READ = 0x1,
    BLK_PERM_WRITE           = 0x2,
    BLK_PERM_WRITE_UNCHANGED = 0x4,
    BLK_PERM_RESIZE          = 0x8,
    BLK_PERM_ALL             = 0xf,
};
/* Take perm and refuse unshared to others; replaces earlier locks.
 * The file node must be a "file" node. */
bool file_set_perm(BlockDriverState *bs, uint64_t perm, uint64_t unshared,
                   Error **errp);

#endif
