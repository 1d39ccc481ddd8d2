/*
 * VM run state and the requests that change it (from guests, the monitor,
 * signals).  Requests are recorded from any thread and acted on by the main
 * loop, which owns the state changes.
 */
#ifndef SYSEMU_RUNSTATE_H
#define SYSEMU_RUNSTATE_H

#include "turtle/osdep.h"

typedef enum RunState {
    RUN_STATE_PRELAUNCH,      /* built, not started yet */
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,         /* -S, the monitor's stop */
    RUN_STATE_DEBUG,          /* stopped by the gdb stub */
    RUN_STATE_SHUTDOWN,       /* guest shut down, -no-shutdown kept us */
    RUN_STATE_INTERNAL_ERROR, /* the accelerator failed; state is kept */
    RUN_STATE_GUEST_PANICKED,
    RUN_STATE_RESTORE_VM,
    RUN_STATE_SAVE_VM,
    RUN_STATE_INMIGRATE,
    RUN_STATE_POSTMIGRATE,
    RUN_STATE__MAX
} RunState;

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_UI,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,   /* PSCI SYSTEM_OFF, ACPI S5 */
    SHUTDOWN_CAUSE_GUEST_RESET,      /* keyboard controller, PSCI reset */
    SHUTDOWN_CAUSE_GUEST_PANIC,
    SHUTDOWN_CAUSE_SUBSYSTEM_RESET,
} ShutdownCause;

RunState runstate_get(void);
const char *runstate_name(RunState state);
bool runstate_is_running(void);
void runstate_set(RunState state);

/* Start or stop every vCPU and the virtual clock. */
void vm_start(void);
void vm_stop(RunState state);

/* Requests, safe from any thread. */
void qemu_system_shutdown_request(ShutdownCause cause);
/* Exit the process with this status once the main loop sees it. */
void qemu_system_exit_request(int status);
void qemu_system_reset_request(ShutdownCause cause);
void qemu_system_powerdown_request(void);
/* A vCPU thread stopped for the debugger (breakpoint, step, watchpoint):
 * the main loop stops the VM in RUN_STATE_DEBUG. */
void qemu_system_debug_request(void);
/* The status qemu_system_exit_request or turtle_exit asked for, or -1. */
int qemu_system_exit_status(void);
/* The vCPU whose debug request stopped the VM last (NULL: none). */
struct CPUState *qemu_system_debug_cpu(void);
void qemu_system_vmstop_request(RunState state);

/* Options from the command line */
extern bool no_reboot;     /* -no-reboot: a reset request exits */
extern bool no_shutdown;   /* -no-shutdown: shutdown pauses instead of exiting */

/* Reset every device and CPU now (main loop, BQL held). */
void qemu_system_reset(ShutdownCause cause);

/* Called by the main loop after each iteration; true to leave it, with
 * *status set to the process exit status. */
bool main_loop_should_exit(int *status);

/* Board hooks (e.g. the power button) */
typedef void (*PowerdownNotifier)(void *opaque);
void qemu_register_powerdown_notifier(PowerdownNotifier fn, void *opaque);
/* Reset handlers run after the device tree reset (e.g. CPUs, loaders). */
typedef void QEMUResetHandler(void *opaque);
void qemu_register_reset(QEMUResetHandler *fn, void *opaque);
void qemu_unregister_reset(QEMUResetHandler *fn, void *opaque);
/* Called on vm_start/vm_stop (e.g. KVM clock, audio). */
typedef void VMChangeStateHandler(void *opaque, bool running, RunState state);
void qemu_add_vm_change_state_handler(VMChangeStateHandler *fn, void *opaque);

/* Acted-on requests, for QMP events: event is "SHUTDOWN", "RESET" or
 * "POWERDOWN"; guest tells whether the guest asked for it; exiting that
 * the process exits next (a SHUTDOWN not kept by -no-shutdown).  Called
 * from main_loop_should_exit (main loop, BQL held) before the effect. */
typedef void RunstateEventFn(const char *event, bool guest, ShutdownCause cause,
                             bool exiting, void *opaque);
void runstate_add_event_listener(RunstateEventFn *fn, void *opaque);

/* Process exit: restores the terminal, flushes logs.  Safe from any
 * thread; does not return. */
void turtle_exit(int status) __attribute__((noreturn));
/* Callbacks run by turtle_exit and at normal exit (terminal restore). */
void turtle_add_exit_notifier(void (*fn)(void));

#endif
