/*
 * The x87 FPU for TCG (SDM Vol. 1 chapter 8): the register stack with its
 * tags and stack faults, arithmetic through fpu/'s floatx80 (bit-exact:
 * precision and rounding control from FCW), the status word with the
 * exception flags, ES/B and C0-C3, pending exceptions reported as #MF by
 * the next waiting instruction (CR0.NE), the last instruction and operand
 * pointers, FSTENV/FLDENV/FSAVE/FRSTOR, BCD loads and stores.
 *
 * The transcendental instructions (F2XM1 FYL2X FYL2XP1 FPTAN FPATAN FSIN
 * FCOS FSINCOS) run on the host's x87 on x86-64 hosts, which gives the
 * hardware's results; elsewhere they use long double libm functions.
 *
 * Unmasked exceptions: invalid, denormal and divide-by-zero leave the
 * destination unchanged; overflow and underflow store the masked result
 * (the exponent bias adjustment of SDM 8.4.3 is not applied).
 */
#include "turtle/osdep.h"
#include "target/i386/x86-tcg.h"
#include <math.h>

#define HELPER_H "target/i386/helper.h"
#include "tcg/helper-proto.h"

#define FPUS_IE  0x0001
#define FPUS_DE  0x0002
#define FPUS_ZE  0x0004
#define FPUS_OE  0x0008
#define FPUS_UE  0x0010
#define FPUS_PE  0x0020
#define FPUS_SF  0x0040
#define FPUS_ES  0x0080
#define FPUS_C0  0x0100
#define FPUS_C1  0x0200
#define FPUS_C2  0x0400
#define FPUS_C3  0x4000
#define FPUS_B   0x8000
#define FPUS_CC  (FPUS_C0 | FPUS_C1 | FPUS_C2 | FPUS_C3)
#define FT0_INDEX 8

static floatx80 *st(CPUX86State *env, int i)
{
    return &env->fpregs[(env->fpstt + i) & 7];
}

static bool st_empty(CPUX86State *env, int i)
{
    return env->fptags[(env->fpstt + i) & 7];
}

static void st_set(CPUX86State *env, int i, floatx80 v)
{
    int r = (env->fpstt + i) & 7;

    env->fpregs[r] = v;
    env->fptags[r] = 0;
}

static void update_es(CPUX86State *env)
{
    if (env->fpus & ~env->fpuc & 0x3f) {
        env->fpus |= FPUS_ES | FPUS_B;
    } else {
        env->fpus &= ~(FPUS_ES | FPUS_B);
    }
}

static floatx80 indefinite(void)
{
    return make_floatx80(0xffff, 0xc000000000000000ull);
}

/* stack fault (SDM 8.5.1.1): IE and SF, C1 = 1 for overflow; true if the
 * invalid-operation exception is masked (the caller goes on), else the
 * instruction stores nothing and does not pop */
static bool stack_fault(CPUX86State *env, bool overflow)
{
    env->fpus |= FPUS_IE | FPUS_SF;
    env->fpus = (env->fpus & ~FPUS_C1) | (overflow ? FPUS_C1 : 0);
    update_es(env);
    if (!(env->fpuc & FPUS_IE)) {
        env->fp_skip_pop = 1;
        return false;
    }
    return true;
}

static void fpu_begin(CPUX86State *env)
{
    env->fp_status.flags = 0;
}

/* the softfloat flags as FSW exception bits */
static uint16_t fpu_flags(CPUX86State *env)
{
    uint16_t f = env->fp_status.flags, ex = 0;

    if (f & float_flag_invalid) {
        ex |= FPUS_IE;
    }
    if (f & float_flag_denormal_operand) {
        ex |= FPUS_DE;
    }
    if (f & float_flag_divbyzero) {
        ex |= FPUS_ZE;
    }
    if (f & float_flag_overflow) {
        ex |= FPUS_OE;
    }
    if (f & float_flag_underflow) {
        ex |= FPUS_UE;
    }
    if (f & float_flag_inexact) {
        ex |= FPUS_PE;
    }
    return ex;
}

/* an unmasked invalid, denormal or divide-by-zero: no result stored */
static bool fpu_result_ok(CPUX86State *env, uint16_t ex)
{
    return !(ex & ~env->fpuc & (FPUS_IE | FPUS_DE | FPUS_ZE));
}

/*
 * Fold the exception bits into FSW; C1 = rounded up.  Returns false when
 * an unmasked invalid, denormal or divide-by-zero exception means the
 * result must not be stored (nor the stack popped).
 */
static bool fpu_commit(CPUX86State *env, uint16_t ex)
{
    env->fpus &= ~FPUS_C1;
    if (env->fp_status.flags & float_flag_rounded_up) {
        env->fpus |= FPUS_C1;
    }
    env->fpus |= ex;
    update_es(env);
    if (!fpu_result_ok(env, ex)) {
        env->fp_skip_pop = 1;
        return false;
    }
    return true;
}

static bool fpu_end(CPUX86State *env)
{
    return fpu_commit(env, fpu_flags(env));
}

/* push v (a stack overflow loads the indefinite if masked); C1 = 0 */
static void fpush(CPUX86State *env, floatx80 v)
{
    int r = (env->fpstt - 1) & 7;

    if (!env->fptags[r]) {
        if (!stack_fault(env, true)) {
            return;
        }
        v = indefinite();
    } else {
        env->fpus &= ~FPUS_C1;
    }
    env->fpstt = r;
    env->fpregs[r] = v;
    env->fptags[r] = 0;
}

/* operand ST(i): empty -> stack underflow; false: stop (unmasked) */
static bool read_st(CPUX86State *env, int i, floatx80 *v)
{
    if (st_empty(env, i)) {
        *v = indefinite();
        return stack_fault(env, false);
    }
    *v = *st(env, i);
    return true;
}

/*
 * ST0 .. ST(n-1) as operands: 1 = read into v[]; 0 = an unmasked stack
 * underflow (stop); -1 = a masked one: the destination gets the
 * indefinite, nothing is computed (as the hardware)
 */
static int st_operands(CPUX86State *env, int n, floatx80 *v)
{
    for (int i = 0; i < n; i++) {
        if (st_empty(env, i)) {
            return stack_fault(env, false) ? -1 : 0;
        }
    }
    for (int i = 0; i < n; i++) {
        v[i] = *st(env, i);
    }
    return 1;
}

/* a push would overflow: the fault, and with it masked the indefinite
 * pushed (loads do not convert their operand then) */
static bool push_overflows(CPUX86State *env)
{
    if (env->fptags[(env->fpstt - 1) & 7]) {
        return false;
    }
    fpush(env, indefinite());
    return true;
}

/* ---- prologue of every non-control instruction ---- */

void helper_fpu_prep(CPUX86State *env, uint32_t info, uint64_t a0)
{
    if ((env->fpus & FPUS_ES) && (env->cr[0] & CR0_NE_MASK)) {
        x86_raise_exception_ra(env, EXCP10_COPR, GETPC());
    }
    env->fp_skip_pop = 0;
    env->fpop = info & 0x7ff;
    env->fpip = env->rip;
    env->fpcs = env->segs[R_CS].selector;
    if (info & 0x10000) {
        env->fpdp = a0;
        env->fpds = env->segs[(info >> 17) & 7].selector;
    }
}

/* ---- loads ---- */

/*
 * Memory operands of arithmetic and compares (FT0): the conversion's
 * flags (invalid for a signalling NaN) are kept for the operation; a
 * denormal source signals DE only if no NaN operand, invalid operation or
 * division by zero decides the result (as the hardware does).
 */
static void ft0_load(CPUX86State *env, floatx80 v, bool denormal)
{
    env->ft0 = v;
    env->ft0_flags = env->fp_status.flags & ~float_flag_denormal_operand;
    env->ft0_den = denormal;
}

/* a NaN operand keeps its kind (a signalling NaN loses against a quiet
 * one in the operation, SDM Table 4-7), so it is widened unquieted */
void helper_flds_FT0(CPUX86State *env, uint64_t v)
{
    fpu_begin(env);
    if (float32_is_any_nan(v)) {
        ft0_load(env, make_floatx80(((v >> 16) & 0x8000) | 0x7fff,
                                    (1ull << 63) | ((v & 0x7fffffull) << 40)),
                 false);
        return;
    }
    ft0_load(env, float32_to_floatx80(v, &env->fp_status),
             float32_is_denormal(v));
}

void helper_fldl_FT0(CPUX86State *env, uint64_t v)
{
    fpu_begin(env);
    if (float64_is_any_nan(v)) {
        ft0_load(env, make_floatx80(((v >> 48) & 0x8000) | 0x7fff,
                                    (1ull << 63) |
                                    ((v & 0xfffffffffffffull) << 11)), false);
        return;
    }
    ft0_load(env, float64_to_floatx80(v, &env->fp_status),
             float64_is_denormal(v));
}

void helper_fildq_FT0(CPUX86State *env, uint64_t v)
{
    fpu_begin(env);
    ft0_load(env, int64_to_floatx80(v, &env->fp_status), false);
}

/* start an operation that may use FT0 */
static void fpu_begin_ft0(CPUX86State *env, bool uses_ft0)
{
    env->fp_status.flags = uses_ft0 ? env->ft0_flags : 0;
}

static void ft0_denormal(CPUX86State *env, floatx80 other)
{
    if (env->ft0_den && !floatx80_is_any_nan(other) &&
        !(env->fp_status.flags & (float_flag_invalid | float_flag_divbyzero))) {
        env->fp_status.flags |= float_flag_denormal_operand;
    }
}

void helper_flds_ST0(CPUX86State *env, uint64_t v)
{
    floatx80 r;

    if (push_overflows(env)) {
        return;
    }
    fpu_begin(env);
    r = float32_to_floatx80(v, &env->fp_status);
    if (fpu_end(env)) {
        fpush(env, r);
    }
}

void helper_fldl_ST0(CPUX86State *env, uint64_t v)
{
    floatx80 r;

    if (push_overflows(env)) {
        return;
    }
    fpu_begin(env);
    r = float64_to_floatx80(v, &env->fp_status);
    if (fpu_end(env)) {
        fpush(env, r);
    }
}

void helper_fildq_ST0(CPUX86State *env, uint64_t v)
{
    fpush(env, int64_to_floatx80(v, &env->fp_status));
}

static floatx80 ld80(CPUX86State *env, uint64_t a0, uintptr_t ra)
{
    int idx = x86_mmu_index_of(env);
    uint64_t lo = cpu_ldq_le_mmuidx_ra(env, a0, idx, ra);
    uint16_t hi = cpu_lduw_le_mmuidx_ra(env, a0 + 8, idx, ra);

    return make_floatx80(hi, lo);
}

static void st80(CPUX86State *env, uint64_t a0, floatx80 v, uintptr_t ra)
{
    int idx = x86_mmu_index_of(env);

    x86_probe_range(env, a0, 10, MMU_DATA_STORE, idx, ra);
    cpu_stq_le_mmuidx_ra(env, a0, v.low, idx, ra);
    cpu_stw_le_mmuidx_ra(env, a0 + 8, v.high, idx, ra);
}

void helper_fldt_ST0(CPUX86State *env, uint64_t a0)
{
    fpush(env, ld80(env, a0, GETPC()));
}

void helper_fld_STi(CPUX86State *env, uint32_t i)
{
    if (st_empty(env, i)) {
        /* underflow (C1 = 0); masked, the indefinite goes in even over a
         * full register */
        if (stack_fault(env, false)) {
            env->fpstt = (env->fpstt - 1) & 7;
            st_set(env, 0, indefinite());
        }
        return;
    }
    fpush(env, *st(env, i));
}

/* FBLD: 18 packed BCD digits and a sign byte */
void helper_fbld_ST0(CPUX86State *env, uint64_t a0)
{
    int idx = x86_mmu_index_of(env);
    uintptr_t ra = GETPC();
    uint64_t v = 0;
    floatx80 r;

    for (int i = 8; i >= 0; i--) {
        uint8_t b = cpu_ldub_mmuidx_ra(env, a0 + i, idx, ra);

        v = v * 100 + (b >> 4) * 10 + (b & 15);
    }
    r = int64_to_floatx80(v, &env->fp_status);
    if (cpu_ldub_mmuidx_ra(env, a0 + 9, idx, ra) & 0x80) {
        r = floatx80_chs(r);
    }
    fpush(env, r);
}

/* ---- stores ---- */

/*
 * FST/FSTP m32fp/m64fp, FIST/FISTP/FISTTP m16/32/64int: info = kind | 0x100
 * truncate; kinds 0 m32fp, 1 m64fp, 2 m16int, 3 m32int, 4 m64int.  The
 * value is converted first; an unmasked invalid, denormal (or, to a float
 * in memory, overflow or underflow: SDM 8.5.4-5) stores nothing and does
 * not pop; a faulting store leaves FSW as it was.
 */
void helper_fst_mem(CPUX86State *env, uint64_t a0, uint32_t info)
{
    int idx = x86_mmu_index_of(env), kind = info & 0xff;
    bool trunc = info & 0x100;
    uintptr_t ra = GETPC();
    float_status *fs = &env->fp_status;
    floatx80 v;
    uint64_t r;
    uint16_t ex, stop = FPUS_IE | FPUS_DE | FPUS_ZE;

    if (!read_st(env, 0, &v)) {
        return;
    }
    fpu_begin(env);
    switch (kind) {
    case 0:
        r = floatx80_to_float32(v, fs);
        stop |= FPUS_OE | FPUS_UE;
        break;
    case 1:
        r = floatx80_to_float64(v, fs);
        stop |= FPUS_OE | FPUS_UE;
        break;
    case 2:
        r = (uint16_t)(trunc ? floatx80_to_int16_round_to_zero(v, fs)
                             : floatx80_to_int16(v, fs));
        break;
    case 3:
        r = (uint32_t)(trunc ? floatx80_to_int32_round_to_zero(v, fs)
                             : floatx80_to_int32(v, fs));
        break;
    default:
        r = trunc ? floatx80_to_int64_round_to_zero(v, fs)
                  : floatx80_to_int64(v, fs);
        break;
    }
    ex = fpu_flags(env);
    if (ex & ~env->fpuc & stop) {
        fpu_commit(env, ex);
        env->fp_skip_pop = 1;
        return;
    }
    switch (kind) {
    case 0:
    case 3:
        cpu_stl_le_mmuidx_ra(env, a0, r, idx, ra);
        break;
    case 2:
        cpu_stw_le_mmuidx_ra(env, a0, r, idx, ra);
        break;
    default:
        cpu_stq_le_mmuidx_ra(env, a0, r, idx, ra);
        break;
    }
    fpu_commit(env, ex);
}

void helper_fstt_ST0(CPUX86State *env, uint64_t a0)
{
    floatx80 v;

    if (read_st(env, 0, &v)) {
        st80(env, a0, v, GETPC());
        env->fpus &= ~FPUS_C1;
    }
}

void helper_fbst_ST0(CPUX86State *env, uint64_t a0)
{
    int idx = x86_mmu_index_of(env);
    uintptr_t ra = GETPC();
    floatx80 v;
    int64_t iv;
    uint64_t u;
    bool neg;

    if (!read_st(env, 0, &v)) {
        return;
    }
    x86_probe_range(env, a0, 10, MMU_DATA_STORE, idx, ra);
    fpu_begin(env);
    iv = floatx80_to_int64(v, &env->fp_status);
    neg = floatx80_is_neg(v);
    u = neg ? -(uint64_t)iv : (uint64_t)iv;
    if (floatx80_is_any_nan(v) || floatx80_is_infinity(v) ||
        u > 999999999999999999ull) {
        /* invalid: the packed BCD indefinite (unmasked: nothing) */
        env->fp_status.flags |= float_flag_invalid;
        if (!fpu_end(env)) {
            return;
        }
        for (int i = 0; i < 7; i++) {
            cpu_stb_mmuidx_ra(env, a0 + i, 0, idx, ra);
        }
        cpu_stb_mmuidx_ra(env, a0 + 7, 0xc0, idx, ra);
        cpu_stb_mmuidx_ra(env, a0 + 8, 0xff, idx, ra);
        cpu_stb_mmuidx_ra(env, a0 + 9, 0xff, idx, ra);
        return;
    }
    fpu_end(env);
    for (int i = 0; i < 9; i++) {
        uint8_t b = u % 10;

        u /= 10;
        b |= (u % 10) << 4;
        u /= 10;
        cpu_stb_mmuidx_ra(env, a0 + i, b, idx, ra);
    }
    cpu_stb_mmuidx_ra(env, a0 + 9, neg ? 0x80 : 0, idx, ra);
}

void helper_fst_STi(CPUX86State *env, uint32_t i)
{
    floatx80 v;

    if (read_st(env, 0, &v)) {
        env->fpus &= ~FPUS_C1;
        st_set(env, i, v);
    }
}

void helper_fpop(CPUX86State *env)
{
    if (env->fp_skip_pop) {
        return;             /* an unmasked exception: the stack stays */
    }
    env->fptags[env->fpstt] = 1;
    env->fpstt = (env->fpstt + 1) & 7;
}

/* ---- arithmetic ---- */

enum { X87_ADD, X87_MUL, X87_COM, X87_COMP, X87_SUB, X87_SUBR, X87_DIV,
       X87_DIVR };

void helper_farith(CPUX86State *env, uint32_t op, uint32_t dst, uint32_t src)
{
    floatx80 a, b, r;
    float_status *s = &env->fp_status;

    if (!read_st(env, dst, &a)) {
        return;
    }
    if (src == FT0_INDEX) {
        b = env->ft0;
    } else if (!read_st(env, src, &b)) {
        return;
    }
    if (st_empty(env, dst) || (src != FT0_INDEX && st_empty(env, src))) {
        st_set(env, dst, indefinite());     /* masked underflow */
        return;
    }
    fpu_begin_ft0(env, src == FT0_INDEX);
    switch (op) {
    case X87_ADD:
        r = floatx80_add(a, b, s);
        break;
    case X87_MUL:
        r = floatx80_mul(a, b, s);
        break;
    case X87_SUB:
        r = floatx80_sub(a, b, s);
        break;
    case X87_SUBR:
        r = floatx80_sub(b, a, s);
        break;
    case X87_DIV:
        r = floatx80_div(a, b, s);
        break;
    default:
        r = floatx80_div(b, a, s);
        break;
    }
    if (src == FT0_INDEX) {
        ft0_denormal(env, a);
    }
    if (fpu_end(env)) {
        st_set(env, dst, r);
    }
}

/* C3 C2 C0 of a comparison: > 000, < 001, = 100, unordered 111 */
static uint16_t cc_of(FloatRelation r)
{
    switch (r) {
    case float_relation_less:
        return FPUS_C0;
    case float_relation_equal:
        return FPUS_C3;
    case float_relation_greater:
        return 0;
    default:
        return FPUS_C0 | FPUS_C2 | FPUS_C3;
    }
}

static FloatRelation compare(CPUX86State *env, uint32_t src, bool quiet,
                             bool *ok)
{
    floatx80 a, b;
    FloatRelation r;

    *ok = read_st(env, 0, &a);
    if (src == FT0_INDEX) {
        b = env->ft0;
    } else if (*ok) {
        *ok = read_st(env, src, &b);
    }
    if (!*ok) {
        return float_relation_unordered;
    }
    if (st_empty(env, 0) || (src != FT0_INDEX && st_empty(env, src))) {
        return float_relation_unordered;
    }
    fpu_begin_ft0(env, src == FT0_INDEX);
    r = quiet ? floatx80_compare_quiet(a, b, &env->fp_status)
              : floatx80_compare(a, b, &env->fp_status);
    if (src == FT0_INDEX) {
        ft0_denormal(env, a);
    }
    *ok = fpu_end(env);
    return r;
}

void helper_fcom(CPUX86State *env, uint32_t src, uint32_t quiet)
{
    bool ok;
    FloatRelation r = compare(env, src, quiet, &ok);

    /* unordered also after an unmasked invalid (as the hardware) */
    env->fpus = (env->fpus & ~FPUS_CC) | cc_of(r);
}

/* FCOMI: ZF PF CF = the comparison, OF SF AF = 0 */
uint64_t helper_fcomi(CPUX86State *env, uint64_t eflags, uint32_t src,
                      uint32_t quiet)
{
    bool ok;
    FloatRelation r = compare(env, src, quiet, &ok);
    uint64_t f = eflags & ~(uint64_t)CC_MASK;

    env->fpus &= ~FPUS_C1;
    switch (r) {
    case float_relation_less:
        f |= CC_C;
        break;
    case float_relation_equal:
        f |= CC_Z;
        break;
    case float_relation_greater:
        break;
    default:
        f |= CC_Z | CC_P | CC_C;
        break;
    }
    return f;
}

void helper_fxch(CPUX86State *env, uint32_t i)
{
    floatx80 a, b;

    if (st_empty(env, 0) || st_empty(env, i)) {
        if (!stack_fault(env, false)) {
            return;
        }
        a = st_empty(env, 0) ? indefinite() : *st(env, 0);
        b = st_empty(env, i) ? indefinite() : *st(env, i);
    } else {
        a = *st(env, 0);
        b = *st(env, i);
    }
    env->fpus &= ~FPUS_C1;
    st_set(env, 0, b);
    st_set(env, i, a);
}

void helper_ffree(CPUX86State *env, uint32_t i)
{
    env->fptags[(env->fpstt + i) & 7] = 1;
}

/* FCMOVcc: an empty ST0 or ST(i) is a stack underflow whatever the
 * condition (masked: ST0 = indefinite); else ST0 = ST(i) if cond */
void helper_fcmov(CPUX86State *env, uint32_t i, uint64_t cond)
{
    if (st_empty(env, 0) || st_empty(env, i)) {
        if (stack_fault(env, false)) {
            st_set(env, 0, indefinite());
        }
        return;
    }
    if (cond) {
        st_set(env, 0, *st(env, i));
    }
}

/*
 * FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ: the constants rounded to 64
 * bits by the rounding control (SDM 8.3.8): the value rounded down, and
 * whether round-to-nearest goes up.
 */
void helper_fldconst(CPUX86State *env, uint32_t k)
{
    static const struct { uint16_t exp; uint64_t sig; bool near_up; } c[7] = {
        { 0x3fff, 0x8000000000000000ull, false },      /* 1.0 */
        { 0x4000, 0xd49a784bcd1b8afeull, false },      /* log2(10) */
        { 0x3fff, 0xb8aa3b295c17f0bbull, true },       /* log2(e) */
        { 0x4000, 0xc90fdaa22168c234ull, true },       /* pi */
        { 0x3ffd, 0x9a209a84fbcff798ull, true },       /* log10(2) */
        { 0x3ffe, 0xb17217f7d1cf79abull, true },       /* ln(2) */
        { 0x0000, 0, false },                          /* +0.0 */
    };
    uint64_t sig = c[k].sig;
    int rc = (env->fpuc >> 10) & 3;

    if (k >= 1 && k <= 5 && ((rc == 0 && c[k].near_up) || rc == 2)) {
        sig++;                              /* nearest or up */
    }
    env->fpus &= ~FPUS_C1;
    fpush(env, make_floatx80(c[k].exp, sig));
}

void helper_fchs(CPUX86State *env)
{
    floatx80 v;

    if (st_empty(env, 0)) {
        if (stack_fault(env, false)) {
            st_set(env, 0, indefinite());
        }
        return;
    }
    v = *st(env, 0);
    env->fpus &= ~FPUS_C1;
    st_set(env, 0, floatx80_chs(v));
}

void helper_fabs(CPUX86State *env)
{
    floatx80 v;

    if (st_empty(env, 0)) {
        if (stack_fault(env, false)) {
            st_set(env, 0, indefinite());
        }
        return;
    }
    v = *st(env, 0);
    env->fpus &= ~FPUS_C1;
    st_set(env, 0, floatx80_abs(v));
}

void helper_ftst(CPUX86State *env)
{
    env->ft0 = floatx80_zero;
    env->ft0_flags = 0;
    env->ft0_den = 0;
    helper_fcom(env, FT0_INDEX, 0);
    env->fpus &= ~FPUS_C1;
}

/* FXAM: class in C3 C2 C0, sign in C1 */
void helper_fxam(CPUX86State *env)
{
    floatx80 v = *st(env, 0);
    int exp = v.high & 0x7fff;
    uint16_t c;

    if (st_empty(env, 0)) {
        c = FPUS_C3 | FPUS_C0;
    } else if (floatx80_invalid_encoding(v)) {
        c = 0;
    } else if (exp == 0x7fff) {
        c = (v.low << 1) ? FPUS_C0 : FPUS_C2 | FPUS_C0;  /* NaN : inf */
    } else if (exp == 0) {
        c = v.low ? FPUS_C3 | FPUS_C2 : FPUS_C3;         /* denormal : 0 */
    } else {
        c = FPUS_C2;
    }
    if (floatx80_is_neg(v)) {
        c |= FPUS_C1;
    }
    env->fpus = (env->fpus & ~FPUS_CC) | c;
}

void helper_fsqrt(CPUX86State *env)
{
    floatx80 v, r;

    if (!read_st(env, 0, &v)) {
        return;
    }
    fpu_begin(env);
    r = floatx80_sqrt(v, &env->fp_status);
    if (fpu_end(env)) {
        st_set(env, 0, r);
    }
}

void helper_frndint(CPUX86State *env)
{
    floatx80 v, r;

    if (!read_st(env, 0, &v)) {
        return;
    }
    fpu_begin(env);
    r = floatx80_round_to_int(v, &env->fp_status);
    if (fpu_end(env)) {
        st_set(env, 0, r);
    }
}

void helper_fscale(CPUX86State *env)
{
    floatx80 v[2], r;
    int k = st_operands(env, 2, v);

    if (k <= 0) {
        if (k < 0) {
            st_set(env, 0, indefinite());
        }
        return;
    }
    fpu_begin(env);
    r = floatx80_scale(v[0], v[1], &env->fp_status);
    if (fpu_end(env)) {
        st_set(env, 0, r);
    }
}

/* FXTRACT: ST0 = significand (exponent 0), then the exponent pushed */
void helper_fxtract(CPUX86State *env)
{
    floatx80 v, e, m;
    int k;

    if (!st_empty(env, 0) && !env->fptags[(env->fpstt - 1) & 7]) {
        /* no room for the second result: masked, both the indefinite */
        if (stack_fault(env, true)) {
            st_set(env, 0, indefinite());
            env->fpstt = (env->fpstt - 1) & 7;
            st_set(env, 0, indefinite());
        }
        return;
    }
    k = st_operands(env, 1, &v);
    if (k <= 0) {
        if (k < 0) {                    /* both results the indefinite */
            st_set(env, 0, indefinite());
            env->fpstt = (env->fpstt - 1) & 7;
            st_set(env, 0, indefinite());
        }
        return;
    }
    fpu_begin(env);
    if (floatx80_is_zero(v)) {
        /* exponent -inf, divide-by-zero */
        env->fp_status.flags |= float_flag_divbyzero;
        e = floatx80_chs(floatx80_infinity);
        m = v;
    } else if (floatx80_is_any_nan(v) || floatx80_invalid_encoding(v)) {
        if (floatx80_is_signaling_nan(v, &env->fp_status) ||
            floatx80_invalid_encoding(v)) {
            env->fp_status.flags |= float_flag_invalid;
        }
        e = m = floatx80_invalid_encoding(v) ? indefinite()
                                            : floatx80_silence_nan(v, NULL);
    } else if (floatx80_is_infinity(v)) {
        e = floatx80_infinity;
        m = v;
    } else {
        int exp = v.high & 0x7fff;
        uint64_t sig = v.low;

        if (exp == 0) {                     /* denormal: normalise */
            env->fp_status.flags |= float_flag_denormal_operand;
            exp = 1;
            while (!(sig >> 63)) {
                sig <<= 1;
                exp--;
            }
        }
        e = int64_to_floatx80(exp - 0x3fff, &env->fp_status);
        m = make_floatx80((v.high & 0x8000) | 0x3fff, sig);
    }
    if (fpu_end(env)) {
        st_set(env, 0, e);
        fpush(env, m);
    }
}

static void do_fprem(CPUX86State *env, bool ieee)
{
    floatx80 v[2], r;
    uint64_t q = 0;
    bool incomplete = false;
    int k;

    env->fpus &= ~FPUS_C2;              /* C2: incomplete */
    k = st_operands(env, 2, v);
    if (k <= 0) {
        if (k < 0) {
            st_set(env, 0, indefinite());
        }
        return;
    }
    fpu_begin(env);
    r = floatx80_prem(v[0], v[1], ieee, &q, &incomplete, &env->fp_status);
    if (fpu_end(env)) {
        st_set(env, 0, r);
        env->fpus &= ~FPUS_CC;
        if (incomplete) {
            env->fpus |= FPUS_C2;
        } else {
            env->fpus |= (q & 4 ? FPUS_C0 : 0) | (q & 2 ? FPUS_C3 : 0) |
                         (q & 1 ? FPUS_C1 : 0);
        }
    }
}

void helper_fprem(CPUX86State *env)
{
    do_fprem(env, false);
}

void helper_fprem1(CPUX86State *env)
{
    do_fprem(env, true);
}

void helper_fdecstp(CPUX86State *env)
{
    env->fpstt = (env->fpstt - 1) & 7;
    env->fpus &= ~FPUS_C1;
}

void helper_fincstp(CPUX86State *env)
{
    env->fpstt = (env->fpstt + 1) & 7;
    env->fpus &= ~FPUS_C1;
}

/* ---- transcendental instructions ---- */

enum { T_F2XM1, T_FYL2X, T_FYL2XP1, T_FPTAN, T_FPATAN, T_FSIN, T_FCOS,
       T_FSINCOS };

/*
 * Run one transcendental instruction on ST0 (and ST1).  Returns the host
 * status word's exception bits and C2, the results in r0 (ST0 after) and
 * r1 (the second result of FPTAN/FSINCOS, or the new ST0 after the pop of
 * FYL2X/FPATAN).
 */
static uint16_t transcendental(CPUX86State *env, int op, floatx80 x,
                               floatx80 y, floatx80 *r0, floatx80 *r1)
{
#if defined(__x86_64__)
    long double a, b, o0 = 0, o1 = 0;
    uint16_t cw = env->fpuc | 0x3f, sw, save_cw;

    memcpy(&a, &x, 10);
    memcpy(&b, &y, 10);
    /* a clean host x87: empty stack, no condition codes from before */
    __asm__ volatile("fnstcw %0; fninit; fldcw %1" : "=m"(save_cw) : "m"(cw));
    switch (op) {
    case T_F2XM1:
        __asm__ volatile("fldt %2; f2xm1; fnstsw %1; fstpt %0"
                         : "=m"(o0), "=m"(sw) : "m"(a));
        break;
    case T_FYL2X:
        __asm__ volatile("fldt %3; fldt %2; fyl2x; fnstsw %1; fstpt %0"
                         : "=m"(o0), "=m"(sw) : "m"(a), "m"(b));
        break;
    case T_FYL2XP1:
        __asm__ volatile("fldt %3; fldt %2; fyl2xp1; fnstsw %1; fstpt %0"
                         : "=m"(o0), "=m"(sw) : "m"(a), "m"(b));
        break;
    case T_FPATAN:
        __asm__ volatile("fldt %3; fldt %2; fpatan; fnstsw %1; fstpt %0"
                         : "=m"(o0), "=m"(sw) : "m"(a), "m"(b));
        break;
    case T_FSIN:
        __asm__ volatile("fldt %2; fsin; fnstsw %1; fstpt %0"
                         : "=m"(o0), "=m"(sw) : "m"(a));
        break;
    case T_FCOS:
        __asm__ volatile("fldt %2; fcos; fnstsw %1; fstpt %0"
                         : "=m"(o0), "=m"(sw) : "m"(a));
        break;
    case T_FPTAN:
        __asm__ volatile("fldt %3; fptan; fnstsw %2; fstpt %1; fstpt %0"
                         : "=m"(o0), "=m"(o1), "=m"(sw) : "m"(a));
        break;
    default:                            /* FSINCOS: ST0 = cos, ST1 = sin */
        __asm__ volatile("fldt %3; fsincos; fnstsw %2; fstpt %1; fstpt %0"
                         : "=m"(o0), "=m"(o1), "=m"(sw) : "m"(a));
        break;
    }
    __asm__ volatile("fninit; fldcw %0" : : "m"(save_cw));
    memcpy(r0, &o0, 10);
    memcpy(r1, &o1, 10);
    return sw & (0x3f | FPUS_C1 | FPUS_C2);
#else
    /* portable fallback through double (neither bit-exact nor as
     * precise as the x87) */
    long double a, b, o0 = 0, o1 = 0;
    float_status fs;
    uint64_t bits;
    double dv;

    float_status_init_x86(&fs);
    bits = floatx80_to_float64(x, &fs);
    memcpy(&dv, &bits, 8);
    a = dv;
    bits = floatx80_to_float64(y, &fs);
    memcpy(&dv, &bits, 8);
    b = dv;
    switch (op) {
    case T_F2XM1: o0 = exp2l(a) - 1; break;
    case T_FYL2X: o0 = b * log2l(a); break;
    case T_FYL2XP1: o0 = b * log2l(a + 1); break;
    case T_FPATAN: o0 = atan2l(b, a); break;
    case T_FSIN: o0 = sinl(a); break;
    case T_FCOS: o0 = cosl(a); break;
    case T_FPTAN: o1 = tanl(a); o0 = 1; break;
    default: o0 = sinl(a); o1 = cosl(a); break;
    }
    dv = o0;
    memcpy(&bits, &dv, 8);
    *r0 = float64_to_floatx80(bits, &fs);
    dv = o1;
    memcpy(&bits, &dv, 8);
    *r1 = float64_to_floatx80(bits, &fs);
    return FPUS_PE;
#endif
}

static void fpu_transcendental(CPUX86State *env, int op)
{
    floatx80 x, y = floatx80_zero, r0, r1;
    bool two = op == T_FYL2X || op == T_FYL2XP1 || op == T_FPATAN;
    uint16_t sw;

    if (op == T_FPTAN || op == T_FSIN || op == T_FCOS || op == T_FSINCOS) {
        env->fpus &= ~FPUS_C2;          /* C2: operand out of range */
    }
    if ((op == T_FPTAN || op == T_FSINCOS) && !st_empty(env, 0) &&
        !env->fptags[(env->fpstt - 1) & 7]) {
        /* no room for the second result: masked, both are the indefinite */
        if (stack_fault(env, true)) {
            st_set(env, 0, indefinite());
            env->fpstt = (env->fpstt - 1) & 7;
            st_set(env, 0, indefinite());
        }
        return;
    }
    {
        floatx80 v[2];
        int k = st_operands(env, two ? 2 : 1, v);

        if (k < 0) {                    /* masked underflow */
            if (two) {
                helper_fpop(env);
            }
            st_set(env, 0, indefinite());
            if (op == T_FPTAN || op == T_FSINCOS) {
                env->fpstt = (env->fpstt - 1) & 7;
                st_set(env, 0, indefinite());
            }
            return;
        }
        if (k == 0) {
            return;
        }
        x = v[0];
        y = two ? v[1] : y;
    }
    sw = transcendental(env, op, x, y, &r0, &r1);
    env->fpus = (env->fpus & ~(FPUS_C1 | FPUS_C2)) | sw;
    update_es(env);
    if (sw & ~env->fpuc & (FPUS_IE | FPUS_DE | FPUS_ZE)) {
        return;
    }
    if ((sw & FPUS_C2) && op >= T_FPTAN && op != T_FPATAN) {
        return;                 /* |x| >= 2^63: operand out of range, kept */
    }
    switch (op) {
    case T_FYL2X:
    case T_FYL2XP1:
    case T_FPATAN:
        helper_fpop(env);
        st_set(env, 0, r0);
        break;
    case T_FPTAN:
    case T_FSINCOS:
        st_set(env, 0, r0);     /* tan / sin */
        env->fpstt = (env->fpstt - 1) & 7;      /* room checked above */
        st_set(env, 0, r1);     /* 1.0 / cos (C1 from the computation) */
        break;
    default:
        st_set(env, 0, r0);
        break;
    }
}

void helper_f2xm1(CPUX86State *env)   { fpu_transcendental(env, T_F2XM1); }
void helper_fyl2x(CPUX86State *env)   { fpu_transcendental(env, T_FYL2X); }
void helper_fyl2xp1(CPUX86State *env) { fpu_transcendental(env, T_FYL2XP1); }
void helper_fptan(CPUX86State *env)   { fpu_transcendental(env, T_FPTAN); }
void helper_fpatan(CPUX86State *env)  { fpu_transcendental(env, T_FPATAN); }
void helper_fsin(CPUX86State *env)    { fpu_transcendental(env, T_FSIN); }
void helper_fcos(CPUX86State *env)    { fpu_transcendental(env, T_FCOS); }
void helper_fsincos(CPUX86State *env) { fpu_transcendental(env, T_FSINCOS); }

/* ---- control ---- */

void helper_fninit(CPUX86State *env)
{
    env->fpuc = 0x37f;
    env->fpus = 0;
    env->fpstt = 0;
    memset(env->fptags, 1, sizeof(env->fptags));
    env->fpop = 0;
    env->fpip = env->fpdp = 0;
    env->fpcs = env->fpds = 0;
    x86_update_fpu_status(env);
}

void helper_fnclex(CPUX86State *env)
{
    env->fpus &= ~(0x3f | FPUS_SF | FPUS_ES | FPUS_B);
}

uint64_t helper_fnstsw(CPUX86State *env)
{
    return x86_fpu_status_word(env);
}

void helper_fldcw(CPUX86State *env, uint64_t v)
{
    env->fpuc = v & 0x1f7f;
    x86_update_fpu_status(env);
    update_es(env);
}

/*
 * FSTENV/FLDENV (SDM Vol. 1 8.1.10, Figures 8-9 to 8-12): the protected-
 * mode layouts (32-bit: 28 bytes, 16-bit: 14 bytes), also used in real
 * mode (where hardware stores a 20-bit linear FIP instead).
 */
static void env_store(CPUX86State *env, uint64_t a0, bool data32,
                      uintptr_t ra)
{
    int idx = x86_mmu_index_of(env);
    uint16_t regs[7] = {
        env->fpuc, x86_fpu_status_word(env), x86_fpu_tag_word(env),
        env->fpip, env->fpcs, env->fpdp, env->fpds };

    x86_probe_range(env, a0, data32 ? 28 : 14, MMU_DATA_STORE, idx, ra);
    if (data32) {
        cpu_stl_le_mmuidx_ra(env, a0, regs[0] | 0xffff0000u, idx, ra);
        cpu_stl_le_mmuidx_ra(env, a0 + 4, regs[1] | 0xffff0000u, idx, ra);
        cpu_stl_le_mmuidx_ra(env, a0 + 8, regs[2] | 0xffff0000u, idx, ra);
        cpu_stl_le_mmuidx_ra(env, a0 + 12, env->fpip, idx, ra);
        cpu_stl_le_mmuidx_ra(env, a0 + 16,
                             env->fpcs | ((uint32_t)env->fpop << 16), idx,
                             ra);
        cpu_stl_le_mmuidx_ra(env, a0 + 20, env->fpdp, idx, ra);
        cpu_stl_le_mmuidx_ra(env, a0 + 24, env->fpds | 0xffff0000u, idx, ra);
    } else {
        for (int i = 0; i < 7; i++) {
            cpu_stw_le_mmuidx_ra(env, a0 + 2 * i, regs[i], idx, ra);
        }
    }
}

static void env_load(CPUX86State *env, uint64_t a0, bool data32,
                     uintptr_t ra)
{
    int idx = x86_mmu_index_of(env);
    int step = data32 ? 4 : 2;
    uint16_t fsw, ftw;

    env->fpuc = cpu_lduw_le_mmuidx_ra(env, a0, idx, ra) & 0x1f7f;
    fsw = cpu_lduw_le_mmuidx_ra(env, a0 + step, idx, ra);
    ftw = cpu_lduw_le_mmuidx_ra(env, a0 + 2 * step, idx, ra);
    if (data32) {
        env->fpip = cpu_ldl_le_mmuidx_ra(env, a0 + 12, idx, ra);
        env->fpcs = cpu_lduw_le_mmuidx_ra(env, a0 + 16, idx, ra);
        env->fpop = cpu_lduw_le_mmuidx_ra(env, a0 + 18, idx, ra) & 0x7ff;
        env->fpdp = cpu_ldl_le_mmuidx_ra(env, a0 + 20, idx, ra);
        env->fpds = cpu_lduw_le_mmuidx_ra(env, a0 + 24, idx, ra);
    } else {
        env->fpip = cpu_lduw_le_mmuidx_ra(env, a0 + 6, idx, ra);
        env->fpcs = cpu_lduw_le_mmuidx_ra(env, a0 + 8, idx, ra);
        env->fpdp = cpu_lduw_le_mmuidx_ra(env, a0 + 10, idx, ra);
        env->fpds = cpu_lduw_le_mmuidx_ra(env, a0 + 12, idx, ra);
    }
    x86_fpu_set_status_word(env, fsw);
    for (int i = 0; i < 8; i++) {
        env->fptags[i] = ((ftw >> (2 * i)) & 3) == 3;
    }
    x86_update_fpu_status(env);
    update_es(env);
}

void helper_fstenv(CPUX86State *env, uint64_t a0, uint32_t data32)
{
    env_store(env, a0, data32, GETPC());
    env->fpuc |= 0x3f;                  /* all exceptions masked after */
    x86_update_fpu_status(env);
}

void helper_fldenv(CPUX86State *env, uint64_t a0, uint32_t data32)
{
    env_load(env, a0, data32, GETPC());
}

void helper_fsave(CPUX86State *env, uint64_t a0, uint32_t data32)
{
    uintptr_t ra = GETPC();
    unsigned off = data32 ? 28 : 14;

    x86_probe_range(env, a0, off + 80, MMU_DATA_STORE, x86_mmu_index_of(env),
                    ra);
    env_store(env, a0, data32, ra);
    for (int i = 0; i < 8; i++) {
        st80(env, a0 + off + 10 * i, *st(env, i), ra);
    }
    helper_fninit(env);
}

void helper_frstor(CPUX86State *env, uint64_t a0, uint32_t data32)
{
    uintptr_t ra = GETPC();
    unsigned off = data32 ? 28 : 14;
    floatx80 r[8];

    for (int i = 0; i < 8; i++) {
        r[i] = ld80(env, a0 + off + 10 * i, ra);
    }
    env_load(env, a0, data32, ra);
    for (int i = 0; i < 8; i++) {
        *st(env, i) = r[i];
    }
}
