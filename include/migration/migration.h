/*
 * Live migration (migration/migration.c): pre-copy of RAM while the guest
 * runs, then a short stop for the last dirty pages and the devices.
 * The QMP commands (migration/qmp-migration.c) and -incoming use this.
 * Everything here is called with the BQL held, from the main loop.
 */
#ifndef MIGRATION_MIGRATION_H
#define MIGRATION_MIGRATION_H

#include "turtle/osdep.h"
#include "turtle/error.h"

typedef enum MigrationCapability {
    MIGRATION_CAP_EVENTS,          /* MIGRATION events on status changes */
    MIGRATION_CAP_AUTO_CONVERGE,   /* throttle vCPUs that dirty too fast */
    MIGRATION_CAP__MAX,
} MigrationCapability;

extern const char *const migration_capability_names[MIGRATION_CAP__MAX];

typedef struct MigrationParameters {
    int64_t max_bandwidth;         /* bytes per second */
    int64_t downtime_limit;        /* ms */
    int64_t cpu_throttle_initial;  /* percent */
    int64_t cpu_throttle_increment;
} MigrationParameters;

typedef struct MigrationInfo {
    const char *status;            /* "none", "setup", "active", ... */
    bool has_stats;
    int64_t total_time;            /* ms, so far while active */
    int64_t downtime;              /* ms, once completed */
    int64_t expected_downtime;     /* ms, while active */
    int64_t setup_time;            /* ms */
    uint64_t transferred, remaining, total;
    uint64_t duplicate, normal, normal_bytes;
    uint64_t dirty_pages_rate, dirty_sync_count;
    double mbps;
    int64_t throttle_pct;          /* auto-converge's, 0 if none */
    char error_desc[256];          /* when failed */
} MigrationInfo;

/* Source: start migrating to uri (tcp:, unix:, exec:, file:). */
bool migration_start(const char *uri, Error **errp);
void migration_cancel(void);
void migration_get_info(MigrationInfo *info);

/* Destination: -incoming URI|defer.  autostart: run the guest once the
 * state is in (false with -S).  "defer" waits for migrate-incoming. */
bool migration_incoming(const char *uri, bool autostart, Error **errp);
/* migrate-incoming: only after -incoming defer. */
bool migration_incoming_defer_start(const char *uri, Error **errp);

MigrationParameters *migration_parameters(void);
bool migration_set_parameters(const MigrationParameters *p, Error **errp);
bool migration_capability(MigrationCapability cap);
bool migration_set_capability(MigrationCapability cap, bool on,
                              Error **errp);

#endif
