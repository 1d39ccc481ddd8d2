/*
 * The migration stream: framed, checksummed sections over a file
 * descriptor or a memory buffer.  What goes in the sections (the machine's
 * RAM, devices, clock) is vmstate-stream.c's business.
 *
 *   stream  := magic "TURTLEVM" | u32 version | section*
 *   section := u8 type | u32 length | payload[length] | u32 crc32
 *
 * The CRC (zlib's crc32) covers type, length and payload, so a flipped
 * bit anywhere is found before the payload is used; lengths are bounded
 * so a hostile stream cannot make the reader allocate without limit.
 * Numbers are big-endian.
 */
#ifndef MIGRATION_STREAM_H
#define MIGRATION_STREAM_H

#include "turtle/osdep.h"
#include "turtle/error.h"

#define MIG_STREAM_MAGIC    "TURTLEVM"
#define MIG_STREAM_VERSION  1
/* The largest section payload a reader accepts. */
#define MIG_SECTION_MAX     (16u << 20)

typedef struct MigStream MigStream;

/* Writes to fd (blocking; the caller owns fd) / appends to a buffer. */
MigStream *mig_stream_new_fd(int fd);
MigStream *mig_stream_new_buffer(GByteArray *out);
/* Reads from fd (blocking) / from a buffer the caller keeps alive. */
MigStream *mig_stream_new_reader_fd(int fd);
MigStream *mig_stream_new_reader_buf(const uint8_t *buf, size_t len);
void mig_stream_free(MigStream *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MigStream, mig_stream_free)

/* Bytes written or read so far, framing included. */
uint64_t mig_stream_bytes(MigStream *s);

/* ---- writing ---- */
bool mig_stream_put_magic(MigStream *s, Error **errp);
void mig_section_begin(MigStream *s, uint8_t type);
void mig_put_u8(MigStream *s, uint8_t v);
void mig_put_u32(MigStream *s, uint32_t v);
void mig_put_u64(MigStream *s, uint64_t v);
void mig_put_bytes(MigStream *s, const void *p, size_t len);
void mig_put_str(MigStream *s, const char *str);   /* u8 length, bytes */
size_t mig_section_len(MigStream *s);             /* payload so far */
/* Frame the section and write it out. */
bool mig_section_end(MigStream *s, Error **errp);

/* ---- reading ---- */
bool mig_stream_check_magic(MigStream *s, Error **errp);
/* Read the next section, check its checksum; its payload is then read
 * with the getters, each of which fails (errp) past the payload's end. */
bool mig_section_read(MigStream *s, uint8_t *type, Error **errp);
bool mig_get_u8(MigStream *s, uint8_t *v, Error **errp);
bool mig_get_u32(MigStream *s, uint32_t *v, Error **errp);
bool mig_get_u64(MigStream *s, uint64_t *v, Error **errp);
/* A pointer to the next len payload bytes (valid until the next section). */
const uint8_t *mig_get_bytes(MigStream *s, size_t len, Error **errp);
/* A string written by mig_put_str, NUL-terminated, into buf[256]. */
bool mig_get_str(MigStream *s, char buf[256], Error **errp);
size_t mig_section_left(MigStream *s);            /* unread payload */
/* The unread rest of the payload. */
const uint8_t *mig_section_rest(MigStream *s, size_t *len);

#endif
