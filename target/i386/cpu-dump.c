/*
 * The x86 register dump (CPUClass.dump_state): what "info registers"
 * prints and "-d cpu" logs, in QEMU's layout so that scripts that read
 * QEMU's dump read ours (tests/functional/hmp-compare.py compares the two
 * on the same guest state):
 *
 *   - general registers, RIP and RFLAGS 64 bits wide in 64-bit mode,
 *     32 bits otherwise ("EAX=" ... "EIP="), then CPL, II (interrupt
 *     shadow), A20, SMM, HLT;
 *   - segments "CS =sel base limit flags", the flags as the descriptor's
 *     high dword (limit 19:16 included) masked to bits 23:8, and in
 *     protected mode "DPL=n CS64 [CRA]" / "DS   [EWA]" / the system type;
 *     bases 64 bits wide in 64-bit mode, GDT/IDT/CR2/CR3 in IA-32e mode;
 *   - with CPU_DUMP_FPU: FCW, FSW (TOP merged), TOP, the abridged tag
 *     word, MXCSR, the physical x87 registers FPR0-7, and XMM (YMM when
 *     XCR0 enables AVX, ZMM and opmasks when it enables AVX-512) 0-15 in
 *     64-bit mode, 0-7 otherwise;
 *   - with CPU_DUMP_CODE: the 50 bytes around CS:RIP, RIP's in <>.
 */
#include "turtle/osdep.h"
#include "target/i386/cpu.h"

#define DESC_TYPE_CODE  (8u << DESC_TYPE_SHIFT)
#define DESC_TYPE_CE    (4u << DESC_TYPE_SHIFT)  /* conforming / expand-down */
#define DESC_TYPE_RW    (2u << DESC_TYPE_SHIFT)  /* readable / writable */
#define DESC_TYPE_A     (1u << DESC_TYPE_SHIFT)  /* accessed */

#define CODE_BYTES_BEFORE 43
#define CODE_BYTES        50

typedef struct DumpMode {
    bool cs64;          /* 64-bit mode: wide registers and bases */
    bool lma;           /* IA-32e mode: wide GDT/IDT/CR2/CR3 */
    bool pe;            /* protected mode: descriptor details */
} DumpMode;

/* The descriptor's high dword as far as the cache keeps it: the
 * attributes and limit 19:16 (a page-granular limit counts pages). */
static uint32_t seg_high_dword(const SegmentCache *s)
{
    uint32_t raw_limit = s->flags & DESC_G_MASK ? s->limit >> 12 : s->limit;

    return (s->flags & 0x00f0ff00) | (raw_limit & 0xf0000);
}

static const char *system_type_name(uint32_t type, bool lma)
{
    static const char *const legacy[16] = {
        "Reserved", "TSS16-avl", "LDT", "TSS16-busy", "CallGate16",
        "TaskGate", "IntGate16", "TrapGate16", "Reserved", "TSS32-avl",
        "Reserved", "TSS32-busy", "CallGate32", "Reserved", "IntGate32",
        "TrapGate32",
    };
    static const char *const ia32e[16] = {
        "<hiword>", "Reserved", "LDT", "Reserved", "Reserved", "Reserved",
        "Reserved", "Reserved", "Reserved", "TSS64-avl", "Reserved",
        "TSS64-busy", "CallGate64", "Reserved", "IntGate64", "TrapGate64",
    };

    return (lma ? ia32e : legacy)[type & 15];
}

static void dump_seg(FILE *f, const DumpMode *m, const char *name,
                     const SegmentCache *s)
{
    uint32_t fl = s->flags;

    if (m->cs64) {
        fprintf(f, "%-3s=%04x %016" PRIx64 " %08x %08x", name, s->selector,
                s->base, s->limit, seg_high_dword(s));
    } else {
        fprintf(f, "%-3s=%04x %08x %08x %08x", name, s->selector,
                (uint32_t)s->base, s->limit, seg_high_dword(s));
    }
    if (m->pe && (fl & DESC_P_MASK)) {
        fprintf(f, " DPL=%u ", (fl >> DESC_DPL_SHIFT) & 3);
        if (!(fl & DESC_S_MASK)) {
            fputs(system_type_name(fl >> DESC_TYPE_SHIFT, m->lma), f);
        } else if (fl & DESC_TYPE_CODE) {
            fprintf(f, "%s [%c%c%c]", fl & DESC_L_MASK ? "CS64" :
                    fl & DESC_B_MASK ? "CS32" : "CS16",
                    fl & DESC_TYPE_CE ? 'C' : '-',
                    fl & DESC_TYPE_RW ? 'R' : '-',
                    fl & DESC_TYPE_A ? 'A' : '-');
        } else {
            fprintf(f, "%s [%c%c%c]",
                    (fl & DESC_B_MASK) || m->lma ? "DS  " : "DS16",
                    fl & DESC_TYPE_CE ? 'E' : '-',
                    fl & DESC_TYPE_RW ? 'W' : '-',
                    fl & DESC_TYPE_A ? 'A' : '-');
        }
    }
    fputc('\n', f);
}

static void dump_gprs(FILE *f, const DumpMode *m, CPUState *cs)
{
    static const char *const name[16] = {
        "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP",
        "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15" };
    static const int reg[16] = {
        R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP, R_ESP,
        8, 9, 10, 11, 12, 13, 14, 15 };
    CPUX86State *env = &X86_CPU(cs)->env;
    uint64_t fl = x86_rflags_get(env);
    int n = m->cs64 ? 16 : 8;

    for (int i = 0; i < n; i++) {
        if (m->cs64) {
            fprintf(f, "%-3s=%016" PRIx64, name[i], env->regs[reg[i]]);
        } else {
            fprintf(f, "E%s=%08x", name[i] + 1, (uint32_t)env->regs[reg[i]]);
        }
        fputc(i % 4 == 3 ? '\n' : ' ', f);
    }
    fprintf(f, m->cs64 ? "RIP=%016" PRIx64 " RFL=%08x" : "EIP=%08" PRIx64
            " EFL=%08x", m->cs64 ? env->rip : (uint32_t)env->rip,
            (uint32_t)fl);
    fprintf(f, " [%c%c%c%c%c%c%c] CPL=%u II=%u A20=1 SMM=%u HLT=%u\n",
            fl & 0x400 ? 'D' : '-', fl & 0x800 ? 'O' : '-',
            fl & 0x80 ? 'S' : '-', fl & 0x40 ? 'Z' : '-',
            fl & 0x10 ? 'A' : '-', fl & 0x4 ? 'P' : '-',
            fl & 0x1 ? 'C' : '-',
            (env->segs[R_SS].flags >> DESC_DPL_SHIFT) & 3,
            env->interrupt_shadow ? 1 : 0, env->smm ? 1 : 0,
            g_atomic_int_get(&cs->halted) ? 1 : 0);
}

static void dump_fpu(FILE *f, const DumpMode *m, CPUX86State *env)
{
    const uint64_t avx512 = XSTATE_OPMASK | XSTATE_ZMM_HI256 |
                            XSTATE_HI16_ZMM;
    int nb;

    fprintf(f, "FCW=%04x FSW=%04x [ST=%u] FTW=%02x MXCSR=%08x\n",
            env->fpuc, x86_fpu_status_word(env), env->fpstt & 7,
            x86_fpu_abridged_tags(env), env->mxcsr);
    for (int i = 0; i < 8; i++) {
        fprintf(f, "FPR%d=%016" PRIx64 " %04x%c", i, env->fpregs[i].low,
                env->fpregs[i].high, i & 1 ? '\n' : ' ');
    }
    if ((env->xcr0 & avx512) == avx512) {
        for (int i = 0; i < 8; i++) {
            fprintf(f, "Opmask%02d=%016" PRIx64 "%c", i, env->opmask_regs[i],
                    (i & 3) == 3 ? '\n' : ' ');
        }
        nb = m->cs64 ? 32 : 8;
        for (int i = 0; i < nb; i++) {
            fprintf(f, "ZMM%02d=", i);
            for (int q = 7; q >= 0; q--) {
                fprintf(f, "%016" PRIx64 "%c", env->xmm_regs[i].q[q],
                        q ? ' ' : '\n');
            }
        }
    } else if (env->xcr0 & XSTATE_YMM) {
        nb = m->cs64 ? 16 : 8;
        for (int i = 0; i < nb; i++) {
            const X86ZMMReg *r = &env->xmm_regs[i];

            fprintf(f, "YMM%02d=%016" PRIx64 " %016" PRIx64 " %016" PRIx64
                    " %016" PRIx64 "\n", i, r->q[3], r->q[2], r->q[1],
                    r->q[0]);
        }
    } else {
        nb = m->cs64 ? 16 : 8;
        for (int i = 0; i < nb; i++) {
            fprintf(f, "XMM%02d=%016" PRIx64 " %016" PRIx64 "%c", i,
                    env->xmm_regs[i].q[1], env->xmm_regs[i].q[0],
                    i & 1 ? '\n' : ' ');
        }
    }
}

static void dump_code(FILE *f, CPUState *cs, CPUX86State *env)
{
    uint64_t before = MIN(env->rip, CODE_BYTES_BEFORE);
    uint64_t start = env->segs[R_CS].base + env->rip - before;

    fputs("Code=", f);
    for (uint64_t i = 0; i < CODE_BYTES; i++) {
        uint8_t b;
        bool ok = cpu_memory_rw_debug(cs, start + i, &b, 1, false) == 0;

        fprintf(f, "%s%s", i ? " " : "", i == before ? "<" : "");
        if (ok) {
            fprintf(f, "%02x", b);
        } else {
            fputs("??", f);
        }
        if (i == before) {
            fputc('>', f);
        }
    }
    fputc('\n', f);
}

void x86_cpu_dump_state(CPUState *cs, FILE *f, int flags)
{
    static const char *const seg_name[R_NB_SEGS] = {
        "ES", "CS", "SS", "DS", "FS", "GS" };
    CPUX86State *env = &X86_CPU(cs)->env;
    DumpMode m = {
        .lma = env->efer & EFER_LMA,
        .pe = env->cr[0] & CR0_PE_MASK,
    };

    m.cs64 = m.lma && (env->segs[R_CS].flags & DESC_L_MASK);
    dump_gprs(f, &m, cs);
    for (int i = 0; i < R_NB_SEGS; i++) {
        dump_seg(f, &m, seg_name[i], &env->segs[i]);
    }
    dump_seg(f, &m, "LDT", &env->ldt);
    dump_seg(f, &m, "TR", &env->tr);
    if (m.lma) {
        fprintf(f, "GDT=     %016" PRIx64 " %08x\n", env->gdt.base,
                env->gdt.limit);
        fprintf(f, "IDT=     %016" PRIx64 " %08x\n", env->idt.base,
                env->idt.limit);
        fprintf(f, "CR0=%08x CR2=%016" PRIx64 " CR3=%016" PRIx64
                " CR4=%08x\n", (uint32_t)env->cr[0], env->cr[2], env->cr[3],
                (uint32_t)env->cr[4]);
    } else {
        fprintf(f, "GDT=     %08x %08x\n", (uint32_t)env->gdt.base,
                env->gdt.limit);
        fprintf(f, "IDT=     %08x %08x\n", (uint32_t)env->idt.base,
                env->idt.limit);
        fprintf(f, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n",
                (uint32_t)env->cr[0], (uint32_t)env->cr[2],
                (uint32_t)env->cr[3], (uint32_t)env->cr[4]);
    }
    for (int i = 0; i < 4; i++) {
        fprintf(f, "DR%d=%016" PRIx64 " ", i, env->dr[i]);
    }
    fprintf(f, "\nDR6=%016" PRIx64 " DR7=%016" PRIx64 "\n", env->dr[6],
            env->dr[7]);
    fprintf(f, "EFER=%016" PRIx64 "\n", env->efer);
    if (flags & CPU_DUMP_FPU) {
        dump_fpu(f, &m, env);
    }
    if (flags & CPU_DUMP_CODE) {
        dump_code(f, cs, env);
    }
}
