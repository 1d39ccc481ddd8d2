/*
 * TCGCPUOps: what a target's CPU class gives accel/tcg.
 *
 * A target fills one const TCGCPUOps and points CPUClass.tcg_ops at it.
 * accel/tcg is target-independent: it only reaches the target's state
 * through these hooks and through cpu->env_ptr / cpu->neg_ptr.
 *
 * Every hook runs on the vCPU's own thread, with the BQL NOT held unless
 * stated otherwise.
 */
#ifndef EXEC_TCG_CPU_OPS_H
#define EXEC_TCG_CPU_OPS_H

#include "hw/core/cpu.h"
#include "exec/memory.h"

/* access_type of tlb_fill / probe_access / do_unaligned_access */
typedef enum MMUAccessType {
    MMU_DATA_LOAD  = 0,
    MMU_DATA_STORE = 1,
    MMU_INST_FETCH = 2,
} MMUAccessType;

struct TCGCPUOps {
    /* Once per process, after tcg_init(): create the TCG globals. */
    void (*initialize)(void);

    /*
     * Required.  Translate guest code starting at pc into tb: call
     * translator_loop() with the target's TranslatorOps.  host_pc is the
     * host address of the first guest byte (for logging/disassembly).
     */
    void (*translate_code)(CPUState *cpu, TranslationBlock *tb,
                           int *max_insns, vaddr pc, void *host_pc);

    /*
     * Required.  The translation key of the current state: the pc, the
     * code segment base (x86; 0 elsewhere) and the target's TB flags (EL,
     * MMU index, SIMD enable...).  Everything the generated code assumes
     * constant must be in (pc, cs_base, flags).
     */
    void (*get_tb_cpu_state)(CPUArchState *env, vaddr *pc, uint64_t *cs_base,
                             uint32_t *flags);

    /*
     * Required.  The MMU index the current state uses for data accesses
     * (ifetch false) or instruction fetch (ifetch true).  Used by
     * translator_ld*, get_page_addr_code and the cpu_*_data_ra helpers.
     */
    int (*mmu_index)(CPUState *cpu, bool ifetch);

    /*
     * Set the pc (and whatever else the TB key implies) from tb when the
     * loop leaves a TB without the TB having written it itself (e.g. a
     * TB_EXIT_REQUESTED exit at TB entry).  NULL: set_pc(tb->pc).
     */
    void (*synchronize_from_tb)(CPUState *cpu, const TranslationBlock *tb);

    /*
     * Required.  Restore guest state at a faulting insn from the words the
     * front end recorded with tcg_gen_insn_start(): data[0] is normally the
     * pc.  Called from cpu_restore_state() / cpu_loop_exit_restore().
     */
    void (*restore_state_to_opc)(CPUState *cpu, const TranslationBlock *tb,
                                 const uint64_t *data);

    /*
     * Between TBs, with cpu->interrupt_request != 0 (masked of EXITTB /
     * HALT / DEBUG which the loop handles): take an interrupt if one is
     * pending and unmasked, i.e. set up the exception entry state and
     * return true (the loop then looks up a new TB).  Return false to keep
     * running.  Called with the BQL held.
     */
    bool (*cpu_exec_interrupt)(CPUState *cpu, int interrupt_request);

    /*
     * Deliver cpu->exception_index (a target exception number < EXCP_INTERRUPT)
     * by changing the state to the handler's.  Called with the BQL held.
     */
    void (*do_interrupt)(CPUState *cpu);

    /*
     * Required for system emulation: translate addr for access_type in
     * mmu_idx.  On success call tlb_set_page*() and return true.  On a
     * fault: if probe, return false without side effects; otherwise raise
     * the guest exception (set cpu->exception_index and the fault syndrome,
     * then cpu_loop_exit_restore(cpu, retaddr)) - it does not return.
     */
    bool (*tlb_fill)(CPUState *cpu, vaddr addr, int size,
                     MMUAccessType access_type, int mmu_idx, bool probe,
                     uintptr_t retaddr);

    /*
     * A load/store whose MemOp demands an alignment that addr lacks.
     * Raises the guest's alignment fault; must not return.  NULL: the
     * access is performed unaligned.
     */
    void (*do_unaligned_access)(CPUState *cpu, vaddr addr,
                                MMUAccessType access_type, int mmu_idx,
                                uintptr_t retaddr);

    /*
     * A halted vCPU is about to sleep (EXCP_HLT): return true if it should
     * run instead (e.g. a pending, masked-but-waking interrupt).  NULL:
     * sleep until cpu_has_work().
     */
    bool (*cpu_exec_halt)(CPUState *cpu);

    /* After EXCP_DEBUG (breakpoint / single step), before returning to gdb. */
    void (*debug_excp_handler)(CPUState *cpu);

    /* Leaving cpu_exec (e.g. to save lazily kept state).  Optional. */
    void (*cpu_exec_enter)(CPUState *cpu);
    void (*cpu_exec_exit)(CPUState *cpu);
};

/* The CPU's TCGCPUOps (asserts non-NULL). */
const TCGCPUOps *cpu_tcg_ops(CPUState *cpu);

#endif /* EXEC_TCG_CPU_OPS_H */
