/*
 * fw_cfg: firmware configuration items - see include/hw/nvram/fw_cfg.h.
 *
 *   fw_cfg_io    I/O 0x510-0x511 (selector, data), 0x514-0x51b (DMA)
 *   fw_cfg_mmio  MMIO region 0: +0 data, +8 selector, +16 DMA (24 bytes)
 *   properties   fw_cfg_io: iobase (0x510), dma_iobase (0x514),
 *                dma_enabled (true); fw_cfg_mmio: dma_enabled (true)
 *   no IRQs
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/nvram/fw_cfg.h"
#include "migration/vmstate.h"

#define FW_CFG_DMA_CTL_KNOWN (FW_CFG_DMA_CTL_ERROR | FW_CFG_DMA_CTL_READ | \
                              FW_CFG_DMA_CTL_SKIP | FW_CFG_DMA_CTL_SELECT | \
                              FW_CFG_DMA_CTL_WRITE)
#define FW_CFG_NUM_ENTRIES (FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS)

/* Entry of a key, or NULL when the key names nothing. */
static FWCfgEntry *fw_cfg_entry(FWCfgState *s, uint16_t key)
{
    int arch = !!(key & FW_CFG_ARCH_LOCAL);
    unsigned idx = key & FW_CFG_ENTRY_MASK;

    if (key == FW_CFG_INVALID || idx >= FW_CFG_NUM_ENTRIES) {
        return NULL;
    }
    return &s->entries[arch][idx];
}

static void fw_cfg_select(FWCfgState *s, uint16_t key)
{
    s->cur_offset = 0;
    s->cur_entry = fw_cfg_entry(s, key) ? key : FW_CFG_INVALID;
}

static uint8_t fw_cfg_read_byte(FWCfgState *s)
{
    FWCfgEntry *e = fw_cfg_entry(s, s->cur_entry);

    if (!e || !e->data || s->cur_offset >= e->len) {
        return 0;
    }
    return e->data[s->cur_offset++];
}

/* ---- items ---- */

static void fw_cfg_set_entry(FWCfgState *s, uint16_t key, void *data,
                             size_t len, bool owned, bool allow_write)
{
    FWCfgEntry *e = fw_cfg_entry(s, key);

    g_assert(e && len <= UINT32_MAX);
    if (e->owned) {
        g_free(e->data);
    }
    e->data = data;
    e->len = len;
    e->owned = owned;
    e->allow_write = allow_write;
}

void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, void *data, size_t len)
{
    fw_cfg_set_entry(s, key, data, len, false, false);
}

void fw_cfg_add_string(FWCfgState *s, uint16_t key, const char *value)
{
    fw_cfg_set_entry(s, key, g_strdup(value), strlen(value) + 1, true, false);
}

void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value)
{
    uint16_t *p = g_new(uint16_t, 1);

    st16_le_p(p, value);
    fw_cfg_set_entry(s, key, p, 2, true, false);
}

void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value)
{
    uint32_t *p = g_new(uint32_t, 1);

    st32_le_p(p, value);
    fw_cfg_set_entry(s, key, p, 4, true, false);
}

void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value)
{
    uint64_t *p = g_new(uint64_t, 1);

    st64_le_p(p, value);
    fw_cfg_set_entry(s, key, p, 8, true, false);
}

void fw_cfg_modify_i16(FWCfgState *s, uint16_t key, uint16_t value)
{
    fw_cfg_add_i16(s, key, value);
}

void fw_cfg_modify_i32(FWCfgState *s, uint16_t key, uint32_t value)
{
    fw_cfg_add_i32(s, key, value);
}

void fw_cfg_modify_i64(FWCfgState *s, uint16_t key, uint64_t value)
{
    fw_cfg_add_i64(s, key, value);
}

const void *fw_cfg_get_item(FWCfgState *s, uint16_t key, size_t *len)
{
    FWCfgEntry *e = fw_cfg_entry(s, key);

    if (!e || !e->data) {
        return NULL;
    }
    *len = e->len;
    return e->data;
}

static int fw_cfg_file_cmp(const void *a, const void *b)
{
    return strcmp(((const FWCfgFile *)a)->name, ((const FWCfgFile *)b)->name);
}

/* Rebuild the key 0x19 directory: be32 count, sorted 64-byte entries. */
static void fw_cfg_rebuild_dir(FWCfgState *s)
{
    FWCfgFile sorted[FW_CFG_FILE_SLOTS];
    size_t len = 4 + 64 * s->file_count;
    uint8_t *dir = g_malloc0(len);

    memcpy(sorted, s->files, sizeof(FWCfgFile) * s->file_count);
    qsort(sorted, s->file_count, sizeof(FWCfgFile), fw_cfg_file_cmp);
    st32_be_p(dir, s->file_count);
    for (uint32_t i = 0; i < s->file_count; i++) {
        uint8_t *f = dir + 4 + 64 * i;
        st32_be_p(f, sorted[i].size);
        st16_be_p(f + 4, sorted[i].select);
        memcpy(f + 8, sorted[i].name, FW_CFG_MAX_FILE_PATH);
    }
    fw_cfg_set_entry(s, FW_CFG_FILE_DIR, dir, len, true, false);
}

static int fw_cfg_file_index(FWCfgState *s, const char *filename)
{
    for (uint32_t i = 0; i < s->file_count; i++) {
        if (!strcmp(s->files[i].name, filename)) {
            return i;
        }
    }
    return -1;
}

static bool fw_cfg_add_file_common(FWCfgState *s, const char *filename,
                                   void *data, size_t len, bool allow_write,
                                   Error **errp)
{
    FWCfgFile *f;

    if (strlen(filename) >= FW_CFG_MAX_FILE_PATH) {
        error_setg(errp, "fw_cfg: file name '%s' is too long", filename);
        return false;
    }
    if (fw_cfg_file_index(s, filename) >= 0) {
        error_setg(errp, "fw_cfg: duplicate file name '%s'", filename);
        return false;
    }
    if (s->file_count >= FW_CFG_FILE_SLOTS) {
        error_setg(errp, "fw_cfg: no free file slot for '%s'", filename);
        return false;
    }
    f = &s->files[s->file_count];
    memset(f, 0, sizeof(*f));
    g_strlcpy(f->name, filename, sizeof(f->name));
    f->size = len;
    f->select = FW_CFG_FILE_FIRST + s->file_count;
    fw_cfg_set_entry(s, f->select, data, len, false, allow_write);
    s->file_count++;
    fw_cfg_rebuild_dir(s);
    return true;
}

bool fw_cfg_add_file(FWCfgState *s, const char *filename, void *data,
                     size_t len, Error **errp)
{
    return fw_cfg_add_file_common(s, filename, data, len, false, errp);
}

bool fw_cfg_add_file_writable(FWCfgState *s, const char *filename,
                              void *data, size_t len, Error **errp)
{
    return fw_cfg_add_file_common(s, filename, data, len, true, errp);
}

void fw_cfg_modify_file(FWCfgState *s, const char *filename, void *data,
                        size_t len)
{
    int i = fw_cfg_file_index(s, filename);

    if (i < 0) {
        fw_cfg_add_file(s, filename, data, len, &error_abort);
        return;
    }
    s->files[i].size = len;
    fw_cfg_set_entry(s, s->files[i].select, data, len, false,
                     fw_cfg_entry(s, s->files[i].select)->allow_write);
    fw_cfg_rebuild_dir(s);
}

/* ---- DMA ---- */

/*
 * Reading past the end of an item gives zeros.  The guest picks the
 * length (up to 4 GiB): the destination must be RAM throughout, checked
 * before anything is written, so that a huge length over the PCI hole or
 * unassigned space is an error at once rather than a billion MMIO writes
 * of zero with the big lock held.
 */
static bool fw_cfg_dma_zero(AddressSpace *as, hwaddr addr, hwaddr len,
                            MemTxAttrs attrs)
{
    hwaddr a = addr, left = len;

    while (left) {
        hwaddr l = left, xlat;
        MemoryRegion *mr = address_space_translate(as, a, &xlat, &l, true,
                                                   attrs);

        if (!mr || !l || !memory_region_is_ram(mr) || a + l < a) {
            return false;
        }
        a += l;
        left -= l;
    }
    return address_space_set(as, addr, 0, len, attrs) == MEMTX_OK;
}

/* A transfer whose data lands on our own registers cannot start another
 * from inside it: the memory core refuses re-entrant accesses to a device
 * busy in one of its callbacks (MemReentrancyGuard, exec/memory.h). */
static void fw_cfg_dma_transfer(FWCfgState *s)
{
    AddressSpace *as = s->dma_as;
    MemTxAttrs attrs = MEMTXATTRS_UNSPECIFIED;
    hwaddr desc = s->dma_addr;
    uint8_t d[16];
    uint32_t control, length;
    uint64_t address;
    bool error = false;

    s->dma_addr = 0;
    if (address_space_read(as, desc, attrs, d, sizeof(d)) != MEMTX_OK) {
        tlog_mask(LOG_GUEST_ERROR, "fw_cfg: DMA descriptor at 0x%"
                  HWADDR_PRIx " is not in guest memory\n", desc);
        /* the error bit goes back if at least the control word is there */
        address_space_stl_be(as, desc, FW_CFG_DMA_CTL_ERROR, attrs, NULL);
        return;
    }
    control = ld32_be_p(d);
    length = ld32_be_p(d + 4);
    address = ld64_be_p(d + 8);

    if (control & ~(FW_CFG_DMA_CTL_KNOWN | 0xffff0000u)) {
        tlog_mask(LOG_GUEST_ERROR, "fw_cfg: DMA control 0x%x has reserved "
                  "bits set\n", control);
        error = true;
    } else {
        unsigned ops;

        if (control & FW_CFG_DMA_CTL_SELECT) {
            fw_cfg_select(s, control >> 16);
        }
        ops = control & (FW_CFG_DMA_CTL_READ | FW_CFG_DMA_CTL_WRITE |
                         FW_CFG_DMA_CTL_SKIP);
        if (ops && !is_power_of_2(ops)) {
            tlog_mask(LOG_GUEST_ERROR, "fw_cfg: DMA control 0x%x asks for "
                      "more than one of read/write/skip\n", control);
            error = true;
        } else if (ops) {
            FWCfgEntry *e = fw_cfg_entry(s, s->cur_entry);
            uint32_t avail = (e && e->data && s->cur_offset < e->len) ?
                             e->len - s->cur_offset : 0;

            if (ops == FW_CFG_DMA_CTL_READ) {
                uint32_t n = MIN(length, avail);
                if (n && address_space_write(as, address, attrs,
                                             e->data + s->cur_offset,
                                             n) != MEMTX_OK) {
                    error = true;
                } else if (length > n &&
                           !fw_cfg_dma_zero(as, address + n, length - n,
                                            attrs)) {
                    error = true;
                }
                if (!error) {
                    s->cur_offset += n;
                }
            } else if (ops == FW_CFG_DMA_CTL_WRITE) {
                if (!e || !e->allow_write || length > avail) {
                    error = true;
                } else if (address_space_read(as, address, attrs,
                                              e->data + s->cur_offset,
                                              length) != MEMTX_OK) {
                    error = true;
                } else {
                    s->cur_offset += length;
                }
            } else {
                s->cur_offset += MIN(length, avail);
            }
            if (error) {
                tlog_mask(LOG_GUEST_ERROR, "fw_cfg: DMA %s of %u bytes at "
                          "0x%" PRIx64 " failed\n",
                          ops == FW_CFG_DMA_CTL_WRITE ? "write" : "read",
                          length, address);
            }
        }
    }
    address_space_stl_be(as, desc, error ? FW_CFG_DMA_CTL_ERROR : 0, attrs,
                         NULL);
}

static uint64_t fw_cfg_dma_read(void *opaque, hwaddr addr, unsigned size)
{
    /* the signature, big-endian, as any aligned part of it */
    if (addr + size > 8) {
        return 0;
    }
    return (FW_CFG_DMA_SIGNATURE >> ((8 - addr - size) * 8)) &
           (~0ull >> (64 - 8 * size));
}

static void fw_cfg_dma_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    FWCfgState *s = opaque;

    if (size == 4 && addr == 0) {
        s->dma_addr = (val << 32) | (s->dma_addr & 0xffffffffu);
    } else if (size == 4 && addr == 4) {
        s->dma_addr = (s->dma_addr & ~0xffffffffull) | (uint32_t)val;
        fw_cfg_dma_transfer(s);
    } else if (size == 8 && addr == 0) {
        s->dma_addr = val;
        fw_cfg_dma_transfer(s);
    } else {
        tlog_mask(LOG_GUEST_ERROR, "fw_cfg: %u-byte DMA register write at "
                  "+%u ignored\n", size, (unsigned)addr);
    }
}

static bool fw_cfg_dma_accepts(void *opaque, hwaddr addr, unsigned size,
                               bool is_write, MemTxAttrs attrs)
{
    return !is_write || ((size == 4 && (addr == 0 || addr == 4)) ||
                         (size == 8 && addr == 0));
}

static const MemoryRegionOps fw_cfg_dma_ops = {
    .read = fw_cfg_dma_read,
    .write = fw_cfg_dma_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8,
               .accepts = fw_cfg_dma_accepts },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

/* ---- I/O port variant: 0x510 selector (16-bit), 0x511 data ---- */

static uint64_t fw_cfg_io_read(void *opaque, hwaddr addr, unsigned size)
{
    FWCfgState *s = opaque;

    if (addr == 1 && size == 1) {
        return fw_cfg_read_byte(s);
    }
    return 0;
}

static void fw_cfg_io_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    FWCfgState *s = opaque;

    if (addr == 0 && size == 2) {
        fw_cfg_select(s, val);
    } else if (addr == 0 && size == 1) {
        /* byte write to the selector: the low byte, high cleared */
        fw_cfg_select(s, val & 0xff);
    } else {
        tlog_mask(LOG_GUEST_ERROR, "fw_cfg: data writes are not supported "
                  "(use DMA)\n");
    }
}

static const MemoryRegionOps fw_cfg_io_ops = {
    .read = fw_cfg_io_read,
    .write = fw_cfg_io_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 2 },
    .impl = { .min_access_size = 1, .max_access_size = 2 },
};

/* ---- MMIO variant: +0 data (1-8 bytes), +8 selector (BE 16-bit),
 *      +16 DMA address; one region so a single mapping places it all ---- */

static uint64_t fw_cfg_mem_read(void *opaque, hwaddr addr, unsigned size)
{
    FWCfgState *s = opaque;
    uint64_t v = 0;

    if (addr >= 16 && s->dma_enabled) {
        return fw_cfg_dma_read(s, addr - 16, size);
    }
    if (addr + size > 8) {
        return 0;
    }
    for (unsigned i = 0; i < size; i++) {
        v = (v << 8) | fw_cfg_read_byte(s);
    }
    return v;
}

static void fw_cfg_mem_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    FWCfgState *s = opaque;

    if (addr >= 16 && s->dma_enabled) {
        fw_cfg_dma_write(s, addr - 16, val, size);
    } else if (addr == 8 && size == 2) {
        fw_cfg_select(s, val);
    } else {
        tlog_mask(LOG_GUEST_ERROR, "fw_cfg: %u-byte write at +%u ignored\n",
                  size, (unsigned)addr);
    }
}

static const MemoryRegionOps fw_cfg_mem_ops = {
    .read = fw_cfg_mem_read,
    .write = fw_cfg_mem_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

/* ---- common ---- */

static void fw_cfg_init(Object *obj)
{
    FWCfgState *s = FW_CFG(obj);

    s->cur_entry = FW_CFG_INVALID;
    s->dma_as = &address_space_memory;
    fw_cfg_set_entry(s, FW_CFG_SIGNATURE, g_memdup2("QEMU", 4), 4, true,
                     false);
    fw_cfg_add_bytes(s, FW_CFG_UUID, g_malloc0(16), 16);
    fw_cfg_rebuild_dir(s);
}

static bool fw_cfg_common_realize(FWCfgState *s, Error **errp)
{
    uint32_t id = FW_CFG_VERSION | (s->dma_enabled ? FW_CFG_VERSION_DMA : 0);

    fw_cfg_add_i32(s, FW_CFG_ID, id);
    return true;
}

static void fw_cfg_reset(DeviceState *dev)
{
    FWCfgState *s = FW_CFG(dev);

    s->cur_entry = FW_CFG_INVALID;
    s->cur_offset = 0;
    s->dma_addr = 0;
}

static const VMStateDescription vmstate_fw_cfg = {
    .name = "fw_cfg",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT16(cur_entry, FWCfgState),
        VMSTATE_UINT32(cur_offset, FWCfgState),
        VMSTATE_UINT64(dma_addr, FWCfgState),
        VMSTATE_END_OF_LIST()
    },
};

static void fw_cfg_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->reset = fw_cfg_reset;
    dc->vmsd = &vmstate_fw_cfg;
    dc->category = DEVICE_CATEGORY_MISC;
}

static bool fw_cfg_io_realize(DeviceState *dev, Error **errp)
{
    FWCfgState *s = FW_CFG(dev);

    if (s->iobase > 0xfffe || (s->dma_enabled && s->dma_iobase > 0xfff8)) {
        error_setg(errp, "fw_cfg_io: bad iobase 0x%x / dma_iobase 0x%x",
                   s->iobase, s->dma_iobase);
        return false;
    }
    memory_region_init_io(&s->ctl_iomem, OBJECT(dev), &fw_cfg_io_ops, s,
                          "fwcfg", 2);
    memory_region_add_subregion(get_system_io(), s->iobase, &s->ctl_iomem);
    if (s->dma_enabled) {
        memory_region_init_io(&s->dma_iomem, OBJECT(dev), &fw_cfg_dma_ops, s,
                              "fwcfg.dma", 8);
        memory_region_add_subregion(get_system_io(), s->dma_iobase,
                                    &s->dma_iomem);
    }
    return fw_cfg_common_realize(s, errp);
}

static const Property fw_cfg_io_props[] = {
    DEFINE_PROP_UINT32("iobase", FWCfgState, iobase, 0x510),
    DEFINE_PROP_UINT32("dma_iobase", FWCfgState, dma_iobase, 0x514),
    DEFINE_PROP_BOOL("dma_enabled", FWCfgState, dma_enabled, true),
    DEFINE_PROP_END_OF_LIST(),
};

static void fw_cfg_io_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "QEMU firmware configuration (I/O ports)";
    dc->realize = fw_cfg_io_realize;
    dc->props = fw_cfg_io_props;
}

static bool fw_cfg_mem_realize(DeviceState *dev, Error **errp)
{
    FWCfgState *s = FW_CFG(dev);

    memory_region_init_io(&s->data_iomem, OBJECT(dev), &fw_cfg_mem_ops, s,
                          "fwcfg.mem", s->dma_enabled ? 24 : 16);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->data_iomem);
    return fw_cfg_common_realize(s, errp);
}

static const Property fw_cfg_mem_props[] = {
    DEFINE_PROP_BOOL("dma_enabled", FWCfgState, dma_enabled, true),
    DEFINE_PROP_END_OF_LIST(),
};

static void fw_cfg_mem_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "QEMU firmware configuration (MMIO)";
    dc->realize = fw_cfg_mem_realize;
    dc->props = fw_cfg_mem_props;
    /* boards create it; -device on "none" (addr=) is for tests */
    dc->user_creatable = true;
}

static const TypeInfo fw_cfg_types[] = {
    {
        .name = TYPE_FW_CFG,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(FWCfgState),
        .instance_init = fw_cfg_init,
        .class_init = fw_cfg_class_init,
        .abstract = true,
    },
    {
        .name = TYPE_FW_CFG_IO,
        .parent = TYPE_FW_CFG,
        .instance_size = sizeof(FWCfgState),
        .class_init = fw_cfg_io_class_init,
    },
    {
        .name = TYPE_FW_CFG_MEM,
        .parent = TYPE_FW_CFG,
        .instance_size = sizeof(FWCfgState),
        .class_init = fw_cfg_mem_class_init,
    },
};

DEFINE_TYPES(fw_cfg_types)

FWCfgState *fw_cfg_init_io_dma(uint32_t iobase, uint32_t dma_iobase,
                               AddressSpace *dma_as)
{
    DeviceState *dev = qdev_new(TYPE_FW_CFG_IO);
    FWCfgState *s = FW_CFG(dev);

    qdev_prop_set_uint32(dev, "iobase", iobase);
    qdev_prop_set_uint32(dev, "dma_iobase", dma_iobase);
    qdev_prop_set_bit(dev, "dma_enabled", dma_iobase != 0);
    if (dma_as) {
        s->dma_as = dma_as;
    }
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    return s;
}

FWCfgState *fw_cfg_init_mem_dma(hwaddr base, AddressSpace *dma_as)
{
    DeviceState *dev = qdev_new(TYPE_FW_CFG_MEM);
    FWCfgState *s = FW_CFG(dev);

    if (dma_as) {
        s->dma_as = dma_as;
    }
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, base);
    return s;
}
