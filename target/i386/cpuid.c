/*
 * CPUID: feature names, CPU model definitions, the leaves a vCPU sees and
 * their filtering against what the host (KVM_GET_SUPPORTED_CPUID) offers.
 *
 * Everything here is pure: it works on X86CPUIDConfig / X86CPUIDTable
 * values, so tests/unit/test-cpuid.c checks it with synthetic host sets.
 *
 * Leaf layouts follow the Intel SDM Vol. 2A "CPUID" and the AMD APM Vol. 3
 * appendix E.  Topology (leaves 1, 4, 0xb, 0x1f, 0x80000008) numbers APIC
 * ids as package | core | thread, each field as wide as its count needs.
 */
#include "turtle/osdep.h"
#include "target/i386/cpu.h"

/* ---- feature words and names ---- */

typedef struct FeatureWordInfo {
    uint32_t function, index;
    int reg;                    /* R_EAX, R_EBX, R_ECX, R_EDX */
    const char *desc;           /* "CPUID.01H:ECX" */
    const char *names[32];
} FeatureWordInfo;

static const FeatureWordInfo feature_words[FEATURE_WORDS] = {
    [FEAT_1_EDX] = { 1, 0, R_EDX, "CPUID.01H:EDX", {
        "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce",
        "cx8", "apic", NULL, "sep", "mtrr", "pge", "mca", "cmov",
        "pat", "pse36", "pn", "clflush", NULL, "ds", "acpi", "mmx",
        "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe" } },
    [FEAT_1_ECX] = { 1, 0, R_ECX, "CPUID.01H:ECX", {
        "pni", "pclmulqdq", "dtes64", "monitor", "ds-cpl", "vmx", "smx",
        "est", "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm",
        NULL, "pcid", "dca", "sse4.1", "sse4.2", "x2apic", "movbe",
        "popcnt", "tsc-deadline", "aes", "xsave", "osxsave", "avx", "f16c",
        "rdrand", "hypervisor" } },
    [FEAT_7_0_EBX] = { 7, 0, R_EBX, "CPUID.07H:EBX", {
        "fsgsbase", "tsc-adjust", "sgx", "bmi1", "hle", "avx2", NULL,
        "smep", "bmi2", "erms", "invpcid", "rtm", NULL, NULL, "mpx", NULL,
        "avx512f", "avx512dq", "rdseed", "adx", "smap", "avx512ifma", NULL,
        "clflushopt", "clwb", "intel-pt", "avx512pf", "avx512er",
        "avx512cd", "sha-ni", "avx512bw", "avx512vl" } },
    [FEAT_7_0_ECX] = { 7, 0, R_ECX, "CPUID.07H:ECX", {
        NULL, "avx512vbmi", "umip", "pku", "ospke", "waitpkg",
        "avx512vbmi2", NULL, "gfni", "vaes", "vpclmulqdq", "avx512vnni",
        "avx512bitalg", NULL, "avx512-vpopcntdq", NULL, "la57", NULL, NULL,
        NULL, NULL, NULL, "rdpid", NULL, NULL, "cldemote", NULL, "movdiri",
        "movdir64b", NULL, NULL, NULL } },
    [FEAT_7_0_EDX] = { 7, 0, R_EDX, "CPUID.07H:EDX", {
        [2] = "avx512-4vnniw", [3] = "avx512-4fmaps", [4] = "fsrm",
        [8] = "avx512-vp2intersect", [10] = "md-clear", [14] = "serialize",
        [26] = "spec-ctrl", [27] = "stibp", [29] = "arch-capabilities",
        [30] = "core-capability", [31] = "ssbd" } },
    [FEAT_7_1_EAX] = { 7, 1, R_EAX, "CPUID.07H.01H:EAX", {
        [4] = "avx-vnni", [5] = "avx512-bf16", [10] = "fzrm", [11] = "fsrs",
        [12] = "fsrc" } },
    [FEAT_8000_0001_EDX] = { 0x80000001, 0, R_EDX, "CPUID.80000001H:EDX", {
        [11] = "syscall", [20] = "nx", [22] = "mmxext", [25] = "fxsr-opt",
        [26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm", [30] = "3dnowext",
        [31] = "3dnow" } },
    [FEAT_8000_0001_ECX] = { 0x80000001, 0, R_ECX, "CPUID.80000001H:ECX", {
        "lahf-lm", "cmp-legacy", "svm", "extapic", "cr8legacy", "abm",
        "sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop",
        "skinit", "wdt", NULL, "lwp", "fma4", "tce", NULL, "nodeid-msr",
        NULL, "tbm", "topoext", "perfctr-core", "perfctr-nb" } },
    [FEAT_8000_0007_EDX] = { 0x80000007, 0, R_EDX, "CPUID.80000007H:EDX", {
        [8] = "invtsc" } },
    [FEAT_8000_0008_EBX] = { 0x80000008, 0, R_EBX, "CPUID.80000008H:EBX", {
        [0] = "clzero", [1] = "xsaveerptr", [9] = "wbnoinvd", [12] = "ibpb",
        [14] = "ibrs", [15] = "amd-stibp", [24] = "amd-ssbd",
        [25] = "virt-ssbd", [26] = "amd-no-ssb" } },
    [FEAT_XSAVE] = { 0xd, 1, R_EAX, "CPUID.0DH.01H:EAX", {
        "xsaveopt", "xsavec", "xgetbv1", "xsaves" } },
    [FEAT_6_EAX] = { 6, 0, R_EAX, "CPUID.06H:EAX", { [2] = "arat" } },
    [FEAT_SVM] = { 0x8000000a, 0, R_EDX, "CPUID.8000000AH:EDX", {
        "npt", "lbrv", "svm-lock", "nrip-save", "tsc-scale", "vmcb-clean",
        "flushbyasid", "decodeassists", NULL, NULL, "pause-filter", NULL,
        "pfthreshold", "avic", NULL, "v-vmsave-vmload", "vgif" } },
    [FEAT_KVM] = { 0x40000001, 0, R_EAX, "CPUID.40000001H:EAX", {
        "kvmclock", "kvm-nopiodelay", "kvm-mmu", "kvmclock2", "kvm-asyncpf",
        "kvm-steal-time", "kvm-pv-eoi", "kvm-pv-unhalt", NULL,
        "kvm-pv-tlb-flush", "kvm-asyncpf-vmexit", "kvm-pv-ipi",
        "kvm-poll-control", "kvm-pv-sched-yield", "kvm-asyncpf-int",
        "kvm-msi-ext-dest-id", [24] = "kvmclock-stable-bit" } },
};

/* Other spellings people use on the command line. */
static const struct { const char *alias, *name; } feature_aliases[] = {
    { "sse3", "pni" }, { "lahf_lm", "lahf-lm" }, { "sha", "sha-ni" },
    { "tsc_deadline", "tsc-deadline" }, { "i64", "lm" },
    { "xd", "nx" }, { "ffxsr", "fxsr-opt" }, { "pclmuldq", "pclmulqdq" },
};

const char *x86_feature_name(FeatureWord w, int bit)
{
    return feature_words[w].names[bit];
}

const char *x86_feature_word_desc(FeatureWord w)
{
    return feature_words[w].desc;
}

/* '_' and '.' are accepted wherever the canonical name has '-' or '.' */
static bool feature_name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char ca = *a == '_' || *a == '.' ? '-' : g_ascii_tolower(*a);
        char cb = *b == '_' || *b == '.' ? '-' : g_ascii_tolower(*b);
        if (ca != cb) {
            return false;
        }
    }
    return *a == *b;
}

bool x86_feature_lookup(const char *name, FeatureWord *w, int *bit)
{
    for (size_t i = 0; i < G_N_ELEMENTS(feature_aliases); i++) {
        if (feature_name_eq(name, feature_aliases[i].alias)) {
            name = feature_aliases[i].name;
            break;
        }
    }
    for (int fw = 0; fw < FEATURE_WORDS; fw++) {
        for (int b = 0; b < 32; b++) {
            const char *n = feature_words[fw].names[b];
            if (n && feature_name_eq(name, n)) {
                *w = fw;
                *bit = b;
                return true;
            }
        }
    }
    return false;
}

static uint32_t entry_reg(const X86CPUIDEntry *e, int reg)
{
    switch (reg) {
    case R_EAX:
        return e->eax;
    case R_EBX:
        return e->ebx;
    case R_ECX:
        return e->ecx;
    default:
        return e->edx;
    }
}

const X86CPUIDEntry *x86_cpuid_find(const X86CPUIDTable *t, uint32_t fn,
                                    uint32_t index)
{
    for (int i = 0; i < t->nent; i++) {
        const X86CPUIDEntry *e = &t->e[i];
        if (e->function == fn &&
            (!(e->flags & X86_CPUID_FLAG_INDEXED) || e->index == index)) {
            return e;
        }
    }
    return NULL;
}

uint32_t x86_feature_word_get(const X86CPUIDTable *t, FeatureWord w)
{
    const FeatureWordInfo *fi = &feature_words[w];
    const X86CPUIDEntry *e = x86_cpuid_find(t, fi->function, fi->index);

    return e ? entry_reg(e, fi->reg) : 0;
}

/* "CPUID.01H:ECX.fma [bit 12]", for the warnings about dropped features */
static char *feature_bit_name(int w, int b)
{
    const char *n = feature_words[w].names[b];

    return n ? g_strdup_printf("%s.%s [bit %d]", feature_words[w].desc, n, b)
             : g_strdup_printf("%s [bit %d]", feature_words[w].desc, b);
}

/*
 * Under TCG: drop the features of cfg the front end does not implement,
 * with QEMU's warning for each ("TCG doesn't support requested feature:
 * CPUID.01H:ECX.fma [bit 12]"), so a named model offers only what runs.
 */
void x86_cpuid_filter_tcg(X86CPUIDConfig *cfg, const FeatureWordArray ok)
{
    for (int w = 0; w < FEATURE_WORDS; w++) {
        uint32_t drop = cfg->features[w] & ~ok[w];

        for (int b = 0; b < 32; b++) {
            if (drop & (1u << b)) {
                g_autofree char *n = feature_bit_name(w, b);

                warn_report("TCG doesn't support requested feature: %s", n);
            }
        }
        cfg->features[w] &= ok[w];
    }
}

/* ---- -cpu options ---- */

static bool parse_u32(const char *key, const char *val, uint32_t max,
                      uint32_t *out, Error **errp)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(val, &end, 0);
    if (errno || end == val || *end || v > max) {
        error_setg(errp, "-cpu: %s='%s' is not a number from 0 to %u",
                   key, val, max);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_property(X86FeatureRequest *req, const char *key,
                           const char *val, Error **errp)
{
    uint32_t v;

    if (!strcmp(key, "vendor")) {
        if (strlen(val) != 12) {
            error_setg(errp, "-cpu: vendor='%s' must be 12 characters", val);
            return false;
        }
        g_strlcpy(req->vendor, val, sizeof(req->vendor));
    } else if (!strcmp(key, "model-id")) {
        g_strlcpy(req->model_id, val, sizeof(req->model_id));
    } else if (!strcmp(key, "family")) {
        if (!parse_u32(key, val, 0xff + 0xf, &v, errp)) {
            return false;
        }
        req->family = v;
    } else if (!strcmp(key, "model")) {
        if (!parse_u32(key, val, 0xff, &v, errp)) {
            return false;
        }
        req->model = v;
    } else if (!strcmp(key, "stepping")) {
        if (!parse_u32(key, val, 0xf, &v, errp)) {
            return false;
        }
        req->stepping = v;
    } else if (!strcmp(key, "phys-bits")) {
        if (!parse_u32(key, val, 52, &v, errp)) {
            return false;
        }
        if (v < 32) {
            error_setg(errp, "-cpu: phys-bits=%u: must be 32..52", v);
            return false;
        }
        req->phys_bits = v;
    } else if (!strcmp(key, "level")) {
        if (!parse_u32(key, val, 0xff, &req->level, errp)) {
            return false;
        }
    } else if (!strcmp(key, "xlevel")) {
        if (!parse_u32(key, val, 0x800000ff, &req->xlevel, errp)) {
            return false;
        }
        if (req->xlevel && req->xlevel < 0x80000000) {
            req->xlevel += 0x80000000;
        }
    } else {
        return false;
    }
    return true;
}

static void request_set(X86FeatureRequest *req, FeatureWord w, int bit,
                        bool on)
{
    uint32_t m = 1u << bit;

    if (on) {
        req->plus[w] |= m;
        req->minus[w] &= ~m;
    } else {
        req->minus[w] |= m;
        req->plus[w] &= ~m;
    }
}

bool x86_parse_features(const char *opts, X86FeatureRequest *req,
                        Error **errp)
{
    g_auto(GStrv) items = NULL;

    memset(req, 0, sizeof(*req));
    req->family = req->model = req->stepping = -1;
    if (!opts || !*opts) {
        return true;
    }
    items = g_strsplit(opts, ",", -1);
    for (int i = 0; items[i]; i++) {
        char *it = items[i];
        char *eq = strchr(it, '=');
        const char *name = it;
        bool on = true;
        FeatureWord w;
        int bit;

        if (!*it) {
            continue;
        }
        if (*it == '+' || *it == '-') {
            on = *it == '+';
            name = it + 1;
        } else if (eq) {
            *eq = '\0';
            if (x86_feature_lookup(it, &w, &bit)) {
                if (!strcmp(eq + 1, "on") || !strcmp(eq + 1, "true")) {
                    on = true;
                } else if (!strcmp(eq + 1, "off") ||
                           !strcmp(eq + 1, "false")) {
                    on = false;
                } else {
                    error_setg(errp, "-cpu: %s='%s': use on or off", it,
                               eq + 1);
                    return false;
                }
            } else {
                Error *local = NULL;
                if (parse_property(req, it, eq + 1, &local)) {
                    continue;
                }
                if (local) {
                    error_propagate(errp, local);
                    return false;
                }
                error_setg(errp, "-cpu: unknown CPU feature or property "
                           "'%s'", it);
                error_append_hint(errp, "Feature names are those of "
                                  "/proc/cpuinfo (e.g. +avx2, -vmx, "
                                  "sse4.2=on); properties: vendor, family, "
                                  "model, stepping, model-id, phys-bits, "
                                  "level, xlevel.\n");
                return false;
            }
            request_set(req, w, bit, on);
            continue;
        }
        if (!x86_feature_lookup(name, &w, &bit)) {
            error_setg(errp, "-cpu: unknown CPU feature '%s'", name);
            error_append_hint(errp, "Feature names are those of "
                              "/proc/cpuinfo (e.g. +avx2, -vmx, "
                              "sse4.2=on).\n");
            return false;
        }
        request_set(req, w, bit, on);
    }
    return true;
}

static void apply_request(X86CPUIDConfig *cfg, const X86FeatureRequest *req)
{
    if (!req) {
        return;
    }
    for (int w = 0; w < FEATURE_WORDS; w++) {
        cfg->features[w] |= req->plus[w];
        cfg->features[w] &= ~req->minus[w];
    }
    if (req->vendor[0]) {
        memcpy(cfg->vendor, req->vendor, sizeof(cfg->vendor));
    }
    if (req->model_id[0]) {
        memcpy(cfg->model_id, req->model_id, sizeof(cfg->model_id));
    }
    if (req->family >= 0) {
        cfg->family = req->family;
    }
    if (req->model >= 0) {
        cfg->model = req->model;
    }
    if (req->stepping >= 0) {
        cfg->stepping = req->stepping;
    }
    if (req->phys_bits) {
        cfg->phys_bits = req->phys_bits;
    }
    if (req->level) {
        cfg->level = req->level;
    }
    if (req->xlevel) {
        cfg->xlevel = req->xlevel;
    }
}

static void config_defaults(X86CPUIDConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->phys_bits = 40;
    cfg->virt_bits = 48;
    cfg->threads = 1;
    cfg->cores = 1;
}

void x86_cpuid_config_from_model(X86CPUIDConfig *cfg, const X86CPUModel *m,
                                 const X86FeatureRequest *req)
{
    config_defaults(cfg);
    g_strlcpy(cfg->vendor, m->vendor ? m->vendor : "AuthenticAMD",
              sizeof(cfg->vendor));
    g_strlcpy(cfg->model_id, m->model_id ? m->model_id : "",
              sizeof(cfg->model_id));
    cfg->family = m->family;
    cfg->model = m->model;
    cfg->stepping = m->stepping;
    cfg->level = m->level;
    cfg->xlevel = m->xlevel;
    memcpy(cfg->features, m->features, sizeof(cfg->features));
    apply_request(cfg, req);
}

static void signature_decode(uint32_t eax, uint32_t *family, uint32_t *model,
                             uint32_t *stepping)
{
    *family = (eax >> 8) & 0xf;
    *model = (eax >> 4) & 0xf;
    *stepping = eax & 0xf;
    if (*family == 0xf) {
        *family += (eax >> 20) & 0xff;
    }
    if (*family >= 6) {
        *model |= ((eax >> 16) & 0xf) << 4;
    }
}

static void put_reg_string(char *dst, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        dst[i] = v >> (8 * i);
    }
}

void x86_cpuid_config_from_host(X86CPUIDConfig *cfg,
                                const X86CPUIDTable *supported,
                                const X86FeatureRequest *req)
{
    const X86CPUIDEntry *e;

    config_defaults(cfg);
    e = x86_cpuid_find(supported, 0, 0);
    if (e) {
        put_reg_string(cfg->vendor, e->ebx);
        put_reg_string(cfg->vendor + 4, e->edx);
        put_reg_string(cfg->vendor + 8, e->ecx);
        cfg->vendor[12] = '\0';
        cfg->level = e->eax;
    } else {
        g_strlcpy(cfg->vendor, "GenuineIntel", sizeof(cfg->vendor));
        cfg->level = 0xd;
    }
    e = x86_cpuid_find(supported, 1, 0);
    if (e) {
        signature_decode(e->eax, &cfg->family, &cfg->model, &cfg->stepping);
    }
    e = x86_cpuid_find(supported, 0x80000000, 0);
    cfg->xlevel = e ? e->eax : 0x80000008;
    if (cfg->xlevel > 0x80000008 && !x86_cpuid_find(supported, 0x8000000a, 0)) {
        cfg->xlevel = 0x80000008;
    }
    if (cfg->xlevel > 0x8000000a) {
        cfg->xlevel = 0x8000000a;     /* we build nothing beyond SVM */
    }
    if (cfg->level > 0x1f) {
        cfg->level = 0x1f;
    }
    for (int i = 0; i < 3; i++) {
        e = x86_cpuid_find(supported, 0x80000002 + i, 0);
        if (e) {
            put_reg_string(cfg->model_id + 16 * i, e->eax);
            put_reg_string(cfg->model_id + 16 * i + 4, e->ebx);
            put_reg_string(cfg->model_id + 16 * i + 8, e->ecx);
            put_reg_string(cfg->model_id + 16 * i + 12, e->edx);
        }
    }
    cfg->model_id[48] = '\0';
    g_strstrip(cfg->model_id);
    for (int w = 0; w < FEATURE_WORDS; w++) {
        cfg->features[w] = x86_feature_word_get(supported, w);
    }
    /*
     * Not taken from the host: HTT follows -smp; OSXSAVE/OSPKE mirror the
     * guest's CR4 (KVM computes them); SGX and Intel PT need leaves 0x12
     * and 0x14, which Turtle does not build; MSI extended destination
     * IDs need a userspace IOAPIC.
     */
    cfg->features[FEAT_1_EDX] &= ~CPUID_1_EDX_HTT;
    cfg->features[FEAT_1_ECX] &= ~CPUID_1_ECX_OSXSAVE;
    cfg->features[FEAT_7_0_ECX] &= ~CPUID_7_0_ECX_OSPKE;
    cfg->features[FEAT_7_0_EBX] &= ~((1u << 2) | (1u << 25));
    cfg->features[FEAT_KVM] &= ~(1u << 15);
    e = x86_cpuid_find(supported, 0x80000008, 0);
    if (e && (e->eax & 0xff)) {
        cfg->phys_bits = e->eax & 0xff;
        cfg->virt_bits = (e->eax >> 8) & 0xff;
    }
    apply_request(cfg, req);
}

/* What the host can give in word w (with the bits every host can). */
static uint32_t host_word(const X86CPUIDTable *supported, FeatureWord w)
{
    uint32_t v = x86_feature_word_get(supported, w);

    if (w == FEAT_1_ECX) {
        v |= CPUID_1_ECX_HYPERVISOR;
    } else if (w == FEAT_8000_0001_EDX) {
        /* Intel hosts list 80000001H:EDX by the Intel spec */
        v |= x86_feature_word_get(supported, FEAT_1_EDX) & AMD_EDX_ALIASES;
    }
    return v;
}

char **x86_cpuid_filter(X86CPUIDConfig *cfg, const X86CPUIDTable *supported,
                        const X86FeatureRequest *req, bool allow_nested)
{
    GPtrArray *dropped = g_ptr_array_new();
    const X86CPUIDEntry *e;

    /* nesting only where asked for (max/host, or +vmx/+svm) */
    if (!allow_nested) {
        if (!req || !(req->plus[FEAT_1_ECX] & CPUID_1_ECX_VMX)) {
            cfg->features[FEAT_1_ECX] &= ~CPUID_1_ECX_VMX;
        }
        if (!req || !(req->plus[FEAT_8000_0001_ECX] &
                      CPUID_8000_0001_ECX_SVM)) {
            cfg->features[FEAT_8000_0001_ECX] &= ~CPUID_8000_0001_ECX_SVM;
        }
    }
    for (int w = 0; w < FEATURE_WORDS; w++) {
        uint32_t miss = cfg->features[w] & ~host_word(supported, w);

        if (w == FEAT_SVM &&
            !(cfg->features[FEAT_8000_0001_ECX] & CPUID_8000_0001_ECX_SVM)) {
            continue;   /* not exposed at all: dropped silently below */
        }
        for (int b = 0; b < 32; b++) {
            if (miss & (1u << b)) {
                g_ptr_array_add(dropped, feature_bit_name(w, b));
            }
        }
        cfg->features[w] &= ~miss;
    }
    if (!(cfg->features[FEAT_8000_0001_ECX] & CPUID_8000_0001_ECX_SVM)) {
        cfg->features[FEAT_SVM] = 0;
    }
    /* never more address bits than the host has */
    e = x86_cpuid_find(supported, 0x80000008, 0);
    if (e && (e->eax & 0xff) && cfg->phys_bits > (e->eax & 0xff)) {
        cfg->phys_bits = e->eax & 0xff;
    }
    g_ptr_array_add(dropped, NULL);
    return (char **)g_ptr_array_free(dropped, false);
}

/* ---- XSAVE layout (SDM Vol. 1 13.4, standard format) ---- */

static const struct { int bit; uint32_t size, offset; } xsave_comps[] = {
    { 2, 256, 576 }, { 3, 64, 960 }, { 4, 64, 1024 }, { 5, 64, 1088 },
    { 6, 512, 1152 }, { 7, 1024, 1664 }, { 9, 8, 2688 },
};

uint32_t x86_xsave_offset(int bit)
{
    for (size_t i = 0; i < G_N_ELEMENTS(xsave_comps); i++) {
        if (xsave_comps[i].bit == bit) {
            return xsave_comps[i].offset;
        }
    }
    return 0;
}

uint64_t x86_cpuid_xcr0_mask(const FeatureWordArray f)
{
    uint64_t m = XSTATE_FP | XSTATE_SSE;

    if (!(f[FEAT_1_ECX] & CPUID_1_ECX_XSAVE)) {
        return 0;
    }
    if (f[FEAT_1_ECX] & CPUID_1_ECX_AVX) {
        m |= XSTATE_YMM;
    }
    if (f[FEAT_7_0_EBX] & CPUID_7_0_EBX_MPX) {
        m |= XSTATE_BNDREGS | XSTATE_BNDCSR;
    }
    if (f[FEAT_7_0_EBX] & CPUID_7_0_EBX_AVX512F) {
        m |= XSTATE_OPMASK | XSTATE_ZMM_HI256 | XSTATE_HI16_ZMM;
    }
    if (f[FEAT_7_0_ECX] & CPUID_7_0_ECX_PKU) {
        m |= XSTATE_PKRU;
    }
    return m;
}

uint32_t x86_xsave_size(uint64_t xcr0)
{
    uint32_t size = 576;       /* legacy region + XSAVE header */

    for (size_t i = 0; i < G_N_ELEMENTS(xsave_comps); i++) {
        if (xcr0 & (1ull << xsave_comps[i].bit)) {
            size = MAX(size, xsave_comps[i].offset + xsave_comps[i].size);
        }
    }
    return size;
}

/* ---- building the leaves ---- */

void x86_cpu_topology(unsigned smp_cpus, unsigned *threads, unsigned *cores)
{
    /* -smp N: one package of N single-threaded cores */
    *threads = 1;
    *cores = smp_cpus ? smp_cpus : 1;
}

static X86CPUIDEntry *add(X86CPUIDTable *t, uint32_t fn, uint32_t index,
                          bool indexed)
{
    X86CPUIDEntry *e;

    g_assert(t->nent < X86_CPUID_MAX_ENTRIES);
    e = &t->e[t->nent++];
    memset(e, 0, sizeof(*e));
    e->function = fn;
    e->index = index;
    e->flags = indexed ? X86_CPUID_FLAG_INDEXED : 0;
    return e;
}

static uint32_t reg_string(const char *s)
{
    uint32_t v = 0;

    for (int i = 0; i < 4 && s[i]; i++) {
        v |= (uint32_t)(uint8_t)s[i] << (8 * i);
    }
    return v;
}

/* bits needed to number n things */
static unsigned field_width(unsigned n)
{
    unsigned w = 0;

    while ((1u << w) < n) {
        w++;
    }
    return w;
}

static uint32_t signature(const X86CPUIDConfig *c)
{
    uint32_t fam = c->family, eax = c->stepping & 0xf;

    eax |= (c->model & 0xf) << 4;
    eax |= ((c->model >> 4) & 0xf) << 16;
    if (fam > 0xf) {
        eax |= 0xf << 8;
        eax |= ((fam - 0xf) & 0xff) << 20;
    } else {
        eax |= fam << 8;
    }
    return eax;
}

static bool is_amd(const X86CPUIDConfig *c)
{
    return !strcmp(c->vendor, "AuthenticAMD") ||
           !strcmp(c->vendor, "HygonGenuine");
}

/* Intel deterministic cache parameters (leaf 4) */
static void cache_leaf(X86CPUIDEntry *e, int type, int level, uint32_t ways,
                       uint32_t sets, unsigned sharing_width,
                       unsigned core_width)
{
    e->eax = type | (level << 5) | (1u << 8) |
             (((1u << sharing_width) - 1) << 14) |
             (((1u << core_width) - 1) << 26);
    e->ebx = (ways - 1) << 22 | 0 << 12 | (64 - 1);
    e->ecx = sets - 1;
    e->edx = level == 3 ? 1u << 1 : 0;   /* L3 inclusive */
}

void x86_cpuid_build(const X86CPUIDConfig *cfg, X86CPUIDTable *t)
{
    const uint32_t *f = cfg->features;
    unsigned smt_w = field_width(cfg->threads);
    unsigned core_w = field_width(cfg->cores);
    unsigned logical = cfg->threads * cfg->cores;
    uint32_t vb = reg_string(cfg->vendor), vd = reg_string(cfg->vendor + 4);
    uint32_t vc = reg_string(cfg->vendor + 8);
    uint64_t xcr0 = x86_cpuid_xcr0_mask(f);
    X86CPUIDEntry *e;

    t->nent = 0;
    e = add(t, 0, 0, false);
    e->eax = cfg->level;
    e->ebx = vb;
    e->edx = vd;
    e->ecx = vc;

    e = add(t, 1, 0, false);
    e->eax = signature(cfg);
    e->ebx = (cfg->apic_id << 24) | (8 << 8);    /* CLFLUSH: 64 bytes */
    e->ecx = f[FEAT_1_ECX];
    e->edx = f[FEAT_1_EDX];
    if (logical > 1) {
        e->ebx |= (1u << (smt_w + core_w)) << 16;
        e->edx |= CPUID_1_EDX_HTT;
    }

    if (cfg->level >= 2) {
        e = add(t, 2, 0, false);
        e->eax = 1;             /* no descriptors: leaf 4 describes caches */
    }
    if (cfg->level >= 4) {
        /* L1d 32K 8-way, L1i 32K 8-way, L2 1M 16-way, L3 16M 16-way */
        cache_leaf(add(t, 4, 0, true), 1, 1, 8, 64, smt_w, core_w);
        cache_leaf(add(t, 4, 1, true), 2, 1, 8, 64, smt_w, core_w);
        cache_leaf(add(t, 4, 2, true), 3, 2, 16, 1024, smt_w, core_w);
        cache_leaf(add(t, 4, 3, true), 3, 3, 16, 16384, smt_w + core_w,
                   core_w);
        add(t, 4, 4, true);
    }
    if (cfg->level >= 5) {
        e = add(t, 5, 0, false);
        if (f[FEAT_1_ECX] & (1u << 3)) {     /* monitor */
            e->eax = 64;
            e->ebx = 64;
            e->ecx = 3;
        }
    }
    if (cfg->level >= 6) {
        e = add(t, 6, 0, false);
        e->eax = f[FEAT_6_EAX];
    }
    if (cfg->level >= 7) {
        e = add(t, 7, 0, true);
        e->eax = f[FEAT_7_1_EAX] ? 1 : 0;
        e->ebx = f[FEAT_7_0_EBX];
        e->ecx = f[FEAT_7_0_ECX];
        e->edx = f[FEAT_7_0_EDX];
        e = add(t, 7, 1, true);
        e->eax = f[FEAT_7_1_EAX];
    }
    if (cfg->level >= 0xb) {
        for (uint32_t leaf = 0xb; leaf <= 0x1f; leaf += 0x1f - 0xb) {
            if (leaf == 0x1f && cfg->level < 0x1f) {
                break;
            }
            e = add(t, leaf, 0, true);       /* SMT level */
            e->eax = smt_w;
            e->ebx = cfg->threads;
            e->ecx = (1u << 8) | 0;
            e->edx = cfg->apic_id;
            e = add(t, leaf, 1, true);       /* core level */
            e->eax = smt_w + core_w;
            e->ebx = logical;
            e->ecx = (2u << 8) | 1;
            e->edx = cfg->apic_id;
            e = add(t, leaf, 2, true);       /* invalid: end of list */
            e->ecx = 2;
            e->edx = cfg->apic_id;
        }
    }
    if (cfg->level >= 0xd) {
        e = add(t, 0xd, 0, true);
        if (xcr0) {
            e->eax = (uint32_t)xcr0;
            e->edx = xcr0 >> 32;
            e->ebx = x86_xsave_size(xcr0);
            e->ecx = x86_xsave_size(xcr0);
            e = add(t, 0xd, 1, true);
            e->eax = f[FEAT_XSAVE];
            for (size_t i = 0; i < G_N_ELEMENTS(xsave_comps); i++) {
                if (xcr0 & (1ull << xsave_comps[i].bit)) {
                    e = add(t, 0xd, xsave_comps[i].bit, true);
                    e->eax = xsave_comps[i].size;
                    e->ebx = xsave_comps[i].offset;
                }
            }
        }
    }

    if (cfg->kvm) {
        e = add(t, 0x40000000, 0, false);
        e->eax = 0x40000001;
        e->ebx = reg_string("KVMK");
        e->ecx = reg_string("VMKV");
        e->edx = reg_string("M\0\0\0");
        e = add(t, 0x40000001, 0, false);
        e->eax = f[FEAT_KVM];
    }

    e = add(t, 0x80000000, 0, false);
    e->eax = cfg->xlevel;
    e->ebx = vb;
    e->edx = vd;
    e->ecx = vc;
    if (cfg->xlevel >= 0x80000001) {
        e = add(t, 0x80000001, 0, false);
        e->eax = signature(cfg);
        e->ecx = f[FEAT_8000_0001_ECX];
        e->edx = f[FEAT_8000_0001_EDX];
        if (is_amd(cfg) && cfg->cores > 1) {
            e->ecx |= CPUID_8000_0001_ECX_CMP_LEGACY;
        }
    }
    if (cfg->xlevel >= 0x80000004) {
        for (int i = 0; i < 3; i++) {
            char buf[16] = { 0 };
            size_t len = strlen(cfg->model_id);

            if ((size_t)i * 16 < len) {
                memcpy(buf, cfg->model_id + i * 16, MIN(16, len - i * 16));
            }
            e = add(t, 0x80000002 + i, 0, false);
            e->eax = reg_string(buf);
            e->ebx = reg_string(buf + 4);
            e->ecx = reg_string(buf + 8);
            e->edx = reg_string(buf + 12);
        }
    }
    if (cfg->xlevel >= 0x80000005) {
        e = add(t, 0x80000005, 0, false);
        if (is_amd(cfg)) {
            e->eax = 0x01ff01ff;           /* TLBs: fully assoc., 255 */
            e->ebx = 0x01ff01ff;
            e->ecx = 0x20080140;           /* L1d 32K 8-way 64B lines */
            e->edx = 0x20080140;           /* L1i */
        }
    }
    if (cfg->xlevel >= 0x80000006) {
        e = add(t, 0x80000006, 0, false);
        e->ecx = 0x04006040;               /* L2 1M, 8-way code 6, 64B */
    }
    if (cfg->xlevel >= 0x80000007) {
        e = add(t, 0x80000007, 0, false);
        e->edx = f[FEAT_8000_0007_EDX];
    }
    if (cfg->xlevel >= 0x80000008) {
        e = add(t, 0x80000008, 0, false);
        e->eax = cfg->phys_bits | (cfg->virt_bits << 8);
        e->ebx = f[FEAT_8000_0008_EBX];
        if (is_amd(cfg)) {
            e->ecx = (logical - 1) | ((smt_w + core_w) << 12);
        }
    }
    if (cfg->xlevel >= 0x8000000a) {
        e = add(t, 0x8000000a, 0, false);
        if (f[FEAT_8000_0001_ECX] & CPUID_8000_0001_ECX_SVM) {
            e->eax = 1;                    /* SVM revision */
            e->ebx = 0x10;                 /* ASIDs */
            e->edx = f[FEAT_SVM];
        }
    }
}
