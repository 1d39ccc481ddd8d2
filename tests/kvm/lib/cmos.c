/*
 * MC146818 RTC/CMOS through index 0x70 (bit 7 = NMI disable) and data 0x71.
 *
 * Memory-size fields (the layout every PC BIOS since the AT reads):
 *   0x15/0x16  base memory in KiB (640)
 *   0x17/0x18  and 0x30/0x31: extended memory above 1 MiB in KiB, capped
 *              at 0xffff (65535 KiB)
 *   0x34/0x35  memory above 16 MiB, in 64 KiB units, up to the PCI hole
 *              (capped at 0xffff)
 *   0x5b-0x5d  memory above 4 GiB, in 64 KiB units (24 bits)
 *   0x5f       number of CPUs minus one
 */
#include "hw.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define CMOS_NMI_DISABLE 0x80

uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, CMOS_NMI_DISABLE | reg);
    return inb(CMOS_DATA);
}

int rtc_read_seconds(void)
{
    /* Status A bit 7 (UIP): an update is in progress or starts within
     * 244 us.  Once it reads 0 the time registers are stable that long. */
    for (unsigned i = 0; i < 1000000; i++) {
        if (!(cmos_read(0x0a) & 0x80)) {
            return cmos_read(0x00);
        }
    }
    return -1;
}

static unsigned cmos_read16(uint8_t lo)
{
    return cmos_read(lo) | (cmos_read(lo + 1) << 8);
}

void cmos_print_memory(void)
{
    unsigned base = cmos_read16(0x15);
    unsigned ext17 = cmos_read16(0x17);
    unsigned ext30 = cmos_read16(0x30);
    unsigned above16m = cmos_read16(0x34);
    unsigned above4g = cmos_read(0x5b) | (cmos_read(0x5c) << 8) |
                       ((unsigned)cmos_read(0x5d) << 16);
    print("cmos: base_kb=%u ext_kb_17=%u ext_kb_30=%u\n", base, ext17, ext30);
    print("cmos: above16m_64k=0x%x above4g_64k=0x%x ncpus_minus1=%u\n",
          above16m, above4g, cmos_read(0x5f));
    print("cmos: equipment=0x%x status_b=0x%x status_d=0x%x\n",
          cmos_read(0x14), cmos_read(0x0b), cmos_read(0x0d));
}

void cmos_write(uint8_t reg, uint8_t v)
{
    outb(CMOS_INDEX, CMOS_NMI_DISABLE | reg);
    outb(CMOS_DATA, v);
}

void rtc_set_periodic(unsigned rate)
{
    /* Status A: DV (6:4) = 010 (32.768 kHz time base), RS (3:0) = rate */
    cmos_write(0x0a, 0x20 | (rate & 0xf));
    uint8_t b = cmos_read(0x0b);
    cmos_write(0x0b, rate ? (b | 0x40) : (b & ~0x40));     /* Status B PIE */
    rtc_ack();
}

uint8_t rtc_ack(void)
{
    return cmos_read(0x0c);
}
