/*
 * The generic translator loop.  A front end describes how to translate one
 * guest instruction (TranslatorOps); translator_loop() drives it: TB
 * boundaries, instruction count limits, page-crossing rules, single step,
 * breakpoints and insn_start bookkeeping.
 *
 * Typical front end:
 *
 *     typedef struct DisasContext {
 *         DisasContextBase base;       // must be first
 *         ...
 *     } DisasContext;
 *
 *     static void my_translate_code(CPUState *cpu, TranslationBlock *tb,
 *                                   int *max_insns, vaddr pc, void *host_pc)
 *     {
 *         DisasContext dc = { 0 };
 *         translator_loop(cpu, tb, max_insns, pc, host_pc,
 *                         &my_translator_ops, &dc.base);
 *     }
 *
 * Rules a TB obeys (enforced by the loop):
 *  - at most *max_insns instructions (from cflags CF_COUNT_MASK, or the
 *    default 512); the loop stops with DISAS_TOO_MANY;
 *  - it never spans more than two guest pages: after each insn, if the
 *    next one starts on a later page than the first insn's, the TB ends
 *    (DISAS_TOO_MANY).  An insn that itself crosses the page end is
 *    allowed (its bytes are fetched with translator_ld*, which records the
 *    second page);
 *  - with CF_SINGLE_STEP, exactly one insn; the front end's tb_stop must
 *    then raise EXCP_DEBUG instead of chaining (check
 *    db->singlestep_enabled);
 *  - translate_insn must advance db->pc_next by the insn length and set
 *    db->is_jmp to something other than DISAS_NEXT when the TB must end.
 */
#ifndef EXEC_TRANSLATOR_H
#define EXEC_TRANSLATOR_H

#include "hw/core/cpu.h"
#include "exec/translation-block.h"
#include "exec/tcg-cpu-ops.h"

typedef enum DisasJumpType {
    DISAS_NEXT,        /* keep translating */
    DISAS_TOO_MANY,    /* stopped by a limit: tb_stop chains to pc_next */
    DISAS_NORETURN,    /* the insn ended the TB itself (exception, exit_tb) */
    DISAS_TARGET_0,    /* the front end's own reasons */
    DISAS_TARGET_1,
    DISAS_TARGET_2,
    DISAS_TARGET_3,
    DISAS_TARGET_4,
    DISAS_TARGET_5,
    DISAS_TARGET_6,
    DISAS_TARGET_7,
    DISAS_TARGET_8,
    DISAS_TARGET_9,
    DISAS_TARGET_10,
    DISAS_TARGET_11,
} DisasJumpType;

typedef struct DisasContextBase {
    TranslationBlock *tb;
    vaddr pc_first;          /* pc of the TB's first insn */
    vaddr pc_next;           /* pc of the insn being / to be translated */
    DisasJumpType is_jmp;
    int num_insns;           /* insns translated so far (incl. current) */
    int max_insns;
    bool singlestep_enabled; /* CF_SINGLE_STEP: end with EXCP_DEBUG */
    /* private to the loop: the host pages of the code (page 0 and 1) */
    void *host_addr[2];
    vaddr page_next;         /* first vaddr of the page after pc_first */
    bool crossed_page;       /* some code came from the second page */
} DisasContextBase;

typedef struct TranslatorOps {
    /* Set up the DisasContext from tb->flags etc. May lower max_insns. */
    void (*init_disas_context)(DisasContextBase *db, CPUState *cpu);
    /* Emit code that runs once at TB entry (optional). */
    void (*tb_start)(DisasContextBase *db, CPUState *cpu);
    /* Emit tcg_gen_insn_start(pc, ...) for the insn at db->pc_next. */
    void (*insn_start)(DisasContextBase *db, CPUState *cpu);
    /* Translate one insn, advance db->pc_next, maybe set db->is_jmp. */
    void (*translate_insn)(DisasContextBase *db, CPUState *cpu);
    /* Emit the TB's end for db->is_jmp (goto_tb / lookup_and_goto_ptr /
     * exit_tb); for DISAS_NORETURN usually nothing. */
    void (*tb_stop)(DisasContextBase *db, CPUState *cpu);
    /* -d in_asm: print the guest code (optional; default: capstone with
     * CPUClass.disas_cs_arch/mode, or hex). Return true if printed. */
    bool (*disas_log)(const DisasContextBase *db, CPUState *cpu, FILE *f);
} TranslatorOps;

/* Default and upper limit of insns per TB (CF_COUNT_MASK bounds it). */
#define TCG_MAX_INSNS 512

/*
 * Translate into tb.  On return *max_insns holds the number of insns
 * actually translated, tb->size / tb->icount are set.  Must be called
 * from TCGCPUOps.translate_code.
 */
void translator_loop(CPUState *cpu, TranslationBlock *tb, int *max_insns,
                     vaddr pc, void *host_pc, const TranslatorOps *ops,
                     DisasContextBase *db);

/*
 * True if a gdb breakpoint is set at pc (then translate_insn should raise
 * EXCP_DEBUG for that insn instead of translating it).
 */
bool translator_has_breakpoint(CPUState *cpu, vaddr pc);

/*
 * May the TB chain directly (tcg_gen_goto_tb) to dest?  False under
 * single step, with CF_NO_GOTO_TB, or when dest is on another page than
 * the TB's start (that page's mapping may change independently).  When
 * false, end with tcg_gen_lookup_and_goto_ptr() (or exit_tb(NULL, 0)).
 */
bool translator_use_goto_tb(DisasContextBase *db, vaddr dest);

/*
 * True when addr lies on the same guest page as the TB's first insn.
 * Variable-length front ends (x86) can use it to decide early whether an
 * insn still fits; the loop itself never starts an insn on a later page.
 */
bool translator_is_same_page(const DisasContextBase *db, vaddr addr);

/*
 * Code fetch during translation.  Always use these (never cpu_ld*) for
 * instruction bytes: they fetch with MMU_INST_FETCH permission (a fault
 * raises the target's instruction abort via tlb_fill), record the second
 * page when the fetch crosses the first page's end (so writes there
 * invalidate the TB), and read guest byte order per the target (endianness
 * from TCGTargetInfo.guest_big_endian; *_swap variants reverse it).
 */
uint8_t translator_ldub(CPUArchState *env, DisasContextBase *db, vaddr pc);
uint16_t translator_lduw(CPUArchState *env, DisasContextBase *db, vaddr pc);
uint32_t translator_ldl(CPUArchState *env, DisasContextBase *db, vaddr pc);
uint64_t translator_ldq(CPUArchState *env, DisasContextBase *db, vaddr pc);

#endif /* EXEC_TRANSLATOR_H */
