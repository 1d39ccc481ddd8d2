/*
 * The human monitor inside: the per-client state, the argument parser the
 * commands share, and the command groups (hmp-cmds.c: machine control and
 * "info"; hmp-memory.c: x, xp, print and expressions; hmp-qtree.c: info
 * qtree and info pci).
 *
 * Command syntax, output and error texts follow QEMU's HMP so that scripts
 * written for it work: a command name ends at a space or '/', its
 * arguments are parsed in order, and a bad one prints what is wrong and
 * 'Try "help NAME" for more information'.
 */
#ifndef MONITOR_HMP_INTERNAL_H
#define MONITOR_HMP_INTERNAL_H

#include "turtle/osdep.h"
#include "monitor/monitor-internal.h"
#include "sysemu/main-loop.h"

#define HMP_LINE_MAX     1024
#define HMP_HISTORY_MAX  32

typedef struct CPUState CPUState;

typedef struct HMPMonitor {
    Monitor common;             /* the client connection; first */

    /* line editing */
    char line[HMP_LINE_MAX];
    size_t len, cursor;
    int esc;                    /* escape sequence state */
    char esc_arg;               /* digit of ESC [ N ~ */
    char *history[HMP_HISTORY_MAX];
    int hist_count, hist_pos;

    bool opened;                /* a peer is connected */
    bool focused;               /* on a mux: we have the input focus */
    bool greeted;               /* banner shown since the peer connected */
    QEMUBH *show_bh;            /* shows banner/prompt once events settle */
    GString *capture;           /* set: output goes here (QMP's
                                   human-monitor-command) */
    bool quitting;              /* quit ran: no prompt, no more input
                                   (QEMU suspends the monitor) */

    /* what x, xp and print use when the format leaves it out */
    char last_format;
    int last_size;
    int cpu_index;              /* "cpu N": the CPU the commands look at */
} HMPMonitor;

/* One command line being parsed. */
typedef struct HMPArgs {
    HMPMonitor *mon;
    const char *p;              /* what is left of the line */
    const char *name;           /* "print|p", "status" (for messages) */
    const char *help_name;      /* "p", "info status" (for "Try help") */
    bool failed;                /* an error was printed */
} HMPArgs;

typedef struct HMPCommand {
    const char *name;           /* "print|p": the name and its aliases */
    const char *params;         /* "/fmt expr" */
    const char *help;
    void (*fn)(HMPArgs *a);
} HMPCommand;

void mon_printf(HMPMonitor *mon, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Run fn(f, opaque) into a memory stream and print what it wrote. */
void mon_print_file(HMPMonitor *mon, void (*fn)(FILE *f, void *opaque),
                    void *opaque);

/* ---- argument parsing; every helper prints the error and sets failed ---- */
void hmp_arg_error(HMPArgs *a, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void hmp_skip_spaces(HMPArgs *a);
/* Nothing but spaces left, else "NAME: extraneous characters...". */
bool hmp_args_end(HMPArgs *a);
/* An optional word (NULL at the end of the line); g_free it. */
char *hmp_arg_word(HMPArgs *a);
/* "/[count][format][size]": QEMU's x, xp and print formats. */
bool hmp_arg_format(HMPArgs *a, int *count, char *format, int *size);
/* An expression: numbers, $registers, 'c', ( ), unary - + ~,
 * * / %, & | ^, + - (in that order of precedence, as QEMU). */
bool hmp_arg_expr(HMPArgs *a, int64_t *val);

/* The CPU the monitor looks at (its "cpu N"; the first by default), its
 * state synchronised from the accelerator; NULL if the machine has none. */
CPUState *hmp_cpu(HMPMonitor *mon);

/* ---- command groups ---- */
extern const HMPCommand hmp_info_commands[];
/* hmp-snapshot.c (owned by migration): savevm, loadvm, delvm and
 * info snapshots, searched after the tables of hmp.c and hmp-cmds.c */
extern const HMPCommand hmp_snapshot_commands[];
extern const HMPCommand hmp_snapshot_info_commands[];
/* hmp-net.c: hostfwd_add, hostfwd_remove, set_link; info network, usernet */
extern const HMPCommand hmp_net_commands[];
extern const HMPCommand hmp_net_info_commands[];
void hmp_memory_dump(HMPArgs *a);       /* x */
void hmp_physical_memory_dump(HMPArgs *a);  /* xp */
void hmp_print(HMPArgs *a);
void hmp_info_qtree(HMPArgs *a);
void hmp_info_pci(HMPArgs *a);
void hmp_stop(HMPArgs *a);
void hmp_cont(HMPArgs *a);
void hmp_quit(HMPArgs *a);
void hmp_system_reset(HMPArgs *a);
void hmp_system_powerdown(HMPArgs *a);
void hmp_cpu_select(HMPArgs *a);
void hmp_sendkey(HMPArgs *a);

#endif
