/*
 * AArch64 CPU object: the abstract "arm-cpu" type and its models
 * (cortex-a57, cortex-a72, max), reset, the IRQ/FIQ inputs and the
 * register dump (the gdb register view is in gdbstub.c).
 *
 * GPIO inputs: 0 IRQ, 1 FIQ, 2 VIRQ, 3 VFIQ.
 * GPIO outputs "gt-timer": 0 phys, 1 virt, 2 hyp, 3 sec.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "target/arm/cpu.h"
#include "turtle/option.h"
#include "hw/core/boards.h"
#include "exec/translator.h"

#ifdef CONFIG_CAPSTONE
#include <capstone/capstone.h>
#endif


/* ---- PSTATE helpers ---- */

static int sp_index(CPUARMState *env)
{
    return env->spsel ? env->el : 0;
}

void arm_save_sp(CPUARMState *env)
{
    env->sp_el[sp_index(env)] = env->xregs[31];
}

void arm_load_sp(CPUARMState *env)
{
    env->xregs[31] = env->sp_el[sp_index(env)];
}

uint32_t pstate_read(CPUARMState *env)
{
    return pstate_read_nzcv(env) | env->daif | (env->el << 2) | env->spsel |
           (env->pan ? PSTATE_PAN : 0) | (env->uao ? PSTATE_UAO : 0) |
           (env->il ? PSTATE_IL : 0) | (env->ss ? PSTATE_SS : 0);
}

void pstate_write(CPUARMState *env, uint32_t val)
{
    arm_save_sp(env);
    pstate_write_nzcv(env, val);
    env->daif = val & PSTATE_DAIF;
    env->el = (val >> 2) & 3;
    env->spsel = val & PSTATE_SP;
    env->pan = !!(val & PSTATE_PAN);
    env->uao = !!(val & PSTATE_UAO);
    env->il = !!(val & PSTATE_IL);
    env->ss = !!(val & PSTATE_SS);
    arm_load_sp(env);
    arm_rebuild_hflags(env);
}

int arm_mmu_idx_el(CPUARMState *env, int el)
{
    int base = 3 * env->ttb_slot;

    switch (el) {
    case 0:
        return base + ARMMMUIdx_E10_0;
    case 1:
        return base + (env->pan ? ARMMMUIdx_E10_1_PAN : ARMMMUIdx_E10_1);
    case 2:
        return ARMMMUIdx_E2;
    default:
        return ARMMMUIdx_E3;
    }
}

int arm_mmu_idx(CPUARMState *env)
{
    return arm_mmu_idx_el(env, env->el);
}

/* ---- TB flags ---- */

bool arm_check_hflags;

uint32_t arm_compute_hflags(CPUARMState *env)
{
    int el = env->el;
    uint64_t sctlr = env->cp15.sctlr[arm_regime_el(env)];
    int unpriv = el == 1 ? arm_mmu_idx_el(env, 0) : arm_mmu_idx(env);
    int fpel = fp_exception_el(env);
    uint32_t f = 0;

    f |= el << TBFLAG_EL_SHIFT;
    f |= arm_mmu_idx(env) << TBFLAG_MMUIDX_SHIFT;
    f |= env->spsel ? TBFLAG_SPSEL : 0;
    f |= fpel ? 0 : TBFLAG_FPEN;
    f |= fpel << TBFLAG_FP_TRAP_EL_SHIFT;
    f |= (sctlr & SCTLR_A) ? TBFLAG_ALIGN : 0;
    f |= env->il ? TBFLAG_IL : 0;
    f |= unpriv << TBFLAG_UNPRIV_IDX_SHIFT;
    if (el == 0) {
        f |= (env->cp15.sctlr[1] & SCTLR_UMA) ? TBFLAG_UMA : 0;
    }
    if (el <= 1) {
        f |= ((env->cp15.tcr[1] >> 37) & 3) << TBFLAG_TBI_SHIFT;
    }
    return f;
}

/* ---- CPUClass hooks ---- */

static void arm_cpu_set_pc(CPUState *cs, vaddr pc)
{
    ARM_CPU(cs)->env.pc = pc;
}

static vaddr arm_cpu_get_pc(CPUState *cs)
{
    return ARM_CPU(cs)->env.pc;
}

static ObjectClass *arm_cpu_class_by_name(const char *model)
{
    g_autofree char *name = g_strconcat(model, ARM_CPU_TYPE_SUFFIX, NULL);
    ObjectClass *oc = object_class_by_name(name);

    if (!oc || object_class_is_abstract(oc) ||
        !object_class_dynamic_cast(oc, TYPE_ARM_CPU)) {
        return NULL;
    }
    return oc;
}

static void arm_cpu_dump_state(CPUState *cs, FILE *f, int flags)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    uint32_t psr = pstate_read(env);

    fprintf(f, " PC=%016" PRIx64 " ", env->pc);
    for (int i = 0; i < 31; i++) {
        fprintf(f, "X%02d=%016" PRIx64 "%s", i, env->xregs[i],
                (i + 2) % 3 == 0 ? "\n" : " ");
    }
    arm_save_sp(env);
    fprintf(f, " SP=%016" PRIx64 "\n", env->xregs[31]);
    /* the layout of QEMU's, which scripts reading "info registers" and
     * -d cpu logs expect */
    fprintf(f, "PSTATE=%08x %c%c%c%c EL%d%c", psr,
            psr & (1u << 31) ? 'N' : '-', psr & (1u << 30) ? 'Z' : '-',
            psr & (1u << 29) ? 'C' : '-', psr & (1u << 28) ? 'V' : '-',
            env->el, env->spsel ? 'h' : 't');
    if (!(flags & CPU_DUMP_FPU)) {
        fprintf(f, "\n");
        return;
    }
    if (fp_exception_el(env) != 0) {
        fprintf(f, "    FPU disabled\n");
        return;
    }
    fprintf(f, "     FPCR=%08x FPSR=%08x\n", env->fpcr, env->fpsr);
    for (int i = 0; i < 32; i++) {
        fprintf(f, "Q%02d=%016" PRIx64 ":%016" PRIx64 "%s", i,
                env->vregs[i].d[1], env->vregs[i].d[0], i % 2 ? "\n" : " ");
    }
}

/* The monitor's $NAME: general registers by their assembler names, PC,
 * PSTATE and the exception registers of each EL. */
static bool arm_monitor_get_register(CPUState *cs, const char *name,
                                     uint64_t *value)
{
    static const struct {
        const char *name;
        size_t off;
    } sysregs[] = {
#define R(n, field) { n, offsetof(CPUARMState, field) }
        R("sp_el0", sp_el[0]), R("sp_el1", sp_el[1]), R("sp_el2", sp_el[2]),
        R("elr_el1", elr_el[1]), R("elr_el2", elr_el[2]),
        R("spsr_el1", spsr_el[1]), R("spsr_el2", spsr_el[2]),
        R("esr_el1", esr_el[1]), R("esr_el2", esr_el[2]),
        R("far_el1", far_el[1]), R("far_el2", far_el[2]),
        R("sctlr_el1", cp15.sctlr[1]), R("sctlr_el2", cp15.sctlr[2]),
        R("tcr_el1", cp15.tcr[1]), R("tcr_el2", cp15.tcr[2]),
        R("ttbr0_el1", cp15.ttbr0[1]), R("ttbr1_el1", cp15.ttbr1[1]),
        R("ttbr0_el2", cp15.ttbr0[2]), R("mair_el1", cp15.mair[1]),
        R("vbar_el1", cp15.vbar[1]), R("vbar_el2", cp15.vbar[2]),
        R("tpidr_el0", cp15.tpidr[0]), R("tpidr_el1", cp15.tpidr[1]),
        R("hcr_el2", cp15.hcr_el2), R("cpacr_el1", cp15.cpacr_el1),
#undef R
    };
    CPUARMState *env = &ARM_CPU(cs)->env;
    char *end;
    unsigned long n;

    arm_save_sp(env);       /* sp_el[current EL] is the live SP */
    if ((name[0] == 'x' || name[0] == 'w') && g_ascii_isdigit(name[1])) {
        n = strtoul(name + 1, &end, 10);
        if (*end || n > 30) {
            return false;
        }
        *value = name[0] == 'w' ? (uint32_t)env->xregs[n] : env->xregs[n];
        return true;
    }
    if (!strcmp(name, "pc")) {
        *value = env->pc;
    } else if (!strcmp(name, "sp")) {
        *value = env->xregs[31];
    } else if (!strcmp(name, "lr")) {
        *value = env->xregs[30];
    } else if (!strcmp(name, "fp")) {
        *value = env->xregs[29];
    } else if (!strcmp(name, "pstate") || !strcmp(name, "cpsr")) {
        *value = pstate_read(env);
    } else if (!strcmp(name, "fpcr")) {
        *value = env->fpcr;
    } else if (!strcmp(name, "fpsr")) {
        *value = env->fpsr;
    } else if (!strcmp(name, "currentel")) {
        *value = env->el << 2;
    } else {
        for (size_t i = 0; i < G_N_ELEMENTS(sysregs); i++) {
            if (!strcmp(name, sysregs[i].name)) {
                *value = *(uint64_t *)((char *)env + sysregs[i].off);
                return true;
            }
        }
        return false;
    }
    return true;
}

/* ---- reset and boot state ---- */

void arm_cpu_set_boot_state(ARMCPU *cpu, uint64_t pc, uint64_t x0, int el)
{
    cpu->boot_pc = pc;
    cpu->boot_x0 = x0;
    cpu->boot_el = el;
    if (DEVICE(cpu)->realized) {
        CPUARMState *env = &cpu->env;
        int target = el < 0 || el > cpu->highest_el ? cpu->highest_el : el;

        env->pc = pc;
        env->xregs[0] = x0;
        pstate_write(env, PSTATE_DAIF | (target << 2) | PSTATE_SP);
    }
}

static void arm_cpu_reset(DeviceState *dev)
{
    ARMCPU *cpu = ARM_CPU(dev);
    CPUState *cs = CPU(dev);
    CPUARMState *env = &cpu->env;
    uint64_t features = env->features;
    int el;

    memset(env, 0, offsetof(CPUARMState, features));
    cpu->power_off = false;              /* the board powers secondaries off */
    env->features = features;
    env->exclusive_addr = -1;

    env->cp15.sctlr[1] = cpu->reset_sctlr;
    env->cp15.sctlr[2] = 0x30c50838;
    env->cp15.sctlr[3] = 0x30c50838;
    env->cp15.oslsr_el1 = 0xa;
    env->cp15.vpidr_el2 = cpu->midr;
    env->cp15.vmpidr_el2 = cs->mp_affinity | (1ull << 31);
    env->cp15.pmcr_el0 = 0x41002000;     /* IMP=A, N=0 counters */

    el = cpu->boot_el < 0 || cpu->boot_el > cpu->highest_el ?
         cpu->highest_el : cpu->boot_el;
    env->ZF = 1;                         /* NZCV reset to 0 */
    env->el = el;
    env->spsel = 1;
    env->daif = PSTATE_DAIF;
    env->pc = cpu->boot_pc;
    env->xregs[0] = cpu->boot_x0;

    arm_gt_reset(cpu);
    env->ttb_slot_valid = 1;             /* slot 0: TTBRs 0, 0 */
    arm_rebuild_hflags(env);
    tlb_flush(cs);                       /* no-op before TCG set-up */
}

/* ---- power state ---- */

void arm_cpu_power_off(ARMCPU *cpu)
{
    CPUState *cs = CPU(cpu);

    cpu->power_off = true;
    __atomic_store_n(&cs->halted, 1, __ATOMIC_SEQ_CST);
    if (!qemu_cpu_is_self(cs)) {
        cpu_exit(cs);
        qemu_cpu_kick(cs);
    }
}

typedef struct ARMPowerOn {
    uint64_t pc, ctx;
    int el;
} ARMPowerOn;

static void arm_cpu_power_on_work(CPUState *cs, run_on_cpu_data data)
{
    ARMCPU *cpu = ARM_CPU(cs);
    ARMPowerOn *on = data.host_ptr;
    uint64_t save_pc = cpu->boot_pc, save_x0 = cpu->boot_x0;
    int save_el = cpu->boot_el;

    cpu->boot_pc = on->pc;
    cpu->boot_x0 = on->ctx;
    cpu->boot_el = on->el;
    cpu_reset(cs);
    cpu->boot_pc = save_pc;
    cpu->boot_x0 = save_x0;
    cpu->boot_el = save_el;
    cpu->power_off = false;
    __atomic_store_n(&cs->halted, 0, __ATOMIC_SEQ_CST);
    g_free(on);
}

void arm_cpu_power_on(ARMCPU *cpu, uint64_t pc, uint64_t ctx, int el)
{
    ARMPowerOn *on = g_new(ARMPowerOn, 1);

    on->pc = pc;
    on->ctx = ctx;
    on->el = el;
    async_run_on_cpu(CPU(cpu), arm_cpu_power_on_work,
                     RUN_ON_CPU_HOST_PTR(on));
    qemu_cpu_kick(CPU(cpu));
}

/* ---- interrupt inputs ---- */

void arm_cpu_set_irq(void *opaque, int irq, int level)
{
    ARMCPU *cpu = opaque;
    CPUState *cs = CPU(cpu);
    static const int mask[] = {
        [ARM_CPU_IRQ] = CPU_INTERRUPT_HARD,
        [ARM_CPU_FIQ] = CPU_INTERRUPT_FIQ,
        [ARM_CPU_VIRQ] = CPU_INTERRUPT_VIRQ,
        [ARM_CPU_VFIQ] = CPU_INTERRUPT_VFIQ,
    };

    if (irq < 0 || irq > ARM_CPU_VFIQ) {
        return;
    }
    if (level) {
        __atomic_fetch_or(&cpu->env.irq_line_state, mask[irq],
                          __ATOMIC_SEQ_CST);
        cpu_interrupt(cs, mask[irq]);
    } else {
        __atomic_fetch_and(&cpu->env.irq_line_state, ~mask[irq],
                           __ATOMIC_SEQ_CST);
        cpu_reset_interrupt(cs, mask[irq]);
    }
}

/* ---- object ---- */

static int arm_cpu_mmu_index(CPUState *cs, bool ifetch)
{
    return (ARM_CPU(cs)->env.hflags >> TBFLAG_MMUIDX_SHIFT) & 15;
}

static const TCGCPUOps arm_tcg_ops = {
    .initialize = arm_tcg_initialize,
    .translate_code = arm_translate_code,
    .get_tb_cpu_state = arm_get_tb_cpu_state,
    .mmu_index = arm_cpu_mmu_index,
    .restore_state_to_opc = arm_restore_state_to_opc,
    .cpu_exec_interrupt = arm_cpu_exec_interrupt,
    .do_interrupt = arm_cpu_do_interrupt,
    .tlb_fill = arm_cpu_tlb_fill,
    .do_unaligned_access = arm_cpu_do_unaligned_access,
};

static void arm_cpu_instance_init(Object *obj)
{
    ARMCPU *cpu = ARM_CPU(obj);
    CPUState *cs = CPU(obj);
    ARMCPUClass *acc = ARM_CPU_GET_CLASS(obj);

    cs->env_ptr = &cpu->env;
    cs->neg_ptr = &cpu->neg;
    cpu->boot_el = -1;
    cpu->highest_el = 1;
    qdev_init_gpio_in(DEVICE(obj), arm_cpu_set_irq, 4);
    qdev_init_gpio_out_named(DEVICE(obj), cpu->gt_timer_outputs, "gt-timer",
                             NUM_GTIMERS);
    if (acc->model_init) {
        acc->model_init(cpu);
    }
}

static DeviceRealize parent_realize;

/*
 * -cpu MODEL,prop=value,...: QEMU's Arm CPU properties, each accepted
 * with the one value that describes what turtle implements and refused
 * with any other, so that nothing asked for is silently dropped.  QEMU's
 * "+feat"/"-feat" spelling is the same as feat=on/off.
 */
static const struct {
    const char *name;
    bool value;             /* the only one turtle can do */
    const char *why;        /* ... and why */
} arm_cpu_props[] = {
    { "aarch64", true, "AArch32 is not implemented" },
    { "pmu", true, "the PMU cannot be left out yet" },
    { "sve", false, "SVE is not implemented" },
    { "sme", false, "SME is not implemented" },
    { "pauth", false, "pointer authentication is not implemented" },
    { "mte", false, "MTE is not implemented" },
};

static bool arm_cpu_parse_options(ARMCPU *cpu, const char *opts,
                                  Error **errp)
{
    const char *model = object_get_typename(OBJECT(cpu));
    g_auto(GStrv) items = opts && *opts ? g_strsplit(opts, ",", -1) : NULL;

    for (char **it = items; it && *it; it++) {
        g_autofree char *key = NULL;
        const char *val = NULL;
        bool on;
        size_t i;

        if (**it == '+' || **it == '-') {
            key = g_strdup(*it + 1);
            val = **it == '+' ? "on" : "off";
        } else {
            char *eq = strchr(*it, '=');
            key = eq ? g_strndup(*it, eq - *it) : g_strdup(*it);
            val = eq ? eq + 1 : NULL;
        }
        for (i = 0; i < G_N_ELEMENTS(arm_cpu_props); i++) {
            if (!strcmp(arm_cpu_props[i].name, key)) {
                break;
            }
        }
        if (i == G_N_ELEMENTS(arm_cpu_props)) {
            error_setg(errp, "-cpu: CPU model '%.*s' has no property '%s'",
                       (int)(strlen(model) - strlen(ARM_CPU_TYPE_SUFFIX)),
                       model, key);
            return false;
        }
        if (!val || !parse_bool(val, &on)) {
            error_setg(errp, "-cpu: %s='%s': expected on or off", key,
                       val ? val : "");
            return false;
        }
        if (on != arm_cpu_props[i].value) {
            error_setg(errp, "-cpu: %s=%s is not supported: %s", key, val,
                       arm_cpu_props[i].why);
            return false;
        }
    }
    return true;
}

static bool arm_cpu_realize(DeviceState *dev, Error **errp)
{
    ARMCPU *cpu = ARM_CPU(dev);

    if (!arm_cpu_parse_options(cpu, current_machine ?
                               current_machine->cpu_options : NULL, errp)) {
        return false;
    }

    if (cpu->has_el2) {
        /* EL2 (AArch64 only, no stage 2 translation, no VHE) */
        set_feature(&cpu->env, ARM_FEATURE_EL2);
        cpu->highest_el = 2;
        cpu->isar.id_aa64pfr0 |= 1ull << 8;
    }

    arm_gt_init(cpu);
    if (!parent_realize(dev, errp)) {
        return false;
    }
    arm_cpu_reset(dev);
    return true;
}

static void arm_cpu_class_init(ObjectClass *oc, void *data)
{
    CPUClass *cc = CPU_CLASS(oc);
    DeviceClass *dc = DEVICE_CLASS(oc);

    parent_realize = dc->realize;
    dc->realize = arm_cpu_realize;
    dc->reset = arm_cpu_reset;
    dc->desc = "AArch64 CPU";
    dc->vmsd = &vmstate_arm_cpu;
    cc->class_by_name = arm_cpu_class_by_name;
    cc->has_work = arm_cpu_has_work;
    cc->dump_state = arm_cpu_dump_state;
    cc->monitor_get_register = arm_monitor_get_register;
    cc->set_pc = arm_cpu_set_pc;
    cc->get_pc = arm_cpu_get_pc;
    cc->get_phys_page_debug = arm_cpu_get_phys_page_debug;
    cc->gdb_arch = &arm_gdb_arch;
#ifdef CONFIG_CAPSTONE
    cc->disas_cs_arch = CS_ARCH_ARM64;
    cc->disas_cs_mode = CS_MODE_LITTLE_ENDIAN;
#endif
    cc->tcg_ops = &arm_tcg_ops;
}

/* ---- models ---- */

/*
 * ID registers describe what this emulator implements, not the silicon:
 * AArch64 only at EL0/EL1 (no AArch32, no EL2/EL3 yet), FP and AdvSIMD
 * present.  Cache geometry and MIDR follow the named cores.
 */
static void arm_common_init(ARMCPU *cpu)
{
    CPUARMState *env = &cpu->env;

    set_feature(env, ARM_FEATURE_CRC);
    set_feature(env, ARM_FEATURE_CRYPTO);
    cpu->revidr = 0;
    cpu->ctr = 0x8444c004;          /* 64-byte lines, PIPT I-cache */
    cpu->dczid = 4;                 /* DC ZVA block: 64 bytes */
    cpu->clidr = 0x0a200023;        /* L1 I+D, L2 unified; LoUU 1, LoC 2 */
    cpu->ccsidr[0] = 0x701fe00a;    /* L1 D 32K */
    cpu->ccsidr[1] = 0x201fe012;    /* L1 I 48K */
    cpu->ccsidr[2] = 0x70ffe07a;    /* L2 2M */
    cpu->reset_sctlr = 0x00c50838;
    /*
     * EL0, EL1 AArch64 only; CSV2 and CSV3 set because translated code
     * never speculates (so guests need no Spectre-v2/Meltdown mitigation).
     */
    cpu->isar.id_aa64pfr0 = 0x0000000000000011ull | (1ull << 56) |
                            (1ull << 60);
    cpu->isar.id_aa64dfr0 = 0x10305106;
    /* CRC32, AES + PMULL, SHA1, SHA256 */
    cpu->isar.id_aa64isar0 = 0x0000000000011120ull;
    cpu->isar.id_aa64mmfr0 = 0x0000000000001124ull;  /* 44-bit PA, 4K/64K */
    cpu->isar.mvfr0 = 0x10110222;
    cpu->isar.mvfr1 = 0x12111111;
}

static void cortex_a57_init(ARMCPU *cpu)
{
    arm_common_init(cpu);
    cpu->midr = 0x411fd070;
}

static void cortex_a72_init(ARMCPU *cpu)
{
    arm_common_init(cpu);
    cpu->midr = 0x410fd083;
    cpu->ccsidr[1] = 0x201fe012;
}

static void max_init(ARMCPU *cpu)
{
    CPUARMState *env = &cpu->env;

    arm_common_init(cpu);
    cpu->midr = 0x000f0510;         /* implementer 0: software model */
    set_feature(env, ARM_FEATURE_LSE);
    set_feature(env, ARM_FEATURE_PAN);
    set_feature(env, ARM_FEATURE_LRCPC);
    set_feature(env, ARM_FEATURE_GRAN16K);
    set_feature(env, ARM_FEATURE_RDM);
    set_feature(env, ARM_FEATURE_DOTPROD);
    /* CRC32, AES + PMULL, SHA1, SHA256, Atomic (LSE), RDM, DotProd */
    cpu->isar.id_aa64isar0 = 0x11120 | (2ull << 20) | (1ull << 28) |
                             (1ull << 44);
    cpu->isar.id_aa64isar1 = 1ull << 20;             /* LRCPC */
    /* 48-bit PA, 16-bit ASID, 4K/16K/64K granules */
    cpu->isar.id_aa64mmfr0 = 0x5 | (2 << 4) | (1 << 8) | (1 << 12) |
                             (1ull << 20);
    cpu->isar.id_aa64mmfr1 = 1ull << 20;             /* PAN */
}

static void arm_model_class_init(ObjectClass *oc, void *data)
{
    ARM_CPU_CLASS(oc)->model_init = data;
}

static const TypeInfo arm_cpu_types[] = {
    {
        .name = TYPE_ARM_CPU,
        .parent = TYPE_CPU,
        .instance_size = sizeof(ARMCPU),
        .instance_init = arm_cpu_instance_init,
        .abstract = true,
        .class_size = sizeof(ARMCPUClass),
        .class_init = arm_cpu_class_init,
    }, {
        .name = "cortex-a57" ARM_CPU_TYPE_SUFFIX,
        .parent = TYPE_ARM_CPU,
        .class_init = arm_model_class_init,
        .class_data = cortex_a57_init,
    }, {
        .name = "cortex-a72" ARM_CPU_TYPE_SUFFIX,
        .parent = TYPE_ARM_CPU,
        .class_init = arm_model_class_init,
        .class_data = cortex_a72_init,
    }, {
        .name = "max" ARM_CPU_TYPE_SUFFIX,
        .parent = TYPE_ARM_CPU,
        .class_init = arm_model_class_init,
        .class_data = max_init,
    },
};

DEFINE_TYPES(arm_cpu_types)

void arm_cpu_set_firmware_call(ARMCPU *cpu, ARMFirmwareCall *fn, void *opaque)
{
    cpu->fw_call = fn;
    cpu->fw_call_opaque = opaque;
}
