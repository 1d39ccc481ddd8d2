/* Devices and buses; see hw/core/qdev.h. */
#include "turtle/osdep.h"
#include "hw/core/qdev.h"
#include "turtle/option.h"
#include "turtle/log.h"
#include "hw/core/sysbus.h"
#include "hw/core/boards.h"

static BusState *main_system_bus;
static GHashTable *device_names;      /* canonical name -> DeviceState */
static GHashTable *device_type_count; /* type name -> count */
static GSList *all_buses;

/* ---- buses ---- */

static const TypeInfo bus_info = {
    .name = TYPE_BUS,
    .instance_size = sizeof(BusState),
    .class_size = sizeof(BusClass),
};

#define TYPE_SYSTEM_BUS "System"
void sysbus_bus_class_init(ObjectClass *oc, void *data);

/* The main system bus; sysbus.c supplies its address check. */
static const TypeInfo system_bus_info = {
    .name = TYPE_SYSTEM_BUS,
    .parent = TYPE_BUS,
    .class_init = sysbus_bus_class_init,
};

BusState *qbus_new(const char *bus_type, DeviceState *parent, const char *name)
{
    BusState *bus = BUS(object_new(bus_type));

    g_assert(bus);
    bus->parent = parent;
    bus->name = g_strdup(name);
    g_queue_init(&bus->children);
    if (parent) {
        parent->child_buses = g_slist_append(parent->child_buses, bus);
    }
    all_buses = g_slist_append(all_buses, bus);
    return bus;
}

BusState *sysbus_get_default(void)
{
    if (!main_system_bus) {
        main_system_bus = qbus_new(TYPE_SYSTEM_BUS, NULL, "main-system-bus");
    }
    return main_system_bus;
}

BusState *qbus_find(const char *name)
{
    for (GSList *l = all_buses; l; l = l->next) {
        BusState *bus = l->data;
        if (bus->name && !strcmp(bus->name, name)) {
            return bus;
        }
    }
    return NULL;
}

/* ---- devices ---- */

static void device_instance_init(Object *obj)
{
    DeviceState *dev = DEVICE(obj);

    qdev_prop_set_defaults(dev);
}

static void device_instance_finalize(Object *obj)
{
    DeviceState *dev = DEVICE(obj);
    NamedGPIOList *ngl, *next;

    qdev_prop_release_all(dev);
    for (ngl = dev->gpios; ngl; ngl = next) {
        next = ngl->next;
        if (ngl->in) {
            qemu_free_irqs(ngl->in, ngl->num_in);
        }
        g_free(ngl->out);
        g_free(ngl->name);
        g_free(ngl);
    }
    if (dev->canonical_name && device_names) {
        g_hash_table_remove(device_names, dev->canonical_name);
    }
    g_free(dev->canonical_name);
    g_free(dev->id);
}

static const TypeInfo device_info = {
    .name = TYPE_DEVICE,
    .instance_size = sizeof(DeviceState),
    .instance_init = device_instance_init,
    .instance_finalize = device_instance_finalize,
    .abstract = true,
    .class_size = sizeof(DeviceClass),
};

TYPE_REGISTER(bus_info)
TYPE_REGISTER(system_bus_info)
TYPE_REGISTER(device_info)

DeviceState *qdev_try_new(const char *typename, Error **errp)
{
    ObjectClass *oc = object_class_by_name(typename);

    if (!oc || !object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        error_setg(errp, "'%s' is not a valid device model name", typename);
        return NULL;
    }
    if (object_class_is_abstract(oc)) {
        error_setg(errp, "'%s' is an abstract device type", typename);
        return NULL;
    }
    return DEVICE(object_new(typename));
}

DeviceState *qdev_new(const char *typename)
{
    Error *err = NULL;
    DeviceState *dev = qdev_try_new(typename, &err);

    if (!dev) {
        error_report_err(err);
        abort();
    }
    return dev;
}

void qdev_set_id(DeviceState *dev, const char *id)
{
    g_assert(!dev->realized);
    g_free(dev->id);
    dev->id = g_strdup(id);
}

const char *qdev_name(DeviceState *dev)
{
    return dev->canonical_name ? dev->canonical_name
                               : object_get_typename(OBJECT(dev));
}

DeviceState *qdev_find(const char *name)
{
    return device_names ? g_hash_table_lookup(device_names, name) : NULL;
}

static bool qdev_assign_name(DeviceState *dev, Error **errp)
{
    const char *type = object_get_typename(OBJECT(dev));
    gpointer count;

    if (!device_names) {
        device_names = g_hash_table_new(g_str_hash, g_str_equal);
        device_type_count = g_hash_table_new(g_str_hash, g_str_equal);
    }
    count = g_hash_table_lookup(device_type_count, type);
    dev->instance_id = GPOINTER_TO_INT(count);
    if (dev->id) {
        if (g_hash_table_lookup(device_names, dev->id)) {
            error_setg(errp, "Duplicate device ID '%s'", dev->id);
            return false;
        }
        dev->canonical_name = g_strdup(dev->id);
    } else {
        dev->canonical_name = g_strdup_printf("%s.%d", type, dev->instance_id);
    }
    g_hash_table_insert(device_type_count, (gpointer)type,
                        GINT_TO_POINTER(dev->instance_id + 1));
    g_hash_table_insert(device_names, dev->canonical_name, dev);
    return true;
}

bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    g_assert(!dev->realized);
    if (!bus) {
        bus = sysbus_get_default();
    }
    if (dc->bus_type && !object_dynamic_cast(OBJECT(bus), dc->bus_type)) {
        error_setg(errp, "device '%s' needs a bus of type %s, not '%s'",
                   object_get_typename(OBJECT(dev)), dc->bus_type,
                   bus->name ? bus->name : "?");
        return false;
    }
    if (BUS_GET_CLASS(bus)->check_address &&
        !BUS_GET_CLASS(bus)->check_address(bus, dev, errp)) {
        return false;
    }
    if (!qdev_assign_name(dev, errp)) {
        return false;
    }
    /* realize may already ask its bus (isa_get_irq, virtio transports) */
    dev->parent_bus = bus;
    if (dc->realize && !dc->realize(dev, errp)) {
        dev->parent_bus = NULL;
        g_hash_table_remove(device_names, dev->canonical_name);
        g_free(dev->canonical_name);
        dev->canonical_name = NULL;
        return false;
    }
    object_ref(OBJECT(dev));
    g_queue_push_tail(&bus->children, dev);
    dev->realized = true;
    if (dc->reset) {
        dc->reset(dev);
    }
    return true;
}

bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp)
{
    bool ok = qdev_realize(dev, bus, errp);

    object_unref(OBJECT(dev));
    return ok;
}

void qdev_unrealize(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (!dev->realized) {
        return;
    }
    for (GSList *l = dev->child_buses; l; l = l->next) {
        BusState *bus = l->data;
        DeviceState *child;
        while ((child = g_queue_peek_tail(&bus->children))) {
            qdev_unrealize(child);
        }
    }
    if (dc->unrealize) {
        dc->unrealize(dev);
    }
    dev->realized = false;
    g_queue_remove(&dev->parent_bus->children, dev);
    dev->parent_bus = NULL;
    object_unref(OBJECT(dev));
}

static void qbus_walk(BusState *bus, void (*fn)(DeviceState *, void *),
                      void *opaque);

static void qdev_walk_one(DeviceState *dev, void (*fn)(DeviceState *, void *),
                          void *opaque)
{
    fn(dev, opaque);
    for (GSList *l = dev->child_buses; l; l = l->next) {
        qbus_walk(l->data, fn, opaque);
    }
}

static void qbus_walk(BusState *bus, void (*fn)(DeviceState *, void *),
                      void *opaque)
{
    for (GList *l = bus->children.head; l; l = l->next) {
        qdev_walk_one(l->data, fn, opaque);
    }
}

void qdev_walk(void (*fn)(DeviceState *dev, void *opaque), void *opaque)
{
    BusState *main_bus = sysbus_get_default();

    qbus_walk(main_bus, fn, opaque);
    /* buses without a parent device (e.g. the ISA bus of "-M none") are
     * roots too; walk them after the main bus, in creation order */
    for (GSList *l = all_buses; l; l = l->next) {
        BusState *bus = l->data;
        if (bus != main_bus && !bus->parent) {
            qbus_walk(bus, fn, opaque);
        }
    }
}

static void qdev_reset_one(DeviceState *dev, void *opaque)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (dc->reset) {
        dc->reset(dev);
    }
}

void device_cold_reset(DeviceState *dev)
{
    qdev_walk_one(dev, qdev_reset_one, NULL);
}

void qdev_reset_all(void)
{
    qdev_walk(qdev_reset_one, NULL);
}

/* ---- GPIO ---- */

NamedGPIOList *qdev_get_named_gpio_list(DeviceState *dev, const char *name)
{
    NamedGPIOList *ngl;

    for (ngl = dev->gpios; ngl; ngl = ngl->next) {
        if (g_strcmp0(ngl->name, name) == 0) {
            return ngl;
        }
    }
    ngl = g_new0(NamedGPIOList, 1);
    ngl->name = g_strdup(name);
    ngl->next = dev->gpios;
    dev->gpios = ngl;
    return ngl;
}

void qdev_init_gpio_in_named(DeviceState *dev, qemu_irq_handler handler,
                             const char *name, int n)
{
    NamedGPIOList *ngl = qdev_get_named_gpio_list(dev, name);

    ngl->in = g_renew(qemu_irq, ngl->in, ngl->num_in + n);
    for (int i = 0; i < n; i++) {
        ngl->in[ngl->num_in + i] =
            qemu_allocate_irq(handler, dev, ngl->num_in + i);
    }
    ngl->num_in += n;
}

void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n)
{
    qdev_init_gpio_in_named(dev, handler, NULL, n);
}

void qdev_init_gpio_out_named(DeviceState *dev, qemu_irq *pins,
                              const char *name, int n)
{
    NamedGPIOList *ngl = qdev_get_named_gpio_list(dev, name);

    ngl->out = g_renew(qemu_irq *, ngl->out, ngl->num_out + n);
    for (int i = 0; i < n; i++) {
        ngl->out[ngl->num_out + i] = &pins[i];
    }
    ngl->num_out += n;
}

void qdev_init_gpio_out(DeviceState *dev, qemu_irq *pins, int n)
{
    qdev_init_gpio_out_named(dev, pins, NULL, n);
}

qemu_irq qdev_get_gpio_in_named(DeviceState *dev, const char *name, int n)
{
    NamedGPIOList *ngl = qdev_get_named_gpio_list(dev, name);

    g_assert(n >= 0 && n < ngl->num_in);
    return ngl->in[n];
}

qemu_irq qdev_get_gpio_in(DeviceState *dev, int n)
{
    return qdev_get_gpio_in_named(dev, NULL, n);
}

void qdev_connect_gpio_out_named(DeviceState *dev, const char *name, int n,
                                 qemu_irq irq)
{
    NamedGPIOList *ngl = qdev_get_named_gpio_list(dev, name);

    g_assert(n >= 0 && n < ngl->num_out);
    *ngl->out[n] = irq;
}

void qdev_connect_gpio_out(DeviceState *dev, int n, qemu_irq irq)
{
    qdev_connect_gpio_out_named(dev, NULL, n, irq);
}

/* ---- -device ---- */

static bool opt_is_help(const char *v)
{
    return !strcmp(v, "help") || !strcmp(v, "?");
}

DeviceState *qdev_device_add(Opts *opts, Error **errp)
{
    const char *driver = opts_get(opts, "driver");
    const char *id, *busname;
    DeviceClass *dc;
    DeviceState *dev;
    BusState *bus = NULL;

    if (!driver) {
        error_setg(errp, "-device: 'driver' must be given");
        return NULL;
    }
    dev = qdev_try_new(driver, errp);
    if (!dev) {
        error_append_hint(errp, "Try '-device help' for a list of devices.\n");
        return NULL;
    }
    dc = DEVICE_GET_CLASS(dev);
    if (!dc->user_creatable) {
        error_setg(errp, "Device '%s' can not be created with -device "
                   "(the board creates it)", driver);
        object_unref(OBJECT(dev));
        return NULL;
    }
    /* a memory-mapped device from -device is only placed on boards that
     * map such devices (addr=); anywhere else it would never be seen */
    if (object_dynamic_cast(OBJECT(dev), TYPE_SYS_BUS_DEVICE) &&
        current_machine &&
        !MACHINE_GET_CLASS(current_machine)->allows_dynamic_sysbus) {
        error_setg(errp, "-device %s: Parameter 'driver' expects a pluggable "
                   "device type (machine '%s' has no place for memory-mapped "
                   "devices)", driver,
                   MACHINE_GET_CLASS(current_machine)->name);
        object_unref(OBJECT(dev));
        return NULL;
    }
    id = opts_get(opts, "id");
    if (id) {
        if (!*id || !g_ascii_isalpha(*id)) {
            error_setg(errp, "-device %s: id '%s' must start with a letter",
                       driver, id);
            object_unref(OBJECT(dev));
            return NULL;
        }
        qdev_set_id(dev, id);
    }
    busname = opts_get(opts, "bus");
    if (busname) {
        bus = qbus_find(busname);
        if (!bus) {
            error_setg(errp, "-device %s: bus '%s' not found", driver, busname);
            object_unref(OBJECT(dev));
            return NULL;
        }
    } else if (dc->bus_type) {
        /* the first bus of that type with room (virtio buses take one) */
        for (GSList *l = all_buses; l; l = l->next) {
            BusState *b = l->data;
            int max = BUS_GET_CLASS(b)->max_dev;

            if (object_dynamic_cast(OBJECT(b), dc->bus_type) &&
                (!max || g_queue_get_length(&b->children) < (guint)max)) {
                bus = b;
                break;
            }
        }
        if (!bus) {
            error_setg(errp, "-device %s: no '%s' bus with a free slot on "
                       "this machine", driver, dc->bus_type);
            object_unref(OBJECT(dev));
            return NULL;
        }
    }
    for (guint i = 0; i < opts->entries->len; i++) {
        OptEntry *e = g_ptr_array_index(opts->entries, i);
        if (e->used) {
            continue;
        }
        e->used = true;
        if (!qdev_prop_parse(dev, e->key, e->value, errp)) {
            object_unref(OBJECT(dev));
            return NULL;
        }
    }
    if (!qdev_realize(dev, bus, errp)) {
        error_prepend(errp, "-device %s: ", driver);
        object_unref(OBJECT(dev));
        return NULL;
    }
    object_unref(OBJECT(dev));
    return dev;
}

static const char *const category_names[DEVICE_CATEGORY__MAX] = {
    [DEVICE_CATEGORY_MISC] = "Misc devices",
    [DEVICE_CATEGORY_CHAR] = "Serial / UART devices",
    [DEVICE_CATEGORY_STORAGE] = "Storage devices",
    [DEVICE_CATEGORY_NETWORK] = "Network devices",
    [DEVICE_CATEGORY_INPUT] = "Input devices",
    [DEVICE_CATEGORY_DISPLAY] = "Display devices",
    [DEVICE_CATEGORY_BRIDGE] = "Controller/Bridge/Hub devices",
    [DEVICE_CATEGORY_CPU] = "CPU devices",
};

void qdev_device_list_help(FILE *f)
{
    GSList *list = object_class_get_list(TYPE_DEVICE, false);

    for (int cat = 0; cat < DEVICE_CATEGORY__MAX; cat++) {
        bool header = false;
        for (GSList *l = list; l; l = l->next) {
            DeviceClass *dc = l->data;
            if (!dc->user_creatable || (int)dc->category != cat) {
                continue;
            }
            if (!header) {
                fprintf(f, "%s:\n", category_names[cat]);
                header = true;
            }
            fprintf(f, "name \"%s\"", object_class_get_name(l->data));
            if (dc->bus_type) {
                fprintf(f, ", bus %s", dc->bus_type);
            }
            if (dc->desc) {
                fprintf(f, ", desc \"%s\"", dc->desc);
            }
            fputc('\n', f);
        }
        if (header) {
            fputc('\n', f);
        }
    }
    g_slist_free(list);
}

bool qdev_device_help(FILE *f, const char *driver, Error **errp)
{
    ObjectClass *oc = object_class_by_name(driver);

    if (!oc || !object_class_dynamic_cast(oc, TYPE_DEVICE) ||
        object_class_is_abstract(oc)) {
        error_setg(errp, "'%s' is not a valid device model name", driver);
        return false;
    }
    fprintf(f, "%s options:\n", driver);
    qdev_print_props(f, DEVICE_CLASS(oc));
    (void)opt_is_help;
    return true;
}
