/*
 * Synchronous node I/O: argument checks, splitting of large requests,
 * alignment for O_DIRECT nodes and flush ordering.
 *
 * A node whose protocol needs aligned requests (request_alignment > 1)
 * gets unaligned writes as read-modify-write of the partial blocks.  Two
 * requests touching one such block must not interleave (the second would
 * write back stale bytes of the first), so writes on these nodes are
 * tracked: a read-modify-write waits for every overlapping write in
 * flight, and every write waits for overlapping read-modify-writes.
 */
#include "turtle/osdep.h"
#include "block/block_int.h"

static int bdrv_check_request(BlockDriverState *bs, int64_t offset,
                              int64_t bytes)
{
    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    if (offset < 0 || bytes < 0 || offset > BDRV_MAX_LENGTH - bytes) {
        return -EIO;
    }
    return 0;
}

/* ---- write tracking for read-modify-write ---- */

static bool tracked_overlaps(BdrvTrackedRequest *a, BdrvTrackedRequest *b)
{
    return a->offset < b->offset + b->bytes &&
           b->offset < a->offset + a->bytes;
}

static void tracked_begin(BlockDriverState *bs, BdrvTrackedRequest *req)
{
    pthread_mutex_lock(&bs->reqs_lock);
    for (;;) {
        bool wait = false;

        for (BdrvTrackedRequest *r = bs->tracked; r; r = r->next) {
            if ((req->serialising || r->serialising) &&
                tracked_overlaps(req, r)) {
                wait = true;
                break;
            }
        }
        if (!wait) {
            break;
        }
        pthread_cond_wait(&bs->reqs_cond, &bs->reqs_lock);
    }
    req->next = bs->tracked;
    bs->tracked = req;
    pthread_mutex_unlock(&bs->reqs_lock);
}

static void tracked_end(BlockDriverState *bs, BdrvTrackedRequest *req)
{
    pthread_mutex_lock(&bs->reqs_lock);
    for (BdrvTrackedRequest **p = &bs->tracked; *p; p = &(*p)->next) {
        if (*p == req) {
            *p = req->next;
            break;
        }
    }
    pthread_cond_broadcast(&bs->reqs_cond);
    pthread_mutex_unlock(&bs->reqs_lock);
}

bool bdrv_tracked_try_begin(BlockDriverState *bs, BdrvTrackedRequest *req)
{
    bool ok = true;

    pthread_mutex_lock(&bs->reqs_lock);
    for (BdrvTrackedRequest *r = bs->tracked; r; r = r->next) {
        if ((req->serialising || r->serialising) && tracked_overlaps(req, r)) {
            ok = false;
            break;
        }
    }
    if (ok) {
        req->next = bs->tracked;
        bs->tracked = req;
    }
    pthread_mutex_unlock(&bs->reqs_lock);
    return ok;
}

void bdrv_tracked_end(BlockDriverState *bs, BdrvTrackedRequest *req)
{
    tracked_end(bs, req);
}

/* ---- reads ---- */

static int bdrv_driver_preadv(BlockDriverState *bs, int64_t offset,
                              int64_t bytes, IOVector *qiov, size_t qoff,
                              int flags)
{
    if (!bs->drv->preadv) {
        return -ENOTSUP;
    }
    return bs->drv->preadv(bs, offset, bytes, qiov, qoff, flags);
}

static int bdrv_driver_pwritev(BlockDriverState *bs, int64_t offset,
                               int64_t bytes, IOVector *qiov, size_t qoff,
                               int flags)
{
    int ret;

    if (!bs->drv->pwritev) {
        return -ENOTSUP;
    }
    ret = bs->drv->pwritev(bs, offset, bytes, qiov, qoff,
                           flags & ~BDRV_REQ_FUA);
    if (ret == 0 && (flags & BDRV_REQ_FUA)) {
        ret = bdrv_flush(bs);
    }
    return ret;
}

/* One chunk: aligned directly, or through an aligned bounce buffer. */
static int bdrv_preadv_chunk(BlockDriverState *bs, int64_t offset,
                             int64_t bytes, IOVector *qiov, size_t qoff,
                             int flags)
{
    uint32_t align = bs->request_alignment;
    int64_t a0 = ROUND_DOWN(offset, align);
    int64_t a1 = ROUND_UP(offset + bytes, align);
    IOVector sub;
    uint8_t *buf;
    int ret;

    if (a0 == offset && a1 == offset + bytes) {
        if (bs->buf_align <= 1 || qoff || bytes != (int64_t)qiov->size ||
            iovec_is_aligned(qiov, bs->buf_align)) {
            if (bs->buf_align <= 1) {
                return bdrv_driver_preadv(bs, offset, bytes, qiov, qoff,
                                          flags);
            }
            iovec_init(&sub, qiov->niov);
            iovec_concat(&sub, qiov, qoff, bytes);
            if (iovec_is_aligned(&sub, bs->buf_align)) {
                ret = bdrv_driver_preadv(bs, offset, bytes, &sub, 0, flags);
                iovec_destroy(&sub);
                return ret;
            }
            iovec_destroy(&sub);
        }
    }
    buf = qemu_try_blockalign(bs, a1 - a0);
    if (!buf) {
        return -ENOMEM;
    }
    iovec_init_buf(&sub, buf, a1 - a0);
    ret = bdrv_driver_preadv(bs, a0, a1 - a0, &sub, 0, flags);
    if (ret == 0) {
        iov_from_buf(qiov->iov, qiov->niov, qoff, buf + (offset - a0), bytes);
    }
    qemu_vfree(buf);
    return ret;
}

int bdrv_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes,
                IOVector *qiov, int flags)
{
    int ret = bdrv_check_request(bs, offset, bytes);
    size_t qoff = 0;

    if (ret < 0) {
        return ret;
    }
    if ((int64_t)qiov->size < bytes) {
        return -EINVAL;
    }
    while (bytes > 0) {
        int64_t n = MIN(bytes, BDRV_REQUEST_MAX_BYTES);

        ret = bdrv_preadv_chunk(bs, offset, n, qiov, qoff, flags);
        if (ret < 0) {
            return ret;
        }
        offset += n;
        bytes -= n;
        qoff += n;
    }
    return 0;
}

/* ---- writes ---- */

static int bdrv_pwritev_chunk(BlockDriverState *bs, int64_t offset,
                              int64_t bytes, IOVector *qiov, size_t qoff,
                              int flags)
{
    uint32_t align = bs->request_alignment;
    BdrvTrackedRequest req = {
        .offset = ROUND_DOWN(offset, align),
        .bytes = ROUND_UP(offset + bytes, align) - ROUND_DOWN(offset, align),
    };
    IOVector sub;
    uint8_t *buf;
    int ret;

    if (align <= 1 && bs->buf_align <= 1) {
        return bdrv_driver_pwritev(bs, offset, bytes, qiov, qoff, flags);
    }
    req.serialising = req.offset != offset || req.bytes != bytes;
    if (!req.serialising) {
        iovec_init(&sub, qiov->niov);
        iovec_concat(&sub, qiov, qoff, bytes);
        if (iovec_is_aligned(&sub, bs->buf_align)) {
            if (align > 1) {
                tracked_begin(bs, &req);
            }
            ret = bdrv_driver_pwritev(bs, offset, bytes, &sub, 0, flags);
            if (align > 1) {
                tracked_end(bs, &req);
            }
            iovec_destroy(&sub);
            return ret;
        }
        iovec_destroy(&sub);
    }

    /* bounce: read the partial head and tail blocks, merge, write */
    buf = qemu_try_blockalign(bs, req.bytes);
    if (!buf) {
        return -ENOMEM;
    }
    tracked_begin(bs, &req);
    ret = 0;
    if (req.offset != offset) {
        iovec_init_buf(&sub, buf, align);
        ret = bdrv_driver_preadv(bs, req.offset, align, &sub, 0, 0);
    }
    if (ret == 0 && ROUND_UP(offset + bytes, align) != offset + bytes &&
        (req.bytes > align || req.offset == offset)) {
        int64_t tail = req.offset + req.bytes - align;
        iovec_init_buf(&sub, buf + (tail - req.offset), align);
        ret = bdrv_driver_preadv(bs, tail, align, &sub, 0, 0);
    }
    if (ret == 0) {
        iov_to_buf(qiov->iov, qiov->niov, qoff, buf + (offset - req.offset),
                   bytes);
        iovec_init_buf(&sub, buf, req.bytes);
        ret = bdrv_driver_pwritev(bs, req.offset, req.bytes, &sub, 0, flags);
    }
    tracked_end(bs, &req);
    qemu_vfree(buf);
    return ret;
}

int bdrv_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes,
                 IOVector *qiov, int flags)
{
    int ret = bdrv_check_request(bs, offset, bytes);
    size_t qoff = 0;

    if (ret < 0) {
        return ret;
    }
    if (bs->read_only) {
        return -EPERM;
    }
    if ((int64_t)qiov->size < bytes) {
        return -EINVAL;
    }
    while (bytes > 0) {
        int64_t n = MIN(bytes, BDRV_REQUEST_MAX_BYTES);

        ret = bdrv_pwritev_chunk(bs, offset, n, qiov, qoff, flags);
        if (ret < 0) {
            return ret;
        }
        offset += n;
        bytes -= n;
        qoff += n;
    }
    return 0;
}

int bdrv_pread(BlockDriverState *bs, int64_t offset, void *buf,
               int64_t bytes)
{
    IOVector qiov;

    iovec_init_buf(&qiov, buf, bytes);
    return bdrv_preadv(bs, offset, bytes, &qiov, 0);
}

int bdrv_pwrite(BlockDriverState *bs, int64_t offset, const void *buf,
                int64_t bytes)
{
    IOVector qiov;

    iovec_init_buf(&qiov, (void *)buf, bytes);
    return bdrv_pwritev(bs, offset, bytes, &qiov, 0);
}

int bdrv_pwrite_sync(BlockDriverState *bs, int64_t offset, const void *buf,
                     int64_t bytes)
{
    int ret = bdrv_pwrite(bs, offset, buf, bytes);

    return ret < 0 ? ret : bdrv_flush(bs);
}

/* Zeroes written as data, in chunks of at most 1 MiB. */
static int bdrv_write_zero_buffers(BlockDriverState *bs, int64_t offset,
                                   int64_t bytes, int flags)
{
    size_t chunk = MIN(bytes, (int64_t)MiB);
    uint8_t *buf = qemu_try_blockalign(bs, chunk);
    int ret = 0;

    if (!buf) {
        return -ENOMEM;
    }
    memset(buf, 0, chunk);
    while (bytes > 0 && ret == 0) {
        int64_t n = MIN(bytes, (int64_t)chunk);
        IOVector qiov;

        iovec_init_buf(&qiov, buf, n);
        ret = bdrv_pwritev(bs, offset, n, &qiov, flags & BDRV_REQ_FUA);
        offset += n;
        bytes -= n;
    }
    qemu_vfree(buf);
    return ret;
}

int bdrv_pwrite_zeroes(BlockDriverState *bs, int64_t offset, int64_t bytes,
                       int flags)
{
    uint32_t align = bs->request_alignment;
    int64_t head, tail;
    int ret = bdrv_check_request(bs, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    if (bs->read_only) {
        return -EPERM;
    }
    if (!(bs->open_flags & BDRV_O_UNMAP)) {
        flags &= ~BDRV_REQ_MAY_UNMAP;
    }
    /* unaligned edges as data; the aligned middle by the driver */
    head = MIN(bytes, (int64_t)(ROUND_UP(offset, align) - offset));
    if (head) {
        ret = bdrv_write_zero_buffers(bs, offset, head, flags);
        if (ret < 0) {
            return ret;
        }
        offset += head;
        bytes -= head;
    }
    tail = bytes % align;
    bytes -= tail;
    while (bytes > 0) {
        int64_t n = MIN(bytes, ROUND_DOWN(BDRV_REQUEST_MAX_BYTES, align));

        ret = -ENOTSUP;
        if (bs->drv->pwrite_zeroes) {
            ret = bs->drv->pwrite_zeroes(bs, offset, n,
                                         flags & ~BDRV_REQ_FUA);
        }
        if (ret == -ENOTSUP && !(flags & BDRV_REQ_NO_FALLBACK)) {
            ret = bdrv_write_zero_buffers(bs, offset, n, 0);
        }
        if (ret < 0) {
            return ret;
        }
        offset += n;
        bytes -= n;
    }
    if (tail) {
        ret = bdrv_write_zero_buffers(bs, offset, tail, flags);
        if (ret < 0) {
            return ret;
        }
    }
    return (flags & BDRV_REQ_FUA) ? bdrv_flush(bs) : 0;
}

int bdrv_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    uint32_t align = bs->request_alignment;
    int64_t end;
    int ret = bdrv_check_request(bs, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    if (bs->read_only) {
        return -EPERM;
    }
    if (!(bs->open_flags & BDRV_O_UNMAP) || !bs->drv->pdiscard) {
        return 0;               /* discard is a hint */
    }
    end = ROUND_DOWN(offset + bytes, align);
    offset = ROUND_UP(offset, align);
    while (offset < end) {
        int64_t n = MIN(end - offset,
                        ROUND_DOWN(BDRV_REQUEST_MAX_BYTES, align));

        ret = bs->drv->pdiscard(bs, offset, n);
        if (ret < 0 && ret != -ENOTSUP) {
            return ret;
        }
        offset += n;
    }
    return 0;
}

int bdrv_pwrite_compressed(BlockDriverState *bs, int64_t offset,
                           const void *buf, int64_t bytes)
{
    int ret = bdrv_check_request(bs, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    if (!bs->drv->pwrite_compressed) {
        return -ENOTSUP;
    }
    if (bs->read_only) {
        return -EPERM;
    }
    return bs->drv->pwrite_compressed(bs, offset, buf, bytes);
}

int bdrv_flush(BlockDriverState *bs)
{
    int ret = 0, ret2;

    if (!bs || !bs->drv || bs->read_only) {
        return 0;
    }
    /* the format's cached metadata goes to its file first, then the file
     * is made stable: one fdatasync covers data and metadata */
    if (bs->drv->flush_to_os) {
        ret = bs->drv->flush_to_os(bs);
    }
    if (bs->file) {
        ret2 = bdrv_flush(bs->file);
        ret = ret < 0 ? ret : ret2;
    }
    if (bs->drv->flush_to_disk && !(bs->open_flags & BDRV_O_NO_FLUSH)) {
        ret2 = bs->drv->flush_to_disk(bs);
        ret = ret < 0 ? ret : ret2;
    }
    return ret;
}

bool bdrv_truncate(BlockDriverState *bs, int64_t size, PreallocMode prealloc,
                   Error **errp)
{
    if (!bs->drv) {
        error_setg(errp, "No medium");
        return false;
    }
    if (bs->read_only) {
        error_setg(errp, "Image is read-only");
        return false;
    }
    if (size < 0 || size > BDRV_MAX_LENGTH) {
        error_setg(errp, "Invalid image size %" PRId64, size);
        return false;
    }
    if (!bs->drv->truncate) {
        error_setg(errp, "Image format '%s' does not support resizing",
                   bs->drv->format_name);
        return false;
    }
    return bs->drv->truncate(bs, size, prealloc, errp);
}

int bdrv_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes,
                      int64_t *pnum, int64_t *map, BlockDriverState **file)
{
    int64_t len = bdrv_getlength(bs);
    int ret;

    *pnum = 0;
    *map = 0;
    *file = NULL;
    if (len < 0) {
        return len;
    }
    if (offset >= len || bytes <= 0) {
        return BDRV_BLOCK_EOF;
    }
    bytes = MIN(bytes, len - offset);
    if (!bs->drv->block_status) {
        /* unknown: everything is data, allocated here */
        *pnum = bytes;
        ret = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED;
    } else {
        ret = bs->drv->block_status(bs, offset, bytes, pnum, map, file);
        if (ret < 0) {
            return ret;
        }
        *pnum = MIN(*pnum, bytes);
        if (*pnum <= 0) {
            return -EIO;        /* a driver bug: never loop forever */
        }
        if ((ret & (BDRV_BLOCK_OFFSET_VALID | BDRV_BLOCK_ZERO)) ==
                BDRV_BLOCK_OFFSET_VALID && *file && *file != bs) {
            /* data mapped into a file whose range is a hole (preallocated
             * metadata, discarded with punch): it reads as zeroes; say
             * so, as qemu-img does, so that map and convert skip it */
            int64_t fpnum, fmap;
            BlockDriverState *ffile;
            int fret = bdrv_block_status(*file, *map, *pnum, &fpnum, &fmap,
                                         &ffile);

            if (fret >= 0 && (fret & BDRV_BLOCK_EOF) &&
                (!fpnum || (fret & BDRV_BLOCK_ZERO))) {
                ret |= BDRV_BLOCK_ZERO;     /* at or past the file's end */
            } else if (fret >= 0) {
                *pnum = fpnum;
                ret |= fret & BDRV_BLOCK_ZERO;
            }
        }
    }
    if (offset + *pnum == len) {
        ret |= BDRV_BLOCK_EOF;
    }
    return ret;
}

int bdrv_block_status_above(BlockDriverState *bs, int64_t offset,
                            int64_t bytes, int64_t *pnum, int64_t *map,
                            BlockDriverState **file, int *depth)
{
    int64_t n = bytes;
    int d = 0;

    for (BlockDriverState *p = bs; p; p = p->backing, d++) {
        int64_t len = bdrv_getlength(p), got;
        int ret;

        if (len < 0) {
            return len;
        }
        if (offset >= len) {
            /* past the end of a shorter backing file: zeroes, the answer
             * of the layer above (as qemu-img map says) */
            *pnum = n;
            *map = 0;
            *file = NULL;
            *depth = d - 1;
            return BDRV_BLOCK_ZERO;
        }
        ret = bdrv_block_status(p, offset, n, &got, map, file);
        if (ret < 0) {
            return ret;
        }
        if ((ret & BDRV_BLOCK_ALLOCATED) || !p->backing) {
            *pnum = got;
            *depth = d;
            if (!(ret & BDRV_BLOCK_ALLOCATED)) {
                ret |= BDRV_BLOCK_ZERO;
            }
            return ret & ~BDRV_BLOCK_EOF;
        }
        n = got;    /* unallocated here for got bytes: ask the layer below */
    }
    *pnum = n;
    *depth = d - 1;
    return BDRV_BLOCK_ZERO;
}
