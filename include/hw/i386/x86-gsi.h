/*
 * The PC's GSI router: 24 input lines, one per Global System Interrupt.
 * ISA IRQ n is GSI n (inputs 0-15); PCI INTx reach ISA IRQs through the
 * PIIX3 PIRQ routers.  Output n carries input n unchanged to whatever
 * interrupt controller is attached: the in-kernel KVM irqchip, or later
 * the userspace 8259 pair + IOAPIC.  The PC's IRQ0 -> IOAPIC pin 2
 * override is the irqchip's business (its routing), not the router's.
 *
 *   gpio in  (unnamed)  24 lines: GSI 0-23 (qtest: irq_intercept_in gsi)
 *   gpio out "gsi-out"  24 lines, connected by x86_gsi_attach_irqchip()
 *
 * The router remembers the input levels, so an irqchip attached after
 * devices have raised lines sees the current state.
 */
#ifndef HW_I386_X86_GSI_H
#define HW_I386_X86_GSI_H

#include "hw/core/qdev.h"
#include "hw/core/boards.h"

#define TYPE_X86_GSI_ROUTER "x86-gsi-router"
#define X86_GSI_NUM 24
#define X86_GSI_ROUTER_ID "gsi"     /* device id on the pc board */

typedef struct X86GSIRouter {
    DeviceState parent_obj;
    qemu_irq out[X86_GSI_NUM];
    uint32_t levels;                /* bit n: input n is high */
} X86GSIRouter;

DECLARE_INSTANCE_CHECKER(X86GSIRouter, X86_GSI_ROUTER, TYPE_X86_GSI_ROUTER)

/*
 * Connect the router's outputs to an interrupt controller's inputs
 * (targets[0..n-1], n <= 24; NULL entries stay unconnected) and replay
 * the current levels into them.
 */
void x86_gsi_attach_irqchip(X86GSIRouter *r, const qemu_irq *targets, int n);

/*
 * How an accelerator supplies the irqchip.  The accelerator's
 * init_machine() runs before the board exists, so it registers a creator;
 * the pc board calls it once its GSI router exists (before devices are
 * reset or a kernel is loaded).  The creator builds its irqchip and calls
 * x86_gsi_attach_irqchip().  With no creator registered (qtest, or until
 * the userspace PIC/IOAPIC models exist) the outputs stay unconnected.
 */
typedef bool (*X86IrqchipCreateFn)(MachineState *ms, X86GSIRouter *gsi,
                                   Error **errp);
void x86_register_irqchip_creator(X86IrqchipCreateFn fn);
X86IrqchipCreateFn x86_get_irqchip_creator(void);

#endif
