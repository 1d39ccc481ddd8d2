/*
 * QMP: the JSON machine protocol on a chardev (json-glib does the JSON).
 * A client gets the greeting, must send qmp_capabilities, then commands
 * { "execute": NAME, "arguments": {...}, "id": ANY } answered with
 * { "return": ... } or { "error": { "class": ..., "desc": ... } }.
 * Malformed input gets an error answer; it never ends the connection.
 */
#include "turtle/osdep.h"
#include "monitor/monitor.h"
#include "chardev/char.h"
#include "hw/core/cpu.h"
#include "sysemu/runstate.h"
#include "sysemu/cpus.h"
#include "accel/accel.h"
#include <json-glib/json-glib.h>

#define QMP_MAX_REQUEST (1 << 20)

typedef struct QMPMonitor {
    CharBackend chr;
    GString *buf;          /* the request being received */
    int depth;             /* brace/bracket depth outside strings */
    bool in_string, escape;
    bool negotiated;
} QMPMonitor;

typedef JsonNode *(*QMPHandler)(QMPMonitor *mon, JsonObject *args,
                                const char **err_class, char **err_desc);

static void qmp_send_node(QMPMonitor *mon, JsonNode *node)
{
    g_autofree char *s = json_to_string(node, false);
    g_autofree char *line = g_strconcat(s, "\r\n", NULL);

    qemu_chr_fe_write_all(&mon->chr, (const uint8_t *)line, strlen(line));
}

static JsonNode *empty_object(void)
{
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(n, json_object_new());
    return n;
}

static JsonNode *qmp_query_version(QMPMonitor *mon, JsonObject *args,
                                   const char **ec, char **ed)
{
    JsonBuilder *b = json_builder_new();
    JsonNode *n;
    unsigned major = 0, minor = 0, micro = 0;

    sscanf(TURTLE_VERSION, "%u.%u.%u", &major, &minor, &micro);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "qemu");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "major");
    json_builder_add_int_value(b, major);
    json_builder_set_member_name(b, "minor");
    json_builder_add_int_value(b, minor);
    json_builder_set_member_name(b, "micro");
    json_builder_add_int_value(b, micro);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "package");
    json_builder_add_string_value(b, "turtle");
    json_builder_end_object(b);
    n = json_builder_get_root(b);
    g_object_unref(b);
    return n;
}

static JsonNode *qmp_query_status(QMPMonitor *mon, JsonObject *args,
                                  const char **ec, char **ed)
{
    JsonBuilder *b = json_builder_new();
    JsonNode *n;

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "running");
    json_builder_add_boolean_value(b, runstate_is_running());
    json_builder_set_member_name(b, "status");
    json_builder_add_string_value(b, runstate_name(runstate_get()));
    json_builder_end_object(b);
    n = json_builder_get_root(b);
    g_object_unref(b);
    return n;
}

static JsonNode *qmp_query_cpus_fast(QMPMonitor *mon, JsonObject *args,
                                     const char **ec, char **ed)
{
    JsonBuilder *b = json_builder_new();
    JsonNode *n;
    CPUState *cpu;

    json_builder_begin_array(b);
    CPU_FOREACH(cpu) {
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "cpu-index");
        json_builder_add_int_value(b, cpu->cpu_index);
        json_builder_set_member_name(b, "qom-type");
        json_builder_add_string_value(b, object_get_typename(OBJECT(cpu)));
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    n = json_builder_get_root(b);
    g_object_unref(b);
    return n;
}

static JsonNode *qmp_stop(QMPMonitor *mon, JsonObject *args, const char **ec,
                          char **ed)
{
    vm_stop(RUN_STATE_PAUSED);
    return empty_object();
}

static JsonNode *qmp_cont(QMPMonitor *mon, JsonObject *args, const char **ec,
                          char **ed)
{
    if (runstate_get() == RUN_STATE_SHUTDOWN) {
        *ec = "GenericError";
        *ed = g_strdup("Resetting the Virtual Machine is required");
        return NULL;
    }
    vm_start();
    return empty_object();
}

static JsonNode *qmp_system_reset(QMPMonitor *mon, JsonObject *args,
                                  const char **ec, char **ed)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    return empty_object();
}

static JsonNode *qmp_system_powerdown(QMPMonitor *mon, JsonObject *args,
                                      const char **ec, char **ed)
{
    qemu_system_powerdown_request();
    return empty_object();
}

static JsonNode *qmp_quit(QMPMonitor *mon, JsonObject *args, const char **ec,
                          char **ed)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    return empty_object();
}

static JsonNode *qmp_query_commands(QMPMonitor *mon, JsonObject *args,
                                    const char **ec, char **ed);

static const struct {
    const char *name;
    QMPHandler fn;
} qmp_commands[] = {
    { "query-version", qmp_query_version },
    { "query-status", qmp_query_status },
    { "query-cpus-fast", qmp_query_cpus_fast },
    { "query-commands", qmp_query_commands },
    { "stop", qmp_stop },
    { "cont", qmp_cont },
    { "system_reset", qmp_system_reset },
    { "system_powerdown", qmp_system_powerdown },
    { "quit", qmp_quit },
};

static JsonNode *qmp_query_commands(QMPMonitor *mon, JsonObject *args,
                                    const char **ec, char **ed)
{
    JsonBuilder *b = json_builder_new();
    JsonNode *n;

    json_builder_begin_array(b);
    for (size_t i = 0; i < ARRAY_SIZE(qmp_commands); i++) {
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, qmp_commands[i].name);
        json_builder_end_object(b);
    }
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, "qmp_capabilities");
    json_builder_end_object(b);
    json_builder_end_array(b);
    n = json_builder_get_root(b);
    g_object_unref(b);
    return n;
}

static void qmp_reply(QMPMonitor *mon, JsonNode *id, JsonNode *ret,
                      const char *err_class, const char *err_desc)
{
    JsonObject *o = json_object_new();
    JsonNode *root = json_node_new(JSON_NODE_OBJECT);

    if (ret) {
        json_object_set_member(o, "return", ret);
    } else {
        JsonObject *e = json_object_new();
        json_object_set_string_member(e, "class", err_class);
        json_object_set_string_member(e, "desc", err_desc);
        json_object_set_object_member(o, "error", e);
    }
    if (id) {
        json_object_set_member(o, "id", json_node_copy(id));
    }
    json_node_take_object(root, o);
    qmp_send_node(mon, root);
    json_node_unref(root);
}

static void qmp_dispatch(QMPMonitor *mon, const char *text)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    GError *gerr = NULL;
    JsonNode *root, *id = NULL;
    JsonObject *req, *args = NULL;
    const char *cmd;
    const char *ec = NULL;
    g_autofree char *ed = NULL;

    if (!json_parser_load_from_data(parser, text, -1, &gerr)) {
        ed = g_strdup_printf("JSON parse error, %s", gerr->message);
        g_error_free(gerr);
        qmp_reply(mon, NULL, NULL, "GenericError", ed);
        return;
    }
    root = json_parser_get_root(parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        qmp_reply(mon, NULL, NULL, "GenericError",
                  "QMP input must be a JSON object");
        return;
    }
    req = json_node_get_object(root);
    id = json_object_get_member(req, "id");
    if (!json_object_has_member(req, "execute") ||
        json_node_get_value_type(json_object_get_member(req, "execute")) !=
        G_TYPE_STRING) {
        qmp_reply(mon, id, NULL, "GenericError",
                  "QMP input lacks member 'execute'");
        return;
    }
    cmd = json_object_get_string_member(req, "execute");
    if (json_object_has_member(req, "arguments")) {
        JsonNode *a = json_object_get_member(req, "arguments");
        if (!JSON_NODE_HOLDS_OBJECT(a)) {
            qmp_reply(mon, id, NULL, "GenericError",
                      "QMP input member 'arguments' must be an object");
            return;
        }
        args = json_node_get_object(a);
    }
    if (!strcmp(cmd, "qmp_capabilities")) {
        if (mon->negotiated) {
            qmp_reply(mon, id, NULL, "CommandNotFound",
                      "Capabilities negotiation is already complete, command "
                      "ignored");
            return;
        }
        mon->negotiated = true;
        qmp_reply(mon, id, empty_object(), NULL, NULL);
        return;
    }
    if (!mon->negotiated) {
        ed = g_strdup_printf("Expecting capabilities negotiation with "
                             "'qmp_capabilities' before '%s'", cmd);
        qmp_reply(mon, id, NULL, "CommandNotFound", ed);
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(qmp_commands); i++) {
        if (!strcmp(qmp_commands[i].name, cmd)) {
            JsonNode *ret = qmp_commands[i].fn(mon, args, &ec, &ed);
            qmp_reply(mon, id, ret, ec, ed);
            return;
        }
    }
    ed = g_strdup_printf("The command %s has not been found", cmd);
    qmp_reply(mon, id, NULL, "CommandNotFound", ed);
}

static int qmp_can_read(void *opaque)
{
    return 4096;
}

/* Split the byte stream into top-level JSON values by tracking nesting. */
static void qmp_read(void *opaque, const uint8_t *data, int size)
{
    QMPMonitor *mon = opaque;

    for (int i = 0; i < size; i++) {
        char ch = data[i];

        if (mon->depth == 0 && !mon->in_string && g_ascii_isspace(ch)) {
            continue;
        }
        g_string_append_c(mon->buf, ch);
        if (mon->in_string) {
            if (mon->escape) {
                mon->escape = false;
            } else if (ch == '\\') {
                mon->escape = true;
            } else if (ch == '"') {
                mon->in_string = false;
            }
        } else if (ch == '"') {
            mon->in_string = true;
        } else if (ch == '{' || ch == '[') {
            mon->depth++;
        } else if (ch == '}' || ch == ']') {
            mon->depth--;
        }
        if ((mon->depth <= 0 && !mon->in_string) ||
            mon->buf->len > QMP_MAX_REQUEST) {
            qmp_dispatch(mon, mon->buf->str);
            g_string_truncate(mon->buf, 0);
            mon->depth = 0;
            mon->in_string = mon->escape = false;
        }
    }
}

static void qmp_greet(QMPMonitor *mon)
{
    static const char greeting[] =
        "{\"QMP\": {\"version\": {\"qemu\": {\"major\": 0, \"minor\": 1, "
        "\"micro\": 0}, \"package\": \"turtle " TURTLE_VERSION "\"}, "
        "\"capabilities\": []}}\r\n";

    qemu_chr_fe_write_all(&mon->chr, (const uint8_t *)greeting,
                          strlen(greeting));
}

static void qmp_event(void *opaque, ChrEvent event)
{
    QMPMonitor *mon = opaque;

    if (event == CHR_EVENT_OPENED) {
        mon->negotiated = false;
        g_string_truncate(mon->buf, 0);
        mon->depth = 0;
        mon->in_string = mon->escape = false;
        qmp_greet(mon);
    }
}

bool monitor_init_qmp(Chardev *chr, Error **errp)
{
    QMPMonitor *mon = g_new0(QMPMonitor, 1);

    if (!qemu_chr_fe_init(&mon->chr, chr, errp)) {
        g_free(mon);
        return false;
    }
    mon->buf = g_string_new(NULL);
    qemu_chr_fe_set_handlers(&mon->chr, qmp_can_read, qmp_read, qmp_event, mon);
    return true;
}
