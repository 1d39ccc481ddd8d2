/*
 * The AML builder (hw/acpi/aml-build.c) against encodings worked out by
 * hand from ACPI 6.4 chapter 20 and the resource descriptor formats of 6.4.
 */
#include "turtle/osdep.h"
#include "hw/acpi/aml-build.h"

static void check(Aml *node, const uint8_t *want, size_t len)
{
    Aml *root = aml_block();
    GByteArray *b;

    aml_append(root, node);
    b = aml_bytes(root);
    g_assert_cmpmem(b->data, b->len, want, len);
    g_byte_array_unref(b);
}

#define CHECK(node, ...) do {                                       \
        static const uint8_t w_[] = { __VA_ARGS__ };                \
        check(node, w_, sizeof(w_));                                \
    } while (0)

static void test_pkglen(void)
{
    uint8_t e[4];

    g_assert_cmpint(aml_pkglen_encode(0, e), ==, 1);
    g_assert_cmphex(e[0], ==, 0x01);
    g_assert_cmpint(aml_pkglen_encode(0x3e, e), ==, 1);
    g_assert_cmphex(e[0], ==, 0x3f);
    g_assert_cmpint(aml_pkglen_encode(0x3f, e), ==, 2);     /* 0x41 */
    g_assert_cmphex(e[0], ==, 0x41);
    g_assert_cmphex(e[1], ==, 0x04);
    g_assert_cmpint(aml_pkglen_encode(0xffd, e), ==, 2);    /* 0xfff */
    g_assert_cmphex(e[0], ==, 0x4f);
    g_assert_cmphex(e[1], ==, 0xff);
    g_assert_cmpint(aml_pkglen_encode(0xffe, e), ==, 3);    /* 0x1001 */
    g_assert_cmphex(e[0], ==, 0x81);
    g_assert_cmphex(e[1], ==, 0x00);
    g_assert_cmphex(e[2], ==, 0x01);
}

static void test_integers_strings(void)
{
    CHECK(aml_int(0), 0x00);
    CHECK(aml_int(1), 0x01);
    CHECK(aml_int(UINT64_MAX), 0xff);
    CHECK(aml_int(2), 0x0a, 0x02);
    CHECK(aml_int(0x100), 0x0b, 0x00, 0x01);
    CHECK(aml_int(0x10000), 0x0c, 0x00, 0x00, 0x01, 0x00);
    CHECK(aml_int(1ull << 32), 0x0e, 0, 0, 0, 0, 1, 0, 0, 0);
    CHECK(aml_string("AB"), 0x0d, 'A', 'B', 0x00);
    CHECK(aml_eisaid("PNP0A03"), 0x0c, 0x41, 0xd0, 0x0a, 0x03);
    CHECK(aml_arg(2), 0x6a);
    CHECK(aml_local(7), 0x67);
}

static void test_names(void)
{
    CHECK(aml_name("_HID"), '_', 'H', 'I', 'D');
    CHECK(aml_name("S0"), 'S', '0', '_', '_');
    CHECK(aml_name("\\_SB.PCI0"), '\\', 0x2e, '_', 'S', 'B', '_',
          'P', 'C', 'I', '0');
    CHECK(aml_name("\\_SB.PCI0.ISA"), '\\', 0x2f, 3, '_', 'S', 'B', '_',
          'P', 'C', 'I', '0', 'I', 'S', 'A', '_');
    CHECK(aml_name("^^FOO"), '^', '^', 'F', 'O', 'O', '_');
    CHECK(aml_name("\\"), '\\', 0x00);
    CHECK(aml_name_decl("_HID", aml_eisaid("PNP0A03")),
          0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0a, 0x03);
}

static void test_blocks(void)
{
    Aml *scope = aml_scope("\\_SB");
    Aml *dev = aml_device("PCI0");
    Aml *m = aml_method("_STA", 0, false);

    aml_append(m, aml_return(aml_int(0x0f)));
    CHECK(m, 0x14, 0x09, '_', 'S', 'T', 'A', 0x00, 0xa4, 0x0a, 0x0f);
    m = aml_method("_STA", 0, false);
    aml_append(m, aml_return(aml_int(0x0f)));
    aml_append(dev, m);
    aml_append(scope, dev);
    CHECK(scope, 0x10, 0x17, '\\', '_', 'S', 'B', '_',
          0x5b, 0x82, 0x0f, 'P', 'C', 'I', '0',
          0x14, 0x09, '_', 'S', 'T', 'A', 0x00, 0xa4, 0x0a, 0x0f);

    /* serialized method with 2 arguments, If/Else on LEqual */
    m = aml_method("FOO", 2, true);
    {
        Aml *i = aml_if(aml_equal(aml_arg(0), aml_int(1)));
        Aml *e = aml_else();

        aml_append(i, aml_return(aml_arg(1)));
        aml_append(e, aml_return(aml_int(0)));
        aml_append(m, i);
        aml_append(m, e);
    }
    CHECK(m, 0x14, 0x11, 'F', 'O', 'O', '_', 0x0a,
          0xa0, 0x06, 0x93, 0x68, 0x01, 0xa4, 0x69,
          0xa1, 0x03, 0xa4, 0x00);

    /* a block long enough for a 2-byte PkgLength */
    scope = aml_scope("BIG");
    for (int i = 0; i < 20; i++) {
        aml_append(scope, aml_name_decl("X", aml_int(0)));  /* 6 bytes */
    }
    {
        Aml *root = aml_block();
        GByteArray *b;

        aml_append(root, scope);
        b = aml_bytes(root);
        /* 4 name + 120 = 124 (0x7c) + 2 = 0x7e */
        g_assert_cmpint(b->len, ==, 1 + 2 + 124);
        g_assert_cmphex(b->data[1], ==, 0x4e);
        g_assert_cmphex(b->data[2], ==, 0x07);
        g_byte_array_unref(b);
    }
}

static void test_package_operators(void)
{
    Aml *p = aml_package();

    aml_append(p, aml_int(1));
    aml_append(p, aml_string("A"));
    CHECK(p, 0x12, 0x06, 0x02, 0x01, 0x0d, 'A', 0x00);
    CHECK(aml_store(aml_int(5), aml_local(0)), 0x70, 0x0a, 0x05, 0x60);
    CHECK(aml_and(aml_arg(0), aml_int(3), NULL), 0x7b, 0x68, 0x0a, 0x03,
          0x00);
    CHECK(aml_or(aml_arg(0), aml_int(1), aml_local(1)), 0x7d, 0x68, 0x01,
          0x61);
    CHECK(aml_notify(aml_name("PWRB"), aml_int(0x80)), 0x86,
          'P', 'W', 'R', 'B', 0x0a, 0x80);
    CHECK(aml_lnot(aml_land(aml_arg(0), aml_arg(1))), 0x92, 0x90, 0x68,
          0x69);
}

static void test_region_field(void)
{
    Aml *f = aml_field("PMRG", AML_BYTE_ACC);

    CHECK(aml_operation_region("PMRG", AML_SYSTEM_IO, aml_int(0x600), 0x40),
          0x5b, 0x80, 'P', 'M', 'R', 'G', 0x01, 0x0b, 0x00, 0x06, 0x0a, 0x40);
    aml_append(f, aml_named_field("PMS", 16));
    aml_append(f, aml_reserved_field(16));
    aml_append(f, aml_named_field("BIG", 0x100));
    CHECK(f, 0x5b, 0x81, 0x13, 'P', 'M', 'R', 'G', 0x01,
          'P', 'M', 'S', '_', 0x10, 0x00, 0x10,
          'B', 'I', 'G', '_', 0x40, 0x10);
}

static void test_resources(void)
{
    Aml *rt = aml_resource_template();

    aml_append(rt, aml_io(0x60, 0x60, 1, 1));
    aml_append(rt, aml_irq_no_flags(1));
    CHECK(rt, 0x11, 0x10, 0x0a, 0x0d,
          0x47, 0x01, 0x60, 0x00, 0x60, 0x00, 0x01, 0x01,
          0x22, 0x02, 0x00,
          0x79, 0x00);
    rt = aml_resource_template();
    aml_append(rt, aml_memory32_fixed(0xfed00000, 0x400, false));
    CHECK(rt, 0x11, 0x11, 0x0a, 0x0e,
          0x86, 0x09, 0x00, 0x00, 0x00, 0x00, 0xd0, 0xfe,
          0x00, 0x04, 0x00, 0x00, 0x79, 0x00);
    rt = aml_resource_template();
    aml_append(rt, aml_word_bus_number(0, 0xff));
    CHECK(rt, 0x11, 0x15, 0x0a, 0x12,
          0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00,
          0x00, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x01,
          0x79, 0x00);
    rt = aml_resource_template();
    aml_append(rt, aml_dword_memory(0xe0000000, 0xfebfffff, false));
    {
        Aml *root = aml_block();
        GByteArray *b;

        aml_append(root, rt);
        b = aml_bytes(root);
        /* 0x87, length 0x17, then 23 bytes, then the end tag */
        g_assert_cmpint(b->len, ==, 4 + 3 + 23 + 2);
        g_assert_cmphex(b->data[4], ==, 0x87);
        g_assert_cmphex(b->data[5], ==, 0x17);
        g_assert_cmphex(b->data[9], ==, 0x01);          /* read-write */
        g_byte_array_unref(b);
    }
    rt = aml_resource_template();
    aml_append(rt, aml_qword_memory(0x100000000ull, 0x17fffffffull, true));
    {
        Aml *root = aml_block();
        GByteArray *b;

        aml_append(root, rt);
        b = aml_bytes(root);
        g_assert_cmpint(b->len, ==, 4 + 3 + 43 + 2);
        g_assert_cmphex(b->data[4], ==, 0x8a);
        g_assert_cmphex(b->data[5], ==, 0x2b);
        g_byte_array_unref(b);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/aml/pkglen", test_pkglen);
    g_test_add_func("/aml/integers-strings", test_integers_strings);
    g_test_add_func("/aml/names", test_names);
    g_test_add_func("/aml/blocks", test_blocks);
    g_test_add_func("/aml/package-operators", test_package_operators);
    g_test_add_func("/aml/region-field", test_region_field);
    g_test_add_func("/aml/resources", test_resources);
    return g_test_run();
}
