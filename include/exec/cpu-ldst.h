/*
 * Guest memory access from C helpers, through the softmmu TLB.
 *
 * All functions translate through the TLB of mmu_idx (filling it with
 * TCGCPUOps.tlb_fill on a miss, which raises the guest fault and does not
 * return if the access faults), handle MMIO (taking the BQL), ROM, pages
 * with translated code and page-crossing accesses.  retaddr is TCG_GETPC()
 * of the helper called from generated code, so a fault restores the guest
 * state of the right insn; pass 0 outside generated code.
 *
 * Naming (QEMU-shaped):
 *   cpu_{ld,st}{ub,sb,uw,sw,l,q}[_le|_be]_mmuidx_ra(env, addr, [val,] mmu_idx, ra)
 *   cpu_{ld,st}{ub,uw,l,q}[_le|_be]_data_ra(env, addr, [val,] ra)   current data mmu_idx
 *   cpu_ld{b,w,l,q}_mmu / cpu_st{b,w,l,q}_mmu(env, addr, [val,] oi, ra)
 *       with oi = make_memop_idx(memop, mmu_idx): byte order, sign and
 *       alignment (MO_ALIGN* raises do_unaligned_access) from the MemOp.
 * Without a byte-order suffix a multi-byte access is little-endian
 * (both Turtle guests are little-endian).
 */
#ifndef EXEC_CPU_LDST_H
#define EXEC_CPU_LDST_H

#include "hw/core/cpu.h"
#include "exec/tcg-cpu-ops.h"
#include "tcg/tcg-memop.h"
#include "tcg/tcg-ldst.h"

#ifndef TURTLE_INT128_DEFINED
#define TURTLE_INT128_DEFINED
typedef unsigned __int128 Int128;
static inline Int128 int128_make128(uint64_t lo, uint64_t hi)
{
    return ((Int128)hi << 64) | lo;
}
static inline uint64_t int128_getlo(Int128 v)
{
    return (uint64_t)v;
}
static inline uint64_t int128_gethi(Int128 v)
{
    return (uint64_t)(v >> 64);
}
#endif

/* ---- MemOpIdx forms ---- */
uint8_t cpu_ldb_mmu(CPUArchState *env, vaddr addr, MemOpIdx oi, uintptr_t ra);
uint16_t cpu_ldw_mmu(CPUArchState *env, vaddr addr, MemOpIdx oi, uintptr_t ra);
uint32_t cpu_ldl_mmu(CPUArchState *env, vaddr addr, MemOpIdx oi, uintptr_t ra);
uint64_t cpu_ldq_mmu(CPUArchState *env, vaddr addr, MemOpIdx oi, uintptr_t ra);
Int128 cpu_ld16_mmu(CPUArchState *env, vaddr addr, MemOpIdx oi, uintptr_t ra);
void cpu_stb_mmu(CPUArchState *env, vaddr addr, uint8_t val, MemOpIdx oi,
                 uintptr_t ra);
void cpu_stw_mmu(CPUArchState *env, vaddr addr, uint16_t val, MemOpIdx oi,
                 uintptr_t ra);
void cpu_stl_mmu(CPUArchState *env, vaddr addr, uint32_t val, MemOpIdx oi,
                 uintptr_t ra);
void cpu_stq_mmu(CPUArchState *env, vaddr addr, uint64_t val, MemOpIdx oi,
                 uintptr_t ra);
void cpu_st16_mmu(CPUArchState *env, vaddr addr, Int128 val, MemOpIdx oi,
                  uintptr_t ra);

/* ---- explicit mmu_idx ---- */
uint32_t cpu_ldub_mmuidx_ra(CPUArchState *env, vaddr addr, int mmu_idx,
                            uintptr_t ra);
int cpu_ldsb_mmuidx_ra(CPUArchState *env, vaddr addr, int mmu_idx,
                       uintptr_t ra);
uint32_t cpu_lduw_le_mmuidx_ra(CPUArchState *env, vaddr addr, int mmu_idx,
                               uintptr_t ra);
int cpu_ldsw_le_mmuidx_ra(CPUArchState *env, vaddr addr, int mmu_idx,
                          uintptr_t ra);
uint32_t cpu_ldl_le_mmuidx_ra(CPUArchState *env, vaddr addr, int mmu_idx,
                              uintptr_t ra);
uint64_t cpu_ldq_le_mmuidx_ra(CPUArchState *env, vaddr addr, int mmu_idx,
                              uintptr_t ra);
uint32_t cpu_lduw_be_mmuidx_ra(CPUArchState *env, vaddr addr, int mmu_idx,
                               uintptr_t ra);
int cpu_ldsw_be_mmuidx_ra(CPUArchState *env, vaddr addr, int mmu_idx,
                          uintptr_t ra);
uint32_t cpu_ldl_be_mmuidx_ra(CPUArchState *env, vaddr addr, int mmu_idx,
                              uintptr_t ra);
uint64_t cpu_ldq_be_mmuidx_ra(CPUArchState *env, vaddr addr, int mmu_idx,
                              uintptr_t ra);
void cpu_stb_mmuidx_ra(CPUArchState *env, vaddr addr, uint32_t val,
                       int mmu_idx, uintptr_t ra);
void cpu_stw_le_mmuidx_ra(CPUArchState *env, vaddr addr, uint32_t val,
                          int mmu_idx, uintptr_t ra);
void cpu_stl_le_mmuidx_ra(CPUArchState *env, vaddr addr, uint32_t val,
                          int mmu_idx, uintptr_t ra);
void cpu_stq_le_mmuidx_ra(CPUArchState *env, vaddr addr, uint64_t val,
                          int mmu_idx, uintptr_t ra);
void cpu_stw_be_mmuidx_ra(CPUArchState *env, vaddr addr, uint32_t val,
                          int mmu_idx, uintptr_t ra);
void cpu_stl_be_mmuidx_ra(CPUArchState *env, vaddr addr, uint32_t val,
                          int mmu_idx, uintptr_t ra);
void cpu_stq_be_mmuidx_ra(CPUArchState *env, vaddr addr, uint64_t val,
                          int mmu_idx, uintptr_t ra);
#define cpu_lduw_mmuidx_ra cpu_lduw_le_mmuidx_ra
#define cpu_ldsw_mmuidx_ra cpu_ldsw_le_mmuidx_ra
#define cpu_ldl_mmuidx_ra  cpu_ldl_le_mmuidx_ra
#define cpu_ldq_mmuidx_ra  cpu_ldq_le_mmuidx_ra
#define cpu_stw_mmuidx_ra  cpu_stw_le_mmuidx_ra
#define cpu_stl_mmuidx_ra  cpu_stl_le_mmuidx_ra
#define cpu_stq_mmuidx_ra  cpu_stq_le_mmuidx_ra

/* ---- current data mmu_idx (TCGCPUOps.mmu_index(cpu, false)) ---- */
uint32_t cpu_ldub_data_ra(CPUArchState *env, vaddr addr, uintptr_t ra);
uint32_t cpu_lduw_data_ra(CPUArchState *env, vaddr addr, uintptr_t ra);
uint32_t cpu_ldl_data_ra(CPUArchState *env, vaddr addr, uintptr_t ra);
uint64_t cpu_ldq_data_ra(CPUArchState *env, vaddr addr, uintptr_t ra);
void cpu_stb_data_ra(CPUArchState *env, vaddr addr, uint32_t val, uintptr_t ra);
void cpu_stw_data_ra(CPUArchState *env, vaddr addr, uint32_t val, uintptr_t ra);
void cpu_stl_data_ra(CPUArchState *env, vaddr addr, uint32_t val, uintptr_t ra);
void cpu_stq_data_ra(CPUArchState *env, vaddr addr, uint64_t val, uintptr_t ra);

/* ---- probing ---- */

/*
 * Check that [addr, addr+size) (within one page) is accessible for
 * access_type in mmu_idx, filling the TLB and raising the guest fault
 * otherwise.  Returns the host address of addr, or NULL when it is not
 * plain RAM (MMIO, ROM being written, code page being written: go through
 * cpu_st*_mmu for those; for a code page the TBs have already been
 * invalidated).  size 0 checks nothing but the TLB entry (DC ZVA uses
 * the block size).
 */
void *probe_access(CPUArchState *env, vaddr addr, int size,
                   MMUAccessType access_type, int mmu_idx, uintptr_t ra);
/*
 * Like probe_access, but nonfault: returns TLB_INVALID_MASK instead of
 * faulting, else the entry's TLB_* flags (0 for plain RAM); *phost the
 * host address or NULL.
 */
int probe_access_flags(CPUArchState *env, vaddr addr, int size,
                       MMUAccessType access_type, int mmu_idx, bool nonfault,
                       void **phost, uintptr_t ra);
/* Host address for addr if its TLB entry is already plain RAM, else NULL
 * (no fill, no fault). */
void *tlb_vaddr_to_host(CPUArchState *env, vaddr addr,
                        MMUAccessType access_type, int mmu_idx);

/* ---- atomics (LSE, exclusives, CASP, x86 LOCK) ----
 *
 * Single-copy atomic read-modify-write on guest memory, for C helpers
 * (translators use tcg_gen_atomic_*, include/tcg/tcg-op.h).  Faults are
 * raised as for a store (then a load); MO_ALIGN* in oi raises the guest's
 * alignment fault.  Aligned RAM accesses are host atomics; anything else
 * (MMIO, misaligned, 16 bytes without host cmpxchg16b) re-runs the current
 * insn alone with every other vCPU stopped (cpu_loop_exit_atomic), unless
 * no other vCPU can run, in which case it is a plain load and store.
 * Returns the old value; cmpxchg stores newv only if old == cmpv.
 */
uint32_t cpu_atomic_cmpxchgb_mmu(CPUArchState *env, vaddr addr, uint32_t cmpv,
                                 uint32_t newv, MemOpIdx oi, uintptr_t ra);
uint32_t cpu_atomic_cmpxchgw_le_mmu(CPUArchState *env, vaddr addr,
                                    uint32_t cmpv, uint32_t newv, MemOpIdx oi,
                                    uintptr_t ra);
uint32_t cpu_atomic_cmpxchgl_le_mmu(CPUArchState *env, vaddr addr,
                                    uint32_t cmpv, uint32_t newv, MemOpIdx oi,
                                    uintptr_t ra);
uint64_t cpu_atomic_cmpxchgq_le_mmu(CPUArchState *env, vaddr addr,
                                    uint64_t cmpv, uint64_t newv, MemOpIdx oi,
                                    uintptr_t ra);
Int128 cpu_atomic_cmpxchgo_le_mmu(CPUArchState *env, vaddr addr, Int128 cmpv,
                                  Int128 newv, MemOpIdx oi, uintptr_t ra);
/* Exchange: returns the old value. */
uint64_t cpu_atomic_xchgq_le_mmu(CPUArchState *env, vaddr addr, uint64_t val,
                                 MemOpIdx oi, uintptr_t ra);
/* Any TCGAtomicOp (tcg/tcg-ldst.h) at the size, order and sign of oi. */
uint64_t cpu_atomic_rmw_mmu(CPUArchState *env, vaddr addr, uint64_t val,
                            TCGAtomicOp op, MemOpIdx oi, uintptr_t ra);

#endif /* EXEC_CPU_LDST_H */
