/*
 * virtio network device (virtio 1.2, 5.1).  See hw/net/virtio-net.c.
 */
#ifndef HW_NET_VIRTIO_NET_H
#define HW_NET_VIRTIO_NET_H

#include "hw/virtio/virtio.h"
#include "net/net.h"
#include "sysemu/main-loop.h"

#define TYPE_VIRTIO_NET "virtio-net-device"

/* Feature bits (5.1.3) */
#define VIRTIO_NET_F_CSUM            0
#define VIRTIO_NET_F_GUEST_CSUM      1
#define VIRTIO_NET_F_CTRL_GUEST_OFFLOADS 2
#define VIRTIO_NET_F_MTU             3
#define VIRTIO_NET_F_MAC             5
#define VIRTIO_NET_F_GUEST_TSO4      7
#define VIRTIO_NET_F_GUEST_TSO6      8
#define VIRTIO_NET_F_HOST_TSO4       11
#define VIRTIO_NET_F_HOST_TSO6       12
#define VIRTIO_NET_F_MRG_RXBUF       15
#define VIRTIO_NET_F_STATUS          16
#define VIRTIO_NET_F_CTRL_VQ         17
#define VIRTIO_NET_F_CTRL_RX         18
#define VIRTIO_NET_F_CTRL_VLAN       19
#define VIRTIO_NET_F_CTRL_RX_EXTRA   20
#define VIRTIO_NET_F_GUEST_ANNOUNCE  21
#define VIRTIO_NET_F_MQ              22
#define VIRTIO_NET_F_CTRL_MAC_ADDR   23

#define VIRTIO_NET_S_LINK_UP         1
#define VIRTIO_NET_S_ANNOUNCE        2

/* struct virtio_net_hdr (5.1.6) */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM  1
#define VIRTIO_NET_HDR_F_DATA_VALID  2
#define VIRTIO_NET_HDR_GSO_NONE      0
#define VIRTIO_NET_HDR_GSO_TCPV4     1
#define VIRTIO_NET_HDR_GSO_UDP       3
#define VIRTIO_NET_HDR_GSO_TCPV6     4
#define VIRTIO_NET_HDR_GSO_ECN       0x80

typedef struct VirtioNetHdr {
    uint8_t flags;
    uint8_t gso_type;
    uint16_t hdr_len;
    uint16_t gso_size;
    uint16_t csum_start;
    uint16_t csum_offset;
    uint16_t num_buffers;         /* VERSION_1 or MRG_RXBUF only */
} __attribute__((packed)) VirtioNetHdr;

/* Control queue classes and commands (5.1.6.5) */
#define VIRTIO_NET_CTRL_RX           0
#define  VIRTIO_NET_CTRL_RX_PROMISC   0
#define  VIRTIO_NET_CTRL_RX_ALLMULTI  1
#define  VIRTIO_NET_CTRL_RX_ALLUNI    2
#define  VIRTIO_NET_CTRL_RX_NOMULTI   3
#define  VIRTIO_NET_CTRL_RX_NOUNI     4
#define  VIRTIO_NET_CTRL_RX_NOBCAST   5
#define VIRTIO_NET_CTRL_MAC          1
#define  VIRTIO_NET_CTRL_MAC_TABLE_SET 0
#define  VIRTIO_NET_CTRL_MAC_ADDR_SET  1
#define VIRTIO_NET_CTRL_VLAN         2
#define  VIRTIO_NET_CTRL_VLAN_ADD     0
#define  VIRTIO_NET_CTRL_VLAN_DEL     1
#define VIRTIO_NET_CTRL_ANNOUNCE     3
#define  VIRTIO_NET_CTRL_ANNOUNCE_ACK 0
#define VIRTIO_NET_CTRL_GUEST_OFFLOADS 5
#define  VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET 0
#define VIRTIO_NET_OK                0
#define VIRTIO_NET_ERR               1

#define VIRTIO_NET_MAC_TABLE_ENTRIES 64
#define VIRTIO_NET_MAX_VLAN          4096

typedef struct VirtIONet {
    VirtIODevice parent_obj;
    NICConf conf;                 /* netdev=, mac= */
    NetClientState *nic;
    VirtQueue *rx_vq, *tx_vq, *ctrl_vq;
    QEMUBH *tx_bh;                /* continues a long transmit burst */
    VirtQueueElement *tx_waiting; /* sent, queued at the peer */
    uint32_t hdr_len;             /* 10 or 12 (VERSION_1 / MRG_RXBUF) */
    bool mergeable;
    uint16_t status;              /* config: LINK_UP */
    MACAddr mac;                  /* config and receive filter */
    /* receive filter (control queue) */
    bool promisc, allmulti, alluni, nomulti, nouni, nobcast;
    uint32_t uni_entries, multi_entries;
    uint8_t mac_table[VIRTIO_NET_MAC_TABLE_ENTRIES][ETH_ALEN];
    uint32_t vlans[VIRTIO_NET_MAX_VLAN / 32];
    uint64_t guest_offloads;      /* GUEST_CSUM (CTRL_GUEST_OFFLOADS) */
    /* properties */
    uint16_t rx_queue_size, tx_queue_size;
    bool mrg_rxbuf, csum, ctrl_vq_on;
} VirtIONet;

DECLARE_INSTANCE_CHECKER(VirtIONet, VIRTIO_NET, TYPE_VIRTIO_NET)

#endif
