/*
 * The main loop and the big lock.
 *
 * One thread runs the main loop (GLib GMainContext): file-descriptor
 * handlers, bottom halves and timers all run there, with the big lock
 * (BQL) held.  vCPU threads take the BQL only to touch devices; the main
 * loop drops it while it sleeps in poll().
 */
#ifndef SYSEMU_MAIN_LOOP_H
#define SYSEMU_MAIN_LOOP_H

#include "turtle/osdep.h"

/* ---- the big lock ---- */
void bql_lock(void);
void bql_unlock(void);
bool bql_locked(void);            /* held by this thread */
/* Wait on cond, releasing the BQL meanwhile (caller holds it). */
void bql_cond_wait(pthread_cond_t *cond);
void bql_cond_timedwait_ms(pthread_cond_t *cond, int ms);

/* ---- the loop ---- */
void main_loop_init(void);
/* One iteration; blocks for at most timeout_ms (-1: until an event). */
void main_loop_wait(int timeout_ms);
/* Runs until a shutdown request ends the VM; returns the exit status. */
int main_loop_run(void);
/* Wake the main loop from any thread (after changing a timer or state). */
void main_loop_notify(void);
GMainContext *main_loop_context(void);

/* ---- file descriptors ---- */
typedef void IOHandler(void *opaque);
/* Set or replace the handlers for fd; both NULL removes it. */
void qemu_set_fd_handler(int fd, IOHandler *fd_read, IOHandler *fd_write,
                         void *opaque);

/* ---- bottom halves: run once, soon, in the main loop ---- */
typedef struct QEMUBH QEMUBH;
typedef void QEMUBHFunc(void *opaque);
QEMUBH *qemu_bh_new(QEMUBHFunc *cb, void *opaque);
/* A device's bottom half: its DMA cannot re-enter the device's regions
 * (guard = &DEVICE(dev)->mem_reentrancy_guard; see exec/memory.h). */
typedef struct MemReentrancyGuard MemReentrancyGuard;
QEMUBH *qemu_bh_new_guarded(QEMUBHFunc *cb, void *opaque,
                            MemReentrancyGuard *guard);
void qemu_bh_schedule(QEMUBH *bh);     /* thread-safe */
void qemu_bh_cancel(QEMUBH *bh);
void qemu_bh_delete(QEMUBH *bh);

#endif
