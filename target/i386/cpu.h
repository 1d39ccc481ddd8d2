/*
 * x86-64 guest CPU: architectural state, CPU models and CPUID.
 *
 * The CPU object ("x86_64-cpu", abstract; models "qemu64-x86_64-cpu",
 * "max-x86_64-cpu", "host-x86_64-cpu" (KVM only), "Skylake-Client-x86_64-cpu",
 * "EPYC-x86_64-cpu") is used by both accelerators: KVM converts env to and
 * from the kernel's structures (target/i386/kvm-state.c), TCG runs on it.
 *
 * Board interface:
 *   cs->mp_affinity / cpu->apic_id: the initial APIC id (= cpu_index)
 *   reset: architectural power-on state (cpu_index 0 is the BSP); a board
 *          with a direct-boot entry state applies it afterwards with
 *          x86_cpu_apply_boot_state()
 *   -cpu NAME,+feat,-feat,feat=on|off: MachineState.cpu_options, parsed
 *          at realize (unknown feature names are an error)
 *
 * Segment attributes (SegmentCache.flags) use the layout of a descriptor's
 * second dword: type 11:8, S 12, DPL 14:13, P 15, AVL 20, L 21, D/B 22,
 * G 23 (SDM Vol. 3A 3.4.5); the same layout as X86BootSegment.flags.
 */
#ifndef TARGET_I386_CPU_H
#define TARGET_I386_CPU_H

#include "turtle/osdep.h"
#include "hw/core/cpu.h"
#include "fpu/softfloat.h"

#define TYPE_X86_CPU "x86_64-cpu"
#define X86_CPU_TYPE_SUFFIX "-x86_64-cpu"

/* ---- registers ---- */
enum {
    R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI,
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
    CPU_NB_REGS
};

enum { R_ES, R_CS, R_SS, R_DS, R_FS, R_GS, R_NB_SEGS };

#define DESC_TYPE_SHIFT 8
#define DESC_S_MASK     (1u << 12)
#define DESC_DPL_SHIFT  13
#define DESC_P_MASK     (1u << 15)
#define DESC_AVL_MASK   (1u << 20)
#define DESC_L_MASK     (1u << 21)
#define DESC_B_MASK     (1u << 22)
#define DESC_G_MASK     (1u << 23)

#define CR0_PE_MASK  (1u << 0)
#define CR0_MP_MASK  (1u << 1)
#define CR0_EM_MASK  (1u << 2)
#define CR0_TS_MASK  (1u << 3)
#define CR0_ET_MASK  (1u << 4)
#define CR0_NE_MASK  (1u << 5)
#define CR0_WP_MASK  (1u << 16)
#define CR0_AM_MASK  (1u << 18)
#define CR0_NW_MASK  (1u << 29)
#define CR0_CD_MASK  (1u << 30)
#define CR0_PG_MASK  (1u << 31)

#define CR4_VME_MASK     (1u << 0)
#define CR4_PVI_MASK     (1u << 1)
#define CR4_TSD_MASK     (1u << 2)
#define CR4_DE_MASK      (1u << 3)
#define CR4_PSE_MASK     (1u << 4)
#define CR4_PAE_MASK     (1u << 5)
#define CR4_MCE_MASK     (1u << 6)
#define CR4_PGE_MASK     (1u << 7)
#define CR4_PCE_MASK     (1u << 8)
#define CR4_OSFXSR_MASK  (1u << 9)
#define CR4_OSXMMEXCPT_MASK (1u << 10)
#define CR4_UMIP_MASK    (1u << 11)
#define CR4_LA57_MASK    (1u << 12)
#define CR4_VMXE_MASK    (1u << 13)
#define CR4_SMXE_MASK    (1u << 14)
#define CR4_FSGSBASE_MASK (1u << 16)
#define CR4_PCIDE_MASK   (1u << 17)
#define CR4_OSXSAVE_MASK (1u << 18)
#define CR4_SMEP_MASK    (1u << 20)
#define CR4_SMAP_MASK    (1u << 21)
#define CR4_PKE_MASK     (1u << 22)

#define EFER_SCE   (1u << 0)
#define EFER_LME   (1u << 8)
#define EFER_LMA   (1u << 10)
#define EFER_NXE   (1u << 11)
#define EFER_SVME  (1u << 12)
#define EFER_FFXSR (1u << 14)

#define RFLAGS_IF  (1u << 9)

#define MSR_IA32_TSC              0x00000010
#define MSR_IA32_APICBASE         0x0000001b
#define MSR_IA32_FEATURE_CONTROL  0x0000003a
#define MSR_IA32_TSC_ADJUST       0x0000003b
#define MSR_IA32_SYSENTER_CS      0x00000174
#define MSR_IA32_SYSENTER_ESP     0x00000175
#define MSR_IA32_SYSENTER_EIP     0x00000176
#define MSR_IA32_MISC_ENABLE      0x000001a0
#define MSR_PAT                   0x00000277
#define MSR_EFER                  0xc0000080
#define MSR_STAR                  0xc0000081
#define MSR_LSTAR                 0xc0000082
#define MSR_CSTAR                 0xc0000083
#define MSR_FMASK                 0xc0000084
#define MSR_FSBASE                0xc0000100
#define MSR_GSBASE                0xc0000101
#define MSR_KERNELGSBASE          0xc0000102
#define MSR_TSC_AUX               0xc0000103
#define MSR_VM_HSAVE_PA           0xc0010117
#define MSR_IA32_SPEC_CTRL        0x00000048
#define MSR_IA32_PRED_CMD         0x00000049
#define MSR_IA32_UCODE_REV        0x0000008b
#define MSR_IA32_ARCH_CAPABILITIES 0x0000010a
#define MSR_MTRRcap               0x000000fe
#define MSR_MTRRphysBase0         0x00000200
#define MSR_MTRRfix64K_00000      0x00000250
#define MSR_MTRRfix16K_80000      0x00000258
#define MSR_MTRRfix16K_A0000      0x00000259
#define MSR_MTRRfix4K_C0000       0x00000268
#define MSR_MTRRdefType           0x000002ff
#define MSR_MCG_CAP               0x00000179
#define MSR_MCG_STATUS            0x0000017a
#define MSR_IA32_PERF_STATUS      0x00000198
#define MSR_IA32_BNDCFGS          0x00000d90
#define MSR_IA32_XSS              0x00000da0
#define MSR_IA32_PKRS             0x000006e1
#define MSR_TSC_DEADLINE          0x000006e0
#define MSR_X2APIC_FIRST          0x00000800
#define MSR_X2APIC_LAST           0x000008ff
#define MSR_K7_HWCR               0xc0010015
#define MSR_K7_EVNTSEL0           0xc0010000  /* ..3, then PERFCTR0..3 */
#define MSR_K7_PERFCTR3           0xc0010007
#define MSR_K8_SYSCFG             0xc0010010
#define MSR_K8_INT_PENDING_MSG    0xc0010055  /* C1E on erratum-400 parts */
#define MSR_AMD64_DE_CFG          0xc0011029
#define MSR_AMD64_PATCH_LEVEL     0x0000008b

#define MSR_IA32_APICBASE_BSP     (1u << 8)
#define MSR_IA32_APICBASE_ENABLE  (1u << 11)
#define APIC_DEFAULT_ADDRESS      0xfee00000u
#define MSR_IA32_MISC_ENABLE_DEFAULT  1   /* fast strings */
#define PAT_POWER_ON_VALUE        UINT64_C(0x0007040600070406)

/* XCR0 components (SDM Vol. 1 13.1) */
#define XSTATE_FP      (1u << 0)
#define XSTATE_SSE     (1u << 1)
#define XSTATE_YMM     (1u << 2)
#define XSTATE_BNDREGS (1u << 3)
#define XSTATE_BNDCSR  (1u << 4)
#define XSTATE_OPMASK  (1u << 5)
#define XSTATE_ZMM_HI256 (1u << 6)
#define XSTATE_HI16_ZMM  (1u << 7)
#define XSTATE_PKRU    (1u << 9)
#define X86_NESTED_STATE_MAX 16384

typedef struct SegmentCache {
    uint32_t selector;
    uint64_t base;
    uint32_t limit;
    uint32_t flags;
} SegmentCache;

/* ---- CPUID feature words ---- */
typedef enum FeatureWord {
    FEAT_1_EDX,         /* CPUID[1].EDX */
    FEAT_1_ECX,         /* CPUID[1].ECX */
    FEAT_7_0_EBX,       /* CPUID[EAX=7,ECX=0].EBX */
    FEAT_7_0_ECX,
    FEAT_7_0_EDX,
    FEAT_7_1_EAX,       /* CPUID[EAX=7,ECX=1].EAX */
    FEAT_8000_0001_EDX,
    FEAT_8000_0001_ECX,
    FEAT_8000_0007_EDX,
    FEAT_8000_0008_EBX,
    FEAT_XSAVE,         /* CPUID[EAX=0xd,ECX=1].EAX */
    FEAT_6_EAX,
    FEAT_SVM,           /* CPUID[0x8000000A].EDX */
    FEAT_KVM,           /* CPUID[0x40000001].EAX */
    FEATURE_WORDS,
} FeatureWord;

typedef uint32_t FeatureWordArray[FEATURE_WORDS];

/* The bits other code tests by name. */
#define CPUID_1_EDX_FPU    (1u << 0)
#define CPUID_1_EDX_TSC    (1u << 4)
#define CPUID_1_EDX_APIC   (1u << 9)
#define CPUID_1_EDX_HTT    (1u << 28)
#define CPUID_1_ECX_VMX    (1u << 5)
#define CPUID_1_ECX_X2APIC (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_1_ECX_XSAVE  (1u << 26)
#define CPUID_1_ECX_OSXSAVE (1u << 27)
#define CPUID_1_ECX_AVX    (1u << 28)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_7_0_EBX_MPX      (1u << 14)
#define CPUID_7_0_EBX_AVX512F  (1u << 16)
#define CPUID_7_0_ECX_PKU      (1u << 3)
#define CPUID_7_0_ECX_OSPKE    (1u << 4)
#define CPUID_8000_0001_ECX_CMP_LEGACY (1u << 1)
#define CPUID_8000_0001_ECX_SVM (1u << 2)
#define CPUID_8000_0001_EDX_LM  (1u << 29)
#define CPUID_SVM_NPT           (1u << 0)

/* ---- CPUID tables ---- */
#define X86_CPUID_MAX_ENTRIES 256   /* = KVM_MAX_CPUID_ENTRIES */
#define X86_CPUID_FLAG_INDEXED 1u  /* = KVM_CPUID_FLAG_SIGNIFCANT_INDEX */

typedef struct X86CPUIDEntry {
    uint32_t function, index, flags;
    uint32_t eax, ebx, ecx, edx;
} X86CPUIDEntry;

typedef struct X86CPUIDTable {
    int nent;
    X86CPUIDEntry e[X86_CPUID_MAX_ENTRIES];
} X86CPUIDTable;

/* What cpuid.c needs to build the leaves of one vCPU. */
typedef struct X86CPUIDConfig {
    char vendor[13];            /* "GenuineIntel", "AuthenticAMD" */
    uint32_t family, model, stepping;
    char model_id[49];          /* brand string */
    uint32_t level;             /* highest basic leaf */
    uint32_t xlevel;            /* highest extended leaf (0x800000xx) */
    FeatureWordArray features;
    uint32_t phys_bits, virt_bits;
    /* topology of one package: threads per core, cores per package */
    unsigned threads, cores;
    uint32_t apic_id;
    bool kvm;                   /* add the KVM paravirt leaves 0x40000000.. */
} X86CPUIDConfig;

/* A named model's definition. */
typedef struct X86CPUModel {
    const char *name;
    const char *desc;
    const char *vendor;
    uint32_t family, model, stepping;
    uint32_t level, xlevel;
    const char *model_id;
    FeatureWordArray features;
    /* host/max: take every feature the accelerator supports */
    bool all_supported;
    bool kvm_only;
} X86CPUModel;

/* AMD repeats these CPUID.01H:EDX bits in CPUID.80000001H:EDX. */
#define AMD_EDX_ALIASES 0x0183f3ffu

/* -cpu ...,+feat,-feat,feat=on|off */
typedef struct X86FeatureRequest {
    FeatureWordArray plus;
    FeatureWordArray minus;
    /* vendor=, family=, model=, stepping=, model-id=, phys-bits=,
     * level=, xlevel= (0 / "" / -1: not given) */
    char vendor[13];
    char model_id[49];
    int family, model, stepping;
    uint32_t phys_bits, level, xlevel;
} X86FeatureRequest;

/* ---- cpuid.c ---- */
const char *x86_feature_name(FeatureWord w, int bit);
/* Look a feature up by name ("sse4.2", "sse4_2" and "sse4-2" all match). */
bool x86_feature_lookup(const char *name, FeatureWord *w, int *bit);
/* Parse "+a,-b,c=on,d=off,family=6,..." (NULL or "" is fine);
 * initialises *req. */
bool x86_parse_features(const char *opts, X86FeatureRequest *req,
                        Error **errp);
/* cfg from a model definition and the request (no host filtering). */
void x86_cpuid_config_from_model(X86CPUIDConfig *cfg, const X86CPUModel *m,
                                 const X86FeatureRequest *req);
/* -cpu host / max under KVM: take vendor, signature and every feature
 * of the host's supported set, then apply the request. */
void x86_cpuid_config_from_host(X86CPUIDConfig *cfg,
                                const X86CPUIDTable *supported,
                                const X86FeatureRequest *req);
/*
 * Drop what the host cannot give.  VMX/SVM stay only if explicitly
 * requested (+vmx/+svm) or the model takes everything (allow_nested).
 * Returns the names of the dropped requested features (NULL-terminated,
 * g_strfreev) so the caller can warn "host doesn't support requested
 * feature: CPUID.01H:ECX.vmx [bit 5]".
 */
char **x86_cpuid_filter(X86CPUIDConfig *cfg, const X86CPUIDTable *supported,
                        const X86FeatureRequest *req, bool allow_nested);
/* The leaves the guest sees. */
void x86_cpuid_build(const X86CPUIDConfig *cfg, X86CPUIDTable *out);
const X86CPUIDEntry *x86_cpuid_find(const X86CPUIDTable *t, uint32_t fn,
                                    uint32_t index);
/* The CPUID register that holds feature word w (for messages and tests). */
uint32_t x86_feature_word_get(const X86CPUIDTable *t, FeatureWord w);
const char *x86_feature_word_desc(FeatureWord w);
/* XCR0 bits the features allow, and the XSAVE area size they need. */
uint64_t x86_cpuid_xcr0_mask(const FeatureWordArray f);
uint32_t x86_xsave_size(uint64_t xcr0);
const X86CPUModel *x86_cpu_model_find(const char *name);
extern const X86CPUModel x86_cpu_models[];
/* the features of -cpu max under TCG */
extern const FeatureWordArray x86_tcg_max_features;
extern const int x86_cpu_models_count;

/* ---- architectural state ---- */

/* RFLAGS bits (SDM Vol. 1 3.4.3) */
#define CC_C   0x0001u
#define CC_P   0x0004u
#define CC_A   0x0010u
#define CC_Z   0x0040u
#define CC_S   0x0080u
#define RFLAGS_TF   0x0100u
#define RFLAGS_DF   0x0400u
#define CC_O   0x0800u
#define RFLAGS_IOPL 0x3000u
#define RFLAGS_NT   0x4000u
#define RFLAGS_RF   0x10000u
#define RFLAGS_VM   0x20000u
#define RFLAGS_AC   0x40000u
#define RFLAGS_VIF  0x80000u
#define RFLAGS_VIP  0x100000u
#define RFLAGS_ID   0x200000u
/* the six arithmetic flags TCG computes lazily (cc_op & co.) */
#define CC_MASK (CC_C | CC_P | CC_A | CC_Z | CC_S | CC_O)

/*
 * How TCG keeps the arithmetic flags: CC_OP_EFLAGS means cc_src holds
 * them as RFLAGS bits.  The translator adds the lazy operations (the
 * flags of the last flag-setting instruction, from its result and
 * operands) in target/i386/cc_helper.c; everything else sees RFLAGS
 * through x86_rflags_get/x86_rflags_set.
 */
enum {
    CC_OP_EFLAGS = 0,
};

/* MPX bound register (SDM Vol. 1 17.3) */
typedef struct X86BNDReg {
    uint64_t lb, ub;
} X86BNDReg;

/* One vector register: XMM (bits 127:0), YMM (255:0), ZMM (511:0). */
typedef union X86ZMMReg {
    uint8_t b[64];
    uint16_t w[32];
    uint32_t l[16];
    uint64_t q[8];
} X86ZMMReg;

/*
 * A vCPU's run state (SDM Vol. 3A 8.4, 10.6.1): executing, halted by HLT,
 * an AP after RESET (it waits for INIT), after INIT (it waits for a
 * SIPI), or with a SIPI taken but not yet started (starts at
 * sipi_vector << 12).  Converted to KVM_MP_STATE_* only in kvm-state.c.
 */
typedef struct CPUArchState CPUX86State;

typedef enum X86MPState {
    X86_MP_RUNNABLE = 0,
    X86_MP_HALTED = 1,
    X86_MP_WAIT_FOR_INIT = 2,
    X86_MP_WAIT_FOR_SIPI = 3,
    X86_MP_SIPI_RECEIVED = 4,
} X86MPState;

#define MTRR_VAR_COUNT   8
#define MTRR_FIXED_COUNT 11     /* 64K_00000, 16K_80000/A0000, 4K_C0000.. */

typedef struct CPUArchState {
    /* ---- integer unit ---- */
    uint64_t regs[CPU_NB_REGS];
    uint64_t rip;
    /*
     * RFLAGS; under TCG its CF PF AF ZF SF OF bits are stale and the
     * current values come from cc_op/cc_dst/cc_src/cc_src2.  Read and write
     * the whole register with x86_rflags_get/x86_rflags_set; the other bits
     * (IF, DF, TF, IOPL...) may be used directly.
     */
    uint64_t rflags;
    uint32_t cc_op;
    uint64_t cc_dst, cc_src, cc_src2;

    /* ---- system registers ---- */
    SegmentCache segs[R_NB_SEGS];    /* FS/GS base: the FS_BASE/GS_BASE MSRs */
    SegmentCache ldt, tr, gdt, idt;  /* gdt/idt: base and limit only */
    uint64_t cr[5];                  /* CR0, (CR1 reserved), CR2, CR3, CR4;
                                        CR8 is the local APIC's TPR */
    uint64_t pdptr[4];               /* PAE PDPTE registers (SDM 4.4.1) */
    uint64_t efer;
    uint64_t dr[8];                  /* DR4/DR5 are aliases, unused */
    uint64_t xcr0;
    uint32_t pkru;

    /* ---- x87 FPU (SDM Vol. 1 8.1) ---- */
    floatx80 fpregs[8];              /* physical R0-R7: ST(i) is
                                        fpregs[(fpstt + i) & 7]; MMX
                                        register i is fpregs[i].low */
    uint8_t fptags[8];               /* 1: physical register i empty */
    uint32_t fpstt;                  /* TOP (status word bits 13:11) */
    uint16_t fpus;                   /* status word, TOP bits zero */
    uint16_t fpuc;                   /* control word */
    uint16_t fpop;                   /* last opcode (11 bits) */
    uint16_t fpcs, fpds;             /* last instruction/operand selector */
    uint64_t fpip, fpdp;             /* last instruction/operand offset */

    /* ---- SSE, AVX, AVX-512, MPX ---- */
    X86ZMMReg xmm_regs[32] __attribute__((aligned(16)));
    uint32_t mxcsr;
    uint64_t opmask_regs[8];         /* k0-k7 */
    X86BNDReg bnd_regs[4];
    uint64_t bndcfgu, bndstatus;

    /* ---- MSRs ---- */
    uint64_t tsc, tsc_adjust, tsc_aux;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t star, lstar, cstar, fmask, kernelgsbase;
    uint64_t pat, apic_base, misc_enable, feature_control;
    uint64_t spec_ctrl;
    uint64_t mtrr_deftype;
    uint64_t mtrr_fixed[MTRR_FIXED_COUNT];
    uint64_t mtrr_var_base[MTRR_VAR_COUNT], mtrr_var_mask[MTRR_VAR_COUNT];
    uint64_t vm_hsave;

    /* ---- events: what is being delivered across a VM exit/snapshot ---- */
    int32_t exception_nr;                /* -1: none */
    bool exception_pending, exception_injected, has_error_code;
    uint32_t error_code;
    int32_t interrupt_injected;          /* vector, -1: none */
    bool soft_interrupt;
    uint8_t interrupt_shadow;            /* after MOV SS / STI */
    bool nmi_injected, nmi_pending, nmi_masked;
    bool smm, smm_inside_nmi, smm_latched_init;
    uint8_t sipi_vector;
    uint32_t mp_state;                   /* X86MPState */

    /* nested virtualization state blob (KVM_GET/SET_NESTED_STATE; a VMX
     * one is a 128-byte header + vmcs12 + shadow vmcs12, about 8 KiB);
     * kept in KVM's format until TCG emulates SVM/VMX */
    uint8_t nested_state[X86_NESTED_STATE_MAX] __attribute__((aligned(8)));
    uint32_t nested_state_len;           /* 0: none to restore */

    /* CPUID as the guest sees it */
    X86CPUIDTable cpuid;
    X86CPUIDConfig cpuid_cfg;

    /* ---- TCG only: derived or scratch, never saved ---- */
    uint32_t hflags;                 /* TB flags, HF_* (x86_update_hflags) */
    int32_t df;                      /* 1 or -1: RFLAGS.DF for string ops */
    uint64_t tsc_offset;             /* TSC = virtual clock ticks + this */
    uint64_t exc_cr2;                /* fault address of a pending #PF */
    int32_t old_exception;           /* for #DF: the exception being
                                        delivered, -1 if none */
    uint32_t exc_error_code;
    uint8_t exc_kind;                /* 0 exception, 1 INT n/INT3/INTO,
                                        2 INT1 */
    uint64_t exc_next_rip;           /* RIP after INT n / INT1 */
    X86ZMMReg vec_tmp[3] __attribute__((aligned(16)));  /* TCG: vector memory
                                        operands [0] source, [1] destination,
                                        [2] scratch */
    floatx80 ft0;                    /* x87 memory operand (TCG scratch) */
    uint8_t fp_skip_pop;             /* x87: this insn raised an unmasked
                                        exception, it does not pop */
    uint8_t ft0_den;                 /* x87: ft0 came from a denormal */
    uint16_t ft0_flags;              /* x87: softfloat flags of its load */
    float_status fp_status;          /* x87 */
    float_status sse_status;         /* from MXCSR */
} CPUX86State;

typedef struct X86CPU {
    CPUState parent_obj;
    /* neg must end where env (16-byte aligned: vector registers) starts */
    struct {
        char neg_pad[16 - sizeof(CPUNegativeOffsetState) % 16];
        CPUNegativeOffsetState neg;
    } __attribute__((aligned(16)));
    CPUX86State env;
    uint32_t apic_id;
    /* the local APIC device, set by the board (hw/intc/apic.h); NULL:
     * no APIC (a board without one, or -cpu ...,-apic) */
    DeviceState *apic;
    X86FeatureRequest req;
    bool cpuid_ready;             /* env.cpuid built */
    /* KVM guest debug (target/i386/kvm.c): breakpoint generation applied
     * to this vCPU, single-step state applied, #BP/#DB to hand back */
    unsigned kvm_debug_gen;
    bool kvm_debug_step;
    uint32_t kvm_debug_inject;
} X86CPU;

typedef struct X86CPUClass {
    CPUClass parent_class;
    const X86CPUModel *model;
} X86CPUClass;

DECLARE_INSTANCE_CHECKER(X86CPU, X86_CPU, TYPE_X86_CPU)
DECLARE_CLASS_CHECKERS(X86CPUClass, X86_CPU, TYPE_X86_CPU)

/* RFLAGS as the architecture defines it (the lazy flags folded in). */
uint64_t x86_rflags_get(const CPUX86State *env);
/* target/i386/cpu-dump.c: the register dump (CPUClass hook) */
void x86_cpu_dump_state(CPUState *cs, FILE *f, int flags);
/* target/i386/monitor.c: the monitor's $NAME (CPUClass hook) */
bool x86_monitor_get_register(CPUState *cs, const char *name,
                              uint64_t *value);
/* Set RFLAGS (bit 1 forced on); the lazy flags start from it. */
void x86_rflags_set(CPUX86State *env, uint64_t rflags);

/* x87 status word with TOP, and the FXSAVE abridged tag byte (bit i set:
 * physical register i is not empty). */
uint16_t x86_fpu_status_word(const CPUX86State *env);
void x86_fpu_set_status_word(CPUX86State *env, uint16_t fsw);
uint8_t x86_fpu_abridged_tags(const CPUX86State *env);
/* the full 16-bit tag word of FSTENV/FSAVE (from the register contents) */
uint16_t x86_fpu_tag_word(const CPUX86State *env);
void x86_fpu_set_abridged_tags(CPUX86State *env, uint8_t ftw);

/*
 * xsave.c: the FXSAVE image (512 bytes, SDM Vol. 1 10.5.1, 64-bit
 * format: FIP/FDP 64 bits wide) and the XSAVE standard format (SDM Vol. 1
 * 13.4-13.5: legacy region, header at 512, components at the offsets of
 * CPUID leaf 0xD).  fmt64: the REX.W form (FIP/FDP 64 bits, no FCS/FDS),
 * as a 64-bit kernel (KVM) saves it.  x86_xsave_put writes the components in rfbm (state of
 * the others is left as it is in buf) and sets their XSTATE_BV bits to 1;
 * x86_xsave_get loads the components in rfbm, in their initial state
 * where XSTATE_BV says so.  buf must hold x86_xsave_size(rfbm) bytes.
 */
void x86_fxsave_put(const CPUX86State *env, uint8_t *buf, bool fmt64);
void x86_fxsave_get(CPUX86State *env, const uint8_t *buf, bool fmt64);
void x86_xsave_put(const CPUX86State *env, uint8_t *buf, uint64_t rfbm,
                   bool fmt64);
void x86_xsave_get(CPUX86State *env, const uint8_t *buf, uint64_t rfbm,
                   bool fmt64);
/* Offset of XSAVE component `bit` in the standard format (0: none). */
uint32_t x86_xsave_offset(int bit);
#define XSAVE_HDR_OFFSET 512
#define XSAVE_LEGACY_SIZE 512

/* cpu.c */
/* The vCPU's CPUID config before host filtering (model + -cpu options). */
bool x86_cpu_parse_options(X86CPU *cpu, const char *opts, Error **errp);
/* Snapshot/migration description of the CPU (dc->vmsd). */
extern const struct VMStateDescription vmstate_x86_cpu;
/* gdbstub.c: the registers gdb sees */
extern const struct GDBArch x86_gdb_arch;
/* Build env.cpuid for TCG (no host filtering); KVM builds its own. */
void x86_cpu_build_cpuid_plain(X86CPU *cpu);
/* TCG: keep only the features the front end implements (warns) */
void x86_cpuid_filter_tcg(X86CPUIDConfig *cfg, const FeatureWordArray ok);
void x86_cpu_reset_state(CPUX86State *env, uint32_t cpuid_1_eax, bool bsp);
/*
 * The board's boot entry state (hw/i386/x86-boot.h), applied by the board
 * after the CPU's reset (MachineClass.reset) to the CPU it boots.
 */
struct X86BootState;
void x86_cpu_apply_boot_state(X86CPU *cpu, const struct X86BootState *bs);
/* Topology from the machine (-smp): threads per core, cores per package. */
void x86_cpu_topology(unsigned smp_cpus, unsigned *threads, unsigned *cores);

#endif
