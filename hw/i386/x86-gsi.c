/*
 * GSI router: 24 inputs forwarded to an attachable interrupt controller.
 * See include/hw/i386/x86-gsi.h.
 */
#include "turtle/osdep.h"
#include "hw/i386/x86-gsi.h"
#include "migration/vmstate.h"

static const X86AccelIrqchip *accel_irqchip;

void x86_accel_irqchip_register(const X86AccelIrqchip *ops)
{
    accel_irqchip = ops;
}

const X86AccelIrqchip *x86_accel_irqchip(void)
{
    return accel_irqchip;
}

static void x86_gsi_set(void *opaque, int n, int level)
{
    X86GSIRouter *r = opaque;

    if (level) {
        r->levels |= 1u << n;
    } else {
        r->levels &= ~(1u << n);
    }
    qemu_set_irq(r->out[n], level);
}

void x86_gsi_attach_irqchip(X86GSIRouter *r, const qemu_irq *targets, int n)
{
    g_assert(n <= X86_GSI_NUM);
    for (int i = 0; i < n; i++) {
        qdev_connect_gpio_out_named(DEVICE(r), "gsi-out", i, targets[i]);
        if (targets[i] && (r->levels & (1u << i))) {
            qemu_set_irq(targets[i], 1);
        }
    }
}

static void x86_gsi_init(Object *obj)
{
    X86GSIRouter *r = X86_GSI_ROUTER(obj);

    qdev_init_gpio_in(DEVICE(obj), x86_gsi_set, X86_GSI_NUM);
    qdev_init_gpio_out_named(DEVICE(obj), r->out, "gsi-out", X86_GSI_NUM);
}

static const VMStateDescription vmstate_x86_gsi = {
    .name = "x86-gsi-router",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(levels, X86GSIRouter),
        VMSTATE_END_OF_LIST()
    },
};

static void x86_gsi_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "GSI router (ISA/PCI interrupt lines to the irqchip)";
    dc->vmsd = &vmstate_x86_gsi;
}

static const TypeInfo x86_gsi_info = {
    .name = TYPE_X86_GSI_ROUTER,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(X86GSIRouter),
    .instance_init = x86_gsi_init,
    .class_init = x86_gsi_class_init,
};

TYPE_REGISTER(x86_gsi_info)
