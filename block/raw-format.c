/*
 * The "raw" format: the image is the disk, byte for byte, optionally a
 * window of the file (offset=, size=, as QEMU's raw driver).
 */
#include "turtle/osdep.h"
#include "block/block_int.h"
#include "block/io-uring.h"

typedef struct BDRVRawState {
    uint64_t offset;
    uint64_t size;
    bool has_size;
    int64_t length;     /* cached: no fstat per request (truncate updates) */
} BDRVRawState;

static int raw_probe(const uint8_t *buf, int buf_size, const char *filename)
{
    return 1;       /* anything is a raw image, with the lowest score */
}

static bool raw_open(BlockDriverState *bs, Opts *opts, int flags,
                     Error **errp)
{
    BDRVRawState *s = bs->opaque;
    int64_t len = bdrv_getlength(bs->file);

    if (len < 0) {
        error_setg_errno(errp, -len, "Could not get the size of '%s'",
                         bs->filename);
        return false;
    }
    if (opts) {
        if (!opts_get_size(opts, "offset", &s->offset, errp) ||
            !opts_get_size(opts, "size", &s->size, errp)) {
            return false;
        }
        s->has_size = opts_has(opts, "size");
    }
    if (s->offset > (uint64_t)len ||
        (s->has_size && s->size > (uint64_t)len - s->offset)) {
        error_setg(errp, "The sum of offset (%" PRIu64 ") and size (%" PRIu64
                   ") has to be smaller or equal to the actual size of the "
                   "containing file (%" PRId64 ")", s->offset, s->size, len);
        return false;
    }
    s->length = s->has_size ? (int64_t)s->size : len - (int64_t)s->offset;
    bs->request_alignment = bs->file->request_alignment;
    bs->buf_align = bs->file->buf_align;
    bs->has_zero_init = bs->file->has_zero_init;
    return true;
}

static int raw_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes,
                      IOVector *qiov, size_t qoff, int flags)
{
    BDRVRawState *s = bs->opaque;
    IOVector sub;
    int ret;

    if (qoff == 0 && bytes == (int64_t)qiov->size) {
        return bdrv_preadv(bs->file, s->offset + offset, bytes, qiov, flags);
    }
    iovec_init(&sub, qiov->niov);
    iovec_concat(&sub, qiov, qoff, bytes);
    ret = bdrv_preadv(bs->file, s->offset + offset, bytes, &sub, flags);
    iovec_destroy(&sub);
    return ret;
}

static int raw_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes,
                       IOVector *qiov, size_t qoff, int flags)
{
    BDRVRawState *s = bs->opaque;
    IOVector sub;
    int ret;

    if (qoff == 0 && bytes == (int64_t)qiov->size) {
        return bdrv_pwritev(bs->file, s->offset + offset, bytes, qiov,
                            flags);
    }
    iovec_init(&sub, qiov->niov);
    iovec_concat(&sub, qiov, qoff, bytes);
    ret = bdrv_pwritev(bs->file, s->offset + offset, bytes, &sub, flags);
    iovec_destroy(&sub);
    return ret;
}

static int raw_pwrite_zeroes(BlockDriverState *bs, int64_t offset,
                             int64_t bytes, int flags)
{
    BDRVRawState *s = bs->opaque;
    return bdrv_pwrite_zeroes(bs->file, s->offset + offset, bytes, flags);
}

static int raw_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    BDRVRawState *s = bs->opaque;
    return bdrv_pdiscard(bs->file, s->offset + offset, bytes);
}

static int64_t raw_getlength(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;
    return s->length;
}

static bool raw_truncate(BlockDriverState *bs, int64_t size,
                         PreallocMode prealloc, Error **errp)
{
    BDRVRawState *s = bs->opaque;

    if (s->has_size || s->offset) {
        error_setg(errp, "Cannot resize a raw image with offset or size");
        return false;
    }
    if (!bdrv_truncate(bs->file, size, prealloc, errp)) {
        return false;
    }
    s->length = size;
    return true;
}

static int raw_block_status(BlockDriverState *bs, int64_t offset,
                            int64_t bytes, int64_t *pnum, int64_t *map,
                            BlockDriverState **file)
{
    BDRVRawState *s = bs->opaque;
    int ret = bdrv_block_status(bs->file, s->offset + offset, bytes, pnum,
                                map, file);

    if (ret < 0) {
        return ret;
    }
    if (*pnum == 0) {
        /* past the end of the file (sized window): reads give zeroes */
        *pnum = bytes;
        return BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED;
    }
    return (ret & ~BDRV_BLOCK_EOF) | BDRV_BLOCK_ALLOCATED;
}

static bool raw_create(const char *filename, Opts *opts, Error **errp)
{
    return bdrv_file.create(filename, opts, errp);
}

static bool raw_get_info(BlockDriverState *bs, BlockDriverInfo *bdi)
{
    return true;
}

static bool raw_try_submit(BlockDriverState *bs, int op, int64_t offset,
                           int64_t bytes, IOVector *qiov, int flags,
                           void (*cb)(void *opaque, int ret), void *opaque)
{
    BDRVRawState *s = bs->opaque;

    if (flags & BDRV_REQ_FUA) {
        return false;
    }
    return bs->file->drv->try_submit &&
           bs->file->drv->try_submit(bs->file, op, s->offset + offset, bytes,
                                     qiov, flags, cb, opaque);
}

BlockDriver bdrv_raw = {
    .format_name = "raw",
    .instance_size = sizeof(BDRVRawState),
    .is_format = true,
    .probe = raw_probe,
    .open = raw_open,
    .preadv = raw_preadv,
    .pwritev = raw_pwritev,
    .pwrite_zeroes = raw_pwrite_zeroes,
    .pdiscard = raw_pdiscard,
    .getlength = raw_getlength,
    .truncate = raw_truncate,
    .block_status = raw_block_status,
    .create = raw_create,
    .create_help = "size             Virtual disk size\n"
                   "preallocation    off, falloc, full\n",
    .get_info = raw_get_info,
    .try_submit = raw_try_submit,
};
