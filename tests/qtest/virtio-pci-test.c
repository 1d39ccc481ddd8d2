/*
 * The virtio-pci transport (virtio 1.2, 4.1): identity of transitional and
 * modern functions, the capability list, MSI-X (messages written into
 * guest RAM, where the test reads them; masking and the pending bits),
 * INTx through the ISR, the PCI_CFG window, vector checks, and the
 * -pci types' properties (the proxy's own and its device's).
 */
#include "libqvirtio.h"

#include <string.h>

#define DEVFN       (4 << 3)
#define MSG_ADDR    0x300000ull         /* MSI-X messages land here (RAM) */
#define RNG_PC      "-M pc -m 64M -device virtio-rng-pci,addr=4"

static QTestState *start(const char *args, QGuestAlloc *a)
{
    guest_alloc_init(a, 0x100000, 0x100000);
    return qvirtio_qtest_init(args);
}

static uint16_t cfgw(QTestState *q, uint32_t reg)
{
    return qpci_config_read(q, false, DEVFN, reg, 2);
}

/* Transitional on the pc: ids, BARs and the capability list. */
static void test_ids_caps(void)
{
    QGuestAlloc a;
    QTestState *q = start(RNG_PC ",vectors=3", &a);
    uint8_t types = 0, msix = 0;

    g_assert_cmphex(cfgw(q, 0x00), ==, 0x1af4);
    g_assert_cmphex(cfgw(q, 0x02), ==, 0x1005);
    g_assert_cmphex(qpci_config_read(q, false, DEVFN, 0x08, 1), ==, 0);
    g_assert_cmphex(cfgw(q, 0x2c), ==, 0x1af4);
    g_assert_cmphex(cfgw(q, 0x2e), ==, 4);
    g_assert_cmphex(qpci_config_read(q, false, DEVFN, 0x3d, 1), ==, 1);
    g_assert_true(cfgw(q, 0x06) & 0x10);              /* capability list */
    /* BAR0 I/O (legacy), BAR4 64-bit memory 16 KiB */
    g_assert_cmphex(qpci_config_read(q, false, DEVFN, 0x10, 4) & 1, ==, 1);
    qpci_config_write(q, false, DEVFN, 0x20, 0xffffffff, 4);
    g_assert_cmphex(qpci_config_read(q, false, DEVFN, 0x20, 4), ==,
                    0xffffc00c);
    for (uint8_t pos = qpci_config_read(q, false, DEVFN, 0x34, 1); pos;
         pos = qpci_config_read(q, false, DEVFN, pos + 1, 1)) {
        uint8_t id = qpci_config_read(q, false, DEVFN, pos, 1);

        if (id == 0x11) {
            msix = pos;
        } else if (id == 0x09) {
            uint8_t type = qpci_config_read(q, false, DEVFN, pos + 3, 1);

            types |= 1u << type;
            if (type == 2) {
                g_assert_cmpuint(qpci_config_read(q, false, DEVFN, pos + 16,
                                                  4), ==, 4);
            }
            if (type != 5) {
                g_assert_cmpuint(qpci_config_read(q, false, DEVFN, pos + 4,
                                                  1), ==, 4);   /* BAR4 */
            }
        }
    }
    g_assert_cmphex(types, ==, 0x3e);                   /* types 1..5 */
    g_assert_cmpuint(msix, !=, 0);
    g_assert_cmpuint(qpci_config_read(q, false, DEVFN, msix + 2, 2) & 0x7ff,
                     ==, 2);                            /* 3 vectors */
    qtest_quit(q);

    /* modern only, no MSI-X */
    q = start(RNG_PC ",disable-legacy=on,vectors=0", &a);
    g_assert_cmphex(cfgw(q, 0x02), ==, 0x1044);
    g_assert_cmphex(qpci_config_read(q, false, DEVFN, 0x08, 1), ==, 1);
    g_assert_cmphex(qpci_config_read(q, false, DEVFN, 0x10, 4), ==, 0);
    for (uint8_t pos = qpci_config_read(q, false, DEVFN, 0x34, 1); pos;
         pos = qpci_config_read(q, false, DEVFN, pos + 1, 1)) {
        g_assert_cmphex(qpci_config_read(q, false, DEVFN, pos, 1), !=, 0x11);
    }
    qtest_quit(q);
}

/* One rng request on vq; wait for it. */
static void rng_request(QTestState *q, QVirtQueue *vq, uint64_t buf)
{
    uint32_t id, len;

    vq->free_head = 0;
    vq->num_free = vq->size;
    qvirtqueue_kick(vq, qvirtqueue_add(vq, buf, 16, true, false));
    qvirtqueue_wait_used(vq, &id, &len, 5000);
    g_assert_cmpuint(len, ==, 16);
}

/* MSI-X: the queue's vector writes its message into RAM; masked, the
 * vector is pending and sent on unmask; with the function's MSI-X off the
 * device uses INTx and the ISR. */
static void test_msix(const void *opaque)
{
    bool legacy = GPOINTER_TO_INT(opaque);
    QGuestAlloc a;
    QTestState *q = start(RNG_PC, &a);
    QVirtioDevice *d = qvirtio_pci_init(q, false, DEVFN, legacy, &a);
    uint64_t buf = guest_alloc(q, &a, 16, 8);
    QVirtQueue *vq;

    qvirtio_pci_msix_enable(d, true);
    qvirtio_pci_msix_entry(d, 0, MSG_ADDR, 0x1111, false);
    qvirtio_pci_msix_entry(d, 1, MSG_ADDR + 4, 0x2222, false);
    qvirtio_start(d, 0);
    qvirtio_pci_set_config_vector(d, 0);
    g_assert_cmpuint(qvirtio_pci_get_config_vector(d), ==, 0);
    /* vector 7 is beyond the table (2 vectors): NO_VECTOR */
    qvirtio_pci_set_config_vector(d, 7);
    g_assert_cmphex(qvirtio_pci_get_config_vector(d), ==, 0xffff);
    vq = qvirtqueue_setup_msix(d, 0, 0, 1);     /* queue 0 on vector 1 */
    qvirtio_set_driver_ok(d);

    rng_request(q, vq, buf);
    g_assert_cmphex(qtest_readl(q, MSG_ADDR + 4), ==, 0x2222);
    g_assert_cmphex(qtest_readl(q, MSG_ADDR), ==, 0);

    /* masked: nothing written until unmasked */
    qtest_writel(q, MSG_ADDR + 4, 0);
    qvirtio_pci_msix_entry(d, 1, MSG_ADDR + 4, 0x3333, true);
    rng_request(q, vq, buf);
    g_assert_cmphex(qtest_readl(q, MSG_ADDR + 4), ==, 0);
    qvirtio_pci_msix_entry(d, 1, MSG_ADDR + 4, 0x3333, false);
    g_assert_cmphex(qtest_readl(q, MSG_ADDR + 4), ==, 0x3333);

    /* MSI-X off: the ISR says "queue" (and INTx is up until it is read) */
    qvirtio_pci_msix_enable(d, false);
    qvirtio_isr(d);
    qtest_writel(q, MSG_ADDR + 4, 0);
    rng_request(q, vq, buf);
    g_assert_cmphex(qtest_readl(q, MSG_ADDR + 4), ==, 0);
    g_assert_cmpuint(qvirtio_isr(d) & 1, ==, 1);
    g_assert_cmpuint(qvirtio_isr(d), ==, 0);            /* read clears */
    qvirtio_free(d);
    qtest_quit(q);
}

/* virt: modern-only on PCIe; an MSI-X message to the GICv2m frame's
 * SETSPI register makes its SPI pending in the GIC distributor. */
#define V2M_SETSPI      0x08020040ull
#define GICD_ICFGR(n)   (0x08000c00ull + 4 * (n))
#define GICD_ISPENDR(n) (0x08000200ull + 4 * (n))

static void test_virt_v2m(void)
{
    QGuestAlloc a;
    QTestState *q;
    QVirtioDevice *d;
    QVirtQueue *vq;
    uint64_t buf;
    unsigned intid = 32 + 48 + 5;       /* the frame's sixth SPI */

    guest_alloc_init(&a, 0x40100000, 0x100000);
    q = qvirtio_qtest_init("-M virt -m 64M -device virtio-rng-pci,addr=4");
    d = qvirtio_pci_init(q, true, DEVFN, false, &a);
    g_assert_cmphex(qpci_config_read(q, true, DEVFN, 2, 2), ==, 0x1044);
    g_assert_cmphex(qpci_config_read(q, true, DEVFN, 8, 1), ==, 1);
    /* the host bridge at 00.0; nothing at 00.1 or on bus 1 */
    g_assert_cmphex(qpci_config_read(q, true, 0, 0, 4), ==, 0x00081b36);
    g_assert_cmphex(qpci_config_read(q, true, 1, 0, 4), ==, 0xffffffff);
    g_assert_cmphex(qtest_readl(q, 0x4010000000ull + (1 << 20)), ==,
                    0xffffffff);
    /* MSI_TYPER: SPIs from INTID 80, 64 of them */
    g_assert_cmphex(qtest_readl(q, 0x08020008), ==, (80u << 16) | 64);

    buf = guest_alloc(q, &a, 16, 8);
    /* the SPI edge-triggered, as Linux sets the frame's SPIs */
    qtest_writel(q, GICD_ICFGR(intid / 16), 2u << (2 * (intid % 16)));
    qvirtio_pci_msix_enable(d, true);
    qvirtio_pci_msix_entry(d, 1, V2M_SETSPI, intid, false);
    qvirtio_start(d, 0);
    vq = qvirtqueue_setup_msix(d, 0, 0, 1);
    qvirtio_set_driver_ok(d);
    g_assert_false(qtest_readl(q, GICD_ISPENDR(intid / 32)) &
                   (1u << (intid % 32)));
    rng_request(q, vq, buf);
    g_assert_true(qtest_readl(q, GICD_ISPENDR(intid / 32)) &
                  (1u << (intid % 32)));
    qvirtio_free(d);
    qtest_quit(q);
}

/* VIRTIO_PCI_CAP_PCI_CFG: device_feature read through config space. */
static void test_pci_cfg(void)
{
    QGuestAlloc a;
    QTestState *q = start(RNG_PC, &a);
    QVirtioDevice *d = qvirtio_pci_init(q, false, DEVFN, false, &a);
    uint8_t cap = 0;

    for (uint8_t pos = qvirtio_pci_cfg(d, 0x34, 1); pos;
         pos = qvirtio_pci_cfg(d, pos + 1, 1)) {
        if (qvirtio_pci_cfg(d, pos, 1) == 9 &&
            qvirtio_pci_cfg(d, pos + 3, 1) == 5) {
            cap = pos;
        }
    }
    g_assert_cmpuint(cap, !=, 0);
    qpci_config_write(q, false, DEVFN, cap + 4, 4, 1);        /* BAR4 */
    qpci_config_write(q, false, DEVFN, cap + 8, 0x0c, 4);     /* GF */
    qpci_config_write(q, false, DEVFN, cap + 12, 4, 4);
    qpci_config_write(q, false, DEVFN, cap + 8, 0x00, 4);     /* DFSELECT */
    qpci_config_write(q, false, DEVFN, cap + 16, 1, 4);
    qpci_config_write(q, false, DEVFN, cap + 8, 0x04, 4);     /* DF */
    /* high word of the offered features: VERSION_1 */
    g_assert_cmphex(qpci_config_read(q, false, DEVFN, cap + 16, 4), ==, 1);
    /* a bad length is ignored */
    qpci_config_write(q, false, DEVFN, cap + 12, 3, 4);
    qpci_config_write(q, false, DEVFN, cap + 16, 0, 4);
    qvirtio_free(d);
    qtest_quit(q);
}

/* The device's properties through the proxy; refused values. */
static void test_props(void)
{
    static const char *const bad[][2] = {
        { "-device virtio-rng-pci,period=0", "'period'" },
        { "-device virtio-rng-pci,disable-legacy=maybe", "disable-legacy" },
        { "-device virtio-rng-pci,disable-legacy=on,disable-modern=on",
          "disable-modern" },
        { "-device virtio-blk-pci", "drive" },
        { "-device virtio-rng-pci,vectors=4096", "msix" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *args = g_strdup_printf("-M pc -accel qtest "
                                                "-display none -nodefaults "
                                                "-qtest null %s", bad[i][0]);
        g_autofree char *err = NULL;

        qvirtio_select_binary(args);
        g_assert_cmpint(qtest_run(qtest_binary(), args, NULL, &err), ==, 1);
        g_assert_nonnull(strstr(err, bad[i][1]));
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-pci/pc/ids-caps", test_ids_caps);
    g_test_add_data_func("/virtio-pci/pc/msix", GINT_TO_POINTER(0),
                         test_msix);
    g_test_add_data_func("/virtio-pci/pc/msix-legacy", GINT_TO_POINTER(1),
                         test_msix);
    g_test_add_func("/virtio-pci/pc/pci-cfg", test_pci_cfg);
    g_test_add_func("/virtio-pci/virt/pcie-v2m", test_virt_v2m);
    g_test_add_func("/virtio-pci/props", test_props);
    return g_test_run();
}
