/*
 * The "user" back end: a NAT'ed network in the process, on libslirp.
 *
 *   -netdev user,id=ID[,net=ADDR[/MASK]][,host=ADDR][,dhcpstart=ADDR]
 *           [,dns=ADDR][,ipv4=on|off][,ipv6=on|off][,ipv6-net=ADDR/LEN]
 *           [,ipv6-host=ADDR][,ipv6-dns=ADDR][,restrict=on|off]
 *           [,hostname=NAME][,domainname=NAME][,dnssearch=DOMAIN...]
 *           [,tftp=DIR][,tftp-server-name=NAME][,bootfile=FILE]
 *           [,hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT...]
 *           [,guestfwd=[tcp]:[SERVER]:PORT-DEV|cmd:COMMAND...]
 *
 * Defaults as QEMU's: network 10.0.2.0/24, the host (gateway) at .2, the
 * DNS proxy at .3, DHCP leases from .15; IPv6 fec0::/64.  hostfwd and
 * guestfwd may be repeated.  A hostfwd whose host port cannot be bound is
 * an error naming the rule (and errno), at start-up or from the monitor.
 *
 * libslirp runs on our main loop: a GSource per instance asks slirp which
 * sockets to poll before each poll (slirp_pollfds_fill) and hands it the
 * results after (slirp_pollfds_poll); its timers are QEMU_CLOCK_REALTIME
 * timers (the host's TCP connections keep time while the guest is paused).
 * Frames for the guest go through net_send(): slirp cannot be told to wait,
 * so a guest that takes none has them queued up to the queue limit.
 */
#include "turtle/osdep.h"
#include "turtle/option.h"
#include "turtle/log.h"
#include "turtle/iov.h"
#include "turtle/timer.h"
#include "sysemu/main-loop.h"
#include "chardev/char.h"
#include "net/net.h"
#include "net/slirp.h"
#include <arpa/inet.h>
#include <slirp/libslirp.h>

typedef struct SlirpGuestFwd {
    struct SlirpState *s;
    CharBackend chr;
    struct in_addr server;
    int port;
} SlirpGuestFwd;

typedef struct SlirpState {
    NetClientState nc;
    Slirp *slirp;
    GSource *source;
    GArray *pollfds;              /* of GPollFD*, given to the source */
    GList *guestfwds;             /* of SlirpGuestFwd* */
    char *hostfwd_rules;          /* for "info network" */
} SlirpState;

static GList *slirp_stacks;

typedef struct SlirpSource {
    GSource source;
    SlirpState *s;
} SlirpSource;

/* ---- main loop ---- */

static void slirp_drop_polls(SlirpState *s)
{
    for (guint i = 0; i < s->pollfds->len; i++) {
        GPollFD *pfd = g_array_index(s->pollfds, GPollFD *, i);

        g_source_remove_poll(s->source, pfd);
        g_free(pfd);
    }
    g_array_set_size(s->pollfds, 0);
}

static int slirp_poll_to_gio(int events)
{
    return (events & SLIRP_POLL_IN ? G_IO_IN : 0) |
           (events & SLIRP_POLL_OUT ? G_IO_OUT : 0) |
           (events & SLIRP_POLL_PRI ? G_IO_PRI : 0) |
           (events & SLIRP_POLL_ERR ? G_IO_ERR : 0) |
           (events & SLIRP_POLL_HUP ? G_IO_HUP : 0);
}

static int slirp_add_poll_cb(int fd, int events, void *opaque)
{
    SlirpState *s = opaque;
    GPollFD *pfd = g_new0(GPollFD, 1);

    pfd->fd = fd;
    pfd->events = slirp_poll_to_gio(events);
    g_array_append_val(s->pollfds, pfd);
    return s->pollfds->len - 1;
}

static int slirp_get_revents_cb(int idx, void *opaque)
{
    SlirpState *s = opaque;
    int rev;

    if (idx < 0 || (guint)idx >= s->pollfds->len) {
        return 0;
    }
    rev = g_array_index(s->pollfds, GPollFD *, idx)->revents;
    return (rev & G_IO_IN ? SLIRP_POLL_IN : 0) |
           (rev & G_IO_OUT ? SLIRP_POLL_OUT : 0) |
           (rev & G_IO_PRI ? SLIRP_POLL_PRI : 0) |
           (rev & G_IO_ERR ? SLIRP_POLL_ERR : 0) |
           (rev & G_IO_HUP ? SLIRP_POLL_HUP : 0);
}

static gboolean slirp_source_prepare(GSource *source, gint *timeout)
{
    SlirpState *s = ((SlirpSource *)source)->s;
    uint32_t t = UINT32_MAX;

    slirp_drop_polls(s);
    slirp_pollfds_fill(s->slirp, &t, slirp_add_poll_cb, s);
    for (guint i = 0; i < s->pollfds->len; i++) {
        g_source_add_poll(source, g_array_index(s->pollfds, GPollFD *, i));
    }
    *timeout = t == UINT32_MAX ? -1 : (gint)MIN(t, (uint32_t)INT_MAX);
    return FALSE;
}

static gboolean slirp_source_check(GSource *source)
{
    /* slirp also keeps its TCP timers in pollfds_poll: run it each time */
    return TRUE;
}

static gboolean slirp_source_dispatch(GSource *source, GSourceFunc cb,
                                      gpointer data)
{
    SlirpState *s = ((SlirpSource *)source)->s;

    slirp_pollfds_poll(s->slirp, 0, slirp_get_revents_cb, s);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs slirp_source_funcs = {
    .prepare = slirp_source_prepare,
    .check = slirp_source_check,
    .dispatch = slirp_source_dispatch,
};

/* ---- slirp's callbacks ---- */

static ssize_t slirp_send_packet_cb(const void *buf, size_t len,
                                          void *opaque)
{
    SlirpState *s = opaque;

    net_send(&s->nc, buf, len);
    return len;
}

static void slirp_guest_error_cb(const char *msg, void *opaque)
{
    tlog_mask(LOG_GUEST_ERROR, "slirp: %s\n", msg);
}

static int64_t slirp_clock_get_ns_cb(void *opaque)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
}

typedef struct SlirpTimer {
    QEMUTimer *timer;
    SlirpState *s;
    SlirpTimerId id;
    void *cb_opaque;
} SlirpTimer;

static void slirp_timer_fire(void *opaque)
{
    SlirpTimer *t = opaque;

    slirp_handle_timer(t->s->slirp, t->id, t->cb_opaque);
}

static void *slirp_timer_new_opaque_cb(SlirpTimerId id, void *cb_opaque,
                                       void *opaque)
{
    SlirpTimer *t = g_new0(SlirpTimer, 1);

    t->s = opaque;
    t->id = id;
    t->cb_opaque = cb_opaque;
    t->timer = timer_new_ms(QEMU_CLOCK_REALTIME, slirp_timer_fire, t);
    return t;
}

static void slirp_timer_free_cb(void *timer, void *opaque)
{
    SlirpTimer *t = timer;

    timer_free(t->timer);
    g_free(t);
}

static void slirp_timer_mod_cb(void *timer, int64_t expire_ms, void *opaque)
{
    timer_mod(((SlirpTimer *)timer)->timer, expire_ms);
}

static void slirp_register_poll_fd_cb(int fd, void *opaque)
{
    /* polled through slirp_pollfds_fill on every iteration */
}

static void slirp_notify_cb(void *opaque)
{
    main_loop_notify();
}

static const SlirpCb slirp_callbacks = {
    .send_packet = slirp_send_packet_cb,
    .guest_error = slirp_guest_error_cb,
    .clock_get_ns = slirp_clock_get_ns_cb,
    .timer_free = slirp_timer_free_cb,
    .timer_mod = slirp_timer_mod_cb,
    .register_poll_fd = slirp_register_poll_fd_cb,
    .unregister_poll_fd = slirp_register_poll_fd_cb,
    .notify = slirp_notify_cb,
    .timer_new_opaque = slirp_timer_new_opaque_cb,
};

/* ---- the client ---- */

static ssize_t net_slirp_receive(NetClientState *nc, const struct iovec *iov,
                                 int iovcnt)
{
    SlirpState *s = (SlirpState *)nc;
    size_t size = iov_size(iov, iovcnt);
    g_autofree uint8_t *buf = NULL;

    if (size > NET_MAX_FRAME) {
        return size;              /* no such Ethernet frame: dropped */
    }
    if (iovcnt == 1) {
        slirp_input(s->slirp, iov[0].iov_base, size);
    } else {
        buf = g_malloc(size);
        iov_to_buf(iov, iovcnt, 0, buf, size);
        slirp_input(s->slirp, buf, size);
    }
    /*
     * The guest's data now waits in slirp for its host socket, which the
     * main loop polls for output only from the next slirp_pollfds_fill:
     * wake it (we may be in a vCPU's register write), or the data would
     * wait for an unrelated event or slirp's next timeout.
     */
    main_loop_notify();
    return size;
}

static void slirp_guestfwd_free(SlirpGuestFwd *fwd)
{
    qemu_chr_fe_deinit(&fwd->chr, true);
    g_free(fwd);
}

static void net_slirp_cleanup(NetClientState *nc)
{
    SlirpState *s = (SlirpState *)nc;

    g_list_free_full(s->guestfwds, (GDestroyNotify)slirp_guestfwd_free);
    if (s->source) {
        slirp_drop_polls(s);
        g_source_destroy(s->source);
        g_source_unref(s->source);
    }
    if (s->slirp) {
        slirp_cleanup(s->slirp);
    }
    g_array_free(s->pollfds, true);
    g_free(s->hostfwd_rules);
    slirp_stacks = g_list_remove(slirp_stacks, s);
}

static const NetClientInfo net_slirp_info = {
    .kind = "user",
    .size = sizeof(SlirpState),
    .receive = net_slirp_receive,
    .cleanup = net_slirp_cleanup,
};

/* ---- hostfwd ---- */

/* "[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport" */
static bool slirp_parse_hostfwd(const char *rule, bool *is_udp,
                                struct in_addr *host, int *host_port,
                                struct in_addr *guest, int *guest_port)
{
    g_auto(GStrv) sides = g_strsplit(rule, "-", 2);
    g_auto(GStrv) h = NULL;
    g_auto(GStrv) g = NULL;
    uint64_t port;

    if (g_strv_length(sides) != 2) {
        return false;
    }
    h = g_strsplit(sides[0], ":", -1);
    g = g_strsplit(sides[1], ":", -1);
    if (g_strv_length(h) != 3 || g_strv_length(g) != 2) {
        return false;
    }
    if (!strcmp(h[0], "udp")) {
        *is_udp = true;
    } else if (!strcmp(h[0], "tcp") || !h[0][0]) {
        *is_udp = false;
    } else {
        return false;
    }
    host->s_addr = INADDR_ANY;
    if (h[1][0] && !inet_aton(h[1], host)) {
        return false;
    }
    if (!parse_uint64(h[2], &port) || port > 65535) {
        return false;
    }
    *host_port = port;
    guest->s_addr = INADDR_ANY;
    if (g[0][0] && !inet_aton(g[0], guest)) {
        return false;
    }
    if (!parse_uint64(g[1], &port) || port < 1 || port > 65535) {
        return false;
    }
    *guest_port = port;
    return true;
}

static bool slirp_hostfwd_add(SlirpState *s, const char *rule, Error **errp)
{
    struct in_addr host, guest;
    int host_port, guest_port;
    bool is_udp;

    if (!slirp_parse_hostfwd(rule, &is_udp, &host, &host_port, &guest,
                             &guest_port)) {
        error_setg(errp, "invalid host forwarding rule '%s' (expected "
                   "[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport)",
                   rule);
        return false;
    }
    errno = 0;
    if (slirp_add_hostfwd(s->slirp, is_udp, host, host_port, guest,
                          guest_port) < 0) {
        error_setg(errp, "could not set up host forwarding rule '%s'%s%s",
                   rule, errno ? ": " : "", errno ? strerror(errno) : "");
        return false;
    }
    return true;
}

/* ---- guestfwd ---- */

static ssize_t slirp_guestfwd_write(const void *buf, size_t len,
                                          void *opaque)
{
    SlirpGuestFwd *fwd = opaque;

    return qemu_chr_fe_write_all(&fwd->chr, buf, len);
}

static int slirp_guestfwd_can_read(void *opaque)
{
    SlirpGuestFwd *fwd = opaque;

    return slirp_socket_can_recv(fwd->s->slirp, fwd->server, fwd->port);
}

static void slirp_guestfwd_read(void *opaque, const uint8_t *buf, int size)
{
    SlirpGuestFwd *fwd = opaque;

    slirp_socket_recv(fwd->s->slirp, fwd->server, fwd->port, buf, size);
}

/* "[tcp]:[server]:port-cmd:COMMAND" or "...-CHARDEV-SPEC" */
static bool slirp_guestfwd_add(SlirpState *s, const char *rule, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(rule, ":", 3);
    struct in_addr server = { .s_addr = 0 };
    const char *dash;
    uint64_t port;
    g_autofree char *portstr = NULL;

    if (g_strv_length(parts) != 3 || (parts[0][0] && strcmp(parts[0], "tcp"))
        || !(dash = strchr(parts[2], '-'))) {
        goto bad;
    }
    portstr = g_strndup(parts[2], dash - parts[2]);
    if (!parse_uint64(portstr, &port) || port < 1 || port > 65535) {
        goto bad;
    }
    /* no server: slirp picks .4 of the network */
    if (parts[1][0] && !inet_aton(parts[1], &server)) {
        goto bad;
    }
    dash++;
    if (g_str_has_prefix(dash, "cmd:")) {
        if (slirp_add_exec(s->slirp, dash + 4, &server, port) < 0) {
            error_setg(errp, "conflicting/invalid host:port in guest "
                       "forwarding rule '%s'", rule);
            return false;
        }
    } else {
        g_autofree char *label = g_strdup_printf("%s-guestfwd-%u", s->nc.name,
                                                 g_list_length(s->guestfwds));
        Chardev *chr = qemu_chr_new(label, dash, errp);
        SlirpGuestFwd *fwd;

        if (!chr) {
            error_prepend(errp, "guestfwd '%s': ", rule);
            return false;
        }
        fwd = g_new0(SlirpGuestFwd, 1);
        fwd->s = s;
        fwd->server = server;
        fwd->port = port;
        if (!qemu_chr_fe_init(&fwd->chr, chr, errp) ||
            slirp_add_guestfwd(s->slirp, slirp_guestfwd_write, fwd, &server,
                               port) < 0) {
            if (!*errp) {
                error_setg(errp, "conflicting/invalid host:port in guest "
                           "forwarding rule '%s'", rule);
            }
            slirp_guestfwd_free(fwd);
            return false;
        }
        qemu_chr_fe_set_handlers(&fwd->chr, slirp_guestfwd_can_read,
                                 slirp_guestfwd_read, NULL, fwd);
        s->guestfwds = g_list_append(s->guestfwds, fwd);
    }
    return true;
bad:
    error_setg(errp, "invalid guest forwarding rule '%s' (expected "
               "[tcp]:[server]:port-DEV or ...-cmd:COMMAND)", rule);
    return false;
}

/* ---- -netdev user ---- */

static bool slirp_opt_addr(Opts *o, const char *key, struct in_addr *addr,
                           Error **errp)
{
    const char *v = opts_get(o, key);

    if (v && !inet_aton(v, addr)) {
        error_setg(errp, "Parameter '%s' expects an IPv4 address: '%s'", key,
                   v);
        return false;
    }
    return true;
}

static bool slirp_opt_addr6(Opts *o, const char *key, struct in6_addr *addr,
                            Error **errp)
{
    const char *v = opts_get(o, key);

    if (v && inet_pton(AF_INET6, v, addr) != 1) {
        error_setg(errp, "Parameter '%s' expects an IPv6 address: '%s'", key,
                   v);
        return false;
    }
    return true;
}

/* net=ADDR[/MASK]: MASK a prefix length or a dotted netmask */
static bool slirp_parse_net(const char *v, struct in_addr *net,
                            struct in_addr *mask, Error **errp)
{
    g_auto(GStrv) p = g_strsplit(v, "/", 2);
    uint64_t len;

    if (!inet_aton(p[0], net)) {
        goto bad;
    }
    if (p[1]) {
        if (parse_uint64(p[1], &len)) {
            if (len < 1 || len > 30) {   /* room for host, DNS and DHCP */
                goto bad;
            }
            mask->s_addr = htonl(~((1u << (32 - len)) - 1));
        } else if (!inet_aton(p[1], mask)) {
            goto bad;
        }
    }
    if (net->s_addr & ~mask->s_addr) {
        error_setg(errp, "Parameter 'net': '%s' has host bits set", v);
        return false;
    }
    return true;
bad:
    error_setg(errp, "Parameter 'net' expects ADDR[/PREFIXLEN|/MASK]: '%s'",
               v);
    return false;
}

static bool slirp_in_net(struct in_addr a, struct in_addr net,
                         struct in_addr mask)
{
    return (a.s_addr & mask.s_addr) == net.s_addr &&
           a.s_addr != net.s_addr && (a.s_addr | mask.s_addr) != 0xffffffff;
}

bool net_init_user(Opts *o, const char *id, const char *name,
                   NetClientState *peer, Error **errp)
{
    SlirpConfig cfg = { .version = 4 };
    struct in_addr net, mask, host, dhcp, dns;
    struct in6_addr prefix6, host6, dns6;
    const char *v, *ipv6net;
    bool ipv4 = true, ipv6 = true, restricted = false;
    g_autoptr(GPtrArray) dnssearch = g_ptr_array_new();
    g_autoptr(GPtrArray) hostfwd = g_ptr_array_new();
    g_autoptr(GPtrArray) guestfwd = g_ptr_array_new();
    g_autoptr(GString) rules = g_string_new(NULL);
    uint64_t prefix6_len = 64;
    SlirpState *s;
    SlirpSource *src;

    inet_aton("10.0.2.0", &net);
    inet_aton("255.255.255.0", &mask);
    host.s_addr = dhcp.s_addr = dns.s_addr = 0;
    inet_pton(AF_INET6, "fec0::", &prefix6);
    memset(&host6, 0, sizeof(host6));
    memset(&dns6, 0, sizeof(dns6));

    /* the repeatable keys, in order */
    for (guint i = 0; i < o->entries->len; i++) {
        OptEntry *e = g_ptr_array_index(o->entries, i);

        if (!strcmp(e->key, "hostfwd")) {
            g_ptr_array_add(hostfwd, e->value);
        } else if (!strcmp(e->key, "guestfwd")) {
            g_ptr_array_add(guestfwd, e->value);
        } else if (!strcmp(e->key, "dnssearch")) {
            g_ptr_array_add(dnssearch, e->value);
        } else {
            continue;
        }
        e->used = true;
    }
    g_ptr_array_add(dnssearch, NULL);

    if (!opts_get_bool(o, "ipv4", &ipv4, errp) ||
        !opts_get_bool(o, "ipv6", &ipv6, errp) ||
        !opts_get_bool(o, "restrict", &restricted, errp)) {
        return false;
    }
    if (!ipv4 && !ipv6) {
        error_setg(errp, "IPv4 and IPv6 cannot both be disabled");
        return false;
    }
    v = opts_get(o, "net");
    if (v && !slirp_parse_net(v, &net, &mask, errp)) {
        return false;
    }
    if (!slirp_opt_addr(o, "host", &host, errp) ||
        !slirp_opt_addr(o, "dhcpstart", &dhcp, errp) ||
        !slirp_opt_addr(o, "dns", &dns, errp) ||
        !slirp_opt_addr6(o, "ipv6-host", &host6, errp) ||
        !slirp_opt_addr6(o, "ipv6-dns", &dns6, errp)) {
        return false;
    }
    if (!host.s_addr) {
        host.s_addr = net.s_addr | htonl(2);
    }
    if (!dns.s_addr) {
        dns.s_addr = net.s_addr | htonl(3);
    }
    if (!dhcp.s_addr) {
        dhcp.s_addr = net.s_addr | htonl(15);
    }
    if (!slirp_in_net(host, net, mask)) {
        error_setg(errp, "Parameter 'host': %s is not in the guest network",
                   inet_ntoa(host));
        return false;
    }
    if (!slirp_in_net(dns, net, mask) || dns.s_addr == host.s_addr) {
        error_setg(errp, "Parameter 'dns': %s is not a free address of the "
                   "guest network", inet_ntoa(dns));
        return false;
    }
    if (!slirp_in_net(dhcp, net, mask) || dhcp.s_addr == host.s_addr ||
        dhcp.s_addr == dns.s_addr) {
        error_setg(errp, "Parameter 'dhcpstart': %s is not a free address "
                   "of the guest network", inet_ntoa(dhcp));
        return false;
    }
    ipv6net = opts_get(o, "ipv6-net");
    if (ipv6net) {
        g_auto(GStrv) p = g_strsplit(ipv6net, "/", 2);

        if (inet_pton(AF_INET6, p[0], &prefix6) != 1 ||
            (p[1] && (!parse_uint64(p[1], &prefix6_len) ||
                      prefix6_len < 1 || prefix6_len > 126))) {
            error_setg(errp, "Parameter 'ipv6-net' expects ADDR/LEN: '%s'",
                       ipv6net);
            return false;
        }
    }
    if (!opts_has(o, "ipv6-host")) {
        host6 = prefix6;
        host6.s6_addr[15] |= 2;
    }
    if (!opts_has(o, "ipv6-dns")) {
        dns6 = prefix6;
        dns6.s6_addr[15] |= 3;
    }
    cfg.restricted = restricted;
    cfg.in_enabled = ipv4;
    cfg.vnetwork = net;
    cfg.vnetmask = mask;
    cfg.vhost = host;
    cfg.in6_enabled = ipv6;
    cfg.vprefix_addr6 = prefix6;
    cfg.vprefix_len = prefix6_len;
    cfg.vhost6 = host6;
    cfg.vhostname = opts_get(o, "hostname");
    cfg.tftp_server_name = opts_get(o, "tftp-server-name");
    cfg.tftp_path = opts_get(o, "tftp");
    cfg.bootfile = opts_get(o, "bootfile");
    cfg.vdhcp_start = dhcp;
    cfg.vnameserver = dns;
    cfg.vnameserver6 = dns6;
    cfg.vdnssearch = dnssearch->len > 1 ? (const char **)dnssearch->pdata
                                        : NULL;
    cfg.vdomainname = opts_get(o, "domainname");
    if (cfg.tftp_path && !g_file_test(cfg.tftp_path, G_FILE_TEST_IS_DIR)) {
        error_setg(errp, "Parameter 'tftp': '%s' is not a directory",
                   cfg.tftp_path);
        return false;
    }
    if (opts_has(o, "smb")) {
        error_setg(errp, "Parameter 'smb' is not supported by this build "
                   "(no smbd)");
        return false;
    }
    if (!opts_check_all_used(o, errp)) {
        return false;
    }

    s = (SlirpState *)net_client_new(&net_slirp_info, peer, "user", name);
    s->pollfds = g_array_new(false, false, sizeof(GPollFD *));
    s->slirp = slirp_new(&cfg, &slirp_callbacks, s);
    if (!s->slirp) {
        error_setg(errp, "libslirp could not start a network");
        net_client_free(&s->nc);
        return false;
    }
    slirp_stacks = g_list_append(slirp_stacks, s);
    for (guint i = 0; i < hostfwd->len; i++) {
        if (!slirp_hostfwd_add(s, g_ptr_array_index(hostfwd, i), errp)) {
            net_client_free(&s->nc);
            return false;
        }
        g_string_append_printf(rules, ",hostfwd=%s",
                               (char *)g_ptr_array_index(hostfwd, i));
    }
    for (guint i = 0; i < guestfwd->len; i++) {
        if (!slirp_guestfwd_add(s, g_ptr_array_index(guestfwd, i), errp)) {
            net_client_free(&s->nc);
            return false;
        }
    }
    src = (SlirpSource *)g_source_new(&slirp_source_funcs,
                                      sizeof(SlirpSource));
    src->s = s;
    s->source = &src->source;
    g_source_attach(s->source, main_loop_context());
    net_client_set_info_str(&s->nc, "net=%s/%d%s%s", inet_ntoa(net),
                            32 - __builtin_ctz(ntohl(mask.s_addr)),
                            restricted ? ",restrict=on" : "", rules->str);
    return true;
}

/* ---- the monitor's hostfwd_add / hostfwd_remove ---- */

static SlirpState *slirp_find(const char *netdev, Error **errp)
{
    if (!slirp_stacks) {
        error_setg(errp, "no user-mode network stack (-netdev user) to "
                   "forward to");
        return NULL;
    }
    if (!netdev) {
        return slirp_stacks->data;
    }
    for (GList *l = slirp_stacks; l; l = l->next) {
        SlirpState *s = l->data;

        if (!strcmp(s->nc.name, netdev)) {
            return s;
        }
    }
    error_setg(errp, "unknown netdev '%s' (not a -netdev user)", netdev);
    return NULL;
}

bool net_slirp_hostfwd_add(const char *netdev, const char *rule,
                           Error **errp)
{
    SlirpState *s = slirp_find(netdev, errp);

    return s && slirp_hostfwd_add(s, rule, errp);
}

bool net_slirp_hostfwd_remove(const char *netdev, const char *rule,
                              Error **errp)
{
    SlirpState *s = slirp_find(netdev, errp);
    g_auto(GStrv) p = NULL;
    struct in_addr host = { .s_addr = INADDR_ANY };
    uint64_t port;
    bool is_udp = false;

    if (!s) {
        return false;
    }
    /* "[tcp|udp]:[hostaddr]:hostport" */
    p = g_strsplit(rule, ":", -1);
    if (g_strv_length(p) != 3 || (p[0][0] && strcmp(p[0], "tcp") &&
                                  strcmp(p[0], "udp")) ||
        (p[1][0] && !inet_aton(p[1], &host)) ||
        !parse_uint64(p[2], &port) || port > 65535) {
        error_setg(errp, "invalid format '%s' (expected "
                   "[tcp|udp]:[hostaddr]:hostport)", rule);
        return false;
    }
    is_udp = !strcmp(p[0], "udp");
    if (slirp_remove_hostfwd(s->slirp, is_udp, host, port) < 0) {
        error_setg(errp, "host forwarding rule for %s not found", rule);
        return false;
    }
    return true;
}

char *net_slirp_connection_info(void)
{
    GString *out = g_string_new(NULL);

    for (GList *l = slirp_stacks; l; l = l->next) {
        SlirpState *s = l->data;
        g_autofree char *info = slirp_connection_info(s->slirp);

        g_string_append_printf(out, "Hub -1 (%s):\n%s", s->nc.name, info);
    }
    return g_string_free(out, false);
}
