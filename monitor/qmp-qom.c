/*
 * The QMP commands management software probes an emulator with (libvirt's
 * capability probe, docs/running.md "libvirt"): the object types and their
 * properties, the CPU models, and what turtle has of migration, the GIC
 * and CPU model expansion.  Each answers from turtle's own tables, with
 * QEMU 7.2's reply members and errors; what turtle lacks is absent (an
 * empty list, or QEMU's error for it), never invented.
 */
#include "turtle/osdep.h"
#include "monitor/qmp-internal.h"
#include "hw/core/object.h"
#include "hw/core/qdev.h"
#include "hw/core/qdev-properties.h"
#include "hw/core/boards.h"
#include "accel/accel.h"
#include "sysemu/target-info.h"
#include "monitor/monitor.h"
#include "turtle/option.h"

/* Accelerators are not objects in turtle; QEMU lists them as
 * "NAME-accel" types, which clients look for. */
static bool accel_usable(const char *name)
{
    const AccelOps *ops = accel_find(name);

    return ops && (!ops->supports_target ||
                   ops->supports_target(turtle_target.name));
}

static bool type_for_target(ObjectClass *oc)
{
    /* other targets' boards are in the same type system */
    if (object_class_dynamic_cast(oc, TYPE_MACHINE)) {
        MachineClass *mc = MACHINE_CLASS(oc);
        return !mc->target || !strcmp(mc->target, turtle_target.name);
    }
    return true;
}

JsonNode *qmp_qom_list_types(JsonObject *args, const char **ec, char **ed)
{
    const char *impl = args && json_object_has_member(args, "implements") ?
                       json_object_get_string_member(args, "implements") :
                       NULL;
    bool abstract = args && json_object_has_member(args, "abstract") &&
                    json_object_get_boolean_member(args, "abstract");
    GSList *list = object_class_get_list(impl, abstract);
    JsonBuilder *b = json_builder_new();
    static const char *const accels[] = { "tcg", "kvm", "qtest" };

    json_builder_begin_array(b);
    for (GSList *l = list; l; l = l->next) {
        ObjectClass *oc = l->data;
        ObjectClass *parent = object_class_get_parent(oc);

        if (!type_for_target(oc)) {
            continue;
        }
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, object_class_get_name(oc));
        if (object_class_is_abstract(oc)) {
            json_builder_set_member_name(b, "abstract");
            json_builder_add_boolean_value(b, true);
        }
        if (parent) {
            json_builder_set_member_name(b, "parent");
            json_builder_add_string_value(b, object_class_get_name(parent));
        }
        json_builder_end_object(b);
    }
    g_slist_free(list);
    for (size_t i = 0; i < G_N_ELEMENTS(accels); i++) {
        g_autofree char *name = g_strconcat(accels[i], "-accel", NULL);

        if ((impl && strcmp(impl, "accel") && strcmp(impl, name)) ||
            !accel_usable(accels[i])) {
            continue;
        }
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, name);
        json_builder_set_member_name(b, "parent");
        json_builder_add_string_value(b, "accel");
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

/* QEMU's names of property types */
static const char *prop_type_name(const Property *p)
{
    return p->info && p->info->type ? p->info->type : "str";
}

static void add_prop(JsonBuilder *b, const Property *p, bool device)
{
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, p->name);
    json_builder_set_member_name(b, "type");
    json_builder_add_string_value(b, prop_type_name(p));
    if (device && p->set_default && p->info == &prop_info_bool) {
        json_builder_set_member_name(b, "default-value");
        json_builder_add_boolean_value(b, p->defval.u);
    }
    json_builder_end_object(b);
}

static void add_device_prop(const Property *p, void *opaque)
{
    add_prop(opaque, p, true);
}

JsonNode *qmp_device_list_properties(JsonObject *args, const char **ec,
                                     char **ed)
{
    const char *name = json_object_get_string_member(args, "typename");
    ObjectClass *oc = object_class_by_name(name);
    JsonBuilder *b;

    if (!oc || !type_for_target(oc)) {
        *ec = "DeviceNotFound";
        *ed = g_strdup_printf("Device '%s' not found", name);
        return NULL;
    }
    if (!object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        *ed = g_strdup_printf("Parameter 'typename' expects device");
        return NULL;
    }
    if (object_class_is_abstract(oc)) {
        *ed = g_strdup_printf("Parameter 'typename' expects a non-abstract "
                              "device type");
        return NULL;
    }
    b = json_builder_new();
    json_builder_begin_array(b);
    qdev_class_foreach_prop(DEVICE_CLASS(oc), add_device_prop, b);
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

JsonNode *qmp_qom_list_properties(JsonObject *args, const char **ec,
                                  char **ed)
{
    const char *name = json_object_get_string_member(args, "typename");
    ObjectClass *oc = object_class_by_name(name);
    JsonBuilder *b;

    /*
     * A class turtle does not have is an empty list, where QEMU answers
     * DeviceNotFound: libvirt 9.0 crashes when memory-backend-file, which
     * every QEMU has, is not found (docs/running.md, "libvirt").
     */
    if (!oc || !type_for_target(oc)) {
        return json_node_init_array(json_node_alloc(), json_array_new());
    }
    b = json_builder_new();
    json_builder_begin_array(b);
    /* every object has its type name, as in QEMU */
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, "type");
    json_builder_set_member_name(b, "type");
    json_builder_add_string_value(b, "string");
    json_builder_end_object(b);
    if (object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        qdev_class_foreach_prop(DEVICE_CLASS(oc), add_device_prop, b);
    } else if (object_class_dynamic_cast(oc, TYPE_MACHINE)) {
        const Property *p = MACHINE_CLASS(oc)->props;

        for (; p && p->name; p++) {
            add_prop(b, p, false);
        }
    }
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

/* the -cpu model name of a CPU type ("cortex-a57-arm-cpu") */
static char *cpu_model_of(const char *type)
{
    size_t len = strlen(type), slen = strlen(turtle_target.cpu_type_suffix);

    return len > slen && !strcmp(type + len - slen,
                                 turtle_target.cpu_type_suffix) ?
           g_strndup(type, len - slen) : g_strdup(type);
}

JsonNode *qmp_query_cpu_definitions(JsonObject *args, const char **ec,
                                    char **ed)
{
    GSList *list = turtle_target.cpu_base_type ?
                   object_class_get_list(turtle_target.cpu_base_type, false) :
                   NULL;
    JsonBuilder *b = json_builder_new();

    json_builder_begin_array(b);
    for (GSList *l = list; l; l = l->next) {
        const char *type = object_class_get_name(l->data);
        g_autofree char *model = cpu_model_of(type);

        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, model);
        json_builder_set_member_name(b, "typename");
        json_builder_add_string_value(b, type);
        json_builder_set_member_name(b, "static");
        json_builder_add_boolean_value(b, false);
        json_builder_set_member_name(b, "deprecated");
        json_builder_add_boolean_value(b, false);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    g_slist_free(list);
    return qmp_builder_finish(b);
}

/*
 * query-cpu-model-expansion: a model expands to itself with no
 * properties to set (turtle's models have none that -cpu may change
 * besides those fixed at their only value); "host" needs KVM, as in
 * QEMU.
 */
JsonNode *qmp_query_cpu_model_expansion(JsonObject *args, const char **ec,
                                        char **ed)
{
    const char *type = json_object_get_string_member(args, "type");
    JsonObject *model = json_object_get_object_member(args, "model");
    const char *name;
    g_autofree char *cpu_type = NULL;
    Error *err = NULL;
    JsonNode *n;
    JsonObject *o, *m;

    if (strcmp(type, "static") && strcmp(type, "full")) {
        *ed = g_strdup_printf("Parameter 'type' does not accept value '%s'",
                              type);
        return NULL;
    }
    if (!json_object_has_member(model, "name") ||
        !JSON_NODE_HOLDS_VALUE(json_object_get_member(model, "name"))) {
        *ed = g_strdup("Parameter 'model.name' is missing");
        return NULL;
    }
    name = json_object_get_string_member(model, "name");
    if (!strcmp(name, "host") && strcmp(current_accel_name() ?
                                        current_accel_name() : "", "kvm")) {
        *ed = g_strdup("The CPU type 'host' requires KVM");
        return NULL;
    }
    cpu_type = target_cpu_type_from_model(name, &err);
    if (!cpu_type) {
        *ed = g_strdup_printf("The CPU type '%s' is not a recognized CPU "
                              "model", name);
        error_free(err);
        return NULL;
    }
    if (json_object_has_member(model, "props") &&
        json_object_get_size(json_object_get_object_member(model, "props"))) {
        *ed = g_strdup_printf("CPU model '%s' has no properties turtle can "
                              "change", name);
        return NULL;
    }
    n = qmp_empty_object();
    o = json_node_get_object(n);
    m = json_object_new();
    json_object_set_string_member(m, "name", name);
    json_object_set_object_member(m, "props", json_object_new());
    json_object_set_object_member(o, "model", m);
    return n;
}

/* The GIC versions turtle's virt board emulates (no in-kernel GIC). */
JsonNode *qmp_query_gic_capabilities(JsonObject *args, const char **ec,
                                     char **ed)
{
    JsonBuilder *b = json_builder_new();

    json_builder_begin_array(b);
    if (!strcmp(turtle_target.name, "aarch64")) {
        for (int v = 3; v >= 2; v--) {
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "version");
            json_builder_add_int_value(b, v);
            json_builder_set_member_name(b, "emulated");
            json_builder_add_boolean_value(b, true);
            json_builder_set_member_name(b, "kernel");
            json_builder_add_boolean_value(b, false);
            json_builder_end_object(b);
        }
    }
    json_builder_end_array(b);
    return qmp_builder_finish(b);
}

/* ---- query-command-line-options ---- */

static void (*option_lister)(MonitorOptionFn *fn, void *opaque);

void monitor_set_option_lister(void (*foreach)(MonitorOptionFn *fn,
                                               void *opaque))
{
    option_lister = foreach;
}

typedef struct OptionList {
    JsonBuilder *b;
    const char *only;       /* "option": just this one */
    bool found;
} OptionList;

/* QEMU names some option lists apart from their option */
static const char *qemu_opts_name(const char *option)
{
    return !strcmp(option, "smp") ? "smp-opts" :
           !strcmp(option, "boot") ? "boot-opts" : option;
}

static void add_option(const char *option, const OptDesc *keys, void *opaque)
{
    OptionList *ol = opaque;
    const char *name = qemu_opts_name(option);

    if (ol->only && strcmp(ol->only, name)) {
        return;
    }
    ol->found = true;
    json_builder_begin_object(ol->b);
    json_builder_set_member_name(ol->b, "option");
    json_builder_add_string_value(ol->b, name);
    json_builder_set_member_name(ol->b, "parameters");
    json_builder_begin_array(ol->b);
    for (const OptDesc *k = keys; k->name; k++) {
        static const char *const types[] = {
            [OPT_STRING] = "string", [OPT_BOOL] = "boolean",
            [OPT_NUMBER] = "number", [OPT_SIZE] = "size",
        };

        json_builder_begin_object(ol->b);
        json_builder_set_member_name(ol->b, "name");
        json_builder_add_string_value(ol->b, k->name);
        json_builder_set_member_name(ol->b, "type");
        json_builder_add_string_value(ol->b, types[k->type]);
        if (k->help) {
            json_builder_set_member_name(ol->b, "help");
            json_builder_add_string_value(ol->b, k->help);
        }
        json_builder_end_object(ol->b);
    }
    json_builder_end_array(ol->b);
    json_builder_end_object(ol->b);
}

JsonNode *qmp_query_command_line_options(JsonObject *args, const char **ec,
                                         char **ed)
{
    OptionList ol = { .b = json_builder_new() };

    if (args && json_object_has_member(args, "option")) {
        ol.only = json_object_get_string_member(args, "option");
    }
    json_builder_begin_array(ol.b);
    if (option_lister) {
        option_lister(add_option, &ol);
    }
    json_builder_end_array(ol.b);
    if (ol.only && !ol.found) {
        json_node_unref(qmp_builder_finish(ol.b));
        *ed = g_strdup_printf("Invalid parameter 'option'");
        return NULL;
    }
    return qmp_builder_finish(ol.b);
}
