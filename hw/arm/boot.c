/*
 * Direct kernel boot for AArch64 boards.
 *
 * - A Linux arm64 Image (Documentation/arch/arm64/booting.rst): the
 *   64-byte header has the magic "ARM\x64" at 0x38, text_offset at 0x08
 *   and image_size (including bss) at 0x10, little-endian; image_size 0
 *   means an old kernel with text_offset 0x80000.  The Image goes at a
 *   2 MiB aligned base (the start of RAM) plus text_offset.  A gzip
 *   compressed Image (Debian's vmlinuz) is inflated first, at most to the
 *   size of RAM.  The EFI stub's PE/COFF header, when present, tells how
 *   long the file must be, so a truncated Image is caught.
 * - An ELF (bare-metal programs, e.g. tests/tcg/aarch64 with -semihosting)
 *   is loaded by its program headers and started at its entry point.
 * - The initrd goes after the kernel, page aligned; the DTB in the last
 *   2 MiB aligned block of RAM that is free (below the 2 MiB aligned end
 *   of RAM), or right after the initrd (8-byte aligned, never crossing a
 *   2 MiB boundary).
 *
 * Everything is loaded with rom_add_blob, so a system reset reloads it.
 */
#include "turtle/osdep.h"
#include "hw/arm/boot.h"
#include "hw/core/loader.h"
#include <zlib.h>

#define SZ_2M       0x200000ull
#define PAGE_4K     0x1000ull

static uint32_t ld32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t ld64(const uint8_t *p)
{
    return ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

static bool is_gzip(const uint8_t *d, size_t size)
{
    return size >= 2 && d[0] == 0x1f && d[1] == 0x8b;
}

/* Inflate a gzip file into a new buffer of at most limit bytes. */
static bool arm_boot_gunzip(const char *name, const uint8_t *in, size_t len,
                            uint64_t limit, uint8_t **out, size_t *out_len,
                            Error **errp)
{
    z_stream zs = { 0 };
    size_t cap;
    uint8_t *buf;
    int ret;

    /* no arm64 kernel comes near 1 GiB: a bigger result is a gzip bomb,
     * and host memory must not run out (g_realloc would abort) */
    limit = MIN(limit, (uint64_t)1 * GiB);
    cap = MIN((uint64_t)len * 4 + 1024 * 1024, limit);
    buf = g_try_malloc(cap);
    if (!buf) {
        error_setg(errp, "'%s': cannot allocate %zu bytes to decompress it",
                   name, cap);
        return false;
    }
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        error_setg(errp, "'%s': cannot start decompression", name);
        g_free(buf);
        return false;
    }
    zs.next_in = (Bytef *)in;
    zs.avail_in = len;
    for (;;) {
        zs.next_out = buf + zs.total_out;
        zs.avail_out = cap - zs.total_out;
        ret = inflate(&zs, Z_NO_FLUSH);
        if (ret == Z_STREAM_END) {
            break;
        }
        if (ret == Z_BUF_ERROR && zs.avail_in == 0) {
            error_setg(errp, "'%s': truncated gzip data", name);
            goto fail;
        }
        if (ret != Z_OK && ret != Z_BUF_ERROR) {
            error_setg(errp, "'%s': corrupt gzip data (%s)", name,
                       zs.msg ? zs.msg : "inflate error");
            goto fail;
        }
        if (zs.avail_out == 0) {
            if (cap >= limit) {
                error_setg(errp, "'%s': decompressed kernel is larger than "
                           "RAM or 1 GiB (%" PRIu64 " bytes)", name, limit);
                goto fail;
            }
            uint8_t *bigger;

            cap = MIN((uint64_t)cap * 2, limit);
            bigger = g_try_realloc(buf, cap);
            if (!bigger) {
                error_setg(errp, "'%s': cannot allocate %zu bytes to "
                           "decompress it", name, cap);
                goto fail;
            }
            buf = bigger;
        }
    }
    *out_len = zs.total_out;
    *out = buf;
    inflateEnd(&zs);
    return true;

fail:
    inflateEnd(&zs);
    g_free(buf);
    return false;
}

/*
 * The EFI stub makes an Image a PE/COFF file ("MZ", PE header offset at
 * 0x3c): its sections end where the file must end.
 */
static bool arm_boot_check_pe(const char *name, const uint8_t *d,
                              size_t size, Error **errp)
{
    uint32_t pe, nsec, opt_size, sec;
    uint64_t end = 0;

    if (d[0] != 'M' || d[1] != 'Z') {
        return true;
    }
    pe = ld32(d + 0x3c);
    if ((uint64_t)pe + 24 > size || memcmp(d + pe, "PE\0\0", 4)) {
        error_setg(errp, "'%s': truncated arm64 Image (no PE header at "
                   "0x%x)", name, pe);
        return false;
    }
    nsec = d[pe + 6] | d[pe + 7] << 8;
    opt_size = d[pe + 20] | d[pe + 21] << 8;
    sec = pe + 24 + opt_size;
    for (uint32_t i = 0; i < nsec; i++, sec += 40) {
        if ((uint64_t)sec + 40 > size) {
            error_setg(errp, "'%s': truncated arm64 Image (section table "
                       "beyond the end of the file)", name);
            return false;
        }
        end = MAX(end, (uint64_t)ld32(d + sec + 20) + ld32(d + sec + 16));
    }
    if (end > size) {
        error_setg(errp, "'%s': truncated arm64 Image (%zu bytes, its "
                   "header says %" PRIu64 ")", name, size, end);
        return false;
    }
    return true;
}

static bool arm_boot_load_image(ArmBootInfo *bi, const char *name,
                                const uint8_t *d, size_t size, Error **errp)
{
    uint64_t text_offset = ld64(d + 0x08);
    uint64_t image_size = ld64(d + 0x10);
    hwaddr base;

    if (!arm_boot_check_pe(name, d, size, errp)) {
        return false;
    }
    if (image_size == 0) {
        text_offset = 0x80000;      /* pre-3.17 kernels */
    }
    image_size = MAX(image_size, size);
    if (text_offset >= bi->ram_size ||
        image_size > bi->ram_size - text_offset) {
        error_setg(errp, "'%s': kernel (%" PRIu64 " bytes at offset 0x%"
                   PRIx64 ") does not fit in RAM (%" PRIu64 " MiB)", name,
                   image_size, text_offset, bi->ram_size >> 20);
        return false;
    }
    base = bi->ram_base + text_offset;     /* ram_base is 2 MiB aligned */
    if (!rom_add_blob(&address_space_memory, base, d, size, "kernel",
                      errp)) {
        return false;
    }
    bi->entry = base;
    bi->kernel_start = base;
    bi->kernel_end = base + image_size;
    bi->is_linux = true;
    return true;
}

static bool arm_boot_load_initrd(ArmBootInfo *bi, Error **errp)
{
    g_autofree uint8_t *data = NULL;
    hwaddr start = ROUND_UP(bi->kernel_end, PAGE_4K);
    hwaddr ram_end = bi->ram_base + bi->ram_size;
    size_t size;

    if (!load_file(bi->initrd_filename, 0, &data, &size, errp)) {
        return false;
    }
    if (start >= ram_end || size > ram_end - start) {
        error_setg(errp, "initrd '%s' (%zu bytes) does not fit in RAM after "
                   "the kernel (%" PRIu64 " bytes free at 0x%" HWADDR_PRIx
                   ")", bi->initrd_filename, size,
                   (uint64_t)(start < ram_end ? ram_end - start : 0), start);
        return false;
    }
    if (!rom_add_blob(&address_space_memory, start, data, size, "initrd",
                      errp)) {
        return false;
    }
    bi->initrd_start = start;
    bi->initrd_end = start + size;
    return true;
}

bool arm_boot_load_kernel(ArmBootInfo *bi, Error **errp)
{
    const char *name = bi->kernel_filename;
    g_autofree uint8_t *data = NULL;
    g_autofree uint8_t *inflated = NULL;
    const uint8_t *d;
    size_t size;

    if (!load_file(name, 0, &data, &size, errp)) {
        return false;
    }
    d = data;
    if (elf_is_elf(d, size)) {
        ElfLoadInfo info;

        if (!load_elf_buffer(&address_space_memory, d, size,
                             ELF_MACHINE_AARCH64, true, NULL, NULL, &info,
                             errp)) {
            error_prepend(errp, "'%s': ", name);
            return false;
        }
        bi->entry = info.entry;
        bi->kernel_start = info.lowaddr;
        bi->kernel_end = info.highaddr;
        bi->is_linux = false;
    } else {
        if (is_gzip(d, size)) {
            if (!arm_boot_gunzip(name, d, size, bi->ram_size, &inflated,
                                 &size, errp)) {
                return false;
            }
            d = inflated;
        }
        if (size >= 0x206 && !memcmp(d + 0x202, "HdrS", 4)) {
            error_setg(errp, "'%s' is an x86 bzImage, not an arm64 kernel",
                       name);
            return false;
        }
        if (size < ARM64_IMAGE_HEADER_SIZE) {
            error_setg(errp, "'%s' is not an arm64 kernel (%zu bytes: "
                       "shorter than the Image header)", name, size);
            return false;
        }
        if (ld32(d + 0x38) != ARM64_IMAGE_MAGIC) {
            error_setg(errp, "'%s' is not an arm64 kernel (no Image magic "
                       "\"ARM\\x64\" at 0x38, not gzip, not ELF)", name);
            return false;
        }
        if (!arm_boot_load_image(bi, name, d, size, errp)) {
            return false;
        }
    }
    if (bi->initrd_filename) {
        if (bi->kernel_end < bi->ram_base ||
            bi->kernel_end > bi->ram_base + bi->ram_size) {
            bi->kernel_end = bi->ram_base;   /* kernel outside RAM (ELF) */
        }
        return arm_boot_load_initrd(bi, errp);
    }
    return true;
}

bool arm_boot_load_dtb(ArmBootInfo *bi, const void *fdt, int size,
                       Error **errp)
{
    hwaddr ram_end = ROUND_DOWN(bi->ram_base + bi->ram_size, SZ_2M);
    hwaddr used_end = MAX(bi->kernel_end, bi->initrd_end);
    hwaddr addr;

    if (used_end < bi->ram_base || used_end > bi->ram_base + bi->ram_size) {
        used_end = bi->ram_base;
    }
    if (size > (int)SZ_2M) {
        error_setg(errp, "device tree is too large (%d bytes, at most 2 MiB)",
                   size);
        return false;
    }
    /* the last 2 MiB block of RAM, if it is free */
    addr = ram_end >= SZ_2M ? ram_end - SZ_2M : 0;
    if (addr < used_end || addr < bi->ram_base) {
        /* right after the kernel/initrd, not crossing a 2 MiB boundary */
        addr = ROUND_UP(used_end, 8);
        if (ROUND_DOWN(addr, SZ_2M) != ROUND_DOWN(addr + size - 1, SZ_2M)) {
            addr = ROUND_UP(addr, SZ_2M);
        }
        if (addr + size > bi->ram_base + bi->ram_size) {
            error_setg(errp, "no room in RAM for the device tree (%d bytes) "
                       "after the kernel and initrd", size);
            return false;
        }
    }
    if (!rom_add_blob(&address_space_memory, addr, fdt, size, "device tree",
                      errp)) {
        return false;
    }
    bi->dtb_addr = addr;
    return true;
}
