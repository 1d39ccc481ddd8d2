/*
 * Unit test for scripts/decodetree.py: decoders generated from good32.decode
 * and good16.decode must call the right trans_ function with the right
 * field values, honour group order and fall through when a trans_ function
 * returns false.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct DisasContext {
    GString *log;
    const char *refuse;     /* trans_ of this name returns false */
    int magic;
} DisasContext;

static int times4(DisasContext *ctx, int x)
{
    return x * 4;
}

static int ctx_value(DisasContext *ctx)
{
    return ctx->magic;
}

static uint64_t shift32(DisasContext *ctx, int x)
{
    return (uint64_t)x << 32;
}

static bool record(DisasContext *ctx, const char *name, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static bool record(DisasContext *ctx, const char *name, const char *fmt, ...)
{
    va_list ap;

    if (ctx->log->len) {
        g_string_append_c(ctx->log, ' ');
    }
    g_string_append_printf(ctx->log, "%s(", name);
    va_start(ap, fmt);
    g_string_append_vprintf(ctx->log, fmt, ap);
    va_end(ap);
    g_string_append_c(ctx->log, ')');
    return !ctx->refuse || strcmp(ctx->refuse, name) != 0;
}

#include "decode-good32.h"
#include "decode-good16.h"

static bool trans_ADDI(DisasContext *ctx, arg_rri *a)
{
    return record(ctx, "ADDI", "%d,%d,%d", a->rd, a->rn, a->imm);
}

static bool trans_SUBI(DisasContext *ctx, arg_rri *a)
{
    return record(ctx, "SUBI", "%d,%d,%d", a->rd, a->rn, a->imm);
}

static bool trans_MOVZ(DisasContext *ctx, arg_MOVZ *a)
{
    return record(ctx, "MOVZ", "hw=%d,rd=%d,ignore=%d,imm=%d",
                  a->hw, a->rd, a->ignore, a->imm);
}

static bool trans_BCOND(DisasContext *ctx, arg_BCOND *a)
{
    return record(ctx, "BCOND", "%d,%d", a->cond, a->off);
}

static bool trans_SBR(DisasContext *ctx, arg_SBR *a)
{
    return record(ctx, "SBR", "%d", a->off);
}

static bool trans_MULTI(DisasContext *ctx, arg_MULTI *a)
{
    return record(ctx, "MULTI", "%d,%d", a->x, a->y);
}

static bool trans_SCALE(DisasContext *ctx, arg_SCALE *a)
{
    return record(ctx, "SCALE", "%d,%d,%d", a->rd, a->rn, a->imm);
}

static bool trans_CTX(DisasContext *ctx, arg_CTX *a)
{
    return record(ctx, "CTX", "%d,%d,%d", a->rd, a->rn, a->imm);
}

static bool trans_WIDE(DisasContext *ctx, arg_wide *a)
{
    return record(ctx, "WIDE", "%d,0x%" PRIx64, a->rd, a->val);
}

static bool trans_NOARGS(DisasContext *ctx, arg_empty *a)
{
    return record(ctx, "NOARGS", "%s", "");
}

static bool trans_PAIR(DisasContext *ctx, arg_noset *a)
{
    return record(ctx, "PAIR", "%d,%d", a->a, a->b);
}

static bool trans_MOVR(DisasContext *ctx, arg_rr *a)
{
    return record(ctx, "MOVR", "%d,%d", a->rd, a->rn);
}

static bool trans_NOP(DisasContext *ctx, arg_empty *a)
{
    return record(ctx, "NOP", "%s", "");
}

static bool trans_HINT(DisasContext *ctx, arg_rri *a)
{
    return record(ctx, "HINT", "%d", a->imm);
}

static bool trans_ZERO_A(DisasContext *ctx, arg_empty *a)
{
    return record(ctx, "ZERO_A", "%s", "");
}

static bool trans_ZERO_B(DisasContext *ctx, arg_empty *a)
{
    return record(ctx, "ZERO_B", "%s", "");
}

static bool trans_ANY_2X(DisasContext *ctx, arg_rr *a)
{
    return record(ctx, "ANY_2X", "%d,%d", a->rd, a->rn);
}

static bool trans_SPARSE_A(DisasContext *ctx, arg_empty *a)
{
    return record(ctx, "SPARSE_A", "%s", "");
}

static bool trans_SPARSE_B(DisasContext *ctx, arg_empty *a)
{
    return record(ctx, "SPARSE_B", "%s", "");
}

static bool trans_SPARSE_C(DisasContext *ctx, arg_empty *a)
{
    return record(ctx, "SPARSE_C", "%s", "");
}

static bool trans_SPLIT_A(DisasContext *ctx, arg_empty *a)
{
    return record(ctx, "SPLIT_A", "%s", "");
}

static bool trans_SPLIT_B(DisasContext *ctx, arg_empty *a)
{
    return record(ctx, "SPLIT_B", "%s", "");
}

static bool trans_SPLIT_G1(DisasContext *ctx, arg_empty *a)
{
    return record(ctx, "SPLIT_G1", "%s", "");
}

static bool trans_SPLIT_G2(DisasContext *ctx, arg_empty *a)
{
    return record(ctx, "SPLIT_G2", "%s", "");
}

static bool trans_C_LI(DisasContext *ctx, arg_ri *a)
{
    return record(ctx, "C_LI", "%d,%d", a->rd, a->imm);
}

static bool trans_C_ADDI(DisasContext *ctx, arg_ri *a)
{
    return record(ctx, "C_ADDI", "%d,%d", a->rd, a->imm);
}

static bool trans_C_J(DisasContext *ctx, arg_C_J *a)
{
    return record(ctx, "C_J", "%d", a->off);
}

static bool trans_C_HALT(DisasContext *ctx, arg_C_HALT *a)
{
    return record(ctx, "C_HALT", "%s", "");
}

static bool trans_C_SYS(DisasContext *ctx, arg_C_SYS *a)
{
    return record(ctx, "C_SYS", "%d", a->code);
}

typedef struct {
    uint32_t insn;
    const char *refuse;
    bool result;
    const char *log;
} Case;

static const Case cases32[] = {
    { 0x01000000 | 0x123 << 10 | 3 << 5 | 4, NULL, true, "ADDI(4,3,291)" },
    { 0x01400000 | 0xfff << 10 | 31 << 5 | 0, NULL, true, "SUBI(0,31,4095)" },
    { 0x02000000 | 2 << 21 | 0xbeef << 5 | 9, NULL, true,
      "MOVZ(hw=2,rd=9,ignore=7,imm=48879)" },
    /* bit 23 is fixed to 0 in MOVZ */
    { 0x02800000, NULL, false, "" },
    /* signed 19-bit field (cond overlaps its top bits): all ones is -1,
     * top bit alone is -2^18 */
    { 0x03000000 | 0xe << 20 | 0x7ffff << 5, NULL, true, "BCOND(15,-1)" },
    { 0x03000000 | 0x40000 << 5, NULL, true, "BCOND(8,-262144)" },
    { 0x03000000 | 0x3ffff << 5, NULL, true, "BCOND(7,262143)" },
    { 0x04800000, NULL, true, "SBR(-8388608)" },
    { 0x04000005, NULL, true, "SBR(5)" },
    /* x = insn[31:30]:insn[14:12]:insn[1:0]; here 00:101:11 */
    { 0x05000000 | 5 << 12 | 3, NULL, true, "MULTI(23,0)" },
    /* y = sext(insn[23:20]):insn[11:8]: 1000:0001 = -127 */
    { 0x05000000 | 8 << 20 | 1 << 8, NULL, true, "MULTI(0,-127)" },
    { 0x06000000 | 0x3f << 10, NULL, true, "SCALE(0,1,252)" },
    { 0x06ff0000, NULL, true, "CTX(42,2,3)" },
    { 0x06010000, NULL, false, "" },
    { 0x07000000 | 0xffff << 5 | 0x1f << 4, NULL, true,
      "WIDE(31,0xffff00000000)" },
    { 0x08000000, NULL, true, "NOARGS()" },
    { 0x08000001, NULL, false, "" },
    { 0x09000000 | 7 << 5 | 8, NULL, true, "PAIR(7,8)" },
    { 0x0a000000 | 1 << 5 | 2, NULL, true, "PAIR(1,2)" },
    { 0x0b000000 | 30 << 5 | 29, NULL, true, "MOVR(29,30)" },
    /* overlap group: first match wins ... */
    { 0x10000000, NULL, true, "NOP()" },
    { 0x10000005, NULL, true, "HINT(5)" },
    /* ... and a refusing trans_ falls through to the next pattern */
    { 0x10000000, "NOP", true, "NOP() HINT(0)" },
    { 0x10000000, "HINT", true, "NOP()" },
    { 0x10000001, "HINT", false, "HINT(1)" },
    /* overlap group around a non-overlapping one */
    { 0x20000000, NULL, true, "ZERO_A()" },
    { 0x20100000, NULL, true, "ZERO_B()" },
    { 0x20200000 | 3 << 15 | 4 << 10, NULL, true, "ANY_2X(4,3)" },
    { 0x20000000 | 1 << 10, "ZERO_A", true, "ZERO_A() ANY_2X(1,0)" },
    { 0x30800000, NULL, true, "SPARSE_A()" },
    { 0x30f00000, NULL, true, "SPARSE_A()" },
    { 0x30400000, NULL, true, "SPARSE_B()" },
    { 0x30200000, NULL, true, "SPARSE_C()" },
    { 0x30000000, NULL, false, "" },
    /* a group member must still check the bit its group was split on */
    { 0x40c00000, NULL, true, "SPLIT_A()" },
    { 0x40000000, NULL, true, "SPLIT_B()" },
    { 0x40800000, NULL, false, "" },
    { 0x40000002, NULL, true, "SPLIT_G1()" },
    { 0x40800002, NULL, true, "SPLIT_G2()" },
    { 0x40000002, "SPLIT_G1", false, "SPLIT_G1()" },
    { 0x40c00002, NULL, true, "SPLIT_A()" },
    { 0xff000000, NULL, false, "" },
    { 0x00000000, NULL, false, "" },
};

static const Case cases16[] = {
    { 0x1a7f, NULL, true, "C_LI(10,127)" },
    { 0x2380, NULL, true, "C_ADDI(3,-128)" },
    { 0x3fff, NULL, true, "C_J(-1)" },
    { 0x3800, NULL, true, "C_J(-2048)" },
    { 0x0000, NULL, true, "C_HALT()" },
    { 0x0000, "C_HALT", true, "C_HALT() C_SYS(0)" },
    { 0x0123, NULL, true, "C_SYS(291)" },
    { 0x4000, NULL, false, "" },
    { 0xffff, NULL, false, "" },
};

static void run_case(const Case *c, bool is16)
{
    DisasContext ctx = { .log = g_string_new(NULL), .refuse = c->refuse,
                         .magic = 42 };
    bool ok = is16 ? decode_good16(&ctx, (uint16_t)c->insn)
                   : decode_good32(&ctx, c->insn);

    if (ok != c->result || strcmp(ctx.log->str, c->log) != 0) {
        g_test_message("insn 0x%08x refuse %s: got %d \"%s\", expected "
                       "%d \"%s\"", c->insn, c->refuse ? c->refuse : "-",
                       ok, ctx.log->str, c->result, c->log);
    }
    g_assert_cmpstr(ctx.log->str, ==, c->log);
    g_assert_cmpint(ok, ==, c->result);
    g_string_free(ctx.log, TRUE);
}

static void test_decode32(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cases32); i++) {
        run_case(&cases32[i], false);
    }
}

static void test_decode16(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cases16); i++) {
        run_case(&cases16[i], true);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/decodetree/insn32", test_decode32);
    g_test_add_func("/decodetree/insn16", test_decode16);
    return g_test_run();
}
