/* -d / -D logging. */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include <pthread.h>

int turtle_loglevel;
FILE *turtle_logfile;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

const TurtleLogItem turtle_log_items[] = {
    { CPU_LOG_TB_OUT_ASM, "out_asm", "show generated host assembly code for each compiled TB" },
    { CPU_LOG_TB_IN_ASM, "in_asm", "show target assembly code for each compiled TB" },
    { CPU_LOG_TB_OP, "op", "show micro ops for each compiled TB" },
    { CPU_LOG_TB_OP_OPT, "op_opt", "show micro ops after optimization" },
    { CPU_LOG_INT, "int", "show interrupts/exceptions in short format" },
    { CPU_LOG_EXEC, "exec", "show trace before each executed TB (lots of logs)" },
    { CPU_LOG_TB_CPU, "cpu", "show CPU registers before entering a TB (lots of logs)" },
    { CPU_LOG_MMU, "mmu", "log MMU-related activities" },
    { CPU_LOG_PAGE, "page", "dump pages at beginning of user mode emulation" },
    { CPU_LOG_RESET, "cpu_reset", "show CPU state before CPU resets" },
    { LOG_UNIMP, "unimp", "log unimplemented functionality" },
    { LOG_GUEST_ERROR, "guest_errors", "log when the guest OS does something invalid (eg accessing a non-existent register)" },
    { CPU_LOG_TB_NOCHAIN, "nochain", "do not chain compiled TBs so that \"exec\" and \"cpu\" show complete traces" },
    { LOG_TRACE_IO, "trace_io", "log every device register access (mmio and ioport)" },
    { 0, NULL, NULL },
};

void turtle_log(const char *fmt, ...)
{
    FILE *f = turtle_logfile ? turtle_logfile : stderr;
    va_list ap;

    pthread_mutex_lock(&log_lock);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    pthread_mutex_unlock(&log_lock);
}

FILE *turtle_log_trylock(void)
{
    pthread_mutex_lock(&log_lock);
    return turtle_logfile ? turtle_logfile : stderr;
}

void turtle_log_unlock(FILE *f)
{
    fflush(f);
    pthread_mutex_unlock(&log_lock);
}

bool turtle_log_parse(const char *str, int *mask, char **bad)
{
    char **items = g_strsplit(str, ",", -1);
    bool ok = true;
    int m = 0;

    for (char **it = items; *it; it++) {
        const TurtleLogItem *li;

        if (!strcmp(*it, "all")) {
            for (li = turtle_log_items; li->name; li++) {
                m |= li->mask;
            }
            continue;
        }
        for (li = turtle_log_items; li->name; li++) {
            if (!strcmp(li->name, *it)) {
                m |= li->mask;
                break;
            }
        }
        if (!li->name) {
            *bad = g_strdup(*it);
            ok = false;
            break;
        }
    }
    g_strfreev(items);
    if (ok) {
        *mask = m;
    }
    return ok;
}

bool turtle_set_log_file(const char *filename, char **errmsg)
{
    FILE *f = fopen(filename, "w");

    if (!f) {
        *errmsg = g_strdup_printf("cannot open log file '%s': %s", filename,
                                  g_strerror(errno));
        return false;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    if (turtle_logfile) {
        fclose(turtle_logfile);
    }
    turtle_logfile = f;
    return true;
}

void turtle_set_log(int mask)
{
    turtle_loglevel = mask;
}

void turtle_log_help(FILE *f)
{
    fprintf(f, "Log items (comma separated):\n");
    for (const TurtleLogItem *li = turtle_log_items; li->name; li++) {
        fprintf(f, "%-15s %s\n", li->name, li->help);
    }
    fprintf(f, "%-15s %s\n", "all", "every item above");
}
