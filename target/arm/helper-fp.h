/* Scalar FP helpers (vfp_helper.c).  They read FPCR and accumulate FPSR. */
#define DEF_FP_BINOP(name) \
DEF_HELPER_FLAGS_3(vfp_##name##s, TCG_CALL_NO_RWG, i32, env, i32, i32) \
DEF_HELPER_FLAGS_3(vfp_##name##d, TCG_CALL_NO_RWG, i64, env, i64, i64)
DEF_FP_BINOP(add)
DEF_FP_BINOP(sub)
DEF_FP_BINOP(mul)
DEF_FP_BINOP(div)
DEF_FP_BINOP(nmul)
DEF_FP_BINOP(max)
DEF_FP_BINOP(min)
DEF_FP_BINOP(maxnm)
DEF_FP_BINOP(minnm)
#undef DEF_FP_BINOP
DEF_HELPER_FLAGS_2(vfp_sqrts, TCG_CALL_NO_RWG, i32, env, i32)
DEF_HELPER_FLAGS_2(vfp_sqrtd, TCG_CALL_NO_RWG, i64, env, i64)
DEF_HELPER_FLAGS_4(vfp_muladds, TCG_CALL_NO_RWG, i32, env, i32, i32, i32)
DEF_HELPER_FLAGS_4(vfp_muladdd, TCG_CALL_NO_RWG, i64, env, i64, i64, i64)
DEF_HELPER_FLAGS_4(vfp_cmps, TCG_CALL_NO_RWG, i32, env, i32, i32, i32)
DEF_HELPER_FLAGS_4(vfp_cmpd, TCG_CALL_NO_RWG, i32, env, i64, i64, i32)
DEF_HELPER_FLAGS_3(vfp_rint, TCG_CALL_NO_RWG, i64, env, i64, i32)
DEF_HELPER_FLAGS_3(vfp_f2i, TCG_CALL_NO_RWG, i64, env, i64, i32)
DEF_HELPER_FLAGS_3(vfp_i2f, TCG_CALL_NO_RWG, i64, env, i64, i32)
DEF_HELPER_FLAGS_4(vfp_fcvt, TCG_CALL_NO_RWG, i64, env, i64, i32, i32)
