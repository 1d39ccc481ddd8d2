/*
 * -name, see include/sysemu/guest-name.h.
 */
#include "sysemu/guest-name.h"
#include "turtle/option.h"
#include <sys/prctl.h>

const OptDesc guest_name_keys[] = {
    { "guest", OPT_STRING, "the guest's name (query-name)" },
    { "process", OPT_STRING, "the process's name (ps, top)" },
    { "debug-threads", OPT_BOOL, "name each thread (CPU N/TCG...)" },
    { NULL }
};

static char *name;
static bool debug_threads;

bool guest_name_parse(const char *arg, Error **errp)
{
    Opts *o = opts_parse_checked("name", arg, "guest", guest_name_keys, errp);
    const char *process;

    if (!o) {
        return false;
    }
    if (!opts_get_bool(o, "debug-threads", &debug_threads, errp)) {
        opts_free(o);
        return false;
    }
    g_free(name);
    name = g_strdup(opts_get(o, "guest"));
    process = opts_get(o, "process");
    if (!process) {
        process = name;
    }
    if (process && *process) {
        /* Linux keeps 15 bytes of it, as for QEMU */
        prctl(PR_SET_NAME, process);
    }
    opts_free(o);
    return true;
}

const char *guest_name(void)
{
    return name;
}

void guest_name_thread(pthread_t thread, const char *fmt, ...)
{
    char buf[16];
    va_list ap;

    if (!debug_threads) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    pthread_setname_np(thread, buf);
}
