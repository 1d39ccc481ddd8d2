/* Accelerator registry; see accel/accel.h. */
#include "turtle/osdep.h"
#include "accel/accel.h"

static GPtrArray *accels;
static const AccelOps *current;

void accel_register(const AccelOps *ops)
{
    if (!accels) {
        accels = g_ptr_array_new();
    }
    g_ptr_array_add(accels, (gpointer)ops);
}

const AccelOps *accel_find(const char *name)
{
    for (guint i = 0; accels && i < accels->len; i++) {
        const AccelOps *ops = g_ptr_array_index(accels, i);
        if (!strcmp(ops->name, name)) {
            return ops;
        }
    }
    return NULL;
}

const AccelOps *current_accel(void)
{
    return current;
}

const char *current_accel_name(void)
{
    return current ? current->name : "none";
}

void accel_set_current(const AccelOps *ops)
{
    current = ops;
}

void accel_list_help(FILE *f, const char *target)
{
    fprintf(f, "Accelerators supported in this build:\n");
    for (guint i = 0; accels && i < accels->len; i++) {
        const AccelOps *ops = g_ptr_array_index(accels, i);
        if (ops->supports_target && !ops->supports_target(target)) {
            continue;
        }
        fprintf(f, "%-8s %s\n", ops->name, ops->help ? ops->help : "");
    }
}
