/*
 * Migration transports (see channel.h).
 */
#include "turtle/osdep.h"
#include "migration/channel.h"
#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

static void channel_init(MigChannel *ch)
{
    memset(ch, 0, sizeof(*ch));
    ch->fd = -1;
    ch->listen_fd = -1;
}

/* "HOST:PORT" (HOST may be empty, or [v6]) */
static bool parse_host_port(const char *spec, char **host, char **port,
                            Error **errp)
{
    const char *colon = strrchr(spec, ':');

    if (!colon || !colon[1]) {
        error_setg(errp, "migration: '%s' is not HOST:PORT", spec);
        return false;
    }
    if (spec[0] == '[' && colon > spec && colon[-1] == ']') {
        *host = g_strndup(spec + 1, colon - spec - 2);
    } else {
        *host = g_strndup(spec, colon - spec);
    }
    *port = g_strdup(colon + 1);
    return true;
}

static int tcp_socket(const char *spec, bool listen_mode, Error **errp)
{
    g_autofree char *host = NULL, *port = NULL;
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
                              .ai_flags = listen_mode ? AI_PASSIVE : 0 };
    struct addrinfo *res, *ai;
    int fd = -1, err, saved = 0;

    if (!parse_host_port(spec, &host, &port, errp)) {
        return -1;
    }
    err = getaddrinfo(*host ? host : NULL, port, &hints, &res);
    if (err) {
        error_setg(errp, "migration: address '%s': %s", spec,
                   gai_strerror(err));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        int one = 1;

        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        if (listen_mode) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
            if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
                listen(fd, 1) == 0) {
                break;
            }
        } else if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            break;
        }
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, saved, "migration: cannot %s '%s'",
                         listen_mode ? "listen on" : "connect to", spec);
    }
    return fd;
}

static int unix_socket(const char *path, bool listen_mode, Error **errp)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        error_setg(errp, "migration: socket path too long: %s", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "migration: socket");
        return -1;
    }
    if (listen_mode) {
        unlink(path);
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
            listen(fd, 1) == 0) {
            return fd;
        }
    } else if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
        return fd;
    }
    error_setg_errno(errp, errno, "migration: cannot %s '%s'",
                     listen_mode ? "listen on" : "connect to", path);
    close(fd);
    return -1;
}

static bool spawn(const char *cmd, bool source, MigChannel *ch, Error **errp)
{
    int p[2];
    pid_t pid;

    if (pipe2(p, O_CLOEXEC) < 0) {
        error_setg_errno(errp, errno, "migration: pipe");
        return false;
    }
    pid = fork();
    if (pid < 0) {
        error_setg_errno(errp, errno, "migration: fork");
        close(p[0]);
        close(p[1]);
        return false;
    }
    if (pid == 0) {
        /* the source's command reads the stream on stdin, the
         * destination's writes it on stdout */
        dup2(source ? p[0] : p[1], source ? 0 : 1);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(source ? p[0] : p[1]);
    ch->fd = source ? p[1] : p[0];
    ch->child = pid;
    return true;
}

static bool open_uri(const char *uri, bool source, MigChannel *ch,
                     Error **errp)
{
    const char *arg;

    channel_init(ch);
    if (g_str_has_prefix(uri, "tcp:")) {
        arg = uri + 4;
        ch->two_way = true;
        if (source) {
            ch->fd = tcp_socket(arg, false, errp);
            return ch->fd >= 0;
        }
        ch->listen_fd = tcp_socket(arg, true, errp);
        return ch->listen_fd >= 0;
    }
    if (g_str_has_prefix(uri, "unix:")) {
        arg = uri + 5;
        ch->two_way = true;
        if (source) {
            ch->fd = unix_socket(arg, false, errp);
            return ch->fd >= 0;
        }
        ch->listen_fd = unix_socket(arg, true, errp);
        ch->unix_path = ch->listen_fd >= 0 ? g_strdup(arg) : NULL;
        return ch->listen_fd >= 0;
    }
    if (g_str_has_prefix(uri, "exec:")) {
        return spawn(uri + 5, source, ch, errp);
    }
    if (g_str_has_prefix(uri, "file:")) {
        arg = uri + 5;
        ch->fd = source ? open(arg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                               0600)
                        : open(arg, O_RDONLY | O_CLOEXEC);
        if (ch->fd < 0) {
            error_setg_errno(errp, errno, "migration: cannot open '%s'", arg);
            return false;
        }
        return true;
    }
    error_setg(errp, "migration: unknown URI '%s' (tcp:HOST:PORT, "
               "unix:PATH, exec:CMD, file:PATH)", uri);
    return false;
}

bool mig_channel_connect(const char *uri, MigChannel *ch, Error **errp)
{
    return open_uri(uri, true, ch, errp);
}

bool mig_channel_listen(const char *uri, MigChannel *ch, Error **errp)
{
    return open_uri(uri, false, ch, errp);
}

bool mig_channel_accept(MigChannel *ch, Error **errp)
{
    if (ch->listen_fd < 0) {
        return true;
    }
    do {
        ch->fd = accept4(ch->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    } while (ch->fd < 0 && errno == EINTR);
    close(ch->listen_fd);
    ch->listen_fd = -1;
    if (ch->fd < 0) {
        error_setg_errno(errp, errno, "migration: accept");
        return false;
    }
    return true;
}

bool mig_channel_close(MigChannel *ch, Error **errp)
{
    bool ok = true;

    if (ch->fd >= 0) {
        close(ch->fd);
        ch->fd = -1;
    }
    if (ch->listen_fd >= 0) {
        close(ch->listen_fd);
        ch->listen_fd = -1;
    }
    if (ch->unix_path) {
        unlink(ch->unix_path);
        g_clear_pointer(&ch->unix_path, g_free);
    }
    if (ch->child > 0) {
        int status;

        while (waitpid(ch->child, &status, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status)) {
            error_setg(errp, "migration: the exec: command failed "
                       "(status 0x%x)", status);
            ok = false;
        }
        ch->child = 0;
    }
    return ok;
}
