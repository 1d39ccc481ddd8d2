/*
 * isa-debug-exit: a write of value v to its port range ends the process
 * with status (v << 1) | 1 (so a guest can never produce status 0).
 *
 *   I/O iobase (0x501), iosize bytes (2); reads return 0
 *   properties: iobase, iosize (1, 2 or 4)
 */
#ifndef HW_MISC_ISA_DEBUG_EXIT_H
#define HW_MISC_ISA_DEBUG_EXIT_H

#define TYPE_ISA_DEBUG_EXIT "isa-debug-exit"

#endif
