/*
 * Loading host files into guest memory (kernels, firmware, initrds).
 *
 * Every write goes through address_space_write_rom(), so a loader can fill
 * ROM as well as RAM, and a load that would reach past what is mapped fails
 * with a clear error instead of touching host memory.
 *
 * Errors are returned through Error **; nothing here exits the process.
 */
#ifndef HW_CORE_LOADER_H
#define HW_CORE_LOADER_H

#include "turtle/osdep.h"
#include "turtle/error.h"
#include "exec/memory.h"

/* Size of a host file, or -1 with errp set. */
int64_t get_image_size(const char *filename, Error **errp);

/*
 * Read a whole host file (at most max_size bytes, 0: no limit) into a new
 * buffer.  The caller g_free()s *data.
 */
bool load_file(const char *filename, uint64_t max_size, uint8_t **data,
               size_t *size, Error **errp);

/* Copy a buffer into guest memory at addr; fails if any byte is unmapped. */
bool load_blob(AddressSpace *as, hwaddr addr, const void *data, size_t size,
               const char *what, Error **errp);

/*
 * Like load_blob, and keep a copy that is written again on every system
 * reset (so a rebooted guest finds its kernel and boot data intact).
 */
bool rom_add_blob(AddressSpace *as, hwaddr addr, const void *data,
                  size_t size, const char *what, Error **errp);

/* Zero [addr, addr + size) now and on every system reset (bss). */
bool rom_add_zero(AddressSpace *as, hwaddr addr, size_t size,
                  const char *what, Error **errp);

/*
 * Load filename at addr (the whole file, at most max_size bytes, 0: no
 * limit).  Returns the number of bytes loaded, or -1 with errp set.
 */
int64_t load_image_targphys(const char *filename, hwaddr addr,
                            uint64_t max_size, Error **errp);

/* ELF e_machine values the boards use. */
#define ELF_MACHINE_386     3
#define ELF_MACHINE_X86_64  62
#define ELF_MACHINE_AARCH64 183

typedef struct ElfLoadInfo {
    uint64_t entry;      /* e_entry (translated like the segments) */
    uint64_t lowaddr;    /* lowest loaded guest address */
    uint64_t highaddr;   /* one past the highest loaded byte (incl. bss) */
    bool is64;
} ElfLoadInfo;

/* True if the buffer starts with the ELF magic. */
bool elf_is_elf(const uint8_t *data, size_t size);

/*
 * Load the PT_LOAD segments of an ELF32 or ELF64 little-endian image held
 * in memory: file bytes copied, bss (memsz beyond filesz) zeroed.  Segments
 * go to their physical address (p_paddr) when use_paddr, else p_vaddr;
 * translate, if not NULL, maps that address to a guest physical one (e.g.
 * masking a kernel's high virtual base).  With use_paddr, an entry point
 * inside a segment whose p_vaddr differs from p_paddr is moved with that
 * segment (multiboot kernels linked high).  elf_machine is the required
 * e_machine (0: any); a mismatch fails naming both machines.  Headers and
 * segments are bounds-checked against the image.
 */
bool load_elf_buffer(AddressSpace *as, const uint8_t *data, size_t size,
                     uint16_t elf_machine, bool use_paddr,
                     uint64_t (*translate)(void *opaque, uint64_t addr),
                     void *opaque, ElfLoadInfo *info, Error **errp);

/* Same, reading the image from a file first; errors name the file. */
bool load_elf(AddressSpace *as, const char *filename, uint16_t elf_machine,
              bool use_paddr, uint64_t (*translate)(void *, uint64_t),
              void *opaque, ElfLoadInfo *info, Error **errp);

#endif
