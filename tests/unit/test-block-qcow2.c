/*
 * The qcow2 driver: images made by qemu-img with every option (cluster
 * sizes, compat, refcount widths, lazy refcounts, preallocation,
 * compression, backing chains, snapshots) open, read right, take random
 * writes/zeroes/discards, and pass `qemu-img check` and `qemu-img
 * compare` afterwards; the same for images turtle creates; concurrent
 * writers; snapshots and VM state; lazy refcounts repair; the corrupt bit;
 * resizing.  Tests that need qemu-img skip without it.
 */
#include "block-test-util.h"
#include "block/block_int.h"

#define IMG_SIZE (4 * MiB)
#define L1E_OFFSET_MASK_TEST 0x00fffffffffffe00ull

static DiskModel model_new(int64_t size, int cluster_size)
{
    DiskModel m = {
        .data = g_malloc0(size),
        .size = size,
        .cluster_size = cluster_size,
        .discard_zeroes = true,
    };
    return m;
}

/* After a session: the image is what the model says, for qemu-img too. */
static void check_against_qemu_at(const char *img, DiskModel *m, int line)
{
    g_autofree char *raw = g_strconcat(img, ".model", NULL);

    g_test_message("qemu-img check/compare from line %d", line);
    g_assert_cmpint(qemu_img_check(img), ==, 0);
    model_save_raw(m, raw);
    g_assert_true(qemu_img_compare(img, raw));
    unlink(raw);
}

static void turtle_check_clean(const char *img)
{
    BlockDriverState *bs = bdrv_open(img, "qcow2", BDRV_O_CHECK, &error_abort);
    BdrvCheckResult res = { .log = g_string_new(NULL) };

    g_assert_cmpint(bdrv_check(bs, &res, 0), ==, 0);
    if (res.corruptions || res.leaks) {
        g_test_message("turtle check %s:\n%s", img, res.log->str);
    }
    g_assert_cmpint(res.corruptions, ==, 0);
    g_assert_cmpint(res.leaks, ==, 0);
    g_string_free(res.log, TRUE);
    bdrv_unref(bs);
}

#define check_against_qemu(img, m) check_against_qemu_at(img, m, __LINE__)

/* ---- images turtle creates ---- */

static const char *const create_opts[] = {
    "cluster_size=512", "cluster_size=4096", "cluster_size=65536",
    "cluster_size=2M", "compat=0.10", "refcount_bits=1", "refcount_bits=8",
    "refcount_bits=64", "lazy_refcounts=on", "preallocation=metadata",
    "preallocation=falloc", "preallocation=full",
    "cluster_size=1024,refcount_bits=2",
};

static int opts_cluster_size(const char *opts)
{
    const char *p = strstr(opts, "cluster_size=");
    uint64_t v = 65536;

    if (p) {
        g_autofree char *s = g_strndup(p + 13, strcspn(p + 13, ","));
        parse_size(s, 1, &v);
    }
    return v;
}

static void test_turtle_images(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(create_opts); i++) {
        g_autofree char *img = tmp_path("t.qcow2");
        int cs = opts_cluster_size(create_opts[i]);
        DiskModel m = model_new(IMG_SIZE, cs);
        BlockDriverState *bs;

        g_test_message("create -o %s", create_opts[i]);
        create_image("qcow2", img, IMG_SIZE, create_opts[i]);
        if (have_qemu_img()) {
            g_assert_cmpint(qemu_img_check(img), ==, 0);
        }
        bs = bdrv_open(img, "qcow2", BDRV_O_RDWR | BDRV_O_UNMAP | BDRV_O_NO_FLUSH,
                       &error_abort);
        model_verify(bs, &m);
        model_random_ops(bs, &m, 300, 1000 + i, true);
        model_verify(bs, &m);
        bdrv_unref(bs);
        turtle_check_clean(img);
        if (have_qemu_img()) {
            check_against_qemu(img, &m);
        }
        bs = bdrv_open(img, "qcow2", 0, &error_abort);
        model_verify(bs, &m);
        bdrv_unref(bs);
        g_free(m.data);
        unlink(img);
    }
}

/* ---- images qemu-img makes ---- */

static const char *const qemu_opts[] = {
    "cluster_size=512", "cluster_size=4k", "cluster_size=64k",
    "cluster_size=2M", "compat=0.10", "refcount_bits=1", "refcount_bits=64",
    "lazy_refcounts=on", "preallocation=metadata", "preallocation=falloc",
    "preallocation=full", "compression_type=zlib",
};

/* Several qemu-io commands in one run (cache=unsafe: no fsync). */
static void qemu_io(const char *img, const char *c1, const char *c2,
                    const char *c3, const char *c4, const char *c5)
{
    g_autofree char *out = NULL;
    int rc = run_cmd(&out, "qemu-io", "-t", "unsafe", "-f", "qcow2",
                     "-c", c1, "-c", c2, "-c", c3, "-c", c4, "-c", c5, img,
                     NULL);

    if (rc != 0 || strstr(out, "error") || strstr(out, "failed")) {
        g_error("qemu-io %s: %s", img, out);
    }
}

static void test_qemu_images(void)
{
    if (!have_qemu_img()) {
        g_test_skip("qemu-img/qemu-io not installed (qemu-utils)");
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(qemu_opts); i++) {
        g_autofree char *img = tmp_path("q.qcow2");
        g_autofree char *sz = g_strdup_printf("%" PRIu64, IMG_SIZE);
        int cs = opts_cluster_size(qemu_opts[i]);
        DiskModel m = model_new(IMG_SIZE, cs);
        BlockDriverState *bs;

        g_test_message("qemu-img create -o %s", qemu_opts[i]);
        g_assert_cmpint(run_cmd(NULL, "qemu-img", "create", "-q", "-f",
                                "qcow2", "-o", qemu_opts[i], img, sz, NULL),
                        ==, 0);
        qemu_io(img, "write -P 0xab 0 100k", "write -P 0xcd 1M 64k",
                "write -P 0x11 2M 1M", "write -z 2200k 256k",
                "write -P 0x22 3584k 512k");
        memset(m.data, 0xab, 100 * KiB);
        memset(m.data + MiB, 0xcd, 64 * KiB);
        memset(m.data + 2 * MiB, 0x11, MiB);
        memset(m.data + 2200 * KiB, 0, 256 * KiB);
        memset(m.data + 3584 * KiB, 0x22, 512 * KiB);

        bs = bdrv_open(img, "qcow2", BDRV_O_RDWR | BDRV_O_UNMAP | BDRV_O_NO_FLUSH,
                       &error_abort);
        model_verify(bs, &m);
        model_random_ops(bs, &m, 250, 2000 + i, true);
        bdrv_unref(bs);
        check_against_qemu(img, &m);
        turtle_check_clean(img);
        g_free(m.data);
        unlink(img);
    }
}

/* What qemu-img can make and we do not support: refused on open with an
 * error that names the feature (never misread). */
static void test_qemu_unsupported(void)
{
    static const struct {
        const char *opts, *error;
    } cases[] = {
        { "extended_l2=on", "extended L2" },
        { "compression_type=zstd", "zstd" },
        { "data_file=DATA", "external data file" },
    };

    if (!have_qemu_img()) {
        g_test_skip("qemu-img not installed (qemu-utils)");
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *img = tmp_path("u.qcow2");
        g_autofree char *data = tmp_path("u.data");
        g_autofree char *o = g_strdup(cases[i].opts);
        g_autofree char *out = NULL;
        Error *err = NULL;
        BlockDriverState *bs;

        if (g_str_has_suffix(o, "DATA")) {
            g_free(o);
            o = g_strdup_printf("data_file=%s", data);
        }
        if (run_cmd(&out, "qemu-img", "create", "-q", "-f", "qcow2", "-o", o,
                    img, "1M", NULL) != 0) {
            g_test_message("qemu-img cannot make %s here: %s", o, out);
            continue;
        }
        bs = bdrv_open(img, "qcow2", 0, &err);
        g_assert_null(bs);
        g_assert_nonnull(strstr(error_get_pretty(err), cases[i].error));
        error_free(err);
        unlink(img);
        unlink(data);
    }
}

/* qemu-img convert -c: compressed clusters read, overwritten, freed */
static void test_qemu_compressed(void)
{
    g_autofree char *raw = tmp_path("c.raw");
    g_autofree char *img = tmp_path("c.qcow2");
    static const char *const sizes[] = { "512", "4k", "64k", "2M" };

    if (!have_qemu_img()) {
        g_test_skip("qemu-img not installed (qemu-utils)");
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        g_autofree char *o = g_strdup_printf("cluster_size=%s", sizes[i]);
        int cs = opts_cluster_size(o);
        DiskModel m = model_new(IMG_SIZE, cs);
        BlockDriverState *bs;

        /* compressible: text-like repeating records */
        for (int64_t k = 0; k < IMG_SIZE / 2; k++) {
            m.data[k] = "turtle qcow2 compressed cluster test "[(k * 7 / 3) % 37]
                        ^ (uint8_t)(k >> 13);
        }
        model_save_raw(&m, raw);
        g_assert_cmpint(run_cmd(NULL, "qemu-img", "convert", "-c", "-f",
                                "raw", "-O", "qcow2", "-o", o, raw, img,
                                NULL), ==, 0);
        bs = bdrv_open(img, "qcow2", BDRV_O_RDWR | BDRV_O_UNMAP | BDRV_O_NO_FLUSH,
                       &error_abort);
        model_verify(bs, &m);
        model_random_ops(bs, &m, 200, 3000 + i, true);
        model_verify(bs, &m);
        /* and compressed writes of our own */
        for (int64_t off = IMG_SIZE / 2;
             off < IMG_SIZE / 2 + MIN(8 * cs, IMG_SIZE / 2); off += cs) {
            memset(m.data + off, (int)(off / cs), cs);
            g_assert_cmpint(bdrv_pwrite_compressed(bs, off, m.data + off, cs),
                            ==, 0);
        }
        model_verify(bs, &m);
        bdrv_unref(bs);
        check_against_qemu(img, &m);
        turtle_check_clean(img);
        g_free(m.data);
    }
    unlink(raw);
    unlink(img);
}

/* ---- backing chains ---- */

static void test_backing_chain(void)
{
    g_autofree char *base = tmp_path("base.raw");
    g_autofree char *mid = tmp_path("mid.qcow2");
    g_autofree char *mid2 = tmp_path("mid2.qcow2");
    g_autofree char *top = tmp_path("top.qcow2");
    DiskModel m = model_new(IMG_SIZE, 65536);
    uint8_t *backing;
    uint32_t seed = 7;
    BlockDriverState *bs;

    /* base (raw) <- mid (qcow2 v2) <- mid2 (qcow2 4k) <- top: each
     * layer writes something; the top sees the union */
    model_fill(m.data, IMG_SIZE, &seed);
    model_save_raw(&m, base);
    create_image("qcow2", mid, -1, "backing_file=base.raw,backing_fmt=raw,"
                 "compat=0.10");
    bs = bdrv_open(mid, NULL, BDRV_O_RDWR, &error_abort);
    g_assert_nonnull(bdrv_get_backing(bs));
    model_verify(bs, &m);
    model_random_ops(bs, &m, 100, 11, false);
    bdrv_unref(bs);
    create_image("qcow2", mid2, IMG_SIZE, "backing_file=mid.qcow2,"
                 "backing_fmt=qcow2,cluster_size=4096");
    bs = bdrv_open(mid2, NULL, BDRV_O_RDWR, &error_abort);
    model_random_ops(bs, &m, 100, 12, false);
    bdrv_unref(bs);
    create_image("qcow2", top, IMG_SIZE, "backing_file=mid2.qcow2");
    backing = g_memdup2(m.data, IMG_SIZE);
    bs = bdrv_open(top, "qcow2", BDRV_O_RDWR | BDRV_O_UNMAP | BDRV_O_NO_FLUSH, &error_abort);
    g_assert_cmpstr(bdrv_get_backing_format(bs), ==, "qcow2");
    model_verify(bs, &m);
    m.backing = backing;
    m.discard_zeroes = true;       /* v3 over a backing file: zero flag */
    model_random_ops(bs, &m, 300, 13, true);
    model_verify(bs, &m);
    bdrv_unref(bs);
    if (have_qemu_img()) {
        check_against_qemu(top, &m);
        g_assert_cmpint(qemu_img_check(mid), ==, 0);
    }
    turtle_check_clean(top);
    g_free(backing);
    g_free(m.data);
}

/* a v2 overlay: discard uncovers the backing file again */
static void test_backing_v2_discard(void)
{
    g_autofree char *base = tmp_path("b2.raw");
    g_autofree char *top = tmp_path("t2.qcow2");
    DiskModel m = model_new(IMG_SIZE, 65536);
    uint32_t seed = 99;
    BlockDriverState *bs;

    model_fill(m.data, IMG_SIZE, &seed);
    model_save_raw(&m, base);
    create_image("qcow2", top, IMG_SIZE, "backing_file=b2.raw,"
                 "backing_fmt=raw,compat=0.10");
    m.backing = g_memdup2(m.data, IMG_SIZE);
    m.discard_zeroes = false;
    bs = bdrv_open(top, NULL, BDRV_O_RDWR | BDRV_O_UNMAP | BDRV_O_NO_FLUSH, &error_abort);
    model_random_ops(bs, &m, 200, 21, true);
    model_verify(bs, &m);
    bdrv_unref(bs);
    if (have_qemu_img()) {
        check_against_qemu(top, &m);
    }
    g_free((void *)m.backing);
    g_free(m.data);
}

/* ---- concurrency ---- */

typedef struct Writer {
    BlockDriverState *bs;
    int id, n;
    int cs;
} Writer;

#define NWRITERS 8

static gpointer writer_thread(gpointer p)
{
    Writer *w = p;
    uint8_t buf[512];
    uint32_t seed = 1 + w->id;

    /* writer k owns every 8th sector: neighbours share clusters, so
     * allocations of one cluster race between threads */
    for (int i = 0; i < w->n; i++) {
        int64_t sector = (xorshift_next(&seed) % (IMG_SIZE / 512 / NWRITERS))
                         * NWRITERS + w->id;
        memset(buf, (uint8_t)(w->id * 16 + (i & 15)), sizeof(buf));
        g_assert_cmpint(bdrv_pwrite(w->bs, sector * 512, buf, 512), ==, 0);
        if ((i & 63) == 0) {
            g_assert_cmpint(bdrv_flush(w->bs), ==, 0);
        }
    }
    return NULL;
}

static void test_concurrent_writers(void)
{
    static const char *const opts[] = { "cluster_size=65536",
                                        "cluster_size=4096",
                                        "lazy_refcounts=on" };

    for (size_t o = 0; o < ARRAY_SIZE(opts); o++) {
        g_autofree char *img = tmp_path("conc.qcow2");
        BlockDriverState *bs;
        Writer w[NWRITERS];
        GThread *th[NWRITERS];
        uint8_t *got = g_malloc(IMG_SIZE);
        uint8_t *want = g_malloc0(IMG_SIZE);

        create_image("qcow2", img, IMG_SIZE, opts[o]);
        bs = bdrv_open(img, "qcow2", BDRV_O_RDWR, &error_abort);
        for (int i = 0; i < NWRITERS; i++) {
            w[i] = (Writer){ bs, i, 600, 0 };
            th[i] = g_thread_new("writer", writer_thread, &w[i]);
        }
        for (int i = 0; i < NWRITERS; i++) {
            g_thread_join(th[i]);
        }
        /* replay the same sequences single-threaded into the model */
        for (int id = 0; id < NWRITERS; id++) {
            uint32_t seed = 1 + id;
            for (int i = 0; i < 600; i++) {
                int64_t sector = (xorshift_next(&seed) %
                                  (IMG_SIZE / 512 / NWRITERS)) * NWRITERS + id;
                memset(want + sector * 512, (uint8_t)(id * 16 + (i & 15)),
                       512);
            }
        }
        g_assert_cmpint(bdrv_pread(bs, 0, got, IMG_SIZE), ==, 0);
        g_assert_cmpmem(got, IMG_SIZE, want, IMG_SIZE);
        bdrv_unref(bs);
        turtle_check_clean(img);
        if (have_qemu_img()) {
            DiskModel m = { .data = want, .size = IMG_SIZE };
            check_against_qemu(img, &m);
        }
        g_free(got);
        g_free(want);
        unlink(img);
    }
}

/*
 * Reads racing with discards and reallocation: a reader must see what
 * its guest offset held or zeroes, never another offset's data (a freed
 * host cluster reused while a read of it was still in flight).  Two
 * threads rewrite and discard 4 KiB clusters of a 1 MiB disk and flush
 * (which applies the frees, so host clusters are reused at once), two
 * read and check each sector's offset stamp.
 */
#define RACE_SIZE (1 * MiB)

typedef struct RaceThread {
    BlockDriverState *bs;
    int id;
    volatile int *stop;
    int rounds;
} RaceThread;

static gpointer race_mutator(gpointer p)
{
    RaceThread *t = p;
    uint32_t seed = 77 + t->id;
    uint8_t buf[4096];

    for (int i = 0; i < t->rounds; i++) {
        /* thread k owns the clusters k, k + 2, ...: no racing writes */
        int64_t off = ((xorshift_next(&seed) % (RACE_SIZE / 4096 / 2)) * 2 +
                       t->id) * 4096;
        if (xorshift_next(&seed) % 3) {
            for (int k = 0; k < 8; k++) {
                memset(buf + k * 512, (uint8_t)(i | 1), 512);
                st64_be_p(buf + k * 512, off + k * 512);
            }
            g_assert_cmpint(bdrv_pwrite(t->bs, off, buf, 4096), ==, 0);
        } else {
            g_assert_cmpint(bdrv_pdiscard(t->bs, off, 4096), ==, 0);
        }
        if ((i & 7) == 0) {
            g_assert_cmpint(bdrv_flush(t->bs), ==, 0);
        }
    }
    return NULL;
}

static gpointer race_reader(gpointer p)
{
    RaceThread *t = p;
    uint32_t seed = 991 + t->id;
    uint8_t *buf = g_malloc(64 * KiB);

    while (!*t->stop) {
        int64_t off = (xorshift_next(&seed) % (RACE_SIZE / 4096 - 16)) * 4096;
        g_assert_cmpint(bdrv_pread(t->bs, off, buf, 64 * KiB), ==, 0);
        for (int k = 0; k < 128; k++) {
            uint64_t stamp = ld64_be_p(buf + k * 512);
            if (stamp && stamp != (uint64_t)(off + k * 512)) {
                g_error("read at %#" PRIx64 " got the data of %#" PRIx64,
                        (uint64_t)(off + k * 512), stamp);
            }
        }
    }
    g_free(buf);
    return NULL;
}

static void test_read_discard_race(void)
{
    g_autofree char *img = tmp_path("race.qcow2");
    volatile int stop = 0;
    RaceThread m[2], r[2];
    GThread *mt[2], *rt[2];
    BlockDriverState *bs;

    create_image("qcow2", img, RACE_SIZE, "cluster_size=4096");
    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR | BDRV_O_UNMAP | BDRV_O_NO_FLUSH,
                   &error_abort);
    for (int i = 0; i < 2; i++) {
        m[i] = (RaceThread){ bs, i, &stop, 3000 };
        r[i] = (RaceThread){ bs, i, &stop, 0 };
        mt[i] = g_thread_new("mutator", race_mutator, &m[i]);
        rt[i] = g_thread_new("reader", race_reader, &r[i]);
    }
    for (int i = 0; i < 2; i++) {
        g_thread_join(mt[i]);
    }
    stop = 1;
    for (int i = 0; i < 2; i++) {
        g_thread_join(rt[i]);
    }
    bdrv_unref(bs);
    turtle_check_clean(img);
    unlink(img);
}

/* ---- snapshots ---- */

static void snap_create(BlockDriverState *bs, const char *name)
{
    BlockSnapshotInfo sn = { .icount = UINT64_MAX, .date_sec = 1700000000 };

    g_strlcpy(sn.name, name, sizeof(sn.name));
    g_assert_true(bdrv_snapshot_create(bs, &sn, &error_abort));
}

static void test_snapshots(void)
{
    g_autofree char *img = tmp_path("snap.qcow2");
    DiskModel m = model_new(IMG_SIZE, 65536);
    uint8_t *a, *b;
    BlockSnapshotInfo *list;
    BlockDriverState *bs;
    Error *err = NULL;
    int n;

    create_image("qcow2", img, IMG_SIZE, NULL);
    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR | BDRV_O_UNMAP | BDRV_O_NO_FLUSH, &error_abort);
    model_random_ops(bs, &m, 150, 31, true);
    a = g_memdup2(m.data, IMG_SIZE);
    snap_create(bs, "one");
    model_random_ops(bs, &m, 150, 32, true);
    b = g_memdup2(m.data, IMG_SIZE);
    snap_create(bs, "two");
    g_assert_false(bdrv_snapshot_create(bs, &(BlockSnapshotInfo){
                                            .name = "two" }, &err));
    error_free(err);
    err = NULL;
    model_random_ops(bs, &m, 150, 33, true);
    n = bdrv_snapshot_list(bs, &list);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpstr(list[0].name, ==, "one");
    g_assert_cmpstr(list[1].id_str, ==, "2");
    g_free(list);
    bdrv_unref(bs);
    if (have_qemu_img()) {
        g_autofree char *out = NULL;
        check_against_qemu(img, &m);
        g_assert_cmpint(run_cmd(&out, "qemu-img", "snapshot", "-l", img,
                                NULL), ==, 0);
        g_assert_nonnull(strstr(out, "one"));
        g_assert_nonnull(strstr(out, "two"));
    }

    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR | BDRV_O_UNMAP | BDRV_O_NO_FLUSH, &error_abort);
    g_assert_true(bdrv_snapshot_goto(bs, "one", &error_abort));
    memcpy(m.data, a, IMG_SIZE);
    model_verify(bs, &m);
    model_random_ops(bs, &m, 100, 34, false);
    g_assert_true(bdrv_snapshot_goto(bs, "2", &error_abort));   /* by id */
    memcpy(m.data, b, IMG_SIZE);
    model_verify(bs, &m);
    g_assert_true(bdrv_snapshot_delete(bs, "one", &error_abort));
    g_assert_false(bdrv_snapshot_goto(bs, "one", &err));
    error_free(err);
    model_random_ops(bs, &m, 100, 35, true);
    model_verify(bs, &m);
    bdrv_unref(bs);
    turtle_check_clean(img);
    if (have_qemu_img()) {
        check_against_qemu(img, &m);
        /* QEMU applies our snapshot and gets the same data */
        g_assert_cmpint(run_cmd(NULL, "qemu-img", "snapshot", "-a", "two",
                                img, NULL), ==, 0);
        memcpy(m.data, b, IMG_SIZE);
        check_against_qemu(img, &m);
        g_assert_cmpint(run_cmd(NULL, "qemu-img", "snapshot", "-c", "q3",
                                img, NULL), ==, 0);
        bs = bdrv_open(img, "qcow2", BDRV_O_RDWR, &error_abort);
        g_assert_true(bdrv_snapshot_goto(bs, "q3", &error_abort));
        model_verify(bs, &m);
        g_assert_true(bdrv_snapshot_delete(bs, "q3", &error_abort));
        g_assert_true(bdrv_snapshot_delete(bs, "two", &error_abort));
        bdrv_unref(bs);
        check_against_qemu(img, &m);
    }
    g_free(a);
    g_free(b);
    g_free(m.data);
    unlink(img);
}

static void test_vmstate(void)
{
    g_autofree char *img = tmp_path("vm.qcow2");
    DiskModel m = model_new(IMG_SIZE, 65536);
    enum { VMSZ = 300 * 1024 + 123 };
    uint8_t *st = g_malloc(VMSZ), *rd = g_malloc(VMSZ);
    BlockSnapshotInfo sn = { .name = "vm", .vm_state_size = VMSZ,
                             .icount = UINT64_MAX };
    uint32_t seed = 5;
    BlockDriverState *bs;

    create_image("qcow2", img, IMG_SIZE, NULL);
    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR, &error_abort);
    model_random_ops(bs, &m, 50, 41, false);
    model_fill(st, VMSZ, &seed);
    g_assert_cmpint(bdrv_save_vmstate(bs, st, 0, VMSZ), ==, 0);
    g_assert_true(bdrv_snapshot_create(bs, &sn, &error_abort));
    model_random_ops(bs, &m, 50, 42, false);
    bdrv_unref(bs);
    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR, &error_abort);
    g_assert_true(bdrv_snapshot_goto(bs, "vm", &error_abort));
    g_assert_cmpint(bdrv_load_vmstate(bs, rd, 0, VMSZ), ==, 0);
    g_assert_cmpmem(rd, VMSZ, st, VMSZ);
    bdrv_unref(bs);
    turtle_check_clean(img);
    if (have_qemu_img()) {
        g_autofree char *out = NULL;
        g_assert_cmpint(qemu_img_check(img), ==, 0);
        run_cmd(&out, "qemu-img", "snapshot", "-l", img, NULL);
        g_assert_nonnull(strstr(out, "300 KiB"));
    }
    g_free(st);
    g_free(rd);
    g_free(m.data);
    unlink(img);
}

/* ---- lazy refcounts: a writer killed leaves a dirty image; the next
 * writable open rebuilds the refcounts ---- */

static void test_lazy_refcounts_repair(void)
{
    g_autofree char *img = tmp_path("lazy.qcow2");
    DiskModel m = model_new(IMG_SIZE, 65536);
    BlockDriverState *bs;
    BlockDriverInfo bdi;
    pid_t pid;
    int status;
    uint8_t zero[65536] = { 0 };

    create_image("qcow2", img, IMG_SIZE, "lazy_refcounts=on");
    pid = fork();
    if (pid == 0) {
        bs = bdrv_open(img, "qcow2", BDRV_O_RDWR, &error_abort);
        model_random_ops(bs, &m, 200, 51, false);
        bdrv_flush(bs);
        _exit(0);               /* no close: the dirty bit stays */
    }
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    {
        /* the same writes in the model (same seed) */
        BlockDriverState *tmp;
        g_autofree char *mimg = tmp_path("lazy-model.qcow2");
        create_image("qcow2", mimg, IMG_SIZE, NULL);
        tmp = bdrv_open(mimg, "qcow2", BDRV_O_RDWR, &error_abort);
        model_random_ops(tmp, &m, 200, 51, false);
        bdrv_unref(tmp);
        unlink(mimg);
    }
    bs = bdrv_open(img, "qcow2", BDRV_O_NO_IO, &error_abort);
    g_assert_true(bdrv_get_info(bs, &bdi) && bdi.is_dirty);
    bdrv_unref(bs);
    /* lose refcount updates: the first refcount block zeroed */
    {
        int fd = open(img, O_RDWR);
        g_assert_cmpint(pwrite(fd, zero, sizeof(zero), 2 * 65536), ==,
                        sizeof(zero));
        close(fd);
    }
    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR | BDRV_O_UNMAP | BDRV_O_NO_FLUSH,
                   &error_abort);                           /* repairs */
    g_assert_true(bdrv_get_info(bs, &bdi) && !bdi.is_dirty);
    model_verify(bs, &m);
    model_random_ops(bs, &m, 100, 52, true);
    bdrv_unref(bs);
    turtle_check_clean(img);
    if (have_qemu_img()) {
        check_against_qemu(img, &m);
    }
    g_free(m.data);
    unlink(img);
}

/* ---- corruption: a data cluster aliasing the L1 table ---- */

static void test_corrupt_bit(void)
{
    g_autofree char *img = tmp_path("corrupt.qcow2");
    uint8_t buf[4096] = { 1 };
    BlockDriverState *bs;
    Error *err = NULL;
    uint64_t l1_off, l2_off, e;
    int fd;
    BdrvCheckResult res = { 0 };

    create_image("qcow2", img, IMG_SIZE, NULL);
    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR, &error_abort);
    g_assert_cmpint(bdrv_pwrite(bs, 0, buf, sizeof(buf)), ==, 0);
    bdrv_unref(bs);
    /* point guest cluster 0 at the L1 table */
    fd = open(img, O_RDWR);
    g_assert_cmpint(pread(fd, &l1_off, 8, 40), ==, 8);
    l1_off = be64_to_cpu(l1_off);
    g_assert_cmpint(pread(fd, &l2_off, 8, l1_off), ==, 8);
    l2_off = be64_to_cpu(l2_off) & L1E_OFFSET_MASK_TEST;
    e = cpu_to_be64(l1_off | (1ull << 63));
    g_assert_cmpint(pwrite(fd, &e, 8, l2_off), ==, 8);
    close(fd);

    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR, &error_abort);
    g_assert_cmpint(bdrv_pwrite(bs, 0, buf, sizeof(buf)), ==, -EIO);
    g_assert_cmpint(bdrv_pwrite(bs, MiB, buf, sizeof(buf)), ==, -EIO);
    g_assert_cmpint(bdrv_pread(bs, MiB, buf, sizeof(buf)), ==, 0);
    bdrv_unref(bs);
    g_assert_null(bdrv_open(img, "qcow2", BDRV_O_RDWR, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "corrupt"));
    error_free(err);
    if (have_qemu_img()) {
        g_autofree char *out = NULL;
        run_cmd(&out, "qemu-img", "info", img, NULL);
        g_assert_nonnull(strstr(out, "corrupt: true"));
    }
    /* check -r all: cluster 0 entry still aliases the L1 table: its
     * refcount becomes 2 and the flags follow; the image is usable */
    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR | BDRV_O_CHECK, &error_abort);
    res.log = g_string_new(NULL);
    g_assert_cmpint(bdrv_check(bs, &res, BDRV_FIX_LEAKS | BDRV_FIX_ERRORS),
                    ==, 0);
    g_test_message("repair log:\n%s", res.log->str);
    g_assert_cmpint(res.corruptions, ==, 0);
    g_string_free(res.log, TRUE);
    bdrv_unref(bs);
    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR, &error_abort);
    g_assert_cmpint(bdrv_pwrite(bs, 0, buf, sizeof(buf)), ==, 0);
    bdrv_unref(bs);
    if (have_qemu_img()) {
        g_assert_cmpint(qemu_img_check(img), ==, 0);
    }
    unlink(img);
}

static void test_resize(void)
{
    g_autofree char *img = tmp_path("resize.qcow2");
    DiskModel m = model_new(IMG_SIZE, 4096);
    BlockDriverState *bs;
    Error *err = NULL;

    create_image("qcow2", img, IMG_SIZE - 4096 - 512, "cluster_size=4096");
    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR | BDRV_O_UNMAP | BDRV_O_NO_FLUSH, &error_abort);
    m.size = IMG_SIZE - 4096 - 512;
    model_random_ops(bs, &m, 100, 61, false);
    g_assert_true(bdrv_truncate(bs, IMG_SIZE, PREALLOC_MODE_OFF,
                                &error_abort));
    m.size = IMG_SIZE;
    model_verify(bs, &m);
    model_random_ops(bs, &m, 100, 62, true);
    g_assert_true(bdrv_truncate(bs, 2 * MiB + 512, PREALLOC_MODE_OFF,
                                &error_abort));
    m.size = 2 * MiB + 512;
    model_verify(bs, &m);
    g_assert_true(bdrv_truncate(bs, 32 * MiB, PREALLOC_MODE_METADATA,
                                &error_abort));
    memset(m.data + m.size, 0, IMG_SIZE - m.size);
    m.data = g_realloc(m.data, 32 * MiB);
    memset(m.data + IMG_SIZE, 0, 32 * MiB - IMG_SIZE);
    memset(m.data + 2 * MiB + 512, 0, IMG_SIZE - 2 * MiB - 512);
    m.size = 32 * MiB;
    model_verify(bs, &m);
    model_random_ops(bs, &m, 100, 63, true);
    g_assert_false(bdrv_truncate(bs, 1000, PREALLOC_MODE_OFF, &err));
    error_free(err);
    bdrv_unref(bs);
    turtle_check_clean(img);
    if (have_qemu_img()) {
        check_against_qemu(img, &m);
    }
    g_free(m.data);
    unlink(img);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    test_tmpdir = g_dir_make_tmp("test-block-qcow2-XXXXXX", NULL);
    g_test_add_func("/qcow2/turtle-images", test_turtle_images);
    g_test_add_func("/qcow2/qemu-images", test_qemu_images);
    g_test_add_func("/qcow2/qemu-compressed", test_qemu_compressed);
    g_test_add_func("/qcow2/qemu-unsupported", test_qemu_unsupported);
    g_test_add_func("/qcow2/backing-chain", test_backing_chain);
    g_test_add_func("/qcow2/backing-v2-discard", test_backing_v2_discard);
    g_test_add_func("/qcow2/concurrent-writers", test_concurrent_writers);
    g_test_add_func("/qcow2/read-discard-race", test_read_discard_race);
    g_test_add_func("/qcow2/snapshots", test_snapshots);
    g_test_add_func("/qcow2/vmstate", test_vmstate);
    g_test_add_func("/qcow2/lazy-refcounts-repair",
                    test_lazy_refcounts_repair);
    g_test_add_func("/qcow2/corrupt-bit", test_corrupt_bit);
    g_test_add_func("/qcow2/resize", test_resize);
    ret = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf %s", test_tmpdir);
        if (system(cmd)) {
            /* leftovers in the temporary directory only */
        }
    }
    return ret;
}
