/*
 * The qcow2 format driver: header, open and close, creation, resizing,
 * information, and the guest I/O entry points (mapping and allocation
 * are in qcow2-cluster.c).  See qcow2.h for the locking and the crash
 * consistency rules.
 *
 * Supported: versions 2 and 3, cluster sizes 512 B .. 2 MiB, refcount
 * widths 1..64 bits, backing files, zero clusters, zlib-compressed
 * clusters (read and written), internal snapshots, lazy refcounts, the
 * dirty and corrupt bits.  Refused with a clear error: encryption,
 * external data files, extended L2 entries, zstd compression.
 */
#include "turtle/osdep.h"
#include "qcow2.h"
#include <json-glib/json-glib.h>
#include <fcntl.h>

/* Metadata kinds in s->metadata (the overlap checks). */
enum {
    META_HEADER = 1, META_L1, META_REFTABLE, META_REFBLOCK, META_L2,
    META_SNAPTABLE, META_SNAP_L1,
};

Qcow2ClusterType qcow2_get_cluster_type(BDRVQcow2State *s, uint64_t l2e)
{
    if (l2e & QCOW_OFLAG_COMPRESSED) {
        return QCOW2_CLUSTER_COMPRESSED;
    }
    if (s->qcow_version >= 3 && (l2e & QCOW_OFLAG_ZERO)) {
        return (l2e & L2E_OFFSET_MASK) ? QCOW2_CLUSTER_ZERO_ALLOC
                                       : QCOW2_CLUSTER_ZERO_PLAIN;
    }
    return (l2e & L2E_OFFSET_MASK) ? QCOW2_CLUSTER_NORMAL
                                   : QCOW2_CLUSTER_UNALLOCATED;
}

void qcow2_compressed_range(BDRVQcow2State *s, uint64_t l2e,
                            uint64_t *coffset, int *csize)
{
    uint64_t nb_sectors = ((l2e >> s->csize_shift) & s->csize_mask) + 1;

    *coffset = l2e & s->cluster_offset_mask;
    *csize = nb_sectors * QCOW2_COMPRESSED_SECTOR -
             (*coffset & (QCOW2_COMPRESSED_SECTOR - 1));
}

/* ---- metadata map ---- */

static void metadata_set(BDRVQcow2State *s, uint64_t offset, uint64_t size,
                         int kind, bool keep)
{
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + size - 1) >> s->cluster_bits;

    if (!size) {
        return;
    }
    for (uint64_t c = first; c <= last; c++) {
        gpointer key = GSIZE_TO_POINTER((gsize)c);
        if (kind == 0) {
            g_hash_table_remove(s->metadata, key);
        } else if (!keep || !g_hash_table_contains(s->metadata, key)) {
            g_hash_table_insert(s->metadata, key, GINT_TO_POINTER(kind));
        }
    }
}

static int metadata_kind(BDRVQcow2State *s, uint64_t offset)
{
    return GPOINTER_TO_INT(g_hash_table_lookup(s->metadata,
                GSIZE_TO_POINTER((gsize)(offset >> s->cluster_bits))));
}

void qcow2_metadata_add(BDRVQcow2State *s, uint64_t offset, uint64_t size)
{
    /* callers add L2 tables, refcount blocks and tables they create;
     * the kind matters only for pointers read from the image */
    metadata_set(s, offset, size, META_REFBLOCK, false);
}

void qcow2_metadata_add_l2(BDRVQcow2State *s, uint64_t offset);
void qcow2_metadata_add_l2(BDRVQcow2State *s, uint64_t offset)
{
    metadata_set(s, offset, s->cluster_size, META_L2, false);
}

void qcow2_metadata_remove(BDRVQcow2State *s, uint64_t offset,
                           uint64_t size)
{
    metadata_set(s, offset, size, 0, false);
}

bool qcow2_overlaps_metadata(BlockDriverState *bs, uint64_t offset,
                             uint64_t size)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + size - 1) >> s->cluster_bits;

    if (offset + size > qcow2_refcount_coverage(s) || first == 0) {
        return true;
    }
    for (uint64_t c = first; c <= last; c++) {
        if (qcow2_is_metadata(s, c)) {
            return true;
        }
    }
    return false;
}

/* Is l2_off a plausible L2 table of the active tree? */
bool qcow2_valid_l2_offset(BlockDriverState *bs, uint64_t l2_off);
bool qcow2_valid_l2_offset(BlockDriverState *bs, uint64_t l2_off)
{
    BDRVQcow2State *s = bs->opaque;

    return !offset_into_cluster(s, l2_off) &&
           l2_off + s->cluster_size <= qcow2_refcount_coverage(s) &&
           metadata_kind(s, l2_off) == META_L2;
}

void qcow2_metadata_rebuild(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    g_hash_table_remove_all(s->metadata);
    metadata_set(s, 0, s->cluster_size, META_HEADER, true);
    metadata_set(s, s->l1_table_offset, (uint64_t)s->l1_size * 8, META_L1,
                 true);
    metadata_set(s, s->refcount_table_offset,
                 (uint64_t)s->refcount_table_size * 8, META_REFTABLE, true);
    metadata_set(s, s->snapshots_offset, s->snapshots_size, META_SNAPTABLE,
                 true);
    for (int i = 0; i < s->nb_snapshots; i++) {
        metadata_set(s, s->snapshots[i].l1_table_offset,
                     (uint64_t)s->snapshots[i].l1_size * 8, META_SNAP_L1,
                     true);
    }
    /* pointers read from the image: kept only where nothing else is, so
     * an L2 "table" that is really the refcount table is caught on use */
    for (uint32_t i = 0; i < s->refcount_table_size; i++) {
        uint64_t off = s->refcount_table[i] & REFT_OFFSET_MASK;
        if (off && !offset_into_cluster(s, off)) {
            metadata_set(s, off, s->cluster_size, META_REFBLOCK, true);
        }
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t off = s->l1_table[i] & L1E_OFFSET_MASK;
        if (off && !offset_into_cluster(s, off)) {
            metadata_set(s, off, s->cluster_size, META_L2, true);
        }
    }
}

/* ---- header ---- */

static const struct {
    uint8_t type, bit;
    const char *name;
} feature_names[] = {
    { 0, 0, "dirty bit" },
    { 0, 1, "corrupt bit" },
    { 0, 2, "external data file" },
    { 0, 3, "compression type" },
    { 0, 4, "extended L2 entries" },
    { 1, 0, "lazy refcounts" },
    { 2, 0, "bitmaps" },
    { 2, 1, "raw external data" },
};

static int write_header_field(BlockDriverState *bs, int offset,
                              const void *buf, int len, bool sync)
{
    int ret = bdrv_pwrite(bs->file, offset, buf, len);

    return ret < 0 || !sync ? ret : bdrv_flush(bs->file);
}

static int write_incompatible_features(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t buf[8];

    if (s->qcow_version < 3) {
        return 0;
    }
    st64_be_p(buf, s->incompatible_features);
    return write_header_field(bs, 72, buf, 8, true);
}

int qcow2_signal_corruption(BlockDriverState *bs, const char *fmt, ...)
{
    BDRVQcow2State *s = bs->opaque;
    va_list ap;
    char *msg;

    if (s->repairing) {
        return -EIO;            /* the checker reports it */
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (!s->corrupt) {
        if (bs->read_only) {
            error_report("qcow2: Image is corrupt: %s", msg);
        } else {
            error_report("qcow2: Marking image as corrupt: %s; further "
                         "corruption events will be suppressed", msg);
            s->incompatible_features |= QCOW2_INCOMPAT_CORRUPT;
            write_incompatible_features(bs);
        }
        s->corrupt = true;
    }
    g_free(msg);
    return -EIO;
}

int qcow2_mark_dirty(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    if (s->marked_dirty || s->qcow_version < 3) {
        return 0;
    }
    /* everything written so far must be stable before the bit (a crash
     * now must repair from a state that has the bit) */
    ret = bdrv_flush(bs->file);
    if (ret < 0) {
        return ret;
    }
    s->incompatible_features |= QCOW2_INCOMPAT_DIRTY;
    ret = write_incompatible_features(bs);
    if (ret == 0) {
        s->marked_dirty = true;
    }
    return ret;
}

static int qcow2_mark_clean(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    if (!(s->incompatible_features & QCOW2_INCOMPAT_DIRTY)) {
        return 0;
    }
    ret = qcow2_sync_metadata(bs);
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        return ret;
    }
    s->incompatible_features &= ~QCOW2_INCOMPAT_DIRTY;
    s->marked_dirty = false;
    return write_incompatible_features(bs);
}

/* Rewrite the whole first cluster: header, extensions, backing name. */
int qcow2_update_header(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *buf = g_malloc0(s->cluster_size);
    uint32_t hlen = s->qcow_version >= 3 ? QCOW2_HEADER_SIZE
                                         : QCOW2_V2_HEADER_SIZE;
    size_t p = hlen, blen = 0;

    st32_be_p(buf, QCOW_MAGIC);
    st32_be_p(buf + 4, s->qcow_version);
    st32_be_p(buf + 20, s->cluster_bits);
    st64_be_p(buf + 24, s->size);
    st32_be_p(buf + 32, 0);
    st32_be_p(buf + 36, s->l1_size);
    st64_be_p(buf + 40, s->l1_table_offset);
    st64_be_p(buf + 48, s->refcount_table_offset);
    st32_be_p(buf + 56, size_to_clusters(s, (uint64_t)s->refcount_table_size
                                            * 8));
    st32_be_p(buf + 60, s->nb_snapshots);
    st64_be_p(buf + 64, s->snapshots_offset);
    if (s->qcow_version >= 3) {
        st64_be_p(buf + 72, s->incompatible_features);
        st64_be_p(buf + 80, s->compatible_features);
        st64_be_p(buf + 88, s->autoclear_features);
        st32_be_p(buf + 96, s->refcount_order);
        st32_be_p(buf + 100, hlen);
        buf[104] = s->compression_type;
    }
    s->header_length = hlen;

#define EXT_ROOM(n) (p + 8 + ROUND_UP((n), 8) + 8 <= (size_t)s->cluster_size)
    if (s->image_backing_format && *s->image_backing_format) {
        size_t n = strlen(s->image_backing_format);
        if (!EXT_ROOM(n)) {
            return -ENOSPC;
        }
        st32_be_p(buf + p, QCOW2_EXT_BACKING_FMT);
        st32_be_p(buf + p + 4, n);
        memcpy(buf + p + 8, s->image_backing_format, n);
        p += 8 + ROUND_UP(n, 8);
    }
    if (s->qcow_version >= 3) {
        size_t n = ARRAY_SIZE(feature_names) * 48;
        if (!EXT_ROOM(n)) {
            return -ENOSPC;
        }
        st32_be_p(buf + p, QCOW2_EXT_FEATURES);
        st32_be_p(buf + p + 4, n);
        for (size_t i = 0; i < ARRAY_SIZE(feature_names); i++) {
            uint8_t *e = buf + p + 8 + i * 48;
            e[0] = feature_names[i].type;
            e[1] = feature_names[i].bit;
            strncpy((char *)e + 2, feature_names[i].name, 46);
        }
        p += 8 + n;
    }
    if (s->unknown_exts && s->unknown_exts->len) {
        if (p + s->unknown_exts->len + 8 > (size_t)s->cluster_size) {
            return -ENOSPC;
        }
        memcpy(buf + p, s->unknown_exts->data, s->unknown_exts->len);
        p += s->unknown_exts->len;
    }
#undef EXT_ROOM
    p += 8;                                 /* end of extensions */
    if (s->image_backing_file && *s->image_backing_file) {
        blen = strlen(s->image_backing_file);
        if (blen > QCOW2_MAX_BACKING_NAME || p + blen > (size_t)s->cluster_size) {
            return -ENOSPC;
        }
        memcpy(buf + p, s->image_backing_file, blen);
        st64_be_p(buf + 8, p);
        st32_be_p(buf + 16, blen);
    }
    return bdrv_pwrite(bs->file, 0, buf, s->cluster_size);
}

int qcow2_write_l1_entry(BlockDriverState *bs, int l1_index)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t be = cpu_to_be64(s->l1_table[l1_index]);

    if (qcow2_overlaps_metadata(bs, s->l1_table_offset, 8) &&
        metadata_kind(s, s->l1_table_offset) != META_L1) {
        return qcow2_signal_corruption(bs, "L1 table overlaps metadata");
    }
    return bdrv_pwrite(bs->file, s->l1_table_offset + 8 * (uint64_t)l1_index,
                       &be, 8);
}

int qcow2_sync_metadata(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    bool wrote = false;
    int ret;

    ret = qcow2_cache_write(bs, s->refcount_cache, &wrote);
    if (ret == 0 && wrote) {
        ret = bdrv_flush(bs->file);
    }
    if (ret == 0) {
        ret = qcow2_cache_write(bs, s->l2_cache, NULL);
    }
    if (ret == 0 && g_hash_table_size(s->l1_pending)) {
        /* new L2 tables are stable: now the L1 entries naming them */
        GHashTableIter it;
        gpointer key;

        ret = bdrv_flush(bs->file);
        g_hash_table_iter_init(&it, s->l1_pending);
        while (ret == 0 && g_hash_table_iter_next(&it, &key, NULL)) {
            uint32_t i = GPOINTER_TO_INT(key) - 1;
            if (i < s->l1_size) {
                ret = qcow2_write_l1_entry(bs, i);
            }
            g_hash_table_iter_remove(&it);
        }
    }
    if (ret == 0 && s->frees->len) {
        /* what dropped the references is stable: now free */
        ret = bdrv_flush(bs->file);
        if (ret == 0) {
            ret = qcow2_apply_frees(bs);
        }
        if (ret == 0) {
            ret = qcow2_cache_write(bs, s->refcount_cache, NULL);
        }
    }
    return ret;
}

/* ---- open ---- */

static int read_extensions(BlockDriverState *bs, const uint8_t *buf,
                           uint64_t start, uint64_t end, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t p = start;

    while (p + 8 <= end) {
        uint32_t type = ld32_be_p(buf + p), len = ld32_be_p(buf + p + 4);
        uint64_t next = p + 8 + ROUND_UP((uint64_t)len, 8);

        if (type == QCOW2_EXT_END) {
            return 0;
        }
        if (p + 8 + (uint64_t)len > end) {
            error_setg(errp, "qcow2: header extension 0x%08x overruns the "
                       "header", type);
            return -EINVAL;
        }
        switch (type) {
        case QCOW2_EXT_BACKING_FMT:
            if (len == 0 || len > 16) {
                error_setg(errp, "qcow2: invalid backing file format "
                           "extension (length %u)", len);
                return -EINVAL;
            }
            g_free(s->image_backing_format);
            s->image_backing_format = g_strndup((const char *)buf + p + 8,
                                                len);
            break;
        case QCOW2_EXT_FEATURES:
            if (!s->feature_table) {
                s->feature_table = g_byte_array_new();
                g_byte_array_append(s->feature_table, buf + p + 8, len);
            }
            break;
        case QCOW2_EXT_BITMAPS:
            /* not maintained: its autoclear bit is cleared on writing */
            break;
        case QCOW2_EXT_CRYPTO:
        case QCOW2_EXT_DATA_FILE:
            break;              /* their feature bits were refused */
        default:
            g_byte_array_append(s->unknown_exts, buf + p,
                                MIN(next, end) - p);
            break;
        }
        p = next;
    }
    return 0;
}

/* Names of the unknown incompatible features, from the image's table. */
static char *unknown_features(BDRVQcow2State *s, uint64_t mask)
{
    GString *out = g_string_new(NULL);

    for (int bit = 0; bit < 64; bit++) {
        const char *name = NULL;
        char tmp[48];

        if (!(mask & (1ull << bit))) {
            continue;
        }
        for (guint i = 0; s->feature_table && i + 48 <= s->feature_table->len;
             i += 48) {
            const uint8_t *e = s->feature_table->data + i;
            if (e[0] == 0 && e[1] == bit) {
                memcpy(tmp, e + 2, 46);
                tmp[46] = 0;
                name = tmp;
                break;
            }
        }
        if (out->len) {
            g_string_append(out, ", ");
        }
        if (name) {
            g_string_append(out, name);
        } else {
            g_string_append_printf(out, "Unknown incompatible feature: %"
                                   PRIx64, (uint64_t)1 << bit);
        }
    }
    return g_string_free(out, FALSE);
}

static bool qcow2_parse_header(BlockDriverState *bs, uint8_t *buf,
                               Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t backing_offset = ld64_be_p(buf + 8);
    uint32_t backing_size = ld32_be_p(buf + 16);
    uint32_t crypt = ld32_be_p(buf + 32);
    uint32_t reftable_clusters = ld32_be_p(buf + 56);
    uint64_t ext_end;
    uint64_t incompat;

    s->size = ld64_be_p(buf + 24);
    s->l1_size = ld32_be_p(buf + 36);
    s->l1_table_offset = ld64_be_p(buf + 40);
    s->refcount_table_offset = ld64_be_p(buf + 48);
    s->nb_snapshots = ld32_be_p(buf + 60);
    s->snapshots_offset = ld64_be_p(buf + 64);

    if (s->qcow_version >= 3) {
        s->incompatible_features = ld64_be_p(buf + 72);
        s->compatible_features = ld64_be_p(buf + 80);
        s->autoclear_features = ld64_be_p(buf + 88);
        s->refcount_order = ld32_be_p(buf + 96);
        s->header_length = ld32_be_p(buf + 100);
        if (s->header_length < QCOW2_V3_HEADER_SIZE ||
            s->header_length % 8 || s->header_length > (uint32_t)s->cluster_size) {
            error_setg(errp, "qcow2: invalid header length %u",
                       s->header_length);
            return false;
        }
        if (s->header_length > 104) {
            s->compression_type = buf[104];
        }
    } else {
        s->refcount_order = 4;
        s->header_length = QCOW2_V2_HEADER_SIZE;
    }

    incompat = s->incompatible_features;
    if (incompat & QCOW2_INCOMPAT_DATA_FILE) {
        error_setg(errp, "qcow2: images with an external data file are not "
                   "supported");
        return false;
    }
    if (incompat & QCOW2_INCOMPAT_EXTL2) {
        error_setg(errp, "qcow2: images with extended L2 entries "
                   "(subclusters) are not supported");
        return false;
    }
    if ((incompat & QCOW2_INCOMPAT_COMPRESSION) != 0 ||
        s->compression_type != 0) {
        if (!(incompat & QCOW2_INCOMPAT_COMPRESSION) ||
            s->compression_type == 0) {
            error_setg(errp, "qcow2: compression type field and its "
                       "incompatible feature bit disagree");
        } else if (s->compression_type == 1) {
            error_setg(errp, "qcow2: zstd compression is not supported "
                       "(only zlib)");
        } else {
            error_setg(errp, "qcow2: unknown compression type %u",
                       s->compression_type);
        }
        return false;
    }
    incompat &= ~QCOW2_INCOMPAT_KNOWN;
    if (incompat) {
        g_autofree char *names = NULL;
        /* names come from the feature table, read below: read it now */
        uint64_t end = backing_offset && backing_offset < (uint64_t)s->cluster_size
                       ? backing_offset : (uint64_t)s->cluster_size;
        read_extensions(bs, buf, s->header_length, end, NULL);
        names = unknown_features(s, incompat);
        error_setg(errp, "Unsupported qcow2 feature(s): %s", names);
        return false;
    }
    if (crypt) {
        error_setg(errp, "qcow2: encrypted images are not supported");
        return false;
    }
    if ((uint32_t)s->refcount_order > 6 ||
        (s->qcow_version < 3 && s->refcount_order != 4)) {
        error_setg(errp, "qcow2: invalid refcount order %d",
                   s->refcount_order);
        return false;
    }
    s->refcount_bits = 1 << s->refcount_order;
    s->refcount_max = s->refcount_bits == 64 ? UINT64_MAX
                      : (1ull << s->refcount_bits) - 1;
    s->refcount_block_bits = s->cluster_bits + 3 - s->refcount_order;
    s->refcount_block_size = 1 << s->refcount_block_bits;
    s->l2_bits = s->cluster_bits - 3;
    s->l2_size = 1 << s->l2_bits;
    s->csize_shift = 62 - (s->cluster_bits - 8);
    s->csize_mask = (1 << (s->cluster_bits - 8)) - 1;
    s->cluster_offset_mask = (1ull << s->csize_shift) - 1;

    if (s->size > BDRV_MAX_LENGTH) {
        error_setg(errp, "qcow2: image size %" PRIu64 " is too large",
                   s->size);
        return false;
    }
    if ((uint64_t)s->l1_size * 8 > QCOW2_MAX_L1_SIZE) {
        error_setg(errp, "qcow2: active L1 table too large");
        return false;
    }
    if (s->l1_size < size_to_l1(s, s->size)) {
        error_setg(errp, "qcow2: L1 table is too small for the image size");
        return false;
    }
    if (s->l1_size && (offset_into_cluster(s, s->l1_table_offset) ||
                       s->l1_table_offset == 0 ||
                       s->l1_table_offset > BDRV_MAX_LENGTH -
                       (uint64_t)s->l1_size * 8)) {
        error_setg(errp, "qcow2: invalid L1 table offset");
        return false;
    }
    if (reftable_clusters == 0) {
        error_setg(errp, "qcow2: image does not contain a reference count "
                   "table");
        return false;
    }
    if ((uint64_t)reftable_clusters << s->cluster_bits >
        QCOW2_MAX_REFTABLE_SIZE) {
        error_setg(errp, "qcow2: reference count table too large");
        return false;
    }
    s->refcount_table_size = ((uint64_t)reftable_clusters << s->cluster_bits)
                             / 8;
    if (offset_into_cluster(s, s->refcount_table_offset) ||
        s->refcount_table_offset == 0 ||
        s->refcount_table_offset > BDRV_MAX_LENGTH -
        ((uint64_t)reftable_clusters << s->cluster_bits)) {
        error_setg(errp, "qcow2: invalid reference count table offset");
        return false;
    }
    if ((uint32_t)s->nb_snapshots > QCOW2_MAX_SNAPSHOTS) {
        error_setg(errp, "qcow2: too many snapshots (%u)",
                   (uint32_t)s->nb_snapshots);
        return false;
    }
    if (s->nb_snapshots && (offset_into_cluster(s, s->snapshots_offset) ||
                            s->snapshots_offset == 0 ||
                            s->snapshots_offset > BDRV_MAX_LENGTH)) {
        error_setg(errp, "qcow2: invalid snapshot table offset");
        return false;
    }

    ext_end = s->cluster_size;
    if (backing_offset) {
        if (backing_offset >= (uint64_t)s->cluster_size ||
            backing_size > QCOW2_MAX_BACKING_NAME ||
            backing_offset + backing_size > (uint64_t)s->cluster_size ||
            backing_offset < s->header_length) {
            error_setg(errp, "qcow2: invalid backing file name location");
            return false;
        }
        s->image_backing_file = g_strndup((const char *)buf + backing_offset,
                                          backing_size);
        if (strlen(s->image_backing_file) != backing_size) {
            error_setg(errp, "qcow2: backing file name contains a NUL");
            return false;
        }
        ext_end = backing_offset;
    }
    if (read_extensions(bs, buf, s->header_length, ext_end, errp) < 0) {
        return false;
    }
    return true;
}

static int qcow2_repair_dirty(BlockDriverState *bs, Error **errp)
{
    BdrvCheckResult res = { 0 };
    int ret;

    res.log = g_string_new(NULL);
    ret = qcow2_check(bs, &res, BDRV_FIX_ERRORS | BDRV_FIX_LEAKS);
    g_string_free(res.log, TRUE);
    if (ret < 0 || res.corruptions) {
        error_setg(errp, "qcow2: could not repair the dirty image's "
                   "refcounts");
        return ret < 0 ? ret : -EIO;
    }
    return qcow2_mark_clean(bs);
}

static bool qcow2_open(BlockDriverState *bs, Opts *opts, int flags,
                       Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t head[QCOW2_V3_HEADER_SIZE];
    g_autofree uint8_t *buf = NULL;
    int cluster_bits, ret;
    uint64_t l2_tables;
    int l2_cache_tables, rc_cache_tables;

    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    s->metadata = g_hash_table_new(g_direct_hash, g_direct_equal);
    s->l1_pending = g_hash_table_new(g_direct_hash, g_direct_equal);
    s->frees = g_array_new(FALSE, FALSE, sizeof(Qcow2Free));
    s->unknown_exts = g_byte_array_new();

    ret = bdrv_pread(bs->file, 0, head, sizeof(head));
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read qcow2 header");
        return false;
    }
    if (ld32_be_p(head) != QCOW_MAGIC) {
        error_setg(errp, "Image is not in qcow2 format");
        return false;
    }
    s->qcow_version = ld32_be_p(head + 4);
    if (s->qcow_version != 2 && s->qcow_version != 3) {
        error_setg(errp, "Unsupported qcow2 version %d", s->qcow_version);
        return false;
    }
    cluster_bits = ld32_be_p(head + 20);
    if (cluster_bits < QCOW2_MIN_CLUSTER_BITS ||
        cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
        error_setg(errp, "Unsupported cluster size: 2^%d", cluster_bits);
        return false;
    }
    s->cluster_bits = cluster_bits;
    s->cluster_size = 1 << cluster_bits;
    buf = g_malloc0(s->cluster_size);
    ret = bdrv_pread(bs->file, 0, buf, s->cluster_size);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read qcow2 header");
        return false;
    }
    if (!qcow2_parse_header(bs, buf, errp)) {
        return false;
    }
    {
        /* the tables the header names must be in the file: an offset
         * past its end is damage, not a table of zeroes to write to */
        int64_t flen = bdrv_getlength(bs->file);
        uint64_t l1_end = s->l1_table_offset + (uint64_t)s->l1_size * 8;
        uint64_t rt_end = s->refcount_table_offset +
                          (uint64_t)s->refcount_table_size * 8;

        if (flen < 0) {
            error_setg_errno(errp, -flen, "Could not get the image size");
            return false;
        }
        if ((s->l1_size && l1_end > (uint64_t)flen) ||
            rt_end > (uint64_t)flen ||
            (s->nb_snapshots && s->snapshots_offset >= (uint64_t)flen)) {
            error_setg(errp, "qcow2: %s table lies beyond the end of the "
                       "image file", (s->l1_size && l1_end > (uint64_t)flen)
                       ? "L1" : rt_end > (uint64_t)flen ? "refcount"
                       : "snapshot");
            return false;
        }
    }
    if ((s->incompatible_features & QCOW2_INCOMPAT_CORRUPT) &&
        (flags & BDRV_O_RDWR) && !(flags & BDRV_O_CHECK)) {
        error_setg(errp, "qcow2: Image is corrupt; cannot be opened "
                   "read/write");
        error_append_hint(errp, "Repair it with 'turtle-img check -r all'\n");
        return false;
    }
    s->corrupt = !!(s->incompatible_features & QCOW2_INCOMPAT_CORRUPT) &&
                 !(flags & BDRV_O_CHECK);
    s->lazy_refcounts = s->qcow_version >= 3 &&
                        (s->compatible_features & QCOW2_COMPAT_LAZY_REFCOUNTS);
    s->discard_passthrough = !!(flags & BDRV_O_UNMAP);
    s->l1_vm_state_index = size_to_l1(s, s->size);

    /* active L1 table */
    if (s->l1_size) {
        s->l1_table = g_try_malloc0((uint64_t)s->l1_size * 8);
        if (!s->l1_table) {
            error_setg(errp, "Could not allocate the L1 table");
            return false;
        }
        ret = bdrv_pread(bs->file, s->l1_table_offset, s->l1_table,
                         (uint64_t)s->l1_size * 8);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not read the L1 table");
            return false;
        }
        for (uint32_t i = 0; i < s->l1_size; i++) {
            s->l1_table[i] = be64_to_cpu(s->l1_table[i]);
        }
    }
    if (qcow2_refcount_init(bs, errp) < 0) {
        return false;
    }

    /* caches: L2 tables to cover the disk, up to 32 MiB of them */
    l2_tables = size_to_l1(s, s->size);
    l2_cache_tables = MIN(MAX(l2_tables, 16),
                          MAX(16, (32 * MiB) >> s->cluster_bits));
    rc_cache_tables = MAX(16, l2_cache_tables / 4);
    s->l2_cache = qcow2_cache_create(bs, l2_cache_tables, s->cluster_size);
    s->refcount_cache = qcow2_cache_create(bs, rc_cache_tables,
                                           s->cluster_size);

    if (qcow2_read_snapshots(bs, errp) < 0) {
        return false;
    }
    qcow2_metadata_rebuild(bs);

    bs->backing_file = g_strdup(s->image_backing_file);
    bs->backing_format = g_strdup(s->image_backing_format);
    bs->request_alignment = 1;
    bs->has_zero_init = true;

    if (!(flags & BDRV_O_RDWR) || (flags & BDRV_O_NO_IO)) {
        return true;
    }
    /* writable: drop autoclear features we do not maintain (bitmaps) */
    if (s->autoclear_features && s->qcow_version >= 3) {
        uint8_t b[8] = { 0 };

        s->autoclear_features = 0;
        ret = write_header_field(bs, 88, b, 8, true);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not update the qcow2 header");
            return false;
        }
    }
    if ((s->incompatible_features & QCOW2_INCOMPAT_DIRTY) &&
        !(flags & BDRV_O_CHECK)) {
        /* lazy refcounts left behind by a crash: rebuild them */
        pthread_mutex_lock(&s->lock);
        ret = qcow2_repair_dirty(bs, errp);
        pthread_mutex_unlock(&s->lock);
        if (ret < 0) {
            if (!*errp) {
                error_setg_errno(errp, -ret, "qcow2: repairing the dirty "
                                 "image failed");
            }
            return false;
        }
    }
    return true;
}

static void qcow2_close(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    if (s->l2_cache && !bs->read_only && !s->corrupt) {
        pthread_mutex_lock(&s->lock);
        qcow2_sync_metadata(bs);
        if (s->marked_dirty) {
            qcow2_mark_clean(bs);
        }
        bdrv_flush(bs->file);
        pthread_mutex_unlock(&s->lock);
    }
    qcow2_cache_destroy(s->l2_cache);
    qcow2_cache_destroy(s->refcount_cache);
    qcow2_free_snapshots(s);
    g_free(s->l1_table);
    g_free(s->refcount_table);
    if (s->metadata) {
        g_hash_table_destroy(s->metadata);
    }
    if (s->l1_pending) {
        g_hash_table_destroy(s->l1_pending);
    }
    if (s->frees) {
        g_array_free(s->frees, TRUE);
    }
    if (s->unknown_exts) {
        g_byte_array_free(s->unknown_exts, TRUE);
    }
    if (s->feature_table) {
        g_byte_array_free(s->feature_table, TRUE);
    }
    g_free(s->image_backing_file);
    g_free(s->image_backing_format);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
}

static int qcow2_probe(const uint8_t *buf, int buf_size,
                       const char *filename)
{
    if (buf_size >= 8 && ld32_be_p(buf) == QCOW_MAGIC &&
        ld32_be_p(buf + 4) >= 2) {
        return 100;
    }
    return 0;
}

/* ---- guest I/O entry points ---- */

static int qcow2_co_preadv(BlockDriverState *bs, int64_t offset,
                           int64_t bytes, IOVector *qiov, size_t qoff,
                           int flags)
{
    return qcow2_read_data(bs, offset, bytes, qiov, qoff);
}

static int qcow2_co_pwritev(BlockDriverState *bs, int64_t offset,
                            int64_t bytes, IOVector *qiov, size_t qoff,
                            int flags)
{
    return qcow2_write_data(bs, offset, bytes, qiov, qoff);
}

static int qcow2_check_guest_range(BlockDriverState *bs, int64_t offset,
                                   int64_t bytes)
{
    BDRVQcow2State *s = bs->opaque;

    if ((uint64_t)offset > s->size || (uint64_t)bytes > s->size - offset) {
        return -EIO;
    }
    return 0;
}

static int qcow2_co_pwrite_zeroes(BlockDriverState *bs, int64_t offset,
                                  int64_t bytes, int flags)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t head, tail, end = offset + bytes;
    int ret = qcow2_check_guest_range(bs, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    if (s->qcow_version < 3) {
        return -ENOTSUP;        /* no zero flag: written as data */
    }
    /* partial clusters as data, whole ones as zero clusters */
    head = MIN((uint64_t)bytes,
               (ROUND_UP(offset, s->cluster_size) - offset));
    tail = (end == s->size) ? 0 : offset_into_cluster(s, end);
    if (head + tail >= (uint64_t)bytes && head) {
        return -ENOTSUP;
    }
    if (head) {
        g_autofree uint8_t *z = g_malloc0(head);
        IOVector q;
        iovec_init_buf(&q, z, head);
        ret = qcow2_write_data(bs, offset, head, &q, 0);
        if (ret < 0) {
            return ret;
        }
    }
    if (tail) {
        g_autofree uint8_t *z = g_malloc0(tail);
        IOVector q;
        iovec_init_buf(&q, z, tail);
        ret = qcow2_write_data(bs, end - tail, tail, &q, 0);
        if (ret < 0) {
            return ret;
        }
    }
    if (offset + head < end - tail) {
        ret = qcow2_cluster_discard(bs, offset + head,
                                    end - tail - offset - head, true,
                                    !(flags & BDRV_REQ_MAY_UNMAP));
    }
    return ret;
}

static int qcow2_co_pdiscard(BlockDriverState *bs, int64_t offset,
                             int64_t bytes)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t start = ROUND_UP(offset, s->cluster_size);
    uint64_t end = offset + bytes;
    int ret = qcow2_check_guest_range(bs, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    /* whole clusters only (the last one may end at the disk's end) */
    if (end != s->size) {
        end = ROUND_DOWN(end, s->cluster_size);
    }
    if (start >= end) {
        return 0;
    }
    return qcow2_cluster_discard(bs, start, end - start, false, false);
}

static int qcow2_co_pwrite_compressed(BlockDriverState *bs, int64_t offset,
                                      const void *buf, int64_t bytes)
{
    int ret = qcow2_check_guest_range(bs, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    return qcow2_write_compressed(bs, offset, buf, bytes);
}

static int qcow2_flush_to_os(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    pthread_mutex_lock(&s->lock);
    ret = s->corrupt ? 0 : qcow2_sync_metadata(bs);
    pthread_mutex_unlock(&s->lock);
    return ret;
}

static int64_t qcow2_getlength(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    return s->size;
}

static int qcow2_block_status(BlockDriverState *bs, int64_t offset,
                              int64_t bytes, int64_t *pnum, int64_t *map,
                              BlockDriverState **file)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2Mapping m;
    int ret;

    pthread_mutex_lock(&s->lock);
    ret = qcow2_get_mapping(bs, offset, bytes, &m);
    pthread_mutex_unlock(&s->lock);
    if (ret < 0) {
        return ret;
    }
    *pnum = m.bytes;
    switch (m.type) {
    case QCOW2_CLUSTER_UNALLOCATED:
        return 0;
    case QCOW2_CLUSTER_ZERO_PLAIN:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        return BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED;
    case QCOW2_CLUSTER_COMPRESSED:
        return BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED | BDRV_BLOCK_COMPRESSED;
    default:
        *map = m.host_offset;
        *file = bs->file;
        return BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED |
               BDRV_BLOCK_OFFSET_VALID;
    }
}

/* ---- resizing ---- */

static bool qcow2_truncate(BlockDriverState *bs, int64_t size,
                           PreallocMode prealloc, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t old = s->size;
    uint8_t b[8];
    int ret = 0;

    if (s->corrupt) {
        error_setg(errp, "qcow2: image is corrupt");
        return false;
    }
    if (s->nb_snapshots && s->qcow_version < 3) {
        error_setg(errp, "Can't resize a v2 image which has snapshots");
        return false;
    }
    if (size % BDRV_SECTOR_SIZE) {
        error_setg(errp, "The new size must be a multiple of %d",
                   BDRV_SECTOR_SIZE);
        return false;
    }
    if ((uint64_t)size < old) {
        /* shrinking: every cluster past the new end goes */
        uint64_t from = ROUND_UP(size, s->cluster_size);
        if (from < old) {
            ret = qcow2_cluster_discard(bs, from, ROUND_UP(old,
                                        s->cluster_size) - from, false,
                                        false);
        }
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Failed to discard the clusters "
                             "past the new end");
            return false;
        }
    }
    pthread_mutex_lock(&s->lock);
    if (size_to_l1(s, size) > s->l1_size) {
        ret = qcow2_grow_l1_table(bs, size_to_l1(s, size), true);
    }
    if (ret == 0) {
        ret = qcow2_sync_metadata(bs);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret == 0) {
        st64_be_p(b, size);
        ret = write_header_field(bs, 24, b, 8, true);
    }
    if (ret == 0) {
        s->size = size;
        s->l1_vm_state_index = size_to_l1(s, size);
    }
    pthread_mutex_unlock(&s->lock);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Failed to resize the image");
        return false;
    }
    if ((uint64_t)size > old && offset_into_cluster(s, old)) {
        /* the tail of the old last cluster must read as zeroes now */
        uint64_t n = MIN((uint64_t)size, ROUND_UP(old, s->cluster_size)) - old;
        g_autofree uint8_t *z = g_malloc0(n);
        IOVector q;
        Qcow2Mapping m;

        pthread_mutex_lock(&s->lock);
        ret = qcow2_get_mapping(bs, old, n, &m);
        pthread_mutex_unlock(&s->lock);
        if (ret == 0 && (m.type == QCOW2_CLUSTER_NORMAL ||
                         m.type == QCOW2_CLUSTER_COMPRESSED)) {
            iovec_init_buf(&q, z, n);
            ret = qcow2_write_data(bs, old, n, &q, 0);
        }
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Failed to clear the old tail");
            return false;
        }
    }
    if ((uint64_t)size > old && prealloc != PREALLOC_MODE_OFF) {
        pthread_mutex_lock(&s->lock);
        ret = qcow2_preallocate_metadata(bs, ROUND_UP(old, s->cluster_size),
                                         size);
        if (ret == 0) {
            ret = qcow2_sync_metadata(bs);
        }
        pthread_mutex_unlock(&s->lock);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Preallocation failed");
            return false;
        }
        if (prealloc != PREALLOC_MODE_METADATA) {
            int64_t flen = bdrv_getlength(bs->file);
            /* data clusters were placed at the end of the file */
            if (flen >= 0 && !bdrv_truncate(bs->file, flen, prealloc, errp)) {
                return false;
            }
        }
    }
    return true;
}

/* ---- information ---- */

static bool qcow2_get_info(BlockDriverState *bs, BlockDriverInfo *bdi)
{
    BDRVQcow2State *s = bs->opaque;

    bdi->cluster_size = s->cluster_size;
    bdi->is_dirty = !!(s->incompatible_features & QCOW2_INCOMPAT_DIRTY);
    return true;
}

static void qcow2_info_specific(BlockDriverState *bs, JsonBuilder *b)
{
    BDRVQcow2State *s = bs->opaque;

    json_builder_set_member_name(b, "type");
    json_builder_add_string_value(b, "qcow2");
    json_builder_set_member_name(b, "data");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "compat");
    json_builder_add_string_value(b, s->qcow_version >= 3 ? "1.1" : "0.10");
    json_builder_set_member_name(b, "compression-type");
    json_builder_add_string_value(b, "zlib");
    if (s->qcow_version >= 3) {
        json_builder_set_member_name(b, "lazy-refcounts");
        json_builder_add_boolean_value(b, s->lazy_refcounts);
    }
    json_builder_set_member_name(b, "refcount-bits");
    json_builder_add_int_value(b, s->refcount_bits);
    if (s->qcow_version >= 3) {
        json_builder_set_member_name(b, "corrupt");
        json_builder_add_boolean_value(b, !!(s->incompatible_features &
                                             QCOW2_INCOMPAT_CORRUPT));
        json_builder_set_member_name(b, "extended-l2");
        json_builder_add_boolean_value(b, false);
    }
    json_builder_end_object(b);
}

static void qcow2_info_specific_text(BlockDriverState *bs, GString *out)
{
    BDRVQcow2State *s = bs->opaque;

    g_string_append_printf(out, "    compat: %s\n",
                           s->qcow_version >= 3 ? "1.1" : "0.10");
    g_string_append(out, "    compression type: zlib\n");
    if (s->qcow_version >= 3) {
        g_string_append_printf(out, "    lazy refcounts: %s\n",
                               s->lazy_refcounts ? "true" : "false");
    }
    g_string_append_printf(out, "    refcount bits: %d\n", s->refcount_bits);
    if (s->qcow_version >= 3) {
        g_string_append_printf(out, "    corrupt: %s\n",
                               (s->incompatible_features &
                                QCOW2_INCOMPAT_CORRUPT) ? "true" : "false");
        g_string_append(out, "    extended l2: false\n");
    }
}

static int qcow2_check_entry(BlockDriverState *bs, BdrvCheckResult *res,
                             int fix)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    pthread_mutex_lock(&s->lock);
    ret = qcow2_check(bs, res, fix);
    if (ret == 0 && fix && !res->corruptions && !bs->read_only) {
        if (s->incompatible_features &
            (QCOW2_INCOMPAT_CORRUPT | QCOW2_INCOMPAT_DIRTY)) {
            s->incompatible_features &= ~(QCOW2_INCOMPAT_CORRUPT |
                                          QCOW2_INCOMPAT_DIRTY);
            s->marked_dirty = false;
            ret = write_incompatible_features(bs);
        }
        s->corrupt = false;
    }
    pthread_mutex_unlock(&s->lock);
    return ret;
}

/* ---- VM state (savevm): guest-cluster space past the disk ---- */

static int qcow2_save_vmstate(BlockDriverState *bs, const void *buf,
                              int64_t pos, int64_t size)
{
    BDRVQcow2State *s = bs->opaque;
    IOVector q;

    if (pos < 0 || size < 0 || pos > INT64_MAX / 2) {
        return -EINVAL;
    }
    iovec_init_buf(&q, (void *)buf, size);
    return qcow2_write_data(bs, qcow2_vm_state_offset(s) + pos, size, &q, 0);
}

static int qcow2_load_vmstate(BlockDriverState *bs, void *buf, int64_t pos,
                              int64_t size)
{
    BDRVQcow2State *s = bs->opaque;
    IOVector q;

    if (pos < 0 || size < 0 || pos > INT64_MAX / 2) {
        return -EINVAL;
    }
    iovec_init_buf(&q, buf, size);
    return qcow2_read_data(bs, qcow2_vm_state_offset(s) + pos, size, &q, 0);
}

/* ---- creation ---- */

static bool parse_create_opts(Opts *opts, uint64_t *size, int *cluster_bits,
                              int *version, int *refcount_order,
                              bool *lazy, PreallocMode *prealloc,
                              Error **errp)
{
    uint64_t cs = 1 << QCOW2_DEFAULT_CLUSTER_BITS, rb = 16;
    const char *v;

    if (!opts_get_size(opts, "size", size, errp) ||
        !opts_get_size(opts, "cluster_size", &cs, errp) ||
        !opts_get_uint(opts, "refcount_bits", &rb, errp) ||
        !opts_get_bool(opts, "lazy_refcounts", lazy, errp)) {
        return false;
    }
    if (!is_power_of_2(cs) || cs < 512 || cs > 2 * MiB) {
        error_setg(errp, "Cluster size must be a power of two between 512 "
                   "and 2048k");
        return false;
    }
    *cluster_bits = ctz64(cs);
    if (!is_power_of_2(rb) || rb > 64) {
        error_setg(errp, "Refcount width must be a power of two and may "
                   "not exceed 64 bits");
        return false;
    }
    *refcount_order = ctz64(rb);
    v = opts_get(opts, "compat");
    *version = 3;
    if (v) {
        if (!strcmp(v, "0.10") || !strcmp(v, "v2")) {
            *version = 2;
        } else if (strcmp(v, "1.1") && strcmp(v, "v3")) {
            error_setg(errp, "Invalid compatibility level: '%s'", v);
            return false;
        }
    }
    if (*version < 3 && *lazy) {
        error_setg(errp, "Lazy refcounts only supported with compatibility "
                   "level 1.1 and above (use compat=1.1 or greater)");
        return false;
    }
    if (*version < 3 && *refcount_order != 4) {
        error_setg(errp, "Different refcount widths than 16 bits require "
                   "compatibility level 1.1 or above (use compat=1.1 or "
                   "greater)");
        return false;
    }
    v = opts_get(opts, "preallocation");
    if (v && !prealloc_mode_parse(v, prealloc)) {
        error_setg(errp, "Invalid preallocation mode: '%s'", v);
        return false;
    }
    v = opts_get(opts, "compression_type");
    if (v && strcmp(v, "zlib")) {
        error_setg(errp, "compression_type=%s is not supported (zlib)", v);
        return false;
    }
    v = opts_get(opts, "encryption");
    if (v && strcmp(v, "off")) {
        error_setg(errp, "encryption is not supported");
        return false;
    }
    opts_get(opts, "encrypt.format");
    v = opts_get(opts, "extended_l2");
    if (v && strcmp(v, "off")) {
        error_setg(errp, "extended_l2 is not supported");
        return false;
    }
    return true;
}

static bool qcow2_create(const char *filename, Opts *opts, Error **errp)
{
    uint64_t size = 0;
    int cluster_bits, version, refcount_order;
    bool lazy = false;
    PreallocMode prealloc = PREALLOC_MODE_OFF;
    const char *backing = opts_get(opts, "backing_file");
    const char *backing_fmt = opts_get(opts, "backing_fmt");
    uint64_t cs, l1_size, l1_clusters;
    g_autofree uint8_t *buf = NULL;
    BlockDriverState *bs;
    BDRVQcow2State *s;
    Opts *fo;
    int fd, ret;

    if (!parse_create_opts(opts, &size, &cluster_bits, &version,
                           &refcount_order, &lazy, &prealloc, errp)) {
        return false;
    }
    if (!opts_has(opts, "size") && !backing) {
        error_setg(errp, "Image creation needs a size parameter");
        return false;
    }
    if (backing && prealloc != PREALLOC_MODE_OFF) {
        error_setg(errp, "Backing file and preallocation can only be used "
                   "at the same time if the backing file is opened first");
        return false;
    }
    if (backing && strlen(backing) > QCOW2_MAX_BACKING_NAME) {
        error_setg(errp, "Backing file name too long");
        return false;
    }
    if (backing && (!opts_has(opts, "size") || !backing_fmt)) {
        g_autofree char *dir = g_path_get_dirname(filename);
        g_autofree char *path = g_path_is_absolute(backing)
            ? g_strdup(backing) : g_build_filename(dir, backing, NULL);
        BlockDriverState *b = bdrv_open(path, backing_fmt,
                                        BDRV_O_NO_BACKING | BDRV_O_FORCE_SHARE,
                                        errp);
        if (!b) {
            error_prepend(errp, "Could not open backing image to determine "
                          "size: ");
            return false;
        }
        if (!opts_has(opts, "size")) {
            size = bdrv_getlength(b);
        }
        if (!backing_fmt) {
            backing_fmt = bdrv_get_format_name(b);
        }
        backing_fmt = g_intern_string(backing_fmt);
        bdrv_unref(b);
    }
    size = ROUND_UP(size, BDRV_SECTOR_SIZE);
    if (size > BDRV_MAX_LENGTH) {
        error_setg(errp, "Image size too large");
        return false;
    }

    /* the file: header cluster, refcount table, one refcount block, L1 */
    fo = opts_new("create");
    opts_set(fo, "size", "0");
    ret = bdrv_file.create(filename, fo, errp) ? 0 : -1;
    opts_free(fo);
    if (ret < 0) {
        return false;
    }
    cs = 1ull << cluster_bits;
    l1_size = (size + (cs << (cluster_bits - 3)) - 1) >> (2 * cluster_bits - 3);
    l1_size = MAX(l1_size, 1);
    if (l1_size * 8 > QCOW2_MAX_L1_SIZE) {
        error_setg(errp, "Image size too large for this cluster size");
        unlink(filename);
        return false;
    }
    l1_clusters = DIV_ROUND_UP(l1_size * 8, cs);
    buf = g_malloc0(cs);
    fd = open(filename, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", filename);
        return false;
    }
    {
        /* a minimal header the driver opens and then rewrites in full:
         * header, refcount table, refcount blocks, L1 table, the blocks
         * describing all of these */
        uint64_t E = (cs * 8) >> refcount_order, t = 1, b = 1, total;
        BDRVQcow2State tmp = { .refcount_order = refcount_order,
                               .refcount_bits = 1 << refcount_order };
        uint8_t *rt, *rb;
        bool ok = true;

        for (;;) {
            uint64_t nb, nt;
            total = 1 + t + b + l1_clusters;
            nb = DIV_ROUND_UP(total, E);
            nt = DIV_ROUND_UP(nb * 8, cs);
            if (nb == b && nt == t) {
                break;
            }
            b = nb;
            t = nt;
        }
        st32_be_p(buf, QCOW_MAGIC);
        st32_be_p(buf + 4, version);
        st32_be_p(buf + 20, cluster_bits);
        st64_be_p(buf + 24, size);
        st32_be_p(buf + 36, l1_size);
        st64_be_p(buf + 40, (1 + t + b) * cs);
        st64_be_p(buf + 48, cs);
        st32_be_p(buf + 56, t);
        if (version >= 3) {
            st32_be_p(buf + 96, refcount_order);
            st32_be_p(buf + 100, QCOW2_HEADER_SIZE);
            if (lazy) {
                st64_be_p(buf + 80, QCOW2_COMPAT_LAZY_REFCOUNTS);
            }
        }
        ok = pwrite(fd, buf, cs, 0) == (ssize_t)cs;
        rt = g_malloc0(t * cs);
        for (uint64_t i = 0; i < b; i++) {
            st64_be_p(rt + 8 * i, (1 + t + i) * cs);
        }
        ok = ok && pwrite(fd, rt, t * cs, cs) == (ssize_t)(t * cs);
        g_free(rt);
        rb = g_malloc0(cs);
        for (uint64_t i = 0; i < b && ok; i++) {
            memset(rb, 0, cs);
            for (uint64_t c = i * E; c < (i + 1) * E && c < total; c++) {
                qcow2_set_refcount_ro(&tmp, rb, c - i * E, 1);
            }
            ok = pwrite(fd, rb, cs, (1 + t + i) * cs) == (ssize_t)cs;
        }
        memset(rb, 0, cs);
        for (uint64_t i = 0; i < l1_clusters && ok; i++) {
            ok = pwrite(fd, rb, cs, (1 + t + b + i) * cs) == (ssize_t)cs;
        }
        g_free(rb);
        ret = ok ? 0 : (errno ? -errno : -EIO);
    }
    if (close(fd) < 0 && ret == 0) {
        ret = -errno;
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not write the qcow2 header");
        unlink(filename);
        return false;
    }

    /* now through the driver: header extensions, backing, prealloc */
    bs = bdrv_open(filename, "qcow2", BDRV_O_RDWR | BDRV_O_NO_BACKING,
                   errp);
    if (!bs) {
        unlink(filename);
        return false;
    }
    s = bs->opaque;
    if (backing) {
        s->image_backing_file = g_strdup(backing);
        s->image_backing_format = g_strdup(backing_fmt);
    }
    ret = qcow2_update_header(bs);
    if (ret == 0 && prealloc != PREALLOC_MODE_OFF && size) {
        pthread_mutex_lock(&s->lock);
        ret = qcow2_preallocate_metadata(bs, 0, size);
        if (ret == 0) {
            ret = qcow2_sync_metadata(bs);
        }
        pthread_mutex_unlock(&s->lock);
        if (ret == 0) {
            int64_t flen = bdrv_getlength(bs->file);
            Error *err = NULL;
            if (flen >= 0 && !bdrv_truncate(bs->file, flen,
                                            prealloc == PREALLOC_MODE_METADATA
                                            ? PREALLOC_MODE_OFF : prealloc,
                                            &err)) {
                error_propagate(errp, err);
                bdrv_unref(bs);
                unlink(filename);
                return false;
            }
        }
    }
    if (ret == 0) {
        ret = bdrv_flush(bs);
    }
    bdrv_unref(bs);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not initialise the qcow2 image");
        unlink(filename);
        return false;
    }
    return true;
}

BlockDriver bdrv_qcow2 = {
    .format_name = "qcow2",
    .instance_size = sizeof(BDRVQcow2State),
    .is_format = true,
    .supports_backing = true,
    .probe = qcow2_probe,
    .open = qcow2_open,
    .close = qcow2_close,
    .preadv = qcow2_co_preadv,
    .pwritev = qcow2_co_pwritev,
    .pwrite_zeroes = qcow2_co_pwrite_zeroes,
    .pdiscard = qcow2_co_pdiscard,
    .pwrite_compressed = qcow2_co_pwrite_compressed,
    .flush_to_os = qcow2_flush_to_os,
    .getlength = qcow2_getlength,
    .truncate = qcow2_truncate,
    .block_status = qcow2_block_status,
    .create = qcow2_create,
    .create_help =
        "size             Virtual disk size\n"
        "compat           Compatibility level (v2 = 0.10, v3 = 1.1)\n"
        "backing_file     File name of a base image\n"
        "backing_fmt      Image format of the base image\n"
        "cluster_size     qcow2 cluster size (512 .. 2M, default 64k)\n"
        "preallocation    off, metadata, falloc, full\n"
        "lazy_refcounts   Postpone refcount updates (on/off)\n"
        "refcount_bits    Width of a reference count entry in bits\n"
        "compression_type zlib\n",
    .check = qcow2_check_entry,
    .get_info = qcow2_get_info,
    .info_specific = qcow2_info_specific,
    .info_specific_text = qcow2_info_specific_text,
    .snapshot_create = qcow2_snapshot_create,
    .snapshot_goto = qcow2_snapshot_goto,
    .snapshot_delete = qcow2_snapshot_delete,
    .snapshot_list = qcow2_snapshot_list,
    .try_submit = qcow2_try_submit,
    .save_vmstate = qcow2_save_vmstate,
    .load_vmstate = qcow2_load_vmstate,
};
