/*
 * virtio-serial (virtio 1.2, 5.3) on virtio-mmio, its ports on Unix
 * socket chardevs the test connects to: the MULTIPORT control protocol
 * (DEVICE_READY -> DEVICE_ADD per port; PORT_READY -> CONSOLE_PORT,
 * PORT_NAME, PORT_OPEN), data both ways on a console and a named port,
 * input held until the port is open and buffers exist, a single-port
 * driver (no MULTIPORT) on port 0, malformed control messages, refused
 * properties.
 */
#include "libqvirtio.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define F_MULTIPORT     1
#define EV_DEVICE_READY 0
#define EV_DEVICE_ADD   1
#define EV_PORT_READY   3
#define EV_CONSOLE_PORT 4
#define EV_PORT_OPEN    6
#define EV_PORT_NAME    7

typedef struct Rig {
    QTestState *qts;
    QGuestAlloc a;
    QVirtioDevice *d;
    QVirtQueue *vq[6];
    char *dir;
    int sock[2];                /* host ends of the two ports' chardevs */
    uint64_t ctrl_buf[8];
} Rig;

static int connect_unix(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    return fd;
}

static void rig_start(Rig *r, uint64_t features, int nq)
{
    g_autofree char *args = NULL;

    memset(r, 0, sizeof(*r));
    r->dir = g_dir_make_tmp("virtio-serial-XXXXXX", NULL);
    args = g_strdup_printf(
        "-M virt -m 64M "
        "-chardev socket,id=c0,path=%1$s/c0,server=on,wait=off "
        "-chardev socket,id=c1,path=%1$s/c1,server=on,wait=off "
        "-device virtio-serial-device,max_ports=4 "
        "-device virtconsole,chardev=c0 "
        "-device virtserialport,chardev=c1,name=org.turtle.port1", r->dir);
    r->qts = qvirtio_qtest_init(args);
    for (int i = 0; i < 2; i++) {
        g_autofree char *p = g_strdup_printf("%s/c%d", r->dir, i);
        r->sock[i] = connect_unix(p);
    }
    guest_alloc_init(&r->a, 0x40100000, 0x800000);
    r->d = qvirtio_mmio_init(r->qts, 0x0a003e00, &r->a);
    g_assert_cmpuint(r->d->device_id, ==, QVIRTIO_ID_CONSOLE);
    qvirtio_start(r->d, features);
    for (int i = 0; i < nq; i++) {
        r->vq[i] = qvirtqueue_setup(r->d, i);
    }
    qvirtio_set_driver_ok(r->d);
}

static void rig_stop(Rig *r)
{
    g_autofree char *c0 = g_strdup_printf("%s/c0", r->dir);
    g_autofree char *c1 = g_strdup_printf("%s/c1", r->dir);

    close(r->sock[0]);
    close(r->sock[1]);
    qvirtio_free(r->d);
    qtest_quit(r->qts);
    unlink(c0);
    unlink(c1);
    rmdir(r->dir);
    g_free(r->dir);
}

static void ctrl_send(Rig *r, uint32_t id, uint16_t ev, uint16_t val)
{
    uint8_t m[8];
    uint64_t b = guest_alloc(r->qts, &r->a, 8, 8);
    uint32_t uid, len;

    memcpy(m, &id, 4);
    memcpy(m + 4, &ev, 2);
    memcpy(m + 6, &val, 2);
    qtest_memwrite(r->qts, b, m, 8);
    qvirtqueue_kick(r->vq[3], qvirtqueue_add(r->vq[3], b, 8, false, false));
    qvirtqueue_wait_used(r->vq[3], &uid, &len, 5000);
}

/* Give the control receive queue n buffers of 64 bytes. */
static void ctrl_buffers(Rig *r, int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t b = guest_alloc(r->qts, &r->a, 64, 8);
        uint16_t head = qvirtqueue_add(r->vq[2], b, 64, true, false);

        r->ctrl_buf[head % 8] = b;
        qvirtqueue_publish(r->vq[2], head);
    }
    qvirtqueue_notify(r->vq[2]);
}

/* The next control message from the device. */
static void ctrl_expect(Rig *r, uint32_t id, uint16_t ev, uint16_t val,
                        const char *name)
{
    uint32_t head, len;
    uint8_t m[64] = { 0 };
    uint32_t gid;
    uint16_t gev, gval;

    qvirtqueue_wait_used(r->vq[2], &head, &len, 5000);
    qtest_memread(r->qts, r->ctrl_buf[head % 8], m, MIN(len, 64));
    memcpy(&gid, m, 4);
    memcpy(&gev, m + 4, 2);
    memcpy(&gval, m + 6, 2);
    g_assert_cmpuint(gid, ==, id);
    g_assert_cmpuint(gev, ==, ev);
    g_assert_cmpuint(gval, ==, val);
    if (name) {
        g_assert_cmpuint(len, ==, 8 + strlen(name));
        g_assert_cmpmem(m + 8, len - 8, name, strlen(name));
    }
}

static void read_exact(int fd, char *buf, size_t n)
{
    size_t got = 0;

    while (got < n) {
        ssize_t k = read(fd, buf + got, n - got);

        g_assert_cmpint(k, >, 0);
        got += k;
    }
}

/* Guest to host: one buffer on the port's transmit queue. */
static void port_send(Rig *r, int txq, int fd, const char *s)
{
    uint64_t b = guest_alloc(r->qts, &r->a, strlen(s), 1);
    char got[64] = { 0 };
    uint32_t id, len;

    qtest_memwrite(r->qts, b, s, strlen(s));
    qvirtqueue_kick(r->vq[txq], qvirtqueue_add(r->vq[txq], b, strlen(s),
                                               false, false));
    qvirtqueue_wait_used(r->vq[txq], &id, &len, 5000);
    read_exact(fd, got, strlen(s));
    g_assert_cmpstr(got, ==, s);
}

/* Host to guest: a receive buffer, then bytes on the socket. */
static void port_recv(Rig *r, int rxq, int fd, const char *s)
{
    uint64_t b = guest_alloc(r->qts, &r->a, 64, 1);
    char got[65] = { 0 };
    uint32_t id, len;

    qvirtqueue_kick(r->vq[rxq], qvirtqueue_add(r->vq[rxq], b, 64, true,
                                               false));
    g_assert_cmpint(write(fd, s, strlen(s)), ==, strlen(s));
    qvirtqueue_wait_used(r->vq[rxq], &id, &len, 5000);
    g_assert_cmpuint(len, ==, strlen(s));
    qtest_memread(r->qts, b, got, len);
    g_assert_cmpstr(got, ==, s);
}

static void test_multiport(void)
{
    Rig r;
    uint32_t id, len;

    rig_start(&r, 1ull << F_MULTIPORT, 6);
    g_assert_cmpuint(qvirtio_config_readl(r.d, 4), ==, 4);  /* max ports */
    ctrl_buffers(&r, 8);
    ctrl_send(&r, 0, EV_DEVICE_READY, 1);
    ctrl_expect(&r, 0, EV_DEVICE_ADD, 1, NULL);
    ctrl_expect(&r, 1, EV_DEVICE_ADD, 1, NULL);
    ctrl_send(&r, 0, EV_PORT_READY, 1);
    ctrl_expect(&r, 0, EV_CONSOLE_PORT, 1, NULL);
    ctrl_expect(&r, 0, EV_PORT_OPEN, 1, NULL);       /* socket connected */
    ctrl_send(&r, 1, EV_PORT_READY, 1);
    ctrl_expect(&r, 1, EV_PORT_NAME, 1, "org.turtle.port1");
    ctrl_expect(&r, 1, EV_PORT_OPEN, 1, NULL);

    /* output goes out whether or not the guest "opened" the port */
    port_send(&r, 1, r.sock[0], "hvc0 says hello\n");
    port_send(&r, 5, r.sock[1], "port1 out");
    /* input waits for PORT_OPEN from the guest */
    ctrl_send(&r, 0, EV_PORT_OPEN, 1);
    port_recv(&r, 0, r.sock[0], "typed on the console");
    ctrl_send(&r, 1, EV_PORT_OPEN, 1);
    port_recv(&r, 4, r.sock[1], "to port 1");

    /* closed by the guest: input held; reopened: delivered */
    ctrl_send(&r, 1, EV_PORT_OPEN, 0);
    {
        uint64_t b = guest_alloc(r.qts, &r.a, 64, 1);
        char got[16] = { 0 };

        qvirtqueue_kick(r.vq[4], qvirtqueue_add(r.vq[4], b, 64, true, false));
        g_assert_cmpint(write(r.sock[1], "later", 5), ==, 5);
        qtest_clock_step(r.qts, 1000000);
        g_usleep(100 * 1000);
        g_assert_false(qvirtqueue_get_used(r.vq[4], &id, &len));
        ctrl_send(&r, 1, EV_PORT_OPEN, 1);
        qvirtqueue_wait_used(r.vq[4], &id, &len, 5000);
        qtest_memread(r.qts, b, got, len);
        g_assert_cmpstr(got, ==, "later");
    }

    /* bad control messages: a port that does not exist, a short one */
    ctrl_send(&r, 9, EV_PORT_READY, 1);
    {
        uint64_t b = guest_alloc(r.qts, &r.a, 4, 8);

        qvirtqueue_kick(r.vq[3], qvirtqueue_add(r.vq[3], b, 4, false, false));
        qvirtqueue_wait_used(r.vq[3], &id, &len, 5000);
    }
    g_assert_false(qvirtio_get_status(r.d) & QVIRTIO_S_NEEDS_RESET);
    port_send(&r, 1, r.sock[0], "still works");
    rig_stop(&r);
}

/* A driver without MULTIPORT: port 0 is the console, usable at once. */
static void test_single_port(void)
{
    Rig r;

    rig_start(&r, 0, 2);
    port_send(&r, 1, r.sock[0], "single");
    port_recv(&r, 0, r.sock[0], "back");
    rig_stop(&r);
}

static void test_bad_props(void)
{
    static const char *const bad[][2] = {
        { "-device virtio-serial-device,max_ports=0", "max_ports" },
        { "-device virtio-serial-device,max_ports=32", "max_ports" },
        { "-device virtio-serial-device -device virtserialport,nr=0",
          "port 0" },
        { "-device virtio-serial-device,max_ports=2 "
          "-device virtserialport,nr=2", "beyond" },
        { "-device virtio-serial-device -device virtconsole "
          "-device virtconsole,nr=0", "in use" },
        { "-device virtconsole", "virtio-serial-bus" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *args = g_strdup_printf("-M virt -accel qtest "
                                                "-display none -nodefaults "
                                                "-qtest null %s", bad[i][0]);
        g_autofree char *err = NULL;

        qvirtio_select_binary(args);
        g_assert_cmpint(qtest_run(qtest_binary(), args, NULL, &err), ==, 1);
        g_assert_nonnull(strstr(err, bad[i][1]));
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-serial/mmio/multiport", test_multiport);
    g_test_add_func("/virtio-serial/mmio/single-port", test_single_port);
    g_test_add_func("/virtio-serial/bad-props", test_bad_props);
    return g_test_run();
}
