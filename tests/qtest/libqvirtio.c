/*
 * libqvirtio: the transport-independent driver and the virtio-mmio
 * transport.  See libqvirtio.h.
 */
#include "libqvirtio.h"

#include <stdlib.h>
#include <string.h>

QTestState *qvirtio_qtest_init(const char *args)
{
    qvirtio_select_binary(args);
    return qtest_init(args);
}

void qvirtio_select_binary(const char *args)
{
    const char *list = getenv("TURTLE_BINARIES");
    const char *arch = strstr(args, "-M pc") ? "x86_64" : "aarch64";

    if (list) {
        char **bins = g_strsplit(list, ":", -1);

        for (char **b = bins; *b; b++) {
            if (g_str_has_suffix(*b, arch)) {
                g_setenv("TURTLE_BINARY", *b, true);
            }
        }
        g_strfreev(bins);
    }
}

/* ---- guest memory ---- */

void guest_alloc_init(QGuestAlloc *a, uint64_t start, uint64_t size)
{
    a->start = a->next = start;
    a->end = start + size;
}

uint64_t guest_alloc(QTestState *qts, QGuestAlloc *a, uint64_t size,
                     uint64_t align)
{
    uint64_t p = (a->next + align - 1) & ~(align - 1);

    g_assert_cmpuint(p + size, <=, a->end);
    a->next = p + size;
    qtest_memset(qts, p, 0, size);
    return p;
}

/* ---- virtio-mmio ---- */

enum {
    MMIO_MAGIC = 0x000, MMIO_VERSION = 0x004, MMIO_DEVICE_ID = 0x008,
    MMIO_DEVICE_FEATURES = 0x010, MMIO_DEVICE_FEATURES_SEL = 0x014,
    MMIO_DRIVER_FEATURES = 0x020, MMIO_DRIVER_FEATURES_SEL = 0x024,
    MMIO_QUEUE_SEL = 0x030, MMIO_QUEUE_NUM_MAX = 0x034,
    MMIO_QUEUE_NUM = 0x038, MMIO_QUEUE_READY = 0x044,
    MMIO_QUEUE_NOTIFY = 0x050, MMIO_INTERRUPT_STATUS = 0x060,
    MMIO_INTERRUPT_ACK = 0x064, MMIO_STATUS = 0x070,
    MMIO_QUEUE_DESC = 0x080, MMIO_QUEUE_DRIVER = 0x090,
    MMIO_QUEUE_DEVICE = 0x0a0, MMIO_QUEUE_RESET = 0x0c0,
    MMIO_CONFIG_GENERATION = 0x0fc, MMIO_CONFIG = 0x100,
};

uint32_t qvirtio_mmio_readl(QVirtioDevice *d, uint32_t off)
{
    return qtest_readl(d->qts, d->mmio_base + off);
}

void qvirtio_mmio_writel(QVirtioDevice *d, uint32_t off, uint32_t v)
{
    qtest_writel(d->qts, d->mmio_base + off, v);
}

static uint64_t mmio_config_read(QVirtioDevice *d, uint32_t off,
                                 unsigned size)
{
    uint64_t a = d->mmio_base + MMIO_CONFIG + off;

    switch (size) {
    case 1: return qtest_readb(d->qts, a);
    case 2: return qtest_readw(d->qts, a);
    case 4: return qtest_readl(d->qts, a);
    default:
        /* 64-bit fields: two 32-bit reads (4.2.2.2) */
        return qtest_readl(d->qts, a) |
               (uint64_t)qtest_readl(d->qts, a + 4) << 32;
    }
}

static void mmio_config_write(QVirtioDevice *d, uint32_t off, uint64_t v,
                              unsigned size)
{
    uint64_t a = d->mmio_base + MMIO_CONFIG + off;

    switch (size) {
    case 1: qtest_writeb(d->qts, a, v); break;
    case 2: qtest_writew(d->qts, a, v); break;
    default: qtest_writel(d->qts, a, v); break;
    }
}

static uint64_t mmio_get_features(QVirtioDevice *d)
{
    uint64_t f;

    qvirtio_mmio_writel(d, MMIO_DEVICE_FEATURES_SEL, 1);
    f = (uint64_t)qvirtio_mmio_readl(d, MMIO_DEVICE_FEATURES) << 32;
    qvirtio_mmio_writel(d, MMIO_DEVICE_FEATURES_SEL, 0);
    return f | qvirtio_mmio_readl(d, MMIO_DEVICE_FEATURES);
}

static void mmio_set_features(QVirtioDevice *d, uint64_t f)
{
    qvirtio_mmio_writel(d, MMIO_DRIVER_FEATURES_SEL, 0);
    qvirtio_mmio_writel(d, MMIO_DRIVER_FEATURES, f);
    qvirtio_mmio_writel(d, MMIO_DRIVER_FEATURES_SEL, 1);
    qvirtio_mmio_writel(d, MMIO_DRIVER_FEATURES, f >> 32);
}

static uint8_t mmio_get_status(QVirtioDevice *d)
{
    return qvirtio_mmio_readl(d, MMIO_STATUS);
}

static void mmio_set_status(QVirtioDevice *d, uint8_t s)
{
    qvirtio_mmio_writel(d, MMIO_STATUS, s);
}

static uint32_t mmio_config_generation(QVirtioDevice *d)
{
    return qvirtio_mmio_readl(d, MMIO_CONFIG_GENERATION);
}

static uint8_t mmio_isr(QVirtioDevice *d)
{
    uint32_t isr = qvirtio_mmio_readl(d, MMIO_INTERRUPT_STATUS);

    qvirtio_mmio_writel(d, MMIO_INTERRUPT_ACK, isr);
    return isr;
}

static uint16_t mmio_queue_max(QVirtioDevice *d, uint16_t index)
{
    qvirtio_mmio_writel(d, MMIO_QUEUE_SEL, index);
    return qvirtio_mmio_readl(d, MMIO_QUEUE_NUM_MAX);
}

static void mmio_write64(QVirtioDevice *d, uint32_t off, uint64_t v)
{
    qvirtio_mmio_writel(d, off, v);
    qvirtio_mmio_writel(d, off + 4, v >> 32);
}

static void mmio_queue_setup(QVirtioDevice *d, QVirtQueue *vq)
{
    qvirtio_mmio_writel(d, MMIO_QUEUE_SEL, vq->index);
    qvirtio_mmio_writel(d, MMIO_QUEUE_NUM, vq->size);
    mmio_write64(d, MMIO_QUEUE_DESC, vq->desc);
    mmio_write64(d, MMIO_QUEUE_DRIVER, vq->avail);
    mmio_write64(d, MMIO_QUEUE_DEVICE, vq->used);
    qvirtio_mmio_writel(d, MMIO_QUEUE_READY, 1);
}

static void mmio_queue_notify(QVirtioDevice *d, QVirtQueue *vq)
{
    qvirtio_mmio_writel(d, MMIO_QUEUE_NOTIFY, vq->index);
}

static void mmio_queue_reset(QVirtioDevice *d, uint16_t index)
{
    qvirtio_mmio_writel(d, MMIO_QUEUE_SEL, index);
    qvirtio_mmio_writel(d, MMIO_QUEUE_RESET, 1);
}

static const QVirtioTransport mmio_transport = {
    .config_read = mmio_config_read,
    .config_write = mmio_config_write,
    .get_features = mmio_get_features,
    .set_features = mmio_set_features,
    .get_status = mmio_get_status,
    .set_status = mmio_set_status,
    .config_generation = mmio_config_generation,
    .isr = mmio_isr,
    .queue_max = mmio_queue_max,
    .queue_setup = mmio_queue_setup,
    .queue_notify = mmio_queue_notify,
    .queue_reset = mmio_queue_reset,
};

QVirtioDevice *qvirtio_mmio_init(QTestState *qts, uint64_t base,
                                 QGuestAlloc *alloc)
{
    QVirtioDevice *d = g_new0(QVirtioDevice, 1);

    d->qts = qts;
    d->t = &mmio_transport;
    d->alloc = alloc;
    d->mmio_base = base;
    g_assert_cmphex(qvirtio_mmio_readl(d, MMIO_MAGIC), ==, 0x74726976);
    g_assert_cmpuint(qvirtio_mmio_readl(d, MMIO_VERSION), ==, 2);
    d->device_id = qvirtio_mmio_readl(d, MMIO_DEVICE_ID);
    return d;
}

/* ---- driver steps ---- */

void qvirtio_free(QVirtioDevice *d)
{
    for (size_t i = 0; i < G_N_ELEMENTS(d->vqs); i++) {
        g_free(d->vqs[i]);
    }
    g_free(d->pci);
    g_free(d);
}

uint8_t qvirtio_get_status(QVirtioDevice *d)
{
    return d->t->get_status(d);
}

void qvirtio_set_status(QVirtioDevice *d, uint8_t s)
{
    d->t->set_status(d, s);
}

uint64_t qvirtio_get_features(QVirtioDevice *d)
{
    return d->t->get_features(d);
}

void qvirtio_reset(QVirtioDevice *d)
{
    d->t->set_status(d, 0);
    g_assert_cmphex(d->t->get_status(d), ==, 0);
    d->features = 0;
}

uint64_t qvirtio_start(QVirtioDevice *d, uint64_t want)
{
    uint64_t offered;

    qvirtio_reset(d);
    d->t->set_status(d, QVIRTIO_S_ACKNOWLEDGE);
    d->t->set_status(d, QVIRTIO_S_ACKNOWLEDGE | QVIRTIO_S_DRIVER);
    offered = d->t->get_features(d);
    if (!d->legacy) {
        want |= 1ull << QVIRTIO_F_VERSION_1;
    }
    d->features = want & offered;
    d->t->set_features(d, d->features);
    if (!d->legacy) {
        d->t->set_status(d, QVIRTIO_S_ACKNOWLEDGE | QVIRTIO_S_DRIVER |
                         QVIRTIO_S_FEATURES_OK);
        g_assert_true(d->t->get_status(d) & QVIRTIO_S_FEATURES_OK);
    }
    return d->features;
}

void qvirtio_set_driver_ok(QVirtioDevice *d)
{
    d->t->set_status(d, d->t->get_status(d) | QVIRTIO_S_DRIVER_OK);
    g_assert_true(d->t->get_status(d) & QVIRTIO_S_DRIVER_OK);
}

uint8_t qvirtio_config_readb(QVirtioDevice *d, uint32_t off)
{
    return d->t->config_read(d, off, 1);
}

uint16_t qvirtio_config_readw(QVirtioDevice *d, uint32_t off)
{
    return d->t->config_read(d, off, 2);
}

uint32_t qvirtio_config_readl(QVirtioDevice *d, uint32_t off)
{
    return d->t->config_read(d, off, 4);
}

uint64_t qvirtio_config_readq(QVirtioDevice *d, uint32_t off)
{
    return d->t->config_read(d, off, 8);
}

void qvirtio_config_writeb(QVirtioDevice *d, uint32_t off, uint8_t v)
{
    d->t->config_write(d, off, v, 1);
}

uint8_t qvirtio_isr(QVirtioDevice *d)
{
    return d->t->isr(d);
}

/* ---- virtqueues ---- */

QVirtQueue *qvirtqueue_setup_size(QVirtioDevice *d, uint16_t index,
                                  uint16_t size)
{
    return qvirtqueue_setup_msix(d, index, size, 0xffff);
}

QVirtQueue *qvirtqueue_setup_msix(QVirtioDevice *d, uint16_t index,
                                  uint16_t size, uint16_t vector)
{
    QVirtQueue *vq = g_new0(QVirtQueue, 1);
    uint16_t max = d->t->queue_max(d, index);

    g_assert_cmpuint(max, >, 0);
    vq->dev = d;
    vq->index = index;
    vq->size = size ? size : max;
    vq->num_free = vq->size;
    vq->msix_vector = vector;
    if (d->legacy) {
        /* legacy layout: one 4 KiB-aligned block (2.7.2) */
        uint64_t avail_off = 16ull * vq->size;
        uint64_t used_off = (avail_off + 6 + 2 * vq->size + 4095) & ~4095ull;
        uint64_t total = used_off + 6 + 8ull * vq->size;

        vq->desc = guest_alloc(d->qts, d->alloc, total, 4096);
        vq->avail = vq->desc + avail_off;
        vq->used = vq->desc + used_off;
    } else {
        vq->desc = guest_alloc(d->qts, d->alloc, 16ull * vq->size, 16);
        vq->avail = guest_alloc(d->qts, d->alloc, 6 + 2 * vq->size, 2);
        vq->used = guest_alloc(d->qts, d->alloc, 6 + 8ull * vq->size, 4);
    }
    d->t->queue_setup(d, vq);
    g_assert_cmpuint(index, <, G_N_ELEMENTS(d->vqs));
    g_free(d->vqs[index]);
    d->vqs[index] = vq;
    return vq;
}

QVirtQueue *qvirtqueue_setup(QVirtioDevice *d, uint16_t index)
{
    return qvirtqueue_setup_size(d, index, 0);
}

static void write_desc_at(QTestState *qts, uint64_t a, uint64_t addr,
                          uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t b[16];

    for (int i = 0; i < 8; i++) {
        b[i] = addr >> (8 * i);
    }
    for (int i = 0; i < 4; i++) {
        b[8 + i] = len >> (8 * i);
    }
    b[12] = flags;
    b[13] = flags >> 8;
    b[14] = next;
    b[15] = next >> 8;
    qtest_memwrite(qts, a, b, 16);
}

void qvirtqueue_write_desc(QVirtQueue *vq, uint16_t i, uint64_t addr,
                           uint32_t len, uint16_t flags, uint16_t next)
{
    write_desc_at(vq->dev->qts, vq->desc + 16ull * i, addr, len, flags, next);
}

uint16_t qvirtqueue_add(QVirtQueue *vq, uint64_t addr, uint32_t len,
                        bool write, bool next)
{
    uint16_t i = vq->free_head;
    uint16_t flags = (write ? QVRING_DESC_F_WRITE : 0) |
                     (next ? QVRING_DESC_F_NEXT : 0);

    g_assert_cmpuint(vq->num_free, >, 0);
    qvirtqueue_write_desc(vq, i, addr, len, flags, (i + 1) % vq->size);
    vq->free_head = (i + 1) % vq->size;
    vq->num_free--;
    return i;
}

uint64_t qvring_indirect_alloc(QVirtioDevice *d, uint16_t n)
{
    return guest_alloc(d->qts, d->alloc, 16ull * n, 16);
}

void qvring_indirect_desc(QVirtioDevice *d, uint64_t table, uint16_t i,
                          uint64_t addr, uint32_t len, uint16_t flags,
                          uint16_t next)
{
    write_desc_at(d->qts, table + 16ull * i, addr, len, flags, next);
}

void qvirtqueue_publish(QVirtQueue *vq, uint16_t head)
{
    QTestState *qts = vq->dev->qts;

    qtest_writew(qts, vq->avail + 4 + 2 * (vq->avail_idx % vq->size), head);
    vq->avail_idx++;
    qtest_writew(qts, vq->avail + 2, vq->avail_idx);
}

void qvirtqueue_notify(QVirtQueue *vq)
{
    vq->dev->t->queue_notify(vq->dev, vq);
}

void qvirtqueue_kick(QVirtQueue *vq, uint16_t head)
{
    qvirtqueue_publish(vq, head);
    qvirtqueue_notify(vq);
}

uint16_t qvirtqueue_used_idx(QVirtQueue *vq)
{
    return qtest_readw(vq->dev->qts, vq->used + 2);
}

bool qvirtqueue_get_used(QVirtQueue *vq, uint32_t *id, uint32_t *len)
{
    QTestState *qts = vq->dev->qts;
    uint64_t e;

    if (qvirtqueue_used_idx(vq) == vq->last_used_idx) {
        return false;
    }
    e = vq->used + 4 + 8 * (vq->last_used_idx % vq->size);
    if (id) {
        *id = qtest_readl(qts, e);
    }
    if (len) {
        *len = qtest_readl(qts, e + 4);
    }
    vq->last_used_idx++;
    return true;
}

void qvirtqueue_wait_used(QVirtQueue *vq, uint32_t *id, uint32_t *len,
                          int timeout_ms)
{
    gint64 end = g_get_monotonic_time() + timeout_ms * 1000ll;

    while (!qvirtqueue_get_used(vq, id, len)) {
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(1000);
    }
}

void qvirtqueue_set_used_event(QVirtQueue *vq, uint16_t idx)
{
    qtest_writew(vq->dev->qts, vq->avail + 4 + 2 * vq->size, idx);
}

void qvirtqueue_set_avail_flags(QVirtQueue *vq, uint16_t flags)
{
    qtest_writew(vq->dev->qts, vq->avail, flags);
}

uint16_t qvirtqueue_used_flags(QVirtQueue *vq)
{
    return qtest_readw(vq->dev->qts, vq->used);
}

uint16_t qvirtqueue_avail_event(QVirtQueue *vq)
{
    return qtest_readw(vq->dev->qts, vq->used + 4 + 8 * vq->size);
}
