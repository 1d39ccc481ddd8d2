/*
 * virtio-blk (virtio 1.2, 5.2) on each transport, over a raw image the
 * test reads and writes from the host side too: configuration space and
 * features, reads and writes (data checked in the image file), header and
 * data split across descriptors and indirect tables, flush, GET_ID,
 * discard and write-zeroes, errors (outside the drive, unaligned to the
 * logical block size, unknown types, unsupported flags, a read-only
 * drive), a chain without a status byte (NEEDS_RESET), several queues,
 * the writeback switch, and refused properties.
 */
#include "libqvirtio.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define DISK_SIZE       (4 * 1024 * 1024)
#define PCI_DEVFN_4     (4 << 3)
#define F(bit)          (1ull << (bit))
#define BLK_F_SEG_MAX       2
#define BLK_F_RO            5
#define BLK_F_BLK_SIZE      6
#define BLK_F_FLUSH         9
#define BLK_F_TOPOLOGY      10
#define BLK_F_CONFIG_WCE    11
#define BLK_F_MQ            12
#define BLK_F_DISCARD       13
#define BLK_F_WRITE_ZEROES  14
#define T_IN            0
#define T_OUT           1
#define T_FLUSH         4
#define T_GET_ID        8
#define T_DISCARD       11
#define T_WRITE_ZEROES  13
#define S_OK            0
#define S_IOERR         1
#define S_UNSUPP        2

typedef struct Transport {
    const char *name;
    const char *args;       /* machine and device; %s drive, %s options */
    QVirtioDevice *(*init)(QTestState *qts, QGuestAlloc *a);
} Transport;

static QVirtioDevice *mmio_init(QTestState *qts, QGuestAlloc *a)
{
    guest_alloc_init(a, 0x40100000, 0x800000);
    return qvirtio_mmio_init(qts, 0x0a003e00, a);
}

/* pc: virtio-blk-pci at 00:04.0 (transitional on a conventional bus),
 * driven through the modern capabilities, or the legacy I/O BAR */
static QVirtioDevice *pc_init(QTestState *qts, QGuestAlloc *a)
{
    guest_alloc_init(a, 0x100000, 0x800000);
    return qvirtio_pci_init(qts, false, PCI_DEVFN_4, false, a);
}

static QVirtioDevice *pc_legacy_init(QTestState *qts, QGuestAlloc *a)
{
    guest_alloc_init(a, 0x100000, 0x800000);
    return qvirtio_pci_init(qts, false, PCI_DEVFN_4, true, a);
}

/* virt: virtio-blk-pci on the PCIe root bus (modern only), via ECAM */
static QVirtioDevice *virt_pci_init(QTestState *qts, QGuestAlloc *a)
{
    guest_alloc_init(a, 0x40100000, 0x800000);
    return qvirtio_pci_init(qts, true, PCI_DEVFN_4, false, a);
}

static const Transport transports[] = {
    { "mmio", "-M virt -m 64M -drive if=none,id=d0,format=raw,file=%s%s "
      "-device virtio-blk-device,drive=d0%s", mmio_init },
    { "pci-pc", "-M pc -m 64M -drive if=none,id=d0,format=raw,file=%s%s "
      "-device virtio-blk-pci,addr=4,drive=d0%s", pc_init },
    { "pci-pc-legacy", "-M pc -m 64M -drive if=none,id=d0,format=raw,"
      "file=%s%s -device virtio-blk-pci,addr=4,drive=d0%s", pc_legacy_init },
    { "pci-virt", "-M virt -m 64M -drive if=none,id=d0,format=raw,file=%s%s "
      "-device virtio-blk-pci,addr=4,drive=d0%s", virt_pci_init },
};

typedef struct Rig {
    QTestState *qts;
    QGuestAlloc alloc;
    QVirtioDevice *d;
    QVirtQueue *vq[4];
    char *image;
    int fd;                 /* the image, for the host's view */
    uint64_t hdr, data, status;
} Rig;

/* drive_opts after the drive's file (",readonly=on"), dev_opts after the
 * device's drive= */
static void rig_start(Rig *r, const Transport *t, const char *drive_opts,
                      const char *dev_opts, uint64_t features, int nq)
{
    g_autofree char *args = NULL;
    int fd;

    memset(r, 0, sizeof(*r));
    fd = g_file_open_tmp("virtio-blk-XXXXXX", &r->image, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, DISK_SIZE), ==, 0);
    r->fd = fd;
    args = g_strdup_printf(t->args, r->image, drive_opts, dev_opts);
    r->qts = qvirtio_qtest_init(args);
    r->d = t->init(r->qts, &r->alloc);
    g_assert_cmpuint(r->d->device_id, ==, QVIRTIO_ID_BLOCK);
    r->d->features = qvirtio_start(r->d, features);
    for (int i = 0; i < nq; i++) {
        r->vq[i] = qvirtqueue_setup(r->d, i);
    }
    qvirtio_set_driver_ok(r->d);
    r->hdr = guest_alloc(r->qts, &r->alloc, 16 + 16, 16);
    r->data = guest_alloc(r->qts, &r->alloc, 65536, 4096);
    r->status = guest_alloc(r->qts, &r->alloc, 1, 1);
}

static void rig_stop(Rig *r)
{
    qvirtio_free(r->d);
    qtest_quit(r->qts);
    close(r->fd);
    unlink(r->image);
    g_free(r->image);
}

static void write_hdr(Rig *r, uint32_t type, uint64_t sector)
{
    uint8_t h[16] = { 0 };

    memcpy(h, &type, 4);
    memcpy(h + 8, &sector, 8);
    qtest_memwrite(r->qts, r->hdr, h, 16);
    qtest_writeb(r->qts, r->status, 0xaa);
}

/* Descriptors start over for each request (the tests wait for each). */
static void vq_rewind(QVirtQueue *vq)
{
    vq->free_head = 0;
    vq->num_free = vq->size;
}

/* One request: header, len bytes of data at r->data (device-writable for
 * IN and GET_ID), status.  Returns the status; *used the used length. */
static uint8_t blk_req(Rig *r, int q, uint32_t type, uint64_t sector,
                       uint32_t len, uint32_t *used)
{
    QVirtQueue *vq = r->vq[q];
    bool in = type == T_IN || type == T_GET_ID;
    uint32_t id, ulen;
    uint16_t head;

    vq_rewind(vq);
    write_hdr(r, type, sector);
    head = qvirtqueue_add(vq, r->hdr, 16, false, true);
    if (len) {
        qvirtqueue_add(vq, r->data, len, in, true);
    }
    qvirtqueue_add(vq, r->status, 1, true, false);
    qvirtqueue_kick(vq, head);
    qvirtqueue_wait_used(vq, &id, &ulen, 5000);
    g_assert_cmpuint(id, ==, head);
    if (used) {
        *used = ulen;
    }
    return qtest_readb(r->qts, r->status);
}

static void fill(uint8_t *b, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        b[i] = (uint8_t)(i * 7 + seed * 13 + (i >> 9));
    }
}

static void test_config(const void *opaque)
{
    Rig r;
    uint64_t f;

    rig_start(&r, opaque, "", ",num-queues=2,queue-size=128,"
              "physical_block_size=4096,min_io_size=4096,opt_io_size=65536,"
              "max-discard-sectors=2048", F(BLK_F_FLUSH) | F(BLK_F_MQ), 2);
    f = qvirtio_get_features(r.d);
    g_assert_true(f & F(BLK_F_SEG_MAX));
    g_assert_true(f & F(BLK_F_BLK_SIZE));
    g_assert_true(f & F(BLK_F_FLUSH));
    g_assert_true(f & F(BLK_F_TOPOLOGY));
    g_assert_true(f & F(BLK_F_CONFIG_WCE));
    g_assert_true(f & F(BLK_F_MQ));
    g_assert_true(f & F(BLK_F_DISCARD));
    g_assert_true(f & F(BLK_F_WRITE_ZEROES));
    g_assert_false(f & F(BLK_F_RO));
    g_assert_cmpuint(qvirtio_config_readq(r.d, 0), ==, DISK_SIZE / 512);
    g_assert_cmpuint(qvirtio_config_readl(r.d, 12), ==, 126);   /* seg_max */
    g_assert_cmpuint(qvirtio_config_readl(r.d, 20), ==, 512);   /* blk_size */
    g_assert_cmpuint(qvirtio_config_readb(r.d, 24), ==, 3);  /* 4096/512 */
    g_assert_cmpuint(qvirtio_config_readw(r.d, 26), ==, 8);
    g_assert_cmpuint(qvirtio_config_readl(r.d, 28), ==, 128);
    g_assert_cmpuint(qvirtio_config_readb(r.d, 32), ==, 1);  /* writeback */
    g_assert_cmpuint(qvirtio_config_readw(r.d, 34), ==, 2);  /* num_queues */
    g_assert_cmpuint(qvirtio_config_readl(r.d, 36), ==, 2048);
    g_assert_cmpuint(qvirtio_config_readl(r.d, 40), ==, 1);
    g_assert_cmpuint(qvirtio_config_readl(r.d, 44), ==, 1);
    g_assert_cmpuint(qvirtio_config_readl(r.d, 52), ==, 1);
    g_assert_cmpuint(qvirtio_config_readb(r.d, 56), ==, 1);
    g_assert_cmpuint(r.d->t->queue_max(r.d, 1), ==, 128);
    rig_stop(&r);

    /* a single queue: no MQ; a read-only drive: RO, no discard */
    rig_start(&r, opaque, ",readonly=on", "", 0, 1);
    f = qvirtio_get_features(r.d);
    g_assert_false(f & F(BLK_F_MQ));
    g_assert_true(f & F(BLK_F_RO));
    g_assert_false(f & F(BLK_F_DISCARD));
    g_assert_false(f & F(BLK_F_WRITE_ZEROES));
    rig_stop(&r);
}

/* Written through the guest, read on the host, and the other way. */
static void test_read_write(const void *opaque)
{
    Rig r;
    uint8_t a[8192], b[8192];
    uint32_t used;

    rig_start(&r, opaque, "", "", 0, 1);
    fill(a, sizeof(a), 1);
    qtest_memwrite(r.qts, r.data, a, sizeof(a));
    g_assert_cmpuint(blk_req(&r, 0, T_OUT, 10, sizeof(a), &used), ==, S_OK);
    g_assert_cmpuint(used, ==, 1);
    g_assert_cmpuint(blk_req(&r, 0, T_FLUSH, 0, 0, NULL), ==, S_OK);
    g_assert_cmpint(pread(r.fd, b, sizeof(b), 10 * 512), ==, sizeof(b));
    g_assert_cmpint(memcmp(a, b, sizeof(a)), ==, 0);

    fill(a, sizeof(a), 2);
    g_assert_cmpint(pwrite(r.fd, a, sizeof(a), DISK_SIZE - sizeof(a)), ==,
                    sizeof(a));
    qtest_memset(r.qts, r.data, 0, sizeof(b));
    g_assert_cmpuint(blk_req(&r, 0, T_IN, (DISK_SIZE - sizeof(a)) / 512,
                             sizeof(a), &used), ==, S_OK);
    g_assert_cmpuint(used, ==, sizeof(a) + 1);
    qtest_memread(r.qts, r.data, b, sizeof(b));
    g_assert_cmpint(memcmp(a, b, sizeof(a)), ==, 0);
    g_assert_true(qvirtio_isr(r.d) & 1);
    rig_stop(&r);
}

/* Header and data cut anywhere (no ANY_LAYOUT assumption), directly and
 * in an indirect table. */
static void test_layouts(const void *opaque)
{
    Rig r;
    uint8_t a[1024], b[1024];
    uint64_t table, mix;
    uint32_t id, len;
    uint16_t head;
    QVirtQueue *vq;

    rig_start(&r, opaque, "", "", F(QVIRTIO_F_INDIRECT_DESC), 1);
    vq = r.vq[0];
    fill(a, sizeof(a), 3);
    qtest_memwrite(r.qts, r.data, a, sizeof(a));

    /* a write: the header in 4 + 12 bytes, its second part sharing a
     * buffer with the first 300 bytes of data */
    mix = guest_alloc(r.qts, &r.alloc, 12 + 300, 8);
    write_hdr(&r, T_OUT, 4);
    qtest_memwrite(r.qts, mix, (uint8_t[12]) { [4] = 4 }, 12);
    qtest_memwrite(r.qts, mix + 12, a, 300);
    vq_rewind(vq);
    head = qvirtqueue_add(vq, r.hdr, 4, false, true);
    qvirtqueue_add(vq, mix, 12 + 300, false, true);
    qvirtqueue_add(vq, r.data + 300, sizeof(a) - 300, false, true);
    qvirtqueue_add(vq, r.status, 1, true, false);
    qvirtqueue_kick(vq, head);
    qvirtqueue_wait_used(vq, &id, &len, 5000);
    g_assert_cmpuint(qtest_readb(r.qts, r.status), ==, S_OK);
    g_assert_cmpint(pread(r.fd, b, sizeof(b), 4 * 512), ==, sizeof(b));
    g_assert_cmpint(memcmp(a, b, sizeof(a)), ==, 0);

    /* a read through an indirect table: data and status in one buffer */
    write_hdr(&r, T_IN, 4);
    qtest_memset(r.qts, r.data, 0, sizeof(a) + 1);
    table = qvring_indirect_alloc(r.d, 3);
    qvring_indirect_desc(r.d, table, 0, r.hdr, 16, QVRING_DESC_F_NEXT, 1);
    qvring_indirect_desc(r.d, table, 1, r.data, 100,
                         QVRING_DESC_F_WRITE | QVRING_DESC_F_NEXT, 2);
    qvring_indirect_desc(r.d, table, 2, r.data + 100, sizeof(a) - 100 + 1,
                         QVRING_DESC_F_WRITE, 0);
    vq_rewind(vq);
    qvirtqueue_write_desc(vq, 0, table, 48, QVRING_DESC_F_INDIRECT, 0);
    qvirtqueue_kick(vq, 0);
    qvirtqueue_wait_used(vq, &id, &len, 5000);
    g_assert_cmpuint(len, ==, sizeof(a) + 1);
    g_assert_cmpuint(qtest_readb(r.qts, r.data + sizeof(a)), ==, S_OK);
    qtest_memread(r.qts, r.data, b, sizeof(b));
    g_assert_cmpint(memcmp(a, b, sizeof(a)), ==, 0);
    rig_stop(&r);
}

static void test_get_id(const void *opaque)
{
    Rig r;
    char id[21] = { 0 };
    uint32_t used;

    rig_start(&r, opaque, "", ",serial=TURTLE-DISK-0001", 0, 1);
    g_assert_cmpuint(blk_req(&r, 0, T_GET_ID, 0, 20, &used), ==, S_OK);
    g_assert_cmpuint(used, ==, 21);
    qtest_memread(r.qts, r.data, id, 20);
    g_assert_cmpstr(id, ==, "TURTLE-DISK-0001");
    rig_stop(&r);

    /* 24 characters: truncated to 20, no terminator */
    rig_start(&r, opaque, "", ",serial=0123456789abcdefghijklmn", 0, 1);
    g_assert_cmpuint(blk_req(&r, 0, T_GET_ID, 0, 20, NULL), ==, S_OK);
    qtest_memread(r.qts, r.data, id, 20);
    g_assert_cmpstr(id, ==, "0123456789abcdefghij");
    rig_stop(&r);
}

static void put_seg(Rig *r, uint64_t sector, uint32_t num, uint32_t flags)
{
    uint8_t s[16];

    memcpy(s, &sector, 8);
    memcpy(s + 8, &num, 4);
    memcpy(s + 12, &flags, 4);
    qtest_memwrite(r->qts, r->data, s, 16);
}

static bool host_zero(Rig *r, off_t off, size_t len)
{
    g_autofree uint8_t *b = g_malloc(len);

    g_assert_cmpint(pread(r->fd, b, len, off), ==, len);
    for (size_t i = 0; i < len; i++) {
        if (b[i]) {
            return false;
        }
    }
    return true;
}

static void test_discard_zeroes(const void *opaque)
{
    Rig r;
    uint8_t a[4096];

    rig_start(&r, opaque, ",discard=unmap", ",max-write-zeroes-sectors=16",
              F(BLK_F_DISCARD) | F(BLK_F_WRITE_ZEROES), 1);
    fill(a, sizeof(a), 4);
    g_assert_cmpint(pwrite(r.fd, a, sizeof(a), 64 * 512), ==, sizeof(a));

    /* write-zeroes of 4 sectors in the middle of the pattern */
    put_seg(&r, 66, 4, 0);
    g_assert_cmpuint(blk_req(&r, 0, T_WRITE_ZEROES, 0, 16, NULL), ==, S_OK);
    g_assert_true(host_zero(&r, 66 * 512, 4 * 512));
    g_assert_false(host_zero(&r, 64 * 512, 2 * 512));
    g_assert_false(host_zero(&r, 70 * 512, 2 * 512));
    /* with UNMAP (allowed), beyond the limit, an unknown flag */
    put_seg(&r, 64, 2, 1);
    g_assert_cmpuint(blk_req(&r, 0, T_WRITE_ZEROES, 0, 16, NULL), ==, S_OK);
    g_assert_true(host_zero(&r, 64 * 512, 2 * 512));
    put_seg(&r, 64, 17, 0);
    g_assert_cmpuint(blk_req(&r, 0, T_WRITE_ZEROES, 0, 16, NULL), ==,
                     S_IOERR);
    put_seg(&r, 64, 1, 2);
    g_assert_cmpuint(blk_req(&r, 0, T_WRITE_ZEROES, 0, 16, NULL), ==,
                     S_UNSUPP);

    /* discard: answered OK; flags are reserved; two ranges are more than
     * max_discard_seg; past the end is an error */
    put_seg(&r, 0, 8, 0);
    g_assert_cmpuint(blk_req(&r, 0, T_DISCARD, 0, 16, NULL), ==, S_OK);
    put_seg(&r, 0, 8, 1);
    g_assert_cmpuint(blk_req(&r, 0, T_DISCARD, 0, 16, NULL), ==, S_UNSUPP);
    put_seg(&r, 0, 8, 0);
    g_assert_cmpuint(blk_req(&r, 0, T_DISCARD, 0, 32, NULL), ==, S_UNSUPP);
    put_seg(&r, DISK_SIZE / 512 - 4, 8, 0);
    g_assert_cmpuint(blk_req(&r, 0, T_DISCARD, 0, 16, NULL), ==, S_IOERR);
    /* ranges not a multiple of 16 bytes */
    g_assert_cmpuint(blk_req(&r, 0, T_DISCARD, 0, 15, NULL), ==, S_IOERR);
    rig_stop(&r);

    /* not negotiated: unsupported */
    rig_start(&r, opaque, "", "", 0, 1);
    put_seg(&r, 0, 8, 0);
    g_assert_cmpuint(blk_req(&r, 0, T_DISCARD, 0, 16, NULL), ==, S_UNSUPP);
    g_assert_cmpuint(blk_req(&r, 0, T_WRITE_ZEROES, 0, 16, NULL), ==,
                     S_UNSUPP);
    rig_stop(&r);
}

static void test_errors(const void *opaque)
{
    Rig r;
    uint32_t id, len;

    rig_start(&r, opaque, "", ",logical_block_size=4096", 0, 1);
    g_assert_cmpuint(qvirtio_config_readl(r.d, 20), ==, 4096);
    /* past the end, straddling it, a sector number that overflows */
    g_assert_cmpuint(blk_req(&r, 0, T_IN, DISK_SIZE / 512, 4096, NULL), ==,
                     S_IOERR);
    g_assert_cmpuint(blk_req(&r, 0, T_OUT, DISK_SIZE / 512 - 8, 8192, NULL),
                     ==, S_IOERR);
    g_assert_cmpuint(blk_req(&r, 0, T_IN, UINT64_MAX - 7, 4096, NULL), ==,
                     S_IOERR);
    /* not on 4096-byte blocks */
    g_assert_cmpuint(blk_req(&r, 0, T_IN, 1, 4096, NULL), ==, S_IOERR);
    g_assert_cmpuint(blk_req(&r, 0, T_IN, 8, 512, NULL), ==, S_IOERR);
    g_assert_cmpuint(blk_req(&r, 0, T_IN, 8, 4096, NULL), ==, S_OK);
    /* unknown type */
    g_assert_cmpuint(blk_req(&r, 0, 77, 0, 0, NULL), ==, S_UNSUPP);

    /* a chain with no device-writable byte for the status: broken */
    vq_rewind(r.vq[0]);
    write_hdr(&r, T_IN, 0);
    qvirtqueue_kick(r.vq[0], qvirtqueue_add(r.vq[0], r.hdr, 16, false,
                                            false));
    qtest_clock_step(r.qts, 1000000);
    g_assert_false(qvirtqueue_get_used(r.vq[0], &id, &len));
    /* (legacy interfaces have no NEEDS_RESET: the device just stops) */
    g_assert_true(r.d->legacy ||
                  (qvirtio_get_status(r.d) & QVIRTIO_S_NEEDS_RESET));
    /* reset: works again */
    qvirtio_start(r.d, 0);
    r.vq[0] = qvirtqueue_setup(r.d, 0);
    qvirtio_set_driver_ok(r.d);
    g_assert_cmpuint(blk_req(&r, 0, T_IN, 0, 4096, NULL), ==, S_OK);
    rig_stop(&r);

    /* read-only drive: writes and write-zeroes fail, reads and flushes
     * work */
    rig_start(&r, opaque, ",readonly=on", "", 0, 1);
    g_assert_cmpuint(blk_req(&r, 0, T_OUT, 0, 512, NULL), ==, S_IOERR);
    g_assert_cmpuint(blk_req(&r, 0, T_IN, 0, 512, NULL), ==, S_OK);
    g_assert_cmpuint(blk_req(&r, 0, T_FLUSH, 0, 0, NULL), ==, S_OK);
    rig_stop(&r);
}

/* Requests on each of three queues; several in flight on one. */
static void test_multiqueue(const void *opaque)
{
    Rig r;
    uint8_t a[512], b[512];
    uint32_t id, len;

    rig_start(&r, opaque, "", ",num-queues=3", F(BLK_F_MQ), 3);
    for (int q = 0; q < 3; q++) {
        fill(a, sizeof(a), 10 + q);
        qtest_memwrite(r.qts, r.data, a, sizeof(a));
        g_assert_cmpuint(blk_req(&r, q, T_OUT, q * 8, 512, NULL), ==, S_OK);
    }
    for (int q = 0; q < 3; q++) {
        fill(a, sizeof(a), 10 + q);
        g_assert_cmpuint(blk_req(&r, 2 - q, T_IN, q * 8, 512, NULL), ==,
                         S_OK);
        qtest_memread(r.qts, r.data, b, sizeof(b));
        g_assert_cmpint(memcmp(a, b, sizeof(a)), ==, 0);
    }

    /* eight reads published, one kick: eight used entries */
    vq_rewind(r.vq[1]);
    write_hdr(&r, T_IN, 0);
    for (int i = 0; i < 8; i++) {
        uint16_t head = qvirtqueue_add(r.vq[1], r.hdr, 16, false, true);

        qvirtqueue_add(r.vq[1], r.data + 512 * i, 512, true, true);
        qvirtqueue_add(r.vq[1], r.data + 8192 + i, 1, true, false);
        qvirtqueue_publish(r.vq[1], head);
    }
    qvirtqueue_notify(r.vq[1]);
    for (int i = 0; i < 8; i++) {
        qvirtqueue_wait_used(r.vq[1], &id, &len, 5000);
        g_assert_cmpuint(len, ==, 513);
    }
    rig_stop(&r);
}

/* CONFIG_WCE: the driver switches the write cache; reset restores it. */
static void test_writeback(const void *opaque)
{
    Rig r;

    rig_start(&r, opaque, "", "", F(BLK_F_CONFIG_WCE) | F(BLK_F_FLUSH), 1);
    g_assert_cmpuint(qvirtio_config_readb(r.d, 32), ==, 1);
    qvirtio_config_writeb(r.d, 32, 0);
    g_assert_cmpuint(qvirtio_config_readb(r.d, 32), ==, 0);
    g_assert_cmpuint(blk_req(&r, 0, T_OUT, 0, 512, NULL), ==, S_OK);
    qvirtio_start(r.d, F(BLK_F_FLUSH));     /* reset */
    g_assert_cmpuint(qvirtio_config_readb(r.d, 32), ==, 1);
    /* without CONFIG_WCE the field is read-only */
    qvirtio_config_writeb(r.d, 32, 0);
    g_assert_cmpuint(qvirtio_config_readb(r.d, 32), ==, 1);
    /* a driver that cannot flush gets a write-through disk (5.2.5.1) */
    qvirtio_start(r.d, 0);
    qvirtio_set_driver_ok(r.d);     /* when legacy drivers' features apply */
    g_assert_cmpuint(qvirtio_config_readb(r.d, 32), ==, 0);
    rig_stop(&r);

    /* cache=writethrough: the driver sees no write cache */
    rig_start(&r, opaque, ",cache=writethrough", "", 0, 1);
    g_assert_cmpuint(qvirtio_config_readb(r.d, 32), ==, 0);
    rig_stop(&r);
}

/* A drive the block layer fails (a qcow2 cluster mapped past the end of
 * its file: EIO) answers VIRTIO_BLK_S_IOERR; the rest of the drive and
 * the device keep working. */
static void put_be64(int fd, off_t off, uint64_t v)
{
    uint8_t b[8];

    for (int i = 0; i < 8; i++) {
        b[i] = v >> (56 - 8 * i);
    }
    g_assert_cmpint(pwrite(fd, b, 8, off), ==, 8);
}

static uint64_t get_be64(int fd, off_t off)
{
    uint8_t b[8];
    uint64_t v = 0;

    g_assert_cmpint(pread(fd, b, 8, off), ==, 8);
    for (int i = 0; i < 8; i++) {
        v = v << 8 | b[i];
    }
    return v;
}

static void test_io_error(void)
{
    g_autofree char *bindir = NULL, *img_tool = NULL;
    g_autofree char *raw = NULL, *qcow = NULL, *args = NULL, *cmd = NULL;
    uint64_t l1, l2, mask = 0x00fffffffffffe00ull;
    uint8_t b[512];
    int fd;
    Rig r;

    qvirtio_select_binary("-M virt");
    bindir = g_path_get_dirname(qtest_binary());
    img_tool = g_build_filename(bindir, "tools", "turtle-img", NULL);
    if (!g_file_test(img_tool, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("no turtle-img next to the executable");
        return;
    }
    fd = g_file_open_tmp("virtio-blk-XXXXXX", &raw, NULL);
    memset(b, 0x5a, sizeof(b));
    for (int i = 0; i < 2048; i++) {
        g_assert_cmpint(write(fd, b, 512), ==, 512);
    }
    close(fd);
    qcow = g_strdup_printf("%s.qcow2", raw);
    cmd = g_strdup_printf("%s convert -f raw -O qcow2 %s %s", img_tool, raw,
                          qcow);
    g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
    /* L1[0] -> L2 table; its first entry now points 16 TiB out */
    fd = open(qcow, O_RDWR);
    g_assert_cmpint(fd, >=, 0);
    l1 = get_be64(fd, 40);
    l2 = get_be64(fd, l1) & mask;
    put_be64(fd, l2, (get_be64(fd, l2) & ~mask) | (1ull << 44));
    close(fd);

    memset(&r, 0, sizeof(r));
    args = g_strdup_printf("-M virt -m 64M -drive if=none,id=d0,format=qcow2,"
                           "file=%s -device virtio-blk-device,drive=d0", qcow);
    r.qts = qvirtio_qtest_init(args);
    r.d = mmio_init(r.qts, &r.alloc);
    qvirtio_start(r.d, 0);
    r.vq[0] = qvirtqueue_setup(r.d, 0);
    qvirtio_set_driver_ok(r.d);
    r.hdr = guest_alloc(r.qts, &r.alloc, 32, 16);
    r.data = guest_alloc(r.qts, &r.alloc, 65536, 4096);
    r.status = guest_alloc(r.qts, &r.alloc, 1, 1);
    g_assert_cmpuint(blk_req(&r, 0, T_IN, 0, 512, NULL), ==, S_IOERR);
    /* the next cluster (64 KiB on) is fine */
    g_assert_cmpuint(blk_req(&r, 0, T_IN, 128, 512, NULL), ==, S_OK);
    qtest_memread(r.qts, r.data, b, 512);
    g_assert_cmphex(b[0], ==, 0x5a);
    g_assert_cmphex(b[511], ==, 0x5a);
    g_assert_false(qvirtio_get_status(r.d) & QVIRTIO_S_NEEDS_RESET);
    qvirtio_free(r.d);
    qtest_quit(r.qts);
    unlink(raw);
    unlink(qcow);
}

static void test_bad_props(void)
{
    static const char *const bad[][2] = {
        { "", "drive" },
        { ",drive=d0,num-queues=0", "num-queues" },
        { ",drive=d0,num-queues=65", "num-queues" },
        { ",drive=d0,queue-size=3", "queue-size" },
        { ",drive=d0,queue-size=2048", "queue-size" },
        { ",drive=d0,logical_block_size=1000", "logical_block_size" },
        { ",drive=d0,logical_block_size=4096,physical_block_size=512",
          "physical_block_size" },
        { ",drive=d0,min_io_size=100", "min_io_size" },
        { ",drive=d0,max-discard-sectors=0", "max-discard-sectors" },
        { ",drive=nosuch", "nosuch" },
    };
    g_autofree char *image = NULL;
    int fd = g_file_open_tmp("virtio-blk-XXXXXX", &image, NULL);

    g_assert_cmpint(ftruncate(fd, 65536), ==, 0);
    close(fd);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *args = g_strdup_printf(
            "-M virt -accel qtest -display none -nodefaults -qtest null "
            "-drive if=none,id=d0,format=raw,file=%s "
            "-device virtio-blk-device%s", image, bad[i][0]);
        g_autofree char *err = NULL;

        g_assert_cmpint(qtest_run(qtest_binary(), args, NULL, &err), ==, 1);
        g_assert_nonnull(strstr(err, bad[i][1]));
    }
    unlink(image);
}

static void add(const char *what, GTestDataFunc fn)
{
    for (size_t i = 0; i < G_N_ELEMENTS(transports); i++) {
        g_autofree char *path = g_strdup_printf("/virtio-blk/%s/%s",
                                                transports[i].name, what);

        g_test_add_data_func(path, &transports[i], fn);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    add("config", test_config);
    add("read-write", test_read_write);
    add("layouts", test_layouts);
    add("get-id", test_get_id);
    add("discard-write-zeroes", test_discard_zeroes);
    add("errors", test_errors);
    add("multiqueue", test_multiqueue);
    add("writeback", test_writeback);
    g_test_add_func("/virtio-blk/bad-props", test_bad_props);
    g_test_add_func("/virtio-blk/io-error", test_io_error);
    return g_test_run();
}
