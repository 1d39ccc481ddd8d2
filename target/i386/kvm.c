/*
 * x86 glue of the KVM accelerator: VM set-up (TSS, identity map, CPUID
 * and MSR lists of the host, the in-kernel irqchip and PIT for the pc
 * board), per-vCPU CPUID, register state both ways, and interrupt
 * injection when the irqchip is in userspace.
 *
 * Register sync (SDM names; linux/kvm.h structures):
 *   KVM_GET/SET_REGS   GPRs, RIP, RFLAGS
 *   KVM_GET/SET_SREGS  segments, GDTR/IDTR, CR0/2/3/4/8, EFER, APIC base
 *   KVM_GET/SET_XSAVE  x87/SSE/AVX... image (KVM_GET/SET_FPU without XSAVE)
 *   KVM_GET/SET_XCRS   XCR0
 *   KVM_GET/SET_MSRS   SYSENTER_*, STAR/LSTAR/CSTAR/FMASK, KERNEL_GS_BASE,
 *                      PAT, TSC_AUX, MISC_ENABLE, TSC (reset/full only)...
 *                      - only those KVM_GET_MSR_INDEX_LIST names
 *   KVM_GET/SET_DEBUGREGS, KVM_GET/SET_VCPU_EVENTS (pending exception,
 *   interrupt, NMI, SMM), KVM_GET/SET_MP_STATE and KVM_GET/SET_LAPIC (with
 *   the in-kernel irqchip), KVM_GET/SET_NESTED_STATE (when the guest has
 *   VMX/SVM and the host KVM_CAP_NESTED_STATE).
 *
 * Guest-physical pages 0xfeffc000-0xfeffffff hold the identity page table
 * and the TSS KVM needs for real mode on Intel; the board must keep them
 * reserved in its e820 map.
 */
#include "turtle/osdep.h"
#include "accel/kvm/kvm-int.h"
#include "target/i386/cpu.h"
#include "hw/core/boards.h"
#include "hw/core/irq.h"
#include "hw/i386/pc.h"
#include "hw/i386/x86-gsi.h"
#include "target/i386/kvm-x86.h"
#include "sysemu/main-loop.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"

/* From the pc board; absent from builds (tests) without it. */
#pragma weak pc_machine_kernel_irqchip
#pragma weak x86_register_irqchip_creator
#pragma weak x86_gsi_attach_irqchip

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
X86PICVectorFn x86_pic_get_vector;

const X86CPUIDTable *kvm_x86_supported_cpuid(void)
{
    return &host_cpuid;
}

static bool host_has_msr(uint32_t index)
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
    if (!ms || !pc_machine_kernel_irqchip) {
        return KVM_IRQCHIP_DEFAULT;
    }
    switch (pc_machine_kernel_irqchip(ms)) {
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
    case KVM_IRQCHIP_SPLIT:
        if (!kvm_check_extension(s, KVM_CAP_SPLIT_IRQCHIP)) {
            error_setg(errp, "kernel-irqchip=split: the host kernel lacks "
                       "KVM_CAP_SPLIT_IRQCHIP");
        } else {
            error_setg(errp, "kernel-irqchip=split is not supported yet "
                       "(it needs the userspace IOAPIC model)");
        }
        error_append_hint(errp, "Use kernel-irqchip=on.\n");
        return false;
    case KVM_IRQCHIP_OFF:
        warn_report("kvm: kernel-irqchip=off: turtle has no userspace "
                    "interrupt controllers yet, device interrupts will not "
                    "reach the guest");
        return true;
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
        warn_report("kvm: the host kernel lacks KVM_CAP_IRQCHIP; running "
                    "without interrupt controllers");
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
    memory_region_add_subregion_overlap(sysmem, MSI_WINDOW_BASE,
                                        &kvm_msi_window, -1);
}

/* The board's GSI router outputs -> KVM_IRQ_LINE */
static void kvm_gsi_line(void *opaque, int n, int level)
{
    kvm_set_irq(n, level);
}

static bool kvm_x86_irqchip_creator(MachineState *ms, X86GSIRouter *gsi,
                                    Error **errp)
{
    qemu_irq *lines;

    if (!kvm_irqchip_in_kernel()) {
        return true;
    }
    if (!kvm_x86_irqchip_state_create(errp)) {
        return false;
    }
    kvm_x86_map_msi_window(get_system_memory());
    lines = qemu_allocate_irqs(kvm_gsi_line, NULL, X86_GSI_NUM);
    if (x86_gsi_attach_irqchip) {
        x86_gsi_attach_irqchip(gsi, lines, X86_GSI_NUM);
    }
    return true;
}

/*
 * The guest's kvmclock runs on the host clock.  While the VM is stopped
 * it must not advance: read it at stop (KVM_GET_CLOCK) and put it back at
 * the next start (KVM_SET_CLOCK), as the KVM API documents for
 * KVM_CAP_ADJUST_CLOCK.
 */
static struct {
    bool valid;
    uint64_t clock;
} kvmclock_saved;

void kvm_x86_clock_change(void *opaque, bool running, RunState state)
{
    KVMState *s = opaque;
    struct kvm_clock_data data;
    int r;

    if (!running) {
        memset(&data, 0, sizeof(data));
        r = kvm_vm_ioctl(s, KVM_GET_CLOCK, &data);
        if (r < 0) {
            warn_report("kvm: KVM_GET_CLOCK: %s", strerror(-r));
            return;
        }
        kvmclock_saved.clock = data.clock;
        kvmclock_saved.valid = true;
    } else if (kvmclock_saved.valid) {
        memset(&data, 0, sizeof(data));
        data.clock = kvmclock_saved.clock;
        r = kvm_vm_ioctl(s, KVM_SET_CLOCK, &data);
        if (r < 0) {
            warn_report("kvm: KVM_SET_CLOCK: %s", strerror(-r));
        }
        kvmclock_saved.valid = false;
    }
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
    if (kvm_check_extension(s, KVM_CAP_ADJUST_CLOCK)) {
        kvmclock_saved.valid = false;
        qemu_add_vm_change_state_handler(kvm_x86_clock_change, s);
    }
    s->irqchip_mode = machine_irqchip_mode(ms);
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
    if (x86_register_irqchip_creator) {
        x86_register_irqchip_creator(kvm_x86_irqchip_creator);
    } else if (ms) {
        warn_report("kvm: this build has no x86 GSI router: device "
                    "interrupts will not reach the in-kernel irqchip");
    }
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

static bool nested_exposed(const CPUX86State *env)
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

/* ---- register state ---- */

static void seg_to_kvm(struct kvm_segment *k, const SegmentCache *s)
{
    uint32_t f = s->flags;

    memset(k, 0, sizeof(*k));
    k->base = s->base;
    k->limit = s->limit;
    k->selector = s->selector;
    k->type = (f >> DESC_TYPE_SHIFT) & 15;
    k->present = !!(f & DESC_P_MASK);
    k->dpl = (f >> DESC_DPL_SHIFT) & 3;
    k->db = !!(f & DESC_B_MASK);
    k->s = !!(f & DESC_S_MASK);
    k->l = !!(f & DESC_L_MASK);
    k->g = !!(f & DESC_G_MASK);
    k->avl = !!(f & DESC_AVL_MASK);
    k->unusable = !k->present;
}

static void seg_from_kvm(SegmentCache *s, const struct kvm_segment *k)
{
    s->base = k->base;
    s->limit = k->limit;
    s->selector = k->selector;
    s->flags = (k->type << DESC_TYPE_SHIFT) |
               ((k->present && !k->unusable) ? DESC_P_MASK : 0) |
               (k->dpl << DESC_DPL_SHIFT) | (k->db ? DESC_B_MASK : 0) |
               (k->s ? DESC_S_MASK : 0) | (k->l ? DESC_L_MASK : 0) |
               (k->g ? DESC_G_MASK : 0) | (k->avl ? DESC_AVL_MASK : 0);
}

void kvm_x86_regs_to_kvm(const CPUX86State *env, struct kvm_regs *r)
{
    r->rax = env->regs[R_EAX];
    r->rbx = env->regs[R_EBX];
    r->rcx = env->regs[R_ECX];
    r->rdx = env->regs[R_EDX];
    r->rsi = env->regs[R_ESI];
    r->rdi = env->regs[R_EDI];
    r->rsp = env->regs[R_ESP];
    r->rbp = env->regs[R_EBP];
    r->r8 = env->regs[R_R8];
    r->r9 = env->regs[R_R9];
    r->r10 = env->regs[R_R10];
    r->r11 = env->regs[R_R11];
    r->r12 = env->regs[R_R12];
    r->r13 = env->regs[R_R13];
    r->r14 = env->regs[R_R14];
    r->r15 = env->regs[R_R15];
    r->rip = env->rip;
    r->rflags = env->rflags;
}

void kvm_x86_regs_from_kvm(CPUX86State *env, const struct kvm_regs *r)
{
    env->regs[R_EAX] = r->rax;
    env->regs[R_EBX] = r->rbx;
    env->regs[R_ECX] = r->rcx;
    env->regs[R_EDX] = r->rdx;
    env->regs[R_ESI] = r->rsi;
    env->regs[R_EDI] = r->rdi;
    env->regs[R_ESP] = r->rsp;
    env->regs[R_EBP] = r->rbp;
    env->regs[R_R8] = r->r8;
    env->regs[R_R9] = r->r9;
    env->regs[R_R10] = r->r10;
    env->regs[R_R11] = r->r11;
    env->regs[R_R12] = r->r12;
    env->regs[R_R13] = r->r13;
    env->regs[R_R14] = r->r14;
    env->regs[R_R15] = r->r15;
    env->rip = r->rip;
    env->rflags = r->rflags;
}

void kvm_x86_sregs_to_kvm(const CPUX86State *env, struct kvm_sregs *s)
{
    memset(s, 0, sizeof(*s));
    seg_to_kvm(&s->cs, &env->segs[R_CS]);
    seg_to_kvm(&s->ds, &env->segs[R_DS]);
    seg_to_kvm(&s->es, &env->segs[R_ES]);
    seg_to_kvm(&s->fs, &env->segs[R_FS]);
    seg_to_kvm(&s->gs, &env->segs[R_GS]);
    seg_to_kvm(&s->ss, &env->segs[R_SS]);
    seg_to_kvm(&s->tr, &env->tr);
    seg_to_kvm(&s->ldt, &env->ldt);
    s->gdt.base = env->gdt.base;
    s->gdt.limit = env->gdt.limit;
    s->idt.base = env->idt.base;
    s->idt.limit = env->idt.limit;
    s->cr0 = env->cr[0];
    s->cr2 = env->cr[2];
    s->cr3 = env->cr[3];
    s->cr4 = env->cr[4];
    s->cr8 = env->cr8;
    s->efer = env->efer;
    s->apic_base = env->apic_base;
}

void kvm_x86_sregs_from_kvm(CPUX86State *env, const struct kvm_sregs *s)
{
    seg_from_kvm(&env->segs[R_CS], &s->cs);
    seg_from_kvm(&env->segs[R_DS], &s->ds);
    seg_from_kvm(&env->segs[R_ES], &s->es);
    seg_from_kvm(&env->segs[R_FS], &s->fs);
    seg_from_kvm(&env->segs[R_GS], &s->gs);
    seg_from_kvm(&env->segs[R_SS], &s->ss);
    seg_from_kvm(&env->tr, &s->tr);
    seg_from_kvm(&env->ldt, &s->ldt);
    env->gdt.base = s->gdt.base;
    env->gdt.limit = s->gdt.limit;
    env->idt.base = s->idt.base;
    env->idt.limit = s->idt.limit;
    env->cr[0] = s->cr0;
    env->cr[2] = s->cr2;
    env->cr[3] = s->cr3;
    env->cr[4] = s->cr4;
    env->cr8 = s->cr8;
    env->efer = s->efer;
    env->apic_base = s->apic_base;
}

/* FXSAVE legacy region <-> env (SDM Vol. 1 10.5.1) */
void kvm_x86_xsave_decode(CPUX86State *env)
{
    const uint8_t *b = env->xsave_buf;

    memcpy(&env->fpuc, b + 0, 2);
    memcpy(&env->fpus, b + 2, 2);
    env->fptag_abridged = b[4];
    memcpy(&env->fpop, b + 6, 2);
    memcpy(&env->fpip, b + 8, 8);
    memcpy(&env->fpdp, b + 16, 8);
    memcpy(&env->mxcsr, b + 24, 4);
    for (int i = 0; i < 8; i++) {
        memcpy(env->fpregs[i], b + 32 + 16 * i, 16);
    }
    for (int i = 0; i < 16; i++) {
        memcpy(env->xmm[i].b, b + 160 + 16 * i, 16);
    }
}

void kvm_x86_xsave_encode(CPUX86State *env)
{
    uint8_t *b = env->xsave_buf;
    uint64_t bv;

    memcpy(b + 0, &env->fpuc, 2);
    memcpy(b + 2, &env->fpus, 2);
    b[4] = env->fptag_abridged;
    memcpy(b + 6, &env->fpop, 2);
    memcpy(b + 8, &env->fpip, 8);
    memcpy(b + 16, &env->fpdp, 8);
    memcpy(b + 24, &env->mxcsr, 4);
    for (int i = 0; i < 8; i++) {
        memcpy(b + 32 + 16 * i, env->fpregs[i], 16);
    }
    for (int i = 0; i < 16; i++) {
        memcpy(b + 160 + 16 * i, env->xmm[i].b, 16);
    }
    memcpy(&bv, b + 512, 8);               /* XSTATE_BV */
    bv |= XSTATE_FP | XSTATE_SSE;
    memcpy(b + 512, &bv, 8);
}

static int put_fpu(CPUState *cs, CPUX86State *env)
{
    KVMState *s = kvm_state_global;

    if (s->xsave) {
        struct kvm_xsave *x = g_malloc0(sizeof(*x));
        int r;

        kvm_x86_xsave_encode(env);
        memcpy(x->region, env->xsave_buf, sizeof(x->region));
        r = kvm_vcpu_ioctl(cs, KVM_SET_XSAVE, x);
        g_free(x);
        return r;
    } else {
        struct kvm_fpu f = {
            .fcw = env->fpuc, .fsw = env->fpus, .ftwx = env->fptag_abridged,
            .last_opcode = env->fpop, .last_ip = env->fpip,
            .last_dp = env->fpdp, .mxcsr = env->mxcsr,
        };
        for (int i = 0; i < 8; i++) {
            memcpy(f.fpr[i], env->fpregs[i], 16);
        }
        for (int i = 0; i < 16; i++) {
            memcpy(f.xmm[i], env->xmm[i].b, 16);
        }
        return kvm_vcpu_ioctl(cs, KVM_SET_FPU, &f);
    }
}

static int get_fpu(CPUState *cs, CPUX86State *env)
{
    KVMState *s = kvm_state_global;
    int r;

    if (s->xsave) {
        struct kvm_xsave *x = g_malloc0(sizeof(*x));

        r = kvm_vcpu_ioctl(cs, KVM_GET_XSAVE, x);
        if (r >= 0) {
            memcpy(env->xsave_buf, x->region, sizeof(x->region));
            env->xsave_valid = true;
            kvm_x86_xsave_decode(env);
        }
        g_free(x);
    } else {
        struct kvm_fpu f;

        r = kvm_vcpu_ioctl(cs, KVM_GET_FPU, &f);
        if (r >= 0) {
            env->fpuc = f.fcw;
            env->fpus = f.fsw;
            env->fptag_abridged = f.ftwx;
            env->fpop = f.last_opcode;
            env->fpip = f.last_ip;
            env->fpdp = f.last_dp;
            env->mxcsr = f.mxcsr;
            for (int i = 0; i < 8; i++) {
                memcpy(env->fpregs[i], f.fpr[i], 16);
            }
            for (int i = 0; i < 16; i++) {
                memcpy(env->xmm[i].b, f.xmm[i], 16);
            }
        }
    }
    return r;
}

static bool guest_has_xsave(const CPUX86State *env)
{
    return env->cpuid_cfg.features[FEAT_1_ECX] & CPUID_1_ECX_XSAVE;
}

/* The MSRs we keep, as far as the host has them. */
typedef struct MSRSlot {
    uint32_t index;
    size_t offset;              /* in CPUX86State */
    int min_level;              /* KVM_PUT_* needed to write it */
} MSRSlot;

#define MSR_SLOT(i, f, l) { i, offsetof(CPUX86State, f), l }
static const MSRSlot msr_slots[] = {
    MSR_SLOT(MSR_IA32_SYSENTER_CS, sysenter_cs, KVM_PUT_RUNTIME_STATE),
    MSR_SLOT(MSR_IA32_SYSENTER_ESP, sysenter_esp, KVM_PUT_RUNTIME_STATE),
    MSR_SLOT(MSR_IA32_SYSENTER_EIP, sysenter_eip, KVM_PUT_RUNTIME_STATE),
    MSR_SLOT(MSR_PAT, pat, KVM_PUT_RUNTIME_STATE),
    MSR_SLOT(MSR_STAR, star, KVM_PUT_RUNTIME_STATE),
    MSR_SLOT(MSR_LSTAR, lstar, KVM_PUT_RUNTIME_STATE),
    MSR_SLOT(MSR_CSTAR, cstar, KVM_PUT_RUNTIME_STATE),
    MSR_SLOT(MSR_FMASK, fmask, KVM_PUT_RUNTIME_STATE),
    MSR_SLOT(MSR_KERNELGSBASE, kernelgsbase, KVM_PUT_RUNTIME_STATE),
    MSR_SLOT(MSR_TSC_AUX, tsc_aux, KVM_PUT_RUNTIME_STATE),
    MSR_SLOT(MSR_IA32_MISC_ENABLE, misc_enable, KVM_PUT_RESET_STATE),
    MSR_SLOT(MSR_IA32_TSC_ADJUST, tsc_adjust, KVM_PUT_RESET_STATE),
    MSR_SLOT(MSR_IA32_TSC, tsc, KVM_PUT_RESET_STATE),
    MSR_SLOT(MSR_VM_HSAVE_PA, vm_hsave, KVM_PUT_RESET_STATE),
    MSR_SLOT(MSR_IA32_FEATURE_CONTROL, feature_control, KVM_PUT_RESET_STATE),
};

static struct kvm_msrs *msrs_alloc(void)
{
    return g_malloc0(sizeof(struct kvm_msrs) +
                     G_N_ELEMENTS(msr_slots) * sizeof(struct kvm_msr_entry));
}

static int put_msrs(CPUState *cs, CPUX86State *env, int level)
{
    struct kvm_msrs *m = msrs_alloc();
    int r;

    for (size_t i = 0; i < G_N_ELEMENTS(msr_slots); i++) {
        const MSRSlot *ms = &msr_slots[i];
        if (level >= ms->min_level && host_has_msr(ms->index)) {
            struct kvm_msr_entry *e = &m->entries[m->nmsrs++];
            e->index = ms->index;
            memcpy(&e->data, (uint8_t *)env + ms->offset, 8);
        }
    }
    r = m->nmsrs ? kvm_vcpu_ioctl(cs, KVM_SET_MSRS, m) : 0;
    if (r >= 0 && (uint32_t)r != m->nmsrs) {
        error_report("kvm: KVM_SET_MSRS stopped at MSR 0x%x",
                     m->entries[r].index);
        r = -EINVAL;
    }
    g_free(m);
    return r < 0 ? r : 0;
}

static int get_msrs(CPUState *cs, CPUX86State *env)
{
    struct kvm_msrs *m = msrs_alloc();
    int r;

    for (size_t i = 0; i < G_N_ELEMENTS(msr_slots); i++) {
        if (host_has_msr(msr_slots[i].index)) {
            m->entries[m->nmsrs++].index = msr_slots[i].index;
        }
    }
    r = m->nmsrs ? kvm_vcpu_ioctl(cs, KVM_GET_MSRS, m) : 0;
    if (r >= 0 && (uint32_t)r != m->nmsrs) {
        error_report("kvm: KVM_GET_MSRS stopped at MSR 0x%x",
                     m->entries[r].index);
        r = -EINVAL;
    }
    for (uint32_t i = 0; r >= 0 && i < m->nmsrs; i++) {
        for (size_t j = 0; j < G_N_ELEMENTS(msr_slots); j++) {
            if (msr_slots[j].index == m->entries[i].index) {
                memcpy((uint8_t *)env + msr_slots[j].offset,
                       &m->entries[i].data, 8);
            }
        }
    }
    g_free(m);
    return r < 0 ? r : 0;
}

void kvm_x86_events_to_kvm(const CPUX86State *env, struct kvm_vcpu_events *e,
                           int level)
{
    memset(e, 0, sizeof(*e));
    e->exception.injected = env->exception_nr >= 0 &&
                            (env->exception_injected ||
                             env->exception_pending);
    e->exception.nr = env->exception_nr >= 0 ? env->exception_nr : 0;
    e->exception.has_error_code = env->has_error_code;
    e->exception.error_code = env->error_code;
    e->interrupt.injected = env->interrupt_injected >= 0;
    e->interrupt.nr = env->interrupt_injected >= 0 ?
                      env->interrupt_injected : 0;
    e->interrupt.soft = env->soft_interrupt;
    e->interrupt.shadow = env->interrupt_shadow;
    e->nmi.injected = env->nmi_injected;
    e->nmi.pending = env->nmi_pending;
    e->nmi.masked = env->nmi_masked;
    e->smi.smm = env->smm;
    e->smi.smm_inside_nmi = env->smm_inside_nmi;
    e->smi.latched_init = env->smm_latched_init;
    e->sipi_vector = env->sipi_vector;
    e->flags = KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SHADOW |
               KVM_VCPUEVENT_VALID_SMM;
    if (level >= KVM_PUT_RESET_STATE) {
        e->flags |= KVM_VCPUEVENT_VALID_SIPI_VECTOR;
    }
}

void kvm_x86_events_from_kvm(CPUX86State *env,
                             const struct kvm_vcpu_events *e)
{
    env->exception_nr = e->exception.injected || e->exception.pending ?
                        e->exception.nr : -1;
    env->exception_injected = e->exception.injected;
    env->exception_pending = e->exception.pending;
    env->has_error_code = e->exception.has_error_code;
    env->error_code = e->exception.error_code;
    env->interrupt_injected = e->interrupt.injected ? e->interrupt.nr : -1;
    env->soft_interrupt = e->interrupt.soft;
    env->interrupt_shadow = e->interrupt.shadow;
    env->nmi_injected = e->nmi.injected;
    env->nmi_pending = e->nmi.pending;
    env->nmi_masked = e->nmi.masked;
    if (e->flags & KVM_VCPUEVENT_VALID_SMM) {
        env->smm = e->smi.smm;
        env->smm_inside_nmi = e->smi.smm_inside_nmi;
        env->smm_latched_init = e->smi.latched_init;
    }
    env->sipi_vector = e->sipi_vector;
}

/* A nested state that leaves guest mode and VMXON/GIF as after reset. */
static int put_nested_reset(CPUState *cs, CPUX86State *env)
{
    struct kvm_nested_state n;

    memset(&n, 0, sizeof(n));
    n.size = sizeof(n);
    if (env->cpuid_cfg.features[FEAT_1_ECX] & CPUID_1_ECX_VMX) {
        n.format = KVM_STATE_NESTED_FORMAT_VMX;
        n.hdr.vmx.vmxon_pa = -1ull;
        n.hdr.vmx.vmcs12_pa = -1ull;
    } else {
        n.format = KVM_STATE_NESTED_FORMAT_SVM;
        n.flags = KVM_STATE_NESTED_GIF_SET;
    }
    return kvm_vcpu_ioctl(cs, KVM_SET_NESTED_STATE, &n);
}

static int put_nested(CPUState *cs, CPUX86State *env, int level)
{
    KVMState *s = kvm_state_global;

    if (!s->nested_state_size || !nested_exposed(env)) {
        return 0;
    }
    if (env->nested_state_len) {
        return kvm_vcpu_ioctl(cs, KVM_SET_NESTED_STATE, env->nested_state);
    }
    if (level >= KVM_PUT_RESET_STATE) {
        static bool warned;
        int r = put_nested_reset(cs, env);

        /* a fresh vCPU is out of guest mode anyway: not fatal */
        if (r < 0 && !warned) {
            warn_report("kvm: resetting the nested state: %s", strerror(-r));
            warned = true;
        }
    }
    return 0;
}

static int get_nested(CPUState *cs, CPUX86State *env)
{
    KVMState *s = kvm_state_global;
    struct kvm_nested_state *n = (struct kvm_nested_state *)env->nested_state;
    int r;

    if (s->nested_state_size <= 0 || !nested_exposed(env)) {
        return 0;
    }
    memset(n, 0, sizeof(*n));
    n->size = MIN(s->nested_state_size, X86_NESTED_STATE_MAX);
    r = kvm_vcpu_ioctl(cs, KVM_GET_NESTED_STATE, n);
    if (r < 0) {
        env->nested_state_len = 0;
        return r;
    }
    env->nested_state_len = MIN(n->size, (uint32_t)X86_NESTED_STATE_MAX);
    return 0;
}

#define TRY(x) do { int r_ = (x); if (r_ < 0) { return r_; } } while (0)

int kvm_arch_put_registers(CPUState *cs, int level)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    KVMState *s = kvm_state_global;
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    struct kvm_vcpu_events ev;

    /* nested first: leaving guest mode rewrites the other registers */
    TRY(put_nested(cs, env, level));
    kvm_x86_regs_to_kvm(env, &regs);
    TRY(kvm_vcpu_ioctl(cs, KVM_SET_REGS, &regs));
    if (s->xcrs && guest_has_xsave(env)) {
        struct kvm_xcrs x = { .nr_xcrs = 1 };
        x.xcrs[0].xcr = 0;
        x.xcrs[0].value = env->xcr0;
        TRY(kvm_vcpu_ioctl(cs, KVM_SET_XCRS, &x));
    }
    TRY(put_fpu(cs, env));
    kvm_x86_sregs_to_kvm(env, &sregs);
    TRY(kvm_vcpu_ioctl(cs, KVM_SET_SREGS, &sregs));
    TRY(put_msrs(cs, env, level));
    if (s->vcpu_events) {
        kvm_x86_events_to_kvm(env, &ev, level);
        TRY(kvm_vcpu_ioctl(cs, KVM_SET_VCPU_EVENTS, &ev));
    }
    if (level >= KVM_PUT_RESET_STATE && s->irqchip_in_kernel) {
        struct kvm_mp_state mp = { .mp_state = env->mp_state };
        if (env->lapic_valid) {
            struct kvm_lapic_state la;
            memcpy(la.regs, env->lapic_regs, sizeof(la.regs));
            TRY(kvm_vcpu_ioctl(cs, KVM_SET_LAPIC, &la));
        }
        TRY(kvm_vcpu_ioctl(cs, KVM_SET_MP_STATE, &mp));
    }
    if (s->debugregs) {
        struct kvm_debugregs d = { .dr6 = env->dr[6], .dr7 = env->dr[7] };
        memcpy(d.db, env->dr, sizeof(d.db));
        TRY(kvm_vcpu_ioctl(cs, KVM_SET_DEBUGREGS, &d));
    }
    return 0;
}

int kvm_arch_get_registers(CPUState *cs)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    KVMState *s = kvm_state_global;
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    struct kvm_vcpu_events ev;

    TRY(kvm_vcpu_ioctl(cs, KVM_GET_REGS, &regs));
    kvm_x86_regs_from_kvm(env, &regs);
    TRY(get_fpu(cs, env));
    if (s->xcrs && guest_has_xsave(env)) {
        struct kvm_xcrs x = { 0 };
        TRY(kvm_vcpu_ioctl(cs, KVM_GET_XCRS, &x));
        for (uint32_t i = 0; i < x.nr_xcrs && i < KVM_MAX_XCRS; i++) {
            if (x.xcrs[i].xcr == 0) {
                env->xcr0 = x.xcrs[i].value;
            }
        }
    }
    TRY(kvm_vcpu_ioctl(cs, KVM_GET_SREGS, &sregs));
    kvm_x86_sregs_from_kvm(env, &sregs);
    TRY(get_msrs(cs, env));
    if (s->vcpu_events) {
        TRY(kvm_vcpu_ioctl(cs, KVM_GET_VCPU_EVENTS, &ev));
        kvm_x86_events_from_kvm(env, &ev);
    }
    if (s->irqchip_in_kernel) {
        struct kvm_mp_state mp;
        struct kvm_lapic_state la;
        TRY(kvm_vcpu_ioctl(cs, KVM_GET_MP_STATE, &mp));
        env->mp_state = mp.mp_state;
        TRY(kvm_vcpu_ioctl(cs, KVM_GET_LAPIC, &la));
        memcpy(env->lapic_regs, la.regs, sizeof(la.regs));
        env->lapic_valid = true;
    }
    if (s->debugregs) {
        struct kvm_debugregs d;
        TRY(kvm_vcpu_ioctl(cs, KVM_GET_DEBUGREGS, &d));
        memcpy(env->dr, d.db, sizeof(d.db));
        env->dr[6] = d.dr6;
        env->dr[7] = d.dr7;
    }
    TRY(get_nested(cs, env));
    return 0;
}

/* ---- gdb: breakpoints, watchpoints, single step ---- */

/*
 * Software breakpoints (gdb Z0) are INT3 bytes written into guest memory
 * at the virtual address, with KVM_GUESTDBG_USE_SW_BP so the #BP exits to
 * us; hardware ones (Z1) and watchpoints (Z2-Z4) use DR0-DR3 through
 * KVM_GUESTDBG_USE_HW_BP.  The set is the same for every vCPU; each vCPU
 * applies it (KVM_SET_GUEST_DEBUG) before its next KVM_RUN when the
 * generation changed.  A #BP or #DB that is not ours goes back to the
 * guest with KVM_GUESTDBG_INJECT_BP/DB.
 */
typedef struct SWBreakpoint {
    vaddr addr;
    uint8_t saved;
} SWBreakpoint;

typedef struct HWBreakpoint {
    vaddr addr;
    int type;                   /* 1 exec, 2 write, 3 read, 4 access */
    vaddr len;
} HWBreakpoint;

static GArray *sw_bps;          /* of SWBreakpoint */
static HWBreakpoint hw_bps[4];
static int nb_hw_bps;
static unsigned debug_gen = 1;

static void debug_changed(void)
{
    CPUState *c;

    debug_gen++;
    CPU_FOREACH(c) {
        qemu_cpu_kick(c);
    }
}

static int hw_len_bits(vaddr len)
{
    switch (len) {
    case 1:
        return 0;
    case 2:
        return 1;
    case 8:
        return 2;
    case 4:
        return 3;
    default:
        return -1;
    }
}

int kvm_arch_insert_breakpoint(CPUState *cpu, int type, vaddr addr,
                               vaddr len)
{
    if (type == 0) {
        SWBreakpoint bp = { .addr = addr };
        static const uint8_t int3 = 0xcc;

        if (!sw_bps) {
            sw_bps = g_array_new(false, false, sizeof(SWBreakpoint));
        }
        for (guint i = 0; i < sw_bps->len; i++) {
            if (g_array_index(sw_bps, SWBreakpoint, i).addr == addr) {
                return 0;
            }
        }
        cpu_synchronize_state(cpu);
        if (cpu_memory_rw_debug(cpu, addr, &bp.saved, 1, false) < 0 ||
            cpu_memory_rw_debug(cpu, addr, (void *)&int3, 1, true) < 0) {
            return -EFAULT;
        }
        g_array_append_val(sw_bps, bp);
    } else if (type >= 1 && type <= 4) {
        if (nb_hw_bps == 4) {
            return -ENOSPC;
        }
        if (type != 1 && hw_len_bits(len) < 0) {
            return -EINVAL;
        }
        hw_bps[nb_hw_bps++] = (HWBreakpoint){ addr, type, type == 1 ? 1 : len };
    } else {
        return -ENOSYS;
    }
    debug_changed();
    return 0;
}

int kvm_arch_remove_breakpoint(CPUState *cpu, int type, vaddr addr,
                               vaddr len)
{
    if (type == 0) {
        for (guint i = 0; sw_bps && i < sw_bps->len; i++) {
            SWBreakpoint *bp = &g_array_index(sw_bps, SWBreakpoint, i);
            if (bp->addr == addr) {
                cpu_synchronize_state(cpu);
                cpu_memory_rw_debug(cpu, addr, &bp->saved, 1, true);
                g_array_remove_index(sw_bps, i);
                debug_changed();
                return 0;
            }
        }
        return -ENOENT;
    }
    for (int i = 0; i < nb_hw_bps; i++) {
        if (hw_bps[i].addr == addr && hw_bps[i].type == type) {
            hw_bps[i] = hw_bps[--nb_hw_bps];
            debug_changed();
            return 0;
        }
    }
    return -ENOENT;
}

void kvm_arch_remove_all_breakpoints(CPUState *cpu)
{
    while (sw_bps && sw_bps->len) {
        kvm_arch_remove_breakpoint(cpu, 0,
                                   g_array_index(sw_bps, SWBreakpoint, 0).addr,
                                   1);
    }
    nb_hw_bps = 0;
    debug_changed();
}

/* DR7 for the hardware breakpoints (SDM Vol. 3B 17.2.4) */
uint64_t kvm_x86_debug_dr7(void)
{
    uint64_t dr7 = nb_hw_bps ? (1u << 10) | (1u << 9) : 0;   /* GE */

    for (int i = 0; i < nb_hw_bps; i++) {
        int rw = hw_bps[i].type == 1 ? 0 : hw_bps[i].type == 2 ? 1 : 3;
        int ln = hw_bps[i].type == 1 ? 0 : hw_len_bits(hw_bps[i].len);

        dr7 |= 2ull << (2 * i);                        /* G0..G3 */
        dr7 |= (uint64_t)(rw | ln << 2) << (16 + 4 * i);
    }
    return dr7;
}

static void update_guest_debug(CPUState *cs)
{
    X86CPU *cpu = X86_CPU(cs);
    bool step = cs->singlestep_enabled;
    struct kvm_guest_debug dbg;

    if (cpu->kvm_debug_gen == debug_gen && cpu->kvm_debug_step == step &&
        !cpu->kvm_debug_inject) {
        return;
    }
    memset(&dbg, 0, sizeof(dbg));
    if (step || nb_hw_bps || (sw_bps && sw_bps->len)) {
        dbg.control = KVM_GUESTDBG_ENABLE;
    }
    if (step) {
        dbg.control |= KVM_GUESTDBG_SINGLESTEP;
    }
    if (sw_bps && sw_bps->len) {
        dbg.control |= KVM_GUESTDBG_USE_SW_BP;
    }
    if (nb_hw_bps) {
        dbg.control |= KVM_GUESTDBG_USE_HW_BP;
        for (int i = 0; i < nb_hw_bps; i++) {
            dbg.arch.debugreg[i] = hw_bps[i].addr;
        }
        dbg.arch.debugreg[7] = kvm_x86_debug_dr7();
    }
    /* the kernel queues the exception whether or not debugging stays on */
    dbg.control |= cpu->kvm_debug_inject;
    if (kvm_vcpu_ioctl(cs, KVM_SET_GUEST_DEBUG, &dbg) < 0) {
        warn_report("kvm: vCPU %d: KVM_SET_GUEST_DEBUG failed",
                    cs->cpu_index);
    }
    cpu->kvm_debug_gen = debug_gen;
    cpu->kvm_debug_step = step;
    cpu->kvm_debug_inject = 0;
}

int kvm_arch_handle_debug(CPUState *cs, struct kvm_run *run)
{
    X86CPU *cpu = X86_CPU(cs);
    struct kvm_debug_exit_arch *a = &run->debug.arch;

    if (a->exception == 1) {                        /* #DB */
        if (a->dr6 & (1u << 14)) {                  /* BS: single step */
            if (cs->singlestep_enabled) {
                return EXCP_DEBUG;
            }
        } else {
            for (int i = 0; i < nb_hw_bps; i++) {
                if (a->dr6 & (1u << i)) {
                    cs->watchpoint_hit = hw_bps[i].type != 1;
                    return EXCP_DEBUG;
                }
            }
        }
        cpu->kvm_debug_inject = KVM_GUESTDBG_INJECT_DB;
        return 0;
    }
    if (a->exception == 3) {                        /* #BP */
        for (guint i = 0; sw_bps && i < sw_bps->len; i++) {
            if (g_array_index(sw_bps, SWBreakpoint, i).addr == a->pc) {
                return EXCP_DEBUG;
            }
        }
        cpu->kvm_debug_inject = KVM_GUESTDBG_INJECT_BP;
        return 0;
    }
    return EXCP_DEBUG;
}

/* ---- running ---- */

void kvm_arch_pre_run(CPUState *cs, struct kvm_run *run)
{
    uint32_t req = g_atomic_int_get(&cs->interrupt_request);

    update_guest_debug(cs);

    if (kvm_irqchip_in_kernel()) {
        return;
    }
    if (req & CPU_INTERRUPT_TGT_EXT_1) {            /* NMI */
        cpu_reset_interrupt(cs, CPU_INTERRUPT_TGT_EXT_1);
        kvm_vcpu_ioctl(cs, KVM_NMI, NULL);
    }
    if ((req & CPU_INTERRUPT_HARD) && run->ready_for_interrupt_injection &&
        run->if_flag) {
        int vector = -1;

        cpu_reset_interrupt(cs, CPU_INTERRUPT_HARD);
        bql_lock();
        if (x86_pic_get_vector) {
            vector = x86_pic_get_vector();
        }
        bql_unlock();
        if (vector >= 0) {
            struct kvm_interrupt intr = { .irq = vector };
            kvm_vcpu_ioctl(cs, KVM_INTERRUPT, &intr);
        }
    }
    /* ask for an exit as soon as the guest can take the interrupt */
    run->request_interrupt_window =
        !!(g_atomic_int_get(&cs->interrupt_request) & CPU_INTERRUPT_HARD);
}

void kvm_arch_post_run(CPUState *cs, struct kvm_run *run)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    if (run->if_flag) {
        env->rflags |= RFLAGS_IF;
    } else {
        env->rflags &= ~RFLAGS_IF;
    }
    if (!cs->vcpu_dirty) {
        env->cr8 = run->cr8;
        env->apic_base = run->apic_base;
    }
}

bool kvm_arch_process_async_events(CPUState *cs)
{
    if (kvm_irqchip_in_kernel()) {
        return false;       /* the kernel halts and wakes the vCPU */
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
    case KVM_EXIT_SET_TPR:
    case KVM_EXIT_TPR_ACCESS:
        return 0;
    default:
        error_report("kvm: vCPU %d: unhandled exit reason %u", cs->cpu_index,
                     run->exit_reason);
        return -1;
    }
}
