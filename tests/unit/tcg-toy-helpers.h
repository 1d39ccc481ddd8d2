/* helpers of the toy front end in tcg-toy.c (see tcg/helper-head.h) */
DEF_HELPER_FLAGS_1(toy_halt, TCG_CALL_NO_RETURN, noreturn, env)
DEF_HELPER_FLAGS_2(toy_raise, TCG_CALL_NO_RETURN, noreturn, env, i32)
DEF_HELPER_FLAGS_4(toy_cas, 0, i64, env, i64, i64, i64)
