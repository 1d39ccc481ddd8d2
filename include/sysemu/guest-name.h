/*
 * -name: the guest's name (query-name, logs), the process's name as ps
 * and top show it, and with debug-threads=on a name for each thread
 * ("CPU 1/TCG", "CPU 0/KVM"), as QEMU names them.
 */
#ifndef SYSEMU_GUEST_NAME_H
#define SYSEMU_GUEST_NAME_H

#include "turtle/osdep.h"
#include "turtle/error.h"
#include "turtle/option.h"
#include <pthread.h>

/* -name's keys, for the option table's "-name help" */
extern const OptDesc guest_name_keys[];

/* "-name [guest=]NAME[,process=P][,debug-threads=on|off]": checked,
 * recorded, and the process renamed (process=, else NAME). */
bool guest_name_parse(const char *arg, Error **errp);
/* The guest's name, or NULL when -name gave none. */
const char *guest_name(void);
/* With debug-threads=on, give a thread a name (cut to the 15 bytes Linux
 * keeps); nothing otherwise. */
void guest_name_thread(pthread_t thread, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

#endif
