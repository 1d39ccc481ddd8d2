/*
 * Hubs: what -net lines share (QEMU's old "vlan").  Every -net client is
 * the peer of one port of hub 0 (-netdev hubport,hubid=N,id=ID makes a
 * port of hub N); a frame a port receives from its peer goes out of every
 * other port, as on an Ethernet repeater.
 *
 * A port always takes a frame: each other port's peer that cannot take
 * its copy now keeps it in its own queue (net_send semantics), which it
 * flushes itself when it can (a NIC: when buffers are posted).  A frame
 * held at the port would wait for a flush nobody does, and one NIC
 * without buffers would stall the others.  So a sender on a hub is
 * never told to wait; its frames are queued up to the queue limit.
 */
#include "turtle/osdep.h"
#include "turtle/option.h"
#include "turtle/iov.h"
#include "net/net.h"

typedef struct NetHub NetHub;

typedef struct NetHubPort {
    NetClientState nc;
    NetHub *hub;
    int id;
} NetHubPort;

struct NetHub {
    int id;
    GList *ports;                 /* of NetHubPort* */
    int next_port;
};

static GList *hubs;

static NetHub *net_hub_get(int id)
{
    NetHub *hub;

    for (GList *l = hubs; l; l = l->next) {
        hub = l->data;
        if (hub->id == id) {
            return hub;
        }
    }
    hub = g_new0(NetHub, 1);
    hub->id = id;
    hubs = g_list_append(hubs, hub);
    return hub;
}

static ssize_t net_hub_port_receive(NetClientState *nc,
                                    const struct iovec *iov, int iovcnt)
{
    NetHubPort *port = (NetHubPort *)nc;

    for (GList *l = port->hub->ports; l; l = l->next) {
        NetHubPort *out = l->data;

        if (out != port) {
            net_send_iov(&out->nc, iov, iovcnt);
        }
    }
    return iov_size(iov, iovcnt);
}

static void net_hub_port_cleanup(NetClientState *nc)
{
    NetHubPort *port = (NetHubPort *)nc;

    port->hub->ports = g_list_remove(port->hub->ports, port);
}

static const NetClientInfo net_hub_port_info = {
    .kind = "hubport",
    .size = sizeof(NetHubPort),
    .receive = net_hub_port_receive,
    .cleanup = net_hub_port_cleanup,
};

NetClientState *net_hub_add_port(int hub_id, const char *name,
                                 NetClientState *peer)
{
    NetHub *hub = net_hub_get(hub_id);
    NetHubPort *port;
    g_autofree char *dflt = NULL;

    if (!name) {
        dflt = g_strdup_printf("hub%dport%d", hub_id, hub->next_port);
        name = dflt;
    }
    port = (NetHubPort *)net_client_new(&net_hub_port_info, peer, "hubport",
                                        name);
    port->hub = hub;
    port->id = hub->next_port++;
    net_client_set_info_str(&port->nc, "hub=%d,port=%d", hub_id, port->id);
    hub->ports = g_list_append(hub->ports, port);
    return &port->nc;
}

/* -netdev hubport,id=ID,hubid=N */
bool net_init_hubport(Opts *opts, const char *id, const char *name,
                      NetClientState *peer, Error **errp)
{
    uint64_t hubid = 0;
    NetClientState *nc;

    if (!opts_get_uint(opts, "hubid", &hubid, errp)) {
        return false;
    }
    if (!opts_has(opts, "hubid") || hubid > INT32_MAX) {
        error_setg(errp, "-netdev hubport: hubid=N (0..%d) is required",
                   INT32_MAX);
        return false;
    }
    if (!opts_check_all_used(opts, errp)) {
        return false;
    }
    nc = net_hub_add_port(hubid, id, peer);
    nc->is_netdev = true;
    return true;
}

/* Hub 0 with NICs but no back end (or the reverse) carries nothing. */
void net_hub_check(void)
{
    for (GList *l = hubs; l; l = l->next) {
        NetHub *hub = l->data;
        bool nic = false, backend = false;

        for (GList *p = hub->ports; p; p = p->next) {
            NetHubPort *port = p->data;

            if (port->nc.peer && port->nc.peer->info->is_nic) {
                nic = true;
            } else if (port->nc.peer) {
                backend = true;
            }
        }
        if (nic && !backend) {
            warn_report("hub %d is not connected to host network", hub->id);
        } else if (backend && !nic) {
            warn_report("hub %d with no nics", hub->id);
        }
    }
}
