/*
 * PC board devices as the tests/kvm guests drive them.  Addresses are the
 * `pc` machine's fixed ones: CMOS 0x70/0x71, PCI config 0xcf8/0xcfc, 8259
 * pair 0x20/0xa0, 8254 0x40-0x43, IOAPIC 0xfec00000, LAPIC 0xfee00000.
 */
#ifndef TESTS_KVM_HW_H
#define TESTS_KVM_HW_H

#include "io.h"

/* lib/cmos.c */
uint8_t cmos_read(uint8_t reg);
/* Seconds register (0x00) read after Status A UIP (bit 7) is clear;
 * returns -1 if UIP never clears. */
int rtc_read_seconds(void);
/* Prints the memory-size fields the `pc` board fills; see cmos.c. */
void cmos_print_memory(void);
void cmos_write(uint8_t reg, uint8_t v);
/* Periodic interrupt (IRQ 8) at 32768 >> (rate - 1) Hz; rate 0 = off. */
void rtc_set_periodic(unsigned rate);
/* Reads Status C: acknowledges the interrupt, returns its flags. */
uint8_t rtc_ack(void);

/* lib/fwcfg.c: fw_cfg I/O interface, selector 0x510, data 0x511 */
int fw_cfg_present(void);               /* signature "QEMU" */
void fw_cfg_read(uint16_t key, void *buf, unsigned len);
/* Selector of file `name` from the directory (key 0x19), size in *size;
 * -1 if absent.  Prints every entry when `list` is set. */
int fw_cfg_find_file(const char *name, uint32_t *size, int list);

/* lib/pci.c: configuration mechanism #1 */
uint32_t pci_cfg_read32(unsigned bus, unsigned dev, unsigned fn, unsigned off);
void pci_cfg_write32(unsigned bus, unsigned dev, unsigned fn, unsigned off,
                     uint32_t v);
/* Prints one "pci: BB:DD.F vvvv:dddd class cccccc" line per function on
 * bus 0 and returns how many were found. */
int pci_scan_bus0(void);
/* Sizes BAR `bar` (0..5) of 0:dev.fn without disturbing it; returns the
 * size (0 for an unimplemented BAR) and the original value in *orig. */
uint32_t pci_bar_size(unsigned dev, unsigned fn, unsigned bar, uint32_t *orig);

/* lib/pic.c: 8259 pair, master vectors base..base+7, slave base2.. */
void pic_init(uint8_t base1, uint8_t base2);
void pic_set_mask(uint16_t mask);   /* bit n = IRQ n masked */
void pic_eoi(unsigned irq);
uint8_t pic_read_irr_master(void);
uint8_t pic_read_isr_master(void);

/* lib/pit.c: 8254 channel 0 */
#define PIT_HZ 1193182u
void pit_start_periodic(unsigned hz);   /* mode 2, lobyte/hibyte */
uint16_t pit_read_counter0(void);       /* counter latch command */

/* lib/apic.c */
#define LAPIC_BASE   0xfee00000u
#define IOAPIC_BASE  0xfec00000u
uint32_t lapic_read(unsigned reg);
void lapic_write(unsigned reg, uint32_t v);
void lapic_enable(uint8_t spurious_vector);
void lapic_eoi(void);
uint32_t ioapic_read(unsigned reg);
void ioapic_write(unsigned reg, uint32_t v);
/* Fixed delivery, edge, active high, physical destination `apic_id`. */
void ioapic_route(unsigned pin, uint8_t vector, uint8_t apic_id);
void ioapic_mask_all(void);

/* lib/acpi.c: prints RSDP, tables and the MADT; fails on a bad checksum.
 * Returns 0 when there is no RSDP.  `rsdp_hint` may be 0. */
int acpi_report(uint64_t rsdp_hint);

#endif
