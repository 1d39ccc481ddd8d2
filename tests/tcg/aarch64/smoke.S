/*
 * The smallest test: no runtime, no stack, no exceptions.  Prints one line
 * with SYS_WRITE0 and exits with status 0 through SYS_EXIT.  For bringing
 * up the loader, the start at EL1 and semihosting before anything else.
 */
    .section .text.boot, "ax"
    .global _start
_start:
    mov     w0, #0x04               /* SYS_WRITE0 */
    adr     x1, message
    hlt     #0xf000
    mov     w0, #0x18               /* SYS_EXIT */
    adr     x1, exit_block
    hlt     #0xf000
1:  b       1b

    .balign 8
exit_block:
    .quad   0x20026                 /* ADP_Stopped_ApplicationExit */
    .quad   0                       /* exit status */
message:
    .asciz  "smoke: semihosting works\n"
