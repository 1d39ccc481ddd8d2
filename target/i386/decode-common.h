/*
 * Notation of the decode tables (decode.c, decode-sse.c, decode-fpu.c):
 * the SDM's operand codes (Vol. 2 Appendix A.2) as X86OpSpec values and
 * the entry constructors.  Only for the table files.
 */
#ifndef TARGET_I386_DECODE_COMMON_H
#define TARGET_I386_DECODE_COMMON_H

#define OP(k, s)        { X86_OP_##k, X86_SZ_##s, 0 }
#define OPR(k, s, r)    { X86_OP_##k, X86_SZ_##s, r }

/* ModRM-based */
#define Eb  OP(E, b)
#define Ew  OP(E, w)
#define Ed  OP(E, d)
#define Eq  OP(E, q)
#define Ev  OP(E, v)
#define Ey  OP(E, y)
#define Gb  OP(G, b)
#define Gw  OP(G, w)
#define Gd  OP(G, d)
#define Gv  OP(G, v)
#define Gy  OP(G, y)
#define Gz  OP(G, z)
#define Mb  OP(M, b)
#define Mw  OP(M, w)
#define Md  OP(M, d)
#define Mq  OP(M, q)
#define Mv  OP(M, v)
#define Mp  OP(M, p)
#define Ma  OP(M, a)
#define Ms  OP(M, s)
#define Mdq OP(M, dq)
#define Mmem OP(M, mem)
#define Rv  OP(R, v)
#define Ry  OP(R, y)
#define Rany OP(RANY, q)
#define Sw  OP(S, w)
#define Cd  OP(C, q)
#define Dd  OP(D, q)
#define By  OP(B, y)
#define My  OP(M, y)
/* vector: XMM/YMM (V reg, W r/m, U r/m register, H vvvv), MMX (P reg,
 * Q r/m, N r/m register) */
#define Vx  OP(V, x)
#define Vdq OP(V, dq)
#define Hx  OP(H, x)
#define Hdq OP(H, dq)
#define Wx  OP(W, x)
#define Wdq OP(W, dq)
#define Wq  OP(W, q)
#define Wss OP(W, ss)
#define Wsd OP(W, sd)
#define Wxh OP(W, xh)
#define Wxq OP(W, xq)
#define Wxo OP(W, xo)
#define Wd  OP(W, d)
#define Wdup OP(W, dup)
#define Ux  OP(U, x)
#define Udq OP(U, dq)
#define Mx  OP(M, x)
#define Pq  OP(P, q)
#define Qq  OP(Q, q)
#define Nq  OP(N, q)
/* immediates */
#define Ib  OP(I, b)
#define Iw  OP(I, w)
#define Iz  OP(I, z)
#define Iv  OP(I, v)
#define Jb  OP(J, b)
#define Jz  OP(J, z)
#define Ap  OP(A, p)
#define Ob  OP(O, b)
#define Ov  OP(O, v)
#define One OP(ONE, b)
/* implicit */
#define Zb  OP(Z, b)
#define Zv  OP(Z, v)
#define Zy  OP(Z, y)
#define AL  OPR(REG, b, R_EAX)
#define CL  OPR(REG, b, R_ECX)
#define DX  OPR(REG, w, R_EDX)
#define rAX OPR(REG, v, R_EAX)
#define eAX OPR(REG, z, R_EAX)
#define ES  OPR(SEG, w, R_ES)
#define CS  OPR(SEG, w, R_CS)
#define SS  OPR(SEG, w, R_SS)
#define DS  OPR(SEG, w, R_DS)
#define FS  OPR(SEG, w, R_FS)
#define GS  OPR(SEG, w, R_GS)
#define Xb  OP(X, b)
#define Xv  OP(X, v)
#define Xz  OP(X, z)
#define Yb  OP(Y, b)
#define Yv  OP(Y, v)
#define Yz  OP(Y, z)

/* entries */
#define X(mn, fl, ...) \
    { .gen = gen_##mn, .name = #mn, .op = { __VA_ARGS__ }, .flags = (fl) }
#define XF(mn, feat, fl, ...) \
    { .gen = gen_##mn, .name = #mn, .op = { __VA_ARGS__ }, .flags = (fl), \
      .feature = (feat) }
#define XA(mn, a, fl, ...) \
    { .gen = gen_##mn, .name = #mn, .op = { __VA_ARGS__ }, .flags = (fl), \
      .arg = (a) }
#define XFA(mn, feat, a, fl, ...) \
    { .gen = gen_##mn, .name = #mn, .op = { __VA_ARGS__ }, .flags = (fl), \
      .feature = (feat), .arg = (a) }
/* group: kind, table [, flags] [, operands for the sub-entries] */
#define G(k, t)  { .gkind = X86_GRP_##k, .group = (t) }
#define GF(k, t, fl)  { .gkind = X86_GRP_##k, .group = (t), .flags = (fl) }
#define GO(k, t, ...) \
    { .gkind = X86_GRP_##k, .group = (t), .op = { __VA_ARGS__ } }
#define GOF(k, t, fl, ...) \
    { .gkind = X86_GRP_##k, .group = (t), .flags = (fl), \
      .op = { __VA_ARGS__ } }
#define GFF(k, t, feat, fl) \
    { .gkind = X86_GRP_##k, .group = (t), .flags = (fl), .feature = (feat) }

#endif
