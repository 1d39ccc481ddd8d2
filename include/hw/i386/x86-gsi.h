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
 * An accelerator that runs interrupt controllers itself (KVM) describes
 * them to the board with this, from its init_machine(), which runs before
 * the board exists; the board asks x86_accel_irqchip() what to build.
 * With none registered (TCG, qtest) the board builds all of its own
 * models: 8259 pair, IOAPIC, local APICs, PIT.
 *
 *   lapic_in_kernel  the local APICs (kernel-irqchip=on and split); the
 *                    board's APIC devices only mirror their state
 *   pic_in_kernel    also the 8259 pair, the IOAPIC and the PIT
 *                    (kernel-irqchip=on); implies lapic_in_kernel
 *   create           called once the GSI router exists (before devices
 *                    are reset or a kernel is loaded): builds what the
 *                    accelerator runs and, with pic_in_kernel, attaches
 *                    the router's outputs (x86_gsi_attach_irqchip)
 *   pit_set_hpet_legacy   (pic_in_kernel) the HPET's legacy replacement
 *                    turned on (true) or off: the kernel's PIT must stop or
 *                    resume driving IRQ 0, which the HPET now owns
 *   ioapic_route     (lapic_in_kernel without pic_in_kernel) the board's
 *                    IOAPIC reprogrammed pin: the MSI it sends for it
 *                    (masked: none), so that the kernel knows which vectors
 *                    are level-triggered IOAPIC ones and reports their EOIs
 *                    back (apic_broadcast_eoi)
 */
typedef struct X86AccelIrqchip {
    bool lapic_in_kernel;
    bool pic_in_kernel;
    bool (*create)(MachineState *ms, X86GSIRouter *gsi, Error **errp);
    void (*pit_set_hpet_legacy)(bool legacy);
    void (*ioapic_route)(int pin, uint64_t msi_addr, uint32_t msi_data,
                         bool masked);
} X86AccelIrqchip;

/* ops: static storage, NULL to unregister (tests) */
void x86_accel_irqchip_register(const X86AccelIrqchip *ops);
/* The registered description, or NULL: the board runs every chip. */
const X86AccelIrqchip *x86_accel_irqchip(void);

#endif
