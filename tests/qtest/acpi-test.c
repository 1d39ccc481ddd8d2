/*
 * The pc board's ACPI tables as firmware receives them through fw_cfg:
 * the test plays SeaBIOS's table loader (ALLOCATE at addresses of its
 * choosing, ADD_POINTER, ADD_CHECKSUM on etc/table-loader) and then walks
 * RSDP -> RSDT -> FADT/MADT/HPET -> FACS/DSDT checking signatures,
 * lengths, checksums and the contents that come from the board's maps:
 * the PM block, the SCI, one MADT processor per CPU, the IOAPIC and
 * the IRQ 0 override, the HPET base, the DSDT's devices; -M pc,hpet=off
 * and acpi=off.
 */
#include "libqtest.h"

#define FW_CFG_CTL  0x510
#define FW_CFG_DATA 0x511

typedef struct Blob {
    char name[56];
    uint8_t *data;
    uint32_t size;
    uint64_t addr;          /* where our "firmware" put it */
} Blob;

static uint16_t fw_find_file(QTestState *q, const char *name, uint32_t *size)
{
    uint32_t count = 0;

    qtest_outw(q, FW_CFG_CTL, 0x19);
    for (int i = 0; i < 4; i++) {
        count = (count << 8) | qtest_inb(q, FW_CFG_DATA);
    }
    for (uint32_t i = 0; i < count; i++) {
        uint8_t e[64];
        for (int j = 0; j < 64; j++) {
            e[j] = qtest_inb(q, FW_CFG_DATA);
        }
        if (!strcmp((char *)e + 8, name)) {
            *size = (e[0] << 24) | (e[1] << 16) | (e[2] << 8) | e[3];
            return (e[4] << 8) | e[5];
        }
    }
    return 0;
}

static bool fw_get(QTestState *q, const char *name, Blob *b)
{
    uint16_t key = fw_find_file(q, name, &b->size);

    if (!key) {
        return false;
    }
    g_strlcpy(b->name, name, sizeof(b->name));
    b->data = g_malloc0(b->size + 1);
    qtest_outw(q, FW_CFG_CTL, key);
    for (uint32_t i = 0; i < b->size; i++) {
        b->data[i] = qtest_inb(q, FW_CFG_DATA);
    }
    return true;
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    for (size_t i = 0; i < n; i++) {
        s += p[i];
    }
    return s;
}

static Blob *blob_by_name(Blob *blobs, int n, const char *name)
{
    for (int i = 0; i < n; i++) {
        if (!strcmp(blobs[i].name, name)) {
            return &blobs[i];
        }
    }
    g_error("loader names unknown file '%s'", name);
}

/* Play the table loader; blobs[0] tables, [1] rsdp. */
static void run_loader(Blob *loader, Blob *blobs, int n)
{
    g_assert_cmpuint(loader->size % 128, ==, 0);
    for (uint32_t off = 0; off < loader->size; off += 128) {
        uint8_t *e = loader->data + off;
        uint32_t cmd = le32(e);

        if (cmd == 1) {                          /* ALLOCATE */
            Blob *b = blob_by_name(blobs, n, (char *)e + 4);
            uint32_t align = le32(e + 60);
            uint8_t zone = e[64];

            g_assert_true(align && !(align & (align - 1)));
            b->addr = zone == 2 ? 0xf0000 : 0x7000000;
            g_assert_cmpuint(b->addr % align, ==, 0);
        } else if (cmd == 2) {                   /* ADD_POINTER */
            Blob *d = blob_by_name(blobs, n, (char *)e + 4);
            Blob *s = blob_by_name(blobs, n, (char *)e + 60);
            uint32_t at = le32(e + 116);
            uint8_t size = e[120];
            uint64_t v = 0;

            g_assert_true(d->addr && s->addr);   /* allocated before */
            g_assert_true(size == 1 || size == 2 || size == 4 || size == 8);
            g_assert_cmpuint(at + size, <=, d->size);
            for (int i = 0; i < size; i++) {
                v |= (uint64_t)d->data[at + i] << (8 * i);
            }
            v += s->addr;
            for (int i = 0; i < size; i++) {
                d->data[at + i] = v >> (8 * i);
            }
        } else if (cmd == 3) {                   /* ADD_CHECKSUM */
            Blob *b = blob_by_name(blobs, n, (char *)e + 4);
            uint32_t res = le32(e + 60), start = le32(e + 64);
            uint32_t len = le32(e + 68);

            g_assert_cmpuint(start + len, <=, b->size);
            g_assert_cmpuint(res, <, b->size);
            b->data[res] = 0;
            b->data[res] = -sum(b->data + start, len);
        } else {
            g_error("unknown loader command %u", cmd);
        }
    }
}

/* The table at guest address addr, checked; its offset in tables. */
static uint32_t table_at(Blob *tables, uint64_t addr, const char *sig)
{
    uint32_t off, len;

    g_assert_cmphex(addr, >=, tables->addr);
    off = addr - tables->addr;
    g_assert_cmpuint(off + 36, <=, tables->size);
    g_assert_cmpmem(tables->data + off, 4, sig, 4);
    len = le32(tables->data + off + 4);
    g_assert_cmpuint(off + len, <=, tables->size);
    g_assert_cmphex(sum(tables->data + off, len), ==, 0);
    return off;
}

static bool mem_has(const uint8_t *p, size_t n, const char *s)
{
    return memmem(p, n, s, strlen(s)) != NULL;
}

static void check_tables(const char *args, int ncpus, bool hpet)
{
    QTestState *q = qtest_init(args);
    Blob blobs[2] = { 0 }, loader = { 0 };
    Blob *t = &blobs[0], *r = &blobs[1];
    uint32_t rsdt, fadt = 0, madt = 0, hpet_off = 0, dsdt, facs, n;
    uint8_t *p;

    g_assert_true(fw_get(q, "etc/acpi/tables", t));
    g_assert_true(fw_get(q, "etc/acpi/rsdp", r));
    g_assert_true(fw_get(q, "etc/table-loader", &loader));
    run_loader(&loader, blobs, 2);
    g_assert_cmpuint(r->addr, >=, 0xe0000);      /* FSEG for the RSDP */

    /* RSDP revision 0 */
    g_assert_cmpuint(r->size, ==, 20);
    g_assert_cmpmem(r->data, 8, "RSD PTR ", 8);
    g_assert_cmphex(sum(r->data, 20), ==, 0);
    rsdt = table_at(t, le32(r->data + 16), "RSDT");
    n = (le32(t->data + rsdt + 4) - 36) / 4;
    g_assert_cmpuint(n, ==, hpet ? 3 : 2);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t a = le32(t->data + rsdt + 36 + 4 * i);
        const char *sig = (const char *)t->data + (a - t->addr);

        if (!memcmp(sig, "FACP", 4)) {
            fadt = table_at(t, a, "FACP");
        } else if (!memcmp(sig, "APIC", 4)) {
            madt = table_at(t, a, "APIC");
        } else if (!memcmp(sig, "HPET", 4)) {
            hpet_off = table_at(t, a, "HPET");
        } else {
            g_error("unexpected table %.4s", sig);
        }
    }
    g_assert_true(fadt && madt && (hpet_off != 0) == hpet);

    /* FADT revision 3: FACS, DSDT, the PIIX4 PM block, SCI 9, SMI_CMD */
    p = t->data + fadt;
    g_assert_cmpuint(p[8], ==, 3);
    g_assert_cmpuint(le32(p + 4), ==, 244);
    facs = le32(p + 36) - t->addr;
    g_assert_cmpmem(t->data + facs, 4, "FACS", 4);
    g_assert_cmpuint((t->addr + facs) % 64, ==, 0);
    /* X_FIRMWARE_CTRL zero: FIRMWARE_CTRL alone points at the FACS */
    g_assert_cmphex(le32(p + 132) | le32(p + 136), ==, 0);
    dsdt = table_at(t, le32(p + 40), "DSDT");
    g_assert_cmpuint(le32(p + 140) | ((uint64_t)le32(p + 144) << 32), ==,
                     t->addr + dsdt);                /* X_DSDT */
    g_assert_cmphex(p[46] | (p[47] << 8), ==, 9);
    g_assert_cmphex(le32(p + 48), ==, 0xb2);
    g_assert_cmphex(p[52], ==, 0xf1);
    g_assert_cmphex(p[53], ==, 0xf0);
    g_assert_cmphex(le32(p + 56), ==, 0x600);        /* PM1a_EVT_BLK */
    g_assert_cmphex(le32(p + 64), ==, 0x604);        /* PM1a_CNT_BLK */
    g_assert_cmphex(le32(p + 76), ==, 0x608);        /* PM_TMR_BLK */
    g_assert_cmphex(le32(p + 80), ==, 0x60c);        /* GPE0_BLK */
    g_assert_cmphex(p[88], ==, 4);
    g_assert_cmphex(p[89], ==, 2);
    g_assert_cmphex(p[91], ==, 4);
    g_assert_cmphex(p[92], ==, 4);
    g_assert_cmphex(le32(p + 116 + 4), ==, 0xcf9);   /* RESET_REG */
    g_assert_cmphex(p[128], ==, 6);

    /* MADT: one enabled processor per CPU, the IOAPIC, IRQ 0 -> GSI 2 */
    p = t->data + madt;
    g_assert_cmphex(le32(p + 36), ==, 0xfee00000);
    {
        uint32_t len = le32(p + 4), cpus = 0;
        bool ioapic = false, irq0 = false, nmi = false;

        for (uint32_t o = 44; o < len; o += p[o + 1]) {
            g_assert_cmpuint(p[o + 1], >=, 2);
            switch (p[o]) {
            case 0:
                g_assert_cmpuint(p[o + 3], ==, cpus);    /* APIC id */
                g_assert_cmpuint(le32(p + o + 4), ==, 1);
                cpus++;
                break;
            case 1:
                g_assert_cmphex(le32(p + o + 4), ==, 0xfec00000);
                ioapic = true;
                break;
            case 2:
                if (p[o + 3] == 0) {
                    g_assert_cmpuint(le32(p + o + 4), ==, 2);
                    irq0 = true;
                }
                if (p[o + 3] == 9) {
                    g_assert_cmphex(p[o + 8], ==, 0x0d);
                }
                break;
            case 4:
                nmi = p[o + 5] == 1;
                break;
            }
        }
        g_assert_cmpuint(cpus, ==, ncpus);
        g_assert_true(ioapic && irq0 && nmi);
    }
    if (hpet) {
        g_assert_cmphex(le32(t->data + hpet_off + 36), ==, 0x8086a201);
        g_assert_cmphex(le32(t->data + hpet_off + 44), ==, 0xfed00000);
    }

    /* DSDT: devices by name and id */
    p = t->data + dsdt;
    n = le32(p + 4);
    g_assert_true(mem_has(p, n, "PCI0"));
    g_assert_true(mem_has(p, n, "_PRT"));
    g_assert_true(mem_has(p, n, "_CRS"));
    g_assert_true(mem_has(p, n, "KBD_"));
    g_assert_true(mem_has(p, n, "RTC_"));
    g_assert_true(mem_has(p, n, "_S5_"));
    g_assert_true(mem_has(p, n, "ACPI0007"));
    g_assert_true(mem_has(p, n, ncpus > 1 ? "C001" : "C000"));
    g_assert_true(mem_has(p, n, "HPET") == hpet);

    g_free(t->data);
    g_free(r->data);
    g_free(loader.data);
    qtest_quit(q);
}

static void test_tables(void)
{
    check_tables("-M pc -smp 2", 2, true);
}

static void test_tables_4cpu_no_hpet(void)
{
    check_tables("-M pc,hpet=off -smp 4", 4, false);
}

static void test_acpi_off(void)
{
    QTestState *q = qtest_init("-M pc,acpi=off");
    uint32_t size;

    g_assert_cmpuint(fw_find_file(q, "etc/acpi/tables", &size), ==, 0);
    g_assert_cmpuint(fw_find_file(q, "etc/table-loader", &size), ==, 0);
    qtest_quit(q);
}

/*
 * SMBIOS for firmware: the anchor (2.8, table address 0 for the firmware
 * to patch) and the structures; no type 0 when -bios gives a firmware
 * (it adds its own), one otherwise.
 */
static void check_smbios(const char *args, bool type0)
{
    QTestState *q = qtest_init(args);
    Blob anchor, tables;
    const uint8_t *p, *end;
    unsigned count = 0;
    uint8_t first = 0xff;

    g_assert_true(fw_get(q, "etc/smbios/smbios-anchor", &anchor));
    g_assert_true(fw_get(q, "etc/smbios/smbios-tables", &tables));
    g_assert_cmpuint(anchor.size, ==, 31);
    g_assert_cmpmem(anchor.data, 4, "_SM_", 4);
    g_assert_cmpuint(sum(anchor.data, 31), ==, 0);
    g_assert_cmpuint(le32(anchor.data + 0x18), ==, 0);
    g_assert_cmpuint(anchor.data[0x16] | (anchor.data[0x17] << 8), ==,
                     tables.size);
    for (p = tables.data, end = p + tables.size; p < end; count++) {
        if (!count) {
            first = p[0];
        }
        p += p[1];
        while (p[0] || p[1]) {
            p++;
        }
        p += 2;
    }
    g_assert_true(p == end);
    g_assert_cmpuint(count, ==, anchor.data[0x1c] | (anchor.data[0x1d] << 8));
    g_assert_cmpuint(first, ==, type0 ? 0 : 1);
    g_free(anchor.data);
    g_free(tables.data);
    qtest_quit(q);
}

static void test_smbios(void)
{
    g_autofree char *bios = NULL;
    g_autofree char *args = NULL;
    g_autofree uint8_t *zero = g_malloc0(64 * 1024);
    int fd = g_file_open_tmp("acpi-bios-XXXXXX", &bios, NULL);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, zero, 64 * 1024), ==, 64 * 1024);
    close(fd);
    check_smbios("-M pc -smp 2 -m 256", true);
    args = g_strdup_printf("-M pc -bios %s", bios);
    check_smbios(args, false);
    unlink(bios);
}

/* ---- -acpitable ---- */

static char *write_tmp(const void *data, size_t len)
{
    char *path;
    int fd = g_file_open_tmp("acpitable-XXXXXX", &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, data, len), ==, (ssize_t)len);
    close(fd);
    return path;
}

/* The RSDT's tables with this signature, in order (offsets) */
static uint32_t find_table(Blob *t, uint32_t rsdt, const char *sig)
{
    uint32_t n = (le32(t->data + rsdt + 4) - 36) / 4;

    for (uint32_t i = 0; i < n; i++) {
        uint64_t a = le32(t->data + rsdt + 36 + 4 * i);

        if (!memcmp(t->data + (a - t->addr), sig, 4)) {
            return table_at(t, a, sig);
        }
    }
    g_error("no %s in the RSDT", sig);
}

static void test_acpitable(void)
{
    /* a whole SSDT split over two files; its checksum is wrong on purpose */
    uint8_t ssdt[40] = "SSDT", body[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    g_autofree char *f1 = NULL, *f2 = NULL, *fd = NULL, *args = NULL;
    Blob blobs[2] = { 0 }, loader = { 0 };
    Blob *t = &blobs[0], *r = &blobs[1];
    QTestState *q;
    uint32_t rsdt, off;

    ssdt[4] = 40;
    ssdt[8] = 2;
    memcpy(ssdt + 10, "ABCDEF", 6);
    ssdt[36] = 0x5a;
    f1 = write_tmp(ssdt, 20);
    f2 = write_tmp(ssdt + 20, 20);
    fd = write_tmp(body, sizeof(body));
    args = g_strdup_printf("-M pc -acpitable file=%s:%s,oem_table_id=OVR "
                           "-acpitable data=%s,sig=TEST,rev=5,oem_id=XYZ,"
                           "oem_rev=0x1234", f1, f2, fd);
    q = qtest_init(args);
    g_assert_true(fw_get(q, "etc/acpi/tables", t));
    g_assert_true(fw_get(q, "etc/acpi/rsdp", r));
    g_assert_true(fw_get(q, "etc/table-loader", &loader));
    run_loader(&loader, blobs, 2);
    rsdt = table_at(t, le32(r->data + 16), "RSDT");
    g_assert_cmpuint(le32(t->data + rsdt + 4), ==, 36 + 4 * 5);
    off = find_table(t, rsdt, "SSDT");       /* checksum fixed */
    g_assert_cmpuint(le32(t->data + off + 4), ==, 40);
    g_assert_cmpuint(t->data[off + 8], ==, 2);
    g_assert_cmpmem(t->data + off + 10, 6, "ABCDEF", 6);
    g_assert_cmpmem(t->data + off + 16, 8, "OVR\0\0\0\0\0", 8);
    g_assert_cmphex(t->data[off + 36], ==, 0x5a);
    off = find_table(t, rsdt, "TEST");
    g_assert_cmpuint(le32(t->data + off + 4), ==, 44);
    g_assert_cmpuint(t->data[off + 8], ==, 5);
    g_assert_cmpmem(t->data + off + 10, 6, "XYZ\0\0\0", 6);
    g_assert_cmphex(le32(t->data + off + 24), ==, 0x1234);
    g_assert_cmpmem(t->data + off + 36, 8, body, 8);
    qtest_quit(q);
    g_free(t->data);
    g_free(r->data);
    g_free(loader.data);
    unlink(f1);
    unlink(f2);
    unlink(fd);
}

static void test_acpitable_errors(void)
{
    uint8_t ssdt[40] = "SSDT";
    g_autofree char *whole = NULL, *shortf = NULL;
    struct { char *opt; const char *msg; } bad[] = {
        { g_strdup("file=/nonexistent/table.aml"), "table.aml" },
        { NULL, "shorter than the 36-byte" },
        { NULL, "the header says 64 bytes" },
        { NULL, "exactly one of file= " },
        { NULL, "exactly one of file= " },
        { NULL, "sig= is needed" },
        { NULL, "must have exactly 4" },
        { NULL, "a RSDT cannot be added" },
        { NULL, "oem_id" },
        { NULL, "rev=256" },
        { NULL, "bogus" },
        { NULL, "acpi=off" },
    };
    int i = 1;

    ssdt[4] = 64;                           /* says 64, has 40 */
    whole = write_tmp(ssdt, sizeof(ssdt));
    shortf = write_tmp(ssdt, 20);
    bad[i++].opt = g_strdup_printf("file=%s", shortf);
    bad[i++].opt = g_strdup_printf("file=%s", whole);
    bad[i++].opt = g_strdup_printf("file=%s,data=%s", whole, whole);
    bad[i++].opt = g_strdup("sig=TEST");
    bad[i++].opt = g_strdup_printf("data=%s", shortf);
    bad[i++].opt = g_strdup_printf("data=%s,sig=TOOLONG", shortf);
    bad[i++].opt = g_strdup_printf("data=%s,sig=RSDT", shortf);
    bad[i++].opt = g_strdup_printf("data=%s,sig=TEST,oem_id=TOOLONGID",
                                   shortf);
    bad[i++].opt = g_strdup_printf("data=%s,sig=TEST,rev=256", shortf);
    bad[i++].opt = g_strdup_printf("data=%s,sig=TEST,bogus=1", shortf);
    bad[i++].opt = g_strdup_printf("data=%s,sig=TEST", shortf);
    for (i = 0; i < (int)G_N_ELEMENTS(bad); i++) {
        g_autofree char *args = g_strdup_printf(
            "-M pc%s -accel qtest -display none -acpitable %s",
            i == (int)G_N_ELEMENTS(bad) - 1 ? ",acpi=off" : "", bad[i].opt);
        g_autofree char *err = NULL;

        g_assert_cmpint(qtest_run(qtest_binary(), args, NULL, &err), ==, 1);
        if (!strstr(err, bad[i].msg)) {
            g_error("-acpitable %s: %s", bad[i].opt, err);
        }
        g_free(bad[i].opt);
    }
    unlink(whole);
    unlink(shortf);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/acpi/tables", test_tables);
    g_test_add_func("/acpi/tables-4cpu-no-hpet", test_tables_4cpu_no_hpet);
    g_test_add_func("/acpi/acpi-off", test_acpi_off);
    g_test_add_func("/acpi/smbios", test_smbios);
    g_test_add_func("/acpi/acpitable", test_acpitable);
    g_test_add_func("/acpi/acpitable-errors", test_acpitable_errors);
    return g_test_run();
}
