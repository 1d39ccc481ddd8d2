/*
 * accel/tcg private interfaces between cpu-exec.c, tb-maint.c, cputlb.c,
 * translator.c and tcg-accel-ops.c.
 *
 * Locking:
 *  - tb_lock (tb_lock_acquire/release) serialises translation (the code
 *    generator has one global context) and protects the TB hash table,
 *    the page -> TB lists and the chaining lists.  Lock order: the BQL
 *    before tb_lock before a vCPU's tlb_lock.
 *    A longjmp out of translation (a code fetch faulting) is caught by
 *    cpu_exec, which releases tb_lock (tb_lock_reset).
 *    Nothing may take the BQL while holding tb_lock: translation (and the
 *    tlb_fill of code fetches it triggers) must not touch devices.
 *  - tb_host_lock (tb-maint.c) is a leaf lock for the TB list by host
 *    address, so state restore works whoever holds what.
 *  - each vCPU's TLB belongs to its thread; other threads only set
 *    TLB_NOTDIRTY in write entries, under the vCPU's tlb_lock, which the
 *    owner also takes while filling or flushing.
 */
#ifndef ACCEL_TCG_INTERNAL_H
#define ACCEL_TCG_INTERNAL_H

#include "turtle/osdep.h"
#include "hw/core/cpu.h"
#include "exec/exec-all.h"
#include "exec/cpu-ldst.h"
#include "exec/ramblock.h"
#include "tcg/tcg.h"

#define CPU_TLB_BITS      10               /* 1024 entries per mmu_idx */
#define CPU_TLB_SIZE      (1 << CPU_TLB_BITS)
#define CPU_VTLB_SIZE     8
#define TB_JMP_CACHE_BITS 14
#define TB_JMP_CACHE_SIZE (1 << TB_JMP_CACHE_BITS)

/* What the slow path needs to know about a TLB entry's page. */
typedef struct CPUTLBEntryFull {
    MemoryRegion *mr;        /* MMIO region, or NULL (unassigned/RAM) */
    hwaddr mr_offset;        /* region offset of the page's first byte */
    hwaddr paddr;            /* guest physical address of the page */
    ram_addr_t ram_addr;     /* RAM pages: ram_addr_t of the page */
    MemTxAttrs attrs;
    int prot;
    uint8_t lg_page_size;
} CPUTLBEntryFull;

typedef struct CPUTLBDesc {
    vaddr large_page_addr;   /* -1 when no large page mapped */
    vaddr large_page_mask;
    CPUTLBEntry vtable[CPU_VTLB_SIZE];
    CPUTLBEntryFull vfulltlb[CPU_VTLB_SIZE];
    unsigned vindex;
    CPUTLBEntryFull fulltlb[CPU_TLB_SIZE];
} CPUTLBDesc;

struct AccelCPUState {
    const TCGCPUOps *ops;            /* the class's, cached */
    TranslationBlock *jmp_cache[TB_JMP_CACHE_SIZE];
    pthread_mutex_t tlb_lock;
    CPUTLBDesc d[TCG_MAX_MMU_MODES];
    CPUTLBEntry *tables[TCG_MAX_MMU_MODES];
    uint64_t tlb_flush_count;
    MemoryListener listener;
    bool listener_registered;
    /* a watchpoint hit after the access: the instruction runs again alone
     * (watchpoint.c), then cpu_exec reports EXCP_DEBUG */
    bool watchpoint_after;
};

/* ---- global parameters (tcg_exec_init) ---- */
typedef struct TCGExecGlobals {
    const TCGTargetInfo *info;
    unsigned page_bits;
    vaddr page_size;
    vaddr page_mask;         /* ~(page_size - 1) */
    unsigned nb_mmu_modes;
    intptr_t env_offset;     /* (char *)env - (char *)cpu, from the first CPU */
    bool mttcg;              /* one host thread per vCPU */
    bool initialized;
} TCGExecGlobals;
extern TCGExecGlobals tcg_exec;

/* Statistics (tests and benchmarks read them). */
typedef struct TCGExecStats {
    uint64_t tb_translated;
    uint64_t tb_invalidated;
    uint64_t tb_flushes;
    uint64_t tb_chained;
    uint64_t tb_lookup_ptr_hits;
    uint64_t tb_exec_entries;    /* entries into generated code from the loop */
    uint64_t guest_insns_translated;
    uint64_t tlb_fills;
    uint64_t tlb_flushes;
    uint64_t victim_hits;
    uint64_t smc_current_tb;     /* stores that rewrote the running TB */
    uint64_t atomic_steps;       /* insns run alone for EXCP_ATOMIC */
} TCGExecStats;
extern TCGExecStats tcg_stats;

bool tcg_exec_init(const TCGTargetInfo *info, const TCGOptions *opts,
                   bool mttcg, Error **errp);
bool tcg_exec_is_initialized(void);
/* Re-read the -d flags the code generator handles (op, op_opt, out_asm). */
void tcg_exec_update_log(void);

static inline CPUState *tcg_env_cpu(CPUArchState *env)
{
    return (CPUState *)((char *)env - tcg_exec.env_offset);
}

static inline CPUArchState *tcg_cpu_env(CPUState *cpu)
{
    return cpu->env_ptr;
}

/* ---- tb-maint.c ---- */
void tb_lock_acquire(void);
void tb_lock_release(void);
bool tb_lock_held(void);
void tb_lock_reset(void);          /* after a longjmp: release if held */

TranslationBlock *tb_htable_lookup(CPUState *cpu, vaddr pc, uint64_t cs_base,
                                   uint32_t flags, uint32_t cflags);
/* Translate (tb_lock not held on entry); may longjmp on a code fault. */
TranslationBlock *tb_gen_code(CPUState *cpu, vaddr pc, uint64_t cs_base,
                              uint32_t flags, uint32_t cflags);
void tb_add_jump(TranslationBlock *tb, int n, TranslationBlock *tb_next);
/* The TB whose code contains host_pc, or NULL. */
TranslationBlock *tb_find_by_host_pc(uintptr_t host_pc);
uint64_t tb_flush_count_get(void);
/*
 * A guest store of len bytes at ram_addr into a page holding code, from
 * generated code at retaddr (0: not from generated code).  Invalidates
 * the TBs; when the running TB is among them, restores state and leaves
 * it so the insn is re-run alone.
 */
void tb_invalidate_phys_range_fast(CPUState *cpu, ram_addr_t ram_addr,
                                   unsigned len, uintptr_t retaddr);
/* true if some TB's code lies on the page of ram_addr */
bool tb_page_has_code(ram_addr_t ram_addr);
void tb_jmp_cache_clear(CPUState *cpu);
void tcg_ram_code_written(ram_addr_t start, ram_addr_t length);

/*
 * Jump cache index: the high TB_JMP_PAGE_BITS come from the page number,
 * the low ones from the offset in the page, so all the TBs of one page
 * live in one block of 2^TB_JMP_ADDR_BITS entries (a page flush clears
 * just that block).
 */
#define TB_JMP_PAGE_BITS (TB_JMP_CACHE_BITS / 2)
#define TB_JMP_ADDR_BITS (TB_JMP_CACHE_BITS - TB_JMP_PAGE_BITS)

static inline uint32_t tb_jmp_cache_hash(vaddr pc, uint32_t flags)
{
    vaddr page = pc >> tcg_exec.page_bits;
    vaddr off = pc & ~tcg_exec.page_mask;
    /*
     * The flags take part so that one pc run in two states (e.g. an
     * AArch64 kernel path with PAN set and clear) does not thrash a slot.
     */
    uint32_t fx = (flags * 0x9e3779b1u) >> (32 - TB_JMP_ADDR_BITS);

    return (uint32_t)((page & ((1u << TB_JMP_PAGE_BITS) - 1)) << TB_JMP_ADDR_BITS) |
           ((uint32_t)((off >> 2) ^ (off >> (2 + TB_JMP_ADDR_BITS)) ^
                       (page >> TB_JMP_PAGE_BITS) ^ fx)
            & ((1u << TB_JMP_ADDR_BITS) - 1));
}

/* Forget the cached TBs whose pc is on the page of addr. */
void tb_jmp_cache_clear_page(CPUState *cpu, vaddr addr);

/* cflags for the next TB of cpu (cflags_next_tb or the default). */
uint32_t curr_cflags(CPUState *cpu);

/* ---- gdb watchpoints (watchpoint.c) ---- */
/* type: gdb's Z type (2 write, 3 read, 4 access); -errno on failure */
int tcg_watchpoint_insert(vaddr addr, vaddr len, int type);
int tcg_watchpoint_remove(vaddr addr, vaddr len, int type);
void tcg_watchpoint_remove_all(void);
/* Does [page, page + size) hold a watched byte? (tlb_set_page) */
bool tcg_watchpoint_in_page(vaddr page, vaddr size);
/* A data access of len bytes at addr to a TLB_WATCHPOINT page: stop for
 * gdb (does not return) if it touches a watchpoint of its kind. */
void tcg_check_watchpoint(CPUState *cpu, vaddr addr, vaddr len,
                          MMUAccessType access, uintptr_t ra);

/* ---- cputlb.c ---- */
void tlb_init(CPUState *cpu);
void tlb_destroy(CPUState *cpu);
/* Set TLB_NOTDIRTY in every vCPU's write entries for the RAM page. */
void tlb_protect_code_page(ram_addr_t ram_page);
/*
 * Host address for a single-copy atomic read-modify-write of size bytes
 * (a power of 2, at most 16) from generated code at ra, or NULL when no
 * host atomic instruction can do it (misaligned, MMIO, ROM, watchpoint).
 * Raises the guest's alignment fault for MO_ALIGN*, then page faults as a
 * store, then as a load.  For a page with translated code it invalidates
 * the TBs before and sets *pnotdirty: call tlb_atomic_done() once the
 * value is stored.
 */
void *tlb_atomic_lookup(CPUState *cpu, vaddr addr, MemOpIdx oi,
                        unsigned size, CPUTLBEntryFull **pnotdirty,
                        uintptr_t ra);
void tlb_atomic_done(CPUState *cpu, vaddr addr, unsigned size,
                     CPUTLBEntryFull *notdirty);

/* ---- cpu-exec.c ---- */
void tcg_cpu_exec_step_atomic(CPUState *cpu);
/* true on a vCPU thread while it runs an insn alone for EXCP_ATOMIC */
extern __thread bool tcg_in_atomic_step;
extern __thread bool tcg_in_translation;

/* ---- tcg-accel-ops.c ---- */
bool tcg_accel_parse_backend(const char *s, TCGBackendKind *kind,
                             Error **errp);

#endif /* ACCEL_TCG_INTERNAL_H */
