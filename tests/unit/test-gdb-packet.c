/*
 * The gdb stub's packet layer (gdbstub/packet.c): framing, checksums,
 * escapes, acks and Ctrl-C, hex, and what a hostile peer can send
 * (bad checksums, bad checksum digits, over-long packets, noise).
 */
#include "turtle/osdep.h"
#include "../../gdbstub/packet.h"

/* Feed s; return the last event that was not GDB_RX_NONE (and how many). */
static GDBRxEvent feed(GDBPacketParser *p, const char *s, size_t len,
                       int *events)
{
    GDBRxEvent last = GDB_RX_NONE;

    *events = 0;
    for (size_t i = 0; i < len; i++) {
        GDBRxEvent e = gdb_packet_feed(p, (uint8_t)s[i]);

        if (e != GDB_RX_NONE) {
            last = e;
            (*events)++;
        }
    }
    return last;
}

static GDBRxEvent feed_str(GDBPacketParser *p, const char *s)
{
    int n;

    return feed(p, s, strlen(s), &n);
}

static void test_good_packet(void)
{
    GDBPacketParser p;
    int n;

    gdb_packet_parser_init(&p);
    /* 'g' = 0x67 */
    g_assert_cmpint(feed(&p, "$g#67", 5, &n), ==, GDB_RX_PACKET);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr((char *)p.payload, ==, "g");
    g_assert_cmpuint(p.len, ==, 1);
    /* upper-case checksum digits are accepted too */
    g_assert_cmpint(feed_str(&p, "$qC#B4"), ==, GDB_RX_PACKET);
    g_assert_cmpstr((char *)p.payload, ==, "qC");
    /* empty packet */
    g_assert_cmpint(feed_str(&p, "$#00"), ==, GDB_RX_PACKET);
    g_assert_cmpuint(p.len, ==, 0);
}

static void test_bad_checksum(void)
{
    GDBPacketParser p;

    gdb_packet_parser_init(&p);
    g_assert_cmpint(feed_str(&p, "$g#68"), ==, GDB_RX_BAD_CHECKSUM);
    /* not hex digits */
    g_assert_cmpint(feed_str(&p, "$g#zz"), ==, GDB_RX_BAD_CHECKSUM);
    g_assert_cmpint(feed_str(&p, "$g#6z"), ==, GDB_RX_BAD_CHECKSUM);
    /* the parser recovers for the next packet */
    g_assert_cmpint(feed_str(&p, "$g#67"), ==, GDB_RX_PACKET);
}

static void test_acks_and_interrupt(void)
{
    GDBPacketParser p;

    gdb_packet_parser_init(&p);
    g_assert_cmpint(gdb_packet_feed(&p, '+'), ==, GDB_RX_ACK);
    g_assert_cmpint(gdb_packet_feed(&p, '-'), ==, GDB_RX_NACK);
    g_assert_cmpint(gdb_packet_feed(&p, 0x03), ==, GDB_RX_INTERRUPT);
    /* noise between packets is ignored */
    g_assert_cmpint(feed_str(&p, "xyz\n\r"), ==, GDB_RX_NONE);
    /* inside a packet, '+', '-' and 0x03 are data */
    g_assert_cmpint(feed_str(&p, "$+-#58"), ==, GDB_RX_PACKET);
    g_assert_cmpstr((char *)p.payload, ==, "+-");
}

static void test_escapes(void)
{
    GDBPacketParser p;
    GString *out = g_string_new(NULL);
    const uint8_t data[] = { 'X', '$', '#', '}', '*', 0, 0xff };
    int n;

    /* what we send: every special byte escaped, checksum over the wire
     * bytes */
    gdb_packet_encode(out, data, sizeof(data));
    g_assert_cmpuint(out->len, ==, 1 + 11 + 3);
    g_assert(!memcmp(out->str, "$X}\x04}\x03}]}\x0a\0\xff#", 13));
    /* and it parses back to the same bytes */
    gdb_packet_parser_init(&p);
    g_assert_cmpint(feed(&p, out->str, out->len, &n), ==, GDB_RX_PACKET);
    g_assert_cmpuint(p.len, ==, sizeof(data));
    g_assert(!memcmp(p.payload, data, sizeof(data)));
    g_string_free(out, true);
}

static void test_restart_in_packet(void)
{
    GDBPacketParser p;

    gdb_packet_parser_init(&p);
    /* a '$' inside a packet starts over: the new packet counts */
    g_assert_cmpint(feed_str(&p, "$garbage$g#67"), ==, GDB_RX_PACKET);
    g_assert_cmpstr((char *)p.payload, ==, "g");
}

static void test_too_long(void)
{
    GDBPacketParser p;
    GString *s = g_string_new("$");
    uint8_t sum = 0;

    for (int i = 0; i < GDB_MAX_PACKET + 100; i++) {
        g_string_append_c(s, 'a');
        sum += 'a';
    }
    g_string_append_printf(s, "#%02x", sum);
    gdb_packet_parser_init(&p);
    /* dropped whole (answered '-'), never a truncated command */
    g_assert_cmpint(feed_str(&p, s->str), ==, GDB_RX_TOO_LONG);
    g_assert_cmpint(feed_str(&p, "$g#67"), ==, GDB_RX_PACKET);
    g_assert_cmpuint(p.len, ==, 1);
    g_string_free(s, true);
}

static void test_hex(void)
{
    GString *s = g_string_new(NULL);
    const uint8_t bytes[] = { 0x00, 0x7f, 0xab, 0xff };
    uint8_t back[4];
    const char *in;
    uint64_t v;

    gdb_append_hex(s, bytes, sizeof(bytes));
    g_assert_cmpstr(s->str, ==, "007fabff");
    g_assert_true(gdb_hex_to_bytes("007FABff", back, 4));
    g_assert(!memcmp(back, bytes, 4));
    g_assert_false(gdb_hex_to_bytes("007fa", back, 3));   /* short */
    g_assert_false(gdb_hex_to_bytes("0g", back, 1));

    in = "deadBEEF,10";
    g_assert_true(gdb_parse_hex(&in, &v));
    g_assert_cmpuint(v, ==, 0xdeadbeef);
    g_assert_cmpstr(in, ==, ",10");
    in = "ffffffffffffffff";
    g_assert_true(gdb_parse_hex(&in, &v));
    g_assert_cmpuint(v, ==, UINT64_MAX);
    in = "10000000000000000";                   /* 65 bits */
    g_assert_false(gdb_parse_hex(&in, &v));
    in = ",1";
    g_assert_false(gdb_parse_hex(&in, &v));
    g_string_free(s, true);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gdb-packet/good", test_good_packet);
    g_test_add_func("/gdb-packet/bad-checksum", test_bad_checksum);
    g_test_add_func("/gdb-packet/acks-interrupt", test_acks_and_interrupt);
    g_test_add_func("/gdb-packet/escapes", test_escapes);
    g_test_add_func("/gdb-packet/restart", test_restart_in_packet);
    g_test_add_func("/gdb-packet/too-long", test_too_long);
    g_test_add_func("/gdb-packet/hex", test_hex);
    return g_test_run();
}
