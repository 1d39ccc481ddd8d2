/*
 * qcow2 guest clusters: mapping through L1/L2, reads, writes with cluster
 * allocation and copy-on-write, zero clusters and discard, compressed
 * writes, metadata preallocation.
 *
 * Guest data never moves under s->lock: a write looks up or allocates
 * under the lock, drops it for the data transfer, and takes it again to
 * link the new clusters into the L2 table (see qcow2.h).
 */
#include "turtle/osdep.h"
#include "qcow2.h"
#include "block/io-uring.h"

bool qcow2_valid_l2_offset(BlockDriverState *bs, uint64_t l2_off);
void qcow2_metadata_add_l2(BDRVQcow2State *s, uint64_t offset);

/* ---- lookups (s->lock held) ---- */

/* The L2 table of the active tree for L1 index i: 0 and *l2 NULL when
 * there is none, -EIO when the pointer is corrupt. */
static int get_l2_table(BlockDriverState *bs, int l1_index, uint64_t **l2)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t off;

    *l2 = NULL;
    if ((uint32_t)l1_index >= s->l1_size) {
        return 0;
    }
    off = s->l1_table[l1_index] & L1E_OFFSET_MASK;
    if (!off) {
        return 0;
    }
    if (!qcow2_valid_l2_offset(bs, off)) {
        return qcow2_signal_corruption(bs, "L2 table offset %#" PRIx64
                                       " unaligned or pointing at other "
                                       "metadata (L1 index %#x)",
                                       off, l1_index);
    }
    return qcow2_cache_get(bs, s->l2_cache, off, (void **)l2);
}

static int check_data_entry(BlockDriverState *bs, uint64_t l2e,
                            uint64_t guest)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2ClusterType t = qcow2_get_cluster_type(s, l2e);

    if (t == QCOW2_CLUSTER_NORMAL || t == QCOW2_CLUSTER_ZERO_ALLOC) {
        uint64_t host = l2e & L2E_OFFSET_MASK;
        if (offset_into_cluster(s, host) ||
            host + s->cluster_size > qcow2_refcount_coverage(s)) {
            return qcow2_signal_corruption(bs, "Cluster allocation offset %#"
                                           PRIx64 " unaligned or beyond the "
                                           "image (guest offset %#" PRIx64
                                           ")", host, guest);
        }
    } else if (t == QCOW2_CLUSTER_COMPRESSED) {
        uint64_t coff;
        int csize;

        qcow2_compressed_range(s, l2e, &coff, &csize);
        if (coff == 0 || coff + csize > qcow2_refcount_coverage(s)) {
            return qcow2_signal_corruption(bs, "Compressed cluster at %#"
                                           PRIx64 " beyond the image (guest "
                                           "offset %#" PRIx64 ")", coff,
                                           guest);
        }
    }
    return 0;
}

int qcow2_get_mapping(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      Qcow2Mapping *m)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t in = offset_into_cluster(s, offset);
    int l2i = offset_to_l2_index(s, offset);
    uint64_t max_clusters = s->l2_size - l2i, n = 1, e0;
    uint64_t *l2;
    int ret;

    memset(m, 0, sizeof(*m));
    bytes = MIN(bytes, max_clusters * s->cluster_size - in);
    ret = get_l2_table(bs, offset_to_l1_index(s, offset), &l2);
    if (ret < 0) {
        return ret;
    }
    if (!l2) {
        m->type = QCOW2_CLUSTER_UNALLOCATED;
        m->bytes = bytes;
        return 0;
    }
    e0 = be64_to_cpu(l2[l2i]);
    ret = check_data_entry(bs, e0, offset);
    if (ret < 0) {
        qcow2_cache_put(s->l2_cache, (void **)&l2);
        return ret;
    }
    m->type = qcow2_get_cluster_type(s, e0);
    m->l2_entry = e0;
    if (m->type != QCOW2_CLUSTER_COMPRESSED) {
        uint64_t need = DIV_ROUND_UP(in + bytes, s->cluster_size);
        for (; n < need; n++) {
            uint64_t e = be64_to_cpu(l2[l2i + n]);
            if (qcow2_get_cluster_type(s, e) != m->type) {
                break;
            }
            if (m->type == QCOW2_CLUSTER_NORMAL &&
                ((e & L2E_OFFSET_MASK) != (e0 & L2E_OFFSET_MASK) +
                 n * s->cluster_size || check_data_entry(bs, e, 0) < 0)) {
                break;
            }
        }
    }
    qcow2_cache_put(s->l2_cache, (void **)&l2);
    m->bytes = MIN(bytes, n * s->cluster_size - in);
    if (m->type == QCOW2_CLUSTER_NORMAL) {
        m->host_offset = (e0 & L2E_OFFSET_MASK) + in;
    }
    return 0;
}

/* ---- reading (no lock for the data) ---- */

static int read_compressed(BlockDriverState *bs, uint64_t l2e, uint8_t *out)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t coff;
    int csize, ret;
    uint8_t *in;

    qcow2_compressed_range(s, l2e, &coff, &csize);
    in = g_try_malloc(csize);
    if (!in) {
        return -ENOMEM;
    }
    ret = bdrv_pread(bs->file, coff, in, csize);
    if (ret == 0 && qcow2_decompress(out, s->cluster_size, in, csize) < 0) {
        ret = -EIO;
    }
    g_free(in);
    return ret;
}

/* Bytes [offset, offset + bytes) of the backing chain (zeroes past its
 * end), into the vector. */
static int read_backing(BlockDriverState *bs, uint64_t offset,
                        uint64_t bytes, IOVector *qiov, size_t qoff)
{
    int64_t blen = bs->backing ? bdrv_getlength(bs->backing) : 0;
    uint64_t n = 0;
    int ret = 0;

    if (blen < 0) {
        return blen;
    }
    if (offset < (uint64_t)blen) {
        IOVector sub;

        n = MIN(bytes, (uint64_t)blen - offset);
        iovec_init(&sub, qiov->niov);
        iovec_concat(&sub, qiov, qoff, n);
        ret = bdrv_preadv(bs->backing, offset, n, &sub, 0);
        iovec_destroy(&sub);
    }
    if (ret == 0 && n < bytes) {
        iov_memset(qiov->iov, qiov->niov, qoff + n, 0, bytes - n);
    }
    return ret;
}

/* Read guest bytes through a mapping taken earlier (under the lock). */
static int read_mapped(BlockDriverState *bs, const Qcow2Mapping *m,
                       uint64_t offset, uint64_t bytes, IOVector *qiov,
                       size_t qoff)
{
    BDRVQcow2State *s = bs->opaque;
    IOVector sub;
    int ret;

    switch (m->type) {
    case QCOW2_CLUSTER_UNALLOCATED:
        return read_backing(bs, offset, bytes, qiov, qoff);
    case QCOW2_CLUSTER_ZERO_PLAIN:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        iov_memset(qiov->iov, qiov->niov, qoff, 0, bytes);
        return 0;
    case QCOW2_CLUSTER_COMPRESSED: {
        uint8_t *buf = qemu_try_blockalign(bs->file, s->cluster_size);

        if (!buf) {
            return -ENOMEM;
        }
        ret = read_compressed(bs, m->l2_entry, buf);
        if (ret == 0) {
            iov_from_buf(qiov->iov, qiov->niov, qoff,
                         buf + offset_into_cluster(s, offset), bytes);
        }
        qemu_vfree(buf);
        return ret;
    }
    default:
        iovec_init(&sub, qiov->niov);
        iovec_concat(&sub, qiov, qoff, bytes);
        ret = bdrv_preadv(bs->file, m->host_offset, bytes, &sub, 0);
        iovec_destroy(&sub);
        return ret;
    }
}

static int check_range(BDRVQcow2State *s, uint64_t offset, uint64_t bytes)
{
    /* the disk, or the VM state area past it (savevm) */
    uint64_t limit = (uint64_t)QCOW2_MAX_L1_SIZE / 8
                     << (s->cluster_bits + s->l2_bits);
    if (offset > limit || bytes > limit - offset) {
        return -EIO;
    }
    return 0;
}

void qcow2_data_io_begin(BDRVQcow2State *s, Qcow2DataIO *io, uint64_t host,
                         uint64_t bytes)
{
    io->first = host >> s->cluster_bits;
    io->last = (host + MAX(bytes, 1) - 1) >> s->cluster_bits;
    io->next = s->data_io;
    s->data_io = io;
}

void qcow2_data_io_end(BDRVQcow2State *s, Qcow2DataIO *io)
{
    for (Qcow2DataIO **p = &s->data_io; *p; p = &(*p)->next) {
        if (*p == io) {
            *p = io->next;
            return;
        }
    }
}

int qcow2_read_data(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                    IOVector *qiov, size_t qoff)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = check_range(s, offset, bytes);

    while (ret == 0 && bytes > 0) {
        Qcow2Mapping m;
        Qcow2DataIO io;
        bool registered = false;

        pthread_mutex_lock(&s->lock);
        ret = qcow2_get_mapping(bs, offset, bytes, &m);
        /* the clusters must not be freed and reused for other data (a
         * discard racing with this read) while we read them */
        if (ret == 0 && m.type == QCOW2_CLUSTER_NORMAL) {
            qcow2_data_io_begin(s, &io, m.host_offset, m.bytes);
            registered = true;
        } else if (ret == 0 && m.type == QCOW2_CLUSTER_COMPRESSED) {
            uint64_t coff;
            int csize;

            qcow2_compressed_range(s, m.l2_entry, &coff, &csize);
            qcow2_data_io_begin(s, &io, coff, csize);
            registered = true;
        }
        pthread_mutex_unlock(&s->lock);
        if (ret < 0) {
            break;
        }
        ret = read_mapped(bs, &m, offset, m.bytes, qiov, qoff);
        if (registered) {
            pthread_mutex_lock(&s->lock);
            qcow2_data_io_end(s, &io);
            pthread_mutex_unlock(&s->lock);
        }
        offset += m.bytes;
        qoff += m.bytes;
        bytes -= m.bytes;
    }
    return ret;
}

/* ---- allocations in flight ---- */

static bool alloc_overlaps(BDRVQcow2State *s, uint64_t first, uint64_t last)
{
    for (Qcow2Alloc *a = s->allocs; a; a = a->next) {
        if (a->first <= last && first <= a->last) {
            return true;
        }
    }
    return false;
}

static void wait_allocs(BDRVQcow2State *s, uint64_t offset, uint64_t bytes)
{
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + bytes - 1) >> s->cluster_bits;

    while (alloc_overlaps(s, first, last)) {
        pthread_cond_wait(&s->cond, &s->lock);
    }
}

static void alloc_begin(BDRVQcow2State *s, Qcow2Alloc *a, uint64_t first,
                        uint64_t n)
{
    a->first = first;
    a->last = first + n - 1;
    a->next = s->allocs;
    s->allocs = a;
}

static void alloc_end(BDRVQcow2State *s, Qcow2Alloc *a)
{
    for (Qcow2Alloc **p = &s->allocs; *p; p = &(*p)->next) {
        if (*p == a) {
            *p = a->next;
            break;
        }
    }
    pthread_cond_broadcast(&s->cond);
}

/* ---- L1 and L2 tables for writing (s->lock held) ---- */

int qcow2_grow_l1_table(BlockDriverState *bs, uint64_t min_size, bool exact)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t new_size, old_off, old_size, bytes, *table;
    int64_t new_off;
    uint8_t hdr[12];
    int ret;

    if (min_size <= s->l1_size) {
        return 0;
    }
    /* the new table is written from memory: pending entries' tables
     * must be stable first (this may wait, so look again after) */
    ret = qcow2_sync_metadata(bs);
    if (ret < 0 || min_size <= s->l1_size) {
        return ret;
    }
    new_size = exact ? min_size : MAX(min_size, s->l1_size + s->l1_size / 2);
    old_off = s->l1_table_offset;
    old_size = s->l1_size;
    new_size = MIN(new_size, QCOW2_MAX_L1_SIZE / 8);
    if (new_size < min_size) {
        return -EFBIG;
    }
    bytes = ROUND_UP(new_size * 8, s->cluster_size);
    new_size = bytes / 8;
    new_off = qcow2_alloc_clusters(bs, bytes >> s->cluster_bits);
    if (new_off < 0) {
        return new_off;
    }
    table = g_try_malloc0(bytes);
    if (!table) {
        qcow2_free_clusters_deferred(bs, new_off, bytes >> s->cluster_bits);
        return -ENOMEM;
    }
    for (uint64_t i = 0; i < old_size; i++) {
        table[i] = cpu_to_be64(s->l1_table[i]);
    }
    /* the new table and its refcounts are stable before the header
     * points at it */
    ret = bdrv_pwrite(bs->file, new_off, table, bytes);
    if (ret == 0) {
        ret = qcow2_cache_write(bs, s->refcount_cache, NULL);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret == 0) {
        st32_be_p(hdr, new_size);
        st64_be_p(hdr + 4, new_off);
        ret = bdrv_pwrite(bs->file, 36, hdr, sizeof(hdr));
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        g_free(table);
        qcow2_free_clusters_deferred(bs, new_off, bytes >> s->cluster_bits);
        return ret;
    }
    for (uint64_t i = 0; i < new_size; i++) {
        table[i] = be64_to_cpu(table[i]);
    }
    g_free(s->l1_table);
    s->l1_table = table;
    s->l1_size = new_size;
    s->l1_table_offset = new_off;
    if (old_size) {
        qcow2_metadata_remove(s, old_off, old_size * 8);
        qcow2_free_clusters_deferred(bs, old_off,
                                     size_to_clusters(s, old_size * 8));
    }
    qcow2_metadata_rebuild(bs);
    return 0;
}

int qcow2_get_l2_for_write(BlockDriverState *bs, uint64_t offset,
                           uint64_t **l2, int *l2_index)
{
    BDRVQcow2State *s = bs->opaque;
    int l1i = offset_to_l1_index(s, offset);
    uint64_t old_off;
    int64_t new_off;
    uint64_t *old;
    int ret;

    *l2_index = offset_to_l2_index(s, offset);
    if ((uint32_t)l1i >= s->l1_size) {
        ret = qcow2_grow_l1_table(bs, l1i + 1, false);
        if (ret < 0) {
            return ret;
        }
    }
    old_off = s->l1_table[l1i] & L1E_OFFSET_MASK;
    if (old_off && !qcow2_valid_l2_offset(bs, old_off)) {
        return qcow2_signal_corruption(bs, "L2 table offset %#" PRIx64
                                       " invalid (L1 index %#x)", old_off,
                                       l1i);
    }
    if (old_off && (s->l1_table[l1i] & QCOW_OFLAG_COPIED)) {
        return qcow2_cache_get(bs, s->l2_cache, old_off, (void **)l2);
    }

    /* a new table: empty, or a copy of a shared one (snapshot) */
    if (s->lazy_refcounts) {
        ret = qcow2_mark_dirty(bs);
        if (ret < 0) {
            return ret;
        }
    }
    new_off = qcow2_alloc_clusters(bs, 1);
    if (new_off < 0) {
        return new_off;
    }
    if (qcow2_overlaps_metadata(bs, new_off, s->cluster_size)) {
        return qcow2_signal_corruption(bs, "New L2 table at %#" PRIx64
                                       " overlaps metadata", new_off);
    }
    ret = qcow2_cache_get_empty(bs, s->l2_cache, new_off, (void **)l2);
    if (ret < 0) {
        return ret;
    }
    if (old_off) {
        ret = qcow2_cache_get(bs, s->l2_cache, old_off, (void **)&old);
        if (ret < 0) {
            qcow2_cache_put(s->l2_cache, (void **)l2);
            return ret;
        }
        memcpy(*l2, old, s->cluster_size);
        qcow2_cache_put(s->l2_cache, (void **)&old);
    } else {
        memset(*l2, 0, s->cluster_size);
    }
    qcow2_cache_mark_dirty(s->l2_cache, *l2);
    qcow2_metadata_add_l2(s, new_off);
    /* the entry reaches the disk at the next sync, after the table */
    s->l1_table[l1i] = new_off | QCOW_OFLAG_COPIED;
    g_hash_table_add(s->l1_pending, GINT_TO_POINTER(l1i + 1));
    if (old_off) {
        qcow2_metadata_remove(s, old_off, s->cluster_size);
        qcow2_free_clusters_deferred(bs, old_off, 1);
    }
    return 0;
}

/* ---- writing ---- */

static bool entry_is_inplace(BDRVQcow2State *s, uint64_t e)
{
    return qcow2_get_cluster_type(s, e) == QCOW2_CLUSTER_NORMAL &&
           (e & QCOW_OFLAG_COPIED);
}

/* Old contents of guest bytes [off, off + n) in one cluster whose L2
 * entry was e (copy-on-write source). */
static int read_old(BlockDriverState *bs, uint64_t e, uint64_t off,
                    uint64_t n, uint8_t *buf)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2Mapping m = { .type = qcow2_get_cluster_type(s, e), .l2_entry = e };
    IOVector q;

    if (m.type == QCOW2_CLUSTER_NORMAL) {
        m.host_offset = (e & L2E_OFFSET_MASK) + offset_into_cluster(s, off);
    }
    iovec_init_buf(&q, buf, n);
    return read_mapped(bs, &m, off, n, &q, 0);
}

/* Write in place into allocated clusters [offset, offset + bytes). */
static int write_inplace(BlockDriverState *bs, uint64_t host,
                         uint64_t bytes, IOVector *qiov, size_t qoff)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2DataIO io;
    IOVector sub;
    int ret;

    if (qcow2_overlaps_metadata(bs, host, bytes)) {
        return qcow2_signal_corruption(bs, "Preventing a data write at %#"
                                       PRIx64 " over metadata", host);
    }
    qcow2_data_io_begin(s, &io, host, bytes);
    pthread_mutex_unlock(&s->lock);

    iovec_init(&sub, qiov->niov);
    iovec_concat(&sub, qiov, qoff, bytes);
    ret = bdrv_pwritev(bs->file, host, bytes, &sub, 0);
    iovec_destroy(&sub);

    pthread_mutex_lock(&s->lock);
    qcow2_data_io_end(s, &io);
    return ret;
}

/*
 * Allocate n clusters for guest offset 'offset' (the request covers
 * [offset, offset + bytes) inside them), copy the old contents around the
 * request, write, and link.  Called and returns with s->lock held.
 */
static int write_allocate(BlockDriverState *bs, uint64_t offset,
                          uint64_t bytes, uint64_t n, const uint64_t *old,
                          IOVector *qiov, size_t qoff)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t cs = s->cluster_size;
    uint64_t first = start_of_cluster(s, offset);
    uint64_t end = offset + bytes;
    uint64_t head = offset - first;
    uint64_t tail = first + n * cs - end;
    uint8_t *hbuf = NULL, *tbuf = NULL;
    Qcow2Alloc a;
    IOVector v;
    uint64_t *l2;
    int64_t host;
    int l2i, ret;

    if (s->lazy_refcounts) {
        ret = qcow2_mark_dirty(bs);
        if (ret < 0) {
            return ret;
        }
    }
    host = qcow2_alloc_clusters(bs, n);
    if (host < 0) {
        return host;
    }
    if (qcow2_overlaps_metadata(bs, host, n * cs)) {
        return qcow2_signal_corruption(bs, "Allocated clusters at %#" PRIx64
                                       " overlap metadata", host);
    }
    alloc_begin(s, &a, first >> s->cluster_bits, n);
    pthread_mutex_unlock(&s->lock);

    ret = 0;
    if (head) {
        hbuf = qemu_try_blockalign(bs->file, head);
        ret = hbuf ? read_old(bs, old[0], first, head, hbuf) : -ENOMEM;
    }
    if (ret == 0 && tail) {
        tbuf = qemu_try_blockalign(bs->file, tail);
        ret = tbuf ? read_old(bs, old[n - 1], end, tail, tbuf) : -ENOMEM;
    }
    if (ret == 0) {
        iovec_init(&v, qiov->niov + 2);
        if (head) {
            iovec_add(&v, hbuf, head);
        }
        iovec_concat(&v, qiov, qoff, bytes);
        if (tail) {
            iovec_add(&v, tbuf, tail);
        }
        ret = bdrv_pwritev(bs->file, host, n * cs, &v, 0);
        iovec_destroy(&v);
    }
    qemu_vfree(hbuf);
    qemu_vfree(tbuf);

    pthread_mutex_lock(&s->lock);
    if (ret == 0) {
        ret = qcow2_get_l2_for_write(bs, first, &l2, &l2i);
    }
    if (ret == 0) {
        for (uint64_t k = 0; k < n; k++) {
            uint64_t e = be64_to_cpu(l2[l2i + k]);
            l2[l2i + k] = cpu_to_be64((host + k * cs) | QCOW_OFLAG_COPIED);
            qcow2_free_l2_entry_deferred(bs, e);
        }
        qcow2_cache_mark_dirty(s->l2_cache, l2);
        qcow2_cache_put(s->l2_cache, (void **)&l2);
    } else {
        qcow2_free_clusters_deferred(bs, host, n);
    }
    alloc_end(s, &a);
    return ret;
}

int qcow2_write_data(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                     IOVector *qiov, size_t qoff)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = check_range(s, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    pthread_mutex_lock(&s->lock);
    while (bytes > 0) {
        uint64_t in = offset_into_cluster(s, offset);
        int l2i = offset_to_l2_index(s, offset);
        uint64_t chunk = MIN(bytes, (uint64_t)(s->l2_size - l2i) *
                             s->cluster_size - in);
        uint64_t nclusters = DIV_ROUND_UP(in + chunk, s->cluster_size);
        uint64_t *l2, n = 1, len;
        g_autofree uint64_t *old = NULL;

        if (s->corrupt) {
            ret = -EIO;
            break;
        }
        wait_allocs(s, offset, chunk);
        ret = get_l2_table(bs, offset_to_l1_index(s, offset), &l2);
        if (ret < 0) {
            break;
        }
        old = g_new0(uint64_t, nclusters);
        if (l2) {
            for (uint64_t k = 0; k < nclusters; k++) {
                old[k] = be64_to_cpu(l2[l2i + k]);
            }
            qcow2_cache_put(s->l2_cache, (void **)&l2);
        }
        if ((uint32_t)offset_to_l1_index(s, offset) >= s->l1_size ||
            !(s->l1_table[offset_to_l1_index(s, offset)] &
              QCOW_OFLAG_COPIED)) {
            /* a shared (or no) L2 table: every entry needs writing */
            for (uint64_t k = 0; k < nclusters; k++) {
                old[k] &= ~QCOW_OFLAG_COPIED;
            }
        }
        ret = check_data_entry(bs, old[0], offset);
        if (ret < 0) {
            break;
        }
        if (entry_is_inplace(s, old[0])) {
            uint64_t host = old[0] & L2E_OFFSET_MASK;
            for (; n < nclusters; n++) {
                if (!entry_is_inplace(s, old[n]) ||
                    (old[n] & L2E_OFFSET_MASK) != host + n * s->cluster_size) {
                    break;
                }
            }
            len = MIN(chunk, n * s->cluster_size - in);
            ret = write_inplace(bs, host + in, len, qiov, qoff);
        } else {
            for (; n < nclusters; n++) {
                if (entry_is_inplace(s, old[n])) {
                    break;
                }
            }
            /* a bounded amount per allocation: other requests may go */
            n = MIN(n, MAX(1, (4 * MiB) >> s->cluster_bits));
            len = MIN(chunk, n * s->cluster_size - in);
            ret = write_allocate(bs, offset, len, n, old, qiov, qoff);
        }
        if (ret < 0) {
            break;
        }
        offset += len;
        qoff += len;
        bytes -= len;
    }
    pthread_mutex_unlock(&s->lock);
    return ret;
}

/* ---- zero clusters and discard ---- */

int qcow2_cluster_discard(BlockDriverState *bs, uint64_t offset,
                          uint64_t bytes, bool zero, bool keep_alloc)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = 0;

    pthread_mutex_lock(&s->lock);
    while (bytes > 0 && ret == 0) {
        int l2i = offset_to_l2_index(s, offset);
        uint64_t n = MIN(DIV_ROUND_UP(bytes, s->cluster_size),
                         (uint64_t)(s->l2_size - l2i));
        uint64_t len = MIN(bytes, n * s->cluster_size);
        uint64_t *l2;
        bool need = false;

        if (s->corrupt) {
            ret = -EIO;
            break;
        }
        wait_allocs(s, offset, len);
        ret = get_l2_table(bs, offset_to_l1_index(s, offset), &l2);
        if (ret < 0) {
            break;
        }
        if (l2) {
            qcow2_cache_put(s->l2_cache, (void **)&l2);
            need = true;
        } else {
            /* nothing allocated: only zeroes over a backing file need
             * a table (to hide the backing file's data) */
            need = zero && bs->backing;
        }
        if (need) {
            if (s->lazy_refcounts) {
                ret = qcow2_mark_dirty(bs);
            }
            if (ret == 0) {
                ret = qcow2_get_l2_for_write(bs, offset, &l2, &l2i);
            }
            if (ret < 0) {
                break;
            }
            for (uint64_t k = 0; k < n; k++) {
                uint64_t e = be64_to_cpu(l2[l2i + k]), ne;
                Qcow2ClusterType t = qcow2_get_cluster_type(s, e);

                if (zero) {
                    ne = (keep_alloc && entry_is_inplace(s, e))
                         ? e | QCOW_OFLAG_ZERO : QCOW_OFLAG_ZERO;
                } else {
                    /* v3 keeps reads as zeroes over a backing file */
                    ne = (s->qcow_version >= 3 && bs->backing)
                         ? QCOW_OFLAG_ZERO : 0;
                }
                if (ne == e) {
                    continue;
                }
                if (check_data_entry(bs, e, offset) < 0) {
                    ret = -EIO;
                    break;
                }
                l2[l2i + k] = cpu_to_be64(ne);
                if (!(ne & L2E_OFFSET_MASK) && t != QCOW2_CLUSTER_UNALLOCATED &&
                    t != QCOW2_CLUSTER_ZERO_PLAIN) {
                    qcow2_free_l2_entry_deferred(bs, e);
                }
            }
            qcow2_cache_mark_dirty(s->l2_cache, l2);
            qcow2_cache_put(s->l2_cache, (void **)&l2);
        }
        offset += len;
        bytes -= len;
    }
    /* do not let many discards pile up unreclaimed */
    if (ret == 0 && s->frees->len > 4096) {
        ret = qcow2_sync_metadata(bs);
    }
    pthread_mutex_unlock(&s->lock);
    return ret;
}

/* ---- compressed writes ---- */

int qcow2_write_compressed(BlockDriverState *bs, uint64_t offset,
                           const void *buf, uint64_t bytes)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t cs = s->cluster_size;
    g_autofree uint8_t *in = NULL, *out = NULL;
    Qcow2Alloc a;
    uint64_t *l2;
    int64_t coff;
    int len, l2i, ret;

    if (offset_into_cluster(s, offset) || bytes > cs ||
        (bytes < cs && offset + bytes != s->size)) {
        return -EINVAL;
    }
    in = g_malloc0(cs);
    memcpy(in, buf, bytes);
    out = g_malloc(cs);
    len = qcow2_compress(out, cs - 1, in, cs);
    if (len < 0) {
        /* incompressible: a normal cluster */
        IOVector q;

        iovec_init_buf(&q, in, bytes);
        return qcow2_write_data(bs, offset, bytes, &q, 0);
    }

    pthread_mutex_lock(&s->lock);
    wait_allocs(s, offset, cs);
    if (s->corrupt) {
        pthread_mutex_unlock(&s->lock);
        return -EIO;
    }
    if (s->lazy_refcounts) {
        ret = qcow2_mark_dirty(bs);
        if (ret < 0) {
            pthread_mutex_unlock(&s->lock);
            return ret;
        }
    }
    coff = qcow2_alloc_bytes(bs, len);
    if (coff < 0) {
        pthread_mutex_unlock(&s->lock);
        return coff;
    }
    if (qcow2_overlaps_metadata(bs, coff, len)) {
        ret = qcow2_signal_corruption(bs, "Compressed data at %#" PRIx64
                                      " would overlap metadata", coff);
        pthread_mutex_unlock(&s->lock);
        return ret;
    }
    alloc_begin(s, &a, offset >> s->cluster_bits, 1);
    pthread_mutex_unlock(&s->lock);

    ret = bdrv_pwrite(bs->file, coff, out, len);

    pthread_mutex_lock(&s->lock);
    if (ret == 0) {
        ret = qcow2_get_l2_for_write(bs, offset, &l2, &l2i);
    }
    if (ret == 0) {
        uint64_t nb = ((coff + len - 1) >> 9) - (coff >> 9);
        uint64_t e = be64_to_cpu(l2[l2i]);

        l2[l2i] = cpu_to_be64(QCOW_OFLAG_COMPRESSED | coff |
                              (nb << s->csize_shift));
        qcow2_free_l2_entry_deferred(bs, e);
        qcow2_cache_mark_dirty(s->l2_cache, l2);
        qcow2_cache_put(s->l2_cache, (void **)&l2);
    }
    alloc_end(s, &a);
    pthread_mutex_unlock(&s->lock);
    return ret;
}

/* ---- preallocation (s->lock held) ---- */

int qcow2_preallocate_metadata(BlockDriverState *bs, uint64_t from,
                               uint64_t to)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t offset = start_of_cluster(s, from);
    int ret = 0;

    while (offset < to && ret == 0) {
        int l2i;
        uint64_t *l2;
        uint64_t n = MIN(size_to_clusters(s, to - offset),
                         (uint64_t)(s->l2_size - offset_to_l2_index(s,
                                                                offset)));
        int64_t host;

        ret = qcow2_get_l2_for_write(bs, offset, &l2, &l2i);
        if (ret < 0) {
            break;
        }
        qcow2_cache_put(s->l2_cache, (void **)&l2);
        host = qcow2_alloc_clusters(bs, n);
        if (host < 0) {
            ret = host;
            break;
        }
        ret = qcow2_get_l2_for_write(bs, offset, &l2, &l2i);
        if (ret < 0) {
            break;
        }
        for (uint64_t k = 0; k < n; k++) {
            uint64_t e = be64_to_cpu(l2[l2i + k]);
            if (qcow2_get_cluster_type(s, e) != QCOW2_CLUSTER_UNALLOCATED) {
                qcow2_free_clusters_deferred(bs, host + k * s->cluster_size,
                                             1);
                continue;
            }
            l2[l2i + k] = cpu_to_be64((host + k * s->cluster_size) |
                                      QCOW_OFLAG_COPIED);
        }
        qcow2_cache_mark_dirty(s->l2_cache, l2);
        qcow2_cache_put(s->l2_cache, (void **)&l2);
        /* the data clusters exist in the file (sparse) */
        {
            int64_t flen = bdrv_getlength(bs->file);
            uint64_t need = host + n * s->cluster_size;
            if (flen >= 0 && (uint64_t)flen < need) {
                Error *err = NULL;
                if (!bdrv_truncate(bs->file, need, PREALLOC_MODE_OFF, &err)) {
                    error_free(err);
                    ret = -EIO;
                }
            }
        }
        offset += n * s->cluster_size;
    }
    return ret;
}

/* ---- the io_uring fast path ---- */

typedef struct FastReq {
    BlockDriverState *bs;
    Qcow2DataIO io;
    bool is_write;
    void (*cb)(void *opaque, int ret);
    void *opaque;
} FastReq;

static void fast_done(void *opaque, int ret)
{
    FastReq *f = opaque;
    BDRVQcow2State *s = f->bs->opaque;

    pthread_mutex_lock(&s->lock);
    qcow2_data_io_end(s, &f->io);
    pthread_mutex_unlock(&s->lock);
    f->cb(f->opaque, ret);
    g_free(f);
}

bool qcow2_try_submit(BlockDriverState *bs, int op, int64_t offset,
                      int64_t bytes, IOVector *qiov, int flags,
                      void (*cb)(void *opaque, int ret), void *opaque)
{
    BDRVQcow2State *s = bs->opaque;
    BlockDriverState *file = bs->file;
    uint64_t first, last, host = 0, *l2 = NULL, l2_off;
    int l1i = offset_to_l1_index(s, offset), l2i;
    bool ok = false, write = op == LURING_OP_WRITE;
    FastReq *f;

    if (op == LURING_OP_FLUSH || !file->drv->try_submit || bytes <= 0 ||
        (uint64_t)offset + bytes > s->size || (flags & BDRV_REQ_FUA)) {
        return false;
    }
    first = offset >> s->cluster_bits;
    last = (offset + bytes - 1) >> s->cluster_bits;
    if (offset_to_l1_index(s, offset + bytes - 1) != l1i ||
        pthread_mutex_trylock(&s->lock) != 0) {
        return false;
    }
    if (s->corrupt || (uint32_t)l1i >= s->l1_size ||
        (write && (!(s->l1_table[l1i] & QCOW_OFLAG_COPIED) ||
                   alloc_overlaps(s, first, last)))) {
        goto out;
    }
    l2_off = s->l1_table[l1i] & L1E_OFFSET_MASK;
    if (!l2_off || !qcow2_valid_l2_offset(bs, l2_off) ||
        qcow2_cache_peek(s->l2_cache, l2_off, (void **)&l2) < 0) {
        goto out;
    }
    l2i = offset_to_l2_index(s, offset);
    for (uint64_t k = 0; k <= last - first; k++) {
        uint64_t e = be64_to_cpu(l2[l2i + k]);
        uint64_t h = e & L2E_OFFSET_MASK;

        if (qcow2_get_cluster_type(s, e) != QCOW2_CLUSTER_NORMAL ||
            (write && !(e & QCOW_OFLAG_COPIED)) ||
            offset_into_cluster(s, h) ||
            h + s->cluster_size > qcow2_refcount_coverage(s) ||
            (k && h != host + k * s->cluster_size)) {
            goto out_put;
        }
        if (k == 0) {
            host = h;
        }
    }
    host += offset_into_cluster(s, offset);
    if (write && qcow2_overlaps_metadata(bs, host, bytes)) {
        goto out_put;               /* the slow path reports it */
    }
    f = g_new0(FastReq, 1);
    f->bs = bs;
    f->is_write = write;
    f->cb = cb;
    f->opaque = opaque;
    qcow2_data_io_begin(s, &f->io, host, bytes);
    ok = file->drv->try_submit(file, op, host, bytes, qiov, 0, fast_done, f);
    if (!ok) {
        qcow2_data_io_end(s, &f->io);
        g_free(f);
    }
out_put:
    qcow2_cache_put(s->l2_cache, (void **)&l2);
out:
    pthread_mutex_unlock(&s->lock);
    return ok;
}
