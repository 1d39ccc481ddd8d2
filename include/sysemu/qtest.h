/*
 * The qtest accelerator: no CPU runs; a test process drives the machine
 * over a line protocol (see docs/qtest.md and tests/qtest/libqtest.h).
 */
#ifndef SYSEMU_QTEST_H
#define SYSEMU_QTEST_H

#include "turtle/osdep.h"
#include "turtle/error.h"

bool qtest_enabled(void);
/* spec: a chardev spec ("unix:PATH", "stdio", "chardev:ID"...);
 * log: file for a protocol trace, or NULL. */
bool qtest_server_init(const char *spec, const char *log, Error **errp);

#endif
