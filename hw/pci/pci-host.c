/*
 * PCI host bridge base: configuration mechanism #1.
 *
 *   conf_mem  4 bytes: CONFIG_ADDRESS (dword accesses only; other sizes
 *             read all-ones and are dropped, as they go to ISA on a PC,
 *             except a byte at +1 when cf9_ops is set)
 *   data_mem  4 bytes: CONFIG_DATA, byte/word/dword at any offset that
 *             stays inside the dword
 * See include/hw/pci/pci-host.h.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/pci/pci-host.h"
#include "migration/vmstate.h"

#define CONFIG_ADDRESS_ENABLE 0x80000000u

uint32_t pci_host_config_read(PCIHostState *s, uint32_t addr, int len)
{
    uint32_t reg = (addr & 0xfc) | (addr & 3);

    return pci_bus_config_read(s->bus, (addr >> 16) & 0xff,
                               (addr >> 8) & 0xff, reg, len);
}

void pci_host_config_write(PCIHostState *s, uint32_t addr, uint32_t val,
                           int len)
{
    uint32_t reg = (addr & 0xfc) | (addr & 3);

    pci_bus_config_write(s->bus, (addr >> 16) & 0xff, (addr >> 8) & 0xff,
                         reg, val, len);
}

static uint64_t pci_host_conf_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIHostState *s = opaque;

    if (addr == 1 && size == 1 && s->cf9_ops) {
        return s->cf9_ops->read(s->cf9_opaque, 0, 1);
    }
    if (addr != 0 || size != 4) {
        return ~0ull >> (64 - 8 * size);
    }
    return s->config_reg;
}

static void pci_host_conf_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    PCIHostState *s = opaque;

    if (addr == 1 && size == 1 && s->cf9_ops) {
        s->cf9_ops->write(s->cf9_opaque, 0, val, 1);
        return;
    }
    if (addr != 0 || size != 4) {
        tlog_mask(LOG_GUEST_ERROR, "pci-host: %u-byte write to "
                  "CONFIG_ADDRESS+%u ignored\n", size, (unsigned)addr);
        return;
    }
    /* bits 1:0 are reserved and read as 0 */
    s->config_reg = (uint32_t)val & ~3u;
}

static uint64_t pci_host_data_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIHostState *s = opaque;

    if (!(s->config_reg & CONFIG_ADDRESS_ENABLE) || (addr & 3) + size > 4) {
        return ~0ull >> (64 - 8 * size);
    }
    return pci_host_config_read(s, s->config_reg | (addr & 3), size);
}

static void pci_host_data_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    PCIHostState *s = opaque;

    if (!(s->config_reg & CONFIG_ADDRESS_ENABLE) || (addr & 3) + size > 4) {
        return;
    }
    pci_host_config_write(s, s->config_reg | (addr & 3), val, size);
}

static const MemoryRegionOps pci_host_conf_ops = {
    .read = pci_host_conf_read,
    .write = pci_host_conf_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4,
               .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 4,
              .unaligned = true },
};

static const MemoryRegionOps pci_host_data_ops = {
    .read = pci_host_data_read,
    .write = pci_host_data_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4,
               .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 4,
              .unaligned = true },
};

static void pci_host_init(Object *obj)
{
    PCIHostState *s = PCI_HOST_BRIDGE(obj);

    memory_region_init_io(&s->conf_mem, obj, &pci_host_conf_ops, s,
                          "pci-conf-idx", 4);
    memory_region_init_io(&s->data_mem, obj, &pci_host_data_ops, s,
                          "pci-conf-data", 4);
}

static void pci_host_reset(DeviceState *dev)
{
    PCI_HOST_BRIDGE(dev)->config_reg = 0;
}

static const VMStateDescription vmstate_pci_host = {
    .name = "pci-host",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(config_reg, PCIHostState),
        VMSTATE_END_OF_LIST()
    },
};

static void pci_host_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->reset = pci_host_reset;
    dc->vmsd = &vmstate_pci_host;
    dc->category = DEVICE_CATEGORY_BRIDGE;
}

static const TypeInfo pci_host_info = {
    .name = TYPE_PCI_HOST_BRIDGE,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(PCIHostState),
    .instance_init = pci_host_init,
    .class_init = pci_host_class_init,
    .abstract = true,
};

TYPE_REGISTER(pci_host_info)
