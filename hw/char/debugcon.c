/*
 * isa-debugcon: the Bochs/QEMU debug console port.  Every byte written to
 * the port goes to a character back end; a read answers `readback` (0xe9
 * by default, the value firmware such as SeaBIOS probes for before it
 * sends its debug log to port 0x402).
 *
 *   I/O iobase (0xe9), 1 byte; no IRQ
 *   properties: iobase, chardev, readback
 *
 * Output never blocks the vCPU: what the back end does not take at once
 * is dropped (and counted under -d guest_errors), as a debug channel
 * without flow control on real hardware would lose it.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/core/isa.h"
#include "hw/core/qdev-properties.h"
#include "chardev/char.h"

#define TYPE_ISA_DEBUGCON "isa-debugcon"

typedef struct ISADebugconState {
    ISADevice parent_obj;
    MemoryRegion io;
    CharBackend chr;
    uint32_t iobase;
    uint32_t readback;
    uint64_t dropped;
} ISADebugconState;

DECLARE_INSTANCE_CHECKER(ISADebugconState, ISA_DEBUGCON, TYPE_ISA_DEBUGCON)

static uint64_t debugcon_read(void *opaque, hwaddr addr, unsigned size)
{
    ISADebugconState *s = opaque;

    return s->readback;
}

static void debugcon_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    ISADebugconState *s = opaque;
    uint8_t c = val;

    if (qemu_chr_fe_backend_connected(&s->chr) &&
        qemu_chr_fe_write(&s->chr, &c, 1) != 1) {
        if (!s->dropped++) {
            tlog_mask(LOG_GUEST_ERROR, "isa-debugcon: the back end is full; "
                      "output is dropped\n");
        }
    }
}

static const MemoryRegionOps debugcon_ops = {
    .read = debugcon_read,
    .write = debugcon_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static bool debugcon_realize(DeviceState *dev, Error **errp)
{
    ISADebugconState *s = ISA_DEBUGCON(dev);

    if (s->iobase > 0xffff) {
        error_setg(errp, "isa-debugcon: iobase 0x%x is outside the I/O "
                   "space", s->iobase);
        return false;
    }
    if (s->readback > 0xff) {
        error_setg(errp, "isa-debugcon: readback 0x%x is not a byte",
                   s->readback);
        return false;
    }
    memory_region_init_io(&s->io, OBJECT(dev), &debugcon_ops, s,
                          "isa-debugcon", 1);
    isa_register_ioport(ISA_DEVICE(dev), &s->io, s->iobase);
    return true;
}

static const Property debugcon_props[] = {
    DEFINE_PROP_UINT32("iobase", ISADebugconState, iobase, 0xe9),
    DEFINE_PROP_CHR("chardev", ISADebugconState, chr),
    DEFINE_PROP_UINT32("readback", ISADebugconState, readback, 0xe9),
    DEFINE_PROP_END_OF_LIST(),
};

static void debugcon_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "ISA debug console (Bochs port 0xe9 / SeaBIOS 0x402)";
    dc->category = DEVICE_CATEGORY_CHAR;
    dc->realize = debugcon_realize;
    dc->props = debugcon_props;
    dc->user_creatable = true;
}

static const TypeInfo debugcon_info = {
    .name = TYPE_ISA_DEBUGCON,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(ISADebugconState),
    .class_init = debugcon_class_init,
};

TYPE_REGISTER(debugcon_info)
