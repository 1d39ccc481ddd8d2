/*
 * QMP: the greeting, negotiation, every command's answer shape, argument
 * checking, malformed input (answered, never fatal), events, several
 * monitors at once, reconnection, human-monitor-command and quit.
 *
 * turtle runs "-M none -accel qtest" with its QMP monitor on a unix
 * socket: either turtle connects to a socket this test listens on
 * (-qmp unix:PATH), or it listens itself (server=on) and the test
 * connects, which is how reconnection is checked.
 */
#include "libqtest.h"
#include "libqmp.h"
#include <json-glib/json-glib.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct Fixture {
    QTestState *qts;
    char *dir;
    QMPClient c;
} Fixture;

/* turtle connects to us: the greeting is waiting once it has started. */
static void fixture_start(Fixture *f, const char *extra)
{
    g_autofree char *path = NULL;
    int lfd;

    f->dir = g_dir_make_tmp("qmp-test-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    path = g_build_filename(f->dir, "qmp.sock", NULL);
    lfd = qtest_socket_server(path);
    f->qts = qtest_initf("-qmp unix:%s %s", path, extra ? extra : "");
    f->c.fd = qtest_socket_accept(lfd);
    g_assert_cmpint(f->c.fd, >=, 0);
    close(lfd);
    unlink(path);
    f->c.rx = g_string_new(NULL);
    qmp_assert_greeting(&f->c);
}

static void fixture_end(Fixture *f)
{
    qmp_client_close(&f->c);
    if (f->qts) {
        qtest_quit(f->qts);
    }
    rmdir(f->dir);
    g_free(f->dir);
}

static void test_negotiation(void)
{
    Fixture f = { 0 };

    fixture_start(&f, NULL);
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"query-status\"}"),
                 "CommandNotFound", "qmp_capabilities");
    /* unsupported capability */
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"qmp_capabilities\", "
                         "\"arguments\": {\"enable\": [\"oob\"]}}"),
                 "GenericError", "oob");
    qmp_negotiate(&f.c);
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"qmp_capabilities\"}"),
                 "CommandNotFound", "already complete");
    fixture_end(&f);
}

static void test_bad_input(void)
{
    Fixture f = { 0 };
    JsonNode *a;

    fixture_start(&f, NULL);
    qmp_negotiate(&f.c);
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": }"), "GenericError", NULL);
    qmp_assert_error(qmp_cmd(&f.c, "[1, 2]"), "GenericError", "object");
    qmp_assert_error(qmp_cmd(&f.c, "12345\n"), "GenericError", "object");
    qmp_assert_error(qmp_cmd(&f.c, "{\"arguments\": {}}"), "GenericError",
                 "execute");
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": 1}"), "GenericError",
                 "execute");
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"query-status\", "
                         "\"arguments\": []}"), "GenericError", "arguments");
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"query-status\", "
                         "\"bogus\": 1}"), "GenericError", "'bogus'");
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"no-such-command\"}"),
                 "CommandNotFound", "no-such-command");
    /* argument checking */
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"human-monitor-command\"}"),
                 "GenericError", "Parameter 'command-line' is missing");
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"human-monitor-command\", "
                         "\"arguments\": {\"command-line\": 5}}"),
                 "GenericError", "'command-line'");
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"human-monitor-command\", "
                         "\"arguments\": {\"command-line\": \"info status\","
                         " \"x\": 1}}"),
                 "GenericError", "Parameter 'x' is unexpected");
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"query-status\", "
                         "\"arguments\": {\"x\": 1}}"),
                 "GenericError", "Parameter 'x' is unexpected");
    /* a request split over writes, and the id echoed back */
    qmp_send_raw(&f.c, "{\"execute\": \"query-st");
    g_usleep(50 * 1000);
    a = qmp_cmd(&f.c, "atus\", \"id\": {\"n\": [1, \"}\"]}}");
    g_assert_true(JSON_NODE_HOLDS_OBJECT(qmp_return(a)));
    g_assert_cmpint(json_array_get_int_element(json_object_get_array_member(
        json_object_get_object_member(json_node_get_object(a), "id"), "n"),
        0), ==, 1);
    json_node_unref(a);
    /* over the size limit: refused once, whole, and the next request is
     * read */
    {
        GString *big = g_string_new("{\"execute\": \"query-status\", "
                                    "\"id\": \"");
        for (int i = 0; i < 3 * 1024 * 1024 / 2; i++) {
            g_string_append_c(big, i % 64 == 0 ? '{' : 'x');
        }
        g_string_append(big, "\"}");
        qmp_assert_error(qmp_cmd(&f.c, big->str), "GenericError",
                     "JSON token size limit exceeded");
        /* the error dropped the value: its '}' is read on its own */
        qmp_assert_error(qmp_recv_answer(&f.c), "GenericError",
                     "JSON parse error, expecting value");
        g_string_free(big, true);
    }
    /* still connected and answering */
    a = qmp_cmd(&f.c, "{\"execute\": \"query-status\", \"id\": 7}");
    g_assert_cmpint(json_object_get_int_member(json_node_get_object(a), "id"),
                    ==, 7);
    json_node_unref(a);
    fixture_end(&f);
}

/*
 * Send text, then read answers up to the one with "id": id; returns how
 * many answers before it had an error desc containing desc_part, and
 * fails on any other answer before it.  allowed: another desc part that
 * may come.
 */
static unsigned count_errors_until(QMPClient *c, const char *text, int id,
                                   const char *desc_part, const char *allowed)
{
    unsigned n = 0;

    qmp_send_raw(c, text);
    for (;;) {
        JsonNode *a = qmp_recv_answer(c);
        JsonObject *o;
        const char *desc;

        g_assert_nonnull(a);
        o = json_node_get_object(a);
        if (json_object_has_member(o, "id")) {
            g_assert_cmpint(json_object_get_int_member(o, "id"), ==, id);
            json_node_unref(a);
            return n;
        }
        g_assert_true(json_object_has_member(o, "error"));
        desc = json_object_get_string_member(
            json_object_get_object_member(o, "error"), "desc");
        if (strstr(desc, desc_part)) {
            n++;
        } else if (!allowed || !strstr(desc, allowed)) {
            g_error("unexpected answer: %s", desc);
        }
        json_node_unref(a);
    }
}

/*
 * Regression: 100,000 nested '[' (200 KB) killed turtle with SIGSEGV in a
 * recursive JSON parser, before negotiation.  Now QEMU's answers: an error
 * each time the depth passes the limit (the value is dropped and the
 * count starts again), and the connection and the VM go on.
 */
static void test_deep_nesting(void)
{
    Fixture f = { 0 };
    GString *s = g_string_new(NULL);
    unsigned depth_errors = 100000 / 1025, extra_closes;

    fixture_start(&f, NULL);
    for (int i = 0; i < 100000; i++) {
        g_string_append_c(s, '[');
    }
    qmp_send_raw(&f.c, s->str);
    for (unsigned i = 0; i < depth_errors; i++) {
        qmp_assert_error(qmp_recv_answer(&f.c), "GenericError",
                         "JSON nesting depth limit exceeded");
    }
    /* closing them all: the '['s after the last error make an array (not
     * an object: one error), each ']' beyond is an error, and the next
     * request is read */
    g_string_truncate(s, 0);
    for (int i = 0; i < 100000; i++) {
        g_string_append(s, "]");
    }
    g_string_append(s, "{\"execute\": \"qmp_capabilities\", \"id\": 1}");
    extra_closes = depth_errors * 1025;
    g_assert_cmpuint(count_errors_until(&f.c, s->str, 1, "expecting value",
                                        "must be a JSON object"), ==,
                     extra_closes);
    /* QEMU's way to start afresh: a control character ends the value
     * (the pieces after the depth error are errors of their own) */
    g_string_truncate(s, 0);
    for (int i = 0; i < 1500; i++) {
        g_string_append(s, "{\"a\":");
    }
    g_string_append(s, "\x01{\"execute\": \"query-status\", \"id\": 2}");
    g_assert_cmpuint(count_errors_until(&f.c, s->str, 2, "JSON nesting depth "
                                        "limit exceeded", ""), ==, 1);
    g_string_free(s, true);
    fixture_end(&f);
}

static bool commands_has(JsonArray *cmds, const char *name)
{
    for (guint i = 0; i < json_array_get_length(cmds); i++) {
        JsonObject *o = json_array_get_object_element(cmds, i);
        if (!strcmp(json_object_get_string_member(o, "name"), name)) {
            return true;
        }
    }
    return false;
}

static void test_queries(void)
{
    bool kvm_target;
    static const char *const all[] = {
        "qmp_capabilities", "query-commands", "query-version",
        "query-status", "query-name", "query-target", "query-kvm",
        "query-machines", "query-chardev", "query-cpus-fast", "stop", "cont",
        "system_reset", "system_powerdown", "system_wakeup", "quit",
        "human-monitor-command", "query-qmp-schema", "qom-list-types",
        "device-list-properties", "qom-list-properties",
        "query-cpu-definitions", "query-cpu-model-expansion",
        "query-gic-capabilities", "query-migrate-capabilities",
        "query-command-line-options",
    };
    Fixture f = { 0 };
    JsonNode *a;
    JsonObject *o;
    JsonArray *arr;
    bool found_none = false, found_default = false, found_qmp = false;

    fixture_start(&f, NULL);
    qmp_negotiate(&f.c);

    a = qmp_cmd(&f.c, "{\"execute\": \"query-commands\"}");
    arr = json_node_get_array(qmp_return(a));
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++) {
        if (!commands_has(arr, all[i])) {
            g_error("query-commands lacks %s", all[i]);
        }
    }
    json_node_unref(a);

    a = qmp_cmd(&f.c, "{\"execute\": \"query-version\"}");
    o = json_node_get_object(qmp_return(a));
    g_assert_true(json_object_has_member(
        json_object_get_object_member(o, "qemu"), "major"));
    g_assert_nonnull(json_object_get_string_member(o, "package"));
    json_node_unref(a);

    a = qmp_cmd(&f.c, "{\"execute\": \"query-status\"}");
    o = json_node_get_object(qmp_return(a));
    g_assert_true(json_object_get_boolean_member(o, "running"));
    g_assert_cmpstr(json_object_get_string_member(o, "status"), ==,
                    "running");
    json_node_unref(a);

    qmp_assert_empty_return(qmp_cmd(&f.c, "{\"execute\": \"query-name\"}"));
    qmp_assert_empty_return(qmp_cmd(&f.c, "{\"execute\": \"system_wakeup\"}"));

    a = qmp_cmd(&f.c, "{\"execute\": \"query-target\"}");
    o = json_node_get_object(qmp_return(a));
    g_assert_true(!strcmp(json_object_get_string_member(o, "arch"),
                          "aarch64") ||
                  !strcmp(json_object_get_string_member(o, "arch"),
                          "x86_64"));
    json_node_unref(a);

    /* "present" as QEMU means it: this executable can use KVM (turtle's
     * KVM runs x86-64 guests on x86-64 hosts), whether /dev/kvm opens or
     * not */
    a = qmp_cmd(&f.c, "{\"execute\": \"query-target\"}");
    kvm_target = !strcmp(json_object_get_string_member(
        json_node_get_object(qmp_return(a)), "arch"), "x86_64");
    json_node_unref(a);
#ifndef __x86_64__
    kvm_target = false;
#endif
    a = qmp_cmd(&f.c, "{\"execute\": \"query-kvm\"}");
    o = json_node_get_object(qmp_return(a));
    g_assert_false(json_object_get_boolean_member(o, "enabled"));
    g_assert_cmpint(json_object_get_boolean_member(o, "present"), ==,
                    kvm_target);
    json_node_unref(a);

    a = qmp_cmd(&f.c, "{\"execute\": \"query-machines\"}");
    arr = json_node_get_array(qmp_return(a));
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        o = json_array_get_object_element(arr, i);
        g_assert_cmpint(json_object_get_int_member(o, "cpu-max"), >=, 1);
        if (!strcmp(json_object_get_string_member(o, "name"), "none")) {
            found_none = true;
        }
        found_default |= json_object_get_boolean_member(o, "is-default");
    }
    g_assert_true(found_none);
    g_assert_true(found_default);
    json_node_unref(a);

    a = qmp_cmd(&f.c, "{\"execute\": \"query-chardev\"}");
    arr = json_node_get_array(qmp_return(a));
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        o = json_array_get_object_element(arr, i);
        g_assert_nonnull(json_object_get_string_member(o, "filename"));
        if (!strcmp(json_object_get_string_member(o, "label"), "qmp0")) {
            found_qmp = true;
            g_assert_true(json_object_get_boolean_member(o, "frontend-open"));
        }
    }
    g_assert_true(found_qmp);
    json_node_unref(a);

    /* -M none has no CPU */
    a = qmp_cmd(&f.c, "{\"execute\": \"query-cpus-fast\"}");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(
        qmp_return(a))), ==, 0);
    json_node_unref(a);
    fixture_end(&f);
}

static void test_cpus_fast(void)
{
    Fixture f = { 0 };
    JsonNode *a;
    JsonArray *arr;

    fixture_start(&f, "-M virt -smp 2");
    qmp_negotiate(&f.c);
    a = qmp_cmd(&f.c, "{\"execute\": \"query-cpus-fast\"}");
    arr = json_node_get_array(qmp_return(a));
    g_assert_cmpuint(json_array_get_length(arr), ==, 2);
    for (guint i = 0; i < 2; i++) {
        JsonObject *o = json_array_get_object_element(arr, i);
        JsonObject *props = json_object_get_object_member(o, "props");
        g_assert_cmpint(json_object_get_int_member(o, "cpu-index"), ==, i);
        g_assert_cmpint(json_object_get_int_member(o, "thread-id"), >, 0);
        g_assert_nonnull(props);
        g_assert_cmpint(json_object_get_int_member(props, "core-id"), ==, i);
        g_assert_nonnull(json_object_get_string_member(o, "qom-type"));
    }
    json_node_unref(a);
    fixture_end(&f);
}

static void test_events(void)
{
    Fixture f = { 0 };
    JsonNode *a, *ev;
    JsonObject *data;

    fixture_start(&f, NULL);
    qmp_negotiate(&f.c);

    qmp_assert_empty_return(qmp_cmd(&f.c, "{\"execute\": \"stop\"}"));
    qmp_wait_event(&f.c, "STOP", &ev);
    json_node_unref(ev);
    a = qmp_cmd(&f.c, "{\"execute\": \"query-status\"}");
    g_assert_cmpstr(json_object_get_string_member(
        json_node_get_object(qmp_return(a)), "status"), ==, "paused");
    json_node_unref(a);

    qmp_assert_empty_return(qmp_cmd(&f.c, "{\"execute\": \"cont\"}"));
    qmp_wait_event(&f.c, "RESUME", &ev);
    json_node_unref(ev);

    qmp_assert_empty_return(qmp_cmd(&f.c, "{\"execute\": \"system_reset\"}"));
    data = qmp_wait_event(&f.c, "RESET", &ev);
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "host-qmp-system-reset");
    json_node_unref(ev);

    qmp_assert_empty_return(qmp_cmd(&f.c,
                                "{\"execute\": \"system_powerdown\"}"));
    qmp_wait_event(&f.c, "POWERDOWN", &ev);
    json_node_unref(ev);
    fixture_end(&f);
}

/* an array answer's element whose member key is value, or NULL */
static JsonObject *find_in(JsonArray *arr, const char *key, const char *value)
{
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *o = json_array_get_object_element(arr, i);
        if (json_object_has_member(o, key) &&
            !strcmp(json_object_get_string_member(o, key), value)) {
            return o;
        }
    }
    return NULL;
}

/*
 * What libvirt's capability probe asks (docs/running.md, "libvirt"): the
 * schema describes every command query-commands lists and every type it
 * names; the object types, properties, machines and CPU models are
 * turtle's own.
 */
static void test_probe(void)
{
    Fixture f = { 0 };
    JsonNode *a, *cmds;
    JsonArray *arr, *schema;
    JsonObject *o;
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
    bool arm;

    fixture_start(&f, NULL);
    qmp_negotiate(&f.c);
    a = qmp_cmd(&f.c, "{\"execute\": \"query-target\"}");
    arm = !strcmp(json_object_get_string_member(
        json_node_get_object(qmp_return(a)), "arch"), "aarch64");
    json_node_unref(a);

    /* the schema: every command, every type it refers to */
    a = qmp_cmd(&f.c, "{\"execute\": \"query-qmp-schema\"}");
    schema = json_node_get_array(qmp_return(a));
    for (guint i = 0; i < json_array_get_length(schema); i++) {
        o = json_array_get_object_element(schema, i);
        g_hash_table_add(names, (gpointer)json_object_get_string_member(o,
                                                                "name"));
    }
    for (guint i = 0; i < json_array_get_length(schema); i++) {
        static const char *const refs[] = { "arg-type", "ret-type",
                                            "element-type" };
        o = json_array_get_object_element(schema, i);
        for (size_t r = 0; r < G_N_ELEMENTS(refs); r++) {
            if (json_object_has_member(o, refs[r])) {
                const char *t = json_object_get_string_member(o, refs[r]);
                if (!g_hash_table_contains(names, t)) {
                    g_error("schema: %s of %s is %s, not described", refs[r],
                            json_object_get_string_member(o, "name"), t);
                }
            }
        }
        if (json_object_has_member(o, "members")) {
            JsonArray *m = json_object_get_array_member(o, "members");
            for (guint k = 0; k < json_array_get_length(m); k++) {
                const char *t = json_object_get_string_member(
                    json_array_get_object_element(m, k), "type");
                g_assert_true(g_hash_table_contains(names, t));
            }
        }
    }
    cmds = qmp_cmd(&f.c, "{\"execute\": \"query-commands\"}");
    arr = json_node_get_array(qmp_return(cmds));
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        const char *name = json_object_get_string_member(
            json_array_get_object_element(arr, i), "name");
        o = find_in(schema, "name", name);
        g_assert_nonnull(o);
        g_assert_cmpstr(json_object_get_string_member(o, "meta-type"), ==,
                        "command");
    }
    g_assert_nonnull(find_in(schema, "name", "STOP"));
    json_node_unref(cmds);
    json_node_unref(a);

    a = qmp_cmd(&f.c, "{\"execute\": \"qom-list-types\"}");
    arr = json_node_get_array(qmp_return(a));
    g_assert_nonnull(find_in(arr, "name", "tcg-accel"));
    if (arm) {
        g_assert_nonnull(find_in(arr, "name", "virt-machine"));
        g_assert_nonnull(find_in(arr, "name", "cortex-a57-arm-cpu"));
        g_assert_null(find_in(arr, "name", "pc-machine"));
    }
    json_node_unref(a);

    a = qmp_cmd(&f.c, "{\"execute\": \"device-list-properties\", "
                "\"arguments\": {\"typename\": \"pl011\"}}");
    g_assert_nonnull(find_in(json_node_get_array(qmp_return(a)), "name",
                             "chardev"));
    json_node_unref(a);
    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"device-list-properties\","
                             " \"arguments\": {\"typename\": \"nosuch\"}}"),
                     "DeviceNotFound", "Device 'nosuch' not found");

    /* a class turtle lacks: an empty list (libvirt 9.0 needs one) */
    a = qmp_cmd(&f.c, "{\"execute\": \"qom-list-properties\", "
                "\"arguments\": {\"typename\": \"memory-backend-file\"}}");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(
        qmp_return(a))), ==, 0);
    json_node_unref(a);

    a = qmp_cmd(&f.c, "{\"execute\": \"query-machines\"}");
    arr = json_node_get_array(qmp_return(a));
    if (arm) {
        o = find_in(arr, "name", "virt-7.2");
        g_assert_nonnull(o);
        g_assert_cmpstr(json_object_get_string_member(o, "alias"), ==, "virt");
        g_assert_cmpstr(json_object_get_string_member(o, "default-cpu-type"),
                        ==, "cortex-a57-arm-cpu");
        g_assert_cmpstr(json_object_get_string_member(o, "default-ram-id"),
                        ==, "mach-virt.ram");
        json_node_unref(a);
        a = qmp_cmd(&f.c, "{\"execute\": \"qom-list-properties\", "
                    "\"arguments\": {\"typename\": \"virt-machine\"}}");
        g_assert_nonnull(find_in(json_node_get_array(qmp_return(a)), "name",
                                 "gic-version"));
        json_node_unref(a);
        a = qmp_cmd(&f.c, "{\"execute\": \"query-gic-capabilities\"}");
        g_assert_cmpuint(json_array_get_length(json_node_get_array(
            qmp_return(a))), ==, 2);
    }
    json_node_unref(a);

    a = qmp_cmd(&f.c, "{\"execute\": \"query-cpu-definitions\"}");
    arr = json_node_get_array(qmp_return(a));
    g_assert_cmpuint(json_array_get_length(arr), >, 0);
    o = json_array_get_object_element(arr, 0);
    g_assert_true(g_str_has_prefix(json_object_get_string_member(o,
                                   "typename"),
                                   json_object_get_string_member(o, "name")));
    json_node_unref(a);

    qmp_assert_error(qmp_cmd(&f.c, "{\"execute\": \"query-cpu-model-expansion"
                             "\", \"arguments\": {\"type\": \"full\", "
                             "\"model\": {\"name\": \"host\"}}}"),
                     "GenericError", "The CPU type 'host' requires KVM");
    a = qmp_cmd(&f.c, "{\"execute\": \"query-cpu-model-expansion\", "
                "\"arguments\": {\"type\": \"static\", \"model\": "
                "{\"name\": \"max\"}}}");
    g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(
        json_node_get_object(qmp_return(a)), "model"), "name"), ==, "max");
    json_node_unref(a);

    /* the command line's key=value options, under QEMU's list names */
    a = qmp_cmd(&f.c, "{\"execute\": \"query-command-line-options\"}");
    arr = json_node_get_array(qmp_return(a));
    o = find_in(arr, "option", "name");
    g_assert_nonnull(o);
    g_assert_nonnull(find_in(json_object_get_array_member(o, "parameters"),
                             "name", "debug-threads"));
    g_assert_nonnull(find_in(arr, "option", "smp-opts"));
    json_node_unref(a);

    a = qmp_cmd(&f.c, "{\"execute\": \"query-migrate-capabilities\"}");
    g_assert_true(JSON_NODE_HOLDS_ARRAY(qmp_return(a)));
    json_node_unref(a);
    fixture_end(&f);
}

static void test_hmp(void)
{
    Fixture f = { 0 };
    JsonNode *a;
    const char *out;

    fixture_start(&f, NULL);
    qmp_negotiate(&f.c);
    a = qmp_cmd(&f.c, "{\"execute\": \"human-monitor-command\", "
                "\"arguments\": {\"command-line\": \"info status\"}}");
    out = json_node_get_string(qmp_return(a));
    g_assert_cmpstr(out, ==, "VM status: running\r\n");      /* QEMU's */
    json_node_unref(a);

    a = qmp_cmd(&f.c, "{\"execute\": \"human-monitor-command\", "
                "\"arguments\": {\"command-line\": \"no-such-thing\"}}");
    g_assert_nonnull(strstr(json_node_get_string(qmp_return(a)),
                            "unknown command"));
    json_node_unref(a);

    /* HMP stop is seen over QMP as STOP */
    a = qmp_cmd(&f.c, "{\"execute\": \"human-monitor-command\", "
                "\"arguments\": {\"command-line\": \"stop\"}}");
    g_assert_cmpstr(json_node_get_string(qmp_return(a)), ==, "");
    json_node_unref(a);
    a = qmp_cmd(&f.c, "{\"execute\": \"human-monitor-command\", "
                "\"arguments\": {\"command-line\": \"info status\"}}");
    g_assert_cmpstr(json_node_get_string(qmp_return(a)), ==,
                    "VM status: paused\r\n");
    json_node_unref(a);
    fixture_end(&f);
}

/*
 * RTC_CHANGE when the guest sets its clock (the PL031's LR on virt),
 * rate-limited as in QEMU: the first at once, then at most one per second
 * carrying the latest offset.
 */
static void test_rtc_change_throttled(void)
{
    Fixture f = { 0 };
    JsonNode *ev;
    JsonObject *data;
    gint64 t0, elapsed_us, last = 0;
    int64_t now = g_get_real_time() / G_USEC_PER_SEC;
    int events = 0;

    fixture_start(&f, "-M virt");
    qmp_negotiate(&f.c);
    t0 = g_get_monotonic_time();
    for (int i = 0; i < 50; i++) {
        qtest_writel(f.qts, 0x09010008, now + 1000 + i);   /* PL031 LR */
    }
    elapsed_us = g_get_monotonic_time() - t0;
    data = qmp_wait_event(&f.c, "RTC_CHANGE", &ev);
    g_assert_cmpint(llabs(json_object_get_int_member(data, "offset") - 1000),
                    <=, 2);
    json_node_unref(ev);
    events++;
    /* the held-back ones: the last carries the last offset */
    while (last < 1000 + 49 - 2) {
        data = qmp_wait_event(&f.c, "RTC_CHANGE", &ev);
        last = json_object_get_int_member(data, "offset");
        json_node_unref(ev);
        events++;
    }
    g_assert_cmpint(llabs(last - (1000 + 49)), <=, 2);
    /* one per second at most, whatever the load made the loop take */
    g_assert_cmpint(events, <=, 2 + elapsed_us / G_USEC_PER_SEC);
    fixture_end(&f);
}

/* quit: the answer, then SHUTDOWN, then the process exits with 0. */
static void test_quit(void)
{
    Fixture f = { 0 };
    JsonNode *ev;
    JsonObject *data;

    fixture_start(&f, NULL);
    qmp_negotiate(&f.c);
    qmp_assert_empty_return(qmp_cmd(&f.c, "{\"execute\": \"quit\"}"));
    data = qmp_wait_event(&f.c, "SHUTDOWN", &ev);
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "host-qmp-quit");
    json_node_unref(ev);
    /* end of file: the process is gone */
    ev = qmp_recv(&f.c);
    if (ev) {
        g_error("after SHUTDOWN: %s", json_to_string(ev, false));
    }
    qmp_client_close(&f.c);
    qtest_quit(f.qts);      /* fails the test on a non-zero exit */
    f.qts = NULL;
    fixture_end(&f);
}

/* Two -qmp monitors, each negotiating on its own; events reach both.
 * The second listens (server=on): a client that reconnects is greeted
 * again and must qmp_negotiate again. */
static void test_two_monitors_reconnect(void)
{
    Fixture f = { 0 };
    g_autofree char *dir = g_dir_make_tmp("qmp-test-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "qmp2.sock", NULL);
    g_autofree char *extra = g_strdup_printf(
        "-qmp unix:%s,server=on,wait=off", path);
    QMPClient c2 = { .fd = -1 };
    JsonNode *ev;

    fixture_start(&f, extra);
    c2.fd = qmp_unix_connect(path);
    c2.rx = g_string_new(NULL);
    qmp_assert_greeting(&c2);

    /* negotiating on one does not qmp_negotiate the other */
    qmp_negotiate(&f.c);
    qmp_assert_error(qmp_cmd(&c2, "{\"execute\": \"query-status\"}"),
                 "CommandNotFound", "qmp_capabilities");
    qmp_negotiate(&c2);

    qmp_assert_empty_return(qmp_cmd(&f.c, "{\"execute\": \"stop\"}"));
    qmp_wait_event(&f.c, "STOP", &ev);
    json_node_unref(ev);
    qmp_wait_event(&c2, "STOP", &ev);
    json_node_unref(ev);

    /* reconnect: fresh greeting, negotiation needed again */
    qmp_client_close(&c2);
    c2.fd = qmp_unix_connect(path);
    c2.rx = g_string_new(NULL);
    qmp_assert_greeting(&c2);
    qmp_assert_error(qmp_cmd(&c2, "{\"execute\": \"cont\"}"),
                 "CommandNotFound", "qmp_capabilities");
    qmp_negotiate(&c2);
    qmp_assert_empty_return(qmp_cmd(&c2, "{\"execute\": \"cont\"}"));
    qmp_wait_event(&c2, "RESUME", &ev);
    json_node_unref(ev);
    qmp_wait_event(&f.c, "RESUME", &ev);
    json_node_unref(ev);

    qmp_client_close(&c2);
    fixture_end(&f);
    unlink(path);
    rmdir(dir);
}

/* $TURTLE_BINARIES entry for arch, or NULL. */
static char *find_binary(const char *arch)
{
    const char *list = getenv("TURTLE_BINARIES");
    g_auto(GStrv) bins = list ? g_strsplit(list, ":", -1) : NULL;

    for (int i = 0; bins && bins[i]; i++) {
        if (g_str_has_suffix(bins[i], arch)) {
            return g_strdup(bins[i]);
        }
    }
    return NULL;
}

/* A guest reset (the i8042's pulse on the pc board) is a RESET with
 * guest true; with -no-reboot it becomes a SHUTDOWN and the exit. */
static void test_guest_reset(void)
{
    g_autofree char *x86 = find_binary("x86_64");
    g_autofree char *saved = g_strdup(getenv("TURTLE_BINARY"));
    Fixture f = { 0 };
    JsonNode *ev;
    JsonObject *data;

    if (!x86) {
        g_test_skip("no x86_64 executable in $TURTLE_BINARIES");
        return;
    }
    g_setenv("TURTLE_BINARY", x86, true);

    fixture_start(&f, "-M pc -m 64");
    qmp_negotiate(&f.c);
    qtest_outb(f.qts, 0x64, 0xfe);
    data = qmp_wait_event(&f.c, "RESET", &ev);
    g_assert_true(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "guest-reset");
    json_node_unref(ev);
    fixture_end(&f);

    memset(&f, 0, sizeof(f));
    fixture_start(&f, "-M pc -m 64 -no-reboot");
    qmp_negotiate(&f.c);
    qtest_outb(f.qts, 0x64, 0xfe);
    data = qmp_wait_event(&f.c, "SHUTDOWN", &ev);
    g_assert_true(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "guest-reset");
    json_node_unref(ev);
    g_assert_null(qmp_recv(&f.c));
    fixture_end(&f);

    if (saved) {
        g_setenv("TURTLE_BINARY", saved, true);
    } else {
        g_unsetenv("TURTLE_BINARY");
    }
}

/*
 * A guest power-off: a 5-instruction arm64 "Image" calls PSCI SYSTEM_OFF
 * through HVC.  This runs under TCG (no qtest: the CPU must execute), so
 * the test starts turtle itself, with -S so that it can qmp_negotiate first.
 */
static void write_poweroff_image(const char *path)
{
    static const uint32_t code[] = {
        0xd2800100,     /* movz x0, #0x0008 */
        0xf2b08000,     /* movk x0, #0x8400, lsl #16: SYSTEM_OFF */
        0xd4000002,     /* hvc #0 */
        0x14000000,     /* b . */
    };
    uint8_t img[0x100] = { 0 };

    img[0] = 0x10; img[3] = 0x14;       /* code0: b +0x40 */
    img[0x10] = 0x00; img[0x11] = 0x10; /* image_size 0x1000 (text_offset 0) */
    memcpy(img + 0x38, "ARM\x64", 4);
    memcpy(img + 0x40, code, sizeof(code));     /* little-endian host */
    g_assert_true(g_file_set_contents(path, (char *)img, sizeof(img), NULL));
}

static int wait_exit(GPid pid)
{
    gint64 deadline = g_get_monotonic_time() + QMP_TIMEOUT_MS * 1000LL;
    int status;

    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (g_get_monotonic_time() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            g_error("turtle did not exit");
        }
        g_usleep(20 * 1000);
    }
    g_assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void run_guest_poweroff(bool no_shutdown)
{
    g_autofree char *dir = g_dir_make_tmp("qmp-test-XXXXXX", NULL);
    g_autofree char *img = g_build_filename(dir, "poweroff.img", NULL);
    g_autofree char *sock = g_build_filename(dir, "qmp.sock", NULL);
    g_autofree char *qmp_arg = g_strdup_printf("unix:%s", sock);
    const char *argv[] = {
        qtest_binary(), "-M", "virt", "-m", "64", "-accel", "tcg",
        "-display", "none", "-nodefaults", "-S", "-kernel", img,
        "-qmp", qmp_arg,
        no_shutdown ? "-no-shutdown" : NULL,   /* last: NULL ends argv */
        NULL,
    };
    QMPClient c = { .fd = -1 };
    GError *err = NULL;
    JsonNode *ev, *a;
    JsonObject *data;
    GPid pid;
    int lfd;

    write_poweroff_image(img);
    lfd = qtest_socket_server(sock);
    if (!g_spawn_async(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                       NULL, NULL, &pid, &err)) {
        g_error("cannot start turtle: %s", err->message);
    }
    c.fd = qtest_socket_accept(lfd);
    g_assert_cmpint(c.fd, >=, 0);
    close(lfd);
    c.rx = g_string_new(NULL);
    qmp_assert_greeting(&c);
    qmp_negotiate(&c);
    a = qmp_cmd(&c, "{\"execute\": \"query-status\"}");
    g_assert_cmpstr(json_object_get_string_member(
        json_node_get_object(qmp_return(a)), "status"), ==, "prelaunch");
    json_node_unref(a);
    qmp_assert_empty_return(qmp_cmd(&c, "{\"execute\": \"cont\"}"));
    qmp_wait_event(&c, "RESUME", &ev);
    json_node_unref(ev);
    data = qmp_wait_event(&c, "SHUTDOWN", &ev);
    g_assert_true(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "guest-shutdown");
    json_node_unref(ev);
    if (no_shutdown) {
        /* kept: STOP follows, and cont needs a reset first */
        qmp_wait_event(&c, "STOP", &ev);
        json_node_unref(ev);
        a = qmp_cmd(&c, "{\"execute\": \"query-status\"}");
        g_assert_cmpstr(json_object_get_string_member(
            json_node_get_object(qmp_return(a)), "status"), ==, "shutdown");
        json_node_unref(a);
        qmp_assert_error(qmp_cmd(&c, "{\"execute\": \"cont\"}"),
                     "GenericError", "Reset");
        qmp_assert_empty_return(qmp_cmd(&c, "{\"execute\": \"quit\"}"));
        data = qmp_wait_event(&c, "SHUTDOWN", &ev);
        g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                        "host-qmp-quit");
        json_node_unref(ev);
    }
    /* the process exits: end of file, nothing after SHUTDOWN */
    ev = qmp_recv(&c);
    if (ev) {
        g_error("after SHUTDOWN: %s", json_to_string(ev, false));
    }
    g_assert_cmpint(wait_exit(pid), ==, 0);
    qmp_client_close(&c);
    unlink(img);
    unlink(sock);
    rmdir(dir);
}

static void test_guest_poweroff(void)
{
    run_guest_poweroff(false);
}

static void test_guest_poweroff_kept(void)
{
    run_guest_poweroff(true);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    signal(SIGPIPE, SIG_IGN);
    g_test_add_func("/qmp/negotiation", test_negotiation);
    g_test_add_func("/qmp/bad-input", test_bad_input);
    g_test_add_func("/qmp/deep-nesting", test_deep_nesting);
    g_test_add_func("/qmp/queries", test_queries);
    g_test_add_func("/qmp/probe", test_probe);
    g_test_add_func("/qmp/query-cpus-fast", test_cpus_fast);
    g_test_add_func("/qmp/events", test_events);
    g_test_add_func("/qmp/human-monitor-command", test_hmp);
    g_test_add_func("/qmp/quit", test_quit);
    g_test_add_func("/qmp/rtc-change-throttled", test_rtc_change_throttled);
    g_test_add_func("/qmp/two-monitors-reconnect",
                   test_two_monitors_reconnect);
    g_test_add_func("/qmp/guest-reset", test_guest_reset);
    g_test_add_func("/qmp/guest-poweroff", test_guest_poweroff);
    g_test_add_func("/qmp/guest-poweroff-no-shutdown",
                    test_guest_poweroff_kept);
    return g_test_run();
}
