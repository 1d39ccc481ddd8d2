/* Several CPUs for the smp-* tests: start the APs (INIT-SIPI-SIPI through
 * the local APIC) and run fn(cpu) on each of them. */
#ifndef TESTS_TCG_X86_64_SMP_H
#define TESTS_TCG_X86_64_SMP_H

#include "lib.h"

#define SMP_MAX 8

/* start every AP; each runs fn(cpu index 1..); waits (bounded) for
 * ncpus - 1 of them; returns the number of CPUs up, BSP included */
int smp_start(void (*fn)(int cpu), int ncpus);
/* spin until *v reaches want */
void smp_wait(volatile int *v, int want);

#endif
