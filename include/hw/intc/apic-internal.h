/*
 * Local APIC internals shared by hw/intc/apic.c (bus, delivery, CPU
 * interface, MMIO window, life cycle) and hw/intc/apic-regs.c (register
 * file, ICR, timer).  Nothing outside hw/intc includes this: the
 * interface is include/hw/intc/apic.h.
 */
#ifndef HW_INTC_APIC_INTERNAL_H
#define HW_INTC_APIC_INTERNAL_H

#include "hw/intc/apic.h"
#include "turtle/timer.h"

/* register offsets in the xAPIC page (x2APIC MSR = 0x800 + off / 16) */
#define APIC_REG_ID          0x020
#define APIC_REG_VERSION     0x030
#define APIC_REG_TPR         0x080
#define APIC_REG_APR         0x090
#define APIC_REG_PPR         0x0a0
#define APIC_REG_EOI         0x0b0
#define APIC_REG_RRD         0x0c0
#define APIC_REG_LDR         0x0d0
#define APIC_REG_DFR         0x0e0
#define APIC_REG_SVR         0x0f0
#define APIC_REG_ISR         0x100
#define APIC_REG_TMR         0x180
#define APIC_REG_IRR         0x200
#define APIC_REG_ESR         0x280
#define APIC_REG_CMCI        0x2f0
#define APIC_REG_ICR         0x300
#define APIC_REG_ICR_HI      0x310
#define APIC_REG_LVT_TIMER   0x320
#define APIC_REG_LVT_ERROR   0x370
#define APIC_REG_TIMER_INIT  0x380
#define APIC_REG_TIMER_CUR   0x390
#define APIC_REG_TIMER_DIV   0x3e0
#define APIC_REG_SELF_IPI    0x3f0     /* x2APIC only */

#define APIC_VERSION         0x14
#define APIC_LVT_NB          6

/* LVT indices (offset 0x320 + 0x10 * index) */
enum {
    APIC_LVT_TIMER, APIC_LVT_THERMAL, APIC_LVT_PERF,
    APIC_LVT_LINT0, APIC_LVT_LINT1, APIC_LVT_ERROR,
};

#define APIC_LVT_MASKED      (1u << 16)
#define APIC_LVT_LEVEL       (1u << 15)
#define APIC_LVT_REMOTE_IRR  (1u << 14)
#define APIC_LVT_POLARITY    (1u << 13)
#define APIC_LVT_MODE(v)     (((v) >> 8) & 7)
#define APIC_LVT_TIMER_MODE(v) (((v) >> 17) & 3)

#define APIC_TIMER_ONESHOT       0
#define APIC_TIMER_PERIODIC      1
#define APIC_TIMER_TSC_DEADLINE  2

/* delivery modes (ICR, LVT, MSI data, IOAPIC redirection) */
#define APIC_DM_FIXED    0
#define APIC_DM_LOWPRI   1
#define APIC_DM_SMI      2
#define APIC_DM_NMI      4
#define APIC_DM_INIT     5
#define APIC_DM_STARTUP  6
#define APIC_DM_EXTINT   7

/* ICR destination shorthand (bits 19:18) */
#define APIC_SH_NONE     0
#define APIC_SH_SELF     1
#define APIC_SH_ALL      2
#define APIC_SH_OTHERS   3

#define APIC_BASE_ADDR_MASK  0x000ffffffffff000ull
#define APIC_ICR_BUSY        (1u << 12)
#define APIC_SVR_ENABLE      (1u << 8)
#define APIC_SVR_FOCUS       (1u << 9)
#define APIC_SVR_MASK        0x3ffu     /* vector, enable, focus */

#define APIC_ESR_SEND_ILLEGAL_VECTOR  (1u << 5)
#define APIC_ESR_RECV_ILLEGAL_VECTOR  (1u << 6)
#define APIC_ESR_ILLEGAL_REGISTER     (1u << 7)

/* A periodic timer interrupts at most this often (KVM's default too). */
#define APIC_MIN_PERIOD_NS   200000
/* The APIC timer's input clock before the divider: 1 GHz. */
#define APIC_BUS_HZ          1000000000ull

typedef struct APICState {
    DeviceState parent_obj;

    /* properties */
    CPUState *cpu;
    uint32_t initial_id;
    bool x2apic_supported;
    bool tsc_deadline_supported;
    bool in_kernel;

    /* registers */
    uint64_t base;                /* IA32_APIC_BASE */
    uint32_t id;                  /* xAPIC ID register (id << 24) */
    uint32_t tpr, ldr, dfr, svr;
    uint32_t isr[8], tmr[8], irr[8];
    uint32_t esr;                 /* what the guest reads */
    uint32_t esr_pending;         /* errors since the last ESR write */
    uint32_t icr_lo, icr_hi;
    uint32_t lvt[APIC_LVT_NB];
    uint32_t initial_count, divide_conf;
    uint32_t timer_current;       /* count when stopped (KVM's snapshot) */
    int64_t timer_start;          /* virtual ns when the count (re)loaded */
    bool timer_oneshot_done;      /* the one-shot count reached 0 */
    uint64_t tsc_deadline;
    QEMUTimer *timer;

    /* pins and INIT/SIPI */
    uint8_t lint_level;           /* bit n: LINTn is high */
    bool extint_msg;              /* an ExtINT message awaits its INTA */
    bool wait_for_sipi;
    uint8_t sipi_vector;

    /* TSC-deadline time base */
    ApicReadTscFn read_tsc;
    uint64_t tsc_hz;
} APICState;

DECLARE_INSTANCE_CHECKER(APICState, APIC, TYPE_APIC)

/* apic.c */
unsigned apic_count(void);
APICState *apic_nth(unsigned i);
bool apic_x2apic_mode(APICState *s);
uint32_t apic_id(APICState *s);
uint32_t apic_ldr(APICState *s);
uint32_t apic_ppr(APICState *s);
uint32_t apic_apr(APICState *s);
void apic_update_irq(APICState *s);
void apic_set_error(APICState *s, uint32_t bits);
void apic_accept(APICState *s, int mode, uint8_t vector, bool level);
void apic_bus_deliver(APICState *from, int shorthand, uint32_t dest,
                      bool logical, bool x2apic_dest, int mode,
                      uint8_t vector, bool level);
void apic_eoi(APICState *s);
void apic_reset_registers(APICState *s);

/* apic-regs.c */
/* false: no such register (reserved offset) */
bool apic_reg_read(APICState *s, unsigned off, uint32_t *val);
/* false: reserved or read-only; x2apic: the MSR interface's rules */
bool apic_reg_write(APICState *s, unsigned off, uint32_t val, bool x2apic);
void apic_send_ipi(APICState *s);
void apic_timer_update(APICState *s);
void apic_timer_cb(void *opaque);
void apic_timer_set_deadline(APICState *s, uint64_t deadline);

#endif
