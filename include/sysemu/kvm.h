/*
 * The KVM accelerator: what the rest of Turtle may ask of it.
 *
 *   -accel kvm[,device=PATH]   (-enable-kvm is the same as -accel kvm)
 *
 * Devices never need this header to work; they use it only to move work
 * into the kernel when KVM runs the guest (virtio: ioeventfd for queue
 * notifications, irqfd for interrupts).  Every function here returns an
 * error (negative errno / false) when KVM is not the running accelerator.
 *
 * The ioctl layer is a table of function pointers (KVMHostOps) so unit
 * tests drive the whole accelerator - init, memory slots, exits, register
 * sync, irqchip - against a fake /dev/kvm (tests/unit/test-kvm-*.c).
 */
#ifndef SYSEMU_KVM_H
#define SYSEMU_KVM_H

#include "turtle/osdep.h"
#include "turtle/error.h"
#include "hw/core/cpu.h"

typedef struct KVMState KVMState;

/* Host system calls used by the accelerator (tests replace them). */
typedef struct KVMHostOps {
    int (*open)(const char *path, int flags);
    int (*close)(int fd);
    /* returns >= 0 or -1 with errno set, like ioctl(2) */
    int (*ioctl)(int fd, unsigned long request, void *arg);
    void *(*mmap)(size_t len, int fd);        /* MAP_FAILED on error */
    int (*munmap)(void *addr, size_t len);
} KVMHostOps;

/* NULL restores the real system calls. */
void kvm_set_host_ops(const KVMHostOps *ops);
const KVMHostOps *kvm_host_ops(void);

/* True once KVM is the chosen accelerator. */
bool kvm_enabled(void);
KVMState *kvm_state(void);

/* In-kernel interrupt controllers (PIC, IOAPIC, LAPICs, PIT). */
bool kvm_irqchip_in_kernel(void);
bool kvm_irqchip_is_split(void);

/* Level of a GSI of the in-kernel irqchip (KVM_IRQ_LINE). */
int kvm_set_irq(int gsi, int level);

/*
 * MSI with the in-kernel irqchip.  kvm_irqchip_send_msi delivers one now
 * (KVM_SIGNAL_MSI; the pc's MSI window at 0xfee00000 uses it for device
 * writes).  A route gives an MSI a virtual GSI (>= 24) that an irqfd can
 * raise: add returns the GSI or -errno; update after the guest reprograms
 * the vector; release when done.
 */
#define KVM_IRQCHIP_FIRST_MSI_GSI 24
int kvm_irqchip_send_msi(uint64_t addr, uint32_t data);
int kvm_irqchip_add_msi_route(uint64_t addr, uint32_t data);
int kvm_irqchip_update_msi_route(int virq, uint64_t addr, uint32_t data);
void kvm_irqchip_release_virq(int virq);

/*
 * irqfd: a write to eventfd `fd` raises `gsi` in the kernel.  With
 * resample_fd >= 0 the line is level-triggered and resample_fd is
 * signalled when the guest acknowledges it (KVM_IRQFD_FLAG_RESAMPLE).
 */
int kvm_irqchip_add_irqfd_notifier(int fd, int resample_fd, int gsi);
int kvm_irqchip_remove_irqfd_notifier(int fd, int gsi);

/*
 * ioeventfd: a guest write of `size` bytes (0: any size, if the host
 * allows it) to addr signals `fd` instead of exiting to userspace; with
 * datamatch only when the value written is `data`.
 */
int kvm_set_ioeventfd_mmio(int fd, uint64_t addr, uint64_t data, bool assign,
                           unsigned size, bool datamatch);
int kvm_set_ioeventfd_pio(int fd, uint16_t port, uint64_t data, bool assign,
                          unsigned size, bool datamatch);

#endif
