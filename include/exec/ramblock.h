/*
 * Guest RAM blocks and their dirty bitmaps (internal to the memory core,
 * TCG and KVM).  Every RAM region owns one RAMBlock; blocks are numbered in
 * one global ram_addr_t space so a byte of guest RAM has one identity
 * whatever guest-physical addresses alias it (TCG keys translated code on
 * it, migration walks it).
 */
#ifndef EXEC_RAMBLOCK_H
#define EXEC_RAMBLOCK_H

#include "exec/memory.h"

#define TURTLE_PAGE_BITS 12
#define TURTLE_PAGE_SIZE (UINT64_C(1) << TURTLE_PAGE_BITS)

struct RAMBlock {
    MemoryRegion *mr;
    uint8_t *host;
    ram_addr_t offset;        /* in the global ram_addr_t space */
    uint64_t size;
    bool owns_host;           /* mmap'd by us: munmap on free */
    /* one bit per page per client; a set bit means "dirty" */
    unsigned long *dirty[DIRTY_MEMORY_NUM];
    char idstr[64];
};

RAMBlock *qemu_ram_alloc(uint64_t size, MemoryRegion *mr, Error **errp);
RAMBlock *qemu_ram_alloc_from_ptr(uint64_t size, void *host, MemoryRegion *mr);
void qemu_ram_free(RAMBlock *block);
/* Block containing ram_addr / host pointer, or NULL. */
RAMBlock *qemu_ram_block_from_addr(ram_addr_t addr);
RAMBlock *qemu_ram_block_from_host(void *ptr, ram_addr_t *offset_in_block);
ram_addr_t qemu_ram_addr_from_host(void *ptr);   /* RAM_ADDR_INVALID if none */
void *qemu_ram_ptr(ram_addr_t addr);              /* NULL if not RAM */
/* Call fn for every RAM block in ram_addr_t order. */
void qemu_ram_foreach_block(void (*fn)(RAMBlock *rb, void *opaque), void *opaque);

/* ---- dirty bitmaps, by ram_addr_t ---- */
void ram_dirty_set_range(ram_addr_t start, ram_addr_t length, uint8_t clients);
bool ram_dirty_get(ram_addr_t start, ram_addr_t length, unsigned client);
/* True if any page in range was dirty; clears them. */
bool ram_dirty_test_and_clear(ram_addr_t start, ram_addr_t length,
                              unsigned client);
void ram_dirty_clear_range(ram_addr_t start, ram_addr_t length, unsigned client);
/* True if every page in range is dirty for client. */
bool ram_dirty_all(ram_addr_t start, ram_addr_t length, unsigned client);

/*
 * Translated-code protection.  A page with translated code has its
 * DIRTY_MEMORY_CODE bit clear; any write to it (CPU or DMA) must call the
 * current accelerator's AccelOps.ram_code_written, which invalidates the
 * translations and sets the bit again (TCG's; NULL under KVM/qtest).
 */
/* Called by every RAM write path before it stores, and again after: a
 * vCPU may retranslate the page between the invalidation and the store. */
void ram_notify_write(ram_addr_t start, ram_addr_t length);

#endif
