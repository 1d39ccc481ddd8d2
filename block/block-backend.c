/*
 * BlockBackend: a drive as a device sees it, and its asynchronous I/O.
 *
 * blk_aio_* run a request in one of two ways:
 *  - aio=io_uring: the node stack (raw over file) submits it straight to
 *    the ring from the calling thread; the ring's eventfd is a main-loop
 *    handler that completes it;
 *  - otherwise (and for what the fast path refuses: qcow2, unaligned
 *    O_DIRECT, FUA): a worker of a GLib thread pool runs the synchronous
 *    node I/O (block/io.c), queues the result and schedules a bottom half
 *    that runs the callbacks on the main loop with the BQL.
 * Either way the vCPU that issued the request never waits for the disk
 * and never holds the BQL while the I/O runs.
 */
#include "turtle/osdep.h"
#include "block/block-backend.h"
#include "block/block_int.h"
#include "block/io-uring.h"
#include "sysemu/main-loop.h"

/* Threads that run requests: as QEMU's pool, enough for a deep queue on
 * a fast device; idle ones exit after GLib's idle timeout. */
#define BLOCK_WORKERS_MAX 64

struct BlockBackend {
    char *name;                 /* -drive id or node name; NULL: none */
    BlockDriverState *root;
    DeviceState *dev;
    const BlockDevOps *dev_ops;
    void *dev_opaque;
    DriveInfo *dinfo;
    bool wce;
    int in_flight;              /* atomic */
    int refcnt;
    BlockAcctStats stats;       /* main loop (completions) */
};

enum { BLK_OP_READ, BLK_OP_WRITE, BLK_OP_FLUSH, BLK_OP_DISCARD,
       BLK_OP_ZEROES };

typedef struct BlkReq {
    BlockBackend *blk;
    int op;
    int64_t offset, bytes;
    IOVector qiov;
    int flags;
    BlockCompletionFunc *cb;
    void *opaque;
    int64_t start_ns;           /* for query-blockstats */
    int ret;
    struct BlkReq *next;
} BlkReq;

static GList *backends;
static GThreadPool *pool;
static QEMUBH *done_bh;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static BlkReq *done_head, **done_tail = &done_head;
static int worker_busy;        /* requests handed to workers, not queued */

/* ---- backends ---- */

static BlockBackend *blk_new(BlockDriverState *bs)
{
    BlockBackend *blk = g_new0(BlockBackend, 1);

    blk->root = bs;
    blk->wce = true;
    blk->refcnt = 1;
    backends = g_list_append(backends, blk);
    return blk;
}

BlockBackend *blk_new_with_bs(BlockDriverState *bs, Error **errp)
{
    bdrv_ref(bs);
    return blk_new(bs);
}

BlockBackend *blk_new_open(const char *filename, const char *fmt, int flags,
                           Error **errp)
{
    BlockDriverState *bs = bdrv_open(filename, fmt, flags, errp);

    return bs ? blk_new(bs) : NULL;
}

void blk_unref(BlockBackend *blk)
{
    if (!blk || --blk->refcnt > 0) {
        return;
    }
    blk_drain(blk);
    backends = g_list_remove(backends, blk);
    bdrv_unref(blk->root);
    g_free(blk->name);
    g_free(blk);
}

BlockDriverState *blk_bs(BlockBackend *blk)
{
    return blk->root;
}

/* blockdev.c names the backends of -drive and links their DriveInfo. */
void blk_set_name(BlockBackend *blk, const char *name, DriveInfo *dinfo);
void blk_set_name(BlockBackend *blk, const char *name, DriveInfo *dinfo)
{
    g_free(blk->name);
    blk->name = g_strdup(name);
    blk->dinfo = dinfo;
}

BlockBackend *blk_by_name(const char *id)
{
    BlockDriverState *bs;
    BlockBackend *blk;

    for (GList *l = backends; l; l = l->next) {
        blk = l->data;
        if (blk->name && !strcmp(blk->name, id)) {
            return blk;
        }
    }
    /* -blockdev node-name=: a device takes the node through a backend
     * made on first use */
    bs = bdrv_find_node(id);
    if (!bs) {
        return NULL;
    }
    blk = blk_new_with_bs(bs, NULL);
    blk->name = g_strdup(id);
    return blk;
}

const char *blk_name(BlockBackend *blk)
{
    return blk->name ? blk->name : "";
}

bool blk_attach_dev(BlockBackend *blk, DeviceState *dev, Error **errp)
{
    if (blk->dev && blk->dev != dev) {
        error_setg(errp, "Drive '%s' is already in use by another device",
                   blk_name(blk));
        return false;
    }
    blk->dev = dev;
    if (blk->dinfo) {
        blk->dinfo->claimed = true;
    }
    return true;
}

void blk_detach_dev(BlockBackend *blk, DeviceState *dev)
{
    if (blk->dev == dev) {
        blk->dev = NULL;
        blk->dev_ops = NULL;
        blk->dev_opaque = NULL;
    }
}

void blk_set_dev_ops(BlockBackend *blk, const BlockDevOps *ops,
                     void *opaque)
{
    blk->dev_ops = ops;
    blk->dev_opaque = opaque;
}

bool blk_truncate(BlockBackend *blk, int64_t size, Error **errp)
{
    blk_drain(blk);
    if (!bdrv_truncate(blk->root, size, PREALLOC_MODE_OFF, errp)) {
        return false;
    }
    if (blk->dev_ops && blk->dev_ops->resize_cb) {
        blk->dev_ops->resize_cb(blk->dev_opaque);
    }
    return true;
}

DeviceState *blk_get_attached_dev(BlockBackend *blk)
{
    return blk->dev;
}

int64_t blk_getlength(BlockBackend *blk)
{
    return bdrv_getlength(blk->root);
}

bool blk_is_read_only(BlockBackend *blk)
{
    return bdrv_is_read_only(blk->root);
}

bool blk_enable_write_cache(BlockBackend *blk)
{
    return blk->wce;
}

void blk_set_enable_write_cache(BlockBackend *blk, bool wce)
{
    blk->wce = wce;
}

bool blk_discard_enabled(BlockBackend *blk)
{
    return !!(bdrv_get_flags(blk->root) & BDRV_O_UNMAP);
}

const char *blk_drive_interface(BlockBackend *blk)
{
    return blk->dinfo ? blk->dinfo->interface : "none";
}

DriveInfo *blk_legacy_dinfo(BlockBackend *blk)
{
    return blk->dinfo;
}

int blk_in_flight(BlockBackend *blk)
{
    return g_atomic_int_get(&blk->in_flight);
}

/* ---- synchronous I/O ---- */

static int blk_check_request(BlockBackend *blk, int64_t offset,
                             int64_t bytes)
{
    int64_t len = blk_getlength(blk);

    if (len < 0) {
        return len;
    }
    if (offset < 0 || bytes < 0 || offset > len || bytes > len - offset) {
        return -EIO;
    }
    return 0;
}

static int blk_do_request(BlkReq *req)
{
    BlockBackend *blk = req->blk;
    BlockDriverState *bs = blk->root;
    int flags = req->flags;
    int ret = 0;

    if (req->op != BLK_OP_FLUSH) {
        ret = blk_check_request(blk, req->offset, req->bytes);
        if (ret < 0) {
            return ret;
        }
    }
    if (req->op != BLK_OP_READ && req->op != BLK_OP_FLUSH &&
        bdrv_is_read_only(bs)) {
        return -EPERM;
    }
    if (!blk->wce) {
        flags |= BDRV_REQ_FUA;      /* writethrough */
    }
    switch (req->op) {
    case BLK_OP_READ:
        return bdrv_preadv(bs, req->offset, req->bytes, &req->qiov,
                           req->flags);
    case BLK_OP_WRITE:
        return bdrv_pwritev(bs, req->offset, req->bytes, &req->qiov, flags);
    case BLK_OP_FLUSH:
        return bdrv_flush(bs);
    case BLK_OP_DISCARD:
        return bdrv_pdiscard(bs, req->offset, req->bytes);
    case BLK_OP_ZEROES:
        return bdrv_pwrite_zeroes(bs, req->offset, req->bytes, flags);
    }
    return -EINVAL;
}

int blk_pread(BlockBackend *blk, int64_t offset, void *buf, int64_t bytes)
{
    BlkReq req = { .blk = blk, .op = BLK_OP_READ, .offset = offset,
                   .bytes = bytes };

    iovec_init_buf(&req.qiov, buf, bytes);
    return blk_do_request(&req);
}

int blk_pwrite(BlockBackend *blk, int64_t offset, const void *buf,
               int64_t bytes, int flags)
{
    BlkReq req = { .blk = blk, .op = BLK_OP_WRITE, .offset = offset,
                   .bytes = bytes, .flags = flags };

    iovec_init_buf(&req.qiov, (void *)buf, bytes);
    return blk_do_request(&req);
}

int blk_flush(BlockBackend *blk)
{
    BlkReq req = { .blk = blk, .op = BLK_OP_FLUSH };

    return blk_do_request(&req);
}

/* ---- asynchronous I/O ---- */

/* What query-blockstats reports, as QEMU counts it: completed requests
 * by kind, failed ones apart. */
static void blk_account(BlockAcctStats *st, int op, int64_t bytes, int ret,
                        int64_t ns)
{
    uint64_t *ops, *failed, *bytes_out = NULL, *time = NULL;

    switch (op) {
    case BLK_OP_READ:
        ops = &st->rd_operations;
        failed = &st->failed_rd_operations;
        bytes_out = &st->rd_bytes;
        time = &st->rd_total_time_ns;
        break;
    case BLK_OP_WRITE:
    case BLK_OP_ZEROES:
        ops = &st->wr_operations;
        failed = &st->failed_wr_operations;
        bytes_out = &st->wr_bytes;
        time = &st->wr_total_time_ns;
        break;
    case BLK_OP_FLUSH:
        ops = &st->flush_operations;
        failed = &st->failed_flush_operations;
        time = &st->flush_total_time_ns;
        break;
    default:
        ops = &st->unmap_operations;
        failed = &st->failed_unmap_operations;
        bytes_out = &st->unmap_bytes;
        break;
    }
    if (ret < 0) {
        (*failed)++;
        return;
    }
    (*ops)++;
    if (bytes_out) {
        *bytes_out += bytes;
    }
    if (time) {
        *time += ns;
    }
    st->last_ns = (g_get_monotonic_time() * 1000);
}

const BlockAcctStats *blk_get_stats(BlockBackend *blk)
{
    return &blk->stats;
}

BlockBackend *blk_by_bs(BlockDriverState *bs)
{
    for (GList *l = backends; l; l = l->next) {
        BlockBackend *blk = l->data;
        if (blk->root == bs) {
            return blk;
        }
    }
    return NULL;
}

static void blk_req_free(BlkReq *req)
{
    iovec_destroy(&req->qiov);
    g_free(req);
}

/* Main loop (or a drain), BQL held. */
static void blk_req_complete(BlkReq *req)
{
    BlockBackend *blk = req->blk;

    blk_account(&blk->stats, req->op, req->bytes, req->ret,
                (g_get_monotonic_time() * 1000) - req->start_ns);

    req->cb(req->opaque, req->ret);
    g_atomic_int_add(&blk->in_flight, -1);
    blk_req_free(req);
}

static bool blk_run_completions(void)
{
    BlkReq *list;

    pthread_mutex_lock(&done_lock);
    list = done_head;
    done_head = NULL;
    done_tail = &done_head;
    pthread_mutex_unlock(&done_lock);
    if (!list) {
        return false;
    }
    while (list) {
        BlkReq *next = list->next;
        blk_req_complete(list);
        list = next;
    }
    return true;
}

static void blk_done_bh(void *opaque)
{
    blk_run_completions();
}

static void blk_queue_done(BlkReq *req)
{
    req->next = NULL;
    pthread_mutex_lock(&done_lock);
    *done_tail = req;
    done_tail = &req->next;
    pthread_cond_broadcast(&done_cond);
    pthread_mutex_unlock(&done_lock);
    qemu_bh_schedule(done_bh);
}

static void blk_worker(gpointer data, gpointer user_data)
{
    BlkReq *req = data;

    req->ret = blk_do_request(req);
    blk_queue_done(req);
    g_atomic_int_add(&worker_busy, -1);
}

static void blk_ring_fd_ready(void *opaque)
{
    luring_poll(false);
}

static void blk_aio_init(void)
{
    if (pool) {
        return;
    }
    pool = g_thread_pool_new(blk_worker, NULL, BLOCK_WORKERS_MAX, FALSE,
                             NULL);
    done_bh = qemu_bh_new(blk_done_bh, NULL);
}

/* The ring's completions come to the main loop like the workers'. */
static void blk_attach_ring(void)
{
    static bool attached;
    int efd = luring_get_eventfd();

    if (!attached && efd >= 0) {
        qemu_set_fd_handler(efd, blk_ring_fd_ready, NULL, NULL);
        luring_set_attached(true);
        attached = true;
    }
}

static void blk_ring_done(void *opaque, int ret)
{
    BlkReq *req = opaque;

    req->ret = ret;
    blk_req_complete(req);
}

static void blk_submit(BlockBackend *blk, int op, int64_t offset,
                       int64_t bytes, const struct iovec *iov, int iovcnt,
                       int flags, BlockCompletionFunc *cb, void *opaque)
{
    BlkReq *req = g_new0(BlkReq, 1);
    BlockDriverState *bs = blk->root;

    blk_aio_init();
    req->blk = blk;
    req->op = op;
    req->offset = offset;
    req->bytes = bytes;
    req->flags = flags;
    req->cb = cb;
    req->opaque = opaque;
    req->start_ns = (g_get_monotonic_time() * 1000);
    iovec_init(&req->qiov, MAX(iovcnt, 1));
    for (int i = 0; i < iovcnt; i++) {
        iovec_add(&req->qiov, iov[i].iov_base, iov[i].iov_len);
    }
    if (op == BLK_OP_READ || op == BLK_OP_WRITE) {
        req->bytes = req->qiov.size;
    }
    g_atomic_int_inc(&blk->in_flight);

    /* the io_uring fast path: plain reads, cached writes and flushes
     * that map straight onto the file (checks done here, not in a worker) */
    if (bs->drv && bs->drv->try_submit && op <= BLK_OP_FLUSH &&
        (op != BLK_OP_WRITE || blk->wce) &&
        (op == BLK_OP_READ || !bdrv_is_read_only(bs)) &&
        (op == BLK_OP_FLUSH ||
         blk_check_request(blk, req->offset, req->bytes) == 0)) {
        int lop = op == BLK_OP_READ ? LURING_OP_READ
                : op == BLK_OP_WRITE ? LURING_OP_WRITE : LURING_OP_FLUSH;

        blk_attach_ring();
        if (bs->drv->try_submit(bs, lop, req->offset, req->bytes, &req->qiov,
                                req->flags, blk_ring_done, req)) {
            return;
        }
    }
    g_atomic_int_inc(&worker_busy);
    g_thread_pool_push(pool, req, NULL);
}

void blk_aio_preadv(BlockBackend *blk, int64_t offset,
                    const struct iovec *iov, int iovcnt, int flags,
                    BlockCompletionFunc *cb, void *opaque)
{
    blk_submit(blk, BLK_OP_READ, offset, 0, iov, iovcnt, flags, cb, opaque);
}

void blk_aio_pwritev(BlockBackend *blk, int64_t offset,
                     const struct iovec *iov, int iovcnt, int flags,
                     BlockCompletionFunc *cb, void *opaque)
{
    blk_submit(blk, BLK_OP_WRITE, offset, 0, iov, iovcnt,
               flags & BDRV_REQ_FUA, cb, opaque);
}

void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque)
{
    blk_submit(blk, BLK_OP_FLUSH, 0, 0, NULL, 0, 0, cb, opaque);
}

void blk_aio_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes,
                      BlockCompletionFunc *cb, void *opaque)
{
    blk_submit(blk, BLK_OP_DISCARD, offset, bytes, NULL, 0, 0, cb, opaque);
}

void blk_aio_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes,
                           int flags, BlockCompletionFunc *cb, void *opaque)
{
    blk_submit(blk, BLK_OP_ZEROES, offset, bytes, NULL, 0,
               flags & (BDRV_REQ_MAY_UNMAP | BDRV_REQ_FUA), cb, opaque);
}

/* Wait a little for any completion (worker or ring) and run them. */
static void blk_wait_some(void)
{
    if (luring_in_flight() > 0) {
        luring_poll(false);
    }
    if (blk_run_completions()) {
        return;
    }
    pthread_mutex_lock(&done_lock);
    if (!done_head) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 1000000;          /* 1 ms: then look at the ring */
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&done_cond, &done_lock, &ts);
    }
    pthread_mutex_unlock(&done_lock);
    luring_poll(false);
    blk_run_completions();
}

void blk_drain(BlockBackend *blk)
{
    while (blk_in_flight(blk) > 0) {
        blk_wait_some();
    }
}

void blk_drain_all(void)
{
    for (;;) {
        bool busy = false;

        for (GList *l = backends; l; l = l->next) {
            if (blk_in_flight(l->data) > 0) {
                busy = true;
                break;
            }
        }
        if (!busy) {
            return;
        }
        blk_wait_some();
    }
}

/* ---- snapshots ---- */

BlockBackend *blk_next(BlockBackend *blk)
{
    GList *l = blk ? g_list_find(backends, blk) : NULL;

    if (!blk) {
        return backends ? backends->data : NULL;
    }
    return l && l->next ? l->next->data : NULL;
}

bool blk_can_snapshot(BlockBackend *blk)
{
    return bdrv_can_snapshot(blk->root);
}

bool blk_snapshot_create(BlockBackend *blk, BlockSnapshotInfo *sn,
                         Error **errp)
{
    blk_drain(blk);
    return bdrv_snapshot_create(blk->root, sn, errp);
}

bool blk_snapshot_goto(BlockBackend *blk, const char *id_or_name,
                       Error **errp)
{
    blk_drain(blk);
    return bdrv_snapshot_goto(blk->root, id_or_name, errp);
}

bool blk_snapshot_delete(BlockBackend *blk, const char *id_or_name,
                         Error **errp)
{
    blk_drain(blk);
    return bdrv_snapshot_delete(blk->root, id_or_name, errp);
}

int blk_snapshot_list(BlockBackend *blk, BlockSnapshotInfo **list)
{
    return bdrv_snapshot_list(blk->root, list);
}

/* ---- exit ---- */

void blk_close_all(void)
{
    /* Let the workers and the ring finish what they started (results
     * queued by workers are dropped: nobody waits for them any more),
     * then flush and close every image. */
    while (g_atomic_int_get(&worker_busy) > 0) {
        g_usleep(1000);
    }
    while (luring_in_flight() > 0) {
        luring_poll(true);
    }
    while (backends) {
        BlockBackend *blk = backends->data;

        backends = g_list_remove(backends, blk);
        bdrv_unref(blk->root);
        g_free(blk->name);
        g_free(blk);
    }
    bdrv_close_all();
}

void blk_io_plug(void)
{
    luring_plug();
}

void blk_io_unplug(void)
{
    luring_unplug();
}
