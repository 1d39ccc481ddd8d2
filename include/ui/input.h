/*
 * Keyboard input from the host side (the monitor's sendkey today; a
 * window later), delivered to the guest's keyboard device.
 *
 * Keys are QEMU's key names ("a", "ret", "ctrl", "alt_r", "f1", "kp_0",
 * "pgdn"...), numbered by their index in the key table; a keyboard device
 * registers a handler and turns a key into the scan codes its current
 * mode expects (qemu_input_key_scancode()).
 */
#ifndef UI_INPUT_H
#define UI_INPUT_H

#include "turtle/osdep.h"

typedef void InputKeyHandler(void *opaque, int key, bool down);

/* The guest keyboard (one; a later registration replaces it). */
void qemu_input_set_kbd_handler(InputKeyHandler *fn, void *opaque);
void qemu_input_clear_kbd_handler(void *opaque);
bool qemu_input_has_kbd(void);

/* A key by QEMU's name, or by a set 1 scan code number ("0x1e"; an
 * extended key as 0x80 | code, as QEMU's sendkey); -1 if unknown. */
int qemu_input_key_by_name(const char *name);
const char *qemu_input_key_name(int key);

/*
 * The bytes a PS/2 keyboard sends for key in scan code set 1 (what an
 * i8042 translating set 2 delivers) or set 2, prefixes included: returns
 * their number (at most 8).
 */
int qemu_input_key_scancode(int key, bool down, int set, uint8_t *out);

/* Press keys in order, release them in reverse after hold_ms (a release
 * still pending from an earlier call happens first).  false if there is
 * no keyboard. */
bool qemu_input_send_keys(const int *keys, int n, int hold_ms);

#endif
