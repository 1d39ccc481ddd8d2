/*
 * The human monitor: a line-oriented command interpreter on a chardev
 * (usually shared with the first serial port through the stdio mux:
 * Ctrl-A c switches between them).
 */
#include "turtle/osdep.h"
#include "monitor/monitor.h"
#include "monitor/monitor-internal.h"
#include "chardev/char.h"
#include "hw/core/cpu.h"
#include "hw/core/boards.h"
#include "sysemu/runstate.h"
#include "sysemu/cpus.h"
#include "accel/accel.h"
#include "exec/memory.h"
#include "sysemu/main-loop.h"
#include "turtle/option.h"

#define HMP_LINE_MAX 1024
#define HMP_PROMPT "(turtle) "

typedef struct HMPMonitor {
    Monitor common;        /* the client connection; first */
    char line[HMP_LINE_MAX];
    size_t len;
    bool opened;           /* a peer is connected */
    bool focused;          /* on a mux: we have the input focus */
    bool greeted;          /* banner shown since the peer connected */
    QEMUBH *show_bh;       /* shows banner/prompt once events settle */
    GString *capture;      /* set: output goes here, not to the chardev */
} HMPMonitor;

typedef struct HMPCommand {
    const char *name;
    const char *args;
    const char *help;
    void (*fn)(HMPMonitor *mon, int argc, char **argv);
} HMPCommand;

static void mon_printf(HMPMonitor *mon, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void mon_printf(HMPMonitor *mon, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *s = NULL;
    g_autoptr(GString) out = g_string_new(NULL);

    va_start(ap, fmt);
    s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (mon->capture) {
        g_string_append(mon->capture, s);
        return;
    }
    /* the terminal is raw: newlines need a carriage return */
    for (const char *p = s; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    monitor_write(&mon->common, out->str, out->len);
}

static void mon_print_file(HMPMonitor *mon, void (*fn)(FILE *f, void *opaque),
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

static void hmp_help(HMPMonitor *mon, int argc, char **argv);

static void hmp_quit(HMPMonitor *mon, int argc, char **argv)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static void hmp_stop(HMPMonitor *mon, int argc, char **argv)
{
    vm_stop(RUN_STATE_PAUSED);
}

static void hmp_cont(HMPMonitor *mon, int argc, char **argv)
{
    if (runstate_get() == RUN_STATE_SHUTDOWN) {
        mon_printf(mon, "the guest shut down: reset it with system_reset first\n");
        return;
    }
    vm_start();
}

static void hmp_system_reset(HMPMonitor *mon, int argc, char **argv)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
}

static void hmp_system_powerdown(HMPMonitor *mon, int argc, char **argv)
{
    qemu_system_powerdown_request();
}

static void info_mtree_cb(FILE *f, void *opaque)
{
    mtree_info(f, opaque != NULL);
}

static void info_registers_cb(FILE *f, void *opaque)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        cpu_dump_state(cpu, f, CPU_DUMP_FPU);
    }
}

static void hmp_info_chardev_one(Chardev *chr, void *opaque)
{
    mon_printf(opaque, "%s: filename=%s\n", chr->label ? chr->label : "?",
               chr->filename ? chr->filename : "?");
}

static void hmp_info(HMPMonitor *mon, int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    CPUState *cpu;

    if (!strcmp(what, "version")) {
        mon_printf(mon, "%s\n", TURTLE_VERSION);
    } else if (!strcmp(what, "status")) {
        mon_printf(mon, "VM status: %s\n",
                   runstate_is_running() ? "running" :
                   runstate_get() == RUN_STATE_PRELAUNCH ? "paused (prelaunch)" :
                   runstate_name(runstate_get()));
    } else if (!strcmp(what, "mtree")) {
        bool flat = argc > 2 && !strcmp(argv[2], "-f");
        mon_print_file(mon, info_mtree_cb, flat ? (void *)1 : NULL);
    } else if (!strcmp(what, "cpus")) {
        CPU_FOREACH(cpu) {
            CPUClass *cc = CPU_GET_CLASS(cpu);
            cpu_synchronize_state(cpu);
            mon_printf(mon, "* CPU #%d: pc=0x%016" PRIx64 "%s\n", cpu->cpu_index,
                       cc->get_pc ? cc->get_pc(cpu) : 0,
                       cpu->halted ? " (halted)" : "");
        }
    } else if (!strcmp(what, "registers")) {
        mon_print_file(mon, info_registers_cb, NULL);
    } else if (!strcmp(what, "chardev")) {
        qemu_chr_foreach(hmp_info_chardev_one, mon);
    } else if (!strcmp(what, "accel")) {
        mon_printf(mon, "%s\n", current_accel_name());
    } else {
        mon_printf(mon, "info version|status|mtree [-f]|cpus|registers|"
                   "chardev|accel\n");
    }
}

/* xp ADDR [COUNT]: dump COUNT 32-bit words of guest-physical memory */
static void hmp_xp(HMPMonitor *mon, int argc, char **argv)
{
    uint64_t addr, count = 4;

    if (argc < 2 || !parse_uint64(argv[1], &addr) ||
        (argc > 2 && (!parse_uint64(argv[2], &count) || count > 1024))) {
        mon_printf(mon, "usage: xp ADDR [COUNT<=1024]\n");
        return;
    }
    for (uint64_t i = 0; i < count; i++) {
        MemTxResult res;
        uint32_t v = address_space_ldl_le(&address_space_memory, addr + i * 4,
                                          (MemTxAttrs){ .debug = 1 }, &res);
        if (i % 4 == 0) {
            mon_printf(mon, "%s%016" PRIx64 ":", i ? "\n" : "", addr + i * 4);
        }
        if (res != MEMTX_OK) {
            mon_printf(mon, " ????????");
        } else {
            mon_printf(mon, " 0x%08x", v);
        }
    }
    mon_printf(mon, "\n");
}

static const HMPCommand hmp_commands[] = {
    { "help", "[cmd]", "show the commands", hmp_help },
    { "info", "what", "show machine state (info alone lists what)", hmp_info },
    { "stop", "", "pause the VM", hmp_stop },
    { "cont", "", "resume the VM", hmp_cont },
    { "c", "", "same as cont", hmp_cont },
    { "system_reset", "", "reset the machine", hmp_system_reset },
    { "system_powerdown", "", "press the power button", hmp_system_powerdown },
    { "xp", "ADDR [N]", "dump N words of guest-physical memory", hmp_xp },
    { "quit", "", "exit the emulator", hmp_quit },
    { "q", "", "same as quit", hmp_quit },
    { NULL },
};

static void hmp_help(HMPMonitor *mon, int argc, char **argv)
{
    for (const HMPCommand *c = hmp_commands; c->name; c++) {
        if (argc > 1 && strcmp(argv[1], c->name)) {
            continue;
        }
        mon_printf(mon, "%-16s %-10s %s\n", c->name, c->args, c->help);
    }
}

static void hmp_execute(HMPMonitor *mon, const char *line)
{
    int argc;
    char **argv = NULL;
    GError *gerr = NULL;

    if (!*line) {
        return;
    }
    if (!g_shell_parse_argv(line, &argc, &argv, &gerr)) {
        mon_printf(mon, "cannot parse: %s\n", gerr->message);
        g_error_free(gerr);
        return;
    }
    for (const HMPCommand *c = hmp_commands; c->name; c++) {
        if (!strcmp(c->name, argv[0])) {
            c->fn(mon, argc, argv);
            g_strfreev(argv);
            return;
        }
    }
    mon_printf(mon, "unknown command: '%s' (try help)\n", argv[0]);
    g_strfreev(argv);
}

char *hmp_run_command(const char *line)
{
    HMPMonitor mon = { .capture = g_string_new(NULL) };
    g_autofree char *copy = g_strdup(line);

    hmp_execute(&mon, g_strstrip(copy));
    return g_string_free(mon.capture, false);
}

static void hmp_show(void *opaque);

/* Input bytes; stops after a command whose output filled the buffer
 * (the client is not reading), returning how much was used. */
static size_t hmp_consume(Monitor *common, const uint8_t *buf, size_t size)
{
    HMPMonitor *mon = (HMPMonitor *)common;

    hmp_show(mon);     /* input before the banner was due: banner first */

    for (size_t i = 0; i < size; i++) {
        uint8_t ch = buf[i];

        if (ch == '\r' || ch == '\n') {
            mon_printf(mon, "\n");
            mon->line[mon->len] = '\0';
            hmp_execute(mon, g_strstrip(mon->line));
            mon->len = 0;
            mon_printf(mon, HMP_PROMPT);
            if (monitor_out_full(common)) {
                return i + 1;
            }
        } else if (ch == 127 || ch == 8) {
            if (mon->len) {
                mon->len--;
                mon_printf(mon, "\b \b");
            }
        } else if (ch >= 32 && ch < 127 && mon->len < HMP_LINE_MAX - 1) {
            mon->line[mon->len++] = ch;
            monitor_write(common, (const char *)&ch, 1);
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
    mon_printf(mon, HMP_PROMPT);
}

static void hmp_event(Monitor *common, ChrEvent event)
{
    HMPMonitor *mon = (HMPMonitor *)common;

    switch (event) {
    case CHR_EVENT_MUX_IN:
        mon->focused = true;
        if (mon->greeted) {
            mon_printf(mon, HMP_PROMPT);    /* back from Ctrl-A c */
        } else {
            qemu_bh_schedule(mon->show_bh);
        }
        break;
    case CHR_EVENT_MUX_OUT:
        mon->focused = false;
        break;
    case CHR_EVENT_OPENED:
        mon->opened = true;
        qemu_bh_schedule(mon->show_bh);
        break;
    case CHR_EVENT_CLOSED:
        mon->opened = false;
        mon->greeted = false;
        mon->len = 0;
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
    mon->show_bh = qemu_bh_new(hmp_show, mon);
    if (!monitor_attach(&mon->common, chr, errp)) {
        qemu_bh_delete(mon->show_bh);
        g_free(mon);
        return false;
    }
    return true;
}
