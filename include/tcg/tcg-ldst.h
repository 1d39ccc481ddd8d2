/*
 * Functions generated code calls that accel/tcg must provide.
 *
 * (libtcg carries weak fallbacks that abort, so a binary without accel/tcg
 * still links.)
 */
#ifndef TCG_TCG_LDST_H
#define TCG_TCG_LDST_H

#include <stdint.h>
#include "exec/tlb-common.h"
#include "tcg/tcg-memop.h"

/*
 * Softmmu slow path, called on a TLB miss, a flagged TLB entry, a
 * misaligned access with an MO_ALIGN* requirement or a page-crossing
 * access.  oi = make_memop_idx(memop, mmu_idx); retaddr is the host
 * address inside the TB's code of the access (pass it to
 * tcg_restore_state() to find the guest insn on a fault).
 *
 * helper_ld_mmu returns the loaded value byte-swapped per MO_BSWAP and
 * sign- or zero-extended to 64 bits per MO_SIGN, exactly as the fast path
 * would produce it.  helper_st_mmu stores the low memop_size(memop) bytes
 * of val, byte-swapped per MO_BSWAP.
 */
uint64_t helper_ld_mmu(CPUArchState *env, uint64_t addr, MemOpIdx oi,
                       uintptr_t retaddr);
void helper_st_mmu(CPUArchState *env, uint64_t addr, uint64_t val,
                   MemOpIdx oi, uintptr_t retaddr);

/*
 * Atomic read-modify-write on guest memory, called by the code
 * tcg_gen_atomic_* generate in TBs with CF_PARALLEL.  memop(oi) gives the
 * size (1..8 bytes), byte order, alignment requirement and MO_SIGN (which
 * only decides how the returned old value is extended).  The access checks
 * write permission (a fault is reported as a store, as x86 and Arm want for
 * atomics) and read permission, invalidates translated code on the page,
 * then uses a host atomic instruction.  When no host atomic can do it
 * (MMIO, ROM, misaligned, a watchpoint) and other vCPUs may run, the insn
 * is re-executed alone with every other vCPU stopped (cpu_loop_exit_atomic:
 * an exclusive section, code without CF_PARALLEL).
 *
 * helper_atomic_cmpxchg: if old == cmpv (both truncated to the size) store
 * newv.  Returns old.
 * helper_atomic_rmw: store op(old, val), op a TCGAtomicOp.  Returns old.
 * helper_atomic_cmpxchg16: 16 bytes (memop size ignored): returns the low
 * half of the old value, the high half in neg.atomic_hi.
 */
typedef enum TCGAtomicOp {
    TCG_ATOMIC_XCHG,
    TCG_ATOMIC_ADD,
    TCG_ATOMIC_AND,
    TCG_ATOMIC_OR,
    TCG_ATOMIC_XOR,
    TCG_ATOMIC_SMIN,
    TCG_ATOMIC_SMAX,
    TCG_ATOMIC_UMIN,
    TCG_ATOMIC_UMAX,
} TCGAtomicOp;

uint64_t helper_atomic_cmpxchg(CPUArchState *env, uint64_t addr, uint64_t cmpv,
                               uint64_t newv, uint32_t oi);
uint64_t helper_atomic_rmw(CPUArchState *env, uint64_t addr, uint64_t val,
                           uint32_t oi, uint32_t op);
uint64_t helper_atomic_cmpxchg16(CPUArchState *env, uint64_t addr,
                                 uint64_t cmp_lo, uint64_t cmp_hi,
                                 uint64_t new_lo, uint64_t new_hi, uint32_t oi);

/*
 * tcg_gen_lookup_and_goto_ptr(): find the TB for the current guest state
 * and return its tc.ptr, or tcg_code_gen_epilogue to return to the
 * cpu_exec loop (tcg_qemu_tb_exec() then returns 0).
 */
const void *helper_lookup_tb_ptr(CPUArchState *env);

#endif /* TCG_TCG_LDST_H */
