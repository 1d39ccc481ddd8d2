/*
 * SYSCALL/SYSRET between CPL 0 and CPL 3 (64-bit and compatibility-mode
 * returns), what they save in RCX and R11 and mask with FMASK, SWAPGS,
 * the FS/GS base MSRs and the FSGSBASE instructions.
 */
#include "lib.h"

#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define MSR_FSBASE 0xc0000100
#define MSR_GSBASE 0xc0000101
#define MSR_KGSBASE 0xc0000102

uint64_t sc_rcx, sc_r11, sc_cs, sc_ss, sc_rflags, sc_back_cs, sc_back_rax;
extern char syscall_entry[], user_syscall[], user_syscall_next[],
    user_sysret32[], compat_code[];

__asm__(
    ".text\n"
    "syscall_entry:\n"
    "  movq %rcx, sc_rcx(%rip)\n"
    "  movq %r11, sc_r11(%rip)\n"
    "  movw %cs, %cx\n"
    "  movw %cx, sc_cs(%rip)\n"
    "  movw %ss, %cx\n"
    "  movw %cx, sc_ss(%rip)\n"
    "  pushfq\n"
    "  popq sc_rflags(%rip)\n"
    "  movq sc_rcx(%rip), %rcx\n"
    "  addq $1, %rax\n"
    "  cmpq $0x32, %rdi\n"
    "  je 1f\n"
    "  sysretq\n"
    "1: movl $compat_code, %ecx\n"
    "  sysretl\n"
    /* user: RAX = 41, syscall, record CS and RAX, back to the kernel */
    "user_syscall:\n"
    "  movl $41, %eax\n"
    "  xorl %edi, %edi\n"
    "  pushq $0x8c7\n"              /* CF, bit 1, PF, ZF, SF, OF */
    "  popfq\n"
    "  syscall\n"
    "user_syscall_next:\n"
    "  movw %cs, %cx\n"
    "  movw %cx, sc_back_cs(%rip)\n"
    "  movq %rax, sc_back_rax(%rip)\n"
    "  int $0x81\n"
    "user_sysret32:\n"
    "  movl $0x32, %edi\n"
    "  movl $7, %eax\n"
    "  syscall\n"
    ".code32\n"
    "compat_code:\n"
    "  movl %eax, sc_back_rax\n"
    "  movw %cs, %cx\n"
    "  movw %cx, sc_back_cs\n"
    "  int $0x81\n"
    ".code64\n");

int main(void)
{
    uint64_t v;

    printf("x86-64 SYSCALL/SYSRET, SWAPGS, FS/GS base\n");
    wrmsr(MSR_STAR, (0x20ull << 48) | (0x08ull << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, FL_TF | FL_DF | FL_IF | 0x40000 | FL_CF);

    v = run_user(user_syscall);
    check_eq(v, USER_BACK, "user syscall and sysretq come back");
    check_eq(sc_rcx, (uint64_t)user_syscall_next, "RCX = next RIP");
    check_eq(sc_r11 & 0xfff, 0x8c7, "R11 = user RFLAGS");
    check_eq(sc_cs, 0x08, "kernel CS from STAR[47:32]");
    check_eq(sc_ss, 0x10, "kernel SS = CS + 8");
    check_eq(sc_rflags & (FL_IF | FL_CF | FL_DF), 0,
             "FMASK cleared IF, CF, DF");
    check_eq(sc_rflags & FL_ZF, FL_ZF, "ZF kept (not in FMASK)");
    check_eq(sc_back_cs, 0x33, "sysretq: CS = STAR[63:48] + 16, RPL 3");
    check_eq(sc_back_rax, 42, "RAX through the call");

    v = run_user(user_sysret32);
    check_eq(v, USER_BACK, "sysretl to compatibility mode comes back");
    check_eq(sc_back_cs, 0x23, "sysretl: CS = STAR[63:48], 32-bit");
    check_eq(sc_back_rax & 0xffffffff, 8, "EAX in compatibility mode");

    /* SWAPGS exchanges GS.base and KERNEL_GS_BASE */
    wrmsr(MSR_GSBASE, 0x1111000);
    wrmsr(MSR_KGSBASE, 0x2222000);
    __asm__ volatile("swapgs");
    check_eq(rdmsr(MSR_GSBASE), 0x2222000, "swapgs: GS base");
    check_eq(rdmsr(MSR_KGSBASE), 0x1111000, "swapgs: kernel GS base");
    __asm__ volatile("swapgs");

    /* FS base through the MSR and through %fs */
    {
        static uint64_t cell[4] = { 11, 22, 33, 44 };
        uint64_t x;

        wrmsr(MSR_FSBASE, (uint64_t)cell);
        __asm__ volatile("movq %%fs:16, %0" : "=r"(x));
        check_eq(x, 33, "fs:16 reads through FS.base");
        write_cr4(read_cr4() | (1u << 16));          /* FSGSBASE */
        __asm__ volatile("wrgsbase %0" : : "r"((uint64_t)&cell[1]));
        __asm__ volatile("movq %%gs:8, %0" : "=r"(x));
        check_eq(x, 33, "wrgsbase + gs:8");
        __asm__ volatile("rdfsbase %0" : "=r"(x));
        check_eq(x, (uint64_t)cell, "rdfsbase");
        wrmsr(MSR_FSBASE, 0);
        wrmsr(MSR_GSBASE, 0);
    }
    check_eq(rdmsr(MSR_STAR) >> 32, 0x00200008, "STAR reads back");
    return finish();
}
