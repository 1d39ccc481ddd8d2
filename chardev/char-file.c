/*
 * "file": output to a file, optional input from another file.
 * Options: path=FILE (required), append=on|off (default off: truncate),
 *          input-path=FILE (read as guest input once, up to end of file).
 */
#include "turtle/osdep.h"
#include "chardev/char-internal.h"
#include "turtle/option.h"

#include <fcntl.h>

static bool file_chr_open(Chardev *chr, Opts *opts, bool *be_opened,
                          Error **errp)
{
    const char *path = opts_get(opts, "path");
    const char *in_path = opts_get(opts, "input-path");
    bool append = false;
    int out, in = -1;

    if (!opts_get_bool(opts, "append", &append, errp)) {
        return false;
    }
    if (!path) {
        error_setg(errp, "chardev '%s': file needs path=FILE", chr->label);
        return false;
    }
    out = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
               (append ? O_APPEND : O_TRUNC), 0666);
    if (out < 0) {
        error_setg_errno(errp, errno, "chardev '%s': cannot open '%s'",
                         chr->label, path);
        return false;
    }
    if (in_path) {
        in = open(in_path, O_RDONLY | O_CLOEXEC);
        if (in < 0) {
            error_setg_errno(errp, errno, "chardev '%s': cannot open '%s'",
                             chr->label, in_path);
            close(out);
            return false;
        }
    }
    fd_chr_attach(chr, in, out, true);
    chr->filename = g_strdup_printf("file:%s", path);
    return true;
}

static void file_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->backend_name = "file";
    cc->help = "path=FILE[,append=on][,input-path=FILE]";
    cc->open = file_chr_open;
}

static const TypeInfo file_chr_types[] = {
    {
        .name = "chardev-file",
        .parent = TYPE_CHARDEV_FD,
        .instance_size = sizeof(FDChardev),
        .class_init = file_chr_class_init,
    },
};

DEFINE_TYPES(file_chr_types)
