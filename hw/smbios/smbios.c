/*
 * SMBIOS structures and the 2.8 entry point - see include/hw/smbios/
 * smbios.h.  Offsets and values from DSP0134 (SMBIOS 3.x): 6.1.2 (the
 * structure header and string sets), 5.2.1 (the 32-bit entry point),
 * 7.1 (type 0), 7.2 (1), 7.4 (3), 7.5 (4), 7.17 (16), 7.18 (17),
 * 7.20 (19), 7.33 (32), 7.45 (127).
 *
 * Handles are (type << 8) + index, as QEMU numbers them, so the same
 * guest sees the same handles on both.
 */
#include "turtle/osdep.h"
#include "hw/smbios/smbios.h"

/* One type 17 per 16 GiB, as QEMU; past 4 TiB bigger DIMMs, so that
 * the table stays well inside the 64 KiB the 2.x entry point can say. */
#define DIMM_SIZE     (16 * GiB)
#define DIMM_MAX      256

/* One structure being built: formatted area, then its strings. */
typedef struct Smbios {
    SmbiosTables *t;
    GByteArray *strings;
    unsigned nstrings;
    size_t start;                    /* offset of the header in t->tables */
} Smbios;

static void put(Smbios *s, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) {
        uint8_t c = v >> (8 * i);
        g_byte_array_append(s->t->tables, &c, 1);
    }
}

static void begin(Smbios *s, SmbiosTables *t, uint8_t type, uint16_t handle)
{
    s->t = t;
    s->strings = g_byte_array_new();
    s->nstrings = 0;
    s->start = t->tables->len;
    put(s, type, 1);
    put(s, 0, 1);                    /* length of the formatted area */
    put(s, handle, 2);
}

/* A string field: its number in the set, 0 for none (NULL or "") */
static void put_str(Smbios *s, const char *str)
{
    if (!str || !*str) {
        put(s, 0, 1);
        return;
    }
    g_byte_array_append(s->strings, (const uint8_t *)str, strlen(str) + 1);
    put(s, ++s->nstrings, 1);
}

static void end(Smbios *s)
{
    GByteArray *tab = s->t->tables;
    size_t size;

    tab->data[s->start + 1] = tab->len - s->start;
    if (s->nstrings) {
        g_byte_array_append(tab, s->strings->data, s->strings->len);
        put(s, 0, 1);                /* the set ends with an empty string */
    } else {
        put(s, 0, 2);                /* no strings: two NULs */
    }
    g_byte_array_unref(s->strings);
    size = tab->len - s->start;
    s->t->max_size = MAX(s->t->max_size, size);
    s->t->count++;
}

static void build_type0(SmbiosTables *t, const SmbiosInfo *in)
{
    Smbios s;
    uint32_t rom = in->bios_rom_size ? in->bios_rom_size : 64 * KiB;

    begin(&s, t, 0, 0x000);
    put_str(&s, in->bios_vendor);
    put_str(&s, in->bios_version);
    put(&s, 0xe800, 2);              /* starting address segment */
    put_str(&s, in->bios_date);
    /* ROM size: 64 KiB * (n + 1), at most 16 MiB in this byte */
    put(&s, MIN(DIV_ROUND_UP(rom, 64 * KiB), 256) - 1, 1);
    put(&s, 1u << 3, 8);             /* characteristics not supported */
    put(&s, 0, 1);                   /* extension byte 1 */
    /* extension byte 2: targeted content distribution, virtual machine */
    put(&s, (1u << 2) | (1u << 4), 1);
    put(&s, 0, 1);                   /* system BIOS major release */
    put(&s, 0, 1);                   /* minor */
    put(&s, 0xff, 1);                /* embedded controller: none */
    put(&s, 0xff, 1);
    end(&s);
}

static void build_type1(SmbiosTables *t, const SmbiosInfo *in)
{
    Smbios s;
    const uint8_t *u = in->uuid;

    begin(&s, t, 1, 0x100);
    put_str(&s, in->manufacturer);
    put_str(&s, in->product);
    put_str(&s, in->version);
    put_str(&s, NULL);               /* serial number */
    /* UUID: the first three fields little-endian (7.2.1) */
    put(&s, ((uint32_t)u[0] << 24) | (u[1] << 16) | (u[2] << 8) | u[3], 4);
    put(&s, (u[4] << 8) | u[5], 2);
    put(&s, (u[6] << 8) | u[7], 2);
    for (int i = 8; i < 16; i++) {
        put(&s, u[i], 1);
    }
    put(&s, 0x06, 1);                /* wake-up type: power switch */
    put_str(&s, NULL);               /* SKU */
    put_str(&s, in->family);
    end(&s);
}

static void build_type3(SmbiosTables *t, const SmbiosInfo *in)
{
    Smbios s;

    begin(&s, t, 3, 0x300);
    put_str(&s, in->manufacturer);
    put(&s, 0x01, 1);                /* type: other */
    put_str(&s, in->version);
    put_str(&s, NULL);               /* serial number */
    put_str(&s, NULL);               /* asset tag */
    put(&s, 0x03, 1);                /* boot-up state: safe */
    put(&s, 0x03, 1);                /* power supply state: safe */
    put(&s, 0x03, 1);                /* thermal state: safe */
    put(&s, 0x02, 1);                /* security status: unknown */
    put(&s, 0, 4);                   /* OEM defined */
    put(&s, 0, 1);                   /* height: unspecified */
    put(&s, 0, 1);                   /* power cords: unspecified */
    put(&s, 0, 1);                   /* contained elements: none */
    put(&s, 0, 1);                   /* element record length */
    put_str(&s, NULL);               /* SKU */
    end(&s);
}

static void build_type4(SmbiosTables *t, const SmbiosInfo *in,
                        unsigned socket)
{
    g_autofree char *name = g_strdup_printf("CPU %u", socket);
    unsigned cores = MIN(in->cores, 255u);
    unsigned threads = MIN(in->cores * in->threads, 255u);
    uint16_t chars = (1u << 2) * in->cpu_64bit |        /* 64-bit capable */
                     (1u << 3) * (in->cores > 1) |      /* multi-core */
                     (1u << 4) * (in->threads > 1);     /* multi-thread */
    Smbios s;

    begin(&s, t, 4, 0x400 + socket);
    put_str(&s, name);               /* socket designation */
    put(&s, 0x03, 1);                /* central processor */
    put(&s, in->cpu_family < 0xfe ? in->cpu_family : 0xfe, 1);
    put_str(&s, in->cpu_manufacturer);
    put(&s, in->cpu_signature, 4);   /* processor ID: CPUID.1 EAX, EDX */
    put(&s, in->cpu_features, 4);
    put_str(&s, in->cpu_version);
    put(&s, 0, 1);                   /* voltage: unknown */
    put(&s, 0, 2);                   /* external clock: unknown */
    put(&s, in->cpu_speed_mhz, 2);   /* max speed */
    put(&s, in->cpu_speed_mhz, 2);   /* current speed */
    put(&s, 0x41, 1);                /* socket populated, CPU enabled */
    put(&s, 0x01, 1);                /* upgrade: other */
    put(&s, 0xffff, 2);              /* no L1/L2/L3 cache structures */
    put(&s, 0xffff, 2);
    put(&s, 0xffff, 2);
    put_str(&s, NULL);               /* serial number */
    put_str(&s, NULL);               /* asset tag */
    put_str(&s, NULL);               /* part number */
    put(&s, cores, 1);               /* core count */
    put(&s, cores, 1);               /* cores enabled */
    put(&s, threads, 1);             /* thread count */
    put(&s, chars, 2);
    put(&s, in->cpu_family, 2);      /* processor family 2 */
    end(&s);
}

static void build_type16(SmbiosTables *t, const SmbiosInfo *in,
                         unsigned ndimms)
{
    uint64_t kib = DIV_ROUND_UP(in->ram_size, KiB);
    Smbios s;

    begin(&s, t, 16, 0x1000);
    put(&s, 0x01, 1);                /* location: other */
    put(&s, 0x03, 1);                /* use: system memory */
    put(&s, 0x06, 1);                /* error correction: multi-bit ECC */
    /* maximum capacity in KiB; 0x80000000: see the extended field */
    put(&s, kib < 0x80000000ULL ? kib : 0x80000000ULL, 4);
    put(&s, 0xfffe, 2);              /* no memory error information */
    put(&s, ndimms, 2);
    put(&s, kib < 0x80000000ULL ? 0 : in->ram_size, 8);
    end(&s);
}

static void build_type17(SmbiosTables *t, const SmbiosInfo *in,
                         unsigned dimm, uint64_t size)
{
    g_autofree char *loc = g_strdup_printf("DIMM %u", dimm);
    uint64_t mib = DIV_ROUND_UP(size, MiB);
    Smbios s;

    begin(&s, t, 17, 0x1100 + dimm);
    put(&s, 0x1000, 2);              /* the type 16 array */
    put(&s, 0xfffe, 2);              /* no memory error information */
    put(&s, 0xffff, 2);              /* total width: unknown */
    put(&s, 0xffff, 2);              /* data width: unknown */
    put(&s, mib < 0x7fff ? mib : 0x7fff, 2);    /* size in MiB */
    put(&s, 0x09, 1);                /* form factor: DIMM */
    put(&s, 0, 1);                   /* device set: none */
    put_str(&s, loc);                /* device locator */
    put_str(&s, NULL);               /* bank locator */
    put(&s, 0x07, 1);                /* memory type: RAM */
    put(&s, 0x0002, 2);              /* type detail: other */
    put(&s, 0, 2);                   /* speed: unknown */
    put_str(&s, in->manufacturer);
    put_str(&s, NULL);               /* serial number */
    put_str(&s, NULL);               /* asset tag */
    put_str(&s, NULL);               /* part number */
    put(&s, 0, 1);                   /* attributes: rank unknown */
    put(&s, mib < 0x7fff ? 0 : mib, 4);         /* extended size */
    put(&s, 0, 2);                   /* configured speed: unknown */
    put(&s, 0, 2);                   /* minimum voltage: unknown */
    put(&s, 0, 2);                   /* maximum voltage */
    put(&s, 0, 2);                   /* configured voltage */
    end(&s);
}

static void build_type19(SmbiosTables *t, unsigned index,
                         const SmbiosMemRange *r)
{
    uint64_t start = r->base, last = r->base + r->size - 1;
    bool ext = last / KiB >= 0xffffffffULL;
    Smbios s;

    begin(&s, t, 19, 0x1300 + index);
    put(&s, ext ? 0xffffffffULL : start / KiB, 4);
    put(&s, ext ? 0xffffffffULL : last / KiB, 4);
    put(&s, 0x1000, 2);              /* the type 16 array */
    put(&s, 1, 1);                   /* partition width: one device */
    put(&s, ext ? start : 0, 8);
    put(&s, ext ? last : 0, 8);
    end(&s);
}

static void build_type32(SmbiosTables *t)
{
    Smbios s;

    begin(&s, t, 32, 0x2000);
    put(&s, 0, 6);                   /* reserved */
    put(&s, 0, 1);                   /* boot status: no errors */
    end(&s);
}

static void build_type127(SmbiosTables *t)
{
    Smbios s;

    begin(&s, t, 127, 0x7f00);
    end(&s);
}

static uint8_t checksum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++) {
        sum += p[i];
    }
    return -sum;
}

void smbios_set_table_address(SmbiosTables *t, uint32_t addr)
{
    uint8_t *a = t->anchor;

    st32_le_p(a + 0x18, addr);
    a[0x15] = 0;
    a[0x15] = checksum(a + 0x10, 0x0f);  /* intermediate: "_DMI_" on */
    a[0x04] = 0;
    a[0x04] = checksum(a, SMBIOS_ANCHOR_SIZE);
}

void smbios_build(const SmbiosInfo *in, SmbiosTables *t)
{
    uint64_t left = in->ram_size;
    uint64_t dimm_size = MAX(ROUND_UP(DIV_ROUND_UP(in->ram_size, DIMM_MAX),
                                      GiB), DIMM_SIZE);
    unsigned ndimms = MAX(DIV_ROUND_UP(in->ram_size, dimm_size), 1);
    uint8_t *a = t->anchor;

    memset(t, 0, sizeof(*t));
    t->tables = g_byte_array_new();
    if (in->bios_vendor) {
        build_type0(t, in);
    }
    build_type1(t, in);
    build_type3(t, in);
    for (unsigned i = 0; i < MAX(in->sockets, 1u); i++) {
        build_type4(t, in, i);
    }
    build_type16(t, in, ndimms);
    for (unsigned i = 0; i < ndimms; i++) {
        uint64_t size = MIN(left, dimm_size);

        build_type17(t, in, i, size);
        left -= size;
    }
    for (unsigned i = 0; i < in->nr_ram_ranges; i++) {
        if (in->ram_ranges[i].size) {
            build_type19(t, i, &in->ram_ranges[i]);
        }
    }
    build_type32(t);
    build_type127(t);

    /* the 2.8 32-bit entry point (5.2.1) */
    memcpy(a, "_SM_", 4);
    a[0x05] = SMBIOS_ANCHOR_SIZE;
    a[0x06] = 2;                     /* SMBIOS 2.8 */
    a[0x07] = 8;
    st16_le_p(a + 0x08, t->max_size);
    a[0x0a] = 0;                     /* entry point revision */
    memcpy(a + 0x10, "_DMI_", 5);
    g_assert(t->tables->len <= 0xffff);
    st16_le_p(a + 0x16, t->tables->len);
    st16_le_p(a + 0x1c, t->count);
    a[0x1e] = 0x28;                  /* BCD revision */
    smbios_set_table_address(t, 0);
}

void smbios_tables_free(SmbiosTables *t)
{
    if (t->tables) {
        g_byte_array_unref(t->tables);
        t->tables = NULL;
    }
}
