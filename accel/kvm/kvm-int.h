/*
 * KVM accelerator internals, shared by the accel/kvm files and the target's
 * glue (target/i386/kvm.c).  The generic files never look inside a
 * target's CPU state; the target never touches memory slots.
 */
#ifndef ACCEL_KVM_INT_H
#define ACCEL_KVM_INT_H

#include "turtle/osdep.h"
#include "sysemu/kvm.h"
#include "exec/memory.h"
#include "accel/accel.h"
#include <linux/kvm.h>

#define KVM_DEFAULT_DEVICE "/dev/kvm"
#define KVM_MAX_SLOTS_DEFAULT 32
#define SIG_IPI SIGUSR1

typedef struct KVMSlot {
    bool used;
    uint32_t slot;
    uint64_t start_addr;         /* guest physical */
    uint64_t memory_size;
    void *ram;                   /* host address */
    uint32_t flags;              /* KVM_MEM_* */
    MemoryRegion *mr;
    hwaddr offset_in_region;
    unsigned long *dirty_bmap;   /* scratch for KVM_GET_DIRTY_LOG */
} KVMSlot;

/* kernel-irqchip= of the machine (MachineState.kernel_irqchip). */
typedef enum KVMIrqchipMode {
    KVM_IRQCHIP_DEFAULT,
    KVM_IRQCHIP_ON,
    KVM_IRQCHIP_OFF,
    KVM_IRQCHIP_SPLIT,
} KVMIrqchipMode;

struct KVMState {
    const char *device;          /* "/dev/kvm" */
    int fd;                      /* /dev/kvm */
    int vmfd;
    int vcpu_mmap_size;
    /* memory */
    KVMSlot *slots;
    int nr_slots;
    bool readonly_mem;
    bool warned_no_rom;
    MemoryListener listener;
    /* capabilities used on hot paths */
    bool immediate_exit;
    bool irq_inject_status;
    bool ioeventfd_any_length;
    int nested_state_size;       /* 0: no KVM_CAP_NESTED_STATE */
    bool vcpu_events, xsave, xcrs, debugregs;
    /* interrupts */
    KVMIrqchipMode irqchip_mode;
    bool irqchip_in_kernel;
    bool irqchip_split;
    struct kvm_irq_routing *routes;
    int nr_routes;
    int nr_routes_max;
};

extern KVMState *kvm_state_global;

/* "on", "off", "split" (-accel kvm,kernel-irqchip=) */
bool kvm_parse_irqchip_mode(const char *str, KVMIrqchipMode *mode,
                            Error **errp);

/* ---- kvm-all.c ---- */
int kvm_ioctl(KVMState *s, unsigned long req, void *arg);
int kvm_vm_ioctl(KVMState *s, unsigned long req, void *arg);
int kvm_vcpu_ioctl(CPUState *cpu, unsigned long req, void *arg);
int kvm_check_extension(KVMState *s, unsigned ext);
int kvm_vm_check_extension(KVMState *s, unsigned ext);
/* Capabilities every VM needs; a missing one fails init naming it. */
typedef struct KVMCapInfo {
    const char *name;
    unsigned cap;
} KVMCapInfo;
#define KVM_CAP_INFO(c) { #c, c }
/* Open the device, check the API version and the required capabilities,
 * create the VM.  Fills errp with the first problem found. */
bool kvm_open_vm(KVMState *s, const char *device, Error **errp);
void kvm_close_vm(KVMState *s);
/* Irqchip: routes (PIC + IOAPIC), KVM_SET_GSI_ROUTING */
void kvm_irqchip_add_irq_route(KVMState *s, int gsi, int irqchip, int pin);
int kvm_irqchip_commit_routes(KVMState *s);
/* GSI gsi as an MSI route (present) or no route; committed if changed */
int kvm_irqchip_set_gsi_msi(KVMState *s, int gsi, bool present,
                            uint64_t addr, uint32_t data);
int kvm_set_irq_state(KVMState *s, int gsi, int level);
/* For tests: make s the running accelerator's state (NULL: none). */
void kvm_state_set_current(KVMState *s);

/* ---- kvm-memory.c ---- */
void kvm_memory_listener_init(KVMState *s);
void kvm_memory_listener_register(KVMState *s, AddressSpace *as);
KVMSlot *kvm_slot_lookup(KVMState *s, uint64_t start_addr);

/* ---- kvm-cpus.c ---- */
/* Create the vCPU fd and map its kvm_run (vCPU thread). */
bool kvm_init_vcpu(CPUState *cpu, Error **errp);
void kvm_destroy_vcpu(CPUState *cpu);
/* Run until something needs the vCPU thread (BQL held on entry/exit).
 * Returns EXCP_INTERRUPT, EXCP_HLT, EXCP_DEBUG, or -1 after an error
 * (the VM was stopped with RUN_STATE_INTERNAL_ERROR). */
int kvm_cpu_exec(CPUState *cpu);
/*
 * One exit's worth of work, BQL not held (it is taken for devices).
 * Returns 0 to re-enter the guest, an EXCP_* code to return to the vCPU
 * loop, or -1 for a fatal error (message already printed).
 */
int kvm_handle_exit(CPUState *cpu, struct kvm_run *run);
void kvm_cpu_synchronize_state(CPUState *cpu);
void kvm_cpu_synchronize_post_reset(CPUState *cpu);
void kvm_cpu_synchronize_post_init(CPUState *cpu);
void kvm_cpu_synchronize_pre_loadvm(CPUState *cpu);
void kvm_vcpu_kick(CPUState *cpu);
/* Install SIG_IPI's handler on the calling vCPU thread (unblocked with
 * KVM_CAP_IMMEDIATE_EXIT, blocked otherwise) and hand the kernel the mask
 * to use inside KVM_RUN, which lets SIG_IPI through. */
bool kvm_init_cpu_signals(CPUState *cpu, Error **errp);

/* ---- the target (target/<arch>/kvm.c) ---- */
#define KVM_PUT_RUNTIME_STATE 1   /* while running: GPRs, sregs, FPU... */
#define KVM_PUT_RESET_STATE   2   /* after reset: + MSRs, MP state, LAPIC */
#define KVM_PUT_FULL_STATE    3   /* first start / after loadvm: all */
extern const KVMCapInfo kvm_arch_required_caps[];
bool kvm_arch_init(MachineState *ms, KVMState *s, Error **errp);
bool kvm_arch_init_vcpu(CPUState *cpu, Error **errp);
void kvm_arch_destroy_vcpu(CPUState *cpu);
int kvm_arch_put_registers(CPUState *cpu, int level);
int kvm_arch_get_registers(CPUState *cpu);
/* Before KVM_RUN (BQL not held): inject userspace interrupts etc. */
void kvm_arch_pre_run(CPUState *cpu, struct kvm_run *run);
void kvm_arch_post_run(CPUState *cpu, struct kvm_run *run);
/* Requests to process with the BQL before running; true: stay halted. */
bool kvm_arch_process_async_events(CPUState *cpu);
/* Exits the generic code does not know; same return as kvm_handle_exit. */
int kvm_arch_handle_exit(CPUState *cpu, struct kvm_run *run);
/* gdb: breakpoints (gdb Z types 0-4) for every vCPU, and KVM_EXIT_DEBUG
 * (EXCP_DEBUG if it is the debugger's, 0 if handed back to the guest) */
int kvm_arch_insert_breakpoint(CPUState *cpu, int type, vaddr addr,
                               vaddr len);
int kvm_arch_remove_breakpoint(CPUState *cpu, int type, vaddr addr,
                               vaddr len);
void kvm_arch_remove_all_breakpoints(CPUState *cpu);
int kvm_arch_handle_debug(CPUState *cpu, struct kvm_run *run);
/* Create the in-kernel irqchip/PIT for the board (mode already chosen). */
bool kvm_arch_irqchip_create(KVMState *s, Error **errp);

#endif
