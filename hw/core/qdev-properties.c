/* Typed device properties; see hw/core/qdev-properties.h. */
#include "turtle/osdep.h"
#include "hw/core/qdev.h"
#include "turtle/option.h"
#include "chardev/char.h"

#define PROP_PTR(dev, prop, type) ((type *)((char *)(dev) + (prop)->offset))

/* Visit the property tables of dc and its ancestors, leaf first. */
static const Property *qdev_class_find_prop(DeviceClass *dc, const char *name)
{
    ObjectClass *oc = OBJECT_CLASS(dc);

    while (oc && object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        const Property *props = DEVICE_CLASS(oc)->props;
        ObjectClass *parent = object_class_get_parent(oc);
        bool inherited = parent && object_class_dynamic_cast(parent, TYPE_DEVICE) &&
                         DEVICE_CLASS(parent)->props == props;

        if (props && !inherited) {
            for (const Property *p = props; p->name; p++) {
                if (!strcmp(p->name, name)) {
                    return p;
                }
            }
        }
        oc = parent;
    }
    return NULL;
}

void qdev_class_foreach_prop(DeviceClass *dc,
                             void (*fn)(const Property *, void *),
                             void *opaque)
{
    ObjectClass *oc = OBJECT_CLASS(dc);

    while (oc && object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        const Property *props = DEVICE_CLASS(oc)->props;
        ObjectClass *parent = object_class_get_parent(oc);
        bool inherited = parent && object_class_dynamic_cast(parent, TYPE_DEVICE) &&
                         DEVICE_CLASS(parent)->props == props;

        if (props && !inherited) {
            for (const Property *p = props; p->name; p++) {
                fn(p, opaque);
            }
        }
        oc = parent;
    }
}

const Property *qdev_find_property(DeviceState *dev, const char *name)
{
    return qdev_class_find_prop(DEVICE_GET_CLASS(dev), name);
}

/* ---- integers ---- */

static bool prop_parse_unsigned(Object *dev, const Property *prop,
                                const char *str, uint64_t max, uint64_t *v,
                                Error **errp)
{
    if (!parse_uint64(str, v) || *v > max) {
        error_setg(errp, "Property '%s.%s': '%s' is not a number in 0..%" PRIu64,
                   object_get_typename(OBJECT(dev)), prop->name, str, max);
        return false;
    }
    return true;
}

static bool prop_parse_signed(Object *dev, const Property *prop,
                              const char *str, int64_t min, int64_t max,
                              int64_t *v, Error **errp)
{
    if (!parse_int64(str, v) || *v < min || *v > max) {
        error_setg(errp, "Property '%s.%s': '%s' is not a number in %" PRId64
                   "..%" PRId64, object_get_typename(OBJECT(dev)), prop->name,
                   str, min, max);
        return false;
    }
    return true;
}

#define DEFINE_UNSIGNED_PROP(NAME, TYPE, MAX, FMT)                            \
static bool prop_parse_##NAME(Object *dev, const Property *prop,          \
                              const char *str, Error **errp)                   \
{                                                                             \
    uint64_t v;                                                               \
    if (!prop_parse_unsigned(dev, prop, str, (MAX), &v, errp)) {              \
        return false;                                                         \
    }                                                                         \
    *PROP_PTR(dev, prop, TYPE) = v;                                           \
    return true;                                                              \
}                                                                             \
static char *prop_print_##NAME(Object *dev, const Property *prop)        \
{                                                                             \
    return g_strdup_printf(FMT, (uint64_t)*PROP_PTR(dev, prop, TYPE));        \
}                                                                             \
static void prop_default_##NAME(Object *dev, const Property *prop)        \
{                                                                             \
    *PROP_PTR(dev, prop, TYPE) = prop->defval.u;                              \
}                                                                             \
const PropertyInfo prop_info_##NAME = {                                       \
    .type = #NAME, .parse = prop_parse_##NAME, .print = prop_print_##NAME,    \
    .set_default = prop_default_##NAME,                                       \
};

DEFINE_UNSIGNED_PROP(uint8, uint8_t, UINT8_MAX, "%" PRIu64)
DEFINE_UNSIGNED_PROP(uint16, uint16_t, UINT16_MAX, "%" PRIu64)
DEFINE_UNSIGNED_PROP(uint32, uint32_t, UINT32_MAX, "%" PRIu64)
DEFINE_UNSIGNED_PROP(uint64, uint64_t, UINT64_MAX, "%" PRIu64)

#define DEFINE_SIGNED_PROP(NAME, TYPE, MIN, MAX)                              \
static bool prop_parse_##NAME(Object *dev, const Property *prop,          \
                              const char *str, Error **errp)                   \
{                                                                             \
    int64_t v;                                                                \
    if (!prop_parse_signed(dev, prop, str, (MIN), (MAX), &v, errp)) {         \
        return false;                                                         \
    }                                                                         \
    *PROP_PTR(dev, prop, TYPE) = v;                                           \
    return true;                                                              \
}                                                                             \
static char *prop_print_##NAME(Object *dev, const Property *prop)        \
{                                                                             \
    return g_strdup_printf("%" PRId64, (int64_t)*PROP_PTR(dev, prop, TYPE));  \
}                                                                             \
static void prop_default_##NAME(Object *dev, const Property *prop)        \
{                                                                             \
    *PROP_PTR(dev, prop, TYPE) = prop->defval.i;                              \
}                                                                             \
const PropertyInfo prop_info_##NAME = {                                       \
    .type = #NAME, .parse = prop_parse_##NAME, .print = prop_print_##NAME,    \
    .set_default = prop_default_##NAME,                                       \
};

DEFINE_SIGNED_PROP(int32, int32_t, INT32_MIN, INT32_MAX)
DEFINE_SIGNED_PROP(int64, int64_t, INT64_MIN, INT64_MAX)

static bool prop_parse_size(Object *dev, const Property *prop,
                            const char *str, Error **errp)
{
    uint64_t v;

    if (!parse_size(str, 1, &v)) {
        error_setg(errp, "Property '%s.%s': '%s' is not a size (e.g. 64K, 16M)",
                   object_get_typename(OBJECT(dev)), prop->name, str);
        return false;
    }
    *PROP_PTR(dev, prop, uint64_t) = v;
    return true;
}

const PropertyInfo prop_info_size = {
    .type = "size", .parse = prop_parse_size, .print = prop_print_uint64,
    .set_default = prop_default_uint64,
};

/* ---- bool ---- */

static bool prop_parse_bool(Object *dev, const Property *prop,
                            const char *str, Error **errp)
{
    if (!parse_bool(str, PROP_PTR(dev, prop, bool))) {
        error_setg(errp, "Property '%s.%s': '%s' is not on or off",
                   object_get_typename(OBJECT(dev)), prop->name, str);
        return false;
    }
    return true;
}

static char *prop_print_bool(Object *dev, const Property *prop)
{
    return g_strdup(*PROP_PTR(dev, prop, bool) ? "on" : "off");
}

static void prop_default_bool(Object *dev, const Property *prop)
{
    *PROP_PTR(dev, prop, bool) = prop->defval.u != 0;
}

const PropertyInfo prop_info_bool = {
    .type = "bool", .parse = prop_parse_bool, .print = prop_print_bool,
    .set_default = prop_default_bool,
};

/* ---- string ---- */

static bool prop_parse_string(Object *dev, const Property *prop,
                              const char *str, Error **errp)
{
    char **p = PROP_PTR(dev, prop, char *);

    g_free(*p);
    *p = g_strdup(str);
    return true;
}

static char *prop_print_string(Object *dev, const Property *prop)
{
    char *s = *PROP_PTR(dev, prop, char *);
    return g_strdup(s ? s : "");
}

static void prop_release_string(Object *dev, const Property *prop)
{
    char **p = PROP_PTR(dev, prop, char *);

    g_free(*p);
    *p = NULL;
}

const PropertyInfo prop_info_string = {
    .type = "str", .parse = prop_parse_string, .print = prop_print_string,
    .release = prop_release_string,
};

/* ---- chardev ---- */

static bool prop_parse_chr(Object *dev, const Property *prop,
                           const char *str, Error **errp)
{
    CharBackend *be = PROP_PTR(dev, prop, CharBackend);
    Chardev *chr;

    if (be->chr) {
        error_setg(errp, "Property '%s.%s' can't be set twice",
                   object_get_typename(OBJECT(dev)), prop->name);
        return false;
    }
    chr = qemu_chr_find(str);
    if (!chr) {
        error_setg(errp, "Property '%s.%s' can't find value '%s' "
                   "(no -chardev with that id)",
                   object_get_typename(OBJECT(dev)), prop->name, str);
        return false;
    }
    return qemu_chr_fe_init(be, chr, errp);
}

static char *prop_print_chr(Object *dev, const Property *prop)
{
    CharBackend *be = PROP_PTR(dev, prop, CharBackend);
    return g_strdup(be->chr && be->chr->label ? be->chr->label : "");
}

static void prop_release_chr(Object *dev, const Property *prop)
{
    qemu_chr_fe_deinit(PROP_PTR(dev, prop, CharBackend), false);
}

const PropertyInfo prop_info_chr = {
    .type = "str (chardev id)", .parse = prop_parse_chr,
    .print = prop_print_chr, .release = prop_release_chr,
};

/* ---- link ---- */

static bool prop_parse_link(Object *dev, const Property *prop,
                            const char *str, Error **errp)
{
    DeviceState *target = qdev_find(str);

    if (!target) {
        error_setg(errp, "Property '%s.%s': no device '%s'",
                   object_get_typename(OBJECT(dev)), prop->name, str);
        return false;
    }
    if (prop->link_type && !object_dynamic_cast(OBJECT(target), prop->link_type)) {
        error_setg(errp, "Property '%s.%s': device '%s' is not a %s",
                   object_get_typename(OBJECT(dev)), prop->name, str,
                   prop->link_type);
        return false;
    }
    *PROP_PTR(dev, prop, Object *) = OBJECT(target);
    return true;
}

static char *prop_print_link(Object *dev, const Property *prop)
{
    Object *o = *PROP_PTR(dev, prop, Object *);

    if (o && object_dynamic_cast(o, TYPE_DEVICE)) {
        return g_strdup(qdev_name(DEVICE(o)));
    }
    return g_strdup("");
}

const PropertyInfo prop_info_link = {
    .type = "link", .parse = prop_parse_link, .print = prop_print_link,
};

/* ---- generic ---- */

bool qdev_prop_parse(DeviceState *dev, const char *name, const char *value,
                     Error **errp)
{
    const Property *prop = qdev_find_property(dev, name);

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(OBJECT(dev)), name);
        error_append_hint(errp, "Try '-device %s,help' for its properties.\n",
                          object_get_typename(OBJECT(dev)));
        return false;
    }
    if (dev->realized) {
        error_setg(errp, "Property '%s.%s' can't be set after realize",
                   object_get_typename(OBJECT(dev)), name);
        return false;
    }
    if (!prop->info->parse) {
        error_setg(errp, "Property '%s.%s' can't be set from the command line",
                   object_get_typename(OBJECT(dev)), name);
        return false;
    }
    return prop->info->parse(OBJECT(dev), prop, value, errp);
}

char *qdev_prop_print(DeviceState *dev, const char *name)
{
    const Property *prop = qdev_find_property(dev, name);

    return prop && prop->info->print ? prop->info->print(OBJECT(dev), prop) : NULL;
}

static const Property *qdev_prop_checked(DeviceState *dev, const char *name,
                                         const PropertyInfo *info)
{
    const Property *prop = qdev_find_property(dev, name);

    if (!prop || (info && prop->info != info)) {
        fprintf(stderr, "%s: property '%s' missing or of another type\n",
                object_get_typename(OBJECT(dev)), name);
        abort();
    }
    g_assert(!dev->realized);
    return prop;
}

void qdev_prop_set_bit(DeviceState *dev, const char *name, bool value)
{
    *PROP_PTR(dev, qdev_prop_checked(dev, name, &prop_info_bool), bool) = value;
}

void qdev_prop_set_uint8(DeviceState *dev, const char *name, uint8_t value)
{
    *PROP_PTR(dev, qdev_prop_checked(dev, name, &prop_info_uint8), uint8_t) = value;
}

void qdev_prop_set_uint16(DeviceState *dev, const char *name, uint16_t value)
{
    *PROP_PTR(dev, qdev_prop_checked(dev, name, &prop_info_uint16), uint16_t) = value;
}

void qdev_prop_set_uint32(DeviceState *dev, const char *name, uint32_t value)
{
    *PROP_PTR(dev, qdev_prop_checked(dev, name, &prop_info_uint32), uint32_t) = value;
}

void qdev_prop_set_int32(DeviceState *dev, const char *name, int32_t value)
{
    *PROP_PTR(dev, qdev_prop_checked(dev, name, &prop_info_int32), int32_t) = value;
}

void qdev_prop_set_uint64(DeviceState *dev, const char *name, uint64_t value)
{
    const Property *prop = qdev_prop_checked(dev, name, NULL);

    g_assert(prop->info == &prop_info_uint64 || prop->info == &prop_info_size);
    *PROP_PTR(dev, prop, uint64_t) = value;
}

void qdev_prop_set_string(DeviceState *dev, const char *name, const char *value)
{
    const Property *prop = qdev_prop_checked(dev, name, &prop_info_string);
    char **p = PROP_PTR(dev, prop, char *);

    g_free(*p);
    *p = g_strdup(value);
}

void qdev_prop_set_chr(DeviceState *dev, const char *name, Chardev *chr)
{
    const Property *prop = qdev_prop_checked(dev, name, &prop_info_chr);
    CharBackend *be = PROP_PTR(dev, prop, CharBackend);

    if (be->chr) {
        qemu_chr_fe_deinit(be, false);
    }
    /* a back end already in use is a user error (e.g. -serial chardev:x
     * plus a -device using x), not a host bug */
    if (chr) {
        qemu_chr_fe_init(be, chr, &error_fatal);
    }
}

void qdev_prop_set_link(DeviceState *dev, const char *name, Object *value)
{
    const Property *prop = qdev_prop_checked(dev, name, &prop_info_link);

    g_assert(!value || !prop->link_type ||
             object_dynamic_cast(value, prop->link_type));
    *PROP_PTR(dev, prop, Object *) = value;
}

static void prop_apply_default(const Property *prop, void *opaque)
{
    if (prop->info->set_default) {
        prop->info->set_default(opaque, prop);
    }
}

/* ---- plain objects (machines) with a property table ---- */

const Property *object_props_find(const Property *props, const char *name)
{
    for (const Property *p = props; p && p->name; p++) {
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

bool object_props_parse(Object *obj, const Property *props, const char *name,
                        const char *value, Error **errp)
{
    const Property *prop = object_props_find(props, name);

    if (!prop || !prop->info->parse) {
        error_setg(errp, "%s: unknown option '%s'", object_get_typename(obj),
                   name);
        return false;
    }
    return prop->info->parse(obj, prop, value, errp);
}

void object_props_set_defaults(Object *obj, const Property *props)
{
    for (const Property *p = props; p && p->name; p++) {
        prop_apply_default(p, obj);
    }
}

static void prop_print_help(const Property *prop, void *opaque);

void object_props_print_help(FILE *f, const Property *props)
{
    for (const Property *p = props; p && p->name; p++) {
        prop_print_help(p, f);
    }
}

void qdev_prop_set_defaults(DeviceState *dev)
{
    qdev_class_foreach_prop(DEVICE_GET_CLASS(dev), prop_apply_default, dev);
}

static void prop_release(const Property *prop, void *opaque)
{
    if (prop->info->release) {
        prop->info->release(opaque, prop);
    }
}

void qdev_prop_release_all(DeviceState *dev)
{
    qdev_class_foreach_prop(DEVICE_GET_CLASS(dev), prop_release, dev);
}

static void prop_print_help(const Property *prop, void *opaque)
{
    FILE *f = opaque;

    fprintf(f, "  %s=<%s>", prop->name, prop->info->type);
    if (prop->set_default) {
        if (prop->info == &prop_info_bool) {
            fprintf(f, " (default: %s)", prop->defval.u ? "on" : "off");
        } else if (prop->info == &prop_info_int32 ||
                   prop->info == &prop_info_int64) {
            fprintf(f, " (default: %" PRId64 ")", prop->defval.i);
        } else if (prop->defval.u > 9) {
            fprintf(f, " (default: 0x%" PRIx64 ")", prop->defval.u);
        } else {
            fprintf(f, " (default: %" PRIu64 ")", prop->defval.u);
        }
    }
    fputc('\n', f);
}

void qdev_print_props(FILE *f, DeviceClass *dc)
{
    qdev_class_foreach_prop(dc, prop_print_help, f);
}
