/*
 * A fake /dev/kvm for the KVM unit tests (test-kvm-all.c, test-kvm-vcpu.c):
 * a small model of the documented API (Documentation/virt/kvm/api.rst)
 * behind KVMHostOps.  It answers the system, VM and vCPU ioctls, keeps
 * what was set, and logs every request in fk.log.
 */
#ifndef TESTS_UNIT_TEST_KVM_FAKE_H
#define TESTS_UNIT_TEST_KVM_FAKE_H

#include "turtle/osdep.h"
#include "accel/kvm/kvm-int.h"
#include "target/i386/kvm-x86.h"
#include "exec/ramblock.h"
#include "sysemu/main-loop.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"
#include "hw/i386/x86-boot.h"
#include "hw/i386/x86-gsi.h"
#include "migration/vmstate.h"

#define FD_SYS   10
#define FD_VM    11
#define FD_VCPU0 20

struct FakeKVM {
    int open_errno;                 /* non-zero: open fails */
    int create_vcpu_errno;          /* non-zero: KVM_CREATE_VCPU fails */
    int api_version;
    GHashTable *caps;               /* cap -> value */
    X86CPUIDTable supported;
    uint32_t msrs[16];
    uint32_t nmsrs;
    GArray *log;                    /* unsigned long requests, in order */
    struct kvm_userspace_memory_region slots[32];
    struct kvm_irq_routing *routes;
    struct kvm_irq_level last_irq;
    struct kvm_irqfd last_irqfd;
    struct kvm_ioeventfd last_ioeventfd;
    struct kvm_cpuid2 *cpuid;
    /* vCPU state the fake keeps */
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    struct kvm_xsave xsave;
    struct kvm_xcrs xcrs;
    struct kvm_msr_entry msr_vals[16];
    uint32_t nmsr_vals;
    struct kvm_vcpu_events events;
    struct kvm_mp_state mp;
    struct kvm_lapic_state lapic;
    uint64_t split_pins;
    uint32_t last_interrupt;       /* KVM_INTERRUPT's vector */           /* KVM_CAP_SPLIT_IRQCHIP args[0] */
    struct kvm_debugregs dregs;
    uint8_t nested[256];
    bool nested_set;
    int set_signal_mask;
    /* threaded runs: KVM_RUN waits for a signal under this mask */
    bool threaded;
    uint32_t refuse_msr;
    struct kvm_msi last_msi;
    int msis;
    struct kvm_irqchip chips[KVM_NR_IRQCHIPS];
    struct kvm_pit_state2 pit;
    struct kvm_guest_debug guest_debug;
    int guest_debug_sets;
    uint64_t clock;
    int clock_sets;
    int get_regs_calls;
    sigset_t run_sigmask;
    /* KVM_RUN script: exits to report, then EINTR */
    struct kvm_run *run;
    int run_calls;
    int run_script_len;
    uint32_t run_script[8];
    bool saw_immediate_exit;
};
extern struct FakeKVM fk;
extern const KVMHostOps fake_ops;

/* A fresh fake: an Intel host with VMX, the usual capabilities. */
void fake_reset(void);
void cap_set(unsigned cap, unsigned val);
bool logged(unsigned long req);
int logged_at(unsigned long req);
/* kvm_open_vm + the x86 set-up through the fake, made current. */
KVMState *vm_new(void);
void vm_free(KVMState *s);
/* A realized CPU of a model. */
CPUState *make_cpu(const char *model);
CPUState *make_cpu_apic(const char *model);
/* What the fake got: a CPUID entry, whether an MSR was written, a route. */
const struct kvm_cpuid_entry2 *fk_cpuid(uint32_t fn, uint32_t idx);
bool msr_put(uint32_t index);
struct kvm_irq_routing_entry *fk_route(uint32_t gsi);
struct kvm_run *run_area(CPUState *cs);
KVMSlot *slot_at(KVMState *s, uint64_t addr);

/* An MMIO/PIO region recording writes; reads return 0x5a5a5a5a. */
extern const MemoryRegionOps test_ops;
extern uint64_t last_write, last_write_addr;
extern int nwrites;

#endif
