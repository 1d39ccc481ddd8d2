/*
 * 16550A UART (National Semiconductor PC16550D datasheet): the core shared
 * by isa-serial (hw/char/serial-isa.c) and serial-mm (hw/char/serial-mm.c).
 *
 * Registers (offset from the base, DLAB = LCR bit 7):
 *   0 RBR (read) / THR (write); DLL with DLAB     4 MCR
 *   1 IER; DLM with DLAB                          5 LSR (read only)
 *   2 IIR (read) / FCR (write)                    6 MSR (read only)
 *   3 LCR                                         7 SCR
 *
 * Model choices:
 * - Transmission is instantaneous: a THR write goes to the chardev at once
 *   (or to the receiver in loopback), so THRE/TEMT come back immediately.
 *   If the back end is full the bytes wait in the TX FIFO and a retry
 *   timer runs; THRE stays clear until they are gone.
 * - Receive has back-pressure: the chardev is offered only the free space
 *   of the RX FIFO (1 byte with FIFOs off), so nothing is lost; only bytes
 *   looped back by the UART itself can overrun (LSR.OE).
 * - The character timeout (CTI) fires 4 character times after the last
 *   receive or RBR read with data left in the FIFO; a character time is
 *   (1 start + 5..8 data + parity + 1..2 stop) bits of 16 * divisor clocks
 *   of the 1.8432 MHz reference, on the virtual clock.
 * - OUT2 gating: on PCs the UART's interrupt pin reaches the PIC only while
 *   MCR.OUT2 is set (the -OUT2 pin enables a tri-state buffer), and the pin
 *   is forced inactive in loopback.  isa-serial models that wiring;
 *   serial-mm drives its IRQ output directly unless out2-gates-irq=on.
 * - Modem inputs are DCD, DSR and CTS asserted (a connected cable) outside
 *   loopback; in loopback they follow DTR/RTS/OUT1/OUT2 (datasheet 8.6).
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/char/serial.h"
#include "migration/vmstate.h"

#define UART_IER_RDI   0x01   /* received data available */
#define UART_IER_THRI  0x02   /* THR empty */
#define UART_IER_RLSI  0x04   /* receiver line status */
#define UART_IER_MSI   0x08   /* modem status */

#define UART_IIR_NO_INT 0x01
#define UART_IIR_MSI    0x00
#define UART_IIR_THRI   0x02
#define UART_IIR_RDI    0x04
#define UART_IIR_RLSI   0x06
#define UART_IIR_CTI    0x0c
#define UART_IIR_FE     0xc0   /* FIFOs enabled */

#define UART_FCR_FE     0x01
#define UART_FCR_RFR    0x02
#define UART_FCR_XFR    0x04
#define UART_FCR_DMS    0x08
#define UART_FCR_ITL    0xc0

#define UART_LCR_DLAB   0x80
#define UART_LCR_SB     0x40   /* set break */
#define UART_LCR_PEN    0x08
#define UART_LCR_STB    0x04
#define UART_LCR_WLS    0x03

#define UART_MCR_DTR    0x01
#define UART_MCR_RTS    0x02
#define UART_MCR_OUT1   0x04
#define UART_MCR_OUT2   0x08
#define UART_MCR_LOOP   0x10

#define UART_LSR_DR     0x01
#define UART_LSR_OE     0x02
#define UART_LSR_PE     0x04
#define UART_LSR_FE     0x08
#define UART_LSR_BI     0x10
#define UART_LSR_THRE   0x20
#define UART_LSR_TEMT   0x40
#define UART_LSR_RXFE   0x80
#define UART_LSR_ERRS   (UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI)

#define UART_MSR_DCTS   0x01
#define UART_MSR_DDSR   0x02
#define UART_MSR_TERI   0x04
#define UART_MSR_DDCD   0x08
#define UART_MSR_CTS    0x10
#define UART_MSR_DSR    0x20
#define UART_MSR_RI     0x40
#define UART_MSR_DCD    0x80
#define UART_MSR_DELTAS 0x0f

#define UART_CLOCK_HZ   1843200

static const uint8_t rx_trigger_levels[4] = { 1, 4, 8, 14 };

static bool serial_fifo_on(SerialState *s)
{
    return s->fcr & UART_FCR_FE;
}

static uint32_t serial_fifo_size(SerialState *s)
{
    return serial_fifo_on(s) ? UART_FIFO_LENGTH : 1;
}

static uint64_t serial_char_time_ns(SerialState *s)
{
    unsigned bits = 1 + 5 + (s->lcr & UART_LCR_WLS) +
                    ((s->lcr & UART_LCR_PEN) ? 1 : 0) +
                    ((s->lcr & UART_LCR_STB) ? 2 : 1);
    uint64_t div = s->divider ? s->divider : 1;

    return bits * div * 16 * 1000000000ULL / UART_CLOCK_HZ;
}

/* The highest-priority pending source as an IIR id, or UART_IIR_NO_INT. */
static uint8_t serial_pending(SerialState *s)
{
    if ((s->ier & UART_IER_RLSI) && (s->lsr & UART_LSR_ERRS)) {
        return UART_IIR_RLSI;
    }
    if ((s->ier & UART_IER_RDI) && s->rx_count &&
        (!serial_fifo_on(s) ||
         s->rx_count >= rx_trigger_levels[s->fcr >> 6])) {
        return UART_IIR_RDI;
    }
    if ((s->ier & UART_IER_RDI) && s->timeout_ipending) {
        return UART_IIR_CTI;
    }
    if ((s->ier & UART_IER_THRI) && s->thr_ipending) {
        return UART_IIR_THRI;
    }
    if ((s->ier & UART_IER_MSI) && (s->msr & UART_MSR_DELTAS)) {
        return UART_IIR_MSI;
    }
    return UART_IIR_NO_INT;
}

static void serial_update_irq(SerialState *s)
{
    bool level = serial_pending(s) != UART_IIR_NO_INT;

    if (s->out2_gates_irq &&
        (!(s->mcr & UART_MCR_OUT2) || (s->mcr & UART_MCR_LOOP))) {
        level = false;
    }
    qemu_set_irq(s->irq, level);
}

/* Modem inputs: looped back from MCR, or a connected cable. */
static void serial_update_msr(SerialState *s)
{
    uint8_t in, old = s->msr, delta = 0;

    if (s->mcr & UART_MCR_LOOP) {
        in = ((s->mcr & UART_MCR_RTS) ? UART_MSR_CTS : 0) |
             ((s->mcr & UART_MCR_DTR) ? UART_MSR_DSR : 0) |
             ((s->mcr & UART_MCR_OUT1) ? UART_MSR_RI : 0) |
             ((s->mcr & UART_MCR_OUT2) ? UART_MSR_DCD : 0);
    } else {
        in = UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
    }
    if ((in ^ old) & UART_MSR_CTS) {
        delta |= UART_MSR_DCTS;
    }
    if ((in ^ old) & UART_MSR_DSR) {
        delta |= UART_MSR_DDSR;
    }
    if ((old & UART_MSR_RI) && !(in & UART_MSR_RI)) {
        delta |= UART_MSR_TERI;    /* trailing edge only */
    }
    if ((in ^ old) & UART_MSR_DCD) {
        delta |= UART_MSR_DDCD;
    }
    s->msr = in | (old & UART_MSR_DELTAS) | delta;
}

/* ---- receive ---- */

static void serial_cti_restart(SerialState *s)
{
    if (serial_fifo_on(s) && s->rx_count) {
        timer_mod_ns(s->cti_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                     4 * serial_char_time_ns(s));
    } else {
        timer_del(s->cti_timer);
    }
}

static void serial_cti_expired(void *opaque)
{
    SerialState *s = opaque;

    if (serial_fifo_on(s) && s->rx_count) {
        s->timeout_ipending = true;
        serial_update_irq(s);
    }
}

static void serial_rx_push(SerialState *s, uint8_t ch, uint8_t err)
{
    if (s->rx_count >= serial_fifo_size(s)) {
        if (serial_fifo_on(s)) {
            /* the character in the shift register is lost */
            s->lsr |= UART_LSR_OE;
        } else {
            /* the RBR is overwritten */
            s->rx_fifo[s->rx_head] = ch;
            s->rx_err[s->rx_head] = err;
            s->lsr |= UART_LSR_OE | err;
        }
        tlog_mask(LOG_GUEST_ERROR, "serial: receiver overrun\n");
    } else {
        uint32_t slot = (s->rx_head + s->rx_count) % UART_FIFO_LENGTH;
        s->rx_fifo[slot] = ch;
        s->rx_err[slot] = err;
        s->rx_count++;
        s->lsr |= err;
    }
    s->lsr |= UART_LSR_DR;
    s->timeout_ipending = false;
    serial_cti_restart(s);
}

static void serial_rx_clear(SerialState *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    memset(s->rx_err, 0, sizeof(s->rx_err));
    s->lsr &= ~UART_LSR_DR;
    s->timeout_ipending = false;
    timer_del(s->cti_timer);
}

static int serial_can_receive(void *opaque)
{
    SerialState *s = opaque;

    if (s->mcr & UART_MCR_LOOP) {
        return 0;   /* the serial input is disconnected in loopback */
    }
    return serial_fifo_size(s) - MIN(s->rx_count, serial_fifo_size(s));
}

static void serial_receive(void *opaque, const uint8_t *buf, int size)
{
    SerialState *s = opaque;

    for (int i = 0; i < size; i++) {
        serial_rx_push(s, buf[i], 0);
    }
    serial_update_irq(s);
}

static void serial_event(void *opaque, ChrEvent event)
{
    SerialState *s = opaque;

    if (event == CHR_EVENT_BREAK && !(s->mcr & UART_MCR_LOOP)) {
        /* a break loads one all-zero character with BI (and FE) */
        serial_rx_push(s, 0, UART_LSR_BI | UART_LSR_FE);
        serial_update_irq(s);
    }
}

static uint8_t serial_rx_pop(SerialState *s)
{
    uint8_t ch;

    if (!s->rx_count) {
        /* the RBR keeps its last value */
        return s->rx_fifo[(s->rx_head + UART_FIFO_LENGTH - 1) %
                          UART_FIFO_LENGTH];
    }
    ch = s->rx_fifo[s->rx_head];
    s->rx_err[s->rx_head] = 0;
    s->rx_head = (s->rx_head + 1) % UART_FIFO_LENGTH;
    s->rx_count--;
    if (!s->rx_count) {
        s->lsr &= ~UART_LSR_DR;
    }
    s->timeout_ipending = false;
    serial_cti_restart(s);
    qemu_chr_fe_accept_input(&s->chr);
    return ch;
}

/* ---- transmit ---- */

static void serial_xmit(SerialState *s)
{
    while (s->tx_count) {
        uint8_t ch = s->tx_fifo[s->tx_head];

        if (s->mcr & UART_MCR_LOOP) {
            serial_rx_push(s, ch, 0);
        } else if (qemu_chr_fe_backend_connected(&s->chr) &&
                   qemu_chr_fe_write(&s->chr, &ch, 1) <= 0) {
            /* back end full: try again shortly */
            timer_mod_ns(s->tx_retry_timer,
                         qemu_clock_get_ns(QEMU_CLOCK_REALTIME) + SCALE_MS);
            return;
        }
        s->tx_head = (s->tx_head + 1) % UART_FIFO_LENGTH;
        s->tx_count--;
        if (s->tx_count == 0) {
            s->lsr |= UART_LSR_THRE;
            s->thr_ipending = true;
        }
    }
    s->lsr |= UART_LSR_THRE | UART_LSR_TEMT;
}

static void serial_tx_retry(void *opaque)
{
    SerialState *s = opaque;

    serial_xmit(s);
    serial_update_irq(s);
}

static void serial_tx_clear(SerialState *s)
{
    s->tx_head = 0;
    s->tx_count = 0;
    timer_del(s->tx_retry_timer);
    if (!(s->lsr & UART_LSR_THRE)) {
        s->thr_ipending = true;
    }
    s->lsr |= UART_LSR_THRE | UART_LSR_TEMT;
}

static void serial_write_thr(SerialState *s, uint8_t val)
{
    if (s->tx_count >= serial_fifo_size(s)) {
        tlog_mask(LOG_GUEST_ERROR, "serial: THR written while full\n");
        return;
    }
    s->tx_fifo[(s->tx_head + s->tx_count) % UART_FIFO_LENGTH] = val;
    s->tx_count++;
    s->lsr &= ~(UART_LSR_THRE | UART_LSR_TEMT);
    s->thr_ipending = false;
    serial_xmit(s);
}

static void serial_write_fcr(SerialState *s, uint8_t val)
{
    /* FCR0 must be set for the other bits to be written (8.4) */
    if ((val ^ s->fcr) & UART_FCR_FE) {
        serial_rx_clear(s);
        serial_tx_clear(s);
    }
    if (!(val & UART_FCR_FE)) {
        s->fcr = 0;
        qemu_chr_fe_accept_input(&s->chr);
        return;
    }
    if (val & UART_FCR_RFR) {
        serial_rx_clear(s);
    }
    if (val & UART_FCR_XFR) {
        serial_tx_clear(s);
    }
    s->fcr = val & (UART_FCR_FE | UART_FCR_DMS | UART_FCR_ITL);
    qemu_chr_fe_accept_input(&s->chr);
}

/* ---- register access ---- */

uint64_t serial_reg_read(SerialState *s, unsigned reg)
{
    uint8_t val;

    switch (reg) {
    case 0:
        if (s->lcr & UART_LCR_DLAB) {
            return s->divider & 0xff;
        }
        val = serial_rx_pop(s);
        serial_update_irq(s);
        return val;
    case 1:
        if (s->lcr & UART_LCR_DLAB) {
            return s->divider >> 8;
        }
        return s->ier;
    case 2:
        val = serial_pending(s);
        if (val == UART_IIR_THRI) {
            /* reading IIR with THRE as the source clears it (8.6.2) */
            s->thr_ipending = false;
            serial_update_irq(s);
        }
        return val | (serial_fifo_on(s) ? UART_IIR_FE : 0);
    case 3:
        return s->lcr;
    case 4:
        return s->mcr;
    case 5:
        val = s->lsr;
        if (serial_fifo_on(s)) {
            for (uint32_t i = 0; i < s->rx_count; i++) {
                if (s->rx_err[(s->rx_head + i) % UART_FIFO_LENGTH]) {
                    val |= UART_LSR_RXFE;
                }
            }
        }
        s->lsr &= ~UART_LSR_ERRS;
        serial_update_irq(s);
        return val;
    case 6:
        val = s->msr;
        s->msr &= ~UART_MSR_DELTAS;
        serial_update_irq(s);
        return val;
    default:
        return s->scr;
    }
}

void serial_reg_write(SerialState *s, unsigned reg, uint8_t val)
{
    switch (reg) {
    case 0:
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (s->divider & 0xff00) | val;
            serial_cti_restart(s);
            return;
        }
        serial_write_thr(s, val);
        break;
    case 1:
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (s->divider & 0x00ff) | (val << 8);
            serial_cti_restart(s);
            return;
        }
        val &= 0x0f;
        if ((val & UART_IER_THRI) && !(s->ier & UART_IER_THRI) &&
            (s->lsr & UART_LSR_THRE)) {
            /* enabling ETBEI with an empty THR interrupts at once */
            s->thr_ipending = true;
        }
        s->ier = val;
        break;
    case 2:
        serial_write_fcr(s, val);
        break;
    case 3:
        s->lcr = val;
        break;
    case 4: {
        bool was_loop = s->mcr & UART_MCR_LOOP;
        s->mcr = val & 0x1f;
        serial_update_msr(s);
        if (was_loop && !(s->mcr & UART_MCR_LOOP)) {
            qemu_chr_fe_accept_input(&s->chr);
        }
        break;
    }
    case 5:
    case 6:
        tlog_mask(LOG_GUEST_ERROR, "serial: write 0x%02x to read-only %s\n",
                  val, reg == 5 ? "LSR" : "MSR");
        return;
    default:
        s->scr = val;
        return;
    }
    serial_update_irq(s);
}

void serial_reset(SerialState *s)
{
    s->divider = 12;       /* 9600 baud; the datasheet leaves it undefined */
    s->ier = 0;
    s->lcr = 0;
    s->mcr = 0;
    s->lsr = UART_LSR_THRE | UART_LSR_TEMT;
    s->msr = UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
    s->scr = 0;
    s->fcr = 0;
    s->thr_ipending = false;
    serial_rx_clear(s);
    memset(s->rx_fifo, 0, sizeof(s->rx_fifo));
    s->tx_head = 0;
    s->tx_count = 0;
    timer_del(s->tx_retry_timer);
    serial_update_irq(s);
    qemu_chr_fe_accept_input(&s->chr);
}

bool serial_realize_core(SerialState *s, Error **errp)
{
    s->cti_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, serial_cti_expired, s);
    s->tx_retry_timer = timer_new_ns(QEMU_CLOCK_REALTIME, serial_tx_retry, s);
    qemu_chr_fe_set_handlers(&s->chr, serial_can_receive, serial_receive,
                             serial_event, s);
    return true;
}

void serial_unrealize_core(SerialState *s)
{
    qemu_chr_fe_set_handlers(&s->chr, NULL, NULL, NULL, NULL);
    timer_free(s->cti_timer);
    timer_free(s->tx_retry_timer);
    s->cti_timer = s->tx_retry_timer = NULL;
}

static int serial_post_load(void *opaque, int version_id)
{
    SerialState *s = opaque;

    if (s->rx_head >= UART_FIFO_LENGTH || s->rx_count > UART_FIFO_LENGTH ||
        s->tx_head >= UART_FIFO_LENGTH || s->tx_count > UART_FIFO_LENGTH) {
        return -EINVAL;
    }
    if (s->tx_count) {
        serial_xmit(s);
    }
    serial_update_irq(s);
    return 0;
}

const VMStateDescription vmstate_serial = {
    .name = "serial",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = serial_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT16(divider, SerialState),
        VMSTATE_UINT8(ier, SerialState),
        VMSTATE_UINT8(lcr, SerialState),
        VMSTATE_UINT8(mcr, SerialState),
        VMSTATE_UINT8(lsr, SerialState),
        VMSTATE_UINT8(msr, SerialState),
        VMSTATE_UINT8(scr, SerialState),
        VMSTATE_UINT8(fcr, SerialState),
        VMSTATE_BOOL(thr_ipending, SerialState),
        VMSTATE_BOOL(timeout_ipending, SerialState),
        VMSTATE_UINT8_ARRAY(rx_fifo, SerialState, UART_FIFO_LENGTH),
        VMSTATE_UINT8_ARRAY(rx_err, SerialState, UART_FIFO_LENGTH),
        VMSTATE_UINT32(rx_head, SerialState),
        VMSTATE_UINT32(rx_count, SerialState),
        VMSTATE_UINT8_ARRAY(tx_fifo, SerialState, UART_FIFO_LENGTH),
        VMSTATE_UINT32(tx_head, SerialState),
        VMSTATE_UINT32(tx_count, SerialState),
        VMSTATE_TIMER_PTR(cti_timer, SerialState),
        VMSTATE_END_OF_LIST()
    },
};
