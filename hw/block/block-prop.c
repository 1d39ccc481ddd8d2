/*
 * The qdev "drive" property (include/hw/block/block.h).
 */
#include "turtle/osdep.h"
#include "hw/block/block.h"

#define PROP_BLK(dev, prop) \
    ((BlockBackend **)((char *)(dev) + (prop)->offset))

static bool prop_set_blk(Object *obj, const Property *prop,
                         BlockBackend *blk, Error **errp)
{
    BlockBackend **p = PROP_BLK(obj, prop);

    if (*p) {
        error_setg(errp, "Property '%s.%s' can't be set twice",
                   object_get_typename(obj), prop->name);
        return false;
    }
    if (!blk_attach_dev(blk, (DeviceState *)obj, errp)) {
        return false;
    }
    *p = blk;
    return true;
}

static bool prop_parse_drive(Object *obj, const Property *prop,
                             const char *str, Error **errp)
{
    BlockBackend *blk = blk_by_name(str);

    if (!blk) {
        error_setg(errp, "Property '%s.%s' can't find value '%s' (no "
                   "-drive id or -blockdev node-name with that name)",
                   object_get_typename(obj), prop->name, str);
        return false;
    }
    return prop_set_blk(obj, prop, blk, errp);
}

static char *prop_print_drive(Object *obj, const Property *prop)
{
    BlockBackend *blk = *PROP_BLK(obj, prop);
    return g_strdup(blk ? blk_name(blk) : "");
}

static void prop_release_drive(Object *obj, const Property *prop)
{
    BlockBackend **p = PROP_BLK(obj, prop);

    if (*p) {
        blk_detach_dev(*p, (DeviceState *)obj);
        *p = NULL;
    }
}

const PropertyInfo prop_info_drive = {
    .type = "str (drive id or node name)",
    .parse = prop_parse_drive,
    .print = prop_print_drive,
    .release = prop_release_drive,
};

bool qdev_prop_set_drive(DeviceState *dev, const char *name,
                         BlockBackend *blk, Error **errp)
{
    const Property *prop = qdev_find_property(dev, name);

    if (!prop || prop->info != &prop_info_drive) {
        error_setg(errp, "device has no drive property '%s'", name);
        return false;
    }
    return prop_set_blk((Object *)dev, prop, blk, errp);
}
