/*
 * IDT with one entry stub per vector (lib/trap32.S or lib/trap64.S) and a
 * C dispatcher.  Vectors without a handler fail the current step.
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

/* Step bookkeeping: "step N: name" lines; failures report the step. */
extern unsigned test_step;
void step_begin(unsigned n, const char *name);
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
