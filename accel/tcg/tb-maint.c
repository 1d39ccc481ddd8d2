/*
 * Translation-block maintenance: the global TB hash table, the lists of
 * TBs per physical (ram_addr_t) page, the TB list by host address (for
 * state restore), direct chaining and its undoing, invalidation when guest
 * code is written (self-modifying code, DMA) and flushing the whole cache.
 *
 * A TB lives in the code buffer until the next flush; invalidation only
 * unhooks it (hash, pages, jump caches, incoming and outgoing chains) and
 * marks it CF_INVALID, so a vCPU still executing it finishes safely.
 *
 * Code pages are write-protected through the DIRTY_MEMORY_CODE bitmap:
 * the bit is clear while a page holds a TB.  CPU stores to such a page
 * take the slow path (TLB_NOTDIRTY, cputlb.c), DMA and other RAM writers
 * call AccelOps.ram_code_written; both end in tb_invalidate_phys_range*.
 */
#include "internal.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "exec/translator.h"
#include "turtle/log.h"

#define TB_HTABLE_BITS 16
#define TB_HTABLE_SIZE (1u << TB_HTABLE_BITS)

typedef struct PageDesc {
    uint64_t key;            /* ram_addr_t >> page_bits */
    uintptr_t first_tb;      /* TB | n (n: which of the TB's pages) */
} PageDesc;

static pthread_mutex_t tb_mutex = PTHREAD_MUTEX_INITIALIZER;
static __thread bool tb_lock_owned;
static TranslationBlock *tb_htable[TB_HTABLE_SIZE];
static GHashTable *tb_pages;         /* key: &PageDesc.key */
static GPtrArray *tb_by_host;        /* TBs in code-buffer order */
/* leaf lock for tb_by_host: state restore must not need tb_lock */
static pthread_mutex_t tb_host_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t tb_flush_count;

void tb_lock_acquire(void)
{
    g_assert(!tb_lock_owned);
    pthread_mutex_lock(&tb_mutex);
    tb_lock_owned = true;
}

void tb_lock_release(void)
{
    g_assert(tb_lock_owned);
    tb_lock_owned = false;
    pthread_mutex_unlock(&tb_mutex);
}

bool tb_lock_held(void)
{
    return tb_lock_owned;
}

void tb_lock_reset(void)
{
    if (tb_lock_owned) {
        tb_lock_release();
    }
}

/* Take tb_lock unless this thread has it already; returns whether taken. */
static bool tb_lock_if_needed(void)
{
    if (tb_lock_owned) {
        return false;
    }
    tb_lock_acquire();
    return true;
}

static void tb_structs_init(void)
{
    if (!tb_pages) {
        tb_pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
                                         g_free);
        tb_by_host = g_ptr_array_new();
    }
}

uint64_t tb_flush_count_get(void)
{
    return __atomic_load_n(&tb_flush_count, __ATOMIC_ACQUIRE);
}

uint32_t curr_cflags(CPUState *cpu)
{
    uint32_t cflags = 0;

    if (tcg_exec.mttcg && cpus_list && cpus_list->len > 1) {
        cflags |= CF_PARALLEL;
    }
    if (cpu->singlestep_enabled) {
        cflags |= CF_SINGLE_STEP | CF_NOCHAIN | 1;
    } else if (unlikely(cpu->accel && cpu->accel->watchpoint_after)) {
        /* the re-run of a watchpoint's instruction returns to cpu_exec
         * (helper_lookup_tb_ptr must not jump on) */
        cflags |= CF_NOCHAIN;
    } else if (turtle_loglevel_mask(CPU_LOG_TB_NOCHAIN)) {
        cflags |= CF_NOCHAIN;
    }
    return cflags;
}

/* ------------------------------------------------------------------ */
/* Hash table                                                           */

static uint32_t tb_hash_func(tb_page_addr_t phys_pc, vaddr pc, uint32_t flags,
                             uint32_t cflags)
{
    uint64_t h = phys_pc * 0x9e3779b97f4a7c15ull;

    h ^= pc * 0xc2b2ae3d27d4eb4full;
    h ^= ((uint64_t)flags << 32 | cflags) * 0x165667b19e3779f9ull;
    return (uint32_t)(h >> 40) & (TB_HTABLE_SIZE - 1);
}

static inline TranslationBlock **tb_hnext(TranslationBlock *tb)
{
    return (TranslationBlock **)&tb->accel_priv;
}

static void tb_hash_insert(TranslationBlock *tb)
{
    TranslationBlock **head = &tb_htable[tb->hash];

    *tb_hnext(tb) = *head;
    __atomic_store_n(head, tb, __ATOMIC_RELEASE);
}

static void tb_hash_remove(TranslationBlock *tb)
{
    TranslationBlock **p = &tb_htable[tb->hash];

    while (*p) {
        if (*p == tb) {
            __atomic_store_n(p, *tb_hnext(tb), __ATOMIC_RELEASE);
            return;
        }
        p = tb_hnext(*p);
    }
}

static tb_page_addr_t code_page2(CPUState *cpu, vaddr pc)
{
    CPUArchState *env = tcg_cpu_env(cpu);
    vaddr pc2 = (pc & tcg_exec.page_mask) + tcg_exec.page_size;
    int mmu_idx = cpu_tcg_ops(cpu)->mmu_index(cpu, true);
    tb_page_addr_t p;

    /* never fault here: the TB may not reach its second page */
    if (!tlb_vaddr_to_host(env, pc2, MMU_INST_FETCH, mmu_idx)) {
        void *host;

        if (probe_access_flags(env, pc2, 1, MMU_INST_FETCH, mmu_idx, true,
                               &host, 0) & (TLB_INVALID_MASK | TLB_MMIO)) {
            return -1;
        }
    }
    p = get_page_addr_code_hostp(env, pc2, mmu_idx, NULL);
    return p == (tb_page_addr_t)-1 ? p : (p & tcg_exec.page_mask);
}

static TranslationBlock *tb_htable_find(tb_page_addr_t phys_pc, vaddr pc,
                                        uint64_t cs_base, uint32_t flags,
                                        uint32_t cflags)
{
    TranslationBlock *tb;

    tb = __atomic_load_n(&tb_htable[tb_hash_func(phys_pc, pc, flags, cflags)],
                         __ATOMIC_ACQUIRE);
    for (; tb; tb = __atomic_load_n(tb_hnext(tb), __ATOMIC_ACQUIRE)) {
        if (tb->phys_pc == phys_pc && tb->pc == pc && tb->cs_base == cs_base &&
            tb->flags == flags &&
            __atomic_load_n(&tb->cflags, __ATOMIC_ACQUIRE) == cflags) {
            return tb;
        }
    }
    return NULL;
}

TranslationBlock *tb_htable_lookup(CPUState *cpu, vaddr pc, uint64_t cs_base,
                                   uint32_t flags, uint32_t cflags)
{
    CPUArchState *env = tcg_cpu_env(cpu);
    int mmu_idx = cpu_tcg_ops(cpu)->mmu_index(cpu, true);
    tb_page_addr_t phys_pc;
    TranslationBlock *tb;

    phys_pc = get_page_addr_code_hostp(env, pc, mmu_idx, NULL);
    if (phys_pc == (tb_page_addr_t)-1) {
        return NULL;
    }
    /*
     * No lock: TBs are inserted at a bucket head with a release store and
     * never freed before a flush, which runs while no vCPU executes; an
     * unhooked TB keeps its next link, and carries CF_INVALID so it does
     * not match.
     */
    tb = tb_htable_find(phys_pc, pc, cs_base, flags, cflags);
    if (tb && tb->page_addr[1] != (tb_page_addr_t)-1 &&
        code_page2(cpu, pc) != tb->page_addr[1]) {
        /* the second page now maps elsewhere */
        return NULL;
    }
    return tb;
}

/* ------------------------------------------------------------------ */
/* Pages                                                                */

static PageDesc *page_find(tb_page_addr_t addr, bool alloc)
{
    uint64_t key = addr >> tcg_exec.page_bits;
    PageDesc *pd = g_hash_table_lookup(tb_pages, &key);

    if (!pd && alloc) {
        pd = g_new0(PageDesc, 1);
        pd->key = key;
        g_hash_table_insert(tb_pages, &pd->key, pd);
    }
    return pd;
}

bool tb_page_has_code(ram_addr_t ram_addr)
{
    bool locked = tb_lock_if_needed();
    PageDesc *pd = tb_pages ? page_find(ram_addr, false) : NULL;
    bool ret = pd && pd->first_tb;

    if (locked) {
        tb_lock_release();
    }
    return ret;
}

static void tb_page_add(TranslationBlock *tb, int n)
{
    tb_page_addr_t page = tb->page_addr[n];
    PageDesc *pd = page_find(page, true);
    bool was_empty = !pd->first_tb;


    tb->page_next[n] = pd->first_tb;
    pd->first_tb = (uintptr_t)tb | n;
    if (was_empty || ram_dirty_get(page, tcg_exec.page_size, DIRTY_MEMORY_CODE)) {
        /* from now on every write to the page must reach us */
        ram_dirty_clear_range(page, tcg_exec.page_size, DIRTY_MEMORY_CODE);
        tlb_protect_code_page(page);
    }
}

static void tb_page_remove(TranslationBlock *tb, int n)
{
    tb_page_addr_t page = tb->page_addr[n];
    PageDesc *pd = page_find(page, false);
    uintptr_t *p;

    if (!pd) {
        return;
    }
    for (p = &pd->first_tb; *p; ) {
        TranslationBlock *t = (TranslationBlock *)(*p & ~(uintptr_t)1);
        int tn = *p & 1;

        if (t == tb && tn == n) {
            *p = t->page_next[tn];
            break;
        }
        p = &t->page_next[tn];
    }
    if (!pd->first_tb) {
        ram_dirty_set_range(page, tcg_exec.page_size, 1 << DIRTY_MEMORY_CODE);
        g_hash_table_remove(tb_pages, &pd->key);
    }
}

/* ------------------------------------------------------------------ */
/* Chaining                                                             */

void tb_add_jump(TranslationBlock *tb, int n, TranslationBlock *tb_next)
{
    tb_lock_acquire();
    if (tb->jmp_dest[n] || (tb->cflags & (CF_INVALID | CF_NO_GOTO_TB)) ||
        (tb_next->cflags & CF_INVALID) ||
        tb->jmp_insn_offset[n] == TB_JMP_OFFSET_INVALID) {
        tb_lock_release();
        return;
    }
    tb->jmp_dest[n] = (uintptr_t)tb_next;
    tb->jmp_list_next[n] = tb_next->jmp_list_head;
    tb_next->jmp_list_head = (uintptr_t)tb | n;
    tcg_tb_set_jmp_target(tb, n, (uintptr_t)tb_next->tc.ptr);
    tcg_stats.tb_chained++;
    tb_lock_release();
}

/* Remove tb's slot n from the incoming list of its destination. */
static void tb_remove_from_jmp_list(TranslationBlock *tb, int n)
{
    TranslationBlock *dest = (TranslationBlock *)tb->jmp_dest[n];
    uintptr_t *p;

    if (!dest) {
        return;
    }
    for (p = &dest->jmp_list_head; *p; ) {
        TranslationBlock *t = (TranslationBlock *)(*p & ~(uintptr_t)TB_EXIT_MASK);
        int tn = *p & TB_EXIT_MASK;

        if (t == tb && tn == n) {
            *p = t->jmp_list_next[tn];
            break;
        }
        p = &t->jmp_list_next[tn];
    }
    tb->jmp_dest[n] = 0;
}

/* Make every TB that jumps directly to tb go back to the loop instead. */
static void tb_jmp_unlink(TranslationBlock *tb)
{
    uintptr_t e = tb->jmp_list_head;

    while (e) {
        TranslationBlock *src = (TranslationBlock *)(e & ~(uintptr_t)TB_EXIT_MASK);
        int n = e & TB_EXIT_MASK;

        tcg_tb_reset_jump(src, n);
        src->jmp_dest[n] = 0;
        e = src->jmp_list_next[n];
    }
    tb->jmp_list_head = 0;
}

/* ------------------------------------------------------------------ */
/* Invalidation                                                         */

void tb_jmp_cache_clear_page(CPUState *cpu, vaddr addr)
{
    AccelCPUState *a = cpu->accel;
    uint32_t base = tb_jmp_cache_hash(addr & tcg_exec.page_mask, 0) &
                    ~((1u << TB_JMP_ADDR_BITS) - 1);
    unsigned i;

    if (!a) {
        return;
    }
    for (i = 0; i < (1u << TB_JMP_ADDR_BITS); i++) {
        __atomic_store_n(&a->jmp_cache[base + i], NULL, __ATOMIC_RELAXED);
    }
}

void tb_jmp_cache_clear(CPUState *cpu)
{
    AccelCPUState *a = cpu->accel;
    unsigned i;

    if (!a) {
        return;
    }
    for (i = 0; i < TB_JMP_CACHE_SIZE; i++) {
        __atomic_store_n(&a->jmp_cache[i], NULL, __ATOMIC_RELAXED);
    }
}

static void tb_phys_invalidate_locked(TranslationBlock *tb)
{
    uint32_t h = tb_jmp_cache_hash(tb->pc, tb->flags);
    CPUState *cpu;

    if (tb->cflags & CF_INVALID) {
        return;
    }
    __atomic_store_n(&tb->cflags, tb->cflags | CF_INVALID, __ATOMIC_RELEASE);
    tb_hash_remove(tb);
    tb_page_remove(tb, 0);
    if (tb->page_addr[1] != (tb_page_addr_t)-1) {
        tb_page_remove(tb, 1);
    }
    CPU_FOREACH(cpu) {
        if (cpu->accel &&
            __atomic_load_n(&cpu->accel->jmp_cache[h], __ATOMIC_RELAXED) == tb) {
            __atomic_store_n(&cpu->accel->jmp_cache[h], NULL, __ATOMIC_RELAXED);
        }
    }
    tb_remove_from_jmp_list(tb, 0);
    tb_remove_from_jmp_list(tb, 1);
    tb_jmp_unlink(tb);
    tcg_stats.tb_invalidated++;
}

/* The bytes of ram page `page` that tb's code covers, as [*s, *e). */
static void tb_page_range(const TranslationBlock *tb, int n,
                          tb_page_addr_t *s, tb_page_addr_t *e)
{
    tb_page_addr_t end0 = (tb->phys_pc & tcg_exec.page_mask) +
                          tcg_exec.page_size;
    tb_page_addr_t tb_end = tb->phys_pc + (tb->size ? tb->size : 1);

    if (n == 0) {
        *s = tb->phys_pc;
        *e = MIN(tb_end, end0);
    } else {
        *s = tb->page_addr[1];
        *e = tb->page_addr[1] + (tb_end > end0 ? tb_end - end0 : 0);
    }
}

/*
 * Invalidate every TB overlapping [start, end) (tb_lock held).  Returns
 * true if `current` was one of them.
 */
static bool tb_invalidate_range_locked(ram_addr_t start, ram_addr_t end,
                                       TranslationBlock *current)
{
    tb_page_addr_t page;
    bool hit_current = false;

    if (!tb_pages || end <= start) {
        return false;
    }
    for (page = start & tcg_exec.page_mask; page < end;
         page += tcg_exec.page_size) {
        PageDesc *pd = page_find(page, false);
        uintptr_t e;

        if (!pd) {
            continue;
        }
        e = pd->first_tb;
        while (e) {
            TranslationBlock *tb = (TranslationBlock *)(e & ~(uintptr_t)1);
            int n = e & 1;
            tb_page_addr_t s, x;

            /* read the link first: invalidation unhooks tb from this list */
            e = tb->page_next[n];
            tb_page_range(tb, n, &s, &x);
            if (s < end && start < x) {
                if (tb == current) {
                    hit_current = true;
                }
                tb_phys_invalidate_locked(tb);
            }
            if (!page_find(page, false)) {
                break;          /* the page's list emptied and was freed */
            }
        }
    }
    return hit_current;
}

void tb_invalidate_phys_range(ram_addr_t start, ram_addr_t end)
{
    bool locked;

    if (!tcg_exec.initialized) {
        return;
    }
    locked = tb_lock_if_needed();
    tb_invalidate_range_locked(start, end, NULL);
    if (locked) {
        tb_lock_release();
    }
}

/*
 * ram_notify_write() marks the written pages dirty for DIRTY_MEMORY_CODE
 * after calling us, i.e. "no code here": so drop every TB on those pages,
 * not only the ones overlapping the write.
 */
void tcg_ram_code_written(ram_addr_t start, ram_addr_t length)
{
    ram_addr_t end = start + length;

    tb_invalidate_phys_range(start & tcg_exec.page_mask,
                             (end + tcg_exec.page_size - 1) & tcg_exec.page_mask);
}

void tb_invalidate_phys_addr(AddressSpace *as, hwaddr addr)
{
    hwaddr xlat, len = 1;
    MemoryRegion *mr;
    bool locked = !bql_locked();

    if (locked) {
        bql_lock();
    }
    mr = address_space_translate(as, addr, &xlat, &len, false,
                                 MEMTXATTRS_UNSPECIFIED);
    if (mr && mr->ram_block) {
        ram_addr_t ra = memory_region_get_ram_addr(mr) + xlat;

        tb_invalidate_phys_range(ra, ra + 1);
    }
    if (locked) {
        bql_unlock();
    }
}

void tb_invalidate_phys_range_fast(CPUState *cpu, ram_addr_t ram_addr,
                                   unsigned len, uintptr_t retaddr)
{
    TranslationBlock *current = NULL;
    bool modified;

    tb_lock_acquire();
    if (retaddr) {
        current = tb_find_by_host_pc(retaddr);
        /* a one-insn TB may rewrite itself: it completes, then exits */
        if (current && (current->cflags & CF_COUNT_MASK) == 1) {
            current = NULL;
        }
    }
    modified = tb_invalidate_range_locked(ram_addr, ram_addr + len, current);
    tb_lock_release();

    if (modified) {
        /*
         * The store rewrites the TB we are executing: the rest of the TB
         * is stale.  Re-run the storing insn alone, then continue with
         * freshly translated code.
         */
        tcg_stats.smc_current_tb++;
        cpu_restore_state(cpu, retaddr);
        cpu->cflags_next_tb = (curr_cflags(cpu) & ~CF_COUNT_MASK) | CF_NOIRQ | 1;
        cpu_loop_exit_noexc(cpu);
    }
}

/* ------------------------------------------------------------------ */
/* TB list by host address                                              */

static TranslationBlock *tb_find_by_host_pc_locked(uintptr_t host_pc)
{
    guint lo = 0, hi;

    if (!tb_by_host || !tb_by_host->len) {
        return NULL;
    }
    hi = tb_by_host->len;
    /* last TB whose code starts before host_pc */
    while (hi - lo > 1) {
        guint mid = (lo + hi) / 2;
        TranslationBlock *t = g_ptr_array_index(tb_by_host, mid);

        if ((uintptr_t)t->tc.ptr < host_pc) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    {
        TranslationBlock *t = g_ptr_array_index(tb_by_host, lo);
        uintptr_t s = (uintptr_t)t->tc.ptr;

        if (host_pc > s && host_pc <= s + t->tc.size) {
            return t;
        }
    }
    return NULL;
}

TranslationBlock *tb_find_by_host_pc(uintptr_t host_pc)
{
    TranslationBlock *tb;

    pthread_mutex_lock(&tb_host_lock);
    tb = tb_find_by_host_pc_locked(host_pc);
    pthread_mutex_unlock(&tb_host_lock);
    return tb;
}

bool cpu_restore_state(CPUState *cpu, uintptr_t retaddr)
{
    TranslationBlock *tb;
    uint64_t data[3] = { 0, 0, 0 };

    if (!retaddr || !tcg_in_code_buffer(retaddr)) {
        return false;
    }
    tb = tb_find_by_host_pc(retaddr);
    if (!tb || !tcg_restore_state(tb, retaddr, data, NULL)) {
        return false;
    }
    cpu_tcg_ops(cpu)->restore_state_to_opc(cpu, tb, data);
    return true;
}

/* ------------------------------------------------------------------ */
/* Flush                                                                */

static void tb_flush_locked(void)
{
    GHashTableIter it;
    gpointer key, value;
    CPUState *cpu;

    /* a flush before the first translation (gdb's breakpoints under -S) */
    tb_structs_init();
    g_hash_table_iter_init(&it, tb_pages);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        PageDesc *pd = value;

        ram_dirty_set_range(pd->key << tcg_exec.page_bits, tcg_exec.page_size,
                            1 << DIRTY_MEMORY_CODE);
    }
    g_hash_table_remove_all(tb_pages);
    memset(tb_htable, 0, sizeof(tb_htable));
    pthread_mutex_lock(&tb_host_lock);
    g_ptr_array_set_size(tb_by_host, 0);
    pthread_mutex_unlock(&tb_host_lock);
    CPU_FOREACH(cpu) {
        tb_jmp_cache_clear(cpu);
    }
    tcg_region_reset_all();
    tcg_stats.tb_flushes++;
    __atomic_fetch_add(&tb_flush_count, 1, __ATOMIC_RELEASE);
}

static void do_tb_flush(CPUState *cpu, run_on_cpu_data data)
{
    tb_lock_acquire();
    /* someone else may have flushed since the request */
    if (tb_flush_count == (uint64_t)data.host_ulong) {
        tb_flush_locked();
    }
    tb_lock_release();
}

void tb_flush(CPUState *cpu)
{
    unsigned long count = tb_flush_count_get();

    if (!tcg_exec.initialized) {
        return;
    }
    if (!cpu) {
        cpu = first_cpu_get();
    }
    if (!cpu || (!cpu->thread_created && !current_cpu)) {
        /* no vCPU can be running: flush now */
        do_tb_flush(cpu, RUN_ON_CPU_HOST_ULONG(count));
        return;
    }
    async_safe_run_on_cpu(cpu, do_tb_flush, RUN_ON_CPU_HOST_ULONG(count));
    cpu_exit(cpu);
}

/* Is cpu the only vCPU that may be executing guest code right now? */
static bool tb_flush_now_is_safe(CPUState *cpu)
{
    CPUState *other;

    if (!tcg_exec.mttcg) {
        return true;
    }
    CPU_FOREACH(other) {
        if (other != cpu && other->thread_created) {
            return false;
        }
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Translation                                                          */

static void tb_log_exec_mmio(CPUState *cpu, vaddr pc)
{
    qemu_system_vmstop_request(RUN_STATE_INTERNAL_ERROR);
    error_report("tcg: vCPU %d: execution from non-RAM address 0x%" PRIx64
                 " (MMIO or unmapped): not supported, vCPU stopped",
                 cpu->cpu_index, (uint64_t)pc);
}

TranslationBlock *tb_gen_code(CPUState *cpu, vaddr pc, uint64_t cs_base,
                              uint32_t flags, uint32_t cflags)
{
    const TCGCPUOps *ops = cpu_tcg_ops(cpu);
    CPUArchState *env = tcg_cpu_env(cpu);
    int mmu_idx = ops->mmu_index(cpu, true);
    tb_page_addr_t phys_pc;
    TranslationBlock *tb;
    void *host_pc;
    int max_insns, n, r;

    /* may raise the instruction abort (longjmp) */
    phys_pc = get_page_addr_code_hostp(env, pc, mmu_idx, &host_pc);
    if (phys_pc == (tb_page_addr_t)-1) {
        tb_log_exec_mmio(cpu, pc);
        return NULL;
    }

    tb_lock_acquire();
    tb_structs_init();
    tb = tb_htable_find(phys_pc, pc, cs_base, flags, cflags);
    if (tb && tb->page_addr[1] == (tb_page_addr_t)-1) {
        tb_lock_release();
        return tb;
    }

    max_insns = cflags & CF_COUNT_MASK;
    if (max_insns == 0 || max_insns > TCG_MAX_INSNS) {
        max_insns = TCG_MAX_INSNS;
    }

    for (;;) {
        tb = tcg_tb_alloc();
        if (!tb) {
            goto buffer_full;
        }
        tb->pc = pc;
        tb->cs_base = cs_base;
        tb->flags = flags;
        tb->cflags = cflags;
        tb->phys_pc = phys_pc;
        tb->page_addr[0] = phys_pc & tcg_exec.page_mask;
        tb->page_addr[1] = -1;

        tcg_func_start();
        n = max_insns;
        tcg_in_translation = true;
        ops->translate_code(cpu, tb, &n, pc, host_pc);
        tcg_in_translation = false;
        r = tcg_gen_code(tb);
        if (r >= 0) {
            break;
        }
        if (r == -1) {
            goto buffer_full;
        }
        /* -2: the TB is too large for the generator: fewer insns */
        if (n <= 1) {
            tb_lock_release();
            error_report("tcg: cannot translate a single instruction at 0x%"
                         PRIx64, (uint64_t)pc);
            abort();
        }
        max_insns = n / 2;
        continue;

    buffer_full:
        if (!tb_flush_now_is_safe(cpu)) {
            /* the others must leave generated code first */
            tb_lock_release();
            async_safe_run_on_cpu(cpu, do_tb_flush,
                                  RUN_ON_CPU_HOST_ULONG(tb_flush_count_get()));
            cpu_exit(cpu);
            cpu_loop_exit_noexc(cpu);
        }
        tb_flush_locked();
    }

    tcg_stats.tb_translated++;
    tcg_stats.guest_insns_translated += tb->icount;
    tb->hash = tb_hash_func(phys_pc, pc, flags, cflags);
    tb_page_add(tb, 0);
    if (tb->page_addr[1] != (tb_page_addr_t)-1) {
        if (tb->page_addr[1] == tb->page_addr[0]) {
            tb->page_addr[1] = -1;
        } else {
            tb_page_add(tb, 1);
        }
    }
    pthread_mutex_lock(&tb_host_lock);
    g_ptr_array_add(tb_by_host, tb);
    pthread_mutex_unlock(&tb_host_lock);
    tb_hash_insert(tb);
    tb_lock_release();
    return tb;
}
