/*
 * The x86 differential tester (README.md in this directory): random
 * instruction sequences with random register, flag, x87/SSE/AVX and memory
 * state, run natively in a Linux process and under Turtle in a bare-metal
 * guest; both print the same digest of the resulting state per case.
 *
 * This header is shared by the generator (gen.c), the native harness
 * (native.c), the guest program (../difftest.c) and the run stub (run.S).
 */
#ifndef DIFFTEST_DT_H
#define DIFFTEST_DT_H

/* fixed addresses: the same in the native process and the guest */
#define DT_CODE     0x00600000ul    /* the snippet, then a jump to dt_exit */
#define DT_CODE_SZ  0x1000
#define DT_BUF      0x00700000ul    /* data the snippet reads and writes */
#define DT_BUF_SZ   1024
#define DT_STACK    (DT_BUF + 960)  /* the snippet's RSP */

/* DTState offsets (run.S) */
#define DTS_GPR     0
#define DTS_RFLAGS  128
#define DTS_RIP     136
#define DTS_VECTOR  144
#define DTS_ERROR   152
#define DTS_XSAVE   192
#define DTS_SIZE    (192 + 1024)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct DTState {
    uint64_t gpr[16];       /* rax rcx rdx rbx rsp rbp rsi rdi r8-r15 */
    uint64_t rflags;
    uint64_t rip;           /* out: where the snippet stopped */
    uint64_t vector;        /* out: 0, or exception vector + 1 */
    uint64_t error;         /* out: its error code */
    uint64_t pad[4];
    /* XSAVE standard format, x87 | SSE | AVX (XCR0 bits 0-2) */
    uint8_t xsave[1024] __attribute__((aligned(64)));
} DTState;

typedef struct DTCase {
    int cls;                /* DTClass */
    int ninsns;
    unsigned code_len;
    uint8_t code[DT_CODE_SZ - 16];
    DTState in;
    uint8_t buf[DT_BUF_SZ];
    uint16_t flags_defined; /* arithmetic flags compared at the end */
    uint16_t fsw_defined;   /* x87 condition codes compared */
    /* each instruction's offset and the flags defined before it (an
     * exception there compares those) */
    uint16_t insn_off[16], def_before[16], fdef_before[16];
    char text[2048];        /* the instructions, for reports */
} DTCase;

enum {
    DT_INT, DT_STRING, DT_X87, DT_SSE_FP, DT_SSE_INT, DT_SSE_CVT, DT_MMX,
    DT_SSE4, DT_AVX, DT_AVX2, DT_FMA, DT_NCLASSES
};
extern const char *const dt_class_names[DT_NCLASSES];

/* CPU features templates may need; dt_features: what both sides have */
enum {
    DTF_SSE3 = 1 << 0, DTF_SSSE3 = 1 << 1, DTF_SSE41 = 1 << 2,
    DTF_SSE42 = 1 << 3, DTF_POPCNT = 1 << 4, DTF_AES = 1 << 5,
    DTF_PCLMUL = 1 << 6, DTF_AVX = 1 << 7, DTF_AVX2 = 1 << 8,
    DTF_FMA = 1 << 9, DTF_F16C = 1 << 10, DTF_BMI1 = 1 << 11,
    DTF_BMI2 = 1 << 12, DTF_ADX = 1 << 13, DTF_MOVBE = 1 << 14,
    DTF_LZCNT = 1 << 15,
};
extern uint32_t dt_features;
uint32_t dt_cpu_features(void);

/* build case `index` of the run `seed` in class cls */
void dt_gen_case(DTCase *c, uint64_t seed, uint64_t index, int cls);
/* state after the run -> a digest (normalizes XSAVE's init components) */
uint64_t dt_digest(DTCase *c, DTState *out, const uint8_t *buf);
/* one line per register for reports, through the caller's printf */
void dt_dump(DTCase *c, DTState *s, const uint8_t *buf,
             void (*pr)(const char *fmt, ...));
void dt_normalize(DTState *s);
void dt_set_code(DTCase *c, const char *hex);

/* run.S: run the snippet at DT_CODE with `in`, leave the state in `out`;
 * returns out->vector (0: it reached the end) */
uint64_t dt_run(DTState *in, DTState *out);
extern char dt_exit[];
extern DTState *dt_out;
/* the guest's exception entry (64-bit IDT gate, any vector) */
extern char dt_trap_stubs[];
void dt_trap_resume(void);
#endif

#endif
