/*
 * Local APIC, one per x86 CPU (hw/intc/apic.c): xAPIC (MMIO) and x2APIC
 * (MSR) modes, the APIC timer (one-shot, periodic, TSC-deadline), the LVT,
 * the ICR (fixed, lowest priority, NMI, INIT, SIPI; the self / all /
 * all-but-self shorthands), TPR/PPR/ISR/IRR/TMR, EOI and the spurious
 * vector.  Intel SDM Vol. 3A chapter 10 (11 in newer editions).
 *
 * This header is the contract of docs/INTERFACES.md section 3 between the
 * APIC device (owner: pcplat), the x86 CPU (target/i386), the boards and
 * KVM.  Every function takes the CPU's APIC device (X86CPU.apic; NULL
 * means the CPU has no APIC and the callers must not call in) and runs
 * with the big lock held.
 *
 * Device "apic" (one per CPU, created by the board; not user-creatable):
 *   properties  "cpu" (link to its CPUState), "id" (initial APIC id; the
 *               x2APIC id is the same value), "x2apic" (bool: the CPU
 *               reports x2APIC in CPUID, so IA32_APIC_BASE.EXTD may be
 *               set), "tsc-deadline" (bool: LVT timer mode 2 exists),
 *               "in-kernel" (bool: KVM's in-kernel LAPIC runs the guest;
 *               this device only mirrors its state, see below)
 *   gpio in "lint"  2 lines: LINT0 (the 8259's INTR on the PC), LINT1
 *               (NMI); their LVT entries decide what a level means
 *   MMIO        one window at the APIC base (apic_map_window): CPU
 *               accesses reach the registers of the current CPU's APIC;
 *               device writes there are MSIs (see apic_deliver_msi)
 *
 * Signals to the CPU (cpu_interrupt / cpu_reset_interrupt on "cpu"):
 *   CPU_INTERRUPT_HARD    an interrupt is deliverable: a vector in IRR
 *                         above the PPR, or LINT0 ExtINT asserted (then
 *                         apic_get_interrupt returns -1 and the CPU asks
 *                         the 8259 through x86_pic_read_irq)
 *   APIC_INTERRUPT_NMI    (CPU_INTERRUPT_TGT_EXT_1) NMI received
 *   APIC_INTERRUPT_INIT   (CPU_INTERRUPT_TGT_EXT_3) INIT received: the CPU
 *                         resets its registers (not the APIC's base MSR),
 *                         calls apic_init_reset(), and the APs then wait
 *                         for a SIPI (the BSP restarts at the reset vector)
 *   APIC_INTERRUPT_SIPI   (CPU_INTERRUPT_TGT_EXT_4) SIPI received while
 *                         waiting for one: the CPU calls apic_sipi() for
 *                         the vector and starts at CS = vector << 8, IP 0
 * The CPU clears the request bit it has handled (cpu_reset_interrupt).
 */
#ifndef HW_INTC_APIC_H
#define HW_INTC_APIC_H

#include "hw/core/cpu.h"

#define TYPE_APIC "apic"

#define APIC_INTERRUPT_NMI   CPU_INTERRUPT_TGT_EXT_1
#define APIC_INTERRUPT_INIT  CPU_INTERRUPT_TGT_EXT_3
#define APIC_INTERRUPT_SIPI  CPU_INTERRUPT_TGT_EXT_4

#define APIC_WINDOW_BASE     0xfee00000ull   /* default base, MSI window */
#define APIC_WINDOW_SIZE     0x100000ull
#define APIC_PAGE_SIZE       1024            /* = struct kvm_lapic_state */

/* IA32_APIC_BASE (MSR 0x1b) */
#define APIC_BASE_BSP        (1ull << 8)
#define APIC_BASE_EXTD       (1ull << 10)    /* x2APIC mode */
#define APIC_BASE_ENABLE     (1ull << 11)    /* global enable */

/* MSRs handled by apic_msr_read/write */
#define APIC_MSR_TSC_DEADLINE  0x6e0
#define APIC_MSR_X2APIC_FIRST  0x800
#define APIC_MSR_X2APIC_LAST   0x8ff

/* ---- the CPU's side (target/i386) ---- */

/* INTA: the highest-priority deliverable vector, moved from IRR to ISR;
 * -1 if none (an ExtINT from LINT0 is not the APIC's: see below). */
int apic_get_interrupt(DeviceState *apic);
/* True if an 8259 request reaches the CPU: LINT0 unmasked (ExtINT, the
 * PC's virtual wire mode) or the APIC globally disabled. */
bool apic_accept_pic_intr(DeviceState *apic);
/* CR8 <-> TPR[7:4] (MOV to/from CR8; TPR[3:0] become 0). */
void apic_set_tpr(DeviceState *apic, uint8_t cr8);
uint8_t apic_get_tpr(DeviceState *apic);
/* IA32_APIC_BASE.  apic_set_base returns false for a value the CPU
 * refuses with #GP (reserved bits, EXTD without "x2apic", EXTD without
 * EN, x2APIC -> xAPIC directly); a wrmsr that only changes the base
 * address is accepted.  With "in-kernel" it only records the kernel's
 * value. */
uint64_t apic_get_base(DeviceState *apic);
bool apic_set_base(DeviceState *apic, uint64_t val);
/* RDMSR/WRMSR of 0x6e0 (IA32_TSC_DEADLINE) and 0x800-0x8ff (x2APIC
 * registers, only in x2APIC mode); false: the CPU raises #GP. */
bool apic_msr_read(DeviceState *apic, uint32_t msr, uint64_t *val);
bool apic_msr_write(DeviceState *apic, uint32_t msr, uint64_t val);
/* INIT received: every register back to its power-on value except the
 * APIC id and IA32_APIC_BASE; APs now wait for a SIPI. */
void apic_init_reset(DeviceState *apic);
/* SIPI taken (APIC_INTERRUPT_SIPI): the start-up vector, or -1 if the
 * CPU was not waiting for a SIPI (it then ignores the request). */
int apic_sipi(DeviceState *apic);
/*
 * The CPU's interrupt acknowledge cycle, once it takes CPU_INTERRUPT_HARD
 * (which it clears first): the APIC's vector (apic_get_interrupt), else
 * the 8259's if the APIC lets it through or apic is NULL (an APIC-less
 * CPU); -1: nothing after all.  Re-evaluates CPU_INTERRUPT_HARD.
 */
int apic_intack(DeviceState *apic);
/* Re-evaluate CPU_INTERRUPT_HARD (after the CPU changed IF-independent
 * state the APIC cannot see, e.g. leaving an interrupt shadow). */
void apic_poll_irq(DeviceState *apic);

/*
 * The TSC for TSC-deadline mode: the CPU gives a function returning its
 * TSC now and the TSC rate in Hz, before the guest runs.  Without it the
 * APIC assumes TSC = QEMU_CLOCK_VIRTUAL in ns (1 GHz).
 */
typedef uint64_t (*ApicReadTscFn)(CPUState *cpu);
void apic_set_tsc_source(DeviceState *apic, ApicReadTscFn read_tsc,
                         uint64_t tsc_hz);

/*
 * The 8259's interrupt acknowledge for the CPU, used when
 * apic_get_interrupt() gave -1 and apic_accept_pic_intr() is true (or the
 * CPU has no APIC): the vector of the master PIC's highest request (its
 * spurious IRQ 7 vector if the request went away), -1 if the board has no
 * 8259.  The board registers the PIC with x86_register_pic_read_irq.
 */
int x86_pic_read_irq(void);
void x86_register_pic_read_irq(int (*fn)(void *opaque), void *opaque);

/* ---- the board's side ---- */

/* Create, wire to cpu and realize the APIC of cpu. */
DeviceState *apic_create(CPUState *cpu, uint32_t apic_id, bool x2apic,
                         bool tsc_deadline, Error **errp);
/* Map the register / MSI window at APIC_WINDOW_BASE in sysmem (once). */
void apic_map_window(MemoryRegion *sysmem);
/* The APIC of the CPU with APIC id `id`, or NULL. */
DeviceState *apic_find(uint32_t id);

/*
 * An MSI (PCI MSI/MSI-X, an IOAPIC redirection, the HPET's FSB mode) in
 * the x86 format: addr 0xfeeDD00x (DD destination id, bit 2 logical
 * destination mode), data bits 7:0 vector, 10:8 delivery mode, 15 level
 * trigger.  Device writes to the window come here; devices that signal
 * an MSI should write it to memory instead (address_space_stl_le), so
 * that KVM's window takes it when the APIC is in the kernel.
 */
void apic_deliver_msi(uint64_t addr, uint32_t data);

/*
 * An IOAPIC receives EOIs for level-triggered vectors (TMR set) from the
 * APICs: the IOAPIC model registers this (hw/intc/ioapic.c).  The APICs
 * broadcast; so does KVM for its in-kernel LAPICs (split irqchip,
 * KVM_EXIT_IOAPIC_EOI).
 */
void apic_register_eoi_listener(void (*fn)(void *opaque, uint8_t vector),
                                void *opaque);
void apic_eoi_broadcast(uint8_t vector);

/* ---- KVM's in-kernel LAPIC ("in-kernel" set) ---- */

/*
 * The register page in the layout of struct kvm_lapic_state (= the xAPIC
 * MMIO page, each 32-bit register at its offset, 16-byte aligned; the ID
 * register holds id << 24 in xAPIC mode and the 32-bit x2APIC id in
 * x2APIC mode, KVM_X2APIC_API_USE_32BIT_IDS).  KVM reads the kernel's
 * page into the device before a snapshot or a monitor dump
 * (apic_set_page) and writes the device's back after a load or reset
 * (apic_get_page).  With "in-kernel" the device arms no timer and
 * delivers nothing itself.
 */
void apic_get_page(DeviceState *apic, uint8_t page[APIC_PAGE_SIZE]);
void apic_set_page(DeviceState *apic, const uint8_t page[APIC_PAGE_SIZE]);

#endif
