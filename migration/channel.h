/*
 * Where a migration stream goes or comes from, by QEMU's URIs:
 *
 *   tcp:HOST:PORT   source connects, destination listens (one peer)
 *   unix:PATH       the same on a Unix socket
 *   exec:CMD        sh -c CMD: source writes its stdin, destination reads
 *                   its stdout
 *   file:PATH       a file written by the source, read by the destination
 *
 * Sockets are two-way, so the destination can answer the source (the
 * "return path": the source learns whether the load worked and keeps
 * running if not); exec and file are one-way.
 */
#ifndef MIGRATION_CHANNEL_H
#define MIGRATION_CHANNEL_H

#include "turtle/osdep.h"
#include "turtle/error.h"

typedef struct MigChannel {
    int fd;
    bool two_way;         /* a socket: the peer can answer */
    pid_t child;          /* exec: the command's process, or 0 */
    int listen_fd;        /* destination socket before accept, or -1 */
    char *unix_path;      /* destination's socket file, removed at close */
} MigChannel;

/* Source side: connect / open / spawn now. */
bool mig_channel_connect(const char *uri, MigChannel *ch, Error **errp);
/* Destination side: listen or open now (errors at once, as QEMU's
 * -incoming); mig_channel_accept() then waits for the peer. */
bool mig_channel_listen(const char *uri, MigChannel *ch, Error **errp);
bool mig_channel_accept(MigChannel *ch, Error **errp);
/* Close; for exec, wait for the command and fail if it did. */
bool mig_channel_close(MigChannel *ch, Error **errp);

#endif
