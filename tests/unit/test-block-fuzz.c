/*
 * Hostile qcow2 images: every header field, L1/L2 entries pointing past
 * the end, at metadata or unaligned, refcount tables pointing at
 * themselves, broken snapshot tables, a backing chain that loops, a
 * compressed cluster that inflates past its cluster, and random bytes
 * anywhere in the metadata.  Each image is opened (read-only and
 * read-write), read whole, written, flushed, snapshotted and checked with
 * repair, in a child process with a time limit: the only acceptable
 * outcomes are an error on open or an error from I/O -- never a crash, a
 * hang, a file that grows without bound, or a change to a backing file.
 * Seeds are fixed ($FUZZ_SEED overrides); run it in build-san too.
 */
#include "block-test-util.h"
#include "block/block_int.h"
#include <zlib.h>

#define CS 4096                  /* cluster size of the base images */
#define DISK (1 * MiB)
#define MAX_IMAGE_GROWTH (256 * MiB)

static char *base_img, *backing_raw, *backing_sum;
static int cases, opened, io_errors;

static char *file_sum(const char *path)
{
    gchar *data;
    gsize len;
    char *sum;

    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (guchar *)data, len);
    g_free(data);
    return sum;
}

/* What a guest and turtle-img may do with an image. */
static int exercise(const char *img, int flags)
{
    Error *err = NULL;
    BlockDriverState *bs = bdrv_open(img, "qcow2", flags, &err);
    uint8_t *buf;
    int64_t len;
    int errors = 0;
    BlockSnapshotInfo *list;

    if (!bs) {
        /* a clear error is fine; it must say something */
        g_assert_true(strlen(error_get_pretty(err)) > 0);
        error_free(err);
        return 0;
    }
    len = bdrv_getlength(bs);
    buf = g_malloc(64 * KiB);
    for (int64_t off = 0; off < MIN(len, 8 * MiB); off += 64 * KiB) {
        errors += bdrv_pread(bs, off, buf, MIN(64 * KiB, len - off)) < 0;
    }
    g_free(bdrv_snapshot_list(bs, &list) >= 0 ? list : NULL);
    if (flags & BDRV_O_RDWR) {
        memset(buf, 0x5a, 64 * KiB);
        for (int64_t off = 0; off < MIN(len, 2 * MiB); off += 192 * KiB) {
            errors += bdrv_pwrite(bs, off + 512, buf, 8192) < 0;
        }
        errors += bdrv_pwrite_zeroes(bs, 0, MIN(len, 3 * CS), 0) < 0;
        errors += bdrv_pdiscard(bs, 4 * CS, MIN(len, 8 * CS)) < 0;
        errors += bdrv_flush(bs) < 0;
        if (bdrv_can_snapshot(bs)) {
            BlockSnapshotInfo sn = { .name = "fz", .icount = UINT64_MAX };
            if (bdrv_snapshot_create(bs, &sn, &err)) {
                bdrv_snapshot_goto(bs, "fz", NULL);
                bdrv_snapshot_delete(bs, "fz", NULL);
            } else {
                error_free(err);
                err = NULL;
            }
        }
    }
    bdrv_unref(bs);
    /* and what turtle-img check -r all does */
    bs = bdrv_open(img, "qcow2", BDRV_O_RDWR | BDRV_O_CHECK |
                   BDRV_O_NO_BACKING, &err);
    if (bs) {
        BdrvCheckResult res = { .log = g_string_new(NULL) };
        bdrv_check(bs, &res, BDRV_FIX_LEAKS | BDRV_FIX_ERRORS);
        g_string_free(res.log, TRUE);
        bdrv_unref(bs);
    } else {
        error_free(err);
    }
    return 1 + (errors > 0);
}

/* Run exercise() in a child with a time limit; the image is a copy. */
static void run_case(const char *what, const uint8_t *image, size_t len)
{
    g_autofree char *img = tmp_path("fuzz.qcow2");
    pid_t pid;
    int status;
    struct stat st;

    g_assert_true(g_file_set_contents(img, (const char *)image, len, NULL));
    cases++;
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        int r1, r2;
        alarm(20);
        r1 = exercise(img, 0);
        r2 = exercise(img, BDRV_O_RDWR | BDRV_O_UNMAP | BDRV_O_NO_FLUSH);
        /* exit code 16 + bits for "opened" and "had I/O errors": any
         * other code (a sanitizer's 1, an abort) is a failure */
        _exit(16 | (r1 > 0 || r2 > 0 ? 1 : 0) | (r1 == 2 || r2 == 2 ? 2 : 0));
    }
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    if (!WIFEXITED(status)) {
        g_error("case '%s': the child died (signal %d%s)", what,
                WIFSIGNALED(status) ? WTERMSIG(status) : 0,
                WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM
                ? ": hang" : "");
    }
    if ((WEXITSTATUS(status) & ~3) != 16) {
        g_error("case '%s': exit status %d", what, WEXITSTATUS(status));
    }
    opened += WEXITSTATUS(status) & 1;
    io_errors += (WEXITSTATUS(status) & 2) != 0;
    g_assert_cmpint(stat(img, &st), ==, 0);
    if (st.st_size > (off_t)MAX_IMAGE_GROWTH) {
        g_error("case '%s': the image grew to %jd bytes", what,
                (intmax_t)st.st_size);
    }
    unlink(img);
}

static uint8_t *load(const char *path, size_t *len)
{
    gchar *data;
    gsize l;

    g_assert_true(g_file_get_contents(path, &data, &l, NULL));
    *len = l;
    return (uint8_t *)data;
}

static uint32_t fuzz_seed(void)
{
    const char *e = getenv("FUZZ_SEED");
    return e ? (uint32_t)strtoul(e, NULL, 0) : 0x7a11u;
}

/* A base image with data, a compressed cluster, a snapshot and a raw
 * backing file, so every kind of metadata is present. */
static void make_base(void)
{
    BlockDriverState *bs;
    uint8_t *buf = g_malloc(DISK);
    uint32_t seed = 1;
    BlockSnapshotInfo sn = { .name = "s", .icount = UINT64_MAX };
    g_autofree char *opts = NULL;

    backing_raw = tmp_path("backing.raw");
    model_fill(buf, DISK, &seed);
    g_assert_true(g_file_set_contents(backing_raw, (char *)buf, DISK, NULL));
    backing_sum = file_sum(backing_raw);
    base_img = tmp_path("base.qcow2");
    opts = g_strdup_printf("cluster_size=%d,backing_file=backing.raw,"
                           "backing_fmt=raw", CS);
    create_image("qcow2", base_img, DISK, opts);
    bs = bdrv_open(base_img, "qcow2", BDRV_O_RDWR, &error_abort);
    g_assert_cmpint(bdrv_pwrite(bs, 0, buf, 20 * CS), ==, 0);
    memset(buf, 'x', CS);
    g_assert_cmpint(bdrv_pwrite_compressed(bs, 40 * CS, buf, CS), ==, 0);
    g_assert_cmpint(bdrv_pwrite_zeroes(bs, 50 * CS, 4 * CS, 0), ==, 0);
    g_assert_true(bdrv_snapshot_create(bs, &sn, &error_abort));
    g_assert_cmpint(bdrv_pwrite(bs, 2 * CS, buf, CS), ==, 0);
    bdrv_unref(bs);
    g_free(buf);
}

/* ---- header fields ---- */

static void test_header_fields(void)
{
    size_t len;
    g_autofree uint8_t *base = load(base_img, &len);
    uint32_t seed = fuzz_seed();
    static const uint8_t patterns[] = { 0x00, 0xff };

    for (int off = 4; off < 112; off++) {
        for (size_t p = 0; p < ARRAY_SIZE(patterns) + 1; p++) {
            g_autofree uint8_t *img = g_memdup2(base, len);
            char what[64];

            img[off] = p < ARRAY_SIZE(patterns) ? patterns[p]
                                                : xorshift_next(&seed);
            if (img[off] == base[off]) {
                continue;
            }
            snprintf(what, sizeof(what), "header byte %d = %#x", off,
                     img[off]);
            run_case(what, img, len);
        }
    }
    /* whole fields at once: random 8-byte values over each field */
    for (int off = 8; off < 104; off += 4) {
        g_autofree uint8_t *img = g_memdup2(base, len);
        uint64_t v = ((uint64_t)xorshift_next(&seed) << 32) |
                     xorshift_next(&seed);
        char what[64];

        memcpy(img + off, &v, MIN(8, 112 - off));
        snprintf(what, sizeof(what), "header field at %d random", off);
        run_case(what, img, len);
    }
    g_test_message("%d cases, %d opened, %d with I/O errors", cases, opened,
                   io_errors);
}

/* ---- table entries ---- */

static uint64_t hdr64(const uint8_t *img, int off)
{
    return ld64_be_p(img + off);
}

static void poke64(uint8_t *img, size_t len, uint64_t off, uint64_t v)
{
    if (off + 8 <= len) {
        st64_be_p(img + off, v);
    }
}

static void test_table_entries(void)
{
    size_t len;
    g_autofree uint8_t *base = load(base_img, &len);
    uint64_t l1 = hdr64(base, 40), rt = hdr64(base, 48);
    uint64_t l2 = hdr64(base, l1) & 0x00fffffffffffe00ull;
    uint64_t rb = hdr64(base, rt);
    uint64_t snaps = hdr64(base, 64);
    uint64_t targets[] = {
        0, CS, l1, rt, rb & ~1ull, l2, snaps, len, len + 7 * CS,
        1ull << 40, 0x00fffffffffffe00ull, 123, CS + 512,
    };
    static const uint64_t flags[] = { 0, 1ull << 63, 1ull << 62, 1,
                                      (1ull << 63) | 1 };

    g_assert_cmpint(l2, !=, 0);
    for (size_t t = 0; t < ARRAY_SIZE(targets); t++) {
        for (size_t f = 0; f < ARRAY_SIZE(flags); f++) {
            g_autofree uint8_t *a = g_memdup2(base, len);
            g_autofree uint8_t *b = g_memdup2(base, len);
            g_autofree uint8_t *c = g_memdup2(base, len);
            char what[96];

            /* L1 entry 0, L2 entries 0 and 40 (compressed), refcount
             * table entry 0 */
            poke64(a, len, l1, targets[t] | flags[f]);
            snprintf(what, sizeof(what), "L1[0] = %#" PRIx64,
                     targets[t] | flags[f]);
            run_case(what, a, len);
            poke64(b, len, l2, targets[t] | flags[f]);
            poke64(b, len, l2 + 40 * 8, targets[t] | flags[f]);
            snprintf(what, sizeof(what), "L2[0,40] = %#" PRIx64,
                     targets[t] | flags[f]);
            run_case(what, b, len);
            if (f == 0) {
                poke64(c, len, rt, targets[t]);
                snprintf(what, sizeof(what), "reftable[0] = %#" PRIx64,
                         targets[t]);
                run_case(what, c, len);
            }
        }
    }
    /* refcount loop: the refcount block describes nothing but claims to
     * be the refcount table, and vice versa */
    {
        g_autofree uint8_t *a = g_memdup2(base, len);
        poke64(a, len, rt, rt);
        poke64(a, len, rt + 8, rt);
        run_case("reftable points at itself", a, len);
    }
    {
        g_autofree uint8_t *a = g_memdup2(base, len);
        /* every refcount zero: allocations hit metadata */
        memset(a + rb, 0, CS);
        run_case("refcount block zeroed", a, len);
    }
    {
        g_autofree uint8_t *a = g_memdup2(base, len);
        memset(a + rb, 0xff, CS);
        run_case("refcounts at their maximum", a, len);
    }
    {
        /* compressed descriptors with every size field */
        for (int bits = 0; bits < 5; bits++) {
            g_autofree uint8_t *a = g_memdup2(base, len);
            int csize_shift = 62 - (12 - 8);
            uint64_t e = (1ull << 62) | ((uint64_t)((1 << bits) * 3 & 15)
                                         << csize_shift) | (len - 100);
            poke64(a, len, l2 + 8, e);
            run_case("compressed descriptor past the end", a, len);
        }
    }
}

/* ---- snapshot table ---- */

static void test_snapshot_table(void)
{
    size_t len;
    g_autofree uint8_t *base = load(base_img, &len);
    uint64_t snaps = hdr64(base, 64);
    uint32_t seed = fuzz_seed() + 1;

    for (int i = 0; i < 40; i++) {
        g_autofree uint8_t *a = g_memdup2(base, len);
        int off = xorshift_next(&seed) % 64;
        char what[64];

        a[snaps + off] = xorshift_next(&seed);
        snprintf(what, sizeof(what), "snapshot table byte %d", off);
        run_case(what, a, len);
    }
    {
        g_autofree uint8_t *a = g_memdup2(base, len);
        st32_be_p(a + 60, 65536);        /* many snapshots, one table */
        run_case("nb_snapshots 65536", a, len);
    }
}

/* ---- a compressed cluster that inflates to more than a cluster ---- */

static void test_compressed_bomb(void)
{
    size_t len;
    g_autofree uint8_t *base = load(base_img, &len);
    uint64_t l1 = hdr64(base, 40);
    uint64_t l2 = hdr64(base, l1) & 0x00fffffffffffe00ull;
    uint64_t e = hdr64(base, l2 + 40 * 8);
    int csize_shift = 62 - (12 - 8);
    uint64_t coff = e & ((1ull << csize_shift) - 1);
    uint8_t *big = g_malloc0(4 * CS), out[CS];
    z_stream z = { 0 };
    size_t n;
    BlockDriverState *bs;
    g_autofree char *img = tmp_path("bomb.qcow2");

    g_assert_true(e & (1ull << 62));
    /* a raw deflate stream of 4 clusters of zeroes, where one belongs */
    deflateInit2(&z, 9, Z_DEFLATED, -12, 9, Z_DEFAULT_STRATEGY);
    z.next_in = big;
    z.avail_in = 4 * CS;
    z.next_out = out;
    z.avail_out = sizeof(out);
    g_assert_cmpint(deflate(&z, Z_FINISH), ==, Z_STREAM_END);
    n = sizeof(out) - z.avail_out;
    deflateEnd(&z);
    g_assert_cmpint(coff + n, <=, len);
    memcpy(base + coff, out, n);
    st64_be_p(base + l2 + 40 * 8, (1ull << 62) | coff |
              ((uint64_t)(((coff + n - 1) >> 9) - (coff >> 9)) << csize_shift));
    g_assert_true(g_file_set_contents(img, (char *)base, len, NULL));
    bs = bdrv_open(img, "qcow2", 0, &error_abort);
    g_assert_cmpint(bdrv_pread(bs, 40 * CS, big, CS), ==, -EIO);
    /* its neighbours are fine */
    g_assert_cmpint(bdrv_pread(bs, 0, big, CS), ==, 0);
    bdrv_unref(bs);
    run_case("compressed cluster inflating past a cluster", base, len);
    g_free(big);
}

/* ---- backing chains that loop ---- */

static void test_backing_loop(void)
{
    g_autofree char *a = tmp_path("loop-a.qcow2");
    g_autofree char *b = tmp_path("loop-b.qcow2");
    g_autofree char *self = tmp_path("loop-self.qcow2");
    Error *err = NULL;

    /* a -> b -> a, and self -> self (created over the existing files) */
    create_image("qcow2", b, DISK, NULL);
    create_image("qcow2", a, DISK, "backing_file=loop-b.qcow2,"
                 "backing_fmt=qcow2");
    create_image("qcow2", b, DISK, "backing_file=loop-a.qcow2,"
                 "backing_fmt=qcow2");
    create_image("qcow2", self, DISK, NULL);
    create_image("qcow2", self, DISK, "backing_file=loop-self.qcow2,"
                 "backing_fmt=qcow2");
    g_assert_null(bdrv_open(a, NULL, 0, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "loop"));
    error_free(err);
    err = NULL;
    g_assert_null(bdrv_open(self, NULL, BDRV_O_RDWR, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "loop"));
    error_free(err);
}

/* ---- random bytes anywhere in the metadata ---- */

static void test_random_metadata(void)
{
    size_t len;
    g_autofree uint8_t *base = load(base_img, &len);
    uint32_t seed = fuzz_seed() + 2;
    size_t meta_end = MIN(len, (size_t)8 * CS);  /* header..L2 tables */

    for (int i = 0; i < 80; i++) {
        g_autofree uint8_t *a = g_memdup2(base, len);
        int n = 1 + xorshift_next(&seed) % 8;
        char what[64];

        for (int k = 0; k < n; k++) {
            a[xorshift_next(&seed) % meta_end] = xorshift_next(&seed);
        }
        snprintf(what, sizeof(what), "random metadata bytes #%d", i);
        run_case(what, a, len);
    }
}

static void test_backing_untouched(void)
{
    g_autofree char *sum = file_sum(backing_raw);

    g_assert_cmpstr(sum, ==, backing_sum);
    g_test_message("%d cases: %d opened, %d saw I/O errors", cases, opened,
                   io_errors);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    test_tmpdir = g_dir_make_tmp("test-block-fuzz-XXXXXX", NULL);
    make_base();
    g_test_add_func("/qcow2-fuzz/header-fields", test_header_fields);
    g_test_add_func("/qcow2-fuzz/table-entries", test_table_entries);
    g_test_add_func("/qcow2-fuzz/snapshot-table", test_snapshot_table);
    g_test_add_func("/qcow2-fuzz/compressed-bomb", test_compressed_bomb);
    g_test_add_func("/qcow2-fuzz/backing-loop", test_backing_loop);
    g_test_add_func("/qcow2-fuzz/random-metadata", test_random_metadata);
    g_test_add_func("/qcow2-fuzz/backing-untouched", test_backing_untouched);
    ret = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf %s", test_tmpdir);
        if (system(cmd)) {
            /* leftovers in the temporary directory only */
        }
    }
    return ret;
}
