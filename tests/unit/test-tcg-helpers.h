/* helpers for test-tcg-ops.c (see include/tcg/helper-head.h) */
DEF_HELPER_FLAGS_7(mix7, TCG_CALL_NO_RWG_SE, i64, i64, i32, s32, i64, ptr, i64, i32)
DEF_HELPER_2(rw_global, void, env, i64)
DEF_HELPER_FLAGS_1(read_global, TCG_CALL_NO_WG, i64, env)
DEF_HELPER_FLAGS_2(unused_pure, TCG_CALL_NO_RWG_SE, i32, i32, i32)
DEF_HELPER_FLAGS_2(where, 0, void, env, i32)
DEF_HELPER_FLAGS_1(clobber, TCG_CALL_NO_RWG, void, i64)
