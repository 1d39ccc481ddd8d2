/*
 * query-qmp-schema: QEMU's introspection format (a list of SchemaInfo
 * objects: commands, events, object, array and builtin types), built from
 * the command tables that dispatch requests (qmp-cmds.c, migration's): each command's
 * arguments from its QMPArg list, its answer from its ret type below.  A
 * client such as libvirt asks this schema whether a command, argument or
 * reply member exists; what turtle lacks is simply not there.
 *
 * Type names are spelled out ("StatusInfo", "q_obj_stop-arg") where QEMU
 * masks them as numbers; clients never depend on the names, only on the
 * structure (both are allowed by the format).
 */
#include "turtle/osdep.h"
#include "monitor/qmp-internal.h"

/* A member of an object type: optional ones are "*name". */
typedef struct SchemaMember {
    const char *name;
    const char *type;
} SchemaMember;

typedef struct SchemaType {
    const char *name;
    const SchemaMember *members;    /* object; NULL for an array */
    const char *element;            /* array: the element type */
} SchemaType;

#define OBJ(n, ...) { n, (const SchemaMember[]){ __VA_ARGS__, { NULL } } }
#define EMPTY(n) { n, (const SchemaMember[]){ { NULL } } }
#define ARRAY(n, e) { n, NULL, e }

/* The answers and event data turtle produces (members as in QEMU 7.2). */
static const SchemaType schema_types[] = {
    EMPTY("q_empty"),
    OBJ("VersionTriple", { "major", "int" }, { "minor", "int" },
        { "micro", "int" }),
    OBJ("VersionInfo", { "qemu", "VersionTriple" }, { "package", "str" }),
    OBJ("StatusInfo", { "running", "bool" }, { "singlestep", "bool" },
        { "status", "str" }),
    OBJ("NameInfo", { "*name", "str" }),
    OBJ("TargetInfo", { "arch", "str" }),
    OBJ("KvmInfo", { "enabled", "bool" }, { "present", "bool" }),
    OBJ("CommandInfo", { "name", "str" }),
    ARRAY("[CommandInfo]", "CommandInfo"),
    OBJ("MachineInfo", { "name", "str" }, { "*alias", "str" },
        { "*is-default", "bool" }, { "cpu-max", "int" },
        { "hotpluggable-cpus", "bool" }, { "numa-mem-supported", "bool" },
        { "deprecated", "bool" }, { "*default-cpu-type", "str" },
        { "*default-ram-id", "str" }),
    ARRAY("[MachineInfo]", "MachineInfo"),
    OBJ("ChardevInfo", { "label", "str" }, { "filename", "str" },
        { "frontend-open", "bool" }),
    ARRAY("[ChardevInfo]", "ChardevInfo"),
    OBJ("CpuInstanceProperties", { "*socket-id", "int" },
        { "*core-id", "int" }, { "*thread-id", "int" }),
    OBJ("CpuInfoFast", { "cpu-index", "int" }, { "qom-path", "str" },
        { "thread-id", "int" }, { "*props", "CpuInstanceProperties" },
        { "target", "str" }),
    ARRAY("[CpuInfoFast]", "CpuInfoFast"),
    OBJ("ObjectTypeInfo", { "name", "str" }, { "*abstract", "bool" },
        { "*parent", "str" }),
    ARRAY("[ObjectTypeInfo]", "ObjectTypeInfo"),
    OBJ("ObjectPropertyInfo", { "name", "str" }, { "type", "str" },
        { "*description", "str" }, { "*default-value", "any" }),
    ARRAY("[ObjectPropertyInfo]", "ObjectPropertyInfo"),
    OBJ("CpuDefinitionInfo", { "name", "str" }, { "*migration-safe", "bool" },
        { "static", "bool" }, { "*unavailable-features", "[str]" },
        { "typename", "str" }, { "*alias-of", "str" },
        { "deprecated", "bool" }),
    ARRAY("[CpuDefinitionInfo]", "CpuDefinitionInfo"),
    OBJ("CpuModelInfo", { "name", "str" }, { "*props", "any" }),
    OBJ("CpuModelExpansionInfo", { "model", "CpuModelInfo" }),
    OBJ("GICCapability", { "version", "int" }, { "emulated", "bool" },
        { "kernel", "bool" }),
    ARRAY("[GICCapability]", "GICCapability"),
    OBJ("MigrationCapabilityStatus", { "capability", "str" },
        { "state", "bool" }),
    ARRAY("[MigrationCapabilityStatus]", "MigrationCapabilityStatus"),
    OBJ("CommandLineParameterInfo", { "name", "str" }, { "type", "str" },
        { "*help", "str" }, { "*default", "str" }),
    ARRAY("[CommandLineParameterInfo]", "CommandLineParameterInfo"),
    OBJ("CommandLineOptionInfo", { "option", "str" },
        { "parameters", "[CommandLineParameterInfo]" }),
    ARRAY("[CommandLineOptionInfo]", "CommandLineOptionInfo"),
    ARRAY("[str]", "str"),
    ARRAY("[any]", "any"),
    OBJ("SchemaInfo", { "name", "str" }, { "meta-type", "str" }),
    ARRAY("[SchemaInfo]", "SchemaInfo"),
    /* event data */
    OBJ("q_obj_SHUTDOWN-arg", { "guest", "bool" }, { "reason", "str" }),
    OBJ("q_obj_RESET-arg", { "guest", "bool" }, { "reason", "str" }),
    OBJ("q_obj_RTC_CHANGE-arg", { "offset", "int" }),
};

/* The events turtle sends, with their data type. */
static const struct {
    const char *name;
    const char *arg_type;
} schema_events[] = {
    { "STOP", "q_empty" },
    { "RESUME", "q_empty" },
    { "POWERDOWN", "q_empty" },
    { "SHUTDOWN", "q_obj_SHUTDOWN-arg" },
    { "RESET", "q_obj_RESET-arg" },
    { "RTC_CHANGE", "q_obj_RTC_CHANGE-arg" },
};

static const char *const builtin_types[][2] = {
    { "str", "string" }, { "int", "int" }, { "bool", "boolean" },
    { "any", "value" }, { "null", "null" }, { "number", "number" },
};

static const char *arg_type_name(char type)
{
    switch (type) {
    case 's': return "str";
    case 'i': return "int";
    case 'b': return "bool";
    case 'a': return "[any]";
    default: return "any";
    }
}

static void add_member(JsonBuilder *b, const char *name, const char *type)
{
    bool optional = name[0] == '*';

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, name + optional);
    /* QEMU: "default": null marks an optional member */
    if (optional) {
        json_builder_set_member_name(b, "default");
        json_builder_add_null_value(b);
    }
    json_builder_set_member_name(b, "type");
    json_builder_add_string_value(b, type);
    json_builder_end_object(b);
}

static void begin_info(JsonBuilder *b, const char *name, const char *meta)
{
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, name);
    json_builder_set_member_name(b, "meta-type");
    json_builder_add_string_value(b, meta);
}

static void add_type(JsonBuilder *b, const SchemaType *t)
{
    if (!t->members) {
        begin_info(b, t->name, "array");
        json_builder_set_member_name(b, "element-type");
        json_builder_add_string_value(b, t->element);
        json_builder_end_object(b);
        return;
    }
    begin_info(b, t->name, "object");
    json_builder_set_member_name(b, "members");
    json_builder_begin_array(b);
    for (const SchemaMember *m = t->members; m->name; m++) {
        add_member(b, m->name, m->type);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static void add_commands(JsonBuilder *b, const QMPCommand *table)
{
    for (const QMPCommand *c = table; c->name; c++) {
        g_autofree char *arg_type = g_strdup_printf("q_obj_%s-arg", c->name);

        begin_info(b, c->name, "command");
        json_builder_set_member_name(b, "arg-type");
        json_builder_add_string_value(b, c->args ? arg_type : "q_empty");
        json_builder_set_member_name(b, "ret-type");
        json_builder_add_string_value(b, c->ret ? c->ret : "q_empty");
        json_builder_end_object(b);
        if (c->args) {
            begin_info(b, arg_type, "object");
            json_builder_set_member_name(b, "members");
            json_builder_begin_array(b);
            for (const QMPArg *a = c->args; a->name; a++) {
                g_autofree char *n = g_strconcat(a->optional ? "*" : "",
                                                 a->name, NULL);
                add_member(b, n, arg_type_name(a->type));
            }
            json_builder_end_array(b);
            json_builder_end_object(b);
        }
    }
}

JsonNode *qmp_query_qmp_schema(JsonObject *args, const char **ec, char **ed)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_array(b);
    add_commands(b, qmp_commands);
    add_commands(b, qmp_migration_commands);
    for (size_t i = 0; i < G_N_ELEMENTS(schema_events); i++) {
        begin_info(b, schema_events[i].name, "event");
        json_builder_set_member_name(b, "arg-type");
        json_builder_add_string_value(b, schema_events[i].arg_type);
        json_builder_end_object(b);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(schema_types); i++) {
        add_type(b, &schema_types[i]);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(builtin_types); i++) {
        begin_info(b, builtin_types[i][0], "builtin");
        json_builder_set_member_name(b, "json-type");
        json_builder_add_string_value(b, builtin_types[i][1]);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}
