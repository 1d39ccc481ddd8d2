/* Identity of the x86_64 executable; see sysemu/target-info.h. */
#include "turtle/osdep.h"
#include "sysemu/target-info.h"

const TargetInfo turtle_target = {
    .name = "x86_64",
    .cpu_base_type = "x86_64-cpu",
    .cpu_type_suffix = "-x86_64-cpu",
    .default_machine = "pc",
};
