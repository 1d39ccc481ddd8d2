/*
 * Incremental JSON reader for QMP; see monitor/json-stream.h.
 *
 * Three layers, as in QEMU, so that every malformed input gets the
 * answers QEMU gives (tests/functional/qmp-compare.py checks ~100):
 *  - the lexer turns bytes into tokens with QEMU's state machine: a
 *    number, keyword or run of whitespace ends at the first ASCII byte
 *    that cannot continue it (that byte then starts the next token); any
 *    other byte that fits no token is part of an error token, after
 *    which bytes are skipped up to a bracket, an ASCII control character
 *    or 0xfe/0xff ("recovery");
 *  - the streamer counts '{' and '[' separately as they arrive: a value
 *    is over when neither count is positive (or one went negative).  An
 *    error token or a limit throws the value away at once and both counts
 *    restart from zero; the tokens that follow begin a new value;
 *  - the parser builds the value while the tokens arrive (json-glib
 *    nodes, an explicit stack: nothing recurses) and remembers its first
 *    error, which is reported when the streamer says the value is over.
 * Strings are decoded when they end, from their text as sent, with QEMU's
 * rules: modified UTF-8 (C0 80 is U+0000), no surrogates or
 * noncharacters, \u escapes checked and paired there.
 */
#include "monitor/json-stream.h"
#include <math.h>

typedef enum TokType {
    TOK_NONE,
    TOK_LCURLY, TOK_RCURLY, TOK_LSQUARE, TOK_RSQUARE, TOK_COLON, TOK_COMMA,
    TOK_STRING, TOK_INTEGER, TOK_FLOAT, TOK_KEYWORD,
    TOK_SKIP,       /* whitespace: never reaches the streamer */
    TOK_ERROR,
} TokType;

typedef enum LexState {
    LX_START, LX_RECOVERY, LX_WHITESPACE, LX_KEYWORD,
    LX_DQ, LX_DQ_ESCAPE, LX_SQ, LX_SQ_ESCAPE,
    LX_NEG,             /* "-" */
    LX_ZERO,            /* "0" or "-0" */
    LX_NONZERO,         /* "1".."9" and digits */
    LX_MANTISSA,        /* after '.' */
    LX_MANTISSA_DIGITS,
    LX_EXP_E,           /* after 'e' */
    LX_EXP_SIGN,        /* after 'e+' */
    LX_EXP_DIGITS,
} LexState;

/* What a byte does in a lexer state: go to a state (keeping the byte in
 * the token), end a token with it, or end a token before it (the byte is
 * then read again from LX_START). */
typedef struct LexStep {
    LexState next;
    TokType tok;        /* TOK_NONE: no token ends here */
    bool lookahead;     /* the byte is not part of the ended token */
} LexStep;

typedef enum Expect {
    EXP_VALUE,          /* top level, after ':', after ',' in an array */
    EXP_VALUE_OR_END,   /* after '[' */
    EXP_KEY_OR_END,     /* after '{' */
    EXP_KEY,            /* after ',' in an object */
    EXP_COLON,
    EXP_COMMA_OR_END,
} Expect;

typedef struct Frame {
    JsonNode *node;     /* the array or object being filled */
    char *key;          /* object: the key waiting for its value */
    bool as_key;        /* this container is in a key's place: an error
                         * once it is complete (as QEMU finds it) */
} Frame;

struct JsonStream {
    JsonStreamEmit *emit;
    void *opaque;
    unsigned generation;    /* bumped by reset: stops a feed in progress */
    bool stop;              /* emit asked to stop */

    /* lexer */
    LexState lex;
    GString *tok;           /* the token's bytes as sent */
    size_t tok_len;         /* ... counting those not kept */
    bool tok_dropped;       /* over the size limit: bytes not kept */

    /* streamer: the value being received */
    int brace, bracket;
    size_t tokens, size;

    /* parser */
    GArray *stack;          /* of Frame */
    Expect expect;
    JsonNode *done;         /* the complete value */
    char *error;            /* its first error */
};

/* ---- modified UTF-8, as QEMU reads and writes it ---- */

static bool codepoint_valid(int cp)
{
    return cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) &&
           !(cp >= 0xfdd0 && cp <= 0xfdef) && (cp & 0xfffe) != 0xfffe;
}

int json_utf8_codepoint(const char *s, const char **end)
{
    static const int min_cp[] = { 0x80, 0x800, 0x10000, 0x200000, 0x4000000 };
    const uint8_t *p = (const uint8_t *)s;
    unsigned lead = *p++, len = 0;
    int cp;

    if (lead < 0x80) {
        *end = (const char *)p;
        return lead;
    }
    if (lead >= 0xfe || !(lead & 0x40)) {
        *end = (const char *)p;     /* 0xfe, 0xff or a continuation byte */
        return -1;
    }
    for (unsigned mask = 0x80; lead & mask; mask >>= 1) {
        len++;
    }
    cp = lead & (0x7f >> len);
    for (unsigned i = 1; i < len; i++) {
        if ((*p & 0xc0) != 0x80) {
            *end = (const char *)p;     /* truncated: stop before it */
            return -1;
        }
        cp = (cp << 6) | (*p++ & 0x3f);
    }
    *end = (const char *)p;
    if (!codepoint_valid(cp) || (cp < min_cp[len - 2] && !(cp == 0 && len == 2))) {
        return -1;      /* overlong (but C0 80), surrogate, nonchar... */
    }
    return cp;
}

/* cp as modified UTF-8 (U+0000 as C0 80). */
static void append_codepoint(GString *s, gunichar cp)
{
    if (cp == 0) {
        g_string_append_len(s, "\xc0\x80", 2);
    } else {
        g_string_append_unichar(s, cp);
    }
}

/* ---- the value being built ---- */

static void js_drop_tree(JsonStream *js)
{
    for (guint i = 0; i < js->stack->len; i++) {
        Frame *f = &g_array_index(js->stack, Frame, i);
        json_node_unref(f->node);
        g_free(f->key);
    }
    g_array_set_size(js->stack, 0);
    if (js->done) {
        json_node_unref(js->done);
        js->done = NULL;
    }
    js->expect = EXP_VALUE;
}

/* Forget the value: the next token starts a new one. */
static void js_drop_value(JsonStream *js)
{
    js_drop_tree(js);
    g_free(js->error);
    js->error = NULL;
    js->brace = js->bracket = 0;
    js->tokens = js->size = 0;
}

static void js_emit(JsonStream *js, JsonNode *value, const char *error)
{
    if (!js->emit(js->opaque, value, error)) {
        js->stop = true;
    }
}

/* An error that ends the value at once (error token, limit). */
static void js_abort(JsonStream *js, const char *error)
{
    js_drop_value(js);
    js_emit(js, NULL, error);
}

/* The parser's first error; reported when the value is over. */
static void js_parse_error(JsonStream *js, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
static void js_parse_error(JsonStream *js, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (js->error) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    js->error = g_strconcat("JSON parse error, ", msg, NULL);
    js_drop_tree(js);
}

/* ---- the parser ---- */

static Frame *js_top(JsonStream *js)
{
    return js->stack->len ?
           &g_array_index(js->stack, Frame, js->stack->len - 1) : NULL;
}

static bool frame_is_object(const Frame *f)
{
    return JSON_NODE_HOLDS_OBJECT(f->node);
}

/* A complete value (scalar or closed container), in a key's place or a
 * value's. */
static void js_add(JsonStream *js, JsonNode *node)
{
    Frame *top = js_top(js);

    if (!top) {
        js->done = node;
        js->expect = EXP_COMMA_OR_END;
        return;
    }
    if (frame_is_object(top)) {
        JsonObject *o = json_node_get_object(top->node);

        if (js->expect == EXP_KEY || js->expect == EXP_KEY_OR_END) {
            if (!JSON_NODE_HOLDS_VALUE(node) ||
                json_node_get_value_type(node) != G_TYPE_STRING) {
                json_node_unref(node);
                js_parse_error(js, "key is not a string in object");
                return;
            }
            top->key = g_strdup(json_node_get_string(node));
            json_node_unref(node);
            js->expect = EXP_COLON;
            return;
        }
        /* as QEMU: a duplicate is found once its value is complete */
        if (json_object_has_member(o, top->key)) {
            json_node_unref(node);
            js_parse_error(js, "duplicate key");
            return;
        }
        json_object_set_member(o, top->key, node);
        g_clear_pointer(&top->key, g_free);
    } else {
        json_array_add_element(json_node_get_array(top->node), node);
    }
    js->expect = EXP_COMMA_OR_END;
}

static void js_open(JsonStream *js, bool object)
{
    Frame f = { .node = json_node_new(object ? JSON_NODE_OBJECT
                                             : JSON_NODE_ARRAY) };

    f.as_key = js->expect == EXP_KEY || js->expect == EXP_KEY_OR_END;
    if (object) {
        json_node_take_object(f.node, json_object_new());
    } else {
        json_node_take_array(f.node, json_array_new());
    }
    g_array_append_val(js->stack, f);
    js->expect = object ? EXP_KEY_OR_END : EXP_VALUE_OR_END;
}

static void js_close(JsonStream *js)
{
    Frame f = *js_top(js);

    g_array_set_size(js->stack, js->stack->len - 1);
    g_free(f.key);
    /* back to what the parent expected of it */
    js->expect = f.as_key ? EXP_KEY : EXP_VALUE;
    js_add(js, f.node);
}

static JsonNode *js_number_node(const char *text, bool integer)
{
    JsonNode *n = json_node_new(JSON_NODE_VALUE);
    double d;

    if (integer) {
        gint64 v;
        errno = 0;
        v = g_ascii_strtoll(text, NULL, 10);
        if (errno == 0) {
            json_node_set_int(n, v);
            return n;
        }
    }
    d = g_ascii_strtod(text, NULL);
    if (!isfinite(d)) {
        /* QEMU keeps inf and echoes it, which is not JSON */
        json_node_unref(n);
        return NULL;
    }
    json_node_set_double(n, d);
    return n;
}

static int hex4(const char *p)
{
    int v = 0;

    for (int i = 0; i < 4; i++) {
        if (!g_ascii_isxdigit(p[i])) {
            return -1;
        }
        v = v * 16 + g_ascii_xdigit_value(p[i]);
    }
    return v;
}

/* A string token (quotes included) decoded, or NULL after an error. */
static JsonNode *js_string_node(JsonStream *js, const char *raw, size_t len)
{
    g_autoptr(GString) s = g_string_sized_new(len);
    const char *end = raw + len - 1;    /* the closing quote */
    const char *p = raw + 1;
    JsonNode *n;

    while (p < end) {
        if (*p == '\\') {
            static const char from[] = "\"'\\/bfnrt";
            static const char to[] = "\"'\\/\b\f\n\r\t";
            const char *beg = p++;
            const char *e = *p ? strchr(from, *p) : NULL;
            int cp;

            if (*p != 'u') {
                if (!e) {
                    js_parse_error(js, "invalid escape sequence in string");
                    return NULL;
                }
                g_string_append_c(s, to[e - from]);
                p++;
                continue;
            }
            cp = p + 5 <= end + 1 ? hex4(p + 1) : -1;
            p += 5;
            if (cp >= 0xd800 && cp <= 0xdbff && p + 1 < end &&
                p[0] == '\\' && p[1] == 'u') {
                int low = p + 6 <= end + 1 ? hex4(p + 2) : -1;

                if (low >= 0xdc00 && low <= 0xdfff) {
                    cp = 0x10000 + ((cp & 0x3ff) << 10) + (low & 0x3ff);
                    p += 6;
                } else {
                    cp = -1;
                }
            }
            if (!codepoint_valid(cp)) {
                /* shown as sent, cut at the token's end as QEMU's is */
                int shown = MIN(p - beg, raw + len - beg);
                js_parse_error(js, "%.*s is not a valid Unicode character",
                               shown, beg);
                return NULL;
            }
            append_codepoint(s, cp);
        } else {
            const char *next;
            int cp = json_utf8_codepoint(p, &next);

            if (cp < 0) {
                js_parse_error(js, "invalid UTF-8 sequence in string");
                return NULL;
            }
            append_codepoint(s, cp);
            p = next;
        }
    }
    n = json_node_new(JSON_NODE_VALUE);
    json_node_set_string(n, s->str);
    return n;
}

/* A token that starts (or is) a value, in a value's or a key's place. */
static void js_value_token(JsonStream *js, TokType t)
{
    const char *text = js->tok->str;
    JsonNode *n = NULL;

    switch (t) {
    case TOK_LCURLY:
    case TOK_LSQUARE:
        js_open(js, t == TOK_LCURLY);
        return;
    case TOK_STRING:
        n = js_string_node(js, text, js->tok->len);
        break;
    case TOK_INTEGER:
    case TOK_FLOAT:
        n = js_number_node(text, t == TOK_INTEGER);
        if (!n) {
            js_parse_error(js, "number '%.32s' is out of range", text);
        }
        break;
    case TOK_KEYWORD:
        if (!strcmp(text, "null")) {
            n = json_node_new(JSON_NODE_NULL);
        } else if (!strcmp(text, "true") || !strcmp(text, "false")) {
            n = json_node_new(JSON_NODE_VALUE);
            json_node_set_boolean(n, text[0] == 't');
        } else {
            js_parse_error(js, "invalid keyword '%s'", text);
        }
        break;
    default:
        js_parse_error(js, "expecting value");
        break;
    }
    if (n) {
        js_add(js, n);
    }
}

static void js_parse_token(JsonStream *js, TokType t)
{
    Frame *top = js_top(js);

    switch (js->expect) {
    case EXP_COLON:
        if (t == TOK_COLON) {
            js->expect = EXP_VALUE;
        } else {
            js_parse_error(js, "missing : in object pair");
        }
        return;
    case EXP_COMMA_OR_END:
        if (!top) {
            /* cannot happen: the streamer ends a value the parser ended */
            js_parse_error(js, "expecting value");
        } else if (t == TOK_COMMA) {
            js->expect = frame_is_object(top) ? EXP_KEY : EXP_VALUE;
        } else if (t == (frame_is_object(top) ? TOK_RCURLY : TOK_RSQUARE)) {
            js_close(js);
        } else {
            js_parse_error(js, frame_is_object(top) ?
                           "expected separator in dict" :
                           "expected separator in list");
        }
        return;
    case EXP_KEY_OR_END:
    case EXP_VALUE_OR_END:
        if (t == (js->expect == EXP_KEY_OR_END ? TOK_RCURLY : TOK_RSQUARE)) {
            js_close(js);
            return;
        }
        /* a key is read as a value, then checked (QEMU's errors) */
        /* fall through */
    case EXP_KEY:
    case EXP_VALUE:
        js_value_token(js, t);
        return;
    }
}

/* ---- the streamer ---- */

static void js_stream_token(JsonStream *js, TokType t)
{
    size_t len = js->tok_len;

    if (t == TOK_ERROR) {
        g_autofree char *msg = g_strdup_printf("JSON parse error, stray '%s'",
                                               js->tok->str);
        js_abort(js, msg);
        return;
    }
    js->brace += t == TOK_LCURLY ? 1 : t == TOK_RCURLY ? -1 : 0;
    js->bracket += t == TOK_LSQUARE ? 1 : t == TOK_RSQUARE ? -1 : 0;
    /* the limits, checked in QEMU's order */
    if (js->tok_dropped || js->size + len + 1 > JSON_STREAM_MAX_SIZE) {
        js_abort(js, "JSON token size limit exceeded");
        return;
    }
    if (js->tokens + 1 > JSON_STREAM_MAX_TOKENS) {
        js_abort(js, "JSON token count limit exceeded");
        return;
    }
    if (js->brace + js->bracket > JSON_STREAM_MAX_DEPTH) {
        js_abort(js, "JSON nesting depth limit exceeded");
        return;
    }
    js->size += len;
    js->tokens++;
    if (!js->error) {
        js_parse_token(js, t);
    }
    if ((js->brace > 0 || js->bracket > 0) &&
        js->brace >= 0 && js->bracket >= 0) {
        return;     /* more to come */
    }
    if (js->error || !js->done) {
        g_autofree char *err = js->error ? g_steal_pointer(&js->error)
                             : g_strdup("JSON parse error, premature EOI");
        js_drop_value(js);
        js_emit(js, NULL, err);
    } else {
        JsonNode *value = g_steal_pointer(&js->done);
        js_drop_value(js);
        js_emit(js, value, NULL);
    }
}

/* ---- the lexer ---- */

static LexStep step(LexState next)
{
    return (LexStep){ .next = next };
}

static LexStep end_with(TokType t)
{
    return (LexStep){ .next = LX_START, .tok = t };
}

/* A token that ends before c (QEMU's terminal states, whatever c is). */
static LexStep end_before(TokType t)
{
    return (LexStep){ .next = LX_START, .tok = t, .lookahead = true };
}

static LexStep lex_step(LexState s, uint8_t c)
{
    bool digit = c >= '0' && c <= '9';

    switch (s) {
    case LX_START:
        switch (c) {
        case '{': return end_with(TOK_LCURLY);
        case '}': return end_with(TOK_RCURLY);
        case '[': return end_with(TOK_LSQUARE);
        case ']': return end_with(TOK_RSQUARE);
        case ':': return end_with(TOK_COLON);
        case ',': return end_with(TOK_COMMA);
        case '"': return step(LX_DQ);
        case '\'': return step(LX_SQ);
        case '-': return step(LX_NEG);
        case '0': return step(LX_ZERO);
        case ' ': case '\t': case '\r': case '\n': return step(LX_WHITESPACE);
        }
        if (c >= '1' && c <= '9') {
            return step(LX_NONZERO);
        }
        if (c >= 'a' && c <= 'z') {
            return step(LX_KEYWORD);
        }
        return end_with(TOK_ERROR);
    case LX_RECOVERY:
        /* a structural character or a control byte is where reading
         * starts afresh */
        if ((c < 0x20 && c != '\t') || c >= 0xfe || strchr("[]{}:,", c)) {
            return (LexStep){ .next = LX_START, .lookahead = true };
        }
        return step(LX_RECOVERY);
    case LX_WHITESPACE:
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            return step(LX_WHITESPACE);
        }
        return end_before(TOK_SKIP);
    case LX_KEYWORD:
        return c >= 'a' && c <= 'z' ? step(LX_KEYWORD)
                                    : end_before(TOK_KEYWORD);
    case LX_DQ:
    case LX_SQ:
        if (c == (s == LX_DQ ? '"' : '\'')) {
            return end_with(TOK_STRING);
        }
        if (c == '\\') {
            return step(s == LX_DQ ? LX_DQ_ESCAPE : LX_SQ_ESCAPE);
        }
        return c >= 0x20 && c < 0xfe ? step(s) : end_with(TOK_ERROR);
    case LX_DQ_ESCAPE:
    case LX_SQ_ESCAPE:
        /* which escapes exist is checked when the string is decoded */
        return c >= 0x20 && c < 0xfe ? step(s == LX_DQ_ESCAPE ? LX_DQ : LX_SQ)
                                     : end_with(TOK_ERROR);
    case LX_NEG:
        return c == '0' ? step(LX_ZERO) : digit ? step(LX_NONZERO)
                                                : end_with(TOK_ERROR);
    case LX_ZERO:
        if (digit) {
            return end_with(TOK_ERROR);
        }
        /* no exponent: "0e1" is 0, a keyword and 1, as in QEMU */
        return c == '.' ? step(LX_MANTISSA) : end_before(TOK_INTEGER);
    case LX_NONZERO:
        if (digit) {
            return step(LX_NONZERO);
        }
        if (c == '.') {
            return step(LX_MANTISSA);
        }
        return c == 'e' || c == 'E' ? step(LX_EXP_E)
                                    : end_before(TOK_INTEGER);
    case LX_MANTISSA:
        return digit ? step(LX_MANTISSA_DIGITS) : end_with(TOK_ERROR);
    case LX_MANTISSA_DIGITS:
        if (digit) {
            return step(LX_MANTISSA_DIGITS);
        }
        return c == 'e' || c == 'E' ? step(LX_EXP_E)
                                    : end_before(TOK_FLOAT);
    case LX_EXP_E:
        if (c == '+' || c == '-') {
            return step(LX_EXP_SIGN);
        }
        /* fall through */
    case LX_EXP_SIGN:
        return digit ? step(LX_EXP_DIGITS) : end_with(TOK_ERROR);
    case LX_EXP_DIGITS:
        return digit ? step(LX_EXP_DIGITS) : end_before(TOK_FLOAT);
    }
    g_assert_not_reached();
}

static void js_tok_clear(JsonStream *js)
{
    g_string_truncate(js->tok, 0);
    js->tok_len = 0;
    js->tok_dropped = false;
}

/* Feed one byte; false if the consumer asked to stop before the byte was
 * used (it ended the token before it: feed it again). */
static bool js_byte(JsonStream *js, uint8_t c)
{
    bool consumed = false;

    while (!consumed) {
        LexStep st = lex_step(js->lex, c);

        consumed = !st.lookahead;
        if (consumed) {
            js->tok_len++;
            /* a token that cannot fit is read on but not kept */
            if (js->size + js->tok_len + 1 > JSON_STREAM_MAX_SIZE) {
                js->tok_dropped = true;
            }
            if (!js->tok_dropped) {
                g_string_append_c(js->tok, c);
            }
        }
        if (st.tok == TOK_ERROR) {
            js_stream_token(js, TOK_ERROR);
            js_tok_clear(js);
            js->lex = LX_RECOVERY;
        } else if (st.tok != TOK_NONE) {
            if (st.tok != TOK_SKIP) {
                js_stream_token(js, st.tok);
            }
            js_tok_clear(js);
            js->lex = LX_START;
        } else {
            if (st.next == LX_START || st.next == LX_RECOVERY) {
                js_tok_clear(js);
            }
            js->lex = st.next;
        }
        if (js->stop && !consumed) {
            return false;
        }
    }
    return true;
}

/* ---- interface ---- */

JsonStream *json_stream_new(JsonStreamEmit *emit, void *opaque)
{
    JsonStream *js = g_new0(JsonStream, 1);

    js->emit = emit;
    js->opaque = opaque;
    js->tok = g_string_new(NULL);
    js->stack = g_array_new(false, true, sizeof(Frame));
    return js;
}

void json_stream_reset(JsonStream *js)
{
    js_drop_value(js);
    js->generation++;
    js->lex = LX_START;
    js_tok_clear(js);
    if (js->tok->allocated_len > 4096) {
        g_string_free(js->tok, true);   /* give a huge string's room back */
        js->tok = g_string_new(NULL);
    }
}

void json_stream_free(JsonStream *js)
{
    if (js) {
        js_drop_value(js);
        g_array_free(js->stack, true);
        g_string_free(js->tok, true);
        g_free(js);
    }
}

size_t json_stream_feed(JsonStream *js, const uint8_t *buf, size_t len)
{
    js->stop = false;
    for (size_t i = 0; i < len; i++) {
        unsigned gen = js->generation;
        bool used = js_byte(js, buf[i]);

        if (js->stop) {
            js->stop = false;
            return used ? i + 1 : i;
        }
        if (gen != js->generation) {
            return len;     /* reset by the consumer: the rest is stale */
        }
    }
    return len;
}

bool json_stream_busy(const JsonStream *js)
{
    return js->stack->len || js->error || js->brace || js->bracket ||
           (js->lex != LX_START && js->lex != LX_RECOVERY);
}
