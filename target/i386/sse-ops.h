/*
 * The vector operations that share one helper signature
 *     void helper_NAME(env, void *d, const void *a, const void *b, desc)
 * (d the destination, a the first source -- VEX.vvvv, or the destination
 * itself in the legacy encoding --, b the second; desc = destination bytes
 * | imm8 << 8 | source b bytes << 16).  One line per operation; the
 * includer defines the macros:
 *   SSE_INT(MNEMONIC, name)  integer/bit operation (no MXCSR, cannot fault)
 *   SSE_FP(MNEMONIC, name)   floating point through MXCSR (may raise #XM)
 *   SSE_OWN(MNEMONIC, name)  integer, with a gen function of its own
 *                            (operands that are not simply d, a, b)
 * helper.h makes the helper declarations from it, sse_helper.c the helper
 * definitions' dispatch, translate-sse.c the gen_MNEMONIC functions the
 * decode tables (decode-sse.c) name.
 */

/* MMX / SSE2 integer (one helper for MMX, XMM and YMM: desc's length) */
SSE_INT(PADDB, paddb) SSE_INT(PADDW, paddw) SSE_INT(PADDD, paddd)
SSE_INT(PADDQ, paddq) SSE_INT(PSUBB, psubb) SSE_INT(PSUBW, psubw)
SSE_INT(PSUBD, psubd) SSE_INT(PSUBQ, psubq)
SSE_INT(PADDSB, paddsb) SSE_INT(PADDSW, paddsw)
SSE_INT(PADDUSB, paddusb) SSE_INT(PADDUSW, paddusw)
SSE_INT(PSUBSB, psubsb) SSE_INT(PSUBSW, psubsw)
SSE_INT(PSUBUSB, psubusb) SSE_INT(PSUBUSW, psubusw)
SSE_INT(PMULLW, pmullw) SSE_INT(PMULHW, pmulhw) SSE_INT(PMULHUW, pmulhuw)
SSE_INT(PMULUDQ, pmuludq) SSE_INT(PMADDWD, pmaddwd) SSE_INT(PSADBW, psadbw)
SSE_INT(PAVGB, pavgb) SSE_INT(PAVGW, pavgw)
SSE_INT(PMINUB, pminub) SSE_INT(PMAXUB, pmaxub)
SSE_INT(PMINSW, pminsw) SSE_INT(PMAXSW, pmaxsw)
SSE_INT(PCMPEQB, pcmpeqb) SSE_INT(PCMPEQW, pcmpeqw) SSE_INT(PCMPEQD, pcmpeqd)
SSE_INT(PCMPGTB, pcmpgtb) SSE_INT(PCMPGTW, pcmpgtw) SSE_INT(PCMPGTD, pcmpgtd)
SSE_INT(PAND, pand) SSE_INT(PANDN, pandn) SSE_INT(POR, por) SSE_INT(PXOR, pxor)
SSE_INT(PACKSSWB, packsswb) SSE_INT(PACKSSDW, packssdw)
SSE_INT(PACKUSWB, packuswb)
SSE_INT(PUNPCKLBW, punpcklbw) SSE_INT(PUNPCKLWD, punpcklwd)
SSE_INT(PUNPCKLDQ, punpckldq) SSE_INT(PUNPCKLQDQ, punpcklqdq)
SSE_INT(PUNPCKHBW, punpckhbw) SSE_INT(PUNPCKHWD, punpckhwd)
SSE_INT(PUNPCKHDQ, punpckhdq) SSE_INT(PUNPCKHQDQ, punpckhqdq)
/* shifts: the count is b's low quadword (the Ib forms put it there) */
SSE_INT(PSRLW, psrlw) SSE_INT(PSRLD, psrld) SSE_INT(PSRLQ, psrlq)
SSE_INT(PSRAW, psraw) SSE_INT(PSRAD, psrad)
SSE_INT(PSLLW, psllw) SSE_INT(PSLLD, pslld) SSE_INT(PSLLQ, psllq)
SSE_OWN(PSRLDQ, psrldq) SSE_OWN(PSLLDQ, pslldq)
/* shuffles (imm8 in desc) and duplicates */
SSE_INT(PSHUFD, pshufd) SSE_INT(PSHUFHW, pshufhw) SSE_INT(PSHUFLW, pshuflw)
SSE_INT(PSHUFW, pshufw) SSE_INT(SHUFPS, shufps) SSE_INT(SHUFPD, shufpd)
SSE_INT(MOVSLDUP, movsldup) SSE_INT(MOVSHDUP, movshdup)
SSE_INT(MOVDDUP, movddup)

/* SSE/SSE2/SSE3 floating point */
SSE_FP(ADDPS, addps) SSE_FP(ADDPD, addpd) SSE_FP(ADDSS, addss)
SSE_FP(ADDSD, addsd) SSE_FP(SUBPS, subps) SSE_FP(SUBPD, subpd)
SSE_FP(SUBSS, subss) SSE_FP(SUBSD, subsd) SSE_FP(MULPS, mulps)
SSE_FP(MULPD, mulpd) SSE_FP(MULSS, mulss) SSE_FP(MULSD, mulsd)
SSE_FP(DIVPS, divps) SSE_FP(DIVPD, divpd) SSE_FP(DIVSS, divss)
SSE_FP(DIVSD, divsd) SSE_FP(MINPS, minps) SSE_FP(MINPD, minpd)
SSE_FP(MINSS, minss) SSE_FP(MINSD, minsd) SSE_FP(MAXPS, maxps)
SSE_FP(MAXPD, maxpd) SSE_FP(MAXSS, maxss) SSE_FP(MAXSD, maxsd)
SSE_FP(SQRTPS, sqrtps) SSE_FP(SQRTPD, sqrtpd) SSE_FP(SQRTSS, sqrtss)
SSE_FP(SQRTSD, sqrtsd) SSE_FP(RCPPS, rcpps) SSE_FP(RCPSS, rcpss)
SSE_FP(RSQRTPS, rsqrtps) SSE_FP(RSQRTSS, rsqrtss)
SSE_FP(CMPPS, cmpps) SSE_FP(CMPPD, cmppd) SSE_FP(CMPSS, cmpss)
SSE_FP(CMPSD, cmpsd)
SSE_FP(HADDPS, haddps) SSE_FP(HADDPD, haddpd) SSE_FP(HSUBPS, hsubps)
SSE_FP(HSUBPD, hsubpd) SSE_FP(ADDSUBPS, addsubps) SSE_FP(ADDSUBPD, addsubpd)
/* conversions between vector formats */
SSE_FP(CVTPS2PD, cvtps2pd) SSE_FP(CVTPD2PS, cvtpd2ps)
SSE_FP(CVTSS2SD, cvtss2sd) SSE_FP(CVTSD2SS, cvtsd2ss)
SSE_FP(CVTDQ2PS, cvtdq2ps) SSE_FP(CVTPS2DQ, cvtps2dq)
SSE_FP(CVTTPS2DQ, cvttps2dq) SSE_FP(CVTDQ2PD, cvtdq2pd)
SSE_FP(CVTPD2DQ, cvtpd2dq) SSE_FP(CVTTPD2DQ, cvttpd2dq)
SSE_FP(CVTPI2PS, cvtpi2ps) SSE_FP(CVTPI2PD, cvtpi2pd)
SSE_FP(CVTPS2PI, cvtps2pi) SSE_FP(CVTTPS2PI, cvttps2pi)
SSE_FP(CVTPD2PI, cvtpd2pi) SSE_FP(CVTTPD2PI, cvttpd2pi)

/* SSSE3 (MMX and XMM forms) */
SSE_INT(PSHUFB, pshufb) SSE_INT(PHADDW, phaddw) SSE_INT(PHADDD, phaddd)
SSE_INT(PHADDSW, phaddsw) SSE_INT(PMADDUBSW, pmaddubsw)
SSE_INT(PHSUBW, phsubw) SSE_INT(PHSUBD, phsubd) SSE_INT(PHSUBSW, phsubsw)
SSE_INT(PSIGNB, psignb) SSE_INT(PSIGNW, psignw) SSE_INT(PSIGND, psignd)
SSE_INT(PMULHRSW, pmulhrsw) SSE_INT(PABSB, pabsb) SSE_INT(PABSW, pabsw)
SSE_INT(PABSD, pabsd) SSE_INT(PALIGNR, palignr)

/* SSE4.1/4.2 integer; the variable blends take their mask from vec_tmp[2] */
SSE_OWN(PBLENDVB, pblendvb) SSE_OWN(BLENDVPS, blendvps)
SSE_OWN(BLENDVPD, blendvpd)
SSE_INT(PMOVSXBW, pmovsxbw) SSE_INT(PMOVSXBD, pmovsxbd)
SSE_INT(PMOVSXBQ, pmovsxbq) SSE_INT(PMOVSXWD, pmovsxwd)
SSE_INT(PMOVSXWQ, pmovsxwq) SSE_INT(PMOVSXDQ, pmovsxdq)
SSE_INT(PMOVZXBW, pmovzxbw) SSE_INT(PMOVZXBD, pmovzxbd)
SSE_INT(PMOVZXBQ, pmovzxbq) SSE_INT(PMOVZXWD, pmovzxwd)
SSE_INT(PMOVZXWQ, pmovzxwq) SSE_INT(PMOVZXDQ, pmovzxdq)
SSE_INT(PMULDQ, pmuldq) SSE_INT(PCMPEQQ, pcmpeqq) SSE_INT(PACKUSDW, packusdw)
SSE_INT(PCMPGTQ, pcmpgtq) SSE_INT(PMINSB, pminsb) SSE_INT(PMINSD, pminsd)
SSE_INT(PMINUW, pminuw) SSE_INT(PMINUD, pminud) SSE_INT(PMAXSB, pmaxsb)
SSE_INT(PMAXSD, pmaxsd) SSE_INT(PMAXUW, pmaxuw) SSE_INT(PMAXUD, pmaxud)
SSE_INT(PMULLD, pmulld) SSE_INT(PHMINPOSUW, phminposuw)
SSE_INT(BLENDPS, blendps) SSE_INT(BLENDPD, blendpd) SSE_INT(PBLENDW, pblendw)
SSE_INT(MPSADBW, mpsadbw) SSE_OWN(INSERTPS, insertps)
/* SSE4.1 floating point */
SSE_FP(ROUNDPS, roundps) SSE_FP(ROUNDPD, roundpd) SSE_FP(ROUNDSS, roundss)
SSE_FP(ROUNDSD, roundsd) SSE_FP(DPPS, dpps) SSE_FP(DPPD, dppd)

/* AES-NI, PCLMULQDQ */
SSE_INT(AESENC, aesenc) SSE_INT(AESENCLAST, aesenclast)
SSE_INT(AESDEC, aesdec) SSE_INT(AESDECLAST, aesdeclast)
SSE_INT(AESIMC, aesimc) SSE_INT(AESKEYGENASSIST, aeskeygenassist)
SSE_INT(PCLMULQDQ, pclmulqdq)
