/*
 * TCI bytecode: a stream of 32-bit words.  Word 0 of an instruction is
 * opcode | a << 8 | b << 16 | c << 24 (a, b, c: register numbers or small
 * fields); some instructions carry further words (immediates, offsets,
 * branch displacements relative to the instruction's first word).
 */
#ifndef TCG_TCI_H
#define TCG_TCI_H

#define TCI_NB_REGS   16
#define TCI_REG_ENV   14
#define TCI_REG_SP    15
#define TCI_FRAME_SIZE 32768         /* spill slots, bytes */

#define TCI_OPCODES(X) \
    X(nop) X(exit) X(movi32) X(movi64) X(mov) \
    X(ld8u) X(ld8s) X(ld16u) X(ld16s) X(ld32u) X(ld32s) X(ld64) \
    X(st8) X(st16) X(st32) X(st64) \
    X(add) X(sub) X(mul) X(and) X(or) X(xor) X(andc) X(neg) X(not) \
    X(addi) X(andi) X(ori) X(xori) X(muli) \
    X(shli32) X(shri32) X(sari32) X(shli64) X(shri64) X(sari64) \
    X(brcondi32) X(brcondi64) X(setcondi32) X(setcondi64) \
    X(shl32) X(shr32) X(sar32) X(rotl32) X(rotr32) \
    X(shl64) X(shr64) X(sar64) X(rotl64) X(rotr64) \
    X(div32) X(divu32) X(rem32) X(remu32) \
    X(div64) X(divu64) X(rem64) X(remu64) \
    X(clz32) X(ctz32) X(ctpop32) X(clz64) X(ctz64) X(ctpop64) \
    X(ext8s) X(ext8u) X(ext16s) X(ext16u) X(ext32s) X(ext32u) \
    X(bswap16) X(bswap32) X(bswap64) \
    X(mulu2_32) X(muls2_32) X(mulu2_64) X(muls2_64) \
    X(setcond32) X(setcond64) X(negsetcond32) X(negsetcond64) \
    X(movcond32) X(movcond64) X(brcond32) X(brcond64) X(br) \
    X(call) X(exit_tb) X(goto_tb) X(goto_ptr) \
    X(qemu_ld) X(qemu_st) X(mb)

typedef enum TCIOpcode {
#define X(n) TCI_##n,
    TCI_OPCODES(X)
#undef X
    TCI_NB_OPS
} TCIOpcode;

uintptr_t tci_exec(CPUArchState *env, const void *code);
void tci_disas(FILE *f, const void *code, size_t size);

#endif /* TCG_TCI_H */
