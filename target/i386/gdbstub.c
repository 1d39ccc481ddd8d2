/*
 * x86-64 registers for the gdb stub (exec/gdbstub.h), in the features
 * gdb's amd64 support looks for:
 *
 *   org.gnu.gdb.i386.core      rax..r15, rip, eflags, cs ss ds es fs gs,
 *                              st0-st7, fctrl fstat ftag fiseg fioff foseg
 *                              fooff fop
 *   org.gnu.gdb.i386.sse       xmm0-xmm15, mxcsr
 *   org.gnu.gdb.i386.segments  fs_base, gs_base
 *   org.gnu.gdb.i386.avx       ymm0h-ymm15h (bits 255:128), when the CPU
 *                              model has AVX
 *   org.turtle.gdb.x86.sys     cr0 cr2 cr3 cr4 efer kernel_gs_base
 *
 * Segment selectors and the system registers are read-only here: loading
 * them means descriptor reads, TLB flushes and mode changes that only
 * the instructions doing it get right.  Everything else is writable.
 * The x87 registers are st0-st7 (stack order, not physical).
 */
#include "turtle/osdep.h"
#include "target/i386/x86-tcg.h"
#include "exec/gdbstub.h"

static void put64(GByteArray *buf, uint64_t v)
{
    uint8_t b[8];

    st64_le_p(b, v);
    g_byte_array_append(buf, b, 8);
}

static void put32(GByteArray *buf, uint32_t v)
{
    uint8_t b[4];

    st32_le_p(b, v);
    g_byte_array_append(buf, b, 4);
}

/* ---- core ---- */

/* eflags shown as its flags, as gdb does for a native process */
static const char x86_core_types[] =
    "<flags id=\"i386_eflags\" size=\"4\">"
    "<field name=\"CF\" start=\"0\" end=\"0\"/>"
    "<field name=\"\" start=\"1\" end=\"1\"/>"
    "<field name=\"PF\" start=\"2\" end=\"2\"/>"
    "<field name=\"AF\" start=\"4\" end=\"4\"/>"
    "<field name=\"ZF\" start=\"6\" end=\"6\"/>"
    "<field name=\"SF\" start=\"7\" end=\"7\"/>"
    "<field name=\"TF\" start=\"8\" end=\"8\"/>"
    "<field name=\"IF\" start=\"9\" end=\"9\"/>"
    "<field name=\"DF\" start=\"10\" end=\"10\"/>"
    "<field name=\"OF\" start=\"11\" end=\"11\"/>"
    "<field name=\"NT\" start=\"14\" end=\"14\"/>"
    "<field name=\"RF\" start=\"16\" end=\"16\"/>"
    "<field name=\"VM\" start=\"17\" end=\"17\"/>"
    "<field name=\"AC\" start=\"18\" end=\"18\"/>"
    "<field name=\"VIF\" start=\"19\" end=\"19\"/>"
    "<field name=\"VIP\" start=\"20\" end=\"20\"/>"
    "<field name=\"ID\" start=\"21\" end=\"21\"/></flags>\n";

static const GDBRegister x86_core_regs[] = {
    { "rax", 64, "int64", "general" }, { "rbx", 64, "int64", "general" },
    { "rcx", 64, "int64", "general" }, { "rdx", 64, "int64", "general" },
    { "rsi", 64, "int64", "general" }, { "rdi", 64, "int64", "general" },
    { "rbp", 64, "data_ptr", "general" }, { "rsp", 64, "data_ptr", "general" },
    { "r8", 64, "int64", "general" }, { "r9", 64, "int64", "general" },
    { "r10", 64, "int64", "general" }, { "r11", 64, "int64", "general" },
    { "r12", 64, "int64", "general" }, { "r13", 64, "int64", "general" },
    { "r14", 64, "int64", "general" }, { "r15", 64, "int64", "general" },
    { "rip", 64, "code_ptr", "general" },
    { "eflags", 32, "i386_eflags", "general" },
    { "cs", 32, "int32", "general" }, { "ss", 32, "int32", "general" },
    { "ds", 32, "int32", "general" }, { "es", 32, "int32", "general" },
    { "fs", 32, "int32", "general" }, { "gs", 32, "int32", "general" },
    { "st0", 80, "i387_ext", "float" }, { "st1", 80, "i387_ext", "float" },
    { "st2", 80, "i387_ext", "float" }, { "st3", 80, "i387_ext", "float" },
    { "st4", 80, "i387_ext", "float" }, { "st5", 80, "i387_ext", "float" },
    { "st6", 80, "i387_ext", "float" }, { "st7", 80, "i387_ext", "float" },
    { "fctrl", 32, "int", "float" }, { "fstat", 32, "int", "float" },
    { "ftag", 32, "int", "float" }, { "fiseg", 32, "int", "float" },
    { "fioff", 32, "int", "float" }, { "foseg", 32, "int", "float" },
    { "fooff", 32, "int", "float" }, { "fop", 32, "int", "float" },
};

/* gdb's order of the first 16 -> R_* */
static const int x86_gdb_gpr[16] = {
    R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP, R_ESP,
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
};
static const int x86_gdb_seg[6] = { R_CS, R_SS, R_DS, R_ES, R_FS, R_GS };

enum { CORE_RIP = 16, CORE_EFLAGS, CORE_SEG0, CORE_ST0 = 24, CORE_FCTRL = 32,
       CORE_FSTAT, CORE_FTAG, CORE_FISEG, CORE_FIOFF, CORE_FOSEG,
       CORE_FOOFF, CORE_FOP };

static int x86_gdb_core_read(CPUState *cs, GByteArray *buf, int n)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    uint32_t v;

    if (n < CORE_RIP) {
        put64(buf, env->regs[x86_gdb_gpr[n]]);
        return 8;
    }
    if (n == CORE_RIP) {
        put64(buf, env->rip);
        return 8;
    }
    if (n >= CORE_ST0 && n < CORE_FCTRL) {
        const floatx80 *r = &env->fpregs[(env->fpstt + n - CORE_ST0) & 7];
        uint8_t b[10];

        st64_le_p(b, r->low);
        st16_le_p(b + 8, r->high);
        g_byte_array_append(buf, b, 10);
        return 10;
    }
    switch (n) {
    case CORE_EFLAGS:
        v = x86_rflags_get(env);
        break;
    case CORE_FCTRL:
        v = env->fpuc;
        break;
    case CORE_FSTAT:
        v = x86_fpu_status_word(env);
        break;
    case CORE_FTAG:
        v = x86_fpu_tag_word(env);
        break;
    case CORE_FISEG:
        v = env->fpcs;
        break;
    case CORE_FIOFF:
        v = env->fpip;
        break;
    case CORE_FOSEG:
        v = env->fpds;
        break;
    case CORE_FOOFF:
        v = env->fpdp;
        break;
    case CORE_FOP:
        v = env->fpop;
        break;
    default:
        v = env->segs[x86_gdb_seg[n - CORE_SEG0]].selector;
        break;
    }
    put32(buf, v);
    return 4;
}

static bool x86_gdb_core_write(CPUState *cs, const uint8_t *buf, int n)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    uint32_t v = ld32_le_p(buf);

    if (n < CORE_RIP) {
        env->regs[x86_gdb_gpr[n]] = ld64_le_p(buf);
        return true;
    }
    if (n == CORE_RIP) {
        env->rip = ld64_le_p(buf);
        return true;
    }
    if (n >= CORE_ST0 && n < CORE_FCTRL) {
        floatx80 *r = &env->fpregs[(env->fpstt + n - CORE_ST0) & 7];

        r->low = ld64_le_p(buf);
        r->high = ld16_le_p(buf + 8);
        return true;
    }
    switch (n) {
    case CORE_EFLAGS:
        x86_rflags_set(env, v);
        return true;
    case CORE_FCTRL:
        env->fpuc = v;
        return true;
    case CORE_FSTAT:
        x86_fpu_set_status_word(env, v);
        return true;
    case CORE_FTAG:
        /* the full tag word: 11 (empty) per register, anything else is
         * in use */
        for (int i = 0; i < 8; i++) {
            env->fptags[i] = ((v >> (2 * i)) & 3) == 3;
        }
        return true;
    case CORE_FISEG:
        env->fpcs = v;
        return true;
    case CORE_FIOFF:
        env->fpip = v;
        return true;
    case CORE_FOSEG:
        env->fpds = v;
        return true;
    case CORE_FOOFF:
        env->fpdp = v;
        return true;
    case CORE_FOP:
        env->fpop = v & 0x7ff;
        return true;
    default:
        return false;       /* selectors */
    }
}

static const GDBFeature x86_gdb_core = {
    .name = "org.gnu.gdb.i386.core",
    .types = x86_core_types,
    .regs = x86_core_regs,
    .num_regs = G_N_ELEMENTS(x86_core_regs),
    .read = x86_gdb_core_read,
    .write = x86_gdb_core_write,
};

/* ---- SSE ---- */

static const char x86_sse_types[] =
    "<vector id=\"v8bf16\" type=\"bfloat16\" count=\"8\"/>\n"
    "<vector id=\"v8h\" type=\"ieee_half\" count=\"8\"/>\n"
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
    "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n"
    "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n"
    "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n"
    "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n"
    "<union id=\"vec128\">"
    "<field name=\"v8_bfloat16\" type=\"v8bf16\"/>"
    "<field name=\"v8_half\" type=\"v8h\"/>"
    "<field name=\"v4_float\" type=\"v4f\"/>"
    "<field name=\"v2_double\" type=\"v2d\"/>"
    "<field name=\"v16_int8\" type=\"v16i8\"/>"
    "<field name=\"v8_int16\" type=\"v8i16\"/>"
    "<field name=\"v4_int32\" type=\"v4i32\"/>"
    "<field name=\"v2_int64\" type=\"v2i64\"/>"
    "<field name=\"uint128\" type=\"uint128\"/></union>\n";

#define XMM(n) { "xmm" #n, 128, "vec128", "vector" }
static const GDBRegister x86_sse_regs[] = {
    XMM(0), XMM(1), XMM(2), XMM(3), XMM(4), XMM(5), XMM(6), XMM(7),
    XMM(8), XMM(9), XMM(10), XMM(11), XMM(12), XMM(13), XMM(14), XMM(15),
    { "mxcsr", 32, "int", "vector" },
};
#undef XMM

enum { SSE_MXCSR = 16 };

static int x86_gdb_sse_read(CPUState *cs, GByteArray *buf, int n)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    if (n == SSE_MXCSR) {
        put32(buf, env->mxcsr);
        return 4;
    }
    put64(buf, env->xmm_regs[n].q[0]);
    put64(buf, env->xmm_regs[n].q[1]);
    return 16;
}

static bool x86_gdb_sse_write(CPUState *cs, const uint8_t *buf, int n)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    if (n == SSE_MXCSR) {
        env->mxcsr = ld32_le_p(buf);
    } else {
        env->xmm_regs[n].q[0] = ld64_le_p(buf);
        env->xmm_regs[n].q[1] = ld64_le_p(buf + 8);
    }
    return true;
}

static const GDBFeature x86_gdb_sse = {
    .name = "org.gnu.gdb.i386.sse",
    .types = x86_sse_types,
    .regs = x86_sse_regs,
    .num_regs = G_N_ELEMENTS(x86_sse_regs),
    .read = x86_gdb_sse_read,
    .write = x86_gdb_sse_write,
};

/* ---- segment bases ---- */

static const GDBRegister x86_segments_regs[] = {
    { "fs_base", 64, "int", "system" },
    { "gs_base", 64, "int", "system" },
};

static int x86_gdb_segments_read(CPUState *cs, GByteArray *buf, int n)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    put64(buf, env->segs[n ? R_GS : R_FS].base);
    return 8;
}

/* In 64-bit mode the bases are plain MSRs (WRFSBASE, IA32_FS_BASE). */
static bool x86_gdb_segments_write(CPUState *cs, const uint8_t *buf, int n)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    env->segs[n ? R_GS : R_FS].base = ld64_le_p(buf);
    return true;
}

static const GDBFeature x86_gdb_segments = {
    .name = "org.gnu.gdb.i386.segments",
    .regs = x86_segments_regs,
    .num_regs = G_N_ELEMENTS(x86_segments_regs),
    .read = x86_gdb_segments_read,
    .write = x86_gdb_segments_write,
};

/* ---- AVX: the upper halves of the YMM registers ---- */

#define YMMH(n) { "ymm" #n "h", 128, "uint128", "vector" }
static const GDBRegister x86_avx_regs[] = {
    YMMH(0), YMMH(1), YMMH(2), YMMH(3), YMMH(4), YMMH(5), YMMH(6), YMMH(7),
    YMMH(8), YMMH(9), YMMH(10), YMMH(11), YMMH(12), YMMH(13), YMMH(14),
    YMMH(15),
};
#undef YMMH

static bool x86_gdb_avx_present(CPUState *cs)
{
    return x86_feature(&X86_CPU(cs)->env, FEAT_1_ECX, CPUID_1_ECX_AVX);
}

static int x86_gdb_avx_read(CPUState *cs, GByteArray *buf, int n)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    put64(buf, env->xmm_regs[n].q[2]);
    put64(buf, env->xmm_regs[n].q[3]);
    return 16;
}

static bool x86_gdb_avx_write(CPUState *cs, const uint8_t *buf, int n)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    env->xmm_regs[n].q[2] = ld64_le_p(buf);
    env->xmm_regs[n].q[3] = ld64_le_p(buf + 8);
    return true;
}

static const GDBFeature x86_gdb_avx = {
    .name = "org.gnu.gdb.i386.avx",
    .regs = x86_avx_regs,
    .num_regs = G_N_ELEMENTS(x86_avx_regs),
    .read = x86_gdb_avx_read,
    .write = x86_gdb_avx_write,
    .present = x86_gdb_avx_present,
};

/* ---- control registers ---- */

static const GDBRegister x86_sys_regs[] = {
    { "cr0", 64, "int", "system" }, { "cr2", 64, "int", "system" },
    { "cr3", 64, "int", "system" }, { "cr4", 64, "int", "system" },
    { "efer", 64, "int", "system" },
    { "kernel_gs_base", 64, "int", "system" },
};

static int x86_gdb_sys_read(CPUState *cs, GByteArray *buf, int n)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    static const int cr[] = { 0, 2, 3, 4 };
    uint64_t v;

    switch (n) {
    case 0 ... 3:
        v = env->cr[cr[n]];
        break;
    case 4:
        v = env->efer;
        break;
    default:
        v = env->kernelgsbase;
        break;
    }
    put64(buf, v);
    return 8;
}

static bool x86_gdb_sys_write(CPUState *cs, const uint8_t *buf, int n)
{
    return false;
}

static const GDBFeature x86_gdb_sys = {
    .name = "org.turtle.gdb.x86.sys",
    .regs = x86_sys_regs,
    .num_regs = G_N_ELEMENTS(x86_sys_regs),
    .read = x86_gdb_sys_read,
    .write = x86_gdb_sys_write,
};

static const GDBFeature *const x86_gdb_features[] = {
    &x86_gdb_core, &x86_gdb_sse, &x86_gdb_segments, &x86_gdb_avx,
    &x86_gdb_sys, NULL,
};

const GDBArch x86_gdb_arch = {
    .name = "i386:x86-64",
    .features = x86_gdb_features,
};
