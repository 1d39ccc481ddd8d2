/* 32-bit entry of the -bios image: flat segments, stack, .data/.bss. */
    .section .text.entry32, "ax"
    .code32
    .globl pm32_entry
pm32_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movl $0x80000, %esp
    cld
    movl $__data_lma, %esi
    movl $__data_start, %edi
    movl $__data_end, %ecx
    subl %edi, %ecx
    rep movsb
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb
    call pmode_main
1:  cli
    hlt
    jmp 1b

    /* The 64-bit stage, linked to run at 0x100000; pmode_main copies it. */
    .section .rodata.lmode, "a"
    .align 16
    .globl lmode_blob, lmode_blob_end
lmode_blob:
    .incbin "lmode.bin"
lmode_blob_end:
