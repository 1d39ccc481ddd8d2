/*
 * A client's incoming queue: frames sent to it while it could not take
 * them, kept in order until it asks for them (include/net/net.h).
 *
 * A frame whose sender gave a sent callback is always kept: such a sender
 * stops producing after its first queued frame, so it can have at most a
 * few in the queue.  A frame without one (slirp, which cannot be told to
 * wait) is dropped once NET_QUEUE_MAX_PACKETS wait: a guest that never
 * posts receive buffers must not make the host buffer without bound.
 */
#include "turtle/osdep.h"
#include "turtle/iov.h"
#include "net/net.h"

typedef struct NetPacket {
    NetClientState *sender;
    NetPacketSent *sent_cb;
    size_t size;
    uint8_t data[];
} NetPacket;

struct NetQueue {
    NetClientState *owner;
    GQueue packets;
    unsigned without_cb;          /* frames counted against the limit */
    bool flushing;                /* re-entry from a sent callback */
};

NetQueue *net_queue_new(NetClientState *owner)
{
    NetQueue *q = g_new0(NetQueue, 1);

    q->owner = owner;
    g_queue_init(&q->packets);
    return q;
}

static void net_packet_release(NetQueue *q, NetPacket *p, ssize_t len)
{
    if (!p->sent_cb) {
        q->without_cb--;
    } else if (p->sender) {
        p->sent_cb(p->sender, len);
    }
    g_free(p);
}

void net_queue_free(NetQueue *q)
{
    NetPacket *p;

    if (!q) {
        return;
    }
    while ((p = g_queue_pop_head(&q->packets))) {
        net_packet_release(q, p, 0);
    }
    g_free(q);
}

bool net_queue_append(NetQueue *q, NetClientState *sender,
                      const struct iovec *iov, int iovcnt,
                      NetPacketSent *sent_cb)
{
    size_t size = iov_size(iov, iovcnt);
    NetPacket *p;

    if (!sent_cb && q->without_cb >= NET_QUEUE_MAX_PACKETS) {
        return false;
    }
    p = g_malloc(sizeof(*p) + size);
    p->sender = sender;
    p->sent_cb = sent_cb;
    p->size = iov_to_buf(iov, iovcnt, 0, p->data, size);
    if (!sent_cb) {
        q->without_cb++;
    }
    g_queue_push_tail(&q->packets, p);
    return true;
}

bool net_queue_empty(NetQueue *q)
{
    return g_queue_is_empty(&q->packets);
}

unsigned net_queue_len(NetQueue *q)
{
    return g_queue_get_length(&q->packets);
}

bool net_queue_flush(NetQueue *q,
                     ssize_t (*deliver)(NetClientState *sender,
                                        NetClientState *owner,
                                        const struct iovec *iov, int iovcnt))
{
    NetPacket *p;

    if (q->flushing) {
        /* a sent callback sent again: the outer loop carries on */
        return g_queue_is_empty(&q->packets);
    }
    q->flushing = true;
    while ((p = g_queue_peek_head(&q->packets))) {
        struct iovec iov = { .iov_base = p->data, .iov_len = p->size };
        ssize_t ret = deliver(p->sender, q->owner, &iov, 1);

        if (ret == 0) {
            break;                /* the owner is full again */
        }
        g_queue_pop_head(&q->packets);
        net_packet_release(q, p, ret);
    }
    q->flushing = false;
    return g_queue_is_empty(&q->packets);
}

void net_queue_purge(NetQueue *q, NetClientState *sender)
{
    GList *l, *next;

    for (l = q->packets.head; l; l = next) {
        NetPacket *p = l->data;

        next = l->next;
        if (p->sender == sender) {
            g_queue_delete_link(&q->packets, l);
            p->sender = NULL;      /* no callback into a dying client */
            net_packet_release(q, p, 0);
        }
    }
}
