/*
 * filter-dump: every frame through a netdev, both ways, into a pcap file
 * (libpcap format, link type Ethernet) for wireshark or tcpdump -r:
 *
 *   -object filter-dump,id=ID,netdev=NETDEV,file=PATH[,maxlen=BYTES]
 *
 * maxlen (default 65536) caps the bytes kept per frame (the record keeps
 * the frame's real length).  Frames are recorded when they are sent,
 * with the host's wall-clock time; a frame queued at a NIC without
 * buffers is recorded once, when it was sent.
 */
#include "turtle/osdep.h"
#include "turtle/option.h"
#include "turtle/iov.h"
#include "net/net.h"

#define PCAP_MAGIC        0xa1b2c3d4
#define PCAP_LINKTYPE_ETH 1

struct NetFilter {
    char *id;
    FILE *f;
    uint32_t maxlen;
};

static GList *net_filters;

/* pcap files are in the writer's byte order (readers check the magic) */
static void put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void net_filter_dump_write(NetFilter *nf, const struct iovec *iov,
                                  int iovcnt)
{
    size_t size = iov_size(iov, iovcnt);
    size_t keep = MIN(size, nf->maxlen);
    g_autofree uint8_t *rec = g_malloc(16 + keep);
    gint64 now = g_get_real_time();

    put32(rec, now / G_USEC_PER_SEC);
    put32(rec + 4, now % G_USEC_PER_SEC);
    put32(rec + 8, keep);
    put32(rec + 12, size);
    iov_to_buf(iov, iovcnt, 0, rec + 16, keep);
    if (fwrite(rec, 16 + keep, 1, nf->f) != 1 || fflush(nf->f)) {
        /* a full disk must not stop the network: stop the dump */
        warn_report("filter-dump %s: %s; dump stopped", nf->id,
                    strerror(errno));
        fclose(nf->f);
        nf->f = NULL;
    }
}

void net_filter_dump_frame(NetFilter *nf, const struct iovec *iov,
                           int iovcnt)
{
    if (!nf->f) {
        return;
    }
    net_filter_dump_write(nf, iov, iovcnt);
}

bool net_filter_dump_new(Opts *o, Error **errp)
{
    const char *id = opts_get(o, "id");
    const char *netdev = opts_get(o, "netdev");
    const char *file = opts_get(o, "file");
    uint64_t maxlen = 65536;
    NetClientState *nc;
    NetFilter *nf;
    uint8_t hdr[24];

    opts_get(o, "qom-type");
    if (!opts_get_size(o, "maxlen", &maxlen, errp)) {
        return false;
    }
    if (opts_has(o, "queue") || opts_has(o, "position") ||
        opts_has(o, "insert")) {
        error_setg(errp, "filter-dump: queue=, position= and insert= are "
                   "not supported (frames are dumped both ways)");
        return false;
    }
    if (!opts_check_all_used(o, errp)) {
        return false;
    }
    if (!id || !netdev || !file) {
        error_setg(errp, "filter-dump: id=, netdev= and file= are required");
        return false;
    }
    if (maxlen == 0 || maxlen > UINT32_MAX) {
        error_setg(errp, "filter-dump: maxlen must be 1..%u", UINT32_MAX);
        return false;
    }
    nc = net_find_netdev(netdev);
    if (!nc) {
        error_setg(errp, "filter-dump: no -netdev '%s'", netdev);
        return false;
    }
    if (nc->dump) {
        error_setg(errp, "filter-dump: netdev '%s' is dumped already",
                   netdev);
        return false;
    }
    nf = g_new0(NetFilter, 1);
    nf->f = fopen(file, "wb");
    if (!nf->f) {
        error_setg(errp, "filter-dump: cannot open '%s': %s", file,
                   strerror(errno));
        g_free(nf);
        return false;
    }
    nf->id = g_strdup(id);
    nf->maxlen = maxlen;
    put32(hdr, PCAP_MAGIC);
    put16(hdr + 4, 2);           /* version 2.4 */
    put16(hdr + 6, 4);
    put32(hdr + 8, 0);           /* thiszone */
    put32(hdr + 12, 0);          /* sigfigs */
    put32(hdr + 16, nf->maxlen); /* snaplen */
    put32(hdr + 20, PCAP_LINKTYPE_ETH);
    if (fwrite(hdr, sizeof(hdr), 1, nf->f) != 1 || fflush(nf->f)) {
        error_setg(errp, "filter-dump: cannot write '%s': %s", file,
                   strerror(errno));
        fclose(nf->f);
        g_free(nf->id);
        g_free(nf);
        return false;
    }
    nc->dump = nf;
    net_filters = g_list_append(net_filters, nf);
    return true;
}
