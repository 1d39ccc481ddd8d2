/*
 * GICv2m MSI frame (ARM Server Base System Architecture, appendix "GICv2m
 * programmer's view"): turns a PCI device's MSI write into an SPI of a
 * GICv2, which has no message-based interrupts of its own.
 *
 * Regions     sysbus mmio 0: the 4 KiB frame
 *               0x008 MSI_TYPER (RO): first SPI's INTID in 25:16, number
 *                     of SPIs in 9:0
 *               0x040 MSI_SETSPI_NS (WO): writing an INTID of the frame's
 *                     range raises that SPI (an edge: the line pulses)
 *               0xfcc MSI_IIDR (RO): 0
 * IRQ lines   sysbus irq 0..num-spi-1: to GIC SPIs base-spi..
 * Properties  base-spi (SPI number, INTID - 32), num-spi (1..1024)
 *
 * Linux configures these SPIs as edge-triggered, so a pulse latches the
 * interrupt pending in the distributor.  An INTID outside the range, or
 * an access other than 16/32 bits, is a guest error and is ignored.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/intc/arm_gicv2m.h"
#include "hw/core/qdev-properties.h"

#define V2M_MSI_TYPER       0x008
#define V2M_MSI_SETSPI_NS   0x040
#define V2M_MSI_IIDR        0xfcc
#define GIC_SPI_BASE        32      /* INTID of SPI 0 */

static uint64_t gicv2m_read(void *opaque, hwaddr offset, unsigned size)
{
    ARMGICv2mState *s = opaque;

    switch (offset) {
    case V2M_MSI_TYPER:
        return (s->base_spi + GIC_SPI_BASE) << 16 | s->num_spi;
    case V2M_MSI_IIDR:
        return 0;
    default:
        tlog_mask(LOG_GUEST_ERROR, "gicv2m: read of offset 0x%x\n",
                  (unsigned)offset);
        return 0;
    }
}

static void gicv2m_write(void *opaque, hwaddr offset, uint64_t val,
                         unsigned size)
{
    ARMGICv2mState *s = opaque;
    uint32_t spi = (val & 0x3ff) - GIC_SPI_BASE - s->base_spi;

    if (offset != V2M_MSI_SETSPI_NS) {
        tlog_mask(LOG_GUEST_ERROR, "gicv2m: write to offset 0x%x\n",
                  (unsigned)offset);
        return;
    }
    if (spi >= s->num_spi) {
        tlog_mask(LOG_GUEST_ERROR, "gicv2m: MSI for INTID %u, outside "
                  "%u..%u\n", (unsigned)(val & 0x3ff),
                  s->base_spi + GIC_SPI_BASE,
                  s->base_spi + GIC_SPI_BASE + s->num_spi - 1);
        return;
    }
    qemu_set_irq(s->spi[spi], 1);
    qemu_set_irq(s->spi[spi], 0);
}

static const MemoryRegionOps gicv2m_ops = {
    .read = gicv2m_read,
    .write = gicv2m_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 2, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static bool gicv2m_realize(DeviceState *dev, Error **errp)
{
    ARMGICv2mState *s = ARM_GICV2M(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    if (s->num_spi < 1 || s->num_spi > GICV2M_MAX_SPIS ||
        s->base_spi + s->num_spi > 988) {
        error_setg(errp, "gicv2m: num-spi must be 1..%d and base-spi + "
                   "num-spi at most 988", GICV2M_MAX_SPIS);
        return false;
    }
    memory_region_init_io(&s->iomem, OBJECT(dev), &gicv2m_ops, s, "gicv2m",
                          GICV2M_SIZE);
    sysbus_init_mmio(sbd, &s->iomem);
    s->spi = g_new0(qemu_irq, s->num_spi);
    for (uint32_t i = 0; i < s->num_spi; i++) {
        sysbus_init_irq(sbd, &s->spi[i]);
    }
    return true;
}

static const Property gicv2m_props[] = {
    DEFINE_PROP_UINT32("base-spi", ARMGICv2mState, base_spi, 0),
    DEFINE_PROP_UINT32("num-spi", ARMGICv2mState, num_spi, 64),
    DEFINE_PROP_END_OF_LIST(),
};

static void gicv2m_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "GICv2m MSI frame";
    dc->realize = gicv2m_realize;
    dc->props = gicv2m_props;
}

static void gicv2m_finalize(Object *obj)
{
    g_free(ARM_GICV2M(obj)->spi);
}

static const TypeInfo gicv2m_info = {
    .name = TYPE_ARM_GICV2M,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(ARMGICv2mState),
    .instance_finalize = gicv2m_finalize,
    .class_init = gicv2m_class_init,
};
TYPE_REGISTER(gicv2m_info)
