/*
 * What the human monitor and QMP share: one client connection on a
 * chardev, with an output buffer that is written only when the back end
 * takes it, and input flow control that follows the output.
 *
 * No monitor ever waits for its client:
 *  - replies and events go to the client's output buffer, written from
 *    the main loop whenever the chardev can take more;
 *  - while that buffer holds more than MONITOR_OUT_HIGH the monitor stops
 *    reading requests (what was received stays in a small input backlog),
 *    so a client that sends without reading costs at most one reply more;
 *  - events are added up to MONITOR_OUT_MAX; one more means the client is
 *    not reading: a socket client is disconnected (the server then takes
 *    the next one), on other back ends the events that do not fit are
 *    dropped with one warning;
 *  - a client that takes none of its output for MONITOR_STALL_MS while
 *    more than MONITOR_OUT_HIGH waits is not reading either: a socket
 *    client is disconnected then too, so that it does not hold the
 *    socket (which serves one client at a time) forever.
 * Each monitor is one client: several -qmp/-mon options give several
 * independent ones.
 */
#ifndef MONITOR_MONITOR_INTERNAL_H
#define MONITOR_MONITOR_INTERNAL_H

#include "turtle/osdep.h"
#include "chardev/char.h"
#include "turtle/timer.h"

#define MONITOR_OUT_HIGH   (64 * 1024)
#define MONITOR_OUT_MAX    (1024 * 1024)
#define MONITOR_IN_CHUNK   4096
/* TURTLE_MONITOR_STALL_MS in the environment changes it (tests) */
#define MONITOR_STALL_MS   30000

typedef struct Monitor Monitor;

struct Monitor {
    CharBackend chr;
    const char *kind;           /* "QMP" or "HMP", for messages */
    /* Take some input; returns how much was used (less when the output
     * is full and the rest must wait). */
    size_t (*consume)(Monitor *mon, const uint8_t *buf, size_t len);
    void (*event)(Monitor *mon, ChrEvent ev);

    GString *out;               /* output not yet taken by the chardev */
    size_t out_pos;             /* first byte of out still to write */
    guint out_watch;
    QEMUTimer *stall_timer;     /* armed while output is stuck */
    bool out_dropping;          /* being disconnected: discard output */
    bool out_warned;
    GByteArray *in_backlog;     /* received, not yet consumed */
    bool in_stalled;            /* can_read said no: accept_input later */
    bool consuming;             /* inside consume() */
    unsigned generation;        /* bumped when the connection resets */
};

/* Attach mon to chr; consume and event must be set. */
bool monitor_attach(Monitor *mon, Chardev *chr, Error **errp);
/* Output: always queued (replies, prompts). */
void monitor_write(Monitor *mon, const char *buf, size_t len);
/* Output that may be refused when the client does not read (events). */
void monitor_write_event(Monitor *mon, const char *buf, size_t len);
size_t monitor_out_pending(const Monitor *mon);
/* Above the high-water mark: stop consuming requests. */
bool monitor_out_full(const Monitor *mon);
/* Forget buffered output and input (the peer went away). */
void monitor_reset_io(Monitor *mon);

#endif
