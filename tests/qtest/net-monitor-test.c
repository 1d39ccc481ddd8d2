/*
 * The network monitor commands on a running guest with -netdev user:
 * hostfwd_add opens a host port (a connection to it is accepted), a
 * second rule on the same port is refused naming it, hostfwd_remove
 * closes it; set_link takes the NIC's link down (info network shows it,
 * as does the virtio-net status); errors name the unknown netdev/device.
 */
#include "libmonitor.h"

#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

static int free_port(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);
    int s = socket(AF_INET, SOCK_STREAM, 0), port;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(s, (struct sockaddr *)&a, sizeof(a)), ==, 0);
    getsockname(s, (struct sockaddr *)&a, &len);
    port = ntohs(a.sin_port);
    close(s);
    return port;
}

static bool port_open(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons(port) };
    int s = socket(AF_INET, SOCK_STREAM, 0);
    bool ok;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok = connect(s, (struct sockaddr *)&a, sizeof(a)) == 0;
    close(s);
    return ok;
}

static void test_hostfwd_and_link(void)
{
    Turtle t;
    int h, port = free_port();
    g_autofree char *add = g_strdup_printf("hostfwd_add n0 tcp:127.0.0.1:%d-:80",
                                           port);
    g_autofree char *rm = g_strdup_printf("hostfwd_remove n0 tcp:127.0.0.1:%d",
                                          port);
    char *out;

    turtle_start(&t, "-monitor unix:%1$s/h.sock,server=on,wait=off "
                 "-netdev user,id=n0 -device virtio-net-device,netdev=n0,"
                 "id=nic0", false);
    h = hmp_open(&t, "h.sock");

    g_assert_false(port_open(port));
    out = hmp_cmd(h, add);
    g_assert_cmpstr(out, ==, "");
    g_assert_true(port_open(port));
    g_free(out);
    out = hmp_cmd(h, add);                      /* the port is taken */
    g_assert_nonnull(strstr(out, "could not set up host forwarding rule"));
    g_free(out);
    out = hmp_cmd(h, "info usernet");
    g_assert_nonnull(strstr(out, "HOST_FORWARD"));
    g_free(out);
    out = hmp_cmd(h, rm);
    g_assert_nonnull(strstr(out, "removed"));
    g_assert_false(port_open(port));
    g_free(out);
    out = hmp_cmd(h, rm);
    g_assert_nonnull(strstr(out, "not found"));
    g_free(out);
    out = hmp_cmd(h, "hostfwd_add nosuch tcp::1-:2");
    g_assert_nonnull(strstr(out, "nosuch"));
    g_free(out);
    out = hmp_cmd(h, "hostfwd_add n0 tcp::x-:2");
    g_assert_nonnull(strstr(out, "invalid host forwarding rule"));
    g_free(out);

    out = hmp_cmd(h, "info network");
    g_assert_nonnull(strstr(out, "nic0: index=0,type=nic,"
                                 "model=virtio-net-device,"
                                 "macaddr=52:54:00:12:34:56"));
    g_assert_nonnull(strstr(out, "n0: index=0,type=user,net=10.0.2.0/24"));
    g_assert_null(strstr(out, "link down"));
    g_free(out);
    out = hmp_cmd(h, "set_link nic0 off");
    g_assert_cmpstr(out, ==, "");
    g_free(out);
    out = hmp_cmd(h, "info network");
    g_assert_nonnull(strstr(out, "(link down)"));
    g_free(out);
    /* virtio-net config status (0x0a003e00 + 0x100 + 6): LINK_UP clear */
    out = hmp_cmd(h, "xp /1xh 0x0a003f06");
    g_assert_nonnull(strstr(out, "0x0000"));
    g_free(out);
    out = hmp_cmd(h, "set_link nic0 on");
    g_free(out);
    out = hmp_cmd(h, "xp /1xh 0x0a003f06");
    g_assert_nonnull(strstr(out, "0x0001"));
    g_free(out);
    out = hmp_cmd(h, "set_link nosuch off");
    g_assert_nonnull(strstr(out, "Device 'nosuch' not found"));
    g_free(out);
    hmp_send(h, "quit\n");
    close(h);
    g_assert_cmpint(turtle_wait(&t, 10000), ==, 0);
    turtle_cleanup(&t);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/net-monitor/hostfwd-and-link", test_hostfwd_and_link);
    return g_test_run();
}
