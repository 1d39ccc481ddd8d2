/*
 * HMP snapshot commands: savevm, loadvm, delvm, info snapshots
 * (migration/savevm.c does the work).  Syntax, messages and the table of
 * info snapshots as QEMU's.
 */
#include "turtle/osdep.h"
#include "monitor/hmp-internal.h"
#include "migration/snapshot.h"

static void hmp_report(HMPArgs *a, Error *err)
{
    if (err) {
        mon_printf(a->mon, "Error: %s\n", error_get_pretty(err));
        error_free(err);
    }
}

static void hmp_savevm(HMPArgs *a)
{
    g_autofree char *tag = hmp_arg_word(a);
    Error *err = NULL;

    if (hmp_args_end(a)) {
        save_snapshot(tag, &err);
        hmp_report(a, err);
    }
}

/* A required tag: the HMP parser's "missing argument" message. */
static char *hmp_arg_tag(HMPArgs *a)
{
    char *tag = hmp_arg_word(a);

    if (!tag) {
        hmp_arg_error(a, "%s: missing argument 'tag'", a->help_name);
    }
    return tag;
}

static void hmp_loadvm(HMPArgs *a)
{
    g_autofree char *tag = hmp_arg_tag(a);
    Error *err = NULL;

    if (tag && hmp_args_end(a)) {
        load_snapshot(tag, &err);
        hmp_report(a, err);
    }
}

static void hmp_delvm(HMPArgs *a)
{
    g_autofree char *tag = hmp_arg_tag(a);
    Error *err = NULL;

    if (tag && hmp_args_end(a)) {
        delete_snapshot(tag, &err);
        hmp_report(a, err);
    }
}

static void hmp_info_snapshots(HMPArgs *a)
{
    g_autoptr(GString) out = g_string_new(NULL);

    if (hmp_args_end(a)) {
        snapshot_list_print(out);
        mon_printf(a->mon, "%s", out->str);
    }
}

const HMPCommand hmp_snapshot_commands[] = {
    { "delvm", "tag", "delete the snapshot tag from every disk", hmp_delvm },
    { "loadvm", "tag", "restore the machine and its disks to snapshot tag",
      hmp_loadvm },
    { "savevm", "[tag]", "save the machine and its disks as snapshot tag "
      "(replacing one of that name)", hmp_savevm },
    { NULL },
};

const HMPCommand hmp_snapshot_info_commands[] = {
    { "snapshots", "", "show the snapshots on the disks",
      hmp_info_snapshots },
    { NULL },
};
