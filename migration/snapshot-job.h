/*
 * QMP snapshot jobs (snapshot-job.c); listed in qmp-migration.c's table.
 */
#ifndef MIGRATION_SNAPSHOT_JOB_H
#define MIGRATION_SNAPSHOT_JOB_H

#include "monitor/qmp-internal.h"

QMPHandler qmp_snapshot_save, qmp_snapshot_load, qmp_snapshot_delete;
QMPHandler qmp_query_jobs, qmp_job_dismiss;
extern const QMPArg snapshot_save_load_args[];
extern const QMPArg snapshot_delete_args[];
extern const QMPArg job_dismiss_args[];

#endif
