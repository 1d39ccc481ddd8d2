/*
 * The IR optimizer: constant folding of every core op, constant and copy
 * propagation into operands (so back ends can use immediates and fewer
 * moves), algebraic identities (x+0, x&-1, x*1, ...), folding of branches,
 * setcond and movcond whose condition is known, and removal of extensions
 * and masks that cannot change a value whose high bits are known to be
 * zero.  What is known is forgotten at labels and, for globals, at calls
 * that may write them.
 */
#include "tcg-internal.h"

static uint64_t bswap16(uint64_t x)
{
    return ((x >> 8) & 0xff) | ((x & 0xff) << 8);
}

static int64_t ext_type(TCGType t, uint64_t v)
{
    return t == TCG_TYPE_I32 ? (int64_t)(int32_t)v : (int64_t)v;
}

bool tcg_cond_eval(TCGCond c, TCGType t, int64_t a, int64_t b)
{
    uint64_t ua = a, ub = b;

    if (t == TCG_TYPE_I32) {
        a = (int32_t)a;
        b = (int32_t)b;
        ua = (uint32_t)ua;
        ub = (uint32_t)ub;
    }
    switch (c) {
    case TCG_COND_NEVER:  return false;
    case TCG_COND_ALWAYS: return true;
    case TCG_COND_EQ:     return ua == ub;
    case TCG_COND_NE:     return ua != ub;
    case TCG_COND_LT:     return a < b;
    case TCG_COND_GE:     return a >= b;
    case TCG_COND_LE:     return a <= b;
    case TCG_COND_GT:     return a > b;
    case TCG_COND_LTU:    return ua < ub;
    case TCG_COND_GEU:    return ua >= ub;
    case TCG_COND_LEU:    return ua <= ub;
    case TCG_COND_GTU:    return ua > ub;
    case TCG_COND_TSTEQ:  return (ua & ub) == 0;
    case TCG_COND_TSTNE:  return (ua & ub) != 0;
    }
    return false;
}

/* Value of a one-output op with constant inputs; *ok false if unknown
 * (division by zero) or not foldable. */
int64_t tcg_fold_op(TCGOpcode opc, TCGType t, const int64_t *in, TCGArg carg,
                    bool *ok)
{
    bool w32 = t == TCG_TYPE_I32;
    unsigned w = w32 ? 32 : 64;
    uint64_t x = in[0], y = in[1];
    uint64_t m = w32 ? 0xffffffffu : ~(uint64_t)0;
    uint64_t r = 0;
    int64_t sx = w32 ? (int32_t)x : (int64_t)x;
    int64_t sy = w32 ? (int32_t)y : (int64_t)y;

    *ok = true;
    x &= m;
    y &= m;
    switch (opc) {
    case INDEX_op_mov:    r = x; break;
    case INDEX_op_add:    r = x + y; break;
    case INDEX_op_sub:    r = x - y; break;
    case INDEX_op_mul:    r = x * y; break;
    case INDEX_op_and:    r = x & y; break;
    case INDEX_op_or:     r = x | y; break;
    case INDEX_op_xor:    r = x ^ y; break;
    case INDEX_op_andc:   r = x & ~y; break;
    case INDEX_op_shl:    r = x << (y & (w - 1)); break;
    case INDEX_op_shr:    r = x >> (y & (w - 1)); break;
    case INDEX_op_sar:    r = sx >> (y & (w - 1)); break;
    case INDEX_op_rotl:
        y &= w - 1;
        r = y ? (x << y) | (x >> (w - y)) : x;
        break;
    case INDEX_op_rotr:
        y &= w - 1;
        r = y ? (x >> y) | (x << (w - y)) : x;
        break;
    case INDEX_op_div:
    case INDEX_op_rem:
        if (sy == 0 || (sy == -1 && sx == (w32 ? INT32_MIN : INT64_MIN))) {
            *ok = false;
            return 0;
        }
        r = opc == INDEX_op_div ? sx / sy : sx % sy;
        break;
    case INDEX_op_divu:
    case INDEX_op_remu:
        if (y == 0) {
            *ok = false;
            return 0;
        }
        r = opc == INDEX_op_divu ? x / y : x % y;
        break;
    case INDEX_op_clz:
        r = x ? (uint64_t)(w32 ? __builtin_clz(x) : __builtin_clzll(x)) : y;
        break;
    case INDEX_op_ctz:
        r = x ? (uint64_t)__builtin_ctzll(x) : y;
        break;
    case INDEX_op_neg:    r = -x; break;
    case INDEX_op_not:    r = ~x; break;
    case INDEX_op_ext8s:  r = (int8_t)x; break;
    case INDEX_op_ext8u:  r = (uint8_t)x; break;
    case INDEX_op_ext16s: r = (int16_t)x; break;
    case INDEX_op_ext16u: r = (uint16_t)x; break;
    case INDEX_op_ext32s: r = (int32_t)in[0]; break;
    case INDEX_op_ext32u: r = (uint32_t)in[0]; break;
    case INDEX_op_ctpop:  r = __builtin_popcountll(x); break;
    case INDEX_op_bswap16:
        r = bswap16(x);
        if (carg & TCG_BSWAP_OS) {
            r = (int16_t)r;
        }
        break;
    case INDEX_op_bswap32:
        r = __builtin_bswap32(x);
        if (carg & TCG_BSWAP_OS) {
            r = (int32_t)r;
        }
        break;
    case INDEX_op_bswap64: r = __builtin_bswap64(x); break;
    case INDEX_op_setcond:
        r = tcg_cond_eval(carg, t, in[0], in[1]);
        break;
    case INDEX_op_negsetcond:
        r = -(uint64_t)tcg_cond_eval(carg, t, in[0], in[1]);
        break;
    default:
        *ok = false;
        return 0;
    }
    return ext_type(t, r & m);
}

static void to_mov(TCGOp *op, TCGArg src);

static uint64_t type_mask(TCGType t)
{
    return t == TCG_TYPE_I32 ? 0xffffffffull : ~0ull;
}

static void forget(TCGContext *s, int first, int last)
{
    int i;

    for (i = first; i < last; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->kind == TEMP_CONST) {
            ts->opt_const = true;
            ts->opt_val = ts->val;
            ts->z_mask = ts->val & type_mask(ts->type);
        } else {
            ts->opt_const = false;
            ts->z_mask = type_mask(ts->type);
        }
        ts->opt_copy = -1;
        ts->opt_version++;
    }
}

/* the bits of a as an operand of an op of type t that may be non-zero */
static uint64_t z_of(TCGArg a, TCGType t)
{
    TCGTemp *ts = arg_temp(a);
    uint64_t z = ts->opt_const ? (uint64_t)ts->opt_val : ts->z_mask;

    if (ts->type == TCG_TYPE_I32) {
        /* the high half of an i32 in a 64-bit register is unspecified */
        z = (z & 0xffffffffull) | (t == TCG_TYPE_I64 ? ~0xffffffffull : 0);
    }
    return z & type_mask(t);
}

/* the temp a value currently comes from, following valid copies */
static TCGArg copy_root(TCGContext *s, TCGArg a)
{
    TCGTemp *ts = arg_temp(a);

    if (ts->opt_copy >= 0
        && s->temps[ts->opt_copy].opt_version == ts->opt_copy_version) {
        return ts->opt_copy;
    }
    return a;
}

/* ext/and that cannot change its input: a plain move */
static void fold_useless_ext(TCGOp *op)
{
    TCGType t = op->type;
    uint64_t z, keep;

    switch (op->opc) {
    case INDEX_op_ext8u:  keep = 0xff; break;
    case INDEX_op_ext16u: keep = 0xffff; break;
    case INDEX_op_ext32u: keep = 0xffffffff; break;
    case INDEX_op_ext8s:  keep = 0x7f; break;
    case INDEX_op_ext16s: keep = 0x7fff; break;
    case INDEX_op_ext32s: keep = 0x7fffffff; break;
    case INDEX_op_and:
        if (!arg_temp(op->args[2])->opt_const) {
            return;
        }
        keep = arg_temp(op->args[2])->opt_val & type_mask(t);
        break;
    default:
        return;
    }
    z = z_of(op->args[1], t);
    if ((z & ~keep) == 0 && arg_temp(op->args[1])->type == t) {
        to_mov(op, op->args[1]);
    }
}

/* what bits of the (single) output may be set */
static uint64_t z_result(TCGOp *op)
{
    TCGType t = op->type;
    uint64_t m = type_mask(t);

    switch (op->opc) {
    case INDEX_op_mov:    return z_of(op->args[1], t);
    case INDEX_op_and:    return z_of(op->args[1], t) & z_of(op->args[2], t);
    case INDEX_op_or:
    case INDEX_op_xor:    return z_of(op->args[1], t) | z_of(op->args[2], t);
    case INDEX_op_ext8u:
    case INDEX_op_ld8u:   return 0xff;
    case INDEX_op_ext16u:
    case INDEX_op_ld16u:  return 0xffff;
    case INDEX_op_ext32u:
    case INDEX_op_ld32u:  return z_of(op->args[1], t) & 0xffffffff;
    case INDEX_op_setcond: return 1;
    case INDEX_op_ctpop:  return 127;
    case INDEX_op_shr:
        if (arg_temp(op->args[2])->opt_const) {
            unsigned c = arg_temp(op->args[2])->opt_val & (t == TCG_TYPE_I32 ? 31 : 63);
            return z_of(op->args[1], t) >> c;
        }
        return m;
    case INDEX_op_qemu_ld: {
        MemOp mop = get_memop(op->args[2]);
        if (!(mop & MO_SIGN) && (mop & MO_SIZE) < MO_64) {
            return (2ull << ((8 << (mop & MO_SIZE)) - 1)) - 1;
        }
        return m;
    }
    default:
        return m;
    }
}

static bool is_const(TCGArg a)
{
    return arg_temp(a)->opt_const;
}

static int64_t const_val(TCGArg a)
{
    return arg_temp(a)->opt_val;
}

static void to_movi(TCGOp *op, TCGType t, int64_t v)
{
    op->opc = INDEX_op_mov;
    op->type = t;
    op->args[1] = tcg_const_temp(t, v);
}

static void to_mov(TCGOp *op, TCGArg src)
{
    op->opc = INDEX_op_mov;
    op->args[1] = src;
}

/* x op c where the result is x (identity) or a constant */
static bool fold_identity(TCGOp *op)
{
    TCGType t = op->type;
    int64_t mask = t == TCG_TYPE_I32 ? (int64_t)0xffffffff : (int64_t)-1;
    TCGArg a = op->args[1], b = op->args[2];
    int64_t c;

    if (!is_const(b)) {
        if (is_const(a)) {
            c = const_val(a) & mask;
            switch (op->opc) {
            case INDEX_op_add:
            case INDEX_op_or:
            case INDEX_op_xor:
                if (c == 0) {
                    to_mov(op, b);
                    return true;
                }
                break;
            case INDEX_op_and:
            case INDEX_op_mul:
            case INDEX_op_shl:
            case INDEX_op_shr:
                if (c == 0) {
                    to_movi(op, t, 0);
                    return true;
                }
                break;
            default:
                break;
            }
        }
        if (a == b) {
            switch (op->opc) {
            case INDEX_op_and:
            case INDEX_op_or:
                to_mov(op, a);
                return true;
            case INDEX_op_sub:
            case INDEX_op_xor:
            case INDEX_op_andc:
                to_movi(op, t, 0);
                return true;
            default:
                break;
            }
        }
        return false;
    }
    c = const_val(b) & mask;
    switch (op->opc) {
    case INDEX_op_add:
    case INDEX_op_sub:
    case INDEX_op_or:
    case INDEX_op_xor:
    case INDEX_op_andc:
    case INDEX_op_shl:
    case INDEX_op_shr:
    case INDEX_op_sar:
    case INDEX_op_rotl:
    case INDEX_op_rotr:
        if (c == 0) {
            to_mov(op, a);
            return true;
        }
        break;
    case INDEX_op_and:
        if (c == mask) {
            to_mov(op, a);
            return true;
        }
        if (c == 0) {
            to_movi(op, t, 0);
            return true;
        }
        break;
    case INDEX_op_mul:
        if (c == 1) {
            to_mov(op, a);
            return true;
        }
        if (c == 0) {
            to_movi(op, t, 0);
            return true;
        }
        break;
    default:
        break;
    }
    return false;
}

void tcg_optimize(TCGContext *s)
{
    unsigned oi;
    int i;

    forget(s, 0, s->nb_temps);
    for (oi = 0; oi < s->ops->len; oi++) {
        TCGOp *op = g_ptr_array_index(s->ops, oi);
        const TCGOpDef *def = &tcg_op_defs[op->opc];
        int nb_o = tcg_op_nb_oargs(op), nb_i = tcg_op_nb_iargs(op);
        int64_t in[4];
        bool all_const = true, ok;

        if (op->opc == INDEX_op_nop || op->opc == INDEX_op_insn_start) {
            continue;
        }
        if (op->opc == INDEX_op_set_label) {
            forget(s, 0, s->nb_temps);
            continue;
        }
        if (op->opc == INDEX_op_discard) {
            TCGTemp *ts = arg_temp(op->args[0]);
            ts->opt_const = false;
            ts->opt_copy = -1;
            ts->opt_version++;
            continue;
        }

        /* propagate copies and known constants into operands */
        for (i = nb_o; i < nb_o + nb_i; i++) {
            TCGTemp *ts;

            op->args[i] = copy_root(s, op->args[i]);
            ts = arg_temp(op->args[i]);
            if (ts->opt_const && ts->kind != TEMP_CONST && ts->kind != TEMP_FIXED) {
                op->args[i] = tcg_const_temp(ts->type, ts->opt_val);
            }
            if (i - nb_o < 4) {
                in[i - nb_o] = arg_temp(op->args[i])->opt_val;
            }
            if (!arg_temp(op->args[i])->opt_const) {
                all_const = false;
            }
        }

        switch (op->opc) {
        case INDEX_op_call: {
            const TCGHelperInfo *info = tcg_call_info(op);
            if (!(info->flags & (TCG_CALL_NO_RWG | TCG_CALL_NO_WG))) {
                forget(s, 0, s->nb_globals);
            }
            for (i = 0; i < nb_o; i++) {
                TCGTemp *ts = arg_temp(op->args[i]);
                ts->opt_const = false;
                ts->opt_copy = -1;
                ts->opt_version++;
                ts->z_mask = type_mask(ts->type);
            }
            continue;
        }
        case INDEX_op_brcond:
            if (all_const) {
                if (tcg_cond_eval(op->args[2], op->type, in[0], in[1])) {
                    op->opc = INDEX_op_br;
                    op->args[0] = op->args[3];
                } else {
                    op->opc = INDEX_op_nop;
                }
            }
            continue;
        case INDEX_op_movcond:
            if (is_const(op->args[1]) && is_const(op->args[2])) {
                bool c = tcg_cond_eval(op->args[5], op->type, in[0], in[1]);
                to_mov(op, op->args[c ? 3 : 4]);
            } else if (op->args[3] == op->args[4]) {
                to_mov(op, op->args[3]);
            }
            break;
        case INDEX_op_setcond:
        case INDEX_op_negsetcond:
            if (op->args[1] == op->args[2] && !all_const) {
                TCGCond c = op->args[3];
                bool v = c == TCG_COND_EQ || c == TCG_COND_GE || c == TCG_COND_LE
                         || c == TCG_COND_GEU || c == TCG_COND_LEU;
                to_movi(op, op->type, op->opc == INDEX_op_setcond ? v : -(int64_t)v);
            }
            break;
        default:
            break;
        }

        if (op->opc != INDEX_op_mov && nb_o == 1 && nb_i >= 1 && nb_i <= 2
            && !(def->flags & (OPF_SIDE_EFFECTS | OPF_BB_END))
            && op->opc != INDEX_op_qemu_ld) {
            if (all_const) {
                int64_t v = tcg_fold_op(op->opc, op->type, in,
                                        def->nb_cargs ? op->args[nb_o + nb_i] : 0,
                                        &ok);
                if (ok) {
                    to_movi(op, op->type, v);
                }
            } else if (nb_i == 2) {
                fold_identity(op);
            }
        }

        if (nb_o == 1 && nb_i >= 1 && op->opc != INDEX_op_mov) {
            fold_useless_ext(op);
        }

        /* record what the outputs are now */
        nb_o = tcg_op_nb_oargs(op);
        if (op->opc == INDEX_op_mov) {
            TCGTemp *src = arg_temp(op->args[1]);
            TCGTemp *dst = arg_temp(op->args[0]);
            uint64_t z = z_result(op);

            if (src == dst) {
                op->opc = INDEX_op_nop;
                continue;
            }
            dst->opt_const = src->opt_const;
            dst->opt_val = op->type == TCG_TYPE_I32 ? (int32_t)src->opt_val
                                                    : src->opt_val;
            if (src->opt_const && src->kind != TEMP_CONST) {
                op->args[1] = tcg_const_temp(op->type, dst->opt_val);
            }
            dst->opt_version++;
            dst->opt_copy = -1;
            dst->z_mask = z;
            if (!src->opt_const && src->type == dst->type
                && src->kind != TEMP_FIXED) {
                dst->opt_copy = op->args[1];
                dst->opt_copy_version = src->opt_version;
            }
        } else {
            uint64_t z = nb_o == 1 ? z_result(op) : ~0ull;
            for (i = 0; i < nb_o; i++) {
                TCGTemp *ts = arg_temp(op->args[i]);
                ts->opt_const = false;
                ts->opt_copy = -1;
                ts->opt_version++;
                ts->z_mask = z & type_mask(ts->type);
            }
        }
    }
}
