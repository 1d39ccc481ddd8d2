/*
 * Character devices: back ends (stdio, file, pipe, pty, socket, null,
 * mux...) behind one front-end interface (CharBackend) that UARTs and the
 * monitor use.
 *
 * Everything here runs in the main-loop thread with the big lock held.
 * Receive flow control: the back end asks chr_can_read() how many bytes the
 * front end accepts before calling chr_read(); a front end that was full
 * calls qemu_chr_fe_accept_input() when it has room again, and the back
 * end resumes reading.  Nothing is dropped on the receive path.
 *
 * Output never blocks: qemu_chr_fe_write() takes what the back end
 * accepts now (0 when it is full) and qemu_chr_fe_add_watch() calls back
 * once it can take more, so a front end keeps what did not fit (the
 * monitor's output buffer, a UART's FIFO) instead of stalling the thread.
 * Only qemu_chr_fe_write_all() waits, for the few users that must.
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include "hw/core/object.h"
#include "turtle/error.h"
#include <pthread.h>

typedef struct Opts Opts;
typedef struct Chardev Chardev;
typedef struct ChardevClass ChardevClass;

#define TYPE_CHARDEV "chardev"

typedef enum ChrEvent {
    CHR_EVENT_BREAK,     /* serial break */
    CHR_EVENT_OPENED,    /* a peer connected / the back end became ready */
    CHR_EVENT_MUX_IN,    /* mux: this front end now receives input */
    CHR_EVENT_MUX_OUT,   /* mux: this front end lost input focus */
    CHR_EVENT_CLOSED,    /* the peer went away */
} ChrEvent;

typedef int IOCanReadHandler(void *opaque);
/* Output room (G_IO_OUT) or hang-up; return G_SOURCE_REMOVE to stop. */
typedef gboolean FEWatchFunc(GIOCondition cond, void *opaque);
typedef void IOReadHandler(void *opaque, const uint8_t *buf, int size);
typedef void IOEventHandler(void *opaque, ChrEvent event);

/* The front end's end of the connection, embedded in the device state. */
typedef struct CharBackend {
    Chardev *chr;
    IOCanReadHandler *chr_can_read;
    IOReadHandler *chr_read;
    IOEventHandler *chr_event;
    void *opaque;
    int tag;             /* index in a mux */
    bool fe_is_open;
} CharBackend;

struct Chardev {
    Object parent_obj;
    char *label;                 /* -chardev id= */
    char *filename;              /* description for the monitor */
    CharBackend *be;             /* NULL when no front end is attached */
    pthread_mutex_t write_lock;
    bool be_open;                /* a peer is connected (sockets, ptys) */
    int logfd;                   /* logfile=, or -1 */
};

struct ChardevClass {
    ObjectClass parent_class;
    const char *backend_name;    /* "stdio", "socket", ... */
    const char *help;            /* one line for "-chardev help" */
    bool internal;               /* not creatable from -chardev */
    /* Parse options (consume the keys used) and open; *be_opened tells
     * whether to send CHR_EVENT_OPENED right away. */
    bool (*open)(Chardev *chr, Opts *opts, bool *be_opened, Error **errp);
    /* Write up to len bytes without blocking; returns bytes written
     * (0, or -1 with errno EAGAIN, when full), or -1 with errno. */
    int (*chr_write)(Chardev *chr, const uint8_t *buf, int len);
    /* An unattached source that fires when output has room (cond), or
     * NULL when there is nothing to wait on. */
    GSource *(*chr_add_watch)(Chardev *chr, GIOCondition cond);
    /* Drop the peer (a socket's client) from the main loop soon; false
     * if this back end has no peer to drop. */
    bool (*chr_disconnect)(Chardev *chr);
    /* The front end can take input again. */
    void (*chr_accept_input)(Chardev *chr);
    /* Handlers were (re)installed: start or stop polling the input. */
    void (*chr_update_read_handler)(Chardev *chr);
    void (*chr_set_fe_open)(Chardev *chr, int fe_open);
    /* For mux: a front end attaches / detaches. */
    bool (*chr_attach_fe)(Chardev *chr, CharBackend *be, Error **errp);
    void (*chr_detach_fe)(Chardev *chr, CharBackend *be);
    void (*chr_be_event)(Chardev *chr, ChrEvent event);
    void (*chr_cleanup)(Chardev *chr);
};

DECLARE_INSTANCE_CHECKER(Chardev, CHARDEV, TYPE_CHARDEV)
DECLARE_CLASS_CHECKERS(ChardevClass, CHARDEV, TYPE_CHARDEV)

/* ---- creating back ends ---- */
/* From -chardev options ("socket,id=s0,path=...,server=on"). */
Chardev *qemu_chr_new_from_opts(Opts *opts, Error **errp);
/* From a -serial/-monitor style spec: "stdio", "null", "file:PATH",
 * "pipe:PATH", "pty", "tcp:HOST:PORT[,server=on,...]", "telnet:...",
 * "unix:PATH[,...]", "/dev/TTY", "chardev:ID", "mon:stdio", "none".
 * "none" returns NULL without setting *errp (no back end); "mon:X" returns
 * a mux over X (labelled label, X is label-base) that the monitor attaches
 * to too. */
Chardev *qemu_chr_new(const char *label, const char *spec, Error **errp);
Chardev *qemu_chr_find(const char *label);
/* Every back end in creation order ("info chardev": label, filename). */
void qemu_chr_foreach(void (*fn)(Chardev *chr, void *opaque), void *opaque);
void qemu_chr_delete(Chardev *chr);
void qemu_chr_list_help(FILE *f);
/* Restore terminal modes and close everything: called on every exit path. */
void qemu_chr_cleanup_all(void);

/* ---- front end API (devices) ---- */
bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp);
void qemu_chr_fe_deinit(CharBackend *be, bool del);
static inline bool qemu_chr_fe_backend_connected(const CharBackend *be)
{
    return be->chr != NULL;
}
static inline Chardev *qemu_chr_fe_get_driver(const CharBackend *be)
{
    return be->chr;
}
void qemu_chr_fe_set_handlers(CharBackend *be, IOCanReadHandler *can_read,
                              IOReadHandler *read, IOEventHandler *event,
                              void *opaque);
/* Write what the back end takes now, never blocking; returns bytes
 * written (<= len, 0 when full), or -1 when the back end failed. */
int qemu_chr_fe_write(CharBackend *be, const uint8_t *buf, int len);
/* Block until all is written (or the back end failed); returns len or -1.
 * Not for the main loop's regular output: a peer that does not read
 * stalls the caller. */
int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len);
/* Call func from the main loop when the back end can take output again
 * (cond: G_IO_OUT, and G_IO_HUP for a peer that left).  Returns a tag for
 * qemu_chr_fe_remove_watch(); never 0 while a back end is attached (one
 * without anything to poll is retried on a short timer). */
guint qemu_chr_fe_add_watch(CharBackend *be, GIOCondition cond,
                            FEWatchFunc *func, void *opaque);
void qemu_chr_fe_remove_watch(guint tag);
/* Drop the connected peer soon (a socket: the server then serves the
 * next client); the front end gets CHR_EVENT_CLOSED from the main loop.
 * false if the back end cannot do that (stdio, a file, a pty...). */
bool qemu_chr_fe_disconnect(CharBackend *be);
void qemu_chr_fe_accept_input(CharBackend *be);
void qemu_chr_fe_printf(CharBackend *be, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- back end API (implementations) ---- */
int qemu_chr_be_can_write(Chardev *chr);
void qemu_chr_be_write(Chardev *chr, const uint8_t *buf, int len);
void qemu_chr_be_event(Chardev *chr, ChrEvent event);

#endif
