/*
 * The generic translator loop (see include/exec/translator.h) and code
 * fetch during translation.
 */
#include "internal.h"
#include "exec/translator.h"
#include "tcg/tcg-op.h"
#include "turtle/log.h"

#ifdef CONFIG_CAPSTONE
#include <capstone/capstone.h>
#endif

__thread bool tcg_in_translation;

bool translator_has_breakpoint(CPUState *cpu, vaddr pc)
{
    guint i;

    if (!cpu->breakpoints) {
        return false;
    }
    for (i = 0; i < cpu->breakpoints->len; i++) {
        if (g_array_index(cpu->breakpoints, vaddr, i) == pc) {
            return true;
        }
    }
    return false;
}

bool translator_is_same_page(const DisasContextBase *db, vaddr addr)
{
    return ((addr ^ db->pc_first) & tcg_exec.page_mask) == 0;
}

bool translator_use_goto_tb(DisasContextBase *db, vaddr dest)
{
    if (db->singlestep_enabled || (db->tb->cflags & CF_NO_GOTO_TB)) {
        return false;
    }
    /* the mapping of another page may change without this TB knowing */
    return translator_is_same_page(db, dest);
}

static void translator_log_in_asm(const DisasContextBase *db, CPUState *cpu,
                                  const TranslatorOps *ops)
{
    FILE *f = turtle_log_trylock();
    CPUClass *cc = CPU_GET_CLASS(cpu);
    size_t size = db->pc_next - db->pc_first;
    uint8_t *buf;
    size_t i;

    if (!f) {
        return;
    }
    fprintf(f, "----------------\nIN: [pc=0x%016" PRIx64 " size=%zu insns=%d]\n",
            (uint64_t)db->pc_first, size, db->num_insns);
    if (ops->disas_log && ops->disas_log(db, cpu, f)) {
        fprintf(f, "\n");
        turtle_log_unlock(f);
        return;
    }
    buf = g_malloc(size ? size : 1);
    if (cpu_memory_rw_debug(cpu, db->pc_first, buf, size, false) < 0) {
        memset(buf, 0, size);
    }
#ifdef CONFIG_CAPSTONE
    if (cc->disas_cs_arch) {
        csh h;

        if (cs_open(cc->disas_cs_arch, cc->disas_cs_mode, &h) == CS_ERR_OK) {
            cs_insn *insn;
            size_t count = cs_disasm(h, buf, size, db->pc_first, 0, &insn);

            for (i = 0; i < count; i++) {
                fprintf(f, "0x%016" PRIx64 ":  %-12s %s\n", insn[i].address,
                        insn[i].mnemonic, insn[i].op_str);
            }
            if (count) {
                cs_free(insn, count);
            }
            cs_close(&h);
            fprintf(f, "\n");
            g_free(buf);
            turtle_log_unlock(f);
            return;
        }
    }
#else
    (void)cc;
#endif
    for (i = 0; i < size; i += 16) {
        size_t j;

        fprintf(f, "0x%016" PRIx64 ":", (uint64_t)(db->pc_first + i));
        for (j = i; j < i + 16 && j < size; j++) {
            fprintf(f, " %02x", buf[j]);
        }
        fprintf(f, "\n");
    }
    fprintf(f, "\n");
    g_free(buf);
    turtle_log_unlock(f);
}

void translator_loop(CPUState *cpu, TranslationBlock *tb, int *max_insns,
                     vaddr pc, void *host_pc, const TranslatorOps *ops,
                     DisasContextBase *db)
{
    uint32_t cflags = tb->cflags;
    bool irq_check = !(cflags & CF_NOIRQ);

    db->tb = tb;
    tcg_set_tb_cflags(cflags);
    db->pc_first = pc;
    db->pc_next = pc;
    db->is_jmp = DISAS_NEXT;
    db->num_insns = 0;
    db->max_insns = *max_insns;
    db->singlestep_enabled = (cflags & CF_SINGLE_STEP) != 0;
    db->host_addr[0] = host_pc;
    db->host_addr[1] = NULL;
    db->page_next = (pc & tcg_exec.page_mask) + tcg_exec.page_size;
    db->crossed_page = false;
    if (db->singlestep_enabled) {
        db->max_insns = 1;
    }

    ops->init_disas_context(db, cpu);
    g_assert(db->is_jmp == DISAS_NEXT);

    if (irq_check) {
        tcg_gen_tb_start(tb);
    }
    if (ops->tb_start) {
        ops->tb_start(db, cpu);
    }

    for (;;) {
        db->num_insns++;
        ops->insn_start(db, cpu);
        ops->translate_insn(db, cpu);
        if (db->is_jmp != DISAS_NEXT) {
            break;
        }
        if (db->num_insns >= db->max_insns) {
            db->is_jmp = DISAS_TOO_MANY;
            break;
        }
        /* never start an insn on a page after the first one */
        if (!translator_is_same_page(db, db->pc_next)) {
            db->is_jmp = DISAS_TOO_MANY;
            break;
        }
        /* stop before a gdb breakpoint: cpu_exec reports it at TB entry */
        if (translator_has_breakpoint(cpu, db->pc_next)) {
            db->is_jmp = DISAS_TOO_MANY;
            break;
        }
        /* keep the IR of one TB reasonable */
        if (tcg_op_count() > 4000) {
            db->is_jmp = DISAS_TOO_MANY;
            break;
        }
    }

    ops->tb_stop(db, cpu);
    if (irq_check) {
        tcg_gen_tb_end(tb);
    }

    tb->size = db->pc_next - db->pc_first;
    tb->icount = db->num_insns;
    *max_insns = db->num_insns;

    if (turtle_loglevel_mask(CPU_LOG_TB_IN_ASM)) {
        translator_log_in_asm(db, cpu, ops);
    }
}

/*
 * Host pointer for the code byte at pc, recording the TB's second page.
 * NULL: the byte is not on executable RAM (fetch it through the TLB).
 */
static void *translator_access(CPUArchState *env, DisasContextBase *db,
                               vaddr pc, unsigned len)
{
    CPUState *cpu = tcg_env_cpu(env);
    vaddr page0 = db->pc_first & tcg_exec.page_mask;
    vaddr last = pc + len - 1;
    int mmu_idx;

    if ((pc & tcg_exec.page_mask) == page0 && (last & tcg_exec.page_mask) == page0) {
        return db->host_addr[0] ? (uint8_t *)db->host_addr[0] + (pc - db->pc_first)
                                : NULL;
    }
    if ((pc & tcg_exec.page_mask) != (last & tcg_exec.page_mask)) {
        return NULL;                    /* straddles: byte by byte */
    }
    /* on the second page */
    if ((pc & tcg_exec.page_mask) != db->page_next) {
        return NULL;
    }
    if (!db->crossed_page) {
        tb_page_addr_t p2;
        void *host;

        mmu_idx = cpu_tcg_ops(cpu)->mmu_index(cpu, true);
        if (db->num_insns > 1) {
            /*
             * Not the TB's first insn: if the second page faults, the
             * fault belongs to this insn, not to the TB's start.  End
             * the TB before it and let the next TB raise it.
             */
            if (probe_access_flags(env, pc, 1, MMU_INST_FETCH, mmu_idx, true,
                                   &host, 0) & TLB_INVALID_MASK) {
                cpu->cflags_next_tb = (db->tb->cflags & ~CF_COUNT_MASK) |
                                      (db->num_insns - 1);
                cpu_loop_exit_noexc(cpu);
            }
        }
        p2 = get_page_addr_code_hostp(env, pc, mmu_idx, &host);
        db->crossed_page = true;
        db->host_addr[1] = host;
        db->tb->page_addr[1] = p2 == (tb_page_addr_t)-1
                               ? p2 : (p2 & tcg_exec.page_mask);
    }
    return db->host_addr[1] ? (uint8_t *)db->host_addr[1] + (pc - db->page_next)
                            : NULL;
}

static uint8_t translator_fetch_byte(CPUArchState *env, DisasContextBase *db,
                                     vaddr pc)
{
    CPUState *cpu = tcg_env_cpu(env);
    uint8_t *p = translator_access(env, db, pc, 1);

    if (p) {
        return *p;
    }
    return cpu_ldub_mmuidx_ra(env, pc, cpu_tcg_ops(cpu)->mmu_index(cpu, true), 0);
}

static uint64_t translator_fetch(CPUArchState *env, DisasContextBase *db,
                                 vaddr pc, unsigned len)
{
    uint8_t *p = translator_access(env, db, pc, len);
    uint64_t v = 0;
    unsigned i;

    if (p) {
        v = ldn_le_p(p, len);
    } else {
        for (i = 0; i < len; i++) {
            v |= (uint64_t)translator_fetch_byte(env, db, pc + i) << (8 * i);
        }
    }
    if (tcg_exec.info->guest_big_endian) {
        switch (len) {
        case 2:
            v = bswap16(v);
            break;
        case 4:
            v = bswap32(v);
            break;
        case 8:
            v = bswap64(v);
            break;
        }
    }
    return v;
}

uint8_t translator_ldub(CPUArchState *env, DisasContextBase *db, vaddr pc)
{
    return translator_fetch(env, db, pc, 1);
}

uint16_t translator_lduw(CPUArchState *env, DisasContextBase *db, vaddr pc)
{
    return translator_fetch(env, db, pc, 2);
}

uint32_t translator_ldl(CPUArchState *env, DisasContextBase *db, vaddr pc)
{
    return translator_fetch(env, db, pc, 4);
}

uint64_t translator_ldq(CPUArchState *env, DisasContextBase *db, vaddr pc)
{
    return translator_fetch(env, db, pc, 8);
}
