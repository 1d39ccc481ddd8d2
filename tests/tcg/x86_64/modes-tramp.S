/*
 * mode_roundtrip(): 64-bit mode -> compatibility mode -> paging off
 * (legacy 32-bit protected mode) -> 16-bit protected mode -> real mode
 * (an INT through the IVT) -> 32-bit protected mode -> IA-32e mode with
 * paging -> 64-bit mode, storing what it sees at each stage in the
 * results area at 0x6000 (below 64 KiB, reachable in real mode).
 * The 16-bit and real-mode part runs from a copy of tramp at 0x7000.
 */
#define TRAMP 0x7000
#define RES 0x6000
#define T(x) (TRAMP + (x) - tramp_start)

    .text
    .code64
    .globl mode_roundtrip
mode_roundtrip:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, saved_rsp(%rip)
    sidt saved_idt(%rip)
    pushq $0x18                     /* compatibility mode */
    leaq compat(%rip), %rax
    pushq %rax
    lretq

    .code32
compat:
    movw %cs, %ax
    movl %eax, RES + 0
    movl $5, %eax
    .byte 0x40                      /* INC EAX: no REX here */
    movl %eax, RES + 4
    movl %cr0, %eax                 /* paging off: leaves IA-32e mode */
    andl $0x7fffffff, %eax
    movl %eax, %cr0
    movl $0xc0000080, %ecx
    rdmsr
    movl %eax, RES + 8
    andl $~0x100, %eax              /* LME off */
    wrmsr
    ljmp $0x38, $T(pm16)

    .globl tramp_start, tramp_end
tramp_start:
    .code16
pm16:
    movw $0x40, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw $0x6ff0, %sp
    movl %cr0, %eax
    andl $~1, %eax                  /* PE off */
    movl %eax, %cr0
    ljmp $0, $T(real)
real:
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    lidt T(ivt_desc)
    movl %cr0, %eax
    movl %eax, RES + 12
    movw $0x600, %ax                /* segment arithmetic: 0x600:0x10 */
    movw %ax, %es
    movw $0x1234, %es:0x10
    xorw %ax, %ax
    movw %ax, %es
    movw RES + 0x10, %ax
    movw %ax, RES + 16
    movw $T(int50), 0x50 * 4        /* IVT entry 0x50 */
    movw $0, 0x50 * 4 + 2
    int $0x50
    movw %cs, %ax
    movw %ax, RES + 24
    /* back: GDT, PE, 32-bit code */
    lgdtl T(gdt_desc)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $0x18, $T(pm32)
int50:
    movl $0x5050, RES + 20
    iret

    .code32
pm32:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl $0xc0000080, %ecx
    rdmsr
    orl $0x100, %eax
    wrmsr
    movl %cr0, %eax
    orl $0x80000000, %eax
    movl %eax, %cr0
    ljmp $0x08, $long_back

    .align 4
ivt_desc:
    .word 0x3ff
    .long 0
    .globl tramp_gdt_desc
gdt_desc:
tramp_gdt_desc:
    .word 0
    .long 0
tramp_end:

    .code64
long_back:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movq saved_rsp(%rip), %rsp
    lidt saved_idt(%rip)
    movl $0xc0000080, %ecx
    rdmsr
    movl %eax, RES + 28
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret

    .data
    .align 8
saved_rsp:
    .quad 0
saved_idt:
    .space 10
