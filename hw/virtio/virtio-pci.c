/*
 * virtio-pci transport, virtio 1.2 section 4.1: the modern capability
 * layout with MSI-X, and the legacy I/O interface of transitional devices.
 *
 * PCI function  vendor 1af4; modern-only: device 1040 + virtio id,
 *               revision 1; transitional: device 1000 + (id - 1) (net
 *               1000, blk 1001, console 1003, rng 1005), revision 0;
 *               subsystem 1af4:<virtio id>; interrupt pin INTA
 * BAR0          I/O, legacy registers (transitional only; 4.1.4.10):
 *               host features 0x00, guest features 0x04, queue PFN 0x08,
 *               queue size 0x0c, queue select 0x0e, queue notify 0x10,
 *               status 0x12, ISR 0x13, with MSI-X enabled config vector
 *               0x14 and queue vector 0x16; device config at 0x14 / 0x18
 * BAR1          MSI-X table and PBA (vectors > 0)
 * BAR4          64-bit memory, 16 KiB (modern): common configuration
 *               0x0000, ISR 0x1000, device configuration 0x2000,
 *               notifications 0x3000 (queue n at 0x3000 + 4n)
 * capabilities  MSI-X, then vendor-specific (0x09) COMMON, ISR, DEVICE,
 *               NOTIFY (multiplier 4) and PCI_CFG (4.1.4.9: BAR access
 *               through config space, for firmware)
 * interrupts    MSI-X when enabled (per queue and configuration vectors),
 *               else INTx, high while the ISR is non-zero (reading the
 *               ISR clears it)
 * properties    vectors (default: queues + 1; 0: no MSI-X),
 *               disable-legacy=on|off|auto (auto: no legacy interface on
 *               a PCI Express bus, as QEMU), disable-modern; plus every
 *               property of the virtio device it holds
 *
 * Model choices: a queue's registers are ignored (logged) while it is
 * enabled; MSI-X vectors beyond the table read back NO_VECTOR (4.1.5.1.2);
 * DMA goes to system memory.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/pci/msix.h"
#include "migration/vmstate.h"

/* common configuration (4.1.4.3) */
enum {
    C_DFSELECT = 0x00, C_DF = 0x04, C_GFSELECT = 0x08, C_GF = 0x0c,
    C_MSIX_CONFIG = 0x10, C_NUM_QUEUES = 0x12, C_STATUS = 0x14,
    C_CFG_GENERATION = 0x15, C_Q_SELECT = 0x16, C_Q_SIZE = 0x18,
    C_Q_MSIX = 0x1a, C_Q_ENABLE = 0x1c, C_Q_NOFF = 0x1e, C_Q_DESCLO = 0x20,
    C_Q_DESCHI = 0x24, C_Q_AVAILLO = 0x28, C_Q_AVAILHI = 0x2c,
    C_Q_USEDLO = 0x30, C_Q_USEDHI = 0x34, C_Q_NOTIFY_DATA = 0x38,
    C_Q_RESET = 0x3a,
};

/* legacy registers (4.1.4.10) */
enum {
    L_HOST_FEATURES = 0x00, L_GUEST_FEATURES = 0x04, L_QUEUE_PFN = 0x08,
    L_QUEUE_NUM = 0x0c, L_QUEUE_SEL = 0x0e, L_QUEUE_NOTIFY = 0x10,
    L_STATUS = 0x12, L_ISR = 0x13, L_MSIX_CONFIG = 0x14, L_MSIX_QUEUE = 0x16,
};

#define VIRTIO_PCI_CAP_LEN          16
#define VIRTIO_PCI_NOTIFY_CAP_LEN   20
#define VIRTIO_PCI_CFG_CAP_LEN      20
#define VIRTIO_PCI_CFG_DATA         16     /* pci_cfg_data in that cap */

static VirtQueue *proxy_vq(VirtIOPCIProxy *p)
{
    return virtio_get_queue(p->vdev, p->vdev->queue_sel);
}

static unsigned proxy_num_queues(VirtIODevice *vdev)
{
    unsigned n = 0;

    while (n < VIRTIO_QUEUE_MAX && virtio_queue_exists(vdev, n)) {
        n++;
    }
    return n;
}

static void proxy_update_intx(VirtIOPCIProxy *p)
{
    PCIDevice *dev = PCI_DEVICE(p);

    pci_set_irq(dev, !msix_enabled(dev) && p->vdev->isr != 0);
}

/* A vector the driver asks for: NO_VECTOR unless the table has it. */
static uint16_t proxy_check_vector(VirtIOPCIProxy *p, uint16_t v)
{
    return v < msix_nr_vectors(PCI_DEVICE(p)) ? v : VIRTIO_NO_VECTOR;
}

static bool proxy_queue_writable(VirtQueue *vq, const char *what)
{
    if (vq->enabled) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-pci: %s of queue %u written while "
                  "it is enabled: ignored\n", what, vq->queue_index);
        return false;
    }
    return true;
}

static void set_half(uint64_t *v, bool hi, uint32_t x)
{
    *v = hi ? (*v & 0xffffffffull) | (uint64_t)x << 32
            : (*v & ~0xffffffffull) | x;
}

/* ---- common configuration ---- */

static uint64_t common_read(void *opaque, hwaddr off, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = proxy_vq(p);

    switch (off) {
    case C_DFSELECT:
        return p->dfselect;
    case C_DF:
        return p->dfselect < 2 ?
               (uint32_t)(virtio_host_features(vdev) >> (32 * p->dfselect)) : 0;
    case C_GFSELECT:
        return p->gfselect;
    case C_GF:
        return p->gfselect < 2 ?
               (uint32_t)(p->guest_features >> (32 * p->gfselect)) : 0;
    case C_MSIX_CONFIG:
        return vdev->config_vector;
    case C_NUM_QUEUES:
        return proxy_num_queues(vdev);
    case C_STATUS:
        return vdev->status;
    case C_CFG_GENERATION:
        return vdev->generation & 0xff;
    case C_Q_SELECT:
        return vdev->queue_sel;
    case C_Q_SIZE:
        return vq ? vq->num : 0;
    case C_Q_MSIX:
        return vq ? vq->vector : VIRTIO_NO_VECTOR;
    case C_Q_ENABLE:
        return vq ? vq->enabled : 0;
    case C_Q_NOFF:
        return vdev->queue_sel;     /* notify at queue index * multiplier */
    case C_Q_DESCLO: case C_Q_DESCHI:
        return vq ? (uint32_t)(vq->desc >> (off & 4 ? 32 : 0)) : 0;
    case C_Q_AVAILLO: case C_Q_AVAILHI:
        return vq ? (uint32_t)(vq->avail >> (off & 4 ? 32 : 0)) : 0;
    case C_Q_USEDLO: case C_Q_USEDHI:
        return vq ? (uint32_t)(vq->used >> (off & 4 ? 32 : 0)) : 0;
    default:
        return 0;                   /* notify_data, queue_reset, beyond */
    }
}

static void common_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = proxy_vq(p);
    uint32_t v = val;

    switch (off) {
    case C_DFSELECT:
        p->dfselect = v;
        return;
    case C_GFSELECT:
        p->gfselect = v;
        return;
    case C_GF:
        if (p->gfselect < 2) {
            set_half(&p->guest_features, p->gfselect, v);
            virtio_set_guest_features(vdev, p->guest_features);
        }
        return;
    case C_MSIX_CONFIG:
        vdev->config_vector = proxy_check_vector(p, v);
        return;
    case C_STATUS:
        vdev->legacy = false;
        virtio_set_status(vdev, v & 0xff);
        if ((v & 0xff) == 0) {
            p->guest_features = 0;
            p->dfselect = p->gfselect = 0;
        }
        proxy_update_intx(p);
        return;
    case C_Q_SELECT:
        vdev->queue_sel = v;
        return;
    }
    if (!vq) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-pci: common config 0x%x written "
                  "with queue %u selected, which does not exist\n",
                  (unsigned)off, vdev->queue_sel);
        return;
    }
    switch (off) {
    case C_Q_SIZE:
        if (proxy_queue_writable(vq, "size")) {
            virtio_queue_set_num(vdev, vdev->queue_sel, v & 0xffff);
        }
        break;
    case C_Q_MSIX:
        virtio_queue_set_vector(vdev, vdev->queue_sel,
                                proxy_check_vector(p, v));
        break;
    case C_Q_ENABLE:
        /* 4.1.4.3.2: the driver writes 1 only; 0 does not disable */
        if (v == 1) {
            virtio_queue_set_enabled(vdev, vdev->queue_sel, true);
        }
        break;
    case C_Q_DESCLO: case C_Q_DESCHI:
        if (proxy_queue_writable(vq, "descriptor address")) {
            set_half(&vq->desc, off & 4, v);
        }
        break;
    case C_Q_AVAILLO: case C_Q_AVAILHI:
        if (proxy_queue_writable(vq, "driver area address")) {
            set_half(&vq->avail, off & 4, v);
        }
        break;
    case C_Q_USEDLO: case C_Q_USEDHI:
        if (proxy_queue_writable(vq, "device area address")) {
            set_half(&vq->used, off & 4, v);
        }
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "virtio-pci: write to read-only or "
                  "unknown common config offset 0x%x\n", (unsigned)off);
        break;
    }
}

/* Fields are accessed with their own width (4.1.3.1); 64-bit ones as two
 * 32-bit halves. */
static bool common_accepts(void *opaque, hwaddr off, unsigned size,
                           bool is_write, MemTxAttrs attrs)
{
    unsigned want = off >= C_Q_DESCLO && off < C_Q_NOTIFY_DATA ? 4 :
                    off == C_STATUS || off == C_CFG_GENERATION ? 1 :
                    off >= C_MSIX_CONFIG ? 2 : 4;

    if (size != want || off % size) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-pci: %u-byte access to common "
                  "config offset 0x%x\n", size, (unsigned)off);
        return false;
    }
    return true;
}

static const MemoryRegionOps common_ops = {
    .read = common_read,
    .write = common_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4,
               .accepts = common_accepts },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- ISR, device configuration, notifications ---- */

static uint64_t isr_read(void *opaque, hwaddr off, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    uint8_t isr = off ? 0 : virtio_isr_read_clear(p->vdev);

    proxy_update_intx(p);
    return isr;
}

static void isr_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    tlog_mask(LOG_GUEST_ERROR, "virtio-pci: write to the ISR\n");
}

static const MemoryRegionOps isr_ops = {
    .read = isr_read,
    .write = isr_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static uint64_t device_read(void *opaque, hwaddr off, unsigned size)
{
    return virtio_config_read(VIRTIO_PCI(opaque)->vdev, off, size);
}

static void device_write(void *opaque, hwaddr off, uint64_t val,
                         unsigned size)
{
    virtio_config_write(VIRTIO_PCI(opaque)->vdev, off, val, size);
}

static const MemoryRegionOps device_ops = {
    .read = device_read,
    .write = device_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

static uint64_t notify_read(void *opaque, hwaddr off, unsigned size)
{
    return 0;
}

static void notify_write(void *opaque, hwaddr off, uint64_t val,
                         unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    virtio_queue_notify(p->vdev, off / VIRTIO_PCI_NOTIFY_MULT);
}

static const MemoryRegionOps notify_ops = {
    .read = notify_read,
    .write = notify_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- the legacy interface (transitional devices) ---- */

static unsigned legacy_config_off(VirtIOPCIProxy *p)
{
    return msix_enabled(PCI_DEVICE(p)) ? 0x18 : 0x14;
}

static uint64_t legacy_read(void *opaque, hwaddr off, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = proxy_vq(p);
    unsigned cfg = legacy_config_off(p);

    if (off >= cfg) {
        return virtio_config_read(vdev, off - cfg, size);
    }
    switch (off) {
    case L_HOST_FEATURES:
        return (uint32_t)virtio_host_features(vdev);
    case L_GUEST_FEATURES:
        return (uint32_t)vdev->guest_features;
    case L_QUEUE_PFN:
        return virtio_queue_get_legacy_pfn(vdev, vdev->queue_sel);
    case L_QUEUE_NUM:
        return vq ? vq->num_max : 0;
    case L_QUEUE_SEL:
        return vdev->queue_sel;
    case L_STATUS:
        return vdev->status;
    case L_ISR:
        return isr_read(p, 0, 1);
    case L_MSIX_CONFIG:
        return vdev->config_vector;
    case L_MSIX_QUEUE:
        return vq ? vq->vector : VIRTIO_NO_VECTOR;
    default:
        return 0;
    }
}

static void legacy_write(void *opaque, hwaddr off, uint64_t val,
                         unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = proxy_vq(p);
    unsigned cfg = legacy_config_off(p);

    if (off >= cfg) {
        virtio_config_write(vdev, off - cfg, val, size);
        return;
    }
    switch (off) {
    case L_GUEST_FEATURES:
        /* a legacy driver: only the offered low 32 bits can be taken */
        vdev->legacy = true;
        virtio_set_guest_features(vdev, (uint32_t)val &
                                  virtio_host_features(vdev));
        break;
    case L_QUEUE_PFN:
        if (vq) {
            vdev->legacy = true;
            virtio_queue_set_legacy_pfn(vdev, vdev->queue_sel, val);
        }
        break;
    case L_QUEUE_SEL:
        vdev->queue_sel = val;
        break;
    case L_QUEUE_NOTIFY:
        virtio_queue_notify(vdev, val & 0xffff);
        break;
    case L_STATUS:
        if (val & 0xff) {
            vdev->legacy = true;
        }
        virtio_set_status(vdev, val & 0xff);
        proxy_update_intx(p);
        break;
    case L_MSIX_CONFIG:
        vdev->config_vector = proxy_check_vector(p, val);
        break;
    case L_MSIX_QUEUE:
        if (vq) {
            virtio_queue_set_vector(vdev, vdev->queue_sel,
                                    proxy_check_vector(p, val));
        }
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "virtio-pci: legacy write to read-only "
                  "register 0x%x\n", (unsigned)off);
        break;
    }
}

static const MemoryRegionOps legacy_ops = {
    .read = legacy_read,
    .write = legacy_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- VIRTIO_PCI_CAP_PCI_CFG: the modern BAR through config space ---- */

static bool pci_cfg_target(VirtIOPCIProxy *p, hwaddr *off, unsigned *len)
{
    uint8_t *cap = PCI_DEVICE(p)->config + p->pci_cfg_cap;

    *off = pci_get_long(cap + 8);
    *len = pci_get_long(cap + 12);
    if (cap[4] != VIRTIO_PCI_MODERN_BAR ||
        (*len != 1 && *len != 2 && *len != 4) || *off % *len ||
        *off + *len > VIRTIO_PCI_MODERN_SIZE) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-pci: PCI_CFG access to BAR %u "
                  "offset 0x%x length %u: ignored\n", cap[4],
                  (unsigned)*off, *len);
        return false;
    }
    return true;
}

static MemoryRegion *modern_region(VirtIOPCIProxy *p, hwaddr *off)
{
    MemoryRegion *r[] = { &p->common, &p->isr, &p->device, &p->notify };
    unsigned i = *off / VIRTIO_PCI_REGION_SIZE;

    *off %= VIRTIO_PCI_REGION_SIZE;
    return r[i];
}

/* The checks the memory core would make for a BAR access. */
static bool pci_cfg_accepts(MemoryRegion *mr, VirtIOPCIProxy *p, hwaddr off,
                            unsigned n, bool is_write)
{
    return !mr->ops->valid.accepts ||
           mr->ops->valid.accepts(p, off, n, is_write, MEMTXATTRS_UNSPECIFIED);
}

static uint32_t proxy_config_read(PCIDevice *dev, uint32_t addr, int len)
{
    VirtIOPCIProxy *p = VIRTIO_PCI(dev);
    uint32_t data = p->pci_cfg_cap + VIRTIO_PCI_CFG_DATA;
    hwaddr off;
    unsigned n;

    if (p->pci_cfg_cap && addr == data && len == 4 &&
        pci_cfg_target(p, &off, &n)) {
        MemoryRegion *mr = modern_region(p, &off);

        if (pci_cfg_accepts(mr, p, off, n, false)) {
            pci_set_long(dev->config + data, mr->ops->read(p, off, n));
        }
    }
    return pci_default_read_config(dev, addr, len);
}

static void proxy_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                               int len)
{
    VirtIOPCIProxy *p = VIRTIO_PCI(dev);
    uint32_t data = p->pci_cfg_cap + VIRTIO_PCI_CFG_DATA;
    hwaddr off;
    unsigned n;

    pci_default_write_config(dev, addr, val, len);
    if (p->pci_cfg_cap && addr == data && len == 4 &&
        pci_cfg_target(p, &off, &n)) {
        MemoryRegion *mr = modern_region(p, &off);

        if (pci_cfg_accepts(mr, p, off, n, true)) {
            mr->ops->write(p, off, val & (0xffffffffu >> (32 - 8 * n)), n);
        }
    }
    if (!msix_enabled(dev)) {
        proxy_update_intx(p);       /* MSI-X switched off: INTx again */
    }
}

/* ---- the transport's side of the core ---- */

static void proxy_notify(DeviceState *d, uint16_t vector)
{
    VirtIOPCIProxy *p = VIRTIO_PCI(d);
    PCIDevice *dev = PCI_DEVICE(d);

    if (msix_enabled(dev)) {
        if (vector != VIRTIO_NO_VECTOR) {
            msix_notify(dev, vector);
        }
        return;
    }
    proxy_update_intx(p);
}

static bool proxy_device_plugged(DeviceState *d, VirtIODevice *vdev,
                                 Error **errp)
{
    VIRTIO_PCI(d)->vdev = vdev;
    return true;
}

static uint64_t proxy_get_features(DeviceState *d)
{
    return VIRTIO_PCI(d)->modern_on ? 1ull << VIRTIO_F_VERSION_1 : 0;
}

static const VirtioTransportOps virtio_pci_transport = {
    .notify = proxy_notify,
    .device_plugged = proxy_device_plugged,
    .get_features = proxy_get_features,
};

/* ---- realize ---- */

static uint8_t add_vendor_cap(PCIDevice *dev, uint8_t type, uint32_t off,
                              uint32_t len, uint8_t cap_len, Error **errp)
{
    uint8_t pos = pci_add_capability(dev, PCI_CAP_ID_VNDR, 0, cap_len, errp);
    uint8_t *c = dev->config + pos;

    if (!pos) {
        return 0;
    }
    c[2] = cap_len;
    c[3] = type;
    c[4] = VIRTIO_PCI_MODERN_BAR;
    pci_set_long(c + 8, off);
    pci_set_long(c + 12, len);
    return pos;
}

static bool proxy_add_modern(VirtIOPCIProxy *p, Error **errp)
{
    PCIDevice *dev = PCI_DEVICE(p);
    Object *o = OBJECT(p);
    uint8_t pos;

    memory_region_init(&p->modern_bar, o, "virtio-pci", VIRTIO_PCI_MODERN_SIZE);
    memory_region_init_io(&p->common, o, &common_ops, p, "virtio-pci-common",
                          VIRTIO_PCI_REGION_SIZE);
    memory_region_init_io(&p->isr, o, &isr_ops, p, "virtio-pci-isr",
                          VIRTIO_PCI_REGION_SIZE);
    memory_region_init_io(&p->device, o, &device_ops, p, "virtio-pci-device",
                          VIRTIO_PCI_REGION_SIZE);
    memory_region_init_io(&p->notify, o, &notify_ops, p, "virtio-pci-notify",
                          VIRTIO_PCI_REGION_SIZE);
    memory_region_add_subregion(&p->modern_bar, VIRTIO_PCI_COMMON_OFF,
                                &p->common);
    memory_region_add_subregion(&p->modern_bar, VIRTIO_PCI_ISR_OFF, &p->isr);
    memory_region_add_subregion(&p->modern_bar, VIRTIO_PCI_DEVICE_OFF,
                                &p->device);
    memory_region_add_subregion(&p->modern_bar, VIRTIO_PCI_NOTIFY_OFF,
                                &p->notify);
    pci_register_bar(dev, VIRTIO_PCI_MODERN_BAR,
                     PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &p->modern_bar);

    if (!add_vendor_cap(dev, VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_COMMON_OFF,
                        VIRTIO_PCI_REGION_SIZE, VIRTIO_PCI_CAP_LEN, errp) ||
        !add_vendor_cap(dev, VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_ISR_OFF,
                        VIRTIO_PCI_REGION_SIZE, VIRTIO_PCI_CAP_LEN, errp) ||
        !add_vendor_cap(dev, VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_PCI_DEVICE_OFF,
                        VIRTIO_PCI_REGION_SIZE, VIRTIO_PCI_CAP_LEN, errp)) {
        return false;
    }
    pos = add_vendor_cap(dev, VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_NOTIFY_OFF,
                         VIRTIO_PCI_REGION_SIZE, VIRTIO_PCI_NOTIFY_CAP_LEN,
                         errp);
    if (!pos) {
        return false;
    }
    pci_set_long(dev->config + pos + 16, VIRTIO_PCI_NOTIFY_MULT);
    /* PCI_CFG: bar, offset, length and data are the driver's to write */
    pos = add_vendor_cap(dev, VIRTIO_PCI_CAP_PCI_CFG, 0, 0,
                         VIRTIO_PCI_CFG_CAP_LEN, errp);
    if (!pos) {
        return false;
    }
    memset(dev->wmask + pos + 4, 0xff, 1);
    memset(dev->wmask + pos + 8, 0xff, 12);
    dev->config[pos + 4] = 0;
    p->pci_cfg_cap = pos;
    return true;
}

/* Transitional device ids (4.1.2.3); 0: the device has none. */
static uint16_t legacy_device_id(uint16_t virtio_id)
{
    switch (virtio_id) {
    case VIRTIO_ID_NET:     return 0x1000;
    case VIRTIO_ID_BLOCK:   return 0x1001;
    case VIRTIO_ID_CONSOLE: return 0x1003;
    case VIRTIO_ID_RNG:     return 0x1005;
    default:                return 0;
    }
}

static bool proxy_realize(PCIDevice *dev, Error **errp)
{
    VirtIOPCIProxy *p = VIRTIO_PCI(dev);
    VirtIODevice *vdev = p->vdev;
    const char *dl = p->disable_legacy ? p->disable_legacy : "auto";
    g_autofree char *busname = NULL;
    uint8_t *cfg = dev->config;
    unsigned nvec;

    if (!strcmp(dl, "auto")) {
        p->legacy_on = !dev->bus->is_express;
    } else if (!strcmp(dl, "on") || !strcmp(dl, "off")) {
        p->legacy_on = !strcmp(dl, "off");
    } else {
        error_setg(errp, "disable-legacy: '%s' is not on, off or auto", dl);
        return false;
    }
    p->modern_on = !p->disable_modern;
    if (!p->legacy_on && !p->modern_on) {
        error_setg(errp, "device is modern-only, but 'disable-modern' is on "
                   "(and disable-legacy too)");
        return false;
    }

    busname = g_strdup_printf("%s.0", qdev_name(DEVICE(dev)));
    p->bus = virtio_bus_new(DEVICE(dev), busname, &virtio_pci_transport);
    if (!qdev_realize(DEVICE(vdev), BUS(p->bus), errp)) {
        return false;
    }
    if (p->legacy_on && !legacy_device_id(vdev->device_id)) {
        if (!p->modern_on) {
            error_setg(errp, "%s has no legacy interface",
                       object_get_typename(OBJECT(vdev)));
            return false;
        }
        p->legacy_on = false;
    }

    pci_set_word(cfg + PCI_VENDOR_ID, PCI_VENDOR_ID_REDHAT_QUMRANET);
    pci_set_word(cfg + PCI_DEVICE_ID, p->legacy_on ?
                 legacy_device_id(vdev->device_id) :
                 VIRTIO_PCI_DEVICE_ID_MODERN + vdev->device_id);
    cfg[PCI_REVISION_ID] = p->legacy_on ? 0 : 1;
    pci_set_word(cfg + PCI_SUBSYSTEM_VENDOR_ID, PCI_VENDOR_ID_REDHAT_QUMRANET);
    pci_set_word(cfg + PCI_SUBSYSTEM_ID, vdev->device_id);
    cfg[PCI_INTERRUPT_PIN] = 1;

    nvec = p->nvectors == UINT32_MAX ? proxy_num_queues(vdev) + 1
                                     : p->nvectors;
    if (nvec > VIRTIO_PCI_MAX_VECTORS) {
        error_setg(errp, "vectors: at most %d (msix)", VIRTIO_PCI_MAX_VECTORS);
        return false;
    }
    if (nvec && !msix_init_exclusive_bar(dev, nvec, VIRTIO_PCI_MSIX_BAR,
                                         errp)) {
        return false;
    }
    if (p->modern_on && !proxy_add_modern(p, errp)) {
        return false;
    }
    if (p->legacy_on) {
        uint64_t size = 32;

        while (size < 0x18 + vdev->config_len) {
            size *= 2;
        }
        memory_region_init_io(&p->legacy_io, OBJECT(p), &legacy_ops, p,
                              "virtio-pci-legacy", size);
        pci_register_bar(dev, VIRTIO_PCI_LEGACY_BAR, PCI_BASE_ADDRESS_SPACE_IO,
                         &p->legacy_io);
    }
    return true;
}

static void proxy_exit(PCIDevice *dev)
{
    msix_uninit(dev);
}

static void proxy_reset(DeviceState *d)
{
    VirtIOPCIProxy *p = VIRTIO_PCI(d);

    pci_device_reset(PCI_DEVICE(d));
    p->dfselect = p->gfselect = 0;
    p->guest_features = 0;
    /* the virtio device is reset as a child of our bus */
}

VirtIODevice *virtio_pci_get_vdev(PCIDevice *dev)
{
    return VIRTIO_PCI(dev)->vdev;
}

/* The MSI-X table and pending bits travel in msix_state. */
static unsigned proxy_msix_table_size(PCIDevice *dev)
{
    return msix_nr_vectors(dev) * PCI_MSIX_ENTRY_SIZE;
}

static int proxy_pre_save(void *opaque)
{
    VirtIOPCIProxy *p = opaque;
    PCIDevice *dev = PCI_DEVICE(p);
    unsigned t = proxy_msix_table_size(dev);

    p->msix_state_len = 0;
    if (msix_present(dev)) {
        memcpy(p->msix_state, dev->msix_table, t);
        memcpy(p->msix_state + t, dev->msix_pba,
               DIV_ROUND_UP(msix_nr_vectors(dev), 8));
        p->msix_state_len = t + DIV_ROUND_UP(msix_nr_vectors(dev), 8);
    }
    return 0;
}

static int proxy_post_load(void *opaque, int version_id)
{
    VirtIOPCIProxy *p = opaque;
    PCIDevice *dev = PCI_DEVICE(p);
    unsigned t = proxy_msix_table_size(dev);

    if (msix_present(dev)) {
        if (p->msix_state_len != t + DIV_ROUND_UP(msix_nr_vectors(dev), 8)) {
            return -EINVAL;         /* another vectors= than ours */
        }
        memcpy(dev->msix_table, p->msix_state, t);
        memcpy(dev->msix_pba, p->msix_state + t,
               DIV_ROUND_UP(msix_nr_vectors(dev), 8));
    } else if (p->msix_state_len) {
        return -EINVAL;
    }
    proxy_update_intx(p);
    return 0;
}

static const VMStateDescription vmstate_virtio_pci = {
    .name = "virtio-pci",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = proxy_pre_save,
    .post_load = proxy_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(parent_obj, VirtIOPCIProxy, vmstate_pci_device,
                       PCIDevice),
        VMSTATE_UINT32(dfselect, VirtIOPCIProxy),
        VMSTATE_UINT32(gfselect, VirtIOPCIProxy),
        VMSTATE_UINT64(guest_features, VirtIOPCIProxy),
        VMSTATE_UINT32(msix_state_len, VirtIOPCIProxy),
        VMSTATE_UINT8_VARRAY(msix_state, VirtIOPCIProxy, VIRTIO_PCI_MSIX_STATE,
                             msix_state_len),
        VMSTATE_END_OF_LIST()
    },
};

static const Property virtio_pci_props[] = {
    DEFINE_PROP_UINT32("vectors", VirtIOPCIProxy, nvectors, UINT32_MAX),
    DEFINE_PROP_STRING("disable-legacy", VirtIOPCIProxy, disable_legacy),
    DEFINE_PROP_BOOL("disable-modern", VirtIOPCIProxy, disable_modern, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_pci_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    dc->reset = proxy_reset;
    dc->vmsd = &vmstate_virtio_pci;
    pc->realize = proxy_realize;
    pc->exit = proxy_exit;
    pc->config_read = proxy_config_read;
    pc->config_write = proxy_config_write;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET;
    pc->subsystem_vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET;
}

static void virtio_pci_instance_finalize(Object *obj)
{
    VirtIOPCIProxy *p = VIRTIO_PCI(obj);

    if (p->vdev) {
        object_unref(OBJECT(p->vdev));
        p->vdev = NULL;
    }
}

static const TypeInfo virtio_pci_info = {
    .name = TYPE_VIRTIO_PCI,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(VirtIOPCIProxy),
    .instance_finalize = virtio_pci_instance_finalize,
    .abstract = true,
    .class_size = sizeof(VirtioPCIClass),
    .class_init = virtio_pci_class_init,
};
TYPE_REGISTER(virtio_pci_info)

/* ---- -pci types: the proxy's properties include its device's ---- */

/* A property of the inner device, seen on the proxy. */
static bool fwd_parse(Object *obj, const Property *prop, const char *str,
                      Error **errp)
{
    return qdev_prop_parse(DEVICE(VIRTIO_PCI(obj)->vdev), prop->name, str,
                           errp);
}

static char *fwd_print(Object *obj, const Property *prop)
{
    return qdev_prop_print(DEVICE(VIRTIO_PCI(obj)->vdev), prop->name);
}

/* The inner device's properties (its class and parents'), forwarded. */
static Property *forwarded_props(const char *vdev_type)
{
    GArray *a = g_array_new(TRUE, TRUE, sizeof(Property));
    ObjectClass *oc = object_class_by_name(vdev_type);

    g_assert(oc);
    for (; oc && object_class_dynamic_cast(oc, TYPE_DEVICE);
         oc = object_class_get_parent(oc)) {
        ObjectClass *parent = object_class_get_parent(oc);
        const Property *props = DEVICE_CLASS(oc)->props;

        if (!props || (parent && object_class_dynamic_cast(parent,
                                                           TYPE_DEVICE) &&
                       DEVICE_CLASS(parent)->props == props)) {
            continue;
        }
        for (const Property *q = props; q->name; q++) {
            PropertyInfo *info = g_new0(PropertyInfo, 1);
            Property f = { .name = q->name, .info = info };

            info->type = q->info->type;
            info->parse = q->info->parse ? fwd_parse : NULL;
            info->print = fwd_print;
            g_array_append_val(a, f);
        }
    }
    return (Property *)g_array_free(a, FALSE);
}

static void virtio_pci_type_class_init(ObjectClass *oc, void *data)
{
    const VirtioPCIDeviceTypeInfo *t = data;
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);
    GArray *props = g_array_new(TRUE, TRUE, sizeof(Property));
    Property *fwd = forwarded_props(t->vdev_type);

    /* the proxy's own properties, then the device's */
    for (const Property *q = virtio_pci_props; q->name; q++) {
        g_array_append_val(props, *q);
    }
    for (Property *q = fwd; q->name; q++) {
        g_array_append_val(props, *q);
    }
    g_free(fwd);
    dc->props = (Property *)g_array_free(props, FALSE);
    dc->desc = t->desc;
    dc->category = t->category;
    dc->user_creatable = true;
    pc->class_id = t->class_id;
    VIRTIO_PCI_CLASS(oc)->vdev_type = t->vdev_type;
}

static void virtio_pci_type_instance_init(Object *obj)
{
    VirtIOPCIProxy *p = VIRTIO_PCI(obj);

    p->vdev = VIRTIO_DEVICE(qdev_new(VIRTIO_PCI_GET_CLASS(obj)->vdev_type));
}

void virtio_pci_type_register(const VirtioPCIDeviceTypeInfo *t)
{
    TypeInfo *ti = g_new0(TypeInfo, 1);

    ti->name = t->name;
    ti->parent = TYPE_VIRTIO_PCI;
    ti->instance_size = sizeof(VirtIOPCIProxy);
    ti->instance_init = virtio_pci_type_instance_init;
    ti->class_size = sizeof(VirtioPCIClass);
    ti->class_init = virtio_pci_type_class_init;
    ti->class_data = (void *)t;
    type_register(ti);
}
