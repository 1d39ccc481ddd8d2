/*
 * Segmentation and protection for TCG (SDM Vol. 3A chapters 3, 5, 6, 7):
 * segment register loads with their descriptor checks, data access limit
 * and type checks, far JMP/CALL/RET through code segments and call gates,
 * IRET, delivery of exceptions and interrupts in real, protected, virtual-
 * 8086 and IA-32e mode (gates, privilege changes through the TSS, IST,
 * error codes), SYSCALL/SYSRET, SYSENTER/SYSEXIT, LLDT/LTR/LAR/LSL/
 * VERR/VERW, the TSS I/O permission bitmap, and the interrupt hooks the
 * cpu_exec loop calls.
 *
 * Descriptor tables, TSS and interrupt stacks are implicit supervisor
 * accesses (X86_MMU_KSMAP).  CPL is SS.DPL in protected mode.
 *
 * Not implemented: hardware task switches (JMP/CALL to a TSS or task gate,
 * IRET with NT, task gates in the IDT) raise #GP with a log message; the
 * virtual-8086 mode extensions (CR4.VME/PVI).
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "target/i386/x86-tcg.h"
#include "hw/intc/apic.h"
#include "sysemu/main-loop.h"

#define HELPER_H "target/i386/helper.h"
#include "tcg/helper-proto.h"

#define DESC_TYPE(e2)   (((e2) >> DESC_TYPE_SHIFT) & 15)
#define DESC_DPL(e2)    (((e2) >> DESC_DPL_SHIFT) & 3)
#define DESC_CS_MASK    (8u << DESC_TYPE_SHIFT)     /* code */
#define DESC_C_MASK     (4u << DESC_TYPE_SHIFT)     /* conforming / E */
#define DESC_R_MASK     (2u << DESC_TYPE_SHIFT)     /* readable / W */
#define DESC_A_MASK     (1u << DESC_TYPE_SHIFT)     /* accessed */
#define SEG_FLAGS(e2)   ((e2) & 0x00f0ff00)

static bool lma(CPUX86State *env)
{
    return env->efer & EFER_LMA;
}

static bool pmode(CPUX86State *env)
{
    return (env->cr[0] & CR0_PE_MASK) && !(env->rflags & RFLAGS_VM);
}

/* ---- system memory ---- */

static uint32_t sys_ldl(CPUX86State *env, uint64_t a, uintptr_t ra)
{
    return cpu_ldl_le_mmuidx_ra(env, a, X86_MMU_KSMAP, ra);
}

static uint32_t sys_lduw(CPUX86State *env, uint64_t a, uintptr_t ra)
{
    return cpu_lduw_le_mmuidx_ra(env, a, X86_MMU_KSMAP, ra);
}

static uint64_t sys_ldq(CPUX86State *env, uint64_t a, uintptr_t ra)
{
    return cpu_ldq_le_mmuidx_ra(env, a, X86_MMU_KSMAP, ra);
}

static void sys_stl(CPUX86State *env, uint64_t a, uint32_t v, uintptr_t ra)
{
    cpu_stl_le_mmuidx_ra(env, a, v, X86_MMU_KSMAP, ra);
}

/* ---- segment caches ---- */

void x86_load_seg_cache(CPUX86State *env, int seg, uint32_t sel,
                        uint64_t base, uint32_t limit, uint32_t flags)
{
    SegmentCache *sc = &env->segs[seg];

    sc->selector = sel;
    sc->base = base;
    sc->limit = limit;
    sc->flags = flags;
    x86_update_hflags(env);
}

static void load_seg_real(CPUX86State *env, int seg, uint32_t sel)
{
    SegmentCache *sc = &env->segs[seg];

    sel &= 0xffff;
    if (env->rflags & RFLAGS_VM) {
        /* virtual-8086: 64 KiB read/write data, DPL 3 */
        x86_load_seg_cache(env, seg, sel, sel << 4, 0xffff,
                           DESC_P_MASK | DESC_S_MASK | (3u << DESC_DPL_SHIFT) |
                           DESC_A_MASK | DESC_R_MASK |
                           (seg == R_CS ? DESC_CS_MASK : 0));
    } else {
        /* real mode: only selector and base change (SDM Vol. 3A 20.1.1) */
        x86_load_seg_cache(env, seg, sel, sel << 4, sc->limit, sc->flags);
    }
}

/* the two dwords of descriptor sel; false: beyond the table limit */
static bool load_desc(CPUX86State *env, uint32_t sel, uint32_t *e1,
                      uint32_t *e2, uintptr_t ra)
{
    const SegmentCache *dt = (sel & 4) ? &env->ldt : &env->gdt;
    uint32_t index = sel & ~7u;

    if ((sel & 4) && !(env->ldt.flags & DESC_P_MASK)) {
        return false;
    }
    if (index + 7 > dt->limit) {
        return false;
    }
    *e1 = sys_ldl(env, dt->base + index, ra);
    *e2 = sys_ldl(env, dt->base + index + 4, ra);
    return true;
}

static uint64_t desc_addr(CPUX86State *env, uint32_t sel)
{
    const SegmentCache *dt = (sel & 4) ? &env->ldt : &env->gdt;

    return dt->base + (sel & ~7u);
}

static void set_accessed(CPUX86State *env, uint32_t sel, uint32_t *e2,
                         uintptr_t ra)
{
    if (!(*e2 & DESC_A_MASK)) {
        *e2 |= DESC_A_MASK;
        sys_stl(env, desc_addr(env, sel) + 4, *e2, ra);
    }
}

/* MOV/POP to DS, ES, FS, GS, SS and the LxS loads (SDM Vol. 2 "MOV") */
void x86_load_seg(CPUX86State *env, int seg, uint32_t sel, uintptr_t ra)
{
    int cpl = x86_cpl(env), rpl, dpl;
    uint32_t e1, e2;

    sel &= 0xffff;
    if (!pmode(env)) {
        load_seg_real(env, seg, sel);
        return;
    }
    rpl = sel & 3;
    if ((sel & 0xfffc) == 0) {
        /* null selector: SS only in 64-bit mode at CPL < 3 (RPL = CPL) */
        if (seg == R_SS && !(lma(env) && (env->hflags & HF_CS64) &&
                             cpl != 3 && rpl == cpl)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
        x86_load_seg_cache(env, seg, sel, 0, 0,
                           seg == R_SS ? (uint32_t)cpl << DESC_DPL_SHIFT : 0);
        return;
    }
    if (!load_desc(env, sel, &e1, &e2, ra)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (!(e2 & DESC_S_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    dpl = DESC_DPL(e2);
    if (seg == R_SS) {
        /* writable data, RPL = DPL = CPL */
        if ((e2 & DESC_CS_MASK) || !(e2 & DESC_R_MASK) || rpl != cpl ||
            dpl != cpl) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
    } else {
        /* data or readable code; DPL >= CPL and RPL unless conforming */
        if ((e2 & (DESC_CS_MASK | DESC_R_MASK)) == DESC_CS_MASK) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        if (!((e2 & DESC_CS_MASK) && (e2 & DESC_C_MASK)) &&
            (dpl < cpl || dpl < rpl)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err_ra(env, seg == R_SS ? EXCP0C_STACK
                                                    : EXCP0B_NOSEG,
                                   sel & 0xfffc, ra);
    }
    set_accessed(env, sel, &e2, ra);
    x86_load_seg_cache(env, seg, sel, x86_desc_base(e1, e2),
                       x86_desc_limit(e1, e2), SEG_FLAGS(e2));
}

void helper_load_seg(CPUX86State *env, uint32_t seg, uint32_t sel)
{
    x86_load_seg(env, seg, sel, GETPC());
}

/*
 * A data access through a segment in protected mode (HF_SEGCHK): type,
 * presence and limit (SDM Vol. 3A 5.3, 5.4).  info: size | 0x100 write.
 */
void helper_seg_check(CPUX86State *env, uint32_t seg, uint64_t ea,
                      uint32_t info)
{
    const SegmentCache *sc = &env->segs[seg];
    uint32_t f = sc->flags, size = info & 0xff;
    bool write = info & 0x100;
    int vec = seg == R_SS ? EXCP0C_STACK : EXCP0D_GPF;
    uint64_t last = ea + size - 1;

    if (!(f & DESC_P_MASK)) {
        x86_raise_exception_err_ra(env, vec, 0, GETPC());
    }
    if (f & DESC_CS_MASK) {
        if (write || !(f & DESC_R_MASK)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
        }
    } else if (write && !(f & DESC_R_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    if (!(f & DESC_CS_MASK) && (f & DESC_C_MASK)) {
        /* expand-down: valid offsets are limit+1 .. 0xffff / 0xffffffff */
        uint64_t top = (f & DESC_B_MASK) ? 0xffffffffull : 0xffff;

        if (ea <= sc->limit || last > top) {
            x86_raise_exception_err_ra(env, vec, 0, GETPC());
        }
    } else if (last > sc->limit) {
        x86_raise_exception_err_ra(env, vec, 0, GETPC());
    }
}

/* ---- stacks ---- */

typedef struct StackPtr {
    uint64_t sp;        /* current offset */
    uint64_t mask;      /* 0xffff, 0xffffffff or ~0 */
    uint64_t base;
} StackPtr;

static StackPtr stack_of(uint64_t base, uint64_t sp, uint32_t ss_flags,
                         bool is64)
{
    StackPtr st = { .sp = sp, .base = base };

    st.mask = is64 ? ~0ull : (ss_flags & DESC_B_MASK) ? 0xffffffffull
                                                      : 0xffff;
    return st;
}

static uint64_t stack_addr(const StackPtr *st)
{
    uint64_t a = st->base + (st->sp & st->mask);

    return st->mask == ~0ull ? a : (uint32_t)a;
}

static void push(CPUX86State *env, StackPtr *st, int bytes, uint64_t v,
                 int mmu_idx, uintptr_t ra)
{
    st->sp = (st->sp & ~st->mask) | ((st->sp - bytes) & st->mask);
    switch (bytes) {
    case 2:
        cpu_stw_le_mmuidx_ra(env, stack_addr(st), v, mmu_idx, ra);
        break;
    case 4:
        cpu_stl_le_mmuidx_ra(env, stack_addr(st), v, mmu_idx, ra);
        break;
    default:
        cpu_stq_le_mmuidx_ra(env, stack_addr(st), v, mmu_idx, ra);
        break;
    }
}

static uint64_t pop(CPUX86State *env, StackPtr *st, int bytes, int mmu_idx,
                    uintptr_t ra)
{
    uint64_t v;

    switch (bytes) {
    case 2:
        v = cpu_lduw_le_mmuidx_ra(env, stack_addr(st), mmu_idx, ra);
        break;
    case 4:
        v = cpu_ldl_le_mmuidx_ra(env, stack_addr(st), mmu_idx, ra);
        break;
    default:
        v = cpu_ldq_le_mmuidx_ra(env, stack_addr(st), mmu_idx, ra);
        break;
    }
    st->sp = (st->sp & ~st->mask) | ((st->sp + bytes) & st->mask);
    return v;
}

static void set_rsp(CPUX86State *env, const StackPtr *st)
{
    if (st->mask == 0xffff) {
        env->regs[R_ESP] = (env->regs[R_ESP] & ~0xffffull) |
                           (st->sp & 0xffff);
    } else if (st->mask == 0xffffffffull) {
        env->regs[R_ESP] = (uint32_t)st->sp;
    } else {
        env->regs[R_ESP] = st->sp;
    }
}

static StackPtr cur_stack(CPUX86State *env)
{
    return stack_of(env->segs[R_SS].base, env->regs[R_ESP],
                    env->segs[R_SS].flags, env->hflags & HF_CS64);
}

/* SS:ESP of privilege level dpl from the TSS (SDM Vol. 3A 7.2.1) */
static void tss_stack(CPUX86State *env, int dpl, uint32_t *ss, uint64_t *sp,
                      uintptr_t ra)
{
    int type = DESC_TYPE(env->tr.flags);
    bool is32 = type & 8;
    uint32_t off = is32 ? 4 + 8 * dpl : 2 + 4 * dpl;
    uint32_t len = is32 ? 8 : 4;

    if (!(env->tr.flags & DESC_P_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0A_TSS, env->tr.selector & 0xfffc,
                                   ra);
    }
    if (off + len - 1 > env->tr.limit) {
        x86_raise_exception_err_ra(env, EXCP0A_TSS, env->tr.selector & 0xfffc,
                                   ra);
    }
    if (is32) {
        *sp = sys_ldl(env, env->tr.base + off, ra);
        *ss = sys_lduw(env, env->tr.base + off + 4, ra);
    } else {
        *sp = sys_lduw(env, env->tr.base + off, ra);
        *ss = sys_lduw(env, env->tr.base + off + 2, ra);
    }
}

/* 64-bit TSS: RSPn (n 0-2) or ISTn (n 1-7, ist = true) */
static uint64_t tss64_stack(CPUX86State *env, int n, bool ist, uintptr_t ra)
{
    uint32_t off = ist ? 0x24 + 8 * (n - 1) : 4 + 8 * n;

    if (off + 7 > env->tr.limit) {
        x86_raise_exception_err_ra(env, EXCP0A_TSS, env->tr.selector & 0xfffc,
                                   ra);
    }
    return sys_ldq(env, env->tr.base + off, ra);
}

/* load SS for a privilege change to cpl (checks raise #TS) */
static void load_ss_checked(CPUX86State *env, uint32_t ss, int cpl,
                            uintptr_t ra, uint32_t *e1p, uint32_t *e2p)
{
    uint32_t e1, e2;

    if ((ss & 0xfffc) == 0) {
        x86_raise_exception_err_ra(env, EXCP0A_TSS, ss & 0xfffc, ra);
    }
    if ((ss & 3) != cpl || !load_desc(env, ss, &e1, &e2, ra)) {
        x86_raise_exception_err_ra(env, EXCP0A_TSS, ss & 0xfffc, ra);
    }
    if (DESC_DPL(e2) != cpl || !(e2 & DESC_S_MASK) ||
        (e2 & DESC_CS_MASK) || !(e2 & DESC_R_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0A_TSS, ss & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0C_STACK, ss & 0xfffc, ra);
    }
    set_accessed(env, ss, &e2, ra);
    *e1p = e1;
    *e2p = e2;
}

/* after a return to an outer level: data segments the new CPL may not
 * use become null (SDM Vol. 3A 5.8.6) */
static void validate_seg(CPUX86State *env, int seg, int cpl)
{
    uint32_t f = env->segs[seg].flags;
    int dpl = DESC_DPL(f);

    if ((seg == R_FS || seg == R_GS) && (env->segs[seg].selector & 0xfffc)
        == 0) {
        return;
    }
    if (!(f & DESC_CS_MASK) || !(f & DESC_C_MASK)) {
        if (dpl < cpl) {
            x86_load_seg_cache(env, seg, 0, 0, 0, 0);
        }
    }
}

static void load_cs(CPUX86State *env, uint32_t sel, uint32_t e1, uint32_t e2,
                    int cpl)
{
    x86_load_seg_cache(env, R_CS, (sel & 0xfffc) | cpl,
                       x86_desc_base(e1, e2), x86_desc_limit(e1, e2),
                       SEG_FLAGS(e2));
}

static void load_ss_cache(CPUX86State *env, uint32_t sel, uint32_t e1,
                          uint32_t e2)
{
    x86_load_seg_cache(env, R_SS, sel, x86_desc_base(e1, e2),
                       x86_desc_limit(e1, e2), SEG_FLAGS(e2));
}

static bool canonical(CPUX86State *env, uint64_t a)
{
    int bits = (env->cr[4] & CR4_LA57_MASK) ? 57 : 48;

    return ((int64_t)(a << (64 - bits)) >> (64 - bits)) == (int64_t)a;
}

/* ---- far JMP, CALL, RET ---- */

static G_NORETURN void task_switch_unsupported(CPUX86State *env,
                                               uint32_t sel, uintptr_t ra)
{
    tlog_mask(LOG_GUEST_ERROR | LOG_UNIMP,
              "x86: hardware task switch to selector 0x%x not "
              "implemented: #GP\n", sel);
    x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
}

/* checks of a code segment as far JMP/CALL target (no privilege change) */
static void check_code_target(CPUX86State *env, uint32_t sel, uint32_t e2,
                              int cpl, uintptr_t ra)
{
    int dpl = DESC_DPL(e2), rpl = sel & 3;

    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (e2 & DESC_C_MASK) {
        if (dpl > cpl) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
    } else if (rpl > cpl || dpl != cpl) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    }
}

static void check_limit_rip(CPUX86State *env, uint32_t e1, uint32_t e2,
                            uint64_t rip, uintptr_t ra)
{
    if (lma(env) && (e2 & DESC_L_MASK)) {
        if (!canonical(env, rip)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
    } else if (rip > x86_desc_limit(e1, e2)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
}

/* a call gate (SDM Vol. 3A 5.8.3): target selector and offset */
static void read_gate(CPUX86State *env, uint32_t gsel, uint32_t e1,
                      uint32_t e2, uint32_t *sel, uint64_t *off,
                      uintptr_t ra)
{
    int type = DESC_TYPE(e2);

    *sel = e1 >> 16;
    *off = (e1 & 0xffff);
    if (type == 12) {
        *off |= e2 & 0xffff0000;
        if (lma(env)) {
            const SegmentCache *dt = (gsel & 4) ? &env->ldt : &env->gdt;
            uint32_t idx = gsel & ~7u, e3, e4;

            if (idx + 15 > dt->limit) {
                x86_raise_exception_err_ra(env, EXCP0D_GPF, gsel & 0xfffc,
                                           ra);
            }
            e3 = sys_ldl(env, dt->base + idx + 8, ra);
            e4 = sys_ldl(env, dt->base + idx + 12, ra);
            if ((e4 >> DESC_TYPE_SHIFT) & 0x1f) {
                x86_raise_exception_err_ra(env, EXCP0D_GPF, gsel & 0xfffc,
                                           ra);
            }
            *off |= (uint64_t)e3 << 32;
        }
    }
}

static bool gate_type_ok(CPUX86State *env, int type)
{
    return lma(env) ? type == 12 : (type == 4 || type == 12);
}

void helper_ljmp(CPUX86State *env, uint32_t sel, uint64_t off, uint32_t len)
{
    uintptr_t ra = GETPC();
    int cpl = x86_cpl(env);
    uint32_t e1, e2;

    sel &= 0xffff;
    if (!pmode(env)) {
        load_seg_real(env, R_CS, sel);
        env->rip = off;
        return;
    }
    if ((sel & 0xfffc) == 0) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (!load_desc(env, sel, &e1, &e2, ra)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (e2 & DESC_S_MASK) {
        check_code_target(env, sel, e2, cpl, ra);
        check_limit_rip(env, e1, e2, off, ra);
        set_accessed(env, sel, &e2, ra);
        load_cs(env, sel, e1, e2, cpl);
        env->rip = off;
        return;
    }
    {
        int type = DESC_TYPE(e2), dpl = DESC_DPL(e2);
        uint32_t gsel = sel;
        uint64_t goff;

        if (type == 1 || type == 9 || type == 5) {
            task_switch_unsupported(env, sel, ra);
        }
        if (!gate_type_ok(env, type)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        if (dpl < cpl || dpl < (int)(sel & 3)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        if (!(e2 & DESC_P_MASK)) {
            x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
        }
        read_gate(env, gsel, e1, e2, &sel, &goff, ra);
        if (type == 4) {
            goff &= 0xffff;
        }
        if ((sel & 0xfffc) == 0 || !load_desc(env, sel, &e1, &e2, ra)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        /* through a gate JMP does not change CPL either */
        if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) ||
            ((e2 & DESC_C_MASK) ? DESC_DPL(e2) > cpl : DESC_DPL(e2) != cpl)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        if (!(e2 & DESC_P_MASK)) {
            x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
        }
        check_limit_rip(env, e1, e2, goff, ra);
        set_accessed(env, sel, &e2, ra);
        load_cs(env, sel, e1, e2, cpl);
        env->rip = goff;
    }
}

void helper_lcall(CPUX86State *env, uint32_t sel, uint64_t off, uint32_t ot,
                  uint32_t len)
{
    uintptr_t ra = GETPC();
    int cpl = x86_cpl(env);
    int bytes = 1 << ot;
    uint64_t next = env->rip + len;
    uint32_t e1, e2;
    StackPtr st = cur_stack(env);

    sel &= 0xffff;
    if (!(env->hflags & HF_CS64)) {
        next = (uint32_t)next;
    }
    if (!pmode(env)) {
        push(env, &st, bytes, env->segs[R_CS].selector, X86_MMU_KSMAP, ra);
        push(env, &st, bytes, next, X86_MMU_KSMAP, ra);
        set_rsp(env, &st);
        load_seg_real(env, R_CS, sel);
        env->rip = off;
        return;
    }
    if ((sel & 0xfffc) == 0) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (!load_desc(env, sel, &e1, &e2, ra)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (e2 & DESC_S_MASK) {
        int midx = x86_mmu_index_of(env);

        check_code_target(env, sel, e2, cpl, ra);
        check_limit_rip(env, e1, e2, off, ra);
        push(env, &st, bytes, env->segs[R_CS].selector, midx, ra);
        push(env, &st, bytes, next, midx, ra);
        set_accessed(env, sel, &e2, ra);
        set_rsp(env, &st);
        load_cs(env, sel, e1, e2, cpl);
        env->rip = off;
        return;
    }
    {
        int type = DESC_TYPE(e2), dpl = DESC_DPL(e2), gbytes, nparams;
        uint32_t gsel = sel, ge2 = e2;
        uint64_t goff;

        if (type == 1 || type == 9 || type == 5) {
            task_switch_unsupported(env, sel, ra);
        }
        if (!gate_type_ok(env, type)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        if (dpl < cpl || dpl < (int)(sel & 3)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        if (!(e2 & DESC_P_MASK)) {
            x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
        }
        read_gate(env, gsel, e1, e2, &sel, &goff, ra);
        gbytes = lma(env) ? 8 : type == 12 ? 4 : 2;
        nparams = lma(env) ? 0 : ge2 & 0x1f;
        if (type == 4) {
            goff &= 0xffff;
        }
        if ((sel & 0xfffc) == 0) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
        if (!load_desc(env, sel, &e1, &e2, ra)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        dpl = DESC_DPL(e2);
        if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) || dpl > cpl) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        if (lma(env) && (!(e2 & DESC_L_MASK) || (e2 & DESC_B_MASK))) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        if (!(e2 & DESC_P_MASK)) {
            x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
        }
        if (!(e2 & DESC_C_MASK) && dpl < cpl) {
            /* to an inner level: the stack from the TSS */
            uint32_t ss, se1 = 0, se2 = 0;
            uint64_t sp, old_ss = env->segs[R_SS].selector;
            uint64_t old_sp = env->regs[R_ESP];
            uint64_t params[32];
            StackPtr old = cur_stack(env), nst;

            if (lma(env)) {
                sp = tss64_stack(env, dpl, false, ra);
                ss = dpl;
                nst = stack_of(0, sp, 0, true);
            } else {
                tss_stack(env, dpl, &ss, &sp, ra);
                load_ss_checked(env, ss, dpl, ra, &se1, &se2);
                nst = stack_of(x86_desc_base(se1, se2), sp, se2, false);
            }
            for (int i = nparams - 1; i >= 0; i--) {
                StackPtr p = old;

                p.sp += i * gbytes;
                params[i] = pop(env, &p, gbytes, X86_MMU_KSMAP, ra);
            }
            push(env, &nst, gbytes, old_ss, X86_MMU_KSMAP, ra);
            push(env, &nst, gbytes, old_sp, X86_MMU_KSMAP, ra);
            for (int i = nparams - 1; i >= 0; i--) {
                push(env, &nst, gbytes, params[i], X86_MMU_KSMAP, ra);
            }
            push(env, &nst, gbytes, env->segs[R_CS].selector, X86_MMU_KSMAP,
                 ra);
            push(env, &nst, gbytes, next, X86_MMU_KSMAP, ra);
            if (lma(env)) {
                x86_load_seg_cache(env, R_SS, dpl, 0, 0,
                                   (uint32_t)dpl << DESC_DPL_SHIFT);
            } else {
                load_ss_cache(env, ss, se1, se2);
            }
            set_accessed(env, sel, &e2, ra);
            load_cs(env, sel, e1, e2, dpl);
            set_rsp(env, &nst);
            env->rip = goff;
            x86_update_hflags(env);
            return;
        }
        /* same level */
        {
            int midx = x86_mmu_index_of(env);

            check_limit_rip(env, e1, e2, goff, ra);
            push(env, &st, gbytes, env->segs[R_CS].selector, midx, ra);
            push(env, &st, gbytes, next, midx, ra);
            set_accessed(env, sel, &e2, ra);
            set_rsp(env, &st);
            load_cs(env, sel, e1, e2, cpl);
            env->rip = goff;
        }
    }
}

/* RETF (and the common part of IRET): pops at ot, then extra bytes */
void helper_lret(CPUX86State *env, uint32_t ot, uint32_t extra)
{
    uintptr_t ra = GETPC();
    int bytes = 1 << ot, cpl = x86_cpl(env), rpl;
    StackPtr st = cur_stack(env);
    int midx = x86_mmu_index_of(env);
    uint64_t rip;
    uint32_t sel, e1, e2;

    rip = pop(env, &st, bytes, midx, ra);
    sel = pop(env, &st, bytes, midx, ra) & 0xffff;
    if (!pmode(env)) {
        st.sp = (st.sp & ~st.mask) | ((st.sp + extra) & st.mask);
        set_rsp(env, &st);
        load_seg_real(env, R_CS, sel);
        env->rip = rip;
        return;
    }
    rpl = sel & 3;
    if ((sel & 0xfffc) == 0 || rpl < cpl) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (!load_desc(env, sel, &e1, &e2, ra)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) ||
        ((e2 & DESC_C_MASK) ? DESC_DPL(e2) > rpl : DESC_DPL(e2) != rpl)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    }
    st.sp = (st.sp & ~st.mask) | ((st.sp + extra) & st.mask);
    if (rpl == cpl) {
        check_limit_rip(env, e1, e2, rip, ra);
        set_rsp(env, &st);
        load_cs(env, sel, e1, e2, cpl);
        env->rip = rip;
        return;
    }
    /* to an outer level: SS:rSP follow */
    {
        uint64_t sp = pop(env, &st, bytes, midx, ra);
        uint32_t ss = pop(env, &st, bytes, midx, ra) & 0xffff, se1, se2;

        check_limit_rip(env, e1, e2, rip, ra);
        if ((ss & 0xfffc) == 0 && lma(env) && (e2 & DESC_L_MASK) &&
            rpl != 3) {
            x86_load_seg_cache(env, R_SS, ss, 0, 0,
                               (uint32_t)rpl << DESC_DPL_SHIFT);
        } else {
            if ((ss & 0xfffc) == 0) {
                x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
            }
            if ((ss & 3) != rpl || !load_desc(env, ss, &se1, &se2, ra) ||
                DESC_DPL(se2) != rpl || !(se2 & DESC_S_MASK) ||
                (se2 & DESC_CS_MASK) || !(se2 & DESC_R_MASK)) {
                x86_raise_exception_err_ra(env, EXCP0D_GPF, ss & 0xfffc, ra);
            }
            if (!(se2 & DESC_P_MASK)) {
                x86_raise_exception_err_ra(env, EXCP0C_STACK, ss & 0xfffc,
                                           ra);
            }
            set_accessed(env, ss, &se2, ra);
            load_ss_cache(env, ss, se1, se2);
        }
        load_cs(env, sel, e1, e2, rpl);
        st = stack_of(env->segs[R_SS].base, sp + extra, env->segs[R_SS].flags,
                      env->hflags & HF_CS64);
        set_rsp(env, &st);
        env->rip = rip;
        validate_seg(env, R_ES, rpl);
        validate_seg(env, R_DS, rpl);
        validate_seg(env, R_FS, rpl);
        validate_seg(env, R_GS, rpl);
    }
}

/* ---- IRET (SDM Vol. 2 "IRET/IRETD/IRETQ") ---- */

static void iret_flags(CPUX86State *env, uint64_t fl, int ot, int cpl)
{
    uint64_t mask = CC_MASK | RFLAGS_TF | RFLAGS_DF | RFLAGS_NT |
                    RFLAGS_RF | RFLAGS_AC | RFLAGS_ID;
    int iopl = (env->rflags >> 12) & 3;

    if (cpl == 0) {
        mask |= RFLAGS_IOPL | RFLAGS_VIF | RFLAGS_VIP;
    }
    if (cpl <= iopl) {
        mask |= RFLAGS_IF;
    }
    if (ot == MO_16) {
        mask &= 0xffff;
    }
    x86_write_eflags(env, fl, mask);
}

void helper_iret(CPUX86State *env, uint32_t ot, uint32_t len)
{
    uintptr_t ra = GETPC();
    int bytes = 1 << ot, cpl = x86_cpl(env), rpl;
    StackPtr st = cur_stack(env);
    int midx = x86_mmu_index_of(env);
    uint64_t rip, fl;
    uint32_t sel, e1, e2;

    env->nmi_masked = false;
    if (!pmode(env)) {
        uint64_t mask = CC_MASK | RFLAGS_TF | RFLAGS_DF | RFLAGS_NT |
                        RFLAGS_IF | RFLAGS_AC | RFLAGS_ID | RFLAGS_RF;

        rip = pop(env, &st, bytes, midx, ra);
        sel = pop(env, &st, bytes, midx, ra) & 0xffff;
        fl = pop(env, &st, bytes, midx, ra);
        if (env->rflags & RFLAGS_VM) {
            /* virtual-8086 with IOPL 3 (checked): IOPL stays */
        } else {
            mask |= RFLAGS_IOPL;
        }
        if (ot == MO_16) {
            mask &= 0xffff;
        }
        set_rsp(env, &st);
        load_seg_real(env, R_CS, sel);
        env->rip = rip;
        x86_write_eflags(env, fl, mask);
        return;
    }
    if (env->rflags & RFLAGS_NT) {
        if (lma(env)) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
        task_switch_unsupported(env, sys_lduw(env, env->tr.base, ra), ra);
    }
    rip = pop(env, &st, bytes, midx, ra);
    sel = pop(env, &st, bytes, midx, ra) & 0xffff;
    fl = pop(env, &st, bytes, midx, ra);
    if (!lma(env) && (fl & RFLAGS_VM) && cpl == 0 && ot == MO_32) {
        /* back to virtual-8086 mode */
        uint64_t sp = pop(env, &st, 4, midx, ra);
        uint32_t ss = pop(env, &st, 4, midx, ra);
        uint32_t es = pop(env, &st, 4, midx, ra);
        uint32_t ds = pop(env, &st, 4, midx, ra);
        uint32_t fs = pop(env, &st, 4, midx, ra);
        uint32_t gs = pop(env, &st, 4, midx, ra);

        x86_write_eflags(env, fl, ~0ull);
        load_seg_real(env, R_CS, sel);
        load_seg_real(env, R_SS, ss);
        load_seg_real(env, R_ES, es);
        load_seg_real(env, R_DS, ds);
        load_seg_real(env, R_FS, fs);
        load_seg_real(env, R_GS, gs);
        env->rip = rip & 0xffff;
        env->regs[R_ESP] = (uint32_t)sp;
        x86_update_hflags(env);
        return;
    }
    rpl = sel & 3;
    if ((sel & 0xfffc) == 0 || rpl < cpl) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (!load_desc(env, sel, &e1, &e2, ra)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) ||
        ((e2 & DESC_C_MASK) ? DESC_DPL(e2) > rpl : DESC_DPL(e2) != rpl)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    }
    /* 64-bit mode always pops SS:RSP */
    if (rpl == cpl && !(env->hflags & HF_CS64)) {
        check_limit_rip(env, e1, e2, rip, ra);
        set_rsp(env, &st);
        load_cs(env, sel, e1, e2, cpl);
        env->rip = rip;
        iret_flags(env, fl, ot, cpl);
        return;
    }
    {
        uint64_t sp = pop(env, &st, bytes, midx, ra);
        uint32_t ss = pop(env, &st, bytes, midx, ra) & 0xffff, se1, se2;

        check_limit_rip(env, e1, e2, rip, ra);
        if ((ss & 0xfffc) == 0 && lma(env) && (e2 & DESC_L_MASK) &&
            rpl != 3) {
            x86_load_seg_cache(env, R_SS, ss, 0, 0,
                               (uint32_t)rpl << DESC_DPL_SHIFT);
        } else {
            if ((ss & 0xfffc) == 0) {
                x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
            }
            if ((ss & 3) != rpl || !load_desc(env, ss, &se1, &se2, ra) ||
                DESC_DPL(se2) != rpl || !(se2 & DESC_S_MASK) ||
                (se2 & DESC_CS_MASK) || !(se2 & DESC_R_MASK)) {
                x86_raise_exception_err_ra(env, EXCP0D_GPF, ss & 0xfffc, ra);
            }
            if (!(se2 & DESC_P_MASK)) {
                x86_raise_exception_err_ra(env, EXCP0C_STACK, ss & 0xfffc,
                                           ra);
            }
            set_accessed(env, ss, &se2, ra);
            load_ss_cache(env, ss, se1, se2);
        }
        load_cs(env, sel, e1, e2, rpl);
        env->rip = rip;
        iret_flags(env, fl, ot, cpl);
        st = stack_of(env->segs[R_SS].base, sp, env->segs[R_SS].flags,
                      env->hflags & HF_CS64);
        st.sp = sp;
        set_rsp(env, &st);
        if (rpl > cpl) {
            validate_seg(env, R_ES, rpl);
            validate_seg(env, R_DS, rpl);
            validate_seg(env, R_FS, rpl);
            validate_seg(env, R_GS, rpl);
        }
    }
}

/* ---- exception and interrupt delivery (SDM Vol. 3A 6.12, 6.14) ---- */

static bool has_error_code(int vector)
{
    switch (vector) {
    case EXCP08_DBLE: case EXCP0A_TSS: case EXCP0B_NOSEG: case EXCP0C_STACK:
    case EXCP0D_GPF: case EXCP0E_PAGE: case EXCP11_ALGN: case EXCP15_CP:
        return true;
    default:
        return false;
    }
}

static void do_interrupt_real(CPUX86State *env, int vector, uint64_t ret)
{
    StackPtr st = cur_stack(env);
    uint32_t off = vector * 4;
    uint16_t ip, cs;

    if (off + 3 > env->idt.limit) {
        x86_raise_exception_err(env, EXCP0D_GPF, vector * 8 + 2);
    }
    ip = cpu_lduw_le_mmuidx_ra(env, env->idt.base + off, X86_MMU_KSMAP, 0);
    cs = cpu_lduw_le_mmuidx_ra(env, env->idt.base + off + 2, X86_MMU_KSMAP,
                               0);
    push(env, &st, 2, x86_rflags_get(env), X86_MMU_KSMAP, 0);
    push(env, &st, 2, env->segs[R_CS].selector, X86_MMU_KSMAP, 0);
    push(env, &st, 2, ret, X86_MMU_KSMAP, 0);
    set_rsp(env, &st);
    env->rflags &= ~(uint64_t)(RFLAGS_IF | RFLAGS_TF | RFLAGS_AC |
                               RFLAGS_RF);
    load_seg_real(env, R_CS, cs);
    env->rip = ip;
}

/* kind: 0 exception/hardware interrupt, 1 INT n/INT3/INTO, 2 INT1 */
static void do_interrupt_prot(CPUX86State *env, int vector, int kind,
                              bool is_hw, uint32_t err, uint64_t ret)
{
    bool ext = kind == 0 || kind == 2;
    bool push_err = kind == 0 && !is_hw && has_error_code(vector);
    uint32_t ext_bit = ext ? 1 : 0, e1, e2, sel, gate_off_hi;
    int cpl = x86_cpl(env), type, dpl, gbytes, new_cpl;
    uint64_t off, rfl = x86_rflags_get(env);
    StackPtr st;
    bool v86 = env->rflags & RFLAGS_VM;

    if (vector * 8 + 7 > env->idt.limit) {
        x86_raise_exception_err(env, EXCP0D_GPF, vector * 8 + 2 + ext_bit);
    }
    e1 = sys_ldl(env, env->idt.base + vector * 8, 0);
    e2 = sys_ldl(env, env->idt.base + vector * 8 + 4, 0);
    type = DESC_TYPE(e2);
    if (type == 5) {
        task_switch_unsupported(env, e1 >> 16, 0);
    }
    if (type != 6 && type != 7 && type != 14 && type != 15) {
        x86_raise_exception_err(env, EXCP0D_GPF, vector * 8 + 2 + ext_bit);
    }
    dpl = DESC_DPL(e2);
    if (kind == 1 && dpl < cpl) {
        x86_raise_exception_err(env, EXCP0D_GPF, vector * 8 + 2);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, vector * 8 + 2 + ext_bit);
    }
    sel = e1 >> 16;
    off = (e2 & 0xffff0000) | (e1 & 0xffff);
    gbytes = (type & 8) ? 4 : 2;
    (void)gate_off_hi;
    if ((sel & 0xfffc) == 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, ext_bit);
    }
    if (!load_desc(env, sel, &e1, &e2, 0)) {
        x86_raise_exception_err(env, EXCP0D_GPF, (sel & 0xfffc) | ext_bit);
    }
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) || DESC_DPL(e2) > cpl) {
        x86_raise_exception_err(env, EXCP0D_GPF, (sel & 0xfffc) | ext_bit);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, (sel & 0xfffc) | ext_bit);
    }
    new_cpl = (e2 & DESC_C_MASK) ? cpl : DESC_DPL(e2);
    if (gbytes == 2) {
        off &= 0xffff;
    }
    if (new_cpl < cpl) {
        uint32_t ss, se1, se2;
        uint64_t sp;
        uint32_t old_ss = env->segs[R_SS].selector;
        uint64_t old_sp = env->regs[R_ESP];

        tss_stack(env, new_cpl, &ss, &sp, 0);
        load_ss_checked(env, ss, new_cpl, 0, &se1, &se2);
        st = stack_of(x86_desc_base(se1, se2), sp, se2, false);
        if (v86) {
            push(env, &st, gbytes, env->segs[R_GS].selector, X86_MMU_KSMAP, 0);
            push(env, &st, gbytes, env->segs[R_FS].selector, X86_MMU_KSMAP, 0);
            push(env, &st, gbytes, env->segs[R_DS].selector, X86_MMU_KSMAP, 0);
            push(env, &st, gbytes, env->segs[R_ES].selector, X86_MMU_KSMAP, 0);
        }
        push(env, &st, gbytes, old_ss, X86_MMU_KSMAP, 0);
        push(env, &st, gbytes, old_sp, X86_MMU_KSMAP, 0);
        push(env, &st, gbytes, rfl, X86_MMU_KSMAP, 0);
        push(env, &st, gbytes, env->segs[R_CS].selector, X86_MMU_KSMAP, 0);
        push(env, &st, gbytes, ret, X86_MMU_KSMAP, 0);
        if (push_err) {
            push(env, &st, gbytes, err, X86_MMU_KSMAP, 0);
        }
        if (v86) {
            x86_load_seg_cache(env, R_ES, 0, 0, 0, 0);
            x86_load_seg_cache(env, R_DS, 0, 0, 0, 0);
            x86_load_seg_cache(env, R_FS, 0, 0, 0, 0);
            x86_load_seg_cache(env, R_GS, 0, 0, 0, 0);
        }
        load_ss_cache(env, ss, se1, se2);
    } else {
        if (v86) {
            x86_raise_exception_err(env, EXCP0D_GPF, (sel & 0xfffc) | ext_bit);
        }
        st = cur_stack(env);
        push(env, &st, gbytes, rfl, X86_MMU_KSMAP, 0);
        push(env, &st, gbytes, env->segs[R_CS].selector, X86_MMU_KSMAP, 0);
        push(env, &st, gbytes, ret, X86_MMU_KSMAP, 0);
        if (push_err) {
            push(env, &st, gbytes, err, X86_MMU_KSMAP, 0);
        }
    }
    set_rsp(env, &st);
    set_accessed(env, sel, &e2, 0);
    load_cs(env, sel, e1, e2, new_cpl);
    env->rip = off;
    env->rflags &= ~(uint64_t)(RFLAGS_TF | RFLAGS_NT | RFLAGS_RF |
                               RFLAGS_VM);
    if (!(type & 1)) {
        env->rflags &= ~(uint64_t)RFLAGS_IF;    /* interrupt gate */
    }
    x86_update_hflags(env);
}

static void do_interrupt64(CPUX86State *env, int vector, int kind,
                           bool is_hw, uint32_t err, uint64_t ret)
{
    bool ext = kind == 0 || kind == 2;
    bool push_err = kind == 0 && !is_hw && has_error_code(vector);
    uint32_t ext_bit = ext ? 1 : 0, e1, e2, e3, sel;
    int cpl = x86_cpl(env), type, dpl, ist, new_cpl;
    uint64_t off, rfl = x86_rflags_get(env), sp;
    StackPtr st;

    if (vector * 16 + 15 > env->idt.limit) {
        x86_raise_exception_err(env, EXCP0D_GPF, vector * 8 + 2 + ext_bit);
    }
    e1 = sys_ldl(env, env->idt.base + vector * 16, 0);
    e2 = sys_ldl(env, env->idt.base + vector * 16 + 4, 0);
    e3 = sys_ldl(env, env->idt.base + vector * 16 + 8, 0);
    type = DESC_TYPE(e2);
    if (type != 14 && type != 15) {
        x86_raise_exception_err(env, EXCP0D_GPF, vector * 8 + 2 + ext_bit);
    }
    dpl = DESC_DPL(e2);
    if (kind == 1 && dpl < cpl) {
        x86_raise_exception_err(env, EXCP0D_GPF, vector * 8 + 2);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, vector * 8 + 2 + ext_bit);
    }
    sel = e1 >> 16;
    off = ((uint64_t)e3 << 32) | (e2 & 0xffff0000) | (e1 & 0xffff);
    ist = e2 & 7;
    if ((sel & 0xfffc) == 0) {
        x86_raise_exception_err(env, EXCP0D_GPF, ext_bit);
    }
    if (!load_desc(env, sel, &e1, &e2, 0)) {
        x86_raise_exception_err(env, EXCP0D_GPF, (sel & 0xfffc) | ext_bit);
    }
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK) || DESC_DPL(e2) > cpl ||
        !(e2 & DESC_L_MASK) || (e2 & DESC_B_MASK)) {
        x86_raise_exception_err(env, EXCP0D_GPF, (sel & 0xfffc) | ext_bit);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err(env, EXCP0B_NOSEG, (sel & 0xfffc) | ext_bit);
    }
    new_cpl = (e2 & DESC_C_MASK) ? cpl : DESC_DPL(e2);
    if (ist) {
        sp = tss64_stack(env, ist, true, 0);
    } else if (new_cpl < cpl) {
        sp = tss64_stack(env, new_cpl, false, 0);
    } else {
        sp = env->regs[R_ESP];
    }
    sp &= ~0xfull;                              /* 16-byte aligned */
    st = stack_of(0, sp, 0, true);
    push(env, &st, 8, env->segs[R_SS].selector, X86_MMU_KSMAP, 0);
    push(env, &st, 8, env->regs[R_ESP], X86_MMU_KSMAP, 0);
    push(env, &st, 8, rfl, X86_MMU_KSMAP, 0);
    push(env, &st, 8, env->segs[R_CS].selector, X86_MMU_KSMAP, 0);
    push(env, &st, 8, ret, X86_MMU_KSMAP, 0);
    if (push_err) {
        push(env, &st, 8, err, X86_MMU_KSMAP, 0);
    }
    if (new_cpl < cpl) {
        x86_load_seg_cache(env, R_SS, new_cpl, 0, 0,
                           (uint32_t)new_cpl << DESC_DPL_SHIFT);
    }
    env->regs[R_ESP] = st.sp;
    set_accessed(env, sel, &e2, 0);
    load_cs(env, sel, e1, e2, new_cpl);
    env->rip = off;
    env->rflags &= ~(uint64_t)(RFLAGS_TF | RFLAGS_NT | RFLAGS_RF |
                               RFLAGS_VM);
    if (!(type & 1)) {
        env->rflags &= ~(uint64_t)RFLAGS_IF;
    }
    x86_update_hflags(env);
}

static void log_interrupt(CPUX86State *env, int vector, int kind, bool is_hw,
                          uint32_t err)
{
    CPUState *cs = env_cpu(env);

    if (!turtle_loglevel_mask(CPU_LOG_INT)) {
        return;
    }
    tlog_mask(CPU_LOG_INT, "%6d: v=%02x e=%04x i=%d cpl=%d IP=%04x:%016"
              PRIx64 " pc=%016" PRIx64 " SP=%04x:%016" PRIx64,
              cs->cpu_index, vector,
              (kind == 0 && !is_hw && has_error_code(vector)) ? err : 0,
              kind == 1, x86_cpl(env), env->segs[R_CS].selector, env->rip,
              env->segs[R_CS].base + env->rip, env->segs[R_SS].selector,
              env->regs[R_ESP]);
    if (vector == EXCP0E_PAGE) {
        tlog_mask(CPU_LOG_INT, " CR2=%016" PRIx64, env->cr[2]);
    } else {
        tlog_mask(CPU_LOG_INT, " env->regs[R_EAX]=%016" PRIx64,
                  env->regs[R_EAX]);
    }
    tlog_mask(CPU_LOG_INT, "\n");
}

/* deliver vector; is_hw: an external interrupt (no error code) */
static void do_interrupt_all(CPUX86State *env, int vector, int kind,
                             bool is_hw, uint32_t err, uint64_t next)
{
    uint64_t ret = kind ? next : env->rip;

    log_interrupt(env, vector, kind, is_hw, err);
    if (kind == 0 && !is_hw) {
        env->old_exception = vector;
    }
    if (!(env->cr[0] & CR0_PE_MASK)) {
        do_interrupt_real(env, vector, ret);
    } else if (lma(env)) {
        do_interrupt64(env, vector, kind, is_hw, err, ret);
    } else {
        do_interrupt_prot(env, vector, kind, is_hw, err, ret);
    }
    env->old_exception = -1;
    env->interrupt_shadow = 0;
    x86_update_hflags(env);
}

void x86_cpu_do_interrupt(CPUState *cs)
{
    CPUX86State *env = cpu_env_of(cs);
    int vector = cs->exception_index;

    do_interrupt_all(env, vector, env->exc_kind, false, env->exc_error_code,
                     env->exc_next_rip);
    env->exc_kind = 0;
}

/* ---- interrupts from the APIC / PIC (cpu_exec loop, BQL held) ---- */

static bool x86_irq_enabled(CPUX86State *env)
{
    return (env->rflags & RFLAGS_IF) && !env->interrupt_shadow;
}

bool x86_cpu_exec_interrupt(CPUState *cs, int request)
{
    X86CPU *cpu = X86_CPU(cs);
    CPUX86State *env = &cpu->env;
    DeviceState *apic = cpu->apic;

    if (request & APIC_INTERRUPT_INIT) {
        cpu_reset_interrupt(cs, APIC_INTERRUPT_INIT);
        x86_cpu_init_received(cpu);
        return true;
    }
    if (request & APIC_INTERRUPT_SIPI) {
        cpu_reset_interrupt(cs, APIC_INTERRUPT_SIPI);
        x86_cpu_sipi_received(cpu);
        return true;
    }
    if (env->mp_state == X86_MP_WAIT_FOR_INIT ||
        env->mp_state == X86_MP_WAIT_FOR_SIPI) {
        return false;
    }
    if ((request & APIC_INTERRUPT_NMI) && !env->nmi_masked &&
        !env->interrupt_shadow) {
        cpu_reset_interrupt(cs, APIC_INTERRUPT_NMI);
        env->nmi_masked = true;
        do_interrupt_all(env, EXCP02_NMI, 0, true, 0, 0);
        return true;
    }
    if ((request & CPU_INTERRUPT_HARD) && x86_irq_enabled(env)) {
        int vector;

        cpu_reset_interrupt(cs, CPU_INTERRUPT_HARD);
        vector = apic_intack(apic);
        if (vector >= 0) {
            do_interrupt_all(env, vector, 0, true, 0, 0);
            return true;
        }
    }
    return false;
}

/* ---- SYSCALL / SYSRET (AMD64 APM Vol. 2 6.1.1, SDM Vol. 2) ---- */

static const uint32_t flat_code64 = DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK |
                                    DESC_R_MASK | DESC_A_MASK | DESC_G_MASK |
                                    DESC_L_MASK;
static const uint32_t flat_code32 = DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK |
                                    DESC_R_MASK | DESC_A_MASK | DESC_G_MASK |
                                    DESC_B_MASK;
static const uint32_t flat_data = DESC_P_MASK | DESC_S_MASK | DESC_R_MASK |
                                  DESC_A_MASK | DESC_G_MASK | DESC_B_MASK;

void helper_syscall(CPUX86State *env, uint32_t len)
{
    uint32_t sel = (env->star >> 32) & 0xfffc;
    uint64_t next = env->rip + len;

    if (!(env->efer & EFER_SCE)) {
        x86_raise_exception_ra(env, EXCP06_ILLOP, GETPC());
    }
    if (!(env->cr[0] & CR0_PE_MASK)) {
        x86_raise_exception_ra(env, EXCP06_ILLOP, GETPC());
    }
    if (lma(env)) {
        bool code64 = env->hflags & HF_CS64;

        env->regs[R_ECX] = code64 ? next : (uint32_t)next;
        env->regs[11] = x86_rflags_get(env) & ~(uint64_t)RFLAGS_RF;
        x86_write_eflags(env, 0, env->fmask | RFLAGS_RF);
        x86_load_seg_cache(env, R_CS, sel, 0, 0xffffffff, flat_code64);
        x86_load_seg_cache(env, R_SS, sel + 8, 0, 0xffffffff, flat_data);
        env->rip = code64 ? env->lstar : env->cstar;
    } else {
        env->regs[R_ECX] = (uint32_t)next;
        x86_write_eflags(env, 0, RFLAGS_IF | RFLAGS_VM | RFLAGS_RF);
        x86_load_seg_cache(env, R_CS, sel, 0, 0xffffffff, flat_code32);
        x86_load_seg_cache(env, R_SS, sel + 8, 0, 0xffffffff, flat_data);
        env->rip = (uint32_t)env->star;
    }
    x86_update_hflags(env);
}

void helper_sysret(CPUX86State *env, uint32_t dflag)
{
    uint32_t sel = (env->star >> 48) & 0xffff;
    const uint32_t dpl3 = 3u << DESC_DPL_SHIFT;

    if (!(env->efer & EFER_SCE)) {
        x86_raise_exception_ra(env, EXCP06_ILLOP, GETPC());
    }
    if (x86_cpl(env) != 0) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    if (lma(env)) {
        if (dflag == MO_64) {
            x86_load_seg_cache(env, R_CS, (sel + 16) | 3, 0, 0xffffffff,
                               flat_code64 | dpl3);
            env->rip = env->regs[R_ECX];
        } else {
            x86_load_seg_cache(env, R_CS, sel | 3, 0, 0xffffffff,
                               flat_code32 | dpl3);
            env->rip = (uint32_t)env->regs[R_ECX];
        }
        x86_load_seg_cache(env, R_SS, (sel + 8) | 3, 0, 0xffffffff,
                           flat_data | dpl3);
        x86_write_eflags(env, env->regs[11] | 2,
                         ~(uint64_t)(RFLAGS_VM | RFLAGS_RF) & 0x3fffd7ull);
    } else {
        x86_load_seg_cache(env, R_CS, sel | 3, 0, 0xffffffff,
                           flat_code32 | dpl3);
        x86_load_seg_cache(env, R_SS, (sel + 8) | 3, 0, 0xffffffff,
                           flat_data | dpl3);
        env->rip = (uint32_t)env->regs[R_ECX];
        env->rflags |= RFLAGS_IF;
    }
    x86_update_hflags(env);
}

/* ---- SYSENTER / SYSEXIT (SDM Vol. 2) ---- */

void helper_sysenter(CPUX86State *env)
{
    uint32_t cs = env->sysenter_cs & 0xfffc;

    if (!(env->cr[0] & CR0_PE_MASK) || cs == 0) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    env->rflags &= ~(uint64_t)(RFLAGS_VM | RFLAGS_IF | RFLAGS_RF);
    if (lma(env)) {
        x86_load_seg_cache(env, R_CS, cs, 0, 0xffffffff, flat_code64);
        env->regs[R_ESP] = env->sysenter_esp;
        env->rip = env->sysenter_eip;
    } else {
        x86_load_seg_cache(env, R_CS, cs, 0, 0xffffffff, flat_code32);
        env->regs[R_ESP] = (uint32_t)env->sysenter_esp;
        env->rip = (uint32_t)env->sysenter_eip;
    }
    x86_load_seg_cache(env, R_SS, cs + 8, 0, 0xffffffff, flat_data);
    x86_update_hflags(env);
}

void helper_sysexit(CPUX86State *env, uint32_t dflag)
{
    uint32_t cs = env->sysenter_cs & 0xfffc;
    const uint32_t dpl3 = 3u << DESC_DPL_SHIFT;

    if (!(env->cr[0] & CR0_PE_MASK) || cs == 0 || x86_cpl(env) != 0) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    if (dflag == MO_64) {
        x86_load_seg_cache(env, R_CS, (cs + 32) | 3, 0, 0xffffffff,
                           flat_code64 | dpl3);
        x86_load_seg_cache(env, R_SS, (cs + 40) | 3, 0, 0xffffffff,
                           flat_data | dpl3);
        env->regs[R_ESP] = env->regs[R_ECX];
        env->rip = env->regs[R_EDX];
    } else {
        x86_load_seg_cache(env, R_CS, (cs + 16) | 3, 0, 0xffffffff,
                           flat_code32 | dpl3);
        x86_load_seg_cache(env, R_SS, (cs + 24) | 3, 0, 0xffffffff,
                           flat_data | dpl3);
        env->regs[R_ESP] = (uint32_t)env->regs[R_ECX];
        env->rip = (uint32_t)env->regs[R_EDX];
    }
    x86_update_hflags(env);
}

/* ---- LDTR, TR, descriptor inspection ---- */

/* a system descriptor (LDT, TSS): 16 bytes in IA-32e mode */
static void load_sys_desc(CPUX86State *env, uint32_t sel, uint32_t *e1,
                          uint32_t *e2, uint64_t *base, uintptr_t ra)
{
    uint32_t index = sel & ~7u;
    int entry = lma(env) ? 16 : 8;

    if ((sel & 4) || index + entry - 1 > env->gdt.limit) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    *e1 = sys_ldl(env, env->gdt.base + index, ra);
    *e2 = sys_ldl(env, env->gdt.base + index + 4, ra);
    *base = x86_desc_base(*e1, *e2);
    if (lma(env)) {
        uint32_t e3 = sys_ldl(env, env->gdt.base + index + 8, ra);
        uint32_t e4 = sys_ldl(env, env->gdt.base + index + 12, ra);

        if ((e4 >> DESC_TYPE_SHIFT) & 0x1f) {
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        *base |= (uint64_t)e3 << 32;
    }
}

void helper_lldt(CPUX86State *env, uint32_t sel)
{
    uintptr_t ra = GETPC();
    uint32_t e1, e2;
    uint64_t base;

    sel &= 0xffff;
    if ((sel & 0xfffc) == 0) {
        env->ldt = (SegmentCache){ .selector = sel };
        return;
    }
    load_sys_desc(env, sel, &e1, &e2, &base, ra);
    if ((e2 & DESC_S_MASK) || DESC_TYPE(e2) != 2) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    }
    env->ldt = (SegmentCache){ sel, base, x86_desc_limit(e1, e2),
                               SEG_FLAGS(e2) };
}

void helper_ltr(CPUX86State *env, uint32_t sel)
{
    uintptr_t ra = GETPC();
    uint32_t e1, e2;
    uint64_t base;
    int type;

    sel &= 0xffff;
    if ((sel & 0xfffc) == 0) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    load_sys_desc(env, sel, &e1, &e2, &base, ra);
    type = DESC_TYPE(e2);
    if ((e2 & DESC_S_MASK) || (type != 9 && (lma(env) || type != 1))) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (!(e2 & DESC_P_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    }
    e2 |= 2u << DESC_TYPE_SHIFT;                /* busy */
    sys_stl(env, env->gdt.base + (sel & ~7u) + 4, e2, ra);
    env->tr = (SegmentCache){ sel, base, x86_desc_limit(e1, e2),
                              SEG_FLAGS(e2) };
}

static void set_zf(CPUX86State *env, bool z)
{
    env->cc_src = (env->cc_src & ~(uint64_t)CC_Z) | (z ? CC_Z : 0);
}

/* LAR/LSL/VERR/VERW: may this CPL see the descriptor? */
static bool desc_visible(CPUX86State *env, uint32_t sel, uint32_t *e1,
                         uint32_t *e2, bool lsl, uintptr_t ra)
{
    int cpl = x86_cpl(env), dpl;

    if ((sel & 0xfffc) == 0 || !load_desc(env, sel, e1, e2, ra)) {
        return false;
    }
    dpl = DESC_DPL(*e2);
    if (*e2 & DESC_S_MASK) {
        if ((*e2 & DESC_CS_MASK) && (*e2 & DESC_C_MASK)) {
            return true;                        /* conforming code */
        }
    } else {
        static const bool lar_ok[16] = {
            [1] = 1, [2] = 1, [3] = 1, [4] = 1, [5] = 1, [9] = 1, [11] = 1,
            [12] = 1 };
        static const bool lsl_ok[16] = {
            [1] = 1, [2] = 1, [3] = 1, [9] = 1, [11] = 1 };
        int type = DESC_TYPE(*e2);

        if (lma(env) && type != 2 && type != 9 && type != 11 &&
            (lsl || type != 12)) {
            return false;
        }
        if (!(lsl ? lsl_ok : lar_ok)[type]) {
            return false;
        }
    }
    return dpl >= cpl && dpl >= (int)(sel & 3);
}

uint64_t helper_lar(CPUX86State *env, uint32_t sel)
{
    uint32_t e1, e2;
    bool ok = desc_visible(env, sel & 0xffff, &e1, &e2, false, GETPC());

    set_zf(env, ok);
    return ok ? e2 & 0x00f0ff00 : 0;
}

uint64_t helper_lsl(CPUX86State *env, uint32_t sel)
{
    uint32_t e1, e2;
    bool ok = desc_visible(env, sel & 0xffff, &e1, &e2, true, GETPC());

    set_zf(env, ok);
    return ok ? x86_desc_limit(e1, e2) : 0;
}

void helper_verx(CPUX86State *env, uint32_t sel, uint32_t write)
{
    uint32_t e1, e2;
    int cpl = x86_cpl(env), dpl;
    bool ok = false;

    sel &= 0xffff;
    if ((sel & 0xfffc) && load_desc(env, sel, &e1, &e2, GETPC()) &&
        (e2 & DESC_S_MASK)) {
        dpl = DESC_DPL(e2);
        if (e2 & DESC_CS_MASK) {
            ok = !write && (e2 & DESC_R_MASK) &&
                 ((e2 & DESC_C_MASK) || (dpl >= cpl && dpl >= (int)(sel & 3)));
        } else {
            ok = (!write || (e2 & DESC_R_MASK)) && dpl >= cpl &&
                 dpl >= (int)(sel & 3);
        }
    }
    set_zf(env, ok);
}

/* ---- the TSS I/O permission bitmap (SDM Vol. 1 19.5.2) ---- */

void helper_check_io(CPUX86State *env, uint32_t port, uint32_t size)
{
    uintptr_t ra = GETPC();
    int type = DESC_TYPE(env->tr.flags);
    uint32_t io_off, bits;

    if (!(env->tr.flags & DESC_P_MASK) || (type & 7) != 1 ||
        !(type & 8) || env->tr.limit < 103) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    io_off = sys_lduw(env, env->tr.base + 0x66, ra);
    if (io_off + (port >> 3) + 1 > env->tr.limit) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    bits = sys_lduw(env, env->tr.base + io_off + (port >> 3), ra);
    if ((bits >> (port & 7)) & ((1u << size) - 1)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
}
