/*
 * QMP commands: one handler per command and the table that lists each
 * with its arguments.  Names, arguments and answer shapes follow QEMU's
 * QMP so that existing scripts and libraries work unchanged.
 */
#include "turtle/osdep.h"
#include "monitor/monitor.h"
#include "monitor/qmp-internal.h"
#include "chardev/char.h"
#include "hw/core/cpu.h"
#include "hw/core/boards.h"
#include "sysemu/runstate.h"
#include "sysemu/cpus.h"
#include "sysemu/target-info.h"
#include "accel/accel.h"
#include "sysemu/guest-name.h"
#include <sys/syscall.h>

JsonNode *qmp_builder_finish(JsonBuilder *b)
{
    JsonNode *n = json_builder_get_root(b);

    g_object_unref(b);
    return n;
}

JsonNode *qmp_empty_object(void)
{
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);

    json_node_take_object(n, json_object_new());
    return n;
}

/*
 * query-version reports the QEMU interface level turtle implements (its
 * command line, QMP commands and replies are QEMU 7.2's), because clients
 * such as libvirt decide from it what they may use and refuse anything
 * older than QEMU 4.2.  Turtle's own version is in "package"
 * ("turtle 0.1.0").  See docs/running.md, "Version".
 */
#define QEMU_INTERFACE_MAJOR 7
#define QEMU_INTERFACE_MINOR 2
#define QEMU_INTERFACE_MICRO 0

JsonNode *qmp_version_node(void)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "qemu");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "major");
    json_builder_add_int_value(b, QEMU_INTERFACE_MAJOR);
    json_builder_set_member_name(b, "minor");
    json_builder_add_int_value(b, QEMU_INTERFACE_MINOR);
    json_builder_set_member_name(b, "micro");
    json_builder_add_int_value(b, QEMU_INTERFACE_MICRO);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "package");
    json_builder_add_string_value(b, "turtle " TURTLE_VERSION);
    json_builder_end_object(b);
    return qmp_builder_finish(b);
}

static JsonNode *qmp_query_version(JsonObject *args, const char **ec,
                                   char **ed)
{
    return qmp_version_node();
}

static JsonNode *qmp_query_status(JsonObject *args, const char **ec,
                                  char **ed)
{
    JsonBuilder *b = json_builder_new();

    /* QEMU 7.2's members, in its schema's order (the writer puts them in
     * QEMU's output order); singlestep is its -singlestep */
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "running");
    json_builder_add_boolean_value(b, runstate_is_running());
    json_builder_set_member_name(b, "singlestep");
    json_builder_add_boolean_value(b, false);
    json_builder_set_member_name(b, "status");
    json_builder_add_string_value(b, runstate_name(runstate_get()));
    json_builder_end_object(b);
    return qmp_builder_finish(b);
}

/* -name's guest name; no member when none was given, as QEMU */
static JsonNode *qmp_query_name(JsonObject *args, const char **ec, char **ed)
{
    JsonNode *n = qmp_empty_object();

    if (guest_name()) {
        json_object_set_string_member(json_node_get_object(n), "name",
                                      guest_name());
    }
    return n;
}

static JsonNode *qmp_query_target(JsonObject *args, const char **ec,
                                  char **ed)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "arch");
    json_builder_add_string_value(b, turtle_target.name);
    json_builder_end_object(b);
    return qmp_builder_finish(b);
}

/* As QEMU: "present" is whether this executable can use KVM at all (the
 * accelerator is built for its target), not whether /dev/kvm opens. */
static JsonNode *qmp_query_kvm(JsonObject *args, const char **ec, char **ed)
{
    JsonBuilder *b = json_builder_new();
    const char *accel = current_accel_name();
    const AccelOps *kvm = accel_find("kvm");

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "enabled");
    json_builder_add_boolean_value(b, accel && !strcmp(accel, "kvm"));
    json_builder_set_member_name(b, "present");
    json_builder_add_boolean_value(b, kvm && (!kvm->supports_target ||
                                   kvm->supports_target(turtle_target.name)));
    json_builder_end_object(b);
    return qmp_builder_finish(b);
}

static void query_chardev_one(Chardev *chr, void *opaque)
{
    JsonBuilder *b = opaque;

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "label");
    json_builder_add_string_value(b, chr->label ? chr->label : "");
    json_builder_set_member_name(b, "filename");
    json_builder_add_string_value(b, chr->filename ? chr->filename : "");
    json_builder_set_member_name(b, "frontend-open");
    json_builder_add_boolean_value(b, chr->be && chr->be->fe_is_open);
    json_builder_end_object(b);
}

static JsonNode *qmp_query_chardev(JsonObject *args, const char **ec,
                                   char **ed)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_array(b);
    qemu_chr_foreach(query_chardev_one, b);
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

static JsonNode *qmp_query_machines(JsonObject *args, const char **ec,
                                    char **ed)
{
    JsonBuilder *b = json_builder_new();
    GSList *list = object_class_get_list(TYPE_MACHINE, false);

    json_builder_begin_array(b);
    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        bool dflt;

        if (!mc->name ||
            (mc->target && strcmp(mc->target, turtle_target.name))) {
            continue;
        }
        dflt = turtle_target.default_machine ?
               !strcmp(mc->name, turtle_target.default_machine) :
               mc->is_default;
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, mc->qemu_name ? mc->qemu_name
                                                       : mc->name);
        if (mc->qemu_name || mc->alias) {
            json_builder_set_member_name(b, "alias");
            json_builder_add_string_value(b, mc->qemu_name ? mc->name
                                                           : mc->alias);
        }
        json_builder_set_member_name(b, "is-default");
        json_builder_add_boolean_value(b, dflt);
        json_builder_set_member_name(b, "cpu-max");
        json_builder_add_int_value(b, mc->max_cpus ? mc->max_cpus : 1);
        json_builder_set_member_name(b, "hotpluggable-cpus");
        json_builder_add_boolean_value(b, false);
        json_builder_set_member_name(b, "numa-mem-supported");
        json_builder_add_boolean_value(b, false);
        json_builder_set_member_name(b, "deprecated");
        json_builder_add_boolean_value(b, false);
        if (mc->default_cpu_type) {
            /* a QOM type name, as QEMU's ("cortex-a57-arm-cpu") */
            g_autofree char *t = g_strconcat(mc->default_cpu_type,
                                             turtle_target.cpu_type_suffix,
                                             NULL);
            json_builder_set_member_name(b, "default-cpu-type");
            json_builder_add_string_value(b, t);
        }
        if (mc->default_ram_id) {
            json_builder_set_member_name(b, "default-ram-id");
            json_builder_add_string_value(b, mc->default_ram_id);
        }
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    g_slist_free(list);
    return qmp_builder_finish(b);
}

/* Runs on the vCPU's own thread (or the main thread when it has none,
 * as under qtest): the host thread id scripts pin with taskset. */
static void cpu_get_thread_id(CPUState *cpu, run_on_cpu_data data)
{
    *(int64_t *)data.host_ptr = syscall(SYS_gettid);
}

int64_t monitor_cpu_thread_id(CPUState *cpu)
{
    int64_t tid = 0;

    run_on_cpu(cpu, cpu_get_thread_id, RUN_ON_CPU_HOST_PTR(&tid));
    return tid;
}

static JsonNode *qmp_query_cpus_fast(JsonObject *args, const char **ec,
                                     char **ed)
{
    JsonBuilder *b = json_builder_new();
    CPUState *cpu;

    json_builder_begin_array(b);
    CPU_FOREACH(cpu) {
        int64_t tid = monitor_cpu_thread_id(cpu);

        json_builder_begin_object(b);
        json_builder_set_member_name(b, "cpu-index");
        json_builder_add_int_value(b, cpu->cpu_index);
        json_builder_set_member_name(b, "thread-id");
        json_builder_add_int_value(b, tid);
        /* one socket, one thread per core: core-id is the index */
        json_builder_set_member_name(b, "props");
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "core-id");
        json_builder_add_int_value(b, cpu->cpu_index);
        json_builder_set_member_name(b, "socket-id");
        json_builder_add_int_value(b, 0);
        json_builder_set_member_name(b, "thread-id");
        json_builder_add_int_value(b, 0);
        json_builder_end_object(b);
        json_builder_set_member_name(b, "qom-type");
        json_builder_add_string_value(b, object_get_typename(OBJECT(cpu)));
        json_builder_set_member_name(b, "target");
        json_builder_add_string_value(b, turtle_target.name);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

static JsonNode *qmp_stop(JsonObject *args, const char **ec, char **ed)
{
    if (runstate_is_running()) {        /* prelaunch stays prelaunch */
        vm_stop(RUN_STATE_PAUSED);
    }
    return qmp_empty_object();
}

static JsonNode *qmp_cont(JsonObject *args, const char **ec, char **ed)
{
    if (runstate_get() == RUN_STATE_SHUTDOWN) {
        *ed = g_strdup("Resetting the Virtual Machine is required");
        return NULL;
    }
    vm_start();
    return qmp_empty_object();
}

static JsonNode *qmp_system_reset(JsonObject *args, const char **ec,
                                  char **ed)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    return qmp_empty_object();
}

static JsonNode *qmp_system_powerdown(JsonObject *args, const char **ec,
                                      char **ed)
{
    qemu_system_powerdown_request();
    return qmp_empty_object();
}

/* No board has a suspended state yet: there is nothing to wake. */
static JsonNode *qmp_system_wakeup(JsonObject *args, const char **ec,
                                   char **ed)
{
    return qmp_empty_object();
}

static JsonNode *qmp_quit(JsonObject *args, const char **ec, char **ed)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    return qmp_empty_object();
}

static JsonNode *qmp_human_monitor_command(JsonObject *args, const char **ec,
                                           char **ed)
{
    const char *line = json_object_get_string_member(args, "command-line");
    gint64 idx = 0;
    JsonNode *n;
    g_autofree char *out = NULL;

    if (json_object_has_member(args, "cpu-index")) {
        idx = json_object_get_int_member(args, "cpu-index");
        if (idx < 0 || idx > INT_MAX || !qemu_get_cpu(idx)) {
            *ed = g_strdup_printf("Parameter 'cpu-index' expects a CPU "
                                  "index");
            return NULL;
        }
    }
    out = hmp_run_command(line, idx);
    n = json_node_new(JSON_NODE_VALUE);
    json_node_set_string(n, out);     /* lines end in CR LF, as QEMU's */
    return n;
}

static JsonNode *qmp_query_commands(JsonObject *args, const char **ec,
                                    char **ed)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_array(b);
    for (const QMPCommand *c = qmp_commands; c->name; c++) {
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, c->name);
        json_builder_end_object(b);
    }
    for (const QMPCommand *c = qmp_migration_commands; c->name; c++) {
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, c->name);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

static const QMPArg qmp_capabilities_args[] = {
    { "enable", 'a', true },
    { NULL },
};

static const QMPArg human_monitor_command_args[] = {
    { "command-line", 's', false },
    { "cpu-index", 'i', true },
    { NULL },
};

static const QMPArg qom_list_types_args[] = {
    { "implements", 's', true },
    { "abstract", 'b', true },
    { NULL },
};

static const QMPArg typename_args[] = {
    { "typename", 's', false },
    { NULL },
};

static const QMPArg cpu_model_expansion_args[] = {
    { "type", 's', false },
    { "model", 'o', false },
    { NULL },
};

static const QMPArg command_line_options_args[] = {
    { "option", 's', true },
    { NULL },
};

const QMPCommand qmp_commands[] = {
    { "qmp_capabilities", NULL, qmp_capabilities_args },
    { "query-commands", qmp_query_commands, .ret = "[CommandInfo]" },
    { "query-qmp-schema", qmp_query_qmp_schema, .ret = "[SchemaInfo]" },
    { "query-version", qmp_query_version, .ret = "VersionInfo" },
    { "query-status", qmp_query_status, .ret = "StatusInfo" },
    { "query-name", qmp_query_name, .ret = "NameInfo" },
    { "query-target", qmp_query_target, .ret = "TargetInfo" },
    { "query-kvm", qmp_query_kvm, .ret = "KvmInfo" },
    { "query-machines", qmp_query_machines, .ret = "[MachineInfo]" },
    { "query-chardev", qmp_query_chardev, .ret = "[ChardevInfo]" },
    { "query-cpus-fast", qmp_query_cpus_fast, .ret = "[CpuInfoFast]" },
    { "qom-list-types", qmp_qom_list_types, qom_list_types_args,
      .ret = "[ObjectTypeInfo]" },
    { "device-list-properties", qmp_device_list_properties, typename_args,
      .ret = "[ObjectPropertyInfo]" },
    { "qom-list-properties", qmp_qom_list_properties, typename_args,
      .ret = "[ObjectPropertyInfo]" },
    { "query-cpu-definitions", qmp_query_cpu_definitions,
      .ret = "[CpuDefinitionInfo]" },
    { "query-cpu-model-expansion", qmp_query_cpu_model_expansion,
      cpu_model_expansion_args, .ret = "CpuModelExpansionInfo" },
    { "query-gic-capabilities", qmp_query_gic_capabilities,
      .ret = "[GICCapability]" },
    { "query-command-line-options", qmp_query_command_line_options,
      command_line_options_args, .ret = "[CommandLineOptionInfo]" },
    { "stop", qmp_stop },
    { "cont", qmp_cont },
    { "system_reset", qmp_system_reset },
    { "system_powerdown", qmp_system_powerdown },
    { "system_wakeup", qmp_system_wakeup },
    { "quit", qmp_quit },
    { "human-monitor-command", qmp_human_monitor_command,
      human_monitor_command_args, .ret = "str" },
    { NULL },
};

const QMPCommand *qmp_find_command(const char *name)
{
    for (const QMPCommand *c = qmp_commands; c->name; c++) {
        if (!strcmp(c->name, name)) {
            return c;
        }
    }
    for (const QMPCommand *c = qmp_migration_commands; c->name; c++) {
        if (!strcmp(c->name, name)) {
            return c;
        }
    }
    return NULL;
}
