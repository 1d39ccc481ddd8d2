/*
 * -daemonize and -pidfile, see include/sysemu/os-posix.h.
 */
#include "sysemu/os-posix.h"
#include "sysemu/runstate.h"
#include <fcntl.h>
#include <sys/wait.h>

static int daemon_pipe = -1;    /* child: tells the parent it is ready */
static char *pidfile_path;

void os_daemonize_start(void)
{
    int fds[2];
    pid_t pid;

    if (pipe(fds) < 0) {
        error_report("-daemonize: pipe: %s", g_strerror(errno));
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        error_report("-daemonize: fork: %s", g_strerror(errno));
        exit(1);
    }
    if (pid > 0) {
        char ok;
        ssize_t n;
        int status;

        close(fds[1]);
        do {
            n = read(fds[0], &ok, 1);
        } while (n < 0 && errno == EINTR);
        if (n == 1) {
            _exit(0);       /* ready: the child carries on */
        }
        /* it ended before being ready; its error is on our stderr */
        if (waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
            _exit(WEXITSTATUS(status) ? WEXITSTATUS(status) : 1);
        }
        _exit(1);
    }
    close(fds[0]);
    daemon_pipe = fds[1];
    setsid();
}

void os_daemonize_ready(void)
{
    int null;
    char ok = 0;

    if (daemon_pipe < 0) {
        return;
    }
    if (chdir("/") < 0) {
        /* not fatal: the directory only stays busy */
    }
    null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2) {
            close(null);
        }
    }
    if (write(daemon_pipe, &ok, 1) != 1) {
        /* the parent is gone: nobody to tell */
    }
    close(daemon_pipe);
    daemon_pipe = -1;
}

static void pidfile_remove(void)
{
    if (pidfile_path) {
        unlink(pidfile_path);
    }
}

bool os_pidfile_create(const char *path, Error **errp)
{
    struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    g_autofree char *pid = g_strdup_printf("%d\n", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

    if (fd < 0) {
        error_setg(errp, "-pidfile %s: cannot create PID file: %s", path,
                   g_strerror(errno));
        return false;
    }
    /* held until the process ends (fd deliberately kept open) */
    if (fcntl(fd, F_SETLK, &lk) < 0) {
        error_setg(errp, "-pidfile %s: cannot lock PID file: %s (another "
                   "process has it)", path, g_strerror(errno));
        close(fd);
        return false;
    }
    if (ftruncate(fd, 0) < 0 || write(fd, pid, strlen(pid)) !=
        (ssize_t)strlen(pid)) {
        error_setg(errp, "-pidfile %s: cannot write PID file: %s", path,
                   g_strerror(errno));
        close(fd);
        return false;
    }
    pidfile_path = realpath(path, NULL);
    atexit(pidfile_remove);                 /* exit() on an error */
    turtle_add_exit_notifier(pidfile_remove);   /* the normal way out */
    return true;
}
