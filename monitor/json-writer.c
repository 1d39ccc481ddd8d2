/*
 * QMP's output text, byte for byte as QEMU writes it, so that scripts that
 * match on it ('"return": {}') keep working: ", " and ": " separators,
 * strings with every non-ASCII or control character escaped as \uXXXX
 * (upper-case hex, surrogate pairs above U+FFFF), numbers as %.17g; the
 * pretty form indents by 4 and breaks lines with CR LF, an empty object or
 * array included ("{" CR LF indent "}").
 */
#include "turtle/osdep.h"
#include "monitor/qmp-internal.h"

static void json_write_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        switch (c) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        case '\b':
            g_string_append(out, "\\b");
            break;
        case '\f':
            g_string_append(out, "\\f");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        case '\t':
            g_string_append(out, "\\t");
            break;
        default:
            if (c >= 0x20 && c < 0x7f) {
                g_string_append_c(out, c);
            } else if (c < 0x10000) {
                g_string_append_printf(out, "\\u%04X", c);
            } else {
                c -= 0x10000;
                g_string_append_printf(out, "\\u%04X\\u%04X",
                                       0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
            }
            break;
        }
    }
    g_string_append_c(out, '"');
}

static void json_newline(GString *out, bool pretty, int level)
{
    if (pretty) {
        g_string_append(out, "\r\n");
        for (int i = 0; i < level; i++) {
            g_string_append(out, "    ");
        }
    }
}

static void json_write(GString *out, JsonNode *n, bool pretty, int level)
{
    switch (json_node_get_node_type(n)) {
    case JSON_NODE_OBJECT: {
        g_autoptr(GList) members =
            json_object_get_members(json_node_get_object(n));
        JsonObject *o = json_node_get_object(n);

        g_string_append_c(out, '{');
        for (GList *l = members; l; l = l->next) {
            json_newline(out, pretty, level + 1);
            json_write_string(out, l->data);
            g_string_append(out, ": ");
            json_write(out, json_object_get_member(o, l->data), pretty,
                       level + 1);
            if (l->next) {
                g_string_append(out, pretty ? "," : ", ");
            }
        }
        json_newline(out, pretty, level);
        g_string_append_c(out, '}');
        break;
    }
    case JSON_NODE_ARRAY: {
        JsonArray *a = json_node_get_array(n);
        guint len = json_array_get_length(a);

        g_string_append_c(out, '[');
        for (guint i = 0; i < len; i++) {
            json_newline(out, pretty, level + 1);
            json_write(out, json_array_get_element(a, i), pretty, level + 1);
            if (i + 1 < len) {
                g_string_append(out, pretty ? "," : ", ");
            }
        }
        json_newline(out, pretty, level);
        g_string_append_c(out, ']');
        break;
    }
    case JSON_NODE_NULL:
        g_string_append(out, "null");
        break;
    case JSON_NODE_VALUE:
        switch (json_node_get_value_type(n)) {
        case G_TYPE_STRING:
            json_write_string(out, json_node_get_string(n));
            break;
        case G_TYPE_BOOLEAN:
            g_string_append(out, json_node_get_boolean(n) ? "true" : "false");
            break;
        case G_TYPE_DOUBLE: {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.17g",
                                                 json_node_get_double(n)));
            break;
        }
        default:
            g_string_append_printf(out, "%" G_GINT64_FORMAT,
                                   json_node_get_int(n));
            break;
        }
        break;
    }
}

char *qmp_json_line(JsonNode *node, bool pretty)
{
    GString *out = g_string_new(NULL);

    json_write(out, node, pretty, 0);
    g_string_append(out, "\r\n");
    return g_string_free(out, false);
}
