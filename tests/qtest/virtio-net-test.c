/*
 * virtio-net (virtio 1.2, 5.1) on virtio-mmio, talking to a real -netdev
 * user (slirp) back end: ARP and ICMP echo with the gateway 10.0.2.2,
 * which answers only well-formed frames, so every test checks what went
 * out as well as what came in.
 *
 *   config       MAC from mac=, LINK_UP, the features offered
 *   arp          an ARP request out, the gateway's reply in (one buffer)
 *   cmdline-forms  the same through -nic user,model= and -net nic -net user
 *                (hub 0, with a second NIC on it)
 *   hub-before-driver  a frame slirp sends on hub 0 before DRIVER_OK
 *                arrives once buffers are posted
 *   no-buffers   the reply arrives while no receive buffer is posted: it
 *                waits in the net core and comes in once buffers are
 *   mergeable    the reply spread over 16-byte buffers (num_buffers)
 *   csum         ICMP echo with a partial checksum and NEEDS_CSUM: the
 *                device completes it (slirp drops a bad one: no reply)
 *   ctrl-filter  promiscuous off + a new MAC address: the reply to the
 *                old address is filtered; bad control commands get ERR
 *   hostile-tx   a request shorter than the header is returned unused,
 *                the device works on
 *   stream       on -netdev stream (the test holds the other end): the
 *                frame behind its length; 40 frames sent while no buffer
 *                is posted all arrive, in order; a bad length closes it
 *   tap-fd       on -netdev tap,fd=N,vnet_hdr=on (a SOCK_SEQPACKET pair):
 *                frames with their virtio_net_hdr both ways
 *   filter-dump  -object filter-dump: the request and the reply in pcap
 *   hostfwd-in-use  a hostfwd on a bound port: exit 1 naming the rule
 */
#include "libqvirtio.h"

#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/un.h>
#include <unistd.h>

#define SLOT        0x0a003e00
#define MAC         "52:54:00:12:34:99"
#define HDR_LEN     12                 /* VERSION_1: with num_buffers */
#define F_CSUM      (1ull << 0)
#define F_GUEST_CSUM (1ull << 1)
#define F_MAC       (1ull << 5)
#define F_MRG_RXBUF (1ull << 15)
#define F_STATUS    (1ull << 16)
#define F_CTRL_VQ   (1ull << 17)
#define F_CTRL_RX   (1ull << 18)

static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x99 };
static const uint8_t our_ip[4] = { 10, 0, 2, 15 };
static const uint8_t gw_ip[4] = { 10, 0, 2, 2 };

typedef struct Rig {
    QTestState *qts;
    QGuestAlloc alloc;
    QVirtioDevice *d;
    QVirtQueue *rx, *tx, *ctrl;
    uint64_t features;
} Rig;

/* The device and its back end from a whole command line. */
static void rig_start_args(Rig *r, const char *args, uint64_t want)
{
    r->qts = qvirtio_qtest_init(args);
    guest_alloc_init(&r->alloc, 0x40100000, 0x800000);
    r->d = qvirtio_mmio_init(r->qts, SLOT, &r->alloc);
    g_assert_cmpuint(r->d->device_id, ==, QVIRTIO_ID_NET);
    r->features = qvirtio_start(r->d, want);
    r->rx = qvirtqueue_setup(r->d, 0);
    r->tx = qvirtqueue_setup(r->d, 1);
    r->ctrl = (r->features & F_CTRL_VQ) ? qvirtqueue_setup(r->d, 2) : NULL;
    qvirtio_set_driver_ok(r->d);
}

static void rig_start(Rig *r, const char *extra, uint64_t want)
{
    g_autofree char *args = g_strdup_printf(
        "-M virt -m 64M -netdev user,id=n0 -device virtio-net-device,"
        "netdev=n0,mac=" MAC "%s", extra);

    rig_start_args(r, args, want);
}

static void rig_stop(Rig *r)
{
    qvirtio_free(r->d);
    qtest_quit(r->qts);
}

/* Post one receive buffer of len bytes; returns its guest address. */
static uint64_t post_rx(Rig *r, uint32_t len, bool kick)
{
    uint64_t buf = guest_alloc(r->qts, &r->alloc, len, 8);
    uint16_t head = qvirtqueue_add(r->rx, buf, len, true, false);

    if (kick) {
        qvirtqueue_kick(r->rx, head);
    } else {
        qvirtqueue_publish(r->rx, head);
    }
    return buf;
}

/* Send header + frame as one device-readable buffer and wait for it. */
static void send_frame(Rig *r, const uint8_t *hdr, const uint8_t *frame,
                       size_t len)
{
    uint64_t buf = guest_alloc(r->qts, &r->alloc, HDR_LEN + len, 8);
    uint8_t zero[HDR_LEN] = { 0 };
    uint32_t id, ulen;

    qtest_memwrite(r->qts, buf, hdr ? hdr : zero, HDR_LEN);
    qtest_memwrite(r->qts, buf + HDR_LEN, frame, len);
    qvirtqueue_kick(r->tx, qvirtqueue_add(r->tx, buf, HDR_LEN + len, false,
                                          false));
    qvirtqueue_wait_used(r->tx, &id, &ulen, 5000);
}

static size_t arp_request(uint8_t *f)
{
    static const uint8_t head[] = { 0x00, 0x01, 0x08, 0x00, 6, 4, 0, 1 };

    memset(f, 0xff, 6);                        /* broadcast */
    memcpy(f + 6, our_mac, 6);
    f[12] = 0x08; f[13] = 0x06;
    memcpy(f + 14, head, sizeof(head));
    memcpy(f + 22, our_mac, 6);
    memcpy(f + 28, our_ip, 4);
    memset(f + 32, 0, 6);
    memcpy(f + 38, gw_ip, 4);
    return 42;
}

/* The gateway's ARP reply, read from buf after the header. */
static void check_arp_reply(const uint8_t *f, size_t len)
{
    g_assert_cmpuint(len, >=, 42);
    g_assert_cmpmem(f, 6, our_mac, 6);         /* to us */
    g_assert_cmphex(f[12] << 8 | f[13], ==, 0x0806);
    g_assert_cmphex(f[20] << 8 | f[21], ==, 2);  /* reply */
    g_assert_cmpmem(f + 28, 4, gw_ip, 4);      /* 10.0.2.2 is at ... */
    g_assert_cmpmem(f + 32, 6, our_mac, 6);
}

static bool wait_rx(Rig *r, uint32_t *len, int ms)
{
    uint32_t id;

    for (int i = 0; i < ms / 10; i++) {
        if (qvirtqueue_get_used(r->rx, &id, len)) {
            return true;
        }
        g_usleep(10 * 1000);
    }
    return false;
}

static void test_config(void)
{
    Rig r;
    uint64_t offered;

    rig_start(&r, "", F_MAC | F_STATUS);
    offered = qvirtio_get_features(r.d);
    g_assert_true(offered & F_MAC);
    g_assert_true(offered & F_STATUS);
    g_assert_true(offered & F_MRG_RXBUF);
    g_assert_true(offered & F_CTRL_VQ);
    g_assert_true(offered & F_CSUM);
    for (int i = 0; i < 6; i++) {
        g_assert_cmphex(qvirtio_config_readb(r.d, i), ==, our_mac[i]);
    }
    g_assert_cmphex(qvirtio_config_readw(r.d, 6), ==, 1);   /* LINK_UP */
    g_assert_cmpuint(qvirtio_config_readw(r.d, 8), ==, 1);  /* pairs */
    rig_stop(&r);

    /* csum=off, mrg_rxbuf=off, ctrl_vq=off: not offered */
    rig_start(&r, ",csum=off,mrg_rxbuf=off,ctrl_vq=off", 0);
    offered = qvirtio_get_features(r.d);
    g_assert_false(offered & (F_CSUM | F_GUEST_CSUM | F_MRG_RXBUF |
                              F_CTRL_VQ));
    rig_stop(&r);
}

static void test_arp(void)
{
    Rig r;
    uint8_t f[64], got[128];
    uint64_t buf;
    uint32_t len;

    rig_start(&r, "", F_MAC | F_GUEST_CSUM);
    buf = post_rx(&r, 1526, true);
    send_frame(&r, NULL, f, arp_request(f));
    g_assert_true(wait_rx(&r, &len, 5000));
    g_assert_cmpuint(len, >=, HDR_LEN + 42);
    qtest_memread(r.qts, buf, got, MIN(len, sizeof(got)));
    g_assert_cmphex(got[0], ==, 2);            /* DATA_VALID: GUEST_CSUM */
    g_assert_cmpuint(got[10] | got[11] << 8, ==, 1);    /* num_buffers */
    check_arp_reply(got + HDR_LEN, len - HDR_LEN);
    rig_stop(&r);
}

/* The same exchange with the NIC made by -nic, and by -net nic + -net user
 * through hub 0 (and a second NIC on the hub, which sees the broadcast) */
static void test_cmdline_forms(void)
{
    static const char *const forms[] = {
        "-M virt -m 64M -nic user,model=virtio-net-device,mac=" MAC,
        "-M virt -m 64M -net nic,model=virtio-net-device,macaddr=" MAC
        " -net user -net nic,model=virtio-net-device",
    };

    for (int i = 0; i < 2; i++) {
        Rig r;
        uint8_t f[64], got[128];
        uint64_t buf;
        uint32_t len;

        rig_start_args(&r, forms[i], F_MAC);
        for (int j = 0; j < 6; j++) {
            g_assert_cmphex(qvirtio_config_readb(r.d, j), ==, our_mac[j]);
        }
        /* the reply comes while no buffer is posted: it must wait (at
         * the NIC, not in the hub) and arrive with the buffer */
        send_frame(&r, NULL, f, arp_request(f));
        g_usleep(200 * 1000);
        buf = post_rx(&r, 1526, true);
        g_assert_true(wait_rx(&r, &len, 5000));
        qtest_memread(r.qts, buf, got, MIN(len, sizeof(got)));
        check_arp_reply(got + HDR_LEN, len - HDR_LEN);
        rig_stop(&r);
    }
}

/* slirp sends before the driver is up (a hostfwd connection: it asks for
 * the guest's MAC): on -net's hub the frame must wait at the NIC and
 * arrive once the driver posts buffers, not stall in the hub for good */
static void test_hub_before_driver(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t alen = sizeof(a);
    int s = socket(AF_INET, SOCK_STREAM, 0), port;
    g_autofree char *args = NULL;
    uint8_t got[128];
    uint64_t buf;
    uint32_t len;
    Rig r;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(s, (struct sockaddr *)&a, sizeof(a)), ==, 0);
    getsockname(s, (struct sockaddr *)&a, &alen);
    port = ntohs(a.sin_port);
    close(s);
    args = g_strdup_printf("-M virt -m 64M -net nic,model=virtio-net-device,"
                           "macaddr=" MAC " -net user,hostfwd=tcp:127.0.0.1:"
                           "%d-:80", port);
    r.qts = qvirtio_qtest_init(args);
    s = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_port = htons(port);
    g_assert_cmpint(connect(s, (struct sockaddr *)&a, sizeof(a)), ==, 0);
    g_usleep(300 * 1000);                  /* slirp has sent its ARP */
    guest_alloc_init(&r.alloc, 0x40100000, 0x800000);
    r.d = qvirtio_mmio_init(r.qts, SLOT, &r.alloc);
    r.features = qvirtio_start(r.d, F_MAC);
    r.rx = qvirtqueue_setup(r.d, 0);
    r.tx = qvirtqueue_setup(r.d, 1);
    qvirtio_set_driver_ok(r.d);
    buf = post_rx(&r, 1526, true);
    g_assert_true(wait_rx(&r, &len, 5000));
    qtest_memread(r.qts, buf, got, MIN(len, sizeof(got)));
    g_assert_cmphex(got[HDR_LEN + 12] << 8 | got[HDR_LEN + 13], ==, 0x0806);
    g_assert_cmpmem(got + HDR_LEN + 38, 4, our_ip, 4);  /* who has .15? */
    close(s);
    rig_stop(&r);
}

static void test_no_buffers(void)
{
    Rig r;
    uint8_t f[64], got[128];
    uint64_t buf;
    uint32_t len;

    rig_start(&r, "", F_MAC);
    send_frame(&r, NULL, f, arp_request(f));
    g_usleep(300 * 1000);                      /* the reply is waiting */
    g_assert_false(wait_rx(&r, &len, 100));
    buf = post_rx(&r, 1526, true);             /* the kick delivers it */
    g_assert_true(wait_rx(&r, &len, 5000));
    qtest_memread(r.qts, buf, got, MIN(len, sizeof(got)));
    check_arp_reply(got + HDR_LEN, len - HDR_LEN);
    rig_stop(&r);
}

static void test_mergeable(void)
{
    Rig r;
    uint8_t f[64], frame[128] = { 0 }, hdr[HDR_LEN];
    uint64_t bufs[8];
    uint32_t len, lens[8], total = 0;
    unsigned n = 0, nbuf;

    rig_start(&r, "", F_MAC | F_MRG_RXBUF);
    g_assert_true(r.features & F_MRG_RXBUF);
    for (int i = 0; i < 8; i++) {
        bufs[i] = post_rx(&r, 16, i == 7);
    }
    send_frame(&r, NULL, f, arp_request(f));
    while (wait_rx(&r, &len, n ? 500 : 5000)) {
        lens[n++] = len;
    }
    g_assert_cmpuint(n, >=, 4);                /* 12 + 42 bytes in 16s */
    qtest_memread(r.qts, bufs[0], hdr, HDR_LEN);
    nbuf = hdr[10] | hdr[11] << 8;
    g_assert_cmpuint(nbuf, ==, n);
    for (unsigned i = 0; i < n; i++) {
        uint8_t part[16];

        qtest_memread(r.qts, bufs[i], part, lens[i]);
        memcpy(frame + total, part, lens[i]);
        total += lens[i];
    }
    check_arp_reply(frame + HDR_LEN, total - HDR_LEN);
    rig_stop(&r);
}

/* ICMP echo request to 10.0.2.2 (checksum field left 0) */
static size_t icmp_echo(uint8_t *f, const uint8_t *gw_mac)
{
    static const uint8_t ip[20] = {
        0x45, 0, 0, 20 + 8 + 32, 0x12, 0x34, 0, 0, 64, 1, 0, 0,
        10, 0, 2, 15, 10, 0, 2, 2,
    };
    uint32_t sum = 0;

    memcpy(f, gw_mac, 6);
    memcpy(f + 6, our_mac, 6);
    f[12] = 0x08; f[13] = 0x00;
    memcpy(f + 14, ip, 20);
    for (int i = 0; i < 20; i += 2) {
        sum += f[14 + i] << 8 | f[15 + i];
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    f[24] = ~sum >> 8;
    f[25] = ~sum;
    memset(f + 34, 0, 8 + 32);
    f[34] = 8;                                 /* echo request */
    f[38] = 0x42; f[40] = 0x01;                /* id, seq */
    memset(f + 42, 0x5a, 32);
    return 14 + 20 + 8 + 32;
}

static void test_csum(void)
{
    Rig r;
    uint8_t f[128], got[160], gw_mac[6], hdr[HDR_LEN] = { 0 };
    uint64_t buf;
    uint32_t len;
    size_t n;

    rig_start(&r, "", F_MAC | F_CSUM);
    g_assert_true(r.features & F_CSUM);
    buf = post_rx(&r, 1526, true);
    send_frame(&r, NULL, f, arp_request(f));
    g_assert_true(wait_rx(&r, &len, 5000));
    qtest_memread(r.qts, buf, got, MIN(len, sizeof(got)));
    memcpy(gw_mac, got + HDR_LEN + 22, 6);

    /* a zero ICMP checksum without NEEDS_CSUM: slirp drops it */
    buf = post_rx(&r, 1526, true);
    n = icmp_echo(f, gw_mac);
    send_frame(&r, NULL, f, n);
    g_assert_false(wait_rx(&r, &len, 500));

    /* NEEDS_CSUM at 34 + 2: the device completes it, the echo returns */
    hdr[0] = 1;
    hdr[6] = 34;
    hdr[8] = 2;
    send_frame(&r, hdr, f, n);
    g_assert_true(wait_rx(&r, &len, 5000));
    qtest_memread(r.qts, buf, got, MIN(len, sizeof(got)));
    g_assert_cmphex(got[HDR_LEN + 23], ==, 1);        /* ICMP */
    g_assert_cmphex(got[HDR_LEN + 34], ==, 0);        /* echo reply */
    g_assert_cmpmem(got + HDR_LEN + 42, 32, f + 42, 32);
    rig_stop(&r);
}

/* One control command; returns the ack byte. */
static uint8_t ctrl_cmd(Rig *r, uint8_t cls, uint8_t cmd, const void *data,
                        size_t len)
{
    uint64_t out = guest_alloc(r->qts, &r->alloc, 2 + len, 8);
    uint64_t ack = guest_alloc(r->qts, &r->alloc, 1, 1);
    uint8_t head[2] = { cls, cmd };
    uint32_t id, ulen;
    uint16_t h;

    qtest_memwrite(r->qts, out, head, 2);
    if (len) {
        qtest_memwrite(r->qts, out + 2, data, len);
    }
    qtest_writeb(r->qts, ack, 0xee);
    h = qvirtqueue_add(r->ctrl, out, 2 + len, false, true);
    qvirtqueue_add(r->ctrl, ack, 1, true, false);
    qvirtqueue_kick(r->ctrl, h);
    qvirtqueue_wait_used(r->ctrl, &id, &ulen, 5000);
    g_assert_cmpuint(ulen, ==, 1);
    return qtest_readb(r->qts, ack);
}

static void test_ctrl_filter(void)
{
    Rig r;
    uint8_t f[64], off = 0, other[6] = { 0x52, 0x54, 0, 0, 0, 1 };
    uint8_t vid[2] = { 0x88, 0x13 }, tables[8] = { 0 };
    uint32_t len;

    rig_start(&r, "", F_MAC | F_CTRL_VQ | F_CTRL_RX | (1ull << 23));
    g_assert_nonnull(r.ctrl);
    g_assert_cmpuint(ctrl_cmd(&r, 0, 0, &off, 1), ==, 0);   /* promisc off */
    g_assert_cmpuint(ctrl_cmd(&r, 1, 0, tables, 8), ==, 0); /* empty tables */
    g_assert_cmpuint(ctrl_cmd(&r, 1, 1, other, 6), ==, 0);  /* new MAC */
    g_assert_cmphex(qvirtio_config_readb(r.d, 5), ==, 1);
    /* bad commands: VLAN 5000 (not negotiated anyway), unknown class,
     * a table longer than its data */
    g_assert_cmpuint(ctrl_cmd(&r, 2, 0, vid, 2), ==, 1);
    g_assert_cmpuint(ctrl_cmd(&r, 77, 0, NULL, 0), ==, 1);
    tables[0] = 3;
    g_assert_cmpuint(ctrl_cmd(&r, 1, 0, tables, 8), ==, 1);

    post_rx(&r, 1526, true);
    send_frame(&r, NULL, f, arp_request(f));   /* reply to our_mac */
    g_assert_false(wait_rx(&r, &len, 500));    /* filtered */
    g_assert_cmpuint(ctrl_cmd(&r, 1, 1, our_mac, 6), ==, 0);
    send_frame(&r, NULL, f, arp_request(f));
    g_assert_true(wait_rx(&r, &len, 5000));
    rig_stop(&r);
}

static void test_hostile_tx(void)
{
    Rig r;
    uint8_t f[64], got[128];
    uint64_t buf, shortbuf;
    uint32_t id, len;

    rig_start(&r, "", F_MAC);
    shortbuf = guest_alloc(r.qts, &r.alloc, 8, 8);
    qvirtqueue_kick(r.tx, qvirtqueue_add(r.tx, shortbuf, 8, false, false));
    qvirtqueue_wait_used(r.tx, &id, &len, 5000);
    g_assert_cmpuint(len, ==, 0);
    g_assert_false(qvirtio_get_status(r.d) & QVIRTIO_S_NEEDS_RESET);
    buf = post_rx(&r, 1526, true);
    send_frame(&r, NULL, f, arp_request(f));
    g_assert_true(wait_rx(&r, &len, 5000));
    qtest_memread(r.qts, buf, got, MIN(len, sizeof(got)));
    check_arp_reply(got + HDR_LEN, len - HDR_LEN);
    rig_stop(&r);
}

/* ---- -netdev stream: the test is the other end of the socket ---- */

static void read_full(int fd, void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = read(fd, (char *)buf + done, len - done);

        g_assert_cmpint(n, >, 0);
        done += n;
    }
}

static void write_frame(int fd, const uint8_t *f, uint32_t len)
{
    uint8_t hdr[4] = { len >> 24, len >> 16, len >> 8, len };

    g_assert_cmpint(write(fd, hdr, 4), ==, 4);
    g_assert_cmpint(write(fd, f, len), ==, (ssize_t)len);
}

static void test_stream(void)
{
    g_autofree char *dir = g_dir_make_tmp("vnet-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "sock", NULL);
    g_autofree char *extra = NULL;
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0), fd;
    uint8_t f[64], got[256], hdr[4];
    uint64_t bufs[40];
    uint32_t len;
    Rig r;

    g_strlcpy(un.sun_path, path, sizeof(un.sun_path));
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&un, sizeof(un)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    r.qts = NULL;
    {
        /* the device on a stream netdev instead of user */
        g_autofree char *args = g_strdup_printf(
            "-M virt -m 64M -netdev stream,id=n0,server=off,addr.type=unix,"
            "addr.path=%s -device virtio-net-device,netdev=n0,mac=" MAC, path);

        r.qts = qvirtio_qtest_init(args);
    }
    fd = accept(lfd, NULL, NULL);
    g_assert_cmpint(fd, >=, 0);
    guest_alloc_init(&r.alloc, 0x40100000, 0x800000);
    r.d = qvirtio_mmio_init(r.qts, SLOT, &r.alloc);
    r.features = qvirtio_start(r.d, F_MAC);
    r.rx = qvirtqueue_setup(r.d, 0);
    r.tx = qvirtqueue_setup(r.d, 1);
    qvirtio_set_driver_ok(r.d);

    /* out: the frame behind its big-endian length */
    send_frame(&r, NULL, f, arp_request(f));
    read_full(fd, hdr, 4);
    g_assert_cmpuint(hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 | hdr[3], ==,
                     42);
    read_full(fd, got, 42);
    g_assert_cmpmem(got, 42, f, 42);

    /* in: 40 frames while no buffer is posted; none may be lost */
    for (int i = 0; i < 40; i++) {
        memset(f, i, sizeof(f));
        write_frame(fd, f, 60);
    }
    g_usleep(200 * 1000);
    g_assert_false(wait_rx(&r, &len, 50));
    for (int i = 0; i < 40; i++) {
        bufs[i] = post_rx(&r, 1526, (i % 8) == 7);
    }
    for (int i = 0; i < 40; i++) {
        g_assert_true(wait_rx(&r, &len, 5000));
        g_assert_cmpuint(len, ==, HDR_LEN + 60);
        qtest_memread(r.qts, bufs[i], got, len);
        for (int j = 0; j < 60; j++) {
            g_assert_cmphex(got[HDR_LEN + j], ==, i);
        }
    }

    /* a frame longer than 64 KiB: the stream is broken, closed */
    hdr[0] = 0x7f;
    g_assert_cmpint(write(fd, hdr, 4), ==, 4);
    g_assert_cmpint(read(fd, got, 1), ==, 0);
    close(fd);
    close(lfd);
    rig_stop(&r);
    unlink(path);
    rmdir(dir);
}

/* -object filter-dump: the ARP request and its reply in a pcap file,
 * cut to maxlen with their real lengths kept */
static void test_filter_dump(void)
{
    g_autofree char *dir = g_dir_make_tmp("vnet-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "dump.pcap", NULL);
    g_autofree char *extra = g_strdup_printf(
        " -object filter-dump,id=f0,netdev=n0,file=%s,maxlen=30", path);
    g_autofree uint8_t *pcap = NULL;
    uint8_t f[64];
    uint32_t len, v[6];
    gsize size;
    Rig r;

    rig_start(&r, extra, F_MAC);
    post_rx(&r, 1526, true);
    send_frame(&r, NULL, f, arp_request(f));
    g_assert_true(wait_rx(&r, &len, 5000));
    rig_stop(&r);

    g_assert_true(g_file_get_contents(path, (char **)&pcap, &size, NULL));
    g_assert_cmpuint(size, ==, 24 + 2 * (16 + 30));
    memcpy(v, pcap, 24);
    g_assert_cmphex(v[0], ==, 0xa1b2c3d4);          /* native order */
    g_assert_cmpuint(v[4], ==, 30);                  /* snaplen */
    g_assert_cmpuint(v[5], ==, 1);                   /* Ethernet */
    memcpy(v, pcap + 24, 16);
    g_assert_cmpuint(v[2], ==, 30);                  /* kept */
    g_assert_cmpuint(v[3], ==, 42);                  /* on the wire */
    g_assert_cmpmem(pcap + 24 + 16, 30, f, 30);      /* the request */
    memcpy(v, pcap + 24 + 46, 16);
    g_assert_cmpuint(v[2], ==, 30);
    g_assert_cmpuint(v[3], >=, 42);
    g_assert_cmpmem(pcap + 24 + 46 + 16, 6, our_mac, 6);   /* the reply */
    g_assert_cmphex(pcap[24 + 46 + 16 + 21], ==, 2);
    unlink(path);
    rmdir(dir);
}

/* -netdev tap,fd=N,vnet_hdr=on on a SOCK_SEQPACKET pair: what libvirt's
 * fd passing does, with the test as the TAP device */
static void test_tap_fd(void)
{
    int sv[2];
    uint8_t f[64], got[128], in[12 + 60] = { 0 };
    uint64_t buf;
    uint32_t len;
    ssize_t n;
    Rig r;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), ==, 0);
    {
        g_autofree char *args = g_strdup_printf(
            "-M virt -m 64M -netdev tap,id=n0,fd=%d,vnet_hdr=on "
            "-device virtio-net-device,netdev=n0,mac=" MAC, sv[1]);

        r.qts = qvirtio_qtest_init(args);
    }
    close(sv[1]);
    guest_alloc_init(&r.alloc, 0x40100000, 0x800000);
    r.d = qvirtio_mmio_init(r.qts, SLOT, &r.alloc);
    r.features = qvirtio_start(r.d, F_MAC);
    r.rx = qvirtqueue_setup(r.d, 0);
    r.tx = qvirtqueue_setup(r.d, 1);
    qvirtio_set_driver_ok(r.d);

    /* out: one packet, an empty vnet header then the frame */
    send_frame(&r, NULL, f, arp_request(f));
    n = read(sv[0], got, sizeof(got));
    g_assert_cmpint(n, ==, 12 + 42);
    for (int i = 0; i < 12; i++) {
        g_assert_cmphex(got[i], ==, 0);
    }
    g_assert_cmpmem(got + 12, 42, f, 42);

    /* in: the header is stripped, the frame arrives */
    memset(in + 12, 0xa7, 60);
    memcpy(in + 12, our_mac, 6);
    buf = post_rx(&r, 1526, true);
    g_assert_cmpint(write(sv[0], in, sizeof(in)), ==, sizeof(in));
    g_assert_true(wait_rx(&r, &len, 5000));
    g_assert_cmpuint(len, ==, HDR_LEN + 60);
    qtest_memread(r.qts, buf, got, len);
    g_assert_cmpmem(got + HDR_LEN, 60, in + 12, 60);
    close(sv[0]);
    rig_stop(&r);
}

/* The aarch64 executable, as qvirtio_qtest_init picks it. */
static char *aarch64_binary(void)
{
    const char *list = getenv("TURTLE_BINARIES");
    g_auto(GStrv) bins = g_strsplit(list ? list : "", ":", -1);

    for (char **b = bins; *b; b++) {
        if (g_str_has_suffix(*b, "aarch64")) {
            return g_strdup(*b);
        }
    }
    return g_strdup(getenv("TURTLE_BINARY"));
}

static void test_hostfwd_in_use(void)
{
    g_autofree char *bin = aarch64_binary();
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t alen = sizeof(a);
    g_autofree char *args = NULL, *out = NULL, *err = NULL;
    g_autofree char *rule = NULL;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(s, (struct sockaddr *)&a, sizeof(a)), ==, 0);
    g_assert_cmpint(listen(s, 1), ==, 0);
    getsockname(s, (struct sockaddr *)&a, &alen);
    rule = g_strdup_printf("tcp:127.0.0.1:%d-:22", ntohs(a.sin_port));
    args = g_strdup_printf("-M none -accel qtest -display none -nodefaults "
                           "-netdev user,id=n0,hostfwd=%s", rule);
    if (!bin) {
        g_test_skip("no TURTLE_BINARY");
        close(s);
        return;
    }
    g_assert_cmpint(qtest_run(bin, args, &out, &err), ==, 1);
    g_assert_nonnull(strstr(err, rule));
    g_assert_nonnull(strstr(err, "could not set up host forwarding"));
    close(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-net/mmio/config", test_config);
    g_test_add_func("/virtio-net/mmio/arp", test_arp);
    g_test_add_func("/virtio-net/mmio/cmdline-forms", test_cmdline_forms);
    g_test_add_func("/virtio-net/mmio/hub-before-driver",
                    test_hub_before_driver);
    g_test_add_func("/virtio-net/mmio/no-buffers", test_no_buffers);
    g_test_add_func("/virtio-net/mmio/mergeable", test_mergeable);
    g_test_add_func("/virtio-net/mmio/csum", test_csum);
    g_test_add_func("/virtio-net/mmio/ctrl-filter", test_ctrl_filter);
    g_test_add_func("/virtio-net/mmio/hostile-tx", test_hostile_tx);
    g_test_add_func("/virtio-net/mmio/stream", test_stream);
    g_test_add_func("/virtio-net/mmio/tap-fd", test_tap_fd);
    g_test_add_func("/virtio-net/mmio/filter-dump", test_filter_dump);
    g_test_add_func("/virtio-net/hostfwd-in-use", test_hostfwd_in_use);
    return g_test_run();
}
