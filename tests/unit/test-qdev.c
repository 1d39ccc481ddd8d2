/* Object model and devices: types, properties, GPIO lines, reset. */
#include "turtle/osdep.h"
#include "hw/core/qdev.h"
#include "turtle/option.h"

#define TYPE_TEST_BASE "test-base"
#define TYPE_TEST_DEV "test-dev"

typedef struct TestDev {
    DeviceState parent_obj;
    uint32_t u32;
    bool flag;
    uint64_t size;
    int32_t s32;
    char *str;
    int realized, resets;
    int inited;
    qemu_irq out[2];
    int in_level[3];
} TestDev;

DECLARE_INSTANCE_CHECKER(TestDev, TEST_DEV, TYPE_TEST_DEV)

static const Property base_props[] = {
    DEFINE_PROP_BOOL("flag", TestDev, flag, true),
    DEFINE_PROP_END_OF_LIST(),
};

static const Property dev_props[] = {
    DEFINE_PROP_UINT32("u32", TestDev, u32, 17),
    DEFINE_PROP_SIZE("size", TestDev, size, 4096),
    DEFINE_PROP_INT32("s32", TestDev, s32, -1),
    DEFINE_PROP_STRING("str", TestDev, str),
    DEFINE_PROP_END_OF_LIST(),
};

static void test_dev_in(void *opaque, int n, int level)
{
    TestDev *d = opaque;
    d->in_level[n] = level;
    qemu_set_irq(d->out[n % 2], level);
}

static void test_dev_init(Object *obj)
{
    TestDev *d = TEST_DEV(obj);

    d->inited++;
    qdev_init_gpio_in(DEVICE(d), test_dev_in, 3);
    qdev_init_gpio_out_named(DEVICE(d), d->out, "out", 2);
}

static bool test_dev_realize(DeviceState *dev, Error **errp)
{
    TestDev *d = TEST_DEV(dev);

    if (d->u32 == 0) {
        error_setg(errp, "u32 must not be 0");
        return false;
    }
    d->realized++;
    return true;
}

static void test_dev_reset(DeviceState *dev)
{
    TEST_DEV(dev)->resets++;
}

static void base_class_init(ObjectClass *oc, void *data)
{
    DEVICE_CLASS(oc)->props = base_props;
}

static void dev_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->props = dev_props;
    dc->realize = test_dev_realize;
    dc->reset = test_dev_reset;
    dc->user_creatable = true;
}

static const TypeInfo test_types[] = {
    {
        .name = TYPE_TEST_BASE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(TestDev),
        .abstract = true,
        .class_init = base_class_init,
    },
    {
        .name = TYPE_TEST_DEV,
        .parent = TYPE_TEST_BASE,
        .instance_init = test_dev_init,
        .class_init = dev_class_init,
    },
};
DEFINE_TYPES(test_types)

static void test_types_and_casts(void)
{
    ObjectClass *oc = object_class_by_name(TYPE_TEST_DEV);

    g_assert_nonnull(oc);
    g_assert_true(object_class_dynamic_cast(oc, TYPE_DEVICE) == oc);
    g_assert_null(object_class_dynamic_cast(oc, "nosuch"));
    g_assert_null(object_new(TYPE_TEST_BASE));            /* abstract */
    g_assert_null(object_new("nosuch"));
    g_assert_cmpstr(object_class_get_name(object_class_get_parent(oc)), ==,
                    TYPE_TEST_BASE);
}

static void test_properties(void)
{
    DeviceState *dev = qdev_new(TYPE_TEST_DEV);
    TestDev *d = TEST_DEV(dev);
    Error *err = NULL;
    g_autofree char *s = NULL;

    /* defaults, including the inherited one */
    g_assert_cmpuint(d->u32, ==, 17);
    g_assert_true(d->flag);
    g_assert_cmpuint(d->size, ==, 4096);
    g_assert_cmpint(d->s32, ==, -1);
    g_assert_cmpint(d->inited, ==, 1);

    g_assert_true(qdev_prop_parse(dev, "u32", "0x20", &error_abort));
    g_assert_cmpuint(d->u32, ==, 0x20);
    g_assert_true(qdev_prop_parse(dev, "size", "2M", &error_abort));
    g_assert_cmpuint(d->size, ==, 2 * MiB);
    g_assert_true(qdev_prop_parse(dev, "flag", "off", &error_abort));
    g_assert_false(d->flag);
    g_assert_true(qdev_prop_parse(dev, "s32", "-5", &error_abort));
    g_assert_cmpint(d->s32, ==, -5);
    g_assert_true(qdev_prop_parse(dev, "str", "hello", &error_abort));
    g_assert_cmpstr(d->str, ==, "hello");
    s = qdev_prop_print(dev, "u32");
    g_assert_cmpstr(s, ==, "32");

    /* bad values are errors naming the property */
    g_assert_false(qdev_prop_parse(dev, "u32", "4294967296", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "u32"));
    error_free_or_abort(&err);
    g_assert_false(qdev_prop_parse(dev, "u32", "-1", &err));
    error_free_or_abort(&err);
    g_assert_false(qdev_prop_parse(dev, "flag", "maybe", &err));
    error_free_or_abort(&err);
    g_assert_false(qdev_prop_parse(dev, "nosuch", "1", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "nosuch"));
    error_free_or_abort(&err);
    g_assert_false(qdev_prop_parse(dev, "s32", "2147483648", &err));
    error_free_or_abort(&err);

    g_assert_true(qdev_realize(dev, NULL, &error_abort));
    g_assert_cmpint(d->realized, ==, 1);
    g_assert_cmpint(d->resets, ==, 1);
    /* no property changes after realize */
    g_assert_false(qdev_prop_parse(dev, "u32", "1", &err));
    error_free_or_abort(&err);
    qdev_unrealize(dev);
    object_unref(OBJECT(dev));
}

static void test_realize_failure(void)
{
    DeviceState *dev = qdev_new(TYPE_TEST_DEV);
    Error *err = NULL;

    qdev_prop_set_uint32(dev, "u32", 0);
    g_assert_false(qdev_realize(dev, NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "u32 must not be 0");
    error_free(err);
    g_assert_false(dev->realized);
    object_unref(OBJECT(dev));
}

static int sink_level[4];
static void sink(void *opaque, int n, int level)
{
    sink_level[n] = level;
}

static void test_gpio(void)
{
    DeviceState *a = qdev_new(TYPE_TEST_DEV);
    qemu_irq *sinks = qemu_allocate_irqs(sink, NULL, 4);

    qdev_realize(a, NULL, &error_abort);
    qdev_connect_gpio_out_named(a, "out", 0, sinks[1]);
    qdev_connect_gpio_out_named(a, "out", 1, sinks[3]);
    qemu_set_irq(qdev_get_gpio_in(a, 0), 1);
    g_assert_cmpint(TEST_DEV(a)->in_level[0], ==, 1);
    g_assert_cmpint(sink_level[1], ==, 1);
    qemu_set_irq(qdev_get_gpio_in(a, 1), 1);
    g_assert_cmpint(sink_level[3], ==, 1);
    qemu_irq_lower(qdev_get_gpio_in(a, 0));
    g_assert_cmpint(sink_level[1], ==, 0);
    /* an unconnected output is ignored */
    qemu_set_irq(qdev_get_gpio_in(a, 2), 1);
    qemu_set_irq(NULL, 1);
    qdev_unrealize(a);
    object_unref(OBJECT(a));
    qemu_free_irqs(sinks, 4);
}

static void test_device_add(void)
{
    Error *err = NULL;
    Opts *o;
    DeviceState *dev;

    o = opts_parse("device", "test-dev,id=t1,u32=5,str=a,,b", "driver",
                   &error_abort);
    dev = qdev_device_add(o, &error_abort);
    opts_free(o);
    g_assert_nonnull(dev);
    g_assert_cmpstr(TEST_DEV(dev)->str, ==, "a,b");
    g_assert_true(qdev_find("t1") == dev);
    qdev_reset_all();
    g_assert_cmpint(TEST_DEV(dev)->resets, ==, 2);

    o = opts_parse("device", "test-dev,id=t1", "driver", &error_abort);
    g_assert_null(qdev_device_add(o, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "Duplicate"));
    error_free_or_abort(&err);
    opts_free(o);

    o = opts_parse("device", "nosuch", "driver", &error_abort);
    g_assert_null(qdev_device_add(o, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "nosuch"));
    error_free_or_abort(&err);
    opts_free(o);

    o = opts_parse("device", "test-dev,bogus=1", "driver", &error_abort);
    g_assert_null(qdev_device_add(o, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "bogus"));
    error_free_or_abort(&err);
    opts_free(o);
}

static void test_options(void)
{
    Error *err = NULL;
    Opts *o = opts_parse("machine", "virt,gic-version=3,secure", "type",
                         &error_abort);
    bool b = false;
    uint64_t v = 0;

    g_assert_cmpstr(opts_get(o, "type"), ==, "virt");
    g_assert_cmpstr(opts_get(o, "gic-version"), ==, "3");
    g_assert_true(opts_get_bool(o, "secure", &b, &error_abort));
    g_assert_true(b);
    g_assert_true(opts_check_all_used(o, &error_abort));
    opts_free(o);

    o = opts_parse("m", "size=4G,slots=2", NULL, &error_abort);
    g_assert_true(opts_get_size(o, "size", &v, &error_abort));
    g_assert_cmpuint(v, ==, 4 * GiB);
    g_assert_false(opts_check_all_used(o, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "slots"));
    error_free_or_abort(&err);
    opts_free(o);

    g_assert_true(parse_size("1.5G", 1, &v));
    g_assert_cmpuint(v, ==, 3 * GiB / 2);
    g_assert_true(parse_size("64k", 1, &v));
    g_assert_cmpuint(v, ==, 64 * KiB);
    g_assert_true(parse_size("512", MiB, &v));
    g_assert_cmpuint(v, ==, 512 * MiB);
    g_assert_false(parse_size("-1", 1, &v));
    g_assert_false(parse_size("12Q", 1, &v));
    g_assert_false(parse_size("99999999999E", 1, &v));
    g_assert_false(parse_uint64("", &v));
    g_assert_false(parse_uint64("0x", &v));
    g_assert_false(parse_uint64("18446744073709551616", &v));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qdev/types", test_types_and_casts);
    g_test_add_func("/qdev/properties", test_properties);
    g_test_add_func("/qdev/realize-failure", test_realize_failure);
    g_test_add_func("/qdev/gpio", test_gpio);
    g_test_add_func("/qdev/device-add", test_device_add);
    g_test_add_func("/option/parse", test_options);
    return g_test_run();
}
