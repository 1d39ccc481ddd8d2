/*
 * PSCI 1.0 firmware services for boards without EL3 firmware (Arm DEN0022),
 * called by the guest with HVC or SMC; see hw/arm/psci.c.
 */
#ifndef HW_ARM_PSCI_H
#define HW_ARM_PSCI_H

#include "turtle/osdep.h"

typedef enum PSCIConduit {
    PSCI_CONDUIT_NONE,
    PSCI_CONDUIT_HVC,
    PSCI_CONDUIT_SMC,
} PSCIConduit;

/* Power state of each CPU, as AFFINITY_INFO reports it */
typedef enum PSCIPowerState {
    PSCI_POWER_ON = 0,
    PSCI_POWER_OFF = 1,
    PSCI_POWER_ON_PENDING = 2,
} PSCIPowerState;

#define PSCI_MAX_CPUS 512

typedef struct PSCIState {
    PSCIConduit conduit;
    uint8_t power[PSCI_MAX_CPUS];     /* PSCIPowerState per cpu_index */
} PSCIState;

/* Function IDs (DEN0022 5.1); SMC64 variants have bit 30 set */
#define PSCI_0_2_FN_BASE            0x84000000
#define PSCI_0_2_64BIT              0x40000000
#define PSCI_FN_PSCI_VERSION        0x84000000
#define PSCI_FN_CPU_SUSPEND         0x84000001
#define PSCI_FN_CPU_OFF             0x84000002
#define PSCI_FN_CPU_ON              0x84000003
#define PSCI_FN_AFFINITY_INFO       0x84000004
#define PSCI_FN_MIGRATE             0x84000005
#define PSCI_FN_MIGRATE_INFO_TYPE   0x84000006
#define PSCI_FN_MIGRATE_INFO_UP_CPU 0x84000007
#define PSCI_FN_SYSTEM_OFF          0x84000008
#define PSCI_FN_SYSTEM_RESET        0x84000009
#define PSCI_FN_PSCI_FEATURES       0x8400000a

/* Return codes */
#define PSCI_RET_SUCCESS            0
#define PSCI_RET_NOT_SUPPORTED      (-1)
#define PSCI_RET_INVALID_PARAMS     (-2)
#define PSCI_RET_DENIED             (-3)
#define PSCI_RET_ALREADY_ON         (-4)
#define PSCI_RET_ON_PENDING         (-5)
#define PSCI_RET_INTERNAL_FAILURE   (-6)
#define PSCI_RET_NOT_PRESENT        (-7)

#define PSCI_VERSION_1_0            0x00010000

/*
 * Install the HVC/SMC handler for the machine's CPUs (one machine per
 * process).  With PSCI_CONDUIT_NONE nothing is installed.
 */
void psci_install(PSCIState *psci, PSCIConduit conduit);
/* After a system reset: CPU 0 on, every other CPU off (halted). */
void psci_reset_cpus(PSCIState *psci);

#endif
