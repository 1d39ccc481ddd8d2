/*
 * x87 instructions and the FPU/vector state instructions: FXSAVE,
 * FXRSTOR, LDMXCSR, STMXCSR, XSAVE, XSAVEOPT, XRSTOR.  The state images
 * are built by xsave.c; the helpers (fpu_helper.c) check alignment and
 * reserved bits and touch guest memory only after probing all of it.
 */
#include "turtle/osdep.h"
#include "target/i386/translate.h"

static void gen_sync(DisasContext *s)
{
    gen_update_cc_op(s);
    gen_update_eip_cur(s);
}

/* #NM when CR0.TS (or #UD/#NM per CR0.EM and CR4.OSFXSR as given) */
static bool check_fxsr(DisasContext *s)
{
    if (s->flags & HF_EM) {
        gen_illegal_opcode(s);
        return false;
    }
    if (s->flags & HF_TS) {
        gen_exception(s, EXCP07_PREX);
        return false;
    }
    return true;
}

static bool check_xsave(DisasContext *s)
{
    if (!(s->flags & HF_OSXSAVE)) {
        gen_illegal_opcode(s);
        return false;
    }
    if (s->flags & HF_TS) {
        gen_exception(s, EXCP07_PREX);
        return false;
    }
    return true;
}

X86_GEN(FXSAVE)
{
    if (!check_fxsr(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_fxsave(tcg_env, s->A0, tcg_constant_i32(s->rex_w));
}

X86_GEN(FXRSTOR)
{
    if (!check_fxsr(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_fxrstor(tcg_env, s->A0, tcg_constant_i32(s->rex_w));
}

static bool check_sse_state(DisasContext *s)
{
    if ((s->flags & HF_EM) || !(s->flags & HF_OSFXSR)) {
        gen_illegal_opcode(s);
        return false;
    }
    if (s->flags & HF_TS) {
        gen_exception(s, EXCP07_PREX);
        return false;
    }
    return true;
}

X86_GEN(LDMXCSR)
{
    TCGv v = tcg_temp_new_i64();

    if (!check_sse_state(s)) {
        return;
    }
    gen_op_ld_v(s, MO_32, v, s->A0);
    gen_sync(s);
    gen_helper_ldmxcsr(tcg_env, v);
}

X86_GEN(STMXCSR)
{
    TCGv v = tcg_temp_new_i64();

    if (!check_sse_state(s)) {
        return;
    }
    tcg_gen_ld32u_i64(v, tcg_env, offsetof(CPUX86State, mxcsr));
    gen_op_st_v(s, MO_32, v, s->A0);
}

X86_GEN(XSAVE)
{
    if (!check_xsave(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_xsave(tcg_env, s->A0, tcg_constant_i32(s->rex_w));
}

X86_GEN(XSAVEOPT)
{
    if (!check_xsave(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_xsave(tcg_env, s->A0, tcg_constant_i32(s->rex_w));
}

X86_GEN(XRSTOR)
{
    if (!check_xsave(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_xrstor(tcg_env, s->A0, tcg_constant_i32(s->rex_w));
    gen_eob(s);
}

/* ---- x87 (SDM Vol. 1 chapter 8, Vol. 2) ----
 *
 * Every x87 instruction calls helpers (x87_helper.c) on the stack in env.
 * First: #NM when CR0.EM or CR0.TS; then, for all but the control
 * instructions (FNINIT, FNCLEX, FNSTSW, FNSTCW, FNSTENV, FNSAVE, FLDCW,
 * FLDENV, FRSTOR), the pending-exception check (#MF) and the last
 * instruction/operand pointers.
 */

enum { X87_ADD, X87_MUL, X87_COM, X87_COMP, X87_SUB, X87_SUBR, X87_DIV,
       X87_DIVR };
#define FT0 8           /* helper operand index of env->ft0 */

static bool x87_start(DisasContext *s, X86DecodedInsn *d, bool control)
{
    if (s->flags & (HF_EM | HF_TS)) {
        gen_exception(s, EXCP07_PREX);
        return false;
    }
    if (!control) {
        uint32_t fop = ((d->b & 7) << 8) | d->modrm;

        gen_sync(s);
        gen_helper_fpu_prep(tcg_env, tcg_constant_i32(fop |
                            (d->has_mem ? 0x10000 : 0) | (d->mem.seg << 17)),
                            d->has_mem ? s->A0 : tcg_constant_i64(0));
    }
    return true;
}

/* the memory operand's spec size (ss/sd/f80 floats, w/d/q integers) */
static int mem_size(X86DecodedInsn *d)
{
    for (int i = 0; i < 4; i++) {
        if (d->op[i].type == X86_OPND_MEM) {
            return d->e->op[i].size;
        }
    }
    return X86_SZ_NONE;
}

/* load the memory operand into FT0 (push: into a new ST0 instead) */
static void x87_load_mem(DisasContext *s, X86DecodedInsn *d, bool push)
{
    TCGv v = tcg_temp_new_i64();

    switch (mem_size(d)) {
    case X86_SZ_ss:
        gen_op_ld_v(s, MO_32, v, s->A0);
        push ? gen_helper_flds_ST0(tcg_env, v) : gen_helper_flds_FT0(tcg_env, v);
        break;
    case X86_SZ_sd:
        gen_op_ld_v(s, MO_64, v, s->A0);
        push ? gen_helper_fldl_ST0(tcg_env, v) : gen_helper_fldl_FT0(tcg_env, v);
        break;
    case X86_SZ_w:
        tcg_gen_qemu_ld_i64(v, s->A0, s->mem_index, MO_LESW);
        push ? gen_helper_fildq_ST0(tcg_env, v)
             : gen_helper_fildq_FT0(tcg_env, v);
        break;
    case X86_SZ_d:
        tcg_gen_qemu_ld_i64(v, s->A0, s->mem_index, MO_LESL);
        push ? gen_helper_fildq_ST0(tcg_env, v)
             : gen_helper_fildq_FT0(tcg_env, v);
        break;
    case X86_SZ_q:
        gen_op_ld_v(s, MO_64, v, s->A0);
        push ? gen_helper_fildq_ST0(tcg_env, v)
             : gen_helper_fildq_FT0(tcg_env, v);
        break;
    default:                                /* f80 */
        gen_helper_fldt_ST0(tcg_env, s->A0);
        break;
    }
}

/* ST(dst) = ST(dst) op ST(src) (FT0 = 8); pop afterwards if asked */
static void x87_arith(DisasContext *s, X86DecodedInsn *d, int op, bool pop)
{
    int dst = 0, src = FT0;

    if (!x87_start(s, d, false)) {
        return;
    }
    if (d->has_mem) {
        x87_load_mem(s, d, false);
    } else if (d->op[0].type == X86_OPND_ST && d->op[0].n == 0 &&
               d->op[1].type == X86_OPND_ST) {
        src = d->op[1].n;                       /* ST(0), ST(i) */
    } else {
        dst = d->op[0].n;                       /* ST(i), ST(0) */
        src = 0;
    }
    if (op == X87_COM || op == X87_COMP) {
        if (!d->has_mem) {
            src = d->op[0].n;                   /* FCOM ST(i) */
        }
        gen_helper_fcom(tcg_env, tcg_constant_i32(src), tcg_constant_i32(0));
        if (op == X87_COMP) {
            gen_helper_fpop(tcg_env);
        }
        return;
    }
    gen_helper_farith(tcg_env, tcg_constant_i32(op), tcg_constant_i32(dst),
                      tcg_constant_i32(src));
    if (pop) {
        gen_helper_fpop(tcg_env);
    }
}

X86_GEN(FADD)  { x87_arith(s, d, X87_ADD, false); }
X86_GEN(FMUL)  { x87_arith(s, d, X87_MUL, false); }
X86_GEN(FSUB)  { x87_arith(s, d, X87_SUB, false); }
X86_GEN(FSUBR) { x87_arith(s, d, X87_SUBR, false); }
X86_GEN(FDIV)  { x87_arith(s, d, X87_DIV, false); }
X86_GEN(FDIVR) { x87_arith(s, d, X87_DIVR, false); }
X86_GEN(FADDP)  { x87_arith(s, d, X87_ADD, true); }
X86_GEN(FMULP)  { x87_arith(s, d, X87_MUL, true); }
X86_GEN(FSUBP)  { x87_arith(s, d, X87_SUB, true); }
X86_GEN(FSUBRP) { x87_arith(s, d, X87_SUBR, true); }
X86_GEN(FDIVP)  { x87_arith(s, d, X87_DIV, true); }
X86_GEN(FDIVRP) { x87_arith(s, d, X87_DIVR, true); }
X86_GEN(FIADD)  { x87_arith(s, d, X87_ADD, false); }
X86_GEN(FIMUL)  { x87_arith(s, d, X87_MUL, false); }
X86_GEN(FISUB)  { x87_arith(s, d, X87_SUB, false); }
X86_GEN(FISUBR) { x87_arith(s, d, X87_SUBR, false); }
X86_GEN(FIDIV)  { x87_arith(s, d, X87_DIV, false); }
X86_GEN(FIDIVR) { x87_arith(s, d, X87_DIVR, false); }
X86_GEN(FCOM)   { x87_arith(s, d, X87_COM, false); }
X86_GEN(FCOMP)  { x87_arith(s, d, X87_COMP, false); }
X86_GEN(FICOM)  { x87_arith(s, d, X87_COM, false); }
X86_GEN(FICOMP) { x87_arith(s, d, X87_COMP, false); }

X86_GEN(FCOMPP)
{
    if (x87_start(s, d, false)) {
        gen_helper_fcom(tcg_env, tcg_constant_i32(1), tcg_constant_i32(0));
        gen_helper_fpop(tcg_env);
        gen_helper_fpop(tcg_env);
    }
}

static void x87_ucom(DisasContext *s, X86DecodedInsn *d, int pops)
{
    if (x87_start(s, d, false)) {
        gen_helper_fcom(tcg_env, tcg_constant_i32(d->op[0].type ?
                                                  d->op[0].n : 1),
                        tcg_constant_i32(1));
        for (int i = 0; i < pops; i++) {
            gen_helper_fpop(tcg_env);
        }
    }
}

X86_GEN(FUCOM)   { x87_ucom(s, d, 0); }
X86_GEN(FUCOMP)  { x87_ucom(s, d, 1); }
X86_GEN(FUCOMPP) { x87_ucom(s, d, 2); }

/* FCOMI/FUCOMI: ZF PF CF from the comparison, OF SF AF cleared */
static void x87_comi(DisasContext *s, X86DecodedInsn *d, bool quiet, bool pop)
{
    TCGv f = tcg_temp_new_i64();

    if (!x87_start(s, d, false)) {
        return;
    }
    gen_compute_eflags(s);
    gen_helper_fcomi(f, tcg_env, cpu_cc_src, tcg_constant_i32(d->op[0].n),
                     tcg_constant_i32(quiet));
    tcg_gen_mov_i64(cpu_cc_src, f);
    if (pop) {
        gen_helper_fpop(tcg_env);
    }
}

X86_GEN(FCOMI)   { x87_comi(s, d, false, false); }
X86_GEN(FUCOMI)  { x87_comi(s, d, true, false); }
X86_GEN(FCOMIP)  { x87_comi(s, d, false, true); }
X86_GEN(FUCOMIP) { x87_comi(s, d, true, true); }

X86_GEN(FLD)
{
    if (!x87_start(s, d, false)) {
        return;
    }
    if (d->has_mem) {
        x87_load_mem(s, d, true);
    } else {
        gen_helper_fld_STi(tcg_env, tcg_constant_i32(d->op[0].n));
    }
}

X86_GEN(FILD)
{
    if (x87_start(s, d, false)) {
        x87_load_mem(s, d, true);
    }
}

X86_GEN(FBLD)
{
    if (x87_start(s, d, false)) {
        gen_helper_fbld_ST0(tcg_env, s->A0);
    }
}

/* stores: the value is computed before the access; ST0 popped after it
 * (not after an unmasked exception: helper_fpop knows) */
static void x87_store(DisasContext *s, X86DecodedInsn *d, bool pop,
                      bool trunc)
{
    static const uint8_t kind[] = {
        [X86_SZ_ss] = 0, [X86_SZ_sd] = 1, [X86_SZ_w] = 2, [X86_SZ_d] = 3,
        [X86_SZ_q] = 4,
    };
    int sz = mem_size(d);

    if (!x87_start(s, d, false)) {
        return;
    }
    if (!d->has_mem) {
        gen_helper_fst_STi(tcg_env, tcg_constant_i32(d->op[0].n));
    } else if (sz == X86_SZ_f80) {
        gen_helper_fstt_ST0(tcg_env, s->A0);
    } else {
        if (s->flags & HF_SEGCHK) {
            gen_seg_check(s, d->mem.seg, s->tmp0,
                          sz == X86_SZ_w ? MO_16 : sz == X86_SZ_sd ||
                          sz == X86_SZ_q ? MO_64 : MO_32, true);
        }
        gen_helper_fst_mem(tcg_env, s->A0,
                           tcg_constant_i32(kind[sz] | (trunc << 8)));
    }
    if (pop) {
        gen_helper_fpop(tcg_env);
    }
}

X86_GEN(FST)    { x87_store(s, d, false, false); }
X86_GEN(FSTP)   { x87_store(s, d, true, false); }
X86_GEN(FIST)   { x87_store(s, d, false, false); }
X86_GEN(FISTP)  { x87_store(s, d, true, false); }
X86_GEN(FISTTP) { x87_store(s, d, true, true); }

X86_GEN(FBSTP)
{
    if (x87_start(s, d, false)) {
        gen_helper_fbst_ST0(tcg_env, s->A0);
        gen_helper_fpop(tcg_env);
    }
}

X86_GEN(FXCH)
{
    if (x87_start(s, d, false)) {
        gen_helper_fxch(tcg_env, tcg_constant_i32(d->op[0].n));
    }
}

X86_GEN(FFREE)
{
    if (x87_start(s, d, false)) {
        gen_helper_ffree(tcg_env, tcg_constant_i32(d->op[0].n));
    }
}

X86_GEN(FFREEP)
{
    if (x87_start(s, d, false)) {
        gen_helper_ffree(tcg_env, tcg_constant_i32(d->op[0].n));
        gen_helper_fpop(tcg_env);
    }
}

X86_GEN(FNOP)
{
    x87_start(s, d, false);
}

/* one-operand ST0 operations and constants: a helper each */
#define X87_UNARY(name, helper)                                             \
X86_GEN(name)                                                                \
{                                                                            \
    if (x87_start(s, d, false)) {                                            \
        gen_helper_##helper(tcg_env);                                        \
    }                                                                        \
}
X87_UNARY(FCHS, fchs)
X87_UNARY(FABS, fabs)
X87_UNARY(FTST, ftst)
X87_UNARY(FXAM, fxam)
X87_UNARY(F2XM1, f2xm1)
X87_UNARY(FYL2X, fyl2x)
X87_UNARY(FPTAN, fptan)
X87_UNARY(FPATAN, fpatan)
X87_UNARY(FXTRACT, fxtract)
X87_UNARY(FPREM1, fprem1)
X87_UNARY(FDECSTP, fdecstp)
X87_UNARY(FINCSTP, fincstp)
X87_UNARY(FPREM, fprem)
X87_UNARY(FYL2XP1, fyl2xp1)
X87_UNARY(FSQRT, fsqrt)
X87_UNARY(FSINCOS, fsincos)
X87_UNARY(FRNDINT, frndint)
X87_UNARY(FSCALE, fscale)
X87_UNARY(FSIN, fsin)
X87_UNARY(FCOS, fcos)

X86_GEN(FLDconst)
{
    if (x87_start(s, d, false)) {
        gen_helper_fldconst(tcg_env, tcg_constant_i32(d->e->arg));
    }
}

/* FCMOVcc: DA = B, E, BE, U; DB = the negations */
X86_GEN(FCMOVcc)
{
    static const uint8_t jcc[4] = { 0x2, 0x4, 0x6, 0xa };
    int b = jcc[(d->modrm >> 3) & 3] ^ (d->b == 0xdb);
    TCGv cond = tcg_temp_new_i64();

    if (!x87_start(s, d, false)) {
        return;
    }
    gen_setcc(s, b, cond);
    gen_helper_fcmov(tcg_env, tcg_constant_i32(d->op[0].n), cond);
}

/* ---- control instructions ---- */

X86_GEN(FNINIT)
{
    if (x87_start(s, d, true)) {
        gen_helper_fninit(tcg_env);
    }
}

X86_GEN(FNCLEX)
{
    if (x87_start(s, d, true)) {
        gen_helper_fnclex(tcg_env);
    }
}

X86_GEN(FNSTSW)
{
    TCGv v = tcg_temp_new_i64();

    if (!x87_start(s, d, true)) {
        return;
    }
    gen_helper_fnstsw(v, tcg_env);
    if (d->has_mem) {
        gen_op_st_v(s, MO_16, v, s->A0);
    } else {
        gen_op_mov_reg_v(s, MO_16, R_EAX, v);
    }
}

X86_GEN(FNSTCW)
{
    TCGv v = tcg_temp_new_i64();

    if (x87_start(s, d, true)) {
        tcg_gen_ld16u_i64(v, tcg_env, offsetof(CPUX86State, fpuc));
        gen_op_st_v(s, MO_16, v, s->A0);
    }
}

X86_GEN(FLDCW)
{
    TCGv v = tcg_temp_new_i64();

    if (x87_start(s, d, true)) {
        gen_op_ld_v(s, MO_16, v, s->A0);
        gen_helper_fldcw(tcg_env, v);
    }
}

/* 16-bit operand size: the 14/94-byte formats, else 28/108 */
X86_GEN(FNSTENV)
{
    if (x87_start(s, d, true)) {
        gen_sync(s);
        gen_helper_fstenv(tcg_env, s->A0, tcg_constant_i32(s->dflag != MO_16));
    }
}

X86_GEN(FLDENV)
{
    if (x87_start(s, d, true)) {
        gen_sync(s);
        gen_helper_fldenv(tcg_env, s->A0, tcg_constant_i32(s->dflag != MO_16));
    }
}

X86_GEN(FNSAVE)
{
    if (x87_start(s, d, true)) {
        gen_sync(s);
        gen_helper_fsave(tcg_env, s->A0, tcg_constant_i32(s->dflag != MO_16));
    }
}

X86_GEN(FRSTOR)
{
    if (x87_start(s, d, true)) {
        gen_sync(s);
        gen_helper_frstor(tcg_env, s->A0, tcg_constant_i32(s->dflag != MO_16));
    }
}
