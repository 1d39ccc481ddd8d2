/*
 * The "none" machine: no CPU (unless -cpu is given), no RAM unless -m is
 * given (mapped at 0), an empty system bus that accepts memory-mapped
 * devices at a chosen address (-device pl011,addr=0x9000000) and an ISA
 * bus over the I/O port space for port devices (-device isa-serial).
 * Its ISA IRQ lines are the inputs of an "isa-irq" sink device, so tests
 * can observe them with irq_intercept_in isa-irq.
 */
#include "turtle/osdep.h"
#include "hw/core/boards.h"
#include "hw/core/isa.h"
#include "hw/core/sysbus.h"
#include "hw/core/cpu.h"

#define TYPE_ISA_IRQ_SINK "isa-irq-sink"

static void isa_irq_sink_set(void *opaque, int n, int level)
{
    /* nothing is wired: a test may intercept these lines */
}

static void isa_irq_sink_init(Object *obj)
{
    qdev_init_gpio_in(DEVICE(obj), isa_irq_sink_set, ISA_NUM_IRQS);
}

static const TypeInfo isa_irq_sink_info = {
    .name = TYPE_ISA_IRQ_SINK,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(DeviceState),
    .instance_init = isa_irq_sink_init,
};
TYPE_REGISTER(isa_irq_sink_info)

static bool machine_none_init(MachineState *ms, Error **errp)
{
    DeviceState *sink = qdev_new(TYPE_ISA_IRQ_SINK);
    qemu_irq irqs[ISA_NUM_IRQS];
    ISABus *isa;

    qdev_set_id(sink, "isa-irq");
    qdev_realize_and_unref(sink, NULL, &error_fatal);
    isa = isa_bus_new(NULL, get_system_io());
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        irqs[i] = qdev_get_gpio_in(sink, i);
    }
    isa_bus_irqs(isa, irqs);

    if (ms->ram_size) {
        if (!machine_alloc_ram(ms, errp)) {
            return false;
        }
        memory_region_add_subregion(get_system_memory(), 0, ms->ram);
    }
    return !ms->cpu_type || cpu_create(ms->cpu_type, errp);
}

static void machine_none_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "empty machine";
    mc->init = machine_none_init;
    mc->max_cpus = 1;
    mc->no_cpu = true;
    mc->default_ram_size = 0;
    mc->allows_dynamic_sysbus = true;
}

static const TypeInfo machine_none_info = {
    .name = MACHINE_TYPE_NAME("none"),
    .parent = TYPE_MACHINE,
    .class_init = machine_none_class_init,
};
TYPE_REGISTER(machine_none_info)
