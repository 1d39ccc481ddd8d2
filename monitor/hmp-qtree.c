/*
 * info qtree and info pci, in QEMU's layouts:
 *
 *   bus: main-system-bus                 info qtree: each bus, its type and
 *     type System                        devices (newest first, as QEMU),
 *     dev: pl011, id ""                  a device's GPIO lines, properties
 *       gpio-out "sysbus-irq" 1          ("name = value": numbers also in
 *       chardev = "serial0"              hex, sizes also in units), its
 *       mmio 0000000009000000/...        MMIO regions or PCI address and
 *                                        BARs, then its own buses
 *
 *   Bus  0, device   1, function 0:     info pci: each function, its class,
 *     ISA bridge: PCI device 8086:7000   ids, interrupt pin and BARs
 */
#include "turtle/osdep.h"
#include "monitor/hmp-internal.h"
#include "hw/core/qdev.h"
#include "hw/core/qdev-properties.h"
#include "hw/core/sysbus.h"
#include "hw/pci/pci.h"
#include "chardev/char.h"

/* ---- values ---- */

/* "2 GiB", "512 MiB", "1.5 KiB": at most 3 significant digits. */
static char *hmp_size_str(uint64_t v)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
                                         "PiB", "EiB" };
    int i = 0;
    double d = v;

    while (i + 1 < (int)G_N_ELEMENTS(units) && d >= 1024) {
        d /= 1024;
        i++;
    }
    return g_strdup_printf("%0.3g %s", d, units[i]);
}

static char *hmp_prop_value(DeviceState *dev, const Property *prop)
{
    const PropertyInfo *info = prop->info;
    void *ptr = (char *)dev + prop->offset;
    g_autofree char *s = NULL;
    uint64_t u;

    if (info == &prop_info_bool) {
        return g_strdup(*(bool *)ptr ? "true" : "false");
    }
    if (info == &prop_info_uint8 || info == &prop_info_uint16 ||
        info == &prop_info_uint32 || info == &prop_info_uint64) {
        u = info == &prop_info_uint8 ? *(uint8_t *)ptr :
            info == &prop_info_uint16 ? *(uint16_t *)ptr :
            info == &prop_info_uint32 ? *(uint32_t *)ptr : *(uint64_t *)ptr;
        return g_strdup_printf("%" PRIu64 " (0x%" PRIx64 ")", u, u);
    }
    if (info == &prop_info_int32 || info == &prop_info_int64) {
        int64_t i = info == &prop_info_int32 ? *(int32_t *)ptr :
                    *(int64_t *)ptr;
        return g_strdup_printf("%" PRId64 " (0x%" PRIx64 ")", i, (uint64_t)i);
    }
    if (info == &prop_info_size) {
        g_autofree char *units = hmp_size_str(*(uint64_t *)ptr);
        return g_strdup_printf("%" PRIu64 " (%s)", *(uint64_t *)ptr, units);
    }
    /* strings, chardevs, links: quoted, as QEMU */
    s = info->print ? info->print(OBJECT(dev), prop) : g_strdup("");
    return g_strdup_printf("\"%s\"", s);
}

/* ---- info qtree ---- */

static void qtree_print_bus(HMPMonitor *mon, BusState *bus, int indent);

static void qtree_print_props(HMPMonitor *mon, DeviceState *dev, int indent)
{
    ObjectClass *oc = object_get_class(OBJECT(dev));

    /* the device's own properties first, then each parent class's */
    while (oc && object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        const Property *props = DEVICE_CLASS(oc)->props;
        ObjectClass *parent = object_class_get_parent(oc);
        bool inherited = parent &&
                         object_class_dynamic_cast(parent, TYPE_DEVICE) &&
                         DEVICE_CLASS(parent)->props == props;

        for (const Property *p = props; p && !inherited && p->name; p++) {
            g_autofree char *v = hmp_prop_value(dev, p);
            mon_printf(mon, "%*s%s = %s\n", indent, "", p->name, v);
        }
        oc = parent;
    }
}

static const char *pci_class_name(uint16_t cls);

static void qtree_print_pci(HMPMonitor *mon, PCIDevice *d, int indent)
{
    const char *cls = pci_class_name(pci_get_word(d->config +
                                                  PCI_CLASS_DEVICE));

    mon_printf(mon, "%*sclass %s, addr %02x:%02x.%x, pci id %04x:%04x "
               "(sub %04x:%04x)\n", indent, "", cls ? cls : "Class", 0,
               PCI_SLOT(d->devfn), PCI_FUNC(d->devfn),
               pci_get_word(d->config + PCI_VENDOR_ID),
               pci_get_word(d->config + PCI_DEVICE_ID),
               pci_get_word(d->config + PCI_SUBSYSTEM_VENDOR_ID),
               pci_get_word(d->config + PCI_SUBSYSTEM_ID));
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        PCIIORegion *r = &d->io_regions[i];

        if (!r->size) {
            continue;
        }
        mon_printf(mon, "%*sbar %d: %s at 0x%" PRIx64 " [0x%" PRIx64 "]\n",
                   indent, "", i,
                   r->type & PCI_BASE_ADDRESS_SPACE_IO ? "i/o" : "mem",
                   r->addr, r->addr + r->size - 1);
    }
}

static void qtree_print_dev(HMPMonitor *mon, DeviceState *dev, int indent)
{
    Object *obj = OBJECT(dev);

    mon_printf(mon, "%*sdev: %s, id \"%s\"\n", indent, "",
               object_get_typename(obj), dev->id ? dev->id : "");
    indent += 2;
    for (NamedGPIOList *g = dev->gpios; g; g = g->next) {
        if (g->num_in) {
            mon_printf(mon, "%*sgpio-in \"%s\" %d\n", indent, "",
                       g->name ? g->name : "", g->num_in);
        }
        if (g->num_out) {
            mon_printf(mon, "%*sgpio-out \"%s\" %d\n", indent, "",
                       g->name ? g->name : "", g->num_out);
        }
    }
    qtree_print_props(mon, dev, indent);
    if (object_dynamic_cast(obj, TYPE_SYS_BUS_DEVICE)) {
        SysBusDevice *s = SYS_BUS_DEVICE(dev);

        for (int i = 0; i < s->num_mmio; i++) {
            MemoryRegion *mr = s->mmio[i].memory;
            mon_printf(mon, "%*smmio %016" PRIx64 "/%016" PRIx64 "\n",
                       indent, "", s->mmio[i].addr,
                       mr ? memory_region_size(mr) : 0);
        }
    }
    if (object_dynamic_cast(obj, TYPE_PCI_DEVICE)) {
        qtree_print_pci(mon, PCI_DEVICE(dev), indent);
    }
    for (GSList *l = dev->child_buses; l; l = l->next) {
        qtree_print_bus(mon, l->data, indent);
    }
}

static void qtree_print_bus(HMPMonitor *mon, BusState *bus, int indent)
{
    mon_printf(mon, "%*sbus: %s\n", indent, "", bus->name);
    mon_printf(mon, "%*stype %s\n", indent + 2, "",
               object_get_typename(OBJECT(bus)));
    for (GList *l = bus->children.tail; l; l = l->prev) {
        qtree_print_dev(mon, l->data, indent + 2);
    }
}

void hmp_info_qtree(HMPArgs *a)
{
    BusState *main_bus = sysbus_get_default();

    if (hmp_args_end(a) && main_bus) {
        qtree_print_bus(a->mon, main_bus, 0);
    }
}

/* ---- info pci ---- */

static const char *pci_class_name(uint16_t cls)
{
    /* base class and subclass names of the PCI Code and ID Assignment
     * specification; a subclass not listed falls back to its base */
    static const struct {
        uint16_t cls;
        const char *name;
    } names[] = {
        { 0x0100, "SCSI controller" }, { 0x0101, "IDE controller" },
        { 0x0102, "Floppy controller" }, { 0x0103, "IPI controller" },
        { 0x0104, "RAID controller" }, { 0x0106, "SATA controller" },
        { 0x0107, "SAS controller" }, { 0x0108, "NVMe controller" },
        { 0x0180, "Storage controller" }, { 0x0200, "Ethernet controller" },
        { 0x0280, "Network controller" }, { 0x0300, "VGA controller" },
        { 0x0301, "XGA controller" }, { 0x0302, "3D controller" },
        { 0x0380, "Display controller" }, { 0x0400, "Video controller" },
        { 0x0401, "Audio controller" }, { 0x0403, "Audio controller" },
        { 0x0480, "Multimedia controller" }, { 0x0500, "RAM controller" },
        { 0x0501, "Flash controller" }, { 0x0580, "Memory controller" },
        { 0x0600, "Host bridge" }, { 0x0601, "ISA bridge" },
        { 0x0602, "EISA bridge" }, { 0x0604, "PCI bridge" },
        { 0x0680, "Bridge" }, { 0x0700, "Serial port" },
        { 0x0701, "Parallel port" }, { 0x0703, "Modem" },
        { 0x0800, "PIC" }, { 0x0801, "DMA controller" }, { 0x0802, "Timer" },
        { 0x0803, "RTC" }, { 0x0880, "System peripheral" },
        { 0x0900, "Keyboard" }, { 0x0902, "Mouse" },
        { 0x0c03, "USB controller" }, { 0x0c05, "SMBus" },
        { 0x0d00, "IRDA controller" }, { 0x1000, "Cryptographic" },
        { 0xff00, "Unassigned class" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (names[i].cls == cls) {
            return names[i].name;
        }
    }
    return NULL;
}

static void info_pci_device(HMPMonitor *mon, PCIDevice *d)
{
    DeviceState *dev = DEVICE(d);
    uint16_t cls = pci_get_word(d->config + PCI_CLASS_DEVICE);
    const char *name = pci_class_name(cls);
    uint8_t pin = d->config[PCI_INTERRUPT_PIN];

    mon_printf(mon, "  Bus %2d, device %3d, function %d:\n", 0,
               PCI_SLOT(d->devfn), PCI_FUNC(d->devfn));
    if (name) {
        mon_printf(mon, "    %s", name);
    } else {
        mon_printf(mon, "    Class %04x", cls);
    }
    mon_printf(mon, ": PCI device %04x:%04x\n",
               pci_get_word(d->config + PCI_VENDOR_ID),
               pci_get_word(d->config + PCI_DEVICE_ID));
    mon_printf(mon, "      PCI subsystem %04x:%04x\n",
               pci_get_word(d->config + PCI_SUBSYSTEM_VENDOR_ID),
               pci_get_word(d->config + PCI_SUBSYSTEM_ID));
    if (pin) {
        mon_printf(mon, "      IRQ %d, pin %c\n",
                   d->config[PCI_INTERRUPT_LINE], 'A' + pin - 1);
    }
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        PCIIORegion *r = &d->io_regions[i];

        if (!r->size) {
            continue;
        }
        mon_printf(mon, "      BAR%d: ", i);
        if (r->type & PCI_BASE_ADDRESS_SPACE_IO) {
            mon_printf(mon, "I/O at 0x%04" PRIx64 " [0x%04" PRIx64 "].\n",
                       r->addr, r->addr + r->size - 1);
        } else {
            mon_printf(mon, "%d bit%s memory at 0x%08" PRIx64 " [0x%08"
                       PRIx64 "].\n",
                       r->type & PCI_BASE_ADDRESS_MEM_TYPE_64 ? 64 : 32,
                       r->type & PCI_BASE_ADDRESS_MEM_PREFETCH ?
                       " prefetchable" : "", r->addr, r->addr + r->size - 1);
        }
    }
    mon_printf(mon, "      id \"%s\"\n", dev->id ? dev->id : "");
}

static void info_pci_bus(HMPMonitor *mon, BusState *bus)
{
    if (object_dynamic_cast(OBJECT(bus), TYPE_PCI_BUS)) {
        PCIBus *pbus = PCI_BUS(bus);
        for (int devfn = 0; devfn < 256; devfn++) {
            if (pbus->devices[devfn]) {
                info_pci_device(mon, pbus->devices[devfn]);
            }
        }
    }
    for (GList *l = bus->children.head; l; l = l->next) {
        DeviceState *dev = l->data;
        for (GSList *b = dev->child_buses; b; b = b->next) {
            info_pci_bus(mon, b->data);
        }
    }
}

void hmp_info_pci(HMPArgs *a)
{
    BusState *main_bus = sysbus_get_default();

    if (hmp_args_end(a) && main_bus) {
        info_pci_bus(a->mon, main_bus);
    }
}
