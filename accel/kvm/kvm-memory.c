/*
 * KVM memory slots, kept by a MemoryListener on address_space_memory.
 *
 * Each RAM range of the flat view becomes one slot (trimmed to whole
 * pages); ROM and ROM devices in ROMD mode become read-only slots
 * (KVM_MEM_READONLY: guest writes exit as MMIO and reach the device).
 * MMIO is never mapped: accesses exit with KVM_EXIT_MMIO.  A range that
 * changes (resize, split by an overlapping region) is announced by the
 * memory core as region_del + region_add, which is what KVM needs anyway:
 * a slot's address and size cannot change in place, only its flags.
 *
 * Dirty logging: log_start/log_stop flip KVM_MEM_LOG_DIRTY_PAGES on the
 * slots of the section; log_sync fetches KVM_GET_DIRTY_LOG (which also
 * clears the kernel's copy) and marks the pages dirty in the region.
 */
#include "turtle/osdep.h"
#include "accel/kvm/kvm-int.h"
#include "exec/ramblock.h"

#define KVM_PAGE_SIZE 4096ull

static KVMState *listener_state(MemoryListener *l)
{
    return container_of(l, KVMState, listener);
}

KVMSlot *kvm_slot_lookup(KVMState *s, uint64_t start_addr)
{
    for (int i = 0; i < s->nr_slots; i++) {
        if (s->slots[i].used && s->slots[i].start_addr == start_addr) {
            return &s->slots[i];
        }
    }
    return NULL;
}

static KVMSlot *slot_alloc(KVMState *s)
{
    for (int i = 0; i < s->nr_slots; i++) {
        if (!s->slots[i].used) {
            s->slots[i].slot = i;
            return &s->slots[i];
        }
    }
    return NULL;
}

static int slot_set(KVMState *s, KVMSlot *k, bool remove)
{
    struct kvm_userspace_memory_region mem = {
        .slot = k->slot,
        .flags = k->flags,
        .guest_phys_addr = k->start_addr,
        .memory_size = remove ? 0 : k->memory_size,
        .userspace_addr = (uintptr_t)k->ram,
    };

    return kvm_vm_ioctl(s, KVM_SET_USER_MEMORY_REGION, &mem);
}

/* The page-aligned part of a section, or false if there is none. */
static bool section_pages(MemoryRegionSection *sec, uint64_t *start,
                          uint64_t *size, hwaddr *delta)
{
    uint64_t a = sec->offset_within_address_space;
    uint64_t s = ROUND_UP(a, KVM_PAGE_SIZE);
    uint64_t e = (a + sec->size) & ~(KVM_PAGE_SIZE - 1);

    if (e <= s) {
        return false;
    }
    *start = s;
    *size = e - s;
    *delta = s - a;
    return true;
}

static bool section_is_mappable(MemoryRegionSection *sec)
{
    return memory_region_is_ram(sec->mr) || memory_region_is_romd(sec->mr);
}

static void kvm_region_add(MemoryListener *l, MemoryRegionSection *sec)
{
    KVMState *s = listener_state(l);
    uint64_t start, size;
    hwaddr delta;
    bool ro;
    KVMSlot *k;
    int r;

    if (!section_is_mappable(sec) || !section_pages(sec, &start, &size,
                                                    &delta)) {
        return;
    }
    ro = sec->readonly || sec->mr->readonly || memory_region_is_romd(sec->mr);
    if (ro && !s->readonly_mem) {
        if (!s->warned_no_rom) {
            warn_report("kvm: no KVM_CAP_READONLY_MEM: ROM at 0x%" PRIx64
                        " is mapped writable", start);
            s->warned_no_rom = true;
        }
        ro = false;
    }
    k = slot_alloc(s);
    if (!k) {
        error_report("kvm: out of memory slots (%d) mapping %s at 0x%"
                     PRIx64, s->nr_slots, memory_region_name(sec->mr), start);
        abort();
    }
    k->start_addr = start;
    k->memory_size = size;
    k->mr = sec->mr;
    k->offset_in_region = sec->offset_within_region + delta;
    k->ram = (uint8_t *)memory_region_get_ram_ptr(sec->mr) +
             k->offset_in_region;
    k->flags = (ro ? KVM_MEM_READONLY : 0) |
               (sec->mr->dirty_log_mask ? KVM_MEM_LOG_DIRTY_PAGES : 0);
    r = slot_set(s, k, false);
    if (r < 0) {
        error_report("kvm: KVM_SET_USER_MEMORY_REGION slot %u at 0x%" PRIx64
                     " size 0x%" PRIx64 " (%s): %s", k->slot, start, size,
                     memory_region_name(sec->mr), strerror(-r));
        abort();
    }
    k->used = true;
}

static void kvm_region_del(MemoryListener *l, MemoryRegionSection *sec)
{
    KVMState *s = listener_state(l);
    uint64_t start, size;
    hwaddr delta;
    KVMSlot *k;
    int r;

    if (!section_is_mappable(sec) || !section_pages(sec, &start, &size,
                                                    &delta)) {
        return;
    }
    k = kvm_slot_lookup(s, start);
    if (!k || k->memory_size != size) {
        return;
    }
    r = slot_set(s, k, true);
    if (r < 0) {
        error_report("kvm: removing slot %u at 0x%" PRIx64 ": %s", k->slot,
                     start, strerror(-r));
    }
    g_free(k->dirty_bmap);
    memset(k, 0, sizeof(*k));
}

/* Call fn for every slot inside the section. */
static void for_each_slot(KVMState *s, MemoryRegionSection *sec,
                          void (*fn)(KVMState *, KVMSlot *, void *),
                          void *opaque)
{
    uint64_t a = sec->offset_within_address_space, e = a + sec->size;

    for (int i = 0; i < s->nr_slots; i++) {
        KVMSlot *k = &s->slots[i];
        if (k->used && k->mr == sec->mr && k->start_addr >= a &&
            k->start_addr + k->memory_size <= e) {
            fn(s, k, opaque);
        }
    }
}

static void slot_set_log(KVMState *s, KVMSlot *k, void *opaque)
{
    bool on = *(bool *)opaque;
    uint32_t flags = on ? k->flags | KVM_MEM_LOG_DIRTY_PAGES
                        : k->flags & ~KVM_MEM_LOG_DIRTY_PAGES;
    int r;

    if (flags == k->flags) {
        return;
    }
    k->flags = flags;
    r = slot_set(s, k, false);
    if (r < 0) {
        error_report("kvm: dirty logging %s for slot %u: %s",
                     on ? "on" : "off", k->slot, strerror(-r));
    }
}

static void kvm_log_start(MemoryListener *l, MemoryRegionSection *sec,
                          int old_mask, int new_mask)
{
    bool on = true;

    if (old_mask == 0) {
        for_each_slot(listener_state(l), sec, slot_set_log, &on);
    }
}

static void kvm_log_stop(MemoryListener *l, MemoryRegionSection *sec,
                         int old_mask, int new_mask)
{
    bool on = false;

    if (new_mask == 0) {
        for_each_slot(listener_state(l), sec, slot_set_log, &on);
    }
}

static void slot_sync(KVMState *s, KVMSlot *k, void *opaque)
{
    uint64_t pages = k->memory_size / KVM_PAGE_SIZE;
    size_t longs = (pages + 63) / 64;
    struct kvm_dirty_log log = { .slot = k->slot };
    int r;

    if (!(k->flags & KVM_MEM_LOG_DIRTY_PAGES)) {
        return;
    }
    if (!k->dirty_bmap) {
        k->dirty_bmap = g_new0(unsigned long, longs);
    }
    memset(k->dirty_bmap, 0, longs * sizeof(unsigned long));
    log.dirty_bitmap = k->dirty_bmap;
    r = kvm_vm_ioctl(s, KVM_GET_DIRTY_LOG, &log);
    if (r < 0) {
        error_report("kvm: KVM_GET_DIRTY_LOG slot %u: %s", k->slot,
                     strerror(-r));
        return;
    }
    for (uint64_t p = 0; p < pages; p++) {
        if (k->dirty_bmap[p / 64] & (1ul << (p % 64))) {
            uint64_t first = p;
            while (p + 1 < pages &&
                   (k->dirty_bmap[(p + 1) / 64] & (1ul << ((p + 1) % 64)))) {
                p++;
            }
            memory_region_set_dirty(k->mr,
                                    k->offset_in_region + first *
                                    KVM_PAGE_SIZE,
                                    (p - first + 1) * KVM_PAGE_SIZE);
        }
    }
}

static void kvm_log_sync(MemoryListener *l, MemoryRegionSection *sec)
{
    for_each_slot(listener_state(l), sec, slot_sync, NULL);
}

void kvm_memory_listener_init(KVMState *s)
{
    s->listener = (MemoryListener) {
        .region_add = kvm_region_add,
        .region_del = kvm_region_del,
        .log_start = kvm_log_start,
        .log_stop = kvm_log_stop,
        .log_sync = kvm_log_sync,
        .priority = 10,
        .name = "kvm-memory",
    };
}

void kvm_memory_listener_register(KVMState *s, AddressSpace *as)
{
    memory_listener_register(&s->listener, as);
}
