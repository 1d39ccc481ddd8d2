/*
 * VMSAv8-64 stage 1 translation (Arm ARM D8 "The AArch64 Virtual Memory
 * System Architecture"): 4K/16K/64K granules, TTBR0/TTBR1 by VA[55],
 * TnSZ input sizes, table/block/page descriptors, hierarchical APTable/
 * XNTable, AP[2:1], PXN/UXN, implicit PXN for EL0-writable pages, WXN,
 * PAN, access flag faults (no hardware AF/dirty update), and the softmmu
 * TLB fill built on it.  No stage 2 (no EL2 yet).
 *
 * ASIDs are not kept in the TLB: see the mmu_idx comment in cpu.h.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "target/arm/cpu.h"

#define FSC_ADDRSIZE(l)  (0x00 | (l))
#define FSC_TRANSL(l)    (0x04 | (l))
#define FSC_ACCESS(l)    (0x08 | (l))
#define FSC_PERM(l)      (0x0c | (l))
#define FSC_EXTABT_WALK(l) (0x14 | (l))
#define FSC_ALIGN        0x21

static int regime_el(int mmu_idx)
{
    switch (mmu_idx) {
    case ARMMMUIdx_E2:
        return 2;
    case ARMMMUIdx_E3:
        return 3;
    default:
        return 1;
    }
}

static int pa_bits(ARMCPU *cpu)
{
    static const int bits[] = { 32, 36, 40, 42, 44, 48, 52 };
    unsigned r = cpu->isar.id_aa64mmfr0 & 0xf;

    return bits[r < 6 ? r : 5];
}

static bool fault(ARMFault *f, uint32_t fsc, int level)
{
    f->fsc = fsc;
    f->level = level;
    f->s1ptw = false;
    return false;
}

bool arm_translate(CPUARMState *env, uint64_t va, int access_type,
                   int mmu_idx, ARMTranslateResult *res, ARMFault *f)
{
    ARMCPU *cpu = env_archcpu(env);
    CPUState *cs = env_cpu(env);
    int el = regime_el(mmu_idx);
    uint64_t sctlr = env->cp15.sctlr[el];
    uint64_t tcr = env->cp15.tcr[el];
    bool user = el == 1 && arm_idx_kind(mmu_idx) == 0;
    int pabits = pa_bits(cpu);
    int tsz, tg, pageshift, stride, inputsize, level, startlevel;
    uint64_t ttbr, base, desc = 0;
    bool ttbr1 = false, two_ranges = el == 1;
    bool tbi;
    int ap_table = 0, xn_table = 0, pxn_table = 0;

    memset(res, 0, sizeof(*res));

    if (!(sctlr & SCTLR_M)) {
        if (pabits < 64 && (va >> pabits)) {
            return fault(f, FSC_ADDRSIZE(0), 0);
        }
        res->pa = va;
        res->prot = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
        res->page_size = 4096;
        res->attrs = access_type == MMU_INST_FETCH ? 0xaa : 0x00;
        return true;
    }

    if (two_ranges) {
        ttbr1 = (va >> 55) & 1;
        tbi = ttbr1 ? (tcr >> 38) & 1 : (tcr >> 37) & 1;
    } else {
        tbi = (tcr >> 20) & 1;
    }
    if (tbi && access_type != MMU_INST_FETCH) {
        /* the top byte is ignored: compare bits [55:inputsize] only */
        va = ttbr1 ? va | 0xff00000000000000ull : va & 0x00ffffffffffffffull;
    }

    if (ttbr1) {
        if ((tcr >> 23) & 1) {              /* EPD1 */
            return fault(f, FSC_TRANSL(0), 0);
        }
        tsz = (tcr >> 16) & 0x3f;
        switch ((tcr >> 30) & 3) {
        case 1: tg = 16; break;
        case 3: tg = 64; break;
        default: tg = 4; break;
        }
        ttbr = env->cp15.ttbr1[el];
    } else {
        if (two_ranges && ((tcr >> 7) & 1)) {   /* EPD0 */
            return fault(f, FSC_TRANSL(0), 0);
        }
        tsz = tcr & 0x3f;
        switch ((tcr >> 14) & 3) {
        case 1: tg = 64; break;
        case 2: tg = 16; break;
        default: tg = 4; break;
        }
        ttbr = env->cp15.ttbr0[el];
    }
    if (tg == 16 && !arm_feature(env, ARM_FEATURE_GRAN16K)) {
        tg = 4;                             /* unimplemented: treat as 4K */
    }
    pageshift = tg == 4 ? 12 : tg == 16 ? 14 : 16;
    stride = pageshift - 3;
    if (tsz < 16) {
        tsz = 16;
    }
    if (tsz > 39 + (tg == 64 ? 8 : 0)) {
        tsz = 39 + (tg == 64 ? 8 : 0);
    }
    inputsize = 64 - tsz;

    /* VA bits above the input size must all equal the selected range */
    if (ttbr1) {
        if (~va >> inputsize) {
            return fault(f, FSC_TRANSL(0), 0);
        }
    } else if (va >> inputsize) {
        return fault(f, FSC_TRANSL(0), 0);
    }

    startlevel = 4 - (inputsize - pageshift + stride - 1) / stride;
    base = ttbr & 0x0000fffffffffffeull;
    base &= ~7ull;

    for (level = startlevel; ; level++) {
        int shift = pageshift + stride * (3 - level);
        int bits = level == startlevel ? inputsize - shift : stride;
        uint64_t index = (va >> shift) & ((1ull << bits) - 1);
        MemTxResult r;

        if (level == startlevel) {
            base &= ~((8ull << bits) - 1) | 0;
        }
        desc = address_space_ldq_le(cs->as, base + index * 8,
                                    MEMTXATTRS_UNSPECIFIED, &r);
        if (r != MEMTX_OK) {
            return fault(f, FSC_EXTABT_WALK(level), level);
        }
        if (!(desc & 1)) {
            return fault(f, FSC_TRANSL(level), level);
        }
        if (level == 3) {
            if (!(desc & 2)) {
                return fault(f, FSC_TRANSL(level), level);
            }
            res->page_size = 1ull << pageshift;
            break;
        }
        if (desc & 2) {                     /* table */
            ap_table |= (desc >> 61) & 3;
            xn_table |= (desc >> 60) & 1;
            pxn_table |= (desc >> 59) & 1;
            base = desc & 0x0000fffffffff000ull & ~((1ull << pageshift) - 1);
            if (base >> pabits) {
                return fault(f, FSC_ADDRSIZE(level), level);
            }
            continue;
        }
        /* block: 4K L1/L2, 16K L2, 64K L2 */
        if ((tg == 4 && level < 1) || (tg != 4 && level < 2)) {
            return fault(f, FSC_TRANSL(level), level);
        }
        res->page_size = 1ull << shift;
        break;
    }

    res->pa = (desc & 0x0000ffffffffffffull & ~(res->page_size - 1)) |
              (va & (res->page_size - 1));
    if (res->pa >> pabits) {
        return fault(f, FSC_ADDRSIZE(level), level);
    }
    if (!(desc & (1u << 10))) {             /* AF */
        return fault(f, FSC_ACCESS(level), level);
    }

    {
        int ap = (desc >> 6) & 3;           /* AP[2:1] */
        bool pxn = (desc >> 53) & 1, uxn = (desc >> 54) & 1;
        bool el0_ok, ro, prot_user_w;
        int prot = 0;

        if (two_ranges) {
            el0_ok = (ap & 1) && !(ap_table & 1);
        } else {
            el0_ok = false;
        }
        ro = (ap & 2) || (ap_table & 2);
        prot_user_w = el0_ok && !ro;

        if (user) {
            if (el0_ok) {
                prot |= PAGE_READ;
                if (!ro) {
                    prot |= PAGE_WRITE;
                }
            }
            if (!uxn && !xn_table) {
                prot |= PAGE_EXEC;
            }
        } else {
            prot |= PAGE_READ;
            if (!ro) {
                prot |= PAGE_WRITE;
            }
            if (two_ranges) {
                if (!pxn && !pxn_table && !prot_user_w) {
                    prot |= PAGE_EXEC;
                }
            } else if (!uxn && !xn_table) {
                prot |= PAGE_EXEC;
            }
            if (el == 1 && arm_idx_kind(mmu_idx) == 2 && el0_ok) {
                prot &= ~(PAGE_READ | PAGE_WRITE);
            }
        }
        if ((sctlr & SCTLR_WXN) && (prot & PAGE_WRITE)) {
            prot &= ~PAGE_EXEC;
        }
        res->prot = prot;
        res->attrs = env->cp15.mair[el] >> (8 * ((desc >> 2) & 7));
        res->sh = (desc >> 8) & 3;

        if ((access_type == MMU_DATA_LOAD && !(prot & PAGE_READ)) ||
            (access_type == MMU_DATA_STORE && !(prot & PAGE_WRITE)) ||
            (access_type == MMU_INST_FETCH && !(prot & PAGE_EXEC))) {
            return fault(f, FSC_PERM(level), level);
        }
    }
    return true;
}

static uint32_t abort_syndrome(CPUARMState *env, MMUAccessType access_type,
                               uint32_t target_el, uint32_t fsc)
{
    bool same = target_el == env->el;

    if (access_type == MMU_INST_FETCH) {
        return ((same ? EC_INSNABORT_SAME_EL : EC_INSNABORT) << 26) |
               ARM_EL_IL | fsc;
    }
    return ((same ? EC_DATAABORT_SAME_EL : EC_DATAABORT) << 26) | ARM_EL_IL |
           (access_type == MMU_DATA_STORE ? 1u << 6 : 0) | fsc;
}

bool arm_cpu_tlb_fill(CPUState *cs, vaddr addr, int size,
                      MMUAccessType access_type, int mmu_idx, bool probe,
                      uintptr_t retaddr)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    ARMTranslateResult res;
    ARMFault f;
    uint32_t target_el;

    if (arm_translate(env, addr, access_type, mmu_idx, &res, &f)) {
        tlb_set_page_with_attrs(cs, addr & ~0xfffull, res.pa & ~0xfffull,
                                MEMTXATTRS_UNSPECIFIED, res.prot, mmu_idx,
                                res.page_size);
        return true;
    }
    if (probe) {
        return false;
    }
    target_el = exception_target_el(env);
    tlog_mask(CPU_LOG_MMU, "MMU fault at 0x%" PRIx64 " type %d idx %d "
              "fsc 0x%x\n", (uint64_t)addr, access_type, mmu_idx, f.fsc);
    env->exception.vaddress = addr;
    raise_exception_ra(env, access_type == MMU_INST_FETCH ?
                       EXCP_PREFETCH_ABORT : EXCP_DATA_ABORT,
                       abort_syndrome(env, access_type, target_el, f.fsc),
                       target_el, retaddr);
}

void arm_cpu_do_unaligned_access(CPUState *cs, vaddr addr,
                                 MMUAccessType access_type,
                                 int mmu_idx, uintptr_t retaddr)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    uint32_t target_el = exception_target_el(env);

    env->exception.vaddress = addr;
    raise_exception_ra(env, EXCP_DATA_ABORT,
                       abort_syndrome(env, access_type, target_el, FSC_ALIGN),
                       target_el, retaddr);
}

hwaddr arm_cpu_get_phys_page_debug(CPUState *cs, vaddr addr)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    ARMTranslateResult res;
    ARMFault f;

    if (!arm_translate(env, addr, MMU_DATA_LOAD, arm_mmu_idx(env), &res, &f)) {
        return -1;
    }
    return res.pa & ~0xfffull;
}

/* AT S1E*: the PAR_EL1 value for a translation of va */
uint64_t arm_do_at(CPUARMState *env, uint64_t va, int access_type,
                   int mmu_idx)
{
    ARMTranslateResult res;
    ARMFault f;

    if (!arm_translate(env, va, access_type, mmu_idx, &res, &f)) {
        return 1 | ((uint64_t)f.fsc << 1);
    }
    return (res.pa & 0x0000fffffffff000ull) | ((uint64_t)res.attrs << 56) |
           ((uint64_t)res.sh << 7) | (1u << 11);
}
