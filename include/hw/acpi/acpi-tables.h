/*
 * ACPI tables and the firmware's table loader (hw/acpi/acpi-tables.c):
 * any board builds its tables into one blob ("etc/acpi/tables"), the RSDP
 * into another ("etc/acpi/rsdp"), and the commands that tell firmware
 * (SeaBIOS, EDK2) where to put them and what to patch ("etc/table-loader":
 * 128-byte ALLOCATE / ADD_POINTER / ADD_CHECKSUM entries, the format those
 * firmwares read from QEMU's fw_cfg).
 *
 * Tables are built little-endian with the standard 36-byte header (ACPI
 * 6.4, 5.2.6); acpi_table_end fills the length and the checksum and asks
 * the loader to recompute the checksum after patching pointers.
 */
#ifndef HW_ACPI_ACPI_TABLES_H
#define HW_ACPI_ACPI_TABLES_H

#include "turtle/osdep.h"
#include "turtle/error.h"

#define ACPI_FILE_TABLES  "etc/acpi/tables"
#define ACPI_FILE_RSDP    "etc/acpi/rsdp"
#define ACPI_FILE_LOADER  "etc/table-loader"

#define ACPI_LOADER_ALLOC_HIGH   1     /* anywhere in RAM */
#define ACPI_LOADER_ALLOC_FSEG   2     /* below 1 MiB, 0xe0000-0xfffff */

typedef struct AcpiBuild {
    GByteArray *tables;
    GByteArray *rsdp;
    GByteArray *loader;
} AcpiBuild;

void acpi_build_init(AcpiBuild *b);
void acpi_build_free(AcpiBuild *b);

/* loader commands */
void acpi_loader_alloc(AcpiBuild *b, const char *file, uint32_t align,
                       uint8_t zone);
/* At dest_file + offset a size-byte pointer into src_file: the loader
 * adds src_file's address to the value there. */
void acpi_loader_add_pointer(AcpiBuild *b, const char *dest_file,
                             uint32_t offset, uint8_t size,
                             const char *src_file);
void acpi_loader_add_checksum(AcpiBuild *b, const char *file,
                              uint32_t start, uint32_t len,
                              uint32_t cksum_offset);

/* table building in b->tables; returns the table's offset */
uint32_t acpi_table_begin(AcpiBuild *b, const char *sig, uint8_t rev);
void acpi_table_end(AcpiBuild *b, uint32_t table);
/* little-endian values appended to a table */
void acpi_put(GByteArray *t, uint64_t v, int bytes);
/* a pointer field to the table at `target` (in etc/acpi/tables) */
void acpi_put_table_pointer(AcpiBuild *b, uint64_t target, int bytes);
/* Generic Address Structure (5.2.3.2) */
void acpi_put_gas(GByteArray *t, uint8_t space, uint8_t bit_width,
                  uint8_t bit_offset, uint8_t access, uint64_t addr);
/* RSDT (and XSDT when xsdt) listing tables[], then the RSDP */
void acpi_build_rsdt_rsdp(AcpiBuild *b, const uint32_t *tables, int n);

/*
 * For a boot without firmware: do what the loader commands say, as
 * firmware would, with the HIGH zone allocations in *high and the FSEG
 * ones in *fseg, and write the patched blobs to guest memory.  *rsdp
 * gets the RSDP's address.  An error if a zone is too small.
 */
typedef struct AcpiInstallZone {
    uint64_t base;
    uint64_t size;
} AcpiInstallZone;
bool acpi_build_install(AcpiBuild *b, const AcpiInstallZone *high,
                        const AcpiInstallZone *fseg, uint64_t *rsdp,
                        Error **errp);

/* the checksum byte that makes len bytes sum to 0 */
uint8_t acpi_checksum(const uint8_t *p, size_t len);

#endif
