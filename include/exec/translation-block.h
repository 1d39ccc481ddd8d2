/*
 * TranslationBlock: one translated run of guest code.  Shared between the
 * code generator (tcg/, which fills tc, jmp_* and the search data) and
 * accel/tcg (which owns everything else: lookup, chaining, invalidation).
 * accel/tcg may add fields.
 */
#ifndef EXEC_TRANSLATION_BLOCK_H
#define EXEC_TRANSLATION_BLOCK_H

#include <stdint.h>
#include <stddef.h>

typedef uint64_t vaddr;
typedef uint64_t tb_page_addr_t;

/* cflags */
#define CF_COUNT_MASK    0x000001ffu  /* max insns in the TB (0 = default) */
#define CF_NO_GOTO_TB    0x00000200u  /* do not chain with goto_tb */
#define CF_NO_GOTO_PTR   0x00000400u  /* do not use lookup_and_goto_ptr */
#define CF_SINGLE_STEP   0x00000800u  /* gdbstub single step */
#define CF_LAST_IO       0x00008000u  /* last insn may do I/O (icount) */
#define CF_MEMI_ONLY     0x00010000u  /* only instrument memory ops */
#define CF_USE_ICOUNT    0x00020000u
#define CF_INVALID       0x00040000u  /* TB is stale, being invalidated */
#define CF_PARALLEL      0x00080000u  /* generate code for a parallel context */
#define CF_NOIRQ         0x00100000u  /* generate code with no irq check */
#define CF_NOCHAIN       (CF_NO_GOTO_TB | CF_NO_GOTO_PTR)
#define CF_CLUSTER_MASK  0xff000000u
#define CF_CLUSTER_SHIFT 24

/* Low bits of the value tcg_qemu_tb_exec() returns: how the TB exited. */
#define TB_EXIT_MASK      3
#define TB_EXIT_IDX0      0           /* via goto_tb slot 0, not chained */
#define TB_EXIT_IDX1      1           /* via goto_tb slot 1, not chained */
#define TB_EXIT_IDXMAX    1
#define TB_EXIT_REQUESTED 3           /* icount_decr was negative at entry */

#define TB_JMP_OFFSET_INVALID 0xffff  /* no goto_tb slot n in this TB */

typedef struct TranslationBlock TranslationBlock;

struct TranslationBlock {
    vaddr pc;                   /* guest virtual pc at the start */
    uint64_t cs_base;           /* x86: CS base; unused on AArch64 */
    uint32_t flags;             /* target-specific translation flags */
    uint32_t cflags;            /* CF_* */
    uint16_t size;              /* guest code bytes covered */
    uint16_t icount;            /* guest insns in the TB */

    struct tb_tc {
        const void *ptr;        /* executable (RX) address of the code */
        size_t size;            /* bytes of host code (search data follows) */
    } tc;

    /*
     * Chaining.  For goto_tb slot n:
     *  jmp_reset_offset[n]: code offset the unchained jump goes to (the
     *                       exit path right after the jump);
     *  jmp_insn_offset[n]:  code offset of the patchable field (rel32 of
     *                       the x86 jmp; 8-byte target slot for TCI);
     *  jmp_target_addr[n]:  the host address currently jumped to.
     * Use tcg_tb_set_jmp_target() / tcg_tb_reset_jump() to patch.
     */
    uint16_t jmp_reset_offset[2];
    uint16_t jmp_insn_offset[2];
    uintptr_t jmp_target_addr[2];

    /* owned by accel/tcg: incoming/outgoing chain lists */
    uintptr_t jmp_list_head;
    uintptr_t jmp_list_next[2];
    uintptr_t jmp_dest[2];

    /* owned by accel/tcg: physical pages holding the guest code */
    tb_page_addr_t page_addr[2];
    uintptr_t page_next[2];
    tb_page_addr_t phys_pc;
    uint32_t hash;
    void *accel_priv;           /* free for accel/tcg */
};

#endif /* EXEC_TRANSLATION_BLOCK_H */
