/* isa-debug-exit (-device isa-debug-exit,iobase=0xf4,iosize=0x04). */
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

void test_fail(unsigned step, const char *why)
{
    print("FAIL step %u: %s\n", step, why);
    test_exit(EXIT_FAIL(step));
}
