/*
 * Internet checksums (RFC 1071) for NICs that offload them: the guest
 * leaves a partial sum and says where the final one goes.
 */
#include "turtle/osdep.h"
#include "net/net.h"

uint32_t net_checksum_add(const uint8_t *buf, size_t len, uint32_t sum)
{
    size_t i;

    for (i = 0; i + 1 < len; i += 2) {
        sum += (buf[i] << 8) | buf[i + 1];
    }
    if (i < len) {
        sum += buf[i] << 8;
    }
    return sum;
}

uint16_t net_checksum_finish(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum;
}

bool net_checksum_complete(uint8_t *frame, size_t len, size_t start,
                           size_t offset)
{
    uint16_t csum;

    /* both ends come from the guest: the field must lie in the frame */
    if (start >= len || offset > len - start || len - start - offset < 2) {
        return false;
    }
    csum = net_checksum_finish(net_checksum_add(frame + start, len - start,
                                                0));
    frame[start + offset] = csum >> 8;
    frame[start + offset + 1] = csum;
    return true;
}
