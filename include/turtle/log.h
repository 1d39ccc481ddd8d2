/*
 * Debug logging selected with -d ITEMS and sent to stderr or -D FILE.
 *
 *   if (turtle_loglevel_mask(LOG_GUEST_ERROR)) ...
 *   tlog_mask(LOG_GUEST_ERROR, "pl011: bad offset 0x%x\n", (int)offset);
 */
#ifndef TURTLE_LOG_H
#define TURTLE_LOG_H

#include <stdio.h>
#include <stdbool.h>

#define CPU_LOG_TB_OUT_ASM  (1 << 0)
#define CPU_LOG_TB_IN_ASM   (1 << 1)
#define CPU_LOG_TB_OP       (1 << 2)
#define CPU_LOG_TB_OP_OPT   (1 << 3)
#define CPU_LOG_INT         (1 << 4)
#define CPU_LOG_EXEC        (1 << 5)
#define CPU_LOG_TB_CPU      (1 << 6)
#define CPU_LOG_RESET       (1 << 7)
#define LOG_UNIMP           (1 << 8)
#define LOG_GUEST_ERROR     (1 << 9)
#define CPU_LOG_MMU         (1 << 10)
#define CPU_LOG_TB_NOCHAIN  (1 << 11)
#define CPU_LOG_PAGE        (1 << 12)
#define LOG_TRACE_IO        (1 << 13)   /* "ioport"/"mmio" device accesses */
#define LOG_STRACE          (1 << 14)   /* unused in system mode */
#define CPU_LOG_PLUGIN      (1 << 15)
#define LOG_TB_OP_IND       (1 << 16)

extern int turtle_loglevel;
extern FILE *turtle_logfile;

static inline bool turtle_loglevel_mask(int mask)
{
    return (turtle_loglevel & mask) != 0;
}

void turtle_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define tlog_mask(MASK, ...)                        \
    do {                                            \
        if (__builtin_expect(turtle_loglevel_mask(MASK), 0)) { \
            turtle_log(__VA_ARGS__);                \
        }                                           \
    } while (0)

/* Locking so lines from several vCPU threads do not interleave. */
FILE *turtle_log_trylock(void);
void turtle_log_unlock(FILE *f);

typedef struct TurtleLogItem {
    int mask;
    const char *name;
    const char *help;
} TurtleLogItem;
extern const TurtleLogItem turtle_log_items[];

/* Parse "in_asm,int" into a mask; returns false and sets *bad on error. */
bool turtle_log_parse(const char *str, int *mask, char **bad);
bool turtle_set_log_file(const char *filename, char **errmsg);
void turtle_set_log(int mask);
void turtle_log_help(FILE *f);

#endif
