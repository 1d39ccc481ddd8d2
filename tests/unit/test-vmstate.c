/* vmstate: save/restore round trip and rejection of bad streams. */
#include "turtle/osdep.h"
#include "migration/vmstate.h"
#include "migration/stream.h"
#include "turtle/timer.h"

typedef struct Inner {
    uint16_t a;
    int32_t b;
} Inner;

typedef struct Dev {
    bool flag;
    uint8_t u8;
    uint32_t u32;
    uint64_t u64;
    int64_t s64;
    uint32_t arr[4];
    uint8_t buf[5];
    Inner inner[2];
    uint32_t fifo_len;
    uint8_t fifo[8];
    uint32_t extra;           /* in a subsection */
    uint32_t v2_field;        /* added in version 2 */
} Dev;

static const VMStateDescription vmstate_inner = {
    .name = "inner",
    .version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT16(a, Inner),
        VMSTATE_INT32(b, Inner),
        VMSTATE_END_OF_LIST()
    },
};

static bool extra_needed(void *opaque)
{
    return ((Dev *)opaque)->extra != 0;
}

static const VMStateDescription vmstate_dev_extra = {
    .name = "dev/extra",
    .version_id = 1,
    .needed = extra_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(extra, Dev),
        VMSTATE_END_OF_LIST()
    },
};

static int post_load_calls;
static int dev_post_load(void *opaque, int version)
{
    post_load_calls++;
    return 0;
}

static const VMStateField dev_fields[] = {
    VMSTATE_BOOL(flag, Dev),
    VMSTATE_UINT8(u8, Dev),
    VMSTATE_UINT32(u32, Dev),
    VMSTATE_UINT64(u64, Dev),
    VMSTATE_INT64(s64, Dev),
    VMSTATE_UINT32_ARRAY(arr, Dev, 4),
    VMSTATE_BUFFER(buf, Dev),
    VMSTATE_STRUCT_ARRAY(inner, Dev, 2, vmstate_inner, Inner),
    VMSTATE_UINT32(fifo_len, Dev),
    VMSTATE_UINT8_VARRAY(fifo, Dev, 8, fifo_len),
    { .name = "v2_field", .offset = offsetof(Dev, v2_field), .type = VMS_UINT32,
      .size = 4, .num = 1, .version_id = 2 },
    VMSTATE_END_OF_LIST()
};

static const VMStateDescription vmstate_dev = {
    .name = "dev",
    .version_id = 2,
    .minimum_version_id = 1,
    .post_load = dev_post_load,
    .fields = dev_fields,
    .subsections = (const VMStateDescription *const[]) {
        &vmstate_dev_extra, NULL
    },
};

static Dev sample(void)
{
    Dev d;

    /* zero the padding too, so whole structs compare with memcmp */
    memset(&d, 0, sizeof(d));
    d.flag = true;
    d.u8 = 0xab;
    d.u32 = 0xdeadbeef;
    d.u64 = 0x0123456789abcdefULL;
    d.s64 = -42;
    d.arr[0] = 1;
    d.arr[1] = 2;
    d.arr[2] = 3;
    d.arr[3] = 0xffffffff;
    memcpy(d.buf, "abcd", 5);
    d.inner[0].a = 7;
    d.inner[0].b = -7;
    d.inner[1].a = 0xffff;
    d.inner[1].b = INT32_MIN;
    d.fifo_len = 3;
    d.fifo[0] = 9;
    d.fifo[1] = 8;
    d.fifo[2] = 7;
    d.extra = 77;
    d.v2_field = 5;
    return d;
}

static void test_roundtrip(void)
{
    Dev a = sample(), b;
    GByteArray *out = g_byte_array_new();
    VMStateReader in;

    g_assert_true(vmstate_save(&vmstate_dev, &a, out, &error_abort));
    memset(&b, 0, sizeof(b));
    in = (VMStateReader){ out->data, out->len, 0 };
    post_load_calls = 0;
    g_assert_true(vmstate_load(&vmstate_dev, &b, &in, &error_abort));
    g_assert_cmpint(post_load_calls, ==, 1);
    g_assert_cmpuint(in.pos, ==, out->len);
    g_assert_cmpmem(&a, sizeof(a), &b, sizeof(b));

    /* without the subsection the stream is shorter and still loads */
    a.extra = 0;
    g_byte_array_set_size(out, 0);
    vmstate_save(&vmstate_dev, &a, out, &error_abort);
    memset(&b, 0, sizeof(b));
    in = (VMStateReader){ out->data, out->len, 0 };
    g_assert_true(vmstate_load(&vmstate_dev, &b, &in, &error_abort));
    g_assert_cmpuint(b.extra, ==, 0);
    g_assert_cmpuint(b.u32, ==, 0xdeadbeef);
    g_byte_array_free(out, true);
}

static void test_bad_streams(void)
{
    Dev a = sample(), b;
    GByteArray *out = g_byte_array_new();
    Error *err = NULL;
    VMStateReader in;

    vmstate_save(&vmstate_dev, &a, out, &error_abort);
    /* every truncation fails cleanly */
    for (guint len = 0; len < out->len; len++) {
        in = (VMStateReader){ out->data, len, 0 };
        g_assert_false(vmstate_load(&vmstate_dev, &b, &in, &err));
        error_free_or_abort(&err);
    }
    /* wrong section name */
    out->data[1] = 'X';
    in = (VMStateReader){ out->data, out->len, 0 };
    g_assert_false(vmstate_load(&vmstate_dev, &b, &in, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "expected section 'dev'"));
    error_free_or_abort(&err);
    out->data[1] = 'd';
    /* a newer version than we know */
    out->data[1 + 3 + 3] = 9;
    in = (VMStateReader){ out->data, out->len, 0 };
    g_assert_false(vmstate_load(&vmstate_dev, &b, &in, &err));
    error_free_or_abort(&err);
    out->data[1 + 3 + 3] = 2;
    /* a bool that is not 0 or 1 */
    out->data[1 + 3 + 8] = 2;
    in = (VMStateReader){ out->data, out->len, 0 };
    g_assert_false(vmstate_load(&vmstate_dev, &b, &in, &err));
    error_free_or_abort(&err);
    g_byte_array_free(out, true);
}

/* vmstate_check parses like a load but changes nothing and runs no hook */
static void test_check(void)
{
    Dev a = sample();
    GByteArray *out = g_byte_array_new();
    Error *err = NULL;
    VMStateReader in;

    vmstate_save(&vmstate_dev, &a, out, &error_abort);
    in = (VMStateReader){ out->data, out->len, 0 };
    post_load_calls = 0;
    g_assert_true(vmstate_check(&vmstate_dev, &in, &error_abort));
    g_assert_cmpuint(in.pos, ==, out->len);
    g_assert_cmpint(post_load_calls, ==, 0);
    for (guint len = 0; len < out->len; len++) {
        in = (VMStateReader){ out->data, len, 0 };
        g_assert_false(vmstate_check(&vmstate_dev, &in, &err));
        error_free_or_abort(&err);
    }
    out->data[1 + 3 + 8] = 2;       /* the bool */
    in = (VMStateReader){ out->data, out->len, 0 };
    g_assert_false(vmstate_check(&vmstate_dev, &in, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "invalid bool"));
    error_free_or_abort(&err);
    g_byte_array_free(out, true);
}

/* Stream framing: every flipped byte and every truncation is refused. */
static void test_stream_framing(void)
{
    g_autoptr(GByteArray) buf = g_byte_array_new();
    g_autoptr(MigStream) w = mig_stream_new_buffer(buf);
    Error *err = NULL;
    uint8_t type;
    uint32_t v32;
    uint64_t v64;
    char str[256];

    g_assert_true(mig_stream_put_magic(w, &error_abort));
    mig_section_begin(w, 7);
    mig_put_u32(w, 0x01020304);
    mig_put_str(w, "hello");
    mig_put_u64(w, UINT64_MAX - 1);
    g_assert_true(mig_section_end(w, &error_abort));
    g_assert_cmpuint(mig_stream_bytes(w), ==, buf->len);

    {
        g_autoptr(MigStream) r = mig_stream_new_reader_buf(buf->data,
                                                           buf->len);
        g_assert_true(mig_stream_check_magic(r, &error_abort));
        g_assert_true(mig_section_read(r, &type, &error_abort));
        g_assert_cmpuint(type, ==, 7);
        g_assert_true(mig_get_u32(r, &v32, &error_abort));
        g_assert_cmphex(v32, ==, 0x01020304);
        g_assert_true(mig_get_str(r, str, &error_abort));
        g_assert_cmpstr(str, ==, "hello");
        g_assert_true(mig_get_u64(r, &v64, &error_abort));
        g_assert_cmphex(v64, ==, UINT64_MAX - 1);
        g_assert_cmpuint(mig_section_left(r), ==, 0);
        g_assert_false(mig_get_u32(r, &v32, &err));    /* past the end */
        error_free_or_abort(&err);
    }
    for (guint i = 0; i < buf->len; i++) {
        g_autoptr(MigStream) r = NULL;

        buf->data[i] ^= 0x10;
        r = mig_stream_new_reader_buf(buf->data, buf->len);
        g_assert_false(mig_stream_check_magic(r, &err) &&
                       mig_section_read(r, &type, &err));
        g_assert_nonnull(err);
        error_free_or_abort(&err);
        buf->data[i] ^= 0x10;
    }
    for (guint len = 0; len < buf->len; len++) {
        g_autoptr(MigStream) r = mig_stream_new_reader_buf(buf->data, len);
        g_assert_false(mig_stream_check_magic(r, &err) &&
                       mig_section_read(r, &type, &err));
        g_assert_nonnull(strstr(error_get_pretty(err), "truncated"));
        error_free_or_abort(&err);
    }
}

/* An array behind a pointer, sized at "realize": the count travels with it */
typedef struct PtrDev {
    uint32_t n;
    Inner *items;
} PtrDev;

static const VMStateDescription vmstate_ptrdev = {
    .name = "ptrdev",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT_VARRAY_POINTER(items, PtrDev, n, vmstate_inner, Inner),
        VMSTATE_END_OF_LIST()
    },
};

static void test_pointer_array(void)
{
    Inner a_items[3] = { { 1, -1 }, { 2, -2 }, { 3, -3 } };
    Inner b_items[3] = { 0 }, c_items[2] = { 0 };
    PtrDev a = { 3, a_items }, b = { 3, b_items }, c = { 2, c_items };
    g_autoptr(GByteArray) out = g_byte_array_new();
    VMStateReader in;
    Error *err = NULL;

    g_assert_true(vmstate_save(&vmstate_ptrdev, &a, out, &error_abort));
    in = (VMStateReader){ .buf = out->data, .len = out->len };
    g_assert_true(vmstate_check(&vmstate_ptrdev, &in, &error_abort));
    in = (VMStateReader){ .buf = out->data, .len = out->len };
    g_assert_true(vmstate_load(&vmstate_ptrdev, &b, &in, &error_abort));
    for (int i = 0; i < 3; i++) {
        g_assert_cmpint(b_items[i].a, ==, a_items[i].a);
        g_assert_cmpint(b_items[i].b, ==, a_items[i].b);
    }
    /* a device configured with fewer elements refuses the stream */
    in = (VMStateReader){ .buf = out->data, .len = out->len };
    g_assert_false(vmstate_load(&vmstate_ptrdev, &c, &in, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "3 elements"));
    error_free(err);
    err = NULL;
    /* truncated: refused by the dry run too */
    in = (VMStateReader){ .buf = out->data, .len = out->len - 3 };
    g_assert_false(vmstate_check(&vmstate_ptrdev, &in, &err));
    error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vmstate/roundtrip", test_roundtrip);
    g_test_add_func("/vmstate/bad-streams", test_bad_streams);
    g_test_add_func("/vmstate/check", test_check);
    g_test_add_func("/vmstate/stream-framing", test_stream_framing);
    g_test_add_func("/vmstate/pointer-array", test_pointer_array);
    return g_test_run();
}
