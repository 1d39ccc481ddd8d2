/*
 * monitor/json-stream.c: values split anywhere, QEMU's syntax extensions,
 * one error per malformed value with the reader going on after it, and
 * the depth, token and size limits (a 100,000-deep nesting once crashed
 * the QMP monitor through a recursive parser).
 */
#include "turtle/osdep.h"
#include "monitor/json-stream.h"
#include "monitor/qmp-internal.h"

typedef struct Sink {
    GPtrArray *out;     /* "V:<json>" or "E:<error>" per emit */
    int stop_after;     /* emits before asking to stop (-1: never) */
} Sink;

static bool sink_emit(void *opaque, JsonNode *value, const char *error)
{
    Sink *s = opaque;

    if (value) {
        g_autofree char *j = json_to_string(value, false);
        g_ptr_array_add(s->out, g_strconcat("V:", j, NULL));
        json_node_unref(value);
    } else {
        g_ptr_array_add(s->out, g_strconcat("E:", error, NULL));
    }
    return s->stop_after < 0 || (int)s->out->len < s->stop_after;
}

static Sink *sink_new(void)
{
    Sink *s = g_new0(Sink, 1);

    s->out = g_ptr_array_new_with_free_func(g_free);
    s->stop_after = -1;
    return s;
}

static void sink_free(Sink *s)
{
    g_ptr_array_free(s->out, true);
    g_free(s);
}

/* Feed text in one go and return what came out, joined by '|'. */
static char *run_len(const char *text, size_t len)
{
    Sink *s = sink_new();
    JsonStream *js = json_stream_new(sink_emit, s);
    char *r;

    g_assert_cmpuint(json_stream_feed(js, (const uint8_t *)text, len), ==,
                     len);
    g_ptr_array_add(s->out, NULL);
    r = g_strjoinv("|", (char **)s->out->pdata);
    json_stream_free(js);
    sink_free(s);
    return r;
}

static char *run(const char *text)
{
    return run_len(text, strlen(text));
}

/* The same, one byte at a time: the result must not depend on chunking. */
static char *run_bytewise(const char *text)
{
    Sink *s = sink_new();
    JsonStream *js = json_stream_new(sink_emit, s);
    char *r;

    for (size_t i = 0; text[i]; i++) {
        json_stream_feed(js, (const uint8_t *)text + i, 1);
    }
    g_ptr_array_add(s->out, NULL);
    r = g_strjoinv("|", (char **)s->out->pdata);
    json_stream_free(js);
    sink_free(s);
    return r;
}

static void check(const char *text, const char *expect)
{
    g_autofree char *whole = run(text);
    g_autofree char *bytes = run_bytewise(text);

    g_assert_cmpstr(whole, ==, expect);
    g_assert_cmpstr(bytes, ==, expect);
}

static void test_values(void)
{
    check("{\"execute\": \"query-status\"}",
          "V:{\"execute\":\"query-status\"}");
    check("  {\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false} {}",
          "V:{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false}|V:{}");
    check("[][]", "V:[]|V:[]");
    check("\"str\" ", "V:\"str\"");
    check("-12 0 3.5 1e3 ", "V:-12|V:0|V:3.5|V:1000.0");
    /* larger than int64: a double, as QEMU */
    check("18446744073709551616 ", "V:1.8446744073709552e+19");
    check("true null ", "V:true|V:null");
}

static void test_strings(void)
{
    check("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"]",
          "V:[\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\"]");
    /* QEMU's single-quoted strings, with \' */
    check("{'execute': 'it\\'s'}", "V:{\"execute\":\"it's\"}");
    check("[\"\\u00e9\\ud83d\\ude00\"]", "V:[\"\xc3\xa9\xf0\x9f\x98\x80\"]");
    check("[\"\xc3\xa9\"]", "V:[\"\xc3\xa9\"]");
    check("[\"\\ud83d\"] {}", "E:JSON parse error, \\ud83d is not a valid "
          "Unicode character|V:{}");
    check("[\"\\uD83Dx\"] {}", "E:JSON parse error, \\uD83D is not a valid "
          "Unicode character|V:{}");
    check("[\"\\ud83d\\u0041\"] {}", "E:JSON parse error, \\ud83d is not a "
          "valid Unicode character|V:{}");
    check("[\"\\u12g4\"] {}", "E:JSON parse error, \\u12g4 is not a valid "
          "Unicode character|V:{}");
    /* U+0000 is kept as QEMU keeps it, as C0 80 (modified UTF-8), which
     * is also accepted as it is */
    check("[\"\\u0000\"] {}", "V:[\"\xc0\x80\"]|V:{}");
    check("[\"\xc0\x80\"] {}", "V:[\"\xc0\x80\"]|V:{}");
    /* noncharacters are not valid, as in QEMU */
    check("[\"\\uffff\"] {}", "E:JSON parse error, \\uffff is not a valid "
          "Unicode character|V:{}");
    check("[\"\xef\xbf\xbf\"] {}",
          "E:JSON parse error, invalid UTF-8 sequence in string|V:{}");
    check("[\"\\ude00\"] {}", "E:JSON parse error, \\ude00 is not a valid "
          "Unicode character|V:{}");
    check("[\"\xc3\x28\"] {}",
          "E:JSON parse error, invalid UTF-8 sequence in string|V:{}");
    check("[\"\x80\"] {}",
          "E:JSON parse error, invalid UTF-8 sequence in string|V:{}");
    /* the error shows the byte as sent (the QMP writer shows U+FFFD) */
    check("[1, \xff {}", "E:JSON parse error, stray '\xff'|V:{}");
}

static void test_errors(void)
{
    /* each malformed value: one error, and the next one is read */
    check("{\"execute\": } {}", "E:JSON parse error, expecting value|V:{}");
    check("{\"a\" 1} {}", "E:JSON parse error, missing : in object pair|V:{}");
    check("{1: 2} {}", "E:JSON parse error, key is not a string in object|"
          "V:{}");
    check("{\"a\":1,} {}", "E:JSON parse error, expecting value|V:{}");
    check("[1 2] {}", "E:JSON parse error, expected separator in list|V:{}");
    check("{\"a\":1 \"b\":2} {}",
          "E:JSON parse error, expected separator in dict|V:{}");
    check("[1} {}", "E:JSON parse error, expected separator in list|V:{}");
    check("{\"a\":1,\"a\":2} {}", "E:JSON parse error, duplicate key|V:{}");
    check("[qux] {}", "E:JSON parse error, invalid keyword 'qux'|V:{}");
    check("[1e999] {}",
          "E:JSON parse error, number '1e999' is out of range|V:{}");
    check("} {}", "E:JSON parse error, expecting value|V:{}");
    check("@ {}", "E:JSON parse error, stray '@'|V:{}");
    /* after a bad token the value is dropped: what follows is read as
     * new values, as QEMU does (its ']' is one more error) */
    check("[-x] {}", "E:JSON parse error, stray '-x'|"
          "E:JSON parse error, expecting value|V:{}");
    check("[\"a\\q\", 1] {}",
          "E:JSON parse error, invalid escape sequence in string|V:{}");
    check("[01] {}", "E:JSON parse error, stray '01'|"
          "E:JSON parse error, expecting value|V:{}");
    check("[1.] {}", "E:JSON parse error, stray '1.]'|V:{}");
    check("[True] {}", "E:JSON parse error, stray 'T'|"
          "E:JSON parse error, expecting value|V:{}");
    /* a bad token deep inside: reading resumes at the next structural
     * character, each piece left an error or a value of its own (QEMU's
     * answers, checked with tests/functional/qmp-compare.py) */
    check("{\"a\": [1, {\"b\": @@@}, 2], \"c\": 3} {\"ok\": 1}",
          "E:JSON parse error, stray '@'|E:JSON parse error, expecting value|"
          "E:JSON parse error, expecting value|V:2|"
          "E:JSON parse error, expecting value|"
          "E:JSON parse error, expecting value|V:\"c\"|"
          "E:JSON parse error, expecting value|V:3|"
          "E:JSON parse error, expecting value|V:{\"ok\":1}");
    /* a parse error (not a bad token) skips to the end of the value */
    check("{\"a\": [1 2, [3]], \"b\": {}} {}",
          "E:JSON parse error, expected separator in list|V:{}");
    /* ... where '{' and '[' are counted apart, as QEMU counts them */
    check("[[} {}", "E:JSON parse error, expecting value|V:{}");
    /* a raw newline is not allowed inside a string */
    check("[\"a\nb\"] {}", "E:JSON parse error, stray '\"a\n'|"
          "E:JSON parse error, expecting value|V:{}");
}

/* A control character resets the reader, as in QEMU. */
static void test_resync(void)
{
    check("{\"execute\": \"x\", \"arguments\": {\x01{}",
          "E:JSON parse error, stray '\x01'|V:{}");
    check("[[[[ \"abc\x1b{\"a\":1}",
          "E:JSON parse error, stray '\"abc\x1b'|V:{\"a\":1}");
    check("\x01", "E:JSON parse error, stray '\x01'");
    /* after an error too: the control character is one more error */
    check("[@ [[[ \x02 {}", "E:JSON parse error, stray '@'|"
          "E:JSON parse error, stray '\x02'|V:{}");
}

static unsigned count_of(const char *hay, const char *needle)
{
    unsigned n = 0;

    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) {
        n++;
    }
    return n;
}

static void test_depth(void)
{
    GString *s = g_string_new(NULL);
    g_autofree char *r = NULL;

    /* exactly the limit is fine */
    for (int i = 0; i < JSON_STREAM_MAX_DEPTH; i++) {
        g_string_append_c(s, '[');
    }
    for (int i = 0; i < JSON_STREAM_MAX_DEPTH; i++) {
        g_string_append_c(s, ']');
    }
    r = run(s->str);
    g_assert_true(g_str_has_prefix(r, "V:[[[["));
    g_assert_null(strchr(r, '|'));
    g_free(g_steal_pointer(&r));

    /* the reproducer: 100,000 '[' give an error each time the limit is
     * passed: each error drops the value and the count starts again from
     * zero (QEMU's answers) */
    g_string_truncate(s, 0);
    for (int i = 0; i < 100000; i++) {
        g_string_append_c(s, '[');
    }
    r = run(s->str);
    g_assert_cmpuint(count_of(r, "E:JSON nesting depth limit exceeded"), ==,
                     100000 / (JSON_STREAM_MAX_DEPTH + 1));
    g_assert_cmpuint(count_of(r, "|"), ==,
                     100000 / (JSON_STREAM_MAX_DEPTH + 1) - 1);
    g_free(g_steal_pointer(&r));
    /* closing them all: the '['s after the last error make a value, each
     * ']' beyond it is an error; the next request is read */
    for (int i = 0; i < 100000; i++) {
        g_string_append_c(s, ']');
    }
    g_string_append(s, "{\"execute\":\"query-status\"}");
    r = run(s->str);
    g_assert_true(g_str_has_suffix(r, "|E:JSON parse error, expecting value|"
                                   "V:{\"execute\":\"query-status\"}"));
    g_assert_cmpuint(count_of(r, "|V:[[["), ==, 1);
    g_string_free(s, true);
}

static void test_limits(void)
{
    GString *s = g_string_new("[");
    g_autofree char *r = NULL;

    /* token count: "[0,0,0,...]" with more tokens than allowed */
    for (int i = 0; i < JSON_STREAM_MAX_TOKENS; i++) {
        g_string_append(s, "0,");
    }
    g_string_append(s, "0] {}");
    r = run(s->str);
    /* the tokens after the one over the limit are new values */
    g_assert_true(g_str_has_prefix(r, "E:JSON token count limit exceeded|"
                                   "V:0|E:JSON parse error, expecting value|"
                                   "V:0|"));
    g_assert_true(g_str_has_suffix(r, "|V:0|E:JSON parse error, expecting "
                                   "value|V:{}"));
    g_free(g_steal_pointer(&r));

    /* size: one string longer than the limit, brackets inside it are
     * not nesting */
    g_string_assign(s, "{\"execute\": \"");
    for (int i = 0; i < JSON_STREAM_MAX_SIZE + 10; i++) {
        g_string_append_c(s, i % 100 ? 'x' : '[');
    }
    g_string_append(s, "\"} {}");
    r = run(s->str);
    g_assert_cmpstr(r, ==, "E:JSON token size limit exceeded|"
                    "E:JSON parse error, expecting value|V:{}");
    g_free(g_steal_pointer(&r));

    /* a top-level string over the limit: one error, not a value too; it
     * is read to its end (QEMU reads on from the middle of such a token,
     * whose bytes it has not kept either) */
    g_string_assign(s, "\"");
    for (int i = 0; i < JSON_STREAM_MAX_SIZE + 10; i++) {
        g_string_append_c(s, 'y');
    }
    g_string_append(s, "\" {}");
    r = run(s->str);
    g_assert_cmpstr(r, ==, "E:JSON token size limit exceeded|V:{}");
    g_string_free(s, true);
}

/* emit may stop the feed after a value: the rest is left for later */
static void test_stop(void)
{
    Sink *s = sink_new();
    JsonStream *js = json_stream_new(sink_emit, s);
    const char *text = "{\"a\":1}{\"b\":2} {\"c\":3}";
    size_t n;

    s->stop_after = 1;
    n = json_stream_feed(js, (const uint8_t *)text, strlen(text));
    g_assert_cmpuint(n, ==, strlen("{\"a\":1}"));
    g_assert_cmpuint(s->out->len, ==, 1);
    s->stop_after = -1;
    n += json_stream_feed(js, (const uint8_t *)text + n, strlen(text) - n);
    g_assert_cmpuint(n, ==, strlen(text));
    g_assert_cmpuint(s->out->len, ==, 3);
    g_assert_cmpstr(g_ptr_array_index(s->out, 2), ==, "V:{\"c\":3}");
    g_assert_false(json_stream_busy(js));

    /* reset forgets a partial value */
    json_stream_feed(js, (const uint8_t *)"{\"a\": [1,", 9);
    g_assert_true(json_stream_busy(js));
    json_stream_reset(js);
    g_assert_false(json_stream_busy(js));
    json_stream_feed(js, (const uint8_t *)"{}", 2);
    g_assert_cmpstr(g_ptr_array_index(s->out, 3), ==, "V:{}");
    json_stream_free(js);
    sink_free(s);
}

/* Random bytes and random mutations of valid requests: no crash, and a
 * well-formed request after a control character is always read. */
static void test_random(void)
{
    static const char *const seeds[] = {
        "{\"execute\": \"query-status\", \"id\": [1, 2.5, \"x\"]}",
        "{'execute': 'human-monitor-command', 'arguments': "
        "{'command-line': 'info registers'}}",
        "[[[[{\"a\": \"\\u00e9\\n\"}]]]]",
    };
    GRand *rand = g_rand_new_with_seed(18);

    for (int iter = 0; iter < 3000; iter++) {
        Sink *s = sink_new();
        JsonStream *js = json_stream_new(sink_emit, s);
        GString *in = g_string_new(seeds[iter % G_N_ELEMENTS(seeds)]);
        int muts = g_rand_int_range(rand, 1, 8);

        for (int m = 0; m < muts; m++) {
            guint pos = g_rand_int_range(rand, 0, in->len + 1);
            guint8 b = g_rand_int_range(rand, 0, 256);
            switch (g_rand_int_range(rand, 0, 3)) {
            case 0:
                g_string_insert_c(in, pos, b);
                break;
            case 1:
                if (pos < in->len) {
                    in->str[pos] = b ? b : ' ';
                }
                break;
            default:
                if (pos < in->len) {
                    g_string_erase(in, pos, 1);
                }
                break;
            }
        }
        json_stream_feed(js, (const uint8_t *)in->str, in->len);
        g_ptr_array_set_size(s->out, 0);
        json_stream_feed(js, (const uint8_t *)"\x01{\"ok\":1}", 9);
        g_assert_cmpstr(g_ptr_array_index(s->out, s->out->len - 1), ==,
                        "V:{\"ok\":1}");
        json_stream_free(js);
        sink_free(s);
        g_string_free(in, true);
    }
    g_rand_free(rand);
}

static bool keep_emit(void *opaque, JsonNode *value, const char *error)
{
    g_assert_nonnull(value);
    *(JsonNode **)opaque = value;
    return true;
}

/* Parse one value and write it back as QMP does (json-writer.c). */
static char *rewrite(const char *text, bool pretty)
{
    JsonNode *n = NULL;
    JsonStream *js = json_stream_new(keep_emit, &n);
    char *r;

    json_stream_feed(js, (const uint8_t *)text, strlen(text));
    json_stream_free(js);
    g_assert_nonnull(n);
    r = qmp_json_line(n, pretty);
    json_node_unref(n);
    return r;
}

/* The output bytes are QEMU 7.2's for the same value (captured from
 * qemu-system-aarch64, an "id" echoed back). */
static void test_writer(void)
{
    g_autofree char *a = rewrite("[\"\xc3\xa9\xf0\x9f\x98\x80/\\u007f\\t\", "
                                 "1.5, 1000.0, 1e20, -0.0, true, null, {}, []]",
                                 false);
    g_autofree char *b = rewrite("{\"return\": {}, \"id\": [1, {}, [], "
                                 "{\"a\": [2]}]}", true);

    g_assert_cmpstr(a, ==, "[\"\\u00E9\\uD83D\\uDE00/\\u007F\\t\", 1.5, "
                    "1000, 1e+20, -0, true, null, {}, []]\r\n");
    g_assert_cmpstr(b, ==, "{\r\n    \"return\": {\r\n    },\r\n"
                    "    \"id\": [\r\n        1,\r\n        {\r\n        },"
                    "\r\n        [\r\n        ],\r\n        {\r\n"
                    "            \"a\": [\r\n                2\r\n"
                    "            ]\r\n        }\r\n    ]\r\n}\r\n");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/json-stream/values", test_values);
    g_test_add_func("/json-stream/strings", test_strings);
    g_test_add_func("/json-stream/errors", test_errors);
    g_test_add_func("/json-stream/resync", test_resync);
    g_test_add_func("/json-stream/depth", test_depth);
    g_test_add_func("/json-stream/limits", test_limits);
    g_test_add_func("/json-stream/stop", test_stop);
    g_test_add_func("/json-stream/random", test_random);
    g_test_add_func("/json-writer/qemu-format", test_writer);
    return g_test_run();
}
