/*
 * ACPI table walk (ACPI 6.x, 5.2): find the RSDP (a loader's hint, the
 * first KiB of the EBDA, or 0xe0000-0xfffff on 16-byte boundaries), check
 * every checksum, list RSDT/XSDT entries and decode the MADT (5.2.12):
 * local APICs, IOAPICs, interrupt source overrides, local APIC NMIs.
 * Tables are read in place: they must be identity mapped.
 */
#include "hw.h"

struct __attribute__((packed)) acpi_rsdp {
    char sig[8];
    uint8_t csum;
    char oem[6];
    uint8_t rev;
    uint32_t rsdt;
    uint32_t len;
    uint64_t xsdt;
    uint8_t xcsum, reserved[3];
};

struct __attribute__((packed)) acpi_hdr {
    char sig[4];
    uint32_t len;
    uint8_t rev, csum;
    char oem[6], oem_table[8];
    uint32_t oem_rev, creator, creator_rev;
};

static int acpi_csum_ok(const void *p, uint32_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;
    while (len--) {
        sum += *b++;
    }
    return sum == 0;
}

static const struct acpi_rsdp *rsdp_at(uintptr_t addr)
{
    const struct acpi_rsdp *r = phys_ptr(addr);
    if (memcmp(r->sig, "RSD PTR ", 8) || !acpi_csum_ok(r, 20)) {
        return NULL;
    }
    return r;
}

static const struct acpi_rsdp *acpi_find_rsdp(uint64_t hint)
{
    const struct acpi_rsdp *r;
    if (hint && hint < 0x100000000ull && (r = rsdp_at(hint))) {
        return r;
    }
    uintptr_t ebda = (uintptr_t)*(volatile uint16_t *)phys_ptr(0x40e) << 4;
    if (ebda >= 0x80000 && ebda < 0xa0000) {
        for (uintptr_t a = ebda; a < ebda + 1024; a += 16) {
            if ((r = rsdp_at(a))) {
                return r;
            }
        }
    }
    for (uintptr_t a = 0xe0000; a < 0x100000; a += 16) {
        if ((r = rsdp_at(a))) {
            return r;
        }
    }
    return NULL;
}

static void madt_print(const struct acpi_hdr *h)
{
    const uint8_t *p = (const uint8_t *)h;
    uint32_t lapic, flags;
    memcpy(&lapic, p + 36, 4);
    memcpy(&flags, p + 40, 4);
    print("madt: lapic_addr=0x%x flags=0x%x\n", lapic, flags);
    for (uint32_t off = 44; off + 2 <= h->len;) {
        uint8_t type = p[off], len = p[off + 1];
        const uint8_t *e = p + off;
        uint32_t v32;
        uint16_t v16;
        if (len < 2) {
            fail("MADT entry of length %u at offset %u", len, off);
        }
        switch (type) {
        case 0:
            memcpy(&v32, e + 4, 4);
            print("madt: lapic uid=%u id=%u flags=0x%x\n", e[2], e[3], v32);
            break;
        case 1:
            memcpy(&v32, e + 4, 4);
            print("madt: ioapic id=%u addr=0x%x", e[2], v32);
            memcpy(&v32, e + 8, 4);
            print(" gsi_base=%u\n", v32);
            break;
        case 2:
            memcpy(&v32, e + 4, 4);
            memcpy(&v16, e + 8, 2);
            print("madt: override bus=%u irq=%u gsi=%u flags=0x%x\n", e[2],
                  e[3], v32, v16);
            break;
        case 4:
            memcpy(&v16, e + 3, 2);
            print("madt: lapic_nmi uid=0x%x flags=0x%x lint=%u\n", e[2], v16,
                  e[5]);
            break;
        default:
            print("madt: entry type %u len %u\n", type, len);
            break;
        }
        off += len;
    }
}

int acpi_report(uint64_t rsdp_hint)
{
    const struct acpi_rsdp *r = acpi_find_rsdp(rsdp_hint);
    if (!r) {
        print("acpi: no RSDP\n");
        return 0;
    }
    print("acpi: rsdp at %p rev %u rsdt 0x%x xsdt 0x%llx\n", (const void *)r,
          r->rev, r->rsdt, (unsigned long long)(r->rev >= 2 ? r->xsdt : 0));
    int use_xsdt = r->rev >= 2 && r->xsdt && r->xsdt < 0x100000000ull;
    const struct acpi_hdr *root = phys_ptr(use_xsdt ? (uintptr_t)r->xsdt
                                                    : r->rsdt);
    if (!acpi_csum_ok(root, root->len)) {
        fail("RSDT/XSDT checksum");
    }
    unsigned esize = use_xsdt ? 8 : 4;
    unsigned n = (root->len - sizeof(*root)) / esize;
    for (unsigned i = 0; i < n; i++) {
        uint64_t addr = 0;
        memcpy(&addr, (const uint8_t *)(root + 1) + i * esize, esize);
        const struct acpi_hdr *h = phys_ptr((uintptr_t)addr);
        int ok = acpi_csum_ok(h, h->len);
        print("acpi: table %c%c%c%c at 0x%llx len %u checksum %s\n", h->sig[0],
              h->sig[1], h->sig[2], h->sig[3], (unsigned long long)addr,
              h->len, ok ? "ok" : "BAD");
        if (!ok) {
            fail("ACPI table checksum");
        }
        if (!memcmp(h->sig, "APIC", 4)) {
            madt_print(h);
        }
    }
    return 1;
}
