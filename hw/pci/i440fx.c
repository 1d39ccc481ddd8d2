/*
 * Intel 440FX host bridge (82441FX PMC) - see include/hw/pci/i440fx.h.
 *
 *   I/O 0xcf8 (4)    CONFIG_ADDRESS
 *   I/O 0xcfc (4)    CONFIG_DATA
 *   PCI 00.0         8086:1237, class 0600 (host bridge), no BARs
 *   regions          PAM aliases over 0xc0000-0xfffff (priority 1 in
 *                    system memory)
 */
#include "turtle/osdep.h"
#include "hw/pci/i440fx.h"
#include "migration/vmstate.h"

#define I440FX_PCI_DEVICE_ID 0x1237

/* PAM segment i: 0 is 0xf0000 (64 KiB), 1..12 are 16 KiB from 0xc0000 */
static void pam_segment(int i, hwaddr *start, uint64_t *size)
{
    if (i == 0) {
        *start = 0xf0000;
        *size = 0x10000;
    } else {
        *start = 0xc0000 + (i - 1) * 0x4000;
        *size = 0x4000;
    }
}

/* Attribute bits of segment i: RE (bit 0) and WE (bit 1) */
static unsigned pam_attr(I440FXState *d, int i)
{
    uint8_t v;

    if (i == 0) {
        v = d->parent_obj.config[I440FX_PAM] >> 4;
    } else {
        v = d->parent_obj.config[I440FX_PAM + (i + 1) / 2];
        v = (i & 1) ? v : v >> 4;
    }
    return v & 3;
}

static void i440fx_update_pam(I440FXState *d)
{
    memory_region_transaction_begin();
    for (int i = 0; i < I440FX_NUM_PAM; i++) {
        unsigned attr = pam_attr(d, i);
        unsigned mode = attr == 3 ? 2 : attr == 1 ? 1 : 0;
        PAMMemoryRegion *p = &d->pam[i];

        if (mode != p->current) {
            memory_region_set_enabled(&p->alias[p->current], false);
            memory_region_set_enabled(&p->alias[mode], true);
            p->current = mode;
        }
    }
    memory_region_transaction_commit();
}

static void i440fx_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                                int len)
{
    pci_default_write_config(dev, addr, val, len);
    if (addr < I440FX_PAM + I440FX_PAM_SIZE && addr + len > I440FX_PAM) {
        i440fx_update_pam(I440FX_PCI_DEVICE(dev));
    }
}

static bool i440fx_pci_realize(PCIDevice *dev, Error **errp)
{
    /* PAM registers and SMRAM are writable; SMRAM bit 1 (G_SMRAME) */
    memset(dev->wmask + I440FX_PAM, 0x33, I440FX_PAM_SIZE);
    dev->wmask[I440FX_PAM] = 0x30;
    dev->wmask[I440FX_SMRAM] = 0x78;
    dev->config[I440FX_SMRAM] = 0x02;
    pci_set_word(dev->config + PCI_STATUS, PCI_STATUS_DEVSEL_MEDIUM);
    return true;
}

static void i440fx_pci_reset(DeviceState *qdev)
{
    I440FXState *d = I440FX_PCI_DEVICE(qdev);
    PCIDevice *dev = PCI_DEVICE(qdev);

    pci_device_reset(dev);
    memset(dev->config + I440FX_PAM, 0, I440FX_PAM_SIZE);
    dev->config[I440FX_SMRAM] = 0x02;
    if (d->system_memory) {
        i440fx_update_pam(d);
    }
}

static int i440fx_post_load(void *opaque, int version_id)
{
    I440FXState *d = opaque;
    PCIDevice *dev = opaque;

    pci_update_mappings(dev);
    i440fx_update_pam(d);
    return 0;
}

static const VMStateDescription vmstate_i440fx = {
    .name = "I440FX",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = i440fx_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8_ARRAY(parent_obj.config, I440FXState,
                            PCI_CONFIG_SPACE_SIZE),
        VMSTATE_END_OF_LIST()
    },
};

static void i440fx_pci_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    dc->desc = "Host bridge (Intel 440FX)";
    dc->category = DEVICE_CATEGORY_BRIDGE;
    dc->reset = i440fx_pci_reset;
    dc->vmsd = &vmstate_i440fx;
    dc->user_creatable = false;
    pc->realize = i440fx_pci_realize;
    pc->config_write = i440fx_write_config;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = I440FX_PCI_DEVICE_ID;
    pc->revision = 0x02;
    pc->class_id = PCI_CLASS_BRIDGE_HOST;
}

static void i440fx_host_class_init(ObjectClass *oc, void *data)
{
    DEVICE_CLASS(oc)->desc = "i440FX PCI host bridge";
}

static const TypeInfo i440fx_types[] = {
    {
        .name = TYPE_I440FX_PCI_DEVICE,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(I440FXState),
        .class_size = sizeof(PCIDeviceClass),
        .class_init = i440fx_pci_class_init,
    },
    {
        .name = TYPE_I440FX_PCI_HOST_BRIDGE,
        .parent = TYPE_PCI_HOST_BRIDGE,
        .instance_size = sizeof(PCIHostState),
        .class_init = i440fx_host_class_init,
    },
};

DEFINE_TYPES(i440fx_types)

PCIBus *i440fx_init(MemoryRegion *system_memory, MemoryRegion *system_io,
                    MemoryRegion *pci_address_space, MemoryRegion *ram,
                    PCIHostState **host)
{
    DeviceState *dev = qdev_new(TYPE_I440FX_PCI_HOST_BRIDGE);
    PCIHostState *s = PCI_HOST_BRIDGE(dev);
    I440FXState *d;

    s->bus = pci_bus_new(dev, "pci.0", pci_address_space, system_io);
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    /* the host bridge decodes CONFIG_ADDRESS/DATA itself, before the PCI
     * bus: an I/O BAR programmed over 0xcf8 (BARs sit at priority 1) must
     * not lock the guest out of configuration space */
    memory_region_add_subregion_overlap(system_io, 0xcf8, &s->conf_mem, 2);
    memory_region_add_subregion_overlap(system_io, 0xcfc, &s->data_mem, 2);

    {
        DeviceState *fd = qdev_new(TYPE_I440FX_PCI_DEVICE);
        PCIDevice *pd = PCI_DEVICE(fd);

        pd->devfn = 0;
        d = I440FX_PCI_DEVICE(fd);
        d->system_memory = system_memory;
        d->pci_address_space = pci_address_space;
        d->ram_memory = ram;
        for (int i = 0; i < I440FX_NUM_PAM; i++) {
            PAMMemoryRegion *p = &d->pam[i];
            hwaddr start;
            uint64_t size;

            pam_segment(i, &start, &size);
            memory_region_init_alias(&p->alias[0], OBJECT(fd), "pam-pci",
                                     pci_address_space, start, size);
            memory_region_init_alias(&p->alias[1], OBJECT(fd), "pam-rom",
                                     ram, start, size);
            memory_region_set_readonly(&p->alias[1], true);
            memory_region_init_alias(&p->alias[2], OBJECT(fd), "pam-ram",
                                     ram, start, size);
            for (int m = 0; m < 3; m++) {
                memory_region_set_enabled(&p->alias[m], m == 0);
                memory_region_add_subregion_overlap(system_memory, start,
                                                    &p->alias[m], 1);
            }
            p->current = 0;
        }
        qdev_realize_and_unref(fd, BUS(s->bus), &error_fatal);
    }
    if (host) {
        *host = s;
    }
    return s->bus;
}
