/*
 * PSCI SYSTEM_OFF from a secondary while the other three CPUs are busy
 * (CPU 0 and 1 spinning on loads, CPU 3 in WFI with interrupts masked): the
 * whole machine must stop at once with exit status 0, and nothing after
 * the call may run.  The output ends with the line printed before the call;
 * the runner's timeout catches a machine that keeps going.
 */
#include "smp.h"

#define PSCI_SYSTEM_OFF 0x84000008u

static volatile uint64_t ran_after;
static volatile uint64_t spin_flag;

static void job_spin(unsigned cpu, void *arg)
{
    while (!spin_flag) {
    }
}

static void job_wfi(unsigned cpu, void *arg)
{
    for (;;) {
        __asm__ volatile("wfi");
    }
}

static void job_off(unsigned cpu, void *arg)
{
    /* Let the others settle into their loops first. */
    uint64_t t = smp_now() + smp_ms(20);
    while (smp_now() < t) {
    }
    psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    ran_after = 1;
}

int main(void)
{
    if (smp_init(4) != 4) {
        test_done();
    }
    printf("4 cpus up; SYSTEM_OFF from cpu 2 while cpus 0, 1 spin and 3 sleeps\n");
    smp_run(1, job_spin, 0);
    smp_run(3, job_wfi, 0);
    smp_run(2, job_off, 0);
    {
        uint64_t end = smp_now() + smp_ms(5000);
        while (smp_now() < end && !ran_after) {
        }
    }
    printf("still running after SYSTEM_OFF FAIL\n");
    test_exit(1);
}
