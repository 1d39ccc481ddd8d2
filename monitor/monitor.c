/*
 * The client side every monitor shares: buffered, never-blocking output
 * and input flow control that follows it.  See monitor/monitor-internal.h.
 */
#include "turtle/osdep.h"
#include "monitor/monitor.h"
#include "monitor/monitor-internal.h"
#include "turtle/option.h"

static void monitor_process_input(Monitor *mon);

size_t monitor_out_pending(const Monitor *mon)
{
    return mon->out->len - mon->out_pos;
}

bool monitor_out_full(const Monitor *mon)
{
    return monitor_out_pending(mon) >= MONITOR_OUT_HIGH;
}

static void monitor_out_clear(Monitor *mon)
{
    g_string_truncate(mon->out, 0);
    mon->out_pos = 0;
    if (mon->out->allocated_len > 2 * MONITOR_OUT_HIGH) {
        /* give the room of a burst back */
        g_string_free(mon->out, true);
        mon->out = g_string_new(NULL);
    }
}

static gboolean monitor_writable(GIOCondition cond, void *opaque)
{
    Monitor *mon = opaque;
    bool was_stalled;

    mon->out_watch = 0;
    was_stalled = mon->in_stalled;
    monitor_process_input(mon);     /* writes what it can first */
    if (was_stalled && !monitor_out_full(mon) && !mon->in_backlog->len) {
        mon->in_stalled = false;
        qemu_chr_fe_accept_input(&mon->chr);
    }
    return G_SOURCE_REMOVE;
}

static int64_t monitor_stall_ns(void)
{
    static int64_t ns;

    if (!ns) {
        const char *env = g_getenv("TURTLE_MONITOR_STALL_MS");
        int64_t ms = env ? g_ascii_strtoll(env, NULL, 10) : 0;

        ns = (ms > 0 ? ms : MONITOR_STALL_MS) * SCALE_MS;
    }
    return ns;
}

/* Drop a client that must be dropped: a disconnectable back end only.
 * Returns false when the back end cannot drop its peer. */
static bool monitor_drop_client(Monitor *mon, const char *why)
{
    const char *label = mon->chr.chr ? mon->chr.chr->label : "?";

    if (!qemu_chr_fe_disconnect(&mon->chr)) {
        return false;
    }
    warn_report("%s monitor on chardev '%s': the client does not read its "
                "output (%zu bytes waiting%s): disconnected", mon->kind,
                label, monitor_out_pending(mon), why);
    mon->out_dropping = true;
    monitor_out_clear(mon);
    timer_del(mon->stall_timer);
    return true;
}

static void monitor_stalled(void *opaque)
{
    Monitor *mon = opaque;
    g_autofree char *why = g_strdup_printf(", none taken for %" PRId64
                                           " ms", monitor_stall_ns() /
                                           SCALE_MS);

    if (monitor_out_full(mon) && !mon->out_dropping) {
        monitor_drop_client(mon, why);
    }
}

/* Write what the chardev takes now; watch for room for the rest. */
static void monitor_flush(Monitor *mon)
{
    bool progress = false;

    while (monitor_out_pending(mon)) {
        int n = qemu_chr_fe_write(&mon->chr,
                                  (const uint8_t *)mon->out->str + mon->out_pos,
                                  MIN(monitor_out_pending(mon), 65536));
        if (n < 0) {
            monitor_out_clear(mon);     /* the back end failed for good */
            break;
        }
        if (n == 0) {
            break;
        }
        mon->out_pos += n;
        progress = true;
    }
    /* the stall clock runs from the last byte the client took */
    if (!monitor_out_full(mon) || progress) {
        timer_del(mon->stall_timer);
    }
    if (monitor_out_full(mon) && !timer_pending(mon->stall_timer)) {
        timer_mod_ns(mon->stall_timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME)
                     + monitor_stall_ns());
    }
    if (!monitor_out_pending(mon)) {
        monitor_out_clear(mon);
        mon->out_warned = false;
    } else if (mon->out_pos >= 4096 && mon->out_pos >= mon->out->len / 2) {
        g_string_erase(mon->out, 0, mon->out_pos);
        mon->out_pos = 0;
    }
    if (monitor_out_pending(mon) && !mon->out_watch) {
        mon->out_watch = qemu_chr_fe_add_watch(&mon->chr, G_IO_OUT | G_IO_HUP,
                                               monitor_writable, mon);
    }
}

void monitor_write(Monitor *mon, const char *buf, size_t len)
{
    if (mon->out_dropping || !len) {
        return;
    }
    g_string_append_len(mon->out, buf, len);
    monitor_flush(mon);
}

void monitor_write_event(Monitor *mon, const char *buf, size_t len)
{
    const char *label = mon->chr.chr ? mon->chr.chr->label : "?";

    if (mon->out_dropping) {
        return;
    }
    if (monitor_out_pending(mon) + len > MONITOR_OUT_MAX) {
        if (!monitor_drop_client(mon, "") && !mon->out_warned) {
            warn_report("%s monitor on chardev '%s': nobody reads its output "
                        "(%zu bytes waiting): events are dropped", mon->kind,
                        label, monitor_out_pending(mon));
            mon->out_warned = true;
        }
        return;
    }
    monitor_write(mon, buf, len);
}

void monitor_reset_io(Monitor *mon)
{
    monitor_out_clear(mon);
    qemu_chr_fe_remove_watch(mon->out_watch);
    mon->out_watch = 0;
    timer_del(mon->stall_timer);
    mon->out_dropping = false;
    mon->out_warned = false;
    g_byte_array_set_size(mon->in_backlog, 0);
    mon->in_stalled = false;
    mon->generation++;
}

/* ---- input ---- */

/* Hand the backlog to the monitor while its output has room. */
static void monitor_process_input(Monitor *mon)
{
    monitor_flush(mon);
    if (mon->consuming) {
        return;     /* called back from inside a request */
    }
    mon->consuming = true;
    while (mon->in_backlog->len && !monitor_out_full(mon) &&
           !mon->out_dropping) {
        unsigned gen = mon->generation;
        size_t n = mon->consume(mon, mon->in_backlog->data,
                                mon->in_backlog->len);

        if (gen != mon->generation) {
            break;          /* the connection was reset meanwhile */
        }
        g_byte_array_remove_range(mon->in_backlog, 0, n);
        if (!n) {
            break;
        }
    }
    mon->consuming = false;
}

static int monitor_can_read(void *opaque)
{
    Monitor *mon = opaque;

    if (mon->in_backlog->len || monitor_out_full(mon) || mon->out_dropping) {
        mon->in_stalled = true;
        return 0;
    }
    return MONITOR_IN_CHUNK;
}

static void monitor_read(void *opaque, const uint8_t *buf, int size)
{
    Monitor *mon = opaque;

    g_byte_array_append(mon->in_backlog, buf, size);
    monitor_process_input(mon);
}

static void monitor_chr_event(void *opaque, ChrEvent ev)
{
    Monitor *mon = opaque;

    if (ev == CHR_EVENT_OPENED || ev == CHR_EVENT_CLOSED) {
        monitor_reset_io(mon);
    }
    mon->event(mon, ev);
}

bool monitor_attach(Monitor *mon, Chardev *chr, Error **errp)
{
    if (!qemu_chr_fe_init(&mon->chr, chr, errp)) {
        return false;
    }
    mon->out = g_string_new(NULL);
    mon->in_backlog = g_byte_array_new();
    mon->stall_timer = timer_new_ns(QEMU_CLOCK_REALTIME, monitor_stalled, mon);
    qemu_chr_fe_set_handlers(&mon->chr, monitor_can_read, monitor_read,
                             monitor_chr_event, mon);
    return true;
}

bool monitor_new_from_opts(Opts *opts, Error **errp)
{
    const char *id = opts_get(opts, "chardev");
    const char *mode = opts_get(opts, "mode");
    bool pretty = false, control;
    Chardev *chr;

    if (!opts_get_bool(opts, "pretty", &pretty, errp)) {
        return false;
    }
    if (!id) {
        error_setg(errp, "-mon: chardev=ID is required");
        return false;
    }
    if (!mode || !strcmp(mode, "readline")) {
        control = false;
    } else if (!strcmp(mode, "control")) {
        control = true;
    } else {
        error_setg(errp, "-mon: mode '%s' is not readline or control", mode);
        return false;
    }
    if (pretty && !control) {
        error_setg(errp, "-mon: pretty=on is for mode=control only");
        return false;
    }
    if (!opts_check_all_used(opts, errp)) {
        return false;
    }
    chr = qemu_chr_find(id);
    if (!chr) {
        error_setg(errp, "-mon: no -chardev with id '%s'", id);
        return false;
    }
    return control ? monitor_init_qmp(chr, pretty, errp)
                   : monitor_init_hmp(chr, errp);
}
