/* 64-bit stage entry: reached by a far jump to selector 0x18 at 1 MiB. */
    .section .text.entry64, "ax"
    .code64
    .globl lmode_entry
lmode_entry:
    movl $0x10, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    leaq lmode_stack_top(%rip), %rsp
    cld
    leaq __bss_start(%rip), %rdi
    leaq __bss_end(%rip), %rcx
    subq %rdi, %rcx
    xorl %eax, %eax
    rep stosb
    call lmode_main
1:  cli
    hlt
    jmp 1b

    .section .bss
    .align 16
    .space 16384
lmode_stack_top:
