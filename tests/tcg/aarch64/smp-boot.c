/*
 * PSCI bring-up on virt with -smp 4: CPU_ON with a context id, the MPIDR each
 * CPU reports, AFFINITY_INFO before and after, CPU_ON of a CPU that is
 * already on, CPU_OFF then AFFINITY_INFO, restarting a CPU that was turned
 * off, and bad targets.  PSCI through HVC (virt's conduit without EL2/EL3).
 * Finally each secondary prints through semihosting in turn; CPU 0 turns
 * itself off (CPU_OFF of the boot CPU) and CPU 3 checks that, turns CPU 0
 * back on, runs a job there, prints the summary and exits (SYS_EXIT from a
 * secondary).
 */
#include "smp.h"

static volatile uint64_t off_returned;

static void job_cpu_off(unsigned cpu, void *arg)
{
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
    off_returned = 1;           /* CPU_OFF must not return on success */
}

static volatile uint64_t job_ran[SMP_MAX_CPUS];

static void job_mark(unsigned cpu, void *arg)
{
    job_ran[cpu] = (uint64_t)(uintptr_t)arg + cpu;
}

static void job_hello(unsigned cpu, void *arg)
{
    printf("semihosting from cpu %u, MPIDR 0x%lx\n", cpu, READ_SYSREG(mpidr_el1));
}

static void job_finish(unsigned cpu, void *arg)
{
    int64_t r;
    uint64_t end = smp_now() + smp_ms(5000);

    do {
        r = psci_call(PSCI_AFFINITY_INFO, 0, 0, 0);
    } while (r != AFF_OFF && smp_now() < end);
    check("cpu 3: AFFINITY_INFO(cpu 0) after its CPU_OFF", r, AFF_OFF);
    check("cpu 3: CPU_ON(cpu 0)", smp_cpu_on(0, 0xc0de0), PSCI_SUCCESS);
    check("cpu 0 came back with its context id",
          smp_boot[0].online == 1 ? smp_boot[0].context_id : 0, 0xc0de0);
    job_ran[0] = 0;
    smp_run(0, job_mark, (void *)0x400);
    check_true("cpu 0 runs a job for cpu 3", smp_wait(0) && job_ran[0] == 0x400);
    test_done();
}

static int64_t wait_affinity(unsigned cpu, int64_t want)
{
    uint64_t end = smp_now() + smp_ms(5000);
    int64_t r;

    do {
        r = psci_call(PSCI_AFFINITY_INFO, cpu, 0, 0);
    } while (r != want && smp_now() < end);
    return r;
}

int main(void)
{
    int64_t v = psci_call(PSCI_VERSION, 0, 0, 0);

    check_true("PSCI_VERSION >= 0.2", v >= 0x2 && v < 0x10000000);
    check("PSCI_FEATURES(CPU_ON)", psci_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0), 0);
    check("PSCI_FEATURES(unknown 0x8400001f)",
          psci_call(PSCI_FEATURES, 0x8400001f, 0, 0), (uint64_t)PSCI_NOT_SUPPORTED);
    check("unknown function 0x8400001f", psci_call(0x8400001f, 0, 0, 0),
          (uint64_t)PSCI_NOT_SUPPORTED);
    check("cpu 0 MPIDR", READ_SYSREG(mpidr_el1), 0x80000000);

    for (int i = 0; i < 4; i++) {
        check(smp_name("AFFINITY_INFO(cpu ", i, ") before"), psci_call(PSCI_AFFINITY_INFO, i, 0, 0),
              i == 0 ? AFF_ON : AFF_OFF);
    }

    /* Map the identity tables on CPU 0 only; secondaries by hand. */
    smp_init(1);
    for (int i = 1; i < 4; i++) {
        uint64_t ctx = 0xc0de0000ull + i * 0x1111 + ((uint64_t)i << 40);
        check(smp_name("CPU_ON(cpu ", i, ")"), smp_cpu_on(i, ctx), PSCI_SUCCESS);
        check(smp_name("cpu ", i, " online"), smp_boot[i].online, 1);
        check(smp_name("cpu ", i, " context id"), smp_boot[i].context_id, ctx);
        check(smp_name("cpu ", i, " MPIDR"), smp_boot[i].mpidr, 0x80000000u | i);
        check(smp_name("cpu ", i, " CurrentEL"), smp_boot[i].current_el, 1 << 2);
    }
    for (int i = 0; i < 4; i++) {
        check(smp_name("AFFINITY_INFO(cpu ", i, ") after CPU_ON"), wait_affinity(i, AFF_ON), AFF_ON);
    }
    /* Every CPU runs a job. */
    smp_run_all(4, job_mark, (void *)0x100);
    for (int i = 0; i < 4; i++) {
        check(smp_name("cpu ", i, " ran a job"), job_ran[i], 0x100 + i);
    }

    check("CPU_ON(cpu 1) again", smp_cpu_on(1, 0), (uint64_t)PSCI_ALREADY_ON);
    check("CPU_ON(cpu 0, self)", psci_call(PSCI_CPU_ON, 0,
          (uint64_t)(uintptr_t)smp_secondary_entry, 0), (uint64_t)PSCI_ALREADY_ON);

    smp_run(3, job_cpu_off, 0);
    check("AFFINITY_INFO(cpu 3) after CPU_OFF", wait_affinity(3, AFF_OFF), AFF_OFF);
    check("CPU_OFF did not return", off_returned, 0);
    check("AFFINITY_INFO(cpu 2) still on",
          psci_call(PSCI_AFFINITY_INFO, 2, 0, 0), AFF_ON);

    /* Restart it: a new context id, a fresh entry. */
    check("CPU_ON(cpu 3) restart", smp_cpu_on(3, 0x5eed3), PSCI_SUCCESS);
    check("cpu 3 booted twice", smp_boot[3].online, 2);
    check("cpu 3 new context id", smp_boot[3].context_id, 0x5eed3);
    check("AFFINITY_INFO(cpu 3) after restart", wait_affinity(3, AFF_ON), AFF_ON);
    job_ran[3] = 0;
    smp_run(3, job_mark, (void *)0x200);
    check_true("cpu 3 runs jobs after restart", smp_wait(3) && job_ran[3] == 0x203);

    /* All three off at once, then all three on back to back. */
    for (int i = 1; i < 4; i++) {
        smp_run(i, job_cpu_off, 0);
    }
    for (int i = 1; i < 4; i++) {
        check(smp_name("AFFINITY_INFO(cpu ", i, ") after concurrent CPU_OFF"),
              wait_affinity(i, AFF_OFF), AFF_OFF);
    }
    {
        int64_t r[4], again;
        uint32_t before[4];
        for (int i = 1; i < 4; i++) {
            before[i] = smp_boot[i].online;
        }
        for (int i = 1; i < 4; i++) {
            r[i] = psci_call(PSCI_CPU_ON, i, (uint64_t)(uintptr_t)smp_secondary_entry,
                             0xb0b0 + i);
        }
        again = psci_call(PSCI_CPU_ON, 2, (uint64_t)(uintptr_t)smp_secondary_entry, 0);
        /* QEMU 7.2 often answers SUCCESS here and boots the CPU twice
         * (it marks the CPU on only when the boot work runs). */
        if (!check_true("CPU_ON(cpu 2) right after CPU_ON: ALREADY_ON or ON_PENDING",
                        again == PSCI_ALREADY_ON || again == PSCI_ON_PENDING)) {
            printf("  got %ld\n", (long)again);
        }
        for (int i = 1; i < 4; i++) {
            uint64_t end = smp_now() + smp_ms(5000);
            while (smp_boot[i].online == before[i] && smp_now() < end) {
            }
            check(smp_name("back-to-back CPU_ON(cpu ", i, ")"), r[i], PSCI_SUCCESS);
            check(smp_name("cpu ", i, " came up with its context id"),
                  smp_boot[i].online == before[i] + 1 ? smp_boot[i].context_id : 0,
                  0xb0b0 + i);
        }
        smp_run_all(4, job_mark, (void *)0x300);
        for (int i = 0; i < 4; i++) {
            check(smp_name("cpu ", i, " ran a job after the restart"), job_ran[i], 0x300 + i);
        }
    }
    check("CPU_OFF never returned", off_returned, 0);

    check("CPU_ON(Aff0 4) bad target", psci_call(PSCI_CPU_ON, 4,
          (uint64_t)(uintptr_t)smp_secondary_entry, 0),
          (uint64_t)PSCI_INVALID_PARAMETERS);
    check("CPU_ON(Aff1 1) bad target", psci_call(PSCI_CPU_ON, 0x100,
          (uint64_t)(uintptr_t)smp_secondary_entry, 0),
          (uint64_t)PSCI_INVALID_PARAMETERS);
    check("AFFINITY_INFO(Aff0 7) bad target",
          psci_call(PSCI_AFFINITY_INFO, 7, 0, 0),
          (uint64_t)PSCI_INVALID_PARAMETERS);

    for (int i = 1; i < 4; i++) {
        smp_run(i, job_hello, 0);
        smp_wait(i);
    }
    smp_run(3, job_finish, 0);
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
    printf("CPU_OFF returned on cpu 0 FAIL\n");
    test_exit(1);
}
