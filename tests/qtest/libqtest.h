/*
 * libqtest: drive a turtle process running "-accel qtest" from a GTest
 * program.  See docs/qtest.md for the protocol and an example.
 *
 *     QTestState *qts = qtest_init("-device pl011,addr=0x9000000");
 *     g_assert_cmphex(qtest_readl(qts, 0x9000fe0), ==, 0x11);
 *     qtest_quit(qts);
 *
 * Every helper fails the test (g_assert) when the emulator answers FAIL,
 * goes away, or does not answer within the timeout.
 */
#ifndef LIBQTEST_H
#define LIBQTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <glib.h>

typedef struct QTestState QTestState;

/* The emulator: $TURTLE_BINARY, else the build's default for this test. */
const char *qtest_binary(void);

/* Start "-M none -accel qtest ... -display none -nodefaults EXTRA";
 * a -M/-machine in extra_args replaces the default machine. */
QTestState *qtest_init(const char *extra_args);
QTestState *qtest_initf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* End the process (closing the connection first, then signals if it does
 * not exit) and fail the test if it crashed or exited non-zero. */
void qtest_quit(QTestState *s);
/* A private directory for sockets and files, removed by qtest_quit. */
const char *qtest_tmpdir(QTestState *s);

/* Send one command line; returns the answer ("OK ..." or "FAIL ...")
 * without asserting.  Free with g_free. */
char *qtest_raw(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Like qtest_raw, but asserts "OK" and returns what follows it. */
char *qtest_cmd(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);
void qtest_writeb(QTestState *s, uint64_t addr, uint8_t val);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t val);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t val);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t val);
uint8_t qtest_inb(QTestState *s, uint16_t port);
uint16_t qtest_inw(QTestState *s, uint16_t port);
uint32_t qtest_inl(QTestState *s, uint16_t port);
void qtest_outb(QTestState *s, uint16_t port, uint8_t val);
void qtest_outw(QTestState *s, uint16_t port, uint16_t val);
void qtest_outl(QTestState *s, uint16_t port, uint32_t val);
void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t size);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t val, size_t size);
/* The same through base64 (b64read/b64write): denser for large blobs. */
void qtest_bufread(QTestState *s, uint64_t addr, void *buf, size_t size);
void qtest_bufwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size);

/* Virtual clock: each returns the new time in ns. */
int64_t qtest_clock_step(QTestState *s, int64_t ns);
int64_t qtest_clock_step_next(QTestState *s);   /* to the next timer */
int64_t qtest_clock_set(QTestState *s, int64_t ns);

/* IRQ lines: intercept a device's gpio inputs or outputs, then read the
 * last level reported for line n. */
void qtest_irq_intercept_in(QTestState *s, const char *devid);
void qtest_irq_intercept_out(QTestState *s, const char *devid);
bool qtest_get_irq(QTestState *s, int n);
void qtest_set_irq_in(QTestState *s, const char *devid, const char *name,
                      int n, int level);
void qtest_system_reset(QTestState *s);
/* Later memory and I/O accesses are CPU n's (per-CPU windows such as the
 * local APIC's); -1: no CPU, as a device's access. */
void qtest_set_cpu(QTestState *s, int n);
/* Wait for turtle to exit by itself (guest poweroff...): its exit status
 * (128 + signal for a crash), -1 on timeout.  qtest_quit still follows. */
int qtest_wait_exit(QTestState *s, int timeout_ms);

/* Unix stream sockets for chardevs: listen before qtest_init (turtle
 * connects while it starts), accept after it.  -1 on timeout. */
int qtest_socket_server(const char *path);
int qtest_socket_accept(int listen_fd);
/* Read exactly len bytes from fd within timeout_ms; returns bytes read. */
size_t qtest_socket_read(int fd, void *buf, size_t len, int timeout_ms);

/* Run binary with args (shell words, no shell) to completion; returns the
 * exit status, or 128 + signal for a death by signal.  *out / *err (may
 * be NULL) receive the process's stdout / stderr. */
int qtest_run(const char *binary, const char *args, char **out, char **err);

#endif
