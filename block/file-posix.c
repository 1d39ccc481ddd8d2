/*
 * The "file" protocol driver: host files and block devices.
 *
 * Options (from -drive / -blockdev): cache.direct (O_DIRECT, with the
 * request alignment probed from the file), cache.no-flush, aio=threads
 * (this file's preadv/pwritev run in block worker threads) or io_uring
 * (block/io-uring.c submits straight to the kernel), locking.
 *
 * Image locking follows QEMU's byte-range scheme with OFD locks, so
 * Turtle and QEMU tools see each other's locks: a shared lock on byte
 * 100 + bit says "I use this permission", one on byte 200 + bit says "I
 * refuse to share it"; bits are consistent-read 0, write 1, write-
 * unchanged 2, resize 3.
 */
#include "turtle/osdep.h"
#include "block/block_int.h"
#include "block/io-uring.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>
#include <linux/falloc.h>

#define LOCK_PERM_BASE   100
#define LOCK_SHARED_BASE 200
#define LOCK_BITS        4

typedef struct BDRVFileState {
    int fd;
    bool is_blockdev;
    int64_t blockdev_size;
    uint64_t locked_perm;       /* bytes 100+i we hold */
    uint64_t locked_unshared;   /* bytes 200+i we hold */
    bool discard_unsupported;
    bool zero_range_unsupported;
    LuringState *ring;          /* aio=io_uring */
} BDRVFileState;

static const char *const perm_names[LOCK_BITS] = {
    "consistent read", "write", "write unchanged", "resize",
};

static int ofd_lock(int fd, int64_t start, int type)
{
    struct flock fl = {
        .l_whence = SEEK_SET,
        .l_start = start,
        .l_len = 1,
        .l_type = type,
    };
    return fcntl(fd, F_OFD_SETLK, &fl) < 0 ? -errno : 0;
}

/* Does another open file description hold a lock on byte start? */
static bool ofd_locked_by_other(int fd, int64_t start)
{
    struct flock fl = {
        .l_whence = SEEK_SET,
        .l_start = start,
        .l_len = 1,
        .l_type = F_WRLCK,
    };
    if (fcntl(fd, F_OFD_GETLK, &fl) < 0) {
        return false;
    }
    return fl.l_type != F_UNLCK;
}

bool file_set_perm(BlockDriverState *bs, uint64_t perm, uint64_t unshared,
                   Error **errp)
{
    BDRVFileState *s = bs->opaque;

    g_assert(bs->drv == &bdrv_file);
    /* take our locks first, then look for others' conflicting ones: two
     * processes racing both see each other */
    for (int i = 0; i < LOCK_BITS; i++) {
        uint64_t bit = 1ull << i;
        int ret = 0;

        if ((perm & bit) && !(s->locked_perm & bit)) {
            ret = ofd_lock(s->fd, LOCK_PERM_BASE + i, F_RDLCK);
        }
        if (ret == 0 && (unshared & bit) && !(s->locked_unshared & bit)) {
            ret = ofd_lock(s->fd, LOCK_SHARED_BASE + i, F_RDLCK);
        }
        if (ret == -EAGAIN || ret == -EACCES) {
            error_setg(errp, "Failed to lock byte %d",
                       (perm & bit) ? LOCK_PERM_BASE + i
                                    : LOCK_SHARED_BASE + i);
            return false;
        }
        if (ret == -ENOTSUP || ret == -EINVAL || ret == -ENOLCK) {
            return true;        /* no locks on this file system */
        }
    }
    for (int i = 0; i < LOCK_BITS; i++) {
        uint64_t bit = 1ull << i;

        if ((perm & bit) && ofd_locked_by_other(s->fd, LOCK_SHARED_BASE + i)) {
            error_setg(errp, "Failed to get \"%s\" lock", perm_names[i]);
            error_append_hint(errp, "Is another process using the image "
                              "[%s]?\n", bs->filename);
            goto undo;
        }
        if ((unshared & bit) && ofd_locked_by_other(s->fd, LOCK_PERM_BASE + i)) {
            error_setg(errp, "Failed to get shared \"%s\" lock",
                       perm_names[i]);
            error_append_hint(errp, "Is another process using the image "
                              "[%s]?\n", bs->filename);
            goto undo;
        }
    }
    /* drop what we no longer need */
    for (int i = 0; i < LOCK_BITS; i++) {
        uint64_t bit = 1ull << i;

        if (!(perm & bit) && (s->locked_perm & bit)) {
            ofd_lock(s->fd, LOCK_PERM_BASE + i, F_UNLCK);
        }
        if (!(unshared & bit) && (s->locked_unshared & bit)) {
            ofd_lock(s->fd, LOCK_SHARED_BASE + i, F_UNLCK);
        }
    }
    s->locked_perm = perm;
    s->locked_unshared = unshared;
    return true;

undo:
    for (int i = 0; i < LOCK_BITS; i++) {
        uint64_t bit = 1ull << i;

        if ((perm & bit) && !(s->locked_perm & bit)) {
            ofd_lock(s->fd, LOCK_PERM_BASE + i, F_UNLCK);
        }
        if ((unshared & bit) && !(s->locked_unshared & bit)) {
            ofd_lock(s->fd, LOCK_SHARED_BASE + i, F_UNLCK);
        }
    }
    return false;
}

/* O_DIRECT: the smallest read size and memory alignment the file takes. */
static void file_probe_alignment(BlockDriverState *bs, BDRVFileState *s)
{
    unsigned int sector = 0;
    void *buf;

    bs->request_alignment = 4096;
    bs->buf_align = 4096;
    if (s->is_blockdev && ioctl(s->fd, BLKSSZGET, &sector) == 0 && sector) {
        bs->request_alignment = sector;
        bs->buf_align = sector;
        return;
    }
    if (posix_memalign(&buf, 4096, 2 * 4096)) {
        return;
    }
    for (uint32_t a = 512; a <= 4096; a <<= 1) {
        if (pread(s->fd, buf, a, 0) >= 0) {
            bs->request_alignment = a;
            break;
        }
    }
    for (uint32_t a = 512; a <= 4096; a <<= 1) {
        if (pread(s->fd, (char *)buf + a, bs->request_alignment, 0) >= 0) {
            bs->buf_align = a;
            break;
        }
    }
    free(buf);
}

static bool file_open(BlockDriverState *bs, Opts *opts, int flags,
                      Error **errp)
{
    BDRVFileState *s = bs->opaque;
    int oflags = O_CLOEXEC | ((flags & BDRV_O_RDWR) ? O_RDWR : O_RDONLY);
    struct stat st;

    if (flags & BDRV_O_NOCACHE) {
        oflags |= O_DIRECT;
    }
    s->fd = open(bs->filename, oflags);
    if (s->fd < 0 && errno == EINVAL && (oflags & O_DIRECT)) {
        error_setg(errp, "Could not open '%s': the file system does not "
                   "support O_DIRECT (cache=none/directsync)", bs->filename);
        return false;
    }
    if (s->fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", bs->filename);
        return false;
    }
    if (fstat(s->fd, &st) < 0) {
        error_setg_errno(errp, errno, "Could not stat '%s'", bs->filename);
        close(s->fd);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        error_setg(errp, "'%s' is a directory", bs->filename);
        close(s->fd);
        return false;
    }
    if (S_ISBLK(st.st_mode)) {
        uint64_t size = 0;

        s->is_blockdev = true;
        if (ioctl(s->fd, BLKGETSIZE64, &size) < 0) {
            error_setg_errno(errp, errno, "Could not get the size of '%s'",
                             bs->filename);
            close(s->fd);
            return false;
        }
        s->blockdev_size = size;
    } else if (!S_ISREG(st.st_mode)) {
        error_setg(errp, "'%s' is not a regular file or a block device",
                   bs->filename);
        close(s->fd);
        return false;
    }
    bs->has_zero_init = !s->is_blockdev;
    if (flags & BDRV_O_NOCACHE) {
        file_probe_alignment(bs, s);
    }
    if (flags & BDRV_O_IO_URING) {
        s->ring = luring_get(errp);
        if (!s->ring) {
            close(s->fd);
            return false;
        }
    }
    return true;
}

static void file_close(BlockDriverState *bs)
{
    BDRVFileState *s = bs->opaque;

    if (s->fd >= 0) {
        close(s->fd);       /* drops the OFD locks too */
        s->fd = -1;
    }
}

int file_get_fd(BlockDriverState *bs)
{
    BDRVFileState *s = bs->opaque;
    return bs->drv == &bdrv_file ? s->fd : -1;
}

LuringState *file_get_ring(BlockDriverState *bs)
{
    BDRVFileState *s = bs->opaque;
    return bs->drv == &bdrv_file ? s->ring : NULL;
}

static int file_rw(BlockDriverState *bs, bool write, int64_t offset,
                   int64_t bytes, IOVector *qiov, size_t qoff)
{
    BDRVFileState *s = bs->opaque;
    IOVector sub;
    int ret = 0;

    iovec_init(&sub, qiov->niov);
    iovec_concat(&sub, qiov, qoff, bytes);
    while (bytes > 0) {
        struct iovec *iov = sub.iov;
        int niov = sub.niov;
        ssize_t n;
        IOVector rest;

        n = write ? pwritev(s->fd, iov, MIN(niov, IOV_MAX), offset)
                  : preadv(s->fd, iov, MIN(niov, IOV_MAX), offset);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            ret = -errno;
            break;
        }
        if (n == 0) {
            if (write) {
                ret = -EIO;
            } else {
                /* reads past the end of the file return zeroes */
                iov_memset(sub.iov, sub.niov, 0, 0, bytes);
            }
            break;
        }
        offset += n;
        bytes -= n;
        iovec_init(&rest, niov);
        iovec_concat(&rest, &sub, n, bytes);
        iovec_destroy(&sub);
        sub = rest;
    }
    iovec_destroy(&sub);
    return ret;
}

static int file_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes,
                       IOVector *qiov, size_t qoff, int flags)
{
    return file_rw(bs, false, offset, bytes, qiov, qoff);
}

static int file_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes,
                        IOVector *qiov, size_t qoff, int flags)
{
    return file_rw(bs, true, offset, bytes, qiov, qoff);
}

static int file_flush_to_disk(BlockDriverState *bs)
{
    BDRVFileState *s = bs->opaque;

    if (fdatasync(s->fd) < 0) {
        return -errno;
    }
    return 0;
}

static int64_t file_getlength(BlockDriverState *bs)
{
    BDRVFileState *s = bs->opaque;
    struct stat st;

    if (s->is_blockdev) {
        return s->blockdev_size;
    }
    if (fstat(s->fd, &st) < 0) {
        return -errno;
    }
    return st.st_size;
}

static int64_t file_get_allocated_file_size(BlockDriverState *bs)
{
    BDRVFileState *s = bs->opaque;
    struct stat st;

    if (fstat(s->fd, &st) < 0) {
        return -errno;
    }
    return (int64_t)st.st_blocks * 512;
}

static int file_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    BDRVFileState *s = bs->opaque;
    int ret;

    if (s->discard_unsupported) {
        return -ENOTSUP;
    }
    if (s->is_blockdev) {
        uint64_t range[2] = { offset, bytes };
        ret = ioctl(s->fd, BLKDISCARD, range) < 0 ? -errno : 0;
    } else {
        ret = fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                        offset, bytes) < 0 ? -errno : 0;
    }
    if (ret == -EOPNOTSUPP || ret == -ENOTTY || ret == -EINVAL) {
        s->discard_unsupported = true;
        return -ENOTSUP;
    }
    return ret;
}

static int file_pwrite_zeroes(BlockDriverState *bs, int64_t offset,
                              int64_t bytes, int flags)
{
    BDRVFileState *s = bs->opaque;
    int64_t len = file_getlength(bs);

    if (s->is_blockdev) {
        uint64_t range[2] = { offset, bytes };
        if (fallocate(s->fd, FALLOC_FL_ZERO_RANGE, offset, bytes) == 0 ||
            ioctl(s->fd, BLKZEROOUT, range) == 0) {
            return 0;
        }
        return -ENOTSUP;
    }
    if (len >= 0 && offset >= len) {
        /* past the end: growing the file gives zeroes */
        return ftruncate(s->fd, offset + bytes) < 0 ? -errno : 0;
    }
    if ((flags & BDRV_REQ_MAY_UNMAP) && len >= 0 && offset + bytes <= len &&
        fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                  offset, bytes) == 0) {
        return 0;
    }
    if (!s->zero_range_unsupported) {
        if (fallocate(s->fd, FALLOC_FL_ZERO_RANGE, offset, bytes) == 0) {
            return 0;
        }
        if (errno != EOPNOTSUPP && errno != EINVAL) {
            return -errno;
        }
        s->zero_range_unsupported = true;
    }
    return -ENOTSUP;
}

static int file_block_status(BlockDriverState *bs, int64_t offset,
                             int64_t bytes, int64_t *pnum, int64_t *map,
                             BlockDriverState **file)
{
    BDRVFileState *s = bs->opaque;
    off_t data, hole;

    *map = offset;
    *file = bs;
    *pnum = bytes;
    if (s->is_blockdev) {
        return BDRV_BLOCK_DATA | BDRV_BLOCK_OFFSET_VALID |
               BDRV_BLOCK_ALLOCATED;
    }
    data = lseek(s->fd, offset, SEEK_DATA);
    if (data < 0) {
        if (errno == ENXIO) {
            /* a hole up to the end of the file */
            return BDRV_BLOCK_ZERO | BDRV_BLOCK_OFFSET_VALID |
                   BDRV_BLOCK_ALLOCATED;
        }
        /* no SEEK_DATA on this file system: all data */
        return BDRV_BLOCK_DATA | BDRV_BLOCK_OFFSET_VALID |
               BDRV_BLOCK_ALLOCATED;
    }
    if (data > offset) {
        *pnum = MIN(bytes, data - offset);
        return BDRV_BLOCK_ZERO | BDRV_BLOCK_OFFSET_VALID |
               BDRV_BLOCK_ALLOCATED;
    }
    hole = lseek(s->fd, offset, SEEK_HOLE);
    if (hole > offset) {
        *pnum = MIN(bytes, hole - offset);
    }
    return BDRV_BLOCK_DATA | BDRV_BLOCK_OFFSET_VALID | BDRV_BLOCK_ALLOCATED;
}

static int file_preallocate(int fd, int64_t from, int64_t to,
                            PreallocMode prealloc)
{
    if (prealloc == PREALLOC_MODE_FALLOC) {
        int err = posix_fallocate(fd, from, to - from);
        return -err;
    }
    if (prealloc == PREALLOC_MODE_FULL) {
        size_t chunk = MiB;
        char *buf = g_malloc0(chunk);
        int ret = 0;

        for (int64_t off = from; off < to; off += chunk) {
            size_t n = MIN((int64_t)chunk, to - off);
            if (pwrite(fd, buf, n, off) != (ssize_t)n) {
                ret = errno ? -errno : -EIO;
                break;
            }
        }
        g_free(buf);
        return ret;
    }
    return 0;
}

static bool file_truncate(BlockDriverState *bs, int64_t size,
                          PreallocMode prealloc, Error **errp)
{
    BDRVFileState *s = bs->opaque;
    int64_t old = file_getlength(bs);
    int ret;

    if (s->is_blockdev) {
        if (size > s->blockdev_size) {
            error_setg(errp, "Cannot grow device files");
            return false;
        }
        return true;
    }
    if (prealloc == PREALLOC_MODE_METADATA) {
        error_setg(errp, "Preallocation mode 'metadata' unsupported for "
                   "file nodes");
        return false;
    }
    if (ftruncate(s->fd, size) < 0) {
        error_setg_errno(errp, errno, "Failed to resize '%s'", bs->filename);
        return false;
    }
    if (old >= 0 && size > old) {
        ret = file_preallocate(s->fd, old, size, prealloc);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not preallocate new data");
            return false;
        }
    }
    return true;
}

static bool file_create(const char *filename, Opts *opts, Error **errp)
{
    uint64_t size = 0;
    PreallocMode prealloc = PREALLOC_MODE_OFF;
    const char *p;
    struct stat st;
    int fd, ret;

    if (!opts_get_size(opts, "size", &size, errp)) {
        return false;
    }
    p = opts_get(opts, "preallocation");
    if (p && (!prealloc_mode_parse(p, &prealloc) ||
              prealloc == PREALLOC_MODE_METADATA)) {
        error_setg(errp, "Invalid preallocation mode '%s' for raw (off, "
                   "falloc, full)", p);
        return false;
    }
    if (size > (uint64_t)BDRV_MAX_LENGTH) {
        error_setg(errp, "Image size too large");
        return false;
    }
    fd = open(filename, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not create '%s'", filename);
        return false;
    }
    if (fstat(fd, &st) == 0 && S_ISBLK(st.st_mode)) {
        close(fd);              /* a device: nothing to size */
        return true;
    }
    if (ftruncate(fd, 0) < 0 || ftruncate(fd, size) < 0) {
        error_setg_errno(errp, errno, "Could not resize '%s'", filename);
        close(fd);
        return false;
    }
    ret = file_preallocate(fd, 0, size, prealloc);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not preallocate '%s'", filename);
        close(fd);
        return false;
    }
    if (close(fd) < 0) {
        error_setg_errno(errp, errno, "Could not close '%s'", filename);
        return false;
    }
    return true;
}

static bool file_try_submit(BlockDriverState *bs, int op, int64_t offset,
                            int64_t bytes, IOVector *qiov, int flags,
                            void (*cb)(void *opaque, int ret), void *opaque)
{
    BDRVFileState *s = bs->opaque;

    uint32_t align = bs->request_alignment;

    if (!s->ring ||
        (op == LURING_OP_FLUSH && (bs->open_flags & BDRV_O_NO_FLUSH))) {
        return false;
    }
    if (align > 1 && op != LURING_OP_FLUSH &&
        ((offset | bytes) & (align - 1) ||
         !iovec_is_aligned(qiov, bs->buf_align))) {
        return false;   /* the worker path bounces and aligns it */
    }
    return luring_submit(s->ring, bs, s->fd, op, offset, bytes, qiov, cb,
                         opaque);
}

BlockDriver bdrv_file = {
    .format_name = "file",
    .instance_size = sizeof(BDRVFileState),
    .is_protocol = true,
    .open = file_open,
    .close = file_close,
    .preadv = file_preadv,
    .pwritev = file_pwritev,
    .pwrite_zeroes = file_pwrite_zeroes,
    .pdiscard = file_pdiscard,
    .flush_to_disk = file_flush_to_disk,
    .getlength = file_getlength,
    .get_allocated_file_size = file_get_allocated_file_size,
    .truncate = file_truncate,
    .block_status = file_block_status,
    .create = file_create,
    .create_help = "size             Virtual disk size\n"
                   "preallocation    off, falloc, full\n",
    .try_submit = file_try_submit,
};
