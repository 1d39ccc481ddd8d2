/*
 * Machines (boards).  A machine type builds the guest in its init(): RAM
 * and ROM regions, CPUs, devices and their wiring, then loads firmware or a
 * kernel.  It never depends on the accelerator.
 *
 *     static void virt_class_init(ObjectClass *oc, void *data)
 *     {
 *         MachineClass *mc = MACHINE_CLASS(oc);
 *         mc->desc = "QEMU-compatible Arm virtual machine";
 *         mc->init = virt_init;
 *         mc->max_cpus = 8;
 *         mc->default_cpu_type = "cortex-a57-arm-cpu";
 *         mc->props = virt_props;   // -M virt,gic-version=3
 *     }
 *     type name: "virt" MACHINE_TYPE_SUFFIX
 */
#ifndef HW_CORE_BOARDS_H
#define HW_CORE_BOARDS_H

#include "hw/core/qdev.h"
#include "exec/memory.h"

#define TYPE_MACHINE "machine"
#define MACHINE_TYPE_SUFFIX "-machine"
#define MACHINE_TYPE_NAME(name) (name MACHINE_TYPE_SUFFIX)
#define MAX_SERIAL_PORTS 4

typedef struct MachineState MachineState;
typedef struct MachineClass MachineClass;

/* -M ...,kernel-irqchip=on|off|split (unset: the accelerator decides);
 * read by the accelerator before the board is built */
typedef enum KernelIrqchipMode {
    KERNEL_IRQCHIP_DEFAULT = 0,
    KERNEL_IRQCHIP_ON,
    KERNEL_IRQCHIP_OFF,
    KERNEL_IRQCHIP_SPLIT,
} KernelIrqchipMode;
typedef struct Chardev Chardev;

struct MachineClass {
    ObjectClass parent_class;
    const char *name;               /* "virt" (set from the type name) */
    const char *desc;
    const char *alias;
    /* The versioned QEMU machine this board is ("virt-7.2"): accepted by
     * -M, and query-machines lists it with the short name as its alias,
     * as QEMU does (management software asks for the versioned one). */
    const char *qemu_name;
    /* the id of the main RAM (QEMU's default-ram-id, memory-backend=) */
    const char *default_ram_id;
    bool is_default;
    const char *target;             /* "aarch64", "x86_64" or NULL (any) */
    /*
     * Build the guest.  On failure, fill errp and return false; main()
     * reports and exits.  A board never prints an error or exits itself.
     */
    bool (*init)(MachineState *ms, Error **errp);
    /* Optional extra reset work after the device tree reset. */
    void (*reset)(MachineState *ms);
    int min_cpus;
    int max_cpus;                   /* -smp limit; 0 means 1 */
    /* -smp dies=/clusters= above 1 are refused unless the board has
     * those levels (QEMU: dies on pc, clusters on virt) */
    bool smp_dies_supported;
    bool smp_clusters_supported;
    const char *default_cpu_type;   /* a -cpu model name */
    const char *const *valid_cpu_types;  /* NULL: any of the target */
    uint64_t default_ram_size;
    uint64_t max_ram_size;          /* 0: no board limit */
    bool no_cpu;                    /* e.g. "none": CPUs are optional */
    /* board-specific -M options; offsets are into the machine state */
    const Property *props;
    /* Ports the board offers for -serial (0: none). */
    int serial_ports;
    /* Devices from -device may be memory-mapped with addr= */
    bool allows_dynamic_sysbus;
    /* The board reads MachineState.acpitables (else -acpitable is an
     * error) */
    bool accepts_acpitable;
    /* The board reads MachineState.boot_opts (else -boot is an error) */
    bool accepts_boot;
    /* The NIC -nic/-net nic create without model= (a device type), and
     * QEMU's default "-net nic -net user"; NULL: none. */
    const char *default_nic;
};

/* -smp's CPU topology: sockets * dies * clusters * cores * threads is
 * max_cpus */
typedef struct SMPTopology {
    unsigned sockets, dies, clusters, cores, threads;
} SMPTopology;

struct MachineState {
    Object parent_obj;
    /* filled from the command line before init() */
    uint64_t ram_size;
    MemoryRegion *ram;              /* the main RAM region (not mapped) */
    char *cpu_type;                 /* -cpu NAME (NULL: board default) */
    char *cpu_options;              /* -cpu NAME,features... after NAME */
    unsigned smp_cpus;
    unsigned max_cpus;
    SMPTopology smp;
    char *kernel_filename;
    char *initrd_filename;
    char *kernel_cmdline;
    char *dtb;                      /* -dtb FILE */
    char *dumpdtb;                  /* -M ...,dumpdtb=FILE */
    char *firmware;                 /* -bios FILE */
    char *boot_opts;                /* -boot string, for the board */
    char **acpitables;              /* -acpitable strings (NULL-terminated) */
    bool semihosting;
    int32_t kernel_irqchip;         /* KernelIrqchipMode, if the board has it */
    Chardev *serial_hds[MAX_SERIAL_PORTS];  /* -serial, in order */
    int nb_serial;
    const char *accel_name;         /* the chosen accelerator */
    /* the boot loader's choices, for the board and fw_cfg */
    void *fdt;
    int fdt_size;
    bool no_shutdown;
};

DECLARE_INSTANCE_CHECKER(MachineState, MACHINE, TYPE_MACHINE)
DECLARE_CLASS_CHECKERS(MachineClass, MACHINE, TYPE_MACHINE)

extern MachineState *current_machine;

/* Look up a machine class by -M name or alias; NULL if none. */
MachineClass *machine_find_class(const char *name, const char *target);
MachineClass *machine_default_class(const char *target);
void machine_list_help(FILE *f, const char *target);

/* Allocate the machine's main RAM region ("ram"), size ms->ram_size. */
bool machine_alloc_ram(MachineState *ms, Error **errp);

/* -serial back end n, or NULL. */
Chardev *serial_hd(int n);

#endif
