/*
 * The monitor's $NAME for x86 (print, x and xp expressions), QEMU's names
 * with QEMU's values: $eax, $ecx ... $edi ($sp and $fp are $esp and
 * $ebp), $r8..$r15, $eip and $eflags, $pc (CS base + RIP), the segment
 * selectors $cs $ds $es $fs $gs $ss with $cs.base, $cs.limit...  As in
 * QEMU on x86_64, $eax and $eip are the whole 64-bit registers (scripts
 * written for it rely on that).  Ours besides: $rax..$rdi, $rip, $rflags
 * (the same values), $r8d..$r15d (the low 32 bits), $cr0..$cr4, $efer.
 */
#include "turtle/osdep.h"
#include "target/i386/cpu.h"

static const char *const reg64[CPU_NB_REGS] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
/* QEMU's names: the whole register on x86_64 */
static const char *const qemu_names[CPU_NB_REGS] = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
};
static const char *const reg32[CPU_NB_REGS] = {
    [8] = "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
};
static const char *const segs[R_NB_SEGS] = {
    "es", "cs", "ss", "ds", "fs", "gs",
};

bool x86_monitor_get_register(CPUState *cs, const char *name,
                              uint64_t *value)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    if (!strcmp(name, "sp")) {
        name = "esp";
    } else if (!strcmp(name, "fp")) {
        name = "ebp";
    }
    for (int i = 0; i < CPU_NB_REGS; i++) {
        if (!strcmp(name, reg64[i]) ||
            (qemu_names[i] && !strcmp(name, qemu_names[i]))) {
            *value = env->regs[i];
            return true;
        }
        if (reg32[i] && !strcmp(name, reg32[i])) {
            *value = (uint32_t)env->regs[i];
            return true;
        }
    }
    for (int i = 0; i < R_NB_SEGS; i++) {
        size_t n = strlen(segs[i]);

        if (strncmp(name, segs[i], n)) {
            continue;
        }
        if (!name[n]) {
            *value = env->segs[i].selector;
        } else if (!strcmp(name + n, ".base")) {
            *value = env->segs[i].base;
        } else if (!strcmp(name + n, ".limit")) {
            *value = env->segs[i].limit;
        } else {
            return false;
        }
        return true;
    }
    if (!strcmp(name, "rip") || !strcmp(name, "eip")) {
        *value = env->rip;
    } else if (!strcmp(name, "pc")) {
        *value = env->segs[R_CS].base + env->rip;
    } else if (!strcmp(name, "rflags") || !strcmp(name, "eflags")) {
        *value = x86_rflags_get(env);
    } else if (!strcmp(name, "cr0") || !strcmp(name, "cr2") ||
               !strcmp(name, "cr3") || !strcmp(name, "cr4")) {
        *value = env->cr[name[2] - '0'];
    } else if (!strcmp(name, "efer")) {
        *value = env->efer;
    } else {
        return false;
    }
    return true;
}
