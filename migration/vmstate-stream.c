/*
 * The machine as a migration stream (see vmstate-stream.h): RAM pages with
 * zero pages skipped, the virtual clock, every device's vmstate table.
 *
 * Devices are named by type and instance number ("pl011.0"), not by
 * -device id=, so two processes started with the same machine options
 * agree on the names whatever ids the user chose.
 */
#include "turtle/osdep.h"
#include "migration/vmstate-stream.h"
#include "migration/vmstate.h"
#include "exec/ramblock.h"
#include "hw/core/qdev.h"
#include "hw/core/boards.h"
#include "hw/core/cpu.h"
#include "sysemu/cpus.h"
#include "sysemu/main-loop.h"
#include "sysemu/target-info.h"
#include "turtle/timer.h"

#define PAGES_PER_SECTION 64

/* ---- RAM blocks, in ram_addr_t order ---- */

static void collect_block(RAMBlock *rb, void *opaque)
{
    g_ptr_array_add(opaque, rb);
}

static GPtrArray *ram_blocks(void)
{
    GPtrArray *a = g_ptr_array_new();

    qemu_ram_foreach_block(collect_block, a);
    return a;
}

unsigned mig_ram_block_count(void)
{
    g_autoptr(GPtrArray) a = ram_blocks();

    return a->len;
}

RAMBlock *mig_ram_block(unsigned idx)
{
    g_autoptr(GPtrArray) a = ram_blocks();

    return idx < a->len ? g_ptr_array_index(a, idx) : NULL;
}

static bool page_is_zero(const uint8_t *p)
{
    const uint64_t *w = (const uint64_t *)p;

    for (size_t i = 0; i < TURTLE_PAGE_SIZE / 8; i += 4) {
        if (w[i] | w[i + 1] | w[i + 2] | w[i + 3]) {
            return false;
        }
    }
    return true;
}

/* ---- devices ---- */

typedef struct DevEntry {
    DeviceState *dev;
    char name[256];
    bool loaded;
} DevEntry;

static void collect_device(DeviceState *dev, void *opaque)
{
    GArray *a = opaque;
    DevEntry e = { .dev = dev };

    if (!DEVICE_GET_CLASS(dev)->vmsd) {
        return;
    }
    g_snprintf(e.name, sizeof(e.name), "%s.%d",
               object_get_typename(OBJECT(dev)), dev->instance_id);
    g_array_append_val(a, e);
}

static GArray *devices_with_state(void)
{
    GArray *a = g_array_new(false, true, sizeof(DevEntry));

    qdev_walk(collect_device, a);
    return a;
}

/* ---- saving ---- */

static const char *machine_type(void)
{
    return current_machine ? MACHINE_GET_CLASS(current_machine)->name
                           : "none";
}

bool mig_save_header(MigStream *s, Error **errp)
{
    g_autoptr(GPtrArray) blocks = ram_blocks();

    if (!mig_stream_put_magic(s, errp)) {
        return false;
    }
    mig_section_begin(s, MIG_SEC_HEADER);
    mig_put_str(s, turtle_target.name);
    mig_put_str(s, machine_type());
    mig_put_u32(s, blocks->len);
    for (unsigned i = 0; i < blocks->len; i++) {
        RAMBlock *rb = g_ptr_array_index(blocks, i);
        mig_put_str(s, rb->idstr);
        mig_put_u64(s, rb->size);
    }
    return mig_section_end(s, errp);
}

bool mig_save_ram_range(MigStream *s, unsigned idx, uint64_t first,
                        uint64_t n, bool dirty_only, MigRamStats *st,
                        Error **errp)
{
    RAMBlock *rb = mig_ram_block(idx);
    uint64_t npages, end;
    unsigned in_section = 0;

    g_assert(rb);
    npages = rb->size >> TURTLE_PAGE_BITS;
    end = MIN(first + n, npages);
    for (uint64_t pg = first; pg < end; pg++) {
        ram_addr_t ra = rb->offset + (pg << TURTLE_PAGE_BITS);
        const uint8_t *host = rb->host + (pg << TURTLE_PAGE_BITS);

        if (dirty_only &&
            !ram_dirty_test_and_clear(ra, TURTLE_PAGE_SIZE,
                                      DIRTY_MEMORY_MIGRATION)) {
            continue;
        }
        if (!in_section) {
            mig_section_begin(s, MIG_SEC_RAM);
            mig_put_u32(s, idx);
        }
        if (page_is_zero(host)) {
            mig_put_u64(s, (pg << TURTLE_PAGE_BITS) | MIG_PAGE_ZERO);
            st->zero_pages++;
        } else {
            mig_put_u64(s, (pg << TURTLE_PAGE_BITS) | MIG_PAGE_DATA);
            mig_put_bytes(s, host, TURTLE_PAGE_SIZE);
        }
        st->pages++;
        if (++in_section == PAGES_PER_SECTION) {
            if (!mig_section_end(s, errp)) {
                return false;
            }
            in_section = 0;
        }
    }
    return !in_section || mig_section_end(s, errp);
}

bool mig_save_devices(MigStream *s, Error **errp)
{
    g_autoptr(GArray) devs = devices_with_state();

    cpu_synchronize_all_states();
    mig_section_begin(s, MIG_SEC_CLOCK);
    mig_put_u64(s, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    if (!mig_section_end(s, errp)) {
        return false;
    }
    for (guint i = 0; i < devs->len; i++) {
        DevEntry *e = &g_array_index(devs, DevEntry, i);
        g_autoptr(GByteArray) state = g_byte_array_new();

        if (!vmstate_save(DEVICE_GET_CLASS(e->dev)->vmsd, e->dev, state,
                          errp)) {
            error_prepend(errp, "device '%s': ", e->name);
            return false;
        }
        if (state->len + 512 > MIG_SECTION_MAX) {
            error_setg(errp, "device '%s': state too large (%u bytes)",
                       e->name, state->len);
            return false;
        }
        mig_section_begin(s, MIG_SEC_DEVICE);
        mig_put_str(s, e->name);
        mig_put_bytes(s, state->data, state->len);
        if (!mig_section_end(s, errp)) {
            return false;
        }
    }
    mig_section_begin(s, MIG_SEC_END);
    return mig_section_end(s, errp);
}

/* ---- loading ---- */

static bool load_header(MigStream *s, Error **errp)
{
    g_autoptr(GPtrArray) blocks = ram_blocks();
    char str[256];
    uint32_t n;

    if (!mig_get_str(s, str, errp)) {
        return false;
    }
    if (strcmp(str, turtle_target.name)) {
        error_setg(errp, "migration: the stream is from a %s machine, this "
                   "is %s", str, turtle_target.name);
        return false;
    }
    if (!mig_get_str(s, str, errp)) {
        return false;
    }
    if (strcmp(str, machine_type())) {
        error_setg(errp, "migration: the stream is from machine type '%s', "
                   "this is '%s'", str, machine_type());
        return false;
    }
    if (!mig_get_u32(s, &n, errp)) {
        return false;
    }
    if (n != blocks->len) {
        error_setg(errp, "migration: the stream has %u RAM blocks, this "
                   "machine %u (different -m or devices?)", n, blocks->len);
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        RAMBlock *rb = g_ptr_array_index(blocks, i);
        uint64_t size;

        if (!mig_get_str(s, str, errp) || !mig_get_u64(s, &size, errp)) {
            return false;
        }
        if (strcmp(str, rb->idstr) || size != rb->size) {
            error_setg(errp, "migration: RAM block %u is '%s' of %" PRIu64
                       " bytes in the stream, '%s' of %" PRIu64 " here",
                       i, str, size, rb->idstr, rb->size);
            return false;
        }
    }
    if (mig_section_left(s)) {
        error_setg(errp, "migration: stray bytes after the header");
        return false;
    }
    return true;
}

static bool load_ram(MigStream *s, GPtrArray *blocks, bool apply,
                     Error **errp)
{
    uint32_t idx;
    RAMBlock *rb;

    if (!mig_get_u32(s, &idx, errp)) {
        return false;
    }
    if (idx >= blocks->len) {
        error_setg(errp, "migration: RAM section for block %u of %u", idx,
                   blocks->len);
        return false;
    }
    rb = g_ptr_array_index(blocks, idx);
    while (mig_section_left(s)) {
        uint64_t entry, offset;
        unsigned flags;
        const uint8_t *data = NULL;

        if (!mig_get_u64(s, &entry, errp)) {
            return false;
        }
        flags = entry & MIG_PAGE_FLAGS;
        offset = entry & ~(uint64_t)MIG_PAGE_FLAGS;
        if (offset >= rb->size || rb->size - offset < TURTLE_PAGE_SIZE) {
            error_setg(errp, "migration: page at 0x%" PRIx64 " is outside "
                       "RAM block '%s'", offset, rb->idstr);
            return false;
        }
        if (flags == MIG_PAGE_DATA) {
            data = mig_get_bytes(s, TURTLE_PAGE_SIZE, errp);
            if (!data) {
                return false;
            }
        } else if (flags != MIG_PAGE_ZERO) {
            error_setg(errp, "migration: unknown page flags 0x%x", flags);
            return false;
        }
        if (!apply) {
            continue;
        }
        if (data) {
            memcpy(rb->host + offset, data, TURTLE_PAGE_SIZE);
        } else if (!page_is_zero(rb->host + offset)) {
            memset(rb->host + offset, 0, TURTLE_PAGE_SIZE);
        } else {
            continue;       /* untouched: not even faulted in */
        }
        /* translated code of the old contents goes */
        ram_notify_write(rb->offset + offset, TURTLE_PAGE_SIZE);
    }
    return true;
}

static DevEntry *find_device(GArray *devs, const char *name)
{
    for (guint i = 0; i < devs->len; i++) {
        DevEntry *e = &g_array_index(devs, DevEntry, i);
        if (!strcmp(e->name, name)) {
            return e;
        }
    }
    return NULL;
}

static bool load_device(MigStream *s, GArray *devs, bool apply, Error **errp)
{
    char name[256];
    DevEntry *e;
    VMStateReader r;
    const VMStateDescription *vmsd;
    bool ok;

    if (!mig_get_str(s, name, errp)) {
        return false;
    }
    e = find_device(devs, name);
    if (!e) {
        error_setg(errp, "migration: the stream has state for device '%s', "
                   "which this machine does not have", name);
        return false;
    }
    if (e->loaded) {
        error_setg(errp, "migration: device '%s' twice in the stream", name);
        return false;
    }
    e->loaded = true;
    vmsd = DEVICE_GET_CLASS(e->dev)->vmsd;
    r.buf = mig_section_rest(s, &r.len);
    r.pos = 0;
    ok = apply ? vmstate_load(vmsd, e->dev, &r, errp)
               : vmstate_check(vmsd, &r, errp);
    if (ok && r.pos != r.len) {
        error_setg(errp, "vmstate: %zu stray bytes", r.len - r.pos);
        ok = false;
    }
    if (!ok) {
        error_prepend(errp, "migration: device '%s': ", name);
    }
    return ok;
}

bool mig_load_stream(MigStream *s, bool apply, Error **errp)
{
    g_autoptr(GPtrArray) blocks = ram_blocks();
    g_autoptr(GArray) devs = devices_with_state();
    bool seen_header = false, seen_clock = false;
    uint8_t type;

    if (!mig_stream_check_magic(s, errp)) {
        return false;
    }
    for (;;) {
        bool ok = true;

        if (!mig_section_read(s, &type, errp)) {
            return false;
        }
        if (!seen_header && type != MIG_SEC_HEADER) {
            error_setg(errp, "migration: the stream does not start with "
                       "a header");
            return false;
        }
        switch (type) {
        case MIG_SEC_HEADER:
            if (seen_header) {
                error_setg(errp, "migration: a second header in the stream");
                return false;
            }
            seen_header = true;
            ok = load_header(s, errp);
            break;
        case MIG_SEC_RAM:
            ok = load_ram(s, blocks, apply, errp);
            break;
        case MIG_SEC_CLOCK: {
            uint64_t ns;
            ok = mig_get_u64(s, &ns, errp);
            if (ok && apply) {
                qemu_clock_set_virtual_ns(ns);
            }
            seen_clock = true;
            break;
        }
        case MIG_SEC_DEVICE: {
            bool locked = bql_locked();
            if (apply && !locked) {
                bql_lock();
            }
            ok = load_device(s, devs, apply, errp);
            if (apply && !locked) {
                bql_unlock();
            }
            break;
        }
        case MIG_SEC_END:
            if (!seen_clock) {
                error_setg(errp, "migration: the stream has no clock");
                return false;
            }
            for (guint i = 0; i < devs->len; i++) {
                DevEntry *e = &g_array_index(devs, DevEntry, i);
                if (!e->loaded) {
                    error_setg(errp, "migration: the stream has no state "
                               "for device '%s'", e->name);
                    return false;
                }
            }
            return true;
        default:
            error_setg(errp, "migration: unknown section type %u", type);
            return false;
        }
        if (!ok) {
            return false;
        }
    }
}
