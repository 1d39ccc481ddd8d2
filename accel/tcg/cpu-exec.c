/*
 * The vCPU execution loop: find (or translate) the TB for the current
 * state, chain it to the previous one, run it; between TBs take
 * interrupts, deliver exceptions, honour exit requests.  Helpers leave
 * generated code by longjmp'ing to cpu->jmp_env (cpu_loop_exit*).
 */
#include "internal.h"
#include "exec/translator.h"
#include "exec/gdbstub.h"
#include "sysemu/main-loop.h"
#include "tcg/tcg-ldst.h"
#include "turtle/log.h"

TCGExecGlobals tcg_exec;
TCGExecStats tcg_stats;

const TCGCPUOps *cpu_tcg_ops(CPUState *cpu)
{
    const TCGCPUOps *ops;

    if (likely(cpu->accel)) {
        return cpu->accel->ops;
    }
    ops = CPU_GET_CLASS(cpu)->tcg_ops;

    g_assert(ops);
    return ops;
}

bool tcg_exec_is_initialized(void)
{
    return tcg_exec.initialized;
}

/* -d op,op_opt,out_asm: the code generator logs those stages itself */
void tcg_exec_update_log(void)
{
    unsigned flags = 0;

    if (turtle_loglevel_mask(CPU_LOG_TB_OP)) {
        flags |= TCG_LOG_OP;
    }
    if (turtle_loglevel_mask(CPU_LOG_TB_OP_OPT)) {
        flags |= TCG_LOG_OP_OPT;
    }
    if (turtle_loglevel_mask(CPU_LOG_TB_OUT_ASM)) {
        flags |= TCG_LOG_OUT_ASM;
    }
    tcg_set_log(turtle_logfile, flags);
}

bool tcg_exec_init(const TCGTargetInfo *info, const TCGOptions *opts,
                   bool mttcg, Error **errp)
{
    char *msg = NULL;

    if (tcg_exec.initialized) {
        return true;
    }
    if (!tcg_init(info, opts, &msg)) {
        error_setg(errp, "%s", msg ? msg : "tcg: initialisation failed");
        g_free(msg);
        return false;
    }
    tcg_exec.info = info;
    tcg_exec.page_bits = info->page_bits;
    tcg_exec.page_size = (vaddr)1 << info->page_bits;
    tcg_exec.page_mask = ~(tcg_exec.page_size - 1);
    tcg_exec.nb_mmu_modes = info->nb_mmu_modes;
    tcg_exec.mttcg = mttcg;
    tcg_exec.initialized = true;
    tcg_exec_update_log();
    return true;
}

/* ------------------------------------------------------------------ */
/* Leaving generated code                                               */

void cpu_loop_exit(CPUState *cpu)
{
    /* undo what a helper that longjmps may have left half done */
    tcg_in_translation = false;
    siglongjmp(cpu->jmp_env, 1);
}

void cpu_loop_exit_restore(CPUState *cpu, uintptr_t retaddr)
{
    if (retaddr) {
        cpu_restore_state(cpu, retaddr);
    }
    cpu_loop_exit(cpu);
}

void cpu_loop_exit_noexc(CPUState *cpu)
{
    cpu->exception_index = -1;
    cpu_loop_exit(cpu);
}

void cpu_loop_exit_atomic(CPUState *cpu, uintptr_t retaddr)
{
    if (retaddr) {
        cpu_restore_state(cpu, retaddr);
    }
    cpu->exception_index = EXCP_ATOMIC;
    cpu_loop_exit(cpu);
}

/* ------------------------------------------------------------------ */
/* Lookup                                                               */

static TranslationBlock *tb_lookup(CPUState *cpu, vaddr pc, uint64_t cs_base,
                                   uint32_t flags, uint32_t cflags)
{
    AccelCPUState *a = cpu->accel;
    uint32_t h = tb_jmp_cache_hash(pc, flags);
    TranslationBlock *tb = __atomic_load_n(&a->jmp_cache[h], __ATOMIC_ACQUIRE);

    if (tb && tb->pc == pc && tb->cs_base == cs_base && tb->flags == flags &&
        __atomic_load_n(&tb->cflags, __ATOMIC_ACQUIRE) == cflags) {
        return tb;
    }
    tb = tb_htable_lookup(cpu, pc, cs_base, flags, cflags);
    if (tb) {
        __atomic_store_n(&a->jmp_cache[h], tb, __ATOMIC_RELEASE);
    }
    return tb;
}

const void *helper_lookup_tb_ptr(CPUArchState *env)
{
    CPUState *cpu = tcg_env_cpu(env);
    vaddr pc;
    uint64_t cs_base;
    uint32_t flags, cflags;
    TranslationBlock *tb;

    cflags = curr_cflags(cpu);
    if (cflags & CF_NO_GOTO_PTR) {
        return tcg_code_gen_epilogue;
    }
    cpu_tcg_ops(cpu)->get_tb_cpu_state(env, &pc, &cs_base, &flags);
    tb = tb_lookup(cpu, pc, cs_base, flags, cflags);
    if (!tb) {
        return tcg_code_gen_epilogue;
    }
    if (turtle_loglevel_mask(CPU_LOG_EXEC)) {
        tlog_mask(CPU_LOG_EXEC, "Chain %d: %p [%016" PRIx64 "/%08x] (lookup)\n",
                  cpu->cpu_index, tb->tc.ptr, (uint64_t)pc, flags);
    }
    __atomic_fetch_add(&tcg_stats.tb_lookup_ptr_hits, 1, __ATOMIC_RELAXED);
    return tb->tc.ptr;
}

/* ------------------------------------------------------------------ */
/* The loop                                                             */

static bool cpu_handle_halt(CPUState *cpu)
{
    const TCGCPUOps *ops = cpu_tcg_ops(cpu);

    if (!__atomic_load_n(&cpu->halted, __ATOMIC_ACQUIRE)) {
        return false;
    }
    if (ops->cpu_exec_halt ? !ops->cpu_exec_halt(cpu) : !cpu_has_work(cpu)) {
        return true;
    }
    __atomic_store_n(&cpu->halted, 0, __ATOMIC_RELEASE);
    return false;
}

/* true: leave cpu_exec returning *ret */
static bool cpu_handle_exception(CPUState *cpu, int *ret)
{
    const TCGCPUOps *ops = cpu_tcg_ops(cpu);

    if (cpu->exception_index < 0) {
        return false;
    }
    if (cpu->exception_index >= EXCP_INTERRUPT) {
        *ret = cpu->exception_index;
        if (*ret == EXCP_DEBUG && ops->debug_excp_handler) {
            ops->debug_excp_handler(cpu);
        }
        cpu->exception_index = -1;
        return true;
    }
    if (ops->do_interrupt) {
        bql_lock();
        ops->do_interrupt(cpu);
        bql_unlock();
    }
    cpu->exception_index = -1;
    if (unlikely(cpu->accel->watchpoint_after)) {
        /* the instruction that hit a watchpoint faulted when run again:
         * the guest's exception wins, the access did not happen */
        cpu->accel->watchpoint_after = false;
        cpu->watchpoint_hit = false;
    }
    if (cpu->singlestep_enabled) {
        /* gdb: stop on the first insn of the handler */
        *ret = EXCP_DEBUG;
        return true;
    }
    return false;
}

/* true: leave the inner loop (an exception or exit is pending) */
static bool cpu_handle_interrupt(CPUState *cpu, TranslationBlock **last_tb)
{
    const TCGCPUOps *ops = cpu_tcg_ops(cpu);
    uint32_t ir;

    /* the storing insn of a self-modifying TB runs first, uninterrupted */
    if (cpu->cflags_next_tb != (uint32_t)-1 && (cpu->cflags_next_tb & CF_NOIRQ)) {
        return false;
    }
    /* clear the request flag before looking at the reasons for it */
    __atomic_store_n(&cpu->neg_ptr->icount_decr.u16.high, 0, __ATOMIC_SEQ_CST);

    ir = __atomic_load_n(&cpu->interrupt_request, __ATOMIC_SEQ_CST);
    if (ir) {
        if (ir & CPU_INTERRUPT_DEBUG) {
            cpu_reset_interrupt(cpu, CPU_INTERRUPT_DEBUG);
            cpu->exception_index = EXCP_DEBUG;
            return true;
        }
        if (ir & CPU_INTERRUPT_HALT) {
            cpu_reset_interrupt(cpu, CPU_INTERRUPT_HALT);
            __atomic_store_n(&cpu->halted, 1, __ATOMIC_RELEASE);
            cpu->exception_index = EXCP_HLT;
            return true;
        }
        bql_lock();
        /* a gdb single step (SSTEP_NOIRQ) runs the insn it was asked
         * for; pending interrupts wait until the VM resumes */
        if (ops->cpu_exec_interrupt &&
            !(cpu->singlestep_enabled & SSTEP_NOIRQ) &&
            ops->cpu_exec_interrupt(cpu, ir & ~(CPU_INTERRUPT_EXITTB |
                                                CPU_INTERRUPT_HALT |
                                                CPU_INTERRUPT_DEBUG))) {
            if (turtle_loglevel_mask(CPU_LOG_INT)) {
                tlog_mask(CPU_LOG_INT, "vCPU %d: took interrupt (request 0x%x)\n",
                          cpu->cpu_index, ir);
            }
            cpu->exception_index = -1;
            *last_tb = NULL;
        }
        if (__atomic_load_n(&cpu->interrupt_request, __ATOMIC_SEQ_CST) &
            CPU_INTERRUPT_EXITTB) {
            cpu_reset_interrupt(cpu, CPU_INTERRUPT_EXITTB);
            *last_tb = NULL;
        }
        bql_unlock();
        if (cpu->exception_index >= 0) {
            return true;        /* cpu_exec_interrupt raised something */
        }
    }
    if (__atomic_load_n(&cpu->exit_request, __ATOMIC_SEQ_CST)) {
        __atomic_store_n(&cpu->exit_request, 0, __ATOMIC_SEQ_CST);
        if (cpu->exception_index == -1) {
            cpu->exception_index = EXCP_INTERRUPT;
        }
        return true;
    }
    return false;
}

static void log_cpu_exec(CPUState *cpu, TranslationBlock *tb)
{
    if (turtle_loglevel_mask(CPU_LOG_EXEC)) {
        tlog_mask(CPU_LOG_EXEC, "Trace %d: %p [%016" PRIx64 "/%016" PRIx64
                  "/%08x/%08x]\n", cpu->cpu_index, tb->tc.ptr, (uint64_t)tb->pc,
                  tb->cs_base, tb->flags, tb->cflags);
    }
    if (turtle_loglevel_mask(CPU_LOG_TB_CPU)) {
        FILE *f = turtle_log_trylock();

        if (f) {
            cpu_dump_state(cpu, f, 0);
            turtle_log_unlock(f);
        }
    }
}

static void cpu_loop_exec_tb(CPUState *cpu, TranslationBlock *tb,
                             TranslationBlock **last_tb, int *tb_exit)
{
    const TCGCPUOps *ops = cpu_tcg_ops(cpu);
    uintptr_t ret;
    TranslationBlock *last;

    log_cpu_exec(cpu, tb);
    tcg_stats.tb_exec_entries++;
    ret = tcg_qemu_tb_exec(tcg_cpu_env(cpu), tb->tc.ptr);
    last = (TranslationBlock *)(ret & ~(uintptr_t)TB_EXIT_MASK);
    *tb_exit = ret & TB_EXIT_MASK;

    if (*tb_exit == TB_EXIT_REQUESTED) {
        /* left at the entry of `last` before it did anything */
        if (last) {
            if (ops->synchronize_from_tb) {
                ops->synchronize_from_tb(cpu, last);
            } else {
                CPU_GET_CLASS(cpu)->set_pc(cpu, last->pc);
            }
        }
        *last_tb = NULL;
        return;
    }
    *last_tb = last;
}

int cpu_exec(CPUState *cpu)
{
    const TCGCPUOps *ops = cpu_tcg_ops(cpu);
    CPUArchState *env = tcg_cpu_env(cpu);
    volatile int ret = EXCP_INTERRUPT;
    CPUState *volatile self = cpu;

    tcg_cpu_init(cpu);
    if (cpu_handle_halt(cpu)) {
        return EXCP_HALTED;
    }
    current_cpu = cpu;
    if (ops->cpu_exec_enter) {
        ops->cpu_exec_enter(cpu);
    }

    if (sigsetjmp(cpu->jmp_env, 0) != 0) {
        /* back from cpu_loop_exit: drop what the exit path still held */
        cpu = self;
        current_cpu = cpu;
        env = tcg_cpu_env(cpu);
        tcg_in_translation = false;
        tb_lock_reset();
        if (bql_locked()) {
            bql_unlock();
        }
    }

    for (;;) {
        int r;
        TranslationBlock *last_tb = NULL;
        int tb_exit = 0;

        if (cpu_handle_exception(cpu, &r)) {
            ret = r;
            break;
        }
        while (!cpu_handle_interrupt(cpu, &last_tb)) {
            TranslationBlock *tb;
            vaddr pc;
            uint64_t cs_base;
            uint32_t flags, cflags = cpu->cflags_next_tb;

            if (cflags == (uint32_t)-1) {
                cflags = curr_cflags(cpu);
            } else {
                cpu->cflags_next_tb = -1;
            }
            ops->get_tb_cpu_state(env, &pc, &cs_base, &flags);
            if (translator_has_breakpoint(cpu, pc)) {
                cpu->exception_index = EXCP_DEBUG;
                break;
            }
            tb = tb_lookup(cpu, pc, cs_base, flags, cflags);
            if (!tb) {
                uint64_t flushes = tb_flush_count_get();

                tb = tb_gen_code(cpu, pc, cs_base, flags, cflags);
                if (!tb) {
                    /* execution from MMIO: stop this vCPU cleanly */
                    cpu->crash_occurred = true;
                    cpu->stop = true;
                    cpu->exception_index = EXCP_HALTED;
                    break;
                }
                __atomic_store_n(&cpu->accel->jmp_cache[tb_jmp_cache_hash(pc, flags)],
                                 tb, __ATOMIC_RELEASE);
                if (flushes != tb_flush_count_get()) {
                    last_tb = NULL;     /* it was thrown away */
                }
            }
            if (last_tb && !(last_tb->cflags & CF_NO_GOTO_TB) &&
                !turtle_loglevel_mask(CPU_LOG_TB_NOCHAIN)) {
                tb_add_jump(last_tb, tb_exit, tb);
            }
            cpu_loop_exec_tb(cpu, tb, &last_tb, &tb_exit);
            if (unlikely(cpu->accel->watchpoint_after)) {
                /* the instruction that hit a watchpoint ran: report it */
                cpu->accel->watchpoint_after = false;
                cpu->exception_index = EXCP_DEBUG;
                break;
            }
            if (tb->cflags & CF_SINGLE_STEP) {
                /* one insn done: report to gdb */
                cpu->exception_index = EXCP_DEBUG;
                break;
            }
        }
    }

    if (ops->cpu_exec_exit) {
        ops->cpu_exec_exit(cpu);
    }
    return ret;
}

/*
 * EXCP_ATOMIC: run the next insn alone while every other vCPU is stopped,
 * from code generated without CF_PARALLEL (so plain loads and stores are
 * atomic enough).  The caller holds no lock.
 */
__thread bool tcg_in_atomic_step;

void tcg_cpu_exec_step_atomic(CPUState *cpu)
{
    const TCGCPUOps *ops = cpu_tcg_ops(cpu);
    CPUArchState *env = tcg_cpu_env(cpu);

    start_exclusive();
    tcg_in_atomic_step = true;
    tcg_stats.atomic_steps++;
    if (sigsetjmp(cpu->jmp_env, 0) == 0) {
        vaddr pc;
        uint64_t cs_base;
        uint32_t flags;
        uint32_t cflags = (curr_cflags(cpu) & ~(CF_PARALLEL | CF_COUNT_MASK)) |
                          CF_NOIRQ | 1;
        TranslationBlock *tb, *last = NULL;
        int tb_exit;

        ops->get_tb_cpu_state(env, &pc, &cs_base, &flags);
        tb = tb_lookup(cpu, pc, cs_base, flags, cflags);
        if (!tb) {
            tb = tb_gen_code(cpu, pc, cs_base, flags, cflags);
        }
        if (tb) {
            cpu_loop_exec_tb(cpu, tb, &last, &tb_exit);
        }
    } else {
        tcg_in_translation = false;
        tb_lock_reset();
        if (bql_locked()) {
            bql_unlock();
        }
        /* an exception in the atomic insn is delivered by cpu_exec */
    }
    tcg_in_atomic_step = false;
    end_exclusive();
}

void tcg_cpu_init(CPUState *cpu)
{
    static bool ops_initialized;

    if (!__atomic_load_n(&ops_initialized, __ATOMIC_ACQUIRE)) {
        /* the front end's TCG globals, once per process */
        tb_lock_acquire();
        if (!ops_initialized) {
            const TCGCPUOps *ops = cpu_tcg_ops(cpu);

            if (ops->initialize) {
                ops->initialize();
            }
            __atomic_store_n(&ops_initialized, true, __ATOMIC_RELEASE);
        }
        tb_lock_release();
    }
    if (!cpu->accel) {
        tlb_init(cpu);
        cpu->exception_index = -1;      /* nothing pending at power-on */
    }
}

void tcg_cpu_destroy(CPUState *cpu)
{
    tlb_destroy(cpu);
}
