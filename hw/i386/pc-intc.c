/*
 * The pc board's interrupt controllers (docs/pc.md, "Interrupts"):
 *   - a local APIC per CPU and, unless KVM runs them in the kernel, the
 *     window at 0xfee00000 through which the CPUs reach their APIC
 *     registers and devices send MSIs;
 *   - unless KVM runs them (kernel-irqchip=on), the 8259 pair on GSI 0-15
 *     and the IOAPIC on GSI 0-23, ISA IRQ 0 on IOAPIC pin 2; the master
 *     8259's INT drives every APIC's LINT0 (a CPU without an APIC takes it
 *     directly as INTR).
 */
#include "turtle/osdep.h"
#include "hw/i386/pc.h"
#include "hw/intc/apic.h"
#include "hw/intc/i8259.h"
#include "hw/intc/ioapic.h"
#include "hw/timer/i8254.h"
#include "hw/i386/x86-gsi.h"
#include "target/i386/cpu.h"

bool pc_lapic_in_kernel(void)
{
    const X86AccelIrqchip *a = x86_accel_irqchip();

    return a && a->lapic_in_kernel;
}

bool pc_pic_in_kernel(void)
{
    const X86AccelIrqchip *a = x86_accel_irqchip();

    return a && a->pic_in_kernel;
}

/* The master 8259's INT: LINT0 of every APIC, or INTR of an APIC-less
 * CPU 0.  With the APICs in the kernel (split irqchip) CPU 0 takes it
 * as INTR too: KVM hands the vector to its LAPIC's LINT0 when that
 * accepts ExtINT (KVM_INTERRUPT). */
static void pc_pic_int(void *opaque, int n, int level)
{
    bool lapic_in_kernel = pc_lapic_in_kernel();
    CPUState *cs;

    CPU_FOREACH(cs) {
        X86CPU *cpu = X86_CPU(cs);

        if (cpu->apic && !lapic_in_kernel) {
            qemu_set_irq(qdev_get_gpio_in_named(cpu->apic, "lint", 0),
                         level);
        } else if (cs->cpu_index == 0) {
            if (level) {
                cpu_interrupt(cs, CPU_INTERRUPT_HARD);
            } else {
                cpu_reset_interrupt(cs, CPU_INTERRUPT_HARD);
            }
        }
    }
}

static int pc_pic_read_irq(void *opaque)
{
    return i8259_read_irq(opaque);
}

void pc_userspace_irqchip(PCMachineState *pcms)
{
    qemu_irq pic_in[16], ioapic_in[IOAPIC_NUM_PINS];
    qemu_irq targets[X86_GSI_NUM];
    DeviceState *pic;

    if (pc_pic_in_kernel()) {
        return;                     /* KVM's 8259s and IOAPIC */
    }
    pic = i8259_init(pcms->isa_bus,
                     qemu_allocate_irq(pc_pic_int, pcms, 0), pic_in);
    x86_register_pic_read_irq(pc_pic_read_irq, pic);
    ioapic_create(IOAPIC_BASE, ioapic_in);
    for (int i = 0; i < X86_GSI_NUM; i++) {
        /* the PIT's IRQ 0 is IOAPIC pin 2 (the MADT's override); IR2 of
         * the master is the cascade, not an ISA line */
        qemu_irq io = ioapic_in[i == 0 ? 2 : i];

        if (i < 16 && i != 2) {
            targets[i] = qemu_irq_split(pic_in[i], io);
        } else {
            targets[i] = io;
        }
    }
    x86_gsi_attach_irqchip(pcms->gsi, targets, X86_GSI_NUM);
}

static bool pc_cpu_has(X86CPU *cpu, FeatureWord w, uint32_t bit, bool dflt)
{
    /* -cpu host/max under KVM build CPUID later, from the host: assume */
    if (!cpu->cpuid_ready) {
        return dflt;
    }
    return (x86_feature_word_get(&cpu->env.cpuid, w) & bit) != 0;
}

void pc_apics_init(PCMachineState *pcms)
{
    CPUState *cs;
    bool in_kernel = pc_lapic_in_kernel();
    bool any = false;

    CPU_FOREACH(cs) {
        X86CPU *cpu = X86_CPU(cs);
        DeviceState *dev;

        if (!pc_cpu_has(cpu, FEAT_1_EDX, CPUID_1_EDX_APIC, true)) {
            continue;               /* -cpu ...,-apic */
        }
        dev = qdev_new(TYPE_APIC);
        qdev_prop_set_link(dev, "cpu", OBJECT(cs));
        qdev_prop_set_uint32(dev, "id", cpu->apic_id);
        qdev_prop_set_bit(dev, "x2apic",
                          pc_cpu_has(cpu, FEAT_1_ECX, CPUID_1_ECX_X2APIC,
                                     true));
        qdev_prop_set_bit(dev, "tsc-deadline",
                          pc_cpu_has(cpu, FEAT_1_ECX,
                                     CPUID_1_ECX_TSC_DEADLINE, true));
        qdev_prop_set_bit(dev, "in-kernel", in_kernel);
        qdev_realize_and_unref(dev, NULL, &error_fatal);
        cpu->apic = dev;
        any = true;
    }
    if (any && !in_kernel) {
        apic_map_window(get_system_memory());
    }
}

static void pc_kvm_pit_enabled(void *opaque, int n, int level)
{
    x86_accel_irqchip()->pit_set_hpet_legacy(!level);
}

void pc_pit_init(PCMachineState *pcms)
{
    if (pc_pic_in_kernel()) {
        /* KVM's in-kernel PIT (and port 0x61): it does not feed the
         * HPET's IRQ 0 input, so legacy replacement silences it in KVM */
        if (pcms->hpet_dev && x86_accel_irqchip()->pit_set_hpet_legacy) {
            qdev_connect_gpio_out_named(pcms->hpet_dev, "pit-enabled", 0,
                qemu_allocate_irq(pc_kvm_pit_enabled, NULL, 0));
        }
        return;
    }
    i8254_create(pcms->isa_bus);
}
