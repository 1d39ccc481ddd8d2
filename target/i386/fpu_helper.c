/*
 * FPU and vector state instructions: FXSAVE/FXRSTOR (SDM Vol. 2, Vol. 1
 * 10.5), XSAVE/XSAVEOPT/XRSTOR in the standard format (Vol. 1 13.7-13.8),
 * LDMXCSR, and the float_status settings that follow from FCW and MXCSR.
 * The images come from xsave.c; guest memory is probed before the first
 * byte is written or the state changed, so a fault leaves both intact.
 */
#include "turtle/osdep.h"
#include "target/i386/x86-tcg.h"

#define HELPER_H "target/i386/helper.h"
#include "tcg/helper-proto.h"

#define MXCSR_MASK_SUPPORTED 0xffffu

/* MXCSR: RC 14:13 (nearest, down, up, zero), FTZ 15, DAZ 6 */
void x86_update_mxcsr_status(CPUX86State *env)
{
    static const uint8_t rc[4] = {
        float_round_nearest_even, float_round_down, float_round_up,
        float_round_to_zero };
    uint32_t m = env->mxcsr;

    float_status_init_x86(&env->sse_status);
    env->sse_status.rounding_mode = rc[(m >> 13) & 3];
    /* FTZ acts only with underflow masked (SDM 10.2.3.3) */
    env->sse_status.flush_to_zero = (m & (1u << 15)) && (m & (1u << 11));
    env->sse_status.flush_inputs_to_zero = m & (1u << 6);
}

/* FCW: RC 11:10, PC 9:8 (01 is reserved: taken as 64 bits) */
void x86_update_fpu_status(CPUX86State *env)
{
    static const uint8_t rc[4] = {
        float_round_nearest_even, float_round_down, float_round_up,
        float_round_to_zero };

    static const uint8_t pc[4] = {
        floatx80_precision_s, floatx80_precision_x, floatx80_precision_d,
        floatx80_precision_x };

    float_status_init_x86(&env->fp_status);
    env->fp_status.rounding_mode = rc[(env->fpuc >> 10) & 3];
    env->fp_status.floatx80_rounding_precision = pc[(env->fpuc >> 8) & 3];
}

/* write [off, off+len) of buf to guest memory at a0 + off */
static void store_bytes(CPUX86State *env, uint64_t a0, const uint8_t *buf,
                        unsigned off, unsigned len, int idx, uintptr_t ra)
{
    for (unsigned i = off; i < off + len; i += 8) {
        cpu_stq_le_mmuidx_ra(env, a0 + i, ld64_le_p(buf + i), idx, ra);
    }
}

static void load_bytes(CPUX86State *env, uint64_t a0, uint8_t *buf,
                       unsigned off, unsigned len, int idx, uintptr_t ra)
{
    for (unsigned i = off; i < off + len; i += 8) {
        st64_le_p(buf + i, cpu_ldq_le_mmuidx_ra(env, a0 + i, idx, ra));
    }
}

/* fault before any side effect: touch every page of [a0, a0+len) */
void x86_probe_range(CPUX86State *env, uint64_t a0, unsigned len,
                     MMUAccessType type, int idx, uintptr_t ra)
{
    uint64_t end = a0 + len, p = a0;

    while (p < end) {
        uint64_t next = (p | 0xfff) + 1;
        unsigned n = MIN(next, end) - p;

        probe_access(env, p, n, type, idx, ra);
        p = next;
    }
}

static int nb_xmm(CPUX86State *env)
{
    return (env->hflags & HF_CS64) ? 16 : 8;
}

void helper_fxsave(CPUX86State *env, uint64_t a0, uint32_t rex_w)
{
    uintptr_t ra = GETPC();
    int idx = x86_mmu_index_of(env);
    uint8_t buf[XSAVE_LEGACY_SIZE];

    if (a0 & 15) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    x86_probe_range(env, a0, 160 + 16 * nb_xmm(env), MMU_DATA_STORE, idx, ra);
    x86_fxsave_put(env, buf, rex_w);
    store_bytes(env, a0, buf, 0, 160 + 16 * nb_xmm(env), idx, ra);
}

void helper_fxrstor(CPUX86State *env, uint64_t a0, uint32_t rex_w)
{
    uintptr_t ra = GETPC();
    int idx = x86_mmu_index_of(env);
    uint8_t buf[XSAVE_LEGACY_SIZE];
    X86ZMMReg keep[16];
    int n = nb_xmm(env);

    if (a0 & 15) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    load_bytes(env, a0, buf, 0, 160 + 16 * n, idx, ra);
    if (ld32_le_p(buf + 24) & ~MXCSR_MASK_SUPPORTED) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    memcpy(keep, env->xmm_regs, sizeof(keep));
    memset(buf + 160 + 16 * n, 0, XSAVE_LEGACY_SIZE - 160 - 16 * n);
    x86_fxsave_get(env, buf, rex_w);
    for (int i = n; i < 16; i++) {
        env->xmm_regs[i].q[0] = keep[i].q[0];
        env->xmm_regs[i].q[1] = keep[i].q[1];
    }
    x86_update_fpu_status(env);
    x86_update_mxcsr_status(env);
}

void helper_ldmxcsr(CPUX86State *env, uint64_t v)
{
    if (v & ~(uint64_t)MXCSR_MASK_SUPPORTED) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    env->mxcsr = v;
    x86_update_mxcsr_status(env);
}

static uint64_t xsave_rfbm(CPUX86State *env)
{
    uint64_t req = (uint32_t)env->regs[R_EAX] |
                   ((uint64_t)(uint32_t)env->regs[R_EDX] << 32);

    return req & env->xcr0;
}

/* size of component bit i in the standard format */
static unsigned comp_size(int i)
{
    static const uint16_t sz[10] = { 0, 0, 256, 64, 64, 64, 512, 1024, 0, 8 };

    return i < 10 ? sz[i] : 0;
}

void helper_xsave(CPUX86State *env, uint64_t a0, uint32_t rex_w)
{
    uintptr_t ra = GETPC();
    int idx = x86_mmu_index_of(env);
    uint64_t rfbm = xsave_rfbm(env);
    uint8_t *buf;
    unsigned size = x86_xsave_size(env->xcr0 | XSTATE_FP | XSTATE_SSE);

    if (a0 & 63) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    x86_probe_range(env, a0, size, MMU_DATA_STORE, idx, ra);
    buf = g_malloc0(size);
    st64_le_p(buf + XSAVE_HDR_OFFSET,
              cpu_ldq_le_mmuidx_ra(env, a0 + XSAVE_HDR_OFFSET, idx, ra));
    x86_xsave_put(env, buf, rfbm, rex_w);
    if (rfbm & XSTATE_FP) {
        store_bytes(env, a0, buf, 0, 24, idx, ra);
        store_bytes(env, a0, buf, 32, 128, idx, ra);
    }
    if (rfbm & (XSTATE_SSE | XSTATE_YMM)) {
        store_bytes(env, a0, buf, 24, 8, idx, ra);
    }
    if (rfbm & XSTATE_SSE) {
        store_bytes(env, a0, buf, 160, 16 * nb_xmm(env), idx, ra);
    }
    store_bytes(env, a0, buf, XSAVE_HDR_OFFSET, 8, idx, ra);
    for (int i = 2; i < 10; i++) {
        if ((rfbm >> i) & 1 && comp_size(i)) {
            unsigned off = x86_xsave_offset(i);

            if (i == 9) {
                store_bytes(env, a0, buf, off, 8, idx, ra);
            } else {
                store_bytes(env, a0, buf, off, comp_size(i), idx, ra);
            }
        }
    }
    g_free(buf);
}

void helper_xrstor(CPUX86State *env, uint64_t a0, uint32_t rex_w)
{
    uintptr_t ra = GETPC();
    int idx = x86_mmu_index_of(env);
    uint64_t rfbm = xsave_rfbm(env), bv, comp;
    unsigned size = x86_xsave_size(env->xcr0 | XSTATE_FP | XSTATE_SSE);
    uint8_t *buf;
    X86ZMMReg keep[16];

    if (a0 & 63) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    buf = g_malloc0(size);
    load_bytes(env, a0, buf, 0, size & ~7u, idx, ra);
    bv = ld64_le_p(buf + XSAVE_HDR_OFFSET);
    comp = ld64_le_p(buf + XSAVE_HDR_OFFSET + 8);
    /* standard form only: XCOMP_BV and the reserved header bytes are 0 */
    if (comp || (bv & ~env->xcr0)) {
        g_free(buf);
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    for (int i = 16; i < 64; i += 8) {
        if (ld64_le_p(buf + XSAVE_HDR_OFFSET + i)) {
            g_free(buf);
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
    }
    if ((rfbm & (XSTATE_SSE | XSTATE_YMM)) &&
        (ld32_le_p(buf + 24) & ~MXCSR_MASK_SUPPORTED)) {
        g_free(buf);
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    memcpy(keep, env->xmm_regs, sizeof(keep));
    x86_xsave_get(env, buf, rfbm, rex_w);
    if (nb_xmm(env) == 8) {
        for (int i = 8; i < 16; i++) {
            env->xmm_regs[i].q[0] = keep[i].q[0];
            env->xmm_regs[i].q[1] = keep[i].q[1];
        }
    }
    g_free(buf);
    x86_update_fpu_status(env);
    x86_update_mxcsr_status(env);
}
