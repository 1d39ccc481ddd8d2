/*
 * QMP JSON of block nodes and backends (block-info.c), for qmp-block.c.
 */
#ifndef BLOCK_BLOCK_INFO_H
#define BLOCK_BLOCK_INFO_H

#include "block/block-backend.h"
#include <json-glib/json-glib.h>

/* BlockDeviceInfo of bs (writeback: the guest-visible write cache). */
void block_node_info(JsonBuilder *b, BlockDriverState *bs, bool writeback);
/* BlockDeviceStats */
void block_stats_info(JsonBuilder *b, const BlockAcctStats *st);

#endif
