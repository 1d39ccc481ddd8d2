/*
 * The KVM accelerator against a fake /dev/kvm (test-kvm-fake.c), vCPU side:
 * creation with the filtered CPUID, feature warnings, register state both
 * ways and its levels, refused MSRs, the vCPU thread and its kicks, the
 * direct-boot entry state, the CPU's vmstate, the debugger page walk,
 * exit dispatch, the KVM_RUN loop, and gdb support.
 */
#include "test-kvm-fake.h"
#include "hw/intc/apic.h"

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
    cs = make_cpu_apic("max");                /* VMX: nested state synced */
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
    x86_rflags_set(env, 0x246);
    env->segs[R_CS] = (SegmentCache){ 0x10, 0, 0xffffffff,
                                      DESC_P_MASK | DESC_S_MASK | DESC_L_MASK |
                                      DESC_G_MASK | (0xbu << DESC_TYPE_SHIFT) };
    env->ldt = (SegmentCache){ 0, 0, 0, 0 };
    env->cr[0] = 0x80050033;
    env->cr[3] = 0x1234000;
    env->cr[4] = 0x3606f0;
    env->efer = EFER_LME | EFER_LMA | EFER_SCE | EFER_NXE;
    env->lstar = 0xffffffff81e00000ull;
    env->xmm_regs[7].q[0] = 0x0123456789abcdefull;
    env->xmm_regs[7].q[1] = 0xfedcba9876543210ull;
    env->xmm_regs[7].q[2] = 0x2222222233333333ull;       /* YMM7 upper */
    env->xmm_regs[7].q[3] = 0x4444444455555555ull;
    env->mxcsr = 0x1fa0;
    /* x87: TOP = 6, ST1 = physical R7 holds 1.0, the rest empty */
    x86_fpu_set_status_word(env, (6u << 11) | 0x20);
    env->fpregs[7] = (floatx80){ .low = 1ull << 63, .high = 0x3fff };
    env->fptags[7] = 0;
    env->fpop = 0x1d9;
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
    g_assert_cmphex(fk.regs.rflags, ==, 0x246);
    /* the XSAVE image: FSW with TOP, abridged tags, ST1 in stack order,
     * XMM7 and YMM7's upper half (SDM Vol. 1 13.4) */
    {
        const uint8_t *x = (const uint8_t *)fk.xsave.region;

        g_assert_cmphex(ld16_le_p(x + 0), ==, 0x37f);
        g_assert_cmphex(ld16_le_p(x + 2), ==, (6u << 11) | 0x20);
        g_assert_cmphex(x[4], ==, 0x80);
        g_assert_cmphex(ld16_le_p(x + 6), ==, 0x1d9);
        g_assert_cmphex(ld64_le_p(x + 48), ==, 1ull << 63);
        g_assert_cmphex(ld16_le_p(x + 56), ==, 0x3fff);
        g_assert_cmphex(ld32_le_p(x + 24), ==, 0x1fa0);
        g_assert_cmphex(ld64_le_p(x + 160 + 7 * 16), ==,
                        0x0123456789abcdefull);
        g_assert_cmphex(ld64_le_p(x + 576 + 7 * 16), ==,
                        0x2222222233333333ull);
        g_assert_cmphex(ld64_le_p(x + 576 + 7 * 16 + 8), ==,
                        0x4444444455555555ull);
        g_assert_cmphex(ld64_le_p(x + 512), ==,
                        XSTATE_FP | XSTATE_SSE | XSTATE_YMM);
    }

    memset(env->regs, 0, sizeof(env->regs));
    memset(env->xmm_regs, 0, sizeof(env->xmm_regs));
    memset(env->fpregs, 0, sizeof(env->fpregs));
    memset(env->fptags, 1, sizeof(env->fptags));
    env->fpstt = 0;
    env->rip = env->cr[0] = env->efer = env->lstar = 0;
    env->exception_nr = -1;
    env->nmi_pending = false;
    env->segs[R_CS].flags = 0;
    g_assert_cmpint(kvm_arch_get_registers(cs), ==, 0);
    g_assert_cmphex(env->regs[R_EAX], ==, 0x1111);
    g_assert_cmphex(env->regs[R_R15], ==, saved.regs[R_R15]);
    g_assert_cmphex(env->rip, ==, saved.rip);
    g_assert_cmphex(x86_rflags_get(env), ==, 0x246);
    g_assert_cmphex(env->segs[R_CS].flags, ==, saved.segs[R_CS].flags);
    g_assert_cmphex(env->cr[0], ==, 0x80050033);
    g_assert_cmphex(env->efer, ==, saved.efer);
    g_assert_cmphex(env->lstar, ==, saved.lstar);
    for (int i = 0; i < 4; i++) {
        g_assert_cmphex(env->xmm_regs[7].q[i], ==, saved.xmm_regs[7].q[i]);
    }
    g_assert_cmpuint(env->fpstt, ==, 6);
    g_assert_cmphex(x86_fpu_status_word(env), ==, (6u << 11) | 0x20);
    g_assert_cmphex(env->fpregs[7].low, ==, 1ull << 63);
    g_assert_cmphex(env->fpregs[7].high, ==, 0x3fff);
    g_assert_cmpuint(env->fptags[7], ==, 0);
    g_assert_cmpuint(env->fptags[6], ==, 1);
    g_assert_cmphex(env->fpop, ==, 0x1d9);
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
    cs = make_cpu_apic("qemu64");
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

    /* the kernel's LAPIC is mirrored into the APIC device and back; in
     * x2APIC mode KVM keeps the ID in bits 31:24 */
    fk.lapic.regs[0x80] = 0x20;                         /* TPR */
    fk.lapic.regs[0xf0] = 0x3f;                         /* SVR */
    fk.lapic.regs[0xf1] = 0x01;                         /* enabled */
    fk.sregs.apic_base = 0xfee00c00 | (cs->cpu_index ? 0 : 0x100);
    g_assert_cmpint(kvm_arch_get_registers(cs), ==, 0);
    g_assert_cmpuint(apic_get_tpr(X86_CPU(cs)->apic), ==, 2);
    g_assert_cmphex(apic_get_base(X86_CPU(cs)->apic), ==,
                    fk.sregs.apic_base);
    memset(&fk.lapic, 0, sizeof(fk.lapic));
    g_assert_cmpint(kvm_arch_put_registers(cs, KVM_PUT_FULL_STATE), ==, 0);
    g_assert_cmphex((uint8_t)fk.lapic.regs[0x80], ==, 0x20);
    g_assert_cmphex(*(uint32_t *)(fk.lapic.regs + 0xf0), ==, 0x13f);
    g_assert_cmphex(*(uint32_t *)(fk.lapic.regs + 0x20), ==,
                    X86_CPU(cs)->apic_id << 24);
    g_assert_cmphex(fk.sregs.cr8, ==, 2);
    kvm_destroy_vcpu(cs);
    vm_free(s);
}

/* ---- direct kernel boot: the board's entry state ---- */

static X86BootState boot_state;

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
    cs = make_cpu_apic("qemu64");
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

    /* a reset alone gives the power-on state; the board applies its
     * entry state afterwards (pc: MachineClass.reset) */
    cs->cpu_index = 0;                      /* the BSP */
    cpu_reset(cs);
    device_cold_reset(X86_CPU(cs)->apic);
    g_assert_cmphex(env->rip, ==, 0xfff0);
    x86_cpu_apply_boot_state(X86_CPU(cs), &boot_state);
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

/* ---- the vCPU thread and its kicks ---- */

static int work_done;

static void count_work(CPUState *cpu, run_on_cpu_data d)
{
    g_assert_true(qemu_cpu_is_self(cpu));
    work_done++;
}

/*
 * A kick must take the vCPU out of KVM_RUN once, never leave a signal
 * pending that makes every later KVM_RUN return EINTR (the vCPU thread
 * then spins in user space and the guest never runs), with and without
 * KVM_CAP_IMMEDIATE_EXIT.
 */
static void vcpu_thread_kicks(bool immediate_exit)
{
    const AccelOps *ops = accel_find("kvm");
    KVMState *s;
    CPUState *cs;
    int calls;

    g_assert_nonnull(ops);
    fake_reset();
    fk.threaded = true;
    if (!immediate_exit) {
        cap_set(KVM_CAP_IMMEDIATE_EXIT, 0);
    }
    s = vm_new();
    g_assert_true(s->immediate_exit == immediate_exit);
    work_done = 0;
    accel_set_current(ops);
    cs = make_cpu("qemu64");
    bql_lock();
    g_assert_true(cpus_start_vcpu(cs, &error_abort)); /* thread up, stopped */
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
    calls = __atomic_load_n(&fk.run_calls, __ATOMIC_SEQ_CST);
    g_assert_cmpint(calls, >=, 1);
    /* one KVM_RUN per request, two when a kick races with the request
     * before it; a kick left pending made this 10000 */
    g_assert_cmpint(calls, <=, 2 * 200 + 4);
    /* with nothing to do the vCPU stays in KVM_RUN: a few more calls at
     * most (a kick that raced with the last request), not thousands */
    g_usleep(100 * 1000);
    g_assert_cmpint(__atomic_load_n(&fk.run_calls, __ATOMIC_SEQ_CST), <=,
                    calls + 4);

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

/*
 * KVM_GET_XSAVE: components whose XSTATE_BV bit is clear are in their
 * initial state whatever the image holds (SDM Vol. 1 13.8.1); MXCSR is
 * read anyway.  The legacy FPU path (no KVM_CAP_XSAVE) uses kvm_fpu.
 */
static void test_xsave_init_state(void)
{
    KVMState *s;
    CPUState *cs;
    CPUX86State *env;
    uint8_t *x = (uint8_t *)fk.xsave.region;

    fake_reset();
    s = vm_new();
    cs = make_cpu("max");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    env = &X86_CPU(cs)->env;

    memset(x, 0x5a, sizeof(fk.xsave.region));
    st64_le_p(x + 512, XSTATE_SSE);         /* x87 and YMM: init */
    st64_le_p(x + 520, 0);
    st32_le_p(x + 24, 0x3f80);
    env->xmm_regs[3].q[3] = 1;
    env->fpuc = 0x27f;
    g_assert_cmpint(kvm_arch_get_registers(cs), ==, 0);
    g_assert_cmphex(env->xmm_regs[3].q[0], ==, 0x5a5a5a5a5a5a5a5aull);
    g_assert_cmphex(env->xmm_regs[3].q[3], ==, 0);
    g_assert_cmphex(env->mxcsr, ==, 0x3f80);
    g_assert_cmphex(env->fpuc, ==, 0x37f);
    g_assert_cmphex(x86_fpu_tag_word(env), ==, 0xffff);
    g_assert_cmphex(env->fpregs[2].low, ==, 0);
    kvm_destroy_vcpu(cs);
    vm_free(s);
}

/* a vCPU whose set-up fails in its thread: an error for the caller (the
 * board, then main), the thread ended, the process still alive */
static void test_vcpu_thread_setup_fails(void)
{
    const AccelOps *ops = accel_find("kvm");
    Error *err = NULL;
    KVMState *s;
    CPUState *cs;

    fake_reset();
    fk.threaded = true;
    fk.create_vcpu_errno = EMFILE;
    s = vm_new();
    accel_set_current(ops);
    cs = make_cpu("qemu64");
    bql_lock();
    g_assert_false(cpus_start_vcpu(cs, &err));
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(error_get_pretty(err), strerror(EMFILE)));
    g_assert_false(cs->created);
    g_assert_null(cs->thread_error);
    error_free(err);
    bql_unlock();
    accel_set_current(NULL);
    vm_free(s);
}

static void test_vcpu_thread_kicks(void)
{
    vcpu_thread_kicks(true);
}

static void test_vcpu_thread_kicks_blocked(void)
{
    vcpu_thread_kicks(false);
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
    /* state everywhere: GPRs, segments, MSRs, upper YMM0, events (the
     * local APIC, TPR included, is its device's: test-apic) */
    ea->regs[R_EBX] = 0xb0b;
    ea->rip = 0x401000;
    ea->segs[R_SS].base = 0x1234;
    ea->lstar = 0xffffffff81800000ull;
    ea->xmm_regs[0].q[2] = 0x77;
    ea->xmm_regs[31].q[7] = 0x88;
    ea->opmask_regs[3] = 0x99;
    ea->fpregs[5].high = 0xc000;
    ea->pkru = 0x55555554;
    x86_rflags_set(ea, 0x8d5);
    ea->nmi_masked = true;
    ea->exception_nr = 6;
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
    g_assert_cmphex(eb->xmm_regs[0].q[2], ==, 0x77);
    g_assert_cmphex(eb->xmm_regs[31].q[7], ==, 0x88);
    g_assert_cmphex(eb->opmask_regs[3], ==, 0x99);
    g_assert_cmphex(eb->fpregs[5].high, ==, 0xc000);
    g_assert_cmphex(eb->pkru, ==, 0x55555554);
    g_assert_cmphex(x86_rflags_get(eb), ==, 0x8d7);
    g_assert_true(eb->nmi_masked == ea->nmi_masked);
    g_assert_cmpint(eb->exception_nr, ==, ea->exception_nr);
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

    memory_region_finalize(&port);    /* also unmaps it */
    memory_region_finalize(&mmio);
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

    memory_region_finalize(&port);
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

    memory_region_finalize(&ram);
    kvm_destroy_vcpu(cs);
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

    memory_region_finalize(&ram);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    main_loop_init();
    memory_map_init();
    kvm_set_host_ops(&fake_ops);
    g_test_add_func("/kvm/vcpu/init", test_vcpu_init);
    g_test_add_func("/kvm/vcpu/feature-warnings", test_feature_warnings);
    g_test_add_func("/kvm/vcpu/msr-refused", test_msr_refused);
    g_test_add_func("/kvm/vcpu/regs-roundtrip", test_regs_roundtrip);
    g_test_add_func("/kvm/vcpu/sync-levels", test_sync_levels);
    g_test_add_func("/kvm/vcpu/thread-kicks", test_vcpu_thread_kicks);
    g_test_add_func("/kvm/vcpu/thread-setup-fails",
                    test_vcpu_thread_setup_fails);
    g_test_add_func("/kvm/vcpu/thread-kicks-no-immediate-exit",
                    test_vcpu_thread_kicks_blocked);
    g_test_add_func("/kvm/vcpu/boot-state", test_boot_state);
    g_test_add_func("/kvm/vcpu/phys-page-debug", test_phys_page_debug);
    g_test_add_func("/kvm/vcpu/vmstate", test_cpu_vmstate);
    g_test_add_func("/kvm/vcpu/xsave-init-state", test_xsave_init_state);
    g_test_add_func("/kvm/exit/dispatch", test_exit_dispatch);
    g_test_add_func("/kvm/exit/run-loop", test_run_loop);
    g_test_add_func("/kvm/gdb/guest-debug", test_guest_debug);
    return g_test_run();
}
