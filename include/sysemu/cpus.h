/*
 * vCPU threads, shared by the accelerators.
 *
 * An accelerator's vCPU thread function looks like:
 *
 *     bql_lock(); cpu_thread_signal_created(cpu);
 *     while (!cpu->unplug) {
 *         if (cpu_can_run(cpu)) { bql_unlock(); ...run guest...; bql_lock(); }
 *         qemu_wait_io_event(cpu);   // sleeps while stopped or halted,
 *     }                              // runs queued work
 */
#ifndef SYSEMU_CPUS_H
#define SYSEMU_CPUS_H

#include "hw/core/cpu.h"

/*
 * Start the accelerator's thread for cpu and wait until it is created.
 * False (errp set) when the thread could not be created or its set-up
 * failed; the thread has then ended.
 */
bool cpus_start_vcpu(CPUState *cpu, Error **errp);
void cpu_thread_signal_created(CPUState *cpu);
/* The vCPU thread's set-up failed: hand err to cpus_start_vcpu, whose
 * caller owns it, then return from the thread function (BQL held).  The
 * thread must be joinable: cpus_start_vcpu joins it. */
void cpu_thread_signal_failed(CPUState *cpu, Error *err);
void cpu_thread_signal_destroyed(CPUState *cpu);
bool cpu_can_run(CPUState *cpu);
bool cpu_thread_is_idle(CPUState *cpu);
/* Sleep while idle, handle stop requests and queued work (BQL held). */
void qemu_wait_io_event(CPUState *cpu);
void qemu_wait_io_event_common(CPUState *cpu);

void pause_all_vcpus(void);
void resume_all_vcpus(void);
bool all_vcpus_paused(void);
/* Stop the calling vCPU thread's own CPU from inside it (e.g. gdb). */
void cpu_stop_current(void);

/* Generic kick: wake the halt condition and ask the accelerator. */
void cpus_kick_thread(CPUState *cpu);

/* Accelerator-independent synchronisation of register state. */
void cpu_synchronize_state(CPUState *cpu);
void cpu_synchronize_post_reset(CPUState *cpu);
void cpu_synchronize_post_init(CPUState *cpu);
void cpu_synchronize_all_states(void);
void cpu_synchronize_all_post_reset(void);
void cpu_synchronize_all_post_init(void);

#endif
