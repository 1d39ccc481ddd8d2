/*
 * The JSON QMP's block queries answer with, in QEMU's shapes: a node as
 * BlockDeviceInfo (query-block's "inserted", query-named-block-nodes) with
 * its ImageInfo, and a backend's BlockDeviceStats.
 */
#include "turtle/osdep.h"
#include "block/block-info.h"
#include "block/block_int.h"

static void add_int(JsonBuilder *b, const char *name, int64_t v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, v);
}

static void add_str(JsonBuilder *b, const char *name, const char *v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_string_value(b, v);
}

static void add_bool(JsonBuilder *b, const char *name, bool v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_boolean_value(b, v);
}

/* ImageInfo, with the backing chain as nested backing-image */
static void image_info(JsonBuilder *b, BlockDriverState *bs)
{
    int64_t len = bdrv_getlength(bs);
    int64_t actual = bdrv_get_allocated_file_size(bs);

    json_builder_begin_object(b);
    add_str(b, "filename", bs->filename ? bs->filename : "");
    add_str(b, "format", bdrv_get_format_name(bs));
    add_int(b, "virtual-size", MAX(len, 0));
    if (actual >= 0) {
        add_int(b, "actual-size", actual);
    }
    add_bool(b, "dirty-flag", false);
    if (bs->backing_file) {
        add_str(b, "backing-filename", bs->backing_file);
        if (bs->backing) {
            add_str(b, "full-backing-filename", bs->backing->filename);
            if (bs->backing_format) {
                add_str(b, "backing-filename-format", bs->backing_format);
            }
            json_builder_set_member_name(b, "backing-image");
            image_info(b, bs->backing);
        }
    }
    json_builder_end_object(b);
}

void block_node_info(JsonBuilder *b, BlockDriverState *bs, bool writeback)
{
    static const char *const limits[] = {
        "bps", "bps_rd", "bps_wr", "iops", "iops_rd", "iops_wr",
    };
    int depth = 0;

    for (BlockDriverState *p = bs->backing; p; p = p->backing) {
        depth++;
    }
    json_builder_begin_object(b);
    add_str(b, "file", bs->filename ? bs->filename : "");
    if (bs->node_name) {
        add_str(b, "node-name", bs->node_name);
    }
    add_bool(b, "ro", bs->read_only);
    add_str(b, "drv", bdrv_get_format_name(bs));
    if (bs->backing_file) {
        add_str(b, "backing_file", bs->backing_file);
    }
    add_int(b, "backing_file_depth", depth);
    add_bool(b, "encrypted", false);
    add_str(b, "detect_zeroes", "off");
    for (size_t i = 0; i < G_N_ELEMENTS(limits); i++) {
        add_int(b, limits[i], 0);
    }
    json_builder_set_member_name(b, "cache");
    json_builder_begin_object(b);
    add_bool(b, "writeback", writeback);
    add_bool(b, "direct", bs->open_flags & BDRV_O_NOCACHE);
    add_bool(b, "no-flush", bs->open_flags & BDRV_O_NO_FLUSH);
    json_builder_end_object(b);
    add_int(b, "write_threshold", 0);
    json_builder_set_member_name(b, "image");
    image_info(b, bs);
    json_builder_end_object(b);
}

void block_stats_info(JsonBuilder *b, const BlockAcctStats *st)
{
    int64_t now = g_get_monotonic_time() * 1000;

    json_builder_begin_object(b);
    add_int(b, "rd_bytes", st->rd_bytes);
    add_int(b, "wr_bytes", st->wr_bytes);
    add_int(b, "unmap_bytes", st->unmap_bytes);
    add_int(b, "rd_operations", st->rd_operations);
    add_int(b, "wr_operations", st->wr_operations);
    add_int(b, "flush_operations", st->flush_operations);
    add_int(b, "unmap_operations", st->unmap_operations);
    add_int(b, "rd_total_time_ns", st->rd_total_time_ns);
    add_int(b, "wr_total_time_ns", st->wr_total_time_ns);
    add_int(b, "flush_total_time_ns", st->flush_total_time_ns);
    add_int(b, "unmap_total_time_ns", 0);
    add_int(b, "wr_highest_offset", 0);
    add_int(b, "rd_merged", 0);
    add_int(b, "wr_merged", 0);
    add_int(b, "unmap_merged", 0);
    if (st->last_ns) {
        add_int(b, "idle_time_ns", now - st->last_ns);
    }
    add_int(b, "failed_rd_operations", st->failed_rd_operations);
    add_int(b, "failed_wr_operations", st->failed_wr_operations);
    add_int(b, "failed_flush_operations", st->failed_flush_operations);
    add_int(b, "failed_unmap_operations", st->failed_unmap_operations);
    add_int(b, "invalid_rd_operations", 0);
    add_int(b, "invalid_wr_operations", 0);
    add_int(b, "invalid_flush_operations", 0);
    add_int(b, "invalid_unmap_operations", 0);
    add_bool(b, "account_invalid", false);
    add_bool(b, "account_failed", true);
    json_builder_set_member_name(b, "timed_stats");
    json_builder_begin_array(b);
    json_builder_end_array(b);
    json_builder_end_object(b);
}
