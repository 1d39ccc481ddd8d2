/*
 * Device and CPU state described as field tables.  Snapshots and live
 * migration walk these tables; no device writes its own serializer.
 *
 *     static const VMStateDescription vmstate_pl011 = {
 *         .name = "pl011", .version_id = 1,
 *         .fields = (const VMStateField[]) {
 *             VMSTATE_UINT32(imsc, PL011State),
 *             VMSTATE_UINT32_ARRAY(read_fifo, PL011State, 16),
 *             VMSTATE_END_OF_LIST()
 *         },
 *     };
 *
 * The stream is big-endian, self-delimiting per section (name, version,
 * length) so a loader can reject a stream for another device or version
 * with a clear error instead of misreading it.
 */
#ifndef MIGRATION_VMSTATE_H
#define MIGRATION_VMSTATE_H

#include "turtle/osdep.h"
#include "turtle/error.h"

typedef enum VMStateType {
    VMS_END = 0,
    VMS_BOOL,
    VMS_UINT8,
    VMS_UINT16,
    VMS_UINT32,
    VMS_UINT64,
    VMS_INT8,
    VMS_INT16,
    VMS_INT32,
    VMS_INT64,
    VMS_BUFFER,        /* raw bytes, size = field size */
    VMS_TIMER,         /* QEMUTimer * field: its expiry (or "not armed") */
    VMS_STRUCT,        /* nested struct described by .vmsd */
    VMS_STRUCT_PTR,    /* pointer to a struct described by .vmsd */
} VMStateType;

typedef struct VMStateDescription VMStateDescription;

typedef struct VMStateField {
    const char *name;
    size_t offset;
    VMStateType type;
    size_t size;              /* size of one element */
    unsigned num;             /* array length (1 for scalars) */
    /* if non-zero: element count is the uint32 at this offset (<= num) */
    size_t num_offset;
    bool has_num_offset;
    /* the field is a pointer to the elements (an array sized at realize) */
    bool is_pointer;
    const VMStateDescription *vmsd;
    int version_id;           /* field present from this version on */
} VMStateField;

struct VMStateDescription {
    const char *name;
    int version_id;
    int minimum_version_id;
    int (*pre_save)(void *opaque);
    int (*pre_load)(void *opaque);
    int (*post_load)(void *opaque, int version_id);
    bool (*needed)(void *opaque);      /* subsections only */
    const VMStateField *fields;
    const VMStateDescription *const *subsections;   /* NULL-terminated */
};

#define vmstate_offset(state, field) offsetof(state, field)
#define vmstate_sizeof(state, field) sizeof(((state *)0)->field)

#define VMSTATE_SCALAR(_f, _s, _t)                                      \
    { .name = #_f, .offset = vmstate_offset(_s, _f), .type = (_t),       \
      .size = vmstate_sizeof(_s, _f), .num = 1 }
#define VMSTATE_ARRAY_T(_f, _s, _n, _t)                                 \
    { .name = #_f, .offset = vmstate_offset(_s, _f), .type = (_t),       \
      .size = vmstate_sizeof(_s, _f[0]), .num = (_n) }

#define VMSTATE_BOOL(_f, _s)    VMSTATE_SCALAR(_f, _s, VMS_BOOL)
#define VMSTATE_UINT8(_f, _s)   VMSTATE_SCALAR(_f, _s, VMS_UINT8)
#define VMSTATE_UINT16(_f, _s)  VMSTATE_SCALAR(_f, _s, VMS_UINT16)
#define VMSTATE_UINT32(_f, _s)  VMSTATE_SCALAR(_f, _s, VMS_UINT32)
#define VMSTATE_UINT64(_f, _s)  VMSTATE_SCALAR(_f, _s, VMS_UINT64)
#define VMSTATE_INT8(_f, _s)    VMSTATE_SCALAR(_f, _s, VMS_INT8)
#define VMSTATE_INT16(_f, _s)   VMSTATE_SCALAR(_f, _s, VMS_INT16)
#define VMSTATE_INT32(_f, _s)   VMSTATE_SCALAR(_f, _s, VMS_INT32)
#define VMSTATE_INT64(_f, _s)   VMSTATE_SCALAR(_f, _s, VMS_INT64)
#define VMSTATE_BOOL_ARRAY(_f, _s, _n)   VMSTATE_ARRAY_T(_f, _s, _n, VMS_BOOL)
#define VMSTATE_UINT8_ARRAY(_f, _s, _n)  VMSTATE_ARRAY_T(_f, _s, _n, VMS_UINT8)
#define VMSTATE_UINT16_ARRAY(_f, _s, _n) VMSTATE_ARRAY_T(_f, _s, _n, VMS_UINT16)
#define VMSTATE_UINT32_ARRAY(_f, _s, _n) VMSTATE_ARRAY_T(_f, _s, _n, VMS_UINT32)
#define VMSTATE_UINT64_ARRAY(_f, _s, _n) VMSTATE_ARRAY_T(_f, _s, _n, VMS_UINT64)
#define VMSTATE_INT32_ARRAY(_f, _s, _n)  VMSTATE_ARRAY_T(_f, _s, _n, VMS_INT32)
#define VMSTATE_INT64_ARRAY(_f, _s, _n)  VMSTATE_ARRAY_T(_f, _s, _n, VMS_INT64)
#define VMSTATE_BUFFER(_f, _s)                                          \
    { .name = #_f, .offset = vmstate_offset(_s, _f), .type = VMS_BUFFER, \
      .size = vmstate_sizeof(_s, _f), .num = 1 }
#define VMSTATE_TIMER_PTR(_f, _s)                                       \
    { .name = #_f, .offset = vmstate_offset(_s, _f), .type = VMS_TIMER,  \
      .size = sizeof(void *), .num = 1 }
#define VMSTATE_STRUCT(_f, _s, _vmsd, _type)                            \
    { .name = #_f, .offset = vmstate_offset(_s, _f), .type = VMS_STRUCT, \
      .size = sizeof(_type), .num = 1, .vmsd = &(_vmsd) }
#define VMSTATE_STRUCT_ARRAY(_f, _s, _n, _vmsd, _type)                  \
    { .name = #_f, .offset = vmstate_offset(_s, _f), .type = VMS_STRUCT, \
      .size = sizeof(_type), .num = (_n), .vmsd = &(_vmsd) }
/* Array of _n elements whose used length is the uint32 field _nf. */
#define VMSTATE_UINT8_VARRAY(_f, _s, _n, _nf)                           \
    { .name = #_f, .offset = vmstate_offset(_s, _f), .type = VMS_UINT8,  \
      .size = 1, .num = (_n), .num_offset = vmstate_offset(_s, _nf),     \
      .has_num_offset = true }
/* Pointer _f to an array of structs whose length is the uint32 field _nf
 * (allocated at realize, from the configuration).  The stream carries the
 * count; a load into an array of another length is an error. */
#define VMSTATE_STRUCT_VARRAY_POINTER(_f, _s, _nf, _vmsd, _type)       \
    { .name = #_f, .offset = vmstate_offset(_s, _f), .type = VMS_STRUCT, \
      .size = sizeof(_type), .num = UINT32_MAX,                          \
      .num_offset = vmstate_offset(_s, _nf), .has_num_offset = true,    \
      .is_pointer = true, .vmsd = &(_vmsd) }
#define VMSTATE_END_OF_LIST() { .type = VMS_END }

/* Append opaque's state to out. */
bool vmstate_save(const VMStateDescription *vmsd, void *opaque,
                  GByteArray *out, Error **errp);

typedef struct VMStateReader {
    const uint8_t *buf;
    size_t len;
    size_t pos;
} VMStateReader;

/* Read one section written by vmstate_save into opaque. */
bool vmstate_load(const VMStateDescription *vmsd, void *opaque,
                  VMStateReader *in, Error **errp);

/* Parse one section as vmstate_load would, changing nothing: the checks
 * a loader runs before it touches a running machine (no hook runs). */
bool vmstate_check(const VMStateDescription *vmsd, VMStateReader *in,
                   Error **errp);

#endif
