/*
 * Incremental JSON reader for QMP; see monitor/json-stream.h.
 *
 * Two layers, both driven one byte at a time:
 *  - the lexer turns bytes into tokens (structural characters, strings
 *    with their escapes decoded, numbers, keywords); a number or keyword
 *    ends at the first byte that cannot continue it, which is then lexed
 *    again as the start of the next token;
 *  - the parser keeps the containers being built on an explicit stack and
 *    what it expects next (a value, a key, ':', ',' or the end).
 * Error texts are QEMU's ("JSON parse error, ..."), so that clients that
 * match on them keep working.
 */
#include "monitor/json-stream.h"
#include <math.h>

typedef enum TokType {
    TOK_LCURLY, TOK_RCURLY, TOK_LSQUARE, TOK_RSQUARE, TOK_COLON, TOK_COMMA,
    TOK_STRING, TOK_NUMBER, TOK_KEYWORD,
} TokType;

typedef enum LexState {
    LX_START,       /* between tokens */
    LX_STRING,
    LX_ESCAPE,      /* after a backslash in a string */
    LX_UNICODE,     /* \u: reading 4 hex digits */
    LX_NUMBER,
    LX_KEYWORD,
    LX_RECOVERY,    /* after a lexical error: skip up to a bracket */
} LexState;

/* where a number is in -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
typedef enum NumState {
    NUM_SIGN, NUM_ZERO, NUM_INT, NUM_DOT, NUM_FRAC, NUM_E, NUM_ESIGN, NUM_EXP,
} NumState;

typedef enum Expect {
    EXP_VALUE,          /* top level, after ':', after ',' in an array */
    EXP_VALUE_OR_END,   /* after '[' */
    EXP_KEY_OR_END,     /* after '{' */
    EXP_KEY,            /* after ',' in an object */
    EXP_COLON,
    EXP_COMMA_OR_END,
} Expect;

typedef struct Frame {
    JsonNode *node;     /* an array or object, already linked to its parent */
    char *key;          /* object: the key waiting for its value */
} Frame;

struct JsonStream {
    JsonStreamEmit *emit;
    void *opaque;
    unsigned generation;    /* bumped by reset: stops a feed in progress */
    bool stop;              /* emit asked to stop */

    LexState lex;
    char quote;             /* '"' or '\'' */
    NumState num;
    int hex_count;
    char hex[5];                /* the 4 characters after \u, as sent */
    uint32_t high_surrogate;    /* a \uD800-\uDBFF waiting for its pair */
    char high_hex[5];           /* ... as sent, for the error */
    GString *tok;               /* token text, escapes decoded */

    GArray *stack;          /* of Frame; stack[0].node is the root */
    Expect expect;
    size_t tokens, size;    /* of the current value */

    bool skipping;          /* after an error: rest of the broken value */
    size_t skip_depth;      /* brackets still open in it */
};

static bool is_resync_byte(uint8_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c >= 0xfe;
}

/* ---- the value being built ---- */

static void js_drop_value(JsonStream *js)
{
    for (guint i = 0; i < js->stack->len; i++) {
        g_free(g_array_index(js->stack, Frame, i).key);
    }
    if (js->stack->len) {
        json_node_unref(g_array_index(js->stack, Frame, 0).node);
    }
    g_array_set_size(js->stack, 0);
    js->expect = EXP_VALUE;
    js->tokens = js->size = 0;
}

static void js_emit(JsonStream *js, JsonNode *value, const char *error)
{
    if (!js->emit(js->opaque, value, error)) {
        js->stop = true;
    }
}

/*
 * A malformed value: one error, then skip what is left of it.  open is
 * how the failing token changes the nesting (+1 '[', -1 ']', else 0), so
 * that "[1}" is over at its '}'.
 */
static void js_fail(JsonStream *js, const char *error, int open)
{
    size_t depth = js->stack->len;

    js_drop_value(js);
    js->skip_depth = open < 0 ? (depth ? depth - 1 : 0) : depth + open;
    /* in the middle of a token (a long string), skip at least its rest */
    js->skipping = js->skip_depth > 0 || js->lex != LX_START;
    js_emit(js, NULL, error);
}

static void js_fail_printf(JsonStream *js, int open, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
static void js_fail_printf(JsonStream *js, int open, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    js_fail(js, msg, open);
}

static void js_start_byte(JsonStream *js, uint8_t c);

/* A bad byte: report it (unless already skipping), then resynchronise
 * at the next bracket as QEMU's lexer does. */
static void js_lex_error(JsonStream *js, uint8_t c)
{
    if (!js->skipping) {
        g_autofree char *bad = NULL;
        g_autofree char *shown = NULL;

        if (js->lex == LX_STRING || js->lex == LX_ESCAPE ||
            js->lex == LX_UNICODE) {
            g_string_prepend_c(js->tok, js->quote);
        }
        g_string_append_c(js->tok, c);
        bad = g_strndup(js->tok->str, MIN(js->tok->len, 32));
        shown = g_utf8_make_valid(bad, -1);
        js->lex = LX_START;
        js_fail_printf(js, 0, "JSON parse error, stray '%s'", shown);
    }
    g_string_truncate(js->tok, 0);
    js->lex = LX_RECOVERY;
    js->skipping = js->skip_depth > 0;
    if (c && strchr("[]{}", c)) {
        js->lex = LX_START;     /* a bracket ending "1." still counts */
        js_start_byte(js, c);
    }
}

/* Count a token's bytes against the size limit; false if over it. */
static bool js_count_bytes(JsonStream *js, size_t n)
{
    if (js->skipping) {
        return true;
    }
    js->size += n;
    if (js->size > JSON_STREAM_MAX_SIZE) {
        js_fail(js, "JSON token size limit exceeded", 0);
        return false;
    }
    return true;
}

static bool js_count_token(JsonStream *js)
{
    if (js->skipping) {
        return true;
    }
    if (++js->tokens > JSON_STREAM_MAX_TOKENS) {
        js_fail(js, "JSON token count limit exceeded", 0);
        return false;
    }
    return true;
}

static Frame *js_top(JsonStream *js)
{
    return js->stack->len ?
           &g_array_index(js->stack, Frame, js->stack->len - 1) : NULL;
}

static bool frame_is_object(const Frame *f)
{
    return JSON_NODE_HOLDS_OBJECT(f->node);
}

/* A complete value (scalar, or a container just opened): link it into its
 * parent, or hand it out at the top level.  false if it was refused. */
static bool js_add_value(JsonStream *js, JsonNode *node)
{
    Frame *top = js_top(js);

    if (!top) {
        js->tokens = js->size = 0;
        js->expect = EXP_VALUE;
        js_emit(js, node, NULL);
        return true;
    }
    if (frame_is_object(top)) {
        JsonObject *o = json_node_get_object(top->node);
        if (json_object_has_member(o, top->key)) {
            json_node_unref(node);
            js_fail(js, "JSON parse error, duplicate key", 0);
            return false;
        }
        json_object_set_member(o, top->key, node);
        g_free(top->key);
        top->key = NULL;
    } else {
        json_array_add_element(json_node_get_array(top->node), node);
    }
    js->expect = EXP_COMMA_OR_END;
    return true;
}

static void js_open(JsonStream *js, bool object)
{
    JsonNode *node = json_node_new(object ? JSON_NODE_OBJECT : JSON_NODE_ARRAY);
    Frame f = { .node = node };

    if (js->stack->len >= JSON_STREAM_MAX_DEPTH) {
        json_node_unref(node);
        js_fail(js, "JSON nesting depth limit exceeded", 1);
        return;
    }
    if (object) {
        json_node_take_object(node, json_object_new());
    } else {
        json_node_take_array(node, json_array_new());
    }
    if (js->stack->len) {
        if (!js_add_value(js, node)) {
            return;
        }
    }
    g_array_append_val(js->stack, f);
    js->expect = object ? EXP_KEY_OR_END : EXP_VALUE_OR_END;
}

static void js_close(JsonStream *js)
{
    Frame f = *js_top(js);

    g_array_set_size(js->stack, js->stack->len - 1);
    g_free(f.key);
    if (!js->stack->len) {
        js->tokens = js->size = 0;
        js->expect = EXP_VALUE;
        js_emit(js, f.node, NULL);
    } else {
        js->expect = EXP_COMMA_OR_END;
    }
}

static JsonNode *js_number_node(JsonStream *js)
{
    const char *text = js->tok->str;
    JsonNode *n = json_node_new(JSON_NODE_VALUE);
    double d;

    if (!strpbrk(text, ".eE")) {
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
        /* it could not be written back as JSON (an echoed id) */
        json_node_unref(n);
        return NULL;
    }
    json_node_set_double(n, d);
    return n;
}

static JsonNode *js_keyword_node(JsonStream *js)
{
    const char *kw = js->tok->str;
    JsonNode *n;

    if (!strcmp(kw, "null")) {
        return json_node_new(JSON_NODE_NULL);
    }
    if (strcmp(kw, "true") && strcmp(kw, "false")) {
        return NULL;
    }
    n = json_node_new(JSON_NODE_VALUE);
    json_node_set_boolean(n, kw[0] == 't');
    return n;
}

static bool tok_starts_value(TokType t)
{
    return t == TOK_LCURLY || t == TOK_LSQUARE || t == TOK_STRING ||
           t == TOK_NUMBER || t == TOK_KEYWORD;
}

static void js_value_token(JsonStream *js, TokType t)
{
    JsonNode *n = NULL;

    switch (t) {
    case TOK_LCURLY:
    case TOK_LSQUARE:
        js_open(js, t == TOK_LCURLY);
        return;
    case TOK_STRING:
        n = json_node_new(JSON_NODE_VALUE);
        json_node_set_string(n, js->tok->str);
        break;
    case TOK_NUMBER:
        n = js_number_node(js);
        if (!n) {
            js_fail_printf(js, 0, "JSON parse error, number '%.32s' is out "
                           "of range", js->tok->str);
            return;
        }
        break;
    case TOK_KEYWORD:
        n = js_keyword_node(js);
        if (!n) {
            js_fail_printf(js, 0, "JSON parse error, invalid keyword '%.32s'",
                           js->tok->str);
            return;
        }
        break;
    default:
        js_fail(js, "JSON parse error, expecting value",
                t == TOK_RCURLY || t == TOK_RSQUARE ? -1 : 0);
        return;
    }
    js_add_value(js, n);
}

/* One complete token (its text, if any, in js->tok). */
static void js_token(JsonStream *js, TokType t)
{
    Frame *top = js_top(js);
    int open = t == TOK_LCURLY || t == TOK_LSQUARE ? 1 :
               t == TOK_RCURLY || t == TOK_RSQUARE ? -1 : 0;

    if (js->skipping) {
        /* the broken value (or token) is over when its brackets are */
        if (open > 0) {
            js->skip_depth++;
        } else if (open < 0 && js->skip_depth) {
            js->skip_depth--;
        }
        js->skipping = js->skip_depth > 0;
        return;
    }

    switch (js->expect) {
    case EXP_COLON:
        if (t == TOK_COLON) {
            js->expect = EXP_VALUE;
        } else {
            js_fail(js, "JSON parse error, missing : in object pair", open);
        }
        return;
    case EXP_COMMA_OR_END:
        if (t == TOK_COMMA) {
            js->expect = frame_is_object(top) ? EXP_KEY : EXP_VALUE;
        } else if (t == (frame_is_object(top) ? TOK_RCURLY : TOK_RSQUARE)) {
            js_close(js);
        } else {
            js_fail(js, frame_is_object(top) ?
                    "JSON parse error, expected separator in dict" :
                    "JSON parse error, expected separator in list", open);
        }
        return;
    case EXP_KEY_OR_END:
        if (t == TOK_RCURLY) {
            js_close(js);
            return;
        }
        /* fall through */
    case EXP_KEY:
        if (t == TOK_STRING) {
            top->key = g_strdup(js->tok->str);
            js->expect = EXP_COLON;
        } else {
            js_fail(js, tok_starts_value(t) ?
                    "JSON parse error, key is not a string in object" :
                    "JSON parse error, expecting value", open);
        }
        return;
    case EXP_VALUE_OR_END:
        if (t == TOK_RSQUARE) {
            js_close(js);
            return;
        }
        /* fall through */
    case EXP_VALUE:
        js_value_token(js, t);
        return;
    }
}

/* ---- the lexer ---- */

/* Append a byte of a token, within the size limit; false if over it.
 * Nothing is kept while skipping. */
static bool js_tok_append(JsonStream *js, uint8_t c)
{
    if (!js_count_bytes(js, 1)) {
        return false;
    }
    if (!js->skipping) {
        g_string_append_c(js->tok, c);
    }
    return true;
}

static void js_bad_unicode(JsonStream *js, const char *hex)
{
    if (!js->skipping) {
        js_fail_printf(js, 0, "JSON parse error, \\u%s is not a valid "
                       "Unicode character", hex);
    }
}

/* A high surrogate escape not followed by its low half. */
static void js_unpaired_surrogate(JsonStream *js)
{
    js->high_surrogate = 0;
    js_bad_unicode(js, js->high_hex);
}

/* \uXXXX complete, in js->hex. */
static void js_string_unicode(JsonStream *js)
{
    char *end;
    uint32_t cp = strtoul(js->hex, &end, 16);

    if (*end || !g_ascii_isxdigit(js->hex[0])) {
        if (js->high_surrogate) {
            js_unpaired_surrogate(js);
        } else {
            js_bad_unicode(js, js->hex);
        }
        return;
    }
    if (js->high_surrogate) {
        if (cp < 0xdc00 || cp > 0xdfff) {
            js_unpaired_surrogate(js);
            return;
        }
        cp = 0x10000 + ((js->high_surrogate - 0xd800) << 10) + (cp - 0xdc00);
        js->high_surrogate = 0;
    } else if (cp >= 0xd800 && cp <= 0xdbff) {
        js->high_surrogate = cp;
        memcpy(js->high_hex, js->hex, sizeof(js->hex));
        return;
    } else if ((cp >= 0xdc00 && cp <= 0xdfff) || cp == 0) {
        /* a lone low surrogate; NUL cannot be in a C string */
        js_bad_unicode(js, js->hex);
        return;
    }
    if (!js->skipping) {
        g_string_append_unichar(js->tok, cp);
    }
}

static void js_string_end(JsonStream *js)
{
    js->lex = LX_START;
    if (js->skipping) {
        js_token(js, TOK_STRING);
        return;
    }
    if (js->high_surrogate) {
        js_unpaired_surrogate(js);
        return;
    }
    if (!g_utf8_validate(js->tok->str, js->tok->len, NULL)) {
        js_fail(js, "JSON parse error, invalid UTF-8 sequence in string", 0);
        return;
    }
    js_token(js, TOK_STRING);
}

static void js_string_byte(JsonStream *js, uint8_t c)
{
    if (js->high_surrogate &&
        ((js->lex == LX_STRING && c != '\\') ||
         (js->lex == LX_ESCAPE && c != 'u'))) {
        js_unpaired_surrogate(js);
    }
    switch (js->lex) {
    case LX_STRING:
        if (c == js->quote) {
            js_count_bytes(js, 1);
            js_string_end(js);
        } else if (c == '\\') {
            js->lex = LX_ESCAPE;
            js_count_bytes(js, 1);
        } else if (c < 0x20) {
            js_lex_error(js, c);
        } else {
            js_tok_append(js, c);
        }
        return;
    case LX_ESCAPE: {
        static const char from[] = "\"'\\/bfnrt";
        static const char to[] = "\"'\\/\b\f\n\r\t";
        const char *p = c ? strchr(from, c) : NULL;

        js->lex = LX_STRING;
        if (c == 'u') {
            js->lex = LX_UNICODE;
            js->hex_count = 0;
            js_count_bytes(js, 1);
        } else if (p) {
            js_tok_append(js, to[p - from]);
        } else if (c < 0x20) {
            js_lex_error(js, c);
        } else {
            js_count_bytes(js, 1);
            if (!js->skipping) {
                js_fail(js, "JSON parse error, invalid escape sequence in "
                        "string", 0);
            }
        }
        return;
    }
    case LX_UNICODE:
        if (c < 0x20 || c == js->quote || c == '\\') {
            js_lex_error(js, c);
            return;
        }
        js_count_bytes(js, 1);
        js->hex[js->hex_count++] = c;
        if (js->hex_count == 4) {
            js->hex[4] = '\0';
            js->lex = LX_STRING;
            js_string_unicode(js);
        }
        return;
    default:
        g_assert_not_reached();
    }
}

/* Can c continue the number?  Moves js->num on if so. */
static bool js_number_next(JsonStream *js, uint8_t c)
{
    bool digit = g_ascii_isdigit(c);
    NumState next;

    switch (js->num) {
    case NUM_SIGN:
        next = c == '0' ? NUM_ZERO : NUM_INT;
        break;
    case NUM_ZERO:
    case NUM_INT:
    case NUM_FRAC:
        if (digit && js->num != NUM_ZERO) {
            return true;
        }
        if (c == '.' && js->num != NUM_FRAC) {
            js->num = NUM_DOT;
            return true;
        }
        if (c == 'e' || c == 'E') {
            js->num = NUM_E;
            return true;
        }
        return false;
    case NUM_DOT:
        next = NUM_FRAC;
        break;
    case NUM_E:
        if (c == '+' || c == '-') {
            js->num = NUM_ESIGN;
            return true;
        }
        next = NUM_EXP;
        break;
    case NUM_ESIGN:
    case NUM_EXP:
    default:
        next = NUM_EXP;
        break;
    }
    if (digit) {
        js->num = next;
    }
    return digit;
}

static bool js_number_complete(JsonStream *js)
{
    return js->num == NUM_ZERO || js->num == NUM_INT ||
           js->num == NUM_FRAC || js->num == NUM_EXP;
}

static void js_start_byte(JsonStream *js, uint8_t c)
{
    static const struct { char c; TokType t; } structural[] = {
        { '{', TOK_LCURLY }, { '}', TOK_RCURLY }, { '[', TOK_LSQUARE },
        { ']', TOK_RSQUARE }, { ':', TOK_COLON }, { ',', TOK_COMMA },
    };

    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        return;
    }
    g_string_truncate(js->tok, 0);
    for (size_t i = 0; i < G_N_ELEMENTS(structural); i++) {
        if (c == structural[i].c) {
            /* over a limit: still followed, for the skipping */
            if ((js_count_token(js) && js_count_bytes(js, 1)) ||
                js->skipping) {
                js_token(js, structural[i].t);
            }
            return;
        }
    }
    if (c == '"' || c == '\'') {
        js->lex = LX_STRING;
        js->quote = c;
        js->high_surrogate = 0;
        if (js_count_token(js)) {
            js_count_bytes(js, 1);
        }
    } else if (c == '-' || g_ascii_isdigit(c)) {
        js->lex = LX_NUMBER;
        js->num = c == '-' ? NUM_SIGN : c == '0' ? NUM_ZERO : NUM_INT;
        if (js_count_token(js)) {
            js_tok_append(js, c);
        }
    } else if (c >= 'a' && c <= 'z') {
        js->lex = LX_KEYWORD;
        if (js_count_token(js)) {
            js_tok_append(js, c);
        }
    } else {
        js_lex_error(js, c);
    }
}

static void js_byte(JsonStream *js, uint8_t c)
{
    if (is_resync_byte(c)) {
        bool report = !js->skipping && js->lex != LX_RECOVERY;

        if (js->lex == LX_START) {
            g_string_truncate(js->tok, 0);  /* the last token's text */
        }
        if (report) {
            js_lex_error(js, c);
        }
        json_stream_reset(js);
        return;
    }

    switch (js->lex) {
    case LX_START:
        js_start_byte(js, c);
        return;
    case LX_STRING:
    case LX_ESCAPE:
    case LX_UNICODE:
        js_string_byte(js, c);
        return;
    case LX_NUMBER:
        if (js_number_next(js, c)) {
            js_tok_append(js, c);
            return;
        }
        if (!js_number_complete(js) ||
            (js->num == NUM_ZERO && g_ascii_isdigit(c))) {
            js_lex_error(js, c);     /* "-", "1.", "1e", "01" */
            return;
        }
        js->lex = LX_START;
        js_token(js, TOK_NUMBER);
        js_start_byte(js, c);       /* c starts the next token */
        return;
    case LX_KEYWORD:
        if (c >= 'a' && c <= 'z') {
            js_tok_append(js, c);
            return;
        }
        js->lex = LX_START;
        js_token(js, TOK_KEYWORD);
        js_start_byte(js, c);
        return;
    case LX_RECOVERY:
        if (strchr("[]{}", c)) {
            js->lex = LX_START;
            js_start_byte(js, c);
        }
        return;
    }
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
    js->high_surrogate = 0;
    js->skipping = false;
    js->skip_depth = 0;
    g_string_truncate(js->tok, 0);
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

        js_byte(js, buf[i]);
        if (js->stop) {
            js->stop = false;
            return i + 1;
        }
        if (gen != js->generation && !is_resync_byte(buf[i])) {
            return len;     /* reset by the consumer: the rest is stale */
        }
    }
    return len;
}

bool json_stream_busy(const JsonStream *js)
{
    return js->stack->len || js->skipping || js->lex != LX_START;
}
