/*
 * MC146818A RTC + CMOS - see include/hw/rtc/mc146818.h.
 *
 *   I/O 0x70-0x71, IRQ 8
 *
 * The clock is not stepped by a timer: guest time is the chosen host
 * clock plus an offset, and the time registers are computed when read.
 * Flags that nobody waits for (PF, UF, AF with their interrupt enables
 * off) are computed when register C is read; interrupts enabled in
 * register B arm timers on the same clock.  References: MC146818A data
 * sheet, "Register A-D" and "Update cycle" sections.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/rtc/mc146818.h"
#include "migration/vmstate.h"
#include "monitor/monitor.h"

#include <time.h>

#define RTC_SECONDS       0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES       0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS         0x04
#define RTC_HOURS_ALARM   0x05
#define RTC_DAY_OF_WEEK   0x06
#define RTC_DAY_OF_MONTH  0x07
#define RTC_MONTH         0x08
#define RTC_YEAR          0x09
#define RTC_REG_A         0x0a
#define RTC_REG_B         0x0b
#define RTC_REG_C         0x0c
#define RTC_REG_D         0x0d

#define REG_A_UIP   0x80
#define REG_A_DV    0x70
#define REG_A_DV_NORMAL 0x20
#define REG_A_RS    0x0f
#define REG_B_SET   0x80
#define REG_B_PIE   0x40
#define REG_B_AIE   0x20
#define REG_B_UIE   0x10
#define REG_B_DM    0x04   /* 1: binary, 0: BCD */
#define REG_B_24H   0x02
#define REG_C_IRQF  0x80
#define REG_C_PF    0x40
#define REG_C_AF    0x20
#define REG_C_UF    0x10
#define REG_D_VRT   0x80

#define NS_PER_SEC  1000000000LL
/*
 * Guest time is kept in int64 nanoseconds, which end in 2262: the clock
 * runs from 1900 to 2199 (centuries 19..21 in CMOS 0x32); a century or a
 * base date outside that is not representable.
 */
#define RTC_MIN_SECS (-2208988800LL)    /* 1900-01-01T00:00:00 */
#define RTC_MAX_SECS 7258118399LL       /* 2199-12-31T23:59:59 */
#define UIP_NS      244000LL      /* UIP is high 244 us before the update */

static int64_t rtc_clock_ns(RTCState *s)
{
    return qemu_clock_get_ns(s->clock_type);
}

static int64_t rtc_guest_ns(RTCState *s)
{
    return rtc_clock_ns(s) + s->offset_ns;
}

static bool rtc_running(RTCState *s)
{
    return (s->cmos[RTC_REG_A] & REG_A_DV) == REG_A_DV_NORMAL &&
           !(s->cmos[RTC_REG_B] & REG_B_SET);
}

static uint8_t rtc_to_reg(RTCState *s, int v)
{
    if (s->cmos[RTC_REG_B] & REG_B_DM) {
        return v;
    }
    return ((v / 10) << 4) | (v % 10);
}

static int rtc_from_reg(RTCState *s, uint8_t v)
{
    if (s->cmos[RTC_REG_B] & REG_B_DM) {
        return v;
    }
    return ((v >> 4) & 0xf) * 10 + (v & 0xf);
}

static uint8_t rtc_hour_to_reg(RTCState *s, int hour)
{
    if (s->cmos[RTC_REG_B] & REG_B_24H) {
        return rtc_to_reg(s, hour);
    }
    return rtc_to_reg(s, hour % 12 ? hour % 12 : 12) | (hour >= 12 ? 0x80 : 0);
}

static int rtc_hour_from_reg(RTCState *s, uint8_t v)
{
    int h;

    if (s->cmos[RTC_REG_B] & REG_B_24H) {
        return rtc_from_reg(s, v);
    }
    h = rtc_from_reg(s, v & 0x7f) % 12;
    return (v & 0x80) ? h + 12 : h;
}

/* Write the time registers from guest time (whole seconds). */
static void rtc_store_time(RTCState *s, int64_t secs)
{
    time_t t = secs;
    struct tm tm;

    gmtime_r(&t, &tm);
    s->cmos[RTC_SECONDS] = rtc_to_reg(s, tm.tm_sec);
    s->cmos[RTC_MINUTES] = rtc_to_reg(s, tm.tm_min);
    s->cmos[RTC_HOURS] = rtc_hour_to_reg(s, tm.tm_hour);
    s->cmos[RTC_DAY_OF_WEEK] = rtc_to_reg(s, tm.tm_wday + 1);
    s->cmos[RTC_DAY_OF_MONTH] = rtc_to_reg(s, tm.tm_mday);
    s->cmos[RTC_MONTH] = rtc_to_reg(s, tm.tm_mon + 1);
    s->cmos[RTC_YEAR] = rtc_to_reg(s, tm.tm_year % 100);
    s->cmos[RTC_CENTURY] = rtc_to_reg(s, (tm.tm_year + 1900) / 100);
}

/* Guest time (whole seconds) held in the time registers. */
static int64_t rtc_load_time(RTCState *s)
{
    struct tm tm = { 0 };
    int year = rtc_from_reg(s, s->cmos[RTC_YEAR]) % 100;
    int century = rtc_from_reg(s, s->cmos[RTC_CENTURY]);

    if (century < 19 || century > 21) {
        century = year < 70 ? 20 : 19;
    }
    tm.tm_sec = rtc_from_reg(s, s->cmos[RTC_SECONDS]);
    tm.tm_min = rtc_from_reg(s, s->cmos[RTC_MINUTES]);
    tm.tm_hour = rtc_hour_from_reg(s, s->cmos[RTC_HOURS]);
    tm.tm_mday = rtc_from_reg(s, s->cmos[RTC_DAY_OF_MONTH]);
    tm.tm_mon = rtc_from_reg(s, s->cmos[RTC_MONTH]) - 1;
    tm.tm_year = century * 100 + year - 1900;
    return timegm(&tm);
}

static void rtc_update_irq(RTCState *s)
{
    uint8_t c = s->cmos[RTC_REG_C];

    /* IRQF = PF.PIE + AF.AIE + UF.UIE: clearing an enable with its flag
     * still set drops the line (else an edge-triggered IOAPIC pin never
     * sees the next interrupt once the enable is set again) */
    if (c & s->cmos[RTC_REG_B] & (REG_C_PF | REG_C_AF | REG_C_UF)) {
        c |= REG_C_IRQF;
    } else {
        c &= ~REG_C_IRQF;
    }
    s->cmos[RTC_REG_C] = c;
    qemu_set_irq(s->irq, !!(c & REG_C_IRQF));
}

/* Periodic rate in ns for RS (32.768 kHz time base), 0 if off. */
static int64_t rtc_period_ns(RTCState *s)
{
    int rs = s->cmos[RTC_REG_A] & REG_A_RS;
    int64_t ticks;

    if (!rs || (s->cmos[RTC_REG_A] & REG_A_DV) != REG_A_DV_NORMAL) {
        return 0;
    }
    ticks = rs <= 2 ? 1 << (rs + 6) : 1 << (rs - 1);
    return ticks * NS_PER_SEC / 32768;
}

static bool rtc_alarm_matches(RTCState *s)
{
    static const int pairs[3][2] = {
        { RTC_SECONDS_ALARM, RTC_SECONDS },
        { RTC_MINUTES_ALARM, RTC_MINUTES },
        { RTC_HOURS_ALARM, RTC_HOURS },
    };

    for (int i = 0; i < 3; i++) {
        uint8_t a = s->cmos[pairs[i][0]];
        if ((a & 0xc0) != 0xc0 && a != s->cmos[pairs[i][1]]) {
            return false;
        }
    }
    return true;
}

/* Arm or stop the timers after a register change. */
static void rtc_rearm(RTCState *s)
{
    int64_t gt = rtc_guest_ns(s);
    int64_t period = rtc_period_ns(s);

    if (period && (s->cmos[RTC_REG_B] & REG_B_PIE)) {
        int64_t next = (gt / period + 1) * period;
        timer_mod_ns(s->periodic_timer, next - s->offset_ns);
    } else {
        timer_del(s->periodic_timer);
    }
    if (rtc_running(s) &&
        (s->cmos[RTC_REG_B] & (REG_B_UIE | REG_B_AIE))) {
        int64_t next = (gt / NS_PER_SEC + 1) * NS_PER_SEC;
        timer_mod_ns(s->second_timer, next - s->offset_ns);
    } else {
        timer_del(s->second_timer);
    }
}

static void rtc_periodic_cb(void *opaque)
{
    RTCState *s = opaque;

    s->last_pf_ns = rtc_guest_ns(s);
    s->cmos[RTC_REG_C] |= REG_C_PF;
    rtc_update_irq(s);
    rtc_rearm(s);
}

/* The update cycle ended: new second in the registers, UF, maybe AF. */
static void rtc_second_cb(void *opaque)
{
    RTCState *s = opaque;
    int64_t gt = rtc_guest_ns(s);

    s->last_uf_ns = gt;
    rtc_store_time(s, gt / NS_PER_SEC);
    s->cmos[RTC_REG_C] |= REG_C_UF;
    if (rtc_alarm_matches(s)) {
        s->cmos[RTC_REG_C] |= REG_C_AF;
    }
    rtc_update_irq(s);
    rtc_rearm(s);
}

/* Flags of events nobody armed a timer for, as of now. */
static void rtc_catch_up_flags(RTCState *s)
{
    int64_t gt = rtc_guest_ns(s);
    int64_t period = rtc_period_ns(s);

    if (period && gt / period > s->last_pf_ns / period) {
        s->cmos[RTC_REG_C] |= REG_C_PF;
    }
    s->last_pf_ns = gt;
    if (rtc_running(s) && gt / NS_PER_SEC > s->last_uf_ns / NS_PER_SEC) {
        s->cmos[RTC_REG_C] |= REG_C_UF;
        rtc_store_time(s, gt / NS_PER_SEC);
        if (rtc_alarm_matches(s)) {
            s->cmos[RTC_REG_C] |= REG_C_AF;
        }
    }
    s->last_uf_ns = gt;
}

/* Set the guest clock from the time registers, keeping sub_ns. */
static void rtc_set_time_from_regs(RTCState *s, int64_t sub_ns)
{
    int64_t secs = rtc_load_time(s);

    s->offset_ns = secs * NS_PER_SEC + sub_ns - rtc_clock_ns(s);
    s->last_pf_ns = s->last_uf_ns = rtc_guest_ns(s);
    /* the guest set the clock: tell QMP how far from the host's it is */
    qmp_event_rtc_change(secs - qemu_clock_get_ns(QEMU_CLOCK_HOST) /
                         NS_PER_SEC);
}

static uint64_t rtc_read(void *opaque, hwaddr addr, unsigned size)
{
    RTCState *s = opaque;
    int64_t gt;
    uint8_t val;

    if (addr == 0) {
        return 0xff;              /* the index register is write-only */
    }
    switch (s->index) {
    case RTC_SECONDS: case RTC_MINUTES: case RTC_HOURS:
    case RTC_DAY_OF_WEEK: case RTC_DAY_OF_MONTH: case RTC_MONTH:
    case RTC_YEAR: case RTC_CENTURY:
        if (rtc_running(s)) {
            rtc_store_time(s, rtc_guest_ns(s) / NS_PER_SEC);
        }
        return s->cmos[s->index];
    case RTC_REG_A:
        val = s->cmos[RTC_REG_A] & ~REG_A_UIP;
        gt = rtc_guest_ns(s);
        if (rtc_running(s) && gt % NS_PER_SEC >= NS_PER_SEC - UIP_NS) {
            val |= REG_A_UIP;
        }
        return val;
    case RTC_REG_C:
        rtc_catch_up_flags(s);
        rtc_update_irq(s);
        val = s->cmos[RTC_REG_C];
        s->cmos[RTC_REG_C] = 0;
        qemu_set_irq(s->irq, 0);
        return val;
    case RTC_REG_D:
        return REG_D_VRT;
    default:
        return s->cmos[s->index];
    }
}

static void rtc_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    RTCState *s = opaque;
    uint8_t old;

    if (addr == 0) {
        s->index = val & 0x7f;
        s->nmi_masked = val & 0x80;
        return;
    }
    switch (s->index) {
    case RTC_SECONDS: case RTC_MINUTES: case RTC_HOURS:
    case RTC_DAY_OF_WEEK: case RTC_DAY_OF_MONTH: case RTC_MONTH:
    case RTC_YEAR: case RTC_CENTURY: {
        int64_t gt = rtc_guest_ns(s);
        bool running = rtc_running(s);

        if (running) {
            rtc_store_time(s, gt / NS_PER_SEC);
        }
        s->cmos[s->index] = val;
        if (running) {
            rtc_set_time_from_regs(s, gt % NS_PER_SEC);
            rtc_rearm(s);
        }
        break;
    }
    case RTC_REG_A: {
        bool was_running = rtc_running(s);
        int64_t gt = rtc_guest_ns(s);

        if (was_running) {
            rtc_store_time(s, gt / NS_PER_SEC);
        }
        s->cmos[RTC_REG_A] = (val & ~REG_A_UIP);
        if (!was_running && rtc_running(s)) {
            /* leaving divider reset: the first update comes 500 ms later */
            rtc_set_time_from_regs(s, NS_PER_SEC / 2);
        } else if (was_running && !rtc_running(s)) {
            s->offset_ns = gt - rtc_clock_ns(s);
        }
        rtc_rearm(s);
        break;
    }
    case RTC_REG_B: {
        int64_t gt = rtc_guest_ns(s);
        bool was_running = rtc_running(s);

        old = s->cmos[RTC_REG_B];
        if (was_running) {
            /* registers in the old format before the mode changes */
            rtc_store_time(s, gt / NS_PER_SEC);
        }
        if (val & REG_B_SET) {
            val &= ~REG_B_UIE;    /* setting SET clears UIE */
        }
        if ((old ^ val) & (REG_B_DM | REG_B_24H)) {
            /* the mode changed: re-encode the current time */
            s->cmos[RTC_REG_B] = val;
            rtc_store_time(s, gt / NS_PER_SEC);
        }
        s->cmos[RTC_REG_B] = val;
        if ((old & REG_B_SET) && !(val & REG_B_SET)) {
            rtc_set_time_from_regs(s, 0);
        }
        rtc_update_irq(s);
        rtc_rearm(s);
        break;
    }
    case RTC_REG_C:
    case RTC_REG_D:
        tlog_mask(LOG_GUEST_ERROR, "mc146818rtc: write to read-only "
                  "register 0x%x\n", s->index);
        break;
    default:
        s->cmos[s->index] = val;
        break;
    }
}

static const MemoryRegionOps rtc_ops = {
    .read = rtc_read,
    .write = rtc_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

void rtc_set_memory(RTCState *s, int addr, uint8_t val)
{
    if (addr >= 0 && addr < 128) {
        s->cmos[addr] = val;
    }
}

uint8_t rtc_get_memory(RTCState *s, int addr)
{
    return addr >= 0 && addr < 128 ? s->cmos[addr] : 0;
}

bool rtc_nmi_masked(RTCState *s)
{
    return s->nmi_masked;
}

static bool rtc_parse_base(RTCState *s, int64_t *secs, Error **errp)
{
    const char *b = s->base ? s->base : "utc";
    int64_t wall = qemu_clock_get_ns(QEMU_CLOCK_HOST) / NS_PER_SEC;
    struct tm tm = { 0 };
    char *end;

    if (!strcmp(b, "utc")) {
        *secs = wall;
        return true;
    }
    if (!strcmp(b, "localtime")) {
        time_t t = wall;
        struct tm lt;
        localtime_r(&t, &lt);
        *secs = wall + lt.tm_gmtoff;
        return true;
    }
    end = strptime(b, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end || *end) {
        end = strptime(b, "%Y-%m-%d", &tm);
    }
    if (!end || *end) {
        error_setg(errp, "mc146818rtc: base '%s' is not utc, localtime, "
                   "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS", b);
        return false;
    }
    *secs = timegm(&tm);
    if (*secs < RTC_MIN_SECS || *secs > RTC_MAX_SECS) {
        error_setg(errp, "mc146818rtc: base '%s' is outside 1900..2199", b);
        return false;
    }
    return true;
}

static void rtc_init(Object *obj)
{
    RTCState *s = MC146818_RTC(obj);

    memory_region_init_io(&s->io, obj, &rtc_ops, s, "rtc", 2);
}

static bool rtc_realize(DeviceState *dev, Error **errp)
{
    RTCState *s = MC146818_RTC(dev);
    const char *clock = s->clock ? s->clock : "host";
    int64_t secs;

    if (!strcmp(clock, "host")) {
        s->clock_type = QEMU_CLOCK_HOST;
    } else if (!strcmp(clock, "vm")) {
        s->clock_type = QEMU_CLOCK_VIRTUAL;
    } else {
        error_setg(errp, "mc146818rtc: clock '%s' is neither host nor vm",
                   clock);
        return false;
    }
    if (s->isairq >= ISA_NUM_IRQS || s->iobase > 0xfffe) {
        error_setg(errp, "mc146818rtc: bad iobase 0x%x or irq %u", s->iobase,
                   s->isairq);
        return false;
    }
    if (!rtc_parse_base(s, &secs, errp)) {
        return false;
    }
    s->periodic_timer = timer_new_ns(s->clock_type, rtc_periodic_cb, s);
    s->second_timer = timer_new_ns(s->clock_type, rtc_second_cb, s);

    /* power-on register values (as the PC BIOS leaves them) */
    s->cmos[RTC_REG_A] = 0x26;           /* 32.768 kHz, 1024 Hz rate */
    s->cmos[RTC_REG_B] = REG_B_24H;      /* 24 h, BCD */
    s->cmos[RTC_REG_C] = 0;
    s->cmos[RTC_REG_D] = REG_D_VRT;
    s->offset_ns = secs * NS_PER_SEC - rtc_clock_ns(s);
    s->last_pf_ns = s->last_uf_ns = rtc_guest_ns(s);
    rtc_store_time(s, secs);

    s->irq = isa_get_irq(ISA_DEVICE(dev), s->isairq);
    isa_register_ioport(ISA_DEVICE(dev), &s->io, s->iobase);
    return true;
}

static void rtc_reset(DeviceState *dev)
{
    RTCState *s = MC146818_RTC(dev);

    /* RESET clears PIE, AIE, UIE, SQWE and the flags; time keeps going */
    s->cmos[RTC_REG_B] &= ~(REG_B_PIE | REG_B_AIE | REG_B_UIE | 0x08);
    s->cmos[RTC_REG_C] = 0;
    qemu_set_irq(s->irq, 0);
    rtc_rearm(s);
}

static int rtc_post_load(void *opaque, int version_id)
{
    RTCState *s = opaque;

    rtc_update_irq(s);
    rtc_rearm(s);
    return 0;
}

static const VMStateDescription vmstate_rtc = {
    .name = "mc146818rtc",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = rtc_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8_ARRAY(cmos, RTCState, 128),
        VMSTATE_UINT8(index, RTCState),
        VMSTATE_BOOL(nmi_masked, RTCState),
        VMSTATE_INT64(offset_ns, RTCState),
        VMSTATE_INT64(last_pf_ns, RTCState),
        VMSTATE_INT64(last_uf_ns, RTCState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property rtc_props[] = {
    DEFINE_PROP_UINT32("iobase", RTCState, iobase, 0x70),
    DEFINE_PROP_UINT32("irq", RTCState, isairq, RTC_ISA_IRQ),
    DEFINE_PROP_STRING("base", RTCState, base),
    DEFINE_PROP_STRING("clock", RTCState, clock),
    DEFINE_PROP_END_OF_LIST(),
};

static void rtc_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "MC146818 real-time clock and CMOS";
    dc->realize = rtc_realize;
    dc->reset = rtc_reset;
    dc->vmsd = &vmstate_rtc;
    dc->props = rtc_props;
}

static const TypeInfo rtc_info = {
    .name = TYPE_MC146818_RTC,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(RTCState),
    .instance_init = rtc_init,
    .class_init = rtc_class_init,
};

TYPE_REGISTER(rtc_info)

RTCState *mc146818_rtc_create(ISABus *bus, const char *base,
                              const char *clock)
{
    DeviceState *dev = qdev_new(TYPE_MC146818_RTC);

    if (base) {
        qdev_prop_set_string(dev, "base", base);
    }
    if (clock) {
        qdev_prop_set_string(dev, "clock", clock);
    }
    qdev_realize_and_unref(dev, BUS(bus), &error_fatal);
    return MC146818_RTC(dev);
}
