/*
 * An incremental JSON reader for QMP: bytes go in as they arrive, complete
 * top-level values (or one error per malformed one) come out.
 *
 * It never recurses: nesting is an explicit stack, so the depth a client
 * can force is a limit, not the C stack.  Each value is bounded like
 * QEMU's (same error texts): nesting depth, token count and the bytes its
 * tokens take.  The tree is built with json-glib nodes while the tokens
 * arrive; nothing is parsed twice.
 *
 * Syntax: RFC 8259 plus QEMU's extension of single-quoted strings ('a'),
 * where \' is an escape too.  Numbers: an integer that fits int64 is an
 * int64 node, a larger one (or one with a fraction/exponent) a double.
 *
 * After an error the rest of the broken value is skipped (its brackets
 * are still followed, without storing anything), so one malformed request
 * gets one error and the request after it is read normally.  As in QEMU,
 * an ASCII control character other than tab, CR and LF (or a 0xfe/0xff
 * byte) forces the reader back to its initial state: a client that lost
 * track can send one to start afresh.
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
/* A value is partly received (or being skipped). */
bool json_stream_busy(const JsonStream *js);

#endif
