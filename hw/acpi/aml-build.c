/*
 * AML builder - see include/hw/acpi/aml-build.h.  Encodings from ACPI 6.4
 * chapter 20 (opcodes, PkgLength 20.2.4, names 20.2.2) and 6.4 (small and
 * large resource descriptors).
 *
 * A node keeps its encoding so far; containers keep their head (opcode,
 * name, flags) and contents apart, because a PkgLength in front of them
 * can only be written once the contents are complete: at aml_append into
 * the parent, or at aml_bytes.
 */
#include "turtle/osdep.h"
#include "hw/acpi/aml-build.h"

typedef enum {
    AML_RAW,          /* complete encoding in body */
    AML_PKG,          /* op + PkgLength(head + body) + head + body */
    AML_PACKAGE,      /* PackageOp PkgLength NumElements body */
    AML_BUFFER,       /* BufferOp PkgLength BufferSize body [EndTag] */
} AmlKind;

struct Aml {
    AmlKind kind;
    GByteArray *op;       /* opcode bytes (AML_PKG) */
    GByteArray *head;     /* name string and flags after the PkgLength */
    GByteArray *body;
    unsigned nelem;       /* AML_PACKAGE */
    bool end_tag;         /* AML_BUFFER: a resource template */
};

static Aml *aml_new(AmlKind kind)
{
    Aml *a = g_new0(Aml, 1);

    a->kind = kind;
    a->op = g_byte_array_new();
    a->head = g_byte_array_new();
    a->body = g_byte_array_new();
    return a;
}

void aml_free(Aml *a)
{
    if (a) {
        g_byte_array_unref(a->op);
        g_byte_array_unref(a->head);
        g_byte_array_unref(a->body);
        g_free(a);
    }
}

static void put8(GByteArray *b, uint8_t v)
{
    g_byte_array_append(b, &v, 1);
}

static void put_le(GByteArray *b, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        put8(b, v >> (8 * i));
    }
}

/* v in the PkgLength format with n bytes */
static size_t pkglen_raw(size_t v, size_t n, uint8_t out[4])
{
    if (n == 1) {
        out[0] = v;
        return 1;
    }
    out[0] = ((n - 1) << 6) | (v & 0xf);
    for (size_t i = 1; i < n && i < 4; i++) {
        out[i] = v >> (4 + 8 * (i - 1));
    }
    return n;
}

static size_t pkglen_bytes(size_t v)
{
    return v <= 0x3f ? 1 : v < (1u << 12) ? 2 : v < (1u << 20) ? 3 : 4;
}

size_t aml_pkglen_encode(size_t len, uint8_t out[4])
{
    /* the encoded length counts its own bytes */
    size_t n = pkglen_bytes(len + 1);

    if (pkglen_bytes(len + n) != n) {
        n++;
    }
    g_assert(len + n < (1u << 28));
    return pkglen_raw(len + n, n, out);
}

static void put_pkglen(GByteArray *b, size_t len)
{
    uint8_t enc[4];
    size_t n = aml_pkglen_encode(len, enc);

    g_byte_array_append(b, enc, n);
}

static void put_integer(GByteArray *b, uint64_t v);

/* The complete encoding of a, which is freed. */
static GByteArray *aml_encode(Aml *a)
{
    GByteArray *out = g_byte_array_new();

    switch (a->kind) {
    case AML_RAW:
        g_byte_array_append(out, a->body->data, a->body->len);
        break;
    case AML_PKG:
        g_byte_array_append(out, a->op->data, a->op->len);
        put_pkglen(out, a->head->len + a->body->len);
        g_byte_array_append(out, a->head->data, a->head->len);
        g_byte_array_append(out, a->body->data, a->body->len);
        break;
    case AML_PACKAGE:
        put8(out, 0x12);
        put_pkglen(out, 1 + a->body->len);
        put8(out, a->nelem);
        g_byte_array_append(out, a->body->data, a->body->len);
        break;
    case AML_BUFFER: {
        GByteArray *size = g_byte_array_new();

        if (a->end_tag) {
            put8(a->body, 0x79);          /* EndTag, checksum 0: none */
            put8(a->body, 0x00);
        }
        put_integer(size, a->body->len);
        put8(out, 0x11);
        put_pkglen(out, size->len + a->body->len);
        g_byte_array_append(out, size->data, size->len);
        g_byte_array_append(out, a->body->data, a->body->len);
        g_byte_array_unref(size);
        break;
    }
    }
    aml_free(a);
    return out;
}

static void put_node(GByteArray *b, Aml *child)
{
    GByteArray *enc = aml_encode(child);

    g_byte_array_append(b, enc->data, enc->len);
    g_byte_array_unref(enc);
}

void aml_append(Aml *parent, Aml *child)
{
    if (parent->kind == AML_PACKAGE) {
        parent->nelem++;
    }
    put_node(parent->body, child);
}

Aml *aml_block(void)
{
    return aml_new(AML_RAW);
}

GByteArray *aml_bytes(Aml *root)
{
    return aml_encode(root);
}

/* ---- names ---- */

static void put_nameseg(GByteArray *b, const char *seg, size_t len)
{
    for (size_t i = 0; i < 4; i++) {
        put8(b, i < len ? seg[i] : '_');
    }
}

static void put_namestring(GByteArray *b, const char *name)
{
    const char *p = name;
    char **segs;
    unsigned n;

    while (*p == '\\' || *p == '^') {
        put8(b, *p++);
    }
    if (!*p) {
        put8(b, 0x00);                    /* NullName */
        return;
    }
    segs = g_strsplit(p, ".", -1);
    n = g_strv_length(segs);
    g_assert(n <= 255);
    if (n == 2) {
        put8(b, 0x2e);                    /* DualNamePrefix */
    } else if (n > 2) {
        put8(b, 0x2f);                    /* MultiNamePrefix */
        put8(b, n);
    }
    for (unsigned i = 0; i < n; i++) {
        g_assert(strlen(segs[i]) >= 1 && strlen(segs[i]) <= 4);
        put_nameseg(b, segs[i], strlen(segs[i]));
    }
    g_strfreev(segs);
}

/* ---- data ---- */

static void put_integer(GByteArray *b, uint64_t v)
{
    if (v == 0) {
        put8(b, 0x00);
    } else if (v == 1) {
        put8(b, 0x01);
    } else if (v == UINT64_MAX) {
        put8(b, 0xff);                    /* OnesOp */
    } else if (v <= 0xff) {
        put8(b, 0x0a);
        put8(b, v);
    } else if (v <= 0xffff) {
        put8(b, 0x0b);
        put_le(b, v, 2);
    } else if (v <= 0xffffffff) {
        put8(b, 0x0c);
        put_le(b, v, 4);
    } else {
        put8(b, 0x0e);
        put_le(b, v, 8);
    }
}

Aml *aml_int(uint64_t v)
{
    Aml *a = aml_new(AML_RAW);

    put_integer(a->body, v);
    return a;
}

Aml *aml_string(const char *s)
{
    Aml *a = aml_new(AML_RAW);

    put8(a->body, 0x0d);
    g_byte_array_append(a->body, (const uint8_t *)s, strlen(s) + 1);
    return a;
}

Aml *aml_name(const char *name)
{
    Aml *a = aml_new(AML_RAW);

    put_namestring(a->body, name);
    return a;
}

/* "PNP0A03": three letters in 5 bits each, four hex digits (ACPI 6.1.5) */
Aml *aml_eisaid(const char *id)
{
    uint32_t v;

    g_assert(strlen(id) == 7);
    v = ((id[0] - 0x40) << 26) | ((id[1] - 0x40) << 21) |
        ((id[2] - 0x40) << 16) | (uint32_t)strtoul(id + 3, NULL, 16);
    return aml_int(((v & 0xff) << 24) | ((v & 0xff00) << 8) |
                   ((v >> 8) & 0xff00) | (v >> 24));
}

Aml *aml_buffer(const uint8_t *data, size_t len)
{
    Aml *a = aml_new(AML_BUFFER);

    g_byte_array_append(a->body, data, len);
    return a;
}

Aml *aml_package(void)
{
    return aml_new(AML_PACKAGE);
}

Aml *aml_arg(int n)
{
    Aml *a = aml_new(AML_RAW);

    g_assert(n >= 0 && n <= 6);
    put8(a->body, 0x68 + n);
    return a;
}

Aml *aml_local(int n)
{
    Aml *a = aml_new(AML_RAW);

    g_assert(n >= 0 && n <= 7);
    put8(a->body, 0x60 + n);
    return a;
}

/* ---- named objects and blocks ---- */

Aml *aml_name_decl(const char *name, Aml *value)
{
    Aml *a = aml_new(AML_RAW);

    put8(a->body, 0x08);
    put_namestring(a->body, name);
    put_node(a->body, value);
    return a;
}

static Aml *aml_pkg_op(uint8_t op1, int op2, const char *name)
{
    Aml *a = aml_new(AML_PKG);

    put8(a->op, op1);
    if (op2 >= 0) {
        put8(a->op, op2);
    }
    if (name) {
        put_namestring(a->head, name);
    }
    return a;
}

Aml *aml_scope(const char *name)
{
    return aml_pkg_op(0x10, -1, name);
}

Aml *aml_device(const char *name)
{
    return aml_pkg_op(0x5b, 0x82, name);
}

Aml *aml_method(const char *name, int nargs, bool serialized)
{
    Aml *a = aml_pkg_op(0x14, -1, name);

    g_assert(nargs >= 0 && nargs <= 7);
    put8(a->head, nargs | (serialized ? 0x08 : 0));
    return a;
}

Aml *aml_if(Aml *predicate)
{
    Aml *a = aml_pkg_op(0xa0, -1, NULL);

    put_node(a->head, predicate);
    return a;
}

Aml *aml_else(void)
{
    return aml_pkg_op(0xa1, -1, NULL);
}

/* ---- operators ---- */

static Aml *aml_op(uint8_t op, Aml *a, Aml *b, Aml *target, bool has_target)
{
    Aml *n = aml_new(AML_RAW);

    put8(n->body, op);
    if (a) {
        put_node(n->body, a);
    }
    if (b) {
        put_node(n->body, b);
    }
    if (has_target) {
        if (target) {
            put_node(n->body, target);
        } else {
            put8(n->body, 0x00);             /* NullName: no target */
        }
    }
    return n;
}

Aml *aml_return(Aml *v)
{
    return aml_op(0xa4, v, NULL, NULL, false);
}

Aml *aml_store(Aml *src, Aml *dst)
{
    return aml_op(0x70, src, dst, NULL, false);
}

Aml *aml_equal(Aml *a, Aml *b)
{
    return aml_op(0x93, a, b, NULL, false);
}

Aml *aml_land(Aml *a, Aml *b)
{
    return aml_op(0x90, a, b, NULL, false);
}

Aml *aml_lnot(Aml *a)
{
    return aml_op(0x92, a, NULL, NULL, false);
}

Aml *aml_and(Aml *a, Aml *b, Aml *target)
{
    return aml_op(0x7b, a, b, target, true);
}

Aml *aml_or(Aml *a, Aml *b, Aml *target)
{
    return aml_op(0x7d, a, b, target, true);
}

Aml *aml_notify(Aml *object, Aml *value)
{
    return aml_op(0x86, object, value, NULL, false);
}

/* ---- operation regions and fields ---- */

Aml *aml_operation_region(const char *name, AmlRegionSpace space,
                          Aml *offset, uint32_t len)
{
    Aml *a = aml_new(AML_RAW);

    put8(a->body, 0x5b);
    put8(a->body, 0x80);
    put_namestring(a->body, name);
    put8(a->body, space);
    put_node(a->body, offset);
    put_integer(a->body, len);
    return a;
}

Aml *aml_field(const char *region, AmlFieldAccess access)
{
    Aml *a = aml_pkg_op(0x5b, 0x81, region);

    put8(a->head, access);               /* NoLock, Preserve */
    return a;
}

Aml *aml_named_field(const char *name, unsigned bits)
{
    Aml *a = aml_new(AML_RAW);

    uint8_t enc[4];

    /* the field's PkgLength is its size in bits, nothing added */
    put_nameseg(a->body, name, strlen(name));
    g_byte_array_append(a->body, enc, pkglen_raw(bits, pkglen_bytes(bits),
                                                 enc));
    return a;
}

Aml *aml_reserved_field(unsigned bits)
{
    Aml *a = aml_new(AML_RAW);

    uint8_t enc[4];

    put8(a->body, 0x00);
    g_byte_array_append(a->body, enc, pkglen_raw(bits, pkglen_bytes(bits),
                                                 enc));
    return a;
}

/* ---- resource templates ---- */

Aml *aml_resource_template(void)
{
    Aml *a = aml_new(AML_BUFFER);

    a->end_tag = true;
    return a;
}

Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len)
{
    Aml *a = aml_new(AML_RAW);

    put8(a->body, 0x47);                 /* I/O port descriptor */
    put8(a->body, 0x01);                 /* 16-bit decode */
    put_le(a->body, min, 2);
    put_le(a->body, max, 2);
    put8(a->body, align);
    put8(a->body, len);
    return a;
}

Aml *aml_irq_no_flags(uint8_t irq)
{
    Aml *a = aml_new(AML_RAW);

    g_assert(irq < 16);
    put8(a->body, 0x22);                 /* IRQ descriptor, 2 bytes */
    put_le(a->body, 1u << irq, 2);
    return a;
}

Aml *aml_memory32_fixed(uint32_t base, uint32_t len, bool writable)
{
    Aml *a = aml_new(AML_RAW);

    put8(a->body, 0x86);
    put_le(a->body, 9, 2);
    put8(a->body, writable);
    put_le(a->body, base, 4);
    put_le(a->body, len, 4);
    return a;
}

/* Word/DWord/QWord address space descriptors (6.4.3.5) */
static Aml *aml_addr_space(uint8_t tag, int width, uint8_t type,
                           uint8_t type_flags, uint64_t min, uint64_t max)
{
    Aml *a = aml_new(AML_RAW);

    put8(a->body, tag);
    put_le(a->body, 3 + 5 * width, 2);
    put8(a->body, type);
    put8(a->body, 0x0c);                 /* min/max fixed, producer */
    put8(a->body, type_flags);
    put_le(a->body, 0, width);           /* granularity */
    put_le(a->body, min, width);
    put_le(a->body, max, width);
    put_le(a->body, 0, width);           /* translation */
    put_le(a->body, max - min + 1, width);
    return a;
}

Aml *aml_word_bus_number(uint16_t min, uint16_t max)
{
    return aml_addr_space(0x88, 2, 2, 0, min, max);
}

Aml *aml_word_io(uint16_t min, uint16_t max)
{
    return aml_addr_space(0x88, 2, 1, 0x03, min, max);  /* entire range */
}

Aml *aml_dword_memory(uint32_t min, uint32_t max, bool cacheable)
{
    /* read-write, cacheable or not */
    return aml_addr_space(0x87, 4, 0, 0x01 | (cacheable ? 0x02 : 0),
                          min, max);
}

Aml *aml_qword_memory(uint64_t min, uint64_t max, bool cacheable)
{
    return aml_addr_space(0x8a, 8, 0, 0x01 | (cacheable ? 0x02 : 0),
                          min, max);
}
