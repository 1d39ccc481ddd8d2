/*
 * KVM vCPUs: creation, the KVM_RUN loop and its exits, kicks by signal,
 * and register synchronisation.
 *
 * Threads and signals: each vCPU runs on its own thread.  A kick is
 * SIG_IPI (SIGUSR1) sent to that thread; it must make the thread leave
 * KVM_RUN, or not enter it, and never be lost.  KVM_SET_SIGNAL_MASK gives
 * the kernel the mask to use inside KVM_RUN, which always lets SIG_IPI
 * through: a pending SIG_IPI makes KVM_RUN return EINTR.  The kernel puts
 * the thread's own mask back before returning, so what happens to the
 * signal then depends on that mask:
 *  - with KVM_CAP_IMMEDIATE_EXIT (every kernel since 4.11), SIG_IPI is
 *    unblocked on the thread and its handler sets kvm_run->immediate_exit:
 *    a kick taken anywhere outside KVM_RUN makes the next KVM_RUN return
 *    EINTR without entering the guest (after completing a pending I/O);
 *    the flag is cleared when that EINTR is seen;
 *  - without it, SIG_IPI stays blocked on the thread, so a kick stays
 *    pending until the next KVM_RUN, which returns EINTR at once; the
 *    pending signal is then consumed with sigtimedwait ("eaten"),
 *    otherwise every later KVM_RUN would return EINTR too.
 *
 * Register state: the kernel owns it while the vCPU runs.  Whoever needs
 * it (register dump, gdb, reset, snapshots) calls cpu_synchronize_state,
 * which fetches it on the vCPU thread and sets cpu->vcpu_dirty; the run
 * loop writes it back before the next KVM_RUN.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "accel/kvm/kvm-int.h"
#include "sysemu/cpus.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include <sys/mman.h>

/* ---- creation ---- */

bool kvm_init_vcpu(CPUState *cpu, Error **errp)
{
    KVMState *s = kvm_state_global;
    const KVMHostOps *ops = kvm_host_ops();
    void *run;
    int fd;

    fd = kvm_vm_ioctl(s, KVM_CREATE_VCPU, (void *)(uintptr_t)cpu->cpu_index);
    if (fd < 0) {
        error_setg_errno(errp, -fd, "kvm: KVM_CREATE_VCPU %d failed",
                         cpu->cpu_index);
        return false;
    }
    run = ops->mmap(s->vcpu_mmap_size, fd);
    if (run == MAP_FAILED) {
        error_setg_errno(errp, errno, "kvm: mapping the kvm_run area of "
                         "vCPU %d", cpu->cpu_index);
        ops->close(fd);
        return false;
    }
    cpu->kvm_fd = fd;
    cpu->kvm_run = run;
    cpu->vcpu_dirty = true;
    if (s->irqchip_in_kernel) {
        /* the kernel halts and wakes the vCPU (HLT, INIT/SIPI) */
        g_atomic_int_set(&cpu->halted, 0);
    }
    return kvm_arch_init_vcpu(cpu, errp);
}

void kvm_destroy_vcpu(CPUState *cpu)
{
    const KVMHostOps *ops = kvm_host_ops();

    kvm_arch_destroy_vcpu(cpu);
    if (cpu->kvm_run) {
        ops->munmap(cpu->kvm_run, kvm_state_global->vcpu_mmap_size);
        cpu->kvm_run = NULL;
    }
    if (cpu->kvm_fd >= 0) {
        ops->close(cpu->kvm_fd);
        cpu->kvm_fd = -1;
    }
}

/* ---- signals ---- */

static void kvm_ipi_handler(int sig)
{
    CPUState *cpu = current_cpu;

    /* async-signal-safe: one store into this thread's kvm_run */
    if (cpu && cpu->kvm_run && kvm_state_global &&
        kvm_state_global->immediate_exit) {
        __atomic_store_n(&cpu->kvm_run->immediate_exit, 1, __ATOMIC_SEQ_CST);
    }
}

bool kvm_init_cpu_signals(CPUState *cpu, Error **errp)
{
    struct sigaction sa = { .sa_handler = kvm_ipi_handler };
    struct kvm_signal_mask *km;
    sigset_t set, ipi;
    int r;

    sigemptyset(&sa.sa_mask);
    sigaction(SIG_IPI, &sa, NULL);
    sigemptyset(&ipi);
    sigaddset(&ipi, SIG_IPI);
    pthread_sigmask(kvm_state_global->immediate_exit ? SIG_UNBLOCK
                                                     : SIG_BLOCK,
                    &ipi, NULL);

    /* the kernel's view: our mask without SIG_IPI (8 bytes on x86-64) */
    pthread_sigmask(SIG_BLOCK, NULL, &set);
    sigdelset(&set, SIG_IPI);
    km = g_malloc0(sizeof(*km) + sizeof(set));
    km->len = 8;
    memcpy(km->sigset, &set, 8);
    r = kvm_vcpu_ioctl(cpu, KVM_SET_SIGNAL_MASK, km);
    g_free(km);
    if (r < 0) {
        error_setg_errno(errp, -r, "kvm: KVM_SET_SIGNAL_MASK");
        return false;
    }
    return true;
}

/* After KVM_RUN returned EINTR: forget the kick(s) that caused it. */
static void kvm_eat_signals(CPUState *cpu)
{
    struct timespec zero = { 0, 0 };
    sigset_t ipi, pending;

    if (kvm_state_global->immediate_exit) {
        __atomic_store_n(&cpu->kvm_run->immediate_exit, 0, __ATOMIC_SEQ_CST);
        return;
    }
    sigemptyset(&ipi);
    sigaddset(&ipi, SIG_IPI);
    do {
        while (sigtimedwait(&ipi, NULL, &zero) < 0 && errno == EINTR) {
            /* another signal's handler ran: retry */
        }
        sigpending(&pending);
    } while (sigismember(&pending, SIG_IPI));
}

void kvm_vcpu_kick(CPUState *cpu)
{
    if (!cpu->thread_created) {
        return;
    }
    pthread_kill(cpu->thread, SIG_IPI);
}

/* ---- exits ---- */

static void report_and_stop(CPUState *cpu, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void report_and_stop(CPUState *cpu, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_report("kvm: vCPU %d: %s", cpu->cpu_index, msg);
    g_free(msg);
}

static void handle_io(struct kvm_run *run)
{
    uint8_t *data = (uint8_t *)run + run->io.data_offset;
    bool out = run->io.direction == KVM_EXIT_IO_OUT;

    bql_lock();
    for (uint32_t i = 0; i < run->io.count; i++) {
        address_space_rw(&address_space_io, run->io.port,
                         MEMTXATTRS_UNSPECIFIED, data, run->io.size, out);
        data += run->io.size;
    }
    bql_unlock();
}

static void handle_mmio(struct kvm_run *run)
{
    bql_lock();
    address_space_rw(&address_space_memory, run->mmio.phys_addr,
                     MEMTXATTRS_UNSPECIFIED, run->mmio.data, run->mmio.len,
                     run->mmio.is_write);
    bql_unlock();
}

static const char *exit_reason_name(uint32_t r)
{
    switch (r) {
    case KVM_EXIT_UNKNOWN: return "UNKNOWN";
    case KVM_EXIT_EXCEPTION: return "EXCEPTION";
    case KVM_EXIT_DEBUG: return "DEBUG";
    case KVM_EXIT_FAIL_ENTRY: return "FAIL_ENTRY";
    case KVM_EXIT_INTERNAL_ERROR: return "INTERNAL_ERROR";
    default: return "?";
    }
}

int kvm_handle_exit(CPUState *cpu, struct kvm_run *run)
{
    switch (run->exit_reason) {
    case KVM_EXIT_IO:
        handle_io(run);
        return 0;
    case KVM_EXIT_MMIO:
        handle_mmio(run);
        return 0;
    case KVM_EXIT_IRQ_WINDOW_OPEN:
        return 0;                   /* pre_run injects now */
    case KVM_EXIT_INTR:
        return EXCP_INTERRUPT;
    case KVM_EXIT_HLT:
        /* only without the in-kernel irqchip: wait for an interrupt */
        if (!cpu_has_work(cpu)) {
            g_atomic_int_set(&cpu->halted, 1);
        }
        return EXCP_HLT;
    case KVM_EXIT_SHUTDOWN:
        tlog_mask(CPU_LOG_RESET, "kvm: vCPU %d: triple fault\n",
                  cpu->cpu_index);
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        return EXCP_INTERRUPT;
    case KVM_EXIT_SYSTEM_EVENT:
        switch (run->system_event.type) {
        case KVM_SYSTEM_EVENT_SHUTDOWN:
            qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
            return EXCP_INTERRUPT;
        case KVM_SYSTEM_EVENT_RESET:
            qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
            return EXCP_INTERRUPT;
        case KVM_SYSTEM_EVENT_CRASH:
            report_and_stop(cpu, "guest crash reported by KVM");
            return -1;
        default:
            return 0;
        }
    case KVM_EXIT_FAIL_ENTRY:
        report_and_stop(cpu, "KVM_EXIT_FAIL_ENTRY: hardware entry failure "
                        "reason 0x%" PRIx64 " (invalid guest state)",
                        (uint64_t)run->fail_entry.hardware_entry_failure_reason);
        return -1;
    case KVM_EXIT_INTERNAL_ERROR:
        if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION) {
            report_and_stop(cpu, "KVM_EXIT_INTERNAL_ERROR: the kernel "
                            "could not emulate an instruction");
        } else {
            report_and_stop(cpu, "KVM_EXIT_INTERNAL_ERROR suberror %u",
                            run->internal.suberror);
        }
        for (uint32_t i = 0; i < run->internal.ndata && i < 16; i++) {
            error_report("  data[%u] = 0x%016" PRIx64, i,
                         (uint64_t)run->internal.data[i]);
        }
        return -1;
    case KVM_EXIT_DEBUG:
        return kvm_arch_handle_debug(cpu, run);
    case KVM_EXIT_UNKNOWN:
    case KVM_EXIT_EXCEPTION:
        report_and_stop(cpu, "unexpected exit %s",
                        exit_reason_name(run->exit_reason));
        return -1;
    default:
        return kvm_arch_handle_exit(cpu, run);
    }
}

/* ---- the run loop ---- */

int kvm_cpu_exec(CPUState *cpu)
{
    struct kvm_run *run = cpu->kvm_run;
    int ret;

    if (kvm_arch_process_async_events(cpu)) {
        __atomic_store_n(&cpu->exit_request, 0, __ATOMIC_SEQ_CST);
        return EXCP_HLT;
    }
    bql_unlock();
    do {
        int r;

        if (cpu->vcpu_dirty) {
            r = kvm_arch_put_registers(cpu, KVM_PUT_RUNTIME_STATE);
            if (r < 0) {
                report_and_stop(cpu, "writing registers: %s", strerror(-r));
                ret = -1;
                break;
            }
            cpu->vcpu_dirty = false;
        }
        kvm_arch_pre_run(cpu, run);
        if (__atomic_load_n(&cpu->exit_request, __ATOMIC_SEQ_CST)) {
            if (kvm_state_global->immediate_exit) {
                /* enter once more, so the kernel finishes a pending I/O
                 * or MMIO instruction, and leave at once */
                __atomic_store_n(&run->immediate_exit, 1, __ATOMIC_SEQ_CST);
            } else {
                ret = EXCP_INTERRUPT;
                break;
            }
        }
        r = kvm_vcpu_ioctl(cpu, KVM_RUN, NULL);
        kvm_arch_post_run(cpu, run);
        if (r < 0) {
            if (r == -EINTR || r == -EAGAIN) {
                kvm_eat_signals(cpu);
                ret = EXCP_INTERRUPT;
                break;
            }
            report_and_stop(cpu, "KVM_RUN failed: %s", strerror(-r));
            ret = -1;
            break;
        }
        ret = kvm_handle_exit(cpu, run);
    } while (ret == 0);
    bql_lock();

    if (ret < 0) {
        cpu_dump_state(cpu, stderr, CPU_DUMP_CODE);
        cpu->stop = true;
        qemu_system_vmstop_request(RUN_STATE_INTERNAL_ERROR);
    } else if (ret == EXCP_INTERRUPT &&
               (run->exit_reason == KVM_EXIT_SHUTDOWN ||
                run->exit_reason == KVM_EXIT_SYSTEM_EVENT)) {
        /* a reset or shutdown was requested: wait for the main loop
         * (pause, reset, resume) instead of re-entering a dead vCPU */
        cpu->stop = true;
    }
    __atomic_store_n(&cpu->exit_request, 0, __ATOMIC_SEQ_CST);
    return ret;
}

/* ---- state synchronisation ---- */

static void do_sync_state(CPUState *cpu, run_on_cpu_data d)
{
    if (!cpu->vcpu_dirty) {
        int r = kvm_arch_get_registers(cpu);
        if (r < 0) {
            error_report("kvm: vCPU %d: reading registers: %s",
                         cpu->cpu_index, strerror(-r));
            return;
        }
        cpu->vcpu_dirty = true;
    }
}

void kvm_cpu_synchronize_state(CPUState *cpu)
{
    if (cpu->kvm_run && !cpu->vcpu_dirty) {
        run_on_cpu(cpu, do_sync_state, RUN_ON_CPU_NULL);
    }
}

static void do_put(CPUState *cpu, run_on_cpu_data d)
{
    int r = kvm_arch_put_registers(cpu, d.host_int);

    if (r < 0) {
        error_report("kvm: vCPU %d: writing registers: %s", cpu->cpu_index,
                     strerror(-r));
        return;
    }
    cpu->vcpu_dirty = false;
}

void kvm_cpu_synchronize_post_reset(CPUState *cpu)
{
    if (cpu->kvm_run) {
        run_on_cpu(cpu, do_put, RUN_ON_CPU_HOST_INT(KVM_PUT_RESET_STATE));
    }
}

/*
 * vm_start calls this on every start, also after a plain pause: the full
 * state (TSC included) goes in only the first time and after a loadvm,
 * so resuming a paused guest does not move its TSC back.
 */
static GHashTable *full_state_done;

void kvm_cpu_synchronize_post_init(CPUState *cpu)
{
    if (!cpu->kvm_run) {
        return;
    }
    if (!full_state_done) {
        full_state_done = g_hash_table_new(NULL, NULL);
    }
    if (!g_hash_table_contains(full_state_done, cpu)) {
        run_on_cpu(cpu, do_put, RUN_ON_CPU_HOST_INT(KVM_PUT_FULL_STATE));
        g_hash_table_add(full_state_done, cpu);
    } else if (cpu->vcpu_dirty) {
        run_on_cpu(cpu, do_put, RUN_ON_CPU_HOST_INT(KVM_PUT_RUNTIME_STATE));
    }
}

void kvm_cpu_synchronize_pre_loadvm(CPUState *cpu)
{
    cpu->vcpu_dirty = true;
    if (full_state_done) {
        g_hash_table_remove(full_state_done, cpu);
    }
}
