/*
 * Accelerators: who runs the guest CPUs (TCG, KVM, or nobody under qtest).
 *
 * Each accelerator registers one AccelOps with accel_register().  main()
 * tries the -accel options in order and keeps the first whose init_machine
 * succeeds ("-accel kvm -accel tcg" falls back to TCG where KVM fails).
 * Devices and boards never depend on which one runs.
 */
#ifndef ACCEL_ACCEL_H
#define ACCEL_ACCEL_H

#include "hw/core/cpu.h"

typedef struct MachineState MachineState;
typedef struct Opts Opts;

typedef struct AccelOps {
    const char *name;                 /* "tcg", "kvm", "qtest" */
    const char *help;                 /* options, one line */
    /* Targets this accelerator supports (NULL: all). */
    bool (*supports_target)(const char *target_name);
    /* Parse options (take the keys used) before the machine is built. */
    bool (*parse_opts)(Opts *opts, Error **errp);
    /* Set up after the machine's memory exists, before CPUs start. */
    bool (*init_machine)(MachineState *ms, Error **errp);
    /*
     * Create and start the vCPU thread (sets cpu->thread etc.).  A thread
     * whose set-up fails reports it with cpu_thread_signal_failed() instead
     * of cpu_thread_signal_created(); cpus_start_vcpu() returns that error.
     */
    bool (*create_vcpu_thread)(CPUState *cpu, Error **errp);
    void (*kick_vcpu_thread)(CPUState *cpu);
    void (*handle_interrupt)(CPUState *cpu, int mask);
    /* Register state: accelerator <-> CPUState (NULL: always in sync). */
    void (*synchronize_state)(CPUState *cpu);
    void (*synchronize_post_reset)(CPUState *cpu);
    void (*synchronize_post_init)(CPUState *cpu);
    void (*synchronize_pre_loadvm)(CPUState *cpu);
    /* gdb stub */
    bool (*supports_guest_debug)(void);
    int (*insert_breakpoint)(CPUState *cpu, int type, vaddr addr, vaddr len);
    int (*remove_breakpoint)(CPUState *cpu, int type, vaddr addr, vaddr len);
    void (*remove_all_breakpoints)(CPUState *cpu);
    /*
     * Guest RAM [start, start+length) that holds translated code was
     * written (by a CPU store the TLB did not catch, DMA or the monitor):
     * drop the code translated from it.  NULL: no translated code.
     */
    void (*ram_code_written)(ram_addr_t start, ram_addr_t length);
    /* clock: guest virtual time under this accelerator (NULL: default) */
    int64_t (*get_virtual_clock)(void);
} AccelOps;

void accel_register(const AccelOps *ops);
const AccelOps *accel_find(const char *name);
/* The accelerator in use (NULL before one is chosen). */
const AccelOps *current_accel(void);
const char *current_accel_name(void);
void accel_set_current(const AccelOps *ops);
void accel_list_help(FILE *f, const char *target);

#define ACCEL_REGISTER(ops)                                              \
    static void __attribute__((constructor)) accel_register_##ops(void) \
    {                                                                    \
        accel_register(&(ops));                                          \
    }

#endif
