/*
 * Arm PrimeCell real-time clock (PL031), Arm DDI 0224 (TRM r1p3).
 *
 * Regions     one 4 KiB MMIO region (sysbus mmio 0)
 * IRQ lines   sysbus irq 0: RTCINTR, the match interrupt masked by IMSC
 * Properties  none
 *
 * Registers: DR 0x00 (RO), MR 0x04, LR 0x08, CR 0x0c, IMSC 0x10, RIS 0x14
 * (RO), MIS 0x18 (RO), ICR 0x1c (WO), PeriphID0-3 0xfe0-0xfec, PCellID0-3
 * 0xff0-0xffc.  Word accesses only; anything else is a guest error (logged,
 * reads 0, writes ignored).
 *
 * Model choices:
 * - The counter is the host's wall-clock time (QEMU_CLOCK_HOST, seconds
 *   since the epoch, UTC) plus an offset that LR sets, so the guest's
 *   clock keeps up with real time even while the VM is paused, as QEMU's
 *   default -rtc clock=host does.
 * - CR.RTCStart is set at reset (the counter runs); writing 0 has no
 *   effect, as on the hardware (TRM 3.3.4).
 * - The match interrupt is raised when DR becomes equal to MR, one timer on
 *   the host clock.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/timer/pl031.h"
#include "migration/vmstate.h"
#include "monitor/monitor.h"

enum {
    A_DR = 0x00, A_MR = 0x04, A_LR = 0x08, A_CR = 0x0c, A_IMSC = 0x10,
    A_RIS = 0x14, A_MIS = 0x18, A_ICR = 0x1c, A_ID = 0xfe0,
};

static const uint8_t pl031_id[8] = {
    0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

static uint32_t pl031_host_seconds(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_HOST) / NANOSECONDS_PER_SECOND;
}

static uint32_t pl031_get_count(PL031State *s)
{
    return s->tick_offset + pl031_host_seconds();
}

static void pl031_update(PL031State *s)
{
    qemu_set_irq(s->irq, (s->ris & s->imsc & 1) != 0);
}

static void pl031_set_alarm(PL031State *s)
{
    /* seconds until DR == MR (wrapping); 0 means "now" */
    uint32_t ticks = s->mr - pl031_get_count(s);
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_HOST);

    if (ticks == 0) {
        timer_del(s->match_timer);
        s->ris |= 1;
        pl031_update(s);
        return;
    }
    /* the second boundary at which the count reaches MR */
    timer_mod_ns(s->match_timer,
                 (now / NANOSECONDS_PER_SECOND + ticks) *
                 NANOSECONDS_PER_SECOND);
}

static void pl031_match(void *opaque)
{
    PL031State *s = opaque;

    s->ris |= 1;
    pl031_update(s);
}

static uint64_t pl031_read(void *opaque, hwaddr offset, unsigned size)
{
    PL031State *s = opaque;

    switch (offset) {
    case A_DR:
        return pl031_get_count(s);
    case A_MR:
        return s->mr;
    case A_LR:
        return s->lr;
    case A_CR:
        return s->cr;
    case A_IMSC:
        return s->imsc;
    case A_RIS:
        return s->ris;
    case A_MIS:
        return s->ris & s->imsc;
    case A_ICR:
        tlog_mask(LOG_GUEST_ERROR, "pl031: read of write-only ICR\n");
        return 0;
    default:
        if (offset >= A_ID && offset <= 0xffc) {
            return pl031_id[(offset - A_ID) >> 2];
        }
        tlog_mask(LOG_GUEST_ERROR, "pl031: read of bad offset 0x%x\n",
                  (unsigned)offset);
        return 0;
    }
}

static void pl031_write(void *opaque, hwaddr offset, uint64_t value,
                        unsigned size)
{
    PL031State *s = opaque;

    switch (offset) {
    case A_LR:
        s->lr = value;
        s->tick_offset = value - pl031_host_seconds();
        pl031_set_alarm(s);
        qmp_event_rtc_change((int32_t)s->tick_offset);
        break;
    case A_MR:
        s->mr = value;
        pl031_set_alarm(s);
        break;
    case A_CR:
        s->cr |= value & 1;
        break;
    case A_IMSC:
        s->imsc = value & 1;
        pl031_update(s);
        break;
    case A_ICR:
        s->ris &= ~(value & 1);
        pl031_update(s);
        break;
    case A_DR:
    case A_RIS:
    case A_MIS:
        tlog_mask(LOG_GUEST_ERROR, "pl031: write to read-only offset 0x%x\n",
                  (unsigned)offset);
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "pl031: write to bad offset 0x%x\n",
                  (unsigned)offset);
        break;
    }
}

static bool pl031_accepts(void *opaque, hwaddr addr, unsigned size,
                          bool is_write, MemTxAttrs attrs)
{
    if (size != 4 || (addr & 3)) {
        tlog_mask(LOG_GUEST_ERROR, "pl031: bad %u-byte access at 0x%x\n",
                  size, (unsigned)addr);
        return false;
    }
    return true;
}

static const MemoryRegionOps pl031_ops = {
    .read = pl031_read,
    .write = pl031_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8,
               .accepts = pl031_accepts },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static void pl031_init(Object *obj)
{
    PL031State *s = PL031(obj);

    memory_region_init_io(&s->iomem, obj, &pl031_ops, s, "pl031", 0x1000);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->iomem);
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
}

static bool pl031_realize(DeviceState *dev, Error **errp)
{
    PL031State *s = PL031(dev);

    s->match_timer = timer_new_ns(QEMU_CLOCK_HOST, pl031_match, s);
    s->tick_offset = 0;     /* DR = host time until the guest writes LR */
    return true;
}

static void pl031_unrealize(DeviceState *dev)
{
    PL031State *s = PL031(dev);

    timer_free(s->match_timer);
    s->match_timer = NULL;
}

static void pl031_reset(DeviceState *dev)
{
    PL031State *s = PL031(dev);

    /* the counter keeps the time across a reset, like a battery RTC */
    s->mr = 0;
    s->lr = 0;
    s->cr = 1;
    s->imsc = 0;
    s->ris = 0;
    timer_del(s->match_timer);
    pl031_update(s);
}

static int pl031_post_load(void *opaque, int version_id)
{
    pl031_update(opaque);
    return 0;
}

static const VMStateDescription vmstate_pl031 = {
    .name = "pl031",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = pl031_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(tick_offset, PL031State),
        VMSTATE_UINT32(mr, PL031State),
        VMSTATE_UINT32(lr, PL031State),
        VMSTATE_UINT32(cr, PL031State),
        VMSTATE_UINT32(imsc, PL031State),
        VMSTATE_UINT32(ris, PL031State),
        VMSTATE_TIMER_PTR(match_timer, PL031State),
        VMSTATE_END_OF_LIST()
    },
};

static void pl031_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "Arm PL031 real-time clock";
    dc->realize = pl031_realize;
    dc->unrealize = pl031_unrealize;
    dc->reset = pl031_reset;
    dc->vmsd = &vmstate_pl031;
    dc->user_creatable = true;
}

static const TypeInfo pl031_info = {
    .name = TYPE_PL031,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(PL031State),
    .instance_init = pl031_init,
    .class_init = pl031_class_init,
};
TYPE_REGISTER(pl031_info)
