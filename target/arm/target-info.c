/* Identity of the aarch64 executable; see sysemu/target-info.h. */
#include "turtle/osdep.h"
#include "sysemu/target-info.h"
#include "tcg/tcg.h"
#include "target/arm/cpu.h"

static const TCGTargetInfo arm_tcg_info = {
    .page_bits = 12,
    .nb_mmu_modes = ARM_MMU_MODES,
    .tlb_neg_offset = offsetof(ARMCPU, neg) - offsetof(ARMCPU, env),
    .insn_start_words = 1,
    .guest_big_endian = false,
};

_Static_assert(offsetof(ARMCPU, env) - offsetof(ARMCPU, neg) ==
               sizeof(CPUNegativeOffsetState),
               "neg must end exactly at env");

const TargetInfo turtle_target = {
    .name = "aarch64",
    .cpu_base_type = "arm-cpu",
    .cpu_type_suffix = "-arm-cpu",
    .default_machine = "virt",
    .tcg = &arm_tcg_info,
};
