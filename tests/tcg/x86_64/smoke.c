/* smoke: start-up, output, a trapped #UD, arithmetic */
#include "lib.h"

static void do_ud2(void *arg)
{
    __asm__ volatile("ud2");
}

int main(void)
{
    uint64_t v;

    printf("x86-64 smoke test\n");
    check_eq(trap_run(do_ud2, NULL), 6 + 1, "ud2 raises #UD");
    check_eq(last_trap.rip, (uint64_t)do_ud2, "#UD at ud2");
    v = 0x123456789abcdef0ull;
    __asm__ volatile("rol $4, %0" : "+r"(v));
    check_eq(v, 0x23456789abcdef01ull, "rol");
    return finish();
}
