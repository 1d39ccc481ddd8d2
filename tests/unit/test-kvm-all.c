/*
 * The KVM accelerator against a fake /dev/kvm: the host system calls go
 * through KVMHostOps, which this test replaces by a small model of the
 * documented API (Documentation/virt/kvm/api.rst): it answers the
 * system, VM and vCPU ioctls, keeps what was set, and logs every call.
 *
 * Covered: device/API/capability errors, VM set-up (TSS, identity map,
 * irqchip, GSI routes, PIT), memory slots (RAM, ROM read-only, MMIO not
 * mapped, removal, page trimming, dirty logging), vCPU creation with the
 * filtered CPUID, register state both ways, exit dispatch (port I/O,
 * MMIO, HLT, shutdown, errors), the KVM_RUN loop with EINTR and
 * immediate_exit, irq lines, irqfd and ioeventfd.
 */
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

/* ---- the fake kernel ---- */

static struct {
    int open_errno;                 /* non-zero: open fails */
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
} fk;

static void fake_reset(void)
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

static void cap_set(unsigned cap, unsigned val)
{
    g_hash_table_insert(fk.caps, GUINT_TO_POINTER(cap),
                        GUINT_TO_POINTER(val));
}

static bool logged(unsigned long req)
{
    for (guint i = 0; i < fk.log->len; i++) {
        if (g_array_index(fk.log, unsigned long, i) == req) {
            return true;
        }
    }
    return false;
}

static int logged_at(unsigned long req)
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
    case KVM_RUN:
        if (fk.threaded) {
            /* like the kernel: the guest runs until a signal the vCPU's
             * KVM_SET_SIGNAL_MASK lets through is (or was) pending */
            if (!__atomic_load_n(&fk.run->immediate_exit, __ATOMIC_SEQ_CST)) {
                sigsuspend(&fk.run_sigmask);
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

static const KVMHostOps fake_ops = {
    .open = fake_open, .close = fake_close, .ioctl = fake_ioctl,
    .mmap = fake_mmap, .munmap = fake_munmap,
};

/* A VM through kvm_open_vm + the x86 set-up, made the current one. */
static KVMState *vm_new(void)
{
    KVMState *s = g_new0(KVMState, 1);

    g_assert_true(kvm_open_vm(s, NULL, &error_abort));
    kvm_state_set_current(s);
    g_assert_true(kvm_arch_init(NULL, s, &error_abort));
    return s;
}

static void vm_free(KVMState *s)
{
    kvm_state_set_current(NULL);
    kvm_close_vm(s);
    g_free(s);
}

/* ---- init ---- */

static void expect_init_error(const char *needle)
{
    KVMState s = { 0 };
    Error *err = NULL;
    bool ok = kvm_open_vm(&s, NULL, &err);

    if (ok) {
        kvm_state_set_current(&s);
        ok = kvm_arch_init(NULL, &s, &err);
        kvm_state_set_current(NULL);
    }
    g_assert_false(ok);
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), needle)) {
        g_error("'%s' does not contain '%s'", error_get_pretty(err), needle);
    }
    error_free(err);
    kvm_close_vm(&s);
}

static void test_init_errors(void)
{
    fake_reset();
    fk.open_errno = ENOENT;
    expect_init_error("Could not access KVM kernel module: "
                      "No such file or directory");
    fk.open_errno = EACCES;
    expect_init_error("Could not access KVM kernel module: "
                      "Permission denied");
    fk.open_errno = 0;
    fk.api_version = 11;
    expect_init_error("API version 11");
    fake_reset();
    g_hash_table_remove(fk.caps, GUINT_TO_POINTER(KVM_CAP_IRQFD));
    expect_init_error("KVM_CAP_IRQFD");
    fake_reset();
    g_hash_table_remove(fk.caps, GUINT_TO_POINTER(KVM_CAP_SET_TSS_ADDR));
    expect_init_error("KVM_CAP_SET_TSS_ADDR");
    g_assert_false(logged(KVM_CREATE_VM));
}

static void test_init_vm(void)
{
    KVMState *s;
    int pic = 0, ioapic = 0;

    fake_reset();
    s = vm_new();
    g_assert_true(logged(KVM_CREATE_VM));
    g_assert_true(logged(KVM_SET_IDENTITY_MAP_ADDR));
    g_assert_true(logged(KVM_SET_TSS_ADDR));
    g_assert_true(logged(KVM_CREATE_IRQCHIP));
    g_assert_true(logged(KVM_CREATE_PIT2));
    g_assert_cmpint(logged_at(KVM_CREATE_IRQCHIP), <,
                    logged_at(KVM_SET_GSI_ROUTING));
    g_assert_true(kvm_irqchip_in_kernel());
    g_assert_false(kvm_irqchip_is_split());
    g_assert_cmpint(s->nr_slots, ==, 32);
    g_assert_true(s->readonly_mem);
    g_assert_true(s->immediate_exit);

    /* routes: PIC 0-15 without the cascade, IOAPIC 0-23 with 0 -> 2 */
    g_assert_nonnull(fk.routes);
    for (uint32_t i = 0; i < fk.routes->nr; i++) {
        struct kvm_irq_routing_entry *e = &fk.routes->entries[i];
        g_assert_cmpuint(e->type, ==, KVM_IRQ_ROUTING_IRQCHIP);
        if (e->u.irqchip.irqchip == KVM_IRQCHIP_IOAPIC) {
            ioapic++;
            g_assert_cmpuint(e->u.irqchip.pin, ==, e->gsi ? e->gsi : 2);
            g_assert_cmpuint(e->gsi, !=, 2);
        } else {
            pic++;
            g_assert_cmpuint(e->u.irqchip.irqchip, ==,
                             e->gsi < 8 ? KVM_IRQCHIP_PIC_MASTER
                                        : KVM_IRQCHIP_PIC_SLAVE);
            g_assert_cmpuint(e->u.irqchip.pin, ==, e->gsi & 7);
            g_assert_cmpuint(e->gsi, !=, 2);
        }
    }
    g_assert_cmpint(pic, ==, 15);
    g_assert_cmpint(ioapic, ==, 23);
    vm_free(s);
}

static void test_irqchip_modes(void)
{
    KVMState s = { 0 };
    Error *err = NULL;

    fake_reset();
    g_assert_true(kvm_open_vm(&s, NULL, &error_abort));
    s.irqchip_mode = KVM_IRQCHIP_SPLIT;
    g_assert_false(kvm_arch_irqchip_create(&s, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "KVM_CAP_SPLIT_IRQCHIP"));
    error_free(err);
    err = NULL;
    cap_set(KVM_CAP_SPLIT_IRQCHIP, 1);
    g_assert_false(kvm_arch_irqchip_create(&s, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "not supported yet"));
    error_free(err);
    err = NULL;

    s.irqchip_mode = KVM_IRQCHIP_OFF;
    g_assert_true(kvm_arch_irqchip_create(&s, &error_abort));
    g_assert_false(s.irqchip_in_kernel);
    g_assert_false(logged(KVM_CREATE_IRQCHIP));

    g_hash_table_remove(fk.caps, GUINT_TO_POINTER(KVM_CAP_IRQCHIP));
    s.irqchip_mode = KVM_IRQCHIP_ON;
    g_assert_false(kvm_arch_irqchip_create(&s, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "KVM_CAP_IRQCHIP"));
    error_free(err);
    err = NULL;
    kvm_close_vm(&s);

    /* -accel kvm,kernel-irqchip=off reaches the x86 set-up */
    fake_reset();
    memset(&s, 0, sizeof(s));
    g_assert_true(kvm_open_vm(&s, NULL, &error_abort));
    g_assert_true(kvm_parse_irqchip_mode("off", &s.irqchip_mode,
                                         &error_abort));
    g_assert_true(kvm_arch_init(NULL, &s, &error_abort));
    g_assert_false(s.irqchip_in_kernel);
    g_assert_false(logged(KVM_CREATE_IRQCHIP));
    kvm_close_vm(&s);
    g_assert_false(kvm_parse_irqchip_mode("maybe", &s.irqchip_mode, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "on, off or split"));
    error_free(err);
}

/* ---- memory ---- */

static uint64_t mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0x5a5a5a5a;
}

static uint64_t last_write, last_write_addr;
static int nwrites;

static void mmio_write(void *opaque, hwaddr addr, uint64_t data,
                       unsigned size)
{
    last_write = data;
    last_write_addr = addr;
    nwrites++;
}

static const MemoryRegionOps test_ops = {
    .read = mmio_read,
    .write = mmio_write,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static KVMSlot *slot_at(KVMState *s, uint64_t addr)
{
    KVMSlot *k = kvm_slot_lookup(s, addr);

    g_assert_nonnull(k);
    return k;
}

static void test_memory_slots(void)
{
    MemoryRegion root, ram, rom, io, hole, odd;
    AddressSpace as;
    KVMState *s;
    KVMSlot *k;
    uint32_t n;

    fake_reset();
    s = vm_new();
    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "kvm-test");
    kvm_memory_listener_init(s);
    kvm_memory_listener_register(s, &as);

    g_assert_true(memory_region_init_ram(&ram, NULL, "ram", 1 << 20,
                                         &error_abort));
    g_assert_true(memory_region_init_rom(&rom, NULL, "rom", 64 << 10,
                                         &error_abort));
    memory_region_init_io(&io, NULL, &test_ops, NULL, "mmio", 0x1000);
    memory_region_add_subregion(&root, 0, &ram);
    memory_region_add_subregion(&root, 0xfff00000, &rom);
    memory_region_add_subregion(&root, 0x10000000, &io);

    k = slot_at(s, 0);
    n = k->slot;
    g_assert_cmphex(fk.slots[n].guest_phys_addr, ==, 0);
    g_assert_cmphex(fk.slots[n].memory_size, ==, 1 << 20);
    g_assert_cmphex(fk.slots[n].flags, ==, 0);
    g_assert_true(fk.slots[n].userspace_addr ==
                  (uintptr_t)memory_region_get_ram_ptr(&ram));
    k = slot_at(s, 0xfff00000);
    g_assert_cmphex(fk.slots[k->slot].flags, ==, KVM_MEM_READONLY);
    g_assert_cmphex(fk.slots[k->slot].memory_size, ==, 64 << 10);
    g_assert_null(kvm_slot_lookup(s, 0x10000000));      /* MMIO */

    /* dirty logging */
    memory_region_set_log(&ram, true, DIRTY_MEMORY_VGA);
    g_assert_cmphex(fk.slots[n].flags, ==, KVM_MEM_LOG_DIRTY_PAGES);
    memory_region_test_and_clear_dirty(&ram, 0, 1 << 20, DIRTY_MEMORY_VGA);
    memory_region_sync_dirty(&ram);
    g_assert_true(logged(KVM_GET_DIRTY_LOG));
    g_assert_false(memory_region_test_and_clear_dirty(&ram, 2 * 4096, 4096,
                                                      DIRTY_MEMORY_VGA));
    g_assert_true(memory_region_test_and_clear_dirty(&ram, 3 * 4096, 4096,
                                                     DIRTY_MEMORY_VGA));
    g_assert_false(memory_region_test_and_clear_dirty(&ram, 4 * 4096, 4096,
                                                      DIRTY_MEMORY_VGA));
    memory_region_set_log(&ram, false, DIRTY_MEMORY_VGA);
    g_assert_cmphex(fk.slots[n].flags, ==, 0);

    /* an MMIO window punched into RAM splits the slot (del + 2 adds) */
    memory_region_init_io(&hole, NULL, &test_ops, NULL, "hole", 0x1000);
    memory_region_add_subregion_overlap(&root, 0x80000, &hole, 1);
    g_assert_null(kvm_slot_lookup(s, 0x10000000));
    k = slot_at(s, 0);
    g_assert_cmphex(k->memory_size, ==, 0x80000);
    k = slot_at(s, 0x81000);
    g_assert_cmphex(k->memory_size, ==, (1 << 20) - 0x81000);
    g_assert_true(k->ram == (uint8_t *)memory_region_get_ram_ptr(&ram) +
                            0x81000);

    /* removal: memory_size 0 */
    memory_region_del_subregion(&root, &rom);
    g_assert_null(kvm_slot_lookup(s, 0xfff00000));
    for (int i = 0; i < 32; i++) {
        if (fk.slots[i].guest_phys_addr == 0xfff00000) {
            g_assert_cmphex(fk.slots[i].memory_size, ==, 0);
        }
    }

    /* only whole pages are mapped */
    g_assert_true(memory_region_init_ram(&odd, NULL, "odd", 0x3000,
                                         &error_abort));
    memory_region_add_subregion(&root, 0x20000800, &odd);
    k = slot_at(s, 0x20001000);
    g_assert_cmphex(k->memory_size, ==, 0x2000);
    g_assert_true(k->ram == (uint8_t *)memory_region_get_ram_ptr(&odd) +
                            0x800);
    memory_listener_unregister(&s->listener);
    address_space_destroy(&as);
    vm_free(s);
}

/* ---- vCPUs ---- */

static CPUState *make_cpu(const char *model)
{
    g_autofree char *type = g_strconcat(model, X86_CPU_TYPE_SUFFIX, NULL);
    DeviceState *dev = qdev_try_new(type, &error_abort);

    g_assert_true(qdev_realize(dev, NULL, &error_abort));
    return CPU(dev);
}

static const struct kvm_cpuid_entry2 *fk_cpuid(uint32_t fn, uint32_t idx)
{
    for (uint32_t i = 0; i < fk.cpuid->nent; i++) {
        if (fk.cpuid->entries[i].function == fn &&
            fk.cpuid->entries[i].index == idx) {
            return &fk.cpuid->entries[i];
        }
    }
    g_assert_not_reached();
}

static void test_vcpu_init(void)
{
    KVMState *s;
    CPUState *cs;

    fake_reset();
    s = vm_new();
    cs = make_cpu("qemu64");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    g_assert_cmpint(cs->kvm_fd, ==, FD_VCPU0 + cs->cpu_index);
    g_assert_true(cs->kvm_run == fk.run);
    g_assert_true(cs->vcpu_dirty);
    g_assert_nonnull(fk.cpuid);
    /* hypervisor bit on, no VMX although the host has it */
    g_assert_cmphex(fk_cpuid(1, 0)->ecx & CPUID_1_ECX_HYPERVISOR, !=, 0);
    g_assert_cmphex(fk_cpuid(1, 0)->ecx & CPUID_1_ECX_VMX, ==, 0);
    g_assert_cmphex(fk_cpuid(0x40000000, 0)->eax, ==, 0x40000001);
    g_assert_cmphex(fk_cpuid(0x40000001, 0)->eax & 1, ==, 1);
    g_assert_cmphex(fk_cpuid(0xb, 1)->flags, ==,
                    KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
    g_assert_cmphex(fk_cpuid(0x80000008, 0)->eax & 0xff, ==, 39);
    /* x2APIC stays: the irqchip is in the kernel; TSC deadline only with
     * its capability */
    g_assert_cmphex(fk_cpuid(1, 0)->ecx & CPUID_1_ECX_X2APIC, ==, 0);
    kvm_destroy_vcpu(cs);
    vm_free(s);
    fake_reset();
    cap_set(KVM_CAP_TSC_DEADLINE_TIMER, 1);
    s = vm_new();
    cs = make_cpu("Skylake-Client");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    g_assert_cmphex(fk_cpuid(1, 0)->ecx & CPUID_1_ECX_X2APIC, !=, 0);
    g_assert_cmphex(fk_cpuid(1, 0)->ecx & CPUID_1_ECX_TSC_DEADLINE, !=, 0);
    g_assert_true(kvm_init_cpu_signals(cs, &error_abort));
    g_assert_cmpint(fk.set_signal_mask, ==, 1);
    kvm_destroy_vcpu(cs);
    g_assert_null(cs->kvm_run);

    /* max on a VMX host: nested exposed */
    cs = make_cpu("max");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    g_assert_cmphex(fk_cpuid(1, 0)->ecx & CPUID_1_ECX_VMX, !=, 0);
    kvm_destroy_vcpu(cs);
    vm_free(s);
}

static bool msr_put(uint32_t index)
{
    for (uint32_t i = 0; i < fk.nmsr_vals; i++) {
        if (fk.msr_vals[i].index == index) {
            return true;
        }
    }
    return false;
}

/* an MSR the kernel lists but refuses: reported once, then left out */
static void test_msr_refused(void)
{
    if (g_test_subprocess()) {
        KVMState *s;
        CPUState *cs;

        fake_reset();
        fk.refuse_msr = MSR_PAT;
        s = vm_new();
        cs = make_cpu("qemu64");
        g_assert_true(kvm_init_vcpu(cs, &error_abort));
        g_assert_cmpint(kvm_arch_put_registers(cs, KVM_PUT_RESET_STATE), ==,
                        0);
        g_assert_true(msr_put(MSR_LSTAR));      /* after PAT in the list */
        g_assert_true(msr_put(MSR_IA32_TSC));
        g_assert_false(msr_put(MSR_PAT));
        fk.nmsr_vals = 0;
        fk.refuse_msr = 0;
        g_assert_cmpint(kvm_arch_put_registers(cs, KVM_PUT_RESET_STATE), ==,
                        0);
        g_assert_false(msr_put(MSR_PAT));       /* no longer tried */
        g_assert_true(msr_put(MSR_LSTAR));
        g_assert_cmpint(kvm_arch_get_registers(cs), ==, 0);
        kvm_destroy_vcpu(cs);
        vm_free(s);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*KVM_SET_MSRS refused MSR 0x277*");
}

/* what the user sees when the host lacks a feature of the model */
static void test_feature_warnings(void)
{
    if (g_test_subprocess()) {
        KVMState *s;
        CPUState *cs;

        fake_reset();
        s = vm_new();                  /* the fake host has no leaf 7 */
        cs = make_cpu("Skylake-Client");
        g_assert_true(kvm_init_vcpu(cs, &error_abort));
        g_assert_cmphex(fk_cpuid(7, 0)->ebx, ==, 0);
        kvm_destroy_vcpu(cs);
        vm_free(s);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: host doesn't support requested "
                              "feature: CPUID.07H:EBX.avx2 [bit 5]*");
    g_test_trap_assert_stderr("*CPUID.07H:EBX.smep [bit 7]*");
}

static void test_regs_roundtrip(void)
{
    KVMState *s;
    CPUState *cs;
    CPUX86State *env, saved;

    fake_reset();
    cap_set(KVM_CAP_NESTED_STATE, sizeof(struct kvm_nested_state) + 128);
    s = vm_new();
    g_assert_cmpint(s->nested_state_size, >, 0);
    cs = make_cpu("max");                    /* VMX: nested state synced */
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    env = &X86_CPU(cs)->env;

    /* reset state goes in with LAPIC, MP state and a clean nested state */
    fk.nmsr_vals = 0;
    g_assert_cmpint(kvm_arch_put_registers(cs, KVM_PUT_FULL_STATE), ==, 0);
    g_assert_cmphex(fk.regs.rip, ==, 0xfff0);
    g_assert_cmphex(fk.regs.rdx, ==, 0x000506e3);
    g_assert_cmphex(fk.sregs.cs.selector, ==, 0xf000);
    g_assert_cmphex(fk.sregs.cs.base, ==, 0xffff0000);
    g_assert_cmpuint(fk.sregs.cs.type, ==, 0xb);
    g_assert_cmpuint(fk.sregs.cs.present, ==, 1);
    g_assert_cmphex(fk.sregs.cr0, ==, 0x60000010);
    /* the BSP is CPU 0; the others wait for INIT/SIPI */
    g_assert_cmphex(fk.sregs.apic_base, ==,
                    cs->cpu_index ? 0xfee00800 : 0xfee00900);
    g_assert_cmpuint(fk.mp.mp_state, ==,
                     cs->cpu_index ? KVM_MP_STATE_UNINITIALIZED
                                   : KVM_MP_STATE_RUNNABLE);
    g_assert_cmphex((uint8_t)fk.lapic.regs[0xf0], ==, 0xff);
    g_assert_true(fk.nested_set);
    g_assert_cmpuint(((struct kvm_nested_state *)fk.nested)->format, ==,
                     KVM_STATE_NESTED_FORMAT_VMX);
    g_assert_cmpuint(fk.xcrs.xcrs[0].value, ==, 1);
    /* TSC goes in at reset level; MSRs the host lacks never do */
    g_assert_cmpuint(fk.nmsr_vals, ==, 10);
    for (uint32_t i = 0; i < fk.nmsr_vals; i++) {
        g_assert_cmphex(fk.msr_vals[i].index, !=, MSR_CSTAR);
    }

    /* a guest in long mode with state everywhere */
    env->regs[R_EAX] = 0x1111;
    env->regs[R_R15] = 0xf0f0f0f0f0f0f0f0ull;
    env->rip = 0xffffffff81000000ull;
    env->rflags = 0x246;
    env->segs[R_CS] = (SegmentCache){ 0x10, 0, 0xffffffff,
                                      DESC_P_MASK | DESC_S_MASK | DESC_L_MASK |
                                      DESC_G_MASK | (0xbu << DESC_TYPE_SHIFT) };
    env->ldt = (SegmentCache){ 0, 0, 0, 0 };
    env->cr[0] = 0x80050033;
    env->cr[3] = 0x1234000;
    env->cr[4] = 0x3606f0;
    env->efer = EFER_LME | EFER_LMA | EFER_SCE | EFER_NXE;
    env->lstar = 0xffffffff81e00000ull;
    env->xmm[7].q[0] = 0x0123456789abcdefull;
    env->xmm[7].q[1] = 0xfedcba9876543210ull;
    env->mxcsr = 0x1fa0;
    env->exception_nr = 14;
    env->exception_injected = true;
    env->has_error_code = true;
    env->error_code = 2;
    env->nmi_pending = true;
    env->dr[7] = 0x401;
    saved = *env;
    g_assert_cmpint(kvm_arch_put_registers(cs, KVM_PUT_RUNTIME_STATE), ==, 0);
    g_assert_cmpuint(fk.sregs.ldt.unusable, ==, 1);
    g_assert_cmpuint(fk.sregs.cs.l, ==, 1);
    g_assert_cmpuint(fk.events.exception.injected, ==, 1);
    g_assert_cmpuint(fk.events.exception.nr, ==, 14);
    g_assert_cmpuint(fk.events.nmi.pending, ==, 1);

    memset(env->regs, 0, sizeof(env->regs));
    memset(env->xmm, 0, sizeof(env->xmm));
    env->rip = env->cr[0] = env->efer = env->lstar = 0;
    env->exception_nr = -1;
    env->nmi_pending = false;
    env->segs[R_CS].flags = 0;
    g_assert_cmpint(kvm_arch_get_registers(cs), ==, 0);
    g_assert_cmphex(env->regs[R_EAX], ==, 0x1111);
    g_assert_cmphex(env->regs[R_R15], ==, saved.regs[R_R15]);
    g_assert_cmphex(env->rip, ==, saved.rip);
    g_assert_cmphex(env->rflags, ==, 0x246);
    g_assert_cmphex(env->segs[R_CS].flags, ==, saved.segs[R_CS].flags);
    g_assert_cmphex(env->cr[0], ==, 0x80050033);
    g_assert_cmphex(env->efer, ==, saved.efer);
    g_assert_cmphex(env->lstar, ==, saved.lstar);
    g_assert_cmphex(env->xmm[7].q[0], ==, saved.xmm[7].q[0]);
    g_assert_cmphex(env->xmm[7].q[1], ==, saved.xmm[7].q[1]);
    g_assert_cmphex(env->mxcsr, ==, 0x1fa0);
    g_assert_cmpint(env->exception_nr, ==, 14);
    g_assert_true(env->has_error_code);
    g_assert_true(env->nmi_pending);
    g_assert_cmphex(env->dr[7], ==, 0x401);
    g_assert_cmpuint(env->nested_state_len, ==,
                     sizeof(struct kvm_nested_state));
    kvm_destroy_vcpu(cs);
    vm_free(s);
}

/* vm_start on every resume: the TSC goes in once, and after loadvm */
static void test_sync_levels(void)
{
    KVMState *s;
    CPUState *cs;

    fake_reset();
    s = vm_new();
    cs = make_cpu("qemu64");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    kvm_cpu_synchronize_post_init(cs);
    g_assert_true(msr_put(MSR_IA32_TSC));
    g_assert_false(cs->vcpu_dirty);

    g_array_set_size(fk.log, 0);
    kvm_cpu_synchronize_post_init(cs);
    g_assert_false(logged(KVM_SET_REGS));

    /* a register dump reads once, then the state is ours */
    kvm_cpu_synchronize_state(cs);
    g_assert_true(logged(KVM_GET_REGS));
    g_assert_true(cs->vcpu_dirty);
    g_array_set_size(fk.log, 0);
    kvm_cpu_synchronize_state(cs);
    g_assert_false(logged(KVM_GET_REGS));

    fk.nmsr_vals = 0;
    kvm_cpu_synchronize_post_init(cs);
    g_assert_true(logged(KVM_SET_REGS));
    g_assert_false(msr_put(MSR_IA32_TSC));
    g_assert_true(msr_put(MSR_LSTAR));

    kvm_cpu_synchronize_pre_loadvm(cs);
    kvm_cpu_synchronize_post_init(cs);
    g_assert_true(msr_put(MSR_IA32_TSC));

    /* reset: LAPIC and MP state too */
    g_array_set_size(fk.log, 0);
    kvm_cpu_synchronize_post_reset(cs);
    g_assert_true(logged(KVM_SET_LAPIC));
    g_assert_true(logged(KVM_SET_MP_STATE));
    kvm_destroy_vcpu(cs);
    vm_free(s);
}

static struct kvm_run *run_area(CPUState *cs)
{
    memset(cs->kvm_run, 0, 3 * 4096);
    return cs->kvm_run;
}

/* ---- direct kernel boot: the board's entry state ---- */

static X86BootState boot_state;

/* The pc board's loaders are not linked here: stand in for them. */
X86BootState *x86_boot_state(void)
{
    return &boot_state;
}

static void test_boot_state(void)
{
    KVMState *s;
    CPUState *cs;
    CPUX86State *env;
    const uint32_t code64 = DESC_P_MASK | DESC_S_MASK | DESC_L_MASK |
                            DESC_G_MASK | (0xbu << DESC_TYPE_SHIFT);
    const uint32_t data = DESC_P_MASK | DESC_S_MASK | DESC_B_MASK |
                          DESC_G_MASK | (0x3u << DESC_TYPE_SHIFT);

    fake_reset();
    s = vm_new();
    cs = make_cpu("qemu64");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    env = &X86_CPU(cs)->env;

    /* the 64-bit Linux entry of hw/i386/x86-boot.h */
    boot_state = (X86BootState) {
        .valid = true, .long_mode = true,
        .rip = 0x100200, .rsp = 0x8ff0, .rflags = 0x2, .rsi = 0x7000,
        .cr0 = 0x80000011, .cr3 = 0x9000, .cr4 = 0x20,
        .efer = EFER_LME | EFER_LMA,
        .gdt_base = 0x500, .gdt_limit = 0x1f,
    };
    for (int i = 0; i < X86_SEG_NUM; i++) {
        boot_state.seg[i] = (X86BootSegment){ 0x18, 0, 0xffffffff, data };
    }
    boot_state.seg[X86_SEG_CS] = (X86BootSegment){ 0x10, 0, 0xffffffff,
                                                   code64 };

    /* only CPU 0 takes it */
    cs->cpu_index = 1;
    cpu_reset(cs);
    g_assert_cmphex(env->rip, ==, 0xfff0);
    cs->cpu_index = 0;
    cpu_reset(cs);
    g_assert_cmphex(env->rip, ==, 0x100200);
    g_assert_cmphex(env->regs[R_ESI], ==, 0x7000);
    g_assert_cmphex(env->regs[R_ESP], ==, 0x8ff0);
    g_assert_cmphex(env->regs[R_EDX], ==, 0);

    g_assert_cmpint(kvm_arch_put_registers(cs, KVM_PUT_RESET_STATE), ==, 0);
    g_assert_cmphex(fk.regs.rip, ==, 0x100200);
    g_assert_cmphex(fk.regs.rflags, ==, 0x2);
    g_assert_cmphex(fk.sregs.cr0, ==, 0x80000011);
    g_assert_cmphex(fk.sregs.cr3, ==, 0x9000);
    g_assert_cmphex(fk.sregs.cr4, ==, 0x20);
    g_assert_cmphex(fk.sregs.efer, ==, EFER_LME | EFER_LMA);
    g_assert_cmphex(fk.sregs.gdt.base, ==, 0x500);
    g_assert_cmphex(fk.sregs.gdt.limit, ==, 0x1f);
    g_assert_cmphex(fk.sregs.idt.limit, ==, 0);
    g_assert_cmphex(fk.sregs.cs.selector, ==, 0x10);
    g_assert_cmpuint(fk.sregs.cs.l, ==, 1);
    g_assert_cmpuint(fk.sregs.cs.db, ==, 0);
    g_assert_cmpuint(fk.sregs.cs.type, ==, 0xb);
    g_assert_cmphex(fk.sregs.ss.selector, ==, 0x18);
    g_assert_cmpuint(fk.sregs.ss.db, ==, 1);
    g_assert_cmpuint(fk.sregs.ss.g, ==, 1);
    g_assert_cmphex(fk.sregs.ds.limit, ==, 0xffffffff);
    g_assert_cmpuint(fk.sregs.tr.type, ==, 0xb);
    g_assert_cmpuint(fk.sregs.tr.present, ==, 1);
    g_assert_cmpuint(fk.sregs.ldt.unusable, ==, 1);
    /* the BSP's LAPIC passes the 8259 through (LINT0 ExtINT) */
    g_assert_cmphex(*(uint32_t *)(fk.lapic.regs + 0x350), ==, 0x700);
    g_assert_cmpuint(fk.mp.mp_state, ==, KVM_MP_STATE_RUNNABLE);

    boot_state.valid = false;
    kvm_destroy_vcpu(cs);
    vm_free(s);
}

/* kernel-irqchip=off: interrupts go in with KVM_INTERRUPT */
static int pic_vector(void)
{
    return 0x30;
}

static void test_userspace_irq_injection(void)
{
    KVMState s = { 0 };
    CPUState *cs;
    struct kvm_run *run;

    fake_reset();
    g_assert_true(kvm_open_vm(&s, NULL, &error_abort));
    kvm_state_set_current(&s);
    g_hash_table_remove(fk.caps, GUINT_TO_POINTER(KVM_CAP_IRQCHIP));
    g_assert_true(kvm_arch_init(NULL, &s, &error_abort));
    g_assert_false(kvm_irqchip_in_kernel());
    cs = make_cpu("qemu64");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    /* no in-kernel LAPIC: no x2APIC, no TSC deadline */
    g_assert_cmphex(fk_cpuid(1, 0)->ecx & CPUID_1_ECX_X2APIC, ==, 0);
    x86_pic_get_vector = pic_vector;
    run = run_area(cs);

    /* the guest cannot take it yet: ask for the window */
    g_array_set_size(fk.log, 0);
    cpu_interrupt(cs, CPU_INTERRUPT_HARD);
    kvm_arch_pre_run(cs, run);
    g_assert_false(logged(KVM_INTERRUPT));
    g_assert_cmpuint(run->request_interrupt_window, ==, 1);

    run->ready_for_interrupt_injection = 1;
    run->if_flag = 1;
    kvm_arch_pre_run(cs, run);
    g_assert_true(logged(KVM_INTERRUPT));
    g_assert_cmpuint(run->request_interrupt_window, ==, 0);
    g_assert_cmphex(g_atomic_int_get(&cs->interrupt_request) &
                    CPU_INTERRUPT_HARD, ==, 0);

    /* NMI */
    cpu_interrupt(cs, CPU_INTERRUPT_TGT_EXT_1);
    kvm_arch_pre_run(cs, run);
    g_assert_true(logged(KVM_NMI));

    /* HLT with nothing pending halts; an interrupt wakes it */
    g_atomic_int_set(&cs->halted, 1);
    X86_CPU(cs)->env.rflags = RFLAGS_IF;
    g_assert_true(kvm_arch_process_async_events(cs));
    cpu_interrupt(cs, CPU_INTERRUPT_HARD);
    g_assert_false(kvm_arch_process_async_events(cs));
    g_assert_cmpint(g_atomic_int_get(&cs->halted), ==, 0);

    x86_pic_get_vector = NULL;
    kvm_destroy_vcpu(cs);
    kvm_state_set_current(NULL);
    kvm_close_vm(&s);
}

/* ---- the vCPU thread and its kicks ---- */

static int work_done;

static void count_work(CPUState *cpu, run_on_cpu_data d)
{
    g_assert_true(qemu_cpu_is_self(cpu));
    work_done++;
}

static void test_vcpu_thread_kicks(void)
{
    const AccelOps *ops = accel_find("kvm");
    KVMState *s;
    CPUState *cs;

    g_assert_nonnull(ops);
    fake_reset();
    fk.threaded = true;
    s = vm_new();
    accel_set_current(ops);
    cs = make_cpu("qemu64");
    bql_lock();
    cpus_start_vcpu(cs);                    /* thread up, CPU stopped */
    g_assert_true(cs->created);
    g_assert_cmpint(fk.set_signal_mask, ==, 1);

    runstate_set(RUN_STATE_RUNNING);
    cs->stop = false;
    cs->stopped = false;
    qemu_cpu_kick(cs);
    /* every request needs the vCPU out of KVM_RUN: none may be lost */
    for (int i = 0; i < 200; i++) {
        run_on_cpu(cs, count_work, RUN_ON_CPU_NULL);
    }
    g_assert_cmpint(work_done, ==, 200);
    g_assert_cmpint(__atomic_load_n(&fk.run_calls, __ATOMIC_SEQ_CST), >=, 1);

    /* the state is read on the vCPU's own thread (and written back by
     * it before it runs again, so vcpu_dirty may already be clear) */
    cpu_synchronize_state(cs);
    g_assert_cmpint(__atomic_load_n(&fk.get_regs_calls, __ATOMIC_SEQ_CST),
                    ==, 1);

    runstate_set(RUN_STATE_PAUSED);
    cs->unplug = true;
    qemu_cpu_kick(cs);
    bql_unlock();
    pthread_join(cs->thread, NULL);
    g_assert_false(cs->created);
    g_assert_null(cs->kvm_run);
    accel_set_current(NULL);
    vm_free(s);
}

/* snapshot: the CPU's field table, nested state included */
static void test_cpu_vmstate(void)
{
    KVMState *s;
    CPUState *a, *b;
    CPUX86State *ea, *eb;
    GByteArray *buf = g_byte_array_new();
    VMStateReader rd;

    fake_reset();
    cap_set(KVM_CAP_NESTED_STATE, 8192);
    s = vm_new();
    a = make_cpu("max");
    b = make_cpu("max");
    g_assert_true(kvm_init_vcpu(a, &error_abort));
    ea = &X86_CPU(a)->env;
    eb = &X86_CPU(b)->env;
    ((struct kvm_nested_state *)fk.nested)->format =
        KVM_STATE_NESTED_FORMAT_VMX;
    ((struct kvm_nested_state *)fk.nested)->flags = KVM_STATE_NESTED_RUN_PENDING;
    g_assert_cmpint(kvm_arch_get_registers(a), ==, 0);   /* fetches nested */
    /* state everywhere: GPRs, segments, MSRs, upper YMM0, events, TPR */
    ea->regs[R_EBX] = 0xb0b;
    ea->rip = 0x401000;
    ea->segs[R_SS].base = 0x1234;
    ea->lstar = 0xffffffff81800000ull;
    ea->xsave_buf[600] = 0x77;
    ea->nmi_masked = true;
    ea->exception_nr = 6;
    ea->lapic_regs[0x80] = 0x10;
    g_assert_cmpuint(ea->nested_state_len, >, 0);
    a->vcpu_dirty = true;                   /* pre_save: nothing to fetch */

    g_assert_true(vmstate_save(&vmstate_x86_cpu, X86_CPU(a), buf,
                               &error_abort));
    rd = (VMStateReader){ .buf = buf->data, .len = buf->len };
    b->vcpu_dirty = false;
    g_assert_true(vmstate_load(&vmstate_x86_cpu, X86_CPU(b), &rd,
                               &error_abort));
    g_assert_true(b->vcpu_dirty);
    g_assert_cmphex(eb->regs[R_EBX], ==, 0xb0b);
    g_assert_cmphex(eb->rip, ==, 0x401000);
    g_assert_cmphex(eb->lstar, ==, ea->lstar);
    g_assert_cmphex(eb->segs[R_SS].base, ==, ea->segs[R_SS].base);
    g_assert_cmphex(eb->xsave_buf[600], ==, 0x77);
    g_assert_true(eb->nmi_masked == ea->nmi_masked);
    g_assert_cmpint(eb->exception_nr, ==, ea->exception_nr);
    g_assert_cmphex(eb->lapic_regs[0x80], ==, 0x10);
    g_assert_cmpuint(eb->nested_state_len, ==, ea->nested_state_len);
    g_assert_cmpint(memcmp(eb->nested_state, ea->nested_state,
                           ea->nested_state_len), ==, 0);
    g_byte_array_unref(buf);
    kvm_destroy_vcpu(a);
    vm_free(s);
}

/* ---- exits ---- */

static void test_exit_dispatch(void)
{
    MemoryRegion port, mmio;
    KVMState *s;
    CPUState *cs;
    struct kvm_run *run;
    uint8_t *data;

    fake_reset();
    s = vm_new();
    cs = make_cpu("qemu64");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    memory_region_init_io(&port, NULL, &test_ops, NULL, "port80", 4);
    memory_region_add_subregion(get_system_io(), 0x80, &port);
    memory_region_init_io(&mmio, NULL, &test_ops, NULL, "dev", 0x1000);
    memory_region_add_subregion(get_system_memory(), 0xfe000000, &mmio);

    /* OUTSB x3 to port 0x81 */
    run = run_area(cs);
    run->exit_reason = KVM_EXIT_IO;
    run->io.direction = KVM_EXIT_IO_OUT;
    run->io.size = 1;
    run->io.port = 0x81;
    run->io.count = 3;
    run->io.data_offset = 4096;
    data = (uint8_t *)run + 4096;
    data[0] = 0xa;
    data[1] = 0xb;
    data[2] = 0xc;
    nwrites = 0;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, 0);
    g_assert_cmpint(nwrites, ==, 3);
    g_assert_cmphex(last_write, ==, 0xc);
    g_assert_cmphex(last_write_addr, ==, 1);

    /* IN AX, 0x80 */
    run->io.direction = KVM_EXIT_IO_IN;
    run->io.size = 2;
    run->io.port = 0x80;
    run->io.count = 1;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, 0);
    g_assert_cmphex(data[0] | data[1] << 8, ==, 0x5a5a);

    /* MMIO write and read */
    run = run_area(cs);
    run->exit_reason = KVM_EXIT_MMIO;
    run->mmio.phys_addr = 0xfe000010;
    run->mmio.len = 4;
    run->mmio.is_write = 1;
    memcpy(run->mmio.data, "\x78\x56\x34\x12", 4);
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, 0);
    g_assert_cmphex(last_write, ==, 0x12345678);
    g_assert_cmphex(last_write_addr, ==, 0x10);
    run->mmio.is_write = 0;
    memset(run->mmio.data, 0, 8);
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, 0);
    g_assert_cmphex(run->mmio.data[3], ==, 0x5a);

    /* HLT without work halts the vCPU */
    run->exit_reason = KVM_EXIT_HLT;
    g_atomic_int_set(&cs->halted, 0);
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, EXCP_HLT);
    g_assert_cmpint(g_atomic_int_get(&cs->halted), ==, 1);

    run->exit_reason = KVM_EXIT_SHUTDOWN;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, EXCP_INTERRUPT);
    run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
    run->system_event.type = KVM_SYSTEM_EVENT_RESET;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, EXCP_INTERRUPT);
    run->exit_reason = KVM_EXIT_IRQ_WINDOW_OPEN;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, 0);

    /* errors: reported, stop the VM */
    run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
    run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
    run->internal.ndata = 0;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, -1);
    run->exit_reason = KVM_EXIT_FAIL_ENTRY;
    run->fail_entry.hardware_entry_failure_reason = 0x80000021;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, -1);
    run->exit_reason = 9999;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, -1);

    memory_region_del_subregion(get_system_io(), &port);
    memory_region_del_subregion(get_system_memory(), &mmio);
    kvm_destroy_vcpu(cs);
    vm_free(s);
}

static void test_run_loop(void)
{
    MemoryRegion port;
    KVMState *s;
    CPUState *cs;
    int r;

    fake_reset();
    s = vm_new();
    cs = make_cpu("qemu64");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    memory_region_init_io(&port, NULL, &test_ops, NULL, "port70", 2);
    memory_region_add_subregion(get_system_io(), 0x70, &port);

    /* two port exits, then a signal (EINTR): dirty registers go first */
    run_area(cs);
    cs->kvm_run->io.direction = KVM_EXIT_IO_OUT;
    cs->kvm_run->io.size = 1;
    cs->kvm_run->io.port = 0x70;
    cs->kvm_run->io.count = 1;
    cs->kvm_run->io.data_offset = 4096;
    fk.run_script[0] = KVM_EXIT_IO;
    fk.run_script[1] = KVM_EXIT_IO;
    fk.run_script_len = 2;
    nwrites = 0;
    g_array_set_size(fk.log, 0);
    bql_lock();
    r = kvm_cpu_exec(cs);
    g_assert_true(bql_locked());
    bql_unlock();
    g_assert_cmpint(r, ==, EXCP_INTERRUPT);
    g_assert_cmpint(fk.run_calls, ==, 3);
    g_assert_cmpint(nwrites, ==, 2);
    g_assert_false(cs->vcpu_dirty);
    g_assert_cmpint(logged_at(KVM_SET_REGS), <, logged_at(KVM_RUN));

    /* an exit request: immediate_exit, no guest entry */
    fk.run_calls = fk.run_script_len = 0;
    cs->exit_request = 1;
    bql_lock();
    r = kvm_cpu_exec(cs);
    bql_unlock();
    g_assert_cmpint(r, ==, EXCP_INTERRUPT);
    g_assert_true(fk.saw_immediate_exit);
    g_assert_cmpint(cs->exit_request, ==, 0);
    g_assert_cmpint(cs->kvm_run->immediate_exit, ==, 0);

    /* a triple fault: reset requested, this vCPU waits for it */
    fk.run_script[0] = KVM_EXIT_SHUTDOWN;
    fk.run_script_len = 1;
    fk.run_calls = 0;
    cs->stop = false;
    bql_lock();
    r = kvm_cpu_exec(cs);
    bql_unlock();
    g_assert_cmpint(r, ==, EXCP_INTERRUPT);
    g_assert_cmpint(fk.run_calls, ==, 1);
    g_assert_true(cs->stop);

    /* a failed entry stops the VM with a register dump */
    fk.run_script[0] = KVM_EXIT_FAIL_ENTRY;
    fk.run_script_len = 1;
    fk.run_calls = 0;
    cs->stop = false;
    bql_lock();
    r = kvm_cpu_exec(cs);
    bql_unlock();
    g_assert_cmpint(r, ==, -1);
    g_assert_true(cs->stop);

    memory_region_del_subregion(get_system_io(), &port);
    kvm_destroy_vcpu(cs);
    vm_free(s);
}

/* gdb under KVM: INT3 breakpoints, debug registers, single step */
static void test_guest_debug(void)
{
    MemoryRegion ram;
    KVMState *s;
    CPUState *cs;
    struct kvm_run *run;
    uint8_t b;

    fake_reset();
    cap_set(KVM_CAP_SET_GUEST_DEBUG, 1);
    s = vm_new();
    cs = make_cpu("qemu64");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    run = run_area(cs);
    g_assert_true(memory_region_init_ram(&ram, NULL, "dbg-ram", 0x10000,
                                         &error_abort));
    memory_region_add_subregion(get_system_memory(), 0x100000, &ram);
    memset(memory_region_get_ram_ptr(&ram), 0x90, 0x10000);

    /* Z0: an INT3 in memory (paging off: virtual = physical) */
    g_assert_cmpint(kvm_arch_insert_breakpoint(cs, 0, 0x100010, 1), ==, 0);
    b = ((uint8_t *)memory_region_get_ram_ptr(&ram))[0x10];
    g_assert_cmphex(b, ==, 0xcc);
    kvm_arch_pre_run(cs, run);
    g_assert_cmphex(fk.guest_debug.control, ==,
                    KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP);
    kvm_arch_pre_run(cs, run);                  /* unchanged: no ioctl */
    g_assert_cmpint(fk.guest_debug_sets, ==, 1);

    run->exit_reason = KVM_EXIT_DEBUG;
    run->debug.arch.exception = 3;
    run->debug.arch.pc = 0x100010;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, EXCP_DEBUG);
    /* the guest's own INT3 goes back to it */
    run->debug.arch.pc = 0x100020;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, 0);
    kvm_arch_pre_run(cs, run);
    g_assert_cmphex(fk.guest_debug.control & KVM_GUESTDBG_INJECT_BP, !=, 0);
    g_assert_cmpint(fk.guest_debug_sets, ==, 2);
    kvm_arch_pre_run(cs, run);                  /* injected once only */
    g_assert_cmpint(fk.guest_debug_sets, ==, 2);

    /* Z1 + Z2: DR0/DR1 */
    g_assert_cmpint(kvm_arch_insert_breakpoint(cs, 1, 0x2000, 1), ==, 0);
    g_assert_cmpint(kvm_arch_insert_breakpoint(cs, 2, 0x3000, 4), ==, 0);
    g_assert_cmpint(kvm_arch_insert_breakpoint(cs, 2, 0x3000, 3), ==,
                    -EINVAL);
    kvm_arch_pre_run(cs, run);
    g_assert_cmphex(fk.guest_debug.control, ==,
                    KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP |
                    KVM_GUESTDBG_USE_HW_BP);
    g_assert_cmphex(fk.guest_debug.arch.debugreg[0], ==, 0x2000);
    g_assert_cmphex(fk.guest_debug.arch.debugreg[1], ==, 0x3000);
    g_assert_cmphex(fk.guest_debug.arch.debugreg[7], ==, 0xd0060a);
    run->debug.arch.exception = 1;
    run->debug.arch.dr6 = 0xffff0ff0 | 2;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, EXCP_DEBUG);
    g_assert_true(cs->watchpoint_hit);
    g_assert_cmpint(kvm_arch_insert_breakpoint(cs, 1, 0x4000, 1), ==, 0);
    g_assert_cmpint(kvm_arch_insert_breakpoint(cs, 1, 0x5000, 1), ==, 0);
    g_assert_cmpint(kvm_arch_insert_breakpoint(cs, 1, 0x6000, 1), ==,
                    -ENOSPC);
    g_assert_cmpint(kvm_arch_insert_breakpoint(cs, 7, 0x6000, 1), ==,
                    -ENOSYS);

    /* single step */
    cs->singlestep_enabled = 1;
    kvm_arch_pre_run(cs, run);
    g_assert_cmphex(fk.guest_debug.control & KVM_GUESTDBG_SINGLESTEP, !=, 0);
    run->debug.arch.dr6 = 0xffff0ff0 | (1u << 14);
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, EXCP_DEBUG);
    cs->singlestep_enabled = 0;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, 0);   /* guest's #DB */

    /* all gone: memory restored, debugging off */
    kvm_arch_remove_all_breakpoints(cs);
    b = ((uint8_t *)memory_region_get_ram_ptr(&ram))[0x10];
    g_assert_cmphex(b, ==, 0x90);
    kvm_arch_pre_run(cs, run);
    g_assert_cmphex(fk.guest_debug.control, ==, KVM_GUESTDBG_INJECT_DB);
    g_assert_cmpint(kvm_arch_remove_breakpoint(cs, 0, 0x100010, 1), ==,
                    -ENOENT);

    memory_region_del_subregion(get_system_memory(), &ram);
    kvm_destroy_vcpu(cs);
    vm_free(s);
}

/* the in-kernel 8259s/IOAPIC/PIT: snapshot and reset */
static void test_irqchip_state(void)
{
    KVMState *s;
    DeviceState *dev;
    struct kvm_ioapic_state *io;
    g_autoptr(GByteArray) buf = g_byte_array_new();
    VMStateReader rd;

    fake_reset();
    s = vm_new();
    dev = kvm_x86_irqchip_state_create(&error_abort);
    g_assert_nonnull(dev);

    /* the guest programmed things */
    fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.imr = 0xfb;
    fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.irq_base = 0x20;
    fk.chips[KVM_IRQCHIP_IOAPIC].chip.ioapic.redirtbl[4].bits = 0x31;
    fk.pit.channels[0].count = 11932;
    g_assert_true(vmstate_save(DEVICE_GET_CLASS(dev)->vmsd, dev, buf,
                               &error_abort));

    /* reset: power-on values */
    kvm_x86_irqchip_state_reset(dev);
    g_assert_cmphex(fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.imr, ==, 0);
    g_assert_cmphex(fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.elcr_mask, ==,
                    0xf8);
    g_assert_cmphex(fk.chips[KVM_IRQCHIP_PIC_SLAVE].chip.pic.elcr_mask, ==,
                    0xde);
    io = &fk.chips[KVM_IRQCHIP_IOAPIC].chip.ioapic;
    g_assert_cmphex(io->base_address, ==, 0xfec00000);
    for (int i = 0; i < KVM_IOAPIC_NUM_PINS; i++) {
        g_assert_cmphex(io->redirtbl[i].bits, ==, 1ull << 16);
    }

    /* load: what was saved goes back */
    fk.pit.channels[0].count = 0;
    rd = (VMStateReader){ .buf = buf->data, .len = buf->len };
    g_assert_true(vmstate_load(DEVICE_GET_CLASS(dev)->vmsd, dev, &rd,
                               &error_abort));
    g_assert_cmphex(fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.imr, ==, 0xfb);
    g_assert_cmphex(fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.irq_base, ==,
                    0x20);
    g_assert_cmphex(io->redirtbl[4].bits, ==, 0x31);
    g_assert_cmpuint(fk.pit.channels[0].count, ==, 11932);
    qdev_unrealize(dev);
    vm_free(s);
}

/* the pc board's GSI router drives KVM_IRQ_LINE once KVM attached it */
static void test_gsi_router(void)
{
    X86IrqchipCreateFn create;
    KVMState *s;
    DeviceState *gsi;

    fake_reset();
    s = vm_new();
    create = x86_get_irqchip_creator();
    g_assert_nonnull(create);
    gsi = qdev_new(TYPE_X86_GSI_ROUTER);
    g_assert_true(qdev_realize_and_unref(gsi, NULL, &error_abort));

    /* raised before the irqchip exists: replayed when it attaches */
    qemu_set_irq(qdev_get_gpio_in(gsi, 3), 1);
    g_assert_false(logged(KVM_IRQ_LINE_STATUS));
    g_assert_true(create(NULL, X86_GSI_ROUTER(gsi), &error_abort));
    g_assert_cmpuint(fk.last_irq.irq, ==, 3);
    g_assert_cmpuint(fk.last_irq.level, ==, 1);

    qemu_set_irq(qdev_get_gpio_in(gsi, 11), 1);
    g_assert_cmpuint(fk.last_irq.irq, ==, 11);
    g_assert_cmpuint(fk.last_irq.level, ==, 1);
    qemu_set_irq(qdev_get_gpio_in(gsi, 11), 0);
    g_assert_cmpuint(fk.last_irq.level, ==, 0);
    qemu_set_irq(qdev_get_gpio_in(gsi, 23), 1);
    g_assert_cmpuint(fk.last_irq.irq, ==, 23);

    /* a device's MSI write (DMA to the APIC window) */
    address_space_stl_le(&address_space_memory, 0xfee01000, 0x4041,
                         MEMTXATTRS_UNSPECIFIED, NULL);
    g_assert_cmpint(fk.msis, ==, 1);
    g_assert_cmphex(fk.last_msi.address_lo, ==, 0xfee01000);
    g_assert_cmphex(fk.last_msi.address_hi, ==, 0);
    g_assert_cmphex(fk.last_msi.data, ==, 0x4041);
    vm_free(s);
}

/* the debugger's page walk (gdb, software breakpoints at virtual addresses) */
static void put_pte(uint8_t *ram, uint64_t table, int idx, uint64_t val)
{
    memcpy(ram + (table - 0x200000) + idx * 8, &val, 8);
}

static void test_phys_page_debug(void)
{
    MemoryRegion ram;
    CPUState *cs = make_cpu("qemu64");
    CPUClass *cc = CPU_GET_CLASS(cs);
    CPUX86State *env = &X86_CPU(cs)->env;
    uint8_t *p;
    uint32_t pde;

    g_assert_true(memory_region_init_ram(&ram, NULL, "pt-ram", 0x10000,
                                         &error_abort));
    memory_region_add_subregion(get_system_memory(), 0x200000, &ram);
    p = memory_region_get_ram_ptr(&ram);
    memset(p, 0, 0x10000);

    /* paging off: identity */
    g_assert_cmphex(cc->get_phys_page_debug(cs, 0x12345), ==, 0x12000);

    /* long mode: PML4 0x200000, PDPT 0x201000, PD 0x202000, PT 0x203000 */
    put_pte(p, 0x200000, 0, 0x201000 | 3);
    put_pte(p, 0x201000, 1, 0x202000 | 3);          /* 1 GiB - 2 GiB */
    put_pte(p, 0x201000, 2, 0x80000000 | 0x83);     /* 1 GiB page */
    put_pte(p, 0x202000, 0, 0x203000 | 3);
    put_pte(p, 0x202000, 1, 0x600000 | 0x83);       /* 2 MiB page */
    put_pte(p, 0x203000, 5, 0x345000 | 3);
    env->cr[0] = CR0_PG_MASK | CR0_PE_MASK;
    env->cr[4] = CR4_PAE_MASK;
    env->efer = EFER_LME | EFER_LMA;
    env->cr[3] = 0x200000;
    g_assert_cmphex(cc->get_phys_page_debug(cs, 0x40005000), ==, 0x345000);
    g_assert_cmphex(cc->get_phys_page_debug(cs, 0x40201234), ==, 0x601000);
    g_assert_cmphex(cc->get_phys_page_debug(cs, 0x80003000), ==, 0x80003000);
    g_assert_cmphex(cc->get_phys_page_debug(cs, 0x40400000), ==, (hwaddr)-1);
    g_assert_cmphex(cc->get_phys_page_debug(cs, 0x40006000), ==, (hwaddr)-1);

    /* 32-bit, no PAE: PD 0x204000 with a 4 MiB page and a page table */
    env->efer = 0;
    env->cr[4] = 1u << 4;                            /* PSE */
    env->cr[3] = 0x204000;
    pde = 0xc00000 | 0x83;
    memcpy(p + 0x4000 + 1 * 4, &pde, 4);
    pde = 0x205000 | 3;
    memcpy(p + 0x4000 + 2 * 4, &pde, 4);
    pde = 0x777000 | 3;
    memcpy(p + 0x5000 + 3 * 4, &pde, 4);
    g_assert_cmphex(cc->get_phys_page_debug(cs, 0x401000), ==, 0xc01000);
    g_assert_cmphex(cc->get_phys_page_debug(cs, 0x803000), ==, 0x777000);
    g_assert_cmphex(cc->get_phys_page_debug(cs, 0xc00000), ==, (hwaddr)-1);

    memory_region_del_subregion(get_system_memory(), &ram);
}

/* MSI routes for irqfd: virtual GSIs from 24 up */
static struct kvm_irq_routing_entry *fk_route(uint32_t gsi)
{
    for (uint32_t i = 0; i < fk.routes->nr; i++) {
        if (fk.routes->entries[i].gsi == gsi) {
            return &fk.routes->entries[i];
        }
    }
    return NULL;
}

static void test_msi_routes(void)
{
    KVMState *s;
    struct kvm_irq_routing_entry *e;
    int a, b;

    fake_reset();
    s = vm_new();
    a = kvm_irqchip_add_msi_route(0xfee01000, 0x4031);
    b = kvm_irqchip_add_msi_route(0xfee02000, 0x4032);
    g_assert_cmpint(a, ==, 24);
    g_assert_cmpint(b, ==, 25);
    e = fk_route(24);
    g_assert_nonnull(e);
    g_assert_cmpuint(e->type, ==, KVM_IRQ_ROUTING_MSI);
    g_assert_cmphex(e->u.msi.address_lo, ==, 0xfee01000);
    g_assert_cmphex(e->u.msi.data, ==, 0x4031);
    g_assert_nonnull(fk_route(0));                 /* PC routes kept */

    g_assert_cmpint(kvm_irqchip_update_msi_route(a, 0xfee03000, 0x4051), ==,
                    0);
    g_assert_cmphex(fk_route(24)->u.msi.data, ==, 0x4051);
    g_assert_cmpint(kvm_irqchip_update_msi_route(99, 0, 0), ==, -ENOENT);
    g_assert_cmpint(kvm_irqchip_update_msi_route(5, 0, 0), ==, -ENOENT);

    kvm_irqchip_release_virq(a);
    g_assert_null(fk_route(24));
    g_assert_nonnull(fk_route(25));
    g_assert_cmpint(kvm_irqchip_add_msi_route(0xfee04000, 0x4061), ==, 24);

    g_assert_cmpint(kvm_irqchip_send_msi(0xfee00000, 0x4071), ==, 1);
    g_assert_cmphex(fk.last_msi.data, ==, 0x4071);
    vm_free(s);
    g_assert_cmpint(kvm_irqchip_send_msi(0xfee00000, 0x4071), ==, -ENOSYS);
    g_assert_cmpint(kvm_irqchip_add_msi_route(0xfee00000, 0), ==, -ENOSYS);
}

/* kvmclock stands still while the VM is stopped */
static void test_kvmclock_pause(void)
{
    KVMState *s;

    fake_reset();
    s = vm_new();
    fk.clock = 1000;
    kvm_x86_clock_change(s, false, RUN_STATE_PAUSED);
    fk.clock = 999999;                      /* host time went on */
    kvm_x86_clock_change(s, true, RUN_STATE_RUNNING);
    g_assert_cmpuint(fk.clock, ==, 1000);
    g_assert_cmpint(fk.clock_sets, ==, 1);
    kvm_x86_clock_change(s, true, RUN_STATE_RUNNING);   /* nothing saved */
    g_assert_cmpint(fk.clock_sets, ==, 1);
    vm_free(s);
}

/* ---- interrupts, irqfd, ioeventfd ---- */

static void test_irq_and_eventfds(void)
{
    KVMState *s;

    fake_reset();
    s = vm_new();
    g_assert_cmpint(kvm_set_irq(4, 1), ==, 1);
    g_assert_cmpuint(fk.last_irq.irq, ==, 4);
    g_assert_cmpuint(fk.last_irq.level, ==, 1);
    g_assert_true(logged(KVM_IRQ_LINE_STATUS));

    g_assert_cmpint(kvm_irqchip_add_irqfd_notifier(33, 34, 11), ==, 0);
    g_assert_cmpuint(fk.last_irqfd.fd, ==, 33);
    g_assert_cmpuint(fk.last_irqfd.gsi, ==, 11);
    g_assert_cmpuint(fk.last_irqfd.flags, ==, KVM_IRQFD_FLAG_RESAMPLE);
    g_assert_cmpuint(fk.last_irqfd.resamplefd, ==, 34);
    g_assert_cmpint(kvm_irqchip_remove_irqfd_notifier(33, 11), ==, 0);
    g_assert_cmpuint(fk.last_irqfd.flags, ==, KVM_IRQFD_FLAG_DEASSIGN);

    g_assert_cmpint(kvm_set_ioeventfd_mmio(40, 0xfe003000, 7, true, 2, true),
                    ==, 0);
    g_assert_cmphex(fk.last_ioeventfd.addr, ==, 0xfe003000);
    g_assert_cmpuint(fk.last_ioeventfd.len, ==, 2);
    g_assert_cmpuint(fk.last_ioeventfd.datamatch, ==, 7);
    g_assert_cmpuint(fk.last_ioeventfd.flags, ==,
                     KVM_IOEVENTFD_FLAG_DATAMATCH);
    g_assert_cmpint(kvm_set_ioeventfd_pio(41, 0xc050, 0, false, 4, false),
                    ==, 0);
    g_assert_cmpuint(fk.last_ioeventfd.flags, ==,
                     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN);
    /* any-length needs the capability; odd sizes never work */
    g_assert_cmpint(kvm_set_ioeventfd_mmio(40, 0x1000, 0, true, 0, false),
                    ==, -EINVAL);
    g_assert_cmpint(kvm_set_ioeventfd_mmio(40, 0x1000, 0, true, 3, false),
                    ==, -EINVAL);
    vm_free(s);

    /* without KVM nothing is accepted */
    g_assert_cmpint(kvm_set_irq(4, 1), ==, -ENOSYS);
    g_assert_cmpint(kvm_irqchip_add_irqfd_notifier(33, -1, 11), ==, -ENOSYS);
    g_assert_cmpint(kvm_set_ioeventfd_pio(41, 0xc050, 0, true, 4, false), ==,
                    -ENOSYS);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    main_loop_init();
    memory_map_init();
    kvm_set_host_ops(&fake_ops);
    g_test_add_func("/kvm/init/errors", test_init_errors);
    g_test_add_func("/kvm/init/vm", test_init_vm);
    g_test_add_func("/kvm/init/irqchip-modes", test_irqchip_modes);
    g_test_add_func("/kvm/memory/slots", test_memory_slots);
    g_test_add_func("/kvm/vcpu/init", test_vcpu_init);
    g_test_add_func("/kvm/vcpu/feature-warnings", test_feature_warnings);
    g_test_add_func("/kvm/vcpu/msr-refused", test_msr_refused);
    g_test_add_func("/kvm/vcpu/regs-roundtrip", test_regs_roundtrip);
    g_test_add_func("/kvm/vcpu/sync-levels", test_sync_levels);
    g_test_add_func("/kvm/vcpu/thread-kicks", test_vcpu_thread_kicks);
    g_test_add_func("/kvm/vcpu/boot-state", test_boot_state);
    g_test_add_func("/kvm/vcpu/phys-page-debug", test_phys_page_debug);
    g_test_add_func("/kvm/vcpu/vmstate", test_cpu_vmstate);
    g_test_add_func("/kvm/irq/userspace-injection",
                    test_userspace_irq_injection);
    g_test_add_func("/kvm/exit/dispatch", test_exit_dispatch);
    g_test_add_func("/kvm/exit/run-loop", test_run_loop);
    g_test_add_func("/kvm/irq/eventfds", test_irq_and_eventfds);
    g_test_add_func("/kvm/clock/pause", test_kvmclock_pause);
    g_test_add_func("/kvm/irq/irqchip-state", test_irqchip_state);
    g_test_add_func("/kvm/irq/gsi-router", test_gsi_router);
    g_test_add_func("/kvm/irq/msi-routes", test_msi_routes);
    g_test_add_func("/kvm/gdb/guest-debug", test_guest_debug);
    return g_test_run();
}
