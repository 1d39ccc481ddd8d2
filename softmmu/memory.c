/*
 * The memory region tree, flattening, listeners and access dispatch.
 * See include/exec/memory.h for the model.
 */
#include "turtle/osdep.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "turtle/log.h"
#include "hw/core/qdev.h"

static unsigned transaction_depth;
static bool memory_update_pending;
static GSList *address_spaces;

static MemoryRegion system_memory;
static MemoryRegion system_io;
AddressSpace address_space_memory;
AddressSpace address_space_io;

/* Last byte of [start, start + size), saturating at the top of the space. */
static uint64_t range_last(uint64_t start, uint64_t size)
{
    if (size == UINT64_MAX || start + (size - 1) < start) {
        return UINT64_MAX;
    }
    return start + size - 1;
}

/* ---- region initialisation ---- */

static void memory_region_init_common(MemoryRegion *mr, Object *owner,
                                      const char *name, uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->owner = owner;
    mr->name = g_strdup(name ? name : "anonymous");
    mr->size = size;
    mr->enabled = true;
}

void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size)
{
    memory_region_init_common(mr, owner, name, size);
    mr->is_container = true;
}

static uint64_t unassigned_read(void *opaque, hwaddr addr, unsigned size)
{
    return ~0ULL;
}

static void unassigned_write(void *opaque, hwaddr addr, uint64_t data,
                             unsigned size)
{
}

static const MemoryRegionOps unassigned_ops = {
    .read = unassigned_read,
    .write = unassigned_write,
    .valid.max_access_size = 8,
    .impl.max_access_size = 8,
    .valid.unaligned = true,
    .impl.unaligned = true,
};

/* Regions with callbacks share their owner device's re-entrancy guard. */
static MemReentrancyGuard *owner_reentrancy_guard(Object *owner)
{
    DeviceState *dev = owner ? (DeviceState *)object_dynamic_cast(owner,
                                                                TYPE_DEVICE)
                             : NULL;

    return dev ? &dev->mem_reentrancy_guard : NULL;
}

void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size)
{
    memory_region_init_common(mr, owner, name, size);
    mr->reentrancy_guard = owner_reentrancy_guard(owner);
    mr->ops = ops ? ops : &unassigned_ops;
    mr->opaque = opaque;
    mr->terminates = true;
}

bool memory_region_init_ram(MemoryRegion *mr, Object *owner, const char *name,
                            uint64_t size, Error **errp)
{
    memory_region_init_common(mr, owner, name, size);
    mr->ram = true;
    mr->terminates = true;
    mr->ram_block = qemu_ram_alloc(size, mr, errp);
    if (!mr->ram_block) {
        g_free(mr->name);
        mr->name = NULL;
        return false;
    }
    return true;
}

bool memory_region_init_rom(MemoryRegion *mr, Object *owner, const char *name,
                            uint64_t size, Error **errp)
{
    if (!memory_region_init_ram(mr, owner, name, size, errp)) {
        return false;
    }
    mr->readonly = true;
    return true;
}

bool memory_region_init_rom_device(MemoryRegion *mr, Object *owner,
                                   const MemoryRegionOps *ops, void *opaque,
                                   const char *name, uint64_t size,
                                   Error **errp)
{
    memory_region_init_common(mr, owner, name, size);
    mr->reentrancy_guard = owner_reentrancy_guard(owner);
    mr->ops = ops;
    mr->opaque = opaque;
    mr->rom_device = true;
    mr->romd_mode = true;
    mr->terminates = true;
    mr->ram_block = qemu_ram_alloc(size, mr, errp);
    return mr->ram_block != NULL;
}

void memory_region_init_ram_ptr(MemoryRegion *mr, Object *owner,
                                const char *name, uint64_t size, void *ptr)
{
    memory_region_init_common(mr, owner, name, size);
    mr->ram = true;
    mr->terminates = true;
    mr->ram_block = qemu_ram_alloc_from_ptr(size, ptr, mr);
}

void memory_region_init_alias(MemoryRegion *mr, Object *owner,
                              const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size)
{
    memory_region_init_common(mr, owner, name, size);
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_finalize(MemoryRegion *mr)
{
    if (!mr->name) {
        return;
    }
    memory_region_transaction_begin();
    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
    while (mr->subregions) {
        memory_region_del_subregion(mr, mr->subregions->data);
    }
    memory_region_transaction_commit();
    if (mr->ram_block) {
        qemu_ram_free(mr->ram_block);
        mr->ram_block = NULL;
    }
    g_free(mr->name);
    mr->name = NULL;
    mr->destroyed = true;
}

const char *memory_region_name(const MemoryRegion *mr)
{
    return mr->name;
}

void *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    hwaddr offset = 0;

    while (mr->alias) {
        offset += mr->alias_offset;
        mr = mr->alias;
    }
    g_assert(mr->ram_block);
    return mr->ram_block->host + offset;
}

ram_addr_t memory_region_get_ram_addr(MemoryRegion *mr)
{
    return mr->ram_block ? mr->ram_block->offset : RAM_ADDR_INVALID;
}

/* ---- composing ---- */

static void memory_region_update_pending(void)
{
    memory_update_pending = true;
    if (!transaction_depth) {
        memory_region_transaction_begin();
        memory_region_transaction_commit();
    }
}

static void memory_region_add_subregion_common(MemoryRegion *mr, hwaddr offset,
                                               MemoryRegion *sub)
{
    GList *l;

    g_assert(mr->is_container);
    g_assert(!sub->container);
    sub->container = mr;
    sub->addr = offset;
    for (l = mr->subregions; l; l = l->next) {
        MemoryRegion *other = l->data;
        if (sub->priority >= other->priority) {
            break;
        }
    }
    mr->subregions = g_list_insert_before(mr->subregions, l, sub);
    memory_region_update_pending();
}

void memory_region_add_subregion(MemoryRegion *mr, hwaddr offset,
                                 MemoryRegion *subregion)
{
    subregion->may_overlap = false;
    subregion->priority = 0;
    memory_region_add_subregion_common(mr, offset, subregion);
}

void memory_region_add_subregion_overlap(MemoryRegion *mr, hwaddr offset,
                                         MemoryRegion *subregion, int priority)
{
    subregion->may_overlap = true;
    subregion->priority = priority;
    memory_region_add_subregion_common(mr, offset, subregion);
}

void memory_region_del_subregion(MemoryRegion *mr, MemoryRegion *subregion)
{
    g_assert(subregion->container == mr);
    subregion->container = NULL;
    mr->subregions = g_list_remove(mr->subregions, subregion);
    memory_region_update_pending();
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled != enabled) {
        mr->enabled = enabled;
        memory_region_update_pending();
    }
}

void memory_region_set_address(MemoryRegion *mr, hwaddr addr)
{
    MemoryRegion *container = mr->container;

    if (addr == mr->addr) {
        return;
    }
    if (!container) {
        mr->addr = addr;
        return;
    }
    memory_region_transaction_begin();
    memory_region_del_subregion(container, mr);
    if (mr->may_overlap) {
        memory_region_add_subregion_overlap(container, addr, mr, mr->priority);
    } else {
        memory_region_add_subregion(container, addr, mr);
    }
    memory_region_transaction_commit();
}

void memory_region_set_size(MemoryRegion *mr, uint64_t size)
{
    if (mr->size != size) {
        g_assert(!mr->ram_block || size <= mr->ram_block->size);
        mr->size = size;
        memory_region_update_pending();
    }
}

void memory_region_set_alias_offset(MemoryRegion *mr, hwaddr offset)
{
    g_assert(mr->alias);
    if (mr->alias_offset != offset) {
        mr->alias_offset = offset;
        memory_region_update_pending();
    }
}

void memory_region_set_readonly(MemoryRegion *mr, bool readonly)
{
    if (mr->readonly != readonly) {
        mr->readonly = readonly;
        memory_region_update_pending();
    }
}

void memory_region_rom_device_set_romd(MemoryRegion *mr, bool romd_mode)
{
    g_assert(mr->rom_device);
    if (mr->romd_mode != romd_mode) {
        mr->romd_mode = romd_mode;
        memory_region_update_pending();
    }
}

/* ---- flattening ---- */

typedef struct FlatBuilder {
    GArray *ranges;   /* of FlatRange, sorted, non-overlapping */
} FlatBuilder;

/* Insert the parts of [start, last] not already covered (higher-priority
 * regions are rendered first, so they win). */
static void flat_insert_gaps(FlatBuilder *fb, MemoryRegion *mr,
                             hwaddr offset_in_region_at_start, uint64_t start,
                             uint64_t last, bool readonly)
{
    uint64_t cur = start;
    guint i = 0;

    while (i <= fb->ranges->len) {
        FlatRange *r = i < fb->ranges->len ?
                       &g_array_index(fb->ranges, FlatRange, i) : NULL;
        uint64_t gap_last;

        if (r && range_last(r->addr, r->size) < cur) {
            i++;
            continue;
        }
        /* the gap runs from cur up to the next range (or last) */
        if (r && r->addr <= cur) {
            uint64_t rl = range_last(r->addr, r->size);
            if (rl >= last) {
                return;
            }
            cur = rl + 1;
            i++;
            continue;
        }
        gap_last = r ? MIN(last, r->addr - 1) : last;
        {
            FlatRange nr = {
                .mr = mr,
                .offset_in_region = offset_in_region_at_start + (cur - start),
                .addr = cur,
                .size = gap_last - cur + 1,
                .readonly = readonly,
                .romd_mode = mr->romd_mode,
            };
            if (gap_last - cur == UINT64_MAX) {
                nr.size = UINT64_MAX;
            }
            g_array_insert_val(fb->ranges, i, nr);
            i++;
        }
        if (gap_last >= last) {
            return;
        }
        cur = gap_last + 1;
    }
}

/*
 * Render mr, whose offset 0 sits at address `base` of the address space,
 * clipped to [clip_start, clip_last].
 */
static void render_region(FlatBuilder *fb, MemoryRegion *mr, uint64_t base,
                          uint64_t clip_start, uint64_t clip_last,
                          bool readonly)
{
    uint64_t start, last;

    if (!mr->enabled || mr->size == 0) {
        return;
    }
    start = MAX(base, clip_start);
    last = MIN(range_last(base, mr->size), clip_last);
    if (base > clip_last || start > last) {
        return;
    }
    readonly |= mr->readonly;
    if (mr->alias) {
        render_region(fb, mr->alias, base - mr->alias_offset, start, last,
                      readonly);
        return;
    }
    for (GList *l = mr->subregions; l; l = l->next) {
        MemoryRegion *sub = l->data;
        render_region(fb, sub, base + sub->addr, start, last, readonly);
    }
    if (mr->terminates) {
        flat_insert_gaps(fb, mr, start - base, start, last, readonly);
    }
}

static bool flat_range_can_merge(const FlatRange *a, const FlatRange *b)
{
    return a->mr == b->mr && a->readonly == b->readonly &&
           a->romd_mode == b->romd_mode && a->size != UINT64_MAX &&
           a->addr + a->size == b->addr &&
           a->offset_in_region + a->size == b->offset_in_region;
}

static FlatView *generate_flatview(MemoryRegion *root)
{
    FlatBuilder fb = { .ranges = g_array_new(false, false, sizeof(FlatRange)) };
    FlatView *fv = g_new0(FlatView, 1);
    guint out = 0;

    if (root) {
        render_region(&fb, root, 0, 0, UINT64_MAX, false);
    }
    /* merge neighbours split by higher-priority regions that were removed */
    for (guint i = 0; i < fb.ranges->len; i++) {
        FlatRange *r = &g_array_index(fb.ranges, FlatRange, i);
        if (out && flat_range_can_merge(&g_array_index(fb.ranges, FlatRange,
                                                       out - 1), r)) {
            g_array_index(fb.ranges, FlatRange, out - 1).size += r->size;
            continue;
        }
        g_array_index(fb.ranges, FlatRange, out++) = *r;
    }
    fv->ref = 1;
    fv->nr = out;
    fv->root = root;
    fv->ranges = (FlatRange *)g_array_free(fb.ranges, false);
    return fv;
}

const FlatRange *flatview_lookup(FlatView *fv, hwaddr addr)
{
    unsigned lo = 0, hi = fv->nr;

    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const FlatRange *r = &fv->ranges[mid];

        if (addr < r->addr) {
            hi = mid;
        } else if (addr > range_last(r->addr, r->size)) {
            lo = mid + 1;
        } else {
            return r;
        }
    }
    return NULL;
}

FlatView *address_space_get_flatview(AddressSpace *as)
{
    FlatView *fv;

    pthread_mutex_lock(&as->map_lock);
    fv = as->current_map;
    g_atomic_int_inc(&fv->ref);
    pthread_mutex_unlock(&as->map_lock);
    return fv;
}

void flatview_unref(FlatView *fv)
{
    if (fv && g_atomic_int_dec_and_test(&fv->ref)) {
        g_free(fv->ranges);
        g_free(fv);
    }
}

/* ---- listeners ---- */

static void section_from_range(MemoryRegionSection *s, AddressSpace *as,
                               const FlatRange *r)
{
    s->mr = r->mr;
    s->as = as;
    s->offset_within_region = r->offset_in_region;
    s->offset_within_address_space = r->addr;
    s->size = r->size;
    s->readonly = r->readonly;
}

static bool flat_range_equal(const FlatRange *a, const FlatRange *b)
{
    return a->mr == b->mr && a->addr == b->addr && a->size == b->size &&
           a->offset_in_region == b->offset_in_region &&
           a->readonly == b->readonly && a->romd_mode == b->romd_mode;
}

static void listeners_call(AddressSpace *as, bool forward,
                           void (*call)(MemoryListener *, void *), void *arg)
{
    if (forward) {
        for (GSList *l = as->listeners; l; l = l->next) {
            call(l->data, arg);
        }
    } else {
        GSList *rev = g_slist_reverse(g_slist_copy(as->listeners));
        for (GSList *l = rev; l; l = l->next) {
            call(l->data, arg);
        }
        g_slist_free(rev);
    }
}

typedef struct SectionCall {
    MemoryRegionSection *section;
    int which;   /* 0 add, 1 del, 2 nop */
} SectionCall;

static void listener_section_cb(MemoryListener *ml, void *opaque)
{
    SectionCall *sc = opaque;
    void (*fn)(MemoryListener *, MemoryRegionSection *) =
        sc->which == 0 ? ml->region_add :
        sc->which == 1 ? ml->region_del : ml->region_nop;

    if (fn) {
        fn(ml, sc->section);
    }
}

static void listener_begin_cb(MemoryListener *ml, void *opaque)
{
    if (ml->begin) {
        ml->begin(ml);
    }
}

static void listener_commit_cb(MemoryListener *ml, void *opaque)
{
    if (ml->commit) {
        ml->commit(ml);
    }
}

static void as_notify_range(AddressSpace *as, const FlatRange *r, int which)
{
    MemoryRegionSection s;
    SectionCall sc = { .section = &s, .which = which };

    section_from_range(&s, as, r);
    listeners_call(as, which != 1, listener_section_cb, &sc);
}

/* Tell listeners what changed between old and new, removals first. */
static void address_space_update_topology(AddressSpace *as)
{
    FlatView *old = as->current_map;
    FlatView *new = generate_flatview(as->root);
    unsigned i, j;

    listeners_call(as, true, listener_begin_cb, NULL);
    for (int pass = 0; pass < 2; pass++) {
        i = j = 0;
        while (i < old->nr || j < new->nr) {
            const FlatRange *o = i < old->nr ? &old->ranges[i] : NULL;
            const FlatRange *n = j < new->nr ? &new->ranges[j] : NULL;

            if (o && n && flat_range_equal(o, n)) {
                if (pass == 1) {
                    as_notify_range(as, n, 2);
                }
                i++;
                j++;
            } else if (o && (!n || o->addr < n->addr ||
                             (o->addr == n->addr && pass == 0))) {
                if (pass == 0) {
                    as_notify_range(as, o, 1);
                }
                i++;
            } else {
                if (pass == 1) {
                    as_notify_range(as, n, 0);
                }
                j++;
            }
        }
    }
    pthread_mutex_lock(&as->map_lock);
    as->current_map = new;
    pthread_mutex_unlock(&as->map_lock);
    listeners_call(as, false, listener_commit_cb, NULL);
    flatview_unref(old);
}

void memory_region_transaction_begin(void)
{
    transaction_depth++;
}

void memory_region_transaction_commit(void)
{
    g_assert(transaction_depth > 0);
    if (--transaction_depth == 0 && memory_update_pending) {
        memory_update_pending = false;
        for (GSList *l = address_spaces; l; l = l->next) {
            address_space_update_topology(l->data);
        }
    }
}

static gint listener_cmp(gconstpointer a, gconstpointer b)
{
    const MemoryListener *la = a, *lb = b;
    return la->priority - lb->priority;
}

void memory_listener_register(MemoryListener *listener, AddressSpace *as)
{
    FlatView *fv;

    listener->address_space = as;
    as->listeners = g_slist_insert_sorted(as->listeners, listener, listener_cmp);
    fv = address_space_get_flatview(as);
    if (listener->begin) {
        listener->begin(listener);
    }
    for (unsigned i = 0; i < fv->nr; i++) {
        MemoryRegionSection s;
        section_from_range(&s, as, &fv->ranges[i]);
        if (listener->region_add) {
            listener->region_add(listener, &s);
        }
        if (listener->log_start && fv->ranges[i].mr->dirty_log_mask) {
            listener->log_start(listener, &s, 0, fv->ranges[i].mr->dirty_log_mask);
        }
    }
    if (listener->commit) {
        listener->commit(listener);
    }
    flatview_unref(fv);
}

void memory_listener_unregister(MemoryListener *listener)
{
    AddressSpace *as = listener->address_space;

    if (as) {
        as->listeners = g_slist_remove(as->listeners, listener);
        listener->address_space = NULL;
    }
}

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name)
{
    memset(as, 0, sizeof(*as));
    as->name = g_strdup(name);
    as->root = root;
    pthread_mutex_init(&as->map_lock, NULL);
    as->current_map = generate_flatview(root);
    address_spaces = g_slist_append(address_spaces, as);
}

void address_space_destroy(AddressSpace *as)
{
    address_spaces = g_slist_remove(address_spaces, as);
    g_slist_free(as->listeners);
    as->listeners = NULL;
    flatview_unref(as->current_map);
    as->current_map = NULL;
    g_free(as->name);
    pthread_mutex_destroy(&as->map_lock);
}

/* ---- dirty logging ---- */

typedef struct LogCall {
    MemoryRegion *mr;
    int old_mask, new_mask;
    int what;   /* 0 start, 1 stop, 2 sync */
} LogCall;

static void memory_region_log_notify(LogCall *lc)
{
    for (GSList *a = address_spaces; a; a = a->next) {
        AddressSpace *as = a->data;
        FlatView *fv = as->current_map;

        for (unsigned i = 0; i < fv->nr; i++) {
            MemoryRegionSection s;

            if (fv->ranges[i].mr != lc->mr) {
                continue;
            }
            section_from_range(&s, as, &fv->ranges[i]);
            for (GSList *l = as->listeners; l; l = l->next) {
                MemoryListener *ml = l->data;
                if (lc->what == 0 && ml->log_start) {
                    ml->log_start(ml, &s, lc->old_mask, lc->new_mask);
                } else if (lc->what == 1 && ml->log_stop) {
                    ml->log_stop(ml, &s, lc->old_mask, lc->new_mask);
                } else if (lc->what == 2 && ml->log_sync) {
                    ml->log_sync(ml, &s);
                }
            }
        }
    }
}

void memory_region_set_log(MemoryRegion *mr, bool log, unsigned client)
{
    LogCall lc = { .mr = mr, .old_mask = mr->dirty_log_mask };

    if (log) {
        mr->dirty_log_mask |= 1 << client;
    } else {
        mr->dirty_log_mask &= ~(1 << client);
    }
    lc.new_mask = mr->dirty_log_mask;
    if (lc.new_mask != lc.old_mask) {
        lc.what = log ? 0 : 1;
        memory_region_log_notify(&lc);
    }
}

void memory_region_sync_dirty(MemoryRegion *mr)
{
    LogCall lc = { .mr = mr, .what = 2 };
    memory_region_log_notify(&lc);
}

bool memory_region_test_and_clear_dirty(MemoryRegion *mr, hwaddr addr,
                                        hwaddr size, unsigned client)
{
    g_assert(mr->ram_block);
    return ram_dirty_test_and_clear(mr->ram_block->offset + addr, size, client);
}

void memory_region_set_dirty(MemoryRegion *mr, hwaddr addr, hwaddr size)
{
    g_assert(mr->ram_block);
    ram_dirty_set_range(mr->ram_block->offset + addr, size,
                        (1 << DIRTY_MEMORY_VGA) | (1 << DIRTY_MEMORY_MIGRATION));
}

/* ---- access dispatch ---- */

static bool memory_region_access_valid(MemoryRegion *mr, hwaddr addr,
                                       unsigned size, bool is_write,
                                       MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned min = ops->valid.min_access_size ? ops->valid.min_access_size : 1;
    unsigned max = ops->valid.max_access_size ? ops->valid.max_access_size : 4;

    if (!ops->valid.unaligned && (addr & (size - 1))) {
        tlog_mask(LOG_GUEST_ERROR, "Invalid %s at addr 0x%" HWADDR_PRIx
                  ", size %u, region '%s', reason: unaligned\n",
                  is_write ? "write" : "read", addr, size, mr->name);
        return false;
    }
    if (size < min || size > max) {
        tlog_mask(LOG_GUEST_ERROR, "Invalid %s at addr 0x%" HWADDR_PRIx
                  ", size %u, region '%s', reason: invalid size (min:%u max:%u)\n",
                  is_write ? "write" : "read", addr, size, mr->name, min, max);
        return false;
    }
    if (ops->valid.accepts &&
        !ops->valid.accepts(mr->opaque, addr, size, is_write, attrs)) {
        tlog_mask(LOG_GUEST_ERROR, "Invalid %s at addr 0x%" HWADDR_PRIx
                  ", size %u, region '%s', reason: rejected\n",
                  is_write ? "write" : "read", addr, size, mr->name);
        return false;
    }
    return true;
}

static bool device_is_big_endian(const MemoryRegion *mr)
{
    /* both guest CPUs are little-endian, so "native" means little */
    return mr->ops->endianness == DEVICE_BIG_ENDIAN;
}

static uint64_t swap_by_size(uint64_t v, unsigned size)
{
    switch (size) {
    case 2: return bswap16(v);
    case 4: return bswap32(v);
    case 8: return bswap64(v);
    default: return v;
    }
}

static MemTxResult region_read_one(MemoryRegion *mr, hwaddr addr, uint64_t *v,
                                   unsigned size, MemTxAttrs attrs)
{
    if (mr->ops->read_with_attrs) {
        return mr->ops->read_with_attrs(mr->opaque, addr, v, size, attrs);
    }
    *v = mr->ops->read ? mr->ops->read(mr->opaque, addr, size) : ~0ULL;
    return MEMTX_OK;
}

static MemTxResult region_write_one(MemoryRegion *mr, hwaddr addr, uint64_t v,
                                    unsigned size, MemTxAttrs attrs)
{
    if (mr->ops->write_with_attrs) {
        return mr->ops->write_with_attrs(mr->opaque, addr, v, size, attrs);
    }
    if (mr->ops->write) {
        mr->ops->write(mr->opaque, addr, v, size);
    }
    return MEMTX_OK;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/*
 * Access [addr, addr+size) through callbacks that implement accesses of
 * impl.min..impl.max bytes.  Values travel in device byte order here: for
 * a little-endian device byte i of the access is bits 8i..8i+7.
 */
static MemTxResult access_with_adjusted_size(MemoryRegion *mr, hwaddr addr,
                                             uint64_t *value, unsigned size,
                                             bool is_write, MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned imin = ops->impl.min_access_size ? ops->impl.min_access_size : 1;
    unsigned imax = ops->impl.max_access_size ? ops->impl.max_access_size : 4;
    bool big = device_is_big_endian(mr);
    unsigned access;
    hwaddr base, end;
    MemTxResult res = MEMTX_OK;
    uint64_t result = 0;

    access = MAX(MIN(size, imax), imin);
    if (access == size && (ops->impl.unaligned || !(addr & (size - 1)))) {
        if (is_write) {
            return region_write_one(mr, addr, *value & size_mask(size), size,
                                    attrs);
        }
        res = region_read_one(mr, addr, &result, size, attrs);
        *value = result & size_mask(size);
        return res;
    }
    /* cover [addr, addr+size) with naturally aligned accesses of `access` */
    base = ops->impl.unaligned ? addr : ROUND_DOWN(addr, access);
    end = addr + size;
    for (hwaddr a = base; a < end; a += access) {
        uint64_t part = 0;
        /* byte position of a relative to addr (may be negative) */
        int64_t pos = (int64_t)(a - addr);

        if (is_write) {
            uint64_t data = 0;
            /* gather the bytes of *value that fall into [a, a+access) */
            for (unsigned b = 0; b < access; b++) {
                int64_t vb = pos + b;   /* byte index in the access */
                if (vb < 0 || vb >= size) {
                    continue;
                }
                unsigned vshift = big ? (size - 1 - vb) * 8 : vb * 8;
                unsigned dshift = big ? (access - 1 - b) * 8 : b * 8;
                data |= ((*value >> vshift) & 0xff) << dshift;
            }
            /* Bytes outside the guest's access are written as zero, as a
             * bus would: devices needing byte writes say impl.min = 1. */
            res |= region_write_one(mr, a, data, access, attrs);
        } else {
            res |= region_read_one(mr, a, &part, access, attrs);
            for (unsigned b = 0; b < access; b++) {
                int64_t vb = pos + b;
                if (vb < 0 || vb >= size) {
                    continue;
                }
                unsigned vshift = big ? (size - 1 - vb) * 8 : vb * 8;
                unsigned dshift = big ? (access - 1 - b) * 8 : b * 8;
                result |= ((part >> dshift) & 0xff) << vshift;
            }
        }
    }
    if (!is_write) {
        *value = result;
    }
    return res;
}

static void trace_io(MemoryRegion *mr, hwaddr addr, uint64_t v, unsigned size,
                     bool is_write)
{
    tlog_mask(LOG_TRACE_IO, "%s %s addr 0x%" HWADDR_PRIx " size %u value 0x%"
              PRIx64 "\n", mr->name, is_write ? "write" : "read", addr, size, v);
}

/*
 * The owner device is already inside one of its callbacks or its own
 * work (MemReentrancyGuard): refuse, else engage the guard for this
 * access (the caller disengages it).
 */
static bool reentrancy_refused(MemoryRegion *mr, hwaddr addr, unsigned size,
                               bool is_write)
{
    MemReentrancyGuard *g = mr->reentrancy_guard;

    if (!g) {
        return false;
    }
    if (g->engaged_in_io) {
        tlog_mask(LOG_GUEST_ERROR, "re-entrant %s of region '%s' at 0x%"
                  HWADDR_PRIx " (size %u) while its device is busy: "
                  "refused\n", is_write ? "write" : "read", mr->name, addr,
                  size);
        return true;
    }
    g->engaged_in_io = true;
    return false;
}

MemTxResult memory_region_dispatch_read(MemoryRegion *mr, hwaddr addr,
                                        uint64_t *data, unsigned size,
                                        MemTxAttrs attrs)
{
    MemTxResult res;

    if (mr->ram_block && (mr->ram || memory_region_is_romd(mr))) {
        if (addr + size > mr->ram_block->size) {
            *data = size_mask(size);
            return MEMTX_DECODE_ERROR;
        }
        *data = ldn_le_p(mr->ram_block->host + addr, size);
        return MEMTX_OK;
    }
    if (!memory_region_access_valid(mr, addr, size, false, attrs)) {
        *data = size_mask(size);
        return MEMTX_ACCESS_ERROR;
    }
    if (reentrancy_refused(mr, addr, size, false)) {
        *data = size_mask(size);
        return MEMTX_ACCESS_ERROR;
    }
    res = access_with_adjusted_size(mr, addr, data, size, false, attrs);
    if (mr->reentrancy_guard) {
        mr->reentrancy_guard->engaged_in_io = false;
    }
    if (device_is_big_endian(mr)) {
        *data = swap_by_size(*data, size);
    }
    if (unlikely(turtle_loglevel_mask(LOG_TRACE_IO))) {
        trace_io(mr, addr, *data, size, false);
    }
    return res;
}

MemTxResult memory_region_dispatch_write(MemoryRegion *mr, hwaddr addr,
                                         uint64_t data, unsigned size,
                                         MemTxAttrs attrs)
{
    MemTxResult res;

    if (mr->ram) {
        if (addr + size > mr->ram_block->size) {
            return MEMTX_DECODE_ERROR;
        }
        if (mr->readonly) {
            tlog_mask(LOG_GUEST_ERROR, "write to ROM '%s' at 0x%" HWADDR_PRIx
                      " ignored\n", mr->name, addr);
            return MEMTX_OK;
        }
        ram_notify_write(mr->ram_block->offset + addr, size);
        stn_le_p(mr->ram_block->host + addr, size, data);
        /* again once stored: code translated from the old bytes meanwhile */
        ram_notify_write(mr->ram_block->offset + addr, size);
        return MEMTX_OK;
    }
    if (!memory_region_access_valid(mr, addr, size, true, attrs)) {
        return MEMTX_ACCESS_ERROR;
    }
    if (unlikely(turtle_loglevel_mask(LOG_TRACE_IO))) {
        trace_io(mr, addr, data, size, true);
    }
    if (device_is_big_endian(mr)) {
        data = swap_by_size(data, size);
    }
    if (reentrancy_refused(mr, addr, size, true)) {
        return MEMTX_ACCESS_ERROR;
    }
    res = access_with_adjusted_size(mr, addr, &data, size, true, attrs);
    if (mr->reentrancy_guard) {
        mr->reentrancy_guard->engaged_in_io = false;
    }
    return res;
}

/* ---- system address spaces ---- */

MemoryRegion *get_system_memory(void)
{
    return &system_memory;
}

MemoryRegion *get_system_io(void)
{
    return &system_io;
}

void memory_map_init(void)
{
    if (system_memory.name) {
        return;
    }
    memory_region_init(&system_memory, NULL, "system", UINT64_MAX);
    address_space_init(&address_space_memory, &system_memory, "memory");
    memory_region_init(&system_io, NULL, "io", 65536);
    address_space_init(&address_space_io, &system_io, "I/O");
}

/* ---- info mtree ----
 * The layout of QEMU's "info mtree" (scripts parse it): address spaces
 * sharing a root are listed together, subregions by address (the higher
 * priority first at the same address), containers shown as "i/o", an
 * alias with its target range, then each alias target's own tree as
 * "memory-region:".  With -f, each flat view once with the address spaces
 * that use it.
 */

static const char *mtree_kind(MemoryRegion *mr)
{
    while (mr->alias) {
        mr = mr->alias;
    }
    return mr->rom_device ? "romd" : mr->ram ? (mr->readonly ? "rom" : "ram")
                                            : "i/o";
}

static gint mtree_by_address(gconstpointer a, gconstpointer b)
{
    const MemoryRegion *x = a, *y = b;

    if (x->addr != y->addr) {
        return x->addr < y->addr ? -1 : 1;
    }
    return y->priority - x->priority;
}

static void mtree_print_mr(FILE *f, MemoryRegion *mr, unsigned level,
                           hwaddr base, GPtrArray *alias_targets)
{
    hwaddr start = base + mr->addr;
    GList *sorted;

    fprintf(f, "%*s%016" PRIx64 "-%016" PRIx64 " (prio %d, %s): ",
            level * 2, "", start, range_last(start, mr->size), mr->priority,
            mtree_kind(mr));
    if (mr->alias) {
        fprintf(f, "alias %s @%s %016" PRIx64 "-%016" PRIx64, mr->name,
                mr->alias->name, mr->alias_offset,
                range_last(mr->alias_offset, mr->size));
        if (!g_ptr_array_find(alias_targets, mr->alias, NULL)) {
            g_ptr_array_add(alias_targets, mr->alias);
        }
    } else {
        fprintf(f, "%s", mr->name);
    }
    fprintf(f, "%s\n", mr->enabled ? "" : " [disabled]");
    sorted = g_list_sort(g_list_copy(mr->subregions), mtree_by_address);
    for (GList *l = sorted; l; l = l->next) {
        mtree_print_mr(f, l->data, level + 1, start, alias_targets);
    }
    g_list_free(sorted);
}

static void mtree_print_flat(FILE *f, GPtrArray *spaces, unsigned n)
{
    AddressSpace *first = g_ptr_array_index(spaces, 0);
    FlatView *fv = address_space_get_flatview(first);

    fprintf(f, "FlatView #%u\n", n);
    for (guint i = 0; i < spaces->len; i++) {
        AddressSpace *as = g_ptr_array_index(spaces, i);
        fprintf(f, " AS \"%s\", root: %s\n", as->name,
                as->root ? as->root->name : "(none)");
    }
    fprintf(f, " Root memory region: %s\n",
            first->root ? first->root->name : "(none)");
    if (!fv->nr) {
        fprintf(f, "  No rendered FlatView\n");
    }
    for (unsigned i = 0; i < fv->nr; i++) {
        const FlatRange *r = &fv->ranges[i];

        fprintf(f, "  %016" PRIx64 "-%016" PRIx64 " (prio %d, %s%s): %s",
                r->addr, range_last(r->addr, r->size), r->mr->priority,
                mtree_kind(r->mr), r->readonly && r->mr->ram &&
                !r->mr->readonly ? " [ro]" : "", r->mr->name);
        if (r->offset_in_region) {
            fprintf(f, " @%016" PRIx64, r->offset_in_region);
        }
        fprintf(f, "\n");
    }
    fprintf(f, "\n");
    flatview_unref(fv);
}

void mtree_info(FILE *f, bool flatview)
{
    GPtrArray *alias_targets = g_ptr_array_new();
    GPtrArray *done = g_ptr_array_new();
    unsigned n = 0;

    /* address spaces with the same root: one tree (or flat view) */
    for (GSList *a = address_spaces; a; a = a->next) {
        AddressSpace *as = a->data;
        GPtrArray *group = g_ptr_array_new();

        if (g_ptr_array_find(done, as, NULL)) {
            g_ptr_array_free(group, true);
            continue;
        }
        for (GSList *b = a; b; b = b->next) {
            AddressSpace *other = b->data;
            if (other->root == as->root) {
                g_ptr_array_add(group, other);
                g_ptr_array_add(done, other);
            }
        }
        if (flatview) {
            mtree_print_flat(f, group, n++);
        } else {
            for (guint i = 0; i < group->len; i++) {
                fprintf(f, "address-space: %s\n",
                        ((AddressSpace *)g_ptr_array_index(group, i))->name);
            }
            if (as->root) {
                mtree_print_mr(f, as->root, 1, 0, alias_targets);
            }
            fprintf(f, "\n");
        }
        g_ptr_array_free(group, true);
    }
    /* the regions aliases point into (the list grows while printing) */
    for (guint i = 0; !flatview && i < alias_targets->len; i++) {
        MemoryRegion *mr = g_ptr_array_index(alias_targets, i);

        fprintf(f, "memory-region: %s\n", mr->name);
        mtree_print_mr(f, mr, 1, 0 - mr->addr, alias_targets);
        fprintf(f, "\n");
    }
    g_ptr_array_free(alias_targets, true);
    g_ptr_array_free(done, true);
}
