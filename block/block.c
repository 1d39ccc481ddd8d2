/*
 * Block nodes: the driver list, opening an image (protocol, format,
 * backing chain), node names, references, creation, and the calls that
 * forward to the format driver (info, check, snapshots).  I/O is in
 * block/io.c.
 */
#include "turtle/osdep.h"
#include "block/block_int.h"
#include "turtle/option.h"
#include <sys/stat.h>
#include <libgen.h>

/* Backing chains deeper than this are refused (each level is an open
 * file; a chain this long is a loop or an attack). */
#define BACKING_CHAIN_MAX_DEPTH 256

static BlockDriver *const block_drivers[] = {
    &bdrv_file,
    &bdrv_raw,
    &bdrv_qcow2,
};

static GList *all_nodes;                 /* every open node */
static pthread_mutex_t nodes_lock = PTHREAD_MUTEX_INITIALIZER;

void bdrv_register(BlockDriver *drv)
{
    /* drivers are the static list above; kept for symmetry with tests */
    (void)drv;
}

BlockDriver *bdrv_find_format(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(block_drivers); i++) {
        if (!strcmp(block_drivers[i]->format_name, name)) {
            return block_drivers[i];
        }
    }
    if (!strcmp(name, "host_device")) {
        return &bdrv_file;      /* QEMU's name for a block device */
    }
    return NULL;
}

void bdrv_list_formats(GString *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(block_drivers); i++) {
        g_string_append_printf(out, "%s%s", i ? " " : "",
                               block_drivers[i]->format_name);
    }
}

bool prealloc_mode_parse(const char *s, PreallocMode *mode)
{
    static const char *const names[] = { "off", "metadata", "falloc",
                                         "full" };

    for (int i = 0; i < 4; i++) {
        if (!strcmp(s, names[i])) {
            *mode = (PreallocMode)i;
            return true;
        }
    }
    return false;
}

const char *prealloc_mode_name(PreallocMode mode)
{
    static const char *const names[] = { "off", "metadata", "falloc",
                                         "full" };
    return names[mode];
}

bool bdrv_parse_cache_mode(const char *mode, BlockCacheMode *c)
{
    /* the five QEMU modes: which of the guest-visible write cache, the
     * host page cache and flushes are in the path */
    static const struct {
        const char *name;
        bool writeback, direct, no_flush;
    } modes[] = {
        { "writeback", true, false, false },
        { "none", true, true, false },
        { "writethrough", false, false, false },
        { "directsync", false, true, false },
        { "unsafe", true, false, true },
    };

    for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
        if (!strcmp(mode, modes[i].name)) {
            c->writeback = modes[i].writeback;
            c->direct = modes[i].direct;
            c->no_flush = modes[i].no_flush;
            return true;
        }
    }
    return false;
}

/* ---- nodes ---- */

static BlockDriverState *bdrv_new(const BlockDriver *drv,
                                  const char *filename, int flags)
{
    BlockDriverState *bs = g_new0(BlockDriverState, 1);

    bs->drv = drv;
    bs->opaque = drv->instance_size ? g_malloc0(drv->instance_size) : NULL;
    bs->filename = g_strdup(filename);
    bs->open_flags = flags;
    bs->read_only = !(flags & BDRV_O_RDWR);
    bs->refcnt = 1;
    bs->request_alignment = 1;
    bs->buf_align = 1;
    pthread_mutex_init(&bs->reqs_lock, NULL);
    pthread_cond_init(&bs->reqs_cond, NULL);
    return bs;
}

static void bdrv_free(BlockDriverState *bs)
{
    pthread_mutex_destroy(&bs->reqs_lock);
    pthread_cond_destroy(&bs->reqs_cond);
    g_free(bs->opaque);
    g_free(bs->filename);
    g_free(bs->node_name);
    g_free(bs->backing_file);
    g_free(bs->backing_format);
    g_free(bs);
}

static void bdrv_add_node(BlockDriverState *bs)
{
    pthread_mutex_lock(&nodes_lock);
    all_nodes = g_list_append(all_nodes, bs);
    pthread_mutex_unlock(&nodes_lock);
}

void bdrv_ref(BlockDriverState *bs)
{
    g_atomic_int_inc(&bs->refcnt);
}

static void bdrv_close(BlockDriverState *bs)
{
    if (bs->drv) {
        if (!bs->read_only) {
            bdrv_flush(bs);
        }
        if (bs->drv->close) {
            bs->drv->close(bs);
        }
    }
    if (bs->backing) {
        bdrv_unref(bs->backing);
        bs->backing = NULL;
    }
    if (bs->file) {
        bdrv_unref(bs->file);
        bs->file = NULL;
    }
}

void bdrv_unref(BlockDriverState *bs)
{
    if (!bs || !g_atomic_int_dec_and_test(&bs->refcnt)) {
        return;
    }
    pthread_mutex_lock(&nodes_lock);
    all_nodes = g_list_remove(all_nodes, bs);
    pthread_mutex_unlock(&nodes_lock);
    bdrv_close(bs);
    bdrv_free(bs);
}

void bdrv_close_all(void)
{
    /* Nodes still referenced at exit: flush and release them, parents
     * first so a format writes its metadata before its file goes. */
    for (;;) {
        BlockDriverState *top = NULL;

        pthread_mutex_lock(&nodes_lock);
        for (GList *l = all_nodes; l && !top; l = l->next) {
            BlockDriverState *bs = l->data;
            bool is_child = false;

            for (GList *m = all_nodes; m; m = m->next) {
                BlockDriverState *p = m->data;
                if (p->file == bs || p->backing == bs) {
                    is_child = true;
                    break;
                }
            }
            if (!is_child) {
                top = bs;
            }
        }
        if (!top && all_nodes) {
            top = all_nodes->data;      /* cannot happen: no cycles */
        }
        pthread_mutex_unlock(&nodes_lock);
        if (!top) {
            return;
        }
        top->refcnt = 1;
        bdrv_unref(top);
    }
}

BlockDriverState *bdrv_next_node(BlockDriverState *bs)
{
    BlockDriverState *next = NULL;
    GList *l;

    pthread_mutex_lock(&nodes_lock);
    l = bs ? g_list_find(all_nodes, bs) : NULL;
    if (!bs) {
        next = all_nodes ? all_nodes->data : NULL;
    } else if (l && l->next) {
        next = l->next->data;
    }
    pthread_mutex_unlock(&nodes_lock);
    return next;
}

BlockDriverState *bdrv_find_node(const char *node_name)
{
    BlockDriverState *found = NULL;

    pthread_mutex_lock(&nodes_lock);
    for (GList *l = all_nodes; l; l = l->next) {
        BlockDriverState *bs = l->data;
        if (bs->node_name && !strcmp(bs->node_name, node_name)) {
            found = bs;
            break;
        }
    }
    pthread_mutex_unlock(&nodes_lock);
    return found;
}

static bool node_name_valid(const char *name)
{
    /* QEMU's rule: a letter first, then letters, digits, '-', '.', '_' */
    if (!g_ascii_isalpha(name[0]) || strlen(name) > 31) {
        return false;
    }
    for (const char *p = name; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

bool bdrv_set_node_name(BlockDriverState *bs, const char *name, Error **errp)
{
    if (!node_name_valid(name)) {
        error_setg(errp, "Invalid node-name: '%s'", name);
        return false;
    }
    if (bdrv_find_node(name)) {
        error_setg(errp, "Duplicate nodes with node-name='%s'", name);
        return false;
    }
    g_free(bs->node_name);
    bs->node_name = g_strdup(name);
    return true;
}

const char *bdrv_get_node_name(BlockDriverState *bs)
{
    return bs->node_name ? bs->node_name : "";
}

const char *bdrv_get_format_name(BlockDriverState *bs)
{
    return bs->drv ? bs->drv->format_name : "";
}

const char *bdrv_get_filename(BlockDriverState *bs)
{
    return bs->filename ? bs->filename : "";
}

bool bdrv_is_read_only(BlockDriverState *bs)
{
    return bs->read_only;
}

int bdrv_get_flags(BlockDriverState *bs)
{
    return bs->open_flags;
}

BlockDriverState *bdrv_get_file(BlockDriverState *bs)
{
    return bs->file;
}

BlockDriverState *bdrv_get_backing(BlockDriverState *bs)
{
    return bs->backing;
}

const char *bdrv_get_backing_filename(BlockDriverState *bs)
{
    return bs->backing_file ? bs->backing_file : "";
}

const char *bdrv_get_backing_format(BlockDriverState *bs)
{
    return bs->backing_format ? bs->backing_format : "";
}

int64_t bdrv_getlength(BlockDriverState *bs)
{
    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    if (bs->drv->getlength) {
        return bs->drv->getlength(bs);
    }
    return bs->file ? bdrv_getlength(bs->file) : -ENOTSUP;
}

int64_t bdrv_get_allocated_file_size(BlockDriverState *bs)
{
    if (bs->drv && bs->drv->get_allocated_file_size) {
        return bs->drv->get_allocated_file_size(bs);
    }
    return bs->file ? bdrv_get_allocated_file_size(bs->file) : -ENOTSUP;
}

bool bdrv_has_zero_init(BlockDriverState *bs)
{
    return bs->has_zero_init;
}

uint32_t bdrv_get_request_alignment(BlockDriverState *bs)
{
    return bs->request_alignment;
}

/* ---- opening ---- */

/* The protocol node's permissions, QEMU's way: a writer takes read, write
 * (and resize for formats that grow their file) and refuses others write
 * and resize; a reader refuses others write unless -U was given. */
static bool bdrv_lock_file(BlockDriverState *file, const BlockDriver *fmt,
                           int flags, Error **errp)
{
    uint64_t perm = BLK_PERM_CONSISTENT_READ, unshared = 0;
    bool grows = fmt && fmt != &bdrv_raw && fmt != &bdrv_file;

    if ((flags | file->open_flags) & BDRV_O_NO_LOCK) {
        return true;
    }
    if (flags & BDRV_O_RDWR) {
        perm |= BLK_PERM_WRITE | (grows ? BLK_PERM_RESIZE : 0);
        unshared = BLK_PERM_WRITE | (grows ? BLK_PERM_RESIZE : 0);
    } else if (!(flags & BDRV_O_FORCE_SHARE)) {
        unshared = BLK_PERM_WRITE;
    }
    return file_set_perm(file, perm, unshared, errp);
}

static BlockDriverState *bdrv_open_protocol(const char *filename, Opts *opts,
                                            int flags, Error **errp)
{
    BlockDriverState *bs = bdrv_new(&bdrv_file, filename, flags);

    if (!bdrv_file.open(bs, opts, flags, errp)) {
        bs->drv = NULL;
        bdrv_free(bs);
        return NULL;
    }
    bdrv_add_node(bs);
    return bs;
}

static const BlockDriver *bdrv_probe(BlockDriverState *file, Error **errp)
{
    uint32_t align = MAX(file->request_alignment, 512);
    size_t len = ROUND_UP(2048, align);
    uint8_t *buf = qemu_blockalign(file, len);
    const BlockDriver *best = NULL;
    int best_score = 0, ret;

    memset(buf, 0, len);
    ret = bdrv_pread(file, 0, buf, len);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read image for determining "
                         "its format");
        qemu_vfree(buf);
        return NULL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(block_drivers); i++) {
        const BlockDriver *d = block_drivers[i];
        int score;

        if (!d->probe) {
            continue;
        }
        score = d->probe(buf, len, file->filename);
        if (score > best_score) {
            best_score = score;
            best = d;
        }
    }
    qemu_vfree(buf);
    if (!best) {
        error_setg(errp, "Could not determine image format");
    }
    return best;
}

typedef struct ChainState {
    GHashTable *seen;           /* "dev:ino" of every file in the chain */
    int depth;
} ChainState;

static BlockDriverState *bdrv_open_chain(const char *filename,
                                         const char *fmt, Opts *opts,
                                         int flags, ChainState *chain,
                                         Error **errp);

static bool chain_enter(ChainState *chain, BlockDriverState *file,
                        Error **errp)
{
    struct stat st;
    char *key;

    if (chain->depth >= BACKING_CHAIN_MAX_DEPTH) {
        error_setg(errp, "Backing chain deeper than %d images (a loop?)",
                   BACKING_CHAIN_MAX_DEPTH);
        return false;
    }
    if (stat(file->filename, &st) < 0) {
        return true;            /* opened, so it exists: nothing to key */
    }
    key = g_strdup_printf("%ju:%ju", (uintmax_t)st.st_dev,
                          (uintmax_t)st.st_ino);
    if (g_hash_table_contains(chain->seen, key)) {
        error_setg(errp, "Backing chain loop: '%s' is its own backing file",
                   file->filename);
        g_free(key);
        return false;
    }
    g_hash_table_add(chain->seen, key);
    return true;
}

char *bdrv_backing_path(BlockDriverState *bs)
{
    const char *backing = bs->backing_file;
    const char *base = bs->filename;
    char *dir, *path;

    if (!backing || !*backing) {
        return NULL;
    }
    /* relative names are relative to the overlay's directory */
    if (g_path_is_absolute(backing) || strstr(backing, "://")) {
        return g_strdup(backing);
    }
    if (!strchr(base, '/')) {
        return g_strdup(backing);   /* "b.q", not "./b.q", as QEMU */
    }
    dir = g_path_get_dirname(base);
    path = g_build_filename(dir, backing, NULL);
    g_free(dir);
    return path;
}

static bool bdrv_open_backing_chain(BlockDriverState *bs, int flags,
                                    ChainState *chain, Error **errp)
{
    g_autofree char *path = bdrv_backing_path(bs);
    int bflags;
    Error *err = NULL;

    if (!path || bs->backing || !bs->drv->supports_backing) {
        return true;
    }
    /* backing files are read-only and never temporary; the cache mode
     * and aio engine are inherited */
    bflags = (flags & ~(BDRV_O_RDWR | BDRV_O_TEMPORARY | BDRV_O_CHECK)) |
             (flags & BDRV_O_FORCE_SHARE);
    bs->backing = bdrv_open_chain(path, bs->backing_format, NULL, bflags,
                                  chain, &err);
    if (!bs->backing) {
        error_propagate(errp, err);
        error_prepend(errp, "Could not open backing file: ");
        return false;
    }
    return true;
}

bool bdrv_open_backing(BlockDriverState *bs, int flags, Error **errp)
{
    ChainState chain = {
        .seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
    };
    bool ok;

    ok = chain_enter(&chain, bs->file ? bs->file : bs, errp) &&
         bdrv_open_backing_chain(bs, flags, &chain, errp);
    g_hash_table_destroy(chain.seen);
    return ok;
}

/* Open format drv over the protocol node file (takes its reference). */
static BlockDriverState *bdrv_open_format(const BlockDriver *drv,
                                          BlockDriverState *file,
                                          const char *name, Opts *opts,
                                          int flags, Error **errp)
{
    BlockDriverState *bs = bdrv_new(drv, name, flags);

    bs->file = file;
    bs->request_alignment = 1;
    bs->buf_align = file->buf_align;
    if (!bdrv_lock_file(file, drv, flags, errp) ||
        !drv->open(bs, opts, flags, errp)) {
        bs->drv = NULL;
        bdrv_unref(file);
        bs->file = NULL;
        bdrv_free(bs);
        return NULL;
    }
    bdrv_add_node(bs);
    return bs;
}

static BlockDriverState *bdrv_open_chain(const char *filename,
                                         const char *fmt, Opts *opts,
                                         int flags, ChainState *chain,
                                         Error **errp)
{
    const BlockDriver *drv = NULL;
    BlockDriverState *file, *bs;

    if (fmt && *fmt) {
        drv = bdrv_find_format(fmt);
        if (!drv) {
            error_setg(errp, "Unknown driver '%s'", fmt);
            return NULL;
        }
    }
    file = bdrv_open_protocol(filename, NULL, flags, errp);
    if (!file) {
        return NULL;
    }
    if (!chain_enter(chain, file, errp)) {
        bdrv_unref(file);
        return NULL;
    }
    if ((flags & BDRV_O_PROTOCOL) || drv == &bdrv_file) {
        if (!bdrv_lock_file(file, NULL, flags, errp)) {
            bdrv_unref(file);
            return NULL;
        }
        return file;
    }
    if (!drv) {
        drv = bdrv_probe(file, errp);
        if (!drv) {
            bdrv_unref(file);
            return NULL;
        }
    }
    bs = bdrv_open_format(drv, file, filename, opts, flags, errp);
    if (!bs) {
        return NULL;
    }
    chain->depth++;
    if (!(flags & BDRV_O_NO_BACKING) &&
        !bdrv_open_backing_chain(bs, flags, chain, errp)) {
        bdrv_unref(bs);
        return NULL;
    }
    chain->depth--;
    if (bs->drv->post_open && !bs->drv->post_open(bs, errp)) {
        bdrv_unref(bs);
        return NULL;
    }
    return bs;
}

BlockDriverState *bdrv_open(const char *filename, const char *fmt, int flags,
                            Error **errp)
{
    ChainState chain = {
        .seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
    };
    BlockDriverState *bs;

    bs = bdrv_open_chain(filename, fmt, NULL, flags, &chain, errp);
    g_hash_table_destroy(chain.seen);
    if (bs && (flags & BDRV_O_TEMPORARY)) {
        unlink(filename);       /* the open descriptor keeps it alive */
    }
    return bs;
}

/* Options of -blockdev for a child given inline as "file.key=value". */
static Opts *opts_extract_prefix(Opts *opts, const char *prefix)
{
    Opts *sub = NULL;
    size_t plen = strlen(prefix);

    for (guint i = 0; i < opts->entries->len; i++) {
        OptEntry *e = g_ptr_array_index(opts->entries, i);
        if (!strncmp(e->key, prefix, plen) && e->key[plen] == '.') {
            if (!sub) {
                sub = opts_new(opts->group);
            }
            opts_set(sub, e->key + plen + 1, e->value);
            e->used = true;
        }
    }
    return sub;
}

static bool blockdev_flags(Opts *opts, int *flags, Error **errp)
{
    const char *v;
    bool b;

    b = false;
    if (!opts_get_bool(opts, "read-only", &b, errp)) {
        return false;
    }
    *flags = b ? (*flags & ~BDRV_O_RDWR) : (*flags | BDRV_O_RDWR);
    b = !!(*flags & BDRV_O_NOCACHE);
    if (!opts_get_bool(opts, "cache.direct", &b, errp)) {
        return false;
    }
    *flags = b ? (*flags | BDRV_O_NOCACHE) : (*flags & ~BDRV_O_NOCACHE);
    b = !!(*flags & BDRV_O_NO_FLUSH);
    if (!opts_get_bool(opts, "cache.no-flush", &b, errp)) {
        return false;
    }
    *flags = b ? (*flags | BDRV_O_NO_FLUSH) : (*flags & ~BDRV_O_NO_FLUSH);
    v = opts_get(opts, "discard");
    if (v) {
        if (!strcmp(v, "unmap") || !strcmp(v, "on")) {
            *flags |= BDRV_O_UNMAP;
        } else if (!strcmp(v, "ignore") || !strcmp(v, "off")) {
            *flags &= ~BDRV_O_UNMAP;
        } else {
            error_setg(errp, "Invalid discard option '%s'", v);
            return false;
        }
    }
    v = opts_get(opts, "aio");
    if (v) {
        if (!strcmp(v, "io_uring")) {
            *flags |= BDRV_O_IO_URING;
        } else if (!strcmp(v, "threads")) {
            *flags &= ~BDRV_O_IO_URING;
        } else {
            error_setg(errp, "Invalid aio option '%s' (threads, io_uring)",
                       v);
            return false;
        }
    }
    v = opts_get(opts, "locking");
    if (v) {
        if (!strcmp(v, "off")) {
            *flags |= BDRV_O_NO_LOCK;
        } else if (strcmp(v, "on") && strcmp(v, "auto")) {
            error_setg(errp, "Invalid locking option '%s'", v);
            return false;
        }
    }
    v = opts_get(opts, "detect-zeroes");
    if (v && strcmp(v, "off")) {
        error_setg(errp, "detect-zeroes=%s is not supported", v);
        return false;
    }
    opts_get(opts, "auto-read-only");
    return true;
}

BlockDriverState *bdrv_open_blockdev(Opts *opts, int flags, Error **errp)
{
    const char *driver = opts_get(opts, "driver");
    const char *node_name = opts_get(opts, "node-name");
    const BlockDriver *drv;
    BlockDriverState *bs = NULL, *file = NULL, *backing = NULL;
    const char *backing_ref = NULL;
    Opts *file_opts = NULL;

    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return NULL;
    }
    drv = bdrv_find_format(driver);
    if (!drv) {
        error_setg(errp, "Invalid parameter value for 'driver': '%s' "
                   "(expected file, host_device, raw or qcow2)", driver);
        return NULL;
    }
    if (!blockdev_flags(opts, &flags, errp)) {
        return NULL;
    }
    if (node_name && (!node_name_valid(node_name) ||
                      bdrv_find_node(node_name))) {
        error_setg(errp, bdrv_find_node(node_name)
                   ? "Duplicate nodes with node-name='%s'"
                   : "Invalid node-name: '%s'", node_name);
        return NULL;
    }

    if (drv->is_protocol) {
        const char *filename = opts_get(opts, "filename");
        if (!filename) {
            error_setg(errp, "Parameter 'filename' is missing");
            return NULL;
        }
        if (!opts_check_all_used(opts, errp)) {
            return NULL;
        }
        bs = bdrv_open_protocol(filename, NULL, flags, errp);
        if (!bs) {
            return NULL;
        }
        /* a bare protocol node is the image itself: lock it as raw */
        if (!bdrv_lock_file(bs, &bdrv_raw, flags, errp)) {
            bdrv_unref(bs);
            return NULL;
        }
        goto named;
    }

    /* a format: its file is a node name or inline file.* options */
    file_opts = opts_extract_prefix(opts, "file");
    if (file_opts) {
        file = bdrv_open_blockdev(file_opts, flags, errp);
        opts_free(file_opts);
        if (!file) {
            return NULL;
        }
    } else {
        const char *ref = opts_get(opts, "file");
        BlockDriverState *node = ref ? bdrv_find_node(ref) : NULL;

        if (!ref) {
            error_setg(errp, "Parameter 'file' is missing");
            return NULL;
        }
        if (!node) {
            error_setg(errp, "Cannot find device='' nor node-name='%s'", ref);
            return NULL;
        }
        if (!node->drv->is_protocol) {
            error_setg(errp, "node '%s' is not a file node", ref);
            return NULL;
        }
        bdrv_ref(node);
        file = node;
    }
    if (drv->supports_backing) {
        backing_ref = opts_get(opts, "backing");
        if (backing_ref && *backing_ref && strcmp(backing_ref, "null")) {
            backing = bdrv_find_node(backing_ref);
            if (!backing) {
                error_setg(errp, "Cannot find device='' nor node-name='%s'",
                           backing_ref);
                bdrv_unref(file);
                return NULL;
            }
        }
    }
    if (!opts_check_all_used(opts, errp)) {
        bdrv_unref(file);
        return NULL;
    }
    bs = bdrv_open_format(drv, file, file->filename, NULL, flags, errp);
    if (!bs) {
        return NULL;
    }
    if (backing) {
        bdrv_ref(backing);
        bs->backing = backing;
        bs->backing_from_blockdev = true;
    } else if (!backing_ref && !(flags & BDRV_O_NO_BACKING) &&
               !bdrv_open_backing(bs, flags, errp)) {
        bdrv_unref(bs);
        return NULL;
    }
    if (bs->drv->post_open && !bs->drv->post_open(bs, errp)) {
        bdrv_unref(bs);
        return NULL;
    }
named:
    if (node_name) {
        g_free(bs->node_name);
        bs->node_name = g_strdup(node_name);
    }
    return bs;
}

/* ---- creation ---- */

bool bdrv_create(const char *fmt, const char *filename, Opts *opts,
                 Error **errp)
{
    BlockDriver *drv = bdrv_find_format(fmt);

    if (!drv) {
        error_setg(errp, "Unknown file format '%s'", fmt);
        return false;
    }
    if (!drv->create) {
        error_setg(errp, "Format driver '%s' does not support image "
                   "creation", fmt);
        return false;
    }
    return drv->create(filename, opts, errp);
}

bool bdrv_create_help(const char *fmt, GString *out, Error **errp)
{
    BlockDriver *drv = bdrv_find_format(fmt);

    if (!drv) {
        error_setg(errp, "Unknown file format '%s'", fmt);
        return false;
    }
    g_string_append_printf(out, "Supported options (%s):\n%s", fmt,
                           drv->create_help ? drv->create_help : "");
    return true;
}

/* ---- forwarding to the format ---- */

bool bdrv_get_info(BlockDriverState *bs, BlockDriverInfo *bdi)
{
    memset(bdi, 0, sizeof(*bdi));
    return bs->drv && bs->drv->get_info && bs->drv->get_info(bs, bdi);
}

void bdrv_info_specific(BlockDriverState *bs, JsonBuilder *b)
{
    if (bs->drv && bs->drv->info_specific) {
        bs->drv->info_specific(bs, b);
    }
}

void bdrv_info_specific_text(BlockDriverState *bs, GString *out)
{
    if (bs->drv && bs->drv->info_specific_text) {
        bs->drv->info_specific_text(bs, out);
    }
}

int bdrv_check(BlockDriverState *bs, BdrvCheckResult *res, int fix)
{
    if (!bs->drv || !bs->drv->check) {
        return -ENOTSUP;
    }
    if (fix && bs->read_only) {
        return -EROFS;
    }
    return bs->drv->check(bs, res, fix);
}

bool bdrv_supports_compressed_writes(BlockDriverState *bs)
{
    return bs->drv && bs->drv->pwrite_compressed;
}

bool bdrv_can_snapshot(BlockDriverState *bs)
{
    return bs->drv && bs->drv->snapshot_create;
}

static bool bdrv_snapshot_check(BlockDriverState *bs, bool write,
                                Error **errp)
{
    if (!bdrv_can_snapshot(bs)) {
        error_setg(errp, "Block format '%s' used by device '%s' does not "
                   "support internal snapshots", bdrv_get_format_name(bs),
                   bdrv_get_filename(bs));
        return false;
    }
    if (write && bs->read_only) {
        error_setg(errp, "Image '%s' is read-only", bdrv_get_filename(bs));
        return false;
    }
    return true;
}

bool bdrv_snapshot_create(BlockDriverState *bs, BlockSnapshotInfo *sn,
                          Error **errp)
{
    return bdrv_snapshot_check(bs, true, errp) &&
           bs->drv->snapshot_create(bs, sn, errp);
}

bool bdrv_snapshot_goto(BlockDriverState *bs, const char *id_or_name,
                        Error **errp)
{
    return bdrv_snapshot_check(bs, true, errp) &&
           bs->drv->snapshot_goto(bs, id_or_name, errp);
}

bool bdrv_snapshot_delete(BlockDriverState *bs, const char *id_or_name,
                          Error **errp)
{
    return bdrv_snapshot_check(bs, true, errp) &&
           bs->drv->snapshot_delete(bs, id_or_name, errp);
}

int bdrv_snapshot_list(BlockDriverState *bs, BlockSnapshotInfo **list)
{
    *list = NULL;
    if (!bs->drv || !bs->drv->snapshot_list) {
        return 0;
    }
    return bs->drv->snapshot_list(bs, list);
}

bool bdrv_snapshot_find(BlockDriverState *bs, const char *id_or_name,
                        BlockSnapshotInfo *out)
{
    BlockSnapshotInfo *list;
    int n = bdrv_snapshot_list(bs, &list);
    bool found = false;

    /* an id match wins over a name match, as QEMU does */
    for (int pass = 0; pass < 2 && !found; pass++) {
        for (int i = 0; i < n; i++) {
            const char *key = pass == 0 ? list[i].id_str : list[i].name;
            if (!strcmp(key, id_or_name)) {
                *out = list[i];
                found = true;
                break;
            }
        }
    }
    g_free(list);
    return found;
}

int bdrv_save_vmstate(BlockDriverState *bs, const void *buf, int64_t pos,
                      int64_t size)
{
    if (!bs->drv || !bs->drv->save_vmstate) {
        return -ENOTSUP;
    }
    return bs->drv->save_vmstate(bs, buf, pos, size);
}

int bdrv_load_vmstate(BlockDriverState *bs, void *buf, int64_t pos,
                      int64_t size)
{
    if (!bs->drv || !bs->drv->load_vmstate) {
        return -ENOTSUP;
    }
    return bs->drv->load_vmstate(bs, buf, pos, size);
}

/* ---- memory ---- */

void *qemu_try_blockalign(BlockDriverState *bs, size_t size)
{
    size_t align = MAX(bs ? bs->buf_align : 1, 4096);
    void *p = NULL;

    if (posix_memalign(&p, align, MAX(size, 1))) {
        return NULL;
    }
    return p;
}

void *qemu_blockalign(BlockDriverState *bs, size_t size)
{
    void *p = qemu_try_blockalign(bs, size);

    if (!p) {
        g_error("out of memory allocating %zu bytes of I/O buffer", size);
    }
    return p;
}

void qemu_vfree(void *p)
{
    free(p);
}

/* ---- snapshot=on ---- */

BlockDriverState *bdrv_open_temp_overlay(BlockDriverState *bs, int flags,
                                         Error **errp)
{
    g_autofree char *path = NULL;
    g_autofree char *size = NULL;
    char *abs;
    BlockDriverState *top;
    Opts *o;
    int64_t len = bdrv_getlength(bs);
    int fd;

    if (len < 0) {
        error_setg_errno(errp, -len, "Could not get the size of '%s'",
                         bdrv_get_filename(bs));
        return NULL;
    }
    fd = g_file_open_tmp("turtle-snapshot-XXXXXX.qcow2", &path, NULL);
    if (fd < 0) {
        error_setg(errp, "Could not create a temporary overlay in %s",
                   g_get_tmp_dir());
        return NULL;
    }
    close(fd);
    abs = realpath(bdrv_get_filename(bs), NULL);
    size = g_strdup_printf("%" PRId64, len);
    o = opts_new("snapshot");
    opts_set(o, "size", size);
    opts_set(o, "backing_file", abs ? abs : bdrv_get_filename(bs));
    opts_set(o, "backing_fmt", bdrv_get_format_name(bs));
    free(abs);
    if (!bdrv_create("qcow2", path, o, errp)) {
        opts_free(o);
        unlink(path);
        return NULL;
    }
    opts_free(o);
    /* the overlay lives while it is open: unlinked right away */
    top = bdrv_open(path, "qcow2",
                    (flags | BDRV_O_RDWR | BDRV_O_NO_BACKING |
                     BDRV_O_TEMPORARY) & ~BDRV_O_NOCACHE, errp);
    if (!top) {
        unlink(path);
        return NULL;
    }
    bdrv_ref(bs);
    top->backing = bs;
    return top;
}
