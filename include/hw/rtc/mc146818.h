/*
 * Motorola MC146818A real-time clock with 128 bytes of CMOS RAM, as on
 * the PC (ISA device "mc146818rtc").
 *
 *   I/O 0x70 (write)  index; bit 7 masks NMI (kept, reported by
 *                     rtc_nmi_masked(); no NMI source exists yet)
 *   I/O 0x71          data of the indexed byte
 *   IRQ 8             (PIE & PF) | (AIE & AF) | (UIE & UF); lowered when
 *                     register C is read
 *   properties        iobase (0x70), irq (8), base ("utc", "localtime" or
 *                     "YYYY-MM-DDTHH:MM:SS"), clock ("host": wall clock,
 *                     "vm": guest virtual time; timers run on the same)
 *
 * Registers 0x00-0x0d are the clock (seconds ... register D); 0x32 is the
 * century (IBM PC convention), kept in step with the year.  The board
 * fills the rest with rtc_set_memory() (memory sizes, equipment).
 */
#ifndef HW_RTC_MC146818_H
#define HW_RTC_MC146818_H

#include "hw/core/isa.h"
#include "turtle/timer.h"

#define TYPE_MC146818_RTC "mc146818rtc"
#define RTC_ISA_IRQ 8
#define RTC_CENTURY 0x32

typedef struct RTCState {
    ISADevice parent_obj;
    MemoryRegion io;
    uint8_t cmos[128];
    uint8_t index;
    bool nmi_masked;
    /* guest time in ns = clock ns + offset_ns */
    int64_t offset_ns;
    int64_t last_pf_ns;        /* guest time PF was last brought up to date */
    int64_t last_uf_ns;        /* same for UF/AF */
    QEMUTimer *periodic_timer;
    QEMUTimer *second_timer;   /* update-ended / alarm */
    qemu_irq irq;
    /* properties */
    uint32_t iobase;
    uint32_t isairq;
    char *base;
    char *clock;
    QEMUClockType clock_type;
} RTCState;

DECLARE_INSTANCE_CHECKER(RTCState, MC146818_RTC, TYPE_MC146818_RTC)

/* Create at 0x70 / IRQ 8 on the default ISA bus. */
RTCState *mc146818_rtc_create(ISABus *bus, const char *base,
                              const char *clock);
void rtc_set_memory(RTCState *s, int addr, uint8_t val);
uint8_t rtc_get_memory(RTCState *s, int addr);
bool rtc_nmi_masked(RTCState *s);

#endif
