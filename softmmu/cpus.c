/*
 * vCPU thread management shared by the accelerators: the CPU list,
 * stop/resume, queued work, exclusive sections and state synchronisation.
 */
#include "turtle/osdep.h"
#include "sysemu/cpus.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "accel/accel.h"
#include "sysemu/guest-name.h"

GPtrArray *cpus_list;
__thread CPUState *current_cpu;

static pthread_cond_t qemu_cpu_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t qemu_pause_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t qemu_work_cond = PTHREAD_COND_INITIALIZER;

struct CPUWorkItem {
    run_on_cpu_func func;
    run_on_cpu_data data;
    bool free;
    bool exclusive;
    int done;
};

CPUState *qemu_get_cpu(int index)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        if (cpu->cpu_index == index) {
            return cpu;
        }
    }
    return NULL;
}

bool qemu_cpu_is_self(CPUState *cpu)
{
    return current_cpu == cpu;
}

/* ---- thread life cycle ---- */

void cpu_thread_signal_created(CPUState *cpu)
{
    cpu->created = true;
    pthread_cond_broadcast(&qemu_cpu_cond);
}

void cpu_thread_signal_destroyed(CPUState *cpu)
{
    cpu->created = false;
    pthread_cond_broadcast(&qemu_cpu_cond);
}

void cpu_thread_signal_failed(CPUState *cpu, Error *err)
{
    cpu->thread_error = err;
    pthread_cond_broadcast(&qemu_cpu_cond);
}

bool cpus_start_vcpu(CPUState *cpu, Error **errp)
{
    const AccelOps *ops = current_accel();

    g_assert(bql_locked());
    /* every CPU starts stopped; vm_start resumes them */
    cpu->stop = true;
    cpu->stopped = true;
    if (!ops || !ops->create_vcpu_thread) {
        cpu->created = true;
        return true;
    }
    if (!ops->create_vcpu_thread(cpu, errp)) {
        return false;
    }
    while (!cpu->created && !cpu->thread_error) {
        bql_cond_wait(&qemu_cpu_cond);
    }
    if (cpu->thread_error) {
        Error *err = cpu->thread_error;

        cpu->thread_error = NULL;
        /* the thread returns right after signalling; reap it */
        bql_unlock();
        pthread_join(cpu->thread, NULL);
        bql_lock();
        error_propagate(errp, err);
        return false;
    }
    /* -name debug-threads=on: QEMU's names (one TCG thread may run all) */
    {
        g_autofree char *acc = g_ascii_strup(ops->name, -1);
        CPUState *first = qemu_get_cpu(0);

        if (cpu != first && first && first->thread_created &&
            pthread_equal(cpu->thread, first->thread)) {
            guest_name_thread(cpu->thread, "ALL CPUs/%s", acc);
        } else {
            guest_name_thread(cpu->thread, "CPU %d/%s", cpu->cpu_index, acc);
        }
    }
    return true;
}

bool cpu_can_run(CPUState *cpu)
{
    return !cpu->stop && !cpu->stopped && runstate_is_running();
}

bool cpu_thread_is_idle(CPUState *cpu)
{
    if (cpu->stop || !g_queue_is_empty(&cpu->work_list)) {
        return false;
    }
    if (cpu->stopped || !runstate_is_running()) {
        return true;
    }
    return g_atomic_int_get(&cpu->halted) && !cpu_has_work(cpu);
}

void qemu_wait_io_event_common(CPUState *cpu)
{
    if (cpu->stop) {
        cpu->stop = false;
        cpu->stopped = true;
        pthread_cond_broadcast(&qemu_pause_cond);
    }
    process_queued_cpu_work(cpu);
}

void qemu_wait_io_event(CPUState *cpu)
{
    while (cpu_thread_is_idle(cpu) && !cpu->unplug) {
        bql_cond_wait(&cpu->halt_cond);
    }
    qemu_wait_io_event_common(cpu);
}

void cpus_kick_thread(CPUState *cpu)
{
    const AccelOps *ops = current_accel();

    pthread_cond_broadcast(&cpu->halt_cond);
    if (ops && ops->kick_vcpu_thread && !qemu_cpu_is_self(cpu)) {
        ops->kick_vcpu_thread(cpu);
    }
}

void qemu_cpu_kick(CPUState *cpu)
{
    cpus_kick_thread(cpu);
}

bool all_vcpus_paused(void)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        if (!cpu->stopped) {
            return false;
        }
    }
    return true;
}

void cpu_stop_current(void)
{
    if (current_cpu) {
        current_cpu->stop = true;
        cpu_exit(current_cpu);
    }
}

void pause_all_vcpus(void)
{
    CPUState *cpu;

    g_assert(bql_locked());
    CPU_FOREACH(cpu) {
        if (qemu_cpu_is_self(cpu)) {
            /* a vCPU pausing the VM stops itself when it returns */
            cpu->stop = true;
            cpu_exit(cpu);
        } else if (!cpu->stopped) {
            cpu->stop = true;
            qemu_cpu_kick(cpu);
        }
    }
    while (!all_vcpus_paused()) {
        bool only_self_left = true;
        CPU_FOREACH(cpu) {
            if (!cpu->stopped && !qemu_cpu_is_self(cpu)) {
                only_self_left = false;
                qemu_cpu_kick(cpu);
            }
        }
        if (only_self_left) {
            break;
        }
        bql_cond_timedwait_ms(&qemu_pause_cond, 100);
    }
}

void resume_all_vcpus(void)
{
    CPUState *cpu;

    g_assert(bql_locked());
    if (!runstate_is_running()) {
        return;
    }
    CPU_FOREACH(cpu) {
        cpu->stop = false;
        cpu->stopped = false;
        qemu_cpu_kick(cpu);
    }
}

/* ---- queued work ---- */

static void queue_work_on_cpu(CPUState *cpu, CPUWorkItem *wi)
{
    pthread_mutex_lock(&cpu->work_mutex);
    g_queue_push_tail(&cpu->work_list, wi);
    wi->done = false;
    pthread_mutex_unlock(&cpu->work_mutex);
    qemu_cpu_kick(cpu);
}

void run_on_cpu(CPUState *cpu, run_on_cpu_func func, run_on_cpu_data data)
{
    CPUWorkItem wi = { .func = func, .data = data };

    if (qemu_cpu_is_self(cpu) || !cpu->thread_created) {
        func(cpu, data);
        return;
    }
    queue_work_on_cpu(cpu, &wi);
    while (!g_atomic_int_get(&wi.done)) {
        CPUState *self = current_cpu;
        bql_cond_wait(&qemu_work_cond);
        current_cpu = self;
    }
}

void async_run_on_cpu(CPUState *cpu, run_on_cpu_func func, run_on_cpu_data data)
{
    CPUWorkItem *wi = g_new0(CPUWorkItem, 1);

    wi->func = func;
    wi->data = data;
    wi->free = true;
    queue_work_on_cpu(cpu, wi);
}

void async_safe_run_on_cpu(CPUState *cpu, run_on_cpu_func func,
                           run_on_cpu_data data)
{
    CPUWorkItem *wi = g_new0(CPUWorkItem, 1);

    wi->func = func;
    wi->data = data;
    wi->free = true;
    wi->exclusive = true;
    queue_work_on_cpu(cpu, wi);
}

void process_queued_cpu_work(CPUState *cpu)
{
    CPUWorkItem *wi;

    pthread_mutex_lock(&cpu->work_mutex);
    while ((wi = g_queue_pop_head(&cpu->work_list))) {
        pthread_mutex_unlock(&cpu->work_mutex);
        if (wi->exclusive) {
            /* every vCPU must be out of guest code: drop the BQL so the
             * others can reach cpu_exec_end */
            bql_unlock();
            start_exclusive();
            wi->func(cpu, wi->data);
            end_exclusive();
            bql_lock();
        } else {
            wi->func(cpu, wi->data);
        }
        if (wi->free) {
            g_free(wi);
        } else {
            g_atomic_int_set(&wi->done, true);
        }
        pthread_mutex_lock(&cpu->work_mutex);
    }
    pthread_mutex_unlock(&cpu->work_mutex);
    pthread_cond_broadcast(&qemu_work_cond);
}

/* ---- exclusive sections ---- */

static pthread_mutex_t exclusive_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t exclusive_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t exclusive_resume = PTHREAD_COND_INITIALIZER;
static int pending_cpus;

void start_exclusive(void)
{
    CPUState *cpu;
    int running = 0;

    pthread_mutex_lock(&exclusive_lock);
    while (pending_cpus) {
        pthread_cond_wait(&exclusive_resume, &exclusive_lock);
    }
    __atomic_store_n(&pending_cpus, 1, __ATOMIC_SEQ_CST);
    CPU_FOREACH(cpu) {
        if (cpu != current_cpu &&
            __atomic_load_n(&cpu->running, __ATOMIC_SEQ_CST)) {
            cpu->has_waiter = true;
            running++;
            cpu_exit(cpu);
        }
    }
    __atomic_store_n(&pending_cpus, running + 1, __ATOMIC_SEQ_CST);
    while (pending_cpus > 1) {
        pthread_cond_wait(&exclusive_cond, &exclusive_lock);
    }
    pthread_mutex_unlock(&exclusive_lock);
}

void end_exclusive(void)
{
    pthread_mutex_lock(&exclusive_lock);
    __atomic_store_n(&pending_cpus, 0, __ATOMIC_SEQ_CST);
    pthread_cond_broadcast(&exclusive_resume);
    pthread_mutex_unlock(&exclusive_lock);
}

void cpu_exec_start(CPUState *cpu)
{
    __atomic_store_n(&cpu->running, 1, __ATOMIC_SEQ_CST);
    if (unlikely(__atomic_load_n(&pending_cpus, __ATOMIC_SEQ_CST))) {
        pthread_mutex_lock(&exclusive_lock);
        if (!cpu->has_waiter) {
            /* an exclusive section started before we set running */
            __atomic_store_n(&cpu->running, 0, __ATOMIC_SEQ_CST);
            while (pending_cpus) {
                pthread_cond_wait(&exclusive_resume, &exclusive_lock);
            }
            __atomic_store_n(&cpu->running, 1, __ATOMIC_SEQ_CST);
        }
        pthread_mutex_unlock(&exclusive_lock);
    }
}

void cpu_exec_end(CPUState *cpu)
{
    __atomic_store_n(&cpu->running, 0, __ATOMIC_SEQ_CST);
    if (unlikely(__atomic_load_n(&pending_cpus, __ATOMIC_SEQ_CST))) {
        pthread_mutex_lock(&exclusive_lock);
        if (cpu->has_waiter) {
            cpu->has_waiter = false;
            if (--pending_cpus == 1) {
                pthread_cond_signal(&exclusive_cond);
            }
        }
        pthread_mutex_unlock(&exclusive_lock);
    }
}

/* ---- register state ---- */

void cpu_synchronize_state(CPUState *cpu)
{
    const AccelOps *ops = current_accel();

    if (ops && ops->synchronize_state) {
        ops->synchronize_state(cpu);
    }
}

void cpu_synchronize_post_reset(CPUState *cpu)
{
    const AccelOps *ops = current_accel();

    if (ops && ops->synchronize_post_reset) {
        ops->synchronize_post_reset(cpu);
    }
}

void cpu_synchronize_post_init(CPUState *cpu)
{
    const AccelOps *ops = current_accel();

    if (ops && ops->synchronize_post_init) {
        ops->synchronize_post_init(cpu);
    }
}

void cpu_synchronize_all_states(void)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        cpu_synchronize_state(cpu);
    }
}

void cpu_synchronize_all_post_reset(void)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        cpu_synchronize_post_reset(cpu);
    }
}

void cpu_synchronize_all_post_init(void)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        cpu_synchronize_post_init(cpu);
    }
}
