/*
 * The monitors against hostile clients: random and adversarial QMP and
 * human monitor input against a running guest.
 *
 * Clients, each on its own socket of one turtle process:
 *  - two QMP clients (one compact, one pretty=on) and two human monitor
 *    clients (-monitor, -mon) that send adversarial input: deep nesting,
 *    huge strings and numbers, invalid UTF-8, wrong types, unknown
 *    commands, mutated and random bytes, lines in pieces, editing keys,
 *    command lines with random formats, addresses and expressions (also
 *    through human-monitor-command);
 *  - clients that connect, write something (or nothing) and vanish, some
 *    with a reset instead of a close;
 *  - clients that never read: an idle negotiated QMP client, and a QMP
 *    and a human monitor client flooding requests (turtle drops those
 *    after 2 s without taking any output; the next one connects);
 *  - clients that read too slowly: a QMP and a human monitor client that
 *    send every round as many requests with a long answer as the socket
 *    takes and read 4 KiB of answers, so they are never stalled long
 *    enough to be dropped.  Turtle must stop reading their requests
 *    while their answers wait: without that bound it would read some
 *    thousand requests a round and keep their megabytes of answers;
 *  - an observer.
 * After every adversarial input the same client sends a well-formed
 * command, which must be answered.  Every few rounds the observer checks
 * that turtle lives, the guest (an endless counter loop) still runs,
 * fresh clients are served, and turtle's peak memory stays within a
 * bound of its start-up size.
 * At the end quit from the observer ends turtle while the flooding
 * clients are stuck.
 *
 * TURTLE_FUZZ_SEED=N picks another sequence of inputs (default 1; the
 * seed is printed), TURTLE_FUZZ_ROUNDS=N another length (default 240).
 * Input that could end the VM is never generated: no quit (or a line
 * that could edit into "q"); "stop" is allowed and undone before the
 * guest is checked.
 */
#include "libmonitor.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_SEED    1
#define DEFAULT_ROUNDS  240
#define CHECK_EVERY     24
/* turtle's peak resident memory may exceed its start-up size by this
 * much: every client's output and input buffers at their bounds, twice
 * over (see docs/running.md, "Clients that do not read").  Without the
 * input bound the slow readers' and flooders' answers pile up (checked
 * by making monitor_out_full() return false: the test then fails at the
 * first checkpoint, peak 130 MiB against 17 MiB).  AddressSanitizer keeps
 * up to 256 MiB of freed memory in quarantine. */
#define MEMORY_GROWTH_MAX_KB      (64 * 1024)
#define MEMORY_GROWTH_MAX_ASAN_KB (512 * 1024)
#define EXCHANGE_TIMEOUT_MS  30000

enum { QMP_COMPACT, QMP_PRETTY, NB_QMP };
enum { HMP_MONITOR, HMP_MON, NB_HMP };

typedef struct Fuzzer {
    GRand *rand;
    unsigned seed;
    Turtle t;
    QMPClient obs;
    int qmp[NB_QMP];
    int hmp[NB_HMP];
    int idle, qflood, hflood;       /* never read */
    GString *qflood_text, *hflood_text;
    int qslow, hslow;               /* read 4 KiB a round */
    GString *qslow_text, *hslow_text;
    size_t slow_read;
    unsigned round;
    const char *what;               /* the current input, for failures */
    long rss_start_kb;
    unsigned answered, vanished, stops, dropped;
    size_t bytes_sent;
} Fuzzer;

static Fuzzer fz;

static unsigned rnd(unsigned n)
{
    return n ? g_rand_int_range(fz.rand, 0, n) : 0;
}

static bool chance(unsigned percent)
{
    return rnd(100) < percent;
}

static const char *pick(const char *const *list, size_t n)
{
    return list[rnd(n)];
}
#define PICK(list) pick(list, G_N_ELEMENTS(list))

static void fuzz_fail(const char *fmt, ...)
    G_GNUC_PRINTF(1, 2) G_GNUC_NORETURN;
static void fuzz_fail(const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    g_autofree char *log = turtle_path(&fz.t, "stderr.log");
    g_autofree char *err = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (g_file_get_contents(log, &err, NULL, NULL)) {
        size_t len = strlen(err);
        g_printerr("turtle's stderr (end):\n%s\n",
                   err + (len > 4000 ? len - 4000 : 0));
    }
    g_error("seed %u round %u (%s): %s", fz.seed, fz.round, fz.what, msg);
}

static void check_alive(void)
{
    int status;

    if (turtle_exited(&fz.t, &status)) {
        if (WIFSIGNALED(status)) {
            fuzz_fail("turtle was killed by signal %d", WTERMSIG(status));
        }
        fuzz_fail("turtle exited with status %d", WEXITSTATUS(status));
    }
}

/* ---- input generators ---- */

static void append_random_bytes(GString *s, size_t n, int lo, int hi)
{
    for (size_t i = 0; i < n; i++) {
        g_string_append_c(s, (char)(lo + rnd(hi - lo + 1)));
    }
}

/* A JSON string's contents: printable ASCII, escapes, valid and invalid
 * UTF-8. */
static void append_json_chars(GString *s, size_t n)
{
    static const char *const odd[] = {
        "\\n", "\\\"", "\\\\", "\\/", "\\u0041", "\\u00e9", "\\ud83d\\ude00",
        "\\ud800", "\\udc00", "\\u0000", "\\uZZZZ", "\\x", "\xc3\xa9",
        "\xe2\x82\xac", "\xf0\x9f\x90\xa2", "\xc0\xaf", "\xe0\x80\xaf",
        "\xed\xa0\x80", "\xf8\x88\x80\x80\x80", "\x80", "\xbf", "\xfe",
        "\xff", "\xc3", "'", "\t",
    };

    while (n--) {
        if (chance(8)) {
            g_string_append(s, PICK(odd));
        } else {
            char c = ' ' + rnd(95);
            g_string_append_c(s, c == '"' || c == '\\' ? 'x' : c);
        }
    }
}

static const char *const safe_qmp_commands[] = {
    "query-status", "query-version", "query-commands", "query-name",
    "query-target", "query-kvm", "query-machines", "query-chardev",
    "query-cpus-fast", "system_wakeup", "cont", "qmp_capabilities",
    "system_powerdown", "system_reset", "human-monitor-command", "stop",
};

static const char *const odd_numbers[] = {
    "0", "-0", "1e999999", "-1e999999", "1.5e-400", "123456789012345678901",
    "-9223372036854775809", "9223372036854775807", "18446744073709551616",
    "0x10", "01", "1.", "-", "1e", ".5", "+1", "NaN", "Infinity", "1E+2",
    "3.14159", "-1", "4294967296",
};

/* Something in JSON: any value, valid or almost. */
static void append_json_value(GString *s, int depth)
{
    switch (rnd(depth > 3 ? 5 : 8)) {
    case 0:
        g_string_append(s, PICK(odd_numbers));
        break;
    case 1:
        g_string_append_c(s, '"');
        append_json_chars(s, rnd(40));
        g_string_append_c(s, '"');
        break;
    case 2:
        g_string_append(s, pick((const char *const[]){ "true", "false",
                        "null", "tru", "nul", "'single'", "''" }, 7));
        break;
    case 3:
        g_string_append_printf(s, "\"%s\"", PICK(safe_qmp_commands));
        break;
    case 4:
        g_string_append_printf(s, "%d", (int)g_rand_int(fz.rand));
        break;
    case 5:
    case 6: {
        unsigned n = rnd(4);
        g_string_append_c(s, '{');
        for (unsigned i = 0; i < n; i++) {
            g_string_append_printf(s, "%s\"%s\": ", i ? ", " : "",
                                   pick((const char *const[]){ "execute",
                                   "arguments", "id", "command-line",
                                   "cpu-index", "enable", "x" }, 7));
            append_json_value(s, depth + 1);
        }
        g_string_append_c(s, '}');
        break;
    }
    default: {
        unsigned n = rnd(4);
        g_string_append_c(s, '[');
        for (unsigned i = 0; i < n; i++) {
            if (i) {
                g_string_append(s, ", ");
            }
            append_json_value(s, depth + 1);
        }
        g_string_append_c(s, ']');
        break;
    }
    }
}

static void gen_hmp_line(GString *s, bool typed);
static void append_expr(GString *s, int depth, bool typed);

/* {"execute": "human-monitor-command", ...} with a command line */
static void append_hmp_command(GString *s, const char *line, const char *id)
{
    g_autofree char *esc = g_strescape(line, NULL);
    g_string_append_printf(s, "{\"execute\": \"human-monitor-command\", "
                           "\"arguments\": {\"command-line\": \"%s\"}", esc);
    if (id) {
        g_string_append_printf(s, ", \"id\": %s", id);
    }
    g_string_append_c(s, '}');
}

/* Adversarial QMP input. */
static void gen_qmp(GString *s)
{
    switch (rnd(12)) {
    case 0: {                           /* deep nesting */
        static const unsigned depths[] = { 1023, 1025, 5000, 100000, 300000 };
        unsigned depth = chance(30) ? 1 + rnd(2000) : depths[rnd(5)];
        bool objects = chance(30), close = chance(50);

        fz.what = "deep nesting";
        if (chance(25)) {               /* in an HMP expression */
            GString *line = g_string_new("p ");
            append_expr(line, -1, false);
            append_hmp_command(s, line->str, NULL);
            g_string_free(line, true);
            break;
        }
        for (unsigned i = 0; i < depth; i++) {
            g_string_append(s, objects ? "{\"a\": " : "[");
        }
        g_string_append(s, "1");
        for (unsigned i = 0; close && i < depth; i++) {
            g_string_append_c(s, objects ? '}' : ']');
        }
        break;
    }
    case 1: {                           /* huge strings */
        static const size_t sizes[] = { 1000, 65536, 1024 * 1024 - 64,
                                        1024 * 1024 + 1, 3 * 1024 * 1024 };
        size_t n = sizes[rnd(5)];
        GString *str = g_string_new(NULL);

        fz.what = "huge string";
        if (chance(50)) {
            g_string_append_len(str, "p/d 1", 5);
            while (str->len < n) {
                g_string_append(str, "+1");
            }
            append_hmp_command(s, str->str, NULL);
        } else {
            append_random_bytes(str, n, 'a', 'z');
            g_string_append_printf(s, pick((const char *const[]){
                "{\"execute\": \"%s\"}", "{\"execute\": \"query-status\", "
                "\"id\": \"%s\"}", "{\"%s\": 1}", "[\"%s\"", "\"%s" }, 5),
                str->str);
        }
        g_string_free(str, true);
        break;
    }
    case 2:                             /* huge and odd numbers */
        fz.what = "numbers";
        if (chance(50)) {
            g_string_append(s, "{\"execute\": \"query-status\", \"id\": ");
            if (chance(50)) {
                append_random_bytes(s, 1 + rnd(200000), '0', '9');
            } else {
                g_string_append(s, PICK(odd_numbers));
            }
            g_string_append_c(s, '}');
        } else {
            g_string_append_printf(s, "{\"execute\": \"human-monitor-command"
                                   "\", \"arguments\": {\"command-line\": "
                                   "\"info status\", \"cpu-index\": %s}}",
                                   PICK(odd_numbers));
        }
        break;
    case 3:                             /* invalid UTF-8 and escapes */
        fz.what = "utf-8";
        g_string_append(s, pick((const char *const[]){
            "{\"execute\": \"", "{\"execute\": \"query-status\", \"id\": \"",
            "{\"execute\": \"human-monitor-command\", \"arguments\": "
            "{\"command-line\": \"" }, 3));
        append_json_chars(s, 1 + rnd(200));
        g_string_append(s, "\"}");
        if (strstr(s->str, "command-line")) {
            g_string_append_c(s, '}');
        }
        break;
    case 4:                             /* wrong types, odd shapes */
        fz.what = "wrong types";
        if (chance(25)) {
            append_json_value(s, 0);
        } else {
            g_string_append(s, "{\"execute\": ");
            if (chance(50)) {
                append_json_value(s, 1);
            } else {
                g_string_append_printf(s, "\"%s\"",
                                       PICK(safe_qmp_commands));
            }
            if (chance(70)) {
                g_string_append(s, ", \"arguments\": ");
                append_json_value(s, 1);
            }
            if (chance(40)) {
                g_string_append(s, ", \"id\": ");
                append_json_value(s, 1);
            }
            if (chance(20)) {
                g_string_append(s, ", \"exec-oob\": \"stop\", \"x\": 1");
            }
            g_string_append_c(s, '}');
        }
        break;
    case 5: {                           /* unknown commands */
        g_autofree char *name = NULL;
        GString *n = g_string_new(NULL);

        fz.what = "unknown command";
        append_random_bytes(n, 1 + rnd(30), 'a', 'z');
        if (chance(30)) {
            g_string_assign(n, PICK(safe_qmp_commands));
            g_string_append_c(n, 'x');
        }
        name = g_string_free(n, false);
        g_string_append_printf(s, "{'execute': '%s', 'id': %u}", name,
                               fz.round);
        break;
    }
    case 6: {                           /* mutated valid commands */
        fz.what = "mutated";
        g_string_append_printf(s, "{\"execute\": \"%s\", \"arguments\": "
                               "{\"command-line\": \"info status\"}, "
                               "\"id\": [1, {\"a\": null}]}",
                               PICK(safe_qmp_commands));
        for (unsigned k = 1 + rnd(6); k; k--) {
            size_t at = rnd(s->len);
            switch (rnd(4)) {
            case 0:
                s->str[at] ^= 1 << rnd(8);
                break;
            case 1: {
                size_t n = 1 + rnd(4);
                g_string_erase(s, at, MIN(n, s->len - at));
                break;
            }
            case 2:
                g_string_insert_c(s, at, (char)g_rand_int(fz.rand));
                break;
            default:
                g_string_truncate(s, at);
                break;
            }
            if (!s->len) {
                g_string_append_c(s, '{');
            }
        }
        break;
    }
    case 7:                             /* random bytes */
        fz.what = "random bytes";
        append_random_bytes(s, 1 + rnd(chance(10) ? 200000 : 4096), 0, 255);
        break;
    case 8: {                           /* the human monitor through QMP */
        GString *line = g_string_new(NULL);

        fz.what = "human-monitor-command";
        gen_hmp_line(line, false);
        append_hmp_command(s, line->str, "\"h\"");
        g_string_free(line, true);
        break;
    }
    case 9:                             /* many requests in one write */
        fz.what = "batch";
        for (unsigned i = rnd(50); i; i--) {
            g_string_append_printf(s, "{\"execute\": \"%s\"}%s",
                                   PICK(safe_qmp_commands),
                                   chance(20) ? "\n" : "");
        }
        break;
    default:                            /* valid commands, odd ids */
        fz.what = "valid";
        g_string_append_printf(s, "{\"execute\": \"%s\", \"id\": ",
                               PICK(safe_qmp_commands));
        append_json_value(s, 0);
        g_string_append_c(s, '}');
        break;
    }
}

/* An expression for print, x and xp: random trees, sometimes deep
 * (always when depth < 0). */
static void append_expr(GString *s, int depth, bool typed)
{
    static const char *const regs[] = {
        "$pc", "$sp", "$x0", "$x30", "$w7", "$lr", "$fp", "$pstate",
        "$sctlr_el1", "$nosuch", "$", "$rax", "$X5",
    };

    if (depth < 0 || (depth == 0 && chance(10))) {
        unsigned n = typed ? 200 + rnd(1000) : 1000 + rnd(200000);
        for (unsigned i = 0; i < n; i++) {
            g_string_append(s, chance(50) ? "(" : chance(50) ? "-" : "~");
        }
        g_string_append(s, "1");
        return;
    }
    switch (rnd(depth > 4 ? 4 : 7)) {
    case 0:
        g_string_append_printf(s, pick((const char *const[]){ "%u", "0x%x",
                               "0%o", "%u000000000000000000000" }, 4),
                               g_rand_int(fz.rand));
        break;
    case 1:
        g_string_append(s, PICK(regs));
        break;
    case 2:
        g_string_append_printf(s, "'%c'", 'a' + rnd(16));
        break;
    case 3:
        g_string_append_printf(s, "0x%x", 0x40000000 + rnd(0x4000000));
        break;
    case 4:
        g_string_append(s, "(");
        append_expr(s, depth + 1, typed);
        if (chance(90)) {
            g_string_append(s, ")");
        }
        break;
    case 5:
        g_string_append(s, pick((const char *const[]){ "-", "~", "+" }, 3));
        append_expr(s, depth + 1, typed);
        break;
    default:
        append_expr(s, depth + 1, typed);
        g_string_append(s, pick((const char *const[]){ " + ", "-", "*", "/",
                        "%", "&", "|", "^", " ", "$" }, 10));
        append_expr(s, depth + 1, typed);
        break;
    }
}

static void append_format(GString *s)
{
    if (chance(25)) {
        return;
    }
    g_string_append_c(s, '/');
    if (chance(70)) {
        g_string_append_printf(s, "%u", chance(5) ? g_rand_int(fz.rand) :
                               rnd(chance(10) ? 5000 : 40));
    }
    if (chance(80)) {
        g_string_append_c(s, "xduocibhwgLz"[rnd(12)]);
    }
    if (chance(50)) {
        g_string_append_c(s, "bhwgxi"[rnd(6)]);
    }
    g_string_append_c(s, ' ');
}

/*
 * One human monitor command line.  typed: for a socket client, whose
 * line editing and history could turn any line holding a 'q' into "q"
 * (quit): no 'q' at all then.
 */
static void gen_hmp_line(GString *s, bool typed)
{
    static const char *const infos[] = {
        "status", "cpus", "registers", "registers -a", "registers 0",
        "registers 5", "mtree", "mtree -f", "pci", "chardev", "version",
        "kvm", "nosuch", "status extra", "", "mtree -x", "qtree",
    };
    static const char *const keys[] = {
        "a", "ctrl", "alt", "delete", "ret", "shift", "f1", "0x1e", "0x1ff",
        "nosuch", "", "kp_add", "esc", "spc", "ctrl-alt-delete",
    };

    switch (rnd(11)) {
    case 0:
    case 1:
        g_string_append_printf(s, "info %s",
                               pick(infos, G_N_ELEMENTS(infos) - typed));
        break;
    case 2:
    case 3:
        g_string_append(s, pick((const char *const[]){ "x ", "xp ", "x", 
                        "xp", "p ", "print ", "p" }, 7));
        append_format(s);
        append_expr(s, 0, typed);
        break;
    case 4:
        g_string_append(s, pick((const char *const[]){ "help", "help info",
                        "help x", "?", "help nosuch", "help info mtree" },
                        6));
        break;
    case 5:
        g_string_append_printf(s, "cpu %s", pick((const char *const[]){ "0",
                               "1", "-1", "99999999999", "x", "" }, 6));
        break;
    case 6: {
        unsigned n = 1 + rnd(4);
        g_string_append(s, "sendkey ");
        for (unsigned i = 0; i < n; i++) {
            g_string_append_printf(s, "%s%s", i ? "-" : "", PICK(keys));
        }
        if (chance(50)) {
            g_string_append_printf(s, " %s", pick((const char *const[]){
                "0", "1", "10", "-5", "99999999999999999999", "x" }, 6));
        }
        break;
    }
    case 7:
        g_string_append(s, pick((const char *const[]){ "system_reset",
                        "system_powerdown", "cont", "c", "c extra", "stop",
                        "s", "system_reset now" }, 8));
        break;
    case 8: {                           /* unknown words */
        g_string_append_c(s, 'z');
        append_random_bytes(s, rnd(20), 'a', 'p');
        break;
    }
    case 9:                             /* random printable text */
        append_random_bytes(s, rnd(chance(20) ? 3000 : 80), ' ', '~');
        break;
    default:                            /* odd bytes */
        append_random_bytes(s, 1 + rnd(60), 1, 255);
        break;
    }
    if (typed) {
        for (char *p = s->str; *p; p++) {
            if (*p == 'q' || *p == 'Q') {
                *p = 'z';
            }
        }
    }
}

/* Adversarial typing for a human monitor socket: command lines, editing
 * keys and escape sequences, control characters, overlong lines. */
static void gen_hmp(GString *s)
{
    static const char *const edits[] = {
        "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D", "\x1b[H", "\x1b[F",
        "\x1b[3~", "\x1b[1~", "\x1b[4~", "\x1bOH", "\x1b[99", "\x1b",
        "\x7f", "\x08", "\x01", "\x05", "\x0b", "\x15", "\x03", "\x04",
        "\x1b[200~", "\x00", "\xff", "\t",
    };

    switch (rnd(5)) {
    case 0:                             /* editing storm */
        fz.what = "hmp editing";
        for (unsigned i = 1 + rnd(100); i; i--) {
            if (chance(40)) {
                const char *e = PICK(edits);
                g_string_append_len(s, e, *e ? strlen(e) : 1);
            } else {
                g_string_append_c(s, "abcdefghijklmnoprstuvwxyz /$()-0x1"
                                  [rnd(34)]);
            }
        }
        g_string_append_c(s, '\n');
        break;
    case 1:                             /* an overlong line */
        fz.what = "hmp overlong line";
        g_string_append(s, "p/d 1");
        while (s->len < 1000 + rnd(20000)) {
            g_string_append(s, "+1");
        }
        g_string_append_c(s, '\n');
        break;
    default:                            /* command lines */
        fz.what = "hmp lines";
        for (unsigned i = 1 + rnd(4); i; i--) {
            gen_hmp_line(s, true);
            g_string_append(s, chance(20) ? "\r\n" : chance(50) ? "\r" : "\n");
        }
        break;
    }
    /* text that is neither a command nor safe to type is filtered out
     * above; a NUL byte is still input */
    for (size_t i = 0; i < s->len; i++) {
        if (s->str[i] == 'q' || s->str[i] == 'Q') {
            s->str[i] = 'z';
        }
    }
}

/* ---- talking to a client that must answer ---- */

/*
 * Send data (in random pieces when split, letting other clients' input
 * interleave) while reading what comes back into rx, then keep reading
 * until want appears after what rx held before.  Never blocks on either
 * direction, so a client whose answers are large cannot deadlock.
 */
static void exchange(int fd, const char *data, size_t len, bool split,
                     GString *rx, const char *want)
{
    gint64 deadline = g_get_monotonic_time() + EXCHANGE_TIMEOUT_MS * 1000LL;
    size_t off = 0, search = rx->len, wlen = strlen(want);

    while (off < len || !strstr(rx->str + search, want)) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int left = (deadline - g_get_monotonic_time()) / 1000;
        char buf[65536];
        ssize_t n;

        if (left <= 0) {
            fuzz_fail("no answer '%s' (sent %zu of %zu bytes, got %zu)",
                      want, off, len, rx->len);
        }
        if (off < len) {
            pfd.events |= POLLOUT;
        }
        if (poll(&pfd, 1, MIN(left, 100)) < 0 && errno != EINTR) {
            fuzz_fail("poll: %s", g_strerror(errno));
        }
        if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
            n = read(fd, buf, sizeof(buf));
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
                for (int i = 0; i < 200; i++) {     /* did it die? */
                    check_alive();
                    g_usleep(10 * 1000);
                }
                fuzz_fail("turtle closed a client that reads");
            }
            if (n > 0) {
                /* search only where want may newly appear */
                search = MAX(search, rx->len >= wlen ? rx->len - wlen : 0);
                g_string_append_len(rx, buf, n);
            }
        }
        if (off < len && (pfd.revents & POLLOUT)) {
            /* pieces: at most ~100 of them, with pauses between */
            size_t piece = split ? 1 + rnd(MAX(64, len / 50)) : len;
            off += send_nonblocking(fd, data + off, MIN(piece, len - off));
            if (split) {
                g_usleep(rnd(2000));
            }
        }
        check_alive();
    }
    fz.bytes_sent += len;
}

/* Every complete line of a compact QMP client is one JSON object: a
 * reply, an error or an event. */
static void check_qmp_lines(GString *rx)
{
    char *nl;

    while ((nl = strstr(rx->str, "\r\n"))) {
        g_autoptr(JsonParser) p = json_parser_new();
        g_autofree char *line = g_strndup(rx->str, nl - rx->str);
        JsonObject *o;

        if (!json_parser_load_from_data(p, line, -1, NULL) ||
            !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
            fuzz_fail("QMP sent bad JSON: '%.200s'", line);
        }
        o = json_node_get_object(json_parser_get_root(p));
        if (!json_object_has_member(o, "return") &&
            !json_object_has_member(o, "error") &&
            !json_object_has_member(o, "event")) {
            fuzz_fail("QMP sent neither return, error nor event: '%.200s'",
                      line);
        }
        g_string_erase(rx, 0, nl - rx->str + 2);
    }
}

/* One adversarial input to a QMP client, then a well-formed command that
 * must be answered (after a control character, which puts the reader
 * back to its start whatever the input left half-read). */
static void round_qmp(int which)
{
    g_autoptr(GString) in = g_string_new(NULL);
    g_autoptr(GString) rx = g_string_new(NULL);
    g_autofree char *check = NULL;
    g_autofree char *want = NULL;
    char *quit;
    unsigned v = 1000000 + fz.round;

    gen_qmp(in);
    while ((quit = strstr(in->str, "quit"))) {
        quit[2] = '!';      /* never end the VM */
    }
    check = g_strdup_printf("\x01{\"execute\": \"human-monitor-command\", "
                            "\"arguments\": {\"command-line\": \"p/d %u\"}, "
                            "\"id\": \"check%u\"}", v, fz.round);
    want = g_strdup_printf("\"return\": \"%u\\r\\n\"", v);
    g_string_append(in, check);
    exchange(fz.qmp[which], in->str, in->len, chance(15), rx, want);
    if (!strstr(rx->str, "\"check")) {
        fuzz_fail("the answer lacks its id");
    }
    if (which == QMP_COMPACT) {
        check_qmp_lines(rx);
    }
    fz.answered++;
}

static void round_hmp(int which)
{
    g_autoptr(GString) in = g_string_new(NULL);
    g_autoptr(GString) rx = g_string_new(NULL);
    g_autofree char *want = NULL;
    unsigned v = 1000000 + fz.round;

    gen_hmp(in);
    /* two line ends: one may end an escape sequence */
    g_string_append_printf(in, "\n\np/d %u\n", v);
    want = g_strdup_printf("\r\n%u\r\n" HMP_PROMPT, v);
    exchange(fz.hmp[which], in->str, in->len, chance(15), rx, want);
    fz.answered++;
}

/* A client that connects, maybe writes, and goes away. */
static void round_vanish(void)
{
    bool qmp = chance(50);
    g_autofree char *path = turtle_path(&fz.t, qmp ? "vq.sock" : "vh.sock");
    int fd = qmp_unix_connect(path);
    g_autoptr(GString) in = g_string_new(NULL);

    fz.what = qmp ? "vanishing QMP client" : "vanishing HMP client";
    switch (rnd(4)) {
    case 0:
        break;                          /* nothing at all */
    case 1:
        if (qmp) {
            g_string_append(in, "{\"execute\": \"qmp_capabilities\"}"
                            "{\"execute\": \"query-status\"}");
        } else {
            g_string_append(in, "info mtree\ninfo qtree\n");
        }
        /* fall through */
    default:
        if (qmp) {
            gen_qmp(in);
        } else {
            gen_hmp(in);
        }
        g_string_truncate(in, rnd(in->len + 1));    /* a partial request */
        send_nonblocking(fd, in->str, in->len);
        break;
    }
    if (chance(30)) {
        g_usleep(rnd(20000));
    }
    if (chance(40)) {
        /* a reset instead of an orderly close */
        struct linger l = { .l_onoff = 1, .l_linger = 0 };
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    }
    close(fd);
    fz.vanished++;
}

/* ---- checks ---- */

static bool turtle_has_asan(void)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/maps", fz.t.pid);
    g_autofree char *maps = NULL;

    return g_file_get_contents(path, &maps, NULL, NULL) &&
           strstr(maps, "libasan");
}

static int connect_to(const char *sock);

/* Has turtle dropped this client?  Only looks, never reads. */
static bool hung_up(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = 0 };

    return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR));
}

/* The clients that never read send more: what the socket takes.  Once
 * turtle has dropped one (it took none of its output for the stall
 * time), the next one connects. */
static void flood_more(void)
{
    if (hung_up(fz.qflood)) {
        close(fz.qflood);
        fz.qflood = connect_to("qflood.sock");
        send_nonblocking(fz.qflood, "{\"execute\": \"qmp_capabilities\"}",
                         32);
        fz.dropped++;
    }
    if (hung_up(fz.hflood)) {
        close(fz.hflood);
        fz.hflood = connect_to("hflood.sock");
        fz.dropped++;
    }
    send_nonblocking(fz.qflood, fz.qflood_text->str, fz.qflood_text->len);
    send_nonblocking(fz.hflood, fz.hflood_text->str, fz.hflood_text->len);
}

/* A slow reader takes 4 KiB of its answers and sends what the socket
 * takes of its requests.  Dropping it would be wrong: it reads. */
static void slow_more(int fd, const GString *text)
{
    char buf[4096];
    ssize_t n;

    if (hung_up(fd)) {
        fuzz_fail("turtle dropped a client that reads its answers");
    }
    n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n > 0) {
        fz.slow_read += n;
    }
    send_nonblocking(fd, text->str, text->len);
}

/* The observer: turtle lives, the guest runs, the vanishing clients'
 * sockets serve a new client, memory is bounded. */
static void checkpoint(void)
{
    const char *saved = fz.what;
    g_autofree char *status = NULL;
    g_autofree char *out = NULL;
    long rss, hwm;
    QMPClient c;
    int h;

    fz.what = "checkpoint";
    check_alive();
    status = qmp_hmp(&fz.obs, "info status");
    if (!strcmp(status, "VM status: paused\n")) {
        qmp_ok(&fz.obs, "{\"execute\": \"cont\"}");     /* a fuzzed stop */
        fz.stops++;
    } else if (strcmp(status, "VM status: running\n")) {
        fuzz_fail("the VM is not running: %s", status);
    }
    assert_guest_runs(&fz.obs);
    while (!g_queue_is_empty(&fz.obs.events)) {
        json_node_unref(g_queue_pop_head(&fz.obs.events));
    }

    c = qmp_open(&fz.t, "vq.sock");
    qmp_ok(&c, "{\"execute\": \"query-status\"}");
    qmp_client_close(&c);
    h = hmp_open(&fz.t, "vh.sock");
    out = hmp_cmd(h, "info version");
    if (!g_ascii_isdigit(out[0])) {
        fuzz_fail("info version: '%s'", out);
    }
    close(h);

    turtle_memory(&fz.t, &rss, &hwm);
    if (rss < 0 || hwm < 0) {
        fuzz_fail("no memory figures in /proc/%d/status", fz.t.pid);
    }
    if (!fz.rss_start_kb) {
        fz.rss_start_kb = rss;
    }
    /* the peak since start-up, not just now: a burst that was freed
     * again counts */
    if (hwm > fz.rss_start_kb + (turtle_has_asan() ? MEMORY_GROWTH_MAX_ASAN_KB
                                                   : MEMORY_GROWTH_MAX_KB)) {
        fuzz_fail("peak resident memory %ld kB, %ld kB at start", hwm,
                  fz.rss_start_kb);
    }
    fz.what = saved;
}

/* ---- the test ---- */

static int connect_to(const char *sock)
{
    g_autofree char *path = turtle_path(&fz.t, sock);
    return qmp_unix_connect(path);
}

static void start_never_readers(void)
{
    QMPClient idle;

    idle = qmp_open(&fz.t, "idle.sock");
    fz.idle = idle.fd;          /* negotiated; never read again */
    g_string_free(idle.rx, true);

    fz.qflood = connect_to("qflood.sock");
    send_nonblocking(fz.qflood, "{\"execute\": \"qmp_capabilities\"}", 32);
    fz.qflood_text = g_string_new(NULL);
    for (int i = 0; i < 4096; i++) {
        g_string_append(fz.qflood_text, "{\"execute\": \"query-machines\"}");
    }
    fz.hflood = connect_to("hflood.sock");
    fz.hflood_text = g_string_new(NULL);
    for (int i = 0; i < 4096; i++) {
        g_string_append(fz.hflood_text, "info mtree\n");
    }
    flood_more();

    fz.qslow = connect_to("qslow.sock");
    send_nonblocking(fz.qslow, "{\"execute\": \"qmp_capabilities\"}", 32);
    fz.qslow_text = g_string_new(NULL);
    for (int i = 0; i < 4096; i++) {
        append_hmp_command(fz.qslow_text, "info mtree", NULL);
    }
    fz.hslow = connect_to("hslow.sock");
    fz.hslow_text = g_string_new(NULL);
    for (int i = 0; i < 4096; i++) {
        g_string_append(fz.hslow_text, "info qtree\n");
    }
}

static void test_fuzz(void)
{
    const char *seed_env = g_getenv("TURTLE_FUZZ_SEED");
    const char *rounds_env = g_getenv("TURTLE_FUZZ_ROUNDS");
    unsigned seed = seed_env ? strtoul(seed_env, NULL, 0) : DEFAULT_SEED;
    unsigned rounds = rounds_env ? strtoul(rounds_env, NULL, 0)
                                 : DEFAULT_ROUNDS;
    gint64 start = g_get_monotonic_time(), quit_at;
    long rss, hwm;

    g_test_message("seed %u (TURTLE_FUZZ_SEED), %u rounds "
                   "(TURTLE_FUZZ_ROUNDS)", seed, rounds);
    fz.seed = seed;
    fz.rand = g_rand_new_with_seed(seed);
    /* clients that take none of their output for 2 s are dropped */
    g_setenv("TURTLE_MONITOR_STALL_MS", "2000", true);
    turtle_start(&fz.t,
        "-qmp unix:%1$s/obs.sock,server=on,wait=off "
        "-qmp unix:%1$s/q0.sock,server=on,wait=off "
        "-chardev socket,id=q1,path=%1$s/q1.sock,server=on,wait=off "
        "-mon chardev=q1,mode=control,pretty=on "
        "-monitor unix:%1$s/h0.sock,server=on,wait=off "
        "-chardev socket,id=h1,path=%1$s/h1.sock,server=on,wait=off "
        "-mon chardev=h1,mode=readline "
        "-qmp unix:%1$s/vq.sock,server=on,wait=off "
        "-monitor unix:%1$s/vh.sock,server=on,wait=off "
        "-qmp unix:%1$s/idle.sock,server=on,wait=off "
        "-qmp unix:%1$s/qflood.sock,server=on,wait=off "
        "-monitor unix:%1$s/hflood.sock,server=on,wait=off "
        "-qmp unix:%1$s/qslow.sock,server=on,wait=off "
        "-monitor unix:%1$s/hslow.sock,server=on,wait=off", true);
    g_unsetenv("TURTLE_MONITOR_STALL_MS");
    fz.obs = qmp_open(&fz.t, "obs.sock");
    checkpoint();
    for (int i = 0; i < NB_QMP; i++) {
        QMPClient c = qmp_open(&fz.t, i ? "q1.sock" : "q0.sock");
        fz.qmp[i] = c.fd;
        g_assert_cmpuint(c.rx->len, ==, 0);
        g_string_free(c.rx, true);
    }
    for (int i = 0; i < NB_HMP; i++) {
        fz.hmp[i] = hmp_open(&fz.t, i ? "h1.sock" : "h0.sock");
    }
    start_never_readers();

    for (fz.round = 0; fz.round < rounds; fz.round++) {
        switch (rnd(10)) {
        case 0 ... 4:
            round_qmp(rnd(NB_QMP));
            break;
        case 5 ... 7:
            round_hmp(rnd(NB_HMP));
            break;
        default:
            round_vanish();
            break;
        }
        flood_more();
        slow_more(fz.qslow, fz.qslow_text);
        slow_more(fz.hslow, fz.hslow_text);
        if (fz.round % CHECK_EVERY == CHECK_EVERY - 1) {
            checkpoint();
        }
    }
    checkpoint();

    /* the flooders are still stuck, the idle client unread: quit works */
    turtle_memory(&fz.t, &rss, &hwm);
    quit_at = g_get_monotonic_time();
    qmp_send_raw(&fz.obs, "{\"execute\": \"quit\"}");
    g_assert_cmpint(turtle_wait(&fz.t, 10000), ==, 0);
    g_test_message("%u rounds in %.1f s: %u answers after adversarial "
                   "input, %u vanishing clients, %u non-readers dropped, "
                   "%zu bytes sent, %u fuzzed stops undone, %zu bytes read "
                   "by the slow readers; resident memory %ld kB at start, "
                   "%ld kB at the end, peak %ld kB; quit took %.0f ms",
                   rounds, (quit_at - start) / 1e6, fz.answered, fz.vanished,
                   fz.dropped, fz.bytes_sent, fz.stops, fz.slow_read,
                   fz.rss_start_kb, rss, hwm,
                   (g_get_monotonic_time() - quit_at) / 1e3);

    for (int i = 0; i < NB_QMP; i++) {
        close(fz.qmp[i]);
    }
    for (int i = 0; i < NB_HMP; i++) {
        close(fz.hmp[i]);
    }
    close(fz.idle);
    close(fz.qflood);
    close(fz.hflood);
    close(fz.qslow);
    close(fz.hslow);
    g_string_free(fz.qslow_text, true);
    g_string_free(fz.hslow_text, true);
    g_string_free(fz.qflood_text, true);
    g_string_free(fz.hflood_text, true);
    qmp_client_close(&fz.obs);
    turtle_cleanup(&fz.t);
    g_rand_free(fz.rand);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    signal(SIGPIPE, SIG_IGN);
    g_test_add_func("/monitor-fuzz/clients", test_fuzz);
    return g_test_run();
}
