/*
 * virtio-rng (virtio 1.2, 5.4) on each transport: requests filled with
 * host random bytes (one buffer, chains, indirect tables), several
 * requests per kick, EVENT_IDX interrupt suppression, the max-bytes /
 * period rate limit on the virtual clock, and refused properties.
 */
#include "libqvirtio.h"

#include <string.h>

typedef struct Transport {
    const char *name;
    const char *args;            /* machine and the device, %s: options */
    QVirtioDevice *(*init)(QTestState *qts, QGuestAlloc *a);
} Transport;

static QVirtioDevice *mmio_init(QTestState *qts, QGuestAlloc *a)
{
    guest_alloc_init(a, 0x40100000, 0x800000);
    return qvirtio_mmio_init(qts, 0x0a003e00, a);
}

static const Transport transports[] = {
    { "mmio", "-M virt -m 64M -device virtio-rng-device%s", mmio_init },
};

typedef struct Rig {
    QTestState *qts;
    QGuestAlloc alloc;
    QVirtioDevice *d;
    QVirtQueue *vq;
} Rig;

static bool rig_start(Rig *r, const Transport *t, const char *opts,
                      uint64_t features)
{
    g_autofree char *args = g_strdup_printf(t->args, opts);

    r->qts = qvirtio_qtest_init(args);
    r->d = t->init(r->qts, &r->alloc);
    g_assert_cmpuint(r->d->device_id, ==, QVIRTIO_ID_RNG);
    qvirtio_start(r->d, features);
    r->vq = qvirtqueue_setup(r->d, 0);
    qvirtio_set_driver_ok(r->d);
    return true;
}

static void rig_stop(Rig *r)
{
    qvirtio_free(r->d);
    qtest_quit(r->qts);
}

static bool all_zero(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i]) {
            return false;
        }
    }
    return true;
}

static void test_request(const void *opaque)
{
    Rig r;
    uint64_t buf;
    uint8_t a[256], b[256];
    uint32_t id, len;
    uint16_t head;

    rig_start(&r, opaque, "", 0);
    buf = guest_alloc(r.qts, &r.alloc, 256, 8);
    head = qvirtqueue_add(r.vq, buf, 256, true, false);
    qvirtqueue_kick(r.vq, head);
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpuint(len, ==, 256);
    qtest_memread(r.qts, buf, a, 256);
    g_assert_false(all_zero(a, 256));

    /* again: other bytes */
    head = qvirtqueue_add(r.vq, buf, 256, true, false);
    qvirtqueue_kick(r.vq, head);
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    qtest_memread(r.qts, buf, b, 256);
    g_assert_cmpint(memcmp(a, b, 256), !=, 0);
    g_assert_true(qvirtio_isr(r.d) & 1);
    rig_stop(&r);
}

/* Three buffers in a chain, then the same as an indirect table, and
 * several requests published before one kick. */
static void test_chains(const void *opaque)
{
    Rig r;
    uint64_t buf, table;
    uint8_t data[48];
    uint32_t id, len;
    uint16_t head;

    rig_start(&r, opaque, "", 1ull << QVIRTIO_F_INDIRECT_DESC);
    buf = guest_alloc(r.qts, &r.alloc, 48, 8);

    head = qvirtqueue_add(r.vq, buf, 16, true, true);
    qvirtqueue_add(r.vq, buf + 16, 16, true, true);
    qvirtqueue_add(r.vq, buf + 32, 16, true, false);
    qvirtqueue_kick(r.vq, head);
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpuint(len, ==, 48);
    qtest_memread(r.qts, buf, data, 48);
    g_assert_false(all_zero(data + 32, 16));

    qtest_memset(r.qts, buf, 0, 48);
    table = qvring_indirect_alloc(r.d, 3);
    for (int i = 0; i < 3; i++) {
        qvring_indirect_desc(r.d, table, i, buf + 16 * i, 16,
                             QVRING_DESC_F_WRITE |
                             (i < 2 ? QVRING_DESC_F_NEXT : 0), i + 1);
    }
    head = r.vq->free_head;
    qvirtqueue_write_desc(r.vq, head, table, 48, QVRING_DESC_F_INDIRECT, 0);
    r.vq->free_head++;
    qvirtqueue_kick(r.vq, head);
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpuint(len, ==, 48);
    qtest_memread(r.qts, buf, data, 48);
    g_assert_false(all_zero(data + 32, 16));

    /* two requests, one kick: both answered, in order */
    r.vq->free_head = 0;
    r.vq->num_free = r.vq->size;
    qvirtqueue_publish(r.vq, qvirtqueue_add(r.vq, buf, 8, true, false));
    qvirtqueue_publish(r.vq, qvirtqueue_add(r.vq, buf + 8, 8, true, false));
    qvirtqueue_notify(r.vq);
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    g_assert_cmpuint(id, ==, 0);
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    g_assert_cmpuint(id, ==, 1);
    rig_stop(&r);
}

/* EVENT_IDX (2.7.10): the device interrupts only when used->idx passes
 * used_event, and publishes avail_event for the driver. */
static void test_event_idx(const void *opaque)
{
    Rig r;
    uint64_t buf;
    uint32_t id, len;

    rig_start(&r, opaque, "", 1ull << QVIRTIO_F_EVENT_IDX);
    buf = guest_alloc(r.qts, &r.alloc, 16, 8);
    qvirtio_isr(r.d);

    /* used_event 0: the first completion (used 0 -> 1) interrupts */
    qvirtqueue_kick(r.vq, qvirtqueue_add(r.vq, buf, 16, true, false));
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    g_assert_true(qvirtio_isr(r.d) & 1);
    g_assert_cmpuint(qvirtqueue_avail_event(r.vq), ==, 1);

    /* used_event 2: completions 1 -> 2 quiet, 2 -> 3 interrupts */
    qvirtqueue_set_used_event(r.vq, 2);
    qvirtqueue_kick(r.vq, qvirtqueue_add(r.vq, buf, 16, true, false));
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    g_assert_false(qvirtio_isr(r.d) & 1);
    qvirtqueue_kick(r.vq, qvirtqueue_add(r.vq, buf, 16, true, false));
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    g_assert_true(qvirtio_isr(r.d) & 1);
    g_assert_cmpuint(qvirtqueue_avail_event(r.vq), ==, 3);
    rig_stop(&r);
}

/* max-bytes=100,period=1000: 100 bytes per virtual second */
static void test_rate_limit(const void *opaque)
{
    Rig r;
    uint64_t buf;
    uint32_t id, len;

    rig_start(&r, opaque, ",max-bytes=100,period=1000", 0);
    buf = guest_alloc(r.qts, &r.alloc, 64, 8);
    qvirtqueue_kick(r.vq, qvirtqueue_add(r.vq, buf, 64, true, false));
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    g_assert_cmpuint(len, ==, 64);
    qvirtqueue_kick(r.vq, qvirtqueue_add(r.vq, buf, 64, true, false));
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    g_assert_cmpuint(len, ==, 36);
    /* quota spent: the next request waits for the period's end */
    qvirtqueue_kick(r.vq, qvirtqueue_add(r.vq, buf, 64, true, false));
    qtest_clock_step(r.qts, 999 * 1000 * 1000);
    g_assert_false(qvirtqueue_get_used(r.vq, &id, &len));
    qtest_clock_step(r.qts, 1000 * 1000);
    qvirtqueue_wait_used(r.vq, &id, &len, 5000);
    g_assert_cmpuint(len, ==, 64);
    rig_stop(&r);
}

static void test_bad_props(void)
{
    static const char *const bad[][2] = {
        { "-device virtio-rng-device,period=0", "'period'" },
        { "-device virtio-rng-device,max-bytes=0", "'max-bytes'" },
        { "-device virtio-rng-device,max-bytes=9223372036854775808",
          "'max-bytes'" },
        { "-device virtio-rng-device,nosuch=1", "nosuch" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *args = g_strdup_printf("-M virt -accel qtest "
                                                "-display none -nodefaults "
                                                "-qtest null %s", bad[i][0]);
        g_autofree char *err = NULL;

        g_assert_cmpint(qtest_run(qtest_binary(), args, NULL, &err), ==, 1);
        g_assert_nonnull(strstr(err, bad[i][1]));
    }
}

static void add(const char *what, GTestDataFunc fn)
{
    for (size_t i = 0; i < G_N_ELEMENTS(transports); i++) {
        g_autofree char *path = g_strdup_printf("/virtio-rng/%s/%s",
                                                transports[i].name, what);

        g_test_add_data_func(path, &transports[i], fn);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    add("request", test_request);
    add("chains", test_chains);
    add("event-idx", test_event_idx);
    add("rate-limit", test_rate_limit);
    g_test_add_func("/virtio-rng/bad-props", test_bad_props);
    return g_test_run();
}
