/*
 * Common includes and small helpers every Turtle source file starts with.
 * Include it first (after nothing) in every .c file.
 */
#ifndef TURTLE_OSDEP_H
#define TURTLE_OSDEP_H

#include "config-host.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <pthread.h>

#include <glib.h>

typedef uint64_t hwaddr;
#define HWADDR_MAX UINT64_MAX
#define HWADDR_PRIx PRIx64

#ifndef container_of
#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

#define ROUND_UP(n, d) (((n) + (d) - 1) & -(0 ? (n) : (d)))
#define ROUND_DOWN(n, d) ((n) & -(0 ? (n) : (d)))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define IS_ALIGNED(n, m) (((n) % (m)) == 0)
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define TURTLE_NORETURN __attribute__((noreturn))
#define TURTLE_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define TURTLE_UNUSED __attribute__((unused))
#define TURTLE_PACKED __attribute__((packed))
#define TURTLE_ALWAYS_INLINE inline __attribute__((always_inline))

#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

#define NANOSECONDS_PER_SECOND 1000000000LL

#include "turtle/bitops.h"
#include "turtle/bswap.h"

/* Abort with a message for states that cannot happen (host bugs only). */
#define g_assert_unreachable() g_assert_not_reached()

#endif
