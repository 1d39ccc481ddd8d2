/*
 * Snapshots of the whole machine in qcow2 internal snapshots (savevm,
 * loadvm, delvm, info snapshots; QEMU's semantics).
 *
 * savevm: stop, drain and flush the disks, build the state stream
 * (vmstate-stream.c) in memory, write it to the VM state area of the first
 * writable disk, then snapshot every writable disk under one name.
 *
 * loadvm must not wreck a running guest when the snapshot is bad, so
 * before it switches the disks it snapshots them once more (an undo point,
 * deleted afterwards); it then reads the state and checks the whole
 * stream (checksums, machine, RAM layout, every device's fields) before
 * loading it, and goes back to the undo point if anything is wrong.
 */
#include "turtle/osdep.h"
#include "migration/snapshot.h"
#include "migration/vmstate-stream.h"
#include "block/block-backend.h"
#include "sysemu/runstate.h"
#include "sysemu/cpus.h"
#include "turtle/timer.h"

#define UNDO_NAME "turtle-loadvm-undo"

/* The writable disks, each able to hold a snapshot; NULL-terminated. */
static BlockBackend **snapshot_disks(Error **errp)
{
    g_autoptr(GPtrArray) a = g_ptr_array_new();

    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        if (!blk_bs(blk) || blk_is_read_only(blk)) {
            continue;
        }
        if (!blk_can_snapshot(blk)) {
            error_setg(errp, "Device '%s' is writable but does not support "
                       "snapshots", blk_name(blk));
            return NULL;
        }
        g_ptr_array_add(a, blk);
    }
    if (!a->len) {
        error_setg(errp, "No block device can accept snapshots");
        return NULL;
    }
    g_ptr_array_add(a, NULL);
    return (BlockBackend **)g_ptr_array_free(g_steal_pointer(&a), false);
}

static void fill_info(BlockSnapshotInfo *sn, const char *name,
                      uint64_t state_size)
{
    gint64 now = g_get_real_time();

    memset(sn, 0, sizeof(*sn));
    g_strlcpy(sn->name, name, sizeof(sn->name));
    sn->date_sec = now / G_USEC_PER_SEC;
    sn->date_nsec = (now % G_USEC_PER_SEC) * 1000;
    sn->vm_clock_nsec = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    sn->icount = -1;
    sn->vm_state_size = state_size;
}

static bool machine_state(GByteArray *out, bool with_ram, Error **errp)
{
    g_autoptr(MigStream) s = mig_stream_new_buffer(out);
    MigRamStats st = { 0 };

    if (!mig_save_header(s, errp)) {
        return false;
    }
    for (unsigned i = 0; with_ram && i < mig_ram_block_count(); i++) {
        if (!mig_save_ram_range(s, i, 0, UINT64_MAX, false, &st, errp)) {
            return false;
        }
    }
    return mig_save_devices(s, errp);
}

static bool flush_all(BlockBackend **disks, Error **errp)
{
    blk_drain_all();
    for (BlockBackend **d = disks; *d; d++) {
        int ret = blk_flush(*d);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "cannot flush '%s'", blk_name(*d));
            return false;
        }
    }
    return true;
}

/* disks[0] gets the machine state */
static bool save_on(BlockBackend **disks, const char *name, Error **errp)
{
    g_autoptr(GByteArray) state = g_byte_array_new();
    g_autofree char *auto_name = NULL;
    RunState saved_state = runstate_get();
    bool was_running = runstate_is_running();
    bool ok = false;
    BlockSnapshotInfo sn, old;
    int ret;

    if (!name || !*name) {
        g_autoptr(GDateTime) t = g_date_time_new_now_local();
        name = auto_name = g_date_time_format(t, "vm-%Y%m%d%H%M%S");
    }
    vm_stop(RUN_STATE_SAVE_VM);
    if (!flush_all(disks, errp) || !machine_state(state, true, errp)) {
        goto out;
    }
    for (BlockBackend **d = disks; *d; d++) {
        if (bdrv_snapshot_find(blk_bs(*d), name, &old) &&
            !blk_snapshot_delete(*d, old.id_str, errp)) {
            goto out;
        }
    }
    ret = bdrv_save_vmstate(blk_bs(disks[0]), state->data, 0, state->len);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot write the VM state to '%s'",
                         blk_name(disks[0]));
        goto out;
    }
    for (BlockBackend **d = disks; *d; d++) {
        fill_info(&sn, name, d == disks ? state->len : 0);
        if (!blk_snapshot_create(*d, &sn, errp)) {
            error_prepend(errp, "Error while creating snapshot on '%s': ",
                          blk_name(*d));
            /* no half-made snapshot stays behind */
            while (d-- > disks) {
                blk_snapshot_delete(*d, name, NULL);
            }
            goto out;
        }
    }
    ok = true;
out:
    if (was_running) {
        vm_start();
    } else {
        runstate_set(saved_state);
    }
    return ok;
}

bool save_snapshot(const char *name, Error **errp)
{
    g_autofree BlockBackend **disks = snapshot_disks(errp);

    return disks && save_on(disks, name, errp);
}

/* The disks QMP names (device ids or node names), vmstate first. */
static BlockBackend **named_disks(const char *vmstate, char **devices,
                                  Error **errp)
{
    g_autoptr(GPtrArray) a = g_ptr_array_new();
    bool vm_listed = !vmstate;

    for (char **d = devices; d && *d; d++) {
        BlockBackend *blk = blk_by_name(*d);

        if (!blk || !blk_bs(blk)) {
            error_setg(errp, "Device '%s' not found", *d);
            return NULL;
        }
        if (blk_is_read_only(blk) || !blk_can_snapshot(blk)) {
            error_setg(errp, "Device '%s' is %s", *d,
                       blk_is_read_only(blk) ? "read-only"
                       : "writable but does not support snapshots");
            return NULL;
        }
        for (guint i = 0; i < a->len; i++) {
            if (g_ptr_array_index(a, i) == blk) {
                error_setg(errp, "Device '%s' is listed twice", *d);
                return NULL;
            }
        }
        if (vmstate && !strcmp(*d, vmstate)) {
            vm_listed = true;
            g_ptr_array_insert(a, 0, blk);
        } else {
            g_ptr_array_add(a, blk);
        }
    }
    if (!a->len) {
        error_setg(errp, "No block device can accept snapshots");
        return NULL;
    }
    if (!vm_listed) {
        error_setg(errp, "Device '%s' for the VM state is not in 'devices'",
                   vmstate);
        return NULL;
    }
    g_ptr_array_add(a, NULL);
    return (BlockBackend **)g_ptr_array_free(g_steal_pointer(&a), false);
}

bool save_snapshot_on(const char *name, const char *vmstate, char **devices,
                      Error **errp)
{
    g_autofree BlockBackend **disks = named_disks(vmstate, devices, errp);

    return disks && save_on(disks, name, errp);
}

static void undo_delete(BlockBackend **disks, BlockBackend **end)
{
    for (BlockBackend **d = disks; *d && d != end; d++) {
        blk_snapshot_delete(*d, UNDO_NAME, NULL);
    }
}

/* Switch every disk to the snapshot, read its state and check it; on any
 * failure the disks are back where they were. */
static bool switch_disks(BlockBackend **disks, BlockBackend *want_vm,
                         const char *name, BlockSnapshotInfo *vm_sn,
                         GByteArray *state, Error **errp)
{
    BlockBackend *vm_disk = NULL;
    BlockSnapshotInfo sn;
    int ret;

    for (BlockBackend **d = disks; *d; d++) {
        if (!bdrv_snapshot_find(blk_bs(*d), name, &sn)) {
            error_setg(errp, "Snapshot '%s' does not exist on device '%s'",
                       name, blk_name(*d));
            return false;
        }
        if (!vm_disk && sn.vm_state_size && (!want_vm || *d == want_vm)) {
            vm_disk = *d;
            *vm_sn = sn;
        }
    }
    if (!vm_disk) {
        error_setg(errp, "Snapshot '%s' is a disk-only snapshot (no VM "
                   "state); revert to it offline with turtle-img snapshot "
                   "-a", name);
        return false;
    }
    if (vm_sn->vm_state_size > G_MAXUINT32) {
        error_setg(errp, "Snapshot '%s': VM state of %" PRIu64 " bytes is "
                   "too large", name, vm_sn->vm_state_size);
        return false;
    }
    for (BlockBackend **d = disks; *d; d++) {
        blk_snapshot_delete(*d, UNDO_NAME, NULL);    /* a stale one */
        fill_info(&sn, UNDO_NAME, 0);
        if (!blk_snapshot_create(*d, &sn, errp)) {
            error_prepend(errp, "cannot keep the current state of '%s': ",
                          blk_name(*d));
            undo_delete(disks, d);
            return false;
        }
    }
    for (BlockBackend **d = disks; *d; d++) {
        if (!blk_snapshot_goto(*d, name, errp)) {
            goto undo;
        }
    }
    g_byte_array_set_size(state, vm_sn->vm_state_size);
    ret = bdrv_load_vmstate(blk_bs(vm_disk), state->data, 0, state->len);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot read the VM state of '%s'",
                         blk_name(vm_disk));
        goto undo;
    }
    {
        g_autoptr(MigStream) s = mig_stream_new_reader_buf(state->data,
                                                           state->len);
        if (!mig_load_stream(s, false, errp)) {
            error_prepend(errp, "Snapshot '%s' cannot be loaded: ", name);
            goto undo;
        }
    }
    undo_delete(disks, NULL);
    return true;

undo:
    for (BlockBackend **d = disks; *d; d++) {
        blk_snapshot_goto(*d, UNDO_NAME, NULL);
    }
    undo_delete(disks, NULL);
    return false;
}

static bool load_on(BlockBackend **disks, BlockBackend *want_vm,
                    const char *name, Error **errp)
{
    g_autoptr(GByteArray) state = g_byte_array_new();
    g_autoptr(GByteArray) backup = g_byte_array_new();
    RunState saved_state = runstate_get();
    bool was_running = runstate_is_running();
    BlockSnapshotInfo vm_sn;
    Error *err = NULL;

    vm_stop(RUN_STATE_RESTORE_VM);
    if (!flush_all(disks, errp) ||
        !machine_state(backup, false, errp) ||
        !switch_disks(disks, want_vm, name, &vm_sn, state, errp)) {
        goto restart;
    }
    {
        g_autoptr(MigStream) s = mig_stream_new_reader_buf(state->data,
                                                           state->len);
        if (!mig_load_stream(s, true, &err)) {
            /* checked above, so only a device's post_load can refuse it:
             * the devices go back to how they were, the VM stays stopped */
            g_autoptr(MigStream) b = mig_stream_new_reader_buf(backup->data,
                                                               backup->len);
            mig_load_stream(b, true, NULL);
            error_prepend(&err, "loadvm '%s' failed, the VM is stopped: ",
                          name);
            error_propagate(errp, err);
            runstate_set(RUN_STATE_PAUSED);
            return false;
        }
    }
    cpu_synchronize_all_post_init();
    if (was_running) {
        vm_start();
    } else {
        runstate_set(saved_state == RUN_STATE_PRELAUNCH ? RUN_STATE_PAUSED
                                                        : saved_state);
    }
    return true;

restart:
    if (was_running) {
        vm_start();
    } else {
        runstate_set(saved_state);
    }
    return false;
}

bool load_snapshot(const char *name, Error **errp)
{
    g_autofree BlockBackend **disks = snapshot_disks(errp);

    return disks && load_on(disks, NULL, name, errp);
}

bool load_snapshot_on(const char *name, const char *vmstate, char **devices,
                      Error **errp)
{
    g_autofree BlockBackend **disks = named_disks(vmstate, devices, errp);

    return disks && load_on(disks, disks[0], name, errp);
}

static bool delete_on(BlockBackend **disks, const char *name, Error **errp)
{
    bool found = false;
    BlockSnapshotInfo sn;

    for (BlockBackend **d = disks; *d; d++) {
        if (!bdrv_snapshot_find(blk_bs(*d), name, &sn)) {
            continue;
        }
        found = true;
        if (!blk_snapshot_delete(*d, sn.id_str, errp)) {
            error_prepend(errp, "Error while deleting snapshot on device "
                          "'%s': ", blk_name(*d));
            return false;
        }
    }
    if (!found) {
        error_setg(errp, "Snapshot '%s' not found", name);
        return false;
    }
    return true;
}

bool delete_snapshot(const char *name, Error **errp)
{
    g_autofree BlockBackend **disks = snapshot_disks(errp);

    return disks && delete_on(disks, name, errp);
}

bool delete_snapshot_on(const char *name, char **devices, Error **errp)
{
    g_autofree BlockBackend **disks = named_disks(NULL, devices, errp);

    return disks && delete_on(disks, name, errp);
}

static void format_size(char *buf, size_t len, uint64_t v)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    double d = v;
    unsigned u = 0;

    while (d >= 1024 && u < G_N_ELEMENTS(units) - 1) {
        d /= 1024;
        u++;
    }
    if (u == 0) {
        g_snprintf(buf, len, "%" PRIu64 " B", v);
    } else {
        g_snprintf(buf, len, "%.3g %s", d, units[u]);
    }
}

void snapshot_list_print(GString *out)
{
    Error *err = NULL;
    g_autofree BlockBackend **disks = snapshot_disks(&err);
    g_autofree BlockSnapshotInfo *list = NULL;
    int n, shown = 0;

    if (!disks) {
        g_string_append_printf(out, "%s\n", error_get_pretty(err));
        error_free(err);
        return;
    }
    n = blk_snapshot_list(disks[0], &list);
    for (int i = 0; i < n; i++) {
        BlockSnapshotInfo *sn = &list[i], other;
        g_autoptr(GDateTime) t = NULL;
        g_autofree char *date = NULL;
        char size[32];
        uint64_t secs = sn->vm_clock_nsec / 1000000000;
        bool everywhere = true;

        for (BlockBackend **d = disks + 1; *d; d++) {
            everywhere &= bdrv_snapshot_find(blk_bs(*d), sn->name, &other);
        }
        if (!everywhere || !strcmp(sn->name, UNDO_NAME)) {
            continue;
        }
        if (!shown++) {
            g_string_append(out, "List of snapshots present on all disks:\n");
            g_string_append_printf(out, "%-10s%-17s%8s%20s%13s%11s\n", "ID",
                                   "TAG", "VM SIZE", "DATE", "VM CLOCK",
                                   "ICOUNT");
        }
        t = g_date_time_new_from_unix_local(sn->date_sec);
        date = t ? g_date_time_format(t, "%Y-%m-%d %H:%M:%S") : g_strdup("?");
        format_size(size, sizeof(size), sn->vm_state_size);
        g_string_append_printf(out, "%-9s %-16s %8s %19s %02" PRIu64 ":%02"
                               PRIu64 ":%02" PRIu64 ".%03" PRIu64 "\n",
                               "--", sn->name, size, date, secs / 3600,
                               secs / 60 % 60, secs % 60,
                               sn->vm_clock_nsec / 1000000 % 1000);
    }
    if (!shown) {
        g_string_append(out, "There is no snapshot available.\n");
    }
}
