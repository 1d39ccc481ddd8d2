/*
 * QMP commands of live migration: migrate, migrate_cancel,
 * migrate-incoming, query-migrate, migrate-set-parameters,
 * query-migrate-parameters, migrate-set-capabilities,
 * query-migrate-capabilities, the snapshot jobs (snapshot-job.c) and the
 * block commands (block/qmp-block.c).
 * Names, arguments and answers as QEMU's.
 * The table is searched by the monitor after its own (qmp-internal.h).
 */
#include "turtle/osdep.h"
#include "monitor/qmp-internal.h"
#include "migration/migration.h"
#include "migration/snapshot-job.h"
#include "block/qmp-block.h"

static JsonNode *error_out(Error *err, char **ed)
{
    *ed = g_strdup(error_get_pretty(err));
    error_free(err);
    return NULL;
}

static JsonNode *qmp_migrate(JsonObject *args, const char **ec, char **ed)
{
    Error *err = NULL;

    if ((json_object_has_member(args, "blk") &&
         json_object_get_boolean_member(args, "blk")) ||
        (json_object_has_member(args, "inc") &&
         json_object_get_boolean_member(args, "inc"))) {
        *ed = g_strdup("Block migration (blk, inc) is not supported: use a "
                       "shared image");
        return NULL;
    }
    if (!migration_start(json_object_get_string_member(args, "uri"), &err)) {
        return error_out(err, ed);
    }
    return qmp_empty_object();
}

static JsonNode *qmp_migrate_cancel(JsonObject *args, const char **ec,
                                    char **ed)
{
    migration_cancel();
    return qmp_empty_object();
}

static JsonNode *qmp_migrate_incoming(JsonObject *args, const char **ec,
                                      char **ed)
{
    Error *err = NULL;

    if (!migration_incoming_defer_start(
            json_object_get_string_member(args, "uri"), &err)) {
        return error_out(err, ed);
    }
    return qmp_empty_object();
}

static void add_int(JsonBuilder *b, const char *name, int64_t v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, v);
}

static JsonNode *qmp_query_migrate(JsonObject *args, const char **ec,
                                   char **ed)
{
    JsonBuilder *b = json_builder_new();
    MigrationInfo i;

    migration_get_info(&i);
    json_builder_begin_object(b);
    if (strcmp(i.status, "none")) {
        json_builder_set_member_name(b, "status");
        json_builder_add_string_value(b, i.status);
    }
    if (i.has_stats) {
        bool active = !strcmp(i.status, "active") ||
                      !strcmp(i.status, "setup");
        add_int(b, "total-time", i.total_time);
        add_int(b, "setup-time", i.setup_time);
        if (active) {
            add_int(b, "expected-downtime", i.expected_downtime);
        } else {
            add_int(b, "downtime", i.downtime);
        }
        json_builder_set_member_name(b, "ram");
        json_builder_begin_object(b);
        add_int(b, "transferred", i.transferred);
        add_int(b, "remaining", i.remaining);
        add_int(b, "total", i.total);
        add_int(b, "duplicate", i.duplicate);
        add_int(b, "skipped", 0);
        add_int(b, "normal", i.normal);
        add_int(b, "normal-bytes", i.normal_bytes);
        add_int(b, "dirty-pages-rate", i.dirty_pages_rate);
        json_builder_set_member_name(b, "mbps");
        json_builder_add_double_value(b, i.mbps);
        add_int(b, "dirty-sync-count", i.dirty_sync_count);
        add_int(b, "page-size", 4096);
        json_builder_end_object(b);
        if (i.throttle_pct) {
            add_int(b, "cpu-throttle-percentage", i.throttle_pct);
        }
    }
    if (i.error_desc[0]) {
        json_builder_set_member_name(b, "error-desc");
        json_builder_add_string_value(b, i.error_desc);
    }
    json_builder_end_object(b);
    return qmp_builder_finish(b);
}

static JsonNode *qmp_migrate_set_parameters(JsonObject *args,
                                            const char **ec, char **ed)
{
    MigrationParameters p = *migration_parameters();
    Error *err = NULL;

    if (args && json_object_has_member(args, "max-bandwidth")) {
        p.max_bandwidth = json_object_get_int_member(args, "max-bandwidth");
    }
    if (args && json_object_has_member(args, "downtime-limit")) {
        p.downtime_limit = json_object_get_int_member(args, "downtime-limit");
    }
    if (args && json_object_has_member(args, "cpu-throttle-initial")) {
        p.cpu_throttle_initial =
            json_object_get_int_member(args, "cpu-throttle-initial");
    }
    if (args && json_object_has_member(args, "cpu-throttle-increment")) {
        p.cpu_throttle_increment =
            json_object_get_int_member(args, "cpu-throttle-increment");
    }
    if (!migration_set_parameters(&p, &err)) {
        return error_out(err, ed);
    }
    return qmp_empty_object();
}

static JsonNode *qmp_query_migrate_parameters(JsonObject *args,
                                              const char **ec, char **ed)
{
    JsonBuilder *b = json_builder_new();
    MigrationParameters *p = migration_parameters();

    json_builder_begin_object(b);
    add_int(b, "max-bandwidth", p->max_bandwidth);
    add_int(b, "downtime-limit", p->downtime_limit);
    add_int(b, "cpu-throttle-initial", p->cpu_throttle_initial);
    add_int(b, "cpu-throttle-increment", p->cpu_throttle_increment);
    json_builder_end_object(b);
    return qmp_builder_finish(b);
}

static JsonNode *qmp_migrate_set_capabilities(JsonObject *args,
                                              const char **ec, char **ed)
{
    JsonArray *a = json_object_get_array_member(args, "capabilities");
    bool want[MIGRATION_CAP__MAX];
    Error *err = NULL;

    for (int c = 0; c < MIGRATION_CAP__MAX; c++) {
        want[c] = migration_capability(c);
    }
    /* all checked before any is set */
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonNode *n = json_array_get_element(a, i);
        JsonObject *o = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n)
                                                  : NULL;
        JsonNode *cap = o ? json_object_get_member(o, "capability") : NULL;
        JsonNode *state = o ? json_object_get_member(o, "state") : NULL;
        const char *name;
        int c;

        if (!cap || !state || json_node_get_value_type(cap) != G_TYPE_STRING ||
            json_node_get_value_type(state) != G_TYPE_BOOLEAN ||
            json_object_get_size(o) != 2) {
            *ed = g_strdup("Invalid parameter type for 'capabilities', "
                           "expected: [{capability: str, state: bool}]");
            return NULL;
        }
        name = json_node_get_string(cap);
        for (c = 0; c < MIGRATION_CAP__MAX; c++) {
            if (!strcmp(name, migration_capability_names[c])) {
                break;
            }
        }
        if (c == MIGRATION_CAP__MAX) {
            *ed = g_strdup_printf("Parameter 'capability' does not accept "
                                  "value '%s'", name);
            return NULL;
        }
        want[c] = json_node_get_boolean(state);
    }
    for (int c = 0; c < MIGRATION_CAP__MAX; c++) {
        if (!migration_set_capability(c, want[c], &err)) {
            return error_out(err, ed);
        }
    }
    return qmp_empty_object();
}

static JsonNode *qmp_query_migrate_capabilities(JsonObject *args,
                                                const char **ec, char **ed)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_array(b);
    for (int c = 0; c < MIGRATION_CAP__MAX; c++) {
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "capability");
        json_builder_add_string_value(b, migration_capability_names[c]);
        json_builder_set_member_name(b, "state");
        json_builder_add_boolean_value(b, migration_capability(c));
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

static const QMPArg migrate_args[] = {
    { "uri", 's', false },
    { "blk", 'b', true },
    { "inc", 'b', true },
    { "detach", 'b', true },
    { NULL },
};

static const QMPArg uri_args[] = {
    { "uri", 's', false },
    { NULL },
};

static const QMPArg set_parameters_args[] = {
    { "max-bandwidth", 'i', true },
    { "downtime-limit", 'i', true },
    { "cpu-throttle-initial", 'i', true },
    { "cpu-throttle-increment", 'i', true },
    { NULL },
};

static const QMPArg set_capabilities_args[] = {
    { "capabilities", 'a', false },
    { NULL },
};

const QMPCommand qmp_migration_commands[] = {
    { "migrate", qmp_migrate, migrate_args },
    { "migrate_cancel", qmp_migrate_cancel },
    { "migrate-incoming", qmp_migrate_incoming, uri_args },
    { "query-migrate", qmp_query_migrate, .ret = "any" },
    { "migrate-set-parameters", qmp_migrate_set_parameters,
      set_parameters_args },
    { "query-migrate-parameters", qmp_query_migrate_parameters,
      .ret = "any" },
    { "migrate-set-capabilities", qmp_migrate_set_capabilities,
      set_capabilities_args },
    { "query-migrate-capabilities", qmp_query_migrate_capabilities,
      .ret = "[MigrationCapabilityStatus]" },
    { "snapshot-save", qmp_snapshot_save, snapshot_save_load_args },
    { "snapshot-load", qmp_snapshot_load, snapshot_save_load_args },
    { "snapshot-delete", qmp_snapshot_delete, snapshot_delete_args },
    { "query-jobs", qmp_query_jobs, .ret = "any" },
    { "job-dismiss", qmp_job_dismiss, job_dismiss_args },
    /* block/qmp-block.c */
    { "query-block", qmp_query_block },
    { "query-blockstats", qmp_query_blockstats },
    { "query-named-block-nodes", qmp_query_named_block_nodes },
    { "block_resize", qmp_block_resize, block_resize_args },
    { "blockdev-add", qmp_blockdev_add, block_blockdev_add_args },
    { "blockdev-del", qmp_blockdev_del, block_blockdev_del_args },
    { NULL },
};
