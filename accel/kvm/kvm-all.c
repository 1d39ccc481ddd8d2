/*
 * The "kvm" accelerator: /dev/kvm, the VM, capabilities, the in-kernel
 * irqchip's GSI routes, irqfd/ioeventfd, and the AccelOps table.
 *
 *   -accel kvm[,device=PATH][,kernel-irqchip=on|off|split]
 *
 * Start-up (init_machine, before the board exists): open the device,
 * KVM_GET_API_VERSION must be 12, every capability in kvm_required_caps
 * and the target's list must be present (the error names the first one
 * missing), KVM_CREATE_VM, then the target's set-up (TSS, identity map,
 * irqchip creator for the board) and the memory listener.  Any failure
 * returns false with one clear Error, so "-accel kvm -accel tcg" falls
 * back.  See docs/kvm.md.
 */
#include "turtle/osdep.h"
#include "turtle/option.h"
#include "accel/kvm/kvm-int.h"
#include "hw/core/boards.h"
#include "sysemu/cpus.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "sysemu/target-info.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

KVMState *kvm_state_global;
static bool kvm_is_current;
static const char *kvm_device_opt;

/* ---- host system calls ---- */

static int real_open(const char *path, int flags)
{
    return open(path, flags);
}

static int real_ioctl(int fd, unsigned long req, void *arg)
{
    return ioctl(fd, req, arg);
}

static void *real_mmap(size_t len, int fd)
{
    return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

static const KVMHostOps real_ops = {
    .open = real_open,
    .close = close,
    .ioctl = real_ioctl,
    .mmap = real_mmap,
    .munmap = munmap,
};

static const KVMHostOps *host_ops = &real_ops;

void kvm_set_host_ops(const KVMHostOps *ops)
{
    host_ops = ops ? ops : &real_ops;
}

const KVMHostOps *kvm_host_ops(void)
{
    return host_ops;
}

/* ioctl wrappers: -errno on failure, EINTR retried where harmless */
static int do_ioctl(int fd, unsigned long req, void *arg)
{
    int r = host_ops->ioctl(fd, req, arg);

    return r < 0 ? -errno : r;
}

int kvm_ioctl(KVMState *s, unsigned long req, void *arg)
{
    return do_ioctl(s->fd, req, arg);
}

int kvm_vm_ioctl(KVMState *s, unsigned long req, void *arg)
{
    return do_ioctl(s->vmfd, req, arg);
}

int kvm_vcpu_ioctl(CPUState *cpu, unsigned long req, void *arg)
{
    return do_ioctl(cpu->kvm_fd, req, arg);
}

int kvm_check_extension(KVMState *s, unsigned ext)
{
    int r = kvm_ioctl(s, KVM_CHECK_EXTENSION, (void *)(uintptr_t)ext);

    return r < 0 ? 0 : r;
}

int kvm_vm_check_extension(KVMState *s, unsigned ext)
{
    int r = kvm_vm_ioctl(s, KVM_CHECK_EXTENSION, (void *)(uintptr_t)ext);

    return r < 0 ? kvm_check_extension(s, ext) : r;
}

/* ---- state queries ---- */

bool kvm_enabled(void)
{
    return kvm_is_current && kvm_state_global;
}

KVMState *kvm_state(void)
{
    return kvm_state_global;
}

void kvm_state_set_current(KVMState *s)
{
    kvm_state_global = s;
    kvm_is_current = s != NULL;
}

bool kvm_irqchip_in_kernel(void)
{
    return kvm_enabled() && kvm_state_global->irqchip_in_kernel;
}

bool kvm_irqchip_is_split(void)
{
    return kvm_enabled() && kvm_state_global->irqchip_split;
}

/* ---- opening the VM ---- */

static const KVMCapInfo kvm_required_caps[] = {
    KVM_CAP_INFO(KVM_CAP_USER_MEMORY),
    KVM_CAP_INFO(KVM_CAP_IRQ_ROUTING),
    KVM_CAP_INFO(KVM_CAP_IRQFD),
    KVM_CAP_INFO(KVM_CAP_IOEVENTFD),
    KVM_CAP_INFO(KVM_CAP_SIGNAL_MSI),
    { NULL, 0 },
};

static bool check_caps(KVMState *s, const KVMCapInfo *caps, Error **errp)
{
    for (; caps->name; caps++) {
        if (!kvm_check_extension(s, caps->cap)) {
            error_setg(errp, "kvm: the host kernel lacks %s, which turtle "
                       "needs", caps->name);
            return false;
        }
    }
    return true;
}

bool kvm_open_vm(KVMState *s, const char *device, Error **errp)
{
    int r;

    s->device = device ? device : KVM_DEFAULT_DEVICE;
    s->fd = s->vmfd = -1;
    s->fd = host_ops->open(s->device, O_RDWR | O_CLOEXEC);
    if (s->fd < 0) {
        int err = errno;
        error_setg_errno(errp, err, "Could not access KVM kernel module");
        if (err == ENOENT) {
            error_append_hint(errp, "%s does not exist: the kvm module is "
                              "not loaded, or this machine (or VM) has no "
                              "hardware virtualization.\n", s->device);
        } else if (err == EACCES) {
            error_append_hint(errp, "Add the user to the group owning %s "
                              "(usually 'kvm').\n", s->device);
        }
        return false;
    }
    r = kvm_ioctl(s, KVM_GET_API_VERSION, NULL);
    if (r != KVM_API_VERSION) {
        error_setg(errp, "kvm: %s reports API version %d, turtle needs %d",
                   s->device, r, KVM_API_VERSION);
        goto fail;
    }
    if (!check_caps(s, kvm_required_caps, errp) ||
        !check_caps(s, kvm_arch_required_caps, errp)) {
        goto fail;
    }
    s->vcpu_mmap_size = kvm_ioctl(s, KVM_GET_VCPU_MMAP_SIZE, NULL);
    if (s->vcpu_mmap_size < (int)sizeof(struct kvm_run)) {
        error_setg(errp, "kvm: KVM_GET_VCPU_MMAP_SIZE failed (%d)",
                   s->vcpu_mmap_size);
        goto fail;
    }
    do {
        r = kvm_ioctl(s, KVM_CREATE_VM, 0);
    } while (r == -EINTR);
    if (r < 0) {
        error_setg_errno(errp, -r, "kvm: KVM_CREATE_VM failed");
        if (r == -EINVAL) {
            error_append_hint(errp, "Another hypervisor may own the "
                              "virtualization extensions.\n");
        }
        goto fail;
    }
    s->vmfd = r;

    s->nr_slots = kvm_check_extension(s, KVM_CAP_NR_MEMSLOTS);
    if (s->nr_slots <= 0) {
        s->nr_slots = KVM_MAX_SLOTS_DEFAULT;
    }
    s->slots = g_new0(KVMSlot, s->nr_slots);
    s->readonly_mem = kvm_vm_check_extension(s, KVM_CAP_READONLY_MEM) > 0;
    s->immediate_exit = kvm_check_extension(s, KVM_CAP_IMMEDIATE_EXIT) > 0;
    s->irq_inject_status =
        kvm_check_extension(s, KVM_CAP_IRQ_INJECT_STATUS) > 0;
    s->ioeventfd_any_length =
        kvm_check_extension(s, KVM_CAP_IOEVENTFD_ANY_LENGTH) > 0;
    s->nested_state_size = kvm_check_extension(s, KVM_CAP_NESTED_STATE);
    s->vcpu_events = kvm_check_extension(s, KVM_CAP_VCPU_EVENTS) > 0;
    s->xsave = kvm_check_extension(s, KVM_CAP_XSAVE) > 0;
    s->xcrs = kvm_check_extension(s, KVM_CAP_XCRS) > 0;
    s->debugregs = kvm_check_extension(s, KVM_CAP_DEBUGREGS) > 0;
    return true;

fail:
    kvm_close_vm(s);
    return false;
}

void kvm_close_vm(KVMState *s)
{
    if (s->vmfd >= 0) {
        host_ops->close(s->vmfd);
    }
    if (s->fd >= 0) {
        host_ops->close(s->fd);
    }
    s->fd = s->vmfd = -1;
    g_free(s->slots);
    s->slots = NULL;
    g_free(s->routes);
    s->routes = NULL;
    s->nr_routes = s->nr_routes_max = 0;
}

/* ---- GSI routing and interrupt lines ---- */

void kvm_irqchip_add_irq_route(KVMState *s, int gsi, int irqchip, int pin)
{
    struct kvm_irq_routing_entry *e;

    if (s->nr_routes == s->nr_routes_max) {
        s->nr_routes_max = MAX(64, s->nr_routes_max * 2);
        s->routes = g_realloc(s->routes, sizeof(*s->routes) +
                              s->nr_routes_max * sizeof(*e));
    }
    e = &s->routes->entries[s->nr_routes++];
    memset(e, 0, sizeof(*e));
    e->gsi = gsi;
    e->type = KVM_IRQ_ROUTING_IRQCHIP;
    e->u.irqchip.irqchip = irqchip;
    e->u.irqchip.pin = pin;
}

int kvm_irqchip_commit_routes(KVMState *s)
{
    if (!s->routes) {
        return 0;
    }
    s->routes->nr = s->nr_routes;
    s->routes->flags = 0;
    return kvm_vm_ioctl(s, KVM_SET_GSI_ROUTING, s->routes);
}

int kvm_set_irq_state(KVMState *s, int gsi, int level)
{
    struct kvm_irq_level ev = { .irq = gsi, .level = level };
    int r;

    r = kvm_vm_ioctl(s, s->irq_inject_status ? KVM_IRQ_LINE_STATUS
                                             : KVM_IRQ_LINE, &ev);
    if (r < 0) {
        return r;
    }
    /* with status: 0 coalesced, >0 delivered, <0 masked */
    return s->irq_inject_status ? (int)ev.status : 1;
}

int kvm_set_irq(int gsi, int level)
{
    if (!kvm_irqchip_in_kernel()) {
        return -ENOSYS;
    }
    return kvm_set_irq_state(kvm_state_global, gsi, level);
}

/* ---- MSI ---- */

int kvm_irqchip_send_msi(uint64_t addr, uint32_t data)
{
    struct kvm_msi msi = {
        .address_lo = (uint32_t)addr,
        .address_hi = addr >> 32,
        .data = data,
    };

    if (!kvm_irqchip_in_kernel()) {
        return -ENOSYS;
    }
    return kvm_vm_ioctl(kvm_state_global, KVM_SIGNAL_MSI, &msi);
}

static struct kvm_irq_routing_entry *route_find(KVMState *s, int gsi)
{
    for (int i = 0; i < s->nr_routes; i++) {
        if ((int)s->routes->entries[i].gsi == gsi) {
            return &s->routes->entries[i];
        }
    }
    return NULL;
}

static void msi_entry(struct kvm_irq_routing_entry *e, int gsi,
                      uint64_t addr, uint32_t data)
{
    memset(e, 0, sizeof(*e));
    e->gsi = gsi;
    e->type = KVM_IRQ_ROUTING_MSI;
    e->u.msi.address_lo = (uint32_t)addr;
    e->u.msi.address_hi = addr >> 32;
    e->u.msi.data = data;
}

int kvm_irqchip_add_msi_route(uint64_t addr, uint32_t data)
{
    KVMState *s = kvm_state_global;
    int max, gsi, r;

    if (!kvm_irqchip_in_kernel()) {
        return -ENOSYS;
    }
    max = kvm_check_extension(s, KVM_CAP_IRQ_ROUTING);
    /* virtual GSIs above the IOAPIC's pins */
    for (gsi = KVM_IRQCHIP_FIRST_MSI_GSI; gsi < max; gsi++) {
        if (!route_find(s, gsi)) {
            break;
        }
    }
    if (gsi >= max) {
        return -ENOSPC;
    }
    kvm_irqchip_add_irq_route(s, gsi, 0, 0);
    msi_entry(&s->routes->entries[s->nr_routes - 1], gsi, addr, data);
    r = kvm_irqchip_commit_routes(s);
    if (r < 0) {
        kvm_irqchip_release_virq(gsi);
        return r;
    }
    return gsi;
}

int kvm_irqchip_update_msi_route(int virq, uint64_t addr, uint32_t data)
{
    KVMState *s = kvm_state_global;
    struct kvm_irq_routing_entry *e;

    if (!kvm_irqchip_in_kernel()) {
        return -ENOSYS;
    }
    e = route_find(s, virq);
    if (!e || e->type != KVM_IRQ_ROUTING_MSI) {
        return -ENOENT;
    }
    msi_entry(e, virq, addr, data);
    return kvm_irqchip_commit_routes(s);
}

int kvm_irqchip_set_gsi_msi(KVMState *s, int gsi, bool present,
                            uint64_t addr, uint32_t data)
{
    struct kvm_irq_routing_entry *e = route_find(s, gsi);

    if (!present) {
        if (!e) {
            return 0;
        }
        *e = s->routes->entries[--s->nr_routes];
    } else if (e) {
        if (e->type == KVM_IRQ_ROUTING_MSI &&
            e->u.msi.address_lo == (uint32_t)addr &&
            e->u.msi.address_hi == addr >> 32 && e->u.msi.data == data) {
            return 0;                   /* unchanged: no ioctl */
        }
        msi_entry(e, gsi, addr, data);
    } else {
        kvm_irqchip_add_irq_route(s, gsi, 0, 0);
        msi_entry(&s->routes->entries[s->nr_routes - 1], gsi, addr, data);
    }
    return kvm_irqchip_commit_routes(s);
}

void kvm_irqchip_release_virq(int virq)
{
    KVMState *s = kvm_state_global;

    if (!kvm_irqchip_in_kernel()) {
        return;
    }
    for (int i = 0; i < s->nr_routes; i++) {
        if ((int)s->routes->entries[i].gsi == virq &&
            s->routes->entries[i].type == KVM_IRQ_ROUTING_MSI) {
            s->routes->entries[i] = s->routes->entries[--s->nr_routes];
            kvm_irqchip_commit_routes(s);
            return;
        }
    }
}

static int irqfd_set(int fd, int resample_fd, int gsi, bool assign)
{
    struct kvm_irqfd irqfd = {
        .fd = fd,
        .gsi = gsi,
        .flags = assign ? 0 : KVM_IRQFD_FLAG_DEASSIGN,
    };

    if (!kvm_irqchip_in_kernel()) {
        return -ENOSYS;
    }
    if (assign && resample_fd >= 0) {
        irqfd.flags |= KVM_IRQFD_FLAG_RESAMPLE;
        irqfd.resamplefd = resample_fd;
    }
    return kvm_vm_ioctl(kvm_state_global, KVM_IRQFD, &irqfd);
}

int kvm_irqchip_add_irqfd_notifier(int fd, int resample_fd, int gsi)
{
    return irqfd_set(fd, resample_fd, gsi, true);
}

int kvm_irqchip_remove_irqfd_notifier(int fd, int gsi)
{
    return irqfd_set(fd, -1, gsi, false);
}

static int ioeventfd_set(int fd, uint64_t addr, uint64_t data, bool assign,
                         unsigned size, bool datamatch, bool pio)
{
    struct kvm_ioeventfd io = {
        .datamatch = datamatch ? data : 0,
        .addr = addr,
        .len = size,
        .fd = fd,
    };

    if (!kvm_enabled()) {
        return -ENOSYS;
    }
    if (size == 0 && !kvm_state_global->ioeventfd_any_length) {
        return -EINVAL;
    }
    if (size != 0 && size != 1 && size != 2 && size != 4 && size != 8) {
        return -EINVAL;
    }
    if (datamatch) {
        io.flags |= KVM_IOEVENTFD_FLAG_DATAMATCH;
    }
    if (pio) {
        io.flags |= KVM_IOEVENTFD_FLAG_PIO;
    }
    if (!assign) {
        io.flags |= KVM_IOEVENTFD_FLAG_DEASSIGN;
    }
    return kvm_vm_ioctl(kvm_state_global, KVM_IOEVENTFD, &io);
}

int kvm_set_ioeventfd_mmio(int fd, uint64_t addr, uint64_t data, bool assign,
                           unsigned size, bool datamatch)
{
    return ioeventfd_set(fd, addr, data, assign, size, datamatch, false);
}

int kvm_set_ioeventfd_pio(int fd, uint16_t port, uint64_t data, bool assign,
                          unsigned size, bool datamatch)
{
    return ioeventfd_set(fd, port, data, assign, size, datamatch, true);
}

/* ---- AccelOps ---- */

static bool kvm_supports_target(const char *target)
{
    return !strcmp(target, "x86_64");
}

static KVMIrqchipMode kvm_irqchip_opt = KVM_IRQCHIP_DEFAULT;

bool kvm_parse_irqchip_mode(const char *str, KVMIrqchipMode *mode,
                            Error **errp)
{
    if (!strcmp(str, "on")) {
        *mode = KVM_IRQCHIP_ON;
    } else if (!strcmp(str, "off")) {
        *mode = KVM_IRQCHIP_OFF;
    } else if (!strcmp(str, "split")) {
        *mode = KVM_IRQCHIP_SPLIT;
    } else {
        error_setg(errp, "kvm: kernel-irqchip='%s' is not on, off or split",
                   str);
        return false;
    }
    return true;
}

static bool kvm_parse_opts(Opts *opts, Error **errp)
{
    const char *dev = opts_get(opts, "device");
    const char *irqchip = opts_get(opts, "kernel-irqchip");

    if (irqchip && !kvm_parse_irqchip_mode(irqchip, &kvm_irqchip_opt, errp)) {
        return false;
    }

    if (dev) {
        if (!*dev) {
            error_setg(errp, "kvm: device= needs a path");
            return false;
        }
        kvm_device_opt = g_strdup(dev);
    }
    return true;
}

static bool kvm_init_machine(MachineState *ms, Error **errp)
{
    KVMState *s = g_new0(KVMState, 1);

    if (!kvm_open_vm(s, kvm_device_opt, errp)) {
        error_prepend(errp, "failed to initialize kvm: ");
        g_free(s);
        return false;
    }
    kvm_state_set_current(s);
    s->irqchip_mode = kvm_irqchip_opt;      /* the machine's if default */
    if (!kvm_arch_init(ms, s, errp)) {
        error_prepend(errp, "failed to initialize kvm: ");
        kvm_state_set_current(NULL);
        kvm_close_vm(s);
        g_free(s);
        return false;
    }
    kvm_memory_listener_init(s);
    kvm_memory_listener_register(s, &address_space_memory);
    return true;
}

static void *kvm_vcpu_thread_fn(void *arg)
{
    CPUState *cpu = arg;
    Error *err = NULL;

    bql_lock();
    current_cpu = cpu;
    cpu->thread_created = true;
    if (!kvm_init_vcpu(cpu, &err) || !kvm_init_cpu_signals(cpu, &err)) {
        cpu_thread_signal_failed(cpu, err);
        bql_unlock();
        return NULL;
    }
    cpu_thread_signal_created(cpu);

    do {
        if (cpu_can_run(cpu) && kvm_cpu_exec(cpu) == EXCP_DEBUG) {
            /* the debugger's: stop here, the gdb stub takes over */
            cpu->stopped = true;
            qemu_system_debug_request();
        }
        qemu_wait_io_event(cpu);
    } while (!cpu->unplug || cpu_can_run(cpu));

    kvm_destroy_vcpu(cpu);
    cpu_thread_signal_destroyed(cpu);
    bql_unlock();
    return NULL;
}

static bool kvm_create_vcpu_thread(CPUState *cpu, Error **errp)
{
    int err;

    pthread_cond_init(&cpu->halt_cond, NULL);
    err = pthread_create(&cpu->thread, NULL, kvm_vcpu_thread_fn, cpu);
    if (err) {
        error_setg(errp, "kvm: cannot create the vCPU %d thread: %s",
                   cpu->cpu_index, strerror(err));
        return false;
    }
    return true;
}

static void kvm_handle_interrupt(CPUState *cpu, int mask)
{
    __atomic_fetch_or(&cpu->interrupt_request, mask, __ATOMIC_SEQ_CST);
    if (!qemu_cpu_is_self(cpu)) {
        qemu_cpu_kick(cpu);
    }
}

static bool kvm_supports_guest_debug(void)
{
    return kvm_enabled() &&
           kvm_check_extension(kvm_state_global, KVM_CAP_SET_GUEST_DEBUG) > 0;
}

static const AccelOps kvm_accel_ops = {
    .name = "kvm",
    .help = "Linux KVM (x86-64 hosts): device=PATH (default /dev/kvm), "
            "kernel-irqchip=on|off|split",
    .supports_target = kvm_supports_target,
    .parse_opts = kvm_parse_opts,
    .init_machine = kvm_init_machine,
    .create_vcpu_thread = kvm_create_vcpu_thread,
    .kick_vcpu_thread = kvm_vcpu_kick,
    .handle_interrupt = kvm_handle_interrupt,
    .synchronize_state = kvm_cpu_synchronize_state,
    .synchronize_post_reset = kvm_cpu_synchronize_post_reset,
    .synchronize_post_init = kvm_cpu_synchronize_post_init,
    .synchronize_pre_loadvm = kvm_cpu_synchronize_pre_loadvm,
    .supports_guest_debug = kvm_supports_guest_debug,
    .insert_breakpoint = kvm_arch_insert_breakpoint,
    .remove_breakpoint = kvm_arch_remove_breakpoint,
    .remove_all_breakpoints = kvm_arch_remove_all_breakpoints,
};

ACCEL_REGISTER(kvm_accel_ops)
