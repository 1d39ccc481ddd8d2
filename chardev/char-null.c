/*
 * "null": output is discarded, there is never any input.
 * Options: none.
 */
#include "turtle/osdep.h"
#include "chardev/char-internal.h"

static bool null_chr_open(Chardev *chr, Opts *opts, bool *be_opened,
                          Error **errp)
{
    *be_opened = false;
    return true;
}

static int null_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    return len;
}

static void null_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->backend_name = "null";
    cc->help = "discard output, no input";
    cc->open = null_chr_open;
    cc->chr_write = null_chr_write;
}

static const TypeInfo null_chr_types[] = {
    {
        .name = "chardev-null",
        .parent = TYPE_CHARDEV,
        .instance_size = sizeof(Chardev),
        .class_init = null_chr_class_init,
    },
};

DEFINE_TYPES(null_chr_types)
