/*
 * x86 paging for TCG (SDM Vol. 3A chapter 4): 32-bit paging (with PSE and
 * PSE-36), PAE paging (PDPTE registers loaded with CR3), 4-level and
 * 5-level paging; NX, global pages, 1 GiB/2 MiB/4 MiB pages, SMEP, SMAP,
 * protection keys, accessed and dirty bits set atomically as the
 * hardware does, reserved-bit checks, page-fault error codes; and the
 * writes to CR0, CR3, CR4 and EFER with their checks and TLB flushes.
 *
 * The softmmu TLB has one index per privilege/SMAP state (x86-tcg.h).  A
 * page is entered writable only once its dirty bit is set, so the first
 * write comes back here to set it.  CR3 writes flush everything (global
 * pages and PCIDs included): a TLB may always forget, never remember
 * wrongly.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "target/i386/x86-tcg.h"

#define PG_P    (1ull << 0)
#define PG_RW   (1ull << 1)
#define PG_US   (1ull << 2)
#define PG_A    (1ull << 5)
#define PG_D    (1ull << 6)
#define PG_PS   (1ull << 7)
#define PG_G    (1ull << 8)
#define PG_NX   (1ull << 63)

#define PFERR_P     (1u << 0)
#define PFERR_W     (1u << 1)
#define PFERR_U     (1u << 2)
#define PFERR_RSVD  (1u << 3)
#define PFERR_ID    (1u << 4)
#define PFERR_PK    (1u << 5)

typedef struct X86Walk {
    hwaddr paddr;
    int prot;
    uint64_t page_size;
    uint32_t error_code;    /* when it failed */
} X86Walk;

static AddressSpace *cpu_as(CPUX86State *env)
{
    CPUState *cs = env_cpu(env);

    return cs->as ? cs->as : &address_space_memory;
}

static uint64_t phys_mask(CPUX86State *env)
{
    uint32_t bits = env->cpuid_cfg.phys_bits ? env->cpuid_cfg.phys_bits : 40;

    return ((1ull << bits) - 1) & ~0xfffull;
}

static uint64_t pte_read(CPUX86State *env, hwaddr a, bool is64, bool *ok)
{
    MemTxResult r;
    uint64_t v;

    if (is64) {
        v = address_space_ldq_le(cpu_as(env), a, MEMTXATTRS_UNSPECIFIED, &r);
    } else {
        v = address_space_ldl_le(cpu_as(env), a, MEMTXATTRS_UNSPECIFIED, &r);
    }
    *ok = r == MEMTX_OK;
    return v;
}

/*
 * Set bits in a paging-structure entry as a locked operation (another
 * vCPU or the OS may change the entry at the same time): only if it still
 * holds old.  Entries outside RAM are written plainly.
 */
static void pte_set_bits(CPUX86State *env, hwaddr a, uint64_t old,
                         uint64_t bits, bool is64)
{
    hwaddr len = is64 ? 8 : 4;
    void *p = address_space_map(cpu_as(env), a, &len, true,
                                MEMTXATTRS_UNSPECIFIED);

    if (!p) {
        return;
    }
    if (len < (is64 ? 8u : 4u)) {
        address_space_unmap(cpu_as(env), p, len, true, 0);
        return;
    }
    if (is64) {
        uint64_t expect = cpu_to_le64(old);

        __atomic_compare_exchange_n((uint64_t *)p, &expect,
                                    cpu_to_le64(old | bits), false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    } else {
        uint32_t expect = cpu_to_le32(old);

        __atomic_compare_exchange_n((uint32_t *)p, &expect,
                                    cpu_to_le32((uint32_t)(old | bits)),
                                    false, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST);
    }
    address_space_unmap(cpu_as(env), p, len, true, len);
}

static bool la_canonical(CPUX86State *env, uint64_t a)
{
    int bits = (env->cr[4] & CR4_LA57_MASK) ? 57 : 48;

    return ((int64_t)(a << (64 - bits)) >> (64 - bits)) == (int64_t)a;
}

/*
 * Translate addr for access_type in mmu_idx.  debug: no accessed/dirty
 * updates and no permission checks (gdb, monitor).
 */
static bool x86_walk(CPUX86State *env, uint64_t addr, int access_type,
                     int mmu_idx, bool debug, X86Walk *w)
{
    bool is_write = access_type == MMU_DATA_STORE;
    bool is_fetch = access_type == MMU_INST_FETCH;
    bool user = mmu_idx == X86_MMU_USER;
    bool nxe = env->efer & EFER_NXE;
    uint64_t cr4 = env->cr[4], pmask = phys_mask(env);
    uint64_t rsvd_phys = ~pmask & 0x000ffffffffff000ull;
    struct { hwaddr a; uint64_t v; } used[6];
    int nused = 0, levels, shift;
    bool is64, rw = true, us = true, nx = false;
    uint64_t e = 0, table, leaf_mask;
    uint32_t err = 0;
    bool ok;

    w->error_code = 0;
    if (!(env->cr[0] & CR0_PG_MASK)) {
        w->paddr = addr & ~0xfffull;
        if (!(env->efer & EFER_LMA)) {
            w->paddr &= 0xffffffffull;
        }
        w->prot = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
        w->page_size = 4096;
        return true;
    }

    if (env->efer & EFER_LMA) {
        levels = (cr4 & CR4_LA57_MASK) ? 5 : 4;
        is64 = true;
        table = env->cr[3] & pmask;
    } else if (cr4 & CR4_PAE_MASK) {
        int i = (addr >> 30) & 3;

        levels = 2;
        is64 = true;
        e = env->pdptr[i];
        if (!(e & PG_P)) {
            goto not_present;
        }
        if (e & (rsvd_phys | 0x1e6ull | PG_NX)) {
            goto rsvd_fault;
        }
        table = e & pmask;
    } else {
        levels = 2;
        is64 = false;
        table = env->cr[3] & 0xfffff000ull;
    }

    for (int lvl = levels; lvl >= 1; lvl--) {
        hwaddr pa;
        unsigned idx;

        shift = 12 + (is64 ? 9 : 10) * (lvl - 1);
        idx = (addr >> shift) & (is64 ? 511 : 1023);
        pa = table + idx * (is64 ? 8 : 4);
        e = pte_read(env, pa, is64, &ok);
        if (!ok || !(e & PG_P)) {
            goto not_present;
        }
        used[nused].a = pa;
        used[nused].v = e;
        nused++;
        /* reserved bits */
        if (is64) {
            uint64_t rsvd = rsvd_phys | (nxe ? 0 : PG_NX);

            if (lvl >= 4 || (lvl == 3 && !(env->efer & EFER_LMA))) {
                rsvd |= PG_PS;
            }
            if (lvl == 3 && (e & PG_PS) &&
                !(env->cpuid_cfg.features[FEAT_8000_0001_EDX] &
                  (1u << 26))) {
                rsvd |= PG_PS;                  /* no 1 GiB pages */
            }
            if ((e & PG_PS) && lvl > 1) {
                /* large page: bits 12 .. shift-1 except PAT (12) */
                rsvd |= ((1ull << shift) - 1) & ~0x1fffull;
            }
            if ((e & rsvd) && !debug) {
                goto rsvd_fault;
            }
        } else if (lvl == 2 && (e & PG_PS) && (cr4 & CR4_PSE_MASK)) {
            /* PSE-36: bits 20:13 are PA[39:32]; bit 21 reserved */
            if (e & (1ull << 21)) {
                goto rsvd_fault;
            }
        }
        rw &= !!(e & PG_RW);
        us &= !!(e & PG_US);
        if (is64 && nxe && (e & PG_NX)) {
            nx = true;
        }
        if (lvl > 1 && (e & PG_PS) && (is64 || (cr4 & CR4_PSE_MASK))) {
            break;
        }
        if (lvl == 1) {
            break;
        }
        table = is64 ? e & pmask : e & 0xfffff000ull;
    }

    /* the leaf: page frame and size */
    if (is64) {
        w->page_size = 1ull << shift;
        leaf_mask = pmask & ~(w->page_size - 1);
        w->paddr = (e & leaf_mask) | (addr & (w->page_size - 1) & ~0xfffull);
    } else if (shift == 22) {
        w->page_size = 4ull << 20;
        w->paddr = (e & 0xffc00000ull) | ((e & 0x1fe000ull) << 19) |
                   (addr & 0x3ff000ull);
        w->paddr &= pmask | 0xfff;
    } else {
        w->page_size = 4096;
        w->paddr = e & 0xfffff000ull;
    }

    /* permissions (SDM Vol. 3A 4.6) */
    w->prot = PAGE_READ;
    if (user) {
        if (!us) {
            goto prot_fault;
        }
        if (rw) {
            w->prot |= PAGE_WRITE;
        }
        if (!nx) {
            w->prot |= PAGE_EXEC;
        }
    } else {
        bool smap = (cr4 & CR4_SMAP_MASK) && us && mmu_idx == X86_MMU_KSMAP;

        if (rw || !(env->cr[0] & CR0_WP_MASK)) {
            w->prot |= PAGE_WRITE;
        }
        if (!nx && !(us && (cr4 & CR4_SMEP_MASK))) {
            w->prot |= PAGE_EXEC;
        }
        if (smap) {
            w->prot &= ~(PAGE_READ | PAGE_WRITE);
        }
    }
    /* protection keys: data accesses to user pages in IA-32e mode */
    if ((cr4 & CR4_PKE_MASK) && us && (env->efer & EFER_LMA)) {
        int key = (e >> 59) & 15;
        bool ad = (env->pkru >> (2 * key)) & 1;
        bool wd = (env->pkru >> (2 * key + 1)) & 1;
        int before = w->prot;

        if (ad) {
            w->prot &= ~(PAGE_READ | PAGE_WRITE);
        } else if (wd && (user || (env->cr[0] & CR0_WP_MASK))) {
            w->prot &= ~PAGE_WRITE;
        }
        if (!debug && !is_fetch) {
            int need = is_write ? PAGE_WRITE : PAGE_READ;

            if ((before & need) && !(w->prot & need)) {
                err |= PFERR_PK;
                goto prot_fault;
            }
        }
    }
    if (debug) {
        return true;
    }
    if ((is_fetch && !(w->prot & PAGE_EXEC)) ||
        (is_write && !(w->prot & PAGE_WRITE)) ||
        (!is_write && !is_fetch && !(w->prot & PAGE_READ))) {
        goto prot_fault;
    }

    /* accessed bits on every level, dirty on the leaf for writes */
    for (int i = 0; i < nused; i++) {
        uint64_t bits = PG_A;

        if (i == nused - 1 && is_write) {
            bits |= PG_D;
        }
        if ((used[i].v & bits) != bits) {
            pte_set_bits(env, used[i].a, used[i].v, bits, is64);
        }
    }
    if (!is_write && !(e & PG_D)) {
        w->prot &= ~PAGE_WRITE;         /* the first write sets D */
    }
    return true;

prot_fault:
    err |= PFERR_P;
    goto fault;
rsvd_fault:
    err |= PFERR_P | PFERR_RSVD;        /* RSVD is reported with P = 1 */
    goto fault;
not_present:
    err &= ~PFERR_P;
fault:
    if (is_write) {
        err |= PFERR_W;
    }
    if (user) {
        err |= PFERR_U;
    }
    if (is_fetch && (nxe || (cr4 & CR4_SMEP_MASK))) {
        err |= PFERR_ID;
    }
    w->error_code = err;
    return false;
}

bool x86_cpu_tlb_fill(CPUState *cs, vaddr addr, int size,
                      MMUAccessType access_type, int mmu_idx, bool probe,
                      uintptr_t retaddr)
{
    CPUX86State *env = cpu_env_of(cs);
    X86Walk w;

    if ((env->efer & EFER_LMA) && !la_canonical(env, addr)) {
        if (probe) {
            return false;
        }
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, retaddr);
    }
    if (x86_walk(env, addr, access_type, mmu_idx, false, &w)) {
        tlb_set_page_with_attrs(cs, addr & ~0xfffull, w.paddr,
                                MEMTXATTRS_UNSPECIFIED, w.prot, mmu_idx,
                                w.page_size);
        return true;
    }
    if (probe) {
        return false;
    }
    tlog_mask(CPU_LOG_MMU, "x86: #PF at 0x%" PRIx64 " type %d idx %d "
              "error 0x%x\n", (uint64_t)addr, access_type, mmu_idx,
              w.error_code);
    env->cr[2] = addr;
    x86_raise_exception_err_ra(env, EXCP0E_PAGE, w.error_code, retaddr);
}

hwaddr x86_cpu_get_phys_page_debug(CPUState *cs, vaddr addr)
{
    CPUX86State *env = cpu_env_of(cs);
    X86Walk w;

    if (!x86_walk(env, addr, MMU_DATA_LOAD, X86_MMU_KNOSMAP, true, &w)) {
        return -1;
    }
    return w.paddr;
}

/* ---- control registers and EFER (SDM Vol. 3A 2.5, 4.1) ---- */

/* PAE paging outside IA-32e mode: CR3 points at 4 PDPTEs, loaded now */
static bool load_pdptrs(CPUX86State *env, uint64_t cr3)
{
    uint64_t rsvd = (~phys_mask(env) & 0x000ffffffffff000ull) | 0x1e6ull |
                    PG_NX;
    uint64_t v[4];
    bool ok;

    for (int i = 0; i < 4; i++) {
        v[i] = pte_read(env, (cr3 & 0xffffffe0ull) + 8 * i, true, &ok);
        if (!ok) {
            v[i] = 0;
        }
        if ((v[i] & PG_P) && (v[i] & rsvd)) {
            return false;
        }
    }
    memcpy(env->pdptr, v, sizeof(v));
    return true;
}

static bool pae_legacy(CPUX86State *env, uint64_t cr0, uint64_t cr4)
{
    return (cr0 & CR0_PG_MASK) && (cr4 & CR4_PAE_MASK) &&
           !(env->efer & EFER_LME);
}

bool x86_cpu_set_cr0(CPUX86State *env, uint64_t val)
{
    uint64_t old = env->cr[0];

    if (val >> 32) {
        return false;
    }
    if ((val & CR0_PG_MASK) && !(val & CR0_PE_MASK)) {
        return false;
    }
    if ((val & CR0_NW_MASK) && !(val & CR0_CD_MASK)) {
        return false;
    }
    if (!(old & CR0_PG_MASK) && (val & CR0_PG_MASK) &&
        (env->efer & EFER_LME)) {
        /* entering IA-32e mode: PAE required, CS.L must be 0 */
        if (!(env->cr[4] & CR4_PAE_MASK) ||
            (env->segs[R_CS].flags & DESC_L_MASK)) {
            return false;
        }
        env->efer |= EFER_LMA;
    }
    if ((old & CR0_PG_MASK) && !(val & CR0_PG_MASK) &&
        (env->efer & EFER_LMA)) {
        if (env->hflags & HF_CS64) {
            return false;                   /* only from compatibility mode */
        }
        env->efer &= ~(uint64_t)EFER_LMA;
    }
    if (pae_legacy(env, val, env->cr[4]) && !pae_legacy(env, old, env->cr[4])
        && !load_pdptrs(env, env->cr[3])) {
        return false;
    }
    val |= CR0_ET_MASK;
    env->cr[0] = val;
    if ((old ^ val) & (CR0_PG_MASK | CR0_WP_MASK | CR0_PE_MASK)) {
        tlb_flush(env_cpu(env));
    }
    x86_update_hflags(env);
    return true;
}

bool x86_cpu_set_cr3(CPUX86State *env, uint64_t val)
{
    if (env->efer & EFER_LMA) {
        uint64_t keep = (env->cr[4] & CR4_PCIDE_MASK) ? (1ull << 63) : 0;

        val &= ~keep;                       /* bit 63: "no flush" hint */
        if (val & ~phys_mask(env) & ~0xfffull) {
            return false;
        }
    } else {
        val = (uint32_t)val;
    }
    if (pae_legacy(env, env->cr[0], env->cr[4]) && !load_pdptrs(env, val)) {
        return false;
    }
    env->cr[3] = val;
    tlb_flush(env_cpu(env));
    return true;
}

/* CR4 bits the CPU model has */
static uint64_t cr4_valid_mask(CPUX86State *env)
{
    const uint32_t *f = env->cpuid_cfg.features;
    uint64_t m = CR4_VME_MASK | CR4_PVI_MASK | CR4_TSD_MASK | CR4_DE_MASK |
                 CR4_PSE_MASK | CR4_PAE_MASK | CR4_MCE_MASK | CR4_PGE_MASK |
                 CR4_PCE_MASK | CR4_OSFXSR_MASK | CR4_OSXMMEXCPT_MASK;

    if (f[FEAT_7_0_ECX] & (1u << 2)) {
        m |= CR4_UMIP_MASK;
    }
    if (f[FEAT_7_0_EBX] & (1u << 0)) {
        m |= CR4_FSGSBASE_MASK;
    }
    if (f[FEAT_1_ECX] & (1u << 17)) {
        m |= CR4_PCIDE_MASK;
    }
    if (f[FEAT_1_ECX] & CPUID_1_ECX_XSAVE) {
        m |= CR4_OSXSAVE_MASK;
    }
    if (f[FEAT_7_0_EBX] & (1u << 7)) {
        m |= CR4_SMEP_MASK;
    }
    if (f[FEAT_7_0_EBX] & (1u << 20)) {
        m |= CR4_SMAP_MASK;
    }
    if (f[FEAT_7_0_ECX] & CPUID_7_0_ECX_PKU) {
        m |= CR4_PKE_MASK;
    }
    if (f[FEAT_7_0_ECX] & (1u << 16)) {
        m |= CR4_LA57_MASK;
    }
    return m;
}

bool x86_cpu_set_cr4(CPUX86State *env, uint64_t val)
{
    uint64_t old = env->cr[4];

    if (val & ~cr4_valid_mask(env)) {
        return false;
    }
    if (env->efer & EFER_LMA) {
        if (!(val & CR4_PAE_MASK) || ((old ^ val) & CR4_LA57_MASK)) {
            return false;
        }
    }
    if ((val & CR4_PCIDE_MASK) && !(old & CR4_PCIDE_MASK) &&
        (!(env->efer & EFER_LMA) || (env->cr[3] & 0xfff))) {
        return false;
    }
    if (pae_legacy(env, env->cr[0], val) &&
        ((old ^ val) & (CR4_PAE_MASK | CR4_PSE_MASK | CR4_PGE_MASK)) &&
        !load_pdptrs(env, env->cr[3])) {
        return false;
    }
    env->cr[4] = val;
    if ((old ^ val) & (CR4_PGE_MASK | CR4_PAE_MASK | CR4_PSE_MASK |
                       CR4_SMEP_MASK | CR4_SMAP_MASK | CR4_PKE_MASK |
                       CR4_PCIDE_MASK | CR4_LA57_MASK)) {
        tlb_flush(env_cpu(env));
    }
    x86_update_hflags(env);
    return true;
}

bool x86_cpu_set_efer(CPUX86State *env, uint64_t val)
{
    const uint32_t *f = env->cpuid_cfg.features;
    uint64_t valid = EFER_LMA;

    if (f[FEAT_8000_0001_EDX] & (1u << 11)) {
        valid |= EFER_SCE;
    }
    if (f[FEAT_8000_0001_EDX] & CPUID_8000_0001_EDX_LM) {
        valid |= EFER_LME;
    }
    if (f[FEAT_8000_0001_EDX] & (1u << 20)) {
        valid |= EFER_NXE;
    }
    if (f[FEAT_8000_0001_ECX] & CPUID_8000_0001_ECX_SVM) {
        valid |= EFER_SVME;
    }
    if (f[FEAT_8000_0001_EDX] & (1u << 25)) {
        valid |= EFER_FFXSR;
    }
    if (val & ~valid) {
        return false;
    }
    /* LME may not change while paging is on; LMA is read-only */
    if ((env->cr[0] & CR0_PG_MASK) && ((val ^ env->efer) & EFER_LME)) {
        return false;
    }
    val = (val & ~(uint64_t)EFER_LMA) | (env->efer & EFER_LMA);
    if ((val ^ env->efer) & EFER_NXE) {
        tlb_flush(env_cpu(env));
    }
    env->efer = val;
    x86_update_hflags(env);
    return true;
}
