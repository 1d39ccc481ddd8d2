/*
 * The pc board's interrupt controllers: a local APIC per CPU and, unless
 * KVM runs them in the kernel, the window at 0xfee00000 through which the
 * CPUs reach their APIC registers and devices send MSIs.  docs/pc.md,
 * "Interrupts".
 */
#include "turtle/osdep.h"
#include "hw/i386/pc.h"
#include "hw/intc/apic.h"
#include "sysemu/kvm.h"
#include "target/i386/cpu.h"

/* absent from builds without KVM */
#pragma weak kvm_irqchip_in_kernel

bool pc_irqchip_in_kernel(void)
{
    return kvm_irqchip_in_kernel && kvm_irqchip_in_kernel();
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
    bool in_kernel = pc_irqchip_in_kernel();
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
