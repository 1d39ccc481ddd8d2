/*
 * Clocks and timers.
 *
 *   QEMU_CLOCK_REALTIME  host monotonic time; always runs
 *   QEMU_CLOCK_VIRTUAL   guest time: stops while the VM is paused; under
 *                        -accel qtest it moves only when the test steps it
 *   QEMU_CLOCK_HOST      host wall-clock time (RTCs), follows date changes
 *
 * Timers fire in the main-loop thread with the big lock held.  timer_mod
 * and timer_del may be called from any thread.
 */
#ifndef TURTLE_TIMER_H
#define TURTLE_TIMER_H

#include "turtle/osdep.h"

typedef enum QEMUClockType {
    QEMU_CLOCK_REALTIME = 0,
    QEMU_CLOCK_VIRTUAL = 1,
    QEMU_CLOCK_HOST = 2,
    QEMU_CLOCK_MAX
} QEMUClockType;

#define SCALE_MS 1000000
#define SCALE_US 1000
#define SCALE_NS 1

typedef struct QEMUTimer QEMUTimer;
typedef void QEMUTimerCB(void *opaque);

struct QEMUTimer {
    int64_t expire_time;       /* in ns; -1 when not armed */
    QEMUClockType type;
    QEMUTimerCB *cb;
    void *opaque;
    int scale;
    QEMUTimer *next;
};

int64_t qemu_clock_get_ns(QEMUClockType type);
static inline int64_t qemu_clock_get_ms(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / SCALE_MS;
}
static inline int64_t qemu_clock_get_us(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / SCALE_US;
}

QEMUTimer *timer_new_full(QEMUClockType type, int scale, QEMUTimerCB *cb,
                          void *opaque);
static inline QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new_full(type, SCALE_NS, cb, opaque);
}
static inline QEMUTimer *timer_new_us(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new_full(type, SCALE_US, cb, opaque);
}
static inline QEMUTimer *timer_new_ms(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new_full(type, SCALE_MS, cb, opaque);
}
/* For timers embedded in device state. */
void timer_init_full(QEMUTimer *t, QEMUClockType type, int scale,
                     QEMUTimerCB *cb, void *opaque);
void timer_free(QEMUTimer *t);
/* Arm at an absolute time in the timer's scale (replaces any earlier). */
void timer_mod(QEMUTimer *t, int64_t expire_time);
void timer_mod_ns(QEMUTimer *t, int64_t expire_ns);
/* Arm only if not armed or expire_time is earlier. */
void timer_mod_anticipate(QEMUTimer *t, int64_t expire_time);
void timer_del(QEMUTimer *t);
bool timer_pending(QEMUTimer *t);
int64_t timer_expire_time_ns(QEMUTimer *t);   /* -1 if not armed */

/* ---- clock control (run state, qtest) ---- */
void qemu_clock_enable_virtual(bool enable);   /* stop/start guest time */
bool qemu_clock_virtual_enabled(void);
/* Set the virtual clock's value (loadvm, incoming migration). */
void qemu_clock_set_virtual_ns(int64_t ns);
/* qtest: virtual time is set by the test, not the host. */
void qemu_clock_set_virtual_manual(bool manual);
bool qemu_clock_virtual_is_manual(void);
/* qtest: advance virtual time to dest, firing timers in order. */
void qemu_clock_warp_to(int64_t dest_ns);
/* Absolute expiry (ns) of a clock's earliest armed timer, or -1; unlike
 * qemu_clock_deadline_ns also under manual virtual time (qtest). */
int64_t qemu_clock_next_expiry_ns(QEMUClockType type);
/* Next deadline of a clock in ns from now, or -1. */
int64_t qemu_clock_deadline_ns(QEMUClockType type);
/* Fire expired timers of every clock; true if any ran. */
bool qemu_clock_run_all_timers(void);

#endif
