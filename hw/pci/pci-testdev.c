/*
 * pci-testdev: a PCI function for tests of the PCI core and of guests'
 * PCI code.  Id 1b36:0005, class ff00, interrupt pin INTA.
 *
 *   BAR0  memory, 4 KiB, 32-bit: offset 0 is the INTx level (write 1 to
 *         assert, 0 to deassert; reads it back); 4..0xffb scratch RAM;
 *         0xffc: writing n signals MSI vector n (msi-vectors > 0)
 *   BAR1  I/O, 256 bytes: scratch
 *   BAR2  memory, 1 MiB, 64-bit prefetchable: scratch RAM
 *   capabilities: vendor-specific (0x09) at 0x60 -> 0x40, then with
 *         msi-vectors an MSI capability (64-bit, per-vector masking) at 0x80,
 *         first in the list
 *   properties: addr, multifunction (PCI core), msi-vectors (0: no MSI)
 */
#include "turtle/osdep.h"
#include "hw/pci/pci.h"
#include "hw/pci/msi.h"
#include "hw/core/qdev-properties.h"
#include "migration/vmstate.h"

#define TYPE_PCI_TESTDEV "pci-testdev"

typedef struct PCITestDevState {
    PCIDevice parent_obj;
    MemoryRegion mmio, io, ram;
    uint8_t mmio_buf[4096];
    uint8_t io_buf[256];
    uint32_t irq_level;
    uint32_t msi_vectors;
} PCITestDevState;

DECLARE_INSTANCE_CHECKER(PCITestDevState, PCI_TESTDEV, TYPE_PCI_TESTDEV)

static uint64_t testdev_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    PCITestDevState *s = opaque;

    if (addr < 4) {
        return s->irq_level >> (8 * addr);
    }
    return ldn_le_p(s->mmio_buf + addr, size);
}

static void testdev_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                               unsigned size)
{
    PCITestDevState *s = opaque;

    if (addr == 0) {
        s->irq_level = val & 1;
        pci_set_irq(PCI_DEVICE(s), s->irq_level);
        return;
    }
    if (addr == 0xffc && s->msi_vectors) {
        msi_notify(PCI_DEVICE(s), val);
        return;
    }
    if (addr >= 4) {
        stn_le_p(s->mmio_buf + addr, size, val);
    }
}

static const MemoryRegionOps testdev_mmio_ops = {
    .read = testdev_mmio_read,
    .write = testdev_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static uint64_t testdev_io_read(void *opaque, hwaddr addr, unsigned size)
{
    return ldn_le_p(PCI_TESTDEV(opaque)->io_buf + addr, size);
}

static void testdev_io_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    stn_le_p(PCI_TESTDEV(opaque)->io_buf + addr, size, val);
}

static const MemoryRegionOps testdev_io_ops = {
    .read = testdev_io_read,
    .write = testdev_io_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static bool testdev_realize(PCIDevice *dev, Error **errp)
{
    PCITestDevState *s = PCI_TESTDEV(dev);

    dev->config[PCI_INTERRUPT_PIN] = 1;
    memory_region_init_io(&s->mmio, OBJECT(dev), &testdev_mmio_ops, s,
                          "pci-testdev-mmio", 4096);
    memory_region_init_io(&s->io, OBJECT(dev), &testdev_io_ops, s,
                          "pci-testdev-io", 256);
    if (!memory_region_init_ram(&s->ram, OBJECT(dev), "pci-testdev-ram",
                                1 * MiB, errp)) {
        return false;
    }
    pci_register_bar(dev, 0, 0, &s->mmio);
    pci_register_bar(dev, 1, PCI_BASE_ADDRESS_SPACE_IO, &s->io);
    pci_register_bar(dev, 2, PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &s->ram);
    /* two vendor-specific capabilities: a list to walk */
    if (!pci_add_capability(dev, PCI_CAP_ID_VNDR, 0, 8, errp) ||
        !pci_add_capability(dev, PCI_CAP_ID_VNDR, 0x60, 4, errp)) {
        return false;
    }
    dev->config[0x42] = 8;           /* vendor cap: its length */
    if (s->msi_vectors &&
        !msi_init(dev, 0x80, s->msi_vectors, true, true, errp)) {
        return false;
    }
    return true;
}

static void testdev_reset(DeviceState *qdev)
{
    PCITestDevState *s = PCI_TESTDEV(qdev);

    s->irq_level = 0;
    pci_device_reset(PCI_DEVICE(qdev));
}

static const VMStateDescription vmstate_testdev = {
    .name = "pci-testdev",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8_ARRAY(parent_obj.config, PCITestDevState,
                            PCI_CONFIG_SPACE_SIZE),
        VMSTATE_UINT8(parent_obj.irq_state, PCITestDevState),
        VMSTATE_UINT8_ARRAY(mmio_buf, PCITestDevState, 4096),
        VMSTATE_UINT8_ARRAY(io_buf, PCITestDevState, 256),
        VMSTATE_UINT32(irq_level, PCITestDevState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property testdev_props[] = {
    DEFINE_PROP_UINT32("msi-vectors", PCITestDevState, msi_vectors, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void testdev_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    dc->props = testdev_props;
    dc->desc = "PCI test device (BARs of each kind, INTx, MSI)";
    dc->user_creatable = true;
    dc->reset = testdev_reset;
    dc->vmsd = &vmstate_testdev;
    pc->realize = testdev_realize;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = 0x0005;
    pc->class_id = PCI_CLASS_OTHERS;
}

static const TypeInfo testdev_info = {
    .name = TYPE_PCI_TESTDEV,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PCITestDevState),
    .class_size = sizeof(PCIDeviceClass),
    .class_init = testdev_class_init,
};

TYPE_REGISTER(testdev_info)
