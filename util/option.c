/* Command-line option strings; see turtle/option.h. */
#include "turtle/osdep.h"
#include "turtle/option.h"
#include <math.h>

static void opt_entry_free(gpointer p)
{
    OptEntry *e = p;
    g_free(e->key);
    g_free(e->value);
    g_free(e);
}

Opts *opts_new(const char *group)
{
    Opts *o = g_new0(Opts, 1);
    o->group = g_strdup(group);
    o->entries = g_ptr_array_new_with_free_func(opt_entry_free);
    return o;
}

void opts_free(Opts *opts)
{
    if (opts) {
        g_ptr_array_free(opts->entries, true);
        g_free(opts->group);
        g_free(opts);
    }
}

void opts_set(Opts *opts, const char *key, const char *value)
{
    OptEntry *e = g_new0(OptEntry, 1);
    e->key = g_strdup(key);
    e->value = g_strdup(value);
    g_ptr_array_add(opts->entries, e);
}

/* Read one item up to an unescaped ',' (or '=' when stop_at_eq). */
static const char *opts_read_item(const char *p, bool stop_at_eq, GString *out)
{
    g_string_truncate(out, 0);
    while (*p) {
        if (*p == ',') {
            if (p[1] == ',') {
                g_string_append_c(out, ',');
                p += 2;
                continue;
            }
            break;
        }
        if (stop_at_eq && *p == '=') {
            break;
        }
        g_string_append_c(out, *p++);
    }
    return p;
}

Opts *opts_parse(const char *group, const char *str, const char *implied_key,
                 Error **errp)
{
    Opts *opts = opts_new(group);
    g_autoptr(GString) key = g_string_new(NULL);
    g_autoptr(GString) val = g_string_new(NULL);
    const char *p = str;
    bool first = true;

    while (*p) {
        const char *q = opts_read_item(p, true, key);

        if (*q == '=') {
            q = opts_read_item(q + 1, false, val);
            if (key->len == 0) {
                error_setg(errp, "-%s '%s': empty option name", group, str);
                opts_free(opts);
                return NULL;
            }
            opts_set(opts, key->str, val->str);
        } else if (first && implied_key) {
            opts_set(opts, implied_key, key->str);
        } else if (key->len) {
            /* "key" alone means key=on, as QEMU accepts for booleans */
            opts_set(opts, key->str, "on");
        }
        first = false;
        p = q;
        if (*p == ',') {
            p++;
        }
    }
    return opts;
}

static OptEntry *opts_find(Opts *opts, const char *key)
{
    for (int i = opts->entries->len - 1; i >= 0; i--) {
        OptEntry *e = g_ptr_array_index(opts->entries, i);
        if (!strcmp(e->key, key)) {
            return e;
        }
    }
    return NULL;
}

const char *opts_get(Opts *opts, const char *key)
{
    OptEntry *e = opts_find(opts, key);

    if (!e) {
        return NULL;
    }
    /* every duplicate counts as consumed: last one wins */
    for (guint i = 0; i < opts->entries->len; i++) {
        OptEntry *d = g_ptr_array_index(opts->entries, i);
        if (!strcmp(d->key, key)) {
            d->used = true;
        }
    }
    return e->value;
}

bool opts_has(Opts *opts, const char *key)
{
    return opts_find(opts, key) != NULL;
}

bool opts_get_bool(Opts *opts, const char *key, bool *ret, Error **errp)
{
    const char *v = opts_get(opts, key);

    if (v && !parse_bool(v, ret)) {
        error_setg(errp, "-%s: %s='%s': expected on or off", opts->group, key, v);
        return false;
    }
    return true;
}

bool opts_get_uint(Opts *opts, const char *key, uint64_t *ret, Error **errp)
{
    const char *v = opts_get(opts, key);

    if (v && !parse_uint64(v, ret)) {
        error_setg(errp, "-%s: %s='%s': expected a non-negative number",
                   opts->group, key, v);
        return false;
    }
    return true;
}

bool opts_get_size(Opts *opts, const char *key, uint64_t *ret, Error **errp)
{
    const char *v = opts_get(opts, key);

    if (v && !parse_size(v, 1, ret)) {
        error_setg(errp, "-%s: %s='%s': expected a size (e.g. 512M, 4G)",
                   opts->group, key, v);
        return false;
    }
    return true;
}

bool opts_check_all_used(Opts *opts, Error **errp)
{
    for (guint i = 0; i < opts->entries->len; i++) {
        OptEntry *e = g_ptr_array_index(opts->entries, i);
        if (!e->used) {
            error_setg(errp, "-%s: unknown option '%s'", opts->group, e->key);
            return false;
        }
    }
    return true;
}

static const char *const opt_type_names[] = {
    [OPT_STRING] = "string",
    [OPT_BOOL] = "on|off",
    [OPT_NUMBER] = "number",
    [OPT_SIZE] = "size",
};

static const OptDesc *opt_desc_find(const OptDesc *desc, const char *key)
{
    for (; desc && desc->name; desc++) {
        if (!strcmp(desc->name, key)) {
            return desc;
        }
    }
    return NULL;
}

bool opts_validate(Opts *opts, const OptDesc *desc, Error **errp)
{
    for (guint i = 0; i < opts->entries->len; i++) {
        OptEntry *e = g_ptr_array_index(opts->entries, i);
        const OptDesc *d = opt_desc_find(desc, e->key);
        const char *expected = NULL;
        uint64_t u;
        int64_t n;
        bool b;

        if (!d) {
            error_setg(errp, "-%s: unknown option '%s'", opts->group, e->key);
            return false;
        }
        switch (d->type) {
        case OPT_STRING:
            break;
        case OPT_BOOL:
            expected = parse_bool(e->value, &b) ? NULL : "on or off";
            break;
        case OPT_NUMBER:
            expected = parse_int64(e->value, &n) ? NULL : "a number";
            break;
        case OPT_SIZE:
            expected = parse_size(e->value, 1, &u) ? NULL
                       : "a size (e.g. 512M, 4G)";
            break;
        }
        if (expected) {
            error_setg(errp, "-%s: %s='%s': expected %s", opts->group, e->key,
                       e->value, expected);
            return false;
        }
    }
    return true;
}

Opts *opts_parse_checked(const char *group, const char *str,
                         const char *implied_key, const OptDesc *desc,
                         Error **errp)
{
    Opts *o = opts_parse(group, str, implied_key, errp);

    if (o && !opts_validate(o, desc, errp)) {
        opts_free(o);
        return NULL;
    }
    return o;
}

void opts_print_help(FILE *f, const char *group, const OptDesc *desc)
{
    fprintf(f, "-%s options:\n", group);
    for (; desc && desc->name; desc++) {
        g_autofree char *left = g_strdup_printf("%s=<%s>", desc->name,
                                                opt_type_names[desc->type]);
        fprintf(f, "  %-24s %s\n", left, desc->help ? desc->help : "");
    }
}

bool parse_bool(const char *str, bool *ret)
{
    if (!strcmp(str, "on") || !strcmp(str, "yes") || !strcmp(str, "true") ||
        !strcmp(str, "1")) {
        *ret = true;
        return true;
    }
    if (!strcmp(str, "off") || !strcmp(str, "no") || !strcmp(str, "false") ||
        !strcmp(str, "0")) {
        *ret = false;
        return true;
    }
    return false;
}

bool parse_uint64(const char *str, uint64_t *ret)
{
    char *end;
    unsigned long long v;

    if (!*str || *str == '-' || g_ascii_isspace(*str)) {
        return false;
    }
    errno = 0;
    v = strtoull(str, &end, 0);
    if (errno || *end) {
        return false;
    }
    *ret = v;
    return true;
}

bool parse_int64(const char *str, int64_t *ret)
{
    char *end;
    long long v;

    if (!*str || g_ascii_isspace(*str)) {
        return false;
    }
    errno = 0;
    v = strtoll(str, &end, 0);
    if (errno || *end) {
        return false;
    }
    *ret = v;
    return true;
}

bool parse_size(const char *str, uint64_t default_unit, uint64_t *ret)
{
    char *end;
    double d;
    uint64_t unit = default_unit;

    if (!*str || *str == '-' || g_ascii_isspace(*str)) {
        return false;
    }
    /* plain integers keep full 64-bit precision */
    if (parse_uint64(str, ret)) {
        if (default_unit > 1 && *ret > UINT64_MAX / default_unit) {
            return false;
        }
        *ret *= default_unit;
        return true;
    }
    errno = 0;
    d = g_ascii_strtod(str, &end);
    if (errno || end == str || d < 0 || isnan(d)) {
        return false;
    }
    switch (g_ascii_toupper(*end)) {
    case 'B': unit = 1; break;
    case 'K': unit = KiB; break;
    case 'M': unit = MiB; break;
    case 'G': unit = GiB; break;
    case 'T': unit = GiB * 1024; break;
    case 'P': unit = GiB * 1024 * 1024; break;
    case 'E': unit = GiB * 1024 * 1024 * 1024; break;
    case '\0': break;
    default: return false;
    }
    if (*end) {
        end++;
        if (*end == 'i' || *end == 'I') {   /* accept "MiB" style */
            end++;
        }
        if (*end == 'b' || *end == 'B') {
            end++;
        }
    }
    if (*end) {
        return false;
    }
    d *= unit;
    if (d >= 18446744073709551616.0) {
        return false;
    }
    *ret = (uint64_t)d;
    return true;
}
