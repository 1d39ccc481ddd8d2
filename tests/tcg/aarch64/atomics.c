/*
 * Exclusives and LSE atomics (run with -cpu max; LSE is Armv8.1):
 * ldxr/stxr of every size, success and failure after clrex, acquire/release
 * forms, ldxp/stxp and ldaxp/stlxp; cas/casp of every size, both
 * outcomes; ldadd, ldclr, ldeor, ldset, ldsmax, ldsmin, ldumax, ldumin and
 * swp of every size against a C model, in the plain/a/l/al forms; st* aliases.
 * Single CPU, so exclusives only check the local monitor.  The MMU is on
 * with an identity map of Normal memory: exclusives and atomics are only
 * architecturally guaranteed on Normal memory, and with the MMU off every
 * data access is Device-nGnRnE.
 */
#include "lib.h"

static uint64_t mem[4] __attribute__((aligned(16)));

static const uint64_t vals[] = {
    0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
    0xffffffff, 0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
    0x123456789abcdef0ull, 0xfedcba9876543210ull, 0x00ff00ff80808080ull,
};
#define NV (int)(sizeof(vals) / sizeof(vals[0]))

static void test_exclusive(void)
{
    uint64_t r, st;

    mem[0] = 0x1111111111111111ull;
    __asm__ volatile("ldxr %0, [%2]\n\tstxr %w1, %3, [%2]"
                     : "=&r"(r), "=&r"(st) : "r"(mem), "r"(0x2222ull) : "memory");
    check("ldxr x: value", r, 0x1111111111111111ull);
    check("stxr x: status success", st, 0);
    check("stxr x: stored", mem[0], 0x2222);

    __asm__ volatile("ldxr %0, [%2]\n\tclrex\n\tstxr %w1, %3, [%2]"
                     : "=&r"(r), "=&r"(st) : "r"(mem), "r"(0x3333ull) : "memory");
    check("stxr after clrex: status fail", st, 1);
    check("stxr after clrex: memory unchanged", mem[0], 0x2222);

    __asm__ volatile("clrex\n\tstxr %w0, %2, [%1]" : "=&r"(st) : "r"(mem), "r"(0x4444ull) : "memory");
    check("stxr without ldxr: fail", st, 1);

    __asm__ volatile("ldxr %0, [%2]\n\tstxr %w1, %3, [%2]\n\tstxr %w1, %4, [%2]"
                     : "=&r"(r), "=&r"(st) : "r"(mem), "r"(0x5555ull), "r"(0x6666ull) : "memory");
    check("second stxr after a successful one: fail", st, 1);
    check("second stxr: memory has the first value", mem[0], 0x5555);

    mem[0] = 0xfedcba9876543210ull;
    __asm__ volatile("ldxrb %w0, [%2]\n\tstxrb %w1, %w3, [%2]"
                     : "=&r"(r), "=&r"(st) : "r"(mem), "r"(0xabcull) : "memory");
    check("ldxrb/stxrb", r | st << 63, 0x10);
    check("stxrb stores one byte", mem[0], 0xfedcba98765432bcull);
    __asm__ volatile("ldaxrh %w0, [%2]\n\tstlxrh %w1, %w3, [%2]"
                     : "=&r"(r), "=&r"(st) : "r"((uint8_t *)mem + 2), "r"(0x12345ull) : "memory");
    check("ldaxrh/stlxrh", r | st << 63, 0x7654);
    check("stlxrh stores two bytes", mem[0], 0xfedcba98234532bcull);
    __asm__ volatile("ldaxr %w0, [%2]\n\tstlxr %w1, %w3, [%2]"
                     : "=&r"(r), "=&r"(st) : "r"((uint8_t *)mem + 4), "r"(0x8765432100000000ull) : "memory");
    check("ldaxr w/stlxr w", r | st << 63, 0xfedcba98);
    check("stlxr w stores four bytes", mem[0], 0x00000000234532bcull);

    mem[0] = 1;
    mem[1] = 2;
    {
        uint64_t a, b;
        __asm__ volatile("ldxp %0, %1, [%3]\n\tstxp %w2, %4, %5, [%3]"
                         : "=&r"(a), "=&r"(b), "=&r"(st) : "r"(mem), "r"(10ull), "r"(20ull) : "memory");
        check("ldxp x", a << 8 | b, 0x102);
        check("stxp x status", st, 0);
        check("stxp x stored", mem[0] << 8 | mem[1], 0xa14);
        __asm__ volatile("ldaxp %w0, %w1, [%3]\n\tstlxp %w2, %w4, %w5, [%3]"
                         : "=&r"(a), "=&r"(b), "=&r"(st) : "r"(mem + 1), "r"(0x77ull), "r"(0x88ull) : "memory");
        check("ldaxp w", a << 32 | b, 0x1400000000ull);
        check("stlxp w status", st, 0);
        check("stlxp w stored", mem[1], 0x8800000077ull);
        __asm__ volatile("ldaxp %0, %1, [%3]\n\tclrex\n\tstlxp %w2, %4, %5, [%3]"
                         : "=&r"(a), "=&r"(b), "=&r"(st) : "r"(mem), "r"(0ull), "r"(0ull) : "memory");
        check("stlxp after clrex: fail", st, 1);
        check("stlxp after clrex: unchanged", mem[0] << 8 ^ mem[1], 0xa00 ^ 0x8800000077ull);
    }
    /* Load-acquire / store-release (non-exclusive). */
    __asm__ volatile("stlr %1, [%2]\n\tldar %0, [%2]" : "=&r"(r) : "r"(0x99ull), "r"(mem) : "memory");
    check("stlr/ldar", r, 0x99);
    __asm__ volatile("stlrb %w1, [%2]\n\tldarh %w0, [%2]" : "=&r"(r) : "r"(0x1ffull), "r"(mem) : "memory");
    check("stlrb/ldarh", r, 0xff);
}

enum { ADD, CLR, EOR, SET, SMAX, SMIN, UMAX, UMIN, SWP, NOPS };
static const char *const opnames[NOPS] = {
    "ldadd", "ldclr", "ldeor", "ldset", "ldsmax", "ldsmin", "ldumax", "ldumin", "swp",
};

static uint64_t model(int op, uint64_t old, uint64_t v, int bits)
{
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
    int64_t so = (int64_t)(old << (64 - bits)) >> (64 - bits);
    int64_t sv = (int64_t)(v << (64 - bits)) >> (64 - bits);
    old &= mask;
    v &= mask;
    switch (op) {
    case ADD: return (old + v) & mask;
    case CLR: return old & ~v;
    case EOR: return old ^ v;
    case SET: return old | v;
    case SMAX: return so > sv ? old : v;
    case SMIN: return so < sv ? old : v;
    case UMAX: return old > v ? old : v;
    case UMIN: return old < v ? old : v;
    default: return v;
    }
}

/* One atomic op: op, size (0..3) and ordering (0 plain, 1 a, 2 l, 3 al). */
#define A4(name, sfx, reg) \
    case 0: __asm__ volatile(name sfx " %" reg "2, %" reg "0, [%1]" : "=&r"(r) : "r"(mem), "r"(v) : "memory"); break; \
    case 1: __asm__ volatile(name "a" sfx " %" reg "2, %" reg "0, [%1]" : "=&r"(r) : "r"(mem), "r"(v) : "memory"); break; \
    case 2: __asm__ volatile(name "l" sfx " %" reg "2, %" reg "0, [%1]" : "=&r"(r) : "r"(mem), "r"(v) : "memory"); break; \
    case 3: __asm__ volatile(name "al" sfx " %" reg "2, %" reg "0, [%1]" : "=&r"(r) : "r"(mem), "r"(v) : "memory"); break;
#define SIZES(name) \
    switch (size) { \
    case 0: switch (ord) { A4(name, "b", "w") } break; \
    case 1: switch (ord) { A4(name, "h", "w") } break; \
    case 2: switch (ord) { A4(name, "", "w") } break; \
    default: switch (ord) { A4(name, "", "x") } break; \
    }

static uint64_t do_atomic(int op, int size, int ord, uint64_t v)
{
    uint64_t r = 0;
    switch (op) {
    case ADD: SIZES("ldadd") break;
    case CLR: SIZES("ldclr") break;
    case EOR: SIZES("ldeor") break;
    case SET: SIZES("ldset") break;
    case SMAX: SIZES("ldsmax") break;
    case SMIN: SIZES("ldsmin") break;
    case UMAX: SIZES("ldumax") break;
    case UMIN: SIZES("ldumin") break;
    default: SIZES("swp") break;
    }
    return r;
}

static void test_lse_ops(void)
{
    struct group g;
    static const char *const sz[] = { "b", "h", "w", "x" };
    char name[24];

    for (int op = 0; op < NOPS; op++) {
        for (int size = 0; size < 4; size++) {
            int bits = 8 << size;
            uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
            int n = 0;
            for (const char *s = opnames[op]; *s; s++) {
                name[n++] = *s;
            }
            name[n++] = ' ';
            name[n++] = sz[size][0];
            name[n] = 0;
            grp_begin(&g, name);
            for (int i = 0; i < NV; i++) {
                for (int j = 0; j < NV; j++) {
                    int ord = (i + j) & 3;
                    uint64_t old = vals[i], v = vals[j], r;
                    mem[0] = old;
                    mem[1] = 0x5a5a5a5a5a5a5a5aull;
                    r = do_atomic(op, size, ord, v);
                    /* Rt gets the old value zero-extended; the rest of the
                     * doubleword is untouched. */
                    grp_case(&g, r, old & mask, old, v);
                    grp_case(&g, mem[0], (old & ~mask) | model(op, old, v, bits), old, v);
                }
            }
            grp_end(&g);
        }
    }
    check("memory after the last op is intact", mem[1], 0x5a5a5a5a5a5a5a5aull);

    /* st<op> aliases (Rt = zr) */
    mem[0] = 5;
    __asm__ volatile("stadd %0, [%1]" : : "r"(7ull), "r"(mem) : "memory");
    __asm__ volatile("stsetl %w0, [%1]" : : "r"(0x100ull), "r"(mem) : "memory");
    __asm__ volatile("steorb %w0, [%1]" : : "r"(0x1ull), "r"(mem) : "memory");
    check("stadd/stsetl/steorb", mem[0], 0x10d);
}

static void test_cas(void)
{
    uint64_t rs;

    mem[0] = 0x1122334455667788ull;
    rs = 0x1122334455667788ull;
    __asm__ volatile("cas %0, %2, [%1]" : "+r"(rs) : "r"(mem), "r"(0xaaull) : "memory");
    check("cas x match: Rs gets old", rs, 0x1122334455667788ull);
    check("cas x match: stored", mem[0], 0xaa);
    rs = 0xab;
    __asm__ volatile("casal %0, %2, [%1]" : "+r"(rs) : "r"(mem), "r"(0xbbull) : "memory");
    check("casal x mismatch: Rs gets old", rs, 0xaa);
    check("casal x mismatch: unchanged", mem[0], 0xaa);

    mem[0] = 0xffffffff80000001ull;
    rs = 0x80000001;
    __asm__ volatile("casa %w0, %w2, [%1]" : "+r"(rs) : "r"(mem), "r"(0x12345678ull) : "memory");
    check("casa w match", rs << 32 | (mem[0] & 0xffffffff), 0x8000000112345678ull);
    check("casa w leaves the upper word", mem[0] >> 32, 0xffffffff);
    rs = 0xffffffff00000000ull | 0x12345679;     /* upper bits of Ws are ignored */
    __asm__ volatile("casl %w0, %w2, [%1]" : "+r"(rs) : "r"(mem), "r"(0ull) : "memory");
    check("casl w mismatch: Rs zero-extended old", rs, 0x12345678);

    mem[0] = 0x80ff;
    rs = 0x1ff;
    __asm__ volatile("casb %w0, %w2, [%1]" : "+r"(rs) : "r"(mem), "r"(0x12ull) : "memory");
    check("casb compares the low byte only", rs << 16 | mem[0], 0xff8012);
    rs = 0x8012;
    __asm__ volatile("casalh %w0, %w2, [%1]" : "+r"(rs) : "r"(mem), "r"(0xbeefull) : "memory");
    check("casalh match", rs << 16 | mem[0], 0x8012beefull);

    mem[0] = 1;
    mem[1] = 2;
    {
        register uint64_t s0 __asm__("x4") = 1, s1 __asm__("x5") = 2;
        register uint64_t t0 __asm__("x6") = 0x10, t1 __asm__("x7") = 0x20;
        __asm__ volatile("casp %0, %1, %2, %3, [%4]" : "+r"(s0), "+r"(s1) : "r"(t0), "r"(t1), "r"(mem) : "memory");
        check("casp x match: old", s0 << 8 | s1, 0x102);
        check("casp x match: stored", mem[0] << 8 | mem[1], 0x1020);
        s0 = 0x10;
        s1 = 0x21;
        __asm__ volatile("caspal %0, %1, %2, %3, [%4]" : "+r"(s0), "+r"(s1) : "r"(t0), "r"(t1), "r"(mem) : "memory");
        check("caspal x mismatch (second word): old", s0 << 8 | s1, 0x1020);
        check("caspal x mismatch: unchanged", mem[0] << 8 | mem[1], 0x1020);
        s0 = 0x10;
        s1 = 0;
        t0 = 0xaaaa;
        t1 = 0xbbbb;
        __asm__ volatile("caspa %w0, %w1, %w2, %w3, [%4]" : "+r"(s0), "+r"(s1) : "r"(t0), "r"(t1), "r"(mem) : "memory");
        check("caspa w match: old", s0 << 32 | s1, 0x1000000000ull);
        check("caspa w match: stored", mem[0], 0xbbbb0000aaaaull);
    }
}

int main(void)
{
    uint64_t isar0 = READ_SYSREG(id_aa64isar0_el1);
    printf("atomics: start at EL%d\n", (int)(boot_current_el >> 2));
    printf("ID_AA64ISAR0_EL1.Atomic >= 2 (LSE): %s\n", ((isar0 >> 20) & 0xf) >= 2 ? "yes" : "no");
    mmu_identity_on();
    check("MMU on (identity map, Normal memory)", READ_SYSREG(sctlr_el1) & 1, 1);
    test_exclusive();
    if (((isar0 >> 20) & 0xf) >= 2) {
        test_lse_ops();
        test_cas();
    }
    test_done();
}
