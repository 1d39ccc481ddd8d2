/*
 * COM1 output: a 16550 at I/O 0x3f8, polled on LSR.THRE (bit 5).
 * Registers: +0 THR/DLL, +1 IER/DLM, +3 LCR, +4 MCR, +5 LSR.
 */
#include "io.h"

#define COM1 0x3f8
#define UART_LCR_DLAB 0x80
#define UART_LSR_THRE 0x20

void serial_init(void)
{
    outb(COM1 + 1, 0x00);           /* IER: no interrupts */
    outb(COM1 + 3, UART_LCR_DLAB);
    outb(COM1 + 0, 0x01);           /* divisor 1: 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);           /* 8N1, DLAB off */
    outb(COM1 + 2, 0x07);           /* FCR: enable and clear FIFOs */
    outb(COM1 + 4, 0x03);           /* MCR: DTR, RTS */
}

void serial_putc(char c)
{
    /* Bounded: a UART that never drains must not hang the test. */
    for (unsigned i = 0; i < 1000000; i++) {
        if (inb(COM1 + 5) & UART_LSR_THRE) {
            break;
        }
    }
    outb(COM1, (uint8_t)c);
}

void serial_puts(const char *s)
{
    while (*s) {
        if (*s == '\n') {
            serial_putc('\r');
        }
        serial_putc(*s++);
    }
}
