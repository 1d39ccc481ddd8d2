#!/usr/bin/env python3
"""Regenerate a64-insns.txt, the expected decode of known A64 instruction
words, for test-a64-decode.

Each entry below is a pattern name of target/arm/a64*.decode and assembly
lines that must decode to it.  The words come from the cross assembler
(aarch64-linux-gnu-as), so the test checks the tables against binutils'
encoders, not against themselves.  UNALLOCATED lists words that no pattern
may claim, with the reason.

Usage: gen-a64-insns.py > a64-insns.txt   (needs binutils-aarch64-linux-gnu)
"""
import os
import subprocess
import sys
import tempfile

AS = 'aarch64-linux-gnu-as'
OBJDUMP = 'aarch64-linux-gnu-objdump'
MARCH = '-march=armv8.5-a+lse+rcpc+crc+crypto+fp16+sb+ssbs+flagm'

BASE = {
    'ADR': ['adr x0, .+8', 'adr x30, .-1048576', 'adr x3, .+1048575'],
    'ADRP': ['adrp x0, .+4096', 'adrp x9, .-4096'],
    'ADD_i': ['add x0, x1, #4', 'add w3, w4, #0x123, lsl #12',
              'mov sp, x3', 'add wsp, w2, #4095'],
    'ADDS_i': ['adds x0, x1, #4', 'cmn w3, #1', 'adds w1, w2, #1, lsl #12'],
    'SUB_i': ['sub x0, sp, #16', 'sub w1, w1, #0xfff, lsl #12'],
    'SUBS_i': ['subs x0, x1, #4', 'cmp x2, #7', 'cmp w0, #0x10, lsl #12'],
    'AND_i': ['and x0, x1, #0xff00ff00ff00ff00', 'and w2, w3, #1',
              'and sp, x1, #0xfffffffffffffff0'],
    'ORR_i': ['orr x0, x1, #0x5555555555555555', 'orr x0, xzr, #0xaaaaaaaaaaaaaaaa',
              'orr w9, wzr, #0x3c'],
    'EOR_i': ['eor x3, x4, #0x8000000000000000', 'eor w1, w2, #0x7ffffffe'],
    'ANDS_i': ['ands x0, x1, #0xf', 'tst w2, #0x80'],
    'MOVN': ['movn x0, #1', 'mov w1, #-2', 'movn x2, #0xffff, lsl #48',
             'movn w3, #5, lsl #16'],
    'MOVZ': ['movz x0, #1', 'mov x1, #0x12340000', 'movz x2, #3, lsl #32',
             'movz w3, #0xffff, lsl #16'],
    'MOVK': ['movk x0, #1, lsl #48', 'movk w1, #0x8000'],
    'SBFM': ['sbfm x0, x1, #3, #4', 'asr w1, w2, #3', 'sxtb x1, w2',
             'sxtw x3, w4', 'sbfiz x1, x2, #8, #4'],
    'BFM': ['bfi x0, x1, #8, #8', 'bfxil w1, w2, #3, #4', 'bfm x2, x3, #63, #63'],
    'UBFM': ['lsl x0, x1, #3', 'lsr w1, w2, #31', 'uxtb w1, w2', 'ubfx x1, x2, #40, #8'],
    'EXTR': ['extr x0, x1, x2, #63', 'extr w0, w1, w2, #31', 'ror x3, x4, #7'],
    'B': ['b .+4', 'b .-134217728', 'b .+134217724'],
    'BL': ['bl .+8', 'bl .-4'],
    'CBZ': ['cbz x0, .+8', 'cbz w30, .-1048576'],
    'CBNZ': ['cbnz x0, .+1048572', 'cbnz w5, .'],
    'TBZ': ['tbz x0, #63, .+8', 'tbz w1, #0, .-32768'],
    'TBNZ': ['tbnz x3, #32, .+32764', 'tbnz w3, #31, .'],
    'B_cond': ['b.eq .+8', 'b.ne .-4', 'b.al .', 'b.nv .+4', 'b.hi .+1048572'],
    'BR': ['br x0', 'br x30'],
    'BLR': ['blr x1', 'blr x17'],
    'RET': ['ret', 'ret x3'],
    'ERET': ['eret'],
    'SVC': ['svc #0', 'svc #0xffff'],
    'HVC': ['hvc #0'],
    'SMC': ['smc #1'],
    'BRK': ['brk #0x3e8', 'brk #0'],
    'HLT': ['hlt #0xf000'],
    'NOP': ['nop'],
    'YIELD': ['yield'],
    'WFE': ['wfe'],
    'WFI': ['wfi'],
    'SEV': ['sev'],
    'SEVL': ['sevl'],
    'HINT': ['hint #6', 'hint #127', 'bti c', 'bti', 'paciasp', 'autiasp',
             'esb', 'csdb', 'xpaclri', 'psb csync', 'pacia1716'],
    'CLREX': ['clrex', 'clrex #3'],
    'DSB': ['dsb sy', 'dsb ish', 'dsb nshst', 'ssbb', 'pssbb'],
    'DMB': ['dmb ish', 'dmb ishld', 'dmb oshst'],
    'ISB': ['isb'],
    'SB': ['sb'],
    'CFINV': ['cfinv'],
    'XAFLAG': ['xaflag'],
    'AXFLAG': ['axflag'],
    'MSR_i': ['msr daifset, #2', 'msr daifclr, #15', 'msr spsel, #1',
              'msr pan, #1', 'msr uao, #0', 'msr ssbs, #1', 'msr dit, #1'],
    'SYS': ['dc civac, x0', 'ic ivau, x1', 'ic iallu', 'tlbi vmalle1is',
            'tlbi vae1, x2', 'at s1e1r, x3', 'dc zva, x4', 'sys #3, c7, c5, #1, x0'],
    'SYSL': ['sysl x0, #0, c0, c0, #0'],
    'MSR_r': ['msr tpidr_el0, x0', 'msr sctlr_el1, x1', 'msr nzcv, x2',
              'msr fpcr, x3', 'msr vbar_el2, x4', 'msr osdlr_el1, x0'],
    'MRS': ['mrs x0, ctr_el0', 'mrs x1, cntvct_el0', 'mrs x2, midr_el1',
            'mrs x3, nzcv', 'mrs x4, currentel', 'mrs x5, mdscr_el1'],
    'STXR': ['stxr w0, x1, [x2]', 'stlxr w3, w4, [sp]', 'stxrb w5, w6, [x7]',
             'stlxrh w8, w9, [x10]'],
    'LDXR': ['ldxr x0, [x1]', 'ldaxr w2, [x3]', 'ldxrb w4, [x5]', 'ldaxrh w6, [sp]'],
    'STXP': ['stxp w0, x1, x2, [x3]', 'stlxp w4, w5, w6, [x7]'],
    'LDXP': ['ldxp x0, x1, [x2]', 'ldaxp w3, w4, [x5]'],
    'STLR': ['stlr x0, [x1]', 'stlrb w2, [x3]', 'stlrh w4, [sp]', 'stlr w5, [x6]'],
    'LDAR': ['ldar x0, [x1]', 'ldarb w2, [x3]', 'ldarh w4, [sp]', 'ldar w5, [x6]'],
    'LDAPR': ['ldapr x0, [x1]', 'ldaprb w2, [x3]', 'ldaprh w4, [x5]', 'ldapr w6, [sp]'],
    'CAS': ['cas x0, x1, [x2]', 'casa w3, w4, [x5]', 'casl w6, w7, [sp]',
            'casal x8, x9, [x10]', 'casb w0, w1, [x2]', 'casalh w3, w4, [x5]'],
    'CASP': ['casp x0, x1, x2, x3, [x4]', 'caspal w4, w5, w6, w7, [sp]'],
    'LDADD': ['ldadd x0, x1, [x2]', 'ldaddal w3, w4, [x5]', 'staddb w6, [x7]',
              'ldaddlh w1, w2, [sp]'],
    'LDCLR': ['ldclr x0, x1, [x2]', 'stclrl w3, [x4]'],
    'LDEOR': ['ldeora x0, x1, [x2]', 'steorh w3, [x4]'],
    'LDSET': ['ldsetal x0, x1, [x2]', 'stset w3, [x4]'],
    'LDSMAX': ['ldsmax x0, x1, [x2]', 'stsmaxb w3, [x4]'],
    'LDSMIN': ['ldsminl w0, w1, [x2]'],
    'LDUMAX': ['ldumaxa x0, x1, [x2]'],
    'LDUMIN': ['lduminalh w0, w1, [x2]'],
    'SWP': ['swp x0, x1, [x2]', 'swpal w3, w4, [x5]', 'swpb w6, w7, [sp]'],
    'LDR_lit': ['ldr x0, .+8', 'ldr w1, .-4', 'ldrsw x2, .+1048572'],
    'PRFM_lit': ['prfm pldl1keep, .+64'],
    'LDR_v_lit': ['ldr s0, .+8', 'ldr d1, .-8', 'ldr q2, .+16'],
    'STLUR': ['stlur x0, [x1, #-256]', 'stlurb w2, [x3, #255]', 'stlurh w4, [sp]'],
    'LDAPUR': ['ldapur x0, [x1, #8]', 'ldapursb x2, [x3]', 'ldapursh w4, [x5, #-2]',
               'ldapursw x6, [x7, #4]', 'ldapurb w8, [x9]'],
    'STR_i': ['stur x0, [x1, #-8]', 'sturb w2, [x3, #255]', 'str x0, [x1], #8',
              'strh w2, [x3, #-2]!', 'sttr x4, [x5, #16]', 'sttrb w6, [sp]',
              'str x0, [sp, #32760]', 'strb w1, [x2, #4095]', 'strh w3, [x4, #8190]',
              'str w5, [x6, #16380]'],
    'LDR_i': ['ldur x0, [x1, #-8]', 'ldursb x2, [x3]', 'ldursh w4, [x5, #1]',
              'ldursw x6, [x7, #-256]', 'ldr x0, [x1], #8', 'ldrsb w2, [x3, #-1]!',
              'ldtr x4, [x5]', 'ldtrsh x6, [x7]', 'ldtrsw x8, [x9, #255]',
              'ldr x0, [x1, #32760]', 'ldrb w2, [x3, #1]', 'ldrsb x4, [x5, #4095]',
              'ldrsh w6, [x7, #2]', 'ldrsw x8, [sp, #16380]', 'ldrh w1, [x2]',
              'ldr w3, [x4, #4]'],
    'PRFM_i': ['prfm pldl1keep, [x0]', 'prfm pstl2strm, [x1, #32760]',
               'prfum pldl3keep, [x2, #-1]'],
    'STR_v_i': ['stur q0, [x1, #-16]', 'str b1, [x2], #1', 'str h2, [x3, #-2]!',
                'str s3, [x4, #16380]', 'str d4, [sp, #32760]', 'str q5, [x6, #65520]',
                'str b7, [x8, #4095]', 'stur h9, [x10]'],
    'LDR_v_i': ['ldur d0, [x1, #-8]', 'ldr q1, [x2], #16', 'ldr s2, [x3, #4]!',
                'ldr h3, [x4, #8190]', 'ldr b4, [x5]', 'ldr q6, [sp, #16]'],
    'STR_r': ['str x0, [x1, x2]', 'strb w3, [x4, w5, uxtw]', 'strh w6, [x7, x8, lsl #1]',
              'str w9, [x10, w11, sxtw #2]', 'str x0, [sp, x1, sxtx #3]'],
    'LDR_r': ['ldr x0, [x1, x2, lsl #3]', 'ldrb w3, [x4, x5]', 'ldrsb x6, [x7, w8, sxtw]',
              'ldrsh w9, [x10, x11]', 'ldrsw x12, [x13, w14, uxtw #2]', 'ldrh w1, [x2, x3]'],
    'PRFM_r': ['prfm pldl1keep, [x0, x1]', 'prfm pstl1strm, [x2, w3, sxtw #3]'],
    'STR_v_r': ['str q0, [x1, x2, lsl #4]', 'str b3, [x4, x5]', 'str d6, [x7, w8, uxtw]'],
    'LDR_v_r': ['ldr s0, [x1, x2]', 'ldr h3, [x4, x5, lsl #1]', 'ldr q6, [x7, x8]'],
    'STP': ['stp x29, x30, [sp, #-16]!', 'stp w0, w1, [x2, #8]', 'stp x0, x1, [x2], #-512',
            'stnp x3, x4, [x5, #504]', 'stp w6, w7, [x8, #-256]!'],
    'LDP': ['ldp x29, x30, [sp], #16', 'ldp w0, w1, [x2]', 'ldpsw x3, x4, [x5, #8]',
            'ldpsw x6, x7, [x8], #-4', 'ldnp w9, w10, [x11, #4]', 'ldp x0, x1, [x2, #-512]!'],
    'STP_v': ['stp q0, q1, [sp, #-32]!', 'stp d2, d3, [x4, #8]', 'stp s4, s5, [x6], #4',
              'stnp q6, q7, [x8, #1008]'],
    'LDP_v': ['ldp q0, q1, [sp], #32', 'ldp d2, d3, [x4, #-512]', 'ldp s4, s5, [x6, #8]!',
              'ldnp d6, d7, [x8]'],
    'AND_r': ['and x0, x1, x2', 'and w3, w4, w5, lsl #31', 'and x6, x7, x8, ror #63'],
    'BIC_r': ['bic x0, x1, x2, asr #3', 'bic w1, w2, w3'],
    'ORR_r': ['orr x0, x1, x2', 'mov x3, x4', 'mov w5, w6', 'orr w1, w2, w3, lsr #4'],
    'ORN_r': ['orn x0, x1, x2', 'mvn w3, w4', 'mvn x5, x6, lsl #7'],
    'EOR_r': ['eor x0, x1, x2', 'eor w3, w4, w5, ror #1'],
    'EON_r': ['eon x0, x1, x2, lsl #63'],
    'ANDS_r': ['ands x0, x1, x2', 'tst w3, w4'],
    'BICS_r': ['bics x0, x1, x2', 'bics w1, w2, w3, asr #31'],
    'ADD_r': ['add x0, x1, x2', 'add w3, w4, w5, lsl #31', 'add x6, x7, x8, asr #63',
              'add x9, x10, x11, lsr #1'],
    'ADDS_r': ['adds x0, x1, x2', 'cmn w3, w4, lsr #3'],
    'SUB_r': ['sub x0, x1, x2', 'neg w3, w4', 'neg x5, x6, asr #5'],
    'SUBS_r': ['subs x0, x1, x2, lsl #4', 'cmp w3, w4', 'negs x5, x6'],
    'ADD_x': ['add x0, sp, x1', 'add sp, x2, w3, uxtw #2', 'add w4, w5, w6, sxtb',
              'add x7, x8, w9, sxth #4'],
    'ADDS_x': ['adds x0, sp, x1', 'cmn sp, w2, uxtb'],
    'SUB_x': ['sub sp, sp, x0', 'sub x1, x2, w3, sxtw #1'],
    'SUBS_x': ['cmp sp, x0', 'subs x1, sp, w2, uxtw #4'],
    'ADC': ['adc x0, x1, x2', 'adc w3, w4, w5'],
    'ADCS': ['adcs x0, x1, x2'],
    'SBC': ['sbc w0, w1, w2', 'ngc x3, x4'],
    'SBCS': ['sbcs x0, x1, x2', 'ngcs w3, w4'],
    'CCMN_r': ['ccmn x0, x1, #4, eq', 'ccmn w2, w3, #15, al'],
    'CCMP_r': ['ccmp x0, x1, #0, ne', 'ccmp w2, w3, #8, lt'],
    'CCMN_i': ['ccmn x0, #31, #4, eq'],
    'CCMP_i': ['ccmp w0, #0, #2, hi', 'ccmp x1, #5, #0, ge'],
    'CSEL': ['csel x0, x1, x2, eq', 'csel w3, w4, w5, nv'],
    'CSINC': ['csinc x0, x1, x2, lt', 'cset w3, eq', 'cinc x4, x5, ne'],
    'CSINV': ['csinv x0, x1, x2, hs', 'csetm x3, lo'],
    'CSNEG': ['csneg w0, w1, w2, mi', 'cneg x3, x4, pl'],
    'RBIT': ['rbit x0, x1', 'rbit w2, w3'],
    'REV16': ['rev16 x0, x1', 'rev16 w2, w3'],
    'REV32': ['rev32 x0, x1'],
    'REV': ['rev x0, x1', 'rev w2, w3'],
    'CLZ': ['clz x0, x1', 'clz w2, w3'],
    'CLS': ['cls x0, x1', 'cls w2, w3'],
    'UDIV': ['udiv x0, x1, x2', 'udiv w3, w4, w5'],
    'SDIV': ['sdiv x0, x1, x2'],
    'LSLV': ['lsl x0, x1, x2', 'lslv w3, w4, w5'],
    'LSRV': ['lsr w0, w1, w2'],
    'ASRV': ['asr x0, x1, x2'],
    'RORV': ['ror w0, w1, w2'],
    'CRC32': ['crc32b w0, w1, w2', 'crc32h w3, w4, w5', 'crc32w w6, w7, w8',
              'crc32x w9, w10, x11', 'crc32cb w0, w1, w2', 'crc32cx w3, w4, x5'],
    'MADD': ['madd x0, x1, x2, x3', 'mul w4, w5, w6'],
    'MSUB': ['msub x0, x1, x2, x3', 'mneg w4, w5, w6'],
    'SMADDL': ['smaddl x0, w1, w2, x3', 'smull x4, w5, w6'],
    'SMSUBL': ['smsubl x0, w1, w2, x3', 'smnegl x4, w5, w6'],
    'SMULH': ['smulh x0, x1, x2'],
    'UMADDL': ['umaddl x0, w1, w2, x3', 'umull x4, w5, w6'],
    'UMSUBL': ['umsubl x0, w1, w2, x3'],
    'UMULH': ['umulh x0, x1, x2'],
}

FP = {}
SIMD = {}

# Words no pattern may claim: (word, reason).
UNALLOCATED = [
    (0x00000000, 'UDF #0 (permanently undefined)'),
    (0x0000dead, 'UDF #0xdead'),
    (0x11800000, 'add/sub immediate, 32-bit, bit 23 set'),
    (0x91800000, 'ADDG (MTE, not implemented)'),
    (0x12400000, 'logical immediate, 32-bit with N=1'),
    (0x32c00000, 'logical immediate, 32-bit with N=1 (ORR)'),
    (0x12c00000, 'move wide 32-bit with hw=2'),
    (0x52e00000, 'move wide 32-bit with hw=3 (MOVZ)'),
    (0x32800000, 'move wide opc=01'),
    (0x13400000, 'bitfield 32-bit with N=1'),
    (0x93000000, 'bitfield 64-bit with N=0'),
    (0x13200000, 'bitfield 32-bit with immr>=32'),
    (0x13008000, 'bitfield 32-bit with imms>=32'),
    (0x73000000, 'bitfield opc=11'),
    (0x13808000, 'EXTR 32-bit with imms>=32'),
    (0x93e00000, 'EXTR with o0=1'),
    (0x13c00000, 'EXTR 32-bit with N=1'),
    (0x54000010, 'B.cond with bit 4 set (BC.cond, not implemented)'),
    (0xd61f0001, 'BR with op4 != 0'),
    (0xd6bf03e0, 'DRPS'),
    (0xd4000000, 'exception generation SVC with LL=00'),
    (0xd4200001, 'BRK with LL=01'),
    (0xd4a00001, 'DCPS1'),
    (0xd5033f1f, 'barrier op2=000'),
    (0xd5033e7f, 'barrier op2=011'),
    (0xd50331ff, 'SB with CRm != 0'),
    (0xd5000000, 'system op0=00 outside hints, barriers and PSTATE'),
    (0x889f7c00, 'STLLR (LORegion, not implemented)'),
    (0xb83fc000, 'atomic o3=1 opc=100 with A=0'),
    (0xb8209000, 'atomic o3=1 opc=001'),
    (0xf8a0c000, 'LDAPR with Rs != 11111'),
    (0x7cc00000, 'LDUR SIMD&FP size=01 opc=11'),
    (0xb8c00000, 'LDURSW with size=10 opc=11'),
    (0xf8c00000, 'unscaled load size=11 opc=11'),
    (0xf8800800, 'PRFM unprivileged form (size=11 opc=10 op=10)'),
    (0xf8800400, 'PRFM post-index form'),
    (0x3c000800, 'STTR for SIMD&FP registers'),
    (0xf8600800, 'register offset with option<1>=0'),
    (0xe9000000, 'load/store pair opc=11'),
    (0x68400000, 'LDNP with opc=01'),
    (0x69000000, 'STGP (MTE, not implemented)'),
    (0xdc000000, 'literal load SIMD&FP opc=11'),
    (0x0bc00000, 'add shifted register with shift=11'),
    (0x0b008000, 'add shifted register 32-bit with amount>=32'),
    (0x0a008000, 'logical shifted register 32-bit with amount>=32'),
    (0x0b201400, 'add extended with imm3=5'),
    (0x0b600000, 'add extended with opt=01'),
    (0x1a000400, 'ADC with non-zero opcode2'),
    (0x3a400400, 'CCMN register with o2=1'),
    (0x3a400010, 'CCMN register with o3=1'),
    (0x1a800800, 'CSEL op2=10'),
    (0x5ac00c00, 'REV 32-bit with opc=000011'),
    (0x5ac01800, 'data processing 1 source opc=000110'),
    (0x1ac00000, 'data processing 2 source opc=000000'),
    (0x1ac04c00, 'CRC32X with sf=0'),
    (0x9ac04000, 'CRC32B with sf=1'),
    (0x1b200000, 'SMADDL with sf=0'),
    (0x9b408000, 'SMULH with o0=1'),
    (0x9b800000, '3-source op31=100'),
    (0x3b000000, '3-source op54=01'),
]


def assemble(lines):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'a.s')
        obj = os.path.join(tmp, 'a.o')
        with open(src, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        subprocess.run([AS, MARCH, '-o', obj, src], check=True)
        out = subprocess.run([OBJDUMP, '-d', obj], check=True,
                             capture_output=True, text=True).stdout
    words = []
    for ln in out.splitlines():
        parts = ln.split('\t')
        if len(parts) >= 2 and parts[0].strip().endswith(':'):
            try:
                words.append(int(parts[1].strip(), 16))
            except ValueError:
                pass
    assert len(words) == len(lines), (len(words), len(lines))
    return words


def main():
    entries = []
    for table in (BASE, FP, SIMD):
        for name, asm in table.items():
            for a in asm:
                entries.append((name, a))
    words = assemble([a for _, a in entries])
    print('# Generated by gen-a64-insns.py; do not edit.')
    print('# word     expected-pattern  # source')
    for (name, a), w in zip(entries, words):
        print(f'{w:08x} {name:<16} # {a}')
    for w, why in UNALLOCATED:
        print(f'{w:08x} {"-":<16} # {why}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
