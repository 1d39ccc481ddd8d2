/*
 * The TCG builder API: front ends describe guest instructions with these.
 *
 * Conventions: the first argument is the destination; `_i32`/`_i64`
 * pick the width; `i` suffix variants take an immediate operand.  TCGv is
 * TCGv_i64 (both guests are 64-bit), and the `_tl` names alias `_i64`.
 * Ops with undefined behaviour: shift counts >= width give an unspecified
 * value; division by zero and INT_MIN / -1 are not allowed at all (the
 * native back end uses the host divide instruction, which traps): front
 * ends must guard them.
 */
#ifndef TCG_TCG_OP_H
#define TCG_TCG_OP_H

#include "tcg/tcg.h"

/* ---- labels and control flow ------------------------------------------ */

TCGLabel *gen_new_label(void);
void gen_set_label(TCGLabel *l);
void tcg_gen_br(TCGLabel *l);

/* Marks the start of a guest insn; the data words (TCGTargetInfo's
 * insn_start_words of them, missing ones 0) are what tcg_restore_state()
 * gives back for faults inside this insn. */
void tcg_gen_insn_start_words(const uint64_t *data, unsigned n);
#define tcg_gen_insn_start(...) \
    tcg_gen_insn_start_words((const uint64_t[]){ __VA_ARGS__ }, \
        sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))
/* The last insn_start op, and a way to fill in a word later (e.g. a
 * syndrome known only after decoding). */
TCGOp *tcg_last_insn_start(void);
void tcg_set_insn_start_param(TCGOp *op, unsigned word, uint64_t val);

/* Chaining and exits (see include/tcg/tcg.h). */
void tcg_gen_goto_tb(unsigned idx);
void tcg_gen_exit_tb(const TranslationBlock *tb, unsigned idx);
void tcg_gen_lookup_and_goto_ptr(void);
/* Jump to host code whose address is in ptr (as from helper_lookup_tb_ptr). */
void tcg_gen_goto_ptr(TCGv_ptr ptr);

/*
 * TB prologue/epilogue for the translator loop: tcg_gen_tb_start() loads
 * neg.icount_decr.u32 and exits with TB_EXIT_REQUESTED when negative;
 * tcg_gen_tb_end() places that exit path and must be called once after
 * the last insn of the TB.  With tb->cflags & CF_USE_ICOUNT the TB also
 * subtracts its number of insns (its insn_start ops) from the budget in
 * icount_decr.u16.low, exiting first if that would make it negative.
 * CF_NOIRQ without icount: no check at all.  Set tb->cflags first.
 */
void tcg_gen_tb_start(const TranslationBlock *tb);
void tcg_gen_tb_end(const TranslationBlock *tb);

void tcg_gen_mb(TCGBar bar);

/* The value of t is not needed any more (lets the allocator drop it). */
void tcg_gen_discard_i32(TCGv_i32 t);
void tcg_gen_discard_i64(TCGv_i64 t);

/* ---- helper calls (normally through include/tcg/helper-gen.h) -------- */

/* ret: 0 for void; args: nargs handles (tcgv_*_arg) in declared order. */
void tcg_gen_call(const TCGHelperInfo *info, TCGArg ret, int nargs,
                  const TCGArg *args);

/* ---- guest memory (softmmu TLB fast path inline) ---------------------- */

void tcg_gen_qemu_ld_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp mop);
void tcg_gen_qemu_ld_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp mop);
void tcg_gen_qemu_st_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp mop);
void tcg_gen_qemu_st_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp mop);
#define tcg_gen_qemu_ld_tl tcg_gen_qemu_ld_i64
#define tcg_gen_qemu_st_tl tcg_gen_qemu_st_i64

/*
 * Read-modify-write guest memory ops (x86 LOCK, Arm LSE/exclusives).
 * ret gets the old value (op_fetch forms: the new one), extended from the
 * access size per MO_SIGN; the stored value is truncated to the size.
 * cmpxchg stores newv when the old value equals cmpv (compared at the
 * access size).  smin/smax compare as signed and umin/umax as unsigned
 * numbers of the access size, whatever MO_SIGN says.
 *
 * In a TB with CF_PARALLEL (tcg_set_tb_cflags; MTTCG with several vCPUs)
 * they are single-copy atomic against every other vCPU: a helper does the
 * TLB lookup (write and read permission) and a host atomic instruction, or
 * stops the world and re-runs the insn alone where no host atomic fits
 * (MMIO, misaligned, page-crossing).  Without CF_PARALLEL they expand to a
 * load, the operation and a store.  Neither form promises any ordering
 * of other accesses: front ends add tcg_gen_mb() where the guest needs it.
 */
void tcg_gen_atomic_cmpxchg_i32(TCGv_i32 ret, TCGv_i64 addr, TCGv_i32 cmpv,
                                TCGv_i32 newv, unsigned idx, MemOp mop);
void tcg_gen_atomic_cmpxchg_i64(TCGv_i64 ret, TCGv_i64 addr, TCGv_i64 cmpv,
                                TCGv_i64 newv, unsigned idx, MemOp mop);
/*
 * 16-byte compare-and-swap (CMPXCHG16B, CASP, STXP): the value is
 * hi:lo, lo at addr.  Little-endian only; the size in mop is ignored and
 * MO_ALIGN means 16 bytes.  (retlo, rethi) may alias any input.
 */
void tcg_gen_atomic_cmpxchg_i128(TCGv_i64 retlo, TCGv_i64 rethi,
                                 TCGv_i64 addr, TCGv_i64 cmplo,
                                 TCGv_i64 cmphi, TCGv_i64 newlo,
                                 TCGv_i64 newhi, unsigned idx, MemOp mop);

#define TCG_ATOMIC_OPS(X) \
    X(xchg) X(fetch_add) X(fetch_and) X(fetch_or) X(fetch_xor) \
    X(fetch_smin) X(fetch_smax) X(fetch_umin) X(fetch_umax) \
    X(add_fetch) X(and_fetch) X(or_fetch) X(xor_fetch) \
    X(smin_fetch) X(smax_fetch) X(umin_fetch) X(umax_fetch)
#define TCG_ATOMIC_DECL(name) \
void tcg_gen_atomic_##name##_i32(TCGv_i32 ret, TCGv_i64 addr, TCGv_i32 val, \
                                 unsigned idx, MemOp mop); \
void tcg_gen_atomic_##name##_i64(TCGv_i64 ret, TCGv_i64 addr, TCGv_i64 val, \
                                 unsigned idx, MemOp mop);
TCG_ATOMIC_OPS(TCG_ATOMIC_DECL)
#undef TCG_ATOMIC_DECL

/* extend arg per mop's size and MO_SIGN (MO_64 on i64, MO_32 on i32: copy) */
void tcg_gen_ext_i32(TCGv_i32 ret, TCGv_i32 arg, MemOp mop);
void tcg_gen_ext_i64(TCGv_i64 ret, TCGv_i64 arg, MemOp mop);

/* ---- host memory relative to a pointer (CPU state) ------------------- */
/*
 * Never use these on a CPU-state field that is bound to a global: the
 * global may live in a host register, so memory and IR would disagree.
 */

void tcg_gen_ld8u_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld8u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);

void tcg_gen_ld8s_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld8s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);

void tcg_gen_ld16u_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld16u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);

void tcg_gen_ld16s_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld16s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);

void tcg_gen_ld_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);

void tcg_gen_ld32u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld32s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t ofs);
void tcg_gen_ld_ptr(TCGv_ptr ret, TCGv_ptr base, intptr_t ofs);

void tcg_gen_st8_i32(TCGv_i32 val, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st8_i64(TCGv_i64 val, TCGv_ptr base, intptr_t ofs);

void tcg_gen_st16_i32(TCGv_i32 val, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st16_i64(TCGv_i64 val, TCGv_ptr base, intptr_t ofs);

void tcg_gen_st_i32(TCGv_i32 val, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st_i64(TCGv_i64 val, TCGv_ptr base, intptr_t ofs);

void tcg_gen_st32_i64(TCGv_i64 val, TCGv_ptr base, intptr_t ofs);
void tcg_gen_st_ptr(TCGv_ptr val, TCGv_ptr base, intptr_t ofs);

/* ---- moves and arithmetic ------------------------------------------- */

void tcg_gen_mov_i32(TCGv_i32 ret, TCGv_i32 arg);
void tcg_gen_mov_i64(TCGv_i64 ret, TCGv_i64 arg);

void tcg_gen_movi_i32(TCGv_i32 ret, int32_t arg);
void tcg_gen_movi_i64(TCGv_i64 ret, int64_t arg);

void tcg_gen_mov_ptr(TCGv_ptr ret, TCGv_ptr arg);
void tcg_gen_movi_ptr(TCGv_ptr ret, intptr_t arg);
void tcg_gen_addi_ptr(TCGv_ptr ret, TCGv_ptr arg, intptr_t imm);
void tcg_gen_add_ptr(TCGv_ptr ret, TCGv_ptr a, TCGv_ptr b);
void tcg_gen_ext_i32_ptr(TCGv_ptr ret, TCGv_i32 arg);   /* sign-extends */
void tcg_gen_extu_i32_ptr(TCGv_ptr ret, TCGv_i32 arg);
void tcg_gen_trunc_i64_ptr(TCGv_ptr ret, TCGv_i64 arg);
void tcg_gen_ext_ptr_i64(TCGv_i64 ret, TCGv_ptr arg);

void tcg_gen_add_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_add_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_sub_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_sub_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_mul_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_mul_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_and_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_and_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_or_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_or_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_xor_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_xor_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_andc_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_andc_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_orc_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_orc_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_eqv_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_eqv_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_nand_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_nand_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_nor_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_nor_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_shl_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_shl_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_shr_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_shr_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_sar_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_sar_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_rotl_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_rotl_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_rotr_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_rotr_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_div_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_div_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_divu_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_divu_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_rem_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_rem_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_remu_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_remu_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_muluh_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_muluh_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_mulsh_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_mulsh_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_addi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_addi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_subi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_subi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_muli_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_muli_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_andi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_andi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_ori_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_ori_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_xori_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_xori_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_andci_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_andci_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_orci_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_orci_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_eqvi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_eqvi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_nandi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_nandi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_nori_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_nori_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_divi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_divi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_divui_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_divui_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_remi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_remi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_remui_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_remui_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_subfi_i32(TCGv_i32 ret, int32_t a, TCGv_i32 b);   /* a - b */
void tcg_gen_subfi_i64(TCGv_i64 ret, int64_t a, TCGv_i64 b);   /* a - b */

void tcg_gen_shli_i32(TCGv_i32 ret, TCGv_i32 a, unsigned count);   /* count < width */
void tcg_gen_shli_i64(TCGv_i64 ret, TCGv_i64 a, unsigned count);   /* count < width */

void tcg_gen_shri_i32(TCGv_i32 ret, TCGv_i32 a, unsigned count);   /* count < width */
void tcg_gen_shri_i64(TCGv_i64 ret, TCGv_i64 a, unsigned count);   /* count < width */

void tcg_gen_sari_i32(TCGv_i32 ret, TCGv_i32 a, unsigned count);   /* count < width */
void tcg_gen_sari_i64(TCGv_i64 ret, TCGv_i64 a, unsigned count);   /* count < width */

void tcg_gen_rotli_i32(TCGv_i32 ret, TCGv_i32 a, unsigned count);   /* count < width */
void tcg_gen_rotli_i64(TCGv_i64 ret, TCGv_i64 a, unsigned count);   /* count < width */

void tcg_gen_rotri_i32(TCGv_i32 ret, TCGv_i32 a, unsigned count);   /* count < width */
void tcg_gen_rotri_i64(TCGv_i64 ret, TCGv_i64 a, unsigned count);   /* count < width */

void tcg_gen_neg_i32(TCGv_i32 ret, TCGv_i32 arg);
void tcg_gen_neg_i64(TCGv_i64 ret, TCGv_i64 arg);

void tcg_gen_not_i32(TCGv_i32 ret, TCGv_i32 arg);
void tcg_gen_not_i64(TCGv_i64 ret, TCGv_i64 arg);

void tcg_gen_ext8s_i32(TCGv_i32 ret, TCGv_i32 arg);
void tcg_gen_ext8s_i64(TCGv_i64 ret, TCGv_i64 arg);

void tcg_gen_ext8u_i32(TCGv_i32 ret, TCGv_i32 arg);
void tcg_gen_ext8u_i64(TCGv_i64 ret, TCGv_i64 arg);

void tcg_gen_ext16s_i32(TCGv_i32 ret, TCGv_i32 arg);
void tcg_gen_ext16s_i64(TCGv_i64 ret, TCGv_i64 arg);

void tcg_gen_ext16u_i32(TCGv_i32 ret, TCGv_i32 arg);
void tcg_gen_ext16u_i64(TCGv_i64 ret, TCGv_i64 arg);

void tcg_gen_ctpop_i32(TCGv_i32 ret, TCGv_i32 arg);
void tcg_gen_ctpop_i64(TCGv_i64 ret, TCGv_i64 arg);

void tcg_gen_abs_i32(TCGv_i32 ret, TCGv_i32 arg);
void tcg_gen_abs_i64(TCGv_i64 ret, TCGv_i64 arg);

void tcg_gen_ext32s_i64(TCGv_i64 ret, TCGv_i64 arg);
void tcg_gen_ext32u_i64(TCGv_i64 ret, TCGv_i64 arg);

/* hi:lo = a * b (full double-width product); lo and hi must differ */
void tcg_gen_mulu2_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_mulu2_i64(TCGv_i64 lo, TCGv_i64 hi, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_muls2_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_muls2_i64(TCGv_i64 lo, TCGv_i64 hi, TCGv_i64 a, TCGv_i64 b);

/* (rh:rl) = (ah:al) +/- (bh:bl) */
void tcg_gen_add2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 al, TCGv_i32 ah, TCGv_i32 bl, TCGv_i32 bh);
void tcg_gen_add2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 al, TCGv_i64 ah, TCGv_i64 bl, TCGv_i64 bh);

void tcg_gen_sub2_i32(TCGv_i32 rl, TCGv_i32 rh, TCGv_i32 al, TCGv_i32 ah, TCGv_i32 bl, TCGv_i32 bh);
void tcg_gen_sub2_i64(TCGv_i64 rl, TCGv_i64 rh, TCGv_i64 al, TCGv_i64 ah, TCGv_i64 bl, TCGv_i64 bh);

/* ---- bit fields ----------------------------------------------------- */

/* ofs + len <= width, len >= 1 */
void tcg_gen_extract_i32(TCGv_i32 ret, TCGv_i32 arg, unsigned ofs, unsigned len);
void tcg_gen_extract_i64(TCGv_i64 ret, TCGv_i64 arg, unsigned ofs, unsigned len);

void tcg_gen_sextract_i32(TCGv_i32 ret, TCGv_i32 arg, unsigned ofs, unsigned len);
void tcg_gen_sextract_i64(TCGv_i64 ret, TCGv_i64 arg, unsigned ofs, unsigned len);

/* ret = arg1 with bits [ofs, ofs+len) replaced by the low len bits of arg2 */
void tcg_gen_deposit_i32(TCGv_i32 ret, TCGv_i32 arg1, TCGv_i32 arg2, unsigned ofs, unsigned len);
void tcg_gen_deposit_i64(TCGv_i64 ret, TCGv_i64 arg1, TCGv_i64 arg2, unsigned ofs, unsigned len);

void tcg_gen_deposit_z_i32(TCGv_i32 ret, TCGv_i32 arg, unsigned ofs, unsigned len);
void tcg_gen_deposit_z_i64(TCGv_i64 ret, TCGv_i64 arg, unsigned ofs, unsigned len);

/* ret = the width bits of (ah:al) starting at bit ofs (0 <= ofs <= width) */
void tcg_gen_extract2_i32(TCGv_i32 ret, TCGv_i32 al, TCGv_i32 ah, unsigned ofs);
void tcg_gen_extract2_i64(TCGv_i64 ret, TCGv_i64 al, TCGv_i64 ah, unsigned ofs);

/* byte swaps; flags TCG_BSWAP_* (with no OZ/OS flag high bits are unspecified) */
void tcg_gen_bswap16_i32(TCGv_i32 ret, TCGv_i32 arg, int flags);
void tcg_gen_bswap16_i64(TCGv_i64 ret, TCGv_i64 arg, int flags);

void tcg_gen_bswap32_i32(TCGv_i32 ret, TCGv_i32 arg);
void tcg_gen_bswap32_i64(TCGv_i64 ret, TCGv_i64 arg, int flags);
void tcg_gen_bswap64_i64(TCGv_i64 ret, TCGv_i64 arg);
void tcg_gen_hswap_i64(TCGv_i64 ret, TCGv_i64 arg);   /* swap 16-bit halves */
void tcg_gen_wswap_i64(TCGv_i64 ret, TCGv_i64 arg);   /* swap 32-bit halves */

/* count leading/trailing zeros; zval is the result when arg == 0 */
void tcg_gen_clz_i32(TCGv_i32 ret, TCGv_i32 arg, TCGv_i32 zval);
void tcg_gen_clz_i64(TCGv_i64 ret, TCGv_i64 arg, TCGv_i64 zval);

void tcg_gen_ctz_i32(TCGv_i32 ret, TCGv_i32 arg, TCGv_i32 zval);
void tcg_gen_ctz_i64(TCGv_i64 ret, TCGv_i64 arg, TCGv_i64 zval);

void tcg_gen_clzi_i32(TCGv_i32 ret, TCGv_i32 arg, uint32_t zval);
void tcg_gen_clzi_i64(TCGv_i64 ret, TCGv_i64 arg, uint64_t zval);

void tcg_gen_ctzi_i32(TCGv_i32 ret, TCGv_i32 arg, uint32_t zval);
void tcg_gen_ctzi_i64(TCGv_i64 ret, TCGv_i64 arg, uint64_t zval);

void tcg_gen_clrsb_i32(TCGv_i32 ret, TCGv_i32 arg);   /* leading redundant sign bits */
void tcg_gen_clrsb_i64(TCGv_i64 ret, TCGv_i64 arg);   /* leading redundant sign bits */

/* ---- conditions -------------------------------------------------- */

void tcg_gen_brcond_i32(TCGCond cond, TCGv_i32 a, TCGv_i32 b, TCGLabel *l);
void tcg_gen_brcond_i64(TCGCond cond, TCGv_i64 a, TCGv_i64 b, TCGLabel *l);

void tcg_gen_brcondi_i32(TCGCond cond, TCGv_i32 a, int32_t b, TCGLabel *l);
void tcg_gen_brcondi_i64(TCGCond cond, TCGv_i64 a, int64_t b, TCGLabel *l);

/* ret = cond(a, b) ? 1 : 0;  negsetcond: ? -1 : 0 */
void tcg_gen_setcond_i32(TCGCond cond, TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_setcond_i64(TCGCond cond, TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_setcondi_i32(TCGCond cond, TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_setcondi_i64(TCGCond cond, TCGv_i64 ret, TCGv_i64 a, int64_t b);

void tcg_gen_negsetcond_i32(TCGCond cond, TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_negsetcond_i64(TCGCond cond, TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_negsetcondi_i32(TCGCond cond, TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_negsetcondi_i64(TCGCond cond, TCGv_i64 ret, TCGv_i64 a, int64_t b);

/* ret = cond(c1, c2) ? v1 : v2 */
void tcg_gen_movcond_i32(TCGCond cond, TCGv_i32 ret, TCGv_i32 c1, TCGv_i32 c2, TCGv_i32 v1, TCGv_i32 v2);
void tcg_gen_movcond_i64(TCGCond cond, TCGv_i64 ret, TCGv_i64 c1, TCGv_i64 c2, TCGv_i64 v1, TCGv_i64 v2);

void tcg_gen_smin_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_smin_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_smax_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_smax_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_umin_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_umin_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

void tcg_gen_umax_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_umax_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);

/* ---- width conversions --------------------------------------------- */

void tcg_gen_extu_i32_i64(TCGv_i64 ret, TCGv_i32 arg);
void tcg_gen_ext_i32_i64(TCGv_i64 ret, TCGv_i32 arg);
void tcg_gen_extrl_i64_i32(TCGv_i32 ret, TCGv_i64 arg);   /* low half */
void tcg_gen_extrh_i64_i32(TCGv_i32 ret, TCGv_i64 arg);   /* high half */
void tcg_gen_extr_i64_i32(TCGv_i32 lo, TCGv_i32 hi, TCGv_i64 arg);
/* ret = (uint64_t)hi << 32 | lo */
void tcg_gen_concat_i32_i64(TCGv_i64 ret, TCGv_i32 lo, TCGv_i32 hi);
void tcg_gen_concat32_i64(TCGv_i64 ret, TCGv_i64 lo, TCGv_i64 hi);

/* ---- target-long aliases ------------------------------------------- */

#define tcg_gen_abs_tl tcg_gen_abs_i64
#define tcg_gen_add_tl tcg_gen_add_i64
#define tcg_gen_add2_tl tcg_gen_add2_i64
#define tcg_gen_addi_tl tcg_gen_addi_i64
#define tcg_gen_and_tl tcg_gen_and_i64
#define tcg_gen_andc_tl tcg_gen_andc_i64
#define tcg_gen_andci_tl tcg_gen_andci_i64
#define tcg_gen_andi_tl tcg_gen_andi_i64
#define tcg_gen_brcond_tl tcg_gen_brcond_i64
#define tcg_gen_brcondi_tl tcg_gen_brcondi_i64
#define tcg_gen_bswap16_tl tcg_gen_bswap16_i64
#define tcg_gen_bswap32_tl tcg_gen_bswap32_i64
#define tcg_gen_bswap64_tl tcg_gen_bswap64_i64
#define tcg_gen_clrsb_tl tcg_gen_clrsb_i64
#define tcg_gen_clz_tl tcg_gen_clz_i64
#define tcg_gen_clzi_tl tcg_gen_clzi_i64
#define tcg_gen_concat32_tl tcg_gen_concat32_i64
#define tcg_gen_concat_i32_tl tcg_gen_concat_i32_i64
#define tcg_gen_ctpop_tl tcg_gen_ctpop_i64
#define tcg_gen_ctz_tl tcg_gen_ctz_i64
#define tcg_gen_ctzi_tl tcg_gen_ctzi_i64
#define tcg_gen_deposit_tl tcg_gen_deposit_i64
#define tcg_gen_deposit_z_tl tcg_gen_deposit_z_i64
#define tcg_gen_discard_tl tcg_gen_discard_i64
#define tcg_gen_div_tl tcg_gen_div_i64
#define tcg_gen_divi_tl tcg_gen_divi_i64
#define tcg_gen_divu_tl tcg_gen_divu_i64
#define tcg_gen_divui_tl tcg_gen_divui_i64
#define tcg_gen_eqv_tl tcg_gen_eqv_i64
#define tcg_gen_eqvi_tl tcg_gen_eqvi_i64
#define tcg_gen_ext16s_tl tcg_gen_ext16s_i64
#define tcg_gen_ext16u_tl tcg_gen_ext16u_i64
#define tcg_gen_ext32s_tl tcg_gen_ext32s_i64
#define tcg_gen_ext32u_tl tcg_gen_ext32u_i64
#define tcg_gen_ext8s_tl tcg_gen_ext8s_i64
#define tcg_gen_ext8u_tl tcg_gen_ext8u_i64
#define tcg_gen_ext_i32_tl tcg_gen_ext_i32_i64
#define tcg_gen_ext_ptr_tl tcg_gen_ext_ptr_i64
#define tcg_gen_extract_tl tcg_gen_extract_i64
#define tcg_gen_extract2_tl tcg_gen_extract2_i64
#define tcg_gen_extu_i32_tl tcg_gen_extu_i32_i64
#define tcg_gen_hswap_tl tcg_gen_hswap_i64
#define tcg_gen_ld_tl tcg_gen_ld_i64
#define tcg_gen_ld16s_tl tcg_gen_ld16s_i64
#define tcg_gen_ld16u_tl tcg_gen_ld16u_i64
#define tcg_gen_ld32s_tl tcg_gen_ld32s_i64
#define tcg_gen_ld32u_tl tcg_gen_ld32u_i64
#define tcg_gen_ld8s_tl tcg_gen_ld8s_i64
#define tcg_gen_ld8u_tl tcg_gen_ld8u_i64
#define tcg_gen_mov_tl tcg_gen_mov_i64
#define tcg_gen_movcond_tl tcg_gen_movcond_i64
#define tcg_gen_movi_tl tcg_gen_movi_i64
#define tcg_gen_mul_tl tcg_gen_mul_i64
#define tcg_gen_muli_tl tcg_gen_muli_i64
#define tcg_gen_muls2_tl tcg_gen_muls2_i64
#define tcg_gen_mulsh_tl tcg_gen_mulsh_i64
#define tcg_gen_mulu2_tl tcg_gen_mulu2_i64
#define tcg_gen_muluh_tl tcg_gen_muluh_i64
#define tcg_gen_nand_tl tcg_gen_nand_i64
#define tcg_gen_nandi_tl tcg_gen_nandi_i64
#define tcg_gen_neg_tl tcg_gen_neg_i64
#define tcg_gen_negsetcond_tl tcg_gen_negsetcond_i64
#define tcg_gen_negsetcondi_tl tcg_gen_negsetcondi_i64
#define tcg_gen_nor_tl tcg_gen_nor_i64
#define tcg_gen_nori_tl tcg_gen_nori_i64
#define tcg_gen_not_tl tcg_gen_not_i64
#define tcg_gen_or_tl tcg_gen_or_i64
#define tcg_gen_orc_tl tcg_gen_orc_i64
#define tcg_gen_orci_tl tcg_gen_orci_i64
#define tcg_gen_ori_tl tcg_gen_ori_i64
#define tcg_gen_qemu_ld_tl tcg_gen_qemu_ld_i64
#define tcg_gen_qemu_st_tl tcg_gen_qemu_st_i64

#define tcg_gen_rem_tl tcg_gen_rem_i64
#define tcg_gen_remi_tl tcg_gen_remi_i64
#define tcg_gen_remu_tl tcg_gen_remu_i64
#define tcg_gen_remui_tl tcg_gen_remui_i64
#define tcg_gen_rotl_tl tcg_gen_rotl_i64
#define tcg_gen_rotli_tl tcg_gen_rotli_i64
#define tcg_gen_rotr_tl tcg_gen_rotr_i64
#define tcg_gen_rotri_tl tcg_gen_rotri_i64
#define tcg_gen_sar_tl tcg_gen_sar_i64
#define tcg_gen_sari_tl tcg_gen_sari_i64
#define tcg_gen_setcond_tl tcg_gen_setcond_i64
#define tcg_gen_setcondi_tl tcg_gen_setcondi_i64
#define tcg_gen_sextract_tl tcg_gen_sextract_i64
#define tcg_gen_shl_tl tcg_gen_shl_i64
#define tcg_gen_shli_tl tcg_gen_shli_i64
#define tcg_gen_shr_tl tcg_gen_shr_i64
#define tcg_gen_shri_tl tcg_gen_shri_i64
#define tcg_gen_smax_tl tcg_gen_smax_i64
#define tcg_gen_smin_tl tcg_gen_smin_i64
#define tcg_gen_st_tl tcg_gen_st_i64
#define tcg_gen_st16_tl tcg_gen_st16_i64
#define tcg_gen_st32_tl tcg_gen_st32_i64
#define tcg_gen_st8_tl tcg_gen_st8_i64
#define tcg_gen_sub_tl tcg_gen_sub_i64
#define tcg_gen_sub2_tl tcg_gen_sub2_i64
#define tcg_gen_subfi_tl tcg_gen_subfi_i64
#define tcg_gen_subi_tl tcg_gen_subi_i64
#define tcg_gen_umax_tl tcg_gen_umax_i64
#define tcg_gen_umin_tl tcg_gen_umin_i64
#define tcg_gen_wswap_tl tcg_gen_wswap_i64
#define tcg_gen_xor_tl tcg_gen_xor_i64
#define tcg_gen_xori_tl tcg_gen_xori_i64
#define tcg_gen_ld32u_tl tcg_gen_ld32u_i64
#define tcg_gen_ld32s_tl tcg_gen_ld32s_i64
#define tcg_gen_st32_tl tcg_gen_st32_i64
#define tcg_gen_extu_i32_tl tcg_gen_extu_i32_i64
#define tcg_gen_ext_i32_tl tcg_gen_ext_i32_i64
#define tcg_gen_trunc_tl_i32 tcg_gen_extrl_i64_i32
#define tcg_gen_extrl_tl_i32 tcg_gen_extrl_i64_i32
#define tcg_temp_new_tl tcg_temp_new_i64

#endif /* TCG_TCG_OP_H */
