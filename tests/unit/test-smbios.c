/*
 * hw/smbios/smbios.c: the structures a machine description gives, walked
 * as a DMI reader walks them (header length, string set, handles), the
 * entry point's checksums, and the memory sizes that need the extended
 * fields.
 */
#include "turtle/osdep.h"
#include "hw/smbios/smbios.h"

typedef struct Found {
    const uint8_t *s[1024];
    unsigned n;
} Found;

static uint8_t sum(const uint8_t *p, size_t len)
{
    uint8_t v = 0;

    for (size_t i = 0; i < len; i++) {
        v += p[i];
    }
    return v;
}

/* Walk the table; every structure well-formed, the last one type 127. */
static void walk(const SmbiosTables *t, Found *f)
{
    const uint8_t *p = t->tables->data, *end = p + t->tables->len;

    f->n = 0;
    while (p < end) {
        const uint8_t *q = p + p[1];

        g_assert_cmpuint(p[1], >=, 4);
        g_assert_true(q < end);
        /* string set: NUL-terminated strings, then one more NUL */
        if (q[0] == 0) {
            g_assert_cmpuint(q[1], ==, 0);
            q += 2;
        } else {
            while (*q) {
                q += strlen((const char *)q) + 1;
            }
            q++;
        }
        g_assert_cmpuint(f->n, <, G_N_ELEMENTS(f->s));
        f->s[f->n++] = p;
        g_assert_cmpuint(q - p, <=, t->max_size);
        p = q;
    }
    g_assert_true(p == end);
    g_assert_cmpuint(f->n, ==, t->count);
    g_assert_cmpuint(f->s[f->n - 1][0], ==, 127);
}

static const uint8_t *find(const Found *f, uint8_t type, unsigned nth)
{
    for (unsigned i = 0; i < f->n; i++) {
        if (f->s[i][0] == type && !nth--) {
            return f->s[i];
        }
    }
    return NULL;
}

/* String number n of a structure (1-based), or NULL */
static const char *str(const uint8_t *s, unsigned n)
{
    const char *p = (const char *)s + s[1];

    if (!n) {
        return NULL;
    }
    while (--n) {
        g_assert_true(*p);
        p += strlen(p) + 1;
    }
    return p;
}

static SmbiosInfo base_info(uint64_t ram)
{
    static SmbiosMemRange ranges[2];

    ranges[0] = (SmbiosMemRange) { 0, MIN(ram, 3 * GiB) };
    ranges[1] = (SmbiosMemRange) { 4 * GiB, ram > 3 * GiB ? ram - 3 * GiB
                                                           : 0 };
    return (SmbiosInfo) {
        .manufacturer = "Turtle", .product = "Standard PC",
        .version = "pc-1.0", .sockets = 1, .cores = 4, .threads = 1,
        .cpu_manufacturer = "AuthenticAMD", .cpu_version = "QEMU CPU",
        .cpu_signature = 0x663, .cpu_features = 0x078bfbfd,
        .cpu_family = SMBIOS_CPU_FAMILY_OTHER, .cpu_speed_mhz = 2000,
        .cpu_64bit = true, .ram_size = ram, .ram_ranges = ranges,
        .nr_ram_ranges = 2,
        .uuid = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                  1, 2, 3, 4, 5, 6, 7, 8 },
    };
}

static void test_structures(void)
{
    SmbiosInfo in = base_info(128 * MiB);
    SmbiosTables t;
    Found f;
    const uint8_t *s;

    smbios_build(&in, &t);
    walk(&t, &f);
    /* no type 0 unless a BIOS vendor is given */
    g_assert_null(find(&f, 0, 0));
    s = find(&f, 1, 0);
    g_assert_nonnull(s);
    g_assert_cmpuint(s[1], ==, 0x1b);
    g_assert_cmphex(ld16_le_p(s + 2), ==, 0x100);
    g_assert_cmpstr(str(s, s[4]), ==, "Turtle");
    g_assert_cmpstr(str(s, s[5]), ==, "Standard PC");
    g_assert_cmpstr(str(s, s[6]), ==, "pc-1.0");
    g_assert_cmpuint(s[7], ==, 0);           /* no serial */
    /* UUID 12345678-9abc-def0-...: first fields little-endian */
    g_assert_cmphex(ld32_le_p(s + 8), ==, 0x12345678);
    g_assert_cmphex(ld16_le_p(s + 12), ==, 0x9abc);
    g_assert_cmphex(ld16_le_p(s + 14), ==, 0xdef0);
    g_assert_cmphex(s[16], ==, 1);
    g_assert_cmphex(s[0x18], ==, 6);         /* power switch */

    s = find(&f, 3, 0);
    g_assert_nonnull(s);
    g_assert_cmpuint(s[1], ==, 0x16);
    g_assert_cmpstr(str(s, s[4]), ==, "Turtle");

    s = find(&f, 4, 0);
    g_assert_nonnull(s);
    g_assert_null(find(&f, 4, 1));
    g_assert_cmpuint(s[1], ==, 0x2a);
    g_assert_cmpstr(str(s, s[4]), ==, "CPU 0");
    g_assert_cmpstr(str(s, s[7]), ==, "AuthenticAMD");
    g_assert_cmpstr(str(s, s[0x10]), ==, "QEMU CPU");
    g_assert_cmphex(ld32_le_p(s + 8), ==, 0x663);
    g_assert_cmphex(ld32_le_p(s + 12), ==, 0x078bfbfd);
    g_assert_cmpuint(ld16_le_p(s + 0x16), ==, 2000);
    g_assert_cmphex(s[0x18], ==, 0x41);
    g_assert_cmpuint(s[0x23], ==, 4);        /* cores */
    g_assert_cmpuint(s[0x24], ==, 4);
    g_assert_cmpuint(s[0x25], ==, 4);        /* threads */
    g_assert_cmphex(ld16_le_p(s + 0x26), ==, 0x0c);   /* 64-bit, multi */

    s = find(&f, 16, 0);
    g_assert_nonnull(s);
    g_assert_cmpuint(ld32_le_p(s + 7), ==, 128 * 1024);
    g_assert_cmpuint(ld16_le_p(s + 0xd), ==, 1);
    s = find(&f, 17, 0);
    g_assert_nonnull(s);
    g_assert_cmphex(ld16_le_p(s + 4), ==, 0x1000);
    g_assert_cmpuint(ld16_le_p(s + 0xc), ==, 128);
    g_assert_cmpstr(str(s, s[0x10]), ==, "DIMM 0");
    s = find(&f, 19, 0);
    g_assert_nonnull(s);
    g_assert_cmpuint(ld32_le_p(s + 4), ==, 0);
    g_assert_cmpuint(ld32_le_p(s + 8), ==, 128 * 1024 - 1);
    g_assert_null(find(&f, 19, 1));          /* nothing above 4 GiB */
    g_assert_nonnull(find(&f, 32, 0));
    smbios_tables_free(&t);
}

static void test_type0(void)
{
    SmbiosInfo in = base_info(64 * MiB);
    SmbiosTables t;
    Found f;
    const uint8_t *s;

    in.bios_vendor = "Turtle";
    in.bios_version = "1.0";
    in.bios_date = "01/01/2026";
    smbios_build(&in, &t);
    walk(&t, &f);
    s = find(&f, 0, 0);
    g_assert_true(s == f.s[0]);
    g_assert_cmpuint(s[1], ==, 0x18);
    g_assert_cmpstr(str(s, s[4]), ==, "Turtle");
    g_assert_cmpstr(str(s, s[5]), ==, "1.0");
    g_assert_cmpstr(str(s, s[8]), ==, "01/01/2026");
    g_assert_cmphex(ld16_le_p(s + 6), ==, 0xe800);
    g_assert_cmphex(s[0x13], ==, 0x14);      /* VM bit */
    smbios_tables_free(&t);
}

static void test_large_memory(void)
{
    /* 20 GiB: 16 + 4 GiB DIMMs, ranges below and above 4 GiB */
    SmbiosInfo in = base_info(20 * GiB);
    SmbiosTables t;
    Found f;
    const uint8_t *s;

    smbios_build(&in, &t);
    walk(&t, &f);
    g_assert_cmpuint(ld16_le_p(find(&f, 16, 0) + 0xd), ==, 2);
    g_assert_cmpuint(ld16_le_p(find(&f, 17, 0) + 0xc), ==, 16384);
    g_assert_cmpuint(ld16_le_p(find(&f, 17, 1) + 0xc), ==, 4096);
    g_assert_null(find(&f, 17, 2));
    s = find(&f, 19, 1);
    g_assert_cmphex(ld32_le_p(s + 4), ==, 4 * 1024 * 1024);
    g_assert_cmphex(ld32_le_p(s + 8), ==, 21 * 1024 * 1024 - 1);
    smbios_tables_free(&t);

    /* 8 TiB: maximum capacity and range addresses need the extended
     * fields (KiB values past 32 bits) */
    in = base_info(8ULL << 40);
    smbios_build(&in, &t);
    walk(&t, &f);
    s = find(&f, 16, 0);
    g_assert_cmphex(ld32_le_p(s + 7), ==, 0x80000000);
    g_assert_cmphex(ld64_le_p(s + 0xf), ==, 8ULL << 40);
    s = find(&f, 19, 1);
    g_assert_cmphex(ld32_le_p(s + 4), ==, 0xffffffff);
    g_assert_cmphex(ld64_le_p(s + 0xf), ==, 4 * GiB);
    g_assert_cmphex(ld64_le_p(s + 0x17), ==, (8ULL << 40) + GiB - 1);
    /* at most 256 DIMMs: 32 GiB each here */
    g_assert_cmpuint(ld16_le_p(find(&f, 16, 0) + 0xd), ==, 256);
    g_assert_cmpuint(ld16_le_p(find(&f, 17, 0) + 0xc), ==, 0x7fff);
    g_assert_cmpuint(ld32_le_p(find(&f, 17, 0) + 0x1c), ==, 32768);
    smbios_tables_free(&t);
}

static void test_anchor(void)
{
    SmbiosInfo in = base_info(128 * MiB);
    SmbiosTables t;
    const uint8_t *a = t.anchor;

    smbios_build(&in, &t);
    g_assert_cmpmem(a, 4, "_SM_", 4);
    g_assert_cmpmem(a + 0x10, 5, "_DMI_", 5);
    g_assert_cmpuint(a[5], ==, 31);
    g_assert_cmpuint(a[6], ==, 2);
    g_assert_cmpuint(a[7], ==, 8);
    g_assert_cmpuint(ld16_le_p(a + 0x16), ==, t.tables->len);
    g_assert_cmpuint(ld16_le_p(a + 0x1c), ==, t.count);
    g_assert_cmpuint(ld16_le_p(a + 8), ==, t.max_size);
    g_assert_cmpuint(sum(a, 31), ==, 0);
    g_assert_cmpuint(sum(a + 0x10, 15), ==, 0);
    smbios_set_table_address(&t, 0xf1000);
    g_assert_cmphex(ld32_le_p(a + 0x18), ==, 0xf1000);
    g_assert_cmpuint(sum(a, 31), ==, 0);
    g_assert_cmpuint(sum(a + 0x10, 15), ==, 0);
    smbios_tables_free(&t);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/smbios/structures", test_structures);
    g_test_add_func("/smbios/type0", test_type0);
    g_test_add_func("/smbios/large-memory", test_large_memory);
    g_test_add_func("/smbios/anchor", test_anchor);
    return g_test_run();
}
