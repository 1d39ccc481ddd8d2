/*
 * Host keyboard input to the guest's keyboard device; see ui/input.h.
 * Scan codes are those of the IBM PC keyboards (set 1, the XT codes an
 * i8042 delivers when it translates; set 2, the AT codes), 0xe0-prefixed
 * for the extended keys.
 */
#include "turtle/osdep.h"
#include "ui/input.h"
#include "turtle/timer.h"

#define E0 0x100    /* the key's codes have an 0xe0 prefix */

typedef struct KeyDef {
    const char *name;       /* QEMU's key name */
    uint16_t set1, set2;
} KeyDef;

static const KeyDef keys[] = {
    { "esc", 0x01, 0x76 }, { "1", 0x02, 0x16 }, { "2", 0x03, 0x1e },
    { "3", 0x04, 0x26 }, { "4", 0x05, 0x25 }, { "5", 0x06, 0x2e },
    { "6", 0x07, 0x36 }, { "7", 0x08, 0x3d }, { "8", 0x09, 0x3e },
    { "9", 0x0a, 0x46 }, { "0", 0x0b, 0x45 }, { "minus", 0x0c, 0x4e },
    { "equal", 0x0d, 0x55 }, { "backspace", 0x0e, 0x66 },
    { "tab", 0x0f, 0x0d }, { "q", 0x10, 0x15 }, { "w", 0x11, 0x1d },
    { "e", 0x12, 0x24 }, { "r", 0x13, 0x2d }, { "t", 0x14, 0x2c },
    { "y", 0x15, 0x35 }, { "u", 0x16, 0x3c }, { "i", 0x17, 0x43 },
    { "o", 0x18, 0x44 }, { "p", 0x19, 0x4d }, { "bracket_left", 0x1a, 0x54 },
    { "bracket_right", 0x1b, 0x5b }, { "ret", 0x1c, 0x5a },
    { "ctrl", 0x1d, 0x14 }, { "a", 0x1e, 0x1c }, { "s", 0x1f, 0x1b },
    { "d", 0x20, 0x23 }, { "f", 0x21, 0x2b }, { "g", 0x22, 0x34 },
    { "h", 0x23, 0x33 }, { "j", 0x24, 0x3b }, { "k", 0x25, 0x42 },
    { "l", 0x26, 0x4b }, { "semicolon", 0x27, 0x4c },
    { "apostrophe", 0x28, 0x52 }, { "grave_accent", 0x29, 0x0e },
    { "shift", 0x2a, 0x12 }, { "backslash", 0x2b, 0x5d },
    { "z", 0x2c, 0x1a }, { "x", 0x2d, 0x22 }, { "c", 0x2e, 0x21 },
    { "v", 0x2f, 0x2a }, { "b", 0x30, 0x32 }, { "n", 0x31, 0x31 },
    { "m", 0x32, 0x3a }, { "comma", 0x33, 0x41 }, { "dot", 0x34, 0x49 },
    { "slash", 0x35, 0x4a }, { "shift_r", 0x36, 0x59 },
    { "kp_multiply", 0x37, 0x7c }, { "asterisk", 0x37, 0x7c },
    { "alt", 0x38, 0x11 }, { "spc", 0x39, 0x29 },
    { "caps_lock", 0x3a, 0x58 }, { "f1", 0x3b, 0x05 }, { "f2", 0x3c, 0x06 },
    { "f3", 0x3d, 0x04 }, { "f4", 0x3e, 0x0c }, { "f5", 0x3f, 0x03 },
    { "f6", 0x40, 0x0b }, { "f7", 0x41, 0x83 }, { "f8", 0x42, 0x0a },
    { "f9", 0x43, 0x01 }, { "f10", 0x44, 0x09 }, { "num_lock", 0x45, 0x77 },
    { "scroll_lock", 0x46, 0x7e }, { "kp_7", 0x47, 0x6c },
    { "kp_8", 0x48, 0x75 }, { "kp_9", 0x49, 0x7d },
    { "kp_subtract", 0x4a, 0x7b }, { "kp_4", 0x4b, 0x6b },
    { "kp_5", 0x4c, 0x73 }, { "kp_6", 0x4d, 0x74 }, { "kp_add", 0x4e, 0x79 },
    { "kp_1", 0x4f, 0x69 }, { "kp_2", 0x50, 0x72 }, { "kp_3", 0x51, 0x7a },
    { "kp_0", 0x52, 0x70 }, { "kp_decimal", 0x53, 0x71 },
    { "sysrq", 0x54, 0x84 }, { "less", 0x56, 0x61 }, { "f11", 0x57, 0x78 },
    { "f12", 0x58, 0x07 }, { "kp_equals", 0x59, 0x0f },
    { "hiragana", 0x70, 0x13 }, { "ro", 0x73, 0x51 },
    { "henkan", 0x79, 0x64 }, { "muhenkan", 0x7b, 0x67 },
    { "yen", 0x7d, 0x6a }, { "kp_comma", 0x7e, 0x6d },
    { "audioprev", E0 | 0x10, E0 | 0x15 }, { "audionext", E0 | 0x19, E0 | 0x4d },
    { "kp_enter", E0 | 0x1c, E0 | 0x5a }, { "ctrl_r", E0 | 0x1d, E0 | 0x14 },
    { "audiomute", E0 | 0x20, E0 | 0x23 },
    { "calculator", E0 | 0x21, E0 | 0x2b },
    { "audioplay", E0 | 0x22, E0 | 0x34 }, { "audiostop", E0 | 0x24, E0 | 0x3b },
    { "volumedown", E0 | 0x2e, E0 | 0x21 }, { "volumeup", E0 | 0x30, E0 | 0x32 },
    { "ac_home", E0 | 0x32, E0 | 0x3a }, { "kp_divide", E0 | 0x35, E0 | 0x4a },
    { "print", E0 | 0x37, E0 | 0x7c }, { "alt_r", E0 | 0x38, E0 | 0x11 },
    { "home", E0 | 0x47, E0 | 0x6c }, { "up", E0 | 0x48, E0 | 0x75 },
    { "pgup", E0 | 0x49, E0 | 0x7d }, { "left", E0 | 0x4b, E0 | 0x6b },
    { "right", E0 | 0x4d, E0 | 0x74 }, { "end", E0 | 0x4f, E0 | 0x69 },
    { "down", E0 | 0x50, E0 | 0x72 }, { "pgdn", E0 | 0x51, E0 | 0x7a },
    { "insert", E0 | 0x52, E0 | 0x70 }, { "delete", E0 | 0x53, E0 | 0x71 },
    { "meta_l", E0 | 0x5b, E0 | 0x1f }, { "meta_r", E0 | 0x5c, E0 | 0x27 },
    { "menu", E0 | 0x5d, E0 | 0x2f }, { "power", E0 | 0x5e, E0 | 0x37 },
    { "sleep", E0 | 0x5f, E0 | 0x3f }, { "wake", E0 | 0x63, E0 | 0x5e },
    { "ac_bookmarks", E0 | 0x66, E0 | 0x18 },
    { "ac_refresh", E0 | 0x67, E0 | 0x20 },
    { "ac_forward", E0 | 0x69, E0 | 0x30 }, { "ac_back", E0 | 0x6a, E0 | 0x38 },
    { "computer", E0 | 0x6b, E0 | 0x40 }, { "mail", E0 | 0x6c, E0 | 0x48 },
    { "mediaselect", E0 | 0x6d, E0 | 0x50 },
    { "pause", 0, 0 },      /* its own sequence, see below */
};

#define KEY_PAUSE ((int)G_N_ELEMENTS(keys) - 1)
#define MAX_HELD 16

static InputKeyHandler *kbd_handler;
static void *kbd_opaque;
static int held[MAX_HELD];
static int n_held;
static QEMUTimer *release_timer;

void qemu_input_set_kbd_handler(InputKeyHandler *fn, void *opaque)
{
    kbd_handler = fn;
    kbd_opaque = opaque;
}

void qemu_input_clear_kbd_handler(void *opaque)
{
    if (kbd_opaque == opaque) {
        kbd_handler = NULL;
        kbd_opaque = NULL;
    }
}

bool qemu_input_has_kbd(void)
{
    return kbd_handler != NULL;
}

int qemu_input_key_by_name(const char *name)
{
    char *end;
    unsigned long num;

    for (int i = 0; i < (int)G_N_ELEMENTS(keys); i++) {
        if (!strcmp(keys[i].name, name)) {
            return i;
        }
    }
    /* a scan code number: 0xNN, extended keys as 0x80 | code */
    num = strtoul(name, &end, 0);
    if (!*name || *end || num == 0 || num > 0xff) {
        return -1;
    }
    num = num & 0x80 ? E0 | (num & 0x7f) : num;
    for (int i = 0; i < KEY_PAUSE; i++) {
        if (keys[i].set1 == num) {
            return i;
        }
    }
    return -1;
}

const char *qemu_input_key_name(int key)
{
    return key >= 0 && key < (int)G_N_ELEMENTS(keys) ? keys[key].name : NULL;
}

int qemu_input_key_scancode(int key, bool down, int set, uint8_t *out)
{
    static const uint8_t pause1[] = { 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5 };
    static const uint8_t pause2[] = { 0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14,
                                      0xf0, 0x77 };
    uint16_t code;
    int n = 0;

    if (key < 0 || key >= (int)G_N_ELEMENTS(keys)) {
        return 0;
    }
    if (key == KEY_PAUSE) {
        /* make and break together on the press; nothing on the release */
        if (!down) {
            return 0;
        }
        memcpy(out, set == 1 ? pause1 : pause2,
               set == 1 ? sizeof(pause1) : sizeof(pause2));
        return set == 1 ? sizeof(pause1) : sizeof(pause2);
    }
    code = set == 1 ? keys[key].set1 : keys[key].set2;
    if (code & E0) {
        out[n++] = 0xe0;
    }
    if (set == 1) {
        out[n++] = (code & 0x7f) | (down ? 0 : 0x80);
    } else {
        if (!down) {
            out[n++] = 0xf0;
        }
        out[n++] = code & 0xff;
    }
    return n;
}

static void release_held(void *opaque)
{
    while (n_held) {
        int key = held[--n_held];
        if (kbd_handler) {
            kbd_handler(kbd_opaque, key, false);
        }
    }
}

bool qemu_input_send_keys(const int *k, int n, int hold_ms)
{
    if (!kbd_handler) {
        return false;
    }
    if (!release_timer) {
        release_timer = timer_new_ms(QEMU_CLOCK_REALTIME, release_held, NULL);
    }
    timer_del(release_timer);
    release_held(NULL);
    for (int i = 0; i < n && n_held < MAX_HELD; i++) {
        held[n_held++] = k[i];
        kbd_handler(kbd_opaque, k[i], true);
    }
    timer_mod(release_timer, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) +
              MAX(hold_ms, 0));
    return true;
}
