/*
 * Generic timer, polled with interrupts masked (the GIC is the board's
 * business): CNTFRQ_EL0, CNTVCT_EL0/CNTPCT_EL0 monotonic, CNTV_TVAL/CVAL
 * relation, CNTV_CTL_EL0.ISTATUS set once the compare value passes, with
 * IMASK set or clear (ISTATUS is UNKNOWN while ENABLE is 0, so not checked
 * then), cleared when CVAL moves ahead, and the physical EL1 timer.
 */
#include "lib.h"

static uint64_t vct(void)
{
    ISB();
    return READ_SYSREG(cntvct_el0);
}

static uint64_t pct(void)
{
    ISB();
    return READ_SYSREG(cntpct_el0);
}

int main(void)
{
    uint64_t frq, a, b, c, ctl, tval, cval;
    int i, mono = 1;

    printf("timer: start at EL%d\n", (int)(boot_current_el >> 2));
    frq = READ_SYSREG(cntfrq_el0);
    check_true("CNTFRQ_EL0 non-zero", frq != 0);
    check_true("CNTFRQ_EL0 between 1 MHz and 10 GHz", frq >= 1000000 && frq <= 10000000000ull);

    a = vct();
    for (i = 0; i < 1000; i++) {
        b = vct();
        if (b < a) {
            mono = 0;
        }
        a = b;
    }
    check_true("CNTVCT_EL0 never goes back", mono);
    a = vct();
    for (i = 0; i < 200000; i++) {
        __asm__ volatile("" ::: "memory");
    }
    b = vct();
    check_true("CNTVCT_EL0 increases over a busy loop", b > a);
    c = pct();
    check_true("CNTPCT_EL0 >= CNTVCT_EL0 (CNTVOFF is 0 here)", c >= b);

    /* Virtual timer: TVAL is CVAL - CNTVCT, as a signed 32-bit value. */
    WRITE_SYSREG(cntv_ctl_el0, 0);
    WRITE_SYSREG(cntv_cval_el0, ~0ull);
    ISB();
    ctl = READ_SYSREG(cntv_ctl_el0);
    /* ISTATUS is UNKNOWN while ENABLE is 0: only ENABLE/IMASK are checked. */
    check("CNTV_CTL disabled: ENABLE, IMASK read back", ctl & 3, 0);
    WRITE_SYSREG(cntv_ctl_el0, 3);            /* ENABLE | IMASK */
    ISB();
    ctl = READ_SYSREG(cntv_ctl_el0);
    check("CNTV_CTL far compare: ISTATUS clear", ctl, 3);

    a = vct();
    WRITE_SYSREG(cntv_tval_el0, frq / 1000);  /* 1 ms ahead */
    ISB();
    cval = READ_SYSREG(cntv_cval_el0);
    b = vct();
    check_true("TVAL write sets CVAL = CNTVCT + TVAL", cval >= a + frq / 1000 && cval <= b + frq / 1000);
    tval = READ_SYSREG(cntv_tval_el0);
    /* Counting down from 1 ms; no lower bound that a loaded host could
     * break (the counter follows real time), just not wrapped. */
    check_true("TVAL reads back counting down", (int32_t)tval <= (int32_t)(frq / 1000) &&
               (int32_t)tval > INT32_MIN / 2);
    for (i = 0; i < 100000000; i++) {
        ctl = READ_SYSREG(cntv_ctl_el0);
        if (ctl & 4) {
            break;
        }
    }
    check("CNTV_CTL ISTATUS set after the compare value", ctl, 7);
    check_true("counter passed CVAL when ISTATUS was seen", vct() >= cval);
    tval = READ_SYSREG(cntv_tval_el0);
    check_true("TVAL negative after expiry", (int32_t)tval <= 0);
    check_true("DAIF.I still masked, no interrupt taken", (READ_SYSREG(daif) & 0x80) != 0);

    WRITE_SYSREG(cntv_ctl_el0, 0);
    ISB();
    check("CNTV_CTL disabled again: ENABLE, IMASK read back", READ_SYSREG(cntv_ctl_el0) & 3, 0);
    WRITE_SYSREG(cntv_ctl_el0, 1);            /* ENABLE, IMASK clear */
    ISB();
    check("ISTATUS set with IMASK clear too", READ_SYSREG(cntv_ctl_el0), 5);
    WRITE_SYSREG(cntv_cval_el0, ~0ull);
    ISB();
    check("ISTATUS clears when CVAL moves ahead", READ_SYSREG(cntv_ctl_el0), 1);
    WRITE_SYSREG(cntv_ctl_el0, 0);

    /* Physical EL1 timer through CVAL. */
    WRITE_SYSREG(cntp_ctl_el0, 0);
    WRITE_SYSREG(cntp_cval_el0, ~0ull);
    WRITE_SYSREG(cntp_ctl_el0, 3);
    ISB();
    check("CNTP_CTL armed far ahead: ISTATUS clear", READ_SYSREG(cntp_ctl_el0), 3);
    WRITE_SYSREG(cntp_cval_el0, pct() + frq / 2000);
    for (i = 0; i < 100000000; i++) {
        ctl = READ_SYSREG(cntp_ctl_el0);
        if (ctl & 4) {
            break;
        }
    }
    check("CNTP_CTL ISTATUS set", ctl, 7);
    WRITE_SYSREG(cntp_ctl_el0, 0);

    /* 1 ms must take at least frq/1000 ticks: ticks are consistent with
     * CNTFRQ (loose: the host may be slow, never faster than real time). */
    a = vct();
    b = frq / 1000;
    while (vct() - a < b) {
    }
    check_true("counter reached +1 ms", vct() - a >= b);
    test_done();
}
