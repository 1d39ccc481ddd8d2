/*
 * i8042 keyboard controller with a minimal PS/2 keyboard and mouse.
 *
 *   I/O 0x60   data (read: output buffer; write: to the keyboard, or the
 *              argument of a pending controller command)
 *   I/O 0x64   status (read) / command (write)
 *   IRQ 1      keyboard byte in the output buffer (command byte bit 0)
 *   IRQ 12     mouse byte in the output buffer (command byte bit 1)
 *   gpio out "a20"  output port bit 1 (A20 gate), for the CPU
 *   properties  iobase (0x60), cmdbase (0x64)
 *
 * Pulsing output port bit 0 (command 0xfe, or writing the output port
 * with bit 0 clear) requests a system reset.
 */
#ifndef HW_INPUT_I8042_H
#define HW_INPUT_I8042_H

#include "hw/core/isa.h"

#define TYPE_I8042 "i8042"
#define I8042_QUEUE_SIZE 16

typedef struct PS2Queue {
    uint8_t data[I8042_QUEUE_SIZE];
    uint32_t rptr, count;
} PS2Queue;

typedef struct I8042State {
    ISADevice parent_obj;
    MemoryRegion data_io, cmd_io;
    uint8_t status;
    uint8_t mode;               /* the command byte */
    uint8_t outport;
    uint8_t pending_cmd;        /* controller command awaiting data */
    uint8_t obuf;               /* last byte put in the output buffer */
    bool obuf_aux;              /* it came from the mouse */
    PS2Queue ctl_q;             /* controller replies, 0xd2 bytes */
    PS2Queue ctl_aux_q;         /* 0xd3 bytes (mouse side) */
    PS2Queue kbd_q, aux_q;      /* from the devices; held while disabled */
    uint8_t kbd_pending;        /* keyboard command awaiting its argument */
    uint8_t aux_pending;
    uint8_t kbd_scancode_set;
    bool kbd_scan_enabled;
    uint8_t kbd_leds;
    qemu_irq irq_kbd, irq_aux;
    qemu_irq a20_out;
    uint32_t iobase, cmdbase;
} I8042State;

DECLARE_INSTANCE_CHECKER(I8042State, I8042, TYPE_I8042)

/* Queue a keyboard scancode byte (for a future UI/monitor sendkey). */
void i8042_put_kbd(I8042State *s, uint8_t byte);

#endif
