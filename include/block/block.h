/*
 * The block layer's node API: a BlockDriverState (BDS) is one node of an
 * image graph -- a format (raw, qcow2) above a protocol (file) and maybe a
 * backing node.  Devices never see nodes: they use a BlockBackend
 * (block/block-backend.h).  turtle-img and the unit tests use this API.
 *
 * Every I/O function here is synchronous and may block: call it from a
 * block worker thread, from turtle-img, or from a test -- never from a
 * vCPU thread (blk_aio_* moves the work off it).  Functions on different
 * requests of one node may run concurrently from many threads: drivers
 * lock their own metadata.
 */
#ifndef BLOCK_BLOCK_H
#define BLOCK_BLOCK_H

#include "turtle/osdep.h"
#include "turtle/error.h"
#include "turtle/iov.h"

typedef struct BlockDriver BlockDriver;
typedef struct BlockDriverState BlockDriverState;
typedef struct Opts Opts;

#define BDRV_SECTOR_BITS 9
#define BDRV_SECTOR_SIZE (1 << BDRV_SECTOR_BITS)
/* Largest single request handed to a driver (the layer splits bigger). */
#define BDRV_REQUEST_MAX_BYTES (1 << 30)
/* Largest image size: 2^63 - 1 rounded to sectors, like QEMU's limit. */
#define BDRV_MAX_LENGTH (INT64_MAX & ~(int64_t)(BDRV_SECTOR_SIZE - 1))

/* Open flags (bs->open_flags), inherited by children unless noted. */
enum {
    BDRV_O_RDWR        = 0x0002,
    BDRV_O_NOCACHE     = 0x0004, /* bypass the host page cache (O_DIRECT) */
    BDRV_O_NO_FLUSH    = 0x0008, /* cache=unsafe: flushes do nothing */
    BDRV_O_NO_BACKING  = 0x0010, /* do not open the backing file */
    BDRV_O_UNMAP       = 0x0020, /* discard=unmap: pass discards down */
    BDRV_O_IO_URING    = 0x0040, /* aio=io_uring on the protocol node */
    BDRV_O_FORCE_SHARE = 0x0080, /* -U: ignore other users' locks */
    BDRV_O_NO_LOCK     = 0x0100, /* locking=off: take no image locks */
    BDRV_O_CHECK       = 0x0200, /* opened to be checked: tolerate damage */
    BDRV_O_NO_IO       = 0x0400, /* metadata only (info): skip repairs */
    BDRV_O_TEMPORARY   = 0x0800, /* delete the file when closed */
    BDRV_O_PROTOCOL    = 0x1000, /* open the protocol layer only */
};

/* Request flags. */
enum {
    BDRV_REQ_FUA         = 0x1, /* data on stable storage when done */
    BDRV_REQ_MAY_UNMAP   = 0x2, /* write_zeroes may deallocate */
    BDRV_REQ_NO_FALLBACK = 0x4, /* write_zeroes: fast path or -ENOTSUP */
};

/* block_status answers. */
enum {
    BDRV_BLOCK_DATA         = 0x01, /* reads return data from an image */
    BDRV_BLOCK_ZERO         = 0x02, /* reads return zeroes */
    BDRV_BLOCK_OFFSET_VALID = 0x04, /* *map is the offset in *file */
    BDRV_BLOCK_ALLOCATED    = 0x08, /* this layer answers (not backing) */
    BDRV_BLOCK_COMPRESSED   = 0x10,
    BDRV_BLOCK_EOF          = 0x20, /* the range reaches the end */
};

typedef enum PreallocMode {
    PREALLOC_MODE_OFF,
    PREALLOC_MODE_METADATA,
    PREALLOC_MODE_FALLOC,
    PREALLOC_MODE_FULL,
} PreallocMode;
bool prealloc_mode_parse(const char *s, PreallocMode *mode);
const char *prealloc_mode_name(PreallocMode mode);

/* -drive cache= modes, as QEMU's: which host caches sit under a drive. */
typedef struct BlockCacheMode {
    bool writeback;   /* guest sees a volatile write cache */
    bool direct;      /* O_DIRECT */
    bool no_flush;    /* flushes are dropped (unsafe) */
} BlockCacheMode;
bool bdrv_parse_cache_mode(const char *mode, BlockCacheMode *c);

/* ---- opening and closing ---- */

/* Open filename as format fmt (NULL: probe).  Opens the protocol node,
 * the format node and (unless BDRV_O_NO_BACKING) the backing chain.
 * Returns a node with one reference. */
BlockDriverState *bdrv_open(const char *filename, const char *fmt, int flags,
                            Error **errp);
/* -blockdev: "driver=qcow2,node-name=n,file=<node>|file.driver=..." */
BlockDriverState *bdrv_open_blockdev(Opts *opts, int flags, Error **errp);
void bdrv_ref(BlockDriverState *bs);
void bdrv_unref(BlockDriverState *bs);       /* closes at zero */
BlockDriverState *bdrv_find_node(const char *node_name);
/* Every open node in opening order: bdrv_next_node(NULL) is the first. */
BlockDriverState *bdrv_next_node(BlockDriverState *bs);
bool bdrv_set_node_name(BlockDriverState *bs, const char *name, Error **errp);
const char *bdrv_get_node_name(BlockDriverState *bs);
/* Close every remaining node (process exit): flushes and unlocks. */
void bdrv_close_all(void);

BlockDriver *bdrv_find_format(const char *name);
/* Names of the format drivers, for help texts. */
void bdrv_list_formats(GString *out);

/* ---- node properties ---- */
const char *bdrv_get_format_name(BlockDriverState *bs);
const char *bdrv_get_filename(BlockDriverState *bs);
bool bdrv_is_read_only(BlockDriverState *bs);
int bdrv_get_flags(BlockDriverState *bs);
BlockDriverState *bdrv_get_file(BlockDriverState *bs);      /* protocol */
BlockDriverState *bdrv_get_backing(BlockDriverState *bs);
/* The backing file name recorded in the image ("" if none). */
const char *bdrv_get_backing_filename(BlockDriverState *bs);
const char *bdrv_get_backing_format(BlockDriverState *bs);
/* The backing file name resolved against the image's directory (g_free),
 * NULL without one. */
char *bdrv_backing_path(BlockDriverState *bs);
/* Does a newly created image read as zeroes where nothing was written? */
bool bdrv_has_zero_init(BlockDriverState *bs);
int64_t bdrv_getlength(BlockDriverState *bs);               /* or -errno */
/* Bytes the image takes on the host (st_blocks), or -errno. */
int64_t bdrv_get_allocated_file_size(BlockDriverState *bs);
/* Alignment this node needs for offsets/lengths (O_DIRECT: sector). */
uint32_t bdrv_get_request_alignment(BlockDriverState *bs);

/* ---- I/O (synchronous; 0 or -errno) ---- */
int bdrv_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes,
                IOVector *qiov, int flags);
int bdrv_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes,
                 IOVector *qiov, int flags);
int bdrv_pread(BlockDriverState *bs, int64_t offset, void *buf,
               int64_t bytes);
int bdrv_pwrite(BlockDriverState *bs, int64_t offset, const void *buf,
                int64_t bytes);
int bdrv_pwrite_sync(BlockDriverState *bs, int64_t offset, const void *buf,
                     int64_t bytes);
int bdrv_pwrite_zeroes(BlockDriverState *bs, int64_t offset, int64_t bytes,
                       int flags);
int bdrv_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes);
/* Everything written so far reaches stable storage (whole chain). */
int bdrv_flush(BlockDriverState *bs);
bool bdrv_truncate(BlockDriverState *bs, int64_t size, PreallocMode prealloc,
                   Error **errp);
/* What [offset, offset + bytes) of this node looks like: BDRV_BLOCK_*
 * (or -errno); *pnum bytes from offset answer the same.  With
 * BDRV_BLOCK_OFFSET_VALID, *map is the offset in *file. */
int bdrv_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes,
                      int64_t *pnum, int64_t *map, BlockDriverState **file);
/* The same through the backing chain: the answer of the first layer that
 * has the range allocated (BDRV_BLOCK_ZERO past a shorter backing file,
 * or where no layer has it); *depth is the depth of the layer that
 * answered (0: bs itself; the bottom layer, or the one above a shorter
 * backing file, when nothing is allocated: no BDRV_BLOCK_ALLOCATED). */
int bdrv_block_status_above(BlockDriverState *bs, int64_t offset,
                            int64_t bytes, int64_t *pnum, int64_t *map,
                            BlockDriverState **file, int *depth);

/* ---- creation ---- */
/* Keys: size, backing_file, backing_fmt, cluster_size, preallocation,
 * lazy_refcounts, compat (0.10/1.1), refcount_bits, compression_type. */
bool bdrv_create(const char *fmt, const char *filename, Opts *opts,
                 Error **errp);
/* Help text: the -o keys a format takes. */
bool bdrv_create_help(const char *fmt, GString *out, Error **errp);
/* Create a temporary qcow2 overlay over bs (snapshot=on) and open it. */
BlockDriverState *bdrv_open_temp_overlay(BlockDriverState *bs, int flags,
                                         Error **errp);

/* ---- compressed writes (turtle-img convert -c) ---- */
bool bdrv_supports_compressed_writes(BlockDriverState *bs);
/* Write one whole cluster (or the short last one) compressed. */
int bdrv_pwrite_compressed(BlockDriverState *bs, int64_t offset,
                           const void *buf, int64_t bytes);

/* ---- information ---- */
typedef struct BlockDriverInfo {
    int cluster_size;       /* 0: not cluster based */
    bool is_dirty;
} BlockDriverInfo;
bool bdrv_get_info(BlockDriverState *bs, BlockDriverInfo *bdi);
/* Adds the format's own fields ("compat", "lazy-refcounts"...) to a JSON
 * object builder for turtle-img info; NULL-safe. */
typedef struct _JsonBuilder JsonBuilder;
void bdrv_info_specific(BlockDriverState *bs, JsonBuilder *b);
/* The same as "key: value" lines (human output). */
void bdrv_info_specific_text(BlockDriverState *bs, GString *out);

/* ---- consistency check ---- */
typedef enum BdrvCheckMode {
    BDRV_FIX_LEAKS = 1,
    BDRV_FIX_ERRORS = 2,
} BdrvCheckMode;

typedef struct BdrvCheckResult {
    int corruptions;
    int leaks;
    int check_errors;
    int corruptions_fixed;
    int leaks_fixed;
    int64_t image_end_offset;
    uint64_t allocated_clusters;
    uint64_t total_clusters;
    uint64_t fragmented_clusters;
    uint64_t compressed_clusters;
    GString *log;              /* the messages, one per line */
} BdrvCheckResult;
/* -ENOTSUP if the format has no check. */
int bdrv_check(BlockDriverState *bs, BdrvCheckResult *res, int fix);

/* ---- internal snapshots ---- */
typedef struct BlockSnapshotInfo {
    char id_str[128];
    char name[256];
    uint64_t vm_state_size;
    uint32_t date_sec;
    uint32_t date_nsec;
    uint64_t vm_clock_nsec;
    uint64_t icount;            /* -1 when unknown */
    uint64_t disk_size;
} BlockSnapshotInfo;

bool bdrv_can_snapshot(BlockDriverState *bs);
/* sn->name and the times are the caller's; an empty id_str is assigned. */
bool bdrv_snapshot_create(BlockDriverState *bs, BlockSnapshotInfo *sn,
                          Error **errp);
/* Find by id, then by name. */
bool bdrv_snapshot_goto(BlockDriverState *bs, const char *id_or_name,
                        Error **errp);
bool bdrv_snapshot_delete(BlockDriverState *bs, const char *id_or_name,
                          Error **errp);
/* Returns the count (>= 0) and a g_new array in *list, or -errno. */
int bdrv_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list);
bool bdrv_snapshot_find(BlockDriverState *bs, const char *id_or_name,
                        BlockSnapshotInfo *out);
/* The VM state area of a snapshot-capable image (savevm) */
int bdrv_save_vmstate(BlockDriverState *bs, const void *buf, int64_t pos,
                      int64_t size);
int bdrv_load_vmstate(BlockDriverState *bs, void *buf, int64_t pos,
                      int64_t size);

/* Aligned host memory for O_DIRECT I/O (free with qemu_vfree). */
void *qemu_blockalign(BlockDriverState *bs, size_t size);
void *qemu_try_blockalign(BlockDriverState *bs, size_t size);
void qemu_vfree(void *p);

#endif
