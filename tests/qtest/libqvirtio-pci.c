/*
 * libqvirtio's virtio-pci transport: PCI configuration space on the pc
 * (mechanism #1 at 0xcf8/0xcfc) or on virt (ECAM), BARs placed by the
 * test, the modern capabilities found by walking the list, or the legacy
 * I/O registers; MSI-X table programming.
 */
#include "libqvirtio.h"

#include <string.h>

#define VIRT_ECAM       0x4010000000ull
#define VIRT_PIO        0x3eff0000ull
#define VIRT_MMIO_BASE  0x10000000ull
#define PC_MMIO_BASE    0xe0000000ull

typedef struct QPCIVirtio {
    bool virt;
    int devfn;
    uint64_t common, isr, device, notify;   /* modern: CPU addresses */
    uint32_t notify_mult;
    uint16_t io;                            /* legacy: port (bus address) */
    uint64_t msix_table;                    /* CPU address of the table */
    uint8_t msix_cap;
} QPCIVirtio;

static QPCIVirtio *P(QVirtioDevice *d)
{
    return d->pci;
}

/* ---- configuration space ---- */

uint32_t qpci_config_read(QTestState *qts, bool virt, int devfn,
                          uint32_t reg, int len)
{
    if (virt) {
        uint64_t a = VIRT_ECAM + ((uint64_t)devfn << 12) + reg;

        return len == 1 ? qtest_readb(qts, a) : len == 2 ? qtest_readw(qts, a)
                                                         : qtest_readl(qts, a);
    }
    qtest_outl(qts, 0xcf8, 0x80000000u | devfn << 8 | (reg & 0xfc));
    return len == 1 ? qtest_inb(qts, 0xcfc + (reg & 3))
         : len == 2 ? qtest_inw(qts, 0xcfc + (reg & 2))
                    : qtest_inl(qts, 0xcfc);
}

void qpci_config_write(QTestState *qts, bool virt, int devfn, uint32_t reg,
                       uint32_t v, int len)
{
    if (virt) {
        uint64_t a = VIRT_ECAM + ((uint64_t)devfn << 12) + reg;

        if (len == 1) {
            qtest_writeb(qts, a, v);
        } else if (len == 2) {
            qtest_writew(qts, a, v);
        } else {
            qtest_writel(qts, a, v);
        }
        return;
    }
    qtest_outl(qts, 0xcf8, 0x80000000u | devfn << 8 | (reg & 0xfc));
    if (len == 1) {
        qtest_outb(qts, 0xcfc + (reg & 3), v);
    } else if (len == 2) {
        qtest_outw(qts, 0xcfc + (reg & 2), v);
    } else {
        qtest_outl(qts, 0xcfc, v);
    }
}

static uint32_t cfg_r(QVirtioDevice *d, uint32_t reg, int len)
{
    return qpci_config_read(d->qts, P(d)->virt, P(d)->devfn, reg, len);
}

static void cfg_w(QVirtioDevice *d, uint32_t reg, uint32_t v, int len)
{
    qpci_config_write(d->qts, P(d)->virt, P(d)->devfn, reg, v, len);
}

/* Program BAR n at bus address addr; returns the CPU address. */
static uint64_t map_bar(QVirtioDevice *d, int n, uint64_t addr)
{
    uint32_t reg = 0x10 + 4 * n;
    uint32_t type = cfg_r(d, reg, 4);

    cfg_w(d, reg, (uint32_t)addr, 4);
    if ((type & 7) == 4) {                      /* 64-bit memory */
        cfg_w(d, reg + 4, addr >> 32, 4);
    }
    if (type & 1) {
        return P(d)->virt ? VIRT_PIO + addr : addr;
    }
    return addr;
}

/* ---- legacy I/O access ---- */

static uint32_t io_r(QVirtioDevice *d, uint32_t off, int len)
{
    uint64_t a = P(d)->io + off;

    if (P(d)->virt) {
        a += VIRT_PIO;
        return len == 1 ? qtest_readb(d->qts, a) : len == 2 ?
               qtest_readw(d->qts, a) : qtest_readl(d->qts, a);
    }
    return len == 1 ? qtest_inb(d->qts, a) : len == 2 ? qtest_inw(d->qts, a)
                                                      : qtest_inl(d->qts, a);
}

static void io_w(QVirtioDevice *d, uint32_t off, uint32_t v, int len)
{
    uint64_t a = P(d)->io + off;

    if (P(d)->virt) {
        a += VIRT_PIO;
        if (len == 1) {
            qtest_writeb(d->qts, a, v);
        } else if (len == 2) {
            qtest_writew(d->qts, a, v);
        } else {
            qtest_writel(d->qts, a, v);
        }
        return;
    }
    if (len == 1) {
        qtest_outb(d->qts, a, v);
    } else if (len == 2) {
        qtest_outw(d->qts, a, v);
    } else {
        qtest_outl(d->qts, a, v);
    }
}

/* ---- modern transport ---- */

static uint64_t mem_r(QVirtioDevice *d, uint64_t a, unsigned size)
{
    switch (size) {
    case 1: return qtest_readb(d->qts, a);
    case 2: return qtest_readw(d->qts, a);
    case 4: return qtest_readl(d->qts, a);
    default: return qtest_readq(d->qts, a);
    }
}

static void mem_w(QVirtioDevice *d, uint64_t a, uint64_t v, unsigned size)
{
    switch (size) {
    case 1: qtest_writeb(d->qts, a, v); break;
    case 2: qtest_writew(d->qts, a, v); break;
    case 4: qtest_writel(d->qts, a, v); break;
    default: qtest_writeq(d->qts, a, v); break;
    }
}

#define CMN(d, off) (P(d)->common + (off))

static uint64_t m_config_read(QVirtioDevice *d, uint32_t off, unsigned size)
{
    return mem_r(d, P(d)->device + off, size);
}

static void m_config_write(QVirtioDevice *d, uint32_t off, uint64_t v,
                           unsigned size)
{
    mem_w(d, P(d)->device + off, v, size);
}

static uint64_t m_get_features(QVirtioDevice *d)
{
    uint64_t f;

    qtest_writel(d->qts, CMN(d, 0x00), 0);
    f = qtest_readl(d->qts, CMN(d, 0x04));
    qtest_writel(d->qts, CMN(d, 0x00), 1);
    return f | (uint64_t)qtest_readl(d->qts, CMN(d, 0x04)) << 32;
}

static void m_set_features(QVirtioDevice *d, uint64_t f)
{
    qtest_writel(d->qts, CMN(d, 0x08), 0);
    qtest_writel(d->qts, CMN(d, 0x0c), (uint32_t)f);
    qtest_writel(d->qts, CMN(d, 0x08), 1);
    qtest_writel(d->qts, CMN(d, 0x0c), f >> 32);
}

static uint8_t m_get_status(QVirtioDevice *d)
{
    return qtest_readb(d->qts, CMN(d, 0x14));
}

static void m_set_status(QVirtioDevice *d, uint8_t s)
{
    qtest_writeb(d->qts, CMN(d, 0x14), s);
}

static uint32_t m_generation(QVirtioDevice *d)
{
    return qtest_readb(d->qts, CMN(d, 0x15));
}

static uint8_t m_isr(QVirtioDevice *d)
{
    return qtest_readb(d->qts, P(d)->isr);
}

static uint16_t m_queue_max(QVirtioDevice *d, uint16_t index)
{
    qtest_writew(d->qts, CMN(d, 0x16), index);
    return qtest_readw(d->qts, CMN(d, 0x18));
}

static void m_queue_setup(QVirtioDevice *d, QVirtQueue *vq)
{
    QTestState *q = d->qts;

    qtest_writew(q, CMN(d, 0x16), vq->index);
    qtest_writew(q, CMN(d, 0x18), vq->size);
    qtest_writel(q, CMN(d, 0x20), (uint32_t)vq->desc);
    qtest_writel(q, CMN(d, 0x24), vq->desc >> 32);
    qtest_writel(q, CMN(d, 0x28), (uint32_t)vq->avail);
    qtest_writel(q, CMN(d, 0x2c), vq->avail >> 32);
    qtest_writel(q, CMN(d, 0x30), (uint32_t)vq->used);
    qtest_writel(q, CMN(d, 0x34), vq->used >> 32);
    qtest_writew(q, CMN(d, 0x1a), vq->msix_vector);
    qtest_writew(q, CMN(d, 0x1c), 1);
}

static void m_queue_notify(QVirtioDevice *d, QVirtQueue *vq)
{
    uint16_t off;

    qtest_writew(d->qts, CMN(d, 0x16), vq->index);
    off = qtest_readw(d->qts, CMN(d, 0x1e));
    qtest_writew(d->qts, P(d)->notify + off * P(d)->notify_mult, vq->index);
}

static void m_queue_reset(QVirtioDevice *d, uint16_t index)
{
    qtest_writew(d->qts, CMN(d, 0x16), index);
    qtest_writew(d->qts, CMN(d, 0x3a), 1);
}

static const QVirtioTransport pci_modern = {
    .config_read = m_config_read,
    .config_write = m_config_write,
    .get_features = m_get_features,
    .set_features = m_set_features,
    .get_status = m_get_status,
    .set_status = m_set_status,
    .config_generation = m_generation,
    .isr = m_isr,
    .queue_max = m_queue_max,
    .queue_setup = m_queue_setup,
    .queue_notify = m_queue_notify,
    .queue_reset = m_queue_reset,
};

/* ---- legacy transport ---- */

static unsigned l_cfg(QVirtioDevice *d)
{
    return P(d)->msix_cap &&
           (cfg_r(d, P(d)->msix_cap + 2, 2) & 0x8000) ? 0x18 : 0x14;
}

static uint64_t l_config_read(QVirtioDevice *d, uint32_t off, unsigned size)
{
    if (size == 8) {
        return io_r(d, l_cfg(d) + off, 4) |
               (uint64_t)io_r(d, l_cfg(d) + off + 4, 4) << 32;
    }
    return io_r(d, l_cfg(d) + off, size);
}

static void l_config_write(QVirtioDevice *d, uint32_t off, uint64_t v,
                           unsigned size)
{
    io_w(d, l_cfg(d) + off, v, size);
}

static uint64_t l_get_features(QVirtioDevice *d)
{
    return io_r(d, 0x00, 4);
}

static void l_set_features(QVirtioDevice *d, uint64_t f)
{
    io_w(d, 0x04, f, 4);
}

static uint8_t l_get_status(QVirtioDevice *d)
{
    return io_r(d, 0x12, 1);
}

static void l_set_status(QVirtioDevice *d, uint8_t s)
{
    io_w(d, 0x12, s, 1);
}

static uint32_t l_generation(QVirtioDevice *d)
{
    return 0;
}

static uint8_t l_isr(QVirtioDevice *d)
{
    return io_r(d, 0x13, 1);
}

static uint16_t l_queue_max(QVirtioDevice *d, uint16_t index)
{
    io_w(d, 0x0e, index, 2);
    return io_r(d, 0x0c, 2);
}

static void l_queue_setup(QVirtioDevice *d, QVirtQueue *vq)
{
    io_w(d, 0x0e, vq->index, 2);
    g_assert_cmpuint(vq->size, ==, io_r(d, 0x0c, 2));  /* fixed size */
    if (l_cfg(d) == 0x18) {
        io_w(d, 0x16, vq->msix_vector, 2);
    }
    io_w(d, 0x08, vq->desc / 4096, 4);
}

static void l_queue_notify(QVirtioDevice *d, QVirtQueue *vq)
{
    io_w(d, 0x10, vq->index, 2);
}

static void l_queue_reset(QVirtioDevice *d, uint16_t index)
{
    io_w(d, 0x0e, index, 2);
    io_w(d, 0x08, 0, 4);
}

static const QVirtioTransport pci_legacy = {
    .config_read = l_config_read,
    .config_write = l_config_write,
    .get_features = l_get_features,
    .set_features = l_set_features,
    .get_status = l_get_status,
    .set_status = l_set_status,
    .config_generation = l_generation,
    .isr = l_isr,
    .queue_max = l_queue_max,
    .queue_setup = l_queue_setup,
    .queue_notify = l_queue_notify,
    .queue_reset = l_queue_reset,
};

/* ---- discovery ---- */

QVirtioDevice *qvirtio_pci_init(QTestState *qts, bool virt, int devfn,
                                bool legacy, QGuestAlloc *alloc)
{
    QVirtioDevice *d = g_new0(QVirtioDevice, 1);
    QPCIVirtio *p = g_new0(QPCIVirtio, 1);
    uint64_t mem = (virt ? VIRT_MMIO_BASE : PC_MMIO_BASE) +
                   (uint64_t)devfn * 0x10000;
    uint64_t bar4 = 0, bar1;
    uint16_t id;
    uint8_t pos;

    d->qts = qts;
    d->alloc = alloc;
    d->pci = p;
    d->legacy = legacy;
    p->virt = virt;
    p->devfn = devfn;
    g_assert_cmphex(cfg_r(d, 0, 2), ==, 0x1af4);
    id = cfg_r(d, 2, 2);
    /* subsystem id: the virtio device id for transitional devices */
    d->device_id = id >= 0x1040 ? id - 0x1040 : cfg_r(d, 0x2e, 2);

    bar1 = map_bar(d, 1, mem);
    if (cfg_r(d, 0x10 + 16, 4) != 0) {
        bar4 = map_bar(d, 4, mem + 0x8000);
    }
    if (legacy) {
        p->io = 0x1000 + devfn * 0x100;
        map_bar(d, 0, p->io);
    }
    cfg_w(d, 0x04, 0x7, 2);             /* I/O, memory, bus master */

    for (pos = cfg_r(d, 0x34, 1); pos; pos = cfg_r(d, pos + 1, 1)) {
        uint8_t cap = cfg_r(d, pos, 1);

        if (cap == 0x11) {
            p->msix_cap = pos;
            p->msix_table = bar1 + (cfg_r(d, pos + 4, 4) & ~7u);
        } else if (cap == 0x09 && bar4) {
            uint8_t type = cfg_r(d, pos + 3, 1);
            uint64_t a = bar4 + cfg_r(d, pos + 8, 4);

            switch (type) {
            case 1: p->common = a; break;
            case 2:
                p->notify = a;
                p->notify_mult = cfg_r(d, pos + 16, 4);
                break;
            case 3: p->isr = a; break;
            case 4: p->device = a; break;
            }
        }
    }
    g_assert_true(legacy || p->common);
    d->t = legacy ? &pci_legacy : &pci_modern;
    return d;
}

void qvirtio_pci_msix_enable(QVirtioDevice *d, bool on)
{
    uint16_t ctl = cfg_r(d, P(d)->msix_cap + 2, 2);

    g_assert_cmpuint(P(d)->msix_cap, !=, 0);
    cfg_w(d, P(d)->msix_cap + 2, on ? ctl | 0x8000 : ctl & ~0x8000, 2);
}

void qvirtio_pci_msix_entry(QVirtioDevice *d, unsigned entry, uint64_t addr,
                            uint32_t data, bool masked)
{
    uint64_t e = P(d)->msix_table + 16 * entry;

    qtest_writel(d->qts, e, (uint32_t)addr);
    qtest_writel(d->qts, e + 4, addr >> 32);
    qtest_writel(d->qts, e + 8, data);
    qtest_writel(d->qts, e + 12, masked);
}

void qvirtio_pci_set_config_vector(QVirtioDevice *d, uint16_t v)
{
    if (d->legacy) {
        io_w(d, 0x14, v, 2);
    } else {
        qtest_writew(d->qts, CMN(d, 0x10), v);
    }
}

uint16_t qvirtio_pci_get_config_vector(QVirtioDevice *d)
{
    return d->legacy ? io_r(d, 0x14, 2) : qtest_readw(d->qts, CMN(d, 0x10));
}

uint32_t qvirtio_pci_cfg(QVirtioDevice *d, uint32_t reg, int len)
{
    return cfg_r(d, reg, len);
}
