/*
 * Memory API: flattening (overlap, priority, aliases, containers),
 * access splitting and widening, device endianness, listener
 * notifications and DMA bounds.
 */
#include "turtle/osdep.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "hw/core/qdev.h"
#include "accel/accel.h"

/* A device that records its accesses and returns a pattern. */
typedef struct TestDev {
    MemoryRegion mr;
    uint64_t regs[256];          /* indexed by offset / access size */
    unsigned last_size;
    hwaddr last_addr;
    int reads, writes;
    unsigned impl_size;
} TestDev;

static uint64_t testdev_read(void *opaque, hwaddr addr, unsigned size)
{
    TestDev *d = opaque;

    d->reads++;
    d->last_size = size;
    d->last_addr = addr;
    /* byte i of the register space is (addr + i) ^ 0xa0 */
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)((addr + i) ^ 0xa0) << (8 * i);
    }
    return v;
}

static void testdev_write(void *opaque, hwaddr addr, uint64_t val,
                          unsigned size)
{
    TestDev *d = opaque;

    d->writes++;
    d->last_size = size;
    d->last_addr = addr;
    d->regs[(addr / size) % 256] = val;
}

static const MemoryRegionOps le_ops_4 = {
    .read = testdev_read,
    .write = testdev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static const MemoryRegionOps be_ops_1 = {
    .read = testdev_read,
    .write = testdev_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

static const MemoryRegionOps strict_ops = {
    .read = testdev_read,
    .write = testdev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static MemoryRegion *new_root(const char *name)
{
    MemoryRegion *root = g_new0(MemoryRegion, 1);
    memory_region_init(root, NULL, name, UINT64_MAX);
    return root;
}

static uint32_t ld32(AddressSpace *as, hwaddr a)
{
    return address_space_ldl_le(as, a, MEMTXATTRS_UNSPECIFIED, NULL);
}

static void test_overlap_priority(void)
{
    MemoryRegion *root = new_root("root");
    MemoryRegion low, high;
    AddressSpace as;
    uint8_t *lp, *hp;

    memory_region_init_ram(&low, NULL, "low", 0x10000, &error_abort);
    memory_region_init_ram(&high, NULL, "high", 0x1000, &error_abort);
    lp = memory_region_get_ram_ptr(&low);
    hp = memory_region_get_ram_ptr(&high);
    memset(lp, 0x11, 0x10000);
    memset(hp, 0x22, 0x1000);
    memory_region_add_subregion_overlap(root, 0x100000, &low, 0);
    memory_region_add_subregion_overlap(root, 0x104000, &high, 1);
    address_space_init(&as, root, "test");

    g_assert_cmphex(ld32(&as, 0x100000), ==, 0x11111111);
    g_assert_cmphex(ld32(&as, 0x104000), ==, 0x22222222);
    g_assert_cmphex(ld32(&as, 0x104ffc), ==, 0x22222222);
    g_assert_cmphex(ld32(&as, 0x105000), ==, 0x11111111);
    /* an access spanning both sees both */
    g_assert_cmphex(ld32(&as, 0x103ffe), ==, 0x22221111);

    /* lower the priority: "low" now wins everywhere it is mapped */
    memory_region_del_subregion(root, &high);
    memory_region_add_subregion_overlap(root, 0x104000, &high, -1);
    g_assert_cmphex(ld32(&as, 0x104000), ==, 0x11111111);

    /* disabling low reveals high */
    memory_region_set_enabled(&low, false);
    g_assert_cmphex(ld32(&as, 0x104000), ==, 0x22222222);
    g_assert_cmphex(ld32(&as, 0x100000), ==, 0xffffffff);   /* unassigned */

    address_space_destroy(&as);
    memory_region_finalize(&high);
    memory_region_finalize(&low);
    memory_region_finalize(root);
    g_free(root);
}

static void test_alias_container(void)
{
    MemoryRegion *root = new_root("root");
    MemoryRegion ram, alias, cont, sub;
    AddressSpace as;
    uint8_t *p;

    memory_region_init_ram(&ram, NULL, "ram", 0x4000, &error_abort);
    p = memory_region_get_ram_ptr(&ram);
    for (int i = 0; i < 0x4000; i++) {
        p[i] = i >> 8;
    }
    memory_region_add_subregion(root, 0, &ram);
    /* a window onto ram[0x2000..0x3000) at 0x10000 */
    memory_region_init_alias(&alias, NULL, "alias", &ram, 0x2000, 0x1000);
    memory_region_add_subregion(root, 0x10000, &alias);
    /* a container at 0x20000 holding a sub-alias at offset 0x100 */
    memory_region_init(&cont, NULL, "cont", 0x1000);
    memory_region_init_alias(&sub, NULL, "sub", &ram, 0x3000, 0x100);
    memory_region_add_subregion(&cont, 0x100, &sub);
    memory_region_add_subregion(root, 0x20000, &cont);
    address_space_init(&as, root, "test");

    g_assert_cmphex(ld32(&as, 0x10000), ==, 0x20202020);
    g_assert_cmphex(ld32(&as, 0x10ffc), ==, 0x2f2f2f2f);
    g_assert_cmphex(ld32(&as, 0x11000), ==, 0xffffffff);
    g_assert_cmphex(ld32(&as, 0x20100), ==, 0x30303030);
    g_assert_cmphex(ld32(&as, 0x20000), ==, 0xffffffff);
    /* writes through the alias land in ram */
    address_space_stl_le(&as, 0x10010, 0xdeadbeef, MEMTXATTRS_UNSPECIFIED, NULL);
    g_assert_cmphex(ld32_le_p(p + 0x2010), ==, 0xdeadbeef);
    /* moving the alias moves the window */
    memory_region_set_alias_offset(&alias, 0x1000);
    g_assert_cmphex(ld32(&as, 0x10000), ==, 0x10101010);
    /* a read-only alias: reads see RAM, writes through it are dropped */
    memory_region_set_readonly(&alias, true);
    address_space_stl_le(&as, 0x10010, 0x12345678, MEMTXATTRS_UNSPECIFIED, NULL);
    g_assert_cmphex(ld32(&as, 0x10010), ==, 0x10101010);
    g_assert_cmphex(ld32_le_p(p + 0x1010), ==, 0x10101010);
    memory_region_set_readonly(&alias, false);
    memory_region_set_address(&cont, 0x30000);
    g_assert_cmphex(ld32(&as, 0x30100), ==, 0x30303030);
    g_assert_cmphex(ld32(&as, 0x20100), ==, 0xffffffff);

    address_space_destroy(&as);
    memory_region_finalize(&sub);
    memory_region_finalize(&cont);
    memory_region_finalize(&alias);
    memory_region_finalize(&ram);
    memory_region_finalize(root);
    g_free(root);
}

static void test_access_splitting(void)
{
    MemoryRegion *root = new_root("root");
    TestDev dev = { 0 };
    AddressSpace as;
    uint64_t v;

    memory_region_init_io(&dev.mr, NULL, &le_ops_4, &dev, "dev4", 0x100);
    memory_region_add_subregion(root, 0x1000, &dev.mr);
    address_space_init(&as, root, "test");

    /* 8-byte read of a 4-byte-only device: two accesses, combined LE */
    memory_region_dispatch_read(&dev.mr, 0x10, &v, 8, MEMTXATTRS_UNSPECIFIED);
    g_assert_cmpint(dev.reads, ==, 2);
    g_assert_cmphex(v, ==, 0xa7a6a5a4a3a2a1a0ULL ^ 0x1010101010101010ULL);
    /* 1-byte read at offset 2: one 4-byte read, the right byte extracted */
    dev.reads = 0;
    memory_region_dispatch_read(&dev.mr, 0x12, &v, 1, MEMTXATTRS_UNSPECIFIED);
    g_assert_cmpint(dev.reads, ==, 1);
    g_assert_cmpuint(dev.last_size, ==, 4);
    g_assert_cmphex(dev.last_addr, ==, 0x10);
    g_assert_cmphex(v, ==, 0x12 ^ 0xa0);
    /* 8-byte write: two 4-byte writes with the halves */
    dev.writes = 0;
    memory_region_dispatch_write(&dev.mr, 0x20, 0x1122334455667788ULL, 8,
                                 MEMTXATTRS_UNSPECIFIED);
    g_assert_cmpint(dev.writes, ==, 2);
    g_assert_cmphex(dev.regs[0x20 / 4], ==, 0x55667788);
    g_assert_cmphex(dev.regs[0x24 / 4], ==, 0x11223344);
    /* through the address space, unaligned 4 bytes spanning 2 registers */
    dev.reads = 0;
    v = ld32(&as, 0x1002);
    g_assert_cmpint(dev.reads, >=, 1);
    g_assert_cmphex(v, ==, 0xa5a4a3a2);

    address_space_destroy(&as);
    memory_region_finalize(&dev.mr);
    memory_region_finalize(root);
    g_free(root);
}

static const MemoryRegionOps be_ops_4 = {
    .read = testdev_read,
    .write = testdev_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static void test_endianness(void)
{
    TestDev dev = { 0 }, dev4 = { 0 };
    uint64_t v;

    /* a big-endian 32-bit register reads byte-swapped by a little-endian
     * CPU: the device's value 0xa3a2a1a0 arrives as 0xa0a1a2a3 */
    memory_region_init_io(&dev4.mr, NULL, &be_ops_4, &dev4, "be4", 0x100);
    memory_region_dispatch_read(&dev4.mr, 0x0, &v, 4, MEMTXATTRS_UNSPECIFIED);
    g_assert_cmphex(v, ==, 0xa0a1a2a3);
    memory_region_dispatch_write(&dev4.mr, 0x8, 0x11223344, 4,
                                 MEMTXATTRS_UNSPECIFIED);
    g_assert_cmphex(dev4.regs[2], ==, 0x44332211);
    /* a 2-byte read of a big-endian 4-byte register: the CPU gets the
     * bytes at those addresses, MSB-first register layout */
    memory_region_dispatch_read(&dev4.mr, 0x2, &v, 2, MEMTXATTRS_UNSPECIFIED);
    g_assert_cmphex(v, ==, 0xa0a1);

    /* byte-wide big-endian device: byte lanes are kept, whatever the
     * device order, so a 4-byte read sees the bytes in address order */
    memory_region_init_io(&dev.mr, NULL, &be_ops_1, &dev, "be", 0x100);
    memory_region_dispatch_read(&dev.mr, 0x0, &v, 4, MEMTXATTRS_UNSPECIFIED);
    g_assert_cmphex(v, ==, 0xa3a2a1a0);
    memory_region_dispatch_write(&dev.mr, 0x40, 0x11223344, 4,
                                 MEMTXATTRS_UNSPECIFIED);
    g_assert_cmphex(dev.regs[0x40], ==, 0x44);
    g_assert_cmphex(dev.regs[0x43], ==, 0x11);
    memory_region_finalize(&dev.mr);
    memory_region_finalize(&dev4.mr);
}

static void test_invalid_access(void)
{
    TestDev dev = { 0 };
    uint64_t v = 0;
    MemTxResult r;

    memory_region_init_io(&dev.mr, NULL, &strict_ops, &dev, "strict", 0x100);
    r = memory_region_dispatch_read(&dev.mr, 0x1, &v, 1, MEMTXATTRS_UNSPECIFIED);
    g_assert_cmpuint(r, ==, MEMTX_ACCESS_ERROR);
    g_assert_cmphex(v, ==, 0xff);
    g_assert_cmpint(dev.reads, ==, 0);
    r = memory_region_dispatch_read(&dev.mr, 0x2, &v, 4, MEMTXATTRS_UNSPECIFIED);
    g_assert_cmpuint(r, ==, MEMTX_ACCESS_ERROR);          /* unaligned */
    r = memory_region_dispatch_write(&dev.mr, 0x4, 1, 4, MEMTXATTRS_UNSPECIFIED);
    g_assert_cmpuint(r, ==, MEMTX_OK);
    g_assert_cmpint(dev.writes, ==, 1);
    memory_region_finalize(&dev.mr);
}

typedef struct Recorder {
    MemoryListener ml;
    GString *log;
} Recorder;

static void rec_add(MemoryListener *ml, MemoryRegionSection *s)
{
    Recorder *r = container_of(ml, Recorder, ml);
    g_string_append_printf(r->log, "+%s@%" PRIx64 ":%" PRIx64 " ",
                           s->mr->name, s->offset_within_address_space, s->size);
}

static void rec_del(MemoryListener *ml, MemoryRegionSection *s)
{
    Recorder *r = container_of(ml, Recorder, ml);
    g_string_append_printf(r->log, "-%s@%" PRIx64 ":%" PRIx64 " ",
                           s->mr->name, s->offset_within_address_space, s->size);
}

static void rec_begin(MemoryListener *ml)
{
    Recorder *r = container_of(ml, Recorder, ml);
    g_string_append(r->log, "[ ");
}

static void rec_commit(MemoryListener *ml)
{
    Recorder *r = container_of(ml, Recorder, ml);
    g_string_append(r->log, "] ");
}

static void test_listeners(void)
{
    MemoryRegion *root = new_root("root");
    MemoryRegion a, b;
    AddressSpace as;
    Recorder rec = {
        .ml = { .begin = rec_begin, .commit = rec_commit,
                .region_add = rec_add, .region_del = rec_del },
        .log = g_string_new(NULL),
    };

    memory_region_init_ram(&a, NULL, "a", 0x2000, &error_abort);
    memory_region_init_ram(&b, NULL, "b", 0x1000, &error_abort);
    memory_region_add_subregion(root, 0x0, &a);
    address_space_init(&as, root, "test");
    memory_listener_register(&rec.ml, &as);
    g_assert_cmpstr(rec.log->str, ==, "[ +a@0:2000 ] ");
    g_string_truncate(rec.log, 0);

    /* b over the middle of a splits a in three */
    memory_region_add_subregion_overlap(root, 0x800, &b, 1);
    g_assert_cmpstr(rec.log->str, ==,
                    "[ -a@0:2000 +a@0:800 +b@800:1000 +a@1800:800 ] ");
    g_string_truncate(rec.log, 0);

    /* a batch of changes is one notification pass */
    memory_region_transaction_begin();
    memory_region_del_subregion(root, &b);
    memory_region_set_enabled(&a, false);
    memory_region_transaction_commit();
    g_assert_cmpstr(rec.log->str, ==,
                    "[ -a@0:800 -b@800:1000 -a@1800:800 ] ");
    g_string_truncate(rec.log, 0);

    memory_listener_unregister(&rec.ml);
    memory_region_set_enabled(&a, true);
    g_assert_cmpstr(rec.log->str, ==, "");

    g_string_free(rec.log, true);
    address_space_destroy(&as);
    memory_region_finalize(&a);
    memory_region_finalize(&b);
    memory_region_finalize(root);
    g_free(root);
}

static void test_dma_bounds(void)
{
    MemoryRegion *root = new_root("root");
    MemoryRegion ram, rom;
    TestDev dev = { 0 };
    AddressSpace as;
    uint8_t buf[0x3000];
    hwaddr len;
    void *p;
    MemTxResult r;

    memory_region_init_ram(&ram, NULL, "ram", 0x2000, &error_abort);
    memory_region_init_rom(&rom, NULL, "rom", 0x1000, &error_abort);
    memory_region_init_io(&dev.mr, NULL, &le_ops_4, &dev, "dev", 0x1000);
    memory_region_add_subregion(root, 0x10000, &ram);
    memory_region_add_subregion(root, 0x20000, &rom);
    memory_region_add_subregion(root, 0x30000, &dev.mr);
    address_space_init(&as, root, "test");

    /* a read running off the end of RAM: the tail reads all-ones, error */
    memset(memory_region_get_ram_ptr(&ram), 0x5a, 0x2000);
    r = address_space_read(&as, 0x11ff0, MEMTXATTRS_UNSPECIFIED, buf, 0x20);
    g_assert_cmpuint(r, ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(buf[0xf], ==, 0x5a);
    g_assert_cmphex(buf[0x10], ==, 0xff);
    /* a write running off the end changes nothing beyond RAM */
    memset(buf, 0x77, sizeof(buf));
    r = address_space_write(&as, 0x11ff8, MEMTXATTRS_UNSPECIFIED, buf, 0x3000);
    g_assert_cmpuint(r, ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(((uint8_t *)memory_region_get_ram_ptr(&ram))[0x1fff], ==, 0x77);
    /* ROM ignores guest writes but the loader path writes it */
    address_space_write(&as, 0x20000, MEMTXATTRS_UNSPECIFIED, buf, 4);
    g_assert_cmphex(ld32(&as, 0x20000), ==, 0);
    address_space_write_rom(&as, 0x20000, MEMTXATTRS_UNSPECIFIED, buf, 4);
    g_assert_cmphex(ld32(&as, 0x20000), ==, 0x77777777);
    /* map clamps to the contiguous RAM */
    len = 0x5000;
    p = address_space_map(&as, 0x11000, &len, true, MEMTXATTRS_UNSPECIFIED);
    g_assert_nonnull(p);
    g_assert_cmphex(len, ==, 0x1000);
    address_space_unmap(&as, p, len, true, len);
    /* nothing mapped: NULL */
    len = 0x10;
    p = address_space_map(&as, 0x40000, &len, false, MEMTXATTRS_UNSPECIFIED);
    g_assert_null(p);
    /* a huge length wrapping the address space is refused, not wrapped */
    g_assert_false(address_space_access_valid(&as, 0x10000, UINT64_MAX, false,
                                              MEMTXATTRS_UNSPECIFIED));
    g_assert_true(address_space_access_valid(&as, 0x10000, 0x2000, false,
                                             MEMTXATTRS_UNSPECIFIED));
    /* device memory maps through a bounce buffer, written back on unmap */
    len = 8;
    p = address_space_map(&as, 0x30040, &len, true, MEMTXATTRS_UNSPECIFIED);
    g_assert_nonnull(p);
    memset(p, 0x42, len);
    address_space_unmap(&as, p, len, true, len);
    g_assert_cmphex(dev.regs[0x40 / 4], ==, 0x42424242);

    address_space_destroy(&as);
    memory_region_finalize(&dev.mr);
    memory_region_finalize(&rom);
    memory_region_finalize(&ram);
    memory_region_finalize(root);
    g_free(root);
}

static int code_hook_calls;
static void code_hook(ram_addr_t start, ram_addr_t len)
{
    code_hook_calls++;
}

/* an accelerator that only counts the invalidations */
static const AccelOps code_accel = {
    .name = "code-counter",
    .ram_code_written = code_hook,
};

static void test_dirty_code(void)
{
    MemoryRegion *root = new_root("root");
    MemoryRegion ram;
    AddressSpace as;
    ram_addr_t base;
    uint32_t v = 1;

    memory_region_init_ram(&ram, NULL, "ram", 0x4000, &error_abort);
    memory_region_add_subregion(root, 0, &ram);
    address_space_init(&as, root, "test");
    base = memory_region_get_ram_addr(&ram);
    accel_set_current(&code_accel);
    /* page 1 holds translated code */
    ram_dirty_clear_range(base + 0x1000, 0x1000, DIRTY_MEMORY_CODE);
    address_space_write(&as, 0x0, MEMTXATTRS_UNSPECIFIED, &v, 4);
    g_assert_cmpint(code_hook_calls, ==, 0);
    address_space_write(&as, 0x1004, MEMTXATTRS_UNSPECIFIED, &v, 4);
    g_assert_cmpint(code_hook_calls, ==, 1);
    /* the write made the page dirty again: no second invalidation */
    address_space_write(&as, 0x1008, MEMTXATTRS_UNSPECIFIED, &v, 4);
    g_assert_cmpint(code_hook_calls, ==, 1);
    g_assert_true(memory_region_test_and_clear_dirty(&ram, 0x1000, 4,
                                                     DIRTY_MEMORY_VGA));
    g_assert_false(memory_region_test_and_clear_dirty(&ram, 0x1000, 4,
                                                      DIRTY_MEMORY_VGA));
    accel_set_current(NULL);

    address_space_destroy(&as);
    memory_region_finalize(&ram);
    memory_region_finalize(root);
    g_free(root);
}

/*
 * A device whose register write starts a "DMA" of the written value to the
 * address in it: aimed at its own register, without the guard in the
 * memory core this recursed without bound.
 */
typedef struct DMADev {
    DeviceState parent_obj;
    MemoryRegion mr;
    AddressSpace *as;
    int depth, max_depth, writes;
} DMADev;

static void dmadev_write(void *opaque, hwaddr addr, uint64_t val,
                         unsigned size)
{
    DMADev *d = opaque;
    uint32_t v = val;

    d->writes++;
    d->depth++;
    d->max_depth = MAX(d->max_depth, d->depth);
    if (d->depth < 100) {
        address_space_write(d->as, val, MEMTXATTRS_UNSPECIFIED, &v, 4);
    }
    d->depth--;
}

static uint64_t dmadev_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0x1234;
}

static const MemoryRegionOps dmadev_ops = {
    .read = dmadev_read,
    .write = dmadev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
};

static const TypeInfo dmadev_info = {
    .name = "test-dma-dev",
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(DMADev),
};
TYPE_REGISTER(dmadev_info)

static void test_reentrancy(void)
{
    MemoryRegion *root = new_root("root");
    DMADev *d = (DMADev *)object_new("test-dma-dev");
    MemoryRegion ram;
    AddressSpace as;
    uint32_t v = 0x10000;
    MemTxResult r;

    qdev_set_id(DEVICE(d), "dma0");
    memory_region_init_ram(&ram, NULL, "ram", 0x1000, &error_abort);
    memory_region_add_subregion(root, 0, &ram);
    memory_region_init_io(&d->mr, OBJECT(d), &dmadev_ops, d, "dmadev", 0x100);
    memory_region_add_subregion(root, 0x10000, &d->mr);
    address_space_init(&as, root, "test");
    d->as = &as;

    /* the device's write DMAs to its own register: refused once inside */
    r = address_space_write(&as, 0x10000, MEMTXATTRS_UNSPECIFIED, &v, 4);
    g_assert_cmpint(r, ==, MEMTX_OK);
    g_assert_cmpint(d->writes, ==, 1);
    g_assert_cmpint(d->max_depth, ==, 1);
    g_assert_false(d->parent_obj.mem_reentrancy_guard.engaged_in_io);
    /* DMA to RAM from inside the callback is allowed */
    v = 0x100;
    address_space_write(&as, 0x10000, MEMTXATTRS_UNSPECIFIED, &v, 4);
    g_assert_cmpint(d->writes, ==, 2);
    g_assert_cmphex(ld32(&as, 0x100), ==, 0x100);
    /* work the device does outside a callback is guarded the same way */
    {
        bool was = memory_reentrancy_guard_begin(
            &d->parent_obj.mem_reentrancy_guard);
        uint32_t x;

        g_assert_false(was);
        r = address_space_read(&as, 0x10000, MEMTXATTRS_UNSPECIFIED, &x, 4);
        g_assert_cmpint(r, ==, MEMTX_ACCESS_ERROR);
        g_assert_cmphex(x, ==, 0xffffffff);
        memory_reentrancy_guard_end(&d->parent_obj.mem_reentrancy_guard, was);
    }
    g_assert_cmphex(ld32(&as, 0x10000), ==, 0x1234);

    address_space_destroy(&as);
    memory_region_finalize(&d->mr);
    memory_region_finalize(&ram);
    memory_region_finalize(root);
    g_free(root);
    object_unref(OBJECT(d));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory/overlap-priority", test_overlap_priority);
    g_test_add_func("/memory/alias-container", test_alias_container);
    g_test_add_func("/memory/access-splitting", test_access_splitting);
    g_test_add_func("/memory/endianness", test_endianness);
    g_test_add_func("/memory/invalid-access", test_invalid_access);
    g_test_add_func("/memory/listeners", test_listeners);
    g_test_add_func("/memory/dma-bounds", test_dma_bounds);
    g_test_add_func("/memory/dirty-code", test_dirty_code);
    g_test_add_func("/memory/reentrancy-guard", test_reentrancy);
    return g_test_run();
}
