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
