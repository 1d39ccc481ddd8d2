/*
 * QMP's output text, byte for byte as QEMU writes it, so that scripts that
 * match on it ('"return": {}') keep working: ", " and ": " separators,
 * strings with every non-ASCII or control character escaped as \uXXXX
 * (upper-case hex, surrogate pairs above U+FFFF, U+FFFD for each invalid
 * sequence as QEMU decodes them), numbers as %.17g; the
 * pretty form indents by 4 and breaks lines with CR LF, an empty object or
 * array included ("{" CR LF indent "}").  Object members come in the
 * order QEMU's dictionaries list them (qmp_members_qemu_order()); U+0000,
 * stored as C0 80 as QEMU does, is written \u0000.
 */
#include "turtle/osdep.h"
#include "monitor/qmp-internal.h"
#include "monitor/json-stream.h"

/*
 * QEMU keeps a JSON object in a hash table of 512 buckets and lists its
 * members bucket by bucket, the last one added first within a bucket;
 * the hash is the TDB string hash.  Its replies therefore list members in
 * an order that depends on the names only ({"id": 1, "error": ...} but
 * {"return": {}, "id": 1}), and clients and tests that compare text see
 * that order.  Objects here keep insertion order, which is QEMU's order
 * of insertion too (its schema's), so only the buckets need sorting.
 */
#define QEMU_DICT_BUCKETS 512

static unsigned qemu_dict_bucket(const char *key)
{
    size_t len = strlen(key);
    uint32_t h = 0x238F13AFu * (uint32_t)len;

    for (size_t i = 0; i < len; i++) {
        h += (uint32_t)(uint8_t)key[i] << (i * 5 % 24);
    }
    return (1103515243u * h + 12345u) % QEMU_DICT_BUCKETS;
}

typedef struct MemberRank {
    const char *name;
    unsigned bucket;
    unsigned pos;
} MemberRank;

static gint member_rank_cmp(gconstpointer a, gconstpointer b)
{
    const MemberRank *x = a, *y = b;

    if (x->bucket != y->bucket) {
        return x->bucket < y->bucket ? -1 : 1;
    }
    return x->pos > y->pos ? -1 : x->pos < y->pos;  /* newest first */
}

GList *qmp_members_qemu_order(JsonObject *o)
{
    g_autoptr(GList) members = json_object_get_members(o);
    guint n = g_list_length(members), i = 0;
    g_autofree MemberRank *rank = g_new(MemberRank, n ? n : 1);
    GList *sorted = NULL;

    for (GList *l = members; l; l = l->next, i++) {
        rank[i] = (MemberRank){ l->data, qemu_dict_bucket(l->data), i };
    }
    qsort(rank, n, sizeof(*rank), member_rank_cmp);
    while (n--) {
        sorted = g_list_prepend(sorted, (gpointer)rank[n].name);
    }
    return sorted;
}

static void json_write_string(GString *out, const char *s)
{
    const char *next;

    g_string_append_c(out, '"');
    for (const char *p = s; *p; p = next) {
        int cp = json_utf8_codepoint(p, &next);
        gunichar c = cp < 0 ? 0xfffd : cp;      /* as QEMU: one per error */

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
            qmp_members_qemu_order(json_node_get_object(n));
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
