/*
 * Character devices: the registry of back ends by label, creation from
 * -chardev options and from -serial/-monitor specs, and the front-end and
 * back-end halves of the CharBackend interface.  See chardev/char.h and
 * docs/chardev.md.
 */
#include "turtle/osdep.h"
#include "chardev/char.h"
#include "chardev/char-internal.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "turtle/option.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>

/* Every open back end, in creation order (a mux after its base). */
static GPtrArray *chardevs;

static void chr_cleanup_all_notifier(void);

static void chr_process_setup(void)
{
    static bool done;
    struct sigaction sa;

    if (done) {
        return;
    }
    done = true;
    /* A peer closing a pipe or socket must be an error return, not a
     * fatal signal; leave it alone if somebody else already chose. */
    if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL) {
        signal(SIGPIPE, SIG_IGN);
    }
    turtle_add_exit_notifier(chr_cleanup_all_notifier);
}

bool chr_id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

Chardev *qemu_chr_find(const char *label)
{
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);
        if (!strcmp(chr->label, label)) {
            return chr;
        }
    }
    return NULL;
}

void qemu_chr_foreach(void (*fn)(Chardev *chr, void *opaque), void *opaque)
{
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        fn(g_ptr_array_index(chardevs, i), opaque);
    }
}

bool chr_is_mux(Chardev *chr)
{
    return object_dynamic_cast(OBJECT(chr), TYPE_CHARDEV_MUX) != NULL;
}

int chr_get_out_fd(Chardev *chr)
{
    if (chr_is_mux(chr)) {
        Chardev *base = mux_get_base(chr);
        return base ? chr_get_out_fd(base) : -1;
    }
    if (object_dynamic_cast(OBJECT(chr), TYPE_CHARDEV_FD)) {
        return FD_CHARDEV(chr)->fd_out;
    }
    return -1;
}

static ChardevClass *chr_class_by_backend(const char *backend)
{
    g_autofree char *name = g_strdup_printf("chardev-%s", backend);
    ObjectClass *oc = object_class_by_name(name);

    if (!oc || object_class_is_abstract(oc) ||
        !object_class_dynamic_cast(oc, TYPE_CHARDEV)) {
        return NULL;
    }
    return CHARDEV_CLASS(oc);
}

static void chr_free(Chardev *chr)
{
    ChardevClass *cc = CHARDEV_GET_CLASS(chr);

    if (cc->chr_cleanup) {
        cc->chr_cleanup(chr);
    }
    if (chr->logfd >= 0) {
        close(chr->logfd);
        chr->logfd = -1;
    }
    pthread_mutex_destroy(&chr->write_lock);
    g_free(chr->label);
    g_free(chr->filename);
    object_unref(OBJECT(chr));
}

/* Create, open and register one back end of class cc under label. */
static Chardev *chr_create(ChardevClass *cc, const char *label, Opts *opts,
                           const char *logfile, bool logappend, Error **errp)
{
    Chardev *chr = CHARDEV(object_new(object_class_get_name(OBJECT_CLASS(cc))));
    bool be_opened = true;

    chr->label = g_strdup(label);
    chr->logfd = -1;
    pthread_mutex_init(&chr->write_lock, NULL);
    if (logfile) {
        chr->logfd = open(logfile, O_WRONLY | O_CREAT | O_CLOEXEC |
                          (logappend ? O_APPEND : O_TRUNC), 0666);
        if (chr->logfd < 0) {
            error_setg_errno(errp, errno, "chardev '%s': cannot open log "
                             "file '%s'", label, logfile);
            goto fail;
        }
    }
    if (cc->open && !cc->open(chr, opts, &be_opened, errp)) {
        goto fail;
    }
    if (!opts_check_all_used(opts, errp)) {
        goto fail;
    }
    if (!chr->filename) {
        chr->filename = g_strdup(cc->backend_name);
    }
    if (!chardevs) {
        chardevs = g_ptr_array_new();
    }
    g_ptr_array_add(chardevs, chr);
    if (be_opened) {
        qemu_chr_be_event(chr, CHR_EVENT_OPENED);
    }
    return chr;

fail:
    chr_free(chr);
    return NULL;
}

Chardev *qemu_chr_new_from_opts(Opts *opts, Error **errp)
{
    const char *backend = opts_get(opts, "backend");
    const char *id = opts_get(opts, "id");
    const char *logfile = opts_get(opts, "logfile");
    bool logappend = false, mux = false;
    g_autofree char *base_id = NULL;
    ChardevClass *cc;
    Chardev *base, *chr;
    Opts *mux_opts;

    chr_process_setup();
    if (!backend) {
        error_setg(errp, "-chardev: the back end type is missing "
                   "(try -chardev help)");
        return NULL;
    }
    cc = chr_class_by_backend(backend);
    if (!cc || cc->internal) {
        error_setg(errp, "-chardev: unknown back end '%s' (try -chardev help)",
                   backend);
        return NULL;
    }
    if (!id) {
        error_setg(errp, "-chardev %s: 'id' is required", backend);
        return NULL;
    }
    if (!chr_id_wellformed(id)) {
        error_setg(errp, "-chardev %s: invalid id '%s': it must start with a "
                   "letter and contain only letters, digits, '-', '.', '_'",
                   backend, id);
        return NULL;
    }
    if (qemu_chr_find(id)) {
        error_setg(errp, "-chardev %s: duplicate id '%s'", backend, id);
        return NULL;
    }
    if (!opts_get_bool(opts, "mux", &mux, errp) ||
        !opts_get_bool(opts, "logappend", &logappend, errp)) {
        return NULL;
    }
    if (!mux) {
        return chr_create(cc, id, opts, logfile, logappend, errp);
    }

    /* mux=on: the real back end is "<id>-base", the mux on top is "<id>" */
    base_id = g_strdup_printf("%s-base", id);
    if (qemu_chr_find(base_id)) {
        error_setg(errp, "-chardev %s: id '%s' (for mux=on) is already used",
                   backend, base_id);
        return NULL;
    }
    base = chr_create(cc, base_id, opts, logfile, logappend, errp);
    if (!base) {
        return NULL;
    }
    mux_opts = opts_new("chardev");
    opts_set(mux_opts, "chardev", base_id);
    chr = chr_create(CHARDEV_CLASS(object_class_by_name(TYPE_CHARDEV_MUX)),
                     id, mux_opts, NULL, false, errp);
    opts_free(mux_opts);
    if (!chr) {
        qemu_chr_delete(base);
    }
    return chr;
}

/* "HOST:PORT" (HOST may be empty or [v6]) into opts. */
static bool chr_parse_host_port(Opts *opts, const char *hp, const char *spec,
                                Error **errp)
{
    const char *colon = strrchr(hp, ':');
    g_autofree char *host = NULL;

    if (!colon) {
        error_setg(errp, "'%s': expected HOST:PORT", spec);
        return false;
    }
    host = g_strndup(hp, colon - hp);
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        char *v6 = g_strndup(host + 1, strlen(host) - 2);
        g_free(host);
        host = v6;
    }
    opts_set(opts, "host", host);
    opts_set(opts, "port", colon + 1);
    return true;
}

/* Turn a -serial/-monitor spec into -chardev options; NULL on error. */
static Opts *chr_spec_to_opts(const char *spec, Error **errp)
{
    static const char *const simple[] = { "stdio", "null", "pty" };
    static const struct {
        const char *prefix;
        const char *backend;
    } paths[] = { { "file:", "file" }, { "pipe:", "pipe" } };
    const char *rest, *comma;
    g_autofree char *head = NULL;
    Opts *opts;

    for (size_t i = 0; i < ARRAY_SIZE(simple); i++) {
        if (!strcmp(spec, simple[i])) {
            opts = opts_new("chardev");
            opts_set(opts, "backend", simple[i]);
            return opts;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
        if (g_str_has_prefix(spec, paths[i].prefix)) {
            /* the whole rest is the path, commas included */
            rest = spec + strlen(paths[i].prefix);
            if (!*rest) {
                error_setg(errp, "'%s': the path is missing", spec);
                return NULL;
            }
            opts = opts_new("chardev");
            opts_set(opts, "backend", paths[i].backend);
            opts_set(opts, "path", rest);
            return opts;
        }
    }

    if (g_str_has_prefix(spec, "/dev/")) {
        /* a host serial port or other terminal, the whole spec is the path */
        opts = opts_new("chardev");
        opts_set(opts, "backend", "serial");
        opts_set(opts, "path", spec);
        return opts;
    }

    if (g_str_has_prefix(spec, "tcp:") || g_str_has_prefix(spec, "telnet:") ||
        g_str_has_prefix(spec, "unix:")) {
        rest = strchr(spec, ':') + 1;
        comma = strchr(rest, ',');
        head = comma ? g_strndup(rest, comma - rest) : g_strdup(rest);
        if (comma) {
            opts = opts_parse("chardev", comma + 1, NULL, errp);
            if (!opts) {
                return NULL;
            }
        } else {
            opts = opts_new("chardev");
        }
        opts_set(opts, "backend", "socket");
        if (spec[0] == 'u') {
            if (!*head) {
                error_setg(errp, "'%s': the socket path is missing", spec);
                opts_free(opts);
                return NULL;
            }
            opts_set(opts, "path", head);
        } else {
            if (!chr_parse_host_port(opts, head, spec, errp)) {
                opts_free(opts);
                return NULL;
            }
            if (spec[1] == 'e') {
                opts_set(opts, "telnet", "on");
            }
        }
        return opts;
    }

    error_setg(errp, "'%s': unsupported character device; use stdio, null, "
               "none, pty, file:PATH, pipe:PATH, /dev/TTY, "
               "tcp:HOST:PORT[,server=on], unix:PATH[,server=on], chardev:ID "
               "or mon:stdio", spec);
    return NULL;
}

Chardev *qemu_chr_new(const char *label, const char *spec, Error **errp)
{
    Chardev *chr;
    Opts *opts;
    bool mux = false;

    if (!strcmp(spec, "none")) {
        return NULL;   /* no back end at all; not an error */
    }
    if (g_str_has_prefix(spec, "chardev:")) {
        chr = qemu_chr_find(spec + 8);
        if (!chr) {
            error_setg(errp, "'%s': no -chardev with id '%s'", spec, spec + 8);
        }
        return chr;
    }
    if (g_str_has_prefix(spec, "mon:")) {
        spec += 4;
        mux = true;
    }
    opts = chr_spec_to_opts(spec, errp);
    if (!opts) {
        return NULL;
    }
    opts_set(opts, "id", label);
    if (mux) {
        opts_set(opts, "mux", "on");
    }
    chr = qemu_chr_new_from_opts(opts, errp);
    opts_free(opts);
    return chr;
}

void qemu_chr_delete(Chardev *chr)
{
    if (!chr) {
        return;
    }
    if (chardevs) {
        g_ptr_array_remove(chardevs, chr);
    }
    if (chr->be && chr->be->chr == chr) {
        chr->be->chr = NULL;
    }
    chr->be = NULL;
    chr_free(chr);
}

void qemu_chr_cleanup_all(void)
{
    /* The terminal first: whatever happens next, the shell gets it back. */
    stdio_term_restore();
    while (chardevs && chardevs->len) {
        qemu_chr_delete(g_ptr_array_index(chardevs, chardevs->len - 1));
    }
}

/*
 * At process exit vCPU threads may still be writing to back ends, so
 * nothing is freed here: the terminal is restored and listening Unix
 * sockets are removed, and the kernel closes the rest.
 */
static void chr_cleanup_all_notifier(void)
{
    stdio_term_restore();
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);
        if (object_dynamic_cast(OBJECT(chr), TYPE_CHARDEV_SOCKET)) {
            socket_chr_unlink(chr);
        }
    }
}

void qemu_chr_list_help(FILE *f)
{
    GSList *list = object_class_get_list(TYPE_CHARDEV, false);

    fprintf(f, "Available chardev back end types:\n");
    for (GSList *l = list; l; l = l->next) {
        ChardevClass *cc = CHARDEV_CLASS(l->data);
        if (!cc->internal && cc->backend_name) {
            fprintf(f, "  %-8s %s\n", cc->backend_name,
                    cc->help ? cc->help : "");
        }
    }
    g_slist_free(list);
}

/* ---- front end ---- */

bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp)
{
    be->chr_can_read = NULL;
    be->chr_read = NULL;
    be->chr_event = NULL;
    be->opaque = NULL;
    be->tag = 0;
    be->fe_is_open = false;
    be->chr = NULL;
    if (!chr) {
        return true;
    }
    if (chr_is_mux(chr)) {
        ChardevClass *cc = CHARDEV_GET_CLASS(chr);
        if (!cc->chr_attach_fe(chr, be, errp)) {
            return false;
        }
    } else if (chr->be) {
        error_setg(errp, "chardev '%s' is already in use by another device "
                   "(use mux=on to share it)", chr->label);
        return false;
    } else {
        chr->be = be;
    }
    be->chr = chr;
    return true;
}

void qemu_chr_fe_deinit(CharBackend *be, bool del)
{
    Chardev *chr = be->chr;

    if (!chr) {
        return;
    }
    qemu_chr_fe_set_handlers(be, NULL, NULL, NULL, NULL);
    if (chr_is_mux(chr)) {
        CHARDEV_GET_CLASS(chr)->chr_detach_fe(chr, be);
    } else if (chr->be == be) {
        chr->be = NULL;
    }
    be->chr = NULL;
    if (del) {
        qemu_chr_delete(chr);
    }
}

void qemu_chr_fe_set_handlers(CharBackend *be, IOCanReadHandler *can_read,
                              IOReadHandler *read, IOEventHandler *event,
                              void *opaque)
{
    Chardev *chr = be->chr;
    ChardevClass *cc;

    be->chr_can_read = can_read;
    be->chr_read = read;
    be->chr_event = event;
    be->opaque = opaque;
    be->fe_is_open = can_read || read || event;
    if (!chr) {
        return;
    }
    cc = CHARDEV_GET_CLASS(chr);
    if (cc->chr_set_fe_open) {
        cc->chr_set_fe_open(chr, be->fe_is_open);
    }
    if (cc->chr_update_read_handler) {
        cc->chr_update_read_handler(chr);
    }
    if (be->fe_is_open && chr_is_mux(chr)) {
        /* as in QEMU, the front end set up last gets the input focus
         * (CHR_EVENT_MUX_IN), before it hears that the back end is open */
        mux_fe_handlers_set(chr, be);
    }
    if (event && chr->be_open) {
        event(opaque, CHR_EVENT_OPENED);
    }
}

/* Wait until fd takes output again; a short sleep when there is none. */
static void chr_wait_writable(Chardev *chr)
{
    int fd = chr_get_out_fd(chr);

    if (fd >= 0) {
        struct pollfd pfd = { .fd = fd, .events = POLLOUT };
        poll(&pfd, 1, 1000);
    } else {
        g_usleep(1000);
    }
}

static int chr_write(Chardev *chr, const uint8_t *buf, int len, bool all)
{
    ChardevClass *cc = CHARDEV_GET_CLASS(chr);
    int done = 0, ret = 0;

    if (!cc->chr_write) {
        return len;
    }
    pthread_mutex_lock(&chr->write_lock);
    while (done < len) {
        int n = cc->chr_write(chr, buf + done, len - done);
        if (n > 0) {
            done += n;
            if (!all) {
                break;
            }
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!all) {
                break;
            }
            chr_wait_writable(chr);
            continue;
        }
        if (!done) {
            ret = -1;
        }
        break;
    }
    if (done > 0 && chr->logfd >= 0) {
        /* best effort: a full disk must not stall the guest */
        for (int off = 0; off < done;) {
            ssize_t n = write(chr->logfd, buf + off, done - off);
            if (n <= 0 && errno != EINTR) {
                break;
            }
            off += n > 0 ? n : 0;
        }
    }
    pthread_mutex_unlock(&chr->write_lock);
    return ret < 0 ? -1 : done;
}

int qemu_chr_fe_write(CharBackend *be, const uint8_t *buf, int len)
{
    if (!be->chr) {
        return len;    /* no back end: output is discarded */
    }
    return chr_write(be->chr, buf, len, false);
}

int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len)
{
    int n;

    if (!be->chr) {
        return len;
    }
    n = chr_write(be->chr, buf, len, true);
    return n < len ? -1 : n;
}

/* ---- output watches ---- */

#define CHR_WATCH_RETRY_MS 10

typedef struct ChrWatch {
    FEWatchFunc *func;
    void *opaque;
} ChrWatch;

static gboolean chr_watch_fd_cb(gint fd, GIOCondition cond, gpointer data)
{
    ChrWatch *w = data;

    return w->func(cond, w->opaque);
}

static gboolean chr_watch_timer_cb(gpointer data)
{
    ChrWatch *w = data;

    return w->func(G_IO_OUT, w->opaque);
}

guint qemu_chr_fe_add_watch(CharBackend *be, GIOCondition cond,
                            FEWatchFunc *func, void *opaque)
{
    Chardev *chr = be->chr;
    ChardevClass *cc;
    GSource *src = NULL;
    ChrWatch *w;
    guint tag;

    if (!chr) {
        return 0;
    }
    cc = CHARDEV_GET_CLASS(chr);
    w = g_new(ChrWatch, 1);
    w->func = func;
    w->opaque = opaque;
    if (cc->chr_add_watch) {
        src = cc->chr_add_watch(chr, cond);
    }
    if (src) {
        g_source_set_callback(src, G_SOURCE_FUNC(chr_watch_fd_cb), w, g_free);
    } else {
        /* nothing to poll: look again shortly */
        src = g_timeout_source_new(CHR_WATCH_RETRY_MS);
        g_source_set_callback(src, chr_watch_timer_cb, w, g_free);
    }
    tag = g_source_attach(src, main_loop_context());
    g_source_unref(src);
    return tag;
}

void qemu_chr_fe_remove_watch(guint tag)
{
    GSource *src = tag ? g_main_context_find_source_by_id(main_loop_context(),
                                                          tag) : NULL;

    if (src) {
        g_source_destroy(src);
    }
}

bool qemu_chr_fe_disconnect(CharBackend *be)
{
    Chardev *chr = be->chr;
    ChardevClass *cc;

    if (!chr) {
        return false;
    }
    if (chr_is_mux(chr)) {
        return false;   /* the peer is shared with other front ends */
    }
    cc = CHARDEV_GET_CLASS(chr);
    return cc->chr_disconnect && cc->chr_disconnect(chr);
}

void qemu_chr_fe_accept_input(CharBackend *be)
{
    Chardev *chr = be->chr;

    if (chr && CHARDEV_GET_CLASS(chr)->chr_accept_input) {
        CHARDEV_GET_CLASS(chr)->chr_accept_input(chr);
    }
}

void qemu_chr_fe_printf(CharBackend *be, const char *fmt, ...)
{
    g_autofree char *s = NULL;
    va_list ap;

    va_start(ap, fmt);
    s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qemu_chr_fe_write_all(be, (const uint8_t *)s, strlen(s));
}

/* ---- back end ---- */

int qemu_chr_be_can_write(Chardev *chr)
{
    CharBackend *be = chr->be;

    if (!be || !be->chr_can_read || !be->chr_read) {
        return 0;
    }
    return be->chr_can_read(be->opaque);
}

void qemu_chr_be_write(Chardev *chr, const uint8_t *buf, int len)
{
    CharBackend *be = chr->be;

    if (be && be->chr_read && len > 0) {
        be->chr_read(be->opaque, buf, len);
    }
}

void qemu_chr_be_event(Chardev *chr, ChrEvent event)
{
    ChardevClass *cc = CHARDEV_GET_CLASS(chr);
    CharBackend *be = chr->be;

    if (event == CHR_EVENT_OPENED) {
        chr->be_open = true;
    } else if (event == CHR_EVENT_CLOSED) {
        chr->be_open = false;
    }
    if (cc->chr_be_event) {
        cc->chr_be_event(chr, event);
    } else if (be && be->chr_event) {
        be->chr_event(be->opaque, event);
    }
}

/* ---- the abstract base type ---- */

static const TypeInfo char_types[] = {
    {
        .name = TYPE_CHARDEV,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(Chardev),
        .abstract = true,
        .class_size = sizeof(ChardevClass),
    },
};

DEFINE_TYPES(char_types)
