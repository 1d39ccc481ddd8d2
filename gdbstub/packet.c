/*
 * GDB remote serial protocol: packet framing, checksums, escapes and hex
 * (see packet.h).
 */
#include "packet.h"

void gdb_packet_parser_init(GDBPacketParser *p)
{
    p->state = RX_IDLE;
    p->len = 0;
    p->overflow = false;
    p->payload[0] = 0;
}

int gdb_hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static void rx_store(GDBPacketParser *p, uint8_t ch)
{
    if (p->len < GDB_MAX_PACKET) {
        p->payload[p->len++] = ch;
    } else {
        p->overflow = true;     /* keep counting the checksum, drop data */
    }
}

GDBRxEvent gdb_packet_feed(GDBPacketParser *p, uint8_t ch)
{
    int v;

    switch (p->state) {
    case RX_IDLE:
        switch (ch) {
        case '$':
            p->state = RX_DATA;
            p->sum = 0;
            p->len = 0;
            p->overflow = false;
            return GDB_RX_NONE;
        case '+':
            return GDB_RX_ACK;
        case '-':
            return GDB_RX_NACK;
        case 0x03:
            return GDB_RX_INTERRUPT;
        default:
            return GDB_RX_NONE;   /* line noise between packets */
        }
    case RX_DATA:
        if (ch == '#') {
            p->state = RX_CSUM1;
            return GDB_RX_NONE;
        }
        if (ch == '$') {
            /* a new packet started before this one ended: gdb gave up on
             * the old one (e.g. after a timeout), take the new one */
            p->sum = 0;
            p->len = 0;
            p->overflow = false;
            return GDB_RX_NONE;
        }
        p->sum += ch;
        if (ch == '}') {
            p->state = RX_ESCAPE;
        } else {
            rx_store(p, ch);
        }
        return GDB_RX_NONE;
    case RX_ESCAPE:
        p->sum += ch;
        rx_store(p, ch ^ 0x20);
        p->state = RX_DATA;
        return GDB_RX_NONE;
    case RX_CSUM1:
        v = gdb_hexval(ch);
        /* a bad digit can never match: -1 marks it for RX_CSUM2 */
        p->csum_hi = v;
        p->state = RX_CSUM2;
        return GDB_RX_NONE;
    case RX_CSUM2:
        v = gdb_hexval(ch);
        p->state = RX_IDLE;
        p->payload[MIN(p->len, (size_t)GDB_MAX_PACKET)] = 0;
        if (v < 0 || p->csum_hi < 0 || (uint8_t)(p->csum_hi << 4 | v) != p->sum) {
            return GDB_RX_BAD_CHECKSUM;
        }
        return p->overflow ? GDB_RX_TOO_LONG : GDB_RX_PACKET;
    }
    return GDB_RX_NONE;
}

static bool needs_escape(uint8_t c)
{
    return c == '$' || c == '#' || c == '}' || c == '*';
}

void gdb_escape_binary(GString *out, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (needs_escape(data[i])) {
            g_string_append_c(out, '}');
            g_string_append_c(out, data[i] ^ 0x20);
        } else {
            g_string_append_c(out, data[i]);
        }
    }
}

void gdb_packet_encode(GString *out, const uint8_t *payload, size_t len)
{
    size_t start;
    uint8_t sum = 0;

    g_string_append_c(out, '$');
    start = out->len;
    gdb_escape_binary(out, payload, len);
    for (size_t i = start; i < out->len; i++) {
        sum += (uint8_t)out->str[i];
    }
    g_string_append_printf(out, "#%02x", sum);
}

void gdb_append_hex(GString *out, const uint8_t *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < len; i++) {
        g_string_append_c(out, digits[data[i] >> 4]);
        g_string_append_c(out, digits[data[i] & 15]);
    }
}

bool gdb_hex_to_bytes(const char *s, uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        int hi = gdb_hexval(s[2 * i]);
        int lo = hi < 0 ? -1 : gdb_hexval(s[2 * i + 1]);

        if (lo < 0) {
            return false;
        }
        out[i] = hi << 4 | lo;
    }
    return true;
}

bool gdb_parse_hex(const char **s, uint64_t *v)
{
    const char *p = *s;
    uint64_t r = 0;
    int d, n = 0;

    while ((d = gdb_hexval(*p)) >= 0) {
        if (++n > 16) {
            return false;
        }
        r = r << 4 | d;
        p++;
    }
    if (!n) {
        return false;
    }
    *s = p;
    *v = r;
    return true;
}
