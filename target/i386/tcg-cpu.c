/*
 * The x86 CPU's TCG glue: the TB flags (hflags) and MMU index computed
 * from the architectural state, the TCGCPUOps table, state restore at a
 * faulting insn (pc and cc_op from the insn_start words), halting, and
 * the INIT/SIPI start-up protocol (SDM Vol. 3A 8.4, 10.6.1).
 */
#include "turtle/osdep.h"
#include "target/i386/x86-tcg.h"
#include "hw/intc/apic.h"

/* a segment a protected-mode data access needs no check for */
static bool seg_flat(const SegmentCache *sc, bool code)
{
    uint32_t f = sc->flags;

    if (!(f & DESC_P_MASK) || sc->limit != 0xffffffff) {
        return false;
    }
    if (code) {
        return f & (2u << DESC_TYPE_SHIFT);            /* readable */
    }
    /* writable, expand-up data */
    return !(f & (8u << DESC_TYPE_SHIFT)) && (f & (2u << DESC_TYPE_SHIFT)) &&
           !(f & (4u << DESC_TYPE_SHIFT));
}

void x86_update_hflags(CPUX86State *env)
{
    uint32_t hf = 0, csf = env->segs[R_CS].flags;
    uint64_t cr0 = env->cr[0], cr4 = env->cr[4], fl = env->rflags;
    int cpl;

    if (!(cr0 & CR0_PE_MASK)) {
        cpl = 0;
    } else if (fl & RFLAGS_VM) {
        cpl = 3;
        hf |= HF_VM;
    } else {
        cpl = (env->segs[R_SS].flags >> DESC_DPL_SHIFT) & 3;
    }
    hf |= cpl;
    if (cr0 & CR0_PE_MASK) {
        hf |= HF_PE;
    }
    if (env->efer & EFER_LMA) {
        hf |= HF_LMA;
        if (csf & DESC_L_MASK) {
            hf |= HF_CS64;
        }
    }
    if (!(hf & HF_CS64)) {
        if (csf & DESC_B_MASK) {
            hf |= HF_CS32;
        }
        if (env->segs[R_SS].flags & DESC_B_MASK) {
            hf |= HF_SS32;
        }
        if (env->segs[R_DS].base | env->segs[R_ES].base |
            env->segs[R_SS].base) {
            hf |= HF_ADDSEG;
        }
        if (env->segs[R_CS].limit != 0xffffffff) {
            hf |= HF_CS_LIMIT;
        }
        if ((cr0 & CR0_PE_MASK) && !(fl & RFLAGS_VM) &&
            !(seg_flat(&env->segs[R_DS], false) &&
              seg_flat(&env->segs[R_ES], false) &&
              seg_flat(&env->segs[R_SS], false) &&
              seg_flat(&env->segs[R_FS], false) &&
              seg_flat(&env->segs[R_GS], false) &&
              seg_flat(&env->segs[R_CS], true))) {
            hf |= HF_SEGCHK;
        }
    } else {
        hf |= HF_SS32;
    }
    if (fl & RFLAGS_TF) {
        hf |= HF_TF;
    }
    if (fl & RFLAGS_RF) {
        hf |= HF_RF;
    }
    if (env->interrupt_shadow) {
        hf |= HF_INHIBIT_IRQ;
    }
    if (cr0 & CR0_MP_MASK) {
        hf |= HF_MP;
    }
    if (cr0 & CR0_EM_MASK) {
        hf |= HF_EM;
    }
    if (cr0 & CR0_TS_MASK) {
        hf |= HF_TS;
    }
    if (cr4 & CR4_OSFXSR_MASK) {
        hf |= HF_OSFXSR;
    }
    if (cr4 & CR4_OSXSAVE_MASK) {
        hf |= HF_OSXSAVE;
        if ((env->xcr0 & (XSTATE_SSE | XSTATE_YMM)) ==
            (XSTATE_SSE | XSTATE_YMM)) {
            hf |= HF_AVX_EN;
        }
    }
    if (cr4 & CR4_UMIP_MASK) {
        hf |= HF_UMIP;
    }
    if (cr4 & CR4_FSGSBASE_MASK) {
        hf |= HF_FSGSBASE;
    }
    if (cr4 & CR4_TSD_MASK) {
        hf |= HF_TSD;
    }
    if (cr4 & CR4_PCE_MASK) {
        hf |= HF_PCE;
    }
    hf |= ((fl >> 12) & 3) << HF_IOPL_SHIFT;
    if (cpl == 3) {
        hf |= X86_MMU_USER << HF_MMU_SHIFT;
    } else if (fl & RFLAGS_AC) {
        hf |= X86_MMU_KNOSMAP << HF_MMU_SHIFT;
    } else {
        hf |= X86_MMU_KSMAP << HF_MMU_SHIFT;
    }
    env->hflags = hf;
}

int x86_mmu_index_of(const CPUX86State *env)
{
    return (env->hflags & HF_MMU_MASK) >> HF_MMU_SHIFT;
}

static int x86_cpu_mmu_index(CPUState *cs, bool ifetch)
{
    return x86_mmu_index_of(cpu_env_of(cs));
}

static void x86_get_tb_cpu_state(CPUX86State *env, vaddr *pc,
                                 uint64_t *cs_base, uint32_t *flags)
{
    *cs_base = env->segs[R_CS].base;
    *pc = *cs_base + env->rip;
    if (!(env->hflags & HF_CS64)) {
        *pc = (uint32_t)*pc;
    }
    *flags = env->hflags;
}

static void x86_restore_state_to_opc(CPUState *cs, const TranslationBlock *tb,
                                     const uint64_t *data)
{
    CPUX86State *env = cpu_env_of(cs);
    uint64_t rip = data[0] - tb->cs_base;
    int32_t cc_op = (int32_t)data[1];

    env->rip = (tb->flags & HF_CS64) ? rip : (uint32_t)rip;
    if (cc_op != CC_OP_DYNAMIC) {
        env->cc_op = cc_op;
    }
}

static void x86_synchronize_from_tb(CPUState *cs, const TranslationBlock *tb)
{
    CPUX86State *env = cpu_env_of(cs);
    uint64_t rip = tb->pc - tb->cs_base;

    env->rip = (tb->flags & HF_CS64) ? rip : (uint32_t)rip;
}

static bool x86_cpu_exec_halt(CPUState *cs)
{
    return cpu_has_work(cs);
}

/* INIT: registers to their INIT values (SDM Vol. 3A Table 9-1: x87, SSE,
 * MTRRs, most MSRs and the APIC base are kept); APs wait for a SIPI */
void x86_cpu_init_received(X86CPU *cpu)
{
    CPUState *cs = CPU(cpu);
    CPUX86State *env = &cpu->env, *save = g_new(CPUX86State, 1);
    bool bsp = env->apic_base & MSR_IA32_APICBASE_BSP;

    *save = *env;
    x86_cpu_reset_state(env, (uint32_t)env->regs[R_EDX], bsp);
    memcpy(env->fpregs, save->fpregs, sizeof(env->fpregs));
    memcpy(env->fptags, save->fptags, sizeof(env->fptags));
    env->fpstt = save->fpstt;
    env->fpus = save->fpus;
    env->fpuc = save->fpuc;
    memcpy(env->xmm_regs, save->xmm_regs, sizeof(env->xmm_regs));
    env->mxcsr = save->mxcsr;
    env->pat = save->pat;
    env->mtrr_deftype = save->mtrr_deftype;
    memcpy(env->mtrr_fixed, save->mtrr_fixed, sizeof(env->mtrr_fixed));
    memcpy(env->mtrr_var_base, save->mtrr_var_base,
           sizeof(env->mtrr_var_base));
    memcpy(env->mtrr_var_mask, save->mtrr_var_mask,
           sizeof(env->mtrr_var_mask));
    env->apic_base = save->apic_base;
    env->tsc_offset = save->tsc_offset;
    env->tsc_aux = save->tsc_aux;
    env->regs[R_EDX] = save->cpuid.nent ?
                       x86_cpuid_find(&save->cpuid, 1, 0)->eax : 0x600;
    g_free(save);
    x86_cpu_tcg_reset(cpu);
    if (cpu->apic) {
        apic_init_reset(cpu->apic);
    }
    if (!bsp) {
        env->mp_state = X86_MP_WAIT_FOR_SIPI;
        cs->halted = 1;
    } else {
        env->mp_state = X86_MP_RUNNABLE;
        cs->halted = 0;
    }
    tlb_flush(cs);
}

/* SIPI: start at vector << 12 in real mode (CS = vector << 8, IP = 0) */
void x86_cpu_sipi_received(X86CPU *cpu)
{
    CPUState *cs = CPU(cpu);
    CPUX86State *env = &cpu->env;
    int vector = cpu->apic ? apic_sipi(cpu->apic) : -1;

    if (vector < 0) {
        if (env->mp_state != X86_MP_WAIT_FOR_SIPI &&
            env->mp_state != X86_MP_WAIT_FOR_INIT) {
            return;
        }
        vector = env->sipi_vector;
    }
    env->segs[R_CS].selector = vector << 8;
    env->segs[R_CS].base = (uint64_t)vector << 12;
    env->rip = 0;
    env->mp_state = X86_MP_RUNNABLE;
    x86_update_hflags(env);
    cs->halted = 0;
}

/* TCG-only state that follows from the architectural state */
static uint64_t x86_apic_read_tsc(CPUState *cs)
{
    return x86_cpu_get_tsc(cpu_env_of(cs));
}

void x86_cpu_tcg_reset(X86CPU *cpu)
{
    CPUX86State *env = &cpu->env;

    if (cpu->apic) {
        /* TSC-deadline mode compares with this CPU's TSC */
        apic_set_tsc_source(cpu->apic, x86_apic_read_tsc, 1000000000ull);
    }
    env->df = (env->rflags & RFLAGS_DF) ? -1 : 1;
    env->old_exception = -1;
    env->exc_kind = 0;
    x86_update_fpu_status(env);
    x86_update_mxcsr_status(env);
    x86_update_hflags(env);
}

const TCGCPUOps x86_tcg_ops = {
    .initialize = x86_tcg_initialize,
    .translate_code = x86_translate_code,
    .get_tb_cpu_state = x86_get_tb_cpu_state,
    .mmu_index = x86_cpu_mmu_index,
    .synchronize_from_tb = x86_synchronize_from_tb,
    .restore_state_to_opc = x86_restore_state_to_opc,
    .cpu_exec_interrupt = x86_cpu_exec_interrupt,
    .do_interrupt = x86_cpu_do_interrupt,
    .tlb_fill = x86_cpu_tlb_fill,
    .cpu_exec_halt = x86_cpu_exec_halt,
};
