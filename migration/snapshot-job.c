/*
 * QMP snapshot-save, snapshot-load, snapshot-delete as jobs (QEMU's
 * interface): the command answers at once, the job runs from the main
 * loop, reports JOB_STATUS_CHANGE (created, running, waiting, pending,
 * concluded; aborting on failure) and stays in query-jobs, with its error,
 * until job-dismiss.
 */
#include "turtle/osdep.h"
#include "monitor/monitor.h"
#include "monitor/qmp-internal.h"
#include "migration/snapshot.h"
#include "migration/snapshot-job.h"
#include "sysemu/main-loop.h"

typedef enum JobKind { JOB_SAVE, JOB_LOAD, JOB_DELETE } JobKind;

static const char *const kind_names[] = {
    [JOB_SAVE] = "snapshot-save", [JOB_LOAD] = "snapshot-load",
    [JOB_DELETE] = "snapshot-delete",
};

typedef struct SnapshotJob {
    char *id;
    JobKind kind;
    const char *status;
    char *tag, *vmstate;
    char **devices;
    char *error;
    bool done;
    QEMUBH *bh;
} SnapshotJob;

static GList *jobs;

static SnapshotJob *job_find(const char *id)
{
    for (GList *l = jobs; l; l = l->next) {
        SnapshotJob *j = l->data;
        if (!strcmp(j->id, id)) {
            return j;
        }
    }
    return NULL;
}

static void job_set_status(SnapshotJob *j, const char *status)
{
    j->status = status;
    qmp_event_job_status_change(j->id, status);
}

static void job_run(void *opaque)
{
    SnapshotJob *j = opaque;
    Error *err = NULL;
    bool ok = false;

    job_set_status(j, "running");
    switch (j->kind) {
    case JOB_SAVE:
        ok = save_snapshot_on(j->tag, j->vmstate, j->devices, &err);
        break;
    case JOB_LOAD:
        ok = load_snapshot_on(j->tag, j->vmstate, j->devices, &err);
        break;
    case JOB_DELETE:
        ok = delete_snapshot_on(j->tag, j->devices, &err);
        break;
    }
    j->done = true;
    if (ok) {
        job_set_status(j, "waiting");
        job_set_status(j, "pending");
    } else {
        j->error = g_strdup(error_get_pretty(err));
        error_free(err);
        job_set_status(j, "aborting");
    }
    job_set_status(j, "concluded");
}

static void job_free(SnapshotJob *j)
{
    if (j->bh) {
        qemu_bh_delete(j->bh);
    }
    g_free(j->id);
    g_free(j->tag);
    g_free(j->vmstate);
    g_strfreev(j->devices);
    g_free(j->error);
    g_free(j);
}

static char **string_list(JsonArray *a, char **ed)
{
    GPtrArray *p = g_ptr_array_new();

    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonNode *n = json_array_get_element(a, i);
        if (!JSON_NODE_HOLDS_VALUE(n) ||
            json_node_get_value_type(n) != G_TYPE_STRING) {
            *ed = g_strdup("Invalid parameter type for 'devices', expected: "
                           "array of strings");
            g_ptr_array_free(p, true);
            return NULL;
        }
        g_ptr_array_add(p, g_strdup(json_node_get_string(n)));
    }
    g_ptr_array_add(p, NULL);
    return (char **)g_ptr_array_free(p, false);
}

static JsonNode *job_start(JsonObject *args, JobKind kind, char **ed)
{
    const char *id = json_object_get_string_member(args, "job-id");
    SnapshotJob *j;
    char **devices;

    if (job_find(id)) {
        *ed = g_strdup_printf("Job ID '%s' already in use", id);
        return NULL;
    }
    devices = string_list(json_object_get_array_member(args, "devices"), ed);
    if (!devices) {
        return NULL;
    }
    j = g_new0(SnapshotJob, 1);
    j->id = g_strdup(id);
    j->kind = kind;
    j->tag = g_strdup(json_object_get_string_member(args, "tag"));
    if (json_object_has_member(args, "vmstate")) {
        j->vmstate = g_strdup(json_object_get_string_member(args, "vmstate"));
    }
    j->devices = devices;
    jobs = g_list_append(jobs, j);
    job_set_status(j, "created");
    j->bh = qemu_bh_new(job_run, j);
    qemu_bh_schedule(j->bh);
    return qmp_empty_object();
}

JsonNode *qmp_snapshot_save(JsonObject *args, const char **ec,
                                   char **ed)
{
    return job_start(args, JOB_SAVE, ed);
}

JsonNode *qmp_snapshot_load(JsonObject *args, const char **ec,
                                   char **ed)
{
    return job_start(args, JOB_LOAD, ed);
}

JsonNode *qmp_snapshot_delete(JsonObject *args, const char **ec,
                                     char **ed)
{
    return job_start(args, JOB_DELETE, ed);
}

JsonNode *qmp_query_jobs(JsonObject *args, const char **ec, char **ed)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_array(b);
    for (GList *l = jobs; l; l = l->next) {
        SnapshotJob *j = l->data;

        json_builder_begin_object(b);
        json_builder_set_member_name(b, "current-progress");
        json_builder_add_int_value(b, j->done);
        json_builder_set_member_name(b, "status");
        json_builder_add_string_value(b, j->status);
        json_builder_set_member_name(b, "total-progress");
        json_builder_add_int_value(b, 1);
        json_builder_set_member_name(b, "type");
        json_builder_add_string_value(b, kind_names[j->kind]);
        json_builder_set_member_name(b, "id");
        json_builder_add_string_value(b, j->id);
        if (j->error) {
            json_builder_set_member_name(b, "error");
            json_builder_add_string_value(b, j->error);
        }
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

JsonNode *qmp_job_dismiss(JsonObject *args, const char **ec,
                                 char **ed)
{
    const char *id = json_object_get_string_member(args, "id");
    SnapshotJob *j = job_find(id);

    if (!j) {
        *ec = "GenericError";
        *ed = g_strdup_printf("Job not found");
        return NULL;
    }
    if (strcmp(j->status, "concluded")) {
        *ed = g_strdup_printf("Job '%s' in state '%s' cannot accept command "
                              "verb 'dismiss'", id, j->status);
        return NULL;
    }
    job_set_status(j, "null");
    jobs = g_list_remove(jobs, j);
    job_free(j);
    return qmp_empty_object();
}

const QMPArg snapshot_save_load_args[] = {
    { "job-id", 's', false },
    { "tag", 's', false },
    { "vmstate", 's', false },
    { "devices", 'a', false },
    { NULL },
};

const QMPArg snapshot_delete_args[] = {
    { "job-id", 's', false },
    { "tag", 's', false },
    { "devices", 'a', false },
    { NULL },
};

const QMPArg job_dismiss_args[] = {
    { "id", 's', false },
    { NULL },
};
