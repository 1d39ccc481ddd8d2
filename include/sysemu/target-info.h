/*
 * What the executable's guest architecture is.  Each target folder defines
 * `turtle_target` (target/<arch>/target-info.c), linked only into that
 * target's executable; common code asks here instead of #ifdefs.
 */
#ifndef SYSEMU_TARGET_INFO_H
#define SYSEMU_TARGET_INFO_H

#include "hw/core/object.h"
#include "turtle/error.h"

struct TCGTargetInfo;

typedef struct TargetInfo {
    const char *name;               /* "aarch64", "x86_64" */
    const char *cpu_base_type;      /* abstract type every CPU model derives from */
    const char *cpu_type_suffix;    /* "-arm-cpu": -cpu NAME is type NAME+suffix */
    const char *default_machine;    /* when no -M is given */
    /* TCG code generator parameters (page size, TLB offset...), or NULL
     * when the target has no TCG front end yet */
    const struct TCGTargetInfo *tcg;
} TargetInfo;

extern const TargetInfo turtle_target;

/* -cpu NAME -> the CPU type name, or NULL with errp set. */
char *target_cpu_type_from_model(const char *model, Error **errp);
void target_cpu_list_help(FILE *f);

#endif
