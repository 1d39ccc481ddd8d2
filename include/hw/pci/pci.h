/*
 * Conventional PCI: the bus ("PCI"), devices with a 256-byte type-0
 * configuration space, BARs mapped through the memory API, INTx.
 *
 *   bus      a PCIBus is created by a host bridge over two regions it owns
 *            (PCI memory space, PCI I/O space) and routes INTx through its
 *            map_irq/set_irq callbacks (PCI Local Bus Spec 3.0, 2.2.6).
 *   device   subclasses of "pci-device" fill PCIDeviceClass ids and a
 *            pci_realize hook that registers BARs (pci_register_bar) and
 *            capabilities (pci_add_capability).  Property "addr"
 *            (SLOT or SLOT.FN, default: first free slot) and
 *            "multifunction".
 *   config   wmask says which bits the guest may write, w1cmask which bits
 *            are write-1-to-clear (status).  The command register's
 *            I/O and memory enable bits gate decoding of every BAR.
 *   BARs     writing all-ones reads back the size mask (PCI 3.0, 6.2.5.1);
 *            a BAR is mapped into the bus's memory or I/O region at the
 *            programmed address while the matching command bit is on.
 */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include "hw/core/qdev.h"
#include "exec/memory.h"

#define TYPE_PCI_BUS "PCI"
#define TYPE_PCI_DEVICE "pci-device"

#define PCI_CONFIG_SPACE_SIZE 256
#define PCI_NUM_REGIONS 7          /* 6 BARs + expansion ROM */
#define PCI_ROM_SLOT 6
#define PCI_NUM_PINS 4             /* INTA..INTD */
#define PCI_DEVFN(slot, fn) ((((slot) & 0x1f) << 3) | ((fn) & 7))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn) & 7)

/* config space registers (type 0 header) */
#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_COMMAND             0x04
#define  PCI_COMMAND_IO         0x1
#define  PCI_COMMAND_MEMORY     0x2
#define  PCI_COMMAND_MASTER     0x4
#define  PCI_COMMAND_SERR       0x100
#define  PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS              0x06
#define  PCI_STATUS_INTERRUPT   0x08
#define  PCI_STATUS_CAP_LIST    0x10
#define  PCI_STATUS_DEVSEL_MEDIUM 0x200
#define PCI_REVISION_ID         0x08
#define PCI_CLASS_PROG          0x09
#define PCI_CLASS_DEVICE        0x0a
#define PCI_CACHE_LINE_SIZE     0x0c
#define PCI_LATENCY_TIMER       0x0d
#define PCI_HEADER_TYPE         0x0e
#define  PCI_HEADER_TYPE_MULTI_FUNCTION 0x80
#define PCI_BASE_ADDRESS_0      0x10
#define  PCI_BASE_ADDRESS_SPACE_IO     0x01
#define  PCI_BASE_ADDRESS_MEM_TYPE_64  0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH 0x08
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID        0x2e
#define PCI_ROM_ADDRESS         0x30
#define PCI_CAPABILITY_LIST     0x34
#define PCI_INTERRUPT_LINE      0x3c
#define PCI_INTERRUPT_PIN       0x3d
#define PCI_CONFIG_HEADER_SIZE  0x40

#define PCI_CAP_ID_PM           0x01
#define PCI_CAP_ID_MSI          0x05
#define PCI_CAP_ID_VNDR         0x09
#define PCI_CAP_ID_MSIX         0x11
#define PCI_CAP_ID_EXP          0x10

#define PCI_VENDOR_ID_INTEL     0x8086
#define PCI_VENDOR_ID_REDHAT    0x1b36

#define PCI_CLASS_BRIDGE_HOST   0x0600
#define PCI_CLASS_BRIDGE_ISA    0x0601
#define PCI_CLASS_OTHERS        0xff00

#define PCI_BAR_UNMAPPED        (~(uint64_t)0)

typedef struct PCIBus PCIBus;
typedef struct PCIDevice PCIDevice;

/* INTx routing: device pin (0..3) -> bus interrupt line; line level. */
typedef int (*pci_map_irq_fn)(PCIDevice *dev, int pin);
typedef void (*pci_set_irq_fn)(void *opaque, int line, int level);

struct PCIBus {
    BusState parent_obj;
    bool is_express;                   /* a PCIe root bus (virt's) */
    MemoryRegion *address_space_mem;   /* where memory BARs are mapped */
    MemoryRegion *address_space_io;    /* where I/O BARs are mapped */
    PCIDevice *devices[256];           /* by devfn */
    pci_map_irq_fn map_irq;
    pci_set_irq_fn set_irq;
    void *irq_opaque;
    int nirq;
    int *irq_count;                    /* devices asserting each line */
};

typedef struct PCIIORegion {
    uint64_t size;                     /* 0: BAR not implemented */
    uint8_t type;                      /* low BAR bits: IO, 64-bit, prefetch */
    uint64_t addr;                     /* mapped address or PCI_BAR_UNMAPPED */
    MemoryRegion *memory;
} PCIIORegion;

struct PCIDevice {
    DeviceState parent_obj;
    uint8_t config[PCI_CONFIG_SPACE_SIZE];
    uint8_t wmask[PCI_CONFIG_SPACE_SIZE];
    uint8_t w1cmask[PCI_CONFIG_SPACE_SIZE];
    uint8_t used[PCI_CONFIG_SPACE_SIZE];   /* capability bytes allocated */
    int32_t devfn;                     /* "addr"; -1: first free slot */
    bool multifunction;
    PCIBus *bus;
    PCIIORegion io_regions[PCI_NUM_REGIONS];
    uint8_t irq_state;                 /* bit per pin: asserted */
    uint8_t msi_cap;                   /* MSI capability offset (msi.h) */
    /* MSI-X (msix.h): capability offset (0: none), vectors, the table
     * and pending bits, and the BAR holding them */
    uint8_t msix_cap;
    uint16_t msix_nr;
    uint8_t *msix_table;
    uint8_t *msix_pba;
    MemoryRegion msix_bar, msix_table_mmio, msix_pba_mmio;
};

typedef struct PCIDeviceClass {
    DeviceClass parent_class;
    bool (*realize)(PCIDevice *dev, Error **errp);
    void (*exit)(PCIDevice *dev);
    /* Overrides; call pci_default_* for the standard behaviour. */
    uint32_t (*config_read)(PCIDevice *dev, uint32_t addr, int len);
    void (*config_write)(PCIDevice *dev, uint32_t addr, uint32_t val, int len);
    uint16_t vendor_id;
    uint16_t device_id;
    uint8_t revision;
    uint16_t class_id;
    uint8_t prog_if;
    uint16_t subsystem_vendor_id;
    uint16_t subsystem_id;
    bool is_bridge_header;             /* not used yet: type-1 headers */
} PCIDeviceClass;

DECLARE_INSTANCE_CHECKER(PCIBus, PCI_BUS, TYPE_PCI_BUS)
DECLARE_INSTANCE_CHECKER(PCIDevice, PCI_DEVICE, TYPE_PCI_DEVICE)
DECLARE_CLASS_CHECKERS(PCIDeviceClass, PCI_DEVICE, TYPE_PCI_DEVICE)

/* The PCI core's state (config space, INTx levels; BARs remapped on
 * load): devices with their own vmsd put it first,
 *     VMSTATE_STRUCT(parent_obj, MyState, vmstate_pci_device, PCIDevice), */
extern const VMStateDescription vmstate_pci_device;

/* ---- bus (host bridges) ---- */
PCIBus *pci_bus_new(DeviceState *parent, const char *name,
                    MemoryRegion *address_space_mem,
                    MemoryRegion *address_space_io);
void pci_bus_irqs(PCIBus *bus, pci_set_irq_fn set_irq, pci_map_irq_fn map_irq,
                  void *opaque, int nirq);
PCIDevice *pci_find_device(PCIBus *bus, int busnr, int devfn);
/* Create and realize a device at devfn (-1: first free slot). */
PCIDevice *pci_create_simple(PCIBus *bus, int devfn, const char *name);
PCIDevice *pci_create_simple_multifunction(PCIBus *bus, int devfn,
                                           const char *name);

/* Config access as a host bridge sees it: no device answers all-ones. */
uint32_t pci_bus_config_read(PCIBus *bus, int busnr, int devfn, uint32_t reg,
                             int len);
void pci_bus_config_write(PCIBus *bus, int busnr, int devfn, uint32_t reg,
                          uint32_t val, int len);

/* ---- device helpers ---- */
uint32_t pci_default_read_config(PCIDevice *dev, uint32_t addr, int len);
void pci_default_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                              int len);
/* Register BAR n (size a power of two; I/O >= 4, memory >= 16 bytes). */
void pci_register_bar(PCIDevice *dev, int n, uint8_t type, MemoryRegion *mr);
uint64_t pci_get_bar_addr(PCIDevice *dev, int n);
/* Add a capability of size bytes at offset (0: first free from 0x40).
 * Returns the offset, or 0 with errp set. */
uint8_t pci_add_capability(PCIDevice *dev, uint8_t cap_id, uint8_t offset,
                           uint8_t size, Error **errp);
void pci_del_capability(PCIDevice *dev, uint8_t cap_id, uint8_t size);
uint8_t pci_find_capability(PCIDevice *dev, uint8_t cap_id);
/* Drive INTx of the device's interrupt pin (config 0x3d). */
void pci_set_irq(PCIDevice *dev, int level);
static inline void pci_irq_assert(PCIDevice *dev) { pci_set_irq(dev, 1); }
static inline void pci_irq_deassert(PCIDevice *dev) { pci_set_irq(dev, 0); }
/* The standard reset (subclasses overriding DeviceClass.reset call it). */
void pci_device_reset(PCIDevice *dev);
/* Re-evaluate BAR mappings after a config change (done automatically). */
void pci_update_mappings(PCIDevice *dev);

static inline void pci_set_word(uint8_t *cfg, uint16_t v)
{
    st16_le_p(cfg, v);
}
static inline void pci_set_long(uint8_t *cfg, uint32_t v)
{
    st32_le_p(cfg, v);
}
static inline uint16_t pci_get_word(const uint8_t *cfg)
{
    return ld16_le_p(cfg);
}
static inline uint32_t pci_get_long(const uint8_t *cfg)
{
    return ld32_le_p(cfg);
}

#endif
