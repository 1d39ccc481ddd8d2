/*
 * x86 CPU model definitions: vendor, signature, CPUID levels and feature
 * words of each -cpu NAME (see docs/kvm.md for the list).  The words are
 * what the model offers; under KVM, cpuid.c drops what the host cannot give.
 */
#include "turtle/osdep.h"
#include "target/i386/cpu.h"

#define PPRO_EDX (CPUID_1_EDX_FPU | (1u << 1) | (1u << 2) | (1u << 3) | \
                  CPUID_1_EDX_TSC | (1u << 5) | (1u << 6) | (1u << 7) |    \
                  (1u << 8) | CPUID_1_EDX_APIC | (1u << 11) | (1u << 12) | \
                  (1u << 13) | (1u << 14) | (1u << 15) | (1u << 16) |      \
                  (1u << 17) | (1u << 19) | (1u << 23) | (1u << 24) |      \
                  (1u << 25) | (1u << 26))
#define B(n) (1u << (n))

const X86CPUModel x86_cpu_models[] = {
    {
        .name = "qemu64",
        .desc = "conservative x86-64 CPU (SSE2, CX16, POPCNT; no AVX)",
        .vendor = "AuthenticAMD", .family = 15, .model = 107, .stepping = 1,
        .level = 0xd, .xlevel = 0x8000000a,
        .model_id = "Turtle Virtual CPU version 0.1",
        .features = {
            [FEAT_1_EDX] = PPRO_EDX,
            [FEAT_1_ECX] = B(0) | B(13) | B(23),  /* pni cx16 popcnt */
            [FEAT_8000_0001_EDX] = (PPRO_EDX & AMD_EDX_ALIASES) | B(11) |
                                   B(20) | B(29),  /* syscall nx lm */
            [FEAT_8000_0001_ECX] = B(0),           /* lahf-lm */
        },
    }, {
        .name = "Skylake-Client",
        .desc = "Intel Core Processor (Skylake), no TSX, no MPX",
        .vendor = "GenuineIntel", .family = 6, .model = 94, .stepping = 3,
        .level = 0x16, .xlevel = 0x80000008,
        .model_id = "Intel Core Processor (Skylake)",
        .features = {
            [FEAT_1_EDX] = PPRO_EDX,
            /* pni pclmulqdq ssse3 fma cx16 pcid sse4.1 sse4.2 x2apic movbe
             * popcnt tsc-deadline aes xsave avx f16c rdrand */
            [FEAT_1_ECX] = B(0) | B(1) | B(9) | B(12) | B(13) | B(17) |
                           B(19) | B(20) | B(21) | B(22) | B(23) | B(24) |
                           B(25) | B(26) | B(28) | B(29) | B(30),
            /* fsgsbase bmi1 avx2 smep bmi2 erms invpcid rdseed adx smap
             * clflushopt */
            [FEAT_7_0_EBX] = B(0) | B(3) | B(5) | B(7) | B(8) | B(9) |
                             B(10) | B(18) | B(19) | B(20) | B(23),
            [FEAT_8000_0001_EDX] = B(11) | B(20) | B(26) | B(27) | B(29),
            [FEAT_8000_0001_ECX] = B(0) | B(5) | B(8),
            [FEAT_XSAVE] = B(0) | B(1) | B(2),
            [FEAT_6_EAX] = B(2),
        },
    }, {
        .name = "EPYC",
        .desc = "AMD EPYC Processor (Zen)",
        .vendor = "AuthenticAMD", .family = 23, .model = 1, .stepping = 2,
        .level = 0xd, .xlevel = 0x8000000a,
        .model_id = "AMD EPYC Processor",
        .features = {
            [FEAT_1_EDX] = PPRO_EDX,
            /* pni pclmulqdq ssse3 fma cx16 sse4.1 sse4.2 movbe popcnt aes
             * xsave avx f16c rdrand */
            [FEAT_1_ECX] = B(0) | B(1) | B(9) | B(12) | B(13) | B(19) |
                           B(20) | B(22) | B(23) | B(25) | B(26) | B(28) |
                           B(29) | B(30),
            /* fsgsbase bmi1 avx2 smep bmi2 rdseed adx smap clflushopt
             * sha-ni */
            [FEAT_7_0_EBX] = B(0) | B(3) | B(5) | B(7) | B(8) | B(18) |
                             B(19) | B(20) | B(23) | B(29),
            /* aliases + syscall nx mmxext fxsr-opt pdpe1gb rdtscp lm */
            [FEAT_8000_0001_EDX] = (PPRO_EDX & AMD_EDX_ALIASES) | B(11) |
                                   B(20) | B(22) | B(25) | B(26) | B(27) |
                                   B(29),
            /* lahf-lm cr8legacy abm sse4a misalignsse 3dnowprefetch osvw */
            [FEAT_8000_0001_ECX] = B(0) | B(4) | B(5) | B(6) | B(7) | B(8) |
                                   B(9),
            [FEAT_XSAVE] = B(0) | B(1) | B(2),
            [FEAT_6_EAX] = B(2),
        },
    }, {
        .name = "max",
        .desc = "every feature the accelerator supports (KVM: as -cpu host)",
        .vendor = "AuthenticAMD", .family = 15, .model = 107, .stepping = 1,
        .level = 0xd, .xlevel = 0x8000000a,
        .model_id = "Turtle Virtual CPU version 0.1",
        .features = {
            [FEAT_1_EDX] = PPRO_EDX,
            [FEAT_1_ECX] = B(0) | B(13) | B(23),
            [FEAT_8000_0001_EDX] = (PPRO_EDX & AMD_EDX_ALIASES) | B(11) |
                                   B(20) | B(29),
            [FEAT_8000_0001_ECX] = B(0),
        },
        .all_supported = true,
    }, {
        .name = "host",
        .desc = "KVM only: the host CPU, every feature KVM supports",
        .all_supported = true,
        .kvm_only = true,
    },
};
const int x86_cpu_models_count = G_N_ELEMENTS(x86_cpu_models);

/*
 * "max" under TCG: every feature the x86 front end implements (keep in
 * step with target/i386/README.md).
 */
const FeatureWordArray x86_tcg_max_features = {
    [FEAT_1_EDX] = PPRO_EDX,
    /* pni pclmulqdq ssse3 cx16 sse4.1 sse4.2 pcid x2apic movbe popcnt
     * tsc-deadline aes xsave rdrand */
    [FEAT_1_ECX] = B(0) | B(1) | B(9) | B(13) | B(17) | B(19) | B(20) |
                   B(21) | B(22) | B(23) | B(24) | B(25) | B(26) | B(30),
    /* fsgsbase bmi1 smep bmi2 erms rdseed adx smap clflushopt clwb */
    [FEAT_7_0_EBX] = B(0) | B(3) | B(7) | B(8) | B(9) | B(18) | B(19) |
                     B(20) | B(23) | B(24),
    /* umip pku rdpid */
    [FEAT_7_0_ECX] = B(2) | B(3) | B(22),
    /* aliases + syscall nx pdpe1gb rdtscp lm */
    [FEAT_8000_0001_EDX] = (PPRO_EDX & AMD_EDX_ALIASES) | B(11) | B(20) |
                           B(26) | B(27) | B(29),
    /* lahf-lm abm */
    [FEAT_8000_0001_ECX] = B(0) | B(5),
    /* xsaveopt xgetbv1 */
    [FEAT_XSAVE] = B(0) | B(2),
};

#undef B

const X86CPUModel *x86_cpu_model_find(const char *name)
{
    for (int i = 0; i < x86_cpu_models_count; i++) {
        if (!strcmp(x86_cpu_models[i].name, name)) {
            return &x86_cpu_models[i];
        }
    }
    return NULL;
}

