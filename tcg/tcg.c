/*
 * TCG core: the IR function (temps, ops, labels), liveness analysis,
 * register allocation and the emission driver shared by all back ends,
 * plus the per-instruction search data used to restore guest state.
 */
#include "config-host.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "tcg-internal.h"
#include "tcg/tcg-op.h"
#include "turtle/log.h"

/*
 * -d op,op_opt,out_asm: follow the process log settings (util/log.c),
 * unless tcg_set_log() chose explicitly.
 */

const TCGOpDef tcg_op_defs[NB_OPS] = {
#define DEF(n, o, i, c, f) [INDEX_op_##n] = { #n, o, i, c, f },
    TCG_OPCODES(DEF)
#undef DEF
};

static TCGContext tcg_ctx_storage;
TCGContext *tcg_ctx = &tcg_ctx_storage;
TCGv_ptr tcg_env;
bool tcg_use_tci;
__thread uintptr_t tci_tb_ptr;
const void *tcg_code_gen_epilogue;

/* region.c */
bool tcg_region_init(TCGContext *s, size_t size, bool split_wx, char **errmsg);

/* ------------------------------------------------------------------ */
/* Back end selection                                                   */

static TCGBackendKind cur_backend;

bool tcg_have_native_backend(void)
{
#ifdef CONFIG_TCG_NATIVE_X86_64
    return true;
#else
    return false;
#endif
}

void tcg_set_backend(TCGBackendKind kind)
{
    TCGContext *s = tcg_ctx;

    if (!tcg_have_native_backend()) {
        kind = TCG_BACKEND_TCI;
    }
    cur_backend = kind;
    tcg_use_tci = kind == TCG_BACKEND_TCI;
#ifdef CONFIG_TCG_NATIVE_X86_64
    s->be = tcg_use_tci ? &tcg_backend_tci : &tcg_backend_x86_64;
#else
    s->be = &tcg_backend_tci;
#endif
    tcg_code_gen_epilogue = s->epilogue[kind];
    s->reserved_regs = 0;
}

TCGBackendKind tcg_get_backend(void)
{
    return cur_backend;
}

const char *tcg_backend_name(void)
{
    return tcg_ctx->be->name;
}

/* ------------------------------------------------------------------ */
/* Temps                                                                */

static int temp_alloc(void)
{
    TCGContext *s = tcg_ctx;

    if (s->nb_temps >= TCG_MAX_TEMPS) {
        /* Translation of an absurdly long TB: reuse the last one; the
         * code generator reports the overflow and the TB is retried. */
        s->alloc_failed = true;
        return s->nb_temps - 1;
    }
    memset(&s->temps[s->nb_temps], 0, sizeof(TCGTemp));
    return s->nb_temps++;
}

static int global_new(TCGType type, intptr_t offset, const char *name)
{
    TCGContext *s = tcg_ctx;
    int idx;
    TCGTemp *ts;

    g_assert(s->nb_temps == s->nb_globals);
    idx = temp_alloc();
    ts = &s->temps[idx];
    ts->kind = TEMP_GLOBAL;
    ts->type = type;
    ts->mem_offset = offset;
    ts->mem_allocated = true;
    ts->name = g_strdup(name);
    s->nb_globals = s->nb_temps;
    return idx;
}

TCGv_i32 tcg_global_mem_new_i32(TCGv_ptr base, intptr_t offset, const char *name)
{
    g_assert(base == tcg_env);
    return (TCGv_i32)tcg_idx_arg(global_new(TCG_TYPE_I32, offset, name));
}

TCGv_i64 tcg_global_mem_new_i64(TCGv_ptr base, intptr_t offset, const char *name)
{
    g_assert(base == tcg_env);
    return (TCGv_i64)tcg_idx_arg(global_new(TCG_TYPE_I64, offset, name));
}

TCGv_ptr tcg_global_mem_new_ptr(TCGv_ptr base, intptr_t offset, const char *name)
{
    g_assert(base == tcg_env);
    return (TCGv_ptr)tcg_idx_arg(global_new(TCG_TYPE_PTR, offset, name));
}

int tcg_new_temp(TCGType type)
{
    TCGContext *s = tcg_ctx;
    int i;

    /* reuse a freed temp of the same type */
    for (i = s->nb_globals; s->nb_freed && i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->freed && ts->type == type) {
            ts->freed = false;
            s->nb_freed--;
            return i;
        }
    }
    i = temp_alloc();
    s->temps[i].kind = TEMP_TB;
    s->temps[i].type = type;
    return i;
}

TCGv_i32 tcg_temp_new_i32(void)
{
    return (TCGv_i32)tcg_idx_arg(tcg_new_temp(TCG_TYPE_I32));
}

TCGv_i64 tcg_temp_new_i64(void)
{
    return (TCGv_i64)tcg_idx_arg(tcg_new_temp(TCG_TYPE_I64));
}

TCGv_ptr tcg_temp_new_ptr(void)
{
    return (TCGv_ptr)tcg_idx_arg(tcg_new_temp(TCG_TYPE_PTR));
}

static void temp_free_handle(TCGArg v)
{
    TCGTemp *ts = &tcg_ctx->temps[tcgv_idx(v)];

    if (ts->kind == TEMP_TB && !ts->freed) {
        ts->freed = true;
        tcg_ctx->nb_freed++;
    }
}

/*
 * Freeing only recycles the index for later tcg_temp_new_*: liveness works
 * on the whole op stream, so a recycled temp is just a new live range.
 */
void tcg_temp_free_i32(TCGv_i32 v) { temp_free_handle((TCGArg)v); }
void tcg_temp_free_i64(TCGv_i64 v) { temp_free_handle((TCGArg)v); }
void tcg_temp_free_ptr(TCGv_ptr v) { temp_free_handle((TCGArg)v); }

int tcg_const_temp(TCGType type, int64_t val)
{
    TCGContext *s = tcg_ctx;
    gpointer found;
    int idx;
    TCGTemp *ts;

    if (type == TCG_TYPE_I32) {
        val = (int32_t)val;
    }
    if (g_hash_table_lookup_extended(s->const_table[type], &val, NULL, &found)) {
        return GPOINTER_TO_INT(found);
    }
    idx = temp_alloc();
    ts = &s->temps[idx];
    ts->kind = TEMP_CONST;
    ts->type = type;
    ts->val_type = VAL_CONST;
    ts->val = val;
    ts->opt_const = true;
    ts->opt_val = val;
    {
        int64_t *key = tcg_arena_alloc(sizeof(int64_t));
        *key = val;
        g_hash_table_insert(s->const_table[type], key, GINT_TO_POINTER(idx));
    }
    return idx;
}

TCGv_i32 tcg_constant_i32(int32_t val)
{
    return (TCGv_i32)tcg_idx_arg(tcg_const_temp(TCG_TYPE_I32, val));
}

TCGv_i64 tcg_constant_i64(int64_t val)
{
    return (TCGv_i64)tcg_idx_arg(tcg_const_temp(TCG_TYPE_I64, val));
}

TCGv_ptr tcg_constant_ptr(intptr_t val)
{
    return (TCGv_ptr)tcg_idx_arg(tcg_const_temp(TCG_TYPE_PTR, val));
}

/* ------------------------------------------------------------------ */
/* Per-function arena, ops and labels                                   */

#define ARENA_CHUNK 65536

static uint8_t *arena_ptr, *arena_end;

void *tcg_arena_alloc(size_t size)
{
    TCGContext *s = tcg_ctx;
    void *p;

    size = (size + 15) & ~(size_t)15;
    if (arena_ptr + size > arena_end) {
        size_t n = MAX(size, ARENA_CHUNK);
        arena_ptr = g_malloc(n);
        arena_end = arena_ptr + n;
        g_ptr_array_add(s->arena, arena_ptr);
    }
    p = arena_ptr;
    arena_ptr += size;
    return p;
}

TCGOp *tcg_emit_op(TCGOpcode opc, TCGType type, int nargs)
{
    TCGOp *op = tcg_arena_alloc(sizeof(TCGOp));

    (void)nargs;
    memset(op, 0, sizeof(*op));
    op->opc = opc;
    op->type = type;
    g_ptr_array_add(tcg_ctx->ops, op);
    return op;
}

int tcg_op_count(void)
{
    return tcg_ctx->ops->len;
}

TCGLabel *gen_new_label(void)
{
    TCGContext *s = tcg_ctx;
    TCGLabel *l = tcg_arena_alloc(sizeof(TCGLabel));

    memset(l, 0, sizeof(*l));
    l->id = s->labels->len;
    g_ptr_array_add(s->labels, l);
    return l;
}

TCGLabel *tcg_label_from_arg(TCGArg a)
{
    return (TCGLabel *)a;
}

void tcg_func_start(void)
{
    TCGContext *s = tcg_ctx;
    int i;

    s->nb_temps = s->nb_globals;
    s->nb_freed = 0;
    g_ptr_array_set_size(s->ops, 0);
    g_ptr_array_set_size(s->labels, 0);
    for (i = 0; i < 2; i++) {
        g_hash_table_remove_all(s->const_table[i]);
    }
    /* keep the first chunk for reuse */
    if (s->arena->len > 1) {
        g_ptr_array_remove_range(s->arena, 1, s->arena->len - 1);
    }
    if (s->arena->len == 1) {
        arena_ptr = g_ptr_array_index(s->arena, 0);
        arena_end = arena_ptr + ARENA_CHUNK;
    } else {
        arena_ptr = arena_end = NULL;
    }
    s->alloc_failed = false;
    s->gen_cflags = 0;
}

void tcg_set_tb_cflags(uint32_t cflags)
{
    tcg_ctx->gen_cflags = cflags;
}

uint32_t tcg_tb_cflags(void)
{
    return tcg_ctx->gen_cflags;
}

/* ------------------------------------------------------------------ */
/* Initialisation                                                       */

bool tcg_init(const TCGTargetInfo *info, const TCGOptions *opts, char **errmsg)
{
    TCGContext *s = tcg_ctx;
    int i;

    g_assert(info->page_bits >= 10 && info->page_bits <= 16);
    g_assert(info->nb_mmu_modes >= 1 && info->nb_mmu_modes <= TCG_MAX_MMU_MODES);
    g_assert(info->insn_start_words >= 1 && info->insn_start_words <= 3);
    s->target = *info;
    s->ops = g_ptr_array_new();
    s->labels = g_ptr_array_new();
    s->arena = g_ptr_array_new_with_free_func(g_free);
    for (i = 0; i < 2; i++) {
        s->const_table[i] = g_hash_table_new(g_int64_hash, g_int64_equal);
    }

    /* temp 0: env, fixed in the back end's env register */
    s->nb_temps = s->nb_globals = 0;
    i = temp_alloc();
    s->temps[i].kind = TEMP_FIXED;
    s->temps[i].type = TCG_TYPE_PTR;
    s->temps[i].val_type = VAL_REG;
    s->temps[i].name = "env";
    s->nb_globals = s->nb_temps;
    tcg_env = (TCGv_ptr)tcg_idx_arg(i);

    if (!tcg_region_init(s, opts ? opts->tb_size : 0,
                         opts ? opts->split_wx : false, errmsg)) {
        return false;
    }

    /* prologues of every available back end, then the selected one */
    s->code_ptr = s->code_gen_buffer;
#ifdef CONFIG_TCG_NATIVE_X86_64
    if (tcg_x86_probe()) {
        s->be = &tcg_backend_x86_64;
        s->prologue[TCG_BACKEND_NATIVE] = (void *)tcg_rw_to_rx(s, s->code_ptr);
        s->be->out_prologue(s);
    }
#endif
    s->code_ptr = (uint8_t *)(((uintptr_t)s->code_ptr + 63) & ~(uintptr_t)63);
    s->be = &tcg_backend_tci;
    s->prologue[TCG_BACKEND_TCI] = (void *)tcg_rw_to_rx(s, s->code_ptr);
    s->be->out_prologue(s);
    s->code_ptr = (uint8_t *)(((uintptr_t)s->code_ptr + 63) & ~(uintptr_t)63);
    s->code_gen_start = s->code_gen_ptr = s->code_ptr;
    __builtin___clear_cache((char *)s->code_gen_buffer + s->code_rx_offset,
                            (char *)s->code_ptr + s->code_rx_offset);

    tcg_set_backend(opts ? opts->backend : TCG_BACKEND_NATIVE);
    tcg_func_start();
    return true;
}

/* ------------------------------------------------------------------ */
/* Code buffer bookkeeping                                              */

TranslationBlock *tcg_tb_alloc(void)
{
    TCGContext *s = tcg_ctx;
    uintptr_t p = ((uintptr_t)s->code_gen_ptr + 63) & ~(uintptr_t)63;
    TranslationBlock *tb = (TranslationBlock *)p;

    if ((uint8_t *)(tb + 1) > s->code_gen_highwater) {
        return NULL;
    }
    memset(tb, 0, sizeof(*tb));
    s->code_gen_ptr = (uint8_t *)(tb + 1);
    return tb;
}

void tcg_region_reset_all(void)
{
    tcg_ctx->code_gen_ptr = tcg_ctx->code_gen_start;
}

size_t tcg_code_size(void)
{
    return tcg_ctx->code_gen_ptr - tcg_ctx->code_gen_buffer;
}

size_t tcg_code_capacity(void)
{
    return tcg_ctx->code_gen_buffer_size;
}

bool tcg_in_code_buffer(uintptr_t host_pc)
{
    TCGContext *s = tcg_ctx;
    uintptr_t start = tcg_rw_to_rx(s, s->code_gen_buffer);

    return host_pc >= start && host_pc < start + s->code_gen_buffer_size;
}

void tcg_out_reloc(TCGContext *s, uint8_t *ptr, int type, TCGLabel *l,
                   intptr_t addend)
{
    if (l->has_value) {
        if (!s->be->patch_reloc(ptr, type, (uintptr_t)l->value, addend)) {
            s->alloc_failed = true;
        }
    } else {
        TCGReloc *r = tcg_arena_alloc(sizeof(TCGReloc));
        r->ptr = ptr;
        r->type = type;
        r->addend = addend;
        r->next = l->relocs;
        l->relocs = r;
    }
}

static void label_set_value(TCGContext *s, TCGLabel *l)
{
    TCGReloc *r;

    if (l->has_value) {
        g_error("tcg: label $L%d set twice", l->id);
    }
    l->has_value = true;
    l->value = s->code_ptr;
    for (r = l->relocs; r; r = r->next) {
        if (!s->be->patch_reloc(r->ptr, r->type, (uintptr_t)l->value, r->addend)) {
            s->alloc_failed = true;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Liveness                                                             */

enum { TS_DEAD = 1, TS_MEM = 2 };

static void la_bb_end(TCGContext *s)
{
    int i;

    for (i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        switch (ts->kind) {
        case TEMP_GLOBAL:
            ts->state = TS_DEAD | TS_MEM;
            break;
        case TEMP_TB:
            /* only a temp seen in another basic block needs its value saved */
            ts->state = ts->crosses_bb ? TS_DEAD | TS_MEM : TS_DEAD;
            break;
        default:
            ts->state = TS_DEAD;
            break;
        }
    }
}

/*
 * A conditional branch: the target block reads everything from memory, the
 * fall-through block may go on using registers, so values must be in
 * memory but stay live as the fall-through needs them.
 */
static void la_bb_sync(TCGContext *s)
{
    int i;

    for (i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        switch (ts->kind) {
        case TEMP_GLOBAL:
            ts->state |= TS_MEM;
            break;
        case TEMP_TB:
            if (ts->crosses_bb) {
                ts->state |= TS_MEM;
            } else {
                ts->state = TS_DEAD;
            }
            break;
        default:
            break;
        }
    }
}

static void la_func_end(TCGContext *s)
{
    int i;

    for (i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        ts->state = ts->kind == TEMP_GLOBAL ? TS_DEAD | TS_MEM : TS_DEAD;
    }
}

static void la_globals(TCGContext *s, uint8_t state, bool or)
{
    int i;

    for (i = 0; i < s->nb_globals; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->kind == TEMP_GLOBAL) {
            ts->state = or ? ts->state | state : state;
        }
    }
}

/*
 * Find the temps whose value may flow from one basic block to another.
 * A temp used in a single basic block only lives there (reading it before
 * writing it there gives an undefined value anyway), so liveness need not
 * keep it in memory at the block's end.
 */
static void find_crossing_temps(TCGContext *s)
{
    int oi, i, bb = 0;

    for (i = s->nb_globals; i < s->nb_temps; i++) {
        s->temps[i].bb_id = -1;
        s->temps[i].crosses_bb = false;
    }
    for (oi = 0; oi < (int)s->ops->len; oi++) {
        TCGOp *op = g_ptr_array_index(s->ops, oi);
        int n;

        if (op->opc == INDEX_op_set_label) {
            bb++;
            continue;
        }
        if (op->opc == INDEX_op_nop || op->opc == INDEX_op_insn_start) {
            continue;
        }
        n = tcg_op_nb_oargs(op) + tcg_op_nb_iargs(op);
        for (i = 0; i < n; i++) {
            TCGTemp *ts = arg_temp(op->args[i]);
            if (ts->kind != TEMP_TB) {
                continue;
            }
            if (ts->bb_id < 0) {
                ts->bb_id = bb;
            } else if (ts->bb_id != bb) {
                ts->crosses_bb = true;
            }
        }
        if (tcg_op_defs[op->opc].flags & OPF_BB_END) {
            bb++;
        }
    }
}

static void liveness_pass(TCGContext *s)
{
    int oi, i;

    find_crossing_temps(s);
    la_func_end(s);
    for (oi = s->ops->len - 1; oi >= 0; oi--) {
        TCGOp *op = g_ptr_array_index(s->ops, oi);
        const TCGOpDef *def = &tcg_op_defs[op->opc];
        int nb_o = tcg_op_nb_oargs(op), nb_i = tcg_op_nb_iargs(op);
        uint32_t life = 0;
        unsigned flags = def->flags;

        switch (op->opc) {
        case INDEX_op_nop:
        case INDEX_op_insn_start:
            continue;
        case INDEX_op_discard:
            arg_temp(op->args[0])->state = TS_DEAD;
            continue;
        case INDEX_op_call: {
            const TCGHelperInfo *info = tcg_call_info(op);
            if ((info->flags & TCG_CALL_NO_SE) && nb_o
                && arg_temp(op->args[0])->state == TS_DEAD) {
                op->opc = INDEX_op_nop;
                continue;
            }
            for (i = 0; i < nb_o; i++) {
                TCGTemp *ts = arg_temp(op->args[i]);
                if (ts->state & TS_DEAD) {
                    life |= DEAD_ARG(i);
                }
                if (ts->state & TS_MEM) {
                    life |= SYNC_ARG(i);
                }
                ts->state = TS_DEAD;
            }
            if (!(info->flags & TCG_CALL_NO_RWG)) {
                if (!(info->flags & TCG_CALL_NO_WG)) {
                    la_globals(s, TS_DEAD | TS_MEM, false);
                } else {
                    la_globals(s, TS_MEM, true);
                }
            }
            break;
        }
        default:
            if (nb_o && !(flags & (OPF_SIDE_EFFECTS | OPF_BB_END))) {
                bool all_dead = true;
                for (i = 0; i < nb_o; i++) {
                    if (arg_temp(op->args[i])->state != TS_DEAD) {
                        all_dead = false;
                    }
                }
                if (all_dead) {
                    op->opc = INDEX_op_nop;
                    continue;
                }
            }
            for (i = 0; i < nb_o; i++) {
                TCGTemp *ts = arg_temp(op->args[i]);
                if (ts->state & TS_DEAD) {
                    life |= DEAD_ARG(i);
                }
                if (ts->state & TS_MEM) {
                    life |= SYNC_ARG(i);
                }
                ts->state = TS_DEAD;
            }
            if (flags & OPF_BB_EXIT) {
                la_func_end(s);
            } else if (flags & OPF_COND_BRANCH) {
                la_bb_sync(s);
            } else if (flags & OPF_BB_END) {
                la_bb_end(s);
            } else if (flags & OPF_CALL_CLOBBER) {
                /* guest memory access: a fault looks at the CPU state */
                la_globals(s, TS_MEM, true);
            }
            break;
        }
        for (i = nb_o; i < nb_o + nb_i; i++) {
            TCGTemp *ts = arg_temp(op->args[i]);
            if (ts->state & TS_DEAD) {
                life |= DEAD_ARG(i);
            }
        }
        for (i = nb_o; i < nb_o + nb_i; i++) {
            arg_temp(op->args[i])->state &= ~TS_DEAD;
        }
        op->life = life;
    }
}

/* ------------------------------------------------------------------ */
/* Register allocation                                                  */

static int temp_base_reg(TCGContext *s, TCGTemp *ts)
{
    return ts->kind == TEMP_GLOBAL ? s->be->reg_env : s->be->reg_sp;
}

static void temp_allocate_frame(TCGContext *s, TCGTemp *ts)
{
    if (ts->mem_allocated) {
        return;
    }
    if (s->frame_next + 8 > s->be->frame_end) {
        s->alloc_failed = true;
        s->frame_next = s->be->frame_start;     /* keep going, result discarded */
    }
    ts->mem_offset = s->frame_next;
    s->frame_next += 8;
    ts->mem_allocated = true;
}

static inline bool temp_is_const(TCGTemp *ts)
{
    return ts->val_type == VAL_CONST;
}

static void reg_unbind(TCGContext *s, TCGTemp *ts)
{
    if (ts->val_type == VAL_REG) {
        s->reg_to_temp[ts->reg] = NULL;
    }
}

static int reg_alloc(TCGContext *s, TCGRegSet required, TCGRegSet exclude);

/* Emit the value of ts into reg without binding it to the register. */
static void copy_load(TCGContext *s, TCGTemp *ts, int reg)
{
    switch (ts->val_type) {
    case VAL_CONST:
        s->be->out_movi(s, ts->type, reg, ts->val);
        break;
    case VAL_REG:
        if (ts->reg != reg) {
            s->be->out_mov(s, TCG_TYPE_I64, reg, ts->reg);
        }
        break;
    case VAL_MEM:
        temp_allocate_frame(s, ts);
        s->be->out_ld(s, ts->type, reg, temp_base_reg(s, ts), ts->mem_offset);
        break;
    case VAL_DEAD:
        break;                  /* undefined value: anything goes */
    }
}

/* Bring ts into a register of `required` (not in `exclude` unless ts is
 * already there) and bind it, except constants which are never bound. */
static int temp_load(TCGContext *s, TCGTemp *ts, TCGRegSet required,
                     TCGRegSet exclude)
{
    int reg;

    if (ts->val_type == VAL_REG && (required & tcg_regset_bit(ts->reg))) {
        return ts->reg;
    }
    reg = reg_alloc(s, required, exclude);
    copy_load(s, ts, reg);
    if (ts->kind == TEMP_CONST) {
        return reg;
    }
    if (ts->kind == TEMP_FIXED) {
        return reg;
    }
    switch (ts->val_type) {
    case VAL_REG:
        s->reg_to_temp[ts->reg] = NULL;
        break;
    case VAL_MEM:
        ts->mem_coherent = true;
        break;
    default:
        ts->mem_coherent = false;
        break;
    }
    ts->val_type = VAL_REG;
    ts->reg = reg;
    s->reg_to_temp[reg] = ts;
    return reg;
}

/* Make the memory copy of ts up to date; keep any register copy. */
static void temp_sync(TCGContext *s, TCGTemp *ts, TCGRegSet exclude)
{
    if (ts->kind == TEMP_CONST || ts->kind == TEMP_FIXED) {
        return;
    }
    if (ts->val_type == VAL_CONST) {
        if (ts->mem_coherent) {
            return;
        }
        temp_allocate_frame(s, ts);
        if (s->be->out_sti &&
            s->be->out_sti(s, ts->type, ts->val, temp_base_reg(s, ts),
                           ts->mem_offset)) {
            ts->mem_coherent = true;
            return;
        }
        temp_load(s, ts, ~(TCGRegSet)0, exclude);
    }
    if (ts->val_type == VAL_REG && !ts->mem_coherent) {
        temp_allocate_frame(s, ts);
        s->be->out_st(s, ts->type, ts->reg, temp_base_reg(s, ts), ts->mem_offset);
        ts->mem_coherent = true;
    }
}

/* Sync to memory and forget the register. */
static void temp_save(TCGContext *s, TCGTemp *ts, TCGRegSet exclude)
{
    if (ts->kind == TEMP_CONST || ts->kind == TEMP_FIXED) {
        return;
    }
    if (ts->val_type == VAL_DEAD) {
        return;
    }
    temp_sync(s, ts, exclude);
    reg_unbind(s, ts);
    ts->val_type = VAL_MEM;
}

static void temp_dead(TCGContext *s, TCGTemp *ts)
{
    if (ts->kind == TEMP_CONST || ts->kind == TEMP_FIXED) {
        return;
    }
    /* TB temps stay addressable in memory: another basic block may read
     * the copy saved at its end */
    reg_unbind(s, ts);
    ts->val_type = VAL_MEM;
}

static void reg_free(TCGContext *s, int reg, TCGRegSet exclude)
{
    TCGTemp *ts = s->reg_to_temp[reg];

    if (ts) {
        temp_save(s, ts, exclude | tcg_regset_bit(reg));
    }
}

static int reg_alloc(TCGContext *s, TCGRegSet required, TCGRegSet exclude)
{
    const TCGBackend *be = s->be;
    TCGRegSet ok = required & ~exclude & ~s->reserved_regs;
    int i;

    for (i = 0; i < be->nb_alloc_order; i++) {
        int r = be->alloc_order[i];
        if ((ok & tcg_regset_bit(r)) && !s->reg_to_temp[r]) {
            return r;
        }
    }
    for (i = 0; i < be->nb_alloc_order; i++) {
        int r = be->alloc_order[i];
        if (ok & tcg_regset_bit(r)) {
            reg_free(s, r, exclude);
            return r;
        }
    }
    g_error("tcg: no register satisfies the constraint (required %#x, exclude %#x)",
            required, exclude);
}

/* End of basic block: everything live goes to memory. */
static void save_all(TCGContext *s, TCGRegSet exclude)
{
    int i;

    for (i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->kind == TEMP_GLOBAL || ts->kind == TEMP_TB) {
            temp_save(s, ts, exclude);
        }
    }
}

/* Conditional branch: memory up to date, registers stay valid for the
 * fall-through path. */
static void sync_all(TCGContext *s, TCGRegSet exclude)
{
    int i;

    for (i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->kind == TEMP_GLOBAL || ts->kind == TEMP_TB) {
            temp_sync(s, ts, exclude);
        }
    }
}

/* Leaving the TB: globals to memory, temps are dead. */
static void save_globals_kill_temps(TCGContext *s, TCGRegSet exclude)
{
    int i;

    for (i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->kind == TEMP_GLOBAL) {
            temp_save(s, ts, exclude);
        } else if (ts->kind == TEMP_TB) {
            temp_dead(s, ts);
        }
    }
}

/* After a label every value is in memory (another path may come here). */
static void label_entry_state(TCGContext *s)
{
    int i;

    for (i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->kind == TEMP_GLOBAL || ts->kind == TEMP_TB) {
            g_assert(ts->val_type != VAL_REG);
            ts->val_type = VAL_MEM;
            ts->mem_coherent = true;
        }
    }
}

static void reg_alloc_mov(TCGContext *s, TCGOp *op)
{
    TCGTemp *ots = arg_temp(op->args[0]);
    TCGTemp *its = arg_temp(op->args[1]);
    uint32_t life = op->life;

    if (ots == its) {
        goto done;
    }
    if (temp_is_const(its)) {
        reg_unbind(s, ots);
        ots->val_type = VAL_CONST;
        ots->val = op->type == TCG_TYPE_I32 ? (int32_t)its->val : its->val;
        ots->mem_coherent = false;
    } else if (its->val_type == VAL_REG && (life & DEAD_ARG(1))
               && its->kind != TEMP_FIXED) {
        int reg = its->reg;
        temp_dead(s, its);
        reg_unbind(s, ots);
        ots->val_type = VAL_REG;
        ots->reg = reg;
        ots->mem_coherent = false;
        s->reg_to_temp[reg] = ots;
        life &= ~DEAD_ARG(1);
    } else {
        TCGRegSet excl = its->val_type == VAL_REG ? tcg_regset_bit(its->reg) : 0;
        int reg;
        if (ots->val_type == VAL_REG) {
            reg = ots->reg;
        } else {
            reg = reg_alloc(s, ~(TCGRegSet)0, excl);
        }
        copy_load(s, its, reg);
        reg_unbind(s, ots);
        ots->val_type = VAL_REG;
        ots->reg = reg;
        ots->mem_coherent = false;
        s->reg_to_temp[reg] = ots;
    }
done:
    if (life & DEAD_ARG(1)) {
        temp_dead(s, its);
    }
    if (life & SYNC_ARG(0)) {
        temp_sync(s, ots, 0);
    }
    if (life & DEAD_ARG(0)) {
        temp_dead(s, ots);
    }
}

static void reg_alloc_op(TCGContext *s, TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    int nb_o = def->nb_oargs, nb_i = def->nb_iargs, nb_c = def->nb_cargs;
    TCGConstraintSet cs;
    TCGArg new_args[TCG_MAX_OP_ARGS];
    bool const_args[TCG_MAX_OP_ARGS];
    TCGRegSet i_alloc = 0, o_alloc = 0, clob;
    bool copied[TCG_MAX_OP_ARGS];
    int i, k;

    memset(&cs, 0, sizeof(cs));
    for (i = 0; i < TCG_MAX_OP_ARGS; i++) {
        cs.args[i].alias = -1;
    }
    s->be->constraints(op, &cs);
    memset(const_args, 0, sizeof(const_args));
    memset(copied, 0, sizeof(copied));
    memcpy(new_args + nb_o + nb_i, op->args + nb_o + nb_i, nb_c * sizeof(TCGArg));

    clob = cs.clobber;
    if (def->flags & OPF_CALL_CLOBBER) {
        clob |= s->be->call_clobbered;
    }
    if (def->flags & OPF_CALL_CLOBBER) {
        /* guest memory access: a fault (or the slow path) may look at the
         * CPU state */
        for (i = 0; i < s->nb_globals; i++) {
            if (s->temps[i].kind == TEMP_GLOBAL) {
                temp_sync(s, &s->temps[i], 0);
            }
        }
    }
    for (i = 0; i < s->be->nb_regs; i++) {
        if (clob & tcg_regset_bit(i)) {
            reg_free(s, i, clob);
        }
    }

    for (k = nb_o; k < nb_o + nb_i; k++) {
        TCGTemp *ts = arg_temp(op->args[k]);
        const TCGArgConstraint *c = &cs.args[k];
        bool need_copy = false;
        int reg;

        if (temp_is_const(ts) && c->ct
            && s->be->const_match(ts->val, op->type, c->ct)) {
            new_args[k] = ts->val;
            const_args[k] = true;
            continue;
        }
        if (c->alias >= 0) {
            int j;
            need_copy = !(op->life & DEAD_ARG(k)) || ts->kind == TEMP_FIXED
                        || temp_is_const(ts);
            for (j = nb_o; j < nb_o + nb_i; j++) {
                if (j != k && op->args[j] == op->args[k]) {
                    need_copy = true;
                }
            }
        }
        if (ts->val_type == VAL_REG && !need_copy
            && (c->regs & tcg_regset_bit(ts->reg))
            && !(clob & tcg_regset_bit(ts->reg))) {
            reg = ts->reg;
        } else if (need_copy || ts->kind == TEMP_CONST || ts->kind == TEMP_FIXED
                   || temp_is_const(ts)) {
            reg = reg_alloc(s, c->regs, i_alloc);
            copy_load(s, ts, reg);
            copied[k] = true;
        } else {
            reg = reg_alloc(s, c->regs, i_alloc);
            if (clob & tcg_regset_bit(reg)) {
                copy_load(s, ts, reg);
                copied[k] = true;
            } else {
                /* rebind: drop the old register copy */
                TCGRegSet keep = i_alloc;
                (void)keep;
                copy_load(s, ts, reg);
                if (ts->val_type == VAL_REG) {
                    s->reg_to_temp[ts->reg] = NULL;
                } else if (ts->val_type == VAL_MEM) {
                    ts->mem_coherent = true;
                } else {
                    ts->mem_coherent = false;
                }
                ts->val_type = VAL_REG;
                ts->reg = reg;
                s->reg_to_temp[reg] = ts;
            }
        }
        i_alloc |= tcg_regset_bit(reg);
        new_args[k] = reg;
    }

    /* dead inputs release their registers before outputs are chosen (and
     * need not be saved at the end of the block) */
    for (k = nb_o; k < nb_o + nb_i; k++) {
        if ((op->life & DEAD_ARG(k)) && !const_args[k]) {
            TCGTemp *ts = arg_temp(op->args[k]);
            temp_dead(s, ts);
        }
    }

    if (def->flags & OPF_BB_EXIT) {
        save_globals_kill_temps(s, i_alloc);
    } else if (def->flags & OPF_COND_BRANCH) {
        sync_all(s, i_alloc);
    } else if (def->flags & OPF_BB_END) {
        save_all(s, i_alloc);
    }

    for (k = 0; k < nb_o; k++) {
        TCGTemp *ts = arg_temp(op->args[k]);
        const TCGArgConstraint *c = &cs.args[k];
        int reg = -1, j;

        for (j = nb_o; j < nb_o + nb_i; j++) {
            if (cs.args[j].alias == k) {
                reg = new_args[j];
                g_assert(!const_args[j]);
                break;
            }
        }
        if (reg < 0) {
            TCGRegSet excl = o_alloc | (c->newreg ? i_alloc : 0);
            if (ts->val_type == VAL_REG && (c->regs & tcg_regset_bit(ts->reg))
                && !(excl & tcg_regset_bit(ts->reg))
                && !(i_alloc & tcg_regset_bit(ts->reg))) {
                reg = ts->reg;
            } else {
                reg = reg_alloc(s, c->regs, excl | (s->reg_to_temp[0] ? 0 : 0));
            }
        }
        if (s->reg_to_temp[reg] && s->reg_to_temp[reg] != ts) {
            /* a live input still bound there: it is read before the write */
            temp_save(s, s->reg_to_temp[reg], i_alloc | o_alloc);
        }
        reg_unbind(s, ts);
        ts->val_type = VAL_REG;
        ts->reg = reg;
        ts->mem_coherent = false;
        s->reg_to_temp[reg] = ts;
        o_alloc |= tcg_regset_bit(reg);
        new_args[k] = reg;
    }

    s->be->out_op(s, op, new_args, const_args);

    /* registers the op destroyed no longer hold inputs */
    for (i = 0; i < s->be->nb_regs; i++) {
        TCGTemp *ts = s->reg_to_temp[i];
        if ((clob & tcg_regset_bit(i)) && ts && !(o_alloc & tcg_regset_bit(i))) {
            g_assert(ts->mem_coherent);
            temp_save(s, ts, 0);
        }
    }

    for (k = 0; k < nb_o; k++) {
        TCGTemp *ts = arg_temp(op->args[k]);
        if (op->life & SYNC_ARG(k)) {
            temp_sync(s, ts, o_alloc);
        }
        if (op->life & DEAD_ARG(k)) {
            temp_dead(s, ts);
        }
    }
}

static void reg_alloc_call(TCGContext *s, TCGOp *op)
{
    const TCGBackend *be = s->be;
    const TCGHelperInfo *info = tcg_call_info(op);
    int nb_o = op->call_oargs, nb_i = op->call_iargs;
    TCGRegSet i_alloc = 0;
    int i;

    /* globals the helper may look at or change */
    if (!(info->flags & TCG_CALL_NO_RWG)) {
        for (i = 0; i < s->nb_globals; i++) {
            TCGTemp *ts = &s->temps[i];
            if (ts->kind != TEMP_GLOBAL) {
                continue;
            }
            if (info->flags & TCG_CALL_NO_WG) {
                temp_sync(s, ts, 0);
            } else {
                temp_save(s, ts, 0);
            }
        }
    }
    /* stack arguments first: they may need a scratch register */
    for (i = be->nb_call_iarg_regs; i < nb_i; i++) {
        TCGTemp *ts = arg_temp(op->args[nb_o + i]);
        int reg = temp_load(s, ts, ~(TCGRegSet)0, 0);
        be->out_st(s, TCG_TYPE_I64, reg, be->reg_sp,
                   8 * (i - be->nb_call_iarg_regs));
    }
    for (i = 0; i < nb_i && i < be->nb_call_iarg_regs; i++) {
        TCGTemp *ts = arg_temp(op->args[nb_o + i]);
        int reg = be->call_iarg_regs[i];
        if (!(ts->val_type == VAL_REG && ts->reg == reg)) {
            reg_free(s, reg, i_alloc);
            copy_load(s, ts, reg);
        }
        i_alloc |= tcg_regset_bit(reg);
    }
    for (i = 0; i < nb_i; i++) {
        if (op->life & DEAD_ARG(nb_o + i)) {
            temp_dead(s, arg_temp(op->args[nb_o + i]));
        }
    }
    for (i = 0; i < be->nb_regs; i++) {
        if (be->call_clobbered & tcg_regset_bit(i)) {
            reg_free(s, i, i_alloc);
        }
    }
    be->out_call(s, info);
    if (nb_o) {
        TCGTemp *ts = arg_temp(op->args[0]);
        int reg = be->call_oarg_reg;
        reg_unbind(s, ts);
        ts->val_type = VAL_REG;
        ts->reg = reg;
        ts->mem_coherent = false;
        s->reg_to_temp[reg] = ts;
        if (op->life & SYNC_ARG(0)) {
            temp_sync(s, ts, 0);
        }
        if (op->life & DEAD_ARG(0)) {
            temp_dead(s, ts);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Search data: per guest insn, the end of its host code and its words */

static uint8_t *encode_uleb(uint8_t *p, uint64_t v)
{
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        *p++ = b | (v ? 0x80 : 0);
    } while (v);
    return p;
}

static uint8_t *encode_sleb(uint8_t *p, int64_t v)
{
    bool more;

    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        more = !((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40)));
        *p++ = b | (more ? 0x80 : 0);
    } while (more);
    return p;
}

static const uint8_t *decode_uleb(const uint8_t *p, uint64_t *v)
{
    uint64_t r = 0;
    int shift = 0;
    uint8_t b;

    do {
        b = *p++;
        r |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    *v = r;
    return p;
}

static const uint8_t *decode_sleb(const uint8_t *p, int64_t *v)
{
    uint64_t r = 0;
    int shift = 0;
    uint8_t b;

    do {
        b = *p++;
        r |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40)) {
        r |= ~(uint64_t)0 << shift;
    }
    *v = (int64_t)r;
    return p;
}

static void encode_search(TCGContext *s)
{
    unsigned words = s->target.insn_start_words;
    uint64_t prev[3] = { 0, 0, 0 };
    uint32_t prev_end = 0;
    uint8_t *p = s->code_ptr;
    int i;
    unsigned j;

    p = encode_uleb(p, s->nb_insns);
    for (i = 0; i < s->nb_insns; i++) {
        p = encode_uleb(p, s->insn_end_off[i] - prev_end);
        prev_end = s->insn_end_off[i];
        for (j = 0; j < words; j++) {
            p = encode_sleb(p, (int64_t)(s->insn_data[i][j] - prev[j]));
            prev[j] = s->insn_data[i][j];
        }
    }
    s->code_ptr = p;
}

bool tcg_restore_state(const TranslationBlock *tb, uintptr_t host_pc,
                       uint64_t data[], int *insn_idx)
{
    unsigned words = tcg_ctx->target.insn_start_words;
    uintptr_t start = (uintptr_t)tb->tc.ptr;
    const uint8_t *p = (const uint8_t *)start + tb->tc.size;
    uint64_t n, val[3] = { 0, 0, 0 }, end = 0, delta;
    uint64_t i;
    unsigned j;

    /* host_pc is a return address: the call ends inside the insn */
    if (host_pc <= start || host_pc > start + tb->tc.size) {
        return false;
    }
    host_pc -= start + 1;
    p = decode_uleb(p, &n);
    for (i = 0; i < n; i++) {
        p = decode_uleb(p, &delta);
        end += delta;
        for (j = 0; j < words; j++) {
            int64_t d;
            p = decode_sleb(p, &d);
            val[j] += d;
        }
        if (host_pc < end) {
            for (j = 0; j < words; j++) {
                data[j] = val[j];
            }
            if (insn_idx) {
                *insn_idx = i;
            }
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* The driver                                                           */

static unsigned log_flags(TCGContext *s)
{
    unsigned f = 0;

    if (s->log_explicit) {
        return s->log_flags;
    }
    if (turtle_loglevel) {
        f |= (turtle_loglevel & CPU_LOG_TB_OP) ? TCG_LOG_OP : 0;
        f |= (turtle_loglevel & CPU_LOG_TB_OP_OPT) ? TCG_LOG_OP_OPT : 0;
        f |= (turtle_loglevel & CPU_LOG_TB_OUT_ASM) ? TCG_LOG_OUT_ASM : 0;
    }
    return f;
}

static FILE *log_lock(TCGContext *s)
{
    if (s->log_explicit) {
        return s->logfile ? s->logfile : stderr;
    }
    return turtle_log_trylock();
}

static void log_unlock(TCGContext *s, FILE *f)
{
    if (s->log_explicit) {
        fflush(f);
        return;
    }
    turtle_log_unlock(f);
}

int tcg_gen_code(TranslationBlock *tb)
{
    TCGContext *s = tcg_ctx;
    const TCGBackend *be = s->be;
    unsigned oi, log = log_flags(s);
    int i;
    /* code on its own cache lines: stores to the TB struct before it must
     * not look like self-modifying code to the CPU */
    uintptr_t cp = ((uintptr_t)s->code_gen_ptr + 63) & ~(uintptr_t)63;

    if (log & TCG_LOG_OP) {
        FILE *f = log_lock(s);
        fprintf(f, "OP:\n");
        tcg_dump_ops(f);
        fprintf(f, "\n");
        log_unlock(s, f);
    }
    if (!s->no_optimize) {
        tcg_optimize(s);
    }
    liveness_pass(s);
    if (log & TCG_LOG_OP_OPT) {
        FILE *f = log_lock(s);
        fprintf(f, "OP after optimization and liveness analysis:\n");
        tcg_dump_ops(f);
        fprintf(f, "\n");
        log_unlock(s, f);
    }

    s->tb = tb;
    s->code_buf = s->code_ptr = (uint8_t *)cp;
    if (s->code_ptr > s->code_gen_highwater) {
        return -1;
    }
    s->nb_insns = 0;
    s->goto_tb_reset[0] = s->goto_tb_reset[1] = TB_JMP_OFFSET_INVALID;
    s->goto_tb_insn[0] = s->goto_tb_insn[1] = TB_JMP_OFFSET_INVALID;
    s->frame_next = be->frame_start;
    memset(s->reg_to_temp, 0, sizeof(s->reg_to_temp));
    for (i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        switch (ts->kind) {
        case TEMP_FIXED:
            ts->val_type = VAL_REG;
            ts->reg = be->reg_env;
            break;
        case TEMP_GLOBAL:
            ts->val_type = VAL_MEM;
            ts->mem_coherent = true;
            break;
        case TEMP_TB:
            ts->val_type = VAL_DEAD;
            ts->mem_allocated = false;
            break;
        case TEMP_CONST:
            ts->val_type = VAL_CONST;
            break;
        }
    }
    s->reserved_regs = tcg_regset_bit(be->reg_env) | tcg_regset_bit(be->reg_sp);
    if (be->tb_start) {
        be->tb_start(s);
    }

    for (oi = 0; oi < s->ops->len; oi++) {
        TCGOp *op = g_ptr_array_index(s->ops, oi);

        switch (op->opc) {
        case INDEX_op_nop:
            break;
        case INDEX_op_discard:
            temp_dead(s, arg_temp(op->args[0]));
            break;
        case INDEX_op_insn_start:
            if (s->nb_insns >= TCG_MAX_INSNS) {
                return -2;
            }
            if (s->nb_insns > 0) {
                s->insn_end_off[s->nb_insns - 1] = s->code_ptr - s->code_buf;
            }
            for (i = 0; i < 3; i++) {
                s->insn_data[s->nb_insns][i] = op->args[i];
            }
            s->nb_insns++;
            break;
        case INDEX_op_set_label:
            save_all(s, 0);
            label_set_value(s, tcg_label_from_arg(op->args[0]));
            label_entry_state(s);
            break;
        case INDEX_op_mov:
            reg_alloc_mov(s, op);
            break;
        case INDEX_op_call:
            reg_alloc_call(s, op);
            break;
        default:
            reg_alloc_op(s, op);
            break;
        }
        if (s->code_ptr > s->code_gen_highwater) {
            return -1;
        }
        if (s->alloc_failed) {
            return -2;
        }
    }
    if (s->nb_insns > 0) {
        s->insn_end_off[s->nb_insns - 1] = s->code_ptr - s->code_buf;
    }
    for (i = 0; i < (int)s->labels->len; i++) {
        TCGLabel *l = g_ptr_array_index(s->labels, i);
        if (l->relocs && !l->has_value) {
            g_error("tcg: branch to label $L%d, which is never set", l->id);
        }
    }
    if (be->tb_finalize && !be->tb_finalize(s)) {
        return -1;
    }
    if (s->code_ptr > s->code_gen_highwater) {
        return -1;
    }
    if (s->alloc_failed || s->code_ptr - s->code_buf >= 0xfff0) {
        return -2;
    }

    tb->tc.ptr = (void *)tcg_rw_to_rx(s, s->code_buf);
    tb->tc.size = s->code_ptr - s->code_buf;
    for (i = 0; i < 2; i++) {
        tb->jmp_reset_offset[i] = s->goto_tb_reset[i];
        tb->jmp_insn_offset[i] = s->goto_tb_insn[i];
        tb->jmp_target_addr[i] = s->goto_tb_reset[i] == TB_JMP_OFFSET_INVALID
            ? 0 : (uintptr_t)tb->tc.ptr + s->goto_tb_reset[i];
    }
    encode_search(s);
    if (s->code_ptr > s->code_gen_highwater + 32768) {
        return -1;
    }
    __builtin___clear_cache((char *)tb->tc.ptr,
                            (char *)tb->tc.ptr + tb->tc.size);
    if (log & TCG_LOG_OUT_ASM) {
        FILE *f = log_lock(s);
        fprintf(f, "OUT: [size=%zu]\n", tb->tc.size);
        tcg_disas_host(f, tb->tc.ptr, tb->tc.size);
        fprintf(f, "\n");
        log_unlock(s, f);
    }
    s->code_gen_ptr = s->code_ptr;
    return tb->tc.size;
}

uintptr_t tcg_qemu_tb_exec(CPUArchState *env, const void *tb_code)
{
    return tcg_ctx->be->exec(env, tb_code);
}

void tcg_tb_set_jmp_target(TranslationBlock *tb, int n, uintptr_t target)
{
    TCGContext *s = tcg_ctx;
    uintptr_t rx = (uintptr_t)tb->tc.ptr + tb->jmp_insn_offset[n];

    g_assert(tb->jmp_insn_offset[n] != TB_JMP_OFFSET_INVALID);
    tb->jmp_target_addr[n] = target;
    s->be->set_jmp_target(s, rx, rx - s->code_rx_offset, target);
}

void tcg_tb_reset_jump(TranslationBlock *tb, int n)
{
    tcg_tb_set_jmp_target(tb, n, (uintptr_t)tb->tc.ptr + tb->jmp_reset_offset[n]);
}

/* ------------------------------------------------------------------ */
/* Logging                                                              */

void tcg_set_optimize(bool on)
{
    tcg_ctx->no_optimize = !on;
}

void tcg_set_log(FILE *f, unsigned flags)
{
    tcg_ctx->logfile = f;
    tcg_ctx->log_flags = flags;
    tcg_ctx->log_explicit = true;
}

static const char *const cond_names[] = {
    "never", "always", "eq", "ne", "lt", "ge", "le", "gt",
    "ltu", "geu", "leu", "gtu", "tsteq", "tstne",
};

static void dump_temp(FILE *f, TCGArg a)
{
    TCGTemp *ts = arg_temp(a);

    switch (ts->kind) {
    case TEMP_FIXED:
    case TEMP_GLOBAL:
        fprintf(f, "%s", ts->name);
        break;
    case TEMP_CONST:
        fprintf(f, "$0x%" PRIx64, ts->val);
        break;
    default:
        fprintf(f, "tmp%d", (int)a - tcg_ctx->nb_globals);
        break;
    }
}

void tcg_dump_ops(FILE *f)
{
    TCGContext *s = tcg_ctx;
    unsigned oi;
    int i;

    for (oi = 0; oi < s->ops->len; oi++) {
        TCGOp *op = g_ptr_array_index(s->ops, oi);
        const TCGOpDef *def = &tcg_op_defs[op->opc];
        int nb_o = tcg_op_nb_oargs(op), nb_i = tcg_op_nb_iargs(op);
        const char *sep = " ";

        if (op->opc == INDEX_op_nop) {
            continue;
        }
        if (op->opc == INDEX_op_insn_start) {
            fprintf(f, " ---- %016" PRIx64, (uint64_t)op->args[0]);
            for (i = 1; i < (int)s->target.insn_start_words; i++) {
                fprintf(f, " %016" PRIx64, (uint64_t)op->args[i]);
            }
            fprintf(f, "\n");
            continue;
        }
        if (op->opc == INDEX_op_call) {
            fprintf(f, " call %s", tcg_call_info(op)->name);
            sep = ",";
        } else if (def->nb_oargs + def->nb_iargs > 0 &&
                   op->opc != INDEX_op_discard &&
                   op->opc != INDEX_op_goto_ptr &&
                   op->opc != INDEX_op_qemu_ld && op->opc != INDEX_op_qemu_st &&
                   op->opc != INDEX_op_brcond) {
            fprintf(f, " %s_i%d", def->name, op->type == TCG_TYPE_I32 ? 32 : 64);
        } else {
            fprintf(f, " %s", def->name);
        }
        for (i = 0; i < nb_o + nb_i; i++) {
            fprintf(f, "%s", sep);
            sep = ",";
            dump_temp(f, op->args[i]);
        }
        switch (op->opc) {
        case INDEX_op_brcond:
            fprintf(f, ",%s,$L%d", cond_names[op->args[2]],
                    tcg_label_from_arg(op->args[3])->id);
            break;
        case INDEX_op_setcond:
        case INDEX_op_negsetcond:
            fprintf(f, ",%s", cond_names[op->args[3]]);
            break;
        case INDEX_op_movcond:
            fprintf(f, ",%s", cond_names[op->args[5]]);
            break;
        case INDEX_op_br:
        case INDEX_op_set_label:
            fprintf(f, " $L%d", tcg_label_from_arg(op->args[0])->id);
            break;
        case INDEX_op_qemu_ld:
        case INDEX_op_qemu_st:
            fprintf(f, ",memop=%#x,idx=%d", get_memop(op->args[2]),
                    get_mmuidx(op->args[2]));
            break;
        case INDEX_op_call:
            break;
        default:
            for (i = 0; i < def->nb_cargs; i++) {
                fprintf(f, "%s$0x%" PRIx64, sep, (uint64_t)op->args[nb_o + nb_i + i]);
                sep = ",";
            }
            break;
        }
        if (op->life) {
            fprintf(f, "  [");
            for (i = 0; i < nb_o + nb_i; i++) {
                if (op->life & DEAD_ARG(i)) {
                    fprintf(f, " dead:%d", i);
                }
            }
            for (i = 0; i < nb_o; i++) {
                if (op->life & SYNC_ARG(i)) {
                    fprintf(f, " sync:%d", i);
                }
            }
            fprintf(f, " ]");
        }
        fprintf(f, "\n");
    }
}
