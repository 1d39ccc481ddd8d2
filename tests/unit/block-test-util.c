/*
 * Helpers shared by the block unit tests (see block-test-util.h).
 */
#include "block-test-util.h"

char *test_tmpdir;

char *tmp_path(const char *name)
{
    return g_build_filename(test_tmpdir, name, NULL);
}

int run_cmd(char **out, const char *first, ...)
{
    GPtrArray *argv = g_ptr_array_new();
    va_list ap;
    const char *a;
    gchar *sout = NULL, *serr = NULL;
    gint status = -1;
    GError *err = NULL;

    va_start(ap, first);
    for (a = first; a; a = va_arg(ap, const char *)) {
        g_ptr_array_add(argv, (gpointer)a);
    }
    va_end(ap);
    g_ptr_array_add(argv, NULL);
    if (!g_spawn_sync(NULL, (gchar **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH,
                      NULL, NULL, &sout, &serr, &status, &err)) {
        g_test_message("spawn %s: %s", first, err->message);
        g_error_free(err);
        g_ptr_array_free(argv, TRUE);
        return -1;
    }
    g_ptr_array_free(argv, TRUE);
    if (out) {
        *out = g_strconcat(sout ? sout : "", serr ? serr : "", NULL);
    }
    g_free(sout);
    g_free(serr);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool have_qemu_img(void)
{
    g_autofree char *p = g_find_program_in_path("qemu-img");
    g_autofree char *q = g_find_program_in_path("qemu-io");
    return p && q;
}

int qemu_img_check(const char *path)
{
    g_autofree char *out = NULL;
    int rc = run_cmd(&out, "qemu-img", "check", path, NULL);

    if (rc != 0) {
        g_test_message("qemu-img check %s (rc %d):\n%s", path, rc, out);
    }
    return rc;
}

bool qemu_img_compare(const char *img, const char *raw)
{
    g_autofree char *out = NULL;
    int rc = run_cmd(&out, "qemu-img", "compare", "-F", "raw", img, raw,
                     NULL);

    if (rc != 0) {
        g_test_message("qemu-img compare %s %s: %s", img, raw, out);
    }
    return rc == 0;
}

void create_image(const char *fmt, const char *path, int64_t size,
                  const char *opts)
{
    Opts *o = opts ? opts_parse("o", opts, NULL, &error_abort)
                   : opts_new("o");
    char sz[32];

    if (size >= 0) {
        snprintf(sz, sizeof(sz), "%" PRId64, size);
        opts_set(o, "size", sz);
    }
    g_assert_true(bdrv_create(fmt, path, o, &error_abort));
    opts_free(o);
}

static uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

uint32_t xorshift_next(uint32_t *seed)
{
    return xorshift(seed);
}

void model_fill(uint8_t *buf, size_t len, uint32_t *seed)
{
    uint32_t v = xorshift(seed);

    for (size_t i = 0; i < len; i++) {
        if ((i & 3) == 0) {
            v = v * 1103515245 + 12345;
        }
        buf[i] = v >> (8 * (i & 3));
    }
}

static int64_t rnd(uint32_t *s, int64_t n)
{
    return n > 0 ? (int64_t)(xorshift(s) % (uint64_t)n) : 0;
}

void model_random_ops(BlockDriverState *bs, DiskModel *m, int nops,
                      uint32_t seed, bool discards)
{
    int64_t cs = m->cluster_size;
    uint8_t *buf = g_malloc(4 * cs + 4096);

    for (int i = 0; i < nops; i++) {
        int op = rnd(&seed, 10);
        int64_t len = 1 + rnd(&seed, 3 * cs + 1000);
        int64_t off = rnd(&seed, m->size);

        if (rnd(&seed, 3) == 0) {
            off = ROUND_DOWN(off, 512);
            len = ROUND_UP(len, 512);
        }
        len = MIN(len, m->size - off);
        if (len <= 0) {
            continue;
        }
        if (op < 6) {
            model_fill(buf, len, &seed);
            g_assert_cmpint(bdrv_pwrite(bs, off, buf, len), ==, 0);
            memcpy(m->data + off, buf, len);
        } else if (op < 8) {
            int flags = rnd(&seed, 2) ? BDRV_REQ_MAY_UNMAP : 0;
            g_assert_cmpint(bdrv_pwrite_zeroes(bs, off, len, flags), ==, 0);
            memset(m->data + off, 0, len);
        } else if (op == 8 && discards) {
            int64_t a = ROUND_DOWN(off, cs);
            int64_t b = MIN(ROUND_DOWN(off + len + cs, cs), m->size);
            g_assert_cmpint(bdrv_pdiscard(bs, a, b - a), ==, 0);
            if (m->discard_zeroes || !m->backing) {
                memset(m->data + a, 0, b - a);
            } else {
                memcpy(m->data + a, m->backing + a, b - a);
            }
        } else if (op == 9) {
            g_assert_cmpint(bdrv_flush(bs), ==, 0);
        } else {
            g_assert_cmpint(bdrv_pread(bs, off, buf, len), ==, 0);
            g_assert_cmpmem(buf, len, m->data + off, len);
        }
    }
    g_free(buf);
}

void model_verify(BlockDriverState *bs, DiskModel *m)
{
    int64_t chunk = 4 * MiB;
    uint8_t *buf = g_malloc(chunk);

    g_assert_cmpint(bdrv_getlength(bs), ==, m->size);
    for (int64_t off = 0; off < m->size; off += chunk) {
        int64_t n = MIN(chunk, m->size - off);
        g_assert_cmpint(bdrv_pread(bs, off, buf, n), ==, 0);
        if (memcmp(buf, m->data + off, n)) {
            int64_t i = 0;
            while (buf[i] == m->data[off + i]) {
                i++;
            }
            g_error("image differs from the model at %#" PRIx64
                    " (got %02x want %02x)", off + i, buf[i],
                    m->data[off + i]);
        }
    }
    g_free(buf);
}

void model_save_raw(DiskModel *m, const char *path)
{
    g_assert_true(g_file_set_contents(path, (const char *)m->data, m->size,
                                      NULL));
}
