/*
 * Miscellaneous system helpers for TCG: HLT, control and debug register
 * moves, MSRs (the architectural ones and those Linux reads), CPUID from
 * the model's table with the dynamic bits, the time stamp counter on the
 * virtual clock (1 GHz: one tick per nanosecond of guest time), XCR0,
 * PKRU, FS/GS base writes and port I/O through the I/O address space.
 * An MSR the CPU model does not have raises #GP(0), as on hardware.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "turtle/timer.h"
#include "target/i386/x86-tcg.h"
#include "hw/intc/apic.h"
#include "sysemu/main-loop.h"

#define HELPER_H "target/i386/helper.h"
#include "tcg/helper-proto.h"

#define TSC_HZ 1000000000ull

static bool canonical(CPUX86State *env, uint64_t a)
{
    int bits = (env->cr[4] & CR4_LA57_MASK) ? 57 : 48;

    return ((int64_t)(a << (64 - bits)) >> (64 - bits)) == (int64_t)a;
}

static X86CPU *cpu_of(CPUX86State *env)
{
    return env_archcpu(env);
}

/* ---- halt ---- */

void helper_hlt(CPUX86State *env, uint32_t len)
{
    CPUState *cs = env_cpu(env);

    env->rip += len;
    if (!(env->hflags & HF_CS64)) {
        env->rip = (uint32_t)env->rip;
    }
    env->interrupt_shadow = 0;
    cs->halted = 1;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit(cs);
}

void helper_fwait(CPUX86State *env)
{
    /* an unmasked pending x87 exception is reported here (#MF) */
    if ((env->fpus & 0x80) && (env->cr[0] & CR0_NE_MASK)) {
        x86_raise_exception_ra(env, EXCP10_COPR, GETPC());
    }
}

/* ---- control registers ---- */

static G_NORETURN void gp0(CPUX86State *env, uintptr_t ra)
{
    x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
}

void helper_lmsw(CPUX86State *env, uint64_t v)
{
    /* PE can be set but not cleared; MP, EM, TS are loaded */
    uint64_t cr0 = (env->cr[0] & ~0xeull) | (v & 0xf) |
                   (env->cr[0] & CR0_PE_MASK);

    if (!x86_cpu_set_cr0(env, cr0)) {
        gp0(env, GETPC());
    }
}

void helper_clts(CPUX86State *env)
{
    env->cr[0] &= ~(uint64_t)CR0_TS_MASK;
    x86_update_hflags(env);
}

void helper_invlpg(CPUX86State *env, uint64_t addr)
{
    tlb_flush_page(env_cpu(env), addr);
}

uint64_t helper_read_crN(CPUX86State *env, uint32_t n)
{
    X86CPU *cpu = cpu_of(env);

    switch (n) {
    case 0:
    case 2:
    case 3:
    case 4:
        return env->cr[n];
    case 8:
        if (!(env->hflags & HF_CS64)) {
            break;
        }
        return cpu->apic ? apic_get_tpr(cpu->apic) : 0;
    default:
        break;
    }
    x86_raise_exception_ra(env, EXCP06_ILLOP, GETPC());
}

void helper_write_crN(CPUX86State *env, uint32_t n, uint64_t v)
{
    X86CPU *cpu = cpu_of(env);
    uintptr_t ra = GETPC();
    bool ok = true;

    switch (n) {
    case 0:
        ok = x86_cpu_set_cr0(env, v);
        break;
    case 2:
        env->cr[2] = v;
        break;
    case 3:
        ok = x86_cpu_set_cr3(env, v);
        break;
    case 4:
        ok = x86_cpu_set_cr4(env, v);
        break;
    case 8:
        if (!(env->hflags & HF_CS64)) {
            x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
        }
        if (v & ~0xfull) {
            ok = false;
        } else if (cpu->apic) {
            bql_lock();
            apic_set_tpr(cpu->apic, v);
            bql_unlock();
        }
        break;
    default:
        x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
    }
    if (!ok) {
        gp0(env, ra);
    }
}

/* ---- debug registers (storage; no hardware breakpoints yet) ---- */

static int dr_index(CPUX86State *env, uint32_t n, uintptr_t ra)
{
    if (n == 4 || n == 5) {
        if (env->cr[4] & CR4_DE_MASK) {
            x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
        }
        return n + 2;
    }
    if (n > 7) {
        x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
    }
    return n;
}

uint64_t helper_get_dr(CPUX86State *env, uint32_t n)
{
    return env->dr[dr_index(env, n, GETPC())];
}

void helper_set_dr(CPUX86State *env, uint32_t n, uint64_t v)
{
    uintptr_t ra = GETPC();
    int i = dr_index(env, n, ra);

    if ((i == 6 || i == 7) && (v >> 32)) {
        gp0(env, ra);
    }
    if (i == 6) {
        v = (v & 0x0001e00f) | 0xffff0ff0;
    } else if (i == 7) {
        v = (v & ~0xd800ull) | 0x400;
    }
    env->dr[i] = v;
}

/* ---- time stamp counter ---- */

uint64_t x86_cpu_get_tsc(CPUX86State *env)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + env->tsc_offset;
}

void x86_cpu_set_tsc(CPUX86State *env, uint64_t tsc)
{
    env->tsc_offset = tsc - qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static void check_tsd(CPUX86State *env, uintptr_t ra)
{
    if ((env->cr[4] & CR4_TSD_MASK) && x86_cpl(env) != 0) {
        gp0(env, ra);
    }
}

void helper_rdtsc(CPUX86State *env)
{
    uint64_t t;

    check_tsd(env, GETPC());
    t = x86_cpu_get_tsc(env);
    env->regs[R_EAX] = (uint32_t)t;
    env->regs[R_EDX] = t >> 32;
}

void helper_rdtscp(CPUX86State *env)
{
    helper_rdtsc(env);
    env->regs[R_ECX] = (uint32_t)env->tsc_aux;
}

void helper_rdpmc(CPUX86State *env)
{
    uintptr_t ra = GETPC();

    if (x86_cpl(env) != 0 && !(env->cr[4] & CR4_PCE_MASK)) {
        gp0(env, ra);
    }
    /* no performance counters are implemented (CPUID leaf 0xA is 0) */
    gp0(env, ra);
}

/* ---- MSRs ---- */

static bool mtrr_fixed_index(uint32_t msr, int *i)
{
    if (msr == MSR_MTRRfix64K_00000) {
        *i = 0;
    } else if (msr == MSR_MTRRfix16K_80000 || msr == MSR_MTRRfix16K_A0000) {
        *i = 1 + msr - MSR_MTRRfix16K_80000;
    } else if (msr >= MSR_MTRRfix4K_C0000 && msr < MSR_MTRRfix4K_C0000 + 8) {
        *i = 3 + msr - MSR_MTRRfix4K_C0000;
    } else {
        return false;
    }
    return true;
}

/* memory types 0, 1, 4, 5, 6 (and 7 for PAT) in every byte */
static bool valid_mem_types(uint64_t v, bool pat)
{
    for (int i = 0; i < 8; i++) {
        unsigned t = (v >> (8 * i)) & 0xff;

        if (!(t == 0 || t == 1 || t == 4 || t == 5 || t == 6 ||
              (pat && t == 7))) {
            return false;
        }
    }
    return true;
}

/*
 * MSRs every AMD family 0Fh+ CPU has, which Linux reads on an
 * AuthenticAMD model without rdmsr_safe (SYSCFG from the MTRR code, the
 * interrupt-pending message register from the idle routine of family 0Fh
 * parts with erratum 400) or probes (the K7 performance counters,
 * DE_CFG): they read as QEMU's TCG
 * CPUs read them, 0, and take writes without effect (no counting PMU:
 * Linux reports "Broken PMU hardware" and uses software events, as under
 * QEMU).  On an Intel model they do not exist (#GP).
 */
static bool amd_msr(CPUX86State *env, uint32_t msr)
{
    if (strcmp(env->cpuid_cfg.vendor, "AuthenticAMD")) {
        return false;
    }
    return (msr >= MSR_K7_EVNTSEL0 && msr <= MSR_K7_PERFCTR3) ||
           msr == MSR_K8_SYSCFG || msr == MSR_K8_INT_PENDING_MSG ||
           msr == MSR_AMD64_DE_CFG;
}

static bool msr_read(CPUX86State *env, uint32_t msr, uint64_t *v)
{
    X86CPU *cpu = cpu_of(env);
    const uint32_t *f = env->cpuid_cfg.features;
    int i;

    switch (msr) {
    case MSR_IA32_TSC:
        *v = x86_cpu_get_tsc(env);
        return true;
    case MSR_IA32_APICBASE:
        *v = cpu->apic ? apic_get_base(cpu->apic) : env->apic_base;
        return true;
    case MSR_IA32_FEATURE_CONTROL:
        *v = env->feature_control;
        return true;
    case MSR_IA32_TSC_ADJUST:
        *v = env->tsc_adjust;
        return true;
    case MSR_IA32_SPEC_CTRL:
        *v = env->spec_ctrl;
        return true;
    case MSR_IA32_UCODE_REV:
        *v = 0x100000000ull;
        return true;
    case MSR_MTRRcap:
        *v = 0x500 | MTRR_VAR_COUNT;        /* fixed ranges, WC, 8 variable */
        return true;
    case MSR_MTRRdefType:
        *v = env->mtrr_deftype;
        return true;
    case MSR_IA32_SYSENTER_CS:
        *v = env->sysenter_cs;
        return true;
    case MSR_IA32_SYSENTER_ESP:
        *v = env->sysenter_esp;
        return true;
    case MSR_IA32_SYSENTER_EIP:
        *v = env->sysenter_eip;
        return true;
    case MSR_MCG_CAP:
    case MSR_MCG_STATUS:
        *v = 0;
        return true;
    case MSR_IA32_MISC_ENABLE:
        *v = env->misc_enable;
        return true;
    case MSR_PAT:
        *v = env->pat;
        return true;
    case MSR_EFER:
        *v = env->efer;
        return true;
    case MSR_STAR:
        *v = env->star;
        return true;
    case MSR_LSTAR:
        *v = env->lstar;
        return true;
    case MSR_CSTAR:
        *v = env->cstar;
        return true;
    case MSR_FMASK:
        *v = env->fmask;
        return true;
    case MSR_FSBASE:
        *v = env->segs[R_FS].base;
        return true;
    case MSR_GSBASE:
        *v = env->segs[R_GS].base;
        return true;
    case MSR_KERNELGSBASE:
        *v = env->kernelgsbase;
        return true;
    case MSR_TSC_AUX:
        if (!(f[FEAT_8000_0001_EDX] & (1u << 27)) &&
            !(f[FEAT_7_0_ECX] & (1u << 22))) {
            return false;
        }
        *v = env->tsc_aux;
        return true;
    case MSR_VM_HSAVE_PA:
        *v = env->vm_hsave;
        return true;
    case MSR_K7_HWCR:
        *v = 0;
        return true;
    default:
        break;
    }
    if (msr >= MSR_MTRRphysBase0 && msr < MSR_MTRRphysBase0 + 2 *
        MTRR_VAR_COUNT) {
        int n = (msr - MSR_MTRRphysBase0) / 2;

        *v = (msr & 1) ? env->mtrr_var_mask[n] : env->mtrr_var_base[n];
        return true;
    }
    if (mtrr_fixed_index(msr, &i)) {
        *v = env->mtrr_fixed[i];
        return true;
    }
    if (amd_msr(env, msr)) {
        *v = 0;
        return true;
    }
    if ((msr == MSR_TSC_DEADLINE ||
         (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST)) && cpu->apic) {
        bool ok;

        bql_lock();
        ok = apic_msr_read(cpu->apic, msr, v);
        bql_unlock();
        return ok;
    }
    return false;
}

static bool msr_write(CPUX86State *env, uint32_t msr, uint64_t v)
{
    X86CPU *cpu = cpu_of(env);
    int i;

    switch (msr) {
    case MSR_IA32_TSC:
        x86_cpu_set_tsc(env, v);
        return true;
    case MSR_IA32_APICBASE:
        if (cpu->apic) {
            bool ok;

            bql_lock();
            ok = apic_set_base(cpu->apic, v);
            bql_unlock();
            if (ok) {
                env->apic_base = v;
            }
            return ok;
        }
        env->apic_base = v;
        return true;
    case MSR_IA32_FEATURE_CONTROL:
        if (env->feature_control & 1) {
            return false;                   /* locked */
        }
        env->feature_control = v;
        return true;
    case MSR_IA32_TSC_ADJUST:
        env->tsc_offset += v - env->tsc_adjust;
        env->tsc_adjust = v;
        return true;
    case MSR_IA32_SPEC_CTRL:
        if (v & ~0x7ull) {
            return false;
        }
        env->spec_ctrl = v;
        return true;
    case MSR_IA32_PRED_CMD:
        return !(v & ~1ull);
    case MSR_IA32_UCODE_REV:
        return true;
    case MSR_MTRRdefType:
        if (v & ~0xcffull) {
            return false;
        }
        env->mtrr_deftype = v;
        return true;
    case MSR_IA32_SYSENTER_CS:
        env->sysenter_cs = v & 0xffff;
        return true;
    case MSR_IA32_SYSENTER_ESP:
        if (!canonical(env, v)) {
            return false;
        }
        env->sysenter_esp = v;
        return true;
    case MSR_IA32_SYSENTER_EIP:
        if (!canonical(env, v)) {
            return false;
        }
        env->sysenter_eip = v;
        return true;
    case MSR_MCG_STATUS:
        return v == 0;
    case MSR_IA32_MISC_ENABLE:
        env->misc_enable = v;
        return true;
    case MSR_PAT:
        if (!valid_mem_types(v, true)) {
            return false;
        }
        env->pat = v;
        return true;
    case MSR_EFER:
        return x86_cpu_set_efer(env, v);
    case MSR_STAR:
        env->star = v;
        return true;
    case MSR_LSTAR:
    case MSR_CSTAR:
    case MSR_KERNELGSBASE:
    case MSR_FSBASE:
    case MSR_GSBASE:
        if (!canonical(env, v)) {
            return false;
        }
        if (msr == MSR_LSTAR) {
            env->lstar = v;
        } else if (msr == MSR_CSTAR) {
            env->cstar = v;
        } else if (msr == MSR_KERNELGSBASE) {
            env->kernelgsbase = v;
        } else {
            env->segs[msr == MSR_FSBASE ? R_FS : R_GS].base = v;
        }
        return true;
    case MSR_FMASK:
        env->fmask = (uint32_t)v;
        return true;
    case MSR_TSC_AUX:
        if (v >> 32) {
            return false;
        }
        env->tsc_aux = v;
        return true;
    case MSR_VM_HSAVE_PA:
        if (v & 0xfff) {
            return false;
        }
        env->vm_hsave = v;
        return true;
    case MSR_K7_HWCR:
        return true;
    default:
        break;
    }
    if (msr >= MSR_MTRRphysBase0 && msr < MSR_MTRRphysBase0 + 2 *
        MTRR_VAR_COUNT) {
        int n = (msr - MSR_MTRRphysBase0) / 2;

        if (msr & 1) {
            env->mtrr_var_mask[n] = v;
        } else {
            env->mtrr_var_base[n] = v;
        }
        return true;
    }
    if (mtrr_fixed_index(msr, &i)) {
        if (!valid_mem_types(v, false)) {
            return false;
        }
        env->mtrr_fixed[i] = v;
        return true;
    }
    if (amd_msr(env, msr)) {
        return true;
    }
    if ((msr == MSR_TSC_DEADLINE ||
         (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST)) && cpu->apic) {
        bool ok;

        bql_lock();
        ok = apic_msr_write(cpu->apic, msr, v);
        bql_unlock();
        return ok;
    }
    return false;
}

void helper_rdmsr(CPUX86State *env)
{
    uint32_t msr = env->regs[R_ECX];
    uint64_t v = 0;

    if (!msr_read(env, msr, &v)) {
        tlog_mask(LOG_UNIMP, "x86: rdmsr 0x%x: #GP\n", msr);
        gp0(env, GETPC());
    }
    env->regs[R_EAX] = (uint32_t)v;
    env->regs[R_EDX] = v >> 32;
}

void helper_wrmsr(CPUX86State *env)
{
    uint32_t msr = env->regs[R_ECX];
    uint64_t v = (uint32_t)env->regs[R_EAX] |
                 ((uint64_t)(uint32_t)env->regs[R_EDX] << 32);

    if (!msr_write(env, msr, v)) {
        tlog_mask(LOG_UNIMP, "x86: wrmsr 0x%x = 0x%" PRIx64 ": #GP\n", msr,
                  v);
        gp0(env, GETPC());
    }
}

/* ---- CPUID ---- */

void helper_cpuid(CPUX86State *env)
{
    uint32_t fn = env->regs[R_EAX], idx = env->regs[R_ECX];
    const X86CPUIDTable *t = &env->cpuid;
    const X86CPUIDEntry *e;
    uint32_t a = 0, b = 0, c = 0, d = 0;

    /* beyond the highest leaf: the highest basic leaf (Intel) */
    if (fn >= 0x80000000u) {
        if (fn > env->cpuid_cfg.xlevel) {
            fn = env->cpuid_cfg.level;
        }
    } else if (fn < 0x40000000u && fn > env->cpuid_cfg.level) {
        fn = env->cpuid_cfg.level;
    }
    e = x86_cpuid_find(t, fn, idx);
    if (e) {
        a = e->eax;
        b = e->ebx;
        c = e->ecx;
        d = e->edx;
    }
    switch (fn) {
    case 1:
        c &= ~CPUID_1_ECX_OSXSAVE;
        if (env->cr[4] & CR4_OSXSAVE_MASK) {
            c |= CPUID_1_ECX_OSXSAVE;
        }
        if (!(env->apic_base & MSR_IA32_APICBASE_ENABLE)) {
            d &= ~CPUID_1_EDX_APIC;
        }
        break;
    case 7:
        if (idx == 0) {
            c &= ~CPUID_7_0_ECX_OSPKE;
            if (env->cr[4] & CR4_PKE_MASK) {
                c |= CPUID_7_0_ECX_OSPKE;
            }
        }
        break;
    case 0xd:
        if (idx == 0 && e) {
            b = x86_xsave_size(env->xcr0);
        }
        break;
    default:
        break;
    }
    env->regs[R_EAX] = a;
    env->regs[R_EBX] = b;
    env->regs[R_ECX] = c;
    env->regs[R_EDX] = d;
}

/* ---- XCR0 (SDM Vol. 1 13.3) and PKRU ---- */

void helper_xgetbv(CPUX86State *env)
{
    uint32_t n = env->regs[R_ECX];
    uint64_t v;

    if (n == 0) {
        v = env->xcr0;
    } else if (n == 1 && (env->cpuid_cfg.features[FEAT_XSAVE] & (1u << 2))) {
        v = env->xcr0;                  /* XINUSE: everything may be used */
    } else {
        gp0(env, GETPC());
    }
    env->regs[R_EAX] = (uint32_t)v;
    env->regs[R_EDX] = v >> 32;
}

void helper_xsetbv(CPUX86State *env)
{
    uint64_t v = (uint32_t)env->regs[R_EAX] |
                 ((uint64_t)(uint32_t)env->regs[R_EDX] << 32);
    uint64_t supported = x86_cpuid_xcr0_mask(env->cpuid_cfg.features);

    if (x86_cpl(env) != 0 || (uint32_t)env->regs[R_ECX] != 0 ||
        !(v & XSTATE_FP) || (v & ~supported) ||
        ((v & XSTATE_YMM) && !(v & XSTATE_SSE)) ||
        (!!(v & XSTATE_BNDREGS) != !!(v & XSTATE_BNDCSR)) ||
        ((v & (XSTATE_OPMASK | XSTATE_ZMM_HI256 | XSTATE_HI16_ZMM)) &&
         (v & (XSTATE_OPMASK | XSTATE_ZMM_HI256 | XSTATE_HI16_ZMM | XSTATE_YMM))
         != (XSTATE_OPMASK | XSTATE_ZMM_HI256 | XSTATE_HI16_ZMM |
             XSTATE_YMM))) {
        gp0(env, GETPC());
    }
    env->xcr0 = v;
    x86_update_hflags(env);
}

void helper_rdpkru(CPUX86State *env)
{
    if (!(env->cr[4] & CR4_PKE_MASK)) {
        x86_raise_exception_ra(env, EXCP06_ILLOP, GETPC());
    }
    if ((uint32_t)env->regs[R_ECX] != 0) {
        gp0(env, GETPC());
    }
    env->regs[R_EAX] = env->pkru;
    env->regs[R_EDX] = 0;
}

void helper_wrpkru(CPUX86State *env)
{
    if (!(env->cr[4] & CR4_PKE_MASK)) {
        x86_raise_exception_ra(env, EXCP06_ILLOP, GETPC());
    }
    if ((uint32_t)env->regs[R_ECX] != 0 || (uint32_t)env->regs[R_EDX] != 0) {
        gp0(env, GETPC());
    }
    env->pkru = env->regs[R_EAX];
    tlb_flush(env_cpu(env));
}

void helper_wrxsbase(CPUX86State *env, uint32_t seg, uint64_t v)
{
    if (!canonical(env, v)) {
        gp0(env, GETPC());
    }
    env->segs[seg].base = v;
}

/* ---- port I/O: the I/O address space, under the big lock ---- */

static uint32_t io_read(uint32_t port, int size)
{
    uint32_t v = 0;

    bql_lock();
    address_space_read(&address_space_io, port & 0xffff,
                       MEMTXATTRS_UNSPECIFIED, &v, size);
    bql_unlock();
    return le32_to_cpu(v);
}

static void io_write(uint32_t port, uint32_t v, int size)
{
    v = cpu_to_le32(v);
    bql_lock();
    address_space_write(&address_space_io, port & 0xffff,
                        MEMTXATTRS_UNSPECIFIED, &v, size);
    bql_unlock();
}

uint32_t helper_inb(CPUX86State *env, uint32_t port)
{
    return io_read(port, 1) & 0xff;
}

uint32_t helper_inw(CPUX86State *env, uint32_t port)
{
    return io_read(port, 2) & 0xffff;
}

uint32_t helper_inl(CPUX86State *env, uint32_t port)
{
    return io_read(port, 4);
}

void helper_outb(CPUX86State *env, uint32_t port, uint32_t v)
{
    io_write(port, v, 1);
}

void helper_outw(CPUX86State *env, uint32_t port, uint32_t v)
{
    io_write(port, v, 2);
}

void helper_outl(CPUX86State *env, uint32_t port, uint32_t v)
{
    io_write(port, v, 4);
}

void helper_probe_write(CPUX86State *env, uint64_t addr, uint32_t size)
{
    probe_access(env, addr, size, MMU_DATA_STORE, x86_mmu_index_of(env),
                 GETPC());
}
