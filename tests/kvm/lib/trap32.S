/* 32-bit interrupt entry stubs: push (error, vector), save GPRs, call C. */
    .code32
    .text
    .macro stub v
    .align 16
    .if (\v == 8) || ((\v >= 10) && (\v <= 14)) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
    .else
    pushl $0
    .endif
    pushl $\v
    jmp trap_common
    .endm

    .globl trap_stubs
    .align 16
trap_stubs:
    .set vec, 0
    .rept 256
    stub vec
    .set vec, vec + 1
    .endr

trap_common:
    pushal
    cld
    pushl %esp
    call trap_dispatch
    addl $4, %esp
    popal
    addl $8, %esp
    iretl
