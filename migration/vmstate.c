/*
 * Walking VMStateDescription field tables to save and load state.
 *
 * Section: u8 name length, name, u32 version, u32 payload length, payload.
 * Payload: the fields in table order, each big-endian; then u8 count of
 * subsections present, each a nested section.  Every read is bounds
 * checked: a truncated or foreign stream is an error, never a crash.
 */
#include "turtle/osdep.h"
#include "migration/vmstate.h"
#include "turtle/timer.h"

static void put_be(GByteArray *out, uint64_t v, unsigned size)
{
    uint8_t b[8];

    for (unsigned i = 0; i < size; i++) {
        b[i] = v >> ((size - 1 - i) * 8);
    }
    g_byte_array_append(out, b, size);
}

static bool get_be(VMStateReader *in, unsigned size, uint64_t *v, Error **errp)
{
    if (in->len - in->pos < size) {
        error_setg(errp, "vmstate: stream truncated at offset %zu", in->pos);
        return false;
    }
    *v = 0;
    for (unsigned i = 0; i < size; i++) {
        *v = (*v << 8) | in->buf[in->pos++];
    }
    return true;
}

static unsigned field_count(const VMStateField *f, void *opaque)
{
    if (f->has_num_offset) {
        uint32_t n = *(uint32_t *)((char *)opaque + f->num_offset);
        return MIN(n, f->num);
    }
    return f->num ? f->num : 1;
}

static bool save_fields(const VMStateDescription *vmsd, void *opaque,
                        GByteArray *out, Error **errp);

/* Where the field's elements are: in the state, or behind a pointer. */
static char *field_base(const VMStateField *f, void *opaque)
{
    char *p = (char *)opaque + f->offset;

    return f->is_pointer ? *(char **)p : p;
}

static bool save_element(const VMStateField *f, void *p, GByteArray *out,
                         Error **errp)
{
    switch (f->type) {
    case VMS_BOOL:
        put_be(out, *(bool *)p, 1);
        return true;
    case VMS_UINT8:
    case VMS_INT8:
        put_be(out, *(uint8_t *)p, 1);
        return true;
    case VMS_UINT16:
    case VMS_INT16:
        put_be(out, *(uint16_t *)p, 2);
        return true;
    case VMS_UINT32:
    case VMS_INT32:
        put_be(out, *(uint32_t *)p, 4);
        return true;
    case VMS_UINT64:
    case VMS_INT64:
        put_be(out, *(uint64_t *)p, 8);
        return true;
    case VMS_BUFFER:
        g_byte_array_append(out, p, f->size);
        return true;
    case VMS_TIMER: {
        QEMUTimer *t = *(QEMUTimer **)p;
        put_be(out, t ? (uint64_t)timer_expire_time_ns(t) : (uint64_t)-1, 8);
        return true;
    }
    case VMS_STRUCT:
        return vmstate_save(f->vmsd, p, out, errp);
    case VMS_STRUCT_PTR:
        return vmstate_save(f->vmsd, *(void **)p, out, errp);
    default:
        error_setg(errp, "vmstate: field '%s' has unknown type %d", f->name,
                   f->type);
        return false;
    }
}

static bool save_fields(const VMStateDescription *vmsd, void *opaque,
                        GByteArray *out, Error **errp)
{
    for (const VMStateField *f = vmsd->fields; f && f->type != VMS_END; f++) {
        unsigned n = field_count(f, opaque);
        char *base = field_base(f, opaque);

        if (f->is_pointer) {
            put_be(out, n, 4);      /* checked against the loader's size */
        }
        for (unsigned i = 0; i < n; i++) {
            if (!save_element(f, base + i * f->size, out, errp)) {
                return false;
            }
        }
    }
    return true;
}

bool vmstate_save(const VMStateDescription *vmsd, void *opaque,
                  GByteArray *out, Error **errp)
{
    size_t name_len = strlen(vmsd->name);
    guint len_pos;
    uint32_t payload;
    uint8_t nsub = 0;
    guint nsub_pos;

    g_assert(name_len < 256);
    if (vmsd->pre_save && vmsd->pre_save(opaque) < 0) {
        error_setg(errp, "vmstate: pre_save of '%s' failed", vmsd->name);
        return false;
    }
    put_be(out, name_len, 1);
    g_byte_array_append(out, (const guint8 *)vmsd->name, name_len);
    put_be(out, vmsd->version_id, 4);
    len_pos = out->len;
    put_be(out, 0, 4);
    if (!save_fields(vmsd, opaque, out, errp)) {
        return false;
    }
    nsub_pos = out->len;
    put_be(out, 0, 1);
    for (const VMStateDescription *const *s = vmsd->subsections; s && *s; s++) {
        if ((*s)->needed && !(*s)->needed(opaque)) {
            continue;
        }
        if (!vmstate_save(*s, opaque, out, errp)) {
            return false;
        }
        nsub++;
    }
    out->data[nsub_pos] = nsub;
    payload = out->len - len_pos - 4;
    for (int i = 0; i < 4; i++) {
        out->data[len_pos + i] = payload >> ((3 - i) * 8);
    }
    return true;
}

static bool load_section(const VMStateDescription *vmsd, void *opaque,
                         VMStateReader *in, bool dry, Error **errp);
static void *scratch_new(const VMStateDescription *vmsd);

/* dry: parse into a scratch copy, touch no timer, run no hook */
static bool load_element(const VMStateField *f, void *p, VMStateReader *in,
                         bool dry, Error **errp)
{
    uint64_t v;

    switch (f->type) {
    case VMS_BOOL:
        if (!get_be(in, 1, &v, errp)) {
            return false;
        }
        if (v > 1) {
            error_setg(errp, "vmstate: field '%s': invalid bool %" PRIu64,
                       f->name, v);
            return false;
        }
        *(bool *)p = v;
        return true;
    case VMS_UINT8:
    case VMS_INT8:
        if (!get_be(in, 1, &v, errp)) {
            return false;
        }
        *(uint8_t *)p = v;
        return true;
    case VMS_UINT16:
    case VMS_INT16:
        if (!get_be(in, 2, &v, errp)) {
            return false;
        }
        *(uint16_t *)p = v;
        return true;
    case VMS_UINT32:
    case VMS_INT32:
        if (!get_be(in, 4, &v, errp)) {
            return false;
        }
        *(uint32_t *)p = v;
        return true;
    case VMS_UINT64:
    case VMS_INT64:
        if (!get_be(in, 8, &v, errp)) {
            return false;
        }
        *(uint64_t *)p = v;
        return true;
    case VMS_BUFFER:
        if (in->len - in->pos < f->size) {
            error_setg(errp, "vmstate: stream truncated in field '%s'", f->name);
            return false;
        }
        memcpy(p, in->buf + in->pos, f->size);
        in->pos += f->size;
        return true;
    case VMS_TIMER: {
        QEMUTimer *t = *(QEMUTimer **)p;
        if (!get_be(in, 8, &v, errp)) {
            return false;
        }
        if (t && !dry) {
            if ((int64_t)v < 0) {
                timer_del(t);
            } else {
                timer_mod_ns(t, v);
            }
        }
        return true;
    }
    case VMS_STRUCT:
        return load_section(f->vmsd, p, in, dry, errp);
    case VMS_STRUCT_PTR:
        if (dry) {
            g_autofree void *scratch = scratch_new(f->vmsd);
            return load_section(f->vmsd, scratch, in, dry, errp);
        }
        return load_section(f->vmsd, *(void **)p, in, dry, errp);
    default:
        error_setg(errp, "vmstate: field '%s' has unknown type %d", f->name,
                   f->type);
        return false;
    }
}

/* The extent of the struct a description (and its subsections) covers. */
static size_t vmsd_extent(const VMStateDescription *vmsd)
{
    size_t end = 0;

    for (const VMStateField *f = vmsd->fields; f && f->type != VMS_END; f++) {
        end = MAX(end, f->offset + (f->is_pointer ? sizeof(void *)
                                    : f->size * MAX(f->num, 1u)));
        if (f->has_num_offset) {
            end = MAX(end, f->num_offset + sizeof(uint32_t));
        }
    }
    for (const VMStateDescription *const *s = vmsd->subsections; s && *s; s++) {
        end = MAX(end, vmsd_extent(*s));
    }
    return end;
}

static void *scratch_new(const VMStateDescription *vmsd)
{
    return g_malloc0(vmsd_extent(vmsd) + 1);
}

/*
 * An array behind a pointer, sized by the device's configuration: the
 * stream says how many elements it holds, which must be what this side
 * allocated; a dry run parses them into scratch space.
 */
static bool load_pointer_array(const VMStateField *f, void *opaque,
                               VMStateReader *in, bool dry, Error **errp)
{
    uint64_t count;

    if (!get_be(in, 4, &count, errp)) {
        return false;
    }
    if (dry) {
        size_t size = f->vmsd ? MAX(f->size, vmsd_extent(f->vmsd)) : f->size;
        g_autofree void *elem = g_malloc0(size + 1);

        for (uint64_t i = 0; i < count; i++) {
            if (!load_element(f, elem, in, true, errp)) {
                return false;
            }
        }
        return true;
    }
    if (count != field_count(f, opaque)) {
        error_setg(errp, "vmstate: field '%s': %" PRIu64 " elements in the "
                   "stream, %u here (another configuration)", f->name, count,
                   field_count(f, opaque));
        return false;
    }
    for (uint64_t i = 0; i < count; i++) {
        if (!load_element(f, field_base(f, opaque) + i * f->size, in, false,
                          errp)) {
            return false;
        }
    }
    return true;
}

bool vmstate_load(const VMStateDescription *vmsd, void *opaque,
                  VMStateReader *in, Error **errp)
{
    return load_section(vmsd, opaque, in, false, errp);
}

bool vmstate_check(const VMStateDescription *vmsd, VMStateReader *in,
                   Error **errp)
{
    g_autofree void *scratch = scratch_new(vmsd);

    return load_section(vmsd, scratch, in, true, errp);
}

static bool load_section(const VMStateDescription *vmsd, void *opaque,
                         VMStateReader *in, bool dry, Error **errp)
{
    uint64_t name_len, version, payload, nsub;
    size_t end;

    if (!get_be(in, 1, &name_len, errp)) {
        return false;
    }
    if (in->len - in->pos < name_len) {
        error_setg(errp, "vmstate: stream truncated in a section name");
        return false;
    }
    if (name_len != strlen(vmsd->name) ||
        memcmp(in->buf + in->pos, vmsd->name, name_len)) {
        error_setg(errp, "vmstate: expected section '%s', found '%.*s'",
                   vmsd->name, (int)name_len, in->buf + in->pos);
        return false;
    }
    in->pos += name_len;
    if (!get_be(in, 4, &version, errp) || !get_be(in, 4, &payload, errp)) {
        return false;
    }
    if ((int64_t)version > vmsd->version_id ||
        (int64_t)version < vmsd->minimum_version_id) {
        error_setg(errp, "vmstate: section '%s' version %" PRIu64
                   " not supported (accepts %d..%d)", vmsd->name, version,
                   vmsd->minimum_version_id, vmsd->version_id);
        return false;
    }
    if (in->len - in->pos < payload) {
        error_setg(errp, "vmstate: section '%s' truncated", vmsd->name);
        return false;
    }
    end = in->pos + payload;
    if (!dry && vmsd->pre_load && vmsd->pre_load(opaque) < 0) {
        error_setg(errp, "vmstate: pre_load of '%s' failed", vmsd->name);
        return false;
    }
    for (const VMStateField *f = vmsd->fields; f && f->type != VMS_END; f++) {
        unsigned n;
        char *base = field_base(f, opaque);

        if (f->version_id > (int)version) {
            continue;
        }
        if (f->is_pointer) {
            if (!load_pointer_array(f, opaque, in, dry, errp)) {
                return false;
            }
            continue;
        }
        /* variable arrays: the count field was loaded earlier in the table */
        n = field_count(f, opaque);
        for (unsigned i = 0; i < n; i++) {
            if (!load_element(f, base + i * f->size, in, dry, errp)) {
                return false;
            }
        }
    }
    if (!get_be(in, 1, &nsub, errp)) {
        return false;
    }
    for (uint64_t i = 0; i < nsub; i++) {
        const VMStateDescription *const *s;
        uint64_t sub_len;
        bool found = false;

        if (in->pos >= in->len) {
            error_setg(errp, "vmstate: truncated subsection list");
            return false;
        }
        sub_len = in->buf[in->pos];
        for (s = vmsd->subsections; s && *s; s++) {
            if (strlen((*s)->name) == sub_len && in->len - in->pos > sub_len &&
                !memcmp(in->buf + in->pos + 1, (*s)->name, sub_len)) {
                found = true;
                break;
            }
        }
        if (!found) {
            error_setg(errp, "vmstate: unknown subsection in '%s'", vmsd->name);
            return false;
        }
        if (!load_section(*s, opaque, in, dry, errp)) {
            return false;
        }
    }
    if (in->pos != end) {
        error_setg(errp, "vmstate: section '%s' has %zd unexpected bytes",
                   vmsd->name, (ssize_t)(end - in->pos));
        return false;
    }
    if (!dry && vmsd->post_load && vmsd->post_load(opaque, version) < 0) {
        error_setg(errp, "vmstate: post_load of '%s' failed", vmsd->name);
        return false;
    }
    return true;
}
