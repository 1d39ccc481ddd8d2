/*
 * virtio-mmio transport (virtio 1.2, 4.2) and the virtio core behind it,
 * on the virt board: identification registers, feature negotiation and
 * FEATURES_OK, queue registers, status and reset, interrupts and their
 * acknowledgement, configuration generation, bad accesses, and which slot
 * -device virtio-*-device lands in (the highest free one, as QEMU).
 * virtio-rng-device is the device behind the transport (its single queue
 * of 8 entries, no configuration space).
 */
#include "libqvirtio.h"

#include <string.h>

#define SLOT_TOP   0x0a003e00ull     /* first -device lands here */
#define SLOT_NEXT  0x0a003c00ull
#define SLOT_LOW   0x0a000000ull
#define RAM        0x40000000ull

#define R_DEVICE_FEATURES     0x010
#define R_DEVICE_FEATURES_SEL 0x014
#define R_DRIVER_FEATURES     0x020
#define R_DRIVER_FEATURES_SEL 0x024
#define R_QUEUE_SEL           0x030
#define R_QUEUE_NUM_MAX       0x034
#define R_QUEUE_NUM           0x038
#define R_QUEUE_READY         0x044
#define R_QUEUE_NOTIFY        0x050
#define R_INTERRUPT_STATUS    0x060
#define R_INTERRUPT_ACK       0x064
#define R_STATUS              0x070
#define R_QUEUE_DESC_LOW      0x080
#define R_QUEUE_DESC_HIGH     0x084
#define R_QUEUE_DRIVER_LOW    0x090
#define R_QUEUE_DEVICE_LOW    0x0a0
#define R_SHM_LEN_LOW         0x0b0
#define R_QUEUE_RESET         0x0c0
#define R_CONFIG_GENERATION   0x0fc

static QTestState *start(const char *extra, QGuestAlloc *alloc)
{
    QTestState *qts = qtest_initf("-M virt -m 64M %s", extra);

    guest_alloc_init(alloc, RAM + 0x100000, 0x800000);
    return qts;
}

static void test_ids(void)
{
    QGuestAlloc a;
    QTestState *qts = start("-device virtio-rng-device", &a);

    g_assert_cmphex(qtest_readl(qts, SLOT_TOP), ==, 0x74726976);
    g_assert_cmphex(qtest_readl(qts, SLOT_TOP + 4), ==, 2);
    g_assert_cmphex(qtest_readl(qts, SLOT_TOP + 8), ==, 4);
    g_assert_cmphex(qtest_readl(qts, SLOT_TOP + 0xc), ==, 0x554d4551);
    /* the other slots stay empty: DeviceID 0, no features, no queues */
    g_assert_cmphex(qtest_readl(qts, SLOT_NEXT + 8), ==, 0);
    g_assert_cmphex(qtest_readl(qts, SLOT_LOW + 8), ==, 0);
    g_assert_cmphex(qtest_readl(qts, SLOT_LOW + R_DEVICE_FEATURES), ==, 0);
    g_assert_cmphex(qtest_readl(qts, SLOT_LOW + R_QUEUE_NUM_MAX), ==, 0);
    qtest_writel(qts, SLOT_LOW + R_STATUS, 0xf);
    g_assert_cmphex(qtest_readl(qts, SLOT_LOW + R_STATUS), ==, 0);
    /* no shared memory regions */
    g_assert_cmphex(qtest_readl(qts, SLOT_TOP + R_SHM_LEN_LOW), ==,
                    0xffffffff);
    qtest_quit(qts);
}

static void test_slots(void)
{
    QGuestAlloc a;
    QTestState *qts = start("-device virtio-rng-device "
                            "-device virtio-rng-device,bus=virtio-mmio-bus.5",
                            &a);
    char *out = NULL, *err = NULL;
    GString *args = g_string_new("-M virt -accel qtest -display none "
                                 "-nodefaults -qtest null");
    int status;

    g_assert_cmphex(qtest_readl(qts, SLOT_TOP + 8), ==, 4);
    /* bus=virtio-mmio-bus.5: the sixth transport created, from the top */
    g_assert_cmphex(qtest_readl(qts, SLOT_TOP - 5 * 0x200 + 8), ==, 4);
    g_assert_cmphex(qtest_readl(qts, SLOT_NEXT + 8), ==, 0);
    qtest_quit(qts);

    /* 33 devices for 32 slots: one clear error */
    for (int i = 0; i < 33; i++) {
        g_string_append(args, " -device virtio-rng-device");
    }
    status = qtest_run(qtest_binary(), args->str, &out, &err);
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, "free slot"));
    g_free(out);
    g_free(err);
    g_string_free(args, true);
}

static void test_features(void)
{
    QGuestAlloc a;
    QTestState *qts = start("-device virtio-rng-device", &a);
    QVirtioDevice *d = qvirtio_mmio_init(qts, SLOT_TOP, &a);
    uint64_t f = qvirtio_get_features(d);

    g_assert_true(f & (1ull << QVIRTIO_F_VERSION_1));
    g_assert_true(f & (1ull << QVIRTIO_F_INDIRECT_DESC));
    g_assert_true(f & (1ull << QVIRTIO_F_EVENT_IDX));
    /* words beyond the second are empty */
    qvirtio_mmio_writel(d, R_DEVICE_FEATURES_SEL, 2);
    g_assert_cmphex(qvirtio_mmio_readl(d, R_DEVICE_FEATURES), ==, 0);

    /* a modern driver must take VERSION_1 */
    qvirtio_set_status(d, QVIRTIO_S_ACKNOWLEDGE | QVIRTIO_S_DRIVER);
    qvirtio_mmio_writel(d, R_DRIVER_FEATURES_SEL, 1);
    qvirtio_mmio_writel(d, R_DRIVER_FEATURES, 0);
    qvirtio_set_status(d, QVIRTIO_S_ACKNOWLEDGE | QVIRTIO_S_DRIVER |
                       QVIRTIO_S_FEATURES_OK);
    g_assert_cmphex(qvirtio_get_status(d), ==,
                    QVIRTIO_S_ACKNOWLEDGE | QVIRTIO_S_DRIVER);

    /* nor anything not offered (rng offers no device bits: bit 0) */
    qvirtio_reset(d);
    qvirtio_set_status(d, QVIRTIO_S_ACKNOWLEDGE | QVIRTIO_S_DRIVER);
    qvirtio_mmio_writel(d, R_DRIVER_FEATURES_SEL, 1);
    qvirtio_mmio_writel(d, R_DRIVER_FEATURES, 1);
    qvirtio_mmio_writel(d, R_DRIVER_FEATURES_SEL, 0);
    qvirtio_mmio_writel(d, R_DRIVER_FEATURES, 1);
    qvirtio_set_status(d, QVIRTIO_S_ACKNOWLEDGE | QVIRTIO_S_DRIVER |
                       QVIRTIO_S_FEATURES_OK);
    g_assert_false(qvirtio_get_status(d) & QVIRTIO_S_FEATURES_OK);

    /* a proper set sticks */
    g_assert_cmphex(qvirtio_start(d, 1ull << QVIRTIO_F_EVENT_IDX), ==,
                    (1ull << QVIRTIO_F_EVENT_IDX) |
                    (1ull << QVIRTIO_F_VERSION_1));
    /* the driver cannot set NEEDS_RESET itself */
    qvirtio_set_status(d, qvirtio_get_status(d) | QVIRTIO_S_NEEDS_RESET);
    g_assert_false(qvirtio_get_status(d) & QVIRTIO_S_NEEDS_RESET);
    qvirtio_free(d);
    qtest_quit(qts);
}

static void test_queue_regs(void)
{
    QGuestAlloc a;
    QTestState *qts = start("-device virtio-rng-device", &a);
    QVirtioDevice *d = qvirtio_mmio_init(qts, SLOT_TOP, &a);

    qvirtio_start(d, 0);
    qvirtio_mmio_writel(d, R_QUEUE_SEL, 0);
    g_assert_cmpuint(qvirtio_mmio_readl(d, R_QUEUE_NUM_MAX), ==, 8);
    g_assert_cmpuint(qvirtio_mmio_readl(d, R_QUEUE_READY), ==, 0);
    /* queue 1 does not exist */
    qvirtio_mmio_writel(d, R_QUEUE_SEL, 1);
    g_assert_cmpuint(qvirtio_mmio_readl(d, R_QUEUE_NUM_MAX), ==, 0);
    qvirtio_mmio_writel(d, R_QUEUE_READY, 1);
    g_assert_cmpuint(qvirtio_mmio_readl(d, R_QUEUE_READY), ==, 0);

    qvirtio_mmio_writel(d, R_QUEUE_SEL, 0);
    qvirtio_mmio_writel(d, R_QUEUE_DESC_LOW, 0x40001000);
    qvirtio_mmio_writel(d, R_QUEUE_DESC_HIGH, 0x1);
    qvirtio_mmio_writel(d, R_QUEUE_DRIVER_LOW, 0x40002000);
    qvirtio_mmio_writel(d, R_QUEUE_DEVICE_LOW, 0x40003000);
    g_assert_cmphex(qvirtio_mmio_readl(d, R_QUEUE_DESC_LOW), ==, 0x40001000);
    g_assert_cmphex(qvirtio_mmio_readl(d, R_QUEUE_DESC_HIGH), ==, 1);
    g_assert_cmphex(qvirtio_mmio_readl(d, R_QUEUE_DRIVER_LOW), ==,
                    0x40002000);
    g_assert_cmphex(qvirtio_mmio_readl(d, R_QUEUE_DEVICE_LOW), ==,
                    0x40003000);
    qvirtio_mmio_writel(d, R_QUEUE_READY, 1);
    g_assert_cmpuint(qvirtio_mmio_readl(d, R_QUEUE_READY), ==, 1);
    /* while ready the ring addresses are frozen */
    qvirtio_mmio_writel(d, R_QUEUE_DESC_LOW, 0x5000);
    g_assert_cmphex(qvirtio_mmio_readl(d, R_QUEUE_DESC_LOW), ==, 0x40001000);
    /* QueueReset forgets the queue */
    qvirtio_mmio_writel(d, R_QUEUE_RESET, 1);
    g_assert_cmpuint(qvirtio_mmio_readl(d, R_QUEUE_RESET), ==, 0);
    g_assert_cmpuint(qvirtio_mmio_readl(d, R_QUEUE_READY), ==, 0);
    g_assert_cmphex(qvirtio_mmio_readl(d, R_QUEUE_DESC_LOW), ==, 0);

    /* a device reset does too */
    qvirtio_mmio_writel(d, R_QUEUE_DESC_LOW, 0x40001000);
    qvirtio_mmio_writel(d, R_QUEUE_READY, 1);
    qvirtio_reset(d);
    g_assert_cmpuint(qvirtio_mmio_readl(d, R_QUEUE_READY), ==, 0);
    g_assert_cmphex(qvirtio_mmio_readl(d, R_QUEUE_DESC_LOW), ==, 0);

    /* registers are 32-bit: other sizes are ignored and read 0 */
    g_assert_cmphex(qtest_readw(qts, SLOT_TOP), ==, 0);
    g_assert_cmphex(qtest_readb(qts, SLOT_TOP + 8), ==, 0);
    qtest_writew(qts, SLOT_TOP + R_STATUS, 1);
    g_assert_cmphex(qvirtio_get_status(d), ==, 0);
    /* reads of write-only registers and holes are 0 */
    g_assert_cmphex(qvirtio_mmio_readl(d, R_QUEUE_NOTIFY), ==, 0);
    g_assert_cmphex(qvirtio_mmio_readl(d, 0x0d0), ==, 0);
    qvirtio_free(d);
    qtest_quit(qts);
}

/* A size the split ring cannot use leaves the previous one. */
static void test_queue_size(void)
{
    QGuestAlloc a;
    QTestState *qts = start("-device virtio-rng-device", &a);
    QVirtioDevice *d = qvirtio_mmio_init(qts, SLOT_TOP, &a);
    uint64_t buf = guest_alloc(qts, &a, 64, 8);
    QVirtQueue *vq;
    uint32_t id, len;

    qvirtio_start(d, 0);
    vq = qvirtqueue_setup_size(d, 0, 4);
    qvirtio_set_driver_ok(d);
    /* 4 entries: the 5th published entry wraps onto the 1st slot */
    for (int i = 0; i < 6; i++) {
        qvirtqueue_kick(vq, qvirtqueue_add(vq, buf, 8, true, false));
        qvirtqueue_wait_used(vq, &id, &len, 5000);
        g_assert_cmpuint(len, ==, 8);
        vq->num_free++;
    }
    qvirtio_mmio_writel(d, R_QUEUE_READY, 0);
    qvirtio_mmio_writel(d, R_QUEUE_NUM, 3);
    qvirtio_mmio_writel(d, R_QUEUE_NUM, 16);
    qvirtio_mmio_writel(d, R_QUEUE_NUM, 0);
    qvirtio_mmio_writel(d, R_QUEUE_READY, 1);
    qvirtqueue_kick(vq, qvirtqueue_add(vq, buf, 12, true, false));
    qvirtqueue_wait_used(vq, &id, &len, 5000);
    /* still 4 entries: the 7th used entry is in slot 2 */
    g_assert_cmpuint(len, ==, 12);
    g_assert_cmpuint(qtest_readl(qts, vq->used + 4 + 8 * 2 + 4), ==, 12);
    qvirtio_free(d);
    qtest_quit(qts);
}

static void test_interrupt(void)
{
    QGuestAlloc a;
    QTestState *qts = start("-device virtio-rng-device", &a);
    QVirtioDevice *d = qvirtio_mmio_init(qts, SLOT_TOP, &a);
    uint64_t buf = guest_alloc(qts, &a, 16, 8);
    QVirtQueue *vq;
    uint32_t id, len;

    /* the transport at the top slot was created first */
    qtest_irq_intercept_out(qts, "virtio-mmio.0");
    qvirtio_start(d, 0);
    vq = qvirtqueue_setup(d, 0);
    qvirtio_set_driver_ok(d);
    g_assert_false(qtest_get_irq(qts, 0));
    qvirtqueue_kick(vq, qvirtqueue_add(vq, buf, 16, true, false));
    qvirtqueue_wait_used(vq, &id, &len, 5000);
    g_assert_true(qtest_get_irq(qts, 0));
    g_assert_cmphex(qvirtio_mmio_readl(d, R_INTERRUPT_STATUS), ==, 1);
    qvirtio_mmio_writel(d, R_INTERRUPT_ACK, 1);
    g_assert_false(qtest_get_irq(qts, 0));
    g_assert_cmphex(qvirtio_mmio_readl(d, R_INTERRUPT_STATUS), ==, 0);

    /* the driver asks for no interrupts: none */
    qvirtqueue_set_avail_flags(vq, QVRING_AVAIL_F_NO_INTERRUPT);
    qvirtqueue_kick(vq, qvirtqueue_add(vq, buf, 16, true, false));
    qvirtqueue_wait_used(vq, &id, &len, 5000);
    g_assert_false(qtest_get_irq(qts, 0));

    /* a reset lowers a pending interrupt */
    qvirtqueue_set_avail_flags(vq, 0);
    qvirtqueue_kick(vq, qvirtqueue_add(vq, buf, 16, true, false));
    qvirtqueue_wait_used(vq, &id, &len, 5000);
    g_assert_true(qtest_get_irq(qts, 0));
    qvirtio_reset(d);
    g_assert_false(qtest_get_irq(qts, 0));
    qvirtio_free(d);
    qtest_quit(qts);
}

/* Before DRIVER_OK nothing is processed; afterwards it is. */
static void test_driver_ok(void)
{
    QGuestAlloc a;
    QTestState *qts = start("-device virtio-rng-device", &a);
    QVirtioDevice *d = qvirtio_mmio_init(qts, SLOT_TOP, &a);
    uint64_t buf = guest_alloc(qts, &a, 16, 8);
    QVirtQueue *vq;
    uint32_t id, len;

    qvirtio_start(d, 0);
    vq = qvirtqueue_setup(d, 0);
    qvirtqueue_kick(vq, qvirtqueue_add(vq, buf, 16, true, false));
    g_assert_false(qvirtqueue_get_used(vq, &id, &len));
    qvirtio_set_driver_ok(d);
    qvirtqueue_wait_used(vq, &id, &len, 5000);
    g_assert_cmpuint(len, ==, 16);
    qvirtio_free(d);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-mmio/ids", test_ids);
    g_test_add_func("/virtio-mmio/slots", test_slots);
    g_test_add_func("/virtio-mmio/features", test_features);
    g_test_add_func("/virtio-mmio/queue-regs", test_queue_regs);
    g_test_add_func("/virtio-mmio/queue-size", test_queue_size);
    g_test_add_func("/virtio-mmio/interrupt", test_interrupt);
    g_test_add_func("/virtio-mmio/driver-ok", test_driver_ok);
    return g_test_run();
}
