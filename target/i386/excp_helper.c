/*
 * Raising exceptions from helpers and generated code, with the rules of
 * SDM Vol. 3A 6.15 (Table 6-5): a contributory exception or a #PF while
 * delivering a contributory one, or a #PF while delivering a #PF, becomes
 * #DF; any exception while delivering #DF is a triple fault, which resets
 * the machine (as a PC does on shutdown).  The exception is delivered by
 * x86_cpu_do_interrupt() (seg_helper.c) from the cpu_exec loop.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "target/i386/x86-tcg.h"
#include "sysemu/runstate.h"

#define HELPER_H "target/i386/helper.h"
#include "tcg/helper-proto.h"

static bool contributory(int v)
{
    return v == EXCP00_DIVZ || (v >= EXCP0A_TSS && v <= EXCP0D_GPF);
}

/* the vector to raise instead, or -1 for a triple fault */
static int check_exception(CPUX86State *env, int vector, uint32_t *err)
{
    int old = env->old_exception;

    if (old < 0) {
        return vector;
    }
    if (old == EXCP08_DBLE) {
        if (vector == EXCP08_DBLE || contributory(vector) ||
            vector == EXCP0E_PAGE) {
            return -1;
        }
        return vector;
    }
    if ((contributory(old) && contributory(vector)) ||
        (old == EXCP0E_PAGE && (contributory(vector) ||
                                vector == EXCP0E_PAGE))) {
        *err = 0;
        return EXCP08_DBLE;
    }
    return vector;
}

/* kind: 0 exception, 1 INT n/INT3/INTO, 2 INT1 (ICEBP) */
static G_NORETURN void raise_full(CPUX86State *env, int vector, uint32_t err,
                                  int kind, uint64_t next_rip, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);

    if (!kind) {
        int v = check_exception(env, vector, &err);

        if (v < 0) {
            tlog_mask(CPU_LOG_INT | LOG_GUEST_ERROR,
                      "vCPU %d: triple fault (exception 0x%x while "
                      "delivering #DF): reset\n", cs->cpu_index, vector);
            if (ra) {
                cpu_restore_state(cs, ra);
            }
            env->old_exception = -1;
            qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
            cs->exception_index = EXCP_HLT;
            cs->halted = 1;
            cpu_loop_exit(cs);
        }
        vector = v;
    }
    cs->exception_index = vector;
    env->exc_error_code = err;
    env->exc_kind = kind;
    env->exc_next_rip = next_rip;
    cpu_loop_exit_restore(cs, ra);
}

void x86_raise_exception_err_ra(CPUX86State *env, int vector,
                                uint32_t error_code, uintptr_t ra)
{
    raise_full(env, vector, error_code, 0, 0, ra);
}

void x86_raise_exception_ra(CPUX86State *env, int vector, uintptr_t ra)
{
    raise_full(env, vector, 0, 0, 0, ra);
}

void x86_raise_exception_err(CPUX86State *env, int vector,
                             uint32_t error_code)
{
    raise_full(env, vector, error_code, 0, 0, 0);
}

void x86_raise_exception(CPUX86State *env, int vector)
{
    raise_full(env, vector, 0, 0, 0, 0);
}

void x86_raise_interrupt(CPUX86State *env, int vector, uint64_t next_rip)
{
    raise_full(env, vector, 0, 1, next_rip, 0);
}

void helper_raise_exception(CPUX86State *env, uint32_t vector)
{
    x86_raise_exception(env, vector);
}

void helper_raise_exception_err(CPUX86State *env, uint32_t vector,
                                uint32_t err)
{
    x86_raise_exception_err(env, vector, err);
}

/*
 * INT n / INT3 / INTO (kind 1: the gate's DPL is checked against CPL)
 * and INT1 (kind 2: ICEBP, delivered like a debug trap, no DPL check).
 */
void helper_raise_interrupt(CPUX86State *env, uint32_t vector,
                            uint32_t insn_len, uint32_t kind)
{
    uint64_t next = env->rip + insn_len;

    if (!(env->hflags & HF_CS64)) {
        next = (uint32_t)next;
    }
    raise_full(env, vector, 0, kind, next, 0);
}

/* gdb breakpoint */
void helper_debug(CPUX86State *env)
{
    CPUState *cs = env_cpu(env);

    cs->exception_index = EXCP_DEBUG;
    cpu_loop_exit(cs);
}

/* RFLAGS.TF: a #DB trap after the insn (DR6.BS, SDM Vol. 3A 17.3.1.4);
 * rip already points at the next insn */
void helper_single_step(CPUX86State *env)
{
    env->dr[6] |= 1u << 14;
    raise_full(env, EXCP01_DB, 0, 0, 0, 0);
}

void helper_reset_inhibit_irq(CPUX86State *env)
{
    env->interrupt_shadow = 0;
    env->hflags &= ~HF_INHIBIT_IRQ;
}

void helper_set_inhibit_irq(CPUX86State *env)
{
    env->interrupt_shadow = 1;
    env->hflags |= HF_INHIBIT_IRQ;
}
