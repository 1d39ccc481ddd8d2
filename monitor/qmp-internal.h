/*
 * QMP inside the monitor: the command table (qmp-cmds.c) that the protocol
 * side (qmp.c) checks arguments against and dispatches to.
 */
#ifndef MONITOR_QMP_INTERNAL_H
#define MONITOR_QMP_INTERNAL_H

#include "turtle/osdep.h"
#include <json-glib/json-glib.h>

/* An argument: its type is 's' string, 'i' integer, 'b' boolean,
 * 'a' array, 'o' object, '*' anything. */
typedef struct QMPArg {
    const char *name;
    char type;
    bool optional;
} QMPArg;

/*
 * A command handler returns the "return" value, or NULL with *err_desc
 * set (class GenericError unless it sets *err_class).  The arguments have
 * been checked against the table: every required one is present and of
 * its type, nothing else is there.  args may be NULL when none were sent.
 */
typedef JsonNode *QMPHandler(JsonObject *args, const char **err_class,
                             char **err_desc);

typedef struct QMPCommand {
    const char *name;
    QMPHandler *fn;                 /* NULL: handled by the protocol */
    const QMPArg *args;             /* NULL-terminated, or NULL: none */
    /* the answer's type in query-qmp-schema (qmp-schema.c); NULL: {} */
    const char *ret;
} QMPCommand;

/* Every command, NULL-name terminated. */
extern const QMPCommand qmp_commands[];
const QMPCommand *qmp_find_command(const char *name);
/* Owned by migration: migration/qmp-migration.c (migrate, query-migrate,
 * snapshot-*...) and block/qmp-block.c; searched after qmp_commands. */
extern const QMPCommand qmp_migration_commands[];

/* query-qmp-schema (qmp-schema.c; tests/qtest/qmp-test.c checks that it
 * describes every command and every type it names) */
JsonNode *qmp_query_qmp_schema(JsonObject *args, const char **ec, char **ed);
/* the probe commands (qmp-qom.c) */
JsonNode *qmp_qom_list_types(JsonObject *args, const char **ec, char **ed);
JsonNode *qmp_device_list_properties(JsonObject *args, const char **ec,
                                     char **ed);
JsonNode *qmp_qom_list_properties(JsonObject *args, const char **ec,
                                  char **ed);
JsonNode *qmp_query_cpu_definitions(JsonObject *args, const char **ec,
                                    char **ed);
JsonNode *qmp_query_cpu_model_expansion(JsonObject *args, const char **ec,
                                        char **ed);
JsonNode *qmp_query_gic_capabilities(JsonObject *args, const char **ec,
                                     char **ed);
JsonNode *qmp_query_command_line_options(JsonObject *args, const char **ec,
                                         char **ed);

/* Build a JsonNode from a builder and free the builder. */
JsonNode *qmp_builder_finish(JsonBuilder *b);
JsonNode *qmp_empty_object(void);
/* One QMP message as QEMU writes it, ending with CR LF (json-writer.c).
 * Free with g_free. */
char *qmp_json_line(JsonNode *node, bool pretty);
/* o's member names in the order QEMU would list them (json-writer.c);
 * g_list_free the list, not the names. */
GList *qmp_members_qemu_order(JsonObject *o);
typedef struct CPUState CPUState;
/* The host thread id of a vCPU (what query-cpus-fast and info cpus show). */
int64_t monitor_cpu_thread_id(CPUState *cpu);
/* query-version's answer, also in the greeting. */
JsonNode *qmp_version_node(void);

#endif
