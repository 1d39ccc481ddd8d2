/*
 * The "tap" back end: frames to and from a Linux TAP interface.
 *
 *   -netdev tap,id=ID[,ifname=NAME][,script=FILE|no][,downscript=FILE|no]
 *           [,vnet_hdr=on|off][,fd=N]
 *
 * Without fd=, /dev/net/tun is opened and a TAP interface created (ifname=
 * or the kernel's tapN), then `script IFNAME` is run (default
 * /etc/qemu-ifup; script=no runs nothing) and `downscript IFNAME` at exit.
 * fd=N takes an interface someone else opened (libvirt passes it so), or
 * any socket that keeps frame boundaries (a SOCK_SEQPACKET or SOCK_DGRAM
 * socket pair: the tests use one).
 *
 * vnet_hdr=on: each frame on the fd carries a virtio_net_hdr in front, as
 * the kernel's IFF_VNET_HDR; we strip it (no offload is switched on, so
 * the kernel sends complete, checksummed frames) and prepend an empty one.
 * Passing offloads through to virtio-net is not done yet.
 *
 * Flow as the socket back ends': reading stops while a frame waits at the
 * peer; a frame the fd does not take (EAGAIN) waits, and the NIC with it.
 * Errors name the cause: /dev/net/tun missing or not permitted, a bad fd=,
 * a script that fails.
 */
#include "turtle/osdep.h"
#include "turtle/option.h"
#include "turtle/iov.h"
#include "sysemu/main-loop.h"
#include "net/net.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <net/if.h>
#include <linux/if_tun.h>

#define TAP_DEFAULT_SCRIPT      "/etc/qemu-ifup"
#define TAP_DEFAULT_DOWNSCRIPT  "/etc/qemu-ifdown"

typedef struct TAPState {
    NetClientState nc;
    int fd;
    size_t vnet_hdr_len;          /* 0, or the header in front of frames */
    bool read_blocked;            /* a frame waits at the peer */
    bool write_blocked;           /* the fd took nothing: wait for POLLOUT */
    char ifname[IFNAMSIZ];
    char *downscript;
} TAPState;

static void tap_update_fd(TAPState *s);

static void tap_sent(NetClientState *nc, ssize_t len)
{
    TAPState *s = (TAPState *)nc;

    s->read_blocked = false;
    tap_update_fd(s);
}

static void tap_read(void *opaque)
{
    TAPState *s = opaque;
    uint8_t buf[NET_MAX_FRAME + 16];

    /* a few frames per wake-up, then the rest of the loop runs */
    for (int i = 0; i < 64 && !s->read_blocked; i++) {
        ssize_t n = read(s->fd, buf, sizeof(buf));

        if (n <= (ssize_t)s->vnet_hdr_len) {
            if (n == 0) {
                /* the other end closed (a socket fd=): stop reading */
                qemu_set_fd_handler(s->fd, NULL, NULL, NULL);
            }
            return;
        }
        if (net_send_async(&s->nc, buf + s->vnet_hdr_len,
                           n - s->vnet_hdr_len, tap_sent) == 0) {
            s->read_blocked = true;
            tap_update_fd(s);
        }
    }
}

static void tap_write_ready(void *opaque)
{
    TAPState *s = opaque;

    s->write_blocked = false;
    tap_update_fd(s);
    net_flush_queued(&s->nc);
}

static void tap_update_fd(TAPState *s)
{
    qemu_set_fd_handler(s->fd, s->read_blocked ? NULL : tap_read,
                        s->write_blocked ? tap_write_ready : NULL, s);
}

static bool tap_can_receive(NetClientState *nc)
{
    return !((TAPState *)nc)->write_blocked;
}

static ssize_t tap_receive(NetClientState *nc, const struct iovec *iov,
                           int iovcnt)
{
    TAPState *s = (TAPState *)nc;
    uint8_t hdr[12] = { 0 };
    g_autofree struct iovec *v = g_new(struct iovec, iovcnt + 1);
    ssize_t n;

    v[0].iov_base = hdr;
    v[0].iov_len = s->vnet_hdr_len;
    memcpy(v + 1, iov, sizeof(*iov) * iovcnt);
    n = writev(s->fd, s->vnet_hdr_len ? v : v + 1,
               s->vnet_hdr_len ? iovcnt + 1 : iovcnt);
    if (n < 0 && errno == EAGAIN) {
        s->write_blocked = true;      /* kept by the core until POLLOUT */
        tap_update_fd(s);
        return 0;
    }
    return iov_size(iov, iovcnt);     /* written, or dropped on error */
}

static bool tap_run_script(const char *script, const char *ifname,
                           Error **errp)
{
    g_autoptr(GError) gerr = NULL;
    const char *argv[] = { script, ifname, NULL };
    int status;

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                      NULL, NULL, &status, &gerr)) {
        error_setg(errp, "could not launch network script %s: %s", script,
                   gerr->message);
        return false;
    }
    if (!g_spawn_check_wait_status(status, NULL)) {
        error_setg(errp, "network script %s failed with status %d", script,
                   status);
        return false;
    }
    return true;
}

static void tap_cleanup(NetClientState *nc)
{
    TAPState *s = (TAPState *)nc;

    if (s->fd >= 0) {
        qemu_set_fd_handler(s->fd, NULL, NULL, NULL);
        close(s->fd);
    }
    if (s->downscript) {
        Error *err = NULL;

        if (!tap_run_script(s->downscript, s->ifname, &err)) {
            warn_report("%s", error_get_pretty(err));
            error_free(err);
        }
        g_free(s->downscript);
    }
}

static const NetClientInfo net_tap_info = {
    .kind = "tap",
    .size = sizeof(TAPState),
    .receive = tap_receive,
    .can_receive = tap_can_receive,
    .cleanup = tap_cleanup,
};

/* Open /dev/net/tun as a TAP interface; the name it got in ifname. */
static int tap_open(char *ifname, bool vnet_hdr, Error **errp)
{
    struct ifreq ifr = { 0 };
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        error_setg(errp, "could not open /dev/net/tun: %s%s", strerror(errno),
                   errno == ENOENT ? " (no tun driver: modprobe tun)" :
                   errno == EACCES ? " (tap needs CAP_NET_ADMIN, or an fd= "
                   "from a privileged helper)" : "");
        return -1;
    }
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0);
    g_strlcpy(ifr.ifr_name, ifname, IFNAMSIZ);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        error_setg(errp, "could not configure /dev/net/tun (%s): %s",
                   *ifname ? ifname : "tap%d", strerror(errno));
        close(fd);
        return -1;
    }
    g_strlcpy(ifname, ifr.ifr_name, IFNAMSIZ);
    return fd;
}

bool net_init_tap(Opts *o, const char *id, const char *name,
                  NetClientState *peer, Error **errp)
{
    const char *ifname = opts_get(o, "ifname");
    const char *script = opts_get(o, "script");
    const char *downscript = opts_get(o, "downscript");
    const char *fd_s = opts_get(o, "fd");
    bool vnet_hdr = false;
    char ifn[IFNAMSIZ] = "";
    TAPState *s;
    int fd;

    if (!opts_get_bool(o, "vnet_hdr", &vnet_hdr, errp)) {
        return false;
    }
    if (opts_has(o, "queues") || opts_has(o, "fds") ||
        opts_has(o, "vhost") || opts_has(o, "helper")) {
        error_setg(errp, "tap: queues=, fds=, vhost= and helper= are not "
                   "supported yet");
        return false;
    }
    if (!opts_check_all_used(o, errp)) {
        return false;
    }
    if (ifname && strlen(ifname) >= IFNAMSIZ) {
        error_setg(errp, "tap: ifname '%s' is longer than %d characters",
                   ifname, IFNAMSIZ - 1);
        return false;
    }
    if (fd_s) {
        uint64_t v;

        if (ifname || script || downscript) {
            error_setg(errp, "tap: fd= cannot be used with ifname=, script= "
                       "or downscript=");
            return false;
        }
        if (!parse_uint64(fd_s, &v) || v > INT_MAX || fcntl(v, F_GETFD) < 0) {
            error_setg(errp, "tap: fd=%s is not an open file descriptor",
                       fd_s);
            return false;
        }
        fd = v;
        g_strlcpy(ifn, "fd", sizeof(ifn));
    } else {
        g_strlcpy(ifn, ifname ? ifname : "", sizeof(ifn));
        fd = tap_open(ifn, vnet_hdr, errp);
        if (fd < 0) {
            return false;
        }
        if (!script) {
            script = TAP_DEFAULT_SCRIPT;
        }
        if (!downscript) {
            downscript = TAP_DEFAULT_DOWNSCRIPT;
        }
        if (*script && strcmp(script, "no") &&
            !tap_run_script(script, ifn, errp)) {
            close(fd);
            return false;
        }
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (vnet_hdr) {
        int len = 12;

        /* the virtio 1 header; a socket fd= just carries it as data */
        ioctl(fd, TUNSETVNETHDRSZ, &len);
    }
    s = (TAPState *)net_client_new(&net_tap_info, peer, "tap", name);
    s->fd = fd;
    s->vnet_hdr_len = vnet_hdr ? 12 : 0;
    g_strlcpy(s->ifname, ifn, sizeof(s->ifname));
    if (!fd_s && downscript && *downscript && strcmp(downscript, "no")) {
        s->downscript = g_strdup(downscript);
    }
    net_client_set_info_str(&s->nc, "ifname=%s%s", s->ifname,
                            vnet_hdr ? ",vnet_hdr=on" : "");
    tap_update_fd(s);
    return true;
}
