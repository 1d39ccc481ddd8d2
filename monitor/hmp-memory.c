/*
 * x, xp and print: guest memory and expressions, in QEMU's formats.
 *
 *   x /[count][format][size] addr     virtual memory (through the CPU's MMU)
 *   xp /[count][format][size] addr    physical memory
 *   print /format expr
 *
 * format: x (hex, the default), d (decimal), u (unsigned), o (octal),
 * c (characters), i (instructions); size: b, h, w (the default), g.  A
 * missing format or size is the one used last, and count defaults to 1,
 * as in QEMU (and like QEMU, 'd' shows a narrow value as read, without
 * sign extension, and 'c' with a size shows count * size characters).
 * Lines are "ADDRESS: value value...", 16 bytes per line (8 for bytes).
 *
 * Expressions have numbers (0x.., 0.., decimal), 'c' characters,
 * $NAME registers of the current CPU (the target says which names:
 * $pc, $sp, $x0..$x30 on Arm; $rax/$eax... $rip/$eip, $pc, $eflags,
 * segment selectors and $cs.base... on x86), parentheses, unary - + ~,
 * then * / %, then & | ^, then + - (QEMU's precedence).
 */
#include "turtle/osdep.h"
#include "monitor/hmp-internal.h"
#include "hw/core/cpu.h"
#include "exec/memory.h"
#include "turtle/bswap.h"
#ifdef CONFIG_CAPSTONE
#include <capstone/capstone.h>
#endif

/* A dump asks for at most this much memory (QEMU has no limit; a client
 * asking for gigabytes would otherwise fill our memory with text). */
#define HMP_DUMP_MAX_BYTES (1 << 20)
#define HMP_DUMP_MAX_INSNS 65536

/* ---- expressions ---- */

/* Nesting an expression can have: what fits on a typed line (QEMU's
 * recursive parser has no other bound; human-monitor-command lines are
 * not limited, and must not take the C stack). */
#define EXPR_MAX_DEPTH HMP_LINE_MAX

typedef struct Expr {
    HMPArgs *a;
    const char *p;
    bool failed;
    unsigned depth;             /* unary operators and parentheses open */
} Expr;

static void expr_error(Expr *e, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void expr_error(Expr *e, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (e->failed) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    hmp_arg_error(e->a, "%s", msg);
    e->failed = true;
}

static void expr_skip(Expr *e)
{
    while (g_ascii_isspace(*e->p)) {
        e->p++;
    }
}

static uint64_t expr_sum(Expr *e);

static uint64_t expr_register(Expr *e)
{
    const char *start = e->p;
    g_autofree char *name = NULL;
    CPUState *cpu;
    CPUClass *cc;
    uint64_t v = 0;

    while (g_ascii_isalnum(*e->p) || *e->p == '_' || *e->p == '.') {
        e->p++;
    }
    name = g_ascii_strdown(start, e->p - start);
    cpu = hmp_cpu(e->a->mon);
    cc = cpu ? CPU_GET_CLASS(cpu) : NULL;
    if (cc && cc->monitor_get_register &&
        cc->monitor_get_register(cpu, name, &v)) {
        return v;
    }
    if (cc && cc->get_pc && !strcmp(name, "pc")) {
        return cc->get_pc(cpu);
    }
    expr_error(e, "unknown register");
    return 0;
}

/* A unary operator or a parenthesis: one level deeper. */
static uint64_t expr_nested(Expr *e, uint64_t (*parse)(Expr *e))
{
    uint64_t v;

    if (e->depth >= EXPR_MAX_DEPTH) {
        expr_error(e, "expression too deeply nested");
        return 0;
    }
    e->depth++;
    v = parse(e);
    e->depth--;
    return v;
}

static uint64_t expr_unary(Expr *e)
{
    uint64_t n = 0;
    char *end;

    if (e->failed) {
        return 0;
    }
    expr_skip(e);
    switch (*e->p) {
    case '+':
        e->p++;
        return expr_nested(e, expr_unary);
    case '-':
        e->p++;
        return -expr_nested(e, expr_unary);
    case '~':
        e->p++;
        return ~expr_nested(e, expr_unary);
    case '(':
        e->p++;
        n = expr_nested(e, expr_sum);
        if (e->failed) {
            return 0;
        }
        expr_skip(e);
        if (*e->p != ')') {
            expr_error(e, "')' expected");
            return 0;
        }
        e->p++;
        break;
    case '\'':
        if (!e->p[1]) {
            expr_error(e, "character constant expected");
            return 0;
        }
        n = (uint8_t)e->p[1];
        if (e->p[2] != '\'') {
            expr_error(e, "missing terminating ' character");
            return 0;
        }
        e->p += 3;
        break;
    case '$':
        e->p++;
        n = expr_register(e);
        break;
    case '\0':
        expr_error(e, "unexpected end of expression");
        return 0;
    default:
        errno = 0;
        n = strtoull(e->p, &end, 0);
        if (end == e->p || *e->p == '-' || *e->p == '+') {
            expr_error(e, "invalid char '%c' in expression", *e->p);
            return 0;
        }
        if (errno == ERANGE) {
            expr_error(e, "number too large");
            return 0;
        }
        e->p = end;
        break;
    }
    expr_skip(e);
    return n;
}

static uint64_t expr_prod(Expr *e)
{
    uint64_t v = expr_unary(e);

    while (!e->failed && (*e->p == '*' || *e->p == '/' || *e->p == '%')) {
        char op = *e->p++;
        uint64_t w = expr_unary(e);
        int64_t sv = v, sw = w;

        if (op == '*') {
            v *= w;
        } else if (w == 0) {
            expr_error(e, "division by zero");
        } else if (sw == -1) {
            v = op == '/' ? -v : 0;     /* INT64_MIN / -1 wraps */
        } else {
            v = op == '/' ? (uint64_t)(sv / sw) : (uint64_t)(sv % sw);
        }
    }
    return v;
}

static uint64_t expr_logic(Expr *e)
{
    uint64_t v = expr_prod(e);

    while (!e->failed && (*e->p == '&' || *e->p == '|' || *e->p == '^')) {
        char op = *e->p++;
        uint64_t w = expr_prod(e);

        v = op == '&' ? v & w : op == '|' ? v | w : v ^ w;
    }
    return v;
}

static uint64_t expr_sum(Expr *e)
{
    uint64_t v = expr_logic(e);

    while (!e->failed && (*e->p == '+' || *e->p == '-')) {
        char op = *e->p++;
        uint64_t w = expr_logic(e);

        v = op == '+' ? v + w : v - w;
    }
    return v;
}

bool hmp_arg_expr(HMPArgs *a, int64_t *val)
{
    Expr e = { .a = a, .p = a->p };
    uint64_t v;

    if (a->failed) {
        return false;
    }
    v = expr_sum(&e);
    a->p = e.p;
    *val = v;
    return !e.failed;
}

/* ---- print ---- */

static void hmp_printc(HMPMonitor *mon, int c)
{
    mon_printf(mon, "'");
    switch (c) {
    case '\'':
        mon_printf(mon, "\\'");
        break;
    case '\\':
        mon_printf(mon, "\\\\");
        break;
    case '\n':
        mon_printf(mon, "\\n");
        break;
    case '\r':
        mon_printf(mon, "\\r");
        break;
    default:
        if (c >= 32 && c <= 126) {
            mon_printf(mon, "%c", c);
        } else {
            mon_printf(mon, "\\x%02x", (unsigned)c);
        }
        break;
    }
    mon_printf(mon, "'");
}

void hmp_print(HMPArgs *a)
{
    int count, size;
    char format;
    int64_t v;

    if (!hmp_arg_format(a, &count, &format, &size) || !hmp_arg_expr(a, &v) ||
        !hmp_args_end(a)) {
        return;
    }
    switch (format) {
    case 'o':
        mon_printf(a->mon, "%#" PRIo64 "\n", (uint64_t)v);
        break;
    case 'x':
        mon_printf(a->mon, "%#" PRIx64 "\n", (uint64_t)v);
        break;
    case 'u':
        mon_printf(a->mon, "%" PRIu64 "\n", (uint64_t)v);
        break;
    case 'c':
        hmp_printc(a->mon, (int)v);     /* as QEMU: all of it, '\xfffffff2' */
        mon_printf(a->mon, "\n");
        break;
    default:
        mon_printf(a->mon, "%" PRId64 "\n", v);
        break;
    }
}

/* ---- memory ---- */

static bool hmp_read(CPUState *cpu, bool physical, uint64_t addr, void *buf,
                     size_t len)
{
    if (physical) {
        AddressSpace *as = cpu && cpu->as ? cpu->as : &address_space_memory;
        return address_space_read(as, addr, (MemTxAttrs){ .debug = 1 }, buf,
                                  len) == MEMTX_OK;
    }
    return cpu_memory_rw_debug(cpu, addr, buf, len, false) >= 0;
}

static void hmp_disas(HMPMonitor *mon, CPUState *cpu, bool physical,
                      uint64_t pc, int count)
{
#ifdef CONFIG_CAPSTONE
    CPUClass *cc = CPU_GET_CLASS(cpu);
    bool x86 = cc->disas_cs_arch == CS_ARCH_X86;
    int split = x86 ? 8 : 4;       /* bytes shown before the mnemonic */
    csh h;

    if (!cc->disas_cs_arch ||
        cs_open(cc->disas_cs_arch, cc->disas_cs_mode, &h) != CS_ERR_OK) {
        mon_printf(mon, "no disassembler for this CPU\n");
        return;
    }
    if (x86) {
        cs_option(h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
    }
    /* what is not an instruction shows as ".byte ...", as in QEMU */
    cs_option(h, CS_OPT_SKIPDATA, CS_OPT_ON);
    for (int i = 0; i < count; i++) {
        uint8_t buf[16];
        size_t n = sizeof(buf);
        cs_insn *insn = NULL;

        /* an instruction may end before a page that cannot be read */
        while (n && !hmp_read(cpu, physical, pc, buf, n)) {
            n = n > 4 ? 4 : n - 1;
        }
        if (!n || !cs_disasm(h, buf, n, pc, 1, &insn)) {
            mon_printf(mon, "0x%08" PRIx64 ": unable to read memory\n", pc);
            break;
        }
        mon_printf(mon, "0x%08" PRIx64 ": ", pc);
        if (x86) {
            for (int b = 0; b < MIN(insn->size, split); b++) {
                mon_printf(mon, " %02x", insn->bytes[b]);
            }
            if (insn->size < split) {
                mon_printf(mon, "%*s", (split - insn->size) * 3, "");
            }
        } else {
            mon_printf(mon, " %08x", ld32_le_p(insn->bytes));
        }
        mon_printf(mon, "  %-8s %s\n", insn->mnemonic, insn->op_str);
        for (int b = split; x86 && b < insn->size; b += split) {
            mon_printf(mon, "0x%08" PRIx64 ": ", pc + b);
            for (int k = b; k < MIN(insn->size, b + split); k++) {
                mon_printf(mon, " %02x", insn->bytes[k]);
            }
            mon_printf(mon, "\n");
        }
        pc += insn->size;
        cs_free(insn, 1);
    }
    cs_close(&h);
#else
    mon_printf(mon, "this build has no disassembler (capstone)\n");
#endif
}

static void memory_dump(HMPArgs *a, bool physical)
{
    HMPMonitor *mon = a->mon;
    int count, wsize, digits = 0;
    char format;
    int64_t addr_arg;
    uint64_t addr, len;
    CPUState *cpu;

    if (!hmp_arg_format(a, &count, &format, &wsize) ||
        !hmp_arg_expr(a, &addr_arg) || !hmp_args_end(a)) {
        return;
    }
    addr = addr_arg;
    cpu = hmp_cpu(mon);
    if (!cpu && (format == 'i' || !physical)) {
        mon_printf(mon, "Can not dump without CPU\n");
        return;
    }
    if (format == 'i') {
        if (count > HMP_DUMP_MAX_INSNS) {
            mon_printf(mon, "%s: at most %d instructions at a time\n",
                       a->help_name, HMP_DUMP_MAX_INSNS);
            return;
        }
        hmp_disas(mon, cpu, physical, addr, count);
        return;
    }
    len = (uint64_t)wsize * count;
    if (len > HMP_DUMP_MAX_BYTES) {
        mon_printf(mon, "%s: at most %d bytes at a time\n", a->help_name,
                   HMP_DUMP_MAX_BYTES);
        return;
    }
    switch (format) {
    case 'o':
        digits = DIV_ROUND_UP(wsize * 8, 3);
        break;
    case 'u':
    case 'd':
        digits = DIV_ROUND_UP(wsize * 8 * 10, 33);
        break;
    case 'c':
        wsize = 1;
        break;
    default:
        digits = wsize * 2;
        break;
    }
    while (len > 0) {
        uint8_t buf[16];
        int l = MIN(len, wsize == 1 ? 8 : 16);

        mon_printf(mon, "%016" PRIx64 ":", addr);
        if (!hmp_read(cpu, physical, addr, buf, l)) {
            mon_printf(mon, " Cannot access memory\n");
            break;
        }
        for (int i = 0; i < l; i += wsize) {
            uint64_t v = ldn_le_p(buf + i, wsize);   /* both targets: LE */

            mon_printf(mon, " ");
            switch (format) {
            case 'o':
                mon_printf(mon, "%#*" PRIo64, digits, v);
                break;
            case 'u':
                mon_printf(mon, "%*" PRIu64, digits, v);
                break;
            case 'd':
                mon_printf(mon, "%*" PRId64, digits, (int64_t)v);
                break;
            case 'c':
                hmp_printc(mon, v);
                break;
            default:
                mon_printf(mon, "0x%0*" PRIx64, digits, v);
                break;
            }
        }
        mon_printf(mon, "\n");
        addr += l;
        len -= l;
    }
}

void hmp_memory_dump(HMPArgs *a)
{
    memory_dump(a, false);
}

void hmp_physical_memory_dump(HMPArgs *a)
{
    memory_dump(a, true);
}
