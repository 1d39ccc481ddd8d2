/*
 * virtio-pci transport (virtio 1.2, 4.1); see hw/virtio/virtio-pci.c.
 *
 * A virtio-pci device ("virtio-blk-pci", ...) is a PCI function that owns
 * a virtio bus holding its virtio device ("virtio-blk-device", ...),
 * created with it: the device's properties are the proxy's too, so
 *     -device virtio-blk-pci,drive=d0,num-queues=2,vectors=3
 * sets drive and num-queues on the virtio-blk device, vectors on the PCI
 * function.  Each -pci type is one registration:
 *
 *     static const VirtioPCIDeviceTypeInfo virtio_net_pci_info = {
 *         .name = "virtio-net-pci", .vdev_type = TYPE_VIRTIO_NET,
 *         .class_id = PCI_CLASS_NETWORK_ETHERNET,
 *         .desc = "virtio network device (PCI)",
 *         .category = DEVICE_CATEGORY_NETWORK,
 *     };
 *     VIRTIO_PCI_TYPE_REGISTER(virtio_net_pci_info)
 */
#ifndef HW_VIRTIO_VIRTIO_PCI_H
#define HW_VIRTIO_VIRTIO_PCI_H

#include "hw/pci/pci.h"
#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_PCI "virtio-pci"

#define PCI_VENDOR_ID_REDHAT_QUMRANET   0x1af4
#define VIRTIO_PCI_DEVICE_ID_MODERN     0x1040  /* + virtio device id */

#define PCI_CLASS_STORAGE_SCSI          0x0100
#define PCI_CLASS_NETWORK_ETHERNET      0x0200
#define PCI_CLASS_COMMUNICATION_OTHER   0x0780

/* Vendor capability types (4.1.4) */
#define VIRTIO_PCI_CAP_COMMON_CFG   1
#define VIRTIO_PCI_CAP_NOTIFY_CFG   2
#define VIRTIO_PCI_CAP_ISR_CFG      3
#define VIRTIO_PCI_CAP_DEVICE_CFG   4
#define VIRTIO_PCI_CAP_PCI_CFG      5

/* Where things are: BAR numbers and offsets in the modern BAR */
#define VIRTIO_PCI_LEGACY_BAR       0       /* I/O, transitional only */
#define VIRTIO_PCI_MSIX_BAR         1
#define VIRTIO_PCI_MODERN_BAR       4       /* 64-bit memory */
#define VIRTIO_PCI_COMMON_OFF       0x0000
#define VIRTIO_PCI_ISR_OFF          0x1000
#define VIRTIO_PCI_DEVICE_OFF       0x2000
#define VIRTIO_PCI_NOTIFY_OFF       0x3000
#define VIRTIO_PCI_REGION_SIZE      0x1000
#define VIRTIO_PCI_NOTIFY_MULT      4       /* queue n at NOTIFY + 4n */
#define VIRTIO_PCI_MODERN_SIZE      0x4000
#define VIRTIO_PCI_MAX_VECTORS      128     /* MSI-X table saved inline */
#define VIRTIO_PCI_MSIX_STATE       (VIRTIO_PCI_MAX_VECTORS * 16 + 16)

typedef struct VirtIOPCIProxy {
    PCIDevice parent_obj;
    VirtioBusState *bus;
    VirtIODevice *vdev;          /* created with the proxy */
    MemoryRegion modern_bar, common, isr, device, notify;
    MemoryRegion legacy_io;
    uint8_t pci_cfg_cap;         /* VIRTIO_PCI_CAP_PCI_CFG offset */
    bool legacy_on, modern_on;   /* the interfaces offered */

    uint32_t dfselect, gfselect;
    uint64_t guest_features;     /* as written, both halves */
    /* MSI-X table and PBA as saved (vmstate: pre_save / post_load) */
    uint8_t msix_state[VIRTIO_PCI_MSIX_STATE];
    uint32_t msix_state_len;

    /* properties */
    uint32_t nvectors;           /* MSI-X vectors (auto: queues + 1) */
    char *disable_legacy;        /* "on", "off", "auto" (off on PCIe) */
    bool disable_modern;
} VirtIOPCIProxy;

typedef struct VirtioPCIClass {
    PCIDeviceClass parent_class;
    const char *vdev_type;       /* the virtio device a proxy creates */
} VirtioPCIClass;

DECLARE_INSTANCE_CHECKER(VirtIOPCIProxy, VIRTIO_PCI, TYPE_VIRTIO_PCI)
DECLARE_CLASS_CHECKERS(VirtioPCIClass, VIRTIO_PCI, TYPE_VIRTIO_PCI)

typedef struct VirtioPCIDeviceTypeInfo {
    const char *name;            /* "virtio-blk-pci" */
    const char *vdev_type;       /* TYPE_VIRTIO_BLK */
    uint16_t class_id;           /* PCI class and subclass */
    const char *desc;
    DeviceCategory category;
} VirtioPCIDeviceTypeInfo;

/* Register the -pci type of a virtio device (at start-up). */
void virtio_pci_type_register(const VirtioPCIDeviceTypeInfo *t);
#define VIRTIO_PCI_TYPE_REGISTER(info)                                   \
    static void __attribute__((constructor)) do_virtio_pci_##info(void)  \
    {                                                                   \
        virtio_pci_type_register(&(info));                              \
    }

/* The virtio device inside a proxy (boards: set its drive property). */
VirtIODevice *virtio_pci_get_vdev(PCIDevice *dev);

#endif
