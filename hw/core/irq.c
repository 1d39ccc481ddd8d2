/* IRQ lines; see hw/core/irq.h. */
#include "turtle/osdep.h"
#include "hw/core/irq.h"

void qemu_set_irq(qemu_irq irq, int level)
{
    if (irq) {
        irq->handler(irq->opaque, irq->n, level);
    }
}

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n)
{
    qemu_irq irq = g_new0(struct IRQState, 1);

    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
    return irq;
}

qemu_irq *qemu_allocate_irqs(qemu_irq_handler handler, void *opaque, int n)
{
    qemu_irq *irqs = g_new0(qemu_irq, n);

    for (int i = 0; i < n; i++) {
        irqs[i] = qemu_allocate_irq(handler, opaque, i);
    }
    return irqs;
}

void qemu_free_irq(qemu_irq irq)
{
    g_free(irq);
}

void qemu_free_irqs(qemu_irq *irqs, int n)
{
    for (int i = 0; i < n; i++) {
        qemu_free_irq(irqs[i]);
    }
    g_free(irqs);
}

static void irq_split_handler(void *opaque, int n, int level)
{
    qemu_irq *pair = opaque;

    qemu_set_irq(pair[0], level);
    qemu_set_irq(pair[1], level);
}

qemu_irq qemu_irq_split(qemu_irq a, qemu_irq b)
{
    qemu_irq *pair = g_new0(qemu_irq, 2);

    pair[0] = a;
    pair[1] = b;
    return qemu_allocate_irq(irq_split_handler, pair, 0);
}
