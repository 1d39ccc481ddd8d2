/*
 * aio=io_uring (see block/io-uring.h).
 *
 * Submission may come from any thread (the SQ is under a mutex);
 * completions are reaped by one thread at a time, the one holding the
 * BQL (the main loop's fd handler, or a drain).  Short transfers are
 * resubmitted for the rest; a read that reaches the end of the file
 * fills the rest with zeroes, as the threads engine does.
 */
#include "turtle/osdep.h"
#include "block/io-uring.h"
#include "block/block_int.h"

#ifdef CONFIG_LINUX_IO_URING
#include <liburing.h>
#include <sys/eventfd.h>

#define RING_ENTRIES 256

typedef struct LuringReq {
    int op;
    int fd;
    int64_t offset;
    int64_t bytes;
    int64_t done;
    IOVector qiov;              /* a copy of the caller's array */
    IOVector cur;               /* what is in flight (the rest) */
    BlockDriverState *bs;
    BdrvTrackedRequest tracked;
    bool is_tracked;
    void (*cb)(void *opaque, int ret);
    void *opaque;
} LuringReq;

struct LuringState {
    struct io_uring ring;
    int efd;
    pthread_mutex_t sq_lock;
    bool attached;
    int plugged;                /* > 0: batch, submit at unplug */
    int unsubmitted;
};

static LuringState *the_ring;
static pthread_mutex_t ring_init_lock = PTHREAD_MUTEX_INITIALIZER;
static int in_flight;

bool luring_available(Error **errp)
{
    return luring_get(errp) != NULL;
}

LuringState *luring_get(Error **errp)
{
    LuringState *r;
    int ret;

    pthread_mutex_lock(&ring_init_lock);
    if (the_ring) {
        pthread_mutex_unlock(&ring_init_lock);
        return the_ring;
    }
    r = g_new0(LuringState, 1);
    ret = io_uring_queue_init(RING_ENTRIES, &r->ring, 0);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Unable to use io_uring");
        g_free(r);
        pthread_mutex_unlock(&ring_init_lock);
        return NULL;
    }
    r->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (r->efd < 0 || io_uring_register_eventfd(&r->ring, r->efd) < 0) {
        error_setg(errp, "Unable to use io_uring: no eventfd");
        if (r->efd >= 0) {
            close(r->efd);
        }
        io_uring_queue_exit(&r->ring);
        g_free(r);
        pthread_mutex_unlock(&ring_init_lock);
        return NULL;
    }
    pthread_mutex_init(&r->sq_lock, NULL);
    the_ring = r;
    pthread_mutex_unlock(&ring_init_lock);
    return r;
}

int luring_get_eventfd(void)
{
    return the_ring ? the_ring->efd : -1;
}

void luring_set_attached(bool attached)
{
    if (the_ring) {
        the_ring->attached = attached;
    }
}

int luring_in_flight(void)
{
    return g_atomic_int_get(&in_flight);
}

/* Queue req->cur; false if the SQ is full. */
static void luring_poll_locked(LuringState *r, bool wait);

static bool luring_queue(LuringState *r, LuringReq *req)
{
    struct io_uring_sqe *sqe;

    pthread_mutex_lock(&r->sq_lock);
    sqe = io_uring_get_sqe(&r->ring);
    if (!sqe && r->unsubmitted) {
        r->unsubmitted = 0;
        io_uring_submit(&r->ring);
        sqe = io_uring_get_sqe(&r->ring);
    }
    if (!sqe) {
        pthread_mutex_unlock(&r->sq_lock);
        return false;
    }
    switch (req->op) {
    case LURING_OP_READ:
        io_uring_prep_readv(sqe, req->fd, req->cur.iov,
                            MIN(req->cur.niov, IOV_MAX),
                            req->offset + req->done);
        break;
    case LURING_OP_WRITE:
        io_uring_prep_writev(sqe, req->fd, req->cur.iov,
                             MIN(req->cur.niov, IOV_MAX),
                             req->offset + req->done);
        break;
    default:
        io_uring_prep_fsync(sqe, req->fd, IORING_FSYNC_DATASYNC);
        break;
    }
    io_uring_sqe_set_data(sqe, req);
    if (r->plugged) {
        r->unsubmitted++;
    } else {
        io_uring_submit(&r->ring);
    }
    pthread_mutex_unlock(&r->sq_lock);
    return true;
}

bool luring_submit(LuringState *r, BlockDriverState *bs, int fd, int op,
                   int64_t offset, int64_t bytes, IOVector *qiov,
                   void (*cb)(void *opaque, int ret), void *opaque)
{
    LuringReq *req;

    if (!r || !r->attached) {
        return false;
    }
    req = g_new0(LuringReq, 1);
    req->op = op;
    req->fd = fd;
    req->offset = offset;
    req->bytes = bytes;
    req->bs = bs;
    req->cb = cb;
    req->opaque = opaque;
    if (op != LURING_OP_FLUSH) {
        iovec_init(&req->qiov, qiov->niov);
        iovec_concat(&req->qiov, qiov, 0, bytes);
        iovec_init(&req->cur, qiov->niov);
        iovec_concat(&req->cur, &req->qiov, 0, bytes);
    }
    if (op == LURING_OP_WRITE && bs->request_alignment > 1) {
        /* an O_DIRECT write must not race a read-modify-write of the
         * same blocks in a worker thread */
        req->tracked.offset = offset;
        req->tracked.bytes = bytes;
        if (!bdrv_tracked_try_begin(bs, &req->tracked)) {
            goto fail;
        }
        req->is_tracked = true;
    }
    g_atomic_int_inc(&in_flight);
    if (!luring_queue(r, req)) {
        g_atomic_int_add(&in_flight, -1);
        goto fail;
    }
    return true;

fail:
    if (req->is_tracked) {
        bdrv_tracked_end(bs, &req->tracked);
    }
    iovec_destroy(&req->qiov);
    iovec_destroy(&req->cur);
    g_free(req);
    return false;
}

static void luring_complete(LuringReq *req, int ret)
{
    if (req->is_tracked) {
        bdrv_tracked_end(req->bs, &req->tracked);
    }
    g_atomic_int_add(&in_flight, -1);
    req->cb(req->opaque, ret);
    iovec_destroy(&req->qiov);
    iovec_destroy(&req->cur);
    g_free(req);
}

/* Finish the rest of a short transfer synchronously (SQ full). */
static int luring_finish_sync(LuringReq *req)
{
    while (req->done < req->bytes) {
        ssize_t n = req->op == LURING_OP_READ
            ? preadv(req->fd, req->cur.iov, MIN(req->cur.niov, IOV_MAX),
                     req->offset + req->done)
            : pwritev(req->fd, req->cur.iov, MIN(req->cur.niov, IOV_MAX),
                      req->offset + req->done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        if (n == 0) {
            if (req->op == LURING_OP_WRITE) {
                return -EIO;
            }
            iov_memset(req->cur.iov, req->cur.niov, 0, 0,
                       req->bytes - req->done);
            return 0;
        }
        req->done += n;
        iovec_reset(&req->cur);
        iovec_concat(&req->cur, &req->qiov, req->done,
                     req->bytes - req->done);
    }
    return 0;
}

static void luring_handle(LuringState *r, LuringReq *req, int res)
{
    if (res == -EINTR || res == -EAGAIN) {
        if (!luring_queue(r, req)) {
            luring_complete(req, luring_finish_sync(req));
        }
        return;
    }
    if (res < 0 || req->op == LURING_OP_FLUSH) {
        luring_complete(req, res < 0 ? res : 0);
        return;
    }
    if (res == 0 && req->done < req->bytes) {
        if (req->op == LURING_OP_WRITE) {
            luring_complete(req, -EIO);
            return;
        }
        /* end of file: the rest reads as zeroes */
        iov_memset(req->cur.iov, req->cur.niov, 0, 0,
                   req->bytes - req->done);
        luring_complete(req, 0);
        return;
    }
    req->done += res;
    if (req->done >= req->bytes) {
        luring_complete(req, 0);
        return;
    }
    iovec_reset(&req->cur);
    iovec_concat(&req->cur, &req->qiov, req->done, req->bytes - req->done);
    if (!luring_queue(r, req)) {
        luring_complete(req, luring_finish_sync(req));
    }
}

void luring_plug(void)
{
    LuringState *r = the_ring;

    if (r) {
        pthread_mutex_lock(&r->sq_lock);
        r->plugged++;
        pthread_mutex_unlock(&r->sq_lock);
    }
}

void luring_unplug(void)
{
    LuringState *r = the_ring;

    if (r) {
        pthread_mutex_lock(&r->sq_lock);
        if (--r->plugged == 0 && r->unsubmitted) {
            r->unsubmitted = 0;
            io_uring_submit(&r->ring);
        }
        pthread_mutex_unlock(&r->sq_lock);
    }
}

void luring_poll(bool wait)
{
    LuringState *r = the_ring;

    if (!r) {
        return;
    }
    /* requests the callbacks start go in one submission */
    luring_plug();
    luring_poll_locked(r, wait);
    luring_unplug();
}

static void luring_poll_locked(LuringState *r, bool wait)
{
    struct io_uring_cqe *cqe;
    uint64_t cnt;

    if (read(r->efd, &cnt, sizeof(cnt)) < 0) {
        /* nothing signalled: fine, the CQ is checked anyway */
    }
    for (;;) {
        int ret = io_uring_peek_cqe(&r->ring, &cqe);

        if (ret == -EAGAIN && wait && luring_in_flight() > 0) {
            ret = io_uring_wait_cqe(&r->ring, &cqe);
            wait = false;
        }
        if (ret < 0 || !cqe) {
            return;
        }
        {
            LuringReq *req = io_uring_cqe_get_data(cqe);
            int res = cqe->res;

            io_uring_cqe_seen(&r->ring, cqe);
            luring_handle(r, req, res);
        }
    }
}

#else /* !CONFIG_LINUX_IO_URING */

bool luring_available(Error **errp)
{
    error_setg(errp, "aio=io_uring: this build has no io_uring support "
               "(install liburing-dev and re-run configure)");
    return false;
}

LuringState *luring_get(Error **errp)
{
    luring_available(errp);
    return NULL;
}

int luring_get_eventfd(void)
{
    return -1;
}

void luring_set_attached(bool attached)
{
}

bool luring_submit(LuringState *ring, BlockDriverState *bs, int fd, int op,
                   int64_t offset, int64_t bytes, IOVector *qiov,
                   void (*cb)(void *opaque, int ret), void *opaque)
{
    return false;
}

void luring_poll(bool wait)
{
}

void luring_plug(void)
{
}

void luring_unplug(void)
{
}

int luring_in_flight(void)
{
    return 0;
}

#endif
