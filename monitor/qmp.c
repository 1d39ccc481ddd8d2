/*
 * QMP: the JSON machine protocol on a chardev (json-glib does the JSON).
 * A client gets the greeting, must send qmp_capabilities, then commands
 * { "execute": NAME, "arguments": {...}, "id": ANY } answered with
 * { "return": ... } or { "error": { "class": ..., "desc": ... } }.
 * Input is read by monitor/json-stream.c, which bounds each request's
 * nesting, tokens and size: malformed or oversized input gets QEMU's
 * error answers (the same number, in the same places) and the connection
 * goes on.  Requests are checked and answered in QEMU's order too (see
 * qmp_check_request(), qmp_check_args(), json-writer.c).
 *
 * Several QMP monitors may run at once (-qmp twice); each has its own
 * negotiation state, and a peer that connects again (socket server) gets a
 * new greeting and must negotiate again.  Events (STOP, RESUME, SHUTDOWN,
 * RESET, POWERDOWN) go to every monitor whose client has negotiated:
 *     { "event": NAME, "data": {...},
 *       "timestamp": { "seconds": S, "microseconds": U } }
 * The commands themselves are in qmp-cmds.c.
 */
#include "turtle/osdep.h"
#include "monitor/monitor.h"
#include "monitor/qmp-internal.h"
#include "monitor/json-stream.h"
#include "monitor/monitor-internal.h"
#include "chardev/char.h"
#include "sysemu/runstate.h"
#include "turtle/timer.h"

typedef struct QMPMonitor {
    Monitor common;        /* the client connection; first */
    JsonStream *stream;    /* the requests being received */
    bool connected;        /* a peer is there (greeted) */
    bool negotiated;
    bool pretty;           /* indented output (-qmp-pretty, pretty=on) */
} QMPMonitor;

static GPtrArray *qmp_monitors;
/* The process is on its way out: its last vm_stop is not a STOP. */
static bool qmp_exiting;

/* A reply or the greeting: always queued. */
static void qmp_send_node(QMPMonitor *mon, JsonNode *node)
{
    g_autofree char *line = qmp_json_line(node, mon->pretty);

    monitor_write(&mon->common, line, strlen(line));
}

/* ---- events ---- */

/* Takes data (may be NULL: an empty object). */
static void qmp_event_emit(const char *name, JsonObject *data)
{
    JsonObject *o = json_object_new();
    JsonObject *ts = json_object_new();
    JsonNode *root = json_node_new(JSON_NODE_OBJECT);
    gint64 now = g_get_real_time();
    g_autofree char *line = NULL;
    g_autofree char *pretty_line = NULL;

    json_object_set_string_member(o, "event", name);
    json_object_set_object_member(o, "data", data ? data : json_object_new());
    json_object_set_int_member(ts, "seconds", now / G_USEC_PER_SEC);
    json_object_set_int_member(ts, "microseconds", now % G_USEC_PER_SEC);
    json_object_set_object_member(o, "timestamp", ts);
    json_node_take_object(root, o);
    line = qmp_json_line(root, false);
    pretty_line = qmp_json_line(root, true);
    for (guint i = 0; qmp_monitors && i < qmp_monitors->len; i++) {
        QMPMonitor *mon = g_ptr_array_index(qmp_monitors, i);
        const char *l = mon->pretty ? pretty_line : line;
        if (mon->connected && mon->negotiated) {
            /* bounded: a client that does not read is dropped */
            monitor_write_event(&mon->common, l, strlen(l));
        }
    }
    json_node_unref(root);
}

static void qmp_event_send(const char *name, JsonObject *data);

/* QEMU's ShutdownCause names, the "reason" of SHUTDOWN and RESET. */
static const char *shutdown_cause_name(ShutdownCause cause)
{
    static const char *const names[] = {
        [SHUTDOWN_CAUSE_NONE] = "none",
        [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
        [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
        [SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET] = "host-qmp-system-reset",
        [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
        [SHUTDOWN_CAUSE_HOST_UI] = "host-ui",
        [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
        [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
        [SHUTDOWN_CAUSE_GUEST_PANIC] = "guest-panic",
        [SHUTDOWN_CAUSE_SUBSYSTEM_RESET] = "subsystem-reset",
    };

    return (unsigned)cause < G_N_ELEMENTS(names) && names[cause] ?
           names[cause] : "none";
}

static void qmp_runstate_event(const char *event, bool guest,
                               ShutdownCause cause, bool exiting,
                               void *opaque)
{
    JsonObject *data = NULL;

    qmp_exiting |= exiting;
    if (strcmp(event, "POWERDOWN")) {
        data = json_object_new();
        json_object_set_boolean_member(data, "guest", guest);
        json_object_set_string_member(data, "reason",
                                      shutdown_cause_name(cause));
    }
    qmp_event_send(event, data);
}

/*
 * Events a guest can cause at any rate are sent at most once per second,
 * as QEMU does: the first at once, then the last of each second's burst
 * when the second is over.  (QEMU throttles WATCHDOG, BALLOON_CHANGE,
 * VSERPORT_CHANGE... the same way; turtle has no such event yet.)
 */
#define QMP_THROTTLE_NS (1000 * SCALE_MS)

typedef struct QMPThrottle {
    const char *name;
    QEMUTimer *timer;       /* armed: within the period after a send */
    JsonObject *pending;    /* the latest event held back, or NULL */
} QMPThrottle;

static QMPThrottle qmp_throttles[] = {
    { "RTC_CHANGE" },
};

static void qmp_throttle_expired(void *opaque)
{
    QMPThrottle *t = opaque;

    if (t->pending) {
        qmp_event_emit(t->name, g_steal_pointer(&t->pending));
        timer_mod_ns(t->timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME) +
                     QMP_THROTTLE_NS);
    }
}

static void qmp_throttle_init(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(qmp_throttles); i++) {
        qmp_throttles[i].timer = timer_new_ns(QEMU_CLOCK_REALTIME,
                                              qmp_throttle_expired,
                                              &qmp_throttles[i]);
    }
}

/* Takes data (may be NULL: an empty object). */
static void qmp_event_send(const char *name, JsonObject *data)
{
    for (size_t i = 0; i < G_N_ELEMENTS(qmp_throttles); i++) {
        QMPThrottle *t = &qmp_throttles[i];

        if (strcmp(t->name, name) || !t->timer) {
            continue;
        }
        if (timer_pending(t->timer)) {
            if (t->pending) {
                json_object_unref(t->pending);
            }
            t->pending = data ? data : json_object_new();
            return;
        }
        timer_mod_ns(t->timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME) +
                     QMP_THROTTLE_NS);
        break;
    }
    qmp_event_emit(name, data);
}

void qmp_event_rtc_change(int64_t offset)
{
    JsonObject *data;

    if (!qmp_monitors) {
        return;
    }
    data = json_object_new();
    json_object_set_int_member(data, "offset", offset);
    qmp_event_send("RTC_CHANGE", data);
}

void qmp_event_job_status_change(const char *id, const char *status)
{
    JsonObject *data;

    if (!qmp_monitors) {
        return;
    }
    data = json_object_new();
    json_object_set_string_member(data, "status", status);
    json_object_set_string_member(data, "id", id);
    qmp_event_send("JOB_STATUS_CHANGE", data);
}

void qmp_event_migration(const char *status)
{
    JsonObject *data;

    if (!qmp_monitors) {
        return;
    }
    data = json_object_new();
    json_object_set_string_member(data, "status", status);
    qmp_event_send("MIGRATION", data);
}

static void qmp_vm_change_state(void *opaque, bool running, RunState state)
{
    if (qmp_exiting) {
        return;
    }
    qmp_event_send(running ? "RESUME" : "STOP", NULL);
}

/* ---- commands ---- */

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

static bool qmp_arg_type_ok(JsonNode *n, char type)
{
    switch (type) {
    case 's':
        return JSON_NODE_HOLDS_VALUE(n) &&
               json_node_get_value_type(n) == G_TYPE_STRING;
    case 'i':
        return JSON_NODE_HOLDS_VALUE(n) &&
               json_node_get_value_type(n) == G_TYPE_INT64;
    case 'b':
        return JSON_NODE_HOLDS_VALUE(n) &&
               json_node_get_value_type(n) == G_TYPE_BOOLEAN;
    case 'a':
        return JSON_NODE_HOLDS_ARRAY(n);
    case 'o':
        return JSON_NODE_HOLDS_OBJECT(n);
    default:
        return true;
    }
}

static const char *qmp_arg_type_name(char type)
{
    switch (type) {
    case 's': return "string";
    case 'i': return "integer";
    case 'b': return "boolean";
    case 'a': return "array";
    case 'o': return "object";
    default: return "any";
    }
}

/* Check args against the command's table; NULL if fine, else the error. */
static char *qmp_check_args(const QMPCommand *cmd, JsonObject *args)
{
    const QMPArg *a;

    for (a = cmd->args; a && a->name; a++) {
        JsonNode *n = args ? json_object_get_member(args, a->name) : NULL;

        if (!n) {
            if (!a->optional) {
                return g_strdup_printf("Parameter '%s' is missing", a->name);
            }
        } else if (!qmp_arg_type_ok(n, a->type)) {
            return g_strdup_printf("Invalid parameter type for '%s', "
                                   "expected: %s", a->name,
                                   qmp_arg_type_name(a->type));
        }
    }
    if (args) {
        /* QEMU finds extra arguments by taking every one into a GLib hash
         * table (in its dictionary order), removing those it knows, and
         * naming the first left: the same steps name the same one */
        g_autoptr(GList) members = qmp_members_qemu_order(args);
        g_autoptr(GHashTable) left = g_hash_table_new(g_str_hash,
                                                      g_str_equal);
        GHashTableIter it;
        gpointer extra;

        for (GList *l = members; l; l = l->next) {
            g_hash_table_add(left, l->data);
        }
        for (a = cmd->args; a && a->name; a++) {
            g_hash_table_remove(left, a->name);
        }
        g_hash_table_iter_init(&it, left);
        if (g_hash_table_iter_next(&it, &extra, NULL)) {
            return g_strdup_printf("Parameter '%s' is unexpected",
                                   (const char *)extra);
        }
    }
    return NULL;
}

/* The request's own members, looked at in QEMU's order so that the first
 * error is QEMU's: execute (a string), arguments (an object), id.
 * exec-oob is unexpected too: no client can enable out-of-band. */
static char *qmp_check_request(JsonObject *req)
{
    g_autoptr(GList) members = qmp_members_qemu_order(req);

    for (GList *l = members; l; l = l->next) {
        const char *m = l->data;
        JsonNode *n = json_object_get_member(req, m);

        if (!strcmp(m, "execute")) {
            if (!JSON_NODE_HOLDS_VALUE(n) ||
                json_node_get_value_type(n) != G_TYPE_STRING) {
                return g_strdup("QMP input member 'execute' must be a "
                                "string");
            }
        } else if (!strcmp(m, "arguments")) {
            if (!JSON_NODE_HOLDS_OBJECT(n)) {
                return g_strdup("QMP input member 'arguments' must be an "
                                "object");
            }
        } else if (strcmp(m, "id")) {
            return g_strdup_printf("QMP input member '%s' is unexpected", m);
        }
    }
    if (!json_object_has_member(req, "execute")) {
        return g_strdup("QMP input lacks member 'execute'");
    }
    return NULL;
}

/* qmp_capabilities' "enable": QEMU knows one capability, "oob", which
 * turtle does not offer.  NULL if fine, else the error. */
static char *qmp_check_capabilities(JsonObject *args)
{
    JsonArray *en = args && json_object_has_member(args, "enable") ?
                    json_object_get_array_member(args, "enable") : NULL;
    guint len = en ? json_array_get_length(en) : 0;

    for (guint i = 0; i < len; i++) {
        JsonNode *c = json_array_get_element(en, i);

        if (!JSON_NODE_HOLDS_VALUE(c) ||
            json_node_get_value_type(c) != G_TYPE_STRING) {
            return g_strdup_printf("Invalid parameter type for 'enable[%u]', "
                                   "expected: string", i);
        }
        if (strcmp(json_node_get_string(c), "oob")) {
            /* QEMU's text, 'null' included */
            return g_strdup_printf("Parameter 'null' does not accept value "
                                   "'%s'", json_node_get_string(c));
        }
    }
    return len ? g_strdup("Capability 'oob' not available") : NULL;
}

/* One request (a complete JSON value, which we own). */
static void qmp_dispatch(QMPMonitor *mon, JsonNode *root)
{
    JsonNode *id = NULL, *exec;
    JsonObject *req, *args = NULL;
    const QMPCommand *cmd;
    const char *name;
    const char *ec = NULL;
    g_autofree char *ed = NULL;
    g_autoptr(JsonNode) root_ref = root;
    JsonNode *ret;

    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        qmp_reply(mon, NULL, NULL, "GenericError",
                  "QMP input must be a JSON object");
        return;
    }
    req = json_node_get_object(root);
    id = json_object_get_member(req, "id");
    ed = qmp_check_request(req);
    if (ed) {
        qmp_reply(mon, id, NULL, "GenericError", ed);
        return;
    }
    exec = json_object_get_member(req, "execute");
    name = json_node_get_string(exec);
    if (json_object_has_member(req, "arguments")) {
        args = json_object_get_object_member(req, "arguments");
    }
    /* before negotiation only qmp_capabilities exists, and QEMU says so
     * for any other command, known or not */
    cmd = qmp_find_command(name);
    if (!mon->negotiated && strcmp(name, "qmp_capabilities")) {
        qmp_reply(mon, id, NULL, "CommandNotFound", "Expecting capabilities "
                  "negotiation with 'qmp_capabilities'");
        return;
    }
    if (!cmd) {
        ed = g_strdup_printf("The command %s has not been found", name);
        qmp_reply(mon, id, NULL, "CommandNotFound", ed);
        return;
    }
    ed = qmp_check_args(cmd, args);
    if (ed) {
        qmp_reply(mon, id, NULL, "GenericError", ed);
        return;
    }
    if (!cmd->fn) {         /* qmp_capabilities */
        if (mon->negotiated) {
            qmp_reply(mon, id, NULL, "CommandNotFound",
                      "Capabilities negotiation is already complete, command "
                      "ignored");
            return;
        }
        ed = qmp_check_capabilities(args);
        if (ed) {
            qmp_reply(mon, id, NULL, "GenericError", ed);
            return;
        }
        mon->negotiated = true;
        qmp_reply(mon, id, qmp_empty_object(), NULL, NULL);
        return;
    }
    ret = cmd->fn(args, &ec, &ed);
    if (!ret && !ed) {
        ed = g_strdup("command failed");
    }
    qmp_reply(mon, id, ret, ec ? ec : "GenericError", ed);
}

/* ---- the byte stream ---- */

static bool qmp_stream_emit(void *opaque, JsonNode *value, const char *err)
{
    QMPMonitor *mon = opaque;

    if (value) {
        qmp_dispatch(mon, value);
    } else {
        qmp_reply(mon, NULL, NULL, "GenericError", err);
    }
    /* the client is not reading: the next request waits */
    return !monitor_out_full(&mon->common);
}

static size_t qmp_consume(Monitor *common, const uint8_t *buf, size_t len)
{
    QMPMonitor *mon = (QMPMonitor *)common;

    return json_stream_feed(mon->stream, buf, len);
}

static void qmp_greet(QMPMonitor *mon)
{
    JsonObject *qmp = json_object_new();
    JsonObject *o = json_object_new();
    JsonNode *root = json_node_new(JSON_NODE_OBJECT);

    json_object_set_member(qmp, "version", qmp_version_node());
    json_object_set_array_member(qmp, "capabilities", json_array_new());
    json_object_set_object_member(o, "QMP", qmp);
    json_node_take_object(root, o);
    qmp_send_node(mon, root);
    json_node_unref(root);
}

static void qmp_chr_event(Monitor *common, ChrEvent event)
{
    QMPMonitor *mon = (QMPMonitor *)common;

    switch (event) {
    case CHR_EVENT_OPENED:
        mon->connected = true;
        mon->negotiated = false;
        json_stream_reset(mon->stream);
        qmp_greet(mon);
        break;
    case CHR_EVENT_CLOSED:
        mon->connected = false;
        mon->negotiated = false;
        json_stream_reset(mon->stream);
        break;
    default:
        break;
    }
}

bool monitor_init_qmp(Chardev *chr, bool pretty, Error **errp)
{
    QMPMonitor *mon = g_new0(QMPMonitor, 1);

    mon->pretty = pretty;
    mon->common.kind = "QMP";
    mon->common.consume = qmp_consume;
    mon->common.event = qmp_chr_event;
    mon->stream = json_stream_new(qmp_stream_emit, mon);
    if (!qmp_monitors) {
        qmp_monitors = g_ptr_array_new();
        qemu_add_vm_change_state_handler(qmp_vm_change_state, NULL);
        qmp_throttle_init();
        runstate_add_event_listener(qmp_runstate_event, NULL);
    }
    if (!monitor_attach(&mon->common, chr, errp)) {
        json_stream_free(mon->stream);
        g_free(mon);
        return false;
    }
    g_ptr_array_add(qmp_monitors, mon);
    return true;
}
