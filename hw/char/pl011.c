/*
 * Arm PrimeCell UART (PL011), revision r1p5 (Arm DDI 0183G, TRM).
 *
 * Regions     one 4 KiB MMIO region (sysbus mmio 0)
 * IRQ lines   sysbus irq 0: UARTINTR, the OR of every masked interrupt
 * Properties  chardev, clock-frequency (UARTCLK in Hz, default 24 MHz;
 *             only used to time the receive timeout)
 *
 * Registers: DR 0x000, RSR/ECR 0x004, FR 0x018, ILPR 0x020, IBRD 0x024,
 * FBRD 0x028, LCR_H 0x02c, CR 0x030, IFLS 0x034, IMSC 0x038, RIS 0x03c,
 * MIS 0x040, ICR 0x044, DMACR 0x048, PeriphID0-3 0xfe0-0xfec,
 * PCellID0-3 0xff0-0xffc.  Anything else, and 8-byte or unaligned
 * accesses, are guest errors: logged, read as 0, writes ignored.
 *
 * Model choices:
 * - Transmission is instantaneous (to the chardev, or to the receiver with
 *   CR.LBE); a full back end leaves bytes in the TX FIFO (FR.BUSY) and a
 *   retry timer runs.
 * - Receive has back-pressure: the chardev is offered the free FIFO space
 *   (1 byte with LCR_H.FEN clear), so nothing is lost; only loopback can
 *   overrun.
 * - CR.UARTEN/TXE/RXE are not enforced: boot code (and Linux earlycon on
 *   QEMU-style boards) writes DR without enabling the UART.  Transmitting
 *   while disabled is logged as a guest error.
 * - IBRD/FBRD take effect on the next LCR_H write (TRM 3.3.6: the three
 *   form one register updated by the LCR_H strobe); reads return what was
 *   written.  The receive timeout is 32 bit periods at the latched rate.
 * - Modem inputs: CTS, DSR and DCD asserted (a connected cable) outside
 *   loopback; with LBE, RTS->CTS, DTR->DSR, Out1->DCD, Out2->RI.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/char/pl011.h"
#include "migration/vmstate.h"

enum {
    A_DR = 0x000, A_RSR = 0x004, A_FR = 0x018, A_ILPR = 0x020,
    A_IBRD = 0x024, A_FBRD = 0x028, A_LCR_H = 0x02c, A_CR = 0x030,
    A_IFLS = 0x034, A_IMSC = 0x038, A_RIS = 0x03c, A_MIS = 0x040,
    A_ICR = 0x044, A_DMACR = 0x048, A_ID = 0xfe0,
};

/* DR and RSR error bits (RSR has them shifted down by 8) */
#define DR_FE   (1 << 8)
#define DR_PE   (1 << 9)
#define DR_BE   (1 << 10)
#define DR_OE   (1 << 11)
#define RSR_OE  (1 << 3)

#define FR_CTS  (1 << 0)
#define FR_DSR  (1 << 1)
#define FR_DCD  (1 << 2)
#define FR_BUSY (1 << 3)
#define FR_RXFE (1 << 4)
#define FR_TXFF (1 << 5)
#define FR_RXFF (1 << 6)
#define FR_TXFE (1 << 7)
#define FR_RI   (1 << 8)
#define FR_MODEM (FR_CTS | FR_DSR | FR_DCD | FR_RI)

#define LCR_BRK (1 << 0)
#define LCR_FEN (1 << 4)

#define CR_UARTEN (1 << 0)
#define CR_LBE    (1 << 7)
#define CR_TXE    (1 << 8)
#define CR_RXE    (1 << 9)
#define CR_DTR    (1 << 10)
#define CR_RTS    (1 << 11)
#define CR_OUT1   (1 << 12)
#define CR_OUT2   (1 << 13)

/* interrupt bits, shared by IMSC/RIS/MIS/ICR */
#define INT_RI  (1 << 0)
#define INT_CTS (1 << 1)
#define INT_DCD (1 << 2)
#define INT_DSR (1 << 3)
#define INT_RX  (1 << 4)
#define INT_TX  (1 << 5)
#define INT_RT  (1 << 6)
#define INT_FE  (1 << 7)
#define INT_PE  (1 << 8)
#define INT_BE  (1 << 9)
#define INT_OE  (1 << 10)
#define INT_ALL 0x7ff

/* PeriphID0-3, PCellID0-3 of the r1p5 */
static const uint8_t pl011_id[8] = {
    0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

/* IFLS levels: 1/8, 1/4, 1/2, 3/4, 7/8 of the FIFO */
static const uint8_t pl011_levels[5] = { 4, 8, 16, 24, 28 };

static uint32_t pl011_depth(PL011State *s)
{
    return (s->lcr & LCR_FEN) ? PL011_FIFO_DEPTH : 1;
}

static uint32_t pl011_rx_level(PL011State *s)
{
    unsigned sel = (s->ifls >> 3) & 7;

    if (!(s->lcr & LCR_FEN)) {
        return 1;
    }
    return pl011_levels[sel < 5 ? sel : 2];
}

static uint32_t pl011_tx_level(PL011State *s)
{
    unsigned sel = s->ifls & 7;

    if (!(s->lcr & LCR_FEN)) {
        return 0;
    }
    return pl011_levels[sel < 5 ? sel : 2];
}

static void pl011_update(PL011State *s)
{
    qemu_set_irq(s->irq, (s->ris & s->imsc) != 0);
}

static void pl011_update_modem(PL011State *s)
{
    uint32_t in, changed;

    if (s->cr & CR_LBE) {
        in = ((s->cr & CR_RTS) ? FR_CTS : 0) |
             ((s->cr & CR_DTR) ? FR_DSR : 0) |
             ((s->cr & CR_OUT1) ? FR_DCD : 0) |
             ((s->cr & CR_OUT2) ? FR_RI : 0);
    } else {
        in = FR_CTS | FR_DSR | FR_DCD;
    }
    changed = in ^ s->modem_in;
    s->modem_in = in;
    s->ris |= ((changed & FR_CTS) ? INT_CTS : 0) |
              ((changed & FR_DSR) ? INT_DSR : 0) |
              ((changed & FR_DCD) ? INT_DCD : 0) |
              ((changed & FR_RI) ? INT_RI : 0);
}

/* ---- receive ---- */

static uint64_t pl011_bit_time_ns(PL011State *s)
{
    /* baud divisor = IBRD + FBRD / 64, bit period = 16 * divisor / UARTCLK */
    uint64_t div64 = (uint64_t)s->eff_ibrd * 64 + s->eff_fbrd;

    if (div64 == 0) {
        div64 = 64;   /* not programmed: behave as divisor 1 */
    }
    return div64 * 16 * 1000000000ULL / 64 / (s->clock_hz ? s->clock_hz : 1);
}

static void pl011_rt_expired(void *opaque)
{
    PL011State *s = opaque;

    if (s->rx_count) {
        s->ris |= INT_RT;
        pl011_update(s);
    }
}

static void pl011_rx_push(PL011State *s, uint8_t ch, uint32_t err)
{
    uint32_t slot;

    if (s->rx_count >= pl011_depth(s)) {
        /* the shift register's char is lost; the FIFO stays valid */
        s->rsr |= RSR_OE;
        s->ris |= INT_OE;
        s->pending_oe = true;
        tlog_mask(LOG_GUEST_ERROR, "pl011: receive overrun\n");
        return;
    }
    if (s->pending_oe) {
        err |= DR_OE;
        s->pending_oe = false;
    }
    slot = (s->rx_head + s->rx_count) % PL011_FIFO_DEPTH;
    s->rx_fifo[slot] = ch | err;
    s->rx_count++;
    s->ris |= ((err & DR_FE) ? INT_FE : 0) | ((err & DR_PE) ? INT_PE : 0) |
              ((err & DR_BE) ? INT_BE : 0);
    if (s->rx_count >= pl011_rx_level(s)) {
        s->ris |= INT_RX;
    }
    timer_mod_ns(s->rt_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                 32 * pl011_bit_time_ns(s));
}

static void pl011_rx_flush(PL011State *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    s->ris &= ~(INT_RX | INT_RT);
    timer_del(s->rt_timer);
    qemu_chr_fe_accept_input(&s->chr);
}

static int pl011_can_receive(void *opaque)
{
    PL011State *s = opaque;

    if (s->cr & CR_LBE) {
        return 0;    /* the serial input is ignored in loopback */
    }
    return pl011_depth(s) - MIN(s->rx_count, pl011_depth(s));
}

static void pl011_receive(void *opaque, const uint8_t *buf, int size)
{
    PL011State *s = opaque;

    for (int i = 0; i < size; i++) {
        pl011_rx_push(s, buf[i], 0);
    }
    pl011_update(s);
}

static void pl011_event(void *opaque, ChrEvent event)
{
    PL011State *s = opaque;

    if (event == CHR_EVENT_BREAK && !(s->cr & CR_LBE)) {
        /* a break loads one zero character with BE set */
        pl011_rx_push(s, 0, DR_BE);
        pl011_update(s);
    }
}

static uint32_t pl011_read_dr(PL011State *s)
{
    uint32_t val;

    if (!s->rx_count) {
        return 0;
    }
    val = s->rx_fifo[s->rx_head];
    s->rx_head = (s->rx_head + 1) % PL011_FIFO_DEPTH;
    s->rx_count--;
    /* RSR shows the FE/PE/BE of this char; OE stays until ECR */
    s->rsr = (s->rsr & RSR_OE) | ((val >> 8) & 7);
    if (s->rx_count < pl011_rx_level(s)) {
        s->ris &= ~INT_RX;
    }
    if (!s->rx_count) {
        s->ris &= ~INT_RT;
        timer_del(s->rt_timer);
    }
    qemu_chr_fe_accept_input(&s->chr);
    return val;
}

/* ---- transmit ---- */

static void pl011_xmit(PL011State *s)
{
    bool sent = false;

    if (s->tx_count && (s->cr & (CR_UARTEN | CR_TXE)) !=
        (CR_UARTEN | CR_TXE)) {
        tlog_mask(LOG_GUEST_ERROR, "pl011: transmitting while the UART or "
                  "its transmitter is disabled (CR 0x%x)\n", s->cr);
    }
    while (s->tx_count) {
        uint8_t ch = s->tx_fifo[s->tx_head];

        if (s->cr & CR_LBE) {
            pl011_rx_push(s, ch, 0);
        } else if (qemu_chr_fe_backend_connected(&s->chr) &&
                   qemu_chr_fe_write(&s->chr, &ch, 1) <= 0) {
            timer_mod_ns(s->tx_retry_timer,
                         qemu_clock_get_ns(QEMU_CLOCK_REALTIME) + SCALE_MS);
            break;
        }
        s->tx_head = (s->tx_head + 1) % PL011_FIFO_DEPTH;
        s->tx_count--;
        sent = true;
    }
    /* TXRIS is raised when the FIFO drains to (or through) its level */
    if (sent && s->tx_count <= pl011_tx_level(s)) {
        s->ris |= INT_TX;
    }
}

static void pl011_tx_retry(void *opaque)
{
    PL011State *s = opaque;

    pl011_xmit(s);
    pl011_update(s);
}

static void pl011_write_dr(PL011State *s, uint8_t ch)
{
    if (s->tx_count >= pl011_depth(s)) {
        tlog_mask(LOG_GUEST_ERROR, "pl011: DR written with the TX FIFO full\n");
        return;
    }
    s->tx_fifo[(s->tx_head + s->tx_count) % PL011_FIFO_DEPTH] = ch;
    s->tx_count++;
    if (s->tx_count > pl011_tx_level(s)) {
        s->ris &= ~INT_TX;
    }
    pl011_xmit(s);
}

/* ---- registers ---- */

static uint32_t pl011_read_fr(PL011State *s)
{
    uint32_t fr = s->modem_in;

    if (s->tx_count) {
        fr |= FR_BUSY;
    } else {
        fr |= FR_TXFE;
    }
    if (s->tx_count >= pl011_depth(s)) {
        fr |= FR_TXFF;
    }
    if (!s->rx_count) {
        fr |= FR_RXFE;
    }
    if (s->rx_count >= pl011_depth(s)) {
        fr |= FR_RXFF;
    }
    return fr;
}

static bool pl011_access_ok(hwaddr offset, unsigned size, bool is_write)
{
    if (size == 8 || (offset & (size - 1)) || (offset & 3)) {
        tlog_mask(LOG_GUEST_ERROR, "pl011: bad %u-byte %s at offset 0x%03x\n",
                  size, is_write ? "write" : "read", (unsigned)offset);
        return false;
    }
    return true;
}

static uint64_t pl011_read(void *opaque, hwaddr offset, unsigned size)
{
    PL011State *s = opaque;
    uint32_t val;

    if (!pl011_access_ok(offset, size, false)) {
        return 0;
    }
    switch (offset) {
    case A_DR:
        val = pl011_read_dr(s);
        pl011_update(s);
        break;
    case A_RSR:
        val = s->rsr;
        break;
    case A_FR:
        val = pl011_read_fr(s);
        break;
    case A_ILPR:
        val = s->ilpr;
        break;
    case A_IBRD:
        val = s->ibrd;
        break;
    case A_FBRD:
        val = s->fbrd;
        break;
    case A_LCR_H:
        val = s->lcr;
        break;
    case A_CR:
        val = s->cr;
        break;
    case A_IFLS:
        val = s->ifls;
        break;
    case A_IMSC:
        val = s->imsc;
        break;
    case A_RIS:
        val = s->ris;
        break;
    case A_MIS:
        val = s->ris & s->imsc;
        break;
    case A_DMACR:
        val = s->dmacr;
        break;
    default:
        if (offset >= A_ID && offset <= 0xffc) {
            val = pl011_id[(offset - A_ID) >> 2];
            break;
        }
        tlog_mask(LOG_GUEST_ERROR, "pl011: read of bad offset 0x%03x\n",
                  (unsigned)offset);
        return 0;
    }
    return val;
}

static void pl011_write(void *opaque, hwaddr offset, uint64_t value,
                        unsigned size)
{
    PL011State *s = opaque;
    uint32_t val = value;

    if (!pl011_access_ok(offset, size, true)) {
        return;
    }
    switch (offset) {
    case A_DR:
        pl011_write_dr(s, val & 0xff);
        break;
    case A_RSR:            /* ECR: any write clears the error flags */
        s->rsr = 0;
        break;
    case A_ILPR:
        s->ilpr = val & 0xff;
        break;
    case A_IBRD:
        s->ibrd = val & 0xffff;
        break;
    case A_FBRD:
        s->fbrd = val & 0x3f;
        break;
    case A_LCR_H:
        if ((val ^ s->lcr) & LCR_FEN) {
            /* switching between FIFOs and holding registers flushes them */
            pl011_rx_flush(s);
            s->tx_head = s->tx_count = 0;
            timer_del(s->tx_retry_timer);
        }
        s->lcr = val & 0xff;
        s->eff_ibrd = s->ibrd;
        s->eff_fbrd = s->fbrd;
        qemu_chr_fe_accept_input(&s->chr);
        break;
    case A_CR: {
        bool was_lbe = s->cr & CR_LBE;
        s->cr = val & 0xff87;
        pl011_update_modem(s);
        if (was_lbe && !(s->cr & CR_LBE)) {
            qemu_chr_fe_accept_input(&s->chr);
        }
        pl011_xmit(s);
        break;
    }
    case A_IFLS:
        s->ifls = val & 0x3f;
        break;
    case A_IMSC:
        s->imsc = val & INT_ALL;
        break;
    case A_ICR:
        s->ris &= ~(val & INT_ALL);
        break;
    case A_DMACR:
        s->dmacr = val & 7;
        if (val & 3) {
            tlog_mask(LOG_UNIMP, "pl011: DMA is not implemented\n");
        }
        break;
    case A_FR:
    case A_RIS:
    case A_MIS:
        tlog_mask(LOG_GUEST_ERROR, "pl011: write to read-only offset 0x%03x\n",
                  (unsigned)offset);
        return;
    default:
        tlog_mask(LOG_GUEST_ERROR, "pl011: write to bad offset 0x%03x\n",
                  (unsigned)offset);
        return;
    }
    pl011_update(s);
}

static const MemoryRegionOps pl011_ops = {
    .read = pl011_read,
    .write = pl011_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    /* every size reaches the handlers, which refuse the bad ones */
    .valid = { .min_access_size = 1, .max_access_size = 8, .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 8, .unaligned = true },
};

/* ---- life cycle ---- */

static void pl011_init(Object *obj)
{
    PL011State *s = PL011(obj);
    SysBusDevice *sbd = SYS_BUS_DEVICE(obj);

    memory_region_init_io(&s->iomem, obj, &pl011_ops, s, "pl011", 0x1000);
    sysbus_init_mmio(sbd, &s->iomem);
    sysbus_init_irq(sbd, &s->irq);
}

static bool pl011_realize(DeviceState *dev, Error **errp)
{
    PL011State *s = PL011(dev);

    if (!s->clock_hz) {
        error_setg(errp, "pl011: clock-frequency must not be 0");
        return false;
    }
    s->rt_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, pl011_rt_expired, s);
    s->tx_retry_timer = timer_new_ns(QEMU_CLOCK_REALTIME, pl011_tx_retry, s);
    qemu_chr_fe_set_handlers(&s->chr, pl011_can_receive, pl011_receive,
                             pl011_event, s);
    return true;
}

static void pl011_unrealize(DeviceState *dev)
{
    PL011State *s = PL011(dev);

    qemu_chr_fe_set_handlers(&s->chr, NULL, NULL, NULL, NULL);
    timer_free(s->rt_timer);
    timer_free(s->tx_retry_timer);
    s->rt_timer = s->tx_retry_timer = NULL;
}

static void pl011_reset(DeviceState *dev)
{
    PL011State *s = PL011(dev);

    s->rsr = 0;
    s->ilpr = 0;
    s->ibrd = s->fbrd = s->eff_ibrd = s->eff_fbrd = 0;
    s->lcr = 0;
    s->cr = CR_RXE | CR_TXE;
    s->ifls = 0x12;
    s->imsc = 0;
    s->dmacr = 0;
    s->pending_oe = false;
    s->tx_head = s->tx_count = 0;
    timer_del(s->tx_retry_timer);
    s->rx_head = s->rx_count = 0;
    timer_del(s->rt_timer);
    s->modem_in = FR_CTS | FR_DSR | FR_DCD;
    s->ris = 0;
    pl011_update(s);
    qemu_chr_fe_accept_input(&s->chr);
}

static int pl011_post_load(void *opaque, int version_id)
{
    PL011State *s = opaque;

    if (s->rx_head >= PL011_FIFO_DEPTH || s->rx_count > PL011_FIFO_DEPTH ||
        s->tx_head >= PL011_FIFO_DEPTH || s->tx_count > PL011_FIFO_DEPTH) {
        return -EINVAL;
    }
    pl011_xmit(s);
    pl011_update(s);
    /* the loaded receive FIFO may have room the old one had not: the
     * chardev stopped offering input while it was full (loadvm) */
    qemu_chr_fe_accept_input(&s->chr);
    return 0;
}

static const VMStateDescription vmstate_pl011 = {
    .name = "pl011",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = pl011_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(rsr, PL011State),
        VMSTATE_UINT32(ilpr, PL011State),
        VMSTATE_UINT32(ibrd, PL011State),
        VMSTATE_UINT32(fbrd, PL011State),
        VMSTATE_UINT32(eff_ibrd, PL011State),
        VMSTATE_UINT32(eff_fbrd, PL011State),
        VMSTATE_UINT32(lcr, PL011State),
        VMSTATE_UINT32(cr, PL011State),
        VMSTATE_UINT32(ifls, PL011State),
        VMSTATE_UINT32(imsc, PL011State),
        VMSTATE_UINT32(ris, PL011State),
        VMSTATE_UINT32(dmacr, PL011State),
        VMSTATE_UINT32(modem_in, PL011State),
        VMSTATE_BOOL(pending_oe, PL011State),
        VMSTATE_UINT16_ARRAY(rx_fifo, PL011State, PL011_FIFO_DEPTH),
        VMSTATE_UINT32(rx_head, PL011State),
        VMSTATE_UINT32(rx_count, PL011State),
        VMSTATE_UINT8_ARRAY(tx_fifo, PL011State, PL011_FIFO_DEPTH),
        VMSTATE_UINT32(tx_head, PL011State),
        VMSTATE_UINT32(tx_count, PL011State),
        VMSTATE_TIMER_PTR(rt_timer, PL011State),
        VMSTATE_END_OF_LIST()
    },
};

static const Property pl011_props[] = {
    DEFINE_PROP_CHR("chardev", PL011State, chr),
    DEFINE_PROP_UINT32("clock-frequency", PL011State, clock_hz, 24000000),
    DEFINE_PROP_END_OF_LIST(),
};

static void pl011_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "Arm PrimeCell UART (PL011)";
    dc->category = DEVICE_CATEGORY_CHAR;
    dc->props = pl011_props;
    dc->user_creatable = true;
    dc->realize = pl011_realize;
    dc->unrealize = pl011_unrealize;
    dc->reset = pl011_reset;
    dc->vmsd = &vmstate_pl011;
}

DeviceState *pl011_create(hwaddr addr, qemu_irq irq, Chardev *chr)
{
    DeviceState *dev = qdev_new(TYPE_PL011);

    if (chr) {
        qdev_prop_set_chr(dev, "chardev", chr);
    }
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, addr);
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, irq);
    return dev;
}

static const TypeInfo pl011_info = {
    .name = TYPE_PL011,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(PL011State),
    .instance_init = pl011_init,
    .class_init = pl011_class_init,
};
TYPE_REGISTER(pl011_info)
