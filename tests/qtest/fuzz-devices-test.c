/*
 * Device fuzzing: every device model of the virt, pc and none machines gets
 * a fixed-seed pseudo-random stream of guest accesses (all sizes, offsets
 * inside and just around its register window, random values), interleaved
 * with virtual-clock steps, re-reads and a system reset in the middle.
 * Afterwards the device must still answer its identification registers as
 * it did before, and the process must be alive and clean: qtest_quit fails
 * the test on a crash, an assertion or a sanitizer report.
 *
 * Executables: $TURTLE_BINARIES (colon-separated; the one whose name ends
 * in the machine's architecture is picked), else $TURTLE_BINARY.
 * $FUZZ_OPS overrides the number of operations per device, $FUZZ_SEED
 * perturbs the seeds (for longer runs by hand).
 */
#include "libqtest.h"
#include "libqvirtio.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_OPS 20000

typedef struct Window {
    uint64_t base;
    uint64_t size;          /* the register window */
    bool pio;               /* I/O ports (sizes 1/2/4) rather than MMIO */
} Window;

typedef struct Rng {
    uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
    /* xorshift64*: deterministic on every host */
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dULL;
}

static uint64_t rng_below(Rng *r, uint64_t n)
{
    return n ? rng_next(r) % n : 0;
}

static int fuzz_ops(void)
{
    const char *e = getenv("FUZZ_OPS");

    return e ? atoi(e) : DEFAULT_OPS;
}

/* A scratch raw image for block devices: "@DISK@" in a case's arguments. */
static char *fuzz_disk;

/* Start the executable for ARCH ("aarch64", "x86_64"), or skip. */
static QTestState *fuzz_init(const char *arch, const char *args_in)
{
    g_auto(GStrv) parts = g_strsplit(args_in, "@DISK@", -1);
    g_autofree char *args = g_strjoinv(fuzz_disk, parts);
    const char *list = getenv("TURTLE_BINARIES");
    char **bins;
    bool found = false;

    if (list) {
        bins = g_strsplit(list, ":", -1);
        for (char **b = bins; *b; b++) {
            if (g_str_has_suffix(*b, arch)) {
                g_setenv("TURTLE_BINARY", *b, true);
                found = true;
            }
        }
        g_strfreev(bins);
    } else {
        found = g_str_has_suffix(qtest_binary(), arch);
    }
    if (!found) {
        g_test_skip("no turtle executable for this architecture");
        return NULL;
    }
    return qtest_init(args);
}

/* A value of a random shape: small, all-ones, a single bit, or random. */
static uint64_t rng_value(Rng *r)
{
    switch (rng_below(r, 6)) {
    case 0:
        return 0;
    case 1:
        return ~0ULL;
    case 2:
        return 1ULL << rng_below(r, 64);
    case 3:
        return rng_below(r, 256);
    default:
        return rng_next(r);
    }
}

static uint64_t access_mask(unsigned size)
{
    return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static void fuzz_access(QTestState *q, Rng *r, const Window *w,
                        uint64_t off, unsigned size, bool write, uint64_t val)
{
    uint64_t a = w->base + off;

    val &= access_mask(size);
    if (w->pio) {
        a &= 0xffff;
        if (write) {
            switch (size) {
            case 1: qtest_outb(q, a, val); break;
            case 2: qtest_outw(q, a, val); break;
            default: qtest_outl(q, a, val); break;
            }
        } else {
            switch (size) {
            case 1: qtest_inb(q, a); break;
            case 2: qtest_inw(q, a); break;
            default: qtest_inl(q, a); break;
            }
        }
        return;
    }
    if (write) {
        switch (size) {
        case 1: qtest_writeb(q, a, val); break;
        case 2: qtest_writew(q, a, val); break;
        case 4: qtest_writel(q, a, val); break;
        default: qtest_writeq(q, a, val); break;
        }
    } else {
        switch (size) {
        case 1: qtest_readb(q, a); break;
        case 2: qtest_readw(q, a); break;
        case 4: qtest_readl(q, a); break;
        default: qtest_readq(q, a); break;
        }
    }
}

/* Optional per-device extra step (DMA kicks, BAR programming...). */
typedef void ExtraFn(QTestState *q, Rng *r);

/*
 * The fuzz loop: nops operations over the windows; one in extra_every
 * calls extra (if any); a system_reset half way.
 */
static void fuzz_windows(QTestState *q, uint64_t seed, const Window *w,
                         int nw, ExtraFn *extra, int extra_every)
{
    Rng r = { seed * 0x9e3779b97f4a7c15ULL + 1 };
    int nops = fuzz_ops();
    uint64_t last_off = 0;
    unsigned last_size = 4;
    const Window *last_w = &w[0];

    for (int i = 0; i < nops; i++) {
        uint64_t k = rng_below(&r, 100);
        const Window *win = &w[rng_below(&r, nw)];
        unsigned size = win->pio ? 1u << rng_below(&r, 3)
                                 : 1u << rng_below(&r, 4);
        uint64_t off;

        if (i == nops / 2) {
            qtest_system_reset(q);
        }
        if (extra && rng_below(&r, extra_every) == 0) {
            extra(q, &r);
            continue;
        }
        if (k < 3) {
            /* mostly short steps, sometimes up to a virtual second */
            qtest_clock_step(q, rng_below(&r, 4) ? rng_below(&r, 100000)
                                                 : rng_below(&r, 1000000000));
            continue;
        }
        if (k < 10) {
            /* re-read what was just touched */
            fuzz_access(q, &r, last_w, last_off, last_size, false, 0);
            continue;
        }
        if (rng_below(&r, 16) == 0) {
            /* just around the window, below and above */
            off = rng_below(&r, 2) ? win->size + rng_below(&r, 16)
                                   : (uint64_t)-1 - rng_below(&r, 16);
        } else if (rng_below(&r, 4) == 0) {
            off = rng_below(&r, win->size);
        } else {
            /* aligned register offsets are where the decoders are */
            off = rng_below(&r, win->size) & ~(uint64_t)(size - 1);
        }
        fuzz_access(q, &r, win, off, size, k < 60, rng_value(&r));
        last_w = win;
        last_off = off;
        last_size = size;
    }
}

/* Identification registers: read before and after, must match. */
typedef struct IdReg {
    uint64_t addr;
    unsigned size;
} IdReg;

static uint64_t id_read(QTestState *q, const IdReg *id)
{
    switch (id->size) {
    case 1: return qtest_readb(q, id->addr);
    case 2: return qtest_readw(q, id->addr);
    case 8: return qtest_readq(q, id->addr);
    default: return qtest_readl(q, id->addr);
    }
}

typedef struct FuzzCase {
    const char *name;
    const char *arch;
    const char *args;
    Window w[4];
    int nw;
    IdReg id[4];
    int nid;
    ExtraFn *extra;
    int extra_every;
    void (*check)(QTestState *q);   /* after the fuzzing and a reset */
} FuzzCase;

static void test_fuzz(const void *opaque)
{
    const FuzzCase *c = opaque;
    QTestState *q = fuzz_init(c->arch, c->args);
    uint64_t before[4];
    uint64_t seed = 0;

    if (!q) {
        return;
    }
    for (const char *p = c->name; *p; p++) {
        seed = seed * 131 + (unsigned char)*p;
    }
    if (getenv("FUZZ_SEED")) {
        seed += strtoull(getenv("FUZZ_SEED"), NULL, 0) << 32;
    }
    for (int i = 0; i < c->nid; i++) {
        before[i] = id_read(q, &c->id[i]);
    }
    fuzz_windows(q, seed, c->w, c->nw, c->extra, c->extra_every);
    qtest_system_reset(q);
    for (int i = 0; i < c->nid; i++) {
        g_assert_cmphex(id_read(q, &c->id[i]), ==, before[i]);
    }
    if (c->check) {
        c->check(q);
    }
    qtest_quit(q);
}

/* ------------------------------------------------------------------ */
/* fw_cfg DMA: a random descriptor in RAM (or not), a random kick */

#define VIRT_RAM   0x40000000ULL
#define VIRT_RAMSZ (64ULL << 20)
#define VIRT_FWCFG 0x09020000ULL
#define PC_RAMSZ   (64ULL << 20)

static uint64_t rng_dma_addr(Rng *r, uint64_t ram, uint64_t ramsz)
{
    switch (rng_below(r, 6)) {
    case 0:
        return ram + rng_below(r, ramsz);
    case 1:
        return ram + ramsz - rng_below(r, 64);     /* straddles the end */
    case 2:
        return 0;
    case 3:
        return ~0ULL - rng_below(r, 64);           /* wraps around */
    case 4:
        return rng_next(r);
    default:
        return ram + rng_below(r, 0x10000);
    }
}

static uint32_t rng_dma_len(Rng *r)
{
    switch (rng_below(r, 4)) {
    case 0:
        return ~0u - rng_below(r, 16);
    case 1:
        return rng_below(r, 0x10000000);
    default:
        return rng_below(r, 256);
    }
}

/* Descriptor: control, length (BE32), address (BE64). */
static void fw_cfg_write_desc(QTestState *q, Rng *r, uint64_t at,
                              uint64_t ram, uint64_t ramsz)
{
    uint32_t ctl = rng_below(r, 2) ? (uint32_t)rng_next(r)
                                   : (uint32_t)(rng_below(r, 0x20) & ~1) |
                                     (uint32_t)rng_below(r, 0x40) << 16;
    uint8_t d[16];
    uint32_t len = rng_dma_len(r);
    uint64_t addr = rng_dma_addr(r, ram, ramsz);

    if (ram && rng_below(r, 8) == 0) {
        /* onto fw_cfg's own registers (virt: in memory space) */
        addr = VIRT_FWCFG + rng_below(r, 0x18);
        len = rng_below(r, 16);
    }

    for (int i = 0; i < 4; i++) {
        d[i] = ctl >> (24 - 8 * i);
        d[4 + i] = len >> (24 - 8 * i);
    }
    for (int i = 0; i < 8; i++) {
        d[8 + i] = addr >> (56 - 8 * i);
    }
    qtest_memwrite(q, at, d, sizeof(d));
}

static void virt_fw_cfg_dma(QTestState *q, Rng *r)
{
    uint64_t desc = VIRT_RAM + (rng_below(r, VIRT_RAMSZ - 16) & ~7ULL);
    uint64_t kick;

    if (rng_below(r, 2)) {
        /* select a real item so that reads/writes have data */
        qtest_writew(q, VIRT_FWCFG + 8,
                     __builtin_bswap16((uint16_t)rng_below(r, 0x30)));
    }
    fw_cfg_write_desc(q, r, desc, VIRT_RAM, VIRT_RAMSZ);
    kick = rng_below(r, 8) ? desc : rng_dma_addr(r, VIRT_RAM, VIRT_RAMSZ);
    if (rng_below(r, 2)) {
        qtest_writeq(q, VIRT_FWCFG + 16, __builtin_bswap64(kick));
    } else {
        qtest_writel(q, VIRT_FWCFG + 16,
                     __builtin_bswap32((uint32_t)(kick >> 32)));
        qtest_writel(q, VIRT_FWCFG + 20, __builtin_bswap32((uint32_t)kick));
    }
}

/* fw_cfg_mmio at the virt address on "-M none -m 16M" (RAM at 0) */
static void none_fw_cfg_dma(QTestState *q, Rng *r)
{
    uint64_t desc = 0x1000 + (rng_below(r, (16 << 20) - 0x1010) & ~7ULL);
    uint64_t kick = rng_below(r, 8) ? desc : rng_dma_addr(r, 0, 16 << 20);

    fw_cfg_write_desc(q, r, desc, 0, 16 << 20);
    qtest_writeq(q, VIRT_FWCFG + 16, __builtin_bswap64(kick));
}

static void pc_fw_cfg_dma(QTestState *q, Rng *r)
{
    uint64_t desc = rng_below(r, PC_RAMSZ - 16) & ~7ULL;
    uint64_t kick;

    if (rng_below(r, 2)) {
        qtest_outw(q, 0x510, (uint16_t)rng_below(r, 0x30));
    }
    if (desc < 0x100000 && desc >= 0xa0000) {
        desc = 0x200000;        /* not the VGA hole / BIOS */
    }
    fw_cfg_write_desc(q, r, desc, 0, PC_RAMSZ);
    kick = rng_below(r, 8) ? desc : rng_dma_addr(r, 0, PC_RAMSZ);
    qtest_outl(q, 0x514, __builtin_bswap32((uint32_t)(kick >> 32)));
    qtest_outl(q, 0x518, __builtin_bswap32((uint32_t)kick));
}

/* ------------------------------------------------------------------ */
/* PCI configuration space and BARs mapped anywhere */

static uint32_t pci_cfg_addr(unsigned bus, unsigned devfn, unsigned reg)
{
    return 0x80000000u | bus << 16 | devfn << 8 | (reg & 0xfc);
}

static uint32_t rng_bar_value(Rng *r)
{
    switch (rng_below(r, 8)) {
    case 0:
        return 0;
    case 1:
        return 0xffffffff;                       /* sizing */
    case 2:
        return (uint32_t)rng_below(r, PC_RAMSZ) & ~0xfffu;  /* over RAM */
    case 3:
        return 0xfffff000;                       /* top of 4 GiB */
    case 4:
        return 0xfee00000;                       /* over the APIC */
    case 5:
        return 0xc000 | (uint32_t)rng_below(r, 0x4000);
    default:
        return (uint32_t)rng_next(r);
    }
}

#define TESTDEV_DEVFN (3 << 3)

static void pc_pci_extra(QTestState *q, Rng *r)
{
    unsigned devfn, reg;

    switch (rng_below(r, 4)) {
    case 0:
        /* pci-testdev: program a BAR, enable decoding, poke through it */
        reg = 0x10 + 4 * rng_below(r, 7);        /* BAR0..5 and ROM (0x28) */
        if (reg == 0x28) {
            reg = 0x30;
        }
        qtest_outl(q, 0xcf8, pci_cfg_addr(0, TESTDEV_DEVFN, reg));
        qtest_outl(q, 0xcfc, rng_bar_value(r));
        qtest_outl(q, 0xcf8, pci_cfg_addr(0, TESTDEV_DEVFN, 4));
        qtest_outw(q, 0xcfc, rng_below(r, 8) ? 3 : rng_next(r));
        for (int i = 0; i < 8; i++) {
            uint32_t bar;
            unsigned b = rng_below(r, 3);

            qtest_outl(q, 0xcf8, pci_cfg_addr(0, TESTDEV_DEVFN, 0x10 + 4 * b));
            bar = qtest_inl(q, 0xcfc);
            if (bar & 1) {
                uint16_t port = (bar & ~3u) + rng_below(r, 0x110);
                qtest_outb(q, port, rng_next(r));
                qtest_inl(q, port);
            } else {
                uint64_t a = (bar & ~0xfu) + rng_below(r, 0x1100);
                qtest_writel(q, a, rng_next(r));
                qtest_readq(q, a);
            }
        }
        break;
    default:
        /* any function of any bus, any register, any size */
        devfn = rng_below(r, 4) ? rng_below(r, 0x20) : rng_below(r, 256);
        reg = rng_below(r, 256);
        qtest_outl(q, 0xcf8, pci_cfg_addr(rng_below(r, 4) ? 0 :
                                          rng_below(r, 256), devfn, reg) |
                   (rng_below(r, 8) ? 0 : (uint32_t)rng_below(r, 4)));
        if (rng_below(r, 2)) {
            unsigned sz = 1u << rng_below(r, 3);
            uint16_t port = 0xcfc + (rng_below(r, 4) & ~(sz - 1));
            uint32_t v = rng_value(r);

            switch (sz) {
            case 1: qtest_outb(q, port, v); break;
            case 2: qtest_outw(q, port, v); break;
            default: qtest_outl(q, port, v); break;
            }
        } else {
            qtest_inl(q, 0xcfc);
        }
        break;
    }
}

/* ------------------------------------------------------------------ */
/* virtio rings: random descriptors, rings and kicks on virtio-rng */

#define VQ_FUZZ_SLOT 0x0a003e00ull
/* queues a device has (a reprogram picks one), and the one in use */
static unsigned vq_fuzz_queues = 1, vq_fuzz_cur;
#define VQ_FUZZ_RING (VIRT_RAM + 0x200000)     /* desc, then avail, used */

static uint64_t rng_ring_addr(Rng *r)
{
    switch (rng_below(r, 8)) {
    case 0:
        return VQ_FUZZ_SLOT + rng_below(r, 0x200);   /* our registers */
    case 1:
        return rng_dma_addr(r, VIRT_RAM, VIRT_RAMSZ);
    default:
        return VQ_FUZZ_RING + (rng_below(r, 0x3000) & ~1ull);
    }
}

static void virtio_mmio_ring_fuzz(QTestState *q, Rng *r)
{
    uint8_t d[16];

    switch (rng_below(r, 6)) {
    case 0: {
        /* (re)program queue 0 and bring the device up */
        static const uint32_t sizes[] = { 1, 2, 4, 8, 3, 16, 0 };
        uint64_t a[3] = { rng_ring_addr(r), rng_ring_addr(r),
                          rng_ring_addr(r) };

        if (rng_below(r, 2)) {
            a[0] = VQ_FUZZ_RING;
            a[1] = VQ_FUZZ_RING + 0x1000;
            a[2] = VQ_FUZZ_RING + 0x2000;
        }
        qtest_writel(q, VQ_FUZZ_SLOT + 0x070, rng_below(r, 4) ? 0 : 0x80);
        qtest_writel(q, VQ_FUZZ_SLOT + 0x070, 3);
        qtest_writel(q, VQ_FUZZ_SLOT + 0x024, 1);
        qtest_writel(q, VQ_FUZZ_SLOT + 0x020, 1);      /* VERSION_1 */
        qtest_writel(q, VQ_FUZZ_SLOT + 0x024, 0);
        qtest_writel(q, VQ_FUZZ_SLOT + 0x020, (uint32_t)rng_next(r) &
                     (3u << 28));                       /* INDIRECT, EVENT */
        qtest_writel(q, VQ_FUZZ_SLOT + 0x070, 0xb);
        vq_fuzz_cur = vq_fuzz_queues > 1 ? rng_below(r, vq_fuzz_queues) : 0;
        qtest_writel(q, VQ_FUZZ_SLOT + 0x030, rng_below(r, 8) ? vq_fuzz_cur :
                     (uint32_t)rng_next(r));
        qtest_writel(q, VQ_FUZZ_SLOT + 0x038, sizes[rng_below(r, 7)]);
        for (int i = 0; i < 3; i++) {
            qtest_writel(q, VQ_FUZZ_SLOT + 0x080 + 0x10 * i, (uint32_t)a[i]);
            qtest_writel(q, VQ_FUZZ_SLOT + 0x084 + 0x10 * i, a[i] >> 32);
        }
        qtest_writel(q, VQ_FUZZ_SLOT + 0x044, 1);
        qtest_writel(q, VQ_FUZZ_SLOT + 0x070, 0xf);
        break;
    }
    case 1:
    case 2: {
        /* a random descriptor, often a plausible one */
        uint64_t addr = rng_dma_addr(r, VIRT_RAM, VIRT_RAMSZ);
        uint32_t len = rng_below(r, 2) ? rng_below(r, 512) : rng_dma_len(r);
        uint16_t flags = rng_below(r, 8), next = rng_below(r, 12);

        if (rng_below(r, 8) == 0) {
            addr = VQ_FUZZ_SLOT + rng_below(r, 0x200);
        }
        if (rng_below(r, 4) == 0) {
            /* an indirect table pointing into the ring area */
            addr = VQ_FUZZ_RING + 16 * rng_below(r, 16);
            flags = 4;
            len = 16 * rng_below(r, 4) + (rng_below(r, 4) ? 0 : 1);
        }
        memcpy(d, &addr, 8);
        memcpy(d + 8, &len, 4);
        memcpy(d + 12, &flags, 2);
        memcpy(d + 14, &next, 2);
        qtest_memwrite(q, VQ_FUZZ_RING + 16 * rng_below(r, 16), d, 16);
        break;
    }
    case 3: {
        /* avail ring entries and index, used_event */
        uint16_t v = rng_below(r, 4) ? rng_below(r, 12) : rng_next(r);

        qtest_writew(q, VQ_FUZZ_RING + 0x1000 + 2 * rng_below(r, 12), v);
        break;
    }
    default:
        /* publish one more entry and kick (sometimes another queue) */
        qtest_writew(q, VQ_FUZZ_RING + 0x1002,
                     qtest_readw(q, VQ_FUZZ_RING + 0x1002) +
                     (rng_below(r, 8) ? 1 : (uint16_t)rng_next(r)));
        qtest_writel(q, VQ_FUZZ_SLOT + 0x050, rng_below(r, 8) ? vq_fuzz_cur :
                     (uint32_t)rng_next(r));
        break;
    }
}

/* After the fuzzing and a reset: the rng works on a clean ring. */
static void virtio_mmio_check(QTestState *q)
{
    QGuestAlloc alloc;
    QVirtioDevice *d;
    QVirtQueue *vq;
    uint64_t buf;
    uint32_t id, len;

    guest_alloc_init(&alloc, VIRT_RAM + 0x400000, 0x100000);
    d = qvirtio_mmio_init(q, VQ_FUZZ_SLOT, &alloc);
    buf = guest_alloc(q, &alloc, 32, 8);
    qvirtio_start(d, 0);
    vq = qvirtqueue_setup(d, 0);
    qvirtio_set_driver_ok(d);
    qvirtqueue_kick(vq, qvirtqueue_add(vq, buf, 32, true, false));
    qvirtqueue_wait_used(vq, &id, &len, 5000);
    g_assert_cmpuint(len, ==, 32);
    qvirtio_free(d);
}

/* After the fuzzing and a reset: virtio-blk reads sector 0 (queue 1). */
static void virtio_blk_check(QTestState *q)
{
    QGuestAlloc alloc;
    QVirtioDevice *d;
    QVirtQueue *vq;
    uint64_t hdr, data, status;
    uint32_t id, len;
    uint16_t head;

    guest_alloc_init(&alloc, VIRT_RAM + 0x400000, 0x100000);
    d = qvirtio_mmio_init(q, VQ_FUZZ_SLOT, &alloc);
    g_assert_cmpuint(d->device_id, ==, QVIRTIO_ID_BLOCK);
    hdr = guest_alloc(q, &alloc, 16, 8);        /* type 0 (IN), sector 0 */
    data = guest_alloc(q, &alloc, 512, 8);
    status = guest_alloc(q, &alloc, 1, 1);
    qtest_writeb(q, status, 0xaa);
    qvirtio_start(d, 0);
    qvirtqueue_setup(d, 0);
    vq = qvirtqueue_setup(d, 1);
    qvirtio_set_driver_ok(d);
    head = qvirtqueue_add(vq, hdr, 16, false, true);
    qvirtqueue_add(vq, data, 512, true, true);
    qvirtqueue_add(vq, status, 1, true, false);
    qvirtqueue_kick(vq, head);
    qvirtqueue_wait_used(vq, &id, &len, 5000);
    g_assert_cmpuint(len, ==, 513);
    g_assert_cmpuint(qtest_readb(q, status), ==, 0);
    qvirtio_free(d);
}

/* virtio-net: random rings on its receive, transmit and control queues */
static void virtio_net_ring_fuzz(QTestState *q, Rng *r)
{
    vq_fuzz_queues = 3;
    virtio_mmio_ring_fuzz(q, r);
    vq_fuzz_queues = 1;
}

/* After the fuzzing and a reset: an ARP request for the user network's
 * gateway gets its reply. */
static void virtio_net_check(QTestState *q)
{
    static const uint8_t arp[42] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34,
        0x56, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0, 1,
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 10, 0, 2, 15,
        0, 0, 0, 0, 0, 0, 10, 0, 2, 2,
    };
    QGuestAlloc alloc;
    QVirtioDevice *d;
    QVirtQueue *rx, *tx;
    uint64_t rbuf, tbuf;
    uint32_t id, len;
    uint8_t got[12 + 42];

    guest_alloc_init(&alloc, VIRT_RAM + 0x400000, 0x100000);
    d = qvirtio_mmio_init(q, VQ_FUZZ_SLOT, &alloc);
    g_assert_cmpuint(d->device_id, ==, QVIRTIO_ID_NET);
    rbuf = guest_alloc(q, &alloc, 1526, 8);
    tbuf = guest_alloc(q, &alloc, 12 + sizeof(arp), 8);
    qtest_memset(q, tbuf, 0, 12);
    qtest_memwrite(q, tbuf + 12, arp, sizeof(arp));
    qvirtio_start(d, 0);
    rx = qvirtqueue_setup(d, 0);
    tx = qvirtqueue_setup(d, 1);
    qvirtio_set_driver_ok(d);
    qvirtqueue_kick(rx, qvirtqueue_add(rx, rbuf, 1526, true, false));
    qvirtqueue_kick(tx, qvirtqueue_add(tx, tbuf, 12 + sizeof(arp), false,
                                       false));
    qvirtqueue_wait_used(rx, &id, &len, 5000);
    g_assert_cmpuint(len, >=, sizeof(got));
    qtest_memread(q, rbuf, got, sizeof(got));
    g_assert_cmphex(got[12 + 21], ==, 2);          /* ARP reply */
    qvirtio_free(d);
}

/* virtio-serial: the fuzzed queue is often the control transmit queue */
static void virtio_serial_ring_fuzz(QTestState *q, Rng *r)
{
    vq_fuzz_queues = 6;
    virtio_mmio_ring_fuzz(q, r);
    vq_fuzz_queues = 1;
}

/* virtio-blk-pci on the pc at 00:04.0: its BARs at fixed places (again
 * after the reset, and sometimes moved or switched off), random rings
 * built in RAM and kicked through the notify region, MSI-X on or off. */
#define VPCI_DEVFN  (4 << 3)
#define VPCI_MSIX   0xe0000000u
#define VPCI_MODERN 0xe0008000u
#define VPCI_IO     0x1000

static void pc_vpci_cfg(QTestState *q, unsigned reg, uint32_t v)
{
    qtest_outl(q, 0xcf8, pci_cfg_addr(0, VPCI_DEVFN, reg));
    qtest_outl(q, 0xcfc, v);
}

static void pc_vpci_extra(QTestState *q, Rng *r)
{
    switch (rng_below(r, 8)) {
    case 0:
        pc_vpci_cfg(q, 0x10, VPCI_IO | 1);
        pc_vpci_cfg(q, 0x14, VPCI_MSIX);
        pc_vpci_cfg(q, 0x20, VPCI_MODERN | 0xc);
        pc_vpci_cfg(q, 0x24, 0);
        pc_vpci_cfg(q, 0x04, rng_below(r, 8) ? 7 : (uint32_t)rng_next(r));
        break;
    case 1:
        /* MSI-X Message Control (the capability at 0x40... find it) */
        qtest_outl(q, 0xcf8, pci_cfg_addr(0, VPCI_DEVFN, 0x34));
        {
            uint8_t pos = qtest_inb(q, 0xcfc);
            qtest_outl(q, 0xcf8, pci_cfg_addr(0, VPCI_DEVFN, pos & 0xfc));
            qtest_outw(q, 0xcfc + (pos & 3) + 2, rng_next(r));
        }
        break;
    case 2: {
        /* bring queue 0 up with rings in RAM, sizes small */
        uint32_t ring = 0x200000;

        qtest_writeb(q, VPCI_MODERN + 0x14, 0);
        qtest_writeb(q, VPCI_MODERN + 0x14, 3);
        qtest_writel(q, VPCI_MODERN + 0x08, 1);
        qtest_writel(q, VPCI_MODERN + 0x0c, 1);      /* VERSION_1 */
        qtest_writeb(q, VPCI_MODERN + 0x14, 0xb);
        qtest_writew(q, VPCI_MODERN + 0x16, rng_below(r, 4) ? 0 : rng_next(r));
        qtest_writew(q, VPCI_MODERN + 0x18, 1u << rng_below(r, 5));
        qtest_writel(q, VPCI_MODERN + 0x20, ring);
        qtest_writel(q, VPCI_MODERN + 0x28, ring + 0x1000);
        qtest_writel(q, VPCI_MODERN + 0x30, ring + 0x2000);
        qtest_writew(q, VPCI_MODERN + 0x1a, rng_below(r, 4));
        qtest_writew(q, VPCI_MODERN + 0x1c, 1);
        qtest_writeb(q, VPCI_MODERN + 0x14, 0xf);
        break;
    }
    case 3: {
        /* a random descriptor / avail entry, publish, kick */
        uint8_t d[16];
        uint64_t addr = rng_below(r, 4) ? 0x200000 + rng_below(r, 0x4000)
                                        : rng_next(r);
        uint32_t len = rng_below(r, 2) ? rng_below(r, 4096) : rng_next(r);
        uint16_t flags = rng_below(r, 8), next = rng_below(r, 16);

        memcpy(d, &addr, 8);
        memcpy(d + 8, &len, 4);
        memcpy(d + 12, &flags, 2);
        memcpy(d + 14, &next, 2);
        qtest_memwrite(q, 0x200000 + 16 * rng_below(r, 16), d, 16);
        qtest_writew(q, 0x201000 + 4 + 2 * rng_below(r, 16),
                     rng_below(r, 16));
        qtest_writew(q, 0x201002, qtest_readw(q, 0x201002) + 1);
        qtest_writew(q, VPCI_MODERN + 0x3000, rng_below(r, 8) ? 0 :
                     rng_next(r));
        break;
    }
    default:
        /* request headers in RAM the descriptors point at */
        qtest_writel(q, 0x200000 + (rng_below(r, 0x4000) & ~3u),
                     rng_below(r, 2) ? rng_below(r, 16) : rng_next(r));
        break;
    }
}

/* After the fuzzing and a reset: the function still identifies itself. */
static void pc_vpci_check(QTestState *q)
{
    qtest_outl(q, 0xcf8, pci_cfg_addr(0, VPCI_DEVFN, 0));
    g_assert_cmphex(qtest_inl(q, 0xcfc), ==, 0x10011af4);
}

/* ------------------------------------------------------------------ */
/* After-checks */

/* local APICs: accesses from either CPU, or a device's (MSIs) */
static void pc_apic_cpu(QTestState *q, Rng *r)
{
    qtest_set_cpu(q, (int)rng_below(r, 3) - 1);
}

/* interrupt controllers: random GSI levels, sometimes from CPU 1 */
static void pc_gsi_toggle(QTestState *q, Rng *r)
{
    if (rng_below(r, 8) == 0) {
        pc_apic_cpu(q, r);
        return;
    }
    qtest_set_irq_in(q, "gsi", NULL, rng_below(r, 24), rng_below(r, 2));
}

/* PIIX4 PM: decode its block at 0x600 (again after the reset) */
static void pc_pm_setup(QTestState *q, Rng *r)
{
    qtest_outl(q, 0xcf8, 0x80000000u | (0x0b << 8) | 0x40);
    qtest_outl(q, 0xcfc, 0x601);
    qtest_outl(q, 0xcf8, 0x80000000u | (0x0b << 8) | 0x80);
    qtest_outb(q, 0xcfc, 1);
    pc_gsi_toggle(q, r);
}

/* fw_cfg signature and pci-testdev's id, as after any reset */
static void pc_check(QTestState *q)
{
    char sig[5] = { 0 };

    qtest_outw(q, 0x510, 0);
    for (int i = 0; i < 4; i++) {
        sig[i] = qtest_inb(q, 0x511);
    }
    g_assert_cmpstr(sig, ==, "QEMU");
    qtest_outl(q, 0xcf8, pci_cfg_addr(0, TESTDEV_DEVFN, 0));
    g_assert_cmphex(qtest_inl(q, 0xcfc), ==, 0x00051b36);
}

static void virt_fw_cfg_check(QTestState *q)
{
    char sig[5] = { 0 };

    qtest_writew(q, VIRT_FWCFG + 8, 0);
    for (int i = 0; i < 4; i++) {
        sig[i] = qtest_readb(q, VIRT_FWCFG);
    }
    g_assert_cmpstr(sig, ==, "QEMU");
}

/* 16550 after reset: LSR = THRE | TEMT */
static void isa_serial_check(QTestState *q)
{
    g_assert_cmphex(qtest_inb(q, 0x3fd), ==, 0x60);
}

static void serial_mm_check(QTestState *q)
{
    g_assert_cmphex(qtest_readb(q, 0x10000000 + (5 << 2)), ==, 0x60);
}

/* ------------------------------------------------------------------ */

#define VIRT "-M virt -m 64M -serial null "
#define PC   "-M pc -m 64M -serial null -device pci-testdev,addr=3,msi-vectors=4 "

static const FuzzCase cases[] = {
    { "virt/pl011", "aarch64", VIRT,
      { { 0x09000000, 0x1000 } }, 1,
      { { 0x09000fe0, 4 }, { 0x09000ff0, 4 } }, 2 },
    { "virt/pl031", "aarch64", VIRT,
      { { 0x09010000, 0x1000 } }, 1,
      { { 0x09010fe0, 4 }, { 0x09010ff0, 4 } }, 2 },
    { "virt/fw_cfg", "aarch64", VIRT,
      { { 0x09020000, 0x18 } }, 1,
      { }, 0, virt_fw_cfg_dma, 8, virt_fw_cfg_check },
    { "virt/pl061", "aarch64", VIRT,
      { { 0x09030000, 0x1000 } }, 1,
      { { 0x09030fe0, 4 }, { 0x09030ff0, 4 } }, 2 },
    { "virt/gicv2", "aarch64", VIRT "-smp 2",
      { { 0x08000000, 0x1000 }, { 0x08010000, 0x2000 },
        { 0x08000000, 0x10000 } }, 3,
      { { 0x08000004, 4 }, { 0x08000008, 4 } }, 2 },
    { "virt/gicv3", "aarch64", "-M virt,gic-version=3 -m 64M -smp 2 -serial null",
      { { 0x08000000, 0x10000 }, { 0x080a0000, 0x40000 },
        { 0x080b0000, 0x1000 }, { 0x080c0000, 0x1000 } }, 4,
      { { 0x08000004, 4 }, { 0x080a0008, 8 }, { 0x080c0008, 8 } }, 3 },
    { "virt/virtio-mmio", "aarch64",
      VIRT "-device virtio-rng-device,max-bytes=4096,period=100",
      { { 0x0a000000, 0x200 }, { 0x0a000200, 0x200 },
        { 0x0a003e00, 0x200 }, { 0x0a003e00, 0x100 } }, 4,
      { { 0x0a000000, 4 }, { 0x0a000004, 4 }, { 0x0a003e08, 4 } }, 3,
      virtio_mmio_ring_fuzz, 3, virtio_mmio_check },
    /* random rings on a disk: requests of every type, hostile chains */
    { "virt/virtio-blk", "aarch64",
      VIRT "-drive if=none,id=d0,format=raw,file=@DISK@ "
      "-device virtio-blk-device,drive=d0,num-queues=2,queue-size=16",
      { { 0x0a003e00, 0x200 }, { 0x0a003e00, 0x100 } }, 2,
      { { 0x0a003e00, 4 }, { 0x0a003e08, 4 } }, 2,
      virtio_mmio_ring_fuzz, 3, virtio_blk_check },
    /* random rings on a NIC with a live user network behind it */
    { "virt/virtio-net", "aarch64",
      VIRT "-netdev user,id=n0 -device virtio-net-device,netdev=n0",
      { { 0x0a003e00, 0x200 }, { 0x0a003e00, 0x100 } }, 2,
      { { 0x0a003e00, 4 }, { 0x0a003e08, 4 } }, 2,
      virtio_net_ring_fuzz, 3, virtio_net_check },
    /* random rings on the serial device's port and control queues */
    { "virt/virtio-serial", "aarch64",
      VIRT "-chardev null,id=c0 -chardev null,id=c1 "
      "-device virtio-serial-device,max_ports=2 "
      "-device virtconsole,chardev=c0 -device virtserialport,chardev=c1",
      { { 0x0a003e00, 0x200 }, { 0x0a003e00, 0x100 } }, 2,
      { { 0x0a003e00, 4 }, { 0x0a003e08, 4 } }, 2,
      virtio_serial_ring_fuzz, 3 },
    /* the PCIe host (ECAM over the root bus: host bridge, a virtio-blk-pci
     * whose BARs the fuzzing may place in the windows), the PIO and
     * 32-bit MMIO windows, the GICv2m frame */
    { "virt/pcie", "aarch64",
      VIRT "-drive if=none,id=d0,format=raw,file=@DISK@ "
      "-device virtio-blk-pci,addr=1,drive=d0",
      { { 0x4010000000ull, 0x2000 }, { 0x3eff0000, 0x10000 },
        { 0x10000000, 0x10000 }, { 0x08020000, 0x1000 } }, 4,
      { { 0x4010000000ull, 4 }, { 0x4010001000ull, 4 },
        { 0x08020008, 4 } }, 3 },
    { "pc/virtio-blk-pci", "x86_64",
      PC "-drive if=none,id=d0,format=raw,file=@DISK@ "
      "-device virtio-blk-pci,addr=4,drive=d0,num-queues=2",
      { { VPCI_MODERN, 0x4000 }, { VPCI_MSIX, 0x1000 },
        { VPCI_IO, 0x80, true }, { 0xcf8, 8, true } }, 4,
      { }, 0, pc_vpci_extra, 2, pc_vpci_check },
    { "pc/legacy-ports", "x86_64", PC,
      { { 0x20, 2, true }, { 0x40, 4, true }, { 0x60, 5, true },
        { 0x70, 2, true } }, 4,
      { }, 0, NULL, 0, pc_check },
    { "pc/port92-com1", "x86_64", PC,
      { { 0x92, 1, true }, { 0x3f8, 8, true }, { 0xa0, 2, true },
        { 0x61, 1, true } }, 4,
      { }, 0, NULL, 0, pc_check },
    { "pc/fw_cfg", "x86_64", PC,
      { { 0x510, 12, true } }, 1,
      { }, 0, pc_fw_cfg_dma, 8, pc_check },
    { "pc/pci", "x86_64", PC,
      { { 0xcf8, 8, true } }, 1,
      { }, 0, pc_pci_extra, 3, pc_check },
    { "pc/apic", "x86_64", PC "-smp 2",
      { { 0xfee00000, 0x1000 }, { 0xfee00000, 0x100000 } }, 2,
      { { 0xfee00030, 4 } }, 1, pc_apic_cpu, 20, pc_check },
    { "pc/i8259", "x86_64", PC "-smp 2",
      { { 0x20, 2, true }, { 0xa0, 2, true }, { 0x4d0, 2, true } }, 3,
      { }, 0, pc_gsi_toggle, 4, pc_check },
    { "pc/i8254", "x86_64", PC "-smp 2",
      { { 0x40, 4, true }, { 0x61, 1, true }, { 0x20, 2, true } }, 3,
      { }, 0, pc_gsi_toggle, 16, pc_check },
    { "pc/hpet", "x86_64", PC "-smp 2",
      { { 0xfed00000, 0x400 }, { 0xfed00000, 0x130 },
        { 0xfec00000, 0x50 } }, 3,
      { { 0xfed00000, 8 } }, 1, pc_gsi_toggle, 16, pc_check },
    /* S5 stops the VM instead of ending the run */
    { "pc/piix4-pm", "x86_64", PC "-smp 2 -no-shutdown",
      { { 0x600, 0x40, true }, { 0x608, 8, true }, { 0xb2, 2, true } }, 3,
      { }, 0, pc_pm_setup, 50, pc_check },
    { "pc/ioapic", "x86_64", PC "-smp 2",
      { { 0xfec00000, 0x50 }, { 0xfec00000, 0x1000 },
        { 0xfee00000, 0x400 } }, 3,
      { { 0xfee00030, 4 } }, 1, pc_gsi_toggle, 4, pc_check },
    { "none/fw_cfg_mmio", "aarch64",
      "-m 16M -device fw_cfg_mmio,addr=0x9020000",
      { { 0x09020000, 0x18 } }, 1,
      { }, 0, none_fw_cfg_dma, 6, virt_fw_cfg_check },
    { "none/pl011", "aarch64",
      "-chardev null,id=c0 -device pl011,addr=0x9000000,chardev=c0",
      { { 0x09000000, 0x1000 } }, 1,
      { { 0x09000fe0, 4 }, { 0x09000fe8, 4 }, { 0x09000ff0, 4 } }, 3 },
    { "pc/com2-4", "x86_64",
      "-M pc -m 64M -serial null -serial null -serial null -serial null "
      "-chardev null,id=dc -device isa-debugcon,iobase=0x402,chardev=dc",
      { { 0x2f8, 8, true }, { 0x3e8, 8, true }, { 0x2e8, 8, true },
        { 0x402, 1, true } }, 4,
      { }, 0 },
    { "none/isa-serial", "aarch64",
      "-chardev null,id=c0 -device isa-serial,chardev=c0",
      { { 0x3f8, 8, true } }, 1,
      { }, 0, NULL, 0, isa_serial_check },
    { "none/serial-mm", "aarch64",
      "-chardev null,id=c0 "
      "-device serial-mm,addr=0x10000000,regshift=2,chardev=c0",
      { { 0x10000000, 0x20 } }, 1,
      { }, 0, NULL, 0, serial_mm_check },
};

/*
 * Regression: a century of 99 in CMOS 0x32 made the RTC's nanosecond
 * clock overflow; the registers then read as invalid BCD (year 0xf9).
 */
static bool is_bcd(uint8_t v)
{
    return (v & 0xf) < 10 && (v >> 4) < 10;
}

static void test_rtc_century(void)
{
    QTestState *q = fuzz_init("x86_64", "-M pc -m 64M");
    static const uint8_t regs[] = { 0, 2, 4, 7, 8, 9, 0x32 };

    if (!q) {
        return;
    }
    qtest_outb(q, 0x70, 0x32);
    qtest_outb(q, 0x71, 0x99);
    qtest_outb(q, 0x70, 0x09);
    qtest_outb(q, 0x71, 0x99);
    qtest_clock_step(q, 2000000000);
    for (size_t i = 0; i < G_N_ELEMENTS(regs); i++) {
        qtest_outb(q, 0x70, regs[i]);
        g_assert_true(is_bcd(qtest_inb(q, 0x71)));
    }
    qtest_outb(q, 0x70, 0x32);
    g_assert_cmphex(qtest_inb(q, 0x71), >=, 0x19);
    g_assert_cmphex(qtest_inb(q, 0x71), <=, 0x21);
    qtest_quit(q);
}

/*
 * Regression: an I/O BAR programmed over 0xc00-0xcff shadowed the host
 * bridge's CONFIG_ADDRESS/DATA ports until the next reset.
 */
static void test_io_bar_over_cf8(void)
{
    QTestState *q = fuzz_init("x86_64", PC);

    if (!q) {
        return;
    }
    qtest_outl(q, 0xcf8, pci_cfg_addr(0, TESTDEV_DEVFN, 0x14));
    qtest_outl(q, 0xcfc, 0xc01);
    qtest_outl(q, 0xcf8, pci_cfg_addr(0, TESTDEV_DEVFN, 4));
    qtest_outw(q, 0xcfc, 3);
    qtest_outl(q, 0xcf8, pci_cfg_addr(0, TESTDEV_DEVFN, 0));
    g_assert_cmphex(qtest_inl(q, 0xcfc), ==, 0x00051b36);
    /* the rest of the BAR decodes */
    qtest_outb(q, 0xc10, 0x5a);
    g_assert_cmphex(qtest_inb(q, 0xc10), ==, 0x5a);
    qtest_quit(q);
}

/*
 * Regression: on virt the fw_cfg DMA register is in guest memory space, so
 * a transfer could write it and start another transfer, without bound (a
 * host stack overflow).  "QEMU", the signature item, read as a big-endian
 * address is 0x51454d55: a RAM address with 512 MiB, where the descriptor
 * "select 0, read 4 bytes into DMA address low" sits.
 */
static void test_fw_cfg_dma_reentry(void)
{
    QTestState *q = fuzz_init("aarch64", "-M virt -m 512M");
    static const uint8_t desc[16] = {
        0, 0, 0, 0x0a,  0, 0, 0, 4,  0, 0, 0, 0, 0x09, 0x02, 0x00, 0x14,
    };

    if (!q) {
        return;
    }
    qtest_memwrite(q, 0x51454d55, desc, sizeof(desc));
    qtest_writeq(q, VIRT_FWCFG + 16, __builtin_bswap64(0x51454d55));
    virt_fw_cfg_check(q);
    qtest_quit(q);
}

/* ------------------------------------------------------------------ */
/*
 * Hostile virtqueues: each malformed ring the driver could build must be a
 * logged guest error that breaks the device (NEEDS_RESET, nothing used),
 * never a host crash or hang; after a reset the device works again.
 * virtio-rng is the device (one queue, it answers every request at once).
 */

#define VQ_SLOT 0x0a003e00ull

typedef struct HostileRing {
    const char *name;
    /* build the malformed request in vq; return false if the device is
     * expected to survive it (refused access, no NEEDS_RESET) */
    bool (*build)(QVirtQueue *vq, uint64_t buf);
} HostileRing;

static bool hr_avail_too_far(QVirtQueue *vq, uint64_t buf)
{
    qvirtqueue_add(vq, buf, 16, true, false);
    qtest_writew(vq->dev->qts, vq->avail + 2, vq->size + 1);
    return true;
}

static bool hr_head_beyond(QVirtQueue *vq, uint64_t buf)
{
    qvirtqueue_publish(vq, vq->size);
    return true;
}

static bool hr_head_huge(QVirtQueue *vq, uint64_t buf)
{
    qvirtqueue_publish(vq, 0xffff);
    return true;
}

static bool hr_loop(QVirtQueue *vq, uint64_t buf)
{
    qvirtqueue_write_desc(vq, 0, buf, 16, QVRING_DESC_F_WRITE |
                          QVRING_DESC_F_NEXT, 1);
    qvirtqueue_write_desc(vq, 1, buf, 16, QVRING_DESC_F_WRITE |
                          QVRING_DESC_F_NEXT, 0);
    qvirtqueue_publish(vq, 0);
    return true;
}

static bool hr_self_loop(QVirtQueue *vq, uint64_t buf)
{
    qvirtqueue_write_desc(vq, 3, buf, 16, QVRING_DESC_F_WRITE |
                          QVRING_DESC_F_NEXT, 3);
    qvirtqueue_publish(vq, 3);
    return true;
}

/* every descriptor of the table, then one more */
static bool hr_chain_too_long(QVirtQueue *vq, uint64_t buf)
{
    for (uint16_t i = 0; i < vq->size; i++) {
        qvirtqueue_write_desc(vq, i, buf, 1, QVRING_DESC_F_WRITE |
                              QVRING_DESC_F_NEXT, (i + 1) % vq->size);
    }
    qvirtqueue_publish(vq, 0);
    return true;
}

static bool hr_next_beyond(QVirtQueue *vq, uint64_t buf)
{
    qvirtqueue_write_desc(vq, 0, buf, 16, QVRING_DESC_F_WRITE |
                          QVRING_DESC_F_NEXT, vq->size);
    qvirtqueue_publish(vq, 0);
    return true;
}

static bool hr_len_wraps(QVirtQueue *vq, uint64_t buf)
{
    qvirtqueue_write_desc(vq, 0, ~0ull - 0xf, 0x100, QVRING_DESC_F_WRITE, 0);
    qvirtqueue_publish(vq, 0);
    return true;
}

static bool hr_len_past_ram(QVirtQueue *vq, uint64_t buf)
{
    /* 4 GiB - 1 from inside a 64 MiB RAM */
    qvirtqueue_write_desc(vq, 0, buf, 0xffffffff, QVRING_DESC_F_WRITE, 0);
    qvirtqueue_publish(vq, 0);
    return true;
}

static bool hr_unassigned(QVirtQueue *vq, uint64_t buf)
{
    qvirtqueue_write_desc(vq, 0, 0x7000000000ull, 16, QVRING_DESC_F_WRITE, 0);
    qvirtqueue_publish(vq, 0);
    return true;
}

static bool hr_zero_len(QVirtQueue *vq, uint64_t buf)
{
    qvirtqueue_write_desc(vq, 0, buf, 0, QVRING_DESC_F_WRITE, 0);
    qvirtqueue_publish(vq, 0);
    return true;
}

static bool hr_misordered(QVirtQueue *vq, uint64_t buf)
{
    qvirtqueue_write_desc(vq, 0, buf, 16, QVRING_DESC_F_WRITE |
                          QVRING_DESC_F_NEXT, 1);
    qvirtqueue_write_desc(vq, 1, buf, 16, 0, 0);
    qvirtqueue_publish(vq, 0);
    return true;
}

static void hr_indirect(QVirtQueue *vq, uint64_t table, uint32_t len,
                        uint16_t flags)
{
    qvirtqueue_write_desc(vq, 0, table, len, QVRING_DESC_F_INDIRECT | flags,
                          1);
    qvirtqueue_publish(vq, 0);
}

static bool hr_indirect_odd_len(QVirtQueue *vq, uint64_t buf)
{
    qvring_indirect_desc(vq->dev, buf, 0, buf + 64, 8, QVRING_DESC_F_WRITE, 0);
    hr_indirect(vq, buf, 17, 0);
    return true;
}

static bool hr_indirect_empty(QVirtQueue *vq, uint64_t buf)
{
    hr_indirect(vq, buf, 0, 0);
    return true;
}

static bool hr_indirect_nested(QVirtQueue *vq, uint64_t buf)
{
    qvring_indirect_desc(vq->dev, buf, 0, buf, 16, QVRING_DESC_F_INDIRECT, 0);
    hr_indirect(vq, buf, 16, 0);
    return true;
}

static bool hr_indirect_and_next(QVirtQueue *vq, uint64_t buf)
{
    qvring_indirect_desc(vq->dev, buf, 0, buf + 64, 8, QVRING_DESC_F_WRITE, 0);
    qvirtqueue_write_desc(vq, 1, buf + 64, 8, QVRING_DESC_F_WRITE, 0);
    hr_indirect(vq, buf, 16, QVRING_DESC_F_NEXT);
    return true;
}

static bool hr_indirect_loop(QVirtQueue *vq, uint64_t buf)
{
    qvring_indirect_desc(vq->dev, buf, 0, buf + 64, 8, QVRING_DESC_F_WRITE |
                         QVRING_DESC_F_NEXT, 1);
    qvring_indirect_desc(vq->dev, buf, 1, buf + 64, 8, QVRING_DESC_F_WRITE |
                         QVRING_DESC_F_NEXT, 0);
    hr_indirect(vq, buf, 32, 0);
    return true;
}

static bool hr_indirect_huge(QVirtQueue *vq, uint64_t buf)
{
    /* a 4 GiB table of 1100 linked one-byte buffers: the walk stops at
     * the per-request buffer limit (1024), not at the table's end */
    enum { N = 1100 };
    uint64_t table = qvring_indirect_alloc(vq->dev, N);
    g_autofree uint8_t *t = g_malloc0(N * 16);

    for (int i = 0; i < N; i++) {
        uint16_t flags = QVRING_DESC_F_WRITE | QVRING_DESC_F_NEXT;

        memcpy(t + 16 * i, &buf, 8);
        t[16 * i + 8] = 1;
        memcpy(t + 16 * i + 12, &flags, 2);
        t[16 * i + 14] = (i + 1) & 0xff;
        t[16 * i + 15] = (i + 1) >> 8;
    }
    qtest_bufwrite(vq->dev->qts, table, t, N * 16);
    hr_indirect(vq, table, 0xfffffff0, 0);
    return true;
}

static bool hr_indirect_unassigned(QVirtQueue *vq, uint64_t buf)
{
    hr_indirect(vq, 0x7000000000ull, 64, 0);
    return true;
}

/* The descriptor table over the transport's own registers: reading it
 * re-enters the device; the memory core refuses that. */
static bool hr_desc_on_registers(QVirtQueue *vq, uint64_t buf)
{
    QVirtioDevice *d = vq->dev;

    qvirtio_mmio_writel(d, 0x044, 0);                /* QueueReady */
    qvirtio_mmio_writel(d, 0x080, VQ_SLOT);          /* QueueDesc */
    qvirtio_mmio_writel(d, 0x084, 0);
    qvirtio_mmio_writel(d, 0x044, 1);
    qvirtqueue_publish(vq, 0);
    return true;
}

/* The used ring on the registers: the write-back of a completion goes
 * to QueueNotify, which would start the queue again from inside. */
static bool hr_used_on_notify(QVirtQueue *vq, uint64_t buf)
{
    QVirtioDevice *d = vq->dev;

    qvirtio_mmio_writel(d, 0x044, 0);
    qvirtio_mmio_writel(d, 0x0a0, VQ_SLOT + 0x50 - 4);   /* QueueDevice */
    qvirtio_mmio_writel(d, 0x0a4, 0);
    qvirtio_mmio_writel(d, 0x044, 1);
    qvirtqueue_add(vq, buf, 16, true, false);
    qvirtqueue_publish(vq, 0);
    return true;
}

/* A buffer over the registers: the device's write to it is refused by
 * the guard (logged); the request itself completes. */
static bool hr_buffer_on_registers(QVirtQueue *vq, uint64_t buf)
{
    qvirtqueue_write_desc(vq, 0, VQ_SLOT + 0x50, 4, QVRING_DESC_F_WRITE, 0);
    qvirtqueue_publish(vq, 0);
    return false;
}

static const HostileRing hostile_rings[] = {
    { "avail index too far", hr_avail_too_far },
    { "head beyond queue", hr_head_beyond },
    { "head 0xffff", hr_head_huge },
    { "two-descriptor loop", hr_loop },
    { "descriptor chained to itself", hr_self_loop },
    { "chain longer than the queue", hr_chain_too_long },
    { "next beyond queue", hr_next_beyond },
    { "length wraps the address space", hr_len_wraps },
    { "length past RAM", hr_len_past_ram },
    { "buffer in unassigned space", hr_unassigned },
    { "zero-length buffer", hr_zero_len },
    { "readable after writable", hr_misordered },
    { "indirect table length not a multiple of 16", hr_indirect_odd_len },
    { "empty indirect table", hr_indirect_empty },
    { "nested indirect table", hr_indirect_nested },
    { "indirect with NEXT", hr_indirect_and_next },
    { "loop inside an indirect table", hr_indirect_loop },
    { "4 GiB indirect table", hr_indirect_huge },
    { "indirect table in unassigned space", hr_indirect_unassigned },
    { "descriptor table on the device's registers", hr_desc_on_registers },
    { "used ring on QueueNotify", hr_used_on_notify },
    { "buffer on the device's registers", hr_buffer_on_registers },
};

static void test_virtio_hostile_rings(void)
{
    QTestState *q = fuzz_init("aarch64", VIRT "-device virtio-rng-device");
    QGuestAlloc alloc;
    QVirtioDevice *d;

    if (!q) {
        return;
    }
    guest_alloc_init(&alloc, VIRT_RAM + 0x100000, 0x1000000);
    d = qvirtio_mmio_init(q, VQ_SLOT, &alloc);
    for (size_t i = 0; i < G_N_ELEMENTS(hostile_rings); i++) {
        uint64_t buf = guest_alloc(q, &alloc, 256, 16);
        QVirtQueue *vq;
        uint32_t id, len;
        bool breaks;

        g_test_message("%s", hostile_rings[i].name);
        qvirtio_start(d, 1ull << QVIRTIO_F_INDIRECT_DESC);
        vq = qvirtqueue_setup(d, 0);
        qvirtio_set_driver_ok(d);
        breaks = hostile_rings[i].build(vq, buf);
        qvirtqueue_notify(vq);
        if (breaks) {
            g_assert_cmphex(qvirtio_get_status(d) & QVIRTIO_S_NEEDS_RESET, ==,
                            QVIRTIO_S_NEEDS_RESET);
            g_assert_false(qvirtqueue_get_used(vq, &id, &len));
            /* and it stays quiet until reset */
            qvirtqueue_notify(vq);
            g_assert_false(qvirtqueue_get_used(vq, &id, &len));
        }

        /* after a reset the same device answers again */
        qvirtio_start(d, 0);
        vq = qvirtqueue_setup(d, 0);
        qvirtio_set_driver_ok(d);
        qvirtqueue_kick(vq, qvirtqueue_add(vq, buf, 16, true, false));
        qvirtqueue_wait_used(vq, &id, &len, 5000);
        g_assert_cmpuint(len, ==, 16);
    }
    /* notifying queues that do not exist is only logged */
    qtest_writel(q, VQ_SLOT + 0x50, 1);
    qtest_writel(q, VQ_SLOT + 0x50, 0xffff);
    qvirtio_free(d);
    qtest_quit(q);
}

int main(int argc, char **argv)
{
    int fd, ret;

    g_test_init(&argc, &argv, NULL);
    fd = g_file_open_tmp("fuzz-disk-XXXXXX", &fuzz_disk, NULL);
    g_assert(fd >= 0 && ftruncate(fd, 1 << 20) == 0);
    close(fd);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *path = g_strdup_printf("/fuzz-devices/%s", cases[i].name);

        g_test_add_data_func(path, &cases[i], test_fuzz);
        g_free(path);
    }
    g_test_add_func("/fuzz-devices/pc/rtc-century", test_rtc_century);
    g_test_add_func("/fuzz-devices/pc/io-bar-over-cf8", test_io_bar_over_cf8);
    g_test_add_func("/fuzz-devices/virt/fw_cfg-dma-reentry",
                    test_fw_cfg_dma_reentry);
    g_test_add_func("/fuzz-devices/virtio/hostile-rings",
                    test_virtio_hostile_rings);
    ret = g_test_run();
    unlink(fuzz_disk);
    return ret;
}
