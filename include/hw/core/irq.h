/*
 * Interrupt (and general purpose) lines between devices.
 *
 * A qemu_irq is the input end of a line: its owner's handler is called
 * with the new level.  Output ends are plain `qemu_irq` fields of the
 * driving device, connected by the board (qdev_connect_gpio_out or
 * sysbus_connect_irq).  An unconnected output (NULL) is silently ignored.
 */
#ifndef HW_CORE_IRQ_H
#define HW_CORE_IRQ_H

#include "turtle/osdep.h"

typedef struct IRQState *qemu_irq;
typedef void (*qemu_irq_handler)(void *opaque, int n, int level);

struct IRQState {
    qemu_irq_handler handler;
    void *opaque;
    int n;
};

void qemu_set_irq(qemu_irq irq, int level);

static inline void qemu_irq_raise(qemu_irq irq) { qemu_set_irq(irq, 1); }
static inline void qemu_irq_lower(qemu_irq irq) { qemu_set_irq(irq, 0); }
static inline void qemu_irq_pulse(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
    qemu_set_irq(irq, 0);
}

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n);
/* n lines numbered 0..n-1; free with qemu_free_irqs(irqs, n). */
qemu_irq *qemu_allocate_irqs(qemu_irq_handler handler, void *opaque, int n);
void qemu_free_irq(qemu_irq irq);
void qemu_free_irqs(qemu_irq *irqs, int n);
/* A line that drives both a and b (e.g. one source, two controllers). */
qemu_irq qemu_irq_split(qemu_irq a, qemu_irq b);

#endif
