/* Run state and shutdown/reset/powerdown requests; see sysemu/runstate.h. */
#include "turtle/osdep.h"
#include "sysemu/runstate.h"
#include "sysemu/main-loop.h"
#include "sysemu/cpus.h"
#include "turtle/timer.h"
#include "turtle/log.h"
#include "hw/core/boards.h"

bool no_reboot;
bool no_shutdown;

static RunState current_run_state = RUN_STATE_PRELAUNCH;
static int shutdown_requested;    /* ShutdownCause, atomic */
static int reset_requested;       /* ShutdownCause, atomic */
static int powerdown_requested;
static int debug_requested;
static int vmstop_requested = RUN_STATE__MAX;
static int exit_status_requested = -1;

typedef struct Hook {
    void (*fn)(void *opaque);
    void *opaque;
} Hook;

static GArray *powerdown_notifiers;
static GArray *reset_handlers;
typedef struct VMChangeHook {
    VMChangeStateHandler *fn;
    void *opaque;
} VMChangeHook;
static GArray *vm_change_handlers;
static GPtrArray *exit_notifiers;
typedef struct EventListener {
    RunstateEventFn *fn;
    void *opaque;
} EventListener;
static GArray *event_listeners;

static const char *const run_state_names[RUN_STATE__MAX] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_DEBUG] = "debug",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_INTERNAL_ERROR] = "internal-error",
    [RUN_STATE_GUEST_PANICKED] = "guest-panicked",
    [RUN_STATE_RESTORE_VM] = "restore-vm",
    [RUN_STATE_SAVE_VM] = "save-vm",
    [RUN_STATE_INMIGRATE] = "inmigrate",
    [RUN_STATE_POSTMIGRATE] = "postmigrate",
};

RunState runstate_get(void)
{
    return current_run_state;
}

const char *runstate_name(RunState state)
{
    return state < RUN_STATE__MAX ? run_state_names[state] : "?";
}

bool runstate_is_running(void)
{
    return current_run_state == RUN_STATE_RUNNING;
}

void runstate_set(RunState state)
{
    current_run_state = state;
}

static void vm_state_notify(bool running, RunState state)
{
    if (!vm_change_handlers) {
        return;
    }
    for (guint i = 0; i < vm_change_handlers->len; i++) {
        VMChangeHook *h = &g_array_index(vm_change_handlers, VMChangeHook, i);
        h->fn(h->opaque, running, state);
    }
}

void vm_start(void)
{
    if (runstate_is_running()) {
        return;
    }
    cpu_synchronize_all_post_init();
    runstate_set(RUN_STATE_RUNNING);
    qemu_clock_enable_virtual(true);
    vm_state_notify(true, RUN_STATE_RUNNING);
    resume_all_vcpus();
}

void vm_stop(RunState state)
{
    if (!runstate_is_running()) {
        runstate_set(state);
        return;
    }
    pause_all_vcpus();
    runstate_set(state);
    qemu_clock_enable_virtual(false);
    vm_state_notify(false, state);
}

void qemu_system_shutdown_request(ShutdownCause cause)
{
    g_atomic_int_set(&shutdown_requested, cause ? cause : SHUTDOWN_CAUSE_HOST_ERROR);
    main_loop_notify();
}

void qemu_system_exit_request(int status)
{
    g_atomic_int_set(&exit_status_requested, status);
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    /* the guest asked for the process to end here (isa-debug-exit):
     * its vCPU runs no further instruction (KVM would otherwise keep
     * running it until the main loop stops the VM) */
    cpu_stop_current();
}

void qemu_system_reset_request(ShutdownCause cause)
{
    if (no_reboot && cause != SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET) {
        qemu_system_shutdown_request(cause);
        return;
    }
    g_atomic_int_set(&reset_requested, cause);
    main_loop_notify();
}

void qemu_system_powerdown_request(void)
{
    g_atomic_int_set(&powerdown_requested, 1);
    main_loop_notify();
}

static CPUState *debug_cpu;

void qemu_system_debug_request(void)
{
    g_atomic_pointer_set(&debug_cpu, current_cpu);
    g_atomic_int_set(&debug_requested, 1);
    main_loop_notify();
}

int qemu_system_exit_status(void)
{
    return g_atomic_int_get(&exit_status_requested);
}

CPUState *qemu_system_debug_cpu(void)
{
    return g_atomic_pointer_get(&debug_cpu);
}

void qemu_system_vmstop_request(RunState state)
{
    g_atomic_int_set(&vmstop_requested, state);
    main_loop_notify();
}

void qemu_register_powerdown_notifier(PowerdownNotifier fn, void *opaque)
{
    Hook h = { fn, opaque };

    if (!powerdown_notifiers) {
        powerdown_notifiers = g_array_new(false, false, sizeof(Hook));
    }
    g_array_append_val(powerdown_notifiers, h);
}

void qemu_register_reset(QEMUResetHandler *fn, void *opaque)
{
    Hook h = { fn, opaque };

    if (!reset_handlers) {
        reset_handlers = g_array_new(false, false, sizeof(Hook));
    }
    g_array_append_val(reset_handlers, h);
}

void qemu_unregister_reset(QEMUResetHandler *fn, void *opaque)
{
    for (guint i = 0; reset_handlers && i < reset_handlers->len; i++) {
        Hook *h = &g_array_index(reset_handlers, Hook, i);
        if (h->fn == fn && h->opaque == opaque) {
            g_array_remove_index(reset_handlers, i);
            return;
        }
    }
}

void qemu_add_vm_change_state_handler(VMChangeStateHandler *fn, void *opaque)
{
    VMChangeHook h = { fn, opaque };

    if (!vm_change_handlers) {
        vm_change_handlers = g_array_new(false, false, sizeof(VMChangeHook));
    }
    g_array_append_val(vm_change_handlers, h);
}

void runstate_add_event_listener(RunstateEventFn *fn, void *opaque)
{
    EventListener l = { fn, opaque };

    if (!event_listeners) {
        event_listeners = g_array_new(false, false, sizeof(EventListener));
    }
    g_array_append_val(event_listeners, l);
}

static void runstate_event(const char *event, ShutdownCause cause,
                           bool exiting)
{
    bool guest = cause >= SHUTDOWN_CAUSE_GUEST_SHUTDOWN &&
                 cause != SHUTDOWN_CAUSE_SUBSYSTEM_RESET;

    for (guint i = 0; event_listeners && i < event_listeners->len; i++) {
        EventListener *l = &g_array_index(event_listeners, EventListener, i);
        l->fn(event, guest, cause, exiting, l->opaque);
    }
}

void qemu_system_reset(ShutdownCause cause)
{
    MachineClass *mc = current_machine ?
                       MACHINE_GET_CLASS(current_machine) : NULL;
    CPUState *cpu;

    tlog_mask(CPU_LOG_RESET, "system reset (cause %d)\n", cause);
    qdev_reset_all();
    for (guint i = 0; reset_handlers && i < reset_handlers->len; i++) {
        Hook *h = &g_array_index(reset_handlers, Hook, i);
        h->fn(h->opaque);
    }
    CPU_FOREACH(cpu) {
        cpu_reset(cpu);
    }
    if (mc && mc->reset) {
        mc->reset(current_machine);
    }
    cpu_synchronize_all_post_reset();
}

bool main_loop_should_exit(int *status)
{
    int cause, r;

    if (g_atomic_int_get(&debug_requested)) {
        g_atomic_int_set(&debug_requested, 0);
        vm_stop(RUN_STATE_DEBUG);
    }
    cause = g_atomic_int_get(&shutdown_requested);
    if (cause) {
        int ex = g_atomic_int_get(&exit_status_requested);
        bool keep = ex < 0 && no_shutdown &&
                    cause != SHUTDOWN_CAUSE_HOST_QMP_QUIT &&
                    cause != SHUTDOWN_CAUSE_HOST_SIGNAL &&
                    cause != SHUTDOWN_CAUSE_HOST_UI;
        g_atomic_int_set(&shutdown_requested, 0);
        runstate_event("SHUTDOWN", cause, !keep);
        if (ex >= 0) {
            *status = ex;
            return true;
        }
        if (keep) {
            vm_stop(RUN_STATE_SHUTDOWN);
        } else {
            *status = cause == SHUTDOWN_CAUSE_HOST_ERROR ? 1 : 0;
            return true;
        }
    }
    r = g_atomic_int_get(&reset_requested);
    if (r) {
        bool was_running = runstate_is_running();
        g_atomic_int_set(&reset_requested, 0);
        runstate_event("RESET", r, false);
        pause_all_vcpus();
        qemu_system_reset(r);
        if (was_running) {
            resume_all_vcpus();
        } else if (current_run_state == RUN_STATE_SHUTDOWN) {
            runstate_set(RUN_STATE_PAUSED);
        }
    }
    if (g_atomic_int_get(&powerdown_requested)) {
        g_atomic_int_set(&powerdown_requested, 0);
        runstate_event("POWERDOWN", SHUTDOWN_CAUSE_NONE, false);
        for (guint i = 0; powerdown_notifiers && i < powerdown_notifiers->len; i++) {
            Hook *h = &g_array_index(powerdown_notifiers, Hook, i);
            h->fn(h->opaque);
        }
    }
    r = g_atomic_int_get(&vmstop_requested);
    if (r != RUN_STATE__MAX) {
        g_atomic_int_set(&vmstop_requested, RUN_STATE__MAX);
        vm_stop(r);
    }
    return false;
}

void turtle_add_exit_notifier(void (*fn)(void))
{
    if (!exit_notifiers) {
        exit_notifiers = g_ptr_array_new();
    }
    g_ptr_array_add(exit_notifiers, fn);
}

static void run_exit_notifiers(void)
{
    static int ran;

    if (g_atomic_int_exchange(&ran, 1)) {
        return;
    }
    for (guint i = 0; exit_notifiers && i < exit_notifiers->len; i++) {
        void (*fn)(void) = g_ptr_array_index(exit_notifiers, i);
        fn();
    }
    if (turtle_logfile) {
        fflush(turtle_logfile);
    }
    fflush(stdout);
    fflush(stderr);
}

static void __attribute__((constructor)) runstate_register_atexit(void)
{
    atexit(run_exit_notifiers);
}

void turtle_exit(int status)
{
    /* the exit notifiers may report it (the gdb stub's W packet) */
    g_atomic_int_set(&exit_status_requested, status);
    run_exit_notifiers();
    _exit(status);
}
