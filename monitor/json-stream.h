/*
 * An incremental JSON reader for QMP: bytes go in as they arrive, complete
 * top-level values (or one error per malformed one) come out, exactly as
 * QEMU's reader produces them, error texts included, since clients match
 * on them: see json-stream.c for its three layers and docs/running.md
 * ("QMP input") for the few deliberate differences.
 *
 * It never recurses: nesting is an explicit stack, so the depth a client
 * can force is a limit, not the C stack.  Each value is bounded like
 * QEMU's (same error texts): nesting depth, token count and the bytes its
 * tokens take; a token that cannot fit is read on without being kept.
 *
 * Syntax: RFC 8259 plus QEMU's extension of single-quoted strings ('a'),
 * where \' is an escape too.  Numbers: an integer that fits int64 is an
 * int64 node, any other number a double.  Strings are modified UTF-8:
 * U+0000 (\u0000, or the bytes C0 80) is stored as C0 80.
 *
 * After an error the value is dropped and the next token starts a new
 * one.  An ASCII control character other than tab, CR and LF (or a 0xfe
 * or 0xff byte) is always an error, so a client that lost track can send
 * one to start afresh (QEMU's documented way).
 */
#ifndef MONITOR_JSON_STREAM_H
#define MONITOR_JSON_STREAM_H

#include "turtle/osdep.h"
#include <json-glib/json-glib.h>

/* QEMU's nesting limit; our token and size limits are smaller than its
 * 2 Mi tokens / 64 MiB because no command needs more and every
 * connection may hold that much. */
#define JSON_STREAM_MAX_DEPTH   1024
#define JSON_STREAM_MAX_TOKENS  (128 * 1024)
#define JSON_STREAM_MAX_SIZE    (1024 * 1024)

typedef struct JsonStream JsonStream;

/*
 * One top-level value (owned by the callee), or NULL and an error text
 * ("JSON parse error, ...", "JSON nesting depth limit exceeded", ...).
 * Return false to stop json_stream_feed() right after this value.
 */
typedef bool JsonStreamEmit(void *opaque, JsonNode *value, const char *error);

JsonStream *json_stream_new(JsonStreamEmit *emit, void *opaque);
void json_stream_free(JsonStream *js);
/* Forget any partial value (a new connection). */
void json_stream_reset(JsonStream *js);
/* Consume bytes; returns how many were used (all of them unless emit
 * returned false). */
size_t json_stream_feed(JsonStream *js, const uint8_t *buf, size_t len);
/* A value is partly received. */
bool json_stream_busy(const JsonStream *js);

/* The code point at s, as QEMU decodes modified UTF-8 (C0 80 is 0), or
 * -1 for an invalid sequence; *end is past what was read. */
int json_utf8_codepoint(const char *s, const char **end);

#endif
