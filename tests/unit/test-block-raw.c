/*
 * The block layer on raw images: node I/O (buffered and O_DIRECT with
 * unaligned requests and buffers), zeroes, discard, block status,
 * resizing, image locks against a second writer (also against qemu-img
 * when it is installed), -drive parsing, and BlockBackend asynchronous
 * I/O on the main loop with both engines (threads, io_uring).
 */
#include "turtle/osdep.h"
#include "block/block-backend.h"
#include "block/block_int.h"
#include "block/io-uring.h"
#include "sysemu/main-loop.h"
#include "turtle/option.h"
#include <sys/stat.h>

static char *tmpdir;

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

static char *make_raw(const char *name, int64_t size)
{
    char *path = tmp_path(name);
    Opts *o = opts_new("create");
    char sz[32];

    snprintf(sz, sizeof(sz), "%" PRId64, size);
    opts_set(o, "size", sz);
    g_assert_true(bdrv_create("raw", path, o, &error_abort));
    opts_free(o);
    return path;
}

static void fill_pattern(uint8_t *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 9));
    }
}

static void test_raw_rw(void)
{
    g_autofree char *path = make_raw("rw.raw", 4 * MiB);
    BlockDriverState *bs = bdrv_open(path, "raw", BDRV_O_RDWR, &error_abort);
    uint8_t *w = g_malloc(MiB), *r = g_malloc(MiB);
    struct iovec iov[3];
    IOVector qiov;

    g_assert_cmpstr(bdrv_get_format_name(bs), ==, "raw");
    g_assert_cmpint(bdrv_getlength(bs), ==, 4 * MiB);
    fill_pattern(w, MiB, 1);
    g_assert_cmpint(bdrv_pwrite(bs, 3 * MiB - 7, w, 1000), ==, 0);
    g_assert_cmpint(bdrv_pread(bs, 3 * MiB - 7, r, 1000), ==, 0);
    g_assert_cmpmem(r, 1000, w, 1000);

    /* a scattered write, read back flat */
    iov[0] = (struct iovec){ w, 100 };
    iov[1] = (struct iovec){ w + 100, 4000 };
    iov[2] = (struct iovec){ w + 4100, 1 };
    iovec_init_external(&qiov, iov, 3);
    g_assert_cmpint(bdrv_pwritev(bs, 12345, 4101, &qiov, 0), ==, 0);
    g_assert_cmpint(bdrv_pread(bs, 12345, r, 4101), ==, 0);
    g_assert_cmpmem(r, 4101, w, 4101);

    /* zeroes, with and without unmap, and discard as a hint */
    g_assert_cmpint(bdrv_pwrite_zeroes(bs, 12345 + 10, 4000, 0), ==, 0);
    g_assert_cmpint(bdrv_pread(bs, 12345, r, 4101), ==, 0);
    g_assert_cmpmem(r, 10, w, 10);
    for (int i = 10; i < 4010; i++) {
        g_assert_cmpint(r[i], ==, 0);
    }
    g_assert_cmpmem(r + 4010, 91, w + 4010, 91);
    g_assert_cmpint(bdrv_pdiscard(bs, 0, MiB), ==, 0);
    g_assert_cmpint(bdrv_flush(bs), ==, 0);

    /* resize */
    g_assert_true(bdrv_truncate(bs, 8 * MiB, PREALLOC_MODE_OFF,
                                &error_abort));
    g_assert_cmpint(bdrv_getlength(bs), ==, 8 * MiB);
    g_assert_cmpint(bdrv_pread(bs, 8 * MiB - 512, r, 512), ==, 0);
    for (int i = 0; i < 512; i++) {
        g_assert_cmpint(r[i], ==, 0);
    }
    bdrv_unref(bs);

    /* read-only nodes refuse writes */
    bs = bdrv_open(path, "raw", 0, &error_abort);
    g_assert_true(bdrv_is_read_only(bs));
    g_assert_cmpint(bdrv_pwrite(bs, 0, w, 512), ==, -EPERM);
    g_assert_cmpint(bdrv_pread(bs, 3 * MiB - 7, r, 1000), ==, 0);
    g_assert_cmpmem(r, 1000, w, 1000);
    bdrv_unref(bs);
    g_free(w);
    g_free(r);
    unlink(path);
}

static void test_raw_block_status(void)
{
    g_autofree char *path = make_raw("status.raw", 4 * MiB);
    BlockDriverState *bs = bdrv_open(path, "raw", BDRV_O_RDWR, &error_abort);
    uint8_t buf[65536];
    int64_t pnum, map;
    BlockDriverState *file;
    int ret;

    memset(buf, 0xaa, sizeof(buf));
    g_assert_cmpint(bdrv_pwrite(bs, MiB, buf, sizeof(buf)), ==, 0);
    ret = bdrv_block_status(bs, 0, 4 * MiB, &pnum, &map, &file);
    g_assert_cmpint(ret, >=, 0);
    if (ret & BDRV_BLOCK_ZERO) {
        /* the file system reports holes: the data starts at 1 MiB */
        g_assert_cmpint(pnum, <=, MiB);
        ret = bdrv_block_status(bs, MiB, 4 * MiB, &pnum, &map, &file);
        g_assert_true(ret & BDRV_BLOCK_DATA);
        g_assert_cmpint(map, ==, MiB);
        g_assert_cmpint(pnum, >=, 65536);
    }
    g_assert_true(ret & BDRV_BLOCK_ALLOCATED);
    bdrv_unref(bs);
    unlink(path);
}

/* O_DIRECT: odd offsets, lengths and buffer addresses all work, and
 * concurrent partial writes to one host block do not lose each other. */
typedef struct RmwArg {
    BlockDriverState *bs;
    int slot;
} RmwArg;

static gpointer rmw_thread(gpointer p)
{
    RmwArg *a = p;
    uint8_t buf[100];

    for (int round = 0; round < 50; round++) {
        memset(buf, a->slot + round, sizeof(buf));
        /* 8 writers, 100 bytes each, inside one 4 KiB block */
        g_assert_cmpint(bdrv_pwrite(a->bs, 8192 + a->slot * 300, buf,
                                    sizeof(buf)), ==, 0);
    }
    return NULL;
}

static void test_raw_direct(void)
{
    g_autofree char *path = make_raw("direct.raw", 2 * MiB);
    Error *err = NULL;
    BlockDriverState *bs = bdrv_open(path, "raw",
                                     BDRV_O_RDWR | BDRV_O_NOCACHE, &err);
    uint8_t *w, *r;
    GThread *th[8];
    RmwArg args[8];

    if (!bs) {
        g_test_skip(error_get_pretty(err));
        error_free(err);
        return;
    }
    g_assert_cmpint(bdrv_get_request_alignment(bs->file), >=, 512);
    w = g_malloc(70000);
    r = g_malloc(70000);
    fill_pattern(w, 70000, 3);
    /* misaligned everything: offset, length, and buffer address */
    g_assert_cmpint(bdrv_pwrite(bs, 1001, w + 1, 65000), ==, 0);
    g_assert_cmpint(bdrv_pread(bs, 1001, r + 3, 65000), ==, 0);
    g_assert_cmpmem(r + 3, 65000, w + 1, 65000);
    g_assert_cmpint(bdrv_pread(bs, 0, r, 1001), ==, 0);
    for (int i = 0; i < 1001; i++) {
        g_assert_cmpint(r[i], ==, 0);
    }

    for (int i = 0; i < 8; i++) {
        args[i] = (RmwArg){ bs, i };
        th[i] = g_thread_new("rmw", rmw_thread, &args[i]);
    }
    for (int i = 0; i < 8; i++) {
        g_thread_join(th[i]);
    }
    g_assert_cmpint(bdrv_pread(bs, 8192, r, 8 * 300), ==, 0);
    for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 100; j++) {
            g_assert_cmpint(r[i * 300 + j], ==, (uint8_t)(i + 49));
        }
    }
    bdrv_unref(bs);
    g_free(w);
    g_free(r);
    unlink(path);
}

static void test_raw_locking(void)
{
    g_autofree char *path = make_raw("lock.raw", MiB);
    Error *err = NULL;
    BlockDriverState *w1, *w2, *r1, *r2;
    g_autofree char *cmd = NULL;

    w1 = bdrv_open(path, "raw", BDRV_O_RDWR, &error_abort);
    w2 = bdrv_open(path, "raw", BDRV_O_RDWR, &err);
    g_assert_null(w2);
    g_assert_nonnull(strstr(error_get_pretty(err), "\"write\" lock"));
    error_free(err);
    err = NULL;
    r1 = bdrv_open(path, "raw", 0, &err);        /* would unshare write */
    g_assert_null(r1);
    error_free(err);
    err = NULL;
    r1 = bdrv_open(path, "raw", BDRV_O_FORCE_SHARE, &error_abort);  /* -U */
    g_autofree char *qemu_io = g_find_program_in_path("qemu-io");

    if (qemu_io) {
        /* QEMU's tools see our locks: a second writer is refused */
        int status;
        cmd = g_strdup_printf("qemu-io -f raw -c 'read 0 512' %s "
                              ">/dev/null 2>&1", path);
        status = system(cmd);
        g_assert_cmpint(status, !=, 0);
        (void)status;
    }
    bdrv_unref(w1);
    bdrv_unref(r1);

    /* readers share with readers */
    r1 = bdrv_open(path, "raw", 0, &error_abort);
    r2 = bdrv_open(path, "raw", 0, &error_abort);
    w1 = bdrv_open(path, "raw", BDRV_O_RDWR, &err);
    g_assert_null(w1);
    error_free(err);
    bdrv_unref(r1);
    bdrv_unref(r2);
    /* locking=off */
    w1 = bdrv_open(path, "raw", BDRV_O_RDWR, &error_abort);
    w2 = bdrv_open(path, "raw", BDRV_O_RDWR | BDRV_O_NO_LOCK, &error_abort);
    bdrv_unref(w1);
    bdrv_unref(w2);
    unlink(path);
}

static void test_raw_probe_and_errors(void)
{
    g_autofree char *path = make_raw("probe.raw", MiB);
    Error *err = NULL;
    BlockDriverState *bs = bdrv_open(path, NULL, 0, &error_abort);

    g_assert_cmpstr(bdrv_get_format_name(bs), ==, "raw");
    bdrv_unref(bs);
    g_assert_null(bdrv_open(tmpdir, NULL, 0, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "directory"));
    error_free(err);
    err = NULL;
    g_assert_null(bdrv_open(path, "vmdk", 0, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "Unknown driver"));
    error_free(err);
    unlink(path);
}

/* ---- BlockBackend asynchronous I/O ---- */

typedef struct AioCount {
    int done;
    int errors;
    int last_ret;
} AioCount;

static void aio_cb(void *opaque, int ret)
{
    AioCount *c = opaque;

    g_assert_true(bql_locked());
    c->done++;
    c->last_ret = ret;
    if (ret < 0) {
        c->errors++;
    }
}

static void run_until(AioCount *c, int n)
{
    for (int i = 0; i < 100000 && c->done < n; i++) {
        main_loop_wait(10);
    }
    g_assert_cmpint(c->done, ==, n);
}

static void blk_async_suite(const char *opts_extra)
{
    g_autofree char *path = make_raw("async.raw", 8 * MiB);
    g_autofree char *optstr = g_strdup_printf(
        "file=%s,format=raw,if=none,id=async%s%s", path,
        *opts_extra ? "," : "", opts_extra);
    DriveInfo *d;
    BlockBackend *blk;
    enum { N = 64, SZ = 64 * 1024 };
    uint8_t *w, *r;
    struct iovec iov[2];
    AioCount c = { 0 };
    static int serial;
    Error *err = NULL;

    g_free(optstr);
    optstr = g_strdup_printf("file=%s,format=raw,if=none,id=async%d%s%s",
                             path, serial++, *opts_extra ? "," : "",
                             opts_extra);
    d = drive_new(optstr, "virtio", &err);
    if (!d) {
        g_test_skip(error_get_pretty(err));
        error_free(err);
        return;
    }
    blk = d->blk;
    g_assert_true(blk_by_name(d->id) == blk);
    g_assert_cmpstr(blk_drive_interface(blk), ==, "none");
    w = qemu_blockalign(NULL, N * SZ);
    r = qemu_blockalign(NULL, N * SZ);
    fill_pattern(w, N * SZ, 9);
    memset(r, 0, N * SZ);
    for (int i = 0; i < N; i++) {
        iov[0] = (struct iovec){ w + i * SZ, SZ / 2 };
        iov[1] = (struct iovec){ w + i * SZ + SZ / 2, SZ / 2 };
        blk_aio_pwritev(blk, (int64_t)i * SZ, iov, 2, 0, aio_cb, &c);
    }
    g_assert_cmpint(blk_in_flight(blk), >, 0);
    if (strstr(opts_extra, "io_uring")) {
        g_assert_cmpint(luring_in_flight(), >, 0);   /* no worker used */
    }
    run_until(&c, N);
    g_assert_cmpint(c.errors, ==, 0);
    blk_aio_flush(blk, aio_cb, &c);
    run_until(&c, N + 1);
    for (int i = 0; i < N; i++) {
        iov[0] = (struct iovec){ r + i * SZ, SZ };
        blk_aio_preadv(blk, (int64_t)i * SZ, iov, 1, 0, aio_cb, &c);
    }
    blk_drain(blk);                 /* completes them without the loop */
    g_assert_cmpint(c.done, ==, 2 * N + 1);
    g_assert_cmpint(c.errors, ==, 0);
    g_assert_cmpmem(r, N * SZ, w, N * SZ);

    /* beyond the end: -EIO; zeroes and discard */
    iov[0] = (struct iovec){ r, 4096 };
    blk_aio_preadv(blk, 8 * MiB - 2048, iov, 1, 0, aio_cb, &c);
    blk_drain(blk);
    g_assert_cmpint(c.last_ret, ==, -EIO);
    blk_aio_pwrite_zeroes(blk, 0, SZ, BDRV_REQ_MAY_UNMAP, aio_cb, &c);
    blk_aio_pdiscard(blk, SZ, SZ, aio_cb, &c);
    blk_drain(blk);
    g_assert_cmpint(c.errors, ==, 1);
    g_assert_cmpint(blk_pread(blk, 0, r, SZ), ==, 0);
    for (int i = 0; i < SZ; i++) {
        g_assert_cmpint(r[i], ==, 0);
    }
    qemu_vfree(w);
    qemu_vfree(r);
    unlink(path);
}

static void test_blk_async_threads(void)
{
    blk_async_suite("");
}

static void test_blk_async_writethrough(void)
{
    blk_async_suite("cache=writethrough");
}

static void test_blk_async_direct(void)
{
    blk_async_suite("cache=none");
}

static void test_blk_async_io_uring(void)
{
    Error *err = NULL;

    if (!luring_available(&err)) {
        g_test_skip(error_get_pretty(err));
        error_free(err);
        return;
    }
    blk_async_suite("aio=io_uring");
    blk_async_suite("aio=io_uring,cache=none");
}

static void test_drive_options(void)
{
    g_autofree char *path = make_raw("drive.raw", MiB);
    static const char *const bad[] = {
        "if=virtio",                              /* no file */
        "file=%s,if=scsi9",
        "file=%s,cache=sometimes",
        "file=%s,aio=native9",
        "file=%s,format=qcow9",
        "file=%s,media=cdrom",
        "file=%s,bogus=1",
        "file=%s,index=1,unit=1",
        "file=%s,discard=maybe",
        "file=%s,id=dup,if=none,readonly=on",     /* duplicate id */
    };
    Error *err = NULL;
    g_autofree char *ok = g_strdup_printf("file=%s,id=dup,if=none,"
                                          "readonly=on,format=raw", path);
    DriveInfo *d = drive_new(ok, "virtio", &error_abort);
    g_autofree char *ok2 = g_strdup_printf("file=%s,readonly=on,format=raw,"
                                           "if=pflash,index=1", path);
    DriveInfo *d2 = drive_new(ok2, "virtio", &error_abort), **list;

    g_assert_true(blk_is_read_only(d->blk));
    g_assert_cmpstr(d2->id, ==, "pflash1");
    g_assert_true(drive_get("pflash", 0, 1) == d2);
    g_assert_true(drive_get_by_index("pflash", 1) == d2);
    list = drive_list("pflash");
    g_assert_true(list[0] == d2 && list[1] == NULL);
    g_free(list);
    g_assert_false(drive_check_orphaned(&err));
    g_assert_nonnull(strstr(error_get_pretty(err), "if=pflash"));
    error_free(err);
    err = NULL;
    d2->claimed = true;
    g_assert_true(drive_check_orphaned(&error_abort));
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        g_autofree char *s = g_strdup_printf(bad[i], path);
        g_assert_null(drive_new(s, "virtio", &err));
        g_assert_nonnull(err);
        error_free(err);
        err = NULL;
    }
}

static void test_blockdev(void)
{
    g_autofree char *path = make_raw("bdev.raw", MiB);
    g_autofree char *s1 = g_strdup_printf(
        "driver=file,node-name=f0,filename=%s", path);
    g_autofree char *s2 = g_strdup_printf(
        "driver=raw,node-name=r1,file.driver=file,file.filename=%s,"
        "file.locking=off", path);
    Error *err = NULL;
    BlockBackend *blk;
    uint8_t buf[512] = { 1, 2, 3 };

    g_assert_true(blockdev_new(s1, &error_abort));
    g_assert_true(blockdev_new("driver=raw,node-name=r0,file=f0",
                               &error_abort));
    g_assert_false(blockdev_new("driver=raw,node-name=r0,file=f0", &err));
    error_free(err);
    err = NULL;
    g_assert_false(blockdev_new("driver=raw,node-name=x,file=nope", &err));
    error_free(err);
    err = NULL;
    g_assert_false(blockdev_new("driver=raw,file=f0", &err));
    error_free(err);
    err = NULL;
    g_assert_true(blockdev_new(s2, &error_abort));
    blk = blk_by_name("r0");
    g_assert_nonnull(blk);
    g_assert_true(blk_by_name("r0") == blk);
    g_assert_cmpint(blk_pwrite(blk, 0, buf, 512, 0), ==, 0);
    memset(buf, 0, sizeof(buf));
    g_assert_cmpint(blk_pread(blk_by_name("r1"), 0, buf, 512), ==, 0);
    g_assert_cmpint(buf[2], ==, 3);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("test-block-raw-XXXXXX", NULL);
    main_loop_init();
    bql_lock();
    g_test_add_func("/block/raw/rw", test_raw_rw);
    g_test_add_func("/block/raw/block-status", test_raw_block_status);
    g_test_add_func("/block/raw/direct-unaligned", test_raw_direct);
    g_test_add_func("/block/raw/locking", test_raw_locking);
    g_test_add_func("/block/raw/probe-errors", test_raw_probe_and_errors);
    g_test_add_func("/block/backend/async-threads", test_blk_async_threads);
    g_test_add_func("/block/backend/async-writethrough",
                    test_blk_async_writethrough);
    g_test_add_func("/block/backend/async-direct", test_blk_async_direct);
    g_test_add_func("/block/backend/async-io-uring", test_blk_async_io_uring);
    g_test_add_func("/block/drive/options", test_drive_options);
    g_test_add_func("/block/drive/blockdev", test_blockdev);
    ret = g_test_run();
    blk_close_all();
    bql_unlock();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf %s", tmpdir);
        if (system(cmd)) {
            /* leftovers in /tmp only */
        }
    }
    g_free(tmpdir);
    return ret;
}
