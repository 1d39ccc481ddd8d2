/*
 * libqvirtio: a virtio driver for qtest programs, the way a guest driver
 * uses a device: reset, feature negotiation, split virtqueues in guest
 * RAM (direct and indirect descriptors, EVENT_IDX), kicks, used-ring
 * polling and interrupts, on either transport:
 *
 *     QVirtioDevice *d = qvirtio_mmio_init(qts, 0x0a003e00, &alloc);
 *     qvirtio_start(d, features);                 // up to FEATURES_OK
 *     QVirtQueue *vq = qvirtqueue_setup(d, 0);
 *     qvirtio_set_driver_ok(d);
 *     uint32_t head = qvirtqueue_add(vq, buf, 16, true, false);
 *     qvirtqueue_kick(vq, head);
 *     qvirtqueue_wait_used(vq, &id, &len, 5000);
 *
 * Transports: virtio-mmio at an address (libqvirtio.c) and virtio-pci
 * (modern capabilities, and the legacy I/O BAR) through configuration
 * space (libqvirtio-pci.c).  Guest memory comes from a bump allocator over
 * a range of guest RAM the test gives.
 */
#ifndef LIBQVIRTIO_H
#define LIBQVIRTIO_H

#include "libqtest.h"

/* virtio constants the tests use (virtio 1.2) */
#define QVIRTIO_ID_NET              1
#define QVIRTIO_ID_BLOCK            2
#define QVIRTIO_ID_CONSOLE          3
#define QVIRTIO_ID_RNG              4
#define QVIRTIO_S_ACKNOWLEDGE       0x01
#define QVIRTIO_S_DRIVER            0x02
#define QVIRTIO_S_DRIVER_OK         0x04
#define QVIRTIO_S_FEATURES_OK       0x08
#define QVIRTIO_S_NEEDS_RESET       0x40
#define QVIRTIO_S_FAILED            0x80
#define QVIRTIO_F_INDIRECT_DESC     28
#define QVIRTIO_F_EVENT_IDX         29
#define QVIRTIO_F_VERSION_1         32
#define QVRING_DESC_F_NEXT          1
#define QVRING_DESC_F_WRITE         2
#define QVRING_DESC_F_INDIRECT      4
#define QVRING_AVAIL_F_NO_INTERRUPT 1
#define QVRING_USED_F_NO_NOTIFY     1

/* qtest_init with the executable for the machine in args (-M pc:
 * x86_64, else aarch64; from $TURTLE_BINARIES when set). */
QTestState *qvirtio_qtest_init(const char *args);
/* Only pick the executable (TURTLE_BINARY) for those arguments. */
void qvirtio_select_binary(const char *args);

/* A bump allocator over [start, end) of guest RAM. */
typedef struct QGuestAlloc {
    uint64_t start, end, next;
} QGuestAlloc;

void guest_alloc_init(QGuestAlloc *a, uint64_t start, uint64_t size);
/* Zeroed guest memory, aligned; asserts there is room. */
uint64_t guest_alloc(QTestState *qts, QGuestAlloc *a, uint64_t size,
                     uint64_t align);

typedef struct QVirtioDevice QVirtioDevice;
typedef struct QVirtQueue QVirtQueue;

/* What each transport implements. */
typedef struct QVirtioTransport {
    uint64_t (*config_read)(QVirtioDevice *d, uint32_t off, unsigned size);
    void (*config_write)(QVirtioDevice *d, uint32_t off, uint64_t v,
                         unsigned size);
    uint64_t (*get_features)(QVirtioDevice *d);
    void (*set_features)(QVirtioDevice *d, uint64_t f);
    uint8_t (*get_status)(QVirtioDevice *d);
    void (*set_status)(QVirtioDevice *d, uint8_t s);
    uint32_t (*config_generation)(QVirtioDevice *d);
    /* ISR bits (1 queue, 2 config); reading may clear them */
    uint8_t (*isr)(QVirtioDevice *d);
    uint16_t (*queue_max)(QVirtioDevice *d, uint16_t index);
    /* program size and rings of vq, and enable it */
    void (*queue_setup)(QVirtioDevice *d, QVirtQueue *vq);
    void (*queue_notify)(QVirtioDevice *d, QVirtQueue *vq);
    void (*queue_reset)(QVirtioDevice *d, uint16_t index);
} QVirtioTransport;

struct QVirtioDevice {
    QTestState *qts;
    const QVirtioTransport *t;
    QGuestAlloc *alloc;
    uint16_t device_id;
    uint64_t features;           /* negotiated */
    bool legacy;                 /* legacy virtio-pci interface */
    /* virtio-mmio */
    uint64_t mmio_base;
    /* virtio-pci: see libqvirtio-pci.c */
    void *pci;
    /* queues set up, owned by the device (freed by qvirtio_free or a
     * new setup of the same index) */
    QVirtQueue *vqs[64];
};

struct QVirtQueue {
    QVirtioDevice *dev;
    uint16_t index;
    uint16_t size;
    uint64_t desc, avail, used;
    uint16_t free_head;          /* next unused descriptor (bump) */
    uint16_t num_free;
    uint16_t avail_idx;          /* driver's avail->idx */
    uint16_t last_used_idx;      /* next used entry we have not seen */
    uint16_t msix_vector;        /* virtio-pci with MSI-X */
};

/* ---- virtio-mmio ---- */
QVirtioDevice *qvirtio_mmio_init(QTestState *qts, uint64_t base,
                                 QGuestAlloc *alloc);
uint32_t qvirtio_mmio_readl(QVirtioDevice *d, uint32_t off);
void qvirtio_mmio_writel(QVirtioDevice *d, uint32_t off, uint32_t v);

/* ---- virtio-pci (libqvirtio-pci.c) ---- */
/* The function at devfn of the pc's PCI bus (virt false) or virt's PCIe
 * root bus (ECAM): BARs placed, I/O, memory and bus mastering on, the
 * modern capabilities found; legacy: drive the I/O BAR instead. */
QVirtioDevice *qvirtio_pci_init(QTestState *qts, bool virt, int devfn,
                                bool legacy, QGuestAlloc *alloc);
uint32_t qpci_config_read(QTestState *qts, bool virt, int devfn,
                          uint32_t reg, int len);
void qpci_config_write(QTestState *qts, bool virt, int devfn, uint32_t reg,
                       uint32_t v, int len);
uint32_t qvirtio_pci_cfg(QVirtioDevice *d, uint32_t reg, int len);
/* MSI-X: Enable bit; table entry (address, data, masked). */
void qvirtio_pci_msix_enable(QVirtioDevice *d, bool on);
void qvirtio_pci_msix_entry(QVirtioDevice *d, unsigned entry, uint64_t addr,
                            uint32_t data, bool masked);
void qvirtio_pci_set_config_vector(QVirtioDevice *d, uint16_t v);
uint16_t qvirtio_pci_get_config_vector(QVirtioDevice *d);

/* ---- common driver steps ---- */
void qvirtio_free(QVirtioDevice *d);
void qvirtio_reset(QVirtioDevice *d);
/* Reset, ACKNOWLEDGE | DRIVER, accept want & offered (plus VERSION_1 for
 * modern), FEATURES_OK (asserted to stick); returns the features. */
uint64_t qvirtio_start(QVirtioDevice *d, uint64_t want);
void qvirtio_set_driver_ok(QVirtioDevice *d);
uint8_t qvirtio_get_status(QVirtioDevice *d);
void qvirtio_set_status(QVirtioDevice *d, uint8_t s);
uint64_t qvirtio_get_features(QVirtioDevice *d);
uint8_t qvirtio_config_readb(QVirtioDevice *d, uint32_t off);
uint16_t qvirtio_config_readw(QVirtioDevice *d, uint32_t off);
uint32_t qvirtio_config_readl(QVirtioDevice *d, uint32_t off);
uint64_t qvirtio_config_readq(QVirtioDevice *d, uint32_t off);
void qvirtio_config_writeb(QVirtioDevice *d, uint32_t off, uint8_t v);

/* ---- virtqueues ---- */
/* Rings of `size` entries (0: the device's maximum), allocated, enabled;
 * the queue belongs to d. */
QVirtQueue *qvirtqueue_setup_size(QVirtioDevice *d, uint16_t index,
                                  uint16_t size);
QVirtQueue *qvirtqueue_setup(QVirtioDevice *d, uint16_t index);
/* The same with an MSI-X vector (virtio-pci). */
QVirtQueue *qvirtqueue_setup_msix(QVirtioDevice *d, uint16_t index,
                                  uint16_t size, uint16_t vector);
/* Append a descriptor; `next` links it to the one added after it.
 * Returns its index (the head, for the first of a chain). */
uint16_t qvirtqueue_add(QVirtQueue *vq, uint64_t addr, uint32_t len,
                        bool write, bool next);
/* Raw descriptor i (for malformed rings). */
void qvirtqueue_write_desc(QVirtQueue *vq, uint16_t i, uint64_t addr,
                           uint32_t len, uint16_t flags, uint16_t next);
/* An indirect table in guest memory with n entries, filled by
 * qvring_indirect_desc; returns its address. */
uint64_t qvring_indirect_alloc(QVirtioDevice *d, uint16_t n);
void qvring_indirect_desc(QVirtioDevice *d, uint64_t table, uint16_t i,
                          uint64_t addr, uint32_t len, uint16_t flags,
                          uint16_t next);
/* Put head into the available ring and publish it (no kick). */
void qvirtqueue_publish(QVirtQueue *vq, uint16_t head);
/* Publish head and notify the device. */
void qvirtqueue_kick(QVirtQueue *vq, uint16_t head);
void qvirtqueue_notify(QVirtQueue *vq);
/* Take the next used entry if there is one. */
bool qvirtqueue_get_used(QVirtQueue *vq, uint32_t *id, uint32_t *len);
/* Wait (host time, stepping nothing) for a used entry; asserts on
 * timeout. */
void qvirtqueue_wait_used(QVirtQueue *vq, uint32_t *id, uint32_t *len,
                          int timeout_ms);
uint16_t qvirtqueue_used_idx(QVirtQueue *vq);
void qvirtqueue_set_used_event(QVirtQueue *vq, uint16_t idx);
void qvirtqueue_set_avail_flags(QVirtQueue *vq, uint16_t flags);
uint16_t qvirtqueue_used_flags(QVirtQueue *vq);
uint16_t qvirtqueue_avail_event(QVirtQueue *vq);
/* ISR bits (mmio: InterruptStatus; pci: reads and clears the ISR). */
uint8_t qvirtio_isr(QVirtioDevice *d);

#endif
