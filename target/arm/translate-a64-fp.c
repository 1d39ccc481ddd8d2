/*
 * A64 scalar floating point (a64-fp.decode): data processing, compares,
 * selects, immediates and conversions, for single and double precision
 * (half precision only in FCVT: FEAT_FP16 is not implemented).  The
 * arithmetic is in vfp_helper.c.  Advanced SIMD: translate-a64-simd.c.
 */
#include "turtle/osdep.h"
#include "target/arm/translate-a64.h"

#include "target/arm/decode-a64-fp.h"

/* type field: 0 single, 1 double, 3 half (FP16 only), 2 reserved */
static bool fp_type_ok(DisasContext *s, int type)
{
    return type == 0 || type == 1;
}

static TCGv_i64 read_fp_d(int reg)
{
    TCGv_i64 v = tcg_temp_new_i64();

    tcg_gen_ld_i64(v, tcg_env, vreg_ofs(reg, 0));
    return v;
}

static TCGv_i32 read_fp_s(int reg)
{
    TCGv_i32 v = tcg_temp_new_i32();

    tcg_gen_ld_i32(v, tcg_env, vreg_ofs(reg, 0));
    return v;
}

/* scalar writes zero the rest of the vector register */
static void write_fp_d(DisasContext *s, int reg, TCGv_i64 v)
{
    tcg_gen_st_i64(v, tcg_env, vreg_ofs(reg, 0));
    clear_vec_high(s, reg);
}

static void write_fp_s(DisasContext *s, int reg, TCGv_i32 v)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_extu_i32_i64(t, v);
    write_fp_d(s, reg, t);
}

/* read as a 64-bit value of the register's low bits for type */
static TCGv_i64 read_fp_any(int reg, int type)
{
    TCGv_i64 v = read_fp_d(reg);

    if (type == 0) {
        tcg_gen_ext32u_i64(v, v);
    } else if (type == 3) {
        tcg_gen_ext16u_i64(v, v);
    }
    return v;
}

/* ---- one source ---- */

static bool trans_FMOV(DisasContext *s, arg_fp2 *a)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (fp_access_check(s)) {
        write_fp_d(s, a->rd, read_fp_any(a->rn, a->type));
    }
    return true;
}

static bool do_sign_op(DisasContext *s, arg_fp2 *a, bool neg)
{
    TCGv_i64 v;
    uint64_t sign;

    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    v = read_fp_any(a->rn, a->type);
    sign = a->type == 1 ? 1ull << 63 : 1ull << 31;
    if (neg) {
        tcg_gen_xori_i64(v, v, sign);
    } else {
        tcg_gen_andi_i64(v, v, ~sign);
    }
    write_fp_d(s, a->rd, v);
    return true;
}

static bool trans_FABS(DisasContext *s, arg_fp2 *a)
{
    return do_sign_op(s, a, false);
}

static bool trans_FNEG(DisasContext *s, arg_fp2 *a)
{
    return do_sign_op(s, a, true);
}

static bool trans_FSQRT(DisasContext *s, arg_fp2 *a)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    if (a->type == 1) {
        TCGv_i64 r = tcg_temp_new_i64();

        gen_helper_vfp_sqrtd(r, tcg_env, read_fp_d(a->rn));
        write_fp_d(s, a->rd, r);
    } else {
        TCGv_i32 r = tcg_temp_new_i32();

        gen_helper_vfp_sqrts(r, tcg_env, read_fp_s(a->rn));
        write_fp_s(s, a->rd, r);
    }
    return true;
}

static bool trans_FCVT(DisasContext *s, arg_fcvt *a)
{
    TCGv_i64 r;

    if (a->type == 2 || a->dtype == 2 || a->type == a->dtype) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    r = tcg_temp_new_i64();
    gen_helper_vfp_fcvt(r, tcg_env, read_fp_any(a->rn, a->type),
                        tcg_constant_i32(a->type), tcg_constant_i32(a->dtype));
    write_fp_d(s, a->rd, r);
    return true;
}

static bool trans_FRINT(DisasContext *s, arg_frint *a)
{
    TCGv_i64 r;
    int rmode = a->rmode;
    bool exact = false;

    if (!fp_type_ok(s, a->type) || rmode == 5) {
        return false;
    }
    if (rmode == 6) {                   /* FRINTX: FPCR mode, exact */
        rmode = 7;
        exact = true;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    r = tcg_temp_new_i64();
    gen_helper_vfp_rint(r, tcg_env, read_fp_any(a->rn, a->type),
                        tcg_constant_i32(a->type | (rmode << 1) |
                                         (exact ? 16 : 0)));
    write_fp_d(s, a->rd, r);
    return true;
}

/* ---- two and three sources ---- */

typedef void gen_fp3s(TCGv_i32, TCGv_ptr, TCGv_i32, TCGv_i32);
typedef void gen_fp3d(TCGv_i64, TCGv_ptr, TCGv_i64, TCGv_i64);

static bool do_fp3(DisasContext *s, arg_fp3 *a, gen_fp3s *fs, gen_fp3d *fd)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    if (a->type == 1) {
        TCGv_i64 r = tcg_temp_new_i64();

        fd(r, tcg_env, read_fp_d(a->rn), read_fp_d(a->rm));
        write_fp_d(s, a->rd, r);
    } else {
        TCGv_i32 r = tcg_temp_new_i32();

        fs(r, tcg_env, read_fp_s(a->rn), read_fp_s(a->rm));
        write_fp_s(s, a->rd, r);
    }
    return true;
}

#define FP3(NAME, name) \
static bool trans_##NAME(DisasContext *s, arg_fp3 *a) \
{ \
    return do_fp3(s, a, gen_helper_vfp_##name##s, gen_helper_vfp_##name##d); \
}
FP3(FMUL, mul)
FP3(FDIV, div)
FP3(FADD, add)
FP3(FSUB, sub)
FP3(FMAX, max)
FP3(FMIN, min)
FP3(FMAXNM, maxnm)
FP3(FMINNM, minnm)
FP3(FNMUL, nmul)

/* rd = (neg_a ? -ra : ra) + (neg_n ? -rn : rn) * rm, one rounding */
static bool do_fmadd(DisasContext *s, arg_fp4 *a, bool neg_a, bool neg_n)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    if (a->type == 1) {
        TCGv_i64 r = tcg_temp_new_i64();
        TCGv_i64 va = read_fp_d(a->ra), vn = read_fp_d(a->rn);

        if (neg_a) {
            tcg_gen_xori_i64(va, va, 1ull << 63);
        }
        if (neg_n) {
            tcg_gen_xori_i64(vn, vn, 1ull << 63);
        }
        gen_helper_vfp_muladdd(r, tcg_env, va, vn, read_fp_d(a->rm));
        write_fp_d(s, a->rd, r);
    } else {
        TCGv_i32 r = tcg_temp_new_i32();
        TCGv_i32 va = read_fp_s(a->ra), vn = read_fp_s(a->rn);

        if (neg_a) {
            tcg_gen_xori_i32(va, va, 0x80000000);
        }
        if (neg_n) {
            tcg_gen_xori_i32(vn, vn, 0x80000000);
        }
        gen_helper_vfp_muladds(r, tcg_env, va, vn, read_fp_s(a->rm));
        write_fp_s(s, a->rd, r);
    }
    return true;
}

static bool trans_FMADD(DisasContext *s, arg_fp4 *a)
{
    return do_fmadd(s, a, false, false);
}

static bool trans_FMSUB(DisasContext *s, arg_fp4 *a)
{
    return do_fmadd(s, a, false, true);
}

static bool trans_FNMADD(DisasContext *s, arg_fp4 *a)
{
    return do_fmadd(s, a, true, true);
}

static bool trans_FNMSUB(DisasContext *s, arg_fp4 *a)
{
    return do_fmadd(s, a, true, false);
}

/* ---- compares and selects ---- */

static void gen_set_nzcv_from(TCGv_i32 nzcv)
{
    tcg_gen_andi_i32(cpu_NF, nzcv, 0x80000000);
    tcg_gen_andi_i32(cpu_ZF, nzcv, 0x40000000);
    tcg_gen_xori_i32(cpu_ZF, cpu_ZF, 0x40000000);
    tcg_gen_extract_i32(cpu_CF, nzcv, 29, 1);
    tcg_gen_shli_i32(cpu_VF, nzcv, 3);
    tcg_gen_andi_i32(cpu_VF, cpu_VF, 0x80000000);
}

static void gen_fcmp(int type, int rn, int rm, bool z, bool e)
{
    TCGv_i32 nzcv = tcg_temp_new_i32();

    if (type == 1) {
        gen_helper_vfp_cmpd(nzcv, tcg_env, read_fp_d(rn),
                            z ? tcg_constant_i64(0) : read_fp_d(rm),
                            tcg_constant_i32(e));
    } else {
        gen_helper_vfp_cmps(nzcv, tcg_env, read_fp_s(rn),
                            z ? tcg_constant_i32(0) : read_fp_s(rm),
                            tcg_constant_i32(e));
    }
    gen_set_nzcv_from(nzcv);
}

static bool trans_FCMP(DisasContext *s, arg_fcmp *a)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (fp_access_check(s)) {
        gen_fcmp(a->type, a->rn, a->rm, a->z, a->e);
    }
    return true;
}

/* c->cond(value, 0) for an A64 condition, as in translate-a64.c */
static TCGCond fp_test_cc(int cc, TCGv_i32 *value)
{
    TCGv_i32 v;
    TCGCond cond;

    switch (cc >> 1) {
    case 0:
        cond = TCG_COND_EQ;
        *value = cpu_ZF;
        break;
    case 1:
        cond = TCG_COND_NE;
        *value = cpu_CF;
        break;
    case 2:
        cond = TCG_COND_LT;
        *value = cpu_NF;
        break;
    case 3:
        cond = TCG_COND_LT;
        *value = cpu_VF;
        break;
    case 4:
        v = tcg_temp_new_i32();
        tcg_gen_neg_i32(v, cpu_CF);
        tcg_gen_and_i32(v, v, cpu_ZF);
        cond = TCG_COND_NE;
        *value = v;
        break;
    case 5:
        v = tcg_temp_new_i32();
        tcg_gen_xor_i32(v, cpu_NF, cpu_VF);
        cond = TCG_COND_GE;
        *value = v;
        break;
    case 6:
        v = tcg_temp_new_i32();
        tcg_gen_xor_i32(v, cpu_NF, cpu_VF);
        tcg_gen_sari_i32(v, v, 31);
        tcg_gen_andc_i32(v, cpu_ZF, v);
        cond = TCG_COND_NE;
        *value = v;
        break;
    default:
        *value = cpu_ZF;
        return TCG_COND_ALWAYS;
    }
    return (cc & 1) ? tcg_invert_cond(cond) : cond;
}

static bool trans_FCCMP(DisasContext *s, arg_fccmp *a)
{
    TCGv_i32 value;
    TCGCond cond;
    TCGLabel *l_false, *l_done;

    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    cond = fp_test_cc(a->cond, &value);
    if (cond == TCG_COND_ALWAYS) {
        gen_fcmp(a->type, a->rn, a->rm, false, a->e);
        return true;
    }
    l_false = gen_new_label();
    l_done = gen_new_label();
    tcg_gen_brcondi_i32(tcg_invert_cond(cond), value, 0, l_false);
    gen_fcmp(a->type, a->rn, a->rm, false, a->e);
    tcg_gen_br(l_done);
    gen_set_label(l_false);
    gen_set_nzcv_from(tcg_constant_i32(a->nzcv << 28));
    gen_set_label(l_done);
    return true;
}

static bool trans_FCSEL(DisasContext *s, arg_fcsel *a)
{
    TCGv_i32 value;
    TCGv_i64 v, r;
    TCGCond cond;

    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (!fp_access_check(s)) {
        return true;
    }
    cond = fp_test_cc(a->cond, &value);
    r = tcg_temp_new_i64();
    if (cond == TCG_COND_ALWAYS) {
        tcg_gen_mov_i64(r, read_fp_any(a->rn, a->type));
    } else {
        v = tcg_temp_new_i64();
        tcg_gen_ext_i32_i64(v, value);
        tcg_gen_movcond_i64(cond, r, v, tcg_constant_i64(0),
                            read_fp_any(a->rn, a->type),
                            read_fp_any(a->rm, a->type));
    }
    write_fp_d(s, a->rd, r);
    return true;
}

/* VFPExpandImm */
static uint64_t vfp_expand_imm(int type, int imm8)
{
    uint64_t sign = (imm8 >> 7) & 1, b6 = (imm8 >> 6) & 1;
    uint64_t low = imm8 & 0x3f;

    if (type == 1) {
        return (sign << 63) | ((b6 ^ 1) << 62) |
               ((b6 ? 0xffull : 0) << 54) | (low << 48);
    }
    return (sign << 31) | ((b6 ^ 1) << 30) | ((b6 ? 0x1fu : 0) << 25) |
           (low << 19);
}

static bool trans_FMOV_i(DisasContext *s, arg_fmov_i *a)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (fp_access_check(s)) {
        write_fp_d(s, a->rd,
                   tcg_constant_i64(vfp_expand_imm(a->type, a->imm)));
    }
    return true;
}

/* ---- conversions ---- */

static void gen_f2i(DisasContext *s, int rd, int rn, int type, bool sf,
                    int rmode, bool u, int fbits)
{
    TCGv_i64 r = tcg_temp_new_i64();

    gen_helper_vfp_f2i(r, tcg_env, read_fp_any(rn, type),
                       tcg_constant_i32(type | (rmode << 1) | (u ? 16 : 0) |
                                        (sf ? 32 : 0) | (fbits << 8)));
    if (rd != 31) {
        tcg_gen_mov_i64(cpu_X[rd], r);
    }
}

static void gen_i2f(DisasContext *s, int rd, int rn, int type, bool sf,
                    bool u, int fbits)
{
    TCGv_i64 r = tcg_temp_new_i64();

    gen_helper_vfp_i2f(r, tcg_env, cpu_reg(s, rn),
                       tcg_constant_i32(type | (sf ? 2 : 0) | (u ? 4 : 0) |
                                        (fbits << 8)));
    write_fp_d(s, rd, r);
}

static bool trans_FCVT_f2i(DisasContext *s, arg_fcvt_f2i *a)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (fp_access_check(s)) {
        gen_f2i(s, a->rd, a->rn, a->type, a->sf, a->rmode, a->u, 0);
    }
    return true;
}

static bool trans_CVTF_i2f(DisasContext *s, arg_cvtf_i2f *a)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (fp_access_check(s)) {
        gen_i2f(s, a->rd, a->rn, a->type, a->sf, a->u, 0);
    }
    return true;
}

static bool trans_FCVT_f2fix(DisasContext *s, arg_fcvt_fix *a)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (fp_access_check(s)) {
        gen_f2i(s, a->rd, a->rn, a->type, a->sf, 3, a->u, 64 - a->scale);
    }
    return true;
}

static bool trans_CVTF_fix2f(DisasContext *s, arg_fcvt_fix *a)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (fp_access_check(s)) {
        gen_i2f(s, a->rd, a->rn, a->type, a->sf, a->u, 64 - a->scale);
    }
    return true;
}

static bool trans_FMOV_f2g(DisasContext *s, arg_fmov_g *a)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (fp_access_check(s) && a->rd != 31) {
        tcg_gen_mov_i64(cpu_X[a->rd], read_fp_any(a->rn, a->type));
    }
    return true;
}

static bool trans_FMOV_g2f(DisasContext *s, arg_fmov_g *a)
{
    if (!fp_type_ok(s, a->type)) {
        return false;
    }
    if (fp_access_check(s)) {
        TCGv_i64 v = read_cpu_reg(s, a->rn, a->type == 1);

        write_fp_d(s, a->rd, v);
    }
    return true;
}

static bool trans_FMOV_f2g_hi(DisasContext *s, arg_fmov_g *a)
{
    if (fp_access_check(s) && a->rd != 31) {
        tcg_gen_ld_i64(cpu_X[a->rd], tcg_env, vreg_ofs(a->rn, 1));
    }
    return true;
}

static bool trans_FMOV_g2f_hi(DisasContext *s, arg_fmov_g *a)
{
    if (fp_access_check(s)) {
        tcg_gen_st_i64(cpu_reg(s, a->rn), tcg_env, vreg_ofs(a->rd, 1));
    }
    return true;
}

static bool trans_FJCVTZS(DisasContext *s, arg_fp2 *a)
{
    return false;                       /* FEAT_JSCVT not implemented */
}

bool disas_a64_fp_all(DisasContext *s, uint32_t insn)
{
    if (disas_a64_fp(s, insn)) {
        return true;
    }
    if (disas_a64_simd_all(s, insn)) {
        return true;
    }
    /* op0 x111: SIMD&FP data processing; trap before UNDEFINED */
    if ((insn & 0x0e000000) == 0x0e000000) {
        if (!fp_access_check(s)) {
            return true;
        }
    }
    return false;
}
