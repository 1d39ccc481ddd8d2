/*
 * kvmclock (the paravirtual clock KVM gives its guests) across stops and
 * snapshots.
 *
 * The guest's kvmclock runs on the host clock.  While the VM is stopped
 * it must not advance: read it at stop (KVM_GET_CLOCK) and put it back at
 * the next start (KVM_SET_CLOCK), as the KVM API documents for
 * KVM_CAP_ADJUST_CLOCK.
 *
 * In a snapshot it is a device, "kvmclock" (id "kvmclock", no regions, no
 * lines), created with the board: its vmstate holds the clock as it was at
 * the stop that preceded the save; a loaded value goes into the kernel at
 * the next start, so the restored guest's clock continues from where the
 * saved one stopped instead of jumping to the host's.
 */
#include "turtle/osdep.h"
#include "target/i386/kvm-x86.h"
#include "migration/vmstate.h"

#define TYPE_KVM_CLOCK "kvmclock"

static struct {
    bool valid;                 /* a clock waits for the next start */
    uint64_t clock;
} kvmclock_saved;
static bool kvmclock_adjustable;

void kvm_x86_clock_change(void *opaque, bool running, RunState state)
{
    KVMState *s = opaque;
    struct kvm_clock_data data;
    int r;

    if (!running) {
        memset(&data, 0, sizeof(data));
        r = kvm_vm_ioctl(s, KVM_GET_CLOCK, &data);
        if (r < 0) {
            warn_report("kvm: KVM_GET_CLOCK: %s", strerror(-r));
            return;
        }
        kvmclock_saved.clock = data.clock;
        kvmclock_saved.valid = true;
    } else if (kvmclock_saved.valid) {
        memset(&data, 0, sizeof(data));
        data.clock = kvmclock_saved.clock;
        r = kvm_vm_ioctl(s, KVM_SET_CLOCK, &data);
        if (r < 0) {
            warn_report("kvm: KVM_SET_CLOCK: %s", strerror(-r));
        }
        kvmclock_saved.valid = false;
    }
}

void kvm_x86_clock_init(KVMState *s)
{
    kvmclock_saved.valid = false;
    kvmclock_adjustable = kvm_check_extension(s, KVM_CAP_ADJUST_CLOCK) > 0;
    if (kvmclock_adjustable) {
        qemu_add_vm_change_state_handler(kvm_x86_clock_change, s);
    }
}

typedef struct KVMClockState {
    DeviceState parent_obj;
    uint64_t clock;
} KVMClockState;

DECLARE_INSTANCE_CHECKER(KVMClockState, KVM_CLOCK, TYPE_KVM_CLOCK)

static int kvmclock_pre_save(void *opaque)
{
    KVMClockState *s = opaque;
    struct kvm_clock_data data;
    int r;

    if (kvmclock_saved.valid) {
        s->clock = kvmclock_saved.clock;    /* stopped: the frozen value */
        return 0;
    }
    memset(&data, 0, sizeof(data));
    r = kvm_vm_ioctl(kvm_state_global, KVM_GET_CLOCK, &data);
    if (r < 0) {
        return r;
    }
    s->clock = data.clock;
    return 0;
}

static int kvmclock_post_load(void *opaque, int version_id)
{
    KVMClockState *s = opaque;

    kvmclock_saved.clock = s->clock;
    kvmclock_saved.valid = true;        /* into the kernel at the start */
    return 0;
}

static const VMStateDescription vmstate_kvmclock = {
    .name = "kvmclock",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = kvmclock_pre_save,
    .post_load = kvmclock_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(clock, KVMClockState),
        VMSTATE_END_OF_LIST()
    },
};

static void kvmclock_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "the guest's kvmclock (KVM_GET/SET_CLOCK) in snapshots";
    dc->vmsd = &vmstate_kvmclock;
}

static const TypeInfo kvmclock_info = {
    .name = TYPE_KVM_CLOCK,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(KVMClockState),
    .class_init = kvmclock_class_init,
};

TYPE_REGISTER(kvmclock_info)

bool kvm_x86_clock_state_create(Error **errp)
{
    DeviceState *dev;

    if (!kvmclock_adjustable) {
        return true;                /* nothing the kernel could take back */
    }
    dev = qdev_new(TYPE_KVM_CLOCK);
    qdev_set_id(dev, "kvmclock");
    return qdev_realize_and_unref(dev, NULL, errp);
}
