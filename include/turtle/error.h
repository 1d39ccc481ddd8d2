/*
 * Error reporting.
 *
 * Host-side operations that can fail return bool (or NULL) and fill an
 * Error **errp.  The caller decides what to do: propagate it, print it, or
 * pass &error_fatal to print and exit(1) / &error_abort for host bugs.
 * Library code never exits the process on its own.
 */
#ifndef TURTLE_ERROR_H
#define TURTLE_ERROR_H

#include <stdbool.h>

typedef struct Error Error;

extern Error *error_fatal;   /* pass &error_fatal: print and exit(1) */
extern Error *error_abort;   /* pass &error_abort: print and abort() */

void error_setg_internal(Error **errp, const char *src, int line,
                         const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define error_setg(errp, ...) \
    error_setg_internal((errp), __FILE__, __LINE__, __VA_ARGS__)
/* Like error_setg, with ": strerror(os_errno)" appended. */
void error_setg_errno_internal(Error **errp, const char *src, int line,
                               int os_errno, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
#define error_setg_errno(errp, os_errno, ...) \
    error_setg_errno_internal((errp), __FILE__, __LINE__, (os_errno), __VA_ARGS__)

void error_prepend(Error **errp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void error_append_hint(Error **errp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void error_propagate(Error **dst_errp, Error *local_err);
const char *error_get_pretty(const Error *err);
void error_free(Error *err);
void error_free_or_abort(Error **errp);
/* Print "PROGNAME: message" (and hints) to stderr, then free it. */
void error_report_err(Error *err);

/* One line "PROGNAME: message" on stderr. */
void error_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void info_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void error_set_progname(const char *argv0);
const char *error_get_progname(void);

#endif
