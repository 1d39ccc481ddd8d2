/*
 * Checks the A64 decode tables (target/arm/a64*.decode): every instruction
 * word in a64-insns.txt must be claimed by exactly one pattern of exactly
 * one of the three decoders, and it must be the expected one; words
 * expected as "-" (unallocated) must be claimed by none.
 *
 * a64-insns.txt was produced by gen-a64-insns.py from assembler snippets
 * (aarch64-linux-gnu-as); see that script.
 *
 * With --names, reads hex words from stdin and prints the pattern name of
 * each (or "-"), for comparing against a disassembler while writing the
 * tables.
 */
#include <glib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct DisasContext {
    const char *name;       /* last trans_ called */
    char fields[256];       /* its arguments, "a=1 b=2" */
    int calls;
} DisasContext;

static bool decodetree_trans_stub(DisasContext *ctx, const char *name,
                                  const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static bool decodetree_trans_stub(DisasContext *ctx, const char *name,
                                  const char *fmt, ...)
{
    va_list ap;

    ctx->name = name;
    ctx->calls++;
    va_start(ap, fmt);
    vsnprintf(ctx->fields, sizeof(ctx->fields), fmt, ap);
    va_end(ap);
    return true;
}

static int times_2(DisasContext *ctx, int x)
{
    return x * 2;
}

static int times_4(DisasContext *ctx, int x)
{
    return x * 4;
}

static int times_8(DisasContext *ctx, int x)
{
    return x * 8;
}

static int times_16(DisasContext *ctx, int x)
{
    return x * 16;
}

static int times_4096(DisasContext *ctx, int x)
{
    return x * 4096;
}

static int plus_1(DisasContext *ctx, int x)
{
    return x + 1;
}

static int plus_2(DisasContext *ctx, int x)
{
    return x + 2;
}

static int rsub_8(DisasContext *ctx, int x)
{
    return 8 - x;
}

static int rsub_16(DisasContext *ctx, int x)
{
    return 16 - x;
}

static int rsub_32(DisasContext *ctx, int x)
{
    return 32 - x;
}

static int rsub_64(DisasContext *ctx, int x)
{
    return 64 - x;
}

/* DecodeBitMasks() of the Arm ARM (J1 shared pseudocode), wmask only. */
static uint64_t logic_imm_decode(DisasContext *ctx, int x)
{
    unsigned sf = (x >> 13) & 1, n = (x >> 12) & 1;
    unsigned immr = (x >> 6) & 0x3f, imms = x & 0x3f;
    unsigned len, esize, levels, s, r;
    uint64_t elt, mask;

    if (!sf && n) {
        return 0;
    }
    len = 31 - __builtin_clz((n << 6) | (~imms & 0x3f));
    if ((n << 6 | (~imms & 0x3f)) == 0 || len < 1) {
        return 0;
    }
    esize = 1u << len;
    levels = esize - 1;
    s = imms & levels;
    r = immr & levels;
    if (s == levels) {
        return 0;
    }
    elt = (s + 1 == 64) ? ~0ull : (1ull << (s + 1)) - 1;
    if (r) {
        elt = (elt >> r) | (elt << (esize - r));
    }
    if (esize < 64) {
        elt &= (1ull << esize) - 1;
    }
    mask = 0;
    for (unsigned i = 0; i < 64; i += esize) {
        mask |= elt << i;
    }
    return mask;
}

#include "decode-a64.h"
#include "decode-a64-fp.h"
#include "decode-a64-simd.h"

/*
 * Name of the one pattern claiming insn, "-" for none, NULL for several;
 * its arguments in *fields.
 */
static const char *decode_name(uint32_t insn, char *fields, size_t size)
{
    DisasContext ctx = { 0 };
    int hits = 0;

    hits += disas_a64(&ctx, insn);
    hits += disas_a64_fp(&ctx, insn);
    hits += disas_a64_simd(&ctx, insn);
    g_strlcpy(fields, ctx.fields, size);
    if (hits > 1 || ctx.calls > 1) {
        return NULL;
    }
    return hits ? ctx.name : "-";
}

/* Each "k=v" of want must be in the argument string got. */
static bool fields_match(const char *got, const char *want)
{
    g_auto(GStrv) have = g_strsplit(got, " ", -1);
    g_auto(GStrv) need = g_strsplit(want, " ", -1);

    for (int i = 0; need[i]; i++) {
        if (need[i][0] && !g_strv_contains((const char * const *)have,
                                           need[i])) {
            return false;
        }
    }
    return true;
}

static void test_insns(void)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    GError *err = NULL;
    int checked = 0, fields_checked = 0, bad = 0;

    g_file_get_contents(A64_INSNS, &text, NULL, &err);
    g_assert_no_error(err);
    lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        char want[64], fields[256];
        g_autofree char *want_fields = NULL;
        const char *got, *hash, *p;
        unsigned insn;
        int n;

        if (lines[i][0] == '#' || lines[i][0] == 0) {
            continue;
        }
        g_assert_cmpint(sscanf(lines[i], "%x %63s %n", &insn, want, &n), ==, 2);
        /* optional "k=v ..." expected arguments before the comment */
        p = lines[i] + n;
        hash = strchr(p, '#');
        want_fields = g_strstrip(g_strndup(p, hash ? (size_t)(hash - p) : strlen(p)));
        got = decode_name(insn, fields, sizeof(fields));
        checked++;
        if (!got || strcmp(got, want) != 0) {
            g_test_message("%s: decoded as %s", lines[i],
                           got ? got : "(several patterns)");
            bad++;
        } else if (strcmp(got, "-") != 0 && !fields_match(fields, want_fields)) {
            g_test_message("%s: arguments are %s", lines[i], fields);
            bad++;
        }
        fields_checked += want_fields[0] != 0;
    }
    g_test_message("%d words checked (%d with arguments), %d wrong",
                   checked, fields_checked, bad);
    g_assert_cmpint(checked, >, 1000);
    g_assert_cmpint(bad, ==, 0);
}

/* A few field values, beyond the pattern names. */
static void test_fields(void)
{
    DisasContext ctx = { 0 };

    /* and x0, x1, #0xff00ff00ff00ff00 */
    g_assert_cmphex(logic_imm_decode(&ctx, 1 << 13 | 0 << 12 | 8 << 6 | 0x27),
                    ==, 0xff00ff00ff00ff00ull);
    /* and w0, w1, #1: sf=0 N=0 immr=0 imms=0 */
    g_assert_cmphex(logic_imm_decode(&ctx, 0) & 0xffffffff, ==, 1);
    /* reserved: all ones */
    g_assert_cmphex(logic_imm_decode(&ctx, 1 << 13 | 1 << 12 | 0x3f), ==, 0);
    g_assert_cmphex(logic_imm_decode(&ctx, 1 << 12), ==, 0);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--names") == 0) {
        char line[64], fields[256];

        while (fgets(line, sizeof(line), stdin)) {
            unsigned insn;
            const char *name;

            if (sscanf(line, "%x", &insn) != 1) {
                continue;
            }
            name = decode_name(insn, fields, sizeof(fields));
            printf("%08x %s %s\n", insn, name ? name : "(several)",
                   name && strcmp(name, "-") ? fields : "");
        }
        return 0;
    }
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/a64-decode/insns", test_insns);
    g_test_add_func("/a64-decode/fields", test_fields);
    return g_test_run();
}
