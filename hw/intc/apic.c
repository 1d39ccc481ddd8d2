/*
 * Local APIC (xAPIC / x2APIC), one per x86 CPU - the interface is
 * include/hw/intc/apic.h.  Intel SDM Vol. 3A, "Advanced Programmable
 * Interrupt Controller (APIC)".
 *
 *   MMIO   the 1 MiB window at 0xfee00000 (apic_map_window): offsets
 *          0x010-0xff0 are the registers of the current CPU's APIC
 *          (qtest: CPU 0, or the CPU chosen with the "cpu" command); a
 *          4-byte write at offset 0x000-0x00f or above 0xfff is an MSI
 *          (the PC's MSI address 0xfeeDD00x never has bits 11:4 set)
 *   MSR    0x6e0 TSC_DEADLINE, 0x800-0x8ff in x2APIC mode
 *   gpio   "lint" 0/1: LINT0, LINT1
 *
 * Model choices:
 *   - 6 LVT entries (timer, thermal, perf, LINT0, LINT1, error; no CMCI),
 *     version 0x14; no directed EOI (SVR bit 12 stays 0), so every EOI of
 *     a level-triggered vector is broadcast to the IOAPICs.
 *   - The timer counts at 1 GHz / divide (bus clock of 1 GHz on the
 *     virtual clock); the guest calibrates it against the PIT or HPET.
 *     A periodic timer fires at most every APIC_MIN_PERIOD_NS (KVM clamps
 *     the same way): a guest asking for a 1 ns period cannot flood the
 *     main loop.  Missed periods are coalesced, as the IRR would.
 *   - Interrupt messages are delivered at once: ICR delivery status is
 *     always idle.  Lowest priority picks the target with the lowest
 *     arbitration priority (first by APIC id on a tie).  SMI is logged.
 *   - After reset the BSP's LINT0 is ExtINT and unmasked, as firmware
 *     leaves it (virtual wire mode), so the 8259 reaches a directly booted
 *     kernel; LINT0 ExtINT works while the APIC is software-disabled, as
 *     on QEMU and KVM.
 *   - A fixed interrupt that arrives while the APIC is software-disabled
 *     is kept in IRR but not signalled until SVR enables the APIC.
 *   - Relocating the APIC base is recorded in IA32_APIC_BASE but the
 *     window stays at 0xfee00000 (logged), as in QEMU's TCG.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "turtle/timer.h"
#include "hw/intc/apic.h"
#include "hw/intc/apic-internal.h"
#include "hw/core/qdev-properties.h"
#include "migration/vmstate.h"
#include "sysemu/qtest.h"

/* ---- the APIC bus: every APIC of the machine (one VM per process) ---- */

static GPtrArray *apic_by_cpu;        /* APICState *, by cpu_index */
static MemoryRegion apic_window;
static bool apic_window_mapped;

typedef struct EOIListener {
    void (*fn)(void *opaque, uint8_t vector);
    void *opaque;
} EOIListener;
static GArray *eoi_listeners;

static int (*pic_read_irq_fn)(void *opaque);
static void *pic_read_irq_opaque;

void x86_register_pic_read_irq(int (*fn)(void *opaque), void *opaque)
{
    pic_read_irq_fn = fn;
    pic_read_irq_opaque = opaque;
}

int x86_pic_read_irq(void)
{
    return pic_read_irq_fn ? pic_read_irq_fn(pic_read_irq_opaque) : -1;
}

void apic_register_eoi_listener(void (*fn)(void *opaque, uint8_t vector),
                                void *opaque)
{
    EOIListener l = { fn, opaque };

    if (!eoi_listeners) {
        eoi_listeners = g_array_new(false, false, sizeof(EOIListener));
    }
    g_array_append_val(eoi_listeners, l);
}

void apic_eoi_broadcast(uint8_t vector)
{
    for (guint i = 0; eoi_listeners && i < eoi_listeners->len; i++) {
        EOIListener *l = &g_array_index(eoi_listeners, EOIListener, i);
        l->fn(l->opaque, vector);
    }
}

unsigned apic_count(void)
{
    return apic_by_cpu ? apic_by_cpu->len : 0;
}

APICState *apic_nth(unsigned i)
{
    return apic_by_cpu && i < apic_by_cpu->len ?
           g_ptr_array_index(apic_by_cpu, i) : NULL;
}

DeviceState *apic_find(uint32_t id)
{
    for (unsigned i = 0; i < apic_count(); i++) {
        APICState *s = apic_nth(i);
        if (s && s->initial_id == id) {
            return DEVICE(s);
        }
    }
    return NULL;
}

/* ---- register state helpers ---- */

static inline bool vec_test(const uint32_t *map, int v)
{
    return map[v >> 5] & (1u << (v & 31));
}

static inline void vec_set(uint32_t *map, int v)
{
    map[v >> 5] |= 1u << (v & 31);
}

static inline void vec_clear(uint32_t *map, int v)
{
    map[v >> 5] &= ~(1u << (v & 31));
}

/* Highest vector set in a 256-bit map, -1 if none. */
static int vec_highest(const uint32_t *map)
{
    for (int i = 7; i >= 0; i--) {
        if (map[i]) {
            return i * 32 + 31 - clz32(map[i]);
        }
    }
    return -1;
}

bool apic_x2apic_mode(APICState *s)
{
    return (s->base & APIC_BASE_EXTD) != 0;
}

static bool apic_hw_enabled(APICState *s)
{
    return (s->base & APIC_BASE_ENABLE) != 0;
}

static bool apic_sw_enabled(APICState *s)
{
    return (s->svr & APIC_SVR_ENABLE) != 0;
}

uint32_t apic_ppr(APICState *s)
{
    int isrv = vec_highest(s->isr);
    uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

    return (s->tpr & 0xf0) >= isr_class ? s->tpr : isr_class;
}

/* Arbitration priority (SDM 10.8.3.1 for the P6 family bus). */
uint32_t apic_apr(APICState *s)
{
    int isrv = vec_highest(s->isr), irrv = vec_highest(s->irr);
    uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;
    uint32_t irr_class = irrv < 0 ? 0 : (uint32_t)irrv & 0xf0;

    if ((s->tpr & 0xf0) >= isr_class && (s->tpr & 0xf0) >= irr_class) {
        return s->tpr;
    }
    return MAX(s->tpr & 0xf0, MAX(isr_class, irr_class));
}

/* LDR: programmable in xAPIC mode, derived from the id in x2APIC mode. */
uint32_t apic_ldr(APICState *s)
{
    if (apic_x2apic_mode(s)) {
        return ((s->initial_id >> 4) << 16) | (1u << (s->initial_id & 0xf));
    }
    return s->ldr;
}

uint32_t apic_id(APICState *s)
{
    return apic_x2apic_mode(s) ? s->initial_id : s->id >> 24;
}

/* ---- signalling the CPU ---- */

static bool apic_extint_pending(APICState *s)
{
    if (s->extint_msg) {
        return true;
    }
    if (!(s->lint_level & 1) || (s->lvt[APIC_LVT_LINT0] & APIC_LVT_MASKED)) {
        return false;
    }
    return APIC_LVT_MODE(s->lvt[APIC_LVT_LINT0]) == APIC_DM_EXTINT;
}

void apic_update_irq(APICState *s)
{
    bool want = false;
    int irrv;

    if (s->in_kernel || !s->cpu) {
        return;
    }
    if (!apic_hw_enabled(s)) {
        /* a disabled APIC passes INTR (LINT0) straight to the core */
        want = s->lint_level & 1;
    } else {
        irrv = vec_highest(s->irr);
        if (apic_sw_enabled(s) && irrv >= 0 &&
            ((uint32_t)irrv & 0xf0) > (apic_ppr(s) & 0xf0)) {
            want = true;
        }
        want |= apic_extint_pending(s);
    }
    if (want) {
        cpu_interrupt(s->cpu, CPU_INTERRUPT_HARD);
    } else {
        cpu_reset_interrupt(s->cpu, CPU_INTERRUPT_HARD);
    }
}

void apic_set_error(APICState *s, uint32_t bits)
{
    uint32_t lvt = s->lvt[APIC_LVT_ERROR];
    uint32_t fresh = bits & ~s->esr_pending;

    s->esr_pending |= bits;
    /* only new errors interrupt, so an illegal error vector cannot loop */
    if (fresh && !(lvt & APIC_LVT_MASKED)) {
        apic_accept(s, APIC_DM_FIXED, lvt & 0xff, false);
    }
}

/*
 * This APIC accepts an interrupt (delivery mode, vector, trigger).  The
 * only place vectors enter IRR.
 */
void apic_accept(APICState *s, int mode, uint8_t vector, bool level)
{
    if (s->in_kernel || !apic_hw_enabled(s)) {
        return;
    }
    switch (mode) {
    case APIC_DM_FIXED:
    case APIC_DM_LOWPRI:
        if (vector < 16) {
            apic_set_error(s, APIC_ESR_RECV_ILLEGAL_VECTOR);
            return;
        }
        vec_set(s->irr, vector);
        if (level) {
            vec_set(s->tmr, vector);
        } else {
            vec_clear(s->tmr, vector);
        }
        apic_update_irq(s);
        break;
    case APIC_DM_NMI:
        cpu_interrupt(s->cpu, APIC_INTERRUPT_NMI);
        break;
    case APIC_DM_INIT:
        cpu_interrupt(s->cpu, APIC_INTERRUPT_INIT);
        break;
    case APIC_DM_STARTUP:
        if (s->wait_for_sipi) {
            s->sipi_vector = vector;
            cpu_interrupt(s->cpu, APIC_INTERRUPT_SIPI);
        }
        break;
    case APIC_DM_EXTINT:
        s->extint_msg = true;
        apic_update_irq(s);
        break;
    case APIC_DM_SMI:
        tlog_mask(LOG_UNIMP, "apic: SMI to APIC %u ignored (no SMM)\n",
                  apic_id(s));
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "apic: reserved delivery mode %d\n", mode);
        break;
    }
}

/* ---- delivery on the APIC bus (IPIs, IOAPIC, MSI) ---- */

static bool apic_match_dest(APICState *s, uint32_t dest, bool logical,
                            bool x2apic_dest)
{
    uint32_t ldr;

    if (!logical) {
        if (x2apic_dest ? dest == 0xffffffff : dest == 0xff) {
            return true;
        }
        return apic_id(s) == dest;
    }
    ldr = apic_ldr(s);
    if (apic_x2apic_mode(s)) {
        if (dest == 0xffffffff || (!x2apic_dest && dest == 0xff)) {
            return true;
        }
        return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
    }
    dest &= 0xff;
    ldr >>= 24;
    if (dest == 0xff) {
        return true;
    }
    if ((s->dfr >> 28) == 0xf) {            /* flat model */
        return (dest & ldr) != 0;
    }
    /* cluster model: cluster in bits 7:4 (15: all), members in 3:0 */
    return ((dest >> 4) == 0xf || (dest >> 4) == (ldr >> 4)) &&
           (dest & ldr & 0xf);
}

void apic_bus_deliver(APICState *from, int shorthand, uint32_t dest,
                      bool logical, bool x2apic_dest, int mode,
                      uint8_t vector, bool level)
{
    APICState *target = NULL;
    uint32_t best_apr = UINT32_MAX;

    if (mode == APIC_DM_LOWPRI) {
        for (unsigned i = 0; i < apic_count(); i++) {
            APICState *s = apic_nth(i);
            bool hit;

            if (!s || !apic_hw_enabled(s)) {
                continue;
            }
            switch (shorthand) {
            case APIC_SH_SELF: hit = s == from; break;
            case APIC_SH_ALL: hit = true; break;
            case APIC_SH_OTHERS: hit = s != from; break;
            default: hit = apic_match_dest(s, dest, logical, x2apic_dest);
            }
            if (hit && apic_apr(s) < best_apr) {
                best_apr = apic_apr(s);
                target = s;
            }
        }
        if (target) {
            apic_accept(target, mode, vector, level);
        }
        return;
    }
    for (unsigned i = 0; i < apic_count(); i++) {
        APICState *s = apic_nth(i);
        bool hit;

        if (!s) {
            continue;
        }
        switch (shorthand) {
        case APIC_SH_SELF: hit = s == from; break;
        case APIC_SH_ALL: hit = true; break;
        case APIC_SH_OTHERS: hit = s != from; break;
        default: hit = apic_match_dest(s, dest, logical, x2apic_dest);
        }
        if (hit) {
            apic_accept(s, mode, vector, level);
        }
    }
}

void apic_deliver_msi(uint64_t addr, uint32_t data)
{
    uint32_t dest = (addr >> 12) & 0xff;
    bool logical = (addr >> 2) & 1;
    int mode = (data >> 8) & 7;
    bool level = (data >> 15) & 1;

    if ((addr & ~0xfffffull) != APIC_WINDOW_BASE) {
        tlog_mask(LOG_GUEST_ERROR, "apic: MSI to 0x%" PRIx64 " outside the "
                  "interrupt window\n", addr);
        return;
    }
    if (mode == APIC_DM_INIT && level && !(data & (1u << 14))) {
        return;                  /* INIT level de-assert: nothing to do */
    }
    apic_bus_deliver(NULL, APIC_SH_NONE, dest, logical, false, mode,
                     data & 0xff, level);
}

/* ---- LINT0 / LINT1 ---- */

static void apic_lint_deliver(APICState *s, int n, int level)
{
    uint32_t lvt = s->lvt[APIC_LVT_LINT0 + n];
    bool rising = level && !(s->lint_level & (1u << n));
    int mode = APIC_LVT_MODE(lvt);

    if (level) {
        s->lint_level |= 1u << n;
    } else {
        s->lint_level &= ~(1u << n);
    }
    if (s->in_kernel) {
        return;
    }
    if (!apic_hw_enabled(s)) {
        if (n == 1 && rising) {
            cpu_interrupt(s->cpu, APIC_INTERRUPT_NMI);   /* LINT1 = NMI pin */
        }
        apic_update_irq(s);
        return;
    }
    if (lvt & APIC_LVT_MASKED) {
        apic_update_irq(s);
        return;
    }
    switch (mode) {
    case APIC_DM_EXTINT:
        apic_update_irq(s);           /* level-sensitive, see extint_pending */
        break;
    case APIC_DM_FIXED:
        if (lvt & APIC_LVT_LEVEL) {
            if (level && !(lvt & APIC_LVT_REMOTE_IRR)) {
                s->lvt[APIC_LVT_LINT0 + n] |= APIC_LVT_REMOTE_IRR;
                apic_accept(s, mode, lvt & 0xff, true);
            }
        } else if (rising) {
            apic_accept(s, mode, lvt & 0xff, false);
        }
        break;
    default:
        if (rising) {
            apic_accept(s, mode, lvt & 0xff, false);
        }
        break;
    }
}

static void apic_lint_set(void *opaque, int n, int level)
{
    apic_lint_deliver(opaque, n, level != 0);
}

/* ---- EOI ---- */

void apic_eoi(APICState *s)
{
    int isrv = vec_highest(s->isr);

    if (isrv < 0) {
        return;
    }
    vec_clear(s->isr, isrv);
    if (vec_test(s->tmr, isrv)) {
        /* a level-triggered LINT pin gets its remote IRR cleared; a
         * still-asserted line interrupts again */
        for (int n = 0; n < 2; n++) {
            uint32_t *lvt = &s->lvt[APIC_LVT_LINT0 + n];
            if ((*lvt & APIC_LVT_REMOTE_IRR) && (*lvt & 0xff) == isrv) {
                *lvt &= ~APIC_LVT_REMOTE_IRR;
                if (s->lint_level & (1u << n)) {
                    s->lint_level &= ~(1u << n);
                    apic_lint_deliver(s, n, 1);
                }
            }
        }
        apic_eoi_broadcast(isrv);
    }
    apic_update_irq(s);
}

/* ---- the CPU's side ---- */

static APICState *apic_of(DeviceState *dev)
{
    return APIC(dev);
}

int apic_get_interrupt(DeviceState *dev)
{
    APICState *s = apic_of(dev);
    int v;

    if (!apic_hw_enabled(s) || !apic_sw_enabled(s)) {
        apic_update_irq(s);
        return -1;
    }
    v = vec_highest(s->irr);
    if (v < 0) {
        apic_update_irq(s);
        return -1;
    }
    if (((uint32_t)v & 0xf0) <= (apic_ppr(s) & 0xf0)) {
        /* TPR rose between the request and the INTA: spurious vector,
         * which leaves IRR and ISR alone */
        apic_update_irq(s);
        return s->svr & 0xff;
    }
    vec_clear(s->irr, v);
    vec_set(s->isr, v);
    apic_update_irq(s);
    return v;
}

bool apic_accept_pic_intr(DeviceState *dev)
{
    APICState *s = apic_of(dev);

    if (s->extint_msg) {
        s->extint_msg = false;      /* one INTA per ExtINT message */
        apic_update_irq(s);
        return true;
    }
    return !apic_hw_enabled(s) ||
           !(s->lvt[APIC_LVT_LINT0] & APIC_LVT_MASKED);
}

void apic_set_tpr(DeviceState *dev, uint8_t cr8)
{
    APICState *s = apic_of(dev);

    s->tpr = (cr8 & 0xf) << 4;
    apic_update_irq(s);
}

uint8_t apic_get_tpr(DeviceState *dev)
{
    return APIC(dev)->tpr >> 4;
}

uint64_t apic_get_base(DeviceState *dev)
{
    return APIC(dev)->base;
}

bool apic_set_base(DeviceState *dev, uint64_t val)
{
    APICState *s = apic_of(dev);
    uint64_t old = s->base;
    bool was_en = old & APIC_BASE_ENABLE, en = val & APIC_BASE_ENABLE;
    bool was_x2 = old & APIC_BASE_EXTD, x2 = val & APIC_BASE_EXTD;

    if (s->in_kernel) {
        s->base = val;                /* a mirror: the kernel checked it */
        return true;
    }

    /* bits 7:0, 9 and 63:52 are reserved (MAXPHYADDR is the CPU's) */
    if (val & ~(APIC_BASE_BSP | APIC_BASE_EXTD | APIC_BASE_ENABLE |
                APIC_BASE_ADDR_MASK)) {
        return false;
    }
    if (x2 && (!s->x2apic_supported || !en)) {
        return false;                 /* EXTD without EN is invalid */
    }
    if (was_x2 && en && !x2) {
        return false;                 /* x2APIC -> xAPIC must go via off */
    }
    if (!was_en && x2) {
        return false;                 /* disabled -> x2APIC directly */
    }
    /* the BSP flag is read-only */
    s->base = (val & ~APIC_BASE_BSP) | (old & APIC_BASE_BSP);
    if ((s->base & APIC_BASE_ADDR_MASK) != APIC_WINDOW_BASE) {
        tlog_mask(LOG_UNIMP, "apic: base moved to 0x%" PRIx64 "; the "
                  "registers stay at 0x%llx\n",
                  (uint64_t)(s->base & APIC_BASE_ADDR_MASK),
                  APIC_WINDOW_BASE);
    }
    if (was_en && !en) {
        /* global disable: the APIC state goes back to power-on values */
        apic_reset_registers(s);
    }
    if (!was_x2 && x2) {
        /* entering x2APIC mode: LDR becomes the derived value */
        s->ldr = apic_ldr(s);
    }
    apic_update_irq(s);
    return true;
}

void apic_init_reset(DeviceState *dev)
{
    APICState *s = apic_of(dev);

    apic_reset_registers(s);
    s->wait_for_sipi = !(s->base & APIC_BASE_BSP);
    apic_update_irq(s);
}

int apic_sipi(DeviceState *dev)
{
    APICState *s = apic_of(dev);

    if (s->cpu) {
        cpu_reset_interrupt(s->cpu, APIC_INTERRUPT_SIPI);
    }
    if (!s->wait_for_sipi) {
        return -1;
    }
    s->wait_for_sipi = false;
    return s->sipi_vector;
}

void apic_poll_irq(DeviceState *dev)
{
    apic_update_irq(apic_of(dev));
}

int apic_intack(DeviceState *dev)
{
    int vector;

    if (!dev) {
        return x86_pic_read_irq();
    }
    vector = apic_get_interrupt(dev);
    if (vector < 0 && apic_accept_pic_intr(dev)) {
        vector = x86_pic_read_irq();
    }
    apic_poll_irq(dev);
    return vector;
}

void apic_set_tsc_source(DeviceState *dev, ApicReadTscFn read_tsc,
                         uint64_t tsc_hz)
{
    APICState *s = apic_of(dev);

    s->read_tsc = read_tsc;
    s->tsc_hz = tsc_hz ? tsc_hz : NANOSECONDS_PER_SECOND;
    apic_timer_update(s);
}

/* ---- the MMIO window ---- */

static APICState *apic_current(void)
{
    CPUState *cpu = current_cpu;

    if (!cpu && qtest_enabled()) {
        cpu = qemu_get_cpu(0);     /* the "cpu" qtest command picks another */
    }
    if (!cpu || !apic_by_cpu || cpu->cpu_index < 0 ||
        (guint)cpu->cpu_index >= apic_by_cpu->len) {
        return NULL;
    }
    return g_ptr_array_index(apic_by_cpu, cpu->cpu_index);
}

static bool apic_offset_is_msi(hwaddr addr)
{
    return addr < 0x10 || addr > 0xfff;
}

static uint64_t apic_window_read(void *opaque, hwaddr addr, unsigned size)
{
    APICState *s = apic_current();
    unsigned byte = addr & 0xf;
    uint32_t val = 0;

    if (apic_offset_is_msi(addr) || !s || byte + size > 4) {
        if (byte + size > 4 && !apic_offset_is_msi(addr)) {
            tlog_mask(LOG_GUEST_ERROR, "apic: %u-byte read at 0x%03x "
                      "crosses a register\n", size, (unsigned)addr);
        }
        return 0;
    }
    if (apic_x2apic_mode(s)) {
        tlog_mask(LOG_GUEST_ERROR, "apic: MMIO read at 0x%03x in x2APIC "
                  "mode\n", (unsigned)addr);
        return 0;
    }
    if (!apic_reg_read(s, addr & 0xff0, &val)) {
        apic_set_error(s, APIC_ESR_ILLEGAL_REGISTER);
        tlog_mask(LOG_GUEST_ERROR, "apic: read of reserved register "
                  "0x%03x\n", (unsigned)addr & 0xff0);
        return 0;
    }
    return (val >> (byte * 8)) & (size == 4 ? 0xffffffffu
                                            : (1u << (size * 8)) - 1);
}

static void apic_window_write(void *opaque, hwaddr addr, uint64_t val,
                              unsigned size)
{
    APICState *s;

    if (apic_offset_is_msi(addr)) {
        if (size != 4) {
            tlog_mask(LOG_GUEST_ERROR, "apic: %u-byte MSI write at 0x%"
                      PRIx64 "\n", size, (uint64_t)(APIC_WINDOW_BASE + addr));
            return;
        }
        apic_deliver_msi((uint64_t)APIC_WINDOW_BASE + addr, val);
        return;
    }
    s = apic_current();
    if (!s) {
        tlog_mask(LOG_GUEST_ERROR, "apic: write to register 0x%03x from a "
                  "device or a CPU without an APIC\n", (unsigned)addr);
        return;
    }
    if (size != 4 || (addr & 0xf)) {
        tlog_mask(LOG_GUEST_ERROR, "apic: %u-byte write at 0x%03x (registers "
                  "take aligned 32-bit writes)\n", size, (unsigned)addr);
        return;
    }
    if (apic_x2apic_mode(s)) {
        tlog_mask(LOG_GUEST_ERROR, "apic: MMIO write at 0x%03x in x2APIC "
                  "mode\n", (unsigned)addr);
        return;
    }
    if (!apic_reg_write(s, addr, val, false)) {
        apic_set_error(s, APIC_ESR_ILLEGAL_REGISTER);
        tlog_mask(LOG_GUEST_ERROR, "apic: write of 0x%08x to reserved or "
                  "read-only register 0x%03x\n", (uint32_t)val,
                  (unsigned)addr);
    }
}

static const MemoryRegionOps apic_window_ops = {
    .read = apic_window_read,
    .write = apic_window_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8,
               .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 8,
              .unaligned = true },
};

void apic_map_window(MemoryRegion *sysmem)
{
    if (apic_window_mapped) {
        return;
    }
    memory_region_init_io(&apic_window, NULL, &apic_window_ops, NULL,
                          "apic-window", APIC_WINDOW_SIZE);
    /* above RAM and the PCI hole, as the CPU's APIC decodes first */
    memory_region_add_subregion_overlap(sysmem, APIC_WINDOW_BASE,
                                        &apic_window, 1);
    apic_window_mapped = true;
}

/* ---- x2APIC MSRs ---- */

bool apic_msr_read(DeviceState *dev, uint32_t msr, uint64_t *val)
{
    APICState *s = apic_of(dev);
    uint32_t v32;
    unsigned off;

    if (msr == APIC_MSR_TSC_DEADLINE) {
        *val = APIC_LVT_TIMER_MODE(s->lvt[APIC_LVT_TIMER]) ==
               APIC_TIMER_TSC_DEADLINE ? s->tsc_deadline : 0;
        return true;
    }
    if (msr < APIC_MSR_X2APIC_FIRST || msr > APIC_MSR_X2APIC_LAST ||
        !apic_x2apic_mode(s)) {
        return false;
    }
    off = (msr - APIC_MSR_X2APIC_FIRST) << 4;
    switch (off) {
    case APIC_REG_APR: case APIC_REG_DFR: case APIC_REG_ICR_HI:
    case APIC_REG_EOI: case APIC_REG_SELF_IPI:
        return false;            /* absent or write-only in x2APIC mode */
    case APIC_REG_ICR:
        *val = s->icr_lo | ((uint64_t)s->icr_hi << 32);
        return true;
    }
    if (!apic_reg_read(s, off, &v32)) {
        return false;
    }
    *val = v32;
    return true;
}

bool apic_msr_write(DeviceState *dev, uint32_t msr, uint64_t val)
{
    APICState *s = apic_of(dev);
    unsigned off;

    if (msr == APIC_MSR_TSC_DEADLINE) {
        apic_timer_set_deadline(s, val);
        return true;
    }
    if (msr < APIC_MSR_X2APIC_FIRST || msr > APIC_MSR_X2APIC_LAST ||
        !apic_x2apic_mode(s)) {
        return false;
    }
    off = (msr - APIC_MSR_X2APIC_FIRST) << 4;
    switch (off) {
    case APIC_REG_ICR:
        s->icr_hi = val >> 32;
        s->icr_lo = val & ~APIC_ICR_BUSY;
        apic_send_ipi(s);
        return true;
    case APIC_REG_EOI:
    case APIC_REG_ESR:
        if (val) {
            return false;        /* must be written with 0 */
        }
        break;
    case APIC_REG_SELF_IPI:
        if (val & ~0xffull) {
            return false;
        }
        apic_bus_deliver(s, APIC_SH_SELF, 0, false, true, APIC_DM_FIXED,
                         val & 0xff, false);
        return true;
    case APIC_REG_APR: case APIC_REG_DFR: case APIC_REG_ICR_HI:
    case APIC_REG_LDR: case APIC_REG_ID:
        return false;            /* absent or read-only in x2APIC mode */
    }
    if (val >> 32) {
        return false;
    }
    return apic_reg_write(s, off, val, true);
}

/* ---- KVM's register page ---- */

void apic_get_page(DeviceState *dev, uint8_t page[APIC_PAGE_SIZE])
{
    APICState *s = apic_of(dev);

    memset(page, 0, APIC_PAGE_SIZE);
    for (unsigned off = 0x20; off < APIC_PAGE_SIZE; off += 0x10) {
        uint32_t v;

        if (off == APIC_REG_ICR_HI || off == APIC_REG_ICR) {
            v = off == APIC_REG_ICR ? s->icr_lo : s->icr_hi;
        } else if (off == APIC_REG_ID) {
            v = apic_x2apic_mode(s) ? s->initial_id : s->id;
        } else if (off == APIC_REG_LDR || off == APIC_REG_DFR ||
                   off == APIC_REG_ESR) {
            v = off == APIC_REG_LDR ? apic_ldr(s) :
                off == APIC_REG_DFR ? s->dfr : s->esr;
        } else if (!apic_reg_read(s, off, &v)) {
            continue;
        }
        memcpy(page + off, &v, 4);
    }
}

void apic_set_page(DeviceState *dev, const uint8_t page[APIC_PAGE_SIZE])
{
    APICState *s = apic_of(dev);
    uint32_t r[APIC_PAGE_SIZE / 16];

    for (unsigned i = 0; i < G_N_ELEMENTS(r); i++) {
        memcpy(&r[i], page + i * 16, 4);
    }
#define REG(off) r[(off) >> 4]
    s->id = apic_x2apic_mode(s) ? s->initial_id << 24 : REG(APIC_REG_ID);
    s->tpr = REG(APIC_REG_TPR) & 0xff;
    s->ldr = REG(APIC_REG_LDR);
    s->dfr = REG(APIC_REG_DFR) | 0x0fffffff;
    s->svr = REG(APIC_REG_SVR) & APIC_SVR_MASK;
    for (int i = 0; i < 8; i++) {
        s->isr[i] = REG(APIC_REG_ISR + i * 0x10);
        s->tmr[i] = REG(APIC_REG_TMR + i * 0x10);
        s->irr[i] = REG(APIC_REG_IRR + i * 0x10);
    }
    s->esr = REG(APIC_REG_ESR);
    s->icr_lo = REG(APIC_REG_ICR);
    s->icr_hi = REG(APIC_REG_ICR_HI);
    for (int i = 0; i < APIC_LVT_NB; i++) {
        s->lvt[i] = REG(APIC_REG_LVT_TIMER + i * 0x10);
    }
    s->initial_count = REG(APIC_REG_TIMER_INIT);
    s->timer_current = REG(APIC_REG_TIMER_CUR);
    s->divide_conf = REG(APIC_REG_TIMER_DIV) & 0xb;
#undef REG
    if (!s->in_kernel) {
        s->timer_start = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        apic_timer_update(s);
        apic_update_irq(s);
    }
}

/* ---- life cycle ---- */

void apic_reset_registers(APICState *s)
{
    s->id = s->initial_id << 24;
    s->tpr = 0;
    s->ldr = 0;
    s->dfr = 0xffffffff;
    s->svr = 0xff;
    memset(s->isr, 0, sizeof(s->isr));
    memset(s->tmr, 0, sizeof(s->tmr));
    memset(s->irr, 0, sizeof(s->irr));
    s->esr = s->esr_pending = 0;
    s->icr_lo = s->icr_hi = 0;
    for (int i = 0; i < APIC_LVT_NB; i++) {
        s->lvt[i] = APIC_LVT_MASKED;
    }
    if (s->base & APIC_BASE_BSP) {
        s->lvt[APIC_LVT_LINT0] = APIC_DM_EXTINT << 8;   /* virtual wire */
    }
    s->initial_count = 0;
    s->timer_current = 0;
    s->divide_conf = 0;
    s->tsc_deadline = 0;
    s->extint_msg = false;
    if (s->timer) {
        timer_del(s->timer);
    }
}

static void apic_reset(DeviceState *dev)
{
    APICState *s = APIC(dev);

    s->base = APIC_WINDOW_BASE | APIC_BASE_ENABLE |
              (s->cpu && s->cpu->cpu_index == 0 ? APIC_BASE_BSP : 0);
    apic_reset_registers(s);
    s->wait_for_sipi = !(s->base & APIC_BASE_BSP);
    s->sipi_vector = 0;
    if (s->cpu && !s->in_kernel) {
        cpu_reset_interrupt(s->cpu, CPU_INTERRUPT_HARD | APIC_INTERRUPT_NMI |
                            APIC_INTERRUPT_INIT | APIC_INTERRUPT_SIPI);
    }
    apic_update_irq(s);
}

static void apic_instance_init(Object *obj)
{
    qdev_init_gpio_in_named(DEVICE(obj), apic_lint_set, "lint", 2);
}

static bool apic_realize(DeviceState *dev, Error **errp)
{
    APICState *s = APIC(dev);

    if (!s->cpu) {
        error_setg(errp, "apic: the \"cpu\" link is not set");
        return false;
    }
    if (!s->x2apic_supported && s->initial_id > 0xfe) {
        error_setg(errp, "apic: id %u needs x2APIC (xAPIC ids are 0..254)",
                   s->initial_id);
        return false;
    }
    if (!apic_by_cpu) {
        apic_by_cpu = g_ptr_array_new();
    }
    if ((guint)s->cpu->cpu_index < apic_by_cpu->len &&
        g_ptr_array_index(apic_by_cpu, s->cpu->cpu_index)) {
        error_setg(errp, "apic: CPU %d already has an APIC",
                   s->cpu->cpu_index);
        return false;
    }
    if ((guint)s->cpu->cpu_index >= apic_by_cpu->len) {
        g_ptr_array_set_size(apic_by_cpu, s->cpu->cpu_index + 1);
    }
    g_ptr_array_index(apic_by_cpu, s->cpu->cpu_index) = s;
    s->tsc_hz = NANOSECONDS_PER_SECOND;
    s->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, apic_timer_cb, s);
    return true;
}

static void apic_unrealize(DeviceState *dev)
{
    APICState *s = APIC(dev);

    g_ptr_array_index(apic_by_cpu, s->cpu->cpu_index) = NULL;
    timer_free(s->timer);
    s->timer = NULL;
}

static int apic_post_load(void *opaque, int version_id)
{
    APICState *s = opaque;

    s->svr &= APIC_SVR_MASK;
    s->divide_conf &= 0xb;
    if (!s->in_kernel) {
        apic_timer_update(s);
        apic_update_irq(s);
    }
    return 0;
}

static const VMStateDescription vmstate_apic = {
    .name = "apic",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = apic_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(base, APICState),
        VMSTATE_UINT32(id, APICState),
        VMSTATE_UINT32(tpr, APICState),
        VMSTATE_UINT32(ldr, APICState),
        VMSTATE_UINT32(dfr, APICState),
        VMSTATE_UINT32(svr, APICState),
        VMSTATE_UINT32_ARRAY(isr, APICState, 8),
        VMSTATE_UINT32_ARRAY(tmr, APICState, 8),
        VMSTATE_UINT32_ARRAY(irr, APICState, 8),
        VMSTATE_UINT32(esr, APICState),
        VMSTATE_UINT32(esr_pending, APICState),
        VMSTATE_UINT32(icr_lo, APICState),
        VMSTATE_UINT32(icr_hi, APICState),
        VMSTATE_UINT32_ARRAY(lvt, APICState, APIC_LVT_NB),
        VMSTATE_UINT32(initial_count, APICState),
        VMSTATE_UINT32(timer_current, APICState),
        VMSTATE_UINT32(divide_conf, APICState),
        VMSTATE_INT64(timer_start, APICState),
        VMSTATE_BOOL(timer_oneshot_done, APICState),
        VMSTATE_UINT64(tsc_deadline, APICState),
        VMSTATE_UINT8(lint_level, APICState),
        VMSTATE_BOOL(extint_msg, APICState),
        VMSTATE_BOOL(wait_for_sipi, APICState),
        VMSTATE_UINT8(sipi_vector, APICState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property apic_props[] = {
    DEFINE_PROP_LINK("cpu", APICState, cpu, TYPE_CPU),
    DEFINE_PROP_UINT32("id", APICState, initial_id, 0),
    DEFINE_PROP_BOOL("x2apic", APICState, x2apic_supported, false),
    DEFINE_PROP_BOOL("tsc-deadline", APICState, tsc_deadline_supported,
                     true),
    DEFINE_PROP_BOOL("in-kernel", APICState, in_kernel, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void apic_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "local APIC (xAPIC/x2APIC) of an x86 CPU";
    dc->props = apic_props;
    dc->realize = apic_realize;
    dc->unrealize = apic_unrealize;
    dc->reset = apic_reset;
    dc->vmsd = &vmstate_apic;
}

static const TypeInfo apic_info = {
    .name = TYPE_APIC,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(APICState),
    .instance_init = apic_instance_init,
    .class_init = apic_class_init,
};

TYPE_REGISTER(apic_info)

DeviceState *apic_create(CPUState *cpu, uint32_t apic_id, bool x2apic,
                         bool tsc_deadline, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_APIC);

    qdev_prop_set_link(dev, "cpu", OBJECT(cpu));
    qdev_prop_set_uint32(dev, "id", apic_id);
    qdev_prop_set_bit(dev, "x2apic", x2apic);
    qdev_prop_set_bit(dev, "tsc-deadline", tsc_deadline);
    if (!qdev_realize_and_unref(dev, NULL, errp)) {
        return NULL;
    }
    return dev;
}
