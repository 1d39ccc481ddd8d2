/*
 * The object model: types with a parent, class data shared by all
 * instances of a type, and instances.
 *
 * A type is described by a TypeInfo and registered at start-up:
 *
 *     static const TypeInfo pl011_info = {
 *         .name = TYPE_PL011, .parent = TYPE_SYS_BUS_DEVICE,
 *         .instance_size = sizeof(PL011State), .instance_init = pl011_init,
 *         .class_init = pl011_class_init,
 *     };
 *     TYPE_REGISTER(pl011_info)   // or DEFINE_TYPES(array_of_infos)
 *
 * Classes are built lazily the first time they are needed: the parent's
 * class struct is copied into the child's, then the child's class_init
 * overrides what it wants.  Instances are zeroed and initialised parent
 * first.  Much smaller than QEMU's QOM: no interfaces, no dynamic
 * properties on plain objects (devices have typed properties, see qdev.h).
 */
#ifndef HW_CORE_OBJECT_H
#define HW_CORE_OBJECT_H

#include "turtle/osdep.h"

typedef struct TypeImpl TypeImpl;
typedef struct ObjectClass ObjectClass;
typedef struct Object Object;

#define TYPE_OBJECT "object"

struct ObjectClass {
    TypeImpl *type;
};

struct Object {
    ObjectClass *klass;
    int ref;
    bool heap;           /* allocated by object_new(), freed on last unref */
};

typedef struct TypeInfo {
    const char *name;
    const char *parent;
    size_t instance_size;
    void (*instance_init)(Object *obj);
    void (*instance_finalize)(Object *obj);
    bool abstract;
    size_t class_size;
    void (*class_init)(ObjectClass *klass, void *data);
    void (*class_base_init)(ObjectClass *klass, void *data);
    void *class_data;
} TypeInfo;

void type_register(const TypeInfo *info);
void type_register_array(const TypeInfo *infos, size_t n);

#define type_init(fn)                                            \
    static void __attribute__((constructor)) do_type_init_##fn(void) \
    {                                                            \
        fn();                                                    \
    }

/* Register every TypeInfo of a static array at start-up. */
#define DEFINE_TYPES(type_array)                                 \
    static void __attribute__((constructor)) do_define_types(void) \
    {                                                            \
        type_register_array(type_array, ARRAY_SIZE(type_array)); \
    }

/* Register one TypeInfo at start-up. */
#define TYPE_REGISTER(info)                                      \
    static void __attribute__((constructor)) do_register_##info(void) \
    {                                                            \
        type_register(&(info));                                  \
    }

ObjectClass *object_class_by_name(const char *typename);
const char *object_class_get_name(const ObjectClass *klass);
ObjectClass *object_class_get_parent(const ObjectClass *klass);
bool object_class_is_abstract(const ObjectClass *klass);
/* klass if it is typename or derives from it, else NULL */
ObjectClass *object_class_dynamic_cast(ObjectClass *klass, const char *typename);
/* Every class deriving from implements_type, sorted by name. */
/* Classes of implements_type and its descendants (NULL: every class). */
GSList *object_class_get_list(const char *implements_type, bool include_abstract);

/* Heap-allocate an instance; NULL if the type is unknown or abstract. */
Object *object_new(const char *typename);
/* Initialise an instance embedded in another struct (size checked). */
void object_initialize(void *obj, size_t size, const char *typename);
Object *object_ref(Object *obj);
void object_unref(Object *obj);

static inline ObjectClass *object_get_class(const Object *obj)
{
    return obj->klass;
}
const char *object_get_typename(const Object *obj);
Object *object_dynamic_cast(Object *obj, const char *typename);
Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line);
ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename,
                                              const char *file, int line);

#define OBJECT(obj) ((Object *)(obj))
#define OBJECT_CLASS(klass) ((ObjectClass *)(klass))

/* Checked casts: a wrong type is a host bug and aborts with file:line. */
#define OBJECT_CHECK(type, obj, name) \
    ((type *)object_dynamic_cast_assert(OBJECT(obj), (name), __FILE__, __LINE__))
#define OBJECT_CLASS_CHECK(class_type, klass, name) \
    ((class_type *)object_class_dynamic_cast_assert(OBJECT_CLASS(klass), (name), \
                                                    __FILE__, __LINE__))
#define OBJECT_GET_CLASS(class_type, obj, name) \
    OBJECT_CLASS_CHECK(class_type, object_get_class(OBJECT(obj)), name)

/*
 * One line declares the instance cast of a type:
 *     DECLARE_INSTANCE_CHECKER(PL011State, PL011, TYPE_PL011)
 * and, for types with their own class struct,
 *     DECLARE_CLASS_CHECKERS(CPUClass, CPU, TYPE_CPU)
 * gives CPU_CLASS(klass) and CPU_GET_CLASS(obj).
 */
#define DECLARE_INSTANCE_CHECKER(InstanceType, CAST, TYPENAME)          \
    static inline TURTLE_UNUSED InstanceType *CAST(const void *obj)     \
    {                                                                   \
        return OBJECT_CHECK(InstanceType, obj, TYPENAME);               \
    }
#define DECLARE_CLASS_CHECKERS(ClassType, CAST, TYPENAME)               \
    static inline TURTLE_UNUSED ClassType *CAST##_GET_CLASS(const void *obj) \
    {                                                                   \
        return OBJECT_GET_CLASS(ClassType, obj, TYPENAME);              \
    }                                                                   \
    static inline TURTLE_UNUSED ClassType *CAST##_CLASS(const void *klass) \
    {                                                                   \
        return OBJECT_CLASS_CHECK(ClassType, klass, TYPENAME);          \
    }

#endif
