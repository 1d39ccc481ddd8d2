/*
 * IDT with one entry stub per vector (lib/trap32.S or lib/trap64.S) and a
 * C dispatcher.  Vectors without a handler fail the current step.
 * (32-bit: interrupt gates; 64-bit: 16-byte gates, no IST.)
 */
#ifndef TESTS_KVM_TRAP_H
#define TESTS_KVM_TRAP_H

#include "io.h"

typedef void (*trap_fn)(unsigned vector);

struct trap_frame {
#ifdef __x86_64__
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error, ip, cs, flags, sp, ss;
#else
    uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;
    uint32_t vector, error, ip, cs, flags;
#endif
};

void idt_init(void);
void idt_on(unsigned vector, trap_fn fn);
void trap_dispatch(struct trap_frame *f);

#endif
