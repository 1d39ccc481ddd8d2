/*
 * The main loop: a GLib main context whose sources are our fd handlers,
 * bottom halves and timers.  We run the prepare/query/poll/check/dispatch
 * steps ourselves so the big lock can be dropped exactly around poll and
 * so timer deadlines have nanosecond resolution (ppoll).
 */
#include "turtle/osdep.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "turtle/timer.h"
#include "exec/memory.h"
#include <poll.h>

/* ---- the big lock ---- */

static pthread_mutex_t bql = PTHREAD_MUTEX_INITIALIZER;
static __thread bool bql_held;

void bql_lock(void)
{
    g_assert(!bql_held);
    pthread_mutex_lock(&bql);
    bql_held = true;
}

void bql_unlock(void)
{
    g_assert(bql_held);
    bql_held = false;
    pthread_mutex_unlock(&bql);
}

bool bql_locked(void)
{
    return bql_held;
}

void bql_cond_wait(pthread_cond_t *cond)
{
    g_assert(bql_held);
    bql_held = false;
    pthread_cond_wait(cond, &bql);
    bql_held = true;
}

void bql_cond_timedwait_ms(pthread_cond_t *cond, int ms)
{
    struct timespec ts;

    g_assert(bql_held);
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    bql_held = false;
    pthread_cond_timedwait(cond, &bql, &ts);
    bql_held = true;
}

/* ---- context ---- */

static GMainContext *ctx;

GMainContext *main_loop_context(void)
{
    return ctx;
}

void main_loop_notify(void)
{
    if (ctx) {
        g_main_context_wakeup(ctx);
    }
}

/* ---- fd handlers ---- */

typedef struct IOHandlerRecord {
    int fd;
    IOHandler *fd_read;
    IOHandler *fd_write;
    void *opaque;
    GPollFD pfd;
    bool deleted;
} IOHandlerRecord;

typedef struct IOHandlerSource {
    GSource source;
    GList *handlers;
} IOHandlerSource;

static IOHandlerSource *io_source;

static gboolean io_prepare(GSource *source, gint *timeout)
{
    *timeout = -1;
    return FALSE;
}

static gboolean io_check(GSource *source)
{
    IOHandlerSource *s = (IOHandlerSource *)source;

    for (GList *l = s->handlers; l; l = l->next) {
        IOHandlerRecord *r = l->data;
        if (r->pfd.revents & r->pfd.events) {
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean io_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    IOHandlerSource *s = (IOHandlerSource *)source;
    GList *l, *next;

    for (l = s->handlers; l; l = l->next) {
        IOHandlerRecord *r = l->data;
        int rev = r->pfd.revents;

        r->pfd.revents = 0;
        if (r->deleted) {
            continue;
        }
        if (r->fd_read && (rev & (G_IO_IN | G_IO_HUP | G_IO_ERR))) {
            r->fd_read(r->opaque);
        }
        if (!r->deleted && r->fd_write && (rev & (G_IO_OUT | G_IO_ERR))) {
            r->fd_write(r->opaque);
        }
    }
    for (l = s->handlers; l; l = next) {
        IOHandlerRecord *r = l->data;
        next = l->next;
        if (r->deleted) {
            s->handlers = g_list_delete_link(s->handlers, l);
            g_free(r);
        }
    }
    return TRUE;
}

static GSourceFuncs io_source_funcs = {
    .prepare = io_prepare,
    .check = io_check,
    .dispatch = io_dispatch,
};

void qemu_set_fd_handler(int fd, IOHandler *fd_read, IOHandler *fd_write,
                         void *opaque)
{
    IOHandlerRecord *r = NULL;

    for (GList *l = io_source->handlers; l; l = l->next) {
        IOHandlerRecord *c = l->data;
        if (c->fd == fd && !c->deleted) {
            r = c;
            break;
        }
    }
    if (r) {
        g_source_remove_poll(&io_source->source, &r->pfd);
        r->deleted = true;   /* freed after the current dispatch */
        r = NULL;
    }
    if (!fd_read && !fd_write) {
        /* free deleted records not inside a dispatch */
        GList *l, *next;
        for (l = io_source->handlers; l; l = next) {
            IOHandlerRecord *c = l->data;
            next = l->next;
            if (c->deleted && !g_main_context_is_owner(ctx)) {
                io_source->handlers = g_list_delete_link(io_source->handlers, l);
                g_free(c);
            }
        }
        main_loop_notify();
        return;
    }
    r = g_new0(IOHandlerRecord, 1);
    r->fd = fd;
    r->fd_read = fd_read;
    r->fd_write = fd_write;
    r->opaque = opaque;
    r->pfd.fd = fd;
    r->pfd.events = (fd_read ? G_IO_IN | G_IO_HUP | G_IO_ERR : 0) |
                    (fd_write ? G_IO_OUT | G_IO_ERR : 0);
    io_source->handlers = g_list_append(io_source->handlers, r);
    g_source_add_poll(&io_source->source, &r->pfd);
    main_loop_notify();
}

/* ---- bottom halves ---- */

struct QEMUBH {
    QEMUBHFunc *cb;
    void *opaque;
    MemReentrancyGuard *guard;   /* the device's, engaged around cb */
    int scheduled;   /* atomic */
    bool deleted;
};

typedef struct BHSource {
    GSource source;
    GPtrArray *bhs;
    pthread_mutex_t lock;
} BHSource;

static BHSource *bh_source;

static bool bh_any_scheduled(void)
{
    bool any = false;

    pthread_mutex_lock(&bh_source->lock);
    for (guint i = 0; i < bh_source->bhs->len; i++) {
        QEMUBH *bh = g_ptr_array_index(bh_source->bhs, i);
        if (g_atomic_int_get(&bh->scheduled)) {
            any = true;
            break;
        }
    }
    pthread_mutex_unlock(&bh_source->lock);
    return any;
}

static gboolean bh_prepare(GSource *source, gint *timeout)
{
    *timeout = -1;
    return bh_any_scheduled();
}

static gboolean bh_check(GSource *source)
{
    return bh_any_scheduled();
}

static gboolean bh_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    guint n;

    pthread_mutex_lock(&bh_source->lock);
    n = bh_source->bhs->len;
    pthread_mutex_unlock(&bh_source->lock);
    for (guint i = 0; i < n; i++) {
        QEMUBH *bh;

        pthread_mutex_lock(&bh_source->lock);
        bh = i < bh_source->bhs->len ? g_ptr_array_index(bh_source->bhs, i) : NULL;
        pthread_mutex_unlock(&bh_source->lock);
        if (bh && !bh->deleted && g_atomic_int_compare_and_exchange(&bh->scheduled, 1, 0)) {
            if (bh->guard) {
                bool was = memory_reentrancy_guard_begin(bh->guard);
                bh->cb(bh->opaque);
                memory_reentrancy_guard_end(bh->guard, was);
            } else {
                bh->cb(bh->opaque);
            }
        }
    }
    /* reap deleted ones */
    pthread_mutex_lock(&bh_source->lock);
    for (guint i = 0; i < bh_source->bhs->len;) {
        QEMUBH *bh = g_ptr_array_index(bh_source->bhs, i);
        if (bh->deleted) {
            g_ptr_array_remove_index(bh_source->bhs, i);
            g_free(bh);
        } else {
            i++;
        }
    }
    pthread_mutex_unlock(&bh_source->lock);
    return TRUE;
}

static GSourceFuncs bh_source_funcs = {
    .prepare = bh_prepare,
    .check = bh_check,
    .dispatch = bh_dispatch,
};

QEMUBH *qemu_bh_new(QEMUBHFunc *cb, void *opaque)
{
    return qemu_bh_new_guarded(cb, opaque, NULL);
}

QEMUBH *qemu_bh_new_guarded(QEMUBHFunc *cb, void *opaque,
                            MemReentrancyGuard *guard)
{
    QEMUBH *bh = g_new0(QEMUBH, 1);

    bh->cb = cb;
    bh->opaque = opaque;
    bh->guard = guard;
    pthread_mutex_lock(&bh_source->lock);
    g_ptr_array_add(bh_source->bhs, bh);
    pthread_mutex_unlock(&bh_source->lock);
    return bh;
}

void qemu_bh_schedule(QEMUBH *bh)
{
    if (g_atomic_int_compare_and_exchange(&bh->scheduled, 0, 1)) {
        main_loop_notify();
    }
}

void qemu_bh_cancel(QEMUBH *bh)
{
    g_atomic_int_set(&bh->scheduled, 0);
}

void qemu_bh_delete(QEMUBH *bh)
{
    if (bh) {
        g_atomic_int_set(&bh->scheduled, 0);
        bh->deleted = true;
    }
}

/* ---- timers ---- */

typedef struct TimerSource {
    GSource source;
} TimerSource;

static int64_t timers_deadline_ns(void)
{
    int64_t best = -1;

    for (int c = 0; c < QEMU_CLOCK_MAX; c++) {
        int64_t d = qemu_clock_deadline_ns(c);
        if (d >= 0 && (best < 0 || d < best)) {
            best = d;
        }
    }
    return best;
}

static gboolean timer_prepare(GSource *source, gint *timeout)
{
    int64_t d = timers_deadline_ns();

    *timeout = d < 0 ? -1 : (int)MIN(DIV_ROUND_UP(d, SCALE_MS), INT_MAX);
    return d == 0;
}

static gboolean timer_check(GSource *source)
{
    return timers_deadline_ns() == 0;
}

static gboolean timer_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    qemu_clock_run_all_timers();
    return TRUE;
}

static GSourceFuncs timer_source_funcs = {
    .prepare = timer_prepare,
    .check = timer_check,
    .dispatch = timer_dispatch,
};

/* ---- the loop ---- */

void main_loop_init(void)
{
    GSource *s;

    if (ctx) {
        return;
    }
    ctx = g_main_context_default();
    g_main_context_ref(ctx);

    s = g_source_new(&io_source_funcs, sizeof(IOHandlerSource));
    io_source = (IOHandlerSource *)s;
    g_source_attach(s, ctx);

    s = g_source_new(&bh_source_funcs, sizeof(BHSource));
    bh_source = (BHSource *)s;
    bh_source->bhs = g_ptr_array_new();
    pthread_mutex_init(&bh_source->lock, NULL);
    g_source_attach(s, ctx);

    s = g_source_new(&timer_source_funcs, sizeof(TimerSource));
    g_source_attach(s, ctx);
}

void main_loop_wait(int timeout_ms)
{
    static GPollFD *fds;
    static gint nfds_alloc = 16;
    gint max_priority, timeout, nfds;
    int64_t deadline, timeout_ns;
    struct timespec ts;
    bool locked = bql_locked();

    if (!g_main_context_acquire(ctx)) {
        return;
    }
    if (!fds) {
        fds = g_new(GPollFD, nfds_alloc);
    }
    g_main_context_prepare(ctx, &max_priority);
    while ((nfds = g_main_context_query(ctx, max_priority, &timeout, fds,
                                        nfds_alloc)) > nfds_alloc) {
        nfds_alloc = nfds;
        fds = g_renew(GPollFD, fds, nfds_alloc);
    }
    /* combine GLib's ms timeout, our ns timer deadline and the caller's */
    timeout_ns = timeout < 0 ? -1 : (int64_t)timeout * SCALE_MS;
    deadline = timers_deadline_ns();
    if (deadline >= 0 && (timeout_ns < 0 || deadline < timeout_ns)) {
        timeout_ns = deadline;
    }
    if (timeout_ms >= 0 && (timeout_ns < 0 || timeout_ms * (int64_t)SCALE_MS < timeout_ns)) {
        timeout_ns = timeout_ms * (int64_t)SCALE_MS;
    }
    ts.tv_sec = timeout_ns / NANOSECONDS_PER_SECOND;
    ts.tv_nsec = timeout_ns % NANOSECONDS_PER_SECOND;

    if (locked) {
        bql_unlock();
    }
    ppoll((struct pollfd *)fds, nfds, timeout_ns < 0 ? NULL : &ts, NULL);
    if (locked) {
        bql_lock();
    }
    if (g_main_context_check(ctx, max_priority, fds, nfds)) {
        g_main_context_dispatch(ctx);
    }
    g_main_context_release(ctx);
}

int main_loop_run(void)
{
    int status = 0;

    while (!main_loop_should_exit(&status)) {
        main_loop_wait(-1);
    }
    return status;
}
