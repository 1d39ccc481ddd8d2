/*
 * x86 glue of the KVM accelerator: VM set-up (TSS, identity map, the
 * host's CPUID and MSR lists, the in-kernel irqchip and PIT for the pc
 * board, the MSI window), per-vCPU CPUID,
 * and the board's own interrupt controllers with kernel-irqchip=off
 * (8259s, IOAPIC, local APICs, PIT all in user space: interrupts go in
 * with KVM_INTERRUPT, INIT/SIPI/HLT are handled here) and split (the
 * LAPICs in the kernel, the rest on the board: its IOAPIC's messages
 * reach KVM as MSIs, their routes tell KVM which EOIs to report back,
 * the 8259's INTR goes in with KVM_INTERRUPT).
 * Register state is in kvm-state.c, gdb support in kvm-debug.c, the
 * irqchip's saved state in kvm-irqchip.c, kvmclock in kvm-clock.c.
 *
 * Guest-physical pages 0xfeffc000-0xfeffffff hold the identity page table
 * and the TSS KVM needs for real mode on Intel; the board must not map
 * anything there and should keep them reserved in its e820 map.
 */
#include "turtle/osdep.h"
#include "accel/kvm/kvm-int.h"
#include "target/i386/cpu.h"
#include "hw/core/boards.h"
#include "hw/core/irq.h"
#include "hw/i386/pc.h"
#include "hw/i386/x86-gsi.h"
#include "hw/intc/apic.h"
#include "target/i386/x86-tcg.h"    /* INIT and SIPI, shared with TCG */
#include "target/i386/kvm-x86.h"
#include "sysemu/main-loop.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"

#define KVM_IDENTITY_MAP_ADDR 0xfeffc000ull
#define KVM_TSS_ADDR          0xfeffd000ull

const KVMCapInfo kvm_arch_required_caps[] = {
    KVM_CAP_INFO(KVM_CAP_SET_TSS_ADDR),
    KVM_CAP_INFO(KVM_CAP_EXT_CPUID),
    KVM_CAP_INFO(KVM_CAP_MP_STATE),
    KVM_CAP_INFO(KVM_CAP_VCPU_EVENTS),
    { NULL, 0 },
};

static X86CPUIDTable host_cpuid;
static uint32_t *host_msrs;
static uint32_t host_nmsrs;
static bool warned_features;

const X86CPUIDTable *kvm_x86_supported_cpuid(void)
{
    return &host_cpuid;
}

bool kvm_x86_host_has_msr(uint32_t index)
{
    for (uint32_t i = 0; i < host_nmsrs; i++) {
        if (host_msrs[i] == index) {
            return true;
        }
    }
    return false;
}

/* ---- VM set-up ---- */

bool kvm_x86_get_supported_cpuid(KVMState *s, X86CPUIDTable *out,
                                 Error **errp)
{
    for (int n = 64; n <= 1024; n *= 2) {
        struct kvm_cpuid2 *c = g_malloc0(sizeof(*c) +
                                         n * sizeof(struct kvm_cpuid_entry2));
        int r;

        c->nent = n;
        r = kvm_ioctl(s, KVM_GET_SUPPORTED_CPUID, c);
        if (r == -E2BIG) {
            g_free(c);
            continue;
        }
        if (r < 0) {
            error_setg_errno(errp, -r, "kvm: KVM_GET_SUPPORTED_CPUID");
            g_free(c);
            return false;
        }
        out->nent = 0;
        for (uint32_t i = 0; i < c->nent && i < X86_CPUID_MAX_ENTRIES; i++) {
            struct kvm_cpuid_entry2 *k = &c->entries[i];
            out->e[out->nent++] = (X86CPUIDEntry) {
                .function = k->function, .index = k->index,
                .flags = k->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
                .eax = k->eax, .ebx = k->ebx, .ecx = k->ecx, .edx = k->edx,
            };
        }
        g_free(c);
        return true;
    }
    error_setg(errp, "kvm: KVM_GET_SUPPORTED_CPUID: too many entries");
    return false;
}

static bool get_msr_index_list(KVMState *s, Error **errp)
{
    struct kvm_msr_list probe = { .nmsrs = 0 };
    struct kvm_msr_list *l;
    int r;

    r = kvm_ioctl(s, KVM_GET_MSR_INDEX_LIST, &probe);
    if (r < 0 && r != -E2BIG) {
        error_setg_errno(errp, -r, "kvm: KVM_GET_MSR_INDEX_LIST");
        return false;
    }
    l = g_malloc0(sizeof(*l) + (probe.nmsrs + 1) * sizeof(uint32_t));
    l->nmsrs = probe.nmsrs;
    r = kvm_ioctl(s, KVM_GET_MSR_INDEX_LIST, l);
    if (r < 0) {
        error_setg_errno(errp, -r, "kvm: KVM_GET_MSR_INDEX_LIST");
        g_free(l);
        return false;
    }
    g_free(host_msrs);
    host_nmsrs = l->nmsrs;
    host_msrs = g_memdup2(l->indices, l->nmsrs * sizeof(uint32_t));
    g_free(l);
    return true;
}

static KVMIrqchipMode machine_irqchip_mode(MachineState *ms)
{
    if (!ms) {
        return KVM_IRQCHIP_DEFAULT;
    }
    switch ((KernelIrqchipMode)ms->kernel_irqchip) {
    case KERNEL_IRQCHIP_ON:
        return KVM_IRQCHIP_ON;
    case KERNEL_IRQCHIP_OFF:
        return KVM_IRQCHIP_OFF;
    case KERNEL_IRQCHIP_SPLIT:
        return KVM_IRQCHIP_SPLIT;
    default:
        return KVM_IRQCHIP_DEFAULT;
    }
}

/*
 * The PC's routes: GSI 0-15 to the 8259 pair (pin 2 is the cascade),
 * GSI 0-23 to the IOAPIC with ISA IRQ 0 (the PIT) on IOAPIC pin 2, the
 * override every PC firmware declares in its MADT.
 */
void kvm_x86_pc_routes(KVMState *s)
{
    for (int i = 0; i < 16; i++) {
        if (i == 2) {
            continue;
        }
        kvm_irqchip_add_irq_route(s, i, i < 8 ? KVM_IRQCHIP_PIC_MASTER
                                              : KVM_IRQCHIP_PIC_SLAVE, i & 7);
    }
    for (int i = 0; i < 24; i++) {
        if (i == 2) {
            continue;
        }
        kvm_irqchip_add_irq_route(s, i, KVM_IRQCHIP_IOAPIC, i ? i : 2);
    }
}

bool kvm_arch_irqchip_create(KVMState *s, Error **errp)
{
    int r;

    switch (s->irqchip_mode) {
    case KVM_IRQCHIP_SPLIT: {
        /* the IOAPIC's 24 pins are GSIs 0-23: MSI routes (ioapic_route) */
        struct kvm_enable_cap cap = {
            .cap = KVM_CAP_SPLIT_IRQCHIP, .args = { X86_GSI_NUM },
        };

        if (!kvm_check_extension(s, KVM_CAP_SPLIT_IRQCHIP)) {
            error_setg(errp, "kernel-irqchip=split: the host kernel lacks "
                       "KVM_CAP_SPLIT_IRQCHIP");
            error_append_hint(errp, "Use kernel-irqchip=on or off.\n");
            return false;
        }
        r = kvm_vm_ioctl(s, KVM_ENABLE_CAP, &cap);
        if (r < 0) {
            error_setg_errno(errp, -r, "kvm: KVM_ENABLE_CAP "
                             "KVM_CAP_SPLIT_IRQCHIP");
            return false;
        }
        s->irqchip_in_kernel = true;
        s->irqchip_split = true;
        return true;
    }
    case KVM_IRQCHIP_OFF:
        return true;                /* the board's models */
    case KVM_IRQCHIP_ON:
    case KVM_IRQCHIP_DEFAULT:
        break;
    }
    if (!kvm_check_extension(s, KVM_CAP_IRQCHIP)) {
        if (s->irqchip_mode == KVM_IRQCHIP_ON) {
            error_setg(errp, "kernel-irqchip=on: the host kernel lacks "
                       "KVM_CAP_IRQCHIP");
            return false;
        }
        warn_report("kvm: the host kernel lacks KVM_CAP_IRQCHIP; using "
                    "the board's interrupt controllers");
        return true;
    }
    r = kvm_vm_ioctl(s, KVM_CREATE_IRQCHIP, NULL);
    if (r < 0) {
        error_setg_errno(errp, -r, "kvm: KVM_CREATE_IRQCHIP");
        return false;
    }
    s->irqchip_in_kernel = true;
    kvm_x86_pc_routes(s);
    r = kvm_irqchip_commit_routes(s);
    if (r < 0) {
        error_setg_errno(errp, -r, "kvm: KVM_SET_GSI_ROUTING");
        return false;
    }
    if (kvm_check_extension(s, KVM_CAP_PIT2)) {
        struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };

        r = kvm_vm_ioctl(s, KVM_CREATE_PIT2, &pit);
        if (r < 0) {
            error_setg_errno(errp, -r, "kvm: KVM_CREATE_PIT2");
            return false;
        }
    } else {
        warn_report("kvm: the host kernel lacks KVM_CAP_PIT2: no i8254 "
                    "timer in the kernel");
    }
    return true;
}

/*
 * Device writes (DMA) to the local APIC window are MSIs.  The vCPUs' own
 * accesses there never leave the kernel (its LAPIC takes them); what
 * reaches this region is a PCI device signalling an interrupt.
 */
#define MSI_WINDOW_BASE 0xfee00000ull
#define MSI_WINDOW_SIZE 0x100000ull

static uint64_t kvm_msi_window_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void kvm_msi_window_write(void *opaque, hwaddr addr, uint64_t data,
                                 unsigned size)
{
    int r = kvm_irqchip_send_msi(MSI_WINDOW_BASE + addr, (uint32_t)data);

    if (r < 0) {
        warn_report("kvm: KVM_SIGNAL_MSI at 0x%" PRIx64 ": %s",
                    (uint64_t)(MSI_WINDOW_BASE + addr), strerror(-r));
    }
}

static const MemoryRegionOps kvm_msi_window_ops = {
    .read = kvm_msi_window_read,
    .write = kvm_msi_window_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static MemoryRegion kvm_msi_window;

void kvm_x86_map_msi_window(MemoryRegion *sysmem)
{
    memory_region_init_io(&kvm_msi_window, NULL, &kvm_msi_window_ops, NULL,
                          "kvm-msi", MSI_WINDOW_SIZE);
    /* above the pc's PCI space (priority -1), which covers everything */
    memory_region_add_subregion_overlap(sysmem, MSI_WINDOW_BASE,
                                        &kvm_msi_window, 1);
}

/* The board's GSI router outputs -> KVM_IRQ_LINE */
static void kvm_gsi_line(void *opaque, int n, int level)
{
    kvm_set_irq(n, level);
}

static bool kvm_x86_irqchip_creator(MachineState *ms, X86GSIRouter *gsi,
                                    Error **errp)
{
    /* the lines live as long as the machine: kept here, not leaked */
    static qemu_irq *lines;

    if (!kvm_x86_clock_state_create(errp)) {
        return false;
    }
    if (!kvm_irqchip_in_kernel()) {
        return true;
    }
    /* device writes to the LAPIC window are MSIs for the kernel */
    kvm_x86_map_msi_window(get_system_memory());
    if (kvm_irqchip_is_split()) {
        return true;                /* the board's PIC/IOAPIC take GSIs */
    }
    if (!kvm_x86_irqchip_state_create(errp)) {
        return false;
    }
    if (!lines) {
        lines = qemu_allocate_irqs(kvm_gsi_line, NULL, X86_GSI_NUM);
    }
    x86_gsi_attach_irqchip(gsi, lines, X86_GSI_NUM);
    return true;
}

/* split: what the board's IOAPIC pin sends, as GSI pin's MSI route */
static void kvm_x86_ioapic_route(int pin, uint64_t addr, uint32_t data,
                                 bool masked)
{
    int r = kvm_irqchip_set_gsi_msi(kvm_state_global, pin, !masked, addr,
                                    data);

    if (r < 0) {
        warn_report("kvm: KVM_SET_GSI_ROUTING for IOAPIC pin %d: %s", pin,
                    strerror(-r));
    }
}

/* What the board learns about the chips KVM runs (x86-gsi.h). */
static X86AccelIrqchip kvm_x86_accel_irqchip = {
    .create = kvm_x86_irqchip_creator,
    .pit_set_hpet_legacy = kvm_x86_pit_set_hpet_legacy,
};

static void kvm_x86_register_irqchip(KVMState *s)
{
    kvm_x86_accel_irqchip.lapic_in_kernel = s->irqchip_in_kernel;
    kvm_x86_accel_irqchip.pic_in_kernel = s->irqchip_in_kernel &&
                                          !s->irqchip_split;
    kvm_x86_accel_irqchip.ioapic_route = s->irqchip_split ?
                                         kvm_x86_ioapic_route : NULL;
    x86_accel_irqchip_register(&kvm_x86_accel_irqchip);
}

bool kvm_arch_init(MachineState *ms, KVMState *s, Error **errp)
{
    uint64_t ident = KVM_IDENTITY_MAP_ADDR;
    int r;

    if (!kvm_x86_get_supported_cpuid(s, &host_cpuid, errp) ||
        !get_msr_index_list(s, errp)) {
        return false;
    }
    if (kvm_check_extension(s, KVM_CAP_SET_IDENTITY_MAP_ADDR)) {
        r = kvm_vm_ioctl(s, KVM_SET_IDENTITY_MAP_ADDR, &ident);
        if (r < 0) {
            error_setg_errno(errp, -r, "kvm: KVM_SET_IDENTITY_MAP_ADDR");
            return false;
        }
    }
    r = kvm_vm_ioctl(s, KVM_SET_TSS_ADDR, (void *)(uintptr_t)KVM_TSS_ADDR);
    if (r < 0) {
        error_setg_errno(errp, -r, "kvm: KVM_SET_TSS_ADDR");
        return false;
    }
    kvm_x86_clock_init(s);
    /* -accel kvm,kernel-irqchip= wins over -M pc,kernel-irqchip= */
    if (s->irqchip_mode == KVM_IRQCHIP_DEFAULT) {
        s->irqchip_mode = machine_irqchip_mode(ms);
    }
    if (!kvm_arch_irqchip_create(s, errp)) {
        return false;
    }
    /*
     * The TSC deadline timer lives in the in-kernel LAPIC; KVM reports it
     * with a capability, not in KVM_GET_SUPPORTED_CPUID.
     */
    if (s->irqchip_in_kernel &&
        kvm_check_extension(s, KVM_CAP_TSC_DEADLINE_TIMER)) {
        for (int i = 0; i < host_cpuid.nent; i++) {
            if (host_cpuid.e[i].function == 1) {
                host_cpuid.e[i].ecx |= CPUID_1_ECX_TSC_DEADLINE;
            }
        }
    }
    kvm_x86_register_irqchip(s);
    return true;
}

/* ---- vCPU set-up: CPUID ---- */

/* the paravirt defaults are dropped silently where the host lacks them */
static uint32_t host_kvm_word(const X86CPUIDTable *supported)
{
    return x86_feature_word_get(supported, FEAT_KVM);
}

bool kvm_x86_cpuid_config(X86CPU *cpu, const X86CPUIDTable *supported,
                          bool irqchip_in_kernel, unsigned smp_cpus,
                          X86CPUIDConfig *cfg, char ***dropped)
{
    const X86CPUModel *m = X86_CPU_GET_CLASS(cpu)->model;

    if (m->all_supported) {
        x86_cpuid_config_from_host(cfg, supported, &cpu->req);
    } else {
        x86_cpuid_config_from_model(cfg, m, &cpu->req);
        /* paravirt clock and friends every KVM guest may use */
        cfg->features[FEAT_KVM] |= 1u << 0 | 1u << 1 | 1u << 3 | 1u << 24;
        cfg->features[FEAT_KVM] &= host_kvm_word(supported);
        cfg->features[FEAT_KVM] &= ~cpu->req.minus[FEAT_KVM];
    }
    *dropped = x86_cpuid_filter(cfg, supported, &cpu->req, m->all_supported);
    if (!irqchip_in_kernel) {
        /* x2APIC and the TSC deadline timer live in the in-kernel LAPIC */
        cfg->features[FEAT_1_ECX] &= ~(CPUID_1_ECX_X2APIC |
                                       CPUID_1_ECX_TSC_DEADLINE);
    }
    cfg->features[FEAT_1_ECX] |= CPUID_1_ECX_HYPERVISOR;
    x86_cpu_topology(smp_cpus, &cfg->threads, &cfg->cores);
    cfg->apic_id = cpu->apic_id;
    cfg->kvm = true;
    return true;
}

static int set_cpuid2(CPUState *cs, const X86CPUIDTable *t)
{
    struct kvm_cpuid2 *c = g_malloc0(sizeof(*c) +
                                     t->nent * sizeof(struct kvm_cpuid_entry2));
    int r;

    c->nent = t->nent;
    for (int i = 0; i < t->nent; i++) {
        c->entries[i].function = t->e[i].function;
        c->entries[i].index = t->e[i].index;
        c->entries[i].flags = t->e[i].flags & X86_CPUID_FLAG_INDEXED ?
                              KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0;
        c->entries[i].eax = t->e[i].eax;
        c->entries[i].ebx = t->e[i].ebx;
        c->entries[i].ecx = t->e[i].ecx;
        c->entries[i].edx = t->e[i].edx;
    }
    r = kvm_vcpu_ioctl(cs, KVM_SET_CPUID2, c);
    g_free(c);
    return r;
}

bool kvm_x86_nested_exposed(const CPUX86State *env)
{
    return (env->cpuid_cfg.features[FEAT_1_ECX] & CPUID_1_ECX_VMX) ||
           (env->cpuid_cfg.features[FEAT_8000_0001_ECX] &
            CPUID_8000_0001_ECX_SVM);
}

bool kvm_arch_init_vcpu(CPUState *cs, Error **errp)
{
    X86CPU *cpu = X86_CPU(cs);
    CPUX86State *env = &cpu->env;
    KVMState *s = kvm_state_global;
    unsigned smp = current_machine ? current_machine->smp_cpus : 1;
    char **dropped = NULL;
    int r;

    kvm_x86_cpuid_config(cpu, &host_cpuid, s->irqchip_in_kernel, smp,
                         &env->cpuid_cfg, &dropped);
    if (!warned_features) {
        for (int i = 0; dropped[i]; i++) {
            warn_report("host doesn't support requested feature: %s",
                        dropped[i]);
        }
        warned_features = true;
    }
    g_strfreev(dropped);
    x86_cpuid_build(&env->cpuid_cfg, &env->cpuid);
    cpu->cpuid_ready = true;
    r = set_cpuid2(cs, &env->cpuid);
    if (r < 0) {
        error_setg_errno(errp, -r, "kvm: KVM_SET_CPUID2 for vCPU %d",
                         cs->cpu_index);
        return false;
    }
    /* the signature in EDX at reset comes from the final CPUID */
    env->regs[R_EDX] = x86_cpuid_find(&env->cpuid, 1, 0)->eax;
    return true;
}

void kvm_arch_destroy_vcpu(CPUState *cs)
{
}

/* ---- running ---- */

/*
 * Interrupts from the board's controllers (kernel-irqchip=off: every
 * vector through the board's APIC; split: the 8259's ExtINT for CPU 0).
 * CPU_INTERRUPT_HARD says one is waiting; KVM_INTERRUPT hands its vector
 * to the vCPU once the guest can take it, and until then KVM exits as
 * soon as it can (request_interrupt_window).
 */
static void inject_userspace_irq(CPUState *cs, struct kvm_run *run)
{
    X86CPU *cpu = X86_CPU(cs);
    uint32_t req = g_atomic_int_get(&cs->interrupt_request);

    if ((req & CPU_INTERRUPT_HARD) && run->ready_for_interrupt_injection &&
        run->if_flag) {
        int vector;

        bql_lock();
        cpu_reset_interrupt(cs, CPU_INTERRUPT_HARD);
        vector = kvm_irqchip_in_kernel() ? x86_pic_read_irq()
                                         : apic_intack(cpu->apic);
        bql_unlock();
        if (vector >= 0) {
            struct kvm_interrupt intr = { .irq = vector };
            int r = kvm_vcpu_ioctl(cs, KVM_INTERRUPT, &intr);

            if (r < 0) {
                warn_report("kvm: vCPU %d: KVM_INTERRUPT %d: %s",
                            cs->cpu_index, vector, strerror(-r));
            }
        }
    }
    run->request_interrupt_window =
        !!(g_atomic_int_get(&cs->interrupt_request) & CPU_INTERRUPT_HARD);
}

void kvm_arch_pre_run(CPUState *cs, struct kvm_run *run)
{
    X86CPU *cpu = X86_CPU(cs);
    uint32_t req = g_atomic_int_get(&cs->interrupt_request);

    kvm_x86_update_guest_debug(cs);

    if (kvm_irqchip_in_kernel()) {
        if (kvm_irqchip_is_split()) {
            inject_userspace_irq(cs, run);
        }
        return;
    }
    if (req & APIC_INTERRUPT_NMI) {
        cpu_reset_interrupt(cs, APIC_INTERRUPT_NMI);
        kvm_vcpu_ioctl(cs, KVM_NMI, NULL);
    }
    inject_userspace_irq(cs, run);
    /* the kernel takes CR8 from here at entry; only this vCPU's thread
     * changes its APIC's TPR, so the read needs no lock */
    if (cpu->apic) {
        run->cr8 = apic_get_tpr(cpu->apic);
    }
}

void kvm_arch_post_run(CPUState *cs, struct kvm_run *run)
{
    X86CPU *cpu = X86_CPU(cs);
    CPUX86State *env = &cpu->env;

    if (run->if_flag) {
        env->rflags |= RFLAGS_IF;
    } else {
        env->rflags &= ~RFLAGS_IF;
    }
    if (cs->vcpu_dirty) {
        return;
    }
    env->apic_base = run->apic_base;
    if (!kvm_irqchip_in_kernel() && cpu->apic &&
        ((run->cr8 & 0xf) != apic_get_tpr(cpu->apic) ||
         run->apic_base != apic_get_base(cpu->apic))) {
        /* MOV to CR8 or WRMSR IA32_APIC_BASE, done by KVM itself */
        bql_lock();
        apic_set_tpr(cpu->apic, run->cr8 & 0xf);
        if (run->apic_base != apic_get_base(cpu->apic) &&
            !apic_set_base(cpu->apic, run->apic_base)) {
            /* KVM checked the value; the APIC model disagrees */
            warn_report("kvm: vCPU %d: the APIC refuses IA32_APIC_BASE "
                        "0x%" PRIx64, cs->cpu_index,
                        (uint64_t)run->apic_base);
        }
        bql_unlock();
    }
}

/* Fetch the registers from KVM before changing them here. */
static void sync_for_change(CPUState *cs)
{
    if (!cs->vcpu_dirty) {
        int r = kvm_arch_get_registers(cs);

        if (r < 0) {
            error_report("kvm: vCPU %d: reading registers: %s",
                         cs->cpu_index, strerror(-r));
        }
        cs->vcpu_dirty = true;
    }
}

/*
 * kernel-irqchip=off: INIT, SIPI and HLT are the board APIC's and ours
 * (BQL held, on the vCPU thread).  An AP waits for INIT/SIPI halted; the
 * kernel only ever sees it runnable (KVM_SET_MP_STATE needs its LAPIC).
 */
bool kvm_arch_process_async_events(CPUState *cs)
{
    X86CPU *cpu = X86_CPU(cs);
    CPUX86State *env = &cpu->env;
    uint32_t req;

    if (kvm_irqchip_in_kernel()) {
        return false;       /* the kernel halts and wakes the vCPU */
    }
    req = g_atomic_int_get(&cs->interrupt_request);
    if (req & APIC_INTERRUPT_INIT) {
        sync_for_change(cs);
        cpu_reset_interrupt(cs, APIC_INTERRUPT_INIT);
        x86_cpu_init_received(cpu);
    }
    if (req & APIC_INTERRUPT_SIPI) {
        sync_for_change(cs);
        cpu_reset_interrupt(cs, APIC_INTERRUPT_SIPI);
        x86_cpu_sipi_received(cpu);
    }
    if (env->mp_state == X86_MP_WAIT_FOR_INIT ||
        env->mp_state == X86_MP_WAIT_FOR_SIPI) {
        g_atomic_int_set(&cs->halted, 1);
        return true;
    }
    if (g_atomic_int_get(&cs->halted)) {
        if (!cpu_has_work(cs)) {
            return true;
        }
        g_atomic_int_set(&cs->halted, 0);
    }
    return false;
}

int kvm_arch_handle_exit(CPUState *cs, struct kvm_run *run)
{
    switch (run->exit_reason) {
    case KVM_EXIT_IOAPIC_EOI:
        /* split: a level-triggered IOAPIC vector's EOI (its route) */
        bql_lock();
        apic_eoi_broadcast(run->eoi.vector);
        bql_unlock();
        return 0;
    case KVM_EXIT_SET_TPR:
    case KVM_EXIT_TPR_ACCESS:
        return 0;
    default:
        error_report("kvm: vCPU %d: unhandled exit reason %u", cs->cpu_index,
                     run->exit_reason);
        return -1;
    }
}
