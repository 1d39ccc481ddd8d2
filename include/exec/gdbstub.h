/*
 * The gdb stub (gdbstub/): what a target describes and what main() starts.
 *
 * A target describes its registers as features (groups named as gdb
 * expects them: "org.gnu.gdb.aarch64.core", "org.gnu.gdb.i386.sse"...).
 * The stub numbers the registers of every present feature in order, sends
 * the description to gdb as target.xml (qXfer:features:read) and serves
 * g/G/p/P through the features' read/write hooks.  Register values are in
 * the target's byte order (little-endian for both our targets).
 */
#ifndef EXEC_GDBSTUB_H
#define EXEC_GDBSTUB_H

#include "hw/core/cpu.h"

typedef struct GDBRegister {
    const char *name;
    int bitsize;
    const char *type;       /* "int", "code_ptr", "ieee_double", a type
                             * of GDBFeature.types, ... */
    const char *group;      /* "general", "float", "vector", "system" or
                             * NULL (gdb decides from the type) */
} GDBRegister;

typedef struct GDBFeature {
    const char *name;
    /* XML type definitions (<vector>, <union>, <flags>) the registers
     * use, or NULL */
    const char *types;
    const GDBRegister *regs;
    int num_regs;
    /* Append register n (index in regs) to buf; returns its size in bytes
     * (bitsize / 8).  The state is synchronised and the vCPU stopped. */
    int (*read)(CPUState *cpu, GByteArray *buf, int n);
    /* Set register n from bitsize / 8 bytes; false if it cannot be
     * written (read-only here). */
    bool (*write)(CPUState *cpu, const uint8_t *buf, int n);
    /* Optional: whether this CPU has the feature (e.g. AVX). */
    bool (*present)(CPUState *cpu);
} GDBFeature;

typedef struct GDBArch {
    const char *name;       /* <architecture>: "aarch64", "i386:x86-64" */
    const GDBFeature *const *features;    /* NULL-terminated */
    /* gdb for this architecture expects a watchpoint to stop before the
     * access (and steps over it itself: AArch64); false: after the
     * instruction, like x86's debug traps */
    bool watchpoint_stop_before;
} GDBArch;

/*
 * cpu->singlestep_enabled bits (gdb's `maintenance packet qqemu.sstep=N`
 * changes them; SSTEP_ENABLE | SSTEP_NOIRQ by default): NOIRQ keeps a
 * step from entering a pending interrupt's handler - the step executes the
 * instruction gdb asked for, and the interrupt is taken after the VM
 * resumes.
 */
#define SSTEP_ENABLE  0x1
#define SSTEP_NOIRQ   0x2

/*
 * -gdb DEV: "tcp::PORT", "tcp:HOST:PORT", "unix:PATH" (a listening
 * socket), "chardev:ID" (an existing -chardev), or any -serial style
 * spec; "none" disables.  -s is "-gdb tcp::1234".  Called once the
 * machine exists; false with errp set if the device cannot be opened.
 */
bool gdbserver_start(const char *device, Error **errp);

#endif
