/* Clocks and timers; see turtle/timer.h. */
#include "turtle/osdep.h"
#include "turtle/timer.h"
#include "sysemu/main-loop.h"
#include <time.h>

typedef struct TimerList {
    QEMUTimer *active;          /* sorted by expire_time */
} TimerList;

static TimerList timer_lists[QEMU_CLOCK_MAX];
static pthread_mutex_t timers_lock = PTHREAD_MUTEX_INITIALIZER;

/* virtual clock state */
static pthread_mutex_t vclock_lock = PTHREAD_MUTEX_INITIALIZER;
static bool vclock_enabled;
static int64_t vclock_offset;     /* virtual = realtime + offset when enabled */
static int64_t vclock_frozen;     /* value while disabled */
static bool vclock_manual;
static int64_t vclock_manual_ns;

static int64_t get_clock(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

int64_t qemu_clock_get_ns(QEMUClockType type)
{
    int64_t v;

    switch (type) {
    case QEMU_CLOCK_REALTIME:
        return get_clock(CLOCK_MONOTONIC);
    case QEMU_CLOCK_HOST:
        return get_clock(CLOCK_REALTIME);
    case QEMU_CLOCK_VIRTUAL:
        pthread_mutex_lock(&vclock_lock);
        if (vclock_manual) {
            v = vclock_manual_ns;
        } else if (vclock_enabled) {
            v = get_clock(CLOCK_MONOTONIC) + vclock_offset;
        } else {
            v = vclock_frozen;
        }
        pthread_mutex_unlock(&vclock_lock);
        return v;
    default:
        g_assert_not_reached();
    }
}

void qemu_clock_enable_virtual(bool enable)
{
    pthread_mutex_lock(&vclock_lock);
    if (enable && !vclock_enabled) {
        vclock_offset = vclock_frozen - get_clock(CLOCK_MONOTONIC);
    } else if (!enable && vclock_enabled) {
        vclock_frozen = get_clock(CLOCK_MONOTONIC) + vclock_offset;
    }
    vclock_enabled = enable;
    pthread_mutex_unlock(&vclock_lock);
    main_loop_notify();
}

/* Snapshots and migration: the guest's time is the saved machine's. */
void qemu_clock_set_virtual_ns(int64_t ns)
{
    pthread_mutex_lock(&vclock_lock);
    if (vclock_manual) {
        vclock_manual_ns = ns;
    } else if (vclock_enabled) {
        vclock_offset = ns - get_clock(CLOCK_MONOTONIC);
    } else {
        vclock_frozen = ns;
    }
    pthread_mutex_unlock(&vclock_lock);
    main_loop_notify();
}

bool qemu_clock_virtual_enabled(void)
{
    return vclock_enabled;
}

void qemu_clock_set_virtual_manual(bool manual)
{
    pthread_mutex_lock(&vclock_lock);
    vclock_manual = manual;
    pthread_mutex_unlock(&vclock_lock);
}

bool qemu_clock_virtual_is_manual(void)
{
    return vclock_manual;
}

/* ---- timers ---- */

void timer_init_full(QEMUTimer *t, QEMUClockType type, int scale,
                     QEMUTimerCB *cb, void *opaque)
{
    memset(t, 0, sizeof(*t));
    t->type = type;
    t->scale = scale;
    t->cb = cb;
    t->opaque = opaque;
    t->expire_time = -1;
}

QEMUTimer *timer_new_full(QEMUClockType type, int scale, QEMUTimerCB *cb,
                          void *opaque)
{
    QEMUTimer *t = g_new0(QEMUTimer, 1);

    timer_init_full(t, type, scale, cb, opaque);
    return t;
}

static void timer_del_locked(QEMUTimer *t)
{
    QEMUTimer **pt = &timer_lists[t->type].active;

    for (; *pt; pt = &(*pt)->next) {
        if (*pt == t) {
            *pt = t->next;
            break;
        }
    }
    t->next = NULL;
    t->expire_time = -1;
}

void timer_del(QEMUTimer *t)
{
    pthread_mutex_lock(&timers_lock);
    if (t->expire_time >= 0) {
        timer_del_locked(t);
    }
    pthread_mutex_unlock(&timers_lock);
}

void timer_free(QEMUTimer *t)
{
    if (t) {
        timer_del(t);
        g_free(t);
    }
}

/* Insert in order; true if it became the first one. */
static bool timer_insert_locked(QEMUTimer *t, int64_t expire_ns)
{
    QEMUTimer **pt = &timer_lists[t->type].active;

    if (expire_ns < 0) {
        expire_ns = 0;
    }
    t->expire_time = expire_ns;
    while (*pt && (*pt)->expire_time <= expire_ns) {
        pt = &(*pt)->next;
    }
    t->next = *pt;
    *pt = t;
    return pt == &timer_lists[t->type].active;
}

void timer_mod_ns(QEMUTimer *t, int64_t expire_ns)
{
    bool first;

    pthread_mutex_lock(&timers_lock);
    if (t->expire_time >= 0) {
        timer_del_locked(t);
    }
    first = timer_insert_locked(t, expire_ns);
    pthread_mutex_unlock(&timers_lock);
    if (first) {
        main_loop_notify();
    }
}

static int64_t timer_scaled(QEMUTimer *t, int64_t expire_time)
{
    if (expire_time > INT64_MAX / t->scale) {
        return INT64_MAX;
    }
    return expire_time * t->scale;
}

void timer_mod(QEMUTimer *t, int64_t expire_time)
{
    timer_mod_ns(t, timer_scaled(t, expire_time));
}

void timer_mod_anticipate(QEMUTimer *t, int64_t expire_time)
{
    int64_t ns = timer_scaled(t, expire_time);

    if (t->expire_time < 0 || ns < t->expire_time) {
        timer_mod_ns(t, ns);
    }
}

bool timer_pending(QEMUTimer *t)
{
    return t->expire_time >= 0;
}

int64_t timer_expire_time_ns(QEMUTimer *t)
{
    return t->expire_time;
}

int64_t qemu_clock_next_expiry_ns(QEMUClockType type)
{
    int64_t exp;

    pthread_mutex_lock(&timers_lock);
    exp = timer_lists[type].active ? timer_lists[type].active->expire_time : -1;
    pthread_mutex_unlock(&timers_lock);
    return exp;
}

int64_t qemu_clock_deadline_ns(QEMUClockType type)
{
    int64_t exp, now, d;

    if (type == QEMU_CLOCK_VIRTUAL && (vclock_manual || !vclock_enabled)) {
        /* guest time only moves when the test steps it / the VM runs */
        return -1;
    }
    pthread_mutex_lock(&timers_lock);
    exp = timer_lists[type].active ? timer_lists[type].active->expire_time : -1;
    pthread_mutex_unlock(&timers_lock);
    if (exp < 0) {
        return -1;
    }
    now = qemu_clock_get_ns(type);
    d = exp - now;
    return d < 0 ? 0 : d;
}

/* Run the timers of one clock that expired at `now`. */
static bool qemu_clock_run_timers(QEMUClockType type, int64_t now)
{
    bool ran = false;

    for (;;) {
        QEMUTimer *t;

        pthread_mutex_lock(&timers_lock);
        t = timer_lists[type].active;
        if (!t || t->expire_time > now) {
            pthread_mutex_unlock(&timers_lock);
            break;
        }
        timer_lists[type].active = t->next;
        t->next = NULL;
        t->expire_time = -1;
        pthread_mutex_unlock(&timers_lock);
        t->cb(t->opaque);
        ran = true;
    }
    return ran;
}

bool qemu_clock_run_all_timers(void)
{
    bool ran = false;

    for (int c = 0; c < QEMU_CLOCK_MAX; c++) {
        if (c == QEMU_CLOCK_VIRTUAL && !vclock_manual && !vclock_enabled) {
            continue;
        }
        ran |= qemu_clock_run_timers(c, qemu_clock_get_ns(c));
    }
    return ran;
}

void qemu_clock_warp_to(int64_t dest)
{
    g_assert(vclock_manual);
    for (;;) {
        int64_t next;

        pthread_mutex_lock(&timers_lock);
        next = timer_lists[QEMU_CLOCK_VIRTUAL].active ?
               timer_lists[QEMU_CLOCK_VIRTUAL].active->expire_time : -1;
        pthread_mutex_unlock(&timers_lock);
        if (next < 0 || next > dest) {
            break;
        }
        pthread_mutex_lock(&vclock_lock);
        if (next > vclock_manual_ns) {
            vclock_manual_ns = next;
        }
        pthread_mutex_unlock(&vclock_lock);
        qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL, vclock_manual_ns);
    }
    pthread_mutex_lock(&vclock_lock);
    if (dest > vclock_manual_ns) {
        vclock_manual_ns = dest;
    }
    pthread_mutex_unlock(&vclock_lock);
    qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL, vclock_manual_ns);
}
