/*
 * The SSE/AVX parts of the opcode maps: legacy 0F, 0F38, 0F3A and the
 * VEX maps (SDM Vol. 2 Tables ).  An empty entry is #UD.
 *
 * Most 0F entries select by the mandatory prefix ([0] none: MMX or SSE,
 * [1] 66: SSE2, [2] F3, [3] F2).  The three-operand notation V,H,W reads
 * as "V = H op W": in the legacy encoding H is V itself.  MMX forms are
 * legacy only (X86_NOVEX); the VEX forms of the same rows are decoded by
 * the same entries and need AVX (which -cpu max offers only once they
 * are done).
 */
#include "turtle/osdep.h"
#include "target/i386/translate.h"
#include "target/i386/decode-common.h"

#define F_SSE X86_SSE
#define F_MMX (X86_SSE | X86_NOVEX)
#define S(mn, feat, fl, ...) XF(mn, X86_FEAT_##feat, (fl) | F_SSE, __VA_ARGS__)
#define M(mn, feat, fl, ...) XF(mn, X86_FEAT_##feat, (fl) | F_MMX, __VA_ARGS__)

/* MMX row with an SSE2 XMM form: 0F xx (Pq,Qq) and 66 0F xx (Vx,Hx,Wx) */
#define PI(name, mn, mfeat)                                                \
static const X86OpEntry name[4] = {                                       \
    M(mn, mfeat, 0, Pq, Qq),                                               \
    S(mn, SSE2, X86_AVX2_256, Vx, Hx, Wx),                                 \
}
/* the four FP forms: ps, pd, ss, sd */
#define FP4(name, ps, pd, ss, sd)                                          \
static const X86OpEntry name[4] = {                                       \
    S(ps, SSE, 0, Vx, Hx, Wx), S(pd, SSE2, 0, Vx, Hx, Wx),                 \
    S(ss, SSE, 0, Vdq, Hdq, Wss), S(sd, SSE2, 0, Vdq, Hdq, Wsd),           \
}

PI(x60, PUNPCKLBW, MMX);
PI(x61, PUNPCKLWD, MMX);
PI(x62, PUNPCKLDQ, MMX);
PI(x63, PACKSSWB, MMX);
PI(x64, PCMPGTB, MMX);
PI(x65, PCMPGTW, MMX);
PI(x66, PCMPGTD, MMX);
PI(x67, PACKUSWB, MMX);
PI(x68, PUNPCKHBW, MMX);
PI(x69, PUNPCKHWD, MMX);
PI(x6a, PUNPCKHDQ, MMX);
PI(x6b, PACKSSDW, MMX);
PI(x74, PCMPEQB, MMX);
PI(x75, PCMPEQW, MMX);
PI(x76, PCMPEQD, MMX);
PI(xd1, PSRLW, MMX);
PI(xd2, PSRLD, MMX);
PI(xd3, PSRLQ, MMX);
PI(xd4, PADDQ, SSE2);
PI(xd5, PMULLW, MMX);
PI(xd8, PSUBUSB, MMX);
PI(xd9, PSUBUSW, MMX);
PI(xda, PMINUB, SSE);
PI(xdb, PAND, MMX);
PI(xdc, PADDUSB, MMX);
PI(xdd, PADDUSW, MMX);
PI(xde, PMAXUB, SSE);
PI(xdf, PANDN, MMX);
PI(xe0, PAVGB, SSE);
PI(xe1, PSRAW, MMX);
PI(xe2, PSRAD, MMX);
PI(xe3, PAVGW, SSE);
PI(xe4, PMULHUW, SSE);
PI(xe5, PMULHW, MMX);
PI(xe8, PSUBSB, MMX);
PI(xe9, PSUBSW, MMX);
PI(xea, PMINSW, SSE);
PI(xeb, POR, MMX);
PI(xec, PADDSB, MMX);
PI(xed, PADDSW, MMX);
PI(xee, PMAXSW, SSE);
PI(xef, PXOR, MMX);
PI(xf1, PSLLW, MMX);
PI(xf2, PSLLD, MMX);
PI(xf3, PSLLQ, MMX);
PI(xf4, PMULUDQ, SSE2);
PI(xf5, PMADDWD, MMX);
PI(xf6, PSADBW, SSE);
PI(xf8, PSUBB, MMX);
PI(xf9, PSUBW, MMX);
PI(xfa, PSUBD, MMX);
PI(xfb, PSUBQ, SSE2);
PI(xfc, PADDB, MMX);
PI(xfd, PADDW, MMX);
PI(xfe, PADDD, MMX);

FP4(x51, SQRTPS, SQRTPD, SQRTSS, SQRTSD);
FP4(x58, ADDPS, ADDPD, ADDSS, ADDSD);
FP4(x59, MULPS, MULPD, MULSS, MULSD);
FP4(x5c, SUBPS, SUBPD, SUBSS, SUBSD);
FP4(x5d, MINPS, MINPD, MINSS, MINSD);
FP4(x5e, DIVPS, DIVPD, DIVSS, DIVSD);
FP4(x5f, MAXPS, MAXPD, MAXSS, MAXSD);

/* 0F 10/11: MOVUPS MOVUPD MOVSS MOVSD; MOVSS/MOVSD by memory/register */
static const X86OpEntry movss_ld[2] = {
    S(MOVSS, SSE, 0, Vdq, Wss), S(MOVSS, SSE, 0, Vdq, Hdq, Udq),
};
static const X86OpEntry movsd_ld[2] = {
    S(MOVSD, SSE2, 0, Vdq, Wsd), S(MOVSD, SSE2, 0, Vdq, Hdq, Udq),
};
/* the register store forms merge into ModRM.rm: legacy U,V; VEX U,H,V */
static const X86OpEntry movss_st_reg[2] = {
    S(MOVSS, SSE, 0, Udq, Vdq), S(MOVSS, SSE, 0, Udq, Hdq, Vdq),
};
static const X86OpEntry movsd_st_reg[2] = {
    S(MOVSD, SSE2, 0, Udq, Vdq), S(MOVSD, SSE2, 0, Udq, Hdq, Vdq),
};
static const X86OpEntry movss_st[2] = {
    S(MOVSS, SSE, 0, Wss, Vdq), G(VEX, movss_st_reg),
};
static const X86OpEntry movsd_st[2] = {
    S(MOVSD, SSE2, 0, Wsd, Vdq), G(VEX, movsd_st_reg),
};
static const X86OpEntry x10[4] = {
    S(MOVUPS, SSE, X86_UNALIGNED, Vx, Wx),
    S(MOVUPD, SSE2, X86_UNALIGNED, Vx, Wx),
    G(MOD, movss_ld), G(MOD, movsd_ld),
};
static const X86OpEntry x11[4] = {
    S(MOVUPS, SSE, X86_UNALIGNED, Wx, Vx),
    S(MOVUPD, SSE2, X86_UNALIGNED, Wx, Vx),
    G(MOD, movss_st), G(MOD, movsd_st),
};

/* 0F 12/13, 16/17: low/high quadword moves; SSE3 duplicates */
static const X86OpEntry movlps[2] = {
    S(MOVLPS, SSE, X86_VEX_L0, Vdq, Hdq, Wq),
    S(MOVHLPS, SSE, X86_VEX_L0, Vdq, Hdq, Udq),
};
static const X86OpEntry movlpd[2] = {
    S(MOVLPD, SSE2, X86_VEX_L0, Vdq, Hdq, Wq),
};
static const X86OpEntry x12[4] = {
    G(MOD, movlps), G(MOD, movlpd),
    S(MOVSLDUP, SSE3, 0, Vx, Wx), S(MOVDDUP, SSE3, 0, Vx, Wdup),
};
static const X86OpEntry x13[4] = {
    S(MOVLPS, SSE, X86_VEX_L0, OP(M, q), Vdq),
    S(MOVLPD, SSE2, X86_VEX_L0, OP(M, q), Vdq),
};
static const X86OpEntry movhps[2] = {
    S(MOVHPS, SSE, X86_VEX_L0, Vdq, Hdq, Wq),
    S(MOVLHPS, SSE, X86_VEX_L0, Vdq, Hdq, Udq),
};
static const X86OpEntry movhpd[2] = {
    S(MOVHPD, SSE2, X86_VEX_L0, Vdq, Hdq, Wq),
};
static const X86OpEntry x16[4] = {
    G(MOD, movhps), G(MOD, movhpd), S(MOVSHDUP, SSE3, 0, Vx, Wx),
};
static const X86OpEntry x17[4] = {
    S(MOVHPS, SSE, X86_VEX_L0, OP(M, q), Vdq),
    S(MOVHPD, SSE2, X86_VEX_L0, OP(M, q), Vdq),
};

static const X86OpEntry x14[4] = {
    S(UNPCKLPS, SSE, 0, Vx, Hx, Wx), S(UNPCKLPD, SSE2, 0, Vx, Hx, Wx),
};
static const X86OpEntry x15[4] = {
    S(UNPCKHPS, SSE, 0, Vx, Hx, Wx), S(UNPCKHPD, SSE2, 0, Vx, Hx, Wx),
};
static const X86OpEntry x28[4] = {
    S(MOVAPS, SSE, X86_ALIGNED, Vx, Wx), S(MOVAPD, SSE2, X86_ALIGNED, Vx, Wx),
};
static const X86OpEntry x29[4] = {
    S(MOVAPS, SSE, X86_ALIGNED, Wx, Vx), S(MOVAPD, SSE2, X86_ALIGNED, Wx, Vx),
};

/* 0F 2A-2D: conversions with MMX registers and GPRs */
static const X86OpEntry x2a[4] = {
    M(CVTPI2PS, SSE, X86_MMX_FP, Vdq, Qq),
    M(CVTPI2PD, SSE2, X86_MMX_FP, Vdq, Qq),
    S(CVTSI2SS, SSE, 0, Vdq, Hdq, Ey), S(CVTSI2SD, SSE2, 0, Vdq, Hdq, Ey),
};
static const X86OpEntry x2b[4] = {
    S(MOVNTPS, SSE, X86_ALIGNED, Mx, Vx),
    S(MOVNTPD, SSE2, X86_ALIGNED, Mx, Vx),
};
static const X86OpEntry x2c[4] = {
    M(CVTTPS2PI, SSE, 0, Pq, Wq), M(CVTTPD2PI, SSE2, 0, Pq, Wdq),
    S(CVTTSS2SI, SSE, 0, Gy, Wss), S(CVTTSD2SI, SSE2, 0, Gy, Wsd),
};
static const X86OpEntry x2d[4] = {
    M(CVTPS2PI, SSE, 0, Pq, Wq), M(CVTPD2PI, SSE2, 0, Pq, Wdq),
    S(CVTSS2SI, SSE, 0, Gy, Wss), S(CVTSD2SI, SSE2, 0, Gy, Wsd),
};
static const X86OpEntry x2e[4] = {
    S(UCOMISS, SSE, X86_R0, Vdq, Wss), S(UCOMISD, SSE2, X86_R0, Vdq, Wsd),
};
static const X86OpEntry x2f[4] = {
    S(COMISS, SSE, X86_R0, Vdq, Wss), S(COMISD, SSE2, X86_R0, Vdq, Wsd),
};

static const X86OpEntry x50[4] = {
    S(MOVMSKPS, SSE, 0, Gd, Ux), S(MOVMSKPD, SSE2, 0, Gd, Ux),
};
static const X86OpEntry x52[4] = {
    S(RSQRTPS, SSE, 0, Vx, Wx), {0}, S(RSQRTSS, SSE, 0, Vdq, Hdq, Wss),
};
static const X86OpEntry x53[4] = {
    S(RCPPS, SSE, 0, Vx, Wx), {0}, S(RCPSS, SSE, 0, Vdq, Hdq, Wss),
};
static const X86OpEntry x54[4] = {
    S(ANDPS, SSE, 0, Vx, Hx, Wx), S(ANDPD, SSE2, 0, Vx, Hx, Wx),
};
static const X86OpEntry x55[4] = {
    S(ANDNPS, SSE, 0, Vx, Hx, Wx), S(ANDNPD, SSE2, 0, Vx, Hx, Wx),
};
static const X86OpEntry x56[4] = {
    S(ORPS, SSE, 0, Vx, Hx, Wx), S(ORPD, SSE2, 0, Vx, Hx, Wx),
};
static const X86OpEntry x57[4] = {
    S(XORPS, SSE, 0, Vx, Hx, Wx), S(XORPD, SSE2, 0, Vx, Hx, Wx),
};
static const X86OpEntry x5a[4] = {
    S(CVTPS2PD, SSE2, 0, Vx, Wxh), S(CVTPD2PS, SSE2, 0, Vdq, Wx),
    S(CVTSS2SD, SSE2, 0, Vdq, Hdq, Wss), S(CVTSD2SS, SSE2, 0, Vdq, Hdq, Wsd),
};
static const X86OpEntry x5b[4] = {
    S(CVTDQ2PS, SSE2, 0, Vx, Wx), S(CVTPS2DQ, SSE2, 0, Vx, Wx),
    S(CVTTPS2DQ, SSE2, 0, Vx, Wx),
};
static const X86OpEntry x6c[4] = {
    {0}, S(PUNPCKLQDQ, SSE2, X86_AVX2_256, Vx, Hx, Wx),
};
static const X86OpEntry x6d[4] = {
    {0}, S(PUNPCKHQDQ, SSE2, X86_AVX2_256, Vx, Hx, Wx),
};
static const X86OpEntry x6e[4] = {
    M(MOVD, MMX, 0, Pq, Ey), S(MOVD, SSE2, X86_VEX_L0, Vdq, Ey),
};
static const X86OpEntry x6f[4] = {
    M(MOVQ, MMX, 0, Pq, Qq), S(MOVDQA, SSE2, X86_ALIGNED, Vx, Wx),
    S(MOVDQU, SSE2, X86_UNALIGNED, Vx, Wx),
};
static const X86OpEntry x70[4] = {
    M(PSHUFW, SSE, 0, Pq, Qq, Ib),
    S(PSHUFD, SSE2, X86_AVX2_256, Vx, Wx, Ib),
    S(PSHUFHW, SSE2, X86_AVX2_256, Vx, Wx, Ib),
    S(PSHUFLW, SSE2, X86_AVX2_256, Vx, Wx, Ib),
};

/* Groups 12-14 (0F 71-73): shifts by an immediate, register forms only;
 * legacy: the destination is ModRM.rm, VEX: vvvv = rm shifted */
static const X86OpEntry grp12_mmx[8] = {
    [2] = M(PSRLWi, MMX, 0), [4] = M(PSRAWi, MMX, 0), [6] = M(PSLLWi, MMX, 0),
};
static const X86OpEntry grp12_xmm[8] = {
    [2] = S(PSRLWi, SSE2, X86_AVX2_256), [4] = S(PSRAWi, SSE2, X86_AVX2_256),
    [6] = S(PSLLWi, SSE2, X86_AVX2_256),
};
static const X86OpEntry grp13_mmx[8] = {
    [2] = M(PSRLDi, MMX, 0), [4] = M(PSRADi, MMX, 0), [6] = M(PSLLDi, MMX, 0),
};
static const X86OpEntry grp13_xmm[8] = {
    [2] = S(PSRLDi, SSE2, X86_AVX2_256), [4] = S(PSRADi, SSE2, X86_AVX2_256),
    [6] = S(PSLLDi, SSE2, X86_AVX2_256),
};
static const X86OpEntry grp14_mmx[8] = {
    [2] = M(PSRLQi, MMX, 0), [6] = M(PSLLQi, MMX, 0),
};
static const X86OpEntry grp14_xmm[8] = {
    [2] = S(PSRLQi, SSE2, X86_AVX2_256), [3] = S(PSRLDQ, SSE2, X86_AVX2_256),
    [6] = S(PSLLQi, SSE2, X86_AVX2_256), [7] = S(PSLLDQ, SSE2, X86_AVX2_256),
};
static const X86OpEntry x71_66[2] = {
    GO(REG, grp12_xmm, Ux, Ib), GO(REG, grp12_xmm, Hx, Ux, Ib),
};
static const X86OpEntry x72_66[2] = {
    GO(REG, grp13_xmm, Ux, Ib), GO(REG, grp13_xmm, Hx, Ux, Ib),
};
static const X86OpEntry x73_66[2] = {
    GO(REG, grp14_xmm, Ux, Ib), GO(REG, grp14_xmm, Hx, Ux, Ib),
};
static const X86OpEntry x71[4] = {
    GO(REG, grp12_mmx, Nq, Ib), G(VEX, x71_66),
};
static const X86OpEntry x72[4] = {
    GO(REG, grp13_mmx, Nq, Ib), G(VEX, x72_66),
};
static const X86OpEntry x73[4] = {
    GO(REG, grp14_mmx, Nq, Ib), G(VEX, x73_66),
};

/* 0F 77: EMMS; VEX: VZEROUPPER (L0), VZEROALL (L1) */
static const X86OpEntry x77_pfx[4] = {
    M(EMMS, MMX, 0),
};
static const X86OpEntry x77[2] = {
    G(PFX, x77_pfx), XF(VZERO, X86_FEAT_AVX, F_SSE | X86_VEX),
};
static const X86OpEntry x7c[4] = {
    {0}, S(HADDPD, SSE3, 0, Vx, Hx, Wx), {0}, S(HADDPS, SSE3, 0, Vx, Hx, Wx),
};
static const X86OpEntry x7d[4] = {
    {0}, S(HSUBPD, SSE3, 0, Vx, Hx, Wx), {0}, S(HSUBPS, SSE3, 0, Vx, Hx, Wx),
};
static const X86OpEntry x7e[4] = {
    M(MOVD, MMX, 0, Ey, Pq), S(MOVD, SSE2, X86_VEX_L0, Ey, Vdq),
    S(MOVQX, SSE2, X86_VEX_L0, Vdq, Wq),
};
static const X86OpEntry x7f[4] = {
    M(MOVQ, MMX, 0, Qq, Pq), S(MOVDQA, SSE2, X86_ALIGNED, Wx, Vx),
    S(MOVDQU, SSE2, X86_UNALIGNED, Wx, Vx),
};

static const X86OpEntry xc2[4] = {
    S(CMPPS, SSE, 0, Vx, Hx, Wx, Ib), S(CMPPD, SSE2, 0, Vx, Hx, Wx, Ib),
    S(CMPSS, SSE, 0, Vdq, Hdq, Wss, Ib), S(CMPSD, SSE2, 0, Vdq, Hdq, Wsd, Ib),
};
/* 0F C3: MOVNTI, an integer store */
static const X86OpEntry xc3[4] = {
    XF(MOV, X86_FEAT_SSE2, X86_W0 | X86_NOVEX, My, Gy),
};
static const X86OpEntry xc4[4] = {
    M(PINSRW, SSE, 0, Pq, Ew, Ib), S(PINSRW, SSE2, X86_VEX_L0, Vdq, Hdq, Ew, Ib),
};
static const X86OpEntry xc5[4] = {
    M(PEXTRW, SSE, 0, Gd, Nq, Ib), S(PEXTRW, SSE2, X86_VEX_L0, Gd, Udq, Ib),
};
static const X86OpEntry xc6[4] = {
    S(SHUFPS, SSE, 0, Vx, Hx, Wx, Ib), S(SHUFPD, SSE2, 0, Vx, Hx, Wx, Ib),
};
static const X86OpEntry xd0[4] = {
    {0}, S(ADDSUBPD, SSE3, 0, Vx, Hx, Wx), {0},
    S(ADDSUBPS, SSE3, 0, Vx, Hx, Wx),
};
static const X86OpEntry xd6[4] = {
    {0}, S(MOVQX, SSE2, X86_VEX_L0, Wq, Vdq),
    M(MOVQX, SSE2, 0, Vdq, Nq) /* MOVQ2DQ */,
    M(MOVQ, SSE2, 0, Pq, Udq) /* MOVDQ2Q */,
};
static const X86OpEntry xd7[4] = {
    M(PMOVMSKB, SSE, 0, Gd, Nq), S(PMOVMSKB, SSE2, X86_AVX2_256, Gd, Ux),
};
static const X86OpEntry xe6[4] = {
    {0}, S(CVTTPD2DQ, SSE2, 0, Vdq, Wx), S(CVTDQ2PD, SSE2, 0, Vx, Wxh),
    S(CVTPD2DQ, SSE2, 0, Vdq, Wx),
};
static const X86OpEntry xe7[4] = {
    M(MOVNTQ, SSE, 0, OP(M, q), Pq), S(MOVNTDQ, SSE2, X86_ALIGNED, Mx, Vx),
};
static const X86OpEntry xf0[4] = {
    [3] = S(LDDQU, SSE3, X86_UNALIGNED, Vx, Mx),
};
static const X86OpEntry xf7[4] = {
    M(MASKMOVQ, SSE, 0, Pq, Nq), S(MASKMOVDQU, SSE2, X86_VEX_L0, Vdq, Udq),
};

#define P(b) [0x##b] = G(PFX, x##b)
const X86OpEntry x86_map_0f_sse[256] = {
    P(10), P(11), P(12), P(13), P(14), P(15), P(16), P(17),
    P(28), P(29), P(2a), P(2b), P(2c), P(2d), P(2e), P(2f),
    P(50), P(51), P(52), P(53), P(54), P(55), P(56), P(57),
    P(58), P(59), P(5a), P(5b), P(5c), P(5d), P(5e), P(5f),
    P(60), P(61), P(62), P(63), P(64), P(65), P(66), P(67),
    P(68), P(69), P(6a), P(6b), P(6c), P(6d), P(6e), P(6f),
    P(70), P(71), P(72), P(73), P(74), P(75), P(76),
    [0x77] = G(VEX, x77), P(7c), P(7d), P(7e), P(7f),
    P(c2), P(c3), P(c4), P(c5), P(c6),
    P(d0), P(d1), P(d2), P(d3), P(d4), P(d5), P(d6), P(d7),
    P(d8), P(d9), P(da), P(db), P(dc), P(dd), P(de), P(df),
    P(e0), P(e1), P(e2), P(e3), P(e4), P(e5), P(e6), P(e7),
    P(e8), P(e9), P(ea), P(eb), P(ec), P(ed), P(ee), P(ef),
    P(f0), P(f1), P(f2), P(f3), P(f4), P(f5), P(f6), P(f7),
    P(f8), P(f9), P(fa), P(fb), P(fc), P(fd), P(fe),
};
/* ---- 0F38 (Table A-4): SSSE3 (MMX and 66 forms), SSE4.1/4.2, AES ---- */

#define SS3(op, mn)                                                        \
static const X86OpEntry x38_##op[4] = {                                   \
    M(mn, SSSE3, 0, Pq, Qq), S(mn, SSSE3, X86_AVX2_256, Vx, Hx, Wx),       \
}
#define SS3U(op, mn)                                                       \
static const X86OpEntry x38_##op[4] = {                                   \
    M(mn, SSSE3, 0, Pq, Qq), S(mn, SSSE3, X86_AVX2_256, Vx, Wx),           \
}
#define S4(op, mn, feat, fl, ...)                                          \
static const X86OpEntry x38_##op[4] = {                                   \
    {0}, S(mn, feat, fl, __VA_ARGS__),                                     \
}
SS3(00, PSHUFB);
SS3(01, PHADDW);
SS3(02, PHADDD);
SS3(03, PHADDSW);
SS3(04, PMADDUBSW);
SS3(05, PHSUBW);
SS3(06, PHSUBD);
SS3(07, PHSUBSW);
SS3(08, PSIGNB);
SS3(09, PSIGNW);
SS3(0a, PSIGND);
SS3(0b, PMULHRSW);
SS3U(1c, PABSB);
SS3U(1d, PABSW);
SS3U(1e, PABSD);
/* the legacy variable blends: mask in XMM0 (VEX forms: 0F3A 4A-4C) */
S4(10, PBLENDVB, SSE41, X86_NOVEX, Vdq, Wdq);
S4(14, BLENDVPS, SSE41, X86_NOVEX, Vdq, Wdq);
S4(15, BLENDVPD, SSE41, X86_NOVEX, Vdq, Wdq);
S4(17, PTEST, SSE41, X86_R0, Vx, Wx);
S4(20, PMOVSXBW, SSE41, X86_AVX2_256, Vx, Wxh);
S4(21, PMOVSXBD, SSE41, X86_AVX2_256, Vx, Wxq);
S4(22, PMOVSXBQ, SSE41, X86_AVX2_256, Vx, Wxo);
S4(23, PMOVSXWD, SSE41, X86_AVX2_256, Vx, Wxh);
S4(24, PMOVSXWQ, SSE41, X86_AVX2_256, Vx, Wxq);
S4(25, PMOVSXDQ, SSE41, X86_AVX2_256, Vx, Wxh);
S4(28, PMULDQ, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(29, PCMPEQQ, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(2a, MOVNTDQA, SSE41, X86_ALIGNED | X86_AVX2_256, Vx, Mx);
S4(2b, PACKUSDW, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(30, PMOVZXBW, SSE41, X86_AVX2_256, Vx, Wxh);
S4(31, PMOVZXBD, SSE41, X86_AVX2_256, Vx, Wxq);
S4(32, PMOVZXBQ, SSE41, X86_AVX2_256, Vx, Wxo);
S4(33, PMOVZXWD, SSE41, X86_AVX2_256, Vx, Wxh);
S4(34, PMOVZXWQ, SSE41, X86_AVX2_256, Vx, Wxq);
S4(35, PMOVZXDQ, SSE41, X86_AVX2_256, Vx, Wxh);
S4(37, PCMPGTQ, SSE42, X86_AVX2_256, Vx, Hx, Wx);
S4(38, PMINSB, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(39, PMINSD, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(3a, PMINUW, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(3b, PMINUD, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(3c, PMAXSB, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(3d, PMAXSD, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(3e, PMAXUW, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(3f, PMAXUD, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(40, PMULLD, SSE41, X86_AVX2_256, Vx, Hx, Wx);
S4(41, PHMINPOSUW, SSE41, X86_VEX_L0, Vdq, Wdq);
S4(db, AESIMC, AES, X86_VEX_L0, Vdq, Wdq);
S4(dc, AESENC, AES, X86_VEX_L0, Vdq, Hdq, Wdq);
S4(dd, AESENCLAST, AES, X86_VEX_L0, Vdq, Hdq, Wdq);
S4(de, AESDEC, AES, X86_VEX_L0, Vdq, Hdq, Wdq);
S4(df, AESDECLAST, AES, X86_VEX_L0, Vdq, Hdq, Wdq);

#define P38(b) [0x##b] = G(PFX, x38_##b)
const X86OpEntry x86_map_0f38_sse[256] = {
    P38(00), P38(01), P38(02), P38(03), P38(04), P38(05), P38(06), P38(07),
    P38(08), P38(09), P38(0a), P38(0b), P38(10), P38(14), P38(15), P38(17),
    P38(1c), P38(1d), P38(1e), P38(20), P38(21), P38(22), P38(23), P38(24),
    P38(25), P38(28), P38(29), P38(2a), P38(2b), P38(30), P38(31), P38(32),
    P38(33), P38(34), P38(35), P38(37), P38(38), P38(39), P38(3a), P38(3b),
    P38(3c), P38(3d), P38(3e), P38(3f), P38(40), P38(41), P38(db), P38(dc),
    P38(dd), P38(de), P38(df),
};

/* ---- 0F3A (Table A-5): SSE4.1 with imm8, SSE4.2 strings, PCLMULQDQ ---- */

#define S4A(op, mn, feat, fl, ...)                                         \
static const X86OpEntry x3a_##op[4] = {                                   \
    {0}, S(mn, feat, fl, __VA_ARGS__),                                     \
}
S4A(08, ROUNDPS, SSE41, 0, Vx, Wx, Ib);
S4A(09, ROUNDPD, SSE41, 0, Vx, Wx, Ib);
S4A(0a, ROUNDSS, SSE41, 0, Vdq, Hdq, Wss, Ib);
S4A(0b, ROUNDSD, SSE41, 0, Vdq, Hdq, Wsd, Ib);
S4A(0c, BLENDPS, SSE41, 0, Vx, Hx, Wx, Ib);
S4A(0d, BLENDPD, SSE41, 0, Vx, Hx, Wx, Ib);
S4A(0e, PBLENDW, SSE41, X86_AVX2_256, Vx, Hx, Wx, Ib);
static const X86OpEntry x3a_0f[4] = {
    M(PALIGNR, SSSE3, 0, Pq, Qq, Ib),
    S(PALIGNR, SSSE3, X86_AVX2_256, Vx, Hx, Wx, Ib),
};
/* byte and word extracts/inserts: a register operand is a whole GPR */
static const X86OpEntry pextrb[2] = {
    S(PEXTRB, SSE41, X86_VEX_L0, Eb, Vdq, Ib),
    S(PEXTRB, SSE41, X86_VEX_L0, Ed, Vdq, Ib),
};
static const X86OpEntry pextrw[2] = {
    S(PEXTRW4, SSE41, X86_VEX_L0, Ew, Vdq, Ib),
    S(PEXTRW4, SSE41, X86_VEX_L0, Ed, Vdq, Ib),
};
static const X86OpEntry pinsrb[2] = {
    S(PINSRB, SSE41, X86_VEX_L0, Vdq, Hdq, Eb, Ib),
    S(PINSRB, SSE41, X86_VEX_L0, Vdq, Hdq, Ed, Ib),
};
static const X86OpEntry x3a_14[4] = { {0}, G(MOD, pextrb) };
static const X86OpEntry x3a_15[4] = { {0}, G(MOD, pextrw) };
S4A(16, PEXTRD, SSE41, X86_VEX_L0, Ey, Vdq, Ib);
S4A(17, EXTRACTPS, SSE41, X86_VEX_L0, Ed, Vdq, Ib);
static const X86OpEntry x3a_20[4] = { {0}, G(MOD, pinsrb) };
S4A(21, INSERTPS, SSE41, X86_VEX_L0, Vdq, Hdq, Wd, Ib);
S4A(22, PINSRD, SSE41, X86_VEX_L0, Vdq, Hdq, Ey, Ib);
S4A(40, DPPS, SSE41, 0, Vx, Hx, Wx, Ib);
S4A(41, DPPD, SSE41, X86_VEX_L0, Vdq, Hdq, Wdq, Ib);
S4A(42, MPSADBW, SSE41, X86_AVX2_256, Vx, Hx, Wx, Ib);
S4A(44, PCLMULQDQ, PCLMULQDQ, X86_VEX_L0, Vdq, Hdq, Wdq, Ib);
S4A(60, PCMPESTRM, SSE42, X86_UNALIGNED | X86_VEX_L0, Vdq, Wdq, Ib);
S4A(61, PCMPESTRI, SSE42, X86_UNALIGNED | X86_VEX_L0, Vdq, Wdq, Ib);
S4A(62, PCMPISTRM, SSE42, X86_UNALIGNED | X86_VEX_L0, Vdq, Wdq, Ib);
S4A(63, PCMPISTRI, SSE42, X86_UNALIGNED | X86_VEX_L0, Vdq, Wdq, Ib);
S4A(df, AESKEYGENASSIST, AES, X86_VEX_L0, Vdq, Wdq, Ib);

#define P3A(b) [0x##b] = G(PFX, x3a_##b)
const X86OpEntry x86_map_0f3a_sse[256] = {
    P3A(08), P3A(09), P3A(0a), P3A(0b), P3A(0c), P3A(0d), P3A(0e), P3A(0f),
    P3A(14), P3A(15), P3A(16), P3A(17), P3A(20), P3A(21), P3A(22),
    P3A(40), P3A(41), P3A(42), P3A(44), P3A(60), P3A(61), P3A(62), P3A(63),
    P3A(df),
};
const X86OpEntry x86_vex_0f_sse[256] = {
};
const X86OpEntry x86_vex_0f38_sse[256] = {
};
const X86OpEntry x86_vex_0f3a_sse[256] = {
};
