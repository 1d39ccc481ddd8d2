/*
 * Network clients and frame delivery (include/net/net.h), and the NIC
 * device properties netdev= and mac=.
 */
#include "turtle/osdep.h"
#include "turtle/iov.h"
#include "turtle/log.h"
#include "hw/core/qdev.h"
#include "net/net.h"

static GList *net_clients;            /* of NetClientState*, in creation order */

/* ---- clients ---- */

NetClientState *net_client_new(const NetClientInfo *info,
                               NetClientState *peer, const char *model,
                               const char *name)
{
    NetClientState *nc;

    g_assert(info->size >= sizeof(NetClientState));
    nc = g_malloc0(info->size);
    nc->info = info;
    nc->model = g_strdup(model);
    nc->name = g_strdup(name);
    nc->incoming = net_queue_new(nc);
    if (peer) {
        g_assert(!peer->peer);
        nc->peer = peer;
        peer->peer = nc;
    }
    net_clients = g_list_append(net_clients, nc);
    return nc;
}

void net_client_free(NetClientState *nc)
{
    if (!nc) {
        return;
    }
    if (nc->info->cleanup) {
        nc->info->cleanup(nc);
    }
    if (nc->peer) {
        /* frames we sent that wait at the peer go with us */
        net_queue_purge(nc->peer->incoming, nc);
        nc->peer->claimed = false;    /* a -netdev can be taken again */
        nc->peer->peer = NULL;
    }
    net_queue_free(nc->incoming);
    net_clients = g_list_remove(net_clients, nc);
    g_free(nc->name);
    g_free(nc->model);
    g_free(nc->info_str);
    g_free(nc);
}

NetClientState *net_find_netdev(const char *id)
{
    for (GList *l = net_clients; l; l = l->next) {
        NetClientState *nc = l->data;

        if (nc->is_netdev && !strcmp(nc->name, id)) {
            return nc;
        }
    }
    return NULL;
}

NetClientState *net_find_client(const char *name)
{
    for (GList *l = net_clients; l; l = l->next) {
        NetClientState *nc = l->data;

        if (!strcmp(nc->name, name)) {
            return nc;
        }
    }
    return NULL;
}

void net_client_set_info_str(NetClientState *nc, const char *fmt, ...)
{
    va_list ap;

    g_free(nc->info_str);
    va_start(ap, fmt);
    nc->info_str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

void net_set_link(NetClientState *nc, bool up)
{
    NetClientState *sides[2] = { nc, nc->peer };

    for (int i = 0; i < 2; i++) {
        NetClientState *s = sides[i];

        if (!s || s->link_down == !up) {
            continue;
        }
        s->link_down = !up;
        if (s->info->link_status_changed) {
            s->info->link_status_changed(s);
        }
    }
    if (up && nc->peer) {
        net_flush_queued(nc);
        net_flush_queued(nc->peer);
    }
}

static void net_print_client(FILE *f, NetClientState *nc, int indent)
{
    fprintf(f, "%*s%s: index=0,type=%s,%s%s\n", indent, "", nc->name,
            nc->info->kind, nc->info_str ? nc->info_str : "",
            nc->link_down ? " (link down)" : "");
}

void net_print_info(FILE *f)
{
    for (GList *l = net_clients; l; l = l->next) {
        NetClientState *nc = l->data;

        /* NICs first, each with its peer under it, as QEMU's info network */
        if (!nc->info->is_nic) {
            continue;
        }
        net_print_client(f, nc, 0);
        if (nc->peer) {
            fprintf(f, " \\ ");
            net_print_client(f, nc->peer, 0);
        }
    }
    for (GList *l = net_clients; l; l = l->next) {
        NetClientState *nc = l->data;

        if (!nc->info->is_nic && (!nc->peer || !nc->peer->info->is_nic)) {
            net_print_client(f, nc, 0);
        }
    }
}

void net_check_unclaimed(void)
{
    for (GList *l = net_clients; l; l = l->next) {
        NetClientState *nc = l->data;

        if (nc->is_netdev && !nc->peer && strncmp(nc->name, "__", 2)) {
            warn_report("netdev %s has no peer", nc->name);
        }
    }
}

/* ---- delivery ---- */

bool net_can_receive(NetClientState *nc)
{
    if (nc->receive_disabled || !net_queue_empty(nc->incoming)) {
        return false;
    }
    return !nc->info->can_receive || nc->info->can_receive(nc);
}

/* Hand one frame to receiver; 0 when it must wait in the queue. */
static ssize_t net_deliver(NetClientState *sender, NetClientState *receiver,
                           const struct iovec *iov, int iovcnt)
{
    size_t size = iov_size(iov, iovcnt);
    ssize_t ret;

    if (receiver->link_down || (sender && sender->link_down)) {
        return size;              /* the cable is out: dropped */
    }
    if (receiver->receive_disabled ||
        (receiver->info->can_receive &&
         !receiver->info->can_receive(receiver))) {
        return 0;
    }
    ret = receiver->info->receive(receiver, iov, iovcnt);
    if (ret == 0) {
        receiver->receive_disabled = true;
    }
    return ret;
}

ssize_t net_send_iov_async(NetClientState *sender, const struct iovec *iov,
                           int iovcnt, NetPacketSent *sent_cb)
{
    NetClientState *peer = sender->peer;
    size_t size = iov_size(iov, iovcnt);
    ssize_t ret;

    if (!peer || sender->link_down || size == 0) {
        return size;              /* nowhere to go: gone */
    }
    if (sender->dump) {
        net_filter_dump_frame(sender->dump, iov, iovcnt);
    }
    if (peer->dump) {
        net_filter_dump_frame(peer->dump, iov, iovcnt);
    }
    if (net_queue_empty(peer->incoming)) {
        ret = net_deliver(sender, peer, iov, iovcnt);
        if (ret != 0) {
            return ret;
        }
    }
    /* keep the order: behind what already waits */
    if (!net_queue_append(peer->incoming, sender, iov, iovcnt, sent_cb)) {
        return size;              /* full, and the sender cannot wait */
    }
    return 0;
}

ssize_t net_send_async(NetClientState *sender, const uint8_t *buf,
                       size_t size, NetPacketSent *sent_cb)
{
    struct iovec iov = { .iov_base = (void *)buf, .iov_len = size };

    return net_send_iov_async(sender, &iov, 1, sent_cb);
}

void net_send(NetClientState *sender, const uint8_t *buf, size_t size)
{
    net_send_async(sender, buf, size, NULL);
}

void net_send_iov(NetClientState *sender, const struct iovec *iov,
                  int iovcnt)
{
    net_send_iov_async(sender, iov, iovcnt, NULL);
}

void net_flush_queued(NetClientState *nc)
{
    nc->receive_disabled = false;
    net_queue_flush(nc->incoming, net_deliver);
}

unsigned net_queued_count(NetClientState *nc)
{
    return net_queue_len(nc->incoming);
}

/* ---- MAC addresses ---- */

bool net_parse_macaddr(const char *str, MACAddr *mac)
{
    unsigned v[ETH_ALEN];
    int n = 0;

    if (sscanf(str, "%2x%*1[:-]%2x%*1[:-]%2x%*1[:-]%2x%*1[:-]%2x%*1[:-]%2x%n",
               &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &n) != ETH_ALEN ||
        n != (int)strlen(str) || n != 17) {
        return false;
    }
    for (int i = 0; i < ETH_ALEN; i++) {
        mac->a[i] = v[i];
    }
    return true;
}

void net_default_macaddr(MACAddr *mac)
{
    static unsigned index;
    const MACAddr base = { { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 } };

    *mac = base;
    mac->a[5] += index++;
}

char *net_format_macaddr(const MACAddr *mac)
{
    return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", mac->a[0],
                           mac->a[1], mac->a[2], mac->a[3], mac->a[4],
                           mac->a[5]);
}

/* ---- NIC devices ---- */

NetClientState *net_nic_new(const NetClientInfo *info, NICConf *conf,
                            const char *model, const char *dev_id)
{
    static GHashTable *per_model;     /* model -> NICs so far */
    g_autofree char *name = NULL;
    g_autofree char *mac = net_format_macaddr(&conf->macaddr);
    NetClientState *nc;
    unsigned n;

    if (!per_model) {
        per_model = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          NULL);
    }
    n = GPOINTER_TO_UINT(g_hash_table_lookup(per_model, model));
    g_hash_table_insert(per_model, g_strdup(model), GUINT_TO_POINTER(n + 1));
    name = dev_id ? g_strdup(dev_id) : g_strdup_printf("%s.%u", model, n);
    nc = net_client_new(info, conf->peer, model, name);
    net_client_set_info_str(nc, "model=%s,macaddr=%s", model, mac);
    return nc;
}

void net_nic_conf_macaddr(NICConf *conf)
{
    if (!conf->mac_set) {
        net_default_macaddr(&conf->macaddr);
        conf->mac_set = true;
    }
}

/* netdev=ID: the -netdev back end, which only one device may take */
static bool prop_parse_netdev(Object *dev, const Property *prop,
                              const char *str, Error **errp)
{
    NICConf *conf = (NICConf *)((char *)dev + prop->offset);
    NetClientState *nc = net_find_netdev(str);

    if (!nc) {
        error_setg(errp, "Property '%s.%s' can't find value '%s' (no "
                   "-netdev with that id)", object_get_typename(dev),
                   prop->name, str);
        return false;
    }
    if (nc->claimed || nc->peer) {
        error_setg(errp, "Property '%s.%s' can't take value '%s', it's in "
                   "use", object_get_typename(dev), prop->name, str);
        return false;
    }
    if (conf->peer) {
        conf->peer->claimed = false;
    }
    nc->claimed = true;
    conf->peer = nc;
    return true;
}

static char *prop_print_netdev(Object *dev, const Property *prop)
{
    NICConf *conf = (NICConf *)((char *)dev + prop->offset);

    return g_strdup(conf->peer ? conf->peer->name : "");
}

const PropertyInfo prop_info_netdev = {
    .type = "str (netdev id)", .parse = prop_parse_netdev,
    .print = prop_print_netdev,
};

static bool prop_parse_macaddr(Object *dev, const Property *prop,
                               const char *str, Error **errp)
{
    NICConf *conf = (NICConf *)((char *)dev + prop->offset);
    MACAddr mac;

    if (!net_parse_macaddr(str, &mac)) {
        error_setg(errp, "Property '%s.%s' doesn't take value '%s' (a MAC "
                   "address is six hex bytes, 52:54:00:12:34:56)",
                   object_get_typename(dev), prop->name, str);
        return false;
    }
    if (mac.a[0] & 1) {
        error_setg(errp, "Property '%s.%s': '%s' is a multicast address",
                   object_get_typename(dev), prop->name, str);
        return false;
    }
    conf->macaddr = mac;
    conf->mac_set = true;
    return true;
}

static char *prop_print_macaddr(Object *dev, const Property *prop)
{
    NICConf *conf = (NICConf *)((char *)dev + prop->offset);

    return conf->mac_set ? net_format_macaddr(&conf->macaddr) : g_strdup("");
}

const PropertyInfo prop_info_macaddr = {
    .type = "str (MAC address)", .parse = prop_parse_macaddr,
    .print = prop_print_macaddr,
};
