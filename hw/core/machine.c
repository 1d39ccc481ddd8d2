/* Machine types; see hw/core/boards.h. */
#include "turtle/osdep.h"
#include "hw/core/boards.h"
#include "chardev/char.h"

MachineState *current_machine;

static void machine_class_base_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);
    const char *tname = object_class_get_name(oc);
    size_t len = strlen(tname), slen = strlen(MACHINE_TYPE_SUFFIX);

    /* "virt-machine" -> "virt" */
    if (len > slen && !strcmp(tname + len - slen, MACHINE_TYPE_SUFFIX)) {
        mc->name = g_strndup(tname, len - slen);
    }
}

static const TypeInfo machine_info = {
    .name = TYPE_MACHINE,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(MachineState),
    .class_size = sizeof(MachineClass),
    .class_base_init = machine_class_base_init,
    .abstract = true,
};

TYPE_REGISTER(machine_info)

static bool machine_matches_target(MachineClass *mc, const char *target)
{
    return !mc->target || !target || !strcmp(mc->target, target);
}

MachineClass *machine_find_class(const char *name, const char *target)
{
    GSList *list = object_class_get_list(TYPE_MACHINE, false);
    MachineClass *found = NULL;

    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        if (!machine_matches_target(mc, target) || !mc->name) {
            continue;
        }
        if (!strcmp(mc->name, name) || (mc->alias && !strcmp(mc->alias, name)) ||
            (mc->qemu_name && !strcmp(mc->qemu_name, name))) {
            found = mc;
            break;
        }
    }
    g_slist_free(list);
    return found;
}

MachineClass *machine_default_class(const char *target)
{
    GSList *list = object_class_get_list(TYPE_MACHINE, false);
    MachineClass *found = NULL;

    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        if (mc->is_default && machine_matches_target(mc, target)) {
            found = mc;
            break;
        }
    }
    g_slist_free(list);
    return found;
}

void machine_list_help(FILE *f, const char *target)
{
    GSList *list = object_class_get_list(TYPE_MACHINE, false);

    fprintf(f, "Supported machines are:\n");
    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        if (!machine_matches_target(mc, target) || !mc->name) {
            continue;
        }
        if (mc->alias) {
            fprintf(f, "%-20s %s (alias of %s)\n", mc->alias, mc->desc, mc->name);
        }
        fprintf(f, "%-20s %s%s\n", mc->name, mc->desc ? mc->desc : "",
                mc->is_default ? " (default)" : "");
    }
    g_slist_free(list);
}

bool machine_alloc_ram(MachineState *ms, Error **errp)
{
    ms->ram = g_new0(MemoryRegion, 1);
    if (!memory_region_init_ram(ms->ram, OBJECT(ms), "ram", ms->ram_size, errp)) {
        g_free(ms->ram);
        ms->ram = NULL;
        return false;
    }
    return true;
}

Chardev *serial_hd(int n)
{
    if (!current_machine || n < 0 || n >= current_machine->nb_serial) {
        return NULL;
    }
    return current_machine->serial_hds[n];
}
