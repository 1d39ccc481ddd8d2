/*
 * gdb under KVM on x86: breakpoints, watchpoints and single step through
 * KVM_SET_GUEST_DEBUG, and KVM_EXIT_DEBUG.
 */
#include "turtle/osdep.h"
#include "target/i386/kvm-x86.h"
#include "sysemu/cpus.h"

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

void kvm_x86_update_guest_debug(CPUState *cs)
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

