/* Identity of the aarch64 executable; see sysemu/target-info.h. */
#include "turtle/osdep.h"
#include "sysemu/target-info.h"

const TargetInfo turtle_target = {
    .name = "aarch64",
    .cpu_base_type = "arm-cpu",
    .cpu_type_suffix = "-arm-cpu",
    .default_machine = "virt",
};
