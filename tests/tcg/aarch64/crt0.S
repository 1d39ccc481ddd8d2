/*
 * Start-up code and exception vectors for the bare-metal AArch64 tests.
 *
 * Entered at EL1 (QEMU's virt starts an ELF -kernel at the highest EL it
 * implements, which is EL1 unless virtualization=on / secure=on) with the
 * MMU off.  We set the stack, install the vector table, zero .bss,
 * optionally enable FP/SIMD, mask interrupts and call main().
 */
#define FRAME_SIZE 0x120

    .section .text.boot, "ax"
    .global _start
_start:
    msr     daifset, #0xf
    mrs     x19, CurrentEL
    ldr     x0, =__stack_top
    mov     sp, x0
    ldr     x0, =vectors
    msr     vbar_el1, x0
    /* Trap nothing to EL1 for FP/SIMD (CPACR_EL1.FPEN = 0b11) when
     * the test was built with FP enabled; otherwise leave it trapping so
     * an accidental FP instruction shows up as an exception. */
#ifdef ENABLE_FP
    mov     x0, #(3 << 20)
    msr     cpacr_el1, x0
#endif
    isb
    ldr     x0, =__bss_start
    ldr     x1, =__bss_end
1:  cmp     x0, x1
    b.hs    2f
    str     xzr, [x0], #8
    b       1b
2:  ldr     x1, =boot_current_el
    str     x19, [x1]
    bl      main
    bl      test_exit
3:  wfi
    b       3b

/*
 * Vector table: 4 groups (current EL SP0, current EL SPx, lower EL AArch64,
 * lower EL AArch32) x 4 kinds (sync, IRQ, FIQ, SError).  Every entry saves
 * x0/x1, puts its index in x0 and joins exc_common, which builds a
 * struct exc_frame (lib.h) and calls exc_dispatch(frame, index).
 */
    .macro ventry idx
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\idx
    b       exc_common
    .endm

    .text
    .balign 0x800
    .global vectors
vectors:
    ventry 0
    ventry 1
    ventry 2
    ventry 3
    ventry 4
    ventry 5
    ventry 6
    ventry 7
    ventry 8
    ventry 9
    ventry 10
    ventry 11
    ventry 12
    ventry 13
    ventry 14
    ventry 15

exc_common:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x2, elr_el1
    stp     x30, x2, [sp, #240]
    mrs     x2, spsr_el1
    mrs     x3, esr_el1
    stp     x2, x3, [sp, #256]
    mrs     x2, far_el1
    mrs     x3, sp_el0
    stp     x2, x3, [sp, #272]
    mov     x1, x0
    mov     x0, sp
    bl      exc_dispatch
    ldp     x30, x2, [sp, #240]
    msr     elr_el1, x2
    ldp     x2, x3, [sp, #256]
    msr     spsr_el1, x2
    ldp     x2, x3, [sp, #272]
    msr     sp_el0, x3
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #FRAME_SIZE
    eret

/*
 * uint64_t run_el0(uint64_t (*fn)(uint64_t), uint64_t arg, void *sp)
 * Run fn(arg) at EL0t on stack sp, with interrupts masked.  fn returns
 * by `svc #0xe0` with its result in x0 (see el0_return in lib.h); that
 * SVC comes back here through exc_dispatch, which resumes at el0_resume.
 */
    .global run_el0
run_el0:
    ldr     x9, =el0_ctx
    stp     x19, x20, [x9, #0]
    stp     x21, x22, [x9, #16]
    stp     x23, x24, [x9, #32]
    stp     x25, x26, [x9, #48]
    stp     x27, x28, [x9, #64]
    stp     x29, x30, [x9, #80]
    mov     x10, sp
    str     x10, [x9, #96]
    msr     sp_el0, x2
    msr     elr_el1, x0
    mov     x10, #0x3c0             /* EL0t, DAIF masked */
    msr     spsr_el1, x10
    mov     x0, x1
    ldr     x30, =el0_fell_off
    eret
el0_fell_off:                       /* fn returned instead of svc #0xe0 */
    svc     #0xe0

    .global el0_resume
el0_resume:
    ldr     x9, =el0_ctx
    ldp     x19, x20, [x9, #0]
    ldp     x21, x22, [x9, #16]
    ldp     x23, x24, [x9, #32]
    ldp     x25, x26, [x9, #48]
    ldp     x27, x28, [x9, #64]
    ldp     x29, x30, [x9, #80]
    ldr     x10, [x9, #96]
    mov     sp, x10
    ret

/* Semihosting call: x0 = op, x1 = parameter; returns x0. */
    .global semihost
semihost:
    hlt     #0xf000
    ret

    .bss
    .balign 16
el0_ctx:
    .space  112
    .global boot_current_el
boot_current_el:
    .space  8
