/*
 * x86-64 CPU object: the abstract "x86_64-cpu" type and its models
 * (qemu64, Skylake-Client, EPYC, max, host), -cpu option parsing, reset
 * (the power-on state; a board applies its direct-boot state afterwards
 * with x86_cpu_apply_boot_state) and the register dump.  The gdb
 * register view is in gdbstub.c.
 */
#include "turtle/osdep.h"
#include "target/i386/x86-tcg.h"
#include "hw/core/boards.h"
#include "hw/i386/x86-boot.h"   /* X86BootState only */
#include "accel/accel.h"
#include "sysemu/cpus.h"
#include "migration/vmstate.h"

#ifdef CONFIG_CAPSTONE
#include <capstone/capstone.h>
#endif

/* ---- options and CPUID ---- */

bool x86_cpu_parse_options(X86CPU *cpu, const char *opts, Error **errp)
{
    return x86_parse_features(opts, &cpu->req, errp);
}

void x86_cpu_build_cpuid_plain(X86CPU *cpu)
{
    CPUX86State *env = &cpu->env;
    const X86CPUModel *m = X86_CPU_GET_CLASS(cpu)->model;
    unsigned smp = current_machine ? current_machine->smp_cpus : 1;

    X86CPUModel tcg_max;

    if (m->all_supported) {
        /* not KVM: everything the TCG front end implements */
        tcg_max = *m;
        memcpy(tcg_max.features, x86_tcg_max_features,
               sizeof(tcg_max.features));
        m = &tcg_max;
    }
    x86_cpuid_config_from_model(&env->cpuid_cfg, m, &cpu->req);
    if (strcmp(current_accel_name(), "kvm") != 0) {
        /* TCG: a model (or +feature) offers only what the front end runs */
        x86_cpuid_filter_tcg(&env->cpuid_cfg, x86_tcg_max_features);
    }
    x86_cpu_topology(smp, &env->cpuid_cfg.threads, &env->cpuid_cfg.cores);
    env->cpuid_cfg.apic_id = cpu->apic_id;
    x86_cpuid_build(&env->cpuid_cfg, &env->cpuid);
    cpu->cpuid_ready = true;
}

static uint32_t cpuid_1_eax(X86CPU *cpu)
{
    const X86CPUIDEntry *e = x86_cpuid_find(&cpu->env.cpuid, 1, 0);

    return e ? e->eax : 0x600;
}

/* ---- reset ---- */

static void seg_set(SegmentCache *s, uint32_t sel, uint64_t base,
                    uint32_t limit, uint32_t flags)
{
    s->selector = sel;
    s->base = base;
    s->limit = limit;
    s->flags = flags;
}

/* ---- RFLAGS ---- */

uint64_t x86_rflags_get(const CPUX86State *env)
{
    uint64_t cc = x86_cc_compute_all(env->cc_dst, env->cc_src, env->cc_src2,
                                     (int32_t)env->cc_op);

    return (env->rflags & ~(uint64_t)CC_MASK) | (cc & CC_MASK) | 0x2;
}

void x86_rflags_set(CPUX86State *env, uint64_t rflags)
{
    env->rflags = rflags | 0x2;
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = rflags & CC_MASK;
    env->cc_dst = env->cc_src2 = 0;
}

/* ---- reset (SDM Vol. 3A 9.1.1, Table 9-1) ---- */

void x86_cpu_reset_state(CPUX86State *env, uint32_t sig, bool bsp)
{
    uint32_t data = DESC_P_MASK | DESC_S_MASK | (3u << DESC_TYPE_SHIFT);

    memset(env->regs, 0, sizeof(env->regs));
    env->regs[R_EDX] = sig;
    env->rip = 0xfff0;
    x86_rflags_set(env, 0x2);
    for (int i = 0; i < R_NB_SEGS; i++) {
        seg_set(&env->segs[i], 0, 0, 0xffff, data);
    }
    seg_set(&env->segs[R_CS], 0xf000, 0xffff0000, 0xffff,
            DESC_P_MASK | DESC_S_MASK | (0xbu << DESC_TYPE_SHIFT));
    seg_set(&env->ldt, 0, 0, 0xffff, DESC_P_MASK | (2u << DESC_TYPE_SHIFT));
    seg_set(&env->tr, 0, 0, 0xffff, DESC_P_MASK | (0xbu << DESC_TYPE_SHIFT));
    seg_set(&env->gdt, 0, 0, 0xffff, 0);
    seg_set(&env->idt, 0, 0, 0xffff, 0);
    memset(env->cr, 0, sizeof(env->cr));
    env->cr[0] = CR0_CD_MASK | CR0_NW_MASK | CR0_ET_MASK;
    memset(env->pdptr, 0, sizeof(env->pdptr));
    env->efer = 0;
    memset(env->dr, 0, sizeof(env->dr));
    env->dr[6] = 0xffff0ff0;
    env->dr[7] = 0x400;
    env->xcr0 = XSTATE_FP;
    env->pkru = 0;

    /* x87 as FNINIT leaves it (as KVM and QEMU reset it) */
    env->fpuc = 0x37f;
    env->fpus = 0;
    env->fpstt = 0;
    memset(env->fptags, 1, sizeof(env->fptags));
    env->fpop = 0;
    env->fpip = env->fpdp = 0;
    env->fpcs = env->fpds = 0;
    memset(env->fpregs, 0, sizeof(env->fpregs));
    memset(env->xmm_regs, 0, sizeof(env->xmm_regs));
    env->mxcsr = 0x1f80;
    memset(env->opmask_regs, 0, sizeof(env->opmask_regs));
    memset(env->bnd_regs, 0, sizeof(env->bnd_regs));
    env->bndcfgu = env->bndstatus = 0;

    env->tsc = 0;
    env->tsc_adjust = 0;
    env->tsc_aux = 0;
    env->sysenter_cs = env->sysenter_esp = env->sysenter_eip = 0;
    env->star = env->lstar = env->cstar = env->fmask = 0;
    env->kernelgsbase = 0;
    env->pat = PAT_POWER_ON_VALUE;
    env->apic_base = APIC_DEFAULT_ADDRESS | MSR_IA32_APICBASE_ENABLE |
                     (bsp ? MSR_IA32_APICBASE_BSP : 0);
    env->misc_enable = MSR_IA32_MISC_ENABLE_DEFAULT;
    env->feature_control = 0;
    env->spec_ctrl = 0;
    env->mtrr_deftype = 0;
    memset(env->mtrr_fixed, 0, sizeof(env->mtrr_fixed));
    memset(env->mtrr_var_base, 0, sizeof(env->mtrr_var_base));
    memset(env->mtrr_var_mask, 0, sizeof(env->mtrr_var_mask));
    env->vm_hsave = 0;

    env->exception_nr = -1;
    env->exception_pending = env->exception_injected = false;
    env->has_error_code = false;
    env->error_code = 0;
    env->interrupt_injected = -1;
    env->soft_interrupt = false;
    env->interrupt_shadow = 0;
    env->nmi_injected = env->nmi_pending = env->nmi_masked = false;
    env->smm = env->smm_inside_nmi = env->smm_latched_init = false;
    env->sipi_vector = 0;
    env->mp_state = bsp ? X86_MP_RUNNABLE : X86_MP_WAIT_FOR_INIT;
    env->nested_state_len = 0;
}

/* The board's direct-boot entry state (hw/i386/x86-boot.h). */
void x86_cpu_apply_boot_state(X86CPU *cpu, const X86BootState *bs)
{
    static const int segmap[X86_SEG_NUM] = {
        [X86_SEG_ES] = R_ES, [X86_SEG_CS] = R_CS, [X86_SEG_SS] = R_SS,
        [X86_SEG_DS] = R_DS, [X86_SEG_FS] = R_FS, [X86_SEG_GS] = R_GS,
    };
    CPUX86State *env = &cpu->env;

    env->cr[0] = bs->cr0;
    env->cr[3] = bs->cr3;
    env->cr[4] = bs->cr4;
    env->efer = bs->efer;
    env->gdt.base = bs->gdt_base;
    env->gdt.limit = bs->gdt_limit;
    env->idt.base = 0;
    env->idt.limit = 0;
    for (int i = 0; i < X86_SEG_NUM; i++) {
        seg_set(&env->segs[segmap[i]], bs->seg[i].selector, bs->seg[i].base,
                bs->seg[i].limit, bs->seg[i].flags);
    }
    seg_set(&env->tr, 0, 0, 0xffff, DESC_P_MASK | (0xbu << DESC_TYPE_SHIFT));
    seg_set(&env->ldt, 0, 0, 0, 0);           /* unusable (P clear) */
    memset(env->regs, 0, sizeof(env->regs));
    env->rip = bs->rip;
    env->regs[R_ESP] = bs->rsp;
    x86_rflags_set(env, bs->rflags);
    env->regs[R_EAX] = bs->rax;
    env->regs[R_EBX] = bs->rbx;
    env->regs[R_ESI] = bs->rsi;
    env->mp_state = X86_MP_RUNNABLE;
    x86_cpu_tcg_reset(cpu);
    CPU(cpu)->halted = 0;
}

static bool x86_cpu_is_tcg(void)
{
    return !strcmp(current_accel_name(), "tcg");
}

static void x86_cpu_reset(DeviceState *dev)
{
    X86CPU *cpu = X86_CPU(dev);
    CPUState *cs = CPU(dev);
    bool bsp = cs->cpu_index == 0;

    x86_cpu_reset_state(&cpu->env, cpuid_1_eax(cpu), bsp);
    /* APs wait for INIT/SIPI (env.mp_state; KVM: in the kernel) */
    if (x86_cpu_is_tcg()) {
        x86_cpu_set_tsc(&cpu->env, 0);
        x86_cpu_tcg_reset(cpu);
        cs->halted = !bsp;
    }
}

/* ---- CPUClass hooks ---- */

static void x86_cpu_set_pc(CPUState *cs, vaddr pc)
{
    X86_CPU(cs)->env.rip = pc;
}

static vaddr x86_cpu_get_pc(CPUState *cs)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    return env->segs[R_CS].base + env->rip;
}

static bool x86_cpu_has_work(CPUState *cs)
{
    uint32_t req = g_atomic_int_get(&cs->interrupt_request);
    CPUX86State *env = &X86_CPU(cs)->env;

    if (env->mp_state == X86_MP_WAIT_FOR_INIT ||
        env->mp_state == X86_MP_WAIT_FOR_SIPI) {
        /* only INIT and SIPI wake a CPU waiting for start-up */
        return req & (CPU_INTERRUPT_TGT_EXT_3 | CPU_INTERRUPT_TGT_EXT_4);
    }
    return ((req & CPU_INTERRUPT_HARD) && (env->rflags & RFLAGS_IF)) ||
           (req & (CPU_INTERRUPT_TGT_EXT_1 | CPU_INTERRUPT_TGT_EXT_2 |
                   CPU_INTERRUPT_TGT_EXT_3 | CPU_INTERRUPT_TGT_EXT_4));
}

static ObjectClass *x86_cpu_class_by_name(const char *model)
{
    g_autofree char *name = g_strconcat(model, X86_CPU_TYPE_SUFFIX, NULL);
    ObjectClass *oc = object_class_by_name(name);

    if (!oc || object_class_is_abstract(oc) ||
        !object_class_dynamic_cast(oc, TYPE_X86_CPU)) {
        return NULL;
    }
    return oc;
}

/* ---- snapshots and migration ---- */

static const VMStateDescription vmstate_segment = {
    .name = "x86-segment",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(selector, SegmentCache),
        VMSTATE_UINT64(base, SegmentCache),
        VMSTATE_UINT32(limit, SegmentCache),
        VMSTATE_UINT32(flags, SegmentCache),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_floatx80 = {
    .name = "x86-floatx80",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(low, floatx80),
        VMSTATE_UINT16(high, floatx80),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_zmm = {
    .name = "x86-zmm",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64_ARRAY(q, X86ZMMReg, 8),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_bnd = {
    .name = "x86-bnd",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(lb, X86BNDReg),
        VMSTATE_UINT64(ub, X86BNDReg),
        VMSTATE_END_OF_LIST()
    },
};

static bool nested_needed(void *opaque)
{
    return X86_CPU(opaque)->env.nested_state_len != 0;
}

static const VMStateDescription vmstate_x86_nested = {
    .name = "x86-cpu/nested-state",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = nested_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(env.nested_state_len, X86CPU),
        VMSTATE_UINT8_VARRAY(env.nested_state, X86CPU, X86_NESTED_STATE_MAX,
                             env.nested_state_len),
        VMSTATE_END_OF_LIST()
    },
};

static int x86_cpu_pre_save(void *opaque)
{
    CPUX86State *env = &X86_CPU(opaque)->env;

    cpu_synchronize_state(CPU(opaque));
    /* RFLAGS is saved whole: fold TCG's lazy flags in */
    x86_rflags_set(env, x86_rflags_get(env));
    if (x86_cpu_is_tcg()) {
        env->tsc = x86_cpu_get_tsc(env);
    }
    return 0;
}

static int x86_cpu_post_load(void *opaque, int version_id)
{
    CPUX86State *env = &X86_CPU(opaque)->env;

    if (env->nested_state_len > X86_NESTED_STATE_MAX ||
        env->mp_state > X86_MP_SIPI_RECEIVED) {
        return -EINVAL;
    }
    x86_rflags_set(env, env->rflags);
    env->fpstt &= 7;
    env->fpop &= 0x7ff;
    if (x86_cpu_is_tcg()) {
        x86_cpu_set_tsc(env, env->tsc);
        x86_cpu_tcg_reset(X86_CPU(opaque));
        tlb_flush(CPU(opaque));
    }
    /* the loaded state is newer than the accelerator's copy */
    CPU(opaque)->vcpu_dirty = true;
    return 0;
}

#define ENV_U64(f) VMSTATE_UINT64(env.f, X86CPU)
const VMStateDescription vmstate_x86_cpu = {
    .name = "x86-cpu",
    .version_id = 3,            /* 3: the local APIC is its device's */
    .minimum_version_id = 3,
    .pre_save = x86_cpu_pre_save,
    .post_load = x86_cpu_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64_ARRAY(env.regs, X86CPU, CPU_NB_REGS),
        ENV_U64(rip), ENV_U64(rflags),
        VMSTATE_STRUCT_ARRAY(env.segs, X86CPU, R_NB_SEGS, vmstate_segment,
                             SegmentCache),
        VMSTATE_STRUCT(env.ldt, X86CPU, vmstate_segment, SegmentCache),
        VMSTATE_STRUCT(env.tr, X86CPU, vmstate_segment, SegmentCache),
        VMSTATE_STRUCT(env.gdt, X86CPU, vmstate_segment, SegmentCache),
        VMSTATE_STRUCT(env.idt, X86CPU, vmstate_segment, SegmentCache),
        VMSTATE_UINT64_ARRAY(env.cr, X86CPU, 5),
        VMSTATE_UINT64_ARRAY(env.pdptr, X86CPU, 4),
        ENV_U64(efer),
        VMSTATE_UINT64_ARRAY(env.dr, X86CPU, 8),
        ENV_U64(xcr0),
        VMSTATE_UINT32(env.pkru, X86CPU),
        /* x87 */
        VMSTATE_STRUCT_ARRAY(env.fpregs, X86CPU, 8, vmstate_floatx80,
                             floatx80),
        VMSTATE_UINT8_ARRAY(env.fptags, X86CPU, 8),
        VMSTATE_UINT32(env.fpstt, X86CPU),
        VMSTATE_UINT16(env.fpus, X86CPU),
        VMSTATE_UINT16(env.fpuc, X86CPU),
        VMSTATE_UINT16(env.fpop, X86CPU),
        VMSTATE_UINT16(env.fpcs, X86CPU),
        VMSTATE_UINT16(env.fpds, X86CPU),
        ENV_U64(fpip), ENV_U64(fpdp),
        /* SSE/AVX/AVX-512/MPX */
        VMSTATE_STRUCT_ARRAY(env.xmm_regs, X86CPU, 32, vmstate_zmm,
                             X86ZMMReg),
        VMSTATE_UINT32(env.mxcsr, X86CPU),
        VMSTATE_UINT64_ARRAY(env.opmask_regs, X86CPU, 8),
        VMSTATE_STRUCT_ARRAY(env.bnd_regs, X86CPU, 4, vmstate_bnd,
                             X86BNDReg),
        ENV_U64(bndcfgu), ENV_U64(bndstatus),
        /* MSRs */
        ENV_U64(tsc), ENV_U64(tsc_adjust), ENV_U64(tsc_aux),
        ENV_U64(sysenter_cs), ENV_U64(sysenter_esp), ENV_U64(sysenter_eip),
        ENV_U64(star), ENV_U64(lstar), ENV_U64(cstar), ENV_U64(fmask),
        ENV_U64(kernelgsbase), ENV_U64(pat), ENV_U64(apic_base),
        ENV_U64(misc_enable), ENV_U64(feature_control), ENV_U64(spec_ctrl),
        ENV_U64(mtrr_deftype),
        VMSTATE_UINT64_ARRAY(env.mtrr_fixed, X86CPU, MTRR_FIXED_COUNT),
        VMSTATE_UINT64_ARRAY(env.mtrr_var_base, X86CPU, MTRR_VAR_COUNT),
        VMSTATE_UINT64_ARRAY(env.mtrr_var_mask, X86CPU, MTRR_VAR_COUNT),
        ENV_U64(vm_hsave),
        /* events */
        VMSTATE_INT32(env.exception_nr, X86CPU),
        VMSTATE_BOOL(env.exception_pending, X86CPU),
        VMSTATE_BOOL(env.exception_injected, X86CPU),
        VMSTATE_BOOL(env.has_error_code, X86CPU),
        VMSTATE_UINT32(env.error_code, X86CPU),
        VMSTATE_INT32(env.interrupt_injected, X86CPU),
        VMSTATE_BOOL(env.soft_interrupt, X86CPU),
        VMSTATE_UINT8(env.interrupt_shadow, X86CPU),
        VMSTATE_BOOL(env.nmi_injected, X86CPU),
        VMSTATE_BOOL(env.nmi_pending, X86CPU),
        VMSTATE_BOOL(env.nmi_masked, X86CPU),
        VMSTATE_BOOL(env.smm, X86CPU),
        VMSTATE_BOOL(env.smm_inside_nmi, X86CPU),
        VMSTATE_BOOL(env.smm_latched_init, X86CPU),
        VMSTATE_UINT8(env.sipi_vector, X86CPU),
        VMSTATE_UINT32(env.mp_state, X86CPU),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const[]) {
        &vmstate_x86_nested,
        NULL
    },
};
#undef ENV_U64

/* ---- object life cycle ---- */

static void x86_cpu_instance_init(Object *obj)
{
    X86CPU *cpu = X86_CPU(obj);
    CPUState *cs = CPU(obj);

    cs->env_ptr = &cpu->env;
    cs->neg_ptr = &cpu->neg;
    cpu->env.exception_nr = -1;
    cpu->env.interrupt_injected = -1;
}

static DeviceRealize parent_realize;

static bool x86_cpu_realize(DeviceState *dev, Error **errp)
{
    X86CPU *cpu = X86_CPU(dev);
    CPUState *cs = CPU(dev);
    const X86CPUModel *m = X86_CPU_GET_CLASS(cpu)->model;
    const char *opts = current_machine ? current_machine->cpu_options : NULL;

    if (m->kvm_only && strcmp(current_accel_name(), "kvm") != 0) {
        error_setg(errp, "CPU model '%s' requires KVM (-accel kvm)",
                   m->name);
        return false;
    }
    if (!x86_cpu_parse_options(cpu, opts, errp)) {
        return false;
    }
    if (!parent_realize(dev, errp)) {
        return false;
    }
    cpu->apic_id = cs->cpu_index;
    cs->mp_affinity = cpu->apic_id;
    if (!m->all_supported || strcmp(current_accel_name(), "kvm") != 0) {
        x86_cpu_build_cpuid_plain(cpu);
    }
    x86_cpu_reset(dev);
    return true;
}

static void x86_cpu_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    CPUClass *cc = CPU_CLASS(oc);

    parent_realize = dc->realize;
    dc->realize = x86_cpu_realize;
    dc->reset = x86_cpu_reset;
    dc->desc = "x86-64 CPU";
    dc->vmsd = &vmstate_x86_cpu;
    cc->class_by_name = x86_cpu_class_by_name;
    cc->has_work = x86_cpu_has_work;
    cc->dump_state = x86_cpu_dump_state;
    cc->set_pc = x86_cpu_set_pc;
    cc->get_pc = x86_cpu_get_pc;
    cc->monitor_get_register = x86_monitor_get_register;
    cc->get_phys_page_debug = x86_cpu_get_phys_page_debug;     /* mmu.c */
    cc->gdb_arch = &x86_gdb_arch;
#ifdef CONFIG_CAPSTONE
    cc->disas_cs_arch = CS_ARCH_X86;
    cc->disas_cs_mode = CS_MODE_64;
#endif
    cc->tcg_ops = &x86_tcg_ops;
}

static void x86_model_class_init(ObjectClass *oc, void *data)
{
    const X86CPUModel *m = data;

    X86_CPU_CLASS(oc)->model = m;
    DEVICE_CLASS(oc)->desc = m->desc;
}

static void x86_cpu_register_types(void)
{
    static const TypeInfo base = {
        .name = TYPE_X86_CPU,
        .parent = TYPE_CPU,
        .instance_size = sizeof(X86CPU),
        .instance_init = x86_cpu_instance_init,
        .abstract = true,
        .class_size = sizeof(X86CPUClass),
        .class_init = x86_cpu_class_init,
    };

    type_register(&base);
    for (int i = 0; i < x86_cpu_models_count; i++) {
        TypeInfo ti = {
            .name = g_strconcat(x86_cpu_models[i].name, X86_CPU_TYPE_SUFFIX,
                                NULL),
            .parent = TYPE_X86_CPU,
            .class_init = x86_model_class_init,
            .class_data = (void *)&x86_cpu_models[i],
        };
        type_register(&ti);
    }
}

type_init(x86_cpu_register_types)
