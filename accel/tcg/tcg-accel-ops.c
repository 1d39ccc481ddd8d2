/*
 * The "tcg" accelerator: options, start-up and the vCPU threads.
 *
 *   -accel tcg[,backend=native|tci][,tb-size=MB][,thread=multi|single]
 *             [,split-wx=on|off]
 *
 * thread=multi (default): one host thread per vCPU (MTTCG), each running
 * cpu_exec with the BQL dropped.  thread=single: one thread runs every
 * vCPU in turn, switching at least every 10 ms.
 */
#include "internal.h"
#include "accel/accel.h"
#include "sysemu/cpus.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "sysemu/target-info.h"
#include "turtle/option.h"

static TCGOptions tcg_opts = { .backend = TCG_BACKEND_NATIVE };
static bool tcg_mttcg = true;

bool tcg_accel_parse_backend(const char *s, TCGBackendKind *kind, Error **errp)
{
    if (!strcmp(s, "native")) {
        *kind = TCG_BACKEND_NATIVE;
    } else if (!strcmp(s, "tci")) {
        *kind = TCG_BACKEND_TCI;
    } else {
        error_setg(errp, "tcg: backend='%s' is not valid: use 'native' or 'tci'",
                   s);
        return false;
    }
    return true;
}

static bool tcg_parse_opts(Opts *opts, Error **errp)
{
    const char *s;
    uint64_t mb;
    bool b;

    s = opts_get(opts, "backend");
    if (s && !tcg_accel_parse_backend(s, &tcg_opts.backend, errp)) {
        return false;
    }
    if (opts_has(opts, "tb-size")) {
        if (!opts_get_uint(opts, "tb-size", &mb, errp)) {
            return false;
        }
        if (mb < 1 || mb > 2048) {
            error_setg(errp, "tcg: tb-size=%" PRIu64 " is out of range "
                       "(1..2048 MB)", mb);
            return false;
        }
        tcg_opts.tb_size = (size_t)mb << 20;
    }
    s = opts_get(opts, "thread");
    if (s) {
        if (!strcmp(s, "multi")) {
            tcg_mttcg = true;
        } else if (!strcmp(s, "single")) {
            tcg_mttcg = false;
        } else {
            error_setg(errp, "tcg: thread='%s' is not valid: use 'multi' or "
                       "'single'", s);
            return false;
        }
    }
    if (opts_has(opts, "split-wx")) {
        if (!opts_get_bool(opts, "split-wx", &b, errp)) {
            return false;
        }
        tcg_opts.split_wx = b;
    }
    return true;
}

static bool tcg_init_machine(MachineState *ms, Error **errp)
{
    if (!turtle_target.tcg) {
        error_setg(errp, "accelerator 'tcg' has no %s front end in this build yet",
                   turtle_target.name);
        return false;
    }
    return tcg_exec_init(turtle_target.tcg, &tcg_opts, tcg_mttcg, errp);
}

/* ------------------------------------------------------------------ */
/* MTTCG: one thread per vCPU                                           */

static void tcg_handle_debug(CPUState *cpu)
{
    cpu->stopped = true;
    qemu_system_debug_request();
}

static void *tcg_vcpu_thread_fn(void *arg)
{
    CPUState *cpu = arg;

    bql_lock();
    current_cpu = cpu;
    cpu->thread_created = true;
    tcg_cpu_init(cpu);
    cpu_thread_signal_created(cpu);

    for (;;) {
        if (cpu_can_run(cpu)) {
            int r;

            bql_unlock();
            cpu_exec_start(cpu);
            r = cpu_exec(cpu);
            cpu_exec_end(cpu);
            bql_lock();
            switch (r) {
            case EXCP_DEBUG:
                tcg_handle_debug(cpu);
                break;
            case EXCP_ATOMIC:
                bql_unlock();
                tcg_cpu_exec_step_atomic(cpu);
                bql_lock();
                break;
            default:
                break;
            }
        }
        qemu_wait_io_event(cpu);
        if (cpu->unplug && !cpu_can_run(cpu)) {
            break;
        }
    }
    tcg_cpu_destroy(cpu);
    cpu_thread_signal_destroyed(cpu);
    bql_unlock();
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Single thread, round robin                                           */

static bool rr_started;
static CPUState *rr_current;         /* (atomic) vCPU in cpu_exec */
static pthread_cond_t rr_cond = PTHREAD_COND_INITIALIZER;

static void *rr_kick_thread_fn(void *arg)
{
    for (;;) {
        CPUState *cpu;

        g_usleep(10 * 1000);
        cpu = __atomic_load_n(&rr_current, __ATOMIC_ACQUIRE);
        if (cpu && cpus_list && cpus_list->len > 1) {
            cpu_exit(cpu);
        }
    }
    return NULL;
}

static bool rr_all_idle(void)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        if (!cpu_thread_is_idle(cpu)) {
            return false;
        }
    }
    return true;
}

static void *rr_thread_fn(void *arg)
{
    CPUState *cpu;
    pthread_t kicker;

    bql_lock();
    pthread_create(&kicker, NULL, rr_kick_thread_fn, NULL);
    pthread_detach(kicker);
    CPU_FOREACH(cpu) {
        cpu->thread = pthread_self();
        cpu->thread_created = true;
        tcg_cpu_init(cpu);
        cpu_thread_signal_created(cpu);
    }

    for (;;) {
        CPU_FOREACH(cpu) {
            if (!cpu->thread_created) {
                /* hot-added after start: adopt it */
                cpu->thread = pthread_self();
                cpu->thread_created = true;
                tcg_cpu_init(cpu);
                cpu_thread_signal_created(cpu);
            }
            if (cpu_can_run(cpu) && !cpu_thread_is_idle(cpu)) {
                int r;

                current_cpu = cpu;
                __atomic_store_n(&rr_current, cpu, __ATOMIC_RELEASE);
                bql_unlock();
                cpu_exec_start(cpu);
                r = cpu_exec(cpu);
                cpu_exec_end(cpu);
                bql_lock();
                __atomic_store_n(&rr_current, NULL, __ATOMIC_RELEASE);
                if (r == EXCP_DEBUG) {
                    tcg_handle_debug(cpu);
                } else if (r == EXCP_ATOMIC) {
                    bql_unlock();
                    tcg_cpu_exec_step_atomic(cpu);
                    bql_lock();
                }
            }
        }
        CPU_FOREACH(cpu) {
            current_cpu = cpu;
            qemu_wait_io_event_common(cpu);
        }
        current_cpu = NULL;
        if (rr_all_idle()) {
            bql_cond_timedwait_ms(&rr_cond, 10);
        }
    }
    return NULL;
}

static bool tcg_create_vcpu_thread(CPUState *cpu, Error **errp)
{
    int err;

    tcg_cpu_init(cpu);
    if (tcg_mttcg) {
        err = pthread_create(&cpu->thread, NULL, tcg_vcpu_thread_fn, cpu);
        if (err) {
            error_setg(errp, "tcg: cannot create the vCPU %d thread: %s",
                       cpu->cpu_index, strerror(err));
            return false;
        }
        return true;
    }
    if (!rr_started) {
        pthread_t t;

        err = pthread_create(&t, NULL, rr_thread_fn, NULL);
        if (err) {
            error_setg(errp, "tcg: cannot create the vCPU thread: %s",
                       strerror(err));
            return false;
        }
        rr_started = true;
        pthread_detach(t);
    } else {
        /* the round-robin thread adopts it on its next pass */
        pthread_cond_broadcast(&rr_cond);
    }
    return true;
}

static void tcg_kick_vcpu_thread(CPUState *cpu)
{
    cpu_exit(cpu);
    if (!tcg_mttcg) {
        CPUState *cur = __atomic_load_n(&rr_current, __ATOMIC_ACQUIRE);

        if (cur) {
            cpu_exit(cur);
        }
        pthread_cond_broadcast(&rr_cond);
    }
}

static void tcg_handle_interrupt(CPUState *cpu, int mask)
{
    __atomic_fetch_or(&cpu->interrupt_request, mask, __ATOMIC_SEQ_CST);
    if (!qemu_cpu_is_self(cpu)) {
        qemu_cpu_kick(cpu);
    } else if (cpu->neg_ptr) {
        /* leave at the next TB entry; no need to leave cpu_exec */
        __atomic_store_n(&cpu->neg_ptr->icount_decr.u16.high, 0xffff,
                         __ATOMIC_SEQ_CST);
    }
}

static bool tcg_supports_guest_debug(void)
{
    return true;
}

static void tcg_flush_after_bp(CPUState *cpu, run_on_cpu_data d)
{
    tb_flush(cpu);
}

static int tcg_insert_breakpoint(CPUState *cpu, int type, vaddr addr,
                                 vaddr len)
{
    CPUState *c;

    if (type >= 2 && type <= 4) {
        return tcg_watchpoint_insert(addr, len, type);
    }
    if (type != 0 && type != 1) {
        return -ENOSYS;
    }
    CPU_FOREACH(c) {
        if (!c->breakpoints) {
            c->breakpoints = g_array_new(false, false, sizeof(vaddr));
        }
        g_array_append_val(c->breakpoints, addr);
    }
    /* TBs already translated across addr must be redone */
    tcg_flush_after_bp(cpu, RUN_ON_CPU_NULL);
    return 0;
}

static int tcg_remove_breakpoint(CPUState *cpu, int type, vaddr addr,
                                 vaddr len)
{
    CPUState *c;
    bool found = false;

    if (type >= 2 && type <= 4) {
        return tcg_watchpoint_remove(addr, len, type);
    }
    if (type != 0 && type != 1) {
        return -ENOSYS;
    }
    CPU_FOREACH(c) {
        guint i;

        for (i = 0; c->breakpoints && i < c->breakpoints->len; i++) {
            if (g_array_index(c->breakpoints, vaddr, i) == addr) {
                g_array_remove_index(c->breakpoints, i);
                found = true;
                break;
            }
        }
    }
    if (!found) {
        return -ENOENT;
    }
    tcg_flush_after_bp(cpu, RUN_ON_CPU_NULL);
    return 0;
}

static void tcg_remove_all_breakpoints(CPUState *cpu)
{
    CPUState *c;

    CPU_FOREACH(c) {
        if (c->breakpoints) {
            g_array_set_size(c->breakpoints, 0);
        }
    }
    tcg_watchpoint_remove_all();
    tcg_flush_after_bp(cpu, RUN_ON_CPU_NULL);
}

static const AccelOps tcg_accel_ops = {
    .name = "tcg",
    .help = "backend=native|tci, tb-size=MB, thread=multi|single, "
            "split-wx=on|off",
    .parse_opts = tcg_parse_opts,
    .init_machine = tcg_init_machine,
    .create_vcpu_thread = tcg_create_vcpu_thread,
    .kick_vcpu_thread = tcg_kick_vcpu_thread,
    .handle_interrupt = tcg_handle_interrupt,
    .supports_guest_debug = tcg_supports_guest_debug,
    .insert_breakpoint = tcg_insert_breakpoint,
    .remove_breakpoint = tcg_remove_breakpoint,
    .remove_all_breakpoints = tcg_remove_all_breakpoints,
    .ram_code_written = tcg_ram_code_written,
};
ACCEL_REGISTER(tcg_accel_ops)
