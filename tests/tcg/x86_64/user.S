/*
 * Running code at CPL 3: enter_user(fn) (through trap_run) IRETs to fn
 * in 64-bit user mode on user_stack; user code comes back to the kernel
 * with INT 0x81 (a DPL 3 gate), which trap_run reports as vector 0x81.
 * Also the user-mode snippets the tests run.
 */
    .text
    .code64
    .globl enter_user
enter_user:                         /* rdi = user function */
    movw $0x2b, %ax                 /* IRET to CPL 3 would null DS/ES */
    movw %ax, %ds
    movw %ax, %es
    pushq $0x2b                     /* SS: user data */
    movabsq $user_stack_top, %rax
    pushq %rax
    pushq $0x2                      /* RFLAGS: interrupts stay off */
    pushq $0x33                     /* CS: user code64 */
    pushq %rdi
    iretq

    .globl user_ret, user_hlt, user_int80, user_cli, user_rdmsr, user_ok
    .globl user_read, user_write, user_addr
user_read:                          /* read the qword at user_addr */
    movq user_addr(%rip), %rax
    movq (%rax), %rax
    int $0x81
user_write:
    movq user_addr(%rip), %rax
    movq $0x5555, (%rax)
    int $0x81
user_ret:                           /* back to the kernel */
    int $0x81
user_ok:
    movl $0x1234, %eax
    int $0x81
user_hlt:
    hlt
    int $0x81
user_int80:
    int $0x80
    int $0x81
user_cli:
    cli
    int $0x81
user_rdmsr:
    xorl %ecx, %ecx
    rdmsr
    int $0x81

    .data
    .align 8
user_addr:
    .quad 0

    .bss
    .align 16
    .space 16384
    .globl user_stack_top
user_stack_top:
