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
 * tcg_gen_lookup_and_goto_ptr(): find the TB for the current guest state
 * and return its tc.ptr, or tcg_code_gen_epilogue to return to the
 * cpu_exec loop (tcg_qemu_tb_exec() then returns 0).
 */
const void *helper_lookup_tb_ptr(CPUArchState *env);

#endif /* TCG_TCG_LDST_H */
