/*
 * HMP network commands (net/ does the work), with QEMU's syntax and
 * messages:
 *   hostfwd_add [netdev_id] [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport
 *   hostfwd_remove [netdev_id] [tcp|udp]:[hostaddr]:hostport
 *   set_link name on|off
 *   info network, info usernet
 * QMP reaches them through human-monitor-command.
 */
#include "turtle/osdep.h"
#include "turtle/option.h"
#include "monitor/hmp-internal.h"
#include "net/net.h"
#include "net/slirp.h"

/* "[netdev_id] rule": the rule is the last word */
static bool hmp_net_args(HMPArgs *a, char **id, char **rule)
{
    char *w1 = hmp_arg_word(a);
    char *w2 = w1 ? hmp_arg_word(a) : NULL;

    if (!w1) {
        hmp_arg_error(a, "%s: missing argument 'rule'", a->help_name);
        return false;
    }
    if (!hmp_args_end(a)) {
        g_free(w1);
        g_free(w2);
        return false;
    }
    *id = w2 ? w1 : NULL;
    *rule = w2 ? w2 : w1;
    return true;
}

static void hmp_hostfwd_add(HMPArgs *a)
{
    g_autofree char *id = NULL, *rule = NULL;
    Error *err = NULL;

    if (!hmp_net_args(a, &id, &rule)) {
        return;
    }
#ifdef CONFIG_SLIRP
    if (!net_slirp_hostfwd_add(id, rule, &err)) {
        mon_printf(a->mon, "%s\n", error_get_pretty(err));
        error_free(err);
    }
#else
    (void)err;
    mon_printf(a->mon, "this build has no user-mode networking (libslirp)\n");
#endif
}

static void hmp_hostfwd_remove(HMPArgs *a)
{
    g_autofree char *id = NULL, *rule = NULL;
    Error *err = NULL;

    if (!hmp_net_args(a, &id, &rule)) {
        return;
    }
#ifdef CONFIG_SLIRP
    if (net_slirp_hostfwd_remove(id, rule, &err)) {
        mon_printf(a->mon, "host forwarding rule for %s removed\n", rule);
    } else {
        mon_printf(a->mon, "%s\n", error_get_pretty(err));
        error_free(err);
    }
#else
    (void)err;
    mon_printf(a->mon, "this build has no user-mode networking (libslirp)\n");
#endif
}

static void hmp_set_link(HMPArgs *a)
{
    g_autofree char *name = hmp_arg_word(a);
    g_autofree char *state = name ? hmp_arg_word(a) : NULL;
    NetClientState *nc;
    bool up;

    if (!state) {
        hmp_arg_error(a, "%s: missing argument '%s'", a->help_name,
                      name ? "up" : "name");
        return;
    }
    if (!hmp_args_end(a)) {
        return;
    }
    if (!parse_bool(state, &up)) {
        mon_printf(a->mon, "Error: 'up' expects on or off, not '%s'\n", state);
        return;
    }
    nc = net_find_client(name);
    if (!nc) {
        mon_printf(a->mon, "Error: Device '%s' not found\n", name);
        return;
    }
    net_set_link(nc, up);
}

static void hmp_info_network_cb(FILE *f, void *opaque)
{
    net_print_info(f);
}

static void hmp_info_network(HMPArgs *a)
{
    if (hmp_args_end(a)) {
        mon_print_file(a->mon, hmp_info_network_cb, NULL);
    }
}

static void hmp_info_usernet(HMPArgs *a)
{
    if (hmp_args_end(a)) {
#ifdef CONFIG_SLIRP
        g_autofree char *s = net_slirp_connection_info();

        mon_printf(a->mon, "%s", s);
#endif
    }
}

const HMPCommand hmp_net_commands[] = {
    { "hostfwd_add", "[netdev_id] [tcp|udp]:[hostaddr]:hostport-"
      "[guestaddr]:guestport", "redirect TCP or UDP connections from host "
      "to guest (requires -net user)", hmp_hostfwd_add },
    { "hostfwd_remove", "[netdev_id] [tcp|udp]:[hostaddr]:hostport",
      "remove host-to-guest TCP or UDP redirection", hmp_hostfwd_remove },
    { "set_link", "name on|off", "change the link status of a network "
      "adapter", hmp_set_link },
    { NULL },
};

const HMPCommand hmp_net_info_commands[] = {
    { "network", "", "show the network state", hmp_info_network },
    { "usernet", "", "show user network stack connection states",
      hmp_info_usernet },
    { NULL },
};
