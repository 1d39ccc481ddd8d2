/*
 * qcow2 compressed clusters, zlib type: a raw deflate stream (no zlib
 * header, 4 KiB window: windowBits -12) of exactly one cluster.
 */
#include "turtle/osdep.h"
#include "qcow2.h"
#include <zlib.h>

int qcow2_compress(void *dst, size_t dst_size, const void *src,
                   size_t src_size)
{
    z_stream strm = { 0 };
    int ret;

    if (deflateInit2(&strm, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -12, 9,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        return -ENOMEM;
    }
    strm.next_in = (Bytef *)src;
    strm.avail_in = src_size;
    strm.next_out = dst;
    strm.avail_out = dst_size;
    ret = deflate(&strm, Z_FINISH);
    deflateEnd(&strm);
    if (ret != Z_STREAM_END) {
        return -ENOSPC;         /* does not fit: store it uncompressed */
    }
    return dst_size - strm.avail_out;
}

/*
 * The stream must produce exactly dst_size bytes.  Input past the end of
 * the stream is the padding of the last sector.  A stream that wants to
 * produce more than a cluster, or stops short, is a corrupt image.
 */
int qcow2_decompress(void *dst, size_t dst_size, const void *src,
                     size_t src_size)
{
    z_stream strm = { 0 };
    uint8_t extra;
    int ret, result = -EIO;

    if (inflateInit2(&strm, -12) != Z_OK) {
        return -ENOMEM;
    }
    strm.next_in = (Bytef *)src;
    strm.avail_in = src_size;
    strm.next_out = dst;
    strm.avail_out = dst_size;
    ret = inflate(&strm, Z_FINISH);
    if (strm.avail_out != 0) {
        goto out;               /* stops short of a cluster, or garbage */
    }
    if (ret == Z_STREAM_END) {
        result = 0;
        goto out;
    }
    /* a full cluster out: the stream must not have more to give */
    strm.next_out = &extra;
    strm.avail_out = 1;
    inflate(&strm, Z_FINISH);
    result = strm.avail_out ? 0 : -EIO;
out:
    inflateEnd(&strm);
    return result;
}
