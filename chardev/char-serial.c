/*
 * "serial": a host terminal device (a real serial port such as /dev/ttyS0
 * or /dev/ttyUSB0, or any tty) passed through to the guest.
 * Options: path=DEVICE (required).  -serial /dev/... is the short form.
 *
 * The line is put in raw mode (8 bits, no echo, no flow control, no
 * translation) and restored when the back end goes away; its speed is
 * left as configured on the host (e.g. with stty).
 */
#include "turtle/osdep.h"
#include "chardev/char-internal.h"
#include "turtle/option.h"

#include <fcntl.h>
#include <termios.h>

typedef struct SerialChardev {
    FDChardev parent_obj;
    struct termios saved;
    bool saved_valid;
} SerialChardev;

#define TYPE_CHARDEV_SERIAL "chardev-serial"
DECLARE_INSTANCE_CHECKER(SerialChardev, SERIAL_CHARDEV, TYPE_CHARDEV_SERIAL)

static bool serial_chr_open(Chardev *chr, Opts *opts, bool *be_opened,
                            Error **errp)
{
    SerialChardev *s = SERIAL_CHARDEV(chr);
    const char *path = opts_get(opts, "path");
    struct termios tio;
    int fd;

    if (!path) {
        error_setg(errp, "chardev '%s': serial needs path=DEVICE", chr->label);
        return false;
    }
    fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error_setg_errno(errp, errno, "chardev '%s': cannot open '%s'",
                         chr->label, path);
        return false;
    }
    if (tcgetattr(fd, &s->saved) < 0) {
        error_setg(errp, "chardev '%s': '%s' is not a terminal device",
                   chr->label, path);
        close(fd);
        return false;
    }
    s->saved_valid = true;
    tio = s->saved;
    cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag &= ~CRTSCTS;
    tio.c_iflag &= ~(IXON | IXOFF);
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    tcsetattr(fd, TCSANOW, &tio);
    chr->filename = g_strdup_printf("serial:%s", path);
    fd_chr_attach(chr, fd, fd, true);
    return true;
}

static void serial_chr_cleanup(Chardev *chr)
{
    SerialChardev *s = SERIAL_CHARDEV(chr);
    FDChardev *f = FD_CHARDEV(chr);

    if (s->saved_valid && f->fd_out >= 0) {
        tcsetattr(f->fd_out, TCSANOW, &s->saved);
    }
    s->saved_valid = false;
    fd_chr_detach(chr);
}

static void serial_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->backend_name = "serial";
    cc->help = "path=DEVICE: a host serial port or other tty, in raw mode";
    cc->open = serial_chr_open;
    cc->chr_cleanup = serial_chr_cleanup;
}

static const TypeInfo serial_chr_types[] = {
    {
        .name = TYPE_CHARDEV_SERIAL,
        .parent = TYPE_CHARDEV_FD,
        .instance_size = sizeof(SerialChardev),
        .class_init = serial_chr_class_init,
    },
};

DEFINE_TYPES(serial_chr_types)
