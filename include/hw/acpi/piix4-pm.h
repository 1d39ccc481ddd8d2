/*
 * PIIX4 power management function (PCI 8086:7113, "piix4-pm"), the ACPI
 * fixed hardware of the pc board (hw/acpi/piix4-pm.c).
 *
 *   config 0x40 PMBA      PM I/O base (bits 15:6; bit 0 reads 1)
 *   config 0x80 PMREGMISC bit 0: the PM I/O block decodes
 *   config 0x90 SMBBA, 0xd2 SMBHSTCFG: kept, no SMBus behind them
 *   I/O PMBA+0x00 PM1_STS, +0x02 PM1_EN, +0x04 PM1_CNT, +0x08 PM_TMR,
 *       +0x0c GPE0 (GPSTS, GPEN)
 *   I/O 0xb2 APMC (ACPI_ENABLE 0xf1 sets SCI_EN, ACPI_DISABLE 0xf0
 *       clears it; no SMM), 0xb3 APMS (scratch)
 *   gpio out "sci"        the SCI (ISA IRQ 9 on the pc), level
 * S5 (SLP_TYP 0 with SLP_EN) asks the VM to shut down (the process exits
 * with status 0); a powerdown request (QMP system_powerdown) presses the
 * power button (PWRBTN_STS, an SCI when enabled).
 */
#ifndef HW_ACPI_PIIX4_PM_H
#define HW_ACPI_PIIX4_PM_H

#include "hw/pci/pci.h"

#define TYPE_PIIX4_PM "piix4-pm"
#define PIIX4_PM_IO_BASE   0x600       /* where firmware puts PMBA */
#define PIIX4_PM_SCI_IRQ   9
#define PIIX4_PM_GPE0_OFF  0x0c
#define PIIX4_PM_GPE0_LEN  4
#define ACPI_SMI_CMD_PORT  0xb2
#define ACPI_ENABLE_CMD    0xf1
#define ACPI_DISABLE_CMD   0xf0
#define ACPI_PM_TIMER_HZ   3579545

/* Create at devfn with the SCI on sci. */
DeviceState *piix4_pm_create(PCIBus *bus, int devfn, qemu_irq sci);
/* What firmware does: PM I/O at base, decoding on. */
void piix4_pm_firmware_setup(DeviceState *dev, uint16_t base);

#endif
