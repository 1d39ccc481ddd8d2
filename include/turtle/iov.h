/*
 * Scatter/gather lists: helpers on struct iovec arrays and IOVector, a
 * growable list used by the block layer to describe one request's buffers.
 */
#ifndef TURTLE_IOV_H
#define TURTLE_IOV_H

#include "turtle/osdep.h"
#include <sys/uio.h>

size_t iov_size(const struct iovec *iov, unsigned niov);
/* Copy between a flat buffer and [offset, offset + bytes) of the list;
 * return the bytes copied (less when the list is shorter). */
size_t iov_from_buf(const struct iovec *iov, unsigned niov, size_t offset,
                    const void *buf, size_t bytes);
size_t iov_to_buf(const struct iovec *iov, unsigned niov, size_t offset,
                  void *buf, size_t bytes);
size_t iov_memset(const struct iovec *iov, unsigned niov, size_t offset,
                  int fillc, size_t bytes);

typedef struct IOVector {
    struct iovec *iov;
    int niov;
    int nalloc;             /* -1: iov is 'local' or caller-owned */
    size_t size;            /* sum of the lengths */
    struct iovec local;     /* storage for iovec_init_buf */
} IOVector;

void iovec_init(IOVector *v, int alloc_hint);
/* A one-element vector over buf; needs no iovec_destroy. */
void iovec_init_buf(IOVector *v, void *buf, size_t len);
/* Wrap a caller-owned array (not copied, not freed). */
void iovec_init_external(IOVector *v, struct iovec *iov, int niov);
void iovec_add(IOVector *v, void *base, size_t len);
/* Append the bytes [offset, offset + len) of src (no data copied). */
void iovec_concat(IOVector *dst, const IOVector *src, size_t offset,
                  size_t len);
void iovec_reset(IOVector *v);
void iovec_destroy(IOVector *v);
/* True if [offset, offset + len) of the vector is all zero bytes. */
bool iovec_is_zero(const IOVector *v, size_t offset, size_t len);
/* Every element's base and length is a multiple of align. */
bool iovec_is_aligned(const IOVector *v, size_t align);

#endif
