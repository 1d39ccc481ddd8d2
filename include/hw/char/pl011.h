/*
 * Arm PrimeCell UART (PL011); see hw/char/pl011.c.
 */
#ifndef HW_CHAR_PL011_H
#define HW_CHAR_PL011_H

#include "hw/core/sysbus.h"
#include "chardev/char.h"
#include "turtle/timer.h"

#define TYPE_PL011 "pl011"
#define PL011_FIFO_DEPTH 32

typedef struct PL011State {
    SysBusDevice parent_obj;
    MemoryRegion iomem;

    uint32_t rsr;             /* FE/PE/BE of the last char read, OE */
    uint32_t ilpr;
    uint32_t ibrd, fbrd;      /* as written */
    uint32_t eff_ibrd, eff_fbrd;  /* latched by an LCR_H write */
    uint32_t lcr;             /* LCR_H */
    uint32_t cr;
    uint32_t ifls;
    uint32_t imsc;
    uint32_t ris;
    uint32_t dmacr;
    uint32_t modem_in;        /* FR bits CTS/DSR/DCD/RI as seen now */
    bool pending_oe;          /* tag OE on the next char that gets in */

    uint16_t rx_fifo[PL011_FIFO_DEPTH];   /* data | DR error bits */
    uint32_t rx_head, rx_count;
    uint8_t tx_fifo[PL011_FIFO_DEPTH];
    uint32_t tx_head, tx_count;

    QEMUTimer *rt_timer;      /* receive timeout, virtual clock */
    QEMUTimer *tx_retry_timer;

    uint32_t clock_hz;        /* UARTCLK, for the receive timeout */
    CharBackend chr;
    qemu_irq irq;             /* UARTINTR: OR of the masked interrupts */
} PL011State;

DECLARE_INSTANCE_CHECKER(PL011State, PL011, TYPE_PL011)

/* Board helper: create, map at addr, wire irq. */
DeviceState *pl011_create(hwaddr addr, qemu_irq irq, Chardev *chr);

#endif
