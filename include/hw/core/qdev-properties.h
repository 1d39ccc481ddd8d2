/*
 * Typed device properties, declared in a const table per device class:
 *
 *     static const Property pl011_props[] = {
 *         DEFINE_PROP_CHR("chardev", PL011State, chr),
 *         DEFINE_PROP_BOOL("migrate-clk", PL011State, migrate_clk, true),
 *         DEFINE_PROP_END_OF_LIST(),
 *     };
 *
 * Properties can be set (from strings or typed values) only before realize.
 */
#ifndef HW_CORE_QDEV_PROPERTIES_H
#define HW_CORE_QDEV_PROPERTIES_H

typedef struct PropertyInfo PropertyInfo;
typedef struct Chardev Chardev;

struct PropertyInfo {
    const char *type;             /* shown by "-device NAME,help" */
    bool (*parse)(Object *dev, const Property *prop, const char *str,
                  Error **errp);
    /* returns a newly allocated string for help and the monitor */
    char *(*print)(Object *dev, const Property *prop);
    void (*set_default)(Object *dev, const Property *prop);
    void (*release)(Object *dev, const Property *prop);
};

struct Property {
    const char *name;
    const PropertyInfo *info;
    size_t offset;
    union {
        int64_t i;
        uint64_t u;
        const char *s;
    } defval;
    bool set_default;
    const char *link_type;        /* DEFINE_PROP_LINK: required type */
};

extern const PropertyInfo prop_info_bool;
extern const PropertyInfo prop_info_uint8;
extern const PropertyInfo prop_info_uint16;
extern const PropertyInfo prop_info_uint32;
extern const PropertyInfo prop_info_int32;
extern const PropertyInfo prop_info_uint64;
extern const PropertyInfo prop_info_int64;
extern const PropertyInfo prop_info_size;
extern const PropertyInfo prop_info_string;
extern const PropertyInfo prop_info_chr;
extern const PropertyInfo prop_info_link;

#define DEFINE_PROP_T(_n, _s, _f, _info, _ctype, _defkind, _d)          \
    { .name = (_n), .info = &(_info),                                   \
      .offset = offsetof(_s, _f) +                                      \
          0 * sizeof(*(_ctype *)0 == ((_s *)0)->_f),                    \
      .defval._defkind = (_d), .set_default = true }

#define DEFINE_PROP_BOOL(_n, _s, _f, _d) \
    DEFINE_PROP_T(_n, _s, _f, prop_info_bool, bool, u, _d)
#define DEFINE_PROP_UINT8(_n, _s, _f, _d) \
    DEFINE_PROP_T(_n, _s, _f, prop_info_uint8, uint8_t, u, _d)
#define DEFINE_PROP_UINT16(_n, _s, _f, _d) \
    DEFINE_PROP_T(_n, _s, _f, prop_info_uint16, uint16_t, u, _d)
#define DEFINE_PROP_UINT32(_n, _s, _f, _d) \
    DEFINE_PROP_T(_n, _s, _f, prop_info_uint32, uint32_t, u, _d)
#define DEFINE_PROP_INT32(_n, _s, _f, _d) \
    DEFINE_PROP_T(_n, _s, _f, prop_info_int32, int32_t, i, _d)
#define DEFINE_PROP_UINT64(_n, _s, _f, _d) \
    DEFINE_PROP_T(_n, _s, _f, prop_info_uint64, uint64_t, u, _d)
#define DEFINE_PROP_INT64(_n, _s, _f, _d) \
    DEFINE_PROP_T(_n, _s, _f, prop_info_int64, int64_t, i, _d)
#define DEFINE_PROP_SIZE(_n, _s, _f, _d) \
    DEFINE_PROP_T(_n, _s, _f, prop_info_size, uint64_t, u, _d)
#define DEFINE_PROP_STRING(_n, _s, _f) \
    { .name = (_n), .info = &prop_info_string, .offset = offsetof(_s, _f) }
/* A CharBackend field: the property value is a -chardev id. */
#define DEFINE_PROP_CHR(_n, _s, _f) \
    { .name = (_n), .info = &prop_info_chr, .offset = offsetof(_s, _f) }
/* An Object * field naming another device by id; must be of _type. */
#define DEFINE_PROP_LINK(_n, _s, _f, _type) \
    { .name = (_n), .info = &prop_info_link, .offset = offsetof(_s, _f), \
      .link_type = (_type) }
#define DEFINE_PROP_END_OF_LIST() { .name = NULL }

const Property *qdev_find_property(DeviceState *dev, const char *name);
/* Set from a string as -device does; errors name the property. */
bool qdev_prop_parse(DeviceState *dev, const char *name, const char *value,
                     Error **errp);
char *qdev_prop_print(DeviceState *dev, const char *name);

/* Typed setters for boards; a wrong name or type is a host bug (abort). */
void qdev_prop_set_bit(DeviceState *dev, const char *name, bool value);
void qdev_prop_set_uint8(DeviceState *dev, const char *name, uint8_t value);
void qdev_prop_set_uint16(DeviceState *dev, const char *name, uint16_t value);
void qdev_prop_set_uint32(DeviceState *dev, const char *name, uint32_t value);
void qdev_prop_set_int32(DeviceState *dev, const char *name, int32_t value);
void qdev_prop_set_uint64(DeviceState *dev, const char *name, uint64_t value);
void qdev_prop_set_string(DeviceState *dev, const char *name, const char *value);
void qdev_prop_set_chr(DeviceState *dev, const char *name, Chardev *chr);
void qdev_prop_set_link(DeviceState *dev, const char *name, Object *value);

/* Property tables on plain objects (machine options). */
const Property *object_props_find(const Property *props, const char *name);
bool object_props_parse(Object *obj, const Property *props, const char *name,
                        const char *value, Error **errp);
void object_props_set_defaults(Object *obj, const Property *props);
void object_props_print_help(FILE *f, const Property *props);
/* fn on every property of a device class, its parents' included (once). */
void qdev_class_foreach_prop(DeviceClass *dc,
                             void (*fn)(const Property *, void *),
                             void *opaque);

/* Apply every property default (called from device instance init). */
void qdev_prop_set_defaults(DeviceState *dev);
void qdev_prop_release_all(DeviceState *dev);
/* Print "  name=<type> (default: x)" lines for a device class. */
void qdev_print_props(FILE *f, DeviceClass *dc);

#endif
