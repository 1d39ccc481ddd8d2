/*
 * virtio-net: the virtio network device (virtio 1.2, 5.1).
 *
 * Device id 1.  Queues: 0 receiveq, 1 transmitq, 2 controlq (ctrl_vq=on).
 * Configuration space: mac[6], status (LINK_UP), max_virtqueue_pairs (1).
 *
 * Properties:
 *   netdev        the -netdev back end (none: frames go nowhere)
 *   mac           the address (default 52:54:00:12:34:56 + NIC number)
 *   mrg_rxbuf     offer VIRTIO_NET_F_MRG_RXBUF (default on)
 *   csum          offer CSUM and GUEST_CSUM (default on)
 *   ctrl_vq       offer the control queue and its filters (default on)
 *   rx_queue_size, tx_queue_size   256 (powers of two, 256..1024)
 *
 * Features: MAC, STATUS, MRG_RXBUF, CSUM (the device completes a checksum
 * the guest left partial before the frame leaves), GUEST_CSUM (frames
 * from the back end carry DATA_VALID: our back ends hand over frames whose
 * checksums are known good), CTRL_VQ with CTRL_RX (+EXTRA: promiscuous,
 * all-multicast, ... modes), CTRL_MAC_ADDR and a 64-entry MAC filter,
 * CTRL_VLAN (4096-bit VLAN filter), CTRL_GUEST_OFFLOADS.
 *
 * Receive: frames that pass the filter go into the guest's buffers, one
 * buffer or, with MRG_RXBUF, as many as the frame needs (num_buffers).
 * When the buffers posted cannot hold the frame, receive() answers 0 and
 * the frame stays queued in the net core (nothing is lost); a kick on
 * receiveq (new buffers) flushes that queue.
 * Transmit: on a kick, at most TX_BURST frames, then a bottom half goes
 * on (a guest cannot keep the vCPU in the device forever).  A frame the
 * back end queued stays popped until the back end says it went; transmit
 * resumes from there.
 * Guest errors (a header shorter than the header size, a frame longer than
 * 64 KiB, a checksum field outside the frame, GSO we did not offer, a
 * control command without a status byte) are logged; a malformed chain
 * is the core's virtio_error().
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "turtle/iov.h"
#include "turtle/bswap.h"
#include "hw/net/virtio-net.h"
#include "hw/virtio/virtio-pci.h"
#include "migration/vmstate.h"
#include "sysemu/main-loop.h"

#define TX_BURST                256
#define VIRTIO_NET_CONFIG_SIZE  10        /* mac, status, max_vq_pairs */

typedef struct VirtIONetClient {
    NetClientState nc;
    VirtIONet *n;
} VirtIONetClient;

static VirtIONet *nc_to_vnet(NetClientState *nc)
{
    return ((VirtIONetClient *)nc)->n;
}

static bool virtio_net_running(VirtIONet *n)
{
    return VIRTIO_DEVICE(n)->status & VIRTIO_CONFIG_S_DRIVER_OK;
}

/* ---- receive ---- */

static bool virtio_net_mac_in(VirtIONet *n, const uint8_t *mac, int first,
                              int count)
{
    for (int i = first; i < first + count; i++) {
        if (!memcmp(n->mac_table[i], mac, ETH_ALEN)) {
            return true;
        }
    }
    return false;
}

/* The control queue's receive filter (5.1.6.5.1, 5.1.6.5.2, 5.1.6.5.3). */
static bool virtio_net_accept(VirtIONet *n, const uint8_t *frame, size_t len)
{
    static const uint8_t bcast[ETH_ALEN] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff
    };

    if (n->promisc) {
        return true;
    }
    if (len < ETH_HLEN) {
        return false;
    }
    if (virtio_vdev_has_feature(VIRTIO_DEVICE(n), VIRTIO_NET_F_CTRL_VLAN) &&
        len >= ETH_HLEN + 4 && frame[12] == 0x81 && frame[13] == 0x00) {
        unsigned vid = ((frame[14] << 8) | frame[15]) & 0xfff;

        if (!(n->vlans[vid / 32] & (1u << (vid % 32)))) {
            return false;
        }
    }
    if (frame[0] & 1) {
        if (!memcmp(frame, bcast, ETH_ALEN)) {
            return !n->nobcast;
        }
        if (n->nomulti) {
            return false;
        }
        return n->allmulti ||
               virtio_net_mac_in(n, frame, n->uni_entries, n->multi_entries);
    }
    if (n->nouni) {
        return false;
    }
    return n->alluni || !memcmp(frame, n->mac.a, ETH_ALEN) ||
           virtio_net_mac_in(n, frame, 0, n->uni_entries);
}

static bool virtio_net_can_receive(NetClientState *nc)
{
    VirtIONet *n = nc_to_vnet(nc);

    return virtio_net_running(n) && virtio_queue_ready(n->rx_vq);
}

/* Return the popped buffers, last first, so they are taken again. */
static void virtio_net_unpop_all(VirtIONet *n, VirtQueueElement **elems,
                                 unsigned count)
{
    while (count) {
        count--;
        virtqueue_unpop(n->rx_vq, elems[count], 0);
        g_free(elems[count]);
    }
}

static ssize_t virtio_net_receive_locked(VirtIONet *n, const uint8_t *frame,
                                         size_t size)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    unsigned max = virtio_queue_get_num(vdev, 0);
    g_autofree VirtQueueElement **elems = g_new0(VirtQueueElement *, max);
    g_autofree unsigned *lens = g_new0(unsigned, max);
    VirtioNetHdr hdr = { 0 };
    size_t total = n->hdr_len + size, done = 0;
    unsigned count = 0;
    bool retried = false;

    if (n->guest_offloads & (1ull << VIRTIO_NET_F_GUEST_CSUM)) {
        hdr.flags = VIRTIO_NET_HDR_F_DATA_VALID;
    }
    while (done < total) {
        VirtQueueElement *elem;
        size_t room, off;

        if (count == max) {
            break;                         /* cannot happen: ring holds max */
        }
        elem = virtqueue_pop(n->rx_vq, sizeof(VirtQueueElement));
        if (!elem) {
            if (vdev->broken) {
                return size;               /* nothing more goes in */
            }
            /* ask for a kick, then look once more (the race with a
             * driver adding buffers just now) */
            virtio_queue_set_notification(n->rx_vq, true);
            if (!retried && !virtio_queue_empty(n->rx_vq)) {
                retried = true;
                continue;
            }
            virtio_net_unpop_all(n, elems, count);
            return 0;                      /* the net core keeps the frame */
        }
        room = iov_size(elem->in_sg, elem->in_num);
        if (room == 0 || (count == 0 && room < n->hdr_len)) {
            tlog_mask(LOG_GUEST_ERROR, "virtio-net: receive buffer of %zu "
                      "bytes, less than the %u-byte header\n", room,
                      n->hdr_len);
            virtqueue_push(n->rx_vq, elem, 0);
            g_free(elem);
            virtio_net_unpop_all(n, elems, count);
            virtio_notify(vdev, n->rx_vq);
            return size;                   /* dropped */
        }
        elems[count] = elem;
        /* the frame follows the header, across buffers with MRG_RXBUF */
        off = 0;
        if (count == 0) {
            off = n->hdr_len;
            done = n->hdr_len;
        }
        lens[count] = off + iov_from_buf(elem->in_sg, elem->in_num, off,
                                         frame + (done - n->hdr_len),
                                         total - done);
        done += lens[count] - off;
        count++;
        if (!n->mergeable) {
            break;
        }
    }
    if (done < total) {
        /* one buffer too small without MRG_RXBUF: the frame is dropped,
         * the buffer stays the guest's */
        tlog_mask(LOG_GUEST_ERROR, "virtio-net: a %zu-byte frame does not "
                  "fit the receive buffer\n", size);
        virtio_net_unpop_all(n, elems, count);
        return size;
    }
    hdr.num_buffers = cpu_to_le16(count);
    iov_from_buf(elems[0]->in_sg, elems[0]->in_num, 0, &hdr, n->hdr_len);
    for (unsigned i = 0; i < count; i++) {
        virtqueue_fill(n->rx_vq, elems[i], lens[i], i);
        g_free(elems[i]);
    }
    virtqueue_flush(n->rx_vq, count);
    virtio_notify(vdev, n->rx_vq);
    return size;
}

static ssize_t virtio_net_receive(NetClientState *nc, const struct iovec *iov,
                                  int iovcnt)
{
    VirtIONet *n = nc_to_vnet(nc);
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    size_t size = iov_size(iov, iovcnt);
    g_autofree uint8_t *frame = NULL;
    ssize_t ret;
    bool was;

    if (!virtio_net_can_receive(nc)) {
        return 0;
    }
    if (size > NET_MAX_FRAME) {
        return size;
    }
    frame = g_malloc(size ? size : 1);
    iov_to_buf(iov, iovcnt, 0, frame, size);
    if (!virtio_net_accept(n, frame, size)) {
        return size;
    }
    was = virtio_guard_begin(vdev);
    ret = virtio_net_receive_locked(n, frame, size);
    virtio_guard_end(vdev, was);
    return ret;
}

static void virtio_net_handle_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    /* new buffers: what waits in the net core can come in */
    net_flush_queued(n->nic);
}

/* ---- transmit ---- */

static void virtio_net_flush_tx(VirtIONet *n);

static void virtio_net_tx_complete(NetClientState *nc, ssize_t len)
{
    VirtIONet *n = nc_to_vnet(nc);
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    bool was;

    if (!n->tx_waiting) {
        return;
    }
    was = virtio_guard_begin(vdev);
    virtqueue_push(n->tx_vq, n->tx_waiting, 0);
    g_free(n->tx_waiting);
    n->tx_waiting = NULL;
    virtio_notify(vdev, n->tx_vq);
    virtio_net_flush_tx(n);
    virtio_guard_end(vdev, was);
}

/* One frame from the guest, its checksum completed; false: dropped. */
static bool virtio_net_tx_frame(VirtIONet *n, VirtQueueElement *elem,
                                uint8_t **framep, size_t *lenp)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    size_t size = iov_size(elem->out_sg, elem->out_num), len;
    VirtioNetHdr hdr;
    uint8_t *frame;

    if (size < n->hdr_len) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-net: transmit request of %zu "
                  "bytes, shorter than the %u-byte header\n", size,
                  n->hdr_len);
        return false;
    }
    len = size - n->hdr_len;
    if (len > NET_MAX_FRAME || len == 0) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-net: transmit frame of %zu "
                  "bytes dropped\n", len);
        return false;
    }
    iov_to_buf(elem->out_sg, elem->out_num, 0, &hdr, n->hdr_len);
    if (hdr.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-net: GSO type %u was not "
                  "offered\n", hdr.gso_type);
        return false;
    }
    frame = g_malloc(len);
    iov_to_buf(elem->out_sg, elem->out_num, n->hdr_len, frame, len);
    if ((hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
        virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CSUM) &&
        !net_checksum_complete(frame, len, le16_to_cpu(hdr.csum_start),
                               le16_to_cpu(hdr.csum_offset))) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-net: checksum at %u+%u outside "
                  "the %zu-byte frame\n", le16_to_cpu(hdr.csum_start),
                  le16_to_cpu(hdr.csum_offset), len);
        g_free(frame);
        return false;
    }
    *framep = frame;
    *lenp = len;
    return true;
}

static void virtio_net_flush_tx(VirtIONet *n)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    bool pushed = false;
    int budget = TX_BURST;

    if (!virtio_net_running(n)) {
        return;
    }
    while (!n->tx_waiting) {
        VirtQueueElement *elem;
        uint8_t *frame = NULL;
        size_t len = 0;

        if (budget-- == 0) {
            qemu_bh_schedule(n->tx_bh);    /* the rest later */
            break;
        }
        elem = virtqueue_pop(n->tx_vq, sizeof(VirtQueueElement));
        if (!elem) {
            break;
        }
        if (virtio_net_tx_frame(n, elem, &frame, &len) &&
            net_send_async(n->nic, frame, len, virtio_net_tx_complete) == 0) {
            /* queued at the peer: this request waits for it */
            n->tx_waiting = elem;
            g_free(frame);
            break;
        }
        g_free(frame);
        virtqueue_push(n->tx_vq, elem, 0);
        g_free(elem);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, n->tx_vq);
    }
}

static void virtio_net_handle_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    virtio_net_flush_tx(VIRTIO_NET(vdev));
}

static void virtio_net_tx_bh(void *opaque)
{
    VirtIONet *n = opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    bool was = virtio_guard_begin(vdev);

    virtio_net_flush_tx(n);
    virtio_guard_end(vdev, was);
}

/* ---- control queue ---- */

static uint8_t virtio_net_ctrl_rx(VirtIONet *n, uint8_t cmd,
                                  const uint8_t *data, size_t len)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    bool *modes[] = {
        [VIRTIO_NET_CTRL_RX_PROMISC] = &n->promisc,
        [VIRTIO_NET_CTRL_RX_ALLMULTI] = &n->allmulti,
        [VIRTIO_NET_CTRL_RX_ALLUNI] = &n->alluni,
        [VIRTIO_NET_CTRL_RX_NOMULTI] = &n->nomulti,
        [VIRTIO_NET_CTRL_RX_NOUNI] = &n->nouni,
        [VIRTIO_NET_CTRL_RX_NOBCAST] = &n->nobcast,
    };

    if (len != 1 || cmd >= ARRAY_SIZE(modes)) {
        return VIRTIO_NET_ERR;
    }
    if (cmd > VIRTIO_NET_CTRL_RX_ALLMULTI &&
        !virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_RX_EXTRA)) {
        return VIRTIO_NET_ERR;
    }
    *modes[cmd] = data[0] != 0;
    return VIRTIO_NET_OK;
}

static void virtio_net_config_mac_changed(VirtIONet *n)
{
    virtio_notify_config(VIRTIO_DEVICE(n));
}

static uint8_t virtio_net_ctrl_mac(VirtIONet *n, uint8_t cmd,
                                   const uint8_t *data, size_t len)
{
    uint32_t uni, multi;
    size_t uni_bytes;

    if (cmd == VIRTIO_NET_CTRL_MAC_ADDR_SET) {
        if (len != ETH_ALEN) {
            return VIRTIO_NET_ERR;
        }
        memcpy(n->mac.a, data, ETH_ALEN);
        virtio_net_config_mac_changed(n);
        return VIRTIO_NET_OK;
    }
    if (cmd != VIRTIO_NET_CTRL_MAC_TABLE_SET || len < 4) {
        return VIRTIO_NET_ERR;
    }
    /* two tables: le32 entries, then entries * 6 bytes (5.1.6.5.2) */
    uni = ld32_le_p(data);
    if (uni > (len - 4) / ETH_ALEN) {
        return VIRTIO_NET_ERR;
    }
    uni_bytes = 4 + (size_t)uni * ETH_ALEN;
    if (len - uni_bytes < 4) {
        return VIRTIO_NET_ERR;
    }
    multi = ld32_le_p(data + uni_bytes);
    if (multi != (len - uni_bytes - 4) / ETH_ALEN ||
        (len - uni_bytes - 4) % ETH_ALEN) {
        return VIRTIO_NET_ERR;
    }
    n->alluni = n->allmulti = false;
    n->uni_entries = n->multi_entries = 0;
    /* more than the table holds: let the class through, as QEMU does */
    if (uni > VIRTIO_NET_MAC_TABLE_ENTRIES) {
        n->alluni = true;
    } else {
        memcpy(n->mac_table, data + 4, uni * ETH_ALEN);
        n->uni_entries = uni;
    }
    if (multi > VIRTIO_NET_MAC_TABLE_ENTRIES - n->uni_entries) {
        n->allmulti = true;
    } else {
        memcpy(n->mac_table[n->uni_entries], data + uni_bytes + 4,
               multi * ETH_ALEN);
        n->multi_entries = multi;
    }
    return VIRTIO_NET_OK;
}

static uint8_t virtio_net_ctrl_vlan(VirtIONet *n, uint8_t cmd,
                                    const uint8_t *data, size_t len)
{
    unsigned vid;

    if (len != 2) {
        return VIRTIO_NET_ERR;
    }
    vid = ld16_le_p(data);
    if (vid >= VIRTIO_NET_MAX_VLAN) {
        return VIRTIO_NET_ERR;
    }
    if (cmd == VIRTIO_NET_CTRL_VLAN_ADD) {
        n->vlans[vid / 32] |= 1u << (vid % 32);
    } else if (cmd == VIRTIO_NET_CTRL_VLAN_DEL) {
        n->vlans[vid / 32] &= ~(1u << (vid % 32));
    } else {
        return VIRTIO_NET_ERR;
    }
    return VIRTIO_NET_OK;
}

static uint8_t virtio_net_ctrl_offloads(VirtIONet *n, uint8_t cmd,
                                        const uint8_t *data, size_t len)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    uint64_t want;
    /* the guest-side offloads this device can switch: GUEST_CSUM */
    uint64_t allowed = vdev->guest_features &
                       (1ull << VIRTIO_NET_F_GUEST_CSUM);

    if (cmd != VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET || len != 8 ||
        !virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS)) {
        return VIRTIO_NET_ERR;
    }
    want = ld64_le_p(data);
    if (want & ~allowed) {
        return VIRTIO_NET_ERR;
    }
    n->guest_offloads = want;
    return VIRTIO_NET_OK;
}

#define CTRL_MAX_DATA  (8 + 2 * (4 + 4096 * ETH_ALEN))   /* a huge table */

static void virtio_net_handle_ctrl(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq, sizeof(VirtQueueElement)))) {
        size_t out = iov_size(elem->out_sg, elem->out_num);
        size_t in = iov_size(elem->in_sg, elem->in_num);
        uint8_t status = VIRTIO_NET_ERR, cls_cmd[2];
        g_autofree uint8_t *data = NULL;
        size_t len;

        if (out < 2 || in < 1) {
            tlog_mask(LOG_GUEST_ERROR, "virtio-net: control request "
                      "without %s\n", out < 2 ? "class and command" :
                      "a status byte");
            virtqueue_push(vq, elem, 0);
            g_free(elem);
            continue;
        }
        iov_to_buf(elem->out_sg, elem->out_num, 0, cls_cmd, 2);
        len = MIN(out - 2, (size_t)CTRL_MAX_DATA);
        data = g_malloc(len ? len : 1);
        iov_to_buf(elem->out_sg, elem->out_num, 2, data, len);
        if (out - 2 <= CTRL_MAX_DATA) {
            switch (cls_cmd[0]) {
            case VIRTIO_NET_CTRL_RX:
                if (virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_RX)) {
                    status = virtio_net_ctrl_rx(n, cls_cmd[1], data, len);
                }
                break;
            case VIRTIO_NET_CTRL_MAC:
                status = virtio_net_ctrl_mac(n, cls_cmd[1], data, len);
                break;
            case VIRTIO_NET_CTRL_VLAN:
                if (virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_VLAN)) {
                    status = virtio_net_ctrl_vlan(n, cls_cmd[1], data, len);
                }
                break;
            case VIRTIO_NET_CTRL_GUEST_OFFLOADS:
                status = virtio_net_ctrl_offloads(n, cls_cmd[1], data, len);
                break;
            default:
                break;
            }
        }
        iov_from_buf(elem->in_sg, elem->in_num, 0, &status, 1);
        virtqueue_push(vq, elem, 1);
        g_free(elem);
    }
    virtio_notify(vdev, vq);
}

/* ---- virtio device ---- */

static uint64_t virtio_net_get_features(VirtIODevice *vdev, uint64_t f)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    f |= 1ull << VIRTIO_NET_F_MAC | 1ull << VIRTIO_NET_F_STATUS;
    if (n->mrg_rxbuf) {
        f |= 1ull << VIRTIO_NET_F_MRG_RXBUF;
    }
    if (n->csum) {
        f |= 1ull << VIRTIO_NET_F_CSUM | 1ull << VIRTIO_NET_F_GUEST_CSUM;
    }
    if (n->ctrl_vq_on) {
        f |= 1ull << VIRTIO_NET_F_CTRL_VQ | 1ull << VIRTIO_NET_F_CTRL_RX |
             1ull << VIRTIO_NET_F_CTRL_RX_EXTRA |
             1ull << VIRTIO_NET_F_CTRL_VLAN |
             1ull << VIRTIO_NET_F_CTRL_MAC_ADDR;
        if (n->csum) {
            f |= 1ull << VIRTIO_NET_F_CTRL_GUEST_OFFLOADS;
        }
    }
    return f;
}

static void virtio_net_set_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    n->mergeable = virtio_has_feature(features, VIRTIO_NET_F_MRG_RXBUF);
    n->hdr_len = n->mergeable ||
                 virtio_has_feature(features, VIRTIO_F_VERSION_1) ? 12 : 10;
    n->guest_offloads = features & (1ull << VIRTIO_NET_F_GUEST_CSUM);
}

static void virtio_net_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    memcpy(config, n->mac.a, ETH_ALEN);
    st16_le_p(config + 6, n->status);
    st16_le_p(config + 8, 1);               /* max_virtqueue_pairs */
}

static void virtio_net_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    /* the legacy way of setting the address (modern: CTRL_MAC_ADDR) */
    if (!virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1) &&
        !virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_MAC_ADDR)) {
        memcpy(n->mac.a, config, ETH_ALEN);
    }
}

static void virtio_net_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    if (status & VIRTIO_CONFIG_S_DRIVER_OK) {
        net_flush_queued(n->nic);
        virtio_net_flush_tx(n);
    }
}

static void virtio_net_reset(VirtIODevice *vdev)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    if (n->tx_waiting) {
        virtqueue_detach_element(n->tx_vq, n->tx_waiting, 0);
        g_free(n->tx_waiting);
        n->tx_waiting = NULL;
    }
    qemu_bh_cancel(n->tx_bh);
    /* everything passes until a driver with CTRL_RX says otherwise */
    n->promisc = true;
    n->allmulti = n->alluni = n->nomulti = n->nouni = n->nobcast = false;
    n->uni_entries = n->multi_entries = 0;
    memset(n->vlans, 0, sizeof(n->vlans));
    n->mac = n->conf.macaddr;
    n->mergeable = false;
    n->hdr_len = 10;
    n->guest_offloads = 0;
}

static void virtio_net_link_status_changed(NetClientState *nc)
{
    VirtIONet *n = nc_to_vnet(nc);
    uint16_t old = n->status;

    n->status = nc->link_down ? 0 : VIRTIO_NET_S_LINK_UP;
    if (n->status != old &&
        virtio_vdev_has_feature(VIRTIO_DEVICE(n), VIRTIO_NET_F_STATUS)) {
        virtio_notify_config(VIRTIO_DEVICE(n));
    }
}

static const NetClientInfo virtio_net_client_info = {
    .kind = "nic",
    .size = sizeof(VirtIONetClient),
    .is_nic = true,
    .receive = virtio_net_receive,
    .can_receive = virtio_net_can_receive,
    .link_status_changed = virtio_net_link_status_changed,
};

static bool virtio_net_check_size(const char *name, uint16_t size,
                                  Error **errp)
{
    if (size < 256 || size > VIRTQUEUE_MAX_SIZE || (size & (size - 1))) {
        error_setg(errp, "Invalid %s = %u: it must be a power of 2 between "
                   "256 and %d", name, size, VIRTQUEUE_MAX_SIZE);
        return false;
    }
    return true;
}

static bool virtio_net_realize(VirtIODevice *vdev, Error **errp)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    DeviceState *dev = DEVICE(vdev);

    if (!virtio_net_check_size("rx_queue_size", n->rx_queue_size, errp) ||
        !virtio_net_check_size("tx_queue_size", n->tx_queue_size, errp)) {
        return false;
    }
    net_nic_conf_macaddr(&n->conf);
    virtio_init(vdev, VIRTIO_ID_NET, VIRTIO_NET_CONFIG_SIZE);
    n->rx_vq = virtio_add_queue(vdev, n->rx_queue_size, virtio_net_handle_rx);
    n->tx_vq = virtio_add_queue(vdev, n->tx_queue_size, virtio_net_handle_tx);
    if (n->ctrl_vq_on) {
        n->ctrl_vq = virtio_add_queue(vdev, 64, virtio_net_handle_ctrl);
    }
    n->tx_bh = qemu_bh_new_guarded(virtio_net_tx_bh, n,
                                   &dev->mem_reentrancy_guard);
    n->nic = net_nic_new(&virtio_net_client_info, &n->conf,
                         object_get_typename(OBJECT(dev)), dev->id);
    ((VirtIONetClient *)n->nic)->n = n;
    n->status = n->nic->link_down ? 0 : VIRTIO_NET_S_LINK_UP;
    n->mac = n->conf.macaddr;
    n->promisc = true;
    n->hdr_len = 10;
    return true;
}

static void virtio_net_unrealize(VirtIODevice *vdev)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    virtio_net_reset(vdev);
    net_client_free(n->nic);
    n->nic = NULL;
    qemu_bh_delete(n->tx_bh);
    for (int i = n->ctrl_vq ? 2 : 1; i >= 0; i--) {
        virtio_del_queue(vdev, i);
    }
    virtio_cleanup(vdev);
}

static int virtio_net_post_load(void *opaque, int version_id)
{
    VirtIONet *n = opaque;

    if (n->uni_entries + n->multi_entries > VIRTIO_NET_MAC_TABLE_ENTRIES ||
        (n->hdr_len != 10 && n->hdr_len != 12)) {
        return -EINVAL;
    }
    return 0;
}

static const VMStateDescription vmstate_virtio_net = {
    .name = "virtio-net",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = virtio_net_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(parent_obj, VirtIONet, vmstate_virtio_device,
                       VirtIODevice),
        VMSTATE_BUFFER(mac, VirtIONet),
        VMSTATE_UINT16(status, VirtIONet),
        VMSTATE_BOOL(mergeable, VirtIONet),
        VMSTATE_UINT32(hdr_len, VirtIONet),
        VMSTATE_BOOL(promisc, VirtIONet),
        VMSTATE_BOOL(allmulti, VirtIONet),
        VMSTATE_BOOL(alluni, VirtIONet),
        VMSTATE_BOOL(nomulti, VirtIONet),
        VMSTATE_BOOL(nouni, VirtIONet),
        VMSTATE_BOOL(nobcast, VirtIONet),
        VMSTATE_UINT32(uni_entries, VirtIONet),
        VMSTATE_UINT32(multi_entries, VirtIONet),
        VMSTATE_BUFFER(mac_table, VirtIONet),
        VMSTATE_UINT32_ARRAY(vlans, VirtIONet, VIRTIO_NET_MAX_VLAN / 32),
        VMSTATE_UINT64(guest_offloads, VirtIONet),
        VMSTATE_END_OF_LIST()
    },
};

static const Property virtio_net_props[] = {
    DEFINE_NIC_PROPERTIES(VirtIONet, conf),
    DEFINE_PROP_BOOL("mrg_rxbuf", VirtIONet, mrg_rxbuf, true),
    DEFINE_PROP_BOOL("csum", VirtIONet, csum, true),
    DEFINE_PROP_BOOL("ctrl_vq", VirtIONet, ctrl_vq_on, true),
    DEFINE_PROP_UINT16("rx_queue_size", VirtIONet, rx_queue_size, 256),
    DEFINE_PROP_UINT16("tx_queue_size", VirtIONet, tx_queue_size, 256),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_net_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    dc->desc = "virtio network device";
    dc->category = DEVICE_CATEGORY_NETWORK;
    dc->props = virtio_net_props;
    dc->vmsd = &vmstate_virtio_net;
    dc->user_creatable = true;
    vdc->realize = virtio_net_realize;
    vdc->unrealize = virtio_net_unrealize;
    vdc->get_features = virtio_net_get_features;
    vdc->set_features = virtio_net_set_features;
    vdc->get_config = virtio_net_get_config;
    vdc->set_config = virtio_net_set_config;
    vdc->reset = virtio_net_reset;
    vdc->set_status = virtio_net_set_status;
}

static const TypeInfo virtio_net_info = {
    .name = TYPE_VIRTIO_NET,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIONet),
    .class_init = virtio_net_class_init,
};
TYPE_REGISTER(virtio_net_info)

static const VirtioPCIDeviceTypeInfo virtio_net_pci_info = {
    .name = "virtio-net-pci", .vdev_type = TYPE_VIRTIO_NET,
    .class_id = PCI_CLASS_NETWORK_ETHERNET,
    .desc = "virtio network device (PCI)",
    .category = DEVICE_CATEGORY_NETWORK,
};
VIRTIO_PCI_TYPE_REGISTER(virtio_net_pci_info)
