/*
 * QMP block commands: query-block, query-blockstats,
 * query-named-block-nodes, block_resize, blockdev-add, blockdev-del.
 * Arguments, answers and error texts as QEMU's; listed in
 * migration/qmp-migration.c's table (the monitor's second list).
 */
#include "turtle/osdep.h"
#include "block/qmp-block.h"
#include "block/block-info.h"
#include "block/block_int.h"
#include "hw/core/qdev.h"

/* Nodes blockdev-add made: only those may blockdev-del remove. */
static GHashTable *monitor_nodes;

JsonNode *qmp_query_block(JsonObject *args, const char **ec,
                                 char **ed)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_array(b);
    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        DeviceState *dev = blk_get_attached_dev(blk);

        if (!blk_name(blk)) {
            continue;
        }
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "device");
        json_builder_add_string_value(b, blk_name(blk));
        if (dev) {
            json_builder_set_member_name(b, "qdev");
            json_builder_add_string_value(b, qdev_name(dev));
        }
        json_builder_set_member_name(b, "locked");
        json_builder_add_boolean_value(b, false);
        json_builder_set_member_name(b, "removable");
        json_builder_add_boolean_value(b, false);
        if (blk_bs(blk)) {
            json_builder_set_member_name(b, "inserted");
            block_node_info(b, blk_bs(blk), blk_enable_write_cache(blk));
        }
        json_builder_set_member_name(b, "type");
        json_builder_add_string_value(b, "unknown");
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

JsonNode *qmp_query_blockstats(JsonObject *args, const char **ec,
                                      char **ed)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_array(b);
    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        BlockDriverState *bs = blk_bs(blk);

        if (!blk_name(blk)) {
            continue;
        }
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "device");
        json_builder_add_string_value(b, blk_name(blk));
        if (bs && bs->node_name) {
            json_builder_set_member_name(b, "node-name");
            json_builder_add_string_value(b, bs->node_name);
        }
        json_builder_set_member_name(b, "stats");
        block_stats_info(b, blk_get_stats(blk));
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

JsonNode *qmp_query_named_block_nodes(JsonObject *args,
                                             const char **ec, char **ed)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_array(b);
    for (BlockDriverState *bs = bdrv_next_node(NULL); bs;
         bs = bdrv_next_node(bs)) {
        BlockBackend *blk;

        if (!bs->node_name) {
            continue;
        }
        blk = blk_by_bs(bs);
        block_node_info(b, bs, blk ? blk_enable_write_cache(blk) : true);
    }
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

/* device (a backend) or node-name, exactly one */
static BlockBackend *find_backend(JsonObject *args, char **ed)
{
    bool has_dev = json_object_has_member(args, "device");
    bool has_node = json_object_has_member(args, "node-name");
    const char *name;
    BlockBackend *blk;

    if (has_dev == has_node) {
        *ed = g_strdup("Need exactly one of 'device' and 'node-name'");
        return NULL;
    }
    name = json_object_get_string_member(args, has_dev ? "device"
                                                       : "node-name");
    blk = has_dev ? blk_by_name(name) : NULL;
    if (has_node) {
        BlockDriverState *bs = bdrv_find_node(name);
        blk = bs ? (blk_by_bs(bs) ? blk_by_bs(bs) : blk_by_name(name)) : NULL;
    }
    if (!blk || !blk_bs(blk)) {
        *ed = g_strdup_printf(has_dev ? "Device '%s' not found"
                                      : "Cannot find node '%s'", name);
        return NULL;
    }
    return blk;
}

JsonNode *qmp_block_resize(JsonObject *args, const char **ec,
                                  char **ed)
{
    BlockBackend *blk = find_backend(args, ed);
    int64_t size = json_object_get_int_member(args, "size");
    Error *err = NULL;

    if (!blk) {
        return NULL;
    }
    if (size < 0) {
        *ed = g_strdup_printf("Parameter 'size' expects a >0 size");
        return NULL;
    }
    if (blk_is_read_only(blk)) {
        *ed = g_strdup_printf("Device '%s' is read only", blk_name(blk));
        return NULL;
    }
    if (!blk_truncate(blk, size, &err)) {
        *ed = g_strdup(error_get_pretty(err));
        error_free(err);
        return NULL;
    }
    return qmp_empty_object();
}

/* {"driver": "qcow2", "file": {"driver": "file", "filename": "x"}} ->
 * "driver=qcow2,file.driver=file,file.filename=x" (commas doubled) */
static bool flatten(JsonObject *o, const char *prefix, GString *out,
                    char **ed)
{
    g_autoptr(GList) members = json_object_get_members(o);

    for (GList *l = members; l; l = l->next) {
        const char *k = l->data;
        JsonNode *n = json_object_get_member(o, k);
        g_autofree char *key = g_strdup_printf("%s%s", prefix, k);
        g_autofree char *val = NULL;

        if (JSON_NODE_HOLDS_OBJECT(n)) {
            g_autofree char *sub = g_strdup_printf("%s.", key);
            if (!flatten(json_node_get_object(n), sub, out, ed)) {
                return false;
            }
            continue;
        }
        if (!JSON_NODE_HOLDS_VALUE(n)) {
            *ed = g_strdup_printf("Invalid parameter type for '%s'", key);
            return false;
        }
        switch (json_node_get_value_type(n)) {
        case G_TYPE_STRING: {
            g_auto(GStrv) parts = g_strsplit(json_node_get_string(n), ",",
                                             -1);
            val = g_strjoinv(",,", parts);
            break;
        }
        case G_TYPE_BOOLEAN:
            val = g_strdup(json_node_get_boolean(n) ? "on" : "off");
            break;
        case G_TYPE_INT64:
            val = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(n));
            break;
        default:
            *ed = g_strdup_printf("Invalid parameter type for '%s'", key);
            return false;
        }
        if (strchr(key, ',') || strchr(key, '=')) {
            *ed = g_strdup_printf("Invalid parameter '%s'", key);
            return false;
        }
        g_string_append_printf(out, "%s%s=%s", out->len ? "," : "", key, val);
    }
    return true;
}

JsonNode *qmp_blockdev_add(JsonObject *args, const char **ec,
                                  char **ed)
{
    g_autoptr(GString) opts = g_string_new(NULL);
    Error *err = NULL;

    if (!json_object_has_member(args, "node-name")) {
        *ed = g_strdup("'node-name' must be specified for the root node");
        return NULL;
    }
    if (!flatten(args, "", opts, ed)) {
        return NULL;
    }
    if (!blockdev_new(opts->str, &err)) {
        const char *msg = error_get_pretty(err);

        /* the command-line option's prefix means nothing here */
        *ed = g_strdup(g_str_has_prefix(msg, "-blockdev: ") ? msg + 11 : msg);
        error_free(err);
        return NULL;
    }
    if (!monitor_nodes) {
        monitor_nodes = g_hash_table_new_full(g_str_hash, g_str_equal,
                                              g_free, NULL);
    }
    g_hash_table_add(monitor_nodes,
                     g_strdup(json_object_get_string_member(args,
                                                            "node-name")));
    return qmp_empty_object();
}

JsonNode *qmp_blockdev_del(JsonObject *args, const char **ec,
                                  char **ed)
{
    const char *name = json_object_get_string_member(args, "node-name");
    BlockDriverState *bs = bdrv_find_node(name);
    BlockBackend *blk;

    if (!bs) {
        *ed = g_strdup_printf("Failed to find node with node-name='%s'", name);
        return NULL;
    }
    if (!monitor_nodes || !g_hash_table_contains(monitor_nodes, name)) {
        *ed = g_strdup_printf("Node %s is not owned by the monitor", name);
        return NULL;
    }
    for (BlockDriverState *p = bdrv_next_node(NULL); p;
         p = bdrv_next_node(p)) {
        if (p->file == bs || p->backing == bs) {
            *ed = g_strdup_printf("Node '%s' is busy: it is a child of '%s'",
                                  name, p->node_name ? p->node_name
                                                     : p->filename);
            return NULL;
        }
    }
    blk = blk_by_bs(bs);
    if (blk && blk_get_attached_dev(blk)) {
        *ed = g_strdup_printf("Node '%s' is busy: block device is in use "
                              "by device '%s'", name,
                              qdev_name(blk_get_attached_dev(blk)));
        return NULL;
    }
    g_hash_table_remove(monitor_nodes, name);
    if (blk) {
        blk_unref(blk);         /* the backend a lookup by name made */
    }
    bdrv_unref(bs);             /* blockdev_new's reference */
    return qmp_empty_object();
}

const QMPArg block_resize_args[] = {
    { "device", 's', true },
    { "node-name", 's', true },
    { "size", 'i', false },
    { NULL },
};

const QMPArg block_blockdev_add_args[] = {
    { "driver", 's', false },
    { "node-name", 's', true },
    { "file", '*', true },
    { "backing", '*', true },
    { "filename", 's', true },
    { "read-only", 'b', true },
    { "cache", 'o', true },
    { "aio", 's', true },
    { "locking", 's', true },
    { "discard", 's', true },
    { NULL },
};

const QMPArg block_blockdev_del_args[] = {
    { "node-name", 's', false },
    { NULL },
};
