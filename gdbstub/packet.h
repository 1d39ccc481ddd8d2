/*
 * GDB remote serial protocol: the packet layer (no CPU, no chardev), so
 * it can be unit-tested on byte strings.
 *
 * On the wire a packet is `$payload#cc`: cc is the modulo-256 sum of the
 * payload bytes as sent, in two hex digits.  Inside the payload `}` escapes
 * the next byte (sent XOR 0x20); `$`, `#`, `}` and `*` are always escaped
 * in binary data.  Outside a packet the receiver sees `+` / `-` (the
 * previous packet was / was not received intact) and 0x03 (the user pressed
 * Ctrl-C: interrupt the target).  GDB manual, "Overview" and "Binary Data"
 * of the Remote Protocol appendix.
 */
#ifndef GDBSTUB_PACKET_H
#define GDBSTUB_PACKET_H

#include "turtle/osdep.h"

/* Our largest packet, announced to gdb in qSupported (PacketSize). */
#define GDB_MAX_PACKET  0x4000

typedef enum GDBRxEvent {
    GDB_RX_NONE,        /* byte consumed, nothing complete yet */
    GDB_RX_PACKET,      /* a packet with a good checksum: see payload */
    GDB_RX_BAD_CHECKSUM,/* a packet arrived damaged: answer '-' */
    GDB_RX_TOO_LONG,    /* longer than GDB_MAX_PACKET: dropped, answer '-' */
    GDB_RX_ACK,         /* '+' */
    GDB_RX_NACK,        /* '-': send the last packet again */
    GDB_RX_INTERRUPT,   /* 0x03 outside a packet */
} GDBRxEvent;

typedef struct GDBPacketParser {
    enum { RX_IDLE, RX_DATA, RX_ESCAPE, RX_CSUM1, RX_CSUM2 } state;
    uint8_t sum;        /* of the bytes received so far, escapes included */
    int csum_hi;        /* first checksum digit, -1 if not hex */
    bool overflow;
    size_t len;
    /* the unescaped payload, NUL-terminated (binary data may hold NULs:
     * use len) */
    uint8_t payload[GDB_MAX_PACKET + 1];
} GDBPacketParser;

void gdb_packet_parser_init(GDBPacketParser *p);
/* Feed one received byte; returns what it completed. */
GDBRxEvent gdb_packet_feed(GDBPacketParser *p, uint8_t ch);

/* Append `$payload#cc` to out, escaping what must be. */
void gdb_packet_encode(GString *out, const uint8_t *payload, size_t len);
/* Append data to out with the binary escapes (qXfer, X replies). */
void gdb_escape_binary(GString *out, const uint8_t *data, size_t len);

/* Hex helpers: value of one digit, -1 if not one. */
int gdb_hexval(int c);
void gdb_append_hex(GString *out, const uint8_t *data, size_t len);
/* Decode 2*len hex digits from s into out; false on a bad digit or a
 * short string. */
bool gdb_hex_to_bytes(const char *s, uint8_t *out, size_t len);
/* Parse a hex number at *s (at least one digit, at most 16); advance *s.
 * False if there is no digit or it overflows 64 bits. */
bool gdb_parse_hex(const char **s, uint64_t *v);

#endif
