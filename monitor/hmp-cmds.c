/*
 * Human monitor commands that control the machine, and the "info" table.
 * Output texts are QEMU's where scripts read them ("VM status: running",
 * "* CPU #0: thread_id=N", "CPU#0" before the registers).
 */
#include "turtle/osdep.h"
#include "monitor/hmp-internal.h"
#include "monitor/qmp-internal.h"
#include "chardev/char.h"
#include "hw/core/cpu.h"
#include "sysemu/runstate.h"
#include "sysemu/cpus.h"
#include "accel/accel.h"
#include "exec/memory.h"
#include "ui/input.h"

/* ---- running the machine ---- */

/* as QEMU: a VM that does not run (prelaunch, shut down) stays as it is */
void hmp_stop(HMPArgs *a)
{
    if (hmp_args_end(a) && runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
}

void hmp_cont(HMPArgs *a)
{
    if (!hmp_args_end(a)) {
        return;
    }
    if (runstate_get() == RUN_STATE_SHUTDOWN) {
        mon_printf(a->mon, "Error: Resetting the Virtual Machine is "
                   "required\n");
        return;
    }
    vm_start();
}

void hmp_quit(HMPArgs *a)
{
    if (hmp_args_end(a)) {
        a->mon->quitting = true;
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    }
}

void hmp_system_reset(HMPArgs *a)
{
    if (hmp_args_end(a)) {
        qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    }
}

void hmp_system_powerdown(HMPArgs *a)
{
    if (hmp_args_end(a)) {
        qemu_system_powerdown_request();
    }
}

void hmp_cpu_select(HMPArgs *a)
{
    int64_t idx;

    if (!hmp_arg_expr(a, &idx) || !hmp_args_end(a)) {
        return;
    }
    if (idx < 0 || idx > INT_MAX || !qemu_get_cpu(idx)) {
        mon_printf(a->mon, "invalid CPU index\n");
        return;
    }
    a->mon->cpu_index = idx;
}

/* sendkey KEY[-KEY...] [hold_ms]: pressed in order, released in reverse
 * after hold_ms (100 by default), as QEMU's */
void hmp_sendkey(HMPArgs *a)
{
    g_autofree char *keys = hmp_arg_word(a);
    g_auto(GStrv) names = NULL;
    int codes[16], n = 0;
    int64_t hold = 100;

    if (!keys) {
        hmp_arg_error(a, "%s: string expected", a->name);
        return;
    }
    hmp_skip_spaces(a);
    if (*a->p && !hmp_arg_expr(a, &hold)) {
        return;
    }
    if (!hmp_args_end(a)) {
        return;
    }
    names = g_strsplit(keys, "-", -1);
    for (int i = 0; names[i]; i++) {
        int k = qemu_input_key_by_name(names[i]);

        if (k < 0) {
            mon_printf(a->mon, "invalid parameter: %s\n", names[i]);
            return;
        }
        if (n == (int)G_N_ELEMENTS(codes)) {
            mon_printf(a->mon, "too many keys\n");
            return;
        }
        codes[n++] = k;
    }
    /* no keyboard (virt has none): nothing to press, as in QEMU */
    qemu_input_send_keys(codes, n, hold < 0 ? 0 : MIN(hold, 60000));
}

/* ---- info ---- */

static void info_status(HMPArgs *a)
{
    RunState rs = runstate_get();

    if (!hmp_args_end(a)) {
        return;
    }
    mon_printf(a->mon, "VM status: %s", runstate_is_running() ? "running" :
               "paused");
    if (!runstate_is_running() && rs != RUN_STATE_PAUSED) {
        mon_printf(a->mon, " (%s)", runstate_name(rs));
    }
    mon_printf(a->mon, "\n");
}

static void info_version(HMPArgs *a)
{
    if (hmp_args_end(a)) {
        mon_printf(a->mon, "%s (turtle)\n", TURTLE_VERSION);
    }
}

static void info_chardev_one(Chardev *chr, void *opaque)
{
    mon_printf(opaque, "%s: filename=%s\n", chr->label ? chr->label : "",
               chr->filename ? chr->filename : "");
}

static void info_chardev(HMPArgs *a)
{
    if (hmp_args_end(a)) {
        qemu_chr_foreach(info_chardev_one, a->mon);
    }
}

static void info_kvm(HMPArgs *a)
{
    const char *accel = current_accel_name();

    if (hmp_args_end(a)) {
        mon_printf(a->mon, "kvm support: %s\n",
                   accel && !strcmp(accel, "kvm") ? "enabled" : "disabled");
    }
}

static void info_cpus(HMPArgs *a)
{
    CPUState *cur, *cpu;

    if (!hmp_args_end(a)) {
        return;
    }
    cur = hmp_cpu(a->mon);
    CPU_FOREACH(cpu) {
        mon_printf(a->mon, "%c CPU #%d: thread_id=%" PRId64 "\n",
                   cpu == cur ? '*' : ' ', cpu->cpu_index,
                   monitor_cpu_thread_id(cpu));
    }
}

static void info_registers_cb(FILE *f, void *opaque)
{
    CPUState *cpu = opaque;

    fprintf(f, "\nCPU#%d\n", cpu->cpu_index);
    cpu_dump_state(cpu, f, CPU_DUMP_FPU);
}

static void info_registers(HMPArgs *a)
{
    g_autofree char *arg = hmp_arg_word(a);
    CPUState *cpu;

    if (!hmp_args_end(a)) {
        return;
    }
    if (arg && !strcmp(arg, "-a")) {
        CPU_FOREACH(cpu) {
            cpu_synchronize_state(cpu);
            mon_print_file(a->mon, info_registers_cb, cpu);
        }
        return;
    }
    if (arg) {
        char *end;
        long idx = strtol(arg, &end, 0);

        if (*end || end == arg) {
            hmp_arg_error(a, "invalid vcpu '%s' (-a or a CPU index)", arg);
            return;
        }
        cpu = idx >= 0 && idx <= INT_MAX ? qemu_get_cpu(idx) : NULL;
        if (!cpu) {
            mon_printf(a->mon, "CPU#%ld not available\n", idx);
            return;
        }
        cpu_synchronize_state(cpu);
    } else {
        cpu = hmp_cpu(a->mon);
        if (!cpu) {
            mon_printf(a->mon, "No CPU available\n");
            return;
        }
    }
    mon_print_file(a->mon, info_registers_cb, cpu);
}

static void info_mtree_cb(FILE *f, void *opaque)
{
    mtree_info(f, opaque != NULL);
}

static void info_mtree(HMPArgs *a)
{
    bool flat = false;
    char *opt;

    while ((opt = hmp_arg_word(a))) {
        bool ok = !strcmp(opt, "-f");

        flat |= ok;
        if (!ok) {
            /* QEMU's -d (dispatch tree) and -o (owners) have nothing to
             * show here; disabled regions (-D) are always shown */
            if (strcmp(opt, "-D")) {
                hmp_arg_error(a, "%s: unsupported option '%s' (-f shows the "
                              "flat views)", a->name, opt);
            }
        }
        g_free(opt);
        if (a->failed) {
            return;
        }
    }
    mon_print_file(a->mon, info_mtree_cb, flat ? (void *)1 : NULL);
}

const HMPCommand hmp_info_commands[] = {
    { "chardev", "", "show the character devices", info_chardev },
    { "cpus", "", "show each CPU and its host thread", info_cpus },
    { "kvm", "", "show whether KVM runs the guest", info_kvm },
    { "mtree", "[-f]", "show the memory regions (-f: the flat view of each "
      "address space)", info_mtree },
    { "pci", "", "show the PCI devices", hmp_info_pci },
    { "qtree", "", "show the device tree", hmp_info_qtree },
    { "registers", "[-a|vcpu]", "show the registers of the current CPU "
      "(-a: of every CPU; vcpu: of that one)", info_registers },
    { "status", "", "show whether the VM runs (running|paused)",
      info_status },
    { "version", "", "show the version of Turtle", info_version },
    { NULL },
};
