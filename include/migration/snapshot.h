/*
 * savevm / loadvm / delvm: the whole machine in the qcow2 internal
 * snapshots of the writable disks (migration/savevm.c).
 *
 * Every writable disk gets a snapshot of the same name (a writable disk
 * that cannot hold one, e.g. raw, is an error); the machine state goes
 * into the first of them.  Called with the BQL held, from the main loop.
 */
#ifndef MIGRATION_SNAPSHOT_H
#define MIGRATION_SNAPSHOT_H

#include "turtle/osdep.h"
#include "turtle/error.h"

/* name NULL: "vm-YYYYMMDDHHMMSS".  An existing snapshot of that name is
 * replaced, as in QEMU. */
bool save_snapshot(const char *name, Error **errp);
/* The guest, its clock and its disks back to the snapshot.  A snapshot
 * whose state is truncated, corrupt or from another machine is refused
 * before anything changes. */
bool load_snapshot(const char *name, Error **errp);
bool delete_snapshot(const char *name, Error **errp);
/* QMP snapshot-save/-load/-delete: only the disks named in devices
 * (device ids or node names, NULL-terminated), the state on vmstate. */
bool save_snapshot_on(const char *name, const char *vmstate, char **devices,
                      Error **errp);
bool load_snapshot_on(const char *name, const char *vmstate, char **devices,
                      Error **errp);
bool delete_snapshot_on(const char *name, char **devices, Error **errp);
/* The "info snapshots" table (snapshots present on every writable disk). */
void snapshot_list_print(GString *out);

#endif
