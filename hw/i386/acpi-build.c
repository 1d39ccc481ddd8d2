/*
 * The pc board's ACPI tables, built from the board's own maps and handed to
 * firmware through fw_cfg (etc/acpi/tables, etc/acpi/rsdp,
 * etc/table-loader; hw/acpi/acpi-tables.h): FACS, DSDT, FADT (revision 3),
 * MADT, HPET, RSDT and a revision 0 RSDP.  ACPI 6.4 chapter 5.
 *
 * DSDT: \_SB.PCI0 (PNP0A03) with its _CRS (bus 0, the config ports, the
 * I/O and memory windows, the PCI hole) and a static _PRT (slot s pin p
 * on PIRQ (s + p) & 3, which firmware and the direct boot route to IRQs
 * 10, 10, 11, 11), the ISA devices (keyboard, mouse, RTC, COM ports),
 * the HPET, a processor device (ACPI0007) per CPU and \_S5.  The power
 * button is the FADT's fixed-feature button (PWRBTN_STS in the PIIX4 PM).
 */
#include "turtle/osdep.h"
#include "hw/i386/pc.h"
#include "hw/acpi/acpi-tables.h"
#include "hw/acpi/aml-build.h"
#include "hw/acpi/piix4-pm.h"
#include "hw/core/loader.h"
#include "turtle/option.h"
#include "hw/char/serial.h"
#include "hw/intc/apic.h"
#include "hw/intc/ioapic.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/timer/hpet.h"

#define PC_PIRQ_IRQ(n) ((n) < 2 ? 10 : 11)     /* as firmware routes them */

static void build_facs(AcpiBuild *b)
{
    GByteArray *t = b->tables;

    g_byte_array_append(t, (const uint8_t *)"FACS", 4);
    acpi_put(t, 64, 4);                      /* length */
    acpi_put(t, 0, 4);                       /* hardware signature */
    acpi_put(t, 0, 4);                       /* firmware waking vector */
    acpi_put(t, 0, 4);                       /* global lock */
    acpi_put(t, 0, 4);                       /* flags */
    acpi_put(t, 0, 8);                       /* X waking vector */
    acpi_put(t, 1, 1);                       /* version */
    acpi_put(t, 0, 31);
}

static Aml *isa_device(const char *name, const char *hid, uint16_t port,
                       uint8_t len, int irq)
{
    Aml *dev = aml_device(name);
    Aml *crs = aml_resource_template();

    aml_append(dev, aml_name_decl("_HID", aml_eisaid(hid)));
    aml_append(crs, aml_io(port, port, 1, len));
    if (irq >= 0) {
        aml_append(crs, aml_irq_no_flags(irq));
    }
    aml_append(dev, aml_name_decl("_CRS", crs));
    return dev;
}

static Aml *build_pci0(PCMachineState *pcms)
{
    Aml *pci = aml_device("PCI0"), *crs, *prt, *isa, *kbd;

    aml_append(pci, aml_name_decl("_HID", aml_eisaid("PNP0A03")));
    aml_append(pci, aml_name_decl("_ADR", aml_int(0)));
    aml_append(pci, aml_name_decl("_UID", aml_int(0)));
    crs = aml_resource_template();
    aml_append(crs, aml_word_bus_number(0, 0xff));
    aml_append(crs, aml_io(0xcf8, 0xcf8, 1, 8));
    aml_append(crs, aml_word_io(0x0000, 0x0cf7));
    aml_append(crs, aml_word_io(0x0d00, 0xffff));
    aml_append(crs, aml_dword_memory(0xa0000, 0xbffff, false));
    aml_append(crs, aml_dword_memory(pcms->below_4g_mem_size, 0xfebfffff,
                                     false));
    aml_append(pci, aml_name_decl("_CRS", crs));

    /* _PRT: Package { Address, Pin, Source (0: a GSI), Source Index } */
    prt = aml_package();
    for (int slot = 1; slot < 32; slot++) {
        for (int pin = 0; pin < 4; pin++) {
            Aml *e = aml_package();

            aml_append(e, aml_int(((uint64_t)slot << 16) | 0xffff));
            aml_append(e, aml_int(pin));
            aml_append(e, aml_int(0));
            aml_append(e, aml_int(PC_PIRQ_IRQ((slot + pin) & 3)));
            aml_append(prt, e);
        }
    }
    aml_append(pci, aml_name_decl("_PRT", prt));

    /* the ISA bridge (PIIX3, 01.0) and its devices */
    isa = aml_device("ISA");
    aml_append(isa, aml_name_decl("_ADR", aml_int(0x00010000)));
    kbd = isa_device("KBD", "PNP0303", 0x60, 1, 1);
    aml_append(isa, kbd);
    {
        Aml *mou = aml_device("MOU");
        Aml *c = aml_resource_template();

        aml_append(mou, aml_name_decl("_HID", aml_eisaid("PNP0F13")));
        aml_append(c, aml_irq_no_flags(12));
        aml_append(mou, aml_name_decl("_CRS", c));
        aml_append(isa, mou);
    }
    aml_append(isa, isa_device("RTC", "PNP0B00", 0x70, 2, 8));
    for (int i = 0; i < MAX_ISA_SERIAL_PORTS; i++) {
        static const uint16_t ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
        char name[5];
        Aml *com;

        if (!serial_hd(i)) {
            continue;
        }
        snprintf(name, sizeof(name), "COM%d", i + 1);
        com = isa_device(name, "PNP0501", ports[i], 8, i % 2 ? 3 : 4);
        aml_append(com, aml_name_decl("_UID", aml_int(i + 1)));
        aml_append(isa, com);
    }
    aml_append(pci, isa);
    return pci;
}

static uint32_t build_dsdt(AcpiBuild *b, PCMachineState *pcms)
{
    uint32_t off = acpi_table_begin(b, "DSDT", 1);
    Aml *root = aml_block(), *sb = aml_scope("\\_SB"), *s5;
    GByteArray *bytes;
    CPUState *cs;

    aml_append(sb, build_pci0(pcms));
    if (pcms->hpet) {
        Aml *hpet = aml_device("HPET"), *crs = aml_resource_template();

        aml_append(hpet, aml_name_decl("_HID", aml_eisaid("PNP0103")));
        aml_append(hpet, aml_name_decl("_UID", aml_int(0)));
        aml_append(crs, aml_memory32_fixed(HPET_BASE, HPET_LEN, false));
        aml_append(hpet, aml_name_decl("_CRS", crs));
        aml_append(sb, hpet);
    }
    CPU_FOREACH(cs) {
        char name[5];
        Aml *cpu;

        snprintf(name, sizeof(name), "C%03X", cs->cpu_index);
        cpu = aml_device(name);
        aml_append(cpu, aml_name_decl("_HID", aml_string("ACPI0007")));
        aml_append(cpu, aml_name_decl("_UID", aml_int(cs->cpu_index)));
        aml_append(sb, cpu);
    }
    aml_append(root, sb);
    /* S5: SLP_TYP 0 for PM1a and PM1b */
    s5 = aml_package();
    for (int i = 0; i < 4; i++) {
        aml_append(s5, aml_int(0));
    }
    aml_append(root, aml_name_decl("\\_S5", s5));
    bytes = aml_bytes(root);
    g_byte_array_append(b->tables, bytes->data, bytes->len);
    g_byte_array_unref(bytes);
    acpi_table_end(b, off);
    return off;
}

static uint32_t build_fadt(AcpiBuild *b, uint32_t facs, uint32_t dsdt)
{
    uint32_t off = acpi_table_begin(b, "FACP", 3);
    GByteArray *t = b->tables;
    uint16_t pm = PIIX4_PM_IO_BASE;

    acpi_put_table_pointer(b, facs, 4);      /* FIRMWARE_CTRL */
    acpi_put_table_pointer(b, dsdt, 4);      /* DSDT */
    acpi_put(t, 0, 1);                       /* reserved */
    acpi_put(t, 0, 1);                       /* preferred PM profile */
    acpi_put(t, PIIX4_PM_SCI_IRQ, 2);
    acpi_put(t, ACPI_SMI_CMD_PORT, 4);
    acpi_put(t, ACPI_ENABLE_CMD, 1);
    acpi_put(t, ACPI_DISABLE_CMD, 1);
    acpi_put(t, 0, 1);                       /* S4BIOS_REQ */
    acpi_put(t, 0, 1);                       /* PSTATE_CNT */
    acpi_put(t, pm, 4);                      /* PM1a_EVT_BLK */
    acpi_put(t, 0, 4);                       /* PM1b_EVT_BLK */
    acpi_put(t, pm + 4, 4);                  /* PM1a_CNT_BLK */
    acpi_put(t, 0, 4);                       /* PM1b_CNT_BLK */
    acpi_put(t, 0, 4);                       /* PM2_CNT_BLK */
    acpi_put(t, pm + 8, 4);                  /* PM_TMR_BLK */
    acpi_put(t, pm + PIIX4_PM_GPE0_OFF, 4);  /* GPE0_BLK */
    acpi_put(t, 0, 4);                       /* GPE1_BLK */
    acpi_put(t, 4, 1);                       /* PM1_EVT_LEN */
    acpi_put(t, 2, 1);                       /* PM1_CNT_LEN */
    acpi_put(t, 0, 1);                       /* PM2_CNT_LEN */
    acpi_put(t, 4, 1);                       /* PM_TMR_LEN */
    acpi_put(t, PIIX4_PM_GPE0_LEN, 1);
    acpi_put(t, 0, 1);                       /* GPE1_BLK_LEN */
    acpi_put(t, 0, 1);                       /* GPE1_BASE */
    acpi_put(t, 0, 1);                       /* CST_CNT */
    acpi_put(t, 0xfff, 2);                   /* P_LVL2_LAT: no C2 */
    acpi_put(t, 0x3e9, 2);                   /* P_LVL3_LAT: no C3 */
    acpi_put(t, 0, 2);                       /* FLUSH_SIZE */
    acpi_put(t, 0, 2);                       /* FLUSH_STRIDE */
    acpi_put(t, 0, 1);                       /* DUTY_OFFSET */
    acpi_put(t, 0, 1);                       /* DUTY_WIDTH */
    acpi_put(t, 0, 1);                       /* DAY_ALRM */
    acpi_put(t, 0, 1);                       /* MON_ALRM */
    acpi_put(t, 0x32, 1);                    /* CENTURY (CMOS 0x32) */
    acpi_put(t, 0x0003, 2);                  /* IAPC_BOOT_ARCH: legacy, 8042 */
    acpi_put(t, 0, 1);                       /* reserved */
    /* flags: WBINVD, PROC_C1, SLP_BUTTON (none), RTC_S4, RESET_REG_SUP */
    acpi_put(t, (1u << 0) | (1u << 2) | (1u << 5) | (1u << 7) | (1u << 10),
             4);
    acpi_put_gas(t, 1, 8, 0, 0, 0xcf9);      /* RESET_REG: PIIX3 RCR */
    acpi_put(t, 0x06, 1);                    /* RESET_VALUE */
    acpi_put(t, 0, 3);                       /* reserved */
    /* X_FIRMWARE_CTRL 0: the 32-bit FIRMWARE_CTRL says where the FACS is
     * (both set make Linux map the FACS twice) */
    acpi_put(t, 0, 8);
    acpi_put_table_pointer(b, dsdt, 8);      /* X_DSDT */
    acpi_put_gas(t, 1, 32, 0, 0, pm);        /* X_PM1a_EVT_BLK */
    acpi_put_gas(t, 0, 0, 0, 0, 0);          /* X_PM1b_EVT_BLK */
    acpi_put_gas(t, 1, 16, 0, 0, pm + 4);    /* X_PM1a_CNT_BLK */
    acpi_put_gas(t, 0, 0, 0, 0, 0);          /* X_PM1b_CNT_BLK */
    acpi_put_gas(t, 0, 0, 0, 0, 0);          /* X_PM2_CNT_BLK */
    acpi_put_gas(t, 1, 32, 0, 0, pm + 8);    /* X_PM_TMR_BLK */
    acpi_put_gas(t, 1, PIIX4_PM_GPE0_LEN * 8, 0, 0,
                 pm + PIIX4_PM_GPE0_OFF);    /* X_GPE0_BLK */
    acpi_put_gas(t, 0, 0, 0, 0, 0);          /* X_GPE1_BLK */
    acpi_table_end(b, off);
    return off;
}

static uint32_t build_madt(AcpiBuild *b, PCMachineState *pcms)
{
    uint32_t off = acpi_table_begin(b, "APIC", 1);
    GByteArray *t = b->tables;
    /* ISA IRQ -> GSI and flags: IRQ 0 on pin 2; the SCI and the PCI IRQs
     * level-triggered, active high */
    static const struct { uint8_t irq, gsi; uint16_t flags; } iso[] = {
        { 0, 2, 0 }, { 5, 5, 0xd }, { 9, 9, 0xd }, { 10, 10, 0xd },
        { 11, 11, 0xd },
    };
    CPUState *cs;

    acpi_put(t, APIC_WINDOW_BASE, 4);        /* local APIC address */
    acpi_put(t, 1, 4);                       /* PCAT_COMPAT: 8259s too */
    CPU_FOREACH(cs) {
        acpi_put(t, 0, 1);                   /* processor local APIC */
        acpi_put(t, 8, 1);
        acpi_put(t, cs->cpu_index, 1);       /* ACPI processor UID */
        acpi_put(t, cs->mp_affinity, 1);     /* APIC id */
        acpi_put(t, 1, 4);                   /* enabled */
    }
    acpi_put(t, 1, 1);                       /* I/O APIC */
    acpi_put(t, 12, 1);
    acpi_put(t, 0, 1);                       /* id */
    acpi_put(t, 0, 1);
    acpi_put(t, IOAPIC_BASE, 4);
    acpi_put(t, 0, 4);                       /* GSI base */
    for (size_t i = 0; i < G_N_ELEMENTS(iso); i++) {
        acpi_put(t, 2, 1);                   /* interrupt source override */
        acpi_put(t, 10, 1);
        acpi_put(t, 0, 1);                   /* ISA */
        acpi_put(t, iso[i].irq, 1);
        acpi_put(t, iso[i].gsi, 4);
        acpi_put(t, iso[i].flags, 2);
    }
    acpi_put(t, 4, 1);                       /* local APIC NMI: LINT1 */
    acpi_put(t, 6, 1);
    acpi_put(t, 0xff, 1);                    /* all processors */
    acpi_put(t, 0, 2);
    acpi_put(t, 1, 1);
    acpi_table_end(b, off);
    return off;
}

static uint32_t build_hpet(AcpiBuild *b)
{
    uint32_t off = acpi_table_begin(b, "HPET", 1);
    GByteArray *t = b->tables;

    acpi_put(t, 0x8086a201, 4);              /* = its capabilities low */
    acpi_put_gas(t, 0, 64, 0, 0, HPET_BASE);
    acpi_put(t, 0, 1);                       /* HPET number */
    acpi_put(t, 0x80, 2);                    /* minimum tick */
    acpi_put(t, 0, 1);                       /* page protection */
    acpi_table_end(b, off);
    return off;
}

/* ---- -acpitable ---- */

#define USER_TABLE_MAX (1 * MiB)

/* name=STR into a header field of len bytes (zero-padded) */
static bool user_str(Opts *o, const char *key, uint8_t *field, size_t len,
                     bool exact, Error **errp)
{
    const char *v = opts_get(o, key);

    if (!v) {
        return true;
    }
    if (exact ? strlen(v) != len : strlen(v) > len) {
        error_setg(errp, "-acpitable %s=%s: %s %zu characters", key, v,
                   exact ? "must have exactly" : "has more than", len);
        return false;
    }
    memset(field, 0, len);
    memcpy(field, v, strlen(v));
    return true;
}

static bool user_num(Opts *o, const char *key, uint8_t *field, int bytes,
                     Error **errp)
{
    const char *v = opts_get(o, key);
    uint64_t n;

    if (!v) {
        return true;
    }
    if (!parse_uint64(v, &n) || n >> (8 * bytes)) {
        error_setg(errp, "-acpitable %s=%s: not a %d-bit number", key, v,
                   8 * bytes);
        return false;
    }
    stn_le_p(field, bytes, n);
    return true;
}

/*
 * One -acpitable: file=F1[:F2...] is a whole table (header included) split
 * over files; data=F1[:F2...] is the body, the header made from sig= etc.
 * The header fields given as options override the file's; the checksum
 * is recomputed.  Appended to the blob; returns false on a bad option or
 * file.
 */
static bool acpi_user_table(AcpiBuild *b, const char *spec, uint32_t *off,
                            Error **errp)
{
    g_autoptr(GByteArray) t = g_byte_array_new();
    const char *files, *sig;
    g_auto(GStrv) names = NULL;
    bool has_header;
    Opts *o = opts_parse("acpitable", spec, NULL, errp);
    bool ok = false;
    uint8_t *h;

    if (!o) {
        return false;
    }
    has_header = opts_has(o, "file");
    if (has_header == opts_has(o, "data")) {
        error_setg(errp, "-acpitable %s: give exactly one of file= (a whole "
                   "table) and data= (its body)", spec);
        goto out;
    }
    files = opts_get(o, has_header ? "file" : "data");
    names = g_strsplit(files, ":", -1);
    if (!has_header) {
        /* the header QEMU gives a data= table, ours by default */
        static const uint8_t hdr[36] = {
            [8] = 1, [10] = 'T', 'U', 'R', 'T', 'L', 'E',
            [16] = 'T', 'U', 'R', 'T', 'L', 'E', 'V', 'M', 1, 0, 0, 0,
            'T', 'R', 'T', 'L', 1,
        };
        g_byte_array_append(t, hdr, sizeof(hdr));
    }
    for (int i = 0; names[i]; i++) {
        g_autofree uint8_t *data = NULL;
        size_t size;

        if (!*names[i] ||
            !load_file(names[i], USER_TABLE_MAX, &data, &size, errp)) {
            if (!*names[i]) {
                error_setg(errp, "-acpitable %s: empty file name", spec);
            } else {
                error_prepend(errp, "-acpitable: ");
            }
            goto out;
        }
        g_byte_array_append(t, data, size);
        if (t->len > USER_TABLE_MAX) {
            error_setg(errp, "-acpitable %s: more than %u bytes", spec,
                       (unsigned)USER_TABLE_MAX);
            goto out;
        }
    }
    if (t->len < 36) {
        error_setg(errp, "-acpitable %s: %u bytes, shorter than the 36-byte "
                   "ACPI table header", files, t->len);
        goto out;
    }
    h = t->data;
    if (has_header && ld32_le_p(h + 4) != t->len) {
        error_setg(errp, "-acpitable %s: the header says %u bytes, the "
                   "file%s %u", files, ld32_le_p(h + 4),
                   names[1] ? "s have" : " has", t->len);
        goto out;
    }
    if (!has_header && !opts_has(o, "sig")) {
        error_setg(errp, "-acpitable data=%s: sig= is needed (the table's "
                   "signature)", files);
        goto out;
    }
    if (!user_str(o, "sig", h, 4, true, errp) ||
        !user_num(o, "rev", h + 8, 1, errp) ||
        !user_str(o, "oem_id", h + 10, 6, false, errp) ||
        !user_str(o, "oem_table_id", h + 16, 8, false, errp) ||
        !user_num(o, "oem_rev", h + 24, 4, errp) ||
        !user_str(o, "asl_compiler_id", h + 28, 4, false, errp) ||
        !user_num(o, "asl_compiler_rev", h + 32, 4, errp) ||
        !opts_check_all_used(o, errp)) {
        goto out;
    }
    sig = (const char *)h;
    if (!memcmp(sig, "RSDT", 4) || !memcmp(sig, "XSDT", 4) ||
        !memcmp(sig, "RSD ", 4) || !memcmp(sig, "FACS", 4)) {
        error_setg(errp, "-acpitable %s: a %.4s cannot be added (the board "
                   "builds it)", files, sig);
        goto out;
    }
    /* acpi_table_end sets the length and the checksum */
    while (b->tables->len % 8) {
        acpi_put(b->tables, 0, 1);
    }
    *off = b->tables->len;
    g_byte_array_append(b->tables, t->data, t->len);
    acpi_table_end(b, *off);
    ok = true;
out:
    opts_free(o);
    return ok;
}

bool pc_acpi_build(PCMachineState *pcms, Error **errp)
{
    MachineState *ms = MACHINE(pcms);
    char *none[] = { NULL };
    char **user = ms->acpitables ? ms->acpitables : none;
    AcpiBuild *b;
    g_autofree uint32_t *tables = NULL;
    uint32_t facs, dsdt;
    int n = 0;

    if (ms->smp_cpus > 255) {
        error_setg(errp, "-smp %u: the MADT holds 255 xAPIC processors",
                   ms->smp_cpus);
        return false;
    }
    tables = g_new(uint32_t, 3 + g_strv_length(user));
    b = g_new0(AcpiBuild, 1);
    acpi_build_init(b);
    acpi_loader_alloc(b, ACPI_FILE_TABLES, 64, ACPI_LOADER_ALLOC_HIGH);
    facs = 0;
    build_facs(b);
    dsdt = build_dsdt(b, pcms);
    tables[n++] = build_fadt(b, facs, dsdt);
    tables[n++] = build_madt(b, pcms);
    if (pcms->hpet) {
        tables[n++] = build_hpet(b);
    }
    for (int i = 0; user[i]; i++) {
        if (!acpi_user_table(b, user[i], &tables[n++], errp)) {
            acpi_build_free(b);
            g_free(b);
            return false;
        }
    }
    acpi_build_rsdt_rsdp(b, tables, n);
    /* the blobs live as long as the machine */
    fw_cfg_add_file(pcms->fw_cfg, ACPI_FILE_TABLES, b->tables->data,
                    b->tables->len, &error_abort);
    fw_cfg_add_file(pcms->fw_cfg, ACPI_FILE_RSDP, b->rsdp->data,
                    b->rsdp->len, &error_abort);
    fw_cfg_add_file(pcms->fw_cfg, ACPI_FILE_LOADER, b->loader->data,
                    b->loader->len, &error_abort);
    pcms->acpi_build = b;
    return true;
}
