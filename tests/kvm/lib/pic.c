/*
 * 8259A pair: master at 0x20/0x21 (IRQ 0-7), slave at 0xa0/0xa1 (IRQ 8-15)
 * cascaded on master IRQ 2.  Initialised edge-triggered, 8086 mode.
 */
#include "hw.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

void pic_init(uint8_t base1, uint8_t base2)
{
    outb(PIC1_CMD, 0x11);       /* ICW1: edge, cascade, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, base1);     /* ICW2: vector base */
    outb(PIC2_DATA, base2);
    outb(PIC1_DATA, 0x04);      /* ICW3: slave on IRQ2 */
    outb(PIC2_DATA, 0x02);      /* ICW3: slave identity 2 */
    outb(PIC1_DATA, 0x01);      /* ICW4: 8086 mode, normal EOI */
    outb(PIC2_DATA, 0x01);
    pic_set_mask(0xffff);
}

void pic_set_mask(uint16_t mask)
{
    outb(PIC1_DATA, mask & 0xff);
    outb(PIC2_DATA, mask >> 8);
}

void pic_eoi(unsigned irq)
{
    if (irq >= 8) {
        outb(PIC2_CMD, 0x20);
    }
    outb(PIC1_CMD, 0x20);
}

uint8_t pic_read_irr_master(void)
{
    outb(PIC1_CMD, 0x0a);       /* OCW3: read IRR */
    return inb(PIC1_CMD);
}

uint8_t pic_read_isr_master(void)
{
    outb(PIC1_CMD, 0x0b);       /* OCW3: read ISR */
    uint8_t v = inb(PIC1_CMD);
    outb(PIC1_CMD, 0x0a);
    return v;
}
