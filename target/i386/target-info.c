/* Identity of the x86_64 executable; see sysemu/target-info.h. */
#include "turtle/osdep.h"
#include "sysemu/target-info.h"
#include "tcg/tcg.h"
#include "target/i386/x86-tcg.h"

static const TCGTargetInfo x86_tcg_info = {
    .page_bits = 12,
    .nb_mmu_modes = X86_MMU_MODES,
    .tlb_neg_offset = offsetof(X86CPU, neg) - offsetof(X86CPU, env),
    .insn_start_words = 2,          /* pc (linear), cc_op */
    .guest_big_endian = false,
};

_Static_assert(offsetof(X86CPU, env) - offsetof(X86CPU, neg) ==
               sizeof(CPUNegativeOffsetState),
               "neg must end exactly at env");

const TargetInfo turtle_target = {
    .name = "x86_64",
    .cpu_base_type = "x86_64-cpu",
    .cpu_type_suffix = "-x86_64-cpu",
    .default_machine = "pc",
    .tcg = &x86_tcg_info,
};
