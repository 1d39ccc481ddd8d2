/*
 * The x87 opcode maps (SDM Vol. 2 Tables ): D8-DF with a
 * memory operand by ModRM.reg, with a register operand by the whole
 * ModRM byte (C0-FF).
 */
#include "turtle/osdep.h"
#include "target/i386/translate.h"
#include "target/i386/decode-common.h"

const X86OpEntry x86_map_x87[8] = {
};
