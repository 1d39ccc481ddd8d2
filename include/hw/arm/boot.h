/*
 * Direct boot of AArch64 kernels: a Linux arm64 Image (plain or gzip), an
 * ELF (bare-metal test programs, -semihosting), an initrd and the device
 * tree; see hw/arm/boot.c.
 */
#ifndef HW_ARM_BOOT_H
#define HW_ARM_BOOT_H

#include "turtle/osdep.h"
#include "turtle/error.h"
#include "exec/memory.h"

typedef struct ArmBootInfo {
    /* set by the board */
    hwaddr ram_base;
    uint64_t ram_size;
    const char *kernel_filename;
    const char *initrd_filename;
    /* results of arm_boot_load_kernel() */
    uint64_t entry;
    hwaddr kernel_start, kernel_end;     /* [start, end) in RAM */
    bool is_linux;                       /* an Image: x0 = DTB address */
    hwaddr initrd_start, initrd_end;     /* 0, 0: no initrd */
    hwaddr dtb_addr;                     /* 0: no device tree loaded */
} ArmBootInfo;

/* Load the kernel and the initrd into RAM, checking they fit. */
bool arm_boot_load_kernel(ArmBootInfo *bi, Error **errp);
/*
 * Choose where the DTB goes (below the 2 MiB aligned end of RAM, above
 * the kernel and initrd) and copy it there.
 */
bool arm_boot_load_dtb(ArmBootInfo *bi, const void *fdt, int size,
                       Error **errp);

/* Linux arm64 Image header (Documentation/arch/arm64/booting.rst) */
#define ARM64_IMAGE_MAGIC       0x644d5241   /* "ARM\x64" at 0x38 */
#define ARM64_IMAGE_HEADER_SIZE 64

#endif
