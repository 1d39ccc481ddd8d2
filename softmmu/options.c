/*
 * The command-line option table and its parser (see options.h).
 *
 * The table is the only list of options: the parser looks names up in it,
 * -help is printed from it, and tests/qtest/options-test.c walks it through
 * that -help so an option cannot be added without a test or a refusal.
 */
#include "options.h"
#include "turtle/log.h"
#include "hw/core/boards.h"
#include "hw/core/qdev.h"
#include "hw/core/qdev-properties.h"
#include "chardev/char.h"
#include "net/net.h"
#include "accel/accel.h"
#include "sysemu/target-info.h"
#include "sysemu/guest-name.h"
#include "monitor/monitor.h"

#define HELP_COLUMN 23

static bool is_help(const char *s)
{
    return s && (!strcmp(s, "help") || !strcmp(s, "?"));
}

/* "pl011,help" or "virt,?": the text before the comma, else NULL */
static char *help_subject(const char *s)
{
    const char *c = strrchr(s, ',');

    return c && is_help(c + 1) ? g_strndup(s, strcspn(s, ",")) : NULL;
}

/* ---- generic handlers ---- */

#define CONFIG_FIELD(c, opt, type) ((type *)((char *)(c) + (opt)->offset))

bool opt_store_str(Config *c, const CmdOption *opt, const char *arg,
                   Error **errp)
{
    *CONFIG_FIELD(c, opt, const char *) = arg;
    return true;
}

bool opt_store_list(Config *c, const CmdOption *opt, const char *arg,
                    Error **errp)
{
    g_ptr_array_add(*CONFIG_FIELD(c, opt, GPtrArray *), (gpointer)arg);
    return true;
}

bool opt_store_flag(Config *c, const CmdOption *opt, const char *arg,
                    Error **errp)
{
    *CONFIG_FIELD(c, opt, bool) = true;
    return true;
}

/* ---- handlers of single options ---- */

static bool opt_help(Config *c, const CmdOption *opt, const char *arg,
                     Error **errp)
{
    print_help(stdout);
    exit(0);
}

static bool opt_version(Config *c, const CmdOption *opt, const char *arg,
                        Error **errp)
{
    print_version(stdout);
    exit(0);
}

static bool opt_enable_kvm(Config *c, const CmdOption *opt, const char *arg,
                           Error **errp)
{
    g_ptr_array_add(c->accels, (gpointer)"kvm");
    return true;
}

static bool opt_name(Config *c, const CmdOption *opt, const char *arg,
                     Error **errp)
{
    return guest_name_parse(arg, errp);
}

/* -s: the gdb stub on QEMU's default port */
static bool opt_gdb_default(Config *c, const CmdOption *opt, const char *arg,
                            Error **errp)
{
    c->gdb = "tcp::1234";
    return true;
}

static bool opt_drive(Config *c, const CmdOption *opt, const char *arg,
                      Error **errp)
{
    g_ptr_array_add(c->drives, g_strdup(arg));
    return true;
}

/* -netdev, -nic and -net keep their relative order (a -net nic and the
 * -net back end after it share hub 0; ids are checked in order) */
static bool opt_net(Config *c, const CmdOption *opt, const char *arg,
                    Error **errp)
{
    g_ptr_array_add(c->nets, g_strdup_printf("%s%c%s", opt->name, 0, arg));
    return true;
}

static bool help_net(FILE *f, const char *arg)
{
    if (is_help(arg) || strstr(arg, "model=help") ||
        strstr(arg, "model=?")) {
        net_netdev_list_help(f);
        return true;
    }
    return false;
}

/* -hda FILE is -drive file=FILE,index=0,media=disk (hdb 1, ...) */
static bool opt_hdx(Config *c, const CmdOption *opt, const char *arg,
                    Error **errp)
{
    /* ",," keeps commas of the file name literal */
    g_auto(GStrv) parts = g_strsplit(arg, ",", -1);
    g_autofree char *esc = g_strjoinv(",,", parts);

    g_ptr_array_add(c->drives, g_strdup_printf("file=%s,index=%d,media=disk",
                                               esc, opt->name[2] - 'a'));
    return true;
}

static bool opt_semihosting_config(Config *c, const CmdOption *opt,
                                   const char *arg, Error **errp)
{
    Opts *o = opts_parse_checked(opt->name, arg, NULL, opt->keys, errp);
    const char *target;
    bool en = true;

    if (!o || !opts_get_bool(o, "enable", &en, errp)) {
        opts_free(o);
        return false;
    }
    target = opts_get(o, "target");
    if (target && strcmp(target, "native") && strcmp(target, "auto")) {
        /* a gdb target needs the gdb stub's File-I/O */
        error_setg(errp, "-%s: target='%s': expected native or auto",
                   opt->name, target);
        opts_free(o);
        return false;
    }
    c->semihosting = en;
    opts_free(o);
    return true;
}

/* ---- "-opt help" for options with open lists of choices ---- */

static bool help_machine(FILE *f, const char *arg)
{
    g_autofree char *name = help_subject(arg);
    MachineClass *mc;

    if (is_help(arg)) {
        machine_list_help(f, turtle_target.name);
        return true;
    }
    if (!name) {
        return false;
    }
    mc = machine_find_class(name, turtle_target.name);
    if (!mc) {
        /* reported like any bad -M when the machine is created */
        return false;
    }
    fprintf(f, "%s options:\n", name);
    object_props_print_help(f, mc->props);
    return true;
}

static bool help_cpu(FILE *f, const char *arg)
{
    if (is_help(arg)) {
        target_cpu_list_help(f);
    }
    return is_help(arg);
}

static bool help_accel(FILE *f, const char *arg)
{
    if (is_help(arg)) {
        accel_list_help(f, turtle_target.name);
    }
    return is_help(arg);
}

static bool help_device(FILE *f, const char *arg)
{
    g_autofree char *drv = help_subject(arg);

    if (is_help(arg)) {
        qdev_device_list_help(f);
        return true;
    }
    /* an unknown driver is reported when the device is created */
    return drv && qdev_device_help(f, drv, NULL);
}

static bool help_chardev(FILE *f, const char *arg)
{
    if (is_help(arg)) {
        qemu_chr_list_help(f);
    }
    return is_help(arg);
}

static bool help_log(FILE *f, const char *arg)
{
    if (is_help(arg)) {
        turtle_log_help(f);
    }
    return is_help(arg);
}

/* ---- the keys of key=value options ---- */

static const OptDesc smp_keys[] = {
    { "cpus", OPT_NUMBER, "number of CPUs at start" },
    { "maxcpus", OPT_NUMBER, "most CPUs the machine can have" },
    { "sockets", OPT_NUMBER, "topology: sockets" },
    { "dies", OPT_NUMBER, "topology: dies per socket" },
    { "clusters", OPT_NUMBER, "topology: clusters per die" },
    { "cores", OPT_NUMBER, "topology: cores per cluster" },
    { "threads", OPT_NUMBER, "topology: threads per core" },
    { NULL }
};

static const OptDesc mem_keys[] = {
    { "size", OPT_SIZE, "RAM size (a bare number means MiB)" },
    { "slots", OPT_NUMBER, "hot-plug slots (accepted, no hot-plug yet)" },
    { "maxmem", OPT_SIZE, "hot-plug limit (accepted, no hot-plug yet)" },
    { NULL }
};

static const OptDesc boot_keys[] = {
    { "order", OPT_STRING, "drive letters in boot order (a, c, d, n)" },
    { "once", OPT_STRING, "the order of the first boot only" },
    { "menu", OPT_BOOL, "show the firmware's boot menu" },
    { "splash", OPT_STRING, "splash picture (no display: refused)" },
    { "splash-time", OPT_NUMBER, "how long the menu waits, in ms" },
    { "reboot-timeout", OPT_NUMBER, "ms before retrying a failed boot "
      "(-1: never)" },
    { "strict", OPT_BOOL, "boot only from the listed devices" },
    { NULL }
};

static const OptDesc acpitable_keys[] = {
    { "file", OPT_STRING, "whole tables (header included), ':' between "
      "files" },
    { "data", OPT_STRING, "table bodies, ':' between files" },
    { "sig", OPT_STRING, "signature (4 characters)" },
    { "rev", OPT_NUMBER, "revision" },
    { "oem_id", OPT_STRING, "OEM id (up to 6 characters)" },
    { "oem_table_id", OPT_STRING, "OEM table id (up to 8 characters)" },
    { "oem_rev", OPT_NUMBER, "OEM revision" },
    { "asl_compiler_id", OPT_STRING, "compiler id (4 characters)" },
    { "asl_compiler_rev", OPT_NUMBER, "compiler revision" },
    { NULL }
};

static const OptDesc semihosting_keys[] = {
    { "enable", OPT_BOOL, "turn semihosting on (default) or off" },
    { "target", OPT_STRING, "where calls go: native or auto (this process)" },
    { NULL }
};

static const OptDesc mon_keys[] = {
    { "chardev", OPT_STRING, "the -chardev id the monitor talks on" },
    { "mode", OPT_STRING, "readline (human monitor) or control (QMP)" },
    { "pretty", OPT_BOOL, "indent QMP answers" },
    { NULL }
};

/* ---- the table ---- */

#define STR(field) .handler = opt_store_str, .offset = offsetof(Config, field)
#define LIST(field) .handler = opt_store_list, .offset = offsetof(Config, field)
#define FLAG(field) .handler = opt_store_flag, .offset = offsetof(Config, field)
#define HDX(n) { "hd" #n, NULL, "FILE", "a disk image as drive " \
                 "hd" #n " on the default interface", OPT_SECTION_BLOCK, \
                 .handler = opt_hdx }
/* QEMU has it, Turtle not yet: the one "not supported" error */
#define ABSENT(n, a) { n, NULL, a, NULL, OPT_SECTION_STANDARD }

const CmdOption cmd_options[] = {
    /* standard */
    { "help", "h", NULL, "display this help and exit",
      .handler = opt_help },
    { "version", NULL, NULL, "display version information and exit",
      .handler = opt_version },
    { "machine", "M", "TYPE[,prop=value...]",
      "select the machine (-M help lists them,\n"
      "-M TYPE,help their options)",
      STR(machine), .print_help = help_machine },
    { "cpu", NULL, "MODEL[,feature...]",
      "select the CPU model (-cpu help lists them)",
      STR(cpu), .print_help = help_cpu },
    { "accel", NULL, "NAME[,prop=value...]",
      "select an accelerator (-accel help lists them);\n"
      "repeat to give fall-backs, tried in order",
      LIST(accels), .print_help = help_accel },
    { "enable-kvm", NULL, NULL, "same as -accel kvm",
      .handler = opt_enable_kvm },
    { "smp", NULL, "[cpus=]N[,maxcpus=N][,sockets=N...]",
      "number of virtual CPUs (-smp help lists the keys)",
      STR(smp), .keys = smp_keys, .implied_key = "cpus" },
    { "m", NULL, "[size=]SIZE", "guest RAM size (e.g. 512M, 4G)",
      STR(mem), .keys = mem_keys, .implied_key = "size" },
    { "name", NULL, "[guest=]NAME[,process=P][,debug-threads=on|off]",
      "name of the guest (query-name), of the process (ps)\n"
      "and with debug-threads=on of each thread",
      .handler = opt_name, .keys = guest_name_keys,
      .implied_key = "guest" },
    { "S", NULL, NULL,
      "do not start the CPUs (until the monitor or gdb says so)",
      FLAG(start_paused) },
    { "no-reboot", NULL, NULL, "exit instead of rebooting",
      FLAG(no_reboot) },
    { "no-shutdown", NULL, NULL,
      "stop instead of exiting when the guest shuts down",
      FLAG(no_shutdown) },

    /* boot */
    { "kernel", NULL, "FILE",
      "kernel image (arm64 Image/ELF, bzImage, multiboot ELF)",
      OPT_SECTION_BOOT, STR(kernel) },
    { "initrd", NULL, "FILE", "initial ram disk", OPT_SECTION_BOOT,
      STR(initrd) },
    { "append", NULL, "STRING", "kernel command line", OPT_SECTION_BOOT,
      STR(append) },
    { "dtb", NULL, "FILE", "use this device tree instead of the generated one",
      OPT_SECTION_BOOT, STR(dtb) },
    { "bios", NULL, "FILE", "firmware image", OPT_SECTION_BOOT, STR(bios) },
    { "boot", NULL, "[order=DRIVES][,once=DRIVES][,menu=on|off]...",
      "firmware boot order (pc: a floppy, c disk, d CD-ROM,\n"
      "n network) and menu (-boot help lists the keys)",
      OPT_SECTION_BOOT, STR(boot), .keys = boot_keys,
      .implied_key = "order" },
    { "acpitable", NULL, "file=FILE[:FILE...]|data=FILE[:FILE...][,sig=S]...",
      "add ACPI tables (pc; -acpitable help lists the keys)",
      OPT_SECTION_BOOT, LIST(acpitables), .keys = acpitable_keys },
    { "semihosting", NULL, NULL,
      "enable Arm semihosting (SYS_WRITE0, SYS_EXIT...)",
      OPT_SECTION_BOOT, FLAG(semihosting) },
    { "semihosting-config", NULL, "[enable=on|off][,target=native]",
      "the same, with options", OPT_SECTION_BOOT,
      .handler = opt_semihosting_config, .keys = semihosting_keys },

    /* devices and back ends */
    { "device", NULL, "DRIVER[,prop=value...]",
      "add a device (-device help, -device DRIVER,help)",
      OPT_SECTION_DEVICES, LIST(devices), .print_help = help_device },
    { "chardev", NULL, "BACKEND,id=ID[,...]",
      "add a character back end (-chardev help)",
      OPT_SECTION_DEVICES, LIST(chardevs), .print_help = help_chardev },
    { "serial", NULL, "SPEC",
      "connect the next serial port (stdio, null, pty,\n"
      "file:PATH, tcp:HOST:PORT[,server=on], unix:PATH,\n"
      "chardev:ID, mon:stdio, none)",
      OPT_SECTION_DEVICES, LIST(serials) },
    { "monitor", NULL, "SPEC", "human monitor on a character device",
      OPT_SECTION_DEVICES, LIST(monitors) },
    { "qmp", NULL, "SPEC", "QMP monitor on a character device",
      OPT_SECTION_DEVICES, LIST(qmps) },
    { "qmp-pretty", NULL, "SPEC", "the same, answers indented",
      OPT_SECTION_DEVICES, LIST(qmps_pretty) },
    { "mon", NULL, "[chardev=]ID[,mode=readline|control][,pretty=on]",
      "a monitor on -chardev ID (control: QMP)",
      OPT_SECTION_DEVICES, LIST(mons), .keys = mon_keys,
      .implied_key = "chardev" },
    { "nographic", NULL, NULL,
      "no window: serial port and monitor on this terminal\n"
      "(Ctrl-A h for help, Ctrl-A x to quit)",
      OPT_SECTION_DEVICES, FLAG(nographic) },
    { "display", NULL, "none", "no window", OPT_SECTION_DEVICES,
      STR(display) },
    { "nodefaults", NULL, NULL, "no default serial port or monitor",
      OPT_SECTION_DEVICES, FLAG(nodefaults) },

    /* block devices */
    { "drive", NULL, "file=PATH[,format=raw|qcow2][,if=virtio|none][,id=ID]\n"
      "    [,index=N][,cache=writeback|none|writethrough|directsync|unsafe]\n"
      "    [,aio=threads|io_uring][,readonly=on][,snapshot=on]\n"
      "    [,discard=ignore|unmap][,locking=off]",
      "add a drive (if=virtio by default; -device\n"
      "...,drive=ID uses an if=none drive)",
      OPT_SECTION_BLOCK, .handler = opt_drive },
    { "blockdev", NULL, "driver=D,node-name=N[,file=NODE|file.driver=file,\n"
      "    file.filename=PATH][,read-only=on][,cache.direct=on]...",
      "add a block node (drivers: file, raw, qcow2)",
      OPT_SECTION_BLOCK, LIST(blockdevs) },
    HDX(a), HDX(b), HDX(c), HDX(d),
    { "snapshot", NULL, NULL,
      "write to temporary overlays, never to the images",
      OPT_SECTION_BLOCK, FLAG(snapshot) },
    { "loadvm", NULL, "TAG", "start from snapshot TAG (savevm) of the disks",
      OPT_SECTION_BLOCK, STR(loadvm) },
    { "incoming", NULL, "tcp:HOST:PORT|unix:PATH|exec:CMD|file:PATH|defer",
      "wait for the machine's state from a migration source\n"
      "(defer: until QMP migrate-incoming)",
      STR(incoming) },

    /* network */
    { "netdev", NULL, "TYPE,id=ID[,...]",
      "add a network back end (-netdev help lists the types):\n"
      "user,id=ID[,net=ADDR/LEN][,host=ADDR][,dns=ADDR][,dhcpstart=ADDR]\n"
      "  [,hostfwd=[tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT...][,restrict=on]\n"
      "  [,guestfwd=tcp:[ADDR]:PORT-DEV|cmd:CMD...][,ipv4=on|off]\n"
      "  [,ipv6=on|off][,hostname=NAME][,tftp=DIR][,bootfile=FILE]",
      OPT_SECTION_NET, .handler = opt_net, .print_help = help_net },
    { "nic", NULL, "TYPE[,model=M][,mac=ADDR][,...]",
      "a NIC and its back end (-nic none: no NIC at all)",
      OPT_SECTION_NET, .handler = opt_net, .print_help = help_net },
    { "object", NULL, "filter-dump,id=ID,netdev=NETDEV,file=PATH[,maxlen=N]",
      "add an object (only filter-dump: a netdev's frames into a pcap "
      "file)", OPT_SECTION_NET, LIST(objects) },
    { "net", NULL, "nic[,model=M][,macaddr=ADDR]|TYPE[,...]",
      "NICs and back ends joined by hub 0 (-net none: no NIC)",
      OPT_SECTION_NET, .handler = opt_net, .print_help = help_net },

    /* the process (what libvirt starts turtle with) */
    { "no-user-config", NULL, NULL,
      "read no configuration file (turtle reads none anyway)",
      FLAG(no_user_config) },
    { "pidfile", NULL, "FILE", "write the process id to FILE (locked while "
      "turtle runs)", STR(pidfile) },
    { "daemonize", NULL, NULL, "run in the background once started (the "
      "monitors are\nlistening when the command returns)", FLAG(daemonize) },

    /* debugging */
    { "d", NULL, "ITEM,...", "log items (-d help lists them)",
      OPT_SECTION_DEBUG, STR(log_items), .print_help = help_log },
    { "D", NULL, "FILE", "write the log to FILE instead of stderr",
      OPT_SECTION_DEBUG, STR(log_file) },
    { "gdb", NULL, "DEV", "wait for gdb on DEV (tcp::PORT, tcp:HOST:PORT,\n"
      "unix:PATH, chardev:ID; docs/gdbstub.md)", OPT_SECTION_DEBUG,
      STR(gdb) },
    { "s", NULL, NULL, "same as -gdb tcp::1234", OPT_SECTION_DEBUG,
      .handler = opt_gdb_default },
    { "qtest", NULL, "SPEC", "run under a qtest driver (tests only)",
      OPT_SECTION_DEBUG, STR(qtest) },
    { "qtest-log", NULL, "FILE", "trace the qtest protocol to FILE",
      OPT_SECTION_DEBUG, STR(qtest_log) },

    ABSENT("L", "DIR"), ABSENT("rtc", "SPEC"),
    ABSENT("vga", "TYPE"),
    ABSENT("global", "SPEC"),
    ABSENT("readconfig", "FILE"), ABSENT("audiodev", "SPEC"),
    ABSENT("k", "LAYOUT"), ABSENT("numa", "SPEC"), ABSENT("fw_cfg", "SPEC"),
    ABSENT("icount", "SPEC"), ABSENT("trace", "SPEC"),
    ABSENT("usb", NULL), ABSENT("usbdevice", "DEV"),
    { NULL }
};

/* every option with key=value arguments (query-command-line-options) */
void cmd_options_foreach_keys(MonitorOptionFn *fn, void *opaque)
{
    for (const CmdOption *o = cmd_options; o->name; o++) {
        if (o->keys) {
            fn(o->name, o->keys, opaque);
        }
    }
}

const CmdOption *cmd_option_find(const char *name)
{
    for (const CmdOption *o = cmd_options; o->name; o++) {
        if (!strcmp(o->name, name) || (o->alias && !strcmp(o->alias, name))) {
            return o;
        }
    }
    return NULL;
}

void config_init(Config *c)
{
    *c = (Config) {
        .accels = g_ptr_array_new(),
        .devices = g_ptr_array_new(),
        .chardevs = g_ptr_array_new(),
        .serials = g_ptr_array_new(),
        .monitors = g_ptr_array_new(),
        .qmps = g_ptr_array_new(),
        .qmps_pretty = g_ptr_array_new(),
        .mons = g_ptr_array_new(),
        .drives = g_ptr_array_new_with_free_func(g_free),
        .blockdevs = g_ptr_array_new(),
        .acpitables = g_ptr_array_new(),
        .nets = g_ptr_array_new_with_free_func(g_free),
        .objects = g_ptr_array_new(),
    };
}

/* "-opt help", "-opt NAME,help": print and exit */
static void option_help_request(const CmdOption *o, const char *arg)
{
    if (o->print_help && o->print_help(stdout, arg)) {
        exit(0);
    }
    if (o->keys && is_help(arg)) {
        opts_print_help(stdout, o->name, o->keys);
        exit(0);
    }
}

bool parse_command_line(int argc, char **argv, Config *c, Error **errp)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *name = arg + 1, *val = NULL;
        const CmdOption *o;

        if (arg[0] != '-' || !arg[1]) {
            error_setg(errp, "%s: invalid option (options start with '-'; "
                       "a disk image needs -drive file=%s or -hda %s)",
                       arg, arg, arg);
            return false;
        }
        if (name[0] == '-') {
            name++;                /* --opt is the same as -opt */
        }
        o = cmd_option_find(name);
        if (!o) {
            error_setg(errp, "-%s: invalid option (-help lists them)", name);
            return false;
        }
        if (!o->handler) {
            error_setg(errp, "-%s: option not supported by this version of "
                       "Turtle", name);
            return false;
        }
        if (o->arg) {
            if (i + 1 >= argc) {
                error_setg(errp, "-%s: requires an argument (%s)", name,
                           o->arg);
                return false;
            }
            val = argv[++i];
            option_help_request(o, val);
        }
        if (o->keys) {
            Opts *kv = opts_parse_checked(o->name, val, o->implied_key,
                                          o->keys, errp);
            if (!kv) {
                return false;
            }
            opts_free(kv);
        }
        if (!o->handler(c, o, val, errp)) {
            return false;
        }
    }
    return true;
}

void print_version(FILE *f)
{
    fprintf(f, "Turtle emulator (turtle-system-%s) version %s\n"
            "A full-system emulator and virtual machine monitor.\n",
            turtle_target.name, TURTLE_VERSION);
}

static void print_option(FILE *f, const CmdOption *o)
{
    g_autofree char *left = g_strdup_printf("-%s%s%s%s%s", o->name,
                                            o->alias ? "|-" : "",
                                            o->alias ? o->alias : "",
                                            o->arg ? " " : "",
                                            o->arg ? o->arg : "");
    g_auto(GStrv) lines = g_strsplit(o->help, "\n", -1);
    const char *last = strrchr(left, '\n') ? strrchr(left, '\n') + 1 : left;

    if (strlen(last) < HELP_COLUMN) {
        fprintf(f, "%s%*s%s\n", left, (int)(HELP_COLUMN - strlen(last)), "",
                lines[0]);
    } else {
        fprintf(f, "%s\n%*s%s\n", left, HELP_COLUMN, "", lines[0]);
    }
    for (int i = 1; lines[i]; i++) {
        fprintf(f, "%*s%s\n", HELP_COLUMN, "", lines[i]);
    }
}

void print_help(FILE *f)
{
    static const char *const titles[OPT_SECTION__MAX] = {
        [OPT_SECTION_STANDARD] = "Standard options",
        [OPT_SECTION_BOOT] = "Boot",
        [OPT_SECTION_DEVICES] = "Devices and back ends",
        [OPT_SECTION_BLOCK] = "Block devices",
        [OPT_SECTION_NET] = "Network",
        [OPT_SECTION_DEBUG] = "Debugging",
    };
    int col = 0;

    print_version(f);
    fprintf(f, "usage: turtle-system-%s [options]\n", turtle_target.name);
    for (int s = 0; s < OPT_SECTION__MAX; s++) {
        fprintf(f, "\n%s:\n", titles[s]);
        for (const CmdOption *o = cmd_options; o->name; o++) {
            if (o->handler && o->section == (CmdOptionSection)s) {
                print_option(f, o);
            }
        }
    }
    /* the names a QEMU user may try, so "not there" is not a surprise */
    fprintf(f, "\nQEMU options not in this version:\n");
    for (const CmdOption *o = cmd_options; o->name; o++) {
        if (!o->handler) {
            int len = strlen(o->name) + 2;

            if (col + len > 78) {
                fprintf(f, "\n");
                col = 0;
            }
            col += fprintf(f, " -%s", o->name);
        }
    }
    fprintf(f, "\n");
}
