/*
 * PIIX3 PCI-to-ISA bridge (function 0) - see include/hw/pci/piix3.h.
 *
 *   PCI 01.0        8086:7000 class 0601, header 0x80 (multi-function)
 *   I/O 0xcf9       reset control register
 *   config 0x60-63  PIRQRC[A-D]: PCI INTx -> ISA IRQ routing
 *   gpio out        "isa-irq" 16 lines
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/pci/piix3.h"
#include "hw/pci/pci-host.h"
#include "migration/vmstate.h"
#include "sysemu/runstate.h"

#define PIIX3_DEVICE_ID 0x7000
#define PIIX_IORT     0x4c
#define PIIX_XBCS     0x4e
#define PIIX_TOM      0x69
#define PIIX_MBIRQ0   0x70
#define PIIX_APICBASE 0x80
#define PIIX_DLC      0x82
#define PIIX_SMICNTL  0xa0
#define PIIX_RCR_SYS_RST 0x02
#define PIIX_RCR_RST_CPU 0x04

static int piix3_map_irq(PCIDevice *dev, int pin)
{
    return (PCI_SLOT(dev->devfn) + pin) & 3;
}

/* Drive every ISA IRQ whose PCI-side level changed. */
static void piix3_update_irqs(PIIX3State *s)
{
    uint8_t *cfg = s->parent_obj.config;
    uint16_t levels = 0;

    for (int pirq = 0; pirq < PIIX_NUM_PIRQS; pirq++) {
        uint8_t route = cfg[PIIX_PIRQRC + pirq];
        if (!(route & 0x80) && (s->pirq_level & (1 << pirq))) {
            levels |= 1 << (route & 0xf);
        }
    }
    for (int irq = 0; irq < ISA_NUM_IRQS; irq++) {
        uint16_t bit = 1 << irq;
        if ((levels ^ s->pci_isa_levels) & bit) {
            qemu_set_irq(s->isa_irq_out[irq], !!(levels & bit));
        }
    }
    s->pci_isa_levels = levels;
}

static void piix3_set_irq(void *opaque, int pirq, int level)
{
    PIIX3State *s = opaque;

    if (level) {
        s->pirq_level |= 1 << pirq;
    } else {
        s->pirq_level &= ~(1 << pirq);
    }
    piix3_update_irqs(s);
}

static void piix3_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                               int len)
{
    pci_default_write_config(dev, addr, val, len);
    if (addr < PIIX_PIRQRC + PIIX_NUM_PIRQS && addr + len > PIIX_PIRQRC) {
        piix3_update_irqs(PIIX3(dev));
    }
}

static uint64_t piix3_rcr_read(void *opaque, hwaddr addr, unsigned size)
{
    return PIIX3(opaque)->rcr;
}

static void piix3_rcr_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    PIIX3State *s = opaque;

    if (val & PIIX_RCR_RST_CPU) {
        /* soft (INIT) and hard reset both restart the machine here */
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        return;
    }
    s->rcr = val & PIIX_RCR_SYS_RST;
}

static const MemoryRegionOps piix3_rcr_ops = {
    .read = piix3_rcr_read,
    .write = piix3_rcr_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static void piix3_init(Object *obj)
{
    PIIX3State *s = PIIX3(obj);

    qdev_init_gpio_out_named(DEVICE(obj), s->isa_irq_out, "isa-irq",
                             ISA_NUM_IRQS);
}

void piix3_attach_rcr(PIIX3State *s, PCIHostState *host)
{
    /* 0xcf9 lies inside CONFIG_ADDRESS's dword: the host bridge forwards
     * byte accesses there (a separate region would split dword accesses
     * to 0xcf8) */
    host->cf9_ops = &piix3_rcr_ops;
    host->cf9_opaque = s;
}

static bool piix3_realize(PCIDevice *dev, Error **errp)
{
    PIIX3State *s = PIIX3(dev);

    pci_set_word(dev->config + PCI_STATUS, PCI_STATUS_DEVSEL_MEDIUM);
    /* a multi-function device even when created without the property */
    dev->config[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_MULTI_FUNCTION;
    memset(dev->wmask + PIIX_PIRQRC, 0x8f, PIIX_NUM_PIRQS);
    dev->wmask[PIIX_IORT] = 0xff;
    dev->wmask[PIIX_XBCS] = 0xff;
    dev->wmask[PIIX_XBCS + 1] = 0x03;
    dev->wmask[PIIX_TOM] = 0xfe;
    dev->wmask[PIIX_MBIRQ0] = 0xcf;
    dev->wmask[PIIX_MBIRQ0 + 1] = 0xcf;
    dev->wmask[PIIX_APICBASE] = 0x7f;
    dev->wmask[PIIX_DLC] = 0x0f;
    memset(dev->wmask + PIIX_SMICNTL, 0xff, 8);

    s->isa_bus = isa_bus_new(DEVICE(dev), dev->bus->address_space_io);
    pci_bus_irqs(dev->bus, piix3_set_irq, piix3_map_irq, s, PIIX_NUM_PIRQS);
    return true;
}

static void piix3_reset(DeviceState *qdev)
{
    PIIX3State *s = PIIX3(qdev);
    PCIDevice *dev = PCI_DEVICE(qdev);
    uint8_t *cfg = dev->config;

    pci_device_reset(dev);
    pci_set_word(cfg + PCI_COMMAND, 0x0007);
    cfg[PIIX_IORT] = 0x4d;
    cfg[PIIX_XBCS] = 0x03;
    cfg[PIIX_XBCS + 1] = 0x00;
    memset(cfg + PIIX_PIRQRC, 0x80, PIIX_NUM_PIRQS);
    cfg[PIIX_TOM] = 0x02;
    cfg[PIIX_MBIRQ0] = cfg[PIIX_MBIRQ0 + 1] = 0x80;
    cfg[PIIX_APICBASE] = 0x00;
    cfg[PIIX_DLC] = 0x00;
    memset(cfg + PIIX_SMICNTL, 0, 8);
    cfg[PIIX_SMICNTL + 2] = 0x08;   /* SMIEN default: APMC enable */
    s->pirq_level = 0;
    s->rcr = 0;
    piix3_update_irqs(s);
}

static int piix3_post_load(void *opaque, int version_id)
{
    PIIX3State *s = opaque;

    /* the saved levels were driven before the save; the lines' targets
     * restore their own state, so only resynchronise the cache */
    piix3_update_irqs(s);
    return 0;
}

static const VMStateDescription vmstate_piix3 = {
    .name = "PIIX3",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = piix3_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8_ARRAY(parent_obj.config, PIIX3State,
                            PCI_CONFIG_SPACE_SIZE),
        VMSTATE_UINT8(parent_obj.irq_state, PIIX3State),
        VMSTATE_UINT8(pirq_level, PIIX3State),
        VMSTATE_UINT16(pci_isa_levels, PIIX3State),
        VMSTATE_UINT8(rcr, PIIX3State),
        VMSTATE_END_OF_LIST()
    },
};

static void piix3_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    dc->desc = "ISA bridge (Intel PIIX3)";
    dc->category = DEVICE_CATEGORY_BRIDGE;
    dc->reset = piix3_reset;
    dc->vmsd = &vmstate_piix3;
    pc->realize = piix3_realize;
    pc->config_write = piix3_write_config;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = PIIX3_DEVICE_ID;
    pc->class_id = PCI_CLASS_BRIDGE_ISA;
}

static const TypeInfo piix3_info = {
    .name = TYPE_PIIX3_DEVICE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PIIX3State),
    .class_size = sizeof(PCIDeviceClass),
    .instance_init = piix3_init,
    .class_init = piix3_class_init,
};

TYPE_REGISTER(piix3_info)

PIIX3State *piix3_create(PCIBus *bus, int devfn, qemu_irq *isa_irqs)
{
    PCIDevice *dev = pci_create_simple_multifunction(bus, devfn,
                                                     TYPE_PIIX3_DEVICE);
    PIIX3State *s = PIIX3(dev);

    isa_bus_irqs(s->isa_bus, isa_irqs);
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        qdev_connect_gpio_out_named(DEVICE(dev), "isa-irq", i, isa_irqs[i]);
    }
    return s;
}
