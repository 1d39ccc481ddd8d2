/*
 * isa-debug-exit - see include/hw/misc/isa-debug-exit.h.
 *
 *   I/O iobase..iobase+iosize-1, no IRQ; properties iobase, iosize
 */
#include "turtle/osdep.h"
#include "hw/core/isa.h"
#include "hw/misc/isa-debug-exit.h"
#include "sysemu/runstate.h"

typedef struct ISADebugExitState {
    ISADevice parent_obj;
    MemoryRegion io;
    uint32_t iobase;
    uint32_t iosize;
} ISADebugExitState;

DECLARE_INSTANCE_CHECKER(ISADebugExitState, ISA_DEBUG_EXIT,
                         TYPE_ISA_DEBUG_EXIT)

static uint64_t debug_exit_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void debug_exit_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    qemu_system_exit_request((int)((val << 1) | 1));
}

static const MemoryRegionOps debug_exit_ops = {
    .read = debug_exit_read,
    .write = debug_exit_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static bool debug_exit_realize(DeviceState *dev, Error **errp)
{
    ISADebugExitState *s = ISA_DEBUG_EXIT(dev);

    if (s->iosize != 1 && s->iosize != 2 && s->iosize != 4) {
        error_setg(errp, "isa-debug-exit: iosize must be 1, 2 or 4, not %u",
                   s->iosize);
        return false;
    }
    if (s->iobase + s->iosize > 0x10000) {
        error_setg(errp, "isa-debug-exit: iobase 0x%x is outside the I/O "
                   "space", s->iobase);
        return false;
    }
    memory_region_init_io(&s->io, OBJECT(dev), &debug_exit_ops, s,
                          "isa-debug-exit", s->iosize);
    isa_register_ioport(ISA_DEVICE(dev), &s->io, s->iobase);
    return true;
}

static const Property debug_exit_props[] = {
    DEFINE_PROP_UINT32("iobase", ISADebugExitState, iobase, 0x501),
    DEFINE_PROP_UINT32("iosize", ISADebugExitState, iosize, 2),
    DEFINE_PROP_END_OF_LIST(),
};

static void debug_exit_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "exit the emulator with a status the guest writes";
    dc->realize = debug_exit_realize;
    dc->props = debug_exit_props;
    dc->user_creatable = true;
}

static const TypeInfo debug_exit_info = {
    .name = TYPE_ISA_DEBUG_EXIT,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(ISADebugExitState),
    .class_init = debug_exit_class_init,
};

TYPE_REGISTER(debug_exit_info)
