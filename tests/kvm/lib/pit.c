/* 8254 PIT channel 0 (output wired to ISA IRQ 0): data 0x40, control 0x43. */
#include "hw.h"

#define PIT_CH0  0x40
#define PIT_CTRL 0x43

void pit_start_periodic(unsigned hz)
{
    unsigned div = PIT_HZ / hz;
    outb(PIT_CTRL, 0x34);       /* channel 0, lobyte/hibyte, mode 2, binary */
    outb(PIT_CH0, div & 0xff);
    outb(PIT_CH0, div >> 8);
}

uint16_t pit_read_counter0(void)
{
    outb(PIT_CTRL, 0x00);       /* counter latch, channel 0 */
    uint8_t lo = inb(PIT_CH0);
    return lo | (inb(PIT_CH0) << 8);
}
