/*
 * The softmmu TLB layout shared by accel/tcg (which fills it) and the TCG
 * back ends (whose generated code reads it on every guest load and store).
 *
 * Contract (see also include/tcg/tcg.h):
 *  - every guest CPU object places a CPUNegativeOffsetState named `neg`
 *    immediately before its CPUArchState `env`, so generated code reaches
 *    it at a small negative offset from the env pointer.  The target passes
 *    that offset, offsetof(ArchCPU, neg) - offsetof(ArchCPU, env), as
 *    TCGTargetInfo.tlb_neg_offset.
 *  - neg.tlb.f[mmu_idx].table points at an array of 2^k CPUTLBEntry and
 *    neg.tlb.f[mmu_idx].mask is (2^k - 1) << CPU_TLB_ENTRY_BITS.  The entry
 *    for a virtual address is
 *        table + ((addr >> (page_bits - CPU_TLB_ENTRY_BITS)) & mask)  [bytes]
 *  - addr_read/addr_write/addr_code hold the page-aligned guest virtual
 *    address, or -1 when the entry is invalid; the bits below the page size
 *    are flags (TLB_*) which make the fast-path compare fail, so any flagged
 *    page goes through the slow-path helpers.
 *  - host address = guest virtual address + addend.
 *  - neg.icount_decr.u32 is checked at every TB entry: when it is negative
 *    (set bit 31, e.g. u16.high = 0xffff, to request an exit), the TB
 *    returns to the cpu_exec loop with TB_EXIT_REQUESTED.
 */
#ifndef EXEC_TLB_COMMON_H
#define EXEC_TLB_COMMON_H

#include <stdint.h>

/* Each target defines struct CPUArchState (its `env`) in its cpu.h. */
typedef struct CPUArchState CPUArchState;

#define CPU_TLB_ENTRY_BITS 5        /* sizeof(CPUTLBEntry) == 32 */
#define TCG_MAX_MMU_MODES  16

typedef struct CPUTLBEntry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend;
#if UINTPTR_MAX == UINT32_MAX
    uint32_t pad;
#endif
} CPUTLBEntry;

_Static_assert(sizeof(CPUTLBEntry) == (1 << CPU_TLB_ENTRY_BITS),
               "CPUTLBEntry must be 2^CPU_TLB_ENTRY_BITS bytes");

/*
 * Flag bits in the low bits of addr_read/addr_write/addr_code.  They sit
 * just below the smallest page size (bit 11 down to 7) and above the
 * alignment bits the fast path also compares (up to MO_ALIGN_64, bits 0-5),
 * so a flagged entry can never match a misaligned address by accident.
 */
#define TLB_INVALID_MASK  (1u << 11) /* entry needs a refill (page walk) */
#define TLB_NOTDIRTY      (1u << 10) /* page holds translated code */
#define TLB_MMIO          (1u << 9)  /* not RAM: go through the memory API */
#define TLB_WATCHPOINT    (1u << 8)
#define TLB_DISCARD_WRITE (1u << 7)  /* ROM: writes ignored */
#define TLB_FLAGS_MASK    0xf80u     /* must stay below TARGET_PAGE_BITS */

typedef struct CPUTLBDescFast {
    uintptr_t mask;                  /* (n_entries - 1) << CPU_TLB_ENTRY_BITS */
    CPUTLBEntry *table;
} CPUTLBDescFast;

typedef struct CPUTLB {
    CPUTLBDescFast f[TCG_MAX_MMU_MODES];
} CPUTLB;

typedef union IcountDecr {
    uint32_t u32;
    struct {
        uint16_t low;               /* instruction budget for icount */
        uint16_t high;              /* 0xffff: exit requested */
    } u16;                          /* little-endian hosts only */
} IcountDecr;

/*
 * Placed immediately before env in the CPU object (and ending exactly at
 * env, so give the containing struct no padding there: the target checks
 * with a _Static_assert that offsetof(env) - offsetof(neg) == sizeof(neg)
 * if it wants; generated code only uses tlb_neg_offset).
 */
typedef struct CPUNegativeOffsetState {
    CPUTLB tlb;
    IcountDecr icount_decr;
    uint32_t pad;
    /* helper_atomic_cmpxchg16 returns the old value's high half here */
    uint64_t atomic_hi;
} CPUNegativeOffsetState;

#endif /* EXEC_TLB_COMMON_H */
