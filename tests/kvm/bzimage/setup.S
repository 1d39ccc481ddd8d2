/*
 * Real-mode setup of the bzImage-format test kernel (Linux x86 boot
 * protocol 2.12, Documentation/arch/x86/boot.rst).
 *
 * Linked at 0, so a label is its offset in the file.  A 16-bit boot loader
 * (QEMU's linuxboot option ROM) loads this at SEG:0, sets DS = ES = SS =
 * SEG and jumps to SEG+0x20:0, i.e. the jump at offset 0x200.  Like Linux's
 * own setup this code then builds the zero page (struct boot_params) with
 * the BIOS e820 map (int 0x15, eax = 0xe820), switches to flat 32-bit
 * protected mode and jumps to code32_start with %esi = boot_params,
 * CS = 0x10, DS = ES = SS = 0x18 (__BOOT_CS/__BOOT_DS).
 *
 * mkbzimage.py patches setup_sects, syssize and init_size.
 */
#define COM1 0x3f8
#define ZP   0x1000             /* boot_params at SEG:0x1000 */
#define E820_MAX 128

    .section .setup, "ax"
    .code16
    .globl _start
_start:
    .org 0x1f1
setup_sects:    .byte 0             /* patched */
root_flags:     .word 0
syssize:        .long 0             /* patched: payload size / 16 */
ram_size:       .word 0
vid_mode:       .word 0xffff
root_dev:       .word 0
boot_flag:      .word 0xaa55
    .org 0x200
    .byte 0xeb                      /* jmp: 0x202 + this byte = header end */
    .byte setup_code - 0x202
hdr_magic:      .ascii "HdrS"
version:        .word 0x020c
realmode_swtch: .long 0
start_sys_seg:  .word 0x1000
kernel_version: .word kver - 0x200
type_of_loader: .byte 0
loadflags:      .byte 0x01          /* LOADED_HIGH */
setup_move_size: .word 0x8000
code32_start:   .long 0x100000
ramdisk_image:  .long 0
ramdisk_size:   .long 0
bootsect_kludge: .long 0
heap_end_ptr:   .word 0
ext_loader_ver: .byte 0
ext_loader_type: .byte 0
cmd_line_ptr:   .long 0
initrd_addr_max: .long 0x7fffffff
kernel_alignment: .long 0x200000
relocatable_kernel: .byte 0
min_alignment:  .byte 0
xloadflags:     .word 0x0001        /* XLF_KERNEL_64: entry at +0x200 */
cmdline_size:   .long 2047
hardware_subarch: .long 0
hardware_subarch_data: .quad 0
payload_offset: .long 0
payload_length: .long 0
setup_data:     .quad 0
pref_address:   .quad 0x100000
init_size:      .long 0             /* patched */
handover_offset: .long 0
hdr_end:

setup_code:
    /* CS = SEG + 0x20: reload CS = SEG so labels are offsets */
    cli
    cld
    pushw %ds
    pushw $1f
    lretw
1:  movw %ds, %ax
    movw %ax, %es
    movw %ax, %ss
    movw $0xe000, %sp

    movw $COM1 + 3, %dx         /* COM1 115200 8N1 */
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

    movw $msg_hello, %si
    call puts16
    movw %ds, %ax
    movl $4, %ecx
    call puthex16
    movw $msg_nl, %si
    call puts16

    /* Zero page: clear 4 KiB, copy the setup header to 0x1f1 */
    movw $ZP, %di
    movw $2048, %cx
    xorw %ax, %ax
    rep stosw
    movw $0x1f1, %si
    movw $ZP + 0x1f1, %di
    movw $hdr_end - 0x1f1, %cx
    rep movsb

    /* E820 through the BIOS: entries at ZP + 0x2d0, count at ZP + 0x1e8 */
    xorl %ebx, %ebx
    movw $ZP + 0x2d0, %di
2:  movl $0xe820, %eax
    movl $0x534d4150, %edx      /* 'SMAP' */
    movl $20, %ecx
    int $0x15
    jc 3f
    cmpl $0x534d4150, %eax
    jne 3f
    incb ZP + 0x1e8
    addw $20, %di
    cmpb $E820_MAX, ZP + 0x1e8
    jae 3f
    testl %ebx, %ebx
    jnz 2b
3:  movw $msg_e820, %si
    call puts16
    movzbl ZP + 0x1e8, %eax
    movl $2, %ecx
    call puthex16
    movw $msg_nl, %si
    call puts16

    /* Fast A20 */
    inb $0x92, %al
    orb $0x02, %al
    andb $0xfe, %al
    outb %al, $0x92

    /* Linear addresses: GDT base, boot_params, jump target */
    xorl %ebx, %ebx
    movw %ds, %bx
    shll $4, %ebx
    leal gdt(%ebx), %eax
    movl %eax, gdt_desc + 2
    movl code32_start, %eax
    movl %eax, jump32
    movw $msg_pm, %si
    call puts16
    leal ZP(%ebx), %esi

    lgdtl gdt_desc
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    movw $0x18, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    xorl %ebx, %ebx
    xorl %ebp, %ebp
    xorl %edi, %edi
    ljmpl *%cs:jump32

/* Print the low %ecx hex digits of %eax. */
puthex16:
    pushl %ebx
    movl %eax, %ebx
    movl %ecx, %eax
    shll $2, %eax
    movb %al, %cl
    rorl %cl, %ebx
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

kver:       .asciz "turtle-bz-test"
msg_hello:  .asciz "setup16: real-mode entry, seg=0x"
msg_e820:   .asciz "setup16: e820 entries from int 15h: 0x"
msg_pm:     .asciz "setup16: jumping to code32_start\r\n"
msg_nl:     .asciz "\r\n"

    .align 4
jump32:     .long 0
            .word 0x10
    .align 8
gdt:        .quad 0
            .quad 0
            .quad 0x00cf9b000000ffff    /* 0x10 __BOOT_CS */
            .quad 0x00cf93000000ffff    /* 0x18 __BOOT_DS */
gdt_end:
gdt_desc:   .word gdt_end - gdt - 1
            .long 0                     /* patched: linear base */
