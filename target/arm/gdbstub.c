/*
 * AArch64 registers for the gdb stub (exec/gdbstub.h), in the features
 * gdb's aarch64 support looks for:
 *
 *   org.gnu.gdb.aarch64.core   x0-x30, sp, pc, cpsr
 *   org.gnu.gdb.aarch64.fpu    v0-v31 (the aarch64v union gdb prints as
 *                              {d, s, h, q, b} lanes), fpsr, fpcr
 *   org.turtle.gdb.aarch64.sysregs
 *                              EL1/EL2 system registers (`info registers
 *                              system`); those that steer translation are
 *                              read-only here, since a write behind the
 *                              translator's back would skip the TLB and
 *                              hflags maintenance an MSR does
 *
 * cpsr is PSTATE in SPSR layout (NZCV, DAIF, EL, SPSel...), as gdb and the
 * kernel show it; writing it switches EL/SP like an exception return.
 */
#include "turtle/osdep.h"
#include "target/arm/cpu.h"
#include "exec/gdbstub.h"

/* ---- core ---- */

/* PSTATE's fields in SPSR layout (Arm ARM C5.2.19) */
static const char arm_core_types[] =
    "<flags id=\"cpsr_flags\" size=\"4\">"
    "<field name=\"SP\" start=\"0\" end=\"0\"/>"
    "<field name=\"EL\" start=\"2\" end=\"3\" type=\"uint8\"/>"
    "<field name=\"nRW\" start=\"4\" end=\"4\"/>"
    "<field name=\"F\" start=\"6\" end=\"6\"/>"
    "<field name=\"I\" start=\"7\" end=\"7\"/>"
    "<field name=\"A\" start=\"8\" end=\"8\"/>"
    "<field name=\"D\" start=\"9\" end=\"9\"/>"
    "<field name=\"IL\" start=\"20\" end=\"20\"/>"
    "<field name=\"SS\" start=\"21\" end=\"21\"/>"
    "<field name=\"PAN\" start=\"22\" end=\"22\"/>"
    "<field name=\"UAO\" start=\"23\" end=\"23\"/>"
    "<field name=\"V\" start=\"28\" end=\"28\"/>"
    "<field name=\"C\" start=\"29\" end=\"29\"/>"
    "<field name=\"Z\" start=\"30\" end=\"30\"/>"
    "<field name=\"N\" start=\"31\" end=\"31\"/></flags>\n";

#define XREG(n) { "x" #n, 64, "int", "general" }
static const GDBRegister arm_core_regs[] = {
    XREG(0), XREG(1), XREG(2), XREG(3), XREG(4), XREG(5), XREG(6), XREG(7),
    XREG(8), XREG(9), XREG(10), XREG(11), XREG(12), XREG(13), XREG(14),
    XREG(15), XREG(16), XREG(17), XREG(18), XREG(19), XREG(20), XREG(21),
    XREG(22), XREG(23), XREG(24), XREG(25), XREG(26), XREG(27), XREG(28),
    XREG(29), XREG(30),
    { "sp", 64, "data_ptr", "general" },
    { "pc", 64, "code_ptr", "general" },
    { "cpsr", 32, "cpsr_flags", "general" },
};
#undef XREG

enum { CORE_SP = 31, CORE_PC = 32, CORE_CPSR = 33 };

static int arm_gdb_core_read(CPUState *cs, GByteArray *buf, int n)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    uint8_t b[8];

    if (n == CORE_CPSR) {
        st32_le_p(b, pstate_read(env));
        g_byte_array_append(buf, b, 4);
        return 4;
    }
    /* xregs[31] is the live SP of the current EL/SPSel */
    st64_le_p(b, n == CORE_PC ? env->pc : env->xregs[n]);
    g_byte_array_append(buf, b, 8);
    return 8;
}

static bool arm_gdb_core_write(CPUState *cs, const uint8_t *buf, int n)
{
    CPUARMState *env = &ARM_CPU(cs)->env;

    if (n == CORE_CPSR) {
        pstate_write(env, ld32_le_p(buf));
    } else if (n == CORE_PC) {
        env->pc = ld64_le_p(buf);
    } else {
        env->xregs[n] = ld64_le_p(buf);
    }
    return true;
}

static const GDBFeature arm_gdb_core = {
    .name = "org.gnu.gdb.aarch64.core",
    .types = arm_core_types,
    .regs = arm_core_regs,
    .num_regs = G_N_ELEMENTS(arm_core_regs),
    .read = arm_gdb_core_read,
    .write = arm_gdb_core_write,
};

/* ---- FP/SIMD ---- */

/* The V registers' lanes: q (128), d (64), s (32), h (16), b (8), each as
 * float, unsigned and signed where the width has them. */
static const char arm_fpu_types[] =
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
    "<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>\n"
    "<vector id=\"v2i\" type=\"int64\" count=\"2\"/>\n"
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
    "<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>\n"
    "<vector id=\"v4i\" type=\"int32\" count=\"4\"/>\n"
    "<vector id=\"v8f\" type=\"ieee_half\" count=\"8\"/>\n"
    "<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>\n"
    "<vector id=\"v8i\" type=\"int16\" count=\"8\"/>\n"
    "<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>\n"
    "<vector id=\"v16i\" type=\"int8\" count=\"16\"/>\n"
    "<vector id=\"v1u\" type=\"uint128\" count=\"1\"/>\n"
    "<vector id=\"v1i\" type=\"int128\" count=\"1\"/>\n"
    "<union id=\"vnd\"><field name=\"f\" type=\"v2d\"/>"
    "<field name=\"u\" type=\"v2u\"/><field name=\"s\" type=\"v2i\"/></union>\n"
    "<union id=\"vns\"><field name=\"f\" type=\"v4f\"/>"
    "<field name=\"u\" type=\"v4u\"/><field name=\"s\" type=\"v4i\"/></union>\n"
    "<union id=\"vnh\"><field name=\"f\" type=\"v8f\"/>"
    "<field name=\"u\" type=\"v8u\"/><field name=\"s\" type=\"v8i\"/></union>\n"
    "<union id=\"vnb\"><field name=\"u\" type=\"v16u\"/>"
    "<field name=\"s\" type=\"v16i\"/></union>\n"
    "<union id=\"vnq\"><field name=\"u\" type=\"v1u\"/>"
    "<field name=\"s\" type=\"v1i\"/></union>\n"
    "<union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/>"
    "<field name=\"s\" type=\"vns\"/><field name=\"h\" type=\"vnh\"/>"
    "<field name=\"b\" type=\"vnb\"/><field name=\"q\" type=\"vnq\"/></union>\n";

#define VREG(n) { "v" #n, 128, "aarch64v", "vector" }
static const GDBRegister arm_fpu_regs[] = {
    VREG(0), VREG(1), VREG(2), VREG(3), VREG(4), VREG(5), VREG(6), VREG(7),
    VREG(8), VREG(9), VREG(10), VREG(11), VREG(12), VREG(13), VREG(14),
    VREG(15), VREG(16), VREG(17), VREG(18), VREG(19), VREG(20), VREG(21),
    VREG(22), VREG(23), VREG(24), VREG(25), VREG(26), VREG(27), VREG(28),
    VREG(29), VREG(30), VREG(31),
    { "fpsr", 32, "int", "float" },
    { "fpcr", 32, "int", "float" },
};
#undef VREG

enum { FPU_FPSR = 32, FPU_FPCR = 33 };

static int arm_gdb_fpu_read(CPUState *cs, GByteArray *buf, int n)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    uint8_t b[16];

    if (n < FPU_FPSR) {
        st64_le_p(b, env->vregs[n].d[0]);
        st64_le_p(b + 8, env->vregs[n].d[1]);
        g_byte_array_append(buf, b, 16);
        return 16;
    }
    st32_le_p(b, n == FPU_FPSR ? env->fpsr : env->fpcr);
    g_byte_array_append(buf, b, 4);
    return 4;
}

static bool arm_gdb_fpu_write(CPUState *cs, const uint8_t *buf, int n)
{
    CPUARMState *env = &ARM_CPU(cs)->env;

    if (n < FPU_FPSR) {
        env->vregs[n].d[0] = ld64_le_p(buf);
        env->vregs[n].d[1] = ld64_le_p(buf + 8);
    } else if (n == FPU_FPSR) {
        env->fpsr = ld32_le_p(buf);
    } else {
        env->fpcr = ld32_le_p(buf);
    }
    return true;
}

static const GDBFeature arm_gdb_fpu = {
    .name = "org.gnu.gdb.aarch64.fpu",
    .types = arm_fpu_types,
    .regs = arm_fpu_regs,
    .num_regs = G_N_ELEMENTS(arm_fpu_regs),
    .read = arm_gdb_fpu_read,
    .write = arm_gdb_fpu_write,
};

/* ---- system registers ---- */

/*
 * 64-bit fields of CPUARMState, by their architectural names; W: gdb may
 * write it (plain state: exception-return and thread registers, banked
 * SPs, VBAR).  The rest change translation or the TB flags (SCTLR, TCR,
 * TTBRn, MAIR, HCR, CPACR, CPTR...) and stay read-only here.
 */
#define ARM_GDB_SYSREGS(R) \
    R("sp_el0", sp_el[0], 1) R("sp_el1", sp_el[1], 1) \
    R("sp_el2", sp_el[2], 1) \
    R("elr_el1", elr_el[1], 1) R("elr_el2", elr_el[2], 1) \
    R("spsr_el1", spsr_el[1], 1) R("spsr_el2", spsr_el[2], 1) \
    R("esr_el1", esr_el[1], 1) R("esr_el2", esr_el[2], 1) \
    R("far_el1", far_el[1], 1) R("far_el2", far_el[2], 1) \
    R("sctlr_el1", cp15.sctlr[1], 0) R("sctlr_el2", cp15.sctlr[2], 0) \
    R("tcr_el1", cp15.tcr[1], 0) R("tcr_el2", cp15.tcr[2], 0) \
    R("ttbr0_el1", cp15.ttbr0[1], 0) R("ttbr1_el1", cp15.ttbr1[1], 0) \
    R("ttbr0_el2", cp15.ttbr0[2], 0) \
    R("mair_el1", cp15.mair[1], 0) R("mair_el2", cp15.mair[2], 0) \
    R("vbar_el1", cp15.vbar[1], 1) R("vbar_el2", cp15.vbar[2], 1) \
    R("tpidr_el0", cp15.tpidr[0], 1) R("tpidr_el1", cp15.tpidr[1], 1) \
    R("tpidr_el2", cp15.tpidr[2], 1) R("tpidrro_el0", cp15.tpidrro_el0, 1) \
    R("contextidr_el1", cp15.contextidr_el1, 0) \
    R("cpacr_el1", cp15.cpacr_el1, 0) R("par_el1", cp15.par_el1, 1) \
    R("mdscr_el1", cp15.mdscr_el1, 0) R("cntkctl_el1", cp15.cntkctl_el1, 0) \
    R("hcr_el2", cp15.hcr_el2, 0) R("cptr_el2", cp15.cptr_el2, 0) \
    R("vttbr_el2", cp15.vttbr_el2, 0) R("vtcr_el2", cp15.vtcr_el2, 0) \
    R("cntvoff_el2", cp15.cntvoff_el2, 0)

#define SYSREG(name, field, w) { name, 64, "uint64", "system" },
static const GDBRegister arm_sys_regs[] = {
    ARM_GDB_SYSREGS(SYSREG)
    /* not a plain field */
    { "currentel", 64, "uint64", "system" },
    { "midr_el1", 64, "uint64", "system" },
    { "mpidr_el1", 64, "uint64", "system" },
};
#undef SYSREG

#define SYSREG(name, field, w) offsetof(CPUARMState, field),
static const size_t arm_sysreg_offsets[] = { ARM_GDB_SYSREGS(SYSREG) };
#undef SYSREG
#define SYSREG(name, field, w) w,
static const bool arm_sysreg_writable[] = { ARM_GDB_SYSREGS(SYSREG) };
#undef SYSREG

enum { SYS_CURRENTEL = G_N_ELEMENTS(arm_sysreg_offsets), SYS_MIDR,
       SYS_MPIDR };

static int arm_gdb_sys_read(CPUState *cs, GByteArray *buf, int n)
{
    ARMCPU *cpu = ARM_CPU(cs);
    CPUARMState *env = &cpu->env;
    uint64_t v;
    uint8_t b[8];

    arm_save_sp(env);       /* sp_el[current] gets the live SP */
    switch (n) {
    case SYS_CURRENTEL:
        v = env->el << 2;
        break;
    case SYS_MIDR:
        v = cpu->midr;
        break;
    case SYS_MPIDR:
        v = cs->mp_affinity | (1ull << 31);     /* RES1 bit */
        break;
    default:
        v = *(const uint64_t *)((const char *)env + arm_sysreg_offsets[n]);
        break;
    }
    st64_le_p(b, v);
    g_byte_array_append(buf, b, 8);
    return 8;
}

static bool arm_gdb_sys_write(CPUState *cs, const uint8_t *buf, int n)
{
    CPUARMState *env = &ARM_CPU(cs)->env;

    if (n >= SYS_CURRENTEL || !arm_sysreg_writable[n]) {
        return false;
    }
    arm_save_sp(env);
    *(uint64_t *)((char *)env + arm_sysreg_offsets[n]) = ld64_le_p(buf);
    arm_load_sp(env);       /* the SP of the current EL may have changed */
    return true;
}

static const GDBFeature arm_gdb_sys = {
    .name = "org.turtle.gdb.aarch64.sysregs",
    .regs = arm_sys_regs,
    .num_regs = G_N_ELEMENTS(arm_sys_regs),
    .read = arm_gdb_sys_read,
    .write = arm_gdb_sys_write,
};

static const GDBFeature *const arm_gdb_features[] = {
    &arm_gdb_core, &arm_gdb_fpu, &arm_gdb_sys, NULL,
};

const GDBArch arm_gdb_arch = {
    .name = "aarch64",
    .features = arm_gdb_features,
    /* Arm watchpoints are faults (D2.10.5); gdb steps over the access */
    .watchpoint_stop_before = true,
};
