/*
 * Socket back ends: frames over a host socket, to another Turtle or QEMU.
 *
 *   -netdev stream,id=ID,server=on|off,addr.type=inet,addr.host=H,addr.port=P
 *   -netdev stream,id=ID,server=on|off,addr.type=unix,addr.path=PATH
 *   -netdev dgram,id=ID,remote.type=inet,remote.host=H,remote.port=P
 *           [,local.type=inet,local.host=H,local.port=P]   (or unix paths)
 *   -netdev socket,id=ID,listen=[H]:P | connect=H:P | udp=H:P,localaddr=H:P
 *           | fd=N
 *
 * A stream carries each frame behind its length (4 bytes, big-endian), as
 * QEMU's; a datagram is one frame.  A server takes one client at a time
 * and listens again when it leaves; a client connects at start-up (an
 * error if nobody listens).
 *
 * Flow: frames read from the socket go to the peer with net_send_async();
 * when the peer queues one (a NIC without buffers), reading stops until
 * the frame is delivered, so the kernel's socket buffer and then the
 * other side wait: nothing is dropped.  Frames to the socket that do not
 * fit its buffer wait in ours; meanwhile can_receive() says no, so the NIC
 * keeps its next frames.  A stream announcing a frame longer than 64 KiB
 * is broken: the connection is closed (logged).
 */
#include "turtle/osdep.h"
#include "turtle/option.h"
#include "turtle/iov.h"
#include "turtle/bswap.h"
#include "sysemu/main-loop.h"
#include "net/net.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netdb.h>
#include <fcntl.h>

typedef struct NetSocketState {
    NetClientState nc;
    bool dgram;
    int listen_fd;                /* stream server, -1 otherwise */
    int fd;                       /* the connection / datagram socket */
    struct sockaddr_storage dst;  /* dgram: where frames go */
    socklen_t dst_len;
    GByteArray *in;               /* stream bytes read, not yet sent on */
    GByteArray *out;              /* bytes for the socket it did not take */
    bool read_blocked;            /* a frame waits at the peer */
} NetSocketState;

static void net_socket_update_fd(NetSocketState *s);

static bool socket_set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0;
}

/* ---- connection life ---- */

static void net_socket_accept(void *opaque);

static void net_socket_disconnect(NetSocketState *s, const char *why)
{
    if (s->fd < 0) {
        return;
    }
    if (why) {
        warn_report("netdev %s: %s", s->nc.name, why);
    }
    qemu_set_fd_handler(s->fd, NULL, NULL, NULL);
    close(s->fd);
    s->fd = -1;
    g_byte_array_set_size(s->in, 0);
    g_byte_array_set_size(s->out, 0);
    s->read_blocked = false;
    if (s->listen_fd >= 0) {
        qemu_set_fd_handler(s->listen_fd, net_socket_accept, NULL, s);
        net_client_set_info_str(&s->nc, "listening");
    } else {
        net_client_set_info_str(&s->nc, "disconnected");
    }
    /* frames the NIC queued for us are for a peer that is gone */
    net_flush_queued(&s->nc);
}

static void net_socket_connected(NetSocketState *s, int fd)
{
    int one = 1;

    s->fd = fd;
    socket_set_nonblock(fd);
    if (!s->dgram) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    net_socket_update_fd(s);
    net_flush_queued(&s->nc);
}

static void net_socket_accept(void *opaque)
{
    NetSocketState *s = opaque;
    int fd = accept(s->listen_fd, NULL, NULL);

    if (fd < 0) {
        return;
    }
    if (s->fd >= 0) {
        close(fd);                /* one client at a time */
        return;
    }
    qemu_set_fd_handler(s->listen_fd, NULL, NULL, NULL);
    net_client_set_info_str(&s->nc, "connected");
    net_socket_connected(s, fd);
}

/* ---- socket -> peer ---- */

static void net_socket_sent(NetClientState *nc, ssize_t len)
{
    NetSocketState *s = (NetSocketState *)nc;

    s->read_blocked = false;
    net_socket_update_fd(s);
}

/* Send on what s->in holds; false when a frame had to wait. */
static bool net_socket_parse_stream(NetSocketState *s)
{
    while (s->in->len >= 4) {
        uint32_t len = ld32_be_p(s->in->data);

        if (len > NET_MAX_FRAME || len == 0) {
            net_socket_disconnect(s, "a stream frame of bad length: "
                                  "connection closed");
            return true;
        }
        if (s->in->len < 4 + len) {
            break;
        }
        if (net_send_async(&s->nc, s->in->data + 4, len,
                           net_socket_sent) == 0) {
            s->read_blocked = true;
        }
        g_byte_array_remove_range(s->in, 0, 4 + len);
        if (s->read_blocked) {
            return false;
        }
    }
    return true;
}

static void net_socket_read(void *opaque)
{
    NetSocketState *s = opaque;
    uint8_t buf[NET_MAX_FRAME];
    ssize_t n;

    if (s->dgram) {
        n = recv(s->fd, buf, sizeof(buf), 0);
        if (n > 0 && net_send_async(&s->nc, buf, n, net_socket_sent) == 0) {
            s->read_blocked = true;
            net_socket_update_fd(s);
        }
        return;
    }
    n = read(s->fd, buf, sizeof(buf));
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        net_socket_disconnect(s, n == 0 ? NULL : strerror(errno));
        return;
    }
    if (n > 0) {
        g_byte_array_append(s->in, buf, n);
        if (!net_socket_parse_stream(s)) {
            net_socket_update_fd(s);
        }
    }
}

/* ---- peer -> socket ---- */

static void net_socket_write(void *opaque)
{
    NetSocketState *s = opaque;
    ssize_t n = write(s->fd, s->out->data, s->out->len);

    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) {
            net_socket_disconnect(s, strerror(errno));
        }
        return;
    }
    g_byte_array_remove_range(s->out, 0, n);
    if (s->out->len == 0) {
        net_socket_update_fd(s);
        net_flush_queued(&s->nc);
    }
}

static void net_socket_update_fd(NetSocketState *s)
{
    if (s->fd < 0) {
        return;
    }
    if (!s->read_blocked && !s->dgram && s->in->len) {
        /* a frame waited: what came behind it goes first (this may block
         * again, or close a broken stream) */
        net_socket_parse_stream(s);
        if (s->fd < 0) {
            return;
        }
    }
    qemu_set_fd_handler(s->fd, s->read_blocked ? NULL : net_socket_read,
                        s->out->len ? net_socket_write : NULL, s);
}

static bool net_socket_can_receive(NetClientState *nc)
{
    NetSocketState *s = (NetSocketState *)nc;

    /* not connected: frames are dropped in receive(), as on a loose cable */
    return s->fd < 0 || s->out->len == 0;
}

static ssize_t net_socket_receive(NetClientState *nc, const struct iovec *iov,
                                  int iovcnt)
{
    NetSocketState *s = (NetSocketState *)nc;
    size_t size = iov_size(iov, iovcnt);
    uint8_t hdr[4];
    ssize_t n;
    g_autofree uint8_t *frame = NULL;

    if (s->fd < 0) {
        return size;
    }
    frame = g_malloc(size);
    iov_to_buf(iov, iovcnt, 0, frame, size);
    if (s->dgram) {
        /* sent, or dropped as a full UDP socket would */
        n = s->dst_len ? sendto(s->fd, frame, size, 0,
                                (struct sockaddr *)&s->dst, s->dst_len)
                       : send(s->fd, frame, size, 0);
        (void)n;
        return size;
    }
    st32_be_p(hdr, size);
    g_byte_array_append(s->out, hdr, 4);
    g_byte_array_append(s->out, frame, size);
    net_socket_write(s);
    if (s->fd >= 0 && s->out->len) {
        net_socket_update_fd(s);
    }
    return size;
}

static void net_socket_cleanup(NetClientState *nc)
{
    NetSocketState *s = (NetSocketState *)nc;

    if (s->fd >= 0) {
        qemu_set_fd_handler(s->fd, NULL, NULL, NULL);
        close(s->fd);
    }
    if (s->listen_fd >= 0) {
        qemu_set_fd_handler(s->listen_fd, NULL, NULL, NULL);
        close(s->listen_fd);
    }
    g_byte_array_free(s->in, true);
    g_byte_array_free(s->out, true);
}

static const NetClientInfo net_stream_info = {
    .kind = "stream",
    .size = sizeof(NetSocketState),
    .receive = net_socket_receive,
    .can_receive = net_socket_can_receive,
    .cleanup = net_socket_cleanup,
};

static const NetClientInfo net_dgram_info = {
    .kind = "dgram",
    .size = sizeof(NetSocketState),
    .receive = net_socket_receive,
    .cleanup = net_socket_cleanup,
};

static NetSocketState *net_socket_new(bool dgram, NetClientState *peer,
                                      const char *name)
{
    NetSocketState *s = (NetSocketState *)net_client_new(
        dgram ? &net_dgram_info : &net_stream_info, peer,
        dgram ? "dgram" : "stream", name);

    s->dgram = dgram;
    s->fd = s->listen_fd = -1;
    s->in = g_byte_array_new();
    s->out = g_byte_array_new();
    return s;
}

/* ---- addresses ---- */

typedef struct NetAddr {
    struct sockaddr_storage ss;
    socklen_t len;
    char *desc;
} NetAddr;

static bool net_addr_inet(const char *host, const char *port, bool passive,
                          int socktype, NetAddr *a, Error **errp)
{
    struct addrinfo hints = {
        .ai_family = AF_INET, .ai_socktype = socktype,
        .ai_flags = passive ? AI_PASSIVE : 0,
    };
    struct addrinfo *res;
    int rc;

    if (!port || !*port) {
        error_setg(errp, "a port is required");
        return false;
    }
    rc = getaddrinfo(host && *host ? host : NULL, port, &hints, &res);
    if (rc) {
        error_setg(errp, "address '%s:%s': %s", host ? host : "", port,
                   gai_strerror(rc));
        return false;
    }
    memcpy(&a->ss, res->ai_addr, res->ai_addrlen);
    a->len = res->ai_addrlen;
    a->desc = g_strdup_printf("%s:%s", host && *host ? host : "0.0.0.0",
                              port);
    freeaddrinfo(res);
    return true;
}

static bool net_addr_unix(const char *path, NetAddr *a, Error **errp)
{
    struct sockaddr_un *un = (struct sockaddr_un *)&a->ss;

    if (!path || !*path || strlen(path) >= sizeof(un->sun_path)) {
        error_setg(errp, "a unix socket path (shorter than %zu bytes) is "
                   "required", sizeof(un->sun_path));
        return false;
    }
    memset(un, 0, sizeof(*un));
    un->sun_family = AF_UNIX;
    strcpy(un->sun_path, path);
    a->len = sizeof(*un);
    a->desc = g_strdup_printf("unix:%s", path);
    return true;
}

/* PREFIX.type=inet|unix with PREFIX.host/.port or PREFIX.path */
static bool net_addr_opts(Opts *o, const char *prefix, bool passive,
                          int socktype, NetAddr *a, Error **errp)
{
    g_autofree char *k_type = g_strdup_printf("%s.type", prefix);
    g_autofree char *k_host = g_strdup_printf("%s.host", prefix);
    g_autofree char *k_port = g_strdup_printf("%s.port", prefix);
    g_autofree char *k_path = g_strdup_printf("%s.path", prefix);
    const char *type = opts_get(o, k_type);

    if (!type) {
        error_setg(errp, "Parameter '%s' is missing (inet or unix)", k_type);
        return false;
    }
    if (!strcmp(type, "inet")) {
        return net_addr_inet(opts_get(o, k_host), opts_get(o, k_port),
                             passive, socktype, a, errp);
    }
    if (!strcmp(type, "unix")) {
        return net_addr_unix(opts_get(o, k_path), a, errp);
    }
    error_setg(errp, "Parameter '%s' expects inet or unix, not '%s'", k_type,
               type);
    return false;
}

/* "[host]:port" */
static bool net_addr_hostport(const char *str, bool passive, int socktype,
                              NetAddr *a, Error **errp)
{
    const char *colon = strrchr(str, ':');
    g_autofree char *host = NULL;

    if (!colon) {
        error_setg(errp, "'%s': expected [HOST]:PORT", str);
        return false;
    }
    host = g_strndup(str, colon - str);
    return net_addr_inet(host, colon + 1, passive, socktype, a, errp);
}

/* ---- set-up ---- */

static int net_socket_listen(NetAddr *a, Error **errp)
{
    int one = 1;
    int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0) {
        error_setg(errp, "socket: %s", strerror(errno));
        return -1;
    }
    if (a->ss.ss_family == AF_UNIX) {
        unlink(((struct sockaddr_un *)&a->ss)->sun_path);
    } else {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    }
    if (bind(fd, (struct sockaddr *)&a->ss, a->len) < 0 || listen(fd, 1) < 0) {
        error_setg(errp, "cannot listen on %s: %s", a->desc, strerror(errno));
        close(fd);
        return -1;
    }
    socket_set_nonblock(fd);
    return fd;
}

static int net_socket_connect(NetAddr *a, Error **errp)
{
    int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0 || connect(fd, (struct sockaddr *)&a->ss, a->len) < 0) {
        error_setg(errp, "cannot connect to %s: %s", a->desc,
                   strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

static bool net_stream_start(NetAddr *a, bool server, const char *name,
                             NetClientState *peer, Error **errp)
{
    NetSocketState *s;
    int fd = server ? net_socket_listen(a, errp) : net_socket_connect(a, errp);

    if (fd < 0) {
        return false;
    }
    s = net_socket_new(false, peer, name);
    if (server) {
        s->listen_fd = fd;
        qemu_set_fd_handler(fd, net_socket_accept, NULL, s);
        net_client_set_info_str(&s->nc, "listening on %s", a->desc);
    } else {
        net_client_set_info_str(&s->nc, "connected to %s", a->desc);
        net_socket_connected(s, fd);
    }
    return true;
}

static bool net_dgram_start(NetAddr *local, NetAddr *remote, const char *name,
                            NetClientState *peer, Error **errp)
{
    int family = remote->ss.ss_family;
    int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    NetSocketState *s;
    int one = 1;

    if (fd < 0) {
        error_setg(errp, "socket: %s", strerror(errno));
        return false;
    }
    if (local->len) {
        if (family == AF_UNIX) {
            unlink(((struct sockaddr_un *)&local->ss)->sun_path);
        } else {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        }
        if (bind(fd, (struct sockaddr *)&local->ss, local->len) < 0) {
            error_setg(errp, "cannot bind %s: %s", local->desc,
                       strerror(errno));
            close(fd);
            return false;
        }
    }
    s = net_socket_new(true, peer, name);
    s->dst = remote->ss;
    s->dst_len = remote->len;
    net_client_set_info_str(&s->nc, "%s%s%s", local->desc ? local->desc : "",
                            local->desc ? " -> " : "-> ", remote->desc);
    net_socket_connected(s, fd);
    return true;
}

static void net_addr_clear(NetAddr *a)
{
    g_free(a->desc);
}

/* -netdev stream */
bool net_init_stream(Opts *o, const char *id, const char *name,
                     NetClientState *peer, Error **errp)
{
    NetAddr a = { 0 };
    bool server = false, ok;

    if (!opts_get_bool(o, "server", &server, errp) ||
        !net_addr_opts(o, "addr", server, SOCK_STREAM, &a, errp)) {
        net_addr_clear(&a);
        return false;
    }
    ok = opts_check_all_used(o, errp) &&
         net_stream_start(&a, server, name, peer, errp);
    net_addr_clear(&a);
    return ok;
}

/* -netdev dgram */
bool net_init_dgram(Opts *o, const char *id, const char *name,
                    NetClientState *peer, Error **errp)
{
    NetAddr local = { 0 }, remote = { 0 };
    bool ok = net_addr_opts(o, "remote", false, SOCK_DGRAM, &remote, errp) &&
              (!opts_has(o, "local.type") ||
               net_addr_opts(o, "local", true, SOCK_DGRAM, &local, errp)) &&
              opts_check_all_used(o, errp);

    if (ok && local.len && local.ss.ss_family != remote.ss.ss_family) {
        error_setg(errp, "local and remote must be of the same type");
        ok = false;
    }
    ok = ok && net_dgram_start(&local, &remote, name, peer, errp);
    net_addr_clear(&local);
    net_addr_clear(&remote);
    return ok;
}

/* -netdev socket (QEMU's older syntax) */
bool net_init_socket(Opts *o, const char *id, const char *name,
                     NetClientState *peer, Error **errp)
{
    const char *listen_s = opts_get(o, "listen");
    const char *connect_s = opts_get(o, "connect");
    const char *udp = opts_get(o, "udp");
    const char *localaddr = opts_get(o, "localaddr");
    const char *fd_s = opts_get(o, "fd");
    NetAddr a = { 0 }, local = { 0 };
    bool ok;

    if (opts_has(o, "mcast")) {
        error_setg(errp, "Parameter 'mcast' is not supported (use dgram "
                   "or udp=)");
        return false;
    }
    if (!!listen_s + !!connect_s + !!udp + !!fd_s != 1) {
        error_setg(errp, "exactly one of listen=, connect=, udp= or fd= is "
                   "required");
        return false;
    }
    if (!opts_check_all_used(o, errp)) {
        return false;
    }
    if (fd_s) {
        uint64_t fd;
        int type;
        socklen_t tl = sizeof(type);
        NetSocketState *s;

        if (!parse_uint64(fd_s, &fd) || fd > INT_MAX ||
            getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) < 0 ||
            (type != SOCK_STREAM && type != SOCK_DGRAM)) {
            error_setg(errp, "fd=%s is not an open stream or datagram "
                       "socket", fd_s);
            return false;
        }
        s = net_socket_new(type == SOCK_DGRAM, peer, name);
        if (type == SOCK_DGRAM) {
            /* a connected datagram socket: send to its peer */
            s->dst_len = sizeof(s->dst);
            if (getpeername(fd, (struct sockaddr *)&s->dst,
                            &s->dst_len) < 0) {
                s->dst_len = 0;
            }
        }
        net_client_set_info_str(&s->nc, "fd=%s", fd_s);
        net_socket_connected(s, fd);
        return true;
    }
    if (udp) {
        ok = net_addr_hostport(udp, false, SOCK_DGRAM, &a, errp) &&
             (!localaddr || net_addr_hostport(localaddr, true, SOCK_DGRAM,
                                              &local, errp)) &&
             net_dgram_start(&local, &a, name, peer, errp);
    } else {
        ok = net_addr_hostport(listen_s ? listen_s : connect_s, !!listen_s,
                               SOCK_STREAM, &a, errp) &&
             net_stream_start(&a, !!listen_s, name, peer, errp);
    }
    net_addr_clear(&a);
    net_addr_clear(&local);
    return ok;
}
