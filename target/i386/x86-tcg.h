/*
 * x86 under TCG: what the translator (translate*.c) and the helpers
 * (*_helper.c, mmu.c) share.  The architectural state is in cpu.h.
 *
 * TB flags (env->hflags, HF_*): everything generated code assumes about
 * the CPU mode.  x86_update_hflags() recomputes them from env; every
 * helper that changes one of their inputs (CR0, CR4, EFER, XCR0, CS/SS/
 * DS/ES loads, RFLAGS.VM/IOPL/TF/AC, CPL) calls it, and the translator
 * ends the TB after such an instruction.
 *
 * MMU indexes: one TLB per privilege and SMAP state (SDM Vol. 3A 4.6):
 *   X86_MMU_KSMAP   supervisor, SMAP enforced when CR4.SMAP (EFLAGS.AC=0,
 *                   and every implicit supervisor access: descriptor
 *                   tables, TSS, interrupt stacks)
 *   X86_MMU_USER    CPL 3
 *   X86_MMU_KNOSMAP supervisor with EFLAGS.AC=1 (SMAP not enforced)
 * Paging off: all three map linear = physical.
 */
#ifndef TARGET_I386_X86_TCG_H
#define TARGET_I386_X86_TCG_H

#include "target/i386/cpu.h"
#include "exec/exec-all.h"
#include "exec/cpu-ldst.h"

/* ---- exception vectors (SDM Vol. 3A 6.3.1) ---- */
enum {
    EXCP00_DIVZ = 0, EXCP01_DB = 1, EXCP02_NMI = 2, EXCP03_INT3 = 3,
    EXCP04_INTO = 4, EXCP05_BOUND = 5, EXCP06_ILLOP = 6, EXCP07_PREX = 7,
    EXCP08_DBLE = 8, EXCP09_XERR = 9, EXCP0A_TSS = 10, EXCP0B_NOSEG = 11,
    EXCP0C_STACK = 12, EXCP0D_GPF = 13, EXCP0E_PAGE = 14, EXCP10_COPR = 16,
    EXCP11_ALGN = 17, EXCP12_MCHK = 18, EXCP13_XMM = 19, EXCP14_VE = 20,
    EXCP15_CP = 21,
};

/* ---- TB flags ---- */
#define HF_CPL_MASK       0x3u
#define HF_PE             (1u << 2)     /* CR0.PE */
#define HF_VM             (1u << 3)     /* RFLAGS.VM (virtual-8086) */
#define HF_CS32           (1u << 4)     /* CS.D: 32-bit code */
#define HF_SS32           (1u << 5)     /* SS.B: 32-bit stack */
#define HF_CS64           (1u << 6)     /* 64-bit mode */
#define HF_LMA            (1u << 7)     /* IA-32e mode */
#define HF_ADDSEG         (1u << 8)     /* DS/ES/SS bases must be added */
#define HF_TF             (1u << 9)     /* single-step trap after each insn */
#define HF_INHIBIT_IRQ    (1u << 10)    /* interrupt shadow (STI, MOV SS) */
#define HF_MP             (1u << 11)    /* CR0.MP */
#define HF_EM             (1u << 12)    /* CR0.EM */
#define HF_TS             (1u << 13)    /* CR0.TS */
#define HF_OSFXSR         (1u << 14)    /* CR4.OSFXSR */
#define HF_AVX_EN         (1u << 15)    /* CR4.OSXSAVE and XCR0 has SSE|YMM */
#define HF_IOPL_SHIFT     16
#define HF_IOPL_MASK      (3u << HF_IOPL_SHIFT)
#define HF_MMU_SHIFT      18
#define HF_MMU_MASK       (3u << HF_MMU_SHIFT)
#define HF_CS_LIMIT       (1u << 20)    /* check EIP against CS.limit */
#define HF_UMIP           (1u << 21)    /* CR4.UMIP */
#define HF_FSGSBASE       (1u << 22)    /* CR4.FSGSBASE */
#define HF_OSXSAVE        (1u << 23)    /* CR4.OSXSAVE */
#define HF_RF             (1u << 24)    /* RFLAGS.RF (resume flag) */
#define HF_SMAP_AC        (1u << 25)    /* CR4.SMAP and CPL<3: AC matters */
#define HF_TSD            (1u << 26)    /* CR4.TSD */
#define HF_PCE            (1u << 27)    /* CR4.PCE */
#define HF_SEGCHK         (1u << 28)    /* protected mode with a data
                                           segment that needs limit/type
                                           checks (not flat, or null) */

enum {
    X86_MMU_KSMAP = 0,
    X86_MMU_USER = 1,
    X86_MMU_KNOSMAP = 2,
    X86_MMU_MODES = 3,
};

/*
 * Lazy condition codes.  cc_op says how CF PF AF ZF SF OF follow from
 * cc_dst (normally the result), cc_src and cc_src2 (see cc_helper.c):
 *   ADD    dst = a + b, src = b               ADC: src2 = carry in
 *   SUB    dst = a - b, src = b               SBB: src2 = borrow in
 *   LOGIC  dst = result (CF = OF = AF = 0)
 *   INC/DEC dst = result, src = CF before (kept)
 *   SHL    dst = result, src = value shifted by count - 1
 *   SAR    dst = result, src = value shifted by count - 1 (right shifts)
 *   MUL    dst = low half, src = nonzero if the result overflowed
 *   BMILG  dst = result, src = the source (CF = src == 0)
 *   POPCNT src = the source (ZF = src == 0, others 0)
 *   ADCX/ADOX/ADCOX: dst = CF, src2 = OF, src = other flags
 *   CLR    ZF = PF = 1, others 0
 *   EFLAGS src = the flags
 * Each sized op comes in B, W, L, Q order.
 */
typedef enum CCOp {
    CC_OP_DYNAMIC = -1,     /* translator only: read env->cc_op */
    /* CC_OP_EFLAGS = 0 is in cpu.h */
    CC_OP_CLR = 1,
    CC_OP_POPCNT,
    CC_OP_ADCX, CC_OP_ADOX, CC_OP_ADCOX,
#define CC_OP_SIZED(x) CC_OP_##x##B, CC_OP_##x##W, CC_OP_##x##L, CC_OP_##x##Q
    CC_OP_SIZED(ADD), CC_OP_SIZED(ADC), CC_OP_SIZED(SUB), CC_OP_SIZED(SBB),
    CC_OP_SIZED(LOGIC), CC_OP_SIZED(INC), CC_OP_SIZED(DEC),
    CC_OP_SIZED(SHL), CC_OP_SIZED(SAR), CC_OP_SIZED(MUL), CC_OP_SIZED(BMILG),
#undef CC_OP_SIZED
    CC_OP_NB,
} CCOp;

static inline CPUX86State *cpu_env_of(CPUState *cs)
{
    return (CPUX86State *)cs->env_ptr;
}

static inline X86CPU *env_archcpu(CPUX86State *env)
{
    return (X86CPU *)((char *)env - offsetof(X86CPU, env));
}

static inline CPUState *env_cpu(CPUX86State *env)
{
    return &env_archcpu(env)->parent_obj;
}

static inline int x86_cpl(const CPUX86State *env)
{
    return env->hflags & HF_CPL_MASK;
}

static inline bool x86_feature(const CPUX86State *env, FeatureWord w,
                               uint32_t bit)
{
    return env->cpuid_cfg.features[w] & bit;
}

/* cc_helper.c */
uint32_t x86_cc_compute_all(uint64_t dst, uint64_t src, uint64_t src2,
                            int op);
uint32_t x86_cc_compute_c(uint64_t dst, uint64_t src, uint64_t src2, int op);
/* write RFLAGS bits in mask (IF/IOPL/VM... rules are the caller's) */
void x86_write_eflags(CPUX86State *env, uint64_t val, uint64_t mask);

/* tcg-cpu.c */
void x86_update_hflags(CPUX86State *env);
int x86_mmu_index_of(const CPUX86State *env);
void x86_tcg_initialize(void);
void x86_translate_code(CPUState *cs, TranslationBlock *tb, int *max_insns,
                        vaddr pc, void *host_pc);
extern const TCGCPUOps x86_tcg_ops;
void x86_cpu_init_received(X86CPU *cpu);
void x86_cpu_sipi_received(X86CPU *cpu);
/* TCG-only derived state (hflags, df, float_status) after a state load */
void x86_cpu_tcg_reset(X86CPU *cpu);

/* excp_helper.c: raise an exception (does not return).  ra: host return
 * address for state restore (0: env is already exact). */
G_NORETURN void x86_raise_exception(CPUX86State *env, int vector);
G_NORETURN void x86_raise_exception_err(CPUX86State *env, int vector,
                                        uint32_t error_code);
G_NORETURN void x86_raise_exception_ra(CPUX86State *env, int vector,
                                       uintptr_t ra);
G_NORETURN void x86_raise_exception_err_ra(CPUX86State *env, int vector,
                                           uint32_t error_code, uintptr_t ra);
/* software interrupt (INT n, INT3, INTO) ending at next_rip */
G_NORETURN void x86_raise_interrupt(CPUX86State *env, int vector,
                                    uint64_t next_rip);

/* seg_helper.c */
void x86_cpu_do_interrupt(CPUState *cs);
bool x86_cpu_exec_interrupt(CPUState *cs, int request);
void x86_load_seg_cache(CPUX86State *env, int seg, uint32_t sel,
                        uint64_t base, uint32_t limit, uint32_t flags);
void x86_load_seg(CPUX86State *env, int seg, uint32_t sel, uintptr_t ra);
/* descriptor fields from its two dwords */
static inline uint64_t x86_desc_base(uint32_t e1, uint32_t e2)
{
    return (e1 >> 16) | ((e2 & 0xff) << 16) | (e2 & 0xff000000);
}
static inline uint32_t x86_desc_limit(uint32_t e1, uint32_t e2)
{
    uint32_t limit = (e1 & 0xffff) | (e2 & 0x000f0000);

    return (e2 & DESC_G_MASK) ? (limit << 12) | 0xfff : limit;
}

/* mmu.c */
bool x86_cpu_tlb_fill(CPUState *cs, vaddr addr, int size,
                      MMUAccessType access_type, int mmu_idx, bool probe,
                      uintptr_t retaddr);
hwaddr x86_cpu_get_phys_page_debug(CPUState *cs, vaddr addr);
bool x86_cpu_set_cr0(CPUX86State *env, uint64_t val);
bool x86_cpu_set_cr3(CPUX86State *env, uint64_t val);
bool x86_cpu_set_cr4(CPUX86State *env, uint64_t val);
bool x86_cpu_set_efer(CPUX86State *env, uint64_t val);

/* misc_helper.c */
void x86_cpu_set_tsc(CPUX86State *env, uint64_t tsc);
uint64_t x86_cpu_get_tsc(CPUX86State *env);
void x86_update_mxcsr_status(CPUX86State *env);
void x86_update_fpu_status(CPUX86State *env);
/* fault now, before any side effect, if [a0, a0+len) is not accessible */
void x86_probe_range(CPUX86State *env, uint64_t a0, unsigned len,
                     MMUAccessType type, int idx, uintptr_t ra);

#endif
