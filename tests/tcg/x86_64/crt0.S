/*
 * Start-up of the x86-64 bare-metal tests: a multiboot v1 kernel entered
 * in 32-bit protected mode, which builds its GDT, identity-maps the first
 * 4 GiB with 2 MiB pages, enables PAE, IA-32e mode and paging, and calls
 * main() in 64-bit mode.  Also: the IDT stubs (every vector to
 * trap_common, which calls trap_handler in lib.c) and trap_run, which
 * runs a function and comes back with the vector of the first exception
 * it raised (+1), or 0.
 *
 * The identity map is user-accessible (US in every entry) so tests can
 * run code at CPL 3 anywhere.
 *
 * GDT (selectors): 0x08 code64, 0x10 data, 0x18 code32, 0x20 user code32,
 * 0x28 user data, 0x30 user code64, 0x38 code16, 0x40 data16, 0x48 TSS
 * (16 bytes), 0x58-0x78 free for tests (gdt_set()).
 */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000000

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

    .section .text
    .code32
    .globl _start
_start:
    cli
    movl $boot_stack_top, %esp
    movl %ebx, mb_info
    lgdt gdt_desc32
    ljmp $0x18, $1f
1:  movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    /* identity map 4 GiB: PML4[0] -> PDPT, PDPT[0..3] -> PD0..3 (2 MiB) */
    movl $pdpt, %eax
    orl $7, %eax                    /* P RW US: user tests run here too */
    movl %eax, pml4
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $12, %eax
    addl $pd, %eax
    orl $7, %eax
    movl %eax, pdpt(, %ecx, 8)
    incl %ecx
    cmpl $4, %ecx
    jb 2b
    xorl %ecx, %ecx
3:  movl %ecx, %eax
    shll $21, %eax
    orl $0x87, %eax                 /* P RW US PS */
    movl %eax, pd(, %ecx, 8)
    movl %ecx, %eax
    shrl $11, %eax
    movl %eax, pd + 4(, %ecx, 8)
    incl %ecx
    cmpl $2048, %ecx
    jb 3b
    movl $pml4, %eax
    movl %eax, %cr3
    movl %cr4, %eax
    orl $0x620, %eax                /* PAE, OSFXSR, OSXMMEXCPT */
    movl %eax, %cr4
    movl $0xc0000080, %ecx
    rdmsr
    orl $0x901, %eax                /* SCE, LME, NXE */
    wrmsr
    movl $0x80010033, %eax          /* PG, WP, NE, ET, MP, PE */
    movl %eax, %cr0
    ljmp $0x08, $long_entry

    .code64
long_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $stack_top, %rsp
    lgdt gdt_desc64
    call lib_init
    call main
    movl %eax, %edi
    call test_exit
4:  hlt
    jmp 4b

/* ---- exceptions ---- */

    .macro stub vec, err
    .align 16
    .if \err == 0
    pushq $0
    .endif
    pushq $\vec
    jmp trap_common
    .endm

    .align 16
    .globl trap_stubs
trap_stubs:
    .irp v, 0,1,2,3,4,5,6,7
    stub \v, 0
    .endr
    stub 8, 1
    stub 9, 0
    stub 10, 1
    stub 11, 1
    stub 12, 1
    stub 13, 1
    stub 14, 1
    stub 15, 0
    stub 16, 0
    stub 17, 1
    .irp v, 18,19,20
    stub \v, 0
    .endr
    stub 21, 1
    .set v, 22
    .rept 256 - 22
    stub v, 0
    .set v, v + 1
    .endr

/* frame: r15 .. rax, vector, error, rip, cs, rflags, rsp, ss */
trap_common:
    cld
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi
    movq %rsp, %rbx
    andq $-16, %rsp
    call trap_handler
    movq %rbx, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp
    iretq

/* uint64_t trap_run(void (*fn)(void *), void *arg) */
    .globl trap_run, trap_resume
trap_run:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, trap_saved_rsp(%rip)
    movq %rdi, %rax
    movq %rsi, %rdi
    call *%rax
    xorl %eax, %eax
trap_resume:
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret

    .section .data
    .align 16
    .globl gdt
gdt:
    .quad 0
    .quad 0x00af9b000000ffff        /* 0x08 code64 */
    .quad 0x00cf93000000ffff        /* 0x10 data */
    .quad 0x00cf9b000000ffff        /* 0x18 code32 */
    .quad 0x00cffb000000ffff        /* 0x20 user code32 */
    .quad 0x00cff3000000ffff        /* 0x28 user data */
    .quad 0x00affb000000ffff        /* 0x30 user code64 */
    .quad 0x00009b000000ffff        /* 0x38 code16 */
    .quad 0x000093000000ffff        /* 0x40 data16 */
    .quad 0, 0                      /* 0x48 TSS (lib_init) */
    .quad 0, 0, 0, 0, 0             /* 0x58-0x78 free */
gdt_end:
gdt_desc32:
    .word gdt_end - gdt - 1
    .long gdt
    .align 8
gdt_desc64:
    .word gdt_end - gdt - 1
    .quad gdt
    .globl mb_info, trap_saved_rsp
mb_info:
    .long 0
    .align 8
trap_saved_rsp:
    .quad 0

    .section .bss
    .align 4096
    .globl pml4, pdpt, pd
pml4:
    .space 4096
pdpt:
    .space 4096
pd:
    .space 4 * 4096
    .space 4096
boot_stack_top:
    .align 16
    .space 65536
    .globl stack_top
stack_top:
