/*
 * SMBIOS tables (DMTF DSP0134 3.x, "System Management BIOS Reference
 * Specification") built from a machine's description: what `dmidecode`,
 * Linux's DMI code (/sys/class/dmi/id) and firmware read.
 *
 * Structures: type 0 (BIOS; only when asked: firmware such as SeaBIOS adds
 * its own), 1 (system), 3 (chassis), 4 (one per processor socket), 16
 * (the physical memory array), 17 (one memory device per 16 GiB), 19 (one
 * mapped address range per RAM region), 32 (system boot), 127 (end).
 *
 * Entry point: the SMBIOS 2.8 32-bit anchor ("_SM_"/"_DMI_", 31 bytes),
 * which SeaBIOS, EDK2 and every Linux understand.  Its table address is 0
 * until smbios_set_table_address() says where the structures went.
 *
 * Handed out two ways (hw/i386/pc.c):
 *   - to firmware through fw_cfg: "etc/smbios/smbios-tables" (the
 *     structures) and "etc/smbios/smbios-anchor" (the entry point; the
 *     firmware moves both and patches the address), as QEMU's board does;
 *   - to a direct -kernel boot: both written to guest memory (the anchor
 *     in the 0xf0000 segment, where the kernel's DMI scan looks).
 */
#ifndef HW_SMBIOS_SMBIOS_H
#define HW_SMBIOS_SMBIOS_H

#include "turtle/osdep.h"

#define SMBIOS_FILE_TABLES "etc/smbios/smbios-tables"
#define SMBIOS_FILE_ANCHOR "etc/smbios/smbios-anchor"
#define SMBIOS_ANCHOR_SIZE 31

/* SMBIOS processor family (7.5.2): "Other" unless a caller knows better */
#define SMBIOS_CPU_FAMILY_OTHER 0x01

typedef struct SmbiosMemRange {
    uint64_t base;
    uint64_t size;
} SmbiosMemRange;

typedef struct SmbiosInfo {
    /* type 0; bios_vendor NULL: no type 0 (the firmware provides it) */
    const char *bios_vendor;
    const char *bios_version;
    const char *bios_date;           /* "MM/DD/YYYY" */
    uint32_t bios_rom_size;          /* bytes (0: 64 KiB) */
    /* types 1 and 3 */
    const char *manufacturer;
    const char *product;
    const char *version;
    const char *family;
    uint8_t uuid[16];                /* all zero: not set */
    /* type 4: sockets x cores x threads processors */
    unsigned sockets, cores, threads;
    const char *cpu_manufacturer;
    const char *cpu_version;
    uint32_t cpu_signature;          /* CPUID.01H:EAX */
    uint32_t cpu_features;           /* CPUID.01H:EDX */
    uint16_t cpu_family;             /* SMBIOS_CPU_FAMILY_* */
    uint16_t cpu_speed_mhz;
    bool cpu_64bit;
    /* types 16, 17, 19 */
    uint64_t ram_size;
    const SmbiosMemRange *ram_ranges;
    unsigned nr_ram_ranges;
} SmbiosInfo;

typedef struct SmbiosTables {
    GByteArray *tables;              /* the structure table */
    uint8_t anchor[SMBIOS_ANCHOR_SIZE];
    unsigned count;                  /* structures, type 127 included */
    unsigned max_size;               /* largest structure, strings included */
} SmbiosTables;

/* Build the structures and the anchor (table address 0). */
void smbios_build(const SmbiosInfo *info, SmbiosTables *out);
void smbios_tables_free(SmbiosTables *t);
/* Point the anchor at the structures' guest address (checksums redone). */
void smbios_set_table_address(SmbiosTables *t, uint32_t addr);

#endif
