/*
 * Monitors: the human monitor (HMP) and QMP, each on a character device.
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include "turtle/osdep.h"
#include "turtle/error.h"
#include "turtle/option.h"

typedef struct Chardev Chardev;
typedef struct Opts Opts;

/* Each is one client connection, independent of every other monitor. */
bool monitor_init_hmp(Chardev *chr, Error **errp);
/* pretty: answers and events indented over several lines */
bool monitor_init_qmp(Chardev *chr, bool pretty, Error **errp);
/* -mon [chardev=]ID[,mode=readline|control][,pretty=on|off] */
bool monitor_new_from_opts(Opts *opts, Error **errp);
/* Run one human-monitor command line on CPU cpu_index and return what
 * it printed (QMP's human-monitor-command).  Free with g_free. */
char *hmp_run_command(const char *line, int cpu_index);

/* QMP events devices send (no-ops without a QMP monitor). */
/* The guest set its real-time clock: offset = guest time - host time, in
 * seconds (rate-limited to one per second, as QEMU). */
void qmp_event_rtc_change(int64_t offset);
/* A migration changed status ("setup", "active", "completed"...). */
void qmp_event_migration(const char *status);
/* A job (snapshot-save...) changed status. */
void qmp_event_job_status_change(const char *id, const char *status);

/* query-command-line-options lists the command line's key=value options
 * through this iterator (the option table lives with main()). */
typedef void MonitorOptionFn(const char *option, const OptDesc *keys,
                             void *opaque);
void monitor_set_option_lister(void (*foreach)(MonitorOptionFn *fn,
                                               void *opaque));

#endif
