/*
 * gen_helper_NAME() wrappers for the helpers listed in HELPER_H (see
 * helper-head.h): gen_helper_NAME([TCGv_xx ret,] TCGv_xx arg1, ...) emits a
 * call.  Includes the prototypes too.  Include once per translation unit.
 */
#include "tcg/helper-proto.h"
#include "tcg/tcg-op.h"

#define DEF_HELPER_FLAGS_0(NAME, FLAGS, ret) \
static inline void dh_glue(gen_helper_, NAME)(dh_retdecl0(ret)) \
{ \
    static const TCGHelperInfo info_ = { \
        .func = (void *)HELPER(NAME), .name = #NAME, .flags = (FLAGS), \
        .typemask = dh_typemask(ret, 0), \
    }; \
    const TCGArg args_[] = { 0 }; \
    tcg_gen_call(&info_, dh_retarg(ret), 0, args_); \
}

#define DEF_HELPER_FLAGS_1(NAME, FLAGS, ret, t1) \
static inline void dh_glue(gen_helper_, NAME)(dh_retdecl(ret) dh_tcgv(t1) arg1) \
{ \
    static const TCGHelperInfo info_ = { \
        .func = (void *)HELPER(NAME), .name = #NAME, .flags = (FLAGS), \
        .typemask = dh_typemask(ret, 0) | dh_typemask(t1, 1), \
    }; \
    const TCGArg args_[] = { (TCGArg)arg1 }; \
    tcg_gen_call(&info_, dh_retarg(ret), 1, args_); \
}

#define DEF_HELPER_FLAGS_2(NAME, FLAGS, ret, t1, t2) \
static inline void dh_glue(gen_helper_, NAME)(dh_retdecl(ret) dh_tcgv(t1) arg1, dh_tcgv(t2) arg2) \
{ \
    static const TCGHelperInfo info_ = { \
        .func = (void *)HELPER(NAME), .name = #NAME, .flags = (FLAGS), \
        .typemask = dh_typemask(ret, 0) | dh_typemask(t1, 1) | dh_typemask(t2, 2), \
    }; \
    const TCGArg args_[] = { (TCGArg)arg1, (TCGArg)arg2 }; \
    tcg_gen_call(&info_, dh_retarg(ret), 2, args_); \
}

#define DEF_HELPER_FLAGS_3(NAME, FLAGS, ret, t1, t2, t3) \
static inline void dh_glue(gen_helper_, NAME)(dh_retdecl(ret) dh_tcgv(t1) arg1, dh_tcgv(t2) arg2, dh_tcgv(t3) arg3) \
{ \
    static const TCGHelperInfo info_ = { \
        .func = (void *)HELPER(NAME), .name = #NAME, .flags = (FLAGS), \
        .typemask = dh_typemask(ret, 0) | dh_typemask(t1, 1) | dh_typemask(t2, 2) | dh_typemask(t3, 3), \
    }; \
    const TCGArg args_[] = { (TCGArg)arg1, (TCGArg)arg2, (TCGArg)arg3 }; \
    tcg_gen_call(&info_, dh_retarg(ret), 3, args_); \
}

#define DEF_HELPER_FLAGS_4(NAME, FLAGS, ret, t1, t2, t3, t4) \
static inline void dh_glue(gen_helper_, NAME)(dh_retdecl(ret) dh_tcgv(t1) arg1, dh_tcgv(t2) arg2, dh_tcgv(t3) arg3, dh_tcgv(t4) arg4) \
{ \
    static const TCGHelperInfo info_ = { \
        .func = (void *)HELPER(NAME), .name = #NAME, .flags = (FLAGS), \
        .typemask = dh_typemask(ret, 0) | dh_typemask(t1, 1) | dh_typemask(t2, 2) | dh_typemask(t3, 3) | dh_typemask(t4, 4), \
    }; \
    const TCGArg args_[] = { (TCGArg)arg1, (TCGArg)arg2, (TCGArg)arg3, (TCGArg)arg4 }; \
    tcg_gen_call(&info_, dh_retarg(ret), 4, args_); \
}

#define DEF_HELPER_FLAGS_5(NAME, FLAGS, ret, t1, t2, t3, t4, t5) \
static inline void dh_glue(gen_helper_, NAME)(dh_retdecl(ret) dh_tcgv(t1) arg1, dh_tcgv(t2) arg2, dh_tcgv(t3) arg3, dh_tcgv(t4) arg4, dh_tcgv(t5) arg5) \
{ \
    static const TCGHelperInfo info_ = { \
        .func = (void *)HELPER(NAME), .name = #NAME, .flags = (FLAGS), \
        .typemask = dh_typemask(ret, 0) | dh_typemask(t1, 1) | dh_typemask(t2, 2) | dh_typemask(t3, 3) | dh_typemask(t4, 4) | dh_typemask(t5, 5), \
    }; \
    const TCGArg args_[] = { (TCGArg)arg1, (TCGArg)arg2, (TCGArg)arg3, (TCGArg)arg4, (TCGArg)arg5 }; \
    tcg_gen_call(&info_, dh_retarg(ret), 5, args_); \
}

#define DEF_HELPER_FLAGS_6(NAME, FLAGS, ret, t1, t2, t3, t4, t5, t6) \
static inline void dh_glue(gen_helper_, NAME)(dh_retdecl(ret) dh_tcgv(t1) arg1, dh_tcgv(t2) arg2, dh_tcgv(t3) arg3, dh_tcgv(t4) arg4, dh_tcgv(t5) arg5, dh_tcgv(t6) arg6) \
{ \
    static const TCGHelperInfo info_ = { \
        .func = (void *)HELPER(NAME), .name = #NAME, .flags = (FLAGS), \
        .typemask = dh_typemask(ret, 0) | dh_typemask(t1, 1) | dh_typemask(t2, 2) | dh_typemask(t3, 3) | dh_typemask(t4, 4) | dh_typemask(t5, 5) | dh_typemask(t6, 6), \
    }; \
    const TCGArg args_[] = { (TCGArg)arg1, (TCGArg)arg2, (TCGArg)arg3, (TCGArg)arg4, (TCGArg)arg5, (TCGArg)arg6 }; \
    tcg_gen_call(&info_, dh_retarg(ret), 6, args_); \
}

#define DEF_HELPER_FLAGS_7(NAME, FLAGS, ret, t1, t2, t3, t4, t5, t6, t7) \
static inline void dh_glue(gen_helper_, NAME)(dh_retdecl(ret) dh_tcgv(t1) arg1, dh_tcgv(t2) arg2, dh_tcgv(t3) arg3, dh_tcgv(t4) arg4, dh_tcgv(t5) arg5, dh_tcgv(t6) arg6, dh_tcgv(t7) arg7) \
{ \
    static const TCGHelperInfo info_ = { \
        .func = (void *)HELPER(NAME), .name = #NAME, .flags = (FLAGS), \
        .typemask = dh_typemask(ret, 0) | dh_typemask(t1, 1) | dh_typemask(t2, 2) | dh_typemask(t3, 3) | dh_typemask(t4, 4) | dh_typemask(t5, 5) | dh_typemask(t6, 6) | dh_typemask(t7, 7), \
    }; \
    const TCGArg args_[] = { (TCGArg)arg1, (TCGArg)arg2, (TCGArg)arg3, (TCGArg)arg4, (TCGArg)arg5, (TCGArg)arg6, (TCGArg)arg7 }; \
    tcg_gen_call(&info_, dh_retarg(ret), 7, args_); \
}

#include HELPER_H

#undef DEF_HELPER_FLAGS_0
#undef DEF_HELPER_FLAGS_1
#undef DEF_HELPER_FLAGS_2
#undef DEF_HELPER_FLAGS_3
#undef DEF_HELPER_FLAGS_4
#undef DEF_HELPER_FLAGS_5
#undef DEF_HELPER_FLAGS_6
#undef DEF_HELPER_FLAGS_7
