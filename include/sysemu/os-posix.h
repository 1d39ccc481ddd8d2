/*
 * The process side of QEMU's -daemonize and -pidfile, as libvirt uses
 * them: the command returns once the child is ready (its monitors are
 * listening), with the child's exit status if it failed on the way.
 */
#ifndef SYSEMU_OS_POSIX_H
#define SYSEMU_OS_POSIX_H

#include "turtle/osdep.h"
#include "turtle/error.h"

/* Fork: the parent waits for os_daemonize_ready() (then exits 0) or for
 * the child's end (then exits with its status); the child goes on in a
 * new session.  Call before any thread exists. */
void os_daemonize_start(void);
/* The child is ready: stdin/stdout/stderr go to /dev/null, the working
 * directory to /, and the parent returns.  Nothing without -daemonize. */
void os_daemonize_ready(void);
/* Create FILE, lock it (a second turtle with the same file fails) and
 * write the pid; removed at exit. */
bool os_pidfile_create(const char *path, Error **errp);

#endif
