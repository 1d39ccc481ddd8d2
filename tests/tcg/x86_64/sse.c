/*
 * MMX, SSE, SSE2, SSE3 (and SSSE3, SSE4.1/4.2, AES-NI, PCLMULQDQ): arithmetic in the four FP forms under every
 * rounding mode and DAZ/FTZ with the MXCSR flags, compares and
 * (U)COMIS EFLAGS, conversions (integer indefinite, truncation), the
 * integer operations on XMM and MMX registers, shuffles, shifts with
 * every count class; then the state rules: #XM and #UD for an unmasked
 * exception (destination unchanged), #GP for a misaligned MOVAPS (not
 * MOVUPS), #NM with CR0.TS, #UD with CR0.EM or without CR4.OSFXSR, the
 * x87 tag word and TOP after an MMX instruction and EMMS, MMX writes in
 * the FXSAVE image.  Families print a hash; the .ref was checked against
 * the hardware (the same program under KVM).
 */
#include "lib.h"

typedef struct { uint64_t q[2]; } __attribute__((aligned(16))) V128;

static Hash h;

static void hv(const V128 *v)
{
    hash_add(&h, v->q[0]);
    hash_add(&h, v->q[1]);
}

static const uint32_t f32v[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbfc00000, 0x40400000, 0x7f7fffff,
    0x00800000, 0x00000001, 0x807fffff, 0x7f800000, 0xff800000, 0x7fc00000,
    0xffc00000, 0x7f800001, 0x3eaaaaab, 0x4f000000,
};
static const uint64_t f64v[] = {
    0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff8000000000000ull,
    0x4008000000000000ull, 0x7fefffffffffffffull, 0x0010000000000000ull,
    0x0000000000000001ull, 0x800fffffffffffffull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000000ull,
    0x7ff0000000000001ull, 0x3fd5555555555555ull, 0x43e0000000000000ull,
};
#define NV 16

/* MXCSR settings: the four rounding modes, then DAZ + FTZ */
static const uint32_t mxcsr_cfg[5] = { 0x1f80, 0x3f80, 0x5f80, 0x7f80,
                                       0x9fc0 };

typedef void VecOp(V128 *d, const V128 *a, const V128 *b, uint32_t *mx);

/* d = a OP b, MXCSR loaded before and read after */
#define VOP(fn, insn)                                                      \
static void fn(V128 *d, const V128 *a, const V128 *b, uint32_t *mx)        \
{                                                                          \
    __asm__ volatile("ldmxcsr %[m]\n\tmovdqa %[a], %%xmm0\n\t"             \
                     "movdqa %[b], %%xmm1\n\t" insn "\n\t"                 \
                     "stmxcsr %[m]\n\tmovdqa %%xmm0, %[d]"                 \
                     : [d] "=m"(*d), [m] "+m"(*mx)                         \
                     : [a] "m"(*a), [b] "m"(*b)                            \
                     : "xmm0", "xmm1", "rax", "rcx", "rdx", "cc");         \
}
/* register and memory source forms */
#define VOP2(name, insn)                                                   \
    VOP(name##_r, insn " %%xmm1, %%xmm0")                                  \
    VOP(name##_m, insn " %[b], %%xmm0")

#define FP4(op)                                                            \
    VOP2(op##ps, #op "ps") VOP2(op##pd, #op "pd")                          \
    VOP2(op##ss, #op "ss") VOP2(op##sd, #op "sd")
FP4(add) FP4(sub) FP4(mul) FP4(div) FP4(min) FP4(max) FP4(sqrt)
VOP2(haddps, "haddps") VOP2(haddpd, "haddpd") VOP2(hsubps, "hsubps")
VOP2(hsubpd, "hsubpd") VOP2(addsubps, "addsubps") VOP2(addsubpd, "addsubpd")
#define CMP8(f, n)                                                         \
    VOP(f##0, n " $0, %%xmm1, %%xmm0") VOP(f##1, n " $1, %%xmm1, %%xmm0")  \
    VOP(f##2, n " $2, %%xmm1, %%xmm0") VOP(f##3, n " $3, %%xmm1, %%xmm0")  \
    VOP(f##4, n " $4, %%xmm1, %%xmm0") VOP(f##5, n " $5, %%xmm1, %%xmm0")  \
    VOP(f##6, n " $6, %%xmm1, %%xmm0") VOP(f##7, n " $7, %%xmm1, %%xmm0")
CMP8(cmpps, "cmpps") CMP8(cmppd, "cmppd") CMP8(cmpss, "cmpss")
CMP8(cmpsd, "cmpsd")

/* conversions between vector formats (b is the source) */
VOP(cvtps2pd, "cvtps2pd %%xmm1, %%xmm0") VOP(cvtpd2ps, "cvtpd2ps %%xmm1, %%xmm0")
VOP(cvtss2sd, "cvtss2sd %%xmm1, %%xmm0") VOP(cvtsd2ss, "cvtsd2ss %%xmm1, %%xmm0")
VOP(cvtdq2ps, "cvtdq2ps %%xmm1, %%xmm0") VOP(cvtps2dq, "cvtps2dq %%xmm1, %%xmm0")
VOP(cvttps2dq, "cvttps2dq %%xmm1, %%xmm0")
VOP(cvtdq2pd, "cvtdq2pd %%xmm1, %%xmm0") VOP(cvtpd2dq, "cvtpd2dq %%xmm1, %%xmm0")
VOP(cvttpd2dq, "cvttpd2dq %%xmm1, %%xmm0")

typedef struct { const char *name; VecOp *fn; int kind; } OpDesc;
enum { K_PS, K_PD };

#define E4(op) { #op "ps", op##ps_r, K_PS }, { #op "ps m", op##ps_m, K_PS }, \
    { #op "pd", op##pd_r, K_PD }, { #op "pd m", op##pd_m, K_PD },            \
    { #op "ss", op##ss_r, K_PS }, { #op "ss m", op##ss_m, K_PS },            \
    { #op "sd", op##sd_r, K_PD }, { #op "sd m", op##sd_m, K_PD }
#define E8(f, k) { #f "0", f##0, k }, { #f "1", f##1, k }, { #f "2", f##2, k }, \
    { #f "3", f##3, k }, { #f "4", f##4, k }, { #f "5", f##5, k },            \
    { #f "6", f##6, k }, { #f "7", f##7, k }
static const OpDesc fp_ops[] = {
    E4(add), E4(sub), E4(mul), E4(div), E4(min), E4(max), E4(sqrt),
#define E2(op, k) { #op, op##_r, k }, { #op " m", op##_m, k }
    E2(haddps, K_PS), E2(haddpd, K_PD), E2(hsubps, K_PS), E2(hsubpd, K_PD),
    E2(addsubps, K_PS), E2(addsubpd, K_PD),
    E8(cmpps, K_PS), E8(cmppd, K_PD), E8(cmpss, K_PS), E8(cmpsd, K_PD),
    { "cvtps2pd", cvtps2pd, K_PS }, { "cvtpd2ps", cvtpd2ps, K_PD },
    { "cvtss2sd", cvtss2sd, K_PS }, { "cvtsd2ss", cvtsd2ss, K_PD },
    { "cvtdq2ps", cvtdq2ps, K_PS }, { "cvtps2dq", cvtps2dq, K_PS },
    { "cvttps2dq", cvttps2dq, K_PS }, { "cvtdq2pd", cvtdq2pd, K_PS },
    { "cvtpd2dq", cvtpd2dq, K_PD }, { "cvttpd2dq", cvttpd2dq, K_PD },
};

static void fill_ps(V128 *v, unsigned i)
{
    uint32_t w[4];

    for (int k = 0; k < 4; k++) {
        w[k] = f32v[(i + 5 * k) % NV];
    }
    v->q[0] = w[0] | (uint64_t)w[1] << 32;
    v->q[1] = w[2] | (uint64_t)w[3] << 32;
}

static void fill_pd(V128 *v, unsigned i)
{
    v->q[0] = f64v[i % NV];
    v->q[1] = f64v[(i + 7) % NV];
}

/* integer operands: splitmix64 */
static uint64_t rng = 0x1234;
static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

#define IOP(name, insn) VOP(name, insn " %%xmm1, %%xmm0")
#define INT_LIST(X) X(paddb) X(paddw) X(paddd) X(paddq) X(psubb) X(psubw) \
    X(psubd) X(psubq) X(paddsb) X(paddsw) X(paddusb) X(paddusw) X(psubsb)   \
    X(psubsw) X(psubusb) X(psubusw) X(pmullw) X(pmulhw) X(pmulhuw)          \
    X(pmuludq) X(pmaddwd) X(psadbw) X(pavgb) X(pavgw) X(pminub) X(pmaxub)   \
    X(pminsw) X(pmaxsw) X(pcmpeqb) X(pcmpeqw) X(pcmpeqd) X(pcmpgtb)         \
    X(pcmpgtw) X(pcmpgtd) X(pand) X(pandn) X(por) X(pxor) X(packsswb)       \
    X(packssdw) X(packuswb) X(punpcklbw) X(punpcklwd) X(punpckldq)          \
    X(punpcklqdq) X(punpckhbw) X(punpckhwd) X(punpckhdq) X(punpckhqdq)      \
    X(psrlw) X(psrld) X(psrlq) X(psraw) X(psrad) X(psllw) X(pslld) X(psllq) \
    X(unpcklps) X(unpckhpd) X(andnps) X(xorpd) X(movss) X(movsd)            \
    X(movhlps) X(movlhps) X(movsldup) X(movshdup) X(movddup)
#define DEF_IOP(n) IOP(i_##n, #n)
INT_LIST(DEF_IOP)
#define ENT_IOP(n) { #n, i_##n, 0 },
static const OpDesc int_ops[] = { INT_LIST(ENT_IOP) };

VOP(i_pshufd, "pshufd $0x1b, %%xmm1, %%xmm0")
VOP(i_pshufhw, "pshufhw $0x9c, %%xmm1, %%xmm0")
VOP(i_pshuflw, "pshuflw $0x4e, %%xmm1, %%xmm0")
VOP(i_shufps, "shufps $0xb1, %%xmm1, %%xmm0")
VOP(i_shufpd, "shufpd $2, %%xmm1, %%xmm0")
VOP(i_psrlw5, "psrlw $5, %%xmm0") VOP(i_psraw17, "psraw $17, %%xmm0")
VOP(i_pslld31, "pslld $31, %%xmm0") VOP(i_psrad9, "psrad $9, %%xmm0")
VOP(i_psrlq63, "psrlq $63, %%xmm0") VOP(i_psllq64, "psllq $64, %%xmm0")
VOP(i_psrldq3, "psrldq $3, %%xmm0") VOP(i_pslldq11, "pslldq $11, %%xmm0")
VOP(i_pslldq16, "pslldq $16, %%xmm0")
VOP(i_pinsrw, "movq %%xmm1, %%rax; pinsrw $5, %%eax, %%xmm0")
static const OpDesc imm_ops[] = {
    { "pshufd", i_pshufd, 0 }, { "pshufhw", i_pshufhw, 0 },
    { "pshuflw", i_pshuflw, 0 }, { "shufps", i_shufps, 0 },
    { "shufpd", i_shufpd, 0 }, { "psrlw 5", i_psrlw5, 0 },
    { "psraw 17", i_psraw17, 0 }, { "pslld 31", i_pslld31, 0 },
    { "psrad 9", i_psrad9, 0 }, { "psrlq 63", i_psrlq63, 0 },
    { "psllq 64", i_psllq64, 0 }, { "psrldq 3", i_psrldq3, 0 },
    { "pslldq 11", i_pslldq11, 0 }, { "pslldq 16", i_pslldq16, 0 },
    { "pinsrw", i_pinsrw, 0 },
};

/* SSSE3, SSE4.1/4.2, AES-NI, PCLMULQDQ */
#define SSE4_LIST(X) X(pshufb) X(phaddw) X(phaddd) X(phaddsw) X(pmaddubsw) \
    X(phsubw) X(phsubd) X(phsubsw) X(psignb) X(psignw) X(psignd)          \
    X(pmulhrsw) X(pabsb) X(pabsw) X(pabsd) X(pmovsxbw) X(pmovsxbd)        \
    X(pmovsxbq) X(pmovsxwd) X(pmovsxwq) X(pmovsxdq) X(pmovzxbw)          \
    X(pmovzxbd) X(pmovzxbq) X(pmovzxwd) X(pmovzxwq) X(pmovzxdq) X(pmuldq) \
    X(pcmpeqq) X(packusdw) X(pcmpgtq) X(pminsb) X(pminsd) X(pminuw)       \
    X(pminud) X(pmaxsb) X(pmaxsd) X(pmaxuw) X(pmaxud) X(pmulld)           \
    X(phminposuw) X(aesenc) X(aesenclast) X(aesdec) X(aesdeclast) X(aesimc)
#define DEF_IOP4(n) IOP(s4_##n, #n)
SSE4_LIST(DEF_IOP4)
VOP(s4_palignr, "palignr $5, %%xmm1, %%xmm0")
VOP(s4_pblendvb, "movdqa %%xmm1, %%xmm0; pxor %[a], %%xmm0; pblendvb %%xmm0, %[a], %%xmm1; movdqa %%xmm1, %%xmm0")
VOP(s4_blendps, "blendps $5, %%xmm1, %%xmm0")
VOP(s4_pblendw, "pblendw $0x96, %%xmm1, %%xmm0")
VOP(s4_mpsadbw, "mpsadbw $6, %%xmm1, %%xmm0")
VOP(s4_insertps, "insertps $0x9a, %%xmm1, %%xmm0")
VOP(s4_pinsrb, "movq %%xmm1, %%rax; pinsrb $9, %%eax, %%xmm0; pinsrq $0, %%rax, %%xmm0")
VOP(s4_pextr, "pextrb $13, %%xmm1, %%eax; pextrd $3, %%xmm1, %%ecx; pinsrw $1, %%eax, %%xmm0; pinsrd $3, %%ecx, %%xmm0")
VOP(s4_pclmul00, "pclmulqdq $0x00, %%xmm1, %%xmm0")
VOP(s4_pclmul11, "pclmulqdq $0x11, %%xmm1, %%xmm0")
VOP(s4_aeskeygen, "aeskeygenassist $0x1b, %%xmm1, %%xmm0")
VOP(s4_ptest, "ptest %%xmm1, %%xmm0; pushf; popq %%rax; andq $0x8d5, %%rax; movq %%rax, %%xmm0")
VOP(s4_pcmpistri, "pcmpistri $0x0c, %%xmm1, %%xmm0; pushf; popq %%rax; andl $0x8d5, %%eax; pinsrd $0, %%ecx, %%xmm0; pinsrd $1, %%eax, %%xmm0")
VOP(s4_pcmpestrm, "movl $7, %%eax; movl $-12, %%edx; pcmpestrm $0x44, %%xmm1, %%xmm0")
VOP(s4_pcmpistrm, "pcmpistrm $0x3a, %%xmm1, %%xmm0")
VOP(s4_pcmpestri, "movl $16, %%eax; movl $5, %%edx; pcmpestri $0x71, %%xmm1, %%xmm0; pushf; popq %%rax; andl $0x8d5, %%eax; pinsrd $2, %%ecx, %%xmm0; pinsrd $3, %%eax, %%xmm0")
#define ENT_IOP4(n) { #n, s4_##n, 0 },
static const OpDesc sse4_ops[] = {
    SSE4_LIST(ENT_IOP4)
    { "palignr", s4_palignr, 0 }, { "pblendvb", s4_pblendvb, 0 },
    { "blendps", s4_blendps, 0 }, { "pblendw", s4_pblendw, 0 },
    { "mpsadbw", s4_mpsadbw, 0 }, { "insertps", s4_insertps, 0 },
    { "pinsrb pinsrq", s4_pinsrb, 0 }, { "pextrb pextrd", s4_pextr, 0 },
    { "pclmulqdq 00", s4_pclmul00, 0 }, { "pclmulqdq 11", s4_pclmul11, 0 },
    { "aeskeygenassist", s4_aeskeygen, 0 }, { "ptest", s4_ptest, 0 },
    { "pcmpistri", s4_pcmpistri, 0 }, { "pcmpestrm", s4_pcmpestrm, 0 },
    { "pcmpistrm", s4_pcmpistrm, 0 }, { "pcmpestri", s4_pcmpestri, 0 },
};

/* MMX: mm0 = mm0 OP mm1 on the low quadwords */
#define MOP(name, insn)                                                    \
static void name(V128 *d, const V128 *a, const V128 *b, uint32_t *mx)      \
{                                                                          \
    __asm__ volatile("movq %[a], %%mm0\n\tmovq %[b], %%mm1\n\t" insn       \
                     "\n\tmovq %%mm0, %[d]\n\temms"                        \
                     : [d] "=m"(d->q[0]) : [a] "m"(a->q[0]),               \
                       [b] "m"(b->q[0]) : "mm0", "mm1", "xmm2");                   \
    d->q[1] = 0;                                                           \
}
#define MMX_LIST(X) X(paddb) X(paddsw) X(psubusb) X(pmulhw) X(pmaddwd)   \
    X(pcmpgtb) X(packsswb) X(packuswb) X(punpckhbw) X(punpckldq) X(psrlw) \
    X(psrad) X(psllq) X(pandn) X(pavgb) X(psadbw) X(pminsw) X(pmuludq)    \
    X(paddq)
#define DEF_MOP(n) MOP(m_##n, #n " %%mm1, %%mm0")
MMX_LIST(DEF_MOP)
MOP(m_pshufw, "pshufw $0x93, %%mm1, %%mm0")
MOP(m_psrlq7, "psrlq $7, %%mm0")
MOP(m_cvtpi2ps, "movq2dq %%mm1, %%xmm2; cvtps2pi %%xmm2, %%mm0")
#define ENT_MOP(n) { "mmx " #n, m_##n, 0 },
static const OpDesc mmx_ops[] = {
    MMX_LIST(ENT_MOP)
    { "mmx pshufw", m_pshufw, 0 }, { "mmx psrlq 7", m_psrlq7, 0 },
    { "mmx cvtps2pi", m_cvtpi2ps, 0 },
};

static void run_int(const OpDesc *ops, unsigned n, unsigned cases)
{
    for (unsigned o = 0; o < n; o++) {
        hash_init(&h);
        rng = 0x1234 + o;
        for (unsigned c = 0; c < cases; c++) {
            V128 a, b, d;
            uint32_t mx = 0x1f80;

            a.q[0] = rnd();
            a.q[1] = rnd();
            b.q[0] = c < 8 ? c * 9 : rnd();     /* small shift counts */
            b.q[1] = rnd();
            if (c % 5 == 1) {
                b.q[0] &= 0x00ff00ff00ff00ffull;
            }
            ops[o].fn(&d, &a, &b, &mx);
            hv(&d);
        }
        hash_print(&h, ops[o].name);
    }
}

/* scalar conversions with a GPR, every rounding mode */
static void run_cvt_gpr(void)
{
    hash_init(&h);
    for (unsigned m = 0; m < 5; m++) {
        for (unsigned i = 0; i < NV; i++) {
            uint32_t mx = mxcsr_cfg[m];
            uint64_t r[6];
            V128 x = { { f32v[i], f64v[i] } }, y;

            __asm__ volatile(
                "ldmxcsr %[m]\n\t"
                "cvtss2si %[x], %%eax; mov %%rax, 0(%[r])\n\t"
                "cvttss2si %[x], %%rax; mov %%rax, 8(%[r])\n\t"
                "cvtsd2si 8+%[x], %%rax; mov %%rax, 16(%[r])\n\t"
                "cvttsd2si 8+%[x], %%eax; mov %%rax, 24(%[r])\n\t"
                "stmxcsr %[m]"
                : [m] "+m"(mx) : [x] "m"(x), [r] "r"(r) : "rax", "memory");
            hash_add(&h, r[0]);
            hash_add(&h, r[1]);
            hash_add(&h, r[2]);
            hash_add(&h, r[3]);
            hash_add(&h, mx);
            mx = mxcsr_cfg[m];
            __asm__ volatile(
                "ldmxcsr %[m]\n\tpcmpeqd %%xmm0, %%xmm0\n\t"
                "cvtsi2ssq %[v], %%xmm0\n\tcvtsi2sdl %k[v], %%xmm1\n\t"
                "movq %%xmm1, 8+%[y]\n\tmovq %%xmm0, %[y]\n\tstmxcsr %[m]"
                : [m] "+m"(mx), [y] "=m"(y)
                : [v] "r"(x.q[1] * 0x9e3779b97f4a7c15ull) : "xmm0", "xmm1");
            hv(&y);
            hash_add(&h, mx);
        }
    }
    hash_print(&h, "cvt(t)ss2si cvt(t)sd2si cvtsi2ss/sd");
}

static void run_comis(void)
{
    hash_init(&h);
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j++) {
            uint32_t mx = 0x1f80;
            uint64_t f[4];
            V128 a = { { f32v[i], f64v[i] } }, b = { { f32v[j], f64v[j] } };

            __asm__ volatile(
                "ldmxcsr %[m]\n\tmovdqa %[a], %%xmm0\n\tmovdqa %[b], %%xmm1\n\t"
                "comiss %%xmm1, %%xmm0; pushf; popq 0(%[f])\n\t"
                "ucomiss %[b], %%xmm0; pushf; popq 8(%[f])\n\t"
                "movhlps %%xmm0, %%xmm0; movhlps %%xmm1, %%xmm1\n\t"
                "comisd %%xmm1, %%xmm0; pushf; popq 16(%[f])\n\t"
                "ucomisd %%xmm1, %%xmm0; pushf; popq 24(%[f])\n\t"
                "stmxcsr %[m]"
                : [m] "+m"(mx) : [a] "m"(a), [b] "m"(b), [f] "r"(f)
                : "xmm0", "xmm1", "memory", "cc");
            for (int k = 0; k < 4; k++) {
                hash_add(&h, f[k] & 0x8d5);
            }
            hash_add(&h, mx);
        }
    }
    hash_print(&h, "comiss ucomiss comisd ucomisd");
}

/* ---- exceptions and state ---- */

static V128 g_a = { { 0x3f800000, 0 } }, g_z = { { 0, 0 } };
static uint8_t misaligned[48] __attribute__((aligned(16)));

static void op_divss(void *p)
{
    __asm__ volatile("movdqa %0, %%xmm3\n\tdivss %1, %%xmm3\n\t"
                     "movdqa %%xmm3, %0" : "+m"(g_a) : "m"(g_z) : "xmm3");
}

static void op_movaps_mis(void *p)
{
    __asm__ volatile("movaps 4(%0), %%xmm2" : : "r"(misaligned) : "xmm2");
}

static void op_movups_mis(void *p)
{
    __asm__ volatile("movups 4(%0), %%xmm2" : : "r"(misaligned) : "xmm2");
}

static void op_paddb(void *p)
{
    __asm__ volatile("paddb %%mm1, %%mm0" : : : "mm0", "mm1");
}

static void op_addps(void *p)
{
    __asm__ volatile("addps %%xmm1, %%xmm0" : : : "xmm0");
}

static void write_cr0(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

typedef struct {
    uint16_t fcw, fsw;
    uint8_t ftw, pad;
    uint16_t fop;
    uint64_t fip, fdp;
    uint32_t mxcsr, mxcsr_mask;
    struct { uint64_t m; uint16_t e; uint8_t pad[6]; } st[8];
    V128 xmm[16];
    uint8_t rest[96];
} __attribute__((aligned(16))) FXArea;

static FXArea fx;

static void exceptions(void)
{
    uint64_t v, cr0 = read_cr0(), cr4 = read_cr4();
    uint32_t mx;

    /* unmasked ZE: #XM, destination unchanged, ZE set */
    mx = 0x1f80 & ~0x200;
    __asm__ volatile("ldmxcsr %0" : : "m"(mx));
    v = trap_run(op_divss, NULL);
    __asm__ volatile("stmxcsr %0" : "=m"(mx));
    check_eq(v, 19 + 1, "unmasked ZE: #XM");
    check_eq(g_a.q[0], 0x3f800000, "#XM: destination unchanged");
    check_eq(mx & 0x3f, 0x4, "#XM: MXCSR.ZE");
    /* CR4.OSXMMEXCPT clear: #UD instead */
    write_cr4(cr4 & ~(1ull << 10));
    v = trap_run(op_divss, NULL);
    write_cr4(cr4);
    check_eq(v, 6 + 1, "unmasked ZE without OSXMMEXCPT: #UD");
    mx = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(mx));

    v = trap_run(op_movaps_mis, NULL);
    check(v == 13 + 1 && last_trap.error == 0, "movaps misaligned: #GP(0)");
    v = trap_run(op_movups_mis, NULL);
    check_eq(v, 0, "movups misaligned: no fault");

    /* CR0.TS: #NM for SSE and MMX; CR0.EM: #UD; no OSFXSR: #UD (SSE) */
    write_cr0(cr0 | 8);
    check_eq(trap_run(op_addps, NULL), 7 + 1, "CR0.TS: addps #NM");
    check_eq(trap_run(op_paddb, NULL), 7 + 1, "CR0.TS: paddb #NM");
    write_cr0(cr0 | 4);
    check_eq(trap_run(op_addps, NULL), 6 + 1, "CR0.EM: addps #UD");
    check_eq(trap_run(op_paddb, NULL), 6 + 1, "CR0.EM: paddb #UD");
    write_cr0(cr0);
    write_cr4(cr4 & ~(1ull << 9));
    check_eq(trap_run(op_addps, NULL), 6 + 1, "no OSFXSR: addps #UD");
    check_eq(trap_run(op_paddb, NULL), 0, "no OSFXSR: paddb runs");
    write_cr4(cr4);
    __asm__ volatile("emms");

    /* x87 state: an MMX instruction makes TOP 0 and all tags valid; its
     * destination gets exponent 0xffff; EMMS empties the tags */
    {
        uint64_t val = 0x1122334455667788ull;

        __asm__ volatile("fninit; fld1; fld1; movq %1, %%mm3; paddb %%mm3, %%mm3;"
                         " fxsave %0" : "=m"(fx) : "m"(val)
                         : "mm3", "st", "st(1)");
        check_eq(fx.fsw & 0x3800, 0, "MMX: TOP = 0");
        check_eq(fx.ftw, 0xff, "MMX: all tags valid");
        check(fx.st[3].m == 0x22446688aaccee10ull && fx.st[3].e == 0xffff,
              "MMX: mm3 = paddb, exponent 0xffff");
        __asm__ volatile("emms; fxsave %0" : "=m"(fx));
        check_eq(fx.ftw, 0, "EMMS: all tags empty");
        __asm__ volatile("fninit");
    }

    /* FXSAVE/FXRSTOR carry MXCSR and the XMM registers */
    {
        V128 x = { { 0x0123456789abcdefull, 0xfedcba9876543210ull } }, y;
        uint32_t m2;

        mx = 0x3fa1;
        __asm__ volatile("ldmxcsr %1; movdqa %2, %%xmm5; fxsave %0"
                         : "=m"(fx) : "m"(mx), "m"(x) : "xmm5");
        mx = 0x1f80;
        __asm__ volatile("ldmxcsr %0; pxor %%xmm5, %%xmm5" : : "m"(mx)
                         : "xmm5");
        __asm__ volatile("fxrstor %2; stmxcsr %0; movdqa %%xmm5, %1"
                         : "=m"(m2), "=m"(y) : "m"(fx) : "xmm5");
        check(m2 == 0x3fa1 && y.q[0] == x.q[0] && y.q[1] == x.q[1],
              "fxsave/fxrstor: MXCSR and XMM5");
        check_eq(fx.mxcsr_mask, 0xffff, "fxsave: MXCSR_MASK");
        mx = 0x1f80;
        __asm__ volatile("ldmxcsr %0" : : "m"(mx));
    }
}

int main(void)
{
    printf("sse\n");

    /* FP: every operand pair of the pools under five MXCSR settings */
    for (unsigned o = 0; o < sizeof(fp_ops) / sizeof(fp_ops[0]); o++) {
        hash_init(&h);
        for (unsigned m = 0; m < 5; m++) {
            for (unsigned i = 0; i < NV; i++) {
                for (unsigned j = 0; j < NV; j++) {
                    V128 a, b, d;
                    uint32_t mx = mxcsr_cfg[m];

                    if (fp_ops[o].kind == K_PS) {
                        fill_ps(&a, i);
                        fill_ps(&b, j);
                    } else {
                        fill_pd(&a, i);
                        fill_pd(&b, j);
                    }
                    fp_ops[o].fn(&d, &a, &b, &mx);
                    hv(&d);
                    hash_add(&h, mx);
                }
            }
        }
        hash_print(&h, fp_ops[o].name);
    }
    run_cvt_gpr();
    run_comis();
    run_int(int_ops, sizeof(int_ops) / sizeof(int_ops[0]), 64);
    run_int(imm_ops, sizeof(imm_ops) / sizeof(imm_ops[0]), 64);
    run_int(mmx_ops, sizeof(mmx_ops) / sizeof(mmx_ops[0]), 64);
    run_int(sse4_ops, sizeof(sse4_ops) / sizeof(sse4_ops[0]), 64);
    exceptions();
    return finish();
}
