/* helpers of the toy front end in tcg-toy.c (see tcg/helper-head.h) */
DEF_HELPER_FLAGS_1(toy_halt, TCG_CALL_NO_RETURN, noreturn, env)
DEF_HELPER_FLAGS_2(toy_raise, TCG_CALL_NO_RETURN, noreturn, env, i32)
