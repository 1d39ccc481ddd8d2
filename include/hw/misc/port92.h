/*
 * PS/2 system control port A (I/O 0x92): "fast A20" and fast reset.
 *
 *   bit 0  write 1: system reset request (reads 0)
 *   bit 1  A20 gate (sticks; drives gpio out "a20")
 *   other bits are kept as written
 */
#ifndef HW_MISC_PORT92_H
#define HW_MISC_PORT92_H

#define TYPE_PORT92 "port92"

#endif
