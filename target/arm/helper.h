/* Helpers called from A64 generated code (see tcg/helper-head.h). */

DEF_HELPER_FLAGS_4(exception_with_syndrome, TCG_CALL_NO_WG, noreturn, env, i32, i32, i32)
DEF_HELPER_FLAGS_2(exception_internal, TCG_CALL_NO_WG, noreturn, env, i32)
DEF_HELPER_FLAGS_1(exception_pc_alignment, TCG_CALL_NO_WG, noreturn, env)
DEF_HELPER_1(wfi, void, env)
DEF_HELPER_1(exception_return, void, env)
DEF_HELPER_3(psci_call, void, env, i32, i32)
DEF_HELPER_1(semihosting, void, env)
DEF_HELPER_3(msr_i_pstate, void, env, i32, i32)
DEF_HELPER_FLAGS_1(rebuild_hflags, TCG_CALL_NO_RWG, void, env)

DEF_HELPER_2(get_cp_reg64, i64, env, cptr)
DEF_HELPER_3(set_cp_reg64, void, env, cptr, i64)
DEF_HELPER_4(access_check_cp_reg, void, env, cptr, i32, i32)

DEF_HELPER_FLAGS_2(sdiv64, TCG_CALL_NO_RWG_SE, s64, s64, s64)
DEF_HELPER_FLAGS_2(udiv64, TCG_CALL_NO_RWG_SE, i64, i64, i64)
DEF_HELPER_FLAGS_1(rbit64, TCG_CALL_NO_RWG_SE, i64, i64)
DEF_HELPER_FLAGS_3(crc32, TCG_CALL_NO_RWG_SE, i64, i64, i64, i32)
DEF_HELPER_FLAGS_3(crc32c, TCG_CALL_NO_RWG_SE, i64, i64, i64, i32)

#include "target/arm/helper-fp.h"
