/*
 * The GIC core (hw/intc/arm_gic_core.c): the per-CPU candidate bitmaps
 * must give the same best pending interrupt as a scan of every INTID,
 * whatever sequence of register writes, input changes, acknowledges and
 * re-routings led there; and the state is sized by num-cpu.
 */
#include "turtle/osdep.h"
#include "hw/intc/arm_gic_core.h"

#define NCPU 5
#define NIRQ 160

static uint8_t route[NIRQ];          /* SPI -> CPU, as ITARGETSR would */
static uint8_t sgi_src[NCPU][GIC_NR_SGIS];

static bool test_targets(GICCore *c, int cpu, int irq)
{
    return route[irq] == cpu || route[irq] == 0xff;
}

static bool test_sgi_pending(GICCore *c, int cpu, int irq)
{
    return sgi_src[cpu][irq] != 0;
}

/* What gic_core_best_pending() must return, found the slow way. */
static int brute_best(GICCore *c, int cpu, uint32_t groups)
{
    int best = GIC_SPURIOUS;
    unsigned prio = GIC_IDLE_PRIO;

    for (int irq = 0; irq < NIRQ; irq++) {
        GICIrqState *q = gic_core_irq(c, cpu, irq);

        if (q->enabled && !q->active && gic_core_is_pending(c, cpu, irq) &&
            (irq < GIC_INTERNAL || test_targets(c, cpu, irq)) &&
            (groups & (1u << q->group)) && q->priority < prio) {
            best = irq;
            prio = q->priority;
        }
    }
    return best;
}

static void run_random(bool sgis_fixed, const GICCoreOps *ops)
{
    static const uint32_t regs[] = {
        GIC_DIST_IGROUPR, GIC_DIST_ISENABLER, GIC_DIST_ICENABLER,
        GIC_DIST_ISPENDR, GIC_DIST_ICPENDR, GIC_DIST_ISACTIVER,
        GIC_DIST_ICACTIVER,
    };
    GICCore c = { 0 };
    GRand *r = g_rand_new_with_seed(sgis_fixed ? 1 : 2);

    memset(route, 0, sizeof(route));
    memset(sgi_src, 0, sizeof(sgi_src));
    gic_core_init(&c, NCPU, NIRQ, sgis_fixed, ops, NULL);
    g_assert_cmpuint(c.num_priv, ==, NCPU * GIC_INTERNAL);
    g_assert_cmpuint(c.num_spi, ==, NIRQ - GIC_INTERNAL);
    gic_core_reset(&c);
    for (int step = 0; step < 20000; step++) {
        int cpu = g_rand_int_range(r, 0, NCPU);
        int irq = g_rand_int_range(r, 0, NIRQ);

        switch (g_rand_int_range(r, 0, 7)) {
        case 0: {
            uint32_t reg = regs[g_rand_int_range(r, 0, G_N_ELEMENTS(regs))];
            gic_core_writeb(&c, cpu, reg + irq / 8, g_rand_int(r) & 0xff, 0,
                            NIRQ);
            break;
        }
        case 1:
            gic_core_writeb(&c, cpu, GIC_DIST_IPRIORITYR + irq,
                            g_rand_int(r) & 0xff, 0, NIRQ);
            break;
        case 2:
            gic_core_writeb(&c, cpu, GIC_DIST_ICFGR + irq / 4,
                            g_rand_int(r) & 0xff, 0, NIRQ);
            break;
        case 3:
            gic_core_set_input(&c, g_rand_int_range(r, 0, NIRQ - 32 +
                                                    NCPU * 32),
                               g_rand_boolean(r));
            break;
        case 4: {
            int best = gic_core_best_pending(&c, cpu, 3);
            if (best != GIC_SPURIOUS) {
                if (best < GIC_NR_SGIS) {
                    sgi_src[cpu][best] = 0;
                }
                gic_core_activate(&c, cpu, best);
            }
            break;
        }
        case 5:
            if (irq >= GIC_INTERNAL) {
                route[irq] = g_rand_boolean(r) ? 0xff
                             : g_rand_int_range(r, 0, NCPU);
                gic_core_sync(&c, cpu, irq);
            } else if (irq < GIC_NR_SGIS) {
                sgi_src[cpu][irq] |= 1 << g_rand_int_range(r, 0, NCPU);
                gic_core_sync(&c, cpu, irq);
            }
            break;
        default:
            gic_core_deactivate(&c, cpu, irq);
            break;
        }
        for (int n = 0; n < NCPU; n++) {
            for (uint32_t groups = 0; groups < 4; groups++) {
                g_assert_cmpint(gic_core_best_pending(&c, n, groups), ==,
                                brute_best(&c, n, groups));
            }
        }
    }
    gic_core_finalize(&c);
    g_rand_free(r);
}

/* GICv3 style: SGIs pended by their own bit, enables writable */
static void test_v3_random(void)
{
    static const GICCoreOps ops = { .targets = test_targets };

    run_random(false, &ops);
}

/* GICv2 style: SGIs always enabled, pending per source CPU */
static void test_v2_random(void)
{
    static const GICCoreOps ops = {
        .targets = test_targets,
        .sgi_pending = test_sgi_pending,
    };

    run_random(true, &ops);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gic-core/v3-random", test_v3_random);
    g_test_add_func("/gic-core/v2-random", test_v2_random);
    return g_test_run();
}
