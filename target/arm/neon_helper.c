/*
 * Advanced SIMD semantics, element by element on the register file
 * (Arm ARM C7 "A64 Advanced SIMD and Floating-point Instruction
 * Descriptions").  One helper call per instruction: the translator
 * passes the operation and the packed fields (neon.h).  Sources are copied
 * before the destination is written, so rd may equal rn/rm.  FPSR.QC
 * (bit 27) records saturation; FP elements go through vfp_helper.c or,
 * for the Arm-only operations, straight to fpu/softfloat-arm.h.
 *
 * The crypto extension is in util/crypto-prim.c.
 */
#include "turtle/osdep.h"
#include "target/arm/neon.h"
#include "turtle/crypto-prim.h"
#include "fpu/softfloat.h"
#include "fpu/softfloat-arm.h"

#define HELPER_H "target/arm/helper.h"
#include "tcg/helper-proto.h"

#define FPSR_QC (1u << 27)

typedef struct V {
    uint8_t b[16];
} V;

enum { FORM_V, FORM_S, FORM_X, FORM_SX };
#define V  FORM_V
#define S  FORM_S
#define X  FORM_X
#define SX FORM_SX

static const struct {
    uint16_t base;
    uint8_t form;
} simd_info[SIMD_NUM_OPS] = {
#define SIMD_OP(name, set, b, f) [SIMD_##name] = { SIMD_##b, f },
#include "target/arm/simd-ops.h"
#undef SIMD_OP
};
#undef V
#undef S
#undef X
#undef SX

typedef struct SimdArgs {
    int rd, rn, rm, esz, q, u, rmode, opb, len, idx;
    uint32_t imm;
    int form;
} SimdArgs;

static void simd_decode(SimdArgs *a, int op, uint32_t p1, uint32_t p2)
{
    a->rd = p1 & 31;
    a->rn = (p1 >> 5) & 31;
    a->rm = (p1 >> 10) & 31;
    a->esz = (p1 >> 15) & 3;
    a->q = (p1 >> 17) & 1;
    a->u = (p1 >> 18) & 1;
    a->rmode = (p1 >> 19) & 7;
    a->opb = (p1 >> 22) & 1;
    a->len = (p1 >> 23) & 3;
    a->idx = (p1 >> 25) & 15;
    a->imm = p2;
    a->form = simd_info[op].form;
}

/* ---- element access ---- */

static uint64_t eget(const V *v, int i, int esz)
{
    esz &= 3;
    i &= (16 >> esz) - 1;
    switch (esz) {
    case 0:
        return v->b[i];
    case 1: {
        uint16_t x;

        memcpy(&x, v->b + 2 * i, 2);
        return x;
    }
    case 2: {
        uint32_t x;

        memcpy(&x, v->b + 4 * i, 4);
        return x;
    }
    default: {
        uint64_t x;

        memcpy(&x, v->b + 8 * i, 8);
        return x;
    }
    }
}

static int64_t egets(const V *v, int i, int esz)
{
    int sh = 64 - (8 << esz);

    return (int64_t)(eget(v, i, esz) << sh) >> sh;
}

static void eset(V *v, int i, int esz, uint64_t x)
{
    esz &= 3;
    i &= (16 >> esz) - 1;
    switch (esz) {
    case 0:
        v->b[i] = x;
        break;
    case 1: {
        uint16_t y = x;

        memcpy(v->b + 2 * i, &y, 2);
        break;
    }
    case 2: {
        uint32_t y = x;

        memcpy(v->b + 4 * i, &y, 4);
        break;
    }
    default:
        memcpy(v->b + 8 * i, &x, 8);
        break;
    }
}

static V vread(CPUARMState *env, int r)
{
    V v;

    memcpy(v.b, env->vregs[r].d, 16);
    return v;
}

static void vwrite(CPUARMState *env, int r, const V *v)
{
    memcpy(env->vregs[r].d, v->b, 16);
}

/* ---- saturation ---- */

static int64_t sat_s(__int128 v, int esz, uint32_t *qc)
{
    int bits = 8 << esz;
    __int128 max = ((__int128)1 << (bits - 1)) - 1, min = -max - 1;

    if (v > max) {
        *qc = 1;
        return (int64_t)max;
    }
    if (v < min) {
        *qc = 1;
        return (int64_t)min;
    }
    return (int64_t)v;
}

static uint64_t sat_u(__int128 v, int esz, uint32_t *qc)
{
    int bits = 8 << esz;
    unsigned __int128 max = ((unsigned __int128)1 << bits) - 1;

    if (v < 0) {
        *qc = 1;
        return 0;
    }
    if ((unsigned __int128)v > max) {
        *qc = 1;
        return (uint64_t)max;
    }
    return (uint64_t)v;
}

static uint64_t emask(int esz)
{
    return esz == 3 ? ~0ull : (1ull << (8 << esz)) - 1;
}

/*
 * Shift by a signed register amount (SSHL and friends): round adds the
 * rounding constant on right shifts, sat saturates left shifts.
 */
static uint64_t shift_reg(int64_t sa, uint64_t ua, int sh, bool is_signed,
                          bool round, bool sat, int esz, uint32_t *qc)
{
    int bits = 8 << esz;
    __int128 v = is_signed ? (__int128)sa : (__int128)ua;

    if (sh >= 0) {
        __int128 r;

        if (v == 0) {
            return 0;
        }
        if (sh >= bits + 1) {
            r = v < 0 ? -((__int128)1 << 100) : ((__int128)1 << 100);
            if (!sat) {
                return 0;
            }
        } else {
            r = v * ((__int128)1 << sh);
        }
        if (sat) {
            return (is_signed ? (uint64_t)sat_s(r, esz, qc) :
                                sat_u(r, esz, qc)) & emask(esz);
        }
        return (uint64_t)r & emask(esz);
    }
    sh = -sh;
    if (sh > bits + 1) {
        sh = bits + 1;
    }
    if (round) {
        v += (__int128)1 << (sh - 1);
    }
    v >>= sh;
    return (uint64_t)v & emask(esz);
}

static uint64_t pmul8(uint8_t a, uint8_t b)
{
    uint64_t r = 0;

    for (int i = 0; i < 8; i++) {
        if (b & (1 << i)) {
            r ^= (uint64_t)a << i;
        }
    }
    return r;
}

/* ---- floating point elements ---- */

static uint64_t fp2(CPUARMState *env, int op, uint64_t a, uint64_t b,
                    uint64_t d, bool dbl);
static uint64_t fp_mulx(CPUARMState *env, uint64_t a, uint64_t b, bool dbl);

/* FPCompare*: returns 1 when the relation holds */
static int fcmp_rel(CPUARMState *env, uint64_t a, uint64_t b, bool dbl,
                    int rel, bool abs_)
{
    uint32_t nzcv;

    if (abs_) {
        a &= dbl ? ~(1ull << 63) : 0x7fffffffu;
        b &= dbl ? ~(1ull << 63) : 0x7fffffffu;
    }
    /* EQ is a quiet compare, GE/GT signal on any NaN */
    nzcv = dbl ? HELPER(vfp_cmpd)(env, a, b, rel != 0) :
                 HELPER(vfp_cmps)(env, a, b, rel != 0);
    switch (rel) {
    case 0:
        return nzcv == 0x60000000;
    case 1:
        return nzcv == 0x60000000 || nzcv == 0x20000000;
    default:
        return nzcv == 0x20000000;
    }
}

/* ---- the helper ---- */

static int elems_of(const SimdArgs *a, int esz)
{
    if (a->form == FORM_S || a->form == FORM_SX) {
        return 1;
    }
    return (a->q ? 16 : 8) >> esz;
}

static uint64_t expand_imm(int op, int cmode, uint32_t imm8)
{
    uint64_t imm = 0;

    switch (cmode >> 1) {
    case 0: case 1: case 2: case 3:
        imm = (uint64_t)imm8 << (8 * (cmode >> 1));
        imm |= imm << 32;
        break;
    case 4: case 5:
        imm = (uint64_t)imm8 << (8 * ((cmode >> 1) & 1));
        imm |= imm << 16;
        imm |= imm << 32;
        break;
    case 6:
        imm = (cmode & 1) ? ((uint64_t)imm8 << 16) | 0xffff :
                            ((uint64_t)imm8 << 8) | 0xff;
        imm |= imm << 32;
        break;
    default:
        if (!(cmode & 1)) {
            if (!op) {
                imm = imm8 * 0x0101010101010101ull;
            } else {
                for (int i = 0; i < 8; i++) {
                    if (imm8 & (1 << i)) {
                        imm |= 0xffull << (8 * i);
                    }
                }
            }
        } else if (!op) {
            uint32_t f = ((imm8 & 0x80) << 24) |
                         ((imm8 & 0x40) ? 0x3e000000 : 0x40000000) |
                         ((imm8 & 0x3f) << 19);

            imm = f | ((uint64_t)f << 32);
        } else {
            imm = ((uint64_t)(imm8 & 0x80) << 56) |
                  ((imm8 & 0x40) ? 0x3fc0000000000000ull :
                                   0x4000000000000000ull) |
                  ((uint64_t)(imm8 & 0x3f) << 48);
        }
        break;
    }
    return imm;
}

static uint64_t fp_neg(uint64_t x, bool dbl)
{
    return x ^ (dbl ? 1ull << 63 : 1ull << 31);
}

/* FP two-operand element operations (base op numbers) */
static uint64_t fp2(CPUARMState *env, int op, uint64_t a, uint64_t b,
                    uint64_t d, bool dbl)
{
    uint64_t t;

#define F2(name) (dbl ? HELPER(vfp_##name##d)(env, a, b) : \
                        HELPER(vfp_##name##s)(env, a, b))
    switch (op) {
    case SIMD_FADD_v:
        return F2(add);
    case SIMD_FSUB_v:
        return F2(sub);
    case SIMD_FMUL_v:
        return F2(mul);
    case SIMD_FDIV_v:
        return F2(div);
    case SIMD_FMAX_v:
    case SIMD_FMAXP_v:
    case SIMD_FMAXV_v:
        return F2(max);
    case SIMD_FMIN_v:
    case SIMD_FMINP_v:
    case SIMD_FMINV_v:
        return F2(min);
    case SIMD_FMAXNM_v:
    case SIMD_FMAXNMP_v:
    case SIMD_FMAXNMV_v:
        return F2(maxnm);
    case SIMD_FMINNM_v:
    case SIMD_FMINNMP_v:
    case SIMD_FMINNMV_v:
        return F2(minnm);
    case SIMD_FADDP_v:
        return F2(add);
    case SIMD_FABD_v:
        t = F2(sub);
        return t & (dbl ? ~(1ull << 63) : 0x7fffffffu);
    case SIMD_FMULX_v:
        return fp_mulx(env, a, b, dbl);
    case SIMD_FMLA_v:
        return dbl ? HELPER(vfp_muladdd)(env, d, a, b) :
                     HELPER(vfp_muladds)(env, d, a, b);
    case SIMD_FMLS_v:
        return dbl ? HELPER(vfp_muladdd)(env, d, fp_neg(a, true), b) :
                     HELPER(vfp_muladds)(env, d, fp_neg(a, false), b);
    case SIMD_FCMEQ_v:
        return fcmp_rel(env, a, b, dbl, 0, false) ? ~0ull : 0;
    case SIMD_FCMGE_v:
        return fcmp_rel(env, a, b, dbl, 1, false) ? ~0ull : 0;
    case SIMD_FCMGT_v:
        return fcmp_rel(env, a, b, dbl, 2, false) ? ~0ull : 0;
    case SIMD_FACGE_v:
        return fcmp_rel(env, a, b, dbl, 1, true) ? ~0ull : 0;
    case SIMD_FACGT_v:
        return fcmp_rel(env, a, b, dbl, 2, true) ? ~0ull : 0;
    default:
        return 0;
    }
#undef F2
}

/* integer element operation of the three-same group */
static uint64_t int3(int op, uint64_t ua, uint64_t ub, uint64_t ud, int esz,
                     uint32_t *qc)
{
    int bits = 8 << esz, sh = 64 - bits;
    int64_t sa = (int64_t)(ua << sh) >> sh, sb = (int64_t)(ub << sh) >> sh;
    uint64_t m = emask(esz);

    switch (op) {
    case SIMD_SHADD_v:
        return (uint64_t)(((__int128)sa + sb) >> 1) & m;
    case SIMD_UHADD_v:
        return (uint64_t)(((unsigned __int128)ua + ub) >> 1) & m;
    case SIMD_SRHADD_v:
        return (uint64_t)(((__int128)sa + sb + 1) >> 1) & m;
    case SIMD_URHADD_v:
        return (uint64_t)(((unsigned __int128)ua + ub + 1) >> 1) & m;
    case SIMD_SHSUB_v:
        return (uint64_t)(((__int128)sa - sb) >> 1) & m;
    case SIMD_UHSUB_v:
        return (uint64_t)(((__int128)ua - (__int128)ub) >> 1) & m;
    case SIMD_SQADD_v:
        return (uint64_t)sat_s((__int128)sa + sb, esz, qc) & m;
    case SIMD_UQADD_v:
        return sat_u((__int128)ua + ub, esz, qc);
    case SIMD_SQSUB_v:
        return (uint64_t)sat_s((__int128)sa - sb, esz, qc) & m;
    case SIMD_UQSUB_v:
        return sat_u((__int128)ua - (__int128)ub, esz, qc);
    case SIMD_SUQADD_v:                 /* signed d + unsigned n */
        return (uint64_t)sat_s((__int128)((int64_t)(ud << sh) >> sh) + ua,
                               esz, qc) & m;
    case SIMD_USQADD_v:                 /* unsigned d + signed n */
        return sat_u((__int128)(ud & m) + sa, esz, qc);
    case SIMD_CMGT_v:
        return sa > sb ? m : 0;
    case SIMD_CMGE_v:
        return sa >= sb ? m : 0;
    case SIMD_CMHI_v:
        return ua > ub ? m : 0;
    case SIMD_CMHS_v:
        return ua >= ub ? m : 0;
    case SIMD_CMEQ_v:
        return ua == ub ? m : 0;
    case SIMD_CMTST_v:
        return (ua & ub) ? m : 0;
    case SIMD_SSHL_v:
        return shift_reg(sa, ua, (int8_t)ub, true, false, false, esz, qc);
    case SIMD_USHL_v:
        return shift_reg(sa, ua, (int8_t)ub, false, false, false, esz, qc);
    case SIMD_SRSHL_v:
        return shift_reg(sa, ua, (int8_t)ub, true, true, false, esz, qc);
    case SIMD_URSHL_v:
        return shift_reg(sa, ua, (int8_t)ub, false, true, false, esz, qc);
    case SIMD_SQSHL_v:
        return shift_reg(sa, ua, (int8_t)ub, true, false, true, esz, qc);
    case SIMD_UQSHL_v:
        return shift_reg(sa, ua, (int8_t)ub, false, false, true, esz, qc);
    case SIMD_SQRSHL_v:
        return shift_reg(sa, ua, (int8_t)ub, true, true, true, esz, qc);
    case SIMD_UQRSHL_v:
        return shift_reg(sa, ua, (int8_t)ub, false, true, true, esz, qc);
    case SIMD_SMAX_v:
    case SIMD_SMAXP_v:
    case SIMD_SMAXV_v:
        return (sa > sb ? ua : ub) & m;
    case SIMD_SMIN_v:
    case SIMD_SMINP_v:
    case SIMD_SMINV_v:
        return (sa < sb ? ua : ub) & m;
    case SIMD_UMAX_v:
    case SIMD_UMAXP_v:
    case SIMD_UMAXV_v:
        return ua > ub ? ua : ub;
    case SIMD_UMIN_v:
    case SIMD_UMINP_v:
    case SIMD_UMINV_v:
        return ua < ub ? ua : ub;
    case SIMD_SABD_v:
        return (uint64_t)(sa > sb ? sa - sb : sb - sa) & m;
    case SIMD_UABD_v:
        return (ua > ub ? ua - ub : ub - ua) & m;
    case SIMD_SABA_v:
        return (ud + (uint64_t)(sa > sb ? sa - sb : sb - sa)) & m;
    case SIMD_UABA_v:
        return (ud + (ua > ub ? ua - ub : ub - ua)) & m;
    case SIMD_ADD_v:
    case SIMD_ADDP_v:
    case SIMD_ADDV_v:
        return (ua + ub) & m;
    case SIMD_SUB_v:
        return (ua - ub) & m;
    case SIMD_MLA_v:
        return (ud + ua * ub) & m;
    case SIMD_MLS_v:
        return (ud - ua * ub) & m;
    case SIMD_MUL_v:
        return (ua * ub) & m;
    case SIMD_PMUL_v:
        return pmul8(ua, ub) & 0xff;
    case SIMD_SQDMULH_v:
        return (uint64_t)sat_s(((__int128)2 * sa * sb) >> bits, esz, qc) & m;
    case SIMD_SQRDMULH_v:
        return (uint64_t)sat_s(((__int128)2 * sa * sb +
                                ((__int128)1 << (bits - 1))) >> bits,
                               esz, qc) & m;
    case SIMD_SQRDMLAH_v:
    case SIMD_SQRDMLSH_v: {
        __int128 acc = (__int128)((int64_t)(ud << sh) >> sh) *
                       ((__int128)1 << bits);
        __int128 p = (__int128)2 * sa * sb;

        acc = op == SIMD_SQRDMLAH_v ? acc + p : acc - p;
        return (uint64_t)sat_s((acc + ((__int128)1 << (bits - 1))) >> bits,
                               esz, qc) & m;
    }
    case SIMD_SDOT_v:
    case SIMD_UDOT_v: {
        uint32_t acc = ud;

        for (int k = 0; k < 4; k++) {
            uint8_t x = ua >> (8 * k), y = ub >> (8 * k);

            acc += op == SIMD_SDOT_v ? (uint32_t)((int8_t)x * (int8_t)y) :
                                       (uint32_t)(x * y);
        }
        return acc;
    }
    default:
        return 0;
    }
}

static bool is_int3(int op)
{
    switch (op) {
    case SIMD_SHADD_v: case SIMD_UHADD_v: case SIMD_SRHADD_v:
    case SIMD_URHADD_v: case SIMD_SHSUB_v: case SIMD_UHSUB_v:
    case SIMD_SQADD_v: case SIMD_UQADD_v: case SIMD_SQSUB_v:
    case SIMD_UQSUB_v: case SIMD_CMGT_v: case SIMD_CMGE_v: case SIMD_CMHI_v:
    case SIMD_CMHS_v: case SIMD_CMEQ_v: case SIMD_CMTST_v: case SIMD_SSHL_v:
    case SIMD_USHL_v: case SIMD_SRSHL_v: case SIMD_URSHL_v:
    case SIMD_SQSHL_v: case SIMD_UQSHL_v: case SIMD_SQRSHL_v:
    case SIMD_UQRSHL_v: case SIMD_SMAX_v: case SIMD_SMIN_v: case SIMD_UMAX_v:
    case SIMD_UMIN_v: case SIMD_SABD_v: case SIMD_UABD_v: case SIMD_SABA_v:
    case SIMD_UABA_v: case SIMD_ADD_v: case SIMD_SUB_v: case SIMD_MLA_v:
    case SIMD_MLS_v: case SIMD_MUL_v: case SIMD_PMUL_v: case SIMD_SQDMULH_v:
    case SIMD_SQRDMULH_v: case SIMD_SQRDMLAH_v: case SIMD_SQRDMLSH_v:
    case SIMD_SDOT_v: case SIMD_UDOT_v:
        return true;
    default:
        return false;
    }
}

static bool is_pairwise(int op)
{
    switch (op) {
    case SIMD_ADDP_v: case SIMD_SMAXP_v: case SIMD_SMINP_v:
    case SIMD_UMAXP_v: case SIMD_UMINP_v: case SIMD_FADDP_v:
    case SIMD_FMAXP_v: case SIMD_FMINP_v: case SIMD_FMAXNMP_v:
    case SIMD_FMINNMP_v:
        return true;
    default:
        return false;
    }
}

static bool is_fp3(int op)
{
    switch (op) {
    case SIMD_FADD_v: case SIMD_FSUB_v: case SIMD_FMUL_v: case SIMD_FDIV_v:
    case SIMD_FMAX_v: case SIMD_FMIN_v: case SIMD_FMAXNM_v:
    case SIMD_FMINNM_v: case SIMD_FABD_v: case SIMD_FMULX_v:
    case SIMD_FMLA_v: case SIMD_FMLS_v: case SIMD_FCMEQ_v: case SIMD_FCMGE_v:
    case SIMD_FCMGT_v: case SIMD_FACGE_v: case SIMD_FACGT_v:
        return true;
    default:
        return false;
    }
}

/* the "long" three-different operations: sources esz, result esz+1 */
static bool is_long3(int op)
{
    switch (op) {
    case SIMD_SADDL_v: case SIMD_UADDL_v: case SIMD_SSUBL_v:
    case SIMD_USUBL_v: case SIMD_SADDW_v: case SIMD_UADDW_v:
    case SIMD_SSUBW_v: case SIMD_USUBW_v: case SIMD_SABAL_v:
    case SIMD_UABAL_v: case SIMD_SABDL_v: case SIMD_UABDL_v:
    case SIMD_SMLAL_v: case SIMD_UMLAL_v: case SIMD_SMLSL_v:
    case SIMD_UMLSL_v: case SIMD_SMULL_v: case SIMD_UMULL_v:
    case SIMD_SQDMULL_v: case SIMD_SQDMLAL_v: case SIMD_SQDMLSL_v:
    case SIMD_PMULL_v:
        return true;
    default:
        return false;
    }
}

static bool long3_signed(int op)
{
    switch (op) {
    case SIMD_SADDL_v: case SIMD_SSUBL_v: case SIMD_SADDW_v:
    case SIMD_SSUBW_v: case SIMD_SABAL_v: case SIMD_SABDL_v:
    case SIMD_SMLAL_v: case SIMD_SMLSL_v: case SIMD_SMULL_v:
    case SIMD_SQDMULL_v: case SIMD_SQDMLAL_v: case SIMD_SQDMLSL_v:
        return true;
    default:
        return false;
    }
}

static uint64_t long3(int op, int64_t a, int64_t b, uint64_t d, int esz,
                      uint32_t *qc)
{
    int resz = esz + 1;
    uint64_t m = emask(resz);
    int64_t sd = (int64_t)(d << (64 - (8 << resz))) >> (64 - (8 << resz));

    switch (op) {
    case SIMD_SADDL_v: case SIMD_UADDL_v:
    case SIMD_SADDW_v: case SIMD_UADDW_v:
        return (uint64_t)(a + b) & m;
    case SIMD_SSUBL_v: case SIMD_USUBL_v:
    case SIMD_SSUBW_v: case SIMD_USUBW_v:
        return (uint64_t)(a - b) & m;
    case SIMD_SABAL_v: case SIMD_UABAL_v:
        return (d + (uint64_t)(a > b ? a - b : b - a)) & m;
    case SIMD_SABDL_v: case SIMD_UABDL_v:
        return (uint64_t)(a > b ? a - b : b - a) & m;
    case SIMD_SMLAL_v: case SIMD_UMLAL_v:
        return (d + (uint64_t)a * (uint64_t)b) & m;
    case SIMD_SMLSL_v: case SIMD_UMLSL_v:
        return (d - (uint64_t)a * (uint64_t)b) & m;
    case SIMD_SMULL_v: case SIMD_UMULL_v:
        return ((uint64_t)a * (uint64_t)b) & m;
    case SIMD_SQDMULL_v:
        return (uint64_t)sat_s((__int128)2 * a * b, resz, qc) & m;
    case SIMD_SQDMLAL_v:
        return (uint64_t)sat_s((__int128)sd +
                               sat_s((__int128)2 * a * b, resz, qc),
                               resz, qc) & m;
    case SIMD_SQDMLSL_v:
        return (uint64_t)sat_s((__int128)sd -
                               sat_s((__int128)2 * a * b, resz, qc),
                               resz, qc) & m;
    case SIMD_PMULL_v: {
        uint64_t r = 0;

        for (int i = 0; i < 8; i++) {
            if (b & (1 << i)) {
                r ^= (uint64_t)(uint8_t)a << i;
            }
        }
        return r & 0xffff;
    }
    default:
        return 0;
    }
}

/* narrowing shift right: SHRN family; src wide element, shift, flavour */
static uint64_t shrn(int op, uint64_t w, int sh, int esz, uint32_t *qc)
{
    int wesz = esz + 1, wbits = 8 << wesz;
    int64_t sw = (int64_t)(w << (64 - wbits)) >> (64 - wbits);
    bool rnd = op == SIMD_RSHRN_v || op == SIMD_SQRSHRN_v ||
               op == SIMD_SQRSHRUN_v || op == SIMD_UQRSHRN_v;
    bool src_signed = op == SIMD_SQSHRN_v || op == SIMD_SQRSHRN_v ||
                      op == SIMD_SQSHRUN_v || op == SIMD_SQRSHRUN_v;
    __int128 v = src_signed ? (__int128)sw : (__int128)(w & emask(wesz));

    if (rnd) {
        v += (__int128)1 << (sh - 1);
    }
    v >>= sh;
    switch (op) {
    case SIMD_SHRN_v:
    case SIMD_RSHRN_v:
        return (uint64_t)v & emask(esz);
    case SIMD_SQSHRN_v:
    case SIMD_SQRSHRN_v:
        return (uint64_t)sat_s(v, esz, qc) & emask(esz);
    default:                            /* unsigned results */
        return sat_u(v, esz, qc);
    }
}

/* ---- Arm-only FP element operations, from fpu/softfloat-arm.h ---- */

/* The status for single/double elements (FZ); vfp_helper.c does the same. */
static inline void fpst_init(float_status *s, CPUARMState *env)
{
    float_status_from_arm_fpcr(s, env->fpcr, false);
}

static inline void fpst_done(float_status *s, CPUARMState *env)
{
    env->fpsr |= float_status_arm_fpsr(s);
}

/* FRECPE, FRSQRTE, FRECPX (FPRecipEstimate, FPRSqrtEstimate, FPRecpX);
 * URECPE, URSQRTE (UnsignedRecipEstimate, UnsignedRSqrtEstimate) */
static uint64_t recip_op(CPUARMState *env, int base, uint64_t x, int esz)
{
    bool dbl = esz == 3;
    float_status s;
    uint64_t r;

    if (base == SIMD_URECPE_v || base == SIMD_URSQRTE_v) {
        uint32_t v = x;
        int est;

        if (base == SIMD_URECPE_v ? !(v >> 31) : !(v >> 30)) {
            return 0xffffffffu;
        }
        est = base == SIMD_URECPE_v ? arm_recip_estimate_int(v >> 23) :
                                      arm_rsqrt_estimate_int(v >> 23);
        return (uint32_t)(est & 0x1ff) << 23;
    }
    fpst_init(&s, env);
    switch (base) {
    case SIMD_FRECPE_v:
        r = dbl ? float64_recip_estimate(x, &s) : float32_recip_estimate(x, &s);
        break;
    case SIMD_FRSQRTE_v:
        r = dbl ? float64_rsqrt_estimate(x, &s) : float32_rsqrt_estimate(x, &s);
        break;
    default:                            /* FRECPX */
        r = dbl ? float64_recpx(x, &s) : float32_recpx(x, &s);
        break;
    }
    fpst_done(&s, env);
    return r;
}

/* FRECPS: 2 - a*b;  FRSQRTS: (3 - a*b) / 2; fused, inf * 0 gives 2 / 1.5 */
static uint64_t recip_step(CPUARMState *env, bool rsqrt, uint64_t a,
                           uint64_t b, bool dbl)
{
    float_status s;
    uint64_t r;

    fpst_init(&s, env);
    if (rsqrt) {
        r = dbl ? float64_rsqrt_step(a, b, &s) : float32_rsqrt_step(a, b, &s);
    } else {
        r = dbl ? float64_recip_step(a, b, &s) : float32_recip_step(a, b, &s);
    }
    fpst_done(&s, env);
    return r;
}

/* FMULX (FPMulX): a product, but inf * 0 = +-2.0 without IOC */
static uint64_t fp_mulx(CPUARMState *env, uint64_t a, uint64_t b, bool dbl)
{
    float_status s;
    uint64_t r;

    fpst_init(&s, env);
    r = dbl ? float64_mulx(a, b, &s) : float32_mulx(a, b, &s);
    fpst_done(&s, env);
    return r;
}

/* FCVTXN: double to single rounded to odd (FPCR's FZ and DN still apply) */
static uint32_t fp_cvt_round_odd(CPUARMState *env, uint64_t a)
{
    float_status s;
    uint32_t r;

    fpst_init(&s, env);
    r = float64_to_float32_round_to_odd(a, &s);
    fpst_done(&s, env);
    return r;
}

void HELPER(simd)(CPUARMState *env, uint32_t op, uint32_t p1, uint32_t p2)
{
    SimdArgs a;
    int base = simd_info[op].base;
    V n, m, d, r;
    uint32_t qc = 0;
    int esz, elems;
    bool dbl;

    simd_decode(&a, op, p1, p2);
    esz = a.esz;
    n = vread(env, a.rn);
    m = vread(env, a.rm);
    d = vread(env, a.rd);
    memset(&r, 0, sizeof(r));
    dbl = esz == 3;

    if (a.form == FORM_X || a.form == FORM_SX) {
        /* by element: broadcast m[idx] */
        uint64_t e = eget(&m, a.idx, esz);

        for (int i = 0; i < (16 >> esz); i++) {
            eset(&m, i, esz, e);
        }
    }
    elems = elems_of(&a, esz);

    if (is_int3(base)) {
        for (int i = 0; i < elems; i++) {
            eset(&r, i, esz, int3(base, eget(&n, i, esz), eget(&m, i, esz),
                                  eget(&d, i, esz), esz, &qc));
        }
    } else if (is_pairwise(base)) {
        if (a.form == FORM_S) {
            /* ADDP (scalar) is on D; the FP pairs on S or D */
            int e = base == SIMD_ADDP_v ? 3 : esz;

            if (base == SIMD_ADDP_v) {
                eset(&r, 0, 3, eget(&n, 0, 3) + eget(&n, 1, 3));
            } else {
                eset(&r, 0, e, fp2(env, base, eget(&n, 0, e), eget(&n, 1, e),
                                   0, e == 3));
            }
        } else {
            for (int i = 0; i < elems; i++) {
                const V *src = i < elems / 2 ? &n : &m;
                int j = 2 * (i % (elems / 2));
                uint64_t x = eget(src, j, esz), y = eget(src, j + 1, esz);
                uint64_t res;

                if (base == SIMD_FADDP_v || base == SIMD_FMAXP_v ||
                    base == SIMD_FMINP_v || base == SIMD_FMAXNMP_v ||
                    base == SIMD_FMINNMP_v) {
                    res = fp2(env, base, x, y, 0, dbl);
                } else {
                    res = int3(base, x, y, 0, esz, &qc);
                }
                eset(&r, i, esz, res);
            }
        }
    } else if (is_fp3(base)) {
        for (int i = 0; i < elems; i++) {
            eset(&r, i, esz, fp2(env, base, eget(&n, i, esz), eget(&m, i, esz),
                                 eget(&d, i, esz), dbl));
        }
    } else if (base == SIMD_PMULL_v && esz == 3) {
        uint64_t lo, hi;

        crypto_pmull64(&lo, &hi, eget(&n, a.q, 3), eget(&m, a.q, 3));
        eset(&r, 0, 3, lo);
        eset(&r, 1, 3, hi);
    } else if (is_long3(base)) {
        bool sg = long3_signed(base);
        bool wide = base == SIMD_SADDW_v || base == SIMD_UADDW_v ||
                    base == SIMD_SSUBW_v || base == SIMD_USUBW_v;
        int half = (a.q && a.form != FORM_S && a.form != FORM_SX) ?
                   (8 >> esz) : 0;
        int cnt = (a.form == FORM_S || a.form == FORM_SX) ? 1 : 8 >> esz;

        for (int i = 0; i < cnt; i++) {
            int64_t x, y;

            if (wide) {
                x = sg ? egets(&n, i, esz + 1) : (int64_t)eget(&n, i, esz + 1);
            } else {
                x = sg ? egets(&n, i + half, esz) :
                         (int64_t)eget(&n, i + half, esz);
            }
            y = sg ? egets(&m, i + half, esz) : (int64_t)eget(&m, i + half, esz);
            eset(&r, i, esz + 1, long3(base, x, y, eget(&d, i, esz + 1), esz,
                                       &qc));
        }
    } else {
        switch (base) {
        /* ---- logic (byte-wise, 64 or 128 bits) ---- */
        case SIMD_AND_v: case SIMD_BIC_v: case SIMD_ORR_v: case SIMD_ORN_v:
        case SIMD_EOR_v: case SIMD_BSL_v: case SIMD_BIT_v: case SIMD_BIF_v:
        case SIMD_NOT_v: {
            int nb = a.q ? 16 : 8;

            for (int i = 0; i < nb; i++) {
                uint8_t x = n.b[i], y = m.b[i], z = d.b[i], o;

                switch (base) {
                case SIMD_AND_v: o = x & y; break;
                case SIMD_BIC_v: o = x & ~y; break;
                case SIMD_ORR_v: o = x | y; break;
                case SIMD_ORN_v: o = x | ~y; break;
                case SIMD_EOR_v: o = x ^ y; break;
                case SIMD_BSL_v: o = (z & x) | (~z & y); break;
                case SIMD_BIT_v: o = (y & x) | (~y & z); break;
                case SIMD_BIF_v: o = (~y & x) | (y & z); break;
                default: o = ~x; break;
                }
                r.b[i] = o;
            }
            break;
        }
        /* ---- permutes ---- */
        case SIMD_ZIP1_v: case SIMD_ZIP2_v: {
            int off = base == SIMD_ZIP2_v ? elems / 2 : 0;

            for (int i = 0; i < elems / 2; i++) {
                eset(&r, 2 * i, esz, eget(&n, i + off, esz));
                eset(&r, 2 * i + 1, esz, eget(&m, i + off, esz));
            }
            break;
        }
        case SIMD_UZP1_v: case SIMD_UZP2_v: {
            int odd = base == SIMD_UZP2_v;

            for (int i = 0; i < elems; i++) {
                int j = 2 * i + odd;

                eset(&r, i, esz, j < elems ? eget(&n, j, esz) :
                                            eget(&m, j - elems, esz));
            }
            break;
        }
        case SIMD_TRN1_v: case SIMD_TRN2_v: {
            int odd = base == SIMD_TRN2_v;

            for (int i = 0; i < elems / 2; i++) {
                eset(&r, 2 * i, esz, eget(&n, 2 * i + odd, esz));
                eset(&r, 2 * i + 1, esz, eget(&m, 2 * i + odd, esz));
            }
            break;
        }
        case SIMD_EXT_v: {
            int nb = a.q ? 16 : 8;

            for (int i = 0; i < nb; i++) {
                int j = a.imm + i;

                r.b[i] = j < nb ? n.b[j] : m.b[j - nb];
            }
            break;
        }
        case SIMD_TBL_v: case SIMD_TBX_v: {
            int nb = a.q ? 16 : 8, tbytes = 16 * (a.len + 1);
            uint8_t table[64];

            for (int t = 0; t <= a.len; t++) {
                memcpy(table + 16 * t, env->vregs[(a.rn + t) % 32].d, 16);
            }
            for (int i = 0; i < nb; i++) {
                uint8_t ix = m.b[i];

                r.b[i] = ix < tbytes ? table[ix] :
                         base == SIMD_TBX_v ? d.b[i] : 0;
            }
            break;
        }
        case SIMD_DUP_elt_v: {
            uint64_t e = eget(&n, a.imm, esz);

            for (int i = 0; i < elems; i++) {
                eset(&r, i, esz, e);
            }
            break;
        }
        case SIMD_DUP_elt_s:
            eset(&r, 0, esz, eget(&n, a.imm & 0xff, esz));
            break;
        case SIMD_INS_elt:
            r = d;
            eset(&r, a.imm & 0xff, esz, eget(&n, a.imm >> 8, esz));
            break;
        /* ---- modified immediate ---- */
        case SIMD_MOVI_vi: case SIMD_MVNI_vi: case SIMD_ORR_vi:
        case SIMD_BIC_vi: case SIMD_FMOV_vi: {
            uint64_t imm = expand_imm(a.opb, a.imm >> 8, a.imm & 0xff);
            int halves = a.q ? 2 : 1;

            for (int h = 0; h < halves; h++) {
                uint64_t cur = eget(&d, h, 3), v;

                switch (base) {
                case SIMD_MVNI_vi: v = ~imm; break;
                case SIMD_ORR_vi: v = cur | imm; break;
                case SIMD_BIC_vi: v = cur & ~imm; break;
                default: v = imm; break;
                }
                eset(&r, h, 3, v);
            }
            break;
        }
        /* ---- two-register misc, integer ---- */
        case SIMD_REV64_v: case SIMD_REV32_v: case SIMD_REV16_v: {
            int cont = base == SIMD_REV64_v ? 8 : base == SIMD_REV32_v ? 4 : 2;
            int per = cont >> esz;

            for (int i = 0; i < elems; i++) {
                int g = i / per, k = i % per;

                eset(&r, g * per + (per - 1 - k), esz, eget(&n, i, esz));
            }
            break;
        }
        case SIMD_SADDLP_v: case SIMD_UADDLP_v: case SIMD_SADALP_v:
        case SIMD_UADALP_v: {
            bool sg = base == SIMD_SADDLP_v || base == SIMD_SADALP_v;
            bool acc = base == SIMD_SADALP_v || base == SIMD_UADALP_v;

            for (int i = 0; i < elems / 2; i++) {
                int64_t x = sg ? egets(&n, 2 * i, esz) : (int64_t)eget(&n, 2 * i, esz);
                int64_t y = sg ? egets(&n, 2 * i + 1, esz) :
                                 (int64_t)eget(&n, 2 * i + 1, esz);
                uint64_t v = (uint64_t)(x + y);

                if (acc) {
                    v += eget(&d, i, esz + 1);
                }
                eset(&r, i, esz + 1, v);
            }
            break;
        }
        case SIMD_CLS_v: case SIMD_CLZ_v: case SIMD_CNT_v: case SIMD_RBIT_v:
        case SIMD_ABS_v: case SIMD_NEG_v: case SIMD_SQABS_v:
        case SIMD_SQNEG_v: case SIMD_CMGT0_v: case SIMD_CMEQ0_v:
        case SIMD_CMLT0_v: case SIMD_CMGE0_v: case SIMD_CMLE0_v:
        case SIMD_SUQADD_v: case SIMD_USQADD_v: {
            int bits = 8 << esz;
            uint64_t mk = emask(esz);

            for (int i = 0; i < elems; i++) {
                uint64_t u = eget(&n, i, esz), v;
                int64_t sv = egets(&n, i, esz);

                switch (base) {
                case SIMD_CLS_v:
                    v = (sv < 0 ? __builtin_clzll(~(uint64_t)sv) :
                                  (sv ? __builtin_clzll((uint64_t)sv) : 64)) -
                        (64 - bits) - 1;
                    break;
                case SIMD_CLZ_v:
                    v = u ? __builtin_clzll(u) - (64 - bits) : bits;
                    break;
                case SIMD_CNT_v:
                    v = __builtin_popcountll(u);
                    break;
                case SIMD_RBIT_v:
                    v = 0;
                    for (int k = 0; k < 8; k++) {
                        v |= ((u >> k) & 1) << (7 - k);
                    }
                    break;
                case SIMD_ABS_v:
                    v = (uint64_t)(sv < 0 ? -sv : sv) & mk;
                    break;
                case SIMD_NEG_v:
                    v = (0 - u) & mk;
                    break;
                case SIMD_SQABS_v:
                    v = (uint64_t)sat_s(sv < 0 ? -(__int128)sv : sv, esz,
                                        &qc) & mk;
                    break;
                case SIMD_SQNEG_v:
                    v = (uint64_t)sat_s(-(__int128)sv, esz, &qc) & mk;
                    break;
                case SIMD_CMGT0_v: v = sv > 0 ? mk : 0; break;
                case SIMD_CMEQ0_v: v = sv == 0 ? mk : 0; break;
                case SIMD_CMLT0_v: v = sv < 0 ? mk : 0; break;
                case SIMD_CMGE0_v: v = sv >= 0 ? mk : 0; break;
                case SIMD_CMLE0_v: v = sv <= 0 ? mk : 0; break;
                default:
                    v = int3(base, u, 0, eget(&d, i, esz), esz, &qc);
                    break;
                }
                eset(&r, i, esz, v);
            }
            break;
        }
        /* ---- narrowing ---- */
        case SIMD_XTN_v: case SIMD_SQXTN_v: case SIMD_UQXTN_v:
        case SIMD_SQXTUN_v: case SIMD_SHRN_v: case SIMD_RSHRN_v:
        case SIMD_SQSHRN_v: case SIMD_SQRSHRN_v: case SIMD_SQSHRUN_v:
        case SIMD_SQRSHRUN_v: case SIMD_UQSHRN_v: case SIMD_UQRSHRN_v:
        case SIMD_ADDHN_v: case SIMD_RADDHN_v: case SIMD_SUBHN_v:
        case SIMD_RSUBHN_v: {
            bool scalar = a.form == FORM_S;
            int cnt = scalar ? 1 : 8 >> esz;
            int off = (!scalar && a.q) ? cnt : 0;
            int bits = 8 << esz;

            if (off) {
                memcpy(r.b, d.b, 8);
            }
            for (int i = 0; i < cnt; i++) {
                uint64_t w = eget(&n, i, esz + 1), v;
                int64_t sw = egets(&n, i, esz + 1);

                switch (base) {
                case SIMD_XTN_v:
                    v = w & emask(esz);
                    break;
                case SIMD_SQXTN_v:
                    v = (uint64_t)sat_s(sw, esz, &qc) & emask(esz);
                    break;
                case SIMD_UQXTN_v:
                    v = sat_u(w, esz, &qc);
                    break;
                case SIMD_SQXTUN_v:
                    v = sat_u(sw, esz, &qc);
                    break;
                case SIMD_ADDHN_v: case SIMD_RADDHN_v:
                case SIMD_SUBHN_v: case SIMD_RSUBHN_v: {
                    uint64_t y = eget(&m, i, esz + 1);
                    unsigned __int128 t = (base == SIMD_ADDHN_v ||
                                           base == SIMD_RADDHN_v) ?
                        (unsigned __int128)w + y : (unsigned __int128)w - y;

                    if (base == SIMD_RADDHN_v || base == SIMD_RSUBHN_v) {
                        t += (unsigned __int128)1 << (bits - 1);
                    }
                    v = (uint64_t)(t >> bits) & emask(esz);
                    break;
                }
                default:
                    v = shrn(base, w, a.imm, esz, &qc);
                    break;
                }
                eset(&r, i + off, esz, v);
            }
            break;
        }
        /* FCVTN/FCVTXN: esz is the source size (3 double, 2 single) */
        case SIMD_FCVTN_v: case SIMD_FCVTXN_v: {
            bool scalar = a.form == FORM_S;
            int de = esz - 1, cnt = scalar ? 1 : 8 >> de;
            int off = (!scalar && a.q) ? cnt : 0;

            if (off) {
                memcpy(r.b, d.b, 8);
            }
            for (int i = 0; i < cnt; i++) {
                uint64_t w = eget(&n, i, esz), v;

                if (base == SIMD_FCVTN_v) {
                    v = HELPER(vfp_fcvt)(env, w, esz == 3 ? 1 : 0,
                                         esz == 3 ? 0 : 3);
                } else {
                    v = fp_cvt_round_odd(env, w);
                }
                eset(&r, i + off, de, v);
            }
            break;
        }
        /* ---- crypto ---- */
        case SIMD_AESE_v: case SIMD_AESD_v:
            r = d;
            crypto_aes_round(r.b, n.b, base == SIMD_AESD_v);
            break;
        case SIMD_AESMC_v: case SIMD_AESIMC_v:
            r = n;
            crypto_aes_mixcolumns(r.b, base == SIMD_AESIMC_v);
            break;
        case SIMD_SHA1C: case SIMD_SHA1P: case SIMD_SHA1M:
        case SIMD_SHA1SU0: case SIMD_SHA256H: case SIMD_SHA256H2:
        case SIMD_SHA256SU1: case SIMD_SHA1H: case SIMD_SHA1SU1:
        case SIMD_SHA256SU0: {
            uint32_t x[4], y[4], w[4];

            memcpy(x, d.b, 16);
            memcpy(y, n.b, 16);
            memcpy(w, m.b, 16);
            switch (base) {
            case SIMD_SHA1C:
                crypto_sha1_hash(x, y[0], w, 0);
                break;
            case SIMD_SHA1P:
                crypto_sha1_hash(x, y[0], w, 1);
                break;
            case SIMD_SHA1M:
                crypto_sha1_hash(x, y[0], w, 2);
                break;
            case SIMD_SHA1SU0:
                crypto_sha1_su0(x, y, w);
                break;
            case SIMD_SHA256H:
                crypto_sha256_hash(x, y, w, true);
                break;
            case SIMD_SHA256H2:
                crypto_sha256_hash(y, x, w, false);
                memcpy(x, y, 16);
                break;
            case SIMD_SHA256SU1:
                crypto_sha256_su1(x, y, w);
                break;
            case SIMD_SHA1H:
                memset(x, 0, 16);
                x[0] = (y[0] << 30) | (y[0] >> 2);
                break;
            case SIMD_SHA1SU1:
                crypto_sha1_su1(x, y);
                break;
            default:
                crypto_sha256_su0(x, y);
                break;
            }
            memcpy(r.b, x, 16);
            break;
        }
        /* ---- reciprocal estimates and steps ---- */
        case SIMD_FRECPE_v: case SIMD_FRSQRTE_v: case SIMD_URECPE_v:
        case SIMD_URSQRTE_v: case SIMD_FRECPX_s:
            for (int i = 0; i < elems; i++) {
                eset(&r, i, esz, recip_op(env, base, eget(&n, i, esz), esz));
            }
            break;
        case SIMD_FRECPS_v: case SIMD_FRSQRTS_v:
            for (int i = 0; i < elems; i++) {
                eset(&r, i, esz, recip_step(env, base == SIMD_FRSQRTS_v,
                                            eget(&n, i, esz),
                                            eget(&m, i, esz), dbl));
            }
            break;
        /* ---- widening ---- */
        case SIMD_SSHLL_v: case SIMD_USHLL_v: case SIMD_SHLL_v:
        case SIMD_FCVTL_v: {
            int cnt = 8 >> esz, off = a.q ? cnt : 0;

            if (base == SIMD_FCVTL_v) {
                /* esz is the result size: 3 single->double, 2 half->single */
                int se = esz - 1;

                cnt = 8 >> se;
                off = a.q ? cnt : 0;
                for (int i = 0; i < cnt; i++) {
                    eset(&r, i, esz,
                         HELPER(vfp_fcvt)(env, eget(&n, i + off, se),
                                          se == 2 ? 0 : 3, se == 2 ? 1 : 0));
                }
                break;
            }
            for (int i = 0; i < cnt; i++) {
                uint64_t v = base == SIMD_SSHLL_v ?
                             (uint64_t)egets(&n, i + off, esz) :
                             eget(&n, i + off, esz);
                int sh = base == SIMD_SHLL_v ? 8 << esz : (int)a.imm;

                eset(&r, i, esz + 1, v << sh);
            }
            break;
        }
        /* ---- across lanes ---- */
        case SIMD_ADDV_v: case SIMD_SMAXV_v: case SIMD_SMINV_v:
        case SIMD_UMAXV_v: case SIMD_UMINV_v: {
            uint64_t acc = eget(&n, 0, esz);

            for (int i = 1; i < elems; i++) {
                acc = int3(base, acc, eget(&n, i, esz), 0, esz, &qc);
            }
            eset(&r, 0, esz, acc);
            break;
        }
        case SIMD_SADDLV_v: case SIMD_UADDLV_v: {
            int64_t acc = 0;

            for (int i = 0; i < elems; i++) {
                acc += base == SIMD_SADDLV_v ? egets(&n, i, esz) :
                                               (int64_t)eget(&n, i, esz);
            }
            eset(&r, 0, esz + 1, (uint64_t)acc);
            break;
        }
        case SIMD_FMAXV_v: case SIMD_FMINV_v: case SIMD_FMAXNMV_v:
        case SIMD_FMINNMV_v: {
            /* pairwise tree as in the Arm pseudocode Reduce() */
            uint64_t t[4];

            for (int i = 0; i < 4; i++) {
                t[i] = eget(&n, i, 2);
            }
            t[0] = fp2(env, base, t[0], t[1], 0, false);
            t[2] = fp2(env, base, t[2], t[3], 0, false);
            eset(&r, 0, 2, fp2(env, base, t[0], t[2], 0, false));
            break;
        }
        /* ---- shifts by immediate ---- */
        case SIMD_SSHR_v: case SIMD_USHR_v: case SIMD_SSRA_v:
        case SIMD_USRA_v: case SIMD_SRSHR_v: case SIMD_URSHR_v:
        case SIMD_SRSRA_v: case SIMD_URSRA_v: case SIMD_SHL_v:
        case SIMD_SQSHL_vi: case SIMD_UQSHL_vi: case SIMD_SQSHLU_v:
        case SIMD_SRI_v: case SIMD_SLI_v: {
            int sh = a.imm, bits = 8 << esz;
            uint64_t mk = emask(esz);

            for (int i = 0; i < elems; i++) {
                uint64_t u = eget(&n, i, esz), dv = eget(&d, i, esz), v;
                int64_t sv = egets(&n, i, esz);

                switch (base) {
                case SIMD_SSHR_v: case SIMD_SSRA_v:
                    v = (uint64_t)(sh >= 64 ? (sv < 0 ? -1 : 0) : sv >> sh) & mk;
                    break;
                case SIMD_USHR_v: case SIMD_USRA_v:
                    v = sh >= 64 ? 0 : u >> sh;
                    break;
                case SIMD_SRSHR_v: case SIMD_SRSRA_v:
                    v = (uint64_t)((((__int128)sv) + ((__int128)1 << (sh - 1)))
                                   >> sh) & mk;
                    break;
                case SIMD_URSHR_v: case SIMD_URSRA_v:
                    v = (uint64_t)((((unsigned __int128)u) +
                                    ((unsigned __int128)1 << (sh - 1))) >> sh) & mk;
                    break;
                case SIMD_SHL_v:
                    v = (u << sh) & mk;
                    break;
                case SIMD_SQSHL_vi:
                    v = (uint64_t)sat_s((__int128)sv << sh, esz, &qc) & mk;
                    break;
                case SIMD_UQSHL_vi:
                    v = sat_u((__int128)u << sh, esz, &qc);
                    break;
                case SIMD_SQSHLU_v:
                    v = sat_u((__int128)sv << sh, esz, &qc);
                    break;
                case SIMD_SRI_v: {
                    uint64_t keep = sh >= bits ? mk : ~(mk >> sh) & mk;

                    v = (dv & keep) | (sh >= 64 ? 0 : (u >> sh));
                    break;
                }
                default: {                  /* SLI */
                    uint64_t ins = (mk << sh) & mk;

                    v = (dv & ~ins & mk) | ((u << sh) & mk);
                    break;
                }
                }
                if (base == SIMD_SSRA_v || base == SIMD_USRA_v ||
                    base == SIMD_SRSRA_v || base == SIMD_URSRA_v) {
                    v = (v + dv) & mk;
                }
                eset(&r, i, esz, v);
            }
            break;
        }
        /* ---- FP two-register misc ---- */
        case SIMD_FABS_v: case SIMD_FNEG_v: case SIMD_FSQRT_v:
        case SIMD_FRINT_v: case SIMD_FCVT_f2i_v: case SIMD_CVTF_i2f_v:
        case SIMD_SCVTF_fix_v: case SIMD_UCVTF_fix_v: case SIMD_FCVTZS_fix_v:
        case SIMD_FCVTZU_fix_v: case SIMD_FCMGT0_v: case SIMD_FCMEQ0_v:
        case SIMD_FCMLT0_v: case SIMD_FCMGE0_v: case SIMD_FCMLE0_v: {
            uint64_t sign = dbl ? 1ull << 63 : 1ull << 31;
            int type = dbl ? 1 : 0;

            for (int i = 0; i < elems; i++) {
                uint64_t x = eget(&n, i, esz), v;

                switch (base) {
                case SIMD_FABS_v: v = x & ~sign; break;
                case SIMD_FNEG_v: v = x ^ sign; break;
                case SIMD_FSQRT_v:
                    v = dbl ? HELPER(vfp_sqrtd)(env, x) :
                              HELPER(vfp_sqrts)(env, x);
                    break;
                case SIMD_FRINT_v: {
                    int rm = a.rmode, exact = 0;

                    if (rm == 6) {
                        rm = 7;
                        exact = 16;
                    }
                    v = HELPER(vfp_rint)(env, x, type | (rm << 1) | exact);
                    break;
                }
                case SIMD_FCVT_f2i_v:
                    v = HELPER(vfp_f2i)(env, x, type | (a.rmode << 1) |
                                        (a.u ? 16 : 0) | (dbl ? 32 : 0));
                    break;
                case SIMD_FCVTZS_fix_v: case SIMD_FCVTZU_fix_v:
                    v = HELPER(vfp_f2i)(env, x, type | (3 << 1) |
                                        (base == SIMD_FCVTZU_fix_v ? 16 : 0) |
                                        (dbl ? 32 : 0) | (a.imm << 8));
                    break;
                case SIMD_CVTF_i2f_v:
                    v = HELPER(vfp_i2f)(env, dbl ? x :
                                        (a.u ? x : (uint64_t)egets(&n, i, 2)),
                                        type | 2 | (a.u ? 4 : 0));
                    break;
                case SIMD_SCVTF_fix_v: case SIMD_UCVTF_fix_v: {
                    bool uu = base == SIMD_UCVTF_fix_v;

                    v = HELPER(vfp_i2f)(env, dbl ? x :
                                        (uu ? x : (uint64_t)egets(&n, i, 2)),
                                        type | 2 | (uu ? 4 : 0) | (a.imm << 8));
                    break;
                }
                case SIMD_FCMGT0_v:
                    v = fcmp_rel(env, x, 0, dbl, 2, false) ? ~0ull : 0;
                    break;
                case SIMD_FCMGE0_v:
                    v = fcmp_rel(env, x, 0, dbl, 1, false) ? ~0ull : 0;
                    break;
                case SIMD_FCMEQ0_v:
                    v = fcmp_rel(env, x, 0, dbl, 0, false) ? ~0ull : 0;
                    break;
                case SIMD_FCMLT0_v:
                    /* x < 0  <=>  0 > x */
                    v = fcmp_rel(env, 0, x, dbl, 2, false) ? ~0ull : 0;
                    break;
                default:                    /* FCMLE0: 0 >= x */
                    v = fcmp_rel(env, 0, x, dbl, 1, false) ? ~0ull : 0;
                    break;
                }
                eset(&r, i, esz, v);
            }
            break;
        }
        default:
            break;
        }
    }
    if (qc) {
        env->fpsr |= FPSR_QC;
    }
    vwrite(env, a.rd, &r);
}

/* ---- what is implemented, and reserved encodings ---- */

static bool base_implemented(int base)
{
    return base >= 0 && base < SIMD_NUM_OPS;
}

static bool is_fp_base(int base)
{
    return is_fp3(base) || base == SIMD_FADDP_v || base == SIMD_FMAXP_v ||
           base == SIMD_FMINP_v || base == SIMD_FMAXNMP_v ||
           base == SIMD_FMINNMP_v;
}

bool simd_supported(CPUARMState *env, int op, uint32_t p1, uint32_t p2)
{
    SimdArgs a;
    int base = simd_info[op].base;

    simd_decode(&a, op, p1, p2);
    if (!base_implemented(base) || !base_implemented(op)) {
        return false;
    }
    switch (base) {
    case SIMD_AESE_v: case SIMD_AESD_v: case SIMD_AESMC_v:
    case SIMD_AESIMC_v: case SIMD_SHA1C: case SIMD_SHA1P: case SIMD_SHA1M:
    case SIMD_SHA1SU0: case SIMD_SHA256H: case SIMD_SHA256H2:
    case SIMD_SHA256SU1: case SIMD_SHA1H: case SIMD_SHA1SU1:
    case SIMD_SHA256SU0:
        return arm_feature(env, ARM_FEATURE_CRYPTO);
    case SIMD_PMULL_v:
        if (a.esz == 3) {
            return arm_feature(env, ARM_FEATURE_CRYPTO);
        }
        break;
    case SIMD_SQRDMLAH_v: case SIMD_SQRDMLSH_v:
        return arm_feature(env, ARM_FEATURE_RDM) && (a.esz == 1 || a.esz == 2);
    case SIMD_SDOT_v: case SIMD_UDOT_v:
        return arm_feature(env, ARM_FEATURE_DOTPROD) && a.esz == 2;
    default:
        break;
    }
    if ((a.form == FORM_S || a.form == FORM_SX) && a.esz == 3 &&
        (is_long3(base) || base == SIMD_SQXTN_v || base == SIMD_UQXTN_v ||
         base == SIMD_SQXTUN_v)) {
        return false;
    }
    if (base == SIMD_EXT_v && !a.q && a.imm >= 8) {
        return false;
    }
    if (a.form == FORM_V || a.form == FORM_X) {
        if (is_long3(base) || base == SIMD_SSHLL_v || base == SIMD_USHLL_v ||
            base == SIMD_SHLL_v || base == SIMD_SADDLP_v ||
            base == SIMD_UADDLP_v || base == SIMD_SADALP_v ||
            base == SIMD_UADALP_v || base == SIMD_XTN_v ||
            base == SIMD_SQXTN_v || base == SIMD_UQXTN_v ||
            base == SIMD_SQXTUN_v || base == SIMD_ADDHN_v ||
            base == SIMD_RADDHN_v || base == SIMD_SUBHN_v ||
            base == SIMD_RSUBHN_v || base == SIMD_SADDLV_v ||
            base == SIMD_UADDLV_v) {
            if (a.esz == 3) {
                return false;
            }
        } else if (a.esz == 3 && !a.q && base != SIMD_FCVTN_v &&
                   base != SIMD_FCVTL_v && base != SIMD_FCVTXN_v &&
                   base != SIMD_MOVI_vi && base != SIMD_FMOV_vi) {
            return false;
        }
    }
    switch (base) {
    case SIMD_MUL_v: case SIMD_MLA_v: case SIMD_MLS_v:
    case SIMD_SMAXP_v: case SIMD_SMINP_v: case SIMD_UMAXP_v:
    case SIMD_UMINP_v: case SIMD_SHADD_v: case SIMD_UHADD_v:
    case SIMD_SRHADD_v: case SIMD_URHADD_v: case SIMD_SHSUB_v:
    case SIMD_UHSUB_v: case SIMD_SMAX_v: case SIMD_SMIN_v: case SIMD_UMAX_v:
    case SIMD_UMIN_v: case SIMD_SABD_v: case SIMD_UABD_v: case SIMD_SABA_v:
    case SIMD_UABA_v:
        return a.esz != 3;
    case SIMD_PMUL_v: case SIMD_CNT_v: case SIMD_RBIT_v: case SIMD_NOT_v:
        return a.esz == 0;
    case SIMD_PMULL_v:
        return a.esz == 0 || a.esz == 3;
    case SIMD_SQDMULH_v: case SIMD_SQRDMULH_v: case SIMD_SQDMULL_v:
    case SIMD_SQDMLAL_v: case SIMD_SQDMLSL_v:
        return a.esz == 1 || a.esz == 2;
    case SIMD_ADDV_v: case SIMD_SMAXV_v: case SIMD_SMINV_v:
    case SIMD_UMAXV_v: case SIMD_UMINV_v: case SIMD_SADDLV_v:
    case SIMD_UADDLV_v:
        return a.esz < 2 || (a.esz == 2 && a.q);
    case SIMD_FMAXV_v: case SIMD_FMINV_v: case SIMD_FMAXNMV_v:
    case SIMD_FMINNMV_v:
        return a.esz == 2 && a.q;
    case SIMD_REV64_v:
        return a.esz != 3;
    case SIMD_REV32_v:
        return a.esz < 2;
    case SIMD_REV16_v:
        return a.esz == 0;
    case SIMD_CLS_v: case SIMD_CLZ_v:
        return a.esz != 3;
    case SIMD_FCVTN_v: case SIMD_FCVTL_v: case SIMD_FCVTXN_v:
        return a.esz == 2 || a.esz == 3;
    case SIMD_URECPE_v: case SIMD_URSQRTE_v:
        return a.esz == 2;
    case SIMD_FMOV_vi:
        return a.opb ? a.q : true;
    default:
        break;
    }
    if (is_fp_base(base) && a.form == FORM_S && is_pairwise(base)) {
        return true;
    }
    if (base == SIMD_ADDP_v && a.form == FORM_S) {
        return a.esz == 3;
    }
    if (a.form == FORM_S && (base == SIMD_ADD_v || base == SIMD_SUB_v ||
                             base == SIMD_CMGT_v || base == SIMD_CMGE_v ||
                             base == SIMD_CMHI_v || base == SIMD_CMHS_v ||
                             base == SIMD_CMEQ_v || base == SIMD_CMTST_v ||
                             base == SIMD_SSHL_v || base == SIMD_USHL_v ||
                             base == SIMD_SRSHL_v || base == SIMD_URSHL_v ||
                             base == SIMD_ABS_v || base == SIMD_NEG_v ||
                             base == SIMD_CMGT0_v || base == SIMD_CMEQ0_v ||
                             base == SIMD_CMLT0_v || base == SIMD_CMGE0_v ||
                             base == SIMD_CMLE0_v)) {
        return a.esz == 3;
    }
    return true;
}
