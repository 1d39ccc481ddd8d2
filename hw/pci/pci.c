/*
 * PCI core: the "PCI" bus, the abstract "pci-device", type-0 configuration
 * space with write masks, BAR sizing and mapping, INTx and capabilities.
 * See include/hw/pci/pci.h.  Register semantics follow the PCI Local Bus
 * Specification 3.0, chapter 6.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/pci/pci.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "migration/vmstate.h"

/* ---- the "addr" property: SLOT or SLOT.FN, hexadecimal ---- */

static bool prop_parse_pci_devfn(Object *obj, const Property *prop,
                                 const char *str, Error **errp)
{
    int32_t *ptr = (int32_t *)((char *)obj + prop->offset);
    unsigned long slot, fn = 0;
    char *end;

    errno = 0;
    slot = strtoul(str, &end, 16);
    if (end != str && *end == '.') {
        const char *f = end + 1;
        fn = strtoul(f, &end, 16);
        if (end == f) {
            end = (char *)str;     /* force the error below */
        }
    }
    if (errno || end == str || *end || slot > 31 || fn > 7) {
        error_setg(errp, "property '%s': '%s' is not a PCI address "
                   "(SLOT or SLOT.FN, slot 0-1f, function 0-7)", prop->name,
                   str);
        return false;
    }
    *ptr = PCI_DEVFN(slot, fn);
    return true;
}

static char *prop_print_pci_devfn(Object *obj, const Property *prop)
{
    int32_t v = *(int32_t *)((char *)obj + prop->offset);

    if (v < 0) {
        return g_strdup("<unset>");
    }
    return g_strdup_printf("%02x.%x", PCI_SLOT(v), PCI_FUNC(v));
}

static const PropertyInfo prop_info_pci_devfn = {
    .type = "slot[.fn]",
    .parse = prop_parse_pci_devfn,
    .print = prop_print_pci_devfn,
};

static const Property pci_device_props[] = {
    /* default -1 (first free slot) is set by pci_device_init */
    { .name = "addr", .info = &prop_info_pci_devfn,
      .offset = offsetof(PCIDevice, devfn) },
    DEFINE_PROP_BOOL("multifunction", PCIDevice, multifunction, false),
    DEFINE_PROP_END_OF_LIST(),
};

/* ---- bus ---- */

PCIBus *pci_bus_new(DeviceState *parent, const char *name,
                    MemoryRegion *address_space_mem,
                    MemoryRegion *address_space_io)
{
    PCIBus *bus = PCI_BUS(qbus_new(TYPE_PCI_BUS, parent, name));

    bus->address_space_mem = address_space_mem;
    bus->address_space_io = address_space_io;
    return bus;
}

void pci_bus_irqs(PCIBus *bus, pci_set_irq_fn set_irq, pci_map_irq_fn map_irq,
                  void *opaque, int nirq)
{
    bus->set_irq = set_irq;
    bus->map_irq = map_irq;
    bus->irq_opaque = opaque;
    bus->nirq = nirq;
    g_free(bus->irq_count);
    bus->irq_count = g_new0(int, nirq);
}

PCIDevice *pci_find_device(PCIBus *bus, int busnr, int devfn)
{
    if (busnr != 0 || devfn < 0 || devfn > 255) {
        return NULL;              /* no PCI-PCI bridges yet */
    }
    return bus->devices[devfn];
}

/* Assign or check the devfn before realize (BusClass.check_address). */
static bool pci_bus_check_address(BusState *qbus, DeviceState *qdev,
                                  Error **errp)
{
    PCIBus *bus = PCI_BUS(qbus);
    PCIDevice *dev = PCI_DEVICE(qdev);

    if (dev->devfn < 0) {
        for (int devfn = 0; devfn < 256; devfn += 8) {
            if (!bus->devices[devfn]) {
                dev->devfn = devfn;
                break;
            }
        }
        if (dev->devfn < 0) {
            error_setg(errp, "PCI bus %s: no free slot for %s", qbus->name,
                       object_get_typename(OBJECT(dev)));
            return false;
        }
    } else if (bus->devices[dev->devfn]) {
        error_setg(errp, "PCI address %02x.%x is already used by %s",
                   PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn),
                   object_get_typename(OBJECT(bus->devices[dev->devfn])));
        return false;
    }
    dev->bus = bus;
    return true;
}

static void pci_bus_class_init(ObjectClass *oc, void *data)
{
    BUS_CLASS(oc)->check_address = pci_bus_check_address;
}

uint32_t pci_bus_config_read(PCIBus *bus, int busnr, int devfn, uint32_t reg,
                             int len)
{
    PCIDevice *dev = pci_find_device(bus, busnr, devfn);

    if (!dev || reg + len > PCI_CONFIG_SPACE_SIZE) {
        return len == 4 ? 0xffffffffu : (1u << (len * 8)) - 1;
    }
    return PCI_DEVICE_GET_CLASS(dev)->config_read(dev, reg, len);
}

void pci_bus_config_write(PCIBus *bus, int busnr, int devfn, uint32_t reg,
                          uint32_t val, int len)
{
    PCIDevice *dev = pci_find_device(bus, busnr, devfn);

    if (!dev || reg + len > PCI_CONFIG_SPACE_SIZE) {
        return;
    }
    PCI_DEVICE_GET_CLASS(dev)->config_write(dev, reg, val, len);
}

static void pci_set_devfn_prop(DeviceState *dev, int devfn)
{
    PCI_DEVICE(dev)->devfn = devfn < 0 ? -1 : devfn;
}

PCIDevice *pci_create_simple(PCIBus *bus, int devfn, const char *name)
{
    DeviceState *dev = qdev_new(name);

    pci_set_devfn_prop(dev, devfn);
    qdev_realize_and_unref(dev, BUS(bus), &error_fatal);
    return PCI_DEVICE(dev);
}

PCIDevice *pci_create_simple_multifunction(PCIBus *bus, int devfn,
                                           const char *name)
{
    DeviceState *dev = qdev_new(name);

    pci_set_devfn_prop(dev, devfn);
    qdev_prop_set_bit(dev, "multifunction", true);
    qdev_realize_and_unref(dev, BUS(bus), &error_fatal);
    return PCI_DEVICE(dev);
}

/* ---- BARs ---- */

static int pci_bar_reg(int n)
{
    return n == PCI_ROM_SLOT ? PCI_ROM_ADDRESS : PCI_BASE_ADDRESS_0 + 4 * n;
}

void pci_register_bar(PCIDevice *dev, int n, uint8_t type, MemoryRegion *mr)
{
    PCIIORegion *r = &dev->io_regions[n];
    uint64_t size = memory_region_size(mr);
    int reg = pci_bar_reg(n);
    uint64_t wmask;

    g_assert(n >= 0 && n < PCI_NUM_REGIONS && is_power_of_2(size));
    if (type & PCI_BASE_ADDRESS_SPACE_IO) {
        size = MAX(size, 4);
    } else {
        size = MAX(size, 16);
    }
    r->size = size;
    r->type = type;
    r->addr = PCI_BAR_UNMAPPED;
    r->memory = mr;

    wmask = ~(size - 1);
    if (n == PCI_ROM_SLOT) {
        wmask |= 1;               /* ROM enable */
        type = 0;
    }
    pci_set_long(dev->config + reg, type);
    pci_set_long(dev->wmask + reg, (uint32_t)wmask);
    if (!(type & PCI_BASE_ADDRESS_SPACE_IO) &&
        (type & PCI_BASE_ADDRESS_MEM_TYPE_64)) {
        g_assert(n < 5);
        pci_set_long(dev->config + reg + 4, 0);
        pci_set_long(dev->wmask + reg + 4, (uint32_t)(wmask >> 32));
    }
}

uint64_t pci_get_bar_addr(PCIDevice *dev, int n)
{
    return dev->io_regions[n].addr;
}

/* Where BAR n should be decoded now, or PCI_BAR_UNMAPPED. */
static uint64_t pci_bar_address(PCIDevice *dev, int n)
{
    PCIIORegion *r = &dev->io_regions[n];
    uint16_t cmd = pci_get_word(dev->config + PCI_COMMAND);
    int reg = pci_bar_reg(n);
    uint64_t addr, last;

    if (r->type & PCI_BASE_ADDRESS_SPACE_IO) {
        if (!(cmd & PCI_COMMAND_IO)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = pci_get_long(dev->config + reg) & ~(r->size - 1) & ~3u;
        last = addr + r->size - 1;
        /* x86 I/O space is 64 KiB */
        if (addr == 0 || last > 0xffff || last <= addr) {
            return PCI_BAR_UNMAPPED;
        }
        return addr;
    }
    if (!(cmd & PCI_COMMAND_MEMORY)) {
        return PCI_BAR_UNMAPPED;
    }
    addr = pci_get_long(dev->config + reg);
    if (n == PCI_ROM_SLOT) {
        if (!(addr & 1)) {
            return PCI_BAR_UNMAPPED;
        }
    } else if (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
        addr |= (uint64_t)pci_get_long(dev->config + reg + 4) << 32;
    }
    addr &= ~(r->size - 1);
    last = addr + r->size - 1;
    if (addr == 0 || last <= addr) {
        return PCI_BAR_UNMAPPED;
    }
    return addr;
}

void pci_update_mappings(PCIDevice *dev)
{
    memory_region_transaction_begin();
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIIORegion *r = &dev->io_regions[n];
        uint64_t addr;
        MemoryRegion *space;

        if (!r->size) {
            continue;
        }
        addr = pci_bar_address(dev, n);
        if (addr == r->addr) {
            continue;
        }
        space = (r->type & PCI_BASE_ADDRESS_SPACE_IO) ?
                dev->bus->address_space_io : dev->bus->address_space_mem;
        if (r->addr != PCI_BAR_UNMAPPED) {
            memory_region_del_subregion(space, r->memory);
        }
        r->addr = addr;
        if (addr != PCI_BAR_UNMAPPED) {
            /* above the bus's own background (unassigned) regions */
            memory_region_add_subregion_overlap(space, addr, r->memory, 1);
        }
    }
    memory_region_transaction_commit();
}

/* ---- INTx ---- */

static int pci_intx_pin(PCIDevice *dev)
{
    return dev->config[PCI_INTERRUPT_PIN] - 1;   /* -1: no pin */
}

static bool pci_irq_disabled(PCIDevice *dev)
{
    return pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE;
}

/* Propagate a change of this device's effective INTx level to the bus. */
static void pci_bus_change_irq(PCIDevice *dev, int pin, int change)
{
    PCIBus *bus = dev->bus;
    int line;

    if (!bus || !bus->set_irq || !bus->map_irq) {
        return;
    }
    line = bus->map_irq(dev, pin);
    if (line < 0 || line >= bus->nirq) {
        return;
    }
    bus->irq_count[line] += change;
    g_assert(bus->irq_count[line] >= 0);
    bus->set_irq(bus->irq_opaque, line, bus->irq_count[line] != 0);
}

void pci_set_irq(PCIDevice *dev, int level)
{
    int pin = pci_intx_pin(dev);
    bool was, now;
    uint16_t status;

    if (pin < 0 || pin >= PCI_NUM_PINS) {
        return;
    }
    was = (dev->irq_state & (1 << pin)) != 0;
    now = level != 0;
    if (was == now) {
        return;
    }
    dev->irq_state ^= 1 << pin;
    status = pci_get_word(dev->config + PCI_STATUS);
    status = now ? status | PCI_STATUS_INTERRUPT
                 : status & ~PCI_STATUS_INTERRUPT;
    pci_set_word(dev->config + PCI_STATUS, status);
    if (!pci_irq_disabled(dev)) {
        pci_bus_change_irq(dev, pin, now ? 1 : -1);
    }
}

/* ---- config space ---- */

uint32_t pci_default_read_config(PCIDevice *dev, uint32_t addr, int len)
{
    uint32_t val = 0;

    g_assert(len == 1 || len == 2 || len == 4);
    if (addr + len > PCI_CONFIG_SPACE_SIZE) {
        return 0xffffffffu >> (32 - 8 * len);
    }
    memcpy(&val, dev->config + addr, len);
    return le32_to_cpu(val);
}

static bool ranges_overlap(uint32_t a, int alen, uint32_t b, int blen)
{
    return a < b + blen && b < a + alen;
}

void pci_default_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                              int len)
{
    bool was_disabled = pci_irq_disabled(dev);

    if (addr + len > PCI_CONFIG_SPACE_SIZE) {
        return;
    }
    for (int i = 0; i < len; i++, val >>= 8) {
        uint8_t wm = dev->wmask[addr + i], w1c = dev->w1cmask[addr + i];
        uint8_t b = val;
        uint8_t *c = &dev->config[addr + i];

        *c = (*c & ~wm) | (b & wm);
        *c &= ~(b & w1c);
    }
    if (ranges_overlap(addr, len, PCI_BASE_ADDRESS_0, 24) ||
        ranges_overlap(addr, len, PCI_ROM_ADDRESS, 4) ||
        ranges_overlap(addr, len, PCI_COMMAND, 2)) {
        pci_update_mappings(dev);
    }
    if (was_disabled != pci_irq_disabled(dev)) {
        int pin = pci_intx_pin(dev);
        if (pin >= 0 && pin < PCI_NUM_PINS &&
            (dev->irq_state & (1 << pin))) {
            pci_bus_change_irq(dev, pin, was_disabled ? 1 : -1);
        }
    }
    msi_write_config(dev, addr, val, len);
    msix_write_config(dev, addr, val, len);
}

/* ---- capabilities ---- */

uint8_t pci_find_capability(PCIDevice *dev, uint8_t cap_id)
{
    uint8_t pos;
    int guard = 48;

    if (!(pci_get_word(dev->config + PCI_STATUS) & PCI_STATUS_CAP_LIST)) {
        return 0;
    }
    for (pos = dev->config[PCI_CAPABILITY_LIST]; pos && guard--;
         pos = dev->config[pos + 1]) {
        if (dev->config[pos] == cap_id) {
            return pos;
        }
    }
    return 0;
}

uint8_t pci_add_capability(PCIDevice *dev, uint8_t cap_id, uint8_t offset,
                           uint8_t size, Error **errp)
{
    uint8_t *cfg = dev->config;

    if (size < 2) {
        error_setg(errp, "PCI capability 0x%x: size %u too small", cap_id,
                   size);
        return 0;
    }
    if (!offset) {
        /* first free dword-aligned run after the header */
        for (unsigned pos = PCI_CONFIG_HEADER_SIZE;
             pos + size <= PCI_CONFIG_SPACE_SIZE; pos += 4) {
            bool free_run = true;
            for (unsigned i = 0; i < size; i++) {
                if (dev->used[pos + i]) {
                    free_run = false;
                    break;
                }
            }
            if (free_run) {
                offset = pos;
                break;
            }
        }
        if (!offset) {
            error_setg(errp, "PCI capability 0x%x: no room for %u bytes",
                       cap_id, size);
            return 0;
        }
    } else {
        if (offset < PCI_CONFIG_HEADER_SIZE || (offset & 3) ||
            offset + size > PCI_CONFIG_SPACE_SIZE) {
            error_setg(errp, "PCI capability 0x%x: bad offset 0x%x", cap_id,
                       offset);
            return 0;
        }
        for (unsigned i = 0; i < size; i++) {
            if (dev->used[offset + i]) {
                error_setg(errp, "PCI capability 0x%x at 0x%x overlaps "
                           "another capability", cap_id, offset);
                return 0;
            }
        }
    }
    cfg[offset] = cap_id;
    cfg[offset + 1] = cfg[PCI_CAPABILITY_LIST];
    cfg[PCI_CAPABILITY_LIST] = offset;
    pci_set_word(cfg + PCI_STATUS,
                 pci_get_word(cfg + PCI_STATUS) | PCI_STATUS_CAP_LIST);
    memset(dev->used + offset, 0xff, size);
    /* the list itself is read-only */
    dev->wmask[offset] = dev->wmask[offset + 1] = 0;
    return offset;
}

void pci_del_capability(PCIDevice *dev, uint8_t cap_id, uint8_t size)
{
    uint8_t *cfg = dev->config;
    uint8_t pos = pci_find_capability(dev, cap_id);
    uint8_t *prev = &cfg[PCI_CAPABILITY_LIST];

    if (!pos) {
        return;
    }
    while (*prev && *prev != pos) {
        prev = &cfg[*prev + 1];
    }
    *prev = cfg[pos + 1];
    memset(cfg + pos, 0, size);
    memset(dev->wmask + pos, 0, size);
    memset(dev->w1cmask + pos, 0, size);
    memset(dev->used + pos, 0, size);
    if (!cfg[PCI_CAPABILITY_LIST]) {
        pci_set_word(cfg + PCI_STATUS,
                     pci_get_word(cfg + PCI_STATUS) & ~PCI_STATUS_CAP_LIST);
    }
}

/* ---- device life cycle ---- */

static bool pci_qdev_realize(DeviceState *qdev, Error **errp)
{
    PCIDevice *dev = PCI_DEVICE(qdev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(dev);
    uint8_t *cfg = dev->config;

    g_assert(dev->bus);      /* set by pci_bus_check_address */
    memset(dev->config, 0, sizeof(dev->config));
    memset(dev->wmask, 0, sizeof(dev->wmask));
    memset(dev->w1cmask, 0, sizeof(dev->w1cmask));
    memset(dev->used, 0, sizeof(dev->used));
    memset(dev->used, 0xff, PCI_CONFIG_HEADER_SIZE);

    pci_set_word(cfg + PCI_VENDOR_ID, pc->vendor_id);
    pci_set_word(cfg + PCI_DEVICE_ID, pc->device_id);
    cfg[PCI_REVISION_ID] = pc->revision;
    cfg[PCI_CLASS_PROG] = pc->prog_if;
    pci_set_word(cfg + PCI_CLASS_DEVICE, pc->class_id);
    pci_set_word(cfg + PCI_SUBSYSTEM_VENDOR_ID, pc->subsystem_vendor_id);
    pci_set_word(cfg + PCI_SUBSYSTEM_ID, pc->subsystem_id);
    cfg[PCI_HEADER_TYPE] = dev->multifunction ?
                           PCI_HEADER_TYPE_MULTI_FUNCTION : 0;

    pci_set_word(dev->wmask + PCI_COMMAND,
                 PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                 PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
    /* status: the error bits are write-1-to-clear */
    pci_set_word(dev->w1cmask + PCI_STATUS, 0xf900);
    dev->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    dev->wmask[PCI_LATENCY_TIMER] = 0xff;
    dev->wmask[PCI_INTERRUPT_LINE] = 0xff;
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        dev->io_regions[n] = (PCIIORegion) { .addr = PCI_BAR_UNMAPPED };
    }

    if (pc->realize && !pc->realize(dev, errp)) {
        return false;
    }
    dev->bus->devices[dev->devfn] = dev;
    return true;
}

static void pci_qdev_unrealize(DeviceState *qdev)
{
    PCIDevice *dev = PCI_DEVICE(qdev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(dev);

    pci_set_irq(dev, 0);
    pci_set_word(dev->config + PCI_COMMAND, 0);
    pci_update_mappings(dev);
    if (pc->exit) {
        pc->exit(dev);
    }
    dev->bus->devices[dev->devfn] = NULL;
}

void pci_device_reset(PCIDevice *dev)
{
    uint16_t cmd_wmask = pci_get_word(dev->wmask + PCI_COMMAND);

    pci_set_irq(dev, 0);
    /* command: writable bits cleared; status: error bits cleared */
    pci_set_word(dev->config + PCI_COMMAND,
                 pci_get_word(dev->config + PCI_COMMAND) & ~cmd_wmask);
    pci_set_word(dev->config + PCI_STATUS,
                 pci_get_word(dev->config + PCI_STATUS) &
                 ~pci_get_word(dev->w1cmask + PCI_STATUS));
    dev->config[PCI_CACHE_LINE_SIZE] = 0;
    dev->config[PCI_INTERRUPT_LINE] = 0;
    msi_reset(dev);
    msix_reset(dev);
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        PCIIORegion *r = &dev->io_regions[n];
        int reg = pci_bar_reg(n);

        if (!r->size) {
            continue;
        }
        pci_set_long(dev->config + reg, n == PCI_ROM_SLOT ? 0 : r->type);
        if (n != PCI_ROM_SLOT && !(r->type & PCI_BASE_ADDRESS_SPACE_IO) &&
            (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64)) {
            pci_set_long(dev->config + reg + 4, 0);
        }
    }
    pci_update_mappings(dev);
}

static void pci_qdev_reset(DeviceState *qdev)
{
    pci_device_reset(PCI_DEVICE(qdev));
}

static int pci_post_load(void *opaque, int version_id)
{
    PCIDevice *dev = opaque;

    pci_update_mappings(dev);
    return 0;
}

const VMStateDescription vmstate_pci_device = {
    .name = "PCIDevice",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = pci_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8_ARRAY(config, PCIDevice, PCI_CONFIG_SPACE_SIZE),
        VMSTATE_UINT8(irq_state, PCIDevice),
        VMSTATE_END_OF_LIST()
    },
};

static void pci_device_init(Object *obj)
{
    PCI_DEVICE(obj)->devfn = -1;
}

static void pci_device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    dc->bus_type = TYPE_PCI_BUS;
    dc->realize = pci_qdev_realize;
    dc->unrealize = pci_qdev_unrealize;
    dc->reset = pci_qdev_reset;
    dc->props = pci_device_props;
    dc->vmsd = &vmstate_pci_device;
    pc->config_read = pci_default_read_config;
    pc->config_write = pci_default_write_config;
}

static const TypeInfo pci_types[] = {
    {
        .name = TYPE_PCI_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(PCIBus),
        .class_init = pci_bus_class_init,
        .class_size = sizeof(BusClass),
    },
    {
        .name = TYPE_PCI_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(PCIDevice),
        .instance_init = pci_device_init,
        .abstract = true,
        .class_size = sizeof(PCIDeviceClass),
        .class_init = pci_device_class_init,
    },
};

DEFINE_TYPES(pci_types)
