/*
 * The program tests/tcg/gdb/gdb-test.py debugs with gdb-multiarch (not a
 * .ref test): a loop that calls bump() with 1..5, a watched variable
 * written by bump(), and a final result that depends on a variable the
 * debugger changes.  Prints "result=N" where N is counter * 3 + 7 for the
 * counter in effect after the loop (5, or what gdb wrote there).  While
 * `hold` is non-zero it spins before printing (for Ctrl-C tests).
 */
/* built by tests/tcg/ARCH/Makefile through ARCH/gdb-target.c, which
 * includes this file: lib.h is that architecture's runtime */
#include "lib.h"

volatile uint64_t counter;
volatile uint64_t watched;
volatile uint64_t sink;
/* a debugger sets it to keep the program busy (for Ctrl-C) */
volatile uint64_t hold;

__attribute__((noinline)) void bump(int i)
{
    watched = (uint64_t)i * 2;
}

__attribute__((noinline)) uint64_t compute(uint64_t x)
{
    uint64_t y = x * 3;

    y += 7;
    return y;
}

int main(void)
{
    for (int i = 1; i <= 5; i++) {
        counter = i;
        bump(i);
        sink = watched;
    }
    while (hold) {
        sink++;
    }
    printf("result=%d\n", (int)compute(counter));
    return 0;
}
