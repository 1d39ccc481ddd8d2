/*
 * Multiboot v1 test kernel: checks the information structure the loader
 * passes in %ebx (Multiboot Specification 0.6.96, 3.3).
 *
 *   1 entry: %eax = 0x2badb002
 *   2 mem_lower/mem_upper (flags bit 0)
 *   3 memory map (flags bit 6): the RAM entry at 1 MiB agrees with
 *     mem_upper, entries are well formed
 *   4 command line (flags bit 2) starts with "turtle-test"
 *   5 modules (flags bit 3): page aligned (header flag 0), CRC-32 equal to
 *     initrd_crc=XXXXXXXX from the command line when given
 *   6 ACPI, if there is an RSDP: checksums, table list, MADT (printed)
 */
#include "../lib/hw.h"

struct mb_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
};

struct mb_module {
    uint32_t mod_start, mod_end, string, reserved;
};

struct __attribute__((packed)) mb_mmap_entry {
    uint32_t size;
    uint64_t base, length;
    uint32_t type;
};

static uint32_t parse_hex(const char *s)
{
    uint32_t v = 0;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9') {
            d = *s - '0';
        } else if (*s >= 'a' && *s <= 'f') {
            d = *s - 'a' + 10;
        } else if (*s >= 'A' && *s <= 'F') {
            d = *s - 'A' + 10;
        } else {
            break;
        }
        v = v << 4 | d;
    }
    return v;
}

/* Value of "key=" in a space-separated command line, or NULL. */
static const char *cmdline_find(const char *cmd, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = cmd; *p; p++) {
        if ((p == cmd || p[-1] == ' ') && !strncmp(p, key, n)) {
            return p + n;
        }
    }
    return NULL;
}

static void check_mmap(const struct mb_info *mbi)
{
    step_begin(3, "memory map");
    if (!(mbi->flags & (1 << 6))) {
        fail("no memory map (flags bit 6)");
    }
    print("mb: mmap_addr=0x%x mmap_length=%u\n", mbi->mmap_addr,
          mbi->mmap_length);
    uint64_t ram_total = 0;
    int found_1m = 0;
    unsigned n = 0;
    for (uint32_t p = mbi->mmap_addr; p < mbi->mmap_addr + mbi->mmap_length;) {
        const struct mb_mmap_entry *e = (const void *)p;
        print("mmap: %u base=0x%llx len=0x%llx type=%u size=%u\n", n,
              (unsigned long long)e->base, (unsigned long long)e->length,
              e->type, e->size);
        if (e->size < 20) {
            fail("mmap entry size %u < 20", e->size);
        }
        if (e->type == 1) {
            ram_total += e->length;
            if (e->base == 0x100000) {
                found_1m = 1;
                if (e->length != (uint64_t)mbi->mem_upper * 1024) {
                    fail("RAM at 1 MiB is 0x%llx bytes, mem_upper says 0x%llx",
                         (unsigned long long)e->length,
                         (unsigned long long)mbi->mem_upper * 1024);
                }
            }
        }
        p += e->size + 4;
        n++;
    }
    print("mmap: %u entries, usable RAM %llu KiB\n", n,
          (unsigned long long)(ram_total >> 10));
    if (!found_1m) {
        fail("no usable RAM entry at 1 MiB");
    }
}

static void check_modules(const struct mb_info *mbi, const char *cmd)
{
    step_begin(5, "modules");
    if (!(mbi->flags & (1 << 3)) || mbi->mods_count == 0) {
        fail("no modules (flags=0x%x)", mbi->flags);
    }
    const struct mb_module *m = (const void *)mbi->mods_addr;
    print("mb: mods_count=%u mods_addr=0x%x\n", mbi->mods_count,
          mbi->mods_addr);
    for (unsigned i = 0; i < mbi->mods_count; i++) {
        uint32_t len = m[i].mod_end - m[i].mod_start;
        uint32_t crc = crc32((const void *)m[i].mod_start, len);
        print("module: %u start=0x%x end=0x%x size=%u crc32=%08x string=\"%s\"\n",
              i, m[i].mod_start, m[i].mod_end, len, crc,
              m[i].string ? (const char *)m[i].string : "");
        if (m[i].mod_start & 0xfff) {
            fail("module %u not page aligned", i);
        }
        if (i == 0 && cmd) {
            const char *want = cmdline_find(cmd, "initrd_crc=");
            if (want && parse_hex(want) != crc) {
                fail("module crc32 %08x, command line says %08x", crc,
                     parse_hex(want));
            }
        }
    }
}

void mb_main(uint32_t magic, const struct mb_info *mbi);

void mb_main(uint32_t magic, const struct mb_info *mbi)
{
    serial_init();
    step_begin(1, "multiboot entry");
    print("mb: eax=0x%x ebx=%p flags=0x%x\n", magic, mbi, mbi->flags);
    if (magic != 0x2badb002) {
        fail("bad boot magic 0x%x", magic);
    }
    if (mbi->flags & (1 << 9)) {
        print("mb: boot_loader_name=\"%s\"\n",
              (const char *)mbi->boot_loader_name);
    }

    step_begin(2, "memory info");
    if (!(mbi->flags & 1)) {
        fail("no mem_lower/mem_upper (flags bit 0)");
    }
    print("mb: mem_lower=%u KiB mem_upper=%u KiB\n", mbi->mem_lower,
          mbi->mem_upper);
    if (mbi->mem_lower > 640 || mbi->mem_lower < 512) {
        fail("mem_lower %u out of range", mbi->mem_lower);
    }

    check_mmap(mbi);

    step_begin(4, "command line");
    const char *cmd = NULL;
    if (mbi->flags & (1 << 2)) {
        cmd = (const char *)mbi->cmdline;
        print("mb: cmdline=\"%s\"\n", cmd);
    }
    if (!cmd || !cmdline_find(cmd, "turtle-test")) {
        fail("command line lacks \"turtle-test\"");
    }

    check_modules(mbi, cmd);
    step_begin(6, "acpi");
    acpi_report(0);
    print("mb-test: all steps passed\n");
    test_exit(EXIT_PASS);
}
