/*
 * qcow2 driver internals (the format: QEMU's docs/interop/qcow2.txt).
 *
 * Files: qcow2.c (header, open, create, guest I/O), qcow2-cluster.c
 * (L1/L2 mapping and allocation), qcow2-refcount.c (refcounts and the
 * allocator, deferred frees), qcow2-cache.c (L2 and refcount block
 * caches), qcow2-check.c (check and repair), qcow2-snapshot.c (internal
 * snapshots), qcow2-compress.c (zlib).
 *
 * Concurrency: every metadata access holds s->lock; guest data moves
 * between the file and the guest's buffers without it.  A guest cluster
 * being allocated is listed in s->allocs until its L2 entry is updated,
 * and requests touching it wait; data I/O in flight on host clusters
 * (reads, in-place writes, the io_uring fast path) is listed in
 * s->data_io, and frees of those clusters are postponed to a later sync
 * (never waited for: a completion may need the thread that syncs).
 *
 * Crash consistency: on-disk refcounts never fall below the on-disk
 * references.  Refcount increments are written before any L2 table or L1
 * entry that uses them (the L2 cache depends on the refcount cache: fsync
 * between); L1 entries of new L2 tables wait in s->l1_pending until the
 * tables are stable (written at the next sync, after an fsync); decrements
 * are deferred (s->frees) until the metadata that dropped the reference
 * is stable, and only then can the cluster be reused.  A crash leaves at
 * worst leaked clusters.  A sync costs at most four fsyncs whatever was
 * allocated since the last one.
 */
#ifndef BLOCK_QCOW2_H
#define BLOCK_QCOW2_H

#include "block/block_int.h"

#define QCOW_MAGIC 0x514649fbu         /* "QFI\xfb" */
#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21
#define QCOW2_DEFAULT_CLUSTER_BITS 16
#define QCOW2_V2_HEADER_SIZE 72
#define QCOW2_V3_HEADER_SIZE 104
#define QCOW2_HEADER_SIZE 112          /* with compression_type + padding */

/* Implementation limits (as QEMU's, so images travel both ways). */
#define QCOW2_MAX_L1_SIZE (32 * MiB)
#define QCOW2_MAX_REFTABLE_SIZE (8 * MiB)
#define QCOW2_MAX_SNAPSHOTS 65536
#define QCOW2_MAX_SNAPSHOTS_SIZE (64 * MiB)
#define QCOW2_MAX_BACKING_NAME 1023

/* incompatible_features */
#define QCOW2_INCOMPAT_DIRTY       (1ull << 0)
#define QCOW2_INCOMPAT_CORRUPT     (1ull << 1)
#define QCOW2_INCOMPAT_DATA_FILE   (1ull << 2)
#define QCOW2_INCOMPAT_COMPRESSION (1ull << 3)
#define QCOW2_INCOMPAT_EXTL2       (1ull << 4)
#define QCOW2_INCOMPAT_KNOWN (QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT)
/* compatible_features */
#define QCOW2_COMPAT_LAZY_REFCOUNTS (1ull << 0)
/* autoclear_features: we keep none (bitmaps are not maintained) */

/* header extensions */
#define QCOW2_EXT_END          0x00000000u
#define QCOW2_EXT_BACKING_FMT  0xe2792acau
#define QCOW2_EXT_FEATURES     0x6803f857u
#define QCOW2_EXT_BITMAPS      0x23852875u
#define QCOW2_EXT_CRYPTO       0x0537be77u
#define QCOW2_EXT_DATA_FILE    0x44415441u

/* L1 / L2 entries */
#define QCOW_OFLAG_COPIED     (1ull << 63)
#define QCOW_OFLAG_COMPRESSED (1ull << 62)
#define QCOW_OFLAG_ZERO       (1ull << 0)
#define L1E_OFFSET_MASK       0x00fffffffffffe00ull
#define L2E_OFFSET_MASK       0x00fffffffffffe00ull
#define REFT_OFFSET_MASK      0xfffffffffffffe00ull
#define L1E_RESERVED_MASK     0x7f000000000001ffull
#define L2E_STD_RESERVED_MASK 0x3f000000000001feull

#define QCOW2_COMPRESSED_SECTOR 512

typedef enum Qcow2ClusterType {
    QCOW2_CLUSTER_UNALLOCATED,
    QCOW2_CLUSTER_ZERO_PLAIN,     /* zero flag, no host cluster */
    QCOW2_CLUSTER_ZERO_ALLOC,     /* zero flag over a preallocated cluster */
    QCOW2_CLUSTER_NORMAL,
    QCOW2_CLUSTER_COMPRESSED,
} Qcow2ClusterType;

typedef struct Qcow2Cache Qcow2Cache;

typedef struct Qcow2Snapshot {
    uint64_t l1_table_offset;
    uint32_t l1_size;
    char *id_str;
    char *name;
    uint64_t disk_size;
    uint64_t vm_state_size;
    uint32_t date_sec;
    uint32_t date_nsec;
    uint64_t vm_clock_nsec;
    uint64_t icount;
    uint32_t extra_data_size;     /* as read (we write 24) */
    uint8_t *unknown_extra;       /* bytes past the 24 we know */
} Qcow2Snapshot;

/* A guest cluster range being allocated (waiters: s->cond). */
typedef struct Qcow2Alloc {
    uint64_t first, last;          /* guest cluster indexes, inclusive */
    struct Qcow2Alloc *next;
} Qcow2Alloc;

/* Guest data read or written in place, in flight on host clusters
 * [first, last] without s->lock. */
typedef struct Qcow2DataIO {
    uint64_t first, last;
    struct Qcow2DataIO *next;
} Qcow2DataIO;

typedef struct Qcow2Free {
    uint64_t offset;               /* host byte offset of the first cluster */
    uint64_t nb_clusters;
} Qcow2Free;

typedef struct BDRVQcow2State {
    pthread_mutex_t lock;
    pthread_cond_t cond;

    int qcow_version;
    int cluster_bits;
    int cluster_size;
    int l2_bits;                   /* log2 of L2 entries per table */
    int l2_size;                   /* entries per L2 table */
    int csize_shift, csize_mask;   /* compressed descriptor fields */
    uint64_t cluster_offset_mask;
    uint64_t size;                 /* virtual disk size */

    uint64_t incompatible_features;
    uint64_t compatible_features;
    uint64_t autoclear_features;
    int refcount_order;
    int refcount_bits;
    uint64_t refcount_max;
    int refcount_block_bits;       /* log2 of entries per refcount block */
    int refcount_block_size;
    uint32_t header_length;
    uint8_t compression_type;

    uint64_t *l1_table;
    uint32_t l1_size;
    GHashTable *l1_pending;        /* L1 indexes to write at the next sync */
    uint64_t l1_table_offset;
    int l1_vm_state_index;         /* first L1 entry past the disk */

    uint64_t *refcount_table;
    uint32_t refcount_table_size;  /* entries */
    uint64_t refcount_table_offset;

    Qcow2Snapshot *snapshots;
    int nb_snapshots;
    uint64_t snapshots_offset;
    uint64_t snapshots_size;

    Qcow2Cache *l2_cache;
    Qcow2Cache *refcount_cache;

    uint64_t free_cluster_index;   /* allocator hint */
    uint64_t free_byte_offset;     /* compressed packing (0: none) */
    GArray *frees;                 /* Qcow2Free, applied after a sync */
    Qcow2Alloc *allocs;
    Qcow2DataIO *data_io;

    /* clusters holding metadata: index -> 1 (overlap checks) */
    GHashTable *metadata;

    bool lazy_refcounts;
    bool marked_dirty;             /* we set the dirty bit on disk */
    bool corrupt;                  /* read-only from now on */
    bool repairing;                /* check -r / dirty repair running */
    bool discard_passthrough;      /* free clusters are punched */

    /* header bits we rewrite but do not interpret */
    GByteArray *unknown_exts;      /* raw unknown header extensions */
    GByteArray *feature_table;     /* as read (or ours) */
    char *image_backing_file;
    char *image_backing_format;
} BDRVQcow2State;

static inline uint64_t offset_into_cluster(BDRVQcow2State *s, uint64_t off)
{
    return off & (s->cluster_size - 1);
}

static inline uint64_t start_of_cluster(BDRVQcow2State *s, uint64_t off)
{
    return off & ~(uint64_t)(s->cluster_size - 1);
}

static inline uint64_t size_to_clusters(BDRVQcow2State *s, uint64_t size)
{
    return (size + s->cluster_size - 1) >> s->cluster_bits;
}

static inline uint64_t size_to_l1(BDRVQcow2State *s, uint64_t size)
{
    int shift = s->cluster_bits + s->l2_bits;
    return (size + (1ull << shift) - 1) >> shift;
}

static inline int offset_to_l1_index(BDRVQcow2State *s, uint64_t off)
{
    return off >> (s->l2_bits + s->cluster_bits);
}

static inline int offset_to_l2_index(BDRVQcow2State *s, uint64_t off)
{
    return (off >> s->cluster_bits) & (s->l2_size - 1);
}

/* Host bytes the refcount table can describe: nothing may live beyond. */
static inline uint64_t qcow2_refcount_coverage(BDRVQcow2State *s)
{
    return (uint64_t)s->refcount_table_size
           << (s->refcount_block_bits + s->cluster_bits);
}

static inline int64_t qcow2_vm_state_offset(BDRVQcow2State *s)
{
    return (int64_t)s->l1_vm_state_index << (s->cluster_bits + s->l2_bits);
}

Qcow2ClusterType qcow2_get_cluster_type(BDRVQcow2State *s, uint64_t l2e);
/* Host clusters [*first, *first + *count) a compressed entry touches. */
void qcow2_compressed_range(BDRVQcow2State *s, uint64_t l2e,
                            uint64_t *coffset, int *csize);

/* ---- qcow2.c ---- */
/* Report corruption: marks the image corrupt (on disk when writable) and
 * makes it read-only.  Returns -EIO for the caller to pass on. */
int qcow2_signal_corruption(BlockDriverState *bs, const char *fmt, ...)
    TURTLE_PRINTF(2, 3);
int qcow2_mark_dirty(BlockDriverState *bs);
int qcow2_update_header(BlockDriverState *bs);
/* Is [offset, offset + size) free of metadata (and inside the limits)?
 * ignore_l2: the L2 table at that offset may be written (cache). */
bool qcow2_overlaps_metadata(BlockDriverState *bs, uint64_t offset,
                             uint64_t size);
void qcow2_metadata_add(BDRVQcow2State *s, uint64_t offset, uint64_t size);
static inline bool qcow2_is_metadata(BDRVQcow2State *s, uint64_t ci)
{
    return g_hash_table_contains(s->metadata, GSIZE_TO_POINTER((gsize)ci));
}
void qcow2_metadata_remove(BDRVQcow2State *s, uint64_t offset,
                           uint64_t size);
void qcow2_metadata_rebuild(BlockDriverState *bs);
/* Write every cached table and make it stable, then apply deferred
 * frees (s->lock held). */
int qcow2_sync_metadata(BlockDriverState *bs);
int qcow2_write_l1_entry(BlockDriverState *bs, int l1_index);

/* ---- qcow2-cache.c ---- */
Qcow2Cache *qcow2_cache_create(BlockDriverState *bs, int num_tables,
                               int table_size);
void qcow2_cache_destroy(Qcow2Cache *c);
int qcow2_cache_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset,
                    void **table);
int qcow2_cache_get_empty(BlockDriverState *bs, Qcow2Cache *c,
                          uint64_t offset, void **table);
/* The table if it is cached (no I/O), else -ENOENT. */
int qcow2_cache_peek(Qcow2Cache *c, uint64_t offset, void **table);
void qcow2_cache_put(Qcow2Cache *c, void **table);
void qcow2_cache_mark_dirty(Qcow2Cache *c, void *table);
/* Write the dirty tables (dependencies first); *wrote set if any. */
int qcow2_cache_write(BlockDriverState *bs, Qcow2Cache *c, bool *wrote);
/* c's tables may only be written after dep's are stable. */
void qcow2_cache_set_dependency(Qcow2Cache *c, Qcow2Cache *dep);
bool qcow2_cache_has_dependency(Qcow2Cache *c);
/* Drop the table at offset (it was freed); it must not be in use. */
void qcow2_cache_discard(Qcow2Cache *c, uint64_t offset);
/* Drop every clean table (after metadata was rewritten behind it). */
void qcow2_cache_drop_all(Qcow2Cache *c);

/* ---- qcow2-refcount.c ---- */
int qcow2_refcount_init(BlockDriverState *bs, Error **errp);
uint64_t qcow2_get_refcount_ro(BDRVQcow2State *s, const void *block,
                               uint64_t index);
void qcow2_set_refcount_ro(BDRVQcow2State *s, void *block, uint64_t index,
                           uint64_t value);
int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster_index,
                       uint64_t *refcount);
/* Allocate n contiguous clusters (refcount 1); host offset or -errno. */
int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n);
/* Bytes for compressed data, packed; host offset or -errno. */
int64_t qcow2_alloc_bytes(BlockDriverState *bs, int size);
/* addend to the refcount of every cluster in [offset, offset + length). */
int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset,
                          uint64_t length, int64_t addend);
/* Drop one reference to each cluster, once the caller's metadata that
 * referenced them is stable (applied by qcow2_sync_metadata). */
void qcow2_free_clusters_deferred(BlockDriverState *bs, uint64_t offset,
                                  uint64_t nb_clusters);
void qcow2_free_l2_entry_deferred(BlockDriverState *bs, uint64_t l2e);
int qcow2_apply_frees(BlockDriverState *bs);
/* Snapshot walk: addend to every cluster reachable from an L1 table and
 * COPIED flags recomputed in the active tree (addend 0: flags only). */
int qcow2_update_snapshot_refcount(BlockDriverState *bs,
                                   uint64_t l1_table_offset, int l1_size,
                                   int addend);
/* The same on an L1 table in memory (host order); active: it is the
 * active table (its flags are rewritten on disk). */
int qcow2_update_tree_refcount(BlockDriverState *bs, uint64_t *l1,
                               int l1_size, int addend, bool active);

/* ---- qcow2-cluster.c ---- */
typedef struct Qcow2Mapping {
    Qcow2ClusterType type;
    uint64_t host_offset;          /* NORMAL/ZERO_ALLOC: host byte offset */
    uint64_t l2_entry;             /* COMPRESSED: the raw entry */
    uint64_t bytes;                /* contiguous bytes mapped alike */
} Qcow2Mapping;
int qcow2_get_mapping(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      Qcow2Mapping *m);
int qcow2_grow_l1_table(BlockDriverState *bs, uint64_t min_size,
                        bool exact);
/* The L2 table for guest offset, allocated (or COWed) when needed;
 * returns a cache reference in *l2 and its index, or -errno. */
int qcow2_get_l2_for_write(BlockDriverState *bs, uint64_t offset,
                           uint64_t **l2, int *l2_index);
int qcow2_cluster_discard(BlockDriverState *bs, uint64_t offset,
                          uint64_t bytes, bool zero, bool keep_alloc);
int qcow2_write_data(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                     IOVector *qiov, size_t qoff);
/* Register / unregister data I/O on host bytes [host, host + bytes)
 * (s->lock held). */
void qcow2_data_io_begin(BDRVQcow2State *s, Qcow2DataIO *io, uint64_t host,
                         uint64_t bytes);
void qcow2_data_io_end(BDRVQcow2State *s, Qcow2DataIO *io);
int qcow2_read_data(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                    IOVector *qiov, size_t qoff);
int qcow2_write_compressed(BlockDriverState *bs, uint64_t offset,
                           const void *buf, uint64_t bytes);
/* aio=io_uring fast path: reads of data clusters and overwrites of
 * allocated ones whose L2 table is cached go straight to the file. */
bool qcow2_try_submit(BlockDriverState *bs, int op, int64_t offset,
                      int64_t bytes, IOVector *qiov, int flags,
                      void (*cb)(void *opaque, int ret), void *opaque);
int qcow2_preallocate_metadata(BlockDriverState *bs, uint64_t from,
                               uint64_t to);
int qcow2_shrink_reftable_check(BlockDriverState *bs);

/* ---- qcow2-compress.c ---- */
/* Returns compressed length, or -ENOSPC if it would not fit in dst_size. */
int qcow2_compress(void *dst, size_t dst_size, const void *src,
                   size_t src_size);
/* Exactly dst_size bytes out or -EIO. */
int qcow2_decompress(void *dst, size_t dst_size, const void *src,
                     size_t src_size);

/* ---- qcow2-snapshot.c ---- */
int qcow2_read_snapshots(BlockDriverState *bs, Error **errp);
void qcow2_free_snapshots(BDRVQcow2State *s);
bool qcow2_snapshot_create(BlockDriverState *bs, BlockSnapshotInfo *sn,
                           Error **errp);
bool qcow2_snapshot_goto(BlockDriverState *bs, const char *id,
                         Error **errp);
bool qcow2_snapshot_delete(BlockDriverState *bs, const char *id,
                           Error **errp);
int qcow2_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list);

/* ---- qcow2-check.c ---- */
int qcow2_check(BlockDriverState *bs, BdrvCheckResult *res, int fix);

#endif
