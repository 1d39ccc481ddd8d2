/*
 * Network clients: the NICs the guest sees and the back ends that carry
 * their frames to the host (net/).
 *
 *   client     a NetClientState.  A NIC (virtio-net, e1000) and a back end
 *              (user, socket, tap, a hub port) are both clients; two
 *              clients are peers and exchange Ethernet frames.  A -netdev
 *              creates a back end with an id that one device takes with
 *              netdev=ID; -nic creates both halves; -net puts clients on
 *              hub 0, where every frame goes to every other port.
 *   delivery   net_send*() hands a frame to the peer's receive().  A
 *              receiver that cannot take it now (can_receive() false, or
 *              receive() returning 0: a NIC whose guest posted no buffers)
 *              gets it in its incoming queue instead, in order; it calls
 *              net_flush_queued() once it can take more.  A sender that
 *              can wait (a socket, a tap) passes a sent callback: when its
 *              frame is queued it stops reading its fd until the callback
 *              says the frame went through, so nothing it holds is lost.
 *              A sender that cannot wait (slirp) has its frames queued up
 *              to NET_QUEUE_MAX_PACKETS, after which they are dropped as a
 *              full wire would (TCP retransmits).
 *   link       a client whose link is down neither sends nor receives
 *              (frames are dropped, as on a cable that is out).
 *   threads    everything runs in the main loop or a vCPU's register
 *              access, with the big lock held.
 */
#ifndef NET_NET_H
#define NET_NET_H

#include "turtle/osdep.h"
#include "turtle/error.h"
#include <sys/uio.h>

#define NET_QUEUE_MAX_PACKETS  10000
#define NET_MAX_FRAME          (64 * 1024 + 64)  /* TSO frame + headers */
#define ETH_ALEN               6
#define ETH_HLEN               14

typedef struct NetClientState NetClientState;
typedef struct NetQueue NetQueue;
typedef struct NetFilter NetFilter;
typedef struct Opts Opts;

typedef struct MACAddr {
    uint8_t a[ETH_ALEN];
} MACAddr;

/* A sender's frame left its receiver's queue (delivered or purged). */
typedef void NetPacketSent(NetClientState *sender, ssize_t len);

typedef struct NetClientInfo {
    const char *kind;             /* "nic", "user", "socket", "hubport"... */
    size_t size;                  /* of the struct embedding the state */
    bool is_nic;
    /*
     * Take one frame.  Return its length when taken (or dropped on
     * purpose), 0 when it cannot be taken now: the frame stays queued
     * and nothing more is delivered until net_flush_queued(nc).
     */
    ssize_t (*receive)(NetClientState *nc, const struct iovec *iov,
                       int iovcnt);
    /* Optional: false keeps frames queued without calling receive(). */
    bool (*can_receive)(NetClientState *nc);
    void (*link_status_changed)(NetClientState *nc);
    void (*cleanup)(NetClientState *nc);
} NetClientInfo;

struct NetClientState {
    const NetClientInfo *info;
    char *name;                   /* the -netdev id, or "<model>.<n>" */
    char *model;                  /* "user", "virtio-net-device"... */
    char *info_str;               /* a line for "info network" */
    NetClientState *peer;
    NetQueue *incoming;           /* frames for us that we could not take */
    bool link_down;
    bool receive_disabled;        /* receive() said 0: wait for a flush */
    bool is_netdev;               /* from -netdev: a device may claim it */
    bool claimed;                 /* a device's netdev= took it */
    NetFilter *dump;              /* -object filter-dump on this netdev */
};

/* ---- clients ---- */
/* A new client of info->size bytes (peer may be NULL). */
NetClientState *net_client_new(const NetClientInfo *info,
                               NetClientState *peer, const char *model,
                               const char *name);
void net_client_free(NetClientState *nc);
NetClientState *net_find_netdev(const char *id);
NetClientState *net_find_client(const char *name);
/* Set both clients' link state (and tell each side). */
void net_set_link(NetClientState *nc, bool up);
/* For "info network" and tests. */
void net_print_info(FILE *f);
void net_client_set_info_str(NetClientState *nc, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* ---- frames ---- */
/* Returns the length when delivered or dropped, 0 when queued. */
ssize_t net_send_iov_async(NetClientState *sender, const struct iovec *iov,
                           int iovcnt, NetPacketSent *sent_cb);
ssize_t net_send_async(NetClientState *sender, const uint8_t *buf,
                       size_t size, NetPacketSent *sent_cb);
void net_send(NetClientState *sender, const uint8_t *buf, size_t size);
void net_send_iov(NetClientState *sender, const struct iovec *iov,
                  int iovcnt);
/* Whether a frame sent to nc now would be taken (not queued). */
bool net_can_receive(NetClientState *nc);
/* nc can take frames again: deliver what waits in its queue. */
void net_flush_queued(NetClientState *nc);
/* Frames queued for nc (tests, "info network"). */
unsigned net_queued_count(NetClientState *nc);

/* ---- the queue (net/queue.c) ---- */
NetQueue *net_queue_new(NetClientState *owner);
void net_queue_free(NetQueue *q);
/* Queue a copy; false if full (a sender without sent_cb only). */
bool net_queue_append(NetQueue *q, NetClientState *sender,
                      const struct iovec *iov, int iovcnt,
                      NetPacketSent *sent_cb);
bool net_queue_empty(NetQueue *q);
unsigned net_queue_len(NetQueue *q);
/* Deliver in order through deliver() until it returns 0; true if emptied. */
bool net_queue_flush(NetQueue *q,
                     ssize_t (*deliver)(NetClientState *sender,
                                        NetClientState *owner,
                                        const struct iovec *iov, int iovcnt));
/* Drop every frame from sender (it is going away). */
void net_queue_purge(NetQueue *q, NetClientState *sender);

/* ---- hubs (net/hub.c): -net lines share hub 0 ---- */
NetClientState *net_hub_add_port(int hub_id, const char *name,
                                 NetClientState *peer);
/* Warn about a hub with NICs but no back end, or the reverse. */
void net_hub_check(void);
/* Warn about a -netdev no device took. */
void net_check_unclaimed(void);

/* ---- MAC addresses ---- */
bool net_parse_macaddr(const char *str, MACAddr *mac);
/* 52:54:00:12:34:<56 + n>, as QEMU numbers its NICs. */
void net_default_macaddr(MACAddr *mac);
char *net_format_macaddr(const MACAddr *mac);

/* ---- -object filter-dump (net/dump.c) ---- */
bool net_filter_dump_new(Opts *opts, Error **errp);
void net_filter_dump_frame(NetFilter *nf, const struct iovec *iov,
                           int iovcnt);

/* ---- checksums (net/checksum.c) ---- */
uint32_t net_checksum_add(const uint8_t *buf, size_t len, uint32_t sum);
uint16_t net_checksum_finish(uint32_t sum);
/* Sum [start, len) of frame (its checksum field holding the pseudo-header
 * sum) and store the result at start + offset; false if that field is
 * not inside the frame. */
bool net_checksum_complete(uint8_t *frame, size_t len, size_t start,
                           size_t offset);

/* ---- command line (net/netdev.c) ---- */
/* -netdev TYPE,id=ID,...  -nic TYPE|none[,model=][,mac=]...
 * -net nic[,model=][,macaddr=] / -net TYPE,...: parsed and the back
 * ends created, before the board. */
bool net_add_netdev(const char *optarg, Error **errp);
bool net_add_nic(const char *optarg, Error **errp);
bool net_add_legacy(const char *optarg, Error **errp);
/* -nic none / -nodefaults seen: no default NIC. */
void net_set_no_default_nic(void);
/* After the board: create the NICs -nic and -net nic asked for (the
 * board's default_model unless model=), and the board's default NIC
 * when none was given (nothing with -nic none).  default_model may be
 * NULL (a board without a NIC slot). */
bool net_create_nics(const char *default_model, Error **errp);
/* After every device: a -netdev no device took is reported (warning). */
void net_check_clients(void);
/* "-netdev help" / "-nic model=help" */
void net_netdev_list_help(FILE *f);

/* ---- back ends (one file each in net/) ---- */
typedef bool NetBackendInit(Opts *opts, const char *id, const char *name,
                            NetClientState *peer, Error **errp);
NetBackendInit net_init_user;
NetBackendInit net_init_hubport;
NetBackendInit net_init_socket;           /* net/socket.c */
NetBackendInit net_init_stream;
NetBackendInit net_init_dgram;
NetBackendInit net_init_tap;              /* net/tap.c */

/* ---- NIC devices: their netdev= and mac= properties ---- */
typedef struct NICConf {
    MACAddr macaddr;
    bool mac_set;
    NetClientState *peer;         /* netdev= */
} NICConf;

/* A NIC device's client, its peer the configured netdev (or none). */
NetClientState *net_nic_new(const NetClientInfo *info, NICConf *conf,
                            const char *model, const char *dev_id);
/* Fill in a default MAC unless mac= gave one. */
void net_nic_conf_macaddr(NICConf *conf);

/* The device properties: "netdev" (a -netdev id, claimed by one device)
 * and "mac" (aa:bb:cc:dd:ee:ff, unicast). */
typedef struct PropertyInfo PropertyInfo;
extern const PropertyInfo prop_info_netdev;
extern const PropertyInfo prop_info_macaddr;
#define DEFINE_NIC_PROPERTIES(_s, _conf)                                 \
    { .name = "netdev", .info = &prop_info_netdev,                      \
      .offset = offsetof(_s, _conf) },                                  \
    { .name = "mac", .info = &prop_info_macaddr,                        \
      .offset = offsetof(_s, _conf) }

#endif
