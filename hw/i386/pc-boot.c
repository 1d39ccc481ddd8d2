/*
 * -boot on the pc board: what SeaBIOS (or any PC firmware) reads to pick
 * and order its boot devices, as QEMU's pc gives it.
 *
 *   order=DRIVES  up to 3 of a/b (floppy), c (first hard disk), d (first
 *                 CD-ROM), n (network): CMOS 0x3d bits 3:0 and 7:4 and
 *                 0x38 bits 7:4 (1 floppy, 2 disk, 3 CD, 4 network);
 *                 default "cad"; a bare -boot DRIVES is the order.
 *   once=DRIVES   that order for the first boot only: after the first
 *                 system reset the CMOS gets `order` back.
 *   menu=on|off   FW_CFG_BOOT_MENU (SeaBIOS: "Press ESC for boot menu").
 *   splash-time=MS  with the menu: how long it waits (fw_cfg
 *                 "etc/boot-menu-wait", 16-bit little-endian).
 *   reboot-timeout=MS  after a failed boot, reboot after MS (-1: never;
 *                 the default), fw_cfg "etc/boot-fail-wait", 32-bit.
 *   strict=on     boot only from what bootorder lists ("HALT" ends it).
 * CMOS 0x38 bit 0 is 0: the firmware checks the floppy boot signature.
 */
#include "turtle/osdep.h"
#include "turtle/option.h"
#include "hw/i386/pc.h"
#include "hw/i386/x86-boot.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/rtc/mc146818.h"
#include "sysemu/runstate.h"

#define PC_BOOT_MAX_DEVICES 3
#define PC_BOOT_DEFAULT     "cad"

typedef struct PCBootOnce {
    RTCState *rtc;
    uint8_t cmos_3d, cmos_38;        /* the permanent order */
    bool pending;
} PCBootOnce;

/* CMOS codes of a drive letter, 0 for one the PC cannot boot from */
static uint8_t boot_code(char c)
{
    switch (c) {
    case 'a': case 'b': return 1;
    case 'c': return 2;
    case 'd': return 3;
    case 'n': return 4;
    default: return 0;
    }
}

static bool boot_parse_order(const char *what, const char *s, uint8_t *cmos,
                             Error **errp)
{
    uint8_t code[PC_BOOT_MAX_DEVICES] = { 0 };
    size_t n = strlen(s);

    for (size_t i = 0; i < n; i++) {
        if (s[i] < 'a' || s[i] > 'p') {
            error_setg(errp, "-boot %s=%s: invalid boot device '%c' (drives "
                       "are a-p)", what, s, s[i]);
            return false;
        }
        if (strchr(s + i + 1, s[i])) {
            error_setg(errp, "-boot %s=%s: boot device '%c' was given twice",
                       what, s, s[i]);
            return false;
        }
        if (!boot_code(s[i])) {
            error_setg(errp, "-boot %s=%s: invalid boot device for PC: '%c' "
                       "(a, b floppy; c disk; d CD-ROM; n network)", what,
                       s, s[i]);
            return false;
        }
        if (i >= PC_BOOT_MAX_DEVICES) {
            error_setg(errp, "-boot %s=%s: too many boot devices for PC (at "
                       "most %d)", what, s, PC_BOOT_MAX_DEVICES);
            return false;
        }
        code[i] = boot_code(s[i]);
    }
    if (!n) {
        error_setg(errp, "-boot %s: no boot device given", what);
        return false;
    }
    cmos[0] = code[0] | (code[1] << 4);          /* 0x3d */
    cmos[1] = code[2] << 4;                      /* 0x38 */
    return true;
}

static void boot_once_reset(void *opaque)
{
    PCBootOnce *o = opaque;

    /* the reset that ends the first boot restores the order */
    if (o->pending) {
        o->pending = false;
        return;
    }
    rtc_set_memory(o->rtc, 0x3d, o->cmos_3d);
    rtc_set_memory(o->rtc, 0x38, o->cmos_38);
}

static bool boot_get_int(Opts *o, const char *key, int64_t min, int64_t max,
                         int64_t *val, Error **errp)
{
    const char *s = opts_get(o, key);

    if (!s) {
        return true;
    }
    if (!parse_int64(s, val) || *val < min || *val > max) {
        error_setg(errp, "-boot %s=%s: not a number from %" PRId64 " to %"
                   PRId64, key, s, min, max);
        return false;
    }
    return true;
}

bool pc_boot_init(PCMachineState *pcms, Error **errp)
{
    MachineState *ms = MACHINE(pcms);
    FWCfgState *fw = pcms->fw_cfg;
    const char *order = PC_BOOT_DEFAULT, *once = NULL;
    int64_t splash = -1, reboot = -1;
    bool menu = false, strict = false, ok = false;
    uint8_t cmos[2], cmos_once[2];
    GString *bootorder = g_string_new("");
    Opts *o = opts_parse("boot", ms->boot_opts ? ms->boot_opts : "",
                         "order", errp);

    if (!o) {
        goto out;
    }
    if (opts_get(o, "order")) {
        order = opts_get(o, "order");
    }
    once = opts_get(o, "once");
    if (!opts_get_bool(o, "menu", &menu, errp) ||
        !opts_get_bool(o, "strict", &strict, errp) ||
        !boot_get_int(o, "splash-time", 0, 0xffff, &splash, errp) ||
        !boot_get_int(o, "reboot-timeout", -1, 0xffff, &reboot, errp)) {
        goto out;
    }
    if (opts_get(o, "splash")) {
        error_setg(errp, "-boot splash=: no splash screen (there is no "
                   "display for it)");
        goto out;
    }
    if (!opts_check_all_used(o, errp) ||
        !boot_parse_order("order", order, cmos, errp) ||
        (once && !boot_parse_order("once", once, cmos_once, errp))) {
        goto out;
    }

    rtc_set_memory(pcms->rtc, 0x3d, once ? cmos_once[0] : cmos[0]);
    rtc_set_memory(pcms->rtc, 0x38, once ? cmos_once[1] : cmos[1]);
    if (once) {
        PCBootOnce *bo = g_new0(PCBootOnce, 1);

        /* the board's own first reset (before the guest runs) comes first */
        *bo = (PCBootOnce) { pcms->rtc, cmos[0], cmos[1], true };
        qemu_register_reset(boot_once_reset, bo);
    }

    fw_cfg_add_i16(fw, FW_CFG_BOOT_MENU, menu);
    if (menu && splash >= 0) {
        uint16_t *wait = g_new(uint16_t, 1);

        *wait = cpu_to_le16(splash);
        fw_cfg_add_file(fw, "etc/boot-menu-wait", wait, sizeof(*wait),
                        &error_abort);
    }
    {
        uint32_t *fail = g_new(uint32_t, 1);

        *fail = cpu_to_le32((uint32_t)reboot);
        fw_cfg_add_file(fw, "etc/boot-fail-wait", fail, sizeof(*fail),
                        &error_abort);
    }

    /* bootorder: the -kernel ROM first (with firmware), HALT if strict */
    if (ms->kernel_filename && ms->firmware) {
        g_string_append(bootorder, "/rom@" X86_LINUXBOOT_ROM_FILE "\n");
    }
    if (strict) {
        g_string_append(bootorder, "HALT\n");
    }
    if (bootorder->len) {
        fw_cfg_add_file(fw, "bootorder", bootorder->str, bootorder->len,
                        &error_abort);
        g_string_free(bootorder, false);   /* fw_cfg keeps it */
        bootorder = NULL;
    }
    ok = true;
out:
    if (bootorder) {
        g_string_free(bootorder, true);
    }
    if (o) {
        opts_free(o);
    }
    return ok;
}
