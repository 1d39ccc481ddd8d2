/*
 * "socket": a TCP or Unix stream socket, as server or client.
 * Options:
 *   host=H,port=P     TCP (host defaults to all addresses for a server and
 *                     localhost for a client; port=0 with server=on picks a
 *                     free port, shown in the monitor's filename)
 *   ipv4=on, ipv6=on  restrict the address family
 *   nodelay=on        TCP_NODELAY on the connection
 *   path=P            Unix socket instead of TCP
 *   server=on|off     listen (default off: connect)
 *   wait=on|off       server only: block start-up until a client connects
 *                     (default on)
 *   reconnect=SECONDS client only: retry the connection this often after a
 *                     failure or a disconnect (default 0: a failed first
 *                     connection is an error, a disconnect is final)
 *   telnet=on         speak the telnet protocol (RFC 854): ask the client
 *                     for character mode with remote echo, strip commands
 *                     from the input (IAC BRK becomes a break), double 0xff
 *                     on output
 * A server serves one client at a time: further clients wait in the
 * listen backlog until the current one leaves (or is disconnected by the
 * front end, e.g. a monitor whose client does not read).  The front end receives
 * CHR_EVENT_OPENED on connection and CHR_EVENT_CLOSED on disconnection;
 * output while disconnected is dropped.
 */
#include "turtle/osdep.h"
#include "chardev/char-internal.h"
#include "sysemu/main-loop.h"
#include "turtle/option.h"

#include <fcntl.h>
#include <poll.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>

typedef struct SocketChardev {
    FDChardev parent_obj;
    int listen_fd;
    int connecting_fd;        /* non-blocking connect in progress */
    bool is_unix;
    bool is_server;
    bool nodelay;
    bool connected;
    bool telnet;
    int tn_state;             /* telnet input parser, TN_* */
    bool tn_cr;               /* last data byte was CR: drop a NUL after it */
    bool tn_iac_owed;         /* half of a doubled 0xff is still to send */
    char *unix_path;          /* server: unlinked on cleanup */
    GArray *addrs;            /* client: SockAddr to try, in order */
    guint addr_idx;           /* the one to try next */
    uint64_t reconnect_s;
    GSource *reconnect_src;
    GSource *hangup_src;
    char *desc;               /* "tcp:127.0.0.1:4444,server=on" */
} SocketChardev;

typedef struct SockAddr {
    struct sockaddr_storage ss;
    socklen_t len;
} SockAddr;

DECLARE_INSTANCE_CHECKER(SocketChardev, SOCKET_CHARDEV, TYPE_CHARDEV_SOCKET)

static void sock_listen_accept(void *opaque);
static void sock_try_connect(SocketChardev *s);

/* ---- telnet (RFC 854, options from RFC 857 and RFC 858) ---- */

#define TN_IAC   255
#define TN_DONT  254
#define TN_DO    253
#define TN_WONT  252
#define TN_WILL  251
#define TN_SB    250
#define TN_BRK   243
#define TN_SE    240
#define TN_OPT_ECHO 1
#define TN_OPT_SGA  3

enum { TN_DATA, TN_CMD, TN_OPTION, TN_SUBNEG, TN_SUBNEG_IAC };

/* Character mode: we echo, and nobody waits for go-ahead. */
static const uint8_t tn_greeting[] = {
    TN_IAC, TN_WILL, TN_OPT_ECHO,
    TN_IAC, TN_WILL, TN_OPT_SGA,
    TN_IAC, TN_DO, TN_OPT_SGA,
};

static int tn_filter(Chardev *chr, uint8_t *buf, int len)
{
    SocketChardev *s = SOCKET_CHARDEV(chr);
    int out = 0;

    for (int i = 0; i < len; i++) {
        uint8_t c = buf[i];

        switch (s->tn_state) {
        case TN_DATA:
            if (c == TN_IAC) {
                s->tn_state = TN_CMD;
            } else if (!(c == 0 && s->tn_cr)) {
                buf[out++] = c;     /* "CR NUL" is a bare CR */
            }
            s->tn_cr = c == '\r';
            break;
        case TN_CMD:
            s->tn_state = TN_DATA;
            if (c == TN_IAC) {
                buf[out++] = c;     /* IAC IAC: a 0xff data byte */
                s->tn_cr = false;
            } else if (c >= TN_WILL) {
                s->tn_state = TN_OPTION;
            } else if (c == TN_SB) {
                s->tn_state = TN_SUBNEG;
            } else if (c == TN_BRK) {
                qemu_chr_be_event(chr, CHR_EVENT_BREAK);
            }
            break;
        case TN_OPTION:
            s->tn_state = TN_DATA;  /* we do not negotiate further */
            break;
        case TN_SUBNEG:
            if (c == TN_IAC) {
                s->tn_state = TN_SUBNEG_IAC;
            }
            break;
        case TN_SUBNEG_IAC:
            s->tn_state = c == TN_SE ? TN_DATA : TN_SUBNEG;
            break;
        }
    }
    return out;
}

/* Send a few bytes completely (waiting a little if the socket is full). */
static bool sock_send_small(int fd, const uint8_t *buf, int len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };
            poll(&pfd, 1, 100);
            continue;
        }
        if (n < 0) {
            return false;
        }
        buf += n;
        len -= n;
    }
    return true;
}

static void sock_drop_source(GSource **src)
{
    if (*src) {
        g_source_destroy(*src);
        g_source_unref(*src);
        *src = NULL;
    }
}

static void sock_update_filename(SocketChardev *s, const char *peer)
{
    Chardev *chr = (Chardev *)s;

    g_free(chr->filename);
    if (peer) {
        chr->filename = g_strdup_printf("%s <-> %s", s->desc, peer);
    } else {
        chr->filename = g_strdup_printf("disconnected:%s", s->desc);
    }
}

static char *sock_addr_str(const struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (sa->sa_family == AF_UNIX) {
        /* a client socket is usually unnamed: only sun_family is set,
         * and sun_path holds len - offsetof(sun_path) bytes at most */
        size_t off = offsetof(struct sockaddr_un, sun_path);
        const char *path = ((const struct sockaddr_un *)sa)->sun_path;

        if (len <= off || !path[0]) {
            return g_strdup("unnamed");
        }
        return g_strndup(path, len - off);
    }
    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return g_strdup("?");
    }
    return sa->sa_family == AF_INET6 ? g_strdup_printf("[%s]:%s", host, serv)
                                     : g_strdup_printf("%s:%s", host, serv);
}

static void sock_connected(SocketChardev *s, int fd)
{
    Chardev *chr = (Chardev *)s;
    struct sockaddr_storage peer = { 0 };
    socklen_t plen = sizeof(peer);
    g_autofree char *peer_str = NULL;
    int one = 1;

    fd_set_nonblock(fd, true);
    if (s->nodelay && !s->is_unix) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    if (s->listen_fd >= 0) {
        /* one client at a time: the next one waits in the backlog */
        qemu_set_fd_handler(s->listen_fd, NULL, NULL, NULL);
    }
    if (getpeername(fd, (struct sockaddr *)&peer, &plen) == 0) {
        peer_str = sock_addr_str((struct sockaddr *)&peer, plen);
    }
    s->connected = true;
    sock_update_filename(s, peer_str ? peer_str : "?");
    s->tn_state = TN_DATA;
    s->tn_cr = false;
    s->tn_iac_owed = false;
    if (s->telnet) {
        sock_send_small(fd, tn_greeting, sizeof(tn_greeting));
    }
    fd_chr_attach(chr, fd, fd, true);
    qemu_chr_be_event(chr, CHR_EVENT_OPENED);
}

static gboolean sock_reconnect_timeout(gpointer opaque)
{
    SocketChardev *s = opaque;

    g_source_unref(s->reconnect_src);
    s->reconnect_src = NULL;
    sock_try_connect(s);
    return G_SOURCE_REMOVE;
}

static void sock_schedule_reconnect(SocketChardev *s)
{
    if (s->is_server || !s->reconnect_s || s->reconnect_src) {
        return;
    }
    s->reconnect_src = g_timeout_source_new(s->reconnect_s * 1000);
    g_source_set_callback(s->reconnect_src, sock_reconnect_timeout, s, NULL);
    g_source_attach(s->reconnect_src, main_loop_context());
}

static void sock_disconnect(SocketChardev *s)
{
    Chardev *chr = (Chardev *)s;

    if (!s->connected) {
        return;
    }
    s->connected = false;
    sock_drop_source(&s->hangup_src);   /* this connection is gone anyway */
    fd_chr_detach(chr);
    sock_update_filename(s, NULL);
    if (s->listen_fd >= 0) {
        qemu_set_fd_handler(s->listen_fd, sock_listen_accept, NULL, s);
    }
    qemu_chr_be_event(chr, CHR_EVENT_CLOSED);
    sock_schedule_reconnect(s);
}

static void sock_in_closed(Chardev *chr)
{
    sock_disconnect(SOCKET_CHARDEV(chr));
}

static gboolean sock_hangup_cb(gpointer opaque)
{
    SocketChardev *s = opaque;

    g_source_unref(s->hangup_src);
    s->hangup_src = NULL;
    sock_disconnect(s);
    return G_SOURCE_REMOVE;
}

static void sock_listen_accept(void *opaque)
{
    SocketChardev *s = opaque;
    int fd;

    if (s->connected) {
        qemu_set_fd_handler(s->listen_fd, NULL, NULL, NULL);
        return;
    }
    fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
        return;   /* EAGAIN, ECONNABORTED...: wait for the next one */
    }
    sock_connected(s, fd);
}

static void sock_connect_done(void *opaque)
{
    SocketChardev *s = opaque;
    int fd = s->connecting_fd, err = 0;
    socklen_t len = sizeof(err);

    qemu_set_fd_handler(fd, NULL, NULL, NULL);
    s->connecting_fd = -1;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
        close(fd);
        if (s->addr_idx) {
            sock_try_connect(s);        /* the next address of this round */
        } else {
            sock_schedule_reconnect(s);
        }
        return;
    }
    sock_connected(s, fd);
}

/*
 * Reconnection from the main loop: non-blocking, never stalls it.  Each
 * attempt tries the next address (a host name may have several); after a
 * full round without success, wait for the next period.
 */
static void sock_try_connect(SocketChardev *s)
{
    SockAddr *a;
    int fd;

    if (s->connected || s->connecting_fd >= 0) {
        return;
    }
    a = &g_array_index(s->addrs, SockAddr, s->addr_idx);
    s->addr_idx = (s->addr_idx + 1) % s->addrs->len;
    fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a->ss, a->len) == 0) {
        sock_connected(s, fd);
        return;
    }
    if (fd >= 0 && errno == EINPROGRESS) {
        s->connecting_fd = fd;
        qemu_set_fd_handler(fd, NULL, sock_connect_done, s);
        return;
    }
    if (fd >= 0) {
        close(fd);
    }
    if (s->addr_idx) {
        sock_try_connect(s);
    } else {
        sock_schedule_reconnect(s);
    }
}

/* Resolve host:port (or the unix path) into a list of addresses. */
static bool sock_resolve(Chardev *chr, Opts *opts, SocketChardev *s,
                         struct addrinfo **res, Error **errp)
{
    const char *host = opts_get(opts, "host");
    const char *port = opts_get(opts, "port");
    bool ipv4 = false, ipv6 = false;
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
    uint64_t portnum;
    int rc;

    if (!opts_get_bool(opts, "ipv4", &ipv4, errp) ||
        !opts_get_bool(opts, "ipv6", &ipv6, errp)) {
        return false;
    }
    if (!port) {
        error_setg(errp, "chardev '%s': socket needs port= (TCP) or path= "
                   "(Unix)", chr->label);
        return false;
    }
    if (!parse_uint64(port, &portnum) || portnum > 65535 ||
        (portnum == 0 && !s->is_server)) {
        error_setg(errp, "chardev '%s': bad port '%s': expected a number "
                   "from %d to 65535", chr->label, port, s->is_server ? 0 : 1);
        return false;
    }
    if (ipv4 && ipv6) {
        error_setg(errp, "chardev '%s': ipv4=on and ipv6=on exclude each "
                   "other", chr->label);
        return false;
    }
    hints.ai_family = ipv4 ? AF_INET : ipv6 ? AF_INET6 : AF_UNSPEC;
    hints.ai_flags = AI_NUMERICSERV | (s->is_server ? AI_PASSIVE : 0);
    if (host && !*host) {
        host = NULL;
    }
    rc = getaddrinfo(host, port, &hints, res);
    if (rc) {
        error_setg(errp, "chardev '%s': cannot resolve '%s:%s': %s",
                   chr->label, host ? host : "", port, gai_strerror(rc));
        return false;
    }
    return true;
}

static bool sock_listen(Chardev *chr, SocketChardev *s, Opts *opts,
                        Error **errp)
{
    struct sockaddr_storage bound;
    socklen_t blen = sizeof(bound);
    g_autofree char *where = NULL;
    int fd = -1, err = 0, one = 1;

    if (s->is_unix) {
        struct sockaddr_un sun = { .sun_family = AF_UNIX };
        if (strlen(s->unix_path) >= sizeof(sun.sun_path)) {
            error_setg(errp, "chardev '%s': socket path too long",
                       chr->label);
            return false;
        }
        strcpy(sun.sun_path, s->unix_path);
        unlink(s->unix_path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
            err = errno;
            if (fd >= 0) {
                close(fd);
            }
            fd = -1;
        }
    } else {
        struct addrinfo *res, *ai;
        if (!sock_resolve(chr, opts, s, &res, errp)) {
            return false;
        }
        for (ai = res; ai; ai = ai->ai_next) {
            fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                err = errno;
                continue;
            }
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
            if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
                break;
            }
            err = errno;
            close(fd);
            fd = -1;
        }
        freeaddrinfo(res);
    }
    if (fd < 0 || listen(fd, 1) < 0) {
        error_setg_errno(errp, fd < 0 ? err : errno, "chardev '%s': cannot "
                         "listen on %s%s", chr->label,
                         s->is_unix ? "unix:" : "port ",
                         s->is_unix ? s->unix_path : opts_get(opts, "port"));
        if (fd >= 0) {
            close(fd);
        }
        return false;
    }
    fd_set_nonblock(fd, true);
    s->listen_fd = fd;
    getsockname(fd, (struct sockaddr *)&bound, &blen);
    where = sock_addr_str((struct sockaddr *)&bound, blen);
    s->desc = g_strdup_printf("%s:%s,server=on", s->is_unix ? "unix" :
                              s->telnet ? "telnet" : "tcp", where);
    return true;
}

static bool sock_client_addr(Chardev *chr, SocketChardev *s, Opts *opts,
                             Error **errp)
{
    SockAddr a = { .len = 0 };

    s->addrs = g_array_new(FALSE, TRUE, sizeof(SockAddr));
    if (s->is_unix) {
        struct sockaddr_un *sun = (struct sockaddr_un *)&a.ss;
        if (strlen(s->unix_path) >= sizeof(sun->sun_path)) {
            error_setg(errp, "chardev '%s': socket path too long", chr->label);
            return false;
        }
        sun->sun_family = AF_UNIX;
        strcpy(sun->sun_path, s->unix_path);
        a.len = sizeof(*sun);
        g_array_append_val(s->addrs, a);
        s->desc = g_strdup_printf("unix:%s", s->unix_path);
    } else {
        const char *host = opts_get(opts, "host");
        struct addrinfo *res;
        if (!sock_resolve(chr, opts, s, &res, errp)) {
            return false;
        }
        for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
            memcpy(&a.ss, ai->ai_addr, ai->ai_addrlen);
            a.len = ai->ai_addrlen;
            g_array_append_val(s->addrs, a);
        }
        freeaddrinfo(res);
        s->desc = g_strdup_printf("%s:%s:%s", s->telnet ? "telnet" : "tcp",
                                  host && *host ? host : "localhost",
                                  opts_get(opts, "port"));
    }
    return true;
}

/* The first connection of a client without reconnect=: blocking, and a
 * failure is an error. */
static bool sock_connect_now(Chardev *chr, SocketChardev *s, Error **errp)
{
    int err = 0;

    for (guint i = 0; i < s->addrs->len; i++) {
        SockAddr *a = &g_array_index(s->addrs, SockAddr, i);
        int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&a->ss, a->len) == 0) {
            s->addr_idx = i;
            sock_connected(s, fd);
            return true;
        }
        err = errno;
        if (fd >= 0) {
            close(fd);
        }
    }
    error_setg_errno(errp, err, "chardev '%s': cannot connect to %s",
                     chr->label, s->desc);
    return false;
}

static bool sock_chr_open(Chardev *chr, Opts *opts, bool *be_opened,
                          Error **errp)
{
    SocketChardev *s = SOCKET_CHARDEV(chr);
    const char *path = opts_get(opts, "path");
    bool wait = true, nowait = false;
    int fd;

    *be_opened = false;
    FD_CHARDEV(chr)->in_closed = sock_in_closed;
    if (!opts_get_bool(opts, "server", &s->is_server, errp) ||
        !opts_get_bool(opts, "wait", &wait, errp) ||
        !opts_get_bool(opts, "nowait", &nowait, errp) ||
        !opts_get_bool(opts, "nodelay", &s->nodelay, errp) ||
        !opts_get_bool(opts, "telnet", &s->telnet, errp) ||
        !opts_get_uint(opts, "reconnect", &s->reconnect_s, errp)) {
        return false;
    }
    if (s->telnet) {
        FD_CHARDEV(chr)->in_filter = tn_filter;
    }
    if (path && (opts_has(opts, "host") || opts_has(opts, "port"))) {
        error_setg(errp, "chardev '%s': give either path= (Unix) or "
                   "host=/port= (TCP), not both", chr->label);
        return false;
    }
    if (s->is_server && s->reconnect_s) {
        error_setg(errp, "chardev '%s': reconnect= is for clients only",
                   chr->label);
        return false;
    }
    if (nowait) {
        wait = false;       /* the old spelling of wait=off */
    }
    if (!s->is_server && (opts_has(opts, "wait") || nowait)) {
        error_setg(errp, "chardev '%s': wait= is for servers only",
                   chr->label);
        return false;
    }
    if (path && !*path) {
        error_setg(errp, "chardev '%s': empty socket path", chr->label);
        return false;
    }
    s->is_unix = path != NULL;
    s->unix_path = g_strdup(path);

    if (!s->is_server) {
        if (!sock_client_addr(chr, s, opts, errp) ||
            !opts_check_all_used(opts, errp)) {
            return false;
        }
        sock_update_filename(s, NULL);
        if (s->reconnect_s) {
            sock_try_connect(s);   /* failing now is fine: retried */
            return true;
        }
        return sock_connect_now(chr, s, errp);
    }

    /* leave nothing unchecked before blocking in accept() */
    if (!sock_listen(chr, s, opts, errp) || !opts_check_all_used(opts, errp)) {
        return false;
    }
    sock_update_filename(s, NULL);
    if (wait) {
        info_report("info: waiting for connection on: %s", chr->filename);
        fd_set_nonblock(s->listen_fd, false);
        do {
            fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        } while (fd < 0 && errno == EINTR);
        if (fd < 0) {
            error_setg_errno(errp, errno, "chardev '%s': accept failed",
                             chr->label);
            return false;
        }
        fd_set_nonblock(s->listen_fd, true);
        sock_connected(s, fd);
    } else {
        qemu_set_fd_handler(s->listen_fd, sock_listen_accept, NULL, s);
    }
    return true;
}

/* The peer is gone or must go: tell the front end from the main loop,
 * never from inside its own call (its event handler may write again). */
static void sock_schedule_hangup(SocketChardev *s)
{
    if (!s->hangup_src) {
        s->hangup_src = g_idle_source_new();
        g_source_set_callback(s->hangup_src, sock_hangup_cb, s, NULL);
        g_source_attach(s->hangup_src, main_loop_context());
    }
}

static ssize_t sock_send(SocketChardev *s, const uint8_t *buf, int len)
{
    return send(FD_CHARDEV(s)->fd_out, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* Never blocks: a full socket buffer is a short count (0). */
static int sock_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    SocketChardev *s = SOCKET_CHARDEV(chr);
    ssize_t n;

    if (!s->connected) {
        return len;     /* nobody there: dropped */
    }
    if (s->telnet) {
        static const uint8_t iac2[2] = { TN_IAC, TN_IAC };
        const uint8_t *iac;

        if (s->tn_iac_owed) {
            /* the second half of a doubled 0xff that did not fit */
            n = sock_send(s, iac2, 1);
            if (n <= 0) {
                goto check;
            }
            s->tn_iac_owed = false;
        }
        iac = memchr(buf, TN_IAC, len);
        if (iac == buf) {
            /* a 0xff data byte goes out doubled */
            n = sock_send(s, iac2, 2);
            if (n == 1) {
                s->tn_iac_owed = true;
            }
            if (n > 0) {
                return 1;
            }
            goto check;
        } else if (iac) {
            len = iac - buf;
        }
    }
    n = sock_send(s, buf, len);
check:
    if (n >= 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        return n < 0 ? 0 : n;
    }
    sock_schedule_hangup(s);
    return len;
}

/* Drop the client (a monitor whose client does not read). */
static bool sock_chr_disconnect(Chardev *chr)
{
    SocketChardev *s = SOCKET_CHARDEV(chr);

    if (!s->connected) {
        return false;
    }
    sock_schedule_hangup(s);
    return true;
}

static void sock_chr_cleanup(Chardev *chr)
{
    SocketChardev *s = SOCKET_CHARDEV(chr);

    fd_chr_detach(chr);
    s->connected = false;
    sock_drop_source(&s->reconnect_src);
    sock_drop_source(&s->hangup_src);
    if (s->connecting_fd >= 0) {
        qemu_set_fd_handler(s->connecting_fd, NULL, NULL, NULL);
        close(s->connecting_fd);
        s->connecting_fd = -1;
    }
    if (s->listen_fd >= 0) {
        qemu_set_fd_handler(s->listen_fd, NULL, NULL, NULL);
        close(s->listen_fd);
        s->listen_fd = -1;
        if (s->is_unix && s->unix_path) {
            unlink(s->unix_path);
        }
    }
    g_free(s->unix_path);
    s->unix_path = NULL;
    g_free(s->desc);
    s->desc = NULL;
    if (s->addrs) {
        g_array_free(s->addrs, TRUE);
        s->addrs = NULL;
    }
}

void socket_chr_unlink(Chardev *chr)
{
    SocketChardev *s = SOCKET_CHARDEV(chr);

    if (s->listen_fd >= 0 && s->is_unix && s->unix_path) {
        unlink(s->unix_path);
    }
}

static void sock_chr_instance_init(Object *obj)
{
    SocketChardev *s = SOCKET_CHARDEV(obj);

    s->listen_fd = -1;
    s->connecting_fd = -1;
}

static void sock_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->backend_name = "socket";
    cc->help = "host=H,port=P | path=P [,server=on][,wait=off][,nodelay=on]"
               "[,reconnect=SECONDS][,ipv4=on|ipv6=on][,telnet=on]";
    cc->open = sock_chr_open;
    cc->chr_write = sock_chr_write;
    cc->chr_disconnect = sock_chr_disconnect;
    cc->chr_cleanup = sock_chr_cleanup;
}

static const TypeInfo socket_chr_types[] = {
    {
        .name = TYPE_CHARDEV_SOCKET,
        .parent = TYPE_CHARDEV_FD,
        .instance_size = sizeof(SocketChardev),
        .instance_init = sock_chr_instance_init,
        .class_init = sock_chr_class_init,
    },
};

DEFINE_TYPES(socket_chr_types)
