/*
 * libmonitor: a turtle process running a guest that never stops working
 * (an arm64 "Image" that increments a word of RAM forever, under TCG on
 * the virt board), for tests of the monitors around it: start it with
 * monitor sockets in a private directory, check that the guest still
 * runs, wait for its exit, and talk to its sockets without ever blocking
 * the test.
 */
#ifndef LIBMONITOR_H
#define LIBMONITOR_H

#include "libqtest.h"
#include "libqmp.h"
#include <stdbool.h>
#include <sys/types.h>

#define HMP_PROMPT "(qemu) "
/* the guest's counter, as an HMP command and as a physical address */
#define COUNTER_ADDR 0x41000000
#define XP_COUNTER "xp /1xw 0x41000000"

typedef struct Turtle {
    GPid pid;
    char *dir;          /* private: sockets, the guest image, stderr.log */
} Turtle;

/* Start turtle on the counter guest with extra arguments (a format whose
 * %1$s is the private directory).  stderr goes to DIR/stderr.log when
 * quiet_stderr, else to the test's. */
void turtle_start(Turtle *t, const char *extra_fmt, bool quiet_stderr);
/* DIR/name; g_free it. */
char *turtle_path(Turtle *t, const char *name);
/* Wait for the exit (failing the test after timeout_ms); returns the exit
 * status.  Being killed by a signal fails the test. */
int turtle_wait(Turtle *t, int timeout_ms);
/* Has turtle ended?  Sets *status (waitpid's) when it has. */
bool turtle_exited(Turtle *t, int *status);
/* Resident memory now and at its peak (kB), from /proc. */
void turtle_memory(Turtle *t, long *rss_kb, long *hwm_kb);
void turtle_cleanup(Turtle *t);

/* A negotiated QMP client on DIR/sock. */
QMPClient qmp_open(Turtle *t, const char *sock);
/* A command that must succeed. */
void qmp_ok(QMPClient *c, const char *cmd);
uint32_t guest_counter(QMPClient *c);
/* The guest runs: its counter moves (within QMP_TIMEOUT_MS). */
void assert_guest_runs(QMPClient *c);

/* The human monitor: a client on DIR/sock past its banner; its output up
 * to and including the next prompt; text sent whole; a command line run,
 * returning what it printed (the echo removed). */
int hmp_open(Turtle *t, const char *sock);
char *hmp_read_prompt(int fd);
void hmp_send(int fd, const char *text);
char *hmp_cmd(int fd, const char *line);

/* Send what the socket takes now, never blocking; returns bytes sent. */
size_t send_nonblocking(int fd, const char *buf, size_t len);
/* Read until the peer closes or timeout_ms passes; returns what came. */
GString *read_all(int fd, int timeout_ms, bool *eof);
unsigned count_of(const char *hay, const char *needle);

#endif
