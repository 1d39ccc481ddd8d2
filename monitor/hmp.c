/*
 * The human monitor: line editing, the banner and prompt, and command
 * dispatch.  The commands are in hmp-cmds.c, hmp-memory.c, hmp-qtree.c.
 *
 * Prompt and banner: the prompt is QEMU's "(qemu) ", because that is what
 * scripts written for QEMU wait for (expect, pexpect, socat loops); the
 * banner keeps QEMU's shape ("NAME VERSION monitor - type 'help' for more
 * information") with our name.  See docs/running.md.
 *
 * Line editing (a subset of QEMU's readline): typed characters are echoed;
 * backspace, Delete, Left/Right, Home/End (and Ctrl-A/E, which reach us
 * when the monitor is not behind a Ctrl-A mux), Ctrl-K/U, Up/Down for the
 * history.  Output a command prints is written with CR LF line ends.
 */
#include "turtle/osdep.h"
#include "monitor/monitor.h"
#include "monitor/hmp-internal.h"
#include "chardev/char.h"
#include "hw/core/cpu.h"
#include "sysemu/cpus.h"

#define HMP_PROMPT "(qemu) "

/* ---- output ---- */

void mon_printf(HMPMonitor *mon, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *s = NULL;
    g_autoptr(GString) out = NULL;

    va_start(ap, fmt);
    s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* the terminal is raw: newlines need a carriage return; QEMU sends
     * them in human-monitor-command's answer too */
    out = g_string_sized_new(strlen(s) + 16);
    for (const char *p = s; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    if (mon->capture) {
        g_string_append_len(mon->capture, out->str, out->len);
        return;
    }
    monitor_write(&mon->common, out->str, out->len);
}

void mon_print_file(HMPMonitor *mon, void (*fn)(FILE *f, void *opaque),
                    void *opaque)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);

    if (!f) {
        mon_printf(mon, "out of memory\n");
        return;
    }
    fn(f, opaque);
    fclose(f);
    mon_printf(mon, "%s", buf);
    free(buf);
}

/* ---- arguments ---- */

void hmp_arg_error(HMPArgs *a, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    if (a->failed) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    mon_printf(a->mon, "%s\nTry \"help %s\" for more information\n", msg,
               a->help_name);
    a->failed = true;
}

void hmp_skip_spaces(HMPArgs *a)
{
    while (g_ascii_isspace(*a->p)) {
        a->p++;
    }
}

bool hmp_args_end(HMPArgs *a)
{
    hmp_skip_spaces(a);
    if (*a->p) {
        hmp_arg_error(a, "%s: extraneous characters at the end of line",
                      a->name);
        return false;
    }
    return !a->failed;
}

char *hmp_arg_word(HMPArgs *a)
{
    const char *start;

    hmp_skip_spaces(a);
    if (!*a->p) {
        return NULL;
    }
    start = a->p;
    while (*a->p && !g_ascii_isspace(*a->p)) {
        a->p++;
    }
    return g_strndup(start, a->p - start);
}

bool hmp_arg_format(HMPArgs *a, int *count, char *format, int *size)
{
    HMPMonitor *mon = a->mon;
    char fmt = 0;
    int sz = -1;

    hmp_skip_spaces(a);
    if (*a->p != '/') {
        *count = 1;
        *format = mon->last_format;
        *size = mon->last_format == 'i' ? -1 : mon->last_size;
        return true;
    }
    a->p++;
    *count = 1;
    if (g_ascii_isdigit(*a->p)) {
        uint64_t n = 0;
        while (g_ascii_isdigit(*a->p)) {
            n = n * 10 + (*a->p - '0');
            n = MIN(n, (uint64_t)INT_MAX);
            a->p++;
        }
        *count = n;
    }
    for (;; a->p++) {
        if (*a->p && strchr("oduxic", *a->p)) {
            fmt = *a->p;
        } else if (*a->p == 'b') {
            sz = 1;
        } else if (*a->p == 'h') {
            sz = 2;
        } else if (*a->p == 'w') {
            sz = 4;
        } else if (*a->p == 'g' || *a->p == 'L') {
            sz = 8;
        } else {
            break;
        }
    }
    if (*a->p && !g_ascii_isspace(*a->p)) {
        hmp_arg_error(a, "invalid char in format: '%c'", *a->p);
        return false;
    }
    if (!fmt) {
        fmt = mon->last_format;
    }
    if (fmt != 'i') {
        /* as QEMU: for 'i' a missing size stays unknown */
        if (sz < 0) {
            sz = mon->last_size;
        }
        mon->last_size = sz;
    }
    mon->last_format = fmt;
    *format = fmt;
    *size = sz;
    return true;
}

CPUState *hmp_cpu(HMPMonitor *mon)
{
    CPUState *cpu = qemu_get_cpu(mon->cpu_index);

    if (!cpu) {
        cpu = first_cpu_get();
    }
    if (cpu) {
        cpu_synchronize_state(cpu);
    }
    return cpu;
}

/* ---- commands ---- */

static void hmp_help(HMPArgs *a);
static void hmp_info(HMPArgs *a);

static const HMPCommand hmp_commands[] = {
    { "cont|c", "", "resume the virtual CPUs", hmp_cont },
    { "cpu", "index", "choose the CPU that x, print and info registers "
      "look at", hmp_cpu_select },
    { "help|?", "[cmd]", "list the commands, or show how to use one",
      hmp_help },
    { "info", "[subcommand]", "show the state of the machine (info alone "
      "lists what can be shown)", hmp_info },
    { "print|p", "/fmt expr", "print the value of an expression ($NAME "
      "reads a CPU register)", hmp_print },
    { "quit|q", "", "exit the emulator", hmp_quit },
    { "sendkey", "keys [hold_ms]", "press keys together and release them, "
      "e.g. ctrl-alt-delete (names as QEMU's, or 0xNN key codes)",
      hmp_sendkey },
    { "stop|s", "", "pause the virtual CPUs", hmp_stop },
    { "system_powerdown", "", "press the power button", hmp_system_powerdown },
    { "system_reset", "", "reset the machine", hmp_system_reset },
    { "x", "/fmt addr", "dump guest virtual memory from addr (formats: "
      "/[count][x|d|u|o|c|i][b|h|w|g])", hmp_memory_dump },
    { "xp", "/fmt addr", "dump guest physical memory from addr",
      hmp_physical_memory_dump },
    { NULL },
};

/* Does name match one of the "a|b|c" alternatives? */
static bool hmp_name_matches(const char *names, const char *name, size_t len)
{
    for (const char *p = names; *p;) {
        size_t n = strcspn(p, "|");
        if (n == len && !strncmp(p, name, len)) {
            return true;
        }
        p += n + (p[n] == '|');
    }
    return false;
}

static const HMPCommand *hmp_find_in(const HMPCommand *table,
                                     const char *name, size_t len)
{
    for (const HMPCommand *c = table; c->name; c++) {
        if (hmp_name_matches(c->name, name, len)) {
            return c;
        }
    }
    return NULL;
}

/* Commands other files own come after the table above (hmp-internal.h):
 * the snapshot commands of hmp-snapshot.c, the network ones of hmp-net.c. */
static const HMPCommand *const hmp_extra_commands[] = {
    hmp_snapshot_commands, hmp_net_commands, NULL,
};
static const HMPCommand *const hmp_extra_info_commands[] = {
    hmp_snapshot_info_commands, hmp_net_info_commands, NULL,
};

static const HMPCommand *hmp_find(const HMPCommand *table, const char *name,
                                  size_t len)
{
    const HMPCommand *c = hmp_find_in(table, name, len);
    const HMPCommand *const *extra = table == hmp_commands ?
        hmp_extra_commands : hmp_extra_info_commands;

    for (int i = 0; !c && extra[i]; i++) {
        c = hmp_find_in(extra[i], name, len);
    }
    return c;
}

static void hmp_help_line(HMPMonitor *mon, const char *prefix,
                          const HMPCommand *c)
{
    mon_printf(mon, "%s%s %s -- %s\n", prefix, c->name, c->params, c->help);
}

static void hmp_help(HMPArgs *a)
{
    g_autofree char *what = hmp_arg_word(a);
    g_autofree char *sub = NULL;
    const HMPCommand *c;

    if (!what) {
        for (c = hmp_commands; c->name; c++) {
            hmp_help_line(a->mon, "", c);
        }
        for (int i = 0; hmp_extra_commands[i]; i++) {
            for (c = hmp_extra_commands[i]; c->name; c++) {
                hmp_help_line(a->mon, "", c);
            }
        }
        return;
    }
    c = hmp_find(hmp_commands, what, strlen(what));
    if (!c) {
        mon_printf(a->mon, "unknown command: '%s'\n", what);
        return;
    }
    if (!strcmp(c->name, "info")) {
        sub = hmp_arg_word(a);
        for (const HMPCommand *i = hmp_info_commands; i->name; i++) {
            if (!sub || hmp_name_matches(i->name, sub, strlen(sub))) {
                hmp_help_line(a->mon, "info ", i);
            }
        }
        for (int t = 0; hmp_extra_info_commands[t]; t++) {
            for (const HMPCommand *i = hmp_extra_info_commands[t]; i->name;
                 i++) {
                if (!sub || hmp_name_matches(i->name, sub, strlen(sub))) {
                    hmp_help_line(a->mon, "info ", i);
                }
            }
        }
        return;
    }
    hmp_help_line(a->mon, "", c);
}

static void hmp_info(HMPArgs *a)
{
    const char *start;
    const HMPCommand *c;
    g_autofree char *name = NULL;
    g_autofree char *help_name = NULL;

    hmp_skip_spaces(a);
    if (!*a->p) {
        for (c = hmp_info_commands; c->name; c++) {
            hmp_help_line(a->mon, "info ", c);
        }
        for (int i = 0; hmp_extra_info_commands[i]; i++) {
            for (c = hmp_extra_info_commands[i]; c->name; c++) {
                hmp_help_line(a->mon, "info ", c);
            }
        }
        return;
    }
    start = a->p;
    while (*a->p && !g_ascii_isspace(*a->p)) {
        a->p++;
    }
    name = g_strndup(start, a->p - start);
    c = hmp_find(hmp_info_commands, name, strlen(name));
    if (!c) {
        mon_printf(a->mon, "unknown command: 'info %s'\n", name);
        return;
    }
    help_name = g_strdup_printf("info %s", name);
    a->name = c->name;
    a->help_name = help_name;
    c->fn(a);
}

static void hmp_execute(HMPMonitor *mon, const char *line)
{
    const char *p = line, *start;
    const HMPCommand *c;
    g_autofree char *name = NULL;
    HMPArgs a = { .mon = mon };

    while (g_ascii_isspace(*p)) {
        p++;
    }
    if (!*p) {
        return;
    }
    start = p;
    while (*p && *p != '/' && !g_ascii_isspace(*p)) {
        p++;
    }
    name = g_strndup(start, p - start);
    c = hmp_find(hmp_commands, name, p - start);
    if (!c) {
        mon_printf(mon, "unknown command: '%s'\n", name);
        return;
    }
    a.p = p;
    a.name = c->name;
    a.help_name = name;
    c->fn(&a);
}

static void hmp_monitor_init(HMPMonitor *mon)
{
    mon->last_format = 'x';
    mon->last_size = 4;
}

/* human-monitor-command: each call is a new monitor, but the formats x
 * and print remember carry over from call to call, as in QEMU */
char *hmp_run_command(const char *line, int cpu_index)
{
    static char last_format = 'x';
    static int last_size = 4;
    HMPMonitor mon = { .capture = g_string_new(NULL) };

    mon.last_format = last_format;
    mon.last_size = last_size;
    mon.cpu_index = cpu_index;
    hmp_execute(&mon, line);
    last_format = mon.last_format;
    last_size = mon.last_size;
    return g_string_free(mon.capture, false);
}

/* ---- line editing ---- */

enum { ESC_NONE, ESC_START, ESC_CSI, ESC_SS3 };

static void hmp_prompt(HMPMonitor *mon)
{
    mon_printf(mon, HMP_PROMPT);
}

/* Redraw the line from the prompt on, cursor where it belongs. */
static void hmp_redraw(HMPMonitor *mon)
{
    GString *s = g_string_new("\r" HMP_PROMPT);

    g_string_append_len(s, mon->line, mon->len);
    g_string_append(s, "\033[K");
    for (size_t i = mon->cursor; i < mon->len; i++) {
        g_string_append(s, "\033[D");
    }
    monitor_write(&mon->common, s->str, s->len);
    g_string_free(s, true);
}

static void hmp_insert(HMPMonitor *mon, char ch)
{
    if (mon->len >= HMP_LINE_MAX - 1) {
        return;                     /* as QEMU: a full line takes no more */
    }
    if (mon->cursor == mon->len) {
        mon->line[mon->len++] = ch;
        mon->cursor++;
        monitor_write(&mon->common, &ch, 1);
        return;
    }
    memmove(mon->line + mon->cursor + 1, mon->line + mon->cursor,
            mon->len - mon->cursor);
    mon->line[mon->cursor++] = ch;
    mon->len++;
    hmp_redraw(mon);
}

static void hmp_delete(HMPMonitor *mon, size_t at, size_t n)
{
    memmove(mon->line + at, mon->line + at + n, mon->len - at - n);
    mon->len -= n;
    if (mon->cursor > at) {
        mon->cursor = MAX(at, mon->cursor - n);
    }
    hmp_redraw(mon);
}

static void hmp_history_add(HMPMonitor *mon, const char *line)
{
    if (!*line || (mon->hist_count &&
                   !strcmp(mon->history[mon->hist_count - 1], line))) {
        mon->hist_pos = mon->hist_count;
        return;
    }
    if (mon->hist_count == HMP_HISTORY_MAX) {
        g_free(mon->history[0]);
        memmove(mon->history, mon->history + 1,
                (HMP_HISTORY_MAX - 1) * sizeof(char *));
        mon->hist_count--;
    }
    mon->history[mon->hist_count++] = g_strdup(line);
    mon->hist_pos = mon->hist_count;
}

static void hmp_history_move(HMPMonitor *mon, int dir)
{
    int pos = mon->hist_pos + dir;
    const char *text;

    if (pos < 0 || pos > mon->hist_count) {
        return;
    }
    mon->hist_pos = pos;
    text = pos < mon->hist_count ? mon->history[pos] : "";
    mon->len = mon->cursor = MIN(strlen(text), HMP_LINE_MAX - 1);
    memcpy(mon->line, text, mon->len);
    hmp_redraw(mon);
}

static void hmp_enter(HMPMonitor *mon)
{
    mon_printf(mon, "\n");
    mon->line[mon->len] = '\0';
    hmp_history_add(mon, g_strstrip(mon->line));
    hmp_execute(mon, mon->line);
    mon->len = mon->cursor = 0;
    if (!mon->quitting) {
        hmp_prompt(mon);
    }
}

/* The end of an escape sequence: ESC [ x, ESC [ N ~, ESC O x. */
static void hmp_escape_key(HMPMonitor *mon, char key)
{
    switch (key) {
    case 'A':
        hmp_history_move(mon, -1);
        break;
    case 'B':
        hmp_history_move(mon, 1);
        break;
    case 'C':
        if (mon->cursor < mon->len) {
            mon->cursor++;
            monitor_write(&mon->common, "\033[C", 3);
        }
        break;
    case 'D':
        if (mon->cursor > 0) {
            mon->cursor--;
            monitor_write(&mon->common, "\033[D", 3);
        }
        break;
    case 'H':
        mon->cursor = 0;
        hmp_redraw(mon);
        break;
    case 'F':
        mon->cursor = mon->len;
        hmp_redraw(mon);
        break;
    case '~':
        if (mon->esc_arg == '1' || mon->esc_arg == '7') {
            hmp_escape_key(mon, 'H');
        } else if (mon->esc_arg == '4' || mon->esc_arg == '8') {
            hmp_escape_key(mon, 'F');
        } else if (mon->esc_arg == '3' && mon->cursor < mon->len) {
            hmp_delete(mon, mon->cursor, 1);
        }
        break;
    default:
        break;
    }
}

/* One input byte; true when it ended a command line. */
static bool hmp_input(HMPMonitor *mon, uint8_t ch)
{
    switch (mon->esc) {
    case ESC_START:
        mon->esc = ch == '[' ? ESC_CSI : ch == 'O' ? ESC_SS3 : ESC_NONE;
        mon->esc_arg = 0;
        return false;
    case ESC_CSI:
        if (g_ascii_isdigit(ch)) {
            mon->esc_arg = ch;
            return false;
        }
        /* fall through */
    case ESC_SS3:
        mon->esc = ESC_NONE;
        hmp_escape_key(mon, ch);
        return false;
    default:
        break;
    }

    switch (ch) {
    case '\r':
    case '\n':
        hmp_enter(mon);
        return true;
    case 27:
        mon->esc = ESC_START;
        break;
    case 127:
    case 8:
        if (mon->cursor > 0) {
            if (mon->cursor == mon->len) {
                mon->len--;
                mon->cursor--;
                monitor_write(&mon->common, "\b \b", 3);
            } else {
                hmp_delete(mon, mon->cursor - 1, 1);
            }
        }
        break;
    case 1:                         /* Ctrl-A */
        hmp_escape_key(mon, 'H');
        break;
    case 5:                         /* Ctrl-E */
        hmp_escape_key(mon, 'F');
        break;
    case 11:                        /* Ctrl-K */
        mon->len = mon->cursor;
        hmp_redraw(mon);
        break;
    case 21:                        /* Ctrl-U */
        hmp_delete(mon, 0, mon->cursor);
        break;
    default:
        if (ch >= 32 && ch < 127) {
            hmp_insert(mon, ch);
        }
        break;
    }
    return false;
}

static void hmp_show(void *opaque);

/* Input bytes; stops after a command whose output filled the buffer
 * (the client is not reading), returning how much was used. */
static size_t hmp_consume(Monitor *common, const uint8_t *buf, size_t size)
{
    HMPMonitor *mon = (HMPMonitor *)common;

    hmp_show(mon);     /* input before the banner was due: banner first */

    for (size_t i = 0; i < size; i++) {
        if (mon->quitting) {
            return size;        /* the process is ending */
        }
        if (hmp_input(mon, buf[i]) && monitor_out_full(common)) {
            return i + 1;
        }
    }
    return size;
}

/*
 * The banner and prompt are shown from a bottom half, once the start-up
 * events have settled: on a shared terminal the serial port attaches after
 * the monitor and takes the focus, and the monitor must then stay quiet
 * until Ctrl-A c gives it the focus.
 */
static void hmp_show(void *opaque)
{
    HMPMonitor *mon = opaque;

    if (!mon->opened || !mon->focused || mon->greeted) {
        return;
    }
    mon_printf(mon, "Turtle %s monitor - type 'help' for more "
               "information\n", TURTLE_VERSION);
    mon->greeted = true;
    hmp_prompt(mon);
}

static void hmp_event(Monitor *common, ChrEvent event)
{
    HMPMonitor *mon = (HMPMonitor *)common;

    switch (event) {
    case CHR_EVENT_MUX_IN:
        mon->focused = true;
        if (mon->greeted) {
            hmp_redraw(mon);    /* back from Ctrl-A c */
        } else {
            qemu_bh_schedule(mon->show_bh);
        }
        break;
    case CHR_EVENT_MUX_OUT:
        mon->focused = false;
        break;
    case CHR_EVENT_OPENED:
        mon->opened = true;
        mon->len = mon->cursor = 0;
        mon->esc = ESC_NONE;
        qemu_bh_schedule(mon->show_bh);
        break;
    case CHR_EVENT_CLOSED:
        mon->opened = false;
        mon->greeted = false;
        mon->len = mon->cursor = 0;
        mon->esc = ESC_NONE;
        break;
    default:
        break;
    }
}

bool monitor_init_hmp(Chardev *chr, Error **errp)
{
    HMPMonitor *mon = g_new0(HMPMonitor, 1);

    mon->common.kind = "HMP";
    mon->common.consume = hmp_consume;
    mon->common.event = hmp_event;
    mon->focused = true;      /* until a mux says otherwise */
    hmp_monitor_init(mon);
    mon->show_bh = qemu_bh_new(hmp_show, mon);
    if (!monitor_attach(&mon->common, chr, errp)) {
        qemu_bh_delete(mon->show_bh);
        g_free(mon);
        return false;
    }
    return true;
}
