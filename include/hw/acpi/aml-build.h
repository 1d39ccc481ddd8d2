/*
 * A small AML builder (ACPI 6.4, chapter 20 "ACPI Machine Language
 * Specification"; resource descriptors 6.4): boards write their DSDT/SSDT
 * as a tree of Aml nodes and serialise it (hw/acpi/aml-build.c).
 *
 * Every aml_*() returns a new node.  aml_append(parent, child) encodes
 * the child into the parent and frees it, so a node is used once.
 * Containers (aml_block, aml_scope, aml_device, aml_method, aml_if,
 * aml_else, aml_package, aml_resource_template) take their contents with
 * aml_append; their length is encoded when they are appended themselves.
 * aml_bytes() hands out the encoding of a root block (aml_block()).
 *
 * Names are ACPI name strings: "\\_SB.PCI0", "^FOO", "_HID", "S00_" ...;
 * each segment up to 4 characters, padded with '_'.
 */
#ifndef HW_ACPI_AML_BUILD_H
#define HW_ACPI_AML_BUILD_H

#include "turtle/osdep.h"

typedef struct Aml Aml;

/* ---- nodes and serialisation ---- */
Aml *aml_block(void);                        /* a bare TermList */
void aml_append(Aml *parent, Aml *child);
/* The bytes of a root block; the node is freed. */
GByteArray *aml_bytes(Aml *root);
void aml_free(Aml *node);

/* ---- data ---- */
Aml *aml_int(uint64_t v);                    /* Zero/One/Ones or prefixed */
Aml *aml_string(const char *s);
Aml *aml_name(const char *name);             /* a NameString reference */
Aml *aml_eisaid(const char *id);             /* "PNP0A03" -> DWord */
Aml *aml_buffer(const uint8_t *data, size_t len);
Aml *aml_package(void);                      /* elements by aml_append */
Aml *aml_arg(int n);                         /* Arg0..Arg6 */
Aml *aml_local(int n);                       /* Local0..Local7 */

/* ---- named objects and blocks ---- */
Aml *aml_name_decl(const char *name, Aml *value);       /* Name() */
Aml *aml_scope(const char *name);
Aml *aml_device(const char *name);
Aml *aml_method(const char *name, int nargs, bool serialized);
Aml *aml_if(Aml *predicate);
Aml *aml_else(void);

/* ---- operators (targets: NULL = none) ---- */
Aml *aml_return(Aml *v);
Aml *aml_store(Aml *src, Aml *dst);
Aml *aml_equal(Aml *a, Aml *b);              /* LEqual */
Aml *aml_land(Aml *a, Aml *b);
Aml *aml_lnot(Aml *a);
Aml *aml_and(Aml *a, Aml *b, Aml *target);
Aml *aml_or(Aml *a, Aml *b, Aml *target);
Aml *aml_notify(Aml *object, Aml *value);

/* ---- operation regions and fields ---- */
typedef enum AmlRegionSpace {
    AML_SYSTEM_MEMORY = 0, AML_SYSTEM_IO = 1, AML_PCI_CONFIG = 2,
} AmlRegionSpace;
Aml *aml_operation_region(const char *name, AmlRegionSpace space,
                          Aml *offset, uint32_t len);
/* Field(region, access, NoLock, Preserve); units by aml_append */
typedef enum AmlFieldAccess {
    AML_ANY_ACC = 0, AML_BYTE_ACC = 1, AML_WORD_ACC = 2, AML_DWORD_ACC = 3,
} AmlFieldAccess;
Aml *aml_field(const char *region, AmlFieldAccess access);
Aml *aml_named_field(const char *name, unsigned bits);
Aml *aml_reserved_field(unsigned bits);

/* ---- resource templates ---- */
Aml *aml_resource_template(void);            /* a Buffer ending in EndTag */
Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len);
Aml *aml_irq_no_flags(uint8_t irq);
Aml *aml_memory32_fixed(uint32_t base, uint32_t len, bool writable);
Aml *aml_word_bus_number(uint16_t min, uint16_t max);
Aml *aml_word_io(uint16_t min, uint16_t max);   /* producer, entire range */
Aml *aml_dword_memory(uint32_t min, uint32_t max, bool cacheable);
Aml *aml_qword_memory(uint64_t min, uint64_t max, bool cacheable);

/* The PkgLength encoding of a package whose contents are len bytes. */
size_t aml_pkglen_encode(size_t len, uint8_t out[4]);

#endif
