/*
 * The user-mode network (net/slirp.c): what the monitor asks of it.
 */
#ifndef NET_SLIRP_H
#define NET_SLIRP_H

#include "turtle/error.h"

/* hostfwd_add [netdev_id] [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport
 * (netdev NULL: the first -netdev user).  Errors name the rule. */
bool net_slirp_hostfwd_add(const char *netdev, const char *rule,
                           Error **errp);
/* hostfwd_remove [netdev_id] [tcp|udp]:[hostaddr]:hostport */
bool net_slirp_hostfwd_remove(const char *netdev, const char *rule,
                              Error **errp);
/* "info usernet": each stack's connections.  g_free it. */
char *net_slirp_connection_info(void);

#endif
