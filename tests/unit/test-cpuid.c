/*
 * CPUID construction and host filtering (target/i386/cpuid.c) against
 * synthetic KVM_GET_SUPPORTED_CPUID sets: an Intel host with VMX (+EPT,
 * which is a VMX capability MSR, not a CPUID bit), an AMD host with SVM
 * and NPT, and a host with neither.
 */
#include "turtle/osdep.h"
#include "target/i386/cpu.h"

#define B(n) (1u << (n))

static void put(X86CPUIDTable *t, uint32_t fn, uint32_t idx, bool indexed,
                uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    t->e[t->nent++] = (X86CPUIDEntry) {
        .function = fn, .index = idx,
        .flags = indexed ? X86_CPUID_FLAG_INDEXED : 0,
        .eax = a, .ebx = b, .ecx = c, .edx = d,
    };
}

static uint32_t str4(const char *s)
{
    return (uint32_t)(uint8_t)s[0] | (uint32_t)(uint8_t)s[1] << 8 |
           (uint32_t)(uint8_t)s[2] << 16 | (uint32_t)(uint8_t)s[3] << 24;
}

/* Everything a Skylake-class part reports, plus VMX; 39 physical bits. */
static void intel_host(X86CPUIDTable *t, bool vmx)
{
    t->nent = 0;
    put(t, 0, 0, false, 0x16, str4("Genu"), str4("ntel"), str4("ineI"));
    put(t, 1, 0, false, 0x000506e3, 0, (0x7ffaf3ff & ~B(5) & ~B(31)) |
        (vmx ? B(5) : 0), 0xbfebfbff);
    put(t, 6, 0, false, 0x4, 0, 0, 0);
    put(t, 7, 0, true, 0, 0x029c6fbf, 0, 0x9c000400);
    put(t, 0xd, 0, true, 0x1f, 0x440, 0x440, 0);
    put(t, 0xd, 1, true, 0xf, 0, 0, 0);
    put(t, 0x40000001, 0, false, 0x01007afb, 0, 0, 0);
    put(t, 0x80000000, 0, false, 0x80000008, 0, 0, 0);
    put(t, 0x80000001, 0, false, 0, 0, 0x00000121, 0x2c100800);
    put(t, 0x80000002, 0, false, str4("Inte"), str4("l(R)"), str4(" Cor"),
        str4("e(TM"));
    put(t, 0x80000003, 0, false, str4(") i7"), 0, 0, 0);
    put(t, 0x80000004, 0, false, 0, 0, 0, 0);
    put(t, 0x80000007, 0, false, 0, 0, 0, 0x100);
    put(t, 0x80000008, 0, false, 0x3027, 0, 0, 0);
}

/* A Zen part with SVM: NPT, NRIP save, VMCB clean bits. */
static void amd_host(X86CPUIDTable *t, bool svm)
{
    t->nent = 0;
    put(t, 0, 0, false, 0xd, str4("Auth"), str4("cAMD"), str4("enti"));
    /* no PCID, no x2APIC-less surprises: EPYC's ECX + x2apic */
    put(t, 1, 0, false, 0x00800f12, 0, 0x76f8320b | B(21), 0x178bfbff);
    put(t, 6, 0, false, 0x4, 0, 0, 0);
    put(t, 7, 0, true, 0, 0x209c01a9, 0, 0);
    put(t, 0xd, 0, true, 0x7, 0x340, 0x340, 0);
    put(t, 0xd, 1, true, 0xf, 0, 0, 0);
    put(t, 0x40000001, 0, false, 0x01007afb, 0, 0, 0);
    put(t, 0x80000000, 0, false, 0x8000001f, 0, 0, 0);
    put(t, 0x80000001, 0, false, 0x00800f12, 0,
        (0x35c233ff & ~B(2)) | (svm ? B(2) : 0), 0x2fd3fbff);
    put(t, 0x80000008, 0, false, 0x3030, 0x1007, 0, 0);
    if (svm) {
        put(t, 0x8000000a, 0, false, 1, 0x8000, 0, B(0) | B(3) | B(5));
    }
}

static const X86CPUIDEntry *leaf(const X86CPUIDTable *t, uint32_t fn,
                                 uint32_t idx)
{
    const X86CPUIDEntry *e = x86_cpuid_find(t, fn, idx);

    g_assert_nonnull(e);
    return e;
}

/* Model + options, filtered by host, built.  Returns the dropped list. */
static char **build(const char *model, const char *opts,
                    const X86CPUIDTable *host, X86CPUIDTable *out,
                    X86CPUIDConfig *cfg)
{
    const X86CPUModel *m = x86_cpu_model_find(model);
    X86FeatureRequest req;
    char **dropped;

    g_assert_nonnull(m);
    g_assert_true(x86_parse_features(opts, &req, &error_abort));
    if (m->all_supported) {
        x86_cpuid_config_from_host(cfg, host, &req);
    } else {
        x86_cpuid_config_from_model(cfg, m, &req);
    }
    dropped = x86_cpuid_filter(cfg, host, &req, m->all_supported);
    x86_cpuid_build(cfg, out);
    return dropped;
}

static bool has(char **list, const char *needle)
{
    if (g_test_verbose()) {
        for (int i = 0; list[i]; i++) {
            g_test_message("dropped: %s", list[i]);
        }
    }
    for (int i = 0; list[i]; i++) {
        if (strstr(list[i], needle)) {
            return true;
        }
    }
    return false;
}

static void vendor_of(const X86CPUIDTable *t, uint32_t fn, char *v)
{
    const X86CPUIDEntry *e = leaf(t, fn, 0);

    memcpy(v, &e->ebx, 4);
    memcpy(v + 4, &e->edx, 4);
    memcpy(v + 8, &e->ecx, 4);
    v[12] = '\0';
}

static void test_qemu64_on_intel(void)
{
    X86CPUIDTable host, t;
    X86CPUIDConfig cfg;
    char v[13];
    char **d;

    intel_host(&host, true);
    d = build("qemu64", NULL, &host, &t, &cfg);
    g_assert_cmpint(g_strv_length(d), ==, 0);      /* nothing missing */
    vendor_of(&t, 0, v);
    g_assert_cmpstr(v, ==, "AuthenticAMD");
    vendor_of(&t, 0x80000000, v);
    g_assert_cmpstr(v, ==, "AuthenticAMD");
    g_assert_cmphex(leaf(&t, 1, 0)->ecx & CPUID_1_ECX_VMX, ==, 0);
    g_assert_cmphex(leaf(&t, 0x80000001, 0)->edx & CPUID_8000_0001_EDX_LM,
                    !=, 0);
    /* 40 bits asked, the host has 39 */
    g_assert_cmphex(leaf(&t, 0x80000008, 0)->eax, ==, 0x3027);
    g_strfreev(d);
}

static void test_max_and_host_intel_nested(void)
{
    X86CPUIDTable host, t;
    X86CPUIDConfig cfg;
    char v[13];
    char **d;

    intel_host(&host, true);
    d = build("max", NULL, &host, &t, &cfg);
    g_assert_cmpint(g_strv_length(d), ==, 0);
    vendor_of(&t, 0, v);
    g_assert_cmpstr(v, ==, "GenuineIntel");
    g_assert_cmphex(leaf(&t, 1, 0)->ecx & CPUID_1_ECX_VMX, !=, 0);
    g_assert_cmphex(leaf(&t, 1, 0)->eax, ==, 0x000506e3);
    g_assert_cmpstr(cfg.model_id, ==, "Intel(R) Core(TM) i7");
    g_strfreev(d);

    d = build("host", "-vmx", &host, &t, &cfg);
    g_assert_cmphex(leaf(&t, 1, 0)->ecx & CPUID_1_ECX_VMX, ==, 0);
    g_assert_cmphex(leaf(&t, 0x80000001, 0)->ecx & CPUID_8000_0001_ECX_SVM,
                    ==, 0);
    g_strfreev(d);

    /* no VMX on the host: max cannot have it */
    intel_host(&host, false);
    d = build("max", NULL, &host, &t, &cfg);
    g_assert_cmphex(leaf(&t, 1, 0)->ecx & CPUID_1_ECX_VMX, ==, 0);
    g_strfreev(d);
}

static void test_explicit_vmx(void)
{
    X86CPUIDTable host, t;
    X86CPUIDConfig cfg;
    char **d;

    intel_host(&host, true);
    d = build("Skylake-Client", "+vmx", &host, &t, &cfg);
    g_assert_cmpint(g_strv_length(d), ==, 0);
    g_assert_cmphex(leaf(&t, 1, 0)->ecx & CPUID_1_ECX_VMX, !=, 0);
    g_strfreev(d);

    d = build("Skylake-Client", "vmx=on,vmx=off", &host, &t, &cfg);
    g_assert_cmphex(leaf(&t, 1, 0)->ecx & CPUID_1_ECX_VMX, ==, 0);
    g_strfreev(d);

    /* AMD host: +vmx cannot be given */
    amd_host(&host, true);
    d = build("qemu64", "+vmx", &host, &t, &cfg);
    g_assert_true(has(d, "CPUID.01H:ECX.vmx [bit 5]"));
    g_assert_cmphex(leaf(&t, 1, 0)->ecx & CPUID_1_ECX_VMX, ==, 0);
    g_strfreev(d);
}

static void test_amd_svm_npt(void)
{
    X86CPUIDTable host, t;
    X86CPUIDConfig cfg;
    char v[13];
    char **d;

    amd_host(&host, true);
    d = build("host", NULL, &host, &t, &cfg);
    g_assert_cmpint(g_strv_length(d), ==, 0);
    vendor_of(&t, 0, v);
    g_assert_cmpstr(v, ==, "AuthenticAMD");
    g_assert_cmphex(leaf(&t, 0x80000001, 0)->ecx & CPUID_8000_0001_ECX_SVM,
                    !=, 0);
    g_assert_cmphex(leaf(&t, 0x8000000a, 0)->edx & CPUID_SVM_NPT, !=, 0);
    g_assert_cmpuint(leaf(&t, 0x8000000a, 0)->eax, ==, 1);
    g_assert_cmphex(leaf(&t, 1, 0)->eax, ==, 0x00800f12);
    g_strfreev(d);

    /* a named model gets SVM only when asked */
    d = build("EPYC", NULL, &host, &t, &cfg);
    g_assert_cmpint(g_strv_length(d), ==, 0);
    g_assert_cmphex(leaf(&t, 0x80000001, 0)->ecx & CPUID_8000_0001_ECX_SVM,
                    ==, 0);
    g_assert_cmphex(leaf(&t, 0x8000000a, 0)->edx, ==, 0);
    g_assert_cmphex(leaf(&t, 1, 0)->eax, ==, 0x00800f12);   /* family 23 */
    g_strfreev(d);

    d = build("EPYC", "+svm,+npt", &host, &t, &cfg);
    g_assert_cmpint(g_strv_length(d), ==, 0);
    g_assert_cmphex(leaf(&t, 0x80000001, 0)->ecx & CPUID_8000_0001_ECX_SVM,
                    !=, 0);
    g_assert_cmphex(leaf(&t, 0x8000000a, 0)->edx, ==, CPUID_SVM_NPT);
    g_strfreev(d);

    /* Intel host: +svm is dropped with a warning */
    intel_host(&host, true);
    d = build("qemu64", "+svm", &host, &t, &cfg);
    g_assert_true(has(d, "CPUID.80000001H:ECX.svm [bit 2]"));
    g_assert_cmphex(leaf(&t, 0x80000001, 0)->ecx & CPUID_8000_0001_ECX_SVM,
                    ==, 0);
    g_strfreev(d);
}

static void test_no_nesting_host(void)
{
    X86CPUIDTable host, t;
    X86CPUIDConfig cfg;
    char **d;

    amd_host(&host, false);
    d = build("max", NULL, &host, &t, &cfg);
    g_assert_cmphex(leaf(&t, 0x80000001, 0)->ecx & CPUID_8000_0001_ECX_SVM,
                    ==, 0);
    g_assert_cmphex(leaf(&t, 1, 0)->ecx & CPUID_1_ECX_VMX, ==, 0);
    g_strfreev(d);
    d = build("qemu64", "+svm,+vmx", &host, &t, &cfg);
    g_assert_true(has(d, ".svm"));
    g_assert_true(has(d, ".vmx"));
    g_strfreev(d);
}

static void test_unsupported_warned(void)
{
    X86CPUIDTable host, t;
    X86CPUIDConfig cfg;
    char **d;

    /* the AMD host has no PCID, INVPCID or ERMS: Skylake loses them */
    amd_host(&host, true);
    d = build("Skylake-Client", "+avx512f", &host, &t, &cfg);
    g_assert_true(has(d, "CPUID.01H:ECX.pcid [bit 17]"));
    g_assert_true(has(d, "CPUID.07H:EBX.invpcid [bit 10]"));
    g_assert_true(has(d, "CPUID.07H:EBX.avx512f [bit 16]"));
    g_assert_cmphex(leaf(&t, 1, 0)->ecx & B(17), ==, 0);
    g_assert_cmphex(leaf(&t, 7, 0)->ebx & B(16), ==, 0);
    g_assert_cmphex(leaf(&t, 1, 0)->ecx & CPUID_1_ECX_AVX, !=, 0);
    g_strfreev(d);
}

static void test_parse(void)
{
    X86FeatureRequest req;
    Error *err = NULL;
    FeatureWord w;
    int bit;

    g_assert_true(x86_parse_features("+sse4_2,-avx,sse4.1=off,aes=on,"
                                     "family=6,model=85,stepping=4,"
                                     "vendor=GenuineIntel,phys-bits=46",
                                     &req, &error_abort));
    g_assert_cmphex(req.plus[FEAT_1_ECX], ==, B(20) | B(25));
    g_assert_cmphex(req.minus[FEAT_1_ECX], ==, B(28) | B(19));
    g_assert_cmpint(req.family, ==, 6);
    g_assert_cmpint(req.model, ==, 85);
    g_assert_cmpint(req.stepping, ==, 4);
    g_assert_cmpstr(req.vendor, ==, "GenuineIntel");
    g_assert_cmpuint(req.phys_bits, ==, 46);

    g_assert_false(x86_parse_features("+sse4.2,+nosuchfeature", &req, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "'nosuchfeature'"));
    error_free(err);
    err = NULL;
    g_assert_false(x86_parse_features("avx=maybe", &req, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "on or off"));
    error_free(err);
    err = NULL;
    g_assert_false(x86_parse_features("bogus=1", &req, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "'bogus'"));
    error_free(err);
    err = NULL;
    g_assert_false(x86_parse_features("vendor=Short", &req, &err));
    error_free(err);

    g_assert_true(x86_feature_lookup("sse3", &w, &bit));
    g_assert_cmpint(w, ==, FEAT_1_ECX);
    g_assert_cmpint(bit, ==, 0);
    g_assert_true(x86_feature_lookup("lahf_lm", &w, &bit));
    g_assert_cmpint(w, ==, FEAT_8000_0001_ECX);
    g_assert_true(x86_feature_lookup("npt", &w, &bit));
    g_assert_cmpint(w, ==, FEAT_SVM);
}

static void test_topology(void)
{
    X86CPUIDTable host, t;
    X86CPUIDConfig cfg;
    const X86CPUIDEntry *e;
    char **d;

    /* -smp 4 as 2 cores x 2 threads; the last CPU, APIC id 3 */
    intel_host(&host, false);
    d = build("Skylake-Client", NULL, &host, &t, &cfg);
    g_strfreev(d);
    cfg.threads = 2;
    cfg.cores = 2;
    cfg.apic_id = 3;
    x86_cpuid_build(&cfg, &t);
    e = leaf(&t, 1, 0);
    g_assert_cmphex(e->ebx >> 24, ==, 3);
    g_assert_cmphex((e->ebx >> 16) & 0xff, ==, 4);
    g_assert_cmphex(e->edx & CPUID_1_EDX_HTT, !=, 0);
    e = leaf(&t, 0xb, 0);
    g_assert_cmphex(e->eax, ==, 1);
    g_assert_cmphex(e->ebx, ==, 2);
    g_assert_cmphex(e->ecx, ==, 0x100);
    g_assert_cmphex(e->edx, ==, 3);
    e = leaf(&t, 0xb, 1);
    g_assert_cmphex(e->eax, ==, 2);
    g_assert_cmphex(e->ebx, ==, 4);
    g_assert_cmphex(e->ecx, ==, 0x201);
    e = leaf(&t, 0xb, 2);
    g_assert_cmphex(e->ebx, ==, 0);
    g_assert_cmphex(e->ecx & 0xff00, ==, 0);
    e = leaf(&t, 4, 0);
    g_assert_cmphex(e->eax >> 26, ==, 1);            /* 2 cores */
    g_assert_cmphex((e->eax >> 14) & 0xfff, ==, 1);  /* 2 threads share L1 */
    g_assert_cmphex(e->eax & 0x1f, ==, 1);           /* data cache */
    e = leaf(&t, 4, 3);
    g_assert_cmphex((e->eax >> 14) & 0xfff, ==, 3);  /* L3: whole package */
    g_assert_cmphex(leaf(&t, 4, 4)->eax, ==, 0);

    /* -smp 4 as 4 single-threaded cores on an AMD model */
    amd_host(&host, false);
    d = build("EPYC", NULL, &host, &t, &cfg);
    g_strfreev(d);
    x86_cpu_topology(4, &cfg.threads, &cfg.cores);
    g_assert_cmpuint(cfg.threads, ==, 1);
    g_assert_cmpuint(cfg.cores, ==, 4);
    cfg.apic_id = 2;
    x86_cpuid_build(&cfg, &t);
    g_assert_cmphex(leaf(&t, 0x80000008, 0)->ecx, ==, 3 | (2 << 12));
    g_assert_cmphex(leaf(&t, 0x80000001, 0)->ecx &
                    CPUID_8000_0001_ECX_CMP_LEGACY, !=, 0);
    g_assert_cmphex(leaf(&t, 1, 0)->ebx >> 24, ==, 2);
}

static void test_xsave_leaves(void)
{
    X86CPUIDTable host, t;
    X86CPUIDConfig cfg;
    const X86CPUIDEntry *e;
    char **d;

    intel_host(&host, false);
    d = build("Skylake-Client", NULL, &host, &t, &cfg);
    g_strfreev(d);
    e = leaf(&t, 0xd, 0);
    g_assert_cmphex(e->eax, ==, XSTATE_FP | XSTATE_SSE | XSTATE_YMM);
    g_assert_cmpuint(e->ecx, ==, 832);
    e = leaf(&t, 0xd, 2);
    g_assert_cmpuint(e->eax, ==, 256);
    g_assert_cmpuint(e->ebx, ==, 576);
    g_assert_cmphex(leaf(&t, 0xd, 1)->eax, ==, 7);
    g_assert_null(x86_cpuid_find(&t, 0xd, 5));
    g_assert_cmpuint(x86_xsave_size(0x2e7), ==, 2696);

    /* qemu64 has no XSAVE: leaf 0xd is empty */
    d = build("qemu64", NULL, &host, &t, &cfg);
    g_strfreev(d);
    g_assert_cmphex(leaf(&t, 0xd, 0)->eax, ==, 0);
}

static void test_brand_and_levels(void)
{
    X86CPUIDTable host, t;
    X86CPUIDConfig cfg;
    char brand[49] = { 0 };
    char **d;

    intel_host(&host, false);
    d = build("Skylake-Client", "model-id=Test CPU,level=0xd", &host, &t,
              &cfg);
    g_strfreev(d);
    for (int i = 0; i < 3; i++) {
        const X86CPUIDEntry *e = leaf(&t, 0x80000002 + i, 0);
        memcpy(brand + 16 * i, &e->eax, 4);
        memcpy(brand + 16 * i + 4, &e->ebx, 4);
        memcpy(brand + 16 * i + 8, &e->ecx, 4);
        memcpy(brand + 16 * i + 12, &e->edx, 4);
    }
    g_assert_cmpstr(brand, ==, "Test CPU");
    g_assert_cmphex(leaf(&t, 0, 0)->eax, ==, 0xd);
    g_assert_null(x86_cpuid_find(&t, 0x1f, 0));
    g_assert_cmphex(leaf(&t, 0x80000000, 0)->eax, ==, 0x80000008);
    g_assert_null(x86_cpuid_find(&t, 0x8000000a, 0));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpuid/qemu64-on-intel", test_qemu64_on_intel);
    g_test_add_func("/cpuid/intel-nested", test_max_and_host_intel_nested);
    g_test_add_func("/cpuid/explicit-vmx", test_explicit_vmx);
    g_test_add_func("/cpuid/amd-svm-npt", test_amd_svm_npt);
    g_test_add_func("/cpuid/no-nesting-host", test_no_nesting_host);
    g_test_add_func("/cpuid/unsupported-warned", test_unsupported_warned);
    g_test_add_func("/cpuid/parse", test_parse);
    g_test_add_func("/cpuid/topology", test_topology);
    g_test_add_func("/cpuid/xsave", test_xsave_leaves);
    g_test_add_func("/cpuid/brand-levels", test_brand_and_levels);
    return g_test_run();
}
