/*
 * The generic guest CPU.
 *
 * Each target defines its CPU object as
 *
 *     struct ArchCPU {
 *         CPUState parent_obj;
 *         CPUNegativeOffsetState neg;   // TCG's TLB, right before env
 *         CPUArchState env;             // registers the translator uses
 *         ...
 *     };
 *
 * and sets cpu->env_ptr / cpu->neg_ptr in its instance_init.  Accelerators
 * drive a CPUState through CPUClass hooks; they never look inside env
 * except through the target's own TCG/KVM glue.
 *
 * Threading: one host thread per vCPU.  Fields marked (atomic) may be
 * written by other threads; the rest belong to the vCPU thread, or to
 * anyone holding the big lock while the vCPU is stopped.
 */
#ifndef HW_CORE_CPU_H
#define HW_CORE_CPU_H

#include "hw/core/qdev.h"
#include "exec/memory.h"
#include "exec/tlb-common.h"
#include <setjmp.h>

#define TYPE_CPU "cpu"

typedef struct CPUState CPUState;
typedef struct CPUClass CPUClass;
typedef struct TCGCPUOps TCGCPUOps;
typedef struct AccelCPUState AccelCPUState;
typedef struct TranslationBlock TranslationBlock;
typedef uint64_t vaddr;

/* interrupt_request bits.  TGT_* are the target's own lines. */
#define CPU_INTERRUPT_HARD        0x0002   /* IRQ */
#define CPU_INTERRUPT_EXITTB      0x0004   /* leave the TB (state changed) */
#define CPU_INTERRUPT_HALT        0x0020
#define CPU_INTERRUPT_DEBUG       0x0080
#define CPU_INTERRUPT_RESET       0x0400
#define CPU_INTERRUPT_TGT_EXT_0   0x0008   /* ARM: FIQ;   x86: -   */
#define CPU_INTERRUPT_TGT_EXT_1   0x0010   /* ARM: VIRQ;  x86: NMI */
#define CPU_INTERRUPT_TGT_EXT_2   0x0040   /* ARM: VFIQ;  x86: SMI */
#define CPU_INTERRUPT_TGT_EXT_3   0x0200   /* ARM: VSERR; x86: INIT */
#define CPU_INTERRUPT_TGT_EXT_4   0x1000   /* x86: SIPI */
#define CPU_INTERRUPT_TGT_INT_0   0x0100
#define CPU_INTERRUPT_TGT_INT_1   0x0800
#define CPU_INTERRUPT_TGT_INT_2   0x2000

/* cpu->exception_index values shared by every target */
#define EXCP_INTERRUPT  0x10000   /* async interruption */
#define EXCP_HLT        0x10001   /* hlt/wfi: halt until an interrupt */
#define EXCP_DEBUG      0x10002   /* breakpoint / single step for gdb */
#define EXCP_HALTED     0x10003
#define EXCP_YIELD      0x10004   /* let another vCPU run */
#define EXCP_ATOMIC     0x10005   /* run one insn exclusively */

typedef union {
    int host_int;
    unsigned long host_ulong;
    void *host_ptr;
    vaddr target_ptr;
} run_on_cpu_data;
#define RUN_ON_CPU_HOST_PTR(p) ((run_on_cpu_data){ .host_ptr = (p) })
#define RUN_ON_CPU_HOST_INT(i) ((run_on_cpu_data){ .host_int = (i) })
#define RUN_ON_CPU_HOST_ULONG(u) ((run_on_cpu_data){ .host_ulong = (u) })
#define RUN_ON_CPU_TARGET_PTR(v) ((run_on_cpu_data){ .target_ptr = (v) })
#define RUN_ON_CPU_NULL RUN_ON_CPU_HOST_PTR(NULL)
typedef void (*run_on_cpu_func)(CPUState *cpu, run_on_cpu_data data);

typedef struct CPUWorkItem CPUWorkItem;

#define CPU_DUMP_FPU   (1 << 0)
#define CPU_DUMP_CCOP  (1 << 1)
#define CPU_DUMP_CODE  (1 << 2)

struct CPUClass {
    DeviceClass parent_class;

    /* -cpu NAME -> class; NULL if not a model of this target */
    ObjectClass *(*class_by_name)(const char *cpu_model);
    bool (*has_work)(CPUState *cpu);
    void (*dump_state)(CPUState *cpu, FILE *f, int flags);
    void (*set_pc)(CPUState *cpu, vaddr pc);
    vaddr (*get_pc)(CPUState *cpu);
    /* the monitor's $NAME in expressions: a register by its lower-case
     * name (state already synchronised); false if there is none */
    bool (*monitor_get_register)(CPUState *cpu, const char *name,
                                 uint64_t *value);
    /* debugger/monitor: virtual -> physical, -1 if unmapped */
    hwaddr (*get_phys_page_debug)(CPUState *cpu, vaddr addr);

    /* gdb stub: the registers as gdb sees them (exec/gdbstub.h) */
    const struct GDBArch *gdb_arch;

    /* capstone architecture/mode for -d in_asm */
    int disas_cs_arch;
    int disas_cs_mode;

    const TCGCPUOps *tcg_ops;     /* NULL: the target has no TCG support */
};

struct CPUState {
    DeviceState parent_obj;

    int cpu_index;
    uint64_t mp_affinity;        /* board-assigned id (MPIDR, APIC id) */
    void *env_ptr;               /* CPUArchState */
    CPUNegativeOffsetState *neg_ptr;

    /* thread */
    pthread_t thread;
    bool thread_created;
    pthread_cond_t halt_cond;
    bool created;
    Error *thread_error;         /* set-up failed (cpu_thread_signal_failed) */
    bool stop;                   /* request to stop, set under the BQL */
    bool stopped;
    bool unplug;
    uint32_t halted;             /* (atomic) waiting for an interrupt */
    int running;                 /* (atomic) executing guest code */
    bool has_waiter;             /* an exclusive section waits for us */
    bool crash_occurred;

    /* requests from other threads */
    uint32_t interrupt_request;  /* (atomic) CPU_INTERRUPT_* */
    int exit_request;            /* (atomic) leave the execution loop */
    pthread_mutex_t work_mutex;
    GQueue work_list;            /* of CPUWorkItem* */

    /* memory */
    AddressSpace *as;            /* what this CPU's physical accesses see */
    MemoryRegion *memory;

    /* execution (TCG) */
    sigjmp_buf jmp_env;
    int exception_index;
    int singlestep_enabled;      /* gdb single step */
    bool can_do_io;
    uint32_t cflags_next_tb;     /* -1: none */
    AccelCPUState *accel;        /* the accelerator's per-vCPU state */

    /* KVM */
    int kvm_fd;
    struct kvm_run *kvm_run;
    bool vcpu_dirty;             /* CPUState newer than the kernel's copy */

    /* gdb stub breakpoints (TCG checks them when translating) */
    GArray *breakpoints;         /* of vaddr */
    bool watchpoint_hit;         /* the last EXCP_DEBUG was a watchpoint: */
    vaddr watchpoint_addr;       /*   the address it watches */
    int watchpoint_type;         /*   gdb's Z type: 2 write, 3 read, 4 access */

};

DECLARE_INSTANCE_CHECKER(CPUState, CPU, TYPE_CPU)
DECLARE_CLASS_CHECKERS(CPUClass, CPU, TYPE_CPU)

/* ---- the CPU list ---- */
extern GPtrArray *cpus_list;     /* CPUState *, in cpu_index order */
#define CPU_FOREACH(cpu)                                                   \
    for (guint _cpu_i = 0;                                                 \
         cpus_list && _cpu_i < cpus_list->len &&                           \
         ((cpu) = g_ptr_array_index(cpus_list, _cpu_i), 1); _cpu_i++)
CPUState *qemu_get_cpu(int index);
static inline CPUState *first_cpu_get(void)
{
    return cpus_list && cpus_list->len ? g_ptr_array_index(cpus_list, 0) : NULL;
}
/* The CPU whose thread is running this code, or NULL. */
extern __thread CPUState *current_cpu;

/*
 * Create a CPU of the type named by a -cpu string for this target, plug it
 * into the machine and start its vCPU thread (stopped until vm_start).
 */
CPUState *cpu_create(const char *typename, Error **errp);

/* ---- requests ---- */
void cpu_interrupt(CPUState *cpu, int mask);
void cpu_reset_interrupt(CPUState *cpu, int mask);
/* Leave guest code as soon as possible (TB boundary / KVM exit). */
void cpu_exit(CPUState *cpu);
/* Wake the vCPU thread (from halt, or out of guest code). */
void qemu_cpu_kick(CPUState *cpu);
bool qemu_cpu_is_self(CPUState *cpu);
void cpu_reset(CPUState *cpu);
bool cpu_has_work(CPUState *cpu);
void cpu_dump_state(CPUState *cpu, FILE *f, int flags);

/* Run func on cpu's thread and wait (caller holds the BQL). */
void run_on_cpu(CPUState *cpu, run_on_cpu_func func, run_on_cpu_data data);
/* Queue func on cpu's thread; return at once. */
void async_run_on_cpu(CPUState *cpu, run_on_cpu_func func,
                      run_on_cpu_data data);
/* Queue func to run while every vCPU is outside guest code. */
void async_safe_run_on_cpu(CPUState *cpu, run_on_cpu_func func,
                           run_on_cpu_data data);
/* Called by vCPU threads to run queued work (BQL held). */
void process_queued_cpu_work(CPUState *cpu);

/* ---- exclusive sections (TCG: TB flush, atomics fallback) ---- */
void start_exclusive(void);
void end_exclusive(void);
void cpu_exec_start(CPUState *cpu);
void cpu_exec_end(CPUState *cpu);

/* Physical/virtual memory access for gdb and the monitor. */
int cpu_memory_rw_debug(CPUState *cpu, vaddr addr, void *buf, size_t len,
                        bool is_write);

#endif
