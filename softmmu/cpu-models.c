/* -cpu NAME lookup for the executable's target; see sysemu/target-info.h. */
#include "turtle/osdep.h"
#include "sysemu/target-info.h"
#include "hw/core/cpu.h"

char *target_cpu_type_from_model(const char *model, Error **errp)
{
    char *type = g_strconcat(model, turtle_target.cpu_type_suffix, NULL);
    ObjectClass *oc = object_class_by_name(type);

    if (!oc || object_class_is_abstract(oc) ||
        !object_class_dynamic_cast(oc, turtle_target.cpu_base_type)) {
        error_setg(errp, "unable to find CPU model '%s'", model);
        error_append_hint(errp, "Try '-cpu help' for the list of models.\n");
        g_free(type);
        return NULL;
    }
    return type;
}

void target_cpu_list_help(FILE *f)
{
    GSList *list = object_class_get_list(turtle_target.cpu_base_type, false);
    size_t slen = strlen(turtle_target.cpu_type_suffix);

    fprintf(f, "Available CPUs:\n");
    if (!list) {
        fprintf(f, "  (none: this build has no %s CPU models yet)\n",
                turtle_target.name);
    }
    for (GSList *l = list; l; l = l->next) {
        const char *tname = object_class_get_name(l->data);
        DeviceClass *dc = DEVICE_CLASS(l->data);
        size_t len = strlen(tname);
        fprintf(f, "  %-20.*s %s\n", (int)(len > slen ? len - slen : len), tname,
                dc->desc ? dc->desc : "");
    }
    g_slist_free(list);
}
