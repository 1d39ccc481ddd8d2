/* Test outcome: isa-debug-exit (-device isa-debug-exit,iobase=0xf4,iosize=0x04). */
#include "io.h"

void test_exit(uint8_t code)
{
    print("exit: code 0x%x (status 0x%x)\n", code, (code << 1) | 1);
    outb(0xf4, code);
    /* Not reached when the device is present. */
    print("exit: isa-debug-exit missing, halting\n");
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

unsigned test_step;

void step_begin(unsigned n, const char *name)
{
    test_step = n;
    print("step %u: %s\n", n, name);
}

void fail(const char *fmt, ...)
{
    va_list ap;
    print("FAIL step %u: ", test_step);
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    print("\n");
    test_exit(EXIT_FAIL(test_step));
}
