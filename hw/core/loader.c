/*
 * Generic image loaders: raw files and ELF32/ELF64 (little-endian).
 * See include/hw/core/loader.h.  The ELF structures follow the System V
 * ABI (gABI) "Object Files" chapter; only program headers are used.
 */
#include "turtle/osdep.h"
#include "hw/core/loader.h"
#include "sysemu/runstate.h"

#include <sys/stat.h>

int64_t get_image_size(const char *filename, Error **errp)
{
    struct stat st;

    if (stat(filename, &st) < 0) {
        error_setg_errno(errp, errno, "cannot open '%s'", filename);
        return -1;
    }
    return st.st_size;
}

bool load_file(const char *filename, uint64_t max_size, uint8_t **data,
               size_t *size, Error **errp)
{
    GError *gerr = NULL;
    gchar *buf;
    gsize len;

    if (!g_file_get_contents(filename, &buf, &len, &gerr)) {
        error_setg(errp, "cannot read '%s': %s", filename, gerr->message);
        g_error_free(gerr);
        return false;
    }
    if (max_size && len > max_size) {
        error_setg(errp, "'%s' is too large (%zu bytes, at most %" PRIu64 ")",
                   filename, (size_t)len, max_size);
        g_free(buf);
        return false;
    }
    *data = (uint8_t *)buf;
    *size = len;
    return true;
}

/*
 * Images go into RAM or ROM only: address_space_access_valid also accepts
 * MMIO (a UART's registers, the pc's PCI hole), where a "loaded" segment
 * would vanish or be written into device registers at every reset.
 */
static bool loader_range_is_memory(AddressSpace *as, hwaddr addr,
                                   uint64_t size)
{
    while (size) {
        hwaddr l = size, xlat;
        MemoryRegion *mr = address_space_translate(as, addr, &xlat, &l, true,
                                                   MEMTXATTRS_UNSPECIFIED);

        if (!mr || !l || !memory_region_is_ram(mr)) {
            return false;
        }
        if (addr + l < addr) {
            return size <= l;
        }
        addr += l;
        size -= l;
    }
    return true;
}

bool load_blob(AddressSpace *as, hwaddr addr, const void *data, size_t size,
               const char *what, Error **errp)
{
    if (!size) {
        return true;
    }
    if (addr + size < addr || !loader_range_is_memory(as, addr, size) ||
        address_space_write_rom(as, addr, MEMTXATTRS_UNSPECIFIED, data,
                                size) != MEMTX_OK) {
        error_setg(errp, "%s does not fit in guest memory "
                   "(0x%" HWADDR_PRIx "..0x%" HWADDR_PRIx ")", what, addr,
                   (hwaddr)(addr + size - 1));
        return false;
    }
    return true;
}

typedef struct RomBlob {
    AddressSpace *as;
    hwaddr addr;
    uint8_t *data;             /* NULL: zero-fill */
    size_t size;
} RomBlob;

static GSList *rom_blobs;

static void rom_reset(void *opaque)
{
    for (GSList *l = rom_blobs; l; l = l->next) {
        RomBlob *r = l->data;
        if (r->data) {
            address_space_write_rom(r->as, r->addr, MEMTXATTRS_UNSPECIFIED,
                                    r->data, r->size);
        } else {
            address_space_set(r->as, r->addr, 0, r->size,
                              MEMTXATTRS_UNSPECIFIED);
        }
    }
}

static void rom_remember(AddressSpace *as, hwaddr addr, const void *data,
                         size_t size)
{
    RomBlob *r = g_new(RomBlob, 1);

    if (!rom_blobs) {
        qemu_register_reset(rom_reset, NULL);
    }
    r->as = as;
    r->addr = addr;
    r->data = data ? g_memdup2(data, size) : NULL;
    r->size = size;
    rom_blobs = g_slist_append(rom_blobs, r);
}

bool rom_add_zero(AddressSpace *as, hwaddr addr, size_t size,
                  const char *what, Error **errp)
{
    if (!size) {
        return true;
    }
    if (addr + size < addr || !loader_range_is_memory(as, addr, size) ||
        address_space_set(as, addr, 0, size, MEMTXATTRS_UNSPECIFIED)
            != MEMTX_OK) {
        error_setg(errp, "%s does not fit in guest memory "
                   "(0x%" HWADDR_PRIx "..0x%" HWADDR_PRIx ")", what, addr,
                   (hwaddr)(addr + size - 1));
        return false;
    }
    rom_remember(as, addr, NULL, size);
    return true;
}

bool rom_add_blob(AddressSpace *as, hwaddr addr, const void *data,
                  size_t size, const char *what, Error **errp)
{
    if (!load_blob(as, addr, data, size, what, errp)) {
        return false;
    }
    rom_remember(as, addr, data, size);
    return true;
}

int64_t load_image_targphys(const char *filename, hwaddr addr,
                            uint64_t max_size, Error **errp)
{
    g_autofree uint8_t *data = NULL;
    size_t size;

    if (!load_file(filename, max_size, &data, &size, errp) ||
        !load_blob(&address_space_memory, addr, data, size, filename, errp)) {
        return -1;
    }
    return size;
}

/* ---- ELF ---- */

#define EI_NIDENT   16
#define EI_CLASS    4
#define EI_DATA     5
#define ELFCLASS32  1
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ET_EXEC     2
#define ET_DYN      3
#define PT_LOAD     1

typedef struct ElfPhdr {
    uint32_t type;
    uint64_t offset, vaddr, paddr, filesz, memsz;
} ElfPhdr;

bool elf_is_elf(const uint8_t *data, size_t size)
{
    return size >= 4 && !memcmp(data, "\x7f" "ELF", 4);
}

static const char *elf_machine_name(uint16_t m)
{
    switch (m) {
    case ELF_MACHINE_386:
        return "i386";
    case ELF_MACHINE_X86_64:
        return "x86-64";
    case ELF_MACHINE_AARCH64:
        return "AArch64";
    case 40:
        return "ARM (32-bit)";
    case 8:
        return "MIPS";
    case 243:
        return "RISC-V";
    default:
        return "unknown";
    }
}

/* Read program header i; false if it lies outside the image. */
static bool elf_read_phdr(const uint8_t *d, size_t size, bool is64,
                          uint64_t phoff, unsigned phentsize, unsigned i,
                          ElfPhdr *ph)
{
    uint64_t off = phoff + (uint64_t)i * phentsize;

    if (off > size || size - off < (is64 ? 56u : 32u)) {
        return false;
    }
    d += off;
    ph->type = ld32_le_p(d);
    if (is64) {
        ph->offset = ld64_le_p(d + 8);
        ph->vaddr = ld64_le_p(d + 16);
        ph->paddr = ld64_le_p(d + 24);
        ph->filesz = ld64_le_p(d + 32);
        ph->memsz = ld64_le_p(d + 40);
    } else {
        ph->offset = ld32_le_p(d + 4);
        ph->vaddr = ld32_le_p(d + 8);
        ph->paddr = ld32_le_p(d + 12);
        ph->filesz = ld32_le_p(d + 16);
        ph->memsz = ld32_le_p(d + 20);
    }
    return true;
}

bool load_elf_buffer(AddressSpace *as, const uint8_t *d, size_t size,
                     uint16_t elf_machine, bool use_paddr,
                     uint64_t (*translate)(void *opaque, uint64_t addr),
                     void *opaque, ElfLoadInfo *info, Error **errp)
{
    uint64_t phoff, entry, low = UINT64_MAX, high = 0;
    uint64_t entry_phys = UINT64_MAX;
    unsigned phentsize, phnum, loaded = 0;
    uint16_t type, machine;
    bool is64;

    if (!elf_is_elf(d, size) || size < 52) {
        error_setg(errp, "not an ELF image (bad magic or truncated header)");
        return false;
    }
    if (d[EI_CLASS] != ELFCLASS32 && d[EI_CLASS] != ELFCLASS64) {
        error_setg(errp, "ELF class %u is neither ELF32 nor ELF64",
                   d[EI_CLASS]);
        return false;
    }
    if (d[EI_DATA] != ELFDATA2LSB) {
        error_setg(errp, "big-endian ELF images are not supported");
        return false;
    }
    is64 = d[EI_CLASS] == ELFCLASS64;
    if (is64 && size < 64) {
        error_setg(errp, "truncated ELF64 header");
        return false;
    }
    type = ld16_le_p(d + 16);
    machine = ld16_le_p(d + 18);
    if (type != ET_EXEC && type != ET_DYN) {
        error_setg(errp, "ELF type %u is not an executable", type);
        return false;
    }
    if (elf_machine && machine != elf_machine) {
        error_setg(errp, "ELF image is for machine %u (%s), this board needs "
                   "%u (%s)", machine, elf_machine_name(machine), elf_machine,
                   elf_machine_name(elf_machine));
        return false;
    }
    if (is64) {
        entry = ld64_le_p(d + 24);
        phoff = ld64_le_p(d + 32);
        phentsize = ld16_le_p(d + 54);
        phnum = ld16_le_p(d + 56);
    } else {
        entry = ld32_le_p(d + 24);
        phoff = ld32_le_p(d + 28);
        phentsize = ld16_le_p(d + 42);
        phnum = ld16_le_p(d + 44);
    }
    if (phentsize < (is64 ? 56u : 32u) || phnum == 0) {
        error_setg(errp, "ELF image has no usable program headers");
        return false;
    }

    /*
     * Overlapping segments: loading (and every reset) writes each one in
     * full, so 65535 program headers over the same 64 MiB are 4 TiB of
     * stores.  More bytes than the span they cover means an overlap.
     */
    {
        uint64_t sum = 0, lo = UINT64_MAX, hi = 0;

        for (unsigned i = 0; i < phnum; i++) {
            ElfPhdr ph;
            uint64_t addr;

            if (!elf_read_phdr(d, size, is64, phoff, phentsize, i, &ph)) {
                break;                  /* reported below */
            }
            if (ph.type != PT_LOAD || ph.memsz == 0) {
                continue;
            }
            addr = use_paddr ? ph.paddr : ph.vaddr;
            if (translate) {
                addr = translate(opaque, addr);
            }
            if (addr + ph.memsz < addr) {
                break;                  /* reported below */
            }
            lo = MIN(lo, addr);
            hi = MAX(hi, addr + ph.memsz);
            sum += ph.memsz;
            if (sum < ph.memsz || sum > hi - lo) {
                error_setg(errp, "ELF segments overlap (segment %u)", i);
                return false;
            }
        }
    }

    for (unsigned i = 0; i < phnum; i++) {
        ElfPhdr ph;
        uint64_t addr;

        if (!elf_read_phdr(d, size, is64, phoff, phentsize, i, &ph)) {
            error_setg(errp, "truncated ELF image (program header %u)", i);
            return false;
        }
        if (ph.type != PT_LOAD || ph.memsz == 0) {
            continue;
        }
        if (ph.filesz > ph.memsz || ph.offset > size ||
            size - ph.offset < ph.filesz) {
            error_setg(errp, "truncated ELF image (segment %u: offset 0x%"
                       PRIx64 " size 0x%" PRIx64 ", file has 0x%zx bytes)",
                       i, ph.offset, ph.filesz, size);
            return false;
        }
        addr = use_paddr ? ph.paddr : ph.vaddr;
        if (translate) {
            addr = translate(opaque, addr);
        }
        if (addr + ph.memsz < addr) {
            error_setg(errp, "ELF segment %u wraps around the address "
                       "space", i);
            return false;
        }
        if (!loader_range_is_memory(as, addr, ph.memsz)) {
            error_setg(errp, "ELF segment %u (0x%" PRIx64 "..0x%" PRIx64
                       ") is not inside guest memory", i, addr,
                       addr + ph.memsz - 1);
            return false;
        }
        /* kept for reset: a rebooted guest gets a fresh image and bss */
        if (!rom_add_blob(as, addr, d + ph.offset, ph.filesz, "ELF segment",
                          errp)) {
            return false;
        }
        if (ph.memsz > ph.filesz &&
            !rom_add_zero(as, addr + ph.filesz, ph.memsz - ph.filesz,
                          "ELF bss", errp)) {
            return false;
        }
        if (use_paddr && entry >= ph.vaddr && entry - ph.vaddr < ph.memsz &&
            ph.vaddr != ph.paddr) {
            /* the entry is a virtual address: move it with its segment */
            entry_phys = entry - ph.vaddr + ph.paddr;
        }
        low = MIN(low, addr);
        high = MAX(high, addr + ph.memsz);
        loaded++;
    }
    if (!loaded) {
        error_setg(errp, "ELF image has no loadable segment");
        return false;
    }
    if (entry_phys != UINT64_MAX) {
        entry = entry_phys;
    }
    if (translate) {
        entry = translate(opaque, entry);
    }
    info->entry = entry;
    info->lowaddr = low;
    info->highaddr = high;
    info->is64 = is64;
    return true;
}

bool load_elf(AddressSpace *as, const char *filename, uint16_t elf_machine,
              bool use_paddr, uint64_t (*translate)(void *, uint64_t),
              void *opaque, ElfLoadInfo *info, Error **errp)
{
    g_autofree uint8_t *data = NULL;
    size_t size;

    if (!load_file(filename, 0, &data, &size, errp)) {
        return false;
    }
    if (!load_elf_buffer(as, data, size, elf_machine, use_paddr, translate,
                         opaque, info, errp)) {
        error_prepend(errp, "%s: ", filename);
        return false;
    }
    return true;
}
