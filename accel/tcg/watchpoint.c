/*
 * gdb watchpoints under TCG (Z2 write, Z3 read, Z4 access), through the
 * softmmu TLB: a page that holds a watched byte gets TLB_WATCHPOINT in
 * its read and write entries, so every data access to it misses the
 * fast path, and the slow path (cputlb.c) asks tcg_check_watchpoint()
 * whether the access touches a watched range.  Other pages run at full
 * speed.  Instruction fetches never trigger.
 *
 * When one does, the vCPU stops for gdb where the architecture's gdb
 * expects it (GDBArch.watchpoint_stop_before):
 *  - before the access (AArch64: gdb steps over the instruction itself):
 *    the state is restored to the instruction and EXCP_DEBUG raised;
 *  - after the instruction (x86: data breakpoints are traps): the
 *    instruction is run again alone (a one-instruction TB, no interrupt,
 *    no chaining) with watchpoints ignored, and cpu_exec reports
 *    EXCP_DEBUG after it.
 * cpu->watchpoint_hit/addr/type tell the gdb stub which one hit.
 *
 * The list is global (gdb's watchpoints apply to every vCPU): changed by
 * the gdb stub (main loop) under wp_lock, read by vCPUs in the slow path
 * under the same lock.  After a change every vCPU's TLB is flushed, which
 * takes effect before it runs more guest code.
 */
#include "internal.h"
#include "exec/gdbstub.h"

#define TCG_MAX_WATCHPOINTS 64
#define TCG_MAX_WATCH_LEN   4096       /* gdb splits larger objects */

typedef struct Watchpoint {
    vaddr addr;
    vaddr len;
    int type;                          /* 2 write, 3 read, 4 access */
} Watchpoint;

static pthread_mutex_t wp_lock = PTHREAD_MUTEX_INITIALIZER;
static Watchpoint wps[TCG_MAX_WATCHPOINTS];
static int nb_wps;                     /* (atomic for the lock-free test) */

static bool ranges_overlap(vaddr a, vaddr alen, vaddr b, vaddr blen)
{
    /* [a, a+alen) and [b, b+blen), without overflowing at the top */
    return a <= b + (blen - 1) && b <= a + (alen - 1);
}

static void flush_all_tlbs(void)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        if (cpu->accel) {
            tlb_flush(cpu);
        }
    }
}

int tcg_watchpoint_insert(vaddr addr, vaddr len, int type)
{
    int r = 0;

    if (len == 0 || len > TCG_MAX_WATCH_LEN || addr + (len - 1) < addr) {
        return -EINVAL;
    }
    pthread_mutex_lock(&wp_lock);
    if (nb_wps == TCG_MAX_WATCHPOINTS) {
        r = -ENOSPC;
    } else {
        wps[nb_wps] = (Watchpoint){ addr, len, type };
        __atomic_store_n(&nb_wps, nb_wps + 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&wp_lock);
    if (!r) {
        flush_all_tlbs();
    }
    return r;
}

int tcg_watchpoint_remove(vaddr addr, vaddr len, int type)
{
    int r = -ENOENT;

    pthread_mutex_lock(&wp_lock);
    for (int i = 0; i < nb_wps; i++) {
        if (wps[i].addr == addr && wps[i].len == len && wps[i].type == type) {
            wps[i] = wps[nb_wps - 1];
            __atomic_store_n(&nb_wps, nb_wps - 1, __ATOMIC_RELEASE);
            r = 0;
            break;
        }
    }
    pthread_mutex_unlock(&wp_lock);
    if (!r) {
        flush_all_tlbs();
    }
    return r;
}

void tcg_watchpoint_remove_all(void)
{
    pthread_mutex_lock(&wp_lock);
    __atomic_store_n(&nb_wps, 0, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&wp_lock);
    flush_all_tlbs();
}

bool tcg_watchpoint_in_page(vaddr page, vaddr size)
{
    bool found = false;

    if (!__atomic_load_n(&nb_wps, __ATOMIC_ACQUIRE)) {
        return false;
    }
    pthread_mutex_lock(&wp_lock);
    for (int i = 0; i < nb_wps && !found; i++) {
        found = ranges_overlap(page, size, wps[i].addr, wps[i].len);
    }
    pthread_mutex_unlock(&wp_lock);
    return found;
}

static bool type_matches(int wp_type, MMUAccessType access)
{
    switch (wp_type) {
    case 2:
        return access == MMU_DATA_STORE;
    case 3:
        return access == MMU_DATA_LOAD;
    default:
        return true;
    }
}

void tcg_check_watchpoint(CPUState *cpu, vaddr addr, vaddr len,
                          MMUAccessType access, uintptr_t ra)
{
    const GDBArch *arch = CPU_GET_CLASS(cpu)->gdb_arch;
    Watchpoint hit = { 0 };
    bool found = false;

    /* ra 0: not from guest code (e.g. an exception entry's stack
     * pushes), which cannot be stopped half way; and the re-run of the
     * instruction that hit must not hit again */
    if (access == MMU_INST_FETCH || !ra || cpu->accel->watchpoint_after) {
        return;
    }
    pthread_mutex_lock(&wp_lock);
    for (int i = 0; i < nb_wps; i++) {
        if (type_matches(wps[i].type, access) &&
            ranges_overlap(addr, len, wps[i].addr, wps[i].len)) {
            hit = wps[i];
            found = true;
            break;
        }
    }
    pthread_mutex_unlock(&wp_lock);
    if (!found) {
        return;
    }
    cpu->watchpoint_hit = true;
    cpu->watchpoint_addr = hit.addr;
    cpu->watchpoint_type = hit.type;
    if (arch && arch->watchpoint_stop_before) {
        cpu->exception_index = EXCP_DEBUG;
        cpu_loop_exit_restore(cpu, ra);
    }
    cpu_restore_state(cpu, ra);
    cpu->cflags_next_tb = (curr_cflags(cpu) & ~CF_COUNT_MASK) | CF_NOIRQ |
                          CF_NOCHAIN | 1;
    cpu->accel->watchpoint_after = true;
    cpu_loop_exit_noexc(cpu);
}
