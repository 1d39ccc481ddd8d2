/*
 * The memory API.
 *
 * Guest-visible memory is a tree of MemoryRegions:
 *   RAM          host memory the guest reads and writes directly
 *   ROM          host memory the guest only reads (writes ignored, logged)
 *   ROM device   reads from host memory, writes go to ops (flash)
 *   I/O (MMIO)   every access goes to MemoryRegionOps callbacks
 *   alias        a window onto part of another region
 *   container    holds subregions at offsets, with priorities; a higher
 *                priority subregion hides lower ones where they overlap
 *
 * An AddressSpace has a root region; every change to the tree is
 * flattened into a sorted list of ranges (FlatView) and announced to
 * MemoryListeners (KVM turns RAM into memory slots, TCG flushes TLBs).
 * Changes can be batched with memory_region_transaction_begin/commit.
 *
 * Accesses through an AddressSpace are bound-checked: an address that maps
 * to nothing reads as all-ones and ignores writes (logged under
 * -d guest_errors) and returns MEMTX_DECODE_ERROR.  Devices doing DMA use
 * address_space_read/write/map, never host pointers they computed.
 *
 * Threading: the tree is changed only with the big lock held.  Readers on
 * vCPU threads take a reference on the current FlatView.
 */
#ifndef EXEC_MEMORY_H
#define EXEC_MEMORY_H

#include "turtle/osdep.h"
#include "turtle/error.h"
#include "hw/core/object.h"

typedef struct MemoryRegion MemoryRegion;
typedef struct MemoryRegionOps MemoryRegionOps;
typedef struct AddressSpace AddressSpace;
typedef struct FlatView FlatView;
typedef struct MemoryListener MemoryListener;
typedef struct RAMBlock RAMBlock;
typedef uint64_t ram_addr_t;

/*
 * Re-entrancy guard, one per device (DeviceState.mem_reentrancy_guard).
 * While a device's MMIO/PIO callback runs, or work the device started
 * itself (a bottom half, a back-end completion, see
 * memory_reentrancy_guard_begin), the guard is engaged, and any access that
 * reaches one of the device's regions again (its own DMA aimed at its
 * registers, directly or through another device) is refused by the memory
 * core: logged as a guest error, reads all-ones, MEMTX_ACCESS_ERROR.  One
 * check here covers every device (unbounded recursion otherwise).
 */
typedef struct MemReentrancyGuard {
    bool engaged_in_io;
} MemReentrancyGuard;
#define RAM_ADDR_INVALID (~(ram_addr_t)0)

typedef struct MemTxAttrs {
    unsigned int unspecified:1;
    unsigned int secure:1;
    unsigned int user:1;          /* unprivileged access */
    unsigned int debug:1;         /* debugger/monitor access: no side effects */
    unsigned int requester_id:16; /* PCI requester, for IOMMUs / MSI */
} MemTxAttrs;
#define MEMTXATTRS_UNSPECIFIED ((MemTxAttrs) { .unspecified = 1 })

typedef uint32_t MemTxResult;
#define MEMTX_OK            0
#define MEMTX_ERROR         (1U << 0)   /* device returned an error */
#define MEMTX_DECODE_ERROR  (1U << 1)   /* nothing at that address */
#define MEMTX_ACCESS_ERROR  (1U << 2)   /* size/alignment the device refuses */

enum device_endian {
    DEVICE_NATIVE_ENDIAN,   /* the guest CPU's order (little for both targets) */
    DEVICE_BIG_ENDIAN,
    DEVICE_LITTLE_ENDIAN,
};

struct MemoryRegionOps {
    /* addr is the offset in the region; size is 1, 2, 4 or 8 */
    uint64_t (*read)(void *opaque, hwaddr addr, unsigned size);
    void (*write)(void *opaque, hwaddr addr, uint64_t data, unsigned size);
    /* Alternatives that see the attributes and may fail the access. */
    MemTxResult (*read_with_attrs)(void *opaque, hwaddr addr, uint64_t *data,
                                   unsigned size, MemTxAttrs attrs);
    MemTxResult (*write_with_attrs)(void *opaque, hwaddr addr, uint64_t data,
                                    unsigned size, MemTxAttrs attrs);
    enum device_endian endianness;
    /* What the guest may do; anything else is a guest error
     * (reads all-ones, write dropped, MEMTX_ACCESS_ERROR). 0 = no limit. */
    struct {
        unsigned min_access_size;
        unsigned max_access_size;
        bool unaligned;
        bool (*accepts)(void *opaque, hwaddr addr, unsigned size,
                        bool is_write, MemTxAttrs attrs);
    } valid;
    /* What the callbacks implement; the core splits or widens guest
     * accesses to fit.  0 = same as valid (default 1..4). */
    struct {
        unsigned min_access_size;
        unsigned max_access_size;
        bool unaligned;
    } impl;
};

struct MemoryRegion {
    Object *owner;
    char *name;
    uint64_t size;               /* UINT64_MAX means the whole 2^64 space */
    const MemoryRegionOps *ops;
    void *opaque;
    bool ram;
    bool readonly;               /* ROM: guest writes are dropped */
    bool rom_device;             /* reads from RAM, writes to ops */
    bool romd_mode;              /* rom_device: reads from RAM (true) or ops */
    bool enabled;
    bool terminates;             /* leaf: RAM or I/O */
    bool is_container;
    RAMBlock *ram_block;
    MemoryRegion *container;     /* where it is mapped, or NULL */
    hwaddr addr;                 /* offset in the container */
    int priority;
    bool may_overlap;
    MemoryRegion *alias;
    hwaddr alias_offset;
    GList *subregions;           /* sorted by priority, highest first */
    uint8_t dirty_log_mask;
    /* the owner device's guard (NULL: owner is not a device) */
    MemReentrancyGuard *reentrancy_guard;
    bool destroyed;
    unsigned int mapped_count;   /* number of containers/ASes using it */
};

/* ---- creating regions (all may be embedded in a device state) ---- */
void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size);
void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size);
bool memory_region_init_ram(MemoryRegion *mr, Object *owner, const char *name,
                            uint64_t size, Error **errp);
bool memory_region_init_rom(MemoryRegion *mr, Object *owner, const char *name,
                            uint64_t size, Error **errp);
bool memory_region_init_rom_device(MemoryRegion *mr, Object *owner,
                                   const MemoryRegionOps *ops, void *opaque,
                                   const char *name, uint64_t size,
                                   Error **errp);
/* RAM backed by host memory the caller owns (must outlive the region). */
void memory_region_init_ram_ptr(MemoryRegion *mr, Object *owner,
                                const char *name, uint64_t size, void *ptr);
void memory_region_init_alias(MemoryRegion *mr, Object *owner,
                              const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size);
/* Unmap from its container and free what init allocated. */
void memory_region_finalize(MemoryRegion *mr);

/* ---- composing ---- */
void memory_region_add_subregion(MemoryRegion *mr, hwaddr offset,
                                 MemoryRegion *subregion);
void memory_region_add_subregion_overlap(MemoryRegion *mr, hwaddr offset,
                                         MemoryRegion *subregion, int priority);
void memory_region_del_subregion(MemoryRegion *mr, MemoryRegion *subregion);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
void memory_region_set_address(MemoryRegion *mr, hwaddr addr);
void memory_region_set_size(MemoryRegion *mr, uint64_t size);
void memory_region_set_alias_offset(MemoryRegion *mr, hwaddr offset);
void memory_region_set_readonly(MemoryRegion *mr, bool readonly);
void memory_region_rom_device_set_romd(MemoryRegion *mr, bool romd_mode);

static inline uint64_t memory_region_size(const MemoryRegion *mr)
{
    return mr->size;
}
static inline bool memory_region_is_ram(const MemoryRegion *mr)
{
    return mr->ram;
}
static inline bool memory_region_is_romd(const MemoryRegion *mr)
{
    return mr->rom_device && mr->romd_mode;
}
const char *memory_region_name(const MemoryRegion *mr);
/* Host pointer to the start of a RAM/ROM region (after aliases). */
void *memory_region_get_ram_ptr(MemoryRegion *mr);
ram_addr_t memory_region_get_ram_addr(MemoryRegion *mr);

/* Batch many changes into one flatten + one listener pass. */
void memory_region_transaction_begin(void);
void memory_region_transaction_commit(void);

/* Dispatch to a region's ops with splitting/widening (used by TCG's slow
 * path, KVM exits and the address-space accessors). *data holds the value
 * in guest CPU (little-endian) order, in the low size bytes. */
MemTxResult memory_region_dispatch_read(MemoryRegion *mr, hwaddr addr,
                                        uint64_t *data, unsigned size,
                                        MemTxAttrs attrs);
MemTxResult memory_region_dispatch_write(MemoryRegion *mr, hwaddr addr,
                                         uint64_t data, unsigned size,
                                         MemTxAttrs attrs);

/*
 * Work a device does outside its region callbacks (bottom halves, timers,
 * block/chardev completions) runs between these two so that its DMA cannot
 * re-enter it either.  begin returns the previous state for end (nesting is
 * allowed: a completion called from inside an MMIO callback stays guarded).
 */
static inline bool memory_reentrancy_guard_begin(MemReentrancyGuard *g)
{
    bool was = g->engaged_in_io;

    g->engaged_in_io = true;
    return was;
}
static inline void memory_reentrancy_guard_end(MemReentrancyGuard *g, bool was)
{
    g->engaged_in_io = was;
}

/* ---- dirty tracking (display, TCG code pages, migration) ---- */
#define DIRTY_MEMORY_VGA        0
#define DIRTY_MEMORY_CODE       1
#define DIRTY_MEMORY_MIGRATION  2
#define DIRTY_MEMORY_NUM        3
void memory_region_set_log(MemoryRegion *mr, bool log, unsigned client);
bool memory_region_test_and_clear_dirty(MemoryRegion *mr, hwaddr addr,
                                        hwaddr size, unsigned client);
void memory_region_set_dirty(MemoryRegion *mr, hwaddr addr, hwaddr size);

/* ---- address spaces ---- */
typedef struct FlatRange {
    MemoryRegion *mr;            /* the terminating region (aliases resolved) */
    hwaddr offset_in_region;
    hwaddr addr;                 /* start in the address space */
    uint64_t size;               /* bytes; never 0 */
    bool readonly;
    bool romd_mode;
} FlatRange;

struct FlatView {
    int ref;
    FlatRange *ranges;
    unsigned nr;
    MemoryRegion *root;
};

struct AddressSpace {
    char *name;
    MemoryRegion *root;
    FlatView *current_map;
    GSList *listeners;           /* sorted by priority */
    pthread_mutex_t map_lock;    /* protects current_map pointer swaps */
};

typedef struct MemoryRegionSection {
    MemoryRegion *mr;
    AddressSpace *as;
    hwaddr offset_within_region;
    hwaddr offset_within_address_space;
    uint64_t size;
    bool readonly;
} MemoryRegionSection;

struct MemoryListener {
    void (*begin)(MemoryListener *listener);
    void (*commit)(MemoryListener *listener);
    void (*region_add)(MemoryListener *listener, MemoryRegionSection *section);
    void (*region_del)(MemoryListener *listener, MemoryRegionSection *section);
    void (*region_nop)(MemoryListener *listener, MemoryRegionSection *section);
    void (*log_start)(MemoryListener *listener, MemoryRegionSection *section,
                      int old_mask, int new_mask);
    void (*log_stop)(MemoryListener *listener, MemoryRegionSection *section,
                     int old_mask, int new_mask);
    /* pull dirty bits from the accelerator (KVM) into the region */
    void (*log_sync)(MemoryListener *listener, MemoryRegionSection *section);
    int priority;               /* lower runs first on add, last on del */
    const char *name;
    AddressSpace *address_space;
};

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name);
void address_space_destroy(AddressSpace *as);
/* Register and replay: region_add is called for every current range. */
void memory_listener_register(MemoryListener *listener, AddressSpace *as);
void memory_listener_unregister(MemoryListener *listener);
/* Ask listeners with log_sync to refresh the dirty bits of mr. */
void memory_region_sync_dirty(MemoryRegion *mr);

FlatView *address_space_get_flatview(AddressSpace *as);   /* takes a ref */
void flatview_unref(FlatView *fv);
/* The range containing addr, or NULL. */
const FlatRange *flatview_lookup(FlatView *fv, hwaddr addr);

/*
 * Find what addr maps to: returns the terminating region (NULL if
 * unassigned), sets *xlat to the offset in it and clamps *plen to what is
 * contiguous there.  The region is valid while the big lock is held or the
 * caller holds a reference on the flat view.
 */
MemoryRegion *address_space_translate(AddressSpace *as, hwaddr addr,
                                      hwaddr *xlat, hwaddr *plen,
                                      bool is_write, MemTxAttrs attrs);

/* The same, also telling whether the path to it is read-only (a region
 * marked read-only or a read-only alias: writes must be dropped). */
MemoryRegion *address_space_translate_ro(AddressSpace *as, hwaddr addr,
                                         hwaddr *xlat, hwaddr *plen,
                                         bool is_write, MemTxAttrs attrs,
                                         bool *readonly);

MemTxResult address_space_rw(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                             void *buf, hwaddr len, bool is_write);
MemTxResult address_space_read(AddressSpace *as, hwaddr addr,
                               MemTxAttrs attrs, void *buf, hwaddr len);
MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                MemTxAttrs attrs, const void *buf, hwaddr len);
/* Write even to ROM (loaders, firmware images). */
MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr,
                                    MemTxAttrs attrs, const void *buf,
                                    hwaddr len);
MemTxResult address_space_set(AddressSpace *as, hwaddr addr, uint8_t c,
                              hwaddr len, MemTxAttrs attrs);
/* True if [addr, addr+len) is entirely accessible (RAM or devices). */
bool address_space_access_valid(AddressSpace *as, hwaddr addr, hwaddr len,
                                bool is_write, MemTxAttrs attrs);

/*
 * Zero-copy DMA.  Returns a host pointer for up to *plen bytes (clamped to
 * what is contiguous) or NULL if nothing accessible is mapped at addr.  For
 * non-RAM targets a single bounce buffer is used (map may then return NULL
 * while it is busy: retry after unmapping).  Always unmap with the length
 * actually accessed so dirty tracking and bounce write-back are correct.
 */
void *address_space_map(AddressSpace *as, hwaddr addr, hwaddr *plen,
                        bool is_write, MemTxAttrs attrs);
void address_space_unmap(AddressSpace *as, void *buffer, hwaddr len,
                         bool is_write, hwaddr access_len);

/* Fixed-size accessors; *result may be NULL. */
#define DECLARE_AS_LDST(sfx, type)                                          \
    type address_space_ld##sfx(AddressSpace *as, hwaddr addr,               \
                               MemTxAttrs attrs, MemTxResult *result);      \
    void address_space_st##sfx(AddressSpace *as, hwaddr addr, type val,    \
                               MemTxAttrs attrs, MemTxResult *result);
DECLARE_AS_LDST(ub, uint8_t)
DECLARE_AS_LDST(uw_le, uint16_t)
DECLARE_AS_LDST(l_le, uint32_t)
DECLARE_AS_LDST(q_le, uint64_t)
DECLARE_AS_LDST(uw_be, uint16_t)
DECLARE_AS_LDST(l_be, uint32_t)
DECLARE_AS_LDST(q_be, uint64_t)
#undef DECLARE_AS_LDST

/* ---- the machine's address spaces ---- */
MemoryRegion *get_system_memory(void);
MemoryRegion *get_system_io(void);
extern AddressSpace address_space_memory;
extern AddressSpace address_space_io;
/* Create the system memory/io roots and address spaces (main() calls it). */
void memory_map_init(void);

/* Debug: print the region tree and flat views ("info mtree"). */
void mtree_info(FILE *f, bool flatview);

#endif
