/*
 * The IR optimizer: constant folding of every core op, constant
 * propagation into operands (so back ends can use immediates), algebraic
 * identities (x+0, x&-1, x*1, ...), and folding of branches, setcond and
 * movcond whose condition is known.  Known values are forgotten at labels
 * and, for globals, at calls that may write them.
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

static void forget(TCGContext *s, int first, int last)
{
    int i;

    for (i = first; i < last; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->kind == TEMP_CONST) {
            ts->opt_const = true;
            ts->opt_val = ts->val;
        } else {
            ts->opt_const = false;
        }
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
            arg_temp(op->args[0])->opt_const = false;
            continue;
        }

        /* propagate known constants into operands */
        for (i = nb_o; i < nb_o + nb_i; i++) {
            TCGTemp *ts = arg_temp(op->args[i]);
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
                arg_temp(op->args[i])->opt_const = false;
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

        /* record what the outputs are now */
        nb_o = tcg_op_nb_oargs(op);
        if (op->opc == INDEX_op_mov) {
            TCGTemp *src = arg_temp(op->args[1]);
            TCGTemp *dst = arg_temp(op->args[0]);
            dst->opt_const = src->opt_const;
            dst->opt_val = op->type == TCG_TYPE_I32 ? (int32_t)src->opt_val
                                                    : src->opt_val;
            if (src->opt_const && src->kind != TEMP_CONST) {
                op->args[1] = tcg_const_temp(op->type, dst->opt_val);
            }
        } else {
            for (i = 0; i < nb_o; i++) {
                arg_temp(op->args[i])->opt_const = false;
            }
        }
    }
}
