/*
 * ACPI table blobs and table-loader commands - see
 * include/hw/acpi/acpi-tables.h.  ACPI 6.4, 5.2.5 (RSDP), 5.2.6 (header),
 * 5.2.7 (RSDT).  Loader entries: 128 bytes each, a u32 command then
 *   1 ALLOCATE      file[56], u32 align, u8 zone
 *   2 ADD_POINTER   dest_file[56], src_file[56], u32 offset, u8 size
 *   3 ADD_CHECKSUM  file[56], u32 result offset, u32 start, u32 length
 * all little-endian, names NUL-padded.
 */
#include "turtle/osdep.h"
#include "hw/acpi/acpi-tables.h"
#include "exec/memory.h"

#define LOADER_ENTRY_SIZE 128
#define LOADER_FILESZ     56

enum {
    LOADER_ALLOCATE = 1,
    LOADER_ADD_POINTER = 2,
    LOADER_ADD_CHECKSUM = 3,
};

void acpi_build_init(AcpiBuild *b)
{
    b->tables = g_byte_array_new();
    b->rsdp = g_byte_array_new();
    b->loader = g_byte_array_new();
}

void acpi_build_free(AcpiBuild *b)
{
    g_byte_array_unref(b->tables);
    g_byte_array_unref(b->rsdp);
    g_byte_array_unref(b->loader);
}

uint8_t acpi_checksum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++) {
        sum += p[i];
    }
    return -sum;
}

void acpi_put(GByteArray *t, uint64_t v, int bytes)
{
    /* bytes beyond 8 are zero padding */
    for (int i = 0; i < bytes; i++) {
        uint8_t c = i < 8 ? v >> (8 * i) : 0;
        g_byte_array_append(t, &c, 1);
    }
}

static uint8_t *loader_entry(AcpiBuild *b, uint32_t cmd)
{
    uint8_t e[LOADER_ENTRY_SIZE] = { 0 };

    e[0] = cmd;
    g_byte_array_append(b->loader, e, sizeof(e));
    return b->loader->data + b->loader->len - LOADER_ENTRY_SIZE;
}

static void loader_name(uint8_t *dst, const char *file)
{
    g_assert(strlen(file) < LOADER_FILESZ);
    memcpy(dst, file, strlen(file));
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = v >> (8 * i);
    }
}

void acpi_loader_alloc(AcpiBuild *b, const char *file, uint32_t align,
                       uint8_t zone)
{
    uint8_t *e = loader_entry(b, LOADER_ALLOCATE);

    loader_name(e + 4, file);
    put32(e + 4 + LOADER_FILESZ, align);
    e[4 + LOADER_FILESZ + 4] = zone;
}

void acpi_loader_add_pointer(AcpiBuild *b, const char *dest_file,
                             uint32_t offset, uint8_t size,
                             const char *src_file)
{
    uint8_t *e = loader_entry(b, LOADER_ADD_POINTER);

    loader_name(e + 4, dest_file);
    loader_name(e + 4 + LOADER_FILESZ, src_file);
    put32(e + 4 + 2 * LOADER_FILESZ, offset);
    e[4 + 2 * LOADER_FILESZ + 4] = size;
}

void acpi_loader_add_checksum(AcpiBuild *b, const char *file,
                              uint32_t start, uint32_t len,
                              uint32_t cksum_offset)
{
    uint8_t *e = loader_entry(b, LOADER_ADD_CHECKSUM);

    loader_name(e + 4, file);
    put32(e + 4 + LOADER_FILESZ, cksum_offset);
    put32(e + 4 + LOADER_FILESZ + 4, start);
    put32(e + 4 + LOADER_FILESZ + 8, len);
}

/* ---- tables ---- */

uint32_t acpi_table_begin(AcpiBuild *b, const char *sig, uint8_t rev)
{
    GByteArray *t = b->tables;
    uint32_t off;

    /* every table 8-byte aligned in the blob */
    while (t->len % 8) {
        acpi_put(t, 0, 1);
    }
    off = t->len;
    g_assert(strlen(sig) == 4);
    g_byte_array_append(t, (const uint8_t *)sig, 4);
    acpi_put(t, 0, 4);                       /* length, at the end */
    acpi_put(t, rev, 1);
    acpi_put(t, 0, 1);                       /* checksum, at the end */
    g_byte_array_append(t, (const uint8_t *)"TURTLE", 6);
    g_byte_array_append(t, (const uint8_t *)"TURTLEVM", 8);
    acpi_put(t, 1, 4);                       /* OEM revision */
    g_byte_array_append(t, (const uint8_t *)"TRTL", 4);
    acpi_put(t, 1, 4);                       /* creator revision */
    return off;
}

void acpi_table_end(AcpiBuild *b, uint32_t table)
{
    GByteArray *t = b->tables;
    uint32_t len = t->len - table;

    put32(t->data + table + 4, len);
    t->data[table + 9] = 0;
    t->data[table + 9] = acpi_checksum(t->data + table, len);
    /* pointers inside are patched by the loader: checksum again after */
    acpi_loader_add_checksum(b, ACPI_FILE_TABLES, table, len, table + 9);
}

void acpi_put_table_pointer(AcpiBuild *b, uint64_t target, int bytes)
{
    uint32_t at = b->tables->len;

    acpi_put(b->tables, target, bytes);
    acpi_loader_add_pointer(b, ACPI_FILE_TABLES, at, bytes,
                            ACPI_FILE_TABLES);
}

void acpi_put_gas(GByteArray *t, uint8_t space, uint8_t bit_width,
                  uint8_t bit_offset, uint8_t access, uint64_t addr)
{
    acpi_put(t, space, 1);
    acpi_put(t, bit_width, 1);
    acpi_put(t, bit_offset, 1);
    acpi_put(t, access, 1);
    acpi_put(t, addr, 8);
}

void acpi_build_rsdt_rsdp(AcpiBuild *b, const uint32_t *tables, int n)
{
    uint32_t rsdt = acpi_table_begin(b, "RSDT", 1);
    GByteArray *r = b->rsdp;

    for (int i = 0; i < n; i++) {
        acpi_put_table_pointer(b, tables[i], 4);
    }
    acpi_table_end(b, rsdt);

    /* RSDP revision 0 (20 bytes): the RSDT is enough for every guest */
    g_byte_array_append(r, (const uint8_t *)"RSD PTR ", 8);
    acpi_put(r, 0, 1);                       /* checksum */
    g_byte_array_append(r, (const uint8_t *)"TURTLE", 6);
    acpi_put(r, 0, 1);                       /* revision 0: ACPI 1.0 */
    acpi_put(r, rsdt, 4);
    acpi_loader_alloc(b, ACPI_FILE_RSDP, 16, ACPI_LOADER_ALLOC_FSEG);
    acpi_loader_add_pointer(b, ACPI_FILE_RSDP, 16, 4, ACPI_FILE_TABLES);
    r->data[8] = acpi_checksum(r->data, 20);
    acpi_loader_add_checksum(b, ACPI_FILE_RSDP, 0, 20, 8);
}

/* ---- playing the loader ourselves (boots without firmware) ---- */

typedef struct InstallFile {
    const char *name;
    GByteArray *data;            /* a copy, patched */
    uint64_t addr;               /* 0: not allocated */
} InstallFile;

static InstallFile *install_file(InstallFile *files, int n,
                                 const uint8_t *name)
{
    char buf[LOADER_FILESZ + 1];

    memcpy(buf, name, LOADER_FILESZ);
    buf[LOADER_FILESZ] = 0;
    for (int i = 0; i < n; i++) {
        if (!strcmp(files[i].name, buf)) {
            return &files[i];
        }
    }
    return NULL;
}

bool acpi_build_install(AcpiBuild *b, const AcpiInstallZone *high,
                        const AcpiInstallZone *fseg, uint64_t *rsdp,
                        Error **errp)
{
    InstallFile files[] = {
        { ACPI_FILE_TABLES, g_byte_array_new(), 0 },
        { ACPI_FILE_RSDP, g_byte_array_new(), 0 },
    };
    uint64_t next[2] = { high->base, fseg->base };
    const AcpiInstallZone *zones[2] = { high, fseg };
    bool ok = false;

    g_byte_array_append(files[0].data, b->tables->data, b->tables->len);
    g_byte_array_append(files[1].data, b->rsdp->data, b->rsdp->len);
    for (uint32_t off = 0; off + LOADER_ENTRY_SIZE <= b->loader->len;
         off += LOADER_ENTRY_SIZE) {
        const uint8_t *e = b->loader->data + off;
        const uint8_t *arg = e + 4;
        InstallFile *f = install_file(files, G_N_ELEMENTS(files), arg), *src;
        uint32_t a, c, d;
        int z;

        if (!f) {
            error_setg(errp, "ACPI loader: unknown file in command %u",
                       ld32_le_p(e));
            goto out;
        }
        switch (ld32_le_p(e)) {
        case LOADER_ALLOCATE:
            a = MAX(ld32_le_p(arg + LOADER_FILESZ), 1u);
            z = arg[LOADER_FILESZ + 4] == ACPI_LOADER_ALLOC_FSEG;
            next[z] = ROUND_UP(next[z], (uint64_t)a);
            if (next[z] + f->data->len > zones[z]->base + zones[z]->size) {
                error_setg(errp, "ACPI: %s (%u bytes) does not fit in the "
                           "%" PRIu64 " bytes reserved for it", f->name,
                           f->data->len, zones[z]->size);
                goto out;
            }
            f->addr = next[z];
            next[z] += f->data->len;
            break;
        case LOADER_ADD_POINTER:
            src = install_file(files, G_N_ELEMENTS(files),
                               arg + LOADER_FILESZ);
            a = ld32_le_p(arg + 2 * LOADER_FILESZ);
            c = arg[2 * LOADER_FILESZ + 4];
            if (!src || !src->addr || (c != 1 && c != 2 && c != 4 && c != 8)
                || a > f->data->len || c > f->data->len - a) {
                error_setg(errp, "ACPI loader: bad ADD_POINTER");
                goto out;
            }
            stn_le_p(f->data->data + a, c,
                     ldn_le_p(f->data->data + a, c) + src->addr);
            break;
        case LOADER_ADD_CHECKSUM:
            a = ld32_le_p(arg + LOADER_FILESZ);          /* result */
            c = ld32_le_p(arg + LOADER_FILESZ + 4);      /* start */
            d = ld32_le_p(arg + LOADER_FILESZ + 8);      /* length */
            if (a >= f->data->len || c > f->data->len ||
                d > f->data->len - c) {
                error_setg(errp, "ACPI loader: bad ADD_CHECKSUM");
                goto out;
            }
            f->data->data[a] = 0;
            f->data->data[a] = acpi_checksum(f->data->data + c, d);
            break;
        default:
            error_setg(errp, "ACPI loader: unknown command %u",
                       ld32_le_p(e));
            goto out;
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        if (!files[i].addr ||
            address_space_write(&address_space_memory, files[i].addr,
                                MEMTXATTRS_UNSPECIFIED, files[i].data->data,
                                files[i].data->len) != MEMTX_OK) {
            error_setg(errp, "ACPI: cannot write %s at 0x%" PRIx64,
                       files[i].name, files[i].addr);
            goto out;
        }
    }
    *rsdp = files[1].addr;
    ok = true;
out:
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        g_byte_array_unref(files[i].data);
    }
    return ok;
}
