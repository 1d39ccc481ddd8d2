/*
 * Framed, checksummed sections of the migration stream (see stream.h).
 */
#include "turtle/osdep.h"
#include "migration/stream.h"
#include <zlib.h>

struct MigStream {
    int fd;                     /* -1: memory */
    GByteArray *out;            /* memory writer's destination */
    const uint8_t *in;          /* memory reader's source */
    size_t in_len, in_pos;
    GByteArray *sec;            /* the section being built or read */
    size_t pos;                 /* reader's cursor in sec (payload) */
    uint8_t type;
    uint64_t bytes;
};

static MigStream *mig_stream_new(int fd)
{
    MigStream *s = g_new0(MigStream, 1);

    s->fd = fd;
    s->sec = g_byte_array_new();
    return s;
}

MigStream *mig_stream_new_fd(int fd)
{
    return mig_stream_new(fd);
}

MigStream *mig_stream_new_buffer(GByteArray *out)
{
    MigStream *s = mig_stream_new(-1);

    s->out = out;
    return s;
}

MigStream *mig_stream_new_reader_fd(int fd)
{
    return mig_stream_new(fd);
}

MigStream *mig_stream_new_reader_buf(const uint8_t *buf, size_t len)
{
    MigStream *s = mig_stream_new(-1);

    s->in = buf;
    s->in_len = len;
    return s;
}

void mig_stream_free(MigStream *s)
{
    if (s) {
        g_byte_array_free(s->sec, true);
        g_free(s);
    }
}

uint64_t mig_stream_bytes(MigStream *s)
{
    return s->bytes;
}

/* ---- raw I/O ---- */

static bool raw_write(MigStream *s, const void *p, size_t len, Error **errp)
{
    const uint8_t *b = p;

    s->bytes += len;
    if (s->fd < 0) {
        g_byte_array_append(s->out, b, len);
        return true;
    }
    while (len) {
        ssize_t n = write(s->fd, b, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            error_setg_errno(errp, n < 0 ? errno : EPIPE,
                             "migration: cannot write the stream");
            return false;
        }
        b += n;
        len -= n;
    }
    return true;
}

static bool raw_read(MigStream *s, void *p, size_t len, Error **errp)
{
    uint8_t *b = p;

    if (s->fd < 0) {
        if (s->in_len - s->in_pos < len) {
            error_setg(errp, "migration: stream truncated at byte %zu",
                       s->in_pos);
            return false;
        }
        memcpy(b, s->in + s->in_pos, len);
        s->in_pos += len;
        s->bytes += len;
        return true;
    }
    while (len) {
        ssize_t n = read(s->fd, b, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error_setg_errno(errp, errno, "migration: cannot read the stream");
            return false;
        }
        if (n == 0) {
            error_setg(errp, "migration: stream truncated at byte %" PRIu64,
                       s->bytes);
            return false;
        }
        b += n;
        len -= n;
        s->bytes += n;
    }
    return true;
}

static void be_store(uint8_t *b, uint64_t v, unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        b[i] = v >> ((size - 1 - i) * 8);
    }
}

static uint64_t be_load(const uint8_t *b, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v = (v << 8) | b[i];
    }
    return v;
}

/* ---- writing ---- */

bool mig_stream_put_magic(MigStream *s, Error **errp)
{
    uint8_t hdr[12];

    memcpy(hdr, MIG_STREAM_MAGIC, 8);
    be_store(hdr + 8, MIG_STREAM_VERSION, 4);
    return raw_write(s, hdr, sizeof(hdr), errp);
}

void mig_section_begin(MigStream *s, uint8_t type)
{
    s->type = type;
    g_byte_array_set_size(s->sec, 0);
}

void mig_put_u8(MigStream *s, uint8_t v)
{
    g_byte_array_append(s->sec, &v, 1);
}

void mig_put_u32(MigStream *s, uint32_t v)
{
    uint8_t b[4];

    be_store(b, v, 4);
    g_byte_array_append(s->sec, b, 4);
}

void mig_put_u64(MigStream *s, uint64_t v)
{
    uint8_t b[8];

    be_store(b, v, 8);
    g_byte_array_append(s->sec, b, 8);
}

void mig_put_bytes(MigStream *s, const void *p, size_t len)
{
    g_byte_array_append(s->sec, p, len);
}

void mig_put_str(MigStream *s, const char *str)
{
    size_t len = strlen(str);

    g_assert(len < 256);
    mig_put_u8(s, len);
    mig_put_bytes(s, str, len);
}

size_t mig_section_len(MigStream *s)
{
    return s->sec->len;
}

static uint32_t section_crc(uint8_t type, const uint8_t *len_be,
                            const uint8_t *payload, size_t len)
{
    uLong crc = crc32(0, NULL, 0);

    crc = crc32(crc, &type, 1);
    crc = crc32(crc, len_be, 4);
    /* zlib takes uInt lengths; sections are far below 4 GiB */
    crc = crc32(crc, payload, len);
    return crc;
}

bool mig_section_end(MigStream *s, Error **errp)
{
    uint8_t head[5], tail[4];

    g_assert(s->sec->len <= MIG_SECTION_MAX);
    head[0] = s->type;
    be_store(head + 1, s->sec->len, 4);
    be_store(tail, section_crc(s->type, head + 1, s->sec->data, s->sec->len),
             4);
    return raw_write(s, head, 5, errp) &&
           raw_write(s, s->sec->data, s->sec->len, errp) &&
           raw_write(s, tail, 4, errp);
}

/* ---- reading ---- */

bool mig_stream_check_magic(MigStream *s, Error **errp)
{
    uint8_t hdr[12];
    uint32_t version;

    if (!raw_read(s, hdr, sizeof(hdr), errp)) {
        return false;
    }
    if (memcmp(hdr, MIG_STREAM_MAGIC, 8)) {
        error_setg(errp, "migration: not a Turtle VM state stream "
                   "(bad magic)");
        return false;
    }
    version = be_load(hdr + 8, 4);
    if (version != MIG_STREAM_VERSION) {
        error_setg(errp, "migration: stream version %u not supported "
                   "(this Turtle reads version %u)", version,
                   MIG_STREAM_VERSION);
        return false;
    }
    return true;
}

bool mig_section_read(MigStream *s, uint8_t *type, Error **errp)
{
    uint8_t head[5], tail[4];
    uint32_t len;
    uint64_t at = s->bytes;

    if (!raw_read(s, head, 5, errp)) {
        return false;
    }
    len = be_load(head + 1, 4);
    if (len > MIG_SECTION_MAX) {
        error_setg(errp, "migration: section at byte %" PRIu64 " claims %u "
                   "bytes (corrupt stream)", at, len);
        return false;
    }
    g_byte_array_set_size(s->sec, len);
    if (!raw_read(s, s->sec->data, len, errp) || !raw_read(s, tail, 4, errp)) {
        return false;
    }
    if (be_load(tail, 4) != section_crc(head[0], head + 1, s->sec->data, len)) {
        error_setg(errp, "migration: checksum mismatch in the section at "
                   "byte %" PRIu64 " (corrupt stream)", at);
        return false;
    }
    s->type = *type = head[0];
    s->pos = 0;
    return true;
}

const uint8_t *mig_get_bytes(MigStream *s, size_t len, Error **errp)
{
    const uint8_t *p;

    if (s->sec->len - s->pos < len) {
        error_setg(errp, "migration: section of type %u ends early",
                   s->type);
        return NULL;
    }
    p = s->sec->data + s->pos;
    s->pos += len;
    return p;
}

bool mig_get_u8(MigStream *s, uint8_t *v, Error **errp)
{
    const uint8_t *p = mig_get_bytes(s, 1, errp);

    if (p) {
        *v = *p;
    }
    return p;
}

bool mig_get_u32(MigStream *s, uint32_t *v, Error **errp)
{
    const uint8_t *p = mig_get_bytes(s, 4, errp);

    if (p) {
        *v = be_load(p, 4);
    }
    return p;
}

bool mig_get_u64(MigStream *s, uint64_t *v, Error **errp)
{
    const uint8_t *p = mig_get_bytes(s, 8, errp);

    if (p) {
        *v = be_load(p, 8);
    }
    return p;
}

bool mig_get_str(MigStream *s, char buf[256], Error **errp)
{
    uint8_t len;
    const uint8_t *p;

    if (!mig_get_u8(s, &len, errp) || !(p = mig_get_bytes(s, len, errp))) {
        return false;
    }
    memcpy(buf, p, len);
    buf[len] = 0;
    if (strlen(buf) != len) {
        error_setg(errp, "migration: a name in the stream holds a NUL");
        return false;
    }
    return true;
}

size_t mig_section_left(MigStream *s)
{
    return s->sec->len - s->pos;
}

const uint8_t *mig_section_rest(MigStream *s, size_t *len)
{
    *len = s->sec->len - s->pos;
    return s->sec->data + s->pos;
}
