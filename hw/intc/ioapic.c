/*
 * I/O APIC - see include/hw/intc/ioapic.h.  Intel 82093AA data sheet
 * (order 290566) for the registers; version 0x20 adds the EOI register at
 * 0x40 (ICH/PCH data sheets, "I/O APIC EOI Register").
 *
 * Model choices:
 *   - Polarity (bit 13) is kept but not applied: the PC's pins are active
 *     high, as the firmware tables declare, and a guest that programs an
 *     ISA pin active-low must not see an interrupt storm (QEMU and KVM do
 *     the same).
 *   - An edge on a masked pin is lost; a level-triggered pin that is
 *     asserted when it is unmasked, or when its remote IRR is cleared by
 *     an EOI, interrupts again.
 *   - Only fixed and lowest-priority interrupts use remote IRR: the other
 *     delivery modes are never EOI'd, so they are sent as edges.
 *   - Delivery status is always idle (messages go out at once).
 *   - Destinations are 8 bits (no extended destination id, no IOMMU).
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/intc/ioapic.h"
#include "hw/intc/apic.h"
#include "hw/i386/x86-gsi.h"
#include "hw/core/qdev-properties.h"
#include "migration/vmstate.h"

#define IOAPIC_REG_SELECT   0x00
#define IOAPIC_REG_WINDOW   0x10
#define IOAPIC_REG_EOI      0x40

#define IOAPIC_INDEX_ID     0x00
#define IOAPIC_INDEX_VER    0x01
#define IOAPIC_INDEX_ARB    0x02
#define IOAPIC_INDEX_REDIR  0x10

#define RTE_VECTOR          0xffull
#define RTE_MODE_SHIFT      8
#define RTE_DEST_LOGICAL    (1ull << 11)
#define RTE_DELIV_STATUS    (1ull << 12)
#define RTE_POLARITY        (1ull << 13)
#define RTE_REMOTE_IRR      (1ull << 14)
#define RTE_LEVEL           (1ull << 15)
#define RTE_MASKED          (1ull << 16)
#define RTE_DEST_SHIFT      56
/* what the guest may write: all but delivery status and remote IRR, and
 * the reserved bits 55:17 */
#define RTE_WRITABLE        (0xff000000000000ffull | 0x1af00ull)

typedef struct IOAPICState {
    SysBusDevice parent_obj;
    MemoryRegion io;
    uint8_t ioregsel;
    uint32_t id;                  /* IOAPICID bits 27:24, shifted down */
    uint32_t pins;                /* input levels */
    uint64_t rte[IOAPIC_NUM_PINS];
    /* properties */
    uint8_t version;
    uint32_t reset_id;
} IOAPICState;

DECLARE_INSTANCE_CHECKER(IOAPICState, IOAPIC, TYPE_IOAPIC)


static int rte_mode(uint64_t rte)
{
    return (rte >> RTE_MODE_SHIFT) & 7;
}

static bool rte_uses_remote_irr(uint64_t rte)
{
    return (rte & RTE_LEVEL) && rte_mode(rte) <= 1;    /* fixed, lowpri */
}

/* A redirection entry's interrupt message as an MSI; false: a reserved
 * delivery mode (nothing is sent). */
static bool ioapic_msg(uint64_t rte, uint64_t *addr, uint32_t *data)
{
    *addr = APIC_WINDOW_BASE | ((rte >> RTE_DEST_SHIFT) << 12) |
            (rte & RTE_DEST_LOGICAL ? 4 : 0);
    *data = (rte & RTE_VECTOR) | (rte_mode(rte) << 8) | (1u << 14) |
            (rte_uses_remote_irr(rte) ? 1u << 15 : 0);
    return rte_mode(rte) != 3 && rte_mode(rte) != 6;
}

/* Send pin n's interrupt message as an MSI (see the header). */
static void ioapic_send(IOAPICState *s, int n)
{
    uint64_t addr;
    uint32_t data;

    if (!ioapic_msg(s->rte[n], &addr, &data)) {
        tlog_mask(LOG_GUEST_ERROR, "ioapic: pin %d has reserved delivery "
                  "mode %d\n", n, rte_mode(s->rte[n]));
        return;
    }
    if (rte_uses_remote_irr(s->rte[n])) {
        s->rte[n] |= RTE_REMOTE_IRR;
    }
    address_space_stl_le(&address_space_memory, addr, data,
                         MEMTXATTRS_UNSPECIFIED, NULL);
}

/* The accelerator's LAPICs (KVM split irqchip) learn what pin n sends,
 * to report EOIs of its level-triggered vector back (x86-gsi.h). */
static void ioapic_update_route(IOAPICState *s, int n)
{
    const X86AccelIrqchip *a = x86_accel_irqchip();
    uint64_t addr;
    uint32_t data;
    bool ok;

    if (a && a->ioapic_route) {
        ok = ioapic_msg(s->rte[n], &addr, &data);
        a->ioapic_route(n, addr, data, !ok || (s->rte[n] & RTE_MASKED));
    }
}

static void ioapic_update_routes(IOAPICState *s)
{
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        ioapic_update_route(s, n);
    }
}

/* Deliver what a level-triggered pin, asserted and idle, still owes. */
static void ioapic_service(IOAPICState *s)
{
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        uint64_t rte = s->rte[n];

        if ((s->pins & (1u << n)) && (rte & RTE_LEVEL) &&
            !(rte & (RTE_MASKED | RTE_REMOTE_IRR))) {
            ioapic_send(s, n);
        }
    }
}

static void ioapic_set_irq(void *opaque, int n, int level)
{
    IOAPICState *s = opaque;
    uint32_t bit = 1u << n;
    bool rising = level && !(s->pins & bit);
    uint64_t rte = s->rte[n];

    if (level) {
        s->pins |= bit;
    } else {
        s->pins &= ~bit;
    }
    if (rte & RTE_MASKED) {
        return;
    }
    if (rte & RTE_LEVEL) {
        if (level && !(rte & RTE_REMOTE_IRR)) {
            ioapic_send(s, n);
        }
    } else if (rising) {
        ioapic_send(s, n);
    }
}

static void ioapic_eoi(IOAPICState *s, int vector)
{
    bool again = false;

    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        if ((s->rte[n] & RTE_REMOTE_IRR) &&
            (s->rte[n] & RTE_VECTOR) == (uint64_t)vector) {
            s->rte[n] &= ~RTE_REMOTE_IRR;
            again = true;
        }
    }
    if (again) {
        ioapic_service(s);
    }
}

static void ioapic_eoi_listener(void *opaque, uint8_t vector)
{
    ioapic_eoi(opaque, vector);
}

/* ---- registers ---- */

static uint32_t ioapic_window_read(IOAPICState *s)
{
    unsigned idx = s->ioregsel;

    switch (idx) {
    case IOAPIC_INDEX_ID:
    case IOAPIC_INDEX_ARB:
        return (s->id & 0xf) << 24;
    case IOAPIC_INDEX_VER:
        return s->version | ((IOAPIC_NUM_PINS - 1) << 16);
    }
    if (idx >= IOAPIC_INDEX_REDIR &&
        idx < IOAPIC_INDEX_REDIR + 2 * IOAPIC_NUM_PINS) {
        uint64_t rte = s->rte[(idx - IOAPIC_INDEX_REDIR) / 2];
        return idx & 1 ? rte >> 32 : (uint32_t)rte;
    }
    tlog_mask(LOG_GUEST_ERROR, "ioapic: read of reserved index 0x%02x\n",
              idx);
    return 0;
}

static void ioapic_window_write(IOAPICState *s, uint32_t val)
{
    unsigned idx = s->ioregsel;
    int n;
    uint64_t rte, old;

    switch (idx) {
    case IOAPIC_INDEX_ID:
        s->id = (val >> 24) & 0xf;
        return;
    case IOAPIC_INDEX_VER:
    case IOAPIC_INDEX_ARB:
        tlog_mask(LOG_GUEST_ERROR, "ioapic: write to read-only index "
                  "0x%02x\n", idx);
        return;
    }
    if (idx < IOAPIC_INDEX_REDIR ||
        idx >= IOAPIC_INDEX_REDIR + 2 * IOAPIC_NUM_PINS) {
        tlog_mask(LOG_GUEST_ERROR, "ioapic: write of 0x%08x to reserved "
                  "index 0x%02x\n", val, idx);
        return;
    }
    n = (idx - IOAPIC_INDEX_REDIR) / 2;
    old = s->rte[n];
    rte = idx & 1 ? ((uint64_t)val << 32) | (uint32_t)old
                  : (old & 0xffffffff00000000ull) | val;
    rte = (rte & RTE_WRITABLE) | (old & RTE_REMOTE_IRR);
    if (!(rte & RTE_LEVEL)) {
        rte &= ~RTE_REMOTE_IRR;      /* edge mode has no remote IRR */
    }
    s->rte[n] = rte;
    if ((rte ^ old) & ~RTE_REMOTE_IRR) {
        ioapic_update_route(s, n);
    }
    if (!(rte & RTE_MASKED) && (rte & RTE_LEVEL) &&
        !(rte & RTE_REMOTE_IRR) && (s->pins & (1u << n))) {
        ioapic_send(s, n);           /* unmasked while asserted */
    }
}

static uint64_t ioapic_read(void *opaque, hwaddr addr, unsigned size)
{
    IOAPICState *s = opaque;
    unsigned shift = (addr & 3) * 8;
    uint32_t val;

    switch (addr & ~3ull) {
    case IOAPIC_REG_SELECT:
        val = s->ioregsel;
        break;
    case IOAPIC_REG_WINDOW:
        val = ioapic_window_read(s);
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "ioapic: read at reserved offset "
                  "0x%02x\n", (unsigned)addr);
        return 0;
    }
    return (val >> shift) & (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1);
}

static void ioapic_write(void *opaque, hwaddr addr, uint64_t val,
                         unsigned size)
{
    IOAPICState *s = opaque;

    if (addr == IOAPIC_REG_SELECT) {
        s->ioregsel = val;              /* bits 7:0, any width */
        return;
    }
    if (addr == IOAPIC_REG_WINDOW && size == 4) {
        ioapic_window_write(s, val);
        return;
    }
    if (addr == IOAPIC_REG_EOI && s->version >= 0x20) {
        ioapic_eoi(s, val & 0xff);
        return;
    }
    tlog_mask(LOG_GUEST_ERROR, "ioapic: %u-byte write at offset 0x%02x "
              "ignored\n", size, (unsigned)addr);
}

/*
 * Registers are 32 bits wide, 16 bytes apart.  Narrower reads return
 * their bytes; IOWIN takes only whole dword writes.
 */
static const MemoryRegionOps ioapic_ops = {
    .read = ioapic_read,
    .write = ioapic_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4,
               .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 4,
              .unaligned = true },
};

/* ---- life cycle ---- */

static void ioapic_reset(DeviceState *dev)
{
    IOAPICState *s = IOAPIC(dev);

    s->ioregsel = 0;
    s->id = s->reset_id;
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        s->rte[n] = RTE_MASKED;
    }
    ioapic_update_routes(s);
}

static void ioapic_init(Object *obj)
{
    IOAPICState *s = IOAPIC(obj);

    memory_region_init_io(&s->io, obj, &ioapic_ops, s, "ioapic", 0x1000);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->io);
    qdev_init_gpio_in(DEVICE(obj), ioapic_set_irq, IOAPIC_NUM_PINS);
}

static bool ioapic_realize(DeviceState *dev, Error **errp)
{
    IOAPICState *s = IOAPIC(dev);

    if (s->version != 0x11 && s->version != 0x20) {
        error_setg(errp, "ioapic: version 0x%x is neither 0x11 nor 0x20",
                   s->version);
        return false;
    }
    if (s->reset_id > 0xf) {
        error_setg(errp, "ioapic: id %u does not fit in 4 bits",
                   s->reset_id);
        return false;
    }
    apic_register_eoi_listener(ioapic_eoi_listener, s);
    return true;
}

static int ioapic_post_load(void *opaque, int version_id)
{
    IOAPICState *s = opaque;

    s->id &= 0xf;
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        s->rte[n] &= RTE_WRITABLE | RTE_REMOTE_IRR;
    }
    ioapic_update_routes(s);
    return 0;
}

static const VMStateDescription vmstate_ioapic = {
    .name = "ioapic",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = ioapic_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(ioregsel, IOAPICState),
        VMSTATE_UINT32(id, IOAPICState),
        VMSTATE_UINT32(pins, IOAPICState),
        VMSTATE_UINT64_ARRAY(rte, IOAPICState, IOAPIC_NUM_PINS),
        VMSTATE_END_OF_LIST()
    },
};

static const Property ioapic_props[] = {
    DEFINE_PROP_UINT8("version", IOAPICState, version, 0x20),
    DEFINE_PROP_UINT32("id", IOAPICState, reset_id, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void ioapic_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "I/O APIC (24 pins)";
    dc->props = ioapic_props;
    dc->realize = ioapic_realize;
    dc->reset = ioapic_reset;
    dc->vmsd = &vmstate_ioapic;
}

static const TypeInfo ioapic_info = {
    .name = TYPE_IOAPIC,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(IOAPICState),
    .instance_init = ioapic_init,
    .class_init = ioapic_class_init,
};

TYPE_REGISTER(ioapic_info)

DeviceState *ioapic_create(hwaddr base, qemu_irq *pins)
{
    DeviceState *dev = qdev_new(TYPE_IOAPIC);

    qdev_set_id(dev, "ioapic");
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, base);
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        pins[n] = qdev_get_gpio_in(dev, n);
    }
    return dev;
}
