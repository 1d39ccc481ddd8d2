/*
 * The softmmu TLB: per vCPU, per MMU index, a direct-mapped table the
 * generated code reads (layout in include/exec/tlb-common.h), an 8-entry
 * victim TLB, and the slow path for everything the fast path cannot do:
 * misses (TCGCPUOps.tlb_fill walks the guest page tables), MMIO (the
 * memory API, under the BQL), ROM writes, pages holding translated code
 * (invalidate, then store), misaligned and page-crossing accesses.
 *
 * Entries are target-page sized.  A page is "plain RAM" for the fast path
 * only if one RAM FlatRange covers it entirely; anything else is TLB_MMIO
 * and every access re-resolves its physical address through the address
 * space, so sub-page device regions and holes behave as on the bus.
 */
#include "internal.h"
#include "sysemu/main-loop.h"
#include "tcg/tcg-ldst.h"
#include "turtle/log.h"

#define TLB_ADDR_INVALID ((uint64_t)-1)

static inline vaddr page_of(vaddr addr)
{
    return addr & tcg_exec.page_mask;
}

static inline unsigned tlb_index(vaddr addr)
{
    return (addr >> tcg_exec.page_bits) & (CPU_TLB_SIZE - 1);
}

static inline CPUTLBEntry *tlb_entry(CPUState *cpu, int mmu_idx, vaddr addr)
{
    return &cpu->neg_ptr->tlb.f[mmu_idx].table[tlb_index(addr)];
}

static inline uint64_t tlb_read_addr(const CPUTLBEntry *e, MMUAccessType t)
{
    switch (t) {
    case MMU_DATA_LOAD:
        return e->addr_read;
    case MMU_DATA_STORE:
        return __atomic_load_n(&e->addr_write, __ATOMIC_RELAXED);
    default:
        return e->addr_code;
    }
}

/* Does the comparator tlb_addr match the page of addr (flags aside)? */
static inline bool tlb_hit(uint64_t tlb_addr, vaddr addr)
{
    return page_of(addr) == (tlb_addr & (tcg_exec.page_mask | TLB_INVALID_MASK));
}

static inline bool tlb_entry_hits_page(const CPUTLBEntry *e, vaddr page)
{
    return tlb_hit(e->addr_read, page) || tlb_hit(e->addr_write, page) ||
           tlb_hit(e->addr_code, page);
}

static inline bool tlb_entry_is_empty(const CPUTLBEntry *e)
{
    return e->addr_read == TLB_ADDR_INVALID && e->addr_write == TLB_ADDR_INVALID &&
           e->addr_code == TLB_ADDR_INVALID;
}

/* ------------------------------------------------------------------ */
/* Set-up                                                               */

static void tcg_listener_commit(MemoryListener *l)
{
    AccelCPUState *a = container_of(l, AccelCPUState, listener);
    CPUState *cpu;

    /* the memory map changed: every cached translation may be stale */
    CPU_FOREACH(cpu) {
        if (cpu->accel == a) {
            tlb_flush(cpu);
        }
    }
}

void tlb_init(CPUState *cpu)
{
    AccelCPUState *a;
    unsigned i;

    if (cpu->accel) {
        return;
    }
    a = g_new0(AccelCPUState, 1);
    a->ops = CPU_GET_CLASS(cpu)->tcg_ops;
    pthread_mutex_init(&a->tlb_lock, NULL);
    for (i = 0; i < TCG_MAX_MMU_MODES; i++) {
        a->tables[i] = g_new(CPUTLBEntry, CPU_TLB_SIZE);
        memset(a->tables[i], 0xff, sizeof(CPUTLBEntry) * CPU_TLB_SIZE);
        memset(a->d[i].vtable, 0xff, sizeof(a->d[i].vtable));
        a->d[i].large_page_addr = -1;
        cpu->neg_ptr->tlb.f[i].table = a->tables[i];
        cpu->neg_ptr->tlb.f[i].mask =
            (uintptr_t)(CPU_TLB_SIZE - 1) << CPU_TLB_ENTRY_BITS;
    }
    cpu->accel = a;
    if (!tcg_exec.env_offset) {
        tcg_exec.env_offset = (char *)cpu->env_ptr - (char *)cpu;
    }
    g_assert(tcg_exec.env_offset == (char *)cpu->env_ptr - (char *)cpu);
    if (cpu->as) {
        a->listener.commit = tcg_listener_commit;
        a->listener.name = "tcg-tlb";
        a->listener.priority = 100;
        memory_listener_register(&a->listener, cpu->as);
        a->listener_registered = true;
    }
}

void tlb_destroy(CPUState *cpu)
{
    AccelCPUState *a = cpu->accel;
    unsigned i;

    if (!a) {
        return;
    }
    if (a->listener_registered) {
        memory_listener_unregister(&a->listener);
    }
    for (i = 0; i < TCG_MAX_MMU_MODES; i++) {
        cpu->neg_ptr->tlb.f[i].table = NULL;
        cpu->neg_ptr->tlb.f[i].mask = 0;
        g_free(a->tables[i]);
    }
    pthread_mutex_destroy(&a->tlb_lock);
    cpu->accel = NULL;
    g_free(a);
}

/* ------------------------------------------------------------------ */
/* Flushing                                                             */

static void tlb_flush_one_mmuidx_locked(CPUState *cpu, int mmu_idx)
{
    AccelCPUState *a = cpu->accel;

    memset(a->tables[mmu_idx], 0xff, sizeof(CPUTLBEntry) * CPU_TLB_SIZE);
    memset(a->d[mmu_idx].vtable, 0xff, sizeof(a->d[mmu_idx].vtable));
    a->d[mmu_idx].large_page_addr = -1;
    a->d[mmu_idx].large_page_mask = 0;
}

static void tlb_flush_by_mmuidx_now(CPUState *cpu, uint16_t idxmap)
{
    AccelCPUState *a = cpu->accel;
    unsigned i;

    if (!a) {
        return;
    }
    pthread_mutex_lock(&a->tlb_lock);
    for (i = 0; i < tcg_exec.nb_mmu_modes; i++) {
        if (idxmap & (1u << i)) {
            tlb_flush_one_mmuidx_locked(cpu, i);
        }
    }
    a->tlb_flush_count++;
    pthread_mutex_unlock(&a->tlb_lock);
    /* the jump cache is keyed by virtual pc: it depends on the mapping */
    tb_jmp_cache_clear(cpu);
    __atomic_fetch_add(&tcg_stats.tlb_flushes, 1, __ATOMIC_RELAXED);
}

static void tlb_flush_page_locked(CPUState *cpu, int mmu_idx, vaddr page)
{
    CPUTLBDesc *d = &cpu->accel->d[mmu_idx];
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, page);
    unsigned k;

    if (d->large_page_addr != (vaddr)-1 &&
        (page & d->large_page_mask) == d->large_page_addr) {
        /* part of a large mapping: we do not know its other entries */
        tlb_flush_one_mmuidx_locked(cpu, mmu_idx);
        return;
    }
    if (tlb_entry_hits_page(e, page)) {
        memset(e, 0xff, sizeof(*e));
    }
    for (k = 0; k < CPU_VTLB_SIZE; k++) {
        if (tlb_entry_hits_page(&d->vtable[k], page)) {
            memset(&d->vtable[k], 0xff, sizeof(d->vtable[k]));
        }
    }
}

static void tlb_flush_range_now(CPUState *cpu, vaddr addr, vaddr len,
                                uint16_t idxmap)
{
    AccelCPUState *a = cpu->accel;
    vaddr page = page_of(addr);
    vaddr npages;
    unsigned i;

    if (!a) {
        return;
    }
    npages = len ? ((addr + len - 1 - page) >> tcg_exec.page_bits) + 1 : 1;
    if (npages > CPU_TLB_SIZE) {
        tlb_flush_by_mmuidx_now(cpu, idxmap);
        return;
    }
    pthread_mutex_lock(&a->tlb_lock);
    for (i = 0; i < tcg_exec.nb_mmu_modes; i++) {
        vaddr n;

        if (!(idxmap & (1u << i))) {
            continue;
        }
        for (n = 0; n < npages; n++) {
            tlb_flush_page_locked(cpu, i, page + (n << tcg_exec.page_bits));
        }
    }
    pthread_mutex_unlock(&a->tlb_lock);
    /* TBs for pcs on those pages (or ending there) must be looked up again */
    for (vaddr n = 0; n <= npages; n++) {
        tb_jmp_cache_clear_page(cpu, page + ((n - 1) << tcg_exec.page_bits));
    }
}

typedef struct TLBFlushRange {
    vaddr addr;
    vaddr len;
    uint16_t idxmap;
} TLBFlushRange;

static void tlb_flush_by_mmuidx_work(CPUState *cpu, run_on_cpu_data d)
{
    tlb_flush_by_mmuidx_now(cpu, d.host_int);
}

static void tlb_flush_range_work(CPUState *cpu, run_on_cpu_data d)
{
    TLBFlushRange *r = d.host_ptr;

    tlb_flush_range_now(cpu, r->addr, r->len, r->idxmap);
    g_free(r);
}

static inline uint16_t all_mmuidx(void)
{
    return (uint16_t)((1u << tcg_exec.nb_mmu_modes) - 1);
}

/* Run on cpu's thread now if we are it (or it has none), else queue. */
static bool tlb_flush_is_local(CPUState *cpu)
{
    return qemu_cpu_is_self(cpu) || !cpu->thread_created;
}

void tlb_flush_by_mmuidx(CPUState *cpu, uint16_t idxmap)
{
    if (!cpu->accel) {
        return;
    }
    if (tlb_flush_is_local(cpu)) {
        tlb_flush_by_mmuidx_now(cpu, idxmap);
    } else {
        async_run_on_cpu(cpu, tlb_flush_by_mmuidx_work,
                         RUN_ON_CPU_HOST_INT(idxmap));
    }
}

void tlb_flush(CPUState *cpu)
{
    tlb_flush_by_mmuidx(cpu, all_mmuidx());
}

void tlb_flush_range_by_mmuidx(CPUState *cpu, vaddr addr, vaddr len,
                               uint16_t idxmap)
{
    TLBFlushRange *r;

    if (!cpu->accel) {
        return;
    }
    if (tlb_flush_is_local(cpu)) {
        tlb_flush_range_now(cpu, addr, len, idxmap);
        return;
    }
    r = g_new(TLBFlushRange, 1);
    r->addr = addr;
    r->len = len;
    r->idxmap = idxmap;
    async_run_on_cpu(cpu, tlb_flush_range_work, RUN_ON_CPU_HOST_PTR(r));
}

void tlb_flush_page_by_mmuidx(CPUState *cpu, vaddr addr, uint16_t idxmap)
{
    tlb_flush_range_by_mmuidx(cpu, addr, 1, idxmap);
}

void tlb_flush_page(CPUState *cpu, vaddr addr)
{
    tlb_flush_range_by_mmuidx(cpu, addr, 1, all_mmuidx());
}

/*
 * Broadcast: the source flushes at once; every other vCPU gets the flush
 * queued as exclusive work, so it has happened before any of them (the
 * source included, which start_exclusive kicks out) runs guest code again.
 */
static void tlb_flush_range_safe_work(CPUState *cpu, run_on_cpu_data d)
{
    tlb_flush_range_work(cpu, d);
}

static void tlb_broadcast_range(CPUState *src, vaddr addr, vaddr len,
                                uint16_t idxmap, bool whole)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        if (cpu == src || !cpu->accel) {
            continue;
        }
        if (!cpu->thread_created) {
            if (whole) {
                tlb_flush_by_mmuidx_now(cpu, idxmap);
            } else {
                tlb_flush_range_now(cpu, addr, len, idxmap);
            }
        } else if (whole) {
            async_safe_run_on_cpu(cpu, tlb_flush_by_mmuidx_work,
                                  RUN_ON_CPU_HOST_INT(idxmap));
        } else {
            TLBFlushRange *r = g_new(TLBFlushRange, 1);

            r->addr = addr;
            r->len = len;
            r->idxmap = idxmap;
            async_safe_run_on_cpu(cpu, tlb_flush_range_safe_work,
                                  RUN_ON_CPU_HOST_PTR(r));
        }
    }
    if (whole) {
        tlb_flush_by_mmuidx_now(src, idxmap);
    } else {
        tlb_flush_range_now(src, addr, len, idxmap);
    }
}

void tlb_flush_all_cpus_synced(CPUState *src)
{
    tlb_broadcast_range(src, 0, 0, all_mmuidx(), true);
}

void tlb_flush_by_mmuidx_all_cpus_synced(CPUState *src, uint16_t idxmap)
{
    tlb_broadcast_range(src, 0, 0, idxmap, true);
}

void tlb_flush_page_all_cpus_synced(CPUState *src, vaddr addr)
{
    tlb_broadcast_range(src, addr, 1, all_mmuidx(), false);
}

void tlb_flush_page_by_mmuidx_all_cpus_synced(CPUState *src, vaddr addr,
                                              uint16_t idxmap)
{
    tlb_broadcast_range(src, addr, 1, idxmap, false);
}

void tlb_flush_range_by_mmuidx_all_cpus_synced(CPUState *src, vaddr addr,
                                               vaddr len, uint16_t idxmap)
{
    tlb_broadcast_range(src, addr, len, idxmap, false);
}

/* ------------------------------------------------------------------ */
/* Code protection                                                      */

static void tlb_notdirty_entry(CPUTLBEntry *e, const CPUTLBEntryFull *f,
                               ram_addr_t ram_page)
{
    uint64_t w = e->addr_write;

    if (w != TLB_ADDR_INVALID && !(w & (TLB_MMIO | TLB_INVALID_MASK)) &&
        f->ram_addr == ram_page) {
        __atomic_store_n(&e->addr_write, w | TLB_NOTDIRTY, __ATOMIC_RELAXED);
    }
}

void tlb_protect_code_page(ram_addr_t ram_page)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        AccelCPUState *a = cpu->accel;
        unsigned i, k;

        if (!a) {
            continue;
        }
        pthread_mutex_lock(&a->tlb_lock);
        for (i = 0; i < tcg_exec.nb_mmu_modes; i++) {
            for (k = 0; k < CPU_TLB_SIZE; k++) {
                tlb_notdirty_entry(&a->tables[i][k], &a->d[i].fulltlb[k],
                                   ram_page);
            }
            for (k = 0; k < CPU_VTLB_SIZE; k++) {
                tlb_notdirty_entry(&a->d[i].vtable[k], &a->d[i].vfulltlb[k],
                                   ram_page);
            }
        }
        pthread_mutex_unlock(&a->tlb_lock);
    }
}

/* The page of addr has no code any more: let writes take the fast path. */
static void tlb_set_dirty(CPUState *cpu, vaddr addr)
{
    AccelCPUState *a = cpu->accel;
    vaddr page = page_of(addr);
    unsigned i, k;

    pthread_mutex_lock(&a->tlb_lock);
    for (i = 0; i < tcg_exec.nb_mmu_modes; i++) {
        CPUTLBEntry *e = tlb_entry(cpu, i, page);

        if (e->addr_write == (page | TLB_NOTDIRTY)) {
            e->addr_write = page;
        }
        for (k = 0; k < CPU_VTLB_SIZE; k++) {
            e = &a->d[i].vtable[k];
            if (e->addr_write == (page | TLB_NOTDIRTY)) {
                e->addr_write = page;
            }
        }
    }
    pthread_mutex_unlock(&a->tlb_lock);
}

/* ------------------------------------------------------------------ */
/* Filling                                                              */

static void tlb_add_large_page(CPUTLBDesc *d, vaddr page, uint64_t size)
{
    vaddr lp_mask = ~(vaddr)(size - 1);

    if (d->large_page_addr != (vaddr)-1) {
        /* widen the single tracked range until it covers both */
        lp_mask &= d->large_page_mask;
        while (((d->large_page_addr ^ page) & lp_mask) != 0) {
            lp_mask <<= 1;
        }
    }
    d->large_page_addr = page & lp_mask;
    d->large_page_mask = lp_mask;
}

void tlb_set_page_with_attrs(CPUState *cpu, vaddr addr, hwaddr paddr,
                             MemTxAttrs attrs, int prot, int mmu_idx,
                             uint64_t size)
{
    AccelCPUState *a = cpu->accel;
    CPUTLBDesc *d = &a->d[mmu_idx];
    vaddr page = page_of(addr);
    hwaddr ppage = paddr & tcg_exec.page_mask;
    AddressSpace *as = cpu->as ? cpu->as : &address_space_memory;
    CPUTLBEntryFull full = { 0 };
    CPUTLBEntry ent;
    FlatView *fv;
    const FlatRange *r;
    unsigned idx = tlb_index(page);
    uint64_t io_flags = TLB_MMIO;
    uint64_t write_flags = 0;
    uintptr_t host = 0;

    g_assert(mmu_idx >= 0 && (unsigned)mmu_idx < tcg_exec.nb_mmu_modes);
    if (size < tcg_exec.page_size) {
        size = tcg_exec.page_size;
    }

    full.paddr = ppage;
    full.attrs = attrs;
    full.prot = prot;
    full.ram_addr = RAM_ADDR_INVALID;
    full.lg_page_size = ctz64(size);

    fv = address_space_get_flatview(as);
    r = flatview_lookup(fv, ppage);
    if (r && r->mr->ram_block && r->addr <= ppage &&
        ppage + tcg_exec.page_size - 1 <= r->addr + (r->size - 1) &&
        (r->mr->ram || r->romd_mode)) {
        MemoryRegion *mr = r->mr;
        hwaddr off = r->offset_in_region + (ppage - r->addr);

        io_flags = 0;
        full.mr = mr;
        full.mr_offset = off;
        full.ram_addr = memory_region_get_ram_addr(mr) + off;
        host = (uintptr_t)memory_region_get_ram_ptr(mr) + off;
        if (!mr->ram) {
            write_flags = TLB_MMIO;            /* ROM device: writes to ops */
        } else if (r->readonly || mr->readonly) {
            write_flags = TLB_DISCARD_WRITE;   /* ROM */
        } else if (mr->dirty_log_mask & ~(1u << DIRTY_MEMORY_CODE)) {
            write_flags = TLB_NOTDIRTY;        /* display/migration log */
        }
        /* whether it holds code is decided under tlb_lock, see below */
    } else if (r) {
        full.mr = r->mr;
        full.mr_offset = r->offset_in_region + (ppage - r->addr);
    }
    flatview_unref(fv);

    ent.addr_read = (prot & PAGE_READ) ? (page | io_flags) : TLB_ADDR_INVALID;
    ent.addr_code = (prot & PAGE_EXEC) ? (page | io_flags) : TLB_ADDR_INVALID;
    ent.addr_write = (prot & PAGE_WRITE) ? (page | io_flags | write_flags)
                                         : TLB_ADDR_INVALID;
    ent.addend = io_flags ? 0 : host - page;
    /* a watched page: every data access takes the slow path */
    if (tcg_watchpoint_in_page(page, tcg_exec.page_size)) {
        if (ent.addr_read != TLB_ADDR_INVALID) {
            ent.addr_read |= TLB_WATCHPOINT;
        }
        if (ent.addr_write != TLB_ADDR_INVALID) {
            ent.addr_write |= TLB_WATCHPOINT;
        }
    }
#if UINTPTR_MAX == UINT32_MAX
    ent.pad = 0;
#endif

    pthread_mutex_lock(&a->tlb_lock);
    /*
     * A translator clears the page's code bit before it marks the TLBs
     * (under each tlb_lock): testing the bit under ours means either we
     * see it clear, or our entry is in place when it scans.
     */
    if (ent.addr_write != TLB_ADDR_INVALID && !io_flags &&
        !(ent.addr_write & (TLB_DISCARD_WRITE | TLB_MMIO)) &&
        !ram_dirty_get(full.ram_addr, tcg_exec.page_size, DIRTY_MEMORY_CODE)) {
        ent.addr_write |= TLB_NOTDIRTY;      /* holds translated code */
    }
    if (size > tcg_exec.page_size) {
        tlb_add_large_page(d, page, size);
    }
    /* drop stale copies of this page from the victim TLB */
    for (unsigned k = 0; k < CPU_VTLB_SIZE; k++) {
        if (tlb_entry_hits_page(&d->vtable[k], page)) {
            memset(&d->vtable[k], 0xff, sizeof(d->vtable[k]));
        }
    }
    {
        CPUTLBEntry *old = &a->tables[mmu_idx][idx];

        if (!tlb_entry_is_empty(old) && !tlb_entry_hits_page(old, page)) {
            unsigned v = d->vindex++ % CPU_VTLB_SIZE;

            d->vtable[v] = *old;
            d->vfulltlb[v] = d->fulltlb[idx];
        }
        d->fulltlb[idx] = full;
        *old = ent;
    }
    pthread_mutex_unlock(&a->tlb_lock);
}

void tlb_set_page(CPUState *cpu, vaddr addr, hwaddr paddr, int prot,
                  int mmu_idx, uint64_t size)
{
    tlb_set_page_with_attrs(cpu, addr, paddr, MEMTXATTRS_UNSPECIFIED, prot,
                            mmu_idx, size);
}

/* Look in the victim TLB; on a hit swap the entry into the main table. */
static bool victim_tlb_hit(CPUState *cpu, int mmu_idx, vaddr addr,
                           MMUAccessType type)
{
    AccelCPUState *a = cpu->accel;
    CPUTLBDesc *d = &a->d[mmu_idx];
    unsigned idx = tlb_index(addr);
    unsigned k;

    for (k = 0; k < CPU_VTLB_SIZE; k++) {
        if (tlb_hit(tlb_read_addr(&d->vtable[k], type), addr)) {
            CPUTLBEntry tmp, *e = &a->tables[mmu_idx][idx];
            CPUTLBEntryFull tf;

            pthread_mutex_lock(&a->tlb_lock);
            tmp = d->vtable[k];
            d->vtable[k] = *e;
            *e = tmp;
            tf = d->vfulltlb[k];
            d->vfulltlb[k] = d->fulltlb[idx];
            d->fulltlb[idx] = tf;
            pthread_mutex_unlock(&a->tlb_lock);
            __atomic_fetch_add(&tcg_stats.victim_hits, 1, __ATOMIC_RELAXED);
            return true;
        }
    }
    return false;
}

/*
 * Make sure the TLB maps addr for type; returns the entry's flags
 * (TLB_INVALID_MASK if not mapped and nonfault), *phost the host address
 * (NULL unless plain RAM or a page with only TLB_NOTDIRTY/discard), *pfull
 * the slow-path data.
 */
static int probe_access_internal(CPUState *cpu, vaddr addr, int size,
                                 MMUAccessType type, int mmu_idx,
                                 bool nonfault, void **phost,
                                 CPUTLBEntryFull **pfull, uintptr_t ra)
{
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, addr);
    uint64_t tlb_addr = tlb_read_addr(e, type);
    int flags;

    if (!tlb_hit(tlb_addr, addr)) {
        if (!victim_tlb_hit(cpu, mmu_idx, addr, type)) {
            const TCGCPUOps *ops = cpu_tcg_ops(cpu);

            __atomic_fetch_add(&tcg_stats.tlb_fills, 1, __ATOMIC_RELAXED);
            if (!ops->tlb_fill(cpu, addr, size, type, mmu_idx, nonfault, ra)) {
                *phost = NULL;
                *pfull = NULL;
                return TLB_INVALID_MASK;
            }
        }
        e = tlb_entry(cpu, mmu_idx, addr);
        tlb_addr = tlb_read_addr(e, type);
        if (!tlb_hit(tlb_addr, addr)) {
            /* tlb_fill mapped the page without this permission */
            *phost = NULL;
            *pfull = NULL;
            return TLB_INVALID_MASK;
        }
    }
    *pfull = &cpu->accel->d[mmu_idx].fulltlb[tlb_index(addr)];
    flags = tlb_addr & TLB_FLAGS_MASK & ~TLB_INVALID_MASK;
    *phost = (flags & TLB_MMIO) ? NULL : (void *)(uintptr_t)(addr + e->addend);
    return flags;
}

/* ------------------------------------------------------------------ */
/* MMIO and not-dirty pages                                             */

static bool take_bql(void)
{
    if (bql_locked()) {
        return false;
    }
    bql_lock();
    return true;
}

static uint64_t io_readx(CPUState *cpu, const CPUTLBEntryFull *full,
                         vaddr addr, unsigned size)
{
    AddressSpace *as = cpu->as ? cpu->as : &address_space_memory;
    hwaddr paddr = full->paddr + (addr & ~tcg_exec.page_mask);
    hwaddr xlat, plen = size;
    MemoryRegion *mr;
    uint64_t val = 0;
    bool locked = take_bql();

    mr = address_space_translate(as, paddr, &xlat, &plen, false, full->attrs);
    if (mr && plen >= size && !mr->ram) {
        memory_region_dispatch_read(mr, xlat, &val, size, full->attrs);
    } else {
        uint8_t buf[8];

        /* RAM inside an MMIO page, a hole, or a region boundary */
        address_space_read(as, paddr, full->attrs, buf, size);
        val = ldn_le_p(buf, size);
    }
    if (locked) {
        bql_unlock();
    }
    return val;
}

static void io_writex(CPUState *cpu, const CPUTLBEntryFull *full, vaddr addr,
                      uint64_t val, unsigned size)
{
    AddressSpace *as = cpu->as ? cpu->as : &address_space_memory;
    hwaddr paddr = full->paddr + (addr & ~tcg_exec.page_mask);
    hwaddr xlat, plen = size;
    MemoryRegion *mr;
    bool locked = take_bql();

    mr = address_space_translate(as, paddr, &xlat, &plen, true, full->attrs);
    if (mr && plen >= size && !mr->ram) {
        memory_region_dispatch_write(mr, xlat, val, size, full->attrs);
    } else {
        uint8_t buf[8];

        stn_le_p(buf, size, val);
        address_space_write(as, paddr, full->attrs, buf, size);
    }
    if (locked) {
        bql_unlock();
    }
}

/*
 * A store to a TLB_NOTDIRTY page, in two halves around the store itself.
 * Before: invalidate the TBs the store overwrites (and leave the running
 * TB if it is one of them).  After: another vCPU may have translated the
 * old bytes between the two, so invalidate again, then mark the bytes
 * dirty and let later stores take the fast path once no TB is left on the
 * page.  probe_access() callers store after it returns: they only get the
 * first half.
 */
static void notdirty_write(CPUState *cpu, vaddr addr, unsigned size,
                           const CPUTLBEntryFull *full, uintptr_t ra)
{
    ram_addr_t ram_addr = full->ram_addr + (addr & ~tcg_exec.page_mask);

    if (!ram_dirty_all(ram_addr, size, DIRTY_MEMORY_CODE)) {
        tb_invalidate_phys_range_fast(cpu, ram_addr, size, ra);
    }
}

static void notdirty_write_done(CPUState *cpu, vaddr addr, unsigned size,
                                const CPUTLBEntryFull *full)
{
    ram_addr_t ram_addr = full->ram_addr + (addr & ~tcg_exec.page_mask);

    /* no unlocked test of the code bit here: a translation may be under
     * way that has read the old bytes but not linked its TB yet */
    tb_invalidate_phys_range(ram_addr, ram_addr + size);
    ram_dirty_set_range(ram_addr, size,
                        (1 << DIRTY_MEMORY_VGA) | (1 << DIRTY_MEMORY_MIGRATION));
    /* the code bit is per page: set only once no TB is left there */
    if (!tb_page_has_code(ram_addr)) {
        ram_dirty_set_range(ram_addr, size, 1 << DIRTY_MEMORY_CODE);
        if (!(full->mr &&
              (full->mr->dirty_log_mask & ~(1u << DIRTY_MEMORY_CODE)))) {
            tlb_set_dirty(cpu, addr);
        }
    }
}

/* ------------------------------------------------------------------ */
/* The slow path proper                                                 */

static void check_alignment(CPUState *cpu, vaddr addr, MemOp mop,
                            MMUAccessType type, int mmu_idx, uintptr_t ra)
{
    unsigned a_bits = memop_alignment_bits(mop);

    if (a_bits && (addr & ((1u << a_bits) - 1))) {
        const TCGCPUOps *ops = cpu_tcg_ops(cpu);

        if (ops->do_unaligned_access) {
            ops->do_unaligned_access(cpu, addr, type, mmu_idx, ra);
        }
    }
}

/* Load size bytes from one page, little-endian. */
static uint64_t ld_page(CPUState *cpu, vaddr addr, unsigned size, int mmu_idx,
                        MMUAccessType type, uintptr_t ra)
{
    CPUTLBEntryFull *full;
    void *host;
    int flags = probe_access_internal(cpu, addr, size, type, mmu_idx, false,
                                      &host, &full, ra);

    if (flags & TLB_INVALID_MASK) {
        tlog_mask(LOG_GUEST_ERROR, "tcg: load from unmapped 0x%" PRIx64 "\n",
                  (uint64_t)addr);
        return 0;
    }
    if (flags & TLB_WATCHPOINT) {
        tcg_check_watchpoint(cpu, addr, size, type, ra);
    }
    if (flags & TLB_MMIO) {
        if (type == MMU_INST_FETCH) {
            tlog_mask(LOG_GUEST_ERROR,
                      "tcg: instruction fetch from MMIO at 0x%" PRIx64 "\n",
                      (uint64_t)addr);
        }
        return io_readx(cpu, full, addr, size);
    }
    return ldn_le_p(host, size);
}

static void st_page(CPUState *cpu, vaddr addr, uint64_t val, unsigned size,
                    int mmu_idx, uintptr_t ra)
{
    CPUTLBEntryFull *full;
    void *host;
    int flags = probe_access_internal(cpu, addr, size, MMU_DATA_STORE, mmu_idx,
                                      false, &host, &full, ra);

    if (flags & TLB_INVALID_MASK) {
        tlog_mask(LOG_GUEST_ERROR, "tcg: store to unmapped 0x%" PRIx64 "\n",
                  (uint64_t)addr);
        return;
    }
    if (flags & TLB_WATCHPOINT) {
        tcg_check_watchpoint(cpu, addr, size, MMU_DATA_STORE, ra);
    }
    if (flags & TLB_MMIO) {
        io_writex(cpu, full, addr, val, size);
        return;
    }
    if (flags & TLB_DISCARD_WRITE) {
        tlog_mask(LOG_GUEST_ERROR, "tcg: write to ROM at 0x%" PRIx64 " ignored\n",
                  (uint64_t)addr);
        return;
    }
    if (flags & TLB_NOTDIRTY) {
        notdirty_write(cpu, addr, size, full, ra);
        stn_le_p(host, size, val);
        notdirty_write_done(cpu, addr, size, full);
        return;
    }
    stn_le_p(host, size, val);
}

static inline bool crosses_page(vaddr addr, unsigned size)
{
    return (addr & ~tcg_exec.page_mask) + size > tcg_exec.page_size;
}

static uint64_t bswap_size(uint64_t v, unsigned size)
{
    switch (size) {
    case 2:
        return bswap16(v);
    case 4:
        return bswap32(v);
    case 8:
        return bswap64(v);
    default:
        return v;
    }
}

/* The raw value (byte-swapped per MO_BSWAP, not extended). */
static uint64_t do_ld_mmu(CPUState *cpu, vaddr addr, MemOp mop, int mmu_idx,
                          MMUAccessType type, uintptr_t ra)
{
    unsigned size = memop_size(mop);
    uint64_t val;

    check_alignment(cpu, addr, mop, type, mmu_idx, ra);
    if (!crosses_page(addr, size)) {
        val = ld_page(cpu, addr, size, mmu_idx, type, ra);
    } else {
        vaddr addr2 = page_of(addr) + tcg_exec.page_size;
        unsigned size1 = addr2 - addr, i;
        CPUTLBEntryFull *full;
        void *host;

        /* both pages must be accessible before anything happens */
        probe_access_internal(cpu, addr, size1, type, mmu_idx, false, &host,
                              &full, ra);
        probe_access_internal(cpu, addr2, size - size1, type, mmu_idx, false,
                              &host, &full, ra);
        val = 0;
        for (i = 0; i < size; i++) {
            val |= ld_page(cpu, addr + i, 1, mmu_idx, type, ra) << (8 * i);
        }
    }
    if (mop & MO_BSWAP) {
        val = bswap_size(val, size);
    }
    return val;
}

static void do_st_mmu(CPUState *cpu, vaddr addr, uint64_t val, MemOp mop,
                      int mmu_idx, uintptr_t ra)
{
    unsigned size = memop_size(mop);

    check_alignment(cpu, addr, mop, MMU_DATA_STORE, mmu_idx, ra);
    if (mop & MO_BSWAP) {
        val = bswap_size(val, size);
    }
    if (!crosses_page(addr, size)) {
        st_page(cpu, addr, val, size, mmu_idx, ra);
    } else {
        vaddr addr2 = page_of(addr) + tcg_exec.page_size;
        unsigned size1 = addr2 - addr, i;
        CPUTLBEntryFull *full;
        void *host;

        probe_access_internal(cpu, addr, size1, MMU_DATA_STORE, mmu_idx, false,
                              &host, &full, ra);
        probe_access_internal(cpu, addr2, size - size1, MMU_DATA_STORE, mmu_idx,
                              false, &host, &full, ra);
        for (i = 0; i < size; i++) {
            st_page(cpu, addr + i, (val >> (8 * i)) & 0xff, 1, mmu_idx, ra);
        }
    }
}

static uint64_t extend(uint64_t v, MemOp mop)
{
    if (mop & MO_SIGN) {
        switch (mop & MO_SIZE) {
        case MO_8:
            return (int64_t)(int8_t)v;
        case MO_16:
            return (int64_t)(int16_t)v;
        case MO_32:
            return (int64_t)(int32_t)v;
        default:
            return v;
        }
    }
    return v;
}

uint64_t helper_ld_mmu(CPUArchState *env, uint64_t addr, MemOpIdx oi,
                       uintptr_t retaddr)
{
    MemOp mop = get_memop(oi);

    return extend(do_ld_mmu(tcg_env_cpu(env), addr, mop, get_mmuidx(oi),
                            MMU_DATA_LOAD, retaddr), mop);
}

void helper_st_mmu(CPUArchState *env, uint64_t addr, uint64_t val,
                   MemOpIdx oi, uintptr_t retaddr)
{
    do_st_mmu(tcg_env_cpu(env), addr, val, get_memop(oi), get_mmuidx(oi),
              retaddr);
}

/* ------------------------------------------------------------------ */
/* cpu_ld / cpu_st for C helpers                                        */

static inline MemOp mop_with_size(MemOpIdx oi, MemOp size)
{
    return (get_memop(oi) & ~(MO_SIZE | MO_SIGN)) | size;
}

uint8_t cpu_ldb_mmu(CPUArchState *env, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    return do_ld_mmu(tcg_env_cpu(env), addr, mop_with_size(oi, MO_8),
                     get_mmuidx(oi), MMU_DATA_LOAD, ra);
}

uint16_t cpu_ldw_mmu(CPUArchState *env, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    return do_ld_mmu(tcg_env_cpu(env), addr, mop_with_size(oi, MO_16),
                     get_mmuidx(oi), MMU_DATA_LOAD, ra);
}

uint32_t cpu_ldl_mmu(CPUArchState *env, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    return do_ld_mmu(tcg_env_cpu(env), addr, mop_with_size(oi, MO_32),
                     get_mmuidx(oi), MMU_DATA_LOAD, ra);
}

uint64_t cpu_ldq_mmu(CPUArchState *env, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    return do_ld_mmu(tcg_env_cpu(env), addr, mop_with_size(oi, MO_64),
                     get_mmuidx(oi), MMU_DATA_LOAD, ra);
}

Int128 cpu_ld16_mmu(CPUArchState *env, vaddr addr, MemOpIdx oi, uintptr_t ra)
{
    CPUState *cpu = tcg_env_cpu(env);
    MemOp mop = mop_with_size(oi, MO_64);
    unsigned mmu_idx = get_mmuidx(oi);
    uint64_t a, b;

    check_alignment(cpu, addr, get_memop(oi), MMU_DATA_LOAD, mmu_idx, ra);
    mop &= ~MO_AMASK;
    a = do_ld_mmu(cpu, addr, mop, mmu_idx, MMU_DATA_LOAD, ra);
    b = do_ld_mmu(cpu, addr + 8, mop, mmu_idx, MMU_DATA_LOAD, ra);
    return (mop & MO_BSWAP) ? int128_make128(b, a) : int128_make128(a, b);
}

void cpu_stb_mmu(CPUArchState *env, vaddr addr, uint8_t val, MemOpIdx oi,
                 uintptr_t ra)
{
    do_st_mmu(tcg_env_cpu(env), addr, val, mop_with_size(oi, MO_8),
              get_mmuidx(oi), ra);
}

void cpu_stw_mmu(CPUArchState *env, vaddr addr, uint16_t val, MemOpIdx oi,
                 uintptr_t ra)
{
    do_st_mmu(tcg_env_cpu(env), addr, val, mop_with_size(oi, MO_16),
              get_mmuidx(oi), ra);
}

void cpu_stl_mmu(CPUArchState *env, vaddr addr, uint32_t val, MemOpIdx oi,
                 uintptr_t ra)
{
    do_st_mmu(tcg_env_cpu(env), addr, val, mop_with_size(oi, MO_32),
              get_mmuidx(oi), ra);
}

void cpu_stq_mmu(CPUArchState *env, vaddr addr, uint64_t val, MemOpIdx oi,
                 uintptr_t ra)
{
    do_st_mmu(tcg_env_cpu(env), addr, val, mop_with_size(oi, MO_64),
              get_mmuidx(oi), ra);
}

void cpu_st16_mmu(CPUArchState *env, vaddr addr, Int128 val, MemOpIdx oi,
                  uintptr_t ra)
{
    CPUState *cpu = tcg_env_cpu(env);
    MemOp mop = mop_with_size(oi, MO_64) & ~MO_AMASK;
    unsigned mmu_idx = get_mmuidx(oi);
    CPUTLBEntryFull *full;
    void *host;

    check_alignment(cpu, addr, get_memop(oi), MMU_DATA_STORE, mmu_idx, ra);
    /* fault on either half before storing anything */
    probe_access_internal(cpu, addr, 1, MMU_DATA_STORE, mmu_idx, false, &host,
                          &full, ra);
    probe_access_internal(cpu, addr + 15, 1, MMU_DATA_STORE, mmu_idx, false,
                          &host, &full, ra);
    if (mop & MO_BSWAP) {
        do_st_mmu(cpu, addr, int128_gethi(val), mop, mmu_idx, ra);
        do_st_mmu(cpu, addr + 8, int128_getlo(val), mop, mmu_idx, ra);
    } else {
        do_st_mmu(cpu, addr, int128_getlo(val), mop, mmu_idx, ra);
        do_st_mmu(cpu, addr + 8, int128_gethi(val), mop, mmu_idx, ra);
    }
}

#define LD_MMUIDX(NAME, RET, MOP)                                          \
    RET NAME(CPUArchState *env, vaddr addr, int mmu_idx, uintptr_t ra)    \
    {                                                                      \
        return (RET)extend(do_ld_mmu(tcg_env_cpu(env), addr, (MOP),        \
                                     mmu_idx, MMU_DATA_LOAD, ra), (MOP));  \
    }
#define ST_MMUIDX(NAME, VT, MOP)                                           \
    void NAME(CPUArchState *env, vaddr addr, VT val, int mmu_idx,          \
              uintptr_t ra)                                                \
    {                                                                      \
        do_st_mmu(tcg_env_cpu(env), addr, val, (MOP), mmu_idx, ra);        \
    }

LD_MMUIDX(cpu_ldub_mmuidx_ra, uint32_t, MO_UB)
LD_MMUIDX(cpu_ldsb_mmuidx_ra, int, MO_SB)
LD_MMUIDX(cpu_lduw_le_mmuidx_ra, uint32_t, MO_LEUW)
LD_MMUIDX(cpu_ldsw_le_mmuidx_ra, int, MO_LESW)
LD_MMUIDX(cpu_ldl_le_mmuidx_ra, uint32_t, MO_LEUL)
LD_MMUIDX(cpu_ldq_le_mmuidx_ra, uint64_t, MO_LEUQ)
LD_MMUIDX(cpu_lduw_be_mmuidx_ra, uint32_t, MO_BEUW)
LD_MMUIDX(cpu_ldsw_be_mmuidx_ra, int, MO_BESW)
LD_MMUIDX(cpu_ldl_be_mmuidx_ra, uint32_t, MO_BEUL)
LD_MMUIDX(cpu_ldq_be_mmuidx_ra, uint64_t, MO_BEUQ)
ST_MMUIDX(cpu_stb_mmuidx_ra, uint32_t, MO_UB)
ST_MMUIDX(cpu_stw_le_mmuidx_ra, uint32_t, MO_LEUW)
ST_MMUIDX(cpu_stl_le_mmuidx_ra, uint32_t, MO_LEUL)
ST_MMUIDX(cpu_stq_le_mmuidx_ra, uint64_t, MO_LEUQ)
ST_MMUIDX(cpu_stw_be_mmuidx_ra, uint32_t, MO_BEUW)
ST_MMUIDX(cpu_stl_be_mmuidx_ra, uint32_t, MO_BEUL)
ST_MMUIDX(cpu_stq_be_mmuidx_ra, uint64_t, MO_BEUQ)

static inline int data_mmu_idx(CPUArchState *env)
{
    CPUState *cpu = tcg_env_cpu(env);

    return cpu_tcg_ops(cpu)->mmu_index(cpu, false);
}

uint32_t cpu_ldub_data_ra(CPUArchState *env, vaddr addr, uintptr_t ra)
{
    return cpu_ldub_mmuidx_ra(env, addr, data_mmu_idx(env), ra);
}

uint32_t cpu_lduw_data_ra(CPUArchState *env, vaddr addr, uintptr_t ra)
{
    return cpu_lduw_le_mmuidx_ra(env, addr, data_mmu_idx(env), ra);
}

uint32_t cpu_ldl_data_ra(CPUArchState *env, vaddr addr, uintptr_t ra)
{
    return cpu_ldl_le_mmuidx_ra(env, addr, data_mmu_idx(env), ra);
}

uint64_t cpu_ldq_data_ra(CPUArchState *env, vaddr addr, uintptr_t ra)
{
    return cpu_ldq_le_mmuidx_ra(env, addr, data_mmu_idx(env), ra);
}

void cpu_stb_data_ra(CPUArchState *env, vaddr addr, uint32_t val, uintptr_t ra)
{
    cpu_stb_mmuidx_ra(env, addr, val, data_mmu_idx(env), ra);
}

void cpu_stw_data_ra(CPUArchState *env, vaddr addr, uint32_t val, uintptr_t ra)
{
    cpu_stw_le_mmuidx_ra(env, addr, val, data_mmu_idx(env), ra);
}

void cpu_stl_data_ra(CPUArchState *env, vaddr addr, uint32_t val, uintptr_t ra)
{
    cpu_stl_le_mmuidx_ra(env, addr, val, data_mmu_idx(env), ra);
}

void cpu_stq_data_ra(CPUArchState *env, vaddr addr, uint64_t val, uintptr_t ra)
{
    cpu_stq_le_mmuidx_ra(env, addr, val, data_mmu_idx(env), ra);
}

/* ------------------------------------------------------------------ */
/* Probing                                                              */

int probe_access_flags(CPUArchState *env, vaddr addr, int size,
                       MMUAccessType access_type, int mmu_idx, bool nonfault,
                       void **phost, uintptr_t ra)
{
    CPUTLBEntryFull *full;
    int flags = probe_access_internal(tcg_env_cpu(env), addr, size ? size : 1,
                                      access_type, mmu_idx, nonfault, phost,
                                      &full, ra);

    if (flags & (TLB_MMIO | TLB_INVALID_MASK)) {
        *phost = NULL;
    } else if ((flags & TLB_WATCHPOINT) && !nonfault) {
        /* the caller accesses through *phost: this is the access */
        tcg_check_watchpoint(tcg_env_cpu(env), addr, size ? size : 1,
                             access_type, ra);
    }
    return flags;
}

void *probe_access(CPUArchState *env, vaddr addr, int size,
                   MMUAccessType access_type, int mmu_idx, uintptr_t ra)
{
    CPUState *cpu = tcg_env_cpu(env);
    CPUTLBEntryFull *full;
    void *host;
    int flags;

    flags = probe_access_internal(cpu, addr, size ? size : 1, access_type,
                                  mmu_idx, false, &host, &full, ra);
    if (flags & (TLB_MMIO | TLB_INVALID_MASK)) {
        return NULL;
    }
    if (flags & TLB_WATCHPOINT) {
        tcg_check_watchpoint(cpu, addr, size, access_type, ra);
    }
    if (access_type == MMU_DATA_STORE) {
        if (flags & TLB_DISCARD_WRITE) {
            return NULL;
        }
        if ((flags & TLB_NOTDIRTY) && size > 0) {
            notdirty_write(cpu, addr, size, full, ra);
            notdirty_write_done(cpu, addr, size, full);
        }
    }
    return host;
}

void *tlb_vaddr_to_host(CPUArchState *env, vaddr addr,
                        MMUAccessType access_type, int mmu_idx)
{
    CPUState *cpu = tcg_env_cpu(env);
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, addr);
    uint64_t tlb_addr = tlb_read_addr(e, access_type);

    if (!tlb_hit(tlb_addr, addr) || (tlb_addr & TLB_FLAGS_MASK)) {
        return NULL;
    }
    return (void *)(uintptr_t)(addr + e->addend);
}

tb_page_addr_t get_page_addr_code_hostp(CPUArchState *env, vaddr addr,
                                        int mmu_idx, void **hostp)
{
    CPUState *cpu = tcg_env_cpu(env);
    CPUTLBEntryFull *full;
    void *host;
    int flags;

    flags = probe_access_internal(cpu, addr, 1, MMU_INST_FETCH, mmu_idx, false,
                                  &host, &full, 0);
    if (flags & (TLB_MMIO | TLB_INVALID_MASK)) {
        if (hostp) {
            *hostp = NULL;
        }
        return -1;
    }
    if (hostp) {
        *hostp = host;
    }
    return full->ram_addr + (addr & ~tcg_exec.page_mask);
}

/* Physical address of the code page (for error messages). */
hwaddr tlb_code_paddr(CPUState *cpu, vaddr addr, int mmu_idx);
hwaddr tlb_code_paddr(CPUState *cpu, vaddr addr, int mmu_idx)
{
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, addr);

    if (!tlb_hit(e->addr_code, addr)) {
        return -1;
    }
    return cpu->accel->d[mmu_idx].fulltlb[tlb_index(addr)].paddr +
           (addr & ~tcg_exec.page_mask);
}

/* ------------------------------------------------------------------ */
/* Atomics (the operations themselves are in atomic.c)                  */

void *tlb_atomic_lookup(CPUState *cpu, vaddr addr, MemOpIdx oi,
                        unsigned size, CPUTLBEntryFull **pnotdirty,
                        uintptr_t ra)
{
    MemOp mop = get_memop(oi);
    int mmu_idx = get_mmuidx(oi);
    CPUTLBEntryFull *full;
    void *host;
    int flags;

    *pnotdirty = NULL;
    check_alignment(cpu, addr, mop, MMU_DATA_STORE, mmu_idx, ra);
    if (addr & (size - 1)) {
        return NULL;
    }
    /* a store first: faults are reported as writes */
    flags = probe_access_internal(cpu, addr, size, MMU_DATA_STORE, mmu_idx,
                                  false, &host, &full, ra);
    /* then a load: a write-only page must fault as well */
    flags |= probe_access_internal(cpu, addr, size, MMU_DATA_LOAD, mmu_idx,
                                   false, &host, &full, ra);
    if (flags & (TLB_MMIO | TLB_DISCARD_WRITE | TLB_WATCHPOINT |
                 TLB_INVALID_MASK) || !host) {
        return NULL;
    }
    if (flags & TLB_NOTDIRTY) {
        notdirty_write(cpu, addr, size, full, ra);
        *pnotdirty = full;
    }
    return host;
}

void tlb_atomic_done(CPUState *cpu, vaddr addr, unsigned size,
                     CPUTLBEntryFull *notdirty)
{
    if (notdirty) {
        notdirty_write_done(cpu, addr, size, notdirty);
    }
}
