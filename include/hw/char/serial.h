/*
 * 16550A UART: one core (SerialState) shared by the ISA device
 * "isa-serial" and the memory-mapped "serial-mm".  See hw/char/serial.c.
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include "hw/core/isa.h"
#include "hw/core/sysbus.h"
#include "chardev/char.h"
#include "turtle/timer.h"

typedef struct VMStateDescription VMStateDescription;

#define TYPE_ISA_SERIAL "isa-serial"
#define TYPE_SERIAL_MM "serial-mm"

#define UART_FIFO_LENGTH 16
#define MAX_ISA_SERIAL_PORTS 4

typedef struct SerialState {
    /* registers */
    uint16_t divider;          /* DLL/DLM */
    uint8_t ier;
    uint8_t lcr;
    uint8_t mcr;
    uint8_t lsr;               /* DR..TEMT; RXFE (bit 7) is computed */
    uint8_t msr;
    uint8_t scr;
    uint8_t fcr;               /* last FCR value that took effect */
    bool thr_ipending;         /* THRE interrupt latched */
    bool timeout_ipending;     /* character timeout latched */

    /* receive FIFO (capacity 1 with FIFOs off: the RBR) */
    uint8_t rx_fifo[UART_FIFO_LENGTH];
    uint8_t rx_err[UART_FIFO_LENGTH];   /* LSR error bits of each char */
    uint32_t rx_head;
    uint32_t rx_count;
    /* transmit FIFO (capacity 1 with FIFOs off: the THR) */
    uint8_t tx_fifo[UART_FIFO_LENGTH];
    uint32_t tx_head;
    uint32_t tx_count;

    QEMUTimer *cti_timer;      /* character timeout, virtual clock */
    QEMUTimer *tx_retry_timer; /* back end was full, realtime clock */

    bool out2_gates_irq;       /* PC wiring: the IRQ line needs MCR.OUT2 */
    CharBackend chr;
    qemu_irq irq;
    MemoryRegion io;
} SerialState;

typedef struct ISASerialState {
    ISADevice parent_obj;
    uint32_t index;            /* COM1..COM4; UINT32_MAX: in creation order */
    uint32_t iobase;           /* UINT32_MAX: from index */
    uint32_t isairq;           /* UINT32_MAX: from index */
    SerialState state;
} ISASerialState;

typedef struct SerialMM {
    SysBusDevice parent_obj;
    uint8_t regshift;          /* register i is at offset i << regshift */
    uint8_t endianness;        /* enum device_endian */
    SerialState state;
} SerialMM;

DECLARE_INSTANCE_CHECKER(ISASerialState, ISA_SERIAL, TYPE_ISA_SERIAL)
DECLARE_INSTANCE_CHECKER(SerialMM, SERIAL_MM, TYPE_SERIAL_MM)

/* The core (hw/char/serial.c), for the bus front ends. */
extern const VMStateDescription vmstate_serial;
bool serial_realize_core(SerialState *s, Error **errp);
void serial_unrealize_core(SerialState *s);
void serial_reset(SerialState *s);
/* Register reg (0..7) of the 16550; the value is one byte. */
uint64_t serial_reg_read(SerialState *s, unsigned reg);
void serial_reg_write(SerialState *s, unsigned reg, uint8_t val);

/* Board helpers. */
ISADevice *serial_isa_create(int index, Chardev *chr);
SerialMM *serial_mm_create(hwaddr addr, int regshift, qemu_irq irq,
                           Chardev *chr, enum device_endian end);

#endif
