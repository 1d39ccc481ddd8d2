/*
 * The fd-based back end type (abstract): reads fd_in from the main loop
 * with flow control, writes fd_out.  stdio, file, pipe, pty and socket
 * derive from it.
 *
 * Flow control: the read handler is installed only while the front end
 * accepts input (qemu_chr_be_can_write() > 0), and each read takes at most
 * that many bytes, so nothing is read that could not be delivered.  A front
 * end that was full calls qemu_chr_fe_accept_input(), which lands in
 * fd_chr_update_read() and installs the handler again.  As a safety net
 * for front ends that forget to, a full front end is also asked again
 * every FD_CHR_THROTTLE_MS.
 */
#include "turtle/osdep.h"
#include "chardev/char-internal.h"
#include "sysemu/main-loop.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <sys/socket.h>

#define FD_CHR_READ_MAX 4096
#define FD_CHR_THROTTLE_MS 20

bool fd_set_nonblock(int fd, bool nonblock)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0) {
        return false;
    }
    flags = nonblock ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    return fcntl(fd, F_SETFL, flags) == 0;
}

static void fd_chr_read(void *opaque)
{
    Chardev *chr = opaque;
    FDChardev *s = FD_CHARDEV(chr);
    uint8_t buf[FD_CHR_READ_MAX];
    int len = qemu_chr_be_can_write(chr);
    ssize_t n;

    if (len <= 0) {
        fd_chr_update_read(chr);
        return;
    }
    n = read(s->fd_in, buf, MIN(len, (int)sizeof(buf)));
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
        return;
    }
    if (n <= 0) {
        s->in_eof = true;
        fd_chr_update_read(chr);
        if (s->in_closed) {
            s->in_closed(chr);
        }
        return;
    }
    if (s->in_filter) {
        n = s->in_filter(chr, buf, n);
    }
    qemu_chr_be_write(chr, buf, n);
    /* the handler may have deleted or detached us; re-check our state */
    if (s->fd_in >= 0) {
        fd_chr_update_read(chr);
    }
}

static gboolean fd_chr_throttle_cb(gpointer opaque)
{
    fd_chr_update_read(opaque);
    return G_SOURCE_CONTINUE;   /* fd_chr_update_read removes it when done */
}

static void fd_chr_throttle(FDChardev *s, bool on)
{
    if (on && !s->throttle) {
        s->throttle = g_timeout_source_new(FD_CHR_THROTTLE_MS);
        g_source_set_callback(s->throttle, fd_chr_throttle_cb, s, NULL);
        g_source_attach(s->throttle, main_loop_context());
    } else if (!on && s->throttle) {
        g_source_destroy(s->throttle);
        g_source_unref(s->throttle);
        s->throttle = NULL;
    }
}

void fd_chr_update_read(Chardev *chr)
{
    FDChardev *s = FD_CHARDEV(chr);
    bool readable = s->fd_in >= 0 && !s->in_eof;
    bool want = readable && qemu_chr_be_can_write(chr) > 0;
    CharBackend *be = chr->be;

    if (want != s->reading) {
        s->reading = want;
        qemu_set_fd_handler(s->fd_in, want ? fd_chr_read : NULL, NULL, chr);
    }
    /* throttled by a front end that is there but full */
    fd_chr_throttle(s, readable && !want && be && be->chr_can_read);
}

void fd_chr_attach(Chardev *chr, int fd_in, int fd_out, bool close_fds)
{
    FDChardev *s = FD_CHARDEV(chr);

    s->fd_in = fd_in;
    s->fd_out = fd_out;
    s->close_fds = close_fds;
    s->in_eof = false;
    s->reading = false;
    fd_chr_update_read(chr);
}

void fd_chr_detach(Chardev *chr)
{
    FDChardev *s = FD_CHARDEV(chr);

    if (s->reading) {
        qemu_set_fd_handler(s->fd_in, NULL, NULL, NULL);
        s->reading = false;
    }
    fd_chr_throttle(s, false);
    if (s->close_fds) {
        if (s->fd_in >= 0) {
            close(s->fd_in);
        }
        if (s->fd_out >= 0 && s->fd_out != s->fd_in) {
            close(s->fd_out);
        }
    }
    s->fd_in = -1;
    s->fd_out = -1;
}

static int fd_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    FDChardev *s = FD_CHARDEV(chr);

    if (s->fd_out < 0) {
        return len;
    }
    if (s->out_is_socket) {
        return send(s->fd_out, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    return write(s->fd_out, buf, len);
}

static GSource *fd_chr_add_watch(Chardev *chr, GIOCondition cond)
{
    FDChardev *s = FD_CHARDEV(chr);

    return s->fd_out >= 0 ? g_unix_fd_source_new(s->fd_out, cond) : NULL;
}

static void fd_chr_cleanup(Chardev *chr)
{
    fd_chr_detach(chr);
}

static void fd_chr_instance_init(Object *obj)
{
    FDChardev *s = FD_CHARDEV(obj);

    s->fd_in = -1;
    s->fd_out = -1;
}

static void fd_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->chr_write = fd_chr_write;
    cc->chr_add_watch = fd_chr_add_watch;
    cc->chr_accept_input = fd_chr_update_read;
    cc->chr_update_read_handler = fd_chr_update_read;
    cc->chr_cleanup = fd_chr_cleanup;
}

static const TypeInfo fd_chr_types[] = {
    {
        .name = TYPE_CHARDEV_FD,
        .parent = TYPE_CHARDEV,
        .instance_size = sizeof(FDChardev),
        .instance_init = fd_chr_instance_init,
        .abstract = true,
        .class_init = fd_chr_class_init,
    },
};

DEFINE_TYPES(fd_chr_types)
