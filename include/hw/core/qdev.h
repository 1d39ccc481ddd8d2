/*
 * Devices: objects with typed properties, a realize/unrealize/reset life
 * cycle, named GPIO lines and a place on a bus.
 *
 *   init (TypeInfo.instance_init)  cannot fail: set up memory regions, lines
 *   properties                     set by the board or by -device
 *   realize(dev, errp)             may fail: check properties, connect back ends
 *   reset(dev)                     back to power-on state; called on every reset
 *
 * A device lives on a bus (the system bus for memory-mapped devices, the
 * ISA, PCI or virtio buses later).  Reset walks the tree from the main
 * system bus in creation order.
 */
#ifndef HW_CORE_QDEV_H
#define HW_CORE_QDEV_H

#include "hw/core/object.h"
#include "hw/core/irq.h"
#include "turtle/error.h"
#include "exec/memory.h"

typedef struct DeviceState DeviceState;
typedef struct DeviceClass DeviceClass;
typedef struct BusState BusState;
typedef struct BusClass BusClass;
typedef struct Property Property;
typedef struct VMStateDescription VMStateDescription;

#define TYPE_DEVICE "device"
#define TYPE_BUS "bus"

typedef bool (*DeviceRealize)(DeviceState *dev, Error **errp);
typedef void (*DeviceUnrealize)(DeviceState *dev);
typedef void (*DeviceReset)(DeviceState *dev);

typedef enum DeviceCategory {
    DEVICE_CATEGORY_MISC,
    DEVICE_CATEGORY_CHAR,      /* UARTs */
    DEVICE_CATEGORY_STORAGE,
    DEVICE_CATEGORY_NETWORK,
    DEVICE_CATEGORY_INPUT,
    DEVICE_CATEGORY_DISPLAY,
    DEVICE_CATEGORY_BRIDGE,
    DEVICE_CATEGORY_CPU,
    DEVICE_CATEGORY__MAX,
} DeviceCategory;

struct DeviceClass {
    ObjectClass parent_class;
    const char *desc;
    DeviceCategory category;
    const Property *props;         /* ends with DEFINE_PROP_END_OF_LIST() */
    bool user_creatable;           /* may be created with -device */
    const char *bus_type;          /* the bus this device plugs into */
    DeviceRealize realize;
    DeviceUnrealize unrealize;
    DeviceReset reset;
    const VMStateDescription *vmsd;
};

typedef struct NamedGPIOList {
    char *name;
    qemu_irq *in;          /* allocated input lines */
    int num_in;
    qemu_irq **out;        /* pointers to the device's output fields */
    int num_out;
    struct NamedGPIOList *next;
} NamedGPIOList;

struct DeviceState {
    Object parent_obj;
    char *id;                  /* from -device id= or the board; may be NULL */
    char *canonical_name;      /* unique: id or "<type>.<n>" */
    bool realized;
    BusState *parent_bus;
    NamedGPIOList *gpios;
    GSList *child_buses;       /* of BusState* */
    int instance_id;           /* for vmstate: n-th device of this type */
    /* engaged while the memory core runs one of our region callbacks */
    MemReentrancyGuard mem_reentrancy_guard;
};

struct BusClass {
    ObjectClass parent_class;
    /* called on realize of a child; may refuse it */
    bool (*check_address)(BusState *bus, DeviceState *dev, Error **errp);
    /* most children the bus takes (0: no limit); -device without bus=
     * picks the first bus of the right type that has room */
    int max_dev;
};

struct BusState {
    Object obj;
    DeviceState *parent;       /* device providing the bus; NULL for main */
    char *name;
    GQueue children;           /* of DeviceState*, in plug order */
};

DECLARE_INSTANCE_CHECKER(DeviceState, DEVICE, TYPE_DEVICE)
DECLARE_CLASS_CHECKERS(DeviceClass, DEVICE, TYPE_DEVICE)
DECLARE_INSTANCE_CHECKER(BusState, BUS, TYPE_BUS)
DECLARE_CLASS_CHECKERS(BusClass, BUS, TYPE_BUS)

/* ---- life cycle ---- */
DeviceState *qdev_new(const char *typename);
/* NULL with errp set when typename is unknown or not a device. */
DeviceState *qdev_try_new(const char *typename, Error **errp);
/* Plug dev into bus (NULL: the main system bus) and realize it. */
bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp);
/* qdev_realize, then drop the creator's reference (the bus holds one). */
bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp);
void qdev_unrealize(DeviceState *dev);
void qdev_set_id(DeviceState *dev, const char *id);
const char *qdev_name(DeviceState *dev);
DeviceState *qdev_find(const char *id_or_name);
/* Reset one device and everything on its child buses. */
void device_cold_reset(DeviceState *dev);
void qdev_reset_all(void);       /* the whole tree, from the main bus */
/* Call fn for every realized device, in tree order. */
void qdev_walk(void (*fn)(DeviceState *dev, void *opaque), void *opaque);

/* ---- buses ---- */
BusState *qbus_new(const char *bus_type, DeviceState *parent, const char *name);
BusState *sysbus_get_default(void);
BusState *qbus_find(const char *name);

/* ---- GPIO / IRQ lines ---- */
void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n);
void qdev_init_gpio_in_named(DeviceState *dev, qemu_irq_handler handler,
                             const char *name, int n);
void qdev_init_gpio_out(DeviceState *dev, qemu_irq *pins, int n);
void qdev_init_gpio_out_named(DeviceState *dev, qemu_irq *pins,
                              const char *name, int n);
qemu_irq qdev_get_gpio_in(DeviceState *dev, int n);
qemu_irq qdev_get_gpio_in_named(DeviceState *dev, const char *name, int n);
void qdev_connect_gpio_out(DeviceState *dev, int n, qemu_irq irq);
void qdev_connect_gpio_out_named(DeviceState *dev, const char *name, int n,
                                 qemu_irq irq);
NamedGPIOList *qdev_get_named_gpio_list(DeviceState *dev, const char *name);

/* ---- -device ---- */
typedef struct Opts Opts;
/* Create, configure, plug and realize a device from -device options. */
DeviceState *qdev_device_add(Opts *opts, Error **errp);
/* "-device help" and "-device NAME,help" */
void qdev_device_list_help(FILE *f);
bool qdev_device_help(FILE *f, const char *driver, Error **errp);

#include "hw/core/qdev-properties.h"

#endif
