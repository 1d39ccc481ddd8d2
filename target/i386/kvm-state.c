/*
 * x86 vCPU register state to and from KVM (see accel/kvm/kvm-cpus.c for
 * when): KVM_GET/SET_REGS, SREGS, XSAVE (or FPU), XCRS, MSRS (only those
 * KVM_GET_MSR_INDEX_LIST names), VCPU_EVENTS, DEBUGREGS, and with the
 * in-kernel irqchip MP_STATE and LAPIC, and NESTED_STATE when the guest
 * has VMX/SVM and the host KVM_CAP_NESTED_STATE.
 *
 * env holds the architectural state only (target/i386/cpu.h); this file
 * converts it to and from the kernel's structures: the XSAVE standard
 * format and the FXSAVE image through xsave.c, KVM_MP_STATE_* from
 * X86MPState, CR8 from the local APIC's TPR.
 *
 * Levels: KVM_PUT_RUNTIME_STATE writes what the guest changes as it runs;
 * KVM_PUT_RESET_STATE adds the TSC, MISC_ENABLE and friends, the LAPIC page,
 * the MP state and a clean nested state; KVM_PUT_FULL_STATE is all of it.
 */
#include "turtle/osdep.h"
#include "target/i386/kvm-x86.h"
#include "hw/intc/apic.h"

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
    r->rflags = x86_rflags_get(env);
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
    x86_rflags_set(env, r->rflags);
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
    env->efer = s->efer;
    env->apic_base = s->apic_base;
}

/*
 * The local APIC is the board's APIC device (cpu->apic; none with -cpu
 * ...,-apic).  With the in-kernel irqchip (on, split) the device mirrors
 * the kernel's: KVM_GET_LAPIC goes into it with apic_set_page, and at
 * reset and after a load its page goes back with KVM_SET_LAPIC; with
 * kernel-irqchip=off it is the APIC.  CR8 is its TPR[7:4] (SDM Vol. 3A
 * 10.8.6.1).
 */
static uint8_t lapic_tpr_get(const X86CPU *cpu)
{
    return cpu->apic ? apic_get_tpr(cpu->apic) : 0;
}

/* The device's page as KVM_SET_LAPIC wants it.  In x2APIC mode KVM (we
 * do not enable KVM_X2APIC_API_USE_32BIT_IDS) keeps the ID register in
 * the xAPIC place, bits 31:24. */
static void lapic_page_to_kvm(X86CPU *cpu, struct kvm_lapic_state *la)
{
    apic_set_base(cpu->apic, cpu->env.apic_base);
    apic_get_page(cpu->apic, (uint8_t *)la->regs);
    if (cpu->env.apic_base & APIC_BASE_EXTD) {
        uint32_t id = cpu->apic_id << 24;

        memcpy(la->regs + 0x20, &id, 4);
    }
}

/* The XSAVE components env holds and the guest's CPUID allows. */
static uint64_t guest_xsave_components(const CPUX86State *env)
{
    return XSTATE_FP | XSTATE_SSE |
           x86_cpuid_xcr0_mask(env->cpuid_cfg.features);
}

/* kvm_fpu is the FXSAVE image rearranged (64-bit format) */
static void fpu_to_kvm(const CPUX86State *env, struct kvm_fpu *f)
{
    uint8_t b[XSAVE_LEGACY_SIZE];

    x86_fxsave_put(env, b, true);
    memset(f, 0, sizeof(*f));
    for (int i = 0; i < 8; i++) {
        memcpy(f->fpr[i], b + 32 + 16 * i, 16);
    }
    f->fcw = ld16_le_p(b + 0);
    f->fsw = ld16_le_p(b + 2);
    f->ftwx = b[4];
    f->last_opcode = ld16_le_p(b + 6);
    f->last_ip = ld64_le_p(b + 8);
    f->last_dp = ld64_le_p(b + 16);
    memcpy(f->xmm, b + 160, sizeof(f->xmm));
    f->mxcsr = ld32_le_p(b + 24);
}

static void fpu_from_kvm(CPUX86State *env, const struct kvm_fpu *f)
{
    uint8_t b[XSAVE_LEGACY_SIZE] = { 0 };

    for (int i = 0; i < 8; i++) {
        memcpy(b + 32 + 16 * i, f->fpr[i], 16);
    }
    st16_le_p(b + 0, f->fcw);
    st16_le_p(b + 2, f->fsw);
    b[4] = f->ftwx;
    st16_le_p(b + 6, f->last_opcode);
    st64_le_p(b + 8, f->last_ip);
    st64_le_p(b + 16, f->last_dp);
    memcpy(b + 160, f->xmm, sizeof(f->xmm));
    st32_le_p(b + 24, f->mxcsr);
    x86_fxsave_get(env, b, true);
}

void kvm_x86_xsave_to_kvm(const CPUX86State *env, struct kvm_xsave *x)
{
    memset(x, 0, sizeof(*x));
    x86_xsave_put(env, (uint8_t *)x->region, guest_xsave_components(env),
                  true);
}

void kvm_x86_xsave_from_kvm(CPUX86State *env, const struct kvm_xsave *x)
{
    x86_xsave_get(env, (const uint8_t *)x->region,
                  guest_xsave_components(env), true);
}

static int put_fpu(CPUState *cs, CPUX86State *env)
{
    KVMState *s = kvm_state_global;
    int r;

    if (s->xsave) {
        struct kvm_xsave *x = g_malloc(sizeof(*x));

        kvm_x86_xsave_to_kvm(env, x);
        r = kvm_vcpu_ioctl(cs, KVM_SET_XSAVE, x);
        g_free(x);
    } else {
        struct kvm_fpu f;

        fpu_to_kvm(env, &f);
        r = kvm_vcpu_ioctl(cs, KVM_SET_FPU, &f);
    }
    return r;
}

static int get_fpu(CPUState *cs, CPUX86State *env)
{
    KVMState *s = kvm_state_global;
    int r;

    if (s->xsave) {
        struct kvm_xsave *x = g_malloc0(sizeof(*x));

        r = kvm_vcpu_ioctl(cs, KVM_GET_XSAVE, x);
        if (r >= 0) {
            kvm_x86_xsave_from_kvm(env, x);
        }
        g_free(x);
    } else {
        struct kvm_fpu f;

        r = kvm_vcpu_ioctl(cs, KVM_GET_FPU, &f);
        if (r >= 0) {
            fpu_from_kvm(env, &f);
        }
    }
    return r;
}

/* X86MPState <-> KVM_MP_STATE_* */
static uint32_t mp_state_to_kvm(uint32_t st)
{
    switch (st) {
    case X86_MP_HALTED:
        return KVM_MP_STATE_HALTED;
    case X86_MP_WAIT_FOR_INIT:
        return KVM_MP_STATE_UNINITIALIZED;
    case X86_MP_WAIT_FOR_SIPI:
        return KVM_MP_STATE_INIT_RECEIVED;
    case X86_MP_SIPI_RECEIVED:
        return KVM_MP_STATE_SIPI_RECEIVED;
    default:
        return KVM_MP_STATE_RUNNABLE;
    }
}

static uint32_t mp_state_from_kvm(uint32_t st)
{
    switch (st) {
    case KVM_MP_STATE_HALTED:
        return X86_MP_HALTED;
    case KVM_MP_STATE_UNINITIALIZED:
        return X86_MP_WAIT_FOR_INIT;
    case KVM_MP_STATE_INIT_RECEIVED:
        return X86_MP_WAIT_FOR_SIPI;
    case KVM_MP_STATE_SIPI_RECEIVED:
        return X86_MP_SIPI_RECEIVED;
    default:
        return X86_MP_RUNNABLE;
    }
}

static bool guest_has_xsave(const CPUX86State *env)
{
    return env->cpuid_cfg.features[FEAT_1_ECX] & CPUID_1_ECX_XSAVE;
}

/*
 * The MSRs we keep: those the host lists (KVM_GET_MSR_INDEX_LIST) and the
 * guest's CPUID allows.  Should the kernel still refuse one (KVM_SET/GET_MSRS
 * stop at the first MSR they cannot handle), it is reported once and left
 * out from then on, rather than failing the whole vCPU.
 */
typedef struct MSRSlot {
    uint32_t index;
    size_t offset;              /* in CPUX86State */
    int min_level;              /* KVM_PUT_* needed to write it */
    FeatureWord w;              /* needs one of these CPUID bits... */
    uint32_t bits;              /* ...(0: always) */
} MSRSlot;

#define MSR_SLOT(i, f, l, w, b) { i, offsetof(CPUX86State, f), l, w, b }
#define RT KVM_PUT_RUNTIME_STATE
#define RS KVM_PUT_RESET_STATE
static const MSRSlot msr_slots[] = {
    MSR_SLOT(MSR_IA32_SYSENTER_CS, sysenter_cs, RT, 0, 0),
    MSR_SLOT(MSR_IA32_SYSENTER_ESP, sysenter_esp, RT, 0, 0),
    MSR_SLOT(MSR_IA32_SYSENTER_EIP, sysenter_eip, RT, 0, 0),
    MSR_SLOT(MSR_PAT, pat, RT, 0, 0),
    MSR_SLOT(MSR_STAR, star, RT, FEAT_8000_0001_EDX,
             CPUID_8000_0001_EDX_LM | (1u << 11)),
    MSR_SLOT(MSR_LSTAR, lstar, RT, FEAT_8000_0001_EDX,
             CPUID_8000_0001_EDX_LM),
    MSR_SLOT(MSR_CSTAR, cstar, RT, FEAT_8000_0001_EDX,
             CPUID_8000_0001_EDX_LM),
    MSR_SLOT(MSR_FMASK, fmask, RT, FEAT_8000_0001_EDX,
             CPUID_8000_0001_EDX_LM),
    MSR_SLOT(MSR_KERNELGSBASE, kernelgsbase, RT, FEAT_8000_0001_EDX,
             CPUID_8000_0001_EDX_LM),
    /* rdtscp, or rdpid */
    MSR_SLOT(MSR_TSC_AUX, tsc_aux, RT, FEAT_8000_0001_EDX, 1u << 27),
    MSR_SLOT(MSR_IA32_MISC_ENABLE, misc_enable, RS, 0, 0),
    MSR_SLOT(MSR_IA32_TSC_ADJUST, tsc_adjust, RS, FEAT_7_0_EBX, 1u << 1),
    MSR_SLOT(MSR_IA32_TSC, tsc, RS, 0, 0),
    MSR_SLOT(MSR_VM_HSAVE_PA, vm_hsave, RS, FEAT_8000_0001_ECX,
             CPUID_8000_0001_ECX_SVM),
    MSR_SLOT(MSR_IA32_FEATURE_CONTROL, feature_control, RS, FEAT_1_ECX,
             CPUID_1_ECX_VMX),
};
#undef RT
#undef RS

static uint32_t msrs_refused[G_N_ELEMENTS(msr_slots)];
static unsigned nr_msrs_refused;

static bool msr_wanted(const CPUX86State *env, const MSRSlot *ms)
{
    const uint32_t *f = env->cpuid_cfg.features;

    if (!kvm_x86_host_has_msr(ms->index)) {
        return false;
    }
    for (unsigned i = 0; i < nr_msrs_refused; i++) {
        if (msrs_refused[i] == ms->index) {
            return false;
        }
    }
    if (ms->index == MSR_TSC_AUX && (f[FEAT_7_0_ECX] & (1u << 22))) {
        return true;                            /* rdpid */
    }
    return !ms->bits || (f[ms->w] & ms->bits);
}

static void msr_refuse(uint32_t index, const char *op)
{
    warn_report("kvm: %s refused MSR 0x%x; it is no longer synchronized",
                op, index);
    if (nr_msrs_refused < G_N_ELEMENTS(msrs_refused)) {
        msrs_refused[nr_msrs_refused++] = index;
    }
}

static struct kvm_msrs *msrs_alloc(void)
{
    return g_malloc0(sizeof(struct kvm_msrs) +
                     G_N_ELEMENTS(msr_slots) * sizeof(struct kvm_msr_entry));
}

/*
 * KVM_SET_MSRS / KVM_GET_MSRS on m.  The kernel handles entries in order
 * and returns how many it did; on a short count the next entry is the one
 * it refused: report it, mark it (index 0) and go on after it.
 */
static int msrs_ioctl(CPUState *cs, unsigned long req, struct kvm_msrs *m,
                      const char *op)
{
    uint32_t done = 0, total = m->nmsrs;
    struct kvm_msrs *part = msrs_alloc();

    while (done < total) {
        int r;

        part->nmsrs = total - done;
        memcpy(part->entries, m->entries + done,
               part->nmsrs * sizeof(struct kvm_msr_entry));
        r = kvm_vcpu_ioctl(cs, req, part);
        if (r < 0) {
            g_free(part);
            return r;
        }
        memcpy(m->entries + done, part->entries,
               r * sizeof(struct kvm_msr_entry));
        done += r;
        if (done < total) {
            msr_refuse(m->entries[done].index, op);
            m->entries[done].index = 0;         /* not read or written */
            done++;
        }
    }
    g_free(part);
    return 0;
}

static int put_msrs(CPUState *cs, CPUX86State *env, int level)
{
    struct kvm_msrs *m = msrs_alloc();
    int r;

    for (size_t i = 0; i < G_N_ELEMENTS(msr_slots); i++) {
        const MSRSlot *ms = &msr_slots[i];
        if (level >= ms->min_level && msr_wanted(env, ms)) {
            struct kvm_msr_entry *e = &m->entries[m->nmsrs++];
            e->index = ms->index;
            memcpy(&e->data, (uint8_t *)env + ms->offset, 8);
        }
    }
    r = m->nmsrs ? msrs_ioctl(cs, KVM_SET_MSRS, m, "KVM_SET_MSRS") : 0;
    g_free(m);
    return r;
}

static int get_msrs(CPUState *cs, CPUX86State *env)
{
    struct kvm_msrs *m = msrs_alloc();
    int r;

    for (size_t i = 0; i < G_N_ELEMENTS(msr_slots); i++) {
        if (msr_wanted(env, &msr_slots[i])) {
            m->entries[m->nmsrs++].index = msr_slots[i].index;
        }
    }
    r = m->nmsrs ? msrs_ioctl(cs, KVM_GET_MSRS, m, "KVM_GET_MSRS") : 0;
    for (uint32_t i = 0; r >= 0 && i < m->nmsrs; i++) {
        for (size_t j = 0; j < G_N_ELEMENTS(msr_slots); j++) {
            if (m->entries[i].index &&
                msr_slots[j].index == m->entries[i].index) {
                memcpy((uint8_t *)env + msr_slots[j].offset,
                       &m->entries[i].data, 8);
            }
        }
    }
    g_free(m);
    return r;
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

    if (!s->nested_state_size || !kvm_x86_nested_exposed(env)) {
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

    if (s->nested_state_size <= 0 || !kvm_x86_nested_exposed(env)) {
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
    X86CPU *cpu = X86_CPU(cs);
    CPUX86State *env = &cpu->env;
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
    sregs.cr8 = lapic_tpr_get(cpu);
    TRY(kvm_vcpu_ioctl(cs, KVM_SET_SREGS, &sregs));
    TRY(put_msrs(cs, env, level));
    if (s->vcpu_events) {
        kvm_x86_events_to_kvm(env, &ev, level);
        TRY(kvm_vcpu_ioctl(cs, KVM_SET_VCPU_EVENTS, &ev));
    }
    if (level >= KVM_PUT_RESET_STATE && s->irqchip_in_kernel) {
        struct kvm_mp_state mp = {
            .mp_state = mp_state_to_kvm(env->mp_state),
        };
        struct kvm_lapic_state la;

        if (cpu->apic) {
            lapic_page_to_kvm(cpu, &la);
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
    X86CPU *cpu = X86_CPU(cs);
    CPUX86State *env = &cpu->env;
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
    if (!s->irqchip_in_kernel && cpu->apic &&
        (sregs.cr8 & 0xf) != apic_get_tpr(cpu->apic)) {
        apic_set_tpr(cpu->apic, sregs.cr8 & 0xf);     /* BQL held */
    }
    TRY(get_msrs(cs, env));
    if (s->vcpu_events) {
        TRY(kvm_vcpu_ioctl(cs, KVM_GET_VCPU_EVENTS, &ev));
        kvm_x86_events_from_kvm(env, &ev);
    }
    if (s->irqchip_in_kernel) {
        struct kvm_mp_state mp;
        struct kvm_lapic_state la;
        TRY(kvm_vcpu_ioctl(cs, KVM_GET_MP_STATE, &mp));
        env->mp_state = mp_state_from_kvm(mp.mp_state);
        if (cpu->apic) {
            TRY(kvm_vcpu_ioctl(cs, KVM_GET_LAPIC, &la));
            apic_set_base(cpu->apic, env->apic_base);
            apic_set_page(cpu->apic, (const uint8_t *)la.regs);
        }
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

