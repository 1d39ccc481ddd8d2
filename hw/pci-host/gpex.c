/*
 * Generic PCI Express host bridge with ECAM ("pci-host-ecam-generic", as
 * QEMU's gpex): what the virt board puts at QEMU's addresses.
 *
 * Regions     sysbus mmio 0: ECAM, 1 MiB per bus (bus 20+, device 19:15,
 *             function 14:12, register 11:0; PCIe Base Spec 7.2.2);
 *             mmio 1: the PCI memory space (the board maps windows of it
 *             through aliases: 32-bit and 64-bit MMIO);
 *             mmio 2: the PCI I/O space, 64 KiB (the board maps it)
 * IRQ lines   sysbus irq 0..3: INTA..INTD of the root bus, after the
 *             swizzle (slot + pin) % 4 of the PCI-to-PCI bridge rule, so
 *             the device tree's interrupt-map is the usual one
 * Bus         "pcie.0", a PCI Express root bus (virtio-pci is modern-only
 *             there); function 00.0 is the host bridge (1b36:0008)
 * Properties  ecam-buses: buses the ECAM window decodes (default 256)
 *
 * Model choices: accesses of 1, 2 or 4 bytes, naturally aligned (others
 * read all-ones and are logged); buses other than 0 have nothing on them
 * (no bridges yet); a function's registers past its 256-byte space read
 * all-ones.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/pci-host/gpex.h"
#include "hw/core/qdev-properties.h"
#include "migration/vmstate.h"

static uint64_t gpex_ecam_read(void *opaque, hwaddr addr, unsigned size)
{
    GPEXHost *s = opaque;

    if (addr % size) {
        tlog_mask(LOG_GUEST_ERROR, "gpex: unaligned %u-byte ECAM read at "
                  "0x%" HWADDR_PRIx "\n", size, addr);
        return 0xffffffffu >> (32 - 8 * size);
    }
    return pci_bus_config_read(s->bus, addr >> 20, (addr >> 12) & 0xff,
                               addr & 0xfff, size);
}

static void gpex_ecam_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    GPEXHost *s = opaque;

    if (addr % size) {
        tlog_mask(LOG_GUEST_ERROR, "gpex: unaligned %u-byte ECAM write at "
                  "0x%" HWADDR_PRIx "\n", size, addr);
        return;
    }
    pci_bus_config_write(s->bus, addr >> 20, (addr >> 12) & 0xff,
                         addr & 0xfff, val, size);
}

static const MemoryRegionOps gpex_ecam_ops = {
    .read = gpex_ecam_read,
    .write = gpex_ecam_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* INTx: device pin (0..3) of slot s raises root line (s + pin) % 4. */
static int gpex_map_irq(PCIDevice *dev, int pin)
{
    return (PCI_SLOT(dev->devfn) + pin) % GPEX_NUM_IRQS;
}

static void gpex_set_irq(void *opaque, int line, int level)
{
    GPEXHost *s = opaque;

    qemu_set_irq(s->irq[line], level);
}

static void gpex_init(Object *obj)
{
    GPEXHost *s = GPEX_HOST(obj);
    SysBusDevice *sbd = SYS_BUS_DEVICE(obj);

    memory_region_init(&s->mem, obj, "pcie-mmio", UINT64_MAX);
    memory_region_init(&s->io, obj, "pcie-pio", GPEX_PIO_SIZE);
    for (int i = 0; i < GPEX_NUM_IRQS; i++) {
        sysbus_init_irq(sbd, &s->irq[i]);
    }
}

static bool gpex_realize(DeviceState *dev, Error **errp)
{
    GPEXHost *s = GPEX_HOST(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    if (s->ecam_buses < 1 || s->ecam_buses > 256) {
        error_setg(errp, "ecam-buses must be between 1 and 256");
        return false;
    }
    memory_region_init_io(&s->ecam, OBJECT(dev), &gpex_ecam_ops, s,
                          "pcie-ecam", (uint64_t)s->ecam_buses << 20);
    sysbus_init_mmio(sbd, &s->ecam);
    sysbus_init_mmio(sbd, &s->mem);
    sysbus_init_mmio(sbd, &s->io);
    s->bus = pci_bus_new(dev, "pcie.0", &s->mem, &s->io);
    s->bus->is_express = true;
    pci_bus_irqs(s->bus, gpex_set_irq, gpex_map_irq, s, GPEX_NUM_IRQS);
    pci_create_simple(s->bus, 0, TYPE_GPEX_ROOT);
    return true;
}

static const Property gpex_props[] = {
    DEFINE_PROP_UINT32("ecam-buses", GPEXHost, ecam_buses, 256),
    DEFINE_PROP_END_OF_LIST(),
};

static void gpex_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "generic PCI Express host bridge (ECAM)";
    dc->category = DEVICE_CATEGORY_BRIDGE;
    dc->realize = gpex_realize;
    dc->props = gpex_props;
}

/* ---- the host bridge function, 00.0 ---- */

static void gpex_root_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    dc->desc = "generic PCIe host bridge function";
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = 0x0008;
    pc->class_id = PCI_CLASS_BRIDGE_HOST;
}

static const TypeInfo gpex_types[] = {
    {
        .name = TYPE_GPEX_HOST,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(GPEXHost),
        .instance_init = gpex_init,
        .class_init = gpex_class_init,
    },
    {
        .name = TYPE_GPEX_ROOT,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(PCIDevice),
        .class_init = gpex_root_class_init,
    },
};
DEFINE_TYPES(gpex_types)
