/*
 * qcow2 consistency check and repair (turtle-img check, and the repair
 * of a dirty image with lazy refcounts on open).
 *
 * The check counts the references to every host cluster by walking all
 * metadata (header, L1 tables of the image and its snapshots, their L2
 * tables and data, the snapshot table, the refcount table and blocks) and
 * compares with the stored refcounts: stored > counted is a leak (space
 * lost, data safe), stored < counted a corruption (a cluster could be
 * handed out twice).  COPIED flags of the active tree must match refcount
 * == 1.  Repairs: leaks are decremented in place; any corruption of the
 * refcounts rebuilds the whole refcount structure at the end of the
 * image from the counted values; broken L1/L2 entries are cleared; flags
 * are recomputed.  s->lock is held.
 */
#include "turtle/osdep.h"
#include "qcow2.h"

typedef struct CheckState {
    BlockDriverState *bs;
    BDRVQcow2State *s;
    BdrvCheckResult *res;
    int fix;
    uint32_t *refs;             /* references per cluster */
    uint64_t nb;                /* entries in refs */
    uint64_t limit;             /* clusters the file holds */
    bool rebuild;               /* refcount structure needs rebuilding */
    bool count_refcount_structure;
} CheckState;

static void check_log(CheckState *c, const char *fmt, ...) TURTLE_PRINTF(2, 3);
static void check_log(CheckState *c, const char *fmt, ...)
{
    va_list ap;

    if (!c->res->log) {
        return;
    }
    va_start(ap, fmt);
    g_string_append_vprintf(c->res->log, fmt, ap);
    va_end(ap);
    g_string_append_c(c->res->log, '\n');
}

static void inc_refs(CheckState *c, uint64_t offset, uint64_t size,
                     const char *what)
{
    BDRVQcow2State *s = c->s;
    uint64_t first, last;

    if (!size) {
        return;
    }
    first = offset >> s->cluster_bits;
    last = (offset + size - 1) >> s->cluster_bits;
    if (last >= c->limit) {
        check_log(c, "ERROR %s at %#" PRIx64 " is beyond the end of the "
                  "image file", what, offset);
        c->res->corruptions++;
        return;
    }
    if (last >= c->nb) {
        uint64_t n = MAX(last + 1, c->nb * 2);
        c->refs = g_renew(uint32_t, c->refs, n);
        memset(c->refs + c->nb, 0, (n - c->nb) * sizeof(uint32_t));
        c->nb = n;
    }
    for (uint64_t i = first; i <= last; i++) {
        if (c->refs[i] < UINT32_MAX) {
            c->refs[i]++;
        }
    }
}

/* Walk one L2 table; fix bad entries when asked. */
static int check_l2(CheckState *c, uint64_t l2_off, bool active,
                    uint64_t *prev_host)
{
    BDRVQcow2State *s = c->s;
    g_autofree uint64_t *l2 = g_malloc(s->cluster_size);
    bool changed = false;
    int ret;

    ret = bdrv_pread(c->bs->file, l2_off, l2, s->cluster_size);
    if (ret < 0) {
        check_log(c, "ERROR: I/O error reading L2 table at %#" PRIx64,
                  l2_off);
        c->res->check_errors++;
        return ret;
    }
    for (int j = 0; j < s->l2_size; j++) {
        uint64_t e = be64_to_cpu(l2[j]);
        Qcow2ClusterType t = qcow2_get_cluster_type(s, e);

        switch (t) {
        case QCOW2_CLUSTER_COMPRESSED: {
            uint64_t coff;
            int csize;

            qcow2_compressed_range(s, e, &coff, &csize);
            if (e & QCOW_OFLAG_COPIED) {
                check_log(c, "ERROR: coffset=%#" PRIx64 ": copied flag must "
                          "never be set for compressed clusters", coff);
                c->res->corruptions++;
                if (c->fix & BDRV_FIX_ERRORS) {
                    e &= ~QCOW_OFLAG_COPIED;
                    l2[j] = cpu_to_be64(e);
                    changed = true;
                }
            }
            if (coff < (uint64_t)s->cluster_size) {
                check_log(c, "ERROR compressed cluster at %#" PRIx64
                          " overlaps the header", coff);
                c->res->corruptions++;
                if (c->fix & BDRV_FIX_ERRORS) {
                    l2[j] = 0;
                    changed = true;
                }
                break;
            }
            inc_refs(c, coff, csize, "compressed cluster");
            if (active) {
                c->res->allocated_clusters++;
                c->res->compressed_clusters++;
            }
            break;
        }
        case QCOW2_CLUSTER_NORMAL:
        case QCOW2_CLUSTER_ZERO_ALLOC: {
            uint64_t host = e & L2E_OFFSET_MASK;

            if (offset_into_cluster(s, host)) {
                check_log(c, "ERROR offset=%#" PRIx64 ": Cluster is not "
                          "properly aligned; L2 entry corrupted", host);
                c->res->corruptions++;
                if (c->fix & BDRV_FIX_ERRORS) {
                    l2[j] = 0;
                    changed = true;
                }
                break;
            }
            inc_refs(c, host, s->cluster_size, "data cluster");
            if (active && t == QCOW2_CLUSTER_NORMAL) {
                c->res->allocated_clusters++;
                if (*prev_host && host != *prev_host + s->cluster_size) {
                    c->res->fragmented_clusters++;
                }
                *prev_host = host;
            }
            break;
        }
        default:
            break;
        }
    }
    if (changed) {
        ret = bdrv_pwrite(c->bs->file, l2_off, l2, s->cluster_size);
        qcow2_cache_discard(s->l2_cache, l2_off);
        if (ret < 0) {
            c->res->check_errors++;
            return ret;
        }
    }
    return 0;
}

static int check_l1(CheckState *c, uint64_t l1_off, uint32_t l1_size,
                    bool active)
{
    BDRVQcow2State *s = c->s;
    g_autofree uint64_t *l1 = NULL;
    uint64_t prev = 0;
    int ret;

    inc_refs(c, l1_off, (uint64_t)l1_size * 8, "L1 table");
    if (!l1_size) {
        return 0;
    }
    l1 = g_new(uint64_t, l1_size);
    if (active) {
        memcpy(l1, s->l1_table, (uint64_t)l1_size * 8);
    } else {
        ret = bdrv_pread(c->bs->file, l1_off, l1, (uint64_t)l1_size * 8);
        if (ret < 0) {
            check_log(c, "ERROR: I/O error reading L1 table at %#" PRIx64,
                      l1_off);
            c->res->check_errors++;
            return ret;
        }
        for (uint32_t i = 0; i < l1_size; i++) {
            l1[i] = be64_to_cpu(l1[i]);
        }
    }
    for (uint32_t i = 0; i < l1_size; i++) {
        uint64_t l2_off = l1[i] & L1E_OFFSET_MASK;

        if (!l2_off) {
            continue;
        }
        if (offset_into_cluster(s, l2_off) ||
            (l2_off >> s->cluster_bits) >= c->limit) {
            check_log(c, "ERROR l2_offset=%#" PRIx64 ": Table is not "
                      "cluster aligned or beyond the image; L1 entry "
                      "corrupted", l2_off);
            c->res->corruptions++;
            if (active && (c->fix & BDRV_FIX_ERRORS)) {
                s->l1_table[i] = 0;
                qcow2_write_l1_entry(c->bs, i);
            }
            continue;
        }
        inc_refs(c, l2_off, s->cluster_size, "L2 table");
        ret = check_l2(c, l2_off, active, &prev);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/* Count every reference. */
static int count_refs(CheckState *c)
{
    BDRVQcow2State *s = c->s;
    int ret;

    inc_refs(c, 0, s->cluster_size, "header");
    ret = check_l1(c, s->l1_table_offset, s->l1_size, true);
    for (int i = 0; i < s->nb_snapshots && ret == 0; i++) {
        ret = check_l1(c, s->snapshots[i].l1_table_offset,
                       s->snapshots[i].l1_size, false);
    }
    if (ret < 0) {
        return ret;
    }
    inc_refs(c, s->snapshots_offset, s->snapshots_size, "snapshot table");
    if (!c->count_refcount_structure) {
        return 0;
    }
    inc_refs(c, s->refcount_table_offset,
             (uint64_t)s->refcount_table_size * 8, "refcount table");
    for (uint32_t i = 0; i < s->refcount_table_size; i++) {
        uint64_t off = s->refcount_table[i] & REFT_OFFSET_MASK;

        if (!off) {
            continue;
        }
        if (offset_into_cluster(s, off) || off == 0 ||
            (off >> s->cluster_bits) >= c->limit) {
            check_log(c, "ERROR refcount block %u at %#" PRIx64 " is not "
                      "cluster aligned or beyond the image; refcount table "
                      "entry corrupted", i, off);
            c->res->corruptions++;
            c->rebuild = true;
            continue;
        }
        inc_refs(c, off, s->cluster_size, "refcount block");
    }
    return 0;
}

/* Compare with the stored refcounts; leaks are fixed here. */
static int compare_refcounts(CheckState *c)
{
    BDRVQcow2State *s = c->s;
    uint64_t E = s->refcount_block_size;
    g_autofree uint8_t *block = g_malloc(s->cluster_size);
    uint64_t covered_end = 0;
    int ret;

    for (uint32_t rt = 0; rt < s->refcount_table_size; rt++) {
        uint64_t off = s->refcount_table[rt] & REFT_OFFSET_MASK;

        if (!off || offset_into_cluster(s, off) ||
            (off >> s->cluster_bits) >= c->limit) {
            continue;
        }
        ret = bdrv_pread(c->bs->file, off, block, s->cluster_size);
        if (ret < 0) {
            c->res->check_errors++;
            return ret;
        }
        for (uint64_t k = 0; k < E; k++) {
            uint64_t ci = rt * E + k;
            uint64_t disk = qcow2_get_refcount_ro(s, block, k);
            uint64_t want = ci < c->nb ? c->refs[ci] : 0;

            if (disk == want) {
                continue;
            }
            if (disk < want) {
                check_log(c, "ERROR cluster %" PRIu64 " refcount=%" PRIu64
                          " reference=%" PRIu64, ci, disk, want);
                c->res->corruptions++;
                c->rebuild = true;
            } else if ((c->fix & BDRV_FIX_LEAKS) && !c->rebuild) {
                check_log(c, "Repairing cluster %" PRIu64 " refcount=%"
                          PRIu64 " reference=%" PRIu64, ci, disk, want);
                ret = qcow2_update_refcount(c->bs, ci << s->cluster_bits, 1,
                                            -(int64_t)(disk - want));
                if (ret < 0) {
                    c->res->check_errors++;
                } else {
                    c->res->leaks_fixed++;
                }
                c->res->leaks++;
            } else {
                check_log(c, "Leaked cluster %" PRIu64 " refcount=%" PRIu64
                          " reference=%" PRIu64, ci, disk, want);
                c->res->leaks++;
            }
        }
        covered_end = MAX(covered_end, (uint64_t)(rt + 1) * E);
    }
    /* referenced clusters no refcount block describes */
    for (uint64_t ci = 0; ci < c->nb; ci++) {
        uint64_t rt = ci / E;
        uint64_t off = rt < s->refcount_table_size
                       ? s->refcount_table[rt] & REFT_OFFSET_MASK : 0;

        if (c->refs[ci] && (!off || offset_into_cluster(s, off) ||
                            (off >> s->cluster_bits) >= c->limit)) {
            check_log(c, "ERROR cluster %" PRIu64 " refcount=0 reference=%u",
                      ci, c->refs[ci]);
            c->res->corruptions++;
            c->rebuild = true;
        }
    }
    return 0;
}

static int check_copied_flags(CheckState *c)
{
    BDRVQcow2State *s = c->s;
    g_autofree uint64_t *l2 = g_malloc(s->cluster_size);
    int errors = 0;

    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t l2_off = s->l1_table[i] & L1E_OFFSET_MASK, rc;
        int ret;

        if (!l2_off || offset_into_cluster(s, l2_off) ||
            (l2_off >> s->cluster_bits) >= c->nb) {
            continue;
        }
        rc = c->refs[l2_off >> s->cluster_bits];
        if ((rc == 1) != !!(s->l1_table[i] & QCOW_OFLAG_COPIED)) {
            check_log(c, "ERROR OFLAG_COPIED L2 cluster: l1_index=%u "
                      "l1_entry=%" PRIx64 " refcount=%" PRIu64, i,
                      s->l1_table[i], rc);
            errors++;
        }
        ret = bdrv_pread(c->bs->file, l2_off, l2, s->cluster_size);
        if (ret < 0) {
            c->res->check_errors++;
            return ret;
        }
        for (int j = 0; j < s->l2_size; j++) {
            uint64_t e = be64_to_cpu(l2[j]), host = e & L2E_OFFSET_MASK;
            Qcow2ClusterType t = qcow2_get_cluster_type(s, e);

            if ((t != QCOW2_CLUSTER_NORMAL && t != QCOW2_CLUSTER_ZERO_ALLOC) ||
                offset_into_cluster(s, host) ||
                (host >> s->cluster_bits) >= c->nb) {
                continue;
            }
            rc = c->refs[host >> s->cluster_bits];
            if ((rc == 1) != !!(e & QCOW_OFLAG_COPIED)) {
                check_log(c, "ERROR OFLAG_COPIED data cluster: l2_entry=%"
                          PRIx64 " refcount=%" PRIu64, e, rc);
                errors++;
            }
        }
    }
    c->res->corruptions += errors;
    return errors;
}

/* New refcount blocks and table after everything else, from c->refs. */
static int rebuild_refcounts(CheckState *c)
{
    BlockDriverState *bs = c->bs;
    BDRVQcow2State *s = c->s;
    uint64_t cs = s->cluster_size, E = s->refcount_block_size;
    uint64_t end = 0, b = 1, t = 1, total;
    int64_t flen = bdrv_getlength(bs->file);
    g_autofree uint64_t *table = NULL;
    g_autofree uint8_t *block = NULL;
    uint8_t hdr[12];
    int ret;

    for (uint64_t i = 0; i < c->nb; i++) {
        if (c->refs[i]) {
            end = i + 1;
        }
    }
    if (flen > 0) {
        end = MAX(end, DIV_ROUND_UP((uint64_t)flen, cs));
    }
    for (;;) {
        uint64_t nb, nt;
        total = end + b + t;
        nb = DIV_ROUND_UP(total, E);
        nt = DIV_ROUND_UP(nb * 8, cs);
        if (nb == b && nt == t) {
            break;
        }
        b = nb;
        t = nt;
    }
    if (t * cs > QCOW2_MAX_REFTABLE_SIZE) {
        return -EFBIG;
    }
    if (total > c->nb) {
        c->refs = g_renew(uint32_t, c->refs, total);
        memset(c->refs + c->nb, 0, (total - c->nb) * sizeof(uint32_t));
        c->nb = total;
    }
    for (uint64_t i = end; i < total; i++) {
        c->refs[i] = 1;
    }
    table = g_new0(uint64_t, t * cs / 8);
    block = g_malloc(cs);
    for (uint64_t k = 0; k < b; k++) {
        memset(block, 0, cs);
        for (uint64_t j = 0; j < E && k * E + j < total; j++) {
            uint64_t v = c->refs[k * E + j];
            if (v > s->refcount_max) {
                return -ERANGE;
            }
            qcow2_set_refcount_ro(s, block, j, v);
        }
        ret = bdrv_pwrite(bs->file, (end + k) * cs, block, cs);
        if (ret < 0) {
            return ret;
        }
        table[k] = cpu_to_be64((end + k) * cs);
    }
    ret = bdrv_pwrite(bs->file, (end + b) * cs, table, t * cs);
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret == 0) {
        st64_be_p(hdr, (end + b) * cs);
        st32_be_p(hdr + 8, t);
        ret = bdrv_pwrite(bs->file, 48, hdr, sizeof(hdr));
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        return ret;
    }
    qcow2_cache_drop_all(s->refcount_cache);
    g_free(s->refcount_table);
    s->refcount_table_size = t * cs / 8;
    s->refcount_table = g_new0(uint64_t, s->refcount_table_size);
    for (uint64_t k = 0; k < b; k++) {
        s->refcount_table[k] = (end + k) * cs;
    }
    s->refcount_table_offset = (end + b) * cs;
    s->free_cluster_index = 0;
    s->free_byte_offset = 0;
    qcow2_metadata_rebuild(bs);
    check_log(c, "Refcount structure rebuilt (%" PRIu64 " blocks at %#"
              PRIx64 ")", b, end * cs);
    return 0;
}

static int check_once(BlockDriverState *bs, BdrvCheckResult *res, int fix,
                      bool *needs_rebuild, bool *needs_flags)
{
    BDRVQcow2State *s = bs->opaque;
    CheckState c = { .bs = bs, .s = s, .res = res, .fix = fix,
                     .count_refcount_structure = true };
    int64_t flen = bdrv_getlength(bs->file);
    int ret;

    if (flen < 0) {
        return flen;
    }
    c.limit = DIV_ROUND_UP((uint64_t)flen, s->cluster_size);
    c.nb = MAX(c.limit, 1);
    c.refs = g_new0(uint32_t, c.nb);
    res->total_clusters = size_to_clusters(s, s->size);
    ret = count_refs(&c);
    if (ret == 0) {
        ret = compare_refcounts(&c);
    }
    if (ret == 0) {
        *needs_flags = check_copied_flags(&c) > 0;
    }
    for (uint64_t i = 0; i < c.nb; i++) {
        if (c.refs[i]) {
            res->image_end_offset = (int64_t)(i + 1) << s->cluster_bits;
        }
    }
    *needs_rebuild = c.rebuild;
    if (ret == 0 && c.rebuild && (fix & BDRV_FIX_ERRORS)) {
        /* counts without the old refcount structure, then a new one */
        CheckState r = { .bs = bs, .s = s, .res = &(BdrvCheckResult){ 0 },
                         .limit = c.limit, .nb = c.nb };
        r.refs = g_new0(uint32_t, r.nb);
        ret = count_refs(&r);
        if (ret == 0) {
            ret = rebuild_refcounts(&r);
            if (ret == 0 && res->log) {
                g_string_append_printf(res->log, "Refcount structure "
                                       "rebuilt\n");
            }
        }
        g_free(r.refs);
    }
    g_free(c.refs);
    return ret;
}

int qcow2_check(BlockDriverState *bs, BdrvCheckResult *res, int fix)
{
    BDRVQcow2State *s = bs->opaque;
    bool rebuild = false, flags = false;
    BdrvCheckResult first = { .log = res->log };
    int ret;

    s->repairing = true;
    if (!bs->read_only) {
        ret = qcow2_sync_metadata(bs);
        if (ret < 0 && !fix) {
            s->repairing = false;
            return ret;
        }
    }
    ret = check_once(bs, &first, fix, &rebuild, &flags);
    if (ret == 0 && fix && !bs->read_only &&
        (first.corruptions || first.leaks)) {
        if ((fix & BDRV_FIX_ERRORS) && flags) {
            ret = qcow2_update_tree_refcount(bs, s->l1_table, s->l1_size, 0,
                                             true);
        }
        if (ret == 0) {
            ret = qcow2_sync_metadata(bs);
        }
        if (ret == 0) {
            ret = bdrv_flush(bs->file);
        }
        /* check again: what is left is what the caller sees */
        if (ret == 0) {
            BdrvCheckResult again = { 0 };
            ret = check_once(bs, &again, 0, &rebuild, &flags);
            again.corruptions_fixed = MAX(0, first.corruptions -
                                          again.corruptions);
            again.leaks_fixed = MAX(0, first.leaks - again.leaks);
            again.log = res->log;
            *res = again;
        }
    } else {
        *res = first;
    }
    s->repairing = false;
    return ret;
}
