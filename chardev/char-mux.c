/*
 * "mux": several front ends (a serial port and the monitor, typically) on
 * one back end.  Output from every front end goes to the back end; input
 * goes to the front end that has the focus.  Ctrl-A is an escape:
 *   C-a h  help            C-a x  exit Turtle
 *   C-a c  next front end  C-a b  send a break to the focused front end
 *   C-a t  timestamps on output lines, on/off
 *   C-a C-a  a literal C-a
 * Created by mux=on (the real back end becomes "<id>-base"), by
 * "mon:stdio" specs and by -nographic, or directly with
 * "-chardev mux,id=ID,chardev=BASE".
 *
 * Input for a front end that cannot take it yet is kept in a small
 * per-front-end buffer; while the focused buffer is full the back end
 * stops reading (flow control), so nothing is lost.
 *
 * Output never blocks: the mux's own text (the C-a h help, C-a t time
 * stamps) waits in a small buffer until the back end takes it, and front
 * ends see a full back end as a short write, as on the back end itself.
 */
#include "turtle/osdep.h"
#include "chardev/char-internal.h"
#include "sysemu/runstate.h"
#include "turtle/option.h"

#define MUX_MAX_FE      4
#define MUX_BUF_SIZE    32
#define MUX_ESCAPE      0x01     /* Ctrl-A */
#define MUX_PENDING_MAX 1024     /* the mux's own output waiting */

typedef struct MuxFrontEnd {
    CharBackend *be;
    uint8_t buf[MUX_BUF_SIZE];
    unsigned prod, cons;         /* free-running ring indexes */
} MuxFrontEnd;

typedef struct MuxChardev {
    Chardev parent_obj;
    CharBackend base;            /* our end of the real back end */
    MuxFrontEnd fe[MUX_MAX_FE];
    int fe_count;
    int focus;                   /* index in fe[], -1: none */
    bool got_escape;
    bool timestamps;
    bool line_start;
    int64_t ts_start_ms;
    GString *pending;            /* our own output not yet taken */
    guint pending_watch;
} MuxChardev;

DECLARE_INSTANCE_CHECKER(MuxChardev, MUX_CHARDEV, TYPE_CHARDEV_MUX)

static const char mux_help[] =
    "\r\n"
    "C-a h    print this help\r\n"
    "C-a x    exit Turtle\r\n"
    "C-a c    switch input between the console and the monitor\r\n"
    "C-a b    send a break\r\n"
    "C-a t    toggle timestamps on output lines\r\n"
    "C-a C-a  send C-a\r\n";

Chardev *mux_get_base(Chardev *chr)
{
    return MUX_CHARDEV(chr)->base.chr;
}

static void mux_send_event(MuxChardev *d, int idx, ChrEvent ev)
{
    CharBackend *be = idx >= 0 ? d->fe[idx].be : NULL;

    if (be && be->chr_event) {
        be->chr_event(be->opaque, ev);
    }
}

static void mux_set_focus(MuxChardev *d, int idx)
{
    if (idx == d->focus) {
        return;
    }
    mux_send_event(d, d->focus, CHR_EVENT_MUX_OUT);
    d->focus = idx;
    mux_send_event(d, d->focus, CHR_EVENT_MUX_IN);
    qemu_chr_fe_accept_input(&d->base);
}

void mux_fe_handlers_set(Chardev *chr, CharBackend *be)
{
    MuxChardev *d = MUX_CHARDEV(chr);

    if (be->tag >= 0 && be->tag < MUX_MAX_FE && d->fe[be->tag].be == be) {
        mux_set_focus(d, be->tag);
    }
}

/* Hand buffered input to its front end while it takes it. */
static void mux_flush(MuxChardev *d, int idx)
{
    MuxFrontEnd *f = &d->fe[idx];
    CharBackend *be = f->be;

    while (be && be->chr_can_read && be->chr_read && f->prod != f->cons &&
           be->chr_can_read(be->opaque) > 0) {
        uint8_t c = f->buf[f->cons++ % MUX_BUF_SIZE];
        be->chr_read(be->opaque, &c, 1);
        be = f->be;   /* the handler may have detached it */
    }
}

/* One input byte for the focused front end: straight through if it can
 * take it and nothing is queued before it, else queued. */
static void mux_deliver(MuxChardev *d, uint8_t c)
{
    MuxFrontEnd *f;
    CharBackend *be;

    if (d->focus < 0) {
        return;
    }
    f = &d->fe[d->focus];
    be = f->be;
    mux_flush(d, d->focus);
    if (f->prod == f->cons && be && be->chr_can_read && be->chr_read &&
        be->chr_can_read(be->opaque) > 0) {
        be->chr_read(be->opaque, &c, 1);
    } else if (f->prod - f->cons < MUX_BUF_SIZE) {
        f->buf[f->prod++ % MUX_BUF_SIZE] = c;
    }
    /* else impossible: mux_can_read() never offers more than the room */
}

static gboolean mux_pending_writable(GIOCondition cond, void *opaque);

/* Write out what we have of our own; true when nothing is left. */
static bool mux_flush_pending(MuxChardev *d)
{
    while (d->pending->len) {
        int n = qemu_chr_fe_write(&d->base, (const uint8_t *)d->pending->str,
                                  d->pending->len);
        if (n < 0) {
            g_string_truncate(d->pending, 0);   /* the back end failed */
            break;
        }
        if (n == 0) {
            if (!d->pending_watch) {
                d->pending_watch = qemu_chr_fe_add_watch(
                    &d->base, G_IO_OUT | G_IO_HUP, mux_pending_writable, d);
            }
            return false;
        }
        g_string_erase(d->pending, 0, n);
    }
    return true;
}

static gboolean mux_pending_writable(GIOCondition cond, void *opaque)
{
    MuxChardev *d = opaque;

    d->pending_watch = 0;
    mux_flush_pending(d);
    return G_SOURCE_REMOVE;
}

/* Our own text: queued (at most MUX_PENDING_MAX) and written when it can. */
static void mux_print(MuxChardev *d, const char *s)
{
    size_t len = strlen(s);

    if (d->pending->len + len <= MUX_PENDING_MAX) {
        g_string_append_len(d->pending, s, len);
    }
    d->line_start = s[len - 1] == '\n';
    mux_flush_pending(d);
}

/* Returns true when c was an escape sequence (consumed). */
static bool mux_escape(MuxChardev *d, uint8_t c)
{
    if (!d->got_escape) {
        if (c == MUX_ESCAPE) {
            d->got_escape = true;
            return true;
        }
        return false;
    }
    d->got_escape = false;
    switch (c) {
    case MUX_ESCAPE:
        return false;               /* C-a C-a: one literal C-a */
    case 'h':
    case '?':
        mux_print(d, mux_help);
        break;
    case 'x':
        mux_print(d, "turtle: terminated\r\n");
        turtle_exit(0);     /* its exit notifier restores the terminal */
    case 'c':
        if (d->fe_count > 0) {
            int next = d->focus;
            /* the next attached front end, skipping detached slots */
            for (int i = 0; i < MUX_MAX_FE; i++) {
                next = (next + 1) % d->fe_count;
                if (d->fe[next].be) {
                    break;
                }
            }
            mux_set_focus(d, next);
        }
        break;
    case 'b':
        mux_send_event(d, d->focus, CHR_EVENT_BREAK);
        break;
    case 't':
        d->timestamps = !d->timestamps;
        d->ts_start_ms = g_get_monotonic_time() / 1000;
        break;
    default:
        break;                      /* unknown: dropped */
    }
    return true;
}

static int mux_can_read(void *opaque)
{
    MuxChardev *d = opaque;
    MuxFrontEnd *f;

    if (d->focus < 0 || !d->fe[d->focus].be) {
        return 1;    /* keep reading: escapes still work, input is dropped */
    }
    f = &d->fe[d->focus];
    mux_flush(d, d->focus);
    if (f->prod == f->cons && f->be->chr_can_read) {
        int n = f->be->chr_can_read(f->be->opaque);
        if (n > 0) {
            /* at most a buffer's worth: if a C-a c in this chunk moves
             * the focus, the rest still fits in the next front end's */
            return MIN(n, MUX_BUF_SIZE);
        }
    }
    return MUX_BUF_SIZE - (f->prod - f->cons);
}

static void mux_read(void *opaque, const uint8_t *buf, int size)
{
    MuxChardev *d = opaque;

    for (int i = 0; i < size; i++) {
        if (!mux_escape(d, buf[i])) {
            mux_deliver(d, buf[i]);
        }
    }
}

static void mux_base_event(void *opaque, ChrEvent ev)
{
    qemu_chr_be_event((Chardev *)opaque, ev);
}

/* Events from the real back end (through qemu_chr_be_event on the mux). */
static void mux_chr_be_event(Chardev *chr, ChrEvent ev)
{
    MuxChardev *d = MUX_CHARDEV(chr);

    for (int i = 0; i < d->fe_count; i++) {
        mux_send_event(d, i, ev);
    }
}

static bool mux_chr_open(Chardev *chr, Opts *opts, bool *be_opened,
                         Error **errp)
{
    MuxChardev *d = MUX_CHARDEV(chr);
    const char *base_id = opts_get(opts, "chardev");
    Chardev *base;

    *be_opened = false;     /* the base tells us through mux_base_event */
    if (!base_id) {
        error_setg(errp, "chardev '%s': mux needs chardev=ID", chr->label);
        return false;
    }
    base = qemu_chr_find(base_id);
    if (!base) {
        error_setg(errp, "chardev '%s': no chardev '%s' to multiplex",
                   chr->label, base_id);
        return false;
    }
    if (!qemu_chr_fe_init(&d->base, base, errp)) {
        return false;
    }
    chr->filename = g_strdup_printf("mux:%s", base->label);
    qemu_chr_fe_set_handlers(&d->base, mux_can_read, mux_read,
                             mux_base_event, d);
    return true;
}

static int mux_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    MuxChardev *d = MUX_CHARDEV(chr);
    int done = 0;

    /* our own text first, so that it is not cut by a front end's */
    if (!mux_flush_pending(d)) {
        errno = EAGAIN;
        return -1;
    }
    if (!d->timestamps) {
        int n = qemu_chr_fe_write(&d->base, buf, len);
        if (n > 0) {
            d->line_start = buf[n - 1] == '\n';   /* for C-a t */
        }
        return n;
    }
    /* with timestamps, each line starts with "[hh:mm:ss.mmm] " */
    while (done < len) {
        const uint8_t *nl = memchr(buf + done, '\n', len - done);
        int chunk = nl ? nl - (buf + done) + 1 : len - done;
        int n;

        if (d->line_start) {
            int64_t ms = g_get_monotonic_time() / 1000 - d->ts_start_ms;
            char ts[32];
            snprintf(ts, sizeof(ts), "[%02d:%02d:%02d.%03d] ",
                     (int)(ms / 3600000), (int)(ms / 60000 % 60),
                     (int)(ms / 1000 % 60), (int)(ms % 1000));
            mux_print(d, ts);
            d->line_start = false;
            if (d->pending->len) {
                break;      /* the stamp waits: so does the line */
            }
        }
        n = qemu_chr_fe_write(&d->base, buf + done, chunk);
        if (n < 0) {
            return done ? done : -1;
        }
        done += n;
        if (n < chunk) {
            break;
        }
        d->line_start = nl != NULL;
    }
    if (!done) {
        errno = EAGAIN;
        return -1;
    }
    return done;
}

static GSource *mux_chr_add_watch(Chardev *chr, GIOCondition cond)
{
    Chardev *base = MUX_CHARDEV(chr)->base.chr;
    ChardevClass *bc = base ? CHARDEV_GET_CLASS(base) : NULL;

    return bc && bc->chr_add_watch ? bc->chr_add_watch(base, cond) : NULL;
}

static void mux_chr_accept_input(Chardev *chr)
{
    MuxChardev *d = MUX_CHARDEV(chr);

    for (int i = 0; i < d->fe_count; i++) {
        mux_flush(d, i);
    }
    qemu_chr_fe_accept_input(&d->base);
}

static void mux_chr_update_read_handler(Chardev *chr)
{
    qemu_chr_fe_accept_input(&MUX_CHARDEV(chr)->base);
}

static bool mux_chr_attach_fe(Chardev *chr, CharBackend *be, Error **errp)
{
    MuxChardev *d = MUX_CHARDEV(chr);
    int idx;

    for (idx = 0; idx < d->fe_count && d->fe[idx].be; idx++) {
        /* reuse a detached slot */
    }
    if (idx >= MUX_MAX_FE) {
        error_setg(errp, "chardev '%s': a mux serves at most %d front ends",
                   chr->label, MUX_MAX_FE);
        return false;
    }
    memset(&d->fe[idx], 0, sizeof(d->fe[idx]));
    d->fe[idx].be = be;
    be->tag = idx;
    if (idx == d->fe_count) {
        d->fe_count++;
    }
    return true;
}

static void mux_chr_detach_fe(Chardev *chr, CharBackend *be)
{
    MuxChardev *d = MUX_CHARDEV(chr);

    if (be->tag < 0 || be->tag >= d->fe_count || d->fe[be->tag].be != be) {
        return;
    }
    d->fe[be->tag].be = NULL;
    if (d->focus == be->tag) {
        d->focus = -1;
        for (int i = 0; i < d->fe_count; i++) {
            if (d->fe[i].be) {
                mux_set_focus(d, i);
                break;
            }
        }
    }
}

static void mux_chr_cleanup(Chardev *chr)
{
    MuxChardev *d = MUX_CHARDEV(chr);

    for (int i = 0; i < d->fe_count; i++) {
        if (d->fe[i].be && d->fe[i].be->chr == chr) {
            d->fe[i].be->chr = NULL;
        }
        d->fe[i].be = NULL;
    }
    d->fe_count = 0;
    if (d->base.chr) {
        qemu_chr_fe_deinit(&d->base, false);
    }
    qemu_chr_fe_remove_watch(d->pending_watch);
    d->pending_watch = 0;
    g_string_free(d->pending, true);
    d->pending = NULL;
}

static void mux_chr_instance_init(Object *obj)
{
    MuxChardev *d = MUX_CHARDEV(obj);

    d->focus = -1;
    d->line_start = true;
    d->pending = g_string_new(NULL);
}

static void mux_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->backend_name = "mux";
    cc->help = "chardev=ID: share back end ID between front ends (Ctrl-A c)";
    cc->open = mux_chr_open;
    cc->chr_write = mux_chr_write;
    cc->chr_add_watch = mux_chr_add_watch;
    cc->chr_accept_input = mux_chr_accept_input;
    cc->chr_update_read_handler = mux_chr_update_read_handler;
    cc->chr_attach_fe = mux_chr_attach_fe;
    cc->chr_detach_fe = mux_chr_detach_fe;
    cc->chr_be_event = mux_chr_be_event;
    cc->chr_cleanup = mux_chr_cleanup;
}

static const TypeInfo mux_chr_types[] = {
    {
        .name = TYPE_CHARDEV_MUX,
        .parent = TYPE_CHARDEV,
        .instance_size = sizeof(MuxChardev),
        .instance_init = mux_chr_instance_init,
        .class_init = mux_chr_class_init,
    },
};

DEFINE_TYPES(mux_chr_types)
