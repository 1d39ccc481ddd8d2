/*
 * A multiboot guest that puts an x86-64 CPU into a fully known state and
 * halts, so that two emulators' monitors can be compared on it
 * (tests/functional/hmp-compare.py --arch x86_64): every register the
 * monitor shows is set here, none is left as the firmware or the loader
 * had it.
 *
 * Long mode (CR0 PG WP NE ET MP PE, CR4 PAE PGE OSFXSR OSXMMEXCPT, EFER
 * SCE LME LMA NXE), its own GDT with a 64-bit code segment, a data
 * segment, a 16-bit data segment, an LDT and a 64-bit TSS; FS/GS bases,
 * an IDT register, CR2, DR0-DR3; the x87 stack three deep with a control
 * word and MXCSR of our own, XMM0-15 with patterns (all by FXRSTOR);
 * every general register, and RFLAGS with DF OF SF ZF AF PF CF.
 * Then HLT with interrupts off: the CPU stays there.
 *
 * Memory: identity map of the first 1 GiB (2 MiB pages) and the data
 * page also at HIGH_VA (a 4 KiB page), so that x (virtual) and
 * xp (physical) show the same bytes at different addresses.
 */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0

#define HIGH_VA  0xffff800000000000
/* the LDT and the TSS live in low memory, where their descriptors can
 * name them with constants (zeroed at start-up) */
#define LDT_BASE 0x7000
#define TSS_BASE 0x7100

    .section .text
    .globl _start
    .align 4
mb_header:
    .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

    .code32
_start:
    cli
    movl $stack_top, %esp
    cld
    movl $LDT_BASE, %edi
    xorl %eax, %eax
    movl $0x200 / 4, %ecx
    rep stosl
    lgdt gdt_desc

    /* page tables: PML4[0] -> pdpt_low (PD: 512 x 2 MiB);
     * PML4[256] -> pdpt_high -> pd_high -> pt_high[0] -> data page */
    movl $pdpt_low + 3, pml4
    movl $pdpt_high + 3, pml4 + 256 * 8
    movl $pd_low + 3, pdpt_low
    movl $pd_high + 3, pdpt_high
    movl $pt_high + 3, pd_high
    movl $data_page + 3, pt_high
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax                 /* P RW PS */
    movl %eax, pd_low(, %ecx, 8)
    incl %ecx
    cmpl $512, %ecx
    jb 1b

    movl $pml4, %eax
    movl %eax, %cr3
    movl $0x6a0, %eax               /* PAE PGE OSFXSR OSXMMEXCPT */
    movl %eax, %cr4
    movl $0xc0000080, %ecx
    rdmsr
    orl $0x901, %eax                /* SCE LME NXE */
    wrmsr
    movl $0x80010033, %eax          /* PG WP NE ET MP PE */
    movl %eax, %cr0
    ljmp $0x08, $long_mode

    .code64
long_mode:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %ss
    movw $0x40, %ax
    movw %ax, %es                   /* 16-bit data segment */
    xorl %eax, %eax
    movw %ax, %fs                   /* null */
    movw $0x10, %ax
    movw %ax, %gs
    movl $0xc0000100, %ecx          /* FS.base */
    movl $0x12345000, %eax
    xorl %edx, %edx
    wrmsr
    movl $0xc0000101, %ecx          /* GS.base */
    movl $0x00001000, %eax
    movl $0xffff8000, %edx
    wrmsr
    movw $0x20, %ax
    lldt %ax
    movw $0x30, %ax
    ltr %ax
    lidt idt_desc

    movabsq $0xdead0000beef0000, %rax
    movq %rax, %cr2
    movabsq $0x0000000000401000, %rax
    movq %rax, %dr0
    movabsq $0x0000000000402000, %rax
    movq %rax, %dr1
    movabsq $0x00007fffffff0000, %rax
    movq %rax, %dr2
    movabsq $0xffff800000000008, %rax
    movq %rax, %dr3

    /* x87 and SSE state in one go: three values on the x87 stack, our
     * own control word and MXCSR, XMM i = patterns + i */
    fxrstor64 fx_image

    /* RFLAGS: DF OF SF ZF AF PF CF (and the fixed bit 1), IF clear */
    pushq $0x0cd7
    popfq

    movabsq $0x0123456789abcdef, %rax
    movabsq $0x1111111111111111, %rbx
    movabsq $0x2222222222222222, %rcx
    movabsq $0x3333333333333333, %rdx
    movabsq $0x4444444444444444, %rsi
    movabsq $0x5555555555555555, %rdi
    movabsq $0x6666666666666666, %rbp
    movabsq $0x0000000000107ff0, %rsp
    movabsq $0x8888888888888888, %r8
    movabsq $0x9999999999999999, %r9
    movabsq $0xaaaaaaaaaaaaaaaa, %r10
    movabsq $0xbbbbbbbbbbbbbbbb, %r11
    movabsq $0xcccccccccccccccc, %r12
    movabsq $0xdddddddddddddddd, %r13
    movabsq $0xeeeeeeeeeeeeeeee, %r14
    movabsq $0xfedcba9876543210, %r15
    .globl halt_here
halt_here:
    hlt
    jmp halt_here

    .section .data
    .align 16
gdt:
    .quad 0                         /* 0x00 */
    .quad 0x00af9b000000ffff        /* 0x08 code64, accessed */
    .quad 0x00cf93000000ffff        /* 0x10 data, accessed */
    .quad 0x00cf9b000000ffff        /* 0x18 code32 */
    /* 0x20 LDT at LDT_BASE (16 bytes in long mode) */
    .word 0x000f, LDT_BASE
    .byte 0, 0x82, 0x00, 0
    .long 0, 0
    /* 0x30 TSS at TSS_BASE (limit 0x67, available; ltr makes it busy) */
    .word 0x0067, TSS_BASE
    .byte 0, 0x89, 0x00, 0
    .long 0, 0
    .quad 0x00009300a000ffff        /* 0x40 data16, base 0xa000 */
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt

    .align 16
idt_desc:
    .word 0x0fff
    .quad 0x0000000000105000

    /* an FXSAVE image (SDM Vol. 1 10.5.1) */
    .align 16
fx_image:
    .word 0x027f                    /* FCW: double precision, all masked */
    .word 0x2a00                    /* FSW: TOP=5, C1 */
    .byte 0xe0                      /* abridged FTW: R5-R7 valid */
    .byte 0
    .word 0                         /* FOP */
    .quad 0, 0                      /* FIP, FDP */
    .long 0x00003fa1                /* MXCSR: RC down, IE flag */
    .long 0x0000ffff                /* MXCSR_MASK (ignored) */
    .quad 0xb8aa3b295c17f0bc, 0x3fff        /* ST0: log2(e) */
    .quad 0xc90fdaa22168c235, 0x4000        /* ST1: pi */
    .quad 0x8000000000000000, 0xbfff        /* ST2: -1 */
    .fill 5 * 16, 1, 0
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    .quad 0x0706050403020100 + \i * 0x0101010101010101
    .quad 0xfedcba9800000000 + \i
    .endr
    .fill 96, 1, 0

    .section .bss
    .align 4096
pml4:       .fill 4096, 1, 0
pdpt_low:   .fill 4096, 1, 0
pd_low:     .fill 4096, 1, 0
pdpt_high:  .fill 4096, 1, 0
pd_high:    .fill 4096, 1, 0
pt_high:    .fill 4096, 1, 0
stack:      .fill 4096, 1, 0
stack_top:

    /* the page seen at HIGH_VA too */
    .section .data
    .align 4096
    .globl data_page
data_page:
    .ascii "Turtle and QEMU, same bytes.\n\0"
    .align 8
    .quad 0x0011223344556677, 0x8899aabbccddeeff
    .long 0xdeadbeef, 0xcafef00d, 0x7fffffff, 0x80000000
    .word 0x1234, 0xffff, 0x0001, 0x8000
    .byte 0, 1, 2, 3, 0x7f, 0x80, 0xfe, 0xff
    .align 4096
