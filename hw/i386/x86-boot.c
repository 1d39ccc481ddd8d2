/*
 * Direct boot of a Linux bzImage (and dispatch to multiboot) on the pc
 * board - see include/hw/i386/x86-boot.h for the entry states and
 * docs/pc.md for the layout.  Field offsets and rules come from the
 * Linux x86 boot protocol (Documentation/arch/x86/boot.rst): the setup
 * header at 0x1f1, the 32-bit protocol and the 64-bit protocol
 * (protocol 2.12+, XLF_KERNEL_64: startup_64 at code32_start + 0x200).
 */
#include "turtle/osdep.h"
#include "hw/i386/x86-boot.h"
#include "hw/core/loader.h"
#include "hw/nvram/fw_cfg.h"

/* setup header fields (offsets in the file and in boot_params) */
#define BP_SETUP_SECTS      0x1f1
#define BP_SYSSIZE          0x1f4
#define BP_VID_MODE         0x1fa
#define BP_BOOT_FLAG        0x1fe
#define BP_JUMP             0x200
#define BP_HEADER           0x202
#define BP_VERSION          0x206
#define BP_TYPE_OF_LOADER   0x210
#define BP_LOADFLAGS        0x211
#define BP_CODE32_START     0x214
#define BP_RAMDISK_IMAGE    0x218
#define BP_RAMDISK_SIZE     0x21c
#define BP_HEAP_END_PTR     0x224
#define BP_CMD_LINE_PTR     0x228
#define BP_INITRD_ADDR_MAX  0x22c
#define BP_KERNEL_ALIGNMENT 0x230
#define BP_RELOCATABLE      0x234
#define BP_XLOADFLAGS       0x236
#define BP_CMDLINE_SIZE     0x238
#define BP_PREF_ADDRESS     0x258
#define BP_INIT_SIZE        0x260
/* boot_params outside the setup header */
#define BP_ACPI_RSDP_ADDR   0x070
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES     0x1e8
#define BP_E820_TABLE       0x2d0
#define BP_E820_MAX         128

#define LOADED_HIGH     0x01
#define CAN_USE_HEAP    0x80
#define XLF_KERNEL_64   0x01
#define LOADER_TYPE_UNDEFINED 0xff
#define HDRS_MAGIC      0x53726448        /* "HdrS" */
/* The initrd keeps the top 128 KiB free, as QEMU (SeaBIOS's tables go
 * there; so do ours in a direct boot) */
#define ACPI_DATA_SIZE  X86_BOOT_ACPI_SIZE

static X86BootState boot_state;

X86BootState *x86_boot_state(void)
{
    return &boot_state;
}

/* ---- CPU state, GDT, page tables ---- */

#define DESC_CODE64 0x00af9b000000ffffULL
#define DESC_CODE32 0x00cf9b000000ffffULL
#define DESC_DATA   0x00cf93000000ffffULL

static uint32_t desc_flags(uint64_t desc)
{
    return (desc >> 32) & 0x00f0ff00;
}

void x86_boot_setup_cpu(X86BootState *bs, bool long_mode, Error **errp)
{
    AddressSpace *as = &address_space_memory;
    uint64_t gdt[4] = {
        0, 0,
        cpu_to_le64(long_mode ? DESC_CODE64 : DESC_CODE32),
        cpu_to_le64(DESC_DATA),
    };
    X86BootSegment data = {
        .selector = X86_BOOT_SEL_DATA, .base = 0, .limit = 0xffffffff,
        .flags = desc_flags(DESC_DATA),
    };

    if (!rom_add_blob(as, X86_BOOT_GDT_ADDR, gdt, sizeof(gdt), "boot GDT",
                      errp)) {
        return;
    }
    if (long_mode) {
        /* identity map of the first 4 GiB with 2 MiB pages */
        g_autofree uint64_t *pt = g_new0(uint64_t, 6 * 512);
        uint64_t *pml4 = pt, *pdpt = pt + 512, *pd = pt + 1024;
        hwaddr pdpt_addr = X86_BOOT_PML4_ADDR + 0x1000;
        hwaddr pd_addr = X86_BOOT_PML4_ADDR + 0x2000;

        pml4[0] = cpu_to_le64(pdpt_addr | 0x3);              /* P, RW */
        for (int i = 0; i < 4; i++) {
            pdpt[i] = cpu_to_le64((pd_addr + i * 0x1000) | 0x3);
        }
        for (int i = 0; i < 4 * 512; i++) {
            pd[i] = cpu_to_le64(((uint64_t)i << 21) | 0x83); /* P, RW, PS */
        }
        if (!rom_add_blob(as, X86_BOOT_PML4_ADDR, pt, 6 * 4096,
                          "boot page tables", errp)) {
            return;
        }
        bs->cr0 = 0x80000011;            /* PG, ET, PE */
        bs->cr3 = X86_BOOT_PML4_ADDR;
        bs->cr4 = 0x20;                  /* PAE */
        bs->efer = 0x500;                /* LME, LMA */
    } else {
        bs->cr0 = 0x11;                  /* ET, PE */
        bs->cr3 = bs->cr4 = bs->efer = 0;
    }
    bs->long_mode = long_mode;
    bs->rflags = 0x2;
    bs->gdt_base = X86_BOOT_GDT_ADDR;
    bs->gdt_limit = sizeof(gdt) - 1;
    for (int i = 0; i < X86_SEG_NUM; i++) {
        bs->seg[i] = data;
    }
    bs->seg[X86_SEG_CS] = (X86BootSegment) {
        .selector = X86_BOOT_SEL_CODE, .base = 0, .limit = 0xffffffff,
        .flags = desc_flags(long_mode ? DESC_CODE64 : DESC_CODE32),
    };
    bs->valid = true;
}

/* ---- e820 for boot_params and multiboot ---- */

uint64_t x86_boot_ram_top(const X86BootInfo *info)
{
    return info->below_4g - (info->acpi ? X86_BOOT_ACPI_SIZE : 0);
}

int x86_boot_e820(const X86BootInfo *info, E820Entry *e, int max)
{
    int n = 0;
    hwaddr mp = x86_mptable_reserved(MAX(info->ncpus, 1));
    uint64_t top = x86_boot_ram_top(info);

    g_assert(max >= 7);
    e[n++] = (E820Entry) { 0, mp, E820_RAM };
    e[n++] = (E820Entry) { mp, 0xa0000 - mp, E820_RESERVED };
    e[n++] = (E820Entry) { X86_BOOT_FSEG_ADDR, X86_BOOT_FSEG_SIZE,
                           E820_RESERVED };
    if (top > 1 * MiB) {
        e[n++] = (E820Entry) { 1 * MiB, top - 1 * MiB, E820_RAM };
    }
    if (info->acpi) {
        e[n++] = (E820Entry) { top, info->below_4g - top, E820_ACPI };
    }
    e[n++] = (E820Entry) { X86_ACCEL_RESERVED_ADDR, X86_ACCEL_RESERVED_SIZE,
                           E820_RESERVED };
    if (info->above_4g) {
        e[n++] = (E820Entry) { 4 * GiB, info->above_4g, E820_RAM };
    }
    return n;
}

/* ---- Linux bzImage ---- */

typedef struct LinuxSetup {
    uint16_t version;
    unsigned setup_size;         /* bytes of real-mode code incl. boot sector */
    uint32_t kernel_size;        /* protected-mode part */
    uint32_t init_size;
    uint32_t cmdline_max;        /* without the NUL */
    uint32_t initrd_max;
    uint64_t load_addr;
    bool entry64;
} LinuxSetup;

static bool linux_parse(const X86BootInfo *info, const uint8_t *d,
                        size_t size, LinuxSetup *ls, Error **errp)
{
    unsigned sects = d[BP_SETUP_SECTS] ? d[BP_SETUP_SECTS] : 4;
    uint64_t top = x86_boot_ram_top(info);
    uint8_t loadflags = d[BP_LOADFLAGS];
    uint64_t need;

    ls->version = ld16_le_p(d + BP_VERSION);
    if (ls->version < 0x202 || !(loadflags & LOADED_HIGH)) {
        error_setg(errp, "%s: Linux boot protocol %u.%02u %s is too old: "
                   "need a bzImage with protocol 2.02 or later",
                   info->kernel, ls->version >> 8, ls->version & 0xff,
                   (loadflags & LOADED_HIGH) ? "" : "(zImage)");
        return false;
    }
    ls->setup_size = (sects + 1) * 512;
    if (size <= ls->setup_size) {
        error_setg(errp, "%s: truncated bzImage (%zu bytes, the setup alone "
                   "is %u)", info->kernel, size, ls->setup_size);
        return false;
    }
    ls->kernel_size = size - ls->setup_size;
    if (ls->version >= 0x204 &&
        (uint64_t)ld32_le_p(d + BP_SYSSIZE) * 16 > ls->kernel_size) {
        error_setg(errp, "%s: truncated bzImage (header says %" PRIu64
                   " bytes of kernel, the file has %u)", info->kernel,
                   (uint64_t)ld32_le_p(d + BP_SYSSIZE) * 16, ls->kernel_size);
        return false;
    }
    ls->entry64 = ls->version >= 0x20c &&
                  (ld16_le_p(d + BP_XLOADFLAGS) & XLF_KERNEL_64);
    ls->init_size = ls->version >= 0x20a ? ld32_le_p(d + BP_INIT_SIZE) : 0;
    ls->cmdline_max = ls->version >= 0x206 ? ld32_le_p(d + BP_CMDLINE_SIZE)
                                           : 255;
    ls->initrd_max = ls->version >= 0x203 ? ld32_le_p(d + BP_INITRD_ADDR_MAX)
                                          : 0x37ffffff;

    ls->load_addr = X86_BOOT_KERNEL_ADDR;
    need = MAX(ls->init_size, ls->kernel_size);
    if (ls->version >= 0x20a && d[BP_RELOCATABLE]) {
        uint64_t pref = ld64_le_p(d + BP_PREF_ADDRESS);
        /* a nonsense (even wrapping) preference is ignored */
        if (pref >= 1 * MiB && pref <= top && need <= top - pref) {
            ls->load_addr = pref;
        }
    }
    if (ls->load_addr + need > top) {
        error_setg(errp, "%s: the kernel needs %" PRIu64 " bytes at 0x%"
                   PRIx64 ", more than the %" PRIu64 " MiB of RAM below 4 GiB",
                   info->kernel, need, ls->load_addr, info->below_4g / MiB);
        return false;
    }
    if (strlen(info->cmdline) > ls->cmdline_max) {
        error_setg(errp, "-append: the command line has %zu bytes, this "
                   "kernel takes at most %u", strlen(info->cmdline),
                   ls->cmdline_max);
        return false;
    }
    return true;
}

/* Place the initrd: top of low RAM (minus the ACPI area), below
 * initrd_addr_max, 4 KiB aligned, above the kernel. */
static bool linux_place_initrd(const X86BootInfo *info, const LinuxSetup *ls,
                               size_t initrd_size, uint64_t *addr,
                               Error **errp)
{
    uint64_t max = ls->initrd_max;
    uint64_t kernel_end = ls->load_addr + MAX(ls->init_size, ls->kernel_size);

    if (max >= info->below_4g - ACPI_DATA_SIZE) {
        max = info->below_4g - ACPI_DATA_SIZE - 1;
    }
    if (initrd_size > max || ((max - initrd_size) & ~4095ULL) < kernel_end) {
        error_setg(errp, "-initrd %s: %zu bytes do not fit between the "
                   "kernel end (0x%" PRIx64 ") and the initrd limit (0x%"
                   PRIx64 "): the initrd is too big for this RAM size",
                   info->initrd, initrd_size, kernel_end, max);
        return false;
    }
    *addr = (max - initrd_size) & ~4095ULL;
    return true;
}

static bool linux_load(const X86BootInfo *info, FWCfgState *fw,
                       const uint8_t *d, size_t size, Error **errp)
{
    AddressSpace *as = &address_space_memory;
    X86BootState *bs = &boot_state;
    g_autofree uint8_t *initrd = NULL;
    size_t initrd_size = 0, hdr_end;
    uint64_t initrd_addr = 0;
    uint8_t *zp, *setup;
    E820Entry e820[8];
    LinuxSetup ls;
    int n;

    if (!linux_parse(info, d, size, &ls, errp)) {
        return false;
    }
    if (info->initrd) {
        if (!load_file(info->initrd, 0, &initrd, &initrd_size, errp) ||
            !linux_place_initrd(info, &ls, initrd_size, &initrd_addr, errp)) {
            return false;
        }
    }

    /* boot_params: zeroed, setup header copied, loader fields filled */
    zp = g_malloc0(4096);
    hdr_end = MIN(BP_JUMP + 2 + (size_t)d[BP_JUMP + 1], (size_t)0x290);
    memcpy(zp + BP_SETUP_SECTS, d + BP_SETUP_SECTS, hdr_end - BP_SETUP_SECTS);
    zp[BP_TYPE_OF_LOADER] = LOADER_TYPE_UNDEFINED;
    zp[BP_LOADFLAGS] |= CAN_USE_HEAP;
    st16_le_p(zp + BP_HEAP_END_PTR, 0xfe00);
    st32_le_p(zp + BP_CODE32_START, ls.load_addr);
    st32_le_p(zp + BP_CMD_LINE_PTR, X86_BOOT_CMDLINE_ADDR);
    st32_le_p(zp + BP_EXT_CMD_LINE_PTR, 0);
    st32_le_p(zp + BP_RAMDISK_IMAGE, initrd_addr);
    st32_le_p(zp + BP_RAMDISK_SIZE, initrd_size);
    st32_le_p(zp + BP_EXT_RAMDISK_IMAGE, 0);
    st32_le_p(zp + BP_EXT_RAMDISK_SIZE, 0);
    /* protocol 2.14+ kernels take the RSDP from here; older ones find it
     * by scanning the F segment */
    st64_le_p(zp + BP_ACPI_RSDP_ADDR, info->acpi ? X86_BOOT_RSDP_ADDR : 0);
    n = x86_boot_e820(info, e820, ARRAY_SIZE(e820));
    zp[BP_E820_ENTRIES] = n;
    for (int i = 0; i < n; i++) {
        uint8_t *p = zp + BP_E820_TABLE + 20 * i;
        st64_le_p(p, e820[i].addr);
        st64_le_p(p + 8, e820[i].size);
        st32_le_p(p + 16, e820[i].type);
    }

    /* fw_cfg "linuxboot" items, for firmware that loads the kernel: the
     * real-mode setup patched for a load at 0x10000 */
    if (fw) {
        setup = g_memdup2(d, ls.setup_size);
        setup[BP_TYPE_OF_LOADER] = LOADER_TYPE_UNDEFINED;
        setup[BP_LOADFLAGS] |= CAN_USE_HEAP;
        st16_le_p(setup + BP_HEAP_END_PTR, 0xfe00);
        st32_le_p(setup + BP_CMD_LINE_PTR, X86_BOOT_CMDLINE_ADDR);
        st32_le_p(setup + BP_RAMDISK_IMAGE, initrd_addr);
        st32_le_p(setup + BP_RAMDISK_SIZE, initrd_size);
        fw_cfg_add_i32(fw, FW_CFG_SETUP_ADDR, X86_BOOT_REAL_SETUP);
        fw_cfg_add_i32(fw, FW_CFG_SETUP_SIZE, ls.setup_size);
        fw_cfg_add_bytes(fw, FW_CFG_SETUP_DATA, setup, ls.setup_size);
        fw_cfg_add_i32(fw, FW_CFG_KERNEL_ADDR, X86_BOOT_KERNEL_ADDR);
        fw_cfg_add_i32(fw, FW_CFG_KERNEL_SIZE, ls.kernel_size);
        fw_cfg_add_bytes(fw, FW_CFG_KERNEL_DATA,
                         g_memdup2(d + ls.setup_size, ls.kernel_size),
                         ls.kernel_size);
        fw_cfg_add_i32(fw, FW_CFG_CMDLINE_ADDR, X86_BOOT_CMDLINE_ADDR);
        fw_cfg_add_i32(fw, FW_CFG_CMDLINE_SIZE, strlen(info->cmdline) + 1);
        fw_cfg_add_string(fw, FW_CFG_CMDLINE_DATA, info->cmdline);
        if (initrd) {
            fw_cfg_add_i32(fw, FW_CFG_INITRD_ADDR, initrd_addr);
            fw_cfg_add_i32(fw, FW_CFG_INITRD_SIZE, initrd_size);
            fw_cfg_add_bytes(fw, FW_CFG_INITRD_DATA,
                             g_memdup2(initrd, initrd_size), initrd_size);
        }
    }
    if (info->firmware) {
        /* the firmware boots it through fw_cfg with our option ROM */
        g_free(zp);
        if (!pc_linuxboot_rom_size) {
            error_setg(errp, "-kernel with -bios needs Turtle's linuxboot "
                       "option ROM, which this build could not assemble "
                       "(not an x86 build host): boot the kernel directly "
                       "(without -bios)");
            return false;
        }
        return !fw || fw_cfg_add_file(fw, X86_LINUXBOOT_ROM_FILE,
                                      (void *)pc_linuxboot_rom,
                                      pc_linuxboot_rom_size, errp);
    }

    if (!rom_add_blob(as, ls.load_addr, d + ls.setup_size, ls.kernel_size,
                      "kernel", errp) ||
        !rom_add_blob(as, X86_BOOT_ZERO_PAGE, zp, 4096, "boot_params", errp) ||
        !rom_add_blob(as, X86_BOOT_CMDLINE_ADDR, info->cmdline,
                      strlen(info->cmdline) + 1, "command line", errp) ||
        (initrd && !rom_add_blob(as, initrd_addr, initrd, initrd_size,
                                 "initrd", errp))) {
        g_free(zp);
        return false;
    }
    g_free(zp);

    x86_boot_setup_cpu(bs, ls.entry64, errp);
    if (!bs->valid) {
        return false;
    }
    bs->rsi = X86_BOOT_ZERO_PAGE;
    bs->rip = ls.load_addr + (ls.entry64 ? 0x200 : 0);
    bs->rsp = 0;
    return true;
}

bool x86_load_kernel(const X86BootInfo *info, FWCfgState *fw_cfg,
                     Error **errp)
{
    g_autofree uint8_t *data = NULL;
    size_t size, mb_off;

    memset(&boot_state, 0, sizeof(boot_state));
    if (!load_file(info->kernel, 0, &data, &size, errp)) {
        return false;
    }
    if (size >= 0x206 && ld32_le_p(data + BP_HEADER) == HDRS_MAGIC) {
        if (size < 1024) {
            error_setg(errp, "%s: truncated bzImage (%zu bytes)",
                       info->kernel, size);
            return false;
        }
        return linux_load(info, fw_cfg, data, size, errp);
    }
    if (multiboot_detect(data, size, &mb_off)) {
        if (info->firmware) {
            error_setg(errp, "%s: multiboot kernels are started directly; "
                       "drop -bios (no multiboot option ROM exists)",
                       info->kernel);
            return false;
        }
        return multiboot_load(info, data, size, mb_off, errp);
    }
    if (elf_is_elf(data, size)) {
        error_setg(errp, "%s: an ELF file without a multiboot header is not "
                   "a bootable x86 kernel (use the bzImage, or a multiboot "
                   "kernel)", info->kernel);
    } else {
        error_setg(errp, "%s: not a kernel: neither a Linux bzImage (no "
                   "\"HdrS\" setup header) nor a multiboot image",
                   info->kernel);
    }
    return false;
}
