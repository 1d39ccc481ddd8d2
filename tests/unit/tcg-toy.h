/*
 * A toy guest CPU for exercising accel/tcg without a real front end
 * (tests/unit/test-tcg-exec.c, tests/bench/tcg-exec-bench.c): its own
 * TCGCPUOps and TranslatorOps, and a machine with 1 MB of RAM at 0 and a
 * recording 256-byte MMIO device at 0x100000.
 *
 * ISA: 32-bit little-endian words, op[31:24] rd[23:20] rs[19:16] imm[15:0]
 * (sign-extended unless noted), 8 64-bit registers.  Addresses at and
 * above 0x80000000 map to env.window_base; at and above 0xc0000000 fault.
 */
#ifndef TESTS_UNIT_TCG_TOY_H
#define TESTS_UNIT_TCG_TOY_H

#include "turtle/osdep.h"
#include "hw/core/cpu.h"
#include "exec/memory.h"
#include "tcg/tcg.h"

enum {
    OP_LI = 0x01,     /* rd = simm */
    OP_LUI = 0x02,    /* rd = imm << 16 (zero-extended) */
    OP_ADD = 0x03,    /* rd += rs */
    OP_ADDI = 0x04,   /* rd += simm */
    OP_ORI = 0x05,    /* rd |= imm (zero-extended) */
    OP_LDW = 0x06,    /* rd = mem32[rs + simm] */
    OP_STW = 0x07,    /* mem32[rs + simm] = rd */
    OP_LDB = 0x08,
    OP_STB = 0x09,
    OP_LDH = 0x0a,
    OP_STH = 0x0b,
    OP_LDWA = 0x0c,   /* LDW requiring 4-byte alignment */
    OP_BNEZ = 0x10,   /* if (rd) pc = pc + 4 + simm * 4 */
    OP_B = 0x11,      /* pc = pc + 4 + simm * 4 */
    OP_JR = 0x12,     /* pc = rs */
    OP_HALT = 0x13,
    OP_BDEC = 0x14,   /* if (--rd) pc = pc + 4 + simm * 4 */
    OP_XADD = 0x15,   /* mem32[rs] += rd, atomically (tcg_gen_atomic_*) */
    OP_CAS = 0x16,    /* if (mem32[rs] == r0) mem32[rs] = rd; rd = success
                         (cpu_atomic_cmpxchgl_le_mmu from a helper) */
    OP_AMO = 0x17,    /* rd = tcg_gen_atomic_<imm>(mem[rs], rd): AMO_* below */
    OP_CAS16 = 0x18,  /* {r0,r1} vs mem128[rs]: if equal store {r2,r3};
                         r0,r1 = old; rd = success */
    OP_XOR = 0x19,    /* rd ^= rs */
};

/* OP_AMO's imm: the operation (TCGAtomicOp, or AMO_CMPXCHG comparing with
 * r0), op_fetch instead of fetch_op, size, MO_SIGN, the _i32 builder,
 * big-endian, MO_ALIGN */
#define AMO_CMPXCHG   9
#define AMO_NEW       (1 << 4)
#define AMO_SIZE(s)   ((s) << 5)
#define AMO_SIGN      (1 << 7)
#define AMO_I32       (1 << 8)
#define AMO_BE        (1 << 9)
#define AMO_ALIGN     (1 << 10)

#define INSN(op, rd, rs, imm) \
    (((uint32_t)(op) << 24) | ((uint32_t)(rd) << 20) | ((uint32_t)(rs) << 16) | \
     ((uint32_t)(imm) & 0xffff))

#define TOY_EXCP_ALIGN 1
#define TOY_EXCP_FAULT 2

struct CPUArchState {
    uint64_t regs[8];
    uint64_t pc;
    uint64_t window_base;   /* vaddr 0x80000000.. maps here */
    uint64_t vector;        /* exception handler */
    uint64_t epc;
    uint64_t fault_addr;
    uint64_t excp_count;
    uint64_t irq_count;     /* CPU_INTERRUPT_HARD taken (vector + 0x10) */
    int last_excp;
};

typedef struct ToyCPU {
    CPUState parent_obj;
    CPUNegativeOffsetState neg;
    CPUArchState env;
} ToyCPU;

#define TYPE_TOY_CPU "toy-cpu"

#define RAM_SIZE   (1024 * 1024)
#define MMIO_BASE  0x100000
#define CODE_BASE  0x1000

typedef struct MMIOAccess {
    hwaddr addr;
    unsigned size;
    uint64_t val;
    bool write;
} MMIOAccess;

typedef struct ToyMachine {
    MemoryRegion root, ram, mmio;
    AddressSpace as;
    ToyCPU *cpu;
    GArray *mmio_log;        /* of MMIOAccess */
} ToyMachine;

extern ToyMachine toy_machine;
extern TCGTargetInfo toy_target_info;
/* map the code buffer twice, RW and RX (set before toy_machine_init) */
extern bool toy_split_wx;

/* Build the machine and cpu 0, start TCG with a tb_size-byte code buffer. */
void toy_machine_init(size_t tb_size, bool mttcg);
CPUState *toy_cpu0(void);
CPUArchState *toy_env0(void);
void toy_load_code(hwaddr addr, const uint32_t *code, size_t n);
/* Run cpu 0 from pc until HALT (or an error); cpu_exec's last result. */
int toy_run(vaddr pc);
void toy_use_backend(TCGBackendKind kind);

#endif
