/*
 * System instructions and everything that crosses segments or privilege
 * levels: segment register loads, far jumps/calls/returns, INT/IRET,
 * SYSCALL/SYSENTER and their returns, descriptor tables, control and
 * debug registers, MSRs, CPUID, time stamp, port I/O, interrupt flag and
 * RFLAGS, HLT, and the FS/GS base instructions.  The architectural checks
 * live in the helpers (seg_helper.c, misc_helper.c); the translator
 * checks what the TB flags already tell (CPL, IOPL, mode).
 */
#include "turtle/osdep.h"
#include "target/i386/translate.h"

static TCGv new_tmp(void)
{
    return tcg_temp_new_i64();
}

/* helpers that may fault need exact rip and cc_op */
static void gen_sync(DisasContext *s)
{
    gen_update_cc_op(s);
    gen_update_eip_cur(s);
}

/* the code after this insn may assume another mode: leave the TB */
static void end_tb(DisasContext *s)
{
    gen_eob(s);
}

static TCGv_i32 tcg32(TCGv v)
{
    TCGv_i32 t = tcg_temp_new_i32();

    tcg_gen_extrl_i64_i32(t, v);
    return t;
}

/* ---- segment registers ---- */

/* load seg with the selector in sel (all modes: the helper decides) */
static void gen_load_seg(DisasContext *s, int seg, TCGv sel)
{
    gen_sync(s);
    gen_helper_load_seg(tcg_env, tcg_constant_i32(seg), tcg32(sel));
    if (seg == R_SS) {
        s->base.is_jmp = DISAS_EOB_INHIBIT;     /* MOV SS shadow */
    } else {
        end_tb(s);
    }
}

X86_GEN(MOV_to_seg)
{
    int seg = d->op[0].n;

    if (seg == R_CS) {
        gen_illegal_opcode(s);
        return;
    }
    d->op[1].ot = MO_16;
    gen_load_op(s, d, 1, s->T1);
    gen_load_seg(s, seg, s->T1);
}

X86_GEN(MOV_from_seg)
{
    if (d->op[0].type == X86_OPND_MEM) {
        d->op[0].ot = MO_16;
    }
    tcg_gen_mov_i64(s->T0, s->T1);
}

X86_GEN(PUSH_SEG)
{
    gen_load_op(s, d, 0, s->T0);
    gen_push_v(s, s->T0);
}

X86_GEN(POP_SEG)
{
    MemOp ot = gen_pop_size(s);

    gen_pop_T0(s);
    gen_load_seg(s, d->op[0].n, s->T0);
    gen_pop_update(s, ot);
}

/* LDS/LES/LSS/LFS/LGS Gz,Mp: offset, then the selector after it */
static void gen_lxs(DisasContext *s, X86DecodedInsn *d, int seg)
{
    MemOp ot = d->op[0].ot;
    TCGv off = new_tmp(), sel = new_tmp();

    gen_op_ld_v(s, ot, off, s->A0);
    gen_add_A0_im(s, 1 << ot);
    gen_op_ld_v(s, MO_16, sel, s->A0);
    gen_load_seg(s, seg, sel);
    gen_store_op(s, d, 0, off);
}

X86_GEN(LES) { gen_lxs(s, d, R_ES); }
X86_GEN(LDS) { gen_lxs(s, d, R_DS); }
X86_GEN(LSS) { gen_lxs(s, d, R_SS); }
X86_GEN(LFS) { gen_lxs(s, d, R_FS); }
X86_GEN(LGS) { gen_lxs(s, d, R_GS); }

/* ---- far control flow ---- */

static void gen_ljmp(DisasContext *s, TCGv sel, TCGv off)
{
    gen_sync(s);
    gen_helper_ljmp(tcg_env, tcg32(sel), off,
                    tcg_constant_i32(s->pc - s->pc_start));
    s->base.is_jmp = DISAS_EOB_ONLY;
}

static void gen_lcall(DisasContext *s, MemOp ot, TCGv sel, TCGv off)
{
    gen_sync(s);
    gen_helper_lcall(tcg_env, tcg32(sel), off, tcg_constant_i32(ot),
                     tcg_constant_i32(s->pc - s->pc_start));
    s->base.is_jmp = DISAS_EOB_ONLY;
}

X86_GEN(JMPF)
{
    gen_ljmp(s, tcg_constant_i64(d->op[0].imm2),
             tcg_constant_i64(d->op[0].imm));
}

X86_GEN(CALLF)
{
    gen_lcall(s, d->ot, tcg_constant_i64(d->op[0].imm2),
              tcg_constant_i64(d->op[0].imm));
}

/* FF /3, /5: m16:16/32/64 */
static void gen_far_mem(DisasContext *s, X86DecodedInsn *d, TCGv sel,
                        TCGv off)
{
    MemOp ot = d->ot;

    gen_op_ld_v(s, ot, off, s->A0);
    gen_add_A0_im(s, 1 << ot);
    gen_op_ld_v(s, MO_16, sel, s->A0);
}

X86_GEN(JMPF_Ep)
{
    TCGv sel = new_tmp(), off = new_tmp();

    gen_far_mem(s, d, sel, off);
    gen_ljmp(s, sel, off);
}

X86_GEN(CALLF_Ep)
{
    TCGv sel = new_tmp(), off = new_tmp();

    gen_far_mem(s, d, sel, off);
    gen_lcall(s, d->ot, sel, off);
}

X86_GEN(RETF)
{
    int extra = d->op[0].type == X86_OPND_IMM ? d->op[0].imm & 0xffff : 0;

    gen_sync(s);
    gen_helper_lret(tcg_env, tcg_constant_i32(d->ot),
                    tcg_constant_i32(extra));
    s->base.is_jmp = DISAS_EOB_ONLY;
}

X86_GEN(IRET)
{
    if (!check_vm86_iopl(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_iret(tcg_env, tcg_constant_i32(d->ot),
                    tcg_constant_i32(s->pc - s->pc_start));
    s->base.is_jmp = DISAS_EOB_ONLY;
}

/* software interrupts: the return address is the next insn */
static void gen_interrupt(DisasContext *s, int vector, int kind)
{
    gen_sync(s);
    gen_helper_raise_interrupt(tcg_env, tcg_constant_i32(vector),
                               tcg_constant_i32(s->pc - s->pc_start),
                               tcg_constant_i32(kind));
    s->base.is_jmp = DISAS_NORETURN;
}

X86_GEN(INT)
{
    if (!check_vm86_iopl(s)) {
        return;
    }
    gen_interrupt(s, d->op[0].imm & 0xff, 1);
}

X86_GEN(INT3)
{
    gen_interrupt(s, EXCP03_INT3, 1);
}

X86_GEN(INT1)
{
    gen_interrupt(s, EXCP01_DB, 2);
}

X86_GEN(INTO)
{
    TCGLabel *no = gen_new_label();

    gen_update_cc_op(s);
    gen_jcc(s, 1, no);                          /* JNO */
    gen_interrupt(s, EXCP04_INTO, 1);
    s->base.is_jmp = DISAS_NEXT;
    gen_set_label(no);
}

/* ---- SYSCALL, SYSENTER and returns ---- */

X86_GEN(SYSCALL)
{
    gen_sync(s);
    gen_helper_syscall(tcg_env, tcg_constant_i32(s->pc - s->pc_start));
    s->base.is_jmp = DISAS_EOB_ONLY;
}

X86_GEN(SYSRET)
{
    if (!s->pe) {
        gen_exception_err(s, EXCP0D_GPF, 0);
        return;
    }
    gen_sync(s);
    gen_helper_sysret(tcg_env, tcg_constant_i32(s->dflag));
    s->base.is_jmp = DISAS_EOB_ONLY;
}

X86_GEN(SYSENTER)
{
    gen_sync(s);
    gen_helper_sysenter(tcg_env);
    s->base.is_jmp = DISAS_EOB_ONLY;
}

X86_GEN(SYSEXIT)
{
    gen_sync(s);
    gen_helper_sysexit(tcg_env, tcg_constant_i32(s->dflag));
    s->base.is_jmp = DISAS_EOB_ONLY;
}

X86_GEN(SWAPGS)
{
    TCGv t = new_tmp();

    if (!check_cpl0(s)) {
        return;
    }
    tcg_gen_ld_i64(t, tcg_env, offsetof(CPUX86State, kernelgsbase));
    tcg_gen_st_i64(cpu_seg_base[R_GS], tcg_env,
                   offsetof(CPUX86State, kernelgsbase));
    tcg_gen_mov_i64(cpu_seg_base[R_GS], t);
}

/* ---- RFLAGS ---- */

X86_GEN(PUSHF)
{
    if (!check_vm86_iopl(s)) {
        return;
    }
    gen_compute_eflags(s);
    gen_update_cc_op(s);
    gen_helper_read_eflags(s->T0, tcg_env);
    gen_push_v(s, s->T0);
}

X86_GEN(POPF)
{
    MemOp ot = gen_pop_size(s);

    if (!check_vm86_iopl(s)) {
        return;
    }
    gen_pop_T0(s);
    gen_update_cc_op(s);
    gen_helper_write_eflags_popf(tcg_env, s->T0, tcg_constant_i32(ot));
    set_cc_op(s, CC_OP_EFLAGS);
    s->cc_op_dirty = false;                 /* the helper wrote cc_op */
    gen_pop_update(s, ot);
    end_tb(s);
}

X86_GEN(CLI)
{
    TCGv t = new_tmp();

    if (!check_iopl(s)) {
        return;
    }
    tcg_gen_ld_i64(t, tcg_env, offsetof(CPUX86State, rflags));
    tcg_gen_andi_i64(t, t, ~(uint64_t)RFLAGS_IF);
    tcg_gen_st_i64(t, tcg_env, offsetof(CPUX86State, rflags));
}

X86_GEN(STI)
{
    TCGv t = new_tmp();

    if (!check_iopl(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_sti(tcg_env);
    (void)t;
    s->base.is_jmp = DISAS_EOB_INHIBIT;
}

X86_GEN(CLAC)
{
    if (s->cpl != 0) {
        gen_illegal_opcode(s);
        return;
    }
    gen_helper_set_ac(tcg_env, tcg_constant_i32(0));
    end_tb(s);
}

X86_GEN(STAC)
{
    if (s->cpl != 0) {
        gen_illegal_opcode(s);
        return;
    }
    gen_helper_set_ac(tcg_env, tcg_constant_i32(1));
    end_tb(s);
}

/* ---- halting and waiting ---- */

X86_GEN(HLT)
{
    gen_sync(s);
    gen_helper_hlt(tcg_env, tcg_constant_i32(s->pc - s->pc_start));
    s->base.is_jmp = DISAS_NORETURN;
}

X86_GEN(FWAIT)
{
    if ((s->flags & (HF_MP | HF_TS)) == (HF_MP | HF_TS)) {
        gen_exception(s, EXCP07_PREX);
        return;
    }
    gen_sync(s);
    gen_helper_fwait(tcg_env);
}

X86_GEN(MONITOR)
{
    if (!check_cpl0(s)) {
        return;
    }
}

X86_GEN(MWAIT)
{
    if (!check_cpl0(s)) {
        return;
    }
    /* a hint: waiting until an interrupt is what HLT does */
    gen_sync(s);
    gen_helper_hlt(tcg_env, tcg_constant_i32(s->pc - s->pc_start));
    s->base.is_jmp = DISAS_NORETURN;
}

/* ---- descriptor tables ---- */

/* SLDT/STR/SMSW/SGDT/SIDT at CPL > 0 with CR4.UMIP: #GP(0) */
static bool check_umip(DisasContext *s)
{
    if ((s->flags & HF_UMIP) && s->cpl > 0) {
        gen_exception_err(s, EXCP0D_GPF, 0);
        return false;
    }
    return true;
}

static bool check_pmode(DisasContext *s)
{
    if (!s->pe || s->vm86) {
        gen_illegal_opcode(s);
        return false;
    }
    return true;
}

X86_GEN(SLDT)
{
    if (!check_pmode(s) || !check_umip(s)) {
        return;
    }
    if (d->op[0].type == X86_OPND_MEM) {
        d->op[0].ot = MO_16;
    }
    tcg_gen_ld32u_i64(s->T0, tcg_env, offsetof(CPUX86State, ldt.selector));
}

X86_GEN(STR)
{
    if (!check_pmode(s) || !check_umip(s)) {
        return;
    }
    if (d->op[0].type == X86_OPND_MEM) {
        d->op[0].ot = MO_16;
    }
    tcg_gen_ld32u_i64(s->T0, tcg_env, offsetof(CPUX86State, tr.selector));
}

X86_GEN(LLDT)
{
    if (!check_pmode(s) || !check_cpl0(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_lldt(tcg_env, tcg32(s->T0));
}

X86_GEN(LTR)
{
    if (!check_pmode(s) || !check_cpl0(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_ltr(tcg_env, tcg32(s->T0));
}

static void gen_verx(DisasContext *s, bool write)
{
    if (!check_pmode(s)) {
        return;
    }
    gen_compute_eflags(s);
    gen_sync(s);
    gen_helper_verx(tcg_env, tcg32(s->T0), tcg_constant_i32(write));
    set_cc_op(s, CC_OP_EFLAGS);
}

X86_GEN(VERR) { gen_verx(s, false); }
X86_GEN(VERW) { gen_verx(s, true); }

/* LAR/LSL Gv,Ew: ZF says whether the selector was valid; the destination
 * is written only then */
static void gen_larlsl(DisasContext *s, X86DecodedInsn *d, bool lsl)
{
    TCGv v = new_tmp(), z = new_tmp();

    if (!check_pmode(s)) {
        return;
    }
    gen_compute_eflags(s);
    gen_sync(s);
    if (lsl) {
        gen_helper_lsl(v, tcg_env, tcg32(s->T1));
    } else {
        gen_helper_lar(v, tcg_env, tcg32(s->T1));
    }
    set_cc_op(s, CC_OP_EFLAGS);
    tcg_gen_andi_i64(z, cpu_cc_src, CC_Z);
    tcg_gen_movcond_i64(TCG_COND_NE, s->T0, z, tcg_constant_i64(0), v,
                        s->T0);
}

X86_GEN(LAR) { gen_larlsl(s, d, false); }
X86_GEN(LSL) { gen_larlsl(s, d, true); }

/* SGDT/SIDT Ms: limit, then base (32 bits; 64 in 64-bit mode) */
static void gen_sxdt(DisasContext *s, X86DecodedInsn *d, bool idt)
{
    TCGv t = new_tmp();
    size_t base = idt ? offsetof(CPUX86State, idt.base)
                      : offsetof(CPUX86State, gdt.base);
    size_t limit = idt ? offsetof(CPUX86State, idt.limit)
                       : offsetof(CPUX86State, gdt.limit);

    if (!check_umip(s)) {
        return;
    }
    tcg_gen_ld32u_i64(t, tcg_env, limit);
    gen_op_st_v(s, MO_16, t, s->A0);
    gen_add_A0_im(s, 2);
    tcg_gen_ld_i64(t, tcg_env, base);
    if (s->code64) {
        gen_op_st_v(s, MO_64, t, s->A0);
    } else {
        if (s->dflag == MO_16) {
            tcg_gen_andi_i64(t, t, 0xffffff);
        }
        gen_op_st_v(s, MO_32, t, s->A0);
    }
}

static void gen_lxdt(DisasContext *s, X86DecodedInsn *d, bool idt)
{
    TCGv lim = new_tmp(), base = new_tmp();

    if (!check_cpl0(s)) {
        return;
    }
    gen_op_ld_v(s, MO_16, lim, s->A0);
    gen_add_A0_im(s, 2);
    if (s->code64) {
        gen_op_ld_v(s, MO_64, base, s->A0);
    } else {
        gen_op_ld_v(s, MO_32, base, s->A0);
        if (s->dflag == MO_16) {
            tcg_gen_andi_i64(base, base, 0xffffff);
        }
    }
    tcg_gen_st_i64(base, tcg_env, idt ? offsetof(CPUX86State, idt.base)
                                      : offsetof(CPUX86State, gdt.base));
    tcg_gen_st32_i64(lim, tcg_env, idt ? offsetof(CPUX86State, idt.limit)
                                       : offsetof(CPUX86State, gdt.limit));
}

X86_GEN(SGDT) { gen_sxdt(s, d, false); }
X86_GEN(SIDT) { gen_sxdt(s, d, true); }
X86_GEN(LGDT) { gen_lxdt(s, d, false); }
X86_GEN(LIDT) { gen_lxdt(s, d, true); }

X86_GEN(SMSW)
{
    if (!check_umip(s)) {
        return;
    }
    if (d->op[0].type == X86_OPND_MEM) {
        d->op[0].ot = MO_16;
    }
    tcg_gen_ld_i64(s->T0, tcg_env, offsetof(CPUX86State, cr[0]));
}

X86_GEN(LMSW)
{
    if (!check_cpl0(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_lmsw(tcg_env, s->T0);
    end_tb(s);
}

X86_GEN(CLTS)
{
    gen_helper_clts(tcg_env);
    end_tb(s);
}

X86_GEN(INVLPG)
{
    if (!check_cpl0(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_invlpg(tcg_env, s->A0);
    end_tb(s);
}

X86_GEN(INVD)
{
}

X86_GEN(WBINVD)
{
}

X86_GEN(RSM)
{
    gen_illegal_opcode(s);          /* never in SMM */
}

/* ---- control and debug registers ---- */

X86_GEN(MOV_from_cr)
{
    gen_sync(s);
    gen_helper_read_crN(s->T0, tcg_env, tcg_constant_i32(d->op[1].n));
    if (!s->code64) {
        tcg_gen_ext32u_i64(s->T0, s->T0);
    }
    d->op[0].ot = s->code64 ? MO_64 : MO_32;
}

X86_GEN(MOV_to_cr)
{
    TCGv v = new_tmp();

    d->op[1].ot = s->code64 ? MO_64 : MO_32;
    gen_load_op(s, d, 1, v);
    gen_sync(s);
    gen_helper_write_crN(tcg_env, tcg_constant_i32(d->op[0].n), v);
    end_tb(s);
}

X86_GEN(MOV_from_dr)
{
    gen_sync(s);
    gen_helper_get_dr(s->T0, tcg_env, tcg_constant_i32(d->op[1].n));
    d->op[0].ot = s->code64 ? MO_64 : MO_32;
}

X86_GEN(MOV_to_dr)
{
    TCGv v = new_tmp();

    d->op[1].ot = s->code64 ? MO_64 : MO_32;
    gen_load_op(s, d, 1, v);
    gen_sync(s);
    gen_helper_set_dr(tcg_env, tcg_constant_i32(d->op[0].n), v);
    end_tb(s);
}

/* ---- MSRs, CPUID, time, random ---- */

X86_GEN(RDMSR)
{
    gen_sync(s);
    gen_helper_rdmsr(tcg_env);
}

X86_GEN(WRMSR)
{
    gen_sync(s);
    gen_helper_wrmsr(tcg_env);
    end_tb(s);
}

X86_GEN(CPUID)
{
    gen_sync(s);
    gen_helper_cpuid(tcg_env);
}

X86_GEN(RDTSC)
{
    gen_sync(s);
    gen_helper_rdtsc(tcg_env);
}

X86_GEN(RDTSCP)
{
    gen_sync(s);
    gen_helper_rdtscp(tcg_env);
}

X86_GEN(RDPMC)
{
    gen_sync(s);
    gen_helper_rdpmc(tcg_env);
}

X86_GEN(RDPID)
{
    tcg_gen_ld_i64(s->T0, tcg_env, offsetof(CPUX86State, tsc_aux));
    if (!s->code64) {
        tcg_gen_ext32u_i64(s->T0, s->T0);
    }
}

static void gen_rdrand(DisasContext *s, X86DecodedInsn *d, bool seed)
{
    gen_sync(s);
    gen_helper_rdrand(s->T0, tcg_env, tcg_constant_i32(seed));
    /* CF = 1 (a value was delivered), OF SF ZF AF PF = 0 */
    set_cc(d, CC_OP_EFLAGS, NULL, tcg_constant_i64(CC_C), NULL);
}

X86_GEN(RDRAND) { gen_rdrand(s, d, false); }
X86_GEN(RDSEED) { gen_rdrand(s, d, true); }

X86_GEN(XGETBV)
{
    gen_sync(s);
    gen_helper_xgetbv(tcg_env);
}

X86_GEN(XSETBV)
{
    gen_sync(s);
    gen_helper_xsetbv(tcg_env);
    end_tb(s);
}

X86_GEN(RDPKRU)
{
    gen_sync(s);
    gen_helper_rdpkru(tcg_env);
}

X86_GEN(WRPKRU)
{
    gen_sync(s);
    gen_helper_wrpkru(tcg_env);
    end_tb(s);
}

/* ---- FS/GS base (CR4.FSGSBASE, 64-bit mode) ---- */

static bool check_fsgsbase(DisasContext *s)
{
    if (!(s->flags & HF_FSGSBASE)) {
        gen_illegal_opcode(s);
        return false;
    }
    return true;
}

X86_GEN(RDFSBASE)
{
    if (check_fsgsbase(s)) {
        tcg_gen_mov_i64(s->T0, cpu_seg_base[R_FS]);
    }
}

X86_GEN(RDGSBASE)
{
    if (check_fsgsbase(s)) {
        tcg_gen_mov_i64(s->T0, cpu_seg_base[R_GS]);
    }
}

static void gen_wrxsbase(DisasContext *s, X86DecodedInsn *d, int seg)
{
    if (!check_fsgsbase(s)) {
        return;
    }
    gen_sync(s);
    gen_helper_wrxsbase(tcg_env, tcg_constant_i32(seg), s->T0);
}

X86_GEN(WRFSBASE) { gen_wrxsbase(s, d, R_FS); }
X86_GEN(WRGSBASE) { gen_wrxsbase(s, d, R_GS); }

/* ---- fences and cache control ---- */

X86_GEN(LFENCE)
{
    tcg_gen_mb(TCG_MO_LD_LD | TCG_MO_LD_ST | TCG_BAR_SC);
}

X86_GEN(SFENCE)
{
    tcg_gen_mb(TCG_MO_ST_ST | TCG_BAR_SC);
}

X86_GEN(MFENCE)
{
    tcg_gen_mb(TCG_MO_ALL | TCG_BAR_SC);
}

X86_GEN(CLFLUSH)
{
}

X86_GEN(CLFLUSHOPT)
{
}

X86_GEN(CLWB)
{
}

/* ---- port I/O ---- */

/* #GP unless CPL <= IOPL or the TSS I/O bitmap allows the ports */
static void gen_check_io(DisasContext *s, TCGv port, MemOp ot)
{
    if (s->pe && (s->cpl > s->iopl || s->vm86)) {
        gen_sync(s);
        gen_helper_check_io(tcg_env, tcg32(port),
                            tcg_constant_i32(1 << ot));
    }
}

void gen_io_in(DisasContext *s, MemOp ot, TCGv val, TCGv port)
{
    TCGv_i32 v = tcg_temp_new_i32();

    gen_sync(s);
    switch (ot) {
    case MO_8:
        gen_helper_inb(v, tcg_env, tcg32(port));
        break;
    case MO_16:
        gen_helper_inw(v, tcg_env, tcg32(port));
        break;
    default:
        gen_helper_inl(v, tcg_env, tcg32(port));
        break;
    }
    tcg_gen_extu_i32_i64(val, v);
}

void gen_io_out(DisasContext *s, MemOp ot, TCGv val, TCGv port)
{
    TCGv_i32 v = tcg32(val);

    gen_sync(s);
    switch (ot) {
    case MO_8:
        gen_helper_outb(tcg_env, tcg32(port), v);
        break;
    case MO_16:
        gen_helper_outw(tcg_env, tcg32(port), v);
        break;
    default:
        gen_helper_outl(tcg_env, tcg32(port), v);
        break;
    }
}

bool gen_io_check(DisasContext *s, TCGv port, MemOp ot)
{
    gen_check_io(s, port, ot);
    return true;
}

/* IN AL/eAX, Ib/DX */
X86_GEN(IN)
{
    MemOp ot = d->op[0].ot;
    TCGv port = new_tmp();

    tcg_gen_andi_i64(port, s->T1, d->op[1].type == X86_OPND_IMM ? 0xff
                                                                : 0xffff);
    gen_check_io(s, port, ot);
    gen_io_in(s, ot, s->T0, port);
    /* an access to a device may raise an interrupt: stop here */
    end_tb(s);
}

X86_GEN(OUT)
{
    MemOp ot = d->op[1].ot;
    TCGv port = new_tmp();

    tcg_gen_andi_i64(port, s->T0, d->op[0].type == X86_OPND_IMM ? 0xff
                                                                : 0xffff);
    gen_check_io(s, port, ot);
    gen_io_out(s, ot, s->T1, port);
    end_tb(s);
}
