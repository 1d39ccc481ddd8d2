/*
 * qcow2 internal snapshots: the snapshot table, create, apply (goto),
 * delete, list.  A snapshot is a copy of the active L1 table; every
 * cluster reachable from it gets one more reference, so writes after the
 * snapshot copy on write.  The VM state of a snapshot (savevm) lives in
 * guest-cluster space past the disk, copied with the L1 table.
 *
 * Order on disk, so a crash leaves leaks at worst: references are added
 * (refcounts stable) before the table that uses them is written, and
 * removed from refcounts only after the table no longer names them.
 * Callers drain I/O first (blk_snapshot_*).
 */
#include "turtle/osdep.h"
#include "qcow2.h"

#define SNAPSHOT_EXTRA_MAX 1024     /* as QEMU */
#define SNAPSHOT_EXTRA_OURS 24      /* vm_state_size, disk_size, icount */

void qcow2_free_snapshots(BDRVQcow2State *s)
{
    for (int i = 0; i < s->nb_snapshots; i++) {
        g_free(s->snapshots[i].id_str);
        g_free(s->snapshots[i].name);
        g_free(s->snapshots[i].unknown_extra);
    }
    g_free(s->snapshots);
    s->snapshots = NULL;
    s->nb_snapshots = 0;
}

int qcow2_read_snapshots(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t off = s->snapshots_offset;
    int nb = s->nb_snapshots, ret;

    s->nb_snapshots = 0;
    s->snapshots_size = 0;
    if (!nb) {
        return 0;
    }
    s->snapshots = g_new0(Qcow2Snapshot, nb);
    for (int i = 0; i < nb; i++) {
        Qcow2Snapshot *sn = &s->snapshots[i];
        uint8_t h[40], extra[SNAPSHOT_EXTRA_MAX];
        uint16_t id_len, name_len;

        if (off - s->snapshots_offset + sizeof(h) > QCOW2_MAX_SNAPSHOTS_SIZE) {
            error_setg(errp, "qcow2: snapshot table too large");
            return -EFBIG;
        }
        ret = bdrv_pread(bs->file, off, h, sizeof(h));
        if (ret < 0) {
            error_setg_errno(errp, -ret, "qcow2: could not read snapshots");
            return ret;
        }
        s->nb_snapshots = i + 1;
        sn->l1_table_offset = ld64_be_p(h);
        sn->l1_size = ld32_be_p(h + 8);
        id_len = ld16_be_p(h + 12);
        name_len = ld16_be_p(h + 14);
        sn->date_sec = ld32_be_p(h + 16);
        sn->date_nsec = ld32_be_p(h + 20);
        sn->vm_clock_nsec = ld64_be_p(h + 24);
        sn->vm_state_size = ld32_be_p(h + 32);
        sn->extra_data_size = ld32_be_p(h + 36);
        sn->disk_size = s->size;
        sn->icount = UINT64_MAX;
        off += sizeof(h);
        if (sn->extra_data_size > SNAPSHOT_EXTRA_MAX) {
            error_setg(errp, "qcow2: snapshot extra data too large");
            return -EFBIG;
        }
        ret = bdrv_pread(bs->file, off, extra, sn->extra_data_size);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "qcow2: could not read snapshots");
            return ret;
        }
        if (sn->extra_data_size >= 8) {
            sn->vm_state_size = ld64_be_p(extra);
        }
        if (sn->extra_data_size >= 16) {
            sn->disk_size = ld64_be_p(extra + 8);
        }
        if (sn->extra_data_size >= 24) {
            sn->icount = ld64_be_p(extra + 16);
        }
        if (sn->extra_data_size > SNAPSHOT_EXTRA_OURS) {
            sn->unknown_extra = g_memdup2(extra + SNAPSHOT_EXTRA_OURS,
                                          sn->extra_data_size -
                                          SNAPSHOT_EXTRA_OURS);
        }
        off += sn->extra_data_size;
        sn->id_str = g_malloc0(id_len + 1);
        sn->name = g_malloc0(name_len + 1);
        ret = bdrv_pread(bs->file, off, sn->id_str, id_len);
        if (ret == 0) {
            ret = bdrv_pread(bs->file, off + id_len, sn->name, name_len);
        }
        if (ret < 0) {
            error_setg_errno(errp, -ret, "qcow2: could not read snapshots");
            return ret;
        }
        off = ROUND_UP(off + id_len + name_len, 8);
        if ((uint64_t)sn->l1_size * 8 > QCOW2_MAX_L1_SIZE ||
            (sn->l1_size && (offset_into_cluster(s, sn->l1_table_offset) ||
                             sn->l1_table_offset == 0 ||
                             sn->l1_table_offset + (uint64_t)sn->l1_size * 8 >
                             qcow2_refcount_coverage(s))) ||
            sn->disk_size > BDRV_MAX_LENGTH) {
            error_setg(errp, "qcow2: snapshot '%s' has an invalid L1 table",
                       sn->id_str);
            return -EINVAL;
        }
    }
    s->snapshots_size = off - s->snapshots_offset;
    if (s->snapshots_size > QCOW2_MAX_SNAPSHOTS_SIZE) {
        error_setg(errp, "qcow2: snapshot table too large");
        return -EFBIG;
    }
    return 0;
}

/* Write the list as a new table and switch the header to it. */
static int write_snapshots(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    GByteArray *t = g_byte_array_new();
    uint64_t old_off = s->snapshots_offset, old_size = s->snapshots_size;
    int64_t off = 0;
    uint8_t hdr[12];
    int ret = 0;

    for (int i = 0; i < s->nb_snapshots; i++) {
        Qcow2Snapshot *sn = &s->snapshots[i];
        uint32_t extra = SNAPSHOT_EXTRA_OURS +
            (sn->unknown_extra ? sn->extra_data_size - SNAPSHOT_EXTRA_OURS : 0);
        uint8_t h[40 + SNAPSHOT_EXTRA_OURS];
        static const uint8_t zero[8];
        size_t id_len = strlen(sn->id_str), name_len = strlen(sn->name);

        st64_be_p(h, sn->l1_table_offset);
        st32_be_p(h + 8, sn->l1_size);
        st16_be_p(h + 12, id_len);
        st16_be_p(h + 14, name_len);
        st32_be_p(h + 16, sn->date_sec);
        st32_be_p(h + 20, sn->date_nsec);
        st64_be_p(h + 24, sn->vm_clock_nsec);
        st32_be_p(h + 32, MIN(sn->vm_state_size, UINT32_MAX));
        st32_be_p(h + 36, extra);
        st64_be_p(h + 40, sn->vm_state_size);
        st64_be_p(h + 48, sn->disk_size);
        st64_be_p(h + 56, sn->icount);
        g_byte_array_append(t, h, sizeof(h));
        if (sn->unknown_extra) {
            g_byte_array_append(t, sn->unknown_extra,
                                extra - SNAPSHOT_EXTRA_OURS);
        }
        g_byte_array_append(t, (uint8_t *)sn->id_str, id_len);
        g_byte_array_append(t, (uint8_t *)sn->name, name_len);
        g_byte_array_append(t, zero, ROUND_UP(t->len, 8) - t->len);
    }
    if (t->len > QCOW2_MAX_SNAPSHOTS_SIZE) {
        g_byte_array_free(t, TRUE);
        return -EFBIG;
    }
    if (t->len) {
        off = qcow2_alloc_clusters(bs, size_to_clusters(s, t->len));
        if (off < 0) {
            g_byte_array_free(t, TRUE);
            return off;
        }
        ret = bdrv_pwrite(bs->file, off, t->data, t->len);
    }
    if (ret == 0) {
        ret = qcow2_sync_metadata(bs);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret == 0) {
        st32_be_p(hdr, s->nb_snapshots);
        st64_be_p(hdr + 4, off);
        ret = bdrv_pwrite(bs->file, 60, hdr, sizeof(hdr));
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        if (off > 0) {
            qcow2_free_clusters_deferred(bs, off, size_to_clusters(s, t->len));
        }
        g_byte_array_free(t, TRUE);
        return ret;
    }
    s->snapshots_offset = off;
    s->snapshots_size = t->len;
    if (old_size) {
        qcow2_free_clusters_deferred(bs, old_off,
                                     size_to_clusters(s, old_size));
    }
    g_byte_array_free(t, TRUE);
    qcow2_metadata_rebuild(bs);
    return 0;
}

static int find_snapshot(BDRVQcow2State *s, const char *id_or_name)
{
    for (int i = 0; i < s->nb_snapshots; i++) {
        if (!strcmp(s->snapshots[i].id_str, id_or_name)) {
            return i;
        }
    }
    for (int i = 0; i < s->nb_snapshots; i++) {
        if (!strcmp(s->snapshots[i].name, id_or_name)) {
            return i;
        }
    }
    return -1;
}

static bool snapshot_create_locked(BlockDriverState *bs,
                                   BlockSnapshotInfo *info, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2Snapshot sn = { 0 };
    uint64_t bytes = (uint64_t)s->l1_size * 8;
    g_autofree uint64_t *l1 = NULL;
    int64_t l1_off = 0;
    int ret;

    if (!info->id_str[0]) {
        uint64_t max = 0;
        for (int i = 0; i < s->nb_snapshots; i++) {
            uint64_t v = g_ascii_strtoull(s->snapshots[i].id_str, NULL, 10);
            max = MAX(max, v);
        }
        snprintf(info->id_str, sizeof(info->id_str), "%" PRIu64, max + 1);
    }
    for (int i = 0; i < s->nb_snapshots; i++) {
        if (!strcmp(s->snapshots[i].id_str, info->id_str)) {
            error_setg(errp, "Snapshot with id '%s' already exists",
                       info->id_str);
            return false;
        }
        if (info->name[0] && !strcmp(s->snapshots[i].name, info->name)) {
            error_setg(errp, "Snapshot with name '%s' already exists",
                       info->name);
            return false;
        }
    }
    if (s->nb_snapshots >= QCOW2_MAX_SNAPSHOTS) {
        error_setg(errp, "Too many snapshots");
        return false;
    }
    ret = qcow2_sync_metadata(bs);
    if (ret < 0) {
        goto fail;
    }
    /* the copy of the L1 table */
    if (bytes) {
        l1 = g_new(uint64_t, s->l1_size);
        for (uint32_t i = 0; i < s->l1_size; i++) {
            l1[i] = cpu_to_be64(s->l1_table[i]);
        }
        l1_off = qcow2_alloc_clusters(bs, size_to_clusters(s, bytes));
        if (l1_off < 0) {
            ret = l1_off;
            goto fail;
        }
        ret = bdrv_pwrite(bs->file, l1_off, l1, bytes);
        if (ret < 0) {
            goto fail;
        }
    }
    /* one more reference to everything; the active tree is shared now */
    ret = qcow2_update_tree_refcount(bs, s->l1_table, s->l1_size, 1, true);
    if (ret == 0) {
        ret = qcow2_sync_metadata(bs);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        goto fail;
    }
    sn.l1_table_offset = l1_off;
    sn.l1_size = s->l1_size;
    sn.id_str = g_strdup(info->id_str);
    sn.name = g_strdup(info->name);
    sn.vm_state_size = info->vm_state_size;
    sn.date_sec = info->date_sec;
    sn.date_nsec = info->date_nsec;
    sn.vm_clock_nsec = info->vm_clock_nsec;
    sn.icount = info->icount;
    sn.disk_size = s->size;
    sn.extra_data_size = SNAPSHOT_EXTRA_OURS;
    s->snapshots = g_renew(Qcow2Snapshot, s->snapshots, s->nb_snapshots + 1);
    s->snapshots[s->nb_snapshots++] = sn;
    ret = write_snapshots(bs);
    if (ret < 0) {
        s->nb_snapshots--;
        g_free(sn.id_str);
        g_free(sn.name);
        error_setg_errno(errp, -ret, "Could not write the snapshot table");
        return false;
    }
    info->disk_size = s->size;
    return true;

fail:
    error_setg_errno(errp, -ret, "Could not create snapshot '%s'",
                     info->name);
    return false;
}

bool qcow2_snapshot_create(BlockDriverState *bs, BlockSnapshotInfo *info,
                           Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    bool ok;

    pthread_mutex_lock(&s->lock);
    ok = !s->corrupt && snapshot_create_locked(bs, info, errp);
    if (!ok && s->corrupt && errp && !*errp) {
        error_setg(errp, "Image is corrupt");
    }
    pthread_mutex_unlock(&s->lock);
    if (ok && info->vm_state_size) {
        /* the state is in the snapshot now; in the active image it would
         * only cost copies on the next snapshot */
        qcow2_cluster_discard(bs, qcow2_vm_state_offset(s),
                              ROUND_UP(info->vm_state_size, s->cluster_size),
                              false, false);
    }
    return ok;
}

static bool snapshot_goto_locked(BlockDriverState *bs, const char *id,
                                 Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int i = find_snapshot(s, id);
    Qcow2Snapshot *sn;
    g_autofree uint64_t *old = NULL, *l1 = NULL;
    uint32_t old_size = s->l1_size;
    uint8_t b[8];
    int ret;

    if (i < 0) {
        error_setg(errp, "Can't find snapshot '%s'", id);
        return false;
    }
    sn = &s->snapshots[i];
    if (sn->disk_size != s->size && s->qcow_version < 3) {
        error_setg(errp, "Snapshot has a different disk size");
        return false;
    }
    ret = qcow2_sync_metadata(bs);
    if (ret < 0) {
        goto fail;
    }
    l1 = g_new0(uint64_t, MAX(sn->l1_size, 1));
    ret = bdrv_pread(bs->file, sn->l1_table_offset, l1,
                     (uint64_t)sn->l1_size * 8);
    if (ret < 0) {
        goto fail;
    }
    for (uint32_t k = 0; k < sn->l1_size; k++) {
        l1[k] = be64_to_cpu(l1[k]);
    }
    /* the snapshot's tree gains the active reference first */
    ret = qcow2_update_tree_refcount(bs, l1, sn->l1_size, 1, false);
    if (ret == 0) {
        ret = qcow2_sync_metadata(bs);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        goto fail;
    }
    old = g_new0(uint64_t, old_size + 1);
    if (old_size) {
        memcpy(old, s->l1_table, (uint64_t)old_size * 8);
    }
    if (sn->l1_size > s->l1_size) {
        ret = qcow2_grow_l1_table(bs, sn->l1_size, true);
        if (ret < 0) {
            goto fail;
        }
    }
    for (uint32_t k = 0; k < s->l1_size; k++) {
        s->l1_table[k] = k < sn->l1_size ? l1[k] & ~QCOW_OFLAG_COPIED : 0;
    }
    {
        g_autofree uint64_t *be = g_new(uint64_t, MAX(s->l1_size, 1));
        for (uint32_t k = 0; k < s->l1_size; k++) {
            be[k] = cpu_to_be64(s->l1_table[k]);
        }
        ret = bdrv_pwrite(bs->file, s->l1_table_offset, be,
                          (uint64_t)s->l1_size * 8);
    }
    if (ret == 0 && sn->disk_size != s->size) {
        st64_be_p(b, sn->disk_size);
        ret = bdrv_pwrite(bs->file, 24, b, 8);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        goto fail;
    }
    s->size = sn->disk_size;
    s->l1_vm_state_index = size_to_l1(s, s->size);
    qcow2_metadata_rebuild(bs);
    /* the old state loses its reference; flags follow the refcounts */
    ret = qcow2_update_tree_refcount(bs, old, old_size, -1, false);
    if (ret == 0) {
        ret = qcow2_update_tree_refcount(bs, s->l1_table, s->l1_size, 0,
                                         true);
    }
    if (ret == 0) {
        ret = qcow2_sync_metadata(bs);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    if (ret < 0) {
        goto fail;
    }
    return true;

fail:
    error_setg_errno(errp, -ret, "Could not apply snapshot '%s'", id);
    return false;
}

bool qcow2_snapshot_goto(BlockDriverState *bs, const char *id, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    bool ok;

    pthread_mutex_lock(&s->lock);
    if (s->corrupt) {
        error_setg(errp, "Image is corrupt");
        ok = false;
    } else {
        ok = snapshot_goto_locked(bs, id, errp);
    }
    pthread_mutex_unlock(&s->lock);
    return ok;
}

static bool snapshot_delete_locked(BlockDriverState *bs, const char *id,
                                   Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int i = find_snapshot(s, id);
    Qcow2Snapshot sn;
    int ret;

    if (i < 0) {
        error_setg(errp, "Can't find the snapshot with ID '%s' or name "
                   "'%s'", id, id);
        return false;
    }
    sn = s->snapshots[i];
    memmove(&s->snapshots[i], &s->snapshots[i + 1],
            (s->nb_snapshots - i - 1) * sizeof(Qcow2Snapshot));
    s->nb_snapshots--;
    ret = write_snapshots(bs);
    if (ret < 0) {
        /* put it back: nothing changed on disk */
        s->snapshots = g_renew(Qcow2Snapshot, s->snapshots,
                               s->nb_snapshots + 1);
        memmove(&s->snapshots[i + 1], &s->snapshots[i],
                (s->nb_snapshots - i) * sizeof(Qcow2Snapshot));
        s->snapshots[i] = sn;
        s->nb_snapshots++;
        error_setg_errno(errp, -ret, "Could not write the snapshot table");
        return false;
    }
    /* no table names it any more: drop its references */
    ret = qcow2_update_snapshot_refcount(bs, sn.l1_table_offset, sn.l1_size,
                                         -1);
    if (ret == 0 && sn.l1_size) {
        ret = qcow2_update_refcount(bs, sn.l1_table_offset,
                                    (uint64_t)sn.l1_size * 8, -1);
    }
    if (ret == 0) {
        ret = qcow2_update_tree_refcount(bs, s->l1_table, s->l1_size, 0,
                                         true);
    }
    if (ret == 0) {
        ret = qcow2_sync_metadata(bs);
    }
    if (ret == 0) {
        ret = bdrv_flush(bs->file);
    }
    g_free(sn.id_str);
    g_free(sn.name);
    g_free(sn.unknown_extra);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not free the snapshot's clusters "
                         "(leaked; 'turtle-img check -r leaks' repairs)");
        return false;
    }
    return true;
}

bool qcow2_snapshot_delete(BlockDriverState *bs, const char *id,
                           Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    bool ok;

    pthread_mutex_lock(&s->lock);
    if (s->corrupt) {
        error_setg(errp, "Image is corrupt");
        ok = false;
    } else {
        ok = snapshot_delete_locked(bs, id, errp);
    }
    pthread_mutex_unlock(&s->lock);
    return ok;
}

int qcow2_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list)
{
    BDRVQcow2State *s = bs->opaque;
    BlockSnapshotInfo *out;

    pthread_mutex_lock(&s->lock);
    out = g_new0(BlockSnapshotInfo, MAX(s->nb_snapshots, 1));
    for (int i = 0; i < s->nb_snapshots; i++) {
        Qcow2Snapshot *sn = &s->snapshots[i];

        g_strlcpy(out[i].id_str, sn->id_str, sizeof(out[i].id_str));
        g_strlcpy(out[i].name, sn->name, sizeof(out[i].name));
        out[i].vm_state_size = sn->vm_state_size;
        out[i].date_sec = sn->date_sec;
        out[i].date_nsec = sn->date_nsec;
        out[i].vm_clock_nsec = sn->vm_clock_nsec;
        out[i].icount = sn->icount;
        out[i].disk_size = sn->disk_size;
    }
    *list = out;
    pthread_mutex_unlock(&s->lock);
    return s->nb_snapshots;
}
