/*
 * Protected-mode part of the bzImage test kernel, loaded at 1 MiB
 * (code32_start).  Two entries, as the boot protocol defines them:
 *
 *   +0x000 startup_32: flat 32-bit protected mode, paging off,
 *          %esi = boot_params (the 16-bit setup, or a 32-bit loader)
 *   +0x200 startup_64: long mode with the loader's identity map,
 *          %rsi = boot_params (XLF_KERNEL_64, a 64-bit loader)
 *
 * Both switch to this image's own GDT and 4 GiB identity map (static
 * tables in .data, so no bss has to be cleared before use) and call
 * bz_main(boot_params, entry_bits).  Everything, stack included, is part
 * of the loaded file: a loader may put setup_data right after it.
 */
    .section .text.head, "ax"
    .code32
    .globl startup_32
startup_32:
    cli
    cld
    movl $boot_stack_top, %esp
    movl %cr4, %eax
    orl $0x20, %eax             /* PAE */
    movl %eax, %cr4
    movl $pml4, %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx      /* EFER.LME */
    rdmsr
    orl $0x100, %eax
    wrmsr
    movl %cr0, %eax
    orl $0x80000001, %eax       /* PG | PE */
    movl %eax, %cr0
    lgdt gdt_desc32
    ljmp $0x20, $from_32

    .code64
from_32:
    movl $32, %r12d
    jmp common64

    .org 0x200
    .globl startup_64
startup_64:
    cli
    cld
    movl $64, %r12d
    jmp common64

common64:
    movq %rsi, %r13             /* boot_params */
    lgdt gdt_desc64(%rip)
    leaq pml4(%rip), %rax
    movq %rax, %cr3
    leaq boot_stack_top(%rip), %rsp
    pushq $0x20
    leaq 1f(%rip), %rax
    pushq %rax
    lretq
1:  movl $0x18, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movq %r13, %rdi
    movl %r12d, %esi
    call bz_main
2:  cli
    hlt
    jmp 2b

    .section .data.tables, "aw"
    .align 4096
pml4:
    .quad pdpt + 3
    .fill 511, 8, 0
pdpt:
    .quad pd + 0x0000 + 3
    .quad pd + 0x1000 + 3
    .quad pd + 0x2000 + 3
    .quad pd + 0x3000 + 3
    .fill 508, 8, 0
pd:
    .set i, 0
    .rept 2048
    /* 2 MiB pages: P RW PS, and PCD PWT for the top GiB (MMIO) */
    .quad (i << 21) | 0x83 | ((i >= 1536) & 0x18)
    .set i, i + 1
    .endr

    .align 16
gdt:
    .quad 0
    .quad 0
    .quad 0x00cf9b000000ffff    /* 0x10 code32 */
    .quad 0x00cf93000000ffff    /* 0x18 data */
    .quad 0x00af9b000000ffff    /* 0x20 code64 */
gdt_end:
gdt_desc32:
    .word gdt_end - gdt - 1
    .long gdt
    .align 8
    .word 0, 0, 0
gdt_desc64:
    .word gdt_end - gdt - 1
    .quad gdt

    .align 16
    .space 16384
boot_stack_top:
