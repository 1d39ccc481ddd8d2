/*
 * "-opt first,key=value,key2=value2" parsing, following QEMU's syntax:
 * a leading bare word is the value of an implied key (the driver, the
 * machine type, the backend...), ",," is a literal comma, a bare "key" means
 * "key=on".  Consumers take the keys they understand; anything left over is
 * reported by opts_check_all_used() so no option is silently ignored.
 */
#ifndef TURTLE_OPTION_H
#define TURTLE_OPTION_H

#include "turtle/osdep.h"
#include "turtle/error.h"

typedef struct OptEntry {
    char *key;
    char *value;
    bool used;
} OptEntry;

typedef struct Opts {
    char *group;          /* "device", "chardev", ... for error messages */
    GPtrArray *entries;   /* of OptEntry* in command-line order */
} Opts;

/* implied_key may be NULL: then a bare leading word is "word=on". */
Opts *opts_parse(const char *group, const char *str, const char *implied_key,
                 Error **errp);
void opts_free(Opts *opts);
Opts *opts_new(const char *group);
void opts_set(Opts *opts, const char *key, const char *value);

/* Get a value and mark it used; NULL if absent.  Last one wins. */
const char *opts_get(Opts *opts, const char *key);
bool opts_has(Opts *opts, const char *key);
/* Typed getters: false with *errp set on a malformed value; *ret untouched
 * if the key is absent. */
bool opts_get_bool(Opts *opts, const char *key, bool *ret, Error **errp);
bool opts_get_uint(Opts *opts, const char *key, uint64_t *ret, Error **errp);
bool opts_get_size(Opts *opts, const char *key, uint64_t *ret, Error **errp);
/* Error naming the first key no consumer took. */
bool opts_check_all_used(Opts *opts, Error **errp);

/*
 * The keys an option accepts, for checking a whole option string at once
 * and for "-opt help".  An array ends with a { NULL } entry.
 */
typedef enum OptType {
    OPT_STRING,
    OPT_BOOL,               /* on/off, yes/no, true/false, 1/0 */
    OPT_NUMBER,             /* decimal, 0x hex; signed allowed */
    OPT_SIZE,               /* 512, 64k, 4G */
} OptType;

typedef struct OptDesc {
    const char *name;
    OptType type;
    const char *help;
} OptDesc;

/*
 * opts_parse() and then every key checked against desc: an unknown key or
 * a value of the wrong type is an error in the one format every option
 * uses ("-GROUP: unknown option 'KEY'", "-GROUP: KEY='VALUE': expected ...").
 * Keys stay unconsumed for the caller's opts_get().
 */
Opts *opts_parse_checked(const char *group, const char *str,
                         const char *implied_key, const OptDesc *desc,
                         Error **errp);
bool opts_validate(Opts *opts, const OptDesc *desc, Error **errp);
/* "-GROUP options:" and one line per key, as "-opt help" prints them. */
void opts_print_help(FILE *f, const char *group, const OptDesc *desc);

/* Value parsers shared with qdev properties and the monitor. */
bool parse_bool(const char *str, bool *ret);
/* Decimal, 0x hex or 0 octal; whole string must parse. */
bool parse_uint64(const char *str, uint64_t *ret);
bool parse_int64(const char *str, int64_t *ret);
/* "512", "512M", "4G", "1.5G", "64k": default unit given; suffix KMGTPE. */
bool parse_size(const char *str, uint64_t default_unit, uint64_t *ret);

#endif
