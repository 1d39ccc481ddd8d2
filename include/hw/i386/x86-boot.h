/*
 * Direct kernel boot on the pc board (-kernel without firmware) and the
 * initial CPU state it needs.
 *
 * The loaders (hw/i386/x86-boot.c: Linux bzImage, hw/i386/multiboot.c:
 * multiboot v1) write the kernel, its parameters, a GDT and (for long
 * mode) identity page tables into guest RAM - again on every system reset
 * - and describe in X86BootState how the boot CPU must start.
 *
 * HOW IT IS APPLIED: after every system reset (the CPUs' included), the
 *   pc board's MachineClass.reset calls x86_cpu_apply_boot_state()
 *   (target/i386/cpu.h) on the first CPU if x86_boot_state()->valid; the
 *   CPU code never asks the board.  It sets:
 *     - CR0, CR3, CR4, EFER from the struct (EFER already has LMA set for
 *       long mode; KVM: KVM_SET_SREGS takes them as they are; TCG: also
 *       recompute the hflags from them);
 *     - GDTR = {gdt_base, gdt_limit}; IDTR = {0, 0} (interrupts stay off);
 *     - CS, DS, ES, SS, FS, GS from the segment array: selector, base,
 *       limit and the attribute bits `flags`, which use the layout of a
 *       descriptor's second dword (QEMU's SegmentCache.flags): type 11:8,
 *       S 12, DPL 14:13, P 15, AVL 20, L 21, D/B 22, G 23.  TR: a busy
 *       32/64-bit TSS (type 11) with base 0, limit 0xffff; LDTR unusable;
 *     - RIP, RSP, RFLAGS (0x2: IF clear), RAX, RBX, RSI; other GPRs 0;
 *   Other CPUs (APs) keep the architectural reset state and wait for
 *   INIT/SIPI.  With -bios the struct stays invalid and the CPU starts at
 *   the reset vector as usual.
 *
 * Entry states produced:
 *   Linux 64-bit (boot protocol >= 2.12 with XLF_KERNEL_64): long mode,
 *     paging on with the first 4 GiB identity-mapped, CS=0x10 (64-bit
 *     code), DS=ES=SS=0x18 (flat data), RSI = zero page,
 *     RIP = code32_start + 0x200 (startup_64).
 *   Linux 32-bit (older bzImages): protected mode, paging off, CS=0x10,
 *     DS=ES=SS=0x18 flat 4 GiB, ESI = zero page, EIP = code32_start.
 *   Multiboot v1: protected mode, paging off, CS=0x10 flat code,
 *     DS=ES=SS=FS=GS=0x18, EAX = 0x2BADB002, EBX = multiboot info.
 */
#ifndef HW_I386_X86_BOOT_H
#define HW_I386_X86_BOOT_H

#include "turtle/osdep.h"
#include "turtle/error.h"

/* Guest-physical layout of the direct boot (all below 1 MiB). */
#define X86_BOOT_GDT_ADDR       0x500
#define X86_BOOT_ZERO_PAGE      0x7000     /* Linux boot_params */
#define X86_BOOT_PML4_ADDR      0x9000     /* then PDPT 0xa000, PDs 0xb000.. */
#define X86_BOOT_CMDLINE_ADDR   0x20000
#define X86_BOOT_REAL_SETUP     0x10000    /* fw_cfg linuxboot: setup */
#define X86_BOOT_KERNEL_ADDR    0x100000
#define MULTIBOOT_MMAP_ADDR     0x9000
/* Firmware tables of a direct boot: RSDP and SMBIOS in the F segment (RAM,
 * reserved in e820; where the kernel's DMI and RSDP scans look), the ACPI
 * tables in the top 128 KiB of low RAM (e820 type 3, ACPI). */
#define X86_BOOT_FSEG_ADDR      0xf0000
#define X86_BOOT_FSEG_SIZE      0x10000
#define X86_BOOT_RSDP_ADDR      0xf0000    /* 256 bytes for the RSDP */
#define X86_BOOT_SMBIOS_ADDR    0xf0100    /* anchor; structures at +0x100 */
#define X86_BOOT_ACPI_SIZE      (128 * KiB)
#define MULTIBOOT_INFO_ADDR     0x9500

#define X86_BOOT_SEL_CODE 0x10
#define X86_BOOT_SEL_DATA 0x18

enum {
    X86_SEG_ES, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS, X86_SEG_GS,
    X86_SEG_NUM
};

typedef struct X86BootSegment {
    uint16_t selector;
    uint64_t base;
    uint32_t limit;          /* byte granular: 0xffffffff for flat */
    uint32_t flags;          /* descriptor dword 2 attribute bits, above */
} X86BootSegment;

typedef struct X86BootState {
    bool valid;
    bool long_mode;          /* 64-bit entry, else 32-bit protected mode */
    uint64_t rip, rsp, rflags;
    uint64_t rax, rbx, rsi;
    uint64_t cr0, cr3, cr4, efer;
    uint64_t gdt_base;
    uint16_t gdt_limit;
    X86BootSegment seg[X86_SEG_NUM];
} X86BootState;

/* The boot state of the machine (never NULL; valid=false: none). */
X86BootState *x86_boot_state(void);

/* Kept reserved in every e820 map the board gives: KVM puts the real-mode
 * TSS and identity page table of Intel hosts there (target/i386/kvm.c). */
#define X86_ACCEL_RESERVED_ADDR 0xfeffc000ULL
#define X86_ACCEL_RESERVED_SIZE 0x4000ULL

/* An e820 map entry as in boot_params / etc/e820 (20 bytes, packed). */
#define E820_RAM      1
#define E820_RESERVED 2
#define E820_ACPI     3
typedef struct TURTLE_PACKED E820Entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} E820Entry;

typedef struct X86BootInfo {
    uint64_t below_4g;       /* RAM 0..below_4g */
    uint64_t above_4g;       /* RAM 4G..4G+above_4g */
    const char *kernel;      /* -kernel */
    const char *initrd;      /* -initrd (multiboot: "f1 args,f2") */
    const char *cmdline;     /* -append ("" if none) */
    bool firmware;           /* -bios given: the firmware boots the kernel
                              * through fw_cfg; no direct entry state */
    unsigned ncpus;          /* -smp: CPUs listed in the MP table */
    bool acpi;               /* the board installs ACPI tables in the top
                              * X86_BOOT_ACPI_SIZE of low RAM (kept free,
                              * e820 ACPI) and the RSDP at
                              * X86_BOOT_RSDP_ADDR (boot_params) */
} X86BootInfo;

/* The end of the low RAM a loader may use (below the ACPI tables). */
uint64_t x86_boot_ram_top(const X86BootInfo *info);

typedef struct FWCfgState FWCfgState;

/*
 * Load -kernel (multiboot v1 if it has a multiboot header, else a Linux
 * bzImage), fill the fw_cfg kernel/initrd/cmdline items (fw_cfg may be
 * NULL) and the boot state.  One clear error per bad input.
 */
bool x86_load_kernel(const X86BootInfo *info, FWCfgState *fw_cfg,
                     Error **errp);

/* multiboot.c: true if the file has a multiboot v1 header (in data). */
bool multiboot_detect(const uint8_t *data, size_t size, size_t *hdr_off);
bool multiboot_load(const X86BootInfo *info, const uint8_t *data,
                    size_t size, size_t hdr_off, Error **errp);

/* The RAM map a direct boot reports (boot_params e820, multiboot mmap):
 * RAM 0..MP table, reserved MP table..640 KiB, reserved F segment,
 * RAM 1 MiB..x86_boot_ram_top(), ACPI from there to below_4g (with
 * info->acpi), reserved X86_ACCEL_RESERVED_*, RAM 4 GiB-(4 GiB+above_4g).
 * Returns the count (at most 7). */
int x86_boot_e820(const X86BootInfo *info, E820Entry *e, int max);

/*
 * mptable.c: Intel MP Specification 1.4 tables (CPUs, IOAPIC, ISA and PCI
 * IRQ routing) for a direct boot, floating pointer at 0x9fc00, written by
 * the board on every reset.  The e820 map reserves from
 * x86_mptable_reserved(ncpus) to 640 KiB.
 */
typedef struct X86MPPCIIrq {
    uint8_t slot;            /* PCI device number on bus 0 */
    uint8_t pin;             /* 0 = INTA */
    uint8_t irq;             /* ISA IRQ = IOAPIC pin it is routed to */
} X86MPPCIIrq;
void x86_mptable_write(unsigned ncpus, const X86MPPCIIrq *pci, unsigned npci);
hwaddr x86_mptable_reserved(unsigned ncpus);

/*
 * Turtle's Linux loader option ROM (hw/i386/optionrom/linuxboot.S, built
 * into the emulator; size 0 where the build host could not assemble it):
 * firmware given with -bios runs it from fw_cfg "genroms/" to boot the
 * fw_cfg linuxboot items.
 */
#define X86_LINUXBOOT_ROM_FILE "genroms/turtle-linuxboot.bin"
extern const uint8_t pc_linuxboot_rom[];
extern const size_t pc_linuxboot_rom_size;

/* Shared by both loaders: the direct-boot GDT and (long mode) page
 * tables, and the segment/CR set-up of the boot state. */
void x86_boot_setup_cpu(X86BootState *bs, bool long_mode, Error **errp);

#endif
