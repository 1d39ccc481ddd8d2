/* Error objects and one-line error reporting; see turtle/error.h. */
#include "turtle/osdep.h"
#include "turtle/error.h"

struct Error {
    char *msg;
    GString *hint;
    const char *src;
    int line;
};

Error *error_fatal;
Error *error_abort;

static const char *progname = "turtle";

void error_set_progname(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    progname = slash ? slash + 1 : argv0;
}

const char *error_get_progname(void)
{
    return progname;
}

static void error_vreport(const char *prefix, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: %s", progname, prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void error_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vreport("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vreport("warning: ", fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vreport("", fmt, ap);
    va_end(ap);
}

static void error_handle_special(Error **errp, Error *err)
{
    if (errp == &error_abort) {
        fprintf(stderr, "Unexpected error at %s:%d:\n", err->src, err->line);
        error_report_err(err);
        abort();
    }
    if (errp == &error_fatal) {
        error_report_err(err);
        exit(1);
    }
}

static void error_install(Error **errp, Error *err)
{
    if (!errp) {
        error_free(err);
        return;
    }
    if (errp == &error_abort || errp == &error_fatal) {
        error_handle_special(errp, err);
        return;
    }
    /* The first error wins; a second one is a caller bug, but not fatal. */
    if (*errp) {
        error_free(err);
        return;
    }
    *errp = err;
}

void error_setg_internal(Error **errp, const char *src, int line,
                         const char *fmt, ...)
{
    Error *err = g_new0(Error, 1);
    va_list ap;

    va_start(ap, fmt);
    err->msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    err->src = src;
    err->line = line;
    error_install(errp, err);
}

void error_setg_errno_internal(Error **errp, const char *src, int line,
                               int os_errno, const char *fmt, ...)
{
    Error *err = g_new0(Error, 1);
    char *msg;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    err->msg = g_strdup_printf("%s: %s", msg, g_strerror(os_errno));
    g_free(msg);
    err->src = src;
    err->line = line;
    error_install(errp, err);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    char *prefix, *msg;
    va_list ap;

    if (!errp || !*errp) {
        return;
    }
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg = g_strconcat(prefix, (*errp)->msg, NULL);
    g_free(prefix);
    g_free((*errp)->msg);
    (*errp)->msg = msg;
}

void error_append_hint(Error **errp, const char *fmt, ...)
{
    va_list ap;

    if (!errp || !*errp || errp == &error_fatal || errp == &error_abort) {
        return;
    }
    if (!(*errp)->hint) {
        (*errp)->hint = g_string_new(NULL);
    }
    va_start(ap, fmt);
    g_string_append_vprintf((*errp)->hint, fmt, ap);
    va_end(ap);
}

void error_propagate(Error **dst_errp, Error *local_err)
{
    if (!local_err) {
        return;
    }
    error_install(dst_errp, local_err);
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

void error_free(Error *err)
{
    if (err) {
        g_free(err->msg);
        if (err->hint) {
            g_string_free(err->hint, true);
        }
        g_free(err);
    }
}

void error_free_or_abort(Error **errp)
{
    g_assert(errp && *errp);
    error_free(*errp);
    *errp = NULL;
}

void error_report_err(Error *err)
{
    fprintf(stderr, "%s: %s\n", progname, err->msg);
    if (err->hint) {
        fputs(err->hint->str, stderr);
    }
    error_free(err);
}
