/*
 * "pipe": a pair of named pipes PATH.in (guest input) and PATH.out (guest
 * output), or one bidirectional PATH when the pair does not exist.
 * Options: path=PATH (required).
 *
 * Both are opened read-write so that opening never blocks waiting for the
 * other side, and a peer going away is not an end of file.
 */
#include "turtle/osdep.h"
#include "chardev/char-internal.h"
#include "turtle/option.h"

#include <fcntl.h>

static bool pipe_chr_open(Chardev *chr, Opts *opts, bool *be_opened,
                          Error **errp)
{
    const char *path = opts_get(opts, "path");
    g_autofree char *in_path = NULL, *out_path = NULL;
    int in, out;

    if (!path) {
        error_setg(errp, "chardev '%s': pipe needs path=PATH", chr->label);
        return false;
    }
    in_path = g_strdup_printf("%s.in", path);
    out_path = g_strdup_printf("%s.out", path);
    in = open(in_path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    out = open(out_path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (in < 0 || out < 0) {
        if (in >= 0) {
            close(in);
        }
        if (out >= 0) {
            close(out);
        }
        in = out = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
        if (in < 0) {
            error_setg_errno(errp, errno, "chardev '%s': cannot open "
                             "'%s.in'/'%s.out' or '%s'", chr->label,
                             path, path, path);
            return false;
        }
    }
    fd_chr_attach(chr, in, out, true);
    chr->filename = g_strdup_printf("pipe:%s", path);
    return true;
}

static void pipe_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->backend_name = "pipe";
    cc->help = "path=PATH: named pipes PATH.in and PATH.out, or PATH";
    cc->open = pipe_chr_open;
}

static const TypeInfo pipe_chr_types[] = {
    {
        .name = "chardev-pipe",
        .parent = TYPE_CHARDEV_FD,
        .instance_size = sizeof(FDChardev),
        .class_init = pipe_chr_class_init,
    },
};

DEFINE_TYPES(pipe_chr_types)
