/*
 * turtle-system-<arch>: command line, machine start-up and the main loop.
 *
 * The command line follows QEMU's for what both have.  Every option is
 * parsed into one configuration first; nothing is built until the whole
 * line was understood, so a bad option never leaves half a machine.
 */
#include "turtle/osdep.h"
#include "turtle/error.h"
#include "turtle/log.h"
#include "turtle/option.h"
#include "options.h"
#include "turtle/timer.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "hw/core/boards.h"
#include "hw/core/sysbus.h"
#include "hw/core/cpu.h"
#include "chardev/char.h"
#include "accel/accel.h"
#include "sysemu/os-posix.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "sysemu/cpus.h"
#include "sysemu/qtest.h"
#include "sysemu/target-info.h"
#include "monitor/monitor.h"
#include "exec/gdbstub.h"
#include "block/block-backend.h"
#include "net/net.h"
#include "migration/snapshot.h"
#include "migration/migration.h"
#include <glib-unix.h>
#include <signal.h>

static TURTLE_NORETURN void usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static void usage_error(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_report("%s", msg);
    exit(1);
}

static void setup_logging(Config *c)
{
    if (c->log_items) {
        int mask;
        char *bad = NULL;

        if (!turtle_log_parse(c->log_items, &mask, &bad)) {
            error_report("-d %s: unknown log item '%s' (try -d help)",
                         c->log_items, bad);
            exit(1);
        }
        turtle_set_log(mask);
    }
    if (c->log_file) {
        char *err = NULL;
        if (!turtle_set_log_file(c->log_file, &err)) {
            error_report("-D: %s", err);
            exit(1);
        }
    }
}

/* "sockets (2) * clusters (1) * cores (2) * threads (1)" for errors, with
 * the levels the machine has, as QEMU words them */
static char *smp_hierarchy(MachineClass *mc, const SMPTopology *t)
{
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "sockets (%u)", t->sockets);
    if (mc->smp_dies_supported) {
        g_string_append_printf(s, " * dies (%u)", t->dies);
    }
    if (mc->smp_clusters_supported) {
        g_string_append_printf(s, " * clusters (%u)", t->clusters);
    }
    g_string_append_printf(s, " * cores (%u) * threads (%u)", t->cores,
                           t->threads);
    return g_string_free(s, false);
}

/*
 * -smp [cpus=]N[,maxcpus=M][,sockets=S][,dies=D][,clusters=C][,cores=K]
 * [,threads=T], completed and checked as QEMU 7.2 does: omitted levels
 * are 1 (dies, clusters) or derived from maxcpus, cores before sockets
 * (QEMU 7.2's machines);
 * the product of the levels must be maxcpus and cpus at most maxcpus.
 */
static void parse_smp(MachineState *ms, MachineClass *mc, const char *smp)
{
    unsigned max = mc->max_cpus ? mc->max_cpus : 1;
    uint64_t cpus = 0, maxcpus = 0, v[5] = { 0 };
    static const char *const level[5] = { "sockets", "dies", "clusters",
                                          "cores", "threads" };
    SMPTopology t;
    g_autofree char *hier = NULL;

    if (!smp) {
        cpus = maxcpus = mc->no_cpu ? 0 : 1;
        ms->smp = (SMPTopology){ 1, 1, 1, 1, 1 };
        ms->smp_cpus = cpus;
        ms->max_cpus = maxcpus;
        return;
    }
    {
        Opts *o = opts_parse("smp", smp, "cpus", &error_fatal);

        opts_get_uint(o, "cpus", &cpus, &error_fatal);
        opts_get_uint(o, "maxcpus", &maxcpus, &error_fatal);
        for (int i = 0; i < 5; i++) {
            opts_get_uint(o, level[i], &v[i], &error_fatal);
            if (v[i] > UINT32_MAX) {
                usage_error("-smp: %s=%" PRIu64 " is too large", level[i],
                            v[i]);
            }
        }
        opts_check_all_used(o, &error_fatal);
        opts_free(o);
    }
    if (cpus > UINT32_MAX || maxcpus > UINT32_MAX) {
        usage_error("-smp %s: too many CPUs", smp);
    }
    if (!mc->smp_dies_supported && v[1] > 1) {
        usage_error("-smp: dies not supported by this machine's CPU "
                    "topology");
    }
    if (!mc->smp_clusters_supported && v[2] > 1) {
        usage_error("-smp: clusters not supported by this machine's CPU "
                    "topology");
    }
    t.dies = v[1] ? v[1] : 1;
    t.clusters = v[2] ? v[2] : 1;
    t.sockets = v[0];
    t.cores = v[3];
    t.threads = v[4];
    if (!cpus && !maxcpus) {
        t.sockets = t.sockets ? t.sockets : 1;
        t.cores = t.cores ? t.cores : 1;
        t.threads = t.threads ? t.threads : 1;
    } else {
        /* QEMU since 6.2: cores are derived before sockets */
        maxcpus = maxcpus ? maxcpus : cpus;
        if (!t.cores) {
            t.sockets = t.sockets ? t.sockets : 1;
            t.threads = t.threads ? t.threads : 1;
            t.cores = maxcpus / ((uint64_t)t.sockets * t.dies * t.clusters *
                                 t.threads);
        } else if (!t.sockets) {
            t.threads = t.threads ? t.threads : 1;
            t.sockets = maxcpus / ((uint64_t)t.dies * t.clusters * t.cores *
                                   t.threads);
        }
        if (!t.threads) {
            t.threads = maxcpus / ((uint64_t)t.sockets * t.dies *
                                   t.clusters * t.cores);
        }
    }
    {
        uint64_t total = (uint64_t)t.sockets * t.dies * t.clusters *
                         t.cores * t.threads;

        maxcpus = maxcpus ? maxcpus : total;
        cpus = cpus ? cpus : maxcpus;
        hier = smp_hierarchy(mc, &t);
        if (total != maxcpus || !total) {
            usage_error("-smp %s: Invalid CPU topology: product of the "
                        "hierarchy must match maxcpus: %s != maxcpus (%"
                        PRIu64 ")", smp, hier, maxcpus);
        }
    }
    if (maxcpus < cpus) {
        usage_error("-smp %s: Invalid CPU topology: maxcpus must be equal "
                    "to or greater than smp: %s == maxcpus (%" PRIu64 ") < "
                    "smp_cpus (%" PRIu64 ")", smp, hier, maxcpus, cpus);
    }
    if (mc->min_cpus && cpus < (uint64_t)mc->min_cpus) {
        usage_error("Invalid SMP CPUs %" PRIu64 ". The min CPUs supported by "
                    "machine '%s' is %d", cpus, mc->name, mc->min_cpus);
    }
    if (maxcpus > max) {
        usage_error("Invalid SMP CPUs %" PRIu64 ". The max CPUs supported by "
                    "machine '%s' is %u", maxcpus, mc->name, max);
    }
    ms->smp = t;
    ms->smp_cpus = cpus;
    ms->max_cpus = maxcpus;
}

static void parse_mem(MachineState *ms, MachineClass *mc, const char *mem)
{
    uint64_t sz = mc->default_ram_size;

    if (mem) {
        Opts *o = opts_parse("m", mem, "size", &error_fatal);
        const char *s = opts_get(o, "size");
        const char *slots_s = opts_get(o, "slots");
        const char *max_s = opts_get(o, "maxmem");
        uint64_t slots = 0, maxmem = 0;

        opts_check_all_used(o, &error_fatal);
        /* a bare number means MiB, as in QEMU */
        if (!s || !parse_size(s, MiB, &sz) || sz == 0) {
            usage_error("-m %s: invalid RAM size", mem);
        }
        if (parse_uint64(s, &sz)) {
            sz *= MiB;
        }
        if (slots_s && !parse_uint64(slots_s, &slots)) {
            usage_error("-m %s: slots='%s': expected a number", mem, slots_s);
        }
        if (max_s && (!parse_size(max_s, MiB, &maxmem) || !maxmem)) {
            usage_error("-m %s: maxmem='%s': invalid size", mem, max_s);
        }
        if (max_s && parse_uint64(max_s, &maxmem)) {
            maxmem *= MiB;
        }
        /* QEMU's checks and texts */
        if (slots_s && !max_s) {
            usage_error("-m %s: slots specified but no max-size", mem);
        }
        if (max_s && maxmem < sz) {
            usage_error("-m %s: invalid value of maxmem: maximum memory size "
                        "(0x%" PRIx64 ") must be at least the initial memory "
                        "size (0x%" PRIx64 ")", mem, maxmem, sz);
        }
        if (slots && maxmem == sz) {
            usage_error("-m %s: invalid value of maxmem: memory slots were "
                        "specified but maximum memory size (0x%" PRIx64 ") "
                        "is equal to the initial memory size (0x%" PRIx64
                        ")", mem, maxmem, sz);
        }
        /* room for hot-plugged memory would need DIMM devices and the
         * board's device-memory window: not there yet, so refused rather
         * than accepted and ignored */
        if (max_s && maxmem > sz) {
            usage_error("-m %s: memory hotplug is not supported: maxmem must "
                        "be the RAM size (or left out)", mem);
        }
        opts_free(o);
    }
    if (sz % TURTLE_PAGE_SIZE) {
        sz = ROUND_UP(sz, TURTLE_PAGE_SIZE);
    }
    if (mc->max_ram_size && sz > mc->max_ram_size) {
        usage_error("-m: %" PRIu64 " MiB of RAM is more than machine '%s' "
                    "supports (%" PRIu64 " MiB)", sz / MiB, mc->name,
                    mc->max_ram_size / MiB);
    }
    ms->ram_size = sz;
}

static MachineState *create_machine(Config *c)
{
    const char *mstr = c->machine;
    g_autofree char *mname = NULL;
    MachineClass *mc;
    MachineState *ms;
    Opts *o = NULL;

    if (mstr) {
        o = opts_parse("machine", mstr, "type", &error_fatal);
        mname = g_strdup(opts_get(o, "type"));
    }
    if (!mname) {
        mc = machine_default_class(turtle_target.name);
        if (!mc) {
            mc = machine_find_class(turtle_target.default_machine,
                                    turtle_target.name);
        }
        if (!mc) {
            usage_error("no machine given and no default machine in this "
                        "build (use -M; -M help lists them)");
        }
    } else {
        mc = machine_find_class(mname, turtle_target.name);
        if (!mc) {
            usage_error("unsupported machine type '%s' (-M help lists them)",
                        mname);
        }
    }
    ms = MACHINE(object_new(object_class_get_name(OBJECT_CLASS(mc))));
    object_props_set_defaults(OBJECT(ms), mc->props);
    if (o) {
        for (guint i = 0; i < o->entries->len; i++) {
            OptEntry *e = g_ptr_array_index(o->entries, i);
            if (e->used) {
                continue;
            }
            e->used = true;
            if (!strcmp(e->key, "dumpdtb")) {
                ms->dumpdtb = g_strdup(e->value);
            } else if (!strcmp(e->key, "accel")) {
                /* QEMU's "kvm:tcg": the first that works */
                g_auto(GStrv) names = g_strsplit(e->value, ":", -1);
                for (char **n = names; *n; n++) {
                    g_ptr_array_add(c->accels, g_strdup(*n));
                }
            } else if (!object_props_parse(OBJECT(ms), mc->props, e->key,
                                           e->value, &error_fatal)) {
                exit(1);
            }
        }
        opts_free(o);
    }
    parse_smp(ms, mc, c->smp);
    parse_mem(ms, mc, c->mem);
    if (c->cpu) {
        char model[128];

        g_strlcpy(model, c->cpu, MIN(sizeof(model), strcspn(c->cpu, ",") + 1));
        ms->cpu_type = target_cpu_type_from_model(model, &error_fatal);
        if (strchr(c->cpu, ',')) {
            ms->cpu_options = g_strdup(strchr(c->cpu, ',') + 1);
        }
    } else if (mc->default_cpu_type && ms->smp_cpus) {
        ms->cpu_type = target_cpu_type_from_model(mc->default_cpu_type,
                                                  &error_fatal);
    }
    ms->kernel_filename = g_strdup(c->kernel);
    ms->initrd_filename = g_strdup(c->initrd);
    ms->kernel_cmdline = g_strdup(c->append ? c->append : "");
    ms->dtb = g_strdup(c->dtb);
    ms->firmware = g_strdup(c->bios);
    ms->boot_opts = g_strdup(c->boot);
    if (c->boot && !mc->accepts_boot) {
        usage_error("-boot: machine '%s' has no firmware boot order",
                    mc->name);
    }
    if (c->acpitables->len && !mc->accepts_acpitable) {
        usage_error("-acpitable: machine '%s' has no ACPI tables", mc->name);
    }
    ms->acpitables = g_new0(char *, c->acpitables->len + 1);
    for (guint i = 0; i < c->acpitables->len; i++) {
        ms->acpitables[i] = g_strdup(g_ptr_array_index(c->acpitables, i));
    }
    ms->semihosting = c->semihosting;
    ms->no_shutdown = no_shutdown;
    if (c->initrd && !c->kernel) {
        usage_error("-initrd only allowed with -kernel option");
    }
    if (c->append && !c->kernel) {
        usage_error("-append only allowed with -kernel option");
    }
    {
        const char *files[] = { c->kernel, c->initrd, c->dtb, c->bios };
        const char *names[] = { "-kernel", "-initrd", "-dtb", "-bios" };
        for (int i = 0; i < 4; i++) {
            char path[4096];

            if (!files[i]) {
                continue;
            }
            /* -initrd may list multiboot modules ("file args,file2"):
             * check the first file here, the board loader checks the rest */
            g_strlcpy(path, files[i], sizeof(path));
            if (i == 1) {
                path[strcspn(path, " ,")] = '\0';
            }
            if (access(path, R_OK) != 0) {
                usage_error("%s %s: %s", names[i], path, g_strerror(errno));
            }
        }
    }
    return ms;
}

static void create_chardevs(Config *c)
{
    for (guint i = 0; i < c->chardevs->len; i++) {
        Opts *o = opts_parse("chardev", g_ptr_array_index(c->chardevs, i),
                             "backend", &error_fatal);
        if (!qemu_chr_new_from_opts(o, &error_fatal)) {
            exit(1);
        }
        opts_free(o);
    }
}

static void create_serials(Config *c, MachineState *ms, MachineClass *mc)
{
    GPtrArray *specs = c->serials;
    bool defaults = !c->nodefaults && !c->qtest && mc->serial_ports > 0;

    if (specs->len == 0 && defaults) {
        /* no window yet: the first serial port is this terminal, shared
         * with the monitor (Ctrl-A c switches), as -nographic gives */
        g_ptr_array_add(specs, (gpointer)"mon:stdio");
    }
    for (guint i = 0; i < specs->len; i++) {
        const char *spec = g_ptr_array_index(specs, i);
        char label[32];
        Chardev *chr;

        if (!strcmp(spec, "none")) {
            continue;
        }
        if (ms->nb_serial >= MAX_SERIAL_PORTS) {
            usage_error("-serial: too many serial ports (at most %d)",
                        MAX_SERIAL_PORTS);
        }
        snprintf(label, sizeof(label), "serial%d", ms->nb_serial);
        chr = qemu_chr_new(label, spec, &error_fatal);
        ms->serial_hds[ms->nb_serial++] = chr;
        if (!strncmp(spec, "mon:", 4)) {
            monitor_init_hmp(chr, &error_fatal);
        }
    }
}

static void create_monitors(Config *c)
{
    for (guint i = 0; i < c->monitors->len; i++) {
        const char *spec = g_ptr_array_index(c->monitors, i);
        Chardev *chr;
        char label[32];

        if (!strcmp(spec, "none")) {
            continue;
        }
        snprintf(label, sizeof(label), "monitor%u", i);
        chr = qemu_chr_new(label, spec, &error_fatal);
        monitor_init_hmp(chr, &error_fatal);
    }
    for (guint i = 0; i < c->qmps->len + c->qmps_pretty->len; i++) {
        bool pretty = i >= c->qmps->len;
        const char *spec = pretty ?
            g_ptr_array_index(c->qmps_pretty, i - c->qmps->len) :
            g_ptr_array_index(c->qmps, i);
        Chardev *chr;
        char label[32];

        snprintf(label, sizeof(label), "qmp%u", i);
        chr = qemu_chr_new(label, spec, &error_fatal);
        monitor_init_qmp(chr, pretty, &error_fatal);
    }
    for (guint i = 0; i < c->mons->len; i++) {
        Opts *o = opts_parse("mon", g_ptr_array_index(c->mons, i), "chardev",
                             &error_fatal);
        monitor_new_from_opts(o, &error_fatal);
        opts_free(o);
    }
}

static const AccelOps *choose_accelerator(Config *c, MachineState *ms)
{
    GPtrArray *list = c->accels;
    const char *dflt = c->qtest ? "qtest" : "tcg";

    if (list->len == 0) {
        g_ptr_array_add(list, (gpointer)dflt);
    }
    for (guint i = 0; i < list->len; i++) {
        const char *spec = g_ptr_array_index(list, i);
        Opts *o = opts_parse("accel", spec, "accel", &error_fatal);
        const char *name = opts_get(o, "accel");
        const AccelOps *ops = name ? accel_find(name) : NULL;
        bool last = i + 1 == list->len;
        Error *err = NULL;

        if (!name) {
            usage_error("-accel: no accelerator named");
        }
        if (!ops || (ops->supports_target &&
                     !ops->supports_target(turtle_target.name))) {
            if (!ops && strcmp(name, "tcg") && strcmp(name, "kvm") &&
                strcmp(name, "qtest")) {
                usage_error("invalid accelerator %s", name);
            }
            error_setg(&err, "accelerator '%s' is not available in this "
                       "build of turtle-system-%s", name, turtle_target.name);
        } else if ((ops->parse_opts && !ops->parse_opts(o, &err)) ||
                   (!err && !opts_check_all_used(o, &err))) {
            /* bad options are a user error even with fall-backs */
            error_report_err(err);
            exit(1);
        } else {
            accel_set_current(ops);
            if (!ops->init_machine || ops->init_machine(ms, &err)) {
                opts_free(o);
                ms->accel_name = ops->name;
                return ops;
            }
            accel_set_current(NULL);
        }
        opts_free(o);
        if (last) {
            error_report_err(err);
            exit(1);
        }
        warn_report("%s; falling back to the next accelerator",
                    error_get_pretty(err));
        error_free(err);
    }
    g_assert_not_reached();
}

/* Drives are opened before the board is built: boards pick theirs
 * (pflash) at init, devices (-device ...,drive=) right after. */
static void create_drives(Config *c)
{
    drive_set_snapshot_all(c->snapshot);
    for (guint i = 0; i < c->blockdevs->len; i++) {
        Error *err = NULL;
        if (!blockdev_new(g_ptr_array_index(c->blockdevs, i), &err)) {
            error_prepend(&err, "-blockdev %s: ",
                          (char *)g_ptr_array_index(c->blockdevs, i));
            error_report_err(err);
            exit(1);
        }
    }
    for (guint i = 0; i < c->drives->len; i++) {
        Error *err = NULL;
        if (!drive_new(g_ptr_array_index(c->drives, i), "virtio", &err)) {
            error_prepend(&err, "-drive %s: ",
                          (char *)g_ptr_array_index(c->drives, i));
            error_report_err(err);
            exit(1);
        }
    }
    turtle_add_exit_notifier(blk_close_all);
}

/* -M ...,dumpdtb=FILE: write the board's device tree and exit, as QEMU */
static TURTLE_NORETURN void dump_dtb(MachineState *ms)
{
    g_autoptr(GError) gerr = NULL;

    if (!ms->fdt) {
        usage_error("dumpdtb: machine '%s' has no device tree",
                    MACHINE_GET_CLASS(ms)->name);
    }
    if (!g_file_set_contents(ms->dumpdtb, ms->fdt, ms->fdt_size, &gerr)) {
        usage_error("dumpdtb: cannot write '%s': %s", ms->dumpdtb,
                    gerr->message);
    }
    info_report("dtb dumped to %s. Exiting.", ms->dumpdtb);
    turtle_exit(0);
}

/* Network back ends are created before the board (a hostfwd that cannot
 * bind fails first), their NICs right after it. */
static void create_netdevs(Config *c)
{
    if (c->nodefaults || c->qtest) {
        net_set_no_default_nic();
    }
    for (guint i = 0; i < c->nets->len; i++) {
        const char *n = g_ptr_array_index(c->nets, i);
        const char *v = n + strlen(n) + 1;
        Error *err = NULL;
        bool ok = !strcmp(n, "netdev") ? net_add_netdev(v, &err) :
                  !strcmp(n, "nic") ? net_add_nic(v, &err) :
                  net_add_legacy(v, &err);

        if (!ok) {
            error_report_err(err);
            exit(1);
        }
    }
}

/* -object: QEMU's user-creatable objects; Turtle has filter-dump */
static void create_objects(Config *c)
{
    for (guint i = 0; i < c->objects->len; i++) {
        const char *arg = g_ptr_array_index(c->objects, i);
        Opts *o = opts_parse("object", arg, "qom-type", &error_fatal);
        const char *type = opts_get(o, "qom-type");
        Error *err = NULL;

        if (!type || strcmp(type, "filter-dump")) {
            usage_error("-object %s: object type '%s' is not supported by "
                        "this version of Turtle (filter-dump is)", arg,
                        type ? type : "");
        }
        if (!net_filter_dump_new(o, &err)) {
            error_prepend(&err, "-object %s: ", arg);
            error_report_err(err);
            exit(1);
        }
        opts_free(o);
    }
}

static void create_devices(Config *c)
{
    for (guint i = 0; i < c->devices->len; i++) {
        Opts *o = opts_parse("device", g_ptr_array_index(c->devices, i),
                             "driver", &error_fatal);
        if (!qdev_device_add(o, &error_fatal)) {
            exit(1);
        }
        opts_free(o);
    }
    sysbus_map_user_devices();
}

/* SIGINT/SIGTERM/SIGHUP: a clean shutdown through the main loop, which
 * restores the terminal and flushes logs on the way out. */
static gboolean on_termination_signal(gpointer data)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
    return G_SOURCE_CONTINUE;
}

static void install_signal_handlers(void)
{
    g_unix_signal_add(SIGINT, on_termination_signal, NULL);
    g_unix_signal_add(SIGTERM, on_termination_signal, NULL);
    g_unix_signal_add(SIGHUP, on_termination_signal, NULL);
    signal(SIGPIPE, SIG_IGN);    /* a closed socket peer is an I/O error */
}

int main(int argc, char **argv)
{
    Config c;
    MachineState *ms;
    MachineClass *mc;
    Error *err = NULL;
    int status;

    error_set_progname(argv[0]);
    config_init(&c);
    if (!parse_command_line(argc, argv, &c, &err)) {
        error_report_err(err);
        exit(1);
    }
    no_reboot = c.no_reboot;
    no_shutdown = c.no_shutdown;
    setup_logging(&c);

    if (c.display && strcmp(c.display, "none") != 0) {
        usage_error("-display %s: no display back end in this build yet "
                    "(use -display none or -nographic)", c.display);
    }
    if (c.nographic && c.serials->len == 0 && !c.nodefaults) {
        g_ptr_array_add(c.serials, (gpointer)"mon:stdio");
    }
    if (c.daemonize) {
        /* as QEMU: the terminal is gone once the command returns, so
         * nothing may use it (-nographic is fine with -nodefaults) */
        if (c.nographic && !c.nodefaults && c.serials->len == 1 &&
            !strcmp(g_ptr_array_index(c.serials, 0), "mon:stdio")) {
            usage_error("-nographic cannot be used with -daemonize");
        }
        for (guint i = 0; i < c.serials->len; i++) {
            if (strstr(g_ptr_array_index(c.serials, i), "stdio")) {
                usage_error("-serial %s cannot be used with -daemonize",
                            (char *)g_ptr_array_index(c.serials, i));
            }
        }
        os_daemonize_start();
    }
    if (c.pidfile && !os_pidfile_create(c.pidfile, &err)) {
        error_report_err(err);
        exit(1);
    }

    monitor_set_option_lister(cmd_options_foreach_keys);
    main_loop_init();
    install_signal_handlers();
    memory_map_init();
    bql_lock();

    ms = create_machine(&c);
    mc = MACHINE_GET_CLASS(ms);
    current_machine = ms;

    create_chardevs(&c);
    create_serials(&c, ms, mc);
    create_monitors(&c);
    choose_accelerator(&c, ms);
    create_drives(&c);
    create_netdevs(&c);
    create_objects(&c);

    if (!mc->init(ms, &err)) {
        error_report_err(err);
        exit(1);
    }
    if (ms->dumpdtb) {
        dump_dtb(ms);
    }
    if (!net_create_nics(mc->default_nic, &err)) {
        error_report_err(err);
        exit(1);
    }
    create_devices(&c);
    net_check_clients();
    {
        if (!drive_check_orphaned(&err)) {
            error_report_err(err);
            exit(1);
        }
    }

    if (c.qtest) {
        if (!qtest_server_init(c.qtest, c.qtest_log, &err)) {
            error_report_err(err);
            exit(1);
        }
    }

    if (c.gdb && !gdbserver_start(c.gdb, &err)) {
        error_report_err(err);
        exit(1);
    }

    qemu_system_reset(SHUTDOWN_CAUSE_NONE);
    if (c.loadvm && !load_snapshot(c.loadvm, &err)) {
        error_report_err(err);
        exit(1);
    }
    if (c.incoming) {
        /* the guest starts once the migration stream is in */
        if (!migration_incoming(c.incoming, !c.start_paused, &err)) {
            error_report_err(err);
            exit(1);
        }
    } else if (!c.start_paused) {
        vm_start();
    }   /* -S: "prelaunch" until cont, as QEMU's query-status says */
    os_daemonize_ready();       /* -daemonize: the command returns now */
    status = main_loop_run();
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_SHUTDOWN);
    }
    bql_unlock();
    turtle_exit(status);
}
