/* The object model; see hw/core/object.h. */
#include "turtle/osdep.h"
#include "hw/core/object.h"

struct TypeImpl {
    TypeInfo info;          /* with name/parent strings owned */
    TypeImpl *parent_type;
    ObjectClass *klass;
    size_t class_size;
    size_t instance_size;
};

static GHashTable *type_table;

static GHashTable *type_table_get(void)
{
    if (!type_table) {
        type_table = g_hash_table_new(g_str_hash, g_str_equal);
    }
    return type_table;
}

static const TypeInfo object_info = {
    .name = TYPE_OBJECT,
    .instance_size = sizeof(Object),
    .class_size = sizeof(ObjectClass),
    .abstract = true,
};

void type_register(const TypeInfo *info)
{
    TypeImpl *ti;

    g_assert(info->name);
    if (g_hash_table_lookup(type_table_get(), info->name)) {
        fprintf(stderr, "type '%s' registered twice\n", info->name);
        abort();
    }
    ti = g_new0(TypeImpl, 1);
    ti->info = *info;
    g_hash_table_insert(type_table_get(), (gpointer)info->name, ti);
}

void type_register_array(const TypeInfo *infos, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        type_register(&infos[i]);
    }
}

static void __attribute__((constructor)) object_register_root(void)
{
    type_register(&object_info);
}

static TypeImpl *type_get_by_name(const char *name)
{
    return name ? g_hash_table_lookup(type_table_get(), name) : NULL;
}

static TypeImpl *type_get_parent(TypeImpl *ti)
{
    if (!ti->parent_type && ti->info.parent) {
        ti->parent_type = type_get_by_name(ti->info.parent);
        if (!ti->parent_type) {
            fprintf(stderr, "type '%s' has unknown parent '%s'\n",
                    ti->info.name, ti->info.parent);
            abort();
        }
    }
    return ti->parent_type;
}

static size_t type_class_size(TypeImpl *ti)
{
    TypeImpl *p;

    if (ti->info.class_size) {
        return ti->info.class_size;
    }
    p = type_get_parent(ti);
    return p ? type_class_size(p) : sizeof(ObjectClass);
}

static size_t type_instance_size(TypeImpl *ti)
{
    TypeImpl *p;

    if (ti->info.instance_size) {
        return ti->info.instance_size;
    }
    p = type_get_parent(ti);
    return p ? type_instance_size(p) : sizeof(Object);
}

static void type_call_base_init(TypeImpl *ti, ObjectClass *klass)
{
    TypeImpl *p = type_get_parent(ti);

    if (p) {
        type_call_base_init(p, klass);
    }
    if (ti->info.class_base_init && ti->klass != klass) {
        ti->info.class_base_init(klass, ti->info.class_data);
    }
}

static void type_initialize(TypeImpl *ti)
{
    TypeImpl *parent;

    if (ti->klass) {
        return;
    }
    ti->class_size = type_class_size(ti);
    ti->instance_size = type_instance_size(ti);
    ti->klass = g_malloc0(ti->class_size);
    parent = type_get_parent(ti);
    if (parent) {
        type_initialize(parent);
        g_assert(parent->class_size <= ti->class_size);
        g_assert(parent->instance_size <= ti->instance_size);
        memcpy(ti->klass, parent->klass, parent->class_size);
    }
    ti->klass->type = ti;
    if (parent) {
        type_call_base_init(parent, ti->klass);
    }
    if (ti->info.class_init) {
        ti->info.class_init(ti->klass, ti->info.class_data);
    }
}

ObjectClass *object_class_by_name(const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);

    if (!ti) {
        return NULL;
    }
    type_initialize(ti);
    return ti->klass;
}

const char *object_class_get_name(const ObjectClass *klass)
{
    return klass->type->info.name;
}

ObjectClass *object_class_get_parent(const ObjectClass *klass)
{
    TypeImpl *p = type_get_parent(klass->type);

    if (!p) {
        return NULL;
    }
    type_initialize(p);
    return p->klass;
}

bool object_class_is_abstract(const ObjectClass *klass)
{
    return klass->type->info.abstract;
}

static bool type_is_ancestor(TypeImpl *ti, TypeImpl *ancestor)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti == ancestor) {
            return true;
        }
    }
    return false;
}

/*
 * Casts run on hot paths (CPU(obj) in helpers), so they walk the parent
 * chain comparing names - pointer equality first, since the names are
 * usually the same literal - instead of looking the type up by name.
 */
static bool type_has_ancestor_named(TypeImpl *ti, const char *typename)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti->info.name == typename || !strcmp(ti->info.name, typename)) {
            return true;
        }
    }
    return false;
}

ObjectClass *object_class_dynamic_cast(ObjectClass *klass, const char *typename)
{
    if (!klass) {
        return NULL;
    }
    return type_has_ancestor_named(klass->type, typename) ? klass : NULL;
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename,
                                              const char *file, int line)
{
    ObjectClass *ret = object_class_dynamic_cast(klass, typename);

    if (!ret && klass) {
        fprintf(stderr, "%s:%d: class '%s' is not a '%s'\n", file, line,
                object_class_get_name(klass), typename);
        abort();
    }
    return ret;
}

static gint class_name_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(object_class_get_name(a), object_class_get_name(b));
}

GSList *object_class_get_list(const char *implements_type, bool include_abstract)
{
    GSList *list = NULL;
    GHashTableIter iter;
    gpointer key, value;
    TypeImpl *target = type_get_by_name(implements_type);

    if (!target && implements_type) {
        return NULL;
    }
    g_hash_table_iter_init(&iter, type_table_get());
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        TypeImpl *ti = value;
        if (target && !type_is_ancestor(ti, target)) {
            continue;
        }
        if (ti->info.abstract && !include_abstract) {
            continue;
        }
        type_initialize(ti);
        list = g_slist_prepend(list, ti->klass);
    }
    return g_slist_sort(list, class_name_cmp);
}

static void object_init_with_type(Object *obj, TypeImpl *ti)
{
    TypeImpl *p = type_get_parent(ti);

    if (p) {
        object_init_with_type(obj, p);
    }
    if (ti->info.instance_init) {
        ti->info.instance_init(obj);
    }
}

static void object_finalize_with_type(Object *obj, TypeImpl *ti)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti->info.instance_finalize) {
            ti->info.instance_finalize(obj);
        }
    }
}

void object_initialize(void *data, size_t size, const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);
    Object *obj = data;

    if (!ti) {
        fprintf(stderr, "object_initialize: unknown type '%s'\n", typename);
        abort();
    }
    type_initialize(ti);
    g_assert(!ti->info.abstract);
    g_assert(size >= ti->instance_size);
    memset(obj, 0, ti->instance_size);
    obj->klass = ti->klass;
    obj->ref = 1;
    object_init_with_type(obj, ti);
}

Object *object_new(const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);
    Object *obj;

    if (!ti || ti->info.abstract) {
        return NULL;
    }
    type_initialize(ti);
    obj = g_malloc(ti->instance_size);
    object_initialize(obj, ti->instance_size, typename);
    obj->heap = true;
    return obj;
}

Object *object_ref(Object *obj)
{
    if (obj) {
        g_atomic_int_inc(&obj->ref);
    }
    return obj;
}

void object_unref(Object *obj)
{
    if (!obj) {
        return;
    }
    g_assert(obj->ref > 0);
    if (g_atomic_int_dec_and_test(&obj->ref)) {
        object_finalize_with_type(obj, obj->klass->type);
        if (obj->heap) {
            g_free(obj);
        }
    }
}

const char *object_get_typename(const Object *obj)
{
    return obj->klass->type->info.name;
}

Object *object_dynamic_cast(Object *obj, const char *typename)
{
    if (obj && object_class_dynamic_cast(obj->klass, typename)) {
        return obj;
    }
    return NULL;
}

Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line)
{
    if (obj && !object_dynamic_cast(obj, typename)) {
        fprintf(stderr, "%s:%d: object of type '%s' is not a '%s'\n", file,
                line, object_get_typename(obj), typename);
        abort();
    }
    return obj;
}
