/*
 * Live migration, both ends.
 *
 * Source (a thread, so the main loop and the guest keep running):
 *   setup     dirty logging on for every RAM block (TCG marks stores
 *             through TLB_NOTDIRTY, KVM through its dirty logs), every
 *             page marked dirty;
 *   iterate   send the dirty pages (clearing their bits first), re-sync,
 *             until what is left would go in under downtime-limit at the
 *             bandwidth measured on the last pass; with auto-converge the
 *             vCPUs are throttled more each pass that dirties too much;
 *   stop      stop the VM, drain and flush the disks (a shared image is
 *             consistent for the destination), send the last dirty pages,
 *             the clock and the devices, then wait for the destination's
 *             verdict on a two-way channel: the guest resumes here if the
 *             destination refused the stream or went away.
 *
 * Destination: accept, load the stream as it arrives (RAM straight into
 * guest memory: the guest has not started), the devices under the BQL,
 * then start the guest and tell the source.  A stream the destination
 * refuses is one error line and exit status 1, as QEMU's.
 */
#include "turtle/osdep.h"
#include "migration/migration.h"
#include "migration/channel.h"
#include "migration/vmstate-stream.h"
#include "block/block-backend.h"
#include "exec/ramblock.h"
#include "hw/core/cpu.h"
#include "exec/exec-all.h"
#include <sys/socket.h>
#include "monitor/monitor.h"
#include "sysemu/cpus.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "turtle/timer.h"

#define CHUNK_PAGES         256        /* pages between rate-limit checks */
#define RATE_WINDOW_NS      (100 * SCALE_MS)
#define ACK_OK              'Y'
#define ACK_FAIL            'N'
#define THROTTLE_PERIOD_MS  10

typedef enum MigStatus {
    MIG_NONE,
    MIG_SETUP,
    MIG_ACTIVE,
    MIG_CANCELLING,
    MIG_CANCELLED,
    MIG_COMPLETED,
    MIG_FAILED,
} MigStatus;

static const char *const status_names[] = {
    [MIG_NONE] = "none", [MIG_SETUP] = "setup", [MIG_ACTIVE] = "active",
    [MIG_CANCELLING] = "cancelling", [MIG_CANCELLED] = "cancelled",
    [MIG_COMPLETED] = "completed", [MIG_FAILED] = "failed",
};

const char *const migration_capability_names[MIGRATION_CAP__MAX] = {
    [MIGRATION_CAP_EVENTS] = "events",
    [MIGRATION_CAP_AUTO_CONVERGE] = "auto-converge",
};

typedef struct MigrationState {
    MigStatus status;
    bool incoming;
    bool autostart;
    bool was_running;            /* source: resume on failure */
    int cancel;                  /* atomic */
    MigChannel ch;
    GThread *thread;
    char *uri;

    /* statistics, under stats_lock (the thread writes, QMP reads) */
    GMutex stats_lock;
    int64_t start_ns, setup_ns, end_ns, downtime_ms, expected_downtime_ms;
    uint64_t transferred, remaining, total, duplicate, normal;
    uint64_t dirty_pages_rate, dirty_sync_count;
    double mbps;
    char error_desc[256];

    /* auto-converge */
    int throttle_pct;
    QEMUTimer *throttle_timer;
} MigrationState;

static MigrationState mig = {
    .ch = { .fd = -1, .listen_fd = -1 },
};
static MigrationParameters params = {
    .max_bandwidth = 128 << 20,      /* QEMU's default, bytes/s */
    .downtime_limit = 300,           /* ms, QEMU's default */
    .cpu_throttle_initial = 20,
    .cpu_throttle_increment = 10,
};
static bool caps[MIGRATION_CAP__MAX];

/* ---- status, events ---- */

/* BQL held (events go out through the monitors). */
static void set_status(MigStatus s)
{
    g_mutex_lock(&mig.stats_lock);
    mig.status = s;
    g_mutex_unlock(&mig.stats_lock);
    if (caps[MIGRATION_CAP_EVENTS]) {
        qmp_event_migration(status_names[s]);
    }
}

static void set_status_locked(MigStatus s)
{
    bql_lock();
    set_status(s);
    bql_unlock();
}

static void record_error(Error *err)
{
    g_mutex_lock(&mig.stats_lock);
    g_strlcpy(mig.error_desc, err ? error_get_pretty(err) : "",
              sizeof(mig.error_desc));
    g_mutex_unlock(&mig.stats_lock);
}

static bool status_busy(void)
{
    return mig.status == MIG_SETUP || mig.status == MIG_ACTIVE ||
           mig.status == MIG_CANCELLING;
}

void migration_get_info(MigrationInfo *info)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);

    memset(info, 0, sizeof(*info));
    g_mutex_lock(&mig.stats_lock);
    info->status = status_names[mig.status];
    if (mig.status != MIG_NONE && mig.start_ns) {
        info->has_stats = true;
        info->total_time = ((mig.end_ns ? mig.end_ns : now) - mig.start_ns) /
                           SCALE_MS;
        info->setup_time = mig.setup_ns / SCALE_MS;
        info->downtime = mig.downtime_ms;
        info->expected_downtime = mig.expected_downtime_ms;
        info->transferred = mig.transferred;
        info->remaining = mig.remaining;
        info->total = mig.total;
        info->duplicate = mig.duplicate;
        info->normal = mig.normal;
        info->normal_bytes = mig.normal * TURTLE_PAGE_SIZE;
        info->dirty_pages_rate = mig.dirty_pages_rate;
        info->dirty_sync_count = mig.dirty_sync_count;
        info->mbps = mig.mbps;
        info->throttle_pct = mig.throttle_pct;
    }
    g_strlcpy(info->error_desc, mig.error_desc, sizeof(info->error_desc));
    g_mutex_unlock(&mig.stats_lock);
}

/* ---- parameters ---- */

MigrationParameters *migration_parameters(void)
{
    return &params;
}

bool migration_set_parameters(const MigrationParameters *p, Error **errp)
{
    if (p->max_bandwidth < 0) {
        error_setg(errp, "Parameter 'max-bandwidth' expects a non-negative "
                   "number of bytes per second");
        return false;
    }
    if (p->downtime_limit < 0 || p->downtime_limit > 2000000) {
        error_setg(errp, "Parameter 'downtime-limit' expects an integer in "
                   "the range of 0 to 2000000 milliseconds");
        return false;
    }
    if (p->cpu_throttle_initial < 1 || p->cpu_throttle_initial > 99 ||
        p->cpu_throttle_increment < 1 || p->cpu_throttle_increment > 99) {
        error_setg(errp, "Parameter 'cpu-throttle-initial' and "
                   "'cpu-throttle-increment' expect a percentage of 1 to 99");
        return false;
    }
    params = *p;
    return true;
}

bool migration_capability(MigrationCapability cap)
{
    return caps[cap];
}

bool migration_set_capability(MigrationCapability cap, bool on, Error **errp)
{
    if (status_busy()) {
        error_setg(errp, "There's a migration process in progress");
        return false;
    }
    caps[cap] = on;
    return true;
}

/* ---- auto-converge: vCPUs sleep throttle_pct of each period ---- */

static void throttle_work(CPUState *cpu, run_on_cpu_data data)
{
    int pct = g_atomic_int_get(&mig.throttle_pct);
    int64_t sleep_us;

    if (!pct) {
        return;
    }
    sleep_us = THROTTLE_PERIOD_MS * 1000 * pct / (100 - pct);
    bql_unlock();
    g_usleep(sleep_us);
    bql_lock();
}

static void throttle_tick(void *opaque)
{
    CPUState *cpu;
    int pct = g_atomic_int_get(&mig.throttle_pct);

    if (!pct || !runstate_is_running()) {
        return;
    }
    CPU_FOREACH(cpu) {
        async_run_on_cpu(cpu, throttle_work, RUN_ON_CPU_HOST_INT(0));
    }
    timer_mod(mig.throttle_timer,
              qemu_clock_get_ms(QEMU_CLOCK_REALTIME) +
              THROTTLE_PERIOD_MS * 100 / (100 - pct));
}

static void throttle_set(int pct)
{
    g_mutex_lock(&mig.stats_lock);
    mig.throttle_pct = pct;
    g_mutex_unlock(&mig.stats_lock);
    if (!mig.throttle_timer) {
        mig.throttle_timer = timer_new_ms(QEMU_CLOCK_REALTIME, throttle_tick,
                                          NULL);
    }
    if (pct) {
        timer_mod(mig.throttle_timer,
                  qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + THROTTLE_PERIOD_MS);
    } else {
        timer_del(mig.throttle_timer);
    }
}

/* ---- dirty logging ---- */

static void set_logging(bool on)
{
    CPUState *cpu;

    for (unsigned i = 0; i < mig_ram_block_count(); i++) {
        RAMBlock *rb = mig_ram_block(i);
        if (rb->mr) {
            memory_region_set_log(rb->mr, on, DIRTY_MEMORY_MIGRATION);
        }
    }
    /* TLB entries made before the log was on let stores skip it */
    CPU_FOREACH(cpu) {
        tlb_flush(cpu);
    }
}

/* Pull the accelerator's dirty bits (KVM) and count what is dirty. */
static uint64_t sync_dirty(bool have_bql)
{
    uint64_t pages = 0;

    if (!have_bql) {
        bql_lock();
    }
    for (unsigned i = 0; i < mig_ram_block_count(); i++) {
        RAMBlock *rb = mig_ram_block(i);
        if (rb->mr) {
            memory_region_sync_dirty(rb->mr);
        }
    }
    if (!have_bql) {
        bql_unlock();
    }
    for (unsigned i = 0; i < mig_ram_block_count(); i++) {
        RAMBlock *rb = mig_ram_block(i);
        for (uint64_t off = 0; off < rb->size; off += TURTLE_PAGE_SIZE) {
            pages += ram_dirty_get(rb->offset + off, TURTLE_PAGE_SIZE,
                                   DIRTY_MEMORY_MIGRATION);
        }
    }
    return pages;
}

/* ---- the source thread ---- */

typedef struct Pass {
    uint64_t bytes;
    int64_t window_start;
    uint64_t window_bytes;
} Pass;

static void account(MigStream *s, const MigRamStats *st)
{
    g_mutex_lock(&mig.stats_lock);
    mig.transferred = mig_stream_bytes(s);
    mig.duplicate = st->zero_pages;
    mig.normal = st->pages - st->zero_pages;
    g_mutex_unlock(&mig.stats_lock);
}

/* Sleep as much as max-bandwidth asks, after bytes more were sent: the
 * bytes since window_start are due at that rate; a sender that fell
 * behind (idle passes) banks no more than one window of credit. */
static void rate_limit(Pass *p, uint64_t bytes)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME), due;

    if (!params.max_bandwidth) {
        return;
    }
    p->window_bytes += bytes;
    due = p->window_start + (int64_t)(p->window_bytes *
                                      (double)NANOSECONDS_PER_SECOND /
                                      params.max_bandwidth);
    if (due > now) {
        g_usleep((due - now) / 1000);
    } else if (now - due > RATE_WINDOW_NS) {
        p->window_start = now - RATE_WINDOW_NS;
        p->window_bytes = 0;
    }
}

static bool send_dirty(MigStream *s, MigRamStats *st, bool limit,
                       Error **errp)
{
    Pass p = { .window_start = qemu_clock_get_ns(QEMU_CLOCK_REALTIME) };

    for (unsigned i = 0; i < mig_ram_block_count(); i++) {
        uint64_t npages = mig_ram_block(i)->size >> TURTLE_PAGE_BITS;

        for (uint64_t pg = 0; pg < npages; pg += CHUNK_PAGES) {
            uint64_t before = mig_stream_bytes(s);

            if (g_atomic_int_get(&mig.cancel)) {
                error_setg(errp, "migration cancelled");
                return false;
            }
            if (!mig_save_ram_range(s, i, pg, CHUNK_PAGES, true, st, errp)) {
                return false;
            }
            account(s, st);
            if (limit) {
                rate_limit(&p, mig_stream_bytes(s) - before);
            }
        }
    }
    return true;
}

/* The destination's verdict, on a two-way channel. */
static bool wait_ack(Error **errp)
{
    char c = 0;
    ssize_t n;

    if (!mig.ch.two_way) {
        return true;
    }
    do {
        n = read(mig.ch.fd, &c, 1);
    } while (n < 0 && errno == EINTR);
    if (n == 1 && c == ACK_OK) {
        return true;
    }
    error_setg(errp, "the destination %s",
               n == 1 ? "refused the migration stream (see its error)"
                      : "closed the connection before loading the state");
    return false;
}

static bool precopy(MigStream *s, Error **errp)
{
    MigRamStats st = { 0 };
    uint64_t bw = params.max_bandwidth ? params.max_bandwidth : 1 << 30;
    uint64_t dirty = 0, prev_pass_bytes = 0;
    int64_t last_sync = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    int64_t t_stop;
    int iteration = 0;
    bool ok;

    if (!mig_save_header(s, errp)) {
        return false;
    }
    g_mutex_lock(&mig.stats_lock);
    mig.setup_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - mig.start_ns;
    g_mutex_unlock(&mig.stats_lock);
    set_status_locked(MIG_ACTIVE);

    for (;;) {
        int64_t t0 = qemu_clock_get_ns(QEMU_CLOCK_REALTIME), t1;
        uint64_t b0 = mig_stream_bytes(s), pass_bytes;

        if (!send_dirty(s, &st, true, errp)) {
            return false;
        }
        t1 = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
        pass_bytes = mig_stream_bytes(s) - b0;
        /* a pass of a few pages says little about the link */
        if (pass_bytes >= (1 << 20) && t1 > t0) {
            bw = pass_bytes * NANOSECONDS_PER_SECOND / (t1 - t0);
            if (params.max_bandwidth) {
                bw = MIN(bw, (uint64_t)params.max_bandwidth);
            }
        }
        dirty = sync_dirty(false);
        iteration++;
        g_mutex_lock(&mig.stats_lock);
        mig.dirty_sync_count = iteration;
        mig.remaining = dirty * TURTLE_PAGE_SIZE;
        mig.dirty_pages_rate = dirty * NANOSECONDS_PER_SECOND /
                               MAX(t1 - last_sync, 1);
        mig.expected_downtime_ms = mig.remaining * 1000 / MAX(bw, 1u);
        mig.mbps = (double)bw * 8 / 1e6;
        g_mutex_unlock(&mig.stats_lock);
        last_sync = t1;
        if (dirty * TURTLE_PAGE_SIZE * 1000 <= bw * params.downtime_limit) {
            break;
        }
        /* dirtying more than half of what a pass sends: not converging */
        if (caps[MIGRATION_CAP_AUTO_CONVERGE] && iteration >= 2 &&
            dirty * TURTLE_PAGE_SIZE > prev_pass_bytes / 2) {
            int pct = mig.throttle_pct ? mig.throttle_pct +
                      params.cpu_throttle_increment
                      : params.cpu_throttle_initial;
            bql_lock();
            throttle_set(MIN(pct, 99));
            bql_unlock();
        }
        prev_pass_bytes = pass_bytes;
    }

    /* stop and copy */
    bql_lock();
    t_stop = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    throttle_set(0);
    vm_stop(RUN_STATE_POSTMIGRATE);
    blk_drain_all();
    for (BlockBackend *blk = blk_next(NULL); blk; blk = blk_next(blk)) {
        if (blk_bs(blk) && !blk_is_read_only(blk)) {
            blk_flush(blk);
        }
    }
    sync_dirty(true);
    ok = send_dirty(s, &st, false, errp);
    ok = ok && mig_save_devices(s, errp);
    bql_unlock();
    account(s, &st);
    ok = ok && wait_ack(errp);
    g_mutex_lock(&mig.stats_lock);
    mig.downtime_ms = (qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - t_stop) /
                      SCALE_MS;
    mig.remaining = 0;
    g_mutex_unlock(&mig.stats_lock);
    return ok;
}

/* A write failed: did the destination say why before it went? */
static void explain_failure(Error **errp)
{
    char c = 0;

    if (!mig.ch.two_way || g_atomic_int_get(&mig.cancel) ||
        strstr(error_get_pretty(*errp), "destination")) {
        return;
    }
    if (recv(mig.ch.fd, &c, 1, MSG_DONTWAIT) == 1 && c == ACK_FAIL) {
        error_free(*errp);
        *errp = NULL;
        error_setg(errp, "the destination refused the migration stream "
                   "(see its error)");
    } else {
        error_prepend(errp, "the destination went away: ");
    }
}

static gpointer source_thread(gpointer opaque)
{
    g_autoptr(MigStream) s = mig_stream_new_fd(mig.ch.fd);
    Error *err = NULL;
    bool ok = precopy(s, &err);

    if (!ok) {
        explain_failure(&err);
    }

    /* exec: the command must have taken it all */
    ok = mig_channel_close(&mig.ch, ok ? &err : NULL) && ok;
    bql_lock();
    set_logging(false);
    throttle_set(0);
    g_mutex_lock(&mig.stats_lock);
    mig.end_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    g_mutex_unlock(&mig.stats_lock);
    if (ok) {
        set_status(MIG_COMPLETED);
    } else {
        record_error(err);
        if (!g_atomic_int_get(&mig.cancel)) {
            error_report("migration failed: %s", error_get_pretty(err));
        }
        /* the guest goes on here */
        if (mig.was_running) {
            vm_start();
        } else if (runstate_get() == RUN_STATE_POSTMIGRATE) {
            runstate_set(RUN_STATE_PAUSED);
        }
        set_status(g_atomic_int_get(&mig.cancel) ? MIG_CANCELLED
                                                 : MIG_FAILED);
    }
    error_free(err);
    bql_unlock();
    return NULL;
}

static void total_ram(void)
{
    uint64_t total = 0;

    for (unsigned i = 0; i < mig_ram_block_count(); i++) {
        total += mig_ram_block(i)->size;
    }
    mig.total = total;
}

bool migration_start(const char *uri, Error **errp)
{
    if (mig.incoming) {
        error_setg(errp, "Guest is waiting for an incoming migration");
        return false;
    }
    if (status_busy()) {
        error_setg(errp, "There's a migration process in progress");
        return false;
    }
    if (mig.thread) {
        g_thread_join(mig.thread);
        mig.thread = NULL;
    }
    if (!mig_channel_connect(uri, &mig.ch, errp)) {
        return false;
    }
    g_mutex_lock(&mig.stats_lock);
    mig.start_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    mig.end_ns = mig.setup_ns = 0;
    mig.downtime_ms = mig.expected_downtime_ms = 0;
    mig.transferred = mig.remaining = mig.duplicate = mig.normal = 0;
    mig.dirty_pages_rate = mig.dirty_sync_count = 0;
    mig.mbps = 0;
    mig.error_desc[0] = 0;
    total_ram();
    mig.remaining = mig.total;
    g_mutex_unlock(&mig.stats_lock);
    mig.cancel = false;
    mig.was_running = runstate_is_running();
    set_status(MIG_SETUP);
    set_logging(true);
    for (unsigned i = 0; i < mig_ram_block_count(); i++) {
        RAMBlock *rb = mig_ram_block(i);
        ram_dirty_set_range(rb->offset, rb->size, 1 << DIRTY_MEMORY_MIGRATION);
    }
    mig.thread = g_thread_new("migration", source_thread, NULL);
    return true;
}

void migration_cancel(void)
{
    if (mig.incoming || !status_busy()) {
        return;
    }
    g_atomic_int_set(&mig.cancel, true);
    set_status(MIG_CANCELLING);
    /* wake a blocked write or read on a socket */
    if (mig.ch.fd >= 0) {
        shutdown(mig.ch.fd, SHUT_RDWR);
    }
}

/* ---- destination ---- */

static void send_verdict(bool ok)
{
    char c = ok ? ACK_OK : ACK_FAIL;

    if (mig.ch.two_way && mig.ch.fd >= 0) {
        while (write(mig.ch.fd, &c, 1) < 0 && errno == EINTR) {
        }
    }
}

static gpointer incoming_thread(gpointer opaque)
{
    Error *err = NULL;
    bool ok = mig_channel_accept(&mig.ch, &err);

    if (ok) {
        g_autoptr(MigStream) s = mig_stream_new_reader_fd(mig.ch.fd);

        set_status_locked(MIG_ACTIVE);
        ok = mig_load_stream(s, true, &err);
    }
    bql_lock();
    if (ok) {
        cpu_synchronize_all_post_init();
        mig.incoming = false;       /* it may migrate on in turn */
        set_status(MIG_COMPLETED);
        if (mig.autostart) {
            vm_start();
        } else {
            runstate_set(RUN_STATE_PAUSED);
        }
        send_verdict(true);
        mig_channel_close(&mig.ch, NULL);
    } else {
        record_error(err);
        set_status(MIG_FAILED);
        send_verdict(false);
        mig_channel_close(&mig.ch, NULL);
        error_report("load of migration failed: %s", error_get_pretty(err));
        error_free(err);
        qemu_system_exit_request(1);
    }
    bql_unlock();
    return NULL;
}

static bool incoming_begin(const char *uri, Error **errp)
{
    if (!mig_channel_listen(uri, &mig.ch, errp)) {
        return false;
    }
    mig.status = MIG_SETUP;
    mig.thread = g_thread_new("migration-in", incoming_thread, NULL);
    return true;
}

bool migration_incoming(const char *uri, bool autostart, Error **errp)
{
    mig.incoming = true;
    mig.autostart = autostart;
    runstate_set(RUN_STATE_INMIGRATE);
    if (!strcmp(uri, "defer")) {
        return true;
    }
    return incoming_begin(uri, errp);
}

bool migration_incoming_defer_start(const char *uri, Error **errp)
{
    if (!mig.incoming || runstate_get() != RUN_STATE_INMIGRATE) {
        error_setg(errp, "'-incoming' was not specified on the command line");
        return false;
    }
    if (mig.status != MIG_NONE) {
        error_setg(errp, "The incoming migration has already been started");
        return false;
    }
    return incoming_begin(uri, errp);
}
