/*
 * Multiboot v1 header and entry (Multiboot Specification 0.6.96, 3.1).
 * flags: bit 0 page-align modules, bit 1 memory information.  The kernel
 * is an ELF, so the a.out address fields (bit 16) are not used.
 */
#define MB_MAGIC  0x1badb002
#define MB_FLAGS  0x00000003

    .section .text.mbhead, "ax"
    .align 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .code32
    .globl mb_entry
mb_entry:
    /* eax = 0x2badb002, ebx = multiboot info; segments flat, no stack */
    movl $mb_stack_top, %esp
    cld
    pushl %ebx
    pushl %eax
    call mb_main
1:  cli
    hlt
    jmp 1b

    .section .bss
    .align 16
    .space 16384
mb_stack_top:
