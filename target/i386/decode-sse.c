/*
 * The SSE/AVX parts of the opcode maps: legacy 0F, 0F38, 0F3A and the
 * VEX maps.  (Filled by the vector front end; an empty entry is #UD.)
 */
#include "turtle/osdep.h"
#include "target/i386/translate.h"
#include "target/i386/decode-common.h"

const X86OpEntry x86_map_0f_sse[256] = {
};
const X86OpEntry x86_map_0f38_sse[256] = {
};
const X86OpEntry x86_map_0f3a_sse[256] = {
};
const X86OpEntry x86_vex_0f_sse[256] = {
};
const X86OpEntry x86_vex_0f38_sse[256] = {
};
const X86OpEntry x86_vex_0f3a_sse[256] = {
};
