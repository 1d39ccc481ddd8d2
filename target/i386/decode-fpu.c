/*
 * The x87 opcode maps (SDM Vol. 2 Tables ): D8-DF with a
 * memory operand by ModRM.reg (entries 0-7), with a register operand by
 * ModRM bits 5:0 (entries 8 + reg * 8 + rm).  Operand sizes name the
 * memory formats: ss m32fp, sd m64fp, f80 m80fp, w/d/q m16/32/64int,
 * mem environments and save areas.  Empty entries are #UD.
 */
#include "turtle/osdep.h"
#include "target/i386/translate.h"
#include "target/i386/decode-common.h"

#define Mss  OP(M, ss)
#define Msd  OP(M, sd)
#define Mf80 OP(M, f80)
#define ST0  OP(ST0, NONE)
#define STi  OP(STI, NONE)

/* register forms: eight entries from reg field r */
#define R8(r, e)  [8 + (r) * 8 ... 8 + (r) * 8 + 7] = e
#define R1(r, m, e) [8 + (r) * 8 + (m)] = e
#define F X86_NOWB

static const X86OpEntry x87_d8[72] = {
    X(FADD, F, Mss), X(FMUL, F, Mss), X(FCOM, F, Mss), X(FCOMP, F, Mss),
    X(FSUB, F, Mss), X(FSUBR, F, Mss), X(FDIV, F, Mss), X(FDIVR, F, Mss),
    R8(0, X(FADD, F, ST0, STi)), R8(1, X(FMUL, F, ST0, STi)),
    R8(2, X(FCOM, F, STi)), R8(3, X(FCOMP, F, STi)),
    R8(4, X(FSUB, F, ST0, STi)), R8(5, X(FSUBR, F, ST0, STi)),
    R8(6, X(FDIV, F, ST0, STi)), R8(7, X(FDIVR, F, ST0, STi)),
};

static const X86OpEntry x87_d9[72] = {
    X(FLD, F, Mss), {0}, X(FST, F, Mss), X(FSTP, F, Mss),
    X(FLDENV, F, Mmem), X(FLDCW, F, Mw), X(FNSTENV, F, Mmem),
    X(FNSTCW, F, Mw),
    R8(0, X(FLD, F, STi)), R8(1, X(FXCH, F, STi)),
    R1(2, 0, X(FNOP, F)),
    R8(3, X(FSTP, F, STi)),                    /* FSTP1 (reserved alias) */
    R1(4, 0, X(FCHS, F)), R1(4, 1, X(FABS, F)), R1(4, 4, X(FTST, F)),
    R1(4, 5, X(FXAM, F)),
    R1(5, 0, XA(FLDconst, 0, F)), R1(5, 1, XA(FLDconst, 1, F)),
    R1(5, 2, XA(FLDconst, 2, F)), R1(5, 3, XA(FLDconst, 3, F)),
    R1(5, 4, XA(FLDconst, 4, F)), R1(5, 5, XA(FLDconst, 5, F)),
    R1(5, 6, XA(FLDconst, 6, F)),
    R1(6, 0, X(F2XM1, F)), R1(6, 1, X(FYL2X, F)), R1(6, 2, X(FPTAN, F)),
    R1(6, 3, X(FPATAN, F)), R1(6, 4, X(FXTRACT, F)), R1(6, 5, X(FPREM1, F)),
    R1(6, 6, X(FDECSTP, F)), R1(6, 7, X(FINCSTP, F)),
    R1(7, 0, X(FPREM, F)), R1(7, 1, X(FYL2XP1, F)), R1(7, 2, X(FSQRT, F)),
    R1(7, 3, X(FSINCOS, F)), R1(7, 4, X(FRNDINT, F)), R1(7, 5, X(FSCALE, F)),
    R1(7, 6, X(FSIN, F)), R1(7, 7, X(FCOS, F)),
};

static const X86OpEntry x87_da[72] = {
    X(FIADD, F, Md), X(FIMUL, F, Md), X(FICOM, F, Md), X(FICOMP, F, Md),
    X(FISUB, F, Md), X(FISUBR, F, Md), X(FIDIV, F, Md), X(FIDIVR, F, Md),
    R8(0, X(FCMOVcc, F, STi)), R8(1, X(FCMOVcc, F, STi)),
    R8(2, X(FCMOVcc, F, STi)), R8(3, X(FCMOVcc, F, STi)),
    R1(5, 1, X(FUCOMPP, F)),
};

static const X86OpEntry x87_db[72] = {
    X(FILD, F, Md), XF(FISTTP, X86_FEAT_SSE3, F, Md), X(FIST, F, Md),
    X(FISTP, F, Md), {0}, X(FLD, F, Mf80), {0}, X(FSTP, F, Mf80),
    R8(0, X(FCMOVcc, F, STi)), R8(1, X(FCMOVcc, F, STi)),
    R8(2, X(FCMOVcc, F, STi)), R8(3, X(FCMOVcc, F, STi)),
    R1(4, 0, X(FNOP, F)), R1(4, 1, X(FNOP, F)),   /* FENI, FDISI: 8087 */
    R1(4, 2, X(FNCLEX, F)), R1(4, 3, X(FNINIT, F)),
    R1(4, 4, X(FNOP, F)),                          /* FSETPM: 287 */
    R8(5, X(FUCOMI, F, STi)), R8(6, X(FCOMI, F, STi)),
};

static const X86OpEntry x87_dc[72] = {
    X(FADD, F, Msd), X(FMUL, F, Msd), X(FCOM, F, Msd), X(FCOMP, F, Msd),
    X(FSUB, F, Msd), X(FSUBR, F, Msd), X(FDIV, F, Msd), X(FDIVR, F, Msd),
    R8(0, X(FADD, F, STi, ST0)), R8(1, X(FMUL, F, STi, ST0)),
    R8(2, X(FCOM, F, STi)), R8(3, X(FCOMP, F, STi)),     /* aliases */
    R8(4, X(FSUBR, F, STi, ST0)), R8(5, X(FSUB, F, STi, ST0)),
    R8(6, X(FDIVR, F, STi, ST0)), R8(7, X(FDIV, F, STi, ST0)),
};

static const X86OpEntry x87_dd[72] = {
    X(FLD, F, Msd), XF(FISTTP, X86_FEAT_SSE3, F, Mq), X(FST, F, Msd),
    X(FSTP, F, Msd), X(FRSTOR, F, Mmem), {0}, X(FNSAVE, F, Mmem),
    X(FNSTSW, F, Mw),
    R8(0, X(FFREE, F, STi)), R8(1, X(FXCH, F, STi)),
    R8(2, X(FST, F, STi)), R8(3, X(FSTP, F, STi)),
    R8(4, X(FUCOM, F, STi)), R8(5, X(FUCOMP, F, STi)),
};

static const X86OpEntry x87_de[72] = {
    X(FIADD, F, Mw), X(FIMUL, F, Mw), X(FICOM, F, Mw), X(FICOMP, F, Mw),
    X(FISUB, F, Mw), X(FISUBR, F, Mw), X(FIDIV, F, Mw), X(FIDIVR, F, Mw),
    R8(0, X(FADDP, F, STi, ST0)), R8(1, X(FMULP, F, STi, ST0)),
    R8(2, X(FCOMP, F, STi)),                        /* alias */
    R1(3, 1, X(FCOMPP, F)),
    R8(4, X(FSUBRP, F, STi, ST0)), R8(5, X(FSUBP, F, STi, ST0)),
    R8(6, X(FDIVRP, F, STi, ST0)), R8(7, X(FDIVP, F, STi, ST0)),
};

static const X86OpEntry x87_df[72] = {
    X(FILD, F, Mw), XF(FISTTP, X86_FEAT_SSE3, F, Mw), X(FIST, F, Mw),
    X(FISTP, F, Mw), X(FBLD, F, Mf80), X(FILD, F, Mq), X(FBSTP, F, Mf80),
    X(FISTP, F, Mq),
    R8(0, X(FFREEP, F, STi)), R8(1, X(FXCH, F, STi)),     /* aliases */
    R8(2, X(FSTP, F, STi)), R8(3, X(FSTP, F, STi)),
    R1(4, 0, X(FNSTSW, F)),                               /* FNSTSW AX */
    R8(5, X(FUCOMIP, F, STi)), R8(6, X(FCOMIP, F, STi)),
};

const X86OpEntry x86_map_x87[8] = {
    G(X87, x87_d8), G(X87, x87_d9), G(X87, x87_da), G(X87, x87_db),
    G(X87, x87_dc), G(X87, x87_dd), G(X87, x87_de), G(X87, x87_df),
};
