/*
 * The fake /dev/kvm; see test-kvm-fake.h.
 */
#include "test-kvm-fake.h"
#include "hw/intc/apic.h"

/* ---- the fake kernel ---- */

struct FakeKVM fk;

void fake_reset(void)
{
    g_clear_pointer(&fk.caps, g_hash_table_unref);
    if (fk.log) {
        g_array_unref(fk.log);
    }
    g_free(fk.routes);
    g_free(fk.cpuid);
    memset(&fk, 0, sizeof(fk));
    fk.api_version = KVM_API_VERSION;
    fk.caps = g_hash_table_new(NULL, NULL);
    fk.log = g_array_new(false, false, sizeof(unsigned long));
    static const unsigned caps[] = {
        KVM_CAP_USER_MEMORY, KVM_CAP_IRQ_ROUTING, KVM_CAP_IRQFD,
        KVM_CAP_IOEVENTFD, KVM_CAP_SET_TSS_ADDR, KVM_CAP_EXT_CPUID,
        KVM_CAP_MP_STATE, KVM_CAP_VCPU_EVENTS, KVM_CAP_IRQCHIP,
        KVM_CAP_PIT2, KVM_CAP_SET_IDENTITY_MAP_ADDR, KVM_CAP_READONLY_MEM,
        KVM_CAP_IMMEDIATE_EXIT, KVM_CAP_IRQ_INJECT_STATUS, KVM_CAP_XSAVE,
        KVM_CAP_XCRS, KVM_CAP_DEBUGREGS, KVM_CAP_SIGNAL_MSI,
    };
    for (size_t i = 0; i < G_N_ELEMENTS(caps); i++) {
        g_hash_table_insert(fk.caps, GUINT_TO_POINTER(caps[i]),
                            GUINT_TO_POINTER(1));
    }
    g_hash_table_insert(fk.caps, GUINT_TO_POINTER(KVM_CAP_NR_MEMSLOTS),
                        GUINT_TO_POINTER(32));
    g_hash_table_insert(fk.caps, GUINT_TO_POINTER(KVM_CAP_IRQ_ROUTING),
                        GUINT_TO_POINTER(1024));
    /* an Intel host with VMX */
    X86CPUIDTable *t = &fk.supported;
    t->e[t->nent++] = (X86CPUIDEntry){ 0, 0, 0, 0xd, 0x756e6547, 0x6c65746e,
                                       0x49656e69 };
    t->e[t->nent++] = (X86CPUIDEntry){ 1, 0, 0, 0x000506e3, 0,
                                       0x7ffaf3ff & ~(1u << 31) &
                                       ~CPUID_1_ECX_TSC_DEADLINE,
                                       0xbfebfbff };
    t->e[t->nent++] = (X86CPUIDEntry){ 0x80000000, 0, 0, 0x80000008 };
    t->e[t->nent++] = (X86CPUIDEntry){ 0x80000001, 0, 0, 0, 0, 0x121,
                                       0x2c100800 };
    t->e[t->nent++] = (X86CPUIDEntry){ 0x80000008, 0, 0, 0x3027 };
    t->e[t->nent++] = (X86CPUIDEntry){ 0x40000001, 0, 0, 0x01007afb };
    static const uint32_t msrs[] = {
        MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
        MSR_PAT, MSR_STAR, MSR_LSTAR, MSR_FMASK, MSR_KERNELGSBASE,
        MSR_IA32_TSC, MSR_IA32_MISC_ENABLE,
    };
    memcpy(fk.msrs, msrs, sizeof(msrs));
    fk.nmsrs = G_N_ELEMENTS(msrs);
}

void cap_set(unsigned cap, unsigned val)
{
    g_hash_table_insert(fk.caps, GUINT_TO_POINTER(cap),
                        GUINT_TO_POINTER(val));
}

bool logged(unsigned long req)
{
    for (guint i = 0; i < fk.log->len; i++) {
        if (g_array_index(fk.log, unsigned long, i) == req) {
            return true;
        }
    }
    return false;
}

int logged_at(unsigned long req)
{
    for (guint i = 0; i < fk.log->len; i++) {
        if (g_array_index(fk.log, unsigned long, i) == req) {
            return i;
        }
    }
    return -1;
}

static int fake_open(const char *path, int flags)
{
    if (fk.open_errno) {
        errno = fk.open_errno;
        return -1;
    }
    return FD_SYS;
}

static int fake_close(int fd)
{
    return 0;
}

static int fail(int e)
{
    errno = e;
    return -1;
}

static int sys_ioctl(unsigned long req, void *arg)
{
    switch (req) {
    case KVM_GET_API_VERSION:
        return fk.api_version;
    case KVM_CHECK_EXTENSION:
        return GPOINTER_TO_UINT(g_hash_table_lookup(fk.caps, arg));
    case KVM_GET_VCPU_MMAP_SIZE:
        return 3 * 4096;
    case KVM_CREATE_VM:
        return FD_VM;
    case KVM_GET_SUPPORTED_CPUID: {
        struct kvm_cpuid2 *c = arg;
        if (c->nent < (uint32_t)fk.supported.nent) {
            return fail(E2BIG);
        }
        c->nent = fk.supported.nent;
        for (int i = 0; i < fk.supported.nent; i++) {
            X86CPUIDEntry *e = &fk.supported.e[i];
            c->entries[i] = (struct kvm_cpuid_entry2) {
                .function = e->function, .index = e->index,
                .flags = e->flags, .eax = e->eax, .ebx = e->ebx,
                .ecx = e->ecx, .edx = e->edx,
            };
        }
        return 0;
    }
    case KVM_GET_MSR_INDEX_LIST: {
        struct kvm_msr_list *l = arg;
        if (l->nmsrs < fk.nmsrs) {
            l->nmsrs = fk.nmsrs;
            return fail(E2BIG);
        }
        l->nmsrs = fk.nmsrs;
        memcpy(l->indices, fk.msrs, fk.nmsrs * 4);
        return 0;
    }
    }
    return fail(ENOTTY);
}

static int vm_ioctl(unsigned long req, void *arg)
{
    switch (req) {
    case KVM_CHECK_EXTENSION:
        return fail(EINVAL);        /* old kernel: ask the system fd */
    case KVM_SET_USER_MEMORY_REGION: {
        struct kvm_userspace_memory_region *m = arg;
        g_assert_cmpuint(m->slot, <, 32);
        fk.slots[m->slot] = *m;
        return 0;
    }
    case KVM_GET_DIRTY_LOG: {
        struct kvm_dirty_log *d = arg;
        ((unsigned long *)d->dirty_bitmap)[0] = 1ul << 3;   /* page 3 */
        return 0;
    }
    case KVM_SET_GSI_ROUTING: {
        struct kvm_irq_routing *r = arg;
        size_t len = sizeof(*r) + r->nr * sizeof(r->entries[0]);
        g_free(fk.routes);
        fk.routes = g_memdup2(r, len);
        return 0;
    }
    case KVM_IRQ_LINE_STATUS:
    case KVM_IRQ_LINE:
        fk.last_irq = *(struct kvm_irq_level *)arg;
        ((struct kvm_irq_level *)arg)->status = 1;
        return 0;
    case KVM_IRQFD:
        fk.last_irqfd = *(struct kvm_irqfd *)arg;
        return 0;
    case KVM_SIGNAL_MSI:
        fk.last_msi = *(struct kvm_msi *)arg;
        fk.msis++;
        return 1;
    case KVM_IOEVENTFD:
        fk.last_ioeventfd = *(struct kvm_ioeventfd *)arg;
        return 0;
    case KVM_CREATE_VCPU:
        if (fk.create_vcpu_errno) {
            return fail(fk.create_vcpu_errno);
        }
        return FD_VCPU0 + (int)(uintptr_t)arg;
    case KVM_GET_CLOCK:
        ((struct kvm_clock_data *)arg)->clock = fk.clock;
        return 0;
    case KVM_SET_CLOCK:
        fk.clock = ((struct kvm_clock_data *)arg)->clock;
        fk.clock_sets++;
        return 0;
    case KVM_GET_IRQCHIP: {
        struct kvm_irqchip *c = arg;
        g_assert_cmpuint(c->chip_id, <, KVM_NR_IRQCHIPS);
        memcpy(&c->chip, &fk.chips[c->chip_id].chip, sizeof(c->chip));
        return 0;
    }
    case KVM_SET_IRQCHIP: {
        struct kvm_irqchip *c = arg;
        g_assert_cmpuint(c->chip_id, <, KVM_NR_IRQCHIPS);
        fk.chips[c->chip_id] = *c;
        return 0;
    }
    case KVM_GET_PIT2:
        *(struct kvm_pit_state2 *)arg = fk.pit;
        return 0;
    case KVM_SET_PIT2:
        fk.pit = *(struct kvm_pit_state2 *)arg;
        return 0;
    case KVM_ENABLE_CAP: {
        struct kvm_enable_cap *c = arg;
        g_assert_cmpuint(c->cap, ==, KVM_CAP_SPLIT_IRQCHIP);
        fk.split_pins = c->args[0];
        return 0;
    }
    case KVM_CREATE_IRQCHIP:
    case KVM_CREATE_PIT2:
    case KVM_SET_TSS_ADDR:
    case KVM_SET_IDENTITY_MAP_ADDR:
        return 0;
    }
    return fail(ENOTTY);
}

static int vcpu_ioctl(unsigned long req, void *arg)
{
    switch (req) {
    case KVM_SET_CPUID2: {
        struct kvm_cpuid2 *c = arg;
        g_free(fk.cpuid);
        fk.cpuid = g_memdup2(c, sizeof(*c) + c->nent * sizeof(c->entries[0]));
        return 0;
    }
    case KVM_SET_GUEST_DEBUG:
        fk.guest_debug = *(struct kvm_guest_debug *)arg;
        fk.guest_debug_sets++;
        return 0;
    case KVM_SET_SIGNAL_MASK: {
        struct kvm_signal_mask *km = arg;
        g_assert_cmpuint(km->len, ==, 8);
        sigemptyset(&fk.run_sigmask);
        memcpy(&fk.run_sigmask, km->sigset, 8);
        fk.set_signal_mask++;
        return 0;
    }
    case KVM_SET_REGS:
        fk.regs = *(struct kvm_regs *)arg;
        return 0;
    case KVM_GET_REGS:
        __atomic_fetch_add(&fk.get_regs_calls, 1, __ATOMIC_SEQ_CST);
        *(struct kvm_regs *)arg = fk.regs;
        return 0;
    case KVM_SET_SREGS:
        fk.sregs = *(struct kvm_sregs *)arg;
        return 0;
    case KVM_GET_SREGS:
        *(struct kvm_sregs *)arg = fk.sregs;
        return 0;
    case KVM_SET_XSAVE:
        memcpy(&fk.xsave, arg, sizeof(fk.xsave));
        return 0;
    case KVM_GET_XSAVE:
        memcpy(arg, &fk.xsave, sizeof(fk.xsave));
        return 0;
    case KVM_SET_XCRS:
        fk.xcrs = *(struct kvm_xcrs *)arg;
        return 0;
    case KVM_GET_XCRS:
        *(struct kvm_xcrs *)arg = fk.xcrs;
        return 0;
    case KVM_SET_MSRS: {
        struct kvm_msrs *m = arg;
        for (uint32_t i = 0; i < m->nmsrs; i++) {
            bool known = false;
            for (uint32_t j = 0; j < fk.nmsrs; j++) {
                known |= fk.msrs[j] == m->entries[i].index;
            }
            if (!known || m->entries[i].index == fk.refuse_msr) {
                return i;               /* stops at the first unknown one */
            }
            uint32_t j = 0;
            while (j < fk.nmsr_vals &&
                   fk.msr_vals[j].index != m->entries[i].index) {
                j++;
            }
            g_assert_cmpuint(j, <, G_N_ELEMENTS(fk.msr_vals));
            fk.msr_vals[j] = m->entries[i];
            fk.nmsr_vals = MAX(fk.nmsr_vals, j + 1);
        }
        return m->nmsrs;
    }
    case KVM_GET_MSRS: {
        struct kvm_msrs *m = arg;
        for (uint32_t i = 0; i < m->nmsrs; i++) {
            for (uint32_t j = 0; j < fk.nmsr_vals; j++) {
                if (fk.msr_vals[j].index == m->entries[i].index) {
                    m->entries[i].data = fk.msr_vals[j].data;
                }
            }
        }
        return m->nmsrs;
    }
    case KVM_SET_VCPU_EVENTS:
        fk.events = *(struct kvm_vcpu_events *)arg;
        return 0;
    case KVM_GET_VCPU_EVENTS:
        *(struct kvm_vcpu_events *)arg = fk.events;
        return 0;
    case KVM_SET_MP_STATE:
        fk.mp = *(struct kvm_mp_state *)arg;
        return 0;
    case KVM_GET_MP_STATE:
        *(struct kvm_mp_state *)arg = fk.mp;
        return 0;
    case KVM_SET_LAPIC:
        fk.lapic = *(struct kvm_lapic_state *)arg;
        return 0;
    case KVM_GET_LAPIC:
        *(struct kvm_lapic_state *)arg = fk.lapic;
        return 0;
    case KVM_SET_DEBUGREGS:
        fk.dregs = *(struct kvm_debugregs *)arg;
        return 0;
    case KVM_GET_DEBUGREGS:
        *(struct kvm_debugregs *)arg = fk.dregs;
        return 0;
    case KVM_SET_NESTED_STATE:
        memcpy(fk.nested, arg, sizeof(struct kvm_nested_state));
        fk.nested_set = true;
        return 0;
    case KVM_GET_NESTED_STATE: {
        struct kvm_nested_state *n = arg;
        g_assert_cmpuint(n->size, >=, sizeof(*n));
        memcpy(n, fk.nested, sizeof(*n));
        n->size = sizeof(*n);
        return 0;
    }
    case KVM_INTERRUPT:
        fk.last_interrupt = ((struct kvm_interrupt *)arg)->irq;
        return 0;
    case KVM_NMI:
        return 0;
    case KVM_RUN:
        if (fk.threaded) {
            /* like the kernel: the guest runs until a signal that the
             * KVM_SET_SIGNAL_MASK mask lets through is pending, or
             * immediate_exit is set.  The kernel restores the thread's
             * own mask before it returns, so a signal blocked there
             * stays pending (nothing is delivered here either). */
            for (;;) {
                sigset_t pending;
                struct timespec ms = { 0, 1000000 };

                if (__atomic_load_n(&fk.run->immediate_exit,
                                    __ATOMIC_SEQ_CST)) {
                    break;
                }
                sigpending(&pending);
                if (sigismember(&pending, SIGUSR1) &&
                    !sigismember(&fk.run_sigmask, SIGUSR1)) {
                    break;
                }
                nanosleep(&ms, NULL);
            }
            __atomic_fetch_add(&fk.run_calls, 1, __ATOMIC_SEQ_CST);
            return fail(EINTR);
        }
        if (fk.run->immediate_exit) {
            fk.saw_immediate_exit = true;
            return fail(EINTR);
        }
        if (fk.run_calls < fk.run_script_len) {
            fk.run->exit_reason = fk.run_script[fk.run_calls++];
            return 0;
        }
        fk.run_calls++;
        return fail(EINTR);
    }
    return fail(ENOTTY);
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
    g_array_append_val(fk.log, req);
    if (fd == FD_SYS) {
        return sys_ioctl(req, arg);
    }
    if (fd == FD_VM) {
        return vm_ioctl(req, arg);
    }
    if (fd >= FD_VCPU0) {
        return vcpu_ioctl(req, arg);
    }
    return fail(EBADF);
}

static void *fake_mmap(size_t len, int fd)
{
    void *p = g_malloc0(len);

    fk.run = p;
    return p;
}

static int fake_munmap(void *p, size_t len)
{
    g_free(p);
    return 0;
}

const KVMHostOps fake_ops = {
    .open = fake_open, .close = fake_close, .ioctl = fake_ioctl,
    .mmap = fake_mmap, .munmap = fake_munmap,
};

/* A VM through kvm_open_vm + the x86 set-up, made the current one. */
KVMState *vm_new(void)
{
    KVMState *s = g_new0(KVMState, 1);

    g_assert_true(kvm_open_vm(s, NULL, &error_abort));
    kvm_state_set_current(s);
    g_assert_true(kvm_arch_init(NULL, s, &error_abort));
    return s;
}

void vm_free(KVMState *s)
{
    kvm_state_set_current(NULL);
    kvm_close_vm(s);
    g_free(s);
}

/* ---- memory ---- */

static uint64_t mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0x5a5a5a5a;
}

uint64_t last_write, last_write_addr;
int nwrites;

static void mmio_write(void *opaque, hwaddr addr, uint64_t data,
                       unsigned size)
{
    last_write = data;
    last_write_addr = addr;
    nwrites++;
}

const MemoryRegionOps test_ops = {
    .read = mmio_read,
    .write = mmio_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

KVMSlot *slot_at(KVMState *s, uint64_t addr)
{
    KVMSlot *k = kvm_slot_lookup(s, addr);

    g_assert_nonnull(k);
    return k;
}

/* ---- vCPUs ---- */

CPUState *make_cpu(const char *model)
{
    g_autofree char *type = g_strconcat(model, X86_CPU_TYPE_SUFFIX, NULL);
    DeviceState *dev = qdev_try_new(type, &error_abort);

    g_assert_true(qdev_realize(dev, NULL, &error_abort));
    return CPU(dev);
}

/* With its local APIC device, as the pc board gives it (a mirror of the
 * kernel's with the in-kernel irqchip), reset. */
CPUState *make_cpu_apic(const char *model)
{
    CPUState *cs = make_cpu(model);
    DeviceState *apic = qdev_new(TYPE_APIC);

    qdev_prop_set_link(apic, "cpu", OBJECT(cs));
    qdev_prop_set_uint32(apic, "id", X86_CPU(cs)->apic_id);
    qdev_prop_set_bit(apic, "x2apic", true);
    qdev_prop_set_bit(apic, "in-kernel", kvm_irqchip_in_kernel());
    g_assert_true(qdev_realize_and_unref(apic, NULL, &error_abort));
    device_cold_reset(apic);
    X86_CPU(cs)->apic = apic;
    return cs;
}

const struct kvm_cpuid_entry2 *fk_cpuid(uint32_t fn, uint32_t idx)
{
    for (uint32_t i = 0; i < fk.cpuid->nent; i++) {
        if (fk.cpuid->entries[i].function == fn &&
            fk.cpuid->entries[i].index == idx) {
            return &fk.cpuid->entries[i];
        }
    }
    g_assert_not_reached();
}

bool msr_put(uint32_t index)
{
    for (uint32_t i = 0; i < fk.nmsr_vals; i++) {
        if (fk.msr_vals[i].index == index) {
            return true;
        }
    }
    return false;
}

struct kvm_run *run_area(CPUState *cs)
{
    memset(cs->kvm_run, 0, 3 * 4096);
    return cs->kvm_run;
}

/* MSI routes for irqfd: virtual GSIs from 24 up */
struct kvm_irq_routing_entry *fk_route(uint32_t gsi)
{
    for (uint32_t i = 0; i < fk.routes->nr; i++) {
        if (fk.routes->entries[i].gsi == gsi) {
            return &fk.routes->entries[i];
        }
    }
    return NULL;
}

