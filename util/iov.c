/*
 * Scatter/gather list helpers (see turtle/iov.h).
 */
#include "turtle/osdep.h"
#include "turtle/iov.h"

size_t iov_size(const struct iovec *iov, unsigned niov)
{
    size_t n = 0;

    for (unsigned i = 0; i < niov; i++) {
        n += iov[i].iov_len;
    }
    return n;
}

/* Walk [offset, offset + bytes) of the list, calling fn on each piece. */
static size_t iov_walk(const struct iovec *iov, unsigned niov, size_t offset,
                       size_t bytes,
                       void (*fn)(void *base, size_t len, size_t done,
                                  void *opaque),
                       void *opaque)
{
    size_t done = 0;

    for (unsigned i = 0; i < niov && done < bytes; i++) {
        size_t len = iov[i].iov_len;

        if (offset >= len) {
            offset -= len;
            continue;
        }
        len = MIN(len - offset, bytes - done);
        fn((char *)iov[i].iov_base + offset, len, done, opaque);
        done += len;
        offset = 0;
    }
    return done;
}

static void copy_from_buf(void *base, size_t len, size_t done, void *opaque)
{
    memcpy(base, (const char *)opaque + done, len);
}

static void copy_to_buf(void *base, size_t len, size_t done, void *opaque)
{
    memcpy((char *)opaque + done, base, len);
}

static void fill(void *base, size_t len, size_t done, void *opaque)
{
    memset(base, *(int *)opaque, len);
}

size_t iov_from_buf(const struct iovec *iov, unsigned niov, size_t offset,
                    const void *buf, size_t bytes)
{
    return iov_walk(iov, niov, offset, bytes, copy_from_buf, (void *)buf);
}

size_t iov_to_buf(const struct iovec *iov, unsigned niov, size_t offset,
                  void *buf, size_t bytes)
{
    return iov_walk(iov, niov, offset, bytes, copy_to_buf, buf);
}

size_t iov_memset(const struct iovec *iov, unsigned niov, size_t offset,
                  int fillc, size_t bytes)
{
    return iov_walk(iov, niov, offset, bytes, fill, &fillc);
}

void iovec_init(IOVector *v, int alloc_hint)
{
    memset(v, 0, sizeof(*v));
    v->nalloc = MAX(alloc_hint, 1);
    v->iov = g_new(struct iovec, v->nalloc);
}

void iovec_init_buf(IOVector *v, void *buf, size_t len)
{
    memset(v, 0, sizeof(*v));
    v->local.iov_base = buf;
    v->local.iov_len = len;
    v->iov = &v->local;
    v->niov = 1;
    v->nalloc = -1;
    v->size = len;
}

void iovec_init_external(IOVector *v, struct iovec *iov, int niov)
{
    memset(v, 0, sizeof(*v));
    v->iov = iov;
    v->niov = niov;
    v->nalloc = -1;
    v->size = iov_size(iov, niov);
}

void iovec_add(IOVector *v, void *base, size_t len)
{
    g_assert(v->nalloc >= 0);
    if (len == 0) {
        return;
    }
    if (v->niov == v->nalloc) {
        v->nalloc = 2 * v->nalloc + 1;
        v->iov = g_renew(struct iovec, v->iov, v->nalloc);
    }
    v->iov[v->niov].iov_base = base;
    v->iov[v->niov].iov_len = len;
    v->niov++;
    v->size += len;
}

void iovec_concat(IOVector *dst, const IOVector *src, size_t offset,
                  size_t len)
{
    for (int i = 0; i < src->niov && len; i++) {
        size_t l = src->iov[i].iov_len;

        if (offset >= l) {
            offset -= l;
            continue;
        }
        l = MIN(l - offset, len);
        iovec_add(dst, (char *)src->iov[i].iov_base + offset, l);
        len -= l;
        offset = 0;
    }
}

void iovec_reset(IOVector *v)
{
    g_assert(v->nalloc >= 0);
    v->niov = 0;
    v->size = 0;
}

void iovec_destroy(IOVector *v)
{
    if (v->nalloc >= 0) {
        g_free(v->iov);
    }
    memset(v, 0, sizeof(*v));
}

bool iovec_is_zero(const IOVector *v, size_t offset, size_t len)
{
    for (int i = 0; i < v->niov && len; i++) {
        size_t l = v->iov[i].iov_len;
        const uint8_t *p;

        if (offset >= l) {
            offset -= l;
            continue;
        }
        p = (const uint8_t *)v->iov[i].iov_base + offset;
        l = MIN(l - offset, len);
        if (l && (p[0] || memcmp(p, p + 1, l - 1))) {
            return false;
        }
        len -= l;
        offset = 0;
    }
    return true;
}

bool iovec_is_aligned(const IOVector *v, size_t align)
{
    for (int i = 0; i < v->niov; i++) {
        if (((uintptr_t)v->iov[i].iov_base | v->iov[i].iov_len) &
            (align - 1)) {
            return false;
        }
    }
    return true;
}
