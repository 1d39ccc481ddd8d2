/*
 * x86 side of the KVM accelerator (target/i386/kvm.c): pieces the unit
 * tests use.
 */
#ifndef TARGET_I386_KVM_X86_H
#define TARGET_I386_KVM_X86_H

#include "accel/kvm/kvm-int.h"
#include "target/i386/cpu.h"
#include "sysemu/runstate.h"
#include "hw/core/qdev.h"

/* The host's KVM_GET_SUPPORTED_CPUID, read at init. */
const X86CPUIDTable *kvm_x86_supported_cpuid(void);
bool kvm_x86_get_supported_cpuid(KVMState *s, X86CPUIDTable *out,
                                 Error **errp);
/* A vCPU's CPUID config under KVM; *dropped: names to warn about. */
bool kvm_x86_cpuid_config(X86CPU *cpu, const X86CPUIDTable *supported,
                          bool irqchip_in_kernel, unsigned smp_cpus,
                          X86CPUIDConfig *cfg, char ***dropped);
/* The pc's GSI routes (PIC pins 0-15, IOAPIC pins 0-23, IRQ0 -> pin 2). */
void kvm_x86_pc_routes(KVMState *s);

/* In-kernel irqchip state as a device (kvm-irqchip.c): snapshots and the
 * power-on values put back at system reset. */
DeviceState *kvm_x86_irqchip_state_create(Error **errp);
void kvm_x86_irqchip_reset_values(struct kvm_irqchip chip[KVM_NR_IRQCHIPS]);
void kvm_x86_irqchip_state_reset(DeviceState *dev);
/* The HPET's legacy replacement on/off: KVM's PIT stops/restarts IRQ 0. */
void kvm_x86_pit_set_hpet_legacy(bool legacy);

/* The MSI window at 0xfee00000 (device writes -> KVM_SIGNAL_MSI). */
void kvm_x86_map_msi_window(MemoryRegion *sysmem);

/* Shared inside target/i386/kvm*.c */
bool kvm_x86_host_has_msr(uint32_t index);
bool kvm_x86_nested_exposed(const CPUX86State *env);
/* Apply the debugger's breakpoints/single step before KVM_RUN (kvm-debug.c) */
void kvm_x86_update_guest_debug(CPUState *cs);

/* DR7 value programmed for the debugger's hardware breakpoints. */
uint64_t kvm_x86_debug_dr7(void);

/* kvm-clock.c: kvmclock stands still while the VM is stopped
 * (KVM_CAP_ADJUST_CLOCK), and the "kvmclock" device carries it in
 * snapshots (created with the board; no device without the capability) */
void kvm_x86_clock_init(KVMState *s);
void kvm_x86_clock_change(void *opaque, bool running, RunState state);
bool kvm_x86_clock_state_create(Error **errp);

/* Conversions between CPUX86State and the kernel's structures. */
void kvm_x86_regs_to_kvm(const CPUX86State *env, struct kvm_regs *r);
void kvm_x86_regs_from_kvm(CPUX86State *env, const struct kvm_regs *r);
void kvm_x86_sregs_to_kvm(const CPUX86State *env, struct kvm_sregs *s);
void kvm_x86_sregs_from_kvm(CPUX86State *env, const struct kvm_sregs *s);
void kvm_x86_xsave_to_kvm(const CPUX86State *env, struct kvm_xsave *x);
void kvm_x86_xsave_from_kvm(CPUX86State *env, const struct kvm_xsave *x);
void kvm_x86_events_to_kvm(const CPUX86State *env,
                           struct kvm_vcpu_events *e, int level);
void kvm_x86_events_from_kvm(CPUX86State *env,
                             const struct kvm_vcpu_events *e);

#endif
