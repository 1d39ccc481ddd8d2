/*
 * Application processor start-up for the smp-* tests: the SIPI vector
 * 0x08 starts a copy of ap_tramp at 0x8000 in real mode; it loads the
 * GDT, enters protected mode, enables PAE, IA-32e mode and paging with
 * the BSP's CR3 and jumps to ap_entry64 in 64-bit mode with its own
 * stack.  smp.c fills the parameters at the end of the copy.
 */
#define AP_BASE 0x8000
#define A(x) (AP_BASE + (x) - ap_tramp)

    .text
    .code16
    .globl ap_tramp, ap_tramp_end, ap_params
ap_tramp:
    cli
    xorw %ax, %ax
    movw %ax, %ds
    lgdtl A(ap_gdt_desc)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $0x18, $A(ap_pm32)
    .code32
ap_pm32:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr4, %eax
    orl $0x620, %eax
    movl %eax, %cr4
    movl A(ap_cr3), %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx
    rdmsr
    orl $0x901, %eax
    wrmsr
    movl $0x80010033, %eax
    movl %eax, %cr0
    ljmp $0x08, $A(ap_lm)
    .code64
ap_lm:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    /* a CPU number and a stack of 16 KiB from the BSP's list */
    movl $1, %eax
    lock xaddl %eax, A(ap_next)
    movl %eax, %edi
    movq A(ap_stacks), %rsp
    shlq $14, %rax
    addq %rax, %rsp
    movq A(ap_entry), %rax
    callq *%rax
1:  cli
    hlt
    jmp 1b
    .align 8
ap_params:
ap_gdt_desc:
    .word 0
    .long 0
    .align 8
ap_cr3:
    .quad 0
ap_stacks:
    .quad 0
ap_entry:
    .quad 0
ap_next:
    .long 1
ap_tramp_end:
