/*
 * qcow2 metadata caches: L2 tables and refcount blocks, one cluster each,
 * write-back with LRU eviction.  s->lock is held for every call.
 *
 * Ordering: qcow2_cache_set_dependency(l2, refcount) says "refcount
 * blocks changed that the L2 tables now rely on": before any L2 table is
 * written, the refcount blocks are written and the file is synced.
 */
#include "turtle/osdep.h"
#include "qcow2.h"

typedef struct Qcow2CacheEntry {
    uint64_t offset;        /* 0: free slot */
    void *table;
    int ref;
    bool dirty;
    uint64_t lru;
} Qcow2CacheEntry;

struct Qcow2Cache {
    Qcow2CacheEntry *entries;
    int size;
    int table_size;
    uint64_t lru_counter;
    GHashTable *index;      /* offset -> entry number + 1 */
    GHashTable *by_table;   /* table pointer -> entry number + 1 */
    Qcow2Cache *depends;
};

Qcow2Cache *qcow2_cache_create(BlockDriverState *bs, int num_tables,
                               int table_size)
{
    Qcow2Cache *c = g_new0(Qcow2Cache, 1);

    c->size = num_tables;
    c->table_size = table_size;
    c->entries = g_new0(Qcow2CacheEntry, num_tables);
    c->index = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                                     NULL);
    c->by_table = g_hash_table_new(g_direct_hash, g_direct_equal);
    return c;
}

void qcow2_cache_destroy(Qcow2Cache *c)
{
    if (!c) {
        return;
    }
    for (int i = 0; i < c->size; i++) {
        qemu_vfree(c->entries[i].table);
    }
    g_hash_table_destroy(c->index);
    g_hash_table_destroy(c->by_table);
    g_free(c->entries);
    g_free(c);
}

static int cache_find(Qcow2Cache *c, uint64_t offset)
{
    gpointer v = g_hash_table_lookup(c->index, &offset);
    return v ? GPOINTER_TO_INT(v) - 1 : -1;
}

static void cache_index_set(Qcow2Cache *c, int i, uint64_t offset)
{
    if (c->entries[i].offset) {
        g_hash_table_remove(c->index, &c->entries[i].offset);
    }
    c->entries[i].offset = offset;
    if (offset) {
        uint64_t *key = g_new(uint64_t, 1);
        *key = offset;
        g_hash_table_insert(c->index, key, GINT_TO_POINTER(i + 1));
    }
}

static int cache_entry_write(BlockDriverState *bs, Qcow2Cache *c, int i)
{
    Qcow2CacheEntry *e = &c->entries[i];
    BDRVQcow2State *s = bs->opaque;
    int ret;

    if (!e->dirty || !e->offset) {
        return 0;
    }
    if (s->corrupt) {
        return -EIO;
    }
    if (c->depends) {
        Qcow2Cache *dep = c->depends;
        bool wrote = false;

        ret = qcow2_cache_write(bs, dep, &wrote);
        if (ret == 0) {
            ret = bdrv_flush(bs->file);
        }
        if (ret < 0) {
            return ret;
        }
        c->depends = NULL;
    }
    ret = bdrv_pwrite(bs->file, e->offset, e->table, c->table_size);
    if (ret < 0) {
        return ret;
    }
    e->dirty = false;
    return 0;
}

int qcow2_cache_write(BlockDriverState *bs, Qcow2Cache *c, bool *wrote)
{
    int result = 0;

    for (int i = 0; i < c->size; i++) {
        if (c->entries[i].dirty) {
            int ret = cache_entry_write(bs, c, i);
            if (ret < 0 && result == 0) {
                result = ret;
            }
            if (ret == 0 && wrote) {
                *wrote = true;
            }
        }
    }
    return result;
}

void qcow2_cache_set_dependency(Qcow2Cache *c, Qcow2Cache *dep)
{
    c->depends = dep;
}

bool qcow2_cache_has_dependency(Qcow2Cache *c)
{
    return c->depends != NULL;
}

static int cache_do_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset,
                        void **table, bool read_from_disk)
{
    int i = cache_find(c, offset), victim = -1;
    int ret;

    if (i >= 0) {
        goto found;
    }
    /* a free slot, else the least recently used table nobody holds */
    for (int j = 0; j < c->size; j++) {
        Qcow2CacheEntry *e = &c->entries[j];
        if (e->ref) {
            continue;
        }
        if (!e->offset) {
            victim = j;
            break;
        }
        if (victim < 0 || e->lru < c->entries[victim].lru) {
            victim = j;
        }
    }
    if (victim < 0) {
        return -ENOSPC;         /* more tables held at once than slots */
    }
    ret = cache_entry_write(bs, c, victim);
    if (ret < 0) {
        return ret;
    }
    i = victim;
    cache_index_set(c, i, 0);
    if (!c->entries[i].table) {
        c->entries[i].table = qemu_try_blockalign(bs->file, c->table_size);
        if (!c->entries[i].table) {
            return -ENOMEM;
        }
        g_hash_table_insert(c->by_table, c->entries[i].table,
                            GINT_TO_POINTER(i + 1));
    }
    if (read_from_disk) {
        ret = bdrv_pread(bs->file, offset, c->entries[i].table,
                         c->table_size);
        if (ret < 0) {
            return ret;
        }
    }
    cache_index_set(c, i, offset);
found:
    c->entries[i].ref++;
    c->entries[i].lru = ++c->lru_counter;
    *table = c->entries[i].table;
    return 0;
}

int qcow2_cache_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset,
                    void **table)
{
    return cache_do_get(bs, c, offset, table, true);
}

int qcow2_cache_peek(Qcow2Cache *c, uint64_t offset, void **table)
{
    int i = cache_find(c, offset);

    if (i < 0) {
        return -ENOENT;
    }
    c->entries[i].ref++;
    c->entries[i].lru = ++c->lru_counter;
    *table = c->entries[i].table;
    return 0;
}

int qcow2_cache_get_empty(BlockDriverState *bs, Qcow2Cache *c,
                          uint64_t offset, void **table)
{
    return cache_do_get(bs, c, offset, table, false);
}

static int cache_entry_of(Qcow2Cache *c, void *table)
{
    gpointer v = g_hash_table_lookup(c->by_table, table);

    g_assert(v);
    return GPOINTER_TO_INT(v) - 1;
}

void qcow2_cache_put(Qcow2Cache *c, void **table)
{
    int i = cache_entry_of(c, *table);

    g_assert(c->entries[i].ref > 0);
    c->entries[i].ref--;
    *table = NULL;
}

void qcow2_cache_mark_dirty(Qcow2Cache *c, void *table)
{
    c->entries[cache_entry_of(c, table)].dirty = true;
}

void qcow2_cache_discard(Qcow2Cache *c, uint64_t offset)
{
    int i = cache_find(c, offset);

    if (i >= 0 && c->entries[i].ref == 0) {
        c->entries[i].dirty = false;
        cache_index_set(c, i, 0);
    }
}

void qcow2_cache_drop_all(Qcow2Cache *c)
{
    for (int i = 0; i < c->size; i++) {
        if (c->entries[i].ref == 0) {
            c->entries[i].dirty = false;
            cache_index_set(c, i, 0);
        }
    }
}
