/*
 * The x86 FPU/vector state in the memory images the architecture defines:
 * the FXSAVE image (SDM Vol. 1 10.5.1, Table 10-2) and the standard
 * format of the XSAVE area (SDM Vol. 1 13.4-13.5, 13.7-13.8).  Used at
 * the KVM boundary (kvm-state.c: KVM_GET/SET_XSAVE, KVM_GET/SET_FPU) and
 * by the FXSAVE/XSAVE instructions.
 *
 * Component offsets come from CPUID leaf 0xD's standard layout
 * (x86_xsave_offset); the images are little-endian.
 */
#include "turtle/osdep.h"
#include "target/i386/cpu.h"

/* ---- x87 helpers shared with the rest of target/i386 ---- */

uint16_t x86_fpu_status_word(const CPUX86State *env)
{
    return (env->fpus & ~0x3800u) | ((env->fpstt & 7) << 11);
}

void x86_fpu_set_status_word(CPUX86State *env, uint16_t fsw)
{
    env->fpstt = (fsw >> 11) & 7;
    env->fpus = fsw & ~0x3800u;
}

uint8_t x86_fpu_abridged_tags(const CPUX86State *env)
{
    uint8_t ftw = 0;

    for (int i = 0; i < 8; i++) {
        ftw |= (env->fptags[i] ? 0 : 1) << i;
    }
    return ftw;
}

void x86_fpu_set_abridged_tags(CPUX86State *env, uint8_t ftw)
{
    for (int i = 0; i < 8; i++) {
        env->fptags[i] = !(ftw & (1u << i));
    }
}

/* The full tag word (SDM Vol. 1 8.1.7): 0 valid, 1 zero, 2 special, 3 empty */
uint16_t x86_fpu_tag_word(const CPUX86State *env)
{
    uint16_t ftw = 0;

    for (int i = 0; i < 8; i++) {
        const floatx80 *r = &env->fpregs[i];
        unsigned exp = r->high & 0x7fff, tag;

        if (env->fptags[i]) {
            tag = 3;
        } else if (exp == 0x7fff) {
            tag = 2;
        } else if (exp == 0) {
            tag = r->low ? 2 : 1;
        } else {
            tag = r->low >> 63 ? 0 : 2;     /* unnormal: special */
        }
        ftw |= tag << (2 * i);
    }
    return ftw;
}

/* ---- the legacy region ---- */

static void x87_init(CPUX86State *env)
{
    env->fpuc = 0x37f;
    env->fpus = 0;
    env->fpstt = 0;
    memset(env->fptags, 1, sizeof(env->fptags));
    env->fpop = 0;
    env->fpip = env->fpdp = 0;
    env->fpcs = env->fpds = 0;
    memset(env->fpregs, 0, sizeof(env->fpregs));
}

/* x87 part: bytes 0-23 and the registers at 32 (stack order ST0-ST7) */
static void x87_put(const CPUX86State *env, uint8_t *b, bool fmt64)
{
    st16_le_p(b + 0, env->fpuc);
    st16_le_p(b + 2, x86_fpu_status_word(env));
    b[4] = x86_fpu_abridged_tags(env);
    b[5] = 0;
    st16_le_p(b + 6, env->fpop);
    if (fmt64) {
        st64_le_p(b + 8, env->fpip);
        st64_le_p(b + 16, env->fpdp);
    } else {
        st32_le_p(b + 8, env->fpip);
        st16_le_p(b + 12, env->fpcs);
        st16_le_p(b + 14, 0);
        st32_le_p(b + 16, env->fpdp);
        st16_le_p(b + 20, env->fpds);
        st16_le_p(b + 22, 0);
    }
    for (int i = 0; i < 8; i++) {
        const floatx80 *r = &env->fpregs[(env->fpstt + i) & 7];
        uint8_t *p = b + 32 + 16 * i;

        st64_le_p(p, r->low);
        st16_le_p(p + 8, r->high);
        memset(p + 10, 0, 6);
    }
}

static void x87_get(CPUX86State *env, const uint8_t *b, bool fmt64)
{
    env->fpuc = ld16_le_p(b + 0);
    x86_fpu_set_status_word(env, ld16_le_p(b + 2));
    x86_fpu_set_abridged_tags(env, b[4]);
    env->fpop = ld16_le_p(b + 6) & 0x7ff;
    if (fmt64) {
        env->fpip = ld64_le_p(b + 8);
        env->fpdp = ld64_le_p(b + 16);
        env->fpcs = env->fpds = 0;
    } else {
        env->fpip = ld32_le_p(b + 8);
        env->fpcs = ld16_le_p(b + 12);
        env->fpdp = ld32_le_p(b + 16);
        env->fpds = ld16_le_p(b + 20);
    }
    for (int i = 0; i < 8; i++) {
        floatx80 *r = &env->fpregs[(env->fpstt + i) & 7];
        const uint8_t *p = b + 32 + 16 * i;

        r->low = ld64_le_p(p);
        r->high = ld16_le_p(p + 8);
    }
}

static void mxcsr_put(const CPUX86State *env, uint8_t *b)
{
    st32_le_p(b + 24, env->mxcsr);
    st32_le_p(b + 28, 0xffff);           /* MXCSR_MASK: DAZ supported */
}

static void sse_put(const CPUX86State *env, uint8_t *b)
{
    for (int i = 0; i < 16; i++) {
        st64_le_p(b + 160 + 16 * i, env->xmm_regs[i].q[0]);
        st64_le_p(b + 168 + 16 * i, env->xmm_regs[i].q[1]);
    }
}

static void sse_get(CPUX86State *env, const uint8_t *b)
{
    for (int i = 0; i < 16; i++) {
        env->xmm_regs[i].q[0] = ld64_le_p(b + 160 + 16 * i);
        env->xmm_regs[i].q[1] = ld64_le_p(b + 168 + 16 * i);
    }
}

void x86_fxsave_put(const CPUX86State *env, uint8_t *buf, bool fmt64)
{
    x87_put(env, buf, fmt64);
    mxcsr_put(env, buf);
    sse_put(env, buf);
    memset(buf + 416, 0, 96);
}

void x86_fxsave_get(CPUX86State *env, const uint8_t *buf, bool fmt64)
{
    x87_get(env, buf, fmt64);
    env->mxcsr = ld32_le_p(buf + 24);
    sse_get(env, buf);
}

/* ---- XSAVE standard format ---- */

void x86_xsave_put(const CPUX86State *env, uint8_t *buf, uint64_t rfbm,
                   bool fmt64)
{
    uint64_t bv = ld64_le_p(buf + XSAVE_HDR_OFFSET);
    uint8_t *p;

    if (rfbm & XSTATE_FP) {
        x87_put(env, buf, fmt64);
    }
    if (rfbm & (XSTATE_SSE | XSTATE_YMM)) {
        mxcsr_put(env, buf);
    }
    if (rfbm & XSTATE_SSE) {
        sse_put(env, buf);
    }
    if (rfbm & XSTATE_YMM) {
        p = buf + x86_xsave_offset(2);
        for (int i = 0; i < 16; i++) {
            st64_le_p(p + 16 * i, env->xmm_regs[i].q[2]);
            st64_le_p(p + 16 * i + 8, env->xmm_regs[i].q[3]);
        }
    }
    if (rfbm & XSTATE_BNDREGS) {
        p = buf + x86_xsave_offset(3);
        for (int i = 0; i < 4; i++) {
            st64_le_p(p + 16 * i, env->bnd_regs[i].lb);
            st64_le_p(p + 16 * i + 8, env->bnd_regs[i].ub);
        }
    }
    if (rfbm & XSTATE_BNDCSR) {
        p = buf + x86_xsave_offset(4);
        st64_le_p(p, env->bndcfgu);
        st64_le_p(p + 8, env->bndstatus);
    }
    if (rfbm & XSTATE_OPMASK) {
        p = buf + x86_xsave_offset(5);
        for (int i = 0; i < 8; i++) {
            st64_le_p(p + 8 * i, env->opmask_regs[i]);
        }
    }
    if (rfbm & XSTATE_ZMM_HI256) {
        p = buf + x86_xsave_offset(6);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 4; j++) {
                st64_le_p(p + 32 * i + 8 * j, env->xmm_regs[i].q[4 + j]);
            }
        }
    }
    if (rfbm & XSTATE_HI16_ZMM) {
        p = buf + x86_xsave_offset(7);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 8; j++) {
                st64_le_p(p + 64 * i + 8 * j, env->xmm_regs[16 + i].q[j]);
            }
        }
    }
    if (rfbm & XSTATE_PKRU) {
        p = buf + x86_xsave_offset(9);
        st32_le_p(p, env->pkru);
        st32_le_p(p + 4, 0);
    }
    st64_le_p(buf + XSAVE_HDR_OFFSET, bv | rfbm);
}

void x86_xsave_get(CPUX86State *env, const uint8_t *buf, uint64_t rfbm,
                   bool fmt64)
{
    uint64_t bv = ld64_le_p(buf + XSAVE_HDR_OFFSET);
    uint64_t load = rfbm & bv, init = rfbm & ~bv;
    const uint8_t *p;

    if (load & XSTATE_FP) {
        x87_get(env, buf, fmt64);
    } else if (init & XSTATE_FP) {
        x87_init(env);
    }
    /* MXCSR comes from memory whenever SSE or AVX state is requested */
    if (rfbm & (XSTATE_SSE | XSTATE_YMM)) {
        env->mxcsr = ld32_le_p(buf + 24);
    }
    if (load & XSTATE_SSE) {
        sse_get(env, buf);
    } else if (init & XSTATE_SSE) {
        for (int i = 0; i < 16; i++) {
            env->xmm_regs[i].q[0] = env->xmm_regs[i].q[1] = 0;
        }
    }
    if (rfbm & XSTATE_YMM) {
        p = buf + x86_xsave_offset(2);
        for (int i = 0; i < 16; i++) {
            env->xmm_regs[i].q[2] = load & XSTATE_YMM ?
                                    ld64_le_p(p + 16 * i) : 0;
            env->xmm_regs[i].q[3] = load & XSTATE_YMM ?
                                    ld64_le_p(p + 16 * i + 8) : 0;
        }
    }
    if (rfbm & XSTATE_BNDREGS) {
        p = buf + x86_xsave_offset(3);
        for (int i = 0; i < 4; i++) {
            env->bnd_regs[i].lb = load & XSTATE_BNDREGS ?
                                  ld64_le_p(p + 16 * i) : 0;
            env->bnd_regs[i].ub = load & XSTATE_BNDREGS ?
                                  ld64_le_p(p + 16 * i + 8) : 0;
        }
    }
    if (rfbm & XSTATE_BNDCSR) {
        p = buf + x86_xsave_offset(4);
        env->bndcfgu = load & XSTATE_BNDCSR ? ld64_le_p(p) : 0;
        env->bndstatus = load & XSTATE_BNDCSR ? ld64_le_p(p + 8) : 0;
    }
    if (rfbm & XSTATE_OPMASK) {
        p = buf + x86_xsave_offset(5);
        for (int i = 0; i < 8; i++) {
            env->opmask_regs[i] = load & XSTATE_OPMASK ?
                                  ld64_le_p(p + 8 * i) : 0;
        }
    }
    if (rfbm & XSTATE_ZMM_HI256) {
        p = buf + x86_xsave_offset(6);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 4; j++) {
                env->xmm_regs[i].q[4 + j] = load & XSTATE_ZMM_HI256 ?
                                            ld64_le_p(p + 32 * i + 8 * j) : 0;
            }
        }
    }
    if (rfbm & XSTATE_HI16_ZMM) {
        p = buf + x86_xsave_offset(7);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 8; j++) {
                env->xmm_regs[16 + i].q[j] = load & XSTATE_HI16_ZMM ?
                                             ld64_le_p(p + 64 * i + 8 * j) : 0;
            }
        }
    }
    if (rfbm & XSTATE_PKRU) {
        p = buf + x86_xsave_offset(9);
        env->pkru = load & XSTATE_PKRU ? ld32_le_p(p) : 0;
    }
}
