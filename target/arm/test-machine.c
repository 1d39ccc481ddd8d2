/*
 * "arm-test": the smallest AArch64 machine that runs bare-metal test
 * programs, until the `virt` board exists (it should then replace this).
 *
 *   RAM      0x40000000, size from -m
 *   CPUs     -smp N of -cpu MODEL (default cortex-a57), MPIDR Aff0 = index
 *   -kernel  an ELF64 little-endian AArch64 executable; its PT_LOAD
 *            segments are copied to their physical addresses and every CPU
 *            starts at the entry point at its highest EL (EL1h, or EL2h
 *            with virtualization=on) with DAIF masked, MMU off
 *
 * Property: virtualization=on gives the CPUs EL2 and starts them there.
 *
 * No interrupt controller, no devices: output goes through semihosting
 * (-semihosting).  Each CPU's virtual timer output drives its own IRQ
 * input directly (level), so interrupt delivery can be tested without a
 * GIC; the other timer outputs are unconnected.
 */
#include "turtle/osdep.h"
#include "hw/core/boards.h"
#include "hw/core/qdev-properties.h"
#include "target/arm/cpu.h"
#include "sysemu/cpus.h"
#include <elf.h>

#define TEST_RAM_BASE 0x40000000ull

typedef struct ArmTestMachineState {
    MachineState parent_obj;
    bool virtualization;
} ArmTestMachineState;

static const Property arm_test_props[] = {
    DEFINE_PROP_BOOL("virtualization", ArmTestMachineState, virtualization,
                     false),
    DEFINE_PROP_END_OF_LIST(),
};

static bool test_load_elf(const char *path, uint64_t *entry, Error **errp)
{
    g_autofree char *data = NULL;
    gsize size;
    Elf64_Ehdr *eh;
    g_autoptr(GError) gerr = NULL;

    if (!g_file_get_contents(path, &data, &size, &gerr)) {
        error_setg(errp, "cannot read kernel '%s': %s", path, gerr->message);
        return false;
    }
    eh = (Elf64_Ehdr *)data;
    if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_AARCH64) {
        error_setg(errp, "'%s' is not an AArch64 ELF64 little-endian file",
                   path);
        return false;
    }
    if (eh->e_phoff > size ||
        (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff) {
        error_setg(errp, "'%s': program headers out of the file", path);
        return false;
    }
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr *ph = (Elf64_Phdr *)(data + eh->e_phoff) + i;
        g_autofree uint8_t *zero = NULL;

        if (ph->p_type != PT_LOAD || !ph->p_memsz) {
            continue;
        }
        if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset ||
            ph->p_filesz > ph->p_memsz) {
            error_setg(errp, "'%s': segment %d out of the file", path, i);
            return false;
        }
        if (address_space_write_rom(&address_space_memory, ph->p_paddr,
                                    MEMTXATTRS_UNSPECIFIED,
                                    data + ph->p_offset, ph->p_filesz)) {
            error_setg(errp, "'%s': segment %d at 0x%" PRIx64
                       " is outside RAM", path, i, (uint64_t)ph->p_paddr);
            return false;
        }
        if (ph->p_memsz > ph->p_filesz) {
            address_space_set(&address_space_memory,
                              ph->p_paddr + ph->p_filesz, 0,
                              ph->p_memsz - ph->p_filesz,
                              MEMTXATTRS_UNSPECIFIED);
        }
    }
    *entry = eh->e_entry;
    return true;
}

static bool arm_test_init(MachineState *ms, Error **errp)
{
    ArmTestMachineState *ats = (ArmTestMachineState *)ms;
    uint64_t entry = TEST_RAM_BASE;

    if (!machine_alloc_ram(ms, errp)) {
        return false;
    }
    memory_region_add_subregion(get_system_memory(), TEST_RAM_BASE, ms->ram);

    if (ms->kernel_filename &&
        !test_load_elf(ms->kernel_filename, &entry, errp)) {
        return false;
    }
    for (unsigned i = 0; i < ms->smp_cpus; i++) {
        CPUState *cs;
        DeviceState *dev = qdev_new(ms->cpu_type);

        CPU(dev)->mp_affinity = i;
        ARM_CPU(dev)->has_el2 = ats->virtualization;
        arm_cpu_set_boot_state(ARM_CPU(dev), entry, 0, -1);
        if (!qdev_realize_and_unref(dev, NULL, errp)) {
            return false;
        }
        cs = CPU(dev);
        qdev_connect_gpio_out_named(dev, "gt-timer", GTIMER_VIRT,
                                    qdev_get_gpio_in(dev, ARM_CPU_IRQ));
        if (!cpus_start_vcpu(cs, errp)) {
            return false;
        }
    }
    return true;
}

static void arm_test_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "minimal AArch64 machine for bare-metal tests (RAM at "
               "0x40000000, ELF -kernel, semihosting)";
    mc->init = arm_test_init;
    mc->max_cpus = 8;
    mc->target = "aarch64";
    mc->default_cpu_type = "cortex-a57";
    mc->default_ram_size = 128 * 1024 * 1024;
    mc->props = arm_test_props;
}

static const TypeInfo arm_test_machine_info = {
    .name = MACHINE_TYPE_NAME("arm-test"),
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(ArmTestMachineState),
    .class_init = arm_test_class_init,
};
TYPE_REGISTER(arm_test_machine_info)
