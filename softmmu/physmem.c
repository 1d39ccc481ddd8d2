/*
 * Guest RAM blocks, dirty bitmaps and the address-space accessors used by
 * DMA, loaders, the monitor and the CPUs' slow paths.
 */
#include "turtle/osdep.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "accel/accel.h"
#include "turtle/log.h"
#include <sys/mman.h>

#define BITS_PER_LONG (sizeof(unsigned long) * 8)

static GPtrArray *ram_blocks;          /* sorted by offset */
static ram_addr_t ram_next_offset;
static pthread_mutex_t ram_list_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- RAM blocks ---- */

static RAMBlock *ram_block_add(uint64_t size, void *host, bool owns,
                               MemoryRegion *mr)
{
    RAMBlock *rb = g_new0(RAMBlock, 1);
    uint64_t pages = DIV_ROUND_UP(size, TURTLE_PAGE_SIZE);
    size_t longs = DIV_ROUND_UP(pages, BITS_PER_LONG);

    rb->mr = mr;
    rb->host = host;
    rb->size = size;
    rb->owns_host = owns;
    g_strlcpy(rb->idstr, mr && mr->name ? mr->name : "ram", sizeof(rb->idstr));
    for (int c = 0; c < DIRTY_MEMORY_NUM; c++) {
        rb->dirty[c] = g_new(unsigned long, longs ? longs : 1);
        /* everything starts dirty: no code translated, all to migrate */
        memset(rb->dirty[c], 0xff, (longs ? longs : 1) * sizeof(unsigned long));
    }
    pthread_mutex_lock(&ram_list_lock);
    if (!ram_blocks) {
        ram_blocks = g_ptr_array_new();
    }
    /* keep ram_addr_t ranges page-aligned and separated */
    rb->offset = ram_next_offset;
    ram_next_offset += ROUND_UP(size, TURTLE_PAGE_SIZE) + TURTLE_PAGE_SIZE;
    g_ptr_array_add(ram_blocks, rb);
    pthread_mutex_unlock(&ram_list_lock);
    return rb;
}

RAMBlock *qemu_ram_alloc(uint64_t size, MemoryRegion *mr, Error **errp)
{
    void *host;
    size_t len = ROUND_UP(size ? size : 1, TURTLE_PAGE_SIZE);

    if (size > (1ULL << 47)) {
        error_setg(errp, "cannot allocate %" PRIu64 " bytes of guest RAM "
                   "for '%s': too large", size, mr && mr->name ? mr->name : "ram");
        return NULL;
    }
    /* anonymous, lazily backed; shared with KVM memory slots as-is */
    host = mmap(NULL, len, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (host == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot allocate %" PRIu64
                         " MiB of guest RAM for '%s'", size / MiB,
                         mr && mr->name ? mr->name : "ram");
        return NULL;
    }
#ifdef MADV_HUGEPAGE
    if (len >= 2 * MiB) {
        madvise(host, len, MADV_HUGEPAGE);
    }
#endif
    return ram_block_add(size, host, true, mr);
}

RAMBlock *qemu_ram_alloc_from_ptr(uint64_t size, void *host, MemoryRegion *mr)
{
    return ram_block_add(size, host, false, mr);
}

void qemu_ram_free(RAMBlock *rb)
{
    pthread_mutex_lock(&ram_list_lock);
    g_ptr_array_remove(ram_blocks, rb);
    pthread_mutex_unlock(&ram_list_lock);
    if (rb->owns_host) {
        munmap(rb->host, ROUND_UP(rb->size ? rb->size : 1, TURTLE_PAGE_SIZE));
    }
    for (int c = 0; c < DIRTY_MEMORY_NUM; c++) {
        g_free(rb->dirty[c]);
    }
    g_free(rb);
}

RAMBlock *qemu_ram_block_from_addr(ram_addr_t addr)
{
    RAMBlock *found = NULL;

    pthread_mutex_lock(&ram_list_lock);
    for (guint i = 0; ram_blocks && i < ram_blocks->len; i++) {
        RAMBlock *rb = g_ptr_array_index(ram_blocks, i);
        if (addr >= rb->offset && addr - rb->offset < rb->size) {
            found = rb;
            break;
        }
    }
    pthread_mutex_unlock(&ram_list_lock);
    return found;
}

RAMBlock *qemu_ram_block_from_host(void *ptr, ram_addr_t *offset_in_block)
{
    RAMBlock *found = NULL;
    uint8_t *p = ptr;

    pthread_mutex_lock(&ram_list_lock);
    for (guint i = 0; ram_blocks && i < ram_blocks->len; i++) {
        RAMBlock *rb = g_ptr_array_index(ram_blocks, i);
        if (p >= rb->host && (uint64_t)(p - rb->host) < rb->size) {
            found = rb;
            *offset_in_block = p - rb->host;
            break;
        }
    }
    pthread_mutex_unlock(&ram_list_lock);
    return found;
}

ram_addr_t qemu_ram_addr_from_host(void *ptr)
{
    ram_addr_t off;
    RAMBlock *rb = qemu_ram_block_from_host(ptr, &off);

    return rb ? rb->offset + off : RAM_ADDR_INVALID;
}

void *qemu_ram_ptr(ram_addr_t addr)
{
    RAMBlock *rb = qemu_ram_block_from_addr(addr);

    return rb ? rb->host + (addr - rb->offset) : NULL;
}

void qemu_ram_foreach_block(void (*fn)(RAMBlock *rb, void *opaque), void *opaque)
{
    for (guint i = 0; ram_blocks && i < ram_blocks->len; i++) {
        fn(g_ptr_array_index(ram_blocks, i), opaque);
    }
}

/* ---- dirty bitmaps ---- */

typedef bool (*PageBitFn)(unsigned long *map, uint64_t page, void *opaque);

/* Apply fn to each page of [start, start+length) in every block it spans. */
static bool ram_for_each_page(ram_addr_t start, ram_addr_t length,
                              unsigned client, PageBitFn fn, void *opaque,
                              bool stop_on_true)
{
    bool any = false;
    ram_addr_t end = start + length;

    if (!length) {
        return false;
    }
    while (start < end) {
        RAMBlock *rb = qemu_ram_block_from_addr(start);
        uint64_t first, last;

        if (!rb) {
            break;
        }
        first = (start - rb->offset) >> TURTLE_PAGE_BITS;
        last = (MIN(end, rb->offset + rb->size) - 1 - rb->offset) >> TURTLE_PAGE_BITS;
        for (uint64_t p = first; p <= last; p++) {
            if (fn(rb->dirty[client], p, opaque)) {
                any = true;
                if (stop_on_true) {
                    return true;
                }
            }
        }
        start = rb->offset + rb->size;
    }
    return any;
}

static inline unsigned long page_mask(uint64_t page)
{
    return 1UL << (page % BITS_PER_LONG);
}

static bool page_set(unsigned long *map, uint64_t page, void *opaque)
{
    unsigned long m = page_mask(page);
    unsigned long *w = &map[page / BITS_PER_LONG];

    if ((__atomic_load_n(w, __ATOMIC_RELAXED) & m) != m) {
        __atomic_fetch_or(w, m, __ATOMIC_SEQ_CST);
    }
    return false;
}

static bool page_clear(unsigned long *map, uint64_t page, void *opaque)
{
    __atomic_fetch_and(&map[page / BITS_PER_LONG], ~page_mask(page),
                       __ATOMIC_SEQ_CST);
    return false;
}

static bool page_test(unsigned long *map, uint64_t page, void *opaque)
{
    return __atomic_load_n(&map[page / BITS_PER_LONG], __ATOMIC_RELAXED) &
           page_mask(page);
}

static bool page_test_clear(unsigned long *map, uint64_t page, void *opaque)
{
    unsigned long old = __atomic_fetch_and(&map[page / BITS_PER_LONG],
                                           ~page_mask(page), __ATOMIC_SEQ_CST);
    return old & page_mask(page);
}

static bool page_test_clean(unsigned long *map, uint64_t page, void *opaque)
{
    return !page_test(map, page, opaque);
}

void ram_dirty_set_range(ram_addr_t start, ram_addr_t length, uint8_t clients)
{
    for (unsigned c = 0; c < DIRTY_MEMORY_NUM; c++) {
        if (clients & (1 << c)) {
            ram_for_each_page(start, length, c, page_set, NULL, false);
        }
    }
}

bool ram_dirty_get(ram_addr_t start, ram_addr_t length, unsigned client)
{
    return ram_for_each_page(start, length, client, page_test, NULL, true);
}

bool ram_dirty_all(ram_addr_t start, ram_addr_t length, unsigned client)
{
    return !ram_for_each_page(start, length, client, page_test_clean, NULL,
                              true);
}

bool ram_dirty_test_and_clear(ram_addr_t start, ram_addr_t length,
                              unsigned client)
{
    return ram_for_each_page(start, length, client, page_test_clear, NULL,
                             false);
}

void ram_dirty_clear_range(ram_addr_t start, ram_addr_t length, unsigned client)
{
    ram_for_each_page(start, length, client, page_clear, NULL, false);
}

void ram_notify_write(ram_addr_t start, ram_addr_t length)
{
    const AccelOps *accel = current_accel();

    if (accel && accel->ram_code_written &&
        !ram_dirty_all(start, length, DIRTY_MEMORY_CODE)) {
        accel->ram_code_written(start, length);
    }
    ram_dirty_set_range(start, length,
                        (1 << DIRTY_MEMORY_VGA) | (1 << DIRTY_MEMORY_MIGRATION) |
                        (1 << DIRTY_MEMORY_CODE));
}

/* ---- translation ---- */

MemoryRegion *address_space_translate(AddressSpace *as, hwaddr addr,
                                      hwaddr *xlat, hwaddr *plen,
                                      bool is_write, MemTxAttrs attrs)
{
    return address_space_translate_ro(as, addr, xlat, plen, is_write, attrs,
                                      NULL);
}

MemoryRegion *address_space_translate_ro(AddressSpace *as, hwaddr addr,
                                         hwaddr *xlat, hwaddr *plen,
                                         bool is_write, MemTxAttrs attrs,
                                         bool *readonly)
{
    FlatView *fv = address_space_get_flatview(as);
    const FlatRange *r = flatview_lookup(fv, addr);
    MemoryRegion *mr = NULL;

    if (readonly) {
        *readonly = false;
    }
    if (r) {
        hwaddr off = addr - r->addr;
        uint64_t avail = r->size == UINT64_MAX ? UINT64_MAX : r->size - off;

        mr = r->mr;
        if (readonly) {
            /* read-only through the path (e.g. a read-only alias of RAM,
             * as PC PAM segments are), not only the region itself */
            *readonly = r->readonly;
        }
        *xlat = r->offset_in_region + off;
        if (*plen > avail) {
            *plen = avail;
        }
    } else {
        /* clamp to the next mapped range so callers advance correctly */
        hwaddr next = UINT64_MAX;
        for (unsigned i = 0; i < fv->nr; i++) {
            if (fv->ranges[i].addr > addr) {
                next = fv->ranges[i].addr;
                break;
            }
        }
        *xlat = addr;
        if (next != UINT64_MAX && *plen > next - addr) {
            *plen = next - addr;
        }
    }
    flatview_unref(fv);
    return mr;
}

/* Largest power-of-two access <= len that addr's alignment allows (<= 8). */
static unsigned access_size_for(MemoryRegion *mr, hwaddr addr, hwaddr len)
{
    unsigned max = 8;
    unsigned l;

    if (mr->ops) {
        unsigned vmax = mr->ops->valid.max_access_size ?
                        mr->ops->valid.max_access_size : 4;
        max = MIN(max, vmax);
        if (!mr->ops->valid.unaligned && addr) {
            unsigned align = addr & -addr;
            max = MIN(max, align);
        }
    }
    l = 1;
    while (l * 2 <= max && l * 2 <= len) {
        l *= 2;
    }
    return l;
}

static MemTxResult as_access(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                             uint8_t *buf, hwaddr len, bool is_write,
                             bool force_rom)
{
    MemTxResult res = MEMTX_OK;

    while (len > 0) {
        hwaddr l = len, xlat;
        bool readonly;
        MemoryRegion *mr = address_space_translate_ro(as, addr, &xlat, &l,
                                                      is_write, attrs,
                                                      &readonly);
        if (!mr) {
            tlog_mask(LOG_GUEST_ERROR, "%s: unassigned %s at 0x%" HWADDR_PRIx
                      " (%" PRIu64 " bytes)\n", as->name,
                      is_write ? "write" : "read", addr, l);
            if (!is_write) {
                memset(buf, 0xff, l);
            }
            res |= MEMTX_DECODE_ERROR;
        } else if (mr->ram_block && (mr->ram || (!is_write && memory_region_is_romd(mr)) ||
                                     (force_rom && mr->rom_device))) {
            uint8_t *host = mr->ram_block->host + xlat;
            l = MIN(l, mr->ram_block->size - xlat);
            if (is_write) {
                if (readonly && !force_rom) {
                    tlog_mask(LOG_GUEST_ERROR, "write to ROM '%s' at 0x%"
                              HWADDR_PRIx " ignored\n", mr->name, addr);
                } else {
                    ram_notify_write(mr->ram_block->offset + xlat, l);
                    memcpy(host, buf, l);
                    /* again after the bytes landed: a vCPU may have
                     * translated the old bytes in between */
                    ram_notify_write(mr->ram_block->offset + xlat, l);
                }
            } else {
                memcpy(buf, host, l);
            }
        } else {
            /* device: one access at a time, as large as allowed */
            uint64_t v;
            l = access_size_for(mr, xlat, l);
            if (is_write) {
                v = ldn_le_p(buf, l);
                res |= memory_region_dispatch_write(mr, xlat, v, l, attrs);
            } else {
                res |= memory_region_dispatch_read(mr, xlat, &v, l, attrs);
                stn_le_p(buf, l, v);
            }
        }
        if (l == 0) {
            break;
        }
        buf += l;
        addr += l;
        len -= l;
    }
    return res;
}

MemTxResult address_space_rw(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                             void *buf, hwaddr len, bool is_write)
{
    return as_access(as, addr, attrs, buf, len, is_write, false);
}

MemTxResult address_space_read(AddressSpace *as, hwaddr addr,
                               MemTxAttrs attrs, void *buf, hwaddr len)
{
    return as_access(as, addr, attrs, buf, len, false, false);
}

MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                MemTxAttrs attrs, const void *buf, hwaddr len)
{
    return as_access(as, addr, attrs, (uint8_t *)buf, len, true, false);
}

MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr,
                                    MemTxAttrs attrs, const void *buf,
                                    hwaddr len)
{
    return as_access(as, addr, attrs, (uint8_t *)buf, len, true, true);
}

MemTxResult address_space_set(AddressSpace *as, hwaddr addr, uint8_t c,
                              hwaddr len, MemTxAttrs attrs)
{
    uint8_t chunk[512];
    MemTxResult res = MEMTX_OK;

    memset(chunk, c, sizeof(chunk));
    while (len) {
        hwaddr l = MIN(len, sizeof(chunk));
        res |= address_space_write(as, addr, attrs, chunk, l);
        addr += l;
        len -= l;
    }
    return res;
}

bool address_space_access_valid(AddressSpace *as, hwaddr addr, hwaddr len,
                                bool is_write, MemTxAttrs attrs)
{
    while (len > 0) {
        hwaddr l = len, xlat;
        MemoryRegion *mr = address_space_translate(as, addr, &xlat, &l,
                                                   is_write, attrs);
        if (!mr || l == 0) {
            return false;
        }
        if (addr + l < addr) {
            return len <= l;
        }
        addr += l;
        len -= l;
    }
    return true;
}

/* ---- zero-copy map ---- */

static struct {
    uint8_t *buffer;
    hwaddr addr;
    hwaddr len;
    AddressSpace *as;
    MemTxAttrs attrs;
    bool in_use;
} bounce;

void *address_space_map(AddressSpace *as, hwaddr addr, hwaddr *plen,
                        bool is_write, MemTxAttrs attrs)
{
    hwaddr l = *plen, xlat;
    MemoryRegion *mr;
    bool readonly;

    if (l == 0) {
        return NULL;
    }
    mr = address_space_translate_ro(as, addr, &xlat, &l, is_write, attrs,
                                    &readonly);
    if (!mr) {
        *plen = 0;
        return NULL;
    }
    if (mr->ram_block && mr->ram && !(is_write && readonly)) {
        l = MIN(l, mr->ram_block->size - xlat);
        *plen = l;
        return mr->ram_block->host + xlat;
    }
    /* not directly accessible: one bounce buffer, at most a page */
    if (bounce.in_use) {
        *plen = 0;
        return NULL;
    }
    l = MIN(l, TURTLE_PAGE_SIZE);
    bounce.buffer = g_malloc(l);
    bounce.addr = addr;
    bounce.len = l;
    bounce.as = as;
    bounce.attrs = attrs;
    bounce.in_use = true;
    if (!is_write) {
        address_space_read(as, addr, attrs, bounce.buffer, l);
    }
    *plen = l;
    return bounce.buffer;
}

void address_space_unmap(AddressSpace *as, void *buffer, hwaddr len,
                         bool is_write, hwaddr access_len)
{
    if (bounce.in_use && buffer == bounce.buffer) {
        if (is_write) {
            address_space_write(as, bounce.addr, bounce.attrs, bounce.buffer,
                                MIN(access_len, bounce.len));
        }
        g_free(bounce.buffer);
        bounce.buffer = NULL;
        bounce.in_use = false;
        return;
    }
    if (is_write && access_len) {
        ram_addr_t ra = qemu_ram_addr_from_host(buffer);
        if (ra != RAM_ADDR_INVALID) {
            /* the data is already written: invalidate code, mark dirty */
            ram_notify_write(ra, access_len);
        }
    }
}

/* ---- fixed-size accessors ---- */

#define DEFINE_AS_LDST(sfx, type, size, load, store)                         \
type address_space_ld##sfx(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,  \
                           MemTxResult *result)                              \
{                                                                            \
    uint8_t buf[size];                                                       \
    MemTxResult r = address_space_read(as, addr, attrs, buf, size);          \
    if (result) {                                                            \
        *result = r;                                                         \
    }                                                                        \
    return load(buf);                                                        \
}                                                                            \
void address_space_st##sfx(AddressSpace *as, hwaddr addr, type val,          \
                           MemTxAttrs attrs, MemTxResult *result)            \
{                                                                            \
    uint8_t buf[size];                                                       \
    MemTxResult r;                                                           \
    store(buf, val);                                                         \
    r = address_space_write(as, addr, attrs, buf, size);                     \
    if (result) {                                                            \
        *result = r;                                                         \
    }                                                                        \
}

DEFINE_AS_LDST(ub, uint8_t, 1, ldub_p, stb_p)
DEFINE_AS_LDST(uw_le, uint16_t, 2, ld16_le_p, st16_le_p)
DEFINE_AS_LDST(l_le, uint32_t, 4, ld32_le_p, st32_le_p)
DEFINE_AS_LDST(q_le, uint64_t, 8, ld64_le_p, st64_le_p)
DEFINE_AS_LDST(uw_be, uint16_t, 2, ld16_be_p, st16_be_p)
DEFINE_AS_LDST(l_be, uint32_t, 4, ld32_be_p, st32_be_p)
DEFINE_AS_LDST(q_be, uint64_t, 8, ld64_be_p, st64_be_p)
