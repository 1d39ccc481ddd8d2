/*
 * dt_run(in, out): load the whole register state of `in` (XRSTOR of x87,
 * SSE and AVX, RFLAGS, the 16 GPRs), jump to the snippet at DT_CODE; the
 * snippet ends with an absolute jump to dt_exit, which stores everything
 * into `out` (GPRs, RFLAGS, XSAVE) and returns to the caller.
 *
 * Exceptions: natively a signal handler (native.c) copies the state and
 * siglongjmps; in the guest (DT_GUEST) every vector's IDT gate enters
 * dt_trap_stubs on IST1, which saves the state the same way and returns
 * from dt_run with the vector + 1.
 */
#include "dt.h"

    .text
    .globl dt_run, dt_exit, dt_out
dt_run:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, host_rsp(%rip)
    movq %rsi, dt_out(%rip)
    stmxcsr host_mxcsr(%rip)
    fnstcw host_fcw(%rip)
    movl $7, %eax
    xorl %edx, %edx
    xrstor DTS_XSAVE(%rdi)
    pushq DTS_RFLAGS(%rdi)
    popfq
    movq %rdi, %rsp
    popq %rax
    popq %rcx
    popq %rdx
    popq %rbx
    leaq 8(%rsp), %rsp              /* rsp: loaded last */
    popq %rbp
    popq %rsi
    popq %rdi
    popq %r8
    popq %r9
    popq %r10
    popq %r11
    popq %r12
    popq %r13
    popq %r14
    popq %r15
    movq -96(%rsp), %rsp
    jmp *code_ptr(%rip)

dt_exit:
    movq %rsp, snippet_rsp(%rip)
    movq dt_out(%rip), %rsp
    leaq DTS_RFLAGS + 8(%rsp), %rsp
    pushfq
    pushq %r15
    pushq %r14
    pushq %r13
    pushq %r12
    pushq %r11
    pushq %r10
    pushq %r9
    pushq %r8
    pushq %rdi
    pushq %rsi
    pushq %rbp
    pushq $0
    pushq %rbx
    pushq %rdx
    pushq %rcx
    pushq %rax
    movq %rsp, %rbx
    movq snippet_rsp(%rip), %rax
    movq %rax, 32(%rbx)
    movq $0, DTS_VECTOR(%rbx)
    movq $0, DTS_ERROR(%rbx)
    movl $7, %eax
    xorl %edx, %edx
    xsave DTS_XSAVE(%rbx)
    /* fall through */
    .globl dt_back
dt_back:
    movq host_rsp(%rip), %rsp
    cld
    fninit
    fldcw host_fcw(%rip)
    ldmxcsr host_mxcsr(%rip)
    movq dt_out(%rip), %rax
    movq DTS_VECTOR(%rax), %rax
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret

#ifdef DT_GUEST
/* IDT entries: 32 stubs of 16 bytes, IST1 */
    .macro dtstub vec, err
    .align 16
    .if \err == 0
    pushq $0
    .endif
    pushq $\vec
    jmp dt_trap_common
    .endm

    .align 16
    .globl dt_trap_stubs
dt_trap_stubs:
    .irp v, 0,1,2,3,4,5,6,7
    dtstub \v, 0
    .endr
    dtstub 8, 1
    dtstub 9, 0
    dtstub 10, 1
    dtstub 11, 1
    dtstub 12, 1
    dtstub 13, 1
    dtstub 14, 1
    dtstub 15, 0
    dtstub 16, 0
    dtstub 17, 1
    .irp v, 18,19,20,21,22,23,24,25,26,27,28,29,30,31
    dtstub \v, 0
    .endr

dt_trap_common:
    pushq %rax
    pushq %rcx
    pushq %rdx
    pushq %rbx
    pushq %rbp
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq dt_out(%rip), %rbx
    movl $7, %eax
    xorl %edx, %edx
    xsave DTS_XSAVE(%rbx)
    movq %rsp, %rdi
    cld
    call dt_trap_c
    jmp dt_back
#endif

    .data
    .align 8
dt_out:     .quad 0
host_rsp:   .quad 0
snippet_rsp: .quad 0
code_ptr:   .quad DT_CODE
host_mxcsr: .long 0
host_fcw:   .word 0
.section .note.GNU-stack,"",@progbits
