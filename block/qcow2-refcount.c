/*
 * qcow2 refcounts: reading and updating them, the cluster allocator,
 * refcount blocks and table growth, and deferred frees.  s->lock held.
 */
#include "turtle/osdep.h"
#include "qcow2.h"

/* ---- entries of any width (refcount_order 0..6) ---- */

uint64_t qcow2_get_refcount_ro(BDRVQcow2State *s, const void *block,
                               uint64_t index)
{
    const uint8_t *b = block;

    switch (s->refcount_order) {
    case 0: case 1: case 2: {
        int bits = s->refcount_bits;
        uint64_t bit = index << s->refcount_order;
        return (b[bit >> 3] >> (bit & 7)) & ((1u << bits) - 1);
    }
    case 3:
        return b[index];
    case 4:
        return ld16_be_p(b + 2 * index);
    case 5:
        return ld32_be_p(b + 4 * index);
    default:
        return ld64_be_p(b + 8 * index);
    }
}

void qcow2_set_refcount_ro(BDRVQcow2State *s, void *block, uint64_t index,
                           uint64_t value)
{
    uint8_t *b = block;

    switch (s->refcount_order) {
    case 0: case 1: case 2: {
        int bits = s->refcount_bits;
        uint64_t bit = index << s->refcount_order;
        uint8_t mask = ((1u << bits) - 1) << (bit & 7);
        b[bit >> 3] = (b[bit >> 3] & ~mask) | ((value << (bit & 7)) & mask);
        break;
    }
    case 3:
        b[index] = value;
        break;
    case 4:
        st16_be_p(b + 2 * index, value);
        break;
    case 5:
        st32_be_p(b + 4 * index, value);
        break;
    default:
        st64_be_p(b + 8 * index, value);
        break;
    }
}

/* ---- the table ---- */

int qcow2_refcount_init(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t bytes = (uint64_t)s->refcount_table_size * 8;
    int ret;

    s->refcount_table = g_try_malloc0(MAX(bytes, 8));
    if (!s->refcount_table) {
        error_setg(errp, "Could not allocate the refcount table");
        return -ENOMEM;
    }
    if (bytes) {
        ret = bdrv_pread(bs->file, s->refcount_table_offset,
                         s->refcount_table, bytes);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not read the refcount "
                             "table");
            return ret;
        }
    }
    for (uint32_t i = 0; i < s->refcount_table_size; i++) {
        s->refcount_table[i] = be64_to_cpu(s->refcount_table[i]);
    }
    return 0;
}

/* The refcount block for table index i: its offset, 0 if none, or -EIO
 * for an entry that cannot be a refcount block. */
static int64_t refblock_offset(BlockDriverState *bs, uint64_t rt_index)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t off;

    if (rt_index >= s->refcount_table_size) {
        return 0;
    }
    off = s->refcount_table[rt_index] & REFT_OFFSET_MASK;
    if (!off) {
        return 0;
    }
    if (offset_into_cluster(s, off) || off >= qcow2_refcount_coverage(s)) {
        return qcow2_signal_corruption(bs, "Refblock offset %#" PRIx64
                                       " unaligned or beyond the image "
                                       "(reftable index %#" PRIx64 ")",
                                       off, rt_index);
    }
    return off;
}

int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster_index,
                       uint64_t *refcount)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t off = refblock_offset(bs, cluster_index >> s->refcount_block_bits);
    void *block;
    int ret;

    *refcount = 0;
    if (off <= 0) {
        return off;
    }
    ret = qcow2_cache_get(bs, s->refcount_cache, off, &block);
    if (ret < 0) {
        return ret;
    }
    *refcount = qcow2_get_refcount_ro(s, block, cluster_index &
                                      (s->refcount_block_size - 1));
    qcow2_cache_put(s->refcount_cache, &block);
    return 0;
}

static int write_reftable_entry(BlockDriverState *bs, uint64_t rt_index)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t be = cpu_to_be64(s->refcount_table[rt_index]);

    return bdrv_pwrite(bs->file, s->refcount_table_offset + 8 * rt_index,
                       &be, 8);
}

/* First cluster of a run of n free ones at or after the hint. */
static int64_t find_free_run(BlockDriverState *bs, uint64_t n)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t i = s->free_cluster_index, run = 0, start = i;
    uint64_t limit = (1ull << 56) >> s->cluster_bits;

    for (; i < limit; i++) {
        uint64_t rc;
        int ret = qcow2_get_refcount(bs, i, &rc);

        if (ret < 0) {
            return ret;
        }
        if (rc == 0 && qcow2_is_metadata(s, i)) {
            return qcow2_signal_corruption(bs, "Metadata cluster %#" PRIx64
                                           " has refcount 0",
                                           i << s->cluster_bits);
        }
        if (rc) {
            run = 0;
            continue;
        }
        if (!run) {
            start = i;
        }
        if (++run == n) {
            return start;
        }
    }
    return -EFBIG;
}

/*
 * The table is full: place new refcount blocks and a larger table at the
 * end of the space the old table describes (nothing can live there), the
 * blocks describing themselves, the table and the clusters up to needed.
 */
static int grow_refcount_table(BlockDriverState *bs, uint64_t needed)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t E = s->refcount_block_size, cs = s->cluster_size;
    uint64_t old_size = s->refcount_table_size;
    uint64_t area = old_size * E;          /* first cluster index free */
    uint64_t nb_blocks = 1, table_clusters, new_size, end;
    uint64_t old_offset = s->refcount_table_offset;
    uint64_t old_clusters = size_to_clusters(s, old_size * 8);
    uint64_t *new_table;
    uint8_t *block;
    uint8_t hdr[12];
    int ret;

    for (;;) {
        new_size = MAX(old_size + nb_blocks,
                       (needed >> s->refcount_block_bits) + 1);
        new_size = MAX(new_size, old_size + old_size / 2);
        table_clusters = size_to_clusters(s, new_size * 8);
        new_size = table_clusters * cs / 8;
        end = MAX(needed + 1, area + nb_blocks + table_clusters);
        if (nb_blocks * E >= end - area) {
            break;
        }
        nb_blocks = DIV_ROUND_UP(end - area, E);
    }
    if (new_size * 8 > QCOW2_MAX_REFTABLE_SIZE) {
        return -EFBIG;
    }
    new_table = g_try_malloc0(table_clusters * cs);
    block = qemu_try_blockalign(bs->file, cs);
    if (!new_table || !block) {
        g_free(new_table);
        qemu_vfree(block);
        return -ENOMEM;
    }
    for (uint64_t i = 0; i < old_size; i++) {
        new_table[i] = cpu_to_be64(s->refcount_table[i]);
    }
    for (uint64_t k = 0; k < nb_blocks; k++) {
        new_table[old_size + k] = cpu_to_be64((area + k) * cs);
    }
    /* the blocks: refcount 1 for themselves and the new table */
    for (uint64_t k = 0; k < nb_blocks; k++) {
        memset(block, 0, cs);
        for (uint64_t c = (area + k * E); c < area + (k + 1) * E &&
             c < area + nb_blocks + table_clusters; c++) {
            qcow2_set_refcount_ro(s, block, c & (E - 1), 1);
        }
        ret = bdrv_pwrite(bs->file, (area + k) * cs, block, cs);
        if (ret < 0) {
            goto out;
        }
    }
    ret = bdrv_pwrite(bs->file, (area + nb_blocks) * cs, new_table,
                      table_clusters * cs);
    if (ret < 0) {
        goto out;
    }
    ret = bdrv_flush(bs->file);
    if (ret < 0) {
        goto out;
    }
    /* switch: offset and size are adjacent header fields, one write */
    st64_be_p(hdr, (area + nb_blocks) * cs);
    st32_be_p(hdr + 8, table_clusters);
    ret = bdrv_pwrite(bs->file, 48, hdr, sizeof(hdr));
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        goto out;
    }
    for (uint64_t i = 0; i < new_size; i++) {
        new_table[i] = be64_to_cpu(new_table[i]);
    }
    g_free(s->refcount_table);
    s->refcount_table = new_table;
    new_table = NULL;
    s->refcount_table_size = new_size;
    s->refcount_table_offset = (area + nb_blocks) * cs;
    qcow2_metadata_remove(s, old_offset, old_clusters * cs);
    qcow2_metadata_add(s, area * cs, (nb_blocks + table_clusters) * cs);
    qcow2_free_clusters_deferred(bs, old_offset, old_clusters);
out:
    g_free(new_table);
    qemu_vfree(block);
    return ret;
}

/* Give table index rt_index a refcount block. */
static int create_refblock(BlockDriverState *bs, uint64_t rt_index)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t ci = find_free_run(bs, 1);
    uint64_t own;
    void *block;
    int ret;

    if (ci < 0) {
        return ci;
    }
    own = (uint64_t)ci >> s->refcount_block_bits;
    if (own >= s->refcount_table_size) {
        return grow_refcount_table(bs, ci);
    }
    if (own != rt_index && refblock_offset(bs, own) == 0) {
        /* the free cluster is described by another missing block:
         * that block first (it will describe itself) */
        return create_refblock(bs, own);
    }
    if (own != rt_index) {
        ret = qcow2_update_refcount(bs, (uint64_t)ci << s->cluster_bits,
                                    s->cluster_size, 1);
        if (ret < 0) {
            return ret;
        }
    }
    ret = qcow2_cache_get_empty(bs, s->refcount_cache,
                                (uint64_t)ci << s->cluster_bits, &block);
    if (ret < 0) {
        return ret;
    }
    memset(block, 0, s->cluster_size);
    if (own == rt_index) {
        qcow2_set_refcount_ro(s, block, ci & (s->refcount_block_size - 1), 1);
    }
    qcow2_cache_mark_dirty(s->refcount_cache, block);
    qcow2_cache_put(s->refcount_cache, &block);
    /* the block is stable before the table points at it */
    ret = qcow2_cache_write(bs, s->refcount_cache, NULL);
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        return ret;
    }
    s->refcount_table[rt_index] = (uint64_t)ci << s->cluster_bits;
    ret = write_reftable_entry(bs, rt_index);
    if (ret < 0) {
        s->refcount_table[rt_index] = 0;
        return ret;
    }
    qcow2_metadata_add(s, (uint64_t)ci << s->cluster_bits, s->cluster_size);
    return 0;
}

int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset,
                          uint64_t length, int64_t addend)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + length - 1) >> s->cluster_bits;
    void *block = NULL;
    int64_t block_off = 0;
    int ret = 0;

    if (length == 0) {
        return 0;
    }
    for (uint64_t ci = first; ci <= last; ci++) {
        uint64_t rt = ci >> s->refcount_block_bits;
        int64_t off = refblock_offset(bs, rt);
        uint64_t idx = ci & (s->refcount_block_size - 1), rc;

        if (off < 0) {
            ret = off;
            break;
        }
        if (off == 0) {
            if (addend < 0) {
                ret = qcow2_signal_corruption(bs, "Freeing cluster %#" PRIx64
                                              " that has no refcount",
                                              ci << s->cluster_bits);
                break;
            }
            if (block) {
                qcow2_cache_put(s->refcount_cache, &block);
            }
            ret = rt >= s->refcount_table_size ? grow_refcount_table(bs, ci)
                                               : create_refblock(bs, rt);
            if (ret < 0) {
                break;
            }
            ci--;               /* again, now with a block */
            continue;
        }
        if (off != block_off) {
            if (block) {
                qcow2_cache_put(s->refcount_cache, &block);
            }
            ret = qcow2_cache_get(bs, s->refcount_cache, off, &block);
            if (ret < 0) {
                break;
            }
            block_off = off;
        }
        rc = qcow2_get_refcount_ro(s, block, idx);
        if ((addend < 0 && rc < (uint64_t)-addend) ||
            (addend > 0 && rc + addend > s->refcount_max)) {
            if (addend > 0) {
                ret = -ERANGE;
            } else {
                ret = qcow2_signal_corruption(bs, "Refcount of cluster %#"
                                              PRIx64 " would drop below 0",
                                              ci << s->cluster_bits);
            }
            break;
        }
        rc += addend;
        qcow2_set_refcount_ro(s, block, idx, rc);
        qcow2_cache_mark_dirty(s->refcount_cache, block);
        if (rc == 0) {
            uint64_t coff = ci << s->cluster_bits;

            if (ci < s->free_cluster_index) {
                s->free_cluster_index = ci;
            }
            qcow2_cache_discard(s->l2_cache, coff);
            qcow2_metadata_remove(s, coff, s->cluster_size);
            if (s->free_byte_offset &&
                start_of_cluster(s, s->free_byte_offset) == coff) {
                s->free_byte_offset = 0;    /* packing cluster is gone */
            }
        }
    }
    if (block) {
        qcow2_cache_put(s->refcount_cache, &block);
    }
    return ret;
}

int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t start;
    int ret;

    if (s->corrupt) {
        return -EIO;
    }
    for (int tries = 0; tries < 64; tries++) {
        uint64_t last;
        bool again = false;

        start = find_free_run(bs, n);
        if (start < 0) {
            return start;
        }
        last = start + n - 1;
        if ((last >> s->refcount_block_bits) >= s->refcount_table_size) {
            ret = grow_refcount_table(bs, last);
            if (ret < 0) {
                return ret;
            }
            continue;
        }
        for (uint64_t rt = (uint64_t)start >> s->refcount_block_bits;
             rt <= last >> s->refcount_block_bits; rt++) {
            int64_t off = refblock_offset(bs, rt);
            if (off < 0) {
                return off;
            }
            if (off == 0) {
                ret = create_refblock(bs, rt);
                if (ret < 0) {
                    return ret;
                }
                again = true;
                break;
            }
        }
        if (again) {
            continue;
        }
        ret = qcow2_update_refcount(bs, (uint64_t)start << s->cluster_bits,
                                    n << s->cluster_bits, 1);
        if (ret < 0) {
            return ret;
        }
        s->free_cluster_index = start + n;
        if (!s->lazy_refcounts) {
            qcow2_cache_set_dependency(s->l2_cache, s->refcount_cache);
        }
        return (uint64_t)start << s->cluster_bits;
    }
    return qcow2_signal_corruption(bs, "Cluster allocation does not "
                                   "converge (refcount structure broken)");
}

int64_t qcow2_alloc_bytes(BlockDriverState *bs, int size)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t off = s->free_byte_offset, cs = s->cluster_size;
    int64_t c;
    int ret;

    g_assert(size > 0 && (uint64_t)size < cs);
    if (off && offset_into_cluster(s, off)) {
        uint64_t cur = start_of_cluster(s, off);
        uint64_t next = cur + cs, rc = 1, cur_rc;

        ret = qcow2_get_refcount(bs, cur >> s->cluster_bits, &cur_rc);
        if (ret < 0) {
            return ret;
        }
        if (cur_rc >= s->refcount_max) {
            goto fresh;     /* narrow refcounts: no more sharing */
        }

        if (offset_into_cluster(s, off) + size <= cs) {
            /* packs into the current cluster: one more user of it */
            ret = qcow2_update_refcount(bs, cur, cs, 1);
            if (ret < 0) {
                return ret;
            }
            goto done;
        }
        /* spills into the next cluster, if that one is free and already
         * described by a refcount block */
        if (refblock_offset(bs, next >> (s->cluster_bits +
                                         s->refcount_block_bits)) > 0) {
            ret = qcow2_get_refcount(bs, next >> s->cluster_bits, &rc);
            if (ret < 0) {
                return ret;
            }
        }
        if (rc == 0 && !qcow2_overlaps_metadata(bs, next, cs)) {
            ret = qcow2_update_refcount(bs, cur, 2 * cs, 1);
            if (ret < 0) {
                return ret;
            }
            if ((next >> s->cluster_bits) >= s->free_cluster_index) {
                s->free_cluster_index = (next >> s->cluster_bits) + 1;
            }
            goto done;
        }
    }
fresh:
    c = qcow2_alloc_clusters(bs, 1);
    if (c < 0) {
        return c;
    }
    off = c;
done:
    if (!s->lazy_refcounts) {
        qcow2_cache_set_dependency(s->l2_cache, s->refcount_cache);
    }
    s->free_byte_offset = offset_into_cluster(s, off + size) ? off + size : 0;
    return off;
}

/* ---- deferred frees ---- */

void qcow2_free_clusters_deferred(BlockDriverState *bs, uint64_t offset,
                                  uint64_t nb_clusters)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2Free f = { offset, nb_clusters };

    if (nb_clusters) {
        g_array_append_val(s->frees, f);
    }
}

void qcow2_free_l2_entry_deferred(BlockDriverState *bs, uint64_t l2e)
{
    BDRVQcow2State *s = bs->opaque;

    switch (qcow2_get_cluster_type(s, l2e)) {
    case QCOW2_CLUSTER_NORMAL:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        qcow2_free_clusters_deferred(bs, l2e & L2E_OFFSET_MASK, 1);
        break;
    case QCOW2_CLUSTER_COMPRESSED: {
        uint64_t coff;
        int csize;

        qcow2_compressed_range(s, l2e, &coff, &csize);
        qcow2_free_clusters_deferred(bs, start_of_cluster(s, coff),
            ((coff + csize - 1) >> s->cluster_bits) -
            (coff >> s->cluster_bits) + 1);
        break;
    }
    default:
        break;
    }
}

static bool free_overlaps_data_io(BDRVQcow2State *s, const Qcow2Free *f)
{
    uint64_t first = f->offset >> s->cluster_bits;
    uint64_t last = first + f->nb_clusters - 1;

    for (Qcow2DataIO *io = s->data_io; io; io = io->next) {
        if (first <= io->last && io->first <= last) {
            return true;
        }
    }
    return false;
}

int qcow2_apply_frees(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    GArray *punch, *later;
    int ret = 0;

    if (!s->frees->len) {
        return 0;
    }
    punch = g_array_new(FALSE, FALSE, sizeof(Qcow2Free));
    later = g_array_new(FALSE, FALSE, sizeof(Qcow2Free));
    for (guint i = 0; i < s->frees->len; i++) {
        Qcow2Free f = g_array_index(s->frees, Qcow2Free, i);

        if (free_overlaps_data_io(s, &f)) {
            /* guest data still going to or from it (the guest discarded
             * it meanwhile): free it at a later sync, so that it is not
             * reused under that I/O.  Not waited for: the completion may
             * need this very thread (the main loop, io_uring). */
            g_array_append_val(later, f);
            continue;
        }
        ret = qcow2_update_refcount(bs, f.offset,
                                    f.nb_clusters << s->cluster_bits, -1);
        if (ret < 0) {
            break;
        }
        for (uint64_t c = 0; c < f.nb_clusters; c++) {
            uint64_t off = f.offset + (c << s->cluster_bits), rc;
            if (qcow2_get_refcount(bs, off >> s->cluster_bits, &rc) == 0 &&
                rc == 0) {
                Qcow2Free p = { off, 1 };
                g_array_append_val(punch, p);
            }
        }
    }
    g_array_set_size(s->frees, 0);
    g_array_append_vals(s->frees, later->data, later->len);
    g_array_free(later, TRUE);
    if (ret == 0 && s->discard_passthrough) {
        for (guint i = 0; i < punch->len; i++) {
            Qcow2Free p = g_array_index(punch, Qcow2Free, i);
            bdrv_pdiscard(bs->file, p.offset, s->cluster_size);
        }
    }
    g_array_free(punch, TRUE);
    return ret;
}

/* ---- snapshots: a whole tree at once ---- */

int qcow2_update_snapshot_refcount(BlockDriverState *bs,
                                   uint64_t l1_table_offset, int l1_size,
                                   int addend)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t *l1;
    int ret;

    if (l1_table_offset == s->l1_table_offset) {
        return qcow2_update_tree_refcount(bs, s->l1_table, s->l1_size,
                                          addend, true);
    }
    if (l1_size <= 0) {
        return 0;
    }
    l1 = g_try_malloc0((uint64_t)l1_size * 8);
    if (!l1) {
        return -ENOMEM;
    }
    ret = bdrv_pread(bs->file, l1_table_offset, l1, (uint64_t)l1_size * 8);
    if (ret == 0) {
        for (int i = 0; i < l1_size; i++) {
            l1[i] = be64_to_cpu(l1[i]);
        }
        ret = qcow2_update_tree_refcount(bs, l1, l1_size, addend, false);
    }
    g_free(l1);
    return ret;
}

int qcow2_update_tree_refcount(BlockDriverState *bs, uint64_t *l1,
                               int l1_size, int addend, bool active)
{
    BDRVQcow2State *s = bs->opaque;
    bool l1_changed = false;
    int ret = 0;
    for (int i = 0; i < l1_size && ret == 0; i++) {
        uint64_t l2_off = l1[i] & L1E_OFFSET_MASK, rc;
        uint64_t *l2;

        if (!l2_off) {
            continue;
        }
        if (offset_into_cluster(s, l2_off) ||
            l2_off >= qcow2_refcount_coverage(s)) {
            ret = qcow2_signal_corruption(bs, "L2 table offset %#" PRIx64
                                          " invalid (L1 index %#x)",
                                          l2_off, i);
            break;
        }
        ret = qcow2_cache_get(bs, s->l2_cache, l2_off, (void **)&l2);
        if (ret < 0) {
            break;
        }
        for (int j = 0; j < s->l2_size; j++) {
            uint64_t e = be64_to_cpu(l2[j]), ne = e;
            Qcow2ClusterType t = qcow2_get_cluster_type(s, e);

            if (t == QCOW2_CLUSTER_NORMAL || t == QCOW2_CLUSTER_ZERO_ALLOC) {
                uint64_t host = e & L2E_OFFSET_MASK;

                if (addend) {
                    ret = qcow2_update_refcount(bs, host, 1, addend);
                    if (ret < 0) {
                        break;
                    }
                }
                ret = qcow2_get_refcount(bs, host >> s->cluster_bits, &rc);
                if (ret < 0) {
                    break;
                }
                ne = rc == 1 ? e | QCOW_OFLAG_COPIED : e & ~QCOW_OFLAG_COPIED;
            } else if (t == QCOW2_CLUSTER_COMPRESSED && addend) {
                uint64_t coff;
                int csize;

                qcow2_compressed_range(s, e, &coff, &csize);
                ret = qcow2_update_refcount(bs, coff, csize, addend);
                if (ret < 0) {
                    break;
                }
            }
            if (active && ne != e) {
                l2[j] = cpu_to_be64(ne);
                qcow2_cache_mark_dirty(s->l2_cache, l2);
            }
        }
        qcow2_cache_put(s->l2_cache, (void **)&l2);
        if (ret < 0) {
            break;
        }
        if (addend) {
            ret = qcow2_update_refcount(bs, l2_off, 1, addend);
            if (ret < 0) {
                break;
            }
        }
        ret = qcow2_get_refcount(bs, l2_off >> s->cluster_bits, &rc);
        if (ret < 0) {
            break;
        }
        if (active) {
            uint64_t ne = rc == 1 ? l1[i] | QCOW_OFLAG_COPIED
                                  : l1[i] & ~QCOW_OFLAG_COPIED;
            if (ne != l1[i]) {
                l1[i] = ne;
                l1_changed = true;
            }
        }
    }
    if (active && l1_changed && ret == 0) {
        for (uint32_t i = 0; i < s->l1_size && ret == 0; i++) {
            ret = qcow2_write_l1_entry(bs, i);
        }
    }
    return ret;
}
