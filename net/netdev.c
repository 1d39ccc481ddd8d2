/*
 * The network command line, as QEMU's:
 *
 *   -netdev TYPE,id=ID[,...]      a back end a device takes with netdev=ID
 *   -nic TYPE[,model=M][,mac=A][,...]   a back end and a NIC on it
 *   -nic none                     no NIC at all (not even the default)
 *   -net nic[,model=M][,macaddr=A][,netdev=ID][,name=N]
 *   -net TYPE[,...]               NICs and back ends joined by hub 0
 *
 * Back ends are created while the line is parsed (so a hostfwd that cannot
 * bind fails before anything is built); NICs after the board, from the
 * board's default model unless model= names one.  With none of these
 * options the board gets QEMU's default, "-net nic -net user", unless
 * -nodefaults.
 */
#include "turtle/osdep.h"
#include "turtle/option.h"
#include "hw/core/qdev.h"
#include "net/net.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Opts, opts_free)

typedef struct NetBackend {
    const char *type;
    NetBackendInit *init;
} NetBackend;

static const NetBackend net_backends[] = {
#ifdef CONFIG_SLIRP
    { "user", net_init_user },
#endif
    { "hubport", net_init_hubport },
    { "socket", net_init_socket },
    { "stream", net_init_stream },
    { "dgram", net_init_dgram },
    { "tap", net_init_tap },
    { NULL, NULL },
};

/* A NIC the board must create once it exists. */
typedef struct NICRequest {
    char *model;                  /* NULL: the board's default */
    char *mac;                    /* NULL: a default address */
    char *id;                     /* the device id, or NULL */
    NetClientState *peer;
} NICRequest;

static GPtrArray *nic_requests;
static bool no_default_nic;
static bool net_options_given;
static unsigned nic_counter;

static const NetBackend *net_backend_find(const char *type)
{
    for (const NetBackend *b = net_backends; b->type; b++) {
        if (!strcmp(b->type, type)) {
            return b;
        }
    }
    return NULL;
}

void net_netdev_list_help(FILE *f)
{
    fprintf(f, "Available netdev backend types:\n");
    for (const NetBackend *b = net_backends; b->type; b++) {
        fprintf(f, "%s\n", b->type);
    }
}

static bool net_backend_lookup(const char *opt, const char *type,
                               const NetBackend **ret, Error **errp)
{
    g_autoptr(GString) list = g_string_new(NULL);

    if (!type) {
        error_setg(errp, "-%s: a back end type is required (-netdev help "
                   "lists them)", opt);
        return false;
    }
    *ret = net_backend_find(type);
    if (*ret) {
        return true;
    }
    for (const NetBackend *b = net_backends; b->type; b++) {
        g_string_append_printf(list, "%s%s", list->len ? ", " : "", b->type);
    }
    error_setg(errp, "-%s %s: unknown back end type '%s' (one of: %s)", opt,
               type, type, list->str);
    return false;
}

/* QEMU's rule for ids: a letter, then letters, digits, '-', '.', '_'. */
static bool net_check_id(const char *opt, const char *id, Error **errp)
{
    if (!g_ascii_isalpha(id[0])) {
        goto bad;
    }
    for (const char *p = id; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            goto bad;
        }
    }
    if (net_find_netdev(id)) {
        error_setg(errp, "-%s: Duplicate ID '%s' for netdev", opt, id);
        return false;
    }
    return true;
bad:
    error_setg(errp, "-%s: Parameter 'id' expects an identifier (a letter, "
               "then letters, digits, '-', '.', '_'): '%s'", opt, id);
    return false;
}

static void nic_request_add(const char *model, const char *mac,
                            const char *id, NetClientState *peer)
{
    NICRequest *r = g_new0(NICRequest, 1);

    if (!nic_requests) {
        nic_requests = g_ptr_array_new();
    }
    r->model = g_strdup(model);
    r->mac = g_strdup(mac);
    r->id = g_strdup(id);
    r->peer = peer;
    if (peer) {
        peer->claimed = true;
    }
    g_ptr_array_add(nic_requests, r);
}

bool net_add_netdev(const char *optarg, Error **errp)
{
    g_autoptr(Opts) o = NULL;
    const NetBackend *b;
    const char *id;

    net_options_given = true;
    o = opts_parse("netdev", optarg, "type", errp);
    if (!o || !net_backend_lookup("netdev", opts_get(o, "type"), &b, errp)) {
        return false;
    }
    id = opts_get(o, "id");
    if (!id) {
        error_setg(errp, "-netdev %s: Parameter 'id' is missing", optarg);
        return false;
    }
    if (!net_check_id("netdev", id, errp)) {
        return false;
    }
    if (!b->init(o, id, id, NULL, errp)) {
        error_prepend(errp, "-netdev %s: ", optarg);
        return false;
    }
    net_find_client(id)->is_netdev = true;
    return true;
}

bool net_add_nic(const char *optarg, Error **errp)
{
    g_autoptr(Opts) o = NULL;
    g_autofree char *name = NULL;
    const NetBackend *b;
    const char *type, *id, *model, *mac;
    NetClientState *nc;

    net_options_given = true;
    o = opts_parse("nic", optarg, "type", errp);
    if (!o) {
        return false;
    }
    type = opts_get(o, "type");
    if (type && !strcmp(type, "none")) {
        no_default_nic = true;
        return opts_check_all_used(o, errp);
    }
    if (!net_backend_lookup("nic", type, &b, errp)) {
        return false;
    }
    model = opts_get(o, "model");
    mac = opts_get(o, "mac");
    id = opts_get(o, "id");
    if (id && !net_check_id("nic", id, errp)) {
        return false;
    }
    name = id ? g_strdup(id) : g_strdup_printf("__nic%u", nic_counter++);
    if (!b->init(o, name, name, NULL, errp)) {
        error_prepend(errp, "-nic %s: ", optarg);
        return false;
    }
    nc = net_find_client(name);
    nc->is_netdev = true;
    nic_request_add(model, mac, NULL, nc);
    return true;
}

bool net_add_legacy(const char *optarg, Error **errp)
{
    g_autoptr(Opts) o = NULL;
    g_autofree char *name = NULL;
    const NetBackend *b;
    const char *type;
    NetClientState *port;

    net_options_given = true;
    o = opts_parse("net", optarg, "type", errp);
    if (!o) {
        return false;
    }
    type = opts_get(o, "type");
    if (opts_has(o, "vlan")) {
        error_setg(errp, "-net %s: 'vlan' was removed (as in QEMU); "
                   "every -net shares hub 0, or use -netdev hubport",
                   optarg);
        return false;
    }
    if (type && !strcmp(type, "none")) {
        no_default_nic = true;
        return opts_check_all_used(o, errp);
    }
    if (type && !strcmp(type, "nic")) {
        const char *model = opts_get(o, "model");
        const char *mac = opts_get(o, "macaddr");
        const char *netdev = opts_get(o, "netdev");
        const char *id = opts_get(o, "name");
        NetClientState *peer;

        opts_get(o, "id");
        if (!opts_check_all_used(o, errp)) {
            return false;
        }
        if (netdev) {
            peer = net_find_netdev(netdev);
            if (!peer || peer->claimed || peer->peer) {
                error_setg(errp, "-net %s: netdev '%s' %s", optarg, netdev,
                           peer ? "is in use" : "not found");
                return false;
            }
        } else {
            name = g_strdup_printf("__hub0nic%u", nic_counter++);
            peer = net_hub_add_port(0, name, NULL);
            peer->is_netdev = true;
        }
        nic_request_add(model, mac, id, peer);
        return true;
    }
    if (!net_backend_lookup("net", type, &b, errp)) {
        return false;
    }
    if (!strcmp(type, "hubport")) {
        error_setg(errp, "-net hubport: use -netdev hubport");
        return false;
    }
    /* the back end's name: id=, name=, or TYPE.N as QEMU */
    name = g_strdup(opts_get(o, "id"));
    if (!name) {
        name = g_strdup(opts_get(o, "name"));
    }
    if (!name) {
        static unsigned n;
        name = g_strdup_printf("%s.%u", type, n++);
    }
    port = net_hub_add_port(0, NULL, NULL);
    if (!b->init(o, NULL, name, port, errp)) {
        net_client_free(port);
        error_prepend(errp, "-net %s: ", optarg);
        return false;
    }
    return true;
}

void net_set_no_default_nic(void)
{
    no_default_nic = true;
}

static bool net_create_nic(NICRequest *r, const char *default_model,
                           Error **errp)
{
    g_autoptr(Opts) o = opts_new("device");
    const char *model = r->model ? r->model : default_model;

    if (!model) {
        error_setg(errp, "this machine has no default NIC: give one with "
                   "-nic ...,model=M or -device M,netdev=ID");
        return false;
    }
    if (!strcmp(model, "virtio")) {
        /* QEMU's shorthand: the board's virtio flavour */
        model = default_model && g_str_has_prefix(default_model, "virtio-net")
                ? default_model : "virtio-net-pci";
    }
    if (!object_class_by_name(model)) {
        error_setg(errp, "unsupported NIC model '%s' (virtio-net-device "
                   "on virt, e1000 on pc: -device help lists the NETWORK "
                   "devices)", model);
        return false;
    }
    opts_set(o, "driver", model);
    if (r->peer) {
        r->peer->claimed = false;           /* netdev= takes it now */
        opts_set(o, "netdev", r->peer->name);
    }
    if (r->mac) {
        opts_set(o, "mac", r->mac);
    }
    if (r->id) {
        opts_set(o, "id", r->id);
    }
    return qdev_device_add(o, errp) != NULL;
}

bool net_create_nics(const char *default_model, Error **errp)
{
    if (!nic_requests && !net_options_given && !no_default_nic &&
        default_model) {
#ifdef CONFIG_SLIRP
        /* QEMU's default: -net nic -net user */
        if (!net_add_legacy("nic", errp) || !net_add_legacy("user", errp)) {
            return false;
        }
#endif
    }
    for (guint i = 0; nic_requests && i < nic_requests->len; i++) {
        NICRequest *r = g_ptr_array_index(nic_requests, i);

        if (!net_create_nic(r, default_model, errp)) {
            return false;
        }
    }
    return true;
}

void net_check_clients(void)
{
    net_hub_check();
    net_check_unclaimed();
}
