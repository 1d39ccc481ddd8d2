/*
 * State of KVM's in-kernel PC interrupt controllers and timer, as a
 * device so snapshots carry it and system reset puts it back to its
 * power-on values.
 *
 *   device "kvm-x86-irqchip" (id "kvm-irqchip"), no regions, no IRQ lines
 *   saved state: the two 8259s and the IOAPIC (KVM_GET/SET_IRQCHIP) and
 *   the i8254 (KVM_GET/SET_PIT2)
 *
 * Reset values: 8259 - everything clear (the guest sends ICW1-4 again),
 * ELCR clear with the PIIX's writable-bit masks (IRQ 0-2 and 8, 13 are
 * always edge); IOAPIC - id 0, every redirection entry masked.  The PIT
 * keeps counting until the guest reprograms it.
 */
#include "turtle/osdep.h"
#include "target/i386/kvm-x86.h"
#include "hw/core/qdev.h"
#include "migration/vmstate.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"

#define TYPE_KVM_X86_IRQCHIP "kvm-x86-irqchip"

typedef struct KVMX86IrqchipState {
    DeviceState parent_obj;
    struct kvm_irqchip chip[KVM_NR_IRQCHIPS];
    struct kvm_pit_state2 pit;
    bool has_pit;
} KVMX86IrqchipState;

DECLARE_INSTANCE_CHECKER(KVMX86IrqchipState, KVM_X86_IRQCHIP,
                         TYPE_KVM_X86_IRQCHIP)

void kvm_x86_irqchip_reset_values(struct kvm_irqchip chip[KVM_NR_IRQCHIPS])
{
    for (int i = 0; i < KVM_NR_IRQCHIPS; i++) {
        memset(&chip[i], 0, sizeof(chip[i]));
        chip[i].chip_id = i;
    }
    chip[KVM_IRQCHIP_PIC_MASTER].chip.pic.elcr_mask = 0xf8;
    chip[KVM_IRQCHIP_PIC_SLAVE].chip.pic.elcr_mask = 0xde;
    chip[KVM_IRQCHIP_IOAPIC].chip.ioapic.base_address = 0xfec00000;
    for (int i = 0; i < KVM_IOAPIC_NUM_PINS; i++) {
        chip[KVM_IRQCHIP_IOAPIC].chip.ioapic.redirtbl[i].fields.mask = 1;
    }
}

static int put_chips(struct kvm_irqchip chip[KVM_NR_IRQCHIPS])
{
    KVMState *ks = kvm_state_global;
    int r;

    for (int i = 0; i < KVM_NR_IRQCHIPS; i++) {
        chip[i].chip_id = i;
        r = kvm_vm_ioctl(ks, KVM_SET_IRQCHIP, &chip[i]);
        if (r < 0) {
            return r;
        }
    }
    return 0;
}

static void kvm_x86_irqchip_reset(void *opaque)
{
    struct kvm_irqchip chip[KVM_NR_IRQCHIPS];
    int r;

    if (!kvm_irqchip_in_kernel()) {
        return;
    }
    kvm_x86_irqchip_reset_values(chip);
    r = put_chips(chip);
    if (r < 0) {
        warn_report("kvm: resetting the in-kernel irqchip: %s",
                    strerror(-r));
    }
}

static int kvm_x86_irqchip_pre_save(void *opaque)
{
    KVMX86IrqchipState *s = opaque;
    KVMState *ks = kvm_state_global;
    int r;

    for (int i = 0; i < KVM_NR_IRQCHIPS; i++) {
        memset(&s->chip[i], 0, sizeof(s->chip[i]));
        s->chip[i].chip_id = i;
        r = kvm_vm_ioctl(ks, KVM_GET_IRQCHIP, &s->chip[i]);
        if (r < 0) {
            return r;
        }
    }
    s->has_pit = kvm_vm_ioctl(ks, KVM_GET_PIT2, &s->pit) >= 0;
    return 0;
}

static int kvm_x86_irqchip_post_load(void *opaque, int version_id)
{
    KVMX86IrqchipState *s = opaque;
    int r = put_chips(s->chip);

    if (r >= 0 && s->has_pit) {
        r = kvm_vm_ioctl(kvm_state_global, KVM_SET_PIT2, &s->pit);
    }
    return r < 0 ? r : 0;
}

static const VMStateDescription vmstate_kvm_x86_irqchip = {
    .name = "kvm-x86-irqchip",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = kvm_x86_irqchip_pre_save,
    .post_load = kvm_x86_irqchip_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_BUFFER(chip, KVMX86IrqchipState),
        VMSTATE_BUFFER(pit, KVMX86IrqchipState),
        VMSTATE_BOOL(has_pit, KVMX86IrqchipState),
        VMSTATE_END_OF_LIST()
    },
};

static bool kvm_x86_irqchip_realize(DeviceState *dev, Error **errp)
{
    qemu_register_reset(kvm_x86_irqchip_reset, dev);
    return true;
}

static void kvm_x86_irqchip_unrealize(DeviceState *dev)
{
    qemu_unregister_reset(kvm_x86_irqchip_reset, dev);
}

static void kvm_x86_irqchip_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "state of KVM's in-kernel 8259s, IOAPIC and PIT";
    dc->realize = kvm_x86_irqchip_realize;
    dc->unrealize = kvm_x86_irqchip_unrealize;
    dc->vmsd = &vmstate_kvm_x86_irqchip;
}

static const TypeInfo kvm_x86_irqchip_info = {
    .name = TYPE_KVM_X86_IRQCHIP,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(KVMX86IrqchipState),
    .class_init = kvm_x86_irqchip_class_init,
};

TYPE_REGISTER(kvm_x86_irqchip_info)

DeviceState *kvm_x86_irqchip_state_create(Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_KVM_X86_IRQCHIP);

    qdev_set_id(dev, "kvm-irqchip");
    if (!qdev_realize_and_unref(dev, NULL, errp)) {
        return NULL;
    }
    return dev;
}

void kvm_x86_irqchip_state_reset(DeviceState *dev)
{
    kvm_x86_irqchip_reset(dev);
}

/*
 * The HPET's legacy replacement takes IRQ 0 from the PIT.  KVM's PIT
 * injects on its own, so it is told (KVM_PIT_FLAGS_HPET_LEGACY: channel
 * 0 stops interrupting; cleared, the kernel restarts it).
 */
void kvm_x86_pit_set_hpet_legacy(bool legacy)
{
    struct kvm_pit_state2 pit;
    KVMState *ks = kvm_state_global;
    int r;

    if (!ks || !kvm_irqchip_in_kernel()) {
        return;
    }
    memset(&pit, 0, sizeof(pit));
    r = kvm_vm_ioctl(ks, KVM_GET_PIT2, &pit);
    if (r < 0) {
        return;                         /* no in-kernel PIT */
    }
    if (!!(pit.flags & KVM_PIT_FLAGS_HPET_LEGACY) == legacy) {
        return;
    }
    pit.flags ^= KVM_PIT_FLAGS_HPET_LEGACY;
    r = kvm_vm_ioctl(ks, KVM_SET_PIT2, &pit);
    if (r < 0) {
        warn_report("kvm: HPET legacy replacement %s for the in-kernel "
                    "PIT: %s", legacy ? "on" : "off", strerror(-r));
    }
}
