/*
 * PIIX4 power management function - see include/hw/acpi/piix4-pm.h.
 * Intel 82371AB (PIIX4) data sheet, "Power Management Registers"; ACPI
 * 6.4, 4.8 (fixed hardware: PM1 event/control, PM timer, GPE0).
 *
 * Model choices:
 *   - Only S5 is implemented; other sleep states (SLP_TYP 1-7) are logged
 *     and the write does nothing (the DSDT only offers \_S5).
 *   - The PM timer is 24 bits (TMR_VAL_EXT clear in the FADT) at
 *     3.579545 MHz on the virtual clock; TMR_STS is set each time bit 23
 *     changes, computed when read and by a timer while TMR_EN is set.
 *   - No SMI: the APM control port only switches SCI_EN, which is how the
 *     FADT's ACPI_ENABLE / ACPI_DISABLE commands take effect.  DEVACTB's
 *     APMC_EN reads as set and is read-only, as on QEMU's pc without SMM:
 *     firmware (SeaBIOS) takes it as "SMM is already set up" and does not
 *     wait for an SMI handler that would never run.
 *   - GPE0 has no sources yet (no hotplug): its bits only read back.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "turtle/timer.h"
#include "hw/acpi/piix4-pm.h"
#include "migration/vmstate.h"
#include "sysemu/runstate.h"

#define PMBA          0x40
#define DEVACTB       0x58          /* device activity B */
#define DEVACTB_APMC_EN (1u << 25)  /* SMI on APM control writes */
#define PMREGMISC     0x80
#define SMBBA         0x90
#define SMBHSTCFG     0xd2
#define PM_IO_LEN     0x40

#define PM1_STS       0x00
#define PM1_EN        0x02
#define PM1_CNT       0x04
#define PM_TMR        0x08
#define GPSTS         0x0c
#define GPEN          0x0e

#define TMR_STS       (1u << 0)
#define GBL_STS       (1u << 5)
#define PWRBTN_STS    (1u << 8)
#define RTC_STS       (1u << 10)
#define WAK_STS       (1u << 15)
#define PM1_EN_MASK   (TMR_STS | GBL_STS | PWRBTN_STS | RTC_STS)
#define SCI_EN        (1u << 0)
#define SLP_TYP_SHIFT 10
#define SLP_EN        (1u << 13)
#define PM1_CNT_MASK  (SCI_EN | 0x0006 | (7u << SLP_TYP_SHIFT))

typedef struct PIIX4PMState {
    PCIDevice parent_obj;
    MemoryRegion io, apm_io;
    QEMUTimer *tmr_timer;
    qemu_irq sci;
    uint16_t pm1_sts, pm1_en, pm1_cnt;
    uint16_t gpsts, gpen;
    int64_t tmr_next_ns;        /* when bit 23 of the timer next changes */
    uint8_t apmc, apms;
    bool io_mapped;
    uint16_t io_base;
} PIIX4PMState;

DECLARE_INSTANCE_CHECKER(PIIX4PMState, PIIX4_PM, TYPE_PIIX4_PM)

/* ---- PM timer ---- */

static uint64_t pm_ticks(int64_t ns)
{
    return (uint64_t)((__int128)ns * ACPI_PM_TIMER_HZ /
                      NANOSECONDS_PER_SECOND);
}

/* the virtual time of the next change of bit 23 after now */
static int64_t pm_next_toggle(int64_t now)
{
    uint64_t t = (pm_ticks(now) | 0x7fffff) + 1;

    return ((__int128)t * NANOSECONDS_PER_SECOND + ACPI_PM_TIMER_HZ - 1) /
           ACPI_PM_TIMER_HZ;
}

static void pm_catch_up_timer(PIIX4PMState *s, int64_t now)
{
    if (now >= s->tmr_next_ns) {
        s->pm1_sts |= TMR_STS;
        s->tmr_next_ns = pm_next_toggle(now);
    }
}

static void pm_update(PIIX4PMState *s)
{
    bool level = (s->pm1_cnt & SCI_EN) &&
                 ((s->pm1_sts & s->pm1_en & PM1_EN_MASK) ||
                  (s->gpsts & s->gpen));

    qemu_set_irq(s->sci, level);
    if ((s->pm1_en & TMR_STS) && !(s->pm1_sts & TMR_STS)) {
        timer_mod_ns(s->tmr_timer, s->tmr_next_ns);
    } else {
        timer_del(s->tmr_timer);
    }
}

static void pm_tmr_cb(void *opaque)
{
    PIIX4PMState *s = opaque;

    pm_catch_up_timer(s, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    pm_update(s);
}

/* ---- PM I/O block ---- */

static void pm_sleep(PIIX4PMState *s, unsigned slp_typ)
{
    if (slp_typ == 0) {
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        return;
    }
    tlog_mask(LOG_UNIMP, "piix4-pm: sleep type %u is not implemented "
              "(only S5, type 0)\n", slp_typ);
}

static uint64_t pm_io_read(void *opaque, hwaddr addr, unsigned size)
{
    PIIX4PMState *s = opaque;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint32_t v;

    switch (addr & ~1ull) {
    case PM1_STS:
        pm_catch_up_timer(s, now);
        v = s->pm1_sts;
        break;
    case PM1_EN:
        v = s->pm1_en;
        break;
    case PM1_CNT:
        v = s->pm1_cnt;
        break;
    case PM_TMR:
    case PM_TMR + 2:
        v = pm_ticks(now) & 0xffffff;
        return (v >> ((addr - PM_TMR) * 8)) &
               (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1);
    case GPSTS:
        v = s->gpsts;
        break;
    case GPEN:
        v = s->gpen;
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "piix4-pm: read of reserved register "
                  "0x%02x\n", (unsigned)addr);
        return 0;
    }
    return (v >> ((addr & 1) * 8)) & (size == 1 ? 0xff : 0xffff);
}

static void pm_io_write(void *opaque, hwaddr addr, uint64_t val,
                        unsigned size)
{
    PIIX4PMState *s = opaque;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    if (size == 1) {
        /* a byte lands in its half of the 16-bit register */
        uint16_t old = pm_io_read(s, addr & ~1ull, 2);

        if (addr == PM1_STS || addr == PM1_STS + 1 || addr == GPSTS ||
            addr == GPSTS + 1) {
            old = 0;                       /* write-1-to-clear */
        }
        val = addr & 1 ? (old & 0xff) | (val << 8)
                       : (old & 0xff00) | (val & 0xff);
        addr &= ~1ull;
    }
    switch (addr) {
    case PM1_STS:
        pm_catch_up_timer(s, now);
        s->pm1_sts &= ~(val & (PM1_EN_MASK | WAK_STS));
        break;
    case PM1_EN:
        s->pm1_en = val & PM1_EN_MASK;
        break;
    case PM1_CNT:
        s->pm1_cnt = (s->pm1_cnt & ~PM1_CNT_MASK) | (val & PM1_CNT_MASK);
        if (val & SLP_EN) {
            pm_sleep(s, (val >> SLP_TYP_SHIFT) & 7);
        }
        break;
    case GPSTS:
        s->gpsts &= ~val;
        break;
    case GPEN:
        s->gpen = val;
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "piix4-pm: %u-byte write to register "
                  "0x%02x ignored\n", size, (unsigned)addr);
        return;
    }
    pm_update(s);
}

static const MemoryRegionOps pm_io_ops = {
    .read = pm_io_read,
    .write = pm_io_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 2 },
};

/* ---- APM control / status (0xb2, 0xb3) ---- */

static uint64_t apm_read(void *opaque, hwaddr addr, unsigned size)
{
    PIIX4PMState *s = opaque;

    return addr ? s->apms : s->apmc;
}

static void apm_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    PIIX4PMState *s = opaque;

    if (addr) {
        s->apms = val;
        return;
    }
    s->apmc = val;
    if (val == ACPI_ENABLE_CMD) {
        s->pm1_cnt |= SCI_EN;
    } else if (val == ACPI_DISABLE_CMD) {
        s->pm1_cnt &= ~SCI_EN;
    }
    pm_update(s);
}

static const MemoryRegionOps apm_ops = {
    .read = apm_read,
    .write = apm_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---- PCI configuration ---- */

static void pm_map_io(PIIX4PMState *s)
{
    uint8_t *c = s->parent_obj.config;
    uint16_t base = pci_get_long(c + PMBA) & 0xffc0;
    bool on = (c[PMREGMISC] & 1) && base;

    if (s->io_mapped && (!on || base != s->io_base)) {
        memory_region_del_subregion(s->parent_obj.bus->address_space_io,
                                    &s->io);
        s->io_mapped = false;
    }
    if (on && !s->io_mapped) {
        memory_region_add_subregion(s->parent_obj.bus->address_space_io,
                                    base, &s->io);
        s->io_mapped = true;
        s->io_base = base;
    }
}

static void pm_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                            int len)
{
    pci_default_write_config(dev, addr, val, len);
    if (addr < PMBA + 4 ? addr + len > PMBA : addr == PMREGMISC) {
        pm_map_io(PIIX4_PM(dev));
    }
}

static void pm_powerdown(void *opaque)
{
    PIIX4PMState *s = opaque;

    s->pm1_sts |= PWRBTN_STS;
    pm_update(s);
}

static bool pm_realize(PCIDevice *dev, Error **errp)
{
    PIIX4PMState *s = PIIX4_PM(dev);
    uint8_t *c = dev->config;

    memory_region_init_io(&s->io, OBJECT(dev), &pm_io_ops, s, "piix4-pm",
                          PM_IO_LEN);
    memory_region_init_io(&s->apm_io, OBJECT(dev), &apm_ops, s, "apm", 2);
    memory_region_add_subregion(dev->bus->address_space_io,
                                ACPI_SMI_CMD_PORT, &s->apm_io);
    s->tmr_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, pm_tmr_cb, s);
    c[PCI_INTERRUPT_LINE] = PIIX4_PM_SCI_IRQ;
    pci_set_long(c + PMBA, 1);            /* I/O space indicator */
    pci_set_long(dev->wmask + PMBA, 0xffc0);
    dev->wmask[PMREGMISC] = 0x01;
    pci_set_long(dev->wmask + SMBBA, 0xfff0);
    dev->wmask[SMBHSTCFG] = 0x0f;
    qemu_register_powerdown_notifier(pm_powerdown, s);
    return true;
}

static void pm_reset(DeviceState *qdev)
{
    PIIX4PMState *s = PIIX4_PM(qdev);
    PCIDevice *dev = PCI_DEVICE(qdev);

    pci_device_reset(dev);
    pci_set_long(dev->config + PMBA, 1);
    dev->config[PMREGMISC] = 0;
    pci_set_long(dev->config + SMBBA, 1);
    dev->config[SMBHSTCFG] = 0;
    dev->config[PCI_INTERRUPT_LINE] = PIIX4_PM_SCI_IRQ;
    pci_set_long(dev->config + DEVACTB, DEVACTB_APMC_EN);
    s->pm1_sts = s->pm1_en = s->pm1_cnt = 0;
    s->gpsts = s->gpen = 0;
    s->apmc = s->apms = 0;
    s->tmr_next_ns = pm_next_toggle(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    pm_map_io(s);
    pm_update(s);
}

static int pm_post_load(void *opaque, int version_id)
{
    PIIX4PMState *s = opaque;

    s->pm1_en &= PM1_EN_MASK;
    s->pm1_cnt &= PM1_CNT_MASK;
    pm_map_io(s);
    pm_update(s);
    return 0;
}

static const VMStateDescription vmstate_pm = {
    .name = "piix4-pm",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = pm_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8_ARRAY(parent_obj.config, PIIX4PMState,
                            PCI_CONFIG_SPACE_SIZE),
        VMSTATE_UINT16(pm1_sts, PIIX4PMState),
        VMSTATE_UINT16(pm1_en, PIIX4PMState),
        VMSTATE_UINT16(pm1_cnt, PIIX4PMState),
        VMSTATE_UINT16(gpsts, PIIX4PMState),
        VMSTATE_UINT16(gpen, PIIX4PMState),
        VMSTATE_INT64(tmr_next_ns, PIIX4PMState),
        VMSTATE_UINT8(apmc, PIIX4PMState),
        VMSTATE_UINT8(apms, PIIX4PMState),
        VMSTATE_END_OF_LIST()
    },
};

static void pm_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    dc->desc = "PIIX4 power management (ACPI PM1, PM timer, SCI, S5)";
    dc->reset = pm_reset;
    dc->vmsd = &vmstate_pm;
    pc->realize = pm_realize;
    pc->config_write = pm_config_write;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x7113;
    pc->revision = 0x03;
    pc->class_id = 0x0680;               /* bridge, other */
}

static const TypeInfo pm_info = {
    .name = TYPE_PIIX4_PM,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PIIX4PMState),
    .class_size = sizeof(PCIDeviceClass),
    .class_init = pm_class_init,
};

TYPE_REGISTER(pm_info)

DeviceState *piix4_pm_create(PCIBus *bus, int devfn, qemu_irq sci)
{
    DeviceState *dev = DEVICE(pci_create_simple(bus, devfn, TYPE_PIIX4_PM));

    PIIX4_PM(dev)->sci = sci;
    pm_update(PIIX4_PM(dev));
    return dev;
}

void piix4_pm_firmware_setup(DeviceState *dev, uint16_t base)
{
    PCIDevice *pci = PCI_DEVICE(dev);

    pm_config_write(pci, PMBA, base | 1, 4);
    pm_config_write(pci, PMREGMISC, 1, 1);
}
