/*
 * QMP block commands (qmp-block.c); listed in migration/qmp-migration.c's
 * table, which the monitor searches after its own.
 */
#ifndef BLOCK_QMP_BLOCK_H
#define BLOCK_QMP_BLOCK_H

#include "monitor/qmp-internal.h"
#include "block/block-backend.h"

QMPHandler qmp_query_block, qmp_query_blockstats, qmp_query_named_block_nodes;
QMPHandler qmp_block_resize, qmp_blockdev_add, qmp_blockdev_del;
extern const QMPArg block_resize_args[];
extern const QMPArg block_blockdev_add_args[];
extern const QMPArg block_blockdev_del_args[];

#endif
