/*
 * Private to chardev/: the fd-based base type shared by stdio, file,
 * pipe, pty and socket, and the hooks the core needs from the mux.
 */
#ifndef CHARDEV_CHAR_INTERNAL_H
#define CHARDEV_CHAR_INTERNAL_H

#include "chardev/char.h"

#define TYPE_CHARDEV_FD     "chardev-fd"
#define TYPE_CHARDEV_MUX    "chardev-mux"
#define TYPE_CHARDEV_SOCKET "chardev-socket"
#define TYPE_CHARDEV_STDIO  "chardev-stdio"

/*
 * A back end reading fd_in and writing fd_out.  fd_in is polled only while
 * the front end can take input (flow control); reading resumes when the
 * front end calls qemu_chr_fe_accept_input().
 */
typedef struct FDChardev {
    Chardev parent_obj;
    int fd_in;            /* -1: no input */
    int fd_out;           /* -1: output is discarded */
    bool close_fds;       /* ours to close on cleanup (not 0/1/2) */
    bool out_is_socket;   /* fd_out: send(MSG_DONTWAIT), never blocks */
    bool reading;         /* the read handler is installed */
    bool in_eof;          /* fd_in reached end of file */
    GSource *throttle;    /* re-checks a full front end now and then */
    /* End of file or error on fd_in; NULL: just stop reading. */
    void (*in_closed)(Chardev *chr);
    /* Rewrite input in place before delivery (telnet); new length. */
    int (*in_filter)(Chardev *chr, uint8_t *buf, int len);
} FDChardev;

DECLARE_INSTANCE_CHECKER(FDChardev, FD_CHARDEV, TYPE_CHARDEV_FD)

/* Start using fds (either may be -1); starts the input watch. */
void fd_chr_attach(Chardev *chr, int fd_in, int fd_out, bool close_fds);
/* Stop watching fd_in and forget both fds, closing them if ours. */
void fd_chr_detach(Chardev *chr);
/* Poll fd_in iff the front end can read: call after anything changed. */
void fd_chr_update_read(Chardev *chr);
bool fd_set_nonblock(int fd, bool nonblock);

/* The fd a blocked writer should poll for POLLOUT, or -1. */
int chr_get_out_fd(Chardev *chr);
bool chr_is_mux(Chardev *chr);

/* char-mux.c */
void mux_fe_handlers_set(Chardev *mux, CharBackend *be);
Chardev *mux_get_base(Chardev *mux);

/* char-socket.c: remove a listening Unix socket's path (at exit). */
void socket_chr_unlink(Chardev *chr);

/* char-stdio.c: put the terminal back as we found it (idempotent). */
void stdio_term_restore(void);

/* Id rules shared with -chardev: a letter, then letters, digits, -._ */
bool chr_id_wellformed(const char *id);

#endif
