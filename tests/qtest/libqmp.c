/*
 * libqmp: see libqmp.h.
 */
#include "libqmp.h"
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

void qmp_client_init(QMPClient *c, int fd)
{
    c->fd = fd;
    c->rx = g_string_new(NULL);
    g_queue_init(&c->events);
}

char *qmp_hmp(QMPClient *c, const char *cmdline)
{
    JsonBuilder *b = json_builder_new();
    JsonNode *req, *a;
    char *text, *out;

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "execute");
    json_builder_add_string_value(b, "human-monitor-command");
    json_builder_set_member_name(b, "arguments");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "command-line");
    json_builder_add_string_value(b, cmdline);
    json_builder_end_object(b);
    json_builder_end_object(b);
    req = json_builder_get_root(b);
    g_object_unref(b);
    text = json_to_string(req, false);
    json_node_unref(req);
    a = qmp_cmd(c, text);
    g_free(text);
    out = g_strdup(json_node_get_string(qmp_return(a)));
    json_node_unref(a);
    /* lines end in CR LF, as QEMU's: every line, and nothing else */
    for (char *p = out, *q = out; ; p++) {
        if (*p == '\n') {
            g_assert(q > out && q[-1] == '\r');
            q[-1] = '\n';
            continue;
        }
        *q++ = *p;
        if (!*p) {
            break;
        }
    }
    return out;
}

/* The end of the next message in rx: the end of its line, or for the
 * pretty form ("{" alone on a line) the end of the "}" line. */
static char *qmp_message_end(GString *rx)
{
    char *nl = strchr(rx->str, '\n');

    if (nl && (!strncmp(rx->str, "{\r\n", 3) || !strncmp(rx->str, "{\n", 2))) {
        char *close = strstr(rx->str, "\n}\r\n");
        return close ? close + 3 : NULL;
    }
    return nl;
}

/* One message from the monitor, parsed; NULL on timeout or end of file.
 * Free with json_node_unref. */
JsonNode *qmp_recv(QMPClient *c)
{
    gint64 deadline = g_get_monotonic_time() + QMP_TIMEOUT_MS * 1000LL;
    char *nl;

    while (!(nl = qmp_message_end(c->rx))) {
        char buf[4096];
        int left = (deadline - g_get_monotonic_time()) / 1000;
        struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
        ssize_t n;

        if (left <= 0 || poll(&pfd, 1, left) <= 0) {
            return NULL;
        }
        n = read(c->fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return NULL;
        }
        g_string_append_len(c->rx, buf, n);
    }
    {
        g_autofree char *line = g_strndup(c->rx->str, nl - c->rx->str);
        g_autoptr(JsonParser) p = json_parser_new();
        GError *err = NULL;

        g_string_erase(c->rx, 0, nl - c->rx->str + 1);
        if (!json_parser_load_from_data(p, line, -1, &err)) {
            g_error("QMP sent bad JSON '%s': %s", line, err->message);
        }
        g_assert_true(JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)));
        return json_node_copy(json_parser_get_root(p));
    }
}

void qmp_send_raw(QMPClient *c, const char *text)
{
    size_t len = strlen(text), off = 0;

    while (off < len) {
        ssize_t n = write(c->fd, text + off, len - off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        g_assert_cmpint(n, >, 0);
        off += n;
    }
}

/* The next answer (events before it are queued for qmp_wait_event). */
JsonNode *qmp_recv_answer(QMPClient *c)
{
    for (;;) {
        JsonNode *n = qmp_recv(c);
        g_assert_nonnull(n);
        if (!json_object_has_member(json_node_get_object(n), "event")) {
            return n;
        }
        g_queue_push_tail(&c->events, n);
    }
}

JsonNode *qmp_cmd(QMPClient *c, const char *text)
{
    qmp_send_raw(c, text);
    return qmp_recv_answer(c);
}

/* The "return" member of the answer (asserting there is one); the node
 * stays owned by *answer. */
JsonNode *qmp_return(JsonNode *answer)
{
    JsonObject *o = json_node_get_object(answer);

    if (!json_object_has_member(o, "return")) {
        g_error("expected a return, got %s", json_to_string(answer, false));
    }
    return json_object_get_member(o, "return");
}

void qmp_assert_error(JsonNode *answer, const char *cls,
                         const char *desc_part)
{
    JsonObject *o = json_node_get_object(answer);
    JsonObject *e;

    if (!json_object_has_member(o, "error")) {
        g_error("expected an error, got %s", json_to_string(answer, false));
    }
    e = json_object_get_object_member(o, "error");
    g_assert_cmpstr(json_object_get_string_member(e, "class"), ==, cls);
    if (desc_part &&
        !strstr(json_object_get_string_member(e, "desc"), desc_part)) {
        g_error("error '%s' lacks '%s'",
                json_object_get_string_member(e, "desc"), desc_part);
    }
    json_node_unref(answer);
}

void qmp_assert_empty_return(JsonNode *answer)
{
    JsonNode *r = qmp_return(answer);

    g_assert_true(JSON_NODE_HOLDS_OBJECT(r));
    g_assert_cmpuint(json_object_get_size(json_node_get_object(r)), ==, 0);
    json_node_unref(answer);
}

void qmp_assert_greeting(QMPClient *c)
{
    JsonNode *g = qmp_recv(c);
    JsonObject *q;

    g_assert_nonnull(g);
    q = json_object_get_object_member(json_node_get_object(g), "QMP");
    g_assert_nonnull(q);
    g_assert_true(json_object_has_member(q, "version"));
    g_assert_true(json_object_has_member(
        json_object_get_object_member(q, "version"), "qemu"));
    g_assert_true(JSON_NODE_HOLDS_ARRAY(
        json_object_get_member(q, "capabilities")));
    json_node_unref(g);
}

void qmp_negotiate(QMPClient *c)
{
    qmp_assert_empty_return(qmp_cmd(c, "{\"execute\": \"qmp_capabilities\"}"));
}

/* Wait for an event by name and return its "data" (owned by *ev). */
JsonObject *qmp_wait_event(QMPClient *c, const char *name, JsonNode **ev)
{
    for (;;) {
        JsonNode *n = g_queue_is_empty(&c->events) ? qmp_recv(c) :
                      g_queue_pop_head(&c->events);
        JsonObject *o, *ts;

        if (!n) {
            g_error("no %s event", name);
        }
        o = json_node_get_object(n);
        if (!json_object_has_member(o, "event")) {
            json_node_unref(n);
            continue;
        }
        if (strcmp(json_object_get_string_member(o, "event"), name)) {
            json_node_unref(n);
            continue;
        }
        ts = json_object_get_object_member(o, "timestamp");
        g_assert_nonnull(ts);
        g_assert_cmpint(json_object_get_int_member(ts, "seconds"), >, 0);
        g_assert_cmpint(json_object_get_int_member(ts, "microseconds"), >=, 0);
        g_assert_cmpint(json_object_get_int_member(ts, "microseconds"), <,
                        1000000);
        g_assert_true(json_object_has_member(o, "data"));
        *ev = n;
        return json_object_get_object_member(o, "data");
    }
}

int qmp_unix_connect(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    gint64 deadline = g_get_monotonic_time() + QMP_TIMEOUT_MS * 1000LL;

    g_assert_cmpuint(strlen(path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    for (;;) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        g_assert_cmpint(fd, >=, 0);
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
            return fd;
        }
        close(fd);
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_usleep(20 * 1000);
    }
}

void qmp_client_close(QMPClient *c)
{
    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
    if (c->rx) {
        g_string_free(c->rx, true);
        c->rx = NULL;
    }
    g_queue_clear_full(&c->events, (GDestroyNotify)json_node_unref);
}

