/*
 * Case generator of the differential tester (dt.h): deterministic from
 * (seed, index, class), so the native harness and the guest build the same
 * cases without exchanging them.  Freestanding C (the guest has no libc).
 *
 * A case is 1-8 instructions of one class, drawn from the templates below
 * (opcode, mandatory prefix, ModRM form, immediate, VEX fields, the flags
 * it reads, writes and leaves undefined), with random registers (ModRM.reg,
 * r/m, VEX.vvvv; never RSP), random REX/66/LOCK/REP where the template
 * allows, and memory operands RIP-relative into the data buffer.  A
 * template that reads a flag (or x87 condition code) left undefined by an
 * earlier one is not chosen; flags still undefined at the end are not
 * compared.
 */
#include "dt.h"

#define F_CF 0x0001
#define F_PF 0x0004
#define F_AF 0x0010
#define F_ZF 0x0040
#define F_SF 0x0080
#define F_DF 0x0400
#define F_OF 0x0800
#define F_ALL (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)
#define F_LOGIC_UNDEF F_AF
#define F_MUL_UNDEF (F_SF | F_ZF | F_AF | F_PF)
#define F_SHIFT_UNDEF (F_OF | F_AF)
#define F_BT_UNDEF (F_OF | F_SF | F_AF | F_PF)   /* ZF unaffected */
#define F_BSF_UNDEF (F_CF | F_OF | F_SF | F_AF | F_PF)

/* x87 condition codes in FSW */
#define C0 0x0100
#define C1 0x0200
#define C2 0x0400
#define C3 0x4000
#define CC_ALL (C0 | C1 | C2 | C3)
#define CC_023 (C0 | C2 | C3)

const char *const dt_class_names[DT_NCLASSES] = {
    "int", "string", "x87", "sse-fp", "sse-int", "sse-cvt", "mmx", "sse4",
    "avx", "avx2", "fma",
};

/* template flags */
enum {
    T_MODRM  = 1 << 0,      /* ModRM follows */
    T_MEM    = 1 << 1,      /* ModRM memory form only */
    T_REG    = 1 << 2,      /* ModRM register form only */
    T_DIGIT  = 1 << 3,      /* ModRM.reg = digit */
    T_FULL   = 1 << 4,      /* ModRM = digit | rand(8) (x87 ST(i)) or, with
                               T_FIXED, exactly digit */
    T_FIXED  = 1 << 5,
    T_IB     = 1 << 6,      /* imm8 */
    T_IW     = 1 << 7,      /* imm16 */
    T_IZ     = 1 << 8,      /* imm16/32 by operand size */
    T_IV     = 1 << 9,      /* imm16/32/64 by operand size (MOV r, imm) */
    T_OSZ    = 1 << 10,     /* 66 may be added as operand size */
    T_REXW   = 1 << 11,     /* REX.W random */
    T_LOCK   = 1 << 12,     /* LOCK allowed on the memory form */
    T_Z      = 1 << 13,     /* register in the opcode's low bits */
    T_VEX    = 1 << 14,
    T_VL     = 1 << 15,     /* VEX.L random (else 0) */
    T_VV     = 1 << 16,     /* VEX.vvvv names a register (else 1111) */
    T_VW     = 1 << 17,     /* VEX.W random (else 0) */
    T_W1     = 1 << 18,     /* VEX.W = 1 */
    T_ALIGN  = 1 << 19,     /* memory operand aligned to msz (mostly) */
    T_GREG   = 1 << 20,     /* ModRM.reg is a GPR (avoid RSP) */
    T_GRM    = 1 << 21,     /* ModRM.rm is a GPR in the register form */
    T_REP    = 1 << 22,     /* REP/REPE/REPNE random (string) */
    T_NO66   = 1 << 23,
    T_IS4    = 1 << 24,     /* imm8[7:4] is a register */
    T_IMMX   = 1 << 25,     /* imm8 in 0..7 (x87 FLDCW-free ops use it) */
    T_GVV    = 1 << 26,     /* VEX.vvvv is a GPR */
    T_MREG   = 1 << 27,     /* ModRM.reg is an MMX register */
    T_MRM    = 1 << 28,     /* ModRM.rm is an MMX register */
};

typedef struct Tmpl {
    const char *name;
    uint8_t cls, map, pfx, op, digit, msz;
    uint32_t fl;
    uint16_t writes, undef, reads;      /* arithmetic flags */
    uint16_t fwrites, fundef, freads;   /* x87 condition codes */
    uint32_t feat;                      /* DTF_* needed */
} Tmpl;

uint32_t dt_features;

/* CPUID -> DTF_* (the runner gives both sides what both have) */
uint32_t dt_cpu_features(void)
{
    uint32_t a, b, c, d, f = 0;

    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
                     : "a"(1), "c"(0));
    f |= (c & 1) ? DTF_SSE3 : 0;
    f |= (c & (1u << 1)) ? DTF_PCLMUL : 0;
    f |= (c & (1u << 9)) ? DTF_SSSE3 : 0;
    f |= (c & (1u << 12)) ? DTF_FMA : 0;
    f |= (c & (1u << 19)) ? DTF_SSE41 : 0;
    f |= (c & (1u << 20)) ? DTF_SSE42 : 0;
    f |= (c & (1u << 22)) ? DTF_MOVBE : 0;
    f |= (c & (1u << 23)) ? DTF_POPCNT : 0;
    f |= (c & (1u << 25)) ? DTF_AES : 0;
    f |= (c & (1u << 28)) ? DTF_AVX : 0;
    f |= (c & (1u << 29)) ? DTF_F16C : 0;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
                     : "a"(7), "c"(0));
    f |= (b & (1u << 3)) ? DTF_BMI1 : 0;
    f |= (b & (1u << 5)) ? DTF_AVX2 : 0;
    f |= (b & (1u << 8)) ? DTF_BMI2 : 0;
    f |= (b & (1u << 19)) ? DTF_ADX : 0;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
                     : "a"(0x80000001), "c"(0));
    f |= (c & (1u << 5)) ? DTF_LZCNT : 0;
    return f;
}

#define G (T_GREG | T_GRM)
#define INT(n, map, op, fl, w, u, r) \
    { n, DT_INT, map, 0, op, 0, 8, (fl) | T_MODRM | G, w, u, r, 0, 0, 0 }
#define INTD(n, map, op, dg, fl, w, u, r) \
    { n, DT_INT, map, 0, op, dg, 8, (fl) | T_MODRM | T_DIGIT | G, w, u, r, \
      0, 0, 0 }
#define INTN(n, map, pfx, op, fl, w, u, r) \
    { n, DT_INT, map, pfx, op, 0, 8, fl, w, u, r, 0, 0, 0 }
#define OSZW (T_OSZ | T_REXW)

static const Tmpl tmpl[] = {
    /* ---- integer ---- */
#define ALU(n, b, w, u, r) \
    INT(n, 0, b + 0, T_LOCK, w, u, r), INT(n, 0, b + 1, T_LOCK | OSZW, w, u, r), \
    INT(n, 0, b + 2, 0, w, u, r), INT(n, 0, b + 3, OSZW, w, u, r), \
    INTN(n, 0, 0, b + 4, T_IB, w, u, r), \
    INTN(n, 0, 0, b + 5, T_IZ | OSZW, w, u, r), \
    INTD(n, 0, 0x80, b >> 3, T_IB | T_LOCK, w, u, r), \
    INTD(n, 0, 0x81, b >> 3, T_IZ | T_LOCK | OSZW, w, u, r), \
    INTD(n, 0, 0x83, b >> 3, T_IB | T_LOCK | OSZW, w, u, r)
    ALU("add", 0x00, F_ALL, 0, 0),
    ALU("or", 0x08, F_ALL, F_AF, 0),
    ALU("adc", 0x10, F_ALL, 0, F_CF),
    ALU("sbb", 0x18, F_ALL, 0, F_CF),
    ALU("and", 0x20, F_ALL, F_AF, 0),
    ALU("sub", 0x28, F_ALL, 0, 0),
    ALU("xor", 0x30, F_ALL, F_AF, 0),
    ALU("cmp", 0x38, F_ALL, 0, 0),
    INT("test", 0, 0x84, 0, F_ALL, F_AF, 0),
    INT("test", 0, 0x85, OSZW, F_ALL, F_AF, 0),
    INTD("test", 0, 0xf6, 0, T_IB, F_ALL, F_AF, 0),
    INTD("test", 0, 0xf7, 0, T_IZ | OSZW, F_ALL, F_AF, 0),
    INT("xchg", 0, 0x86, T_LOCK, 0, 0, 0),
    INT("xchg", 0, 0x87, T_LOCK | OSZW, 0, 0, 0),
    INT("mov", 0, 0x88, 0, 0, 0, 0),
    INT("mov", 0, 0x89, OSZW, 0, 0, 0),
    INT("mov", 0, 0x8a, 0, 0, 0, 0),
    INT("mov", 0, 0x8b, OSZW, 0, 0, 0),
    INTD("mov", 0, 0xc6, 0, T_IB, 0, 0, 0),
    INTD("mov", 0, 0xc7, 0, T_IZ | OSZW, 0, 0, 0),
    INTN("mov", 0, 0, 0xb0, T_Z | T_IB, 0, 0, 0),
    INTN("mov", 0, 0, 0xb8, T_Z | T_IV | OSZW, 0, 0, 0),
    INT("lea", 0, 0x8d, T_MEM | OSZW, 0, 0, 0),
/* a count of 0 leaves the flags as they were: shifts make none defined */
#define SHIFTS(d, n, r) \
    INTD(n, 0, 0xc0, d, T_IB, 0, F_SHIFT_UNDEF, r), \
    INTD(n, 0, 0xc1, d, T_IB | OSZW, 0, F_SHIFT_UNDEF, r), \
    INTD(n, 0, 0xd0, d, 0, F_ALL, F_SHIFT_UNDEF & ~F_OF, r), \
    INTD(n, 0, 0xd1, d, OSZW, F_ALL, F_SHIFT_UNDEF & ~F_OF, r), \
    INTD(n, 0, 0xd2, d, 0, 0, F_SHIFT_UNDEF, r), \
    INTD(n, 0, 0xd3, d, OSZW, 0, F_SHIFT_UNDEF, r)
    /* rotates: only CF and OF change; SF ZF AF PF keep their values */
    SHIFTS(0, "rol", F_ALL), SHIFTS(1, "ror", F_ALL),
    SHIFTS(2, "rcl", F_ALL), SHIFTS(3, "rcr", F_ALL),
    SHIFTS(4, "shl", 0), SHIFTS(5, "shr", 0), SHIFTS(7, "sar", 0),
    INTD("not", 0, 0xf6, 2, T_LOCK, 0, 0, 0),
    INTD("not", 0, 0xf7, 2, T_LOCK | OSZW, 0, 0, 0),
    INTD("neg", 0, 0xf6, 3, T_LOCK, F_ALL, 0, 0),
    INTD("neg", 0, 0xf7, 3, T_LOCK | OSZW, F_ALL, 0, 0),
    INTD("mul", 0, 0xf6, 4, 0, F_ALL, F_MUL_UNDEF, 0),
    INTD("mul", 0, 0xf7, 4, OSZW, F_ALL, F_MUL_UNDEF, 0),
    INTD("imul", 0, 0xf6, 5, 0, F_ALL, F_MUL_UNDEF, 0),
    INTD("imul", 0, 0xf7, 5, OSZW, F_ALL, F_MUL_UNDEF, 0),
    INTD("div", 0, 0xf6, 6, 0, F_ALL, F_ALL, 0),
    INTD("div", 0, 0xf7, 6, OSZW, F_ALL, F_ALL, 0),
    INTD("idiv", 0, 0xf6, 7, 0, F_ALL, F_ALL, 0),
    INTD("idiv", 0, 0xf7, 7, OSZW, F_ALL, F_ALL, 0),
    INTD("inc", 0, 0xfe, 0, T_LOCK, F_ALL & ~F_CF, 0, 0),
    INTD("inc", 0, 0xff, 0, T_LOCK | OSZW, F_ALL & ~F_CF, 0, 0),
    INTD("dec", 0, 0xfe, 1, T_LOCK, F_ALL & ~F_CF, 0, 0),
    INTD("dec", 0, 0xff, 1, T_LOCK | OSZW, F_ALL & ~F_CF, 0, 0),
    INT("imul", 0, 0x69, T_IZ | OSZW, F_ALL, F_MUL_UNDEF, 0),
    INT("imul", 0, 0x6b, T_IB | OSZW, F_ALL, F_MUL_UNDEF, 0),
    INT("imul", 1, 0xaf, OSZW, F_ALL, F_MUL_UNDEF, 0),
    INTN("cbw", 0, 0, 0x98, OSZW, 0, 0, 0),
    INTN("cwd", 0, 0, 0x99, OSZW, 0, 0, 0),
    INTN("sahf", 0, 0, 0x9e, 0, F_CF | F_PF | F_AF | F_ZF | F_SF, 0, 0),
    INTN("lahf", 0, 0, 0x9f, 0, 0, 0, F_CF | F_PF | F_AF | F_ZF | F_SF),
    INTN("cmc", 0, 0, 0xf5, 0, F_CF, 0, F_CF),
    INTN("clc", 0, 0, 0xf8, 0, F_CF, 0, 0),
    INTN("stc", 0, 0, 0xf9, 0, F_CF, 0, 0),
    INTN("cld", 0, 0, 0xfc, 0, 0, 0, 0),
    INTN("std", 0, 0, 0xfd, 0, 0, 0, 0),
    INTN("push", 0, 0, 0x50, T_Z, 0, 0, 0),
    INTN("pop", 0, 0, 0x58, T_Z, 0, 0, 0),
    INTN("push", 0, 0, 0x6a, T_IB, 0, 0, 0),
    INTD("push", 0, 0xff, 6, 0, 0, 0, 0),
    INTD("pop", 0, 0x8f, 0, 0, 0, 0, 0),
    INT("cmovcc", 1, 0x40, OSZW, 0, 0, F_ALL),
    INT("cmovcc", 1, 0x44, OSZW, 0, 0, F_ALL),
    INT("cmovcc", 1, 0x4c, OSZW, 0, 0, F_ALL),
    INT("cmovcc", 1, 0x4f, OSZW, 0, 0, F_ALL),
    INT("cmovcc", 1, 0x42, OSZW, 0, 0, F_ALL),
    INT("cmovcc", 1, 0x47, OSZW, 0, 0, F_ALL),
    INT("setcc", 1, 0x92, 0, 0, 0, F_ALL),
    INT("setcc", 1, 0x94, 0, 0, 0, F_ALL),
    INT("setcc", 1, 0x96, 0, 0, 0, F_ALL),
    INT("setcc", 1, 0x98, 0, 0, 0, F_ALL),
    INT("setcc", 1, 0x9a, 0, 0, 0, F_ALL),
    INT("setcc", 1, 0x9c, 0, 0, 0, F_ALL),
    INT("setcc", 1, 0x9f, 0, 0, 0, F_ALL),
    INT("bt", 1, 0xa3, T_REG | OSZW, F_CF, F_BT_UNDEF, 0),
    INT("bts", 1, 0xab, T_REG | OSZW, F_CF, F_BT_UNDEF, 0),
    INT("btr", 1, 0xb3, T_REG | OSZW, F_CF, F_BT_UNDEF, 0),
    INT("btc", 1, 0xbb, T_REG | OSZW, F_CF, F_BT_UNDEF, 0),
    INTD("bt", 1, 0xba, 4, T_IB | OSZW, F_CF, F_BT_UNDEF, 0),
    INTD("bts", 1, 0xba, 5, T_IB | T_LOCK | OSZW, F_CF, F_BT_UNDEF, 0),
    INTD("btr", 1, 0xba, 6, T_IB | T_LOCK | OSZW, F_CF, F_BT_UNDEF, 0),
    INTD("btc", 1, 0xba, 7, T_IB | T_LOCK | OSZW, F_CF, F_BT_UNDEF, 0),
    INT("shld", 1, 0xa4, T_IB | T_REXW, 0, F_SHIFT_UNDEF, 0),
    INT("shld", 1, 0xa5, T_REXW, 0, F_SHIFT_UNDEF, 0),
    INT("shrd", 1, 0xac, T_IB | T_REXW, 0, F_SHIFT_UNDEF, 0),
    INT("shrd", 1, 0xad, T_REXW, 0, F_SHIFT_UNDEF, 0),
    INT("cmpxchg", 1, 0xb0, T_LOCK, F_ALL, 0, 0),
    INT("cmpxchg", 1, 0xb1, T_LOCK | OSZW, F_ALL, 0, 0),
    INT("xadd", 1, 0xc0, T_LOCK, F_ALL, 0, 0),
    INT("xadd", 1, 0xc1, T_LOCK | OSZW, F_ALL, 0, 0),
    /* 64-bit only: with a zero source Intel clears the upper half of a
     * 32-bit destination, AMD keeps it (both leave a 64-bit one) */
    INT("bsf", 1, 0xbc, T_W1, F_ALL, F_BSF_UNDEF, 0),
    INT("bsr", 1, 0xbd, T_W1, F_ALL, F_BSF_UNDEF, 0),
    { "tzcnt", DT_INT, 1, 0xf3, 0xbc, 0, 8, T_MODRM | G | OSZW, F_ALL,
      F_OF | F_SF | F_AF | F_PF, 0, 0, 0, 0, DTF_BMI1 },
    { "lzcnt", DT_INT, 1, 0xf3, 0xbd, 0, 8, T_MODRM | G | OSZW, F_ALL,
      F_OF | F_SF | F_AF | F_PF, 0, 0, 0, 0, DTF_LZCNT },
    { "popcnt", DT_INT, 1, 0xf3, 0xb8, 0, 8, T_MODRM | G | OSZW, F_ALL, 0, 0,
      0, 0, 0, DTF_POPCNT },
    INT("movzx", 1, 0xb6, OSZW, 0, 0, 0),
    INT("movzx", 1, 0xb7, T_REXW, 0, 0, 0),
    INT("movsx", 1, 0xbe, OSZW, 0, 0, 0),
    INT("movsx", 1, 0xbf, T_REXW, 0, 0, 0),
    INT("movsxd", 0, 0x63, T_REXW, 0, 0, 0),
    INTN("bswap", 1, 0, 0xc8, T_Z | T_REXW, 0, 0, 0),
    { "movbe", DT_INT, 2, 0, 0xf0, 0, 8, T_MODRM | T_MEM | G | OSZW, 0, 0, 0,
      0, 0, 0, DTF_MOVBE },
    { "movbe", DT_INT, 2, 0, 0xf1, 0, 8, T_MODRM | T_MEM | G | OSZW, 0, 0, 0,
      0, 0, 0, DTF_MOVBE },
    { "crc32", DT_INT, 2, 0xf2, 0xf0, 0, 8, T_MODRM | G, 0, 0, 0, 0, 0, 0, DTF_SSE42 },
    { "crc32", DT_INT, 2, 0xf2, 0xf1, 0, 8, T_MODRM | G | OSZW, 0, 0, 0, 0,
      0, 0, DTF_SSE42 },
    { "adcx", DT_INT, 2, 0x66, 0xf6, 0, 8, T_MODRM | G | T_REXW, F_CF, 0,
      F_CF, 0, 0, 0, DTF_ADX },
    { "adox", DT_INT, 2, 0xf3, 0xf6, 0, 8, T_MODRM | G | T_REXW, F_OF, 0,
      F_OF, 0, 0, 0, DTF_ADX },
#define BMI(n, map, pfx, op, fl, w, u, f) \
    { n, DT_INT, map, pfx, op, 0, 8, T_MODRM | T_VEX | T_VW | G | (fl), w, u, \
      0, 0, 0, 0, f }
    BMI("andn", 2, 0, 0xf2, T_VV | T_GVV, F_ALL, F_AF | F_PF, DTF_BMI1),
    { "blsr", DT_INT, 2, 0, 0xf3, 1, 8, T_MODRM | T_DIGIT | T_VEX | T_VW |
      T_VV | T_GVV | G, F_ALL, F_AF | F_PF, 0, 0, 0, 0 , DTF_BMI1 },
    { "blsmsk", DT_INT, 2, 0, 0xf3, 2, 8, T_MODRM | T_DIGIT | T_VEX | T_VW |
      T_VV | T_GVV | G, F_ALL, F_AF | F_PF, 0, 0, 0, 0 , DTF_BMI1 },
    { "blsi", DT_INT, 2, 0, 0xf3, 3, 8, T_MODRM | T_DIGIT | T_VEX | T_VW |
      T_VV | T_GVV | G, F_ALL, F_AF | F_PF, 0, 0, 0, 0 , DTF_BMI1 },
    BMI("bzhi", 2, 0, 0xf5, T_VV | T_GVV, F_ALL, F_AF | F_PF, DTF_BMI2),
    BMI("pext", 2, 0xf3, 0xf5, T_VV | T_GVV, 0, 0, DTF_BMI2),
    BMI("pdep", 2, 0xf2, 0xf5, T_VV | T_GVV, 0, 0, DTF_BMI2),
    BMI("mulx", 2, 0xf2, 0xf6, T_VV | T_GVV, 0, 0, DTF_BMI2),
    BMI("bextr", 2, 0, 0xf7, T_VV | T_GVV, F_ALL, F_AF | F_SF | F_PF, DTF_BMI1),
    BMI("shlx", 2, 0x66, 0xf7, T_VV | T_GVV, 0, 0, DTF_BMI2),
    BMI("sarx", 2, 0xf3, 0xf7, T_VV | T_GVV, 0, 0, DTF_BMI2),
    BMI("shrx", 2, 0xf2, 0xf7, T_VV | T_GVV, 0, 0, DTF_BMI2),
    BMI("rorx", 3, 0xf2, 0xf0, T_IB, 0, 0, DTF_BMI2),

    /* ---- string (RSI/RDI/RCX set up by the class) ---- */
#define STR(n, op, fl, w, r) \
    { n, DT_STRING, 0, 0, op, 0, 0, T_REP | (fl), w, 0, r, 0, 0, 0 }
    STR("movsb", 0xa4, 0, 0, 0), STR("movs", 0xa5, OSZW, 0, 0),
    STR("stosb", 0xaa, 0, 0, 0), STR("stos", 0xab, OSZW, 0, 0),
    STR("lodsb", 0xac, 0, 0, 0), STR("lods", 0xad, OSZW, 0, 0),
    STR("scasb", 0xae, 0, F_ALL, 0), STR("scas", 0xaf, OSZW, F_ALL, 0),
    STR("cmpsb", 0xa6, 0, F_ALL, 0), STR("cmps", 0xa7, OSZW, F_ALL, 0),
    { "std", DT_STRING, 0, 0, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "cld", DT_STRING, 0, 0, 0xfc, 0, 0, 0, 0, 0, 0, 0, 0, 0 },

    /* ---- x87 ---- */
#define XM(n, op, dg, sz, fw, fu) \
    { n, DT_X87, 0, 0, op, dg, sz, T_MODRM | T_MEM | T_DIGIT, 0, 0, 0, fw, \
      fu, 0 }
#define XR(n, op, mr, fw, fu) \
    { n, DT_X87, 0, 0, op, mr, 0, T_MODRM | T_FULL, 0, 0, 0, fw, fu, 0 }
#define XF(n, op, mr, fw, fu) \
    { n, DT_X87, 0, 0, op, mr, 0, T_MODRM | T_FULL | T_FIXED, 0, 0, 0, fw, \
      fu, 0 }
#define X87_ARITH(n, dg) \
    XM(n, 0xd8, dg, 4, CC_ALL, CC_023), XM(n, 0xdc, dg, 8, CC_ALL, CC_023), \
    XM("fi" n, 0xda, dg, 4, CC_ALL, CC_023), \
    XM("fi" n, 0xde, dg, 2, CC_ALL, CC_023), \
    XR(n, 0xd8, 0xc0 | dg << 3, CC_ALL, CC_023), \
    XR(n, 0xdc, 0xc0 | dg << 3, CC_ALL, CC_023), \
    XR(n "p", 0xde, 0xc0 | dg << 3, CC_ALL, CC_023)
    X87_ARITH("fadd", 0), X87_ARITH("fmul", 1), X87_ARITH("fsub", 4),
    X87_ARITH("fsubr", 5), X87_ARITH("fdiv", 6), X87_ARITH("fdivr", 7),
    XM("fcom", 0xd8, 2, 4, CC_ALL, 0), XM("fcomp", 0xd8, 3, 4, CC_ALL, 0),
    XM("fcom", 0xdc, 2, 8, CC_ALL, 0), XM("fcomp", 0xdc, 3, 8, CC_ALL, 0),
    XM("ficom", 0xda, 2, 4, CC_ALL, 0), XM("ficom", 0xde, 2, 2, CC_ALL, 0),
    XR("fcom", 0xd8, 0xd0, CC_ALL, 0), XR("fcomp", 0xd8, 0xd8, CC_ALL, 0),
    XF("fcompp", 0xde, 0xd9, CC_ALL, 0), XR("fucom", 0xdd, 0xe0, CC_ALL, 0),
    XR("fucomp", 0xdd, 0xe8, CC_ALL, 0), XF("fucompp", 0xda, 0xe9, CC_ALL, 0),
    XM("fld", 0xd9, 0, 4, CC_ALL, CC_023), XM("fld", 0xdd, 0, 8, CC_ALL, CC_023),
    XM("fld", 0xdb, 5, 10, CC_ALL, CC_023),
    XM("fild", 0xdf, 0, 2, CC_ALL, CC_023), XM("fild", 0xdb, 0, 4, CC_ALL, CC_023),
    XM("fild", 0xdf, 5, 8, CC_ALL, CC_023),
    XM("fst", 0xd9, 2, 4, CC_ALL, CC_023), XM("fstp", 0xd9, 3, 4, CC_ALL, CC_023),
    XM("fst", 0xdd, 2, 8, CC_ALL, CC_023), XM("fstp", 0xdd, 3, 8, CC_ALL, CC_023),
    XM("fstp", 0xdb, 7, 10, CC_ALL, CC_023),
    XM("fist", 0xdf, 2, 2, CC_ALL, CC_023), XM("fistp", 0xdf, 3, 2, CC_ALL, CC_023),
    XM("fist", 0xdb, 2, 4, CC_ALL, CC_023), XM("fistp", 0xdb, 3, 4, CC_ALL, CC_023),
    XM("fistp", 0xdf, 7, 8, CC_ALL, CC_023),
#define XM3(n, op, dg, sz, fw, fu) \
    { n, DT_X87, 0, 0, op, dg, sz, T_MODRM | T_MEM | T_DIGIT, 0, 0, 0, fw, \
      fu, 0, DTF_SSE3 }
    XM3("fisttp", 0xdf, 1, 2, CC_ALL, CC_023),
    XM3("fisttp", 0xdb, 1, 4, CC_ALL, CC_023),
    XM3("fisttp", 0xdd, 1, 8, CC_ALL, CC_023),
    XM("fbld", 0xdf, 4, 10, CC_ALL, CC_023), XM("fbstp", 0xdf, 6, 10, CC_ALL, CC_023),
    XR("fld", 0xd9, 0xc0, CC_ALL, CC_023), XR("fxch", 0xd9, 0xc8, CC_ALL, CC_023),
    XR("fst", 0xdd, 0xd0, CC_ALL, CC_023), XR("fstp", 0xdd, 0xd8, CC_ALL, CC_023),
    XR("ffree", 0xdd, 0xc0, 0, CC_ALL),
    XR("fcmovb", 0xda, 0xc0, CC_ALL, CC_023), XR("fcmove", 0xda, 0xc8, CC_ALL, CC_023),
    XR("fcmovnbe", 0xdb, 0xd0, CC_ALL, CC_023),
    /* FCOMI: the SDM clears C1, AMD keeps it */
    XR("fcomi", 0xdb, 0xf0, 0, C1), XR("fucomi", 0xdb, 0xe8, 0, C1),
    XR("fcomip", 0xdf, 0xf0, 0, C1), XR("fucomip", 0xdf, 0xe8, 0, C1),
    XF("fchs", 0xd9, 0xe0, CC_ALL, CC_023), XF("fabs", 0xd9, 0xe1, CC_ALL, CC_023),
    XF("ftst", 0xd9, 0xe4, CC_ALL, 0), XF("fxam", 0xd9, 0xe5, CC_ALL, 0),
    XF("fld1", 0xd9, 0xe8, CC_ALL, CC_023), XF("fldl2t", 0xd9, 0xe9, CC_ALL, CC_023),
    XF("fldl2e", 0xd9, 0xea, CC_ALL, CC_023), XF("fldpi", 0xd9, 0xeb, CC_ALL, CC_023),
    XF("fldlg2", 0xd9, 0xec, CC_ALL, CC_023), XF("fldln2", 0xd9, 0xed, CC_ALL, CC_023),
    XF("fldz", 0xd9, 0xee, CC_ALL, CC_023),
    XF("f2xm1", 0xd9, 0xf0, CC_ALL, CC_023), XF("fyl2x", 0xd9, 0xf1, CC_ALL, CC_023),
    XF("fptan", 0xd9, 0xf2, CC_ALL, C0 | C3), XF("fpatan", 0xd9, 0xf3, CC_ALL, CC_023),
    XF("fxtract", 0xd9, 0xf4, CC_ALL, CC_023), XF("fprem1", 0xd9, 0xf5, CC_ALL, C0 | C1 | C3),
    XF("fdecstp", 0xd9, 0xf6, CC_ALL, CC_023), XF("fincstp", 0xd9, 0xf7, CC_ALL, CC_023),
    /* FPREM(1): AMD's quotient bits for NaN operands are its own */
    XF("fprem", 0xd9, 0xf8, CC_ALL, C0 | C1 | C3), XF("fyl2xp1", 0xd9, 0xf9, CC_ALL, CC_023),
    XF("fsqrt", 0xd9, 0xfa, CC_ALL, CC_023), XF("fsincos", 0xd9, 0xfb, CC_ALL, C0 | C3),
    XF("frndint", 0xd9, 0xfc, CC_ALL, CC_023), XF("fscale", 0xd9, 0xfd, CC_ALL, CC_023),
    XF("fsin", 0xd9, 0xfe, CC_ALL, C0 | C3), XF("fcos", 0xd9, 0xff, CC_ALL, C0 | C3),
    XF("fnclex", 0xdb, 0xe2, 0, CC_ALL), XF("fninit", 0xdb, 0xe3, CC_ALL, 0),
    { "fnstsw", DT_X87, 0, 0, 0xdf, 0xe0, 0, T_MODRM | T_FULL | T_FIXED, 0, 0,
      0, 0, 0, CC_ALL },
    { "fnstsw", DT_X87, 0, 0, 0xdd, 7, 2, T_MODRM | T_MEM | T_DIGIT, 0, 0,
      0, 0, 0, CC_ALL },
    { "fnstcw", DT_X87, 0, 0, 0xd9, 7, 2, T_MODRM | T_MEM | T_DIGIT, 0, 0,
      0, 0, 0, 0 },
    { "fwait", DT_X87, 0, 0, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 0 },

    /* ---- SSE floating point ---- */
#define SSE(n, c, pfx, map, op, fl, sz) \
    { n, c, map, pfx, op, 0, sz, T_MODRM | (fl), 0, 0, 0, 0, 0, 0, 0 }
#define SSEF(n, f, c, pfx, map, op, fl, sz) \
    { n, c, map, pfx, op, 0, sz, T_MODRM | (fl), 0, 0, 0, 0, 0, 0, f }
#define FPOP(n, op) \
    SSE(n "ps", DT_SSE_FP, 0, 1, op, T_ALIGN, 16), \
    SSE(n "pd", DT_SSE_FP, 0x66, 1, op, T_ALIGN, 16), \
    SSE(n "ss", DT_SSE_FP, 0xf3, 1, op, 0, 4), \
    SSE(n "sd", DT_SSE_FP, 0xf2, 1, op, 0, 8)
    FPOP("add", 0x58), FPOP("mul", 0x59), FPOP("sub", 0x5c),
    FPOP("min", 0x5d), FPOP("div", 0x5e), FPOP("max", 0x5f),
    FPOP("sqrt", 0x51),
    SSE("andps", DT_SSE_FP, 0, 1, 0x54, T_ALIGN, 16),
    SSE("andnpd", DT_SSE_FP, 0x66, 1, 0x55, T_ALIGN, 16),
    SSE("orps", DT_SSE_FP, 0, 1, 0x56, T_ALIGN, 16),
    SSE("xorpd", DT_SSE_FP, 0x66, 1, 0x57, T_ALIGN, 16),
    SSE("cmpps", DT_SSE_FP, 0, 1, 0xc2, T_ALIGN | T_IMMX, 16),
    SSE("cmppd", DT_SSE_FP, 0x66, 1, 0xc2, T_ALIGN | T_IMMX, 16),
    SSE("cmpss", DT_SSE_FP, 0xf3, 1, 0xc2, T_IMMX, 4),
    SSE("cmpsd", DT_SSE_FP, 0xf2, 1, 0xc2, T_IMMX, 8),
    { "ucomiss", DT_SSE_FP, 1, 0, 0x2e, 0, 4, T_MODRM, F_ALL, 0, 0, 0, 0, 0 },
    { "comiss", DT_SSE_FP, 1, 0, 0x2f, 0, 4, T_MODRM, F_ALL, 0, 0, 0, 0, 0 },
    { "ucomisd", DT_SSE_FP, 1, 0x66, 0x2e, 0, 8, T_MODRM, F_ALL, 0, 0, 0, 0, 0 },
    { "comisd", DT_SSE_FP, 1, 0x66, 0x2f, 0, 8, T_MODRM, F_ALL, 0, 0, 0, 0, 0 },
    SSE("unpcklps", DT_SSE_FP, 0, 1, 0x14, T_ALIGN, 16),
    SSE("unpckhpd", DT_SSE_FP, 0x66, 1, 0x15, T_ALIGN, 16),
    SSE("shufps", DT_SSE_FP, 0, 1, 0xc6, T_ALIGN | T_IB, 16),
    SSE("shufpd", DT_SSE_FP, 0x66, 1, 0xc6, T_ALIGN | T_IB, 16),
    SSE("movups", DT_SSE_FP, 0, 1, 0x10, 0, 16),
    SSE("movups", DT_SSE_FP, 0, 1, 0x11, 0, 16),
    SSE("movss", DT_SSE_FP, 0xf3, 1, 0x10, 0, 4),
    SSE("movss", DT_SSE_FP, 0xf3, 1, 0x11, 0, 4),
    SSE("movsd", DT_SSE_FP, 0xf2, 1, 0x10, 0, 8),
    SSE("movsd", DT_SSE_FP, 0xf2, 1, 0x11, 0, 8),
    SSE("movapd", DT_SSE_FP, 0x66, 1, 0x28, T_ALIGN, 16),
    SSE("movaps", DT_SSE_FP, 0, 1, 0x29, T_ALIGN, 16),
    SSE("movlps", DT_SSE_FP, 0, 1, 0x12, 0, 8),
    SSE("movlpd", DT_SSE_FP, 0x66, 1, 0x13, T_MEM, 8),
    SSE("movhps", DT_SSE_FP, 0, 1, 0x16, 0, 8),
    SSE("movhpd", DT_SSE_FP, 0x66, 1, 0x17, T_MEM, 8),
    SSE("movmskps", DT_SSE_FP, 0, 1, 0x50, T_REG | T_GREG | T_REXW, 16),
    SSE("movmskpd", DT_SSE_FP, 0x66, 1, 0x50, T_REG | T_GREG, 16),
    SSEF("haddps", DTF_SSE3, DT_SSE_FP, 0xf2, 1, 0x7c, T_ALIGN, 16),
    SSEF("hsubpd", DTF_SSE3, DT_SSE_FP, 0x66, 1, 0x7d, T_ALIGN, 16),
    SSEF("addsubps", DTF_SSE3, DT_SSE_FP, 0xf2, 1, 0xd0, T_ALIGN, 16),
    SSEF("addsubpd", DTF_SSE3, DT_SSE_FP, 0x66, 1, 0xd0, T_ALIGN, 16),
    SSEF("movsldup", DTF_SSE3, DT_SSE_FP, 0xf3, 1, 0x12, T_ALIGN, 16),
    SSEF("movshdup", DTF_SSE3, DT_SSE_FP, 0xf3, 1, 0x16, T_ALIGN, 16),
    SSEF("movddup", DTF_SSE3, DT_SSE_FP, 0xf2, 1, 0x12, 0, 8),
    { "stmxcsr", DT_SSE_FP, 1, 0, 0xae, 3, 4, T_MODRM | T_MEM | T_DIGIT, 0, 0,
      0, 0, 0, 0 },

    /* ---- SSE2 integer ---- */
#define SI(n, op, fl) SSE(n, DT_SSE_INT, 0x66, 1, op, T_ALIGN | (fl), 16)
#define MI(n, op, fl) SSE(n, DT_MMX, 0, 1, op, T_MREG | T_MRM | (fl), 8)
#define SIMI(n, op) SI(n, op, 0), MI(n, op, 0)
    SIMI("punpcklbw", 0x60), SIMI("punpcklwd", 0x61), SIMI("punpckldq", 0x62),
    SIMI("packsswb", 0x63), SIMI("pcmpgtb", 0x64), SIMI("pcmpgtw", 0x65),
    SIMI("pcmpgtd", 0x66), SIMI("packuswb", 0x67), SIMI("punpckhbw", 0x68),
    SIMI("punpckhwd", 0x69), SIMI("punpckhdq", 0x6a), SIMI("packssdw", 0x6b),
    SI("punpcklqdq", 0x6c, 0), SI("punpckhqdq", 0x6d, 0),
    SI("movdqa", 0x6f, 0), SI("movdqa", 0x7f, 0),
    SSE("movdqu", DT_SSE_INT, 0xf3, 1, 0x6f, 0, 16),
    SSE("movdqu", DT_SSE_INT, 0xf3, 1, 0x7f, 0, 16),
    SI("pshufd", 0x70, T_IB),
    SSE("pshufhw", DT_SSE_INT, 0xf3, 1, 0x70, T_ALIGN | T_IB, 16),
    SSE("pshuflw", DT_SSE_INT, 0xf2, 1, 0x70, T_ALIGN | T_IB, 16),
    MI("pshufw", 0x70, T_IB),
    SIMI("pcmpeqb", 0x74), SIMI("pcmpeqw", 0x75), SIMI("pcmpeqd", 0x76),
    SIMI("psrlw", 0xd1), SIMI("psrld", 0xd2), SIMI("psrlq", 0xd3),
    SIMI("paddq", 0xd4), SIMI("pmullw", 0xd5), SIMI("psubusb", 0xd8),
    SIMI("psubusw", 0xd9), SIMI("pminub", 0xda), SIMI("pand", 0xdb),
    SIMI("paddusb", 0xdc), SIMI("paddusw", 0xdd), SIMI("pmaxub", 0xde),
    SIMI("pandn", 0xdf), SIMI("pavgb", 0xe0), SIMI("psraw", 0xe1),
    SIMI("psrad", 0xe2), SIMI("pavgw", 0xe3), SIMI("pmulhuw", 0xe4),
    SIMI("pmulhw", 0xe5), SIMI("psubsb", 0xe8), SIMI("psubsw", 0xe9),
    SIMI("pminsw", 0xea), SIMI("por", 0xeb), SIMI("paddsb", 0xec),
    SIMI("paddsw", 0xed), SIMI("pmaxsw", 0xee), SIMI("pxor", 0xef),
    SIMI("psllw", 0xf1), SIMI("pslld", 0xf2), SIMI("psllq", 0xf3),
    SIMI("pmuludq", 0xf4), SIMI("pmaddwd", 0xf5), SIMI("psadbw", 0xf6),
    SIMI("psubb", 0xf8), SIMI("psubw", 0xf9), SIMI("psubd", 0xfa),
    SIMI("psubq", 0xfb), SIMI("paddb", 0xfc), SIMI("paddw", 0xfd),
    SIMI("paddd", 0xfe),
#define SHI(n, op, dg, c) \
    { n, c, 1, c == DT_MMX ? 0 : 0x66, op, dg, 0, \
      T_MODRM | T_REG | T_DIGIT | T_IB | (c == DT_MMX ? T_MRM : 0), \
      0, 0, 0, 0, 0, 0 }
    SHI("psrlw", 0x71, 2, DT_SSE_INT), SHI("psraw", 0x71, 4, DT_SSE_INT),
    SHI("psllw", 0x71, 6, DT_SSE_INT), SHI("psrld", 0x72, 2, DT_SSE_INT),
    SHI("psrad", 0x72, 4, DT_SSE_INT), SHI("pslld", 0x72, 6, DT_SSE_INT),
    SHI("psrlq", 0x73, 2, DT_SSE_INT), SHI("psrldq", 0x73, 3, DT_SSE_INT),
    SHI("psllq", 0x73, 6, DT_SSE_INT), SHI("pslldq", 0x73, 7, DT_SSE_INT),
    SHI("psrlw", 0x71, 2, DT_MMX), SHI("psraw", 0x71, 4, DT_MMX),
    SHI("psllw", 0x71, 6, DT_MMX), SHI("psrld", 0x72, 2, DT_MMX),
    SHI("psrad", 0x72, 4, DT_MMX), SHI("pslld", 0x72, 6, DT_MMX),
    SHI("psrlq", 0x73, 2, DT_MMX), SHI("psllq", 0x73, 6, DT_MMX),
    SSE("movd", DT_SSE_INT, 0x66, 1, 0x6e, T_GRM | T_REXW, 4),
    SSE("movd", DT_SSE_INT, 0x66, 1, 0x7e, T_GRM | T_REXW, 4),
    SSE("movq", DT_SSE_INT, 0xf3, 1, 0x7e, 0, 8),
    SSE("movq", DT_SSE_INT, 0x66, 1, 0xd6, 0, 8),
    SSE("pinsrw", DT_SSE_INT, 0x66, 1, 0xc4, T_GRM | T_IB, 2),
    SSE("pextrw", DT_SSE_INT, 0x66, 1, 0xc5, T_REG | T_GREG | T_IB, 16),
    SSE("pmovmskb", DT_SSE_INT, 0x66, 1, 0xd7, T_REG | T_GREG, 16),
    SSE("movd", DT_MMX, 0, 1, 0x6e, T_MREG | T_GRM | T_REXW, 4),
    SSE("movd", DT_MMX, 0, 1, 0x7e, T_MREG | T_GRM | T_REXW, 4),
    SSE("movq", DT_MMX, 0, 1, 0x6f, T_MREG | T_MRM, 8),
    SSE("movq", DT_MMX, 0, 1, 0x7f, T_MREG | T_MRM, 8),
    SSE("pinsrw", DT_MMX, 0, 1, 0xc4, T_MREG | T_GRM | T_IB, 2),
    SSE("pextrw", DT_MMX, 0, 1, 0xc5, T_REG | T_GREG | T_MRM | T_IB, 8),
    SSE("pmovmskb", DT_MMX, 0, 1, 0xd7, T_REG | T_GREG | T_MRM, 8),
    SSE("movq2dq", DT_MMX, 0xf3, 1, 0xd6, T_REG | T_MRM, 8),
    SSE("movdq2q", DT_MMX, 0xf2, 1, 0xd6, T_REG | T_MREG, 8),
    { "emms", DT_MMX, 1, 0, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0 },

    /* ---- conversions ---- */
    SSE("cvtps2pd", DT_SSE_CVT, 0, 1, 0x5a, 0, 8),
    SSE("cvtpd2ps", DT_SSE_CVT, 0x66, 1, 0x5a, T_ALIGN, 16),
    SSE("cvtss2sd", DT_SSE_CVT, 0xf3, 1, 0x5a, 0, 4),
    SSE("cvtsd2ss", DT_SSE_CVT, 0xf2, 1, 0x5a, 0, 8),
    SSE("cvtdq2ps", DT_SSE_CVT, 0, 1, 0x5b, T_ALIGN, 16),
    SSE("cvtps2dq", DT_SSE_CVT, 0x66, 1, 0x5b, T_ALIGN, 16),
    SSE("cvttps2dq", DT_SSE_CVT, 0xf3, 1, 0x5b, T_ALIGN, 16),
    SSE("cvttpd2dq", DT_SSE_CVT, 0x66, 1, 0xe6, T_ALIGN, 16),
    SSE("cvtdq2pd", DT_SSE_CVT, 0xf3, 1, 0xe6, 0, 8),
    SSE("cvtpd2dq", DT_SSE_CVT, 0xf2, 1, 0xe6, T_ALIGN, 16),
    SSE("cvtsi2ss", DT_SSE_CVT, 0xf3, 1, 0x2a, T_GRM | T_REXW, 4),
    SSE("cvtsi2sd", DT_SSE_CVT, 0xf2, 1, 0x2a, T_GRM | T_REXW, 4),
    SSE("cvttss2si", DT_SSE_CVT, 0xf3, 1, 0x2c, T_GREG | T_REXW, 4),
    SSE("cvttsd2si", DT_SSE_CVT, 0xf2, 1, 0x2c, T_GREG | T_REXW, 8),
    SSE("cvtss2si", DT_SSE_CVT, 0xf3, 1, 0x2d, T_GREG | T_REXW, 4),
    SSE("cvtsd2si", DT_SSE_CVT, 0xf2, 1, 0x2d, T_GREG | T_REXW, 8),
    SSE("cvtpi2ps", DT_SSE_CVT, 0, 1, 0x2a, T_MRM, 8),
    SSE("cvtpi2pd", DT_SSE_CVT, 0x66, 1, 0x2a, T_MRM, 8),
    SSE("cvttps2pi", DT_SSE_CVT, 0, 1, 0x2c, T_MREG, 8),
    SSE("cvttpd2pi", DT_SSE_CVT, 0x66, 1, 0x2c, T_MREG | T_ALIGN, 16),
    SSE("cvtps2pi", DT_SSE_CVT, 0, 1, 0x2d, T_MREG, 8),
    SSE("cvtpd2pi", DT_SSE_CVT, 0x66, 1, 0x2d, T_MREG | T_ALIGN, 16),

    /* ---- SSSE3, SSE4.1, SSE4.2, AES-NI, PCLMULQDQ (0F38, 0F3A) ---- */
#define S3(n, op) SSEF(n, DTF_SSSE3, DT_SSE4, 0x66, 2, op, T_ALIGN, 16), \
    SSEF(n, DTF_SSSE3, DT_SSE4, 0, 2, op, T_MREG | T_MRM, 8)
#define S41(n, map, op, fl, sz) SSEF(n, DTF_SSE41, DT_SSE4, 0x66, map, op, fl, sz)
#define S41F(n, f, op, fl, sz) \
    { n, DT_SSE4, 3, 0x66, op, 0, sz, T_MODRM | (fl), F_ALL, 0, 0, 0, 0, 0, f }
    S3("pshufb", 0x00), S3("phaddw", 0x01), S3("phaddd", 0x02),
    S3("phaddsw", 0x03), S3("pmaddubsw", 0x04), S3("phsubw", 0x05),
    S3("phsubd", 0x06), S3("phsubsw", 0x07), S3("psignb", 0x08),
    S3("psignw", 0x09), S3("psignd", 0x0a), S3("pmulhrsw", 0x0b),
    S3("pabsb", 0x1c), S3("pabsw", 0x1d), S3("pabsd", 0x1e),
    SSEF("palignr", DTF_SSSE3, DT_SSE4, 0x66, 3, 0x0f, T_ALIGN | T_IB, 16),
    SSEF("palignr", DTF_SSSE3, DT_SSE4, 0, 3, 0x0f, T_MREG | T_MRM | T_IB, 8),
    S41("pblendvb", 2, 0x10, T_ALIGN, 16), S41("blendvps", 2, 0x14, T_ALIGN, 16),
    S41("blendvpd", 2, 0x15, T_ALIGN, 16),
    { "ptest", DT_SSE4, 2, 0x66, 0x17, 0, 16, T_MODRM | T_ALIGN, F_ALL, 0, 0,
      0, 0, 0, DTF_SSE41 },
    S41("pmovsxbw", 2, 0x20, 0, 8), S41("pmovsxbd", 2, 0x21, 0, 4),
    S41("pmovsxbq", 2, 0x22, 0, 2), S41("pmovsxwd", 2, 0x23, 0, 8),
    S41("pmovsxwq", 2, 0x24, 0, 4), S41("pmovsxdq", 2, 0x25, 0, 8),
    S41("pmuldq", 2, 0x28, T_ALIGN, 16), S41("pcmpeqq", 2, 0x29, T_ALIGN, 16),
    S41("movntdqa", 2, 0x2a, T_ALIGN | T_MEM, 16),
    S41("packusdw", 2, 0x2b, T_ALIGN, 16),
    S41("pmovzxbw", 2, 0x30, 0, 8), S41("pmovzxbd", 2, 0x31, 0, 4),
    S41("pmovzxbq", 2, 0x32, 0, 2), S41("pmovzxwd", 2, 0x33, 0, 8),
    S41("pmovzxwq", 2, 0x34, 0, 4), S41("pmovzxdq", 2, 0x35, 0, 8),
    SSEF("pcmpgtq", DTF_SSE42, DT_SSE4, 0x66, 2, 0x37, T_ALIGN, 16),
    S41("pminsb", 2, 0x38, T_ALIGN, 16), S41("pminsd", 2, 0x39, T_ALIGN, 16),
    S41("pminuw", 2, 0x3a, T_ALIGN, 16), S41("pminud", 2, 0x3b, T_ALIGN, 16),
    S41("pmaxsb", 2, 0x3c, T_ALIGN, 16), S41("pmaxsd", 2, 0x3d, T_ALIGN, 16),
    S41("pmaxuw", 2, 0x3e, T_ALIGN, 16), S41("pmaxud", 2, 0x3f, T_ALIGN, 16),
    S41("pmulld", 2, 0x40, T_ALIGN, 16), S41("phminposuw", 2, 0x41, T_ALIGN, 16),
    SSEF("aesimc", DTF_AES, DT_SSE4, 0x66, 2, 0xdb, T_ALIGN, 16),
    SSEF("aesenc", DTF_AES, DT_SSE4, 0x66, 2, 0xdc, T_ALIGN, 16),
    SSEF("aesenclast", DTF_AES, DT_SSE4, 0x66, 2, 0xdd, T_ALIGN, 16),
    SSEF("aesdec", DTF_AES, DT_SSE4, 0x66, 2, 0xde, T_ALIGN, 16),
    SSEF("aesdeclast", DTF_AES, DT_SSE4, 0x66, 2, 0xdf, T_ALIGN, 16),
    S41("roundps", 3, 0x08, T_ALIGN | T_IB, 16),
    S41("roundpd", 3, 0x09, T_ALIGN | T_IB, 16),
    S41("roundss", 3, 0x0a, T_IB, 4), S41("roundsd", 3, 0x0b, T_IB, 8),
    S41("blendps", 3, 0x0c, T_ALIGN | T_IB, 16),
    S41("blendpd", 3, 0x0d, T_ALIGN | T_IB, 16),
    S41("pblendw", 3, 0x0e, T_ALIGN | T_IB, 16),
    S41("pextrb", 3, 0x14, T_GRM | T_IB, 1), S41("pextrw", 3, 0x15, T_GRM | T_IB, 2),
    S41("pextrd", 3, 0x16, T_GRM | T_REXW | T_IB, 4),
    S41("extractps", 3, 0x17, T_GRM | T_IB, 4),
    S41("pinsrb", 3, 0x20, T_GRM | T_IB, 1), S41("insertps", 3, 0x21, T_IB, 4),
    S41("pinsrd", 3, 0x22, T_GRM | T_REXW | T_IB, 4),
    S41("dpps", 3, 0x40, T_ALIGN | T_IB, 16), S41("dppd", 3, 0x41, T_ALIGN | T_IB, 16),
    S41("mpsadbw", 3, 0x42, T_ALIGN | T_IB, 16),
    SSEF("pclmulqdq", DTF_PCLMUL, DT_SSE4, 0x66, 3, 0x44, T_ALIGN | T_IB, 16),
    S41F("pcmpestrm", DTF_SSE42, 0x60, T_IB, 16),
    S41F("pcmpestri", DTF_SSE42, 0x61, T_IB, 16),
    S41F("pcmpistrm", DTF_SSE42, 0x62, T_IB, 16),
    S41F("pcmpistri", DTF_SSE42, 0x63, T_IB, 16),
    SSEF("aeskeygenassist", DTF_AES, DT_SSE4, 0x66, 3, 0xdf, T_ALIGN | T_IB, 16),
};
#define NTMPL (sizeof(tmpl) / sizeof(tmpl[0]))

/* ---- random numbers: splitmix64 ---- */

typedef struct { uint64_t s; } Rng;

static uint64_t rnd(Rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned rn(Rng *r, unsigned n)
{
    return (unsigned)(rnd(r) % n);
}

static void mset(void *d, int v, size_t n)
{
    uint8_t *p = d;

    while (n--) {
        *p++ = v;
    }
}

static void mcpy(void *d, const void *s, size_t n)
{
    uint8_t *p = d;
    const uint8_t *q = s;

    while (n--) {
        *p++ = *q++;
    }
}

/* ---- values ---- */

static uint64_t rnd_int(Rng *r)
{
    static const uint64_t pool[] = {
        0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x100,
        0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
        0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
        ~0ull, ~1ull, 0xfffffffffffffff0ull,
    };

    switch (rn(r, 4)) {
    case 0:
        return pool[rn(r, sizeof(pool) / sizeof(pool[0]))];
    case 1:
        return rn(r, 256);
    case 2:
        return (uint64_t)(int64_t)(int32_t)rnd(r);
    default:
        return rnd(r);
    }
}

static uint32_t rnd_f32(Rng *r)
{
    static const uint32_t pool[] = {
        0, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40000000,
        0x3f000000, 0x40400000, 0x7f7fffff, 0x00800000, 0x00000001,
        0x807fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
        0x7f800001, 0x7fa00000, 0xffbfffff, 0x4b000000, 0xcf000000,
        0x4f000000, 0x5f000000, 0xdf000000, 0x3effffff, 0x4effffff,
        0x3f7fffff, 0x33800000, 0x00400000,
    };

    switch (rn(r, 4)) {
    case 0:
    case 1:
        return pool[rn(r, sizeof(pool) / sizeof(pool[0]))];
    case 2:                         /* an ordinary number */
        return (rn(r, 2) << 31) | ((117 + rn(r, 20)) << 23) |
               (rnd(r) & 0x7fffff);
    default:
        return rnd(r);
    }
}

static uint64_t rnd_f64(Rng *r)
{
    static const uint64_t pool[] = {
        0, 0x8000000000000000ull, 0x3ff0000000000000ull,
        0xbff0000000000000ull, 0x3ff8000000000000ull, 0x4000000000000000ull,
        0x3fe0000000000000ull, 0x7fefffffffffffffull, 0x0010000000000000ull,
        0x0000000000000001ull, 0x800fffffffffffffull, 0x7ff0000000000000ull,
        0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000000ull,
        0x7ff0000000000001ull, 0x7ff4000000000000ull, 0x4330000000000000ull,
        0xc1e0000000000000ull, 0x41e0000000000000ull, 0x43e0000000000000ull,
        0xc3e0000000000000ull, 0x3fdfffffffffffffull, 0x41dfffffffc00000ull,
        0x3ca0000000000000ull, 0x47efffffe0000000ull, 0x36a0000000000000ull,
    };

    switch (rn(r, 4)) {
    case 0:
    case 1:
        return pool[rn(r, sizeof(pool) / sizeof(pool[0]))];
    case 2:
        return ((uint64_t)rn(r, 2) << 63) |
               ((uint64_t)(1013 + rn(r, 20)) << 52) |
               (rnd(r) & 0xfffffffffffffull);
    default:
        return rnd(r);
    }
}

/* 8 bytes of vector data: two singles, one double, integers or bits */
static uint64_t rnd_vec8(Rng *r)
{
    switch (rn(r, 4)) {
    case 0:
        return rnd_f32(r) | (uint64_t)rnd_f32(r) << 32;
    case 1:
        return rnd_f64(r);
    case 2:
        return rnd_int(r);
    default:
        return rnd(r);
    }
}

/* an x87 register: normals, zeros, infinities, NaNs, denormals */
static void rnd_f80(Rng *r, uint8_t *p)
{
    uint64_t m;
    uint16_t e;

    switch (rn(r, 6)) {
    case 0:
        e = 0x3fff + rn(r, 64) - 32;
        m = rnd(r) | 1ull << 63;
        break;
    case 1:
        e = 0;
        m = rn(r, 3) ? 0 : rnd(r) >> 1;         /* zero or denormal */
        break;
    case 2:
        e = 0x7fff;
        m = rn(r, 2) ? 1ull << 63 : (3ull << 62) | (rnd(r) >> 2);
        break;
    case 3: {                                   /* from a double */
        uint64_t d = rnd_f64(r);
        int de = (d >> 52) & 0x7ff;

        if (de == 0 || de == 0x7ff) {
            e = de ? 0x7fff : 0;
            m = de ? (1ull << 63) | ((d & 0xfffffffffffffull) << 11) : 0;
        } else {
            e = de - 1023 + 16383;
            m = (1ull << 63) | ((d & 0xfffffffffffffull) << 11);
        }
        e |= (d >> 63) << 15;
        break;
    }
    default:
        e = 0x3fff + rn(r, 8) - 4;
        m = (rnd(r) | 1ull << 63) & ~0x7ffull;
        break;
    }
    if (rn(r, 2)) {
        e |= 0x8000;
    }
    mcpy(p, &m, 8);
    mcpy(p + 8, &e, 2);
}

/* ---- encoding ---- */

typedef struct Enc {
    uint8_t b[20];
    int n;
    int disp_at;                    /* offset of disp32, -1: none */
    unsigned mem_off;               /* target offset in the buffer */
} Enc;

static void put(Enc *e, uint8_t v)
{
    e->b[e->n++] = v;
}

static int pick_gpr(Rng *r)
{
    int v;

    do {
        v = rn(r, 16);
    } while (v == 4);               /* never RSP */
    return v;
}

static int pick_reg(Rng *r, bool gpr, int nregs)
{
    return gpr ? pick_gpr(r) : (int)rn(r, nregs);
}

static bool emit(Rng *r, const Tmpl *t, Enc *e)
{
    bool mem = false, vex = t->fl & T_VEX;
    bool osz = false, rexw = false;
    int reg = 0, rm = 0, vv = 0, nregs = 16;
    uint8_t modrm = 0;

    e->n = 0;
    e->disp_at = -1;
    if (t->fl & T_MODRM) {
        if (t->fl & T_MEM) {
            mem = true;
        } else if (!(t->fl & T_REG)) {
            mem = rn(r, 3) == 0;
        }
        if (t->fl & T_FULL) {
            mem = false;
        }
        reg = (t->fl & T_DIGIT) ? t->digit : pick_reg(r, t->fl & T_GREG, nregs);
        rm = pick_reg(r, t->fl & T_GRM, nregs);
        if (t->fl & T_MREG) {
            reg &= 7;               /* an MMX register */
        }
        if (t->fl & T_MRM) {
            rm &= 7;
        }
    }
    if (t->fl & T_Z) {
        rm = pick_gpr(r);
    }
    if (t->fl & T_VV) {
        vv = (t->fl & T_GVV) ? pick_gpr(r) : (int)rn(r, 16);
    }
    if ((t->fl & T_OSZ) && !vex && rn(r, 4) == 0) {
        osz = true;
    }
    if (t->fl & T_REXW) {
        rexw = rn(r, 2);
    }
    if (t->fl & T_W1) {
        rexw = true;
    }
    if ((t->fl & T_LOCK) && mem && rn(r, 3) == 0) {
        put(e, 0xf0);
    }
    if ((t->fl & T_REP) && rn(r, 2)) {
        put(e, rn(r, 2) ? 0xf3 : 0xf2);
    }
    if (vex) {
        int map = t->map, pp = t->pfx == 0x66 ? 1 : t->pfx == 0xf3 ? 2 :
                  t->pfx == 0xf2 ? 3 : 0;
        int R = !(reg & 8), X = 1, B = !(rm & 8);
        int L = (t->fl & T_VL) ? rn(r, 2) : 0;
        int W = (t->fl & T_VW) ? rn(r, 2) : rexw;

        if (mem) {
            B = 1;
        }
        if (map == 1 && X && B && !W && rn(r, 2)) {
            put(e, 0xc5);
            put(e, (R << 7) | ((~vv & 15) << 3) | (L << 2) | pp);
        } else {
            put(e, 0xc4);
            put(e, (R << 7) | (X << 6) | (B << 5) | map);
            put(e, (W << 7) | ((~vv & 15) << 3) | (L << 2) | pp);
        }
    } else {
        uint8_t rex = 0x40;

        if (osz) {
            put(e, 0x66);
        }
        if (t->pfx) {
            put(e, t->pfx);
        }
        if (rexw) {
            rex |= 8;
        }
        if (reg & 8) {
            rex |= 4;
        }
        if (!mem && (rm & 8)) {
            rex |= 1;
        }
        if (rex != 0x40 || rn(r, 4) == 0) {
            put(e, rex);
        }
        if (t->map >= 1) {
            put(e, 0x0f);
        }
        if (t->map == 2) {
            put(e, 0x38);
        } else if (t->map == 3) {
            put(e, 0x3a);
        }
    }
    if (t->fl & T_Z) {
        put(e, t->op | (rm & 7));
    } else {
        put(e, t->op);
    }
    if (t->fl & T_MODRM) {
        if (t->fl & T_FULL) {
            modrm = (t->fl & T_FIXED) ? t->digit : t->digit | rn(r, 8);
            put(e, modrm);
        } else if (mem) {
            put(e, ((reg & 7) << 3) | 5);           /* [rip + disp32] */
            e->disp_at = e->n;
            put(e, 0);
            put(e, 0);
            put(e, 0);
            put(e, 0);
        } else {
            put(e, 0xc0 | ((reg & 7) << 3) | (rm & 7));
        }
    }
    if (t->fl & T_IB) {
        put(e, rnd(r));
    } else if (t->fl & T_IMMX) {
        put(e, rn(r, 8));
    } else if (t->fl & T_IW) {
        put(e, rnd(r));
        put(e, rnd(r));
    } else if (t->fl & T_IZ) {
        uint64_t v = rnd_int(r);
        for (int i = 0; i < (osz && !rexw ? 2 : 4); i++) {
            put(e, v >> (8 * i));
        }
    } else if (t->fl & T_IV) {
        uint64_t v = rnd_int(r);
        for (int i = 0; i < (rexw ? 8 : osz ? 2 : 4); i++) {
            put(e, v >> (8 * i));
        }
    }
    if (mem) {
        unsigned sz = t->msz ? t->msz : 8, span = 768 - 32;
        unsigned off = rn(r, span);

        if (t->fl & T_ALIGN) {
            if (rn(r, 16)) {
                off &= ~(sz - 1);
            }
        } else if (rn(r, 2)) {
            off &= ~(sz - 1);
        }
        e->mem_off = off;
    }
    return true;
}

static void text_add(DTCase *c, const char *s)
{
    size_t n = 0;

    while (c->text[n]) {
        n++;
    }
    while (*s && n + 1 < sizeof(c->text)) {
        c->text[n++] = *s++;
    }
    c->text[n] = 0;
}

static void text_hex(DTCase *c, const uint8_t *b, int n)
{
    char h[4];

    for (int i = 0; i < n; i++) {
        h[0] = "0123456789abcdef"[b[i] >> 4];
        h[1] = "0123456789abcdef"[b[i] & 15];
        h[2] = 0;
        text_add(c, h);
    }
}

/* ---- the case ---- */

static void init_state(Rng *r, DTCase *c)
{
    DTState *s = &c->in;
    uint8_t *x = s->xsave;

    mset(s, 0, sizeof(*s));
    for (int i = 0; i < 16; i++) {
        s->gpr[i] = rnd_int(r);
    }
    s->gpr[4] = DT_STACK;
    s->rflags = 0x202 | (rnd(r) & F_ALL);
    if (c->cls == DT_STRING) {
        s->gpr[6] = DT_BUF + 200 + rn(r, 64);       /* rsi */
        s->gpr[7] = DT_BUF + 560 + rn(r, 64);       /* rdi */
        s->gpr[1] = rn(r, 13);                      /* rcx */
        if (rn(r, 2)) {
            s->rflags |= F_DF;
        }
    }
    /* x87: FCW (masked, some precision/rounding variety), FSW TOP and
     * condition codes, tags, registers */
    {
        static const uint16_t fcw[] = { 0x37f, 0x37f, 0x27f, 0x07f, 0x77f,
                                        0xb7f, 0xf7f, 0x37e, 0x37b, 0x372 };
        uint16_t cw = fcw[rn(r, sizeof(fcw) / sizeof(fcw[0]))];
        uint16_t sw = (rn(r, 8) << 11) | (rnd(r) & CC_ALL);
        uint8_t ftw = rn(r, 4) == 0 ? 0 : rnd(r);

        x[0] = cw;
        x[1] = cw >> 8;
        x[2] = sw;
        x[3] = sw >> 8;
        x[4] = ftw;
        for (int i = 0; i < 8; i++) {
            rnd_f80(r, x + 32 + 16 * i);
        }
    }
    /* MXCSR: rounding, DAZ/FTZ, mostly masked */
    {
        uint32_t m = 0x1f80 | (rn(r, 4) << 13);

        if (rn(r, 4) == 0) {
            m |= 1u << 6;
        }
        if (rn(r, 4) == 0) {
            m |= 1u << 15;
        }
        if (rn(r, 8) == 0) {
            /* one unmasked: IE DE ZE or PE (not OE/UE: the precision flag
             * then depends on the unbounded-exponent result, README.md) */
            static const uint8_t bit[4] = { 0, 1, 2, 5 };

            m &= ~(0x80u << bit[rn(r, 4)]);
        }
        mcpy(x + 24, &m, 4);
    }
    for (int i = 0; i < 16; i++) {
        uint64_t v[2] = { rnd_vec8(r), rnd_vec8(r) };
        uint64_t h[2] = { rnd_vec8(r), rnd_vec8(r) };

        mcpy(x + 160 + 16 * i, v, 16);
        if (c->cls >= DT_AVX) {
            mcpy(x + 576 + 16 * i, h, 16);
        }
    }
    /* XSTATE_BV: without AVX the upper halves start (and stay) zero */
    x[512] = c->cls >= DT_AVX ? 7 : 3;
    for (unsigned i = 0; i < DT_BUF_SZ; i += 8) {
        uint64_t v = rnd_vec8(r);
        mcpy(c->buf + i, &v, 8);
    }
}

void dt_gen_case(DTCase *c, uint64_t seed, uint64_t index, int cls)
{
    Rng r = { seed };
    uint64_t h = rnd(&r) ^ index;

    r.s = h;
    r.s = rnd(&r) ^ ((uint64_t)cls << 56);
    uint16_t defined = F_ALL, fdefined = CC_ALL;
    unsigned pos = 0;
    int n;

    for (int i = 0; i < 4; i++) {
        rnd(&r);
    }
    mset(c, 0, sizeof(*c) - sizeof(c->text));
    c->text[0] = 0;
    c->cls = cls;
    init_state(&r, c);
    n = 1 + rn(&r, 8);
    for (int k = 0; k < n && k < 16; k++) {
        const Tmpl *t;
        Enc e;
        int tries = 0;
        char sep[2] = { ' ', 0 };

        do {
            t = &tmpl[rn(&r, NTMPL)];
            tries++;
        } while ((t->cls != cls || (t->reads & ~defined) ||
                  (t->freads & ~fdefined) || (t->feat & ~dt_features)) &&
                 tries < 100000);
        if (tries >= 100000) {
            break;
        }
        emit(&r, t, &e);
        c->insn_off[k] = pos;
        c->def_before[k] = defined;
        c->fdef_before[k] = fdefined;
        if (e.disp_at >= 0) {
            int64_t disp = (int64_t)(DT_BUF + e.mem_off) -
                           (int64_t)(DT_CODE + pos + e.n);
            for (int i = 0; i < 4; i++) {
                e.b[e.disp_at + i] = disp >> (8 * i);
            }
        }
        mcpy(c->code + pos, e.b, e.n);
        pos += e.n;
        defined = (defined | t->writes) & ~t->undef;
        fdefined = (fdefined | t->fwrites) & ~t->fundef;
        text_add(c, t->name);
        text_add(c, "[");
        text_hex(c, e.b, e.n);
        text_add(c, "]");
        text_add(c, sep);
        c->ninsns++;
    }
    /* jmp *0(%rip); .quad dt_exit (patched by the runner) */
    c->code[pos++] = 0xff;
    c->code[pos++] = 0x25;
    pos += 4;
    pos += 8;
    c->code_len = pos;
    c->flags_defined = defined;
    c->fsw_defined = fdefined;
}

/* replace the case's instructions by hex bytes (debugging: hex=...) */
void dt_set_code(DTCase *c, const char *hex)
{
    unsigned pos = 0;

    for (; hex[0] && hex[1] && hex[0] != ' '; hex += 2) {
        int v = 0;

        for (int k = 0; k < 2; k++) {
            char ch = hex[k];

            v = v * 16 + (ch >= 'a' ? ch - 'a' + 10 : ch >= 'A' ?
                          ch - 'A' + 10 : ch - '0');
        }
        c->code[pos++] = v;
    }
    c->code[pos++] = 0xff;
    c->code[pos++] = 0x25;
    mset(c->code + pos, 0, 12);
    pos += 12;
    c->code_len = pos;
    c->flags_defined = F_ALL;
    c->fsw_defined = CC_ALL;
    c->text[0] = 0;
    text_add(c, "hex");
}

/* ---- results ---- */

void dt_normalize(DTState *s)
{
    uint8_t *x = s->xsave;
    uint8_t bv = x[512];

    if (!(bv & 1)) {                /* x87 in its initial state */
        mset(x, 0, 24);
        x[0] = 0x7f;
        x[1] = 0x03;
        mset(x + 32, 0, 128);
    }
    if (!(bv & 2)) {
        mset(x + 160, 0, 256);
    }
    if (!(bv & 4)) {
        mset(x + 576, 0, 256);
    }
    /* FOP, FIP, FDP: not compared (AMD saves them only with a pending
     * exception) */
    mset(x + 6, 0, 2);
    mset(x + 8, 0, 16);
    mset(x + 28, 0, 4);             /* MXCSR_MASK */
    x[512] = 7;
}

typedef struct { uint64_t h; } Fnv;

static void fnv(Fnv *f, const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        f->h ^= b[i];
        f->h *= 0x100000001b3ull;
    }
}

/* the flags compared: those defined before the instruction that faulted,
 * or at the end */
static void defined_at(DTCase *c, DTState *s, uint16_t *fl, uint16_t *fsw)
{
    *fl = c->flags_defined;
    *fsw = c->fsw_defined;
    if (s->vector) {
        for (int k = 0; k < c->ninsns; k++) {
            if (DT_CODE + c->insn_off[k] == s->rip) {
                *fl = c->def_before[k];
                *fsw = c->fdef_before[k];
            }
        }
    }
    *fsw |= (uint16_t)~CC_ALL;
}

uint64_t dt_digest(DTCase *c, DTState *s, const uint8_t *buf)
{
    Fnv f = { 0xcbf29ce484222325ull };
    uint64_t rip = s->vector ? s->rip - DT_CODE : 0, fl;
    uint16_t fsw, flm, fswm;

    defined_at(c, s, &flm, &fswm);
    fl = s->rflags & (flm | F_DF);
    dt_normalize(s);
    fsw = (s->xsave[2] | s->xsave[3] << 8) & fswm;
    fnv(&f, s->gpr, sizeof(s->gpr));
    fnv(&f, &fl, 8);
    fnv(&f, &s->vector, 8);
    fnv(&f, &rip, 8);
    fnv(&f, s->xsave, 2);           /* FCW */
    fnv(&f, &fsw, 2);
    fnv(&f, s->xsave + 4, 1);       /* FTW */
    fnv(&f, s->xsave + 24, 4);      /* MXCSR */
    for (int i = 0; i < 8; i++) {
        fnv(&f, s->xsave + 32 + 16 * i, 10);
    }
    fnv(&f, s->xsave + 160, 256);
    fnv(&f, s->xsave + 576, 256);
    fnv(&f, buf, DT_BUF_SZ);
    return f.h;
}

void dt_dump(DTCase *c, DTState *s, const uint8_t *buf,
             void (*pr)(const char *fmt, ...))
{
    static const char *const names[16] = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
    uint8_t *x = s->xsave;
    uint16_t flm, fswm;

    defined_at(c, s, &flm, &fswm);
    dt_normalize(s);
    pr("insns %s\n", c->text);
    pr("vector %lu rip +%lx error %lx\n", (unsigned long)s->vector,
       (unsigned long)(s->vector ? s->rip - DT_CODE : 0),
       (unsigned long)s->error);
    for (int i = 0; i < 16; i++) {
        pr("%s %016lx\n", names[i], (unsigned long)s->gpr[i]);
    }
    pr("rflags %lx (compared %x)\n",
       (unsigned long)(s->rflags & (flm | F_DF)), flm | F_DF);
    pr("fcw %04x fsw %04x (compared %04x) ftw %02x mxcsr %08x\n",
       x[0] | x[1] << 8, (x[2] | x[3] << 8) & fswm, fswm, x[4],
       x[24] | x[25] << 8 | x[26] << 16 | (uint32_t)x[27] << 24);
    for (int i = 0; i < 8; i++) {
        uint64_t m;
        uint16_t e;

        mcpy(&m, x + 32 + 16 * i, 8);
        mcpy(&e, x + 40 + 16 * i, 2);
        pr("st%d %04x %016lx\n", i, e, (unsigned long)m);
    }
    for (int i = 0; i < 16; i++) {
        uint64_t v[4];

        mcpy(v, x + 160 + 16 * i, 16);
        mcpy(v + 2, x + 576 + 16 * i, 16);
        pr("ymm%d %016lx %016lx %016lx %016lx\n", i, (unsigned long)v[3],
           (unsigned long)v[2], (unsigned long)v[1], (unsigned long)v[0]);
    }
    for (int i = 0; i < DT_BUF_SZ; i += 32) {
        uint64_t v[4];

        mcpy(v, buf + i, 32);
        pr("mem+%03x %016lx %016lx %016lx %016lx\n", i, (unsigned long)v[0],
           (unsigned long)v[1], (unsigned long)v[2], (unsigned long)v[3]);
    }
}
