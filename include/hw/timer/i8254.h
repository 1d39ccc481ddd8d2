/*
 * Intel 8254 programmable interval timer with the PC's port 0x61 (ISA
 * device "isa-pit", hw/timer/i8254.c).
 *
 *   I/O 0x40-0x42   counters 0-2, 0x43 control word (write only)
 *   I/O 0x61        (port61 on) system control port B: bit 0 channel 2
 *                   gate, bit 1 speaker data, bits 2-3 kept (SERR/IOCHK
 *                   enables), bit 4 refresh toggle (every 15.09 us),
 *                   bit 5 channel 2 OUT; bits 6-7 (NMI sources) read 0
 *   IRQ             ISA IRQ `irq` (0): channel 0 OUT
 *   properties      iobase (0x40), irq (0), port61 (true)
 *
 * Channels 0 and 1 have their gates tied high; channel 1 (DRAM refresh on
 * old PCs) and channel 2 (the speaker; no sound is produced) have no IRQ.
 */
#ifndef HW_TIMER_I8254_H
#define HW_TIMER_I8254_H

#include "hw/core/isa.h"

#define TYPE_I8254 "isa-pit"
#define PIT_FREQ 1193182           /* Hz: 14.31818 MHz / 12 */

DeviceState *i8254_create(ISABus *bus);

#endif
