/*
 * Crash consistency: a writer is killed with SIGKILL at random moments,
 * many times, and each time
 *   - `qemu-img check` finds no corruption (leaked clusters are allowed),
 *     and none is left after `turtle-img check -r leaks` (bdrv_check with
 *     BDRV_FIX_LEAKS); a lazy-refcounts image is repaired by the next
 *     writable open instead;
 *   - every sector holds something it may hold: what the last write that
 *     a completed flush covered put there, or what a later write or zero
 *     or discard (issued, maybe unfinished) put there -- never older data
 *     and never anything nobody wrote.
 *
 * The writer is the emulator's own I/O path without a guest: a child
 * process opens the image as a -drive would (drive_new) and keeps 16
 * requests in flight through blk_aio_* (worker threads, completions on
 * the main loop), writing sector-stamped data, zeroes and discards, with
 * flushes in between.  It logs every issue and completion to a pipe.
 */
#include "block-test-util.h"
#include "block/block-backend.h"
#include "sysemu/main-loop.h"
#include <poll.h>
#include <signal.h>

#define DISK (8 * MiB)
#define SECTORS (DISK / 512)
#define MAGIC 0x54435253u          /* "TCRS" */
#define INFLIGHT 16

enum { R_ISSUE_W = 1, R_ISSUE_Z, R_ISSUE_D, R_DONE, R_FLUSH_ISSUE,
       R_FLUSH_DONE };

typedef struct Record {
    uint32_t type;
    uint32_t nsectors;
    uint64_t gen;                  /* op id, or flush id */
    uint64_t sector;
} Record;

/* ---- the writer (child) ---- */

typedef struct ChildReq {
    uint64_t gen, sector;
    uint32_t nsectors;
    int type;
    uint8_t *buf;
    bool busy;
} ChildReq;

static int log_fd;
static ChildReq reqs[INFLIGHT];
static int flush_busy;

static void log_rec(uint32_t type, uint64_t gen, uint64_t sector,
                    uint32_t n)
{
    Record r = { type, n, gen, sector };

    if (write(log_fd, &r, sizeof(r)) != sizeof(r)) {
        _exit(3);
    }
}

static void stamp(uint8_t *p, uint64_t sector, uint64_t gen)
{
    st32_be_p(p, MAGIC);
    st64_be_p(p + 4, sector);
    st64_be_p(p + 12, gen);
    for (int i = 20; i < 512; i++) {
        p[i] = (uint8_t)(gen * 31 + sector * 7 + i);
    }
}

static void child_done(void *opaque, int ret)
{
    ChildReq *r = opaque;

    if (ret < 0) {
        _exit(4);
    }
    log_rec(R_DONE, r->gen, 0, 0);
    g_free(r->buf);
    r->buf = NULL;
    r->busy = false;
}

static void flush_done(void *opaque, int ret)
{
    if (ret < 0) {
        _exit(4);
    }
    log_rec(R_FLUSH_DONE, (uintptr_t)opaque, 0, 0);
    flush_busy = 0;
}

static bool overlaps_inflight(uint64_t s, uint32_t n)
{
    for (int i = 0; i < INFLIGHT; i++) {
        if (reqs[i].busy && s < reqs[i].sector + reqs[i].nsectors &&
            reqs[i].sector < s + n) {
            return true;
        }
    }
    return false;
}

static TURTLE_NORETURN void child_run(const char *img, const char *extra,
                                      uint32_t seed, uint64_t gen0)
{
    g_autofree char *opt = g_strdup_printf(
        "file=%s,format=qcow2,if=none,id=crash,discard=unmap%s%s", img,
        *extra ? "," : "", extra);
    BlockBackend *blk;
    DriveInfo *d;
    uint64_t gen = gen0, flush_id = 0;
    Error *err = NULL;

    main_loop_init();
    bql_lock();
    d = drive_new(opt, "none", &err);
    if (!d) {
        fprintf(stderr, "child: %s\n", error_get_pretty(err));
        _exit(2);
    }
    blk = d->blk;
    for (;;) {
        for (int i = 0; i < INFLIGHT; i++) {
            ChildReq *r = &reqs[i];
            uint32_t op = xorshift_next(&seed) % 100;
            uint64_t s;
            uint32_t n;

            if (r->busy) {
                continue;
            }
            if (op < 6) {
                if (!flush_busy) {
                    flush_busy = 1;
                    log_rec(R_FLUSH_ISSUE, ++flush_id, 0, 0);
                    blk_aio_flush(blk, flush_done, (void *)(uintptr_t)flush_id);
                }
                continue;
            }
            n = 1 + xorshift_next(&seed) % 256;
            s = xorshift_next(&seed) % (SECTORS - n);
            if (overlaps_inflight(s, n)) {
                continue;
            }
            r->gen = ++gen;
            r->sector = s;
            r->nsectors = n;
            r->busy = true;
            if (op < 84) {
                struct iovec iov;

                r->buf = g_malloc(n * 512);
                for (uint32_t k = 0; k < n; k++) {
                    stamp(r->buf + k * 512, s + k, r->gen);
                }
                iov.iov_base = r->buf;
                iov.iov_len = n * 512;
                log_rec(R_ISSUE_W, r->gen, s, n);
                blk_aio_pwritev(blk, s * 512, &iov, 1, 0, child_done, r);
            } else if (op < 92) {
                log_rec(R_ISSUE_Z, r->gen, s, n);
                blk_aio_pwrite_zeroes(blk, s * 512, n * 512,
                                      (op & 1) ? BDRV_REQ_MAY_UNMAP : 0,
                                      child_done, r);
            } else {
                log_rec(R_ISSUE_D, r->gen, s, n);
                blk_aio_pdiscard(blk, s * 512, n * 512, child_done, r);
            }
        }
        main_loop_wait(5);
    }
}

/* ---- the checker (parent) ---- */

typedef struct Op {
    int type;                      /* R_ISSUE_W / Z / D */
    uint64_t gen, sector;
    uint32_t n;
    bool durable;
} Op;

typedef struct SectorState {
    bool has_base;                 /* content before this round */
    uint64_t base_gen;             /* 0: zero */
} SectorState;

static GArray *read_log(int fd)
{
    GArray *recs = g_array_new(FALSE, FALSE, sizeof(Record));
    Record r;
    ssize_t n;

    while ((n = read(fd, &r, sizeof(r))) == sizeof(r)) {
        g_array_append_val(recs, r);
    }
    return recs;
}

/* ops in issue order with their durability */
static GArray *replay(GArray *recs)
{
    GArray *ops = g_array_new(FALSE, FALSE, sizeof(Op));
    GHashTable *index = g_hash_table_new(g_int64_hash, g_int64_equal);
    GHashTable *done = g_hash_table_new(g_int64_hash, g_int64_equal);
    GHashTable *flush_snap = g_hash_table_new_full(g_int64_hash,
                                                   g_int64_equal, NULL,
                                                   (GDestroyNotify)
                                                   g_hash_table_destroy);

    for (guint i = 0; i < recs->len; i++) {
        Record *r = &g_array_index(recs, Record, i);

        switch (r->type) {
        case R_ISSUE_W: case R_ISSUE_Z: case R_ISSUE_D: {
            Op op = { r->type, r->gen, r->sector, r->nsectors, false };
            g_array_append_val(ops, op);
            g_hash_table_insert(index, &g_array_index(recs, Record, i).gen,
                                GUINT_TO_POINTER(ops->len));
            break;
        }
        case R_DONE:
            g_hash_table_add(done, &r->gen);
            break;
        case R_FLUSH_ISSUE: {
            /* what has completed by now is covered by this flush */
            GHashTable *snap = g_hash_table_new(g_int64_hash, g_int64_equal);
            GHashTableIter it;
            gpointer k;
            g_hash_table_iter_init(&it, done);
            while (g_hash_table_iter_next(&it, &k, NULL)) {
                g_hash_table_add(snap, k);
            }
            g_hash_table_insert(flush_snap, &r->gen, snap);
            break;
        }
        case R_FLUSH_DONE: {
            GHashTable *snap = g_hash_table_lookup(flush_snap, &r->gen);
            GHashTableIter it;
            gpointer k;
            g_assert_nonnull(snap);
            g_hash_table_iter_init(&it, snap);
            while (g_hash_table_iter_next(&it, &k, NULL)) {
                guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(index, k));
                if (idx) {
                    g_array_index(ops, Op, idx - 1).durable = true;
                }
            }
            break;
        }
        }
    }
    g_hash_table_destroy(index);
    g_hash_table_destroy(done);
    g_hash_table_destroy(flush_snap);
    return ops;
}

/* Is what sector s holds allowed by the ops (in issue order)? */
static bool sector_ok(GArray *ops, GArray **per_sector, uint64_t s,
                      SectorState *st, const uint8_t *p, char *why,
                      size_t whylen)
{
    GArray *list = per_sector[s];
    int last_durable = -1;
    bool zero = true;
    uint64_t gen = 0;

    for (int i = 0; i < 512 && zero; i++) {
        zero = p[i] == 0;
    }
    if (!zero) {
        uint8_t want[512];
        if (ld32_be_p(p) != MAGIC || ld64_be_p(p + 4) != s) {
            snprintf(why, whylen, "sector %" PRIu64 " holds data nobody "
                     "wrote there", s);
            return false;
        }
        gen = ld64_be_p(p + 12);
        stamp(want, s, gen);
        if (memcmp(want, p, 512)) {
            snprintf(why, whylen, "sector %" PRIu64 " torn (gen %" PRIu64
                     ")", s, gen);
            return false;
        }
    }
    for (guint k = 0; list && k < list->len; k++) {
        Op *op = &g_array_index(ops, Op, g_array_index(list, guint, k));
        if (op->durable && op->type != R_ISSUE_D) {
            last_durable = k;
        }
    }
    /* candidates: ops from the last durable one on, or the base */
    if (last_durable < 0) {
        if ((zero && st->base_gen == 0) || (!zero && st->base_gen == gen)) {
            return true;
        }
    }
    for (guint k = MAX(last_durable, 0); list && k < list->len; k++) {
        Op *op = &g_array_index(ops, Op, g_array_index(list, guint, k));
        if (zero && (op->type == R_ISSUE_Z || op->type == R_ISSUE_D)) {
            return true;
        }
        if (!zero && op->type == R_ISSUE_W && op->gen == gen) {
            return true;
        }
    }
    snprintf(why, whylen, "sector %" PRIu64 " holds %s (gen %" PRIu64 "), "
             "older than what a completed flush covered", s,
             zero ? "zeroes" : "data", gen);
    return false;
}

static void read_state(const char *img, SectorState *st)
{
    BlockDriverState *bs = bdrv_open(img, "qcow2", 0, &error_abort);
    uint8_t *buf = g_malloc(DISK);

    g_assert_cmpint(bdrv_pread(bs, 0, buf, DISK), ==, 0);
    for (uint64_t s = 0; s < SECTORS; s++) {
        const uint8_t *p = buf + s * 512;
        st[s].base_gen = ld32_be_p(p) == MAGIC ? ld64_be_p(p + 12) : 0;
    }
    g_free(buf);
    bdrv_unref(bs);
}

/*
 * A killed process's files are not always closed when waitpid returns:
 * io_uring requests in flight hold the file until the kernel's ring
 * teardown (a worker thread) cancels them, and with it the writer's
 * image locks (bytes 100-299).  Wait for them to go, as a user
 * restarting a killed VM would.
 */
static void wait_locks_released(const char *img)
{
    int fd = open(img, O_RDONLY);

    g_assert_cmpint(fd, >=, 0);
    for (int i = 0; ; i++) {
        struct flock fl = {
            .l_whence = SEEK_SET, .l_start = 100, .l_len = 200,
            .l_type = F_WRLCK,
        };
        g_assert_cmpint(fcntl(fd, F_OFD_GETLK, &fl), ==, 0);
        if (fl.l_type == F_UNLCK) {
            break;
        }
        if (i == 6000) {
            g_error("the killed writer's image locks were never released");
        }
        g_usleep(10 * 1000);
    }
    close(fd);
}

static uint64_t max_gen(SectorState *st)
{
    uint64_t m = 0;
    for (uint64_t s = 0; s < SECTORS; s++) {
        m = MAX(m, st[s].base_gen);
    }
    return m;
}

static void crash_rounds(const char *opts, const char *drive_extra,
                         int rounds, bool lazy, bool snapshot)
{
    g_autofree char *img = tmp_path("crash.qcow2");
    SectorState *st = g_new0(SectorState, SECTORS);
    uint32_t seed = 0xc0ffee;
    int leaks_seen = 0;
    uint64_t total_ops = 0;

    create_image("qcow2", img, DISK, opts);
    if (snapshot) {
        /* data everywhere, then a snapshot: every write is a copy on
         * write of a shared cluster and a deferred refcount decrement */
        BlockDriverState *bs = bdrv_open(img, "qcow2", BDRV_O_RDWR,
                                         &error_abort);
        uint8_t *buf = g_malloc(DISK);
        BlockSnapshotInfo sn = { .name = "before", .icount = UINT64_MAX };

        for (uint64_t s = 0; s < SECTORS; s++) {
            stamp(buf + s * 512, s, 1 + s % 7);
        }
        g_assert_cmpint(bdrv_pwrite(bs, 0, buf, DISK), ==, 0);
        g_assert_true(bdrv_snapshot_create(bs, &sn, &error_abort));
        bdrv_unref(bs);
        g_free(buf);
    }
    read_state(img, st);
    for (int round = 0; round < rounds; round++) {
        int pfd[2];
        pid_t pid;
        int status;
        gint64 deadline;
        GArray *recs, *ops, **per_sector;
        BlockDriverState *bs;
        uint8_t *buf;
        int64_t delay_ms = 40 + xorshift_next(&seed) % 260;
        uint64_t gen0 = max_gen(st) + 1000000;

        g_assert_cmpint(pipe(pfd), ==, 0);
        pid = fork();
        g_assert_cmpint(pid, >=, 0);
        if (pid == 0) {
            close(pfd[0]);
            log_fd = pfd[1];
            child_run(img, drive_extra, seed + round, gen0);
        }
        close(pfd[1]);
        /* read the log while the writer runs, then kill it */
        recs = g_array_new(FALSE, FALSE, sizeof(Record));
        deadline = g_get_monotonic_time() + delay_ms * 1000;
        for (;;) {
            struct pollfd p = { pfd[0], POLLIN, 0 };
            gint64 left = (deadline - g_get_monotonic_time()) / 1000;
            Record r;

            if (left <= 0) {
                break;
            }
            if (poll(&p, 1, left) > 0) {
                if (read(pfd[0], &r, sizeof(r)) != sizeof(r)) {
                    break;      /* the child died by itself */
                }
                g_array_append_val(recs, r);
            }
        }
        kill(pid, SIGKILL);
        g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
        if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
            g_error("round %d: the writer exited early (status %#x)", round,
                    status);
        }
        wait_locks_released(img);
        {
            GArray *rest = read_log(pfd[0]);
            g_array_append_vals(recs, rest->data, rest->len);
            g_array_free(rest, TRUE);
        }
        close(pfd[0]);

        /* 1: the image is consistent (leaks allowed) */
        if (!lazy && have_qemu_img()) {
            g_autofree char *out = NULL;
            int rc = run_cmd(&out, "qemu-img", "check", img, NULL);
            if (rc != 0 && rc != 3) {
                g_error("round %d: qemu-img check says %d:\n%s", round, rc,
                        out);
            }
            leaks_seen += rc == 3;
        }
        if (lazy) {
            /* the writable open rebuilds the refcounts of a dirty image */
            bs = bdrv_open(img, "qcow2", BDRV_O_RDWR, &error_abort);
            bdrv_unref(bs);
        } else {
            BdrvCheckResult res = { .log = g_string_new(NULL) };
            bs = bdrv_open(img, "qcow2", BDRV_O_RDWR | BDRV_O_CHECK,
                           &error_abort);
            g_assert_cmpint(bdrv_check(bs, &res, BDRV_FIX_LEAKS), ==, 0);
            if (res.corruptions) {
                g_error("round %d: turtle check:\n%s", round, res.log->str);
            }
            g_string_free(res.log, TRUE);
            bdrv_unref(bs);
        }
        if (have_qemu_img()) {
            g_assert_cmpint(qemu_img_check(img), ==, 0);
        }

        /* 2: every sector holds an allowed value */
        ops = replay(recs);
        total_ops += ops->len;
        per_sector = g_new0(GArray *, SECTORS);
        for (guint i = 0; i < ops->len; i++) {
            Op *op = &g_array_index(ops, Op, i);
            for (uint64_t s = op->sector; s < op->sector + op->n; s++) {
                if (!per_sector[s]) {
                    per_sector[s] = g_array_new(FALSE, FALSE, sizeof(guint));
                }
                g_array_append_val(per_sector[s], i);
            }
        }
        bs = bdrv_open(img, "qcow2", 0, &error_abort);
        buf = g_malloc(DISK);
        g_assert_cmpint(bdrv_pread(bs, 0, buf, DISK), ==, 0);
        bdrv_unref(bs);
        for (uint64_t s = 0; s < SECTORS; s++) {
            char why[160];
            if (!sector_ok(ops, per_sector, s, &st[s], buf + s * 512, why,
                           sizeof(why))) {
                g_error("round %d (killed after %" PRId64 " ms): %s", round,
                        delay_ms, why);
            }
        }
        for (uint64_t s = 0; s < SECTORS; s++) {
            if (per_sector[s]) {
                g_array_free(per_sector[s], TRUE);
            }
        }
        g_free(per_sector);
        g_free(buf);
        g_array_free(ops, TRUE);
        g_array_free(recs, TRUE);
        read_state(img, st);
    }
    g_test_message("%d rounds, %" PRIu64 " requests, %d with leaks before "
                   "repair", rounds, total_ops, leaks_seen);
    g_free(st);
    unlink(img);
}

static void test_crash_default(void)
{
    crash_rounds(NULL, "", 8, false, false);     /* aio=io_uring if any */
}

static void test_crash_threads(void)
{
    crash_rounds(NULL, "aio=threads", 6, false, false);
}

static void test_crash_small_clusters(void)
{
    /* 512-byte clusters: an L2 table every 32 KiB, refcount blocks and
     * table growth while writing */
    crash_rounds("cluster_size=512,refcount_bits=4", "", 6, false, false);
}

static void test_crash_lazy_refcounts(void)
{
    crash_rounds("lazy_refcounts=on", "", 6, true, false);
}

static void test_crash_snapshot_direct(void)
{
    /* O_DIRECT, 4 KiB clusters, over a snapshot */
    crash_rounds("cluster_size=4096", "cache=none", 6, false, true);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    test_tmpdir = g_dir_make_tmp("test-block-crash-XXXXXX", NULL);
    g_test_add_func("/block-crash/default", test_crash_default);
    g_test_add_func("/block-crash/threads", test_crash_threads);
    g_test_add_func("/block-crash/small-clusters", test_crash_small_clusters);
    g_test_add_func("/block-crash/lazy-refcounts", test_crash_lazy_refcounts);
    g_test_add_func("/block-crash/snapshot-direct",
                    test_crash_snapshot_direct);
    ret = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf %s", test_tmpdir);
        if (system(cmd)) {
            /* leftovers in the temporary directory only */
        }
    }
    return ret;
}
