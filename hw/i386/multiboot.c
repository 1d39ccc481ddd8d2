/*
 * Multiboot v1 direct boot (Multiboot Specification 0.6.96): ELF32 i386
 * kernels and "a.out kludge" kernels (header flag 16), modules from
 * -initrd "file1 args,file2", boot information at fixed addresses
 * (info 0x9500, memory map 0x9000, as QEMU places them), modules
 * page-aligned after the kernel.  Entry state: see x86-boot.h.
 */
#include "turtle/osdep.h"
#include "hw/i386/x86-boot.h"
#include "hw/core/loader.h"

#define MULTIBOOT_HEADER_MAGIC     0x1badb002
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002
#define MULTIBOOT_SEARCH           8192
#define MB_FLAG_PAGE_ALIGN  (1u << 0)
#define MB_FLAG_MEMORY_INFO (1u << 1)
#define MB_FLAG_VIDEO_MODE  (1u << 2)
#define MB_FLAG_AOUT_KLUDGE (1u << 16)

/* multiboot_info flags */
#define MBI_MEMORY   (1u << 0)
#define MBI_BOOTDEV  (1u << 1)
#define MBI_CMDLINE  (1u << 2)
#define MBI_MODS     (1u << 3)
#define MBI_MMAP     (1u << 6)
#define MBI_LOADER   (1u << 9)

/* multiboot_info offsets */
#define MBI_FLAGS        0
#define MBI_MEM_LOWER    4
#define MBI_MEM_UPPER    8
#define MBI_BOOT_DEVICE  12
#define MBI_CMDLINE_PTR  16
#define MBI_MODS_COUNT   20
#define MBI_MODS_ADDR    24
#define MBI_MMAP_LENGTH  44
#define MBI_MMAP_ADDR    48
#define MBI_LOADER_NAME  64
#define MBI_SIZE         88

bool multiboot_detect(const uint8_t *d, size_t size, size_t *hdr_off)
{
    size_t limit = MIN(size, (size_t)MULTIBOOT_SEARCH);

    for (size_t off = 0; off + 12 <= limit; off += 4) {
        uint32_t magic = ld32_le_p(d + off);
        uint32_t flags = ld32_le_p(d + off + 4);
        uint32_t sum = ld32_le_p(d + off + 8);

        if (magic == MULTIBOOT_HEADER_MAGIC &&
            (uint32_t)(magic + flags + sum) == 0) {
            *hdr_off = off;
            return true;
        }
    }
    return false;
}

/* Load an a.out-kludge kernel; sets [*low, *high) and *entry. */
static bool multiboot_load_aout(const X86BootInfo *info, const uint8_t *d,
                                size_t size, size_t off, uint64_t *high,
                                uint64_t *entry, Error **errp)
{
    uint32_t header_addr, load_addr, load_end, bss_end;
    uint64_t file_off, load_size;

    if (off + 32 > size) {
        error_setg(errp, "%s: truncated multiboot header", info->kernel);
        return false;
    }
    header_addr = ld32_le_p(d + off + 12);
    load_addr = ld32_le_p(d + off + 16);
    load_end = ld32_le_p(d + off + 20);
    bss_end = ld32_le_p(d + off + 24);
    *entry = ld32_le_p(d + off + 28);
    if (header_addr < load_addr || header_addr - load_addr > off ||
        (load_end && load_end < load_addr) ||
        (bss_end && bss_end < MAX(load_end, load_addr))) {
        error_setg(errp, "%s: inconsistent multiboot a.out addresses "
                   "(header 0x%x, load 0x%x-0x%x, bss end 0x%x)",
                   info->kernel, header_addr, load_addr, load_end, bss_end);
        return false;
    }
    file_off = off - (header_addr - load_addr);
    load_size = load_end ? load_end - load_addr : size - file_off;
    if (file_off + load_size > size) {
        error_setg(errp, "%s: truncated multiboot kernel (needs %" PRIu64
                   " bytes from offset %" PRIu64 ", file has %zu)",
                   info->kernel, load_size, file_off, size);
        return false;
    }
    if (load_addr < 1 * MiB ||
        load_addr + load_size > x86_boot_ram_top(info)) {
        error_setg(errp, "%s: multiboot load range 0x%x+0x%" PRIx64
                   " is outside RAM above 1 MiB", info->kernel, load_addr,
                   load_size);
        return false;
    }
    if (!rom_add_blob(&address_space_memory, load_addr, d + file_off,
                      load_size, "multiboot kernel", errp)) {
        return false;
    }
    *high = load_addr + load_size;
    if (bss_end > *high) {
        if (bss_end > x86_boot_ram_top(info)) {
            error_setg(errp, "%s: multiboot bss end 0x%x is outside RAM",
                       info->kernel, bss_end);
            return false;
        }
        if (!rom_add_zero(&address_space_memory, *high, bss_end - *high,
                          "multiboot bss", errp)) {
            return false;
        }
        *high = bss_end;
    }
    return true;
}

typedef struct MBModule {
    char *path;
    char *string;             /* the whole -initrd segment */
    uint8_t *data;
    size_t size;
    uint64_t addr, str_addr;
} MBModule;

bool multiboot_load(const X86BootInfo *info, const uint8_t *d, size_t size,
                    size_t off, Error **errp)
{
    AddressSpace *as = &address_space_memory;
    X86BootState *bs = x86_boot_state();
    uint32_t flags = ld32_le_p(d + off + 4);
    g_autofree char *cmdline = NULL;
    g_autofree uint8_t *area = NULL;
    g_auto(GStrv) specs = NULL;
    MBModule *mods = NULL;
    uint8_t mbi[MBI_SIZE] = { 0 };
    uint8_t mmap[24 * 8];
    E820Entry e820[8];
    uint64_t high, entry, area_addr, pos;
    size_t nmods = 0, area_size;
    bool ok = false;
    int n;

    if (flags & 0xfff8) {
        error_setg(errp, "%s: multiboot header asks for unsupported features "
                   "(flags 0x%x)", info->kernel, flags);
        return false;
    }
    if (flags & MB_FLAG_AOUT_KLUDGE) {
        if (!multiboot_load_aout(info, d, size, off, &high, &entry, errp)) {
            return false;
        }
    } else {
        ElfLoadInfo ei;

        if (!elf_is_elf(d, size)) {
            error_setg(errp, "%s: multiboot kernel is neither ELF nor marked "
                       "as a.out kludge (flag 16)", info->kernel);
            return false;
        }
        if (size > 4 && d[4] == 2) {
            error_setg(errp, "%s: 64-bit ELF multiboot kernels are not "
                       "supported (wrong architecture): give a 32-bit "
                       "(i386) ELF", info->kernel);
            return false;
        }
        if (!load_elf_buffer(as, d, size, ELF_MACHINE_386, true, NULL, NULL,
                             &ei, errp)) {
            error_prepend(errp, "%s: ", info->kernel);
            return false;
        }
        if (ei.lowaddr < 1 * MiB || ei.highaddr > x86_boot_ram_top(info)) {
            error_setg(errp, "%s: multiboot kernel at 0x%" PRIx64 "-0x%"
                       PRIx64 " is outside RAM above 1 MiB", info->kernel,
                       ei.lowaddr, ei.highaddr);
            return false;
        }
        high = ei.highaddr;
        entry = ei.entry;
    }

    /* modules: "file1 args,file2" */
    if (info->initrd && *info->initrd) {
        specs = g_strsplit(info->initrd, ",", -1);
        nmods = g_strv_length(specs);
        mods = g_new0(MBModule, nmods);
        for (size_t i = 0; i < nmods; i++) {
            const char *sp = strchr(specs[i], ' ');
            mods[i].string = specs[i];
            mods[i].path = sp ? g_strndup(specs[i], sp - specs[i])
                              : g_strdup(specs[i]);
            if (!load_file(mods[i].path, 0, &mods[i].data, &mods[i].size,
                           errp)) {
                error_prepend(errp, "-initrd (multiboot module %zu): ", i);
                goto out;
            }
        }
    }

    /* after the kernel: module list, strings, then the modules */
    cmdline = g_strdup_printf("%s %s", info->kernel, info->cmdline);
    area_addr = ROUND_UP(high, 4096);
    area_size = 16 * nmods + strlen(cmdline) + 1 + strlen("turtle") + 1;
    for (size_t i = 0; i < nmods; i++) {
        area_size += strlen(mods[i].string) + 1;
    }
    area = g_malloc0(area_size);
    pos = 16 * nmods;
    memcpy(area + pos, cmdline, strlen(cmdline) + 1);
    st32_le_p(mbi + MBI_CMDLINE_PTR, area_addr + pos);
    pos += strlen(cmdline) + 1;
    memcpy(area + pos, "turtle", 7);
    st32_le_p(mbi + MBI_LOADER_NAME, area_addr + pos);
    pos += 7;
    {
        uint64_t mod_addr = ROUND_UP(area_addr + area_size, 4096);
        for (size_t i = 0; i < nmods; i++) {
            size_t len = strlen(mods[i].string) + 1;
            memcpy(area + pos, mods[i].string, len);
            mods[i].str_addr = area_addr + pos;
            pos += len;
            mods[i].addr = mod_addr;
            mod_addr = ROUND_UP(mod_addr + mods[i].size, 4096);
            if (mods[i].addr + mods[i].size > x86_boot_ram_top(info)) {
                error_setg(errp, "-initrd: multiboot module '%s' (%zu bytes) "
                           "does not fit in RAM below 4 GiB (module too big)",
                           mods[i].path, mods[i].size);
                goto out;
            }
            st32_le_p(area + 16 * i, mods[i].addr);
            st32_le_p(area + 16 * i + 4, mods[i].addr + mods[i].size);
            st32_le_p(area + 16 * i + 8, mods[i].str_addr);
        }
    }
    if (area_addr + area_size > x86_boot_ram_top(info)) {
        error_setg(errp, "%s: no RAM for the multiboot information",
                   info->kernel);
        goto out;
    }
    if (!rom_add_blob(as, area_addr, area, area_size, "multiboot strings",
                      errp)) {
        goto out;
    }
    for (size_t i = 0; i < nmods; i++) {
        if (!rom_add_blob(as, mods[i].addr, mods[i].data, mods[i].size,
                          mods[i].path, errp)) {
            goto out;
        }
    }

    /* memory map and info structure */
    n = x86_boot_e820(info, e820, ARRAY_SIZE(e820));
    for (int i = 0; i < n; i++) {
        uint8_t *p = mmap + 24 * i;
        st32_le_p(p, 20);
        st64_le_p(p + 4, e820[i].addr);
        st64_le_p(p + 12, e820[i].size);
        st32_le_p(p + 20, e820[i].type);
    }
    st32_le_p(mbi + MBI_FLAGS, MBI_MEMORY | MBI_BOOTDEV | MBI_CMDLINE |
              MBI_MODS | MBI_MMAP | MBI_LOADER);
    st32_le_p(mbi + MBI_MEM_LOWER,
              x86_mptable_reserved(MAX(info->ncpus, 1)) / KiB);
    st32_le_p(mbi + MBI_MEM_UPPER, (x86_boot_ram_top(info) - 1 * MiB) / KiB);
    st32_le_p(mbi + MBI_BOOT_DEVICE, 0x8000ffff);
    st32_le_p(mbi + MBI_MODS_COUNT, nmods);
    st32_le_p(mbi + MBI_MODS_ADDR, area_addr);
    st32_le_p(mbi + MBI_MMAP_LENGTH, 24 * n);
    st32_le_p(mbi + MBI_MMAP_ADDR, MULTIBOOT_MMAP_ADDR);
    if (!rom_add_blob(as, MULTIBOOT_MMAP_ADDR, mmap, 24 * n, "multiboot mmap",
                      errp) ||
        !rom_add_blob(as, MULTIBOOT_INFO_ADDR, mbi, sizeof(mbi),
                      "multiboot info", errp)) {
        goto out;
    }

    x86_boot_setup_cpu(bs, false, errp);
    if (!bs->valid) {
        goto out;
    }
    bs->rip = entry;
    bs->rax = MULTIBOOT_BOOTLOADER_MAGIC;
    bs->rbx = MULTIBOOT_INFO_ADDR;
    ok = true;
out:
    for (size_t i = 0; i < nmods; i++) {
        g_free(mods[i].path);
        g_free(mods[i].data);
    }
    g_free(mods);
    return ok;
}
