/*
 * "pty": a new pseudo-terminal; the guest side is the master, the user
 * connects a terminal program (screen, minicom) to the slave, whose name
 * is printed at start-up as QEMU does:
 *     char device redirected to /dev/pts/N (label ID)
 * Options: none.
 *
 * We keep a slave fd open ourselves so the master never sees a hang-up
 * while nobody is connected.  Output that does not fit in the pty buffer
 * (nobody reading) is dropped rather than stalling the guest.
 */
#include "turtle/osdep.h"
#include "chardev/char-internal.h"

#include <fcntl.h>
#include <termios.h>

typedef struct PtyChardev {
    FDChardev parent_obj;
    int slave_fd;
} PtyChardev;

#define TYPE_CHARDEV_PTY "chardev-pty"
DECLARE_INSTANCE_CHECKER(PtyChardev, PTY_CHARDEV, TYPE_CHARDEV_PTY)

static bool pty_chr_open(Chardev *chr, Opts *opts, bool *be_opened,
                         Error **errp)
{
    PtyChardev *s = PTY_CHARDEV(chr);
    struct termios tio;
    const char *name;
    int master;

    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
        !(name = ptsname(master))) {
        error_setg_errno(errp, errno, "chardev '%s': cannot create a pty",
                         chr->label);
        if (master >= 0) {
            close(master);
        }
        return false;
    }
    s->slave_fd = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s->slave_fd < 0) {
        error_setg_errno(errp, errno, "chardev '%s': cannot open '%s'",
                         chr->label, name);
        close(master);
        return false;
    }
    /* a raw line: the guest does its own echo and line editing */
    if (tcgetattr(s->slave_fd, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(s->slave_fd, TCSAFLUSH, &tio);
    }
    fd_set_nonblock(master, true);
    chr->filename = g_strdup_printf("pty:%s", name);
    fprintf(stderr, "char device redirected to %s (label %s)\n",
            name, chr->label);
    fd_chr_attach(chr, master, master, true);
    return true;
}

static int pty_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    int n = write(FD_CHARDEV(chr)->fd_out, buf, len);

    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EIO)) {
        return len;     /* nobody reading: drop */
    }
    return n;
}

static void pty_chr_cleanup(Chardev *chr)
{
    PtyChardev *s = PTY_CHARDEV(chr);

    fd_chr_detach(chr);
    if (s->slave_fd >= 0) {
        close(s->slave_fd);
        s->slave_fd = -1;
    }
}

static void pty_chr_instance_init(Object *obj)
{
    PTY_CHARDEV(obj)->slave_fd = -1;
}

static void pty_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->backend_name = "pty";
    cc->help = "a new pseudo-terminal (its name is printed)";
    cc->open = pty_chr_open;
    cc->chr_write = pty_chr_write;
    cc->chr_cleanup = pty_chr_cleanup;
}

static const TypeInfo pty_chr_types[] = {
    {
        .name = TYPE_CHARDEV_PTY,
        .parent = TYPE_CHARDEV_FD,
        .instance_size = sizeof(PtyChardev),
        .instance_init = pty_chr_instance_init,
        .class_init = pty_chr_class_init,
    },
};

DEFINE_TYPES(pty_chr_types)
