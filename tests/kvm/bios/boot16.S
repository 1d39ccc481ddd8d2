/*
 * Reset vector and real-mode stage of the -bios test image.
 *
 * The image is 128 KiB at 0xfffe0000-0xffffffff; the board also maps its
 * last 128 KiB (here: all of it) at 0xe0000-0xfffff.  The CPU starts at
 * CS base 0xffff0000, IP 0xfff0; the far jump below reloads CS = 0xf000,
 * so from then on this code runs through the low alias at 0xf0000 and
 * every label in .text16 is addressed as (label - 0xffff0000).
 *
 * Real-mode checks (step 1): COM1 output, RTC seconds with the UIP
 * protocol, CMOS 0x30/0x31, a PCI config read of 00:00.0, fast A20 at
 * port 0x92.  Then a flat GDT and a far jump to 32-bit pm32_entry.
 */
/* .text16 is linked at 0xffff0000 (bios.ld) and start16 is its first byte,
 * so a label's offset from start16 is its offset within CS = 0xf000. */
#define OFF(x) ((x) - start16)
#define COM1 0x3f8

    .section .text16, "ax"
    .code16
    .globl start16
start16:
    cli
    cld
    xorw %ax, %ax
    movw %ax, %ss
    movw $0x7000, %sp
    movw %cs, %ax
    movw %ax, %ds

    /* COM1: 115200 8N1, FIFOs on, no interrupts */
    movw $COM1 + 1, %dx
    xorb %al, %al
    outb %al, %dx
    movw $COM1 + 3, %dx
    movb $0x80, %al
    outb %al, %dx
    movw $COM1, %dx
    movb $1, %al
    outb %al, %dx
    movw $COM1 + 1, %dx
    xorb %al, %al
    outb %al, %dx
    movw $COM1 + 3, %dx
    movb $3, %al
    outb %al, %dx
    movw $COM1 + 2, %dx
    movb $7, %al
    outb %al, %dx

    movw $OFF(msg_step1), %si
    call puts16

    /* RTC seconds: wait for Status A UIP (bit 7) clear, then read reg 0 */
    movl $1000000, %ecx
1:  movb $0x8a, %al
    outb %al, $0x70
    inb $0x71, %al
    testb $0x80, %al
    jz 2f
    loopl 1b
    movw $OFF(msg_uip), %si
    jmp fail16
2:  movb $0x80, %al
    outb %al, $0x70
    inb $0x71, %al
    movl %eax, %edi             /* puts16 clobbers %al */
    movw $OFF(msg_sec), %si
    call puts16
    movl %edi, %eax
    movl $2, %ecx
    call puthex16

    /* Extended memory in KiB, CMOS 0x30 (low) / 0x31 (high) */
    movb $0xb1, %al
    outb %al, $0x70
    inb $0x71, %al
    movb %al, %ah
    movb $0xb0, %al
    outb %al, $0x70
    inb $0x71, %al
    movl %eax, %edi
    movw $OFF(msg_ext), %si
    call puts16
    movl %edi, %eax
    movl $4, %ecx
    call puthex16

    /* PCI 00:00.0 vendor/device through 0xcf8/0xcfc with 32-bit I/O */
    movl $0x80000000, %eax
    movw $0xcf8, %dx
    outl %eax, %dx
    movw $0xcfc, %dx
    inl %dx, %eax
    cmpw $0xffff, %ax
    jne 3f
    movw $OFF(msg_nopci), %si
    jmp fail16
3:  movl %eax, %edi
    movw $OFF(msg_pci), %si
    call puts16
    movl %edi, %eax
    movl $8, %ecx
    call puthex16

    /* Fast A20 through System Control Port A (0x92) bit 1 */
    inb $0x92, %al
    orb $0x02, %al
    andb $0xfe, %al             /* bit 0 would reset the CPU */
    outb %al, $0x92
    inb $0x92, %al
    movl %eax, %edi
    movw $OFF(msg_a20), %si
    call puts16
    movl %edi, %eax
    movl $2, %ecx
    call puthex16
    movw $OFF(msg_nl), %si
    call puts16

    /* Protected mode: lgdtl loads a full 32-bit base (lgdtw would take 24) */
    lgdtl OFF(gdt_desc)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $0x08, $pm32_entry

/* Print the low %ecx hex digits of %eax, most significant first. */
puthex16:
    pushl %eax
    pushl %ebx
    movl %eax, %ebx
    movl %ecx, %eax
    shll $2, %eax
    movb %al, %cl
    rorl %cl, %ebx              /* bring the top digit to the bottom */
    shrl $2, %eax
    movl %eax, %ecx
4:  roll $4, %ebx
    movb %bl, %al
    andb $0xf, %al
    addb $'0', %al
    cmpb $'9', %al
    jbe 5f
    addb $'a' - '9' - 1, %al
5:  call putc16
    loopl 4b
    popl %ebx
    popl %eax
    ret

puts16:
    lodsb
    testb %al, %al
    jz 6f
    call putc16
    jmp puts16
6:  ret

putc16:
    pushw %dx
    pushw %ax
    pushl %ecx
    movl $1000000, %ecx
    movw $COM1 + 5, %dx
7:  inb %dx, %al
    testb $0x20, %al
    jnz 8f
    loopl 7b
8:  popl %ecx
    popw %ax
    movw $COM1, %dx
    outb %al, %dx
    popw %dx
    ret

/* %si = reason; exit with EXIT_FAIL(1) = 0x21 (status 0x43) */
fail16:
    pushw %si
    movw $OFF(msg_fail), %si
    call puts16
    popw %si
    call puts16
    movb $0x21, %al
    outb %al, $0xf4
9:  hlt
    jmp 9b

msg_step1: .asciz "step 1: real mode (boot16)\r\n"
msg_sec:   .asciz "rm: rtc seconds=0x"
msg_ext:   .asciz " cmos30=0x"
msg_pci:   .asciz " pci0=0x"
msg_a20:   .asciz " port92=0x"
msg_nl:    .asciz "\r\n"
msg_fail:  .asciz "FAIL step 1: "
msg_uip:   .asciz "RTC UIP never cleared\r\n"
msg_nopci: .asciz "no PCI host bridge at 00:00.0\r\n"

/*
 * Flat GDT.  Accessed bits are preset so the CPU never writes them back:
 * this table lives in ROM.
 *   0x08 code32, 0x10 data32, 0x18 code64 (L=1)
 */
    .align 8
    .globl gdt
gdt:
    .quad 0
    .quad 0x00cf9b000000ffff
    .quad 0x00cf93000000ffff
    .quad 0x00af9b000000ffff
gdt_end:
    .globl gdt_desc
gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt

    .section .reset, "ax"
    .code16
    .globl reset_vector
reset_vector:
    ljmpw $0xf000, $0          /* start16 = 0xf000:0000 */
    .fill 16 - (. - reset_vector), 1, 0xf4
