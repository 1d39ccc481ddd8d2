/*
 * Application-processor trampoline of the -bios image.
 *
 * A STARTUP IPI with vector 0xfe starts an AP in real mode at CS = 0xfe00,
 * IP = 0, physical 0xfe000: the low alias of this ROM page (linear
 * 0xffffe000, image offset 0x1e000; bios.ld places .ap16 there).  The AP
 * counts itself in AP_COUNT, records its initial APIC ID (CPUID.1:EBX
 * bits 31:24) in AP_IDS[n] and halts with interrupts off.
 */
#define AP_COUNT 0x600          /* in low RAM, seen at 0:0x600 */
#define AP_IDS   0x610

    .section .ap16, "ax"
    .code16
    .globl ap_trampoline
ap_trampoline:
    cli
    xorw %ax, %ax
    movw %ax, %ds
    movl $1, %eax
    cpuid
    shrl $24, %ebx
    movw $1, %ax
    lock xaddw %ax, AP_COUNT
    movzwl %ax, %esi
    movb %bl, AP_IDS(%esi)
1:  cli
    hlt
    jmp 1b
