/*
 * Type tables for helper declarations (used by helper-proto.h and
 * helper-gen.h).
 *
 * A target lists its helpers in a header of DEF_HELPER_FLAGS_n lines:
 *
 *     DEF_HELPER_FLAGS_2(udiv64, TCG_CALL_NO_RWG_SE, i64, i64, i64)
 *     DEF_HELPER_3(msr, void, env, i32, i64)
 *     DEF_HELPER_FLAGS_1(raise, TCG_CALL_NO_RETURN, noreturn, env)
 *
 * name, flags (TCG_CALL_*; DEF_HELPER_n means 0), result type, argument
 * types.  Types: void, noreturn (result only), i32, s32, int, i64, s64,
 * tl, ptr, cptr, env, f32 (as i32), f64 (as i64).  Then:
 *
 *     #define HELPER_H "target/arm/helper.h"
 *     #include "tcg/helper-proto.h"   prototypes: uint64_t helper_udiv64(uint64_t, uint64_t);
 *     #include "tcg/helper-gen.h"     gen_helper_udiv64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b)
 *
 * An `env` argument is passed as tcg_env (a TCGv_ptr).  Up to 7 arguments.
 *
 * Flags: TCG_CALL_NO_WG when the helper only reads CPU state fields bound to
 * globals, TCG_CALL_NO_RWG when it touches none, TCG_CALL_NO_SE when it has
 * no side effect besides its result.  A helper that may raise a guest
 * exception (longjmp out of the TB) reads the CPU state: it must not be
 * NO_RWG, and it cannot be NO_SE.
 */
#ifndef TCG_HELPER_HEAD_H
#define TCG_HELPER_HEAD_H

#include "tcg/tcg.h"

#define HELPER(name) helper_##name

#define dh_glue_(a, b) a##b
#define dh_glue(a, b) dh_glue_(a, b)

/* C type in the helper's prototype */
#define dh_ctype_void void
#define dh_ctype_noreturn _Noreturn void
#define dh_ctype_i32 uint32_t
#define dh_ctype_s32 int32_t
#define dh_ctype_int int
#define dh_ctype_f32 uint32_t
#define dh_ctype_i64 uint64_t
#define dh_ctype_s64 int64_t
#define dh_ctype_tl uint64_t
#define dh_ctype_f64 uint64_t
#define dh_ctype_ptr void *
#define dh_ctype_cptr const void *
#define dh_ctype_env CPUArchState *
#define dh_ctype(t) dh_glue(dh_ctype_, t)

/* IR handle type in gen_helper_* */
#define dh_alias_void void
#define dh_alias_noreturn void
#define dh_alias_i32 i32
#define dh_alias_s32 i32
#define dh_alias_int i32
#define dh_alias_f32 i32
#define dh_alias_i64 i64
#define dh_alias_s64 i64
#define dh_alias_tl i64
#define dh_alias_f64 i64
#define dh_alias_ptr ptr
#define dh_alias_cptr ptr
#define dh_alias_env ptr
#define dh_tcgv(t) dh_glue(TCGv_, dh_glue(dh_alias_, t))

/* typemask code */
#define dh_typecode_void TCG_TYPECODE_VOID
#define dh_typecode_noreturn TCG_TYPECODE_VOID
#define dh_typecode_i32 TCG_TYPECODE_I32
#define dh_typecode_s32 TCG_TYPECODE_S32
#define dh_typecode_int TCG_TYPECODE_S32
#define dh_typecode_f32 TCG_TYPECODE_I32
#define dh_typecode_i64 TCG_TYPECODE_I64
#define dh_typecode_s64 TCG_TYPECODE_S64
#define dh_typecode_tl TCG_TYPECODE_I64
#define dh_typecode_f64 TCG_TYPECODE_I64
#define dh_typecode_ptr TCG_TYPECODE_PTR
#define dh_typecode_cptr TCG_TYPECODE_PTR
#define dh_typecode_env TCG_TYPECODE_PTR
#define dh_typemask(t, n) ((uint32_t)dh_glue(dh_typecode_, t) << ((n) * 3))

/* "TCGv_xx retval," for a result, nothing for void */
#define dh_retdecl_void
#define dh_retdecl_noreturn
#define dh_retdecl_i32 TCGv_i32 retval,
#define dh_retdecl_s32 TCGv_i32 retval,
#define dh_retdecl_int TCGv_i32 retval,
#define dh_retdecl_f32 TCGv_i32 retval,
#define dh_retdecl_i64 TCGv_i64 retval,
#define dh_retdecl_s64 TCGv_i64 retval,
#define dh_retdecl_tl TCGv_i64 retval,
#define dh_retdecl_f64 TCGv_i64 retval,
#define dh_retdecl_ptr TCGv_ptr retval,
#define dh_retdecl_cptr TCGv_ptr retval,
#define dh_retdecl(t) dh_glue(dh_retdecl_, t)
/* same, for helpers without arguments */
#define dh_retdecl0_void void
#define dh_retdecl0_noreturn void
#define dh_retdecl0_i32 TCGv_i32 retval
#define dh_retdecl0_s32 TCGv_i32 retval
#define dh_retdecl0_int TCGv_i32 retval
#define dh_retdecl0_f32 TCGv_i32 retval
#define dh_retdecl0_i64 TCGv_i64 retval
#define dh_retdecl0_s64 TCGv_i64 retval
#define dh_retdecl0_tl TCGv_i64 retval
#define dh_retdecl0_f64 TCGv_i64 retval
#define dh_retdecl0_ptr TCGv_ptr retval
#define dh_retdecl0_cptr TCGv_ptr retval
#define dh_retdecl0(t) dh_glue(dh_retdecl0_, t)
/* the result handle as a TCGArg, 0 for void */
#define dh_retarg_void 0
#define dh_retarg_noreturn 0
#define dh_retarg_i32 ((TCGArg)retval)
#define dh_retarg_s32 ((TCGArg)retval)
#define dh_retarg_int ((TCGArg)retval)
#define dh_retarg_f32 ((TCGArg)retval)
#define dh_retarg_i64 ((TCGArg)retval)
#define dh_retarg_s64 ((TCGArg)retval)
#define dh_retarg_tl ((TCGArg)retval)
#define dh_retarg_f64 ((TCGArg)retval)
#define dh_retarg_ptr ((TCGArg)retval)
#define dh_retarg_cptr ((TCGArg)retval)
#define dh_retarg(t) dh_glue(dh_retarg_, t)

#define DEF_HELPER_0(name, ret) DEF_HELPER_FLAGS_0(name, 0, ret)
#define DEF_HELPER_1(name, ret, t1) DEF_HELPER_FLAGS_1(name, 0, ret, t1)
#define DEF_HELPER_2(name, ret, t1, t2) DEF_HELPER_FLAGS_2(name, 0, ret, t1, t2)
#define DEF_HELPER_3(name, ret, t1, t2, t3) \
    DEF_HELPER_FLAGS_3(name, 0, ret, t1, t2, t3)
#define DEF_HELPER_4(name, ret, t1, t2, t3, t4) \
    DEF_HELPER_FLAGS_4(name, 0, ret, t1, t2, t3, t4)
#define DEF_HELPER_5(name, ret, t1, t2, t3, t4, t5) \
    DEF_HELPER_FLAGS_5(name, 0, ret, t1, t2, t3, t4, t5)
#define DEF_HELPER_6(name, ret, t1, t2, t3, t4, t5, t6) \
    DEF_HELPER_FLAGS_6(name, 0, ret, t1, t2, t3, t4, t5, t6)
#define DEF_HELPER_7(name, ret, t1, t2, t3, t4, t5, t6, t7) \
    DEF_HELPER_FLAGS_7(name, 0, ret, t1, t2, t3, t4, t5, t6, t7)

#endif /* TCG_HELPER_HEAD_H */
