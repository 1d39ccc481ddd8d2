/*
 * The command-line option table of turtle-system-* (softmmu/options.c).
 *
 * Every option is one CmdOption entry: its name (and QEMU's short alias),
 * whether it takes an argument, its help text, the keys of a
 * "key=value,..." argument and the handler that records it in the Config.
 * -help is printed from the table, "-opt help" lists an option's keys or
 * choices, and an option the table names without a handler (one QEMU has
 * and Turtle has not yet) gets the same one-line error as any other.
 *
 * Parsing only records: main() builds the machine from the Config once the
 * whole line was understood, in the order devices need (chardevs before
 * serial ports, drives before the board, -device after it).
 *
 * Adding an option: a Config field (a GPtrArray if it may repeat; create it
 * in config_init()), one table entry in options.c (usually with a generic
 * handler: opt_store_str, opt_store_list, opt_store_flag and the field's
 * offsetof), then the code in main() that uses the field.  The option-walk
 * test (tests/qtest/options-test.c) then asks for a case exercising it.
 */
#ifndef SOFTMMU_OPTIONS_H
#define SOFTMMU_OPTIONS_H

#include "turtle/osdep.h"
#include "turtle/error.h"
#include "turtle/option.h"

typedef struct Config {
    const char *machine;          /* -M string */
    const char *cpu;              /* -cpu string */
    const char *smp;
    const char *mem;
    GPtrArray *accels;            /* -accel strings, in order */
    GPtrArray *devices;           /* -device strings */
    GPtrArray *chardevs;          /* -chardev strings */
    GPtrArray *serials;           /* -serial specs */
    GPtrArray *monitors;          /* -monitor specs */
    GPtrArray *qmps;              /* -qmp specs */
    GPtrArray *qmps_pretty;       /* -qmp-pretty specs */
    GPtrArray *mons;              /* -mon options */
    GPtrArray *drives;            /* -drive strings (and -hda...), owned */
    GPtrArray *blockdevs;         /* -blockdev strings */
    GPtrArray *objects;           /* -object strings */
    GPtrArray *nets;              /* -netdev/-nic/-net in order, each
                                     "OPT\0ARG", owned */
    bool snapshot;                /* -snapshot */
    const char *loadvm;           /* -loadvm TAG */
    const char *incoming;         /* -incoming URI|defer */
    const char *kernel, *initrd, *append, *dtb, *bios;
    const char *boot;             /* -boot (checked keys; the board's) */
    GPtrArray *acpitables;        /* -acpitable strings (the board's too) */
    const char *qtest, *qtest_log;
    const char *log_items, *log_file;
    const char *display;
    bool nographic;
    bool nodefaults;
    bool start_paused;
    bool semihosting;
    bool no_reboot, no_shutdown;
    const char *gdb;              /* -gdb DEV, -s */
    bool no_user_config;          /* -no-user-config (no file is read) */
    const char *pidfile;          /* -pidfile FILE */
    bool daemonize;               /* -daemonize */
} Config;

typedef enum CmdOptionSection {
    OPT_SECTION_STANDARD,
    OPT_SECTION_BOOT,
    OPT_SECTION_DEVICES,
    OPT_SECTION_BLOCK,
    OPT_SECTION_NET,
    OPT_SECTION_DEBUG,
    OPT_SECTION__MAX,
} CmdOptionSection;

typedef struct CmdOption CmdOption;

/* Record arg (NULL for a flag) in c; false with *errp set if it is bad. */
typedef bool CmdOptionHandler(Config *c, const CmdOption *opt,
                              const char *arg, Error **errp);

struct CmdOption {
    const char *name;             /* without the '-' ("machine") */
    const char *alias;            /* a second name ("M") or NULL */
    const char *arg;              /* argument synopsis; NULL: no argument */
    const char *help;             /* lines for -help, '\n' between them */
    CmdOptionSection section;
    CmdOptionHandler *handler;    /* NULL: not in this version of Turtle */
    size_t offset;                /* the Config field of a generic handler */
    /* key=value arguments: checked when parsed, listed by "-opt help" */
    const OptDesc *keys;
    const char *implied_key;      /* the key of a leading bare word */
    /*
     * "-opt help" and "-opt NAME,help" for options whose choices are not
     * fixed keys (machines, devices...): print to f and return true if arg
     * asked for help.
     */
    bool (*print_help)(FILE *f, const char *arg);
};

/* The table, ending with a { NULL } entry. */
extern const CmdOption cmd_options[];

const CmdOption *cmd_option_find(const char *name);
void config_init(Config *c);
/*
 * Parse argv into c.  -help, -version and "-opt help" print and exit(0)
 * here; a bad option fills errp.
 */
bool parse_command_line(int argc, char **argv, Config *c, Error **errp);
void print_help(FILE *f);
void print_version(FILE *f);

/* The generic handlers (offset: the Config field). */
CmdOptionHandler opt_store_str;    /* const char *: last one wins */
CmdOptionHandler opt_store_list;   /* GPtrArray *: every occurrence */
CmdOptionHandler opt_store_flag;   /* bool: set to true */

/* fn(name, keys) for every option with key=value arguments (the
 * monitor's query-command-line-options) */
#include "monitor/monitor.h"
void cmd_options_foreach_keys(MonitorOptionFn *fn, void *opaque);

#endif
