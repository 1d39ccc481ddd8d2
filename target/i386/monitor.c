/*
 * The monitor's $NAME for x86 (print, x and xp expressions): the general
 * registers by their 64-bit and 32-bit names ($rax, $eax ... $r8..$r15,
 * $r8d..), $rip/$eip, $pc (CS base + RIP, as QEMU), $rflags/$eflags, the
 * segment selectors and their bases and limits ($cs, $cs.base,
 * $cs.limit), $cr0..$cr4 and $efer.  QEMU knows only the 32-bit names and
 * $r8..$r15; both work here.
 */
#include "turtle/osdep.h"
#include "target/i386/cpu.h"

static const char *const reg64[CPU_NB_REGS] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const reg32[CPU_NB_REGS] = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
    "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
};
static const char *const segs[R_NB_SEGS] = {
    "es", "cs", "ss", "ds", "fs", "gs",
};

bool x86_monitor_get_register(CPUState *cs, const char *name,
                              uint64_t *value)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    for (int i = 0; i < CPU_NB_REGS; i++) {
        if (!strcmp(name, reg64[i])) {
            *value = env->regs[i];
            return true;
        }
        if (!strcmp(name, reg32[i])) {
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
    if (!strcmp(name, "rip")) {
        *value = env->rip;
    } else if (!strcmp(name, "eip")) {
        *value = (uint32_t)env->rip;
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
