/*
 * The command line's drives: -drive, -blockdev, -hda, -snapshot, and the
 * list boards and devices pick their drives from.
 *
 * -drive file=PATH[,format=raw|qcow2][,if=virtio|none|pflash|...][,id=ID]
 *        [,index=N][,bus=N,unit=N][,media=disk][,cache=MODE]
 *        [,cache.direct=on|off][,cache.no-flush=on|off][,aio=threads|io_uring]
 *        [,readonly=on][,snapshot=on][,discard=ignore|unmap][,locking=off]
 * -blockdev driver=D,node-name=N,... (see bdrv_open_blockdev)
 *
 * A drive is opened as soon as it is parsed, so a bad image is an error
 * before anything is built.  Its backend is named by id= (default: the
 * interface and its index, "virtio0", as QEMU does).
 */
#include "turtle/osdep.h"
#include "block/block-backend.h"
#include "block/block_int.h"
#include "turtle/option.h"
#include "block/io-uring.h"

void blk_set_name(BlockBackend *blk, const char *name, DriveInfo *dinfo);

static GPtrArray *drives;          /* DriveInfo * in command-line order */
static bool snapshot_all;

static const char *const interfaces[] = {
    "none", "virtio", "pflash", "ide", "scsi", "sd", "mtd", "floppy", "xen",
};

/*
 * aio=io_uring unless the host cannot (no liburing in this build, or the
 * kernel refuses rings): measured 2-3x the IOPS of the thread pool for
 * 4 KiB requests on raw and qcow2 (docs/performance.md); requests the
 * ring cannot take still go to the threads.
 */
int blk_default_aio_flags(void)
{
    static int flags = -1;

    if (flags < 0) {
        Error *err = NULL;
        flags = luring_available(&err) ? BDRV_O_IO_URING : 0;
        error_free(err);
    }
    return flags;
}

void drive_set_snapshot_all(bool on)
{
    snapshot_all = on;
}

static bool drive_id_taken(const char *id)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);
        if (!strcmp(d->id, id)) {
            return true;
        }
    }
    return blk_by_name(id) != NULL;
}

static int drive_next_index(const char *interface)
{
    int next = 0;

    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);
        if (!strcmp(d->interface, interface) && d->index >= next) {
            next = d->index + 1;
        }
    }
    return next;
}

static bool opt_int(Opts *o, const char *key, int *out, Error **errp)
{
    uint64_t v;

    if (!opts_has(o, key)) {
        return true;
    }
    if (!opts_get_uint(o, key, &v, errp)) {
        return false;
    }
    if (v > 65535) {
        error_setg(errp, "%s=%" PRIu64 " is out of range", key, v);
        return false;
    }
    *out = (int)v;
    return true;
}

DriveInfo *drive_new(const char *optstr, const char *default_if,
                     Error **errp)
{
    Opts *o = opts_parse("drive", optstr, NULL, errp);
    const char *file, *fmt, *iface, *id, *v;
    BlockCacheMode cache = { .writeback = true };
    int flags = BDRV_O_RDWR, bus = -1, unit = -1, index = -1;
    bool ro = false, snapshot = snapshot_all, known_if = false;
    BlockDriverState *bs = NULL;
    BlockBackend *blk;
    DriveInfo *dinfo = NULL;
    g_autofree char *gen_id = NULL;

    if (!o) {
        return NULL;
    }
    if (!drives) {
        drives = g_ptr_array_new();
    }
    file = opts_get(o, "file");
    fmt = opts_get(o, "format");
    iface = opts_get(o, "if");
    if (!iface) {
        iface = default_if;
    }
    for (size_t i = 0; i < ARRAY_SIZE(interfaces); i++) {
        known_if |= !strcmp(iface, interfaces[i]);
    }
    if (!known_if) {
        error_setg(errp, "unsupported bus type '%s'", iface);
        goto out;
    }
    if (!opt_int(o, "bus", &bus, errp) || !opt_int(o, "unit", &unit, errp) ||
        !opt_int(o, "index", &index, errp)) {
        goto out;
    }
    if (index >= 0 && (bus >= 0 || unit >= 0)) {
        error_setg(errp, "index cannot be used with bus and unit");
        goto out;
    }
    v = opts_get(o, "media");
    if (v && strcmp(v, "disk")) {
        error_setg(errp, "media=%s is not supported (only media=disk)", v);
        goto out;
    }
    v = opts_get(o, "cache");
    if (v && !bdrv_parse_cache_mode(v, &cache)) {
        error_setg(errp, "invalid cache option '%s' (writeback, none, "
                   "writethrough, directsync, unsafe)", v);
        goto out;
    }
    if (!opts_get_bool(o, "cache.direct", &cache.direct, errp) ||
        !opts_get_bool(o, "cache.no-flush", &cache.no_flush, errp) ||
        !opts_get_bool(o, "cache.writeback", &cache.writeback, errp)) {
        goto out;
    }
    flags |= (cache.direct ? BDRV_O_NOCACHE : 0) |
             (cache.no_flush ? BDRV_O_NO_FLUSH : 0);
    if (!opts_get_bool(o, "readonly", &ro, errp) ||
        !opts_get_bool(o, "read-only", &ro, errp) ||
        !opts_get_bool(o, "snapshot", &snapshot, errp)) {
        goto out;
    }
    if (ro) {
        flags &= ~BDRV_O_RDWR;
    }
    v = opts_get(o, "discard");
    if (v) {
        if (!strcmp(v, "unmap") || !strcmp(v, "on")) {
            flags |= BDRV_O_UNMAP;
        } else if (strcmp(v, "ignore") && strcmp(v, "off")) {
            error_setg(errp, "invalid discard option '%s' (ignore, unmap)",
                       v);
            goto out;
        }
    }
    v = opts_get(o, "aio");
    if (v) {
        if (!strcmp(v, "io_uring")) {
            flags |= BDRV_O_IO_URING;
        } else if (strcmp(v, "threads")) {
            error_setg(errp, "invalid aio option '%s' (threads, io_uring)",
                       v);
            goto out;
        }
    } else {
        flags |= blk_default_aio_flags();
    }
    v = opts_get(o, "locking");
    if (v && !strcmp(v, "off")) {
        flags |= BDRV_O_NO_LOCK;
    } else if (v && strcmp(v, "on") && strcmp(v, "auto")) {
        error_setg(errp, "invalid locking option '%s'", v);
        goto out;
    }
    v = opts_get(o, "werror");
    if (v && strcmp(v, "report")) {
        error_setg(errp, "werror=%s is not supported (errors are reported "
                   "to the guest)", v);
        goto out;
    }
    v = opts_get(o, "rerror");
    if (v && strcmp(v, "report")) {
        error_setg(errp, "rerror=%s is not supported (errors are reported "
                   "to the guest)", v);
        goto out;
    }
    id = opts_get(o, "id");
    if (!opts_check_all_used(o, errp)) {
        goto out;
    }
    if (index < 0 && unit < 0) {
        index = drive_next_index(iface);
    }
    if (index >= 0) {
        bus = 0;
        unit = index;
    } else {
        bus = bus < 0 ? 0 : bus;
        index = unit;
    }
    for (guint i = 0; i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);
        if (!strcmp(d->interface, iface) && d->bus == bus && d->unit == unit) {
            error_setg(errp, "drive with bus=%d, unit=%d (index=%d) exists",
                       bus, unit, index);
            goto out;
        }
    }
    if (!id) {
        gen_id = g_strdup_printf("%s%d", iface, index);
        id = gen_id;
    }
    if (drive_id_taken(id)) {
        error_setg(errp, "Duplicate ID '%s' for drive", id);
        goto out;
    }
    if (!file || !*file) {
        error_setg(errp, "drive '%s' has no file= (empty drives are not "
                   "supported)", id);
        goto out;
    }

    if (snapshot) {
        /* the image is only read; writes go to a temporary overlay */
        bs = bdrv_open(file, fmt, flags & ~BDRV_O_RDWR, errp);
        if (bs) {
            BlockDriverState *top = bdrv_open_temp_overlay(bs, flags, errp);
            bdrv_unref(bs);
            bs = top;
        }
    } else {
        bs = bdrv_open(file, fmt, flags, errp);
        if (bs && !fmt && !strcmp(bdrv_get_format_name(bs), "raw") &&
            !ro) {
            warn_report("Image format was not specified for '%s' and "
                        "probing guessed raw; give format=raw to silence "
                        "this (probing a writable raw image is unsafe: a "
                        "guest can write a header that makes it look like "
                        "another format)", file);
        }
    }
    if (!bs) {
        goto out;
    }
    blk = blk_new_with_bs(bs, errp);
    bdrv_unref(bs);
    blk_set_enable_write_cache(blk, cache.writeback);

    dinfo = g_new0(DriveInfo, 1);
    dinfo->id = g_strdup(id);
    dinfo->interface = g_strdup(iface);
    dinfo->bus = bus;
    dinfo->unit = unit;
    dinfo->index = index;
    dinfo->blk = blk;
    blk_set_name(blk, id, dinfo);
    g_ptr_array_add(drives, dinfo);
out:
    opts_free(o);
    return dinfo;
}

bool blockdev_new(const char *optstr, Error **errp)
{
    Opts *o;
    BlockDriverState *bs;

    if (optstr[0] == '{') {
        error_setg(errp, "-blockdev: JSON syntax is not supported; use "
                   "driver=...,node-name=...");
        return false;
    }
    o = opts_parse("blockdev", optstr, NULL, errp);
    if (!o) {
        return false;
    }
    if (!opts_has(o, "node-name")) {
        error_setg(errp, "-blockdev: node-name is required");
        opts_free(o);
        return false;
    }
    bs = bdrv_open_blockdev(o, BDRV_O_RDWR | blk_default_aio_flags(), errp);
    opts_free(o);
    return bs != NULL;     /* the node keeps its reference until exit */
}

static gint drive_cmp(gconstpointer a, gconstpointer b)
{
    const DriveInfo *x = *(DriveInfo *const *)a;
    const DriveInfo *y = *(DriveInfo *const *)b;

    if (x->bus != y->bus) {
        return x->bus - y->bus;
    }
    return x->unit - y->unit;
}

DriveInfo **drive_list(const char *interface)
{
    GPtrArray *out = g_ptr_array_new();

    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);
        if (!strcmp(d->interface, interface)) {
            g_ptr_array_add(out, d);
        }
    }
    g_ptr_array_sort(out, drive_cmp);
    g_ptr_array_add(out, NULL);
    return (DriveInfo **)g_ptr_array_free(out, FALSE);
}

DriveInfo *drive_get(const char *interface, int bus, int unit)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);
        if (!strcmp(d->interface, interface) && d->bus == bus &&
            d->unit == unit) {
            return d;
        }
    }
    return NULL;
}

DriveInfo *drive_get_by_index(const char *interface, int index)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);
        if (!strcmp(d->interface, interface) && d->index == index) {
            return d;
        }
    }
    return NULL;
}

bool drive_check_orphaned(Error **errp)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveInfo *d = g_ptr_array_index(drives, i);
        if (!d->claimed && strcmp(d->interface, "none")) {
            error_setg(errp, "machine type does not support if=%s,bus=%d,"
                       "unit=%d", d->interface, d->bus, d->unit);
            return false;
        }
    }
    return true;
}
