/*
 * The HPET's legacy inputs (hw/timer/hpet.c) seen from the GSI side, with
 * counting sinks on its 24 outputs: what each assertion of the PIT's and
 * the RTC's lines becomes.  The registers, timers and routing are tested
 * on the pc board (tests/qtest/hpet-test.c), whose qtest interception
 * reports level changes only; this test sees every call.
 */
#include "turtle/osdep.h"
#include "turtle/timer.h"
#include "exec/memory.h"
#include "hw/core/qdev.h"
#include "hw/timer/hpet.h"

#define NGSI 24

static int raises[NGSI];
static int levels[NGSI];
static int pit_enabled = -1, pit_enabled_calls;
static DeviceState *hpet;

static void gsi_sink(void *opaque, int n, int level)
{
    if (level) {
        raises[n]++;
    }
    levels[n] = level;
}

static void pit_enabled_sink(void *opaque, int n, int level)
{
    pit_enabled = level;
    pit_enabled_calls++;
}

static void reset_counts(void)
{
    memset(raises, 0, sizeof(raises));
}

static void hpet_wr(hwaddr reg, uint64_t val)
{
    g_assert_cmpint(address_space_write(&address_space_memory, HPET_BASE + reg,
                                        MEMTXATTRS_UNSPECIFIED, &val, 8),
                    ==, MEMTX_OK);
}

static void rtc_line(int level)
{
    qemu_set_irq(qdev_get_gpio_in_named(hpet, "legacy", 1), level);
}

static void pit_line(int level)
{
    qemu_set_irq(qdev_get_gpio_in_named(hpet, "legacy", 0), level);
}

/*
 * Outside legacy replacement the HPET is a wire for IRQ 0 and 8: every
 * assertion reaches GSI 0 / 8, repeats included.  Under KVM a repeated
 * assertion of the still-high RTC line is what delivers an edge that
 * KVM_IRQ_LINE_STATUS coalesced while the guest had not yet EOIed the
 * previous one; filtering it lost the RTC interrupt for good (tests/kvm
 * bios step 14 hung under KVM with the HPET present).
 */
static void test_wire(void)
{
    device_cold_reset(hpet);
    reset_counts();
    rtc_line(1);
    rtc_line(1);
    rtc_line(1);
    g_assert_cmpint(raises[8], ==, 3);
    g_assert_cmpint(levels[8], ==, 1);
    rtc_line(0);
    g_assert_cmpint(levels[8], ==, 0);
    pit_line(1);
    pit_line(1);
    g_assert_cmpint(raises[0], ==, 2);
    pit_line(0);
    g_assert_cmpint(levels[0], ==, 0);
    for (int i = 0; i < NGSI; i++) {
        if (i != 0 && i != 8) {
            g_assert_cmpint(raises[i], ==, 0);
        }
    }
}

/*
 * Legacy replacement cuts both lines off (and says so on "pit-enabled",
 * for KVM's in-kernel PIT, which does not go through the HPET); leaving
 * it with the RTC's line high shows that level on GSI 8 again.
 */
static void test_legacy_replacement(void)
{
    device_cold_reset(hpet);
    pit_enabled_calls = 0;
    hpet_wr(0x010, 2);                      /* LEG_RT_CNF, counter stopped */
    g_assert_cmpint(pit_enabled, ==, 0);
    hpet_wr(0x010, 3);                      /* counter on: no change */
    g_assert_cmpint(pit_enabled_calls, ==, 1);
    hpet_wr(0x010, 2);
    reset_counts();
    rtc_line(1);
    rtc_line(1);
    pit_line(1);
    g_assert_cmpint(raises[8], ==, 0);
    g_assert_cmpint(raises[0], ==, 0);
    pit_line(0);
    hpet_wr(0x010, 0);
    g_assert_cmpint(raises[8], ==, 1);
    g_assert_cmpint(levels[8], ==, 1);
    g_assert_cmpint(raises[0], ==, 0);
    rtc_line(0);
    g_assert_cmpint(levels[8], ==, 0);
    g_assert_cmpint(pit_enabled, ==, 1);
    /* a reset leaves legacy replacement: the PIT interrupts again */
    hpet_wr(0x010, 2);
    g_assert_cmpint(pit_enabled, ==, 0);
    device_cold_reset(hpet);
    g_assert_cmpint(pit_enabled, ==, 1);
}

int main(int argc, char **argv)
{
    qemu_irq *gsi;

    g_test_init(&argc, &argv, NULL);
    qemu_clock_set_virtual_manual(true);
    memory_map_init();
    gsi = qemu_allocate_irqs(gsi_sink, NULL, NGSI);
    hpet = hpet_create(HPET_BASE, gsi);
    qdev_connect_gpio_out_named(hpet, "pit-enabled", 0,
                                qemu_allocate_irq(pit_enabled_sink, NULL, 0));
    g_test_add_func("/hpet/legacy-inputs-are-a-wire", test_wire);
    g_test_add_func("/hpet/legacy-replacement-cuts-off", test_legacy_replacement);
    return g_test_run();
}
