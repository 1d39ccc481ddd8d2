/*
 * accel/tcg services for front ends and their helpers: leaving generated
 * code, restoring guest state, filling and flushing the softmmu TLB, and
 * invalidating translations.
 *
 * Conventions:
 *  - `retaddr` is TCG_GETPC() taken in the helper called from generated
 *    code (0 when not called from generated code: no state to restore).
 *  - mmu_idx values are the target's, 0..TCGTargetInfo.nb_mmu_modes-1;
 *    `idxmap` is a bitmap of them (bit n = mmu_idx n).
 *  - addresses passed to tlb_* are guest virtual; their page offset is
 *    ignored.  `paddr` is a guest physical address in cpu->as.
 */
#ifndef EXEC_EXEC_ALL_H
#define EXEC_EXEC_ALL_H

#include "hw/core/cpu.h"
#include "exec/memory.h"
#include "exec/translation-block.h"
#include "exec/tcg-cpu-ops.h"

/* prot bits of tlb_set_page */
#define PAGE_READ  0x0001
#define PAGE_WRITE 0x0002
#define PAGE_EXEC  0x0004
#define PAGE_RWX   (PAGE_READ | PAGE_WRITE | PAGE_EXEC)

/* ---- leaving generated code ---------------------------------------- */

/*
 * Return to the cpu_exec loop (longjmp to cpu->jmp_env) to act on
 * cpu->exception_index.  The guest state must already be exact (the pc
 * at the faulting insn, or past it for a trap).
 */
G_NORETURN void cpu_loop_exit(CPUState *cpu);
/* Restore guest state from retaddr (see cpu_restore_state), then exit. */
G_NORETURN void cpu_loop_exit_restore(CPUState *cpu, uintptr_t retaddr);
/* Exit with no exception (exception_index = -1): e.g. after changing
 * state the current TB assumed constant. */
G_NORETURN void cpu_loop_exit_noexc(CPUState *cpu);
/* Re-run the insn at retaddr alone with exclusive access to memory
 * (all other vCPUs stopped): for atomics the helper cannot do in place. */
G_NORETURN void cpu_loop_exit_atomic(CPUState *cpu, uintptr_t retaddr);

/*
 * If retaddr is inside generated code, find the TB and the guest insn it
 * belongs to and call TCGCPUOps.restore_state_to_opc with that insn's
 * insn_start words.  Returns true if state was restored.
 */
bool cpu_restore_state(CPUState *cpu, uintptr_t retaddr);

/* ---- TLB fill (from TCGCPUOps.tlb_fill) -------------------------- */

/*
 * Map the page containing vaddr to paddr with prot (PAGE_*) for mmu_idx.
 * size is the mapping's size (>= the target page size; larger pages are
 * remembered so tlb_flush_page of any address inside flushes them).
 */
void tlb_set_page(CPUState *cpu, vaddr addr, hwaddr paddr, int prot,
                  int mmu_idx, uint64_t size);
void tlb_set_page_with_attrs(CPUState *cpu, vaddr addr, hwaddr paddr,
                             MemTxAttrs attrs, int prot, int mmu_idx,
                             uint64_t size);

/* ---- TLB flush ------------------------------------------------------- */

/*
 * Local variants act on cpu: when called on cpu's own thread they take
 * effect immediately; from another thread they are queued to cpu
 * (async_run_on_cpu) and take effect before it runs more guest code.
 */
void tlb_flush(CPUState *cpu);
void tlb_flush_page(CPUState *cpu, vaddr addr);
void tlb_flush_by_mmuidx(CPUState *cpu, uint16_t idxmap);
void tlb_flush_page_by_mmuidx(CPUState *cpu, vaddr addr, uint16_t idxmap);
/* Pages [addr, addr+len) for idxmap (TLBI range ops). */
void tlb_flush_range_by_mmuidx(CPUState *cpu, vaddr addr, vaddr len,
                               uint16_t idxmap);

/*
 * Broadcast variants (TLBI ...IS, INVLPG with shootdown): flush every
 * vCPU; src (the caller's CPU) completes its own flush only after all
 * others have done theirs, i.e. at the end of the current TB the caller
 * must leave with cpu_loop_exit(src) - these functions arrange it.
 * Call them from a helper, then end the TB (they set the exit request).
 */
void tlb_flush_all_cpus_synced(CPUState *src);
void tlb_flush_page_all_cpus_synced(CPUState *src, vaddr addr);
void tlb_flush_by_mmuidx_all_cpus_synced(CPUState *src, uint16_t idxmap);
void tlb_flush_page_by_mmuidx_all_cpus_synced(CPUState *src, vaddr addr,
                                              uint16_t idxmap);
void tlb_flush_range_by_mmuidx_all_cpus_synced(CPUState *src, vaddr addr,
                                               vaddr len, uint16_t idxmap);

/* ---- translations -------------------------------------------------- */

/* Throw away every TB (safe from any vCPU: runs when all are out). */
void tb_flush(CPUState *cpu);
/* Invalidate TBs whose code overlaps [start, end) in ram_addr_t space. */
void tb_invalidate_phys_range(ram_addr_t start, ram_addr_t end);
/* Same for a guest physical address range of cpu->as (e.g. IC IVAU). */
void tb_invalidate_phys_addr(AddressSpace *as, hwaddr addr);

/*
 * The ram_addr_t of the code at guest virtual addr (MMU_INST_FETCH in
 * the current mmu index per get_tb_cpu_state), filling the TLB if needed;
 * -1 if addr is not executable RAM.  *hostp (if non-NULL) gets the host
 * pointer.  Raises the instruction abort through tlb_fill on a fault.
 */
tb_page_addr_t get_page_addr_code_hostp(CPUArchState *env, vaddr addr,
                                        int mmu_idx, void **hostp);

/* ---- the execution loop (accel/tcg internal, exposed for tests) ---- */

/* Run cpu until an exception the vCPU loop must handle; returns it
 * (EXCP_INTERRUPT, EXCP_HLT, EXCP_DEBUG, EXCP_HALTED, EXCP_YIELD...). */
int cpu_exec(CPUState *cpu);
/* Allocate cpu's TLB and per-vCPU TCG state (idempotent). */
void tcg_cpu_init(CPUState *cpu);
void tcg_cpu_destroy(CPUState *cpu);

#endif /* EXEC_EXEC_ALL_H */
