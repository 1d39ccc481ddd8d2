/*
 * x86 instruction decoding: prefixes, the opcode maps of the SDM (Vol. 2
 * Appendix A: one-byte Table A-2, two-byte 0F Table A-3, three-byte 0F38
 * Table A-4 and 0F3A Table A-5, the VEX maps, the group tables A-6 and
 * the x87 maps A-7..A-22) written with the SDM's operand codes, then
 * ModRM/SIB/displacement and immediates.
 *
 * A table entry names its gen_ function and its operands (kind + size,
 * e.g. Ev = ModRM r/m of operand size, Gb = ModRM reg byte, Iz = immediate
 * of operand size at most 32 bits).  Entries with a group table choose a
 * sub-entry by ModRM.reg, mod, rm, the mandatory prefix, W, VEX.L or the
 * operand/address size; a sub-entry without operands takes its parent's
 * (so Group 1 is one table for 80, 81, 82 and 83), and flags accumulate.
 * An entry without gen_ function is an invalid encoding: #UD.
 *
 * The SSE/AVX parts of the 0F, 0F38 and 0F3A maps are in decode-sse.c.
 */
#include "turtle/osdep.h"
#include "target/i386/translate.h"
#include "target/i386/decode-common.h"

/* ---- Group tables (SDM Vol. 2 Table A-6) ---- */

/* Group 1: 80 (Eb,Ib), 81 (Ev,Iz), 82 (Eb,Ib; not in 64-bit), 83 (Ev,Ib) */
static const X86OpEntry grp1[8] = {
    X(ADD, X86_LOCK), X(OR, X86_LOCK), X(ADC, X86_LOCK), X(SBB, X86_LOCK),
    X(AND, X86_LOCK), X(SUB, X86_LOCK), X(XOR, X86_LOCK), X(CMP, X86_R0),
};

/* Group 1A: 8F /0 POP Ev */
static const X86OpEntry grp1a[8] = {
    X(POP_Ev, X86_W0 | X86_D64 | X86_NOWB),
};

/* Group 2: shifts and rotates by 1, CL or Ib */
static const X86OpEntry grp2[8] = {
    X(ROL, 0), X(ROR, 0), X(RCL, 0), X(RCR, 0),
    X(SHL, 0), X(SHR, 0), X(SHL, 0) /* SAL, /6 */, X(SAR, 0),
};

/* Group 3: F6 (Eb), F7 (Ev) */
static const X86OpEntry grp3_b[8] = {
    X(TEST, X86_R0, Eb, Ib), X(TEST, X86_R0, Eb, Ib),
    X(NOT, X86_LOCK, Eb), X(NEG, X86_LOCK, Eb),
    X(MUL, X86_R0, Eb), X(IMUL1, X86_R0, Eb),
    X(DIV, X86_R0, Eb), X(IDIV, X86_R0, Eb),
};
static const X86OpEntry grp3_v[8] = {
    X(TEST, X86_R0, Ev, Iz), X(TEST, X86_R0, Ev, Iz),
    X(NOT, X86_LOCK, Ev), X(NEG, X86_LOCK, Ev),
    X(MUL, X86_R0, Ev), X(IMUL1, X86_R0, Ev),
    X(DIV, X86_R0, Ev), X(IDIV, X86_R0, Ev),
};

/* Group 4: FE */
static const X86OpEntry grp4[8] = {
    X(INC, X86_LOCK, Eb), X(DEC, X86_LOCK, Eb),
};

/* Group 5: FF */
static const X86OpEntry grp5[8] = {
    X(INC, X86_LOCK, Ev), X(DEC, X86_LOCK, Ev),
    X(CALL_Ev, X86_R0 | X86_F64, Ev), X(CALLF_Ep, X86_NOWB, Mp),
    X(JMP_Ev, X86_R0 | X86_F64, Ev), X(JMPF_Ep, X86_NOWB, Mp),
    X(PUSH, X86_R0 | X86_D64, Ev),
};

/* Group 6: 0F 00 */
static const X86OpEntry grp6[8] = {
    X(SLDT, X86_W0, Ew), X(STR, X86_W0, Ew), X(LLDT, X86_R0, Ew),
    X(LTR, X86_R0, Ew), X(VERR, X86_R0, Ew), X(VERW, X86_R0, Ew),
};

/* Group 7: 0F 01, register forms by ModRM.reg then rm */
static const X86OpEntry grp7_reg1[8] = {       /* 0F 01 C8-CF */
    XF(MONITOR, X86_FEAT_MONITOR, 0), XF(MWAIT, X86_FEAT_MONITOR, 0),
    XF(CLAC, X86_FEAT_SMAP, 0), XF(STAC, X86_FEAT_SMAP, 0),
};
static const X86OpEntry grp7_reg2[8] = {       /* 0F 01 D0-D7 */
    XF(XGETBV, X86_FEAT_XSAVE, 0), XF(XSETBV, X86_FEAT_XSAVE, 0),
};
static const X86OpEntry grp7_reg5[8] = {       /* 0F 01 E8-EF */
    [6] = XF(RDPKRU, X86_FEAT_PKU, 0), [7] = XF(WRPKRU, X86_FEAT_PKU, 0),
};
static const X86OpEntry grp7_reg7[8] = {       /* 0F 01 F8-FF */
    X(SWAPGS, X86_O64), XF(RDTSCP, X86_FEAT_RDTSCP, 0),
};
static const X86OpEntry grp7_regs[8] = {
    [1] = G(RM, grp7_reg1), [2] = G(RM, grp7_reg2),
    [4] = X(SMSW, X86_W0, Rv),
    [5] = G(RM, grp7_reg5), [6] = X(LMSW, X86_R0, Ew),
    [7] = G(RM, grp7_reg7),
};
static const X86OpEntry grp7_mem[8] = {
    X(SGDT, X86_NOWB, Ms), X(SIDT, X86_NOWB, Ms), X(LGDT, X86_NOWB, Ms),
    X(LIDT, X86_NOWB, Ms), X(SMSW, X86_W0, Ew), {0},
    X(LMSW, X86_R0, Ew), X(INVLPG, X86_NOWB, Mb),
};
static const X86OpEntry grp7_mod[2] = { G(REG, grp7_mem), G(REG, grp7_regs) };

/* Group 8: 0F BA, BT/BTS/BTR/BTC Ev,Ib */
static const X86OpEntry grp8[8] = {
    [4] = X(BT, X86_NOWB), [5] = X(BTS, X86_LOCK | X86_NOWB),
    [6] = X(BTR, X86_LOCK | X86_NOWB), [7] = X(BTC, X86_LOCK | X86_NOWB),
};

/* Group 9: 0F C7 */
static const X86OpEntry grp9_cx[2] = {
    XF(CMPXCHG8B, X86_FEAT_CX8, X86_NOWB | X86_LOCK, Mq),
    XF(CMPXCHG16B, X86_FEAT_CX16, X86_NOWB | X86_LOCK, Mdq),
};
static const X86OpEntry grp9_mem[8] = {
    [1] = G(W, grp9_cx),
};
static const X86OpEntry grp9_rdpid[2] = {
    XF(RDSEED, X86_FEAT_RDSEED, X86_W0, Rv),
    XF(RDPID, X86_FEAT_RDPID, X86_W0 | X86_F64, Rv),
};
static const X86OpEntry grp9_reg[8] = {
    [6] = XF(RDRAND, X86_FEAT_RDRAND, X86_W0, Rv),
    [7] = G(REPZ, grp9_rdpid),
};
static const X86OpEntry grp9[2] = { G(REG, grp9_mem), G(REG, grp9_reg) };

/* Group 11: C6 /0 MOV Eb,Ib; C7 /0 MOV Ev,Iz */
static const X86OpEntry grp11[8] = {
    X(MOV, X86_W0),
};

/* Group 15: 0F AE */
static const X86OpEntry grp15_fsgs[8] = {
    X(RDFSBASE, X86_W0 | X86_O64, Ry), X(RDGSBASE, X86_W0 | X86_O64, Ry),
    X(WRFSBASE, X86_R0 | X86_O64, Ry), X(WRGSBASE, X86_R0 | X86_O64, Ry),
};
static const X86OpEntry grp15_reg_nopfx[8] = {
    [5] = X(LFENCE, 0), [6] = X(MFENCE, 0), [7] = X(SFENCE, 0),
};
static const X86OpEntry grp15_reg[4] = {
    G(REG, grp15_reg_nopfx), {0}, G(REG, grp15_fsgs), {0},
};
static const X86OpEntry grp15_mem_nopfx[8] = {
    XF(FXSAVE, X86_FEAT_FXSR, X86_NOWB, Mmem),
    XF(FXRSTOR, X86_FEAT_FXSR, X86_NOWB, Mmem),
    XF(LDMXCSR, X86_FEAT_SSE, X86_NOWB | X86_NOVEX, Md),
    XF(STMXCSR, X86_FEAT_SSE, X86_NOWB | X86_NOVEX, Md),
    XF(XSAVE, X86_FEAT_XSAVE, X86_NOWB, Mmem),
    XF(XRSTOR, X86_FEAT_XSAVE, X86_NOWB, Mmem),
    XF(XSAVEOPT, X86_FEAT_XSAVEOPT, X86_NOWB, Mmem),
    XF(CLFLUSH, X86_FEAT_CLFLUSH, X86_NOWB, Mb),
};
static const X86OpEntry grp15_mem_66[8] = {
    [6] = XF(CLWB, X86_FEAT_CLWB, X86_NOWB, Mb),
    [7] = XF(CLFLUSHOPT, X86_FEAT_CLFLUSHOPT, X86_NOWB, Mb),
};
static const X86OpEntry grp15_mem[4] = {
    G(REG, grp15_mem_nopfx), G(REG, grp15_mem_66),
};
static const X86OpEntry grp15[2] = { G(PFX, grp15_mem), G(PFX, grp15_reg) };

/* Group 16: 0F 18, PREFETCH hints (reg 4-7 are NOP too: reserved NOP) */
static const X86OpEntry grp16[2] = {
    X(NOP_Ev, X86_NOWB, Mb), X(NOP_Ev, X86_NOWB, Eb),
};

/* ---- one-byte opcode map (Table A-2) ---- */

static const X86OpEntry one_90[2] = {          /* 90: NOP, F3 90 PAUSE */
    X(NOP, 0), X(PAUSE, 0),
};

static const X86OpEntry opsz_98[3] = {
    X(CBW, 0), X(CWDE, 0), X(CDQE, 0),
};
static const X86OpEntry opsz_99[3] = {
    X(CWD, 0), X(CDQ, 0), X(CQO, 0),
};

static const X86OpEntry x63[2] = {             /* 63: ARPL / MOVSXD */
    X(ARPL, X86_I64, Ew, Gw), X(MOVSXD, X86_O64 | X86_W0, Gv, Ed),
};

const X86OpEntry x86_map_one[256] = {
    [0x00] = X(ADD, X86_LOCK, Eb, Gb),
    [0x01] = X(ADD, X86_LOCK, Ev, Gv),
    [0x02] = X(ADD, 0, Gb, Eb),
    [0x03] = X(ADD, 0, Gv, Ev),
    [0x04] = X(ADD, 0, AL, Ib),
    [0x05] = X(ADD, 0, rAX, Iz),
    [0x06] = X(PUSH_SEG, X86_R0 | X86_I64, ES),
    [0x07] = X(POP_SEG, X86_NOWB | X86_I64, ES),
    [0x08] = X(OR, X86_LOCK, Eb, Gb),
    [0x09] = X(OR, X86_LOCK, Ev, Gv),
    [0x0a] = X(OR, 0, Gb, Eb),
    [0x0b] = X(OR, 0, Gv, Ev),
    [0x0c] = X(OR, 0, AL, Ib),
    [0x0d] = X(OR, 0, rAX, Iz),
    [0x0e] = X(PUSH_SEG, X86_R0 | X86_I64, CS),
    [0x10] = X(ADC, X86_LOCK, Eb, Gb),
    [0x11] = X(ADC, X86_LOCK, Ev, Gv),
    [0x12] = X(ADC, 0, Gb, Eb),
    [0x13] = X(ADC, 0, Gv, Ev),
    [0x14] = X(ADC, 0, AL, Ib),
    [0x15] = X(ADC, 0, rAX, Iz),
    [0x16] = X(PUSH_SEG, X86_R0 | X86_I64, SS),
    [0x17] = X(POP_SEG, X86_NOWB | X86_I64, SS),
    [0x18] = X(SBB, X86_LOCK, Eb, Gb),
    [0x19] = X(SBB, X86_LOCK, Ev, Gv),
    [0x1a] = X(SBB, 0, Gb, Eb),
    [0x1b] = X(SBB, 0, Gv, Ev),
    [0x1c] = X(SBB, 0, AL, Ib),
    [0x1d] = X(SBB, 0, rAX, Iz),
    [0x1e] = X(PUSH_SEG, X86_R0 | X86_I64, DS),
    [0x1f] = X(POP_SEG, X86_NOWB | X86_I64, DS),
    [0x20] = X(AND, X86_LOCK, Eb, Gb),
    [0x21] = X(AND, X86_LOCK, Ev, Gv),
    [0x22] = X(AND, 0, Gb, Eb),
    [0x23] = X(AND, 0, Gv, Ev),
    [0x24] = X(AND, 0, AL, Ib),
    [0x25] = X(AND, 0, rAX, Iz),
    [0x27] = X(DAA, X86_I64),
    [0x28] = X(SUB, X86_LOCK, Eb, Gb),
    [0x29] = X(SUB, X86_LOCK, Ev, Gv),
    [0x2a] = X(SUB, 0, Gb, Eb),
    [0x2b] = X(SUB, 0, Gv, Ev),
    [0x2c] = X(SUB, 0, AL, Ib),
    [0x2d] = X(SUB, 0, rAX, Iz),
    [0x2f] = X(DAS, X86_I64),
    [0x30] = X(XOR, X86_LOCK, Eb, Gb),
    [0x31] = X(XOR, X86_LOCK, Ev, Gv),
    [0x32] = X(XOR, 0, Gb, Eb),
    [0x33] = X(XOR, 0, Gv, Ev),
    [0x34] = X(XOR, 0, AL, Ib),
    [0x35] = X(XOR, 0, rAX, Iz),
    [0x37] = X(AAA, X86_I64),
    [0x38] = X(CMP, X86_R0, Eb, Gb),
    [0x39] = X(CMP, X86_R0, Ev, Gv),
    [0x3a] = X(CMP, X86_R0, Gb, Eb),
    [0x3b] = X(CMP, X86_R0, Gv, Ev),
    [0x3c] = X(CMP, X86_R0, AL, Ib),
    [0x3d] = X(CMP, X86_R0, rAX, Iz),
    [0x3f] = X(AAS, X86_I64),
    [0x40 ... 0x47] = X(INC, X86_I64, Zv),
    [0x48 ... 0x4f] = X(DEC, X86_I64, Zv),
    [0x50 ... 0x57] = X(PUSH, X86_R0 | X86_D64, Zv),
    [0x58 ... 0x5f] = X(POP, X86_W0 | X86_D64, Zv),
    [0x60] = X(PUSHA, X86_I64),
    [0x61] = X(POPA, X86_I64),
    [0x62] = X(BOUND, X86_I64 | X86_R0 | X86_NOREAD1, Gv, Ma),
    [0x63] = G(CODE64, x63),
    [0x68] = X(PUSH, X86_R0 | X86_D64, Iz),
    [0x69] = X(IMUL3, X86_W0, Gv, Ev, Iz),
    [0x6a] = X(PUSH, X86_R0 | X86_D64, Ib),
    [0x6b] = X(IMUL3, X86_W0, Gv, Ev, Ib),
    [0x6c] = X(INS, X86_REP | X86_NOWB, Yb),
    [0x6d] = X(INS, X86_REP | X86_NOWB, Yz),
    [0x6e] = X(OUTS, X86_REP | X86_NOWB, Xb),
    [0x6f] = X(OUTS, X86_REP | X86_NOWB, Xz),
    [0x70 ... 0x7f] = X(Jcc, X86_F64, Jb),
    [0x80] = GO(REG, grp1, Eb, Ib),
    [0x81] = GO(REG, grp1, Ev, Iz),
    [0x82] = GOF(REG, grp1, X86_I64, Eb, Ib),
    [0x83] = GO(REG, grp1, Ev, Ib),
    [0x84] = X(TEST, X86_R0, Eb, Gb),
    [0x85] = X(TEST, X86_R0, Ev, Gv),
    [0x86] = X(XCHG, X86_NOWB | X86_LOCK | X86_LOCK_IMPLIED, Eb, Gb),
    [0x87] = X(XCHG, X86_NOWB | X86_LOCK | X86_LOCK_IMPLIED, Ev, Gv),
    [0x88] = X(MOV, X86_W0, Eb, Gb),
    [0x89] = X(MOV, X86_W0, Ev, Gv),
    [0x8a] = X(MOV, X86_W0, Gb, Eb),
    [0x8b] = X(MOV, X86_W0, Gv, Ev),
    [0x8c] = X(MOV_from_seg, X86_W0, Ev, Sw),
    [0x8d] = X(LEA, X86_W0 | X86_NOREAD1, Gv, Mmem),
    [0x8e] = X(MOV_to_seg, X86_NOWB, Sw, Ew),
    [0x8f] = GO(REG, grp1a, Ev),
    [0x90] = G(REPZ, one_90),
    [0x91 ... 0x97] = X(XCHG, X86_NOWB, Zv, rAX),
    [0x98] = G(OSZ, opsz_98),
    [0x99] = G(OSZ, opsz_99),
    [0x9a] = X(CALLF, X86_I64 | X86_NOWB, Ap),
    [0x9b] = X(FWAIT, 0),
    [0x9c] = X(PUSHF, X86_D64),
    [0x9d] = X(POPF, X86_D64),
    [0x9e] = X(SAHF, 0),
    [0x9f] = X(LAHF, 0),
    [0xa0] = X(MOV, X86_W0, AL, Ob),
    [0xa1] = X(MOV, X86_W0, rAX, Ov),
    [0xa2] = X(MOV, X86_W0, Ob, AL),
    [0xa3] = X(MOV, X86_W0, Ov, rAX),
    [0xa4] = X(MOVS, X86_REP | X86_NOWB, Yb, Xb),
    [0xa5] = X(MOVS, X86_REP | X86_NOWB, Yv, Xv),
    [0xa6] = X(CMPS, X86_REP | X86_NOWB, Xb, Yb),
    [0xa7] = X(CMPS, X86_REP | X86_NOWB, Xv, Yv),
    [0xa8] = X(TEST, X86_R0, AL, Ib),
    [0xa9] = X(TEST, X86_R0, rAX, Iz),
    [0xaa] = X(STOS, X86_REP | X86_NOWB, Yb, AL),
    [0xab] = X(STOS, X86_REP | X86_NOWB, Yv, rAX),
    [0xac] = X(LODS, X86_REP | X86_NOWB, AL, Xb),
    [0xad] = X(LODS, X86_REP | X86_NOWB, rAX, Xv),
    [0xae] = X(SCAS, X86_REP | X86_NOWB, AL, Yb),
    [0xaf] = X(SCAS, X86_REP | X86_NOWB, rAX, Yv),
    [0xb0 ... 0xb7] = X(MOV, X86_W0, Zb, Ib),
    [0xb8 ... 0xbf] = X(MOV, X86_W0, Zv, Iv),
    [0xc0] = GO(REG, grp2, Eb, Ib),
    [0xc1] = GO(REG, grp2, Ev, Ib),
    [0xc2] = X(RET, X86_R0 | X86_F64, Iw),
    [0xc3] = X(RET, X86_F64),
    [0xc4] = X(LES, X86_I64 | X86_NOWB, Gz, Mp),
    [0xc5] = X(LDS, X86_I64 | X86_NOWB, Gz, Mp),
    [0xc6] = GO(REG, grp11, Eb, Ib),
    [0xc7] = GO(REG, grp11, Ev, Iz),
    [0xc8] = X(ENTER, X86_R0 | X86_D64, Iw, Ib),
    [0xc9] = X(LEAVE, X86_D64),
    [0xca] = X(RETF, X86_R0, Iw),
    [0xcb] = X(RETF, 0),
    [0xcc] = X(INT3, 0),
    [0xcd] = X(INT, 0, Ib),
    [0xce] = X(INTO, X86_I64),
    [0xcf] = X(IRET, 0),
    [0xd0] = GO(REG, grp2, Eb, One),
    [0xd1] = GO(REG, grp2, Ev, One),
    [0xd2] = GO(REG, grp2, Eb, CL),
    [0xd3] = GO(REG, grp2, Ev, CL),
    [0xd4] = X(AAM, X86_I64, Ib),
    [0xd5] = X(AAD, X86_I64, Ib),
    [0xd6] = X(SALC, X86_I64),
    [0xd7] = X(XLAT, 0),
    [0xe0] = X(LOOPNE, X86_F64, Jb),
    [0xe1] = X(LOOPE, X86_F64, Jb),
    [0xe2] = X(LOOP, X86_F64, Jb),
    [0xe3] = X(JCXZ, X86_F64, Jb),
    [0xe4] = X(IN, X86_W0, AL, Ib),
    [0xe5] = X(IN, X86_W0, eAX, Ib),
    [0xe6] = X(OUT, X86_R0, Ib, AL),
    [0xe7] = X(OUT, X86_R0, Ib, eAX),
    [0xe8] = X(CALL, X86_F64, Jz),
    [0xe9] = X(JMP, X86_F64, Jz),
    [0xea] = X(JMPF, X86_I64 | X86_NOWB, Ap),
    [0xeb] = X(JMP, X86_F64, Jb),
    [0xec] = X(IN, X86_W0, AL, DX),
    [0xed] = X(IN, X86_W0, eAX, DX),
    [0xee] = X(OUT, X86_R0, DX, AL),
    [0xef] = X(OUT, X86_R0, DX, eAX),
    [0xf1] = X(INT1, 0),
    [0xf4] = X(HLT, X86_PRIV),
    [0xf5] = X(CMC, 0),
    [0xf6] = G(REG, grp3_b),
    [0xf7] = G(REG, grp3_v),
    [0xf8] = X(CLC, 0),
    [0xf9] = X(STC, 0),
    [0xfa] = X(CLI, 0),
    [0xfb] = X(STI, 0),
    [0xfc] = X(CLD, 0),
    [0xfd] = X(STD, 0),
    [0xfe] = G(REG, grp4),
    [0xff] = G(REG, grp5),
};

/* ---- two-byte opcode map 0F (Table A-3), integer and system part ---- */

/* F3 selects, 66 stays the operand size.  TZCNT and LZCNT run as BSF
 * and BSR on CPUs without BMI1/ABM (the F3 prefix is then ignored). */
static const X86OpEntry x0fb8[2] = {           /* 0F B8: F3 POPCNT */
    {0}, XF(POPCNT, X86_FEAT_POPCNT, X86_W0, Gv, Ev),
};
static const X86OpEntry x0fbc[2] = {
    X(BSF, 0, Gv, Ev), X(TZCNT, X86_W0, Gv, Ev),
};
static const X86OpEntry x0fbd[2] = {
    X(BSR, 0, Gv, Ev), X(LZCNT, X86_W0, Gv, Ev),
};

const X86OpEntry x86_map_0f_int[256] = {
    [0x00] = G(REG, grp6),
    [0x01] = G(MOD, grp7_mod),
    [0x02] = X(LAR, 0, Gv, Ew),
    [0x03] = X(LSL, 0, Gv, Ew),
    [0x05] = XF(SYSCALL, X86_FEAT_SYSCALL, 0),
    [0x06] = X(CLTS, X86_PRIV),
    [0x07] = XF(SYSRET, X86_FEAT_SYSCALL, X86_PRIV),
    [0x08] = X(INVD, X86_PRIV),
    [0x09] = X(WBINVD, X86_PRIV),
    [0x0b] = X(UD, 0),
    [0x0d] = X(NOP_Ev, X86_NOWB, Mb),      /* PREFETCH/PREFETCHW */
    [0x18] = G(MOD, grp16),
    [0x19 ... 0x1f] = X(NOP_Ev, X86_NOWB, Ev),
    [0x20] = X(MOV_from_cr, X86_W0 | X86_F64 | X86_PRIV, Rany, Cd),
    [0x21] = X(MOV_from_dr, X86_W0 | X86_F64 | X86_PRIV, Rany, Dd),
    [0x22] = X(MOV_to_cr, X86_NOWB | X86_F64 | X86_PRIV, Cd, Rany),
    [0x23] = X(MOV_to_dr, X86_NOWB | X86_F64 | X86_PRIV, Dd, Rany),
    [0x30] = XF(WRMSR, X86_FEAT_MSR, X86_PRIV),
    [0x31] = XF(RDTSC, X86_FEAT_TSC, 0),
    [0x32] = XF(RDMSR, X86_FEAT_MSR, X86_PRIV),
    [0x33] = X(RDPMC, 0),
    [0x34] = XF(SYSENTER, X86_FEAT_SEP, 0),
    [0x35] = XF(SYSEXIT, X86_FEAT_SEP, X86_PRIV),
    [0x40 ... 0x4f] = XF(CMOVcc, X86_FEAT_CMOV, 0, Gv, Ev),
    [0x80 ... 0x8f] = X(Jcc, X86_F64, Jz),
    [0x90 ... 0x9f] = X(SETcc, X86_W0, Eb),
    [0xa0] = X(PUSH_SEG, X86_R0 | X86_D64, FS),
    [0xa1] = X(POP_SEG, X86_NOWB | X86_D64, FS),
    [0xa2] = X(CPUID, 0),
    [0xa3] = X(BT, X86_NOWB, Ev, Gv),
    [0xa4] = X(SHLD, 0, Ev, Gv, Ib),
    [0xa5] = X(SHLD, 0, Ev, Gv, CL),
    [0xa8] = X(PUSH_SEG, X86_R0 | X86_D64, GS),
    [0xa9] = X(POP_SEG, X86_NOWB | X86_D64, GS),
    [0xaa] = X(RSM, 0),
    [0xab] = X(BTS, X86_LOCK | X86_NOWB, Ev, Gv),
    [0xac] = X(SHRD, 0, Ev, Gv, Ib),
    [0xad] = X(SHRD, 0, Ev, Gv, CL),
    [0xae] = G(MOD, grp15),
    [0xaf] = X(IMUL, 0, Gv, Ev),
    [0xb0] = X(CMPXCHG, X86_LOCK | X86_NOWB, Eb, Gb),
    [0xb1] = X(CMPXCHG, X86_LOCK | X86_NOWB, Ev, Gv),
    [0xb2] = X(LSS, X86_NOWB, Gv, Mp),
    [0xb3] = X(BTR, X86_LOCK | X86_NOWB, Ev, Gv),
    [0xb4] = X(LFS, X86_NOWB, Gv, Mp),
    [0xb5] = X(LGS, X86_NOWB, Gv, Mp),
    [0xb6] = X(MOVZX, X86_W0, Gv, Eb),
    [0xb7] = X(MOVZX, X86_W0, Gv, Ew),
    [0xb8] = G(REPZ, x0fb8),
    [0xb9] = X(UD, 0, Gv, Ev),                 /* UD1 */
    [0xba] = GO(REG, grp8, Ev, Ib),
    [0xbb] = X(BTC, X86_LOCK | X86_NOWB, Ev, Gv),
    [0xbc] = G(REPZ, x0fbc),
    [0xbd] = G(REPZ, x0fbd),
    [0xbe] = X(MOVSX, X86_W0, Gv, Eb),
    [0xbf] = X(MOVSX, X86_W0, Gv, Ew),
    [0xc0] = X(XADD, X86_LOCK | X86_NOWB, Eb, Gb),
    [0xc1] = X(XADD, X86_LOCK | X86_NOWB, Ev, Gv),
    [0xc7] = G(MOD, grp9),
    [0xc8 ... 0xcf] = X(BSWAP, 0, Zy),
    [0xff] = X(UD, 0, Gv, Ev),                 /* UD0 */
};

/* ---- 0F38 / 0F3A integer instructions (Tables) ---- */

/* F2 selects CRC32, 66 stays the operand size */
static const X86OpEntry x0f38_f0[2] = {
    XF(MOVBE, X86_FEAT_MOVBE, X86_NOWB, Gv, Mv),
    XF(CRC32, X86_FEAT_SSE42, 0, Gy, Eb),
};
static const X86OpEntry x0f38_f1[2] = {
    XF(MOVBE, X86_FEAT_MOVBE, X86_NOWB, Mv, Gv),
    XF(CRC32, X86_FEAT_SSE42, 0, Gy, Ev),
};
static const X86OpEntry x0f38_f6[4] = {
    {0}, XF(ADCX, X86_FEAT_ADX, 0, Gy, Ey), XF(ADOX, X86_FEAT_ADX, 0, Gy, Ey),
    {0},
};

const X86OpEntry x86_map_0f38_int[256] = {
    [0xf0] = G(REPNZ, x0f38_f0),
    [0xf1] = G(REPNZ, x0f38_f1),
    [0xf6] = G(PFX, x0f38_f6),
};

/* VEX-encoded BMI1/BMI2 (VEX.0F38 F2-F7, VEX.0F3A F0) */
static const X86OpEntry vex_f3_grp17[8] = {
    [1] = XF(BLSR, X86_FEAT_BMI1, 0), [2] = XF(BLSMSK, X86_FEAT_BMI1, 0),
    [3] = XF(BLSI, X86_FEAT_BMI1, 0),
};
static const X86OpEntry vex_f5[4] = {
    XF(BZHI, X86_FEAT_BMI2, 0, Gy, Ey, By), {0},
    XF(PEXT, X86_FEAT_BMI2, 0, Gy, By, Ey),
    XF(PDEP, X86_FEAT_BMI2, 0, Gy, By, Ey),
};
static const X86OpEntry vex_f6[4] = {
    [3] = XF(MULX, X86_FEAT_BMI2, X86_NOWB, Gy, By, Ey),
};
static const X86OpEntry vex_f7[4] = {
    XF(BEXTR, X86_FEAT_BMI1, 0, Gy, Ey, By),
    XF(SHLX, X86_FEAT_BMI2, 0, Gy, Ey, By),
    XF(SARX, X86_FEAT_BMI2, 0, Gy, Ey, By),
    XF(SHRX, X86_FEAT_BMI2, 0, Gy, Ey, By),
};
static const X86OpEntry vex_f2[4] = {
    XF(ANDN, X86_FEAT_BMI1, 0, Gy, By, Ey),
};
static const X86OpEntry vex_f3[4] = {
    GO(REG, vex_f3_grp17, By, Ey),
};

const X86OpEntry x86_vex_0f38_int[256] = {
    [0xf2] = GF(PFX, vex_f2, X86_VEX_L0 | X86_W0),
    [0xf3] = GF(PFX, vex_f3, X86_VEX_L0 | X86_W0),
    [0xf5] = GF(PFX, vex_f5, X86_VEX_L0 | X86_W0),
    [0xf6] = GF(PFX, vex_f6, X86_VEX_L0),
    [0xf7] = GF(PFX, vex_f7, X86_VEX_L0 | X86_W0),
};

static const X86OpEntry vex3a_f0[4] = {
    [3] = XF(RORX, X86_FEAT_BMI2, X86_W0, Gy, Ey, Ib),
};

const X86OpEntry x86_vex_0f3a_int[256] = {
    [0xf0] = GF(PFX, vex3a_f0, X86_VEX_L0),
};

/* ---- the decoder ---- */

/* SSE/AVX maps (decode-sse.c) and the x87 maps (decode-fpu.c) */
extern const X86OpEntry x86_map_0f_sse[256], x86_map_0f38_sse[256],
    x86_map_0f3a_sse[256];
extern const X86OpEntry x86_map_x87[8];

/* CPUID bits of X86Feature */
static const struct {
    uint8_t word;           /* FeatureWord */
    uint32_t bit;
} x86_feature_bits[X86_FEAT_NB] = {
    [X86_FEAT_FPU] = { FEAT_1_EDX, 1u << 0 },
    [X86_FEAT_TSC] = { FEAT_1_EDX, 1u << 4 },
    [X86_FEAT_MSR] = { FEAT_1_EDX, 1u << 5 },
    [X86_FEAT_CX8] = { FEAT_1_EDX, 1u << 8 },
    [X86_FEAT_SEP] = { FEAT_1_EDX, 1u << 11 },
    [X86_FEAT_CMOV] = { FEAT_1_EDX, 1u << 15 },
    [X86_FEAT_CLFLUSH] = { FEAT_1_EDX, 1u << 19 },
    [X86_FEAT_MMX] = { FEAT_1_EDX, 1u << 23 },
    [X86_FEAT_FXSR] = { FEAT_1_EDX, 1u << 24 },
    [X86_FEAT_SSE] = { FEAT_1_EDX, 1u << 25 },
    [X86_FEAT_SSE2] = { FEAT_1_EDX, 1u << 26 },
    [X86_FEAT_SSE3] = { FEAT_1_ECX, 1u << 0 },
    [X86_FEAT_PCLMULQDQ] = { FEAT_1_ECX, 1u << 1 },
    [X86_FEAT_MONITOR] = { FEAT_1_ECX, 1u << 3 },
    [X86_FEAT_SSSE3] = { FEAT_1_ECX, 1u << 9 },
    [X86_FEAT_FMA] = { FEAT_1_ECX, 1u << 12 },
    [X86_FEAT_CX16] = { FEAT_1_ECX, 1u << 13 },
    [X86_FEAT_SSE41] = { FEAT_1_ECX, 1u << 19 },
    [X86_FEAT_SSE42] = { FEAT_1_ECX, 1u << 20 },
    [X86_FEAT_MOVBE] = { FEAT_1_ECX, 1u << 22 },
    [X86_FEAT_POPCNT] = { FEAT_1_ECX, 1u << 23 },
    [X86_FEAT_AES] = { FEAT_1_ECX, 1u << 25 },
    [X86_FEAT_XSAVE] = { FEAT_1_ECX, 1u << 26 },
    [X86_FEAT_AVX] = { FEAT_1_ECX, 1u << 28 },
    [X86_FEAT_F16C] = { FEAT_1_ECX, 1u << 29 },
    [X86_FEAT_RDRAND] = { FEAT_1_ECX, 1u << 30 },
    [X86_FEAT_FSGSBASE] = { FEAT_7_0_EBX, 1u << 0 },
    [X86_FEAT_BMI1] = { FEAT_7_0_EBX, 1u << 3 },
    [X86_FEAT_AVX2] = { FEAT_7_0_EBX, 1u << 5 },
    [X86_FEAT_BMI2] = { FEAT_7_0_EBX, 1u << 8 },
    [X86_FEAT_INVPCID] = { FEAT_7_0_EBX, 1u << 10 },
    [X86_FEAT_RDSEED] = { FEAT_7_0_EBX, 1u << 18 },
    [X86_FEAT_ADX] = { FEAT_7_0_EBX, 1u << 19 },
    [X86_FEAT_SMAP] = { FEAT_7_0_EBX, 1u << 20 },
    [X86_FEAT_CLFLUSHOPT] = { FEAT_7_0_EBX, 1u << 23 },
    [X86_FEAT_CLWB] = { FEAT_7_0_EBX, 1u << 24 },
    [X86_FEAT_SHA] = { FEAT_7_0_EBX, 1u << 29 },
    [X86_FEAT_PKU] = { FEAT_7_0_ECX, 1u << 3 },
    [X86_FEAT_RDPID] = { FEAT_7_0_ECX, 1u << 22 },
    [X86_FEAT_SYSCALL] = { FEAT_8000_0001_EDX, 1u << 11 },
    [X86_FEAT_RDTSCP] = { FEAT_8000_0001_EDX, 1u << 27 },
    [X86_FEAT_LAHF_LM] = { FEAT_8000_0001_ECX, 1u << 0 },
    [X86_FEAT_ABM] = { FEAT_8000_0001_ECX, 1u << 5 },
    [X86_FEAT_SSE4A] = { FEAT_8000_0001_ECX, 1u << 6 },
    [X86_FEAT_XSAVEOPT] = { FEAT_XSAVE, 1u << 0 },
    [X86_FEAT_XSAVEC] = { FEAT_XSAVE, 1u << 1 },
    [X86_FEAT_XSAVES] = { FEAT_XSAVE, 1u << 3 },
};

bool x86_feature_check(DisasContext *s, int feature)
{
    if (feature == X86_FEAT_NONE) {
        return true;
    }
    return s->env->cpuid_cfg.features[x86_feature_bits[feature].word] &
           x86_feature_bits[feature].bit;
}

/* Too many bytes: the decoder stops and the insn raises #GP(0). */
static bool insn_too_long(DisasContext *s)
{
    return s->pc - s->pc_start > 15;
}

uint8_t x86_ldub_code(DisasContext *s)
{
    uint8_t b;

    if (s->pc - s->pc_start >= 15) {
        s->pc++;                    /* marks the insn as too long */
        return 0;
    }
    b = translator_ldub(s->env, &s->base, s->pc);
    s->pc++;
    return b;
}

static uint64_t ld_code(DisasContext *s, int bytes)
{
    uint64_t v = 0;

    for (int i = 0; i < bytes; i++) {
        v |= (uint64_t)x86_ldub_code(s) << (8 * i);
    }
    return v;
}

static int64_t ld_code_signed(DisasContext *s, int bytes)
{
    uint64_t v = ld_code(s, bytes);
    int sh = 64 - 8 * bytes;

    return (int64_t)(v << sh) >> sh;
}

static void decode_modrm(DisasContext *s, X86DecodedInsn *d)
{
    if (!d->has_modrm) {
        d->modrm = x86_ldub_code(s);
        d->has_modrm = true;
        d->mod = d->modrm >> 6;
        d->reg = ((d->modrm >> 3) & 7) | (s->rex_r << 3);
        d->rm = d->modrm & 7;
        if (d->mod == 3) {
            d->rm |= s->rex_b << 3;
        }
    }
}

/* the memory form of ModRM: SIB, displacement, default segment */
static void decode_modrm_address(DisasContext *s, X86DecodedInsn *d)
{
    X86DecodedAddr *a = &d->mem;
    int mod = d->mod, rm = d->modrm & 7;

    a->base = a->index = -1;
    a->scale = 0;
    a->disp = 0;
    a->aflag = s->aflag;
    a->seg = R_DS;
    if (s->aflag == MO_16) {
        static const int8_t base16[8] = { R_EBX, R_EBX, R_EBP, R_EBP,
                                          R_ESI, R_EDI, R_EBP, R_EBX };
        static const int8_t index16[8] = { R_ESI, R_EDI, R_ESI, R_EDI,
                                           -1, -1, -1, -1 };
        if (mod == 0 && rm == 6) {
            a->disp = ld_code_signed(s, 2);
        } else {
            a->base = base16[rm];
            a->index = index16[rm];
            if (a->base == R_EBP) {
                a->seg = R_SS;
            }
            if (mod == 1) {
                a->disp = ld_code_signed(s, 1);
            } else if (mod == 2) {
                a->disp = ld_code_signed(s, 2);
            }
        }
    } else {
        int base = rm;

        if (rm == 4) {
            uint8_t sib = x86_ldub_code(s);
            int index = ((sib >> 3) & 7) | (s->rex_x << 3);

            a->scale = sib >> 6;
            a->index = index == 4 ? -1 : index;
            base = sib & 7;
            if (base == 5 && mod == 0) {
                a->base = -1;
                a->disp = ld_code_signed(s, 4);
                base = -1;
            }
        } else if (rm == 5 && mod == 0) {
            a->base = s->code64 ? -2 : -1;      /* RIP-relative */
            a->disp = ld_code_signed(s, 4);
            base = -1;
        }
        if (base >= 0) {
            a->base = base | (s->rex_b << 3);
            if (base == R_ESP || base == R_EBP) {
                a->seg = R_SS;
            }
            if (mod == 1) {
                a->disp = ld_code_signed(s, 1);
            } else if (mod == 2) {
                a->disp = ld_code_signed(s, 4);
            }
        }
    }
    if (s->override >= 0) {
        a->seg = s->override;
    }
    d->has_mem = true;
}

static MemOp decode_ot(DisasContext *s, X86DecodedInsn *d, int size)
{
    switch (size) {
    case X86_SZ_b:
        return MO_8;
    case X86_SZ_w:
        return MO_16;
    case X86_SZ_d:
    case X86_SZ_ss:
        return MO_32;
    case X86_SZ_q:
    case X86_SZ_sd:
        return MO_64;
    case X86_SZ_v:
    case X86_SZ_p:
    case X86_SZ_a:
        return d->ot;
    case X86_SZ_z:
        return d->ot == MO_16 ? MO_16 : MO_32;
    case X86_SZ_y:
        return d->ot == MO_64 ? MO_64 : MO_32;
    default:
        return MO_64;
    }
}

static unsigned decode_vsize(DisasContext *s, int size)
{
    switch (size) {
    case X86_SZ_x:
        return s->vex_l ? 32 : 16;
    case X86_SZ_qq:
        return 32;
    case X86_SZ_q:
    case X86_SZ_sd:
        return 8;
    case X86_SZ_d:
    case X86_SZ_ss:
        return 4;
    case X86_SZ_w:
        return 2;
    case X86_SZ_b:
        return 1;
    case X86_SZ_xh:
        return s->vex_l ? 16 : 8;
    case X86_SZ_xq:
        return s->vex_l ? 8 : 4;
    case X86_SZ_xo:
        return s->vex_l ? 4 : 2;
    case X86_SZ_dup:
        return s->vex_l ? 32 : 8;
    default:
        return 16;
    }
}

static void set_gpr(DisasContext *s, X86Operand *o, int reg, MemOp ot)
{
    o->type = X86_OPND_REG;
    o->ot = ot;
    if (ot == MO_8 && !(s->prefix & PREFIX_REX) && reg >= 4 && reg < 8) {
        o->n = reg - 4;
        o->high8 = true;
    } else {
        o->n = reg;
    }
}

static void set_xmm(DisasContext *s, X86Operand *o, int reg, int size)
{
    o->type = X86_OPND_XMM;
    o->n = reg;
    o->vsize = decode_vsize(s, size);
    o->offset = offsetof(CPUX86State, xmm_regs[reg]);
}

static void set_mmx(X86Operand *o, int reg)
{
    o->type = X86_OPND_MMX;
    o->n = reg & 7;
    o->vsize = 8;
    o->offset = offsetof(CPUX86State, fpregs[reg & 7].low);
}

/* one operand; false: invalid encoding (#UD) */
static bool decode_operand(DisasContext *s, X86DecodedInsn *d,
                           const X86OpSpec *spec, X86Operand *o)
{
    MemOp ot = decode_ot(s, d, spec->size);

    o->ot = ot;
    o->kind = spec->kind;
    switch (spec->kind) {
    case X86_OP_E:
    case X86_OP_M:
    case X86_OP_R:
    case X86_OP_W:
    case X86_OP_U:
    case X86_OP_Q:
    case X86_OP_N:
        decode_modrm(s, d);
        if (d->mod == 3) {
            if (spec->kind == X86_OP_M) {
                return false;
            }
            if (spec->kind == X86_OP_W || spec->kind == X86_OP_U) {
                set_xmm(s, o, d->rm, spec->size);
            } else if (spec->kind == X86_OP_Q || spec->kind == X86_OP_N) {
                set_mmx(o, d->modrm & 7);
            } else {
                set_gpr(s, o, d->rm, ot);
            }
        } else {
            if (spec->kind == X86_OP_R || spec->kind == X86_OP_U ||
                spec->kind == X86_OP_N) {
                return false;
            }
            if (!d->has_mem) {
                decode_modrm_address(s, d);
            }
            o->type = X86_OPND_MEM;
            o->vsize = decode_vsize(s, spec->size);
        }
        break;
    case X86_OP_RANY:
        decode_modrm(s, d);
        set_gpr(s, o, (d->modrm & 7) | (s->rex_b << 3), ot);
        break;
    case X86_OP_G:
        decode_modrm(s, d);
        set_gpr(s, o, d->reg, ot);
        break;
    case X86_OP_S:
        decode_modrm(s, d);
        if ((d->modrm >> 3 & 7) >= R_NB_SEGS) {
            return false;
        }
        o->type = X86_OPND_SEG;
        o->n = (d->modrm >> 3) & 7;
        break;
    case X86_OP_C:
        decode_modrm(s, d);
        o->type = X86_OPND_CR;
        o->n = d->reg;
        break;
    case X86_OP_D:
        decode_modrm(s, d);
        o->type = X86_OPND_DR;
        o->n = d->reg;
        break;
    case X86_OP_V:
        decode_modrm(s, d);
        set_xmm(s, o, d->reg, spec->size);
        break;
    case X86_OP_P:
        decode_modrm(s, d);
        set_mmx(o, (d->modrm >> 3) & 7);
        break;
    case X86_OP_H:
        if (s->prefix & PREFIX_VEX) {
            set_xmm(s, o, s->vex_v, spec->size);
        } else {
            /* legacy SSE: the destination is also the first source */
            decode_modrm(s, d);
            set_xmm(s, o, d->reg, spec->size);
        }
        break;
    case X86_OP_B:
        set_gpr(s, o, s->vex_v, ot);
        break;
    case X86_OP_L:
        set_xmm(s, o, 0, spec->size);   /* register from imm8, later */
        o->n = 0xff;
        break;
    case X86_OP_I:
        o->type = X86_OPND_IMM;
        switch (spec->size) {
        case X86_SZ_b:
            o->imm = ld_code_signed(s, 1);
            break;
        case X86_SZ_w:
            o->imm = ld_code(s, 2);
            break;
        case X86_SZ_v:
            o->imm = ld_code_signed(s, 1 << d->ot);
            break;
        default:                        /* z */
            o->imm = ld_code_signed(s, d->ot == MO_16 ? 2 : 4);
            break;
        }
        break;
    case X86_OP_J:
        o->type = X86_OPND_IMM;
        if (spec->size == X86_SZ_b) {
            o->imm = ld_code_signed(s, 1);
        } else {
            o->imm = ld_code_signed(s, d->ot == MO_16 ? 2 : 4);
        }
        break;
    case X86_OP_A:
        o->type = X86_OPND_IMM;
        o->imm = ld_code(s, d->ot == MO_16 ? 2 : 4);
        o->imm2 = ld_code(s, 2);
        break;
    case X86_OP_O:
        d->mem.base = d->mem.index = -1;
        d->mem.scale = 0;
        d->mem.aflag = s->aflag;
        d->mem.disp = ld_code(s, 1 << s->aflag);
        d->mem.seg = s->override >= 0 ? s->override : R_DS;
        d->has_mem = true;
        o->type = X86_OPND_MEM;
        break;
    case X86_OP_ONE:
        o->type = X86_OPND_IMM;
        o->imm = 1;
        break;
    case X86_OP_Z:
        set_gpr(s, o, (d->b & 7) | (s->rex_b << 3), ot);
        break;
    case X86_OP_REG:
        set_gpr(s, o, spec->reg, ot);
        break;
    case X86_OP_SEG:
        o->type = X86_OPND_SEG;
        o->n = spec->reg;
        break;
    case X86_OP_ST0:
        o->type = X86_OPND_ST;
        o->n = 0;
        break;
    case X86_OP_STI:
        decode_modrm(s, d);
        o->type = X86_OPND_ST;
        o->n = d->modrm & 7;
        break;
    default:                            /* X, Y: the gen function's */
        o->type = X86_OPND_NONE;
        break;
    }
    return true;
}

static int mandatory_prefix(DisasContext *s)
{
    return s->prefix & PREFIX_REPNZ ? 3 : s->prefix & PREFIX_REPZ ? 2 :
           s->prefix & PREFIX_DATA ? 1 : 0;
}

static void compute_sizes(DisasContext *s, bool data_prefix)
{
    if (s->code64) {
        s->dflag = s->rex_w ? MO_64 : data_prefix ? MO_16 : MO_32;
        s->aflag = s->prefix & PREFIX_ADR ? MO_32 : MO_64;
    } else {
        bool big = s->code32 ^ data_prefix;

        s->dflag = big ? MO_32 : MO_16;
        s->aflag = (s->code32 ^ !!(s->prefix & PREFIX_ADR)) ? MO_32 : MO_16;
    }
}

/*
 * Decode one instruction at s->pc_start.  Returns false when it is an
 * invalid encoding (the caller raises #UD) or longer than 15 bytes
 * (insn_too_long: #GP).
 */
bool x86_decode_insn(DisasContext *s, X86DecodedInsn *d)
{
    const X86OpEntry *table, *e, *ops;
    uint32_t flags;
    int b, map = 0;
    bool data_prefix_is_size = true;
    uint8_t features[8];
    int nfeat = 0;

    memset(d, 0, sizeof(*d));
    d->cc_op = -1;
    s->prefix = 0;
    s->override = -1;
    s->rex_w = s->rex_r = s->rex_x = s->rex_b = 0;
    s->vex_l = false;
    s->vex_v = 0;
    s->vex_w = 0;

    /* prefixes (SDM Vol. 2 2.1.1); REX only counts right before the
     * opcode */
    for (;;) {
        b = x86_ldub_code(s);
        if (insn_too_long(s)) {
            return false;
        }
        switch (b) {
        case 0xf3:
            s->prefix = (s->prefix & ~PREFIX_REPNZ) | PREFIX_REPZ;
            goto next_prefix;
        case 0xf2:
            s->prefix = (s->prefix & ~PREFIX_REPZ) | PREFIX_REPNZ;
            goto next_prefix;
        case 0xf0:
            s->prefix |= PREFIX_LOCK;
            goto next_prefix;
        case 0x2e:
            s->override = R_CS;
            goto next_prefix;
        case 0x36:
            s->override = R_SS;
            goto next_prefix;
        case 0x3e:
            s->override = R_DS;
            goto next_prefix;
        case 0x26:
            s->override = R_ES;
            goto next_prefix;
        case 0x64:
            s->override = R_FS;
            goto next_prefix;
        case 0x65:
            s->override = R_GS;
            goto next_prefix;
        case 0x66:
            s->prefix |= PREFIX_DATA;
            goto next_prefix;
        case 0x67:
            s->prefix |= PREFIX_ADR;
            goto next_prefix;
        case 0x40 ... 0x4f:
            if (s->code64) {
                s->prefix |= PREFIX_REX;
                s->rex_w = (b >> 3) & 1;
                s->rex_r = (b >> 2) & 1;
                s->rex_x = (b >> 1) & 1;
                s->rex_b = b & 1;
                continue;
            }
            break;
        default:
            break;
        }
        break;
    next_prefix:
        /* a legacy prefix after REX cancels it */
        s->prefix &= ~PREFIX_REX;
        s->rex_w = s->rex_r = s->rex_x = s->rex_b = 0;
    }
    if (s->code64 && s->override >= 0 && s->override < R_FS) {
        s->override = -1;               /* ES/CS/SS/DS ignored */
    }

    /* VEX (SDM Vol. 2 2.3): C4/C5, in 16/32-bit modes only when the next
     * byte looks like a register-form ModRM (else LES/LDS) */
    if ((b == 0xc4 || b == 0xc5) &&
        (s->code64 || (translator_ldub(s->env, &s->base, s->pc) >> 6) == 3)) {
        int vex1 = x86_ldub_code(s), vex2, pp;

        if (s->prefix & (PREFIX_REPZ | PREFIX_REPNZ | PREFIX_LOCK |
                         PREFIX_DATA | PREFIX_REX)) {
            return false;
        }
        if (!(s->flags & HF_PE) || (s->flags & HF_VM)) {
            return false;               /* VEX is #UD in real/v86 mode */
        }
        s->prefix |= PREFIX_VEX;
        if (b == 0xc5) {
            s->rex_r = s->code64 ? !(vex1 & 0x80) : 0;
            map = 1;
            vex2 = vex1;
        } else {
            s->rex_r = s->code64 ? !(vex1 & 0x80) : 0;
            s->rex_x = s->code64 ? !(vex1 & 0x40) : 0;
            s->rex_b = s->code64 ? !(vex1 & 0x20) : 0;
            map = vex1 & 0x1f;
            if (map < 1 || map > 3) {
                return false;
            }
            vex2 = x86_ldub_code(s);
            s->rex_w = (vex2 >> 7) & 1;
            s->vex_w = s->rex_w;
            if (!s->code64) {
                s->rex_w = 0;           /* W is no size prefix here */
            }
        }
        s->vex_v = (~vex2 >> 3) & (s->code64 ? 15 : 7);
        s->vex_l = (vex2 >> 2) & 1;
        pp = vex2 & 3;
        s->prefix |= pp == 1 ? PREFIX_DATA : pp == 2 ? PREFIX_REPZ :
                     pp == 3 ? PREFIX_REPNZ : 0;
        data_prefix_is_size = false;
        b = x86_ldub_code(s);
    } else if (b == 0x62 &&
               (s->code64 ||
                (translator_ldub(s->env, &s->base, s->pc) >> 6) == 3)) {
        return false;                   /* EVEX: no AVX-512 */
    } else if (b == 0x0f) {
        b = x86_ldub_code(s);
        if (b == 0x38) {
            map = 2;
            b = x86_ldub_code(s);
        } else if (b == 0x3a) {
            map = 3;
            b = x86_ldub_code(s);
        } else {
            map = 1;
        }
    }
    if (insn_too_long(s)) {
        return false;
    }
    d->b = b;
    d->map = map;

    /* the entry: integer tables first, then SSE/AVX */
    if (s->prefix & PREFIX_VEX) {
        static const X86OpEntry *const vi[4] = {
            NULL, NULL, x86_vex_0f38_int, x86_vex_0f3a_int };
        /* one table for the legacy and VEX forms (X86_VEX/X86_NOVEX) */
        static const X86OpEntry *const vs[4] = {
            NULL, x86_map_0f_sse, x86_map_0f38_sse, x86_map_0f3a_sse };
        table = vi[map];
        if (!table || (!table[b].gen && !table[b].gkind)) {
            table = vs[map];
        }
    } else {
        static const X86OpEntry *const ti[4] = {
            x86_map_one, x86_map_0f_int, x86_map_0f38_int, NULL };
        static const X86OpEntry *const ts[4] = {
            NULL, x86_map_0f_sse, x86_map_0f38_sse, x86_map_0f3a_sse };
        table = ti[map];
        if (!table || (!table[b].gen && !table[b].gkind)) {
            table = ts[map];
        }
        if (map == 0 && b == 0x90 && s->rex_b) {
            b = 0x91;                   /* XCHG r8, rAX */
        }
        if (map == 0 && b >= 0xd8 && b <= 0xdf) {
            table = x86_map_x87;
            b -= 0xd8;
        }
    }
    if (!table) {
        return false;
    }
    e = &table[b];
    flags = e->flags;
    ops = e->op[0].kind ? e : NULL;
    if (e->feature) {
        features[nfeat++] = e->feature;
    }
    while (e->gkind) {
        int idx = 0;

        switch (e->gkind) {
        case X86_GRP_REG:
            decode_modrm(s, d);
            idx = (d->modrm >> 3) & 7;
            break;
        case X86_GRP_RM:
            decode_modrm(s, d);
            idx = d->modrm & 7;
            break;
        case X86_GRP_MOD:
            decode_modrm(s, d);
            idx = d->mod == 3;
            break;
        case X86_GRP_PFX:
            idx = mandatory_prefix(s);
            if (idx == 1) {
                data_prefix_is_size = false;
            }
            /* the selecting F2/F3 is no REP prefix */
            s->prefix &= idx >= 2 ? ~(PREFIX_REPZ | PREFIX_REPNZ) : ~0;
            break;
        case X86_GRP_REPZ:
            idx = !!(s->prefix & PREFIX_REPZ);
            s->prefix &= ~(idx ? PREFIX_REPZ : 0);
            break;
        case X86_GRP_REPNZ:
            idx = !!(s->prefix & PREFIX_REPNZ);
            s->prefix &= ~(idx ? PREFIX_REPNZ : 0);
            break;
        case X86_GRP_W:
            idx = (s->prefix & PREFIX_VEX) ? s->vex_w : s->rex_w;
            break;
        case X86_GRP_VEXL:
            idx = s->vex_l;
            break;
        case X86_GRP_OSZ:
            compute_sizes(s, !!(s->prefix & PREFIX_DATA));
            idx = s->dflag == MO_16 ? 0 : s->dflag == MO_32 ? 1 : 2;
            break;
        case X86_GRP_ASZ:
            compute_sizes(s, !!(s->prefix & PREFIX_DATA));
            idx = s->aflag == MO_16 ? 0 : s->aflag == MO_32 ? 1 : 2;
            break;
        case X86_GRP_CODE64:
            idx = s->code64;
            break;
        case X86_GRP_VEX:
            idx = !!(s->prefix & PREFIX_VEX);
            break;
        case X86_GRP_X87:
            decode_modrm(s, d);
            idx = d->mod == 3 ? 8 + (d->modrm & 0x3f) : (d->modrm >> 3) & 7;
            break;
        default:
            return false;
        }
        e = &e->group[idx];
        flags |= e->flags;
        if (e->op[0].kind) {
            ops = e;
        }
        if (e->feature && nfeat < (int)ARRAY_SIZE(features)) {
            features[nfeat++] = e->feature;
        }
    }
    if (!e->gen) {
        return false;
    }
    d->e = e;

    /* mode and CPUID checks */
    if ((flags & X86_I64) && s->code64) {
        return false;
    }
    if ((flags & X86_O64) && !s->code64) {
        return false;
    }
    if ((flags & X86_VEX_L0) && s->vex_l) {
        return false;
    }
    if ((flags & X86_VEX) && !(s->prefix & PREFIX_VEX)) {
        return false;
    }
    if ((flags & X86_NOVEX) && (s->prefix & PREFIX_VEX)) {
        return false;
    }
    if ((flags & X86_SSE) && (s->prefix & PREFIX_VEX)) {
        /* VEX forms: AVX stands for the SSE levels; AVX2 for 256-bit
         * integer ops (SDM Vol. 2 2.3.10) */
        if ((flags & X86_VEX_L1) && !s->vex_l) {
            return false;
        }
        if ((flags & X86_VEX_W0) && s->vex_w) {
            return false;
        }
        for (int i = 0; i < nfeat; i++) {
            if (features[i] >= X86_FEAT_SSE && features[i] <= X86_FEAT_SSE42) {
                features[i] = X86_FEAT_AVX;
            }
        }
        if (nfeat < (int)ARRAY_SIZE(features)) {
            features[nfeat++] = (flags & X86_AVX2_256) && s->vex_l
                                ? X86_FEAT_AVX2 : X86_FEAT_AVX;
        }
    }
    for (int i = 0; i < nfeat; i++) {
        if (!x86_feature_check(s, features[i])) {
            return false;
        }
    }

    /* operand size */
    compute_sizes(s, data_prefix_is_size && (s->prefix & PREFIX_DATA));
    if (s->code64 && (flags & X86_F64)) {
        s->dflag = MO_64;
    } else if (s->code64 && (flags & X86_D64) && s->dflag == MO_32) {
        s->dflag = MO_64;
    }
    d->ot = s->dflag;
    if ((flags & X86_REP) == 0) {
        /* the F2/F3 of a non-string insn: ignored */
    }

    /* operands, in encoding order: ModRM, SIB, displacement, immediates */
    if (ops) {
        for (int i = 0; i < 4 && ops->op[i].kind; i++) {
            if (!decode_operand(s, d, &ops->op[i], &d->op[i])) {
                return false;
            }
        }
    }
    /* VEX.vvvv names no register: it must be 1111b (SDM Vol. 2 2.3.6) */
    if ((s->prefix & PREFIX_VEX) && s->vex_v) {
        bool uses_v = false;

        for (int i = 0; ops && i < 4; i++) {
            uses_v |= ops->op[i].kind == X86_OP_H ||
                      ops->op[i].kind == X86_OP_B;
        }
        if (!uses_v) {
            return false;
        }
    }
    /* the group may have needed ModRM even without ModRM operands */
    if (insn_too_long(s)) {
        return false;
    }
    /* L operand: the register from imm8[7:4] */
    for (int i = 0; i < 4; i++) {
        if (d->op[i].type == X86_OPND_XMM && d->op[i].n == 0xff) {
            int reg = (x86_ldub_code(s) >> 4) & (s->code64 ? 15 : 7);

            d->op[i].n = reg;
            d->op[i].offset = offsetof(CPUX86State, xmm_regs[reg]);
        }
    }
    if (insn_too_long(s)) {
        return false;
    }

    /* LOCK: only on lockable insns with a memory destination */
    if (s->prefix & PREFIX_LOCK) {
        if (!(flags & X86_LOCK) || d->op[0].type != X86_OPND_MEM) {
            return false;
        }
        d->locked = true;
    } else if ((flags & X86_LOCK_IMPLIED) && d->op[0].type == X86_OPND_MEM) {
        d->locked = true;
    }
    d->e = e;
    s->flags_insn = flags;
    return true;
}

/* For the translator: was the decode failure a too-long insn? */
bool x86_decode_too_long(DisasContext *s)
{
    return insn_too_long(s);
}
